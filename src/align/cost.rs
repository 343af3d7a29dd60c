//! The bead cost of the aligner: Gale & Church (1993) length model plus anchor evidence.
//!
//! A bead joins `a` consecutive source sentences to `b` consecutive target sentences. Its cost,
//! in nats, is `-ln P(a-b)` (bead prior) `- ln 2(1 - Φ(|δ|))` (Gale-Church length term, with
//! the character-length ratio estimated per document pair and the symmetric mean length of
//! Moore 2002 as variance base) `- λ·M` (anchor evidence: `M` is the inverse-document-frequency
//! weight of the anchor keys the two sides share, counted with multiplicity, so a key that
//! occurs in many sentences — "Book 1" ~ "Chapter 1" — weighs little), plus a penalty for a bead
//! that crosses a paragraph boundary or starts a paragraph on one side only.

use rustc_hash::FxHashMap;
use std::ops::Range;

use super::anchors::{sentence_keys_into, KeyBuf};
use super::lexicon::{Lexicon, DICTIONARY_KEY, LEARNED_KEY};
use super::{Band, Options, Params};
use crate::length::{length_cost, length_costs, length_ratio};
use crate::split::SplitDocument;
use crate::Lang;

/// The bead shapes the aligner considers, with their prior probabilities.
///
/// Gale & Church 1993 estimated 1-1 0.89, 1-0/0-1 0.0099, 2-1/1-2 0.089, 2-2 0.011 on
/// Canadian Hansard; 1-3/3-1 and the wider shapes take a little of the 1-1 mass.
pub const BEADS: [(usize, usize, f64); 12] = [
    (1, 1, 0.872),
    (1, 0, 0.005),
    (0, 1, 0.005),
    (2, 1, 0.0445),
    (1, 2, 0.0445),
    (2, 2, 0.011),
    (3, 1, 0.006),
    (1, 3, 0.006),
    (3, 2, 0.002),
    (2, 3, 0.002),
    (4, 1, 0.001),
    (1, 4, 0.001),
];

/// Per-sentence facts of both sides and the cost of every bead between them.
pub struct CostModel<'a> {
    pub(crate) src: &'a SplitDocument,
    pub(crate) tgt: &'a SplitDocument,
    side: [Side; 2],
    /// Source characters per target character over the whole document pair (the inverse of
    /// [`length_ratio`]): target lengths are multiplied by it before the length cost.
    inv_ratio: f64,
    /// Weight of each interned key when both sides of a bead hold it.
    weight: Vec<f32>,
    /// Cost of each interned key when the source side (`unmatched[0]`) or the target side
    /// (`unmatched[1]`) of a non-null bead holds it and the other does not (numbers and names
    /// should survive translation; cognates need not).
    unmatched: [Vec<f32>; 2],
    /// What a shared key is worth to a sentence pair: its weight plus the unmatched costs its
    /// two occurrences do not incur.
    value: Vec<f32>,
    /// `-ln prior` per bead shape, in [`BEADS`] order.
    prior_cost: Vec<f64>,
    /// Whether paragraph structure is used as evidence.
    use_paragraphs: bool,
    /// Block of each paragraph of each side: when set, sentences link only within a block.
    blocks: Option<[Vec<usize>; 2]>,
    options: Options,
}

/// Numbers for the distinct keys of a document pair, in order of first occurrence.
#[derive(Default)]
struct Interner {
    ids: FxHashMap<String, u32>,
}

impl Interner {
    /// The number of `key`, given a new one the first time.
    fn id(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(key.to_owned(), id);
        id
    }

    fn len(&self) -> usize {
        self.ids.len()
    }
}

/// Prefix sums and key lists of one side.
struct Side {
    /// `chars[i]` = characters (without white space) in sentences `0..i`.
    chars: Vec<f64>,
    /// Keys of sentence `i`: `keys[key_start[i]..key_start[i + 1]]`, sorted.
    keys: Vec<u32>,
    key_start: Vec<usize>,
    /// The keys of sentence `i` that the other side holds too (weight > 0), the only ones a
    /// sentence pair can share: `shared[shared_start[i]..shared_start[i + 1]]`, sorted.
    shared: Vec<u32>,
    shared_start: Vec<usize>,
    /// `paragraph[i]` = paragraph index of sentence `i`.
    paragraph: Vec<usize>,
    /// `unmatched[i]` = summed unmatched cost of the keys of sentences `0..i`.
    unmatched: Vec<f64>,
    /// `common[d - 1]` lists, per sentence `i`, the keys it shares with sentence `i + d`
    /// (d = 1, 2, 3; sorted, each once): the keys that can occur in two sentences of a bead.
    common: [Vec<u32>; MAX_SPAN - 1],
    common_start: [Vec<usize>; MAX_SPAN - 1],
}

