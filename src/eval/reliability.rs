//! Reliability of link scores: do the scores mean what they say? `bitext align -f links` gives
//! every link a posterior probability; if the scores are calibrated, about 90% of the links
//! scored 0.9 are correct. This module bins the scored system links by score decile and
//! compares each bin's strict precision with its mean score — a reliability diagram as a table
//! (DeGroot & Fienberg 1983) — and sums the gaps into the expected calibration error (ECE,
//! Naeini, Cooper & Hauskrecht 2015; Guo et al. 2017): the mean over links of
//! |bin precision − bin mean score|, i.e. the bins' gaps weighted by their share of links.
//!
//! The cumulative rows answer "what if I keep only the links scored at least t?" (the
//! `--min-score` of `bitext align` and `bitext eval`): the strict and lax precision, recall and
//! F1 of [`metric`] over the kept links, recall against *all* gold links, since a dropped link is
//! a missed link.
//!
//! Links are counted as the metric counts them (distinct links, null links included, links
//! empty on both sides left out); a link written twice keeps the score of its first line.
//! Correct means strict: identical to a gold link.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::links::SentenceLink;
use super::metric::{self, Counts};
use crate::error::{Error, Result};

/// Number of score bins (deciles of [0, 1]) and of cumulative rows.
pub(crate) const BINS: usize = 10;

/// The `--min-score` thresholds the text table marks with `*`.
pub(crate) const MARKED: [f64; 3] = [0.5, 0.7, 0.9];

/// Lower edge of bin `k`, and the threshold of cumulative row `k`: k/10 (k = 10 is 1.0).
///
/// `k as f64 / 10.0` is correctly rounded, so it is the same number as the decimal `0.k` read
/// from a links file or from `--min-score`: a score written `0.7000` is in bin 7.
pub(crate) fn threshold(k: usize) -> f64 {
    k as f64 / BINS as f64
}

/// The bin of a score in [0, 1]: [0, 0.1) is bin 0, ..., [0.9, 1.0] is bin 9 (1.0 included).
pub(crate) fn bin_of(score: f64) -> usize {
    (1..BINS)
        .rev()
        .find(|&k| score >= threshold(k))
        .unwrap_or(0)
}

/// A score usable here: present and in [0, 1].
fn probability(link: &SentenceLink) -> Option<f64> {
    link.score.filter(|s| (0.0..=1.0).contains(s))
}

/// The system links `--min-score t` keeps: each distinct link (its first line) whose score is at
/// least `t`; a link without a score is kept only when `t` is 0.
pub(crate) fn at_least(system: &[SentenceLink], t: f64) -> Vec<SentenceLink> {
    metric::first_occurrences(system)
        .into_iter()
        .filter_map(|i| system.get(i))
        .filter(|l| l.score.map_or(t <= 0.0, |s| s >= t))
        .cloned()
        .collect()
}

/// One score bin: how many links fall in it, how many of them are correct, their score total.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bin {
    /// Distinct system links whose score is in the bin.
    pub links: u64,
    /// Those identical to a gold link (strict hits).
    pub strict: u64,
    /// Sum of their scores.
    pub score_sum: f64,
}

impl Bin {
    /// Strict precision of the bin; `None` for an empty bin.
    pub(crate) fn precision(&self) -> Option<f64> {
        (self.links > 0).then(|| self.strict as f64 / self.links as f64)
    }

    /// Mean score of the bin; `None` for an empty bin.
    pub(crate) fn mean_score(&self) -> Option<f64> {
        (self.links > 0).then(|| self.score_sum / self.links as f64)
    }
}

/// The reliability table of a set of documents: bins and cumulative rows, summed over documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reliability {
    /// Bin `k` holds the scores in [k/10, (k+1)/10) (the last one includes 1.0).
    pub bins: [Bin; BINS],
    /// Row `k`: the metric's counts over the links scored at least k/10.
    pub cumulative: [Counts; BINS],
}

impl Reliability {
    /// Adds one document: its system links (scored in [0, 1]; others are left out, the caller
    /// checks them first with [`score_kind`]) and its gold links.
    pub(crate) fn add(&mut self, system: &[SentenceLink], gold: &[SentenceLink]) {
        let scored: Vec<SentenceLink> = system
            .iter()
            .filter(|l| probability(l).is_some())
            .cloned()
            .collect();
        for (i, hit) in metric::strict_hits(&scored, gold) {
            let Some(score) = scored.get(i).and_then(probability) else {
                continue;
            };
            let bin = &mut self.bins[bin_of(score)];
            bin.links += 1;
            bin.strict += u64::from(hit);
            bin.score_sum += score;
        }
        for (k, row) in self.cumulative.iter_mut().enumerate() {
            *row += metric::count(&at_least(&scored, threshold(k)), gold);
        }
    }

