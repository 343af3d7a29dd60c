//! Translation-memory commands over [`crate::unit::Unit`]s read and written by
//! [`crate::formats`]: convert, merge, dedupe, filter ([`ops`], [`dedupe`], [`filter`]),
//! statistics ([`stats`]) and fuzzy lookup ([`lookup`]).

mod key;
mod merge;
#[cfg(test)]
mod test_units;

pub mod dedupe;
pub mod filter;
pub mod lookup;
pub mod ops;
mod prefetch;

#[doc(hidden)]
pub use prefetch::both_readings;
pub mod stats;
