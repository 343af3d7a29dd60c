//! The key two units are compared by, shared by `tm dedupe` (its groups), `tm filter` (sides,
//! scores, untranslated targets) and `tm stats` (exact duplicates, sources, scores).
//!
//! **Sides.** A unit's source variant is the first `<tuv>` in [`Unit::source_lang`] (the unit's
//! `srclang`, else the header's); with `*all*` or no `srclang` anywhere, the first `<tuv>`. Every
//! other variant is a target.
//!
//! **Normalisation** ([`normalize_text`]) follows Unicode: the text is put in Normalization Form
//! C (UAX #15), every `White_Space` character (NBSP, NNBSP, the U+2000 spaces, ideographic
//! space, line breaks) counts as a space, runs of spaces are folded to one and the ends
//! trimmed; the invisible U+00AD soft hyphen, U+200B zero-width space, U+2060 word joiner and
//! U+FEFF are dropped; typographic quotes and apostrophes (`‘ ’ ‚ ‛ ‹ › ʼ ′`, `“ ” „ ‟ « » ″`)
//! fold to `'` and `"`, dashes and the minus sign (U+2010-2015, U+2212, small/full-width
//! hyphen-minus) to `-`, `…` to `...`; with case ignored, Unicode lower case as well.
//!
//! **Keys** ([`unit_key`]) cover every variant (its normalised language tag and its segment)
//! with the source first and the targets sorted, plus the source language, so variant order
//! does not matter but direction does. The levels ([`DuplicateReason`]), each including the one
//! before: exact (segment markup, inline tags included), normalised (the markup after
//! [`normalize_text`]), ignoring tags (the plain text, normalised) and ignoring case (the
//! normalised markup, or plain text when ignoring tags, lower-cased). A key is compared by its
//! 128-bit hash ([`hash128`]: two SipHash-1-3 runs with different prefixes).

use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::lang::tag::normalize_lang;
use crate::unit::{Header, Unit, Variant};

/// A unit's source variant (see the module doc) and its targets, in document order.
pub(crate) fn sides<'a>(
    unit: &'a Unit,
    header: &Header,
) -> (Option<&'a Variant>, Vec<&'a Variant>) {
    let source = match unit.source_lang(header) {
        Some(lang) => unit
            .variants
            .iter()
            .position(|v| crate::unit::same_lang(&v.lang, lang)),
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
pub(crate) fn normalize_text(text: &str, ignore_case: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    // NFC by the aligner's normaliser, which copies through what NFC cannot change (nearly
    // every segment) instead of decomposing and recomposing every char.
    let composed = crate::normalize::to_nfc(text);
    for c in composed.as_deref().unwrap_or(text).chars() {
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
pub(crate) fn unit_score(unit: &Unit) -> Option<Result<f64, &str>> {
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
pub(crate) fn unit_key(
    unit: &Unit,
    header: &Header,
    level: DuplicateReason,
    ignore_tags: bool,
) -> String {
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

/// Why a unit was removed as a duplicate of the unit kept: the strictest level at which they
/// are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum DuplicateReason {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tm::test_units::{header, pair, unit, with_score};
    use crate::unit::Prop;

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
