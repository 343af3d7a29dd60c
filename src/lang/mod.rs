//! Languages: the one registry of what bitext knows about each language.
//!
//! Every language with rules is one module here (`en.rs`, `ru.rs`, `de.rs`, `fr.rs`) holding
//! its [`Profile`]: script, sentence-splitter word lists, stemmer, transliteration, number
//! format, verbosity and default TMX tag. Everything that depends on a language reaches it
//! through [`Lang::profile`]; a part a language lacks is an explicit `None` there, which its
//! callers handle in sight. Any other language runs on the language-independent rules of
//! [`Lang::Other`]'s profile.
//!
//! Codes are ISO 639-1 (two letters), with the ISO 639-2/T and /B three-letter codes accepted;
//! language tags follow BCP 47 (RFC 5646, [`tag`]); scripts are Unicode blocks ([`script`]).
//!
//! # Adding a language
//!
//! 1. Write `src/lang/xx.rs` with `pub(super) static PROFILE: Profile = Profile { ... };`
//!    (a struct literal with every field: a forgotten one is a compile error), and its data
//!    files (`abbrev_xx.txt`) beside it.
//! 2. Add one line `Xx => xx,` (with its doc comment) to the `languages!` list below.
//!
//! Code that still matches on [`Lang`] then fails to compile until it handles the new
//! language, rather than giving it a silent default.

use std::fmt;
use std::str::FromStr;

use rust_stemmers::Algorithm;

pub mod iso639;
pub mod script;
pub mod tag;

mod other;

pub use script::Script;

/// Everything bitext knows about one language. Each language module writes one as a struct
/// literal with every field, so a missing part is a compile error, and an absent one a visible
/// `None`.
#[derive(Debug)]
pub struct Profile {
    /// The language's name in English, for messages.
    pub name: &'static str,
    /// The ISO 639-1 code (`"xx"` for [`Lang::Other`]).
    pub code: &'static str,
    /// Other codes read as this language: ISO 639-2/T and ISO 639-2/B (`deu`, `ger`).
    pub aliases: &'static [&'static str],
    /// The usual TMX language tag (`en-US`), or `None` when there is none to assume.
    pub default_tag: Option<&'static str>,
    /// The script the language is written in, or `None` when unknown.
    pub script: Option<Script>,
    /// The sentence splitter's word lists (abbreviations, sentence starters, month names;
    /// format in `abbrev_en.txt`), or `None` for none: no abbreviations or starters, and the
    /// German month names for day ordinals.
    pub abbreviations: Option<&'static str>,
    /// The Snowball stemmer (Porter 2001) the lexicon matches words with, or `None` to match
    /// words whole.
    pub stemmer: Option<Algorithm>,
    /// How words of this language are romanised to meet their Latin spelling, or `None` for a
    /// language written in Latin (a Cyrillic word in its sentences is romanised by ICAO Doc
    /// 9303, as a Russian name would be).
    pub transliteration: Option<Transliteration>,
    /// The decimal separator of numbers (`3.5` in English, `3,5` in Russian); the other of `.`
    /// and `,` separates thousands.
    pub decimal_separator: char,
    /// Cyrillic words of this language's sentences are looked up in the anchors'
    /// Russian-English glossary (`src/align/lexicon.tsv`).
    pub glossary: bool,
    /// Characters the language spends on what English says in 100 (the aligner's length
    /// ratio), or `None` when unknown (the ratio is then learned from the text alone).
    pub verbosity: Option<f64>,
}

/// A romanisation standard: how a word in a non-Latin script is spelled in Latin letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transliteration {
    /// ICAO Doc 9303 (2013) machine-readable passports, as Russian passports spell names.
    Icao9303,
}

/// Generates [`Lang`], its registry ([`Lang::profile`]) and the language modules from one
/// list, so that a language is one module plus one line.
macro_rules! languages {
    ($($(#[$doc:meta])* $variant:ident => $module:ident,)*) => {
        $(mod $module;)*

        /// A language, by its ISO 639-1 code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Lang {
            $($(#[$doc])* $variant,)*
            /// Any other language: language-independent rules only.
            Other,
        }

        impl Lang {
            /// Every language with rules, in registry order ([`Lang::Other`] excluded).
            pub const KNOWN: &'static [Lang] = &[$(Lang::$variant),*];

            /// Every [`Lang`] value: [`Lang::KNOWN`], then [`Lang::Other`].
            pub const ALL: &'static [Lang] = &[$(Lang::$variant,)* Lang::Other];

            /// What bitext knows about the language.
            pub fn profile(self) -> &'static Profile {
                match self {
                    $(Lang::$variant => &$module::PROFILE,)*
                    Lang::Other => &other::PROFILE,
                }
            }
        }
    };
}

languages! {
    /// English.
    En => en,
    /// Russian.
    Ru => ru,
    /// German.
    De => de,
    /// French.
    Fr => fr,
}

impl Lang {
    /// The number of [`Lang`] values, [`Lang::Other`] included: the length of per-language
    /// tables.
    pub const COUNT: usize = Lang::KNOWN.len() + 1;

    /// The position of the language in per-language tables: its place in [`Lang::KNOWN`],
    /// then [`Lang::Other`].
    pub fn index(self) -> usize {
        // The variants are declared in registry order with `Other` last.
        self as usize
    }

    /// The language with rules whose ISO 639-1 code or ISO 639-2 alias is `code` (ASCII case
    /// ignored, no region: `en`, `DEU`), or `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::KNOWN.iter().copied().find(|l| {
            let p = l.profile();
            p.code.eq_ignore_ascii_case(code)
                || p.aliases.iter().any(|a| a.eq_ignore_ascii_case(code))
        })
    }

    /// The ISO 639-1 code (`"xx"` for [`Lang::Other`]).
    pub fn code(self) -> &'static str {
        self.profile().code
    }

    /// The usual TMX language tag of the language (`en-US`, `ru-RU`, `de-DE`, `fr-FR`), or
    /// `None` for [`Lang::Other`], whose code is not kept.
    pub fn default_tag(self) -> Option<&'static str> {
        self.profile().default_tag
    }

    /// True for languages written in Cyrillic.
    pub fn is_cyrillic(self) -> bool {
        self.profile().script == Some(Script::Cyrillic)
    }

    /// Characters the language spends on what English says in 100, when known.
    pub fn verbosity(self) -> Option<f64> {
        self.profile().verbosity
    }
}

