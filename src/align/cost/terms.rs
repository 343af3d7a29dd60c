//! The readable bead cost (`CostModel::bead_cost` (test builds)) and the terms it shares with the fast
//! path ([`super::BeadCosts`]): the Gale & Church (1993) prior and length terms, the anchor
//! term (shared key weight less unmatched key cost, each key occurrence matched once across the
//! bead's diagonal) and the paragraph and block terms.

#[cfg(test)]
use super::{gather, BEADS};
use super::{CostModel, Side, MAX_SPAN};
#[cfg(test)]
use crate::length::length_cost;

/// Reusable buffers for bead costs, so the DP loop does not allocate.
#[derive(Default)]
pub(crate) struct Scratch {
    pub(super) repeated: Vec<u32>,
    pub(super) counts: Vec<u32>,
    #[cfg(test)]
    a: Vec<u32>,
    #[cfg(test)]
    b: Vec<u32>,
    #[cfg(test)]
    tmp: Vec<u32>,
}

/// The readable bead cost: the specification the fast path ([`super::BeadCosts`]) is tested
/// against, so only the tests compile and run it.
#[cfg(test)]
impl<'a> CostModel<'a> {
    /// Cost in nats of bead shape `bead` (an index into [`BEADS`]) starting at `(i, j)`,
    /// computed from the key lists directly. The caller guarantees the bead fits. The aligner
    /// and the scorer use [`BeadCosts`](super::BeadCosts), which gives the same costs faster.
    pub(crate) fn bead_cost(&self, i: usize, j: usize, bead: usize, scratch: &mut Scratch) -> f64 {
        let (a, b, _) = BEADS[bead];
        let evidence = |scratch: &mut Scratch| self.anchor_evidence(i, a, j, b, scratch);
        self.cost_with(i, j, bead, scratch, evidence)
    }

    /// The bead cost with the anchor evidence `(shared, unmatched)` supplied by `evidence`
    /// (called only for beads with sentences on both sides).
    #[inline]
    fn cost_with(
        &self,
        i: usize,
        j: usize,
        bead: usize,
        scratch: &mut Scratch,
        evidence: impl FnOnce(&mut Scratch) -> (f64, f64),
    ) -> f64 {
        let (a, b, _) = BEADS[bead];
        let [s, t] = &self.side;
        if self.splits_blocks(i, a, j, b) {
            return f64::INFINITY;
        }
        let mut cost = self.prior_cost[bead];
        if a > 0 && b > 0 {
            cost += length_cost(s.chars(i, i + a), t.chars(j, j + b) * self.inv_ratio);
            let (shared, unmatched) = evidence(scratch);
            cost += anchor_term(self.params().anchor_weight, unmatched, shared);
            cost += self.time_cost(i, a, j, b);
            cost += self
                .semantic
                .as_ref()
                .map_or(0.0, |s| s.bead_cost(i, a, j, b));
        }
        if self.use_paragraphs {
            let source = self.source_paragraphs(i, a);
            cost = paragraph_term(cost, self.params().paragraph_weight, source, t, j, b);
        }
        cost
    }

