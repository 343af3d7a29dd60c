//! A streaming TMX 1.4b writer for [`Unit`]s: one `<tu>` per [`TmxWriter::write`], memory bounded
//! by one unit plus a 64 KiB output buffer.
//!
//! Follows TMX 1.4b (LISA OSCAR 2005) and its DTD (`fixtures/spec/tmx14.dtd`; the tests validate
//! the output with `xmllint --dtdvalid`), XML 1.0 (5th edition) for characters and escaping.
//! What it guarantees, whatever the units hold:
//!
//! * UTF-8 without BOM, `<tmx version="1.4">`, a `<header>` with every required attribute:
//!   `creationtool="bitext"` and `creationtoolversion` (this crate), `segtype`, `o-tmf`,
//!   `adminlang`, `srclang` and `datatype` taken from the input header when present (a `segtype`
//!   outside `block|paragraph|sentence|phrase` becomes `sentence`, warned), else `sentence`,
//!   `bitext`, `en-US`, the first written unit's source language, `plaintext`.
//! * Every language tag (`xml:lang`, `srclang`, `adminlang`) written in canonical case
//!   ([`normalize_lang`]); each distinct rewritten tag is warned about once.
//! * `srclang`: the header's (normalised) tag. A unit whose own `srclang` differs gets it as a
//!   `<tu srclang>`; a unit without a variant in its source language is written with
//!   `<tu srclang="*all*">` (TMX: any variant may serve as source), warned. So every `<tu>`
//!   holds a `<tuv>` whose `xml:lang` is byte-identical to its effective `srclang`.
//! * No empty `<seg>`: a variant whose segment holds no tag and only white space (once the
//!   characters XML 1.0 forbids are dropped) is left out, warned; a unit left with fewer than two
//!   variants is skipped, warned ([`TmxWriter::write`] returns `Ok(false)`). Nothing is dropped
//!   silently.
//! * Characters XML 1.0 forbids are dropped from text, attributes, props and notes (warned, once
//!   per unit with the count); discouraged ones are kept (warned).
//! * Dates: `creationdate`, `changedate`, `lastusagedate` written in the spec's
//!   `YYYYMMDDThhmmssZ` form; a date that cannot be read is never written as an attribute.
//! * Attributes: those the DTD allows on the element are kept; anything else (an unknown name, an
//!   unreadable date, a `segtype` outside the list, a duplicate, a legacy `lang=` that disagrees
//!   with `xml:lang`) becomes `<prop type="x-attr-NAME">value</prop>` on the same `<tu>`/`<tuv>`
//!   (on the header for header attributes), warned, so nothing is lost. A legacy `lang=` equal to
//!   `xml:lang` is dropped as redundant.
//! * Inline markup (`Segment`) is written as read. Markup the DTD does not allow is repaired,
//!   warned: a `<bpt>`/`<ept>` without `i` becomes `<it pos="begin|end">`, an `<it>` without a
//!   valid `pos` becomes `<ph>`, attributes an inline element may not carry are dropped, a
//!   `<sub>` outside a code element is unwrapped (its text kept), an element inside a code
//!   element other than `<sub>` is written as native code (escaped), and a foreign element
//!   (`<g>`, `<x/>` from XLIFF) becomes native code in `<bpt>`/`<ept>` (or `<ph>` when empty).
//! * Element order per the DTD: `<tu>`: props, notes, then `<tuv>`s; `<tuv>`: props, notes, then
//!   `<seg>`. Nothing is indented inside `<seg>`.
//!
//! With [`WriteOptions::strip_tags`] each segment is written as its `Segment::plain_text`.
//!
//! Buffering: the writer buffers internally (it hands `out` 64 KiB at a time and once more in
//! [`TmxWriter::finish`]), so `out` needs no `BufWriter`. Nothing is allocated per unit on the
//! common path (clean text, known tags, canonical language tags).
//!
//! Why one file of about 1,000 lines: the guarantees above are one pass over a unit in the
//! DTD's element order (header, `<tu>`, props and notes, `<tuv>`, `<seg>` and its inline
//! repairs) writing into one buffer with one scratch state; split, each part would only pass
//! that state along.

use std::io::{self, Write};

use rustc_hash::FxHashMap;

use crate::error::Warning;
use crate::lang::tag::normalize_lang;
use crate::text::xml::{describe_chars, xml_class, XmlClass};
use crate::unit::{same_lang, Date, Header, Piece, Prop, Segment, Tag, Unit};

/// How to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Write each segment's plain text instead of its inline markup.
    pub strip_tags: bool,
}

/// The `<note>` on a unit written with one language variant (only with
/// [`TmxWriter::keep_one_sided`]).
pub(crate) const ONE_SIDED_NOTE: &str =
    "bitext: written with one language variant, as removed (valid \
    TMX, <tu> holds tuv+; a memory in use needs two)";

