//! Stream: JSON lines of whole document pairs in, JSON lines of scored links out.
//!
//! Input, one document pair a line (fields other than these three are ignored; blank lines
//! are skipped):
//!
//! ```text
//! {"id": "doc-1", "src": "The SCO met. ...", "tgt": "ШОС собралась. ..."}
//! ```
//!
//! `id` is a string or a number and is copied to every output line byte for byte as it was
//! given (read as raw JSON: `1e2`, `1.10` and 30-digit numbers are not reshaped); a UTF-8
//! byte-order mark before the first line is skipped. Output,
//! one link a line, documents in input order and links in document order: the record of the
//! JSON lines export ([`crate::export`]) with the id first,
//!
//! ```text
//! {"id":"doc-1","src_ids":[0],"tgt_ids":[0,1],"src":"…","tgt":"…","score":0.9731,"type":"1-2"}
//! ```
//!
//! with the same filters (`min_score`, `keep_unaligned`) and text cleaning. Lines are read in
//! chunks of at most [`StreamOptions::chunk_docs`] documents and [`StreamOptions::chunk_bytes`]
//! bytes; a chunk is aligned in parallel on the current rayon pool and written in order before
//! the next one is read, so memory is bounded by the chunk, never by the length of the stream.
//! A bad line (not UTF-8, not JSON, a missing or mistyped field, longer than the size limit)
//! or a pair that cannot be aligned is reported as an error naming `stdin:LINE` and skipped.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::path::Path;

use rayon::prelude::*;
use serde_json::value::RawValue;

use crate::error::{Error, Result, Warning};
use crate::export::{self, ExportOptions};
use crate::formats::Format;
use crate::read::Document;
use crate::run::pipeline::{self, Settings};
use crate::run::summary::{Outcome, PairStats, Summary};

/// How to run a stream.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Languages, splitting and aligner options.
    pub settings: Settings,
    /// Filters and text handling of the output (the format is always JSON lines).
    pub export: ExportOptions,
    /// The name errors give the input (`stdin`).
    pub name: String,
    /// A line longer than this many bytes is refused (and skipped without being stored).
    pub max_line_bytes: u64,
    /// At most this many documents are held at once.
    pub chunk_docs: usize,
    /// A chunk stops growing once its lines hold this many bytes.
    pub chunk_bytes: usize,
    /// Stop at the first bad line or failed document.
    pub fail_fast: bool,
}

impl Default for StreamOptions {
    fn default() -> StreamOptions {
        StreamOptions {
            settings: Settings::default(),
            export: ExportOptions::default(),
            name: "stdin".into(),
            max_line_bytes: crate::read::DEFAULT_MAX_INPUT_BYTES,
            chunk_docs: 4 * rayon::current_num_threads().max(1),
            chunk_bytes: 64 << 20,
            fail_fast: false,
        }
    }
}

/// Something to report about one input line: a warning, or the error that made it skipped.
#[derive(Debug)]
pub enum Problem {
    /// A warning of one of the stages or the writer.
    Warning(Warning),
    /// The line was skipped.
    Error(Error),
}

/// One parsed input line.
struct Pair {
    line: u64,
    /// The id's JSON text exactly as given (a number of any size or shape, a string as escaped).
    id: String,
    src: String,
    tgt: String,
}

/// One line read from the input.
enum Line {
    /// A pair to align.
    Pair(Pair),
    /// A line that cannot be used.
    Bad(Error),
}

