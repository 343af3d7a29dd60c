//! Mixed documents: one file holding paragraphs of two languages written in different scripts
//! (an English page that carries its Russian headline, a bilingual press release).
//!
//! Each paragraph is assigned to the side whose script has most of its letters; the two sides
//! keep their paragraphs in document order.

use super::Document;
use crate::error::{Error, Result};
use crate::Lang;

/// The script a paragraph is written in, by majority of letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Latin letters.
    Latin,
    /// Cyrillic letters.
    Cyrillic,
    /// No letters at all (numbers, punctuation).
    None,
}

/// The majority script of `text`.
pub fn script_of(text: &str) -> Script {
    let (mut latin, mut cyrillic) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        match c {
            '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' => {
                cyrillic += 1
            }
            c if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) => latin += 1,
            _ => {}
        }
    }
    match (latin, cyrillic) {
        (0, 0) => Script::None,
        (l, c) if c > l => Script::Cyrillic,
        _ => Script::Latin,
    }
}

/// Splits a mixed document into its source- and target-language documents.
///
/// One of the two languages must be written in Cyrillic and the other in Latin script.
/// Paragraphs without letters follow the paragraph before them.
pub fn separate(doc: &Document, src: Lang, tgt: Lang) -> Result<(Document, Document)> {
    if src.is_cyrillic() == tgt.is_cyrillic() {
        return Err(Error::usage(format!(
            "--mixed separates paragraphs by script, but {src} and {tgt} are written in the same script"
        )));
    }
    let mut src_text = String::new();
    let mut tgt_text = String::new();
    let mut last = Script::None;
    for range in &doc.paragraphs {
        let para = &doc.text[range.clone()];
        let script = match script_of(para) {
            Script::None => last,
            s => s,
        };
        last = script;
        let is_src = (script == Script::Cyrillic) == src.is_cyrillic();
        let side = if is_src { &mut src_text } else { &mut tgt_text };
        if !side.is_empty() {
            side.push_str("\n\n");
        }
        side.push_str(para);
    }
    let path = std::path::Path::new(&doc.name);
    for (text, lang) in [(&src_text, src), (&tgt_text, tgt)] {
        if text.trim().is_empty() {
            return Err(Error::input(
                path,
                format!("mixed document has no paragraph in {lang} (by its script)"),
            ));
        }
    }
    Ok((
        Document::from_text(format!("{} [{src}]", doc.name), src_text),
        Document::from_text(format!("{} [{tgt}]", doc.name), tgt_text),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_go_to_the_side_of_their_script() {
        let doc = Document::from_text(
            "m",
            "Talks continue at the SCO\n\nПереговоры продолжаются в ШОС\n\nThe SCO met. It was chaired by China.\n\n2018",
        );
        let (en, ru) = separate(&doc, Lang::En, Lang::Ru).unwrap();
        assert_eq!(en.paragraphs.len(), 3);
        assert_eq!(ru.text, "Переговоры продолжаются в ШОС");
        assert_eq!(en.paragraph(2), "2018");
    }

    #[test]
    fn same_script_pairs_are_refused() {
        let doc = Document::from_text("m", "Bonjour\n\nGuten Tag");
        assert!(separate(&doc, Lang::De, Lang::Fr).is_err());
    }

    #[test]
    fn a_side_without_paragraphs_is_an_error() {
        let doc = Document::from_text("m", "Only English here.");
        let err = separate(&doc, Lang::En, Lang::Ru).unwrap_err().to_string();
        assert!(err.contains("no paragraph in ru"), "{err}");
    }
}
