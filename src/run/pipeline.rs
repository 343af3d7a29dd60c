//! Pipeline: one pair of [`Document`]s -> scored [`TranslationUnit`]s, the whole per-pair work
//! of `bitext align` (normalise, split or take lines, refuse implausible pairs, align, score,
//! materialise the text) as one library call shared by the single-pair, batch and stream modes.
//!
//! Nothing is printed here: warnings come back with the result ([`AlignedPair::warnings`]) or
//! with the error ([`PairError::warnings`]), so a caller that runs many pairs in parallel can
//! report them per pair. Two checks guard against input that is not a translation pair or not
//! running text: sides whose character counts differ more than [`MAX_LENGTH_RATIO`] times are
//! refused (unless [`Settings::force`]), and a sentence longer than [`LONG_SENTENCE_BYTES`]
//! (a file with no sentence boundary) is warned about, naming the file and the length.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::align::learn::Trainer;
use crate::align::lexicon::Lexicon;
use crate::align::{self, CostModel};
use crate::error::{Error, Warning};
use crate::export::TranslationUnit;
use crate::length::length_ratio;
use crate::read::vectors::PairVectors;
use crate::read::{self, Document};
use crate::split::{self, SplitDocument};
use crate::{normalize, score, Lang};

use super::check;

/// Above this ratio of character counts two documents are not translations of each other.
pub const MAX_LENGTH_RATIO: f64 = 10.0;

/// A sentence longer than this (1 MiB) means the splitter found no boundary in a long stretch.
pub const LONG_SENTENCE_BYTES: usize = 1 << 20;

/// How to align a pair: languages, splitting and the aligner's options.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Language of the source side (splitting rules, matching keys).
    pub src_lang: Lang,
    /// Language of the target side.
    pub tgt_lang: Lang,
    /// Inputs hold one sentence a line; do not split.
    pub presplit: bool,
    /// The splitter's settings (how single line breaks are read).
    pub split: split::Options,
    /// Align even when one side is more than [`MAX_LENGTH_RATIO`] times longer.
    pub force: bool,
    /// The aligner's options.
    pub align: align::Options,
    /// Bilingual dictionary entries counted as anchor evidence (`--dict`).
    pub lexicon: Option<Arc<Lexicon>>,
    /// Learn word translations from the pair's own confident links and align again with them
    /// ([`align::learn`]), unless [`Settings::learned`] gives a lexicon learned already.
    pub learn: bool,
    /// Word translations learned from a whole batch (the first pass of a batch run).
    pub learned: Option<Arc<Lexicon>>,
    /// Pair sentences the monotone search left unaligned on both sides when they share rare
    /// evidence nearby: links that cross ([`score::pair_crossing`]).
    pub crossing: bool,
    /// Keep each side's sentences in [`AlignedPair::sentences`] (a review splits and moves
    /// them); off for runs that only write the units.
    pub keep_sentences: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            src_lang: Lang::En,
            tgt_lang: Lang::Ru,
            presplit: false,
            split: split::Options::default(),
            force: false,
            align: align::Options::default(),
            lexicon: None,
            learn: true,
            learned: None,
            crossing: true,
            keep_sentences: false,
        }
    }
}

