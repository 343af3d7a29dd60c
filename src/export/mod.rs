//! Export: scored links -> [`TranslationUnit`]s -> TMX 1.4b, TSV, CSV, JSON lines or links.
//! (Skeleton: the writers land in their own files.)

use std::ops::Range;
use std::path::Path;
use std::str::FromStr;

use crate::error::{Result, Warning};
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
pub fn write_units(
    units: &[TranslationUnit],
    options: &ExportOptions,
    out: &mut dyn std::io::Write,
) -> Result<Vec<Warning>> {
    let _ = (units, options, out);
    Ok(Vec::new())
}

/// Writes `units` atomically to `path` (refusing to overwrite any of `inputs`), or to stdout
/// when `path` is `-`.
pub fn write_to_path(
    units: &[TranslationUnit],
    options: &ExportOptions,
    path: &Path,
    inputs: &[&Path],
) -> Result<Vec<Warning>> {
    let _ = (units, options, path, inputs);
    Ok(Vec::new())
}
