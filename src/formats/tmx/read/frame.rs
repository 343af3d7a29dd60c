//! Framing: whole `<tu>` elements taken from the input as bytes, without parsing them, so that
//! they can be parsed on other threads ([`TmxReader::fragment`]) while the input is read on.
//!
//! The scan follows quick-xml's tokenisation exactly where it matters for where a unit ends:
//! text runs to the next `<`; a start, empty or end tag to the first `>` outside quotes (empty
//! when the byte before it is `/`); comments and CDATA sections to the first `-->` and `]]>`
//! after their opening, processing instructions to the first `?>` after the `<`. Between units it takes white space, comments and
//! processing instructions; anything else (`</body>`, text, another element, a DOCTYPE, a
//! unit whose end tag is not a plain `</tu>`, the end of the input or a read error) ends the
//! framing for good, unconsumed, and the parser reads the rest itself: the same bytes at the
//! same positions give the same units, errors and warnings either way.

use std::io::Read;

use memchr::memmem;

use super::{Header, PathBuf, ReadOptions, TmxReader, Warning, BODY_DEPTH};
use crate::formats::source::{Decoded, Pos, Tracker};

/// What the warning about a `<tuv>` with the legacy `lang=` says (once per file).
pub(super) const LEGACY_LANG: &str = "<tuv> uses the legacy lang= attribute (TMX 1.1-1.3)";

/// What the warning about a foreign element in a `<seg>` says after its name (once per file).
pub(super) const FOREIGN_INLINE: &str = " inside <seg> is not TMX inline markup";

/// For a warning the reader gives once per file, which one it is: readers of parts of one
/// file ([`TmxReader::fragment`]) each give it, and all but the first are dropped.
pub(crate) fn once_per_file(warning: &Warning) -> Option<usize> {
    let message = &warning.message;
    if !message.ends_with("(reported once per file)") {
        return None;
    }
    [LEGACY_LANG, FOREIGN_INLINE]
        .iter()
        .position(|what| message.contains(what))
}

/// Units taken from the input by [`TmxReader::frame`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Frame {
    /// The position, in the file, of the first byte framed.
    pub(crate) at: Pos,
    /// The units before the first one framed.
    pub(crate) units_before: u64,
    /// The units framed.
    pub(crate) units: u64,
}

impl<R: Read> TmxReader<R> {
    /// Moves whole units from the input to `out` (cleared first), until it holds at least
    /// `max_bytes` or something else comes (see the [module docs](self)); `None` when no unit
    /// was framed, after which framing stays over and the reader parses the rest itself. Only
    /// between units of `<body>`, right after a tag: elsewhere framing is over at once.
    pub(crate) fn frame(&mut self, out: &mut Vec<u8>, max_bytes: usize) -> Option<Frame> {
        out.clear();
        if self.framing_over
            || self.done
            || self.current_unit.is_some()
            || self.depth != BODY_DEPTH
            || !self.after_tag
        {
            self.framing_over = true;
            return None;
        }
        let tracker = self.xml.get_mut();
        let start = tracker.checkpoint();
        let at = tracker.position_of(start);
        let mut units = 0;
        while out.len() < max_bytes {
            let len = match unit_len(tracker.window()) {
                Ok(len) => len,
                Err(Scan::Incomplete { unit_at }) => {
                    // The unit shares one budget from its `<tu`, as the parser gives it
                    // (what comes before it, from the read position).
                    let from = tracker.offset() + unit_at.unwrap_or(0) as u64;
                    tracker.start_budget(from);
                    // The window at least doubles before the unit is scanned again from its
                    // start (a unit of n bytes costs O(n), not O(n²) in chunks), as far as
                    // the limit leaves room: never reading past it only because of framing.
                    let want = 2 * tracker.window().len();
                    let mut grew = false;
                    while !grew || (tracker.window().len() < want && tracker.room_for_more()) {
                        if !matches!(tracker.more(), Ok(true)) {
                            break;
                        }
                        grew = true;
                    }
                    if grew {
                        continue;
                    }
                    self.framing_over = true;
                    break;
                }
                Err(Scan::Other) => {
                    self.framing_over = true;
                    break;
                }
            };
            out.extend_from_slice(&tracker.window()[..len]);
            std::io::BufRead::consume(tracker, len);
            tracker.checkpoint();
            units += 1;
        }
        let units_before = self.units_seen;
        self.units_seen += units;
        self.xml_drift += out.len() as u64;
        (units > 0).then_some(Frame {
            at,
            units_before,
            units,
        })
    }
}