    /// Scored links in all bins.
    pub(crate) fn links(&self) -> u64 {
        self.bins.iter().map(|b| b.links).sum()
    }

    /// Expected calibration error: Σ over bins of (bin links / all links) × |precision − mean
    /// score|; 0 when there are no links.
    pub(crate) fn ece(&self) -> f64 {
        let total = self.links();
        if total == 0 {
            return 0.0;
        }
        self.bins
            .iter()
            .filter(|b| b.links > 0)
            .map(|b| (b.strict as f64 - b.score_sum).abs() / total as f64)
            .sum()
    }

    /// The two text tables: bins (links, strict hits, precision, mean score) with the ECE, then
    /// the cumulative rows (links kept, strict and lax P R F1), the usual `--min-score`
    /// thresholds marked `*`.
    pub(crate) fn render_text(&self) -> String {
        const COL: usize = super::COL;
        const LABEL: usize = 10;
        let group = 3 * COL + 2;
        let opt = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |x| format!("{x:.4}"));
        let mut out = String::new();
        let _ = writeln!(
            out,
            "reliability of the scores: {} scored system links, strict hits by score; ECE {:.4}",
            self.links(),
            self.ece()
        );
        let _ = writeln!(
            out,
            "{:LABEL$}  {:>COL$} {:>COL$} {:>COL$} {:>COL$}",
            "score", "links", "strict", "P", "mean"
        );
        for (k, b) in self.bins.iter().enumerate() {
            let close = if k + 1 == BINS { ']' } else { ')' };
            let label = format!("[{:.1}, {:.1}{close}", threshold(k), threshold(k + 1));
            let _ = writeln!(
                out,
                "{label:LABEL$}  {:>COL$} {:>COL$} {:>COL$} {:>COL$}",
                b.links,
                b.strict,
                opt(b.precision()),
                opt(b.mean_score())
            );
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:LABEL$}  {:>COL$}  {:-^group$}  {:-^group$}",
            "", "", " strict ", " lax "
        );
        let _ = writeln!(
            out,
            "{:LABEL$}  {:>COL$}  {:>COL$} {:>COL$} {:>COL$}  {:>COL$} {:>COL$} {:>COL$}",
            "min-score", "links", "P", "R", "F1", "P", "R", "F1"
        );
        for (k, c) in self.cumulative.iter().enumerate() {
            let t = threshold(k);
            let mark = if MARKED.iter().any(|m| (m - t).abs() < 1e-9) {
                " *"
            } else {
                ""
            };
            let label = format!(">= {t:.1}{mark}");
            let (s, l) = (c.strict(), c.lax());
            let _ = writeln!(
                out,
                "{label:LABEL$}  {:>COL$}  {:>COL$.4} {:>COL$.4} {:>COL$.4}  {:>COL$.4} {:>COL$.4} {:>COL$.4}",
                c.system_links, s.precision, s.recall, s.f1, l.precision, l.recall, l.f1
            );
        }
        let _ = writeln!(
            out,
            "* a usual --min-score; recall counts all gold links (a dropped link is a missed link)"
        );
        out
    }

    /// The tables as one JSON object:
    ///
    /// ```text
    /// {"links": N, "ece": x,
    ///  "bins": [{"lower": x, "upper": x, "links": n, "strict": n,
    ///            "precision": x|null, "mean_score": x|null}, ...],
    ///  "cumulative": [{"min_score": x, "strict": S, "lax": S, "counts": C}, ...]}
    /// ```
    ///
    /// with S and C as in [`super::Report::render_json`]; empty bins have null figures.
    pub(crate) fn to_json(&self) -> Value {
        let bins: Vec<Value> = self
            .bins
            .iter()
            .enumerate()
            .map(|(k, b)| {
                json!({
                    "lower": threshold(k),
                    "upper": threshold(k + 1),
                    "links": b.links,
                    "strict": b.strict,
                    "precision": b.precision(),
                    "mean_score": b.mean_score(),
                })
            })
            .collect();
        let cumulative: Vec<Value> = self
            .cumulative
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let mut row = super::figures(c);
                row.insert("min_score".into(), json!(threshold(k)));
                Value::Object(row)
            })
            .collect();
        json!({
            "links": self.links(),
            "ece": self.ece(),
            "bins": bins,
            "cumulative": cumulative,
        })
    }
}

