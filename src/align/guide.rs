//! The guide: where the alignment path can be, found before the exact search.
//!
//! Coarse to fine, as Thompson & Koehn (2019) search for vecalign, with the length and anchor
//! evidence of the exact model instead of sentence embeddings. Sentences are grouped into
//! blocks of `K`; each pair of blocks scores the summed weight of the anchor keys their
//! sentences share (a dot plot, as in Melamed's SIMR, binned), and the blocks are aligned by
//! Gale-Church dynamic programming over block beads (1-1, 1-0, 0-1, 2-1, 1-2), each costing
//! its prior and the length cost of its blocks' characters less the weight they share. Length
//! keeps the path on course where no key is shared and stops it chasing a name repeated in
//! many sentences; the shared weight places it where lengths are ambiguous. The coarsest grid is
//! searched whole, so a passage that one side omits or adds — hundreds of sentences — becomes
//! null beads without derailing the rest; each finer level, eight times finer, searches only
//! around the path of the level above, so time and memory grow with the number of sentences.
//! At one sentence a block, the strong one-to-one matches of the path are anchors, and the
//! exact search runs in a band along the path.

use std::ops::Range;

use super::{Alignment, Band, CostModel, Params, BEADS};
use crate::length::length_cost;

// The guide's tunables are in [`Params`]: `coarse_blocks`, `max_coarse_block`, `refine`,
// `pair_budget`, `guide_anchor_weight`, `gap_area`.

/// Anchors and the finest path of the guide.
#[derive(Debug, Clone, Default)]
pub struct Guide {
    /// Sentence pairs `(source, target)` on the finest path with strong shared evidence, in order.
    pub anchors: Vec<(usize, usize)>,
    /// The finest path, as sentence pairs in order (monotone in both).
    pub path: Vec<(usize, usize)>,
    /// Per lattice row, the lowest and highest column the guide covers (`lo > hi`: none).
    lo: Vec<usize>,
    hi: Vec<usize>,
}

impl Guide {
    /// Finds the guide of a document pair.
    pub fn new(model: &CostModel) -> Guide {
        let (n, m) = (model.src_len(), model.tgt_len());
        if n == 0 || m == 0 {
            return Guide::default();
        }
        let params = model.params();
        let matches = Matches::new(model);
        // Blocks of at least `refine` sentences (a short text is not searched whole at one
        // sentence a block) and at most `max_coarse_block` (the coarse path stays within what
        // block lengths and shared keys can place; a longer text gets a larger coarsest grid).
        let longer = n.max(m);
        let blocks = params
            .coarse_blocks
            .max(longer.div_ceil(params.max_coarse_block));
        let mut k = longer.div_ceil(blocks).max(params.refine);
        let (rows, cols) = (n.div_ceil(k), m.div_ceil(k));
        let mut band = Band::from_rows(vec![0..cols; rows], cols - 1);
        loop {
            let grid = Grid::score(&matches, model, k, band);
            let (path, one_to_one) = grid.cheapest_path(model, k);
            if k == 1 {
                // Anchors: strong matches the path takes one to one.
                let anchors: Vec<(usize, usize)> = path
                    .iter()
                    .zip(&one_to_one)
                    .filter(|&(&(p, q), &single)| {
                        single && grid.score_at(p, q) >= params.guide_anchor_weight
                    })
                    .map(|(&c, _)| c)
                    .collect();
                let mut guide = Guide {
                    anchors,
                    path,
                    ..Guide::default()
                };
                guide.cover(n, m, params.gap_area);
                return guide;
            }
            // Eight times finer; from blocks of 9-15 sentences four times, so the last level's
            // band (a block of the level above either side of its path) stays a few sentences.
            let finer = match k / params.refine {
                1 if k > params.refine => k.div_ceil(4),
                f => f.max(1),
            };
            band = project(&path, k, finer, n, m);
            k = finer;
        }
    }

