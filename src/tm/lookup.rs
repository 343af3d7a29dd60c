//! Fuzzy-match lookup in a translation memory (`bitext tm lookup`): an in-memory [`Index`] over
//! the source side of [`Unit`]s that returns the best matches for a sentence with a match
//! percentage computed the way CAT tools compute it.
//!
//! # The match percentage
//!
//! Both segments are cut into tokens: words (letters, digits and combining marks, with an
//! apostrophe inside a word kept: `don't`), numbers (digits with `.`/`,` between digits:
//! `1,000.50`), every punctuation or symbol character on its own, every CJK ideograph or kana on
//! its own, and every inline tag (`bpt`, `ept`, `it`, `ph`, `ut` as one token named by element
//! and native code; `hi`, `sub` and other wrappers as an opening and a closing token around
//! their content). Text is NFC-normalised first. Each token has a weight: words and numbers 1,
//! punctuation 1/4, tags 0. With `Wq`, `Wc` the weights of the query and the candidate and
//! `L = max(Wq, Wc)`, the weighted token edit distance `D` uses
//!
//! - insert or delete a word or number: 1; punctuation: 1/4; a tag: `L/100`;
//! - substitute two tokens equal once lower-cased (`The`/`the`): 0.2; two different tags:
//!   `L/100`; a tag for a text token: the text token's weight + `L/100`; otherwise the larger
//!   of the two weights (a changed number costs a full word, like a changed word);
//!
//! and `percent = floor(100 * (L - D) / L)`. So a tag difference costs exactly one point
//! whatever the length (Okapi charges a fixed 0.5 per code), a case-only difference 0.2 of a
//! word (Okapi: a fixed -2; OmegaT ignores case), punctuation a quarter of a word, and a
//! changed word or number in a ten-word sentence gives 90. 100 means the same tokens, tags
//! included, and the same plain text; tokens equal but whitespace different gives 99, so there
//! are no false 100s. Segments without text tokens (empty, tags only) never match.
//!
//! Sources (read, not copied): OmegaT `FuzzyMatcher.calcSimilarity` (100 x (max(n,m) - LD) /
//! max(n,m) over a token Levenshtein distance; `FindMatches` scores words with and without stems
//! and then "all tokens incl. numbers and tags"); translate-toolkit `search/lshtein.py` and
//! `search/match.py` (100 - 100 x distance / longer length; length window
//! `[len x min, len / min]`; the minimum rises to the worst of the kept best); Okapi Pensieve
//! `PensieveSeeker` (n-gram Dice candidates, -2 for case/whitespace-only, -0.5 per code count
//! difference). bitext keeps OmegaT's token Levenshtein and normalisation by the longer side,
//! and replaces its three separate scores by one weighted distance carrying Okapi's penalties.
//!
//! # The index
//!
//! Tokens are interned as `u32` ids; each unit's source tokens live in one flat `Vec<u32>`;
//! an inverted index maps each lower-cased token to the sorted list of units holding it.
//! Because every query token that is not matched (up to case) costs at least its weight,
//! `D >= L - S` where `S` is the weight of the tokens shared by both (as multisets), so
//! `percent <= 100 S / L`. A lookup with threshold `p` therefore only needs units holding at
//! least one token of the query's *rarest* tokens whose weight exceeds `(1 - p/100) Wq`
//! (prefix filtering): those posting lists give the candidates, the remaining (common) tokens'
//! lists only refine each candidate's bound `S` (dropping those that can no longer reach `p`),
//! and the edit distance is computed for candidates in order of their bound until the bound
//! falls below the worst kept result. The results are exactly those of a full scan (a property
//! test checks it): sorted by percent, then by the unrounded similarity, then by the order the
//! units were added.
//!
//! The index does not keep the [`Unit`]s (a parsed unit with its props, notes and segment trees
//! takes over a kilobyte): per unit it keeps a small record (unit number, interned source and
//! target language tags, lengths) and, in one flat string, the `tuid` and the plain text of the
//! source and target segments, plus their markup only when they hold inline tags (else the
//! markup is the escaped text). A [`Match`] borrows its [`Entry`] from there.

use std::borrow::Cow;
use std::cell::RefCell;

use rustc_hash::FxHashMap;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::text::xml::escape_text;
use crate::unit::{same_lang, Header, Piece, Segment, Unit};

/// How many matches to return and how good they must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookupOptions {
    /// At most this many matches (default 5).
    pub max_results: usize,
    /// Only matches of at least this percentage (default 50; a 0% match is never returned).
    pub min_percent: u8,
}

impl Default for LookupOptions {
    fn default() -> Self {
        LookupOptions {
            max_results: 5,
            min_percent: 50,
        }
    }
}

