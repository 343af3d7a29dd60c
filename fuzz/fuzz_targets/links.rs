//! Links reader (`bitext::eval::links`) over arbitrary bytes.
//!
//! Invariants: never panics; line numbers are increasing and as many as the links; every
//! link parses alone with `parse_line` to the same value; the links written back in the
//! format's canonical form (`[0, 1]:[2]:0.5`) parse back to the same links.
#![no_main]

use std::fmt::Write;
use std::path::Path;

use bitext::eval::links::{parse, parse_line, parse_with_lines, SentenceLink};
use libfuzzer_sys::fuzz_target;

fn list(items: &[u64]) -> String {
    let items: Vec<String> = items.iter().map(u64::to_string).collect();
    format!("[{}]", items.join(", "))
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.links");
    let Ok((links, lines)) = parse_with_lines(path, data) else {
        return;
    };
    assert_eq!(links.len(), lines.len());
    assert!(
        lines.windows(2).all(|w| w[0] < w[1]),
        "line numbers not increasing"
    );
    let raw: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    for (link, &line) in links.iter().zip(&lines) {
        let mut text = raw[line as usize - 1];
        text = text.strip_suffix(b"\r").unwrap_or(text);
        if line == 1 {
            text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
        }
        assert_eq!(
            parse_line(text).ok().flatten().as_ref(),
            Some(link),
            "line {line}"
        );
        if let Some(s) = link.score {
            assert!(s.is_finite());
        }
    }
    let mut out = String::new();
    for l in &links {
        out.push_str(&list(&l.src));
        out.push(':');
        out.push_str(&list(&l.tgt));
        if let Some(s) = l.score {
            write!(out, ":{s}").expect("writing to a string");
        }
        out.push('\n');
    }
    let back: Vec<SentenceLink> = parse(path, out.as_bytes())
        .unwrap_or_else(|e| panic!("canonical form does not parse: {e}\n{out}"));
    assert_eq!(back, links, "{out}");
});
