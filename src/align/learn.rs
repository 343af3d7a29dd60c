//! Word translations learned from the input itself.
//!
//! After a first alignment, the sentence pairs it links 1-1 with high confidence are a small
//! parallel corpus of the very text being aligned (Moore 2002 trains IBM Model 1 on the same
//! pairs). A [`Trainer`] collects the content-word stems of such pairs — from one document
//! pair or from every pair of a batch, so that a corpus teaches its own vocabulary — and
//! [`Trainer::train`] turns them into a [`Lexicon`]: every stem pair seen together at least
//! [`MIN_TOGETHER`] times is scored by Dunning's (1993) log-likelihood ratio, and pairs are
//! taken best first while both stems are still free (Melamed's 2000 competitive linking, one
//! translation per word), down to the significance [`MIN_G2`]. Each entry keeps how often its
//! words stood together, which the cost model turns into evidence for and against a bead
//! ([`super::CostModel`]).

use rustc_hash::FxHashMap;

use super::lexicon::{Lexicon, Stems};
use crate::Lang;

/// A stem pair must stand together in this many training pairs to be learned.
pub const MIN_TOGETHER: u32 = 2;
/// The least log-likelihood ratio of a learned pair: χ²(1) at p = 0.0001. Competitive linking
/// keeps only the best pair of each word, so chance pairs that pass are few.
pub const MIN_G2: f64 = 15.13;
/// The most training pairs used: evenly spaced ones when more are given (a lexicon learned
/// from 20,000 sentence pairs gains little from more, and stemming and counting cost time).
pub const MAX_TRAINING_PAIRS: usize = 20_000;

/// One side of a chunk of training pairs: its stems in order of first occurrence, the
/// distinct stem numbers of each pair (sorted) one after the other, and where each pair ends.
type ChunkStems = (Vec<Box<str>>, Vec<u32>, Vec<usize>);

/// Collects sentence pairs and learns word translations from them.
pub struct Trainer {
    langs: [Lang; 2],
    /// Distinct stem ids of each side of each training pair, one after the other.
    stems: [Vec<u32>; 2],
    /// Where each pair's stems start in `stems`, per side (`pairs + 1` entries).
    starts: [Vec<usize>; 2],
    /// Stem -> id, per side, and back.
    vocab: [FxHashMap<Box<str>, u32>; 2],
    words: [Vec<Box<str>>; 2],
}

impl Trainer {
    /// A trainer holding sentence pairs (source text, target text) that translate each other:
    /// at most [`MAX_TRAINING_PAIRS`], evenly spaced, reduced to their content-word stems in
    /// parallel.
    pub fn new(src: Lang, tgt: Lang, pairs: &[(&str, &str)]) -> Trainer {
        use rayon::prelude::*;
        const CHUNK: usize = 512;
        let step = pairs.len().div_ceil(MAX_TRAINING_PAIRS).max(1);
        let used: Vec<(&str, &str)> = pairs.iter().step_by(step).copied().collect();
        let langs = [src, tgt];
        // Per chunk: its own stem numbering and each pair's distinct stems in it.
        let chunks: Vec<[ChunkStems; 2]> = used
            .par_chunks(CHUNK)
            .map(|chunk| {
                std::array::from_fn(|side| {
                    let mut stems = Stems::new(langs[side]);
                    let mut vocab: FxHashMap<Box<str>, u32> = FxHashMap::default();
                    let (mut words, mut ids, mut ends) = (Vec::new(), Vec::new(), Vec::new());
                    let mut found = Vec::new();
                    for pair in chunk {
                        let text = if side == 0 { pair.0 } else { pair.1 };
                        found.clear();
                        stems.each(text, |stem| {
                            let id = match vocab.get(stem) {
                                Some(&id) => id,
                                None => {
                                    let id = words.len() as u32;
                                    vocab.insert(stem.into(), id);
                                    words.push(Box::<str>::from(stem));
                                    id
                                }
                            };
                            found.push(id);
                        });
                        found.sort_unstable();
                        found.dedup();
                        ids.extend_from_slice(&found);
                        ends.push(ids.len());
                    }
                    (words, ids, ends)
                })
            })
            .collect();
        let mut trainer = Trainer {
            langs,
            stems: Default::default(),
            starts: [vec![0], vec![0]],
            vocab: Default::default(),
            words: Default::default(),
        };
        // The chunks' numberings merged in chunk order: the result does not depend on threads.
        for chunk in chunks {
            for (side, (words, ids, ends)) in chunk.into_iter().enumerate() {
                let global: Vec<u32> = words
                    .into_iter()
                    .map(|w| {
                        let next = trainer.words[side].len() as u32;
                        *trainer.vocab[side].entry(w.clone()).or_insert_with(|| {
                            trainer.words[side].push(w);
                            next
                        })
                    })
                    .collect();
                let mut from = 0;
                for end in ends {
                    let pair = &mut trainer.stems[side];
                    let start = pair.len();
                    pair.extend(ids[from..end].iter().map(|&id| global[id as usize]));
                    pair[start..].sort_unstable();
                    trainer.starts[side].push(pair.len());
                    from = end;
                }
            }
        }
        trainer
    }