/// The aligned units of one pair, with what the stages reported and the counts a summary needs.
#[derive(Debug, Clone)]
pub struct AlignedPair {
    /// Every link of the alignment (null links included), in order, with its text and score.
    pub units: Vec<TranslationUnit>,
    /// Warnings of the stages (normalisation, sentences without a boundary).
    pub warnings: Vec<Warning>,
    /// Number of source sentences.
    pub src_sentences: usize,
    /// Number of target sentences.
    pub tgt_sentences: usize,
    /// How likely the two texts are translations of each other, in [0, 1]
    /// ([`check::document_score`]), or `None` for a pair too short to judge.
    pub document_score: Option<f64>,
    /// For two subtitle files on one timeline, the map between their times the aligner used
    /// as evidence ([`align::timing`]).
    pub time_map: Option<align::timing::TimeMap>,
    /// How long each stage took, in order: `split` (normalising and splitting both sides),
    /// `first pass`, `first pass again` (with the confident links' length ratio), `document
    /// score` and `learning` (run side by side, each timed alone), `second pass`, `crossing
    /// links`; a stage that did not run is left out.
    pub stages: Vec<(&'static str, Duration)>,
    /// The source and target sentences, trimmed, when [`Settings::keep_sentences`] asks.
    pub sentences: Option<(Vec<String>, Vec<String>)>,
    /// Target characters per source character as the confident 1-1 links of the first pass
    /// measured them, when that pass was run again with it (a passage one side lacks had
    /// skewed the documents' totals); `None` when the totals were used.
    pub length_ratio: Option<f64>,
}

impl AlignedPair {
    /// Number of links (units), null links included.
    pub(crate) fn links(&self) -> usize {
        self.units.len()
    }

    /// Sum of the link scores that are numbers, and how many there are.
    pub(crate) fn score_sum(&self) -> (f64, usize) {
        self.units
            .iter()
            .filter(|u| u.score.is_finite())
            .fold((0.0, 0), |(sum, n), u| (sum + u.score, n + 1))
    }

    /// Mean link score, or `None` when there is no scored link.
    #[cfg(test)]
    pub(crate) fn mean_score(&self) -> Option<f64> {
        let (sum, n) = self.score_sum();
        (n > 0).then(|| sum / n as f64)
    }
}

/// A pair that could not be aligned: the error, and the warnings raised before it.
#[derive(Debug)]
pub struct PairError {
    /// What went wrong (it names the file).
    pub error: Error,
    /// Warnings raised before the error (e.g. a side without sentence boundaries).
    pub warnings: Vec<Warning>,
}

impl fmt::Display for PairError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for PairError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.error)
    }
}

impl From<Error> for PairError {
    fn from(error: Error) -> PairError {
        PairError {
            error,
            warnings: Vec::new(),
        }
    }
}

/// Aligns two documents: normalise, split (or take lines), check the length ratio, align, score.
pub fn align_documents(
    src: Document,
    tgt: Document,
    settings: &Settings,
) -> Result<AlignedPair, PairError> {
    align_documents_with(src, tgt, None, settings)
}

/// [`align_documents`] with the sentences' vectors from an embedding model as evidence too
/// ([`align::semantic`]): one row per sentence of each side as split (or per line,
/// [`Settings::presplit`]); rows that do not fit the sentences are an error naming the file.
pub fn align_documents_with(
    src: Document,
    tgt: Document,
    vectors: Option<&PairVectors>,
    settings: &Settings,
) -> Result<AlignedPair, PairError> {
    align_documents_checked(src, tgt, vectors, settings, None)
}

