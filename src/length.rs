//! The Gale & Church (1993) length model, shared by the aligner ([`crate::align`]) and the
//! translation-memory length filter ([`crate::tm::filter`]).
//!
//! A sentence and its translation have character lengths `l1` and `l2`; with `l2` divided by
//! the length ratio of the language pair, `δ = (l2 - l1) / √(s²·mean)` is close to normal
//! (Gale & Church 1993, "A Program for Aligning Sentences in Bilingual Corpora"; the symmetric
//! mean length as variance base follows Moore 2002). The cost of a length pair is
//! `-ln 2(1 - Φ(|δ|))` in nats, read from a table for speed and computed with erfc as its
//! reference. The ratio is estimated per document pair, with per-language figures
//! (`verbosity`) as the fallback and for translation memories.

use std::sync::LazyLock;

use crate::Lang;

/// Gale & Church's variance of target length per source character.
const VARIANCE: f64 = 6.8;

/// Target characters per source character. The ratio of the two documents' totals (as Gale
/// & Church and Moore estimate it) unless that is implausible for the language pair — more
/// than twice or less than half the usual ratio, or beyond a factor of four for languages
/// bitext has no figure for — which happens when one side is only partly translated (a mixed
/// document, a summary); then the usual ratio of the pair.
pub(crate) fn length_ratio(src_chars: f64, tgt_chars: f64, src: Lang, tgt: Lang) -> f64 {
    let (usual, slack) = match (src.verbosity(), tgt.verbosity()) {
        (Some(a), Some(b)) => (b / a, 2.0),
        _ => (1.0, 4.0),
    };
    if src_chars <= 0.0 || tgt_chars <= 0.0 {
        return usual;
    }
    let observed = tgt_chars / src_chars;
    if observed > usual * slack || observed < usual / slack {
        usual
    } else {
        observed
    }
}

/// `-ln 2(1 - Φ(|δ|))` for `l1` source and `l2` target characters (target already divided by
/// the length ratio): the Gale-Church length cost, read from a table of
/// [`length_cost_exact`] (error below 1e-5 nats).
#[inline]
pub fn length_cost(l1: f64, l2: f64) -> f64 {
    if (l1 + l2) * 0.5 <= 0.0 {
        return 0.0;
    }
    cost_from_table(&TABLE, delta(l1, l2))
}

/// `|δ|` for `l1` source and `l2` target characters (target already divided by the length
/// ratio): their difference in standard deviations, `|l2 - l1| / √(s²·mean)`; 0 when both are
/// empty. Written without a jump so that [`length_costs`] vectorises.
#[inline(always)]
fn delta(l1: f64, l2: f64) -> f64 {
    let mean = (l1 + l2) * 0.5;
    let delta = (l2 - l1).abs() / (VARIANCE * mean).sqrt();
    if mean > 0.0 {
        delta
    } else {
        0.0
    }
}

/// `-ln 2(1 - Φ(δ))` interpolated in `table` ([`TABLE`]), computed for δ beyond it.
#[inline]
fn cost_from_table(table: &[f64], delta: f64) -> f64 {
    let x = delta * TABLE_STEPS;
    if x >= (table.len() - 1) as f64 {
        return cost_of_delta(delta);
    }
    // 0 <= x < table.len() - 1, so the index and the one after it are in the table.
    let at = x as usize;
    let frac = x - at as f64;
    table[at] + frac * (table[at + 1] - table[at])
}

/// Table entries per unit of δ.
const TABLE_STEPS: f64 = 256.0;

/// [`length_cost`] at δ = 0, 1/256, 2/256, ... up to 16.
static TABLE: LazyLock<Vec<f64>> = LazyLock::new(|| {
    (0..=16 * TABLE_STEPS as usize)
        .map(|k| cost_of_delta(k as f64 / TABLE_STEPS))
        .collect()
});

/// `-ln 2(1 - Φ(δ))` computed with erfc.
fn cost_of_delta(delta: f64) -> f64 {
    let x = delta / std::f64::consts::SQRT_2;
    let p = libm::erfc(x);
    if p > 1e-300 {
        -p.ln()
    } else {
        tail_cost(delta)
    }
}

/// The asymptotic expansion of `-ln erfc(δ/√2)` for large δ.
fn tail_cost(delta: f64) -> f64 {
    let x = delta / std::f64::consts::SQRT_2;
    x * x + (x * std::f64::consts::PI.sqrt()).ln()
}

/// The Gale-Church length cost computed with erfc (the reference of [`length_cost`]).
pub fn length_cost_exact(l1: f64, l2: f64) -> f64 {
    if (l1 + l2) * 0.5 <= 0.0 {
        return 0.0;
    }
    cost_of_delta(delta(l1, l2))
}

/// Replaces each target length in `lengths` by the Gale-Church cost of pairing it with `l1`
/// source characters ([`length_cost`]): the division and square root run over the whole run
/// first (vectorised), the table lookups after.
pub(crate) fn length_costs(l1: f64, lengths: &mut [f64]) {
    for l2 in lengths.iter_mut() {
        *l2 = delta(l1, *l2);
    }
    let table: &[f64] = &TABLE;
    for x in lengths.iter_mut() {
        *x = cost_from_table(table, *x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_length_table_matches_erfc() {
        for l1 in [1.0, 7.0, 30.0, 120.0, 1000.0] {
            for k in 0..2000 {
                let l2 = k as f64 * 0.37;
                let (fast, exact) = (length_cost(l1, l2), length_cost_exact(l1, l2));
                assert!(
                    (fast - exact).abs() < 1e-5 * exact.max(1.0),
                    "{l1} {l2}: {fast} {exact}"
                );
            }
        }
    }

    #[test]
    fn length_cost_grows_with_mismatch() {
        assert!(length_cost(100.0, 100.0) < 1e-9);
        let near = length_cost(100.0, 110.0);
        let far = length_cost(100.0, 200.0);
        assert!(0.0 < near && near < far);
        assert!(length_cost(10.0, 1e9).is_finite());
        assert_eq!(length_cost(0.0, 0.0), 0.0);
    }

    #[test]
    fn implausible_length_ratios_fall_back_to_the_usual_one() {
        assert!((length_ratio(1000.0, 1080.0, Lang::En, Lang::Ru) - 1.08).abs() < 1e-12);
        assert!((length_ratio(3000.0, 100.0, Lang::En, Lang::Ru) - 1.1).abs() < 1e-12);
        assert!((length_ratio(100.0, 350.0, Lang::Other, Lang::Other) - 3.5).abs() < 1e-12);
        assert_eq!(length_ratio(100.0, 500.0, Lang::Other, Lang::En), 1.0);
        assert_eq!(length_ratio(0.0, 500.0, Lang::En, Lang::En), 1.0);
    }
}
