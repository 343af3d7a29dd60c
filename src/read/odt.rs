//! OpenDocument text (`.odt`): OASIS Open Document Format 1.2 (ISO/IEC 26300), Part 1.
//!
//! The text is the body of `content.xml` (`office:body/office:text`) as a word processor shows
//! it with tracked changes accepted, read as a stream (no DOM):
//!
//! - paragraphs (`text:p`) in document order; `text:h` is a [`BlockKind::Heading`]; a paragraph
//!   inside `text:list-item` or `text:list-header` a [`BlockKind::ListItem`];
//! - tables cell by cell: each `table:table-cell` is one [`BlockKind::TableCell`], its
//!   paragraphs joined by line breaks (a nested table gives its own cells, in order);
//! - tracked changes resolved to the final text: the `text:tracked-changes` region (which holds
//!   the deleted text) is dropped, the `text:change-start`/`text:change-end`/`text:change` marks
//!   carry no text, and inserted text stands in the body;
//! - `text:s` gives its `text:c` spaces (at most 1,000), `text:tab` a space, `text:line-break`
//!   a soft line break; fields (dates, page numbers, references) give the text they show;
//! - comments (`office:annotation`), note citations and drawing titles and descriptions are
//!   left out; text boxes' paragraphs are blocks of their own.
//!
//! Footnotes and endnotes (`text:note`) are kept apart: their paragraphs follow the body as
//! blocks of their own, never spliced into the sentence that cites them. Headers and footers
//! (in `styles.xml`) are left out, as page furniture.

use std::path::Path;

use super::input::{Block, BlockKind};
use super::package::{attr, Node, Package};
use crate::error::{Error, Result};

const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";

/// The most spaces one `text:s` gives.
const MAX_SPACES: usize = 1000;

/// The blocks of the OpenDocument text `bytes` (read from `path`): body, then notes.
pub fn blocks(bytes: &[u8], path: &Path) -> Result<Vec<Block>> {
    let mut package = Package::open(bytes, path, "OpenDocument")?;
    if !package.has("content.xml") {
        let hint = if package.has("word/document.xml") {
            " (it is a Word document: rename it to .docx)"
        } else {
            ""
        };
        return Err(Error::input(
            path,
            format!("not an OpenDocument text: its zip has no content.xml{hint}"),
        ));
    }
    let mut body = Body::default();
    package.read_xml("content.xml", |node| {
        body.node(node);
        Ok(())
    })?;
    body.blocks.append(&mut body.notes);
    Ok(body.blocks)
}

/// The reading state of `content.xml`.
#[derive(Default)]
struct Body {
    blocks: Vec<Block>,
    /// Footnotes' and endnotes' blocks, added after the body.
    notes: Vec<Block>,
    /// Inside `office:body`.
    in_body: bool,
    /// Open paragraphs (more than one inside a text box or a note).
    paras: Vec<(BlockKind, String)>,
    /// Open table cells' text, innermost last.
    cells: Vec<String>,
    /// Open elements: is each in the text namespace (its character data is text)?
    open: Vec<bool>,
    /// Depth inside list items.
    items: usize,
    /// Depth inside notes.
    in_note: usize,
    /// Depth inside an element whose content is dropped (0: not in one).
    skip: usize,
}

impl Body {
    fn emit(&mut self, block: Block) {
        if self.in_note > 0 {
            self.notes.push(block);
        } else {
            self.blocks.push(block);
        }
    }

    fn push_text(&mut self, s: &str) {
        if let Some((_, text)) = self.paras.last_mut() {
            text.push_str(s);
        }
    }

    /// Ends the text of the innermost open cell so far as a block (a nested table starts).
    fn flush_cell(&mut self) {
        if let Some(cell) = self.cells.last_mut() {
            let text = std::mem::take(cell);
            if !text.trim().is_empty() {
                self.emit(Block::new(BlockKind::TableCell, text));
            }
        }
    }

