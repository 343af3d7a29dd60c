//! Pictures and lists of an evaluation, for those who would rather look than read.
//!
//! [`render_svg`] draws, in one SVG, the reliability diagram (strict precision of each score
//! bin, a point at the bin's mean score, against the diagonal a calibrated scorer follows;
//! `<circle class="bin">`, one per non-empty bin) and, per document pair, the system path over
//! the gold path through the sentence grid (gold links as grey boxes, `<rect class="gold">`;
//! system links as boxes outlined green when they are a gold link and red when not,
//! `<rect class="sys hit">` / `<rect class="sys miss">`). [`errors`] lists the gold links the
//! system missed and the system links that are wrong, with their text when the sentences are
//! given.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use super::links::{self, SentenceLink};
use super::reliability::BINS;
use super::Report;
use crate::error::Result;

/// Side of one panel, in pixels.
const PANEL: f64 = 320.0;
/// Margin inside a panel for axes and labels.
const MARGIN: f64 = 36.0;
/// Panels per row.
const COLUMNS: usize = 3;

/// Escapes text for an SVG text node or attribute.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The key of a link: its sorted sentence sets (how the strict metric compares links).
fn key(link: &SentenceLink) -> (Vec<u64>, Vec<u64>) {
    let mut src = link.src.clone();
    let mut tgt = link.tgt.clone();
    src.sort_unstable();
    tgt.sort_unstable();
    (src, tgt)
}

/// The reliability diagram panel at (`x`, `y`).
fn reliability_panel(svg: &mut String, report: &Report, x: f64, y: f64) {
    let size = PANEL - 2.0 * MARGIN;
    let (x0, y0) = (x + MARGIN, y + MARGIN);
    let _ = writeln!(
        svg,
        "<g class=\"reliability\"><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\">reliability: \
         precision by score</text><rect x=\"{x0:.1}\" y=\"{y0:.1}\" width=\"{size:.1}\" \
         height=\"{size:.1}\" fill=\"#fff\" stroke=\"#888\"/><line class=\"diagonal\" \
         x1=\"{x0:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{y0:.1}\" stroke=\"#999\" \
         stroke-dasharray=\"4 3\"/>",
        x + 8.0,
        y + 20.0,
        y0 + size,
        x0 + size
    );
    let _ = writeln!(
        svg,
        "<text x=\"{x0:.1}\" y=\"{:.1}\" font-size=\"10\">0</text><text x=\"{:.1}\" \
         y=\"{:.1}\" font-size=\"10\">score 1</text><text x=\"{:.1}\" y=\"{:.1}\" \
         font-size=\"10\">1</text>",
        y0 + size + 12.0,
        x0 + size - 36.0,
        y0 + size + 12.0,
        x0 - 12.0,
        y0 + 8.0
    );
    let Some(table) = &report.reliability else {
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">no scores in [0, 1]: no \
             diagram</text></g>",
            x0 + 8.0,
            y0 + size / 2.0
        );
        return;
    };
    let total: u64 = table.bins.iter().map(|b| b.links).sum();
    for (k, bin) in table.bins.iter().enumerate() {
        let (Some(precision), Some(mean)) = (bin.precision(), bin.mean_score()) else {
            continue;
        };
        // A bar per bin (its width the bin), its share of the links as its opacity.
        let share = bin.links as f64 / total.max(1) as f64;
        let left = x0 + k as f64 / BINS as f64 * size;
        let top = y0 + (1.0 - precision) * size;
        let _ = writeln!(
            svg,
            "<rect class=\"bar\" x=\"{left:.1}\" y=\"{top:.1}\" width=\"{:.1}\" \
             height=\"{:.1}\" fill=\"#1e63c6\" fill-opacity=\"{:.2}\"/>",
            size / BINS as f64 - 1.0,
            precision * size,
            0.15 + 0.6 * share.sqrt()
        );
        let _ = writeln!(
            svg,
            "<circle class=\"bin\" cx=\"{:.1}\" cy=\"{top:.1}\" r=\"4\" fill=\"#d32f2f\">\
             <title>scores {:.1}-{:.1}: {} links, precision {precision:.3}, mean score \
             {mean:.3}</title></circle>",
            x0 + mean * size,
            k as f64 / BINS as f64,
            (k + 1) as f64 / BINS as f64,
            bin.links
        );
    }
    svg.push_str("</g>\n");
}

