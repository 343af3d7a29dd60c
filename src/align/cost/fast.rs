//! The fast bead costs the aligner and the scorer run on: a band's costs row after row, with
//! each source-target sentence pair compared once (Moore 2002's banded search needs every
//! bead of every band cell). The terms are those of `CostModel::bead_cost` (test builds), from
//! `super::terms`; the anchor evidence of a wide bead is summed from its 1-1 parts.

use std::ops::Range;

use super::super::semantic::SemanticEvidence;
use super::terms::{anchor_term, diagonal, matched_on, paragraph_term};
use super::{CostModel, Scratch, BEADS, MAX_SPAN};
use crate::align::Band;
use crate::length::length_costs;

/// The 1-1 evidence of one source sentence against a run of target sentences: for each,
/// the summed weight and unmatched cost of the keys the two share (see
/// [`CostModel::pair_evidence`]).
#[derive(Default)]
struct EvidenceRow {
    /// The source sentence, or `usize::MAX` when the row is empty.
    p: usize,
    /// The first target sentence held.
    q_start: usize,
    cells: Vec<f32>,
    /// The sentence vectors' dot products of the same pairs, when there are vectors.
    dots: Vec<f32>,
}

impl EvidenceRow {
    /// The 1-1 evidence of source sentence `p` and target sentence `q`: from the row when it
    /// holds them, else computed.
    #[inline]
    fn evidence(&self, model: &CostModel, p: usize, q: usize) -> f32 {
        match q.checked_sub(self.q_start) {
            Some(c) if self.p == p && c < self.cells.len() => self.cells[c],
            _ => model.pair_evidence(p, q),
        }
    }

    /// The dot product of the sentence vectors of source sentence `p` and target sentence
    /// `q`: from the row when it holds them, else computed.
    #[inline]
    fn dot(&self, semantic: &SemanticEvidence, p: usize, q: usize) -> f32 {
        match q.checked_sub(self.q_start) {
            Some(c) if self.p == p && c < self.dots.len() => self.dots[c],
            _ => semantic.pair_dot(p, q),
        }
    }
}

/// The bead costs of a band, row after row, as the aligner and the scorer need them.
///
/// The evidence of a wide bead is the sum of the evidence of its 1-1 parts, corrected for the
/// few keys that occur in two sentences of one side (found in lists made once per document),
/// so each source-target sentence pair is compared once and kept while the rows that can use
/// it are produced. A row is filled bead shape by bead shape over runs of cells, in loops
/// the compiler vectorises. The costs are those of `CostModel::bead_cost` (test builds).
pub(crate) struct BeadCosts<'m, 'a> {
    model: &'m CostModel<'a>,
    band: &'m Band,
    /// The lattice cell at the band's (0, 0): the band may cover a window of the lattice.
    origin: (usize, usize),
    /// Evidence rows of the last [`MAX_SPAN`] source sentences, by `p % MAX_SPAN`.
    rows: [EvidenceRow; MAX_SPAN],
    /// Per-cell work space of one bead shape: target lengths, evidence, length costs.
    lengths: Vec<f64>,
    evidence: Vec<f32>,
    scratch: Scratch,
}

/// The bead costs of one lattice row, shape by shape: the cost of bead `k` ending in the
/// `c`-th cell of the row is `costs[k * width + c]`, infinite where the bead would start
/// outside the lattice or the band.
#[derive(Debug, Default)]
pub(crate) struct RowCosts {
    /// Cells in the row.
    pub(crate) width: usize,
    /// The costs, bead shape after bead shape.
    pub(crate) costs: Vec<f64>,
}

impl RowCosts {
    /// The costs of bead shape `k` across the row.
    #[inline]
    pub(crate) fn bead(&self, k: usize) -> &[f64] {
        &self.costs[k * self.width..(k + 1) * self.width]
    }
}

impl<'m, 'a> BeadCosts<'m, 'a> {
    /// Bead costs of `model` over `band`.
    pub(crate) fn new(model: &'m CostModel<'a>, band: &'m Band) -> Self {
        Self::at(model, band, (0, 0))
    }

    /// Bead costs of `model` over `band`, a band over the window of the lattice whose first
    /// cell is `origin` (rows and columns of the band count from there).
    pub(crate) fn at(model: &'m CostModel<'a>, band: &'m Band, origin: (usize, usize)) -> Self {
        BeadCosts {
            model,
            band,
            origin,
            rows: std::array::from_fn(|_| EvidenceRow {
                p: usize::MAX,
                ..EvidenceRow::default()
            }),
            lengths: Vec::new(),
            evidence: Vec::new(),
            scratch: Scratch::default(),
        }
    }

    /// The columns, in band coordinates, where bead `k` can end in row `i`: its start cell
    /// must lie in the band (band rows are monotone, so this is one run).
    pub(crate) fn span(band: &Band, i: usize, k: usize) -> Range<usize> {
        let (a, b, _) = BEADS[k];
        let r = band.row(i);
        if a > i {
            return r.start..r.start;
        }
        let before = band.row(i - a);
        let from = r.start.max(before.start + b);
        let to = r.end.min(before.end + b).max(from);
        from..to
    }

