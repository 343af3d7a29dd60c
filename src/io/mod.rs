//! Input/output foundations shared by the aligner and the translation-memory commands: the
//! output policy ([`output`]: atomic replacement of regular files, devices and FIFOs written in
//! place, inputs never overwritten) and dates (`date`: TMX 1.4b `YYYYMMDDThhmmssZ` read and
//! written, `SOURCE_DATE_EPOCH`).

pub(crate) mod date;
pub mod output;
