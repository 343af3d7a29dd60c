//! What a run reports: the [`Outcome`] of each pair (or stream document), the counts of one
//! aligned pair ([`PairStats`]) and the totals over a run ([`Summary`]), shared by
//! [`super::batch`], [`super::stream`] and the single-pair command.

use std::fmt;
use std::time::Duration;

use crate::error::Error;
use crate::run::pipeline::AlignedPair;

/// What happened to one pair.
#[derive(Debug)]
pub enum Outcome {
    /// Aligned and written.
    Done(PairStats),
    /// Not aligned or not written; the error names the file.
    Failed(Error),
    /// Not started because an earlier pair failed under `fail_fast`.
    NotStarted,
}

/// Counts of one aligned pair.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PairStats {
    /// Source sentences.
    pub src_sentences: usize,
    /// Target sentences.
    pub tgt_sentences: usize,
    /// Links of the alignment (null links included), written or not.
    pub links: usize,
    /// Sum of the link scores.
    pub score_sum: f64,
    /// Number of links with a score.
    pub scored: usize,
    /// Links of one sentence on each side (1-1).
    pub one_to_one: usize,
    /// Links with no sentence on one side (1-0, 0-1).
    pub null_links: usize,
    /// Source sentences left unaligned (in 1-0 links).
    pub src_unaligned: usize,
    /// Target sentences left unaligned (in 0-1 links).
    pub tgt_unaligned: usize,
    /// Units written to the output (after `--min-score` and the format's choices).
    pub written: usize,
    /// Links not written because they scored below `--min-score`.
    pub below_min_score: usize,
    /// The pair's document score ([`crate::run::check::document_score`]), `None` for a pair
    /// too short to judge; in [`Summary::totals`], the last pair's.
    pub document_score: Option<f64>,
}

impl PairStats {
    /// The counts of an aligned pair.
    pub fn of(pair: &AlignedPair) -> PairStats {
        let (score_sum, scored) = pair.score_sum();
        let mut stats = PairStats {
            src_sentences: pair.src_sentences,
            tgt_sentences: pair.tgt_sentences,
            links: pair.links(),
            score_sum,
            scored,
            ..PairStats::default()
        };
        for unit in &pair.units {
            match (unit.src_ids.len(), unit.tgt_ids.len()) {
                (1, 1) => stats.one_to_one += 1,
                (n, 0) => {
                    stats.null_links += 1;
                    stats.src_unaligned += n;
                }
                (0, n) => {
                    stats.null_links += 1;
                    stats.tgt_unaligned += n;
                }
                _ => {}
            }
        }
        PairStats {
            document_score: pair.document_score,
            ..stats
        }
    }
}

/// Totals over the pairs (or stream documents) of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Pairs aligned (and written).
    pub done: usize,
    /// Pairs that failed.
    pub failed: usize,
    /// Pairs not started after a failure under `fail_fast`.
    pub not_started: usize,
    /// Pairs done whose output received no unit.
    pub empty: usize,
    /// The counts of the pairs done, summed.
    pub totals: PairStats,
    /// Warnings reported.
    pub warnings: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl Summary {
    /// Adds one pair's outcome and warnings.
    pub fn add(&mut self, outcome: &Outcome, warnings: usize) {
        match outcome {
            Outcome::Done(s) => {
                self.done += 1;
                self.totals.src_sentences += s.src_sentences;
                self.totals.tgt_sentences += s.tgt_sentences;
                self.totals.links += s.links;
                self.totals.score_sum += s.score_sum;
                self.totals.scored += s.scored;
                self.totals.written += s.written;
                self.totals.one_to_one += s.one_to_one;
                self.totals.null_links += s.null_links;
                self.totals.src_unaligned += s.src_unaligned;
                self.totals.tgt_unaligned += s.tgt_unaligned;
                self.totals.below_min_score += s.below_min_score;
                self.totals.document_score = s.document_score;
                if s.written == 0 {
                    self.empty += 1;
                }
            }
            Outcome::Failed(_) => self.failed += 1,
            Outcome::NotStarted => self.not_started += 1,
        }
        self.warnings += warnings;
    }

    /// Mean score over all links of the pairs done.
    pub(crate) fn mean_score(&self) -> Option<f64> {
        (self.totals.scored > 0).then(|| self.totals.score_sum / self.totals.scored as f64)
    }

    /// The summary as one line, counting `noun`s (`pair`, `document`).
    pub fn line(&self, noun: &str) -> String {
        let mean = match self.mean_score() {
            Some(m) => format!("{m:.4}"),
            None => "-".into(),
        };
        let not_started = match self.not_started {
            0 => String::new(),
            n => format!(", {n} not started"),
        };
        let empty = match self.empty {
            0 => String::new(),
            n => format!(" ({n} with no unit written)"),
        };
        let total = self.done + self.failed + self.not_started;
        // One pair aligned alone: how likely its two texts translate each other.
        let document = match (total, self.done) {
            (1, 1) => match self.totals.document_score {
                Some(d) => format!(", document score {d:.2}"),
                None => ", document score - (too short to judge)".to_string(),
            },
            _ => String::new(),
        };
        let t = &self.totals;
        // What the links are: 1-1, wider, and the sentences no link holds.
        let kinds = if t.links == 0 {
            String::new()
        } else {
            format!(
                " ({} 1-1, {} other; unaligned: {} source, {} target)",
                t.one_to_one,
                t.links.saturating_sub(t.one_to_one + t.null_links),
                t.src_unaligned,
                t.tgt_unaligned
            )
        };
        let below = match t.below_min_score {
            0 => String::new(),
            n => format!(" ({n} below --min-score)"),
        };
        format!(
            "{}: {} done{empty}, {} failed{not_started}; sentences {} source, {} target; \
             {}{kinds}, {} written{below}, mean score {mean}{document}; {}; {:.2} s",
            plural(total, noun),
            self.done,
            self.failed,
            t.src_sentences,
            t.tgt_sentences,
            plural(t.links, "link"),
            t.written,
            plural(self.warnings, "warning"),
            self.elapsed.as_secs_f64()
        )
    }
}

/// `1 pair`, `3 pairs`.
fn plural(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        _ => format!("{n} {noun}s"),
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line("pair"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line() {
        let mut s = Summary::default();
        let stats = PairStats {
            src_sentences: 10,
            tgt_sentences: 11,
            links: 9,
            score_sum: 8.1,
            scored: 9,
            one_to_one: 6,
            null_links: 2,
            src_unaligned: 1,
            tgt_unaligned: 1,
            written: 8,
            below_min_score: 1,
            document_score: Some(0.9),
        };
        s.add(&Outcome::Done(stats), 2);
        s.add(&Outcome::Failed(Error::usage("x")), 0);
        s.add(&Outcome::NotStarted, 0);
        s.elapsed = Duration::from_millis(1500);
        let one = Summary {
            done: 1,
            warnings: 1,
            ..Summary::default()
        };
        assert_eq!(
            one.line("document"),
            "1 document: 1 done, 0 failed; sentences 0 source, 0 target; 0 links, 0 written, \
             mean score -, document score - (too short to judge); 1 warning; 0.00 s"
        );
        assert_eq!(
            s.to_string(),
            "3 pairs: 1 done, 1 failed, 1 not started; sentences 10 source, 11 target; 9 links \
             (6 1-1, 1 other; unaligned: 1 source, 1 target), 8 written (1 below --min-score), \
             mean score 0.9000; 2 warnings; 1.50 s"
        );
    }
}
