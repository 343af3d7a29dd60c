//! The translation unit: the one data model every reader, writer and command shares.
//!
//! A [`Unit`] is a TMX 1.4b `<tu>` (LISA OSCAR 2005): attributes, props and notes, and one
//! [`Variant`] (`<tuv>`) per language, whose [`Segment`] keeps the inline markup (`bpt`, `ept`,
//! `it`, `ph`, `hi`, `ut`, `sub`) losslessly. A [`Header`] is the file's `<header>`. The aligner's
//! output becomes units ([`crate::export`]), the readers and writers of [`crate::formats`] turn
//! them into files and back, and the [`crate::tm`] commands work on them.

pub(crate) mod segment;

pub use crate::io::date::{Date, DateTime};
pub use segment::{Piece, Segment, Tag};

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
    pub(crate) fn variant(&self, lang: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| same_lang(&v.lang, lang))
    }

    /// The newest of `changedate` and `creationdate` that could be read.
    pub(crate) fn newest_date(&self) -> Option<DateTime> {
        let c = self.changedate.as_ref().and_then(|d| d.utc);
        let k = self.creationdate.as_ref().and_then(|d| d.utc);
        c.max(k)
    }
}

/// True when two language tags are the same once case and `_`/`-` are ignored.
pub(crate) fn same_lang(a: &str, b: &str) -> bool {
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
