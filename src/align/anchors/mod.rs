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
//!
//! Keys go into a [`KeyBuf`]: one string arena plus key ends, with the scratch buffers of the
//! extraction kept alongside, so that extracting keys allocates nothing per key or per word
//! once the buffers have grown.

use std::fmt;
use std::sync::LazyLock;

use super::translit::{icao_into, palladius_into, skeleton_upto, skeleton_upto_lowering};
use crate::lang::script::is_cyrillic;
use crate::lang::Transliteration;
use crate::Lang;

/// Letters of a cognate key (Simard et al. 1992 use four).
const PREFIX: usize = 4;
/// Lower-case words shorter than this are function words and give no key.
const MIN_COMMON_WORD: usize = 5;

/// One word of a lexicon entry (lower case) and its length in characters.
struct LexWord {
    text: &'static str,
    chars: usize,
}

/// One lexicon entry: Russian words (lower case) and the English word they translate.
struct Entry {
    words: Vec<LexWord>,
    english: &'static str,
    /// The words must be equal, not merely a prefix plus a short case ending.
    whole: bool,
}

static LEXICON: LazyLock<Vec<Entry>> = LazyLock::new(|| {
    let mut entries: Vec<Entry> = include_str!("../lexicon.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            let ru = f.next()?;
            let english = f.next()?;
            let words: Vec<LexWord> = ru
                .split(' ')
                .map(|text| LexWord {
                    text,
                    chars: text.chars().count(),
                })
                .collect();
            let whole = f.next() == Some("exact") || words.len() > 1;
            Some(Entry {
                words,
                english,
                whole,
            })
        })
        .collect();
    // Longest first, so that `унп оон` wins over `оон`.
    entries.sort_by_key(|e| std::cmp::Reverse(e.words.len()));
    entries
});

/// Russian month stems; a Russian month name inflects, so it matches a stem plus at most two
/// letters (марта, сентябре, мая).
const RUSSIAN_MONTHS: &[(&str, u8)] = &[
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
];

/// The month number of a month name or abbreviation in English, Russian, German or French.
fn month(lower: &str) -> Option<u8> {
    if lower.chars().next().is_some_and(is_cyrillic) {
        return RUSSIAN_MONTHS.iter().find_map(|&(stem, n)| {
            let hit = lower.starts_with(stem) && lower.chars().count() <= stem.chars().count() + 2;
            hit.then_some(n)
        });
    }
    Some(match lower {
        "january" | "januar" | "janvier" => 1,
        "february" | "februar" | "février" => 2,
        "march" | "märz" | "mars" => 3,
        "april" | "avril" => 4,
        "may" | "mai" => 5,
        "june" | "juni" | "juin" => 6,
        "july" | "juli" | "juillet" => 7,
        "august" | "août" => 8,
        "september" | "septembre" => 9,
        "october" | "oktober" | "octobre" => 10,
        "november" | "novembre" => 11,
        "december" | "dezember" | "décembre" => 12,
        _ => return None,
    })
}

/// How a Cyrillic word in a sentence of `lang` is romanised: by the language's own standard,
/// or, for a language written in Latin (a Russian name in an English sentence), by ICAO Doc
/// 9303, the standard of Russian passports.
fn cyrillic_transliteration(lang: Lang) -> Transliteration {
    lang.profile()
        .transliteration
        .unwrap_or(Transliteration::Icao9303)
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

/// The anchor keys of one or more sentences, stored compactly: key `i` is
/// `text[ends[i - 1]..ends[i]]` of one string arena.
#[derive(Default, Clone)]
pub struct KeyBuf {
    keys: Keys,
    scratch: Scratch,
}

/// The keys of a [`KeyBuf`]: one string and the end of each key in it.
#[derive(Default, Clone)]
struct Keys {
    text: String,
    ends: Vec<usize>,
}

/// Buffers reused from word to word.
#[derive(Default, Clone)]
struct Scratch {
    folded: String,
    lower: String,
    other: String,
    latin: String,
    pinyin: String,
}

impl KeyBuf {
    /// An empty buffer.
    pub fn new() -> KeyBuf {
        KeyBuf::default()
    }

    /// Removes every key, keeping the memory for the next ones.
    pub fn clear(&mut self) {
        self.keys.text.clear();
        self.keys.ends.clear();
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.keys.ends.len()
    }

    /// True when the buffer holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.ends.is_empty()
    }

    /// Key `i`, or `None` when `i >= self.len()`.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.keys.get(i)
    }

    /// The keys in the order they were appended.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + '_ {
        let Keys { text, ends } = &self.keys;
        ends.iter().enumerate().map(move |(i, &end)| {
            let start = ends.get(i.wrapping_sub(1)).copied().unwrap_or(0);
            text.get(start..end).unwrap_or_default()
        })
    }

    /// Appends one key.
    pub fn push(&mut self, key: &str) {
        self.keys.text.push_str(key);
        self.keys.ends.push(self.keys.text.len());
    }
}

