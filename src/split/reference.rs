//! Reference copy of the rule engine as it was before the byte-level speed-up (commit
//! 8bb1291), kept for tests only: the property tests in `tests.rs` compare [`split`] with the
//! fast engine in `rules.rs` on random text, so any drift in the fast version fails a test.
//! Do not optimise or edit this file except to follow an intended change of the rules.
//!
//! It may give way to golden outputs under the rule of `src/align/anchors/reference.rs`: when
//! it no longer compiles against the current types without rewriting its algorithm, or when
//! the rules are deliberately changed in a way it would have to re-implement; the last version
//! on which both engines agree then writes the golden splits of the fixtures and seeds.

use std::ops::Range;

use super::abbrev::{Class, Lexicon};

/// Splits `text` into trimmed sentence spans with the word lists of one language.
pub(crate) fn split(text: &str, lex: &Lexicon) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut key = String::new();
    // Start of the current sentence, and the end of its last non-white-space character.
    let mut start: Option<usize> = None;
    let mut last = 0;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        let len = c.len_utf8();
        if c.is_whitespace() {
            if c == '\n' {
                if let Some(s) = start {
                    if starts_item(&text[i + len..]) {
                        out.push(s..last);
                        start = None;
                    }
                }
            }
            i += len;
            continue;
        }
        let s = *start.get_or_insert(i);
        if is_terminator(c) {
            let run = scan_run(text, i);
            last = run.end;
            if !run.omission && decide(text, s, i, &run, lex, &mut key) {
                out.push(s..run.end);
                start = None;
            }
            i = run.end;
            continue;
        }
        i += len;
        last = i;
    }
    if let Some(s) = start {
        out.push(s..last);
    }
    out
}

/// What ends a run of terminators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
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
struct Run {
    kind: Kind,
    /// Byte offset just past the run (and its closers).
    end: usize,
    /// Closing quotes or brackets follow the first terminators (`."`, `г.)`).
    closed: bool,
    /// More terminators follow those closers (`г.).`): the last one ends the sentence.
    reterm: bool,
    /// An omission mark `[...]` or `(…)`: not a terminator at all.
    omission: bool,
}

/// Characters that may end a sentence.
fn is_terminator(c: char) -> bool {
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
fn scan_run(text: &str, i: usize) -> Run {
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
        };
    }
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
    } else if ellipsis {
        Kind::Ellipsis
    } else {
        Kind::Period
    };
    Run {
        kind,
        end: j,
        closed,
        reterm,
        omission: false,
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
        if c.is_lowercase() {
            return Next::Lower;
        }
        if c.is_uppercase() {
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
        if c.is_alphabetic() {
            end = j + k + c.len_utf8();
        } else if c == '-' && matches!(chars.peek(), Some((_, n)) if n.is_alphabetic()) {
            continue;
        } else {
            break;
        }
    }
    end
}

/// Decides whether the run at `i` (sentence started at `s`) ends the sentence.
fn decide(text: &str, s: usize, i: usize, run: &Run, lex: &Lexicon, key: &mut String) -> bool {
    match text[run.end..].chars().next() {
        // The end of the text ends the sentence anyway.
        None => return false,
        Some(c) if !c.is_whitespace() => return run.kind == Kind::Wide,
        Some(_) => {}
    }
    let next = next_token(text, run.end);
    match run.kind {
        Kind::Wide | Kind::Strong => regular(&next),
        Kind::Ellipsis => matches!(next, Next::Upper { .. }),
        Kind::Period if run.closed || run.reterm => regular(&next),
        Kind::Period => period(text, s, i, &next, lex, key),
    }
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
            if c.is_alphabetic() {
                s -= c.len_utf8();
            } else if c == '-' && s < pos && before(text, s - 1).is_some_and(char::is_alphabetic) {
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
        let first = chars.next().filter(|c| c.is_uppercase());
        if let Some(first) = first.filter(|_| k > 1 || chars.next().is_some()) {
            let mut lower = first.to_lowercase();
            if let (1, Some(l)) = (lower.len(), lower.next()) {
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
            Class::Year => after_number(text, parts[k - 1].start) && regular(next),
        };
    }
    let word = &text[parts[0].clone()];
    let single = word.chars().nth(1).is_none();
    let glued = before(text, parts[0].start).is_some_and(char::is_alphanumeric);
    if parts[0].start == s && (single || is_roman(word)) {
        return false; // an enumerator: `a. the first`, `IV. Results`
    }
    if single && !glued {
        // An initial (`A. Zhaichibekov`, `J. R. R. Tolkien`) or a one-letter abbreviation.
        return before_starter(text, next, lex);
    }
    regular(next)
}

/// True when a line starts with a list bullet or an enumerator (`- `, `• `, `1. `, `2) `,
/// `a) `, `(iv) `).
fn starts_item(line: &str) -> bool {
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
        c if c.is_alphabetic() => rest.strip_prefix(')').is_some_and(space_after),
        _ => false,
    }
}
