//! `tm stats`: what a translation memory holds, gathered in one streaming pass.
//!
//! Counts units and variants per language (tags normalised as BCP 47, RFC 5646 §2.1.1, with
//! the written spellings that differ listed), characters per language, inline elements by name
//! (TMX 1.4b §3.1.2), empty segments, exact duplicate units (the same key as `tm dedupe`'s exact
//! level: every variant's markup, variant order ignored), sources translated in more than one
//! way, props and notes, an `x-score` histogram and the date range. Memory is bounded by two
//! hash tables (16 bytes per distinct unit, 40 per distinct source), never the units.
//! [`Stats::render_text`] prints aligned columns; [`Stats::to_json`] the same as JSON.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{json, Value};

use super::key::{exact_unit_hash, halves, hash128, sides, unit_score};
use crate::lang::tag::normalize_lang;
use crate::unit::{DateTime, Header, Piece, Unit};

/// Per-language counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct LangStats {
    variants: u64,
    chars: u64,
    empty: u64,
    as_source: u64,
}

/// Number of `x-score` histogram buckets over [0, 1].
const BUCKETS: usize = 10;

/// `x-score` counts.
#[derive(Debug, Clone, Default, PartialEq)]
struct Scores {
    count: u64,
    unreadable: u64,
    sum: f64,
    min: f64,
    max: f64,
    /// `buckets[i]` counts scores in [i/10, (i+1)/10), the last one including 1.
    buckets: [u64; BUCKETS],
    below_zero: u64,
    above_one: u64,
}

/// What `tm stats` reports: counts over every unit added (`Stats::add`).
#[derive(Debug, Default)]
pub struct Stats {
    units: u64,
    variants: u64,
    langs: BTreeMap<String, LangStats>,
    /// Written tag -> (normalised tag, times seen), for tags written differently.
    rewritten: BTreeMap<String, (String, u64)>,
    no_source: u64,
    single_variant: u64,
    tags: BTreeMap<String, u64>,
    units_with_tags: u64,
    empty_segments: u64,
    units_with_empty: u64,
    seen: FxHashSet<u128>,
    duplicates: u64,
    /// Source key -> (first target key, already counted as translated differently).
    sources: FxHashMap<[u64; 2], ([u64; 2], bool)>,
    conflicting_sources: u64,
    conflicting_units: u64,
    units_with_props: u64,
    units_with_notes: u64,
    prop_types: BTreeMap<String, u64>,
    scores: Scores,
    first_date: Option<DateTime>,
    last_date: Option<DateTime>,
    undated: u64,
    unreadable_dates: u64,
    warnings: u64,
}

impl Stats {
    /// Empty statistics.
    pub(crate) fn new() -> Stats {
        Stats::default()
    }

    /// Counts `unit`, read under `header` (for its source language).
    pub(crate) fn add(&mut self, unit: &Unit, header: &Header) {
        self.units += 1;
        self.variants += unit.variants.len() as u64;
        if unit.variants.len() < 2 {
            self.single_variant += 1;
        }
        let (source, targets) = sides(unit, header);
        self.no_source += u64::from(source.is_none());
        let (mut has_tags, mut has_empty) = (false, false);
        for v in &unit.variants {
            let text = v.segment.plain_text();
            let empty = text.trim().is_empty();
            let stats = self.lang(&v.lang);
            stats.variants += 1;
            stats.as_source += u64::from(source.is_some_and(|s| std::ptr::eq(s, v)));
            stats.chars += text.chars().count() as u64;
            if empty {
                stats.empty += 1;
                self.empty_segments += 1;
                has_empty = true;
            }
            has_tags |= count_tags(&v.segment.pieces, &mut self.tags);
        }
        self.units_with_tags += u64::from(has_tags);
        self.units_with_empty += u64::from(has_empty);

        if !self.seen.insert(exact_unit_hash(unit, header)) {
            self.duplicates += 1;
        }
        if let Some(src) = source {
            let source_key = hash128(&format!(
                "{}\u{0}{}",
                normalize_lang(&src.lang).0,
                src.segment.to_xml()
            ));
            let mut target_parts: Vec<String> = targets
                .iter()
                .map(|v| format!("{}\u{0}{}", normalize_lang(&v.lang).0, v.segment.to_xml()))
                .collect();
            target_parts.sort_unstable();
            let mut target_key = String::new();
            for part in &target_parts {
                target_key.push_str(&part.len().to_string());
                target_key.push(':');
                target_key.push_str(part);
            }
            let target_key = halves(hash128(&target_key));
            let entry = self
                .sources
                .entry(halves(source_key))
                .or_insert((target_key, false));
            if entry.0 != target_key {
                self.conflicting_units += 1;
                if !entry.1 {
                    entry.1 = true;
                    self.conflicting_sources += 1;
                }
            }
        }

        let all_props = unit
            .props
            .iter()
            .chain(unit.variants.iter().flat_map(|v| v.props.iter()));
        let mut has_props = false;
        for p in all_props {
            has_props = true;
            *self.prop_types.entry(p.kind.clone()).or_default() += 1;
        }
        self.units_with_props += u64::from(has_props);
        let has_notes = !unit.notes.is_empty() || unit.variants.iter().any(|v| !v.notes.is_empty());
        self.units_with_notes += u64::from(has_notes);
        match unit_score(unit) {
            Some(Ok(x)) => self.add_score(x),
            Some(Err(_)) => self.scores.unreadable += 1,
            None => {}
        }

        let mut dated = false;
        for date in [&unit.creationdate, &unit.changedate].into_iter().flatten() {
            match date.utc {
                Some(d) => {
                    dated = true;
                    self.first_date = Some(self.first_date.map_or(d, |f| f.min(d)));
                    self.last_date = Some(self.last_date.map_or(d, |l| l.max(d)));
                }
                None => self.unreadable_dates += 1,
            }
        }
        self.undated += u64::from(!dated);
    }