impl Keys {
    /// The number of keys.
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Key `i`, if there is one.
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => *self.ends.get(i - 1)?,
        };
        self.text.get(start..end)
    }

    /// Closes the key written to the arena since the last key, or drops it when it is no
    /// longer than `min` bytes (an empty key, or a bare `=` mark).
    fn close(&mut self, min: usize) {
        let start = self.ends.last().copied().unwrap_or(0);
        if self.text.len() > start + min {
            self.ends.push(self.text.len());
        } else {
            self.text.truncate(start);
        }
    }

    /// Removes the last key.
    fn pop(&mut self) {
        self.ends.pop();
        let end = self.ends.last().copied().unwrap_or(0);
        self.text.truncate(end);
    }
}

impl fmt::Debug for KeyBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A token of a sentence, as byte ranges into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// A word and, when it is all ASCII, the number of its upper-case letters.
    Word(usize, usize, Option<usize>),
    Number(usize, usize),
    Punct(char),
}

/// The character at byte `i` of `text`, if `i` is in bounds and on a character boundary.
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

// Byte classes for the tokenizer: one table look-up per byte of ASCII text.
/// A lower-case ASCII letter.
const LOWER: u8 = 1;
/// An upper-case ASCII letter.
const UPPER: u8 = 2;
/// An ASCII digit.
const DIGIT: u8 = 4;
/// ASCII punctuation kept as a key (or as the quote mark).
const KEPT: u8 = 8;
/// A byte of a multi-byte character.
const MULTI: u8 = 16;
/// An ASCII letter.
const LETTER: u8 = LOWER | UPPER;
/// The class of each byte.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            b'0'..=b'9' => DIGIT,
            b'?' | b'!' | b'(' | b'"' | b'%' => KEPT,
            0x80..=0xFF => MULTI,
            _ => 0,
        };
        b += 1;
    }
    t
};

/// The class of byte `b`.
fn class(b: u8) -> u8 {
    CLASS[usize::from(b)]
}

/// The number of ASCII letters `b` starts with, and how many of them are capitals; eight bytes
/// at a time.
fn ascii_letters(b: &[u8]) -> (usize, usize) {
    let (mut letters, mut upper) = (0, 0);
    let mut chunks = b.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let (n, caps) = ascii_letters8(u64::from_le_bytes(bytes));
        letters += n;
        upper += caps;
        if n < 8 {
            return (letters, upper);
        }
    }
    for &y in chunks.remainder() {
        let k = class(y);
        if k & LETTER == 0 {
            break;
        }
        upper += usize::from(k >> 1);
        letters += 1;
    }
    (letters, upper)
}

/// [`ascii_letters`] of eight bytes read as a little-endian word (SWAR: each byte's class is
/// computed in its own top bit, no carry crossing bytes).
fn ascii_letters8(x: u64) -> (usize, usize) {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const CASE: u64 = 0x2020_2020_2020_2020;
    // Seven bits with the case bit set: `A`..`Z` and `a`..`z` both become 0x61..=0x7A.
    let v = (x & LOW7) | CASE;
    let from_a = v.wrapping_add(0x1F1F_1F1F_1F1F_1F1F) & HIGH; // v >= 0x61
    let past_z = v.wrapping_add(0x0505_0505_0505_0505) & HIGH; // v >= 0x7B
    let letter = from_a & !past_z & !(x & HIGH);
    let n = ((!letter & HIGH).trailing_zeros() / 8) as usize;
    // A capital is a letter with the case bit (bit 5, moved to bit 7) clear.
    let capital = letter & !(x << 2) & HIGH;
    let in_word = u64::MAX.checked_shr(64 - 8 * n as u32).unwrap_or(0);
    (n, (capital & in_word).count_ones() as usize)
}

