//! Bytes -> text: the one rule by which every reader (the aligner's documents, TMX, the tables)
//! tells the encoding of a file from its first bytes, and strict UTF-16 decoding.
//!
//! In this order: a byte-order mark (UTF-8, UTF-16LE, UTF-16BE; the Unicode Standard §23.8);
//! else UTF-16 without a mark, as some Windows tools save text, recognised when the first
//! `SNIFF_BYTES` hold NUL bytes in at least a quarter of their code units, nearly all at the
//! same parity (ASCII and Latin-1 characters have a NUL high byte; a binary file's NULs fall
//! anywhere); else a first character `<` with a NUL beside it (XML 1.0 Appendix F: a BOM-less
//! UTF-16 XML document, whatever language its text is in); else UTF-8.
//!
//! Plain text that is not valid UTF-8 may be in a legacy code page: [`guess_legacy`] picks one
//! of [`LEGACY`] (Windows-1251, KOI8-R, KOI8-U, IBM866, ISO-8859-5, x-mac-cyrillic,
//! Windows-1252) by decoding the bytes in each and scoring how much the result reads like
//! Russian, Ukrainian or Western European text (see [`guess_legacy`]). Bytes with many valid
//! multi-byte UTF-8 sequences are broken UTF-8, not a code page ([`looks_like_utf8`]).

use encoding_rs::Encoding;

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

/// The legacy code pages [`guess_legacy`] chooses from, most common first (a tie goes to the
/// earlier: KOI8-R and KOI8-U decode Russian text alike, and so do Windows-1251 and
/// x-mac-cyrillic lowercase text without `я` or `ё`).
pub(crate) const LEGACY: [&Encoding; 7] = [
    encoding_rs::WINDOWS_1251,
    encoding_rs::KOI8_R,
    encoding_rs::IBM866,
    encoding_rs::WINDOWS_1252,
    encoding_rs::X_MAC_CYRILLIC,
    encoding_rs::ISO_8859_5,
    encoding_rs::KOI8_U,
];

/// How many leading bytes [`guess_legacy`] scores: enough for thousands of letters.
const GUESS_BYTES: usize = 1 << 16;

/// True when `bytes` hold more valid multi-byte UTF-8 sequences than invalid bytes: UTF-8 with
/// a fault (cut short, one bad byte), to be refused as invalid UTF-8, not read as a code page.
/// Legacy Cyrillic text seldom forms a valid sequence (a lead byte 0xC2..0xF4 followed by the
/// right number of bytes 0x80..0xBF).
pub(crate) fn looks_like_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    let mut rest = &bytes[..bytes.len().min(GUESS_BYTES)];
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid += s.bytes().filter(|b| *b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                valid += good.iter().filter(|b| **b >= 0xC0).count();
                let skip = e.error_len().unwrap_or(bad.len()).max(1);
                invalid += skip;
                rest = &bad[skip..];
            }
        }
    }
    valid > invalid
}

/// The legacy code page of [`LEGACY`] in which `bytes` read most like text.
///
/// Each candidate decoding is scored over the characters of its non-ASCII bytes (ASCII reads
/// the same in all of them): a letter scores the logarithm of its frequency in running text
/// (Russian letter frequencies, with the Ukrainian і ї є ґ; accented Latin letters by their
/// frequency in French, German, Spanish and Portuguese text), an uppercase letter a further
/// penalty (text is mostly lowercase, and KOI8-R, Windows-1251 and IBM866 put the cases in
/// each other's places), common punctuation (« » „ “ ” – — … №, no-break space) a small cost, and
/// other symbols, box drawing and control characters a large one. A word that mixes Cyrillic
/// and Latin letters, or turns from lowercase to uppercase inside, costs more, and so does
/// punctuation out of place (inside a word, a dash touching a letter, a closing quote before
/// a letter, an opening quote after one, a no-break space beside a space); a Cyrillic code page pays a little for each ASCII letter
/// (they are the rule in Western text, the exception in Cyrillic). The highest sum
/// wins; a tie goes to the earlier code page of [`LEGACY`].
pub(crate) fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    let sample = &bytes[..bytes.len().min(GUESS_BYTES)];
    let mut best = (LEGACY[0], f64::NEG_INFINITY);
    for enc in LEGACY {
        let s = score(enc, sample);
        if s > best.1 {
            best = (enc, s);
        }
    }
    best.0
}

