//! Reading TSV, CSV (RFC 4180, with the stray-quote guard) and the dispatch to JSON Lines:
//! the header row, the columns by name, one unit per row.

use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use crate::error::{Error, ErrorKind, Result, Warning};
use crate::formats::source::Decoded;
use crate::unit::segment::Segment;
use crate::unit::{same_lang, Date, Header, Prop, Unit, Variant};

use super::jsonl::*;
use super::*;
use crate::formats::tmx::parse_segment;

/// What a TSV/CSV column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Column {
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
pub(super) struct Cell {
    pub(super) text: String,
    pub(super) line: u64,
    pub(super) column: u64,
}

/// Why a row could not be read.
pub(super) enum Fail {
    /// The input cannot be read further.
    Fatal(Error),
    /// Only this row is unusable.
    Row(Error),
}

/// Reads units from TSV, CSV or JSON Lines, streaming; see the [module docs](super).
pub struct TableReader<R: BufRead> {
    pub(super) input: BufReader<Decoded<R>>,
    pub(super) path: PathBuf,
    pub(super) format: TableFormat,
    pub(super) options: TableOptions,
    pub(super) lenient: bool,
    pub(super) header: Header,
    pub(super) columns: Vec<Column>,
    /// The target column's language.
    pub(super) target: String,
    /// The first data row, read while looking for the header row.
    pub(super) pending: Option<Vec<Cell>>,
    /// The first JSON line when it is a unit.
    pub(super) pending_json: Option<(u64, serde_json::Value)>,
    pub(super) warnings: Vec<Warning>,
    /// Lines read so far.
    pub(super) line: u64,
    /// Units yielded or skipped so far.
    pub(super) rows: u64,
    pub(super) raw: Vec<u8>,
    pub(super) done: bool,
    /// The largest line, CSV record or JSON line accepted, in bytes.
    pub(super) max_unit_bytes: u64,
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
    pub(crate) fn path(&self) -> &std::path::Path {
        &self.path
    }

    // ----- lines -----

    /// The next line without its line ending, or `None` at the end; counts lines.
    pub(super) fn next_line(&mut self) -> Result<Option<String>> {
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

    pub(super) fn io_error(&self, e: io::Error) -> Error {
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

    pub(super) fn error(&self, line: u64, column: u64, message: impl Into<String>) -> Error {
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
    pub(super) fn next_cells(&mut self) -> Result<Option<Vec<Cell>>> {
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
    pub(super) fn csv_record(&mut self, mut line: String) -> Result<Vec<Cell>> {
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
    pub(super) fn empty_file(&self) -> Error {
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
    pub(super) fn looks_like_row(&self, line: &str) -> bool {
        self.columns.len() >= 2
            && !line.contains('"')
            && line.split(',').count() == self.columns.len()
    }

    /// How many row-shaped lines a quoted cell may hold before it is refused (the first is
    /// always warned): two with four or more columns (a line of prose holding exactly that many
    /// commas is rare), three with fewer (a line holding one or two commas is common; three
    /// such lines in one cell are not). The count does not depend on the file's size.
    pub(super) fn row_like_limit(&self) -> u32 {
        if self.columns.len() >= 4 {
            2
        } else {
            3
        }
    }

    /// Reads the header row (or recognises its absence) and sets up the columns.
    pub(super) fn table_start(&mut self) -> Result<()> {
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
                if let Some(why) = crate::lang::tag::invalid_lang(tag) {
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
    pub(super) fn column_langs(&self) -> (String, String) {
        (
            self.header.srclang.clone().unwrap_or_default(),
            self.target.clone(),
        )
    }

    pub(super) fn row(&mut self, cells: Vec<Cell>) -> std::result::Result<Option<Unit>, Fail> {
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
    pub(super) fn segment(
        &self,
        cell: &Cell,
        side: &str,
        number: u64,
    ) -> std::result::Result<Segment, Fail> {
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

    /// The next unit or `None`; `Fail::Row` errors may be skipped under `lenient`.
    pub(super) fn next_unit(&mut self) -> std::result::Result<Option<Unit>, Fail> {
        loop {
            match self.format {
                TableFormat::Jsonl => {
                    let (line, text, value) = match self.pending_json.take() {
                        Some((line, value)) => (line, String::new(), Some(value)),
                        None => {
                            let Some(text) = self.next_line().map_err(Fail::Fatal)? else {
                                return Ok(None);
                            };
                            if text.trim().is_empty() {
                                continue;
                            }
                            (self.line, text, None)
                        }
                    };
                    self.rows += 1;
                    let rows = self.rows;
                    let bad = |me: &Self, e: serde_json::Error| {
                        Fail::Row(me.error(
                            line,
                            e.column().max(1) as u64,
                            format!("unit {rows}: {e}"),
                        ))
                    };
                    // A unit record is parsed straight from the text; only a line that is not
                    // one is looked at again as a pair record.
                    let value = match value {
                        Some(v) => v,
                        None => match serde_json::from_str::<JUnitIn>(&text) {
                            Ok(j) => return self.json_unit(line, j).map(Some),
                            Err(e) => match serde_json::from_str::<serde_json::Value>(&text) {
                                Ok(v) if is_pair_record(&v) => v,
                                _ => return Err(bad(self, e)),
                            },
                        },
                    };
                    if is_pair_record(&value) {
                        let j =
                            serde_json::from_value::<JPairIn>(value).map_err(|e| bad(self, e))?;
                        match self.pair_unit(line, j)? {
                            Some(u) => return Ok(Some(u)),
                            None => continue,
                        }
                    }
                    let j = serde_json::from_value::<JUnitIn>(value).map_err(|e| bad(self, e))?;
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
pub(super) fn excerpt(s: &str) -> String {
    let mut cut: String = s.chars().take(40).collect();
    if cut.len() < s.len() {
        cut.push('…');
    }
    format!("{cut:?}")
}

/// The line and column of byte `at` of a cell's text (a CSV cell may span lines).
pub(super) fn position_in(cell: &Cell, at: usize) -> (u64, u64) {
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
pub(super) fn looks_like_lang(s: &str) -> bool {
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
