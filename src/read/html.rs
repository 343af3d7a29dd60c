//! HTML and XHTML: the visible text of a page as blocks.
//!
//! The text is parsed as the [WHATWG HTML Living Standard](https://html.spec.whatwg.org/)
//! says a browser parses it (html5ever through `scraper`), so unclosed `<p>`s, misnested tags,
//! named and numeric character references (`&nbsp;`, `&laquo;`, `&#8212;`) and XHTML served as
//! text all come out as a browser shows them. What is kept:
//!
//! - Block elements (`p`, `div`, `h1`-`h6`, `li`, `td`/`th`, `blockquote`, `pre`, `dt`/`dd`,
//!   `section`, `article`, `caption`, `figcaption` and the rest of HTML's block-level elements)
//!   end the block before them and start one; `h1`-`h6` are [`BlockKind::Heading`], `li`
//!   [`BlockKind::ListItem`], `td`/`th` [`BlockKind::TableCell`], the rest
//!   [`BlockKind::Paragraph`]. Inline elements (`a`, `b`, `span`, `em`...) never break a block.
//! - `<br>` is a line break inside its block (a soft break for the splitter).
//! - White space collapses to one space as CSS's `white-space: normal` does, except inside
//!   `pre`, `textarea` and `listing`, whose lines are kept.
//!
//! What is dropped, as a browser does not show it or it is not the document's text: the `head`
//! (its `title` included: it is the browser tab's label and mostly repeats the page's first
//! heading), `script`, `style`, `noscript`, `template`, comments, embedded `svg`/`math`/
//! `iframe`/`object`/`canvas`, form controls' option lists (`select`), images (their `alt`
//! text is shown only when the image fails), elements with the `hidden` attribute or
//! `aria-hidden="true"`, and `nav`, a page's menu of links rather than its text (a site's menus
//! seldom match item for item between two language versions).

use std::path::Path;

use scraper::{Html, Node};

use super::input::{Block, BlockKind};
use crate::error::Result;

/// The blocks of the HTML document `text`; `_path` names the file (HTML has no syntax errors:
/// every input parses).
pub fn blocks(text: &str, _path: &Path) -> Result<Vec<Block>> {
    Ok(walk(&Html::parse_document(text)))
}

/// The blocks of an HTML fragment (a Markdown file's raw HTML block).
pub(crate) fn fragment_blocks(text: &str) -> Vec<Block> {
    walk(&Html::parse_fragment(text))
}

/// What an element does to the text flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Not shown: the element and everything in it are left out.
    Hidden,
    /// A block of this kind; `pre` keeps white space.
    Block { kind: BlockKind, pre: bool },
    /// A line break.
    Break,
    /// Inline: its text flows into the block around it.
    Inline,
}

/// The role of element `name` with attributes read through `attr`.
fn role<'a>(name: &str, attr: impl Fn(&str) -> Option<&'a str>) -> Role {
    if attr("hidden").is_some()
        || attr("aria-hidden").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return Role::Hidden;
    }
    let block = |kind| Role::Block { kind, pre: false };
    match name {
        "head" | "title" | "script" | "style" | "noscript" | "template" | "svg" | "math"
        | "iframe" | "object" | "embed" | "canvas" | "select" | "datalist" | "img" | "video"
        | "audio" | "nav" => Role::Hidden,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => block(BlockKind::Heading),
        "li" => block(BlockKind::ListItem),
        "td" | "th" => block(BlockKind::TableCell),
        "pre" | "listing" | "textarea" | "plaintext" | "xmp" => Role::Block {
            kind: BlockKind::Paragraph,
            pre: true,
        },
        "br" => Role::Break,
        "address" | "article" | "aside" | "blockquote" | "body" | "caption" | "center" | "dd"
        | "details" | "dialog" | "dir" | "div" | "dl" | "dt" | "fieldset" | "figcaption"
        | "figure" | "footer" | "form" | "header" | "hgroup" | "hr" | "html" | "legend"
        | "main" | "menu" | "ol" | "p" | "section" | "summary" | "table" | "tbody" | "tfoot"
        | "thead" | "tr" | "ul" | "option" | "optgroup" | "frameset" | "noframes" => {
            block(BlockKind::Paragraph)
        }
        _ => Role::Inline,
    }
}

/// Collects blocks while walking the tree.
struct Flow {
    blocks: Vec<Block>,
    /// The text of the block being built.
    current: String,
    /// White space seen since the last character kept (collapsed into one space).
    space: bool,
}

impl Flow {
    /// Ends the block being built as one of `kind` (nothing when it holds no text).
    fn flush(&mut self, kind: BlockKind) {
        let text = std::mem::take(&mut self.current);
        self.space = false;
        if !text.trim().is_empty() {
            self.blocks.push(Block::new(kind, text));
        }
    }