/// The next token of a sentence at or after byte `i`, and the byte after it. Tokens are words
/// (letter runs), numbers (digit runs with inner separators, including thin and no-break
/// spaces between thousands groups) and kept punctuation.
fn next_token(text: &str, mut i: usize) -> Option<(Token, usize)> {
    let b = text.as_bytes();
    while let Some(&x) = b.get(i) {
        let k = class(x);
        if k & LETTER != 0 {
            // ASCII letters first, counting capitals, then any other letters.
            let (letters, upper) = ascii_letters(b.get(i..).unwrap_or_default());
            let ascii_end = i + letters;
            let end = match b.get(ascii_end) {
                Some(&y) if class(y) == MULTI => word_end(text, ascii_end),
                _ => ascii_end,
            };
            let upper = (end == ascii_end).then_some(upper);
            return Some((Token::Word(i, end, upper), end));
        } else if k == DIGIT {
            let end = number_end(text, i + 1);
            return Some((Token::Number(i, end), end));
        } else if k != MULTI {
            i += 1;
            if k == KEPT {
                return Some((Token::Punct(char::from(x)), i));
            }
        } else {
            let c = char_at(text, i)?;
            let next = i + c.len_utf8();
            if is_letter(c) {
                let end = word_end(text, next);
                return Some((Token::Word(i, end, None), end));
            }
            i = next;
            if matches!(c, '«' | '“' | '„' | '§') {
                return Some((Token::Punct(c), i));
            }
        }
    }
    None
}

/// The end of a word whose letters continue at byte `i`: letters, combining accents and
/// invisible characters.
fn word_end(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    while let Some(&x) = b.get(i) {
        if x.is_ascii_alphabetic() {
            i += 1;
        } else if x.is_ascii() {
            break;
        } else {
            match char_at(text, i) {
                Some(d) if is_letter(d) || is_combining(d) || is_ignorable(d) => {
                    i += d.len_utf8();
                }
                _ => break,
            }
        }
    }
    i
}

/// The end of a number whose digits continue at byte `i`; a separator continues the number
/// only when a digit follows it.
fn number_end(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    while let Some(&x) = b.get(i) {
        if x.is_ascii_digit() {
            i += 1;
            continue;
        }
        let Some(d) = char_at(text, i) else {
            break;
        };
        let sep = matches!(d, '.' | ',' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'');
        let after = i + d.len_utf8();
        if sep && b.get(after).is_some_and(u8::is_ascii_digit) {
            i = after;
        } else {
            break;
        }
    }
    i
}

/// A digit group without leading zeros (`0` for all zeros).
fn strip_zeros(group: &str) -> &str {
    match group.trim_start_matches('0') {
        "" => "0",
        t => t,
    }
}

/// Normalises a number: thousands separators removed, the decimal separator (`.` in English,
/// `,` elsewhere) written `.`, leading zeros dropped; a `dd.mm.yyyy` date gives day, month and
/// year keys. `raw` is digit groups with one separator between each two, as `tokens` cuts.
fn number_keys(raw: &str, lang: Lang, out: &mut Keys) {
    let mut groups = raw
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty());
    let Some(first) = groups.next() else {
        return;
    };
    if let (Some(mid), Some(last), None) = (groups.next(), groups.next(), groups.next()) {
        if raw.chars().all(|c| c.is_ascii_digit() || c == '.')
            && first.len() <= 2
            && mid.len() <= 2
            && (last.len() == 4 || last.len() == 2)
        {
            // A numeric date: 17.05.2018.
            for (mark, group) in [('#', first), ('@', mid), ('#', last)] {
                out.text.push(mark);
                out.text.push_str(strip_zeros(group));
                out.ends.push(out.text.len());
            }
            return;
        }
    }
    let decimal = lang.profile().decimal_separator;
    out.text.push('#');
    out.text.push_str(strip_zeros(first));
    let mut fraction = false;
    let mut rest = raw.get(first.len()..).unwrap_or_default();
    while let Some(sep) = rest.chars().next() {
        let after = rest.get(sep.len_utf8()..).unwrap_or_default();
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let (group, tail) = after.split_at(digits);
        rest = tail;
        let last = rest.is_empty();
        if group.len() == 3 && !(sep == decimal && last) && !fraction {
            out.text.push_str(group); // a thousands group
        } else {
            out.text.push('.');
            out.text.push_str(group);
            fraction = true;
        }
    }
    out.ends.push(out.text.len());
}