impl Side {
    fn new(
        doc: &SplitDocument,
        lang: Lang,
        ids: &mut Interner,
        lexicons: &[&Lexicon],
        side: usize,
    ) -> Side {
        use rayon::prelude::*;
        const CHUNK: usize = 2048;
        let n = doc.len();
        // The keys and lengths of the sentences, found in parallel chunks; the keys are then
        // numbered in document order, so the numbering does not depend on the threads.
        let starts: Vec<usize> = (0..n).step_by(CHUNK).collect();
        let found: Vec<(KeyBuf, Vec<usize>, Vec<u64>)> = starts
            .par_iter()
            .map(|&from| {
                let (mut keys, mut counts, mut lengths) = (KeyBuf::new(), Vec::new(), Vec::new());
                for i in from..(from + CHUNK).min(n) {
                    let text = doc.sentence(i);
                    lengths.push(text.chars().filter(|c| !c.is_whitespace()).count() as u64);
                    let before = keys.len();
                    sentence_keys_into(text, lang, &mut keys);
                    for lexicon in lexicons {
                        lexicon.keys_into(side, text, &mut keys);
                    }
                    counts.push(keys.len() - before);
                }
                (keys, counts, lengths)
            })
            .collect();
        let mut chars = Vec::with_capacity(n + 1);
        let mut keys = Vec::with_capacity(found.iter().map(|f| f.0.len()).sum());
        let mut key_start = Vec::with_capacity(n + 1);
        let paragraph = doc.sentences.iter().map(|s| s.paragraph).collect();
        let mut total = 0u64;
        chars.push(0.0);
        key_start.push(0);
        for (strings, counts, lengths) in found {
            let mut strings = strings.iter();
            for (count, length) in counts.into_iter().zip(lengths) {
                total += length;
                // Exact: a document has far fewer than 2^53 characters.
                chars.push(total as f64);
                let start = keys.len();
                for k in strings.by_ref().take(count) {
                    keys.push(ids.id(k));
                }
                keys[start..].sort_unstable();
                key_start.push(keys.len());
            }
        }
        Side {
            chars,
            keys,
            key_start,
            paragraph,
            shared: Vec::new(),
            shared_start: Vec::new(),
            unmatched: Vec::new(),
            common: Default::default(),
            common_start: Default::default(),
        }
    }

    /// Fills `shared`, `unmatched` and `common` once the keys' weights are known.
    fn weigh(&mut self, weight: &[f32], unmatched: &[f32]) {
        let n = self.len();
        let mut total = 0.0;
        self.unmatched = Vec::with_capacity(n + 1);
        self.unmatched.push(0.0);
        self.shared_start = Vec::with_capacity(n + 1);
        self.shared_start.push(0);
        let mut shared = Vec::new();
        for i in 0..n {
            let keys = &self.keys[self.key_start[i]..self.key_start[i + 1]];
            total += keys
                .iter()
                .map(|&k| f64::from(unmatched[k as usize]))
                .sum::<f64>();
            self.unmatched.push(total);
            shared.extend(keys.iter().filter(|&&k| weight[k as usize] > 0.0));
            self.shared_start.push(shared.len());
        }
        self.shared = shared;
        self.find_common_keys();
    }

    /// The keys of sentence `i` the other side holds too.
    fn shared(&self, i: usize) -> &[u32] {
        &self.shared[self.shared_start[i]..self.shared_start[i + 1]]
    }

    /// Fills `common` (see the field).
    fn find_common_keys(&mut self) {
        let n = self.len();
        for d in 1..MAX_SPAN {
            let mut list = Vec::new();
            let mut start = Vec::with_capacity(n + 1);
            start.push(0);
            for i in 0..n {
                if i + d < n {
                    intersect_into(self.shared(i), self.shared(i + d), &mut list);
                }
                start.push(list.len());
            }
            self.common[d - 1] = list;
            self.common_start[d - 1] = start;
        }
    }

