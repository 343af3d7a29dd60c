//! The bead cost of the aligner: Gale & Church (1993) length model plus anchor evidence.
//!
//! A bead joins `a` consecutive source sentences to `b` consecutive target sentences. Its cost,
//! in nats, is `-ln P(a-b)` (bead prior) `- ln 2(1 - Φ(|δ|))` (Gale-Church length term, with
//! the character-length ratio estimated per document pair and the symmetric mean length of
//! Moore 2002 as variance base) `- λ·M` (anchor evidence: `M` is the inverse-document-frequency
//! weight of the anchor keys the two sides share, counted with multiplicity, so a key that
//! occurs in many sentences — "Book 1" ~ "Chapter 1" — weighs little), plus a penalty for a bead
//! that crosses a paragraph boundary or starts a paragraph on one side only.
//!
//! This file builds the model (per-sentence lengths and anchor keys, key weights); `terms`
//! holds the readable bead cost and the terms it shares with `fast`, the row-wise bead costs
//! the aligner and the scorer run on.

use rustc_hash::FxHashMap;

use super::anchors::{sentence_keys_into, KeyBuf};
use super::lexicon::{Lexicon, DICTIONARY_KEY, LEARNED_KEY};
use super::semantic::SemanticEvidence;
use super::timing::{BeadTimes, TimeMap, Timeline};
use super::{Options, Params};
use crate::length::length_ratio;
use crate::read::vectors::SentenceVectors;
use crate::split::SplitDocument;
use crate::Lang;

mod fast;
mod terms;
#[cfg(test)]
mod tests;

pub(crate) use fast::{BeadCosts, RowCosts};
pub(crate) use terms::Scratch;

/// The bead shapes the aligner considers, with their prior probabilities.
///
/// Gale & Church 1993 estimated 1-1 0.89, 1-0/0-1 0.0099, 2-1/1-2 0.089, 2-2 0.011 on
/// Canadian Hansard; 1-3/3-1 and the wider shapes take a little of the 1-1 mass. The shapes
/// with two or more sentences on both sides (2-2, 3-2, 2-3) get 0.3 of those figures, the
/// rest going to 1-1: their length term compares sums of sentences, whose relative spread is
/// smaller than a single sentence's, so it favours them, and two clean 1-1 pairs came out as
/// one 2-2 (issue 17). Measured with `benches/text_berg.sh` at 1, 0.5, 0.3, 0.2 and 0.1 of
/// the figures: 0.3 is best on the Text+Berg test set (one document at a time and as a
/// batch) and on its dev set alike, and leaves one wide link of 2,303 on a generated EN-RU
/// text of 1-1 pairs (README, "Spurious merges").
pub(crate) const BEADS: [(usize, usize, f64); 12] = [
    (1, 1, 0.8825),
    (1, 0, 0.005),
    (0, 1, 0.005),
    (2, 1, 0.0445),
    (1, 2, 0.0445),
    (2, 2, 0.0033),
    (3, 1, 0.006),
    (1, 3, 0.006),
    (3, 2, 0.0006),
    (2, 3, 0.0006),
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
    /// should survive translation; cognates need not). Only the readable path reads it.
    #[cfg(test)]
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
    /// The map between the two subtitle files' times, when they are subtitles on one
    /// timeline ([`super::timing`]).
    time_map: Option<TimeMap>,
    /// When each sentence is shown, for subtitles on one timeline.
    times: Option<BeadTimes>,
    /// The sentence vectors' evidence, when the caller has vectors ([`super::semantic`]).
    semantic: Option<SemanticEvidence<'a>>,
    /// What each interned key is (its weight and unmatched costs depend on it).
    kinds: Vec<KeyKind>,
    /// The languages of the source and the target.
    langs: [Lang; 2],
    options: Options,
}

/// What an interned key is, as [`key_weights`] weighs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    /// A cognate, a glossary word or another key that need not survive translation.
    Plain,
    /// A number or a name (keys `#...`, `=...`): a translation keeps them.
    Number,
    /// A dictionary entry (`~N`).
    Dictionary,
    /// Entry `N` of the learned lexicon (`^N`; `u32::MAX` when the number is unreadable).
    Learned(u32),
}

impl KeyKind {
    /// The kind of key string `key`.
    fn of(key: &str) -> KeyKind {
        if key.starts_with(['#', '=']) {
            KeyKind::Number
        } else if key.starts_with(DICTIONARY_KEY) {
            KeyKind::Dictionary
        } else if let Some(entry) = key.strip_prefix(LEARNED_KEY) {
            KeyKind::Learned(entry.parse().unwrap_or(u32::MAX))
        } else {
            KeyKind::Plain
        }
    }
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