    /// The guide along an alignment found before (a first pass with less evidence): its
    /// links are the path, and the sentence pairs of its `anchors` (1-1 links, e.g. the
    /// confident ones) cut the search into windows. `params` gives the gap a window may span
    /// whole ([`Params::gap_area`]).
    pub fn along(
        alignment: &Alignment,
        anchors: impl IntoIterator<Item = (usize, usize)>,
        n: usize,
        m: usize,
        params: &Params,
    ) -> Guide {
        let path = alignment
            .links
            .iter()
            .flat_map(|l| {
                let tgt = l.tgt.clone();
                l.src
                    .clone()
                    .flat_map(move |p| tgt.clone().map(move |q| (p, q)))
            })
            .filter(|&(p, q)| p < n && q < m)
            .collect();
        let mut anchors: Vec<(usize, usize)> = anchors
            .into_iter()
            .filter(|&(p, q)| p < n && q < m)
            .collect();
        anchors.sort_unstable();
        anchors.dedup();
        let mut guide = Guide {
            anchors,
            path,
            ..Guide::default()
        };
        guide.cover(n, m, params.gap_area);
        guide
    }

    /// Fills `lo` and `hi`: the rows' columns along the finest path, and between consecutive
    /// anchors (and the corners) the whole stretch when it holds at most `gap_area` cells per
    /// sentence of its sides.
    fn cover(&mut self, n: usize, m: usize, gap_area: usize) {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0usize; n + 1];
        let mut cover = |i: usize, a: usize, b: usize| {
            lo[i] = lo[i].min(a);
            hi[i] = hi[i].max(b);
        };
        // Lattice rows p and p + 1 hold sentence pair (p, q).
        for &(p, q) in &self.path {
            cover(p, q, q + 1);
            cover(p + 1, q, q + 1);
        }
        let mut points = vec![(0, 0)];
        for &(p, q) in &self.anchors {
            points.push((p, q));
            points.push((p + 1, q + 1));
        }
        points.push((n, m));
        for pair in points.windows(2) {
            let ((i1, j1), (i2, j2)) = (pair[0], pair[1]);
            let (di, dj) = (i2.saturating_sub(i1), j2.saturating_sub(j1));
            if di.saturating_mul(dj) <= gap_area * (di + dj) {
                for i in i1..=i2.min(n) {
                    cover(i, j1.min(j2), j2.max(j1));
                }
            }
        }
        self.lo = lo;
        self.hi = hi;
    }

    /// The band of the exact search over the window of the lattice from cell `start` to cell
    /// `end`, in window coordinates: half-width `w` plus `extra[r]` around the guide at window
    /// row `r`.
    pub(crate) fn band(
        &self,
        start: (usize, usize),
        end: (usize, usize),
        w: usize,
        extra: &[usize],
    ) -> Band {
        let (i0, j0) = start;
        let width = end.1 - j0;
        let rows: Vec<Range<usize>> = (i0..=end.0)
            .map(|i| {
                let half = w + extra.get(i - i0).copied().unwrap_or(0);
                let (lo, hi) = (self.lo.get(i).copied(), self.hi.get(i).copied());
                match (lo, hi) {
                    (Some(lo), Some(hi)) if lo <= hi => {
                        let from = lo.saturating_sub(half).max(j0) - j0;
                        let to = (hi + half + 1).max(j0) - j0;
                        from.min(width)..to.min(width + 1)
                    }
                    // A row the path jumps over: from_rows gives it the row before's range.
                    _ => 0..0,
                }
            })
            .collect();
        Band::from_rows(rows, width)
    }

    /// Windows of the lattice, cut at anchors, that can be searched apart and in parallel:
    /// consecutive windows overlap by about `2 * overlap` rows, and each is at most about
    /// `size + 2 * overlap` rows long. One window when the text is short.
    pub(crate) fn windows(
        &self,
        n: usize,
        m: usize,
        size: usize,
        overlap: usize,
    ) -> Vec<((usize, usize), (usize, usize))> {
        // The lattice cell before the anchor nearest row `r`.
        let cut = |r: usize| {
            let at = self.anchors.partition_point(|&(p, _)| p < r);
            [at.checked_sub(1), Some(at)]
                .into_iter()
                .flatten()
                .filter_map(|k| self.anchors.get(k))
                .min_by_key(|&&(p, _)| p.abs_diff(r))
                .copied()
        };
        let mut windows = Vec::new();
        let mut start = (0, 0);
        let mut boundary = size;
        while boundary + size / 2 < n {
            let (Some(a), Some(b)) = (
                cut(boundary.saturating_sub(overlap)),
                cut(boundary + overlap),
            ) else {
                break;
            };
            // The window ends after the next one starts, both cells monotone.
            if b.0 > a.0 && b.1 > a.1 && a.0 > start.0 && a.1 >= start.1 && b.0 < n && b.1 <= m {
                windows.push((start, b));
                start = a;
            }
            boundary += size;
        }
        windows.push((start, (n, m)));
        windows
    }
}

