//! Word documents (`.docx`): WordprocessingML, ECMA-376 Office Open XML, Part 1.
//!
//! The text is the document as Word shows it with tracked changes accepted, read as a stream
//! from `word/document.xml` (no DOM: memory grows with the text, not the XML):
//!
//! - paragraphs in document order; a paragraph whose style is a heading (`w:pStyle` naming a
//!   style called "heading N" or "Title" in `word/styles.xml`, or with an outline level, or a
//!   style id `Heading*`/`Title` when there is no styles part) is a [`BlockKind::Heading`]; a
//!   numbered or bulleted paragraph (`w:numPr`, directly or through its style) a
//!   [`BlockKind::ListItem`];
//! - tables cell by cell: each `w:tc` is one [`BlockKind::TableCell`], its paragraphs joined by
//!   line breaks (a table nested in a cell gives its own cells, in order);
//! - tracked changes resolved to the final text: `w:ins` and `w:moveTo` kept, `w:del`,
//!   `w:delText`, `w:moveFrom` and the old properties of `w:*Change` dropped;
//! - fields show their result: `w:instrText` and the instruction half of a complex field
//!   (`w:fldChar` begin .. separate) dropped, `w:fldSimple`'s runs kept;
//! - hidden text (`w:vanish` on a run) dropped; `mc:Fallback` (a copy of `mc:Choice` for old
//!   readers) dropped, so a text box is read once; text boxes' paragraphs are blocks of their
//!   own, before the paragraph that anchors them;
//! - `w:tab` and `w:ptab` become a space, `w:br` and `w:cr` a soft line break, `w:noBreakHyphen`
//!   a hyphen-minus, `w:softHyphen` nothing, `w:sym` its character unless that is a
//!   private-use code of a symbol font (then nothing).
//!
//! Footnotes (`word/footnotes.xml`) and endnotes (`word/endnotes.xml`) are kept apart: their
//! paragraphs follow the body as blocks of their own, never spliced into the sentence that
//! cites them. Headers, footers and comments are left out (page furniture and annotations, not
//! the text being translated).

use std::collections::HashSet;
use std::path::Path;

use super::input::{Block, BlockKind};
use super::package::{attr, Node, Package};
use crate::error::{Error, Result};

/// WordprocessingML's namespace, transitional and strict.
const W: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
/// Markup compatibility (`mc:AlternateContent`).
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// The blocks of the Word document `bytes` (read from `path`): body, then footnotes, then
/// endnotes.
pub fn blocks(bytes: &[u8], path: &Path) -> Result<Vec<Block>> {
    blocks_in(Package::open(bytes, path, "Word")?, path)
}

/// The blocks of an opened Word package.
fn blocks_in(mut package: Package<'_>, path: &Path) -> Result<Vec<Block>> {
    if !package.has("word/document.xml") {
        let hint = if package.has("content.xml") {
            " (it is an OpenDocument file: rename it to .odt)"
        } else {
            ""
        };
        return Err(Error::input(
            path,
            format!("not a Word document: its zip has no word/document.xml{hint}"),
        ));
    }
    let styles = if package.has("word/styles.xml") {
        Styles::read(&mut package)?
    } else {
        Styles::default()
    };
    let mut body = Body::new(&styles);
    package.read_xml("word/document.xml", |node| {
        body.node(node);
        Ok(())
    })?;
    for notes in ["word/footnotes.xml", "word/endnotes.xml"] {
        if package.has(notes) {
            let mut part = Body::new(&styles);
            package.read_xml(notes, |node| {
                part.node(node);
                Ok(())
            })?;
            body.blocks.append(&mut part.blocks);
        }
    }
    Ok(body.blocks)
}

fn is_w(ns: &str) -> bool {
    W.contains(&ns)
}

/// Which paragraph styles are headings and which are list styles.
#[derive(Default)]
struct Styles {
    /// `styles.xml` was read: trust it, not the style ids.
    read: bool,
    headings: HashSet<String>,
    lists: HashSet<String>,
}

