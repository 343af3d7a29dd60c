//! The rule engine of the sentence splitter: one forward pass over a paragraph, deciding at each terminator (`.`, `?`, `!`, `…`, `。`…) whether a sentence ends.
//!
//! The rules follow the abbreviation-list approach of Punkt-style and SRX splitters
//! (Kiss & Strunk 2006 name the cues: abbreviations, initials, ordinal numbers; the
//! decisions here are hand-written, not learned), written as direct code:
//!
//! * a terminator run (`?!`, `...`) takes the closing quotes and brackets after it, and more
//!   terminators after those (`г.).`); it is a candidate only when white space follows;
//! * the word before a period is looked up in the language's abbreviation lists
//!   ([`super::abbrev`]), longest multi-part key first (`т. е.`, `e.g.`, `av. J.-C.`); single
//!   letters are initials; a leading number or letter is an enumerator (`1.`, `a.`);
//! * the next token decides the rest: a lowercase word, or a dash and then a lowercase word
//!   (`«Что?» — спросил он.`), never starts a sentence; an ellipsis ends one only before a
//!   capital; a day number before a month name (`9. September`) is an ordinal;
//! * a period glued to a capitalised word (`world.Today`) ends a sentence when the word before
//!   it is a lowercase word or a number and no abbreviation;
//! * spaced ellipses: three spaced dots (`. . .`) mark an omission inside a sentence; four
//!   (`. . . .`) are an ellipsis and a period; a period glued to a word and then three spaced
//!   dots (`word. . . . Next`) ends the sentence at the first dot;
//! * inside an open `«`, a period and then a dash (`«…? – спросила мама. – Завтра…»`) do not
//!   end the quotation's sentence (the author's words inside direct speech);
//! * a sentence that opens with an enumerator (`1.`, `1)`, `1.)`, `a.`, `• 9.`, `§2.`, `8.1.`)
//!   is a list item: its enumerator is no boundary, and the next enumerator of the same
//!   series (`2.`, `b.`, `• 10.`) starts the next item even on the same line; `N)` after `;`
//!   starts an item too (`…квартире; 2) отчуждать…`);
//! * an emoticon (`:)`, `;)`, `:))`, `:(`) or a chat smiley without eyes (`привет)))`,
//!   brackets that close nothing) before a capitalised word ends a sentence;
//! * line breaks follow [`LineBreaks`]: a line that starts with a bullet or an enumerator
//!   starts a sentence in every mode; `soft` crosses every other line break, `hard` never
//!   does, and `auto` decides per paragraph and line ([`Lines`]).
//!
//! No regex, no allocation except the output, one key buffer per call and, for the rare
//! sentences with list items or emoticons inside, a list of the cuts. The pass is over
//! bytes, not chars: inside a sentence it tests 16 bytes at a time for one that may be white
//! space other than an ASCII space, a terminator or the lead byte of such a char
//! ([`CLASS`]), and decodes chars only there and around terminators, so the text between
//! terminators costs about a compare per byte. `reference.rs` keeps the char-by-char engine
//! this replaced; the tests compare the two on random text.

use std::ops::Range;

use super::abbrev::{Class, Lexicon};
use super::LineBreaks;

/// What the main loop does with a byte (see [`CLASS`]).
const PLAIN: u8 = 0;
/// ASCII white space other than `\n`.
const SPACE: u8 = 1;
/// `\n`: a soft line break unless a list item follows.
const NEWLINE: u8 = 2;
/// `.`, `?`, `!`.
const TERM: u8 = 3;
/// The lead byte of a multi-byte char that may be white space or a terminator (U+0085,
/// U+00A0, `؟`, `।`, U+1680, U+2000-U+205F, `…`, `‽`, U+3000, `。`, `！`, `？`): decode it.
const DECODE: u8 = 4;

/// The class of each byte value. Every char that is white space or a terminator starts with
/// a byte that is not [`PLAIN`] (checked over all chars by a test), so runs of plain bytes
/// (most ASCII, continuation bytes, Cyrillic and other lead bytes) are skipped without
/// decoding.
static CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    t[b'\t' as usize] = SPACE;
    t[0x0b] = SPACE;
    t[0x0c] = SPACE;
    t[b'\r' as usize] = SPACE;
    t[b' ' as usize] = SPACE;
    t[b'\n' as usize] = NEWLINE;
    t[b'.' as usize] = TERM;
    t[b'?' as usize] = TERM;
    t[b'!' as usize] = TERM;
    t[0xc2] = DECODE;
    t[0xd8] = DECODE;
    t[0xe0] = DECODE;
    t[0xe1] = DECODE;
    t[0xe2] = DECODE;
    t[0xe3] = DECODE;
    t[0xef] = DECODE;
    t
};

/// True when a byte of the chunk has a [`CLASS`] above [`SPACE`]: the table's classes
/// written as comparisons folded with `|`, which the compiler turns into a few vector
/// compares for the whole chunk (a test checks them against the table).
fn any_stop(chunk: &[u8; 16]) -> bool {
    let mut any = 0u8;
    for &b in chunk {
        any |= u8::from(
            (b == b'\n')
                | (b == b'.')
                | (b == b'?')
                | (b == b'!')
                | (b == 0xc2)
                | (b == 0xd8)
                | (b & 0xfc == 0xe0)
                | (b == 0xef),
        );
    }
    any != 0
}

