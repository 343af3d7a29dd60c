//! Translation memories: a streaming, defensive reader for TMX files as translators receive them.
//!
//! Follows TMX 1.4b (LISA OSCAR, 2005) and XML 1.0 (5th edition), and accepts what TMX 1.1-1.3
//! files and real exporters write: UTF-8 with or without a byte-order mark, UTF-16 with a BOM or
//! sniffed from a leading `<` (XML 1.0 Appendix F), the legacy `lang=` attribute, `srclang`
//! per `<tu>` or `*all*`, a namespaced `<tmx>`. [`TmxReader`] yields one [`Unit`] at a time
//! from any [`std::io::Read`], so memory stays bounded by the largest unit, never the file.
//!
//! It refuses rather than guesses: no DTD is fetched and no external entity resolved; a DOCTYPE
//! that declares entities is refused (no entity-expansion bombs); only the five XML entities and
//! character references to XML 1.0 `Char`s are accepted. Every error names file:line:column and
//! the unit number; [`ReadOptions::lenient`] skips a broken unit with a warning that names it,
//! and without it nothing is ever dropped silently. Inline markup (`bpt`, `ept`, `it`, `ph`,
//! `hi`, `ut`, `sub`) is kept losslessly in a [`Segment`]; props, notes and dates stay on the
//! unit. See `shared/TMX-NOTES.md` for the pitfalls this guards against.

mod date;
mod read;
#[cfg(test)]
mod reader_tests;
mod segment;
mod source;

pub mod clean;
pub mod file;
pub mod lookup;
pub mod ops;
pub mod stats;
pub mod table;
pub mod write;

pub use crate::lang::tag::{invalid_lang, normalize_lang};
pub use date::{Date, DateTime};
pub use read::{ReadOptions, TmxReader};
pub use segment::{Piece, Segment, Tag, INLINE_ELEMENTS};
pub use source::Detected;

/// The largest unit read by default (16 MiB): a `<tu>` in TMX, a row or CSV record in a table,
/// a JSON line. A unit is a sentence or a paragraph, kilobytes at most; 16 MiB is a thousand
/// times the largest seen in real memories, yet bounds what one unit costs (the readers and
/// writers hold it three to seven times over: about 100 MB) where an unbounded one can exhaust
/// memory. `--max-unit-bytes` raises or lowers it.
pub const DEFAULT_MAX_UNIT_BYTES: u64 = 16 << 20;

/// The `<header>` of a TMX file, with the `<tmx version>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// The `version` attribute of `<tmx>` (`1.4`, `1.1`, ...), if present.
    pub version: Option<String>,
    /// The default source language (`srclang`); `*all*` means any.
    pub srclang: Option<String>,
    /// The administrative language (`adminlang`).
    pub adminlang: Option<String>,
    /// The tool that wrote the file (`creationtool`).
    pub creationtool: Option<String>,
    /// That tool's version (`creationtoolversion`).
    pub creationtoolversion: Option<String>,
    /// Segmentation level (`segtype`: block, paragraph, sentence, phrase).
    pub segtype: Option<String>,
    /// The original translation-memory format (`o-tmf`).
    pub o_tmf: Option<String>,
    /// The data type (`datatype`: plaintext, html, ...).
    pub datatype: Option<String>,
    /// The original encoding (`o-encoding`).
    pub o_encoding: Option<String>,
    /// `creationdate`.
    pub creationdate: Option<Date>,
    /// `changedate`.
    pub changedate: Option<Date>,
    /// Any other attributes, as written (`creationid`, `changeid`, ...).
    pub other_attrs: Vec<(String, String)>,
    /// The header's `<prop>`s.
    pub props: Vec<Prop>,
    /// The header's `<note>`s.
    pub notes: Vec<String>,
}

/// A `<prop type="...">value</prop>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Prop {
    /// The `type` attribute (`x-score`, `x-Comment:MultipleString`, ...).
    pub kind: String,
    /// The text content.
    pub value: String,
}

