//! German: ISO 639-1 `de` (ISO 639-2 `deu`, `ger`), written in Latin script.
//!
//! Sentence splitting uses the German lists (`abbrev_de.txt`: `z. B.`, day ordinals such as
//! `9. September`); numbers write a decimal comma (`3,5`, `1.000`).
//! Verbosity 112: German spends about 112 characters on what English says in 100.

use rust_stemmers::Algorithm;

use super::{Profile, Script};

/// What bitext knows about German.
pub(super) static PROFILE: Profile = Profile {
    name: "German",
    code: "de",
    aliases: &["deu", "ger"],
    default_tag: Some("de-DE"),
    script: Some(Script::Latin),
    abbreviations: Some(include_str!("abbrev_de.txt")),
    stemmer: Some(Algorithm::German),
    transliteration: None,
    decimal_separator: ',',
    glossary: true,
    verbosity: Some(112.0),
};
