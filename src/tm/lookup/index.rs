//! The [`Index`]: units' source tokens in one flat vector, an inverted index from lower-cased
//! token to the units holding it, and prefix filtering over the rarest query tokens to find the
//! candidates worth scoring (see the [module docs](super) for why the bound holds); what a
//! match shows of a unit is kept in one flat string.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use super::score::{distance, Scored, Work, DP_SCALE};
use super::store::Kept;
use super::token::{tokenize, weight, Class, Tok, Vocab, NONE};
use super::{Entry, LookupOptions, Match, Side};
use crate::unit::{same_lang, Header, Piece, Segment, Unit};

/// The thresholds a lookup tries before the one asked for, highest first.
///
/// Why a tier loses nothing: results are ordered by percent first, so when at least
/// `max_results` units reach `t` percent, the best `max_results` of all units reaching the
/// asked minimum `m <= t` are all among those reaching `t`, in the same order (the order
/// within a percent does not depend on the threshold): the answer at `t` is the answer at
/// `m`. When fewer reach `t`, the next tier (finally `m` itself) is searched. A high threshold
/// needs only the rarest query tokens' lists for its candidates and stops scoring early, so
/// the costly case — a short query of common words, shared by tens of thousands of units,
/// most of them near matches — is answered from the first tier; a query with few good
/// matches pays for the failed tiers, which are cheap for the same reason. A property test
/// (`index_agrees_with_full_scan`) checks the answers against a full scan.
const TIERS: [u8; 2] = [90, 70];

/// "No target" in [`Record::langs`].
pub(super) const NO_LANG: u16 = u16::MAX;

/// Per unit: what [`Entry`] is rebuilt from. The unit's strings lie one after another in
/// [`Index::text`] from `at`: tuid, source text, source markup, target text, target markup.
#[derive(Debug, Clone, Copy)]
pub(super) struct Record {
    pub(super) number: u64,
    pub(super) at: usize,
    /// Byte lengths of the five strings, in that order (markup: 0 when not kept).
    pub(super) lens: [u32; 5],
    /// Interned source and target language (`NO_LANG`: no target).
    pub(super) langs: [u16; 2],
    pub(super) has_tuid: bool,
}

/// A fuzzy-match index over the source side of translation units; see the [module docs](super).
///
/// ```
/// use bitext::tm::lookup::{Index, LookupOptions};
/// use bitext::unit::{Header, Segment, Unit, Variant};
/// let variant = |lang: &str, text: &str| Variant::new(lang, Segment::from_text(text));
/// let unit = Unit::new(1, 1, vec![
///     variant("en", "Press the red button twice."),
///     variant("ru", "Нажмите красную кнопку дважды."),
/// ]);
/// let header = Header { srclang: Some("en".into()), ..Header::default() };
/// let index = Index::build([unit], &header, None);
/// let found = index.lookup("Press the green button twice.", &LookupOptions::default());
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].percent, 80); // 5 words and a full stop, one word changed
/// let target = found[0].unit.target.unwrap();
/// assert_eq!((target.lang, target.text), ("ru", "Нажмите красную кнопку дважды."));
/// ```
#[derive(Debug)]
pub struct Index {
    /// The source language given explicitly, else each unit's own.
    pub(super) source_lang: Option<String>,
    pub(super) vocab: Vocab,
    /// Per unit: its number, languages and where its strings lie in `text`.
    pub(super) records: Vec<Record>,
    /// Every kept unit's strings, one after another (see [`Record`]), UTF-8: in memory, or
    /// left in an index file until a match shows them ([`Kept`]).
    pub(super) text: Kept,
    /// Interned language tags, as written, and their ids.
    pub(super) langs: Vec<Box<str>>,
    pub(super) lang_ids: FxHashMap<Box<str>, u16>,
    /// Per unit: where its tokens start in `tokens` (one more entry than units).
    pub(super) starts: Vec<usize>,
    /// All units' source tokens, one after another.
    pub(super) tokens: Vec<u32>,
    /// Per unit: the weight of its source tokens (quarter words).
    pub(super) weights: Vec<u32>,
    /// Per lower-cased token id: the units holding it, ascending, each once; as ranks (see
    /// [`Index::by_weight`]) once the index is ranked, as ordinals before.
    pub(super) postings: Vec<Vec<u32>>,
    /// Per lower-cased token held `k >= 2` times by some unit: the id in `repeat_lists` of the
    /// list of units holding it at least `k` times. A query holding a token `q` times shares
    /// `min(q, c)` of a unit's `c`: one per list `1..=q` the unit is on, so the bound counts
    /// repeated words exactly, and a query repeating a common word (`to ... to ... to`) finds
    /// its candidates on the short lists of units repeating it as often.
    pub(super) repeat_ids: FxHashMap<(u32, u32), u32>,
    /// The lists `repeat_ids` names, like `postings`.
    pub(super) repeat_lists: Vec<Vec<u32>>,
    /// Per rank: the unit's ordinal, units ranked by source weight, then ordinal. The index is
    /// ranked when this holds every unit ([`Index::finish`]; an index file is read ranked):
    /// then a posting list's units of the weights a lookup can match are one slice of it.
    pub(super) by_weight: Vec<u32>,
    /// Units not indexed (no source variant, or the index is full).
    pub(super) skipped: u64,
}

