//! The tunables of the aligner and the scorer, in one place: the weights of the cost model's
//! terms (Gale & Church 1993 length model plus anchor evidence, [`super::cost`]), the guide's
//! grid (Thompson & Koehn 2019, [`super::guide`]), the windows and bands of the exact search
//! (Moore 2002, [`super::align`]) and of the forward-backward scorer ([`crate::score`]).
//!
//! The bead shapes and their priors (`BEADS` in `cost`) and the length model's variance
//! ([`crate::length`]) are Gale & Church's figures and stay with the code they shape.

/// Alignment tunables, each with where its value comes from. [`Params::default`] is what
/// bitext aligns with; a library user may change them through [`super::Options::params`].
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    // The cost model (`cost`).
    /// Nats of cost removed per unit of shared anchor weight (1, the first aligner's value:
    /// the key weights are already in nats).
    pub anchor_weight: f64,
    /// Nats added for a bead that crosses a paragraph boundary, half that for one that opens a
    /// paragraph on one side only (3, the first aligner's value).
    pub paragraph_weight: f64,
    /// Nats added per subtitle sentence shown wholly outside the time of the sentences it is
    /// linked with (4: more than the 2.3 nats by which the 2-1 prior beats a 1-0 beside a
    /// 1-1, so an unsubtitled interjection stays 1-0 instead of joining its neighbour).
    pub time_weight: f64,
    /// Nats by which a bead whose two sides' sentence vectors point the same way is cheaper
    /// than one whose cosine is that of unrelated sentences (`--embeddings`,
    /// [`super::semantic`]; chosen on the Text+Berg dev set, README "Sentence embeddings").
    pub embedding_weight: f64,
    /// The temperature of the scorer's sums when sentence vectors count (`--embeddings`):
    /// bead costs are divided by it before they become probabilities, because a model's
    /// similarity is not independent of the length and word evidence it is added to, and
    /// counted at full weight it makes posteriors overconfident (2, chosen on the Text+Berg
    /// dev set: ECE 0.080 at 1, 0.052 at 1.5, 0.028 at 2, 0.074 at 2.5; README "Sentence
    /// embeddings"; without vectors the scorer divides by 1).
    pub embedding_temperature: f64,
    /// The least weight of a shared key other than a dictionary entry, however frequent (0.1
    /// nats: a key in every sentence still says a little).
    pub min_key_weight: f64,
    /// The most a single unmatched number or name costs, in nats (1.5, the first aligner's
    /// value).
    pub max_unmatched: f64,
    /// Inverse document frequency (nats) a dictionary entry must exceed to count at all: an
    /// entry found in more than one sentence in twenty (ln 20) says nothing about where a
    /// sentence goes.
    pub dictionary_idf_floor: f64,
    /// How much a dictionary translation counts against an exact shared number or name (half).
    pub dictionary_share: f64,
    /// How much of its log-likelihood ratio a learned entry counts: the words of a sentence are
    /// not independent evidence (a phrase translates as a whole), so each counts half.
    pub learned_share: f64,

    // The guide (`guide`).
    /// Blocks of the guide's coarsest grid along the longer side (128; more for a text over
    /// about 200,000 sentences): the grid is searched whole.
    pub coarse_blocks: usize,
    /// The most sentences a block of the coarsest grid holds (1,024).
    pub max_coarse_block: usize,
    /// Each level's blocks are this many times smaller than the level above (8).
    pub refine: usize,
    /// Key pairs examined per guide level, per sentence of both sides (32): keys are taken
    /// rarest first until it is spent, so a key found in every sentence cannot make a level
    /// quadratic.
    pub pair_budget: usize,
    /// Shared weight that makes a sentence pair on the guide's finest path an anchor (2.5: a
    /// rare name or number on both sides weighs 3-12, a frequent cognate well under 1).
    pub guide_anchor_weight: f32,
    /// A stretch between two anchors is searched whole when it holds at most this many cells
    /// per sentence of its sides (64; beyond, around the guide's finest path).
    pub gap_area: usize,

    // The exact search (`align`).
    /// Initial half-width of the band around a previous pass's path ([`super::Guide::along`]):
    /// that path is close to the final one (1: on the fixtures, Text+Berg and a 200k-sentence
    /// text it gives the links of 2, 3 and 4, the band widening where the path comes near its
    /// edge; scores move by at most 0.0032 on the 200k text, a fifth less time than 2).
    pub band_around_path: usize,
    /// Rows per window of the search, plus the overlap on either side (8,192).
    pub window: usize,
    /// Rows on either side of a window boundary that both windows search (256).
    pub overlap: usize,
    /// Rows of path kept on either side of a touch of the band's edge when it is searched
    /// again (128).
    pub resolve_margin: usize,
    /// Rows around a place where the path touches the band's edge that are widened with it (64).
    pub widen_reach: usize,

    // The scorer (`score`).
    /// Half-width of the band around the path in which the scorer sums alternatives (8).
    pub score_band: usize,
    /// Links scored per window; a longer alignment is scored in windows, in parallel (4,096).
    pub score_window: usize,
    /// Links of context on each side of a scoring window (256): the posterior of a link hardly
    /// depends on the lattice this far away, and an alignment of up to `score_window + 2 *
    /// score_context` links is scored exactly.
    pub score_context: usize,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            anchor_weight: 1.0,
            paragraph_weight: 3.0,
            time_weight: 4.0,
            embedding_weight: 6.0,
            embedding_temperature: 2.0,
            min_key_weight: 0.1,
            max_unmatched: 1.5,
            dictionary_idf_floor: 2.995_732_273_553_991,
            dictionary_share: 0.5,
            learned_share: 0.5,
            coarse_blocks: 128,
            max_coarse_block: 1024,
            refine: 8,
            pair_budget: 32,
            guide_anchor_weight: 2.5,
            gap_area: 64,
            band_around_path: 1,
            window: 8192,
            overlap: 256,
            resolve_margin: 128,
            widen_reach: 64,
            score_band: 8,
            score_window: 4096,
            score_context: 256,
        }
    }
}
