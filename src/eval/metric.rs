//! Strict and lax precision and recall of sentence alignments (Sennrich & Volk 2010, 2011),
//! counted as vecalign's `score.py` counts them:
//!
//! * a link is a pair of *sets* of sentence indices (`[7, 6]:[9]` is `[6, 7]:[9]`); duplicate
//!   links count once and links empty on both sides are dropped;
//! * **precision** is over all distinct system links, null links included. A strict hit is a
//!   link identical to a gold link (gold null links included); a lax hit is a strict hit or a
//!   link that shares at least one source AND one target sentence with some gold link, so a
//!   null system link can only be a strict hit;
//! * **recall** is over the distinct gold links non-null on both sides, matched in the same way
//!   against the system's links non-null on both sides;
//! * counts are summed over documents before dividing (micro-average); F1 is the harmonic mean
//!   of precision and recall; 0/0 is 0.
//!
//! The one departure from `score.py`: it compares the lists as written, so `[227, 218]:[198]`
//! (test1 of the Bleualign gold) and `[218, 227]:[198]` would differ there; here they are the
//! same link. On ascending lists, the only kind aligners write, the counts are identical.

use std::collections::{HashMap, HashSet};
use std::ops::AddAssign;

use super::links::SentenceLink;

/// Hit counts of one document, or summed over several.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Precision: distinct system links (null links included) that are strict hits.
    pub precision_strict: u64,
    /// Precision: distinct system links that are lax hits (strict hits included).
    pub precision_lax: u64,
    /// Precision's denominator: distinct system links, null links included.
    pub system_links: u64,
    /// Recall: distinct non-null gold links that are strict hits.
    pub recall_strict: u64,
    /// Recall: distinct non-null gold links that are lax hits (strict hits included).
    pub recall_lax: u64,
    /// Recall's denominator: distinct gold links non-null on both sides.
    pub gold_links: u64,
}

/// Precision, recall and F1 of one matching mode (strict or lax).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    /// Hits over system links.
    pub precision: f64,
    /// Hits over non-null gold links.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Scores {
    /// Scores from hit counts; 0/0 is 0.
    pub(crate) fn from_counts(
        precision_hits: u64,
        system: u64,
        recall_hits: u64,
        gold: u64,
    ) -> Scores {
        let precision = ratio(precision_hits, system);
        let recall = ratio(recall_hits, gold);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Scores {
            precision,
            recall,
            f1,
        }
    }
}

fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

impl Counts {
    /// Strict precision, recall and F1.
    pub fn strict(&self) -> Scores {
        Scores::from_counts(
            self.precision_strict,
            self.system_links,
            self.recall_strict,
            self.gold_links,
        )
    }

    /// Lax precision, recall and F1.
    pub fn lax(&self) -> Scores {
        Scores::from_counts(
            self.precision_lax,
            self.system_links,
            self.recall_lax,
            self.gold_links,
        )
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.precision_strict += other.precision_strict;
        self.precision_lax += other.precision_lax;
        self.system_links += other.system_links;
        self.recall_strict += other.recall_strict;
        self.recall_lax += other.recall_lax;
        self.gold_links += other.gold_links;
    }
}

/// A link in canonical form: sorted, repeat-free source and target indices.
type Key = (Vec<u64>, Vec<u64>);

/// Distinct canonical links, in first-seen order, without links empty on both sides.
fn canonical(links: &[SentenceLink]) -> Vec<Key> {
    canonical_indexed(links)
        .into_iter()
        .map(|(_, k)| k)
        .collect()
}

/// [`canonical`], each link with the position of its first occurrence in `links`.
fn canonical_indexed(links: &[SentenceLink]) -> Vec<(usize, Key)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, link) in links.iter().enumerate() {
        let mut src = link.src.clone();
        src.sort_unstable();
        src.dedup();
        let mut tgt = link.tgt.clone();
        tgt.sort_unstable();
        tgt.dedup();
        if src.is_empty() && tgt.is_empty() {
            continue;
        }
        let key = (src, tgt);
        if seen.insert(key.clone()) {
            out.push((i, key));
        }
    }
    out
}