/// The keys each source sentence holds and where each key occurs on the target side.
struct Matches {
    /// Distinct keys with weight per source sentence: `src[src_start[p]..src_start[p + 1]]`.
    src: Vec<u32>,
    src_start: Vec<usize>,
    /// Target sentences holding key `k`, ascending: `post[post_start[k]..post_start[k + 1]]`.
    post: Vec<u32>,
    post_start: Vec<usize>,
    /// Source sentences holding each key.
    src_df: Vec<u32>,
}

impl Matches {
    fn new(model: &CostModel) -> Matches {
        let (n, m, keys) = (model.src_len(), model.tgt_len(), model.key_count());
        let mut src = Vec::new();
        let mut src_start = vec![0];
        let mut src_df = vec![0u32; keys];
        for p in 0..n {
            let start = src.len();
            for &k in model.keys(0, p) {
                if model.key_weight(k) > 0.0 && src[start..].last() != Some(&k) {
                    src.push(k);
                    src_df[k as usize] += 1;
                }
            }
            src_start.push(src.len());
        }
        let mut post_start = vec![0usize; keys + 1];
        let distinct = |q: usize| {
            let ks = model.keys(1, q);
            ks.iter()
                .enumerate()
                .filter(move |&(x, &k)| (x == 0 || ks[x - 1] != k) && model.key_weight(k) > 0.0)
                .map(|(_, &k)| k)
        };
        for q in 0..m {
            for k in distinct(q) {
                post_start[k as usize + 1] += 1;
            }
        }
        for k in 0..keys {
            post_start[k + 1] += post_start[k];
        }
        let mut fill = post_start.clone();
        let mut post = vec![0u32; post_start[keys]];
        for q in 0..m {
            for k in distinct(q) {
                post[fill[k as usize]] = q as u32;
                fill[k as usize] += 1;
            }
        }
        Matches {
            src,
            src_start,
            post,
            post_start,
            src_df,
        }
    }

    fn postings(&self, k: u32) -> &[u32] {
        &self.post[self.post_start[k as usize]..self.post_start[k as usize + 1]]
    }
}

/// Source sentences whose shared weight one task of [`Grid::score`] sums, at least.
const ROWS_TOGETHER: usize = 4096;

/// One level: the summed shared weight of each pair of blocks of `k` sentences in a band.
struct Grid {
    band: Band,
    score: Vec<f32>,
}

impl Grid {
    fn score(matches: &Matches, model: &CostModel, k: usize, band: Band) -> Grid {
        use rayon::prelude::*;
        let (n, m) = (model.src_len(), model.tgt_len());
        let mut score = vec![0f32; band.cells()];
        let admitted = admitted_keys(matches, &band, k, (n, m), model.params().pair_budget);
        // A block row sums what its own k source sentences share: rows are summed apart, in
        // parallel, each cell in the order one thread would (the same floats).
        let mut rows: Vec<(usize, &mut [f32])> = Vec::with_capacity(band.rows());
        let mut rest = score.as_mut_slice();
        for i in 0..band.rows() {
            let (row, tail) = std::mem::take(&mut rest).split_at_mut(band.row(i).len());
            rows.push((i, row));
            rest = tail;
        }
        rows.into_par_iter()
            .with_min_len((ROWS_TOGETHER / k).max(1))
            .for_each(|(i, cells)| {
                let cols = band.row(i);
                let (from, to) = (cols.start * k, (cols.end * k).min(m));
                for p in (i * k).min(n)..((i + 1) * k).min(n) {
                    for &key in &matches.src[matches.src_start[p]..matches.src_start[p + 1]] {
                        if !admitted[key as usize] {
                            continue;
                        }
                        let w = model.key_weight(key);
                        let post = matches.postings(key);
                        let first = post.partition_point(|&q| (q as usize) < from);
                        for &q in &post[first..] {
                            let q = q as usize;
                            if q >= to {
                                break;
                            }
                            if let Some(cell) = cells.get_mut(q / k - cols.start) {
                                *cell += w;
                            }
                        }
                    }
                }
            });
        Grid { band, score }
    }

    /// The score of cell (i, j), 0 outside the band.
    fn score_at(&self, i: usize, j: usize) -> f32 {
        self.band.index(i, j).map_or(0.0, |c| self.score[c])
    }