/// The `creationtool` written in the header.
pub(crate) const CREATION_TOOL: &str = "bitext";

/// The `creationtoolversion` written in the header (the crate version).
pub(crate) const CREATION_TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The `segtype` values the DTD allows.
const SEGTYPES: [&str; 4] = ["block", "paragraph", "sentence", "phrase"];

/// `<tu>` attributes written from `other_attrs` (the DTD's list minus the ones kept in fields).
const TU_ATTRS: [&str; 10] = [
    "o-encoding",
    "datatype",
    "usagecount",
    "lastusagedate",
    "creationtool",
    "creationtoolversion",
    "creationid",
    "segtype",
    "changeid",
    "o-tmf",
];

/// `<tuv>` attributes written from `other_attrs` (the DTD's list minus `xml:lang` and `lang`).
const TUV_ATTRS: [&str; 11] = [
    "o-encoding",
    "datatype",
    "usagecount",
    "lastusagedate",
    "creationtool",
    "creationtoolversion",
    "creationdate",
    "creationid",
    "changedate",
    "o-tmf",
    "changeid",
];

/// `<header>` attributes written from `other_attrs`.
const HEADER_ATTRS: [&str; 2] = ["creationid", "changeid"];

/// Attributes whose values are dates.
const DATE_ATTRS: [&str; 3] = ["creationdate", "changedate", "lastusagedate"];

/// The output buffer is handed to the sink when it grows past this.
const FLUSH_AT: usize = 64 * 1024;

/// Distinct language tags remembered; past this the cache starts over (bounded memory).
const LANG_CACHE_MAX: usize = 4096;

/// Writes TMX 1.4b, one unit at a time; see the [module docs](self).
///
/// ```
/// use bitext::formats::tmx::write::{TmxWriter, WriteOptions};
/// use bitext::unit::{Header, Segment, Unit, Variant};
/// let v = |lang: &str, text: &str| Variant::new(lang, Segment::from_text(text));
/// let unit = Unit::new(1, 1, vec![v("en_US", "Hello"), v("ru-RU", "Привет")]);
/// let header = Header { srclang: Some("en-US".into()), ..Header::default() };
/// let mut w = TmxWriter::new(Vec::new(), &header, WriteOptions::default())?;
/// assert!(w.write(&unit)?);
/// let xml = String::from_utf8(w.finish()?).unwrap();
/// assert!(xml.contains(r#"<tuv xml:lang="en-US"><seg>Hello</seg></tuv>"#));
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct TmxWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
    options: WriteOptions,
    /// The input header until it is written (at the first unit or at `finish`).
    pending_header: Option<Header>,
    /// The header's `srclang` as written (normalised), once the header is written.
    srclang: String,
    langs: LangCache,
    warnings: Vec<Warning>,
    written: u64,
    label: Option<String>,
    scratch: Scratch,
    /// (variant index, language index) of the variants of the current unit that are written.
    kept: Vec<(usize, usize)>,
    /// Write units with fewer than two variants (a rejected file) instead of skipping them.
    keep_one_sided: bool,
}

/// What writing one unit changed, for its warnings.
#[derive(Default)]
struct Scratch {
    dropped: Vec<char>,
    discouraged: Vec<char>,
    repairs: Vec<String>,
}

impl Scratch {
    fn clear(&mut self) {
        self.dropped.clear();
        self.discouraged.clear();
        self.repairs.clear();
    }

    fn repair(&mut self, message: String) {
        if !self.repairs.contains(&message) {
            self.repairs.push(message);
        }
    }
}

/// Written language tags -> canonical ones, with the rewrites already warned about.
#[derive(Default)]
struct LangCache {
    index: FxHashMap<String, usize>,
    tags: Vec<String>,
}

impl LangCache {
    /// The index of `written`'s canonical tag, and the note when it is rewritten for the first
    /// time.
    fn get(&mut self, written: &str) -> (usize, Option<String>) {
        if let Some(&i) = self.index.get(written) {
            return (i, None);
        }
        if self.tags.len() >= LANG_CACHE_MAX {
            self.index.clear();
            self.tags.clear();
        }
        let (tag, note) = normalize_lang(written);
        let i = self.tags.len();
        self.tags.push(tag);
        self.index.insert(written.to_string(), i);
        (i, note)
    }
}

impl<W: Write> TmxWriter<W> {
    /// Starts a document for `header`: the XML declaration, `<tmx version="1.4">`, the
    /// `<header>` and `<body>` are written ahead of the first unit (or by `finish`), so that a
    /// header without `srclang` can take the first unit's source language.
    pub fn new(out: W, header: &Header, options: WriteOptions) -> io::Result<Self> {
        Ok(TmxWriter {
            out,
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            options,
            pending_header: Some(header.clone()),
            srclang: String::new(),
            langs: LangCache::default(),
            warnings: Vec::new(),
            written: 0,
            label: None,
            scratch: Scratch::default(),
            kept: Vec::new(),
            keep_one_sided: false,
        })
    }