    /// Counts `n` warnings (from reading).
    pub(crate) fn add_warnings(&mut self, n: usize) {
        self.warnings += n as u64;
    }

    /// Units counted so far.
    #[cfg(test)]
    pub(crate) fn units(&self) -> u64 {
        self.units
    }

    /// Exact duplicate units counted so far (each unit after the first of its key).
    #[cfg(test)]
    pub(crate) fn duplicates(&self) -> u64 {
        self.duplicates
    }

    /// The counts of the normalised language `tag`, and the written spelling when it differs.
    fn lang(&mut self, tag: &str) -> &mut LangStats {
        let (canonical, _) = normalize_lang(tag);
        if canonical != tag {
            self.rewritten
                .entry(tag.to_string())
                .or_insert_with(|| (canonical.clone(), 0))
                .1 += 1;
        }
        self.langs.entry(canonical).or_default()
    }

    fn add_score(&mut self, x: f64) {
        let s = &mut self.scores;
        if s.count == 0 {
            (s.min, s.max) = (x, x);
        }
        s.count += 1;
        s.sum += x;
        s.min = s.min.min(x);
        s.max = s.max.max(x);
        if x < 0.0 {
            s.below_zero += 1;
        } else if x > 1.0 {
            s.above_one += 1;
        } else {
            let i = ((x * BUCKETS as f64) as usize).min(BUCKETS - 1);
            s.buckets[i] += 1;
        }
    }

    /// The summary lines: (label, value).
    fn summary(&self) -> Vec<(&'static str, String)> {
        let mut rows = vec![
            ("units", self.units.to_string()),
            ("variants", self.variants.to_string()),
            ("languages", self.langs.len().to_string()),
            (
                "units with fewer than 2 variants",
                self.single_variant.to_string(),
            ),
            ("units without a source variant", self.no_source.to_string()),
            ("empty segments", self.empty_segments.to_string()),
            (
                "units with an empty segment",
                self.units_with_empty.to_string(),
            ),
            ("units with inline tags", self.units_with_tags.to_string()),
            ("exact duplicate units", self.duplicates.to_string()),
            (
                "sources with different targets",
                self.conflicting_sources.to_string(),
            ),
            (
                "units translating a source differently",
                self.conflicting_units.to_string(),
            ),
            ("units with props", self.units_with_props.to_string()),
            ("units with notes", self.units_with_notes.to_string()),
            ("units without a date", self.undated.to_string()),
            ("unreadable dates", self.unreadable_dates.to_string()),
        ];
        if let (Some(first), Some(last)) = (self.first_date, self.last_date) {
            rows.push(("dates", format!("{} - {}", first.to_tmx(), last.to_tmx())));
        }
        if self.scores.count + self.scores.unreadable > 0 {
            rows.push(("units with x-score", self.scores.count.to_string()));
            rows.push(("unreadable x-score", self.scores.unreadable.to_string()));
        }
        if self.scores.count > 0 {
            let s = &self.scores;
            rows.push((
                "x-score min / mean / max",
                format!(
                    "{:.4} / {:.4} / {:.4}",
                    s.min,
                    s.sum / s.count as f64,
                    s.max
                ),
            ));
        }
        rows.push(("warnings", self.warnings.to_string()));
        rows
    }