    /// The cheapest alignment of the blocks of `k` sentences (Gale & Church 1993 over blocks,
    /// as vecalign aligns its coarse levels): beads 1-1, 1-0, 0-1, 2-1 and 1-2 of blocks, each
    /// costing its prior, the length cost of its blocks' characters and minus the anchor
    /// weight its block pairs share. Returns the block pairs the beads cover, in order, and
    /// for each whether its bead is 1-1.
    fn cheapest_path(&self, model: &CostModel, k: usize) -> (Vec<(usize, usize)>, Vec<bool>) {
        // The bead shapes of at most three sentences, with the exact model's priors; 0-1 last:
        // it extends a cell of its own row, which must be final by then.
        let mut shapes: Vec<(usize, usize, f64)> = BEADS
            .iter()
            .filter(|&&(a, b, _)| a + b <= 3)
            .copied()
            .collect();
        shapes.sort_by_key(|&(a, _, _)| a == 0);
        let (n, m) = (model.src_len(), model.tgt_len());
        let rows = self.band.rows();
        let cols = self.band.row(rows - 1).end.max(m.div_ceil(k));
        let chars = |side: usize, from: usize, to: usize| {
            let len = if side == 0 { n } else { m };
            model.offset(side, (to * k).min(len)) - model.offset(side, (from * k).min(len))
        };
        // The lattice: row I after I source blocks; its columns cover the grid rows either side.
        let lattice = Band::from_rows(
            (0..=rows)
                .map(|i| {
                    let (a, b) = (
                        self.band.row(i.saturating_sub(1)),
                        self.band.row(i.min(rows - 1)),
                    );
                    a.start.min(b.start)..a.end.max(b.end) + 1
                })
                .collect(),
            cols,
        );
        let inv_ratio = model.inv_ratio();
        let src_chars: Vec<f64> = (0..rows).map(|i| chars(0, i, i + 1)).collect();
        let tgt_chars: Vec<f64> = (0..cols).map(|j| chars(1, j, j + 1) * inv_ratio).collect();
        let priors: Vec<f64> = shapes.iter().map(|&(_, _, p)| -p.ln()).collect();
        let mut cost = vec![f64::INFINITY; lattice.cells()];
        let mut back = vec![u8::MAX; lattice.cells()];
        cost[0] = 0.0;
        for i in 0..=rows {
            let r = lattice.row(i);
            let at = lattice.index(i, r.start).unwrap_or(0);
            for (s, &(a, b, _)) in shapes.iter().enumerate() {
                if a > i {
                    continue;
                }
                let before = lattice.row(i - a);
                let before_at = lattice.index(i - a, before.start).unwrap_or(0);
                let l1: f64 = src_chars[i - a..i].iter().sum();
                // Cells whose bead starts in the lattice's band.
                let from = r.start.max(before.start + b);
                let to = r.end.min(before.end + b);
                for j in from..to {
                    let previous = cost[before_at + j - b - before.start];
                    if !previous.is_finite() {
                        continue;
                    }
                    let mut step = priors[s];
                    if a > 0 && b > 0 {
                        let l2: f64 = tgt_chars[j - b..j].iter().sum();
                        step += length_cost(l1, l2);
                        for p in i - a..i {
                            let grid = self.band.row(p);
                            let base = self.band.index(p, grid.start).unwrap_or(0);
                            for q in (j - b).max(grid.start)..j.min(grid.end) {
                                step -= f64::from(self.score[base + q - grid.start]);
                            }
                        }
                    }
                    let c = at + j - r.start;
                    if previous + step < cost[c] {
                        cost[c] = previous + step;
                        back[c] = s as u8;
                    }
                }
            }
        }
        let (mut path, mut one_to_one) = (Vec::new(), Vec::new());
        let (mut i, mut j) = (rows, cols);
        while i > 0 || j > 0 {
            let Some(&(a, b, _)) = lattice
                .index(i, j)
                .and_then(|c| shapes.get(back[c] as usize))
            else {
                break;
            };
            for p in (i - a..i).rev() {
                for q in (j - b..j).rev() {
                    path.push((p, q));
                    one_to_one.push(a == 1 && b == 1);
                }
            }
            if b == 0 {
                for p in (i - a..i).rev() {
                    path.push((p, j.min(cols - 1)));
                    one_to_one.push(false);
                }
            }
            if a == 0 {
                for q in (j - b..j).rev() {
                    path.push((i.min(rows - 1), q));
                    one_to_one.push(false);
                }
            }
            (i, j) = (i - a, j - b);
        }
        path.reverse();
        one_to_one.reverse();
        (path, one_to_one)
    }
}

