//! # bitext — parallel-text sentence alignment and translation memories
//!
//! bitext turns the same text in two languages into aligned, scored sentence pairs, and reads,
//! writes and cleans the translation memories they end up in. Data flows one way through
//! layers; a module uses only the layers below it (a test reads the sources to keep it so):
//!
//! ```text
//! foundations  error, text (decoding, XML), lang (language profiles, scripts, BCP 47 tags),
//!              io (output policy, dates), unit (the translation unit), length (Gale-Church)
//! aligner      read -> normalize -> split -> align -> score
//! formats      one reader and one writer per format, one registry (TMX, TSV, CSV, JSONL, links)
//! export       scored links -> units -> a formats writer
//! tm           convert, merge, dedupe, filter, stats, lookup over units
//! run          one pair, a batch, a stream;  review: links checked by a person before export
//! eval         alignments against gold standards
//! ```
//!
//! The principal types at the boundaries are [`read::Document`] (decoded text with its
//! paragraphs), [`split::SplitDocument`] (sentences as byte spans into that text),
//! [`align::Alignment`] (links over sentence ranges), [`score::ScoredLink`] (a link with a
//! posterior confidence), [`export::TranslationUnit`] (an aligned pair's text) and
//! [`unit::Unit`] (what every memory file holds, read and written by [`formats`]). Every file a
//! command writes goes through [`io::output`], the one policy that decides how (atomically, or
//! in place for devices and FIFOs) and keeps inputs from being overwritten.
//!
//! ```
//! use bitext::{align, read, score, split, Lang};
//! let en = read::Document::from_text("en", "The SCO met in Beijing. It was chaired by China.");
//! let ru = read::Document::from_text("ru", "ШОС собралась в Пекине. Председательствовал Китай.");
//! let en = split::split(en, Lang::En);
//! let ru = split::split(ru, Lang::Ru);
//! let model = align::CostModel::new(&en, &ru, Lang::En, Lang::Ru, &align::Options::default());
//! let alignment = align::align(&model);
//! let scored = score::score(&model, &alignment);
//! assert_eq!(scored.len(), 2);
//! assert!(scored.iter().all(|l| l.link.src.len() == 1 && l.link.tgt.len() == 1));
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod align;
pub mod error;
pub mod eval;
pub mod export;
pub mod formats;
pub mod io;
pub mod lang;
pub mod length;
pub mod normalize;
pub mod read;
pub mod review;
pub mod run;
pub mod score;
pub mod split;
pub(crate) mod text;
pub mod tm;
pub mod unit;

#[cfg(test)]
mod layers_tests;
#[cfg(test)]
mod test_support;

pub use error::{Error, Result, Warning, WarningSink};
pub use lang::Lang;
