//! French: ISO 639-1 `fr` (ISO 639-2 `fra`, `fre`), written in Latin script.
//!
//! Sentence splitting uses the French lists (`abbrev_fr.txt`: `M.`, `av. J.-C.`); numbers write
//! a decimal comma (`3,5`, `1 000`).
//! Verbosity 115: French spends about 115 characters on what English says in 100.

use rust_stemmers::Algorithm;

use super::{Profile, Script};

/// What bitext knows about French.
pub(super) static PROFILE: Profile = Profile {
    name: "French",
    code: "fr",
    aliases: &["fra", "fre"],
    default_tag: Some("fr-FR"),
    script: Some(Script::Latin),
    abbreviations: Some(include_str!("abbrev_fr.txt")),
    stemmer: Some(Algorithm::French),
    transliteration: None,
    decimal_separator: ',',
    glossary: true,
    verbosity: Some(115.0),
};
