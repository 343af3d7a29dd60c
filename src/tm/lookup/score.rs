//! The match percentage of one candidate: the weighted token edit distance (Levenshtein over
//! tokens with the costs the [module docs](super) give, in integer units, stopping early once
//! a threshold cannot be met) and the scored candidate's rank order.

use super::token::{weight, Class, Tok, NONE};

/// Edit costs per quarter word: a word costs 10,000, so a tag's `L/100` is an integer.
pub(super) const DP_SCALE: u64 = 2500;
/// Substituting a case variant: 0.2 of a word.
const CASE_COST: u64 = 2000;

impl Tok {
    pub(super) fn indel(self, tau: u64) -> u64 {
        match self.class {
            Class::Tag => tau,
            c => u64::from(weight(c)) * DP_SCALE,
        }
    }
}

/// A scored candidate: its ordinal, percent, and the exact similarity `(L - D) / L`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scored {
    pub(super) ordinal: u32,
    pub(super) percent: u8,
    /// `L - D` (clamped at 0) and `L`, in DP units.
    pub(super) num: u64,
    pub(super) den: u64,
}

impl Scored {
    /// True when `self` ranks before `other`.
    pub(super) fn before(&self, other: &Scored) -> bool {
        if self.percent != other.percent {
            return self.percent > other.percent;
        }
        let a = u128::from(self.num) * u128::from(other.den);
        let b = u128::from(other.num) * u128::from(self.den);
        if a != b {
            return a > b;
        }
        self.ordinal < other.ordinal
    }
}

/// Buffers reused across the candidates of one lookup.
#[derive(Debug, Default)]
pub(super) struct Work {
    pub(super) cand: Vec<Tok>,
    pub(super) rows: (Vec<u64>, Vec<u64>),
}

/// The weighted token edit distance (see the module docs); `tau` is the cost of a tag edit.
/// `None` as soon as every cell of a row exceeds `max_d` (row minima never decrease, so the
/// distance would too).
pub(super) fn distance(
    a: &[Tok],
    b: &[Tok],
    tau: u64,
    max_d: u64,
    rows: &mut (Vec<u64>, Vec<u64>),
) -> Option<u64> {
    let sub = |x: Tok, y: Tok| -> u64 {
        if x.exact == y.exact && x.exact != NONE {
            return 0;
        }
        match (x.class == Class::Tag, y.class == Class::Tag) {
            (true, true) => tau,
            (true, false) => y.indel(tau) + tau,
            (false, true) => x.indel(tau) + tau,
            (false, false) if x.fold == y.fold && x.fold != NONE => CASE_COST,
            (false, false) => x.indel(tau).max(y.indel(tau)),
        }
    };
    let (prev, cur) = rows;
    prev.clear();
    prev.push(0);
    for &y in b {
        let last = prev[prev.len() - 1];
        prev.push(last + y.indel(tau));
    }
    cur.clear();
    cur.resize(b.len() + 1, 0);
    for &x in a {
        let xi = x.indel(tau);
        cur[0] = prev[0] + xi;
        let mut row_min = cur[0];
        for (j, &y) in b.iter().enumerate() {
            let del = prev[j + 1] + xi;
            let ins = cur[j] + y.indel(tau);
            let rep = prev[j] + sub(x, y);
            let v = del.min(ins).min(rep);
            cur[j + 1] = v;
            row_min = row_min.min(v);
        }
        if row_min > max_d {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    let d = prev[b.len()];
    (d <= max_d).then_some(d)
}