/// Calls `emit` with each trimmed sentence span of `text`, in order.
///
/// One forward pass over the bytes: runs of bytes that can be neither white space nor a
/// terminator are skipped by table lookup; only terminators run the rules.
pub(crate) fn split_each(
    text: &str,
    lex: &Lexicon,
    line_breaks: LineBreaks,
    mut emit: impl FnMut(Range<usize>),
) {
    let bytes = text.as_bytes();
    let mut key = String::new();
    let mut lines = Lines::new(line_breaks);
    // Start of the current sentence, and the end of its last non-white-space character.
    let mut start: Option<usize> = None;
    let mut last = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let class = CLASS[usize::from(b)];
        if class == PLAIN || (class == SPACE && start.is_some()) {
            start.get_or_insert(i);
            // Inside a sentence: plain bytes move `last`, ASCII spaces do not; the update is
            // branch-free so word boundaries cost no mispredicted branch. The loop stops only
            // on a char boundary (continuation bytes are plain).
            // Sixteen bytes at a time while no byte needs a look; the rest byte by byte.
            while let Some(chunk) = bytes
                .get(i..i + 16)
                .and_then(|c| <&[u8; 16]>::try_from(c).ok())
            {
                if any_stop(chunk) {
                    break;
                }
                if let Some(k) = chunk.iter().rposition(|&b| CLASS[usize::from(b)] == PLAIN) {
                    last = i + k + 1;
                }
                i += 16;
            }
            while let Some(&b) = bytes.get(i) {
                let class = CLASS[usize::from(b)];
                if class > SPACE {
                    break;
                }
                i += 1;
                last = if class == PLAIN { i } else { last };
            }
            continue;
        }
        let (c, len) = if class == DECODE {
            match text.get(i..).and_then(|t| t.chars().next()) {
                Some(c) => (c, c.len_utf8()),
                None => break,
            }
        } else {
            (char::from(b), 1)
        };
        if class == SPACE || class == NEWLINE || (class == DECODE && c.is_whitespace()) {
            if class == NEWLINE {
                if let Some(s) = start {
                    if lines.boundary(text, i) {
                        refine(text, s..last, &mut emit);
                        start = None;
                    }
                }
            }
            i += len;
            continue;
        }
        let s = *start.get_or_insert(i);
        if class == TERM || is_terminator(c) {
            let run = scan_run(text, i);
            last = run.end;
            if let Some(cut) = decide(text, s, i, &run, lex, &mut key) {
                refine(text, s..cut, &mut emit);
                start = rest_start(text, cut, run.end);
            }
            i = run.end;
            continue;
        }
        i += len;
        last = i;
    }
    if let Some(s) = start {
        refine(text, s..last, &mut emit);
    }
}

/// Where the next sentence starts when a boundary is cut at `cut` inside a run that ends at
/// `end` (`word. . . . Next`: the spaced dots open the next sentence), else `None`.
pub(super) fn rest_start(text: &str, cut: usize, end: usize) -> Option<usize> {
    let rest = text.get(cut..end)?;
    let skip = rest.len() - rest.trim_start().len();
    (cut + skip < end).then_some(cut + skip)
}

/// `char::is_alphabetic` with the common scripts of the lists (ASCII, basic Cyrillic)
/// answered without the Unicode table search.
fn is_alpha(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | 'А'..='я' | 'ё' | 'Ё' => true,
        '\0'..='\x7f' => false,
        _ => c.is_alphabetic(),
    }
}

/// The lowercase of `c` when it is a single char (`char::to_lowercase` of length one), with
/// ASCII and basic Cyrillic capitals mapped directly.
fn lower_single(c: char) -> Option<char> {
    match c {
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        'А'..='Я' => char::from_u32(u32::from(c) + 0x20),
        'Ё' => Some('ё'),
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.len(), lower.next()) {
                (1, Some(l)) => Some(l),
                _ => None,
            }
        }
    }
}

/// `char::is_lowercase`, with ASCII and basic Cyrillic answered directly.
fn is_lower(c: char) -> bool {
    match c {
        'a'..='z' | 'а'..='я' | 'ё' => true,
        '\0'..='\x7f' | 'А'..='Я' | 'Ё' => false,
        _ => c.is_lowercase(),
    }
}

/// `char::is_uppercase`, with ASCII and basic Cyrillic answered directly.
fn is_upper(c: char) -> bool {
    match c {
        'A'..='Z' | 'А'..='Я' | 'Ё' => true,
        '\0'..='\x7f' | 'а'..='я' | 'ё' => false,
        _ => c.is_uppercase(),
    }
}

/// What ends a run of terminators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// One or two periods.
    Period,
    /// `...` or `…`.
    Ellipsis,
    /// `?`, `!` and the like (any mix with periods).
    Strong,
    /// Full-width `。！？`: a boundary even without a following space.
    Wide,
}

/// A run of terminators with the closing punctuation after it.
#[derive(Debug)]
pub(super) struct Run {
    /// What ends it.
    kind: Kind,
    /// Byte offset just past the run (and its closers).
    pub(super) end: usize,
    /// Closing quotes or brackets follow the first terminators (`."`, `г.)`).
    closed: bool,
    /// More terminators follow those closers (`г.).`): the last one ends the sentence.
    reterm: bool,
    /// An omission mark `[...]` or `(…)`, or three spaced dots after a space
    /// (`weakened . . . was`): not a terminator at all.
    omission: bool,
    /// A period glued to a word, then three or more spaced dots (`compounds. . . .`): a
    /// boundary cuts after the first dot.
    glued_spaced: bool,
}