/// Why [`unit_len`] found no unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    /// The bytes end before the unit does; `unit_at`: where its `<tu` starts, once seen.
    Incomplete { unit_at: Option<usize> },
    /// Something else than a unit comes first (see the [module docs](self)).
    Other,
}

/// The length of what `w` starts with, up to the end of the first unit (white space,
/// comments and processing instructions before it included).
fn unit_len(w: &[u8]) -> Result<usize, Scan> {
    let more = |unit_at| Scan::Incomplete { unit_at };
    let mut i = 0;
    // Before the unit.
    loop {
        while w
            .get(i)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            i += 1;
        }
        let head = w.get(i..i + 4).ok_or(more(None))?;
        if head[0] != b'<' {
            return Err(Scan::Other);
        }
        if head == b"<!--" {
            i = after(w, i + 4, b"-->").ok_or(more(None))?;
        } else if head[1] == b'?' {
            // quick-xml ends a processing instruction at the first `?>` after the `<`.
            i = after(w, i + 1, b"?>").ok_or(more(None))?;
        } else if &head[1..3] == b"tu"
            && matches!(head[3], b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')
        {
            break;
        } else {
            return Err(Scan::Other);
        }
    }
    let unit_at = Some(i);
    let more = || Scan::Incomplete { unit_at };
    let mut depth = 0usize;
    loop {
        // At a `<`.
        let next = *w.get(i + 1).ok_or_else(more)?;
        match next {
            b'!' => {
                let head = w.get(i..i + 9).ok_or_else(more)?;
                if head.starts_with(b"<!--") {
                    i = after(w, i + 4, b"-->").ok_or_else(more)?;
                } else if head == b"<![CDATA[" {
                    i = after(w, i + 9, b"]]>").ok_or_else(more)?;
                } else {
                    return Err(Scan::Other);
                }
            }
            b'?' => i = after(w, i + 1, b"?>").ok_or_else(more)?,
            b'/' => {
                // quick-xml reads an end tag as a start tag, quotes and all.
                let end = tag_end(w, i + 2).ok_or_else(more)?;
                depth = depth.checked_sub(1).ok_or(Scan::Other)?;
                if depth == 0 {
                    return match w[i + 2..end].trim_ascii_end() {
                        b"tu" => Ok(end + 1),
                        _ => Err(Scan::Other),
                    };
                }
                i = end + 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c == b':' || c >= 0x80 => {
                let end = tag_end(w, i + 1).ok_or_else(more)?;
                if w[end - 1] == b'/' {
                    if depth == 0 {
                        return Ok(end + 1);
                    }
                } else {
                    depth += 1;
                }
                i = end + 1;
            }
            _ => return Err(Scan::Other),
        }
        // Text, to the next markup.
        i += memchr::memchr(b'<', &w[i..]).ok_or_else(more)?;
    }
}

/// The index just after the first `pattern` in `w` at or after `from`.
fn after(w: &[u8], from: usize, pattern: &[u8]) -> Option<usize> {
    memmem::find(w.get(from..)?, pattern).map(|k| from + k + pattern.len())
}

/// The index of the `>` that ends the tag whose name starts at `from`: the first one outside
/// quotes.
fn tag_end(w: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        i += memchr::memchr3(b'>', b'"', b'\'', w.get(i..)?)?;
        match w[i] {
            b'>' => return Some(i),
            quote => i += 1 + memchr::memchr(quote, w.get(i + 1..)?)? + 1,
        }
    }
}