impl Styles {
    fn read(package: &mut Package<'_>) -> Result<Styles> {
        let mut styles = Styles {
            read: true,
            ..Styles::default()
        };
        // The paragraph style being read: its id, heading?, list?
        let mut current: Option<(String, bool, bool)> = None;
        package.read_xml("word/styles.xml", |node| {
            match node {
                Node::Start { ns, name, tag } if is_w(ns) => match name {
                    "style" => {
                        current = match (attr(tag, "type").as_deref(), attr(tag, "styleId")) {
                            (Some("paragraph"), Some(id)) => Some((id.into_owned(), false, false)),
                            _ => None,
                        }
                    }
                    "name" => {
                        if let (Some(cur), Some(v)) = (current.as_mut(), attr(tag, "val")) {
                            let v = v.to_ascii_lowercase();
                            cur.1 |= v.starts_with("heading") || v == "title";
                        }
                    }
                    "outlineLvl" => {
                        if let (Some(cur), Some(v)) = (current.as_mut(), attr(tag, "val")) {
                            cur.1 |= v.parse::<u8>().is_ok_and(|l| l < 9);
                        }
                    }
                    "numPr" => {
                        if let Some(cur) = current.as_mut() {
                            cur.2 = true;
                        }
                    }
                    _ => {}
                },
                Node::End { ns, name: "style" } if is_w(ns) => {
                    if let Some((id, heading, list)) = current.take() {
                        if heading {
                            styles.headings.insert(id);
                        } else if list {
                            styles.lists.insert(id);
                        }
                    }
                }
                _ => {}
            }
            Ok(())
        })?;
        Ok(styles)
    }

    fn is_heading(&self, id: &str) -> bool {
        if self.read {
            return self.headings.contains(id);
        }
        let id = id.to_ascii_lowercase();
        id.starts_with("heading") || id == "title"
    }

    fn is_list(&self, id: &str) -> bool {
        self.lists.contains(id)
    }
}

/// A paragraph being read.
struct Para {
    kind: BlockKind,
    text: String,
}

/// The reading state of one part (document, footnotes, endnotes).
struct Body<'s> {
    styles: &'s Styles,
    blocks: Vec<Block>,
    /// Open paragraphs: more than one inside a text box.
    paras: Vec<Para>,
    /// Open table cells' text, innermost last.
    cells: Vec<String>,
    /// Open runs: is each hidden?
    runs: Vec<bool>,
    /// Open complex fields: is each still in its instruction?
    fields: Vec<bool>,
    /// Depth inside an element whose content is dropped (0: not in one).
    skip: usize,
    /// Depth inside `w:pPr` (paragraph properties).
    ppr: usize,
    /// Inside a run's `w:rPr`.
    rpr: bool,
    /// Inside `w:t`.
    in_t: bool,
}

