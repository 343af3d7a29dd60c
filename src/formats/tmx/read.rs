//! The streaming TMX reader: quick-xml events over a [`Tracker`] (line/column) over a
//! [`Decoded`] (encoding detection, UTF-16 transcoding) over the caller's `Read`.
//!
//! Structure is checked as the events arrive: the prolog (XML declaration, DOCTYPE without
//! entity declarations), `<tmx>`, `<header>`, then `<body>` whose `<tu>`s are yielded one by one,
//! then `</body></tmx>` and the end of the input; a file that stops earlier is an error.
//! Errors found inside a unit (undefined entity, illegal character, missing `<tuv>`, `<seg>` or
//! language) can be skipped under [`ReadOptions::lenient`]; errors in the XML syntax cannot,
//! because the parser cannot know where the next unit starts.
//!
//! One state machine over quick-xml's events, in two files that share the reader's state and
//! position tracking: the prolog, header and end of the document in `read/header.rs`, the
//! units, their attributes and segments here; the pieces that stand alone (segment markup,
//! attribute unescaping, references, encoding) live in `markup.rs` and `source.rs`.

use std::borrow::Cow;
use std::io::Read;
use std::path::PathBuf;

use quick_xml::events::{BytesStart, Event};
use smallvec::SmallVec;

use super::markup::{resolve_reference, unescape_attr};
use crate::error::{Error, ErrorKind, Result, Warning};
use crate::formats::source::{Decoded, Detected, Pos, Tracker};
use crate::text::xml::{xml_class, XmlClass};
use crate::unit::segment::{push_text, Piece, Segment, Tag, INLINE_ELEMENTS};
use crate::unit::{same_lang, Date, Header, Prop, Unit, Variant};

mod frame;
mod header;

pub(crate) use frame::{once_per_file, Frame, Framing};
use frame::{FOREIGN_INLINE, LEGACY_LANG};

/// How strictly to read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip a broken unit with a warning naming it instead of stopping with an error.
    pub lenient: bool,
    /// The largest `<tu>` (or, outside units, XML event) read, in bytes; `None`:
    /// [`DEFAULT_MAX_UNIT_BYTES`](crate::formats::DEFAULT_MAX_UNIT_BYTES). A larger one is an error at
    /// its start, raised before it is all in memory.
    pub max_unit_bytes: Option<u64>,
}

/// The TMX versions read without a warning.
const KNOWN_VERSIONS: [&str; 6] = ["1.1", "1.2", "1.3", "1.4", "1.4a", "1.4b"];

/// Inline elements nested deeper than this are refused (bounds the recursion).
const MAX_NESTING: usize = 64;

/// The most valid `<tuv>` language tags remembered (beyond them, tags are checked each time).
const MAX_VALID_LANGS: usize = 16;

/// The element depth of `<body>` (`<tmx>` is 1).
const BODY_DEPTH: usize = 2;

/// Why parsing stopped: an error that ends the file, or one confined to a unit.
enum Fail {
    /// Cannot continue (XML syntax, I/O, truncation).
    Fatal(Error),
    /// Only this unit is unusable; the reader can resume at the next `<tu>`.
    Unit(Error),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        Fail::Fatal(e)
    }
}

type Parse<T> = std::result::Result<T, Fail>;

/// A byte offset in the decoded (UTF-8) text: where an event starts. Turned into a line and
/// column only for a message ([`TmxReader::line_column`]).
type Offset = u64;

/// An element or attribute name: the names TMX uses are borrowed from [`KNOWN_NAMES`] (no
/// allocation for the dozen names every unit repeats), any other is owned.
type Name = Cow<'static, str>;

/// The attributes of a start tag: (name, unescaped value), in order; a TMX element has at most
/// a handful, kept without a heap allocation.
type Attrs = SmallVec<[(Name, String); 4]>;

/// The element and attribute names of TMX units, kept without allocating.
const KNOWN_NAMES: [&str; 24] = [
    "tu",
    "tuv",
    "seg",
    "prop",
    "note",
    "bpt",
    "ept",
    "ph",
    "it",
    "hi",
    "ut",
    "sub",
    "tuid",
    "xml:lang",
    "lang",
    "type",
    "i",
    "x",
    "pos",
    "srclang",
    "creationdate",
    "changedate",
    "creationid",
    "changeid",
];

