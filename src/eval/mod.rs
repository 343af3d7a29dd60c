//! Evaluate: alignment files against gold files with the strict and lax precision, recall and
//! F1 of Sennrich & Volk (2010, 2011), counted as vecalign's `score.py` counts them (see
//! [`metric`]); files are read by [`links`]. Counts are summed over all document pairs before
//! dividing (micro-average), so the total is not the mean of the per-document figures.
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

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::error::{Error, Result};
use metric::{Counts, Scores};

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
}

/// Evaluates each system file against the gold file at the same position.
pub fn evaluate_files(systems: &[PathBuf], golds: &[PathBuf]) -> Result<Report> {
    if systems.len() != golds.len() {
        return Err(Error::usage(format!(
            "{} system file(s) but {} gold file(s): they are paired in order",
            systems.len(),
            golds.len()
        )));
    }
    let mut report = Report::default();
    for (test, gold) in systems.iter().zip(golds) {
        let system_links = links::read_file(test)?;
        let gold_links = links::read_file(gold)?;
        report.push(test, gold, metric::count(&system_links, &gold_links));
    }
    Ok(report)
}

/// Width of a figure column in the text table.
const COL: usize = 7;

impl Report {
    /// Adds one document pair's counts.
    pub fn push(&mut self, test: &Path, gold: &Path, counts: Counts) {
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
    /// links).
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
    /// links non-null on both sides.
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
}
