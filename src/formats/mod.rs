//! The readers and writers of every file format bitext reads or writes units in, and the one
//! registry that names them: TMX 1.4b ([`tmx`]: [`TmxReader`], [`TmxWriter`], the segment
//! markup), the tables ([`table`]: TSV, CSV per RFC 4180, JSON Lines) and the encoding sniffing
//! they share (`source`). `bitext align` (through [`crate::export`]) and the `tm` commands
//! write through the same writers, so a file one writes the other reads. Adding a format is one
//! file here plus its [`Format`] line.
//!
//! The format is the one asked for (`-f`), else the file's extension (`.tmx`; `.tsv`, `.tab`;
//! `.csv`; `.jsonl`, `.ndjson`, `.json`), else, for standard input (`-`) and unknown extensions,
//! sniffed from the first bytes: `<` (after a byte-order mark or in UTF-16) is TMX, `{` JSON
//! Lines, a first line holding a TAB TSV, one holding a comma CSV; anything else is refused with
//! a message asking for `-f`. Both directions stream: a reader yields one [`Unit`] at a time and
//! a writer takes one at a time, so memory stays bounded by one unit.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::error::{Error, Result, Warning};
use crate::unit::{Header, Unit};
use table::{TableFormat, TableOptions, TableReader, TableWriter};
use tmx::{ReadOptions, TmxReader, TmxWriter, WriteOptions};

pub(crate) mod links;
pub(crate) mod source;
pub mod table;
pub mod tmx;
pub mod xlsx;

pub use source::Detected;

/// The largest unit read by default (16 MiB): a `<tu>` in TMX, a row or CSV record in a table,
/// a JSON line. A unit is a sentence or a paragraph, kilobytes at most; 16 MiB is a thousand
/// times the largest seen in real memories, yet bounds what one unit costs (the readers and
/// writers hold it three to seven times over: about 100 MB) where an unbounded one can exhaust
/// memory. `--max-unit-bytes` raises or lowers it.
pub const DEFAULT_MAX_UNIT_BYTES: u64 = 16 << 20;

/// A file format bitext writes, and, but for [`Format::Links`], reads units in: the one
/// registry of names, extensions and what each format can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// TMX (1.1-1.4 read, 1.4b written).
    Tmx,
    /// Tab-separated values with a header row.
    Tsv,
    /// Comma-separated values (RFC 4180) with a header row.
    Csv,
    /// JSON Lines.
    Jsonl,
    /// The vecalign/bertalign links format (`[0]:[0, 1]:0.97`): an alignment by sentence
    /// numbers, written by `bitext align`, read by `bitext eval`; it holds no text, so no unit.
    Links,
}

/// Every format: name, extensions (the first one canonical).
const REGISTRY: [(Format, &str, &[&str]); 5] = [
    (Format::Tmx, "tmx", &["tmx"]),
    (Format::Tsv, "tsv", &["tsv", "tab"]),
    (Format::Csv, "csv", &["csv"]),
    (Format::Jsonl, "jsonl", &["jsonl", "ndjson", "json"]),
    (Format::Links, "links", &["links", "align"]),
];

impl Format {
    /// The format a file's extension names (case-insensitive), if any.
    pub(crate) fn from_path(p: &Path) -> Option<Format> {
        let ext = p.extension()?.to_str()?.to_ascii_lowercase();
        REGISTRY
            .iter()
            .find(|(_, _, exts)| exts.contains(&ext.as_str()))
            .map(|&(f, _, _)| f)
    }

    /// The format an output's extension names: `None` for standard output (`-`) or a name
    /// without an extension; an unknown extension is an error listing the formats.
    pub fn of_output(path: &Path) -> Result<Option<Format>> {
        if path == Path::new("-") || path.extension().is_none() {
            return Ok(None);
        }
        match Format::from_path(path) {
            Some(format) => Ok(Some(format)),
            None => Err(Error::usage(format!(
                "cannot write '{}': unknown output extension; bitext writes {}, or name the \
                 format with -f",
                path.display(),
                Format::extensions()
            ))),
        }
    }

