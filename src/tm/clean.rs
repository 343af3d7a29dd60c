//! Cleaning translation memories: language-tag reconciliation for `tm merge`, duplicate removal
//! for `tm dedupe` ([`Deduper`]) and unit filtering for `tm filter` ([`Filter`]).
//!
//! **Sides.** A unit's source variant is the first `<tuv>` in [`Unit::source_lang`] (the unit's
//! `srclang`, else the header's); with `*all*` or no `srclang` anywhere, the first `<tuv>`. Every
//! other variant is a target. With more than two variants each target is checked on its own and
//! a unit is rejected when any target fails (the reason names the target's language).
//!
//! **Normalisation** ([`normalize_text`]) follows Unicode: the text is put in Normalization Form
//! C (UAX #15), every `White_Space` character (NBSP, NNBSP, the U+2000 spaces, ideographic
//! space, line breaks) counts as a space, runs of spaces are folded to one and the ends
//! trimmed; the invisible U+00AD soft hyphen, U+200B zero-width space, U+2060 word joiner and
//! U+FEFF are dropped; typographic quotes and apostrophes (`‘ ’ ‚ ‛ ‹ › ʼ ′`, `“ ” „ ‟ « » ″`)
//! fold to `'` and `"`, dashes and the minus sign (U+2010-2015, U+2212, small/full-width
//! hyphen-minus) to `-`, `…` to `...`; with case ignored, Unicode lower case as well.
//!
//! **Dedupe** keys cover every variant (its normalised language tag and its segment) with the
//! source first and the targets sorted, plus the source language, so variant order does not
//! matter but direction does. The levels, each including the one before: exact (segment
//! markup, inline tags included), normalised (the markup after [`normalize_text`]), ignoring
//! tags if asked (the plain text, normalised) and ignoring case if asked (the normalised
//! markup, or plain text when ignoring tags, lower-cased). The group key is a
//! 128-bit hash (two SipHash-1-3 runs with different prefixes) of the most lenient level asked
//! for; a removed unit's reason is the strictest level at which it equals the unit kept.
//! Memory: one 56-byte entry per distinct key (the key, the winner's position, its date and
//! score, 32-bit checks of its stricter keys), never the units.
//!
//! **Filter** criteria, all optional and combinable ([`FilterOptions`]): score, empty or
//! missing sides, untranslated targets (equal to the source after normalisation, case
//! ignored; segments whose letters are all upper case or inside tokens holding a digit —
//! `2018`, `SCO`, `ISO 9001`, `A4` — are legitimately identical and exempt), a length mismatch
//! judged by the length model of Gale & Church (1993), "A program for aligning sentences in
//! bilingual corpora", Computational Linguistics 19(1) — the cost `-ln 2(1 - Φ(|δ|))` of
//! [`length_cost`], with target lengths divided by the language pair's usual ratio — the wrong
//! script for the language (by majority of letters; fewer than [`MIN_SCRIPT_LETTERS`] letters
//! are not judged), segments over a number of characters, and regular expressions on the
//! plain text of the source or the targets (drop when matching, or keep only when matching).

use std::cell::Cell;
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};

use regex::Regex;
use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

use super::{normalize_lang, Header, Unit, Variant};
use crate::length::{length_cost, verbosity as verbosity_of};

// ---------------------------------------------------------------------------------------------
// Merge: language tags.

/// Language-tag reconciliation for merge: normalises every tag of a unit (and its srclang) in
/// place, returns (written, normalised) pairs that changed, for warnings.
pub fn reconcile_langs(unit: &mut Unit) -> Vec<(String, String)> {
    let mut changed: Vec<(String, String)> = Vec::new();
    let mut fix = |tag: &mut String| {
        let (canonical, _) = normalize_lang(tag);
        if canonical != *tag && !canonical.is_empty() {
            let written = std::mem::replace(tag, canonical.clone());
            if !changed.iter().any(|(w, _)| *w == written) {
                changed.push((written, canonical));
            }
        }
    };
    if let Some(src) = unit.srclang.as_mut() {
        fix(src);
    }
    for v in &mut unit.variants {
        fix(&mut v.lang);
    }
    changed
}

/// The same for a header's `srclang` and `adminlang`: (written, normalised) pairs that changed.
pub fn reconcile_header_langs(header: &mut Header) -> Vec<(String, String)> {
    let mut changed = Vec::new();
    for tag in [header.srclang.as_mut(), header.adminlang.as_mut()]
        .into_iter()
        .flatten()
    {
        let (canonical, _) = normalize_lang(tag);
        if canonical != *tag && !canonical.is_empty() {
            changed.push((std::mem::replace(tag, canonical.clone()), canonical));
        }
    }
    changed
}

// ---------------------------------------------------------------------------------------------
// Shared helpers: sides, normalisation, scores, hashing.

/// A unit's source variant (see the module doc) and its targets, in document order.
pub fn sides<'a>(unit: &'a Unit, header: &Header) -> (Option<&'a Variant>, Vec<&'a Variant>) {
    let source = match unit.source_lang(header) {
        Some(lang) => unit
            .variants
            .iter()
            .position(|v| super::same_lang(&v.lang, lang)),
        None => (!unit.variants.is_empty()).then_some(0),
    };
    let targets = unit
        .variants
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != source)
        .map(|(_, v)| v)
        .collect();
    (source.map(|i| &unit.variants[i]), targets)
}

