//! Review: an alignment a person checks before it becomes a memory.
//!
//! A [`Review`] holds both sides' sentences and the links over them, each with its score, a
//! [`Status`] (unreviewed, accepted, rejected), an optional comment and optional edited text.
//! Every change is an [`Op`] applied by [`Review::apply`]: merge a link with the next, split an
//! n-m link, move a sentence to the neighbouring link, set the status, edit a side's text,
//! comment. Each one replaces a run of links by others and is recorded as such (the links it
//! removed and how many it put in), so [`Op::Undo`] puts the old run back, and the answer of
//! every operation is a [`Patch`] a page applies to its own copy of the list.
//!
//! Invariant (checked by [`Review::check`], kept by every operation): the links cover each
//! side's sentences exactly once, in order; a link has at least one sentence.
//!
//! The state (sentences, links, undo history, where to export) is saved as JSON
//! ([`Review::save`], atomically through [`crate::io::output`]) and loaded back
//! ([`Review::load`]). [`Review::export`] writes the units of the links not rejected through
//! the aligner's writers ([`crate::export`]): TMX gets `<prop type="x-status">` and the comment
//! as a `<note>`, TSV and CSV get them in the `props` and `notes` columns. [`plot`] draws the
//! alignment as an SVG dot-plot.

pub mod plot;

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::export::{self, Annotation, ExportOptions, TranslationUnit, Written};
use crate::formats::xlsx;
use crate::io::output::{OutputPlan, OutputPolicy};
use crate::run::pipeline::AlignedPair;

/// The version of the state file this code writes and reads.
pub const STATE_VERSION: u32 = 1;

/// The prop type holding a unit's review status in TMX.
pub const STATUS_PROP: &str = "x-status";

/// Undo steps kept (older ones are forgotten).
pub const MAX_UNDO: usize = 500;

/// The longest text an edit or a comment may set, in bytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Below this score a link is doubtful: coloured as such and marked on the plot.
pub const DOUBTFUL_SCORE: f64 = 0.5;

/// What the reviewer decided about a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not looked at yet (exported, marked as such).
    #[default]
    Unreviewed,
    /// Checked and right.
    Accepted,
    /// Wrong: left out of every export.
    Rejected,
}

impl Status {
    /// The status as written in TMX, tables and the state file.
    pub fn name(self) -> &'static str {
        match self {
            Status::Unreviewed => "unreviewed",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
        }
    }

    /// Reads a status name (case and surrounding blanks ignored).
    pub fn parse(name: &str) -> Option<Status> {
        match name.trim().to_ascii_lowercase().as_str() {
            "unreviewed" | "" => Some(Status::Unreviewed),
            "accepted" => Some(Status::Accepted),
            "rejected" => Some(Status::Rejected),
            _ => None,
        }
    }
}

/// Which side of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The source side.
    Src,
    /// The target side.
    Tgt,
}

/// A neighbour of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The link before.
    Prev,
    /// The link after.
    Next,
}

/// One link under review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// A stable id (not a position): operations name links by it.
    pub id: u64,
    /// Source sentences (0-based, half-open).
    pub src: Range<usize>,
    /// Target sentences.
    pub tgt: Range<usize>,
    /// The aligner's confidence (of the link it came from).
    pub score: f64,
    /// The reviewer's decision.
    #[serde(default)]
    pub status: Status,
    /// The reviewer's comment.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
    /// Source text as edited (`None`: the sentences joined by a space).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src_text: Option<String>,
    /// Target text as edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tgt_text: Option<String>,
}

impl Link {
    /// The sentences of `side`.
    pub fn range(&self, side: Side) -> &Range<usize> {
        match side {
            Side::Src => &self.src,
            Side::Tgt => &self.tgt,
        }
    }

    fn range_mut(&mut self, side: Side) -> &mut Range<usize> {
        match side {
            Side::Src => &mut self.src,
            Side::Tgt => &mut self.tgt,
        }
    }

    /// The edited text of `side`, if any.
    pub fn edited(&self, side: Side) -> Option<&str> {
        match side {
            Side::Src => self.src_text.as_deref(),
            Side::Tgt => self.tgt_text.as_deref(),
        }
    }

    fn edited_mut(&mut self, side: Side) -> &mut Option<String> {
        match side {
            Side::Src => &mut self.src_text,
            Side::Tgt => &mut self.tgt_text,
        }
    }

