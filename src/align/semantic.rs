//! Semantic evidence: per-sentence vectors from a sentence-embedding model the user ran
//! (LaBSE, multilingual E5, LASER, ...), folded into the bead cost as vecalign (Thompson &
//! Koehn 2019) and bertalign (Liu & Zhu 2022) do.
//!
//! A bead over several sentences is represented by the normalised sum of its sentences'
//! vectors; its evidence is the cosine of the two sides' sums, measured against the cosine
//! of sentence pairs chosen at random from the same two documents (the baseline a model gives
//! unrelated text in these languages): the cost falls by
//! `weight * (cos - baseline) / (1 - baseline)` nats, so an unrelated pair gets nothing and a
//! pair less alike than chance pays. The sums' cosines need only the dot products of the
//! sentence pairs and of neighbouring sentences of one side, computed once.
//!
//! No model is bundled: the default aligner is model-free; [`crate::read::vectors`] reads the
//! vectors.

use crate::read::vectors::SentenceVectors;

/// The dot product of two rows, summed in eight lanes the compiler vectorises.
fn dot(x: &[f32], y: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let (xc, yc) = (x.chunks_exact(8), y.chunks_exact(8));
    let tail: f32 = xc
        .remainder()
        .iter()
        .zip(yc.remainder())
        .map(|(a, b)| a * b)
        .sum();
    for (a, b) in xc.zip(yc) {
        for k in 0..8 {
            lanes[k] += a[k] * b[k];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// The most sentences a bead takes from one side (the cost model's bead shapes).
const MAX_SPAN: usize = 4;

/// Random sentence pairs the baseline cosine is the mean of, at most.
const BASELINE_SAMPLES: usize = 4096;

/// The semantic term of the bead cost for one document pair.
pub(crate) struct SemanticEvidence<'a> {
    sides: [&'a SentenceVectors; 2],
    /// `neighbours[side][i * MAX_SPAN + d]`: dot product of sentence `i` with sentence `i + d`
    /// of that side (`d = 0` the squared length, 1 or 0).
    neighbours: [Vec<f32>; 2],
    /// Mean cosine of sentence pairs taken far from the diagonal.
    baseline: f64,
    /// Nats by which a bead whose sides are the same in meaning (cosine 1) is cheaper than an
    /// unrelated one.
    weight: f64,
}

impl<'a> SemanticEvidence<'a> {
    /// The evidence of two sides' vectors (of the same dimension and one row per sentence;
    /// the caller checks), worth at most `weight` nats per bead.
    pub(crate) fn new(
        src: &'a SentenceVectors,
        tgt: &'a SentenceVectors,
        weight: f64,
    ) -> SemanticEvidence<'a> {
        let neighbours = [src, tgt].map(|side| {
            let n = side.rows();
            let mut dots = vec![0f32; n * MAX_SPAN];
            for i in 0..n {
                for d in 0..MAX_SPAN.min(n - i) {
                    dots[i * MAX_SPAN + d] = dot(side.row(i), side.row(i + d));
                }
            }
            dots
        });
        SemanticEvidence {
            sides: [src, tgt],
            neighbours,
            baseline: baseline(src, tgt),
            weight,
        }
    }

    /// The dot product of source sentence `p` and target sentence `q`.
    #[inline]
    pub(crate) fn pair_dot(&self, p: usize, q: usize) -> f32 {
        dot(self.sides[0].row(p), self.sides[1].row(q))
    }

    /// The squared length of the sum of sentences `i..i + n` of side `side`.
    fn span_norm2(&self, side: usize, i: usize, n: usize) -> f64 {
        let dots = &self.neighbours[side];
        let mut total = 0.0;
        for p in i..i + n {
            total += f64::from(dots[p * MAX_SPAN]);
            for d in 1..i + n - p {
                total += 2.0 * f64::from(dots[p * MAX_SPAN + d]);
            }
        }
        total
    }

    /// The semantic term (nats, negative for a good bead) of the bead over source sentences
    /// `i..i + a` and target sentences `j..j + b` whose sentence pairs' dot products sum to
    /// `cross`.
    #[inline]
    pub(crate) fn cost(&self, i: usize, a: usize, j: usize, b: usize, cross: f64) -> f64 {
        let norms = self.span_norm2(0, i, a) * self.span_norm2(1, j, b);
        if norms <= 0.0 {
            return 0.0;
        }
        let cos = cross / norms.sqrt();
        -self.weight * (cos - self.baseline) / (1.0 - self.baseline)
    }

    /// The semantic term of the bead over `i..i + a` and `j..j + b`, its dot products
    /// computed here.
    #[cfg(test)]
    pub(crate) fn bead_cost(&self, i: usize, a: usize, j: usize, b: usize) -> f64 {
        let mut cross = 0.0;
        for p in i..i + a {
            for q in j..j + b {
                cross += f64::from(self.pair_dot(p, q));
            }
        }
        self.cost(i, a, j, b, cross)
    }
}

/// The mean cosine of up to [`BASELINE_SAMPLES`] sentence pairs half a document away from
/// the diagonal (sentences that do not translate each other), at most 0.99.
fn baseline(src: &SentenceVectors, tgt: &SentenceVectors) -> f64 {
    let (n, m) = (src.rows(), tgt.rows());
    if n == 0 || m < 2 {
        return 0.0;
    }
    let samples = n.min(BASELINE_SAMPLES);
    let mut total = 0.0;
    for s in 0..samples {
        let p = s * n / samples;
        let q = (p * m / n + m / 2) % m;
        total += f64::from(dot(src.row(p), tgt.row(q)));
    }
    (total / samples as f64).clamp(-1.0, 0.99)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors(rows: &[&[f32]]) -> SentenceVectors {
        let dim = rows[0].len();
        SentenceVectors::from_rows(rows.concat(), dim).unwrap()
    }

    #[test]
    fn the_dot_product_matches_the_plain_sum() {
        let x: Vec<f32> = (0..37).map(|k| (k as f32 * 0.37).sin()).collect();
        let y: Vec<f32> = (0..37).map(|k| (k as f32 * 0.11).cos()).collect();
        let plain: f32 = x.iter().zip(&y).map(|(a, b)| a * b).sum();
        assert!((dot(&x, &y) - plain).abs() < 1e-4);
    }

    #[test]
    fn a_span_is_its_normalised_sum() {
        // Source: e1, e2; target: e1 + e2 (one sentence saying both).
        let src = vectors(&[&[1.0, 0.0, 0.0], &[0.0, 1.0, 0.0], &[0.0, 0.0, 1.0]]);
        let tgt = vectors(&[&[1.0, 1.0, 0.0], &[0.0, 0.0, 1.0], &[1.0, 0.0, 0.0]]);
        let evidence = SemanticEvidence::new(&src, &tgt, 4.0);
        // The 2-1 bead has cosine 1, its 1-1 part cosine 1/sqrt(2).
        let two_one = evidence.bead_cost(0, 2, 0, 1);
        let one_one = evidence.bead_cost(0, 1, 0, 1);
        let unrelated = evidence.bead_cost(2, 1, 0, 1);
        assert!(
            two_one < one_one && one_one < unrelated,
            "{two_one} {one_one} {unrelated}"
        );
        let full = -4.0 * (1.0 - evidence.baseline) / (1.0 - evidence.baseline);
        assert!((two_one - full).abs() < 1e-6, "{two_one}");
        assert!(
            (evidence.span_norm2(0, 0, 2) - 2.0).abs() < 1e-9,
            "orthogonal unit rows"
        );
    }

    #[test]
    fn unrelated_pairs_cost_nothing_on_average() {
        // Random directions: the baseline is their mean cosine, so the mean term is near 0.
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as f32 / (1u64 << 31) as f32) - 0.5
        };
        let rows = 200;
        let src = SentenceVectors::from_rows((0..rows * 16).map(|_| next()).collect(), 16).unwrap();
        let tgt = SentenceVectors::from_rows((0..rows * 16).map(|_| next()).collect(), 16).unwrap();
        let evidence = SemanticEvidence::new(&src, &tgt, 4.0);
        let mean: f64 = (0..rows)
            .map(|i| evidence.bead_cost(i, 1, (i * 7 + 3) % rows, 1))
            .sum::<f64>()
            / rows as f64;
        assert!(mean.abs() < 0.5, "{mean}");
    }
}
