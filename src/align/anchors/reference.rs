//! Frozen reference copy of anchor-key extraction as it was before [`KeyBuf`] (commit
//! 8bb1291), for tests only: the differential and property tests in `tests.rs` compare
//! [`sentence_keys`] with the allocation-free version in `mod.rs` on fixtures and random text,
//! so any drift in the fast version fails a test. It shares the data (lexicon file, ICAO and
//! Palladius tables, the Cyrillic range of [`crate::lang::script`]) and copies the algorithms.
//!
//! Do not optimise or edit this file except to follow an intended change of the keys.
//!
//! When it may be replaced by golden outputs: a frozen copy is worth its lines only while it
//! compiles against today's types and agrees with the fast version by design. Replace it with a
//! frozen corpus of golden outputs when (a) it no longer compiles against the current types
//! without rewriting its algorithm, or (b) the keys are deliberately changed in a way the copy
//! would have to re-implement. Then, in one commit, generate with the last version on which
//! fast and reference agree the keys of every fixture line (`tests/fixtures/`) and of the
//! property tests' regression seeds and a fixed set of generated inputs, commit them as
//! golden files beside the tests, make the tests compare against them, and delete this file;
//! the deliberate change then lands in a later commit whose diff to the golden files shows it.

use std::sync::LazyLock;

use self::translit::{icao_into, palladius_to_pinyin, skeleton_into};
use crate::Lang;

/// Letters of a cognate key (Simard et al. 1992 use four).
const PREFIX: usize = 4;
/// Lower-case words shorter than this are function words and give no key.
const MIN_COMMON_WORD: usize = 5;

/// One lexicon entry: Russian words (lower case) and the English word they translate.
struct Entry {
    words: Vec<&'static str>,
    english: &'static str,
    exact: bool,
}

static LEXICON: LazyLock<Vec<Entry>> = LazyLock::new(|| {
    let mut entries: Vec<Entry> = include_str!("../lexicon.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            let ru = f.next()?;
            let english = f.next()?;
            Some(Entry {
                words: ru.split(' ').collect(),
                english,
                exact: f.next() == Some("exact"),
            })
        })
        .collect();
    // Longest first, so that `унп оон` wins over `оон`.
    entries.sort_by_key(|e| std::cmp::Reverse(e.words.len()));
    entries
});

/// The month number of a month name or abbreviation in English, Russian, German or French.
fn month(lower: &str) -> Option<u8> {
    const STEMS: &[(&str, u8)] = &[
        ("январ", 1),
        ("феврал", 2),
        ("март", 3),
        ("апрел", 4),
        ("мая", 5),
        ("май", 5),
        ("мае", 5),
        ("июн", 6),
        ("июл", 7),
        ("август", 8),
        ("сентябр", 9),
        ("октябр", 10),
        ("ноябр", 11),
        ("декабр", 12),
        ("january", 1),
        ("february", 2),
        ("march", 3),
        ("april", 4),
        ("may", 5),
        ("june", 6),
        ("july", 7),
        ("august", 8),
        ("september", 9),
        ("october", 10),
        ("november", 11),
        ("december", 12),
        ("januar", 1),
        ("februar", 2),
        ("märz", 3),
        ("mai", 5),
        ("juni", 6),
        ("juli", 7),
        ("oktober", 10),
        ("dezember", 12),
        ("janvier", 1),
        ("février", 2),
        ("mars", 3),
        ("avril", 4),
        ("juin", 6),
        ("juillet", 7),
        ("août", 8),
        ("septembre", 9),
        ("octobre", 10),
        ("novembre", 11),
        ("décembre", 12),
    ];
    let cyrillic = lower.chars().next().is_some_and(is_cyrillic);
    STEMS.iter().find_map(|&(stem, n)| {
        let hit = if cyrillic {
            // Russian months inflect: марта, сентябре, мая.
            lower.starts_with(stem) && lower.chars().count() <= stem.chars().count() + 2
        } else {
            lower == stem
        };
        hit.then_some(n)
    })
}

/// The one Cyrillic range (a deliberate change of 2026: the copy had U+0400-U+052F only).
fn is_cyrillic(c: char) -> bool {
    crate::lang::script::is_cyrillic(c)
}

/// A token of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Word(&'a str),
    Number(&'a str),
    Punct(char),
}

