//! Helpers shared by the CLI tests.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under `fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// `../shared/` beside the repository (present on developer machines and in CI).
pub fn shared() -> PathBuf {
    root().join("..").join("shared")
}

/// The TMX 1.4 DTD vendored in `fixtures/spec/` (see `fixtures/README.md`).
pub fn tmx_dtd() -> PathBuf {
    fixture("spec").join("tmx14.dtd")
}

/// The public Text+Berg DE-FR gold set of Bleualign in `../shared/data/bleualign/` (GPL, not
/// vendored), or `None` after [`skip`] when it is absent.
pub fn bleualign() -> Option<PathBuf> {
    let dir = shared().join("data").join("bleualign");
    if dir.join("test0.defr").is_file() {
        return Some(dir);
    }
    skip(&format!(
        "Text+Berg gold set {} not found (GPL, not vendored; README: \"Optional data and \
         checkers\")",
        dir.display()
    ));
    None
}

/// Reasons already reported by [`skip`], each with its test, so a check skipped in a loop
/// prints one line.
static SKIPPED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Reports that the current test cannot run a check, because data or a tool is missing.
///
/// Under `CI` (the environment variable set) it panics: CI must run every check. Otherwise it
/// writes `skipped: TEST: REASON` once per test and reason to the process's stderr handle
/// itself, which the test harness does not capture (it captures `eprintln!`), so the line
/// shows in a plain `cargo test`.
pub fn skip(reason: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("required in CI (the environment variable CI is set): {reason}");
    }
    let thread = std::thread::current();
    let test = thread.name().filter(|n| *n != "main").unwrap_or("a test");
    let line = format!("skipped: {test}: {reason}");
    let first = SKIPPED
        .lock()
        .map(|mut seen| seen.insert(line.clone()))
        .unwrap_or(true);
    if first {
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

/// A `bitext` command ready to take arguments.
pub fn bitext() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bitext"))
}

/// Runs `bitext ARGS` and returns its output.
pub fn run(args: &[&str]) -> Output {
    bitext().args(args).output().expect("bitext runs")
}

/// Runs `bitext ARGS`, asserts success and returns stdout as text.
pub fn run_ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "bitext {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Runs `bitext ARGS`, asserts failure with a one-line error on stderr, and returns it.
pub fn run_err(args: &[&str]) -> String {
    let out = run(args);
    assert!(!out.status.success(), "bitext {args:?} should fail");
    let stderr = String::from_utf8(out.stderr).expect("UTF-8 stderr");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("bitext: error:"))
        .collect();
    assert_eq!(errors.len(), 1, "expected one error line, got: {stderr}");
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    errors[0].to_string()
}

/// True when an external program is on PATH.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// A path as a `&str` for argument lists.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// True when `program` can be used; when it cannot, [`skip`]s (a visible line locally, a
/// panic when the environment variable `CI` is set) and returns false.
pub fn tool_available(program: &str, found: bool, why: &str) -> bool {
    if !found {
        skip(&format!(
            "{why}: {program} not found (README: \"Optional data and checkers\")"
        ));
    }
    found
}

/// `xmllint` for DTD validation, or `None` (after [`skip`]; a panic under CI) when it is missing.
pub fn xmllint() -> Option<&'static str> {
    tool_available(
        "xmllint (Debian package libxml2-utils)",
        have("xmllint"),
        "TMX validation against the TMX 1.4 DTD",
    )
    .then_some("xmllint")
}

/// The Python interpreter for translate-toolkit checks: `$BITEXT_PYTHON`, else `python3`;
/// `None` (after [`skip`]; a panic under CI) when it cannot import `translate.storage.tmx`.
pub fn python_with_translate_toolkit() -> Option<String> {
    let python = std::env::var("BITEXT_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let found = Command::new(&python)
        .args(["-c", "import translate.storage.tmx"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    tool_available(
        &format!("{python} with translate-toolkit (set BITEXT_PYTHON to a Python that has it)"),
        found,
        "loading TMX with translate-toolkit",
    )
    .then_some(python)
}

/// A fresh temporary directory, removed when dropped.
/// Writes the cue texts of subtitle file `subtitles`, without numbers, timings or a WebVTT
/// header, to `out` as plain text, one paragraph a cue; returns `out`.
pub fn subtitle_lines_as_text(subtitles: &Path, out: PathBuf) -> PathBuf {
    let text = std::fs::read_to_string(subtitles).expect("subtitles");
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.contains("-->") && l.parse::<u32>().is_err() && *l != "WEBVTT" && !l.is_empty()
        })
        .collect();
    std::fs::write(&out, lines.join("\n\n")).expect("write");
    out
}

pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}