    /// Number of training pairs held.
    pub fn len(&self) -> usize {
        self.starts[0].len() - 1
    }

    /// True when no training pair is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The distinct stems of side `side` of training pair `p`.
    fn pair(&self, side: usize, p: usize) -> &[u32] {
        &self.stems[side][self.starts[side][p]..self.starts[side][p + 1]]
    }

    /// Learns a lexicon from the pairs held, or `None` when they teach nothing.
    pub fn train(&self) -> Option<Lexicon> {
        let used = 0..self.len();
        let total = used.len() as f64;
        let mut count = [
            vec![0u32; self.words[0].len()],
            vec![0u32; self.words[1].len()],
        ];
        for p in used.clone() {
            for (side, count) in count.iter_mut().enumerate() {
                for &w in self.pair(side, p) {
                    count[w as usize] += 1;
                }
            }
        }
        // Stem pairs of the training pairs, counted over stems seen twice or more on each side.
        let mut together: FxHashMap<u64, u32> = FxHashMap::default();
        let mut frequent = [Vec::new(), Vec::new()];
        for p in used.clone() {
            for (side, frequent) in frequent.iter_mut().enumerate() {
                frequent.clear();
                frequent.extend(
                    self.pair(side, p)
                        .iter()
                        .copied()
                        .filter(|&w| count[side][w as usize] >= MIN_TOGETHER),
                );
            }
            for &s in &frequent[0] {
                for &t in &frequent[1] {
                    *together
                        .entry(u64::from(s) << 32 | u64::from(t))
                        .or_insert(0) += 1;
                }
            }
        }
        let mut candidates: Vec<(f64, u32, u32, u32)> = together
            .into_iter()
            .filter(|&(_, k)| k >= MIN_TOGETHER)
            .filter_map(|(key, k)| {
                let (s, t) = ((key >> 32) as u32, key as u32);
                let (cs, ct) = (count[0][s as usize], count[1][t as usize]);
                let g2 = g2(f64::from(k), f64::from(cs), f64::from(ct), total);
                (g2 >= MIN_G2).then_some((g2, s, t, k))
            })
            .collect();
        // Best first; ties by stem ids, which follow the input order, so the result does not
        // depend on the hash map's order.
        candidates
            .sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut linked = [
            vec![false; self.words[0].len()],
            vec![false; self.words[1].len()],
        ];
        let mut entries = Vec::new();
        for (_, s, t, k) in candidates {
            let (su, tu) = (s as usize, t as usize);
            if linked[0][su] || linked[1][tu] {
                continue;
            }
            linked[0][su] = true;
            linked[1][tu] = true;
            let (ws, wt) = (&*self.words[0][su], &*self.words[1][tu]);
            // A word spelt the same on both sides is already an anchor (a name, a cognate).
            if ws == wt {
                continue;
            }
            let k = f64::from(k);
            // Jeffreys-smoothed shares of the pairs holding one word that hold the other.
            let retention = |c: u32| ((k + 0.5) / (f64::from(c) + 1.0)) as f32;
            entries.push((ws, wt, [retention(count[0][su]), retention(count[1][tu])]));
        }
        Lexicon::learned(self.langs[0], self.langs[1], &entries)
    }
}

