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

use std::io::{self, Write};

use rustc_hash::FxHashMap;

use crate::error::Warning;
use crate::text::xml::{describe_chars, xml_class, XmlClass};
use crate::tm::normalize_lang;
use crate::unit::{same_lang, Date, Header, Piece, Prop, Segment, Tag, Unit};

/// How to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Write each segment's plain text instead of its inline markup.
    pub strip_tags: bool,
}

/// The `<note>` on a unit written with one language variant (only with
/// [`TmxWriter::keep_one_sided`]).
pub const ONE_SIDED_NOTE: &str = "bitext: written with one language variant, as removed (valid \
    TMX, <tu> holds tuv+; a memory in use needs two)";

/// The `creationtool` written in the header.
pub const CREATION_TOOL: &str = "bitext";

/// The `creationtoolversion` written in the header (the crate version).
pub const CREATION_TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

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
    pub fn set_input_label(&mut self, label: impl Into<String>) {
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
    pub fn keep_one_sided(&mut self) {
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
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
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
        } else if c == 0xC2 || c >= 0xEF {
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
        } else {
            (None, 1)
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
pub(crate) mod tests {
    use std::process::Command;

    use proptest::prelude::*;

    use super::*;
    use crate::formats::tmx::{ReadOptions, TmxReader};
    use crate::unit::Variant;

    /// Validates `xml` against the TMX 1.4 DTD (`fixtures/spec/tmx14.dtd`) with xmllint;
    /// skipped (a visible line) when xmllint is missing, a failure when the environment variable
    /// CI is set.
    pub(crate) fn assert_valid_tmx(xml: &str) {
        let available = Command::new("xmllint").arg("--version").output().is_ok();
        if !available {
            crate::test_support::skip(
                "TMX validation against the TMX 1.4 DTD: xmllint is not installed (Debian package \
                 libxml2-utils)",
            );
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.tmx");
        std::fs::write(&file, xml).unwrap();
        let out = Command::new("xmllint")
            .args(["--noout", "--nonet", "--dtdvalid"])
            .arg(crate::test_support::tmx_dtd())
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.trim().is_empty(),
            "xmllint rejects the output: {stderr}\n{xml}"
        );
    }

    pub(crate) fn text(s: &str) -> Piece {
        Piece::Text(s.into())
    }

    pub(crate) fn tag(name: &str, attrs: &[(&str, &str)], content: Vec<Piece>) -> Piece {
        Piece::Tag(Tag {
            name: name.into(),
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            content,
        })
    }

    pub(crate) fn variant(lang: &str, pieces: Vec<Piece>) -> Variant {
        Variant::new(lang, Segment { pieces })
    }

    pub(crate) fn unit(number: u64, variants: Vec<Variant>) -> Unit {
        Unit::new(number, number * 10, variants)
    }

    fn header() -> Header {
        Header {
            srclang: Some("en-US".into()),
            ..Header::default()
        }
    }

    pub(crate) fn write_all(
        header: &Header,
        units: &[Unit],
        options: WriteOptions,
    ) -> (String, Vec<bool>, Vec<Warning>) {
        let mut w = TmxWriter::new(Vec::new(), header, options).unwrap();
        let wrote = units.iter().map(|u| w.write(u).unwrap()).collect();
        let warnings = w.take_warnings();
        let bytes = w.finish().unwrap();
        (String::from_utf8(bytes).unwrap(), wrote, warnings)
    }

    pub(crate) fn read_all(xml: &str) -> (Header, Vec<Unit>) {
        let mut r = TmxReader::new(xml.as_bytes(), "out.tmx", ReadOptions::default())
            .unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let units = r
            .by_ref()
            .collect::<crate::Result<Vec<_>>>()
            .unwrap_or_else(|e| panic!("{e}\n{xml}"));
        (r.header().clone(), units)
    }

    fn has(warnings: &[Warning], location: &str, needle: &str) -> bool {
        warnings
            .iter()
            .any(|w| w.location == location && w.message.contains(needle))
    }

    /// A unit holding everything a real memory may: nested inline markup, props, notes, dates,
    /// legacy and unknown attributes, illegal characters, `en_US` tags.
    fn rich() -> Vec<Unit> {
        let mut u1 = unit(
            1,
            vec![
                variant(
                    "en_US",
                    vec![
                        text("Press "),
                        tag(
                            "bpt",
                            &[("i", "1"), ("x", "1"), ("type", "bold")],
                            vec![text("<b>")],
                        ),
                        text("OK"),
                        tag("ept", &[("i", "1")], vec![text("</b>")]),
                        text(" & see "),
                        tag(
                            "ph",
                            &[("x", "2"), ("type", "image")],
                            vec![
                                text("<img alt=\""),
                                tag(
                                    "sub",
                                    &[("type", "alt")],
                                    vec![
                                        text("a "),
                                        tag("hi", &[("type", "em")], vec![text("logo")]),
                                    ],
                                ),
                                text("\">"),
                            ],
                        ),
                        tag(
                            "hi",
                            &[("type", "x-a")],
                            vec![text("now "), tag("hi", &[], vec![text("nested")])],
                        ),
                        tag("it", &[("pos", "begin"), ("x", "3")], vec![text("<i>")]),
                        tag("ut", &[], vec![text("{\\b}")]),
                        text(" 17\u{A0}May 📖 \"q\" 'a' ]]>\tTAB\r\nCRLF"),
                    ],
                ),
                variant(
                    "ru-ru",
                    vec![
                        text("Нажмите "),
                        tag("bpt", &[("i", "1"), ("x", "1")], vec![text("<b>")]),
                        text("ОК"),
                        tag("ept", &[("i", "1")], vec![text("</b>")]),
                    ],
                ),
            ],
        );
        u1.tuid = Some("a\"1".into());
        u1.creationdate = Some(Date::parse("2024-01-15T15:00:00+03:00"));
        u1.changedate = Some(Date::parse("yesterday"));
        u1.other_attrs = vec![
            ("usagecount".into(), "3".into()),
            ("lastusagedate".into(), "2024-02-01".into()),
            ("x-foo".into(), "bar".into()),
            ("segtype".into(), "word".into()),
        ];
        u1.props = vec![
            Prop {
                kind: "x-score".into(),
                value: "0.97".into(),
            },
            Prop {
                kind: "x-Comment:MultipleString".into(),
                value: "a <b> & \u{1}c".into(),
            },
        ];
        u1.notes = vec!["checked \u{B}by hand".into(), String::new()];
        u1.variants[0].other_attrs = vec![
            ("lang".into(), "EN-US".into()),
            ("creationid".into(), "me".into()),
            ("changedate".into(), "20240101T000000Z".into()),
        ];
        u1.variants[1].other_attrs = vec![("lang".into(), "de".into())];
        u1.variants[1].props = vec![Prop {
            kind: "x-v".into(),
            value: "1".into(),
        }];
        u1.variants[1].notes = vec!["variant note".into()];
        // Empty and illegal-only segments, a third language, repairs of invalid markup.
        let u2 = unit(
            2,
            vec![
                variant(
                    "en-US",
                    vec![
                        text("Bad\u{1}\u{FFFF} one "),
                        tag("g", &[("id", "1")], vec![text("wrapped")]),
                        tag("x", &[("id", "2")], vec![]),
                    ],
                ),
                variant("ru-RU", vec![text("  \u{2} ")]),
                variant(
                    "de-de",
                    vec![
                        tag("bpt", &[("x", "1")], vec![text("<b>")]),
                        text("Gut"),
                        tag("ept", &[], vec![text("</b>")]),
                        tag("it", &[("pos", "middle")], vec![]),
                        tag("sub", &[], vec![text("top-level sub")]),
                        tag(
                            "ph",
                            &[("id", "7"), ("x", "1")],
                            vec![tag("ph", &[], vec![text("inner")])],
                        ),
                    ],
                ),
            ],
        );
        // A unit with one variant left: skipped.
        let u3 = unit(
            3,
            vec![
                variant("en-US", vec![text("Alone")]),
                variant("ru-RU", vec![]),
            ],
        );
        // A unit without a variant in the source language.
        let mut u4 = unit(
            4,
            vec![
                variant("de", vec![text("Hallo")]),
                variant("fr", vec![text("Salut")]),
            ],
        );
        u4.srclang = Some("DE".into());
        let u5 = unit(
            5,
            vec![
                variant("fr", vec![text("Bonjour")]),
                variant("es", vec![text("Hola")]),
            ],
        );
        vec![u1, u2, u3, u4, u5]
    }

    #[test]
    fn rich_units_validate_against_the_dtd_and_read_back() {
        let mut header = header();
        header.srclang = Some("en_us".into());
        header.segtype = Some("sentence".into());
        header.other_attrs = vec![
            ("creationid".into(), "me".into()),
            ("bogus".into(), "1".into()),
        ];
        header.props = vec![Prop {
            kind: "x-h".into(),
            value: "header prop".into(),
        }];
        header.notes = vec!["header note".into()];
        let units = rich();
        let (xml, wrote, warnings) = write_all(&header, &units, WriteOptions::default());
        assert_valid_tmx(&xml);
        assert_eq!(wrote, vec![true, true, false, true, true]);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  <header creationtool=\"bitext\" creationtoolversion=\""));
        assert!(xml.contains(" srclang=\"en-US\""), "{xml}");
        assert!(!xml.contains("en_US") && !xml.contains("ru-ru"));
        // Dates normalised; an unreadable one kept as a prop.
        assert!(xml.contains("creationdate=\"20240115T120000Z\""));
        assert!(xml.contains("<prop type=\"x-attr-changedate\">yesterday</prop>"));
        assert!(xml.contains("lastusagedate=\"20240201T000000Z\""));
        assert!(xml.contains("<prop type=\"x-attr-x-foo\">bar</prop>"));
        assert!(xml.contains("<prop type=\"x-attr-segtype\">word</prop>"));
        assert!(xml.contains("<prop type=\"x-attr-lang\">de</prop>"));
        assert!(xml.contains("<prop type=\"x-attr-bogus\">1</prop>"));
        assert!(xml.contains(" tuid=\"a&quot;1\""));
        // Illegal characters dropped everywhere, with one warning per unit.
        assert!(!xml.contains('\u{1}') && !xml.contains('\u{B}') && !xml.contains('\u{FFFF}'));
        assert!(
            has(
                &warnings,
                "unit 1 (line 10)",
                "dropped 2 character(s) not allowed in XML 1.0 (U+0001, U+000B)"
            ),
            "{warnings:#?}"
        );
        assert!(has(
            &warnings,
            "unit 1 (line 10)",
            "language tag \"en_US\" read as \"en-US\""
        ));
        assert!(has(&warnings, "unit 2 (line 20)", "the ru-RU variant was left out: its segment is empty once the characters XML 1.0 forbids are dropped"));
        assert!(has(
            &warnings,
            "unit 3 (line 30)",
            "the ru-RU variant was left out: its segment is empty"
        ));
        assert!(has(
            &warnings,
            "unit 3 (line 30)",
            "unit skipped: 1 variant(s)"
        ));
        assert!(has(
            &warnings,
            "unit 5 (line 50)",
            "no variant in the source language en-US; written with srclang=\"*all*\""
        ));
        assert!(has(
            &warnings,
            "unit 2 (line 20)",
            "<g> is not TMX inline markup"
        ));
        assert!(has(
            &warnings,
            "unit 2 (line 20)",
            "a <bpt> without i was written as <it pos=\"begin\">"
        ));
        assert!(has(
            &warnings,
            "unit 2 (line 20)",
            "attribute id=\"7\" on <ph> dropped"
        ));
        // Read back: text, tags, props and notes of unit 1 survive exactly.
        let (h, back) = read_all(&xml);
        assert_eq!(h.srclang.as_deref(), Some("en-US"));
        assert_eq!(h.props[0], header.props[0]);
        assert_eq!(h.props[1].kind, "x-attr-bogus");
        assert_eq!(h.notes, header.notes);
        assert_eq!(back.len(), 4);
        let mut want = units[0].variants[0].segment.clone();
        // The writer drops nothing from this segment but a CR LF is CR LF (escaped CR).
        assert_eq!(back[0].variants[0].segment, want);
        assert_eq!(back[0].variants[1].segment, units[0].variants[1].segment);
        assert_eq!(back[0].variants[1].props[0], units[0].variants[1].props[0]);
        assert_eq!(back[0].variants[1].notes, units[0].variants[1].notes);
        assert_eq!(
            back[0].notes,
            vec!["checked by hand".to_string(), String::new()]
        );
        assert_eq!(back[0].props[1].value, "a <b> & c");
        assert_eq!(back[0].tuid.as_deref(), Some("a\"1"));
        assert_eq!(back[0].variants[0].lang, "en-US");
        want.pieces.clear();
        // Unit 2: en-US and de-DE kept, markup repaired into valid TMX.
        assert_eq!(back[1].variants.len(), 2);
        assert_eq!(back[1].variants[1].lang, "de-DE");
        assert_eq!(
            back[1].variants[0].segment.to_xml(),
            "Bad one <bpt i=\"1\">&lt;g id=\"1\"&gt;</bpt>wrapped<ept i=\"1\">&lt;/g&gt;</ept><ph>&lt;x id=\"2\"/&gt;</ph>"
        );
        assert_eq!(
            back[1].variants[1].segment.to_xml(),
            "<it pos=\"begin\" x=\"1\">&lt;b&gt;</it>Gut<it pos=\"end\">&lt;/b&gt;</it><ph/>top-level sub<ph x=\"1\">&lt;ph&gt;inner&lt;/ph&gt;</ph>"
        );
        // Unit 4's own srclang is written; unit 5 has none of the header's.
        assert_eq!(back[2].srclang.as_deref(), Some("de"));
        assert_eq!(back[3].srclang.as_deref(), Some("*all*"));
        assert!(xml.contains("<tu srclang=\"de\">"));
    }

    #[test]
    fn a_rejected_file_keeps_one_sided_and_blank_units_a_memory_refuses() {
        let units = vec![
            unit(1, vec![variant("en-US", vec![text("Only English.")])]),
            unit(
                2,
                vec![
                    variant("en-US", vec![text("Blank target.")]),
                    variant("ru-RU", vec![]),
                ],
            ),
            unit(
                3,
                vec![variant("en-US", vec![text(" ")]), variant("ru-RU", vec![])],
            ),
        ];
        // The main output skips all three, warned.
        let (_, wrote, warnings) = write_all(&header(), &units, WriteOptions::default());
        assert_eq!(wrote, vec![false, false, false]);
        assert_eq!(
            warnings
                .iter()
                .filter(|w| w.to_string().contains("unit skipped"))
                .count(),
            3
        );
        // A rejected file writes each as it was, valid against the DTD.
        let mut w = TmxWriter::new(Vec::new(), &header(), WriteOptions::default()).unwrap();
        w.keep_one_sided();
        for u in &units {
            assert!(w.write(u).unwrap());
        }
        let xml = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_valid_tmx(&xml);
        assert_eq!(
            xml.matches("<tu>").count() + xml.matches("<tu ").count(),
            3,
            "{xml}"
        );
        assert_eq!(
            xml.matches("<note>bitext: written with one language variant")
                .count(),
            1
        );
        assert!(
            xml.contains("<tuv xml:lang=\"ru-RU\"><seg></seg></tuv>"),
            "{xml}"
        );
        let (_, back) = read_all(&xml);
        assert_eq!(back.len(), 3);
        assert_eq!(back[0].variants.len(), 1);
    }

    #[test]
    fn strip_tags_writes_plain_text() {
        let units = rich();
        let (xml, wrote, warnings) =
            write_all(&header(), &units, WriteOptions { strip_tags: true });
        assert_valid_tmx(&xml);
        assert_eq!(wrote, vec![true, true, false, true, true]);
        let (_, back) = read_all(&xml);
        assert_eq!(back[0].variants[0].segment.pieces.len(), 1);
        assert_eq!(
            back[0].variants[1].segment,
            Segment::from_text("Нажмите ОК")
        );
        assert_eq!(
            back[0].variants[0].segment.plain_text(),
            units[0].variants[0].segment.plain_text()
        );
        assert!(!xml.contains("<bpt") && !xml.contains("<ph"));
        // A segment made of a tag only is empty once stripped.
        let only_tag = unit(
            9,
            vec![
                variant("en-US", vec![tag("ph", &[], vec![text("{1}")])]),
                variant("ru-RU", vec![text("Да")]),
            ],
        );
        let (_, wrote, warnings2) =
            write_all(&header(), &[only_tag], WriteOptions { strip_tags: true });
        assert_eq!(wrote, vec![false]);
        assert!(has(
            &warnings2,
            "unit 9 (line 90)",
            "once its tags are stripped"
        ));
        drop(warnings);
    }

    #[test]
    fn header_defaults_and_srclang_from_the_first_unit() {
        let units = vec![unit(
            1,
            vec![
                variant("ru_RU", vec![text("Да")]),
                variant("en", vec![text("Yes")]),
            ],
        )];
        let h = Header {
            segtype: Some("word".into()),
            adminlang: Some("EN_gb".into()),
            ..Header::default()
        };
        let (xml, _, warnings) = write_all(&h, &units, WriteOptions::default());
        assert_valid_tmx(&xml);
        let v = CREATION_TOOL_VERSION;
        assert!(
            xml.contains(&format!(
                "<header creationtool=\"bitext\" creationtoolversion=\"{v}\" segtype=\"sentence\" \
             o-tmf=\"bitext\" adminlang=\"en-GB\" srclang=\"ru-RU\" datatype=\"plaintext\"/>"
            )),
            "{xml}"
        );
        assert!(has(&warnings, "header", "written as srclang=\"ru-RU\""));
        assert!(has(&warnings, "header", "segtype=\"word\""));
        // No units at all: still a valid document.
        let (xml, _, _) = write_all(&Header::default(), &[], WriteOptions::default());
        assert_valid_tmx(&xml);
        assert!(xml.contains("srclang=\"*all*\""));
        assert!(xml.ends_with("  <body>\n  </body>\n</tmx>\n"));
    }

    #[test]
    fn exact_layout_of_a_unit() {
        let mut u = unit(
            1,
            vec![
                variant("en-US", vec![text("A & B")]),
                variant("ru-RU", vec![text("А и Б")]),
            ],
        );
        u.props = vec![Prop {
            kind: "x-score".into(),
            value: "0.9".into(),
        }];
        u.notes = vec!["n".into()];
        let mut w = TmxWriter::new(Vec::new(), &header(), WriteOptions::default()).unwrap();
        w.set_input_label("in.tmx");
        assert!(w.write(&u).unwrap());
        assert_eq!(w.written(), 1);
        assert!(w.take_warnings().is_empty());
        let xml = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(
            xml.contains(concat!(
            "  <body>\n    <tu>\n      <prop type=\"x-score\">0.9</prop>\n      <note>n</note>\n",
            "      <tuv xml:lang=\"en-US\"><seg>A &amp; B</seg></tuv>\n",
            "      <tuv xml:lang=\"ru-RU\"><seg>А и Б</seg></tuv>\n    </tu>\n  </body>\n</tmx>\n"
        )),
            "{xml}"
        );
        // The label names the input in warnings.
        let mut w = TmxWriter::new(Vec::new(), &header(), WriteOptions::default()).unwrap();
        w.set_input_label("in.tmx");
        let lone = unit(7, vec![variant("en-US", vec![text("x")])]);
        assert!(!w.write(&lone).unwrap());
        assert_eq!(w.take_warnings()[0].location, "in.tmx: unit 7 (line 70)");
    }

    #[test]
    fn the_language_rewrite_is_reported_once_per_tag() {
        let units: Vec<Unit> = (1..=3)
            .map(|n| {
                unit(
                    n,
                    vec![
                        variant("en_US", vec![text("a")]),
                        variant("ru-RU", vec![text("б")]),
                    ],
                )
            })
            .collect();
        let (_, _, warnings) = write_all(&header(), &units, WriteOptions::default());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn large_output_is_streamed_and_fast() {
        // 20k units through a sink that records the sizes of the writes it gets.
        struct Sink {
            bytes: usize,
            largest: usize,
        }
        impl Write for Sink {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.bytes += b.len();
                self.largest = self.largest.max(b.len());
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let u = unit(
            1,
            vec![
                variant(
                    "en-US",
                    vec![
                        text("The committee met in Beijing on 17 May & agreed. "),
                        tag("ph", &[("x", "1")], vec![text("<br/>")]),
                    ],
                ),
                variant(
                    "ru-RU",
                    vec![text("Комитет собрался в Пекине 17\u{A0}мая и договорился.")],
                ),
            ],
        );
        let mut w = TmxWriter::new(
            Sink {
                bytes: 0,
                largest: 0,
            },
            &header(),
            WriteOptions::default(),
        )
        .unwrap();
        let start = std::time::Instant::now();
        for _ in 0..20_000 {
            w.write(&u).unwrap();
        }
        let sink = w.finish().unwrap();
        let secs = start.elapsed().as_secs_f64();
        assert!(sink.bytes > 4_000_000, "{}", sink.bytes);
        assert!(sink.largest < 2 * FLUSH_AT, "{}", sink.largest);
        println!(
            "tm::write: {:.1} MB in {secs:.3} s = {:.0} MB/s (debug build)",
            sink.bytes as f64 / 1e6,
            sink.bytes as f64 / 1e6 / secs
        );
    }

    // ----- generated units -----

    /// Text of XML 1.0 characters (no illegal ones), biased to markup and white space.
    pub(crate) fn arb_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("&".to_string()),
            Just("<".to_string()),
            Just(">".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("]]>".to_string()),
            Just("&amp;".to_string()),
            Just("\t".to_string()),
            Just("\n".to_string()),
            Just("\r".to_string()),
            Just(",".to_string()),
            Just("📖".to_string()),
            Just("\u{A0}".to_string()),
            any::<char>()
                .prop_filter("XML Char", |&c| xml_class(c) != XmlClass::Illegal)
                .prop_map(|c| c.to_string()),
            "[a-zа-я ]{1,8}",
        ];
        prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
    }

    fn arb_attr_value() -> impl Strategy<Value = String> {
        prop_oneof!["[0-9]{1,3}", arb_text()]
    }

    /// Valid TMX inline content: flow (`seg`, `hi`, `sub`) or code (`bpt`...: text and `sub`).
    fn arb_pieces(depth: u32, code: bool) -> BoxedStrategy<Vec<Piece>> {
        let leaf = arb_text().prop_map(Piece::Text).boxed();
        let item = if depth == 0 {
            leaf
        } else if code {
            prop_oneof![
                3 => leaf,
                1 => (proptest::option::of(arb_attr_value()), arb_pieces(depth - 1, false))
                    .prop_map(|(t, c)| {
                        let attrs = t.map(|t| vec![("type".to_string(), t)]).unwrap_or_default();
                        Piece::Tag(Tag { name: "sub".into(), attrs, content: c })
                    }),
            ]
            .boxed()
        } else {
            let code_tag = (
                prop::sample::select(vec!["bpt", "ept", "it", "ph", "ut"]),
                arb_attr_value(),
                arb_pieces(depth - 1, true),
            )
                .prop_map(|(name, v, content)| {
                    let attrs = match name {
                        "bpt" => vec![("i".to_string(), v), ("x".to_string(), "1".to_string())],
                        "ept" => vec![("i".to_string(), v)],
                        "it" => vec![
                            ("pos".to_string(), "end".to_string()),
                            ("type".to_string(), v),
                        ],
                        "ph" => vec![("x".to_string(), v), ("assoc".to_string(), "p".to_string())],
                        _ => vec![("x".to_string(), v)],
                    };
                    Piece::Tag(Tag {
                        name: name.into(),
                        attrs,
                        content,
                    })
                });
            let hi = (
                proptest::option::of(arb_attr_value()),
                arb_pieces(depth - 1, false),
            )
                .prop_map(|(t, content)| {
                    let attrs = t.map(|t| vec![("type".to_string(), t)]).unwrap_or_default();
                    Piece::Tag(Tag {
                        name: "hi".into(),
                        attrs,
                        content,
                    })
                });
            prop_oneof![3 => leaf, 2 => code_tag, 1 => hi].boxed()
        };
        prop::collection::vec(item, 0..5).prop_map(merge).boxed()
    }

    /// Adjacent texts merged and empty ones dropped, as the reader produces them.
    fn merge(pieces: Vec<Piece>) -> Vec<Piece> {
        let mut out: Vec<Piece> = Vec::new();
        for p in pieces {
            match p {
                Piece::Text(t) => crate::unit::segment::push_text(&mut out, &t),
                tag => out.push(tag),
            }
        }
        out
    }

    /// A segment that is never blank: it starts with a letter.
    fn arb_segment() -> impl Strategy<Value = Segment> {
        ("[A-Za-zА-я]", arb_pieces(3, false)).prop_map(|(first, rest)| {
            let mut pieces = vec![Piece::Text(first)];
            for p in rest {
                match p {
                    Piece::Text(t) => crate::unit::segment::push_text(&mut pieces, &t),
                    tag => pieces.push(tag),
                }
            }
            Segment { pieces }
        })
    }

    fn arb_props() -> impl Strategy<Value = Vec<Prop>> {
        prop::collection::vec(
            ("x-[a-zA-Z:]{1,10}", arb_text()).prop_map(|(kind, value)| Prop { kind, value }),
            0..3,
        )
    }

    /// Units as a memory holds them (two or three languages, canonical tags).
    pub(crate) fn arb_unit() -> impl Strategy<Value = Unit> {
        (
            arb_segment(),
            arb_segment(),
            proptest::option::of("[A-Za-z0-9_.-]{1,8}"),
            proptest::option::of(0i64..4_000_000_000),
            arb_props(),
            prop::collection::vec(arb_text(), 0..2),
        )
            .prop_map(|(src, tgt, tuid, date, props, notes)| {
                let mut u = unit(1, vec![]);
                u.variants = vec![
                    Variant {
                        segment: src,
                        ..variant("en-US", vec![])
                    },
                    Variant {
                        segment: tgt,
                        ..variant("ru-RU", vec![])
                    },
                ];
                u.tuid = tuid;
                u.creationdate = date
                    .and_then(crate::unit::DateTime::from_unix)
                    .map(|d| Date::parse(&d.to_tmx()));
                u.props = props;
                u.notes = notes;
                u
            })
    }

    /// What every format keeps: languages, segments, props, unit notes, tuid, dates.
    pub(crate) fn same_content(a: &Unit, b: &Unit) -> std::result::Result<(), TestCaseError> {
        prop_assert_eq!(a.variants.len(), b.variants.len());
        for (x, y) in a.variants.iter().zip(&b.variants) {
            prop_assert_eq!(&x.lang, &y.lang);
            prop_assert_eq!(&x.segment, &y.segment);
        }
        prop_assert_eq!(&a.props, &b.props);
        prop_assert_eq!(&a.notes, &b.notes);
        prop_assert_eq!(&a.tuid, &b.tuid);
        prop_assert_eq!(
            a.creationdate.as_ref().map(Date::to_tmx),
            b.creationdate.as_ref().map(Date::to_tmx)
        );
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]
        #[test]
        fn tmx_to_tmx_keeps_text_tags_and_props(units in prop::collection::vec(arb_unit(), 1..4)) {
            let (xml, wrote, warnings) = write_all(&header(), &units, WriteOptions::default());
            prop_assert!(wrote.iter().all(|&w| w), "{:?}", warnings);
            let (_, back) = read_all(&xml);
            prop_assert_eq!(back.len(), units.len());
            for (a, b) in units.iter().zip(&back) {
                same_content(a, b)?;
            }
            // And once more: TMX -> TMX is a fixed point.
            let (xml2, _, _) = write_all(&header(), &back, WriteOptions::default());
            prop_assert_eq!(xml, xml2);
        }
    }

    #[test]
    fn generated_units_validate_against_the_dtd() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let units: Vec<Unit> = (0..300)
            .map(|_| arb_unit().new_tree(&mut runner).unwrap().current())
            .collect();
        let (xml, wrote, _) = write_all(&header(), &units, WriteOptions::default());
        assert!(wrote.iter().all(|&w| w));
        assert_valid_tmx(&xml);
    }
}