/// `text` normalised as the module doc describes (NFC, spaces, quotes, dashes; lower case too
/// when `ignore_case`).
pub fn normalize_text(text: &str, ignore_case: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfc() {
        let folded = match c {
            c if c.is_whitespace() => {
                space = true;
                continue;
            }
            '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => continue,
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2039}' | '\u{203A}'
            | '\u{02BC}' | '\u{2032}' | '\u{FF07}' => "'",
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
            | '\u{2033}' | '\u{FF02}' => "\"",
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => "-",
            '\u{2026}' => "...",
            _ => "",
        };
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if !folded.is_empty() {
            out.push_str(folded);
        } else if ignore_case {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A unit's `<prop type="x-score">` (the unit's own, else the first variant's that has one):
/// `None` when absent, `Some(Err(written))` when it is not a finite number.
pub fn unit_score(unit: &Unit) -> Option<Result<f64, &str>> {
    let is_score = |kind: &str| kind.eq_ignore_ascii_case("x-score");
    let prop = unit.props.iter().find(|p| is_score(&p.kind)).or_else(|| {
        unit.variants
            .iter()
            .flat_map(|v| v.props.iter())
            .find(|p| is_score(&p.kind))
    })?;
    Some(match prop.value.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(prop.value.as_str()),
    })
}

/// A 128-bit hash of `key`: two SipHash-1-3 runs with different one-byte prefixes.
pub(crate) fn hash128(key: &str) -> u128 {
    let half = |prefix: u8| {
        let mut h = DefaultHasher::new();
        prefix.hash(&mut h);
        key.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0x5A)) << 64) | u128::from(half(0xA5))
}

/// A 128-bit hash as two 64-bit halves: 8-byte aligned, so map entries stay compact.
pub(crate) fn halves(key: u128) -> [u64; 2] {
    [(key >> 64) as u64, key as u64]
}

/// Appends `s` with a length prefix, so concatenated fields cannot run into each other.
fn push_field(key: &mut String, s: &str) {
    key.push_str(&s.len().to_string());
    key.push(':');
    key.push_str(s);
}

/// The key text of a unit at `level`: source language, then each variant's normalised language
/// and segment key, source first and targets sorted. Ignoring case compares the normalised
/// markup lower-cased, or the plain text when `ignore_tags`.
fn unit_key(unit: &Unit, header: &Header, level: DuplicateReason, ignore_tags: bool) -> String {
    let (source, targets) = sides(unit, header);
    let variant_key = |v: &Variant| {
        let seg = match level {
            DuplicateReason::Exact => v.segment.to_xml(),
            DuplicateReason::Normalized => normalize_text(&v.segment.to_xml(), false),
            DuplicateReason::IgnoringTags => normalize_text(&v.segment.plain_text(), false),
            DuplicateReason::IgnoringCase if ignore_tags => {
                normalize_text(&v.segment.plain_text(), true)
            }
            DuplicateReason::IgnoringCase => normalize_text(&v.segment.to_xml(), true),
        };
        let mut k = String::with_capacity(seg.len() + 16);
        push_field(&mut k, &normalize_lang(&v.lang).0);
        push_field(&mut k, &seg);
        k
    };
    let mut key = String::new();
    let src_lang = unit
        .source_lang(header)
        .map(|l| normalize_lang(l).0)
        .unwrap_or_default();
    push_field(&mut key, &src_lang);
    match source {
        Some(v) => push_field(&mut key, &variant_key(v)),
        None => push_field(&mut key, ""),
    }
    let mut rest: Vec<String> = targets.into_iter().map(variant_key).collect();
    rest.sort_unstable();
    for k in &rest {
        push_field(&mut key, k);
    }
    key
}

/// The 128-bit hash of a unit's exact key (markup of every variant, languages normalised).
pub(crate) fn exact_unit_hash(unit: &Unit, header: &Header) -> u128 {
    hash128(&unit_key(unit, header, DuplicateReason::Exact, false))
}

// ---------------------------------------------------------------------------------------------
// Dedupe.

/// Which unit of a group of duplicates survives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Keep {
    /// The first in the file.
    #[default]
    First,
    /// The newest by [`Unit::newest_date`]; units without a readable date are oldest; ties go
    /// to the first.
    Newest,
    /// The highest `<prop type="x-score">`; a missing or unreadable score is lowest; ties go to
    /// the newest, then the first.
    BestScore,
}

/// How units are compared for `tm dedupe`: `ignore_tags` and `ignore_case` imply `normalize`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DedupeOptions {
    /// Compare after [`normalize_text`] (whitespace, NBSP, quotes, dashes, NFC).
    pub normalize: bool,
    /// Compare plain text, inline tags dropped (implies `normalize`).
    pub ignore_tags: bool,
    /// Compare lower-cased (implies `normalize`; tags still count unless `ignore_tags`).
    pub ignore_case: bool,
    /// Which duplicate survives.
    pub keep: Keep,
}

/// Why a unit was removed as a duplicate of the unit kept: the strictest level at which they
/// are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DuplicateReason {
    /// Identical markup in every variant.
    Exact,
    /// Identical after normalisation (whitespace, NBSP, quotes, dashes, NFC).
    Normalized,
    /// Identical plain text once inline tags are dropped.
    IgnoringTags,
    /// Identical once case is ignored too.
    IgnoringCase,
}

impl fmt::Display for DuplicateReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DuplicateReason::Exact => "exact duplicate",
            DuplicateReason::Normalized => "duplicate after normalisation",
            DuplicateReason::IgnoringTags => "duplicate ignoring inline tags",
            DuplicateReason::IgnoringCase => "duplicate ignoring case",
        })
    }
}