/// [`align_documents_with`] for a pair whose [`FirstPass`] (the same documents, no vectors,
/// no learning) passed its checks: the length ratio and the languages are not checked again,
/// and the document score is that pass's, as a single pair's is (the model learned from a
/// batch holds word translations learned from this pair's own links, which would make them
/// share keys). `checked` is ignored when there are vectors: the first pass ran without them.
pub fn align_documents_checked(
    src: Document,
    tgt: Document,
    vectors: Option<&PairVectors>,
    settings: &Settings,
    checked: Option<Checked>,
) -> Result<AlignedPair, PairError> {
    let checked = checked.filter(|_| vectors.is_none());
    let mut warnings = Vec::new();
    for doc in [&src, &tgt] {
        if doc.is_blank() {
            return Err(Error::input(&doc.name, "the document holds no text").into());
        }
    }
    let started = Instant::now();
    let src = prepare(src, settings.src_lang, settings, &mut warnings);
    let tgt = prepare(tgt, settings.tgt_lang, settings, &mut warnings);
    let stages = vec![("split", started.elapsed())];
    if let Some((file, what)) = vectors.and_then(|v| v.mismatch(src.len(), tgt.len())) {
        return Err(PairError {
            error: Error::input(file, what),
            warnings,
        });
    }
    if !settings.force && checked.is_none() {
        let passed = check_length_ratio(&src, &tgt).and_then(|()| {
            check::check_languages(&src, &tgt, settings.src_lang, settings.tgt_lang)
        });
        if let Err(error) = passed {
            return Err(PairError { error, warnings });
        }
    }
    let extras = Extras {
        vectors,
        document_score: checked.as_ref().map(|c| c.document_score),
        around: checked
            .as_ref()
            .map(|c| (c.links.as_slice(), c.length_ratio)),
        ..Extras::default()
    };
    let mut pair = finish(&src, &tgt, extras, settings, warnings, stages);
    if let Some(score) = pair
        .document_score
        .filter(|&score| score < check::MIN_DOCUMENT_SCORE)
    {
        let why = format!(
            "the document score is {score:.2} (below {:.2}): few links share a number, name or \
             known word beyond what sentences of these texts share by chance, so {} and {} do \
             not look like translations of each other",
            check::MIN_DOCUMENT_SCORE,
            src.name,
            tgt.name
        );
        if !settings.force {
            return Err(PairError {
                error: Error::input(
                    &src.name,
                    format!("{why} (--force aligns them anyway, every link score multiplied by the document score)"),
                ),
                warnings: pair.warnings,
            });
        }
        // Forced: a link is right only if the pair is a translation pair at all, so its
        // probability is at most the posterior times the document score (below 0.5).
        for unit in &mut pair.units {
            unit.score *= score;
        }
        pair.warnings.push(Warning::new(
            src.name.clone(),
            format!("{why}; aligned as --force asks, every link score multiplied by {score:.2}"),
        ));
    }
    Ok(pair)
}

/// Aligns the two languages of one mixed-language document ([`read::mixed`]); sentences link
/// only within paired runs of paragraphs. `presplit` and `force` do not apply.
pub fn align_mixed(doc: &Document, settings: &Settings) -> Result<AlignedPair, PairError> {
    let mixed = read::mixed::separate(doc, settings.src_lang, settings.tgt_lang)?;
    let mut warnings = Vec::new();
    let started = Instant::now();
    let whole = Settings {
        presplit: false,
        ..settings.clone()
    };
    let src = prepare(mixed.src, settings.src_lang, &whole, &mut warnings);
    let tgt = prepare(mixed.tgt, settings.tgt_lang, &whole, &mut warnings);
    let stages = vec![("split", started.elapsed())];
    let extras = Extras {
        blocks: Some((mixed.src_blocks, mixed.tgt_blocks)),
        ..Extras::default()
    };
    Ok(finish(&src, &tgt, extras, settings, warnings, stages))
}

/// Normalises and splits one side (or takes its lines, `presplit`), adding its warnings.
fn prepare(
    doc: Document,
    lang: Lang,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) -> SplitDocument {
    let (doc, normalized) = normalize::normalize(doc);
    warnings.extend(normalized);
    let split = if settings.presplit {
        split::lines(doc)
    } else {
        split::split_with(doc, lang, &settings.split)
    };
    warnings.extend(long_sentence_warning(&split, settings.presplit));
    split
}

/// A warning when a sentence of `doc` is longer than [`LONG_SENTENCE_BYTES`]: the longest one.
fn long_sentence_warning(doc: &SplitDocument, presplit: bool) -> Option<Warning> {
    let long = doc
        .sentences
        .iter()
        .filter(|s| s.end - s.start > LONG_SENTENCE_BYTES)
        .count();
    let (index, longest) = doc
        .sentences
        .iter()
        .map(|s| s.end - s.start)
        .enumerate()
        .max_by_key(|&(i, len)| (len, std::cmp::Reverse(i)))?;
    if long == 0 {
        return None;
    }
    let boundary = if presplit {
        "no line break"
    } else {
        "no sentence boundary"
    };
    let others = match long {
        1 => String::new(),
        n => format!("; {} more sentences are over 1 MiB", n - 1),
    };
    Some(Warning::new(
        doc.name.clone(),
        format!(
            "the longest sentence (sentence {}) is {longest} bytes ({}) with {boundary}{others}; \
             it is aligned as one unit (is this running text with sentence punctuation?)",
            index + 1,
            read::human_bytes(longest as u64),
        ),
    ))
}

