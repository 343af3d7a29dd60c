//! Running the aligner: the ways a run is driven, all over one per-pair [`pipeline`].
//!
//! - one pair of documents (or one mixed document): [`pipeline::align_documents`] and
//!   [`pipeline::align_mixed`], as `bitext align SRC TGT` calls them;
//! - many pairs, from a manifest or two directories, one output file each, in parallel:
//!   [`batch`];
//! - a JSON-lines stream of document pairs in, scored links out, in bounded memory: [`stream`].
//!
//! What each pair came to and the totals over a run are [`summary`]'s types, shared by the
//! three. The import graph runs one way: `batch` and `stream` use `pipeline` and `summary`,
//! `summary` uses `pipeline`, and neither `batch` nor `stream` uses the other.

pub mod batch;
pub mod check;
pub mod pipeline;
pub mod stream;
pub mod summary;
