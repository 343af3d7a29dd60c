//! Languages bitext has rules for.
//!
//! English and Russian get full sentence-splitting and anchor rules; German and French get
//! abbreviation lists; any other ISO 639-1 code runs on language-independent rules.

use std::fmt;
use std::str::FromStr;

/// A language, by its ISO 639-1 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Russian.
    Ru,
    /// German.
    De,
    /// French.
    Fr,
    /// Any other language: language-independent rules only.
    Other,
}

impl Lang {
    /// The ISO 639-1 code (`"xx"` for [`Lang::Other`]).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Other => "xx",
        }
    }

    /// The usual TMX language tag of the language (`en-US`, `ru-RU`, `de-DE`, `fr-FR`), or
    /// `None` for [`Lang::Other`], whose code is not kept.
    pub fn default_tag(self) -> Option<&'static str> {
        match self {
            Lang::En => Some("en-US"),
            Lang::Ru => Some("ru-RU"),
            Lang::De => Some("de-DE"),
            Lang::Fr => Some("fr-FR"),
            Lang::Other => None,
        }
    }

    /// True for languages written in Cyrillic.
    pub fn is_cyrillic(self) -> bool {
        matches!(self, Lang::Ru)
    }
}

impl FromStr for Lang {
    type Err = String;

    /// Parses a code such as `en`, `RU`, `de-CH` or `fr_FR`; unknown but well-formed codes give
    /// [`Lang::Other`].
    fn from_str(s: &str) -> Result<Lang, String> {
        let primary = s
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" | "eng" => Ok(Lang::En),
            "ru" | "rus" => Ok(Lang::Ru),
            "de" | "deu" | "ger" => Ok(Lang::De),
            "fr" | "fra" | "fre" => Ok(Lang::Fr),
            p if (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()) => {
                Ok(Lang::Other)
            }
            _ => Err(format!(
                "'{s}' is not a language code (expected e.g. en, ru, de, fr)"
            )),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
