//! TMX: the streaming reader (TMX 1.1-1.4b in, [`TmxReader`]) and writer (TMX 1.4b out, valid
//! against the DTD, [`TmxWriter`]) of [`crate::unit::Unit`]s.

mod markup;
mod read;
#[cfg(test)]
mod reader_tests;
pub mod write;

pub(crate) use markup::parse_segment;

pub(crate) use read::{once_per_file, Frame, Framing};
pub use read::{ReadOptions, TmxReader};
pub(crate) use write::{TmxWriter, WriteOptions};