    /// The kind of every key, by number.
    fn kinds(&self) -> Vec<KeyKind> {
        let mut kinds = vec![KeyKind::Plain; self.len()];
        for (key, &id) in &self.ids {
            kinds[id as usize] = KeyKind::of(key);
        }
        kinds
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
        timeline: Option<&Timeline>,
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
                    if let Some(timeline) = timeline {
                        timeline.keys_into(doc.sentences[i].paragraph, &mut keys);
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

    /// This side with the entries of `lexicon` that its sentences hold as keys too, entry `e`
    /// numbered `base + e` (after every key of this side): the other lists are made again by
    /// [`Side::weigh`].
    fn with_entries(self, doc: &SplitDocument, lexicon: &Lexicon, side: usize, base: u32) -> Side {
        use rayon::prelude::*;
        const CHUNK: usize = 2048;
        let n = self.len();
        let starts: Vec<usize> = (0..n).step_by(CHUNK).collect();
        let found: Vec<(Vec<u32>, Vec<usize>)> = starts
            .par_iter()
            .map(|&from| {
                let (mut entries, mut ends) = (Vec::new(), Vec::new());
                for i in from..(from + CHUNK).min(n) {
                    lexicon.entries_into(side, doc.sentence(i), &mut entries);
                    ends.push(entries.len());
                }
                (entries, ends)
            })
            .collect();
        let added: usize = found.iter().map(|(entries, _)| entries.len()).sum();
        let mut keys = Vec::with_capacity(self.keys.len() + added);
        let mut key_start = Vec::with_capacity(n + 1);
        key_start.push(0);
        let mut i = 0;
        for (entries, ends) in &found {
            let mut from = 0;
            for &end in ends {
                // This side's keys are all below `base`: the entries go after them, in order.
                keys.extend_from_slice(self.keys(i));
                keys.extend(entries[from..end].iter().map(|&e| base.saturating_add(e)));
                key_start.push(keys.len());
                from = end;
                i += 1;
            }
        }
        Side {
            keys,
            key_start,
            shared: Vec::new(),
            shared_start: Vec::new(),
            unmatched: Vec::new(),
            common: Default::default(),
            common_start: Default::default(),
            ..self
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
        // Sized once: growing by doubling would hold up to three times the keys at its peak.
        let count = self
            .keys
            .iter()
            .filter(|&&k| weight[k as usize] > 0.0)
            .count();
        let mut shared = Vec::with_capacity(count);
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

/// The most sentences a bead takes from one side.
const MAX_SPAN: usize = 4;

#[cfg(test)]
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

#[cfg(test)]
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
        let timelines = Timeline::pair(src, tgt);
        let [src_time, tgt_time] = match &timelines {
            Some([s, t]) => [Some(s), Some(t)],
            None => [None, None],
        };
        let s = Side::new(src, src_lang, &mut ids, lexicons, src_time, 0);
        let t = Side::new(tgt, tgt_lang, &mut ids, lexicons, tgt_time, 1);
        let time_map = timelines.as_ref().map(|[s, _]| s.map());
        let times = timelines
            .as_ref()
            .map(|lines| BeadTimes::new(lines, [src, tgt], options.params.time_weight));
        let learned = lexicons.iter().copied().find(|l| l.is_learned());
        let kinds = ids.kinds();
        drop(ids);
        let prior_cost = BEADS.iter().map(|&(_, _, p)| -p.ln()).collect();
        // Cue boundaries are where a subtitler cut the line for the screen, not translation
        // units: with the timing as evidence they say nothing more.
        let use_paragraphs = s.paragraphs() > 1 && t.paragraphs() > 1 && timelines.is_none();
        let langs = [src_lang, tgt_lang];
        #[cfg_attr(not(test), allow(unused_variables))]
        let (side, inv_ratio, weight, unmatched, value) =
            weigh_sides([s, t], &kinds, learned, langs, options);
        CostModel {
            src,
            tgt,
            side,
            inv_ratio,
            weight,
            #[cfg(test)]
            unmatched,
            value,
            prior_cost,
            use_paragraphs,
            blocks: None,
            time_map,
            times,
            semantic: None,
            kinds,
            langs,
            options: options.clone(),
        }
    }

    /// This model (built without a learned lexicon) with the entries of `learned` (a lexicon
    /// learned from this pair's first alignment) as keys too, under `options` (a second
    /// pass's): what
    /// [`CostModel::with_lexicon`] gives with `learned` added to the lexicons, without
    /// finding again the keys this model has (numbers, names, cognates, dictionary entries:
    /// the same sentences give the same keys). The learned keys are numbered after this
    /// model's, so the keys of a sentence are ordered otherwise than a model built whole
    /// would order them: the same evidence, summed in another order.
    pub(crate) fn with_learned(self, learned: &Lexicon, options: &Options) -> CostModel<'a> {
        let CostModel {
            src,
            tgt,
            side: [s, t],
            mut kinds,
            blocks,
            time_map,
            times,
            semantic,
            use_paragraphs,
            prior_cost,
            langs,
            ..
        } = self;
        // One learned lexicon is weighed at a time ([`key_weights`]).
        debug_assert!(!kinds.iter().any(|k| matches!(k, KeyKind::Learned(_))));
        let base = u32::try_from(kinds.len()).unwrap_or(u32::MAX);
        let entries = u32::try_from(learned.len()).unwrap_or(u32::MAX - base);
        kinds.extend((0..entries).map(KeyKind::Learned));
        let s = s.with_entries(src, learned, 0, base);
        let t = t.with_entries(tgt, learned, 1, base);
        #[cfg_attr(not(test), allow(unused_variables))]
        let (side, inv_ratio, weight, unmatched, value) =
            weigh_sides([s, t], &kinds, Some(learned), langs, options);
        CostModel {
            src,
            tgt,
            side,
            inv_ratio,
            weight,
            #[cfg(test)]
            unmatched,
            value,
            prior_cost,
            use_paragraphs,
            blocks,
            time_map,
            times,
            semantic,
            kinds,
            langs,
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

    /// Counts the similarity of sentence vectors as evidence ([`super::semantic`]): `src`
    /// and `tgt` hold one row per sentence of each side, of one dimension (checked by
    /// [`crate::read::vectors::PairVectors::mismatch`]), and a bead is worth up to [`Params::embedding_weight`] nats.
    pub fn with_vectors(mut self, src: &'a SentenceVectors, tgt: &'a SentenceVectors) -> Self {
        let weight = self.options.params.embedding_weight;
        self.semantic = Some(SemanticEvidence::new(src, tgt, weight));
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
    pub(crate) fn options_band(&self) -> usize {
        self.options.band
    }

    /// The tunables the model was built with.
    pub(crate) fn params(&self) -> &Params {
        &self.options.params
    }

    /// What the scorer divides bead costs by before summing paths:
    /// [`Params::embedding_temperature`] when sentence vectors count, else 1.
    pub(crate) fn score_temperature(&self) -> f64 {
        match self.semantic {
            Some(_) => self.options.params.embedding_temperature,
            None => 1.0,
        }
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

    /// The time term of a bead with sentences on both sides: 0 unless the documents are
    /// subtitles on one timeline ([`BeadTimes::cost`]).
    #[inline]
    pub(crate) fn time_cost(&self, i: usize, a: usize, j: usize, b: usize) -> f64 {
        self.times.as_ref().map_or(0.0, |t| t.cost(i, a, j, b))
    }

    /// The map between the two files' times when they are subtitles aligned on their shared
    /// timeline, `None` otherwise.
    pub fn time_map(&self) -> Option<TimeMap> {
        self.time_map
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
}

/// The two sides with their keys weighed, and what the model keeps of the weighing: the
/// inverse length ratio (from `options`, else the documents' character counts), the keys'
/// weights ([`key_weights`]), their unmatched costs and their values (weight plus both
/// unmatched costs).
#[allow(clippy::type_complexity)]
fn weigh_sides(
    mut side: [Side; 2],
    kinds: &[KeyKind],
    learned: Option<&Lexicon>,
    langs: [Lang; 2],
    options: &Options,
) -> ([Side; 2], f64, Vec<f32>, [Vec<f32>; 2], Vec<f32>) {
    let [s, t] = &side;
    let ratio = options
        .length_ratio
        .filter(|r| r.is_finite() && *r > 0.0)
        .unwrap_or_else(|| {
            length_ratio(s.chars(0, s.len()), t.chars(0, t.len()), langs[0], langs[1])
        });
    let (weight, unmatched) = key_weights(s, t, kinds, learned, &options.params);
    side[0].weigh(&weight, &unmatched[0]);
    side[1].weigh(&weight, &unmatched[1]);
    let value = weight
        .iter()
        .zip(unmatched[0].iter().zip(&unmatched[1]))
        .map(|(&w, (&u, &v))| w + u + v)
        .collect();
    (side, 1.0 / ratio, weight, unmatched, value)
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
/// inverse document frequency exceeds [`Params::dictionary_idf_floor`] by: entries are dense
/// (25-60 a sentence from FreeDict) and a word has several translations and senses, so a common
/// word must say nothing and a rare one less than a shared number or name, or wide beads gather
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
    kinds: &[KeyKind],
    learned: Option<&Lexicon>,
    params: &Params,
) -> (Vec<f32>, [Vec<f32>; 2]) {
    let keys = kinds.len();
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
    let mut weight: Vec<f32> = ds
        .iter()
        .zip(&dt)
        .zip(kinds)
        .map(|((&a, &b), &kind)| {
            let entry = kind == KeyKind::Dictionary;
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
    for (id, &kind) in kinds.iter().enumerate() {
        if kind == KeyKind::Number {
            let own = if ds[id] > 0 {
                idf(n, ds[id])
            } else {
                idf(m, dt[id])
            };
            let cost = (0.5 * own).clamp(0.0, params.max_unmatched) as f32;
            unmatched[0][id] = cost;
            unmatched[1][id] = cost;
        } else if let KeyKind::Learned(entry) = kind {
            let retention = learned.and_then(|l| l.retention(entry as usize));
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