    /// `"2-1"`: the number of sentences on each side.
    pub fn kind(&self) -> String {
        format!("{}-{}", self.src.len(), self.tgt.len())
    }
}

/// An operation on a review, as the page sends it (`{"op":"merge","id":7}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Op {
    /// Merge link `id` with the link after it.
    Merge {
        /// The first of the two links.
        id: u64,
    },
    /// Split link `id` in two: the first `src_at` source and `tgt_at` target sentences, and the
    /// rest (by default one sentence of each side that has two or more; a 1-1 link becomes
    /// 1-0 and 0-1).
    Split {
        /// The link.
        id: u64,
        /// Source sentences kept in the first part.
        #[serde(default)]
        src_at: Option<usize>,
        /// Target sentences kept in the first part.
        #[serde(default)]
        tgt_at: Option<usize>,
    },
    /// Move one sentence of `side` of link `id` to the neighbouring link `to`: its last sentence
    /// to the next link, its first to the previous one.
    Move {
        /// The link giving the sentence.
        id: u64,
        /// Which side's sentence.
        side: Side,
        /// Where it goes.
        to: Direction,
    },
    /// Mark link `id` accepted.
    Accept {
        /// The link.
        id: u64,
    },
    /// Mark link `id` rejected (left out of the export).
    Reject {
        /// The link.
        id: u64,
    },
    /// Set the status of link `id`.
    Status {
        /// The link.
        id: u64,
        /// The new status.
        status: Status,
    },
    /// Replace the text of one side of link `id` (the sentences' own text when equal to it).
    Edit {
        /// The link.
        id: u64,
        /// Which side.
        side: Side,
        /// The new text.
        text: String,
    },
    /// Set the comment of link `id` (empty removes it).
    Comment {
        /// The link.
        id: u64,
        /// The comment.
        text: String,
    },
    /// Take back the last operation.
    Undo,
}

/// What an operation changed: remove `remove` links at position `at`, insert `links` there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Patch {
    /// Position of the first link replaced.
    pub at: usize,
    /// How many links were removed.
    pub remove: usize,
    /// The links put in their place.
    pub links: Vec<Link>,
    /// Operations that can still be undone.
    pub undo: usize,
}

/// A refused operation: why, said for the reviewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// One step of the undo history: the links a change removed at `at`, and how many it put in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Change {
    at: usize,
    old: Vec<Link>,
    new_len: usize,
}

/// Where and how a review is exported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportTarget {
    /// The output file (`None`: no export, the state only).
    pub output: Option<PathBuf>,
    /// The format's name (`tmx`, `tsv`, `csv`, `jsonl`, `links`); `None`: from the extension.
    pub format: Option<String>,
}

/// An alignment under review; see the module documentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// State file version ([`STATE_VERSION`]).
    pub version: u32,
    /// The source document's name (as given on the command line).
    pub src_name: String,
    /// The target document's name.
    pub tgt_name: String,
    /// The source language tag (TMX).
    pub src_tag: String,
    /// The target language tag (TMX).
    pub tgt_tag: String,
    /// Source sentences, trimmed.
    pub src: Vec<String>,
    /// Target sentences, trimmed.
    pub tgt: Vec<String>,
    /// The links, in order.
    pub links: Vec<Link>,
    /// Where [`Review::export`] writes by default.
    #[serde(default)]
    pub export: ExportTarget,
    next_id: u64,
    #[serde(default)]
    undo: Vec<Change>,
}

impl Review {
    /// A review of an aligned pair (aligned with [`Settings::keep_sentences`]).
    ///
    /// [`Settings::keep_sentences`]: crate::run::pipeline::Settings::keep_sentences
    pub fn from_aligned(
        pair: &AlignedPair,
        names: (&str, &str),
        tags: (&str, &str),
    ) -> Result<Review> {
        let Some((src, tgt)) = pair.sentences.clone() else {
            return Err(Error::usage(
                "a review needs the sentences: align with Settings::keep_sentences",
            ));
        };
        Review::new(src, tgt, &pair.units, names, tags)
    }