/// One translation unit, `<tu>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// 1-based position of the `<tu>` in the file (counting skipped ones too).
    pub number: u64,
    /// The line of its `<tu>` tag.
    pub line: u64,
    /// `tuid`, as written.
    pub tuid: Option<String>,
    /// Per-unit source language overriding the header's (`srclang`).
    pub srclang: Option<String>,
    /// `creationdate`.
    pub creationdate: Option<Date>,
    /// `changedate`.
    pub changedate: Option<Date>,
    /// Any other attributes, as written (`usagecount`, `creationid`, ...).
    pub other_attrs: Vec<(String, String)>,
    /// `<prop>`s, in order.
    pub props: Vec<Prop>,
    /// `<note>`s, in order.
    pub notes: Vec<String>,
    /// The language variants, `<tuv>`, in order (at least one).
    pub variants: Vec<Variant>,
}

/// One language variant, `<tuv>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// `xml:lang` (or the legacy `lang`), as written.
    pub lang: String,
    /// Any other attributes, as written (`creationdate`, `changeid`, ...).
    pub other_attrs: Vec<(String, String)>,
    /// `<prop>`s, in order.
    pub props: Vec<Prop>,
    /// `<note>`s, in order.
    pub notes: Vec<String>,
    /// The `<seg>`.
    pub segment: Segment,
}

impl Variant {
    /// A variant in `lang` holding `segment`, without attributes, props or notes.
    pub fn new(lang: impl Into<String>, segment: Segment) -> Variant {
        Variant {
            lang: lang.into(),
            other_attrs: Vec::new(),
            props: Vec::new(),
            notes: Vec::new(),
            segment,
        }
    }
}

impl Unit {
    /// Unit `number` (its `<tu>` on `line`) holding `variants`, with nothing else set.
    pub fn new(number: u64, line: u64, variants: Vec<Variant>) -> Unit {
        Unit {
            number,
            line,
            tuid: None,
            srclang: None,
            creationdate: None,
            changedate: None,
            other_attrs: Vec::new(),
            props: Vec::new(),
            notes: Vec::new(),
            variants,
        }
    }

    /// The unit's source language: its own `srclang`, else the header's; `None` for `*all*`.
    pub fn source_lang<'a>(&'a self, header: &'a Header) -> Option<&'a str> {
        let lang = self.srclang.as_deref().or(header.srclang.as_deref())?;
        (lang != "*all*").then_some(lang)
    }

    /// The first variant whose language matches `lang` (case and `_`/`-` ignored).
    pub fn variant(&self, lang: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| same_lang(&v.lang, lang))
    }

    /// The newest of `changedate` and `creationdate` that could be read.
    pub fn newest_date(&self) -> Option<DateTime> {
        let c = self.changedate.as_ref().and_then(|d| d.utc);
        let k = self.creationdate.as_ref().and_then(|d| d.utc);
        c.max(k)
    }
}

/// True when two language tags are the same once case and `_`/`-` are ignored.
pub fn same_lang(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes().zip(b.bytes()).all(|(x, y)| {
            let norm = |c: u8| {
                if c == b'_' {
                    b'-'
                } else {
                    c.to_ascii_lowercase()
                }
            };
            norm(x) == norm(y)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_helpers() {
        let header = Header {
            srclang: Some("en-US".into()),
            ..Header::default()
        };
        let v = |lang: &str| Variant::new(lang, Segment::from_text(lang));
        let mut u = Unit {
            creationdate: Some(Date::parse("20240101T000000Z")),
            changedate: Some(Date::parse("2024-02-01")),
            ..Unit::new(1, 1, vec![v("EN_us"), v("ru-RU")])
        };
        assert_eq!(u.source_lang(&header), Some("en-US"));
        assert_eq!(u.variant("en-US").map(|v| v.lang.as_str()), Some("EN_us"));
        assert!(u.variant("ru").is_none());
        assert_eq!(u.newest_date().unwrap().to_tmx(), "20240201T000000Z");
        u.srclang = Some("*all*".into());
        assert_eq!(u.source_lang(&header), None);
        assert!(same_lang("en_US", "EN-us") && !same_lang("en", "en-US"));
    }
}
