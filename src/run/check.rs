//! Is this the right pair? Two checks that keep a confident TMX from being made of the wrong
//! files (issue 15), both overridden by `--force` ([`super::pipeline::Settings::force`]):
//!
//! - [`check_languages`], before aligning: each side must be written in the script of its
//!   language (a Russian file given as `--src-lang en` is refused, swapped files named as
//!   such) and, between languages of one script that have function-word lists (en, de, fr),
//!   must not read as another of them (an English text given as `--tgt-lang fr`).
//! - [`document_score`], after the first alignment pass: how likely the two texts are
//!   translations of each other, from the anchors (numbers, names, glossary words, cognates)
//!   the links share compared with what sentences share by chance.

use crate::align::anchors::KeyBuf;
use crate::align::lexicon::{function_word_langs, Lexicon};
use crate::align::CostModel;
use crate::error::Error;
use crate::lang::script::{letter_counts, LetterCounts};
use crate::score::ScoredLink;
use crate::split::SplitDocument;
use crate::Lang;

/// Below this document score a pair is refused as not a translation pair (unless forced).
/// Calibrated with `benches/wrong_pair.sh` on the genuine fixtures, the Text+Berg documents
/// and unrelated pairs made of them (README, "Is it the right pair?"): genuine pairs scored
/// 0.54 and up, unrelated ones 0.32 and below (a text against its own translation shuffled;
/// pairs of different texts 0.09 and below). It is below 0.5, so a forced pair's link
/// scores, multiplied by its document score, stay below 0.5.
pub const MIN_DOCUMENT_SCORE: f64 = 0.4;

/// Fewer letters than this on a side are too few to tell its script.
const MIN_LETTERS: usize = 20;

/// Fewer words than this on a side are too few to tell its language by function words.
const MIN_WORDS: usize = 40;

/// A side reads as another language when that language's share of function words is at least
/// this many times the declared one's (measured: a language's own share is 30-50% of running
/// words, another's of the same script 3-12%).
const FUNCTION_WORD_MARGIN: f64 = 2.0;

/// What one side was found to be written in.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Found {
    /// In the declared language, or nothing to tell otherwise.
    Fine,
    /// In another script than the declared language's.
    Script(crate::lang::Script),
    /// In the script of the declared language, but reading as another language.
    Lang(Lang),
}

/// Refuses a pair whose sides are not written in the languages given: a side in the other
/// script (swapped files are named as such), or, for languages of one script with
/// function-word lists, a side that reads as another of them. Languages without a script
/// ([`Lang::Other`]) are not checked; nor are sides with too few letters or words to tell.
pub fn check_languages(
    src: &SplitDocument,
    tgt: &SplitDocument,
    src_lang: Lang,
    tgt_lang: Lang,
) -> Result<(), Error> {
    let found = [found(src, src_lang), found(tgt, tgt_lang)];
    let sides = [("source", src, src_lang), ("target", tgt, tgt_lang)];
    let flags = ["--src-lang", "--tgt-lang"];
    let force = "(--force aligns them anyway)";
    let describe = |k: usize| -> String {
        let (side, doc, lang) = sides[k];
        match found[k] {
            Found::Script(script) => format!(
                "the {side} ({}) is written in {script}, but {} {} is written in {}",
                doc.name,
                flags[k],
                lang.code(),
                lang.profile()
                    .script
                    .map_or("another script".to_string(), |s| s.to_string())
            ),
            Found::Lang(read) => format!(
                "the {side} ({}) reads as {} (by its function words), but {} is {}",
                doc.name,
                read.profile().name,
                flags[k],
                lang.code()
            ),
            Found::Fine => String::new(),
        }
    };
    // What a side is in, as script and as language: what was found, else what was declared.
    let script_of = |f: Found, lang: Lang| match f {
        Found::Script(s) => Some(s),
        _ => lang.profile().script,
    };
    let lang_of = |f: Found, lang: Lang| match f {
        Found::Lang(l) => Some(l),
        Found::Script(_) => None,
        Found::Fine => Some(lang),
    };
    let message = match found {
        [Found::Fine, Found::Fine] => return Ok(()),
        [a, b] if swapped(a, b, src_lang, tgt_lang) => {
            format!(
                "{}; {}: are the files swapped? {force}",
                describe(0),
                describe(1)
            )
        }
        _ => {
            let bad: Vec<String> = (0..2)
                .filter(|&k| found[k] != Found::Fine)
                .map(describe)
                .collect();
            let (a, b) = (found[0], found[1]);
            let same = match (a, b) {
                (Found::Lang(_), _) | (_, Found::Lang(_)) => lang_of(a, src_lang)
                    .filter(|&l| Some(l) == lang_of(b, tgt_lang))
                    .map(|l| l.profile().name.to_string()),
                _ => script_of(a, src_lang)
                    .filter(|&s| Some(s) == script_of(b, tgt_lang))
                    .map(|s| s.to_string()),
            };
            let hint = match same {
                Some(x) => format!("both sides are in {x}: the same language twice?"),
                None => "is it the right file?".to_string(),
            };
            format!("{}: {hint} {force}", bad.join("; "))
        }
    };
    Err(Error::usage(message))
}