/// One fuzzy match: a unit of the memory and how well its source matches the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'a> {
    /// The match percentage, 0-100 (100: same text and tags).
    pub percent: u8,
    /// The unit's position among the units the index holds (0-based, in the order added).
    pub ordinal: usize,
    /// What the index kept of the matching unit.
    pub unit: Entry<'a>,
}

/// A unit as the index keeps it: what a match shows, borrowed from the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The unit's [`Unit::number`] (its 1-based position in the file).
    pub number: u64,
    /// The unit's `tuid`, as written.
    pub tuid: Option<&'a str>,
    /// The source segment (the one compared with queries).
    pub source: Side<'a>,
    /// The target: the first variant in another language (else the first other one), if any.
    pub target: Option<Side<'a>>,
}

/// One variant of a kept unit: its language and segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Side<'a> {
    /// The variant's language tag, as written.
    pub lang: &'a str,
    /// The segment's plain text ([`Segment::plain_text`]).
    pub text: &'a str,
    /// The segment's markup ([`Segment::to_xml`]) when it holds inline tags; `None` when it
    /// holds none (its markup is then the escaped text: see [`Side::xml`]).
    pub markup: Option<&'a str>,
}

impl<'a> Side<'a> {
    /// The segment as TMX `<seg>` content, inline tags included: what [`Segment::to_xml`] gave.
    pub fn xml(&self) -> Cow<'a, str> {
        match self.markup {
            Some(markup) => Cow::Borrowed(markup),
            None => escape_text(self.text),
        }
    }
}

/// The kind of a token, which sets its weight and costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Number,
    Punct,
    Tag,
}

/// Token weights in quarter words (the unit of `W`, `S`, `L` in the bounds).
const fn weight(class: Class) -> u32 {
    match class {
        Class::Word | Class::Number => 4,
        Class::Punct => 1,
        Class::Tag => 0,
    }
}

/// Edit costs per quarter word: a word costs 10,000, so a tag's `L/100` is an integer.
const DP_SCALE: u64 = 2500;
/// Substituting a case variant: 0.2 of a word.
const CASE_COST: u64 = 2000;
/// A query token the memory has never seen.
const NONE: u32 = u32::MAX;
/// "No target" in [`Record::langs`].
const NO_LANG: u16 = u16::MAX;
/// Inline elements whose content is native code: one token each.
const CODE_ELEMENTS: [&str; 5] = ["bpt", "ept", "it", "ph", "ut"];

/// A token as the edit distance sees it.
#[derive(Debug, Clone, Copy)]
struct Tok {
    exact: u32,
    fold: u32,
    class: Class,
}

impl Tok {
    fn indel(self, tau: u64) -> u64 {
        match self.class {
            Class::Tag => tau,
            c => u64::from(weight(c)) * DP_SCALE,
        }
    }
}

/// Interned token strings: exact forms, their lower-cased forms, and classes.
#[derive(Debug, Default)]
struct Vocab {
    exact: FxHashMap<Box<str>, u32>,
    folded: FxHashMap<Box<str>, u32>,
    fold_of: Vec<u32>,
    class_of: Vec<Class>,
}

impl Vocab {
    /// The id of `text`, interning it; `None` once `u32` ids run out.
    fn intern(&mut self, text: &str, class: Class) -> Option<u32> {
        if let Some(&id) = self.exact.get(text) {
            return Some(id);
        }
        let id = u32::try_from(self.fold_of.len())
            .ok()
            .filter(|&i| i < NONE)?;
        let fold = if class == Class::Word {
            let lower = text.to_lowercase();
            match self.folded.get(lower.as_str()) {
                Some(&f) => f,
                None => {
                    let f = u32::try_from(self.folded.len())
                        .ok()
                        .filter(|&i| i < NONE)?;
                    self.folded.insert(lower.into_boxed_str(), f);
                    f
                }
            }
        } else {
            match self.folded.get(text) {
                Some(&f) => f,
                None => {
                    let f = u32::try_from(self.folded.len())
                        .ok()
                        .filter(|&i| i < NONE)?;
                    self.folded.insert(text.into(), f);
                    f
                }
            }
        };
        self.exact.insert(text.into(), id);
        self.fold_of.push(fold);
        self.class_of.push(class);
        Some(id)
    }

    /// The token for a query string, with `NONE` ids where the memory never saw it.
    fn query(&self, text: &str, class: Class) -> Tok {
        let exact = self.exact.get(text).copied().unwrap_or(NONE);
        let fold = if exact != NONE {
            self.fold_of[exact as usize]
        } else if class == Class::Word {
            let lower = text.to_lowercase();
            self.folded.get(lower.as_str()).copied().unwrap_or(NONE)
        } else {
            self.folded.get(text).copied().unwrap_or(NONE)
        };
        Tok { exact, fold, class }
    }

