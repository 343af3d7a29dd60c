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
use crate::formats::table::{PairRecord, TableColumn, ALIGNMENT_COLUMNS, LINK_PROP, SCORE_PROP};
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
    #[doc(hidden)]
    // Public only for benches/stages.rs (benches see the public API); not for library users.
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
    pub(crate) fn kind(&self) -> String {
        format!("{}-{}", self.src_ids.len(), self.tgt_ids.len())
    }

    /// True for 1-0 and 0-1 units.
    pub(crate) fn is_null(&self) -> bool {
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
    /// TSV/CSV: start with a UTF-8 byte-order mark, which Excel needs to read the file as
    /// UTF-8 (without it Cyrillic shows as mojibake); bitext's readers skip it.
    pub bom: bool,
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
            bom: false,
        }
    }
}

/// Writes `units` to `out` in the chosen format; returns warnings about changed text.
///
/// Output is buffered here and flushed before returning. TMX gets the current time as its
/// `creationdate`, or `SOURCE_DATE_EPOCH` when that variable is set. I/O errors name the output
/// `<output>`; [`write_to`] names the real file. For writing into memory (a buffer of JSON
/// lines a binding parses, a bench).
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
        None,
    )
    .map(|written| written.warnings)
}

/// What a write did: the units written and the warnings about them.
#[derive(Debug, Default)]
pub struct Written {
    /// Units written (records of the output).
    pub units: usize,
    /// Links left out because they scored below [`ExportOptions::min_score`] (and only for
    /// that).
    pub below_min_score: usize,
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
    render(units, options, output, name, &locator, None, None, None)
}

/// What a reviewer added to a unit: props written after `x-score` and `x-link` (TMX `<prop>`,
/// the `props` column of TSV and CSV) and notes (TMX `<note>`, the `notes` column).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Annotation {
    /// `(type, value)` pairs, e.g. `("x-status", "accepted")`.
    pub props: Vec<(String, String)>,
    /// Free-text notes (a reviewer's comment).
    pub notes: Vec<String>,
}

/// [`write_to`] with an [`Annotation`] per unit (`annotations[i]` goes with `units[i]`): the
/// export of a review. JSON lines and links have no place for them and write the units alone.
pub fn write_annotated(
    units: &[TranslationUnit],
    annotations: &[Annotation],
    options: &ExportOptions,
    output: &mut Output,
) -> Result<Written> {
    let path = output.path().to_path_buf();
    let locator = Locator {
        prefix: format!("{}: ", path.display()),
    };
    render(
        units,
        options,
        output,
        &path,
        &locator,
        None,
        None,
        Some(annotations),
    )
}

/// Writes `units` as JSON lines, each record starting with the document's `id` (raw JSON, as
/// the stream read it): the records of `bitext align --stream`. Errors name `<stdout>`.
pub(crate) fn write_stream_records(
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
        None,
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

pub(crate) use crate::lang::tag::validate_tag;

/// A unit chosen for output, with its text cleaned (see the module docs).
pub(crate) struct Prepared<'a> {
    /// The unit.
    pub unit: &'a TranslationUnit,
    /// Its position in the units given to the writer (for its [`Annotation`]).
    pub index: usize,
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
    pub(crate) fn unit(&self, number: usize, unit: &TranslationUnit) -> String {
        format!(
            "{}unit {number} ({}, {})",
            self.prefix,
            sentence_range(&unit.src_ids, "source"),
            sentence_range(&unit.tgt_ids, "target")
        )
    }

    /// `source sentence 5, target sentences 6-7`: a unit that was not written.
    pub(crate) fn link(&self, unit: &TranslationUnit) -> String {
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
    for (index, unit) in units.iter().enumerate() {
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
        selected.push(Prepared {
            unit,
            index,
            src,
            tgt,
        });
    }
    selected
}

#[allow(clippy::too_many_arguments)]
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
    annotations: Option<&[Annotation]>,
) -> Result<Written> {
    let all = units;
    let mut warnings = validate(options)?;
    let created: Cow<'_, str> = match (options.format, created) {
        (Format::Tmx, Some(date)) => Cow::Borrowed(date),
        (Format::Tmx, None) => Cow::Owned(crate::io::date::creation_date()?),
        _ => Cow::Borrowed(""),
    };
    let selected = select(units, options, locator, &mut warnings);
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    if options.bom && matches!(options.format, Format::Csv | Format::Tsv) {
        buffered
            .write_all("\u{FEFF}".as_bytes())
            .map_err(|e| Error::io(name, e))?;
    }
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
            annotations,
        ),
    };
    let units = result
        .and_then(|n| buffered.flush().map(|()| n))
        .map_err(|e| Error::io(name, e))?;
    let with_nulls = options.format.writes_null_links(options.keep_unaligned);
    let below_min_score = all
        .iter()
        .filter(|u| u.score.is_finite() && below(u.score, options.min_score))
        .filter(|u| with_nulls || !u.is_null())
        .count();
    Ok(Written {
        units,
        below_min_score,
        warnings,
    })
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
fn to_unit(
    p: &Prepared<'_>,
    number: usize,
    options: &ExportOptions,
    annotation: Option<&Annotation>,
) -> Unit {
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
    if let Some(annotation) = annotation {
        unit.props
            .extend(annotation.props.iter().map(|(kind, value)| Prop {
                kind: kind.clone(),
                value: value.clone(),
            }));
        unit.notes.extend(annotation.notes.iter().cloned());
    }
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
    annotations: Option<&[Annotation]>,
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
        columns: Some(match annotations {
            None => ALIGNMENT_COLUMNS.to_vec(),
            Some(_) => [
                &ALIGNMENT_COLUMNS[..],
                &[TableColumn::Props, TableColumn::Notes],
            ]
            .concat(),
        }),
        no_header: options.no_header,
    };
    let mut writer = UnitWriter::new(out, format, &header, &output)?;
    let mut written = 0;
    for p in selected {
        let number = written + 1;
        let annotation = annotations.and_then(|a| a.get(p.index));
        let wrote = writer.write(&to_unit(p, number, options, annotation))?;
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
mod tests;