/// Characters that may end a sentence.
pub(super) fn is_terminator(c: char) -> bool {
    matches!(
        c,
        '.' | '?' | '!' | '…' | '‽' | '。' | '！' | '？' | '؟' | '।'
    )
}

/// Closing quotes and brackets that stay with the sentence before them.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '»'
            | '”'
            | '’'
            | '“'
            | '›'
            | ')'
            | ']'
            | '}'
            | '」'
            | '』'
            | '）'
            | '】'
            | '〕'
    )
}

/// Opening quotes and brackets that may start a sentence.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '«'
            | '»'
            | '“'
            | '„'
            | '‘'
            | '‚'
            | '‹'
            | '('
            | '['
            | '{'
            | '¿'
            | '¡'
            | '「'
            | '『'
            | '（'
    )
}

/// Hyphen and dashes (list bullets, dialogue, attribution after a quote).
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '―' | '‒')
}

/// The char just before byte offset `i`.
fn before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// Scans the terminator run that starts at `i`.
pub(super) fn scan_run(text: &str, i: usize) -> Run {
    let mut dots = 0;
    let mut ellipsis = false;
    let mut strong = false;
    let mut wide = false;
    let mut j = i;
    let mut chars = text[i..].chars();
    for c in chars.by_ref() {
        match c {
            '.' => dots += 1,
            '…' => ellipsis = true,
            '。' | '！' | '？' => wide = true,
            c if is_terminator(c) => strong = true,
            _ => break,
        }
        j += c.len_utf8();
    }
    let first_end = j;
    let ellipsis = ellipsis || dots >= 3;
    if ellipsis
        && !strong
        && matches!(before(text, i), Some('[' | '('))
        && matches!(text[first_end..].chars().next(), Some(']' | ')'))
    {
        return Run {
            kind: Kind::Ellipsis,
            end: first_end,
            closed: false,
            reterm: false,
            omission: true,
            glued_spaced: false,
        };
    }
    // Spaced dots: `. . .` (an omission) or `. . . .` (an ellipsis and a period).
    let mut spaced = 0;
    if dots == 1 && !strong && !wide && !ellipsis {
        while text[j..].starts_with(" .") {
            j += 2;
            spaced += 1;
        }
        if spaced < 2 {
            j = first_end;
            spaced = 0;
        }
    }
    let glued = spaced > 0 && before(text, i).is_some_and(|c| !c.is_whitespace());
    let mut closed = false;
    let mut reterm = false;
    loop {
        let mut moved = false;
        while let Some(c) = text[j..].chars().next().filter(|&c| is_closer(c)) {
            j += c.len_utf8();
            closed = true;
            moved = true;
        }
        if !closed {
            break;
        }
        while let Some(c) = text[j..].chars().next().filter(|&c| is_terminator(c)) {
            match c {
                '。' | '！' | '？' => wide = true,
                '.' | '…' => {}
                _ => strong = true,
            }
            j += c.len_utf8();
            reterm = true;
            moved = true;
        }
        if !moved {
            break;
        }
    }
    let kind = if wide {
        Kind::Wide
    } else if strong {
        Kind::Strong
    } else if ellipsis || spaced > 0 {
        Kind::Ellipsis
    } else {
        Kind::Period
    };
    Run {
        kind,
        end: j,
        closed,
        reterm,
        omission: spaced == 2 && !glued,
        glued_spaced: spaced >= 3 && glued,
    }
}

/// The first token after a candidate boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Next {
    /// A lowercase letter (after any opening quotes or a dash).
    Lower,
    /// An uppercase letter; `word` is its letter run, `plain` when no quote or dash precedes
    /// it and it is not a single letter with a period (an initial).
    Upper { word: Range<usize>, plain: bool },
    /// A digit.
    Digit,
    /// A letter of a script without case (CJK, Arabic…), or a symbol.
    Other,
    /// Punctuation that continues a sentence (`,`, `;`, `:`, `)`…).
    Continue,
}

/// Classifies the token that starts at the first non-white-space char at or after `j`.
fn next_token(text: &str, mut j: usize) -> Next {
    let mut prefixed = false;
    let mut in_gap = true;
    while let Some(c) = text[j..].chars().next() {
        if c.is_whitespace() && in_gap {
            j += c.len_utf8();
            continue;
        }
        if is_opener(c) || is_dash(c) {
            prefixed = true;
            // White space may follow a dash (`» — сказал`), not an opening quote.
            in_gap = is_dash(c);
            j += c.len_utf8();
            continue;
        }
        if is_lower(c) {
            return Next::Lower;
        }
        if is_upper(c) {
            let end = word_end(text, j);
            let single = text[j..end].chars().nth(1).is_none();
            let initial = single && text[end..].starts_with('.');
            return Next::Upper {
                word: j..end,
                plain: !prefixed && !initial,
            };
        }
        if c.is_numeric() {
            return Next::Digit;
        }
        if !prefixed && matches!(c, ',' | ';' | ':' | ')' | ']' | '}' | '%') {
            return Next::Continue;
        }
        return Next::Other;
    }
    Next::Other
}