    /// Names the input in warning locations (`in.tmx: unit 12 (line 340)`).
    #[cfg(test)]
    pub(crate) fn set_input_label(&mut self, label: impl Into<String>) {
        self.label = Some(label.into());
    }

    /// Warnings so far (what was changed or left out), removed from the writer.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    /// The number of units written.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// For a rejected file, which must hold every removed unit as it was: variants with an empty
    /// segment are written (an empty `<seg>`), and a unit with one variant is written with
    /// [`ONE_SIDED_NOTE`] instead of skipped; the TMX DTD allows both (`<tu>` holds `tuv+`).
    pub(crate) fn keep_one_sided(&mut self) {
        self.keep_one_sided = true;
    }

    /// Writes one unit; `Ok(false)` when it was skipped (a warning says why).
    pub fn write(&mut self, unit: &Unit) -> io::Result<bool> {
        self.scratch.clear();
        let mut kept = std::mem::take(&mut self.kept);
        kept.clear();
        let mut plains: Vec<String> = Vec::new();
        for (i, v) in unit.variants.iter().enumerate() {
            let lang = self.lang(&v.lang, unit);
            if self.langs.tags[lang].is_empty() {
                self.warn_unit(unit, "a variant with an empty language tag was left out");
                continue;
            }
            let blank = if self.options.strip_tags {
                let plain = v.segment.plain_text();
                let b = blank_text(&plain);
                plains.push(plain);
                b
            } else {
                blank_segment(&v.segment)
            };
            // A rejected file keeps a blank variant as it is (an empty <seg> is valid TMX).
            if let Some(had_illegal) = blank.filter(|_| !self.keep_one_sided) {
                let msg = format!(
                    "the {} variant was left out: its segment is empty{}",
                    self.langs.tags[lang],
                    if had_illegal {
                        " once the characters XML 1.0 forbids are dropped"
                    } else if self.options.strip_tags && !v.segment.is_empty() {
                        " once its tags are stripped"
                    } else {
                        ""
                    }
                );
                self.warn_unit(unit, msg);
                if self.options.strip_tags {
                    plains.pop();
                }
                continue;
            }
            kept.push((i, lang));
        }
        if kept.is_empty() || (kept.len() < 2 && !self.keep_one_sided) {
            let msg = format!(
                "unit skipped: {} variant(s) to write; a translation unit needs two",
                kept.len()
            );
            self.warn_unit(unit, msg);
            self.kept = kept;
            return Ok(false);
        }
        let annotated;
        let unit = if kept.len() < 2 {
            let mut u = unit.clone();
            u.notes.push(ONE_SIDED_NOTE.to_string());
            annotated = u;
            &annotated
        } else {
            unit
        };
        if let Some(header) = self.pending_header.take() {
            self.write_header(&header, unit, &kept);
        }
        self.written += 1;
        let result = self.write_unit(unit, &kept, &plains);
        self.kept = kept;
        self.unit_warnings(unit);
        result?;
        if self.buf.len() >= FLUSH_AT {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(true)
    }

    /// Closes `</body></tmx>`, hands the rest to the sink, flushes it and returns it.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(header) = self.pending_header.take() {
            self.write_header_attrs(&header, None);
        }
        self.buf.extend_from_slice(b"  </body>\n</tmx>\n");
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()?;
        Ok(self.out)
    }

    // ----- header -----

    /// Writes the header, taking `srclang` from the first unit when the header has none.
    fn write_header(&mut self, header: &Header, unit: &Unit, kept: &[(usize, usize)]) {
        let first = match header.srclang.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(_) => None,
            None => {
                // The unit's own source language when it has a variant in it, else its first.
                let own = unit
                    .srclang
                    .as_deref()
                    .map(|s| self.lang(s, unit))
                    .filter(|&l| {
                        kept.iter()
                            .any(|&(_, k)| self.langs.tags[k] == self.langs.tags[l])
                    });
                let l = own.unwrap_or(kept[0].1);
                let tag = self.langs.tags[l].clone();
                self.warnings.push(Warning::new(
                    "header",
                    format!(
                        "the input has no srclang; written as srclang=\"{tag}\", the first \
                         unit's source language"
                    ),
                ));
                Some(tag)
            }
        };
        self.write_header_attrs(header, first);
    }

    /// A header language attribute, normalised (warned under `what` when rewritten); `None`
    /// when absent or blank.
    fn header_lang(&mut self, tag: Option<&str>, what: &str) -> Option<String> {
        let tag = tag.filter(|s| !s.trim().is_empty())?;
        let (tag, note) = normalize_lang(tag);
        if let Some(n) = note {
            self.warnings.push(Warning::new(what, n));
        }
        Some(tag)
    }

    fn write_header_attrs(&mut self, header: &Header, srclang: Option<String>) {
        let mut sc = std::mem::take(&mut self.scratch);
        sc.clear();
        let srclang = srclang
            .or_else(|| self.header_lang(header.srclang.as_deref(), "header srclang"))
            .unwrap_or_else(|| "*all*".to_string());
        self.srclang = srclang;
        let segtype = match header.segtype.as_deref() {
            Some(s) if SEGTYPES.contains(&s) => s,
            Some(s) => {
                self.warnings.push(Warning::new(
                    "header",
                    format!(
                        "segtype=\"{s}\" is not one of block, paragraph, sentence, phrase; \
                         written as \"sentence\""
                    ),
                ));
                "sentence"
            }
            None => "sentence",
        };
        let adminlang = self
            .header_lang(header.adminlang.as_deref(), "header adminlang")
            .unwrap_or_else(|| "en-US".to_string());
        let b = &mut self.buf;
        b.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n");
        b.extend_from_slice(b"  <header");
        attr(b, "creationtool", CREATION_TOOL, &mut sc);
        attr(b, "creationtoolversion", CREATION_TOOL_VERSION, &mut sc);
        attr(b, "segtype", segtype, &mut sc);
        attr(
            b,
            "o-tmf",
            header.o_tmf.as_deref().unwrap_or("bitext"),
            &mut sc,
        );
        attr(b, "adminlang", &adminlang, &mut sc);
        attr(b, "srclang", &self.srclang, &mut sc);
        attr(
            b,
            "datatype",
            header.datatype.as_deref().unwrap_or("plaintext"),
            &mut sc,
        );
        if let Some(e) = &header.o_encoding {
            attr(b, "o-encoding", e, &mut sc);
        }
        let mut extra: Vec<(String, &str)> = Vec::new();
        for (name, date) in [
            ("creationdate", &header.creationdate),
            ("changedate", &header.changedate),
        ] {
            if let Some(d) = date {
                date_attr(b, name, d, &mut extra, &mut sc);
            }
        }
        for (i, (k, v)) in header.other_attrs.iter().enumerate() {
            let dup = header.other_attrs[..i].iter().any(|(p, _)| p == k);
            if HEADER_ATTRS.contains(&k.as_str()) && !dup {
                attr(b, k, v, &mut sc);
            } else {
                to_prop(&mut extra, k, v, "<header>", &mut sc);
            }
        }
        if header.props.is_empty() && header.notes.is_empty() && extra.is_empty() {
            b.extend_from_slice(b"/>\n");
        } else {
            b.extend_from_slice(b">\n");
            props_and_notes(b, "    ", &header.props, &extra, &header.notes, &mut sc);
            b.extend_from_slice(b"  </header>\n");
        }
        b.extend_from_slice(b"  <body>\n");
        for w in sc.repairs.drain(..) {
            self.warnings.push(Warning::new("header", w));
        }
        if !sc.dropped.is_empty() {
            self.warnings.push(Warning::new(
                "header",
                format!(
                    "dropped {} character(s) not allowed in XML 1.0 ({})",
                    sc.dropped.len(),
                    describe_chars(&sc.dropped)
                ),
            ));
        }
        self.scratch = sc;
    }

    // ----- units -----

    fn write_unit(
        &mut self,
        unit: &Unit,
        kept: &[(usize, usize)],
        plains: &[String],
    ) -> io::Result<()> {
        let mut sc = std::mem::take(&mut self.scratch);
        // The effective source language and the `<tu srclang>` to write, if any.
        let own = unit
            .srclang
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| self.lang(s, unit));
        let tags = &self.langs.tags;
        let source: &str = match own {
            Some(l) => &tags[l],
            None => &self.srclang,
        };
        let tu_srclang: Option<&str> = if source == "*all*" {
            (self.srclang != "*all*").then_some("*all*")
        } else if kept.iter().any(|&(_, l)| tags[l] == source) {
            (source != self.srclang).then_some(source)
        } else {
            sc.repair(format!(
                "no variant in the source language {source}; written with srclang=\"*all*\""
            ));
            (self.srclang != "*all*").then_some("*all*")
        };
        let b = &mut self.buf;
        let mut extra: Vec<(String, &str)> = Vec::new();
        b.extend_from_slice(b"    <tu");
        if let Some(t) = &unit.tuid {
            attr(b, "tuid", t, &mut sc);
        }
        if let Some(s) = tu_srclang {
            attr(b, "srclang", s, &mut sc);
        }
        if let Some(d) = &unit.creationdate {
            date_attr(b, "creationdate", d, &mut extra, &mut sc);
        }
        if let Some(d) = &unit.changedate {
            date_attr(b, "changedate", d, &mut extra, &mut sc);
        }
        for (i, (k, v)) in unit.other_attrs.iter().enumerate() {
            let dup = unit.other_attrs[..i].iter().any(|(p, _)| p == k);
            let allowed = TU_ATTRS.contains(&k.as_str()) && !dup;
            other_attr(b, k, v, allowed, &mut extra, "<tu>", &mut sc);
        }
        b.extend_from_slice(b">\n");
        props_and_notes(b, "      ", &unit.props, &extra, &unit.notes, &mut sc);
        let mut plain_i = 0;
        for (vi, v) in unit.variants.iter().enumerate() {
            let Some(&(_, l)) = kept.iter().find(|&&(k, _)| k == vi) else {
                continue;
            };
            let lang = &tags[l];
            let mut extra: Vec<(String, &str)> = Vec::new();
            b.extend_from_slice(b"      <tuv");
            attr(b, "xml:lang", lang, &mut sc);
            for (i, (k, val)) in v.other_attrs.iter().enumerate() {
                if k == "lang" && same_lang(val, &v.lang) {
                    continue; // the legacy attribute, redundant next to xml:lang
                }
                let dup = v.other_attrs[..i].iter().any(|(p, _)| p == k);
                let allowed = TUV_ATTRS.contains(&k.as_str()) && !dup;
                other_attr(b, k, val, allowed, &mut extra, "<tuv>", &mut sc);
            }
            let nested = !(v.props.is_empty() && v.notes.is_empty() && extra.is_empty());
            if nested {
                b.extend_from_slice(b">\n");
                props_and_notes(b, "        ", &v.props, &extra, &v.notes, &mut sc);
                b.extend_from_slice(b"        <seg>");
            } else {
                b.extend_from_slice(b"><seg>");
            }
            if self.options.strip_tags {
                let text = plains.get(plain_i).map(String::as_str).unwrap_or("");
                plain_i += 1;
                text_into(b, text, false, &mut sc);
            } else {
                let mut st = SegState {
                    root: &v.segment.pieces,
                    next_i: None,
                };
                write_pieces(b, &v.segment.pieces, Ctx::Flow, &mut st, &mut sc);
            }
            if nested {
                b.extend_from_slice(b"</seg>\n      </tuv>\n");
            } else {
                b.extend_from_slice(b"</seg></tuv>\n");
            }
        }
        b.extend_from_slice(b"    </tu>\n");
        self.scratch = sc;
        Ok(())
    }

    /// The cache index of `written`'s canonical tag; warns once per rewritten tag.
    fn lang(&mut self, written: &str, unit: &Unit) -> usize {
        let (i, note) = self.langs.get(written);
        if let Some(n) = note {
            let msg = format!("{n} (reported once per tag)");
            self.warn_unit(unit, msg);
        }
        i
    }

    fn location(&self, unit: &Unit) -> String {
        let at = if unit.line > 0 {
            format!("unit {} (line {})", unit.number, unit.line)
        } else {
            format!("unit {}", unit.number)
        };
        match &self.label {
            Some(l) => format!("{l}: {at}"),
            None => at,
        }
    }

    fn warn_unit(&mut self, unit: &Unit, message: impl Into<String>) {
        let location = self.location(unit);
        self.warnings.push(Warning::new(location, message));
    }

    /// The warnings collected while writing `unit`.
    fn unit_warnings(&mut self, unit: &Unit) {
        if self.scratch.dropped.is_empty()
            && self.scratch.discouraged.is_empty()
            && self.scratch.repairs.is_empty()
        {
            return;
        }
        let mut sc = std::mem::take(&mut self.scratch);
        if !sc.dropped.is_empty() {
            let msg = format!(
                "dropped {} character(s) not allowed in XML 1.0 ({})",
                sc.dropped.len(),
                describe_chars(&sc.dropped)
            );
            self.warn_unit(unit, msg);
        }
        if !sc.discouraged.is_empty() {
            let msg = format!(
                "kept {} character(s) XML 1.0 discourages ({})",
                sc.discouraged.len(),
                describe_chars(&sc.discouraged)
            );
            self.warn_unit(unit, msg);
        }
        for r in sc.repairs.drain(..) {
            self.warn_unit(unit, r);
        }
        sc.clear();
        self.scratch = sc;
    }
}