thread_local! {
    /// Per-thread scratch: a bound accumulator per unit, all zero between lookups.
    static SCRATCH: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// The query, tokenised against the index's vocabulary.
struct Query {
    toks: Vec<Tok>,
    weight: u32,
    plain: String,
}

impl Index {
    /// An index over the `source`-language side of units (source = each unit's
    /// `source_lang(header)`, or `lang` given explicitly).
    pub fn new(source_lang: Option<String>) -> Index {
        Index {
            source_lang,
            vocab: Vocab::default(),
            records: Vec::new(),
            text: Kept::Memory(Vec::new()),
            langs: Vec::new(),
            lang_ids: FxHashMap::default(),
            starts: vec![0],
            tokens: Vec::new(),
            weights: Vec::new(),
            postings: Vec::new(),
            repeat_ids: FxHashMap::default(),
            repeat_lists: Vec::new(),
            by_weight: Vec::new(),
            skipped: 0,
        }
    }

    /// Adds a unit; false when it has no source variant (then it is counted in
    /// [`Index::skipped`] and not kept). The source variant is the first whose language is the
    /// source language (or, failing that, shares its primary subtag: `en` finds `en-US`); with
    /// no source language known (`*all*`) the first variant. The target is the first variant
    /// in another language (else the first other variant).
    pub fn add(&mut self, unit: Unit, header: &Header) -> bool {
        let lang = self
            .source_lang
            .as_deref()
            .or_else(|| unit.source_lang(header));
        let Some(src) = source_variant(&unit, lang) else {
            self.skipped += 1;
            return false;
        };
        let src_lang = unit.variants[src].lang.as_str();
        let tgt = (0..unit.variants.len())
            .find(|&i| i != src && !same_lang(&unit.variants[i].lang, src_lang))
            .or_else(|| (0..unit.variants.len()).find(|&i| i != src));
        let Ok(ordinal) = u32::try_from(self.records.len()) else {
            self.skipped += 1;
            return false;
        };
        // The lists take ordinals again until the next `finish`.
        self.unrank();
        let mark = self.tokens.len();
        let mut total = 0u32;
        let mut full = false;
        {
            let vocab = &mut self.vocab;
            let tokens = &mut self.tokens;
            tokenize(
                &unit.variants[src].segment,
                &mut |text, class| match vocab.intern(text, class) {
                    Some(id) => {
                        tokens.push(id);
                        total = total.saturating_add(weight(class));
                    }
                    None => full = true,
                },
            );
        }
        let record = if full {
            None
        } else {
            self.keep(&unit, src, tgt)
        };
        let Some(record) = record else {
            self.tokens.truncate(mark);
            self.skipped += 1;
            return false;
        };
        // The k-th of equal lower-cased tokens goes on the token's k-th list.
        let mut folds: Vec<u32> = self.tokens[mark..]
            .iter()
            .map(|&id| self.vocab.tok(id))
            .filter(|tok| tok.class != Class::Tag)
            .map(|tok| tok.fold)
            .collect();
        folds.sort_unstable();
        let mut k = 0u32;
        for (i, &f) in folds.iter().enumerate() {
            k = if i > 0 && folds[i - 1] == f { k + 1 } else { 1 };
            let list = if k == 1 {
                let f = f as usize;
                if self.postings.len() <= f {
                    self.postings.resize_with(f + 1, Vec::new);
                }
                &mut self.postings[f]
            } else {
                let next = self.repeat_lists.len() as u32;
                let id = *self.repeat_ids.entry((f, k)).or_insert(next);
                if id == next {
                    self.repeat_lists.push(Vec::new());
                }
                &mut self.repeat_lists[id as usize]
            };
            list.push(ordinal);
        }
        self.starts.push(self.tokens.len());
        self.weights.push(total);
        self.records.push(record);
        true
    }

    /// Appends what a match shows of `unit` (variants `src` and `tgt`) to [`Index::text`];
    /// `None`, with nothing appended, when a string is longer than 4 GiB or the unit brings a
    /// 65,536th language tag.
    fn keep(&mut self, unit: &Unit, src: usize, tgt: Option<usize>) -> Option<Record> {
        let text = self.text.memory().ok()?;
        let at = text.len();
        let mut lens = [0u32; 5];
        let mut push = |text: &mut Vec<u8>, i: usize, s: &str| -> Option<()> {
            lens[i] = u32::try_from(s.len()).ok()?;
            text.extend_from_slice(s.as_bytes());
            Some(())
        };
        let mut langs = [NO_LANG; 2];
        let stored = (|| {
            push(text, 0, unit.tuid.as_deref().unwrap_or(""))?;
            for (side, variant) in [Some(src), tgt].into_iter().enumerate() {
                let Some(v) = variant.and_then(|v| unit.variants.get(v)) else {
                    continue;
                };
                langs[side] = intern_lang(&mut self.langs, &mut self.lang_ids, &v.lang)?;
                push(text, 1 + 2 * side, &v.segment.plain_text())?;
                if v.segment.pieces.iter().any(|p| matches!(p, Piece::Tag(_))) {
                    push(text, 2 + 2 * side, &v.segment.to_xml())?;
                }
            }
            Some(())
        })();
        if stored.is_none() {
            text.truncate(at);
            return None;
        }
        Some(Record {
            number: unit.number,
            at,
            lens,
            langs,
            has_tuid: unit.tuid.is_some(),
        })
    }

    /// An index over `units` (see [`Index::new`] and [`Index::add`]), its lists trimmed.
    pub fn build(
        units: impl IntoIterator<Item = Unit>,
        header: &Header,
        source_lang: Option<String>,
    ) -> Index {
        let mut index = Index::new(source_lang);
        for unit in units {
            index.add(unit, header);
        }
        index.finish();
        index
    }

    /// Ranks the units by weight (see [`Index::by_weight`]) and releases the spare capacity of
    /// the index's vectors: to be called after the last [`Index::add`]. An index not finished
    /// answers the same, only slower.
    pub(crate) fn finish(&mut self) {
        self.rank();
        self.records.shrink_to_fit();
        if let Kept::Memory(text) = &mut self.text {
            text.shrink_to_fit();
        }
        self.starts.shrink_to_fit();
        self.tokens.shrink_to_fit();
        self.weights.shrink_to_fit();
        for list in self.postings.iter_mut().chain(&mut self.repeat_lists) {
            list.shrink_to_fit();
        }
        self.postings.shrink_to_fit();
        self.repeat_lists.shrink_to_fit();
        self.repeat_ids.shrink_to_fit();
        self.by_weight.shrink_to_fit();
    }

    /// True when the posting lists hold ranks (see [`Index::by_weight`]).
    fn is_ranked(&self) -> bool {
        self.by_weight.len() == self.records.len()
    }

    /// Ranks the units by weight and rewrites the posting lists in ranks.
    fn rank(&mut self) {
        if self.is_ranked() {
            return;
        }
        self.by_weight = ranks_by_weight(&self.weights);
        let rank_of = rank_of(&self.by_weight);
        for list in self.postings.iter_mut().chain(&mut self.repeat_lists) {
            in_ranks(list, &rank_of);
        }
    }

    /// The posting lists and the repeated tokens' lists in ranks, as a finished index holds
    /// them (what an index file keeps).
    pub(super) fn ranked_lists(&self) -> [std::borrow::Cow<'_, [Vec<u32>]>; 2] {
        use std::borrow::Cow;
        if self.is_ranked() {
            return [
                Cow::Borrowed(&self.postings),
                Cow::Borrowed(&self.repeat_lists),
            ];
        }
        let rank_of = rank_of(&ranks_by_weight(&self.weights));
        [&self.postings, &self.repeat_lists].map(|lists| {
            let mut lists = lists.clone();
            for list in &mut lists {
                in_ranks(list, &rank_of);
            }
            Cow::Owned(lists)
        })
    }

    /// Rewrites ranked posting lists in ordinals again (before a unit is added).
    fn unrank(&mut self) {
        if self.by_weight.is_empty() || !self.is_ranked() {
            return;
        }
        for list in self.postings.iter_mut().chain(&mut self.repeat_lists) {
            for u in list.iter_mut() {
                *u = self.by_weight[*u as usize];
            }
            list.sort_unstable();
        }
        self.by_weight = Vec::new();
    }

    /// The unit a posting names: its ordinal.
    fn ordinal_of(&self, posted: u32) -> u32 {
        if self.is_ranked() {
            self.by_weight[posted as usize]
        } else {
            posted
        }
    }

    /// The postings that can name a unit reaching `min` percent of a query of weight `wq`:
    /// with `Wc` the unit's weight, `percent <= 100 min(Wq, Wc) / max(Wq, Wc)` (what the two
    /// share is at most the lighter of them; see the module docs), so `Wc` lies in
    /// `[min Wq / 100, 100 Wq / min]`: a range of ranks once ranked, everything before.
    fn posted_range(&self, wq: u64, min: u64) -> std::ops::Range<u32> {
        let all = 0..u32::try_from(self.records.len()).unwrap_or(u32::MAX);
        if !self.is_ranked() || min == 0 {
            return all;
        }
        let lightest = (min * wq).div_ceil(100);
        let heaviest = 100 * wq / min;
        let weight = |&o: &u32| u64::from(self.weights[o as usize]);
        let from = self.by_weight.partition_point(|o| weight(o) < lightest);
        let to = self.by_weight.partition_point(|o| weight(o) <= heaviest);
        let rank = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        rank(from)..rank(to.max(from))
    }

    /// The number of units held.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when no unit is held.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The number of units [`Index::add`] refused (no source variant).
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// What the index kept of the unit at `ordinal` (as in [`Match::ordinal`]).
    pub fn unit(&self, ordinal: usize) -> Option<Entry<'_>> {
        let (r, all) = self.record_text(ordinal)?;
        let mut at = 0;
        let mut strs = [""; 5];
        for (s, &len) in strs.iter_mut().zip(&r.lens) {
            let end = at + len as usize;
            *s = all.get(at..end)?;
            at = end;
        }
        let [tuid, src_text, src_markup, tgt_text, tgt_markup] = strs;
        Some(Entry {
            number: r.number,
            tuid: r.has_tuid.then_some(tuid),
            source: self.side(r.langs[0], src_text, src_markup)?,
            target: match r.langs[1] {
                NO_LANG => None,
                lang => self.side(lang, tgt_text, tgt_markup),
            },
        })
    }

    /// Unit `ordinal`'s record and its five strings in one; `None` when the kept text cannot
    /// give them (only in a damaged index file).
    fn record_text(&self, ordinal: usize) -> Option<(&Record, &str)> {
        let r = self.records.get(ordinal)?;
        let total = r.lens.iter().map(|&l| l as usize).sum::<usize>();
        let text = self.text.unit(ordinal, r.at, r.at.checked_add(total)?)?;
        Some((r, text))
    }

    fn side<'a>(&'a self, lang: u16, text: &'a str, markup: &'a str) -> Option<Side<'a>> {
        Some(Side {
            lang: self.langs.get(usize::from(lang))?,
            text,
            markup: (!markup.is_empty()).then_some(markup),
        })
    }

    /// The bytes the index takes on the heap: the lookup structures (tokens, lists,
    /// vocabulary) and what it keeps of the units (see [`Index::kept_bytes`]), for reports.
    #[doc(hidden)]
    // Public only for benches/tm.rs, which reports the index's memory; not for library users.
    pub fn index_bytes(&self) -> usize {
        let vocab_strings: usize = self.vocab.exact.keys().map(|k| k.len()).sum::<usize>()
            + self.vocab.folded.keys().map(|k| k.len()).sum::<usize>();
        let map_entry = std::mem::size_of::<(Box<str>, u32)>() + 1;
        self.kept_bytes()
            + self.starts.capacity() * std::mem::size_of::<usize>()
            + self.tokens.capacity() * 4
            + self.weights.capacity() * 4
            + (self.postings.capacity() + self.repeat_lists.capacity())
                * std::mem::size_of::<Vec<u32>>()
            + self
                .postings
                .iter()
                .chain(&self.repeat_lists)
                .map(|l| l.capacity() * 4)
                .sum::<usize>()
            + self.repeat_ids.capacity() * (std::mem::size_of::<((u32, u32), u32)>() + 1)
            + self.by_weight.capacity() * 4
            + vocab_strings
            + (self.vocab.exact.capacity() + self.vocab.folded.capacity()) * map_entry
            + self.vocab.fold_of.capacity() * 4
            + self.vocab.class_of.capacity()
    }

    /// The part of [`Index::index_bytes`] that keeps the units' numbers, tuids, languages and
    /// segments (per-unit records and the text they point into).
    #[doc(hidden)]
    // Public only for benches/tm.rs, which reports the index's memory; not for library users.
    pub fn kept_bytes(&self) -> usize {
        let lang_strings: usize = self.langs.iter().map(|l| 2 * l.len()).sum();
        self.records.capacity() * std::mem::size_of::<Record>()
            + self.text.heap_bytes()
            + lang_strings
            + self.langs.capacity() * std::mem::size_of::<Box<str>>()
            + self.lang_ids.capacity() * (std::mem::size_of::<(Box<str>, u16)>() + 1)
    }

    /// The best matches for a plain-text query, best first.
    pub fn lookup(&self, query: &str, options: &LookupOptions) -> Vec<Match<'_>> {
        self.lookup_segment(&Segment::from_text(query), options)
    }

    /// The best matches for a segment with inline tags, best first.
    pub(crate) fn lookup_segment(
        &self,
        query: &Segment,
        options: &LookupOptions,
    ) -> Vec<Match<'_>> {
        let min = u64::from(options.min_percent.max(1));
        if options.max_results == 0 || min > 100 {
            return Vec::new();
        }
        let query = self.query(query);
        if query.weight == 0 {
            return Vec::new();
        }
        // Tiers: first only matches of at least `tier` percent; when `max_results` of them
        // are found the answer is final (see `TIERS`), else the next, lower tier.
        for tier in TIERS.iter().map(|&t| u64::from(t)).filter(|&t| t > min) {
            let best = self.best(&query, tier, options.max_results);
            if best.len() == options.max_results {
                return best.iter().filter_map(|s| self.to_match(s)).collect();
            }
        }
        let best = self.best(&query, min, options.max_results);
        best.iter().filter_map(|s| self.to_match(s)).collect()
    }

    /// The best `max_results` (or fewer) units scoring at least `min` percent, best first.
    fn best(&self, query: &Query, min: u64, max_results: usize) -> Vec<Scored> {
        let candidates = self.candidates(query, min);
        let mut best: Vec<Scored> = Vec::new();
        let mut floor = min;
        let mut work = Work::default();
        for (bound, ordinal) in candidates {
            if u64::from(bound) < floor {
                break;
            }
            let Some(scored) = self.score(query, ordinal, floor, &mut work) else {
                continue;
            };
            if u64::from(scored.percent) < min {
                continue;
            }
            let at = best
                .iter()
                .position(|b| scored.before(b))
                .unwrap_or(best.len());
            if at < max_results {
                best.insert(at, scored);
                best.truncate(max_results);
                if best.len() == max_results {
                    floor = floor.max(best.last().map_or(0, |b| u64::from(b.percent)));
                }
            }
        }
        best
    }

    /// Tokenises a query segment.
    fn query(&self, segment: &Segment) -> Query {
        let mut toks = Vec::new();
        let mut total = 0u32;
        tokenize(segment, &mut |text, class| {
            toks.push(self.vocab.query(text, class));
            total = total.saturating_add(weight(class));
        });
        Query {
            toks,
            weight: total,
            plain: segment.plain_text(),
        }
    }

    /// Units that may reach `min` percent, with an upper bound of their percent, best bound
    /// first (ties by ordinal).
    fn candidates(&self, query: &Query, min: u64) -> Vec<(u8, u32)> {
        // Lower-cased text tokens with their weight; the k-th of equal ones is looked up on
        // the token's k-th list (see `Index::repeat_ids`), the heaviest first.
        let mut terms: Vec<(u32, u32)> = query
            .toks
            .iter()
            .filter(|t| t.class != Class::Tag)
            .map(|t| (t.fold, weight(t.class)))
            .collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let wq = u64::from(query.weight);
        // Only units of a weight that can reach `min`: one slice of each ranked list.
        let range = self.posted_range(wq, min);
        let within = |list: &'_ [u32]| -> std::ops::Range<usize> {
            list.partition_point(|&u| u < range.start)..list.partition_point(|&u| u < range.end)
        };
        let mut merged: Vec<((u32, u32), u32, &[u32])> = Vec::with_capacity(terms.len());
        let mut k = 0u32;
        for (i, &(fold, w)) in terms.iter().enumerate() {
            k = if i > 0 && terms[i - 1].0 == fold {
                k + 1
            } else {
                1
            };
            let list: &[u32] = match (fold, k) {
                (NONE, _) => &[],
                (_, 1) => self.postings.get(fold as usize).map_or(&[], Vec::as_slice),
                _ => self
                    .repeat_ids
                    .get(&(fold, k))
                    .and_then(|&id| self.repeat_lists.get(id as usize))
                    .map_or(&[], Vec::as_slice),
            };
            merged.push(((fold, k), w, &list[within(list)]));
        }
        // Rarest first (within the weight range): NONE (never seen) tokens have empty lists
        // and come first for free.
        merged.sort_by_key(|&(key, _, list)| (list.len(), key));
        let need = min * wq; // a candidate needs 100 * S >= min * Wq
        let mut rest = wq;
        let mut prefix = 0;
        while prefix < merged.len() && 100 * rest >= need {
            rest = rest.saturating_sub(u64::from(merged[prefix].1));
            prefix += 1;
        }
        SCRATCH.with(|cell| {
            let mut acc = cell.borrow_mut();
            if acc.len() < self.records.len() {
                acc.resize(self.records.len(), 0);
            }
            let mut cands: Vec<u32> = Vec::new();
            for &(_, w, list) in &merged[..prefix] {
                for &u in list {
                    let a = &mut acc[u as usize];
                    if *a == 0 {
                        cands.push(u);
                    }
                    *a = a.saturating_add(w);
                }
            }
            // Sorted only when a list is galloped through (retain keeps the order after); the
            // answer is ordered by bound below whatever the candidates' order.
            let mut sorted = false;
            // Refine the bound with the common tokens' lists, dropping hopeless candidates.
            for &(_, w, list) in &merged[prefix..] {
                if cands.is_empty() {
                    break;
                }
                rest = rest.saturating_sub(u64::from(w));
                if gallop_is_cheaper(cands.len(), list.len()) {
                    if !sorted {
                        cands.sort_unstable();
                        sorted = true;
                    }
                    let mut from = 0;
                    for &c in &cands {
                        from = gallop(list, from, c);
                        if list.get(from) == Some(&c) {
                            let a = &mut acc[c as usize];
                            *a = a.saturating_add(w);
                        }
                    }
                } else {
                    for &u in list {
                        let a = &mut acc[u as usize];
                        if *a != 0 {
                            *a = a.saturating_add(w);
                        }
                    }
                }
                cands.retain(|&c| {
                    let a = &mut acc[c as usize];
                    let keep = 100 * (u64::from(*a) + rest) >= need;
                    if !keep {
                        *a = 0;
                    }
                    keep
                });
            }
            let mut out = Vec::with_capacity(cands.len());
            for &c in &cands {
                let a = &mut acc[c as usize];
                let shared = u64::from(*a);
                *a = 0;
                let ordinal = self.ordinal_of(c);
                let wc = u64::from(self.weights[ordinal as usize]);
                let l = wq.max(wc);
                let bound = (100 * shared.min(wc) / l).min(100);
                if bound >= min {
                    out.push((bound as u8, ordinal));
                }
            }
            out.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            out
        })
    }

    /// The match of unit `ordinal` against the query; `None` when it has no text tokens or
    /// cannot reach `floor` percent (the edit distance stops as soon as that is certain).
    fn score(&self, query: &Query, ordinal: u32, floor: u64, work: &mut Work) -> Option<Scored> {
        let o = ordinal as usize;
        let wc = *self.weights.get(o)?;
        let l = u64::from(query.weight.max(wc)) * DP_SCALE;
        if l == 0 {
            return None;
        }
        work.cand.clear();
        work.cand.extend(
            self.tokens[self.starts[o]..self.starts[o + 1]]
                .iter()
                .map(|&id| self.vocab.tok(id)),
        );
        // percent >= floor  <=>  100 (L - D) >= floor L  <=>  D <= L - ceil(floor L / 100).
        let max_d = match floor {
            0 => u64::MAX,
            f => l.saturating_sub((f.min(100) * l).div_ceil(100)),
        };
        let d = distance(&query.toks, &work.cand, l / 100, max_d, &mut work.rows)?;
        let num = l.saturating_sub(d);
        let mut percent = (100 * num / l).min(100) as u8;
        if d > 0 {
            percent = percent.min(99);
        } else if self.source_text(o) != Some(query.plain.as_str()) {
            percent = 99;
        }
        Some(Scored {
            ordinal,
            percent,
            num,
            den: l,
        })
    }

    /// The plain text of unit `ordinal`'s source segment.
    fn source_text(&self, ordinal: usize) -> Option<&str> {
        let (r, all) = self.record_text(ordinal)?;
        let from = r.lens[0] as usize;
        all.get(from..from + r.lens[1] as usize)
    }

    fn to_match(&self, s: &Scored) -> Option<Match<'_>> {
        let ordinal = s.ordinal as usize;
        Some(Match {
            percent: s.percent,
            ordinal,
            unit: self.unit(ordinal)?,
        })
    }

    /// Every unit scored, sorted like [`Index::lookup_segment`]'s results: the full scan the
    /// index must agree with.
    #[cfg(test)]
    fn scan(&self, query: &Segment, options: &LookupOptions) -> Vec<Match<'_>> {
        let min = u64::from(options.min_percent.max(1));
        let query = self.query(query);
        if query.weight == 0 || min > 100 {
            return Vec::new();
        }
        let mut work = Work::default();
        let mut all: Vec<Scored> = (0..self.records.len() as u32)
            .filter_map(|o| self.score(&query, o, 0, &mut work))
            .filter(|s| u64::from(s.percent) >= min)
            .collect();
        all.sort_by(|a, b| {
            if a.before(b) {
                std::cmp::Ordering::Less
            } else if b.before(a) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        });
        all.truncate(options.max_results);
        all.iter().filter_map(|s| self.to_match(s)).collect()
    }
}

