//! Subtitles: SubRip (`.srt`, the de-facto format of the SubRip program, as players read it)
//! and [W3C WebVTT](https://www.w3.org/TR/webvtt1/) (`.vtt`), one [`BlockKind::Cue`] block per
//! cue with its times in milliseconds.
//!
//! A cue's block holds only its text: the cue number or identifier, the timing line with its
//! settings (`position:10% align:start`, SubRip's `X1:...` coordinates) are dropped, and so
//! are WebVTT's header, `NOTE`, `STYLE` and `REGION` blocks. Styling tags go and their text
//! stays: `<i>`, `<b>`, `<u>`, `<font ...>`, WebVTT's `<c.class>`, `<v Speaker>` (the speaker's
//! name is not said, so it is dropped), `<lang ...>`, `<ruby>`, inline timestamps
//! `<00:00:01.000>`, and ASS override codes such as `{\an8}` that many SubRip files carry.
//! WebVTT's character references (`&amp;`, `&lt;`, `&gt;`, `&nbsp;`, `&lrm;`, `&rlm;`, numeric)
//! are decoded. The lines of a multi-line cue are joined by soft breaks.
//!
//! A timing line that does not parse is an error naming its file and line. A SubRip cue whose
//! text holds a blank line (a common slip) continues the cue before it.

use std::path::Path;

use super::input::{Block, BlockKind};
use crate::error::{Error, Result};

/// The cues of the SubRip file `text` (`path` names errors).
pub fn srt_blocks(text: &str, path: &Path) -> Result<Vec<Block>> {
    let text = lf(text);
    let mut out: Vec<Block> = Vec::new();
    for (first_line, lines) in chunks(&text) {
        // The cue number (optional in practice), then the timing line.
        let timing_at = lines.iter().take(2).position(|l| l.contains("-->"));
        let Some(at) = timing_at else {
            match out.last_mut() {
                // Text after a blank line inside a cue: more of that cue.
                Some(last) => {
                    let more = cue_text(&lines, false);
                    if !more.is_empty() {
                        last.text.push('\n');
                        last.text.push_str(&more);
                    }
                    continue;
                }
                None => {
                    return Err(Error::syntax(
                        path,
                        first_line,
                        "expected a cue number and a timing line `00:00:01,000 --> \
                         00:00:02,500`",
                    ))
                }
            }
        };
        let (start, end) = timing(lines[at], path, first_line + at as u64)?;
        out.push(Block::new(
            BlockKind::Cue { start, end },
            cue_text(&lines[at + 1..], false),
        ));
    }
    Ok(out)
}

/// The cues of the WebVTT file `text` (`path` names errors).
pub fn vtt_blocks(text: &str, path: &Path) -> Result<Vec<Block>> {
    let text = lf(text);
    let mut out = Vec::new();
    let mut chunks = chunks(&text);
    match chunks.first() {
        Some((_, lines))
            if lines[0] == "WEBVTT"
                || lines[0].starts_with("WEBVTT ")
                || lines[0].starts_with("WEBVTT\t") => {}
        _ => {
            return Err(Error::syntax(
                path,
                1,
                "a WebVTT file starts with the line `WEBVTT`",
            ))
        }
    }
    // The header (`WEBVTT` and its metadata lines) ends at the first blank line.
    chunks.remove(0);
    for (first_line, lines) in chunks {
        let head = lines[0];
        let keyword = |k: &str| {
            head == k || head.starts_with(&format!("{k} ")) || head.starts_with(&format!("{k}\t"))
        };
        if keyword("NOTE") || keyword("STYLE") || keyword("REGION") {
            continue;
        }
        // An optional cue identifier, then the timing line.
        let Some(at) = lines.iter().take(2).position(|l| l.contains("-->")) else {
            return Err(Error::syntax(
                path,
                first_line,
                "expected a cue: an optional identifier, then a timing line \
                 `00:00:01.000 --> 00:00:02.500`",
            ));
        };
        let (start, end) = timing(lines[at], path, first_line + at as u64)?;
        out.push(Block::new(
            BlockKind::Cue { start, end },
            cue_text(&lines[at + 1..], true),
        ));
    }
    Ok(out)
}

