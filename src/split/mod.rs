//! Split: [`Document`] -> [`SplitDocument`] (sentences as byte spans into the text).
//!
//! Rule-based sentence boundary detection for English and Russian (with abbreviation lists for
//! German and French, and language-independent rules for the rest). Spans are lossless: the
//! sentences plus the white-space gaps between them give back the input exactly.
//! `rules.rs` holds the engine (its header lists the rules), `abbrev.rs` the word lists, and
//! `reference.rs` (tests only) the slower engine it must agree with.

mod abbrev;
#[cfg(test)]
mod reference;
mod rules;
#[cfg(test)]
mod tests;

use std::ops::Range;

use crate::read::input::CueTime;
use crate::read::Document;
use crate::Lang;

/// One sentence: a byte span into its document's text, and the paragraph it lies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// Index of the paragraph (in [`Document::paragraphs`]) holding the sentence.
    pub paragraph: usize,
}

impl Sentence {
    /// The byte range of the sentence.
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// A document's text with its sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitDocument {
    /// Where the text came from.
    pub name: String,
    /// The whole text.
    pub text: String,
    /// The sentences, in order; they never overlap and never start or end with white space.
    pub sentences: Vec<Sentence>,
    /// The subtitle cues of the document ([`Document::cues`]), each naming its paragraph.
    pub cues: Vec<CueTime>,
}

impl SplitDocument {
    /// The text of sentence `i`.
    pub(crate) fn sentence(&self, i: usize) -> &str {
        &self.text[self.sentences[i].span()]
    }

    /// The number of sentences.
    pub fn len(&self) -> usize {
        self.sentences.len()
    }

    /// True when there is no sentence.
    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }

    /// Iterates over the sentence texts.
    pub fn texts(&self) -> impl Iterator<Item = &str> + '_ {
        self.sentences.iter().map(|s| &self.text[s.span()])
    }
}

/// Splits each paragraph of `doc` into sentences with the rules of `lang`.
pub fn split(doc: Document, lang: Lang) -> SplitDocument {
    let mut sentences = Vec::new();
    let lex = abbrev::lexicon(lang);
    for (p, range) in doc.paragraphs.iter().enumerate() {
        let Some(text) = doc.text.get(range.clone()) else {
            continue;
        };
        rules::split_each(text, lex, |span| {
            sentences.push(Sentence {
                start: range.start + span.start,
                end: range.start + span.end,
                paragraph: p,
            })
        });
    }
    SplitDocument {
        name: doc.name,
        text: doc.text,
        sentences,
        cues: doc.cues,
    }
}

/// Takes each non-blank line of `doc` as one sentence (pre-split input, one sentence a line).
pub fn lines(doc: Document) -> SplitDocument {
    let mut sentences = Vec::new();
    for (p, range) in doc.paragraphs.iter().enumerate() {
        let mut start = range.start;
        for line in doc.text[range.clone()].split_inclusive('\n') {
            let content = line.strip_suffix('\n').unwrap_or(line);
            if let Some(span) = trim_span(content) {
                sentences.push(Sentence {
                    start: start + span.start,
                    end: start + span.end,
                    paragraph: p,
                });
            }
            start += line.len();
        }
    }
    SplitDocument {
        name: doc.name,
        text: doc.text,
        sentences,
        cues: doc.cues,
    }
}

/// Byte spans of the sentences of one paragraph (or any text), trimmed of white space.
///
/// The spans are in order, never overlap, never empty, and lie on char boundaries; only
/// white space lies between and around them. A line break inside `text` is soft unless the
/// next line starts with a bullet or an enumerator.
pub fn split_text(text: &str, lang: Lang) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    rules::split_each(text, abbrev::lexicon(lang), |span| out.push(span));
    out
}

/// The span of `s` without leading and trailing white space, or `None` when it is blank.
fn trim_span(s: &str) -> Option<Range<usize>> {
    let start = s.len() - s.trim_start().len();
    let end = s.trim_end().len();
    (start < end).then_some(start..end)
}
