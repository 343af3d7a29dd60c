//! What kind of document a file is, and its text as blocks: the input formats `align` reads.
//!
//! The format comes from the file's content first where the bytes say it clearly (a zip holding
//! a Word or OpenDocument text, `%PDF`, `WEBVTT`, an HTML document type or root element), else
//! from its extension (`.docx`, `.odt`, `.html`/`.htm`/`.xhtml`, `.md`/`.markdown`, `.srt`,
//! `.vtt`, `.txt`), else it is plain text. Known binary formats bitext does not read (a
//! spreadsheet, an image, an archive) are refused with the formats it reads, never aligned as
//! text.
//!
//! Every reader gives [`Block`]s in document order: a heading, a paragraph, a list item, a
//! table cell, a subtitle cue. Each block becomes a paragraph of the [`Document`], so the
//! structure of the source is a boundary the splitter and aligner respect (a heading is never
//! glued to the sentence after it).

use std::ops::Range;
use std::path::Path;

use super::Document;
use crate::error::{Error, Result};

/// A document format `align` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// Plain text (UTF-8, UTF-16, or a legacy code page).
    Text,
    /// Word 2007+ (Office Open XML, ECMA-376).
    Docx,
    /// OpenDocument text (ODF 1.2+).
    Odt,
    /// HTML or XHTML.
    Html,
    /// Markdown (CommonMark).
    Markdown,
    /// SubRip subtitles.
    Srt,
    /// WebVTT subtitles (W3C).
    WebVtt,
    /// PDF.
    Pdf,
}

/// The formats in messages: name and extensions.
pub const ACCEPTED: &str = "plain text (.txt, UTF-8, UTF-16 or a legacy code page), Word \
    (.docx), OpenDocument (.odt), HTML (.html, .htm, .xhtml), Markdown (.md), SubRip (.srt) \
    and WebVTT (.vtt)";

impl InputFormat {
    /// The format's name, for notes and messages.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Text => "plain text",
            InputFormat::Docx => "DOCX",
            InputFormat::Odt => "ODT",
            InputFormat::Html => "HTML",
            InputFormat::Markdown => "Markdown",
            InputFormat::Srt => "SubRip",
            InputFormat::WebVtt => "WebVTT",
            InputFormat::Pdf => "PDF",
        }
    }

    /// The format named by a file's extension, if any.
    pub fn from_extension(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" | "sents" => InputFormat::Text,
            "docx" => InputFormat::Docx,
            "odt" => InputFormat::Odt,
            "html" | "htm" | "xhtml" => InputFormat::Html,
            "md" | "markdown" => InputFormat::Markdown,
            "srt" => InputFormat::Srt,
            "vtt" => InputFormat::WebVtt,
            "pdf" => InputFormat::Pdf,
            _ => return None,
        })
    }

    /// The format of `bytes` read from `path`: what the content says, else the extension,
    /// else plain text. A binary format bitext does not read is an error naming it.
    pub fn of(path: &Path, bytes: &[u8]) -> Result<InputFormat> {
        if let Some(refused) = refused_binary(bytes) {
            return Err(Error::input(
                path,
                format!("this is {refused}, which bitext does not read; it reads {ACCEPTED}"),
            ));
        }
        if bytes.starts_with(b"%PDF-") {
            return Ok(InputFormat::Pdf);
        }
        let by_name = InputFormat::from_extension(path);
        if bytes.starts_with(b"PK\x03\x04") {
            return match by_name {
                Some(f @ (InputFormat::Docx | InputFormat::Odt)) => Ok(f),
                _ => Err(Error::input(
                    path,
                    format!(
                        "this is a zip archive, not a document bitext reads by this name; it \
                         reads {ACCEPTED}"
                    ),
                )),
            };
        }
        if let Some(sniffed) = sniff_text(bytes) {
            // A `.txt` that is really a page or subtitles; `.md` and `.xhtml` may start
            // with HTML and stay what their names say.
            if matches!(by_name, None | Some(InputFormat::Text)) || sniffed == InputFormat::WebVtt {
                return Ok(sniffed);
            }
        }
        Ok(by_name.unwrap_or(InputFormat::Text))
    }
}