// ----- pieces of output -----

/// ` name="value"`, escaped, illegal characters dropped.
fn attr(b: &mut Vec<u8>, name: &str, value: &str, sc: &mut Scratch) {
    b.push(b' ');
    b.extend_from_slice(name.as_bytes());
    b.extend_from_slice(b"=\"");
    text_into(b, value, true, sc);
    b.push(b'"');
}

/// A date attribute in the spec's form, or a prop when it cannot be read.
fn date_attr<'a>(
    b: &mut Vec<u8>,
    name: &str,
    date: &'a Date,
    extra: &mut Vec<(String, &'a str)>,
    sc: &mut Scratch,
) {
    match &date.utc {
        Some(d) => {
            // `write!` into a Vec cannot fail.
            let _ = write!(b, " {name}=\"{d}\"");
        }
        None => {
            sc.repair(format!(
                "{name}=\"{}\" is not a date; kept as <prop type=\"x-attr-{name}\">",
                date.written
            ));
            extra.push((format!("x-attr-{name}"), &date.written));
        }
    }
}

/// An attribute from `other_attrs`: written when allowed (dates normalised), else a prop.
fn other_attr<'a>(
    b: &mut Vec<u8>,
    name: &str,
    value: &'a str,
    allowed: bool,
    extra: &mut Vec<(String, &'a str)>,
    element: &str,
    sc: &mut Scratch,
) {
    if !allowed {
        to_prop(extra, name, value, element, sc);
        return;
    }
    if DATE_ATTRS.contains(&name) {
        match crate::unit::DateTime::parse(value) {
            Some(d) => {
                let _ = write!(b, " {name}=\"{d}\"");
            }
            None => {
                sc.repair(format!(
                    "{name}=\"{value}\" is not a date; kept as <prop type=\"x-attr-{name}\">"
                ));
                extra.push((format!("x-attr-{name}"), value));
            }
        }
    } else if name == "segtype" && !SEGTYPES.contains(&value) {
        to_prop(extra, name, value, element, sc);
    } else {
        attr(b, name, value, sc);
    }
}

