//! Word and OpenDocument readers (`bitext::read::docx`, `bitext::read::odt`) over arbitrary
//! bytes: input that starts like a zip is read as a whole `.docx` and `.odt` file; anything else
//! is taken as the XML of a document part and stored in a zip as `word/document.xml` (with
//! itself as `word/footnotes.xml`) and as `content.xml`, so the fuzzer reaches the readers'
//! state machines instead of stopping at the zip's checksums.
//!
//! Invariants: never panics; a successful read gives blocks whose `Document::from_blocks`
//! paragraphs are exactly the blank-line paragraphs of its text (what `Document::from_text`
//! finds), each non-empty; the same bytes read twice give the same blocks.
#![no_main]

use std::io::Write;
use std::path::Path;

use bitext::read::input::Block;
use bitext::read::{docx, odt, Document};
use libfuzzer_sys::fuzz_target;

fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in parts {
        out.start_file(
            *name,
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored),
        )
        .expect("zip entry");
        out.write_all(content).expect("zip write");
    }
    out.finish().expect("zip").into_inner()
}

fn check(read: fn(&[u8], &Path) -> bitext::Result<Vec<Block>>, bytes: &[u8], name: &str) {
    let path = Path::new(name);
    let first = read(bytes, path);
    let again = read(bytes, path);
    match (&first, &again) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}: two reads differ"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("{name}: one read failed, the other did not"),
    }
    let Ok(blocks) = first else {
        return;
    };
    let doc = Document::from_blocks(name, &blocks);
    for r in &doc.paragraphs {
        assert!(!doc.text[r.clone()].trim().is_empty(), "blank paragraph");
    }
    let reparsed = Document::from_text(name, doc.text.clone());
    assert_eq!(reparsed.paragraphs, doc.paragraphs, "{name}: paragraphs");
}

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK") {
        check(docx::blocks, data, "fuzz.docx");
        check(odt::blocks, data, "fuzz.odt");
        return;
    }
    let word = zip(&[("word/document.xml", data), ("word/footnotes.xml", data)]);
    check(docx::blocks, &word, "fuzz.docx");
    let open = zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", data),
    ]);
    check(odt::blocks, &open, "fuzz.odt");
});
