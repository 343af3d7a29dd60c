//! Reference copy of the rule engine as it was before the byte-level speed-up (commit
//! 8bb1291), kept for tests only: the property tests in `tests.rs` compare [`split`] with the
//! fast engine in `rules.rs` on random text, so any drift in the fast version fails a test.
//! Do not optimise or edit this file except to follow an intended change of the rules.
//!
//! Since issue 17 the decisions (terminator runs, boundaries, line breaks, list items inside
//! a sentence) are shared with `rules.rs` rather than copied: the rules grew past what two
//! copies could keep in step, and what this file checks is the fast engine's byte-skipping
//! main loop, which it still mirrors char by char.
//!
//! It may give way to golden outputs under the rule of `src/align/anchors/reference.rs`: when
//! it no longer compiles against the current types without rewriting its algorithm, or when
//! the rules are deliberately changed in a way it would have to re-implement; the last version
//! on which both engines agree then writes the golden splits of the fixtures and seeds.

use std::ops::Range;

use super::abbrev::Lexicon;
use super::rules::{decide, is_terminator, refine, rest_start, scan_run, Lines};
use super::LineBreaks;

/// Splits `text` into trimmed sentence spans with the word lists of one language (line
/// breaks read as [`LineBreaks::Auto`] reads them).
pub(crate) fn split(text: &str, lex: &Lexicon) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut emit = |span: Range<usize>| out.push(span);
    let mut key = String::new();
    let mut lines = Lines::new(LineBreaks::Auto);
    // Start of the current sentence, and the end of its last non-white-space character.
    let mut start: Option<usize> = None;
    let mut last = 0;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        let len = c.len_utf8();
        if c.is_whitespace() {
            if c == '\n' {
                if let Some(s) = start {
                    if lines.boundary(text, i) {
                        refine(text, s..last, &mut emit);
                        start = None;
                    }
                }
            }
            i += len;
            continue;
        }
        let s = *start.get_or_insert(i);
        if is_terminator(c) {
            let run = scan_run(text, i);
            last = run.end;
            if let Some(cut) = decide(text, s, i, &run, lex, &mut key) {
                refine(text, s..cut, &mut emit);
                start = rest_start(text, cut, run.end);
            }
            i = run.end;
            continue;
        }
        i += len;
        last = i;
    }
    if let Some(s) = start {
        refine(text, s..last, &mut emit);
    }
    out
}