fn to_prop<'a>(
    extra: &mut Vec<(String, &'a str)>,
    name: &str,
    value: &'a str,
    element: &str,
    sc: &mut Scratch,
) {
    sc.repair(format!(
        "attribute {name}=\"{value}\" is not allowed on {element} by the TMX DTD (or repeated); \
         kept as <prop type=\"x-attr-{name}\">"
    ));
    extra.push((format!("x-attr-{name}"), value));
}

/// The props (given ones, then converted attributes) and notes of an element, one a line.
fn props_and_notes(
    b: &mut Vec<u8>,
    indent: &str,
    props: &[Prop],
    extra: &[(String, &str)],
    notes: &[String],
    sc: &mut Scratch,
) {
    let prop_iter = props
        .iter()
        .map(|p| (p.kind.as_str(), p.value.as_str()))
        .chain(extra.iter().map(|(k, v)| (k.as_str(), *v)));
    for (kind, value) in prop_iter {
        b.extend_from_slice(indent.as_bytes());
        b.extend_from_slice(b"<prop");
        attr(b, "type", kind, sc);
        b.push(b'>');
        text_into(b, value, false, sc);
        b.extend_from_slice(b"</prop>\n");
    }
    for n in notes {
        b.extend_from_slice(indent.as_bytes());
        b.extend_from_slice(b"<note>");
        text_into(b, n, false, sc);
        b.extend_from_slice(b"</note>\n");
    }
}