/// `text` with LF line ends (CRLF and a lone CR become LF) and no byte-order mark.
fn lf(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The blank-line separated chunks of `text` (LF line ends), each with its first line's
/// 1-based number; lines lose trailing white space.
fn chunks(text: &str) -> Vec<(u64, Vec<&str>)> {
    let mut out: Vec<(u64, Vec<&str>)> = Vec::new();
    let mut current: Option<(u64, Vec<&str>)> = None;
    for (i, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            out.extend(current.take());
            continue;
        }
        current
            .get_or_insert_with(|| (i as u64 + 1, Vec::new()))
            .1
            .push(line.trim_end());
    }
    out.extend(current);
    out
}

/// The start and end of a timing line `START --> END [settings]`, in milliseconds.
fn timing(line: &str, path: &Path, line_no: u64) -> Result<(u64, u64)> {
    let bad = |what: &str| {
        Error::syntax(
            path,
            line_no,
            format!(
                "{what} in the timing line `{line}` (expected `00:01:02,500 --> 00:01:04,000`)"
            ),
        )
    };
    let (start, rest) = line.split_once("-->").ok_or_else(|| bad("no `-->`"))?;
    let end = rest
        .split_whitespace()
        .next()
        .ok_or_else(|| bad("no end time"))?;
    let start = timecode(start.trim()).ok_or_else(|| bad("a bad start time"))?;
    let end = timecode(end).ok_or_else(|| bad("a bad end time"))?;
    if end < start {
        return Err(bad("the end before the start"));
    }
    Ok((start, end))
}

/// Milliseconds of a timecode `[HH:]MM:SS[,.]mmm` (SubRip's comma or WebVTT's period).
fn timecode(s: &str) -> Option<u64> {
    let (clock, frac) = s.split_once([',', '.'])?;
    if frac.is_empty() || frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis: u64 = format!("{frac:0<3}").parse().ok()?;
    let parts: Vec<&str> = clock.split(':').collect();
    let num = |p: &str, max: u64| -> Option<u64> {
        if p.is_empty() || p.len() > 2 && max < 100 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: u64 = p.parse().ok()?;
        (v < max).then_some(v)
    };
    let (h, m, sec) = match parts.as_slice() {
        [m, s] => (0, num(m, 60)?, num(s, 60)?),
        [h, m, s] if h.len() <= 6 => (num(h, 1_000_000)?, num(m, 60)?, num(s, 60)?),
        _ => return None,
    };
    Some(((h * 60 + m) * 60 + sec) * 1000 + millis)
}

/// The text of a cue's lines: tags and override codes dropped, lines joined by `\n`;
/// `vtt` decodes WebVTT's character references.
fn cue_text(lines: &[&str], vtt: bool) -> String {
    let mut out = String::new();
    for line in lines {
        let clean = strip_markup(line, vtt);
        let clean = clean.trim();
        if clean.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(clean);
    }
    out
}

