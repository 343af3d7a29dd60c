//! CLI tests: `bitext split FILE --lang en|ru` against the gold segmentations of the bundled
//! fixtures, plus standard input, soft line breaks, lists and bad input.

use std::io::Write;
use std::process::Stdio;

use crate::util::{bitext, fixture, run_err, run_ok, s};

/// White-space runs folded to one space, as `bitext split` prints a sentence.
fn fold(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The non-blank lines of a `.sents` gold file, folded.
fn gold(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixture(name)).expect("gold .sents file");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(fold)
        .collect()
}

fn check_fixture(doc: &str, lang: &str) {
    let txt = fixture(&format!("{doc}.{lang}.txt"));
    let out = run_ok(&["split", s(&txt), "--lang", lang]);
    let got: Vec<&str> = out.lines().collect();
    let want = gold(&format!("{doc}.{lang}.sents"));
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "{doc}.{lang}: sentence {i} differs");
    }
    assert_eq!(got.len(), want.len(), "{doc}.{lang}: sentence count\n{out}");
}

#[test]
fn counter_narcotics_en_matches_gold() {
    check_fixture("sco-counter-narcotics-2018", "en");
}

#[test]
fn counter_narcotics_ru_matches_gold() {
    check_fixture("sco-counter-narcotics-2018", "ru");
}

#[test]
fn paris_pact_en_matches_gold() {
    check_fixture("sco-paris-pact-beijing", "en");
}

#[test]
fn paris_pact_ru_matches_gold() {
    check_fixture("sco-paris-pact-beijing", "ru");
}

/// Runs `bitext split - --lang LANG` with `input` on standard input.
fn split_stdin(input: &str, lang: &str) -> String {
    split_stdin_with(input, lang, &[])
}

/// `--line-breaks` reaches the splitter: `hard` ends a sentence at every line break, `soft`
/// at none, `auto` (the default) keeps a heading apart and joins wrapped prose.
#[test]
fn line_breaks_setting() {
    let text = "It was a cold\nnight in the city.\n\nContents\nThe first chapter begins here and goes on for a while longer.\n";
    let auto = split_stdin(text, "en");
    assert_eq!(
        auto.lines().collect::<Vec<_>>(),
        [
            "It was a cold night in the city.",
            "Contents",
            "The first chapter begins here and goes on for a while longer."
        ]
    );
    let hard = split_stdin_with(text, "en", &["--line-breaks", "hard"]);
    assert_eq!(hard.lines().count(), 4, "{hard}");
    let soft = split_stdin_with(text, "en", &["--line-breaks", "soft"]);
    assert_eq!(soft.lines().count(), 2, "{soft}");
    let out = crate::util::run(&["split", "-", "--line-breaks", "sometimes"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("auto, soft or hard"),
        "{err}"
    );
}

/// [`split_stdin`] with more arguments.
fn split_stdin_with(input: &str, lang: &str, extra: &[&str]) -> String {
    let mut child = bitext()
        .args(["split", "-", "--lang", lang])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bitext starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("bitext runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn russian_from_stdin_with_abbreviations_and_dialogue() {
    let input = "Г-н А.\u{a0}Жайчибеков прибыл 17\u{a0}мая 2018\u{a0}г. в г.\u{a0}Пекин. \
                 ШОС, т.\u{a0}е. организация, растет (напр. Индия). «Это работает», — сказал он.\n\n\
                 — Да, — ответил он. — А ты?";
    assert_eq!(
        split_stdin(input, "ru"),
        "Г-н А. Жайчибеков прибыл 17 мая 2018 г. в г. Пекин.\n\
         ШОС, т. е. организация, растет (напр. Индия).\n\
         «Это работает», — сказал он.\n\
         — Да, — ответил он.\n\
         — А ты?\n"
    );
}

#[test]
fn soft_breaks_are_joined_and_list_items_split() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("list.en.txt");
    std::fs::write(
        &path,
        "Mr. Smith said the U.S.\ndelegation agreed. It left.\n\nThe agenda:\n- drugs\n- precursors\n\nHeadline without a period",
    )
    .expect("write");
    let out = run_ok(&["split", s(&path), "--lang", "en"]);
    assert_eq!(
        out,
        "Mr. Smith said the U.S. delegation agreed.\nIt left.\nThe agenda:\n- drugs\n- precursors\nHeadline without a period\n"
    );
}

#[test]
fn blank_file_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("blank.txt");
    std::fs::write(&path, " \n\n").expect("write");
    let err = run_err(&["split", s(&path), "--lang", "ru"]);
    assert!(err.contains("blank.txt"), "{err}");
}