    /// A review of `units` over the sentences `src` and `tgt`.
    pub fn new(
        src: Vec<String>,
        tgt: Vec<String>,
        units: &[TranslationUnit],
        names: (&str, &str),
        tags: (&str, &str),
    ) -> Result<Review> {
        let links = units
            .iter()
            .zip(0u64..)
            .map(|(u, id)| Link {
                id,
                src: u.src_ids.clone(),
                tgt: u.tgt_ids.clone(),
                score: if u.score.is_finite() { u.score } else { 0.0 },
                status: Status::Unreviewed,
                comment: String::new(),
                src_text: None,
                tgt_text: None,
            })
            .collect::<Vec<_>>();
        let review = Review {
            version: STATE_VERSION,
            src_name: names.0.to_string(),
            tgt_name: names.1.to_string(),
            src_tag: tags.0.to_string(),
            tgt_tag: tags.1.to_string(),
            src,
            tgt,
            next_id: links.len() as u64,
            links,
            export: ExportTarget::default(),
            undo: Vec::new(),
        };
        review.check().map_err(|r| Error::input(names.0, r.0))?;
        Ok(review)
    }

    /// Checks the invariant: the links cover each side's sentences once, in order, each link
    /// has a sentence, ids are unique and below the next id, edited text is not too long.
    pub fn check(&self) -> std::result::Result<(), Refused> {
        let mut at = (0, 0);
        let mut ids = rustc_hash::FxHashSet::default();
        for (i, link) in self.links.iter().enumerate() {
            if link.src.start != at.0 || link.tgt.start != at.1 {
                return Err(Refused(format!(
                    "link {} (position {i}) does not start where the one before ends",
                    link.id
                )));
            }
            if link.src.end < link.src.start || link.tgt.end < link.tgt.start {
                return Err(Refused(format!("link {} has a reversed range", link.id)));
            }
            if link.src.is_empty() && link.tgt.is_empty() {
                return Err(Refused(format!("link {} holds no sentence", link.id)));
            }
            if !ids.insert(link.id) || link.id >= self.next_id {
                return Err(Refused(format!("link id {} is not unique", link.id)));
            }
            if !link.score.is_finite() {
                return Err(Refused(format!("link {} has no score", link.id)));
            }
            at = (link.src.end, link.tgt.end);
        }
        if at != (self.src.len(), self.tgt.len()) {
            return Err(Refused(format!(
                "the links cover {} source and {} target sentences of {} and {}",
                at.0,
                at.1,
                self.src.len(),
                self.tgt.len()
            )));
        }
        // Undone last to first, each change must find its links where it left them: the
        // length it left is the length before it, less what it removed, plus what it put.
        let mut len = self.links.len();
        for change in self.undo.iter().rev() {
            if change.at + change.new_len > len {
                return Err(Refused("the undo history does not fit the links".into()));
            }
            len = len - change.new_len + change.old.len();
        }
        Ok(())
    }

    /// The position of link `id`.
    pub fn position(&self, id: u64) -> std::result::Result<usize, Refused> {
        self.links
            .iter()
            .position(|l| l.id == id)
            .ok_or_else(|| Refused(format!("no link {id}")))
    }

    /// The sentences of `side`.
    pub fn sentences(&self, side: Side) -> &[String] {
        match side {
            Side::Src => &self.src,
            Side::Tgt => &self.tgt,
        }
    }

    /// The text of one side of a link: as edited, else its sentences joined by a space.
    pub fn text(&self, link: &Link, side: Side) -> String {
        match link.edited(side) {
            Some(text) => text.to_string(),
            None => self.joined(link.range(side).clone(), side),
        }
    }

    fn joined(&self, range: Range<usize>, side: Side) -> String {
        self.sentences(side)
            .get(range)
            .unwrap_or_default()
            .join(" ")
    }

    /// Operations that can be undone.
    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    /// Applies `op`; returns what changed, or why it was refused (the review unchanged).
    pub fn apply(&mut self, op: &Op) -> std::result::Result<Patch, Refused> {
        match op {
            Op::Undo => self.undo(),
            Op::Merge { id } => self.merge(*id),
            Op::Split { id, src_at, tgt_at } => self.split(*id, *src_at, *tgt_at),
            Op::Move { id, side, to } => self.move_sentence(*id, *side, *to),
            Op::Accept { id } => self.set_status(*id, Status::Accepted),
            Op::Reject { id } => self.set_status(*id, Status::Rejected),
            Op::Status { id, status } => self.set_status(*id, *status),
            Op::Edit { id, side, text } => self.edit(*id, *side, text),
            Op::Comment { id, text } => self.comment(*id, text),
        }
    }

