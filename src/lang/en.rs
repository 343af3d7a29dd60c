//! English: ISO 639-1 `en` (ISO 639-2 `eng`), written in Latin script.
//!
//! Sentence splitting uses the English abbreviation lists (`abbrev_en.txt`: titles such as
//! `Mr.`, `U.S.` before a sentence starter); numbers write a decimal point (`3.5`, `1,000`).
//! Verbosity 100: English spends about 100 characters on what English says in 100.

use rust_stemmers::Algorithm;

use super::{Profile, Script};

/// What bitext knows about English.
pub(super) static PROFILE: Profile = Profile {
    name: "English",
    code: "en",
    aliases: &["eng"],
    default_tag: Some("en-US"),
    script: Some(Script::Latin),
    abbreviations: Some(include_str!("abbrev_en.txt")),
    stemmer: Some(Algorithm::English),
    transliteration: None,
    decimal_separator: '.',
    glossary: true,
    verbosity: Some(100.0),
};
