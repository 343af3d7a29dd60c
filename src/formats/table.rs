//! Translation memories as tables: TSV, CSV (RFC 4180) and JSON Lines, written from and read
//! into [`Unit`]s, streaming in both directions.
//!
//! # TSV and CSV
//!
//! A header row, then one row per unit. Columns, in this order:
//!
//! | column | holds |
//! |---|---|
//! | `<source-lang>` | the source segment (the column's name is the language tag, e.g. `en-US`) |
//! | `<target-lang>` | the target segment (`ru-RU`) |
//! | `tuid` | the unit's `tuid` |
//! | `creationdate` | `YYYYMMDDThhmmssZ` (a date that could not be read: as written) |
//! | `changedate` | likewise |
//! | `props` | the unit's props as compact JSON pairs, `[["x-score","0.97"]]` |
//! | `notes` | the unit's notes as a JSON array, `["a note"]` |
//!
//! An empty cell means "none". Segment cells hold TMX segment markup as
//! [`Segment::to_xml`](super::Segment::to_xml) writes it: `&amp; &lt; &gt;` escaped, inline tags
//! as XML (`Press <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept>`), so TMX -> table ->
//! TMX keeps text, tags and props. With `strip_tags` they hold plain text instead.
//!
//! * TSV (IANA `text/tab-separated-values`) cannot quote: in markup cells TAB, CR and LF are
//!   written as `&#9;`, `&#13;`, `&#10;` (read back exactly); in plain cells (and `tuid`/date
//!   cells) a TAB, CR or LF becomes a space, warned. A `"` is an ordinary character.
//! * CSV follows RFC 4180: a cell holding `,` `"` CR or LF is quoted, `"` doubled; rows end
//!   with LF (CR LF is read too). A stray quote would swallow the rows after it, so a quoted
//!   cell is refused at the line:column where it opened when its line breaks are followed by
//!   row-shaped lines (no quote, as many cells as the header has columns: the second such line
//!   with four or more columns, the first being warned; the third with fewer), when it spans
//!   more than 1,000 lines or grows past the unit cap, or when it is never closed.
//!
//! Reading: the header row is required, recognised by its first two cells being language tags
//! (and no other cell being a number) or, when the languages are given, by its first two cells
//! naming them; the other columns are found by name, in any order, and may be missing. A `score` column becomes `<prop type="x-score">`, `type` becomes `x-link`,
//! any other named column `<prop type="NAME">`. A file without a header row, such as
//! `bitext align -f tsv` output (`source, target, score, type`), is read when the two languages
//! are given ([`TableOptions::langs`]); otherwise it is refused with a message saying so.
//! Segment cells are parsed as markup (only the five XML entities and character references; an
//! error names file:line:column and suggests `--plain`), or taken literally with
//! [`TableOptions::plain`]. An empty segment cell leaves that variant out; a row with both empty
//! is skipped, warned. A UTF-8 BOM is skipped; UTF-16 (Excel's "Unicode text") is transcoded.
//! A file with nothing to read (0 bytes, blank lines only) is an error; one with a header but
//! no unit is warned. Language tags must be BCP 47 once case and `_` are repaired, and the two
//! columns must name different languages. A line (a CSV record, a JSON line) longer than
//! [`TableOptions::max_unit_bytes`] is refused before it is read whole.
//!
//! Writing keeps two languages: [`TableOptions::langs`], else the header's `srclang` and the
//! first other language of the first unit. A unit missing one of them is written with an empty
//! cell, and one holding other languages loses those, each warned with the unit number (the
//! first 20 listed, all counted by [`TableWriter::incomplete`]); a unit holding neither is
//! skipped. What a table has no column for (variant props, notes and attributes, unit attributes
//! other than `tuid` and the dates, a per-unit `srclang`) is dropped with one warning: use JSON
//! Lines to keep everything.
//!
//! # JSON Lines
//!
//! One JSON object per line (jsonlines.org, UTF-8). The first line is the TMX header:
//!
//! ```text
//! {"header":{"version":"1.4","srclang":"en-US","adminlang":"en-US","creationtool":"memoQ",
//!   "creationtoolversion":"9","segtype":"sentence","o-tmf":"memoQ","datatype":"plaintext",
//!   "o-encoding":..,"creationdate":..,"changedate":..,"attrs":[[k,v]],"props":[[t,v]],"notes":[..]}}
//! ```
//!
//! then one object per unit:
//!
//! ```text
//! {"tuid":"7","srclang":"en-US","creationdate":"20240115T120000Z","changedate":..,
//!  "attrs":[["usagecount","2"]],"props":[["x-score","0.97"]],"notes":["checked"],
//!  "variants":[{"lang":"en-US","seg":"Press <ph x=\"1\"/>OK","text":"Press OK",
//!               "attrs":[[k,v]],"props":[[t,v]],"notes":[..]}, ...]}
//! ```
//!
//! Empty and absent fields are omitted. `seg` is the segment markup (absent with `strip_tags`),
//! `text` its plain text. Reading takes `seg` when present (a `text` that disagrees with it is
//! warned with its line), else `text` as literal text; the
//! header line is optional; unknown fields are an error (nothing is ignored silently). Language
//! tags are kept as written (the TMX writer normalises them).
//!
//! Every table writer drops the characters XML 1.0 forbids (they could not be read back into
//! TMX), warned once per unit. Writers buffer internally (64 KiB), so the sink needs no
//! `BufWriter`.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result, Warning};
use crate::formats::source::Decoded;
use crate::text::xml::{describe_chars, xml_class, XmlClass};
use crate::unit::segment::{push_text, Piece, Segment, Tag};
use crate::unit::{same_lang, Date, Header, Prop, Unit, Variant};

/// A table format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableFormat {
    /// Tab-separated values with a header row.
    Tsv,
    /// Comma-separated values (RFC 4180) with a header row.
    Csv,
    /// JSON Lines: a header object, then one object per unit.
    Jsonl,
}

/// How to write or read a table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// Writing: plain text instead of segment markup in segment cells.
    pub strip_tags: bool,
    /// Reading: segment cells are plain text, not TMX segment markup.
    pub plain: bool,
    /// The two languages (source, target) of a TSV/CSV file: which to write; when reading, the
    /// languages of a file without a header row.
    pub langs: Option<(String, String)>,
    /// Writing TSV/CSV: the columns after the two language columns; `None`: [`MEMORY_COLUMNS`].
    pub columns: Option<Vec<TableColumn>>,
    /// Writing TSV/CSV: leave out the header row (a file only a reader given the languages
    /// can read back).
    pub no_header: bool,
    /// Reading: the largest row (a line, a CSV record, a JSON line) accepted, in bytes; `None`:
    /// [`DEFAULT_MAX_UNIT_BYTES`](crate::formats::DEFAULT_MAX_UNIT_BYTES).
    pub max_unit_bytes: Option<u64>,
}

/// The output buffer is handed to the sink when it grows past this.
const FLUSH_AT: usize = 64 * 1024;

/// Units with a missing or extra language listed one by one before they are only counted.
const LISTED: u64 = 20;

/// A quoted CSV cell spanning more lines than this is refused as a stray quote: a segment,
/// note or props cell of a memory is a sentence or a paragraph, never a thousand lines.
const MAX_CELL_LINES: u64 = 1000;

/// A named TSV/CSV column after the two language columns: one schema for every table bitext
/// writes, read back by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableColumn {
    /// `tuid`: the unit's `tuid`.
    Tuid,
    /// `score`: the unit's `x-score` prop (the aligner's confidence).
    Score,
    /// `type`: the unit's `x-link` prop (the aligner's link type, `2-1`).
    Type,
    /// `creationdate`: `YYYYMMDDThhmmssZ`.
    CreationDate,
    /// `changedate`: likewise.
    ChangeDate,
    /// `props`: the props no other column holds, as compact JSON pairs.
    Props,
    /// `notes`: the notes as a JSON array.
    Notes,
}

impl TableColumn {
    /// The column's name in the header row.
    pub fn name(self) -> &'static str {
        match self {
            TableColumn::Tuid => "tuid",
            TableColumn::Score => "score",
            TableColumn::Type => "type",
            TableColumn::CreationDate => "creationdate",
            TableColumn::ChangeDate => "changedate",
            TableColumn::Props => "props",
            TableColumn::Notes => "notes",
        }
    }

    /// The prop type the column holds, for `score` and `type`.
    fn prop(self) -> Option<&'static str> {
        match self {
            TableColumn::Score => Some(SCORE_PROP),
            TableColumn::Type => Some(LINK_PROP),
            _ => None,
        }
    }
}

/// The prop holding the aligner's confidence, written to the `score` column.
pub const SCORE_PROP: &str = "x-score";
/// The prop holding the aligner's link type (`1-1`, `2-1`), written to the `type` column.
pub const LINK_PROP: &str = "x-link";

/// The columns of a translation memory's table: everything a unit holds that a table can.
pub const MEMORY_COLUMNS: [TableColumn; 5] = [
    TableColumn::Tuid,
    TableColumn::CreationDate,
    TableColumn::ChangeDate,
    TableColumn::Props,
    TableColumn::Notes,
];

/// Every named column, for recognising a header row.
const ALL_COLUMNS: [TableColumn; 7] = [
    TableColumn::Tuid,
    TableColumn::Score,
    TableColumn::Type,
    TableColumn::CreationDate,
    TableColumn::ChangeDate,
    TableColumn::Props,
    TableColumn::Notes,
];

/// The columns of an alignment's table (`bitext align -f tsv`): the confidence and link type.
pub const ALIGNMENT_COLUMNS: [TableColumn; 2] = [TableColumn::Score, TableColumn::Type];

// ===================================================================================== writing

/// Writes units as TSV, CSV or JSON Lines; see the [module docs](self).
pub struct TableWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
    format: TableFormat,
    options: TableOptions,
    header: Header,
    /// The two languages, once chosen (TSV/CSV).
    langs: Option<(String, String)>,
    warnings: Vec<Warning>,
    written: u64,
    incomplete: u64,
    /// Units written without one of the two languages (an empty cell).
    one_sided: u64,
    /// Variants not written, per language (the first [`LISTED`] languages; the rest under "").
    not_written: Vec<(String, u64)>,
    /// True when the two languages were chosen from the first unit, not given.
    langs_from_first_unit: bool,
    warned_lossy: bool,
    warned_plain_breaks: bool,
    dropped: Vec<char>,
    /// Scratch for one cell.
    cell: String,
}

impl<W: Write> TableWriter<W> {
    /// Starts a table. JSON Lines gets its header line now; TSV/CSV get their header row with
    /// the first unit (whose languages may be needed to choose the columns) or at `finish`.
    pub fn new(
        out: W,
        format: TableFormat,
        header: &Header,
        options: TableOptions,
    ) -> io::Result<Self> {
        let langs = options.langs.as_ref().map(|(s, t)| {
            (
                crate::tm::normalize_lang(s).0,
                crate::tm::normalize_lang(t).0,
            )
        });
        let mut w = TableWriter {
            out,
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            format,
            options,
            header: header.clone(),
            langs,
            warnings: Vec::new(),
            written: 0,
            incomplete: 0,
            one_sided: 0,
            not_written: Vec::new(),
            langs_from_first_unit: false,
            warned_lossy: false,
            warned_plain_breaks: false,
            dropped: Vec::new(),
            cell: String::new(),
        };
        if format == TableFormat::Jsonl {
            let h = json_header(header);
            serde_json::to_writer(&mut w.buf, &JHeaderLine { header: h })
                .map_err(io::Error::other)?;
            w.buf.push(b'\n');
        }
        Ok(w)
    }

    /// Warnings so far, removed from the writer.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    /// The number of units written.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// The number of units written without one of the two languages or without some of their
    /// other languages (TSV/CSV).
    pub fn incomplete(&self) -> u64 {
        self.incomplete
    }

