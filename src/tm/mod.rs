//! Translation-memory commands over [`crate::unit::Unit`]s read and written by
//! [`crate::formats`]: convert, merge, dedupe, filter ([`ops`], [`clean`]), statistics
//! ([`stats`]) and fuzzy lookup ([`lookup`]).

mod lang;

pub mod clean;
pub mod lookup;
pub mod ops;
pub mod stats;

pub use lang::{invalid_lang, normalize_lang};