    fn tok(&self, id: u32) -> Tok {
        Tok {
            exact: id,
            fold: self.fold_of[id as usize],
            class: self.class_of[id as usize],
        }
    }
}

/// Per unit: what [`Entry`] is rebuilt from. The unit's strings lie one after another in
/// [`Index::text`] from `at`: tuid, source text, source markup, target text, target markup.
#[derive(Debug, Clone, Copy)]
struct Record {
    number: u64,
    at: usize,
    /// Byte lengths of the five strings, in that order (markup: 0 when not kept).
    lens: [u32; 5],
    /// Interned source and target language (`NO_LANG`: no target).
    langs: [u16; 2],
    has_tuid: bool,
}

/// A fuzzy-match index over the source side of translation units; see the [module docs](self).
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
    source_lang: Option<String>,
    vocab: Vocab,
    /// Per unit: its number, languages and where its strings lie in `text`.
    records: Vec<Record>,
    /// Every kept unit's strings, one after another (see [`Record`]).
    text: String,
    /// Interned language tags, as written, and their ids.
    langs: Vec<Box<str>>,
    lang_ids: FxHashMap<Box<str>, u16>,
    /// Per unit: where its tokens start in `tokens` (one more entry than units).
    starts: Vec<usize>,
    /// All units' source tokens, one after another.
    tokens: Vec<u32>,
    /// Per unit: the weight of its source tokens (quarter words).
    weights: Vec<u32>,
    /// Per lower-cased token id: the units holding it, ascending, each once.
    postings: Vec<Vec<u32>>,
    /// Units not indexed (no source variant, or the index is full).
    skipped: u64,
}