/// End of the word (letters and inner hyphens) starting at `j`.
fn word_end(text: &str, j: usize) -> usize {
    let mut end = j;
    let mut chars = text[j..].char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        if is_alpha(c) {
            end = j + k + c.len_utf8();
        } else if c == '-' && matches!(chars.peek(), Some((_, n)) if is_alpha(*n)) {
            continue;
        } else {
            break;
        }
    }
    end
}

/// Decides whether the run at `i` (sentence started at `s`) ends the sentence: the byte
/// offset where it ends (the end of the run, or inside it for `word. . . . Next`), or `None`.
pub(super) fn decide(
    text: &str,
    s: usize,
    i: usize,
    run: &Run,
    lex: &Lexicon,
    key: &mut String,
) -> Option<usize> {
    if run.omission {
        return None;
    }
    let ends = match text[run.end..].chars().next() {
        // The end of the text ends the sentence anyway.
        None => false,
        Some(c) if !c.is_whitespace() => {
            run.kind == Kind::Wide
                || (run.kind == Kind::Period && !run.closed && glued_boundary(text, s, i, lex, key))
        }
        Some(_) => {
            let next = next_token(text, run.end);
            let ends = match run.kind {
                Kind::Wide | Kind::Strong => regular(&next),
                Kind::Ellipsis => matches!(next, Next::Upper { .. }),
                Kind::Period if run.closed || run.reterm => {
                    regular(&next) && !(text[i + 1..].starts_with(')') && is_item_mark(text, s, i))
                }
                Kind::Period => period(text, s, i, &next, lex, key),
            };
            ends && !speech_resumes(text, s, run.end)
        }
    };
    match ends {
        false => None,
        true if run.glued_spaced => Some(i + 1),
        true => Some(run.end),
    }
}

/// `world.Today`: a period with no space after it ends the sentence when a capitalised word
/// (a capital and then a lowercase letter) follows it and a lowercase word or a number that is
/// no abbreviation comes before it.
fn glued_boundary(text: &str, s: usize, i: usize, lex: &Lexicon, key: &mut String) -> bool {
    let mut after = text[i + 1..].chars();
    let (Some(c1), Some(c2)) = (after.next(), after.next()) else {
        return false;
    };
    if !(is_upper(c1) && is_lower(c2)) {
        return false;
    }
    let mut back = text[..i].chars().rev();
    let (Some(b1), Some(b2)) = (back.next(), back.next()) else {
        return false;
    };
    if !((is_lower(b1) && is_alpha(b2)) || b1.is_ascii_digit()) {
        return false;
    }
    // Not inside an address or a file name: `Jane.Doe@example.com`, `http://a.B`.
    let token_start = text[..i]
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(0, |(k, c)| k + c.len_utf8());
    let token_end = text[i..]
        .find(char::is_whitespace)
        .map_or(text.len(), |k| i + k);
    if text[token_start..token_end].contains(['@', '/', '\\', '_']) {
        return false;
    }
    let next = Next::Upper {
        word: i + 1..word_end(text, i + 1),
        plain: true,
    };
    period(text, s, i, &next, lex, key)
}

/// True when a dash follows `end` inside an unclosed `«` of the sentence started at `s`: the
/// author's words inside direct speech (`«К чему ты готовишься? – спросила мама. – Завтра…»`).
fn speech_resumes(text: &str, s: usize, end: usize) -> bool {
    let dash = text[end..].trim_start().chars().next().is_some_and(is_dash);
    if !dash {
        return false;
    }
    let sentence = &text[s..end];
    let opened = sentence.matches('«').count();
    opened > 0 && opened > sentence.matches('»').count()
}

/// The default: a boundary unless a lowercase word or continuing punctuation follows.
fn regular(next: &Next) -> bool {
    !matches!(next, Next::Lower | Next::Continue)
}

/// A boundary only before a frequent sentence-initial word.
fn before_starter(text: &str, next: &Next, lex: &Lexicon) -> bool {
    match next {
        Next::Upper { word, plain: true } => lex.is_starter(&text[word.clone()]),
        _ => false,
    }
}

/// Up to four letter groups before the period at `dot`, nearest first, each separated from
/// the next by a period and at most one space or hyphen (`J. R. R`, `U.S`, `M.-A`, `т. е`).
fn chain(text: &str, dot: usize) -> ([Range<usize>; 4], usize) {
    let mut parts: [Range<usize>; 4] = [0..0, 0..0, 0..0, 0..0];
    let mut n = 0;
    let mut pos = dot;
    while n < 4 {
        let mut s = pos;
        while let Some(c) = before(text, s) {
            if is_alpha(c) || (c == '°' && s == pos) {
                s -= c.len_utf8();
            } else if c == '-' && s < pos && before(text, s - 1).is_some_and(is_alpha) {
                s -= 1;
            } else {
                break;
            }
        }
        if s == pos {
            break;
        }
        parts[n] = s..pos;
        n += 1;
        let mut q = s;
        if let Some(c) = before(text, q).filter(|&c| c == '-' || c.is_whitespace()) {
            q -= c.len_utf8();
        }
        if before(text, q) == Some('.') {
            pos = q - 1;
        } else {
            break;
        }
    }
    (parts, n)
}

