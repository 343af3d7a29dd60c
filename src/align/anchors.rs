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
    let mut entries: Vec<Entry> = include_str!("lexicon.tsv")
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

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{052F}').contains(&c)
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
/// year keys. `raw` is digit groups with one separator between each two, as [`tokens`] cuts.
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
    let decimal = if lang == Lang::En { '.' } else { ',' };
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
    if cyrillic && lang != Lang::Other {
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
        icao_into(strip_short_name_ending(&s.lower, capitalised), &mut s.latin);
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

/// Key extraction as it was before [`KeyBuf`] (commit 8bb1291), kept verbatim so that the tests
/// can check that the allocation-free version gives the same keys. It shares the data (lexicon
/// file, ICAO and Palladius tables) and copies the algorithms.
#[cfg(test)]
#[allow(dead_code)]
mod reference {
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
                    if letters < MIN_COMMON_WORD && !is_name && !(capitalised && letters >= PREFIX)
                    {
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

    const LANGS: [Lang; 5] = [Lang::En, Lang::Ru, Lang::De, Lang::Fr, Lang::Other];

    /// The keys `sentence_keys_into` appends after the keys already in `buf`.
    fn fast_into(buf: &mut KeyBuf, text: &str, lang: Lang) -> Vec<String> {
        let before = buf.len();
        sentence_keys_into(text, lang, buf);
        buf.iter().skip(before).map(str::to_owned).collect()
    }

    fn fast(text: &str, lang: Lang) -> Vec<String> {
        fast_into(&mut KeyBuf::new(), text, lang)
    }

    fn slow(text: &str, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        reference::sentence_keys(text, lang, &mut out);
        out
    }

    #[test]
    fn quick_char_tables_agree_with_the_standard_library() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            if let Some(l) = quick_lower(c) {
                assert_eq!(c.to_lowercase().collect::<Vec<_>>(), [l], "{c:?}");
            }
        }
    }

    #[test]
    fn ascii_letters_counts_letters_and_capitals_of_every_byte_mix() {
        let slow = |b: &[u8]| {
            let n = b.iter().take_while(|y| y.is_ascii_alphabetic()).count();
            (n, b[..n].iter().filter(|y| y.is_ascii_uppercase()).count())
        };
        let mut bytes: Vec<u8> = (0..=255).collect();
        bytes.extend(b"abcXYZazAZ@[`{");
        for (k, &a) in bytes.iter().enumerate() {
            for n in 0..20 {
                let mut b: Vec<u8> = (0..n).map(|j| b"aZkQmzAy"[(j + k) % 8]).collect();
                b.push(a);
                b.extend(b"Tail");
                assert_eq!(ascii_letters(&b), slow(&b), "{b:?}");
                assert_eq!(ascii_letters(&b[..n]), slow(&b[..n]), "{b:?}");
            }
        }
    }

    #[test]
    fn ascii_months_are_the_ascii_names_of_month() {
        for (name, n) in ASCII_MONTHS {
            assert_eq!(month(name), Some(n), "{name}");
            for word in [
                name.to_string(),
                name.to_ascii_uppercase(),
                name[..3].to_string(),
            ] {
                assert_eq!(
                    ascii_month(word.as_bytes()),
                    month(&word.to_lowercase()),
                    "{word}"
                );
            }
        }
        for word in [
            "",
            "m",
            "ma",
            "mays",
            "Maybe",
            "junes",
            "dec",
            "Decembers",
            "nov",
            "x",
        ] {
            assert_eq!(
                ascii_month(word.as_bytes()),
                month(&word.to_lowercase()),
                "{word}"
            );
        }
    }

    #[test]
    fn key_buf_stores_keys_in_order() {
        let mut buf = KeyBuf::new();
        assert!(buf.is_empty());
        buf.push("ab");
        buf.push("");
        buf.push("Пекин");
        assert_eq!(buf.len(), 3);
        assert_eq!(buf.get(0), Some("ab"));
        assert_eq!(buf.get(1), Some(""));
        assert_eq!(buf.get(2), Some("Пекин"));
        assert_eq!(buf.get(3), None);
        assert_eq!(buf.iter().collect::<Vec<_>>(), ["ab", "", "Пекин"]);
        assert_eq!(buf.iter().rev().collect::<Vec<_>>(), ["Пекин", "", "ab"]);
        assert_eq!(buf.iter().skip(2).collect::<Vec<_>>(), ["Пекин"]);
        assert_eq!(buf.iter().len(), 3);
        assert_eq!(format!("{buf:?}"), r#"["ab", "", "Пекин"]"#);
        buf.keys.pop();
        assert_eq!(buf.iter().collect::<Vec<_>>(), ["ab", ""]);
        buf.clear();
        assert!(buf.is_empty());
        assert_eq!(buf.iter().count(), 0);
    }

    #[test]
    fn key_buf_appends_sentence_after_sentence() {
        let mut buf = KeyBuf::new();
        let a = fast_into(
            &mut buf,
            "Zhaichibekov met Liu on 17.05.2018 (UNODC)?",
            Lang::En,
        );
        let b = fast_into(&mut buf, "«Лю» — ШОС и Пекин, 1\u{a0}000", Lang::Ru);
        assert_eq!(
            a,
            slow("Zhaichibekov met Liu on 17.05.2018 (UNODC)?", Lang::En)
        );
        assert_eq!(b, slow("«Лю» — ШОС и Пекин, 1\u{a0}000", Lang::Ru));
        assert_eq!(buf.len(), a.len() + b.len());
    }

    #[test]
    fn fast_keys_equal_reference_on_edge_cases() {
        for text in [
            "",
            "ΣΊΣΥΦΟΣ Σίσυφος ΑΣ σΣ",
            "İstanbul İSTANBUL ǅemal ﬁnance Straße STRASSE",
            "Æsop Œuvre Ørsted Łódź ﬀ Ⅻ",
            "ma\u{308}rz Mä\u{308}rz de\u{301}cembre AOÛT",
            "орга\u{AD}низация ШО\u{AD}С УНП\u{200B} ООН Пеки\u{AD}не",
            "Си Цзиньпин, Ли Кэцян, Лю, Юэцзинь, Лян Юня, Мао Цзэдун",
            "Юань Юнь Юэ Шанхай ЧЖАН Чжан чжан",
            "1.2.3.4 01.02.03 1,000,000.5 1\u{202f}000,25 0'000 00 007.5",
            "12.13.2018 1.1.1 99.99.99 1..2 3,,4 5.",
            "Май мае мая Мартами сентябре ДЕКАБРЯ Mai MAY mars Juillet",
            "JANUARY Januar janvier FEBRUARY februar March APRIL avril june Juni JUIN july",
            "Juli August September SEPTEMBRE october Oktober OCTOBRE November novembre",
            "December DEZEMBER décembre Décembre AOÛT Août février FÉVRIER März MÄRZ Marz",
            "Mayo Junes jun dec Dec. Sept. mays MAIS maim",
            "\"«„“ § % ( ? ! ) » ” “",
            "\u{FEFF}\u{2060}\u{200D}x \u{301}a",
            "ǈ ǋ ǲ ꭰ 𐐀𐐨 ΐ ﬃ",
        ] {
            for lang in LANGS {
                assert_eq!(fast(text, lang), slow(text, lang), "{lang:?} {text:?}");
            }
        }
    }

    /// Every line of the repository's fixtures, and of the public Bleualign German/French set
    /// when `../shared` is present.
    #[test]
    fn fast_keys_equal_reference_on_corpora() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let fixtures = std::fs::read_dir(root.join("fixtures")).unwrap();
        for entry in fixtures {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
        assert!(!files.is_empty(), "no fixtures/*.txt");
        let shared = root.join("../shared/data/bleualign");
        match std::fs::read_dir(&shared) {
            Ok(dir) => {
                for entry in dir {
                    let path = entry.unwrap().path();
                    if path.extension().is_some_and(|e| e == "de" || e == "fr") {
                        files.push(path);
                    }
                }
            }
            Err(_) => crate::test_support::skip(&format!(
                "the Text+Berg sentences of {} (GPL data, not in the repository); the fixtures \
                 were checked",
                shared.display()
            )),
        }
        let mut buf = KeyBuf::new();
        let mut checked = 0;
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            for line in text.lines() {
                for lang in LANGS {
                    let got = fast_into(&mut buf, line, lang);
                    assert_eq!(got, slow(line, lang), "{}: {line:?}", path.display());
                    checked += 1;
                }
                if buf.len() > 10_000 {
                    buf.clear();
                }
            }
        }
        assert!(checked > 0);
    }

    mod property {
        use super::*;
        use proptest::prelude::*;

        const PIECES: &[&str] = &[
            "17.05.2018",
            "1,000",
            "1\u{a0}000",
            "1\u{202f}000,5",
            "3,5",
            "3.5",
            "007",
            "4'000",
            "May",
            "March",
            "mai",
            "Juillet",
            "août",
            "März",
            "décembre",
            "мая",
            "Марта",
            "сентябре",
            "январь",
            "ШОС",
            "ООН",
            "УНП ООН",
            "Пекине",
            "Китаем",
            "Вене",
            "Лю",
            "Юэцзинь",
            "Си Цзиньпин",
            "Жайчибековым",
            "Лян Юня",
            "Zhaichibekov",
            "UNODC",
            "Liu Yuejin",
            "Matterhorn",
            "L'expédition",
            "Straße",
            "Σίσυφος",
            "ΣΑΣ",
            "İstanbul",
            "орга\u{AD}низация",
            "Zhai\u{200B}chibekov",
            "«Почему?»",
            "„Warum?“",
            "(§ 3)",
            "50 %",
            "!",
            "\"",
        ];

        fn sentence() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                4 => prop::sample::select(PIECES).prop_map(str::to_owned),
                3 => "[a-zA-Zа-яА-ЯёЁ0-9 .,'?!()\"«»“„%§\u{a0}\u{202f}\u{2009}\u{ad}\u{200b}\u{301}\u{308}éèüößæœøłÆŒØŁÉÀÇΣσίİ-]{1,8}",
                1 => any::<char>().prop_map(String::from),
            ];
            let sep = prop::sample::select(vec!["", " ", " ", ", ", ". ", "\u{a0}", "-"]);
            prop::collection::vec((piece, sep), 0..16).prop_map(|parts| {
                parts.into_iter().fold(String::new(), |mut s, (p, sep)| {
                    s.push_str(&p);
                    s.push_str(sep);
                    s
                })
            })
        }

        fn lang() -> impl Strategy<Value = Lang> {
            prop::sample::select(LANGS.to_vec())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn fast_keys_equal_reference(a in sentence(), b in sentence(), lang in lang()) {
                // Through a buffer that already holds keys, as a chunk of sentences does.
                let mut buf = KeyBuf::new();
                prop_assert_eq!(fast_into(&mut buf, &a, lang), slow(&a, lang));
                prop_assert_eq!(fast_into(&mut buf, &b, lang), slow(&b, lang));
            }

            #[test]
            fn fast_keys_equal_reference_on_any_text(text in any::<String>(), lang in lang()) {
                prop_assert_eq!(fast(&text, lang), slow(&text, lang));
            }

            #[test]
            fn skeleton_equals_reference(latin in "[a-z]{0,40}|[a-zA-Z\u{e9}\u{431}\0]{0,6}|[schtzdjkgp]{0,12}") {
                let mut got = String::from("x");
                crate::align::translit::skeleton_into(&latin, &mut got);
                let mut want = String::from("x");
                reference::translit::skeleton_into(&latin, &mut want);
                prop_assert_eq!(&got, &want);
                for limit in 0..6 {
                    let mut cut = String::new();
                    crate::align::translit::skeleton_upto(&latin, &mut cut, limit);
                    prop_assert!(want[1..].starts_with(&cut));
                    prop_assert!(cut.len() >= limit.min(want.len() - 1));
                }
                // Lower-casing on the way: as the skeleton of the ASCII lower case.
                let upper = latin.to_ascii_uppercase();
                let mut want = String::new();
                reference::translit::skeleton_into(&latin.to_ascii_lowercase(), &mut want);
                for limit in [0, 1, 4, 40] {
                    let mut cut = String::new();
                    crate::align::translit::skeleton_upto_lowering(&upper, &mut cut, limit);
                    prop_assert!(want.starts_with(&cut));
                    prop_assert!(cut.len() >= limit.min(want.len()));
                }
            }

            #[test]
            fn palladius_equals_reference(word in "[аеийнояюэьуцзчжшсхлмбпфдтгквр]{1,8}") {
                let want = reference::translit::palladius_to_pinyin(&word);
                let mut got = String::from("x");
                let ok = crate::align::translit::palladius_into(&word, &mut got);
                prop_assert_eq!(ok, want.is_some());
                prop_assert_eq!(&got[1..], want.as_deref().unwrap_or(""));
            }
        }
    }
}