    /// The report as text, in aligned columns.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let summary: Vec<Vec<String>> = self
            .summary()
            .into_iter()
            .map(|(k, v)| vec![k.to_string(), v])
            .collect();
        out.push_str(&columns(&summary));

        let mut langs = vec![vec![
            "language".to_string(),
            "variants".into(),
            "source".into(),
            "characters".into(),
            "empty".into(),
        ]];
        for (lang, s) in &self.langs {
            langs.push(vec![
                lang.clone(),
                s.variants.to_string(),
                s.as_source.to_string(),
                s.chars.to_string(),
                s.empty.to_string(),
            ]);
        }
        out.push('\n');
        out.push_str(&columns(&langs));

        if !self.rewritten.is_empty() {
            let mut rows = vec![vec![
                "language tag as written".to_string(),
                "read as".into(),
                "times".into(),
            ]];
            for (written, (canonical, n)) in &self.rewritten {
                rows.push(vec![written.clone(), canonical.clone(), n.to_string()]);
            }
            out.push('\n');
            out.push_str(&columns(&rows));
        }
        if !self.tags.is_empty() {
            let mut rows = vec![vec!["inline element".to_string(), "count".into()]];
            for (name, n) in &self.tags {
                rows.push(vec![format!("<{name}>"), n.to_string()]);
            }
            out.push('\n');
            out.push_str(&columns(&rows));
        }
        if !self.prop_types.is_empty() {
            let mut rows = vec![vec!["prop type".to_string(), "count".into()]];
            for (kind, n) in &self.prop_types {
                rows.push(vec![kind.clone(), n.to_string()]);
            }
            out.push('\n');
            out.push_str(&columns(&rows));
        }
        if self.scores.count > 0 {
            let s = &self.scores;
            let most = s.buckets.iter().copied().max().unwrap_or(0).max(1);
            let mut rows = vec![vec!["x-score".to_string(), "units".into(), String::new()]];
            if s.below_zero > 0 {
                rows.push(vec!["< 0".into(), s.below_zero.to_string(), String::new()]);
            }
            for (i, n) in s.buckets.iter().enumerate() {
                let (lo, hi) = (i as f64 / BUCKETS as f64, (i + 1) as f64 / BUCKETS as f64);
                let close = if i + 1 == BUCKETS { ']' } else { ')' };
                let bar = "#".repeat(((n * 40).div_ceil(most)) as usize);
                rows.push(vec![
                    format!("[{lo:.1}, {hi:.1}{close}"),
                    n.to_string(),
                    bar,
                ]);
            }
            if s.above_one > 0 {
                rows.push(vec!["> 1".into(), s.above_one.to_string(), String::new()]);
            }
            out.push('\n');
            out.push_str(&columns(&rows));
        }
        out
    }

    /// The report as JSON.
    pub fn to_json(&self) -> Value {
        let langs: serde_json::Map<String, Value> = self
            .langs
            .iter()
            .map(|(lang, s)| {
                (
                    lang.clone(),
                    json!({"variants": s.variants, "source": s.as_source,
                           "characters": s.chars, "empty": s.empty}),
                )
            })
            .collect();
        let rewritten: serde_json::Map<String, Value> = self
            .rewritten
            .iter()
            .map(|(w, (c, n))| (w.clone(), json!({"read_as": c, "times": n})))
            .collect();
        let s = &self.scores;
        let scores = (s.count + s.unreadable > 0).then(|| {
            json!({
                "count": s.count,
                "unreadable": s.unreadable,
                "min": (s.count > 0).then_some(s.min),
                "mean": (s.count > 0).then(|| s.sum / s.count as f64),
                "max": (s.count > 0).then_some(s.max),
                "histogram": s.buckets,
                "below_zero": s.below_zero,
                "above_one": s.above_one,
            })
        });
        json!({
            "units": self.units,
            "variants": self.variants,
            "languages": langs,
            "language_tags_rewritten": rewritten,
            "units_with_fewer_than_2_variants": self.single_variant,
            "units_without_source_variant": self.no_source,
            "empty_segments": self.empty_segments,
            "units_with_empty_segment": self.units_with_empty,
            "units_with_tags": self.units_with_tags,
            "tags": self.tags,
            "exact_duplicate_units": self.duplicates,
            "sources_with_different_targets": self.conflicting_sources,
            "units_translating_a_source_differently": self.conflicting_units,
            "units_with_props": self.units_with_props,
            "units_with_notes": self.units_with_notes,
            "prop_types": self.prop_types,
            "x_score": scores,
            "dates": {
                "first": self.first_date.map(|d| d.to_tmx()),
                "last": self.last_date.map(|d| d.to_tmx()),
                "units_without_date": self.undated,
                "unreadable": self.unreadable_dates,
            },
            "warnings": self.warnings,
        })
    }
}

