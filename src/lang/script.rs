//! Writing systems: the one definition of which characters are Cyrillic and which Latin, used
//! by mixed-document separation (`read::mixed`), the anchors' transliteration (`align::anchors`)
//! and the translation-memory script filter, and the script a language tag implies.
//!
//! Ranges are the Unicode 15 script blocks (The Unicode Standard, chapter 7 and the `Blocks.txt`
//! data file): a character counts for a script when it lies in one of that script's blocks.
//! Script subtags are ISO 15924 codes as BCP 47 (RFC 5646 §2.2.3) uses them (`Latn`, `Cyrl`).

use std::fmt;

/// A writing system bitext tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Latin letters (Basic Latin, Latin-1, Extended-A/B/Additional/C/D/E, full-width).
    Latin,
    /// Cyrillic letters (Cyrillic, Supplement, Extended-A/B/C/D).
    Cyrillic,
}

impl Script {
    /// The ISO 15924 code (`Latn`, `Cyrl`), as a BCP 47 script subtag writes it.
    pub fn code(self) -> &'static str {
        match self {
            Script::Latin => "Latn",
            Script::Cyrillic => "Cyrl",
        }
    }

    /// The script of `c`, when it is a Latin or Cyrillic character (letter or not: the blocks
    /// hold some punctuation and combining marks too).
    #[inline]
    pub fn of(c: char) -> Option<Script> {
        if is_cyrillic(c) {
            Some(Script::Cyrillic)
        } else if is_latin(c) {
            Some(Script::Latin)
        } else {
            None
        }
    }
}

impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Script::Latin => "Latin",
            Script::Cyrillic => "Cyrillic",
        })
    }
}

/// True for a character of the Cyrillic blocks: Cyrillic and Cyrillic Supplement
/// (U+0400-U+052F), Extended-C (U+1C80-U+1C8F), Extended-A (U+2DE0-U+2DFF), Extended-B
/// (U+A640-U+A69F), Extended-D (U+1E030-U+1E08F).
#[inline]
pub fn is_cyrillic(c: char) -> bool {
    // The basic blocks first: nearly every Cyrillic letter in running text is there.
    matches!(c,
        '\u{0400}'..='\u{052F}'
        | '\u{1C80}'..='\u{1C8F}'
        | '\u{2DE0}'..='\u{2DFF}'
        | '\u{A640}'..='\u{A69F}'
        | '\u{1E030}'..='\u{1E08F}')
}

/// True for a Latin letter: ASCII letters, the Latin-1 letters (U+00AA, U+00BA, U+00C0-U+024F
/// with Extended-A/B), Latin Extended Additional (U+1E00-U+1EFF), Extended-C/D/E
/// (U+2C60-U+2C7F, U+A720-U+A7FF, U+AB30-U+AB6F) and the full-width letters (U+FF21-U+FF3A,
/// U+FF41-U+FF5A). Latin-1's `×` and `÷` (U+00D7, U+00F7) lie in the range but are no letters;
/// callers that count letters test [`char::is_alphabetic`] first.
#[inline]
pub fn is_latin(c: char) -> bool {
    matches!(c,
        'a'..='z'
        | 'A'..='Z'
        | '\u{00AA}'
        | '\u{00BA}'
        | '\u{00C0}'..='\u{024F}'
        | '\u{1E00}'..='\u{1EFF}'
        | '\u{2C60}'..='\u{2C7F}'
        | '\u{A720}'..='\u{A7FF}'
        | '\u{AB30}'..='\u{AB6F}'
        | '\u{FF21}'..='\u{FF3A}'
        | '\u{FF41}'..='\u{FF5A}')
}

/// The letters of a text by script.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LetterCounts {
    /// Latin letters.
    pub latin: usize,
    /// Cyrillic letters.
    pub cyrillic: usize,
    /// All letters, of any script.
    pub all: usize,
}

impl LetterCounts {
    /// The script most of the Latin and Cyrillic letters are in (Latin on a tie), or `None`
    /// when there are neither.
    pub fn majority(self) -> Option<Script> {
        match (self.latin, self.cyrillic) {
            (0, 0) => None,
            (l, c) if c > l => Some(Script::Cyrillic),
            _ => Some(Script::Latin),
        }
    }
}

