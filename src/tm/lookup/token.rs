//! Tokens for the match percentage: a segment cut into words, numbers, punctuation, CJK
//! characters and inline tags (see the [module docs](super) for the rules; text is put in
//! Unicode NFC first, UAX #15), each with a class that sets its weight, and the vocabulary that
//! interns them as `u32` ids with their lower-cased forms.

use rustc_hash::FxHashMap;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::unit::{Piece, Segment};

/// The kind of a token, which sets its weight and costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Word,
    Number,
    Punct,
    Tag,
}

/// Token weights in quarter words (the unit of `W`, `S`, `L` in the bounds).
pub(super) const fn weight(class: Class) -> u32 {
    match class {
        Class::Word | Class::Number => 4,
        Class::Punct => 1,
        Class::Tag => 0,
    }
}

/// A query token the memory has never seen.
pub(super) const NONE: u32 = u32::MAX;
/// Inline elements whose content is native code: one token each.
const CODE_ELEMENTS: [&str; 5] = ["bpt", "ept", "it", "ph", "ut"];

/// A token as the edit distance sees it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tok {
    pub(super) exact: u32,
    pub(super) fold: u32,
    pub(super) class: Class,
}

/// Interned token strings: exact forms, their lower-cased forms, and classes.
#[derive(Debug, Default)]
pub(super) struct Vocab {
    pub(super) exact: FxHashMap<Box<str>, u32>,
    pub(super) folded: FxHashMap<Box<str>, u32>,
    pub(super) fold_of: Vec<u32>,
    pub(super) class_of: Vec<Class>,
}

impl Vocab {
    /// The id of `text`, interning it; `None` once `u32` ids run out.
    pub(super) fn intern(&mut self, text: &str, class: Class) -> Option<u32> {
        if let Some(&id) = self.exact.get(text) {
            return Some(id);
        }
        let id = u32::try_from(self.fold_of.len())
            .ok()
            .filter(|&i| i < NONE)?;
        let fold = if class == Class::Word {
            let lower = text.to_lowercase();
            match self.folded.get(lower.as_str()) {
                Some(&f) => f,
                None => {
                    let f = u32::try_from(self.folded.len())
                        .ok()
                        .filter(|&i| i < NONE)?;
                    self.folded.insert(lower.into_boxed_str(), f);
                    f
                }
            }
        } else {
            match self.folded.get(text) {
                Some(&f) => f,
                None => {
                    let f = u32::try_from(self.folded.len())
                        .ok()
                        .filter(|&i| i < NONE)?;
                    self.folded.insert(text.into(), f);
                    f
                }
            }
        };
        self.exact.insert(text.into(), id);
        self.fold_of.push(fold);
        self.class_of.push(class);
        Some(id)
    }

    /// The token for a query string, with `NONE` ids where the memory never saw it.
    pub(super) fn query(&self, text: &str, class: Class) -> Tok {
        let exact = self.exact.get(text).copied().unwrap_or(NONE);
        let fold = if exact != NONE {
            self.fold_of[exact as usize]
        } else if class == Class::Word {
            let lower = text.to_lowercase();
            self.folded.get(lower.as_str()).copied().unwrap_or(NONE)
        } else {
            self.folded.get(text).copied().unwrap_or(NONE)
        };
        Tok { exact, fold, class }
    }

    pub(super) fn tok(&self, id: u32) -> Tok {
        Tok {
            exact: id,
            fold: self.fold_of[id as usize],
            class: self.class_of[id as usize],
        }
    }
}

/// Calls `f` with each token of the segment (see the module docs for what a token is).
pub(super) fn tokenize(segment: &Segment, f: &mut dyn FnMut(&str, Class)) {
    tokenize_pieces(&segment.pieces, f);
}

fn tokenize_pieces(pieces: &[Piece], f: &mut dyn FnMut(&str, Class)) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                if is_nfc_quick(text.chars()) == IsNormalized::Yes {
                    tokenize_text(text, f);
                } else {
                    let nfc: String = text.nfc().collect();
                    tokenize_text(&nfc, f);
                }
            }
            Piece::Tag(tag) if CODE_ELEMENTS.contains(&tag.name.as_str()) => {
                let mut key = String::from("\u{0}");
                key.push_str(&tag.name);
                key.push('\u{0}');
                for p in &tag.content {
                    if let Piece::Text(t) = p {
                        key.push_str(t);
                    }
                }
                f(&key, Class::Tag);
            }
            Piece::Tag(tag) => {
                f(&format!("\u{0}{}", tag.name), Class::Tag);
                tokenize_pieces(&tag.content, f);
                f(&format!("\u{0}/{}", tag.name), Class::Tag);
            }
        }
    }
}

fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() || c == '_' || is_combining_mark(c)) && !is_ideograph(c)
}

/// CJK ideographs and kana: scripts written without spaces, one token per character.
fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn tokenize_text(text: &str, f: &mut dyn FnMut(&str, Class)) {
    let mut rest = text.char_indices().peekable();
    while let Some((i, c)) = rest.next() {
        if c.is_whitespace() || c.is_control() {
            continue;
        }
        if !is_word_char(c) {
            let class = if is_ideograph(c) {
                Class::Word
            } else {
                Class::Punct
            };
            f(&text[i..i + c.len_utf8()], class);
            continue;
        }
        let mut end = i + c.len_utf8();
        let mut numeric = c.is_numeric();
        let mut last = c;
        while let Some(&(j, n)) = rest.peek() {
            if is_word_char(n) {
                numeric &= n.is_numeric();
                end = j + n.len_utf8();
                last = n;
                rest.next();
                continue;
            }
            // A joiner between two word characters: `don't`, `1,000.50`.
            let after = text[j + n.len_utf8()..].chars().next();
            let joins = match n {
                '\'' | '\u{2019}' => {
                    last.is_alphabetic() && after.is_some_and(|a| a.is_alphabetic())
                }
                '.' | ',' => last.is_numeric() && after.is_some_and(|a| a.is_numeric()),
                _ => false,
            };
            if !joins {
                break;
            }
            if !matches!(n, '.' | ',') {
                numeric = false;
            }
            rest.next();
            end = j + n.len_utf8();
            last = n;
        }
        let class = if numeric { Class::Number } else { Class::Word };
        f(&text[i..end], class);
    }
}
