//! Evaluate: alignment files against gold files with the strict and lax precision, recall and
//! F1 of Sennrich & Volk (2010, 2011), counted as vecalign's `score.py` counts them (see
//! [`metric`]); files are read by [`links`]. Counts are summed over all document pairs before
//! dividing (micro-average), so the total is not the mean of the per-document figures.
//!
//! [`evaluate`] also reads the systems' link scores: with `min_score`, only the links scored at
//! least that count, and when every link has a probability in [0, 1] (what `bitext align -f links`
//! writes) the report carries a [`reliability`] table: precision by score decile, the expected
//! calibration error, and P/R/F1 at each threshold.
//!
//! ```
//! use bitext::eval::{links::SentenceLink, metric};
//! let gold = [SentenceLink::new(vec![0], vec![0, 1]), SentenceLink::new(vec![1], vec![2])];
//! let system = [SentenceLink::new(vec![0], vec![0]), SentenceLink::new(vec![1], vec![2])];
//! let counts = metric::count(&system, &gold);
//! assert_eq!((counts.precision_strict, counts.system_links), (1, 2));
//! assert_eq!(counts.lax().precision, 1.0);
//! ```

pub mod links;
pub mod metric;
pub mod plot;
pub mod reliability;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::error::{Error, Result};
use metric::{Counts, Scores};
use reliability::{Reliability, ScoreKind};

/// The scores of one system file against its gold file.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentReport {
    /// The system (test) alignment file.
    pub test: PathBuf,
    /// The gold alignment file.
    pub gold: PathBuf,
    /// Its hit counts.
    pub counts: Counts,
}

/// Scores of a set of system files against gold files: per pair, and summed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// One entry per (system, gold) pair, in the order given.
    pub documents: Vec<DocumentReport>,
    /// Counts summed over all pairs.
    pub total: Counts,
    /// The `--min-score` the counts were made at: only system links scored at least this count.
    pub min_score: Option<f64>,
    /// The reliability table of the scores, when every system link has a probability.
    pub reliability: Option<Reliability>,
    /// Why there is no reliability table (no scores, or scores that are not probabilities).
    pub note: Option<String>,
    /// Signs that a system file and its gold file do not belong together (links beyond the
    /// gold's sentences, very different sentence ranges, an empty file), each naming the files.
    pub warnings: Vec<String>,
}

/// What suggests that a system file and its gold file are not the same document: an empty
/// file, a system link pointing past the gold's last sentence (it can only be wrong), or a
/// system whose links stop before half of the gold's sentences (a gold of 4 or more). `lines`
/// holds the line of each system link (empty: lines unknown).
pub(crate) fn mismatch_warnings(
    test: &Path,
    gold: &Path,
    system: &[links::SentenceLink],
    lines: &[u64],
    gold_links: &[links::SentenceLink],
) -> Vec<String> {
    let (t, g) = (test.display(), gold.display());
    let mut out = Vec::new();
    if system.is_empty() {
        out.push(format!(
            "{t}: the system file holds no link: it scores 0 against {g}"
        ));
    }
    if gold_links.is_empty() {
        out.push(format!("{g}: the gold file holds no link"));
    }
    if system.is_empty() || gold_links.is_empty() {
        return out;
    }
    // The last sentence of each side: (index, position of the link in the list).
    /// One side of a link (its source or target sentences).
    type Side = fn(&links::SentenceLink) -> &[u64];
    let last = |ls: &[links::SentenceLink], side: Side| {
        ls.iter()
            .enumerate()
            .flat_map(|(i, l)| side(l).iter().map(move |&s| (s, i)))
            .max()
    };
    let sides: [(&str, Side); 2] = [("source", |l| &l.src), ("target", |l| &l.tgt)];
    for (name, side) in sides {
        let (Some((sys_max, at)), Some((gold_max, _))) =
            (last(system, side), last(gold_links, side))
        else {
            continue;
        };
        if sys_max > gold_max {
            let at = match lines.get(at) {
                Some(line) => format!("{t}:{line}"),
                None => format!("{t}, link {}", at + 1),
            };
            out.push(format!(
                "{at}: a link points to {name} sentence {sys_max}, beyond the gold's last \
                 ({gold_max} in {g}): are they the same document?"
            ));
        } else if gold_max >= 3 && (sys_max + 1) * 2 < gold_max + 1 {
            out.push(format!(
                "{t}: the system's links stop at {name} sentence {sys_max}, the gold's ({g}) \
                 go on to {gold_max}: are they the same document?"
            ));
        }
    }
    out
}