/// Appends `s` escaped for character data (`& < >`, CR) or, with `attr`, for a double-quoted
/// attribute value (also `"`, TAB, LF); drops the characters XML 1.0 forbids and notes the
/// discouraged ones. Scans bytes: only `&<>"`, C0 controls, DEL and the lead bytes `C2`, `EF`
/// and `F0-F4` (where discouraged or illegal characters start) leave the fast path.
fn text_into(b: &mut Vec<u8>, s: &str, attr: bool, sc: &mut Scratch) {
    let bytes = s.as_bytes();
    let special = if attr { &ATTR_SPECIAL } else { &TEXT_SPECIAL };
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Runs of ordinary bytes (almost all of a segment) are skipped, 32 bytes at a time by
        // compares the compiler vectorises, then by one table lookup each, and copied in one
        // piece.
        while let Some(chunk) = bytes.get(i..i + 32) {
            if chunk
                .iter()
                .fold(false, |hit, &b| hit | is_special(b, attr))
            {
                break;
            }
            i += 32;
        }
        if i >= bytes.len() {
            break;
        }
        if !special[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        let c = bytes[i];
        let (rep, len): (Option<&[u8]>, usize) = if c < 0x80 {
            let rep: Option<&[u8]> = match c {
                b'&' => Some(b"&amp;"),
                b'<' => Some(b"&lt;"),
                b'>' => Some(b"&gt;"),
                b'\r' => Some(b"&#13;"),
                b'"' if attr => Some(b"&quot;"),
                b'\t' if attr => Some(b"&#9;"),
                b'\n' if attr => Some(b"&#10;"),
                b'\t' | b'\n' => None,
                0x7F => {
                    sc.discouraged.push('\u{7F}');
                    None
                }
                x if x < 0x20 => {
                    sc.dropped.push(char::from(x));
                    Some(b"")
                }
                _ => None,
            };
            (rep, 1)
        } else {
            // 0xC2 (U+0080-U+00BF) or 0xEF (U+F000-U+FFFF) and above: look at the character.
            match s.get(i..).and_then(|t| t.chars().next()) {
                Some(ch) => {
                    let rep: Option<&[u8]> = match xml_class(ch) {
                        XmlClass::Allowed => None,
                        XmlClass::Discouraged => {
                            sc.discouraged.push(ch);
                            None
                        }
                        XmlClass::Illegal => {
                            sc.dropped.push(ch);
                            Some(b"")
                        }
                    };
                    (rep, ch.len_utf8())
                }
                None => (None, 1),
            }
        };
        if let Some(r) = rep {
            b.extend_from_slice(&bytes[start..i]);
            b.extend_from_slice(r);
            start = i + len;
        }
        i += len;
    }
    b.extend_from_slice(&bytes[start..]);
}