impl TmxReader<std::io::Empty> {
    /// A reader of `input`, a part of the `<body>` of the file `path` (whose header is
    /// `header`) that holds whole units ([`TmxReader::frame`] gives them), decoded already and
    /// starting at position `at` of the file, after `units_before` units: it yields the units
    /// and raises the errors and warnings, at the same places, that reading the whole file
    /// does there, and ends cleanly at the end of `input`.
    pub(crate) fn fragment(
        input: Vec<u8>,
        path: PathBuf,
        options: ReadOptions,
        header: Header,
        at: Pos,
        units_before: u64,
    ) -> Self {
        let end = input.len();
        let tracker = Tracker::over_bytes(Decoded::utf8(std::io::empty()), input, end, at);
        let mut reader = TmxReader::over(tracker, path, options, header);
        reader.depth = BODY_DEPTH;
        reader.units_seen = units_before;
        reader.xml_drift = at.offset;
        reader.framing_over = true;
        reader.fragment = true;
        reader
    }

    /// The bytes given to [`TmxReader::fragment`], for reuse (no longer holding the part).
    pub(crate) fn into_buffer(self) -> Vec<u8> {
        self.xml.into_inner().into_buffer()
    }
}

/// What a reader of framed units needs of the file: its name, the reading options and the
/// header ([`TmxReader::framing`]).
#[derive(Debug, Clone)]
pub(crate) struct Framing {
    path: std::path::PathBuf,
    options: super::ReadOptions,
    header: crate::unit::Header,
}

impl<R: Read> TmxReader<R> {
    /// What [`Framing::reader`] needs to parse the units this reader frames.
    pub(crate) fn framing(&self) -> Framing {
        Framing {
            path: self.path.clone(),
            options: self.options,
            header: self.header.clone(),
        }
    }
}

impl Framing {
    /// A reader of `bytes`, the units [`TmxReader::frame`] framed as `frame`.
    pub(crate) fn reader(&self, bytes: Vec<u8>, frame: Frame) -> TmxReader<std::io::Empty> {
        TmxReader::fragment(
            bytes,
            self.path.clone(),
            self.options,
            self.header.clone(),
            frame.at,
            frame.units_before,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn len(s: &str) -> Result<usize, Scan> {
        unit_len(s.as_bytes())
    }

    #[test]
    fn a_unit_ends_at_its_end_tag_whatever_its_content_holds() {
        for unit in [
            "<tu><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>",
            "<tu/>",
            "<tu tuid=\"1\"/>",
            "<tu\n tuid='a>b'></tu >",
            "<tu a=\"</tu>\" b='\"'><seg>x > y</seg></tu>",
            "<tu><!-- </tu> --><seg>a</seg></tu>",
            "<tu><seg><![CDATA[ </tu> <x> ]]></seg></tu>",
            "<tu><?pi </tu> ?><seg/></tu>",
            "<tu><tuv><seg>a<bpt i=\"1\">&lt;b&gt;</bpt>b<ph/></seg></tuv></tu>",
            "<tu><тег атр=\"я\">ы</тег></tu>",
            "<tu><seg>a</seg b='>' c=\"</tu>\"></tu>",
            "<tu><?></tu>",
            "<tu><!----></tu>",
        ] {
            for before in ["", "\n  ", "\r\n<!-- note <tu> -->\n", "<?pi x?>\t"] {
                let text = format!("{before}{unit}\n<tu>next</tu>");
                assert_eq!(len(&text), Ok(before.len() + unit.len()), "{text:?}");
                // Cut anywhere before its end, it is incomplete.
                for cut in 0..before.len() + unit.len() {
                    let got = unit_len(&text.as_bytes()[..cut]);
                    assert!(
                        matches!(got, Err(Scan::Incomplete { .. })),
                        "{cut} {text:?}: {got:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn what_is_not_a_plain_unit_is_left_to_the_parser() {
        for text in [
            "</body></tmx>",
            "text<tu></tu>",
            "<prop type=\"x\">a</prop><tu></tu>",
            "<t:tu></t:tu>",
            "<tuv></tuv>",
            "<tu></tuv>",
            "<tu><seg></seg></tu extra>",
            "<tu><!DOCTYPE x></tu>",
            "<tu>< seg></tu>",
            "<![CDATA[x]]><tu></tu>",
        ] {
            assert_eq!(len(text), Err(Scan::Other), "{text:?}");
        }
        // Where the `<tu` starts is known once it is seen, so its budget can start there.
        assert_eq!(
            len("  <tu><seg>"),
            Err(Scan::Incomplete { unit_at: Some(2) })
        );
        assert_eq!(len("  <!-- x"), Err(Scan::Incomplete { unit_at: None }));
    }
}