/// Evaluates each system file against the gold file at the same position, on all links and
/// whatever their scores (no score checks, no reliability table; see [`evaluate`]).
#[cfg(test)]
pub(crate) fn evaluate_files(systems: &[PathBuf], golds: &[PathBuf]) -> Result<Report> {
    if systems.len() != golds.len() {
        return Err(Error::usage(format!(
            "{} system file(s) but {} gold file(s): they are paired in order",
            systems.len(),
            golds.len()
        )));
    }
    let mut report = Report::default();
    for (test, gold) in systems.iter().zip(golds) {
        let (system_links, lines) = links::read_file_with_lines(test)?;
        let gold_links = links::read_file(gold)?;
        let warnings = mismatch_warnings(test, gold, &system_links, &lines, &gold_links);
        report.warnings.extend(warnings);
        report.push(test, gold, metric::count(&system_links, &gold_links));
    }
    Ok(report)
}

/// Evaluates each system file against the gold file at the same position, as `bitext eval`
/// does: the system links must all have a score or none (over all files; a mix is an error
/// naming the file and line); with `min_score` (0 to 1), the counts are over the links scored
/// at least that (unscored links are kept only at 0); when every link has a score in [0, 1], the
/// report carries the [`Reliability`] table of all the scored links, whatever `min_score`.
pub fn evaluate(systems: &[PathBuf], golds: &[PathBuf], min_score: Option<f64>) -> Result<Report> {
    if systems.len() != golds.len() {
        return Err(Error::usage(format!(
            "{} system file(s) but {} gold file(s): they are paired in order",
            systems.len(),
            golds.len()
        )));
    }
    if let Some(t) = min_score {
        if !(0.0..=1.0).contains(&t) {
            return Err(Error::usage(format!(
                "--min-score must lie in [0, 1], got {t}"
            )));
        }
    }
    let mut pairs = Vec::with_capacity(systems.len());
    for (test, gold) in systems.iter().zip(golds) {
        let (system_links, lines) = links::read_file_with_lines(test)?;
        let gold_links = links::read_file(gold)?;
        pairs.push((test, gold, system_links, lines, gold_links));
    }
    let files: Vec<reliability::SystemFile<'_>> = pairs
        .iter()
        .map(|(test, _, sys, lines, _)| (test.as_path(), &sys[..], &lines[..]))
        .collect();
    let kind = reliability::score_kind(&files)?;
    if let Some(t) = min_score {
        match &kind {
            ScoreKind::Unscored if t > 0.0 => {
                if let Some((path, _, lines)) = files.iter().find(|f| !f.2.is_empty()) {
                    return Err(Error::syntax(
                        *path,
                        lines.first().copied().unwrap_or(1),
                        format!("--min-score {t} needs scored links, but this link has no score"),
                    ));
                }
            }
            ScoreKind::Other { path, line, score } => {
                return Err(Error::syntax(
                    path.clone(),
                    *line,
                    format!(
                        "--min-score needs link scores from 0 to 1 (bitext's probabilities), \
                         but this link's is {score}"
                    ),
                ));
            }
            _ => {}
        }
    }
    let mut report = Report {
        min_score,
        ..Report::default()
    };
    let mut table = (kind == ScoreKind::Probabilities).then(Reliability::default);
    for (test, gold, system_links, lines, gold_links) in &pairs {
        let warnings = mismatch_warnings(test, gold, system_links, lines, gold_links);
        report.warnings.extend(warnings);
        let counts = match min_score {
            Some(t) => metric::count(&reliability::at_least(system_links, t), gold_links),
            None => metric::count(system_links, gold_links),
        };
        report.push(test, gold, counts);
        if let Some(table) = table.as_mut() {
            table.add(system_links, gold_links);
        }
    }
    report.reliability = table;
    report.note = match kind {
        ScoreKind::Probabilities => None,
        ScoreKind::Unscored => Some("no system link has a score: no reliability table".into()),
        ScoreKind::Other { path, line, score } => Some(format!(
            "scores outside [0, 1] are not probabilities ({}:{line} has {score}): \
             no reliability table",
            path.display()
        )),
    };
    Ok(report)
}