/// `c.is_alphabetic()`, without a table search for Latin and basic Cyrillic letters.
fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\u{C0}'..='\u{24F}' => c != '×' && c != '÷',
        '\u{400}'..='\u{481}' | '\u{48A}'..='\u{52F}' => true,
        _ => c.is_alphabetic(),
    }
}

/// The lower case of `c` when it is one character that is quick to find (ASCII, Latin-1,
/// basic Cyrillic); `None` for the rest, which [`char::to_lowercase`] answers.
fn quick_lower(c: char) -> Option<char> {
    let shift = match c {
        'a'..='z' | 'ß'..='ÿ' | '×' | 'а'..='џ' => 0,
        'A'..='Z' | 'À'..='Ö' | 'Ø'..='Þ' | 'А'..='Я' => 0x20,
        'Ѐ'..='Џ' => 0x50,
        _ => return None,
    };
    char::from_u32(u32::from(c) + shift)
}

/// Appends the lower-case form of `s` to `out`, exactly as [`str::to_lowercase`] would.
fn lower_into(s: &str, out: &mut String) {
    let start = out.len();
    for c in s.chars() {
        match quick_lower(c) {
            Some(l) => out.push(l),
            None if c == 'Σ' => {
                // Final sigma depends on the context; the standard library knows the rule.
                out.truncate(start);
                out.push_str(&s.to_lowercase());
                return;
            }
            None => out.extend(c.to_lowercase()),
        }
    }
}

/// Appends the anchor keys of one sentence in language `lang` to `out`.
pub fn sentence_keys(text: &str, lang: Lang, out: &mut Vec<String>) {
    let mut buf = KeyBuf::new();
    sentence_keys_into(text, lang, &mut buf);
    out.extend(buf.iter().map(str::to_owned));
}

/// Appends the anchor keys of one sentence in language `lang` to `out`: the keys
/// [`sentence_keys`] gives, in the same order, without allocating per key or per word.
pub fn sentence_keys_into(text: &str, lang: Lang, out: &mut KeyBuf) {
    let KeyBuf { keys, scratch } = out;
    let mut quoted = false;
    let mut pos = 0;
    let mut first_word = true;
    while let Some((tok, next)) = next_token(text, pos) {
        pos = next;
        match tok {
            Token::Number(s, e) => number_keys(text.get(s..e).unwrap_or_default(), lang, keys),
            Token::Punct('"' | '«' | '“' | '„') => quoted = true,
            Token::Punct(c) => {
                keys.text.push(c);
                keys.close(0);
            }
            Token::Word(s, e, ascii_upper) => {
                let sentence_initial = first_word;
                first_word = false;
                let word = text.get(s..e).unwrap_or_default();
                let used = match ascii_upper {
                    Some(upper) => ascii_word_keys(word, upper, sentence_initial, keys),
                    None => word_keys(text, word, pos, sentence_initial, lang, keys, scratch),
                };
                // Skip the further words of a multi-word lexicon entry.
                for _ in 1..used {
                    pos = next_token(text, pos).map_or(text.len(), |(_, next)| next);
                }
            }
        }
    }
    if quoted {
        keys.text.push('"');
        keys.close(0);
    }
}

/// Appends the key of a word of ASCII letters, `upper` of them capitals.
fn ascii_word_keys(word: &str, upper: usize, sentence_initial: bool, out: &mut Keys) -> usize {
    // No invisible characters, nothing to fold, no Cyrillic, and the lower case is the ASCII
    // one.
    if let Some(n) = ascii_month(word.as_bytes()) {
        push_month(n, out);
        return 1;
    }
    let letters = word.len();
    let acronym = upper >= 2 && upper == letters;
    let capitalised = word.bytes().next().is_some_and(|b| b.is_ascii_uppercase());
    let is_name = acronym || (capitalised && !sentence_initial);
    if letters < MIN_COMMON_WORD && !is_name && !(capitalised && letters >= PREFIX) {
        return 1;
    }
    word_key(word, true, acronym, out);
    1
}

