//! Align: two [`SplitDocument`]s -> [`Alignment`] (links over sentence ranges).
//!
//! Dynamic programming over beads 0-1, 1-0, 1-1, 1-2, 2-1, 2-2, 1-3, 3-1 and wider
//! (`BEADS`, with their priors) as in Gale & Church (1993), with a cost that adds anchor evidence
//! ([`anchors`]) to their length model. The search runs in a band around the diagonal that is
//! widened and re-run while the best path comes near its edge (Moore 2002), so time and memory
//! grow with n·w, not n·m. All index arithmetic is 64-bit (`usize`).
//!
//! [`SplitDocument`]: crate::split::SplitDocument

pub mod anchors;
mod band;
mod cost;
mod guide;
pub mod learn;
pub mod lexicon;
mod params;
pub mod semantic;
pub mod timing;
pub mod translit;

use std::ops::Range;

use rayon::prelude::*;

// A library user builds a `CostModel`, aligns with `align` (or scores with
// `crate::score`), and may pass a `Guide` and tune `Options`/`Params`; the band, the row-wise
// bead costs, the lattice and the readable cost's scratch buffers are the crate's own.
pub(crate) use band::Band;
pub use cost::CostModel;
#[cfg(test)]
pub(crate) use cost::Scratch;
pub(crate) use cost::{BeadCosts, RowCosts, BEADS};
pub use guide::Guide;
pub use params::Params;

/// A link between a run of source sentences and a run of target sentences (either may be empty).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    /// Source sentence indices.
    pub src: Range<usize>,
    /// Target sentence indices.
    pub tgt: Range<usize>,
}

impl Link {
    /// The link type as `"n-m"`, e.g. `"2-1"`.
    pub fn kind(&self) -> String {
        format!("{}-{}", self.src.len(), self.tgt.len())
    }

    /// True for 1-0 and 0-1 links.
    pub fn is_null(&self) -> bool {
        self.src.is_empty() || self.tgt.is_empty()
    }
}

/// A monotone alignment: links in order that cover every sentence of both sides exactly once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Alignment {
    /// The links, in document order.
    pub links: Vec<Link>,
}

impl Alignment {
    /// The lattice cells the alignment passes through, from (0, 0) to (n, m).
    pub fn path(&self) -> Vec<(usize, usize)> {
        let mut path = Vec::with_capacity(self.links.len() + 1);
        path.push((0, 0));
        for l in &self.links {
            path.push((l.src.end, l.tgt.end));
        }
        path
    }
}

/// Aligner settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Initial half-width of the search band, in sentences (3: the search widens the band
    /// wherever the path comes near its edge, and 3 gave the same links as 4 on the Text+Berg
    /// sets and a 200,000-sentence text with a seventh fewer instructions; 2 changed links).
    pub band: usize,
    /// The tunables of the cost model, the guide, the search and the scorer.
    pub params: Params,
    /// Target characters per source character, when known better than from the two
    /// documents' totals (from a first pass's confident links: a passage one side lacks skews
    /// the totals); `None` estimates it from the totals.
    pub length_ratio: Option<f64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            band: 3,
            params: Params::default(),
            length_ratio: None,
        }
    }
}

/// Finds the lowest-cost alignment under `model`.
///
/// The exact search runs in a band of half-width `Options::band` around the [`Guide`]; where
/// the best path comes near the edge of the band, the band is widened there and the search
/// re-run (Moore 2002), so no fixed width limits the result. A long text is searched in
/// overlapping windows cut at anchors, in parallel; two neighbouring windows are joined at a
/// cell both their paths pass through in the overlap (the paths of the two searches meet
/// there, so the join is the path a single search would take), and searched as one window
/// when they have none. The result does not depend on the number of threads.
pub fn align(model: &CostModel) -> Alignment {
    let links = align_with(model, None, |_, links| vec![(); links.len()]);
    Alignment {
        links: links.into_iter().map(|(l, ())| l).collect(),
    }
}