    /// Adds text that flows (`pre` false: runs of white space become one space).
    fn push(&mut self, text: &str, pre: bool) {
        if pre {
            self.current.push_str(text);
            return;
        }
        for c in text.chars() {
            // HTML's white space: the ASCII space, tab, LF, FF and CR (not U+00A0).
            if matches!(c, ' ' | '\t' | '\n' | '\x0C' | '\r') {
                self.space = true;
                continue;
            }
            if self.space && !self.current.is_empty() && !self.current.ends_with('\n') {
                self.current.push(' ');
            }
            self.space = false;
            self.current.push(c);
        }
    }

    /// A line break (`<br>`).
    fn line_break(&mut self) {
        self.space = false;
        while self.current.ends_with(' ') {
            self.current.pop();
        }
        self.current.push('\n');
    }
}

/// The blocks of a parsed document, in document order. The walk is iterative: a page nested
/// thousands of elements deep does not exhaust the stack.
fn walk(html: &Html) -> Vec<Block> {
    use ego_tree::iter::Edge;
    let mut flow = Flow {
        blocks: Vec::new(),
        current: String::new(),
        space: false,
    };
    // The open block elements: their kind and whether they keep white space.
    let mut open: Vec<(BlockKind, bool)> = Vec::new();
    let top = |open: &[(BlockKind, bool)]| {
        open.last()
            .copied()
            .unwrap_or((BlockKind::Paragraph, false))
    };
    // Depth inside a hidden element: > 0 means nothing is shown.
    let mut hidden = 0usize;
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    if hidden > 0 {
                        hidden += 1;
                        continue;
                    }
                    match role(el.name(), |a| el.attr(a)) {
                        Role::Hidden => hidden = 1,
                        Role::Block { kind, pre } => {
                            flow.flush(top(&open).0);
                            let pre = pre || top(&open).1;
                            open.push((kind, pre));
                        }
                        Role::Break => flow.line_break(),
                        Role::Inline => {}
                    }
                }
                Node::Text(text) if hidden == 0 => flow.push(text, top(&open).1),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    if hidden > 0 {
                        hidden -= 1;
                        continue;
                    }
                    if let Role::Block { .. } = role(el.name(), |a| el.attr(a)) {
                        let (kind, _) = open.pop().unwrap_or((BlockKind::Paragraph, false));
                        flow.flush(kind);
                    }
                }
            }
        }
    }
    flow.flush(top(&open).0);
    flow.blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(BlockKind, String)> {
        blocks(text, Path::new("t.html"))
            .expect("html parses")
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    #[test]
    fn visible_text_in_blocks() {
        use BlockKind::*;
        let got = read(
            "<!DOCTYPE html><html><head><title>Tab</title><style>p{}</style>\
             <script>if (a<b) alert('x')</script></head><body>\
             <nav><ul><li>Home</li></ul></nav>\
             <h1>The  SCO&nbsp;meets</h1>\n<p>One <b>bold</b>\n  word, \
             <a href=x>a&nbsp;link</a> &laquo;q&raquo;.<br>Next line.\
             <p>Unclosed<!-- a comment --> paragraph\
             <div>Text <div>nested</div> tail</div>\
             <ul><li>item <ul><li>sub</li></ul></li></ul>\
             <table><tr><th>a</th><td>b</td></tr></table>\
             <pre>  keep\n    lines</pre>\
             <p hidden>hidden</p><span aria-hidden=\"true\">icon</span>\
             <noscript>enable JS</noscript><template><p>t</p></template>\
             <img alt=\"picture\"></body></html>",
        );
        let want = [
            (Heading, "The SCO\u{a0}meets"),
            (Paragraph, "One bold word, a\u{a0}link «q».\nNext line."),
            (Paragraph, "Unclosed paragraph"),
            (Paragraph, "Text"),
            (Paragraph, "nested"),
            (Paragraph, "tail"),
            (ListItem, "item"),
            (ListItem, "sub"),
            (TableCell, "a"),
            (TableCell, "b"),
            (Paragraph, "  keep\n    lines"),
        ];
        let want: Vec<(BlockKind, String)> =
            want.iter().map(|(k, t)| (*k, t.to_string())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn xhtml_and_fragments_read_too() {
        let got = read(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\
             <body><p>One<br/>two</p></body></html>",
        );
        assert_eq!(got, [(BlockKind::Paragraph, "One\ntwo".to_string())]);
        let frag = fragment_blocks("<p>a</p>b");
        let texts: Vec<&str> = frag.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["a", "b"]);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = "<div>".repeat(20_000) + "deep" + &"</div>".repeat(20_000);
        assert_eq!(read(&deep), [(BlockKind::Paragraph, "deep".to_string())]);
    }
}