thread_local! {
    /// Per-thread scratch: a bound accumulator per unit, all zero between lookups.
    static SCRATCH: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// A scored candidate: its ordinal, percent, and the exact similarity `(L - D) / L`.
#[derive(Debug, Clone, Copy)]
struct Scored {
    ordinal: u32,
    percent: u8,
    /// `L - D` (clamped at 0) and `L`, in DP units.
    num: u64,
    den: u64,
}

impl Scored {
    /// True when `self` ranks before `other`.
    fn before(&self, other: &Scored) -> bool {
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
            text: String::new(),
            langs: Vec::new(),
            lang_ids: FxHashMap::default(),
            starts: vec![0],
            tokens: Vec::new(),
            weights: Vec::new(),
            postings: Vec::new(),
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
        for &id in &self.tokens[mark..] {
            let tok = self.vocab.tok(id);
            if tok.class == Class::Tag {
                continue;
            }
            let f = tok.fold as usize;
            if self.postings.len() <= f {
                self.postings.resize_with(f + 1, Vec::new);
            }
            let list = &mut self.postings[f];
            if list.last() != Some(&ordinal) {
                list.push(ordinal);
            }
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
        let at = self.text.len();
        let mut lens = [0u32; 5];
        let mut push = |text: &mut String, i: usize, s: &str| -> Option<()> {
            lens[i] = u32::try_from(s.len()).ok()?;
            text.push_str(s);
            Some(())
        };
        let mut langs = [NO_LANG; 2];
        let stored = (|| {
            push(&mut self.text, 0, unit.tuid.as_deref().unwrap_or(""))?;
            for (side, variant) in [Some(src), tgt].into_iter().enumerate() {
                let Some(v) = variant.and_then(|v| unit.variants.get(v)) else {
                    continue;
                };
                langs[side] = intern_lang(&mut self.langs, &mut self.lang_ids, &v.lang)?;
                push(&mut self.text, 1 + 2 * side, &v.segment.plain_text())?;
                if v.segment.pieces.iter().any(|p| matches!(p, Piece::Tag(_))) {
                    push(&mut self.text, 2 + 2 * side, &v.segment.to_xml())?;
                }
            }
            Some(())
        })();
        if stored.is_none() {
            self.text.truncate(at);
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
        index.shrink_to_fit();
        index
    }

    /// Releases the spare capacity of the index's vectors (after the last [`Index::add`]).
    pub fn shrink_to_fit(&mut self) {
        self.records.shrink_to_fit();
        self.text.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.tokens.shrink_to_fit();
        self.weights.shrink_to_fit();
        for list in &mut self.postings {
            list.shrink_to_fit();
        }
        self.postings.shrink_to_fit();
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
        let r = self.records.get(ordinal)?;
        let mut at = r.at;
        let mut strs = [""; 5];
        for (s, &len) in strs.iter_mut().zip(&r.lens) {
            let end = at + len as usize;
            *s = self.text.get(at..end)?;
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

    fn side<'a>(&'a self, lang: u16, text: &'a str, markup: &'a str) -> Option<Side<'a>> {
        Some(Side {
            lang: self.langs.get(usize::from(lang))?,
            text,
            markup: (!markup.is_empty()).then_some(markup),
        })
    }

    /// The bytes the index takes on the heap: the lookup structures (tokens, lists,
    /// vocabulary) and what it keeps of the units (see [`Index::kept_bytes`]), for reports.
    pub fn index_bytes(&self) -> usize {
        let vocab_strings: usize = self.vocab.exact.keys().map(|k| k.len()).sum::<usize>()
            + self.vocab.folded.keys().map(|k| k.len()).sum::<usize>();
        let map_entry = std::mem::size_of::<(Box<str>, u32)>() + 1;
        self.kept_bytes()
            + self.starts.capacity() * std::mem::size_of::<usize>()
            + self.tokens.capacity() * 4
            + self.weights.capacity() * 4
            + self.postings.capacity() * std::mem::size_of::<Vec<u32>>()
            + self
                .postings
                .iter()
                .map(|l| l.capacity() * 4)
                .sum::<usize>()
            + vocab_strings
            + (self.vocab.exact.capacity() + self.vocab.folded.capacity()) * map_entry
            + self.vocab.fold_of.capacity() * 4
            + self.vocab.class_of.capacity()
    }

    /// The part of [`Index::index_bytes`] that keeps the units' numbers, tuids, languages and
    /// segments (per-unit records and the text they point into).
    pub fn kept_bytes(&self) -> usize {
        let lang_strings: usize = self.langs.iter().map(|l| 2 * l.len()).sum();
        self.records.capacity() * std::mem::size_of::<Record>()
            + self.text.capacity()
            + lang_strings
            + self.langs.capacity() * std::mem::size_of::<Box<str>>()
            + self.lang_ids.capacity() * (std::mem::size_of::<(Box<str>, u16)>() + 1)
    }

    /// The best matches for a plain-text query, best first.
    pub fn lookup(&self, query: &str, options: &LookupOptions) -> Vec<Match<'_>> {
        self.lookup_segment(&Segment::from_text(query), options)
    }

    /// The best matches for a segment with inline tags, best first.
    pub fn lookup_segment(&self, query: &Segment, options: &LookupOptions) -> Vec<Match<'_>> {
        let min = u64::from(options.min_percent.max(1));
        if options.max_results == 0 || min > 100 {
            return Vec::new();
        }
        let query = self.query(query);
        if query.weight == 0 {
            return Vec::new();
        }
        let candidates = self.candidates(&query, min);
        let mut best: Vec<Scored> = Vec::new();
        let mut floor = min;
        let mut work = Work::default();
        for (bound, ordinal) in candidates {
            if u64::from(bound) < floor {
                break;
            }
            let Some(scored) = self.score(&query, ordinal, floor, &mut work) else {
                continue;
            };
            if u64::from(scored.percent) < min {
                continue;
            }
            let at = best
                .iter()
                .position(|b| scored.before(b))
                .unwrap_or(best.len());
            if at < options.max_results {
                best.insert(at, scored);
                best.truncate(options.max_results);
                if best.len() == options.max_results {
                    floor = floor.max(best.last().map_or(0, |b| u64::from(b.percent)));
                }
            }
        }
        best.iter().filter_map(|s| self.to_match(s)).collect()
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
        // Distinct lower-cased text tokens with their weight in the query (count x weight).
        let mut terms: Vec<(u32, u32)> = query
            .toks
            .iter()
            .filter(|t| t.class != Class::Tag)
            .map(|t| (t.fold, weight(t.class)))
            .collect();
        terms.sort_unstable();
        let mut merged: Vec<(u32, u32, &[u32])> = Vec::with_capacity(terms.len());
        for (fold, w) in terms {
            match merged.last_mut() {
                Some(last) if last.0 == fold => last.1 = last.1.saturating_add(w),
                _ => {
                    let list: &[u32] = if fold == NONE {
                        &[]
                    } else {
                        self.postings
                            .get(fold as usize)
                            .map_or(&[], |l| l.as_slice())
                    };
                    merged.push((fold, w, list));
                }
            }
        }
        // Rarest first: NONE (never seen) tokens have empty lists and come first for free.
        merged.sort_by_key(|&(fold, _, list)| (list.len(), fold));
        let wq = u64::from(query.weight);
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
            cands.sort_unstable();
            // Refine the bound with the common tokens' lists, dropping hopeless candidates.
            for &(_, w, list) in &merged[prefix..] {
                if cands.is_empty() {
                    break;
                }
                rest = rest.saturating_sub(u64::from(w));
                if gallop_is_cheaper(cands.len(), list.len()) {
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
                let wc = u64::from(self.weights[c as usize]);
                let l = wq.max(wc);
                let bound = (100 * shared.min(wc) / l).min(100);
                if bound >= min {
                    out.push((bound as u8, c));
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
        let r = self.records.get(ordinal)?;
        let from = r.at + r.lens[0] as usize;
        self.text.get(from..from + r.lens[1] as usize)
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

/// Buffers reused across the candidates of one lookup.
#[derive(Debug, Default)]
struct Work {
    cand: Vec<Tok>,
    rows: (Vec<u64>, Vec<u64>),
}

/// The weighted token edit distance (see the module docs); `tau` is the cost of a tag edit.
/// `None` as soon as every cell of a row exceeds `max_d` (row minima never decrease, so the
/// distance would too).
fn distance(
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

/// Calls `f` with each token of the segment (see the module docs for what a token is).
fn tokenize(segment: &Segment, f: &mut dyn FnMut(&str, Class)) {
    tokenize_pieces(&segment.pieces, f);
}

fn tokenize_pieces(pieces: &[Piece], f: &mut dyn FnMut(&str, Class)) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                if is_nfc_quick(text.chars()) == IsNormalized::Yes {
                    tokenize_text(text, f);
                } else {
                    let nfc: String = text.nfc().collect();
                    tokenize_text(&nfc, f);
                }
            }
            Piece::Tag(tag) if CODE_ELEMENTS.contains(&tag.name.as_str()) => {
                let mut key = String::from("\u{0}");
                key.push_str(&tag.name);
                key.push('\u{0}');
                for p in &tag.content {
                    if let Piece::Text(t) = p {
                        key.push_str(t);
                    }
                }
                f(&key, Class::Tag);
            }
            Piece::Tag(tag) => {
                f(&format!("\u{0}{}", tag.name), Class::Tag);
                tokenize_pieces(&tag.content, f);
                f(&format!("\u{0}/{}", tag.name), Class::Tag);
            }
        }
    }
}

fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() || c == '_' || is_combining_mark(c)) && !is_ideograph(c)
}

/// CJK ideographs and kana: scripts written without spaces, one token per character.
fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn tokenize_text(text: &str, f: &mut dyn FnMut(&str, Class)) {
    let mut rest = text.char_indices().peekable();
    while let Some((i, c)) = rest.next() {
        if c.is_whitespace() || c.is_control() {
            continue;
        }
        if !is_word_char(c) {
            let class = if is_ideograph(c) {
                Class::Word
            } else {
                Class::Punct
            };
            f(&text[i..i + c.len_utf8()], class);
            continue;
        }
        let mut end = i + c.len_utf8();
        let mut numeric = c.is_numeric();
        let mut last = c;
        while let Some(&(j, n)) = rest.peek() {
            if is_word_char(n) {
                numeric &= n.is_numeric();
                end = j + n.len_utf8();
                last = n;
                rest.next();
                continue;
            }
            // A joiner between two word characters: `don't`, `1,000.50`.
            let after = text[j + n.len_utf8()..].chars().next();
            let joins = match n {
                '\'' | '\u{2019}' => {
                    last.is_alphabetic() && after.is_some_and(|a| a.is_alphabetic())
                }
                '.' | ',' => last.is_numeric() && after.is_some_and(|a| a.is_numeric()),
                _ => false,
            };
            if !joins {
                break;
            }
            if !matches!(n, '.' | ',') {
                numeric = false;
            }
            rest.next();
            end = j + n.len_utf8();
            last = n;
        }
        let class = if numeric { Class::Number } else { Class::Word };
        f(&text[i..end], class);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unit::{Tag, Variant};
    use proptest::prelude::*;

    fn variant(lang: &str, segment: Segment) -> Variant {
        Variant::new(lang, segment)
    }

    fn unit_seg(n: u64, src: Segment, tgt: &str) -> Unit {
        Unit::new(
            n,
            n,
            vec![variant("en", src), variant("ru", Segment::from_text(tgt))],
        )
    }

    fn unit(n: u64, src: &str) -> Unit {
        unit_seg(n, Segment::from_text(src), &format!("ru {n}"))
    }

    fn header() -> Header {
        Header {
            srclang: Some("en".into()),
            ..Header::default()
        }
    }

    fn index(sources: &[&str]) -> Index {
        Index::build(
            sources
                .iter()
                .enumerate()
                .map(|(i, s)| unit(i as u64 + 1, s)),
            &header(),
            None,
        )
    }

    fn all() -> LookupOptions {
        LookupOptions {
            max_results: 100,
            min_percent: 1,
        }
    }

    fn tag(name: &str, code: &str) -> Piece {
        Piece::Tag(Tag {
            name: name.into(),
            attrs: vec![("i".into(), "1".into())],
            content: if code.is_empty() {
                vec![]
            } else {
                vec![Piece::Text(code.into())]
            },
        })
    }

    fn tokens(text: &str) -> Vec<(String, Class)> {
        let mut out = Vec::new();
        tokenize(&Segment::from_text(text), &mut |t, c| {
            out.push((t.to_string(), c))
        });
        out
    }

    /// The percent of `query` against a one-unit memory holding `memory`.
    fn percent(memory: &str, query: &str) -> Option<u8> {
        index(&[memory])
            .lookup(query, &all())
            .first()
            .map(|m| m.percent)
    }

    const TEN: &str = "The committee approved the annual budget for the next year";

    #[test]
    fn tokens_words_numbers_punctuation() {
        let t = tokens("Don't pay $1,000.50 now, 3rd time—OK? 東京");
        let texts: Vec<&str> = t.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Don't", "pay", "$", "1,000.50", "now", ",", "3rd", "time", "—", "OK", "?", "東",
                "京"
            ]
        );
        assert_eq!(t[3].1, Class::Number);
        assert_eq!(t[6].1, Class::Word);
        assert_eq!(t[2].1, Class::Punct);
        assert_eq!(tokens("end. 5.").last().map(|t| t.1), Some(Class::Punct));
        assert!(tokens(" \t\n ").is_empty());
    }

    #[test]
    fn exact_match_is_100() {
        assert_eq!(percent(TEN, TEN), Some(100));
        assert_eq!(percent("Hello, world!", "Hello, world!"), Some(100));
    }

    #[test]
    fn one_word_in_ten_is_about_90() {
        let q = "The committee approved the annual budget for the last year";
        let p = percent(TEN, q).unwrap();
        assert!((88..=92).contains(&p), "{p}");
    }

    #[test]
    fn changed_number_is_below_identical_text() {
        let idx = index(&[
            "Press the button 5 times to reset it.",
            "Press the button 6 times to reset it.",
        ]);
        let found = idx.lookup("Press the button 6 times to reset it.", &all());
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].ordinal, found[0].percent), (1, 100));
        assert_eq!(found[1].ordinal, 0);
        assert!(
            (85..100).contains(&found[1].percent),
            "{}",
            found[1].percent
        );
    }

    #[test]
    fn tag_only_difference_is_99ish() {
        let plain = Segment::from_text(TEN);
        let tagged = Segment {
            pieces: vec![
                Piece::Text("The committee approved the ".into()),
                tag("bpt", "<b>"),
                Piece::Text("annual".into()),
                tag("ept", "</b>"),
                Piece::Text(" budget for the next year".into()),
            ],
        };
        let idx = Index::build([unit_seg(1, plain.clone(), "x")], &header(), None);
        let p = idx.lookup_segment(&tagged, &all())[0].percent;
        assert_eq!(p, 98, "two tags differ: one point each");
        let one = Segment {
            pieces: vec![Piece::Text(TEN.into()), tag("ph", "<br/>")],
        };
        assert_eq!(idx.lookup_segment(&one, &all())[0].percent, 99);
        // Same tags in the memory: 100; a different native code: 99.
        let idx = Index::build([unit_seg(1, one.clone(), "x")], &header(), None);
        assert_eq!(idx.lookup_segment(&one, &all())[0].percent, 100);
        let other = Segment {
            pieces: vec![Piece::Text(TEN.into()), tag("ph", "<hr/>")],
        };
        assert_eq!(idx.lookup_segment(&other, &all())[0].percent, 99);
    }

    #[test]
    fn case_and_punctuation_cost_little() {
        let lower = "the committee approved the annual budget for the next year";
        let p = percent(TEN, lower).unwrap();
        assert!((96..100).contains(&p), "{p}");
        let p = percent(&format!("{TEN}."), TEN).unwrap();
        assert!((96..100).contains(&p), "{p}");
        let word = percent(
            TEN,
            "The committee approved the annual budget for the next month",
        )
        .unwrap();
        assert!(word < p);
    }

    #[test]
    fn no_false_100s() {
        assert_eq!(percent(TEN, &TEN.replace(' ', "  ")), Some(99));
        assert_eq!(percent("Hello world", "Hello world."), Some(88));
        assert_eq!(percent("a b c", "a b c d"), Some(75));
        // Every difference in a long sentence still stays below 100.
        let long = format!("{TEN} {TEN} {TEN} {TEN} {TEN}");
        assert_eq!(percent(&long, &format!("{long},")), Some(99));
        assert_eq!(percent(&long, &long.replacen("The", "the", 1)), Some(99));
    }

    #[test]
    fn results_are_ordered_and_limited() {
        let idx = index(&[
            "one two three four five six seven eight nine ten",
            "one two three four five six seven eight nine eleven",
            "one two three four five six seven eight twelve eleven",
            "one two three four five six seven eight nine ten",
            "one two three four five six fourteen fifteen sixteen seventeen",
            "entirely unrelated words here",
        ]);
        let found = idx.lookup("one two three four five six seven eight nine ten", &all());
        let got: Vec<(usize, u8)> = found.iter().map(|m| (m.ordinal, m.percent)).collect();
        assert_eq!(got, [(0, 100), (3, 100), (1, 90), (2, 80), (4, 60)]);
        let top2 = idx.lookup(
            "one two three four five six seven eight nine ten",
            &LookupOptions {
                max_results: 2,
                min_percent: 50,
            },
        );
        assert_eq!(top2.iter().map(|m| m.ordinal).collect::<Vec<_>>(), [0, 3]);
        let high = idx.lookup(
            "one two three four five six seven eight nine ten",
            &LookupOptions {
                max_results: 10,
                min_percent: 85,
            },
        );
        assert_eq!(high.len(), 3);
        assert_eq!(found[0].unit.target.unwrap().text, "ru 1");
        assert_eq!(
            found[0].unit.source.text,
            "one two three four five six seven eight nine ten"
        );
    }

    #[test]
    fn empty_and_unknown_queries() {
        let idx = index(&[TEN, "", "Hello."]);
        assert!(idx.lookup("", &all()).is_empty());
        assert!(idx.lookup("  \t", &all()).is_empty());
        assert!(idx.lookup("zebra quokka", &all()).is_empty());
        let tags_only = Segment {
            pieces: vec![tag("ph", "<br/>")],
        };
        assert!(idx.lookup_segment(&tags_only, &all()).is_empty());
        let none = LookupOptions {
            max_results: 0,
            min_percent: 1,
        };
        assert!(idx.lookup(TEN, &none).is_empty());
        let over = LookupOptions {
            max_results: 5,
            min_percent: 101,
        };
        assert!(idx.lookup(TEN, &over).is_empty());
        assert_eq!(idx.len(), 3);
    }

    #[test]
    fn source_language_choice() {
        let mut u = unit(1, "Good morning");
        u.variants.swap(0, 1);
        u.variants[0].segment = Segment::from_text("Доброе утро");
        // The header says en; the English variant is second.
        let idx = Index::build([u.clone()], &header(), None);
        assert_eq!(idx.lookup("Good morning", &all())[0].percent, 100);
        assert_eq!(
            idx.lookup("Good morning", &all())[0]
                .unit
                .target
                .unwrap()
                .lang,
            "ru"
        );
        // Explicit source language ru.
        let idx = Index::build([u.clone()], &header(), Some("ru".into()));
        assert_eq!(idx.lookup("Доброе утро", &all())[0].percent, 100);
        // en-US finds en by its primary subtag; a missing language skips the unit.
        let idx = Index::build([u.clone()], &header(), Some("en-US".into()));
        assert_eq!(idx.lookup("Good morning", &all()).len(), 1);
        let idx = Index::build([u.clone()], &header(), Some("de".into()));
        assert_eq!((idx.len(), idx.skipped()), (0, 1));
        // *all*: the first variant.
        let all_header = Header {
            srclang: Some("*all*".into()),
            ..Header::default()
        };
        let idx = Index::build([u], &all_header, None);
        assert_eq!(idx.lookup("Доброе утро", &all())[0].percent, 100);
    }

    #[test]
    fn matches_show_what_the_index_kept() {
        let tagged = Segment {
            pieces: vec![
                Piece::Text("Tom & Jerry <3 ".into()),
                tag("bpt", "<b>"),
                Piece::Text("run\r".into()),
                tag("ept", "</b>"),
            ],
        };
        let target = Segment::from_text("Том & Джерри <3\r");
        let mut u = unit_seg(42, tagged.clone(), "");
        u.tuid = Some("tu-42".into());
        u.variants[0].lang = "EN_us".into();
        u.variants[1].segment = target.clone();
        u.variants
            .insert(1, variant("en-us", Segment::from_text("other")));
        // No tuid, an empty tuid, no target.
        let mut bare = unit(7, "Tom and Jerry run");
        bare.variants.truncate(1);
        let mut empty_tuid = unit(8, "Tom and Jerry");
        empty_tuid.tuid = Some(String::new());
        let idx = Index::build([u, bare, empty_tuid], &header(), Some("en-US".into()));
        assert_eq!(idx.len(), 3);
        let found = idx.lookup_segment(&tagged, &all());
        assert_eq!((found[0].percent, found[0].ordinal), (100, 0));
        let e = found[0].unit;
        assert_eq!(idx.unit(0), Some(e));
        assert_eq!((e.number, e.tuid), (42, Some("tu-42")));
        assert_eq!(e.source.lang, "EN_us");
        assert_eq!(e.source.text, tagged.plain_text());
        assert_eq!(e.source.markup, Some(tagged.to_xml().as_str()));
        assert_eq!(e.source.xml(), tagged.to_xml());
        // The target skips the other en-US variant; untagged text keeps no markup copy.
        let t = e.target.unwrap();
        assert_eq!(
            (t.lang, t.text, t.markup),
            ("ru", "Том & Джерри <3\r", None)
        );
        assert_eq!(t.xml(), target.to_xml());
        let bare = idx.unit(1).unwrap();
        assert_eq!((bare.number, bare.tuid, bare.target), (7, None, None));
        assert_eq!(bare.source.xml(), "Tom and Jerry run");
        assert_eq!(idx.unit(2).unwrap().tuid, Some(""));
        assert_eq!(idx.unit(3), None);
        // Language tags are kept once each, however many units use them.
        assert_eq!(idx.langs.len(), 3);
    }

    #[test]
    fn refused_units_keep_nothing() {
        let mut idx = Index::new(Some("de".into()));
        assert!(!idx.add(unit(1, "Good morning"), &header()));
        assert_eq!((idx.len(), idx.skipped()), (0, 1));
        assert!(idx.text.is_empty() && idx.records.is_empty() && idx.tokens.is_empty());
        let kept = idx.kept_bytes();
        assert!(idx.index_bytes() >= kept);
    }

    #[test]
    fn large_memory_prunes_and_agrees() {
        // Many units sharing common words: the index must return what the scan returns.
        let words = [
            "the", "a", "of", "cat", "dog", "sat", "on", "mat", "red", "blue",
        ];
        let mut sources = Vec::new();
        let mut x: u64 = 7;
        for _ in 0..2000 {
            let mut s = String::new();
            let n = 3 + (x % 9) as usize;
            for _ in 0..n {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push_str(words[(x % 10) as usize]);
                s.push(' ');
            }
            sources.push(s);
        }
        let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
        let idx = index(&refs);
        for q in refs.iter().take(20) {
            for min in [1, 50, 80] {
                let o = LookupOptions {
                    max_results: 7,
                    min_percent: min,
                };
                let a: Vec<(usize, u8)> = idx
                    .lookup(q, &o)
                    .iter()
                    .map(|m| (m.ordinal, m.percent))
                    .collect();
                let b: Vec<(usize, u8)> = idx
                    .scan(&Segment::from_text(*q), &o)
                    .iter()
                    .map(|m| (m.ordinal, m.percent))
                    .collect();
                assert_eq!(a, b, "{q} {min}");
            }
        }
    }

    /// A random token of a small vocabulary: words with case variants, numbers, punctuation,
    /// and tags.
    fn piece() -> impl Strategy<Value = Piece> {
        prop_oneof![
            6 => prop::sample::select(vec![
                "cat", "Cat", "dog", "the", "The", "sat", "mat", "on", "a", "red",
                "1", "2", "3.5", ",", ".", "!", "don't", "Don't", "東", "  ",
            ])
            .prop_map(|w| Piece::Text(format!("{w} "))),
            1 => prop::sample::select(vec!["ph", "bpt", "ept", "hi"])
                .prop_map(|n| tag(n, if n == "hi" { "" } else { "<x>" })),
        ]
    }

    fn segment() -> impl Strategy<Value = Segment> {
        prop::collection::vec(piece(), 0..9).prop_map(|pieces| {
            let mut seg = Segment::default();
            for p in pieces {
                match p {
                    Piece::Text(t) => seg.push_text(&t),
                    tag => seg.pieces.push(tag),
                }
            }
            seg
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// The key property: pruning never changes the answer of a full scan.
        #[test]
        fn index_agrees_with_full_scan(
            memory in prop::collection::vec(segment(), 0..40),
            query in segment(),
            pick in any::<prop::sample::Index>(),
            use_member in any::<bool>(),
            max_results in 1usize..6,
            min_percent in 0u8..=100,
        ) {
            let units: Vec<Unit> = memory
                .iter()
                .enumerate()
                .map(|(i, s)| unit_seg(i as u64 + 1, s.clone(), "t"))
                .collect();
            let idx = Index::build(units, &header(), None);
            let query = if use_member && !memory.is_empty() {
                let mut q = pick.get(&memory).clone();
                q.push_text(" cat");
                q
            } else {
                query
            };
            let options = LookupOptions { max_results, min_percent };
            let a: Vec<(usize, u8)> = idx.lookup_segment(&query, &options).iter().map(|m| (m.ordinal, m.percent)).collect();
            let b: Vec<(usize, u8)> = idx.scan(&query, &options).iter().map(|m| (m.ordinal, m.percent)).collect();
            prop_assert_eq!(a, b);
        }
    }
}
