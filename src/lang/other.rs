//! Any language without a module of its own: the language-independent rules.
//!
//! No word lists, stemmer or transliteration, no default TMX tag, unknown script and
//! verbosity; numbers are read with a decimal comma, as most languages write them; Cyrillic
//! words are not looked up in the Russian-English glossary.

use super::Profile;

/// The rules every language gets: nothing language-specific.
pub(super) static PROFILE: Profile = Profile {
    name: "another language",
    code: "xx",
    aliases: &[],
    default_tag: None,
    script: None,
    abbreviations: None,
    stemmer: None,
    transliteration: None,
    decimal_separator: ',',
    glossary: false,
    verbosity: None,
};
