//! JSON lines writer (serde_json): one object a unit, one unit a line.
//!
//! `{"src_ids":[1,2],"tgt_ids":[1],"src":"…","tgt":"…","score":0.9731,"type":"2-1"}` — sentence
//! ids are 0-based (as in the links format), the score is rounded to four decimals like the
//! other formats, and the text is the cleaned text every format gets. serde_json escapes `"`,
//! `\` and control characters, so any text is safe.

use std::io::{self, Write};

use serde::Serialize;

use super::Prepared;

/// One line of output.
#[derive(Serialize)]
struct Record<'a> {
    src_ids: Vec<usize>,
    tgt_ids: Vec<usize>,
    src: &'a str,
    tgt: &'a str,
    score: f64,
    #[serde(rename = "type")]
    kind: String,
}

/// Writes one JSON object a line.
pub(crate) fn write(units: &[Prepared<'_>], out: &mut dyn Write) -> io::Result<usize> {
    for p in units {
        let record = Record {
            src_ids: p.unit.src_ids.clone().collect(),
            tgt_ids: p.unit.tgt_ids.clone().collect(),
            src: &p.src,
            tgt: &p.tgt,
            score: (p.unit.score * 10_000.0).round() / 10_000.0 + 0.0,
            kind: p.unit.kind(),
        };
        // serde_json gives back the underlying I/O error (e.g. BrokenPipe) unchanged.
        serde_json::to_writer(&mut *out, &record).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
    }
    Ok(units.len())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{opts, render_str, sample, unit};
    use super::super::{ExportOptions, Format};

    #[test]
    fn exact_bytes() {
        let o = ExportOptions {
            keep_unaligned: true,
            min_score: 0.45,
            ..opts(Format::Jsonl)
        };
        let (text, warnings) = render_str(&sample(), &o);
        assert!(warnings.is_empty());
        assert!(
            text.contains("17\u{A0}мая"),
            "NBSP (raw in the literal below) is kept"
        );
        assert_eq!(
            text,
            concat!(
                r#"{"src_ids":[0],"tgt_ids":[0],"src":"The SCO met.","tgt":"ШОС собралась.","score":0.97,"type":"1-1"}"#,
                "\n",
                r#"{"src_ids":[1,2],"tgt_ids":[1],"src":"It met in Beijing. On 17 May.","tgt":"Она собралась в Пекине 17 мая.","score":0.9731,"type":"2-1"}"#,
                "\n",
                r#"{"src_ids":[3],"tgt_ids":[2,3],"src":"A & B <said> \"yes\".","tgt":"А и Б сказали «да». Вот.","score":0.88,"type":"1-2"}"#,
                "\n",
                r#"{"src_ids":[4],"tgt_ids":[],"src":"Extra.","tgt":"","score":0.5,"type":"1-0"}"#,
                "\n",
            )
        );
    }

    #[test]
    fn every_line_parses_and_control_characters_are_escaped() {
        let units = vec![unit(0..1, 0..1, "a\u{1}\"\\", "б\tв", 0.123456)];
        let (text, _) = render_str(&units, &opts(Format::Jsonl));
        assert_eq!(text.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(text.trim_end()).expect("JSON");
        assert_eq!(v["src"], "a\u{1}\"\\");
        assert_eq!(v["tgt"], "б\tв");
        assert_eq!(v["score"], 0.1235);
        assert!(text.contains(r#""src":"a\u0001\"\\""#), "{text}");
    }
}