/// `s` as a [`Name`], borrowed when it is one of [`KNOWN_NAMES`].
fn name_of(s: &str) -> Name {
    // Compared by length first: most names are told apart without comparing any byte.
    match KNOWN_NAMES.iter().find(|k| k.len() == s.len() && **k == s) {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(s.to_string()),
    }
}

/// The part after the last `:` of a qualified name, and whether there was a prefix
/// (a byte search: names are short, too short for a vectorised one).
fn split_prefix(name: &str) -> Option<(&str, &str)> {
    let colon = name.bytes().rposition(|b| b == b':')?;
    Some((&name[..colon], &name[colon + 1..]))
}

/// Attributes as the unit model keeps them (owned names).
fn owned(attrs: Attrs) -> Vec<(String, String)> {
    attrs
        .into_iter()
        .map(|(k, v)| (k.into_owned(), v))
        .collect()
}

/// Reads a TMX document one [`Unit`] at a time; see the [module docs](super).
///
/// ```
/// use bitext::formats::tmx::{ReadOptions, TmxReader};
/// let tmx = r#"<tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1"
///   segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>
///   <tu><tuv xml:lang="en"><seg>Hello</seg></tuv><tuv xml:lang="ru"><seg>Привет</seg></tuv></tu>
/// </body></tmx>"#;
/// let mut reader = TmxReader::new(tmx.as_bytes(), "memory.tmx", ReadOptions::default())?;
/// assert_eq!(reader.header().srclang.as_deref(), Some("en"));
/// let units: Vec<_> = reader.by_ref().collect::<Result<_, _>>()?;
/// assert_eq!(units[0].variants[1].segment.plain_text(), "Привет");
/// # Ok::<(), bitext::Error>(())
/// ```
pub struct TmxReader<R: Read> {
    xml: quick_xml::Reader<Tracker<Decoded<R>>>,
    buf: Vec<u8>,
    path: PathBuf,
    options: ReadOptions,
    header: Header,
    warnings: Vec<Warning>,
    /// `<tu>` elements seen so far.
    units_seen: u64,
    /// Open elements.
    depth: usize,
    /// The unit being parsed, for error messages.
    current_unit: Option<u64>,
    /// Nothing more to yield (end reached or an error returned).
    done: bool,
    warned_legacy_lang: bool,
    warned_foreign_inline: bool,
    /// Language tags of `<tuv>`s already found valid (a memory uses a handful): each is
    /// checked once, not once per unit.
    valid_langs: Vec<String>,
    /// A segment's text gathered across its text events and references, then copied into
    /// one piece of exactly its size.
    text: String,
    /// Where the event being read starts.
    event_start: Offset,
    /// Bytes consumed without quick-xml (framed units, [`TmxReader::frame`]) before its
    /// position: its offsets plus this are the tracker's.
    xml_drift: Offset,
    /// The last event ended with a tag's `>`: quick-xml looks for text next, so whole units
    /// can be taken from the input here without it.
    after_tag: bool,
    /// Units are no longer framed (something framing does not handle came up).
    framing_over: bool,
    /// A part of a file's `<body>` holding whole units ([`TmxReader::fragment`]): its end is
    /// the end of the units, not a truncated file.
    fragment: bool,
}

impl<R: Read> TmxReader<R> {
    /// Starts reading `input` (named `path` in messages; any label will do) and parses the
    /// prolog and `<header>`, stopping at `<body>`.
    pub fn new(input: R, path: impl Into<PathBuf>, options: ReadOptions) -> Result<Self> {
        let path = path.into();
        let decoded = Decoded::new(input).map_err(|e| Error::io(&path, e))?;
        let mut reader = TmxReader::over(Tracker::new(decoded), path, options, Header::default());
        let mut buf = std::mem::take(&mut reader.buf);
        let result = reader.read_prolog(&mut buf);
        reader.buf = buf;
        match result {
            Ok(()) => Ok(reader),
            Err(Fail::Fatal(e) | Fail::Unit(e)) => Err(e),
        }
    }