/// What the scores of a set of system files are.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ScoreKind {
    /// No link has a score (or there are no links).
    Unscored,
    /// Every link has a score in [0, 1].
    Probabilities,
    /// Every link has a score, but not all in [0, 1] (another aligner's costs): the first one.
    Other {
        /// The file.
        path: PathBuf,
        /// Its 1-based line.
        line: u64,
        /// The score there.
        score: f64,
    },
}

/// One system file as [`score_kind`] reads it: path, links, and the line of each link.
pub(crate) type SystemFile<'a> = (&'a Path, &'a [SentenceLink], &'a [u64]);

/// Checks that the system links are all scored or all unscored, over all files together, and
/// whether the scores are probabilities. A mix is an error naming the first link that differs
/// from the very first link, and that first link.
pub(crate) fn score_kind(files: &[SystemFile<'_>]) -> Result<ScoreKind> {
    let mut first: Option<(&Path, u64, bool)> = None;
    let mut other: Option<ScoreKind> = None;
    for &(path, links, lines) in files {
        for (link, &line) in links.iter().zip(lines) {
            let scored = link.score.is_some();
            match first {
                None => first = Some((path, line, scored)),
                Some((first_path, first_line, first_scored)) if first_scored != scored => {
                    let (this, that) = if scored {
                        ("has a score", "has none")
                    } else {
                        ("has no score", "has one")
                    };
                    return Err(Error::syntax(
                        path,
                        line,
                        format!(
                            "this link {this} but the one at {}:{first_line} {that}: \
                             give every link a score or none",
                            first_path.display()
                        ),
                    ));
                }
                Some(_) => {}
            }
            if let Some(score) = link.score {
                if other.is_none() && !(0.0..=1.0).contains(&score) {
                    other = Some(ScoreKind::Other {
                        path: path.to_path_buf(),
                        line,
                        score,
                    });
                }
            }
        }
    }
    Ok(match first {
        Some((_, _, true)) => other.unwrap_or(ScoreKind::Probabilities),
        _ => ScoreKind::Unscored,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(src: &[u64], tgt: &[u64], score: f64) -> SentenceLink {
        SentenceLink {
            src: src.to_vec(),
            tgt: tgt.to_vec(),
            score: Some(score),
        }
    }

    fn gold() -> Vec<SentenceLink> {
        [
            (&[0][..], &[0][..]),
            (&[1], &[1]),
            (&[2], &[2]),
            (&[3], &[3]),
            (&[4], &[4]),
            (&[], &[5]),
        ]
        .iter()
        .map(|(s, t)| SentenceLink::new(s.to_vec(), t.to_vec()))
        .collect()
    }

    /// Six distinct links: four strict hits (one of them the null link), one lax-only hit, one
    /// miss.
    fn system() -> Vec<SentenceLink> {
        vec![
            l(&[0], &[0], 0.95),
            l(&[1], &[1], 0.91),
            l(&[2], &[3], 0.90),
            l(&[3], &[3], 0.72),
            l(&[4], &[4, 5], 0.55),
            l(&[], &[5], 0.05),
        ]
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn bin_edges_are_the_decimals() {
        assert_eq!(bin_of(0.0), 0);
        assert_eq!(bin_of(0.0999), 0);
        assert_eq!(bin_of(0.1), 1);
        assert_eq!(bin_of("0.3000".parse().unwrap()), 3);
        assert_eq!(bin_of(0.7), 7);
        assert_eq!(bin_of(0.6999), 6);
        assert_eq!(bin_of(0.9), 9);
        assert_eq!(bin_of(1.0), 9);
        for k in 0..BINS {
            assert_eq!(bin_of(threshold(k)), k);
            assert_eq!(threshold(k), format!("0.{k}").parse::<f64>().unwrap());
        }
    }

    #[test]
    fn bins_count_links_hits_and_scores() {
        let mut r = Reliability::default();
        r.add(&system(), &gold());
        let b = &r.bins;
        assert_eq!((b[9].links, b[9].strict), (3, 2));
        assert!(close(b[9].precision().unwrap(), 2.0 / 3.0));
        assert!(close(b[9].mean_score().unwrap(), 0.92));
        assert_eq!(
            (b[7].links, b[7].strict, b[7].precision()),
            (1, 1, Some(1.0))
        );
        assert_eq!(
            (b[5].links, b[5].strict, b[5].precision()),
            (1, 0, Some(0.0))
        );
        assert_eq!((b[0].links, b[0].strict), (1, 1));
        for k in [1, 2, 3, 4, 6, 8] {
            assert_eq!(b[k], Bin::default(), "bin {k}");
            assert_eq!(b[k].precision(), None);
        }
        assert_eq!(r.links(), 6);
        // (3 |2/3 - 0.92| + |1 - 0.72| + |0 - 0.55| + |1 - 0.05|) / 6
        let want = (3.0 * (0.92 - 2.0 / 3.0) + 0.28 + 0.55 + 0.95) / 6.0;
        assert!(close(r.ece(), want), "{} != {want}", r.ece());
    }

    #[test]
    fn cumulative_rows_drop_links_below_the_threshold_and_keep_all_gold() {
        let mut r = Reliability::default();
        r.add(&system(), &gold());
        // (strict P hits, lax P hits, links kept, strict R hits, lax R hits, gold links)
        let row = |k: usize| {
            let c = r.cumulative[k];
            (
                c.precision_strict,
                c.precision_lax,
                c.system_links,
                c.recall_strict,
                c.recall_lax,
                c.gold_links,
            )
        };
        assert_eq!(row(0), (4, 5, 6, 3, 4, 5));
        for k in 1..=5 {
            assert_eq!(row(k), (3, 4, 5, 3, 4, 5), "row {k}");
        }
        for k in 6..=7 {
            assert_eq!(row(k), (3, 3, 4, 3, 3, 5), "row {k}");
        }
        for k in 8..=9 {
            assert_eq!(row(k), (2, 2, 3, 2, 2, 5), "row {k}");
        }
        assert!(close(r.cumulative[9].strict().recall, 0.4));
        assert!(close(r.cumulative[9].strict().precision, 2.0 / 3.0));
        // Row 0 is the whole system; summed bins from k up agree with row k.
        assert_eq!(r.cumulative[0], metric::count(&system(), &gold()));
        for k in 0..BINS {
            let links: u64 = r.bins[k..].iter().map(|b| b.links).sum();
            let strict: u64 = r.bins[k..].iter().map(|b| b.strict).sum();
            assert_eq!(links, r.cumulative[k].system_links, "row {k}");
            assert_eq!(strict, r.cumulative[k].precision_strict, "row {k}");
        }
    }

    #[test]
    fn documents_add_up() {
        let mut one = Reliability::default();
        one.add(&system(), &gold());
        let mut two = Reliability::default();
        two.add(&system(), &gold());
        two.add(&system()[..2], &gold());
        assert_eq!(two.bins[9].links, 5);
        assert_eq!(two.bins[9].strict, 4);
        assert_eq!(two.cumulative[9].gold_links, 10);
        assert_eq!(two.cumulative[9].system_links, 5);
        assert_eq!(two.bins[0], one.bins[0]);
    }

    #[test]
    fn a_perfectly_calibrated_table_has_zero_ece() {
        // Bin 5: two links at 0.5, one right; bin 9: one link at 1.0, right.
        let gold = gold();
        let system = [l(&[0], &[0], 0.5), l(&[1], &[2], 0.5), l(&[3], &[3], 1.0)];
        let mut r = Reliability::default();
        r.add(&system, &gold);
        assert_eq!(r.ece(), 0.0);
        assert_eq!(Reliability::default().ece(), 0.0);
    }

    #[test]
    fn a_repeated_link_keeps_its_first_score() {
        let gold = gold();
        let system = [l(&[0], &[0], 0.3), l(&[0], &[0], 0.8)];
        let mut r = Reliability::default();
        r.add(&system, &gold);
        assert_eq!(r.bins[3].links, 1);
        assert_eq!(r.bins[8].links, 0);
        assert_eq!(r.cumulative[5].system_links, 0);
        assert!(at_least(&system, 0.5).is_empty());
    }

    #[test]
    fn min_score_keeps_unscored_links_only_at_zero() {
        let unscored = [SentenceLink::new(vec![0], vec![0])];
        assert_eq!(at_least(&unscored, 0.0).len(), 1);
        assert!(at_least(&unscored, 0.1).is_empty());
        let kept = at_least(&system(), 0.7);
        let scores: Vec<f64> = kept.iter().filter_map(|l| l.score).collect();
        assert_eq!(scores, [0.95, 0.91, 0.90, 0.72]);
        assert_eq!(at_least(&system(), 0.0).len(), 6);
        assert_eq!(at_least(&system(), 1.0).len(), 0);
    }

    #[test]
    fn text_table_lines_up_and_marks_the_usual_thresholds() {
        let mut r = Reliability::default();
        r.add(&system(), &gold());
        let text = r.render_text();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].contains("6 scored system links"), "{text}");
        assert!(lines[0].ends_with(&format!("ECE {:.4}", r.ece())), "{text}");
        // Header + 10 bins, blank, two header lines + 10 rows, footnote.
        assert_eq!(lines.len(), 1 + 1 + BINS + 1 + 2 + BINS + 1, "{text}");
        assert_eq!(
            lines[2 + 9].split_whitespace().collect::<Vec<_>>(),
            ["[0.9,", "1.0]", "3", "2", "0.6667", "0.9200"]
        );
        assert_eq!(
            lines[2 + 1].split_whitespace().collect::<Vec<_>>(),
            ["[0.1,", "0.2)", "0", "0", "-", "-"]
        );
        let bins = &lines[1..2 + BINS];
        assert!(bins.iter().all(|l| l.len() == bins[0].len()), "{text}");
        let rows = &lines[2 + BINS + 2..2 + BINS + 3 + BINS];
        assert!(rows.iter().all(|l| l.len() == rows[0].len()), "{text}");
        let marked: Vec<&str> = rows[1..]
            .iter()
            .filter(|l| l.contains('*'))
            .map(|l| &l[..8])
            .collect();
        assert_eq!(marked, [">= 0.5 *", ">= 0.7 *", ">= 0.9 *"]);
        assert_eq!(
            rows[1 + 9].split_whitespace().collect::<Vec<_>>(),
            [">=", "0.9", "*", "3", "0.6667", "0.4000", "0.5000", "0.6667", "0.4000", "0.5000"]
        );
    }

    #[test]
    fn json_has_bins_cumulative_and_ece() {
        let mut r = Reliability::default();
        r.add(&system(), &gold());
        let v = r.to_json();
        assert_eq!(v["links"], 6);
        assert_eq!(v["ece"].as_f64(), Some(r.ece()));
        let bins = v["bins"].as_array().unwrap();
        assert_eq!(bins.len(), BINS);
        assert_eq!(bins[9]["lower"], 0.9);
        assert_eq!(bins[9]["upper"], 1.0);
        assert_eq!(bins[9]["links"], 3);
        assert_eq!(bins[9]["strict"], 2);
        assert!(bins[1]["precision"].is_null() && bins[1]["mean_score"].is_null());
        let cum = v["cumulative"].as_array().unwrap();
        assert_eq!(cum.len(), BINS);
        assert_eq!(cum[7]["min_score"], 0.7);
        assert_eq!(cum[7]["counts"]["precision"]["links"], 4);
        assert_eq!(cum[9]["strict"]["recall"], 0.4);
    }

    #[test]
    fn score_kinds_and_the_mixed_error() {
        let p = Path::new("a.links");
        let q = Path::new("b.links");
        let scored = system();
        let lines: Vec<u64> = (1..=6).collect();
        let unscored = gold();
        let files = [(p, &scored[..], &lines[..])];
        assert_eq!(score_kind(&files).unwrap(), ScoreKind::Probabilities);
        assert_eq!(
            score_kind(&[(p, &unscored[..], &lines[..])]).unwrap(),
            ScoreKind::Unscored
        );
        assert_eq!(score_kind(&[]).unwrap(), ScoreKind::Unscored);
        assert_eq!(
            score_kind(&[(p, &[][..], &[][..])]).unwrap(),
            ScoreKind::Unscored
        );

        // Costs of another aligner: all scored, not probabilities; the first one is named.
        let costs = [l(&[0], &[0], 0.5), l(&[1], &[1], 2.7), l(&[2], &[2], -0.01)];
        assert_eq!(
            score_kind(&[(p, &costs[..], &[3, 4, 7][..])]).unwrap(),
            ScoreKind::Other {
                path: p.to_path_buf(),
                line: 4,
                score: 2.7
            }
        );

        // One unscored link among scored ones, in the second file.
        let mut mixed = system();
        mixed[2].score = None;
        let e = score_kind(&[
            (p, &scored[..], &lines[..]),
            (q, &mixed[..], &[2, 3, 5, 6, 7, 8]),
        ])
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "b.links:5: this link has no score but the one at a.links:1 has one: \
             give every link a score or none"
        );
        // And the other way round.
        let e = score_kind(&[(q, &unscored[..], &lines[..]), (p, &scored[..], &lines[..])])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.links:1: this link has a score but the one at b.links:1 has none: \
             give every link a score or none"
        );
    }
}