    fn node(&mut self, node: Node<'_>) {
        match node {
            Node::Start { ns, name, tag } => {
                if self.skip > 0 {
                    self.skip += 1;
                    return;
                }
                if ns == OFFICE {
                    match name {
                        "body" => self.in_body = true,
                        "annotation" => {
                            self.skip = 1;
                            return;
                        }
                        _ => {}
                    }
                }
                if !self.in_body {
                    return;
                }
                self.open.push(ns == TEXT);
                if ns == TABLE {
                    match name {
                        "table" => self.flush_cell(),
                        "table-cell" | "covered-table-cell" => self.cells.push(String::new()),
                        _ => {}
                    }
                    return;
                }
                if ns != TEXT {
                    return;
                }
                match name {
                    "tracked-changes" | "note-citation" | "hidden-text" | "hidden-paragraph"
                    | "sequence-decls" | "variable-decls" | "user-field-decls" => {
                        self.open.pop();
                        self.skip = 1;
                    }
                    "p" | "h" => {
                        let kind = if name == "h" {
                            BlockKind::Heading
                        } else if self.items > 0 {
                            BlockKind::ListItem
                        } else {
                            BlockKind::Paragraph
                        };
                        self.paras.push((kind, String::new()));
                    }
                    "list-item" | "list-header" => self.items += 1,
                    "note" => self.in_note += 1,
                    "s" => {
                        let n = attr(tag, "c")
                            .and_then(|c| c.trim().parse::<usize>().ok())
                            .unwrap_or(1)
                            .min(MAX_SPACES);
                        self.push_text(&" ".repeat(n));
                    }
                    "tab" => self.push_text(" "),
                    "line-break" => self.push_text("\n"),
                    _ => {}
                }
            }
            Node::End { ns, name } => {
                if self.skip > 0 {
                    self.skip -= 1;
                    return;
                }
                if ns == OFFICE && name == "body" {
                    self.in_body = false;
                }
                if !self.in_body {
                    return;
                }
                self.open.pop();
                if ns == TABLE && matches!(name, "table-cell" | "covered-table-cell") {
                    if let Some(text) = self.cells.pop() {
                        self.emit(Block::new(BlockKind::TableCell, text));
                    }
                    return;
                }
                if ns != TEXT {
                    return;
                }
                match name {
                    "p" | "h" => {
                        if let Some((kind, text)) = self.paras.pop() {
                            if let Some(cell) = self.cells.last_mut() {
                                if !text.trim().is_empty() {
                                    if !cell.is_empty() {
                                        cell.push('\n');
                                    }
                                    cell.push_str(&text);
                                }
                            } else {
                                self.emit(Block::new(kind, text));
                            }
                        }
                    }
                    "list-item" | "list-header" => self.items = self.items.saturating_sub(1),
                    "note" => self.in_note = self.in_note.saturating_sub(1),
                    _ => {}
                }
            }
            Node::Text(t) => {
                if self.skip == 0 && self.open.last().copied().unwrap_or(false) {
                    self.push_text(t);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/""#;

    fn odt(body: &str) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:automatic-styles><text:p>not body</text:p></office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
        );
        crate::read::docx::tests::zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_bytes()),
        ])
    }

    fn read(bytes: &[u8]) -> Vec<(BlockKind, String)> {
        blocks(bytes, Path::new("t.odt"))
            .expect("readable")
            .into_iter()
            .filter(|b| !b.text.trim().is_empty())
            .map(|b| (b.kind, b.text))
            .collect()
    }

    fn err(bytes: &[u8]) -> String {
        blocks(bytes, Path::new("t.odt"))
            .expect_err("refused")
            .to_string()
    }

    #[test]
    fn headings_lists_and_paragraphs() {
        let body = r#"<text:h text:outline-level="1">Title</text:h><text:p>Body<text:s text:c="3"/>text<text:tab/>tab<text:line-break/>line &amp; more.</text:p><text:list><text:list-item><text:p>Item.</text:p></text:list-item></text:list><text:p>After.</text:p>"#;
        assert_eq!(
            read(&odt(body)),
            [
                (BlockKind::Heading, "Title".to_string()),
                (
                    BlockKind::Paragraph,
                    "Body   text tab\nline & more.".to_string()
                ),
                (BlockKind::ListItem, "Item.".to_string()),
                (BlockKind::Paragraph, "After.".to_string()),
            ]
        );
    }

    #[test]
    fn tables_are_read_cell_by_cell() {
        let body = r#"<table:table><table:table-row><table:table-cell><text:p>A1 first.</text:p><text:p>A1 second.</text:p></table:table-cell><table:table-cell><text:p>B1.</text:p></table:table-cell></table:table-row></table:table><text:p>After.</text:p>"#;
        assert_eq!(
            read(&odt(body)),
            [
                (BlockKind::TableCell, "A1 first.\nA1 second.".to_string()),
                (BlockKind::TableCell, "B1.".to_string()),
                (BlockKind::Paragraph, "After.".to_string()),
            ]
        );
    }

    #[test]
    fn tracked_changes_give_the_final_text() {
        let body = r#"<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info><dc:creator>A</dc:creator></office:change-info><text:p>old </text:p></text:deletion></text:changed-region><text:changed-region text:id="c2"><text:insertion><office:change-info><dc:creator>A</dc:creator></office:change-info></text:insertion></text:changed-region></text:tracked-changes><text:p>The <text:change text:change-id="c1"/><text:change-start text:change-id="c2"/>new <text:change-end text:change-id="c2"/>text.</text:p>"#;
        assert_eq!(
            read(&odt(body)),
            [(BlockKind::Paragraph, "The new text.".to_string())]
        );
    }

    #[test]
    fn notes_follow_the_body_apart_and_comments_are_dropped() {
        let body = r#"<text:p>Cited.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>The note.</text:p></text:note-body></text:note> Next.<office:annotation><dc:creator>Ed</dc:creator><text:p>A comment.</text:p></office:annotation></text:p><text:p>Last.<draw:frame><svg:title>Picture</svg:title><draw:text-box><text:p>Box.</text:p></draw:text-box></draw:frame></text:p>"#;
        assert_eq!(
            read(&odt(body)),
            [
                (BlockKind::Paragraph, "Cited. Next.".to_string()),
                (BlockKind::Paragraph, "Box.".to_string()),
                (BlockKind::Paragraph, "Last.".to_string()),
                (BlockKind::Paragraph, "The note.".to_string()),
            ]
        );
    }

    #[test]
    fn huge_space_counts_are_capped() {
        let body = r#"<text:p>a<text:s text:c="4000000000"/>b</text:p>"#;
        let got = read(&odt(body));
        assert_eq!(got[0].1.len(), MAX_SPACES + 2);
    }

    #[test]
    fn bad_packages_are_clear_errors() {
        let e = err(b"<html><body>not an odt</body></html>");
        assert!(e.contains("t.odt") && e.contains("HTML page"), "{e}");
        let e = err(b"PK\x05\x06");
        assert!(e.contains("t.odt") && e.contains("damaged"), "{e}");
        let e = err(&crate::read::docx::tests::zip(&[(
            "word/document.xml",
            b"<x/>",
        )]));
        assert!(e.contains("content.xml") && e.contains(".docx"), "{e}");
        let e = err(&odt(
            r#"<!DOCTYPE x [<!ENTITY a "b">]><text:p>&a;</text:p>"#,
        ));
        assert!(
            e.contains("malformed") || e.contains("document type"),
            "{e}"
        );
    }
}
