//! Text foundations shared by every reader and writer: XML 1.0 character classes, escaping and
//! sanitising (`xml`).

pub(crate) mod xml;
