//! Evaluate: alignment files against gold files (Sennrich & Volk 2010 strict/lax P/R/F1).
//! (Skeleton: the metric lands in this module.)

use std::path::PathBuf;

use crate::error::Result;

/// Scores of a set of system files against gold files.
#[derive(Debug, Clone, Default)]
pub struct Report {}

/// Evaluates each system file against the gold file at the same position.
pub fn evaluate_files(systems: &[PathBuf], golds: &[PathBuf]) -> Result<Report> {
    let _ = (systems, golds);
    Ok(Report {})
}

impl Report {
    /// A plain-text table; with `per_doc`, one row per document pair before the total.
    pub fn render_text(&self, per_doc: bool) -> String {
        let _ = per_doc;
        String::new()
    }

    /// The same figures as one JSON object.
    pub fn render_json(&self, per_doc: bool) -> String {
        let _ = per_doc;
        String::from("{}")
    }
}
