//! Normalise: [`Document`] -> [`Document`] in Unicode Normalization Form C (UAX #15).
//!
//! Stored and exported text is NFC and otherwise keeps its characters: non-breaking spaces,
//! typographic quotes and dashes stay as they are (folding them is the job of the matching keys
//! built during alignment, never of the text a translator sees). Every change made here is
//! reported as a [`Warning`].

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::error::Warning;
use crate::read::Document;

/// Returns the document in NFC, with a warning when that changed its text.
pub fn normalize(doc: Document) -> (Document, Vec<Warning>) {
    let Some(nfc) = to_nfc(&doc.text) else {
        return (doc, Vec::new());
    };
    let changed_lines = doc
        .text
        .lines()
        .zip(nfc.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, _)| i + 1)
        .collect::<Vec<_>>();
    let shown: Vec<String> = changed_lines
        .iter()
        .take(5)
        .map(|l| l.to_string())
        .collect();
    let more = if changed_lines.len() > 5 { ", ..." } else { "" };
    let warning = Warning::new(
        doc.name.clone(),
        format!(
            "text normalised to Unicode NFC (composed characters) on {} line(s): {}{more}",
            changed_lines.len(),
            shown.join(", ")
        ),
    );
    (restructure(doc, &nfc), vec![warning])
}

/// `doc` with its text in NFC and everything else kept: its format, code page, cues and
/// paragraphs (each paragraph and each gap between them is normalised on its own, so the
/// paragraph ranges are known in the new text; NFC never joins across the line breaks
/// that separate paragraphs, so the text is the whole text's NFC, `nfc`, in all but
/// contrived cases, and is used only to tell them).
fn restructure(doc: Document, nfc: &str) -> Document {
    let piece = |s: &str| to_nfc(s).unwrap_or_else(|| s.to_string());
    let mut text = String::with_capacity(nfc.len());
    let mut paragraphs = Vec::with_capacity(doc.paragraphs.len());
    let mut at = 0;
    for range in &doc.paragraphs {
        let (Some(gap), Some(body)) = (doc.text.get(at..range.start), doc.text.get(range.clone()))
        else {
            // Ranges that do not fit the text (never made by the readers): structure is lost.
            return Document::from_text(doc.name, nfc);
        };
        text.push_str(&piece(gap));
        let start = text.len();
        text.push_str(&piece(body));
        paragraphs.push(start..text.len());
        at = range.end;
    }
    text.push_str(&piece(doc.text.get(at..).unwrap_or_default()));
    Document {
        text,
        paragraphs,
        ..doc
    }
}

/// True for a char that NFC leaves alone and that splits the text for NFC: canonical
/// combining class 0, NFC quick check Yes (so it never composes with the char before it),
/// and a canonical decomposition, if any, that starts with such a char. The text before it
/// and the text from it on normalise independently (UAX #15, section 9). The ranges cover
/// the common scripts (Latin, Greek, Cyrillic, Armenian, punctuation, CJK, Hangul
/// syllables); a test checks every char in them against the Unicode tables of
/// `unicode-normalization`.
fn is_stable(c: char) -> bool {
    matches!(
        c,
        '\0'..='\u{2ff}'
            | '\u{388}'..='\u{482}'
            | '\u{488}'..='\u{590}'
            | '\u{2002}'..='\u{20cf}'
            | '\u{20f1}'..='\u{2125}'
            | '\u{212c}'..='\u{2328}'
            | '\u{232b}'..='\u{2adb}'
            | '\u{2e00}'..='\u{3029}'
            | '\u{309b}'..='\u{a66e}'
            | '\u{ac00}'..='\u{d7a3}'
            | '\u{fe30}'..='\u{ffef}'
    )
}

/// True for the lead byte of a two-byte char in U+0080-U+02FF, U+0400-U+047F or
/// U+04C0-U+057F: stable chars (within the ranges of [`is_stable`]) that need no decoding.
fn is_stable_lead(b: u8) -> bool {
    matches!(b, 0xc2..=0xcb | 0xd0 | 0xd1 | 0xd3..=0xd5)
}

/// True when every byte of the chunk is ASCII, a continuation byte or a lead byte of
/// [`is_stable_lead`], so every char starting in it is stable. Written as comparisons folded
/// with `|` so the compiler checks the chunk with a few vector compares.
fn all_skippable(chunk: &[u8; 16]) -> bool {
    let mut other = 0u8;
    for &b in chunk {
        other |= u8::from(
            (b >= 0xc0)
                & !((0xc2..=0xcb).contains(&b) | (b == 0xd0) | (b == 0xd1))
                & !(0xd3..=0xd5).contains(&b),
        );
    }
    other == 0
}