/// Dunning's log-likelihood ratio G² of two words seen together `k` times, `a` and `b` times in
/// all, in `n` pairs; 0 when they go together less often than chance.
fn g2(k: f64, a: f64, b: f64, n: f64) -> f64 {
    if k * n <= a * b {
        return 0.0;
    }
    let cells = [
        (k, a, b),
        (a - k, a, n - b),
        (b - k, n - a, b),
        (n - a - b + k, n - a, n - b),
    ];
    let sum: f64 = cells
        .iter()
        .filter(|&&(o, _, _)| o > 0.0)
        .map(|&(o, row, col)| o * (o * n / (row * col)).ln())
        .sum();
    2.0 * sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g2_is_zero_for_independent_words_and_grows_with_association() {
        assert_eq!(g2(1.0, 10.0, 10.0, 100.0), 0.0);
        assert_eq!(g2(0.0, 10.0, 10.0, 100.0), 0.0);
        let weak = g2(3.0, 10.0, 10.0, 100.0);
        let strong = g2(9.0, 10.0, 10.0, 100.0);
        assert!(weak > 0.0 && strong > weak, "{weak} {strong}");
        // Always together in 10 of 1000 pairs: far beyond MIN_G2.
        assert!(g2(10.0, 10.0, 10.0, 1000.0) > 100.0);
    }

    fn trained(pairs: &[(&str, &str)]) -> Vec<(String, String, [f32; 2])> {
        let trainer = Trainer::new(Lang::De, Lang::Fr, pairs);
        assert_eq!(trainer.len(), pairs.len());
        trainer
            .train()
            .map(|l| l.learned_entries())
            .unwrap_or_default()
    }

    #[test]
    fn learns_the_words_that_go_together_one_translation_each() {
        let mut pairs = Vec::new();
        let fillers = [
            ("Regen", "pluie"),
            ("Sonne", "soleil"),
            ("Nebel", "brouillard"),
            ("Schnee", "neige"),
            ("Wind", "vent"),
        ];
        for round in 0..4 {
            for (i, (de, fr)) in fillers.iter().enumerate() {
                let other = fillers[(i + round + 1) % fillers.len()];
                pairs.push((
                    format!("Der Gipfel lag im {de} und {}", other.0),
                    format!("Le sommet était dans la {fr} et {}", other.1),
                ));
            }
        }
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(a, b)| (&**a, &**b)).collect();
        let entries = trained(&pairs);
        // Stems, so look them up by their start.
        let find = |de: &str| {
            entries
                .iter()
                .find(|e| e.0.starts_with(de))
                .map(|e| e.1.clone())
        };
        // Each weather word pairs with its translation, not with the word it was listed beside.
        for (de, fr) in [("reg", "plui"), ("schnee", "neig"), ("nebel", "brouill")] {
            let found = find(de).unwrap_or_default();
            assert!(found.starts_with(fr), "{de}: {found:?} in {entries:?}");
        }
        // Gipfel and sommet are in every pair: no evidence of which goes with which.
        assert_eq!(find("gipfel"), None, "{entries:?}");
        for (_, _, r) in &entries {
            assert!(r.iter().all(|&x| x > 0.0 && x < 1.0), "{entries:?}");
        }
    }

    #[test]
    fn nothing_is_learned_from_nothing_or_from_single_pairs() {
        assert!(trained(&[]).is_empty());
        assert!(trained(&[("Das Nadelhorn ruft", "Le Nadelhorn appelle")]).is_empty());
    }
}