/// The text format the start of `bytes` declares: `WEBVTT` on the first line, an HTML document
/// type or root element (or an XML declaration followed by one), or SubRip's first cue
/// `1` + `00:00:01,000 --> `. Reads UTF-8 (with or without a BOM) and UTF-16 with a BOM.
fn sniff_text(bytes: &[u8]) -> Option<InputFormat> {
    let head: String = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let units = rest
            .chunks_exact(2)
            .take(256)
            .map(|c| u16::from_le_bytes([c[0], c[1]]));
        char::decode_utf16(units).map_while(|c| c.ok()).collect()
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let units = rest
            .chunks_exact(2)
            .take(256)
            .map(|c| u16::from_be_bytes([c[0], c[1]]));
        char::decode_utf16(units).map_while(|c| c.ok()).collect()
    } else {
        let rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let rest = &rest[..rest.len().min(512)];
        String::from_utf8_lossy(rest).into_owned()
    };
    let first_line = head.lines().next().unwrap_or("");
    if first_line == "WEBVTT"
        || first_line.starts_with("WEBVTT ")
        || first_line.starts_with("WEBVTT\t")
    {
        return Some(InputFormat::WebVtt);
    }
    let start = head.trim_start().to_ascii_lowercase();
    let mut markup = start.as_str();
    if markup.starts_with("<?xml") {
        markup = markup
            .split_once("?>")
            .map_or("", |(_, rest)| rest)
            .trim_start();
    }
    while markup.starts_with("<!--") {
        markup = markup
            .split_once("-->")
            .map_or("", |(_, rest)| rest)
            .trim_start();
    }
    if markup.starts_with("<!doctype html") || markup.starts_with("<html") {
        return Some(InputFormat::Html);
    }
    let mut lines = start.lines();
    let number = lines.next().unwrap_or("").trim();
    let timing = lines.next().unwrap_or("");
    if !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && timing.len() > 17
        && timing.as_bytes()[2] == b':'
        && timing.as_bytes()[..17].contains(&b',')
        && timing.contains(" --> ")
    {
        return Some(InputFormat::Srt);
    }
    None
}

/// What a block was in the source document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading or title.
    Heading,
    /// A paragraph of running text.
    Paragraph,
    /// An item of a list.
    ListItem,
    /// One cell of a table.
    TableCell,
    /// A subtitle cue, shown from `start` to `end` (milliseconds).
    Cue {
        /// When the cue appears.
        start: u64,
        /// When it disappears.
        end: u64,
    },
}

/// One block of a document's text, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What the block was.
    pub kind: BlockKind,
    /// Its text; line breaks inside are soft breaks.
    pub text: String,
}

impl Block {
    /// A block of `kind` holding `text`.
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Block {
        Block {
            kind,
            text: text.into(),
        }
    }
}

/// When a subtitle cue is shown, and which paragraph of its [`Document`] holds its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueTime {
    /// The index of the cue's paragraph in [`Document::paragraphs`].
    pub paragraph: usize,
    /// When the cue appears (milliseconds).
    pub start: u64,
    /// When it disappears (milliseconds).
    pub end: u64,
}

impl Document {
    /// A document whose paragraphs are `blocks` (blank ones left out), joined by blank lines;
    /// the times of its [`BlockKind::Cue`] blocks go to [`Document::cues`].
    pub fn from_blocks(name: impl Into<String>, blocks: &[Block]) -> Document {
        let mut text = String::new();
        let mut paragraphs: Vec<Range<usize>> = Vec::new();
        let mut cues = Vec::new();
        for block in blocks {
            let body = block.text.trim();
            if body.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let start = text.len();
            // A blank line inside a block would split it: its lines are soft breaks.
            for (i, line) in body.lines().filter(|l| !l.trim().is_empty()).enumerate() {
                if i > 0 {
                    text.push('\n');
                }
                text.push_str(line.trim_end());
            }
            if let BlockKind::Cue { start: from, end } = block.kind {
                cues.push(CueTime {
                    paragraph: paragraphs.len(),
                    start: from,
                    end,
                });
            }
            paragraphs.push(start..text.len());
        }
        text.push('\n');
        Document {
            format: InputFormat::Text,
            code_page: None,
            name: name.into(),
            text,
            paragraphs,
            cues,
        }
    }
}

