//! Helpers for the unit tests that need data or tools from outside the repository.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;

/// The TMX 1.4 DTD vendored in `fixtures/spec/` (provenance in `fixtures/README.md`).
pub(crate) fn tmx_dtd() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/spec/tmx14.dtd")
}

/// Lines already written by [`skip`], so a check skipped in a loop prints one line a test.
static SKIPPED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Reports that the current test cannot run a check because data or a tool is missing.
///
/// Under `CI` (the environment variable set) it panics: CI must run every check. Otherwise it
/// writes `skipped: TEST: REASON` to the process's stderr handle itself, which the test harness
/// does not capture (it captures `eprintln!`), so the line shows in a plain `cargo test`.
pub(crate) fn skip(reason: &str) {
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