/// Splits a sentence into words (letter runs), numbers (digit runs with inner separators,
/// including thin and no-break spaces between thousands groups) and kept punctuation.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((start, c)) = it.next() {
        if c.is_alphabetic() {
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = it.peek() {
                if d.is_alphabetic() || is_combining(d) || is_ignorable(d) {
                    end = i + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            out.push(Token::Word(&text[start..end]));
        } else if c.is_ascii_digit() {
            let mut end = start + 1;
            while let Some(&(i, d)) = it.peek() {
                if d.is_ascii_digit() {
                    end = i + 1;
                    it.next();
                    continue;
                }
                // A separator continues the number only when a digit follows it.
                let sep = matches!(d, '.' | ',' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'');
                let next_is_digit = text[i + d.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_ascii_digit());
                if sep && next_is_digit {
                    end = i + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            out.push(Token::Number(&text[start..end]));
        } else if matches!(c, '?' | '!' | '(' | '"' | '«' | '“' | '„' | '%' | '§') {
            out.push(Token::Punct(c));
        }
    }
    out
}

/// Characters invisible inside a word: soft hyphen, zero-width space and joiners, word
/// joiner, byte-order mark. Matching keys skip them (`орга\u{AD}низация` = `организация`); the
/// exported text keeps them.
fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn is_combining(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Normalises a number: thousands separators removed, the decimal separator (`.` in English,
/// `,` elsewhere) written `.`, leading zeros dropped; a `dd.mm.yyyy` date gives day, month and
/// year keys.
fn number_keys(raw: &str, lang: Lang, out: &mut Vec<String>) {
    let groups: Vec<&str> = raw
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let seps: Vec<char> = raw.chars().filter(|c| !c.is_ascii_digit()).collect();
    let strip = |g: &str| -> String {
        let t = g.trim_start_matches('0');
        if t.is_empty() {
            "0".to_string()
        } else {
            t.to_string()
        }
    };
    if groups.len() == 3
        && seps.iter().all(|&s| s == '.')
        && groups[0].len() <= 2
        && groups[1].len() <= 2
        && (groups[2].len() == 4 || groups[2].len() == 2)
    {
        // A numeric date: 17.05.2018.
        out.push(format!("#{}", strip(groups[0])));
        out.push(format!("@{}", strip(groups[1])));
        out.push(format!("#{}", strip(groups[2])));
        return;
    }
    let decimal = if lang == Lang::En { '.' } else { ',' };
    let mut key = strip(groups[0]);
    let mut fraction = false;
    for (k, (&sep, group)) in seps.iter().zip(&groups[1..]).enumerate() {
        let last = k + 2 == groups.len();
        if group.len() == 3 && !(sep == decimal && last) && !fraction {
            key.push_str(group); // a thousands group
        } else {
            key.push('.');
            key.push_str(group);
            fraction = true;
        }
    }
    out.push(format!("#{key}"));
}

/// Appends the anchor keys of one sentence in language `lang` to `out`.
pub fn sentence_keys(text: &str, lang: Lang, out: &mut Vec<String>) {
    let toks = tokens(text);
    let mut latin = String::new();
    let mut skel = String::new();
    let mut quoted = false;
    let mut i = 0;
    let mut first_word = true;
    while i < toks.len() {
        match toks[i] {
            Token::Number(raw) => number_keys(raw, lang, out),
            Token::Punct(c) => match c {
                '"' | '«' | '“' | '„' => quoted = true,
                c => out.push(c.to_string()),
            },
            Token::Word(word) => {
                let sentence_initial = first_word;
                first_word = false;
                let folded;
                let word = if word.chars().any(is_ignorable) {
                    folded = word
                        .chars()
                        .filter(|&c| !is_ignorable(c))
                        .collect::<String>();
                    folded.as_str()
                } else {
                    word
                };
                let lower = word.to_lowercase();
                if let Some(n) = month(&lower) {
                    out.push(format!("@{n}"));
                    i += 1;
                    continue;
                }
                let cyrillic = word.chars().next().is_some_and(is_cyrillic);
                if cyrillic && lang != Lang::Other {
                    if let Some((english, used)) = lexicon_match(&toks[i..]) {
                        let acronym =
                            word.chars().all(char::is_uppercase) && word.chars().count() > 1;
                        word_key(english, acronym, &mut skel, out);
                        i += used;
                        continue;
                    }
                }
                let letters = word.chars().count();
                let upper = word.chars().filter(|c| c.is_uppercase()).count();
                let acronym = upper >= 2 && upper == letters;
                let capitalised = word.chars().next().is_some_and(char::is_uppercase);
                let is_name = acronym || (capitalised && !sentence_initial);
                if letters < MIN_COMMON_WORD && !is_name && !(capitalised && letters >= PREFIX) {
                    i += 1;
                    continue;
                }
                latin.clear();
                if cyrillic {
                    icao_into(strip_short_name_ending(&lower, capitalised), &mut latin);
                    // A capitalised word that reads as Palladius syllables may be a Chinese
                    // name: offer its Pinyin key too (once, when the two keys differ).
                    if let Some(pinyin) =
                        palladius_to_pinyin(&lower).filter(|_| capitalised && !acronym)
                    {
                        let before = out.len();
                        word_key(&pinyin, false, &mut skel, out);
                        word_key(&latin, false, &mut skel, out);
                        if out.len() == before + 2 && out[before] == out[before + 1] {
                            out.pop();
                        }
                        i += 1;
                        continue;
                    }
                } else {
                    fold_latin_into(&lower, &mut latin);
                }
                word_key(&latin, acronym, &mut skel, out);
            }
        }
        i += 1;
    }
    if quoted {
        out.push("\"".into());
    }
}

/// The stem of a short capitalised Russian word without its case ending (`юня` -> `юн`, as in
/// Лян Юня ~ Liang Yun), when the stem is shorter than a cognate key; otherwise the word.
fn strip_short_name_ending(lower: &str, capitalised: bool) -> &str {
    const ENDINGS: &[&str] = &[
        "ом", "ем", "ой", "ей", "ым", "им", "а", "я", "у", "ю", "е", "и", "ы",
    ];
    if !capitalised {
        return lower;
    }
    for e in ENDINGS {
        if let Some(stem) = lower.strip_suffix(e) {
            let stem = stem.strip_suffix('ь').unwrap_or(stem);
            let letters = stem.chars().count();
            if (2..PREFIX).contains(&letters) {
                return stem;
            }
        }
    }
    lower
}

/// Pushes the key of a Latin word: its skeleton, cut to [`PREFIX`] letters unless it is an
/// acronym (kept whole: `UN` must not meet `UNODC`).
fn word_key(latin: &str, whole: bool, skel: &mut String, out: &mut Vec<String>) {
    skel.clear();
    skeleton_into(latin, skel);
    if skel.is_empty() {
        return;
    }
    if whole {
        out.push(format!("={skel}"));
    } else {
        let cut = skel
            .char_indices()
            .nth(PREFIX)
            .map_or(skel.len(), |(i, _)| i);
        out.push(skel[..cut].to_string());
    }
}

/// Lower-case ASCII form of a Latin word: diacritics removed (`é` -> `e`, `ß` -> `ss`).
fn fold_latin_into(lower: &str, out: &mut String) {
    use unicode_normalization::UnicodeNormalization;
    for c in lower.nfd() {
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            c if c.is_ascii_alphabetic() => out.push(c),
            _ => {}
        }
    }
}

/// Matches the lexicon at the start of `toks`: the English word and the number of tokens used.
fn lexicon_match(toks: &[Token<'_>]) -> Option<(&'static str, usize)> {
    for entry in LEXICON.iter() {
        if toks.len() < entry.words.len() {
            continue;
        }
        let all = entry.words.iter().zip(toks).all(|(w, t)| match t {
            Token::Word(word) => {
                let lower = word.to_lowercase();
                if entry.exact || entry.words.len() > 1 {
                    lower == *w
                } else {
                    lower.starts_with(w) && lower.chars().count() <= w.chars().count() + 3
                }
            }
            _ => false,
        });
        if all {
            return Some((entry.english, entry.words.len()));
        }
    }
    None
}

/// The transliteration algorithms as they were, over today's tables.
pub(super) mod translit {
    use crate::align::translit::{icao, FINALS, INITIALS, ZERO_INITIAL};

    /// Appends the ICAO transliteration of a lower-case Cyrillic word to `out`; other characters
    /// are copied when ASCII and dropped otherwise.
    pub fn icao_into(word: &str, out: &mut String) {
        for c in word.chars() {
            match icao(c) {
                Some(s) => out.push_str(s),
                None if c.is_ascii() => out.push(c),
                None => {}
            }
        }
    }

    /// Reads a lower-case Russian word as Palladius syllables and returns their Pinyin, or `None`
    /// when the word is not a sequence of Palladius syllables (most Russian words are not).
    pub fn palladius_to_pinyin(word: &str) -> Option<String> {
        let mut rest = word;
        let mut out = String::with_capacity(word.len());
        while !rest.is_empty() {
            let before = rest;
            let at_start = rest.len() == word.len();
            let zero = ZERO_INITIAL
                .iter()
                .find(|(ru, _)| at_start && rest.starts_with(ru));
            if let Some((ru, py)) = zero {
                out.push_str(py);
                rest = &rest[ru.len()..];
            } else {
                let (ini_ru, ini_py) = INITIALS.iter().find(|(ru, _)| rest.starts_with(ru))?;
                let after = &rest[ini_ru.len()..];
                let (fin_ru, fin_py, i_type) =
                    FINALS.iter().find(|(ru, _, _)| after.starts_with(ru))?;
                let initial = match (*ini_py, *i_type) {
                    ("z", true) => "j",
                    ("c", true) => "q",
                    ("s", true) => "x",
                    (p, _) => p,
                };
                let fin = match (initial, *fin_py) {
                    // bo, po, mo, fo: Pinyin writes -o after labials, -uo elsewhere.
                    ("b" | "p" | "m" | "f", "uo") => "o",
                    // zhi, chi, shi, ri: Palladius writes чжи, чи, ши, жи.
                    ("zh" | "ch" | "sh" | "r", "i") => "i",
                    (_, f) => f,
                };
                out.push_str(initial);
                out.push_str(fin);
                rest = &after[fin_ru.len()..];
            }
            // A soft sign may close a syllable (-нь).
            if let Some(r) = rest.strip_prefix('ь') {
                rest = r;
            }
            if rest.len() == before.len() {
                return None;
            }
        }
        Some(out)
    }

    /// Appends the phonetic skeleton of a lower-case Latin word to `out`.
    ///
    /// Spelling variants that transliterations and English spellings disagree on are merged, and
    /// doubled letters collapsed: `zapparov`/`заппаров` -> `saparov`, `haydarzoda`/`хайдарзода`
    /// -> `haidarsoda`.
    pub fn skeleton_into(latin: &str, out: &mut String) {
        let b = latin.as_bytes();
        let start = out.len();
        let mut i = 0;
        while i < b.len() {
            let rest = &b[i..];
            let (emit, used): (&str, usize) = if rest.starts_with(b"shch") {
                ("sh", 4)
            } else if rest.starts_with(b"tsch") {
                ("ch", 4)
            } else if rest.starts_with(b"sch") {
                ("sh", 3)
            } else if rest.starts_with(b"dzh") {
                ("j", 3)
            } else if rest.starts_with(b"kh") || rest.starts_with(b"gh") {
                (if rest[0] == b'k' { "h" } else { "g" }, 2)
            } else if rest.starts_with(b"zh") || rest.starts_with(b"dj") {
                ("j", 2)
            } else if rest.starts_with(b"ts") || rest.starts_with(b"tz") {
                ("c", 2)
            } else if rest.starts_with(b"ck") {
                ("k", 2)
            } else if rest.starts_with(b"ph") {
                ("f", 2)
            } else if rest.starts_with(b"th") {
                ("t", 2)
            } else {
                let c = rest[0];
                let s = match c {
                    b'c' if rest.get(1) == Some(&b'h') => {
                        i += 2;
                        push_collapsed(out, start, "ch");
                        continue;
                    }
                    b'c' | b'q' | b'k' => "k",
                    b'w' | b'v' => "v",
                    b'x' => "ks",
                    b'y' | b'j' | b'i' => "i",
                    b'z' | b's' => "s",
                    b'a'..=b'z' => {
                        let mut buf = [0u8; 4];
                        push_collapsed(out, start, char::from(c).encode_utf8(&mut buf));
                        i += 1;
                        continue;
                    }
                    _ => "",
                };
                (s, 1)
            };
            push_collapsed(out, start, emit);
            i += used;
        }
    }

    /// Pushes `s`, skipping a first letter that repeats the last one written (after `start`).
    fn push_collapsed(out: &mut String, start: usize, s: &str) {
        let mut chars = s.chars();
        if let Some(first) = chars.next() {
            if out.len() > start && out.ends_with(first) {
                out.push_str(chars.as_str());
            } else {
                out.push_str(s);
            }
        }
    }
}
