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
//! Two refinements keep the lists read short. Shared weight is counted as multisets: a token
//! a unit holds `k` times is also on the token's `k`-th list, and a query holding it `q` times
//! looks it up on lists `1..=q`, so a query repeating a common word finds its candidates on the
//! short lists of units repeating it as often, and a unit holding it once is credited once.
//! And since `S <= min(Wq, Wc)`, `percent <= 100 min(Wq, Wc) / max(Wq, Wc)`: only units whose
//! weight lies in `[p Wq / 100, 100 Wq / p]` can reach `p`; units are ranked by weight, the
//! lists hold ranks, so those units are one slice of every list (prefix and length filtering,
//! as in Chaudhuri et al. 2006 and Bayardo et al. 2007's all-pairs similarity search).
//!
//! The index does not keep the [`Unit`]s (a parsed unit with its props, notes and segment trees
//! takes over a kilobyte): per unit it keeps a small record (unit number, interned source and
//! target language tags, lengths) and, in one flat string, the `tuid` and the plain text of the
//! source and target segments, plus their markup only when they hold inline tags (else the
//! markup is the escaped text). A [`Match`] borrows its [`Entry`] from there.
//!
//! [`Unit`]: crate::unit::Unit

mod index;
mod score;
pub mod store;
mod token;

pub use index::Index;
pub use store::{is_index_file, Stamp, MAGIC, VERSION};

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
    ///
    /// [`Unit::number`]: crate::unit::Unit::number
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
    ///
    /// [`Segment::plain_text`]: crate::unit::Segment::plain_text
    pub text: &'a str,
    /// The segment's markup ([`Segment::to_xml`]) when it holds inline tags; `None` when it
    /// holds none (its markup is then the escaped text: see `Side::xml`).
    ///
    /// [`Segment::to_xml`]: crate::unit::Segment::to_xml
    pub markup: Option<&'a str>,
}

impl<'a> Side<'a> {
    /// The segment as TMX `<seg>` content, inline tags included: what [`Segment::to_xml`] gave.
    ///
    /// [`Segment::to_xml`]: crate::unit::Segment::to_xml
    #[cfg(test)]
    pub(crate) fn xml(&self) -> std::borrow::Cow<'a, str> {
        match self.markup {
            Some(markup) => std::borrow::Cow::Borrowed(markup),
            None => crate::text::xml::escape_text(self.text),
        }
    }
}