/// Counts the letters of `text` by script. A letter is an alphabetic character
/// ([`char::is_alphabetic`]) other than a combining diacritical mark (U+0300-U+036F).
pub fn letter_counts(text: &str) -> LetterCounts {
    let mut n = LetterCounts::default();
    let bytes = text.as_bytes();
    let mut at = 0;
    // Byte by byte where the bytes tell the answer: ASCII, and the two-byte chars U+0400-U+047F
    // (lead bytes 0xD0, 0xD1), all Cyrillic letters; other chars decoded.
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii() {
            if b.is_ascii_alphabetic() {
                n.all += 1;
                n.latin += 1;
            }
            at += 1;
            continue;
        }
        if b == 0xD0 || b == 0xD1 {
            n.all += 1;
            n.cyrillic += 1;
            at += 2;
            continue;
        }
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        at += c.len_utf8();
        if !c.is_alphabetic() || ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        n.all += 1;
        if is_cyrillic(c) {
            n.cyrillic += 1;
        } else if is_latin(c) {
            n.latin += 1;
        }
    }
    n
}

/// The script a language tag says its text is in, when known: a `Latn`/`Cyrl` script subtag
/// decides; other script subtags, and languages written in two scripts in daily use (bare `sr`,
/// `uz`, `az`, `bs`), or that bitext has no entry for, give `None` (not checked). The
/// languages with a [`super::Profile`] answer by their profile; other primary subtags by the
/// tables below (ISO 639-1 and 639-2 codes).
pub fn expected_script(tag: &str) -> Option<Script> {
    let mut subtags = tag.split(['-', '_']);
    let primary = subtags.next()?.to_ascii_lowercase();
    if let Some(script) =
        subtags.find(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return match script.to_ascii_lowercase().as_str() {
            "latn" => Some(Script::Latin),
            "cyrl" => Some(Script::Cyrillic),
            _ => None,
        };
    }
    if let Some(script) = primary
        .parse::<super::Lang>()
        .ok()
        .and_then(|lang| lang.profile().script)
    {
        return Some(script);
    }
    if CYRILLIC_LANGUAGES.contains(&primary.as_str()) {
        Some(Script::Cyrillic)
    } else if LATIN_LANGUAGES.contains(&primary.as_str()) {
        Some(Script::Latin)
    } else {
        None
    }
}

/// Languages without a profile written in Cyrillic alone in daily use.
const CYRILLIC_LANGUAGES: &[&str] = &[
    "ru", "rus", "uk", "ukr", "be", "bel", "bg", "bul", "mk", "mkd", "mac", "kk", "kaz", "ky",
    "kir", "tg", "tgk", "mn", "mon", "tt", "tat", "ba", "bak", "cv", "chv", "ce", "che", "os",
    "oss", "sah", "ab", "abk", "av", "ava", "kv", "kom", "udm",
];