    /// Fills `out` with the costs of the beads that end in lattice row `i` (band coordinates).
    pub(crate) fn row(&mut self, i: usize, out: &mut RowCosts) {
        let band = self.band;
        let r = band.row(i);
        out.width = r.len();
        out.costs.clear();
        out.costs.resize(r.len() * BEADS.len(), f64::INFINITY);
        for p in i.saturating_sub(MAX_SPAN)..i {
            self.ensure(p);
        }
        for k in 0..BEADS.len() {
            let span = Self::span(band, i, k);
            if span.is_empty() {
                continue;
            }
            let at = k * out.width + span.start - r.start;
            let cells = &mut out.costs[at..at + span.len()];
            self.fill(k, self.origin.0 + i, self.origin.1 + span.start, cells);
        }
    }

    /// The costs of bead `k` ending in lattice row `i` and columns `j..j + out.len()`
    /// (document coordinates; every bead fits).
    fn fill(&mut self, k: usize, i: usize, j: usize, out: &mut [f64]) {
        let model = self.model;
        let (a, b, _) = BEADS[k];
        let [s, t] = &model.side;
        let n = out.len();
        // Beads start at (i - a, j - b + c) for the c-th cell.
        let (i0, j0) = (i - a, j - b);
        if a > 0 && b > 0 {
            let aw = model.params().anchor_weight;
            let l1 = s.chars(i0, i);
            let base = model.prior_cost[k] + anchor_term(aw, s.unmatched(i0, i), 0.0);
            let chars = &t.chars[j0..j0 + n + b];
            let unmatched = &t.unmatched[j0..j0 + n + b];
            // Summed 1-1 evidence of the bead's sentence pairs.
            let evidence = &mut self.evidence;
            evidence.clear();
            evidence.resize(n, 0.0);
            if a >= 2 && b >= 2 {
                // Only the pairs on the bead's diagonal, which differs from cell to cell.
                let sources = &s.chars[i0..=i];
                for (c, e) in evidence.iter_mut().enumerate() {
                    let pairs = diagonal(sources, &chars[c..=c + b]);
                    for (p, &mask) in (i0..i).zip(&pairs) {
                        for d in (0..b).filter(|&d| mask >> d & 1 == 1) {
                            *e += self.rows[p % MAX_SPAN].evidence(model, p, j0 + c + d);
                        }
                    }
                }
            } else {
                for p in i0..i {
                    let row = &self.rows[p % MAX_SPAN];
                    let held = row.p == p
                        && j0 >= row.q_start
                        && j0 - row.q_start + n + b - 1 <= row.cells.len();
                    if held {
                        let cells = &row.cells[j0 - row.q_start..];
                        for d in 0..b {
                            for (e, &x) in evidence.iter_mut().zip(&cells[d..d + n]) {
                                *e += x;
                            }
                        }
                    } else {
                        for (c, e) in evidence.iter_mut().enumerate() {
                            for q in j0 + c..j0 + c + b {
                                *e += model.pair_evidence(p, q);
                            }
                        }
                    }
                }
            }
            let lengths = &mut self.lengths;
            lengths.clear();
            lengths.extend((0..n).map(|c| (chars[c + b] - chars[c]) * model.inv_ratio));
            length_costs(l1, lengths);
            for (c, cost) in out.iter_mut().enumerate() {
                let u = unmatched[c + b] - unmatched[c];
                *cost = base + lengths[c] + anchor_term(aw, u, f64::from(evidence[c]));
            }
            // A key in two sentences of one side was matched by each 1-1 part that holds it.
            // That takes such a key and two of the bead's sentence pairs in one row or column
            // of the lattice sharing something.
            let source_repeats = s.repeats(i0, a);
            for (c, cost) in out.iter_mut().enumerate() {
                if evidence[c] > 0.0
                    && (source_repeats || t.repeats(j0 + c, b))
                    && two_in_a_line(&self.rows, model, i0, a, j0 + c, b)
                {
                    // The shared weight counted too often is taken back.
                    let excess = excess(model, &mut self.scratch, i0, a, j0 + c, b);
                    *cost += anchor_term(aw, 0.0, -excess);
                }
            }
            if model.times.is_some() {
                for (c, cost) in out.iter_mut().enumerate() {
                    *cost += model.time_cost(i0, a, j0 + c, b);
                }
            }
            if let Some(semantic) = &model.semantic {
                for (c, cost) in out.iter_mut().enumerate() {
                    let mut cross = 0.0;
                    for p in i0..i {
                        let row = &self.rows[p % MAX_SPAN];
                        for q in j0 + c..j0 + c + b {
                            cross += f64::from(row.dot(semantic, p, q));
                        }
                    }
                    *cost += semantic.cost(i0, a, j0 + c, b, cross);
                }
            }
        } else {
            out.fill(model.prior_cost[k]);
        }
        if model.use_paragraphs {
            let weight = model.params().paragraph_weight;
            let source = model.source_paragraphs(i0, a);
            for (c, cost) in out.iter_mut().enumerate() {
                *cost = paragraph_term(*cost, weight, source, t, j0 + c, b);
            }
        }
        if model.blocks.is_some() && a > 0 && b > 0 {
            for (c, cost) in out.iter_mut().enumerate() {
                if model.splits_blocks(i0, a, j0 + c, b) {
                    *cost = f64::INFINITY;
                }
            }
        }
    }