/// Width of a figure column in the text table.
const COL: usize = 7;

impl Report {
    /// Adds one document pair's counts.
    pub(crate) fn push(&mut self, test: &Path, gold: &Path, counts: Counts) {
        self.total += counts;
        self.documents.push(DocumentReport {
            test: test.to_path_buf(),
            gold: gold.to_path_buf(),
            counts,
        });
    }

    /// A plain-text table; with `per_doc`, one row per document pair (named by its system file)
    /// before the total.
    ///
    /// Columns: strict P R F1, lax P R F1 (4 decimals), then precision counts (strict hits, lax
    /// hits, distinct system links) and recall counts (strict hits, lax hits, non-null gold
    /// links). With a `min_score`, a line saying so follows; with a reliability table, a blank
    /// line and `Reliability::render_text`.
    pub fn render_text(&self, per_doc: bool) -> String {
        let mut names: Vec<String> = Vec::new();
        if per_doc {
            names.extend(self.documents.iter().map(|d| d.test.display().to_string()));
        }
        let width = names
            .iter()
            .map(|n| n.chars().count())
            .chain([6])
            .max()
            .unwrap_or(6);
        let group = 3 * COL + 2;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:width$}  {:-^group$}  {:-^group$}  {:-^group$}  {:-^group$}",
            "", " strict ", " lax ", " precision counts ", " recall counts ",
        );
        let _ = writeln!(
            out,
            "{:width$}  {:>COL$} {:>COL$} {:>COL$}  {:>COL$} {:>COL$} {:>COL$}  \
             {:>COL$} {:>COL$} {:>COL$}  {:>COL$} {:>COL$} {:>COL$}",
            "system",
            "P",
            "R",
            "F1",
            "P",
            "R",
            "F1",
            "strict",
            "lax",
            "links",
            "strict",
            "lax",
            "gold",
        );
        let row = |out: &mut String, name: &str, c: &Counts| {
            let (s, l) = (c.strict(), c.lax());
            let _ = writeln!(
                out,
                "{name:width$}  {:>COL$.4} {:>COL$.4} {:>COL$.4}  {:>COL$.4} {:>COL$.4} {:>COL$.4}  \
                 {:>COL$} {:>COL$} {:>COL$}  {:>COL$} {:>COL$} {:>COL$}",
                s.precision,
                s.recall,
                s.f1,
                l.precision,
                l.recall,
                l.f1,
                c.precision_strict,
                c.precision_lax,
                c.system_links,
                c.recall_strict,
                c.recall_lax,
                c.gold_links,
            );
        };
        if per_doc {
            for (name, doc) in names.iter().zip(&self.documents) {
                row(&mut out, name, &doc.counts);
            }
        }
        row(&mut out, "total", &self.total);
        if let Some(t) = self.min_score {
            let _ = writeln!(
                out,
                "min-score {t}: the figures above count only the system links scored at least {t}"
            );
        }
        if let Some(table) = &self.reliability {
            let _ = writeln!(out);
            out.push_str(&table.render_text());
        }
        out
    }

    /// The same figures as one JSON object (pretty-printed, keys in alphabetical order).
    ///
    /// ```text
    /// {"documents": [ {"test": PATH, "gold": PATH, "strict": S, "lax": S, "counts": C}, ... ],
    ///  "total": {"pairs": N, "strict": S, "lax": S, "counts": C}}
    /// S = {"precision": x, "recall": x, "f1": x}
    /// C = {"precision": {"strict": n, "lax": n, "links": n},
    ///      "recall": {"strict": n, "lax": n, "links": n}}
    /// ```
    ///
    /// `documents` is present only with `per_doc`; figures are unrounded; precision `links`
    /// counts distinct system links (null links included), recall `links` the distinct gold
    /// links non-null on both sides. With a `min_score`, a top-level `"min_score": x`; with a
    /// reliability table, a top-level `"reliability"` object (`Reliability::to_json`).
    pub fn render_json(&self, per_doc: bool) -> String {
        let mut top = serde_json::Map::new();
        if per_doc {
            let documents: Vec<Value> = self
                .documents
                .iter()
                .map(|d| {
                    let mut entry = figures(&d.counts);
                    entry.insert("test".into(), json!(d.test.to_string_lossy()));
                    entry.insert("gold".into(), json!(d.gold.to_string_lossy()));
                    Value::Object(entry)
                })
                .collect();
            top.insert("documents".into(), Value::Array(documents));
        }
        let mut total = figures(&self.total);
        total.insert("pairs".into(), json!(self.documents.len()));
        top.insert("total".into(), Value::Object(total));
        if let Some(t) = self.min_score {
            top.insert("min_score".into(), json!(t));
        }
        if let Some(table) = &self.reliability {
            top.insert("reliability".into(), table.to_json());
        }
        if !self.warnings.is_empty() {
            top.insert("warnings".into(), json!(self.warnings));
        }
        format!("{:#}\n", Value::Object(top))
    }
}