/// Reads pairs from `input`, writes links to `output`, reports problems in input order through
/// `report`, and returns the totals (`elapsed` left at zero). Only an I/O error on the input or
/// the output stops the stream early (and `fail_fast`).
pub fn run(
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    options: &StreamOptions,
    report: &mut dyn FnMut(Problem),
) -> Result<Summary> {
    let export = ExportOptions {
        format: Format::Jsonl,
        ..options.export.clone()
    };
    export::validate(&export)?;
    let name = Path::new(&options.name);
    let mut summary = Summary::default();
    let mut line_no = 0u64;
    let mut buf = Vec::new();
    let mut at_end = false;
    while !at_end {
        // Read one chunk.
        let mut chunk = Vec::new();
        let mut bytes = 0usize;
        while chunk.len() < options.chunk_docs.max(1) && bytes < options.chunk_bytes {
            buf.clear();
            let read = read_line(input, &mut buf, options.max_line_bytes)
                .map_err(|e| Error::io(name, e))?;
            let Some(length) = read else {
                at_end = true;
                break;
            };
            line_no += 1;
            if length > options.max_line_bytes {
                chunk.push(Line::Bad(Error::syntax(
                    name,
                    line_no,
                    format!(
                        "the line is {length} bytes, over the limit of {} bytes; skipped",
                        options.max_line_bytes
                    ),
                )));
                continue;
            }
            if line_no == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
                // A UTF-8 byte-order mark (Windows editors write one) is not part of the JSON.
                buf.drain(..3);
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            bytes += buf.len();
            chunk.push(parse_line(&buf, name, line_no));
        }
        // Align it in parallel, keeping the order.
        let results: Vec<_> = chunk
            .into_par_iter()
            .map(|line| match line {
                Line::Bad(e) => (Err(e), Vec::new()),
                Line::Pair(pair) => align_pair(pair, &options.name, &options.settings, &export),
            })
            .collect();
        // Write it in order.
        for (result, warnings) in results {
            let n_warnings = warnings.len();
            for w in warnings {
                report(Problem::Warning(w));
            }
            match result {
                Ok((stats, text)) => {
                    output
                        .write_all(&text)
                        .map_err(|e| Error::io("<output>", e))?;
                    summary.add(&Outcome::Done(stats), n_warnings);
                }
                Err(e) => {
                    report(Problem::Error(e));
                    summary.failed += 1;
                    summary.warnings += n_warnings;
                }
            }
            if options.fail_fast && summary.failed > 0 {
                output.flush().map_err(|e| Error::io("<output>", e))?;
                return Ok(summary);
            }
        }
        output.flush().map_err(|e| Error::io("<output>", e))?;
    }
    Ok(summary)
}

/// Reads one line (without its `\n`) into `buf`, storing at most `limit` bytes; returns its
/// full length, or `None` at the end of the input. Memory stays bounded on any line length.
fn read_line(input: &mut dyn BufRead, buf: &mut Vec<u8>, limit: u64) -> io::Result<Option<u64>> {
    let mut length = 0u64;
    let mut any = false;
    loop {
        let available = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(any.then_some(length));
        }
        any = true;
        let (part, used, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..i], i + 1, true),
            None => (available, available.len(), false),
        };
        // Keep up to one byte past the limit, so that an over-long line is never stored whole.
        let room = limit.saturating_add(1).saturating_sub(buf.len() as u64);
        let keep = part.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        buf.extend_from_slice(&part[..keep]);
        length += part.len() as u64;
        input.consume(used);
        if done {
            if buf.len() as u64 == length && buf.last() == Some(&b'\r') {
                buf.pop();
                length -= 1;
            }
            return Ok(Some(length));
        }
    }
}

/// Parses one input line into a pair, or an error naming `name:line` and what is wrong.
fn parse_line(bytes: &[u8], name: &Path, line: u64) -> Line {
    let bad = |message: String| Line::Bad(Error::syntax(name, line, message));
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return bad(format!(
                "invalid UTF-8 at byte {} of the line",
                e.valid_up_to()
            ))
        }
    };
    // Read as raw JSON texts, not `Value`s: a number is kept as written (a 30-digit id, `1e2`,
    // `1.10`, even `1e400`, which `Value` would round, reshape or refuse).
    let raw: &RawValue = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let what = e.to_string();
            let what = what
                .rsplit_once(" at line ")
                .map_or(what.as_str(), |(w, _)| w);
            return bad(format!("not JSON ({what} at column {})", e.column()));
        }
    };
    if kind(raw) != "an object" {
        return bad(format!(
            "expected a JSON object with \"id\", \"src\" and \"tgt\", got {}",
            kind(raw)
        ));
    }
    // Repeated keys: the last one counts.
    let mut object: HashMap<String, &RawValue> = match serde_json::from_str(raw.get()) {
        Ok(o) => o,
        Err(e) => return bad(format!("not a JSON object ({e})")),
    };
    let id = match object.remove("id") {
        Some(id) if matches!(kind(id), "a string" | "a number") => id.get().to_string(),
        Some(other) => {
            return bad(format!(
                "\"id\" must be a string or a number, got {}",
                kind(other)
            ))
        }
        None => return bad("missing field \"id\"".into()),
    };
    let mut field = |key: &str| match object.remove(key) {
        Some(v) if kind(v) == "a string" => {
            serde_json::from_str::<String>(v.get()).map_err(|e| format!("\"{key}\": {e}"))
        }
        Some(other) => Err(format!("\"{key}\" must be a string, got {}", kind(other))),
        None => Err(format!("missing field \"{key}\"")),
    };
    let src = match field("src") {
        Ok(s) => s,
        Err(m) => return bad(m),
    };
    let tgt = match field("tgt") {
        Ok(s) => s,
        Err(m) => return bad(m),
    };
    Line::Pair(Pair { line, id, src, tgt })
}