    /// Appends to `out` the keys that occur in two or more of sentences `i..i + a`.
    fn repeated_keys(&self, i: usize, a: usize, out: &mut Vec<u32>) {
        for d in 1..a.min(MAX_SPAN) {
            let (list, start) = (&self.common[d - 1], &self.common_start[d - 1]);
            for p in i..i + a - d {
                out.extend_from_slice(&list[start[p]..start[p + 1]]);
            }
        }
    }

    /// True when two of sentences `i..i + a` share a key.
    fn repeats(&self, i: usize, a: usize) -> bool {
        (1..a.min(MAX_SPAN)).any(|d| {
            let start = &self.common_start[d - 1];
            start[i + a - d] > start[i]
        })
    }

    /// Summed unmatched cost of the keys of sentences `from..to`.
    fn unmatched(&self, from: usize, to: usize) -> f64 {
        self.unmatched[to] - self.unmatched[from]
    }

    fn len(&self) -> usize {
        self.paragraph.len()
    }

    fn chars(&self, from: usize, to: usize) -> f64 {
        self.chars[to] - self.chars[from]
    }

    fn keys(&self, i: usize) -> &[u32] {
        &self.keys[self.key_start[i]..self.key_start[i + 1]]
    }

    /// Number of distinct paragraphs.
    fn paragraphs(&self) -> usize {
        self.paragraph.last().map_or(0, |&p| p + 1)
    }

    /// True when sentences `from..to` lie in more than one paragraph.
    fn crosses_paragraph(&self, from: usize, to: usize) -> bool {
        to > from + 1 && self.paragraph[from] != self.paragraph[to - 1]
    }

    /// True when sentence `i` opens a paragraph (the first sentence does too).
    fn starts_paragraph(&self, i: usize) -> bool {
        i == 0 || (i < self.len() && self.paragraph[i] != self.paragraph[i - 1])
    }
}

/// Reusable buffers for bead costs, so the DP loop does not allocate.
#[derive(Default)]
pub struct Scratch {
    repeated: Vec<u32>,
    counts: Vec<u32>,
    a: Vec<u32>,
    b: Vec<u32>,
    tmp: Vec<u32>,
}

/// The sorted keys of sentences `from..from + n` of `side` in `out`: a linear merge of the
/// sentences' sorted key lists (no sort in the DP loop).
fn gather(side: &Side, from: usize, n: usize, out: &mut Vec<u32>, tmp: &mut Vec<u32>) {
    out.clear();
    out.extend_from_slice(side.keys(from));
    for k in from + 1..from + n {
        std::mem::swap(out, tmp);
        out.clear();
        merge_sorted(tmp, side.keys(k), out);
    }
}

/// Appends to `out` the distinct elements two sorted slices have in common.
fn intersect_into(x: &[u32], y: &[u32], out: &mut Vec<u32>) {
    let first = out.len();
    let (mut p, mut q) = (0, 0);
    while p < x.len() && q < y.len() {
        match x[p].cmp(&y[q]) {
            std::cmp::Ordering::Less => p += 1,
            std::cmp::Ordering::Greater => q += 1,
            std::cmp::Ordering::Equal => {
                if out.len() == first || out.last() != Some(&x[p]) {
                    out.push(x[p]);
                }
                p += 1;
                q += 1;
            }
        }
    }
}

/// Appends the merge of two sorted slices to `out`.
fn merge_sorted(x: &[u32], y: &[u32], out: &mut Vec<u32>) {
    let (mut p, mut q) = (0, 0);
    while p < x.len() && q < y.len() {
        if x[p] <= y[q] {
            out.push(x[p]);
            p += 1;
        } else {
            out.push(y[q]);
            q += 1;
        }
    }
    out.extend_from_slice(&x[p..]);
    out.extend_from_slice(&y[q..]);
}