/// The id of language tag `lang` in `langs`, interning it; `None` once `u16` ids run out.
fn intern_lang(
    langs: &mut Vec<Box<str>>,
    ids: &mut FxHashMap<Box<str>, u16>,
    lang: &str,
) -> Option<u16> {
    if let Some(&id) = ids.get(lang) {
        return Some(id);
    }
    let id = u16::try_from(langs.len()).ok().filter(|&i| i < NO_LANG)?;
    langs.push(lang.into());
    ids.insert(lang.into(), id);
    Some(id)
}

/// The index of the unit's source variant for language `lang` (`None`: the first variant).
fn source_variant(unit: &Unit, lang: Option<&str>) -> Option<usize> {
    let Some(lang) = lang else {
        return (!unit.variants.is_empty()).then_some(0);
    };
    if let Some(i) = unit.variants.iter().position(|v| same_lang(&v.lang, lang)) {
        return Some(i);
    }
    let primary = |l: &str| {
        l.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let want = primary(lang);
    unit.variants
        .iter()
        .position(|v| !want.is_empty() && primary(&v.lang) == want)
}

/// The ordinals `0..weights.len()` ordered by their weight, then ordinal.
pub(super) fn ranks_by_weight(weights: &[u32]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..u32::try_from(weights.len()).unwrap_or(u32::MAX)).collect();
    // Stable: equal weights keep their ordinal order.
    order.sort_by_key(|&o| weights[o as usize]);
    order
}

