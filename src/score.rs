//! Score: [`Alignment`] -> [`ScoredLink`]s with a confidence in [0, 1].
//! (Placeholder body; forward-backward posteriors land with the aligner.)

use crate::align::{Alignment, CostModel, Link};

/// A link with the confidence that it is correct.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredLink {
    /// The link.
    pub link: Link,
    /// Confidence in [0, 1].
    pub score: f64,
}

/// Scores every link of `alignment` under `model`.
pub fn score(_model: &CostModel, alignment: &Alignment) -> Vec<ScoredLink> {
    alignment
        .links
        .iter()
        .map(|l| ScoredLink {
            link: l.clone(),
            score: 1.0,
        })
        .collect()
}