/// Looks up the longest abbreviation ending at the period (also with its first letter
/// lowercased, for a capitalised abbreviation at the start of a sentence).
fn lookup(
    text: &str,
    parts: &[Range<usize>],
    lex: &Lexicon,
    key: &mut String,
) -> Option<(Class, usize)> {
    for k in (1..=parts.len()).rev() {
        key.clear();
        for (m, p) in parts[..k].iter().rev().enumerate() {
            if m > 0 {
                key.push('.');
            }
            key.push_str(&text[p.clone()]);
        }
        if let Some(class) = lex.class(key) {
            return Some((class, k));
        }
        // A single capital is an initial, never a lowercase abbreviation (`В.` is not `в.`).
        let mut chars = key.chars();
        let first = chars.next().filter(|c| is_upper(*c));
        if let Some(first) = first.filter(|_| k > 1 || chars.next().is_some()) {
            if let Some(l) = lower_single(first) {
                let mut buf = [0u8; 4];
                key.replace_range(..first.len_utf8(), l.encode_utf8(&mut buf));
                if let Some(class) = lex.class(key) {
                    return Some((class, k));
                }
            }
        }
    }
    None
}

/// True when a number (or a Roman numeral) comes right before byte offset `at`, optionally
/// across white space (`2018 г.`, `2018г.`, `XIX в.`, `1990-х гг.`).
fn after_number(text: &str, at: usize) -> bool {
    let head = text[..at].trim_end();
    let token_start = head
        .char_indices()
        .rev()
        .take_while(|&(_, c)| !c.is_whitespace())
        .last()
        .map_or(head.len(), |(k, _)| k);
    let token = head[token_start..].trim_start_matches(is_opener);
    !token.is_empty()
        && (token.chars().any(|c| c.is_ascii_digit())
            || token
                .chars()
                .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M')))
}

/// True when the sentence started at `s` is, up to the year abbreviation at `at`, only a
/// date phrase: at most one word and then the number (`В 2010-2012 гг. Виктор…`,
/// `С 1990 г. …`). A sentence is not a bare date adverbial, so the abbreviation goes on.
fn date_opens(text: &str, s: usize, at: usize) -> bool {
    let head = text[s..at].trim_end();
    let mut words = head.split_whitespace();
    let number = words.next_back();
    number.is_some_and(|w| w.chars().any(|c| c.is_ascii_digit()))
        && words
            .next_back()
            .is_none_or(|w| !w.chars().any(|c| c.is_ascii_digit()))
        && words.next().is_none()
}

/// True for a short Roman numeral (`IV`, `XIX`).
fn is_roman(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 6
        && word
            .chars()
            .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'))
}

/// Decides a single period at `i` directly after a word or number.
fn period(text: &str, s: usize, i: usize, next: &Next, lex: &Lexicon, key: &mut String) -> bool {
    if is_item_mark(text, s, i) {
        return false; // `1. The first item 2. The second item`, `• 9.`, `§2.`, `8.1.`
    }
    let (parts, n) = chain(text, i);
    if n == 0 {
        // A number (`1.`, `2018.`, `9.`), or punctuation before the period.
        let digits = text[..i]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_ascii_digit())
            .last()
            .map(|(k, _)| k);
        if let Some(d) = digits {
            let whole = before(text, d).is_none_or(|c| c.is_whitespace() || is_opener(c));
            if whole && d == s {
                return false; // an enumerator opening the sentence: `1. Introduction`
            }
            if whole && i - d <= 2 {
                if let Next::Upper { word, .. } = next {
                    if lex.is_month(&text[word.clone()]) {
                        return false; // a day ordinal: `9. September 1988`
                    }
                }
            }
        }
        return regular(next);
    }
    if let Some((class, k)) = lookup(text, &parts[..n], lex, key) {
        return match class {
            Class::Title => false,
            Class::Final => regular(next),
            Class::Ambiguous => before_starter(text, next, lex),
            Class::Year => {
                after_number(text, parts[k - 1].start)
                    && !date_opens(text, s, parts[k - 1].start)
                    && regular(next)
            }
        };
    }
    let word = &text[parts[0].clone()];
    let single = word.chars().nth(1).is_none();
    let glued = match before(text, parts[0].start) {
        // A case ending after a number (`1990-е`, `5-й`) is no initial.
        Some('-') => before(text, parts[0].start - 1).is_some_and(|c| c.is_ascii_digit()),
        c => c.is_some_and(char::is_alphanumeric),
    };
    if parts[0].start == s && (single || is_roman(word)) {
        return false; // an enumerator: `a. the first`, `IV. Results`
    }
    if single && !glued {
        if n == 1 && lex.is_word(word) && after_lowercase_word(text, parts[0].start) {
            return regular(next); // `you and I. Did you…`
        }
        // An initial (`A. Zhaichibekov`, `J. R. R. Tolkien`) or a one-letter abbreviation.
        return before_starter(text, next, lex);
    }
    regular(next)
}

/// True when the word before byte offset `at` (across white space) starts with a lowercase
/// letter.
fn after_lowercase_word(text: &str, at: usize) -> bool {
    let head = text[..at].trim_end();
    let word_start = head
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_alpha(c))
        .last()
        .map(|(k, _)| k);
    word_start.is_some_and(|k| head[k..].chars().next().is_some_and(is_lower))
}

/// The form of an enumerator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `1.`, `a.`
    Dot,
    /// `1)`, `a)`
    Paren,
    /// `1.)`
    DotParen,
}

