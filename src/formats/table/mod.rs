//! Translation memories as tables: TSV, CSV (RFC 4180) and JSON Lines, written from and read
//! into [`Unit`](crate::unit::Unit)s, streaming in both directions.
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
//! [`Segment::to_xml`](crate::unit::Segment::to_xml) writes it: `&amp; &lt; &gt;` escaped, inline tags
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

mod jsonl;
mod read;
#[cfg(test)]
mod tests;
mod write;

pub(crate) use jsonl::PairRecord;
pub use read::TableReader;
pub use write::TableWriter;

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
    /// Writing TSV/CSV: the columns after the two language columns; `None`: `MEMORY_COLUMNS`.
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
    pub(crate) fn name(self) -> &'static str {
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
pub(crate) const SCORE_PROP: &str = "x-score";
/// The prop holding the aligner's link type (`1-1`, `2-1`), written to the `type` column.
pub(crate) const LINK_PROP: &str = "x-link";

/// The columns of a translation memory's table: everything a unit holds that a table can.
pub(crate) const MEMORY_COLUMNS: [TableColumn; 5] = [
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
pub(crate) const ALIGNMENT_COLUMNS: [TableColumn; 2] = [TableColumn::Score, TableColumn::Type];