/// Appends the keys of the word `raw` (not all ASCII), which ends at byte `after` of `text`, and
/// returns the number of tokens used (more than one when a multi-word lexicon entry matched).
fn word_keys(
    text: &str,
    raw: &str,
    after: usize,
    sentence_initial: bool,
    lang: Lang,
    out: &mut Keys,
    s: &mut Scratch,
) -> usize {
    let has_ignorable = raw.chars().any(is_ignorable);
    let word = if has_ignorable {
        s.folded.clear();
        s.folded.extend(raw.chars().filter(|&c| !is_ignorable(c)));
        s.folded.as_str()
    } else {
        raw
    };
    s.lower.clear();
    lower_into(word, &mut s.lower);
    if let Some(n) = month(&s.lower) {
        push_month(n, out);
        return 1;
    }
    let first = word.chars().next();
    let cyrillic = first.is_some_and(is_cyrillic);
    if cyrillic && lang.profile().glossary {
        // The lexicon reads the word as written, invisible characters included.
        let raw_lower = if has_ignorable {
            s.other.clear();
            lower_into(raw, &mut s.other);
            s.other.as_str()
        } else {
            s.lower.as_str()
        };
        if let Some((english, used)) = lexicon_match(text, after, raw_lower, &mut s.latin) {
            let acronym = word.chars().all(char::is_uppercase) && word.chars().count() > 1;
            word_key(english, false, acronym, out);
            return used;
        }
    }
    let (mut letters, mut upper) = (0, 0);
    for c in word.chars() {
        letters += 1;
        upper += usize::from(c.is_uppercase());
    }
    let acronym = upper >= 2 && upper == letters;
    let capitalised = first.is_some_and(char::is_uppercase);
    let is_name = acronym || (capitalised && !sentence_initial);
    if letters < MIN_COMMON_WORD && !is_name && !(capitalised && letters >= PREFIX) {
        return 1;
    }
    s.latin.clear();
    if cyrillic {
        let word = strip_short_name_ending(&s.lower, capitalised);
        match cyrillic_transliteration(lang) {
            Transliteration::Icao9303 => icao_into(word, &mut s.latin),
        }
        // A capitalised word that reads as Palladius syllables may be a Chinese name: offer
        // its Pinyin key too (once, when the two keys differ).
        s.pinyin.clear();
        if capitalised && !acronym && palladius_into(&s.lower, &mut s.pinyin) {
            let before = out.len();
            word_key(&s.pinyin, false, false, out);
            word_key(&s.latin, false, false, out);
            if out.len() == before + 2 && out.get(before) == out.get(before + 1) {
                out.pop();
            }
            return 1;
        }
    } else {
        fold_latin_into(&s.lower, &mut s.latin);
    }
    word_key(&s.latin, false, acronym, out);
    1
}

/// The ASCII month names of [`month`], with their numbers.
const ASCII_MONTHS: [(&str, u8); 27] = [
    ("january", 1),
    ("januar", 1),
    ("janvier", 1),
    ("february", 2),
    ("februar", 2),
    ("march", 3),
    ("mars", 3),
    ("april", 4),
    ("avril", 4),
    ("may", 5),
    ("mai", 5),
    ("june", 6),
    ("juni", 6),
    ("juin", 6),
    ("july", 7),
    ("juli", 7),
    ("juillet", 7),
    ("august", 8),
    ("september", 9),
    ("septembre", 9),
    ("october", 10),
    ("oktober", 10),
    ("octobre", 10),
    ("november", 11),
    ("novembre", 11),
    ("december", 12),
    ("dezember", 12),
];

/// A bit for each first three letters (`a`..`z`, 26 for anything else) of an ASCII month name.
static MONTH_STARTS: [u64; 27 * 27 * 27 / 64 + 1] = {
    let mut t = [0u64; 27 * 27 * 27 / 64 + 1];
    let mut m = 0;
    while m < ASCII_MONTHS.len() {
        let b = ASCII_MONTHS[m].0.as_bytes();
        let key =
            ((b[0] - b'a') as usize * 27 + (b[1] - b'a') as usize) * 27 + (b[2] - b'a') as usize;
        t[key / 64] |= 1 << (key % 64);
        m += 1;
    }
    t
};

