//! Align: two [`SplitDocument`]s -> [`Alignment`] (links over sentence ranges).
//!
//! Dynamic programming over beads 0-1, 1-0, 1-1, 1-2, 2-1, 2-2, 1-3, 3-1 and wider
//! ([`cost::BEADS`]) as in Gale & Church (1993), with a cost that adds anchor evidence
//! ([`anchors`]) to their length model. The search runs in a band around the diagonal that is
//! widened and re-run while the best path comes near its edge (Moore 2002), so time and memory
//! grow with n·w, not n·m. All index arithmetic is 64-bit (`usize`).
//!
//! [`SplitDocument`]: crate::split::SplitDocument

pub mod anchors;
pub mod band;
pub mod cost;
pub mod guide;
pub mod translit;

use std::ops::Range;

pub use band::Band;
pub use cost::{BeadCosts, CostModel, Scratch, BEADS};
pub use guide::Guide;

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
    /// Nats of cost removed per unit of shared anchor weight.
    pub anchor_weight: f64,
    /// Nats added for a bead that crosses a paragraph boundary (half that for a bead that opens
    /// a paragraph on one side only).
    pub paragraph_weight: f64,
    /// Initial half-width of the search band, in sentences.
    pub band: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            anchor_weight: 1.0,
            paragraph_weight: 3.0,
            band: 8,
        }
    }
}

/// Finds the lowest-cost alignment under `model`.
///
/// The exact search runs in a band of half-width `Options::band` around the [`Guide`]; where
/// the best path comes near the edge of the band, the band is widened there and the search
/// re-run (Moore 2002), so no fixed width limits the result.
pub fn align(model: &CostModel) -> Alignment {
    let (n, m) = (model.src_len(), model.tgt_len());
    let w = model.options_band().max(1);
    if n == 0 || m == 0 {
        return viterbi(model, &Band::diagonal(n, m, w));
    }
    let guide = Guide::new(model);
    let mut extra = vec![0usize; n + 1];
    loop {
        let band = guide.band(n, m, w, &extra);
        let alignment = viterbi(model, &band);
        let near = near_edge(&band, &alignment.path(), m, (w / 4).max(1));
        if near.is_empty() {
            return alignment;
        }
        for i in near {
            let wider = 2 * (w + extra[i]);
            for e in &mut extra[i.saturating_sub(WIDEN_REACH)..=(i + WIDEN_REACH).min(n)] {
                *e = (*e).max(wider);
            }
        }
    }
}

/// Rows around a place where the path touches the band's edge that are widened with it.
const WIDEN_REACH: usize = 16;

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

/// The best path through `band` (Viterbi), as links.
///
/// Path costs are kept for the last few rows only (a bead spans at most four rows), so the
/// state per band cell is its one-byte back pointer.
pub fn viterbi(model: &CostModel, band: &Band) -> Alignment {
    const RING: usize = 5;
    let (n, m) = (model.src_len(), model.tgt_len());
    let mut back = vec![u8::MAX; band.cells()];
    let mut ring: [Vec<f64>; RING] = Default::default();
    let mut costs = BeadCosts::new(model, band);
    let mut bead = Vec::new();
    for i in 0..=n {
        let r = band.row(i);
        costs.row(i, &mut bead);
        let mut here = std::mem::take(&mut ring[i % RING]);
        here.clear();
        here.resize(r.len(), f64::INFINITY);
        if i == 0 && r.start == 0 {
            here[0] = 0.0;
        }
        let offset = band.index(i, r.start).unwrap_or(0);
        for c in 0..r.len() {
            let j = r.start + c;
            let (mut best, mut arg) = (here[c], u8::MAX);
            for (k, &(a, b, _)) in BEADS.iter().enumerate() {
                let step = bead[c * BEADS.len() + k];
                if !step.is_finite() {
                    continue;
                }
                // The bead starts in the band (else its cost is infinite).
                let before = if a == 0 {
                    here[c - b]
                } else {
                    ring[(i - a) % RING][j - b - band.row(i - a).start]
                };
                let total = before + step;
                if total < best {
                    best = total;
                    arg = k as u8;
                }
            }
            here[c] = best;
            back[offset + c] = arg;
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
        links.push(Link {
            src: i - a..i,
            tgt: j - b..j,
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
