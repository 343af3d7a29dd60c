//! Script detection for `tm filter`'s wrong-script check: the script a language tag is written
//! in (a BCP 47 script subtag, RFC 5646 §2.2.3, else lists of ISO 639 codes of languages
//! written in Latin or Cyrillic) and the letters of a text by Unicode block (Latin, Cyrillic;
//! combining diacritics, U+0300-036F, are not letters).

use std::fmt;

/// A writing system the script check knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Latin letters (Basic Latin, Latin-1, Extended-A/B/Additional/C/D/E, full-width).
    Latin,
    /// Cyrillic letters (Cyrillic, Supplement, Extended-A/B/C).
    Cyrillic,
}

impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Script::Latin => "Latin",
            Script::Cyrillic => "Cyrillic",
        })
    }
}

/// The script `lang` is written in, when known: a `Latn`/`Cyrl` script subtag decides; other
/// script subtags, and languages written in two scripts in daily use (bare `sr`, `uz`, `az`,
/// `bs`), or that bitext has no entry for, give `None` (not checked).
pub(crate) fn expected_script(lang: &str) -> Option<Script> {
    let mut subtags = lang.split(['-', '_']);
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
    const CYRILLIC: &[&str] = &[
        "ru", "rus", "uk", "ukr", "be", "bel", "bg", "bul", "mk", "mkd", "mac", "kk", "kaz", "ky",
        "kir", "tg", "tgk", "mn", "mon", "tt", "tat", "ba", "bak", "cv", "chv", "ce", "che", "os",
        "oss", "sah", "ab", "abk", "av", "ava", "kv", "kom", "udm",
    ];
    const LATIN: &[&str] = &[
        "en", "eng", "de", "deu", "ger", "fr", "fra", "fre", "es", "spa", "it", "ita", "pt", "por",
        "nl", "nld", "dut", "pl", "pol", "cs", "ces", "cze", "sk", "slk", "slo", "sl", "slv", "hr",
        "hrv", "ro", "ron", "rum", "hu", "hun", "fi", "fin", "et", "est", "lv", "lav", "lt", "lit",
        "sv", "swe", "da", "dan", "no", "nor", "nb", "nob", "nn", "nno", "is", "isl", "ice", "ga",
        "gle", "cy", "cym", "wel", "eu", "eus", "baq", "ca", "cat", "gl", "glg", "mt", "mlt", "sq",
        "sqi", "alb", "tr", "tur", "id", "ind", "ms", "msa", "may", "vi", "vie", "tl", "tgl",
        "fil", "sw", "swa", "af", "afr", "eo", "epo", "la", "lat", "lb", "ltz", "fy", "fry", "gd",
        "gla", "br", "bre", "oc", "oci", "rm", "roh", "fo", "fao", "kl", "kal", "ht", "hat", "yo",
        "yor", "ha", "hau", "ig", "ibo", "zu", "zul", "xh", "xho", "so", "som", "mg", "mlg", "tk",
        "tuk", "qu", "que", "gn", "grn", "mi", "mri", "mao", "sm", "smo", "to", "ton", "haw", "co",
        "cos", "sc", "srd", "wa", "wln", "se", "sme", "lg", "lug", "rw", "kin", "sn", "sna", "st",
        "sot", "tn", "tsn", "ny", "nya", "ku", "kmr",
    ];
    if CYRILLIC.contains(&primary.as_str()) {
        Some(Script::Cyrillic)
    } else if LATIN.contains(&primary.as_str()) {
        Some(Script::Latin)
    } else {
        None
    }
}

/// Letters of `text` by script: (Latin, Cyrillic, all letters). Combining marks are not letters.
pub(crate) fn letter_counts(text: &str) -> (usize, usize, usize) {
    let (mut latin, mut cyrillic, mut all) = (0, 0, 0);
    for c in text.chars() {
        if !c.is_alphabetic() || ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        all += 1;
        match c {
            '\u{0400}'..='\u{052F}'
            | '\u{1C80}'..='\u{1C8F}'
            | '\u{2DE0}'..='\u{2DFF}'
            | '\u{A640}'..='\u{A69F}'
            | '\u{1E030}'..='\u{1E08F}' => cyrillic += 1,
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
            | '\u{FF41}'..='\u{FF5A}' => latin += 1,
            _ => {}
        }
    }
    (latin, cyrillic, all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_script_reads_script_subtags_and_primary_languages() {
        assert_eq!(expected_script("uk_UA"), Some(Script::Cyrillic));
        assert_eq!(expected_script("mn-Mong"), None);
        assert_eq!(expected_script("zh"), None);
    }
}