impl FromStr for Lang {
    type Err = String;

    /// Parses a code such as `en`, `RU`, `de-CH` or `fr_FR` (ASCII case ignored): a language
    /// with rules by its ISO 639-1 code or ISO 639-2 alias; any other ISO 639-1 code
    /// ([`iso639::CODES`]: `uk`, `pl`) gives [`Lang::Other`]; anything else (`zz`, `ukr`,
    /// `english`) is refused, naming what is accepted.
    fn from_str(s: &str) -> Result<Lang, String> {
        let primary = s
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match Lang::from_code(&primary) {
            Some(lang) => Ok(lang),
            None if iso639::is_code(&primary) => Ok(Lang::Other),
            None => Err(format!(
                "'{s}' is not a language code: expected an ISO 639-1 code (e.g. en, ru, de, fr, \
                 uk), or eng, rus, deu/ger, fra/fre"
            )),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_aliases_parse_to_their_language() {
        for (s, lang) in [
            ("en", Lang::En),
            ("ENG", Lang::En),
            ("en_US", Lang::En),
            ("ru-RU", Lang::Ru),
            ("rus", Lang::Ru),
            ("de-CH", Lang::De),
            ("ger", Lang::De),
            ("deu", Lang::De),
            ("fr_FR", Lang::Fr),
            ("fre", Lang::Fr),
            ("fra", Lang::Fr),
            ("uk", Lang::Other),
            ("PL-pl", Lang::Other),
        ] {
            assert_eq!(s.parse::<Lang>(), Ok(lang), "{s}");
        }
        for bad in ["", "e", "english", "1en", "ру", "zz", "xx", "zz-ZZ", "ukr"] {
            assert!(bad.parse::<Lang>().is_err(), "{bad}");
        }
        assert_eq!(Lang::from_code("DEU"), Some(Lang::De));
        assert_eq!(Lang::from_code("fre"), Some(Lang::Fr));
        assert_eq!(Lang::from_code("en-US"), None, "a code, not a tag");
        assert_eq!(Lang::from_code("uk"), None);
    }

    #[test]
    fn the_registry_is_consistent() {
        let mut codes = std::collections::HashSet::new();
        for (i, &lang) in Lang::KNOWN.iter().enumerate() {
            let p = lang.profile();
            assert_eq!(lang.index(), i);
            assert_eq!(p.code.parse::<Lang>(), Ok(lang), "{}", p.name);
            assert!(
                p.script.is_some(),
                "{}: a language with rules names its script",
                p.name
            );
            for code in std::iter::once(&p.code).chain(p.aliases) {
                assert!(codes.insert(*code), "{code} is registered twice");
            }
            if let Some(tag) = p.default_tag {
                assert_eq!(tag::invalid_lang(tag), None, "{tag}");
                assert_eq!(tag.parse::<Lang>(), Ok(lang), "{tag}");
            }
        }
        assert_eq!(Lang::Other.index(), Lang::COUNT - 1);
        assert_eq!(Lang::ALL.len(), Lang::COUNT);
        assert_eq!(Lang::Other.code(), "xx");
        assert_eq!(Lang::Other.default_tag(), None);
    }

    #[test]
    fn profiles_keep_the_values_the_aligner_was_tuned_with() {
        let verbosity: Vec<_> = Lang::ALL.iter().map(|l| l.verbosity()).collect();
        assert_eq!(
            verbosity,
            [Some(100.0), Some(110.0), Some(112.0), Some(115.0), None]
        );
        assert!(Lang::Ru.is_cyrillic() && !Lang::En.is_cyrillic() && !Lang::Other.is_cyrillic());
        assert_eq!(Lang::En.profile().decimal_separator, '.');
        for lang in [Lang::Ru, Lang::De, Lang::Fr, Lang::Other] {
            assert_eq!(lang.profile().decimal_separator, ',', "{lang}");
        }
    }
}
