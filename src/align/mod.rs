//! Align: two [`SplitDocument`]s -> [`Alignment`] (links over sentence ranges).
//! (Placeholder body; the real cost model lands next.)

use std::ops::Range;

use crate::split::SplitDocument;
use crate::Lang;

/// A link between a run of source sentences and a run of target sentences (either may be empty).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    /// Source sentence indices.
    pub src: Range<usize>,
    /// Target sentence indices.
    pub tgt: Range<usize>,
}

impl Link {
    /// The link type as `"n-m"`, e.g. `"2-1"`.
    pub fn kind(&self) -> String {
        format!("{}-{}", self.src.len(), self.tgt.len())
    }

    /// True for 1-0 and 0-1 links.
    pub fn is_null(&self) -> bool {
        self.src.is_empty() || self.tgt.is_empty()
    }
}

/// A monotone alignment: links in order that cover every sentence of both sides exactly once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Alignment {
    /// The links, in document order.
    pub links: Vec<Link>,
}

/// Aligner settings.
#[derive(Debug, Clone, Default)]
pub struct Options {}

/// The bead costs of one document pair.
pub struct CostModel<'a> {
    src: &'a SplitDocument,
    tgt: &'a SplitDocument,
}

impl<'a> CostModel<'a> {
    /// Builds the cost model of a document pair.
    pub fn new(
        src: &'a SplitDocument,
        tgt: &'a SplitDocument,
        _src_lang: Lang,
        _tgt_lang: Lang,
        _options: &Options,
    ) -> CostModel<'a> {
        CostModel { src, tgt }
    }
}

/// Finds the best alignment under `model`.
pub fn align(model: &CostModel) -> Alignment {
    let n = model.src.len().min(model.tgt.len());
    let mut links: Vec<Link> = (0..n)
        .map(|i| Link {
            src: i..i + 1,
            tgt: i..i + 1,
        })
        .collect();
    for i in n..model.src.len() {
        links.push(Link {
            src: i..i + 1,
            tgt: n..n,
        });
    }
    for j in n..model.tgt.len() {
        links.push(Link {
            src: n..n,
            tgt: j..j + 1,
        });
    }
    Alignment { links }
}