/// `line` without `<tags>` and `{\override}` codes; WebVTT's `<rt>` annotations (ruby text)
/// dropped with them.
fn strip_markup(line: &str, vtt: bool) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut in_rt = false;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(close) = rest.find('>') {
                let tag = rest[1..close].trim().to_ascii_lowercase();
                if tag == "rt" || tag.starts_with("rt ") || tag.starts_with("rt.") {
                    in_rt = true;
                } else if tag == "/rt" {
                    in_rt = false;
                }
                rest = &rest[close + 1..];
                continue;
            }
        }
        if c == '{' && rest[1..].starts_with('\\') {
            if let Some(close) = rest.find('}') {
                rest = &rest[close + 1..];
                continue;
            }
        }
        if vtt && c == '&' {
            if let Some((decoded, len)) = reference(rest) {
                if !in_rt {
                    out.push(decoded);
                }
                rest = &rest[len..];
                continue;
            }
        }
        if !in_rt {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A WebVTT character reference at the start of `s`: the character and the bytes it takes.
fn reference(s: &str) -> Option<(char, usize)> {
    let end = s.find(';')?;
    if end > 10 {
        return None;
    }
    let name = &s[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "nbsp" => '\u{a0}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues(blocks: Vec<Block>) -> Vec<(u64, u64, String)> {
        blocks
            .into_iter()
            .map(|b| match b.kind {
                BlockKind::Cue { start, end } => (start, end, b.text),
                other => panic!("not a cue: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn srt_cues_without_numbers_times_or_tags() {
        let srt = "1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i> {\\an8}there,\r\n\
                   <font color=\"#fff\">two</font> lines.\r\n\r\n\
                   2\r\n00:00:03,000 --> 00:00:04,000 X1:10 X2:20 Y1:1 Y2:2\r\nSecond.\r\n\r\n\
                   Stray continuation.\r\n";
        let got = cues(srt_blocks(srt, Path::new("a.srt")).expect("parses"));
        assert_eq!(
            got,
            [
                (1000, 2500, "Hello there,\ntwo lines.".to_string()),
                (3000, 4000, "Second.\nStray continuation.".to_string()),
            ]
        );
    }

    #[test]
    fn vtt_cues_skip_header_notes_styles_and_regions() {
        let vtt = "WEBVTT - a film\nKind: captions\n\nNOTE a comment\nstill the note\n\n\
                   STYLE\n::cue { color: red }\n\nREGION\nid:r1\n\n\
                   intro\n00:01.000 --> 00:02.000 align:start position:10%\n\
                   <v Mary>Hi <c.loud>there</c> &amp; &lt;you&gt;</v>\n\n\
                   01:00:00.500 --> 01:00:01.000\n<ruby>漢<rt>kan</rt></ruby> <00:00:00.700>now\n";
        let got = cues(vtt_blocks(vtt, Path::new("a.vtt")).expect("parses"));
        assert_eq!(
            got,
            [
                (1000, 2000, "Hi there & <you>".to_string()),
                (3_600_500, 3_601_000, "漢 now".to_string()),
            ]
        );
    }

    #[test]
    fn bad_timecodes_are_errors_naming_the_line() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:61,000 --> 00:01:02,000\nbad\n";
        let err = srt_blocks(srt, Path::new("a.srt")).unwrap_err().to_string();
        assert!(err.starts_with("a.srt:6: a bad start time"), "{err}");
        let err = vtt_blocks("WEBVTT\n\n00:01.000 --> 00:00.500\nx\n", Path::new("b.vtt"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("b.vtt:3: the end before the start"),
            "{err}"
        );
        let err = vtt_blocks("1\n00:01.000 --> 00:02.000\n", Path::new("c.vtt"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("c.vtt:1:"), "{err}");
        let err = srt_blocks("hello\nworld\n", Path::new("d.srt"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("d.srt:1:"), "{err}");
    }

    #[test]
    fn timecodes() {
        assert_eq!(timecode("00:00:01,000"), Some(1000));
        assert_eq!(timecode("1:02:03.4"), Some(3_723_400));
        assert_eq!(timecode("02:03.045"), Some(123_045));
        for bad in [
            "",
            "1,000",
            "00:00:01",
            "00:60:00,000",
            "a:00:00,000",
            "00:00:01,1234",
        ] {
            assert_eq!(timecode(bad), None, "{bad}");
        }
    }
}

#[cfg(test)]
mod fixture_tests {
    use crate::read::read_file;

    /// The subtitle fixtures read as one paragraph a cue, their times kept beside them.
    #[test]
    fn fixture_cues_keep_their_times() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/web");
        for name in [
            "sco-paris-pact-beijing.en.srt",
            "sco-paris-pact-beijing.ru.srt",
            "sco-paris-pact-beijing.en.vtt",
            "sco-paris-pact-beijing.ru.vtt",
        ] {
            let doc = read_file(&dir.join(name)).expect("fixture reads");
            assert_eq!(doc.cues.len(), 13, "{name}");
            assert_eq!(doc.paragraphs.len(), 13, "{name}");
            assert_eq!(doc.cues[0].start, 2000, "{name}");
            for (i, pair) in doc.cues.windows(2).enumerate() {
                assert_eq!(pair[0].paragraph, i, "{name}");
                assert!(
                    pair[0].start < pair[0].end && pair[0].end <= pair[1].start,
                    "{name}"
                );
            }
        }
    }
}