/// An enumerator (`1.`, `2)`, `3.)`, `a.`, `• 9.`, `⁃10.`, `§2.`, `8.1.`) and white space
/// after it.
#[derive(Debug, Clone, Copy)]
struct Marker {
    /// Where it starts (its bullet, if any).
    start: usize,
    /// Just past it (before the white space).
    end: usize,
    /// The bullet before it.
    bullet: Option<char>,
    /// Its number, or its letter as a number.
    value: u32,
    /// A lowercase letter rather than a number.
    letter: bool,
    /// How many number groups (`8.1.`: 2).
    depth: u8,
    /// `.`, `)` or `.)`.
    form: Form,
    /// The byte offset of its period, if it has one.
    dot: Option<usize>,
}

/// Bullets that may stand before an enumerator (`• 9.`, `⁃10.`).
fn is_bullet(c: char) -> bool {
    matches!(c, '•' | '·' | '▪' | '‣' | '◦' | '●' | '■' | '►' | '⁃')
}

/// The enumerator starting at `at`, if one does and white space follows it.
fn parse_marker(text: &str, at: usize) -> Option<Marker> {
    // Only a digit, a lowercase ASCII letter or a non-ASCII char (a bullet, `§`, a Cyrillic
    // letter) can start one.
    let bytes = text.as_bytes();
    let lead = *bytes.get(at)?;
    // A capital Cyrillic letter (`А`-`Я`, `Ё`: 0xD0 then 0x81-0xAF) cannot either.
    let capital_cyrillic = lead == 0xd0 && bytes.get(at + 1).is_some_and(|&b| b < 0xb0);
    if !(lead.is_ascii_digit() || lead.is_ascii_lowercase() || lead >= 0xc2) || capital_cyrillic {
        return None;
    }
    let mut j = at;
    let first = text[j..].chars().next()?;
    let bullet = if is_bullet(first) {
        j += first.len_utf8();
        j += text[j..].len() - text[j..].trim_start_matches([' ', '\t', '\u{a0}']).len();
        Some(first)
    } else {
        None
    };
    if text[j..].starts_with('§') {
        j += '§'.len_utf8();
    }
    let group = |j: usize| text[j..].bytes().take_while(u8::is_ascii_digit).count();
    let digits = group(j);
    let (value, letter, mut depth) = if (1..=3).contains(&digits) {
        let value = text[j..j + digits].parse().ok()?;
        j += digits;
        (value, false, 1u8)
    } else if digits == 0 {
        let c = text[j..].chars().next().filter(|&c| is_lower(c))?;
        j += c.len_utf8();
        (u32::from(c), true, 1u8)
    } else {
        return None;
    };
    // Sub-levels: `8.1.`, `1.2.3)`.
    while !letter && text[j..].starts_with('.') && (1..=3).contains(&group(j + 1)) {
        j += 1 + group(j + 1);
        depth = depth.saturating_add(1);
    }
    let (form, dot, len) = if text[j..].starts_with(".)") {
        (Form::DotParen, Some(j), 2)
    } else if text[j..].starts_with(')') {
        (Form::Paren, None, 1)
    } else if text[j..].starts_with('.') {
        (Form::Dot, Some(j), 1)
    } else {
        return None;
    };
    let end = j + len;
    text[end..]
        .chars()
        .next()
        .filter(|c| c.is_whitespace())
        .map(|_| Marker {
            start: at,
            end,
            bullet,
            value,
            letter,
            depth,
            form,
            dot,
        })
}

/// An item longer than this (bytes) is not searched for the next enumerator of its series.
const MAX_ITEM: usize = 4096;

/// Calls `found` with each enumerator after `open` (up to `limit`) that continues its series:
/// the same bullet, form and depth, and the next value (`1.` … `2.` … `3.`; `a)` … `b)`).
fn series(text: &str, open: &Marker, limit: usize, mut found: impl FnMut(&Marker)) {
    let limit = limit
        .min(text.len())
        .min(open.start.saturating_add(MAX_ITEM));
    let mut want = open.value + 1;
    let mut j = open.end;
    while j < limit {
        let Some(k) = text[j..limit].find(char::is_whitespace) else {
            return;
        };
        let gap = &text[j + k..limit];
        let q = j + k + gap.len() - gap.trim_start().len();
        if q >= limit {
            return;
        }
        if let Some(m) = parse_marker(text, q) {
            if m.bullet == open.bullet
                && m.form == open.form
                && m.letter == open.letter
                && m.depth == open.depth
                && m.value == want
            {
                found(&m);
                want += 1;
                j = m.end;
                continue;
            }
        }
        j = q + text[q..].chars().next().map_or(1, char::len_utf8);
    }
}

/// True when the period (or the `.` of `.)`) at `i` belongs to the enumerator that opens the
/// sentence started at `s`, or to the next one of its series.
fn is_item_mark(text: &str, s: usize, i: usize) -> bool {
    let Some(open) = parse_marker(text, s) else {
        return false;
    };
    if open.dot == Some(i) {
        return true;
    }
    let mut hit = false;
    series(text, &open, i + 1, |m| hit |= m.dot == Some(i));
    hit
}

/// The offset of the first `(` or `)` in `bytes[from..to]` (`memchr2`: a vectorised search).
fn find_paren(bytes: &[u8], from: usize, to: usize) -> Option<usize> {
    memchr::memchr2(b'(', b')', bytes.get(from..to)?).map(|k| from + k)
}

