//! Anchor keys: the language-independent facts of a sentence that survive translation.
//!
//! Each sentence becomes a bag of string keys that both languages produce the same way:
//! numbers normalised across conventions (`1,000` = `1 000`, `3.5` = `3,5`, `17.05.2018` ->
//! day, month, year), months by number in English, Russian, German and French, acronyms and
//! exonyms through a small bundled lexicon (`ШОС` ~ `SCO`, `Пекин` ~ `Beijing`), names and
//! cognates through the phonetic skeleton of their Latin form (Russian transliterated by ICAO
//! or, for Chinese names, read back from Palladius into Pinyin) cut to four letters, as in
//! Simard, Foster & Isabelle (1992) — which also tolerates Russian case endings
//! (`Жайчибековым`) — and the punctuation that translators keep (`?`, `!`, brackets, quotes).

use std::sync::LazyLock;

use super::translit::{icao_into, palladius_to_pinyin, skeleton_into};
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
    let mut entries: Vec<Entry> = include_str!("lexicon.tsv")
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

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{052F}').contains(&c)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        sentence_keys(text, lang, &mut out);
        out.sort();
        out
    }

    fn shared(en: &str, ru: &str) -> Vec<String> {
        let a = keys(en, Lang::En);
        let b = keys(ru, Lang::Ru);
        let mut s: Vec<String> = a.into_iter().filter(|k| b.contains(k)).collect();
        s.dedup();
        s
    }

    #[test]
    fn numbers_normalise_across_conventions() {
        assert_eq!(
            keys("1,000 and 1\u{a0}000 and 1.5", Lang::En),
            ["#1.5", "#1000", "#1000"]
        );
        assert_eq!(keys("1\u{a0}000 и 1,5", Lang::Ru), ["#1.5", "#1000"]);
        assert_eq!(keys("4'000 m und 1.000 m", Lang::De), ["#1000", "#4000"]);
        assert_eq!(keys("3.5", Lang::En), keys("3,5", Lang::Ru));
        assert_eq!(keys("17.05.2018", Lang::Ru), ["#17", "#2018", "@5"]);
        assert_eq!(keys("version 1.2.3", Lang::En), ["#1.2.3", "vers"]);
        assert_eq!(keys("No. 007", Lang::En), ["#7"]);
    }

    #[test]
    fn dates_meet_across_languages() {
        assert_eq!(
            keys("On 17 May 2018", Lang::En),
            keys("17\u{a0}мая 2018\u{a0}г.", Lang::Ru)
        );
        assert_eq!(
            keys("12 March 2018", Lang::En),
            keys("12 марта 2018", Lang::Ru)
        );
    }

    #[test]
    fn names_meet_across_scripts() {
        let s = shared(
            "Deputy Minister Liu Yuejin and Secretary-General Rashid Alimov greeted A. Zhaichibekov.",
            "Замминистра Лю Юэцзинь и Генсекретарь Рашид Алимов приветствовали А. Жайчибекова.",
        );
        for k in ["liu", "iuei", "rash", "alim", "jaic"] {
            assert!(s.contains(&k.to_string()), "{k} missing from {s:?}");
        }
        let s = shared("Liang Yun chaired", "под председательством Лян Юня");
        assert!(s.contains(&"lian".to_string()), "{s:?}");
        assert!(s.contains(&"iun".to_string()), "{s:?}");
    }

    #[test]
    fn case_endings_are_tolerated() {
        let s = shared("with Zhaichibekov", "с Жайчибековым");
        assert_eq!(s, ["jaic"]);
    }

    #[test]
    fn lexicon_translates_acronyms_and_exonyms() {
        let s = shared(
            "The SCO and the UN met in Beijing",
            "ШОС и ООН встретились в Пекине",
        );
        assert_eq!(s, ["=sko", "=un", "bein"]);
        assert!(!keys("офис УНП ООН", Lang::Ru).contains(&"=un".to_string()));
    }

    #[test]
    fn latin_words_kept_in_russian_text_match() {
        assert!(shared("UNODC experts", "эксперты UNODC").contains(&"=unodk".to_string()));
        assert_eq!(shared("the UNODC office", "офис УНП ООН"), ["=unodk"]);
    }

    #[test]
    fn invisible_characters_do_not_split_words() {
        assert_eq!(
            keys("орга\u{AD}низация", Lang::Ru),
            keys("организация", Lang::Ru)
        );
        assert_eq!(
            keys("Zhai\u{200B}chibekov", Lang::En),
            keys("Zhaichibekov", Lang::En)
        );
    }

    #[test]
    fn function_words_give_no_key() {
        assert!(keys("in the of and to", Lang::En).is_empty());
        assert!(keys("и в на с по", Lang::Ru).is_empty());
    }

    #[test]
    fn punctuation_profile() {
        assert_eq!(keys("Why (now)?", Lang::En), ["(", "?"]);
        assert_eq!(
            keys("«Почему?» — «Вот!»", Lang::Ru),
            ["!", "\"", "?", "poch", "vot"]
        );
    }

    #[test]
    fn german_french_cognates() {
        let de = keys(
            "Die Expedition erreichte den Gipfel des Matterhorns",
            Lang::De,
        );
        let fr = keys("L'expédition atteignit le sommet du Matterhorn", Lang::Fr);
        assert!(de.contains(&"ekspe".chars().take(4).collect::<String>()));
        assert!(
            de.iter().filter(|k| fr.contains(k)).count() >= 2,
            "{de:?} {fr:?}"
        );
    }
}