/// The month number of a word of ASCII letters, in any case: [`month`] of its lower case.
fn ascii_month(word: &[u8]) -> Option<u8> {
    // One test that is almost always false, so that it costs no mispredicted branch: the word
    // has a month's length and starts with a month's first three letters.
    let three = |k: usize| {
        word.get(k).map_or(26, |b| {
            usize::from(b.to_ascii_lowercase())
                .wrapping_sub(usize::from(b'a'))
                .min(26)
        })
    };
    let key = (three(0) * 27 + three(1)) * 27 + three(2);
    let known = MONTH_STARTS
        .get(key / 64)
        .is_some_and(|bits| bits >> (key % 64) & 1 != 0);
    if !(known & (3..=9).contains(&word.len())) {
        return None;
    }
    let mut buf = [0u8; 9];
    let lower = buf.get_mut(..word.len())?;
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    let lower = &*lower;
    ASCII_MONTHS
        .iter()
        .find(|(name, _)| name.as_bytes() == lower)
        .map(|&(_, n)| n)
}

/// Pushes the key of month `n`: `@n`.
fn push_month(n: u8, out: &mut Keys) {
    out.text.push('@');
    if n >= 10 {
        out.text.push('1');
    }
    out.text.push(char::from(b'0' + n % 10));
    out.close(0);
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

/// Pushes the key of a Latin word (read in ASCII lower case when `lowering`): its skeleton,
/// cut to [`PREFIX`] letters unless it is an acronym (kept whole: `UN` must not meet `UNODC`).
/// An empty skeleton gives no key.
fn word_key(latin: &str, lowering: bool, whole: bool, out: &mut Keys) {
    let limit = if whole { usize::MAX } else { PREFIX };
    let start = out.text.len();
    if whole {
        out.text.push('=');
    }
    let skeleton = out.text.len();
    if lowering {
        skeleton_upto_lowering(latin, &mut out.text, limit);
    } else {
        skeleton_upto(latin, &mut out.text, limit);
    }
    // The skeleton is ASCII: PREFIX bytes are PREFIX letters.
    out.text
        .truncate(skeleton + limit.min(out.text.len() - skeleton));
    out.close(skeleton - start);
}

/// Lower-case ASCII form of a Latin word: diacritics removed (`é` -> `e`, `ß` -> `ss`).
///
/// Equal to filtering the canonical decomposition (NFD) of the word: the letters kept all have
/// combining class 0, so NFD's reordering of combining marks never moves them, and each
/// character can be decomposed on its own.
fn fold_latin_into(lower: &str, out: &mut String) {
    fn keep(c: char, out: &mut String) {
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
    for c in lower.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                out.push(c);
            }
        } else {
            unicode_normalization::char::decompose_canonical(c, |d| keep(d, out));
        }
    }
}

/// Matches the lexicon at a word whose lower case is `first` and which ends at byte `after` of
/// `text`: the English word and the number of tokens used. `buf` holds the lower case of later
/// words.
fn lexicon_match(
    text: &str,
    after: usize,
    first: &str,
    buf: &mut String,
) -> Option<(&'static str, usize)> {
    let first_chars = first.chars().count();
    let fits = |lower: &str, chars: usize, w: &LexWord, whole: bool| {
        if whole {
            lower == w.text
        } else {
            lower.starts_with(w.text) && chars <= w.chars + 3
        }
    };
    'entries: for entry in LEXICON.iter() {
        let Some((w, later)) = entry.words.split_first() else {
            continue;
        };
        if !fits(first, first_chars, w, entry.whole) {
            continue;
        }
        let mut pos = after;
        for w in later {
            let Some((Token::Word(s, e, _), next)) = next_token(text, pos) else {
                continue 'entries;
            };
            pos = next;
            buf.clear();
            lower_into(text.get(s..e).unwrap_or_default(), buf);
            if !fits(buf, buf.chars().count(), w, entry.whole) {
                continue 'entries;
            }
        }
        return Some((entry.english, entry.words.len()));
    }
    None
}

#[cfg(test)]
#[allow(dead_code)]
mod reference;

#[cfg(test)]
mod tests;
