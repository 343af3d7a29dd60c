//! CLI tests: plain text in legacy code pages (issue 15). Every Cyrillic fixture of
//! `fixtures/encodings/` aligns to every gold link of the UTF-8 fixture, with a note naming the
//! code page; `--encoding` chooses one, refuses bytes it cannot decode and unknown names.

use crate::util::{bitext, fixture, run_err, s};

const CODE_PAGES: [&str; 6] = [
    "windows-1251",
    "koi8-r",
    "koi8-u",
    "ibm866",
    "iso-8859-5",
    "x-mac-cyrillic",
];

/// The `[src]:[tgt]` part of each line of a links file.
fn links(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l[..=l.rfind(']').expect("a link line")].to_string())
        .collect()
}

/// Runs bitext; (stdout, stderr) of a successful run.
fn run_both(args: &[&str]) -> (String, String) {
    let out = bitext().args(args).output().expect("run bitext");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "bitext {args:?} failed: {stderr}");
    (stdout, stderr)
}

#[test]
fn every_code_page_reproduces_every_gold_link_and_is_named() {
    let en = fixture("sco-paris-pact-beijing.en.txt");
    let gold = links(&std::fs::read_to_string(fixture("sco-paris-pact-beijing.links")).unwrap());
    for cp in CODE_PAGES {
        let ru = fixture(&format!("encodings/sco-paris-pact-beijing.ru.{cp}.txt"));
        let (out, err) = run_both(&["align", s(&en), s(&ru), "-f", "links"]);
        assert_eq!(links(&out), gold, "{cp}");
        // Russian text is the same bytes in KOI8-R and KOI8-U: read as KOI8-R.
        let named = if cp == "koi8-u" { "koi8-r" } else { cp };
        let note = format!("read as {named} (guessed from the bytes; --encoding to choose)");
        assert!(err.contains(&note), "{cp}: {err}");
        // Chosen: the same links, the note says so; -q silences it.
        let (out, err) = run_both(&["align", "--encoding", cp, s(&en), s(&ru), "-f", "links"]);
        assert_eq!(links(&out), gold, "{cp} chosen");
        assert!(err.contains(&format!("read as {cp} (--encoding)")), "{err}");
        let (_, err) = run_both(&["align", "-q", s(&en), s(&ru), "-f", "links"]);
        assert!(!err.contains("read as"), "{err}");
    }
}

#[test]
fn utf8_input_gets_no_note() {
    let en = fixture("sco-paris-pact-beijing.en.txt");
    let ru = fixture("sco-paris-pact-beijing.ru.txt");
    let (_, err) = run_both(&["align", s(&en), s(&ru), "-f", "links"]);
    assert!(!err.contains("read as"), "{err}");
}

#[test]
fn encoding_override_refuses_what_does_not_decode() {
    let en = fixture("sco-paris-pact-beijing.en.txt");
    let ru = fixture("encodings/sco-paris-pact-beijing.ru.koi8-r.txt");
    let err = run_err(&["align", "--encoding", "utf-8", s(&en), s(&ru)]);
    assert!(err.contains("koi8-r.txt: invalid UTF-8 at byte 0"), "{err}");
    let out = bitext()
        .args(["align", "--encoding", "klingon", s(&en), s(&ru)])
        .output()
        .expect("run bitext");
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown encoding 'klingon'") && err.contains("koi8-r"),
        "{err}"
    );
}

#[test]
fn split_reads_a_code_page_too() {
    let ru = fixture("encodings/sco-paris-pact-beijing.ru.ibm866.txt");
    let (out, err) = run_both(&["split", "--lang", "ru", s(&ru)]);
    assert!(
        out.starts_with("Инициатива \"Парижский пакт\" в Пекине"),
        "{out}"
    );
    assert!(err.contains("read as ibm866"), "{err}");
}

#[test]
fn western_text_in_windows_1252() {
    let fr = fixture("encodings/sco-paris-pact-beijing.fr.windows-1252.txt");
    let (out, err) = run_both(&["split", "--lang", "fr", s(&fr)]);
    assert!(out.contains("Pékin") && out.contains("Größere"), "{out}");
    assert!(err.contains("read as windows-1252"), "{err}");
}
