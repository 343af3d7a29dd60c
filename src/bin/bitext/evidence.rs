//! The evidence options `align` and `review` share: bilingual dictionaries, learning from the
//! input, and sentence vectors from an embedding model (`--embeddings`, Thompson & Koehn
//! 2019's idea of scoring beads by sentence-embedding similarity, here one more cost term).

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use bitext::{align, read};

/// The evidence options `align` and `review` share: dictionaries, learning, sentence vectors.
#[derive(Args, Clone)]
pub(crate) struct EvidenceArgs {
    /// Bilingual dictionary to count as anchor evidence: a dictd database (FreeDict, e.g.
    /// /usr/share/dictd/freedict-deu-fra.index) or a hunalign dictionary (`target @ source` a
    /// line); repeat for several.
    #[arg(long = "dict", value_name = "FILE")]
    pub(crate) dict: Vec<PathBuf>,
    /// Align once, by length and anchors only: do not learn word translations from the first
    /// alignment's confident links and align again with them (about twice as fast).
    #[arg(long)]
    pub(crate) no_learn: bool,
    /// Sentence vectors from an embedding model of yours (LaBSE, E5, LASER, ...) as evidence
    /// too: NumPy .npy files (float32 or float64, one row per sentence as bitext splits the
    /// side, or per line with --presplit), or raw little-endian float32 with --embedding-dim.
    /// One pair of documents (a --batch manifest names each pair's vectors in two more
    /// columns).
    #[arg(long, num_args = 2, value_names = ["SRC", "TGT"])]
    pub(crate) embeddings: Vec<PathBuf>,
    /// The dimension of raw float32 vector files (--embeddings or a manifest's vector
    /// columns); a .npy file says its own.
    #[arg(long, value_name = "N")]
    pub(crate) embedding_dim: Option<usize>,
    /// How much the vectors count: nats by which a link whose two sides' vectors point the
    /// same way is cheaper than one as alike as unrelated sentences [default: 6].
    #[arg(long, value_name = "NATS")]
    pub(crate) embedding_weight: Option<f64>,
}

impl EvidenceArgs {
    /// `--embedding-weight`, checked, or the default; an error when it or `--embedding-dim`
    /// is given without vectors to apply to (`--embeddings`, or a `--batch` manifest's
    /// vector columns when `batch`).
    pub(crate) fn embedding_weight(&self, batch: bool) -> anyhow::Result<f64> {
        let given = self.embedding_weight.is_some() || self.embedding_dim.is_some();
        if given && self.embeddings.is_empty() && !batch {
            bail!(
                "--embedding-weight and --embedding-dim apply to sentence vectors: give them \
                 with --embeddings SRC TGT (or a --batch manifest with vector columns)"
            );
        }
        let weight = self
            .embedding_weight
            .unwrap_or(align::Params::default().embedding_weight);
        if !(weight.is_finite() && weight >= 0.0) {
            bail!("--embedding-weight must be a number of nats, 0 or more, got {weight}");
        }
        Ok(weight)
    }

    /// The sentence vectors `--embeddings` names, read, or `None`.
    pub(crate) fn vectors(
        &self,
        max_bytes: u64,
    ) -> anyhow::Result<Option<read::vectors::PairVectors>> {
        let [src, tgt] = &self.embeddings[..] else {
            return Ok(None);
        };
        let read =
            |path: &PathBuf| read::vectors::read_vectors(path, self.embedding_dim, max_bytes);
        Ok(Some(read::vectors::PairVectors {
            src: read(src)?,
            tgt: read(tgt)?,
            src_name: src.display().to_string(),
            tgt_name: tgt.display().to_string(),
        }))
    }
}