    /// A reader of `tracker`'s text, from its start, with nothing read yet.
    fn over(
        mut tracker: Tracker<Decoded<R>>,
        path: PathBuf,
        options: ReadOptions,
        header: Header,
    ) -> TmxReader<R> {
        tracker.set_limit(
            options
                .max_unit_bytes
                .unwrap_or(crate::formats::DEFAULT_MAX_UNIT_BYTES),
        );
        let mut xml = quick_xml::Reader::from_reader(tracker);
        let config = xml.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        config.allow_dangling_amp = false;
        config.trim_text(false);
        TmxReader {
            xml,
            buf: Vec::new(),
            path,
            options,
            header,
            warnings: Vec::new(),
            units_seen: 0,
            depth: 0,
            current_unit: None,
            done: false,
            warned_legacy_lang: false,
            warned_foreign_inline: false,
            valid_langs: Vec::new(),
            text: String::new(),
            event_start: 0,
            xml_drift: 0,
            after_tag: false,
            framing_over: false,
            fragment: false,
        }
    }

    /// The header (with the `<tmx version>`).
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The encoding found from the bytes.
    pub fn encoding(&self) -> Detected {
        self.xml.get_ref().source().detected
    }

    /// The file's name as given.
    pub(crate) fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Warnings so far (changed or skipped input), removed from the reader.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    /// The line-tracking buffer (for tests that check how the input is read).
    #[cfg(test)]
    pub(crate) fn tracker(&self) -> &Tracker<Decoded<R>> {
        self.xml.get_ref()
    }

    // ----- events -----

    /// The next event and the offset where it starts; `depth` follows Start/End.
    ///
    /// Outside a unit every event moves the tracker's mark (and budget) to its start; inside,
    /// the mark stays at the `<tu>`, so the tracker keeps the unit's bytes and any offset in it
    /// can be turned into a line and column for a message ([`TmxReader::line_column`]) without
    /// counting lines for every event.
    fn event<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<(Event<'b>, Offset)> {
        let tracker = self.xml.get_mut();
        let offset = if self.current_unit.is_none() {
            // Outside a unit each event has its own budget; inside, the whole `<tu>` shares one.
            let offset = tracker.checkpoint();
            tracker.start_budget(offset);
            offset
        } else {
            tracker.offset()
        };
        self.event_start = offset;
        buf.clear();
        match self.xml.read_event_into(buf) {
            Ok(ev) => {
                match &ev {
                    Event::Start(_) => self.depth += 1,
                    Event::End(_) => self.depth = self.depth.saturating_sub(1),
                    _ => {}
                }
                self.after_tag = matches!(
                    ev,
                    Event::Start(_)
                        | Event::End(_)
                        | Event::Empty(_)
                        | Event::Comment(_)
                        | Event::PI(_)
                        | Event::CData(_)
                        | Event::Decl(_)
                        | Event::DocType(_)
                );
                Ok((ev, offset))
            }
            Err(e) => Err(self.parser_error(e)),
        }
    }

    /// The line and column of `offset`, which lies in the bytes the tracker keeps (those of
    /// the current unit, or of the current event outside units).
    fn line_column(&self, offset: Offset) -> Pos {
        self.xml.get_ref().position_of(offset)
    }

    /// A quick-xml error as ours, located at the parser's error position.
    fn parser_error(&self, e: quick_xml::Error) -> Error {
        let tracker = self.xml.get_ref();
        if let quick_xml::Error::Io(io) = &e {
            if tracker.over_limit {
                let limit = self
                    .options
                    .max_unit_bytes
                    .unwrap_or(crate::formats::DEFAULT_MAX_UNIT_BYTES);
                let what = if self.current_unit.is_some() {
                    "the unit starting here"
                } else {
                    "the XML element or text starting here"
                };
                return self.error_at_pos(
                    tracker.budget(),
                    format!(
                        "{what} is larger than {limit} bytes (--max-unit-bytes): refused rather \
                         than read into memory; raise the limit if it is genuine"
                    ),
                );
            }
            let decoded = tracker.source();
            if let Some(byte) = decoded.failure {
                return ErrorKind::Decode {
                    path: self.path.clone(),
                    encoding: decoded.detected.name(),
                    byte,
                }
                .into();
            }
            return Error::io(&self.path, std::io::Error::new(io.kind(), io.to_string()));
        }
        // Not before the event being read: quick-xml may name an earlier place for some errors.
        let at = (self.xml.error_position() + self.xml_drift).max(self.event_start);
        let pos = tracker.position_of(at);
        let message = match &e {
            quick_xml::Error::Encoding(_) => {
                format!("invalid UTF-8 ({})", self.encoding().evidence())
            }
            other => format!("malformed XML: {other}"),
        };
        self.error_at_pos(pos, message)
    }