/// True when each side is found to be what the other side's language is.
fn swapped(a: Found, b: Found, src_lang: Lang, tgt_lang: Lang) -> bool {
    let is = |f: Found, lang: Lang| match f {
        Found::Script(s) => lang.profile().script == Some(s),
        Found::Lang(l) => l == lang,
        Found::Fine => false,
    };
    is(a, tgt_lang) && is(b, src_lang)
}

/// Sentences a side's script and language are read from, at most: spread over the document,
/// they tell a language as surely as all of a long one.
const SAMPLE_SENTENCES: usize = 2000;

/// Up to [`SAMPLE_SENTENCES`] sentences of `doc`, evenly spread (all of a shorter document).
fn sample(doc: &SplitDocument) -> impl Iterator<Item = &str> {
    let step = doc.len().div_ceil(SAMPLE_SENTENCES).max(1);
    doc.texts().step_by(step)
}

/// What side `doc`, declared `lang`, is found to be written in.
fn found(doc: &SplitDocument, lang: Lang) -> Found {
    let Some(expected) = lang.profile().script else {
        return Found::Fine;
    };
    let mut n = LetterCounts::default();
    for s in sample(doc) {
        let c = letter_counts(s);
        n.latin += c.latin;
        n.cyrillic += c.cyrillic;
        n.all += c.all;
    }
    if n.latin + n.cyrillic < MIN_LETTERS {
        return Found::Fine;
    }
    match n.majority() {
        Some(script) if script != expected => return Found::Script(script),
        _ => {}
    }
    match read_language(doc, lang) {
        Some(read) => Found::Lang(read),
        None => Found::Fine,
    }
}

/// The language of `lang`'s script that `doc` reads as by its function words, when it is not
/// `lang` by a clear margin ([`FUNCTION_WORD_MARGIN`]); `None` when it reads as `lang`, or too
/// few words or lists to tell.
fn read_language(doc: &SplitDocument, lang: Lang) -> Option<Lang> {
    let script = lang.profile().script?;
    let rivals: Vec<Lang> = Lang::KNOWN
        .iter()
        .copied()
        .filter(|l| l.profile().script == Some(script))
        .collect();
    if rivals.len() < 2 {
        return None;
    }
    let mut hits = vec![0usize; rivals.len()];
    let mut words = 0usize;
    let mut lower = String::new();
    for s in sample(doc) {
        for word in s
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            lower.clear();
            if word.is_ascii() {
                lower.extend(word.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                lower.extend(word.chars().flat_map(char::to_lowercase));
            }
            words += 1;
            let langs = function_word_langs(&lower);
            if langs != 0 {
                for (k, &l) in rivals.iter().enumerate() {
                    hits[k] += (langs >> l.index() & 1) as usize;
                }
            }
        }
    }
    if words < MIN_WORDS {
        return None;
    }
    let own = hits[rivals.iter().position(|&l| l == lang)?];
    let (best, &most) = hits.iter().enumerate().max_by_key(|&(_, h)| *h)?;
    (rivals[best] != lang && most as f64 >= FUNCTION_WORD_MARGIN * own.max(1) as f64)
        .then_some(rivals[best])
}