/// Characters of a document's sentences, white space excluded.
fn char_count(doc: &SplitDocument) -> usize {
    doc.texts()
        .map(|s| s.chars().filter(|c| !c.is_whitespace()).count())
        .sum()
}

/// Refuses two sides whose character counts differ more than [`MAX_LENGTH_RATIO`] times.
fn check_length_ratio(src: &SplitDocument, tgt: &SplitDocument) -> Result<(), Error> {
    let (a, b) = (char_count(src), char_count(tgt));
    let ratio = a.max(b) as f64 / a.min(b).max(1) as f64;
    if ratio <= MAX_LENGTH_RATIO {
        return Ok(());
    }
    let (long, short) = if a > b { (src, tgt) } else { (tgt, src) };
    Err(Error::input(
        &long.name,
        format!(
            "{ratio:.1} times longer than {} ({} vs {} characters): the files do not look like \
             translations of each other (--force aligns them anyway)",
            short.name,
            a.max(b),
            a.min(b)
        ),
    ))
}

/// Links scored at least this are taken as translations to learn words from (on the gold sets
/// about 95% of them are right).
pub(crate) const TRAINING_SCORE: f64 = 0.8;

/// True for a 1-1 link confident enough to learn word translations from.
fn is_training_link(link: &score::ScoredLink) -> bool {
    is_training(&link.link.src, &link.link.tgt, link.score)
}

/// True for a link over `src` and `tgt` sentences scored `score` that word translations are
/// learned from: 1-1, scored at least [`TRAINING_SCORE`].
fn is_training(src: &std::ops::Range<usize>, tgt: &std::ops::Range<usize>, score: f64) -> bool {
    src.len() == 1 && tgt.len() == 1 && score >= TRAINING_SCORE
}

/// The (source, target) texts of the units of a first pass that word translations are learned
/// from: 1-1 links scored at least [`TRAINING_SCORE`].
pub(crate) fn training_pairs(units: &[TranslationUnit]) -> impl Iterator<Item = (&str, &str)> {
    units
        .iter()
        .filter(|u| is_training(&u.src_ids, &u.tgt_ids, u.score))
        .map(|u| (u.src.as_str(), u.tgt.as_str()))
}

/// The (source, target) texts of one pair's confident 1-1 links after a first pass without
/// learning: what a batch learns word translations from ([`learn_from`]); empty when the pair
/// cannot be aligned.
pub fn first_pass_training(
    src: Document,
    tgt: Document,
    settings: &Settings,
) -> Vec<(String, String)> {
    first_pass(src, tgt, settings).training
}

/// What a first pass without learning found out about one pair, for the run after a batch
/// learns from all of them.
#[derive(Debug, Clone, Default)]
pub struct FirstPass {
    /// The (source, target) texts of the pair's confident 1-1 links ([`learn_from`]); empty
    /// when the pair cannot be aligned.
    pub training: Vec<(String, String)>,
    /// The checks the pair passed, `None` when it failed one (the later run finds and reports
    /// the failure itself).
    pub checked: Option<Checked>,
}

/// The checks a pair passed in its [`FirstPass`] (or skipped under [`Settings::force`]): the
/// length ratio, the languages, and the document score found; and the path the pass found,
/// which the run after learning searches around, as a single pair's second pass does.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The first pass's document score ([`check::document_score`]).
    pub document_score: Option<f64>,
    /// The first pass's links with their scores, in order.
    pub links: Vec<score::ScoredLink>,
    /// The length ratio the first pass was run with ([`AlignedPair::length_ratio`]).
    pub length_ratio: Option<f64>,
}