/// The name of a binary format bitext refuses, recognised by its first bytes.
fn refused_binary(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 9] = [
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an old Office file (.doc, .xls, .ppt)",
        ),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
        (
            b"{\\rtf",
            "an RTF document (save it as .docx or plain text)",
        ),
        (b"\x7FELF", "a program"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|&(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_paragraphs() {
        let doc = Document::from_blocks(
            "d",
            &[
                Block::new(BlockKind::Heading, "Title"),
                Block::new(BlockKind::Paragraph, "  "),
                Block::new(BlockKind::Paragraph, "One.\n\nStill one."),
                Block::new(BlockKind::TableCell, "Cell"),
                Block::new(BlockKind::Cue { start: 5, end: 9 }, "Cue one.\n "),
                Block::new(BlockKind::Cue { start: 10, end: 20 }, "Cue."),
            ],
        );
        let paragraphs: Vec<&str> = doc
            .paragraphs
            .iter()
            .map(|r| &doc.text[r.clone()])
            .collect();
        assert_eq!(
            paragraphs,
            ["Title", "One.\nStill one.", "Cell", "Cue one.", "Cue."]
        );
        let cue = |paragraph, start, end| CueTime {
            paragraph,
            start,
            end,
        };
        assert_eq!(doc.cues, [cue(3, 5, 9), cue(4, 10, 20)]);
        assert_eq!(doc.paragraphs, super::super::paragraphs(&doc.text));
    }

    #[test]
    fn formats_by_content_then_name() {
        let p = |s: &str| Path::new(s).to_path_buf();
        assert_eq!(
            InputFormat::of(&p("a.txt"), b"hello").ok(),
            Some(InputFormat::Text)
        );
        assert_eq!(
            InputFormat::of(&p("a"), b"%PDF-1.7").ok(),
            Some(InputFormat::Pdf)
        );
        assert_eq!(
            InputFormat::of(&p("a.docx"), b"PK\x03\x04").ok(),
            Some(InputFormat::Docx)
        );
        assert_eq!(
            InputFormat::of(&p("a.SRT"), b"1\n").ok(),
            Some(InputFormat::Srt)
        );
        let of = |name: &str, text: &str| InputFormat::of(&p(name), text.as_bytes()).ok();
        assert_eq!(of("a.txt", "WEBVTT\n\n"), Some(InputFormat::WebVtt));
        assert_eq!(of("a", "\u{feff}<!DOCTYPE html>"), Some(InputFormat::Html));
        assert_eq!(
            of(
                "a.txt",
                "<?xml version=\"1.0\"?>\n<!-- c --><html xmlns=\"x\">"
            ),
            Some(InputFormat::Html)
        );
        assert_eq!(of("a.md", "<html>"), Some(InputFormat::Markdown));
        assert_eq!(
            of("subs", "1\n00:00:01,000 --> 00:00:02,000\nHi\n"),
            Some(InputFormat::Srt)
        );
        assert_eq!(of("a.txt", "1\n2\n"), Some(InputFormat::Text));
        let zip = InputFormat::of(&p("a.zip"), b"PK\x03\x04")
            .unwrap_err()
            .to_string();
        assert!(
            zip.contains("zip archive") && zip.contains(".docx"),
            "{zip}"
        );
        let png = InputFormat::of(&p("a.txt"), b"\x89PNG\r\n")
            .unwrap_err()
            .to_string();
        assert!(
            png.contains("a PNG image") && png.contains("a.txt"),
            "{png}"
        );
    }
}
