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

/// How a single line break inside a paragraph is read (a blank line always ends one).
///
/// A line that starts with a bullet or an enumerator (`- `, `• `, `1. `, `2) `) starts a
/// sentence in every mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LineBreaks {
    /// Per paragraph and line: a paragraph of two or more short lines (at most 60 chars) none
    /// of which ends with a terminator is one item a line (a list, chat lines, a menu); in
    /// other paragraphs a line break is a boundary when the line before it ends without a
    /// terminator, comma or hyphen, the next line starts like a sentence (a capital, a digit,
    /// a quote or a dash) and the next line's first word would have fitted on the line
    /// before it within three quarters of the paragraph's longest line: a heading, a title or
    /// a short line the writer broke by hand. Anything else is a soft wrap of prose. In a
    /// subtitle document every line break inside a cue is soft (screen wrapping).
    #[default]
    Auto,
    /// Every other line break is a soft wrap: the line goes on (hard-wrapped prose).
    Soft,
    /// Every line break ends a sentence (one sentence or item a line, dialogue, verse).
    Hard,
}

impl std::str::FromStr for LineBreaks {
    type Err = String;

    fn from_str(s: &str) -> Result<LineBreaks, String> {
        match s {
            "auto" => Ok(LineBreaks::Auto),
            "soft" => Ok(LineBreaks::Soft),
            "hard" => Ok(LineBreaks::Hard),
            _ => Err(format!("{s:?}: expected auto, soft or hard")),
        }
    }
}

/// Settings of the splitter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// How a single line break inside a paragraph is read.
    pub line_breaks: LineBreaks,
}

/// Splits each paragraph of `doc` into sentences with the rules of `lang` (default
/// [`Options`]).
pub fn split(doc: Document, lang: Lang) -> SplitDocument {
    split_with(doc, lang, &Options::default())
}

/// Splits each paragraph of `doc` into sentences with the rules of `lang` and `options`.
pub fn split_with(doc: Document, lang: Lang, options: &Options) -> SplitDocument {
    let mut sentences = Vec::new();
    let lex = abbrev::lexicon(lang);
    // Lines inside a subtitle cue are wrapped for the screen, not by the writer.
    let line_breaks = match options.line_breaks {
        LineBreaks::Auto if !doc.cues.is_empty() => LineBreaks::Soft,
        mode => mode,
    };
    for (p, range) in doc.paragraphs.iter().enumerate() {
        let Some(text) = doc.text.get(range.clone()) else {
            continue;
        };
        for span in joined(text, |f| rules::split_each(text, lex, line_breaks, f)) {
            sentences.push(Sentence {
                start: range.start + span.start,
                end: range.start + span.end,
                paragraph: p,
            });
        }
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
/// white space lies between and around them. Line breaks are read as
/// [`LineBreaks::Auto`] reads them, with all of `text` as one paragraph.
pub fn split_text(text: &str, lang: Lang) -> Vec<Range<usize>> {
    split_text_with(text, lang, &Options::default())
}

/// [`split_text`] with the given [`Options`].
pub fn split_text_with(text: &str, lang: Lang, options: &Options) -> Vec<Range<usize>> {
    joined(text, |f| {
        rules::split_each(text, abbrev::lexicon(lang), options.line_breaks, f)
    })
}

/// The spans `split` gives for `text`, with every span that holds no letter or digit (an
/// ellipsis after a full stop, `. …`; a closing quote; `***`) joined to the sentence before
/// it, or to the one after it at the start of the text: such a span is a pause or a mark, and
/// as a unit of its own it would be a junk segment in a translation memory. A text holding
/// nothing else keeps it.
fn joined(text: &str, split: impl FnOnce(&mut dyn FnMut(Range<usize>))) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut pending: Option<Range<usize>> = None;
    split(&mut |span: Range<usize>| {
        let bare = !text
            .get(span.clone())
            .is_some_and(|s| s.chars().any(char::is_alphanumeric));
        if bare {
            match out.last_mut() {
                Some(last) => last.end = span.end,
                None => pending = Some(pending.take().map_or(span.clone(), |p| p.start..span.end)),
            }
        } else {
            let start = pending.take().map_or(span.start, |p| p.start);
            out.push(start..span.end);
        }
    });
    if let Some(p) = pending {
        out.push(p);
    }
    out
}

/// The span of `s` without leading and trailing white space, or `None` when it is blank.
fn trim_span(s: &str) -> Option<Range<usize>> {
    let start = s.len() - s.trim_start().len();
    let end = s.trim_end().len();
    (start < end).then_some(start..end)
}
