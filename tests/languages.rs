//! Language options: a tag written `en_US` is read as `en-US` with a warning naming the fix,
//! alike by `bitext align` (`--src-lang`, `--src-tag`) and `bitext tm` (`--lang`, the tags of
//! a memory); a tag no repair makes BCP 47 (RFC 5646) is refused and nothing is written.

use std::fs;

use crate::util::{fixture, run, run_err, s, temp_dir};

const EN: &str = "sco-counter-narcotics-2018.en.txt";
const RU: &str = "sco-counter-narcotics-2018.ru.txt";

/// Runs `bitext ARGS`, asserts success, and returns stderr.
fn stderr_ok(args: &[&str]) -> String {
    let out = run(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "bitext {args:?} failed: {err}");
    err
}

/// The warning line about a repaired tag, which must name what was written and the fix.
fn assert_repaired(err: &str, flag: &str, written: &str, fixed: &str) {
    let line = err
        .lines()
        .find(|l| l.contains("warning") && l.contains(flag))
        .unwrap_or_else(|| panic!("no warning about {flag}: {err}"));
    assert!(
        line.contains(&format!("\"{written}\"")) && line.contains(&format!("write \"{fixed}\"")),
        "{line}"
    );
}

#[test]
fn align_reads_underscore_tags_as_hyphenated_with_a_warning() {
    let dir = temp_dir();
    for (flag, value) in [("--src-lang", "en_US"), ("--src-tag", "en_US")] {
        let tmx = dir.path().join(format!("{flag}.tmx"));
        let err = stderr_ok(&[
            "align",
            s(&fixture(EN)),
            s(&fixture(RU)),
            "-o",
            s(&tmx),
            flag,
            value,
        ]);
        assert_repaired(&err, flag, "en_US", "en-US");
        let written = fs::read_to_string(&tmx).expect("output");
        assert!(written.contains("xml:lang=\"en-US\""), "{flag}");
        assert!(!written.contains("en_US"), "{flag}");
    }
    // Case is repaired the same way, and a canonical tag gives no warning.
    let tmx = dir.path().join("case.tmx");
    let err = stderr_ok(&[
        "align",
        s(&fixture(EN)),
        s(&fixture(RU)),
        "-o",
        s(&tmx),
        "--tgt-tag",
        "RU-ru",
        "--src-tag",
        "en-GB",
    ]);
    assert_repaired(&err, "--tgt-tag", "RU-ru", "ru-RU");
    assert!(!err.contains("--src-tag"), "{err}");
    let written = fs::read_to_string(&tmx).expect("output");
    assert!(written.contains("xml:lang=\"ru-RU\"") && written.contains("xml:lang=\"en-GB\""));
}

#[test]
fn tm_lookup_and_split_read_underscore_tags_as_align_does() {
    let tm = fixture("tm/inline-tags.tmx");
    let err = stderr_ok(&["tm", "lookup", s(&tm), "hello", "--lang", "en_US"]);
    assert_repaired(&err, "--lang", "en_US", "en-US");
    let err = stderr_ok(&["split", s(&fixture(EN)), "--lang", "en_US"]);
    assert_repaired(&err, "--lang", "en_US", "en-US");
}

#[test]
fn tags_no_repair_makes_bcp_47_are_refused_alike() {
    let dir = temp_dir();
    let tmx = dir.path().join("out.tmx");
    for flag in ["--src-tag", "--tgt-tag"] {
        let err = run_err(&[
            "align",
            s(&fixture(EN)),
            s(&fixture(RU)),
            "-o",
            s(&tmx),
            flag,
            "../x",
        ]);
        assert!(err.contains(flag) && err.contains("BCP 47"), "{err}");
    }
    assert_eq!(
        fs::read_dir(dir.path()).expect("dir").count(),
        0,
        "nothing written"
    );
    let err = run_err(&[
        "tm",
        "lookup",
        s(&fixture("tm/inline-tags.tmx")),
        "x",
        "--lang",
        "../x",
    ]);
    assert!(err.contains("--lang") && err.contains("BCP 47"), "{err}");
    let out = run(&[
        "align",
        s(&fixture(EN)),
        s(&fixture(RU)),
        "--src-lang",
        "../x",
    ]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("BCP 47"));
}