/// With fewer non-null links than this, and no core vocabulary for the languages
/// ([`Lexicon::core`]), a pair is too short to judge: its numbers and names alone are too few
/// for their sharing to tell a translation from chance.
pub const MIN_LINKS_TO_JUDGE: usize = 8;

/// Null links in a run at least this long are a passage one side lacks (a missing chapter),
/// not the aligner skipping what it cannot match; they are left out of the one-to-one share.
pub const MISSING_PASSAGE_RUN: usize = 3;

/// Links the anchor shares of a document score are counted over, at most: evenly spread
/// over a longer document, they give its shares within about a percentage point (the
/// standard error of a share over 5,000 links is below 0.007).
const MAX_JUDGED_LINKS: usize = 5000;

/// The document score, in [0, 1]: how likely the two texts are translations of each other,
/// or `None` when there is nothing to judge by: no key on either side, or fewer than
/// [`MIN_LINKS_TO_JUDGE`] non-null links and no core vocabulary (`core`) for the languages.
///
/// It is the product of two shares, each near 1 for a translation:
///
/// - **anchors beyond chance**: over the non-null links, `on` is the share whose source and
///   target share an anchor key (a number, a name, a glossary or dictionary word, a cognate,
///   and for subtitles on one timeline a second of showing: the keys of [`CostModel`]; two
///   subtitle files whose cues keep time are of one film) or a word of the core vocabulary,
///   and `off` the same share when each link's source is set against the target of a link a
///   third and two thirds of the document away (every other link, below
///   [`MIN_LINKS_TO_JUDGE`] links): what
///   sentences of these two texts share by chance (the topic's names, the year). The share
///   of links that share more than chance explains is `n (on - off) / (n (1 - off) + 1)`
///   (0 when negative; one pseudo-link of no evidence, so that a few links cannot score high);
/// - **one-to-one links**: the share of links that are 1-1, null links in runs of
///   [`MISSING_PASSAGE_RUN`] or more (a missing passage) left out. Sentences of a
///   translation mostly correspond one to one; an aligner forced through unrelated texts
///   merges and skips sentences to make their lengths meet.
///
/// Null links are left out of the first share and missing passages of the second, so a
/// genuine pair with a missing chapter scores as its aligned part does. The model should be
/// the first pass's: word translations learned from an unrelated pair's links would make its
/// own links share keys.
pub fn document_score(
    model: &CostModel,
    core: Option<&Lexicon>,
    links: &[ScoredLink],
) -> Option<f64> {
    let mut buf = KeyBuf::new();
    let non_null = links.iter().filter(|l| !l.link.is_null()).count();
    let step = non_null.div_ceil(MAX_JUDGED_LINKS).max(1);
    let linked: Vec<(Vec<u64>, Vec<u64>)> = links
        .iter()
        .filter(|l| !l.link.is_null())
        .step_by(step)
        .map(|l| {
            (
                keys(model, core, 0, l.link.src.clone(), &mut buf),
                keys(model, core, 1, l.link.tgt.clone(), &mut buf),
            )
        })
        .collect();
    let linked = without_frequent_keys(linked);
    let n = linked.len();
    let keyless = linked
        .iter()
        .all(|(src, tgt)| src.is_empty() && tgt.is_empty());
    if n == 0 || keyless || (n < MIN_LINKS_TO_JUDGE && core.is_none()) {
        return None;
    }
    let share = |shift: usize| {
        let hits = (0..n)
            .filter(|&k| {
                let (src, _) = &linked[k];
                let (_, tgt) = &linked[(k + shift) % n];
                shares(src, tgt)
            })
            .count();
        hits as f64 / n as f64
    };
    let on = share(0);
    let mut shifts: Vec<usize> = if n < MIN_LINKS_TO_JUDGE {
        (1..n).collect()
    } else {
        [n.div_ceil(3), (2 * n).div_ceil(3)]
            .into_iter()
            .filter(|&s| s % n != 0)
            .collect()
    };
    shifts.dedup();
    let off = shifts.iter().map(|&s| share(s)).sum::<f64>() / shifts.len().max(1) as f64;
    let nf = n as f64;
    let anchors = (nf * (on - off) / (nf * (1.0 - off) + 1.0)).clamp(0.0, 1.0);
    Some(anchors * one_to_one_share(links))
}

