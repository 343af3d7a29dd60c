//! Export: scored links -> [`TranslationUnit`]s -> the units a file holds, written by the one
//! writer of each format.
//!
//! [`write_units`] picks the units, cleans their text and writes them in
//! [`ExportOptions::format`]. TMX, TSV and CSV go through the readers' and writers' home,
//! [`crate::formats`]: each link becomes a [`Unit`] (`tuid` its running number, the score and
//! link type as the `x-score` and `x-link` props, a variant per side), so `bitext align` and
//! `bitext tm` write the same TMX (with the same DTD guarantees) and the same tables, which
//! `bitext tm` reads back:
//!
//! | format | what it writes |
//! |---|---|
//! | [`Format::Tmx`] | TMX 1.4b, one `<tu>` a unit (`formats::tmx::TmxWriter`) |
//! | [`Format::Tsv`] | header `en-US TAB ru-RU TAB score TAB type`, then a row a unit (`formats::table`) |
//! | [`Format::Csv`] | the same columns, RFC 4180 quoting |
//! | [`Format::Jsonl`] | one JSON object a line: `src_ids`, `tgt_ids`, `src`, `tgt`, `score`, `type` |
//! | [`Format::Links`] | the vecalign/bertalign gold format `[3]:[4, 5]:0.8800` |
//!
//! Table segment cells hold TMX segment markup (`&amp; &lt; &gt;`, a TAB as `&#9;` in TSV) like
//! every table bitext writes; [`ExportOptions::plain`] writes plain text and
//! [`ExportOptions::no_header`] leaves out the header row, for tools that take every line as a
//! segment pair.
//!
//! Which units are written:
//! * every format drops units scored below [`ExportOptions::min_score`], and units whose score is
//!   not a number (with a warning);
//! * null links (1-0, 0-1): the links format always writes them (it is the complete alignment);
//!   TSV, CSV and JSON lines only with [`ExportOptions::keep_unaligned`] (the missing side an
//!   empty cell); TMX never, and neither a unit whose text is empty on one side: a CAT tool would
//!   take the empty segment for a translation (TMX-NOTES P10).
//!
//! Text: every format gets each side trimmed, with each run of white space that contains a line
//! break folded into one space (a sentence may cross a soft line break of the input; a record
//! must stay on one line); other white space, NBSP in particular, is kept as it is. TMX and the
//! tables drop the characters XML 1.0 forbids (warned) and keep the discouraged ones.
//!
//! Warnings name where: `unit 7 (source sentences 12-13, target sentence 9)`, where the unit number is the 1-based
//! running number of the record in the output (the TMX `tuid`, the JSON lines/links line, the
//! TSV/CSV record after the header) and sentence numbers are 1-based, as the lines printed by
//! `bitext split`. A skipped unit has no number and is named by its sentences only.
//!
//! [`write_to`] writes into an [`Output`] of the [`crate::io::output`] policy, which decides how the
//! file is written (atomically for a regular file, in place for a device, FIFO or `-`) and keeps
//! inputs from being overwritten.

use std::borrow::Cow;
use std::io::Write;
use std::ops::Range;
use std::path::Path;

use serde_json::value::RawValue;

use crate::error::{Error, Result, Warning};
use crate::formats::links;
use crate::formats::table::{PairRecord, ALIGNMENT_COLUMNS, LINK_PROP, SCORE_PROP};
use crate::formats::Format;
use crate::formats::{OutputOptions, UnitWriter};
use crate::io::output::Output;
use crate::score::ScoredLink;
use crate::split::SplitDocument;
use crate::unit::{Date, Header, Prop, Segment, Unit, Variant};

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
    /// TSV/CSV: segment cells hold plain text, not TMX segment markup (`&`, `<`, `>` as they
    /// are; TSV turns a TAB or line break into a space, warned).
    pub plain: bool,
    /// TSV/CSV: no header row (for tools that take every line as a segment pair).
    pub no_header: bool,
}