impl<'s> Body<'s> {
    fn new(styles: &'s Styles) -> Body<'s> {
        Body {
            styles,
            blocks: Vec::new(),
            paras: Vec::new(),
            cells: Vec::new(),
            runs: Vec::new(),
            fields: Vec::new(),
            skip: 0,
            ppr: 0,
            rpr: false,
            in_t: false,
        }
    }

    /// True when a run's content is shown: not hidden, not a field instruction.
    fn shown(&self) -> bool {
        !self.runs.last().copied().unwrap_or(false) && !self.fields.iter().any(|&instr| instr)
    }

    fn push_text(&mut self, s: &str) {
        if self.ppr == 0 && !self.runs.is_empty() && self.shown() {
            if let Some(p) = self.paras.last_mut() {
                p.text.push_str(s);
            }
        }
    }

    /// Ends the text of the innermost open cell so far as a block (a nested table starts).
    fn flush_cell(&mut self) {
        if let Some(cell) = self.cells.last_mut() {
            let text = std::mem::take(cell);
            if !text.trim().is_empty() {
                self.blocks.push(Block::new(BlockKind::TableCell, text));
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
                if ns == MC {
                    if name == "Fallback" {
                        self.skip = 1;
                    }
                    return;
                }
                if !is_w(ns) {
                    return;
                }
                match name {
                    "del" | "moveFrom" | "delText" | "instrText" | "delInstrText" => self.skip = 1,
                    n if n.ends_with("Change") => self.skip = 1,
                    "p" => self.paras.push(Para {
                        kind: BlockKind::Paragraph,
                        text: String::new(),
                    }),
                    "pPr" => self.ppr += 1,
                    "pStyle" if self.ppr > 0 => {
                        if let (Some(p), Some(id)) = (self.paras.last_mut(), attr(tag, "val")) {
                            if self.styles.is_heading(&id) {
                                p.kind = BlockKind::Heading;
                            } else if self.styles.is_list(&id) {
                                p.kind = BlockKind::ListItem;
                            }
                        }
                    }
                    "numPr" if self.ppr > 0 => {
                        if let Some(p) = self.paras.last_mut() {
                            if p.kind == BlockKind::Paragraph {
                                p.kind = BlockKind::ListItem;
                            }
                        }
                    }
                    "r" => self.runs.push(false),
                    "rPr" if self.ppr == 0 => self.rpr = true,
                    "vanish" if self.rpr => {
                        let on =
                            !matches!(attr(tag, "val").as_deref(), Some("0" | "false" | "off"));
                        if let Some(hidden) = self.runs.last_mut() {
                            *hidden = on;
                        }
                    }
                    "fldChar" => match attr(tag, "fldCharType").as_deref() {
                        Some("begin") => self.fields.push(true),
                        Some("separate") => {
                            if let Some(instr) = self.fields.last_mut() {
                                *instr = false;
                            }
                        }
                        Some("end") => {
                            self.fields.pop();
                        }
                        _ => {}
                    },
                    "t" => self.in_t = true,
                    "tab" | "ptab" => self.push_text(" "),
                    "br" | "cr" => self.push_text("\n"),
                    "noBreakHyphen" => self.push_text("-"),
                    "sym" => {
                        let c = attr(tag, "char")
                            .and_then(|h| u32::from_str_radix(&h, 16).ok())
                            .and_then(char::from_u32)
                            .filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c));
                        if let Some(c) = c {
                            self.push_text(c.encode_utf8(&mut [0; 4]));
                        }
                    }
                    "tbl" => self.flush_cell(),
                    "tc" => self.cells.push(String::new()),
                    _ => {}
                }
            }
            Node::End { ns, name } => {
                if self.skip > 0 {
                    self.skip -= 1;
                    return;
                }
                if !is_w(ns) {
                    return;
                }
                match name {
                    "p" => {
                        if let Some(p) = self.paras.pop() {
                            if let Some(cell) = self.cells.last_mut() {
                                if !p.text.trim().is_empty() {
                                    if !cell.is_empty() {
                                        cell.push('\n');
                                    }
                                    cell.push_str(&p.text);
                                }
                            } else {
                                self.blocks.push(Block::new(p.kind, p.text));
                            }
                        }
                    }
                    "pPr" => self.ppr = self.ppr.saturating_sub(1),
                    "r" => {
                        self.runs.pop();
                    }
                    "rPr" => self.rpr = false,
                    "t" => self.in_t = false,
                    "tc" => {
                        if let Some(text) = self.cells.pop() {
                            self.blocks.push(Block::new(BlockKind::TableCell, text));
                        }
                    }
                    _ => {}
                }
            }
            Node::Text(t) => {
                if self.skip == 0 && self.in_t {
                    self.push_text(t);
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    /// A zip of `parts` (name, content), deflated.
    pub(crate) fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, content) in parts {
            out.start_file(
                *name,
                zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated),
            )
            .expect("zip entry");
            out.write_all(content).expect("zip write");
        }
        out.finish().expect("zip").into_inner()
    }

    fn docx(body: &str) -> Vec<u8> {
        let doc = format!(
            r#"<?xml version="1.0"?><w:document {NS}><w:body>{body}</w:body></w:document>"#
        );
        zip(&[("word/document.xml", doc.as_bytes())])
    }

    fn read(bytes: &[u8]) -> Vec<(BlockKind, String)> {
        blocks(bytes, Path::new("t.docx"))
            .expect("readable")
            .into_iter()
            .filter(|b| !b.text.trim().is_empty())
            .map(|b| (b.kind, b.text))
            .collect()
    }