impl<'a> CostModel<'a> {
    /// Builds the cost model of a document pair: sentence lengths, anchor keys and their weights.
    pub fn new(
        src: &'a SplitDocument,
        tgt: &'a SplitDocument,
        src_lang: Lang,
        tgt_lang: Lang,
        options: &Options,
    ) -> CostModel<'a> {
        Self::with_lexicon(src, tgt, src_lang, tgt_lang, options, &[])
    }

    /// [`CostModel::new`] with the entries of lexicons as anchor keys too: a source and a
    /// target sentence that hold the two sides of an entry share its key. A dictionary entry
    /// is weighed by inverse document frequency like every key; a learned entry by how
    /// reliably its words translate each other (`key_weights` in this module).
    pub fn with_lexicon(
        src: &'a SplitDocument,
        tgt: &'a SplitDocument,
        src_lang: Lang,
        tgt_lang: Lang,
        options: &Options,
        lexicons: &[&Lexicon],
    ) -> CostModel<'a> {
        let mut ids = Interner::default();
        let mut s = Side::new(src, src_lang, &mut ids, lexicons, 0);
        let mut t = Side::new(tgt, tgt_lang, &mut ids, lexicons, 1);
        let ratio = length_ratio(s.chars(0, s.len()), t.chars(0, t.len()), src_lang, tgt_lang);
        let learned = lexicons.iter().copied().find(|l| l.is_learned());
        let (weight, unmatched) = key_weights(&s, &t, &ids, learned, &options.params);
        s.weigh(&weight, &unmatched[0]);
        t.weigh(&weight, &unmatched[1]);
        let value = weight
            .iter()
            .zip(unmatched[0].iter().zip(&unmatched[1]))
            .map(|(&w, (&u, &v))| w + u + v)
            .collect();
        let prior_cost = BEADS.iter().map(|&(_, _, p)| -p.ln()).collect();
        let use_paragraphs = s.paragraphs() > 1 && t.paragraphs() > 1;
        CostModel {
            src,
            tgt,
            side: [s, t],
            inv_ratio: 1.0 / ratio,
            weight,
            unmatched,
            value,
            prior_cost,
            use_paragraphs,
            blocks: None,
            options: options.clone(),
        }
    }

    /// Restricts links to paragraphs in the same block: `src_blocks[p]` is the block of source
    /// paragraph `p`, `tgt_blocks[q]` that of target paragraph `q` (a mixed document's pairing
    /// of original and translated paragraphs). Sentences in blocks the other side lacks can
    /// only be 1-0 or 0-1 links.
    pub fn with_blocks(mut self, src_blocks: Vec<usize>, tgt_blocks: Vec<usize>) -> Self {
        self.blocks = Some([src_blocks, tgt_blocks]);
        self
    }

    /// The block of sentence `i` of side `side`, if blocks are set.
    fn block(&self, side: usize, i: usize) -> Option<usize> {
        let blocks = self.blocks.as_ref()?;
        let paragraph = self.side[side].paragraph[i];
        blocks[side].get(paragraph).copied()
    }

    /// True when a bead of `a` source sentences from `i` and `b` target sentences from `j`
    /// stays within one block.
    fn within_block(&self, i: usize, a: usize, j: usize, b: usize) -> bool {
        if self.blocks.is_none() {
            return true;
        }
        let first = self.block(0, i);
        (i..i + a).all(|k| self.block(0, k) == first)
            && (j..j + b).all(|k| self.block(1, k) == first)
    }

    /// Number of source sentences.
    pub fn src_len(&self) -> usize {
        self.side[0].len()
    }

    /// Number of target sentences.
    pub fn tgt_len(&self) -> usize {
        self.side[1].len()
    }

    /// The initial half-width of the search band.
    pub fn options_band(&self) -> usize {
        self.options.band
    }

    /// The tunables the model was built with.
    pub(crate) fn params(&self) -> &Params {
        &self.options.params
    }

    /// The sorted anchor keys of sentence `i` of side `side` (0 source, 1 target).
    pub(crate) fn keys(&self, side: usize, i: usize) -> &[u32] {
        self.side[side].keys(i)
    }

    /// Source characters per target character (target lengths are multiplied by it).
    pub(crate) fn inv_ratio(&self) -> f64 {
        self.inv_ratio
    }

    /// Characters (without white space) before sentence `i` of side `side` (0 source, 1 target).
    pub(crate) fn offset(&self, side: usize, i: usize) -> f64 {
        self.side[side].chars[i]
    }

    /// The weight of key `k` when both sides of a bead hold it (0 for a key one side lacks).
    pub(crate) fn key_weight(&self, k: u32) -> f32 {
        self.weight[k as usize]
    }

    /// Number of distinct keys of both documents.
    pub(crate) fn key_count(&self) -> usize {
        self.weight.len()
    }

    /// The source document.
    pub fn src(&self) -> &SplitDocument {
        self.src
    }

    /// The target document.
    pub fn tgt(&self) -> &SplitDocument {
        self.tgt
    }

    /// Cost in nats of bead shape `bead` (an index into [`BEADS`]) starting at `(i, j)`,
    /// computed from the key lists directly. The caller guarantees the bead fits. The aligner
    /// and the scorer use [`BeadCosts`], which gives the same costs faster.
    pub fn bead_cost(&self, i: usize, j: usize, bead: usize, scratch: &mut Scratch) -> f64 {
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
        }
        if self.use_paragraphs {
            let source = self.source_paragraphs(i, a);
            cost = paragraph_term(cost, self.params().paragraph_weight, source, t, j, b);
        }
        cost
    }

    /// The paragraph facts of the source side of a bead of `a` source sentences from `i`.
    #[inline]
    fn source_paragraphs(&self, i: usize, a: usize) -> SourceParagraphs {
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
    fn splits_blocks(&self, i: usize, a: usize, j: usize, b: usize) -> bool {
        a > 0 && b > 0 && !self.within_block(i, a, j, b)
    }

    /// The evidence of pairing source sentence `p` with target sentence `q` alone: the summed
    /// weight of the keys they share plus the unmatched cost those keys do not incur (both
    /// occurrences of each).
    fn pair_evidence(&self, p: usize, q: usize) -> f32 {
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

    /// `M`, the summed weight of the keys shared by source sentences `i..i+a` and target
    /// sentences `j..j+b`, and the summed cost of the key occurrences left unmatched.
    ///
    /// A key occurrence matches at most one occurrence on the other side, in a sentence pair on
    /// the bead's [`diagonal`]; with one sentence on either side every pair is on it, so a key
    /// counts as often as it occurs on both sides.
    fn anchor_evidence(
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

// The terms of a bead's cost that both the readable path ([`CostModel::bead_cost`]) and the
// fast one ([`BeadCosts`]) add, each written once. The prior is `prior_cost`, the length term
// [`length_cost`] (the fast path's [`length_costs`] shares its formula in `crate::length`);
// the block term is [`CostModel::splits_blocks`]. Each function adds in the order the paths
// always added, so their costs are the same to the bit.

/// The anchor term: `weight` (nats per unit of evidence) times the cost of the key occurrences
/// left unmatched less the weight of the keys shared.
#[inline(always)]
fn anchor_term(weight: f64, unmatched: f64, shared: f64) -> f64 {
    weight * (unmatched - shared)
}

/// The paragraph facts of the source side of a bead, found once per lattice row by the fast
/// path ([`CostModel::source_paragraphs`]).
#[derive(Clone, Copy)]
struct SourceParagraphs {
    /// The paragraph weight when the source sentences lie in two paragraphs, else 0.
    crossing: f64,
    /// Whether the first source sentence opens a paragraph; `None` without source sentences.
    opens: Option<bool>,
}

/// `cost` plus the paragraph term of a bead with source facts `source` and `b` target sentences
/// from `j` of side `t`: `weight` per side whose sentences lie in two paragraphs, half of it
/// when a bead with sentences on both sides opens a paragraph on one side only.
#[inline(always)]
fn paragraph_term(
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
fn diagonal(sources: &[f64], targets: &[f64]) -> [u8; MAX_SPAN] {
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
fn matched_on(cs: &[u32], ct: &[u32], pairs: &[u8; MAX_SPAN]) -> u32 {
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
}

/// The bead costs of a band, row after row, as the aligner and the scorer need them.
///
/// The evidence of a wide bead is the sum of the evidence of its 1-1 parts, corrected for the
/// few keys that occur in two sentences of one side (found in lists made once per document),
/// so each source-target sentence pair is compared once and kept while the rows that can use
/// it are produced. A row is filled bead shape by bead shape over runs of cells, in loops
/// the compiler vectorises. The costs are those of [`CostModel::bead_cost`].
pub struct BeadCosts<'m, 'a> {
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

/// The most sentences a bead takes from one side.
const MAX_SPAN: usize = 4;

/// The bead costs of one lattice row, shape by shape: the cost of bead `k` ending in the
/// `c`-th cell of the row is `costs[k * width + c]`, infinite where the bead would start
/// outside the lattice or the band.
#[derive(Debug, Default)]
pub struct RowCosts {
    /// Cells in the row.
    pub width: usize,
    /// The costs, bead shape after bead shape.
    pub costs: Vec<f64>,
}

impl RowCosts {
    /// The costs of bead shape `k` across the row.
    #[inline]
    pub fn bead(&self, k: usize) -> &[f64] {
        &self.costs[k * self.width..(k + 1) * self.width]
    }
}

impl<'m, 'a> BeadCosts<'m, 'a> {
    /// Bead costs of `model` over `band`.
    pub fn new(model: &'m CostModel<'a>, band: &'m Band) -> Self {
        Self::at(model, band, (0, 0))
    }

    /// Bead costs of `model` over `band`, a band over the window of the lattice whose first
    /// cell is `origin` (rows and columns of the band count from there).
    pub fn at(model: &'m CostModel<'a>, band: &'m Band, origin: (usize, usize)) -> Self {
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
    pub fn span(band: &Band, i: usize, k: usize) -> Range<usize> {
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
    pub fn row(&mut self, i: usize, out: &mut RowCosts) {
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

/// Weights of the interned keys, and their unmatched costs on the source and the target side.
///
/// A shared key weighs its inverse document frequency on both sides,
/// `½ ln(n/df_src) + ½ ln(m/df_tgt)` (at least [`Params::min_key_weight`]). A key that one side
/// of a non-null bead holds and the other lacks costs half its inverse document frequency on
/// its own side, at most [`Params::max_unmatched`], when it is a number or a name (the kinds of
/// token a translation keeps), and nothing otherwise.
///
/// A dictionary entry (`--dict`, keys `~N`) weighs [`Params::dictionary_share`] of what its
/// inverse document frequency exceeds [`Params::dictionary_idf_floor`] by: entries are dense (25-60 a
/// sentence from FreeDict) and a word has several translations and senses, so a common word
/// must say nothing and a rare one less than a shared number or name, or wide beads gather
/// the evidence of every word and swallow their neighbours.
///
/// A learned entry (keys `^N`, [`super::learn`]) weighs what seeing both its words, or one
/// without the other, says for a bead against a random pair of sentences: with `r` the share of
/// training pairs whose target held the target word when the source held the source word (at
/// most the document's own `df_tgt / df_src`) and `q = df_tgt / m` the chance that a random
/// target sentence holds it, both present is worth `ln(r/q)` and the source word alone costs
/// `ln((1-q)/(1-r))` — a log-likelihood ratio, averaged with the same figures the other way
/// round and scaled by [`Params::learned_share`].
fn key_weights(
    s: &Side,
    t: &Side,
    ids: &Interner,
    learned: Option<&Lexicon>,
    params: &Params,
) -> (Vec<f32>, [Vec<f32>; 2]) {
    let keys = ids.len();
    let df = |side: &Side| {
        let mut df = vec![0u32; keys];
        for i in 0..side.len() {
            let ks = side.keys(i);
            for (n, &k) in ks.iter().enumerate() {
                if n == 0 || ks[n - 1] != k {
                    df[k as usize] += 1;
                }
            }
        }
        df
    };
    let (ds, dt) = (df(s), df(t));
    let (n, m) = (s.len().max(1) as f64, t.len().max(1) as f64);
    let idf = |len: f64, df: u32| (len / f64::from(df.max(1))).ln();
    let mut dictionary = vec![false; keys];
    for (key, &id) in &ids.ids {
        dictionary[id as usize] = key.starts_with(DICTIONARY_KEY);
    }
    let mut weight: Vec<f32> = ds
        .iter()
        .zip(&dt)
        .zip(&dictionary)
        .map(|((&a, &b), &entry)| {
            let idf = 0.5 * idf(n, a) + 0.5 * idf(m, b);
            if a == 0 || b == 0 {
                0.0
            } else if entry {
                (params.dictionary_share * (idf - params.dictionary_idf_floor).max(0.0)) as f32
            } else {
                idf.max(params.min_key_weight) as f32
            }
        })
        .collect();
    let mut unmatched = [vec![0f32; keys], vec![0f32; keys]];
    for (key, &id) in &ids.ids {
        let id = id as usize;
        if key.starts_with(['#', '=']) {
            let own = if ds[id] > 0 {
                idf(n, ds[id])
            } else {
                idf(m, dt[id])
            };
            let cost = (0.5 * own).clamp(0.0, params.max_unmatched) as f32;
            unmatched[0][id] = cost;
            unmatched[1][id] = cost;
        } else if let Some(entry) = key.strip_prefix(LEARNED_KEY) {
            let retention = entry
                .parse::<usize>()
                .ok()
                .and_then(|e| learned?.retention(e));
            let (Some([r_st, r_ts]), true) = (retention, ds[id] > 0 && dt[id] > 0) else {
                weight[id] = 0.0;
                continue;
            };
            let (a, b) = (f64::from(ds[id]), f64::from(dt[id]));
            // The chance that a random sentence of each side holds the entry's word.
            let (q_s, q_t) = ((a + 0.5) / (n + 1.0), (b + 0.5) / (m + 1.0));
            let r_st = f64::from(r_st).min(b / a).clamp(1e-3, 0.999);
            let r_ts = f64::from(r_ts).min(a / b).clamp(1e-3, 0.999);
            let both = 0.5 * ((r_st / q_t).ln() + (r_ts / q_s).ln());
            // Above zero, so that two sentences holding both words are known to share the key
            // and do not pay its unmatched costs.
            weight[id] = (params.learned_share * both).max(1e-3) as f32;
            let share = params.learned_share;
            let alone = |q: f64, r: f64| (share * 0.5 * ((1.0 - q) / (1.0 - r)).ln()).max(0.0);
            unmatched[0][id] = alone(q_t, r_st) as f32;
            unmatched[1][id] = alone(q_s, r_ts) as f32;
        }
    }
    (weight, unmatched)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// hunalign's known failure ("Book 1" ~ "Chapter 1"): a number in every heading must not
    /// outweigh the evidence of a rare name. Inverse document frequency makes it weigh the floor.
    #[test]
    fn a_frequent_number_weighs_little_and_a_rare_name_much() {
        use crate::read::Document;
        let en = crate::split::lines(Document::from_text(
            "en",
            "Chapter 1\nBook 1 opens.\nChapter 1\nMark Colhoun arrives.\nChapter 1\nIt rains.",
        ));
        let ru = crate::split::lines(Document::from_text(
            "ru",
            "Глава 1\nКнига 1 начинается.\nГлава 1\nМарк Колхаун прибывает.\nГлава 1\nИдет дождь.",
        ));
        let model = CostModel::new(
            &en,
            &ru,
            Lang::En,
            Lang::Ru,
            &crate::align::Options::default(),
        );
        let mut scratch = Scratch::default();
        let (number, _) = model.anchor_evidence(0, 1, 2, 1, &mut scratch);
        let (names, _) = model.anchor_evidence(3, 1, 3, 1, &mut scratch);
        assert!(
            number < 0.5,
            "a number in four of six sentences weighs {number}"
        );
        assert!(
            names > 3.0 && names > 7.0 * number,
            "two unique names weigh {names}"
        );
        // The heading costs about the same against any heading: no pull.
        let c0 = model.bead_cost(0, 0, 0, &mut scratch);
        let c2 = model.bead_cost(0, 2, 0, &mut scratch);
        assert!((c0 - c2).abs() < 0.5, "{c0} vs {c2}");
    }

    #[test]
    fn merge_keeps_order_and_multiplicity() {
        let mut out = Vec::new();
        merge_sorted(&[1, 3, 3, 9], &[0, 3, 10], &mut out);
        assert_eq!(out, [0, 1, 3, 3, 3, 9, 10]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(60))]

        /// The row-wise costs equal the direct ones, also for runs that repeat a key.
        #[test]
        fn bead_costs_equal_the_direct_costs(
            src in proptest::collection::vec("(Paris|Rome|SCO|ШОС|2018|7|x|Лю|Liu|[?!]| ){0,6}", 0..14),
            tgt in proptest::collection::vec("(Paris|Париж|Рим|2018|7|y|Лю|Liu|[?!]| ){0,6}", 0..14),
            w in 1usize..6,
        ) {
            use crate::read::Document;
            let en = crate::split::lines(Document::from_text("en", src.join("\n")));
            let ru = crate::split::lines(Document::from_text("ru", tgt.join("\n")));
            let model = CostModel::new(&en, &ru, Lang::En, Lang::Ru, &crate::align::Options::default());
            let (n, m) = (model.src_len(), model.tgt_len());
            let band = Band::diagonal(n, m, w);
            let mut costs = BeadCosts::new(&model, &band);
            let mut scratch = Scratch::default();
            let mut row = RowCosts::default();
            for i in 0..=n {
                costs.row(i, &mut row);
                for (c, j) in band.row(i).enumerate() {
                    for (k, &(a, b, _)) in BEADS.iter().enumerate() {
                        let fast = row.bead(k)[c];
                        if a > i || b > j || band.index(i - a, j - b).is_none() {
                            proptest::prop_assert!(fast.is_infinite());
                            continue;
                        }
                        let slow = model.bead_cost(i - a, j - b, k, &mut scratch);
                        proptest::prop_assert!((fast - slow).abs() < 1e-4, "{i} {j} {k}: {fast} {slow}");
                    }
                }
            }
        }
    }

    /// A key repeated in consecutive target sentences (found by the property test above: the
    /// repeated-key lists once lost a key shared by the next pair of sentences).
    #[test]
    fn a_key_repeated_in_a_run_counts_once_per_occurrence() {
        use crate::read::Document;
        let en = crate::split::lines(Document::from_text("en", "7"));
        let ru = crate::split::lines(Document::from_text("ru", "7y\n7\n7"));
        let model = CostModel::new(
            &en,
            &ru,
            Lang::En,
            Lang::Ru,
            &crate::align::Options::default(),
        );
        let band = Band::diagonal(1, 3, 3);
        let mut costs = BeadCosts::new(&model, &band);
        let mut scratch = Scratch::default();
        let mut row = RowCosts::default();
        costs.row(1, &mut row);
        let c = band.row(1).position(|j| j == 3).unwrap();
        let k = BEADS
            .iter()
            .position(|&(a, b, _)| a == 1 && b == 2)
            .unwrap();
        let slow = model.bead_cost(0, 1, k, &mut scratch);
        assert!((row.bead(k)[c] - slow).abs() < 1e-6);
    }

    #[test]
    fn priors_are_probabilities() {
        let total: f64 = BEADS.iter().map(|b| b.2).sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
    }

    /// A dictionary entry found in one sentence pair lowers its cost; one found in every
    /// sentence (a function word's translation) changes nothing.
    #[test]
    fn rare_dictionary_entries_count_and_common_ones_do_not() {
        use crate::read::Document;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dict.txt");
        std::fs::write(&path, "maison @ haus\ngrand @ gross\n").unwrap();
        let lexicon = crate::align::lexicon::Lexicon::read(&[path], Lang::De, Lang::Fr).unwrap();
        let (mut de, mut fr) = (Vec::new(), Vec::new());
        for k in 0..200 {
            let word = if k == 0 { "Haus" } else { "Weg" };
            de.push(format!("Der grosse {word} liegt weit oben."));
            let word = if k == 0 { "maison" } else { "chemin" };
            fr.push(format!("Le grand {word} est loin en haut."));
        }
        let de = crate::split::lines(Document::from_text("de", de.join("\n")));
        let fr = crate::split::lines(Document::from_text("fr", fr.join("\n")));
        let options = crate::align::Options::default();
        let plain = CostModel::new(&de, &fr, Lang::De, Lang::Fr, &options);
        let with = CostModel::with_lexicon(&de, &fr, Lang::De, Lang::Fr, &options, &[&lexicon]);
        let mut scratch = Scratch::default();
        let one_to_one = 0;
        let rare = (
            plain.bead_cost(0, 0, one_to_one, &mut scratch),
            with.bead_cost(0, 0, one_to_one, &mut scratch),
        );
        let common = (
            plain.bead_cost(5, 5, one_to_one, &mut scratch),
            with.bead_cost(5, 5, one_to_one, &mut scratch),
        );
        assert!(rare.1 < rare.0 - 0.5, "{rare:?}");
        assert!((common.1 - common.0).abs() < 1e-9, "{common:?}");
    }
}
