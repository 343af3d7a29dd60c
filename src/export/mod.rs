//! Export: scored links -> [`TranslationUnit`]s -> TMX 1.4b, TSV, CSV, JSON lines or links.
//!
//! One writer per file, all fed the same way ([`write_units`] picks the units, cleans their text
//! and hands them to the writer of [`ExportOptions::format`]):
//!
//! | format | file | what it writes |
//! |---|---|---|
//! | [`Format::Tmx`] | `tmx.rs` | TMX 1.4b (LISA OSCAR 2005), valid against `tmx14.dtd`; one `<tu>` a unit |
//! | [`Format::Tsv`] | `delimited.rs` | `source TAB target TAB score TAB type`, no header line |
//! | [`Format::Csv`] | `delimited.rs` | RFC 4180 quoting, header `source,target,score,type` |
//! | [`Format::Jsonl`] | `jsonl.rs` | one JSON object a line: `src_ids`, `tgt_ids`, `src`, `tgt`, `score`, `type` |
//! | [`Format::Links`] | `links.rs` | the vecalign/bertalign gold format `[3]:[4, 5]:0.8800` |
//!
//! Which units are written:
//! * every format drops units scored below [`ExportOptions::min_score`], and units whose score is
//!   not a number (with a warning);
//! * null links (1-0, 0-1): the links format always writes them (it is the complete alignment);
//!   TSV, CSV and JSON lines only with [`ExportOptions::keep_unaligned`]; TMX never, and neither
//!   a unit whose text is empty on one side: a CAT tool would take the empty segment for a
//!   translation (TMX-NOTES P10).
//!
//! Text: every format gets each side trimmed, with each run of white space that contains a line
//! break folded into one space (a sentence may cross a soft line break of the input; a record
//! must stay on one line); other white space, NBSP in particular, is kept as it is. TSV cannot
//! quote, so a TAB inside a segment becomes a space (warned). TMX drops the characters XML 1.0
//! forbids (warned) and keeps the discouraged ones (warned).
//!
//! Warnings name where: `unit 7 (source sentences 12-13)`, where the unit number is the 1-based
//! running number of the record in the output (the TMX `tuid`, the TSV/JSON lines/links line,
//! the CSV record after the header) and sentence numbers are 1-based, as the lines printed by
//! `bitext split`. A skipped unit has no number and is named by its sentences only.
//!
//! [`write_to`] writes into an [`Output`] of the [`crate::output`] policy, which decides how the
//! file is written (atomically for a regular file, in place for a device, FIFO or `-`) and keeps
//! inputs from being overwritten.

pub(crate) mod date;
mod delimited;
mod jsonl;
mod links;
pub(crate) mod text;
mod tmx;

use std::borrow::Cow;
use std::io::Write;
use std::ops::Range;
use std::path::Path;
use std::str::FromStr;

use crate::error::{Error, Result, Warning};
use crate::output::Output;
use crate::score::ScoredLink;
use crate::split::SplitDocument;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TMX 1.4b.
    Tmx,
    /// Tab-separated: source, target, score, type.
    Tsv,
    /// Comma-separated (RFC 4180): source, target, score, type.
    Csv,
    /// One JSON object a link.
    Jsonl,
    /// The vecalign/bertalign links format: `[0]:[0, 1]:0.97`.
    Links,
}

impl Format {
    /// The format implied by a file name's extension, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "tmx" => Some(Format::Tmx),
            "tsv" | "tab" => Some(Format::Tsv),
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "links" | "align" => Some(Format::Links),
            _ => None,
        }
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
                "cannot write '{}': unknown output extension; bitext writes .tmx, .tsv (.tab), \
                 .csv, .jsonl (.ndjson) and .links (.align), or name the format with -f",
                path.display()
            ))),
        }
    }

    /// True when the format writes 1-0 and 0-1 units under these options.
    pub fn writes_null_links(self, keep_unaligned: bool) -> bool {
        match self {
            Format::Tmx => false,
            Format::Links => true,
            Format::Tsv | Format::Csv | Format::Jsonl => keep_unaligned,
        }
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Format, String> {
        match s.to_ascii_lowercase().as_str() {
            "tmx" => Ok(Format::Tmx),
            "tsv" => Ok(Format::Tsv),
            "csv" => Ok(Format::Csv),
            "jsonl" => Ok(Format::Jsonl),
            "links" => Ok(Format::Links),
            _ => Err(format!(
                "unknown format '{s}' (expected tmx, tsv, csv, jsonl or links)"
            )),
        }
    }
}