    fn err(bytes: &[u8]) -> String {
        blocks(bytes, Path::new("t.docx"))
            .expect_err("refused")
            .to_string()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn heading_is_its_own_block_and_lists_are_items() {
        let body = format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Title</w:t></w:r></w:p>{}<w:p><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Item</w:t></w:r></w:p>"#,
            p("Body &amp; more.")
        );
        assert_eq!(
            read(&docx(&body)),
            [
                (BlockKind::Heading, "Title".to_string()),
                (BlockKind::Paragraph, "Body & more.".to_string()),
                (BlockKind::ListItem, "Item".to_string()),
            ]
        );
    }

    #[test]
    fn localised_heading_styles_come_from_styles_xml() {
        let styles = format!(
            r#"<w:styles {NS}><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="Normal"/></w:style></w:styles>"#
        );
        let doc = format!(
            r#"<w:document {NS}><w:body><w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>Заголовок</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Text</w:t></w:r></w:p></w:body></w:document>"#
        );
        let bytes = zip(&[
            ("word/document.xml", doc.as_bytes()),
            ("word/styles.xml", styles.as_bytes()),
        ]);
        assert_eq!(
            read(&bytes),
            [
                (BlockKind::Heading, "Заголовок".to_string()),
                (BlockKind::Paragraph, "Text".to_string()),
            ]
        );
    }

    #[test]
    fn tables_are_read_cell_by_cell() {
        let body = format!(
            "{}<w:tbl><w:tr><w:tc>{}{}</w:tc><w:tc>{}</w:tc></w:tr><w:tr><w:tc>{}</w:tc><w:tc/></w:tr></w:tbl>{}",
            p("Before."),
            p("A1 first."),
            p("A1 second."),
            p("B1."),
            p("A2."),
            p("After.")
        );
        assert_eq!(
            read(&docx(&body)),
            [
                (BlockKind::Paragraph, "Before.".to_string()),
                (BlockKind::TableCell, "A1 first.\nA1 second.".to_string()),
                (BlockKind::TableCell, "B1.".to_string()),
                (BlockKind::TableCell, "A2.".to_string()),
                (BlockKind::Paragraph, "After.".to_string()),
            ]
        );
    }

    #[test]
    fn tracked_changes_give_the_final_text() {
        let body = r#"<w:p><w:r><w:t xml:space="preserve">The </w:t></w:r><w:del w:id="1"><w:r><w:delText>old </w:delText></w:r></w:del><w:ins w:id="2"><w:r><w:t xml:space="preserve">new </w:t></w:r></w:ins><w:moveFrom><w:r><w:t>gone</w:t></w:r></w:moveFrom><w:r><w:rPr><w:b/><w:rPrChange><w:rPr><w:i/></w:rPr></w:rPrChange></w:rPr><w:t>text.</w:t></w:r></w:p>"#;
        assert_eq!(
            read(&docx(body)),
            [(BlockKind::Paragraph, "The new text.".to_string())]
        );
    }

    #[test]
    fn hidden_text_is_dropped() {
        let body = r#"<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">Shown </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>secret </w:t></w:r><w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>too.</w:t></w:r></w:p>"#;
        assert_eq!(
            read(&docx(body)),
            [(BlockKind::Paragraph, "Shown too.".to_string())]
        );
    }

    #[test]
    fn fields_show_their_result() {
        let body = r#"<w:p><w:r><w:t xml:space="preserve">See page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGEREF _Toc1 \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> of </w:t></w:r><w:fldSimple w:instr="NUMPAGES"><w:r><w:t>9</w:t></w:r></w:fldSimple><w:r><w:t>.</w:t></w:r></w:p>"#;
        assert_eq!(
            read(&docx(body)),
            [(BlockKind::Paragraph, "See page 7 of 9.".to_string())]
        );
    }