fn is_null(key: &Key) -> bool {
    key.0.is_empty() || key.1.is_empty()
}

/// How many `candidates` are identical to some reference link (strict), and how many are that
/// or share a source and a target sentence with one reference link (lax).
///
/// For a candidate, the reference links holding one of its sentences are found through an index
/// on the side where that is cheaper, and each is tested on the other side by binary search in
/// the sorted lists. Work is linear in the size of the input when every sentence is in at most
/// one link (every real alignment) and stays near-linear when one side is crowded (thousands of
/// links on the same source sentence but distinct targets); it grows as a product only when
/// many links of both files crowd onto the same sentences on both sides.
fn hits(candidates: &[&Key], references: &[&Key]) -> (u64, u64) {
    let exact: HashSet<&Key> = references.iter().copied().collect();
    let mut by_src: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut by_tgt: HashMap<u64, Vec<usize>> = HashMap::new();
    for (r, (src, tgt)) in references.iter().map(|k| (&k.0, &k.1)).enumerate() {
        for &s in src {
            by_src.entry(s).or_default().push(r);
        }
        for &t in tgt {
            by_tgt.entry(t).or_default().push(r);
        }
    }
    // seen[r] == c + 1: reference r has already been tested against candidate c.
    let mut seen = vec![0usize; references.len()];
    let (mut strict, mut lax) = (0, 0);
    for (c, key) in candidates.iter().enumerate() {
        if exact.contains(key) {
            strict += 1;
            lax += 1;
            continue;
        }
        let src_cost: usize = key.0.iter().map(|s| holding(&by_src, s).len()).sum();
        let tgt_cost: usize = key.1.iter().map(|t| holding(&by_tgt, t).len()).sum();
        // Walk the references sharing a sentence on one side; test the other side.
        let (walk, index, other): (&[u64], _, &[u64]) = if src_cost <= tgt_cost {
            (&key.0, &by_src, &key.1)
        } else {
            (&key.1, &by_tgt, &key.0)
        };
        let walk_src = src_cost <= tgt_cost;
        let mark = c + 1;
        let mut overlaps = false;
        'walk: for id in walk {
            for &r in holding(index, id) {
                if seen[r] == mark {
                    continue;
                }
                seen[r] = mark;
                let theirs: &[u64] = if walk_src {
                    &references[r].1
                } else {
                    &references[r].0
                };
                if sorted_intersect(theirs, other) {
                    overlaps = true;
                    break 'walk;
                }
            }
        }
        if overlaps {
            lax += 1;
        }
    }
    (strict, lax)
}

/// The references (by position) that hold sentence `id`.
fn holding<'a>(index: &'a HashMap<u64, Vec<usize>>, id: &u64) -> &'a [usize] {
    index.get(id).map_or(&[][..], Vec::as_slice)
}

/// True when two sorted lists share an element; O(min log max).
fn sorted_intersect(a: &[u64], b: &[u64]) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.iter().any(|x| large.binary_search(x).is_ok())
}

/// Counts the hits of one system alignment against its gold alignment.
pub fn count(system: &[SentenceLink], gold: &[SentenceLink]) -> Counts {
    let system = canonical(system);
    let gold = canonical(gold);
    let system_all: Vec<&Key> = system.iter().collect();
    let gold_all: Vec<&Key> = gold.iter().collect();
    let system_full: Vec<&Key> = system.iter().filter(|k| !is_null(k)).collect();
    let gold_full: Vec<&Key> = gold.iter().filter(|k| !is_null(k)).collect();
    let (precision_strict, precision_lax) = hits(&system_all, &gold_all);
    let (recall_strict, recall_lax) = hits(&gold_full, &system_full);
    Counts {
        precision_strict,
        precision_lax,
        system_links: system_all.len() as u64,
        recall_strict,
        recall_lax,
        gold_links: gold_full.len() as u64,
    }
}