/// [`align`], and for each link what `per_window` makes of it: `per_window` is given the
/// lattice of each window the search solved (its band and bead costs, computed once; its own
/// to keep or consume) and the
/// links of that window's path, and returns one value per link (the scorer sums the window's
/// paths and returns each link's posterior). A link's value comes from the window whose path
/// the result takes it from.
///
/// `guide` replaces the [`Guide`] the search would find (e.g. [`Guide::along`] a first
/// pass's alignment, when the model only adds evidence to that pass's).
pub(crate) fn align_with<T: Send + Default>(
    model: &CostModel,
    guide: Option<&Guide>,
    per_window: impl Fn(Lattice, &[Link]) -> Vec<T> + Sync,
) -> Vec<(Link, T)> {
    let params = model.params();
    align_in_windows(model, guide, params.window, params.overlap, per_window)
}

/// [`align_with`] with windows of `size` rows overlapping by `2 * overlap`.
fn align_in_windows<T: Send + Default>(
    model: &CostModel,
    guide: Option<&Guide>,
    size: usize,
    overlap: usize,
    per_window: impl Fn(Lattice, &[Link]) -> Vec<T> + Sync,
) -> Vec<(Link, T)> {
    let (n, m) = (model.src_len(), model.tgt_len());
    let w = model.options_band().max(1);
    // The values of the links the first search found; a link of a stretch searched again
    // (in a wider band than the lattice's) gets the default.
    let with_values = |solved: Solved| -> Vec<(Link, T)> {
        let mut values = per_window(solved.lattice, &solved.alignment.links).into_iter();
        solved
            .alignment
            .links
            .into_iter()
            .map(|l| {
                let value = values.next().unwrap_or_default();
                let again = solved
                    .researched
                    .iter()
                    .any(|r| l.src.end > r.start && l.src.start < r.end);
                (l, if again { T::default() } else { value })
            })
            .collect()
    };
    if n == 0 || m == 0 {
        let lattice = Lattice::new(model, Band::diagonal(n, m, w), (0, 0));
        let alignment = search(&lattice);
        return with_values(Solved {
            alignment,
            lattice,
            researched: Vec::new(),
        });
    }
    let found;
    let guide = match guide {
        Some(guide) => guide,
        None => {
            found = Guide::new(model);
            &found
        }
    };
    let windows = guide.windows(n, m, size, overlap);
    let mut solved: Vec<Vec<(Link, T)>> = windows
        .par_iter()
        .map(|&(start, end)| with_values(solve(model, guide, start, end, w)))
        .collect();
    let mut links = Vec::new();
    let mut current = std::mem::take(&mut solved[0]);
    let mut current_start = windows[0].0;
    for k in 1..windows.len() {
        let next = std::mem::take(&mut solved[k]);
        let overlap = windows[k].0 .0..=windows[k - 1].1 .0;
        match meeting_cell(&current, &next, overlap) {
            Some((i, j)) => {
                links.extend(
                    current
                        .into_iter()
                        .filter(|(l, _)| l.src.end <= i && l.tgt.end <= j),
                );
                current = next
                    .into_iter()
                    .filter(|(l, _)| l.src.start >= i && l.tgt.start >= j)
                    .collect();
                current_start = (i, j);
            }
            None => {
                current = with_values(solve(model, guide, current_start, windows[k].1, w));
            }
        }
    }
    links.extend(current);
    links
}

