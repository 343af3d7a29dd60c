//! Russian: ISO 639-1 `ru` (ISO 639-2 `rus`), written in Cyrillic script.
//!
//! Sentence splitting uses the Russian lists (`abbrev_ru.txt`: `т. е.`, `г.` after a year); numbers
//! write a decimal comma (`3,5`, `1 000`); names are romanised by ICAO Doc 9303 (2013) to meet
//! their English spelling.
//! Verbosity 110: Russian spends about 110 characters on what English says in 100.

use rust_stemmers::Algorithm;

use super::{Profile, Script, Transliteration};

/// What bitext knows about Russian.
pub(super) static PROFILE: Profile = Profile {
    name: "Russian",
    code: "ru",
    aliases: &["rus"],
    default_tag: Some("ru-RU"),
    script: Some(Script::Cyrillic),
    abbreviations: Some(include_str!("abbrev_ru.txt")),
    stemmer: Some(Algorithm::Russian),
    transliteration: Some(Transliteration::Icao9303),
    decimal_separator: ',',
    glossary: true,
    verbosity: Some(110.0),
};
