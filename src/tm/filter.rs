//! Unit filtering for `tm filter` (`Filter`).
//!
//! A unit's source is its variant in the source language (the unit's `srclang`, else the
//! header's; with `*all*` or none, the first variant) and every other variant is a target. With
//! more than two variants each target is checked on its own and a unit is rejected when any
//! target fails (the reason names the target's language).
//!
//! Criteria, all optional and combinable ([`FilterOptions`]): score, empty or missing sides,
//! untranslated targets (equal to the source after normalisation — Unicode NFC, white space,
//! quotes and dashes folded — case ignored; segments whose letters are all upper case or inside
//! tokens holding a digit — `2018`, `SCO`, `ISO 9001`, `A4` — are legitimately identical and
//! exempt), a length mismatch judged by the length model of Gale & Church (1993), "A program
//! for aligning sentences in bilingual corpora", Computational Linguistics 19(1) — the cost
//! `-ln 2(1 - Φ(|δ|))` of [`length_cost`], with target lengths divided by the language pair's
//! usual ratio — the wrong script for the language (by majority of letters; fewer than five
//! letters are not judged), segments over a number of characters, and regular expressions on
//! the plain text of the source or the targets (drop when matching, or keep only when
//! matching).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use regex::Regex;

use super::key::{normalizes_to_nothing, same_normalized, sides, unit_score};
pub(crate) use crate::lang::script::Script;
use crate::lang::script::{expected_script, letter_counts};
use crate::length::length_cost;
use crate::unit::{Header, Unit, Variant};

/// Segments with fewer letters than this are not judged by the script check.
const MIN_SCRIPT_LETTERS: usize = 5;

/// True when a segment may legitimately be identical in both languages: its letters, outside
/// tokens that hold a digit (`A4`, `v2`, `mp3`), are all upper case (`SCO`, `ISO 9001`, `2018`).
/// Letters of scripts without case (CJK, Arabic) are never upper case, so never exempt.
fn is_code_like(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '_'))
        .filter(|token| !token.chars().any(|c| c.is_numeric()))
        .flat_map(str::chars)
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
}

/// Characters a language spends on what English says in 100: the aligner's figures
/// ([`crate::lang`] profiles); `None` for languages without one.
fn verbosity(tag: &str) -> Option<f64> {
    tag.parse::<crate::Lang>()
        .ok()
        .and_then(crate::Lang::verbosity)
}

/// Target characters per source character usually seen for the pair (1 when unknown).
fn expected_ratio(source_lang: &str, target_lang: &str) -> f64 {
    match (verbosity(source_lang), verbosity(target_lang)) {
        (Some(s), Some(t)) => t / s,
        _ => 1.0,
    }
}

/// The Gale-Church length cost (nats) of `source_chars` against `target_chars` at `ratio`
/// target characters per source character: `-ln p`, `p` the two-sided probability of a length
/// difference at least this large between a sentence and its translation.
fn pair_length_cost(source_chars: usize, target_chars: usize, ratio: f64) -> f64 {
    let ratio = if ratio.is_finite() && ratio > 0.0 {
        ratio
    } else {
        1.0
    };
    length_cost(source_chars as f64, target_chars as f64 / ratio)
}

/// The cost limit matching a probability: a pair is rejected when the chance of a length
/// difference at least as large is below `probability` (`-ln p`; `None` unless 0 < p < 1).
pub fn length_cost_limit(probability: f64) -> Option<f64> {
    (probability > 0.0 && probability < 1.0).then(|| -probability.ln())
}