    /// An XML error at `offset`, prefixed with the current unit's number.
    fn error_at(&self, offset: Offset, message: impl AsRef<str>) -> Error {
        self.error_at_pos(self.line_column(offset), message)
    }

    /// An XML error at `pos`, prefixed with the current unit's number.
    fn error_at_pos(&self, pos: Pos, message: impl AsRef<str>) -> Error {
        let message = match self.current_unit {
            Some(n) => format!("unit {n}: {}", message.as_ref()),
            None => message.as_ref().to_string(),
        };
        ErrorKind::Xml {
            path: self.path.clone(),
            line: pos.line,
            column: pos.column,
            message,
        }
        .into()
    }

    fn warn(&mut self, offset: Offset, message: impl AsRef<str>) {
        let pos = self.line_column(offset);
        let message = match self.current_unit {
            Some(n) => format!("unit {n}: {}", message.as_ref()),
            None => message.as_ref().to_string(),
        };
        let location = format!("{}:{}:{}", self.path.display(), pos.line, pos.column);
        self.warnings.push(Warning::new(location, message));
    }

    /// Warns, once, that `<body>` held no `<tu>` (a header-only memory: nothing was read).
    fn warn_if_no_unit(&mut self) {
        if self.units_seen == 0 {
            self.warnings.push(Warning::new(
                self.path.display().to_string(),
                "<body> holds no <tu>: nothing was read",
            ));
        }
    }

    fn truncated(&self, offset: Offset, inside: &str) -> Fail {
        Fail::Fatal(self.error_at(
            offset,
            format!("the file ends inside {inside}: it is truncated or not closed"),
        ))
    }

    /// Reads events until the depth is back to `depth` (the rest of an element being skipped).
    fn skip_to_depth(&mut self, buf: &mut Vec<u8>, depth: usize) -> Parse<()> {
        while self.depth > depth {
            let (ev, offset) = self.event(buf)?;
            if let Event::Eof = ev {
                return Err(self.truncated(offset, "an element"));
            }
        }
        Ok(())
    }

    // ----- units -----

