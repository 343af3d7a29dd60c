//! The key two units are compared by, shared by `tm dedupe` (its groups), `tm filter` (sides,
//! scores, untranslated targets) and `tm stats` (exact duplicates, sources, scores).
//!
//! **Sides.** A unit's source variant is the first `<tuv>` in [`Unit::source_lang`] (the unit's
//! `srclang`, else the header's); with `*all*` or no `srclang` anywhere, the first `<tuv>`. Every
//! other variant is a target.
//!
//! **Normalisation** ([`normalize_text_into`]) follows Unicode: the text is put in Normalization Form
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
//! [`normalize_text_into`]), ignoring tags (the plain text, normalised) and ignoring case (the
//! normalised markup, or plain text when ignoring tags, lower-cased). A key is compared by its
//! 128-bit hash ([`hash128`]: SipHash-1-3 with its 128-bit output).

use std::fmt;
use std::hash::{Hash, Hasher};

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
#[cfg(test)]
pub(crate) fn normalize_text(text: &str, ignore_case: bool) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_text_into(text, ignore_case, &mut out);
    out
}

/// `text` normalised as the module doc describes (NFC, spaces, quotes, dashes; lower case too
/// when `ignore_case`), appended to `out`.
fn normalize_text_into(text: &str, ignore_case: bool, out: &mut String) {
    let start = out.len();
    let mut space = false;
    // NFC by the aligner's normaliser, which copies through what NFC cannot change (nearly
    // every segment) instead of decomposing and recomposing every char.
    let composed = crate::normalize::to_nfc(text);
    let mut rest = composed.as_deref().unwrap_or(text);
    while !rest.is_empty() {
        // A run of chars that stay as they are goes in whole (most of any text): printable
        // ASCII other than the space, and, with case kept, the two-byte chars from U+00C0 to
        // U+07FF (Latin letters with accents, Greek, Cyrillic, Hebrew, Arabic), of which only
        // U+02BC (a modifier apostrophe) is folded.
        let bytes = rest.as_bytes();
        let mut run = 0;
        while let Some(&b) = bytes.get(run) {
            if (b'!'..=b'~').contains(&b) {
                run += 1;
            } else if !ignore_case
                && (0xC3..=0xDF).contains(&b)
                && !(b == 0xCA && bytes.get(run + 1) == Some(&0xBC))
            {
                // A lead byte of valid UTF-8: one continuation byte follows.
                run += 2;
            } else {
                break;
            }
        }
        let run = run.min(rest.len());
        if run > 0 {
            if space && out.len() > start {
                out.push(' ');
            }
            space = false;
            let at = out.len();
            out.push_str(&rest[..run]);
            if ignore_case {
                out[at..].make_ascii_lowercase();
            }
            rest = &rest[run..];
            continue;
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        rest = chars.as_str();
        let folded = match fold(c) {
            Fold::Space => {
                space = true;
                continue;
            }
            Fold::Drop => continue,
            Fold::To(folded) => folded,
            Fold::Keep => "",
        };
        if space && out.len() > start {
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
}

/// What the normalisation does with one char (after NFC).
enum Fold {
    /// White space: runs fold to one space, trimmed at the ends.
    Space,
    /// Invisible: dropped.
    Drop,
    /// A typographic variant: written as this.
    To(&'static str),
    /// Kept (lower-cased when case is ignored).
    Keep,
}

fn fold(c: char) -> Fold {
    match c {
        c if c.is_whitespace() => Fold::Space,
        '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => Fold::Drop,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2039}' | '\u{203A}'
        | '\u{02BC}' | '\u{2032}' | '\u{FF07}' => Fold::To("'"),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' | '\u{FF02}' => Fold::To("\""),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            Fold::To("-")
        }
        '\u{2026}' => Fold::To("..."),
        _ => Fold::Keep,
    }
}

/// True when `a` and `b` normalise ([`normalize_text_into`]) to the same text, compared as the
/// normalised chars come, so texts that differ early (a translation and its source) are
/// told apart without normalising either whole.
pub(crate) fn same_normalized(a: &str, b: &str, ignore_case: bool) -> bool {
    Normalized::new(a, ignore_case).eq(Normalized::new(b, ignore_case))
}

/// True when `text` normalises to nothing (only white space and invisible chars).
pub(crate) fn normalizes_to_nothing(text: &str) -> bool {
    text.chars()
        .all(|c| matches!(fold(c), Fold::Space | Fold::Drop))
}

/// The chars of [`normalize_text_into`]'s result, made as they are read.
struct Normalized<'a> {
    text: std::borrow::Cow<'a, str>,
    at: usize,
    ignore_case: bool,
    /// White space read since the last char given (written as one space before the next).
    space: bool,
    /// True once a char was given (a space is written only between chars).
    started: bool,
    /// Chars of the current one still to give (a lower-cased or folded char can be several).
    pending: [char; 3],
    pending_from: usize,
    pending_to: usize,
}

impl<'a> Normalized<'a> {
    fn new(text: &'a str, ignore_case: bool) -> Normalized<'a> {
        let text = match crate::normalize::to_nfc(text) {
            Some(composed) => std::borrow::Cow::Owned(composed),
            None => std::borrow::Cow::Borrowed(text),
        };
        Normalized {
            text,
            at: 0,
            ignore_case,
            space: false,
            started: false,
            pending: ['\0'; 3],
            pending_from: 0,
            pending_to: 0,
        }
    }
}

impl Iterator for Normalized<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if self.pending_from < self.pending_to {
            self.pending_from += 1;
            return Some(self.pending[self.pending_from - 1]);
        }
        loop {
            let c = self.text.get(self.at..)?.chars().next()?;
            self.at += c.len_utf8();
            let (mut n, mut out) = (0, ['\0'; 3]);
            match fold(c) {
                Fold::Space => {
                    self.space = true;
                    continue;
                }
                Fold::Drop => continue,
                Fold::To(folded) => {
                    for f in folded.chars().take(3) {
                        out[n] = f;
                        n += 1;
                    }
                }
                Fold::Keep if self.ignore_case => {
                    for l in c.to_lowercase().take(3) {
                        out[n] = l;
                        n += 1;
                    }
                }
                Fold::Keep => {
                    out[0] = c;
                    n = 1;
                }
            }
            if n == 0 {
                continue;
            }
            let space = std::mem::take(&mut self.space) && self.started;
            self.started = true;
            self.pending = out;
            if space {
                (self.pending_from, self.pending_to) = (0, n);
                return Some(' ');
            }
            (self.pending_from, self.pending_to) = (1, n);
            return Some(out[0]);
        }
    }
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

/// A 128-bit hash of `key`: SipHash-1-3 with 128-bit output, in one pass over the key.
pub(crate) fn hash128(key: &str) -> u128 {
    use siphasher::sip128::{Hasher128, SipHasher13};
    let mut h = SipHasher13::new();
    h.write(key.as_bytes());
    h.finish128().as_u128()
}

/// A 128-bit hash as two 64-bit halves: 8-byte aligned, so map entries stay compact.
pub(crate) fn halves(key: u128) -> [u64; 2] {
    [(key >> 64) as u64, key as u64]
}

/// Appends `s` with a length prefix, so concatenated fields cannot run into each other.
fn push_field(key: &mut String, s: &str) {
    crate::text::push_decimal(key, s.len() as u64);
    key.push(':');
    key.push_str(s);
}

/// Appends the canonical form of language tag `tag` ([`normalize_lang`]) as a field, from a
/// small per-thread table: a memory has a handful of tags, written on every unit.
fn push_lang_field(out: &mut String, tag: &str) {
    thread_local! {
        static SEEN: std::cell::RefCell<Vec<(Box<str>, Box<str>)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    /// Tags a thread remembers (the first ones met).
    const SEEN_CAP: usize = 32;
    let pushed = SEEN
        .try_with(|seen| {
            let mut seen = seen.try_borrow_mut().ok()?;
            if let Some((_, canonical)) = seen.iter().find(|(t, _)| &**t == tag) {
                push_field(out, canonical);
                return Some(());
            }
            let canonical = normalize_lang(tag).0;
            push_field(out, &canonical);
            if seen.len() < SEEN_CAP {
                seen.push((tag.into(), canonical.into()));
            }
            Some(())
        })
        .ok()
        .flatten();
    if pushed.is_none() {
        push_field(out, &normalize_lang(tag).0);
    }
}

/// One variant's parts of a key: its segment's markup and plain text, each made when a level
/// first needs it and shared by the levels after.
struct VariantParts<'a> {
    variant: &'a Variant,
    xml: std::cell::OnceCell<String>,
    plain: std::cell::OnceCell<String>,
}

impl<'a> VariantParts<'a> {
    fn new(variant: &'a Variant) -> VariantParts<'a> {
        VariantParts {
            variant,
            xml: std::cell::OnceCell::new(),
            plain: std::cell::OnceCell::new(),
        }
    }

    /// Appends the variant's key at `level` to `out`: its normalised language and segment.
    fn key_into(
        &self,
        level: DuplicateReason,
        ignore_tags: bool,
        seg: &mut String,
        out: &mut String,
    ) {
        let xml = || self.xml.get_or_init(|| self.variant.segment.to_xml());
        let plain = || self.plain.get_or_init(|| self.variant.segment.plain_text());
        seg.clear();
        match level {
            DuplicateReason::Exact => seg.push_str(xml()),
            DuplicateReason::Normalized => normalize_text_into(xml(), false, seg),
            DuplicateReason::IgnoringTags => normalize_text_into(plain(), false, seg),
            DuplicateReason::IgnoringCase if ignore_tags => normalize_text_into(plain(), true, seg),
            DuplicateReason::IgnoringCase => normalize_text_into(xml(), true, seg),
        }
        push_lang_field(out, &self.variant.lang);
        push_field(out, seg);
    }
}

/// The hashes ([`hash128`]) of a unit's keys at each of `levels`: source language, then each
/// variant's normalised language and segment key, source first and targets sorted. Ignoring
/// case compares the normalised markup lower-cased, or the plain text when `ignore_tags`.
/// What the levels share (the sides, the markup, the languages) is made once.
pub(crate) fn unit_hashes(
    unit: &Unit,
    header: &Header,
    levels: &[DuplicateReason],
    ignore_tags: bool,
) -> Vec<u128> {
    let (source, targets) = sides(unit, header);
    let source = source.map(VariantParts::new);
    let targets: Vec<VariantParts<'_>> = targets.into_iter().map(VariantParts::new).collect();
    let mut head = String::new();
    match unit.source_lang(header) {
        Some(lang) => push_lang_field(&mut head, lang),
        None => push_field(&mut head, ""),
    }
    // Room for the markup of every variant and its fields, so the key grows without copies.
    let text: usize = unit
        .variants
        .iter()
        .flat_map(|v| &v.segment.pieces)
        .map(|p| match p {
            crate::unit::Piece::Text(t) => t.len(),
            crate::unit::Piece::Tag(_) => 64,
        })
        .sum();
    let room = head.len() + 2 * text + 32 * unit.variants.len();
    let mut key = String::with_capacity(room);
    let mut field = String::with_capacity(room);
    let mut seg = String::with_capacity(room);
    let mut rest: Vec<String> = Vec::new();
    levels
        .iter()
        .map(|&level| {
            key.clear();
            key.push_str(&head);
            field.clear();
            if let Some(v) = &source {
                v.key_into(level, ignore_tags, &mut seg, &mut field);
            }
            push_field(&mut key, &field);
            if let [one] = targets.as_slice() {
                field.clear();
                one.key_into(level, ignore_tags, &mut seg, &mut field);
                push_field(&mut key, &field);
            } else {
                rest.clear();
                for v in &targets {
                    let mut k = String::new();
                    v.key_into(level, ignore_tags, &mut seg, &mut k);
                    rest.push(k);
                }
                rest.sort_unstable();
                for k in &rest {
                    push_field(&mut key, k);
                }
            }
            hash128(&key)
        })
        .collect()
}

/// The 128-bit hash of a unit's exact key (markup of every variant, languages normalised).
pub(crate) fn exact_unit_hash(unit: &Unit, header: &Header) -> u128 {
    unit_hashes(unit, header, &[DuplicateReason::Exact], false)
        .first()
        .copied()
        .unwrap_or_default()
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

    /// The char-by-char normalisation the run-copying one replaced.
    fn normalize_text_by_chars(text: &str, ignore_case: bool) -> String {
        let mut out = String::new();
        let mut space = false;
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

    proptest::proptest! {
        /// Copying runs of printable ASCII whole changes nothing.
        #[test]
        fn normalisation_agrees_with_the_char_by_char_one(
            text in "([ -~]|[\t\n\r\x0b\x0c\u{85}\u{a0}\u{ab}\u{bb}\u{ad}\u{2bb}\u{2bc}\u{2014}\u{2019}\u{2026}\u{3000}]|\u{301}|[А-яЁё]|[ÀÉÖßΣς\u{7ff}\u{800}]){0,40}",
            ignore_case: bool,
            prefix in "[a-z]{0,3}",
        ) {
            proptest::prop_assert_eq!(
                normalize_text(&text, ignore_case),
                normalize_text_by_chars(&text, ignore_case)
            );
            // Appended after other text, a leading space is kept from the text only.
            let mut out = prefix.clone();
            normalize_text_into(&text, ignore_case, &mut out);
            proptest::prop_assert_eq!(out, prefix + &normalize_text_by_chars(&text, ignore_case));
            // The streaming normaliser gives the same chars.
            let streamed: String = Normalized::new(&text, ignore_case).collect();
            proptest::prop_assert_eq!(&streamed, &normalize_text_by_chars(&text, ignore_case));
            proptest::prop_assert_eq!(normalizes_to_nothing(&text), streamed.is_empty());
        }

        /// Compared as they come, two texts are the same exactly when their normalisations are.
        #[test]
        fn same_normalized_is_equality_of_normalisations(
            a in "([ a-cA-C]|[\\u{a0}\\u{ad}\\u{2019}\\u{2026}]|\\u{301}|[бБ]|[é]){0,12}",
            b in "([ a-cA-C]|[\\u{a0}\\u{ad}\\u{2019}\\u{2026}]|\\u{301}|[бБ]|[é]){0,12}",
            ignore_case: bool,
        ) {
            proptest::prop_assert_eq!(
                same_normalized(&a, &b, ignore_case),
                normalize_text(&a, ignore_case) == normalize_text(&b, ignore_case)
            );
            // And a text against itself upper-cased and spaced out: equal ignoring case.
            let c = format!(" {}\u{a0} ", a.to_uppercase().replace(' ', "  "));
            proptest::prop_assert_eq!(
                same_normalized(&a, &c, ignore_case),
                normalize_text(&a, ignore_case) == normalize_text(&c, ignore_case)
            );
            proptest::prop_assert!(!ignore_case || same_normalized(&a, &c, true));
        }
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