/// One aligned pair of segments, as a translation memory stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct TranslationUnit {
    /// Source sentence indices (0-based).
    pub src_ids: Range<usize>,
    /// Target sentence indices (0-based).
    pub tgt_ids: Range<usize>,
    /// Source text: the sentences joined by one space.
    pub src: String,
    /// Target text: the sentences joined by one space.
    pub tgt: String,
    /// Confidence in [0, 1].
    pub score: f64,
}

impl TranslationUnit {
    /// Materialises the text of a scored link.
    pub fn from_link(
        link: &ScoredLink,
        src: &SplitDocument,
        tgt: &SplitDocument,
    ) -> TranslationUnit {
        let join = |doc: &SplitDocument, ids: Range<usize>| -> String {
            ids.map(|i| doc.sentence(i).trim())
                .collect::<Vec<_>>()
                .join(" ")
        };
        TranslationUnit {
            src_ids: link.link.src.clone(),
            tgt_ids: link.link.tgt.clone(),
            src: join(src, link.link.src.clone()),
            tgt: join(tgt, link.link.tgt.clone()),
            score: link.score,
        }
    }

    /// The link type as `"n-m"`, e.g. `"2-1"`.
    pub fn kind(&self) -> String {
        format!("{}-{}", self.src_ids.len(), self.tgt_ids.len())
    }

    /// True for 1-0 and 0-1 units.
    pub fn is_null(&self) -> bool {
        self.src_ids.is_empty() || self.tgt_ids.is_empty()
    }
}

/// How to write units.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The output format.
    pub format: Format,
    /// Language tag of the source `<tuv>` and of `srclang` (TMX).
    pub src_tag: String,
    /// Language tag of the target `<tuv>` (TMX).
    pub tgt_tag: String,
    /// Keep 1-0 and 0-1 units in TSV, CSV and JSON lines (never in TMX).
    pub keep_unaligned: bool,
    /// Drop units scored below this.
    pub min_score: f64,
}

impl Default for ExportOptions {
    fn default() -> ExportOptions {
        ExportOptions {
            format: Format::Tmx,
            src_tag: "en-US".into(),
            tgt_tag: "ru-RU".into(),
            keep_unaligned: false,
            min_score: 0.0,
        }
    }
}

/// Writes `units` to `out` in the chosen format; returns warnings about changed text.
///
/// Output is buffered here and flushed before returning. TMX gets the current time as its
/// `creationdate`, or `SOURCE_DATE_EPOCH` when that variable is set. I/O errors name the output
/// `<output>`; [`write_to`] names the real file.
pub fn write_units(
    units: &[TranslationUnit],
    options: &ExportOptions,
    out: &mut dyn std::io::Write,
) -> Result<Vec<Warning>> {
    render(
        units,
        options,
        out,
        Path::new("<output>"),
        &Locator::default(),
        None,
    )
    .map(|written| written.warnings)
}

/// What a write did: the units written and the warnings about them.
#[derive(Debug, Default)]
pub struct Written {
    /// Units written (records of the output).
    pub units: usize,
    /// Warnings about units changed or skipped.
    pub warnings: Vec<Warning>,
}

/// Writes `units` into `output` (which the caller commits); warnings and errors name the
/// output's path. A closed standard output gives an I/O error for which
/// [`Error::is_broken_pipe`] is true.
pub fn write_to(
    units: &[TranslationUnit],
    options: &ExportOptions,
    output: &mut Output,
) -> Result<Written> {
    let path = output.path().to_path_buf();
    let locator = if path == Path::new("-") {
        Locator::default()
    } else {
        Locator {
            prefix: format!("{}: ", path.display()),
        }
    };
    let name = if path == Path::new("-") {
        Path::new("<stdout>")
    } else {
        path.as_path()
    };
    render(units, options, output, name, &locator, None)
}

/// Why [`write_to`] wrote no unit of `units` under `options`, for the warning that says so.
pub fn why_nothing_written(units: &[TranslationUnit], options: &ExportOptions) -> String {
    let nulls = units.iter().filter(|u| u.is_null()).count();
    let below = units
        .iter()
        .filter(|u| !u.is_null() && below(u.score, options.min_score))
        .count();
    let mut reasons = Vec::new();
    if units.is_empty() {
        reasons.push("the alignment has no link".to_string());
    }
    if nulls > 0 && !options.format.writes_null_links(options.keep_unaligned) {
        reasons.push(format!(
            "{nulls} of {} link(s) leave a sentence unaligned (1-0 or 0-1: the texts may not be \
             translations of each other; --keep-unaligned writes them to TSV, CSV and JSON lines)",
            units.len()
        ));
    }
    if below > 0 {
        reasons.push(format!(
            "{below} link(s) scored below --min-score {}",
            options.min_score
        ));
    }
    if reasons.is_empty() {
        reasons.push("every unit had an empty side".to_string());
    }
    format!("no unit written: {}", reasons.join("; "))
}

