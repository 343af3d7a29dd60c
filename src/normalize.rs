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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_text_is_untouched_and_nbsp_kept() {
        let doc = Document::from_text("d", "17\u{a0}мая 2018\u{a0}г. «Пекин»");
        let (out, warnings) = normalize(doc.clone());
        assert_eq!(out, doc);
        assert!(warnings.is_empty());
    }

    #[test]
    fn decomposed_text_is_composed_with_a_warning() {
        // "й" written as и + combining breve, on line 2.
        let doc = Document::from_text("d", "ok\nМоскви\u{306}\n\nи\u{306}");
        let (out, warnings) = normalize(doc);
        assert_eq!(out.text, "ok\nМосквй\n\nй");
        assert_eq!(out.paragraphs.len(), 2);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].message.contains("2 line(s): 2, 4"),
            "{}",
            warnings[0]
        );
    }
}