    #[test]
    fn tabs_breaks_hyphens_and_symbols() {
        let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>1.</w:t><w:tab/><w:t>Line</w:t><w:br/><w:t>two e</w:t><w:noBreakHyphen/><w:t>mail</w:t><w:softHyphen/><w:sym w:font="Symbol" w:char="F0B7"/><w:sym w:font="Arial" w:char="2014"/></w:r></w:p>"#;
        assert_eq!(
            read(&docx(body)),
            [(
                BlockKind::Paragraph,
                "1. Line\ntwo e-mail\u{2014}".to_string()
            )]
        );
    }

    #[test]
    fn text_boxes_are_read_once() {
        let body = r#"<w:p><w:r><w:t xml:space="preserve">Anchor </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Box.</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Box.</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>text.</w:t></w:r></w:p>"#;
        assert_eq!(
            read(&docx(body)),
            [
                (BlockKind::Paragraph, "Box.".to_string()),
                (BlockKind::Paragraph, "Anchor text.".to_string()),
            ]
        );
    }

    #[test]
    fn footnotes_follow_the_body_apart() {
        let doc = format!(
            r#"<w:document {NS}><w:body><w:p><w:r><w:t>Cited.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t xml:space="preserve"> Next.</w:t></w:r></w:p>{}</w:body></w:document>"#,
            p("Last.")
        );
        let notes = format!(
            r#"<w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> The note.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        let bytes = zip(&[
            ("word/document.xml", doc.as_bytes()),
            ("word/footnotes.xml", notes.as_bytes()),
        ]);
        assert_eq!(
            read(&bytes),
            [
                (BlockKind::Paragraph, "Cited. Next.".to_string()),
                (BlockKind::Paragraph, "Last.".to_string()),
                (BlockKind::Paragraph, " The note.".to_string()),
            ]
        );
    }

    #[test]
    fn bad_packages_are_clear_errors() {
        let e = err(b"<!DOCTYPE html><html><body>Saved from a browser</body></html>");
        assert!(e.contains("t.docx") && e.contains("HTML page"), "{e}");
        let e = err(b"PK\x03\x04 truncated");
        assert!(e.contains("t.docx") && e.contains("damaged"), "{e}");
        let e = err(&zip(&[("content.xml", b"<x/>")]));
        assert!(e.contains("word/document.xml") && e.contains(".odt"), "{e}");
        let e = err(b"");
        assert!(e.contains("empty"), "{e}");
        let e = err(&docx("<w:p><w:r><w:t>unclosed</w:r></w:p>"));
        assert!(
            e.contains("word/document.xml") && e.contains("malformed"),
            "{e}"
        );
    }

    #[test]
    fn a_doctype_is_refused() {
        let doc = format!(
            r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><w:document {NS}><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"#
        );
        let e = err(&zip(&[("word/document.xml", doc.as_bytes())]));
        assert!(e.contains("document type declaration"), "{e}");
        let doc = format!(
            r#"<w:document {NS}><w:body><w:p><w:r><w:t>&undefined;</w:t></w:r></w:p></w:body></w:document>"#
        );
        let e = err(&zip(&[("word/document.xml", doc.as_bytes())]));
        assert!(e.contains("undefined entity"), "{e}");
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        // 1 MiB of one paragraph's text against a budget of 64 KiB (the real one is 100 times
        // the file, at least 64 MiB: the same code with a larger number).
        let mut doc = format!(r#"<w:document {NS}><w:body><w:p><w:r><w:t>"#).into_bytes();
        doc.resize(doc.len() + (1 << 20), b'a');
        doc.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
        let bytes = zip(&[("word/document.xml", &doc)]);
        let path = Path::new("t.docx");
        let package = Package::open_with_budget(&bytes, path, "Word", 64 << 10).expect("zip");
        let e = blocks_in(package, path).expect_err("refused").to_string();
        assert!(e.contains("zip bomb") && e.contains("t.docx"), "{e}");
    }

    #[test]
    fn too_many_entries_are_refused() {
        let names: Vec<String> = (0..=super::super::package::MAX_ENTRIES)
            .map(|i| format!("f{i}"))
            .collect();
        let mut parts: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let doc = format!(r#"<w:document {NS}/>"#);
        parts.push(("word/document.xml", doc.as_bytes()));
        let e = err(&zip(&parts));
        assert!(e.contains("entries"), "{e}");
    }
}