    /// `M`, the summed weight of the keys shared by source sentences `i..i+a` and target
    /// sentences `j..j+b`, and the summed cost of the key occurrences left unmatched.
    ///
    /// A key occurrence matches at most one occurrence on the other side, in a sentence pair on
    /// the bead's [`diagonal`]; with one sentence on either side every pair is on it, so a key
    /// counts as often as it occurs on both sides.
    pub(super) fn anchor_evidence(
        &self,
        i: usize,
        a: usize,
        j: usize,
        b: usize,
        scratch: &mut Scratch,
    ) -> (f64, f64) {
        let [s, t] = &self.side;
        if a >= 2 && b >= 2 {
            return self.diagonal_evidence(i, a, j, b);
        }
        let (x, y): (&[u32], &[u32]) = match (a, b) {
            (1, 1) => (s.keys(i), t.keys(j)),
            (1, _) => {
                gather(t, j, b, &mut scratch.b, &mut scratch.tmp);
                (s.keys(i), &scratch.b)
            }
            // b == 1: wider beads on both sides took the diagonal route above.
            _ => {
                gather(s, i, a, &mut scratch.a, &mut scratch.tmp);
                (&scratch.a, t.keys(j))
            }
        };
        let (mut p, mut q, mut shared, mut unmatched) = (0, 0, 0.0f64, 0.0f64);
        while p < x.len() || q < y.len() {
            let order = match (x.get(p), y.get(q)) {
                (Some(u), Some(v)) => u.cmp(v),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            match order {
                std::cmp::Ordering::Less => {
                    unmatched += f64::from(self.unmatched[0][x[p] as usize]);
                    p += 1;
                }
                std::cmp::Ordering::Greater => {
                    unmatched += f64::from(self.unmatched[1][y[q] as usize]);
                    q += 1;
                }
                std::cmp::Ordering::Equal => {
                    shared += f64::from(self.weight[x[p] as usize]);
                    p += 1;
                    q += 1;
                }
            }
        }
        (shared, unmatched)
    }

    /// [`CostModel::anchor_evidence`] of a bead with two or more sentences on each side: the
    /// occurrences of each key matched across the diagonal's sentence pairs.
    fn diagonal_evidence(&self, i: usize, a: usize, j: usize, b: usize) -> (f64, f64) {
        let [s, t] = &self.side;
        let pairs = diagonal(&s.chars[i..=i + a], &t.chars[j..=j + b]);
        // (key, sentence of the bead: source sentences first), one per occurrence.
        let mut found: Vec<(u32, usize)> = (0..a)
            .flat_map(|d| s.keys(i + d).iter().map(move |&k| (k, d)))
            .chain((0..b).flat_map(|d| t.keys(j + d).iter().map(move |&k| (k, a + d))))
            .collect();
        found.sort_unstable();
        let (mut shared, mut unmatched) = (0.0, 0.0);
        for group in found.chunk_by(|x, y| x.0 == y.0) {
            let k = group[0].0 as usize;
            let mut counts = [0u32; 2 * MAX_SPAN];
            for &(_, d) in group {
                counts[d] += 1;
            }
            let (cs, ct) = counts.split_at(a);
            let matched = matched_on(cs, &ct[..b], &pairs);
            let (total_s, total_t) = (cs.iter().sum::<u32>(), ct.iter().sum::<u32>());
            shared += f64::from(matched) * f64::from(self.weight[k]);
            unmatched += f64::from(total_s - matched) * f64::from(self.unmatched[0][k])
                + f64::from(total_t - matched) * f64::from(self.unmatched[1][k]);
        }
        (shared, unmatched)
    }
}

/// The terms the readable path and the fast path share.
impl<'a> CostModel<'a> {
    /// The paragraph facts of the source side of a bead of `a` source sentences from `i`.
    #[inline]
    pub(super) fn source_paragraphs(&self, i: usize, a: usize) -> SourceParagraphs {
        let s = &self.side[0];
        SourceParagraphs {
            crossing: if a > 0 && s.crosses_paragraph(i, i + a) {
                self.params().paragraph_weight
            } else {
                0.0
            },
            opens: (a > 0).then(|| s.starts_paragraph(i)),
        }
    }

    /// The block term: true when a bead of `a` source sentences from `i` and `b` target
    /// sentences from `j`, with sentences on both sides, links two blocks (its cost is then
    /// infinite).
    #[inline]
    pub(super) fn splits_blocks(&self, i: usize, a: usize, j: usize, b: usize) -> bool {
        a > 0 && b > 0 && !self.within_block(i, a, j, b)
    }

    /// The log-likelihood ratio (nats) of source sentence `p` and target sentence `q` being
    /// a translation pair against two sentences drawn by chance: the weight of the anchors
    /// they share (each an inverse document frequency: how much rarer sharing it is by
    /// chance) less the unmatched cost of the numbers and names only one holds and the
    /// Gale-Church length cost of the pair. Priors and paragraph terms are left out: it
    /// judges a pair out of the search's order ([`crate::score`]'s crossing links).
    pub(crate) fn pair_log_ratio(&self, p: usize, q: usize) -> f64 {
        let [s, t] = &self.side;
        let length =
            crate::length::length_cost(s.chars(p, p + 1), t.chars(q, q + 1) * self.inv_ratio);
        let unmatched = s.unmatched(p, p + 1) + t.unmatched(q, q + 1);
        -anchor_term(
            self.params().anchor_weight,
            unmatched,
            f64::from(self.pair_evidence(p, q)),
        ) - length
    }

    /// The summed weight of the keys source sentence `p` and target sentence `q` share.
    pub(crate) fn shared_weight(&self, p: usize, q: usize) -> f64 {
        let (x, y) = (self.side[0].shared(p), self.side[1].shared(q));
        let mut out = Vec::new();
        super::intersect_into(x, y, &mut out);
        out.iter()
            .map(|&k| f64::from(self.weight[k as usize]))
            .sum()
    }