/// Aligns one pair without learning ([`FirstPass`]): the first pass of a batch. Its links
/// are a search path (no crossing links: those are paired after the last pass).
pub fn first_pass(src: Document, tgt: Document, settings: &Settings) -> FirstPass {
    let first_pass = Settings {
        learn: false,
        learned: None,
        crossing: false,
        ..settings.clone()
    };
    match align_documents(src, tgt, &first_pass) {
        Ok(pair) => FirstPass {
            training: training_pairs(&pair.units)
                .map(|(s, t)| (s.to_owned(), t.to_owned()))
                .collect(),
            checked: Some(Checked {
                document_score: pair.document_score,
                links: pair
                    .units
                    .iter()
                    .map(|u| score::ScoredLink {
                        link: align::Link {
                            src: u.src_ids.clone(),
                            tgt: u.tgt_ids.clone(),
                        },
                        score: u.score,
                    })
                    .collect(),
                length_ratio: pair.length_ratio,
            }),
        },
        Err(_) => FirstPass::default(),
    }
}

/// Word translations learned from the first passes of many pairs together
/// ([`first_pass_training`] of each), as `--batch` learns them; `None` when nothing was learned.
pub fn learn_from(per_pair: &[Vec<(String, String)>], src: Lang, tgt: Lang) -> Option<Lexicon> {
    let pairs: Vec<(&str, &str)> = per_pair
        .iter()
        .flatten()
        .map(|(s, t)| (s.as_str(), t.as_str()))
        .collect();
    Trainer::new(src, tgt, &pairs).train()
}

/// Confident 1-1 links a first pass must have for their length ratio to be trusted.
const MIN_RATIO_LINKS: usize = 3;

/// How far (relative) the confident links' length ratio may differ from the one a pass was
/// run with before the pass is run again with it.
const RATIO_TOLERANCE: f64 = 0.15;

/// Target characters per source character over the confident 1-1 links of `scored` (the
/// links learning trains on), when there are at least [`MIN_RATIO_LINKS`] of them and the
/// ratio is plausible for the languages ([`length_ratio`]).
fn confident_ratio(
    scored: &[score::ScoredLink],
    src: &SplitDocument,
    tgt: &SplitDocument,
    settings: &Settings,
) -> Option<f64> {
    let chars = |text: &str| text.chars().filter(|c| !c.is_whitespace()).count() as f64;
    let (mut n, mut src_chars, mut tgt_chars) = (0, 0.0, 0.0);
    for l in scored.iter().filter(|l| is_training_link(l)) {
        n += 1;
        src_chars += chars(src.sentence(l.link.src.start));
        tgt_chars += chars(tgt.sentence(l.link.tgt.start));
    }
    (n >= MIN_RATIO_LINKS)
        .then(|| length_ratio(src_chars, tgt_chars, settings.src_lang, settings.tgt_lang))
}

/// What a pair brings to [`finish`] besides its two sides.
#[derive(Default)]
struct Extras<'v> {
    /// Block of each paragraph of each side (a mixed document): sentences link only within
    /// a block.
    blocks: Option<(Vec<usize>, Vec<usize>)>,
    /// The sentences' vectors.
    vectors: Option<&'v PairVectors>,
    /// The document score found already ([`Checked`]), so it is not found again.
    document_score: Option<Option<f64>>,
    /// A first pass's links and length ratio ([`Checked`]): the pair is searched around them
    /// with the lexicons given (the run after a batch learned), not from its own guide.
    around: Option<(&'v [score::ScoredLink], Option<f64>)>,
}

