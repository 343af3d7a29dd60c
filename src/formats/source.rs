//! Bytes -> UTF-8 for the TMX and table readers, streaming: the encoding found by the one
//! detection rule of [`crate::text::decode`] (which `bitext align` reads text by too), UTF-16
//! transcoding through encoding_rs's `Decoder`, and a `BufRead` that tracks line and column
//! cheaply.

use std::cell::Cell;
use std::io::{self, BufRead, Read};

pub use crate::text::decode::Detected;
use crate::text::decode::{detect, SNIFF_BYTES};

/// The first bytes of the input put back in front of the rest.
struct Prefixed<R> {
    head: Vec<u8>,
    start: usize,
    end: usize,
    inner: R,
}

impl<R: Read> Read for Prefixed<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.start < self.end {
            let n = (self.end - self.start).min(out.len());
            out[..n].copy_from_slice(&self.head[self.start..self.start + n]);
            self.start += n;
            return Ok(n);
        }
        self.inner.read(out)
    }
}

/// A UTF-8 view of the input, transcoding UTF-16 on the fly.
pub(crate) struct Decoded<R> {
    inner: Inner<R>,
    /// The encoding found.
    pub detected: Detected,
    /// The byte offset (in the original file) of the first bytes that do not decode.
    pub failure: Option<u64>,
}

enum Inner<R> {
    Utf8(Prefixed<R>),
    Utf16(Box<Utf16<Prefixed<R>>>),
}

struct Utf16<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    eof: bool,
    /// The decoder has been told the input ended; it must not be called again.
    finished: bool,
    /// Bytes of the original file consumed so far (BOM included).
    consumed: u64,
    /// A decode error found after some good output, reported by the next `read`.
    pending_error: bool,
}

impl<R: Read> Decoded<R> {
    /// Sniffs the encoding from the first bytes and sets up the conversion.
    pub(crate) fn new(mut inner: R) -> io::Result<Decoded<R>> {
        // Up to SNIFF_BYTES from the start: what the one detection rule looks at.
        let mut head = vec![0u8; SNIFF_BYTES];
        let mut got = 0;
        while got < head.len() {
            match inner.read(&mut head[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        head.truncate(got);
        let (detected, skip) = detect(&head);
        let prefixed = Prefixed {
            head,
            start: skip,
            end: got,
            inner,
        };
        let inner = match detected {
            Detected::Utf8 | Detected::Utf8Bom => Inner::Utf8(prefixed),
            Detected::Utf16Le { .. } | Detected::Utf16Be { .. } => {
                let encoding = if matches!(detected, Detected::Utf16Le { .. }) {
                    encoding_rs::UTF_16LE
                } else {
                    encoding_rs::UTF_16BE
                };
                Inner::Utf16(Box::new(Utf16 {
                    inner: prefixed,
                    decoder: encoding.new_decoder_without_bom_handling(),
                    input: vec![0; 32 * 1024],
                    in_start: 0,
                    in_end: 0,
                    eof: false,
                    finished: false,
                    consumed: skip as u64,
                    pending_error: false,
                }))
            }
        };
        Ok(Decoded {
            inner,
            detected,
            failure: None,
        })
    }
}

impl<R: Read> Decoded<R> {
    /// `inner`, known to be UTF-8 (a part of a text decoded before): nothing is sniffed.
    pub(crate) fn utf8(inner: R) -> Decoded<R> {
        Decoded {
            inner: Inner::Utf8(Prefixed {
                head: Vec::new(),
                start: 0,
                end: 0,
                inner,
            }),
            detected: Detected::Utf8,
            failure: None,
        }
    }
}

impl<R> Decoded<R> {
    /// The caller's reader.
    #[cfg(test)]
    pub(crate) fn inner(&self) -> &R {
        match &self.inner {
            Inner::Utf8(p) => &p.inner,
            Inner::Utf16(u) => &u.inner.inner,
        }
    }
}

/// The error a failed transcoding returns; the reader turns it into `ErrorKind::Decode`.
fn decode_failure() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "the bytes do not decode")
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let u = match &mut self.inner {
            Inner::Utf8(r) => return r.read(out),
            Inner::Utf16(u) => u,
        };
        if u.pending_error {
            return Err(decode_failure());
        }
        if u.finished {
            return Ok(0);
        }
        if out.len() < 4 {
            // encoding_rs needs room for one whole character; our BufRead never asks for less.
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "read buffer too small for UTF-16 transcoding",
            ));
        }
        loop {
            if u.in_start == u.in_end && !u.eof {
                let n = loop {
                    match u.inner.read(&mut u.input) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                };
                u.in_start = 0;
                u.in_end = n;
                u.eof = n == 0;
            }
            let (result, read, written) = u.decoder.decode_to_utf8_without_replacement(
                &u.input[u.in_start..u.in_end],
                out,
                u.eof,
            );
            u.in_start += read;
            u.consumed += read as u64;
            match result {
                encoding_rs::DecoderResult::InputEmpty => {
                    if u.eof {
                        u.finished = true;
                    }
                    if written > 0 || u.eof {
                        return Ok(written);
                    }
                }
                encoding_rs::DecoderResult::OutputFull => return Ok(written),
                encoding_rs::DecoderResult::Malformed(bad, extra) => {
                    let at = u.consumed - u64::from(bad) - u64::from(extra);
                    self.failure = Some(at);
                    if written > 0 {
                        u.pending_error = true;
                        return Ok(written);
                    }
                    return Err(decode_failure());
                }
            }
        }
    }
}

