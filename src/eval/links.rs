//! Reader of the links format used by Bleualign's gold standard, vecalign, bertalign and the
//! bitext exporter (`--format links`): one link a line, a Python-style list of 0-based source
//! sentence indices, `:`, the list of target indices, and optionally `:` and a score.
//!
//! ```text
//! [0]:[0, 1]
//! [6, 7]:[9, 10]
//! []:[51]
//! [12]:[14]:0.165397
//! ```
//!
//! Spaces and tabs may surround every token, a list may end with a trailing comma (`[1, 2,]`, as
//! in Python), blank lines are skipped, a trailing CR and a UTF-8 byte-order mark are ignored.
//! The score is not used by the metric (only by the reliability table and `--min-score`, see
//! [`super::reliability`]) but must be a finite number when present. Anything else is an
//! [`ErrorKind::Syntax`](crate::error::ErrorKind::Syntax) error naming the file, the 1-based
//! line and the column. Indices are kept as written (order and repeats included); the
//! metric decides what identity means.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::error::{Error, Result};

/// Lines longer than this many bytes are rejected rather than buffered (over 100,000 sentence
/// indices in one link; no real alignment comes near it).
pub(crate) const MAX_LINE_BYTES: u64 = 1 << 20;

/// One line of a links file: source and target sentence indices, as written, and the score.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceLink {
    /// 0-based source sentence indices.
    pub src: Vec<u64>,
    /// 0-based target sentence indices.
    pub tgt: Vec<u64>,
    /// The optional third field (a system's cost or confidence); ignored by the metric.
    pub score: Option<f64>,
}

impl SentenceLink {
    /// A link without a score.
    pub fn new(src: Vec<u64>, tgt: Vec<u64>) -> SentenceLink {
        SentenceLink {
            src,
            tgt,
            score: None,
        }
    }
}

/// What is wrong with one line, and at which 1-based column (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based column of the offending character.
    pub column: usize,
    /// What is wrong, in words that name the column.
    pub message: String,
}

/// Reads and parses the links file at `path`.
pub(crate) fn read_file(path: &Path) -> Result<Vec<SentenceLink>> {
    read_file_with_lines(path).map(|(links, _)| links)
}

/// Reads and parses the links file at `path`; with each link, the 1-based line it is on
/// (the second vector, parallel to the first), so later checks can name the line.
pub(crate) fn read_file_with_lines(path: &Path) -> Result<(Vec<SentenceLink>, Vec<u64>)> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::input(path, "is a directory, not a links file"));
    }
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    parse_with_lines(path, BufReader::new(file))
}

/// Parses a links file from `reader`; `path` only names it in errors.
pub fn parse(path: &Path, reader: impl BufRead) -> Result<Vec<SentenceLink>> {
    parse_with_lines(path, reader).map(|(links, _)| links)
}