/// The path panel of one document pair at (`x`, `y`).
fn path_panel(
    svg: &mut String,
    name: &str,
    system: &[SentenceLink],
    gold: &[SentenceLink],
    x: f64,
    y: f64,
) {
    let size = PANEL - 2.0 * MARGIN;
    let (x0, y0) = (x + MARGIN, y + MARGIN);
    let extent = |side: fn(&SentenceLink) -> &Vec<u64>| {
        system
            .iter()
            .chain(gold)
            .flat_map(|l| side(l).iter().copied())
            .max()
            .map_or(1, |m| m + 1)
    };
    let (n, m) = (extent(|l| &l.src), extent(|l| &l.tgt));
    let scale = size / n.max(m) as f64;
    let _ = writeln!(
        svg,
        "<g class=\"document\"><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\">{}</text><rect \
         x=\"{x0:.1}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#fff\" \
         stroke=\"#888\"/>",
        x + 8.0,
        y + 20.0,
        escape(name),
        n as f64 * scale,
        m as f64 * scale
    );
    let cell = |link: &SentenceLink| {
        let span = |ids: &[u64]| match (ids.iter().min(), ids.iter().max()) {
            (Some(&lo), Some(&hi)) => (lo as f64, (hi - lo + 1) as f64),
            _ => (0.0, 0.0),
        };
        let (sx, sw) = span(&link.src);
        let (ty, th) = span(&link.tgt);
        (
            x0 + sx * scale,
            y0 + ty * scale,
            (sw * scale).max(1.5),
            (th * scale).max(1.5),
        )
    };
    for link in gold
        .iter()
        .filter(|l| !l.src.is_empty() && !l.tgt.is_empty())
    {
        let (cx, cy, w, h) = cell(link);
        let _ = writeln!(
            svg,
            "<rect class=\"gold\" x=\"{cx:.2}\" y=\"{cy:.2}\" width=\"{w:.2}\" height=\"{h:.2}\" \
             fill=\"#bdbdbd\"/>"
        );
    }
    let gold_keys: HashSet<_> = gold.iter().map(key).collect();
    for link in system
        .iter()
        .filter(|l| !l.src.is_empty() && !l.tgt.is_empty())
    {
        let (cx, cy, w, h) = cell(link);
        let (class, colour) = if gold_keys.contains(&key(link)) {
            ("sys hit", "#2e8b3a")
        } else {
            ("sys miss", "#d32f2f")
        };
        let _ = writeln!(
            svg,
            "<rect class=\"{class}\" x=\"{cx:.2}\" y=\"{cy:.2}\" width=\"{w:.2}\" \
             height=\"{h:.2}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.2\"/>"
        );
    }
    svg.push_str("</g>\n");
}

/// The evaluation as one SVG: the reliability diagram, then a path panel per document pair
/// (its links read again from the files the report names).
pub fn render_svg(report: &Report) -> Result<String> {
    let panels = 1 + report.documents.len();
    let rows = panels.div_ceil(COLUMNS);
    let (width, height) = (
        PANEL * panels.min(COLUMNS) as f64,
        PANEL * rows as f64 + 24.0,
    );
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"sans-serif\">\n<rect width=\"100%\" \
         height=\"100%\" fill=\"#fbfbf8\"/>\n<text x=\"8\" y=\"{:.0}\" font-size=\"11\" \
         fill=\"#555\">grey: gold links; outlined: system links, green when a gold link, red \
         when not; dashed: a calibrated scorer</text>",
        height - 8.0
    );
    reliability_panel(&mut svg, report, 0.0, 0.0);
    for (i, doc) in report.documents.iter().enumerate() {
        let at = i + 1;
        let (x, y) = ((at % COLUMNS) as f64 * PANEL, (at / COLUMNS) as f64 * PANEL);
        let system = links::read_file(&doc.test)?;
        let gold = links::read_file(&doc.gold)?;
        let name = doc.test.file_name().map_or_else(
            || doc.test.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        path_panel(&mut svg, &name, &system, &gold, x, y);
    }
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// `[3]:[4, 5]`.
fn link_text(link: &SentenceLink) -> String {
    let list = |ids: &[u64]| {
        ids.iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("[{}]:[{}]", list(&link.src), list(&link.tgt))
}

/// The text of sentences `ids` of `sentences` (one a line), joined by a space.
fn sentences_text(sentences: &[String], ids: &[u64]) -> String {
    ids.iter()
        .filter_map(|&i| usize::try_from(i).ok().and_then(|i| sentences.get(i)))
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The sentences of a file, one a line (as `bitext split` prints them; blank lines are
/// paragraph breaks, as `--presplit` reads them, not sentences).
pub fn read_sentences(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| crate::error::Error::io(path, e))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

/// The missed gold links and wrong system links of each document pair, as text: per document a
/// heading, then `missed [3]:[4, 5]` and `wrong [3]:[4]` lines (null links included), each
/// followed by the source and target text when `texts` has the document's sentences.
pub fn errors(report: &Report, texts: &[(Vec<String>, Vec<String>)]) -> Result<String> {
    let mut out = String::new();
    for (i, doc) in report.documents.iter().enumerate() {
        let system = links::read_file(&doc.test)?;
        let gold = links::read_file(&doc.gold)?;
        let system_keys: HashSet<_> = system.iter().map(key).collect();
        let gold_keys: HashSet<_> = gold.iter().map(key).collect();
        let missed: Vec<&SentenceLink> = gold
            .iter()
            .filter(|l| !system_keys.contains(&key(l)))
            .collect();
        let wrong: Vec<&SentenceLink> = system
            .iter()
            .filter(|l| !gold_keys.contains(&key(l)))
            .collect();
        let _ = writeln!(
            out,
            "== {} against {}: {} missed, {} wrong",
            doc.test.display(),
            doc.gold.display(),
            missed.len(),
            wrong.len()
        );
        for (label, list) in [("missed", &missed), ("wrong", &wrong)] {
            for link in list.iter() {
                let score = link.score.map(|s| format!(" ({s:.4})")).unwrap_or_default();
                let _ = writeln!(out, "{label} {}{score}", link_text(link));
                if let Some((src, tgt)) = texts.get(i) {
                    let _ = writeln!(out, "  src: {}", sentences_text(src, &link.src));
                    let _ = writeln!(out, "  tgt: {}", sentences_text(tgt, &link.tgt));
                }
            }
        }
    }
    Ok(out)
}