/// What dedupe did: units seen and removed, by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DedupeReport {
    /// Units observed in pass 1.
    pub observed: u64,
    /// Distinct keys (groups) found in pass 1.
    pub distinct: u64,
    /// Units checked in pass 2.
    pub checked: u64,
    /// Units kept.
    pub kept: u64,
    /// Removed: identical markup.
    pub exact: u64,
    /// Removed: identical after normalisation.
    pub normalized: u64,
    /// Removed: identical ignoring inline tags.
    pub ignoring_tags: u64,
    /// Removed: identical ignoring case.
    pub ignoring_case: u64,
    /// Units of pass 2 that pass 1 never saw (the input changed between passes); kept.
    pub unseen: u64,
}

impl DedupeReport {
    /// All units removed.
    pub fn removed(&self) -> u64 {
        self.exact + self.normalized + self.ignoring_tags + self.ignoring_case
    }

    /// True when pass 2 saw exactly the units pass 1 did (same count, none unseen).
    pub fn consistent(&self) -> bool {
        self.observed == self.checked && self.unseen == 0
    }
}

impl fmt::Display for DedupeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} units, {} kept, {} removed ({} exact duplicates, {} after normalisation, {} \
             ignoring tags, {} ignoring case)",
            self.checked,
            self.kept,
            self.removed(),
            self.exact,
            self.normalized,
            self.ignoring_tags,
            self.ignoring_case
        )
    }
}

/// The unit kept so far for one key.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Its position in pass 1 (0-based).
    winner: u64,
    /// Its newest date in Unix seconds (`i64::MIN` when none).
    date: i64,
    /// Its score (`-inf` when missing or unreadable).
    score: f64,
    /// The low 32 bits of its keys at the stricter levels, for the report's reasons.
    stricter: [u32; 3],
}

/// Two passes over a re-readable input: pass 1 [`observe`](Deduper::observe) every unit, then
/// [`finish_observing`](Deduper::finish_observing), pass 2 [`keeps`](Deduper::keeps) (or
/// [`duplicate`](Deduper::duplicate)) says whether to write each unit, in the same order.
/// Memory: one compact entry per distinct key, not the units. Units are identified by their
/// position in each pass, so both passes must see the same sequence (see
/// [`DedupeReport::consistent`]); a unit pass 1 did not see is kept.
#[derive(Debug)]
pub struct Deduper {
    keep: Keep,
    ignore_tags: bool,
    header: Header,
    /// The levels compared, strictest first; the last one keys the groups.
    levels: Vec<DuplicateReason>,
    groups: FxHashMap<[u64; 2], Entry>,
    observed: u64,
    report: DedupeReport,
}

impl Deduper {
    /// A deduper for units read under `header` (for their source language).
    pub fn new(options: DedupeOptions, header: &Header) -> Deduper {
        let mut levels = vec![DuplicateReason::Exact];
        if options.normalize || options.ignore_tags || options.ignore_case {
            levels.push(DuplicateReason::Normalized);
        }
        if options.ignore_tags {
            levels.push(DuplicateReason::IgnoringTags);
        }
        if options.ignore_case {
            levels.push(DuplicateReason::IgnoringCase);
        }
        Deduper {
            keep: options.keep,
            ignore_tags: options.ignore_tags,
            header: Header {
                srclang: header.srclang.clone(),
                ..Header::default()
            },
            levels,
            groups: FxHashMap::default(),
            observed: 0,
            report: DedupeReport::default(),
        }
    }

    /// The hashes of `unit`'s keys at each compared level.
    fn keys(&self, unit: &Unit) -> Vec<u128> {
        self.levels
            .iter()
            .map(|&level| hash128(&unit_key(unit, &self.header, level, self.ignore_tags)))
            .collect()
    }

    /// Pass 1: notes `unit` (the next unit of the input).
    pub fn observe(&mut self, unit: &Unit) {
        let position = self.observed;
        self.observed += 1;
        let keys = self.keys(unit);
        let Some((&group, stricter_keys)) = keys.split_last() else {
            return;
        };
        let mut stricter = [0u32; 3];
        for (slot, k) in stricter.iter_mut().zip(stricter_keys) {
            *slot = *k as u32;
        }
        let date = unit.newest_date().map_or(i64::MIN, |d| d.unix());
        let score = match (self.keep, unit_score(unit)) {
            (Keep::BestScore, Some(Ok(x))) => x,
            _ => f64::NEG_INFINITY,
        };
        let entry = Entry {
            winner: position,
            date,
            score,
            stricter,
        };
        let keep = self.keep;
        self.groups
            .entry(halves(group))
            .and_modify(|old| {
                let better = match keep {
                    Keep::First => false,
                    Keep::Newest => date > old.date,
                    Keep::BestScore => score > old.score || (score == old.score && date > old.date),
                };
                if better {
                    *old = entry;
                }
            })
            .or_insert(entry);
    }

    /// Ends pass 1: frees spare capacity and readies pass 2.
    pub fn finish_observing(&mut self) {
        self.groups.shrink_to_fit();
        self.report = DedupeReport {
            observed: self.observed,
            distinct: self.groups.len() as u64,
            ..DedupeReport::default()
        };
    }