    /// The two languages of the TSV/CSV columns, once chosen.
    pub fn langs(&self) -> Option<&(String, String)> {
        self.langs.as_ref()
    }

    /// Writes one unit; `Ok(false)` when it was skipped (a warning says why).
    pub fn write(&mut self, unit: &Unit) -> io::Result<bool> {
        self.dropped.clear();
        let wrote = match self.format {
            TableFormat::Jsonl => self.write_json(unit)?,
            TableFormat::Tsv | TableFormat::Csv => self.write_row(unit),
        };
        if !self.dropped.is_empty() {
            let msg = format!(
                "dropped {} character(s) not allowed in XML 1.0 ({})",
                self.dropped.len(),
                describe_chars(&self.dropped)
            );
            self.warn_unit(unit, msg);
        }
        if wrote {
            self.written += 1;
        }
        if self.buf.len() >= FLUSH_AT {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(wrote)
    }

    /// Writes what is left (the header row of an empty TSV/CSV table), flushes the sink and
    /// returns it.
    pub fn finish(mut self) -> io::Result<W> {
        if self.format != TableFormat::Jsonl && self.written == 0 && self.buf.is_empty() {
            let langs = self.langs.clone().unwrap_or_else(|| {
                let src = self
                    .header
                    .srclang
                    .as_deref()
                    .filter(|s| *s != "*all*" && !s.trim().is_empty())
                    .map(|s| crate::tm::normalize_lang(s).0)
                    .unwrap_or_else(|| "und".to_string());
                (src, "und".to_string())
            });
            self.header_row(&langs);
        }
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()?;
        Ok(self.out)
    }

    fn warn_unit(&mut self, unit: &Unit, message: impl Into<String>) {
        let at = if unit.line > 0 {
            format!("unit {} (line {})", unit.number, unit.line)
        } else {
            format!("unit {}", unit.number)
        };
        self.warnings.push(Warning::new(at, message));
    }

    // ----- TSV / CSV -----

    /// Chooses the two languages from the options, the header and the first unit.
    fn choose_langs(&mut self, unit: &Unit) -> (String, String) {
        if let Some(l) = &self.langs {
            return l.clone();
        }
        let src = unit
            .source_lang(&self.header)
            .filter(|s| !s.trim().is_empty())
            .or_else(|| unit.variants.first().map(|v| v.lang.as_str()))
            .unwrap_or("und")
            .to_string();
        let tgt = unit
            .variants
            .iter()
            .find(|v| !same_lang(&v.lang, &src))
            .map(|v| v.lang.clone());
        let tgt = match tgt {
            Some(t) => t,
            None => {
                self.warnings.push(Warning::new(
                    "table",
                    format!(
                        "the first unit has no language besides {src}; the target column is \
                         named \"und\" (name the languages to choose them)"
                    ),
                ));
                "und".to_string()
            }
        };
        let langs = (
            crate::tm::normalize_lang(&src).0,
            crate::tm::normalize_lang(&tgt).0,
        );
        self.langs = Some(langs.clone());
        self.langs_from_first_unit = true;
        langs
    }

    /// The totals of what the table could not hold (units written without one of its two
    /// languages, variants in other languages left out, per language), as one warning, so a
    /// summary never reports those units as simply written; empty when nothing was lost.
    pub fn end_warnings(&mut self) -> Vec<Warning> {
        if self.incomplete == 0 {
            return Vec::new();
        }
        let Some((src, tgt)) = self.langs.clone() else {
            return Vec::new();
        };
        let mut parts = Vec::new();
        if self.one_sided > 0 {
            parts.push(format!(
                "{} written with an empty {src} or {tgt} cell",
                self.one_sided
            ));
        }
        for (lang, n) in &self.not_written {
            let lang = if lang.is_empty() { "other" } else { lang };
            parts.push(format!("{n} lost their {lang} variant"));
        }
        let chosen = if self.langs_from_first_unit {
            format!(
                "the columns are {src} and {tgt}, chosen from the first unit: name the languages \
                 (--src-lang, --tgt-lang) to choose others"
            )
        } else {
            format!("the columns are {src} and {tgt}")
        };
        vec![Warning::new(
            "table",
            format!(
                "{} of {} unit(s) written incompletely ({}); {chosen}, or write JSON lines to \
                 keep every language",
                self.incomplete,
                self.written,
                parts.join(", ")
            ),
        )]
    }

    fn header_row(&mut self, langs: &(String, String)) {
        let sep = self.separator();
        if self.options.no_header {
            return;
        }
        let mut cells: Vec<&str> = vec![&langs.0, &langs.1];
        cells.extend(self.columns().iter().map(|c| c.name()));
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                self.buf.push(sep);
            }
            let c = if self.format == TableFormat::Tsv {
                c.replace(['\t', '\r', '\n'], " ")
            } else {
                c.to_string()
            };
            put_cell(&mut self.buf, &c, self.format);
        }
        self.buf.push(b'\n');
    }

    /// Writes a cell of plain text (a tuid, a date, a score): TAB and line breaks become a space
    /// in TSV, warned.
    fn plain_cell(&mut self, unit: &Unit, c: &str) {
        self.cell.clear();
        clean_into(&mut self.cell, c, &mut self.dropped);
        if self.format == TableFormat::Tsv && self.cell.contains(['\t', '\r', '\n']) {
            self.cell = self.cell.replace(['\t', '\r', '\n'], " ");
            let msg = format!("TAB or line break in \"{c}\" written as a space");
            self.warn_unit(unit, msg);
        }
        put_cell(&mut self.buf, &self.cell, self.format);
    }

    fn columns(&self) -> &[TableColumn] {
        self.options.columns.as_deref().unwrap_or(&MEMORY_COLUMNS)
    }

    fn separator(&self) -> u8 {
        if self.format == TableFormat::Tsv {
            b'\t'
        } else {
            b','
        }
    }

    fn write_row(&mut self, unit: &Unit) -> bool {
        let first = self.written == 0 && self.buf.is_empty();
        let langs = self.choose_langs(unit);
        if first {
            self.header_row(&langs);
        }
        let src = unit.variant(&langs.0);
        let tgt = unit.variant(&langs.1);
        if src.is_none() && tgt.is_none() {
            let have: Vec<&str> = unit.variants.iter().map(|v| v.lang.as_str()).collect();
            let msg = format!(
                "unit skipped: it has neither {} nor {} (it has {})",
                langs.0,
                langs.1,
                have.join(", ")
            );
            self.warn_unit(unit, msg);
            return false;
        }
        // What the table cannot keep.
        let others: Vec<&str> = unit
            .variants
            .iter()
            .filter(|v| {
                !(src.is_some_and(|s| std::ptr::eq(s, *v))
                    || tgt.is_some_and(|t| std::ptr::eq(t, *v)))
            })
            .map(|v| v.lang.as_str())
            .collect();
        let missing = if src.is_none() {
            Some(&langs.0)
        } else if tgt.is_none() {
            Some(&langs.1)
        } else {
            None
        };
        if missing.is_some() || !others.is_empty() {
            self.incomplete += 1;
            self.one_sided += u64::from(missing.is_some());
            for lang in &others {
                let mut lang = crate::tm::normalize_lang(lang).0;
                let known = self.not_written.iter().any(|(l, _)| *l == lang);
                if !known && self.not_written.len() >= LISTED as usize {
                    lang = String::new(); // counted as "other"
                }
                match self.not_written.iter_mut().find(|(l, _)| *l == lang) {
                    Some((_, n)) => *n += 1,
                    None => self.not_written.push((lang, 1)),
                }
            }
            if self.incomplete <= LISTED {
                let mut parts = Vec::new();
                if let Some(m) = missing {
                    parts.push(format!("it has no {m} variant (written as an empty cell)"));
                }
                if !others.is_empty() {
                    parts.push(format!(
                        "its {} variant(s) are not written (a table keeps {} and {})",
                        others.join(", "),
                        langs.0,
                        langs.1
                    ));
                }
                let mut msg = parts.join("; ");
                if self.incomplete == LISTED {
                    msg.push_str(
                        "; further units like this are counted, not listed (use JSON Lines to \
                         keep every language)",
                    );
                }
                self.warn_unit(unit, msg);
            }
        }
        let lossy = !unit.other_attrs.is_empty()
            || unit
                .srclang
                .as_deref()
                .is_some_and(|s| !same_lang(s, &langs.0))
            || [src, tgt]
                .iter()
                .flatten()
                .any(|v| !v.props.is_empty() || !v.notes.is_empty() || !v.other_attrs.is_empty());
        if lossy && !self.warned_lossy {
            self.warned_lossy = true;
            self.warn_unit(
                unit,
                "a table has no columns for variant props, notes and attributes, unit attributes \
                 other than tuid and the dates, or a unit's own srclang: they are not written \
                 (reported once; use JSON Lines to keep them)",
            );
        }
        let sep = self.separator();
        let format = self.format;
        // Segment cells.
        for (i, v) in [src, tgt].into_iter().enumerate() {
            if i > 0 {
                self.buf.push(sep);
            }
            let Some(v) = v else { continue };
            self.cell.clear();
            let mut broke = false;
            if self.options.strip_tags {
                let plain = v.segment.plain_text();
                clean_into(&mut self.cell, &plain, &mut self.dropped);
                if format == TableFormat::Tsv && self.cell.contains(['\t', '\r', '\n']) {
                    broke = true;
                    self.cell = self.cell.replace(['\t', '\r', '\n'], " ");
                }
            } else {
                let xml = v.segment.to_xml();
                clean_into(&mut self.cell, &xml, &mut self.dropped);
                if format == TableFormat::Tsv && self.cell.contains(['\t', '\n']) {
                    self.cell = self.cell.replace('\t', "&#9;").replace('\n', "&#10;");
                }
            }
            if broke && !self.warned_plain_breaks {
                self.warned_plain_breaks = true;
                self.warn_unit(
                    unit,
                    "TAB or line break in plain text written as a space (TSV cannot quote; \
                     reported once)",
                );
            }
            put_cell(&mut self.buf, &self.cell, format);
        }
        let columns = self.columns().to_vec();
        let own_props: Vec<&str> = columns.iter().filter_map(|c| c.prop()).collect();
        for column in columns {
            self.buf.push(sep);
            match column {
                TableColumn::Tuid | TableColumn::CreationDate | TableColumn::ChangeDate => {
                    let c = match column {
                        TableColumn::Tuid => unit.tuid.clone(),
                        TableColumn::CreationDate => unit.creationdate.as_ref().map(Date::to_tmx),
                        _ => unit.changedate.as_ref().map(Date::to_tmx),
                    };
                    if let Some(c) = c {
                        self.plain_cell(unit, &c);
                    }
                }
                TableColumn::Score | TableColumn::Type => {
                    let kind = column.prop().unwrap_or_default();
                    if let Some(p) = unit.props.iter().find(|p| p.kind == kind) {
                        self.plain_cell(unit, &p.value.clone());
                    }
                }
                TableColumn::Props => {
                    let pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = unit
                        .props
                        .iter()
                        .filter(|p| !own_props.contains(&p.kind.as_str()))
                        .map(|p| {
                            (
                                clean(&p.kind, &mut self.dropped),
                                clean(&p.value, &mut self.dropped),
                            )
                        })
                        .collect();
                    if !pairs.is_empty() {
                        let json = serde_json::to_string(&pairs).unwrap_or_default();
                        put_cell(&mut self.buf, &json, format);
                    }
                }
                TableColumn::Notes => {
                    if !unit.notes.is_empty() {
                        let notes: Vec<Cow<'_, str>> = unit
                            .notes
                            .iter()
                            .map(|n| clean(n, &mut self.dropped))
                            .collect();
                        let json = serde_json::to_string(&notes).unwrap_or_default();
                        put_cell(&mut self.buf, &json, format);
                    }
                }
            }
        }
        self.buf.push(b'\n');
        true
    }

    // ----- JSON Lines -----

    fn write_json(&mut self, unit: &Unit) -> io::Result<bool> {
        let d = &mut self.dropped;
        let strip = self.options.strip_tags;
        let variants: Vec<JVariantOut<'_>> = unit
            .variants
            .iter()
            .map(|v| {
                let text = v.segment.plain_text();
                JVariantOut {
                    lang: clean(&v.lang, d),
                    seg: (!strip).then(|| clean(&v.segment.to_xml(), d).into_owned()),
                    text: clean(&text, d).into_owned(),
                    attrs: pairs(&v.other_attrs, d),
                    props: props(&v.props, d),
                    notes: v.notes.iter().map(|n| clean(n, d)).collect(),
                }
            })
            .collect();
        let j = JUnitOut {
            tuid: unit.tuid.as_deref().map(|t| clean(t, d)),
            srclang: unit.srclang.as_deref().map(|t| clean(t, d)),
            creationdate: unit.creationdate.as_ref().map(Date::to_tmx),
            changedate: unit.changedate.as_ref().map(Date::to_tmx),
            attrs: pairs(&unit.other_attrs, d),
            props: props(&unit.props, d),
            notes: unit.notes.iter().map(|n| clean(n, d)).collect(),
            variants,
        };
        serde_json::to_writer(&mut self.buf, &j).map_err(io::Error::other)?;
        self.buf.push(b'\n');
        Ok(true)
    }
}

