//! CLI tests: bad input gets a one-line error naming the file (and line or byte), a non-zero
//! exit code, no output file, and never a panic.

use std::path::{Path, PathBuf};

use crate::util::{fixture, run_err, s};

struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        Case {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out.tmx")
    }

    /// Runs `bitext align SRC TGT -o out.tmx`, expects an error containing every `needle`, and
    /// checks that no output file appeared.
    fn align_fails(&self, src: &Path, tgt: &Path, needles: &[&str]) {
        let out = self.out();
        let err = run_err(&["align", s(src), s(tgt), "-o", s(&out)]);
        for n in needles {
            assert!(err.contains(n), "{err:?} lacks {n:?}");
        }
        assert!(!out.exists(), "an output file was left behind");
        let leftovers: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n != "a.txt" && n != "b.txt")
            .collect();
        assert!(leftovers.is_empty(), "files left behind: {leftovers:?}");
    }
}

fn ru() -> PathBuf {
    fixture("sco-paris-pact-beijing.ru.txt")
}

#[test]
fn missing_file() {
    let c = Case::new();
    let missing = c.dir.path().join("nope.txt");
    c.align_fails(&missing, &ru(), &["nope.txt", "No such file"]);
}

#[test]
fn directory_instead_of_file() {
    let c = Case::new();
    let dir = c.dir.path().to_path_buf();
    let err = run_err(&["align", s(&dir), s(&ru())]);
    assert!(err.contains("is a directory"), "{err}");
}

#[test]
fn binary_garbage() {
    let c = Case::new();
    let bin = c.file(
        "a.txt",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00garbage\xff\xfe",
    );
    c.align_fails(&bin, &ru(), &["a.txt", "zip archive", ".docx"]);
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let c = Case::new();
    let bad = c.file(
        "a.txt",
        b"The SCO met in Beijing.\nIt was \xC3\x28 chaired by China.\n",
    );
    c.align_fails(&bad, &ru(), &["a.txt", "invalid UTF-8 at byte 31"]);
}

#[test]
fn empty_side() {
    let c = Case::new();
    let empty = c.file("a.txt", b"");
    c.align_fails(&empty, &ru(), &["a.txt", "no text"]);
    let blank = c.file("b.txt", b" \n\n\t\n");
    c.align_fails(&ru(), &blank, &["b.txt", "no text"]);
}

#[test]
fn one_side_fifty_times_longer() {
    let c = Case::new();
    let short = c.file("a.txt", "Пекин.".as_bytes());
    let long = fixture("sco-counter-narcotics-2018.en.txt");
    c.align_fails(
        &long,
        &short,
        &[
            "sco-counter-narcotics-2018.en.txt",
            "times longer than",
            "a.txt",
        ],
    );
}

#[test]
fn gold_file_that_does_not_parse() {
    let c = Case::new();
    let gold = c.file("gold.links", b"[0]:[0]\n[1]:[1\n");
    let sys = fixture("sco-paris-pact-beijing.links");
    let err = run_err(&["eval", "-t", s(&sys), "-g", s(&gold)]);
    assert!(err.contains("gold.links:2"), "{err}");
}

#[test]
fn unknown_language_and_format_are_usage_errors() {
    let out = crate::util::run(&["align", s(&ru()), s(&ru()), "--src-lang", "english!"]);
    assert!(!out.status.success());
    let out = crate::util::run(&["align", s(&ru()), s(&ru()), "-f", "docx"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown format"));
}

#[test]
fn output_naming_an_input_is_refused_and_input_kept() {
    let c = Case::new();
    let en = c.file(
        "a.txt",
        &std::fs::read(fixture("sco-paris-pact-beijing.en.txt")).unwrap(),
    );
    let before = std::fs::read(&en).unwrap();
    let err = run_err(&["align", s(&en), s(&ru()), "-o", s(&en)]);
    assert!(err.contains("a.txt"), "{err}");
    assert_eq!(std::fs::read(&en).unwrap(), before);
}

#[test]
fn utf16_without_a_bom_is_read_as_tm_reads_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let utf16 =
        |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let (en, ru) = (dir.path().join("a.en"), dir.path().join("a.ru"));
    std::fs::write(
        &en,
        utf16("The ferry leaves at seven.\n\nThe library opens at nine.\n"),
    )
    .expect("write");
    std::fs::write(
        &ru,
        "Паром отходит в семь.\n\nБиблиотека открывается в девять.\n",
    )
    .expect("write");
    let links = crate::util::run_ok(&["align", s(&en), s(&ru), "-f", "links"]);
    assert_eq!(links.lines().count(), 2, "{links}");
    let split = crate::util::run_ok(&["split", s(&en)]);
    assert!(split.starts_with("The ferry leaves at seven.\n"), "{split}");
}