/// The exact search in the window from `start` to `end`, widened where its path touches the
/// band's edge: the stretch of the path around each touch is searched again between two of
/// its cells [`Params::resolve_margin`] rows away, in a band four times wider there, until no touch
/// is left.
fn solve(
    model: &CostModel,
    guide: &Guide,
    start: (usize, usize),
    end: (usize, usize),
    w: usize,
) -> Solved {
    let Params {
        resolve_margin,
        widen_reach,
        ..
    } = *model.params();
    let mut extra = vec![0usize; end.0 - start.0 + 1];
    let mut alignment = Alignment::default();
    let mut first: Option<Lattice> = None;
    let mut researched = Vec::new();
    // Stretches to search, in document rows; first the whole window.
    let mut todo = vec![(start, end)];
    while !todo.is_empty() {
        let mut touches = Vec::new();
        for &(from, to) in &todo {
            let local = &extra[from.0 - start.0..=to.0 - start.0];
            let lattice = Lattice::new(model, guide.band(from, to, w, local), from);
            let found = search(&lattice);
            let band = &lattice.band;
            // The cells the path passes through, in window coordinates.
            let local_path: Vec<(usize, usize)> = found
                .links
                .iter()
                .map(|l| (l.src.end - from.0, l.tgt.end - from.1))
                .collect();
            touches.extend(
                near_edge(band, &local_path, to.1 - from.1, (w / 4).max(1))
                    .into_iter()
                    .map(|i| i + from.0),
            );
            splice(&mut alignment, found, from, to);
            if first.is_none() {
                first = Some(lattice);
            } else {
                researched.push(from.0..to.0);
            }
        }
        todo.clear();
        if touches.is_empty() {
            break;
        }
        let before = extra.clone();
        let last = extra.len() - 1;
        for &i in &touches {
            let r = i - start.0;
            let wider = 4 * (w + before[r]);
            for e in &mut extra[r.saturating_sub(widen_reach)..=(r + widen_reach).min(last)] {
                *e = (*e).max(wider);
            }
        }
        // Stretches around the touches, merged where they overlap, cut at cells of the path.
        let cells: Vec<(usize, usize)> = std::iter::once(start)
            .chain(alignment.links.iter().map(|l| (l.src.end, l.tgt.end)))
            .collect();
        let mut stretches: Vec<(usize, usize)> = Vec::new();
        touches.sort_unstable();
        for &i in &touches {
            let lo = i.saturating_sub(resolve_margin).max(start.0);
            let hi = (i + resolve_margin).min(end.0);
            match stretches.last_mut() {
                Some(s) if lo <= s.1 => s.1 = s.1.max(hi),
                _ => stretches.push((lo, hi)),
            }
        }
        for (lo, hi) in stretches {
            let from = cells
                .iter()
                .rev()
                .find(|c| c.0 <= lo)
                .copied()
                .unwrap_or(start);
            let to = cells.iter().find(|c| c.0 >= hi).copied().unwrap_or(end);
            todo.push((from, to));
        }
    }
    let lattice =
        first.unwrap_or_else(|| Lattice::new(model, guide.band(start, end, w, &[]), start));
    Solved {
        alignment,
        lattice,
        researched,
    }
}

/// What [`solve`] found in one window.
struct Solved {
    alignment: Alignment,
    /// The lattice of the first search (the whole window).
    lattice: Lattice,
    /// The source rows of the stretches searched again, in wider bands than the lattice's.
    researched: Vec<Range<usize>>,
}

/// Puts `found`, the alignment of the stretch from cell `from` to cell `to`, in place of what
/// `alignment` had there (nothing, the first time).
fn splice(alignment: &mut Alignment, found: Alignment, from: (usize, usize), to: (usize, usize)) {
    if alignment.links.is_empty() {
        *alignment = found;
        return;
    }
    let links = std::mem::take(&mut alignment.links);
    let (before, rest): (Vec<Link>, Vec<Link>) = links
        .into_iter()
        .partition(|l| l.src.end <= from.0 && l.tgt.end <= from.1);
    let after = rest
        .into_iter()
        .filter(|l| l.src.start >= to.0 && l.tgt.start >= to.1);
    alignment.links = before.into_iter().chain(found.links).chain(after).collect();
}