/// How much is asked of the underlying reader at once.
pub(crate) const CHUNK: usize = 64 * 1024;

/// A line and column (1-based, column in characters) with the byte offset in the UTF-8 stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pos {
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
    /// Byte offset in the (UTF-8) text.
    pub offset: u64,
}

impl Pos {
    /// The start of a text.
    pub(crate) const START: Pos = Pos {
        line: 1,
        column: 1,
        offset: 0,
    };

    /// The position after `bytes`, which start at this position.
    pub(crate) fn advance(self, bytes: &[u8]) -> Pos {
        let mut p = self;
        p.offset += bytes.len() as u64;
        if bytes.len() < SHORT_EVENT {
            // Most events (a tag, a word of text) are short: one pass over their bytes costs
            // less than setting up the vectorised searches.
            for &b in bytes {
                if b == b'\n' {
                    p.line += 1;
                    p.column = 1;
                } else {
                    p.column += u64::from(b & 0xC0 != 0x80);
                }
            }
            return p;
        }
        // Called for every XML event: memchr's vectorised search finds the line breaks.
        match memchr::memrchr(b'\n', bytes) {
            Some(last) => {
                p.line += memchr::memchr_iter(b'\n', &bytes[..=last]).count() as u64;
                p.column = 1 + chars_in(&bytes[last + 1..]);
            }
            None => p.column += chars_in(bytes),
        }
        p
    }
}

/// Below this many bytes [`Pos::advance`] counts byte by byte.
const SHORT_EVENT: usize = 64;

/// The number of UTF-8 characters in `bytes` (non-continuation bytes).
fn chars_in(bytes: &[u8]) -> u64 {
    // ASCII bytes are each a character: count continuation bytes only where there are any,
    // eight bytes at a time.
    let mut continuation = 0u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        // A continuation byte is 10xxxxxx: bit 7 set and bit 6 clear.
        let cont = w & !(w << 1) & 0x8080_8080_8080_8080;
        continuation += u64::from(cont.count_ones());
    }
    continuation += chunks
        .remainder()
        .iter()
        .filter(|&&b| (b & 0xC0) == 0x80)
        .count() as u64;
    bytes.len() as u64 - continuation
}