/// Appends a cell: as is for TSV (already made safe), RFC 4180-quoted when needed for CSV, and
/// as is for JSON Lines (not used).
fn put_cell(buf: &mut Vec<u8>, cell: &str, format: TableFormat) {
    if format == TableFormat::Csv && cell.contains([',', '"', '\r', '\n']) {
        buf.push(b'"');
        for part in cell.split('"').enumerate() {
            if part.0 > 0 {
                buf.extend_from_slice(b"\"\"");
            }
            buf.extend_from_slice(part.1.as_bytes());
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(cell.as_bytes());
    }
}

/// `s` without the characters XML 1.0 forbids (noted in `dropped`).
fn clean<'a>(s: &'a str, dropped: &mut Vec<char>) -> Cow<'a, str> {
    if !s.chars().any(|c| xml_class(c) == XmlClass::Illegal) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    clean_into(&mut out, s, dropped);
    Cow::Owned(out)
}

/// Appends `s` to `out` without the characters XML 1.0 forbids (noted in `dropped`).
fn clean_into(out: &mut String, s: &str, dropped: &mut Vec<char>) {
    for c in s.chars() {
        if xml_class(c) == XmlClass::Illegal {
            dropped.push(c);
        } else {
            out.push(c);
        }
    }
}

fn pairs<'a>(v: &'a [(String, String)], d: &mut Vec<char>) -> Vec<(Cow<'a, str>, Cow<'a, str>)> {
    v.iter().map(|(k, x)| (clean(k, d), clean(x, d))).collect()
}

fn props<'a>(v: &'a [Prop], d: &mut Vec<char>) -> Vec<(Cow<'a, str>, Cow<'a, str>)> {
    v.iter()
        .map(|p| (clean(&p.kind, d), clean(&p.value, d)))
        .collect()
}

fn json_header(h: &Header) -> JHeader {
    JHeader {
        version: h.version.clone(),
        srclang: h.srclang.clone(),
        adminlang: h.adminlang.clone(),
        creationtool: h.creationtool.clone(),
        creationtoolversion: h.creationtoolversion.clone(),
        segtype: h.segtype.clone(),
        o_tmf: h.o_tmf.clone(),
        datatype: h.datatype.clone(),
        o_encoding: h.o_encoding.clone(),
        creationdate: h.creationdate.as_ref().map(Date::to_tmx),
        changedate: h.changedate.as_ref().map(Date::to_tmx),
        attrs: h.other_attrs.clone(),
        props: h
            .props
            .iter()
            .map(|p| (p.kind.clone(), p.value.clone()))
            .collect(),
        notes: h.notes.clone(),
    }
}

// ----- JSON shapes -----

#[derive(Serialize)]
struct JUnitOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    tuid: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    srclang: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creationdate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    changedate: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<Cow<'a, str>>,
    variants: Vec<JVariantOut<'a>>,
}

#[derive(Serialize)]
struct JVariantOut<'a> {
    lang: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seg: Option<String>,
    text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JUnitIn {
    #[serde(default)]
    tuid: Option<String>,
    #[serde(default)]
    srclang: Option<String>,
    #[serde(default)]
    creationdate: Option<String>,
    #[serde(default)]
    changedate: Option<String>,
    #[serde(default)]
    attrs: Vec<(String, String)>,
    #[serde(default)]
    props: Vec<(String, String)>,
    #[serde(default)]
    notes: Vec<String>,
    variants: Vec<JVariantIn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JVariantIn {
    lang: String,
    #[serde(default)]
    seg: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    attrs: Vec<(String, String)>,
    #[serde(default)]
    props: Vec<(String, String)>,
    #[serde(default)]
    notes: Vec<String>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct JHeader {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    srclang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    adminlang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    creationtool: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    creationtoolversion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    segtype: Option<String>,
    #[serde(default, rename = "o-tmf", skip_serializing_if = "Option::is_none")]
    o_tmf: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    datatype: Option<String>,
    #[serde(
        default,
        rename = "o-encoding",
        skip_serializing_if = "Option::is_none"
    )]
    o_encoding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    creationdate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    changedate: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    attrs: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    props: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JHeaderLine {
    header: JHeader,
}

// ===================================================================================== reading

/// What a TSV/CSV column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    Source,
    Target,
    Tuid,
    CreationDate,
    ChangeDate,
    Props,
    Notes,
    /// A column kept as a prop of this type (`score` -> `x-score`, ...).
    Prop(String),
}

/// One cell of a TSV/CSV row with where it starts.
struct Cell {
    text: String,
    line: u64,
    column: u64,
}

/// Why a row could not be read.
enum Fail {
    /// The input cannot be read further.
    Fatal(Error),
    /// Only this row is unusable.
    Row(Error),
}

/// Reads units from TSV, CSV or JSON Lines, streaming; see the [module docs](self).
pub struct TableReader<R: BufRead> {
    input: BufReader<Decoded<R>>,
    path: PathBuf,
    format: TableFormat,
    options: TableOptions,
    lenient: bool,
    header: Header,
    columns: Vec<Column>,
    /// The target column's language.
    target: String,
    /// The first data row, read while looking for the header row.
    pending: Option<Vec<Cell>>,
    /// The first JSON line when it is a unit.
    pending_json: Option<(u64, serde_json::Value)>,
    warnings: Vec<Warning>,
    /// Lines read so far.
    line: u64,
    /// Units yielded or skipped so far.
    rows: u64,
    raw: Vec<u8>,
    done: bool,
    /// The largest line, CSV record or JSON line accepted, in bytes.
    max_unit_bytes: u64,
}

impl<R: BufRead> TableReader<R> {
    /// Starts reading `input` (named `path` in messages) and reads the header row or line.
    pub fn new(
        input: R,
        path: impl Into<PathBuf>,
        format: TableFormat,
        options: TableOptions,
    ) -> Result<Self> {
        let path = path.into();
        let decoded = Decoded::new(input).map_err(|e| Error::io(&path, e))?;
        let max_unit_bytes = options
            .max_unit_bytes
            .unwrap_or(crate::formats::DEFAULT_MAX_UNIT_BYTES);
        let mut r = TableReader {
            input: BufReader::with_capacity(64 * 1024, decoded),
            path,
            format,
            options,
            lenient: false,
            header: Header::default(),
            columns: Vec::new(),
            target: String::new(),
            pending: None,
            pending_json: None,
            warnings: Vec::new(),
            line: 0,
            rows: 0,
            raw: Vec::new(),
            done: false,
            max_unit_bytes,
        };
        match format {
            TableFormat::Jsonl => r.json_start()?,
            TableFormat::Tsv | TableFormat::Csv => r.table_start()?,
        }
        Ok(r)
    }

    /// Skip a broken row with a warning naming it instead of stopping with an error.
    pub fn lenient(mut self, lenient: bool) -> Self {
        self.lenient = lenient;
        self
    }

    /// The header: for TSV/CSV `srclang` is the source column's language; for JSON Lines the
    /// header line's content (default when there is none).
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Warnings so far, removed from the reader.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    /// The file's name as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    // ----- lines -----

    /// The next line without its line ending, or `None` at the end; counts lines.
    fn next_line(&mut self) -> Result<Option<String>> {
        self.raw.clear();
        // Bounded: a line longer than the limit is refused before it is all in memory.
        let n = (&mut self.input)
            .take(self.max_unit_bytes.saturating_add(1))
            .read_until(b'\n', &mut self.raw)
            .map_err(|e| self.io_error(e))?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        if self.raw.len() as u64 > self.max_unit_bytes && self.raw.last() != Some(&b'\n') {
            return Err(self.error(
                self.line,
                1,
                format!(
                    "line {} is longer than {} bytes (--max-unit-bytes): one row or unit that \
                     large is refused rather than read into memory; raise the limit if it is \
                     genuine",
                    self.line, self.max_unit_bytes
                ),
            ));
        }
        if self.raw.last() == Some(&b'\n') {
            self.raw.pop();
            if self.raw.last() == Some(&b'\r') {
                self.raw.pop();
            }
        }
        match std::str::from_utf8(&self.raw) {
            Ok(s) => Ok(Some(s.to_string())),
            Err(e) => {
                let good = &self.raw[..e.valid_up_to()];
                let column = String::from_utf8_lossy(good).chars().count() as u64 + 1;
                Err(self.error(
                    self.line,
                    column,
                    "invalid UTF-8 (tables are read as UTF-8 or UTF-16 with a byte-order mark)",
                ))
            }
        }
    }

    fn io_error(&self, e: io::Error) -> Error {
        let decoded = self.input.get_ref();
        match decoded.failure {
            Some(byte) => ErrorKind::Decode {
                path: self.path.clone(),
                encoding: decoded.detected.name(),
                byte,
            }
            .into(),
            None => Error::io(&self.path, e),
        }
    }

    fn error(&self, line: u64, column: u64, message: impl Into<String>) -> Error {
        ErrorKind::Xml {
            path: self.path.clone(),
            line,
            column,
            message: message.into(),
        }
        .into()
    }

    // ----- TSV / CSV -----

    /// The next row's cells, or `None` at the end; blank lines are skipped.
    fn next_cells(&mut self) -> Result<Option<Vec<Cell>>> {
        loop {
            let Some(line) = self.next_line()? else {
                return Ok(None);
            };
            if line.is_empty() {
                continue;
            }
            return match self.format {
                TableFormat::Csv => self.csv_record(line).map(Some),
                _ => {
                    let mut cells = Vec::new();
                    let mut column = 1;
                    for part in line.split('\t') {
                        let n = part.chars().count() as u64;
                        cells.push(Cell {
                            text: part.to_string(),
                            line: self.line,
                            column,
                        });
                        column += n + 1;
                    }
                    Ok(Some(cells))
                }
            };
        }
    }