/// Characters the length model counts: those of the plain text that are not white space.
fn model_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// What to reject in `tm filter`. Every criterion is optional; a unit is rejected when any
/// criterion fails.
#[derive(Debug, Clone, Default)]
pub struct FilterOptions {
    /// Reject units whose `x-score` is below this. Units without a score, or with an
    /// unreadable one, are kept and counted ([`FilterReport::unscored`]).
    pub min_score: Option<f64>,
    /// Reject units with no source or target variant, or whose source or a target has no text
    /// (tags and white space only).
    pub empty: bool,
    /// Reject units whose target equals the source after normalisation with case ignored,
    /// unless the source is code-like (see the module doc).
    pub untranslated: bool,
    /// Reject units whose Gale-Church length cost (nats, see the module doc) exceeds this;
    /// [`length_cost_limit`] converts a probability (p = 0.001 gives 6.9).
    pub max_length_cost: Option<f64>,
    /// Reject units with a side not written mostly in its language's script (the script subtag,
    /// else the script bitext knows for the language; others are not judged).
    pub wrong_script: bool,
    /// Reject units with a side longer than this many characters of plain text.
    pub max_chars: Option<usize>,
    /// Reject units whose source plain text matches.
    pub source_regex: Option<Regex>,
    /// Reject units with a target whose plain text matches.
    pub target_regex: Option<Regex>,
    /// Reject units whose source plain text does not match.
    pub keep_source_regex: Option<Regex>,
    /// Reject units with a target whose plain text does not match.
    pub keep_target_regex: Option<Regex>,
}

/// Which side of a unit a reason is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Side {
    /// The source variant, with its language.
    Source(String),
    /// A target variant, with its language.
    Target(String),
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Side::Source(lang) => write!(f, "source ({lang})"),
            Side::Target(lang) => write!(f, "target ({lang})"),
        }
    }
}

/// Why `tm filter` rejected a unit; `Display` gives the text written to
/// `<prop type="x-rejected">`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reason {
    /// `x-score` below the minimum.
    LowScore {
        /// The unit's score.
        score: f64,
        /// The minimum asked for.
        min: f64,
    },
    /// No variant in the source language.
    MissingSource {
        /// The source language looked for.
        lang: String,
    },
    /// No variant besides the source.
    MissingTarget,
    /// A side without text.
    Empty {
        /// The side.
        side: Side,
    },
    /// A target equal to the source after normalisation.
    Untranslated {
        /// The target's language.
        lang: String,
    },
    /// Lengths too unlikely for a translation under the Gale-Church model.
    Length {
        /// The target's language.
        lang: String,
        /// Non-space characters of the source.
        source_chars: usize,
        /// Non-space characters of the target.
        target_chars: usize,
        /// The usual target/source ratio of the pair.
        expected_ratio: f64,
        /// The length cost in nats.
        cost: f64,
        /// The limit.
        max: f64,
    },
    /// A side mostly not in its language's script.
    WrongScript {
        /// The side.
        side: Side,
        /// The script its language is written in.
        expected: Script,
        /// Letters in that script.
        in_script: usize,
        /// All letters.
        letters: usize,
    },
    /// A side longer than the limit.
    TooLong {
        /// The side.
        side: Side,
        /// Its characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// A side's text matched a drop pattern.
    Matches {
        /// The side.
        side: Side,
        /// The pattern.
        pattern: String,
    },
    /// A side's text did not match a keep-only pattern.
    NotMatching {
        /// The side.
        side: Side,
        /// The pattern.
        pattern: String,
    },
}

