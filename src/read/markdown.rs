//! Markdown: the text of a [CommonMark](https://spec.commonmark.org/) document (with GitHub's
//! pipe tables) as blocks, parsed by `pulldown-cmark`.
//!
//! Headings are [`BlockKind::Heading`], list items [`BlockKind::ListItem`] (a nested list's
//! items are blocks of their own), table cells [`BlockKind::TableCell`]; paragraphs, also
//! those inside block quotes, are [`BlockKind::Paragraph`]. Inline markup is dropped and its
//! text kept: emphasis, links (their text, not their address), inline code (its text: it is
//! usually a name that reads in the sentence). A soft or hard line break is a soft break.
//!
//! Left out: fenced and indented code blocks (code is not translated prose), images (their alt
//! text is not shown beside a loaded image), thematic breaks, and the tags of raw HTML: an HTML
//! block is read as HTML (its visible text, by [`super::html`]), inline HTML tags are dropped
//! (`<br>` is a line break) and the text between them is kept.

use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::html;
use super::input::{Block, BlockKind};
use crate::error::Result;

/// The blocks of the Markdown document `text`; `_path` names the file (Markdown has no syntax
/// errors: every input parses).
pub fn blocks(text: &str, _path: &Path) -> Result<Vec<Block>> {
    let mut out = Vec::new();
    let mut current = String::new();
    // The kinds of the open blocks; text goes to the innermost.
    let mut open: Vec<BlockKind> = Vec::new();
    // Depth inside something left out (a code block, an image).
    let mut skip = 0usize;
    // The raw text of the HTML block being read.
    let mut raw_html = String::new();
    let flush = |out: &mut Vec<Block>, current: &mut String, kind: BlockKind| {
        let text = collapse(&std::mem::take(current));
        if !text.is_empty() {
            out.push(Block::new(kind, text));
        }
    };
    let top = |open: &[BlockKind]| open.last().copied().unwrap_or(BlockKind::Paragraph);
    for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
        if skip > 0 {
            match event {
                Event::Start(_) => skip += 1,
                Event::End(_) => skip -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(tag) => {
                let kind = match tag {
                    Tag::CodeBlock(_) | Tag::Image { .. } | Tag::MetadataBlock(_) => {
                        skip = 1;
                        continue;
                    }
                    Tag::Heading { .. } => BlockKind::Heading,
                    Tag::Item => BlockKind::ListItem,
                    Tag::TableCell => BlockKind::TableCell,
                    // A paragraph of a loose list item is still the item.
                    Tag::Paragraph => match top(&open) {
                        k @ (BlockKind::ListItem | BlockKind::TableCell) => k,
                        _ => BlockKind::Paragraph,
                    },
                    Tag::BlockQuote(_)
                    | Tag::List(_)
                    | Tag::Table(_)
                    | Tag::TableHead
                    | Tag::TableRow
                    | Tag::FootnoteDefinition(_)
                    | Tag::DefinitionList
                    | Tag::DefinitionListTitle
                    | Tag::DefinitionListDefinition
                    | Tag::HtmlBlock => BlockKind::Paragraph,
                    // Inline: no block boundary.
                    _ => continue,
                };
                flush(&mut out, &mut current, top(&open));
                open.push(kind);
            }
            Event::End(end) => {
                match end {
                    TagEnd::HtmlBlock => {
                        out.extend(html::fragment_blocks(&std::mem::take(&mut raw_html)));
                    }
                    TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::Item
                    | TagEnd::TableCell
                    | TagEnd::BlockQuote(_)
                    | TagEnd::List(_)
                    | TagEnd::Table
                    | TagEnd::TableHead
                    | TagEnd::TableRow
                    | TagEnd::FootnoteDefinition
                    | TagEnd::DefinitionList
                    | TagEnd::DefinitionListTitle
                    | TagEnd::DefinitionListDefinition => {}
                    _ => continue,
                }
                let kind = open.pop().unwrap_or(BlockKind::Paragraph);
                flush(&mut out, &mut current, kind);
            }
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push('\n'),
            Event::Html(t) => raw_html.push_str(&t),
            Event::InlineHtml(t) => {
                let tag = t.trim_start_matches('<').trim_start_matches('/');
                let name_len = tag
                    .bytes()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .unwrap_or(tag.len());
                if tag[..name_len].eq_ignore_ascii_case("br") {
                    current.push('\n');
                }
            }
            Event::Rule => flush(&mut out, &mut current, top(&open)),
            _ => {}
        }
    }
    flush(&mut out, &mut current, top(&open));
    Ok(out)
}

/// `text` with runs of spaces and tabs as one space and no space around its line breaks, as
/// the rendered page shows it (a dropped image or tag leaves no double space).
fn collapse(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            line.split([' ', '\t'])
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|line| !line.is_empty())
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(BlockKind, String)> {
        blocks(text, Path::new("t.md"))
            .expect("markdown parses")
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    #[test]
    fn structure_becomes_blocks() {
        use BlockKind::*;
        let got = read(
            "# The *SCO* meets\n\nOne [link](http://x) and `code`.\nSecond line.\n\n\
             - item one\n- item two\n  - nested\n\n> quoted\n\n| a | b |\n|---|---|\n| c | d |\n",
        );
        let want = [
            (Heading, "The SCO meets"),
            (Paragraph, "One link and code.\nSecond line."),
            (ListItem, "item one"),
            (ListItem, "item two"),
            (ListItem, "nested"),
            (Paragraph, "quoted"),
            (TableCell, "a"),
            (TableCell, "b"),
            (TableCell, "c"),
            (TableCell, "d"),
        ];
        let want: Vec<(BlockKind, String)> =
            want.iter().map(|(k, t)| (*k, t.to_string())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn code_images_and_html_tags_are_left_out() {
        let got = read(
            "Text ![alt text](a.png) here.\n\n```\nlet x = 1;\n```\n\n    indented code\n\n\
             <div class=\"note\">\n<p>Raw &laquo;HTML&raquo;</p>\n<script>var s;</script>\n</div>\n\n\
             Inline <b>bold</b> <?日?> <broken>and a<br>break.\n\n---\n\nLoose:\n\n1. para one\n\n   para two\n",
        );
        let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Text here.",
                "Raw «HTML»",
                "Inline bold and a\nbreak.",
                "Loose:",
                "para one",
                "para two"
            ]
        );
        assert_eq!(got[4].0, BlockKind::ListItem);
    }
}
