//! Per-language word lists for the sentence splitter: abbreviations by class, frequent
//! sentence-initial words and month names.
//!
//! The lists are plain text files in `src/lang/` (`abbrev_en.txt`, `abbrev_ru.txt`,
//! `abbrev_de.txt`, `abbrev_fr.txt`, format described in `abbrev_en.txt`), compiled into each
//! language's profile ([`crate::lang::Profile::abbreviations`]) and parsed into hash maps the
//! first time a language is split ([`OnceLock`]).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::Lang;

/// How an abbreviation behaves before a capitalised word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Never ends a sentence (`Mr.`, `e.g.`, `т. е.`).
    Title,
    /// Ends a sentence when a capitalised word follows (`etc.`, `и т. д.`).
    Final,
    /// Ends a sentence only before a frequent sentence-initial word (`U.S.`, `No.`).
    Ambiguous,
    /// [`Class::Final`] right after a number, [`Class::Title`] otherwise (`2018 г.` / `г. Пекин`).
    Year,
}

/// A small multiply-rotate hash (the `FxHash` of rustc) for the short keys of the lists: the
/// lists are compiled in, not attacker-chosen, so SipHash's flood resistance buys nothing and
/// costs a few dozen cycles per lookup (one or more per period in the text).
#[derive(Debug, Default, Clone, Copy)]
struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in chunks.by_ref() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The hasher of the word maps.
type Words = BuildHasherDefault<WordHasher>;

/// The word lists of one language.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    /// Abbreviations by normalised key (see [`normalize_key`]).
    abbrevs: HashMap<String, Class, Words>,
    /// Frequent sentence-initial words, exactly as written (`The`, `В`).
    starters: HashSet<String, Words>,
    /// Month names, capitalised (`September`).
    months: HashSet<String, Words>,
    /// One-letter words that are not initials after a lowercase word (English `I`).
    words: HashSet<String, Words>,
    /// The longest abbreviation key in bytes: longer keys are not looked up.
    longest: usize,
}

impl Lexicon {
    /// Parses a list file (sections `[title]`, `[final]`, `[ambiguous]`, `[year]`,
    /// `[starters]`, `[months]`, `[words]`; `#` starts a comment line).
    fn parse(src: &str) -> Lexicon {
        let mut lex = Lexicon::default();
        let mut section = "";
        for line in src.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = match name {
                    "title" | "final" | "ambiguous" | "year" | "starters" | "months" | "words" => {
                        name
                    }
                    _ => "",
                };
                continue;
            }
            let class = match section {
                "title" => Class::Title,
                "final" => Class::Final,
                "ambiguous" => Class::Ambiguous,
                "year" => Class::Year,
                "starters" => {
                    lex.starters.insert(line.to_owned());
                    continue;
                }
                "months" => {
                    lex.months.insert(line.to_owned());
                    continue;
                }
                "words" => {
                    lex.words.insert(line.to_owned());
                    continue;
                }
                _ => continue,
            };
            let key = normalize_key(line);
            lex.longest = lex.longest.max(key.len());
            lex.abbrevs.insert(key, class);
        }
        lex
    }

    /// The class of an abbreviation key (parts joined by single dots, no final dot).
    pub(crate) fn class(&self, key: &str) -> Option<Class> {
        if key.len() > self.longest {
            return None;
        }
        self.abbrevs.get(key).copied()
    }

    /// True for a frequent sentence-initial word.
    pub(crate) fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }

    /// True for a one-letter word that is not an initial after a lowercase word (`you and I.`).
    pub(crate) fn is_word(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// True for a month name.
    pub(crate) fn is_month(&self, word: &str) -> bool {
        self.months.contains(word)
    }

    /// All abbreviation keys (for tests).
    #[cfg(test)]
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.abbrevs.keys().map(String::as_str)
    }
}

/// The key of a list entry as the splitter builds it from text: letter groups joined by one
/// `.`, the white space or hyphen after an inner period dropped, no final period
/// (`av. J.-C.` -> `av.J.C`, `т. е.` -> `т.е`, `пр-т` -> `пр-т`).
pub(crate) fn normalize_key(entry: &str) -> String {
    let entry = entry.trim().trim_end_matches('.');
    let mut out = String::with_capacity(entry.len());
    let mut chars = entry.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '.' {
            if let Some(&n) = chars.peek() {
                if n == '-' || n.is_whitespace() {
                    chars.next();
                }
            }
        }
    }
    out
}

/// The word lists for `lang`, parsed on first use.
pub(crate) fn lexicon(lang: Lang) -> &'static Lexicon {
    static LISTS: [OnceLock<Lexicon>; Lang::COUNT] = [const { OnceLock::new() }; Lang::COUNT];
    LISTS[lang.index()].get_or_init(|| match lang.profile().abbreviations {
        Some(lists) => Lexicon::parse(lists),
        // A language without lists: no abbreviations or starters, German month names for
        // day ordinals (`9. September`).
        None => Lexicon {
            months: lexicon(Lang::De).months.clone(),
            ..Lexicon::default()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalise_spaces_and_hyphens_after_periods() {
        assert_eq!(normalize_key("e.g."), "e.g");
        assert_eq!(normalize_key("т. е."), "т.е");
        assert_eq!(normalize_key("av. J.-C."), "av.J.C");
        assert_eq!(normalize_key("пр-т"), "пр-т");
        assert_eq!(normalize_key("Mr"), "Mr");
    }

    #[test]
    fn every_entry_is_reachable_from_text() {
        // The splitter builds keys from letter groups (a degree sign counts as a letter, for
        // `N°`) joined by single dots; an entry with a space not after a period, a digit or a
        // doubled dot could never match.
        for &lang in Lang::KNOWN {
            let lex = lexicon(lang);
            assert!(lex.keys().count() > 10, "{lang}: list too short");
            for key in lex.keys() {
                for part in key.split('.') {
                    assert!(!part.is_empty(), "{lang}: empty part in {key:?}");
                    assert!(
                        part.chars()
                            .all(|c| c.is_alphabetic() || c == '-' || c == '°'),
                        "{lang}: {key:?} has a character the splitter never puts in a key"
                    );
                    assert!(
                        !part.starts_with('-') && !part.ends_with('-'),
                        "{lang}: {key:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn classes_load() {
        let en = lexicon(Lang::En);
        assert_eq!(en.class("Mr"), Some(Class::Title));
        assert_eq!(en.class("etc"), Some(Class::Final));
        assert_eq!(en.class("U.S"), Some(Class::Ambiguous));
        assert!(en.is_starter("The"));
        let ru = lexicon(Lang::Ru);
        assert_eq!(ru.class("т.е"), Some(Class::Title));
        assert_eq!(ru.class("т.д"), Some(Class::Final));
        assert_eq!(ru.class("г"), Some(Class::Year));
        assert_eq!(lexicon(Lang::Fr).class("av.J.C"), Some(Class::Final));
        assert_eq!(lexicon(Lang::De).class("z.B"), Some(Class::Title));
        assert!(lexicon(Lang::Other).is_month("September"));
        assert_eq!(lexicon(Lang::Other).class("Mr"), None);
    }
}
