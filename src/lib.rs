//! # bitext — parallel-text sentence alignment and translation memories
//!
//! bitext turns the same text in two languages into aligned, scored sentence pairs.
//! Data flows one way through one module per stage:
//!
//! ```text
//! read -> normalize -> split -> align -> score -> export        (eval reads alignment files)
//! ```
//!
//! The principal types at the stage boundaries are [`read::Document`] (decoded text with its
//! paragraphs), [`split::SplitDocument`] (sentences as byte spans into that text),
//! [`align::Alignment`] (links over sentence ranges), [`score::ScoredLink`] (a link with a
//! posterior confidence) and [`export::TranslationUnit`] (the strings a translation memory
//! stores). Every file a command writes goes through [`io::output`], the one policy that decides
//! how (atomically, or in place for devices and FIFOs) and keeps inputs from being overwritten.
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
pub mod batch;
pub mod error;
pub mod eval;
pub mod export;
pub mod formats;
pub mod io;
pub mod lang;
pub mod length;
pub mod normalize;
pub mod pipeline;
pub mod read;
pub mod score;
pub mod split;
pub mod stream;
pub mod text;
pub mod tm;
pub mod unit;

#[cfg(test)]
mod layers_tests;
#[cfg(test)]
mod test_support;

pub use error::{Error, Result, Warning};
pub use lang::Lang;