fn scores_json(s: Scores) -> Value {
    json!({"precision": s.precision, "recall": s.recall, "f1": s.f1})
}

fn figures(c: &Counts) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("strict".into(), scores_json(c.strict()));
    m.insert("lax".into(), scores_json(c.lax()));
    m.insert(
        "counts".into(),
        json!({
            "precision": {
                "strict": c.precision_strict,
                "lax": c.precision_lax,
                "links": c.system_links,
            },
            "recall": {
                "strict": c.recall_strict,
                "lax": c.recall_lax,
                "links": c.gold_links,
            },
        }),
    );
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let mut r = Report::default();
        r.push(
            Path::new("a.align"),
            Path::new("a.gold"),
            Counts {
                precision_strict: 1,
                precision_lax: 2,
                system_links: 4,
                recall_strict: 1,
                recall_lax: 1,
                gold_links: 2,
            },
        );
        r.push(
            Path::new("a-much-longer-name.align"),
            Path::new("b.gold"),
            Counts {
                precision_strict: 3,
                precision_lax: 3,
                system_links: 4,
                recall_strict: 3,
                recall_lax: 4,
                gold_links: 4,
            },
        );
        r
    }

    #[test]
    fn mismatched_system_and_gold_files_are_warned() {
        let l = |s: &[u64], t: &[u64]| links::SentenceLink::new(s.to_vec(), t.to_vec());
        let gold: Vec<_> = (0..10).map(|i| l(&[i], &[i])).collect();
        let (t, g) = (Path::new("sys.links"), Path::new("gold.links"));
        // The same document: nothing to say.
        assert!(mismatch_warnings(t, g, &gold[..8], &[], &gold).is_empty());
        // A link past the gold's last sentence, named by its line.
        let past = vec![l(&[0], &[0]), l(&[4_000_000_000], &[9])];
        assert_eq!(
            mismatch_warnings(t, g, &past, &[1, 7], &gold),
            [
                "sys.links:7: a link points to source sentence 4000000000, beyond the gold's last \
              (9 in gold.links): are they the same document?"
            ]
        );
        // Far short of the gold's range on both sides.
        let short = vec![l(&[0], &[0]), l(&[1, 2], &[])];
        let w = mismatch_warnings(t, g, &short, &[], &gold);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].starts_with("sys.links: the system's links stop at source sentence 2"));
        // Empty files.
        assert_eq!(
            mismatch_warnings(t, g, &[], &[], &gold),
            ["sys.links: the system file holds no link: it scores 0 against gold.links"]
        );
        assert_eq!(mismatch_warnings(t, g, &gold, &[], &[]).len(), 1);
    }

    #[test]
    fn totals_are_summed_counts() {
        let r = report();
        assert_eq!(r.total.precision_strict, 4);
        assert_eq!(r.total.system_links, 8);
        assert_eq!(r.total.strict().precision, 0.5);
        assert_eq!(r.total.lax().recall, 5.0 / 6.0);
    }

    #[test]
    fn text_table_rows() {
        let r = report();
        let text = r.render_text(false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].contains("strict") && lines[0].contains("recall counts"));
        let total: Vec<&str> = lines[2].split_whitespace().collect();
        assert_eq!(
            total,
            [
                "total", "0.5000", "0.6667", "0.5714", "0.6250", "0.8333", "0.7143", "4", "5", "8",
                "4", "5", "6"
            ]
        );
        let text = r.render_text(true);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        assert!(lines[2].starts_with("a.align "));
        assert!(lines[3].starts_with("a-much-longer-name.align   0.7500"));
        assert!(lines[4].starts_with("total"));
        // Columns line up: every row has the same length.
        assert!(
            lines[1..].iter().all(|l| l.len() == lines[1].len()),
            "{text}"
        );
    }

    #[test]
    fn json_shape() {
        let r = report();
        let v: Value = serde_json::from_str(&r.render_json(false)).unwrap();
        assert!(v.get("documents").is_none());
        assert_eq!(v["total"]["pairs"], 2);
        assert_eq!(v["total"]["strict"]["precision"], 0.5);
        assert_eq!(v["total"]["counts"]["precision"]["links"], 8);
        assert_eq!(v["total"]["counts"]["recall"]["lax"], 5);
        let v: Value = serde_json::from_str(&r.render_json(true)).unwrap();
        let docs = v["documents"].as_array().unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0]["test"], "a.align");
        assert_eq!(docs[1]["gold"], "b.gold");
        assert_eq!(docs[1]["lax"]["recall"], 1.0);
        assert_eq!(docs[0]["counts"]["recall"]["links"], 2);
    }

    #[test]
    fn an_empty_report_renders() {
        let r = Report::default();
        assert!(r
            .render_text(true)
            .lines()
            .last()
            .unwrap()
            .starts_with("total"));
        let v: Value = serde_json::from_str(&r.render_json(true)).unwrap();
        assert_eq!(v["documents"].as_array().unwrap().len(), 0);
        assert_eq!(v["total"]["strict"]["f1"], 0.0);
    }

    #[test]
    fn evaluate_files_names_the_bad_file() {
        let dir = tempfile::tempdir().unwrap();
        let sys = dir.path().join("s.align");
        let gold = dir.path().join("g.defr");
        std::fs::write(&sys, "[0]:[0]\n[1]:[1]:0.5\n").unwrap();
        std::fs::write(&gold, "[0]:[0]\n[1]:[1\n").unwrap();
        let e =
            evaluate_files(std::slice::from_ref(&sys), std::slice::from_ref(&gold)).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}:2: the '[' at column 5 is not closed by ']'",
                gold.display()
            )
        );
        std::fs::write(&gold, "[0]:[0]\n[1]:[2]\n").unwrap();
        let r = evaluate_files(std::slice::from_ref(&sys), std::slice::from_ref(&gold)).unwrap();
        assert_eq!(r.total.precision_strict, 1);
        assert!(evaluate_files(&[sys], &[]).is_err());
    }

    /// Writes `files` (name, text) to a temporary directory; returns it and the paths.
    fn write(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<PathBuf>) {
        let dir = tempfile::tempdir().unwrap();
        let paths = files
            .iter()
            .map(|(name, text)| {
                let p = dir.path().join(name);
                std::fs::write(&p, text).unwrap();
                p
            })
            .collect();
        (dir, paths)
    }

    const GOLD: &str = "[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[3]\n";
    /// Right at 0.95 and 0.75, wrong at 0.92 and 0.4.
    const SCORED: &str = "[0]:[0]:0.9500\n[1]:[2]:0.9200\n[2]:[2]:0.7500\n[3]:[4]:0.4000\n";

    #[test]
    fn evaluate_adds_the_reliability_table_over_all_documents() {
        let (_d, p) = write(&[("a.links", SCORED), ("b.links", SCORED), ("g", GOLD)]);
        let gold = [p[2].clone(), p[2].clone()];
        let r = evaluate(&p[..2], &gold, None).unwrap();
        assert_eq!(r.note, None);
        assert_eq!(r.total, evaluate_files(&p[..2], &gold).unwrap().total);
        let table = r.reliability.as_ref().unwrap();
        assert_eq!(table.links(), 8);
        assert_eq!((table.bins[9].links, table.bins[9].strict), (4, 2));
        assert_eq!((table.bins[7].links, table.bins[7].strict), (2, 2));
        assert_eq!((table.bins[4].links, table.bins[4].strict), (2, 0));
        // (4 |0.5 - 0.935| + 2 |1 - 0.75| + 2 |0 - 0.4|) / 8
        let want = (4.0 * 0.435 + 2.0 * 0.25 + 2.0 * 0.4) / 8.0;
        assert!((table.ece() - want).abs() < 1e-12, "{}", table.ece());
        assert_eq!(table.cumulative[8].recall_strict, 2);
        assert_eq!(table.cumulative[8].gold_links, 8);
        let text = r.render_text(false);
        assert!(text.contains("8 scored system links"), "{text}");
        assert!(text.contains(">= 0.7 *"), "{text}");
        let v: Value = serde_json::from_str(&r.render_json(false)).unwrap();
        assert_eq!(v["reliability"]["bins"][9]["links"], 4);
        assert!(v.get("min_score").is_none());
    }

    #[test]
    fn min_score_filters_the_main_counts_but_not_the_table() {
        let (_d, p) = write(&[("a.links", SCORED), ("g", GOLD)]);
        let all = evaluate(&p[..1], &p[1..], None).unwrap();
        let r = evaluate(&p[..1], &p[1..], Some(0.75)).unwrap();
        assert_eq!(r.min_score, Some(0.75));
        // 0.95, 0.92 and 0.75 are kept (0.75 is at the threshold), 0.4 is dropped.
        assert_eq!(r.total.system_links, 3);
        assert_eq!(r.total.precision_strict, 2);
        assert_eq!(r.total.gold_links, 4);
        assert_eq!(r.reliability, all.reliability);
        let r = evaluate(&p[..1], &p[1..], Some(0.96)).unwrap();
        assert_eq!(r.total.system_links, 0);
        let r = evaluate(&p[..1], &p[1..], Some(0.0)).unwrap();
        assert_eq!(r.total, all.total);
        let text = r.render_text(false);
        assert!(text.contains("min-score 0: the figures above"), "{text}");
        let v: Value = serde_json::from_str(&r.render_json(false)).unwrap();
        assert_eq!(v["min_score"], 0.0);
    }

    #[test]
    fn min_score_out_of_range_is_a_usage_error() {
        let (_d, p) = write(&[("a.links", SCORED), ("g", GOLD)]);
        for t in [-0.1, 1.01, f64::NAN, f64::INFINITY] {
            let e = evaluate(&p[..1], &p[1..], Some(t)).unwrap_err();
            assert!(matches!(e.kind(), crate::error::ErrorKind::Usage(_)), "{e}");
            assert!(e.to_string().contains("must lie in [0, 1]"), "{e}");
        }
        assert!(evaluate(&p[..1], &p[1..], Some(1.0)).is_ok());
    }

    #[test]
    fn unscored_links_have_a_note_and_min_score_zero_only() {
        let (_d, p) = write(&[("a.align", "\n[0]:[0]\n[1]:[1]\n"), ("g", GOLD)]);
        let r = evaluate(&p[..1], &p[1..], None).unwrap();
        assert!(r.reliability.is_none());
        assert!(r
            .note
            .as_deref()
            .unwrap()
            .contains("no system link has a score"));
        // The text and JSON are the plain report's.
        let plain = evaluate_files(&p[..1], &p[1..]).unwrap();
        assert_eq!(r.render_text(true), plain.render_text(true));
        assert_eq!(r.render_json(true), plain.render_json(true));
        assert_eq!(
            evaluate(&p[..1], &p[1..], Some(0.0)).unwrap().total,
            plain.total
        );
        let e = evaluate(&p[..1], &p[1..], Some(0.5)).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}:2: --min-score 0.5 needs scored links, but this link has no score",
                p[0].display()
            )
        );
    }

    #[test]
    fn mixed_scored_and_unscored_links_are_an_error_naming_the_line() {
        let (_d, p) = write(&[
            ("a.links", SCORED),
            ("b.links", "[0]:[0]:0.5\n\n[1]:[1]\n"),
            ("g", GOLD),
        ]);
        let gold = [p[2].clone(), p[2].clone()];
        let e = evaluate(&p[..2], &gold, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}:3: this link has no score but the one at {}:1 has one: \
                 give every link a score or none",
                p[1].display(),
                p[0].display()
            )
        );
    }

    #[test]
    fn costs_outside_zero_one_get_a_note_and_refuse_min_score() {
        let (_d, p) = write(&[
            ("h.align", "[0]:[0]:-0.0111111\n[1]:[1]:2.7\n"),
            ("g", GOLD),
        ]);
        let r = evaluate(&p[..1], &p[1..], None).unwrap();
        assert!(r.reliability.is_none());
        let note = r.note.unwrap();
        assert!(
            note.contains(&format!("{}:1 has -0.0111111", p[0].display())),
            "{note}"
        );
        let e = evaluate(&p[..1], &p[1..], Some(0.0)).unwrap_err();
        assert!(
            e.to_string()
                .starts_with(&format!("{}:1: --min-score", p[0].display())),
            "{e}"
        );
    }
}