/// Languages without a profile written in Latin alone in daily use.
const LATIN_LANGUAGES: &[&str] = &[
    "en", "eng", "de", "deu", "ger", "fr", "fra", "fre", "es", "spa", "it", "ita", "pt", "por",
    "nl", "nld", "dut", "pl", "pol", "cs", "ces", "cze", "sk", "slk", "slo", "sl", "slv", "hr",
    "hrv", "ro", "ron", "rum", "hu", "hun", "fi", "fin", "et", "est", "lv", "lav", "lt", "lit",
    "sv", "swe", "da", "dan", "no", "nor", "nb", "nob", "nn", "nno", "is", "isl", "ice", "ga",
    "gle", "cy", "cym", "wel", "eu", "eus", "baq", "ca", "cat", "gl", "glg", "mt", "mlt", "sq",
    "sqi", "alb", "tr", "tur", "id", "ind", "ms", "msa", "may", "vi", "vie", "tl", "tgl", "fil",
    "sw", "swa", "af", "afr", "eo", "epo", "la", "lat", "lb", "ltz", "fy", "fry", "gd", "gla",
    "br", "bre", "oc", "oci", "rm", "roh", "fo", "fao", "kl", "kal", "ht", "hat", "yo", "yor",
    "ha", "hau", "ig", "ibo", "zu", "zul", "xh", "xho", "so", "som", "mg", "mlg", "tk", "tuk",
    "qu", "que", "gn", "grn", "mi", "mri", "mao", "sm", "smo", "to", "ton", "haw", "co", "cos",
    "sc", "srd", "wa", "wln", "se", "sme", "lg", "lug", "rw", "kin", "sn", "sna", "st", "sot",
    "tn", "tsn", "ny", "nya", "ku", "kmr",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_is_every_cyrillic_block_and_nothing_else() {
        for c in [
            'а',
            'Я',
            'ё',
            'Ѣ',
            'ґ',
            'Ԥ',
            '\u{1C80}',
            '\u{2DE0}',
            'Ꙁ',
            '\u{1E030}',
        ] {
            assert!(is_cyrillic(c), "{c:?}");
            assert_eq!(Script::of(c), Some(Script::Cyrillic), "{c:?}");
        }
        for c in [
            'a', 'é', 'ß', 'Ω', '中', '\u{03FF}', '\u{0530}', '\u{1C90}', '\u{A6A0}',
        ] {
            assert!(!is_cyrillic(c), "{c:?}");
        }
        for c in ['a', 'Z', 'é', 'ß', 'ł', 'ạ', 'Ａ', 'ａ', 'ª'] {
            assert_eq!(Script::of(c), Some(Script::Latin), "{c:?}");
        }
        assert_eq!(Script::of('中'), None);
        assert_eq!(Script::of('1'), None);
    }

    #[test]
    fn letters_are_counted_by_script_byte_by_byte_as_char_by_char() {
        fn by_chars(text: &str) -> LetterCounts {
            let mut n = LetterCounts::default();
            for c in text.chars() {
                if !c.is_alphabetic() || ('\u{0300}'..='\u{036F}').contains(&c) {
                    continue;
                }
                n.all += 1;
                if is_cyrillic(c) {
                    n.cyrillic += 1;
                } else if is_latin(c) {
                    n.latin += 1;
                }
            }
            n
        }
        // Every char of the two-byte range and its neighbours, and mixed text.
        let mut text: String = ('\u{0300}'..='\u{0530}').collect();
        text.push_str("Hello, мир! Ёжик 1898 г. Ξ ǅ é\u{301} ҂\u{483} 東京 \u{1C80}");
        for end in 0..=text.len() {
            if let Some(prefix) = text.get(..end) {
                assert_eq!(letter_counts(prefix), by_chars(prefix), "{prefix:?}");
            }
        }
    }

    #[test]
    fn letters_are_counted_by_script() {
        let n = letter_counts("Привет, world! 中文 e\u{301} 42");
        assert_eq!(
            n,
            LetterCounts {
                latin: 6,
                cyrillic: 6,
                all: 14
            }
        );
        assert_eq!(n.majority(), Some(Script::Latin), "a tie is Latin");
        assert_eq!(letter_counts("Привет").majority(), Some(Script::Cyrillic));
        assert_eq!(letter_counts("2018 — 42").majority(), None);
    }

    #[test]
    fn a_tag_names_its_script() {
        assert_eq!(expected_script("ru"), Some(Script::Cyrillic));
        assert_eq!(expected_script("uk_UA"), Some(Script::Cyrillic));
        assert_eq!(expected_script("en-US"), Some(Script::Latin));
        assert_eq!(expected_script("deu"), Some(Script::Latin));
        assert_eq!(expected_script("sr-Latn"), Some(Script::Latin));
        assert_eq!(expected_script("sr-Cyrl-RS"), Some(Script::Cyrillic));
        assert_eq!(expected_script("sr"), None);
        assert_eq!(expected_script("mn-Mong"), None);
        assert_eq!(expected_script("zh"), None);
        assert_eq!(expected_script(""), None);
        assert_eq!(Script::Cyrillic.code(), "Cyrl");
        assert_eq!(Script::Latin.to_string(), "Latin");
    }
}