    /// Replaces `remove` links at `at` by `links`, recording the change for undo.
    fn replace(&mut self, at: usize, remove: usize, links: Vec<Link>) -> Patch {
        let new_len = links.len();
        let old: Vec<Link> = self
            .links
            .splice(at..at + remove, links.iter().cloned())
            .collect();
        self.undo.push(Change { at, old, new_len });
        if self.undo.len() > MAX_UNDO {
            self.undo.remove(0);
        }
        Patch {
            at,
            remove,
            links,
            undo: self.undo.len(),
        }
    }

    fn fresh_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn undo(&mut self) -> std::result::Result<Patch, Refused> {
        let change = self
            .undo
            .pop()
            .ok_or_else(|| Refused("nothing to undo".into()))?;
        let end = change.at + change.new_len;
        if end > self.links.len() {
            return Err(Refused("the undo history does not fit the links".into()));
        }
        let undone: Vec<Link> = self
            .links
            .splice(change.at..end, change.old.iter().cloned())
            .collect();
        if let Err(broken) = self.check() {
            // A history edited by hand into something that does not fit: keep the links.
            self.links
                .splice(change.at..change.at + change.old.len(), undone);
            return Err(Refused(format!("the undo history is damaged: {broken}")));
        }
        Ok(Patch {
            at: change.at,
            remove: change.new_len,
            links: change.old,
            undo: self.undo.len(),
        })
    }