/// Checks the options: language tags (TMX only, where they are written) and the score
/// threshold. Returns warnings about tags that are valid but not in canonical case.
pub fn validate(options: &ExportOptions) -> Result<Vec<Warning>> {
    if options.min_score.is_nan() {
        return Err(Error::usage("the minimum score is not a number"));
    }
    let mut warnings = Vec::new();
    if options.format == Format::Tmx {
        warnings.extend(validate_tag(&options.src_tag, "source")?);
        warnings.extend(validate_tag(&options.tgt_tag, "target")?);
        if options.src_tag.eq_ignore_ascii_case(&options.tgt_tag) {
            return Err(Error::usage(format!(
                "source and target language tags are both '{}': a translation memory needs two \
                 languages",
                options.tgt_tag
            )));
        }
    }
    Ok(warnings)
}

pub use crate::lang::tag::validate_tag;

/// A unit chosen for output, with its text cleaned (see the module docs).
pub(crate) struct Prepared<'a> {
    /// The unit.
    pub unit: &'a TranslationUnit,
    /// Its source text, trimmed and with line breaks folded.
    pub src: Cow<'a, str>,
    /// Its target text, trimmed and with line breaks folded.
    pub tgt: Cow<'a, str>,
}

/// One side of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// The source.
    Source,
    /// The target.
    Target,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Source => "source",
            Side::Target => "target",
        }
    }
}

/// Builds warning locations, prefixed with the output file when there is one.
#[derive(Debug, Default)]
pub(crate) struct Locator {
    prefix: String,
}

impl Locator {
    /// `unit 7 (source sentences 12-13)`: a written record, by its 1-based running number.
    pub fn unit(&self, number: usize, unit: &TranslationUnit, side: Side) -> String {
        let ids = match side {
            Side::Source => &unit.src_ids,
            Side::Target => &unit.tgt_ids,
        };
        format!(
            "{}unit {number} ({})",
            self.prefix,
            sentence_range(ids, side.name())
        )
    }

    /// `source sentence 5, target sentences 6-7`: a unit that was not written.
    pub fn link(&self, unit: &TranslationUnit) -> String {
        format!(
            "{}{}, {}",
            self.prefix,
            sentence_range(&unit.src_ids, "source"),
            sentence_range(&unit.tgt_ids, "target")
        )
    }
}

/// `source sentence 13`, `source sentences 12-13` or `no source sentence` (1-based numbers).
fn sentence_range(ids: &Range<usize>, side: &str) -> String {
    match ids.len() {
        0 => format!("no {side} sentence"),
        1 => format!("{side} sentence {}", ids.start + 1),
        _ => format!("{side} sentences {}-{}", ids.start + 1, ids.end),
    }
}

/// A score with four decimals, as every text format writes it.
pub(crate) fn format_score(score: f64) -> String {
    // `+ 0.0` turns -0.0 into 0.0.
    format!("{:.4}", score + 0.0)
}

/// True when `score`, as the text formats write it (four decimals), is below `min_score`: a
/// link written as 0.7000 passes `--min-score 0.7` here as it does in `bitext eval`.
fn below(score: f64, min_score: f64) -> bool {
    if min_score <= 0.0 {
        return score < min_score;
    }
    let written = format_score(score).parse::<f64>().unwrap_or(score);
    written < min_score
}

/// The units `options` asks for, with their text cleaned.
fn select<'a>(
    units: &'a [TranslationUnit],
    options: &ExportOptions,
    locator: &Locator,
    warnings: &mut Vec<Warning>,
) -> Vec<Prepared<'a>> {
    let with_nulls = options.format.writes_null_links(options.keep_unaligned);
    let mut selected = Vec::with_capacity(units.len());
    for unit in units {
        if !unit.score.is_finite() {
            warnings.push(Warning::new(
                locator.link(unit),
                format!("unit skipped: its score ({}) is not a number", unit.score),
            ));
            continue;
        }
        if below(unit.score, options.min_score) || (unit.is_null() && !with_nulls) {
            continue;
        }
        let src = text::clean_segment(&unit.src);
        let tgt = text::clean_segment(&unit.tgt);
        if options.format == Format::Tmx && (src.is_empty() || tgt.is_empty()) {
            let side = if src.is_empty() { "source" } else { "target" };
            warnings.push(Warning::new(
                locator.link(unit),
                format!(
                    "unit skipped: its {side} text is empty, and TMX never gets empty segments"
                ),
            ));
            continue;
        }
        selected.push(Prepared { unit, src, tgt });
    }
    selected
}

