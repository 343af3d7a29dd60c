//! Text foundations shared by every reader and writer: the encoding of a file and strict
//! decoding (`decode`), XML 1.0 character classes, escaping and the segment cleaning every
//! writer applies (`xml`).

pub(crate) mod decode;
pub(crate) mod xml;