    /// `.tmx, .tsv (.tab), ...`: the extensions, for messages.
    fn extensions() -> String {
        REGISTRY
            .iter()
            .map(|(_, _, exts)| match exts {
                [one] => format!(".{one}"),
                [first, rest @ ..] => format!(".{first} (.{})", rest.join(", .")),
                [] => String::new(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The format's name as `-f` takes it.
    pub(crate) fn name(self) -> &'static str {
        REGISTRY
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or("", |(_, name, _)| name)
    }

    /// True for the formats that hold translation units (all but the links format).
    pub(crate) fn holds_units(self) -> bool {
        self != Format::Links
    }

    /// True when `bitext align` writes 1-0 and 0-1 links in this format under these options:
    /// TMX never (an empty segment would be taken for a translation), links always (it is the
    /// complete alignment), the tables with `--keep-unaligned`.
    pub(crate) fn writes_null_links(self, keep_unaligned: bool) -> bool {
        match self {
            Format::Tmx => false,
            Format::Links => true,
            Format::Tsv | Format::Csv | Format::Jsonl => keep_unaligned,
        }
    }

    /// The table format, for the tables.
    fn table(self) -> Option<TableFormat> {
        match self {
            Format::Tmx | Format::Links => None,
            Format::Tsv => Some(TableFormat::Tsv),
            Format::Csv => Some(TableFormat::Csv),
            Format::Jsonl => Some(TableFormat::Jsonl),
        }
    }

    /// The format of a file starting with `head`, when the bytes say so clearly.
    pub(crate) fn sniff(head: &[u8]) -> Option<Format> {
        let utf16 = head.starts_with(&[0xFF, 0xFE])
            || head.starts_with(&[0xFE, 0xFF])
            || (head.len() >= 2 && (head[0] == 0) != (head[1] == 0));
        let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
        // Drop the zero bytes of UTF-16 and its BOM: enough to see ASCII structure.
        let ascii: Vec<u8> = if utf16 {
            head.iter()
                .copied()
                .filter(|&b| b != 0 && b != 0xFF && b != 0xFE)
                .collect()
        } else {
            head.to_vec()
        };
        let text = ascii.trim_ascii_start();
        match text.first()? {
            b'<' => Some(Format::Tmx),
            b'{' => Some(Format::Jsonl),
            _ => {
                let first_line = text.split(|&b| b == b'\n').next().unwrap_or(text);
                if first_line.contains(&b'\t') {
                    Some(Format::Tsv)
                } else if first_line.contains(&b',') {
                    Some(Format::Csv)
                } else {
                    None
                }
            }
        }
    }
}

/// The error for a links file given where units are read or written.
pub(crate) fn links_hold_no_units(path: &Path) -> Error {
    Error::usage(format!(
        "'{}': the links format holds an alignment by sentence numbers, not translation units; \
         bitext eval reads it, bitext tm reads and writes tmx, tsv, csv and jsonl",
        path.display()
    ))
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Format, String> {
        let s = s.trim().to_ascii_lowercase();
        REGISTRY
            .iter()
            .find(|(_, name, exts)| *name == s || exts.contains(&s.as_str()))
            .map(|&(f, _, _)| f)
            .ok_or_else(|| {
                let names: Vec<&str> = REGISTRY.iter().map(|(_, name, _)| *name).collect();
                format!("unknown format '{s}' (expected {})", names.join(", "))
            })
    }
}

/// How to open an input memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputOptions {
    /// Skip a broken unit (TMX) or row (tables) with a warning instead of stopping.
    pub lenient: bool,
    /// Table segment cells are plain text, not TMX segment markup.
    pub plain: bool,
    /// The languages (source, target) of a TSV/CSV file without a header row.
    pub langs: Option<(String, String)>,
    /// The format; `None`: from the extension, else sniffed.
    pub format: Option<Format>,
    /// The largest unit accepted, in bytes; `None`: [`DEFAULT_MAX_UNIT_BYTES`].
    pub max_unit_bytes: Option<u64>,
}

/// A reader of units from a TMX or table file (`Iterator<Item = Result<Unit>>`).
pub enum UnitReader {
    /// A TMX file.
    Tmx(TmxReader<Box<dyn Read + Send>>),
    /// A TSV, CSV or JSON Lines file.
    Table(TableReader<Box<dyn BufRead + Send>>),
    /// A review workbook ([`xlsx`]), read whole: its header and units.
    Xlsx {
        /// The memory header (the source language).
        header: Header,
        /// The units not yet yielded.
        units: std::vec::IntoIter<Unit>,
        /// The file's name.
        path: PathBuf,
    },
}

impl UnitReader {
    /// Opens `path` (`-` reads standard input) and reads its header.
    pub fn open(path: &Path, options: &InputOptions) -> Result<UnitReader> {
        let is_xlsx = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if is_xlsx && options.format.is_none() {
            return UnitReader::open_xlsx(path, options);
        }
        let input: Box<dyn Read + Send> = if path == Path::new("-") {
            Box::new(io::stdin())
        } else {
            Box::new(std::fs::File::open(path).map_err(|e| Error::io(path, e))?)
        };
        UnitReader::from_reader(input, path, options)
    }

    /// Reads a review workbook whole (it is a zip: its directory is at the end).
    fn open_xlsx(path: &Path, options: &InputOptions) -> Result<UnitReader> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let book = xlsx::read(&bytes, path)?;
        let (header, units) = xlsx::units(&book, path, options.langs.as_ref())?;
        Ok(UnitReader::Xlsx {
            header,
            units: units.into_iter(),
            path: path.to_path_buf(),
        })
    }

    /// Reads from `input`, named `path` in messages and for the format by extension.
    pub(crate) fn from_reader(
        input: Box<dyn Read + Send>,
        path: impl Into<PathBuf>,
        options: &InputOptions,
    ) -> Result<UnitReader> {
        let path = path.into();
        let mut input = BufReader::with_capacity(64 * 1024, input);
        let format = match options.format.or_else(|| Format::from_path(&path)) {
            Some(f) => f,
            None => {
                let head = input.fill_buf().map_err(|e| Error::io(&path, e))?;
                if head.is_empty() {
                    return Err(Error::input(
                        &path,
                        "the file is empty, so its format cannot be told; name it with -f",
                    ));
                }
                Format::sniff(&head[..head.len().min(4096)]).ok_or_else(|| {
                    Error::input(
                        &path,
                        "cannot tell the format from the name or the first bytes; name it with \
                         -f tmx|tsv|csv|jsonl",
                    )
                })?
            }
        };
        if !format.holds_units() {
            return Err(links_hold_no_units(&path));
        }
        match format.table() {
            None => {
                let reader = TmxReader::new(
                    Box::new(input) as Box<dyn Read + Send>,
                    path,
                    ReadOptions {
                        lenient: options.lenient,
                        max_unit_bytes: options.max_unit_bytes,
                    },
                )?;
                Ok(UnitReader::Tmx(reader))
            }
            Some(table) => {
                let reader = TableReader::new(
                    Box::new(input) as Box<dyn BufRead + Send>,
                    path,
                    table,
                    TableOptions {
                        strip_tags: false,
                        plain: options.plain,
                        langs: options.langs.clone(),
                        max_unit_bytes: options.max_unit_bytes,
                        ..TableOptions::default()
                    },
                )?
                .lenient(options.lenient);
                Ok(UnitReader::Table(reader))
            }
        }
    }

    /// The memory's header (for tables: `srclang` is the source column's language).
    pub fn header(&self) -> &Header {
        match self {
            UnitReader::Tmx(r) => r.header(),
            UnitReader::Table(r) => r.header(),
            UnitReader::Xlsx { header, .. } => header,
        }
    }

    /// Warnings so far, removed from the reader.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        match self {
            UnitReader::Tmx(r) => r.take_warnings(),
            UnitReader::Table(r) => r.take_warnings(),
            UnitReader::Xlsx { .. } => Vec::new(),
        }
    }

    /// The file's name as given.
    pub(crate) fn path(&self) -> &Path {
        match self {
            UnitReader::Tmx(r) => r.path(),
            UnitReader::Table(r) => r.path(),
            UnitReader::Xlsx { path, .. } => path,
        }
    }
}