/// Validates, selects and writes; `created` fixes the TMX date (else the clock or
/// `SOURCE_DATE_EPOCH`). I/O errors name `name`.
fn render(
    units: &[TranslationUnit],
    options: &ExportOptions,
    out: &mut dyn Write,
    name: &Path,
    locator: &Locator,
    created: Option<&str>,
) -> Result<Written> {
    let mut warnings = validate(options)?;
    let created: Cow<'_, str> = match (options.format, created) {
        (Format::Tmx, Some(date)) => Cow::Borrowed(date),
        (Format::Tmx, None) => Cow::Owned(date::creation_date()?),
        _ => Cow::Borrowed(""),
    };
    let selected = select(units, options, locator, &mut warnings);
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    let out: &mut dyn Write = &mut buffered;
    let written = match options.format {
        Format::Tmx => tmx::write(&selected, options, &created, out, locator, &mut warnings),
        Format::Tsv => delimited::write(
            &selected,
            delimited::Dialect::Tsv,
            out,
            locator,
            &mut warnings,
        ),
        Format::Csv => delimited::write(
            &selected,
            delimited::Dialect::Csv,
            out,
            locator,
            &mut warnings,
        ),
        Format::Jsonl => jsonl::write(&selected, out),
        Format::Links => links::write(&selected, out),
    };
    written
        .and_then(|()| buffered.flush())
        .map_err(|e| Error::io(name, e))?;
    Ok(Written {
        units: selected.len(),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn unit(
        src: Range<usize>,
        tgt: Range<usize>,
        s: &str,
        t: &str,
        score: f64,
    ) -> TranslationUnit {
        TranslationUnit {
            src_ids: src,
            tgt_ids: tgt,
            src: s.into(),
            tgt: t.into(),
            score,
        }
    }

    /// A small alignment with every kind of unit: 1-1, 2-1, 1-2, 0-1, 1-0, a low score.
    pub(crate) fn sample() -> Vec<TranslationUnit> {
        vec![
            unit(0..1, 0..1, "The SCO met.", "ШОС собралась.", 0.97),
            unit(
                1..3,
                1..2,
                "It met in\nBeijing. On 17\u{A0}May.",
                "Она собралась в Пекине 17\u{A0}мая.",
                0.9731,
            ),
            unit(
                3..4,
                2..4,
                "A & B <said> \"yes\".",
                "А и Б сказали «да». Вот.",
                0.88,
            ),
            unit(4..4, 4..5, "", "Лишнее.", 0.41),
            unit(4..5, 5..5, "Extra.", "", 0.5),
            unit(5..6, 5..6, "Low.", "Низко.", 0.1),
        ]
    }

    /// Renders with a fixed date and returns (text, warnings).
    pub(crate) fn render_str(
        units: &[TranslationUnit],
        options: &ExportOptions,
    ) -> (String, Vec<Warning>) {
        let mut out = Vec::new();
        let warnings = render(
            units,
            options,
            &mut out,
            Path::new("<test>"),
            &Locator::default(),
            Some("20240115T120000Z"),
        )
        .expect("render")
        .warnings;
        (String::from_utf8(out).expect("UTF-8"), warnings)
    }

    pub(crate) fn opts(format: Format) -> ExportOptions {
        ExportOptions {
            format,
            ..ExportOptions::default()
        }
    }

    #[test]
    fn selection_follows_the_format_policy() {
        let units = sample();
        let count = |format: Format, keep: bool, min: f64| {
            let o = ExportOptions {
                format,
                keep_unaligned: keep,
                min_score: min,
                ..ExportOptions::default()
            };
            select(&units, &o, &Locator::default(), &mut Vec::new()).len()
        };
        assert_eq!(count(Format::Tmx, false, 0.0), 4);
        assert_eq!(
            count(Format::Tmx, true, 0.0),
            4,
            "TMX never gets null links"
        );
        assert_eq!(count(Format::Tsv, false, 0.0), 4);
        assert_eq!(count(Format::Tsv, true, 0.0), 6);
        assert_eq!(count(Format::Csv, true, 0.0), 6);
        assert_eq!(count(Format::Jsonl, true, 0.0), 6);
        assert_eq!(
            count(Format::Links, false, 0.0),
            6,
            "links is the complete alignment"
        );
        assert_eq!(count(Format::Links, false, 0.5), 4);
        assert_eq!(count(Format::Tsv, true, 0.5), 4);
        assert_eq!(count(Format::Tmx, false, 0.9), 2);
    }

    #[test]
    fn non_numeric_scores_and_blank_sides_are_skipped_with_a_warning() {
        let units = vec![
            unit(0..1, 0..1, "A.", "А.", f64::NAN),
            unit(1..2, 1..2, " \n ", "Б.", 0.9),
            unit(2..3, 2..3, "C.", "В.", 0.9),
        ];
        let (text, warnings) = render_str(&units, &opts(Format::Tmx));
        assert_eq!(text.matches("<tu ").count(), 1);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(warnings[0].location, "source sentence 1, target sentence 1");
        assert!(warnings[0].message.contains("not a number"));
        assert_eq!(warnings[1].location, "source sentence 2, target sentence 2");
        assert!(warnings[1].message.contains("source text is empty"));
    }

    #[test]
    fn language_tags() {
        for ok in [
            "en",
            "en-US",
            "ru-RU",
            "zh-Hans-CN",
            "de-CH-1901",
            "x-klingon",
            "sr-Latn",
        ] {
            assert_eq!(validate_tag(ok, "source").expect(ok), None, "{ok}");
        }
        let err = validate_tag("en_US", "source")
            .expect_err("underscore")
            .to_string();
        assert!(err.contains("'en-US'") && err.contains("source"), "{err}");
        for bad in [
            "",
            "e",
            "en-",
            "-US",
            "en--US",
            "en US",
            "1en",
            "en-USAUSAUSA",
            "*all*",
            "ру",
        ] {
            assert!(validate_tag(bad, "target").is_err(), "{bad:?}");
        }
        let w = validate_tag("EN-us", "source")
            .expect("valid")
            .expect("warning");
        assert!(w.message.contains("'en-US'"), "{w}");
        let w = validate_tag("zh-hans-cn", "target")
            .expect("valid")
            .expect("warning");
        assert!(w.message.contains("'zh-Hans-CN'"), "{w}");
    }

    #[test]
    fn options_are_checked_before_writing() {
        let units = sample();
        let mut out = Vec::new();
        let bad = ExportOptions {
            src_tag: "en_US".into(),
            ..ExportOptions::default()
        };
        assert!(write_units(&units, &bad, &mut out).is_err());
        assert!(out.is_empty());
        let same = ExportOptions {
            tgt_tag: "EN-us".into(),
            ..ExportOptions::default()
        };
        assert!(write_units(&units, &same, &mut out).is_err());
        let nan = ExportOptions {
            min_score: f64::NAN,
            format: Format::Tsv,
            ..ExportOptions::default()
        };
        assert!(write_units(&units, &nan, &mut out).is_err());
        // Tags are only checked where they are written.
        let tsv = ExportOptions {
            format: Format::Tsv,
            ..bad
        };
        assert!(write_units(&units, &tsv, &mut out).is_ok());
    }

    #[test]
    fn scores_have_four_decimals() {
        assert_eq!(format_score(0.97), "0.9700");
        assert_eq!(format_score(0.97315), "0.9731");
        assert_eq!(format_score(1.0), "1.0000");
        assert_eq!(format_score(-0.0), "0.0000");
    }

    #[test]
    fn locations() {
        let u = unit(11..13, 3..3, "a", "", 0.5);
        let l = Locator::default();
        assert_eq!(
            l.unit(7, &u, Side::Source),
            "unit 7 (source sentences 12-13)"
        );
        assert_eq!(l.unit(7, &u, Side::Target), "unit 7 (no target sentence)");
        assert_eq!(l.link(&u), "source sentences 12-13, no target sentence");
        let l = Locator {
            prefix: "out.tmx: ".into(),
        };
        assert_eq!(
            l.link(&unit(0..1, 0..1, "", "", 0.0)),
            "out.tmx: source sentence 1, target sentence 1"
        );
    }

    /// The threshold applies to the score as written, so `bitext eval --min-score` on the
    /// output keeps exactly the links `bitext align --min-score` wrote.
    #[test]
    fn min_score_compares_the_written_score() {
        assert!(!below(0.69996, 0.7));
        assert!(below(0.69994, 0.7));
        assert!(!below(0.7, 0.7));
        assert!(below(0.1, 0.2));
        assert!(!below(0.0, 0.0));
    }
}