    /// The next unit, or `None` at the end; `Err` ends the iteration.
    fn next_unit(&mut self, buf: &mut Vec<u8>) -> Parse<Option<Unit>> {
        loop {
            let (ev, offset) = self.event(buf)?;
            match ev {
                Event::Start(e) | Event::Empty(e) if local(&e) == "tu" => {
                    let empty = self.depth == BODY_DEPTH;
                    // The `<tu>` came outside a unit: the mark is at its start.
                    let line = self.xml.get_ref().mark_line();
                    self.units_seen += 1;
                    self.current_unit = Some(self.units_seen);
                    let result = match self.attributes(&e, offset) {
                        Ok(attrs) => self.unit(buf, attrs, offset, line, empty),
                        Err(f) => Err(f),
                    };
                    match result {
                        Ok(unit) => {
                            self.current_unit = None;
                            return Ok(Some(unit));
                        }
                        Err(Fail::Unit(e)) if self.options.lenient => {
                            let pos = self.line_column(offset);
                            self.skip_to_depth(buf, BODY_DEPTH)?;
                            let n = self.units_seen;
                            let msg = match e.kind() {
                                ErrorKind::Xml {
                                    line,
                                    column,
                                    message,
                                    ..
                                } => {
                                    let prefix = format!("unit {n}: ");
                                    let what = message.strip_prefix(&prefix).unwrap_or(message);
                                    format!("unit {n} skipped: {what} (at {line}:{column})")
                                }
                                _ => format!("unit {n} skipped: {e}"),
                            };
                            self.current_unit = None;
                            self.warnings.push(Warning::new(
                                format!("{}:{}:{}", self.path.display(), pos.line, pos.column),
                                msg,
                            ));
                        }
                        Err(f) => return Err(f),
                    }
                }
                Event::Start(e) | Event::Empty(e) => {
                    let name = local(&e).to_string();
                    let msg = format!("unexpected <{name}> in <body>: only <tu> belongs there");
                    if self.options.lenient {
                        self.warn(offset, format!("{msg}; skipped"));
                        self.skip_to_depth(buf, BODY_DEPTH)?;
                    } else {
                        return Err(Fail::Fatal(self.error_at(offset, msg)));
                    }
                }
                Event::End(_) => {
                    self.finish(buf)?;
                    return Ok(None);
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Text(t) if is_blank(&t) => {}
                Event::Eof if self.fragment => return Ok(None),
                Event::Eof => return Err(self.truncated(offset, "<body>")),
                _ => {
                    return Err(Fail::Fatal(
                        self.error_at(offset, "text directly inside <body>"),
                    ))
                }
            }
        }
    }

    fn unit(
        &mut self,
        buf: &mut Vec<u8>,
        attrs: Attrs,
        at: Offset,
        line: u64,
        empty: bool,
    ) -> Parse<Unit> {
        let mut unit = Unit::new(self.units_seen, line, Vec::new());
        for (k, v) in attrs {
            match k.as_ref() {
                "tuid" => unit.tuid = Some(v),
                "srclang" => {
                    if let Some(why) =
                        crate::lang::tag::invalid_lang(&v).filter(|_| !v.trim().is_empty())
                    {
                        return Err(Fail::Unit(
                            self.error_at(at, format!("<tu srclang>: {why}")),
                        ));
                    }
                    unit.srclang = Some(v)
                }
                "creationdate" => unit.creationdate = Some(self.date("creationdate", v, at)),
                "changedate" => unit.changedate = Some(self.date("changedate", v, at)),
                _ => unit.other_attrs.push((k.into_owned(), v)),
            }
        }
        let tu_depth = BODY_DEPTH + 1;
        if !empty {
            loop {
                let (ev, offset) = self.event(buf)?;
                match ev {
                    Event::Start(e) | Event::Empty(e) => {
                        let child_empty = self.depth == tu_depth;
                        let name = name_of(local(&e));
                        let mut attrs = self.attributes(&e, offset)?;
                        let (props, notes) = (&mut unit.props, &mut unit.notes);
                        if self.annotation(
                            buf,
                            &name,
                            &mut attrs,
                            offset,
                            child_empty,
                            props,
                            notes,
                        )? {
                            continue;
                        }
                        match name.as_ref() {
                            "tuv" => {
                                let v = self.variant(buf, attrs, offset, child_empty, tu_depth)?;
                                unit.variants.push(v);
                            }
                            _ => {
                                return Err(Fail::Unit(self.error_at(
                                    offset,
                                    format!(
                                        "unexpected <{name}> in <tu>: expected prop, note or tuv"
                                    ),
                                )))
                            }
                        }
                    }
                    Event::End(_) => break,
                    Event::Comment(_) | Event::PI(_) => {}
                    Event::Text(t) if is_blank(&t) => {}
                    Event::Eof => return Err(self.truncated(offset, "a <tu>")),
                    _ => {
                        return Err(Fail::Unit(self.error_at(
                            offset,
                            "text directly inside <tu> (it belongs in <tuv><seg>)",
                        )))
                    }
                }
            }
        }
        if unit.variants.is_empty() {
            return Err(Fail::Unit(self.error_at(at, "<tu> has no <tuv>")));
        }
        Ok(unit)
    }

    fn variant(
        &mut self,
        buf: &mut Vec<u8>,
        attrs: Attrs,
        at: Offset,
        empty: bool,
        parent_depth: usize,
    ) -> Parse<Variant> {
        let mut lang = None;
        let mut legacy = None;
        let mut other_attrs = Vec::new();
        for (k, v) in attrs {
            match k.as_ref() {
                "xml:lang" => lang = Some(v),
                "lang" => legacy = Some(v),
                _ => other_attrs.push((k.into_owned(), v)),
            }
        }
        let lang = match (lang, legacy) {
            (Some(l), Some(old)) => {
                // Both: xml:lang rules; a legacy value that says something else is kept as an
                // attribute (the writer turns it into a prop) rather than lost.
                if !same_lang(&l, &old) {
                    other_attrs.push(("lang".to_string(), old));
                }
                l
            }
            (Some(l), None) => l,
            (None, Some(l)) => {
                if !self.warned_legacy_lang {
                    self.warned_legacy_lang = true;
                    self.warn(
                        at,
                        format!("{LEGACY_LANG}; read as xml:lang (reported once per file)"),
                    );
                }
                l
            }
            (None, None) => {
                return Err(Fail::Unit(
                    self.error_at(at, "<tuv> has no xml:lang (nor lang) attribute"),
                ))
            }
        };
        if lang.trim().is_empty() {
            return Err(Fail::Unit(self.error_at(at, "<tuv> has an empty xml:lang")));
        }
        if !self.valid_langs.contains(&lang) {
            if let Some(why) = crate::lang::tag::invalid_lang(&lang) {
                return Err(Fail::Unit(
                    self.error_at(at, format!("<tuv xml:lang>: {why}")),
                ));
            }
            if self.valid_langs.len() < MAX_VALID_LANGS {
                self.valid_langs.push(lang.clone());
            }
        }
        let mut variant = Variant {
            other_attrs,
            ..Variant::new(lang, Segment::default())
        };
        let depth = parent_depth + 1;
        let mut seen_seg = false;
        if !empty {
            loop {
                let (ev, offset) = self.event(buf)?;
                match ev {
                    Event::Start(e) | Event::Empty(e) => {
                        let child_empty = self.depth == depth;
                        let name = name_of(local(&e));
                        let mut attrs = self.attributes(&e, offset)?;
                        let (props, notes) = (&mut variant.props, &mut variant.notes);
                        if self.annotation(
                            buf,
                            &name,
                            &mut attrs,
                            offset,
                            child_empty,
                            props,
                            notes,
                        )? {
                            continue;
                        }
                        match name.as_ref() {
                            "seg" if seen_seg => {
                                return Err(Fail::Unit(
                                    self.error_at(offset, "<tuv> has more than one <seg>"),
                                ))
                            }
                            "seg" => {
                                seen_seg = true;
                                if !child_empty {
                                    variant.segment.pieces = self.inline(buf, 0)?;
                                }
                            }
                            _ => {
                                return Err(Fail::Unit(self.error_at(
                                    offset,
                                    format!(
                                        "unexpected <{name}> in <tuv>: expected prop, note or seg"
                                    ),
                                )))
                            }
                        }
                    }
                    Event::End(_) => break,
                    Event::Comment(_) | Event::PI(_) => {}
                    Event::Text(t) if is_blank(&t) => {}
                    Event::Eof => return Err(self.truncated(offset, "a <tuv>")),
                    _ => {
                        return Err(Fail::Unit(self.error_at(
                            offset,
                            "text directly inside <tuv>: it must be inside <seg>",
                        )))
                    }
                }
            }
        }
        if !seen_seg {
            return Err(Fail::Unit(self.error_at(
                at,
                format!("<tuv xml:lang=\"{}\"> has no <seg>", variant.lang),
            )));
        }
        Ok(variant)
    }

    /// The content of `<seg>` or of an inline element, up to its end tag.
    fn inline(&mut self, buf: &mut Vec<u8>, nesting: usize) -> Parse<Vec<Piece>> {
        let base = self.depth;
        let mut pieces = Vec::new();
        // Text runs (split by references: `a &amp; b` is three events) gather here.
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        loop {
            let (ev, offset) = self.event(buf)?;
            match ev {
                Event::Text(t) => {
                    self.check_chars(&t, offset)?;
                    text.push_str(&t.xml10_content());
                }
                Event::CData(t) => {
                    self.check_chars(&t, offset)?;
                    text.push_str(&t.xml10_content());
                }
                Event::GeneralRef(r) => text.push(self.reference(&r, offset)?),
                Event::Start(e) | Event::Empty(e) => {
                    push_text(&mut pieces, &text);
                    text.clear();
                    let empty = self.depth == base;
                    let name = local(&e).to_string();
                    let attrs = owned(self.attributes(&e, offset)?);
                    if nesting >= MAX_NESTING {
                        return Err(Fail::Unit(self.error_at(
                            offset,
                            format!("inline markup nested more than {MAX_NESTING} levels deep"),
                        )));
                    }
                    if !INLINE_ELEMENTS.contains(&name.as_str()) && !self.warned_foreign_inline {
                        self.warned_foreign_inline = true;
                        self.warn(
                            offset,
                            format!(
                                "<{name}>{FOREIGN_INLINE}; kept as a tag (reported once per file)"
                            ),
                        );
                    }
                    let content = if empty {
                        Vec::new()
                    } else {
                        self.inline(buf, nesting + 1)?
                    };
                    pieces.push(Piece::Tag(Tag {
                        name,
                        attrs,
                        content,
                    }));
                }
                Event::End(_) => {
                    push_text(&mut pieces, &text);
                    self.text = text;
                    return Ok(pieces);
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => return Err(self.truncated(offset, "a <seg>")),
                Event::Decl(_) | Event::DocType(_) => {
                    return Err(Fail::Fatal(
                        self.error_at(offset, "an XML or DOCTYPE declaration inside <seg>"),
                    ))
                }
            }
        }
    }

    /// The text of a `<prop>` or `<note>` (which hold no elements), up to its end tag.
    fn text_content(&mut self, buf: &mut Vec<u8>, empty: bool, what: &str) -> Parse<String> {
        let mut out = String::new();
        if !empty {
            loop {
                let (ev, offset) = self.event(buf)?;
                match ev {
                    Event::Text(t) => {
                        self.check_chars(&t, offset)?;
                        out.push_str(&t.xml10_content());
                    }
                    Event::CData(t) => {
                        self.check_chars(&t, offset)?;
                        out.push_str(&t.xml10_content());
                    }
                    Event::GeneralRef(r) => out.push(self.reference(&r, offset)?),
                    Event::End(_) => break,
                    Event::Comment(_) | Event::PI(_) => {}
                    Event::Eof => return Err(self.truncated(offset, &format!("a <{what}>"))),
                    Event::Start(e) | Event::Empty(e) => {
                        let name = local(&e).to_string();
                        return Err(Fail::Unit(self.error_at(
                            offset,
                            format!("<{name}> inside <{what}>, which holds only text"),
                        )));
                    }
                    Event::Decl(_) | Event::DocType(_) => {
                        return Err(Fail::Fatal(
                            self.error_at(offset, format!("a declaration inside <{what}>")),
                        ))
                    }
                }
            }
        }
        Ok(out)
    }

    /// Reads a `<prop>` or `<note>` child (of `<header>`, `<tu>` or `<tuv>`) into `props` or
    /// `notes`; false, with nothing read, for any other element.
    #[allow(clippy::too_many_arguments)]
    fn annotation(
        &mut self,
        buf: &mut Vec<u8>,
        name: &str,
        attrs: &mut Attrs,
        offset: Offset,
        empty: bool,
        props: &mut Vec<Prop>,
        notes: &mut Vec<String>,
    ) -> Parse<bool> {
        match name {
            "prop" => {
                let value = self.text_content(buf, empty, "prop")?;
                let kind = self.prop_kind(std::mem::take(attrs), offset);
                props.push(Prop { kind, value });
            }
            "note" => notes.push(self.text_content(buf, empty, "note")?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The `type` of a `<prop>`; a missing one is kept as "" with a warning.
    fn prop_kind(&mut self, attrs: Attrs, offset: Offset) -> String {
        match attrs.into_iter().find(|(k, _)| k == "type") {
            Some((_, v)) => v,
            None => {
                self.warn(
                    offset,
                    "<prop> without the required type attribute; kept with type \"\"",
                );
                String::new()
            }
        }
    }

    /// A date attribute; an unreadable one is kept as written, with a warning.
    fn date(&mut self, name: &str, value: String, offset: Offset) -> Date {
        let d = Date::parse(value);
        if d.utc.is_none() {
            let value = &d.written;
            self.warn(
                offset,
                format!(
                    "{name}=\"{value}\" is not a date (expected YYYYMMDDThhmmssZ or ISO 8601); \
                     kept as written"
                ),
            );
        }
        d
    }

    /// The attributes of a start tag: (qualified name, unescaped value), in order.
    ///
    /// Duplicate names are refused here rather than by quick-xml, whose check allocates a
    /// list for every tag; a tag's few names are compared pairwise instead.
    fn attributes(&self, e: &BytesStart<'_>, offset: Offset) -> Parse<Attrs> {
        let mut out = Attrs::new();
        let mut seen: SmallVec<[&str; 4]> = SmallVec::new();
        let mut attributes = e.attributes();
        attributes.with_checks(false);
        for attr in attributes {
            let attr = match attr {
                Ok(a) => a,
                Err(err) => {
                    return Err(Fail::Unit(
                        self.error_at(offset, format!("malformed attribute: {err}")),
                    ))
                }
            };
            let key = attr.key.into_inner();
            if seen.contains(&key) {
                return Err(Fail::Unit(self.error_at(
                    offset,
                    format!("malformed attribute: {key} is given twice"),
                )));
            }
            seen.push(key);
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            let value = unescape_attr(&attr.value).map_err(|(_, msg)| {
                Fail::Unit(self.error_at(offset, format!("attribute {key}: {msg}")))
            })?;
            // Namespaced attributes other than xml:* are matched on their local name.
            let first_colon = key.bytes().position(|b| b == b':');
            let key = match first_colon.map(|i| (&key[..i], &key[i + 1..])) {
                Some(("xml", _)) | None => name_of(key),
                Some((_, local)) => name_of(local),
            };
            out.push((key, value));
        }
        Ok(out)
    }

    /// An entity or character reference: only the five XML entities and references to `Char`s.
    fn reference(&self, r: &quick_xml::events::BytesRef<'_>, offset: Offset) -> Parse<char> {
        resolve_reference(r.as_ref()).map_err(|msg| Fail::Unit(self.error_at(offset, msg)))
    }

    /// Refuses text holding characters XML 1.0 forbids, naming the first one's position.
    fn check_chars(&self, text: &str, offset: Offset) -> Parse<()> {
        match first_illegal(text) {
            None => Ok(()),
            Some((at, c)) => {
                let p = self.line_column(offset).advance(&text.as_bytes()[..at]);
                Err(Fail::Unit(self.error_at_pos(
                    p,
                    format!("character U+{:04X} is not allowed in XML 1.0", c as u32),
                )))
            }
        }
    }
}

impl<R: Read> Iterator for TmxReader<R> {
    type Item = Result<Unit>;

    fn next(&mut self) -> Option<Result<Unit>> {
        if self.done {
            return None;
        }
        let mut buf = std::mem::take(&mut self.buf);
        let result = self.next_unit(&mut buf);
        self.buf = buf;
        match result {
            Ok(Some(unit)) => Some(Ok(unit)),
            Ok(None) => {
                self.done = true;
                if !self.fragment {
                    self.warn_if_no_unit();
                }
                None
            }
            Err(Fail::Fatal(e) | Fail::Unit(e)) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// The local name of an element (`tu` for `<t:tu>`).
fn local<'a>(e: &'a BytesStart<'_>) -> &'a str {
    let name = e.name().0;
    match split_prefix(name) {
        Some((_, l)) => l,
        None => name,
    }
}

/// True for text of XML white space only.
fn is_blank(t: &str) -> bool {
    t.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// True for the characters XML 1.0 allows (`Char`, §2.2).
pub(super) fn is_xml_char(c: char) -> bool {
    xml_class(c) != XmlClass::Illegal
}

/// The byte offset and value of the first character XML 1.0 forbids: C0 controls other than
/// TAB, LF and CR, U+FFFE and U+FFFF (lone surrogates cannot occur in a `str`).
fn first_illegal(text: &str) -> Option<(usize, char)> {
    if !crate::text::xml::may_hold_illegal(text.as_bytes()) {
        return None;
    }
    text.char_indices().find(|&(_, c)| !is_xml_char(c))
}