/// Which keys a level examines: rarest first (by the pairs they would give in the band)
/// until `budget` ([`Params::pair_budget`]) pairs per sentence are spent.
fn admitted_keys(
    matches: &Matches,
    band: &Band,
    k: usize,
    (n, m): (usize, usize),
    budget: usize,
) -> Vec<bool> {
    let keys = matches.src_df.len();
    // Target sentences a source sentence is compared with, on average.
    let width = (band.cells() as f64 / band.rows().max(1) as f64 * k as f64).min(m as f64);
    let mut cost: Vec<(u64, u32)> = (0..keys as u32)
        .filter_map(|key| {
            let (ds, dt) = (
                matches.src_df[key as usize] as f64,
                matches.postings(key).len() as f64,
            );
            if ds == 0.0 || dt == 0.0 {
                return None;
            }
            let partners = (dt * width / m.max(1) as f64).ceil().min(dt);
            Some(((ds * partners) as u64, key))
        })
        .collect();
    cost.sort_unstable();
    let mut admitted = vec![false; keys];
    let budget = (budget * (n + m)) as u64;
    let mut spent = 0u64;
    for (c, key) in cost {
        if spent + c > budget {
            break;
        }
        spent += c;
        admitted[key as usize] = true;
    }
    admitted
}

/// The band of the level with blocks of `fine` sentences around `path`, a path over blocks of
/// `coarse` sentences: each fine row covers the columns its coarse row's path visits, widened
/// by one coarse block on either side.
fn project(path: &[(usize, usize)], coarse: usize, fine: usize, n: usize, m: usize) -> Band {
    let (rows, cols) = (n.div_ceil(fine), m.div_ceil(fine));
    let coarse_rows = n.div_ceil(coarse);
    let mut span = vec![(usize::MAX, 0usize); coarse_rows];
    for &(i, j) in path {
        if let Some(s) = span.get_mut(i) {
            s.0 = s.0.min(j);
            s.1 = s.1.max(j);
        }
    }
    let ranges = (0..rows)
        .map(|r| {
            let (a, b) = span[(r * fine / coarse).min(coarse_rows - 1)];
            if a > b {
                return 0..0;
            }
            let from = a.saturating_sub(1) * coarse / fine;
            let to = ((b + 2) * coarse).div_ceil(fine).min(cols);
            from..to
        })
        .collect();
    Band::from_rows(ranges, cols - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::Options;
    use crate::read::Document;
    use crate::{split, Lang};

    /// One short document repeated 120 times (every name and number recurs every 30
    /// sentences but the chapter number heading each copy; lengths vary), translated with 137
    /// sentences omitted in the middle: the guide follows the true path, through the gap,
    /// within a few sentences nearly everywhere.
    #[test]
    fn follows_a_repetitive_text_through_an_omission() {
        let (mut en, mut ru, mut gold) = (Vec::new(), Vec::new(), Vec::new());
        for copy in 0..120 {
            for k in 0..30 {
                let filler = "and more ".repeat(k * 5 % 11);
                let p = en.len();
                if k == 0 {
                    en.push(format!("Chapter {copy}."));
                    gold.push((p, ru.len()));
                    ru.push(format!("Глава {copy}."));
                    continue;
                }
                en.push(format!(
                    "Item {k} in Paris, says Dupont, weighs {} tons {filler}.",
                    k * 7 % 13
                ));
                if (1800..1937).contains(&(copy * 30 + k)) {
                    continue;
                }
                gold.push((p, ru.len()));
                let filler = "и ещё ".repeat(k * 5 % 11);
                ru.push(format!(
                    "Лот {k} в Париже, говорит Дюпон, весит {} тонн {filler}.",
                    k * 7 % 13
                ));
            }
        }
        let en = split::lines(Document::from_text("en", en.join("\n")));
        let ru = split::lines(Document::from_text("ru", ru.join("\n")));
        let model = CostModel::new(&en, &ru, Lang::En, Lang::Ru, &Options::default());
        let guide = Guide::new(&model);
        let mut at = vec![Vec::new(); en.len()];
        for &(p, q) in &guide.path {
            at[p].push(q);
        }
        let near = gold
            .iter()
            .filter(|&&(p, q)| at[p].iter().any(|&g| g.abs_diff(q) <= 3))
            .count();
        assert!(near * 100 >= gold.len() * 98, "{near} of {}", gold.len());
    }
}