/// Emits the sentence `span`, cut first where a list item starts inside it (the next
/// enumerator of the series it opens, or `N)` after `;`) or after an emoticon before a
/// capitalised word.
pub(super) fn refine(text: &str, span: Range<usize>, emit: &mut impl FnMut(Range<usize>)) {
    let open = parse_marker(text, span.start);
    let paren = find_paren(text.as_bytes(), span.start, span.end);
    if open.is_none() && paren.is_none() {
        emit(span);
        return;
    }
    // (end of the piece before, start of the piece after)
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    if let Some(open) = open {
        series(text, &open, span.end, |m| cuts.push((m.start, m.start)));
    }
    if let Some(first) = paren {
        paren_cuts(text, first, span.clone(), &mut cuts);
    }
    cuts.sort_unstable();
    let mut from = span.start;
    for (end, next) in cuts {
        if end <= from || next >= span.end {
            continue;
        }
        let piece = text[from..end].trim_end();
        if !piece.is_empty() {
            emit(from..from + piece.len());
        }
        from = next;
    }
    emit(from..span.end);
}

/// The cuts at emoticons (`:)`, `;)`, `:))`, `:(`) before a capitalised word and before `N)`
/// after `;`, for each token of `span` with a bracket (the first at `first`).
fn paren_cuts(text: &str, first: usize, span: Range<usize>, cuts: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    let mut next = Some(first);
    while let Some(at) = next {
        next = find_paren(bytes, at + 1, span.end);
        // Only a bracket after `:;=-` (an emoticon), a doubled one (`привет)))`) or a `)` that
        // ends a token of at most three bytes (`2)`, `12)`, `в)`) can cut: the rest are
        // skipped at once.
        let emoticon = (at > 0 && matches!(bytes[at - 1], b':' | b';' | b'=' | b'-'))
            || bytes.get(at + 1) == Some(&bytes[at]);
        let short = bytes[at] == b')'
            && (1..=4)
                .any(|d| at >= d && (at - d == span.start || bytes[at - d].is_ascii_whitespace()));
        if !emoticon && !short {
            continue;
        }
        let tok_start = text[span.start..at]
            .rfind(char::is_whitespace)
            .map_or(span.start, |w| {
                span.start
                    + w
                    + text[span.start + w..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8)
            });
        let tok_end = text[at..span.end]
            .find(char::is_whitespace)
            .map_or(span.end, |w| at + w);
        if tok_end >= span.end {
            break;
        }
        next = find_paren(bytes, tok_end, span.end);
        let tok = &text[tok_start..tok_end];
        let next_start = tok_end + text[tok_end..].len() - text[tok_end..].trim_start().len();
        let smiley = is_emoticon(tok) || chat_brackets(&text[span.start..tok_end]);
        if smiley && matches!(next_token(text, tok_end), Next::Upper { .. }) {
            cuts.push((tok_end, next_start));
        } else if is_paren_enumerator(tok) {
            // `N)` after `;`, unless it closes a bracket opened before (`(п. 3; 4) далее`).
            let head = &text[span.start..tok_start];
            let closed = head.matches('(').count() <= head.matches(')').count();
            if closed && head.trim_end().ends_with(';') {
                cuts.push((tok_start, tok_start));
            }
        }
    }
}

/// Chat smileys without eyes (`привет))) Как дела`, `жаль(( Ладно`): `head` (the sentence up to
/// the token's end) ends with a word and then two or more `)` or `(`; `)` only when they close
/// no bracket (at least as many more `)` than `(` in all of it).
fn chat_brackets(head: &str) -> bool {
    let bytes = head.as_bytes();
    let Some(&last) = bytes.last().filter(|&&b| b == b')' || b == b'(') else {
        return false;
    };
    let run = bytes.iter().rev().take_while(|&&b| b == last).count();
    let before = bytes.len() - run;
    let word = head[..before]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let opened = head.matches('(').count();
    let closed = head.matches(')').count();
    // An opening bracket is never followed by white space, so `((` is a smiley anyway.
    let unbalanced = last == b'(' || closed >= opened + run;
    run >= 2 && word && unbalanced
}

/// `:)`, `;)`, `:-)`, `:))`, `:(`, `=)`.
fn is_emoticon(tok: &str) -> bool {
    let rest = tok.strip_prefix([':', ';', '=']).unwrap_or("");
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    !rest.is_empty() && (rest.bytes().all(|b| b == b')') || rest.bytes().all(|b| b == b'('))
}