/// A `BufRead` that keeps the bytes consumed since the last [`Tracker::checkpoint`] so that any
/// position between the checkpoint and the read position can be turned into line:column. The
/// buffer holds one XML event at most (plus one chunk), so memory stays bounded by the input's
/// largest event.
///
/// Lines are counted at each checkpoint (a vectorised search for line breaks); columns, which
/// need every character counted, only when bytes are dropped from the buffer or a position is
/// asked for: a reader that marks every unit pays for line numbers only. Either way every byte
/// is counted once: no position before the mark is ever asked for, so the count that reached
/// the mark is kept.
pub(crate) struct Tracker<S> {
    src: S,
    buf: Vec<u8>,
    /// Start of the bytes kept since the checkpoint.
    mark: usize,
    /// Read position.
    pos: usize,
    /// End of valid data.
    end: usize,
    /// How far the bytes are counted: an index (at most `mark`) and the line, column and
    /// offset of the byte there. In a `Cell` so that [`Tracker::position_of`] (`&self`, called
    /// while a message is made) can keep the count it made up to the mark.
    counted: Cell<(usize, Pos)>,
    /// The line of `buf[mark]`.
    mark_line: u64,
    /// Where the current budget started (a unit's `<tu>`, else the current event).
    budget: u64,
    /// The most bytes read past `budget` before reading stops with an error.
    limit: u64,
    /// True once reading stopped because `limit` was passed.
    pub(crate) over_limit: bool,
    /// The error the source returned, given again by every later read: a read that failed
    /// while units were framed ([`Tracker::more`]) fails the same way for the parser after it.
    failed: Option<(io::ErrorKind, String)>,
}

impl<S: Read> Tracker<S> {
    pub(crate) fn new(src: S) -> Tracker<S> {
        Tracker::over_bytes(src, vec![0; CHUNK], 0, Pos::START)
    }

    /// A tracker over the first `end` bytes of `buf` and then `src`, a part of a text whose
    /// first byte is at position `at` of it: the bytes are taken as they are, not copied.
    pub(crate) fn over_bytes(src: S, buf: Vec<u8>, end: usize, at: Pos) -> Tracker<S> {
        Tracker {
            src,
            buf,
            mark: 0,
            pos: 0,
            end,
            counted: Cell::new((0, at)),
            mark_line: at.line,
            budget: at.offset,
            limit: u64::MAX,
            over_limit: false,
            failed: None,
        }
    }

    /// The buffer, given back (its bytes are no longer the text's).
    pub(crate) fn into_buffer(self) -> Vec<u8> {
        self.buf
    }

    /// Whether another chunk can be read without passing the limit past the current budget's
    /// start (reading on would then fail where the parser, reading only what it needs, would
    /// not).
    pub(crate) fn room_for_more(&self) -> bool {
        self.bytes_read()
            .saturating_sub(self.budget)
            .saturating_add(CHUNK as u64)
            <= self.limit
    }

    /// The bytes read from the source so far (the offset of the end of the buffer's data).
    fn bytes_read(&self) -> u64 {
        let (at, pos) = self.counted.get();
        pos.offset + (self.end - at) as u64
    }

    /// The bytes read and not yet consumed.
    pub(crate) fn window(&self) -> &[u8] {
        &self.buf[self.pos..self.end]
    }

    /// Reads another chunk after the bytes held (the unconsumed ones stay), so that
    /// [`Tracker::window`] grows; false at the end of the source.
    pub(crate) fn more(&mut self) -> io::Result<bool> {
        Ok(self.refill()? > 0)
    }

    /// Reads at most `limit` bytes (plus one chunk) past the start of each budget.
    pub(crate) fn set_limit(&mut self, limit: u64) {
        self.limit = limit;
    }

    /// Starts a new budget at byte `offset` (a checkpoint).
    pub(crate) fn start_budget(&mut self, offset: u64) {
        self.budget = offset;
    }

