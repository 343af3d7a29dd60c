//! CLI tests: `bitext align` and `bitext split` on Word (.docx) and OpenDocument (.odt) inputs
//! (issue 15): the fixtures of `fixtures/docs/` (made by its `make.py`) against the gold links
//! of the plain-text originals, the structure the readers keep, and damaged or hostile files.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::util::{fixture, run_err, run_ok, s, temp_dir};

const DOC: &str = "sco-paris-pact-beijing";

fn doc(name: &str) -> PathBuf {
    fixture(&format!("docs/{name}"))
}

/// The `[src]:[tgt]` part of each line of a links file (scores left out).
fn links(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.rfind(']').map_or(l, |close| &l[..=close]).to_string())
        .collect()
}

fn gold() -> Vec<String> {
    links(&std::fs::read_to_string(fixture(&format!("{DOC}.links"))).expect("gold file"))
}

/// Aligns `en` with `ru` and checks every gold link is among the output's, and no more links.
fn reproduces_gold(en: &Path, ru: &Path) {
    let out = run_ok(&["align", s(en), s(ru), "-f", "links"]);
    let got: HashSet<String> = links(&out).into_iter().collect();
    let gold = gold();
    let missing: Vec<&String> = gold.iter().filter(|l| !got.contains(*l)).collect();
    assert!(
        missing.is_empty(),
        "{} + {}: {} of {} gold links missing: {missing:?}\n{out}",
        en.display(),
        ru.display(),
        missing.len(),
        gold.len()
    );
    assert_eq!(links(&out).len(), gold.len(), "{out}");
}

#[test]
fn docx_reproduces_every_gold_link() {
    reproduces_gold(
        &doc(&format!("{DOC}.en.docx")),
        &doc(&format!("{DOC}.ru.docx")),
    );
}

#[test]
fn odt_reproduces_every_gold_link() {
    reproduces_gold(
        &doc(&format!("{DOC}.en.odt")),
        &doc(&format!("{DOC}.ru.odt")),
    );
}

#[test]
fn mixed_formats_reproduce_every_gold_link() {
    reproduces_gold(
        &doc(&format!("{DOC}.en.docx")),
        &fixture(&format!("{DOC}.ru.txt")),
    );
    reproduces_gold(
        &fixture(&format!("{DOC}.en.txt")),
        &doc(&format!("{DOC}.ru.odt")),
    );
    reproduces_gold(
        &doc(&format!("{DOC}.en.odt")),
        &doc(&format!("{DOC}.ru.docx")),
    );
}

/// The same sentences as the plain text: the document readers add and lose nothing.
#[test]
fn documents_split_like_their_text() {
    for lang in ["en", "ru"] {
        let text = run_ok(&[
            "split",
            s(&fixture(&format!("{DOC}.{lang}.txt"))),
            "--lang",
            lang,
        ]);
        for ext in ["docx", "odt"] {
            let got = run_ok(&[
                "split",
                s(&doc(&format!("{DOC}.{lang}.{ext}"))),
                "--lang",
                lang,
            ]);
            assert_eq!(got, text, "{lang}.{ext}");
        }
    }
}

/// Headings and table cells are blocks of their own, the footnote follows the body, the page
/// header is left out: the same for both formats.
#[test]
fn structure_is_kept() {
    let want = [
        "Lake ferry timetable",
        "The ferry leaves the pier every hour.",
        "Tickets are sold on board.",
        "Pier",
        "Departure",
        "North pier.",
        "Gate 2.",
        "Look for the blue sign.",
        "At 9:00.",
        "Dogs travel free.",
        "Except on public holidays.",
    ];
    for ext in ["docx", "odt"] {
        let out = run_ok(&[
            "split",
            s(&doc(&format!("structure.{ext}"))),
            "--lang",
            "en",
        ]);
        let got: Vec<&str> = out.lines().collect();
        assert_eq!(got, want, "structure.{ext}");
        assert!(!out.contains("Harbour office"), "header kept: {out}");
    }
}

/// Aligning `bad` (written under `name`) fails naming it, and leaves no output file.
fn refused(name: &str, bad: &[u8], needles: &[&str]) {
    let dir = temp_dir();
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(bad))
        .expect("write the bad file");
    let out = dir.path().join("out.tmx");
    let err = run_err(&[
        "align",
        s(&path),
        s(&fixture(&format!("{DOC}.ru.txt"))),
        "-o",
        s(&out),
    ]);
    assert!(err.contains(name), "{err}");
    for n in needles {
        assert!(err.contains(n), "{err:?} lacks {n:?}");
    }
    assert!(!out.exists(), "an output file was left behind");
}

#[test]
fn html_saved_as_docx_is_a_clear_error() {
    refused(
        "page.docx",
        b"<!DOCTYPE html>\n<html><body><p>Saved from a browser.</p></body></html>\n",
        &["HTML page", "zip archive"],
    );
}

#[test]
fn a_truncated_document_is_a_clear_error() {
    let bytes = std::fs::read(doc(&format!("{DOC}.en.docx"))).expect("fixture");
    refused("cut.docx", &bytes[..bytes.len() / 2], &["damaged"]);
    let bytes = std::fs::read(doc(&format!("{DOC}.en.odt"))).expect("fixture");
    refused("cut.odt", &bytes[..bytes.len() / 2], &["damaged"]);
}

#[test]
fn a_zip_without_the_document_part_is_a_clear_error() {
    let bytes = std::fs::read(doc(&format!("{DOC}.en.odt"))).expect("fixture");
    refused("renamed.docx", &bytes, &["word/document.xml", ".odt"]);
    let bytes = std::fs::read(doc(&format!("{DOC}.en.docx"))).expect("fixture");
    refused("renamed.odt", &bytes, &["content.xml", ".docx"]);
}
