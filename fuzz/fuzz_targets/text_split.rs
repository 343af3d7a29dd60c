//! Text decoding, normalisation and sentence splitting (`bitext::read::decode`,
//! `read::Document`, `normalize::normalize`, `split::split`, `split::lines`,
//! `split::split_text`, `read::mixed::separate`) over arbitrary bytes.
//!
//! Invariants: never panics; paragraphs are in order, non-blank, on char boundaries, with
//! only blank lines between them; normalisation gives exactly the NFC of the text (the
//! reference implementation of `unicode-normalization`) and warns iff it changed it; the
//! sentence spans of every language are in order, non-empty, on char boundaries, inside
//! their paragraph, trimmed, and cover the paragraph losslessly (only white space between
//! and around them); `split_text` on a paragraph gives the same spans.
#![no_main]

use std::ops::Range;
use std::path::Path;

use bitext::read::{decode, mixed, Document};
use bitext::split::{self, SplitDocument};
use bitext::{normalize, Lang};
use libfuzzer_sys::fuzz_target;
use unicode_normalization::UnicodeNormalization;

fn check_paragraphs(doc: &Document) {
    assert!(!doc.text.contains('\r'), "CR left in the text");
    let mut end = 0;
    for p in &doc.paragraphs {
        assert!(
            p.start >= end && p.start < p.end && p.end <= doc.text.len(),
            "{p:?}"
        );
        let gap = doc
            .text
            .get(end..p.start)
            .expect("paragraph on a char boundary");
        assert!(
            gap.split('\n').all(|l| l.trim().is_empty()) && (end == 0 || gap.contains('\n')),
            "non-blank text between paragraphs: {gap:?}"
        );
        let text = doc
            .text
            .get(p.clone())
            .expect("paragraph on a char boundary");
        assert!(!text.trim().is_empty(), "blank paragraph");
        end = p.end;
    }
    let tail = &doc.text[end..];
    assert!(
        tail.split('\n').all(|l| l.trim().is_empty()),
        "text after the last paragraph"
    );
}

/// The spans of one paragraph: in order, non-empty, trimmed, with only white space around.
fn check_spans(text: &str, spans: &[Range<usize>], what: &str) {
    let mut end = 0;
    for s in spans {
        assert!(
            s.start >= end && s.start < s.end && s.end <= text.len(),
            "{what}: {s:?}"
        );
        let gap = text.get(end..s.start).expect("span on a char boundary");
        assert!(
            gap.trim().is_empty(),
            "{what}: text lost between sentences: {gap:?}"
        );
        let sentence = text.get(s.clone()).expect("span on a char boundary");
        assert_eq!(sentence.trim(), sentence, "{what}: sentence not trimmed");
        end = s.end;
    }
    assert!(
        text[end..].trim().is_empty(),
        "{what}: text lost after the last sentence"
    );
}

fn check_split(doc: &Document, split: &SplitDocument, what: &str) {
    assert_eq!(split.text, doc.text);
    for (p, range) in doc.paragraphs.iter().enumerate() {
        let spans: Vec<Range<usize>> = split
            .sentences
            .iter()
            .filter(|s| s.paragraph == p)
            .map(|s| {
                assert!(
                    s.start >= range.start && s.end <= range.end,
                    "{what}: outside paragraph"
                );
                s.start - range.start..s.end - range.start
            })
            .collect();
        check_spans(&doc.text[range.clone()], &spans, what);
    }
    assert!(split
        .sentences
        .windows(2)
        .all(|w| w[0].end <= w[1].start && w[0].paragraph <= w[1].paragraph));
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data, Path::new("fuzz.txt")) else {
        return;
    };
    let doc = Document::from_text("fuzz.txt", text);
    check_paragraphs(&doc);

    let expected: String = doc.text.nfc().collect();
    let (doc2, warnings) = normalize::normalize(doc.clone());
    assert_eq!(doc2.text, expected, "normalize is not NFC");
    assert_eq!(
        warnings.is_empty(),
        doc.text == expected,
        "warning iff changed"
    );
    check_paragraphs(&doc2);
    let doc = doc2;

    for lang in [Lang::En, Lang::Ru, Lang::De, Lang::Fr, Lang::Other] {
        let split = split::split(doc.clone(), lang);
        check_split(&doc, &split, &format!("split {lang:?}"));
        for (p, range) in doc.paragraphs.iter().enumerate() {
            let alone = split::split_text(&doc.text[range.clone()], lang);
            let within: Vec<Range<usize>> = split
                .sentences
                .iter()
                .filter(|s| s.paragraph == p)
                .map(|s| s.start - range.start..s.end - range.start)
                .collect();
            assert_eq!(alone, within, "split_text differs from split ({lang:?})");
        }
    }
    let lines = split::lines(doc.clone());
    check_split(&doc, &lines, "lines");
    for s in &lines.sentences {
        assert!(
            !lines.text[s.span()].contains('\n'),
            "a line sentence spans lines"
        );
    }
    if !doc.is_blank() {
        if let Ok(m) = mixed::separate(&doc, Lang::En, Lang::Ru) {
            check_paragraphs(&m.src);
            check_paragraphs(&m.tgt);
        }
    }
});