/// A raw JSON value's kind, for messages (from its first character: the value is valid JSON).
fn kind(v: &RawValue) -> &'static str {
    match v.get().trim_start().bytes().next() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// The counts and output lines of one aligned document.
type Aligned = std::result::Result<(PairStats, Vec<u8>), Error>;

/// Aligns one pair and renders its links, each record with the id first.
fn align_pair(
    pair: Pair,
    name: &str,
    settings: &Settings,
    export: &ExportOptions,
) -> (Aligned, Vec<Warning>) {
    let src = Document::from_text(format!("{name}:{}:src", pair.line), pair.src);
    let tgt = Document::from_text(format!("{name}:{}:tgt", pair.line), pair.tgt);
    let mut aligned = match pipeline::align_documents(src, tgt, settings) {
        Ok(a) => a,
        Err(e) => return (Err(e.error), e.warnings),
    };
    let mut warnings = std::mem::take(&mut aligned.warnings);
    // The id exactly as it was read (a string as escaped, a number as given), first in every
    // record.
    let id = match RawValue::from_string(pair.id) {
        Ok(id) => id,
        Err(e) => {
            return (
                Err(Error::usage(format!("{name}:{}: id: {e}", pair.line))),
                warnings,
            )
        }
    };
    let mut out = Vec::new();
    let written = match export::write_stream_records(&aligned.units, export, &id, &mut out) {
        Ok(w) => w,
        Err(e) => return (Err(e), warnings),
    };
    warnings.extend(written.warnings);
    let stats = PairStats {
        written: written.units,
        ..PairStats::of(&aligned)
    };
    (Ok((stats, out)), warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn stream(input: &str, options: &StreamOptions) -> (String, Vec<String>, Summary) {
        let mut out = Vec::new();
        let mut problems = Vec::new();
        let summary = run(
            &mut io::Cursor::new(input.as_bytes().to_vec()),
            &mut out,
            options,
            &mut |p| {
                problems.push(match p {
                    Problem::Warning(w) => format!("warning: {w}"),
                    Problem::Error(e) => format!("error: {e}"),
                })
            },
        )
        .expect("stream runs");
        (String::from_utf8(out).expect("UTF-8"), problems, summary)
    }

    fn line(id: &str, src: &str, tgt: &str) -> String {
        format!(
            "{{\"id\":{id},\"src\":{},\"tgt\":{}}}\n",
            Value::from(src),
            Value::from(tgt)
        )
    }

    const EN: &str = "The SCO met in Beijing. It was chaired by China.";
    const RU: &str = "ШОС собралась в Пекине. Председательствовал Китай.";

    #[test]
    fn links_come_out_in_input_order_with_their_ids_across_chunks() {
        let mut input = String::new();
        for i in 0..7 {
            input.push_str(&line(&i.to_string(), EN, RU));
        }
        input.push_str(&line(
            "\"last \\\"one\\\"\"",
            "One sentence.",
            "Одно предложение.",
        ));
        let options = StreamOptions {
            chunk_docs: 3,
            ..StreamOptions::default()
        };
        let (out, problems, summary) = stream(&input, &options);
        assert!(problems.is_empty(), "{problems:?}");
        let records: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect();
        assert_eq!(records.len(), 15);
        let ids: Vec<String> = records.iter().map(|r| r["id"].to_string()).collect();
        assert_eq!(ids[0], "0");
        assert_eq!(ids[1], "0");
        assert_eq!(ids[13], "6");
        assert_eq!(ids[14], "\"last \\\"one\\\"\"");
        assert_eq!(records[1]["src"], "It was chaired by China.");
        assert_eq!(records[1]["src_ids"], serde_json::json!([1]));
        assert_eq!(records[1]["type"], "1-1");
        assert!(out.starts_with("{\"id\":0,\"src_ids\":[0],"), "{out}");
        assert_eq!((summary.done, summary.failed), (8, 0));
        assert_eq!(summary.totals.links, 15);
    }

    #[test]
    fn ids_are_copied_byte_for_byte_and_a_leading_bom_is_accepted() {
        let ids = [
            "123456789012345678901234567890",
            "123456789012345678901234567891",
            "1e2",
            "1.10",
            "-0",
            "1e400",
            "18446744073709551616",
            "\"doc \\u0041 \\\"q\\\"\"",
        ];
        let mut input = String::from("\u{FEFF}");
        for id in ids {
            input.push_str(&line(id, "Hello.", "Привет."));
        }
        let (out, problems, summary) = stream(&input, &StreamOptions::default());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(summary.done, ids.len());
        let got: Vec<&str> = out
            .lines()
            .map(|l| {
                let rest = l.strip_prefix("{\"id\":").unwrap_or("");
                &rest[..rest.find(",\"src_ids\"").unwrap_or(0)]
            })
            .collect();
        assert_eq!(got, ids);
        // A BOM anywhere but at the start of the stream is still an error.
        let (_, problems, _) = stream(
            &format!("{}\u{FEFF}{}", line("1", "A.", "Б."), line("2", "A.", "Б.")),
            &StreamOptions::default(),
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn bad_lines_are_named_and_skipped() {
        let input = [
            line("1", EN, RU),
            "<html>\n".to_string(),
            "\n".to_string(),
            "{\"id\":2,\"src\":\"A.\"}\n".to_string(),
            "{\"id\":[3],\"src\":\"A.\",\"tgt\":\"Б.\"}\n".to_string(),
            "[1,2]\n".to_string(),
            "{\"id\":4,\"src\":\"A.\",\"tgt\":5}\n".to_string(),
            "{\"id\":5,\"src\":\"A.\",\"tgt\":\"Б.\"\n".to_string(),
            line("6", EN, RU),
            line("7", "  ", RU),
        ]
        .concat();
        let (out, problems, summary) = stream(&input, &StreamOptions::default());
        assert_eq!(
            problems,
            [
                "error: stdin:2: not JSON (expected value at column 1)",
                "error: stdin:4: missing field \"tgt\"",
                "error: stdin:5: \"id\" must be a string or a number, got an array",
                "error: stdin:6: expected a JSON object with \"id\", \"src\" and \"tgt\", got an \
                 array",
                "error: stdin:7: \"tgt\" must be a string, got a number",
                "error: stdin:8: not JSON (EOF while parsing an object at column 30)",
                "error: stdin:10:src: the document holds no text",
            ]
        );
        let ids: Vec<&str> = out.lines().map(|l| &l[..8]).collect();
        assert_eq!(
            ids,
            ["{\"id\":1,", "{\"id\":1,", "{\"id\":6,", "{\"id\":6,"]
        );
        assert_eq!((summary.done, summary.failed), (2, 7));
    }

    #[test]
    fn fail_fast_stops_at_the_first_bad_line() {
        let input = [line("1", EN, RU), "nope\n".into(), line("3", EN, RU)].concat();
        let options = StreamOptions {
            fail_fast: true,
            ..StreamOptions::default()
        };
        let (out, problems, summary) = stream(&input, &options);
        assert_eq!(out.lines().count(), 2);
        assert_eq!(problems.len(), 1);
        assert_eq!((summary.done, summary.failed), (1, 1));
    }

    #[test]
    fn long_lines_are_refused_without_being_stored() {
        let long = line("2", &"x".repeat(500), RU);
        let input = [line("1", EN, RU), long.clone(), line("3", EN, RU)].concat();
        let options = StreamOptions {
            max_line_bytes: 200,
            ..StreamOptions::default()
        };
        let (out, problems, _) = stream(&input, &options);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with(&format!(
                "error: stdin:2: the line is {} bytes",
                long.len() - 1
            )),
            "{problems:?}"
        );
        assert!(
            problems[0].contains("over the limit of 200 bytes"),
            "{problems:?}"
        );
        assert_eq!(out.lines().count(), 4);
    }

    #[test]
    fn read_line_bounds_what_it_stores() {
        let mut input = io::Cursor::new(b"short\r\nlonger line\nlast".to_vec());
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut input, &mut buf, 100).expect("io"), Some(5));
        assert_eq!(buf, b"short");
        buf.clear();
        assert_eq!(read_line(&mut input, &mut buf, 3).expect("io"), Some(11));
        assert!(buf.len() <= 4, "{buf:?}");
        buf.clear();
        assert_eq!(read_line(&mut input, &mut buf, 100).expect("io"), Some(4));
        assert_eq!(buf, b"last");
        buf.clear();
        assert_eq!(read_line(&mut input, &mut buf, 100).expect("io"), None);
    }
}