/// The NFC form of `text`, or `None` when `text` is already in NFC.
///
/// The text is cut before every stable char ([`is_stable`]); a piece made only of one stable
/// char is NFC as it stands, the few others get the quick check and, only when that is not a
/// clear yes, a composition of the piece alone. Unchanged stretches are copied through;
/// nothing is allocated while the text is NFC.
pub(crate) fn to_nfc(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    // `text[..copied]` is already in `out` (when `out` exists).
    let mut copied = 0;
    // Start of the last stable char seen: the piece that an unstable char belongs to.
    let mut piece = 0;
    let mut i = 0;
    let mut buf = String::new();
    while i < bytes.len() {
        // Sixteen bytes at a time while every char in them is stable and skipped by byte.
        if let Some(chunk) = bytes
            .get(i..i + 16)
            .and_then(|c| <&[u8; 16]>::try_from(c).ok())
        {
            if all_skippable(chunk) {
                if let Some(k) = chunk.iter().rposition(|&b| b & 0xc0 != 0x80) {
                    piece = i + k;
                }
                i += 16;
                // The chunk may end inside a char: step over its continuation bytes.
                while bytes.get(i).is_some_and(|&b| b & 0xc0 == 0x80) {
                    i += 1;
                }
                continue;
            }
        }
        let b = bytes[i];
        if b < 0x80 {
            piece = i;
            i += 1;
            continue;
        }
        if is_stable_lead(b) {
            piece = i;
            i += 2;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        if is_stable(c) {
            piece = i;
            i += c.len_utf8();
            continue;
        }
        // An unstable char: its piece runs from the last stable char to the next one.
        let mut end = i + c.len_utf8();
        while let Some(n) = text.get(end..).and_then(|t| t.chars().next()) {
            if is_stable(n) {
                break;
            }
            end += n.len_utf8();
        }
        let Some(span) = text.get(piece..end) else {
            break;
        };
        if is_nfc_quick(span.chars()) != IsNormalized::Yes {
            buf.clear();
            buf.extend(span.nfc());
            if buf != span {
                let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
                o.push_str(text.get(copied..piece).unwrap_or(""));
                o.push_str(&buf);
                copied = end;
            }
        }
        i = end;
        piece = end;
    }
    let mut out = out?;
    out.push_str(text.get(copied..).unwrap_or(""));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::char::canonical_combining_class;

    /// The function as it was before the span-wise fast path (commit 8bb1291), kept to
    /// compare against: quick check of the whole text, then NFC of the whole text.
    fn reference_normalize(doc: Document) -> (Document, Vec<Warning>) {
        if is_nfc_quick(doc.text.chars()) == IsNormalized::Yes {
            return (doc, Vec::new());
        }
        let nfc: String = doc.text.nfc().collect();
        if nfc == doc.text {
            return (doc, Vec::new());
        }
        let changed_lines = doc
            .text
            .lines()
            .zip(nfc.lines())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(i, _)| i + 1)
            .collect::<Vec<_>>();
        let shown: Vec<String> = changed_lines
            .iter()
            .take(5)
            .map(|l| l.to_string())
            .collect();
        let more = if changed_lines.len() > 5 { ", ..." } else { "" };
        let warning = Warning::new(
            doc.name.clone(),
            format!(
                "text normalised to Unicode NFC (composed characters) on {} line(s): {}{more}",
                changed_lines.len(),
                shown.join(", ")
            ),
        );
        (Document::from_text(doc.name, nfc), vec![warning])
    }

    #[test]
    fn stable_chars_are_stable_in_the_unicode_tables() {
        let mut n = 0;
        for c in (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|&c| is_stable(c))
        {
            n += 1;
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick([c].into_iter()), IsNormalized::Yes, "{c:?}");
            let first = [c].into_iter().nfd().next();
            assert!(
                first.is_some_and(|f| canonical_combining_class(f) == 0
                    && is_nfc_quick([f].into_iter()) == IsNormalized::Yes),
                "{c:?}"
            );
        }
        assert!(n > 40_000, "{n}");
        // The lead bytes `to_nfc` skips without decoding start only stable chars.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let lead = c.encode_utf8(&mut buf).as_bytes()[0];
            if is_stable_lead(lead) {
                assert!(is_stable(c), "{c:?}");
            }
        }
        for b in 0..=255u8 {
            let chunk = [b; 16];
            let skippable = b < 0xc0 || is_stable_lead(b);
            assert_eq!(all_skippable(&chunk), skippable, "{b:#x}");
            let mut mixed = [b'a'; 16];
            mixed[7] = b;
            assert_eq!(all_skippable(&mixed), skippable, "{b:#x}");
        }
    }

    /// Random text from the pieces NFC acts on: combining marks in and out of order,
    /// decomposed and precomposed Cyrillic й and ё, NBSP, soft hyphens, Hangul jamo,
    /// singletons (Ω, Å, U+2000), composition exclusions, Hebrew and Japanese marks.
    fn nfc_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => "[a-zA-Z ]{1,6}",
            3 => "[а-яА-ЯёЁ ]{1,6}",
            1 => "[\u{300}-\u{36f}\u{483}-\u{489}\u{591}-\u{5c7}\u{3099}\u{309a}]{1,3}",
            1 => "[\u{1100}-\u{1112}\u{1161}-\u{1175}\u{11a8}-\u{11c2}\u{ac00}-\u{ac1f}]{1,3}",
            1 => "[\u{80}-\u{3ff}\u{1e00}-\u{1fff}\u{2000}-\u{2200}\u{f900}-\u{fb4f}]",
            4 => prop::sample::select(vec![
                "и\u{306}", "И\u{306}", "е\u{308}", "Е\u{308}", "й", "ё", "Й", "Ё",
                "\u{a0}", "\u{ad}", "\u{202f}", "e\u{301}", "e\u{301}\u{316}",
                "e\u{316}\u{301}", "\u{1e9b}\u{323}", "\u{2126}", "\u{212b}", "\u{2000}",
                "\u{344}", "\u{f73}", "\u{f900}", "\u{fb1d}", "\u{1d15e}", "\u{2add}\u{338}",
                "\u{110b}\u{1161}\u{11a8}", "\u{ac00}\u{11a8}", "\u{304b}\u{3099}",
                "\n", "\r\n", "\n\n", "\t", "«", "»", "—", "…", "2018",
            ])
            .prop_map(str::to_owned),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    fn check_against_reference(text: &str) -> Result<(), TestCaseError> {
        let nfc: String = text.nfc().collect();
        match to_nfc(text) {
            None => prop_assert_eq!(text, nfc.as_str()),
            Some(fast) => {
                prop_assert_eq!(&fast, &nfc);
                prop_assert_ne!(text, nfc.as_str());
            }
        }
        let doc = Document::from_text("d", text);
        prop_assert_eq!(normalize(doc.clone()), reference_normalize(doc));
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 3000,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn same_as_whole_text_nfc_on_mixed_text(text in nfc_text()) {
            check_against_reference(&text)?;
        }

        #[test]
        fn same_as_whole_text_nfc_on_any_string(text in any::<String>()) {
            check_against_reference(&text)?;
        }
    }

    #[test]
    fn long_nfd_text_is_composed_like_the_whole_text() {
        let nfc = "Часть 1.\nВ 2018\u{a0}г. «Пекин» — ёлка, йод; Åström Ωmega. 한국어 かが\n\n"
            .repeat(50);
        let nfd: String = nfc.nfd().collect();
        assert_eq!(to_nfc(&nfd).as_deref(), Some(nfc.as_str()));
        assert_eq!(to_nfc(&nfc), None);
        let doc = Document::from_text("d", nfd.as_str());
        assert_eq!(normalize(doc.clone()), reference_normalize(doc));
        // A mark at every offset against the 16-byte chunks, after 1- and 2-byte chars.
        for n in 0..40 {
            for prefix in ["a", "ж", "é", "—"] {
                for mark in ["и\u{306}", "\u{301}", "e\u{316}\u{301}", "\u{1100}\u{1161}"] {
                    let text = format!("{}{mark}{}", prefix.repeat(n), prefix.repeat(n % 7));
                    let nfc: String = text.nfc().collect();
                    assert_eq!(
                        to_nfc(&text).unwrap_or_else(|| text.clone()),
                        nfc,
                        "{text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn nfc_text_is_untouched_and_nbsp_kept() {
        let doc = Document::from_text("d", "17\u{a0}мая 2018\u{a0}г. «Пекин»");
        let (out, warnings) = normalize(doc.clone());
        assert_eq!(out, doc);
        assert!(warnings.is_empty());
    }

    #[test]
    fn normalising_keeps_the_format_cues_and_paragraphs() {
        // Regression: the NFC step rebuilt the document from its text, losing the reader's
        // paragraphs, format, code page and subtitle cues.
        use crate::read::input::{Block, BlockKind};
        let blocks = [
            Block::new(
                BlockKind::Cue {
                    start: 1000,
                    end: 2000,
                },
                "Москви\u{306}\nдва",
            ),
            Block::new(
                BlockKind::Cue {
                    start: 3000,
                    end: 4000,
                },
                "e\u{301}te\u{301}",
            ),
        ];
        let mut doc = Document::from_blocks("s.srt", &blocks);
        doc.format = crate::read::input::InputFormat::Srt;
        let (cues, format) = (doc.cues.clone(), doc.format);
        let (out, warnings) = normalize(doc);
        assert_eq!(warnings.len(), 1);
        assert_eq!(out.text, "Москвй\nдва\n\nété\n");
        assert_eq!(out.cues, cues);
        assert_eq!(out.format, format);
        let paragraphs: Vec<&str> = out
            .paragraphs
            .iter()
            .map(|r| &out.text[r.clone()])
            .collect();
        assert_eq!(paragraphs, ["Москвй\nдва", "été"]);
    }

    #[test]
    fn decomposed_text_is_composed_with_a_warning() {
        // "й" written as и + combining breve, on line 2.
        let doc = Document::from_text("d", "ok\nМоскви\u{306}\n\nи\u{306}");
        let (out, warnings) = normalize(doc);
        assert_eq!(out.text, "ok\nМосквй\n\nй");
        assert_eq!(out.paragraphs.len(), 2);
        assert_eq!(&out.text[out.paragraphs[1].clone()], "й");
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].message.contains("2 line(s): 2, 4"),
            "{}",
            warnings[0]
        );
    }
}
