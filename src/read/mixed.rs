//! Mixed documents: one file holding paragraphs of two languages written in different scripts
//! (an English page that carries its Russian headline, a bilingual press release).
//!
//! Each paragraph is assigned to the side whose script has most of its letters (Unicode script
//! blocks, [`crate::lang::script`]); the two sides keep their paragraphs in document order.

use super::Document;
use crate::error::{Error, Result};
use crate::lang::script;
use crate::Lang;

/// The script a paragraph is written in, by majority of letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    /// Latin letters.
    Latin,
    /// Cyrillic letters.
    Cyrillic,
    /// No letters at all (numbers, punctuation).
    None,
}

/// The majority script of `text`, by letters of the Latin and Cyrillic blocks
/// ([`crate::lang::script::letter_counts`]; Latin on a tie).
pub(crate) fn script_of(text: &str) -> Script {
    match script::letter_counts(text).majority() {
        None => Script::None,
        Some(script::Script::Cyrillic) => Script::Cyrillic,
        Some(script::Script::Latin) => Script::Latin,
    }
}

/// The two sides of a mixed document and how their paragraphs correspond.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mixed {
    /// The source-language paragraphs, in document order.
    pub src: Document,
    /// The target-language paragraphs, in document order.
    pub tgt: Document,
    /// Block of each source paragraph: paragraphs of the two sides that share a block are
    /// translations of each other; a block found on one side only has no translation.
    pub src_blocks: Vec<usize>,
    /// Block of each target paragraph.
    pub tgt_blocks: Vec<usize>,
}

/// Splits a mixed document into its source- and target-language documents.
///
/// One of the two languages must be written in Cyrillic and the other in Latin script.
/// Paragraphs without letters follow the paragraph before them. Consecutive paragraphs of one
/// script form a run; a run is paired with the run of the other script just before it (a
/// bilingual page puts the translation right after the original: headline, translated
/// headline, body), and both get the same block number.
pub fn separate(doc: &Document, src: Lang, tgt: Lang) -> Result<Mixed> {
    // A language without rules has no known script: refused, never taken for Latin.
    for lang in [src, tgt] {
        if lang.profile().script.is_none() {
            return Err(Error::usage(format!(
                "--mixed separates paragraphs by script, and bitext knows the script of {} \
                 only; name the two languages with --src-lang and --tgt-lang",
                Lang::KNOWN
                    .iter()
                    .map(|l| l.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    if src.is_cyrillic() == tgt.is_cyrillic() {
        return Err(Error::usage(format!(
            "--mixed separates paragraphs by script, but {src} and {tgt} are written in the same script"
        )));
    }
    let mut texts = [String::new(), String::new()];
    let mut blocks: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
    let mut last = Script::None;
    // Side of the current run, and whether the current block already has a run of each side.
    let mut run_side: Option<usize> = None;
    let mut block = 0usize;
    let mut block_has = [false, false];
    for range in &doc.paragraphs {
        let para = &doc.text[range.clone()];
        let script = match script_of(para) {
            Script::None => last,
            s => s,
        };
        last = script;
        let side = usize::from((script == Script::Cyrillic) != src.is_cyrillic());
        if run_side != Some(side) {
            // A new run: it joins the open block when that block lacks this side.
            if block_has[side] {
                block += 1;
                block_has = [false, false];
            }
            block_has[side] = true;
            run_side = Some(side);
        }
        let text = &mut texts[side];
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(para);
        blocks[side].push(block);
    }
    let path = std::path::Path::new(&doc.name);
    for (text, lang) in [(&texts[0], src), (&texts[1], tgt)] {
        if text.trim().is_empty() {
            return Err(Error::input(
                path,
                format!("mixed document has no paragraph in {lang} (by its script)"),
            ));
        }
    }
    let [src_text, tgt_text] = texts;
    let [src_blocks, tgt_blocks] = blocks;
    Ok(Mixed {
        src: Document::from_text(format!("{} [{src}]", doc.name), src_text),
        tgt: Document::from_text(format!("{} [{tgt}]", doc.name), tgt_text),
        src_blocks,
        tgt_blocks,
    })
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
        let m = separate(&doc, Lang::En, Lang::Ru).unwrap();
        assert_eq!(m.src.paragraphs.len(), 3);
        assert_eq!(m.tgt.text, "Переговоры продолжаются в ШОС");
        assert_eq!(m.src.paragraph(2), "2018");
        // Headline and its translation share block 0; the body has no translation.
        assert_eq!(m.src_blocks, [0, 1, 1]);
        assert_eq!(m.tgt_blocks, [0]);
    }

    #[test]
    fn interleaved_runs_pair_up() {
        let doc = Document::from_text("m", "One.\n\nОдин.\n\nTwo.\n\nThree.\n\nДва. Три.\n\nFour.");
        let m = separate(&doc, Lang::En, Lang::Ru).unwrap();
        assert_eq!(m.src_blocks, [0, 1, 1, 2]);
        assert_eq!(m.tgt_blocks, [0, 1]);
        let m = separate(&doc, Lang::Ru, Lang::En).unwrap();
        assert_eq!(m.src_blocks, [0, 1]);
        assert_eq!(m.tgt_blocks, [0, 1, 1, 2]);
    }

    #[test]
    fn languages_without_a_known_script_are_refused_not_taken_for_latin() {
        let doc = Document::from_text("m", "Hello.\n\nПривіт.\n");
        for (src, tgt) in [(Lang::Ru, Lang::Other), (Lang::Other, Lang::En)] {
            let err = separate(&doc, src, tgt).unwrap_err().to_string();
            assert!(err.contains("knows the script of en, ru"), "{err}");
        }
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
