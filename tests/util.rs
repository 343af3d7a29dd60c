//! Helpers shared by the CLI tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// True when `program` can be used; when it cannot, prints a note and returns false locally,
/// but panics when the environment variable `CI` is set (CI must run every check).
pub fn tool_available(program: &str, found: bool, why: &str) -> bool {
    if found {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{program} is required in CI ({why}) but is not available");
    }
    eprintln!("note: skipping {why}: {program} is not available (install it to run this check)");
    false
}

/// `xmllint` for DTD validation, or `None` (after a note; a panic under CI) when it is missing.
pub fn xmllint() -> Option<&'static str> {
    tool_available("xmllint", have("xmllint"), "TMX validation with xmllint").then_some("xmllint")
}

/// The Python interpreter for translate-toolkit checks: `$BITEXT_PYTHON`, else `python3`;
/// `None` (after a note; a panic under CI) when it cannot import `translate.storage.tmx`.
pub fn python_with_translate_toolkit() -> Option<String> {
    let python = std::env::var("BITEXT_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let found = Command::new(&python)
        .args(["-c", "import translate.storage.tmx"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    tool_available(
        &format!("{python} with translate-toolkit"),
        found,
        "loading TMX with translate-toolkit",
    )
    .then_some(python)
}

/// A fresh temporary directory, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}