/// `2)`, `12)`, `b)`, `в)`.
fn is_paren_enumerator(tok: &str) -> bool {
    let Some(head) = tok.strip_suffix(')') else {
        return false;
    };
    let mut chars = head.chars();
    match (chars.next(), chars.clone().count()) {
        (Some(c), 0) => c.is_ascii_digit() || is_lower(c),
        (Some(c), 1) => c.is_ascii_digit() && head.bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

/// How line breaks are read in one paragraph (see [`LineBreaks`]); the paragraph's profile
/// is measured at its first line break.
pub(super) struct Lines {
    mode: LineBreaks,
    profile: Option<Profile>,
}

/// What `auto` needs to know about a paragraph.
#[derive(Debug, Clone, Copy)]
struct Profile {
    /// The longest line, in chars: the paragraph's wrap width.
    width: usize,
    /// Two or more short lines, none ending with a terminator: one item a line.
    items: bool,
}

/// A paragraph whose lines are all this short (chars) and unterminated is a list of items.
const ITEM_WIDTH: usize = 60;

impl Lines {
    /// The line-break reading of one paragraph.
    pub(super) fn new(mode: LineBreaks) -> Lines {
        Lines {
            mode,
            profile: None,
        }
    }

    /// True when the line break at byte `nl` of `text` (the paragraph) ends a sentence.
    pub(super) fn boundary(&mut self, text: &str, nl: usize) -> bool {
        let next = text.get(nl + 1..).unwrap_or("");
        if starts_item(next) {
            return true;
        }
        match self.mode {
            LineBreaks::Soft => false,
            LineBreaks::Hard => true,
            LineBreaks::Auto => {
                let profile = *self.profile.get_or_insert_with(|| Profile::of(text));
                profile.items || forced_break(text, nl, profile.width)
            }
        }
    }
}

impl Profile {
    /// Measures a paragraph.
    fn of(text: &str) -> Profile {
        let mut width = 0;
        let mut lines = 0;
        let mut terminated = false;
        for line in text.split('\n') {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            lines += 1;
            width = width.max(line.chars().count());
            terminated |= line
                .trim_end_matches(is_closer)
                .chars()
                .next_back()
                .is_some_and(is_terminator);
        }
        Profile {
            width,
            items: lines >= 2 && width <= ITEM_WIDTH && !terminated,
        }
    }
}

/// `auto` on one line break: a boundary when the line before it does not end a sentence or a
/// clause (no terminator, comma, hyphen), the next line starts like a sentence (a capital, a
/// digit, a quote or a dash), and the next line's first word would have fitted well within
/// the paragraph's width (`width` chars): the writer broke the line, the wrapping did not.
/// A heading, a title or a short line before a new line is never glued to it.
fn forced_break(text: &str, nl: usize, width: usize) -> bool {
    let line = text[..nl].rsplit('\n').next().unwrap_or("").trim();
    let Some(last) = line.trim_end_matches(is_closer).chars().next_back() else {
        return false;
    };
    if is_terminator(last) || matches!(last, ',' | ';' | '(' | '&' | '/') || is_dash(last) {
        return false;
    }
    let next = text[nl + 1..].split('\n').next().unwrap_or("").trim_start();
    let Some(first) = next.chars().next() else {
        return false;
    };
    if !(is_upper(first) || first.is_ascii_digit() || is_opener(first) || is_dash(first)) {
        return false;
    }
    let word = next
        .split_whitespace()
        .next()
        .map_or(0, |w| w.chars().count());
    (line.chars().count() + 1 + word) * 4 <= width * 3
}

/// True when a line starts with a list bullet or an enumerator (`- `, `• `, `1. `, `2) `,
/// `a) `, `(iv) `).
pub(super) fn starts_item(line: &str) -> bool {
    let line = line.trim_start_matches(|c: char| c.is_whitespace() && c != '\n');
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    let space_after = |r: &str| r.chars().next().is_some_and(char::is_whitespace);
    match first {
        '-' | '–' | '—' | '*' => space_after(rest),
        '•' | '·' | '▪' | '‣' | '◦' | '●' | '■' | '►' => true,
        '(' => {
            let (count, bytes) = rest
                .chars()
                .take_while(|c| c.is_alphanumeric())
                .fold((0, 0), |(n, b), c| (n + 1, b + c.len_utf8()));
            (1..=3).contains(&count)
                && rest[bytes..].starts_with(')')
                && space_after(&rest[bytes + 1..])
        }
        c if c.is_ascii_digit() => {
            // `1.`, `12)`, `1.2.` followed by white space.
            let mut group = 1;
            let mut r = rest;
            loop {
                let digits = r.bytes().take_while(u8::is_ascii_digit).count();
                group += digits;
                if group > 3 {
                    return false;
                }
                r = &r[digits..];
                if let Some(after) = r.strip_prefix(')') {
                    return space_after(after);
                }
                let Some(after) = r.strip_prefix('.') else {
                    return false;
                };
                if space_after(after) {
                    return true;
                }
                if !after.starts_with(|c: char| c.is_ascii_digit()) {
                    return false;
                }
                r = after;
                group = 0;
            }
        }
        c if is_alpha(c) => rest.strip_prefix(')').is_some_and(space_after),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_space_or_terminator_starts_with_a_non_plain_byte() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let lead = c.encode_utf8(&mut buf).as_bytes()[0];
            let class = CLASS[usize::from(lead)];
            if c == '\n' {
                assert_eq!(class, NEWLINE);
            } else if c.is_whitespace() {
                assert!(class == SPACE || class == DECODE, "{c:?}");
            } else if is_terminator(c) {
                assert!(class == TERM || class == DECODE, "{c:?}");
            }
            if c.is_ascii() && class != PLAIN {
                assert!(c.is_whitespace() || is_terminator(c), "{c:?}");
            }
        }
    }

    #[test]
    fn any_stop_agrees_with_the_table() {
        for b in 0..=255u8 {
            for k in 0..16 {
                let mut chunk = [b'a'; 16];
                chunk[k] = b;
                assert_eq!(any_stop(&chunk), CLASS[usize::from(b)] > SPACE, "{b:#x}");
            }
        }
    }

    #[test]
    fn fast_char_classes_agree_with_std() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(is_alpha(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_lower(c), c.is_lowercase(), "{c:?}");
            assert_eq!(is_upper(c), c.is_uppercase(), "{c:?}");
            let std: Vec<char> = c.to_lowercase().collect();
            let single = (std.len() == 1).then(|| std[0]);
            assert_eq!(lower_single(c), single, "{c:?}");
        }
    }
}
