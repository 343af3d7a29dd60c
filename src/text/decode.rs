//! Bytes -> text: the one rule by which every reader (the aligner's documents, TMX, the tables)
//! tells the encoding of a file from its first bytes, and strict UTF-16 decoding.
//!
//! In this order: a byte-order mark (UTF-8, UTF-16LE, UTF-16BE; the Unicode Standard §23.8);
//! else UTF-16 without a mark, as some Windows tools save text, recognised when the first
//! `SNIFF_BYTES` hold NUL bytes in at least a quarter of their code units, nearly all at the
//! same parity (ASCII and Latin-1 characters have a NUL high byte; a binary file's NULs fall
//! anywhere); else a first character `<` with a NUL beside it (XML 1.0 Appendix F: a BOM-less
//! UTF-16 XML document, whatever language its text is in); else UTF-8.

/// The encoding found from the first bytes of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// UTF-8 without a byte-order mark (or plain ASCII).
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-16 little-endian; `bom` says whether a byte-order mark announced it.
    Utf16Le {
        /// A byte-order mark was present (otherwise recognised by its zero bytes).
        bom: bool,
    },
    /// UTF-16 big-endian; `bom` says whether a byte-order mark announced it.
    Utf16Be {
        /// A byte-order mark was present (otherwise recognised by its zero bytes).
        bom: bool,
    },
}

impl Detected {
    /// The encoding's name, as an encoding declaration would write it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Detected::Utf8 | Detected::Utf8Bom => "UTF-8",
            Detected::Utf16Le { .. } => "UTF-16LE",
            Detected::Utf16Be { .. } => "UTF-16BE",
        }
    }

    /// How the encoding was recognised, for messages.
    pub(crate) fn evidence(self) -> &'static str {
        match self {
            Detected::Utf8 => "no byte-order mark",
            Detected::Utf8Bom
            | Detected::Utf16Le { bom: true }
            | Detected::Utf16Be { bom: true } => "byte-order mark",
            Detected::Utf16Le { bom: false } | Detected::Utf16Be { bom: false } => {
                "zero bytes in every other byte"
            }
        }
    }

    /// True when an `encoding="..."` declaration agrees with these bytes.
    pub(crate) fn agrees_with(self, declared: &str) -> bool {
        let d = declared.trim().to_ascii_lowercase();
        match self {
            Detected::Utf8 | Detected::Utf8Bom => {
                matches!(d.as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii")
            }
            Detected::Utf16Le { .. } => matches!(d.as_str(), "utf-16" | "utf-16le" | "utf16"),
            Detected::Utf16Be { .. } => matches!(d.as_str(), "utf-16" | "utf-16be" | "utf16"),
        }
    }
}

/// How many leading bytes [`detect`] looks at.
pub(crate) const SNIFF_BYTES: usize = 4096;

/// The encoding of a file starting with `head` (its first [`SNIFF_BYTES`], or all of a shorter
/// file), and the length of its byte-order mark.
pub(crate) fn detect(head: &[u8]) -> (Detected, usize) {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return (Detected::Utf8Bom, 3);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return (Detected::Utf16Le { bom: true }, 2);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return (Detected::Utf16Be { bom: true }, 2);
    }
    if let Some(detected) = nul_parity(head) {
        return (detected, 0);
    }
    match head {
        [b'<', 0, ..] => (Detected::Utf16Le { bom: false }, 0),
        [0, b'<', ..] => (Detected::Utf16Be { bom: false }, 0),
        _ => (Detected::Utf8, 0),
    }
}

/// UTF-16 recognised by where its NUL bytes fall (see the module docs).
fn nul_parity(head: &[u8]) -> Option<Detected> {
    let units = head.len() / 2;
    if units == 0 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // Mostly at one parity: a character such as U+0400 or U+3000 has a NUL low byte.
    let clear = |n: usize, other: usize| n > 0 && n * 4 >= units && other * 8 <= n;
    if clear(odd, even) {
        Some(Detected::Utf16Le { bom: false })
    } else if clear(even, odd) {
        Some(Detected::Utf16Be { bom: false })
    } else {
        None
    }
}

/// Decodes UTF-16 (`little_endian` or not) strictly; on error returns the byte offset of the
/// first bad code unit. A NUL is an error too: text holds none.
pub(crate) fn decode_utf16(bytes: &[u8], little_endian: bool) -> Result<String, usize> {
    if bytes.len() % 2 == 1 {
        return Err(bytes.len() - 1);
    }
    let unit = |c: &[u8]| {
        if little_endian {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    };
    let mut out = String::with_capacity(bytes.len() / 2 * 3);
    let mut at = 0usize;
    for ch in char::decode_utf16(bytes.chunks_exact(2).map(unit)) {
        match ch {
            Ok('\0') | Err(_) => return Err(at),
            Ok(c) => {
                out.push(c);
                at += 2 * c.len_utf16();
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn be(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    #[test]
    fn one_rule_for_every_reader() {
        assert_eq!(detect(b"\xEF\xBB\xBFabc"), (Detected::Utf8Bom, 3));
        assert_eq!(
            detect(&[0xFF, 0xFE, b'a', 0]),
            (Detected::Utf16Le { bom: true }, 2)
        );
        assert_eq!(
            detect(&[0xFE, 0xFF, 0, b'a']),
            (Detected::Utf16Be { bom: true }, 2)
        );
        let text = "The SCO met in Beijing.\tШОС\n";
        assert_eq!(detect(&le(text)).0, Detected::Utf16Le { bom: false });
        assert_eq!(detect(&be(text)).0, Detected::Utf16Be { bom: false });
        // All Cyrillic: no NUL bytes to see, unless it is XML starting with `<`.
        assert_eq!(detect(&le("Пекин")).0, Detected::Utf8);
        assert_eq!(
            detect(&le("<tmx>Пекин ШОС Пекин ШОС")).0,
            Detected::Utf16Le { bom: false }
        );
        assert_eq!(
            detect(&be("<tmx>Пекин ШОС Пекин ШОС")).0,
            Detected::Utf16Be { bom: false }
        );
        // NULs anywhere: binary, read as UTF-8 (and refused there for its NULs).
        let binary: Vec<u8> = (0..200u8).map(|i| if i % 3 == 0 { 0 } else { i }).collect();
        assert_eq!(detect(&binary).0, Detected::Utf8);
        assert_eq!(detect(b"").0, Detected::Utf8);
        assert_eq!(detect(b"plain").0, Detected::Utf8);
    }

    #[test]
    fn utf16_is_decoded_strictly() {
        assert_eq!(
            decode_utf16(&le("Жа\u{1F4D6}"), true).as_deref(),
            Ok("Жа\u{1F4D6}")
        );
        assert_eq!(decode_utf16(&be("Жа"), false).as_deref(), Ok("Жа"));
        assert_eq!(decode_utf16(&[b'a', 0, 0x00, 0xD8, b'b', 0], true), Err(2));
        assert_eq!(decode_utf16(&[b'a', 0, 0], true), Err(2));
        assert_eq!(decode_utf16(&[b'a', 0, 0, 0], true), Err(2));
    }
}