/// The cell both paths (links with their values) pass through nearest the middle of the
/// rows `overlap`.
fn meeting_cell<T>(
    a: &[(Link, T)],
    b: &[(Link, T)],
    overlap: std::ops::RangeInclusive<usize>,
) -> Option<(usize, usize)> {
    let ends = |links: &[(Link, T)]| -> Vec<(usize, usize)> {
        links
            .iter()
            .map(|(l, _)| (l.src.end, l.tgt.end))
            .filter(|(i, _)| overlap.contains(i))
            .collect()
    };
    let (x, y) = (ends(a), ends(b));
    let middle = (overlap.start() + overlap.end()) / 2;
    x.iter()
        .filter(|c| y.binary_search(c).is_ok())
        .min_by_key(|&&(i, _)| i.abs_diff(middle))
        .copied()
}

/// The rows where the path passes within `margin` of an inner edge of the band.
fn near_edge(band: &Band, path: &[(usize, usize)], m: usize, margin: usize) -> Vec<usize> {
    path.iter()
        .filter(|&&(i, j)| {
            let r = band.row(i);
            (r.start > 0 && j < r.start + margin) || (r.end <= m && j + margin >= r.end)
        })
        .map(|&(i, _)| i)
        .collect()
}

/// A window of the lattice as the search saw it: its band, in window coordinates from cell
/// `origin`, and the cost of every bead ending in every band cell, computed once for the
/// search and for anyone summing over the same paths (the scorer).
pub(crate) struct Lattice {
    /// The lattice cell at the band's (0, 0).
    pub(crate) origin: (usize, usize),
    /// The band, in window coordinates.
    pub(crate) band: Band,
    /// Row after row, the row's bead costs as [`RowCosts`] lays them out: row `i` from
    /// `band.index(i, band.row(i).start) * BEADS.len()`.
    pub(crate) costs: Vec<f64>,
}

impl Lattice {
    /// The bead costs of `model` over `band`, a band over the window from cell `origin`.
    pub(crate) fn new(model: &CostModel, band: Band, origin: (usize, usize)) -> Lattice {
        let mut costs = Vec::with_capacity(band.cells() * BEADS.len());
        let mut beads = BeadCosts::at(model, &band, origin);
        let mut row = RowCosts::default();
        for i in 0..band.rows() {
            beads.row(i, &mut row);
            costs.extend_from_slice(&row.costs);
        }
        drop(beads);
        Lattice {
            origin,
            band,
            costs,
        }
    }

    /// The costs of row `i`: bead `k` ending in the `c`-th cell is `[k * width + c]`.
    pub(crate) fn row(&self, i: usize) -> &[f64] {
        let r = self.band.row(i);
        let at = self.band.index(i, r.start).unwrap_or(0) * BEADS.len();
        self.costs
            .get(at..at + r.len() * BEADS.len())
            .unwrap_or_default()
    }
}