    /// One RFC 4180 record starting with `line` (quoted cells may span lines).
    fn csv_record(&mut self, mut line: String) -> Result<Vec<Cell>> {
        let mut cells = Vec::new();
        let mut cur = String::new();
        let mut cell_line = self.line;
        let mut cell_col = 1u64;
        let mut col = 1u64; // column of the next character on the current line
        let mut quoted = false; // inside quotes
        let mut was_quoted = false;
        let mut after_quote = false; // a closing quote was seen; only `,` or the end may follow
        let mut opened = (0u64, 0u64); // line:column of the opening quote of the current cell
        let mut row_like = 0u32; // lines of the quoted cell that look like whole rows
        let mut record_bytes = line.len() as u64; // the record so far, all its lines
        loop {
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                if quoted {
                    if c == '"' {
                        if chars.peek() == Some(&'"') {
                            chars.next();
                            col += 1;
                            cur.push('"');
                        } else {
                            quoted = false;
                            after_quote = true;
                        }
                    } else {
                        cur.push(c);
                    }
                } else if c == ',' {
                    cells.push(Cell {
                        text: std::mem::take(&mut cur),
                        line: cell_line,
                        column: cell_col + u64::from(was_quoted),
                    });
                    was_quoted = false;
                    after_quote = false;
                    cell_line = self.line;
                    cell_col = col + 1;
                } else if after_quote {
                    return Err(self.error(
                        self.line,
                        col,
                        "CSV: a quoted cell must end at its closing quote (RFC 4180); write \"\" \
                         for a quote inside it",
                    ));
                } else if c == '"' && cur.is_empty() && !was_quoted {
                    quoted = true;
                    was_quoted = true;
                    opened = (self.line, col);
                    row_like = 0;
                } else {
                    cur.push(c);
                }
                col += 1;
            }
            if !quoted {
                break;
            }
            // A quoted cell goes on on the next line.
            let (open_line, open_col) = opened;
            match self.next_line()? {
                Some(next) => {
                    cur.push('\n');
                    let spans = self.line - open_line + 1;
                    if spans > MAX_CELL_LINES {
                        return Err(self.error(
                            open_line,
                            open_col,
                            format!(
                                "CSV: the quoted cell opened here runs past line {} ({} lines;                                  a segment of a memory never needs {MAX_CELL_LINES}): a stray or                                  unclosed quote? Close it, or write \"\" for a quote inside a cell",
                                self.line, spans
                            ),
                        ));
                    }
                    record_bytes += next.len() as u64 + 1;
                    if record_bytes > self.max_unit_bytes {
                        return Err(self.error(
                            open_line,
                            open_col,
                            format!(
                                "CSV: the quoted cell opened here takes its record past {} bytes by \
                                 line {} (--max-unit-bytes): a stray or unclosed quote, or raise \
                                 the limit",
                                self.max_unit_bytes, self.line
                            ),
                        ));
                    }
                    if self.looks_like_row(&next) {
                        row_like += 1;
                        if row_like == 1 {
                            self.warnings.push(Warning::new(
                                format!("{}:{open_line}:{open_col}", self.path.display()),
                                format!(
                                    "CSV: the quoted cell opened here runs on to line {}, which \
                                     looks like a whole row ({} cells): read as part of the \
                                     cell; check for a stray quote",
                                    self.line,
                                    self.columns.len()
                                ),
                            ));
                        }
                        if row_like >= self.row_like_limit() {
                            return Err(self.error(
                                open_line,
                                open_col,
                                format!(
                                    "CSV: the quoted cell opened here runs on to line {}, which \
                                     looks like a whole row ({} cells, as the header has): a \
                                     stray or unclosed quote? Close it, or write \"\" for a quote \
                                     inside a cell",
                                    self.line,
                                    self.columns.len()
                                ),
                            ));
                        }
                    }
                    line = next;
                    col = 1;
                }
                None => {
                    return Err(self.error(
                        open_line,
                        open_col,
                        format!(
                            "CSV: the quoted cell opened here is never closed: the file ends at \
                             line {} (a missing closing quote)",
                            self.line
                        ),
                    ))
                }
            }
        }
        cells.push(Cell {
            text: cur,
            line: cell_line,
            column: cell_col + u64::from(was_quoted),
        });
        Ok(cells)
    }

    /// The error for a file with no header and no unit: empty, or blank lines only.
    fn empty_file(&self) -> Error {
        let what = if self.line == 0 {
            "the file is empty".to_string()
        } else {
            format!("the file holds only blank lines ({})", self.line)
        };
        Error::input(
            &self.path,
            format!(
                "{what}: no header row and no unit to read (as with a 0-byte TMX, nothing is \
                 written)"
            ),
        )
    }

    /// True when `line`, met inside a quoted CSV cell, holds no quote (so the cell does not end
    /// on it) and as many comma-separated cells as the table has columns: the shape of a row
    /// swallowed by a stray quote.
    fn looks_like_row(&self, line: &str) -> bool {
        self.columns.len() >= 2
            && !line.contains('"')
            && line.split(',').count() == self.columns.len()
    }

    /// How many row-shaped lines a quoted cell may hold before it is refused (the first is
    /// always warned): two with four or more columns (a line of prose holding exactly that many
    /// commas is rare), three with fewer (a line holding one or two commas is common; three
    /// such lines in one cell are not). The count does not depend on the file's size.
    fn row_like_limit(&self) -> u32 {
        if self.columns.len() >= 4 {
            2
        } else {
            3
        }
    }

    /// Reads the header row (or recognises its absence) and sets up the columns.
    fn table_start(&mut self) -> Result<()> {
        let Some(first) = self.next_cells()? else {
            // Like a 0-byte TMX: nothing to read is an error, not an empty memory.
            return Err(self.empty_file());
        };
        let looks_like_header = first.len() >= 2
            && looks_like_lang(&first[0].text)
            && looks_like_lang(&first[1].text)
            && first[2..]
                .iter()
                .all(|c| c.text.trim().parse::<f64>().is_err());
        // With the languages given, the header row is the one naming them; a row that names
        // others next to bitext's column names is a header for other languages: refused.
        let is_header = match &self.options.langs {
            None => looks_like_header,
            Some((s, t)) => {
                let (a, b) = (
                    first[0].text.trim(),
                    first.get(1).map_or("", |c| c.text.trim()),
                );
                let named = same_lang(a, s) && same_lang(b, t);
                let known = |c: &Cell| {
                    ALL_COLUMNS
                        .iter()
                        .any(|k| c.text.trim().eq_ignore_ascii_case(k.name()))
                };
                if !named && looks_like_header && first.len() > 2 && first[2..].iter().all(known) {
                    return Err(self.error(
                        first[0].line,
                        1,
                        format!(
                            "the header row names the languages {a}, {b} but {s}, {t} were \
                             asked for"
                        ),
                    ));
                }
                named
            }
        };
        if let Some((s, t)) = &self.options.langs {
            for tag in [s, t] {
                if let Some(why) = crate::tm::invalid_lang(tag) {
                    return Err(Error::usage(format!("--src-lang/--tgt-lang: {why}")));
                }
            }
            if same_lang(s, t) {
                return Err(Error::usage(format!(
                    "--src-lang and --tgt-lang name the same language ({s}, {t})"
                )));
            }
        }
        if is_header {
            let (src, tgt) = (first[0].text.trim(), first[1].text.trim());
            if same_lang(src, tgt) {
                return Err(self.error(
                    first[1].line,
                    first[1].column,
                    format!(
                        "the header row names the language {src} twice (the source and the \
                         target column): the units would hold two {src} variants"
                    ),
                ));
            }
            self.header.srclang = Some(src.to_string());
            self.target = tgt.to_string();
            self.columns = vec![Column::Source, Column::Target];
            for (i, c) in first.iter().enumerate().skip(2) {
                let name = c.text.trim();
                let col = match name.to_ascii_lowercase().as_str() {
                    "tuid" => Column::Tuid,
                    "creationdate" => Column::CreationDate,
                    "changedate" => Column::ChangeDate,
                    "props" => Column::Props,
                    "notes" => Column::Notes,
                    "score" => Column::Prop("x-score".into()),
                    "type" => Column::Prop("x-link".into()),
                    "" => Column::Prop(format!("x-column-{}", i + 1)),
                    _ => Column::Prop(name.to_string()),
                };
                if self.columns.contains(&col) {
                    return Err(self.error(
                        c.line,
                        c.column,
                        format!("the header row names the column \"{name}\" twice"),
                    ));
                }
                self.columns.push(col);
            }
        } else {
            let Some((s, t)) = self.options.langs.clone() else {
                return Err(self.error(
                    first[0].line,
                    1,
                    "no header row: the first two cells are not language tags (a table starts \
                     with a row such as `en-US<TAB>ru-RU<TAB>tuid...`); to read a file without \
                     one, such as `bitext align -f tsv` output, name the two languages (--src-lang \
                     and --tgt-lang)",
                ));
            };
            self.header.srclang = Some(s);
            self.target = t;
            self.columns = vec![Column::Source, Column::Target];
            for i in 2..first.len() {
                self.columns.push(match i {
                    2 => Column::Prop("x-score".into()),
                    3 => Column::Prop("x-link".into()),
                    _ => Column::Prop(format!("x-column-{}", i + 1)),
                });
            }
            self.pending = Some(first);
        }
        Ok(())
    }

    /// The languages of the two segment columns.
    fn column_langs(&self) -> (String, String) {
        (
            self.header.srclang.clone().unwrap_or_default(),
            self.target.clone(),
        )
    }

    fn row(&mut self, cells: Vec<Cell>) -> std::result::Result<Option<Unit>, Fail> {
        let number = self.rows;
        let line = cells.first().map_or(self.line, |c| c.line);
        if cells.len() > self.columns.len() {
            let c = &cells[self.columns.len()];
            return Err(Fail::Row(self.error(
                c.line,
                c.column,
                format!(
                    "unit {number}: the row has {} cells but there are {} columns{}",
                    cells.len(),
                    self.columns.len(),
                    if self.options.plain && self.format == TableFormat::Tsv {
                        " (a TAB inside a plain-text cell?)"
                    } else {
                        ""
                    }
                ),
            )));
        }
        if cells.len() < 2 {
            return Err(Fail::Row(self.error(
                line,
                1,
                format!("unit {number}: the row has one cell; a source and a target are needed"),
            )));
        }
        let (src_lang, tgt_lang) = self.column_langs();
        let mut unit = Unit::new(number, line, Vec::new());
        let mut extra_props = Vec::new();
        for (cell, col) in cells.iter().zip(self.columns.clone()) {
            let text = cell.text.as_str();
            match col {
                Column::Source | Column::Target => {
                    if text.is_empty() {
                        continue;
                    }
                    let (lang, side) = if col == Column::Source {
                        (&src_lang, "source")
                    } else {
                        (&tgt_lang, "target")
                    };
                    let segment = self.segment(cell, side, number)?;
                    unit.variants.push(Variant::new(lang.clone(), segment));
                }
                Column::Tuid => {
                    if !text.is_empty() {
                        unit.tuid = Some(text.to_string());
                    }
                }
                Column::CreationDate | Column::ChangeDate => {
                    if !text.trim().is_empty() {
                        let d = Date::parse(text.trim());
                        if d.utc.is_none() {
                            self.warnings.push(Warning::new(
                                format!("{}:{}:{}", self.path.display(), cell.line, cell.column),
                                format!(
                                    "unit {number}: \"{text}\" is not a date (expected \
                                     YYYYMMDDThhmmssZ or ISO 8601); kept as written"
                                ),
                            ));
                        }
                        if col == Column::CreationDate {
                            unit.creationdate = Some(d);
                        } else {
                            unit.changedate = Some(d);
                        }
                    }
                }
                Column::Props => {
                    if !text.trim().is_empty() {
                        let pairs: Vec<(String, String)> =
                            serde_json::from_str(text).map_err(|e| {
                                Fail::Row(self.error(
                                    cell.line,
                                    cell.column + e.column().saturating_sub(1) as u64,
                                    format!(
                                        "unit {number}: the props cell is not a JSON list of \
                                         [type, value] pairs ({e})"
                                    ),
                                ))
                            })?;
                        unit.props
                            .extend(pairs.into_iter().map(|(kind, value)| Prop { kind, value }));
                    }
                }
                Column::Notes => {
                    let t = text.trim();
                    if t.starts_with('[') {
                        let notes: Vec<String> = serde_json::from_str(t).map_err(|e| {
                            Fail::Row(self.error(
                                cell.line,
                                cell.column + e.column().saturating_sub(1) as u64,
                                format!(
                                    "unit {number}: the notes cell is not a JSON list of \
                                     strings ({e})"
                                ),
                            ))
                        })?;
                        unit.notes.extend(notes);
                    } else if !t.is_empty() {
                        unit.notes.push(text.to_string());
                    }
                }
                Column::Prop(kind) => {
                    if !text.is_empty() {
                        extra_props.push(Prop {
                            kind,
                            value: text.to_string(),
                        });
                    }
                }
            }
        }
        unit.props.extend(extra_props);
        if unit.variants.is_empty() {
            self.warnings.push(Warning::new(
                format!("{}:{}", self.path.display(), line),
                format!("unit {number} skipped: both its segment cells are empty"),
            ));
            return Ok(None);
        }
        Ok(Some(unit))
    }

    /// A segment cell: markup parsed, or literal text with `plain` (kept as it is: characters
    /// XML 1.0 forbids are dropped, with a warning, by whichever writer cannot hold them).
    fn segment(&self, cell: &Cell, side: &str, number: u64) -> std::result::Result<Segment, Fail> {
        if self.options.plain {
            return Ok(Segment::from_text(cell.text.as_str()));
        }
        parse_segment(&cell.text).map_err(|(at, msg)| {
            let (line, column) = position_in(cell, at);
            Fail::Row(self.error(
                line,
                column,
                format!(
                    "unit {number} ({side}): {msg}; if the cells are plain text, not TMX \
                     segment markup, read with --plain"
                ),
            ))
        })
    }

    // ----- JSON Lines -----

    fn json_start(&mut self) -> Result<()> {
        loop {
            let Some(line) = self.next_line()? else {
                return Err(self.empty_file());
            };
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value = serde_json::from_str(&line).map_err(|e| {
                self.error(self.line, e.column() as u64, format!("invalid JSON: {e}"))
            })?;
            if value.get("header").is_some() {
                let h: JHeaderLine = serde_json::from_value(value)
                    .map_err(|e| self.error(self.line, 1, format!("the header line: {e}")))?;
                for (name, tag) in [
                    ("srclang", &h.header.srclang),
                    ("adminlang", &h.header.adminlang),
                ] {
                    let tag = tag.as_deref().filter(|t| !t.trim().is_empty());
                    if let Some(why) = tag.and_then(crate::tm::invalid_lang) {
                        return Err(self.error(
                            self.line,
                            1,
                            format!("the header line's \"{name}\": {why}"),
                        ));
                    }
                }
                self.header = header_from_json(h.header);
            } else {
                self.pending_json = Some((self.line, value));
            }
            return Ok(());
        }
    }

    fn json_unit(&mut self, line: u64, j: JUnitIn) -> std::result::Result<Unit, Fail> {
        let number = self.rows;
        let srclang = j.srclang.as_deref().filter(|s| !s.trim().is_empty());
        if let Some(why) = srclang.and_then(crate::tm::invalid_lang) {
            return Err(Fail::Row(self.error(
                line,
                1,
                format!("unit {number}: \"srclang\": {why}"),
            )));
        }
        if j.variants.is_empty() {
            return Err(Fail::Row(self.error(
                line,
                1,
                format!("unit {number}: \"variants\" is empty"),
            )));
        }
        let mut variants = Vec::with_capacity(j.variants.len());
        for (i, v) in j.variants.into_iter().enumerate() {
            if v.lang.trim().is_empty() {
                return Err(Fail::Row(self.error(
                    line,
                    1,
                    format!("unit {number}: variant {} has an empty \"lang\"", i + 1),
                )));
            }
            if let Some(why) = crate::tm::invalid_lang(&v.lang) {
                return Err(Fail::Row(self.error(
                    line,
                    1,
                    format!("unit {number}: variant {} \"lang\": {why}", i + 1),
                )));
            }
            let text = v.text;
            let segment = match (v.seg, text.as_ref()) {
                (Some(seg), _) if !self.options.plain => {
                    parse_segment(&seg).map_err(|(at, msg)| {
                        let column = seg[..at].chars().count() as u64 + 1;
                        Fail::Row(self.error(
                            line,
                            1,
                            format!(
                                "unit {number}: variant {} ({}) \"seg\", character {column}: {msg}",
                                i + 1,
                                v.lang
                            ),
                        ))
                    })?
                }
                (Some(seg), _) => Segment::from_text(seg),
                (None, Some(text)) => Segment::from_text(text.as_str()),
                (None, None) => {
                    return Err(Fail::Row(self.error(
                        line,
                        1,
                        format!(
                            "unit {number}: variant {} ({}) has neither \"seg\" nor \"text\"",
                            i + 1,
                            v.lang
                        ),
                    )))
                }
            };
            if let Some(text) = &text {
                let plain = segment.plain_text();
                if *text != plain {
                    self.warnings.push(Warning::new(
                        format!("{}:{}", self.path.display(), line),
                        format!(
                            "unit {number}: variant {} ({}): \"text\" ({}) disagrees with \
                             \"seg\" ({}); \"seg\" was read (an edit made only to \"text\" is \
                             not kept: edit \"seg\", or remove it to read \"text\")",
                            i + 1,
                            v.lang,
                            excerpt(text),
                            excerpt(&plain)
                        ),
                    ));
                }
            }
            variants.push(Variant {
                lang: v.lang,
                other_attrs: v.attrs,
                props: v
                    .props
                    .into_iter()
                    .map(|(kind, value)| Prop { kind, value })
                    .collect(),
                notes: v.notes,
                segment,
            });
        }
        let mut date = |name: &str, d: Option<String>| {
            d.map(|d| {
                let parsed = Date::parse(&d);
                if parsed.utc.is_none() {
                    self.warnings.push(Warning::new(
                        format!("{}:{}", self.path.display(), line),
                        format!("unit {number}: {name} \"{d}\" is not a date; kept as written"),
                    ));
                }
                parsed
            })
        };
        let creationdate = date("creationdate", j.creationdate);
        let changedate = date("changedate", j.changedate);
        Ok(Unit {
            number,
            line,
            tuid: j.tuid,
            srclang: j.srclang,
            creationdate,
            changedate,
            other_attrs: j.attrs,
            props: j
                .props
                .into_iter()
                .map(|(kind, value)| Prop { kind, value })
                .collect(),
            notes: j.notes,
            variants,
        })
    }

    /// The next unit or `None`; `Fail::Row` errors may be skipped under `lenient`.
    fn next_unit(&mut self) -> std::result::Result<Option<Unit>, Fail> {
        loop {
            match self.format {
                TableFormat::Jsonl => {
                    let (line, parsed) = match self.pending_json.take() {
                        Some((line, value)) => (line, serde_json::from_value::<JUnitIn>(value)),
                        None => {
                            let Some(text) = self.next_line().map_err(Fail::Fatal)? else {
                                return Ok(None);
                            };
                            if text.trim().is_empty() {
                                continue;
                            }
                            (self.line, serde_json::from_str::<JUnitIn>(&text))
                        }
                    };
                    self.rows += 1;
                    let j = parsed.map_err(|e| {
                        Fail::Row(self.error(
                            line,
                            e.column().max(1) as u64,
                            format!("unit {}: {e}", self.rows),
                        ))
                    })?;
                    return self.json_unit(line, j).map(Some);
                }
                TableFormat::Tsv | TableFormat::Csv => {
                    let cells = match self.pending.take() {
                        Some(c) => c,
                        None => match self.next_cells().map_err(Fail::Fatal)? {
                            Some(c) => c,
                            None => return Ok(None),
                        },
                    };
                    self.rows += 1;
                    match self.row(cells)? {
                        Some(u) => return Ok(Some(u)),
                        None => continue,
                    }
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for TableReader<R> {
    type Item = Result<Unit>;

    fn next(&mut self) -> Option<Result<Unit>> {
        loop {
            if self.done {
                return None;
            }
            match self.next_unit() {
                Ok(Some(u)) => return Some(Ok(u)),
                Ok(None) => {
                    self.done = true;
                    if self.rows == 0 {
                        self.warnings.push(Warning::new(
                            self.path.display().to_string(),
                            "the table holds a header but no unit: nothing was read",
                        ));
                    }
                    return None;
                }
                Err(Fail::Row(e)) if self.lenient => {
                    self.warnings.push(Warning::new(
                        self.path.display().to_string(),
                        format!("row skipped: {e}"),
                    ));
                }
                Err(Fail::Row(e) | Fail::Fatal(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// `s` quoted for a message, cut to its first 40 characters.
fn excerpt(s: &str) -> String {
    let mut cut: String = s.chars().take(40).collect();
    if cut.len() < s.len() {
        cut.push('…');
    }
    format!("{cut:?}")
}

fn header_from_json(h: JHeader) -> Header {
    Header {
        version: h.version,
        srclang: h.srclang,
        adminlang: h.adminlang,
        creationtool: h.creationtool,
        creationtoolversion: h.creationtoolversion,
        segtype: h.segtype,
        o_tmf: h.o_tmf,
        datatype: h.datatype,
        o_encoding: h.o_encoding,
        creationdate: h.creationdate.as_deref().map(Date::parse),
        changedate: h.changedate.as_deref().map(Date::parse),
        other_attrs: h.attrs,
        props: h
            .props
            .into_iter()
            .map(|(kind, value)| Prop { kind, value })
            .collect(),
        notes: h.notes,
    }
}

/// The line and column of byte `at` of a cell's text (a CSV cell may span lines).
fn position_in(cell: &Cell, at: usize) -> (u64, u64) {
    let before = cell.text.get(..at).unwrap_or(&cell.text);
    match before.rfind('\n') {
        None => (cell.line, cell.column + before.chars().count() as u64),
        Some(nl) => (
            cell.line + before.matches('\n').count() as u64,
            before[nl + 1..].chars().count() as u64 + 1,
        ),
    }
}

/// True for a cell that reads as a BCP 47 / TMX language tag (`en`, `en-US`, `en_us`,
/// `zh-Hant-TW`, `x-klingon`).
fn looks_like_lang(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.len() > 35 {
        return false;
    }
    let mut parts = s.split(['-', '_']);
    let first = parts.next().unwrap_or("");
    let first_ok = (2..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_alphabetic())
        || matches!(first, "x" | "i" | "X" | "I");
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

// ============================================================================ segment markup

/// Inline markup nested deeper than this is refused (as the TMX reader does).
const MAX_NESTING: usize = 64;

/// Parses TMX segment markup (the content of a `<seg>`, as [`Segment::to_xml`] writes it) into
/// a [`Segment`], with the TMX reader's rules: only the five XML entities and character
/// references to XML 1.0 `Char`s, no characters XML 1.0 forbids, attribute values normalised
/// (XML 1.0 §3.3.3), line ends normalised to LF, comments and processing instructions skipped,
/// CDATA sections read as text, namespace prefixes dropped (except `xml:`). On error: the byte
/// offset in `xml` and what is wrong.
pub(crate) fn parse_segment(xml: &str) -> std::result::Result<Segment, (usize, String)> {
    let mut p = Parser { s: xml, i: 0 };
    let pieces = p.content(0, None)?;
    Ok(Segment { pieces })
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

type PResult<T> = std::result::Result<T, (usize, String)>;

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }

    fn content(&mut self, depth: usize, open: Option<(&str, usize)>) -> PResult<Vec<Piece>> {
        let mut pieces = Vec::new();
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else {
                return match open {
                    Some((name, at)) => Err((at, format!("<{name}> is not closed"))),
                    None => Ok(pieces),
                };
            };
            match c {
                '<' => {
                    let at = self.i;
                    if rest.starts_with("</") {
                        self.i += 2;
                        let name = self.name()?;
                        self.spaces();
                        if !self.rest().starts_with('>') {
                            return Err((self.i, format!("`>` expected to end </{name}")));
                        }
                        self.i += 1;
                        return match open {
                            Some((o, _)) if o == name => Ok(pieces),
                            Some((o, _)) => Err((at, format!("</{name}> does not close <{o}>"))),
                            None => Err((at, format!("</{name}> closes nothing"))),
                        };
                    } else if let Some(comment) = rest.strip_prefix("<!--") {
                        match comment.find("-->") {
                            Some(end) => self.i += 4 + end + 3,
                            None => return Err((at, "a comment is not closed (-->)".into())),
                        }
                    } else if let Some(body) = rest.strip_prefix("<![CDATA[") {
                        match body.find("]]>") {
                            Some(end) => {
                                let text = &body[..end];
                                self.check_chars(text, at + 9)?;
                                push_text(&mut pieces, &normalize_newlines(text));
                                self.i += 9 + end + 3;
                            }
                            None => return Err((at, "a CDATA section is not closed (]]>)".into())),
                        }
                    } else if rest.starts_with("<?") {
                        match rest.find("?>") {
                            Some(end) => self.i += end + 2,
                            None => {
                                return Err((at, "a processing instruction is not closed".into()))
                            }
                        }
                    } else {
                        self.i += 1;
                        if !self.rest().starts_with(is_name_start) {
                            return Err((
                                at,
                                "`<` does not start a tag (text must write it as &lt;)".into(),
                            ));
                        }
                        if depth >= MAX_NESTING {
                            return Err((
                                at,
                                format!("inline markup nested more than {MAX_NESTING} levels deep"),
                            ));
                        }
                        let qname = self.name()?.to_string();
                        let attrs = self.attributes()?;
                        let empty = if self.rest().starts_with("/>") {
                            self.i += 2;
                            true
                        } else if self.rest().starts_with('>') {
                            self.i += 1;
                            false
                        } else {
                            return Err((self.i, format!("`>` or `/>` expected in <{qname}>")));
                        };
                        let content = if empty {
                            Vec::new()
                        } else {
                            self.content(depth + 1, Some((&qname, at)))?
                        };
                        let name = match qname.rsplit_once(':') {
                            Some((_, l)) => l.to_string(),
                            None => qname,
                        };
                        pieces.push(Piece::Tag(Tag {
                            name,
                            attrs,
                            content,
                        }));
                    }
                }
                '&' => {
                    let c = self.reference()?;
                    let mut tmp = [0u8; 4];
                    push_text(&mut pieces, c.encode_utf8(&mut tmp));
                }
                _ => {
                    let end = rest.find(['<', '&']).unwrap_or(rest.len());
                    let text = &rest[..end];
                    if let Some(k) = text.find("]]>") {
                        return Err((
                            self.i + k,
                            "`]]>` is not allowed in text (write ]]&gt;)".into(),
                        ));
                    }
                    self.check_chars(text, self.i)?;
                    push_text(&mut pieces, &normalize_newlines(text));
                    self.i += end;
                }
            }
        }
    }

    fn check_chars(&self, text: &str, base: usize) -> PResult<()> {
        match text
            .char_indices()
            .find(|&(_, c)| xml_class(c) == XmlClass::Illegal)
        {
            Some((k, c)) => Err((
                base + k,
                format!("character U+{:04X} is not allowed in XML 1.0", c as u32),
            )),
            None => Ok(()),
        }
    }

    fn spaces(&mut self) -> bool {
        let rest = self.rest();
        let n = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
        self.i += n;
        n > 0
    }

    fn name(&mut self) -> PResult<&'a str> {
        let rest = self.rest();
        let end = rest
            .char_indices()
            .find(|&(k, c)| {
                !(if k == 0 {
                    is_name_start(c)
                } else {
                    is_name_char(c)
                })
            })
            .map_or(rest.len(), |(k, _)| k);
        if end == 0 {
            return Err((self.i, "a name expected".into()));
        }
        let start = self.i;
        self.i += end;
        Ok(&self.s[start..start + end])
    }

    fn attributes(&mut self) -> PResult<Vec<(String, String)>> {
        let mut attrs: Vec<(String, String)> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        loop {
            let had_space = self.spaces();
            let rest = self.rest();
            if rest.starts_with('>') || rest.starts_with("/>") || rest.is_empty() {
                return Ok(attrs);
            }
            if !had_space {
                return Err((self.i, "a space expected between attributes".into()));
            }
            let at = self.i;
            let key = self.name()?.to_string();
            self.spaces();
            if !self.rest().starts_with('=') {
                return Err((
                    self.i,
                    format!("`=` expected after the attribute name {key}"),
                ));
            }
            self.i += 1;
            self.spaces();
            let quote = match self.rest().chars().next() {
                Some(q @ ('"' | '\'')) => q,
                _ => return Err((self.i, format!("the value of {key} must be quoted"))),
            };
            self.i += 1;
            let Some(end) = self.rest().find(quote) else {
                return Err((at, format!("the value of {key} is not closed")));
            };
            let raw = &self.s[self.i..self.i + end];
            let value = unescape_attr(raw)
                .map_err(|(k, m)| (self.i + k, format!("attribute {key}: {m}")))?;
            self.i += end + 1;
            if seen.contains(&key) {
                return Err((at, format!("attribute {key} is repeated")));
            }
            seen.push(key.clone());
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            let key = match key.split_once(':') {
                Some(("xml", _)) | None => key,
                Some((_, local)) => local.to_string(),
            };
            attrs.push((key, value));
        }
    }

    /// `&...;` at the current position, resolved.
    fn reference(&mut self) -> PResult<char> {
        let at = self.i;
        let rest = &self.rest()[1..];
        let end = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(k, _)| k);
        let Some(end) = end else {
            return Err((at, "`&` does not start an entity (write &amp;)".into()));
        };
        let name = &rest[..end];
        let c = resolve_reference(name).map_err(|m| (at, m))?;
        self.i += 1 + end + 1;
        Ok(c)
    }
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':'
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.' | '\u{B7}')
}

/// CR LF and a lone CR become LF (XML 1.0 §2.11).
fn normalize_newlines(s: &str) -> Cow<'_, str> {
    if !s.contains('\r') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
}

/// An entity or character reference's name (between `&` and `;`) as its character: the TMX
/// reader's rules, after checking that a name is there at all (a bare `&` in a cell).
fn resolve_reference(name: &str) -> std::result::Result<char, String> {
    let named =
        name.strip_prefix('#').is_some() || (!name.is_empty() && name.chars().all(is_name_char));
    if !named {
        return Err("`&` does not start an entity (write &amp;)".into());
    }
    crate::formats::tmx::resolve_reference(name)
}

/// An attribute value unescaped and normalised (TAB, LF, CR -> space); errors carry the byte
/// offset in `raw`.
fn unescape_attr(raw: &str) -> std::result::Result<String, (usize, String)> {
    let mut out = String::with_capacity(raw.len());
    let mut k = 0;
    while k < raw.len() {
        let rest = &raw[k..];
        let Some(c) = rest.chars().next() else { break };
        match c {
            '<' => return Err((k, "a raw < (write &lt;)".into())),
            '\r' => {
                out.push(' ');
                if rest[1..].starts_with('\n') {
                    k += 1;
                }
            }
            '\t' | '\n' => out.push(' '),
            '&' => {
                let Some(end) = rest.find(';').filter(|&e| e <= 12) else {
                    return Err((k, "`&` does not start an entity (write &amp;)".into()));
                };
                out.push(resolve_reference(&rest[1..end]).map_err(|m| (k, m))?);
                k += end + 1;
                continue;
            }
            c if xml_class(c) == XmlClass::Illegal => {
                return Err((
                    k,
                    format!("character U+{:04X} is not allowed in XML 1.0", c as u32),
                ))
            }
            c => out.push(c),
        }
        k += c.len_utf8();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::formats::tmx::write::tests::{
        arb_unit, assert_valid_tmx, read_all, same_content, tag, text, unit, variant, write_all,
    };
    use crate::formats::tmx::write::WriteOptions;

    fn header() -> Header {
        Header {
            srclang: Some("en-US".into()),
            ..Header::default()
        }
    }

    fn opts() -> TableOptions {
        TableOptions::default()
    }

    fn write_table(
        format: TableFormat,
        units: &[Unit],
        options: TableOptions,
    ) -> (String, Vec<Warning>) {
        let mut w = TableWriter::new(Vec::new(), format, &header(), options).unwrap();
        for u in units {
            w.write(u).unwrap();
        }
        let warnings = w.take_warnings();
        (String::from_utf8(w.finish().unwrap()).unwrap(), warnings)
    }

    fn read_table(
        format: TableFormat,
        data: &str,
        options: TableOptions,
    ) -> Result<(Header, Vec<Unit>, Vec<Warning>)> {
        let mut r = TableReader::new(data.as_bytes(), "t.tsv", format, options)?;
        let units = r.by_ref().collect::<Result<Vec<_>>>()?;
        let warnings = r.take_warnings();
        Ok((r.header().clone(), units, warnings))
    }

    fn sample() -> Unit {
        let mut u = unit(
            1,
            vec![
                variant(
                    "en_US",
                    vec![
                        text("Press "),
                        tag("bpt", &[("i", "1")], vec![text("<b>")]),
                        text("OK,\t\"now\"\nplease & go"),
                        tag("ept", &[("i", "1")], vec![text("</b>")]),
                    ],
                ),
                variant("ru-RU", vec![text("Нажмите ОК")]),
            ],
        );
        u.tuid = Some("7".into());
        u.creationdate = Some(Date::parse("20240115T120000Z"));
        u.props = vec![Prop {
            kind: "x-score".into(),
            value: "0.97".into(),
        }];
        u.notes = vec!["a note".into()];
        u
    }

    fn err_text(e: Error) -> String {
        e.to_string()
    }

    #[test]
    fn tsv_exact_bytes_and_round_trip() {
        let (tsv, warnings) = write_table(TableFormat::Tsv, &[sample()], opts());
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            tsv,
            "en-US\tru-RU\ttuid\tcreationdate\tchangedate\tprops\tnotes\n\
             Press <bpt i=\"1\">&lt;b&gt;</bpt>OK,&#9;\"now\"&#10;please &amp; go<ept i=\"1\">&lt;/b&gt;</ept>\
             \tНажмите ОК\t7\t20240115T120000Z\t\t[[\"x-score\",\"0.97\"]]\t[\"a note\"]\n"
        );
        let (h, units, warnings) = read_table(TableFormat::Tsv, &tsv, opts()).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(h.srclang.as_deref(), Some("en-US"));
        assert_eq!(units.len(), 1);
        let u = &units[0];
        assert_eq!((u.number, u.line), (1, 2));
        assert_eq!(u.variants[0].lang, "en-US");
        assert_eq!(u.variants[0].segment, sample().variants[0].segment);
        assert_eq!(u.variants[1].segment, sample().variants[1].segment);
        assert_eq!(u.props, sample().props);
        assert_eq!(u.notes, sample().notes);
        assert_eq!(u.tuid.as_deref(), Some("7"));
        assert_eq!(u.creationdate, sample().creationdate);
    }

    #[test]
    fn csv_quotes_per_rfc_4180_and_reads_multiline_cells() {
        let (csv, _) = write_table(TableFormat::Csv, &[sample()], opts());
        assert!(csv.starts_with("en-US,ru-RU,tuid,creationdate,changedate,props,notes\n"));
        assert!(csv.contains(
            "\"Press <bpt i=\"\"1\"\">&lt;b&gt;</bpt>OK,\t\"\"now\"\"\nplease &amp; go<ept i=\"\"1\"\">&lt;/b&gt;</ept>\",Нажмите ОК,7,"
        ), "{csv}");
        assert!(csv.ends_with(",\"[[\"\"x-score\"\",\"\"0.97\"\"]]\",\"[\"\"a note\"\"]\"\n"));
        let (_, units, _) = read_table(TableFormat::Csv, &csv, opts()).unwrap();
        assert_eq!(units[0].variants[0].segment, sample().variants[0].segment);
        assert_eq!(units[0].props, sample().props);
        // CR LF line ends and a missing closing quote.
        let crlf = csv.replace('\n', "\r\n");
        let (_, units, _) = read_table(TableFormat::Csv, &crlf, opts()).unwrap();
        assert_eq!(units[0].variants[0].segment, sample().variants[0].segment);
        let e = read_table(TableFormat::Csv, "en,ru\n\"open,x\n", opts()).unwrap_err();
        assert!(err_text(e).contains("t.tsv:2:"), "missing quote is located");
    }

    #[test]
    fn csv_stray_quote_is_refused_where_it_opened() {
        // Seven columns: one row-shaped line inside a quoted cell is a stray quote.
        let head = "en,ru,tuid,creationdate,changedate,props,notes\n";
        let mut data = format!("{head}Hello 0,Привет 0,,,,,\n\"Hello 1,Привет 1,,,,,\n");
        for i in 2..50 {
            data.push_str(&format!("Hello {i},Привет {i},,,,,\n"));
        }
        let closed = format!("{data}x\",y,,,,,\n");
        for text in [closed, data] {
            let e = err_text(read_table(TableFormat::Csv, &text, opts()).unwrap_err());
            assert!(
                e.starts_with("t.tsv:3:1: CSV: the quoted cell opened here"),
                "{e}"
            );
            assert!(e.contains("runs on to line 5, which looks like a whole row (7 cells"));
        }
        // One row-shaped line is read, warned with where the cell opened.
        let one = format!("{head}\"a\nb,c,,,,,\nd\",e,,,,,\n");
        let (_, units, warnings) = read_table(TableFormat::Csv, &one, opts()).unwrap();
        assert_eq!(units.len(), 1);
        assert!(warnings[0]
            .to_string()
            .starts_with("t.tsv:2:1: CSV: the quoted cell"));
        // Two columns: prose lines with one comma are common; three in one cell are not.
        let two = "en,ru\n\"A, b\nc, d\",x\ny,z\n";
        let (_, units, _) = read_table(TableFormat::Csv, two, opts()).unwrap();
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].variants[0].segment.plain_text(), "A, b\nc, d");
        let e = read_table(TableFormat::Csv, "en,ru\n\"a,b\nc,d\ne,f\ng,h\n", opts());
        assert!(err_text(e.unwrap_err()).starts_with("t.tsv:2:1: CSV: the quoted"));
        // Without a later quote and without row-shaped lines: the error names where it opened.
        let e = read_table(
            TableFormat::Csv,
            "en,ru\nok,da\nx,\"open\nmore\ntext\n",
            opts(),
        );
        let e = err_text(e.unwrap_err());
        assert!(e.starts_with("t.tsv:3:3: CSV: the quoted cell opened here is never closed: the file ends at line 5"), "{e}");
        // An absolute cap on the lines of one cell.
        let long = format!(
            "en,ru\n\"{}\",x\n",
            "line\n".repeat(MAX_CELL_LINES as usize + 1)
        );
        let e = err_text(read_table(TableFormat::Csv, &long, opts()).unwrap_err());
        assert!(
            e.starts_with("t.tsv:2:1: CSV: the quoted cell opened here runs past"),
            "{e}"
        );
        // Legitimate multi-line cells with commas in a seven-column table still read.
        let fine = format!("{head}\"one, two\nthree\",x,,,,,\"[\"\"n, 1\"\"]\"\n");
        let (_, units, _) = read_table(TableFormat::Csv, &fine, opts()).unwrap();
        assert_eq!(units[0].notes, vec!["n, 1".to_string()]);
    }

    #[test]
    fn empty_tables_are_errors_and_header_only_ones_are_warned() {
        for format in [TableFormat::Tsv, TableFormat::Csv, TableFormat::Jsonl] {
            let e = err_text(read_table(format, "", opts()).unwrap_err());
            assert_eq!(
                e,
                "t.tsv: the file is empty: no header row and no unit to read (as with a 0-byte \
                 TMX, nothing is written)"
            );
            let e = err_text(read_table(format, "\u{FEFF}\n\r\n\n", opts()).unwrap_err());
            assert!(
                e.starts_with("t.tsv: the file holds only blank lines (3)"),
                "{e}"
            );
            // With the languages given (a headerless table), still an error.
            let o = TableOptions {
                langs: Some(("en".into(), "ru".into())),
                ..opts()
            };
            assert!(read_table(format, "\n", o).is_err());
        }
        for (format, data) in [
            (TableFormat::Tsv, "en\tru\ttuid\n\n"),
            (TableFormat::Csv, "en,ru\n"),
            (TableFormat::Jsonl, "{\"header\":{\"srclang\":\"en\"}}\n"),
        ] {
            let (_, units, warnings) = read_table(format, data, opts()).unwrap();
            assert!(units.is_empty());
            assert_eq!(warnings.len(), 1, "{format:?}");
            assert_eq!(
                warnings[0].to_string(),
                "t.tsv: the table holds a header but no unit: nothing was read"
            );
        }
    }

    #[test]
    fn jsonl_text_that_disagrees_with_seg_is_warned_with_its_line() {
        let data = "{\"variants\":[{\"lang\":\"en\",\"seg\":\"A &amp; B\",\"text\":\"A & B\"}]}\n\
                    {\"variants\":[{\"lang\":\"en\",\"seg\":\"Hi\"},{\"lang\":\"ru\",\"seg\":\"Hello\",\"text\":\"Goodbye\"}]}\n";
        for plain in [false, true] {
            let o = TableOptions { plain, ..opts() };
            let (_, units, warnings) = read_table(TableFormat::Jsonl, data, o).unwrap();
            assert_eq!(units[1].variants[1].segment.plain_text(), "Hello");
            let w: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
            // With --plain, "A &amp; B" read literally also disagrees with "A & B".
            assert_eq!(w.len(), 1 + usize::from(plain), "{w:?}");
            assert!(w.last().unwrap().starts_with(
                "t.tsv:2: unit 2: variant 2 (ru): \"text\" (\"Goodbye\") disagrees with \"seg\" (\"Hello\")"
            ), "{w:?}");
        }
    }

    #[test]
    fn language_tags_are_checked_and_a_language_named_twice_is_refused() {
        let e = err_text(read_table(TableFormat::Csv, "en,en,tuid\na,b,c\n", opts()).unwrap_err());
        assert!(
            e.starts_with("t.tsv:1:4: the header row names the language en twice"),
            "{e}"
        );
        let e = read_table(TableFormat::Tsv, "EN-us\ten_US\na\tb\n", opts()).unwrap_err();
        assert!(err_text(e).contains("twice"));
        let o = TableOptions {
            langs: Some(("en".into(), "../x".into())),
            ..opts()
        };
        let e = err_text(read_table(TableFormat::Tsv, "a\tb\n", o).unwrap_err());
        assert!(e.contains("\"../x\" is not a BCP 47 language tag"), "{e}");
        let o = TableOptions {
            langs: Some(("en".into(), "EN".into())),
            ..opts()
        };
        assert!(
            err_text(read_table(TableFormat::Tsv, "a\tb\n", o).unwrap_err())
                .contains("same language")
        );
        // JSON lines: a variant's lang, a unit's srclang, the header's.
        for (data, what) in [
            (
                "{\"variants\":[{\"lang\":\"../../etc\",\"text\":\"a\"}]}\n",
                "t.tsv:1:1: unit 1: variant 1 \"lang\": \"../../etc\"",
            ),
            (
                "{\"srclang\":\"ru\\nx\",\"variants\":[{\"lang\":\"en\",\"text\":\"a\"}]}\n",
                "t.tsv:1:1: unit 1: \"srclang\"",
            ),
            (
                "{\"header\":{\"srclang\":\"a b\"}}\n",
                "t.tsv:1:1: the header line's \"srclang\"",
            ),
        ] {
            let e = err_text(read_table(TableFormat::Jsonl, data, opts()).unwrap_err());
            assert!(e.starts_with(what), "{e}");
        }
    }

    #[test]
    fn a_table_that_drops_languages_says_so_in_totals() {
        let v = |lang: &str, t: &str| variant(lang, vec![text(t)]);
        let mut units = vec![unit(1, vec![v("en-US", "a"), v("de", "b")])];
        for i in 2..30 {
            units.push(unit(i, vec![v("en-US", "a"), v("ru-RU", "б")]));
        }
        let mut w = TableWriter::new(Vec::new(), TableFormat::Tsv, &header(), opts()).unwrap();
        for u in &units {
            assert!(w.write(u).unwrap());
        }
        let listed = w.take_warnings().len();
        assert_eq!(listed, LISTED as usize);
        let totals: Vec<String> = w.end_warnings().iter().map(|w| w.to_string()).collect();
        assert_eq!(
            totals,
            ["table: 28 of 29 unit(s) written incompletely (28 written with an empty en-US or de \
              cell, 28 lost their ru-RU variant); the columns are en-US and de, chosen from the \
              first unit: name the languages (--src-lang, --tgt-lang) to choose others, or write \
              JSON lines to keep every language"]
        );
        // Nothing lost, nothing said.
        let mut w = TableWriter::new(Vec::new(), TableFormat::Csv, &header(), opts()).unwrap();
        w.write(&units[1]).unwrap();
        assert!(w.end_warnings().is_empty());
    }

    #[test]
    fn rows_larger_than_the_unit_cap_are_refused_with_their_position() {
        let o = TableOptions {
            max_unit_bytes: Some(64),
            ..opts()
        };
        let big = "y".repeat(100);
        for (format, data, at) in [
            (
                TableFormat::Tsv,
                format!("en\tru\na\tb\n{big}\tx\n"),
                "t.tsv:3:1: line 3",
            ),
            (
                TableFormat::Csv,
                format!("en,ru\na,b\n{big},x\n"),
                "t.tsv:3:1: line 3",
            ),
            (
                TableFormat::Csv,
                format!("en,ru\na,b\nx,\"{}\"\n", "z\n".repeat(40)),
                "t.tsv:3:3: CSV: the quoted cell opened here takes its record past 64 bytes",
            ),
            (
                TableFormat::Csv,
                // Empty header cells: props named x-column-N.
                format!(
                    "en,ru{}\na,b\n\"x\ny\",{}\n",
                    ",".repeat(30),
                    vec!["\"z\nz\""; 31].join(",")
                ),
                "t.tsv:13:4: CSV: the quoted cell opened here takes its record past 64 bytes",
            ),
            (
                TableFormat::Jsonl,
                format!("{{\"variants\":[{{\"lang\":\"en\",\"text\":\"{big}\"}}]}}\n"),
                "t.tsv:1:1: line 1",
            ),
        ] {
            let e = err_text(read_table(format, &data, o.clone()).unwrap_err());
            assert!(e.starts_with(at), "{e}");
            assert!(e.contains("--max-unit-bytes"), "{e}");
            // Within the default, the same rows read.
            assert!(read_table(format, &data, opts()).is_ok(), "{format:?}");
        }
    }

    #[test]
    fn markup_errors_name_line_and_column_and_suggest_plain() {
        let data = "en\tru\nfine\tхорошо\nA & B\tА и Б\n";
        let e = read_table(TableFormat::Tsv, data, opts()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.tsv:3:3: unit 2 (source): `&` does not start an entity (write &amp;); if the \
             cells are plain text, not TMX segment markup, read with --plain"
        );
        let e = read_table(TableFormat::Tsv, "en\tru\nok\tx &nbsp; y\n", opts()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.tsv:2:6: unit 1 (target): the entity &nbsp; is not defined"),
            "{e}"
        );
        let e = read_table(TableFormat::Tsv, "en\tru\nok\ta < b\n", opts()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.tsv:2:6: unit 1 (target): `<` does not start a tag"),
            "{e}"
        );
        let e = read_table(TableFormat::Tsv, "en\tru\nok\t<b>x\n", opts()).unwrap_err();
        assert!(e.to_string().contains("<b> is not closed"), "{e}");
        // With --plain the same cells are literal text.
        let plain = TableOptions {
            plain: true,
            ..opts()
        };
        let (_, units, _) = read_table(TableFormat::Tsv, data, plain.clone()).unwrap();
        assert_eq!(units[1].variants[0].segment, Segment::from_text("A & B"));
        // Lenient: the broken row is skipped with a warning.
        let mut r = TableReader::new(data.as_bytes(), "t.tsv", TableFormat::Tsv, opts())
            .unwrap()
            .lenient(true);
        let units: Vec<Unit> = r.by_ref().collect::<Result<_>>().unwrap();
        assert_eq!(units.len(), 1);
        let w = r.take_warnings();
        assert!(w[0].message.starts_with("row skipped: t.tsv:3:3"), "{w:?}");
    }

    #[test]
    fn headerless_align_output_needs_the_languages() {
        let data = "The SCO met.\tШОС собралась.\t0.9700\t1-1\nA & B.\tА и Б.\t0.8800\t1-2\n";
        let e = read_table(TableFormat::Tsv, data, opts()).unwrap_err();
        assert!(e.to_string().starts_with("t.tsv:1:1: no header row"), "{e}");
        assert!(e.to_string().contains("--src-lang"));
        let o = TableOptions {
            plain: true,
            langs: Some(("en".into(), "ru".into())),
            ..opts()
        };
        let (h, units, _) = read_table(TableFormat::Tsv, data, o).unwrap();
        assert_eq!(h.srclang.as_deref(), Some("en"));
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].variants[1].lang, "ru");
        assert_eq!(units[1].variants[0].segment.plain_text(), "A & B.");
        assert_eq!(
            units[0].props,
            vec![
                Prop {
                    kind: "x-score".into(),
                    value: "0.9700".into()
                },
                Prop {
                    kind: "x-link".into(),
                    value: "1-1".into()
                }
            ]
        );
        // A header row that disagrees with the languages asked for is refused.
        let o = TableOptions {
            langs: Some(("de".into(), "fr".into())),
            ..opts()
        };
        assert!(read_table(TableFormat::Tsv, "en\tru\ttuid\na\tb\t1\n", o.clone()).is_err());
        // Given the languages, a first row that merely looks like tags is data.
        let o = TableOptions {
            langs: Some(("en".into(), "ro".into())),
            ..o
        };
        let (_, units, _) = read_table(TableFormat::Tsv, "Yes\tDa\nNo\tNu\n", o).unwrap();
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].variants[1].lang, "ro");
        // Header columns in another order, a score column and an unknown one.
        let data = "ru_RU\ten\tscore\tdomain\tnotes\nДа\tYes\t0.5\tlaw\tplain note\n\t\t\t\t\n";
        let (h, units, warnings) = read_table(TableFormat::Tsv, data, opts()).unwrap();
        assert_eq!(h.srclang.as_deref(), Some("ru_RU"));
        assert_eq!(units.len(), 1);
        assert_eq!(
            units[0].props[1],
            Prop {
                kind: "domain".into(),
                value: "law".into()
            }
        );
        assert_eq!(units[0].notes, vec!["plain note".to_string()]);
        assert!(warnings[0]
            .message
            .contains("both its segment cells are empty"));
    }

    #[test]
    fn writer_reports_missing_and_extra_languages() {
        let units = [
            unit(
                1,
                vec![
                    variant("en-US", vec![text("a")]),
                    variant("ru-RU", vec![text("б")]),
                    variant("de", vec![text("c")]),
                ],
            ),
            unit(2, vec![variant("en-US", vec![text("only")])]),
            unit(3, vec![variant("fr", vec![text("non")])]),
        ];
        let mut w = TableWriter::new(Vec::new(), TableFormat::Tsv, &header(), opts()).unwrap();
        let wrote: Vec<bool> = units.iter().map(|u| w.write(u).unwrap()).collect();
        assert_eq!(wrote, vec![true, true, false]);
        assert_eq!((w.written(), w.incomplete()), (2, 2));
        let warnings = w.take_warnings();
        assert!(
            warnings[0]
                .message
                .contains("its de variant(s) are not written"),
            "{warnings:?}"
        );
        assert!(warnings[1].message.contains("it has no ru-RU variant"));
        assert!(warnings[2]
            .message
            .contains("unit skipped: it has neither en-US nor ru-RU"));
        let tsv = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(tsv.contains("\nonly\t\t\t\t\t\t\n"), "{tsv}");
        // Plain cells: TAB and newline become spaces, warned.
        let (tsv, warnings) = write_table(
            TableFormat::Tsv,
            &[sample()],
            TableOptions {
                strip_tags: true,
                ..opts()
            },
        );
        assert!(tsv.contains("\nPress OK, \"now\" please & go\t"), "{tsv}");
        assert!(warnings
            .iter()
            .any(|w| w.message.contains("TAB or line break")));
        // An empty table still has its header row.
        let (tsv, _) = write_table(TableFormat::Csv, &[], opts());
        assert_eq!(tsv, "en-US,und,tuid,creationdate,changedate,props,notes\n");
    }

    #[test]
    fn jsonl_keeps_everything_including_the_header() {
        let mut u = sample();
        u.other_attrs = vec![("usagecount".into(), "2".into())];
        u.srclang = Some("en_US".into());
        u.variants[1].props = vec![Prop {
            kind: "x-v".into(),
            value: "1".into(),
        }];
        u.variants[1].notes = vec!["vn".into()];
        u.variants[1].other_attrs = vec![("creationid".into(), "me".into())];
        u.changedate = Some(Date::parse("not a date"));
        let mut h = header();
        h.creationtool = Some("memoQ".into());
        h.o_tmf = Some("memoQTM".into());
        h.props = vec![Prop {
            kind: "x-h".into(),
            value: "v".into(),
        }];
        let mut w = TableWriter::new(Vec::new(), TableFormat::Jsonl, &h, opts()).unwrap();
        w.write(&u).unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            r#"{"header":{"srclang":"en-US","creationtool":"memoQ","o-tmf":"memoQTM","props":[["x-h","v"]]}}"#
        );
        assert!(lines[1].starts_with(r#"{"tuid":"7","srclang":"en_US","creationdate":"20240115T120000Z","changedate":"not a date","attrs":[["usagecount","2"]],"props":[["x-score","0.97"]],"notes":["a note"],"variants":[{"lang":"en_US","seg":"Press <bpt i=\"1\">&lt;b&gt;</bpt>OK,\t\"now\"\nplease &amp; go<ept i=\"1\">&lt;/b&gt;</ept>","text":"Press OK,\t\"now\"\nplease & go"}"#), "{}", lines[1]);
        let mut r =
            TableReader::new(text.as_bytes(), "t.jsonl", TableFormat::Jsonl, opts()).unwrap();
        assert_eq!(r.header(), &h);
        let back: Vec<Unit> = r.by_ref().collect::<Result<_>>().unwrap();
        let mut want = u.clone();
        want.line = 2;
        assert_eq!(back, vec![want]);
        assert!(r.take_warnings()[0]
            .message
            .contains("\"not a date\" is not a date"));
        // Without a header line; `text` when `seg` is absent; unknown fields refused.
        let data = "{\"variants\":[{\"lang\":\"en\",\"text\":\"a < b\"},{\"lang\":\"ru\",\"seg\":\"<ph/>б\"}]}\n";
        let (h, units, _) = read_table(TableFormat::Jsonl, data, opts()).unwrap();
        assert_eq!(h, Header::default());
        assert_eq!(units[0].variants[0].segment, Segment::from_text("a < b"));
        assert_eq!(units[0].variants[1].segment.tag_count(), 1);
        let e = read_table(TableFormat::Jsonl, "{\"variants\":[],\"x\":1}\n", opts()).unwrap_err();
        assert!(e.to_string().contains("unknown field `x`"), "{e}");
        let e = read_table(
            TableFormat::Jsonl,
            "{\"variants\":[{\"lang\":\"en\",\"seg\":\"a & b\"}]}\n",
            opts(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("t.tsv:1:1: unit 1: variant 1 (en) \"seg\", character 3"),
            "{e}"
        );
    }

    #[test]
    fn utf16_and_bom_tables_are_read() {
        let data = "\u{FEFF}en\tru\nYes\tДа\n";
        let mut bytes = vec![];
        for u in data.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let r = TableReader::new(&bytes[..], "t.txt", TableFormat::Tsv, opts()).unwrap();
        let units: Vec<Unit> = r.collect::<Result<_>>().unwrap();
        assert_eq!(units[0].variants[1].segment.plain_text(), "Да");
        let (h, units, _) = read_table(TableFormat::Tsv, data, opts()).unwrap();
        assert_eq!(h.srclang.as_deref(), Some("en"));
        assert_eq!(units.len(), 1);
    }

    #[test]
    fn segment_markup_parser() {
        let seg = parse_segment("a &amp; &#x1F4D6;&#65;<t:ph x='1' xmlns:t=\"u\" y=\"a&#10;b\tc\"/><hi><!-- c --><![CDATA[<raw>]]></hi>\r\nz").unwrap();
        assert_eq!(
            seg,
            Segment {
                pieces: vec![
                    text("a & 📖A"),
                    tag("ph", &[("x", "1"), ("y", "a\nb c")], vec![]),
                    tag("hi", &[], vec![text("<raw>")]),
                    text("\nz"),
                ]
            }
        );
        for (bad, at) in [
            ("a &b", 2),
            ("&#1;", 0),
            ("<a></b>", 3),
            ("</a>", 0),
            ("<a x=1/>", 5),
            ("<a x='1' x='2'/>", 9),
            ("x\u{1}", 1),
            ("]]>", 0),
        ] {
            let e = parse_segment(bad).unwrap_err();
            assert_eq!(e.0, at, "{bad}: {e:?}");
        }
        let deep = "<hi>".repeat(70);
        assert!(parse_segment(&deep).unwrap_err().1.contains("nested"));
    }

    /// TMX -> table -> TMX: the units a TMX file yields come back the same from the table.
    fn via_table(format: TableFormat, units: &[Unit]) -> std::result::Result<(), TestCaseError> {
        let (xml, _, _) = write_all(&header(), units, WriteOptions::default());
        let (h, from_tmx) = read_all(&xml);
        let mut w = TableWriter::new(Vec::new(), format, &h, opts()).unwrap();
        for u in &from_tmx {
            prop_assert!(w.write(u).unwrap());
        }
        let table = String::from_utf8(w.finish().unwrap()).unwrap();
        let r = TableReader::new(table.as_bytes(), "t", format, opts())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{table}")))?;
        let h2 = r.header().clone();
        let from_table: Vec<Unit> = r
            .collect::<Result<_>>()
            .map_err(|e| TestCaseError::fail(format!("{e}\n{table}")))?;
        let (xml2, _, _) = write_all(&h2, &from_table, WriteOptions::default());
        let (_, back) = read_all(&xml2);
        prop_assert_eq!(back.len(), from_tmx.len());
        for (a, b) in from_tmx.iter().zip(&back) {
            same_content(a, b)?;
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(120))]
        #[test]
        fn tmx_tsv_tmx_is_lossless(units in prop::collection::vec(arb_unit(), 1..4)) {
            via_table(TableFormat::Tsv, &units)?;
        }

        #[test]
        fn tmx_csv_tmx_is_lossless(units in prop::collection::vec(arb_unit(), 1..4)) {
            via_table(TableFormat::Csv, &units)?;
        }

        #[test]
        fn tmx_jsonl_tmx_is_lossless(units in prop::collection::vec(arb_unit(), 1..4)) {
            via_table(TableFormat::Jsonl, &units)?;
        }
    }

    #[test]
    fn tables_read_back_into_valid_tmx() {
        let (tsv, _) = write_table(TableFormat::Tsv, &[sample()], opts());
        let (h, units, _) = read_table(TableFormat::Tsv, &tsv, opts()).unwrap();
        let (xml, _, _) = write_all(&h, &units, WriteOptions::default());
        assert_valid_tmx(&xml);
    }
}