    /// Makes sure the evidence row of source sentence `p` (counted from the origin) is held:
    /// every target sentence that a bead through `p` ending in the band can take.
    fn ensure(&mut self, p: usize) {
        let (band, model) = (self.band, self.model);
        let (i0, j0) = self.origin;
        let row = &mut self.rows[(i0 + p) % MAX_SPAN];
        if row.p == i0 + p {
            return;
        }
        let m = model.tgt_len();
        // Beads through p start in rows p + 1 - MAX_SPAN..=p and end in rows p + 1..=p +
        // MAX_SPAN; band rows are monotone.
        let last = (p + MAX_SPAN).min(band.rows() - 1);
        let from = (j0 + band.row((p + 1).saturating_sub(MAX_SPAN)).start).min(m);
        let to = (j0 + band.row(last).end).min(m).max(from);
        let p = i0 + p;
        row.p = p;
        row.q_start = from;
        row.cells.clear();
        row.cells
            .extend((from..to).map(|q| model.pair_evidence(p, q)));
        row.dots.clear();
        if let Some(semantic) = &model.semantic {
            row.dots.extend((from..to).map(|q| semantic.pair_dot(p, q)));
        }
    }
}

/// The evidence the 1-1 parts (on its [`diagonal`]) of the bead over source sentences
/// `i..i + a` and target sentences `j..j + b` count too often: a key that occurs in two
/// sentences of one side is matched by each part that holds it, but its occurrences match
/// only once ([`matched_on`]).
fn excess(model: &CostModel, scratch: &mut Scratch, i: usize, a: usize, j: usize, b: usize) -> f64 {
    let [s, t] = &model.side;
    let pairs = diagonal(&s.chars[i..=i + a], &t.chars[j..=j + b]);
    let repeated = &mut scratch.repeated;
    repeated.clear();
    s.repeated_keys(i, a, repeated);
    t.repeated_keys(j, b, repeated);
    repeated.sort_unstable();
    repeated.dedup();
    // counts[x * (a + b) + d]: occurrences of repeated key x in the bead's d-th sentence
    // (source sentences first), by one merge of each sentence's keys with the repeated ones.
    let span = a + b;
    let counts = &mut scratch.counts;
    counts.clear();
    counts.resize(repeated.len() * span, 0u32);
    let sentences = (0..a)
        .map(|d| s.shared(i + d))
        .chain((0..b).map(|d| t.shared(j + d)));
    for (d, keys) in sentences.enumerate() {
        let (mut x, mut y) = (0, 0);
        while x < repeated.len() && y < keys.len() {
            let (u, v) = (repeated[x], keys[y]);
            if u == v {
                counts[x * span + d] += 1;
                y += 1;
            } else if u < v {
                x += 1;
            } else {
                y += 1;
            }
        }
    }
    let mut total = 0.0;
    for (x, &k) in repeated.iter().enumerate() {
        let (cs, ct) = counts[x * span..(x + 1) * span].split_at(a);
        let mut pairwise = 0;
        for (p, &c) in cs.iter().enumerate() {
            for (q, &d) in ct.iter().enumerate() {
                if pairs[p] >> q & 1 == 1 {
                    pairwise += c.min(d);
                }
            }
        }
        let exact = matched_on(cs, ct, &pairs);
        total += f64::from(pairwise - exact) * f64::from(model.value[k as usize]);
    }
    total
}

/// True when two of the sentence pairs of the bead over source sentences `i..i + a` and
/// target sentences `j..j + b` that share something lie in one source or one target sentence.
fn two_in_a_line(
    rows: &[EvidenceRow; MAX_SPAN],
    model: &CostModel,
    i: usize,
    a: usize,
    j: usize,
    b: usize,
) -> bool {
    let mut columns = [0u8; MAX_SPAN];
    for p in i..i + a {
        let row = &rows[p % MAX_SPAN];
        let mut in_row = 0;
        for (d, column) in columns[..b].iter_mut().enumerate() {
            let q = j + d;
            if row.evidence(model, p, q) > 0.0 {
                in_row += 1;
                *column += 1;
            }
        }
        if in_row >= 2 {
            return true;
        }
    }
    columns.iter().any(|&c| c >= 2)
}