    /// The evidence of pairing source sentence `p` with target sentence `q` alone: the summed
    /// weight of the keys they share plus the unmatched cost those keys do not incur (both
    /// occurrences of each).
    pub(super) fn pair_evidence(&self, p: usize, q: usize) -> f32 {
        let (x, y) = (self.side[0].shared(p), self.side[1].shared(q));
        let (mut a, mut b) = (0, 0);
        let mut e = 0f32;
        // Branch-free steps: which list advances is data, not a jump to predict.
        while a < x.len() && b < y.len() {
            let (u, v) = (x[a], y[b]);
            if u == v {
                e += self.value[u as usize];
            }
            a += usize::from(u <= v);
            b += usize::from(v <= u);
        }
        e
    }
}

// The terms of a bead's cost that both the readable path (`CostModel::bead_cost` (test builds)) and the
// fast one ([`BeadCosts`]) add, each written once. The prior is `prior_cost`, the length term
// [`length_cost`] (the fast path's [`length_costs`] shares its formula in `crate::length`);
// the block term is [`CostModel::splits_blocks`]. Each function adds in the order the paths
// always added, so their costs are the same to the bit.

/// The anchor term: `weight` (nats per unit of evidence) times the cost of the key occurrences
/// left unmatched less the weight of the keys shared.
#[inline(always)]
pub(super) fn anchor_term(weight: f64, unmatched: f64, shared: f64) -> f64 {
    weight * (unmatched - shared)
}

/// The paragraph facts of the source side of a bead, found once per lattice row by the fast
/// path ([`CostModel::source_paragraphs`]).
#[derive(Clone, Copy)]
pub(super) struct SourceParagraphs {
    /// The paragraph weight when the source sentences lie in two paragraphs, else 0.
    crossing: f64,
    /// Whether the first source sentence opens a paragraph; `None` without source sentences.
    opens: Option<bool>,
}

/// `cost` plus the paragraph term of a bead with source facts `source` and `b` target sentences
/// from `j` of side `t`: `weight` per side whose sentences lie in two paragraphs, half of it
/// when a bead with sentences on both sides opens a paragraph on one side only.
#[inline(always)]
pub(super) fn paragraph_term(
    cost: f64,
    weight: f64,
    source: SourceParagraphs,
    t: &Side,
    j: usize,
    b: usize,
) -> f64 {
    let mut cost = cost + source.crossing;
    if b > 0 && t.crosses_paragraph(j, j + b) {
        cost += weight;
    }
    if b > 0
        && source
            .opens
            .is_some_and(|opens| opens != t.starts_paragraph(j))
    {
        cost += weight / 2.0;
    }
    cost
}

/// The sentence pairs of a bead that can share evidence, as one bit mask of target sentences
/// per source sentence, from the character offsets of the bead's `a + 1` source and `b + 1`
/// target sentence boundaries.
///
/// With one sentence on either side every pair can. Otherwise a pair can when the two
/// sentences overlap at their relative positions in the bead (the bead's diagonal): two 1-1
/// pairs joined into a 2-2 bead must not gain what the first source sentence shares with the
/// second target sentence — neighbouring sentences share vocabulary — while a true 2-2 bead,
/// whose sentence boundaries do not correspond, keeps its crossing pairs.
#[inline]
pub(super) fn diagonal(sources: &[f64], targets: &[f64]) -> [u8; MAX_SPAN] {
    let (a, b) = (sources.len() - 1, targets.len() - 1);
    let mut pairs = [0u8; MAX_SPAN];
    if a == 1 || b == 1 {
        pairs[..a].fill((1u8 << b) - 1);
        return pairs;
    }
    // Offsets within the bead; whole numbers (exact in f64), compared cross-multiplied.
    let (s0, t0) = (sources[0], targets[0]);
    let (total_s, total_t) = (sources[a] - s0, targets[b] - t0);
    for (p, mask) in pairs[..a].iter_mut().enumerate() {
        let (x0, x1) = (sources[p] - s0, sources[p + 1] - s0);
        for q in 0..b {
            let (y0, y1) = (targets[q] - t0, targets[q + 1] - t0);
            if x0 * total_t < y1 * total_s && y0 * total_s < x1 * total_t {
                *mask |= 1 << q;
            }
        }
    }
    pairs
}

/// How many occurrences of one key the bead matches: `cs[p]` occurrences in its source
/// sentence `p`, `ct[q]` in target sentence `q`, matched only across the pairs in `pairs`
/// ([`diagonal`]). Each source sentence takes from the earliest target sentences first, which
/// is a maximum matching because every source sentence's pairs are a run of target sentences
/// that starts and ends no earlier than the previous one's.
#[inline]
pub(super) fn matched_on(cs: &[u32], ct: &[u32], pairs: &[u8; MAX_SPAN]) -> u32 {
    let mut left = [0u32; MAX_SPAN];
    left[..ct.len()].copy_from_slice(ct);
    let mut matched = 0;
    for (p, &c) in cs.iter().enumerate() {
        let mut c = c;
        for (q, l) in left[..ct.len()].iter_mut().enumerate() {
            if pairs[p] >> q & 1 == 1 && c > 0 {
                let m = c.min(*l);
                c -= m;
                *l -= m;
                matched += m;
            }
        }
    }
    matched
}