/// `linked` without the keys that more than a quarter of the links (and more than two) hold
/// on either side: the topic's words and names, shared by any two sentences of these texts,
/// would make every pairing look related.
fn without_frequent_keys(mut linked: Vec<(Vec<u64>, Vec<u64>)>) -> Vec<(Vec<u64>, Vec<u64>)> {
    let limit = (linked.len() / 4).max(2);
    let mut df: rustc_hash::FxHashMap<u64, [usize; 2]> = Default::default();
    for (src, tgt) in &linked {
        for &k in src {
            df.entry(k).or_default()[0] += 1;
        }
        for &k in tgt {
            df.entry(k).or_default()[1] += 1;
        }
    }
    let rare = |k: &u64| df.get(k).is_none_or(|d| d[0] <= limit && d[1] <= limit);
    for (src, tgt) in &mut linked {
        src.retain(rare);
        tgt.retain(rare);
    }
    linked
}

/// The share of `links` that are 1-1, null links in runs of [`MISSING_PASSAGE_RUN`] or more
/// left out, with one 1-1 pseudo-link.
fn one_to_one_share(links: &[ScoredLink]) -> f64 {
    let mut counted = 0usize;
    let mut one_to_one = 0usize;
    let mut run = 0usize;
    let flush = |run: &mut usize, counted: &mut usize| {
        if *run < MISSING_PASSAGE_RUN {
            *counted += *run;
        }
        *run = 0;
    };
    for l in links {
        if l.link.is_null() {
            run += 1;
            continue;
        }
        flush(&mut run, &mut counted);
        counted += 1;
        one_to_one += usize::from(l.link.src.len() == 1 && l.link.tgt.len() == 1);
    }
    flush(&mut run, &mut counted);
    // One pseudo-link that is 1-1, so that one wide link of two does not halve the score.
    match counted {
        0 => 0.0,
        c => (one_to_one + 1) as f64 / (c + 1) as f64,
    }
}