    fn merge(&mut self, id: u64) -> std::result::Result<Patch, Refused> {
        let at = self.position(id)?;
        let (Some(a), Some(b)) = (self.links.get(at), self.links.get(at + 1)) else {
            return Err(Refused(format!(
                "link {id} is the last: nothing to merge with"
            )));
        };
        let edited = |side| a.edited(side).is_some() || b.edited(side).is_some();
        let join = |side| {
            let texts = [self.text(a, side), self.text(b, side)];
            texts
                .iter()
                .filter(|t| !t.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let comment = [a.comment.as_str(), b.comment.as_str()]
            .iter()
            .filter(|c| !c.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("; ");
        let merged = Link {
            id: a.id,
            src: a.src.start..b.src.end,
            tgt: a.tgt.start..b.tgt.end,
            score: a.score.min(b.score),
            status: Status::Unreviewed,
            comment,
            src_text: edited(Side::Src).then(|| join(Side::Src)),
            tgt_text: edited(Side::Tgt).then(|| join(Side::Tgt)),
        };
        Ok(self.replace(at, 2, vec![merged]))
    }

    fn split(
        &mut self,
        id: u64,
        src_at: Option<usize>,
        tgt_at: Option<usize>,
    ) -> std::result::Result<Patch, Refused> {
        let at = self.position(id)?;
        let link = self.links[at].clone();
        if link.src_text.is_some() || link.tgt_text.is_some() {
            return Err(Refused(format!(
                "link {id} has edited text: undo the edit before splitting it"
            )));
        }
        let (n, m) = (link.src.len(), link.tgt.len());
        if n + m < 2 {
            return Err(Refused(format!(
                "link {id} holds one sentence: nothing to split"
            )));
        }
        let src_at = src_at.unwrap_or(if n >= 2 { 1 } else { n });
        let tgt_at = tgt_at.unwrap_or(if m >= 2 {
            1
        } else if n >= 2 {
            m
        } else {
            0
        });
        if src_at > n || tgt_at > m {
            return Err(Refused(format!(
                "link {id} is {n}-{m}: cannot keep {src_at}-{tgt_at} in its first part"
            )));
        }
        if src_at + tgt_at == 0 || (n - src_at) + (m - tgt_at) == 0 {
            return Err(Refused(format!(
                "splitting link {id} at {src_at}-{tgt_at} leaves a part without a sentence"
            )));
        }
        let mid = (link.src.start + src_at, link.tgt.start + tgt_at);
        let first = Link {
            src: link.src.start..mid.0,
            tgt: link.tgt.start..mid.1,
            status: Status::Unreviewed,
            ..link.clone()
        };
        let second = Link {
            id: self.fresh_id(),
            src: mid.0..link.src.end,
            tgt: mid.1..link.tgt.end,
            status: Status::Unreviewed,
            comment: String::new(),
            ..link
        };
        Ok(self.replace(at, 1, vec![first, second]))
    }

    fn move_sentence(
        &mut self,
        id: u64,
        side: Side,
        to: Direction,
    ) -> std::result::Result<Patch, Refused> {
        let at = self.position(id)?;
        let other = match to {
            Direction::Prev => at.checked_sub(1),
            Direction::Next => Some(at + 1).filter(|&i| i < self.links.len()),
        }
        .ok_or_else(|| Refused(format!("link {id} has no neighbour there")))?;
        let (first, second) = (at.min(other), at.max(other));
        let mut a = self.links[first].clone();
        let mut b = self.links[second].clone();
        if a.edited(side).is_some() || b.edited(side).is_some() {
            return Err(Refused(
                "a link involved has edited text on that side: undo the edit first".into(),
            ));
        }
        let giver_is_first = matches!(to, Direction::Next);
        let giver = if giver_is_first { &a } else { &b };
        if giver.range(side).is_empty() {
            return Err(Refused(format!(
                "link {id} has no sentence on that side to move"
            )));
        }
        if giver_is_first {
            a.range_mut(side).end -= 1;
            b.range_mut(side).start -= 1;
        } else {
            a.range_mut(side).end += 1;
            b.range_mut(side).start += 1;
        }
        a.status = Status::Unreviewed;
        b.status = Status::Unreviewed;
        let links: Vec<Link> = [a, b]
            .into_iter()
            .filter(|l| !(l.src.is_empty() && l.tgt.is_empty()))
            .collect();
        Ok(self.replace(first, 2, links))
    }

    fn set_status(&mut self, id: u64, status: Status) -> std::result::Result<Patch, Refused> {
        let at = self.position(id)?;
        let link = Link {
            status,
            ..self.links[at].clone()
        };
        Ok(self.replace(at, 1, vec![link]))
    }

    fn edit(&mut self, id: u64, side: Side, text: &str) -> std::result::Result<Patch, Refused> {
        let at = self.position(id)?;
        let text = text.trim();
        if text.len() > MAX_TEXT_BYTES {
            return Err(Refused(format!(
                "the text is {} bytes, more than {MAX_TEXT_BYTES}",
                text.len()
            )));
        }
        let mut link = self.links[at].clone();
        if link.range(side).is_empty() {
            return Err(Refused(format!(
                "link {id} has no sentence on that side: move one into it first"
            )));
        }
        let own = self.joined(link.range(side).clone(), side);
        *link.edited_mut(side) = (text != own).then(|| text.to_string());
        Ok(self.replace(at, 1, vec![link]))
    }

    fn comment(&mut self, id: u64, text: &str) -> std::result::Result<Patch, Refused> {
        let at = self.position(id)?;
        if text.len() > MAX_TEXT_BYTES {
            return Err(Refused(format!(
                "the comment is {} bytes, more than {MAX_TEXT_BYTES}",
                text.len()
            )));
        }
        let link = Link {
            comment: text.trim().to_string(),
            ..self.links[at].clone()
        };
        Ok(self.replace(at, 1, vec![link]))
    }

    /// The units and annotations of the links not rejected, in order.
    pub fn units(&self) -> (Vec<TranslationUnit>, Vec<Annotation>) {
        self.links
            .iter()
            .filter(|l| l.status != Status::Rejected)
            .map(|l| {
                let unit = TranslationUnit {
                    src_ids: l.src.clone(),
                    tgt_ids: l.tgt.clone(),
                    src: self.text(l, Side::Src),
                    tgt: self.text(l, Side::Tgt),
                    score: l.score,
                };
                let annotation = Annotation {
                    props: vec![(STATUS_PROP.to_string(), l.status.name().to_string())],
                    notes: (!l.comment.is_empty())
                        .then(|| l.comment.clone())
                        .into_iter()
                        .collect(),
                };
                (unit, annotation)
            })
            .unzip()
    }

    /// Writes the links not rejected to `path` (atomically; never over one of `inputs`) with
    /// `options` (format, tags, null links, threshold).
    pub fn export(
        &self,
        path: &Path,
        options: &ExportOptions,
        inputs: &[&Path],
        policy: OutputPolicy,
    ) -> Result<Written> {
        let (units, annotations) = self.units();
        let mut plan = OutputPlan::new(policy);
        plan.inputs(inputs.iter().copied());
        let mut output = plan.claim(path)?.open()?;
        let written = export::write_annotated(&units, &annotations, options, &mut output)?;
        output.commit()?;
        Ok(written)
    }

    /// The review as a workbook ([`xlsx`]): every link, rejected ones too (with their status,
    /// so a spreadsheet reviewer sees them; reading the sheet back leaves them out).
    pub fn workbook(&self) -> xlsx::Workbook {
        xlsx::Workbook {
            src_tag: Some(self.src_tag.clone()),
            tgt_tag: Some(self.tgt_tag.clone()),
            rows: self
                .links
                .iter()
                .map(|l| xlsx::Row {
                    id: l.id.to_string(),
                    source: self.text(l, Side::Src),
                    target: self.text(l, Side::Tgt),
                    score: Some(l.score),
                    kind: l.kind(),
                    status: l.status.name().to_string(),
                    comment: l.comment.clone(),
                })
                .collect(),
        }
    }

    /// Writes the review as an XLSX workbook to `path` (atomically; never over one of `inputs`).
    pub fn export_xlsx(&self, path: &Path, inputs: &[&Path], policy: OutputPolicy) -> Result<()> {
        let book = self.workbook();
        crate::io::output::write_file(path, inputs, policy, |out| {
            xlsx::write(out, &book).map_err(|e| Error::io(path, e))
        })
    }

    /// A review of a workbook a spreadsheet user edited: each row one link over its own source
    /// and target sentence (none for an empty cell), with its status (an unknown word is an
    /// error naming the row), comment and score; rows without text are left out. The language
    /// tags come from the workbook, else `langs`.
    pub fn from_workbook(book: &xlsx::Workbook, name: &str, langs: (&str, &str)) -> Result<Review> {
        let mut src = Vec::new();
        let mut tgt = Vec::new();
        let mut links = Vec::new();
        for (n, row) in book.rows.iter().enumerate() {
            let status = Status::parse(&row.status).ok_or_else(|| {
                Error::input(
                    name,
                    format!(
                        "row {}: status '{}' is none of unreviewed, accepted, rejected",
                        n + 2,
                        row.status
                    ),
                )
            })?;
            let (s, t) = (row.source.trim(), row.target.trim());
            let start = (src.len(), tgt.len());
            if !s.is_empty() {
                src.push(s.to_string());
            }
            if !t.is_empty() {
                tgt.push(t.to_string());
            }
            links.push(Link {
                id: links.len() as u64,
                src: start.0..src.len(),
                tgt: start.1..tgt.len(),
                score: row.score.unwrap_or(0.0).clamp(0.0, 1.0),
                status,
                comment: row.comment.trim().to_string(),
                src_text: None,
                tgt_text: None,
            });
        }
        let review = Review {
            version: STATE_VERSION,
            src_name: name.to_string(),
            tgt_name: name.to_string(),
            src_tag: book.src_tag.clone().unwrap_or_else(|| langs.0.to_string()),
            tgt_tag: book.tgt_tag.clone().unwrap_or_else(|| langs.1.to_string()),
            src,
            tgt,
            next_id: links.len() as u64,
            links,
            export: ExportTarget::default(),
            undo: Vec::new(),
        };
        review.check().map_err(|r| Error::input(name, r.0))?;
        Ok(review)
    }

    /// The state as JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self)
            .map_err(|e| Error::usage(format!("cannot write the review state: {e}")))
    }

    /// Reads a state written by [`Review::to_json`]; `name` names it in errors. The state is
    /// checked ([`Review::check`]): a file edited into an impossible alignment is refused.
    pub fn from_json(name: &str, text: &str) -> Result<Review> {
        let review: Review = serde_json::from_str(text)
            .map_err(|e| Error::input(name, format!("not a bitext review state: {e}")))?;
        if review.version != STATE_VERSION {
            return Err(Error::input(
                name,
                format!(
                    "review state version {} (this bitext reads version {STATE_VERSION})",
                    review.version
                ),
            ));
        }
        review
            .check()
            .map_err(|r| Error::input(name, format!("inconsistent review state: {r}")))?;
        Ok(review)
    }

    /// Saves the state to `path` atomically (never over one of `inputs`).
    pub fn save(&self, path: &Path, inputs: &[&Path]) -> Result<()> {
        let json = self.to_json()?;
        crate::io::output::write_file(path, inputs, OutputPolicy::default(), |out| {
            std::io::Write::write_all(out, json.as_bytes()).map_err(|e| Error::io(path, e))
        })
    }

    /// Loads a state saved by [`Review::save`].
    pub fn load(path: &Path) -> Result<Review> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Review::from_json(&path.display().to_string(), &text)
    }
}

#[cfg(test)]
mod tests;