impl Reason {
    /// A short name of the criterion, for counts: `score`, `empty`, `untranslated`, `length`,
    /// `script`, `max-chars`, `regex`.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Reason::LowScore { .. } => "score",
            Reason::MissingSource { .. } | Reason::MissingTarget | Reason::Empty { .. } => "empty",
            Reason::Untranslated { .. } => "untranslated",
            Reason::Length { .. } => "length",
            Reason::WrongScript { .. } => "script",
            Reason::TooLong { .. } => "max-chars",
            Reason::Matches { .. } | Reason::NotMatching { .. } => "regex",
        }
    }

    /// Several reasons as one text: each [`Display`](fmt::Display)ed, joined by `"; "`.
    pub(crate) fn join(reasons: &[Reason]) -> String {
        reasons
            .iter()
            .map(Reason::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The criterion names of [`Reason::kind`], in report order.
const KINDS: [&str; 7] = [
    "score",
    "empty",
    "untranslated",
    "length",
    "script",
    "max-chars",
    "regex",
];

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::LowScore { score, min } => write!(f, "score {score} below {min}"),
            Reason::MissingSource { lang } => write!(f, "no source variant ({lang})"),
            Reason::MissingTarget => f.write_str("no target variant"),
            Reason::Empty { side } => write!(f, "empty {side}"),
            Reason::Untranslated { lang } => {
                write!(f, "untranslated: target ({lang}) same as source")
            }
            Reason::Length {
                lang,
                source_chars,
                target_chars,
                expected_ratio,
                cost,
                max,
            } => write!(
                f,
                "length mismatch: target ({lang}) {target_chars} characters for {source_chars} \
                 (usual ratio {expected_ratio:.2}); Gale-Church cost {cost:.1} > {max:.1} \
                 (p = {:.1e})",
                (-cost).exp()
            ),
            Reason::WrongScript {
                side,
                expected,
                in_script,
                letters,
            } => write!(
                f,
                "wrong script: {side} has {in_script} {expected} letters of {letters}"
            ),
            Reason::TooLong { side, chars, max } => {
                write!(f, "{side} has {chars} characters, more than {max}")
            }
            Reason::Matches { side, pattern } => write!(f, "{side} matches /{pattern}/"),
            Reason::NotMatching { side, pattern } => {
                write!(f, "{side} does not match /{pattern}/")
            }
        }
    }
}

/// What a `Filter` saw: units checked and rejected, by criterion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterReport {
    /// Units checked.
    pub checked: u64,
    /// Units rejected.
    pub rejected: u64,
    /// Rejected units by their first reason's `Reason::kind`, in a fixed order; kinds with
    /// none are left out.
    pub by_kind: Vec<(&'static str, u64)>,
    /// Units without an `x-score`, which `min_score` does not judge (kept unless another
    /// criterion fails).
    pub unscored: u64,
    /// Units whose `x-score` is not a number, likewise not judged by `min_score`.
    pub unreadable_score: u64,
}

/// `tm filter`'s criteria, ready to check units ([`Filter::check_all`], one call per unit;
/// every call counts for [`Filter::report`]). The counters are atomic, so units may be checked
/// on several threads at once.
#[derive(Debug)]
pub(crate) struct Filter {
    options: FilterOptions,
    /// The input's header, reduced to what the sides need (`srclang`).
    header: Header,
    checked: AtomicU64,
    rejected: AtomicU64,
    by_kind: [AtomicU64; KINDS.len()],
    unscored: AtomicU64,
    unreadable_score: AtomicU64,
}

/// One side's plain text with what it is.
struct SideText {
    side: Side,
    lang: String,
    text: String,
}

impl Filter {
    /// A filter for units read under `header` (for their source language).
    pub(crate) fn new(options: FilterOptions, header: &Header) -> Filter {
        Filter {
            options,
            header: Header {
                srclang: header.srclang.clone(),
                ..Header::default()
            },
            checked: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            by_kind: Default::default(),
            unscored: AtomicU64::new(0),
            unreadable_score: AtomicU64::new(0),
        }
    }

    /// The first reason to reject `unit`, or `None` to keep it.
    #[cfg(test)]
    pub(crate) fn check(&self, unit: &Unit) -> Option<Reason> {
        self.run(unit, false).into_iter().next()
    }

    /// Every reason to reject `unit` (empty: keep it), in the order the criteria are listed
    /// in [`FilterOptions`].
    pub(crate) fn check_all(&self, unit: &Unit) -> Vec<Reason> {
        self.run(unit, true)
    }

    /// Units checked and rejected so far.
    pub(crate) fn report(&self) -> FilterReport {
        FilterReport {
            checked: self.checked.load(Relaxed),
            rejected: self.rejected.load(Relaxed),
            by_kind: KINDS
                .iter()
                .zip(&self.by_kind)
                .filter(|(_, n)| n.load(Relaxed) > 0)
                .map(|(k, n)| (*k, n.load(Relaxed)))
                .collect(),
            unscored: self.unscored.load(Relaxed),
            unreadable_score: self.unreadable_score.load(Relaxed),
        }
    }