/// [`parse`], with the 1-based line of each link in a parallel vector.
pub fn parse_with_lines(
    path: &Path,
    mut reader: impl BufRead,
) -> Result<(Vec<SentenceLink>, Vec<u64>)> {
    let mut links = Vec::new();
    let mut lines = Vec::new();
    let mut buf = Vec::new();
    let mut line_no: u64 = 0;
    loop {
        buf.clear();
        let n = (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
        } else if n as u64 > MAX_LINE_BYTES {
            return Err(Error::syntax(
                path,
                line_no,
                format!("line is longer than {MAX_LINE_BYTES} bytes"),
            ));
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        let mut line: &[u8] = &buf;
        if line_no == 1 {
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        }
        match parse_line(line) {
            Ok(Some(link)) => {
                links.push(link);
                lines.push(line_no);
            }
            Ok(None) => {}
            Err(e) => return Err(Error::syntax(path, line_no, e.message)),
        }
    }
    Ok((links, lines))
}

/// Parses one line (without its line break); `Ok(None)` for a blank line.
pub fn parse_line(line: &[u8]) -> std::result::Result<Option<SentenceLink>, LineError> {
    let mut cur = Cursor {
        bytes: line,
        pos: 0,
    };
    cur.skip_ws();
    if cur.at_end() {
        return Ok(None);
    }
    cur.expect_open("source")?;
    let src = cur.list()?;
    cur.skip_ws();
    match cur.peek() {
        Some(b':') => cur.pos += 1,
        None => {
            return Err(cur.error(format!(
                "missing ':' between source and target at column {}",
                cur.column()
            )))
        }
        Some(_) => {
            return Err(cur.error(format!(
                "missing ':' between source and target: found {} at column {}",
                cur.describe_here(),
                cur.column()
            )))
        }
    }
    cur.skip_ws();
    cur.expect_open("target")?;
    let tgt = cur.list()?;
    cur.skip_ws();
    let score = match cur.peek() {
        None => None,
        Some(b':') => {
            cur.pos += 1;
            cur.skip_ws();
            Some(cur.score()?)
        }
        Some(_) => {
            return Err(cur.error(format!(
                "unexpected {} at column {} after the target list (expected ':' and a score, or \
                 the end of the line)",
                cur.describe_here(),
                cur.column()
            )))
        }
    };
    Ok(Some(SentenceLink { src, tgt, score }))
}

/// Longest token quoted in an error message, in characters.
const MAX_QUOTED_CHARS: usize = 24;

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// 1-based column of `pos` in characters (every byte before it is ASCII or counted as the
    /// start of a character).
    fn column_at(&self, pos: usize) -> usize {
        let before = &self.bytes[..pos.min(self.bytes.len())];
        // Count bytes that are not UTF-8 continuation bytes: characters of valid UTF-8, and one
        // column per stray byte otherwise.
        before.iter().filter(|&&b| (b & 0xC0) != 0x80).count() + 1
    }

    fn column(&self) -> usize {
        self.column_at(self.pos)
    }

    fn error(&self, message: String) -> LineError {
        LineError {
            column: self.column(),
            message,
        }
    }

    /// The character at the cursor, quoted for an error message.
    fn describe_here(&self) -> String {
        let rest = &self.bytes[self.pos.min(self.bytes.len())..];
        let Some(&first) = rest.first() else {
            return "the end of the line".to_string();
        };
        let len = match first {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        match rest.get(..len).map(std::str::from_utf8) {
            Some(Ok(s)) => format!("'{}'", s.escape_debug()),
            _ => format!("byte 0x{first:02X}"),
        }
    }

    fn expect_open(&mut self, side: &str) -> std::result::Result<(), LineError> {
        if self.peek() == Some(b'[') {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!(
                "expected '[' at column {} to open the {side} list, found {}",
                self.column(),
                self.describe_here()
            )))
        }
    }

    /// The bytes from the cursor up to the next delimiter (space, tab, ',', '[', ']', ':').
    fn token(&self) -> &[u8] {
        let rest = &self.bytes[self.pos.min(self.bytes.len())..];
        let end = rest
            .iter()
            .position(|b| matches!(b, b' ' | b'\t' | b',' | b'[' | b']' | b':'))
            .unwrap_or(rest.len());
        &rest[..end]
    }

    /// A list body after its '[', up to and including the ']'.
    fn list(&mut self) -> std::result::Result<Vec<u64>, LineError> {
        let open_column = self.column() - 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(items);
        }
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') && !items.is_empty() {
                // A trailing comma, as Python allows.
                self.pos += 1;
                return Ok(items);
            }
            items.push(self.index(open_column)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(items);
                }
                None => {
                    return Err(self.error(format!(
                        "the '[' at column {open_column} is not closed by ']'"
                    )))
                }
                Some(_) => {
                    return Err(self.error(format!(
                        "expected ',' or ']' at column {}, found {}",
                        self.column(),
                        self.describe_here()
                    )))
                }
            }
        }
    }

    fn index(&mut self, open_column: usize) -> std::result::Result<u64, LineError> {
        let token = self.token();
        if token.is_empty() {
            return Err(match self.peek() {
                None => self.error(format!(
                    "the '[' at column {open_column} is not closed by ']'"
                )),
                Some(_) => self.error(format!(
                    "expected a sentence index at column {}, found {}",
                    self.column(),
                    self.describe_here()
                )),
            });
        }
        if !token.iter().all(u8::is_ascii_digit) {
            return Err(self.error(format!(
                "{} at column {} is not a sentence index",
                quote(token),
                self.column()
            )));
        }
        let mut value: u64 = 0;
        for &d in token {
            value = match value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(d - b'0')))
            {
                Some(v) => v,
                None => {
                    return Err(self.error(format!(
                        "sentence index {} at column {} is too large",
                        quote(token),
                        self.column()
                    )))
                }
            };
        }
        self.pos += token.len();
        Ok(value)
    }

    /// The score: the rest of the line, trimmed, as a finite number.
    fn score(&mut self) -> std::result::Result<f64, LineError> {
        let rest = &self.bytes[self.pos.min(self.bytes.len())..];
        let end = rest
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t'))
            .map_or(0, |i| i + 1);
        let text = &rest[..end];
        if text.is_empty() {
            return Err(self.error(format!(
                "missing score after ':' at column {}",
                self.column()
            )));
        }
        let value = std::str::from_utf8(text)
            .ok()
            .filter(|s| s.bytes().all(|b| b.is_ascii_graphic()))
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|v| v.is_finite());
        match value {
            Some(v) => {
                self.pos += text.len();
                Ok(v)
            }
            None => Err(self.error(format!(
                "score {} at column {} is not a finite number",
                quote(text),
                self.column()
            ))),
        }
    }
}

