//! The HTML, Markdown, SubRip and WebVTT readers (`bitext::read::html::blocks`,
//! `read::markdown::blocks`, `read::subtitles::{srt_blocks, vtt_blocks}`) over arbitrary
//! text, and `read::Document::from_blocks` over what they give.
//!
//! Invariants: never panics (a malformed timing line is an error, never a crash); HTML and
//! Markdown always parse; their blocks are never blank; a cue ends no earlier than it starts;
//! the document built from the blocks has the paragraphs `Document::from_text` finds in its
//! text, one per non-blank block, each a block's trimmed text.
#![no_main]

use std::path::Path;

use bitext::read::input::{Block, BlockKind};
use bitext::read::{html, markdown, subtitles, Document};
use libfuzzer_sys::fuzz_target;

fn check(blocks: &[Block]) {
    for b in blocks {
        if let BlockKind::Cue { start, end } = b.kind {
            assert!(start <= end, "cue ends before it starts: {b:?}");
        }
    }
    let doc = Document::from_blocks("f", blocks);
    let again = Document::from_text("f", doc.text.clone());
    assert_eq!(doc.paragraphs, again.paragraphs, "{:?}", doc.text);
    let non_blank = blocks.iter().filter(|b| !b.text.trim().is_empty()).count();
    assert_eq!(doc.paragraphs.len(), non_blank, "{blocks:?}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("f");
    let page = html::blocks(text, path).expect("HTML always parses");
    assert!(page.iter().all(|b| !b.text.trim().is_empty()), "{page:?}");
    check(&page);
    let md = markdown::blocks(text, path).expect("Markdown always parses");
    assert!(md.iter().all(|b| !b.text.trim().is_empty()), "{md:?}");
    check(&md);
    if let Ok(cues) = subtitles::srt_blocks(text, path) {
        check(&cues);
    }
    if let Ok(cues) = subtitles::vtt_blocks(text, path) {
        check(&cues);
    }
});