/// Aligns, scores and materialises the units of two split sides.
fn finish(
    src: &SplitDocument,
    tgt: &SplitDocument,
    extras: Extras,
    settings: &Settings,
    warnings: Vec<Warning>,
    mut stages: Vec<(&'static str, Duration)>,
) -> AlignedPair {
    // Word translations learned from the first pass, kept as long as the model they join.
    let learned: Option<Lexicon>;
    let lexicons: Vec<&Lexicon> = settings
        .lexicon
        .iter()
        .chain(&settings.learned)
        .map(|l| &**l)
        .collect();
    // Around a previous pass's path the band starts narrower; the search widens it wherever
    // the path comes near its edge.
    let options_for = |guide: Option<&align::Guide>, ratio: Option<f64>| match guide {
        Some(_) => align::Options {
            band: settings
                .align
                .band
                .min(settings.align.params.band_around_path),
            length_ratio: settings.align.length_ratio.or(ratio),
            ..settings.align.clone()
        },
        None => align::Options {
            length_ratio: settings.align.length_ratio.or(ratio),
            ..settings.align.clone()
        },
    };
    // A pass over the whole pair, or around a previous pass's path (`guide`).
    let run = |lexicons: &[&Lexicon], ratio: Option<f64>, guide: Option<&align::Guide>| {
        let options = options_for(guide, ratio);
        let mut model = CostModel::with_lexicon(
            src,
            tgt,
            settings.src_lang,
            settings.tgt_lang,
            &options,
            lexicons,
        );
        if let Some((src_blocks, tgt_blocks)) = &extras.blocks {
            model = model.with_blocks(src_blocks.clone(), tgt_blocks.clone());
        }
        if let Some(vectors) = extras.vectors {
            model = model.with_vectors(&vectors.src, &vectors.tgt);
        }
        let scored = score::align_and_score(&model, guide);
        (scored, model.time_map(), 1.0 / model.inv_ratio(), model)
    };
    // The guide along a previous pass's path, cut at its confident links.
    let along = |scored: &[score::ScoredLink]| {
        let first = align::Alignment {
            links: scored.iter().map(|l| l.link.clone()).collect(),
        };
        let anchors = scored
            .iter()
            .filter(|l| is_training_link(l))
            .map(|l| (l.link.src.start, l.link.tgt.start));
        align::Guide::along(
            &first,
            anchors,
            src.len(),
            tgt.len(),
            &settings.align.params,
        )
    };
    // The document score is the first pass's: word translations learned from an unrelated
    // pair's own links would make those links share keys.
    let mut started = Instant::now();
    // Ends a stage: records it (unless `None`, a stage timed apart) and starts the next.
    let mut lap = |stage: Option<&'static str>, stages: &mut Vec<(&'static str, Duration)>| {
        if let Some(stage) = stage {
            stages.push((stage, started.elapsed()));
        }
        started = Instant::now();
    };
    let (mut scored, time_map, mut model, ratio) = match extras.around {
        // A batch's first pass already ran (and checked its length ratio): the pair is
        // searched around its path with the words learned from the whole batch.
        Some((first, ratio)) => {
            let (scored, time_map, _, model) = run(&lexicons, ratio, Some(&along(first)));
            lap(Some("second pass"), &mut stages);
            (scored, time_map, model, ratio)
        }
        None => {
            let (mut scored, time_map, used, mut model) = run(&lexicons, None, None);
            lap(Some("first pass"), &mut stages);
            // The length ratio of the first pass's confident 1-1 links: when a passage one
            // side lacks skewed the documents' totals the pass was run with, it is run again
            // with this one.
            let ratio = confident_ratio(&scored, src, tgt, settings)
                .filter(|r| (r / used - 1.0).abs() > RATIO_TOLERANCE);
            if ratio.is_some() {
                (scored, _, _, model) = run(&lexicons, ratio, None);
                lap(Some("first pass again"), &mut stages);
            }
            (scored, time_map, model, ratio)
        }
    };
    // The document score and the word translations read only the first pass: found side by
    // side.
    let judge = || match extras.document_score {
        Some(known) => (known, None),
        None => {
            let began = Instant::now();
            let core = Lexicon::core(settings.src_lang, settings.tgt_lang);
            let score = check::document_score(&model, core, &scored);
            (score, Some(began.elapsed()))
        }
    };
    let learn = || {
        (settings.learn && settings.learned.is_none()).then(|| {
            let began = Instant::now();
            let pairs: Vec<(&str, &str)> = scored
                .iter()
                .filter(|l| is_training_link(l))
                .map(|l| {
                    (
                        src.sentence(l.link.src.start),
                        tgt.sentence(l.link.tgt.start),
                    )
                })
                .collect();
            // The trainer's counts are not kept beside the second pass.
            let learned = Trainer::new(settings.src_lang, settings.tgt_lang, &pairs).train();
            (learned, began.elapsed())
        })
    };
    let ((document_score, judged), learning) = rayon::join(judge, learn);
    lap(None, &mut stages);
    if let Some(took) = judged {
        stages.push(("document score", took));
    }
    if let Some((lexicon, took)) = learning {
        stages.push(("learning", took));
        learned = lexicon;
        if let Some(learned) = &learned {
            // The second pass searches around the first one's path, cut at its confident links.
            let guide = along(&scored);
            // The second model is the first with the learned words as keys too (the first's
            // other keys are the same), searched around the first pass's path.
            model = model.with_learned(learned, &options_for(Some(&guide), ratio));
            scored = score::align_and_score(&model, Some(&guide));
            lap(Some("second pass"), &mut stages);
        }
    }
    if settings.crossing {
        // After the last pass, with its model: a crossing link has no place on a search path.
        scored = score::pair_crossing(&model, scored);
        lap(Some("crossing links"), &mut stages);
    }
    // The model's keys are not needed beside the units' text (the peak of a long text).
    drop(model);
    let units = scored
        .into_iter()
        .map(|l| TranslationUnit::from_link(&l, src, tgt))
        .collect();
    let sentences = settings.keep_sentences.then(|| {
        let texts = |doc: &SplitDocument| doc.texts().map(|s| s.trim().to_string()).collect();
        (texts(src), texts(tgt))
    });
    AlignedPair {
        units,
        warnings,
        src_sentences: src.len(),
        tgt_sentences: tgt.len(),
        document_score,
        time_map,
        stages,
        sentences,
        length_ratio: ratio,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "The SCO met in Beijing. It was chaired by China.";
    const RU: &str = "ШОС собралась в Пекине. Председательствовал Китай.";

    #[test]
    fn aligns_a_pair_and_counts() {
        let pair = align_documents(
            Document::from_text("en", EN),
            Document::from_text("ru", RU),
            &Settings::default(),
        )
        .expect("aligned");
        assert_eq!((pair.src_sentences, pair.tgt_sentences), (2, 2));
        assert_eq!(pair.links(), 2);
        assert_eq!(pair.units[1].src, "It was chaired by China.");
        let mean = pair.mean_score().expect("scored");
        assert!((0.0..=1.0).contains(&mean), "{mean}");
        assert!(pair.warnings.is_empty(), "{:?}", pair.warnings);
    }

    #[test]
    fn presplit_takes_lines() {
        let settings = Settings {
            presplit: true,
            ..Settings::default()
        };
        let pair = align_documents(
            Document::from_text("en", "One. Two.\nThree."),
            Document::from_text("ru", "Один. Два.\nТри."),
            &settings,
        )
        .expect("aligned");
        assert_eq!((pair.src_sentences, pair.tgt_sentences), (2, 2));
    }

    #[test]
    fn wildly_different_lengths_are_refused_unless_forced() {
        let long = "Это длинное предложение. ".repeat(40);
        let err = align_documents(
            Document::from_text("a.txt", "Short."),
            Document::from_text("b.txt", long.as_str()),
            &Settings::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("b.txt: "), "{err}");
        assert!(err.contains("times longer than a.txt"), "{err}");
        let forced = Settings {
            force: true,
            ..Settings::default()
        };
        let pair = align_documents(
            Document::from_text("a.txt", "Short."),
            Document::from_text("b.txt", long.as_str()),
            &forced,
        )
        .expect("forced");
        assert_eq!(pair.tgt_sentences, 40);
    }

    #[test]
    fn a_blank_side_is_an_error_naming_it() {
        let err = align_documents(
            Document::from_text("a.txt", EN),
            Document::from_text("b.txt", " \n "),
            &Settings::default(),
        )
        .unwrap_err()
        .to_string();
        assert_eq!(err, "b.txt: the document holds no text");
    }

    #[test]
    fn a_sentence_without_boundary_over_one_mebibyte_is_warned_with_its_length() {
        // 1.5 MiB of words without a full stop, then a real sentence.
        let mut text = "word ".repeat(300_000);
        text.push_str("end. Next one.");
        let doc = split::split(Document::from_text("big.txt", text), Lang::En);
        let w = long_sentence_warning(&doc, false).expect("warning");
        assert_eq!(w.location, "big.txt");
        assert!(
            w.message
                .contains("sentence 1) is 1500004 bytes (1.4 MiB) with no sentence boundary"),
            "{w}"
        );
        let short = split::split(Document::from_text("ok.txt", EN), Lang::En);
        assert_eq!(long_sentence_warning(&short, false), None);
    }

    #[test]
    fn warnings_raised_before_a_refusal_come_back_with_it() {
        // NFC changes the target; it is then refused as ten times shorter.
        let long = "Это длинное предложение. ".repeat(40);
        let err = align_documents(
            Document::from_text("a.txt", long.as_str()),
            Document::from_text("b.txt", "Cafe\u{301}."),
            &Settings::default(),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("a.txt: "), "{err}");
        assert_eq!(err.warnings.len(), 1, "{:?}", err.warnings);
        assert_eq!(err.warnings[0].location, "b.txt");
    }

    #[test]
    fn a_batch_pair_is_searched_around_its_first_pass_path() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let doc = |name: &str| {
            let text = std::fs::read_to_string(dir.join(name)).expect("fixture");
            Document::from_text(name, text)
        };
        let (en, ru) = (
            "sco-counter-narcotics-2018.en.txt",
            "sco-counter-narcotics-2018.ru.txt",
        );
        let settings = Settings::default();
        let first = first_pass(doc(en), doc(ru), &settings);
        let checked = first.checked.expect("the pair passes its checks");
        // The first pass's links are a search path (no crossing links): in order, each
        // sentence once.
        let mut at = (0, 0);
        for l in &checked.links {
            assert_eq!(
                (l.link.src.start, l.link.tgt.start),
                at,
                "{:?}",
                checked.links
            );
            at = (l.link.src.end, l.link.tgt.end);
        }
        let learned = learn_from(&[first.training], settings.src_lang, settings.tgt_lang);
        let batch = Settings {
            learned: Some(Arc::new(learned.expect("words learned"))),
            ..Settings::default()
        };
        let around = align_documents_checked(doc(en), doc(ru), None, &batch, Some(checked))
            .expect("aligns around the first path");
        let stages: Vec<&str> = around.stages.iter().map(|(stage, _)| *stage).collect();
        assert!(
            stages.contains(&"second pass") && !stages.contains(&"first pass"),
            "{stages:?}"
        );
        // A search of the whole pair with the same words finds the same links.
        let whole = align_documents_checked(doc(en), doc(ru), None, &batch, None).expect("aligns");
        let links = |pair: &AlignedPair| -> Vec<_> {
            pair.units
                .iter()
                .map(|u| (u.src_ids.clone(), u.tgt_ids.clone()))
                .collect()
        };
        assert_eq!(links(&around), links(&whole));
    }
}