    /// Where the current budget started.
    pub(crate) fn budget(&self) -> Pos {
        self.position_of(self.budget)
    }

    /// Moves the mark to the read position and returns its byte offset.
    pub(crate) fn checkpoint(&mut self) -> u64 {
        let passed = &self.buf[self.mark..self.pos];
        self.mark_line += memchr::memchr_iter(b'\n', passed).count() as u64;
        self.mark = self.pos;
        self.offset()
    }

    /// The line of the mark (the last checkpoint).
    pub(crate) fn mark_line(&self) -> u64 {
        self.mark_line
    }

    /// The byte offset of the read position (no line counting: see [`Tracker::position_of`]).
    pub(crate) fn offset(&self) -> u64 {
        let (at, pos) = self.counted.get();
        pos.offset + (self.pos - at) as u64
    }

    /// The position of byte `offset`, which should lie between the mark and the read position
    /// (anything else is clamped into that range).
    pub(crate) fn position_of(&self, offset: u64) -> Pos {
        let (at, pos) = self.counted.get();
        let at_mark = pos.advance(&self.buf[at..self.mark]);
        self.counted.set((self.mark, at_mark));
        let n = offset.clamp(at_mark.offset, self.offset()) - at_mark.offset;
        at_mark.advance(&self.buf[self.mark..self.mark + n as usize])
    }

    /// The underlying source.
    pub(crate) fn source(&self) -> &S {
        &self.src
    }

    /// The size of the buffer, in bytes.
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        self.buf.len()
    }
}

impl<S: Read> Read for Tracker<S> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<S: Read> BufRead for Tracker<S> {
    #[inline]
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        // quick-xml asks several times per event: the bytes already held are returned at once.
        if self.pos == self.end {
            self.refill()?;
        }
        Ok(self.window())
    }

    #[inline]
    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.end);
    }
}

impl<S: Read> Tracker<S> {
    /// Reads the next chunk after the bytes kept since the mark (moving them to the front);
    /// returns the number of bytes read (0 at the end).
    #[inline(never)]
    fn refill(&mut self) -> io::Result<usize> {
        if let Some((kind, message)) = &self.failed {
            return Err(io::Error::new(*kind, message.clone()));
        }
        if self.bytes_read().saturating_sub(self.budget) > self.limit {
            self.over_limit = true;
            return Err(io::Error::other("a unit larger than the limit"));
        }
        if self.mark > 0 {
            // The bytes before the mark are dropped: count them first.
            let (at, pos) = self.counted.get();
            self.counted.set((0, pos.advance(&self.buf[at..self.mark])));
            self.buf.copy_within(self.mark..self.end, 0);
            self.pos -= self.mark;
            self.end -= self.mark;
            self.mark = 0;
        }
        if self.buf.len() - self.end < CHUNK {
            self.buf.resize(self.end + CHUNK, 0);
        }
        let n = loop {
            match self.src.read(&mut self.buf[self.end..self.end + CHUNK]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.failed = Some((e.kind(), e.to_string()));
                    return Err(e);
                }
            }
        };
        self.end += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> (Detected, String) {
        let mut d = Decoded::new(bytes).unwrap();
        let mut out = Vec::new();
        let mut chunk = [0u8; 7];
        loop {
            let n = d.read(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&chunk[..n]);
        }
        (d.detected, String::from_utf8(out).unwrap())
    }

    fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut v = Vec::new();
        if bom {
            v.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
        }
        for u in s.encode_utf16() {
            v.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        v
    }