/// The distinct keys of sentences `range` of side `side`, sorted: the model's keys both
/// documents hold, and the entries of the core vocabulary (`core`) the sentences hold (marked
/// by the top bit, hashed).
fn keys(
    model: &CostModel,
    core: Option<&Lexicon>,
    side: usize,
    range: std::ops::Range<usize>,
    buf: &mut KeyBuf,
) -> Vec<u64> {
    let mut keys: Vec<u64> = range
        .clone()
        .flat_map(|i| model.keys(side, i).iter().copied())
        .filter(|&k| model.key_weight(k) > 0.0)
        .map(u64::from)
        .collect();
    if let Some(core) = core {
        let doc = if side == 0 { model.src() } else { model.tgt() };
        buf.clear();
        for i in range {
            core.keys_into(side, doc.sentence(i), buf);
        }
        keys.extend(buf.iter().map(|key| {
            use std::hash::{BuildHasher, BuildHasherDefault};
            let hash = BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(key);
            hash | 1 << 63
        }));
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// True when the sorted lists share an element.
fn shares(a: &[u64], b: &[u64]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Document;
    use crate::split;

    fn doc(name: &str, text: &str, lang: Lang) -> SplitDocument {
        split::split(Document::from_text(name, text), lang)
    }

    const EN: &str = "The committee met in the capital on Monday. It was the first meeting of \
        the year and the members discussed the budget with the minister. They agreed that the \
        report would be published in the spring, and that the next meeting would be held in \
        the autumn at the same place.";
    const RU: &str = "Комитет собрался в столице в понедельник. Это было первое заседание в \
        этом году, и члены комитета обсудили бюджет с министром. Они согласились, что доклад \
        будет опубликован весной, а следующее заседание пройдет осенью там же.";
    const FR: &str = "Le comité s'est réuni dans la capitale lundi. C'était la première réunion \
        de l'année et les membres ont discuté du budget avec le ministre. Ils sont convenus que \
        le rapport serait publié au printemps et que la prochaine réunion aurait lieu à \
        l'automne au même endroit, avec les membres du comité et de la commission.";

    #[test]
    fn sides_in_their_languages_pass() {
        let (en, ru, fr) = (
            doc("a.en", EN, Lang::En),
            doc("b.ru", RU, Lang::Ru),
            doc("c.fr", FR, Lang::Fr),
        );
        assert!(check_languages(&en, &ru, Lang::En, Lang::Ru).is_ok());
        assert!(check_languages(&en, &fr, Lang::En, Lang::Fr).is_ok());
        // Languages without a script are not checked.
        assert!(check_languages(&en, &ru, Lang::En, Lang::Other).is_ok());
    }

    #[test]
    fn swapped_files_are_named_as_such() {
        let (en, ru) = (doc("a.en", EN, Lang::En), doc("b.ru", RU, Lang::Ru));
        let err = check_languages(&ru, &en, Lang::En, Lang::Ru)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "the source (b.ru) is written in Cyrillic, but --src-lang en is written in Latin"
            ) && err.contains("are the files swapped?")
                && err.contains("--force"),
            "{err}"
        );
        let fr = doc("c.fr", FR, Lang::Fr);
        let err = check_languages(&fr, &en, Lang::En, Lang::Fr)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("reads as French") && err.contains("swapped"),
            "{err}"
        );
    }

    #[test]
    fn one_language_on_both_sides_is_refused() {
        let en = doc("a.en", EN, Lang::En);
        let err = check_languages(&en, &en, Lang::En, Lang::Ru)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "the target (a.en) is written in Latin, but --tgt-lang ru is written in Cyrillic"
            ) && err.contains("both sides are in Latin: the same language twice?"),
            "{err}"
        );
        let err = check_languages(&en, &en, Lang::En, Lang::Fr)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("the target (a.en) reads as English")
                && err.contains("both sides are in English"),
            "{err}"
        );
    }

    #[test]
    fn short_sides_are_not_judged() {
        let (en, ru) = (doc("a", "Yes.", Lang::En), doc("b", "Да.", Lang::Ru));
        assert!(check_languages(&ru, &en, Lang::En, Lang::Ru).is_ok());
    }

    fn link(src: std::ops::Range<usize>, tgt: std::ops::Range<usize>) -> ScoredLink {
        ScoredLink {
            link: crate::align::Link { src, tgt },
            score: 0.9,
        }
    }

    #[test]
    fn a_missing_passage_is_left_out_of_the_one_to_one_share() {
        // Four 1-1 links, a missing passage of three target sentences, one 2-1, one 1-0.
        let links = [
            link(0..1, 0..1),
            link(1..2, 1..2),
            link(2..2, 2..3),
            link(2..2, 3..4),
            link(2..2, 4..5),
            link(2..3, 5..6),
            link(3..4, 6..7),
            link(4..6, 7..8),
            link(6..7, 8..8),
        ];
        // Counted: 6 links (the run of three nulls left out), of which 4 are 1-1, and the
        // 1-1 pseudo-link.
        assert!((one_to_one_share(&links) - 5.0 / 7.0).abs() < 1e-12);
        // Two nulls in a row are the aligner skipping, and count against the pair.
        let skipped = [
            link(0..1, 0..1),
            link(1..1, 1..2),
            link(1..1, 2..3),
            link(1..2, 3..4),
        ];
        assert!((one_to_one_share(&skipped) - 3.0 / 5.0).abs() < 1e-12);
        assert_eq!(one_to_one_share(&[]), 0.0);
    }

    #[test]
    fn shares_finds_a_common_key_in_sorted_lists() {
        assert!(shares(&[1, 4, 9], &[2, 4]));
        assert!(!shares(&[1, 3], &[2, 4]));
        assert!(!shares(&[], &[2]));
    }
}
