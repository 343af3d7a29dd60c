//! The `--stream` input (`bitext::run::stream::run`): JSON lines of document pairs, read through
//! a small buffer with a small line limit and small chunks, aligned and written as JSON lines.
//!
//! Invariants: never panics; a BOM at the very start is not part of the first line; every line
//! that is not blank (or is over the limit) is either done or reported failed, exactly once; a line can only be done when it is a JSON object
//! with a string or number `id` and string `src` and `tgt`; every output line is a JSON object
//! whose `id` is one of the done ids, in input order.
#![no_main]

use std::io::BufReader;

use bitext::run::stream::{run, Problem, StreamOptions};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// The line limit (bytes) given to the stream.
const LIMIT: u64 = 300;

/// The lines `run` must count (length over the limit, or not all white space), and the ids of
/// those that are well-formed pairs.
fn model(data: &[u8]) -> (usize, Vec<Value>) {
    let mut counted = 0;
    let mut ids = Vec::new();
    // A BOM before the first line is skipped, as a file saved by Notepad starts with one.
    let mut rest = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    while !rest.is_empty() {
        let (mut line, terminated, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], true, &rest[i + 1..]),
            None => (rest, false, &rest[rest.len()..]),
        };
        rest = next;
        if terminated {
            line = line.strip_suffix(b"\r").unwrap_or(line);
        }
        if line.len() as u64 > LIMIT {
            counted += 1;
            continue;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        counted += 1;
        let Ok(Value::Object(o)) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        let id = o.get("id");
        let ok = matches!(id, Some(Value::String(_) | Value::Number(_)))
            && matches!(o.get("src"), Some(Value::String(_)))
            && matches!(o.get("tgt"), Some(Value::String(_)));
        if let (true, Some(id)) = (ok, id) {
            ids.push(id.clone());
        }
    }
    (counted, ids)
}

fuzz_target!(|data: &[u8]| {
    let options = StreamOptions {
        max_line_bytes: LIMIT,
        chunk_docs: 2,
        chunk_bytes: 200,
        ..StreamOptions::default()
    };
    let mut input = BufReader::with_capacity(5, data);
    let mut output = Vec::new();
    let mut errors = 0;
    let summary = run(&mut input, &mut output, &options, &mut |p| {
        if let Problem::Error(_) = p {
            errors += 1;
        }
    })
    .expect("only I/O errors stop a stream, and memory does not fail");
    let (counted, ids) = model(data);
    assert_eq!(summary.done + summary.failed, counted, "lines counted");
    assert_eq!(summary.failed, errors, "every failure reported once");
    assert!(summary.done <= ids.len(), "done lines that are not pairs");
    let text = std::str::from_utf8(&output).expect("output is UTF-8");
    let mut next = 0;
    for line in text.lines() {
        let Ok(Value::Object(o)) = serde_json::from_str::<Value>(line) else {
            panic!("output line is not a JSON object: {line}");
        };
        let id = o.get("id").expect("output line without id");
        let at = ids[next..]
            .iter()
            .position(|i| i == id)
            .unwrap_or_else(|| panic!("id {id} out of order or unknown"));
        next += at;
    }
});