/// How much `bytes` decoded in `enc` read like text (higher is better; see [`guess_legacy`]).
pub(crate) fn score(enc: &'static Encoding, bytes: &[u8]) -> f64 {
    /// A word mixing Cyrillic and Latin letters (`Пekин`), or with an uppercase letter after a
    /// lowercase one (`пЕКИН`).
    const MIXED_SCRIPT: f64 = 5.0;
    const CASE_TURN: f64 = 4.0;
    /// An ASCII letter read by a Cyrillic code page: a few per cent of the letters of Russian
    /// text are Latin (names, abbreviations).
    const LATIN_IN_CYRILLIC: f64 = 1.0;
    /// A non-letter where punctuation does not go: inside a word, a dash or closing quote
    /// touching the letters after it, an opening quote the letters before, a no-break space
    /// beside a space.
    const MISPLACED: f64 = 5.0;
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let mut total = 0.0;
    let (mut cyrillic, mut latin, mut turn, mut prev_lower, mut high) =
        (false, false, false, false, false);
    let mut end_word = |cyrillic: bool, latin: bool, turn: bool, high: bool| {
        if high && cyrillic && latin {
            total -= MIXED_SCRIPT;
        }
        if high && turn {
            total -= CASE_TURN;
        }
    };
    let mut char_total = 0.0;
    let western = enc == encoding_rs::WINDOWS_1252;
    let chars: Vec<char> = text.chars().collect();
    let letter_at = |i: usize| chars.get(i).is_some_and(|c| c.is_alphabetic());
    // A single-byte code page: one character per byte.
    for (i, (&ch, &b)) in chars.iter().zip(bytes).enumerate() {
        if b < 0x80 {
            // Latin letters are rare in Cyrillic text, the rule in Western text.
            if !western && ch.is_ascii_alphabetic() {
                char_total -= LATIN_IN_CYRILLIC;
            }
        } else if !ch.is_alphabetic() {
            let before = i > 0 && letter_at(i - 1);
            let after = letter_at(i + 1);
            let space_at = |i: usize| chars.get(i).is_none_or(|c| c.is_whitespace());
            let misplaced = match ch {
                // A capital read as punctuation (`—овещание`, `„ШОС`, `”пр`).
                '–' | '—' => before || after,
                '»' | '”' => after,
                '«' | '„' => before,
                '\u{A0}' => space_at(i + 1) || i > 0 && space_at(i - 1),
                // Punctuation or a symbol inside a word (`С` read as `—` in `ШОС`).
                _ => before && after,
            };
            if misplaced {
                char_total -= MISPLACED;
            }
        }
        if ch.is_alphabetic() {
            if is_cyrillic(ch) {
                cyrillic = true;
            } else {
                latin = true;
            }
            turn |= prev_lower && ch.is_uppercase();
            prev_lower = ch.is_lowercase();
            high |= b >= 0x80;
        } else {
            end_word(cyrillic, latin, turn, high);
            (cyrillic, latin, turn, prev_lower, high) = (false, false, false, false, false);
        }
        if b >= 0x80 {
            char_total += weight(ch);
        }
    }
    end_word(cyrillic, latin, turn, high);
    total + char_total
}

fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{52F}').contains(&c)
}

/// The score of one character read from a non-ASCII byte (see [`guess_legacy`]).
fn weight(c: char) -> f64 {
    /// An uppercase letter: about one letter in twenty in running text.
    const UPPER: f64 = -2.5;
    let lower = c.to_lowercase().next().unwrap_or(c);
    let case = if lower != c { UPPER } else { 0.0 };
    if let Some(f) = letter_frequency(lower) {
        return f.ln() + case;
    }
    if c.is_alphabetic() {
        // A rare letter: Serbian ђ, Icelandic ð, Greek µ.
        return -9.0 + case;
    }
    match c {
        '«' | '»' | '„' | '“' | '”' | '‘' | '’' | '–' | '—' | '…' | '№' | '\u{A0}' => {
            -4.0
        }
        '°' | '§' | '·' | '•' | '€' => -7.0,
        '\u{80}'..='\u{9F}' | '\u{FFFD}' | '\u{2500}'..='\u{25FF}' => -15.0,
        _ => -10.0,
    }
}