    /// Pass 2: `None` when `unit` (the next unit of the input) is kept, else why it is removed.
    pub fn duplicate(&mut self, unit: &Unit) -> Option<DuplicateReason> {
        if self.report.checked == 0 && self.report.observed != self.observed {
            self.finish_observing();
        }
        let position = self.report.checked;
        self.report.checked += 1;
        let keys = self.keys(unit);
        let entry = keys.last().and_then(|k| self.groups.get(&halves(*k)));
        let reason = match entry {
            None => {
                self.report.unseen += 1;
                None
            }
            Some(e) if e.winner == position => None,
            Some(e) => {
                let last = self.levels.len() - 1;
                let at = (0..last)
                    .find(|&i| keys[i] as u32 == e.stricter[i])
                    .unwrap_or(last);
                Some(self.levels[at])
            }
        };
        match reason {
            None => self.report.kept += 1,
            Some(DuplicateReason::Exact) => self.report.exact += 1,
            Some(DuplicateReason::Normalized) => self.report.normalized += 1,
            Some(DuplicateReason::IgnoringTags) => self.report.ignoring_tags += 1,
            Some(DuplicateReason::IgnoringCase) => self.report.ignoring_case += 1,
        }
        reason
    }

    /// Pass 2: whether to write `unit` ([`duplicate`](Deduper::duplicate) is `None`).
    pub fn keeps(&mut self, unit: &Unit) -> bool {
        self.duplicate(unit).is_none()
    }

    /// What was removed so far, by reason.
    pub fn report(&self) -> DedupeReport {
        let mut r = self.report.clone();
        r.observed = self.observed;
        r.distinct = self.groups.len() as u64;
        r
    }
}

// ---------------------------------------------------------------------------------------------
// Filter.

/// Segments with fewer letters than this are not judged by the script check.
pub const MIN_SCRIPT_LETTERS: usize = 5;

/// A writing system the script check knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Latin letters (Basic Latin, Latin-1, Extended-A/B/Additional/C/D/E, full-width).
    Latin,
    /// Cyrillic letters (Cyrillic, Supplement, Extended-A/B/C).
    Cyrillic,
}

impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Script::Latin => "Latin",
            Script::Cyrillic => "Cyrillic",
        })
    }
}

/// The script `lang` is written in, when known: a `Latn`/`Cyrl` script subtag decides; other
/// script subtags, and languages written in two scripts in daily use (bare `sr`, `uz`, `az`,
/// `bs`), or that bitext has no entry for, give `None` (not checked).
pub fn expected_script(lang: &str) -> Option<Script> {
    let mut subtags = lang.split(['-', '_']);
    let primary = subtags.next()?.to_ascii_lowercase();
    if let Some(script) =
        subtags.find(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return match script.to_ascii_lowercase().as_str() {
            "latn" => Some(Script::Latin),
            "cyrl" => Some(Script::Cyrillic),
            _ => None,
        };
    }
    const CYRILLIC: &[&str] = &[
        "ru", "rus", "uk", "ukr", "be", "bel", "bg", "bul", "mk", "mkd", "mac", "kk", "kaz", "ky",
        "kir", "tg", "tgk", "mn", "mon", "tt", "tat", "ba", "bak", "cv", "chv", "ce", "che", "os",
        "oss", "sah", "ab", "abk", "av", "ava", "kv", "kom", "udm",
    ];
    const LATIN: &[&str] = &[
        "en", "eng", "de", "deu", "ger", "fr", "fra", "fre", "es", "spa", "it", "ita", "pt", "por",
        "nl", "nld", "dut", "pl", "pol", "cs", "ces", "cze", "sk", "slk", "slo", "sl", "slv", "hr",
        "hrv", "ro", "ron", "rum", "hu", "hun", "fi", "fin", "et", "est", "lv", "lav", "lt", "lit",
        "sv", "swe", "da", "dan", "no", "nor", "nb", "nob", "nn", "nno", "is", "isl", "ice", "ga",
        "gle", "cy", "cym", "wel", "eu", "eus", "baq", "ca", "cat", "gl", "glg", "mt", "mlt", "sq",
        "sqi", "alb", "tr", "tur", "id", "ind", "ms", "msa", "may", "vi", "vie", "tl", "tgl",
        "fil", "sw", "swa", "af", "afr", "eo", "epo", "la", "lat", "lb", "ltz", "fy", "fry", "gd",
        "gla", "br", "bre", "oc", "oci", "rm", "roh", "fo", "fao", "kl", "kal", "ht", "hat", "yo",
        "yor", "ha", "hau", "ig", "ibo", "zu", "zul", "xh", "xho", "so", "som", "mg", "mlg", "tk",
        "tuk", "qu", "que", "gn", "grn", "mi", "mri", "mao", "sm", "smo", "to", "ton", "haw", "co",
        "cos", "sc", "srd", "wa", "wln", "se", "sme", "lg", "lug", "rw", "kin", "sn", "sna", "st",
        "sot", "tn", "tsn", "ny", "nya", "ku", "kmr",
    ];
    if CYRILLIC.contains(&primary.as_str()) {
        Some(Script::Cyrillic)
    } else if LATIN.contains(&primary.as_str()) {
        Some(Script::Latin)
    } else {
        None
    }
}

/// Letters of `text` by script: (Latin, Cyrillic, all letters). Combining marks are not letters.
fn letter_counts(text: &str) -> (usize, usize, usize) {
    let (mut latin, mut cyrillic, mut all) = (0, 0, 0);
    for c in text.chars() {
        if !c.is_alphabetic() || ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        all += 1;
        match c {
            '\u{0400}'..='\u{052F}'
            | '\u{1C80}'..='\u{1C8F}'
            | '\u{2DE0}'..='\u{2DFF}'
            | '\u{A640}'..='\u{A69F}'
            | '\u{1E030}'..='\u{1E08F}' => cyrillic += 1,
            'a'..='z'
            | 'A'..='Z'
            | '\u{00AA}'
            | '\u{00BA}'
            | '\u{00C0}'..='\u{024F}'
            | '\u{1E00}'..='\u{1EFF}'
            | '\u{2C60}'..='\u{2C7F}'
            | '\u{A720}'..='\u{A7FF}'
            | '\u{AB30}'..='\u{AB6F}'
            | '\u{FF21}'..='\u{FF3A}'
            | '\u{FF41}'..='\u{FF5A}' => latin += 1,
            _ => {}
        }
    }
    (latin, cyrillic, all)
}

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
/// ([`crate::align::cost`]); `None` for languages without one.
fn verbosity(tag: &str) -> Option<f64> {
    tag.parse::<crate::Lang>().ok().and_then(verbosity_of)
}