/// The bytes [`text_into`] must look at in element content: `& < >`, controls, DEL, and the
/// lead bytes of characters that may be discouraged or illegal (0xC2: C1 controls; 0xEF and
/// above: U+FFFE, U+FFFF, noncharacters and beyond). Every other byte is copied as it is.
const TEXT_SPECIAL: [bool; 256] = special_bytes(false);
/// [`TEXT_SPECIAL`] for attribute values, which also escape `"`, TAB and LF.
const ATTR_SPECIAL: [bool; 256] = special_bytes(true);

const fn special_bytes(attr: bool) -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = is_special(c as u8, attr);
        c += 1;
    }
    t
}

/// True for a byte that leaves [`text_into`]'s fast path: `&<>` (and `"` in attributes), C0
/// controls (TAB and LF only in attributes), DEL, and the lead bytes `C2` and `EF`-`FF`.
/// Written with `&` and `|` (no branches) so that a run of bytes is tested as a vector.
#[inline]
const fn is_special(b: u8, attr: bool) -> bool {
    (b == b'&')
        | (b == b'<')
        | (b == b'>')
        | (b == 0x7F)
        | (b == 0xC2)
        | (b >= 0xEF)
        | ((b < 0x20) & (attr | ((b != b'\t') & (b != b'\n'))))
        | (attr & (b == b'"'))
}

/// `Some(had_illegal)` when the text is empty once illegal characters are dropped and white
/// space is ignored.
fn blank_text(s: &str) -> Option<bool> {
    let mut had_illegal = false;
    for c in s.chars() {
        if xml_class(c) == XmlClass::Illegal {
            had_illegal = true;
        } else if !c.is_whitespace() {
            return None;
        }
    }
    Some(had_illegal)
}

/// `Some(had_illegal)` when the segment has no tag and its text is blank (see [`blank_text`]).
fn blank_segment(seg: &Segment) -> Option<bool> {
    let mut had_illegal = false;
    for p in &seg.pieces {
        match p {
            Piece::Tag(_) => return None,
            Piece::Text(t) => had_illegal |= blank_text(t)?,
        }
    }
    Some(had_illegal)
}

// ----- inline markup -----

/// Where inline content sits: flow (`seg`, `hi`, `sub`: text and `bpt ept it ph hi ut`) or code
/// (`bpt ept it ph ut`: native code and `sub`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Flow,
    Code,
}

/// Per-segment state for repairs.
struct SegState<'a> {
    root: &'a [Piece],
    /// The next free `i` for a `<bpt>`/`<ept>` pair made from a foreign element.
    next_i: Option<u64>,
}

impl SegState<'_> {
    fn next_i(&mut self) -> u64 {
        fn max_i(pieces: &[Piece], m: &mut u64) {
            for p in pieces {
                if let Piece::Tag(t) = p {
                    for (k, v) in &t.attrs {
                        if k == "i" {
                            if let Ok(n) = v.trim().parse::<u64>() {
                                *m = (*m).max(n);
                            }
                        }
                    }
                    max_i(&t.content, m);
                }
            }
        }
        let n = match self.next_i {
            Some(n) => n,
            None => {
                let mut m = 0;
                max_i(self.root, &mut m);
                m.saturating_add(1)
            }
        };
        self.next_i = Some(n.saturating_add(1));
        n
    }
}

fn write_pieces(
    b: &mut Vec<u8>,
    pieces: &[Piece],
    ctx: Ctx,
    st: &mut SegState<'_>,
    sc: &mut Scratch,
) {
    for p in pieces {
        match p {
            Piece::Text(t) => text_into(b, t, false, sc),
            Piece::Tag(t) => write_tag(b, t, ctx, st, sc),
        }
    }
}