/// Per ordinal: its rank in `by_weight`.
fn rank_of(by_weight: &[u32]) -> Vec<u32> {
    let mut rank_of = vec![0u32; by_weight.len()];
    for (rank, &ordinal) in (0u32..).zip(by_weight) {
        rank_of[ordinal as usize] = rank;
    }
    rank_of
}

/// Rewrites a posting list of ordinals in ranks, ascending.
fn in_ranks(list: &mut [u32], rank_of: &[u32]) {
    for u in list.iter_mut() {
        *u = rank_of[*u as usize];
    }
    list.sort_unstable();
}

/// True when looking each of `n` sorted candidates up in a list of `len` costs less than
/// scanning the list.
fn gallop_is_cheaper(n: usize, len: usize) -> bool {
    let per = (usize::BITS - (len / n.max(1)).leading_zeros()) as usize + 1;
    n.saturating_mul(per).saturating_mul(2) < len
}

/// The first position at or after `from` whose value is >= `x` (exponential then binary search).
fn gallop(list: &[u32], from: usize, x: u32) -> usize {
    let mut lo = from;
    let mut step = 1;
    let mut hi = from;
    while hi < list.len() && list[hi] < x {
        lo = hi + 1;
        hi = hi.saturating_add(step);
        step *= 2;
    }
    let hi = hi.min(list.len());
    lo + list[lo..hi].partition_point(|&v| v < x)
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
