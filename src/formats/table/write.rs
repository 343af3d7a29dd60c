//! Writing TSV, CSV and JSON Lines tables: the header row, one row or line per unit, the
//! totals of what a table could not hold.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::error::Warning;
use crate::text::xml::{describe_chars, xml_class, XmlClass};
use crate::unit::{same_lang, Date, Header, Unit};

use super::jsonl::*;
use super::*;

/// Writes units as TSV, CSV or JSON Lines; see the [module docs](super).
pub struct TableWriter<W: Write> {
    pub(super) out: W,
    pub(super) buf: Vec<u8>,
    pub(super) format: TableFormat,
    pub(super) options: TableOptions,
    pub(super) header: Header,
    /// The two languages, once chosen (TSV/CSV).
    pub(super) langs: Option<(String, String)>,
    pub(super) warnings: Vec<Warning>,
    pub(super) written: u64,
    pub(super) incomplete: u64,
    /// Units written without one of the two languages (an empty cell).
    pub(super) one_sided: u64,
    /// Variants not written, per language (the first [`LISTED`] languages; the rest under "").
    pub(super) not_written: Vec<(String, u64)>,
    /// True when the two languages were chosen from the first unit, not given.
    pub(super) langs_from_first_unit: bool,
    pub(super) warned_lossy: bool,
    pub(super) warned_plain_breaks: bool,
    pub(super) dropped: Vec<char>,
    /// Scratch for one cell.
    pub(super) cell: String,
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
                crate::lang::tag::normalize_lang(s).0,
                crate::lang::tag::normalize_lang(t).0,
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
    #[cfg(test)]
    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    /// The number of units written without one of the two languages or without some of their
    /// other languages (TSV/CSV).
    pub fn incomplete(&self) -> u64 {
        self.incomplete
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
                    .map(|s| crate::lang::tag::normalize_lang(s).0)
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

    pub(super) fn warn_unit(&mut self, unit: &Unit, message: impl Into<String>) {
        let at = if unit.line > 0 {
            format!("unit {} (line {})", unit.number, unit.line)
        } else {
            format!("unit {}", unit.number)
        };
        self.warnings.push(Warning::new(at, message));
    }

    // ----- TSV / CSV -----

    /// Chooses the two languages from the options, the header and the first unit.
    pub(super) fn choose_langs(&mut self, unit: &Unit) -> (String, String) {
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
            crate::lang::tag::normalize_lang(&src).0,
            crate::lang::tag::normalize_lang(&tgt).0,
        );
        self.langs = Some(langs.clone());
        self.langs_from_first_unit = true;
        langs
    }

    /// The totals of what the table could not hold (units written without one of its two
    /// languages, variants in other languages left out, per language), as one warning, so a
    /// summary never reports those units as simply written; empty when nothing was lost.
    pub(crate) fn end_warnings(&mut self) -> Vec<Warning> {
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

    pub(super) fn header_row(&mut self, langs: &(String, String)) {
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
    pub(super) fn plain_cell(&mut self, unit: &Unit, c: &str) {
        self.cell.clear();
        clean_into(&mut self.cell, c, &mut self.dropped);
        if self.format == TableFormat::Tsv && has_break(&self.cell) {
            self.cell = self.cell.replace(['\t', '\r', '\n'], " ");
            let msg = format!("TAB or line break in \"{c}\" written as a space");
            self.warn_unit(unit, msg);
        }
        put_cell(&mut self.buf, &self.cell, self.format);
    }

    pub(super) fn columns(&self) -> &[TableColumn] {
        self.options.columns.as_deref().unwrap_or(&MEMORY_COLUMNS)
    }

    pub(super) fn separator(&self) -> u8 {
        if self.format == TableFormat::Tsv {
            b'\t'
        } else {
            b','
        }
    }

    pub(super) fn write_row(&mut self, unit: &Unit) -> bool {
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
                let mut lang = crate::lang::tag::normalize_lang(lang).0;
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
                if format == TableFormat::Tsv && has_break(&self.cell) {
                    broke = true;
                    self.cell = self.cell.replace(['\t', '\r', '\n'], " ");
                }
            } else {
                let xml = v.segment.to_xml();
                clean_into(&mut self.cell, &xml, &mut self.dropped);
                if format == TableFormat::Tsv
                    && memchr::memchr2(b'\t', b'\n', self.cell.as_bytes()).is_some()
                {
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
}

/// True when `cell` holds a TAB, CR or LF (searched as bytes: all three are ASCII).
fn has_break(cell: &str) -> bool {
    memchr::memchr3(b'\t', b'\r', b'\n', cell.as_bytes()).is_some()
}

/// Appends a cell: as is for TSV (already made safe), RFC 4180-quoted when needed for CSV, and
/// as is for JSON Lines (not used).
pub(super) fn put_cell(buf: &mut Vec<u8>, cell: &str, format: TableFormat) {
    let quoted = |b: u8| matches!(b, b',' | b'"' | b'\r' | b'\n');
    if format == TableFormat::Csv && cell.bytes().any(quoted) {
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
pub(super) fn clean<'a>(s: &'a str, dropped: &mut Vec<char>) -> Cow<'a, str> {
    if !s.chars().any(|c| xml_class(c) == XmlClass::Illegal) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    clean_into(&mut out, s, dropped);
    Cow::Owned(out)
}

/// Appends `s` to `out` without the characters XML 1.0 forbids (noted in `dropped`).
pub(super) fn clean_into(out: &mut String, s: &str, dropped: &mut Vec<char>) {
    // Text with no byte of a forbidden char is copied whole.
    if !crate::text::xml::may_hold_illegal(s.as_bytes()) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        if xml_class(c) == XmlClass::Illegal {
            dropped.push(c);
        } else {
            out.push(c);
        }
    }
}