/// A token quoted for an error message: escaped, shortened when long.
fn quote(token: &[u8]) -> String {
    let text = String::from_utf8_lossy(token);
    let mut out: String = text
        .chars()
        .take(MAX_QUOTED_CHARS)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().count() > MAX_QUOTED_CHARS {
        out.push('…');
    }
    format!("'{out}'")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use proptest::prelude::*;

    fn ok(line: &str) -> SentenceLink {
        match parse_line(line.as_bytes()) {
            Ok(Some(link)) => link,
            other => panic!("{line:?} -> {other:?}"),
        }
    }

    fn err(line: &[u8]) -> LineError {
        match parse_line(line) {
            Err(e) => e,
            other => panic!("{line:?} should fail, got {other:?}"),
        }
    }

    fn link(src: &[u64], tgt: &[u64], score: Option<f64>) -> SentenceLink {
        SentenceLink {
            src: src.to_vec(),
            tgt: tgt.to_vec(),
            score,
        }
    }

    #[test]
    fn valid_forms() {
        assert_eq!(ok("[0]:[0, 1]"), link(&[0], &[0, 1], None));
        assert_eq!(ok("[6, 7]:[9, 10]"), link(&[6, 7], &[9, 10], None));
        assert_eq!(ok("[]:[51]"), link(&[], &[51], None));
        assert_eq!(ok("[16]:[]"), link(&[16], &[], None));
        assert_eq!(ok("[]:[]"), link(&[], &[], None));
        assert_eq!(ok("[12]:[14]:0.165397"), link(&[12], &[14], Some(0.165397)));
        assert_eq!(ok("[0]:[0, 1]:-0.0111111").score, Some(-0.0111111));
        assert_eq!(ok("[3]:[4]:1e-3").score, Some(0.001));
        // What `bitext align --format links` writes.
        assert_eq!(ok("[0]:[0]:0.9700"), link(&[0], &[0], Some(0.97)));
        assert_eq!(ok("[4, 5]:[3]:1.0000"), link(&[4, 5], &[3], Some(1.0)));
        // Spaces and tabs anywhere between tokens, a trailing comma, leading zeros.
        assert_eq!(
            ok(" \t[ 1 ,2 , ] :\t[ 3 ] : 0.5 \t"),
            link(&[1, 2], &[3], Some(0.5))
        );
        assert_eq!(ok("[007]:[8]"), link(&[7], &[8], None));
        // Kept as written: order and repeats.
        assert_eq!(ok("[227, 218]:[198]"), link(&[227, 218], &[198], None));
        assert_eq!(ok("[3, 3]:[4]"), link(&[3, 3], &[4], None));
        assert_eq!(
            ok(&format!("[{}]:[0]", u64::MAX)),
            link(&[u64::MAX], &[0], None)
        );
    }

    #[test]
    fn blank_lines() {
        assert_eq!(parse_line(b""), Ok(None));
        assert_eq!(parse_line(b"  \t "), Ok(None));
    }

    #[test]
    fn errors_name_what_and_where() {
        let cases: &[(&[u8], usize, &str)] = &[
            (b"0]:[0]", 1, "expected '[' at column 1 to open the source list, found '0'"),
            (b"  x", 3, "expected '[' at column 3 to open the source list, found 'x'"),
            (b"[x]:[0]", 2, "'x' at column 2 is not a sentence index"),
            (b"[1x]:[0]", 2, "'1x' at column 2 is not a sentence index"),
            (b"[-1]:[0]", 2, "'-1' at column 2 is not a sentence index"),
            (b"[1.5]:[0]", 2, "'1.5' at column 2 is not a sentence index"),
            (b"[0]:[\xC3\xA9]", 6, "'\u{e9}' at column 6 is not a sentence index"),
            (b"[0] [0]", 5, "missing ':' between source and target: found '[' at column 5"),
            (b"[0]", 4, "missing ':' between source and target at column 4"),
            (b"[0]:0]", 5, "expected '[' at column 5 to open the target list, found '0'"),
            (b"[0]:", 5, "expected '[' at column 5 to open the target list, found the end of the line"),
            (b"[0 1]:[0]", 4, "expected ',' or ']' at column 4, found '1'"),
            (b"[0,,1]:[0]", 4, "expected a sentence index at column 4, found ','"),
            (b"[,]:[0]", 2, "expected a sentence index at column 2, found ','"),
            (b"[0]:[1", 7, "the '[' at column 5 is not closed by ']'"),
            (b"[0]:[1,", 8, "the '[' at column 5 is not closed by ']'"),
            (b"[0]:[1] x", 9, "unexpected 'x' at column 9 after the target list (expected ':' and a score, or the end of the line)"),
            (b"[0]:[1]:", 9, "missing score after ':' at column 9"),
            (b"[0]:[1]:abc", 9, "score 'abc' at column 9 is not a finite number"),
            (b"[0]:[1]:0.5:2", 9, "score '0.5:2' at column 9 is not a finite number"),
            (b"[0]:[1]:0.5 2", 9, "score '0.5 2' at column 9 is not a finite number"),
            (b"[0]:[1]:nan", 9, "score 'nan' at column 9 is not a finite number"),
            (b"[0]:[1]:inf", 9, "score 'inf' at column 9 is not a finite number"),
            (b"[18446744073709551616]:[0]", 2, "sentence index '18446744073709551616' at column 2 is too large"),
            (b"[\xFF]:[0]", 2, "'\u{FFFD}' at column 2 is not a sentence index"),
            (b"\xFF", 1, "expected '[' at column 1 to open the source list, found byte 0xFF"),
            (b"[0]:[1]\x00", 8, "unexpected '\\0' at column 8 after the target list (expected ':' and a score, or the end of the line)"),
        ];
        for &(line, column, message) in cases {
            let e = err(line);
            assert_eq!(e.message, message, "{}", String::from_utf8_lossy(line));
            assert_eq!(e.column, column, "{}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn long_tokens_are_shortened_in_messages() {
        let line = format!("[{}]:[0]", "y".repeat(1000));
        let e = err(line.as_bytes());
        assert!(e.message.len() < 100, "{}", e.message);
        assert!(e.message.contains('…'));
    }

    #[test]
    fn file_errors_carry_the_line_number() {
        let text = "[0]:[0]\n\n[1]:[1]\r\n[2]:[2\n[3]:[3]\n";
        let e = parse(Path::new("g.defr"), text.as_bytes()).unwrap_err();
        match e.kind() {
            ErrorKind::Syntax { path, line, .. } => {
                assert_eq!(path, Path::new("g.defr"));
                assert_eq!(*line, 4);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            e.to_string(),
            "g.defr:4: the '[' at column 5 is not closed by ']'"
        );
    }

    #[test]
    fn files_tolerate_cr_blank_lines_bom_and_no_final_newline() {
        let text = "\u{FEFF}[0]:[0, 1]\r\n\r\n  \n[1]:[]\r\n[]:[2]:0.5";
        let links = parse(Path::new("x"), text.as_bytes()).unwrap();
        assert_eq!(
            links,
            vec![
                link(&[0], &[0, 1], None),
                link(&[1], &[], None),
                link(&[], &[2], Some(0.5))
            ]
        );
        assert!(parse(Path::new("x"), &b""[..]).unwrap().is_empty());
        let (_, lines) = parse_with_lines(Path::new("x"), text.as_bytes()).unwrap();
        assert_eq!(lines, [1, 4, 5]);
    }

    #[test]
    fn a_bom_only_counts_on_the_first_line() {
        let e = parse(Path::new("x"), "[0]:[0]\n\u{FEFF}[1]:[1]\n".as_bytes()).unwrap_err();
        assert!(e.to_string().starts_with("x:2: expected '['"), "{e}");
    }

    #[test]
    fn overlong_lines_are_rejected_not_buffered() {
        let mut text = String::from("[0]:[0]\n[");
        while (text.len() as u64) < 2 * MAX_LINE_BYTES {
            text.push_str("1, ");
        }
        let e = parse(Path::new("big"), text.as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("big:2: line is longer than {MAX_LINE_BYTES} bytes")
        );
    }

    #[test]
    fn missing_files_and_directories_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_file(dir.path()).unwrap_err();
        assert!(e.to_string().contains(&dir.path().display().to_string()));
        assert!(e.to_string().contains("is a directory"), "{e}");
        let missing = dir.path().join("nope.align");
        let e = read_file(&missing).unwrap_err();
        assert!(
            e.to_string().starts_with(&missing.display().to_string()),
            "{e}"
        );
    }

    fn format_link(l: &SentenceLink) -> String {
        let side = |v: &[u64]| v.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
        match l.score {
            Some(s) => format!("[{}]:[{}]:{s}", side(&l.src), side(&l.tgt)),
            None => format!("[{}]:[{}]", side(&l.src), side(&l.tgt)),
        }
    }

    proptest! {
        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse(Path::new("g"), &bytes[..]);
        }

        #[test]
        fn near_miss_lines_never_panic(line in "[\\[\\]:, 0-9x\\-.e\t\r\n\u{e9}]{0,40}") {
            let _ = parse(Path::new("g"), line.as_bytes());
        }

        #[test]
        fn written_links_read_back(
            links in proptest::collection::vec(
                (proptest::collection::vec(any::<u64>(), 0..4),
                 proptest::collection::vec(any::<u64>(), 0..4),
                 proptest::option::of(-1e6f64..1e6)),
                0..20)
        ) {
            let links: Vec<SentenceLink> = links
                .into_iter()
                .map(|(src, tgt, score)| SentenceLink { src, tgt, score })
                .collect();
            let text: String = links.iter().map(|l| format_link(l) + "\n").collect();
            let back = parse(Path::new("p"), text.as_bytes()).unwrap();
            prop_assert_eq!(back, links);
        }
    }
}