impl Iterator for UnitReader {
    type Item = Result<Unit>;

    fn next(&mut self) -> Option<Result<Unit>> {
        match self {
            UnitReader::Tmx(r) => r.next(),
            UnitReader::Table(r) => r.next(),
            UnitReader::Xlsx { units, .. } => units.next().map(Ok),
        }
    }
}

/// How to write an output memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputOptions {
    /// The format; `None`: the caller decides (from the extension via `Format::from_path`).
    pub format: Option<Format>,
    /// Write plain text instead of inline markup.
    pub strip_tags: bool,
    /// The two languages (source, target) of a TSV/CSV output.
    pub langs: Option<(String, String)>,
    /// The TSV/CSV columns after the language columns; `None`: a memory's
    /// (`table::MEMORY_COLUMNS`).
    pub columns: Option<Vec<table::TableColumn>>,
    /// Write TSV/CSV without a header row.
    pub no_header: bool,
}

/// A writer of units to TMX or a table format (buffers internally; no `BufWriter` needed).
pub(crate) enum UnitWriter<W: Write> {
    /// TMX 1.4b.
    Tmx(TmxWriter<W>),
    /// TSV, CSV or JSON Lines.
    Table(TableWriter<W>),
}

impl<W: Write> UnitWriter<W> {
    /// Starts writing `format` to `out`.
    pub(crate) fn new(
        out: W,
        format: Format,
        header: &Header,
        options: &OutputOptions,
    ) -> io::Result<Self> {
        Ok(match format.table() {
            None if !format.holds_units() => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "the links format holds no translation units",
                ))
            }
            None => UnitWriter::Tmx(TmxWriter::new(
                out,
                header,
                WriteOptions {
                    strip_tags: options.strip_tags,
                },
            )?),
            Some(table) => UnitWriter::Table(TableWriter::new(
                out,
                table,
                header,
                TableOptions {
                    strip_tags: options.strip_tags,
                    plain: false,
                    langs: options.langs.clone(),
                    max_unit_bytes: None,
                    columns: options.columns.clone(),
                    no_header: options.no_header,
                },
            )?),
        })
    }

    /// Writes one unit; `Ok(false)` when it was skipped (a warning says why).
    pub(crate) fn write(&mut self, unit: &Unit) -> io::Result<bool> {
        match self {
            UnitWriter::Tmx(w) => w.write(unit),
            UnitWriter::Table(w) => w.write(unit),
        }
    }

    /// For a rejected file: write units left with one variant instead of skipping them (TMX;
    /// tables write them already, with an empty cell).
    pub(crate) fn keep_one_sided(&mut self) {
        if let UnitWriter::Tmx(w) = self {
            w.keep_one_sided();
        }
    }

    /// Warnings so far, removed from the writer.
    pub(crate) fn take_warnings(&mut self) -> Vec<Warning> {
        match self {
            UnitWriter::Tmx(w) => w.take_warnings(),
            UnitWriter::Table(w) => w.take_warnings(),
        }
    }

    /// Once every unit is written: totals of what the format could not hold, as warnings
    /// (a table's units written without some of their languages).
    pub(crate) fn end_warnings(&mut self) -> Vec<Warning> {
        match self {
            UnitWriter::Tmx(_) => Vec::new(),
            UnitWriter::Table(w) => w.end_warnings(),
        }
    }

    /// The number of units written.
    #[cfg(test)]
    pub(crate) fn written(&self) -> u64 {
        match self {
            UnitWriter::Tmx(w) => w.written(),
            UnitWriter::Table(w) => w.written(),
        }
    }

    /// Ends the document, flushes and returns the sink.
    pub(crate) fn finish(self) -> io::Result<W> {
        match self {
            UnitWriter::Tmx(w) => w.finish(),
            UnitWriter::Table(w) => w.finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::tmx::write::tests::{assert_valid_tmx, tag, text, unit, variant};

    fn units() -> Vec<Unit> {
        let mut u = unit(
            1,
            vec![
                variant(
                    "en-US",
                    vec![text("Hello, "), tag("ph", &[("x", "1")], vec![text("{1}")])],
                ),
                variant("ru-RU", vec![text("Привет")]),
            ],
        );
        u.props = vec![crate::unit::Prop {
            kind: "x-score".into(),
            value: "0.9".into(),
        }];
        vec![u]
    }

    fn header() -> Header {
        Header {
            srclang: Some("en-US".into()),
            ..Header::default()
        }
    }

    fn write(format: Format, options: &OutputOptions) -> Vec<u8> {
        let mut w = UnitWriter::new(Vec::new(), format, &header(), options).unwrap();
        for u in units() {
            assert!(w.write(&u).unwrap());
        }
        assert_eq!(w.written(), 1);
        assert!(w.take_warnings().is_empty());
        w.finish().unwrap()
    }

    /// One registry: every name parses back to its format, every format has a name and an
    /// extension, and an unknown output extension lists them all.
    #[test]
    fn the_registry_is_consistent() {
        for &(format, name, exts) in &REGISTRY {
            assert_eq!(format.name(), name);
            assert_eq!(name.parse::<Format>(), Ok(format));
            for ext in exts {
                let path = format!("x.{ext}");
                assert_eq!(Format::from_path(Path::new(&path)), Some(format));
                assert_eq!(Format::of_output(Path::new(&path)).ok(), Some(Some(format)));
            }
        }
        let err = Format::of_output(Path::new("x.docx"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(".tmx, .tsv (.tab), .csv, .jsonl (.ndjson, .json), .links (.align)"),
            "{err}"
        );
        assert_eq!(Format::of_output(Path::new("-")).ok(), Some(None));
        assert!("xliff"
            .parse::<Format>()
            .unwrap_err()
            .contains("tmx, tsv, csv, jsonl, links"));
        assert!(!Format::Links.holds_units() && Format::Jsonl.holds_units());
        let err = UnitReader::from_reader(
            Box::new(std::io::empty()),
            "a.links",
            &InputOptions::default(),
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            err.contains("holds an alignment by sentence numbers"),
            "{err}"
        );
    }

    #[test]
    fn formats_from_names_and_extensions() {
        for (p, f) in [
            ("a.tmx", Some(Format::Tmx)),
            ("A.TMX", Some(Format::Tmx)),
            ("a.tsv", Some(Format::Tsv)),
            ("a.tab", Some(Format::Tsv)),
            ("a.csv", Some(Format::Csv)),
            ("a.jsonl", Some(Format::Jsonl)),
            ("a.ndjson", Some(Format::Jsonl)),
            ("a.json", Some(Format::Jsonl)),
            ("a.links", Some(Format::Links)),
            ("a.align", Some(Format::Links)),
            ("a.txt", None),
            ("-", None),
        ] {
            assert_eq!(Format::from_path(Path::new(p)), f, "{p}");
        }
        assert_eq!("TSV".parse::<Format>(), Ok(Format::Tsv));
        assert_eq!("jsonl".parse::<Format>(), Ok(Format::Jsonl));
        assert!("xlsx"
            .parse::<Format>()
            .unwrap_err()
            .contains("tmx, tsv, csv, jsonl, links"));
        for f in [Format::Tmx, Format::Tsv, Format::Csv, Format::Jsonl] {
            assert_eq!(f.to_string().parse::<Format>(), Ok(f));
        }
    }

    #[test]
    fn sniffing() {
        assert_eq!(Format::sniff(b"\xEF\xBB\xBF<?xml"), Some(Format::Tmx));
        assert_eq!(Format::sniff(b"\xFF\xFE<\0?\0x\0"), Some(Format::Tmx));
        assert_eq!(Format::sniff(b"\0<\0t"), Some(Format::Tmx));
        assert_eq!(Format::sniff(b"  {\"header\":{}}"), Some(Format::Jsonl));
        assert_eq!(Format::sniff(b"en\tru\nA,B\tC"), Some(Format::Tsv));
        assert_eq!(Format::sniff(b"en,ru\na\tb,c"), Some(Format::Csv));
        assert_eq!(Format::sniff(b"just text\n"), None);
        assert_eq!(Format::sniff(b""), None);
    }

    #[test]
    fn every_format_round_trips_through_reader_and_writer() {
        for format in [Format::Tmx, Format::Tsv, Format::Csv, Format::Jsonl] {
            let bytes = write(format, &OutputOptions::default());
            if format == Format::Tmx {
                assert_valid_tmx(std::str::from_utf8(&bytes).unwrap());
            }
            // Named by extension, then sniffed from the bytes as from standard input.
            let named = format!("m.{}", format.name());
            for (path, f) in [(named.as_str(), None), ("-", None), ("m.dat", Some(format))] {
                let options = InputOptions {
                    format: f,
                    ..InputOptions::default()
                };
                let mut r = UnitReader::from_reader(
                    Box::new(std::io::Cursor::new(bytes.clone())),
                    path,
                    &options,
                )
                .unwrap_or_else(|e| panic!("{format} {path}: {e}"));
                assert_eq!(r.path(), Path::new(path));
                assert_eq!(r.header().srclang.as_deref(), Some("en-US"), "{format}");
                let back: Vec<Unit> = r.by_ref().collect::<Result<_>>().unwrap();
                assert!(r.take_warnings().is_empty(), "{format}");
                assert_eq!(back.len(), 1);
                assert_eq!(back[0].variants[0].segment, units()[0].variants[0].segment);
                assert_eq!(back[0].variants[1].lang, "ru-RU");
                assert_eq!(back[0].props, units()[0].props, "{format}");
            }
        }
        let plain = write(
            Format::Tsv,
            &OutputOptions {
                strip_tags: true,
                ..OutputOptions::default()
            },
        );
        assert!(String::from_utf8(plain)
            .unwrap()
            .contains("\nHello, \tПривет\t"));
    }

    #[test]
    fn unknown_and_missing_inputs_are_clear_errors() {
        let e = UnitReader::from_reader(
            Box::new(&b"just some text\n"[..]),
            "-",
            &InputOptions::default(),
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("name it with -f"), "{e}");
        let e = UnitReader::from_reader(Box::new(&b""[..]), "x", &InputOptions::default())
            .err()
            .unwrap();
        assert!(e.to_string().contains("empty"), "{e}");
        let e = UnitReader::open(Path::new("/nonexistent/m.tmx"), &InputOptions::default())
            .err()
            .unwrap();
        assert!(e.to_string().starts_with("/nonexistent/m.tmx: "), "{e}");
        // A headerless TSV with languages and plain text, as `bitext align -f tsv` writes it.
        let options = InputOptions {
            plain: true,
            langs: Some(("en".into(), "ru".into())),
            ..InputOptions::default()
        };
        let r = UnitReader::from_reader(
            Box::new(&b"A & B.\t\xD0\x90.\t0.9000\t1-1\n"[..]),
            "a.tsv",
            &options,
        )
        .unwrap();
        let units: Vec<Unit> = r.collect::<Result<_>>().unwrap();
        assert_eq!(units[0].variants[0].segment.plain_text(), "A & B.");
        // Lenient reaches the table reader: a broken row is skipped with a warning.
        let options = InputOptions {
            lenient: true,
            ..InputOptions::default()
        };
        let mut r = UnitReader::from_reader(
            Box::new(&b"en\tru\na & b\tx\nok\tda\n"[..]),
            "a.tsv",
            &options,
        )
        .unwrap();
        let units: Vec<Unit> = r.by_ref().collect::<Result<_>>().unwrap();
        assert_eq!(units.len(), 1);
        assert_eq!(r.take_warnings().len(), 1);
    }
}