/// The distinct links of `links` that the metric counts (links empty on both sides left out),
/// each as the position of its first occurrence, in order.
pub(crate) fn first_occurrences(links: &[SentenceLink]) -> Vec<usize> {
    canonical_indexed(links)
        .into_iter()
        .map(|(i, _)| i)
        .collect()
}

/// The distinct system links that precision counts, each as the position of its first
/// occurrence in `system` (in order) and whether it is a strict hit (identical to a gold link,
/// gold null links included). The hits are exactly [`Counts::precision_strict`] of
/// [`count`]`(system, gold)`; a link written twice keeps its first line (and score).
pub(crate) fn strict_hits(system: &[SentenceLink], gold: &[SentenceLink]) -> Vec<(usize, bool)> {
    let gold: HashSet<Key> = canonical(gold).into_iter().collect();
    canonical_indexed(system)
        .into_iter()
        .map(|(i, key)| (i, gold.contains(&key)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn l(src: &[u64], tgt: &[u64]) -> SentenceLink {
        SentenceLink::new(src.to_vec(), tgt.to_vec())
    }

    fn counts(p: [u64; 3], r: [u64; 3]) -> Counts {
        Counts {
            precision_strict: p[0],
            precision_lax: p[1],
            system_links: p[2],
            recall_strict: r[0],
            recall_lax: r[1],
            gold_links: r[2],
        }
    }

    #[test]
    fn identical_alignments_score_one() {
        let gold = [
            l(&[0], &[0, 1]),
            l(&[1, 2], &[2]),
            l(&[], &[3]),
            l(&[3], &[4]),
        ];
        let c = count(&gold, &gold);
        assert_eq!(c, counts([4, 4, 4], [3, 3, 3]));
        for s in [c.strict(), c.lax()] {
            assert_eq!((s.precision, s.recall, s.f1), (1.0, 1.0, 1.0));
        }
    }

    #[test]
    fn duplicates_count_once() {
        let gold = [l(&[0], &[0]), l(&[1], &[1]), l(&[0], &[0])];
        let system = [l(&[0], &[0]), l(&[0], &[0]), l(&[1], &[2]), l(&[1], &[2])];
        assert_eq!(count(&system, &gold), counts([1, 1, 2], [1, 1, 2]));
    }

    #[test]
    fn order_and_repeats_inside_a_list_do_not_matter() {
        let gold = [l(&[227, 218], &[198])];
        let system = [l(&[218, 227, 227], &[198])];
        assert_eq!(count(&system, &gold), counts([1, 1, 1], [1, 1, 1]));
    }

    #[test]
    fn links_empty_on_both_sides_are_dropped() {
        let gold = [l(&[], &[]), l(&[0], &[0])];
        let system = [l(&[0], &[0]), l(&[], &[])];
        assert_eq!(count(&system, &gold), counts([1, 1, 1], [1, 1, 1]));
    }

    #[test]
    fn null_links_count_in_precision_only_and_match_only_strictly() {
        // Gold: 0-0, then target 1 unaligned, then 1-2.
        let gold = [l(&[0], &[0]), l(&[], &[1]), l(&[1], &[2])];
        // System: the same 0-0, the same null link, a wrong null link [1]:[] that overlaps
        // gold [1]:[2] on the source side, and [1]:[1, 2] that overlaps it laxly.
        let system = [l(&[0], &[0]), l(&[], &[1]), l(&[1], &[]), l(&[1], &[1, 2])];
        let c = count(&system, &gold);
        // Precision: 2 strict ([0]:[0], []:[1]); lax adds [1]:[1, 2] but not [1]:[].
        // Recall over the 2 non-null gold links: [0]:[0] strict; [1]:[2] lax via [1]:[1, 2].
        assert_eq!(c, counts([2, 3, 4], [1, 2, 2]));
        let strict = c.strict();
        assert_eq!(strict.precision, 0.5);
        assert_eq!(strict.recall, 0.5);
        assert_eq!(strict.f1, 0.5);
        let lax = c.lax();
        assert_eq!(lax.precision, 0.75);
        assert_eq!(lax.recall, 1.0);
        assert!((lax.f1 - 2.0 * 0.75 / 1.75).abs() < 1e-12);
    }

    #[test]
    fn gold_null_links_are_not_in_recall_and_system_null_links_do_not_recall() {
        let gold = [l(&[0], &[]), l(&[1], &[1])];
        let system = [l(&[0], &[]), l(&[1], &[])];
        // Precision: [0]:[] strict; [1]:[] neither (null links cannot be lax).
        // Recall: gold [1]:[1] has no non-null system link to match.
        assert_eq!(count(&system, &gold), counts([1, 1, 2], [0, 0, 1]));
    }

    #[test]
    fn lax_needs_a_shared_source_and_a_shared_target_in_the_same_gold_link() {
        let gold = [l(&[0], &[0]), l(&[1], &[1])];
        // Shares source 0 with the first gold link and target 1 with the second: no lax hit.
        let system = [l(&[0], &[1])];
        assert_eq!(count(&system, &gold), counts([0, 0, 1], [0, 0, 2]));
        // Shares both with the second gold link.
        let system = [l(&[0, 1], &[1, 2])];
        assert_eq!(count(&system, &gold), counts([0, 1, 1], [0, 1, 2]));
    }

    #[test]
    fn lax_recall_is_matched_against_system_links() {
        // One 2-2 system link covers two 1-1 gold links: both are recalled laxly, and the
        // system link is one lax precision hit.
        let gold = [l(&[0], &[0]), l(&[1], &[1])];
        let system = [l(&[0, 1], &[0, 1])];
        let c = count(&system, &gold);
        assert_eq!(c, counts([0, 1, 1], [0, 2, 2]));
        assert_eq!(c.strict(), Scores::default());
        assert_eq!(
            (c.lax().precision, c.lax().recall, c.lax().f1),
            (1.0, 1.0, 1.0)
        );
    }

    #[test]
    fn crowded_sentences_are_matched_on_the_other_side() {
        // 3000 gold links on source sentence 0; system links on the same source sentence, one
        // in three sharing a target with the gold link of the same target.
        let gold: Vec<SentenceLink> = (0..3000).map(|i| l(&[0], &[i])).collect();
        let system: Vec<SentenceLink> = (0..3000)
            .map(|i| {
                if i % 3 == 0 {
                    l(&[0, 1], &[i])
                } else {
                    l(&[0], &[i + 3000])
                }
            })
            .collect();
        assert_eq!(
            count(&system, &gold),
            counts([0, 1000, 3000], [0, 1000, 3000])
        );
    }

    #[test]
    fn zero_over_zero_is_zero() {
        let c = count(&[], &[]);
        assert_eq!(c, Counts::default());
        assert_eq!(c.strict(), Scores::default());
        assert_eq!(c.lax(), Scores::default());
        // Only null links: precision is defined, recall is 0/0.
        let only_null = [l(&[], &[0])];
        let c = count(&only_null, &only_null);
        assert_eq!(c, counts([1, 1, 1], [0, 0, 0]));
        let s = c.strict();
        assert_eq!((s.precision, s.recall), (1.0, 0.0));
        assert_eq!(s.f1, 0.0);
        // A system with no links against a non-empty gold.
        let c = count(&[], &[l(&[0], &[0])]);
        assert_eq!(c, counts([0, 0, 0], [0, 0, 1]));
        assert_eq!(c.lax(), Scores::default());
    }

    #[test]
    fn counts_add_up() {
        let mut total = counts([1, 2, 3], [4, 5, 6]);
        total += counts([10, 20, 30], [40, 50, 60]);
        assert_eq!(total, counts([11, 22, 33], [44, 55, 66]));
        // Micro-average: (1 + 0) / (1 + 3), not the mean of 1/1 and 0/3.
        let mut t = counts([1, 1, 1], [1, 1, 1]);
        t += counts([0, 0, 3], [0, 0, 3]);
        assert_eq!(t.strict().precision, 0.25);
    }

    /// An alignment of up to 12 links over small index ranges, with nulls and repeats likely.
    fn alignment() -> impl Strategy<Value = Vec<SentenceLink>> {
        let side = proptest::collection::vec(0u64..15, 0..4);
        proptest::collection::vec((side.clone(), side), 0..12).prop_map(|v| {
            v.into_iter()
                .map(|(s, t)| SentenceLink::new(s, t))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn an_alignment_scored_against_itself_is_perfect(links in alignment()) {
            let non_degenerate = links.iter().any(|l| !l.src.is_empty() && !l.tgt.is_empty());
            prop_assume!(non_degenerate);
            let c = count(&links, &links);
            prop_assert_eq!(c.precision_strict, c.system_links);
            prop_assert_eq!(c.recall_strict, c.gold_links);
            for s in [c.strict(), c.lax()] {
                prop_assert_eq!(s.precision, 1.0);
                prop_assert_eq!(s.recall, 1.0);
                prop_assert_eq!(s.f1, 1.0);
            }
        }

        #[test]
        fn scores_are_bounded_and_lax_dominates_strict(system in alignment(), gold in alignment()) {
            let c = count(&system, &gold);
            prop_assert!(c.precision_strict <= c.precision_lax);
            prop_assert!(c.precision_lax <= c.system_links);
            prop_assert!(c.recall_strict <= c.recall_lax);
            prop_assert!(c.recall_lax <= c.gold_links);
            for s in [c.strict(), c.lax()] {
                for v in [s.precision, s.recall, s.f1] {
                    prop_assert!((0.0..=1.0).contains(&v));
                }
            }
        }

        #[test]
        fn strict_hits_agree_with_the_counts(system in alignment(), gold in alignment()) {
            let hits = strict_hits(&system, &gold);
            let c = count(&system, &gold);
            prop_assert_eq!(hits.len() as u64, c.system_links);
            prop_assert_eq!(hits.iter().filter(|h| h.1).count() as u64, c.precision_strict);
            // First occurrences, in order: keeping only them changes no count.
            prop_assert!(hits.windows(2).all(|w| w[0].0 < w[1].0));
            let firsts: Vec<SentenceLink> = hits.iter().map(|&(i, _)| system[i].clone()).collect();
            prop_assert_eq!(count(&firsts, &gold), c);
        }

        #[test]
        fn duplicating_and_reversing_lists_changes_nothing(system in alignment(), gold in alignment()) {
            let mut noisy: Vec<SentenceLink> = system
                .iter()
                .map(|l| {
                    let mut src = l.src.clone();
                    src.reverse();
                    SentenceLink::new(src, l.tgt.clone())
                })
                .collect();
            noisy.extend(system.iter().cloned());
            prop_assert_eq!(count(&noisy, &gold), count(&system, &gold));
        }

        #[test]
        fn lax_hits_agree_with_the_pairwise_definition(system in alignment(), gold in alignment()) {
            // Brute force over the definition: a lax hit shares a source and a target sentence
            // with one reference link.
            fn brute(cands: &[Key], refs: &[Key]) -> (u64, u64) {
                let (mut strict, mut lax) = (0, 0);
                for c in cands {
                    if refs.contains(c) {
                        strict += 1;
                        lax += 1;
                    } else if refs.iter().any(|r| {
                        c.0.iter().any(|s| r.0.contains(s)) && c.1.iter().any(|t| r.1.contains(t))
                    }) {
                        lax += 1;
                    }
                }
                (strict, lax)
            }
            let sys = canonical(&system);
            let gld = canonical(&gold);
            let full = |v: &[Key]| v.iter().filter(|k| !is_null(k)).cloned().collect::<Vec<_>>();
            let (ps, pl) = brute(&sys, &gld);
            let (rs, rl) = brute(&full(&gld), &full(&sys));
            let c = count(&system, &gold);
            prop_assert_eq!(
                c,
                Counts {
                    precision_strict: ps,
                    precision_lax: pl,
                    system_links: sys.len() as u64,
                    recall_strict: rs,
                    recall_lax: rl,
                    gold_links: full(&gld).len() as u64,
                }
            );
        }
    }
}