fn write_tag(b: &mut Vec<u8>, t: &Tag, ctx: Ctx, st: &mut SegState<'_>, sc: &mut Scratch) {
    let name = t.name.as_str();
    match (ctx, name) {
        (Ctx::Flow, "bpt" | "ept" | "it" | "ph" | "ut" | "hi") | (Ctx::Code, "sub") => {
            write_inline(b, t, st, sc)
        }
        (Ctx::Flow, "sub") => {
            sc.repair("a <sub> outside a code element was unwrapped (its text kept)".into());
            write_pieces(b, &t.content, Ctx::Flow, st, sc);
        }
        (Ctx::Flow, _) => {
            sc.repair(format!(
                "<{name}> is not TMX inline markup; written as native code in {}",
                if t.content.is_empty() {
                    "<ph>"
                } else {
                    "<bpt>/<ept>"
                }
            ));
            let mut open = String::new();
            open.push('<');
            open.push_str(name);
            for (k, v) in &t.attrs {
                open.push(' ');
                open.push_str(k);
                open.push_str("=\"");
                open.push_str(&crate::text::xml::escape_attr(v));
                open.push('"');
            }
            if t.content.is_empty() {
                open.push_str("/>");
                b.extend_from_slice(b"<ph>");
                text_into(b, &open, false, sc);
                b.extend_from_slice(b"</ph>");
            } else {
                open.push('>');
                let i = st.next_i();
                let _ = write!(b, "<bpt i=\"{i}\">");
                text_into(b, &open, false, sc);
                b.extend_from_slice(b"</bpt>");
                write_pieces(b, &t.content, Ctx::Flow, st, sc);
                let _ = write!(b, "<ept i=\"{i}\">");
                text_into(b, &format!("</{name}>"), false, sc);
                b.extend_from_slice(b"</ept>");
            }
        }
        (Ctx::Code, _) => {
            sc.repair(format!(
                "<{name}> inside a code element (only <sub> may be) written as native code"
            ));
            let xml = Segment {
                pieces: vec![Piece::Tag(t.clone())],
            }
            .to_xml();
            // The element's XML is itself the code: escape it once more.
            text_into(b, &xml, false, sc);
        }
    }
}

/// Writes a TMX inline element with the attributes the DTD allows, repairing what it requires.
fn write_inline(b: &mut Vec<u8>, t: &Tag, st: &mut SegState<'_>, sc: &mut Scratch) {
    let has = |k: &str| t.attrs.iter().any(|(n, _)| n == k);
    let pos_ok = t
        .attrs
        .iter()
        .any(|(n, v)| n == "pos" && (v == "begin" || v == "end"));
    let (name, pos): (&str, Option<&str>) = match t.name.as_str() {
        "bpt" if !has("i") => {
            sc.repair("a <bpt> without i was written as <it pos=\"begin\">".into());
            ("it", Some("begin"))
        }
        "ept" if !has("i") => {
            sc.repair("an <ept> without i was written as <it pos=\"end\">".into());
            ("it", Some("end"))
        }
        "it" if !pos_ok => {
            sc.repair("an <it> without pos=\"begin|end\" was written as <ph>".into());
            ("ph", None)
        }
        n => (n, None),
    };
    let allowed: &[&str] = match name {
        "bpt" => &["i", "x", "type"],
        "ept" => &["i"],
        "it" => &["pos", "x", "type"],
        "ph" => &["x", "assoc", "type"],
        "hi" => &["x", "type"],
        "ut" => &["x"],
        _ => &["datatype", "type"], // sub
    };
    b.push(b'<');
    b.extend_from_slice(name.as_bytes());
    if let Some(p) = pos {
        attr(b, "pos", p, sc);
    }
    for (i, (k, v)) in t.attrs.iter().enumerate() {
        let ok = allowed.contains(&k.as_str())
            && !(pos.is_some() && k == "pos")
            && !t.attrs[..i].iter().any(|(p, _)| p == k);
        if ok {
            attr(b, k, v, sc);
        } else {
            sc.repair(format!(
                "attribute {k}=\"{v}\" on <{}> dropped (not allowed there by the TMX DTD, or \
                 repeated)",
                t.name
            ));
        }
    }
    if t.content.is_empty() {
        b.extend_from_slice(b"/>");
        return;
    }
    b.push(b'>');
    let ctx = if matches!(name, "hi" | "sub") {
        Ctx::Flow
    } else {
        Ctx::Code
    };
    write_pieces(b, &t.content, ctx, st, sc);
    b.extend_from_slice(b"</");
    b.extend_from_slice(name.as_bytes());
    b.push(b'>');
}

#[cfg(test)]
#[path = "write_tests.rs"]
pub(crate) mod tests;
