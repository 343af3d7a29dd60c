//! Score: [`Alignment`] -> [`ScoredLink`]s, each with the posterior probability that it is right.
//!
//! The forward-backward algorithm runs over the same lattice and bead costs as the aligner,
//! in a band around the chosen path, treating each bead cost as a negative log-probability
//! (Moore 2002 computes the confidence of its alignments the same way). The score of a link is
//! the total probability of all paths through that very bead divided by the probability of all
//! paths: it is high where the evidence leaves no alternative and low where a neighbouring
//! split or merge is almost as likely — exactly what a translator filtering a memory needs.

use crate::align::{Alignment, Band, CostModel, Link, Scratch, BEADS};

/// Half-width of the band around the path in which alternatives are summed.
const BAND: usize = 12;

/// A link with the confidence that it is correct.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredLink {
    /// The link.
    pub link: Link,
    /// Posterior probability of the link, in [0, 1].
    pub score: f64,
}

/// `ln(e^a + e^b)` without overflow; `-inf` is the identity.
fn log_add(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    hi + (lo - hi).exp().ln_1p()
}

/// Scores every link of `alignment` (which must cover both documents of `model`).
pub fn score(model: &CostModel, alignment: &Alignment) -> Vec<ScoredLink> {
    let (n, m) = (model.src_len(), model.tgt_len());
    let band = Band::around_path(n, m, &alignment.path(), BAND);
    let mut scratch = Scratch::default();
    // Log-probabilities (negated costs) of every bead that fits the band, computed once.
    let mut bead_logp = vec![f64::NEG_INFINITY; band.cells() * BEADS.len()];
    for i in 0..=n {
        for j in band.row(i) {
            let Some(cell) = band.index(i, j) else {
                continue;
            };
            for (k, &(a, b, _)) in BEADS.iter().enumerate() {
                if i + a <= n && j + b <= m && band.index(i + a, j + b).is_some() {
                    bead_logp[cell * BEADS.len() + k] = -model.bead_cost(i, j, k, &mut scratch);
                }
            }
        }
    }
    // forward[c]: log-probability of all paths from (0,0) to c.
    let mut forward = vec![f64::NEG_INFINITY; band.cells()];
    if let Some(o) = band.index(0, 0) {
        forward[o] = 0.0;
    }
    for i in 0..=n {
        for j in band.row(i) {
            let Some(here) = band.index(i, j) else {
                continue;
            };
            let mut acc = forward[here];
            for (k, &(a, b, _)) in BEADS.iter().enumerate() {
                if a > i || b > j {
                    continue;
                }
                if let Some(prev) = band.index(i - a, j - b) {
                    acc = log_add(acc, forward[prev] + bead_logp[prev * BEADS.len() + k]);
                }
            }
            forward[here] = acc;
        }
    }
    // backward[c]: log-probability of all paths from c to (n,m).
    let mut backward = vec![f64::NEG_INFINITY; band.cells()];
    if let Some(end) = band.index(n, m) {
        backward[end] = 0.0;
    }
    for i in (0..=n).rev() {
        for j in band.row(i).rev() {
            let Some(here) = band.index(i, j) else {
                continue;
            };
            let mut acc = backward[here];
            for k in 0..BEADS.len() {
                let (a, b, _) = BEADS[k];
                if let Some(next) = band.index(i + a, j + b) {
                    acc = log_add(acc, bead_logp[here * BEADS.len() + k] + backward[next]);
                }
            }
            backward[here] = acc;
        }
    }
    let total = band.index(n, m).map_or(f64::NEG_INFINITY, |c| forward[c]);
    alignment
        .links
        .iter()
        .map(|link| {
            let (a, b) = (link.src.len(), link.tgt.len());
            let k = BEADS.iter().position(|&(x, y, _)| x == a && y == b);
            let from = band.index(link.src.start, link.tgt.start);
            let to = band.index(link.src.end, link.tgt.end);
            let score = match (k, from, to) {
                (Some(k), Some(from), Some(to)) if total.is_finite() => {
                    let lp =
                        forward[from] + bead_logp[from * BEADS.len() + k] + backward[to] - total;
                    lp.exp().clamp(0.0, 1.0)
                }
                _ => 0.0,
            };
            ScoredLink {
                link: link.clone(),
                score,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{align, Options};
    use crate::read::Document;
    use crate::{split, Lang};

    #[test]
    fn log_add_is_stable() {
        assert!((log_add(0.0, 0.0) - 2f64.ln()).abs() < 1e-12);
        assert_eq!(log_add(f64::NEG_INFINITY, -3.0), -3.0);
        assert!((log_add(-1000.0, -1000.0) - (-1000.0 + 2f64.ln())).abs() < 1e-9);
    }

    #[test]
    fn clear_links_score_high_and_scores_are_probabilities() {
        let en = split::lines(Document::from_text(
            "en",
            "The SCO met in Beijing on 17 May 2018.\nLiu Yuejin greeted the 70 participants.\nThe Paris Pact was signed in 2003.",
        ));
        let ru = split::lines(Document::from_text(
            "ru",
            "ШОС собралась в Пекине 17 мая 2018 г.\nЛю Юэцзинь приветствовал 70 участников.\nПарижский пакт был подписан в 2003 г.",
        ));
        let model = CostModel::new(&en, &ru, Lang::En, Lang::Ru, &Options::default());
        let al = align(&model);
        let scored = score(&model, &al);
        assert_eq!(scored.len(), 3);
        for s in &scored {
            assert!((0.0..=1.0).contains(&s.score));
            assert!(s.score > 0.9, "{s:?}");
        }
    }
}