impl Default for ExportOptions {
    fn default() -> ExportOptions {
        ExportOptions {
            format: Format::Tmx,
            src_tag: "en-US".into(),
            tgt_tag: "ru-RU".into(),
            keep_unaligned: false,
            min_score: 0.0,
            plain: false,
            no_header: false,
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
    render(units, options, output, name, &locator, None, None)
}

/// Writes `units` as JSON lines, each record starting with the document's `id` (raw JSON, as
/// the stream read it): the records of `bitext align --stream`. Errors name `<stdout>`.
pub fn write_stream_records(
    units: &[TranslationUnit],
    options: &ExportOptions,
    id: &RawValue,
    out: &mut dyn Write,
) -> Result<Written> {
    let options = ExportOptions {
        format: Format::Jsonl,
        ..options.clone()
    };
    let name = Path::new("<stdout>");
    render(
        units,
        &options,
        out,
        name,
        &Locator::default(),
        None,
        Some(id),
    )
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

/// Checks the options: language tags (TMX and the TSV/CSV header row, where they are written) and the score
/// threshold. Returns warnings about tags that are valid but not in canonical case.
pub fn validate(options: &ExportOptions) -> Result<Vec<Warning>> {
    if options.min_score.is_nan() {
        return Err(Error::usage("the minimum score is not a number"));
    }
    let mut warnings = Vec::new();
    let tagged = match options.format {
        Format::Tmx => true,
        Format::Tsv | Format::Csv => !options.no_header,
        Format::Jsonl | Format::Links => false,
    };
    if tagged {
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

/// Builds warning locations, prefixed with the output file when there is one.
#[derive(Debug, Default)]
pub(crate) struct Locator {
    prefix: String,
}

impl Locator {
    /// `unit 7 (source sentences 12-13, target sentence 9)`: a written record, by its 1-based
    /// running number.
    pub fn unit(&self, number: usize, unit: &TranslationUnit) -> String {
        format!(
            "{}unit {number} ({}, {})",
            self.prefix,
            sentence_range(&unit.src_ids, "source"),
            sentence_range(&unit.tgt_ids, "target")
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
        let src = crate::text::xml::clean_segment(&unit.src);
        let tgt = crate::text::xml::clean_segment(&unit.tgt);
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
    id: Option<&RawValue>,
) -> Result<Written> {
    let mut warnings = validate(options)?;
    let created: Cow<'_, str> = match (options.format, created) {
        (Format::Tmx, Some(date)) => Cow::Borrowed(date),
        (Format::Tmx, None) => Cow::Owned(crate::io::date::creation_date()?),
        _ => Cow::Borrowed(""),
    };
    let selected = select(units, options, locator, &mut warnings);
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    let result = match options.format {
        Format::Jsonl => write_pairs(&selected, id, &mut buffered),
        Format::Links => write_links(&selected, &mut buffered),
        Format::Tmx | Format::Tsv | Format::Csv => write_records(
            &selected,
            options,
            &created,
            &mut buffered,
            locator,
            &mut warnings,
        ),
    };
    let units = result
        .and_then(|n| buffered.flush().map(|()| n))
        .map_err(|e| Error::io(name, e))?;
    Ok(Written { units, warnings })
}

/// Writes JSON lines, one [`PairRecord`] a unit, each with the stream's document `id` first
/// when there is one.
fn write_pairs(
    selected: &[Prepared<'_>],
    id: Option<&RawValue>,
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    for p in selected {
        let kind = p.unit.kind();
        PairRecord {
            id,
            src_ids: p.unit.src_ids.clone().collect(),
            tgt_ids: p.unit.tgt_ids.clone().collect(),
            src: &p.src,
            tgt: &p.tgt,
            score: (p.unit.score * 10_000.0).round() / 10_000.0 + 0.0,
            kind: &kind,
        }
        .write(out)?;
    }
    Ok(selected.len())
}

/// Writes the links format, one link a line.
fn write_links(selected: &[Prepared<'_>], out: &mut dyn Write) -> std::io::Result<usize> {
    for p in selected {
        let u = p.unit;
        links::write_link(
            out,
            u.src_ids.clone(),
            u.tgt_ids.clone(),
            &format_score(u.score),
        )?;
    }
    Ok(selected.len())
}

/// The unit a written link becomes: `tuid` its running number, its score and link type as the
/// `x-score` and `x-link` props, and a variant per side (an empty side: an empty segment).
fn to_unit(p: &Prepared<'_>, number: usize, options: &ExportOptions) -> Unit {
    let variant = |tag: &str, text: &str| Variant::new(tag, Segment::from_text(text));
    let mut unit = Unit::new(
        number as u64,
        0,
        vec![
            variant(&options.src_tag, &p.src),
            variant(&options.tgt_tag, &p.tgt),
        ],
    );
    unit.tuid = Some(number.to_string());
    unit.props = vec![
        Prop {
            kind: SCORE_PROP.into(),
            value: format_score(p.unit.score),
        },
        Prop {
            kind: LINK_PROP.into(),
            value: p.unit.kind(),
        },
    ];
    unit
}

/// Writes TMX, TSV or CSV through the one writer of each format ([`crate::formats`]), with the
/// writers' warnings located by the link's sentences. Returns the units written.
fn write_records(
    selected: &[Prepared<'_>],
    options: &ExportOptions,
    created: &str,
    out: &mut dyn Write,
    locator: &Locator,
    warnings: &mut Vec<Warning>,
) -> std::io::Result<usize> {
    let header = Header {
        srclang: Some(options.src_tag.clone()),
        adminlang: Some("en-US".into()),
        segtype: Some("sentence".into()),
        o_tmf: Some("bitext".into()),
        datatype: Some("plaintext".into()),
        creationdate: (!created.is_empty()).then(|| Date::parse(created)),
        ..Header::default()
    };
    let format = match options.format {
        Format::Tsv => Format::Tsv,
        Format::Csv => Format::Csv,
        _ => Format::Tmx,
    };
    let output = OutputOptions {
        format: Some(format),
        strip_tags: options.plain,
        langs: Some((options.src_tag.clone(), options.tgt_tag.clone())),
        columns: Some(ALIGNMENT_COLUMNS.to_vec()),
        no_header: options.no_header,
    };
    let mut writer = UnitWriter::new(out, format, &header, &output)?;
    let mut written = 0;
    for p in selected {
        let number = written + 1;
        let wrote = writer.write(&to_unit(p, number, options))?;
        for w in writer.take_warnings() {
            let at = if wrote {
                locator.unit(number, p.unit)
            } else {
                locator.link(p.unit)
            };
            warnings.push(Warning::new(at, w.message));
        }
        written += usize::from(wrote);
    }
    warnings.extend(writer.end_warnings());
    writer.finish()?;
    Ok(written)
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
            None,
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
        // Tags are only checked where they are written: not in a TSV without a header row.
        let tsv = ExportOptions {
            format: Format::Tsv,
            no_header: true,
            ..bad.clone()
        };
        assert!(write_units(&units, &tsv, &mut out).is_ok());
        let tsv = ExportOptions {
            format: Format::Tsv,
            ..bad
        };
        assert!(write_units(&units, &tsv, &mut out).is_err());
        let tsv = ExportOptions {
            format: Format::Jsonl,
            ..ExportOptions::default()
        };
        assert!(write_units(&units, &tsv, &mut out).is_ok());
    }

    /// The aligner's TMX comes out of the one TMX writer, byte for byte as it always did.
    #[test]
    fn tmx_exact_bytes() {
        let (text, warnings) = render_str(&sample(), &opts(Format::Tmx));
        assert!(warnings.is_empty(), "{warnings:?}");
        let v = env!("CARGO_PKG_VERSION");
        let expected = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="bitext" creationtoolversion="{v}" segtype="sentence" o-tmf="bitext" adminlang="en-US" srclang="en-US" datatype="plaintext" creationdate="20240115T120000Z"/>
  <body>
    <tu tuid="1">
      <prop type="x-score">0.9700</prop>
      <prop type="x-link">1-1</prop>
      <tuv xml:lang="en-US"><seg>The SCO met.</seg></tuv>
      <tuv xml:lang="ru-RU"><seg>ШОС собралась.</seg></tuv>
    </tu>
    <tu tuid="2">
      <prop type="x-score">0.9731</prop>
      <prop type="x-link">2-1</prop>
      <tuv xml:lang="en-US"><seg>It met in Beijing. On 17{nbsp}May.</seg></tuv>
      <tuv xml:lang="ru-RU"><seg>Она собралась в Пекине 17{nbsp}мая.</seg></tuv>
    </tu>
    <tu tuid="3">
      <prop type="x-score">0.8800</prop>
      <prop type="x-link">1-2</prop>
      <tuv xml:lang="en-US"><seg>A &amp; B &lt;said&gt; "yes".</seg></tuv>
      <tuv xml:lang="ru-RU"><seg>А и Б сказали «да». Вот.</seg></tuv>
    </tu>
    <tu tuid="4">
      <prop type="x-score">0.1000</prop>
      <prop type="x-link">1-1</prop>
      <tuv xml:lang="en-US"><seg>Low.</seg></tuv>
      <tuv xml:lang="ru-RU"><seg>Низко.</seg></tuv>
    </tu>
  </body>
</tmx>
"#,
            nbsp = '\u{A0}'
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn tmx_drops_illegal_characters_and_skips_a_side_left_empty() {
        let units = vec![
            unit(0..1, 0..1, "a\u{1}b", "в", 0.9),
            unit(1..2, 1..2, "\u{2}\u{3}", "г", 0.9),
            unit(2..3, 2..3, "c", "д", 0.9),
        ];
        let (text, warnings) = render_str(&units, &opts(Format::Tmx));
        assert!(text.contains("<seg>ab</seg>") && text.contains(r#"<tu tuid="2">"#));
        assert_eq!(text.matches("<tu ").count(), 2, "{text}");
        assert!(text.contains("<seg>c</seg>"));
        let locations: Vec<&str> = warnings.iter().map(|w| w.location.as_str()).collect();
        assert_eq!(
            locations[0],
            "unit 1 (source sentence 1, target sentence 1)"
        );
        assert!(warnings[0].message.contains("U+0001"), "{warnings:?}");
        assert!(
            locations.contains(&"source sentence 2, target sentence 2"),
            "{warnings:?}"
        );
    }

    /// One table schema: language tags as the first two column names, then `score` and `type`;
    /// segment cells in TMX segment markup, as `bitext tm` writes and reads them.
    #[test]
    fn tsv_exact_bytes() {
        let (text, warnings) = render_str(&sample(), &opts(Format::Tsv));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            text,
            "en-US\tru-RU\tscore\ttype\n\
             The SCO met.\tШОС собралась.\t0.9700\t1-1\n\
             It met in Beijing. On 17\u{A0}May.\tОна собралась в Пекине 17\u{A0}мая.\t0.9731\t2-1\n\
             A &amp; B &lt;said&gt; \"yes\".\tА и Б сказали «да». Вот.\t0.8800\t1-2\n\
             Low.\tНизко.\t0.1000\t1-1\n"
        );
        let plain = ExportOptions {
            plain: true,
            no_header: true,
            ..opts(Format::Tsv)
        };
        let (text, _) = render_str(&sample(), &plain);
        assert!(text.starts_with("The SCO met.\t"), "{text}");
        assert!(text.contains("A & B <said> \"yes\".\t"), "{text}");
    }

    #[test]
    fn tsv_keeps_null_links_on_request_and_tabs_as_references() {
        let o = ExportOptions {
            keep_unaligned: true,
            ..opts(Format::Tsv)
        };
        let (text, _) = render_str(&sample(), &o);
        assert_eq!(text.lines().count(), 7);
        assert!(text.contains("\n\tЛишнее.\t0.4100\t0-1\n"), "{text}");
        assert!(text.contains("\nExtra.\t\t0.5000\t1-0\n"), "{text}");

        let units = vec![unit(0..1, 0..1, "a\tb", "д", 0.5)];
        let (text, warnings) = render_str(&units, &opts(Format::Tsv));
        assert!(text.ends_with("a&#9;b\tд\t0.5000\t1-1\n"), "{text}");
        assert!(warnings.is_empty());
        let plain = ExportOptions {
            plain: true,
            ..opts(Format::Tsv)
        };
        let (text, warnings) = render_str(&units, &plain);
        assert!(text.ends_with("a b\tд\t0.5000\t1-1\n"), "{text}");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            warnings[0].location,
            "unit 1 (source sentence 1, target sentence 1)"
        );
    }

    #[test]
    fn csv_exact_bytes() {
        let o = ExportOptions {
            keep_unaligned: true,
            min_score: 0.3,
            ..opts(Format::Csv)
        };
        let (text, warnings) = render_str(&sample(), &o);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            text,
            "en-US,ru-RU,score,type\n\
             The SCO met.,ШОС собралась.,0.9700,1-1\n\
             It met in Beijing. On 17\u{A0}May.,Она собралась в Пекине 17\u{A0}мая.,0.9731,2-1\n\
             \"A &amp; B &lt;said&gt; \"\"yes\"\".\",А и Б сказали «да». Вот.,0.8800,1-2\n\
             ,Лишнее.,0.4100,0-1\n\
             Extra.,,0.5000,1-0\n"
        );
    }

    /// What `bitext align` writes, `bitext tm` reads back: the same text, score and link type,
    /// in every table format and TMX.
    #[test]
    fn tables_and_tmx_read_back_as_the_same_units() {
        use crate::formats::{InputOptions, UnitReader};
        for format in [Format::Tmx, Format::Tsv, Format::Csv] {
            let o = ExportOptions {
                keep_unaligned: true,
                ..opts(format)
            };
            let (text, _) = render_str(&sample(), &o);
            let input = InputOptions {
                format: Some(match format {
                    Format::Tmx => Format::Tmx,
                    Format::Tsv => Format::Tsv,
                    _ => Format::Csv,
                }),
                ..InputOptions::default()
            };
            let bytes = std::io::Cursor::new(text.into_bytes());
            let reader =
                UnitReader::from_reader(Box::new(bytes), Path::new("x"), &input).expect("readable");
            let units: Vec<Unit> = reader.map(|u| u.expect("a unit")).collect();
            let written: Vec<TranslationUnit> = sample()
                .into_iter()
                .filter(|u| format != Format::Tmx || !u.is_null())
                .collect();
            assert_eq!(units.len(), written.len(), "{format:?}");
            for (u, t) in units.iter().zip(written) {
                let text = |lang: &str| u.variant(lang).map(|v| v.segment.plain_text());
                let fold = |s: &str| s.replace('\n', " ");
                assert_eq!(
                    text("en-US").unwrap_or_default(),
                    fold(&t.src),
                    "{format:?}"
                );
                assert_eq!(
                    text("ru-RU").unwrap_or_default(),
                    fold(&t.tgt),
                    "{format:?}"
                );
                let prop = |k: &str| u.props.iter().find(|p| p.kind == k).map(|p| &p.value);
                assert_eq!(prop(SCORE_PROP), Some(&format_score(t.score)), "{format:?}");
                assert_eq!(prop(LINK_PROP), Some(&t.kind()), "{format:?}");
            }
        }
    }

    #[test]
    fn jsonl_exact_bytes() {
        let o = ExportOptions {
            keep_unaligned: true,
            min_score: 0.45,
            ..opts(Format::Jsonl)
        };
        let (text, warnings) = render_str(&sample(), &o);
        assert!(warnings.is_empty());
        assert!(
            text.contains("17\u{A0}мая"),
            "NBSP (raw in the literal below) is kept"
        );
        assert_eq!(
            text,
            concat!(
                r#"{"src_ids":[0],"tgt_ids":[0],"src":"The SCO met.","tgt":"ШОС собралась.","score":0.97,"type":"1-1"}"#,
                "\n",
                r#"{"src_ids":[1,2],"tgt_ids":[1],"src":"It met in Beijing. On 17 May.","tgt":"Она собралась в Пекине 17 мая.","score":0.9731,"type":"2-1"}"#,
                "\n",
                r#"{"src_ids":[3],"tgt_ids":[2,3],"src":"A & B <said> \"yes\".","tgt":"А и Б сказали «да». Вот.","score":0.88,"type":"1-2"}"#,
                "\n",
                r#"{"src_ids":[4],"tgt_ids":[],"src":"Extra.","tgt":"","score":0.5,"type":"1-0"}"#,
                "\n",
            )
        );
    }

    #[test]
    fn jsonl_lines_parse_and_control_characters_are_escaped() {
        let units = vec![unit(0..1, 0..1, "a\u{1}\"\\", "б\tв", 0.123456)];
        let (text, _) = render_str(&units, &opts(Format::Jsonl));
        assert_eq!(text.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(text.trim_end()).expect("JSON");
        assert_eq!(v["src"], "a\u{1}\"\\");
        assert_eq!(v["tgt"], "б\tв");
        assert_eq!(v["score"], 0.1235);
        assert!(text.contains(r#""src":"a\u0001\"\\""#), "{text}");
    }

    #[test]
    fn links_exact_bytes() {
        let (text, warnings) = render_str(&sample(), &opts(Format::Links));
        assert!(warnings.is_empty());
        assert_eq!(
            text,
            "[0]:[0]:0.9700\n[1, 2]:[1]:0.9731\n[3]:[2, 3]:0.8800\n[]:[4]:0.4100\n[4]:[]:0.5000\n[5]:[5]:0.1000\n"
        );
    }

    #[test]
    fn links_min_score_filters_even_the_complete_alignment() {
        let o = ExportOptions {
            min_score: 0.45,
            ..opts(Format::Links)
        };
        let (text, _) = render_str(&sample(), &o);
        assert_eq!(text.lines().count(), 4);
        assert!(!text.contains("[]:[4]"));
        let wide = vec![unit(3..4, 4..7, "", "", 0.88)];
        let (text, _) = render_str(&wide, &opts(Format::Links));
        assert_eq!(text, "[3]:[4, 5, 6]:0.8800\n");
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
            l.unit(7, &u),
            "unit 7 (source sentences 12-13, no target sentence)"
        );
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