    fn run(&self, unit: &Unit, all: bool) -> Vec<Reason> {
        let reasons = self.reasons(unit, all);
        self.checked.fetch_add(1, Relaxed);
        if let Some(first) = reasons.first() {
            self.rejected.fetch_add(1, Relaxed);
            if let Some(i) = KINDS.iter().position(|k| *k == first.kind()) {
                self.by_kind[i].fetch_add(1, Relaxed);
            }
        }
        reasons
    }

    fn reasons(&self, unit: &Unit, all: bool) -> Vec<Reason> {
        let o = &self.options;
        let mut out = Vec::new();
        macro_rules! reject {
            ($r:expr) => {{
                out.push($r);
                if !all {
                    return out;
                }
            }};
        }
        if let Some(min) = o.min_score {
            match unit_score(unit) {
                None => {
                    self.unscored.fetch_add(1, Relaxed);
                }
                Some(Err(_)) => {
                    self.unreadable_score.fetch_add(1, Relaxed);
                }
                Some(Ok(score)) if score < min => reject!(Reason::LowScore { score, min }),
                Some(Ok(_)) => {}
            }
        }
        let header = &self.header;
        let (source, targets) = sides(unit, header);
        let side_text = |v: &Variant, side: Side| SideText {
            side,
            lang: v.lang.clone(),
            text: v.segment.plain_text(),
        };
        let source = source.map(|v| side_text(v, Side::Source(v.lang.clone())));
        let targets: Vec<SideText> = targets
            .into_iter()
            .map(|v| side_text(v, Side::Target(v.lang.clone())))
            .collect();
        let all_sides = || source.iter().chain(targets.iter());

        if o.empty {
            if source.is_none() {
                let lang = unit.source_lang(header).unwrap_or("?").to_string();
                reject!(Reason::MissingSource { lang });
            }
            if targets.is_empty() {
                reject!(Reason::MissingTarget);
            }
            for s in all_sides() {
                if s.text.trim().is_empty() {
                    reject!(Reason::Empty {
                        side: s.side.clone()
                    });
                }
            }
        }
        if let Some(max) = o.max_chars {
            for s in all_sides() {
                let chars = s.text.chars().count();
                if chars > max {
                    reject!(Reason::TooLong {
                        side: s.side.clone(),
                        chars,
                        max
                    });
                }
            }
        }
        let regexes = [
            (&o.source_regex, true, true),
            (&o.target_regex, false, true),
            (&o.keep_source_regex, true, false),
            (&o.keep_target_regex, false, false),
        ];
        for (re, on_source, drop) in regexes {
            let Some(re) = re else { continue };
            let checked: Vec<&SideText> = if on_source {
                source.iter().collect()
            } else {
                targets.iter().collect()
            };
            for s in checked {
                if re.is_match(&s.text) == drop {
                    let (side, pattern) = (s.side.clone(), re.as_str().to_string());
                    reject!(if drop {
                        Reason::Matches { side, pattern }
                    } else {
                        Reason::NotMatching { side, pattern }
                    });
                }
            }
        }
        if let (true, Some(src)) = (o.untranslated, &source) {
            if !normalizes_to_nothing(&src.text) && !is_code_like(&src.text) {
                for t in &targets {
                    if same_normalized(&t.text, &src.text, true) {
                        reject!(Reason::Untranslated {
                            lang: t.lang.clone()
                        });
                    }
                }
            }
        }
        if o.wrong_script {
            for s in all_sides() {
                let Some(expected) = expected_script(&s.lang) else {
                    continue;
                };
                let counts = letter_counts(&s.text);
                let (latin, cyrillic, letters) = (counts.latin, counts.cyrillic, counts.all);
                let in_script = match expected {
                    Script::Latin => latin,
                    Script::Cyrillic => cyrillic,
                };
                if letters >= MIN_SCRIPT_LETTERS && in_script * 2 <= letters {
                    reject!(Reason::WrongScript {
                        side: s.side.clone(),
                        expected,
                        in_script,
                        letters
                    });
                }
            }
        }
        if let (Some(max), Some(src)) = (o.max_length_cost, &source) {
            let source_chars = model_chars(&src.text);
            for t in &targets {
                let target_chars = model_chars(&t.text);
                let expected_ratio = expected_ratio(&src.lang, &t.lang);
                let cost = pair_length_cost(source_chars, target_chars, expected_ratio);
                if cost > max {
                    reject!(Reason::Length {
                        lang: t.lang.clone(),
                        source_chars,
                        target_chars,
                        expected_ratio,
                        cost,
                        max
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tm::test_units::{header, pair, read, unit, with_score};

    fn filter(options: FilterOptions) -> Filter {
        Filter::new(options, &header())
    }

    #[test]
    fn min_score_rejects_low_and_counts_unscored() {
        let f = filter(FilterOptions {
            min_score: Some(0.5),
            ..FilterOptions::default()
        });
        assert_eq!(
            f.check(&with_score(pair(1, "a", "б"), "0.2")),
            Some(Reason::LowScore {
                score: 0.2,
                min: 0.5
            })
        );
        assert_eq!(f.check(&with_score(pair(2, "a", "б"), "0.5")), None);
        assert_eq!(f.check(&pair(3, "a", "б")), None);
        assert_eq!(f.check(&with_score(pair(4, "a", "б"), "n/a")), None);
        let r = f.report();
        assert_eq!(
            (r.checked, r.rejected, r.unscored, r.unreadable_score),
            (4, 1, 1, 1)
        );
        assert_eq!(r.by_kind, [("score", 1)]);
        assert_eq!(
            Reason::LowScore {
                score: 0.2,
                min: 0.5
            }
            .to_string(),
            "score 0.2 below 0.5"
        );
    }

    #[test]
    fn empty_and_missing_sides_are_rejected() {
        let f = filter(FilterOptions {
            empty: true,
            ..FilterOptions::default()
        });
        assert_eq!(f.check(&pair(1, "Text", "Текст")), None);
        let r = f.check(&pair(2, "Text", " \u{A0}")).unwrap();
        assert_eq!(
            r,
            Reason::Empty {
                side: Side::Target("ru-RU".into())
            }
        );
        assert_eq!(r.to_string(), "empty target (ru-RU)");
        assert_eq!(
            f.check(&unit(3, &[("en-US", "Text")])),
            Some(Reason::MissingTarget)
        );
        assert_eq!(
            f.check(&unit(4, &[("de", "Text"), ("ru", "Текст")])),
            Some(Reason::MissingSource {
                lang: "en-US".into()
            })
        );
        // A target holding only a tag has no text.
        let (units, h) = read(
            "<tu><tuv xml:lang=\"en-US\"><seg>Logo</seg></tuv><tuv xml:lang=\"ru\"><seg><ph>&lt;img/&gt;</ph></seg></tuv></tu>\n",
        );
        let f2 = Filter::new(f.options.clone(), &h);
        assert_eq!(
            f2.check(&units[0]),
            Some(Reason::Empty {
                side: Side::Target("ru".into())
            })
        );
        assert_eq!(
            f.check(&pair(5, "", "Текст")).map(|r| r.kind()),
            Some("empty")
        );
    }

    #[test]
    fn untranslated_targets_are_rejected_but_codes_and_numbers_are_not() {
        let f = filter(FilterOptions {
            untranslated: true,
            ..FilterOptions::default()
        });
        assert_eq!(
            f.check(&pair(1, "Save the file.", "save  the\u{A0}file.")),
            Some(Reason::Untranslated {
                lang: "ru-RU".into()
            })
        );
        assert_eq!(f.check(&pair(2, "Save the file.", "Сохраните файл.")), None);
        for code in ["2018", "SCO", "ISO 9001", "A4", "1.5 %", "USB-C", "mp3"] {
            assert_eq!(f.check(&pair(3, code, code)), None, "{code}");
        }
        assert!(f.check(&pair(4, "Windows", "Windows")).is_some());
        // Only the identical target of three is named.
        let u = unit(5, &[("en-US", "Open"), ("de", "Öffnen"), ("fr", "open")]);
        assert_eq!(
            f.check(&u),
            Some(Reason::Untranslated { lang: "fr".into() })
        );
    }

    #[test]
    fn length_ratio_is_judged_by_the_gale_church_model() {
        let f = filter(FilterOptions {
            max_length_cost: length_cost_limit(0.001),
            ..FilterOptions::default()
        });
        let limit = length_cost_limit(0.001).unwrap();
        assert!((limit - 6.9078).abs() < 1e-3);
        assert!(length_cost_limit(0.0).is_none() && length_cost_limit(1.0).is_none());
        let s = "The committee approved the annual budget yesterday.";
        assert_eq!(
            f.check(&pair(
                1,
                s,
                "Комитет вчера утвердил годовой бюджет организации."
            )),
            None
        );
        let short = f.check(&pair(2, s, "Да.")).unwrap();
        match &short {
            Reason::Length {
                source_chars,
                target_chars,
                expected_ratio,
                cost,
                ..
            } => {
                assert_eq!((*source_chars, *target_chars), (45, 3));
                assert!((expected_ratio - 1.1).abs() < 1e-9);
                assert!(*cost > limit);
            }
            other => panic!("{other:?}"),
        }
        assert!(
            short
                .to_string()
                .starts_with("length mismatch: target (ru-RU) 3 characters for 45"),
            "{short}"
        );
        // Short segments are allowed more: 3 letters against 9 is not significant.
        assert_eq!(f.check(&pair(3, "Yes", "Разумеется")), None);
        // The pair's usual ratio matters: the same lengths cost less en->fr than fr->en.
        let (en_fr, fr_en) = (expected_ratio("en", "fr"), expected_ratio("fr-FR", "en"));
        assert!(pair_length_cost(100, 140, en_fr) < pair_length_cost(100, 140, fr_en));
        assert_eq!(expected_ratio("en", "ja"), 1.0);
        assert_eq!(pair_length_cost(0, 0, 1.0), 0.0);
        assert_eq!(pair_length_cost(10, 10, f64::NAN), 0.0);
    }

    #[test]
    fn wrong_script_is_judged_by_majority_of_letters() {
        let f = filter(FilterOptions {
            wrong_script: true,
            ..FilterOptions::default()
        });
        assert_eq!(
            f.check(&pair(1, "Click Save now", "Нажмите Save сейчас")),
            None
        );
        let r = f
            .check(&pair(2, "Click Save now", "Click Save now please"))
            .unwrap();
        assert_eq!(
            r,
            Reason::WrongScript {
                side: Side::Target("ru-RU".into()),
                expected: Script::Cyrillic,
                in_script: 0,
                letters: 18
            }
        );
        assert_eq!(
            r.to_string(),
            "wrong script: target (ru-RU) has 0 Cyrillic letters of 18"
        );
        let src = f.check(&pair(3, "Привет всем", "Привет всем")).unwrap();
        assert_eq!(src.kind(), "script");
        // Few letters: not judged.
        assert_eq!(f.check(&pair(4, "Intel i7", "SCO")), None);
        // Languages without an entry, or in two scripts, are not judged.
        assert_eq!(
            f.check(&unit(5, &[("en-US", "Hello there"), ("ja", "Hello there")])),
            None
        );
        assert_eq!(
            f.check(&unit(
                6,
                &[("en-US", "Good morning"), ("sr", "Dobro jutro")]
            )),
            None
        );
        assert!(f
            .check(&unit(
                7,
                &[("en-US", "Good morning"), ("sr-Cyrl", "Dobro jutro")]
            ))
            .is_some());
        assert_eq!(
            f.check(&unit(
                8,
                &[("en-US", "Good morning"), ("sr-Latn-RS", "Dobro jutro")]
            )),
            None
        );
        // Latin with diacritics (Vietnamese, Czech) counts as Latin.
        assert_eq!(
            f.check(&unit(
                9,
                &[("vi", "Xin chào thế giới"), ("cs", "Žluťoučký kůň")]
            )),
            None
        );
    }

    #[test]
    fn max_chars_counts_characters_of_every_side() {
        let f = filter(FilterOptions {
            max_chars: Some(5),
            ..FilterOptions::default()
        });
        assert_eq!(
            f.check(&pair(1, "Hello", "Привет")),
            Some(Reason::TooLong {
                side: Side::Target("ru-RU".into()),
                chars: 6,
                max: 5
            })
        );
        assert_eq!(
            f.check(&pair(2, "Hello", "Здрав")),
            None,
            "5 Cyrillic letters are 10 bytes but 5 chars"
        );
        assert_eq!(
            f.check(&pair(3, "Hello!", "Да")).map(|r| r.to_string()),
            Some("source (en-US) has 6 characters, more than 5".into())
        );
    }

    #[test]
    fn regexes_drop_matches_or_keep_only_matches() {
        let re = |s: &str| Some(Regex::new(s).unwrap());
        let f = filter(FilterOptions {
            source_regex: re(r"^\d+$"),
            target_regex: re("TODO"),
            ..FilterOptions::default()
        });
        assert_eq!(f.check(&pair(1, "Hello", "Привет")), None);
        assert_eq!(
            f.check(&pair(2, "42", "42")),
            Some(Reason::Matches {
                side: Side::Source("en-US".into()),
                pattern: r"^\d+$".into()
            })
        );
        assert_eq!(
            f.check(&pair(3, "Hi", "TODO перевести"))
                .map(|r| r.to_string()),
            Some("target (ru-RU) matches /TODO/".into())
        );
        let keep = filter(FilterOptions {
            keep_source_regex: re("(?i)invoice"),
            keep_target_regex: re("счёт"),
            ..FilterOptions::default()
        });
        assert_eq!(keep.check(&pair(4, "Invoice 7", "счёт 7")), None);
        assert_eq!(
            keep.check(&pair(5, "Receipt", "счёт")).map(|r| r.kind()),
            Some("regex")
        );
        assert_eq!(
            keep.check(&pair(6, "invoice", "квитанция"))
                .map(|r| r.to_string()),
            Some("target (ru-RU) does not match /счёт/".into())
        );
        // Regexes see plain text, not markup.
        let (units, h) = read("<tu><tuv xml:lang=\"en-US\"><seg>A<ph>&lt;b&gt;</ph>B</seg></tuv><tuv xml:lang=\"ru\"><seg>АБ</seg></tuv></tu>\n");
        let plain = Filter::new(
            FilterOptions {
                source_regex: re("^AB$"),
                ..FilterOptions::default()
            },
            &h,
        );
        assert!(plain.check(&units[0]).is_some());
    }

    #[test]
    fn check_all_lists_every_reason_and_counts_the_unit_once() {
        let f = filter(FilterOptions {
            min_score: Some(0.5),
            empty: true,
            untranslated: true,
            wrong_script: true,
            max_chars: Some(10),
            ..FilterOptions::default()
        });
        let u = with_score(pair(1, "Untranslated text", "Untranslated text"), "0.1");
        let all = f.check_all(&u);
        let kinds: Vec<_> = all.iter().map(Reason::kind).collect();
        assert_eq!(
            kinds,
            ["score", "max-chars", "max-chars", "untranslated", "script"]
        );
        assert_eq!(f.check(&u).map(|r| r.kind()), Some("score"));
        let joined = Reason::join(&all);
        assert!(
            joined.starts_with("score 0.1 below 0.5; source (en-US) has 17 characters"),
            "{joined}"
        );
        let r = f.report();
        assert_eq!((r.checked, r.rejected), (2, 2));
        assert_eq!(r.by_kind, [("score", 2)]);
        // A unit passing everything gives no reasons.
        assert!(f
            .check_all(&with_score(pair(2, "Fine", "Хорошо"), "0.9"))
            .is_empty());
    }

    #[test]
    fn multi_target_units_fail_when_any_target_fails() {
        let f = filter(FilterOptions {
            empty: true,
            ..FilterOptions::default()
        });
        let u = unit(1, &[("en-US", "Yes"), ("ru", "Да"), ("de", "")]);
        assert_eq!(
            f.check(&u),
            Some(Reason::Empty {
                side: Side::Target("de".into())
            })
        );
        let ok = unit(2, &[("en-US", "Yes"), ("ru", "Да"), ("de", "Ja")]);
        assert_eq!(f.check(&ok), None);
    }
}
