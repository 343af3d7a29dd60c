//! What the binary says on standard error, in one format for every command:
//! `bitext: error: FILE:LINE:COL: message`, `bitext: warning: ...`, `bitext: note: ...`, summary
//! lines `bitext: ...`, and with `-v` `bitext: info: ...`. `-q` keeps only errors.

use std::fmt::Display;
use std::sync::atomic::{AtomicU8, Ordering};

use bitext::Warning;

/// How much is said: 0 quiet (errors only), 1 normal, 2 verbose.
static LEVEL: AtomicU8 = AtomicU8::new(1);

/// Sets the level from `-q` and the number of `-v`.
pub fn set_level(quiet: bool, verbose: u8) {
    let level = if quiet { 0 } else { 1 + verbose.min(1) };
    LEVEL.store(level, Ordering::Relaxed);
}

fn level() -> u8 {
    LEVEL.load(Ordering::Relaxed)
}

/// True with `-q`.
pub fn quiet() -> bool {
    level() == 0
}

/// True with `-v`.
pub fn verbose() -> bool {
    level() >= 2
}

/// An error (always printed).
pub fn error(message: impl Display) {
    eprintln!("bitext: error: {message}");
}

/// A warning about something changed or dropped.
pub fn warning(warning: &Warning) {
    if level() >= 1 {
        eprintln!("bitext: warning: {warning}");
    }
}

/// Every warning of a list.
pub fn warnings(list: &[Warning]) {
    for w in list {
        warning(w);
    }
}

/// A remark that is neither a problem nor a result (`--threads` capped, say).
pub fn note(message: impl Display) {
    if level() >= 1 {
        eprintln!("bitext: note: {message}");
    }
}

/// A summary line of what a command did.
pub fn summary(message: impl Display) {
    if level() >= 1 {
        eprintln!("bitext: {message}");
    }
}

/// Detail printed only with `-v`.
pub fn info(message: impl Display) {
    if verbose() {
        eprintln!("bitext: info: {message}");
    }
}

/// An error and its causes as one line, each cause once: a cause whose text the message
/// already holds (an I/O error wrapped with its path) is not repeated.
pub fn error_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn each_cause_is_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let err: anyhow::Error = bitext::Error::io("missing.txt", io).into();
        assert_eq!(error_line(&err), "missing.txt: No such file or directory");
        let err = Err::<(), _>(err)
            .context("cannot read the manifest")
            .expect_err("error");
        assert_eq!(
            error_line(&err),
            "cannot read the manifest: missing.txt: No such file or directory"
        );
    }
}