/// How often a lowercase letter occurs among the letters of running text, for the letters
/// [`guess_legacy`] knows; `None` for others.
fn letter_frequency(c: char) -> Option<f64> {
    // Russian letter frequencies (per cent of letters in a large corpus), ё as often written,
    // and the Ukrainian and Belarusian letters at a share of mixed Russian-Ukrainian text.
    let cyrillic = match c {
        'о' => 10.97,
        'е' => 8.45,
        'а' => 8.01,
        'и' => 7.35,
        'н' => 6.70,
        'т' => 6.26,
        'с' => 5.47,
        'р' => 4.73,
        'в' => 4.54,
        'л' => 4.40,
        'к' => 3.49,
        'м' => 3.21,
        'д' => 2.98,
        'п' => 2.81,
        'у' => 2.62,
        'я' => 2.01,
        'ы' => 1.90,
        'ь' => 1.74,
        'г' => 1.70,
        'з' => 1.65,
        'б' => 1.59,
        'ч' => 1.44,
        'й' => 1.21,
        'і' => 1.0,
        'х' => 0.97,
        'ж' => 0.94,
        'ш' => 0.73,
        'ю' => 0.64,
        'ц' => 0.48,
        'щ' => 0.36,
        'э' => 0.32,
        'ї' => 0.3,
        'є' => 0.3,
        'ф' => 0.26,
        'ё' => 0.2,
        'ъ' => 0.04,
        'ґ' => 0.04,
        'ў' => 0.04,
        _ => 0.0,
    };
    // Accented Latin letters, per cent of letters in Western European text.
    let latin = match c {
        'é' => 1.5,
        'ü' | 'ä' | 'ó' => 0.5,
        'ö' | 'á' | 'í' | 'à' | 'è' | 'ã' | 'ñ' | 'ß' | 'ç' => 0.3,
        'ê' | 'ú' | 'õ' | 'å' | 'ø' | 'æ' => 0.15,
        'â' | 'ô' | 'î' | 'û' | 'ù' | 'ë' | 'ï' | 'œ' => 0.05,
        _ => 0.0,
    };
    let f = cyrillic + latin;
    (f > 0.0).then_some(f / 100.0)
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
    fn legacy_code_pages_are_told_apart() {
        let ru = "Второй день подряд в Секретариате ШОС в Пекине проходит встреча.";
        let uk = "Другий день поспіль у Секретаріаті ШОС триває зустріч, її підсумки.";
        let fr = "Le Secrétariat de l'OCS à Pékin poursuit le débat.";
        for (text, enc) in [
            (ru, encoding_rs::WINDOWS_1251),
            (ru, encoding_rs::KOI8_R),
            (ru, encoding_rs::IBM866),
            (ru, encoding_rs::ISO_8859_5),
            (ru, encoding_rs::X_MAC_CYRILLIC),
            (uk, encoding_rs::WINDOWS_1251),
            (uk, encoding_rs::KOI8_U),
            (fr, encoding_rs::WINDOWS_1252),
        ] {
            let (bytes, _, lossy) = enc.encode(text);
            assert!(!lossy, "{text} in {}", enc.name());
            assert!(!looks_like_utf8(&bytes));
            assert_eq!(guess_legacy(&bytes), enc, "{text}");
        }
    }

    #[test]
    fn broken_utf8_is_not_a_code_page() {
        let mut bytes = "Пекин, ШОС".as_bytes().to_vec();
        bytes.push(0xD0);
        assert!(looks_like_utf8(&bytes));
        assert!(!looks_like_utf8(b"caf\xE9"));
        assert!(!looks_like_utf8(b""));
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