/// The best path through a lattice (Viterbi), as links in document coordinates.
///
/// Path costs are kept for the last few rows only (a bead spans at most four rows), so the
/// state per band cell is its one-byte back pointer.
pub(crate) fn search(lattice: &Lattice) -> Alignment {
    const RING: usize = 5;
    let (band, origin) = (&lattice.band, lattice.origin);
    let n = band.rows() - 1;
    let m = band.row(n).end - 1;
    let mut back = vec![u8::MAX; band.cells()];
    let mut ring: [Vec<f64>; RING] = Default::default();
    for i in 0..=n {
        let r = band.row(i);
        let row = lattice.row(i);
        let width = r.len();
        let bead = |k: usize| &row[k * width..(k + 1) * width];
        let mut here = std::mem::take(&mut ring[i % RING]);
        here.clear();
        here.resize(r.len(), f64::INFINITY);
        if i == 0 && r.start == 0 {
            here[0] = 0.0;
        }
        let offset = band.index(i, r.start).unwrap_or(0);
        let arg = &mut back[offset..offset + r.len()];
        // Beads from rows above, shape by shape over the run of cells they can reach.
        for (k, &(a, b, _)) in BEADS.iter().enumerate() {
            let span = BeadCosts::span(band, i, k);
            if a == 0 || span.is_empty() {
                continue;
            }
            let from = band.row(i - a).start;
            let before = &ring[(i - a) % RING][span.start - b - from..span.end - b - from];
            let c0 = span.start - r.start;
            let step = &bead(k)[c0..c0 + span.len()];
            for (c, (&p, &s)) in before.iter().zip(step).enumerate() {
                let total = p + s;
                if total < here[c0 + c] {
                    here[c0 + c] = total;
                    arg[c0 + c] = k as u8;
                }
            }
        }
        // Beads within the row (0-1), left to right: each extends a finished cell.
        for (k, &(a, b, _)) in BEADS.iter().enumerate() {
            if a != 0 {
                continue;
            }
            let step = bead(k);
            for j in BeadCosts::span(band, i, k) {
                let c = j - r.start;
                let total = here[c - b] + step[c];
                if total < here[c] {
                    here[c] = total;
                    arg[c] = k as u8;
                }
            }
        }
        ring[i % RING] = here;
    }
    let mut links = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let Some(k) = band
            .index(i, j)
            .map(|x| back[x] as usize)
            .filter(|&k| k < BEADS.len())
        else {
            break;
        };
        let (a, b, _) = BEADS[k];
        let (i0, j0) = origin;
        links.push(Link {
            src: i0 + i - a..i0 + i,
            tgt: j0 + j - b..j0 + j,
        });
        i -= a;
        j -= b;
    }
    links.reverse();
    Alignment { links }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Document;
    use crate::split;
    use crate::Lang;

    fn lines(text: &str) -> crate::split::SplitDocument {
        split::lines(Document::from_text("t", text))
    }

    fn covers_exactly_once(al: &Alignment, n: usize, m: usize) -> bool {
        let (mut i, mut j) = (0, 0);
        for l in &al.links {
            if l.src.start != i || l.tgt.start != j || (l.src.is_empty() && l.tgt.is_empty()) {
                return false;
            }
            i = l.src.end;
            j = l.tgt.end;
        }
        i == n && j == m
    }

    #[test]
    fn aligns_names_numbers_and_merges() {
        let en = lines(
            "On 17 May 2018, Tianjin hosted the 8th Meeting of Heads of the SCO Counter-Narcotics Agencies.\n\
             The Meeting was chaired by China.\n\
             Deputy Minister Liu Yuejin and Secretary-General Rashid Alimov greeted the participants.\n\
             The Paris Pact was signed in 2003.",
        );
        let ru = lines(
            "17 мая 2018 г. в Тяньцзине под председательством китайской стороны прошло 8-е совещание руководителей антинаркотических ведомств ШОС.\n\
             Замминистра Лю Юэцзинь и Генеральный секретарь ШОС Рашид Алимов приветствовали участников.\n\
             Парижский пакт был подписан в 2003 г.",
        );
        let model = CostModel::new(&en, &ru, Lang::En, Lang::Ru, &Options::default());
        let al = align(&model);
        let got: Vec<(Range<usize>, Range<usize>)> = al
            .links
            .iter()
            .map(|l| (l.src.clone(), l.tgt.clone()))
            .collect();
        assert_eq!(got, vec![(0..2, 0..1), (2..3, 1..2), (3..4, 2..3)]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Whatever the sentences, the alignment covers every sentence of both sides exactly
        /// once, in order, with no empty link — also when the band starts far too narrow.
        #[test]
        fn alignment_covers_every_sentence_once_in_order(
            src in proptest::collection::vec("[A-Za-zА-я0-9 .,]{0,40}", 0..25),
            tgt in proptest::collection::vec("[A-Za-zА-я0-9 .,]{0,40}", 0..25),
            band in 1usize..40,
        ) {
            let en = lines(&src.join("\n"));
            let ru = lines(&tgt.join("\n"));
            let options = Options { band, ..Options::default() };
            let model = CostModel::new(&en, &ru, Lang::En, Lang::Ru, &options);
            let al = align(&model);
            proptest::prop_assert!(covers_exactly_once(&al, en.len(), ru.len()), "{:?}", al);
            let scored = crate::score::score(&model, &al);
            proptest::prop_assert_eq!(scored.len(), al.links.len());
            for s in scored {
                proptest::prop_assert!((0.0..=1.0).contains(&s.score), "{:?}", s);
            }
        }
    }

    /// Windows joined where their paths meet give the alignment of one search.
    #[test]
    fn windows_join_into_the_single_search() {
        let mut en = Vec::new();
        let mut ru = Vec::new();
        for k in 0..400 {
            en.push(format!(
                "Item {k} was sold in Paris for {} euros.",
                k * 13 % 97
            ));
            if k % 23 == 5 {
                ru.push("Продано.".to_string());
            }
            if k % 31 != 7 {
                ru.push(format!("Лот {k} продан в Париже за {} евро.", k * 13 % 97));
            }
        }
        let (en, ru) = (lines(&en.join("\n")), lines(&ru.join("\n")));
        let model = CostModel::new(&en, &ru, Lang::En, Lang::Ru, &Options::default());
        let plain = |size, overlap| Alignment {
            links: align_in_windows(&model, None, size, overlap, |_, l| vec![(); l.len()])
                .into_iter()
                .map(|(l, ())| l)
                .collect(),
        };
        let whole = plain(usize::MAX / 2, 0);
        let guide = Guide::new(&model);
        assert!(guide.windows(en.len(), ru.len(), 60, 12).len() > 4);
        let windows = plain(60, 12);
        assert!(covers_exactly_once(&windows, en.len(), ru.len()));
        // Both are optimal: the same cost (they may break an exact tie differently, as the
        // sums they accumulate differ in the last bits).
        let cost = |al: &Alignment| {
            let mut scratch = Scratch::default();
            al.links
                .iter()
                .map(|l| {
                    let k = BEADS
                        .iter()
                        .position(|&(a, b, _)| a == l.src.len() && b == l.tgt.len())
                        .unwrap();
                    model.bead_cost(l.src.start, l.tgt.start, k, &mut scratch)
                })
                .sum::<f64>()
        };
        let (a, b) = (cost(&whole), cost(&windows));
        assert!((a - b).abs() < 1e-6, "{a} {b}");
        let same = whole
            .links
            .iter()
            .filter(|l| windows.links.contains(l))
            .count();
        assert!(
            same + 8 >= whole.links.len(),
            "{same} of {}",
            whole.links.len()
        );
    }

    #[test]
    fn empty_sides_give_null_links() {
        let en = lines("One.\nTwo.");
        let none = lines("");
        let model = CostModel::new(&en, &none, Lang::En, Lang::Ru, &Options::default());
        let al = align(&model);
        assert!(covers_exactly_once(&al, 2, 0));
        assert_eq!(al.links.len(), 2);
    }

    #[test]
    fn narrow_band_widens_until_the_path_fits() {
        // 60 target sentences the source lacks, then the shared text: the path leaves the
        // diagonal by 60 rows, far outside a band of 4.
        let shared: Vec<String> = (0..40)
            .map(|i| format!("Sentence number {i} about item {}.", i * 7))
            .collect();
        let extra: Vec<String> = (0..60)
            .map(|i| format!("Extra {} line.", 1000 + i))
            .collect();
        let en = lines(&shared.join("\n"));
        let ru = lines(&[extra.join("\n"), shared.join("\n")].join("\n"));
        let options = Options {
            band: 4,
            ..Options::default()
        };
        let model = CostModel::new(&en, &ru, Lang::En, Lang::En, &options);
        let al = align(&model);
        assert!(covers_exactly_once(&al, 40, 100));
        let ones = al
            .links
            .iter()
            .filter(|l| l.src.len() == 1 && l.tgt.len() == 1)
            .count();
        assert!(ones >= 38, "{ones} 1-1 links");
    }
}