/// Target characters per source character usually seen for the pair (1 when unknown).
pub fn expected_ratio(source_lang: &str, target_lang: &str) -> f64 {
    match (verbosity(source_lang), verbosity(target_lang)) {
        (Some(s), Some(t)) => t / s,
        _ => 1.0,
    }
}

/// The Gale-Church length cost (nats) of `source_chars` against `target_chars` at `ratio`
/// target characters per source character: `-ln p`, `p` the two-sided probability of a length
/// difference at least this large between a sentence and its translation.
pub fn pair_length_cost(source_chars: usize, target_chars: usize, ratio: f64) -> f64 {
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
    /// Reject units whose target equals the source after [`normalize_text`] with case ignored,
    /// unless the source is code-like (see the module doc).
    pub untranslated: bool,
    /// Reject units whose Gale-Church length cost ([`pair_length_cost`], nats) exceeds this;
    /// [`length_cost_limit`] converts a probability (p = 0.001 gives 6.9).
    pub max_length_cost: Option<f64>,
    /// Reject units with a side not written mostly in its language's script
    /// ([`expected_script`]).
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
pub enum Side {
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
pub enum Reason {
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
    pub fn kind(&self) -> &'static str {
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
    pub fn join(reasons: &[Reason]) -> String {
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

/// What a [`Filter`] saw: units checked and rejected, by criterion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterReport {
    /// Units checked.
    pub checked: u64,
    /// Units rejected.
    pub rejected: u64,
    /// Rejected units by their first reason's [`Reason::kind`], in a fixed order; kinds with
    /// none are left out.
    pub by_kind: Vec<(&'static str, u64)>,
    /// Units without an `x-score`, which `min_score` does not judge (kept unless another
    /// criterion fails).
    pub unscored: u64,
    /// Units whose `x-score` is not a number, likewise not judged by `min_score`.
    pub unreadable_score: u64,
}

/// `tm filter`'s criteria, ready to check units ([`Filter::check`] or [`Filter::check_all`],
/// one call per unit: both count for [`Filter::report`]).
#[derive(Debug)]
pub struct Filter {
    options: FilterOptions,
    /// The input's header, reduced to what the sides need (`srclang`).
    header: Header,
    checked: Cell<u64>,
    rejected: Cell<u64>,
    by_kind: [Cell<u64>; KINDS.len()],
    unscored: Cell<u64>,
    unreadable_score: Cell<u64>,
}

/// One side's plain text with what it is.
struct SideText {
    side: Side,
    lang: String,
    text: String,
}

impl Filter {
    /// A filter for units read under `header` (for their source language).
    pub fn new(options: FilterOptions, header: &Header) -> Filter {
        Filter {
            options,
            header: Header {
                srclang: header.srclang.clone(),
                ..Header::default()
            },
            checked: Cell::new(0),
            rejected: Cell::new(0),
            by_kind: Default::default(),
            unscored: Cell::new(0),
            unreadable_score: Cell::new(0),
        }
    }

    /// The first reason to reject `unit`, or `None` to keep it.
    pub fn check(&self, unit: &Unit) -> Option<Reason> {
        self.run(unit, false).into_iter().next()
    }

    /// Every reason to reject `unit` (empty: keep it), in the order the criteria are listed
    /// in [`FilterOptions`].
    pub fn check_all(&self, unit: &Unit) -> Vec<Reason> {
        self.run(unit, true)
    }

    /// Units checked and rejected so far.
    pub fn report(&self) -> FilterReport {
        FilterReport {
            checked: self.checked.get(),
            rejected: self.rejected.get(),
            by_kind: KINDS
                .iter()
                .zip(&self.by_kind)
                .filter(|(_, n)| n.get() > 0)
                .map(|(k, n)| (*k, n.get()))
                .collect(),
            unscored: self.unscored.get(),
            unreadable_score: self.unreadable_score.get(),
        }
    }

    fn run(&self, unit: &Unit, all: bool) -> Vec<Reason> {
        let reasons = self.reasons(unit, all);
        self.checked.set(self.checked.get() + 1);
        if let Some(first) = reasons.first() {
            self.rejected.set(self.rejected.get() + 1);
            if let Some(i) = KINDS.iter().position(|k| *k == first.kind()) {
                self.by_kind[i].set(self.by_kind[i].get() + 1);
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
                None => self.unscored.set(self.unscored.get() + 1),
                Some(Err(_)) => self.unreadable_score.set(self.unreadable_score.get() + 1),
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
            let src_norm = normalize_text(&src.text, true);
            if !src_norm.is_empty() && !is_code_like(&src.text) {
                for t in &targets {
                    if normalize_text(&t.text, true) == src_norm {
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
                let (latin, cyrillic, letters) = letter_counts(&s.text);
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
    use crate::tm::{Date, Prop, ReadOptions, Segment, TmxReader};

    const HEADER: &str = r#"<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en-US" datatype="plaintext"/>"#;

    /// Units and header of a TMX document whose body is `body`.
    fn read(body: &str) -> (Vec<Unit>, Header) {
        let doc = format!(
            "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">{HEADER}<body>\n{body}</body></tmx>\n"
        );
        let mut r = TmxReader::new(doc.as_bytes(), "t.tmx", ReadOptions::default()).unwrap();
        let header = r.header().clone();
        let units = r.by_ref().collect::<Result<Vec<_>, _>>().unwrap();
        (units, header)
    }

    fn variant(lang: &str, text: &str) -> Variant {
        Variant::new(lang, Segment::from_text(text))
    }

    /// A unit numbered `n` with the given (language, text) variants.
    fn unit(n: u64, variants: &[(&str, &str)]) -> Unit {
        Unit::new(n, n, variants.iter().map(|(l, t)| variant(l, t)).collect())
    }

    fn pair(n: u64, en: &str, ru: &str) -> Unit {
        unit(n, &[("en-US", en), ("ru-RU", ru)])
    }

    fn header() -> Header {
        Header {
            srclang: Some("en-US".into()),
            ..Header::default()
        }
    }

    fn with_score(mut u: Unit, score: &str) -> Unit {
        u.props.push(Prop {
            kind: "x-score".into(),
            value: score.into(),
        });
        u
    }

    fn with_date(mut u: Unit, date: &str) -> Unit {
        u.changedate = Some(Date::parse(date));
        u
    }

    /// Runs both dedupe passes; the numbers of the units kept, and the report.
    fn dedupe(
        units: &[Unit],
        options: DedupeOptions,
    ) -> (Vec<u64>, Vec<Option<DuplicateReason>>, DedupeReport) {
        let h = header();
        let mut d = Deduper::new(options, &h);
        for u in units {
            d.observe(u);
        }
        d.finish_observing();
        let reasons: Vec<_> = units.iter().map(|u| d.duplicate(u)).collect();
        let kept = units
            .iter()
            .zip(&reasons)
            .filter(|(_, r)| r.is_none())
            .map(|(u, _)| u.number)
            .collect();
        (kept, reasons, d.report())
    }

    #[test]
    fn reconcile_rewrites_tags_and_reports_each_once() {
        let mut u = unit(1, &[("en_US", "a"), ("RU-ru", "б"), ("en_US", "c")]);
        u.srclang = Some("EN-us".into());
        let changed = reconcile_langs(&mut u);
        assert_eq!(u.srclang.as_deref(), Some("en-US"));
        let langs: Vec<_> = u.variants.iter().map(|v| v.lang.as_str()).collect();
        assert_eq!(langs, ["en-US", "ru-RU", "en-US"]);
        assert_eq!(
            changed,
            [
                ("EN-us".to_string(), "en-US".to_string()),
                ("en_US".to_string(), "en-US".to_string()),
                ("RU-ru".to_string(), "ru-RU".to_string()),
            ]
        );
        assert!(reconcile_langs(&mut u).is_empty(), "idempotent");
        let mut all = unit(2, &[("de", "x")]);
        all.srclang = Some("*all*".into());
        assert!(reconcile_langs(&mut all).is_empty());
        let mut h = Header {
            srclang: Some("en_us".into()),
            adminlang: Some("EN".into()),
            ..Header::default()
        };
        assert_eq!(reconcile_header_langs(&mut h).len(), 2);
        assert_eq!(
            (h.srclang.as_deref(), h.adminlang.as_deref()),
            (Some("en-US"), Some("en"))
        );
    }

    #[test]
    fn normalisation_folds_spaces_quotes_dashes_and_composes() {
        assert_eq!(
            normalize_text(
                "  \u{201C}Hi\u{201D}\u{00A0}\u{2014} it\u{2019}s\t\n me\u{2026} ",
                false
            ),
            "\"Hi\" - it's me..."
        );
        assert_eq!(
            normalize_text("\u{AB}Да\u{BB}\u{202F}\u{2013}\u{3000}нет", false),
            "\"Да\" - нет"
        );
        // NFC: e + combining acute = é; a soft hyphen and a zero-width space vanish.
        assert_eq!(
            normalize_text("cafe\u{301} co\u{AD}op\u{200B}", false),
            "café coop"
        );
        assert_eq!(normalize_text("Straße ÄÖ ПРИВЕТ", true), "straße äö привет");
        assert_eq!(normalize_text(" \u{A0} ", false), "");
    }

    #[test]
    fn sides_follow_srclang_and_default_to_the_first_variant() {
        let h = header();
        let u = unit(1, &[("ru-RU", "б"), ("EN_us", "a"), ("de", "c")]);
        let (s, t) = sides(&u, &h);
        assert_eq!(s.map(|v| v.lang.as_str()), Some("EN_us"));
        assert_eq!(
            t.iter().map(|v| v.lang.as_str()).collect::<Vec<_>>(),
            ["ru-RU", "de"]
        );
        let mut all = u.clone();
        all.srclang = Some("*all*".into());
        assert_eq!(sides(&all, &h).0.map(|v| v.lang.as_str()), Some("ru-RU"));
        let none = unit(2, &[("fr", "x"), ("de", "y")]);
        let (s, t) = sides(&none, &h);
        assert!(s.is_none());
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn scores_are_read_from_unit_or_variant_props() {
        assert_eq!(
            unit_score(&with_score(pair(1, "a", "b"), " 0.75 ")),
            Some(Ok(0.75))
        );
        assert_eq!(
            unit_score(&with_score(pair(1, "a", "b"), "high")),
            Some(Err("high"))
        );
        assert_eq!(
            unit_score(&with_score(pair(1, "a", "b"), "NaN")),
            Some(Err("NaN"))
        );
        assert_eq!(unit_score(&pair(1, "a", "b")), None);
        let mut u = pair(1, "a", "b");
        u.variants[1].props.push(Prop {
            kind: "X-Score".into(),
            value: "0.5".into(),
        });
        assert_eq!(unit_score(&u), Some(Ok(0.5)));
    }

    #[test]
    fn exact_dedupe_keeps_the_first_and_counts_exact_duplicates() {
        let units = [
            pair(1, "Hello.", "Привет."),
            pair(2, "Hello.", "Привет."),
            pair(3, "Hello. ", "Привет."),
            pair(4, "Hello.", "Здравствуйте."),
            unit(5, &[("ru_RU", "Привет."), ("en_us", "Hello.")]),
        ];
        let (kept, reasons, report) = dedupe(&units, DedupeOptions::default());
        // Variant order and tag spelling do not matter; a trailing space and another target do.
        assert_eq!(kept, [1, 3, 4]);
        assert_eq!(reasons[1], Some(DuplicateReason::Exact));
        assert_eq!(reasons[4], Some(DuplicateReason::Exact));
        assert_eq!((report.exact, report.removed(), report.kept), (2, 2, 3));
        assert_eq!(
            (report.observed, report.checked, report.distinct),
            (5, 5, 3)
        );
        assert!(report.consistent());
    }

    #[test]
    fn direction_is_part_of_the_key() {
        let a = pair(1, "Hello.", "Привет.");
        let mut b = unit(2, &[("ru-RU", "Привет."), ("en-US", "Hello.")]);
        b.srclang = Some("ru-RU".into());
        let (kept, _, _) = dedupe(&[a, b], DedupeOptions::default());
        assert_eq!(kept, [1, 2]);
    }

    #[test]
    fn each_level_reports_its_own_reason() {
        let (units, _) = read(concat!(
            "<tu><tuv xml:lang=\"en-US\"><seg>Press <ph x=\"1\">&lt;b&gt;</ph>OK now</seg></tuv>",
            "<tuv xml:lang=\"ru-RU\"><seg>Нажмите <ph x=\"1\">&lt;b&gt;</ph>OK</seg></tuv></tu>\n",
            // 2: exact duplicate of 1
            "<tu><tuv xml:lang=\"en-US\"><seg>Press <ph x=\"1\">&lt;b&gt;</ph>OK now</seg></tuv>",
            "<tuv xml:lang=\"ru-RU\"><seg>Нажмите <ph x=\"1\">&lt;b&gt;</ph>OK</seg></tuv></tu>\n",
            // 3: NBSP and a double space
            "<tu><tuv xml:lang=\"en-US\"><seg>Press\u{A0}<ph x=\"1\">&lt;b&gt;</ph>OK  now</seg></tuv>",
            "<tuv xml:lang=\"ru-RU\"><seg>Нажмите <ph x=\"1\">&lt;b&gt;</ph>OK</seg></tuv></tu>\n",
            // 4: no tag
            "<tu><tuv xml:lang=\"en-US\"><seg>Press OK now</seg></tuv>",
            "<tuv xml:lang=\"ru-RU\"><seg>Нажмите OK</seg></tuv></tu>\n",
            // 5: case
            "<tu><tuv xml:lang=\"en-US\"><seg>press ok NOW</seg></tuv>",
            "<tuv xml:lang=\"ru-RU\"><seg>нажмите ok</seg></tuv></tu>\n",
        ));
        let reasons = |o: DedupeOptions| dedupe(&units, o).1;
        use DuplicateReason::*;
        assert_eq!(
            reasons(DedupeOptions::default()),
            [None, Some(Exact), None, None, None]
        );
        let normalize = DedupeOptions {
            normalize: true,
            ..DedupeOptions::default()
        };
        assert_eq!(
            reasons(normalize),
            [None, Some(Exact), Some(Normalized), None, None]
        );
        let tags = DedupeOptions {
            ignore_tags: true,
            ..DedupeOptions::default()
        };
        assert_eq!(
            reasons(tags),
            [
                None,
                Some(Exact),
                Some(Normalized),
                Some(IgnoringTags),
                None
            ]
        );
        let case = DedupeOptions {
            ignore_case: true,
            ignore_tags: true,
            ..DedupeOptions::default()
        };
        let (kept, r, report) = dedupe(&units, case);
        assert_eq!(kept, [1]);
        assert_eq!(
            r,
            [
                None,
                Some(Exact),
                Some(Normalized),
                Some(IgnoringTags),
                Some(IgnoringCase)
            ]
        );
        assert_eq!(
            (
                report.exact,
                report.normalized,
                report.ignoring_tags,
                report.ignoring_case
            ),
            (1, 1, 1, 1)
        );
        // Case alone (tags kept) still groups 4 and 5, not 1 and 4.
        let case_only = DedupeOptions {
            ignore_case: true,
            ..DedupeOptions::default()
        };
        assert_eq!(
            reasons(case_only),
            [
                None,
                Some(Exact),
                Some(Normalized),
                None,
                Some(IgnoringCase)
            ]
        );
        assert!(report.to_string().contains("4 removed"), "{report}");
    }

    #[test]
    fn keep_newest_prefers_the_latest_date_and_the_first_on_ties() {
        let units = [
            pair(1, "A", "Б"),
            with_date(pair(2, "A", "Б"), "20200101T000000Z"),
            with_date(pair(3, "A", "Б"), "2023-05-01"),
            with_date(pair(4, "A", "Б"), "20230501T000000Z"),
            with_date(pair(5, "A", "Б"), "not a date"),
        ];
        let newest = DedupeOptions {
            keep: Keep::Newest,
            ..DedupeOptions::default()
        };
        assert_eq!(dedupe(&units, newest).0, [3]);
        // Creation date counts when newer than the change date.
        let mut c = pair(6, "A", "Б");
        c.creationdate = Some(Date::parse("20240101T000000Z"));
        let mut all = units.to_vec();
        all.push(c);
        assert_eq!(dedupe(&all, newest).0, [6]);
        // No dates at all: the first.
        let undated = [pair(1, "A", "Б"), pair(2, "A", "Б")];
        assert_eq!(dedupe(&undated, newest).0, [1]);
    }

    #[test]
    fn keep_best_score_breaks_ties_by_date_then_position() {
        let best = DedupeOptions {
            keep: Keep::BestScore,
            ..DedupeOptions::default()
        };
        let units = [
            pair(1, "A", "Б"),
            with_score(pair(2, "A", "Б"), "0.5"),
            with_score(pair(3, "A", "Б"), "0.9"),
            with_score(pair(4, "A", "Б"), "bad"),
            with_score(pair(5, "A", "Б"), "0.7"),
        ];
        assert_eq!(dedupe(&units, best).0, [3]);
        let ties = [
            with_score(pair(1, "A", "Б"), "0.9"),
            with_date(with_score(pair(2, "A", "Б"), "0.9"), "20200101T000000Z"),
            with_date(with_score(pair(3, "A", "Б"), "0.9"), "20220101T000000Z"),
            with_date(with_score(pair(4, "A", "Б"), "0.9"), "20220101T000000Z"),
        ];
        assert_eq!(dedupe(&ties, best).0, [3]);
        // Unscored and unreadable are equally lowest: the first of them.
        let none = [pair(1, "A", "Б"), with_score(pair(2, "A", "Б"), "x")];
        assert_eq!(dedupe(&none, best).0, [1]);
        // A negative score still beats a missing one.
        let neg = [pair(1, "A", "Б"), with_score(pair(2, "A", "Б"), "-3")];
        assert_eq!(dedupe(&neg, best).0, [2]);
    }

    #[test]
    fn multi_variant_units_dedupe_on_all_variants() {
        let units = [
            unit(1, &[("en", "Yes"), ("ru", "Да"), ("de", "Ja")]),
            unit(2, &[("en", "Yes"), ("de", "Ja"), ("ru", "Да")]),
            unit(3, &[("en", "Yes"), ("ru", "Да")]),
            unit(4, &[("en", "Yes"), ("ru", "Да"), ("de", "Jawohl")]),
        ];
        let mut d = Deduper::new(DedupeOptions::default(), &Header::default());
        units.iter().for_each(|u| d.observe(u));
        let kept: Vec<bool> = units.iter().map(|u| d.keeps(u)).collect();
        assert_eq!(kept, [true, false, true, true]);
    }

    #[test]
    fn a_changed_second_pass_keeps_what_it_did_not_see() {
        let mut d = Deduper::new(DedupeOptions::default(), &header());
        d.observe(&pair(1, "A", "Б"));
        d.finish_observing();
        assert!(d.keeps(&pair(1, "A", "Б")));
        assert!(d.keeps(&pair(2, "C", "Д")));
        // Still a duplicate of the unit kept at position 0.
        assert!(!d.keeps(&pair(3, "A", "Б")));
        let r = d.report();
        assert_eq!((r.unseen, r.checked, r.observed), (1, 3, 1));
        assert!(!r.consistent());
    }

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
        assert_eq!(expected_script("uk_UA"), Some(Script::Cyrillic));
        assert_eq!(expected_script("mn-Mong"), None);
        assert_eq!(expected_script("zh"), None);
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

    #[test]
    fn reasons_compare_with_the_unit_kept_not_the_first() {
        let newest = DedupeOptions {
            normalize: true,
            keep: Keep::Newest,
            ..DedupeOptions::default()
        };
        let units = [
            pair(1, "Hello  world", "Мир"),
            pair(2, "Other", "Другое"),
            pair(3, "Hello  world", "Мир"),
            with_date(pair(4, "Hello world", "Мир"), "20240101T000000Z"),
            with_date(pair(5, "Other", "Другое"), "20200101T000000Z"),
        ];
        let (kept, reasons, report) = dedupe(&units, newest);
        assert_eq!(kept, [4, 5]);
        use DuplicateReason::*;
        assert_eq!(
            reasons,
            [Some(Normalized), Some(Exact), Some(Normalized), None, None]
        );
        assert_eq!(
            (report.exact, report.normalized, report.distinct),
            (1, 2, 2)
        );
    }

    #[test]
    fn a_dedupe_entry_is_as_small_as_documented() {
        assert_eq!(std::mem::size_of::<([u64; 2], Entry)>(), 56);
    }

    #[test]
    fn exact_hashes_match_for_equal_units_only() {
        let h = header();
        assert_eq!(
            exact_unit_hash(&pair(1, "a", "б"), &h),
            exact_unit_hash(&pair(9, "a", "б"), &h)
        );
        assert_ne!(
            exact_unit_hash(&pair(1, "a", "б"), &h),
            exact_unit_hash(&pair(1, "a", "в"), &h)
        );
        // Field boundaries cannot shift: ("ab", "c") differs from ("a", "bc").
        assert_ne!(
            exact_unit_hash(&pair(1, "ab", "c"), &h),
            exact_unit_hash(&pair(1, "a", "bc"), &h)
        );
    }
}