    #[test]
    fn detects_and_transcodes() {
        let s = "<tmx>Привет 📖 мир</tmx>";
        assert_eq!(decode_all(s.as_bytes()), (Detected::Utf8, s.to_string()));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(decode_all(&bom), (Detected::Utf8Bom, s.to_string()));
        for (le, bom) in [(true, true), (false, true), (true, false), (false, false)] {
            let (d, text) = decode_all(&utf16(s, le, bom));
            assert_eq!(text, s);
            let want = if le {
                Detected::Utf16Le { bom }
            } else {
                Detected::Utf16Be { bom }
            };
            assert_eq!(d, want);
        }
        assert_eq!(decode_all(b""), (Detected::Utf8, String::new()));
        assert_eq!(decode_all(b"<"), (Detected::Utf8, "<".to_string()));
    }

    #[test]
    fn lone_surrogate_is_reported_at_its_byte() {
        let mut bytes = utf16("<a>", true, true);
        bytes.extend_from_slice(&0xD800u16.to_le_bytes());
        bytes.extend_from_slice(&utf16("x", true, false));
        let mut d = Decoded::new(&bytes[..]).unwrap();
        let mut out = vec![0u8; 64];
        let mut err = None;
        for _ in 0..4 {
            match d.read(&mut out) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    err = Some(e);
                    break;
                }
            }
        }
        assert!(err.is_some());
        assert_eq!(d.failure, Some(8));
    }

    #[test]
    fn tracker_positions_survive_refills_and_long_lines() {
        // Lines of every length, one far longer than a chunk, characters of 1 to 4 bytes:
        // positions asked for anywhere between the mark and the read position, across
        // refills that drop counted and uncounted bytes, match a count from the start.
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(&"añ€😀 x".repeat(i % 17));
            if i % 500 != 499 {
                text.push('\n');
            }
        }
        text.push_str(&"д".repeat(3 * CHUNK));
        text.push_str("\nend");
        let bytes = text.as_bytes();
        let mut t = Tracker::new(bytes);
        let mut step = 1usize;
        let mut reads = 0;
        loop {
            let available = t.fill_buf().unwrap().len();
            if available == 0 {
                break;
            }
            t.consume(step.min(available));
            step = step * 7 % 1013 + 1;
            reads += 1;
            let offset = t.offset() as usize;
            let expected = Pos::START.advance(&bytes[..offset]);
            assert_eq!(t.position_of(offset as u64), expected, "at byte {offset}");
            // The count it made reaches the mark and is kept: no byte is counted twice.
            assert_eq!(t.counted.get().0, t.mark);
            if reads % 3 == 0 {
                let mark = t.checkpoint() as usize;
                assert_eq!(mark, offset);
                assert_eq!(t.mark_line(), expected.line);
            }
        }
        assert_eq!(t.offset() as usize, bytes.len());
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let p = Pos::START.advance("ab\nпривет\nxy😀".as_bytes());
        assert_eq!((p.line, p.column), (3, 4));
        let p = Pos::START.advance(b"abc");
        assert_eq!((p.line, p.column, p.offset), (1, 4, 3));
        // Short and long runs (byte by byte, the eight-byte count) agree with a character
        // count, from a start that is not the first column.
        let long = "añb€c😀 дом\nxyz привет мир, straße 😀😀 end of the line, and more text \
                    after it to pass the short-event length: ещё немного текста\n\nконец";
        for cut in 0..long.len() {
            let Some(tail) = long.get(cut..) else {
                continue;
            };
            let p = Pos::START.advance(tail.as_bytes());
            let last = tail.rsplit('\n').next().unwrap_or("");
            assert_eq!(p.column, 1 + last.chars().count() as u64, "{tail:?}");
            assert_eq!(p.line, 1 + tail.matches('\n').count() as u64);
            assert_eq!(p.offset, tail.len() as u64);
            // In two steps: the same position.
            let half = (0..=tail.len() / 2)
                .rev()
                .find(|&k| tail.is_char_boundary(k));
            if let Some(k) = half {
                let q = Pos::START
                    .advance(&tail.as_bytes()[..k])
                    .advance(&tail.as_bytes()[k..]);
                assert_eq!((q.line, q.column, q.offset), (p.line, p.column, p.offset));
            }
        }
    }
}