/// Counts the inline elements of `pieces` (nested ones too) by name; true when there are any.
fn count_tags(pieces: &[Piece], counts: &mut BTreeMap<String, u64>) -> bool {
    let mut any = false;
    for p in pieces {
        if let Piece::Tag(t) = p {
            any = true;
            match counts.get_mut(&t.name) {
                Some(n) => *n += 1,
                None => {
                    counts.insert(t.name.clone(), 1);
                }
            }
            count_tags(&t.content, counts);
        }
    }
    any
}

/// Rows as aligned columns: the first left-aligned, the others right-aligned, two spaces
/// between, each line indented by two and trailing spaces trimmed.
fn columns(rows: &[Vec<String>]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; n];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::from("  ");
        for (i, cell) in row.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                // The last column of a histogram is a bar: left-aligned.
                if i + 1 == row.len() && cell.starts_with('#') || cell.is_empty() {
                    line.push_str(cell);
                } else {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::tmx::{ReadOptions, TmxReader};

    /// Six hand-made units: a duplicate (written `en_US`), a source translated two ways,
    /// an empty target, a single-variant unit, a unit without its source language.
    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en-US" datatype="plaintext"/><body>
<tu changedate="20200101T000000Z"><prop type="x-score">0.95</prop>
 <tuv xml:lang="en-US"><seg>Hello <ph x="1">&lt;br/&gt;</ph></seg></tuv><tuv xml:lang="ru-RU"><seg>Привет <ph x="1">&lt;br/&gt;</ph></seg></tuv></tu>
<tu><prop type="x-score">0.95</prop>
 <tuv xml:lang="en_US"><seg>Hello <ph x="1">&lt;br/&gt;</ph></seg></tuv><tuv xml:lang="ru-RU"><seg>Привет <ph x="1">&lt;br/&gt;</ph></seg></tuv></tu>
<tu creationdate="20230615T120000Z"><prop type="x-score">0.35</prop>
 <tuv xml:lang="en-US"><seg>Hello <ph x="1">&lt;br/&gt;</ph></seg></tuv><tuv xml:lang="ru-RU"><seg>Здравствуй</seg></tuv></tu>
<tu><prop type="x-score">bad</prop><note>check</note>
 <tuv xml:lang="en-US"><seg>Bye</seg></tuv><tuv xml:lang="ru-RU"><seg></seg></tuv></tu>
<tu creationdate="garbage"><tuv xml:lang="en-US"><seg>Lonely</seg></tuv></tu>
<tu><tuv xml:lang="de"><seg>Hallo <hi>du</hi></seg></tuv><tuv xml:lang="fr"><seg>Salut</seg></tuv></tu>
</body></tmx>
"#;

    fn stats() -> Stats {
        let mut r = TmxReader::new(DOC.as_bytes(), "t.tmx", ReadOptions::default()).unwrap();
        let header = r.header().clone();
        let mut stats = Stats::new();
        for unit in r.by_ref() {
            stats.add(&unit.unwrap(), &header);
        }
        stats.add_warnings(r.take_warnings().len());
        stats.add_warnings(2);
        stats
    }

    #[test]
    fn counts_a_hand_made_memory() {
        let s = stats();
        assert_eq!((s.units(), s.variants, s.langs.len()), (6, 11, 4));
        assert_eq!(
            s.langs["en-US"],
            LangStats {
                variants: 5,
                chars: 6 + 6 + 6 + 3 + 6,
                empty: 0,
                as_source: 5
            }
        );
        assert_eq!((s.langs["ru-RU"].variants, s.langs["ru-RU"].empty), (4, 1));
        assert_eq!(s.langs["ru-RU"].chars, 7 + 7 + 10);
        assert_eq!(s.langs["de"].as_source, 0);
        assert_eq!(s.rewritten["en_US"], ("en-US".to_string(), 1));
        assert_eq!((s.single_variant, s.no_source), (1, 1));
        assert_eq!((s.empty_segments, s.units_with_empty), (1, 1));
        assert_eq!(s.units_with_tags, 4);
        assert_eq!((s.tags["ph"], s.tags["hi"]), (5, 1));
        assert_eq!(
            s.duplicates(),
            1,
            "unit 2 repeats unit 1 (tag spelling aside)"
        );
        assert_eq!((s.conflicting_sources, s.conflicting_units), (1, 1));
        assert_eq!((s.units_with_props, s.units_with_notes), (4, 1));
        assert_eq!(s.prop_types["x-score"], 4);
        assert_eq!((s.scores.count, s.scores.unreadable), (3, 1));
        assert_eq!(s.scores.buckets[9], 2);
        assert_eq!(s.scores.buckets[3], 1);
        assert_eq!((s.scores.min, s.scores.max), (0.35, 0.95));
        assert_eq!(
            s.first_date.map(|d| d.to_tmx()).as_deref(),
            Some("20200101T000000Z")
        );
        assert_eq!(
            s.last_date.map(|d| d.to_tmx()).as_deref(),
            Some("20230615T120000Z")
        );
        assert_eq!((s.undated, s.unreadable_dates), (4, 1));
        assert!(s.warnings >= 2);
    }

    #[test]
    fn scores_outside_zero_one_and_the_top_bucket() {
        let mut s = Stats::new();
        for x in [-0.5, 0.0, 0.1, 0.999, 1.0, 7.0] {
            s.add_score(x);
        }
        assert_eq!((s.scores.below_zero, s.scores.above_one), (1, 1));
        assert_eq!(s.scores.buckets[0], 1);
        assert_eq!(s.scores.buckets[1], 1);
        assert_eq!(s.scores.buckets[9], 2, "1.0 falls in the last bucket");
        assert_eq!((s.scores.min, s.scores.max), (-0.5, 7.0));
    }

    #[test]
    fn text_is_aligned_in_columns() {
        let text = stats().render_text();
        let line = |label: &str| {
            text.lines()
                .find(|l| l.trim_start().starts_with(label))
                .unwrap_or_else(|| panic!("no {label} in\n{text}"))
                .to_string()
        };
        assert!(line("units ").ends_with(" 6"), "{text}");
        assert!(line("exact duplicate units").ends_with(" 1"));
        assert!(line("sources with different targets").ends_with(" 1"));
        assert!(line("dates").ends_with("20200101T000000Z - 20230615T120000Z"));
        assert!(line("x-score min / mean / max").ends_with("0.3500 / 0.7500 / 0.9500"));
        // Every summary value ends in the same column.
        let summary: Vec<&str> = text.split("\n\n").next().unwrap().lines().collect();
        let width = summary[0].chars().count();
        assert!(summary.iter().all(|l| l.chars().count() == width), "{text}");
        // The language table: one header and four rows, right-aligned numbers.
        let langs: Vec<&str> = text.split("\n\n").nth(1).unwrap().lines().collect();
        assert_eq!(langs.len(), 5);
        assert!(langs[0].contains("language") && langs[0].contains("characters"));
        let en = langs
            .iter()
            .find(|l| l.trim_start().starts_with("en-US"))
            .unwrap();
        assert_eq!(en.chars().count(), langs[0].chars().count());
        assert!(text.contains("en_US") && text.contains("<ph>") && text.contains("[0.9, 1.0]"));
    }

    #[test]
    fn json_holds_the_same_counts() {
        let j = stats().to_json();
        assert_eq!(j["units"], 6);
        assert_eq!(j["languages"]["ru-RU"]["empty"], 1);
        assert_eq!(j["language_tags_rewritten"]["en_US"]["read_as"], "en-US");
        assert_eq!(j["tags"]["ph"], 5);
        assert_eq!(j["exact_duplicate_units"], 1);
        assert_eq!(j["sources_with_different_targets"], 1);
        assert_eq!(j["x_score"]["count"], 3);
        assert_eq!(j["x_score"]["histogram"][9], 2);
        assert_eq!(j["dates"]["first"], "20200101T000000Z");
        assert_eq!(j["dates"]["units_without_date"], 4);
        let empty = Stats::new().to_json();
        assert_eq!(empty["units"], 0);
        assert!(empty["x_score"].is_null() && empty["dates"]["first"].is_null());
        assert!(Stats::new().render_text().contains("units"));
    }
}
