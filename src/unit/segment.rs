//! The content of a `<seg>`: text and TMX 1.4b inline markup (§3.1.2 and §4: `bpt`, `ept`, `it`,
//! `ph`, `hi`, `ut`, `sub`), kept losslessly as a tree of [`Piece`]s.
//!
//! Native code inside `bpt`/`ept`/`it`/`ph`/`ut` is stored unescaped as text pieces of the tag;
//! [`Segment::to_xml`] escapes it again, so reading and writing round-trips to the canonical form
//! (attributes double-quoted in their original order, `& < >` escaped in text, an element
//! without content self-closed).

use crate::text::xml::{escape_attr, escape_text};

/// The inline elements TMX 1.4b defines inside `<seg>` (and inside each other).
pub(crate) const INLINE_ELEMENTS: [&str; 7] = ["bpt", "ept", "hi", "it", "ph", "sub", "ut"];

/// Elements whose direct text is native code (formatting codes of the original format).
const CODE_ELEMENTS: [&str; 5] = ["bpt", "ept", "it", "ph", "ut"];

/// One piece of segment content.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Piece {
    /// Text, unescaped.
    Text(String),
    /// An inline element with its attributes and content.
    Tag(Tag),
}

/// An inline element: `<bpt i="1" x="1">&lt;b&gt;</bpt>`, `<ph/>`, `<hi type="x">text</hi>`, ...
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tag {
    /// The element's local name (`bpt`, `ph`, ...).
    pub name: String,
    /// Attributes as written (name, unescaped value), in document order.
    pub attrs: Vec<(String, String)>,
    /// Content: native code as text, and `sub` (or, for `hi`/`sub`, other inline) elements.
    pub content: Vec<Piece>,
}

/// The content of one `<seg>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Segment {
    /// Text and inline elements in document order; adjacent texts are merged.
    pub pieces: Vec<Piece>,
}

impl Segment {
    /// A segment holding only `text`.
    pub fn from_text(text: impl Into<String>) -> Segment {
        let text = text.into();
        let pieces = if text.is_empty() {
            Vec::new()
        } else {
            vec![Piece::Text(text)]
        };
        Segment { pieces }
    }

    /// The translatable text with the markup stripped: native code inside `bpt`, `ept`, `it`,
    /// `ph` and `ut` is dropped together with any `sub` flow inside it (a sub-flow is separate
    /// text, such as an image's alt text, not part of this sentence); the text inside `hi`, a
    /// top-level `sub` and unknown wrapper elements is kept.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        plain(&self.pieces, &mut out);
        out
    }

    /// The segment's content as XML, escaped, without the enclosing `<seg>` tags.
    pub fn to_xml(&self) -> String {
        let mut out = String::new();
        write_pieces(&self.pieces, &mut out);
        out
    }

    /// True when the segment holds neither text nor tags.
    pub(crate) fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// The number of inline elements, nested ones included.
    pub fn tag_count(&self) -> usize {
        fn count(pieces: &[Piece]) -> usize {
            pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(_) => 0,
                    Piece::Tag(t) => 1 + count(&t.content),
                })
                .sum()
        }
        count(&self.pieces)
    }

    /// Appends text, merging it with a preceding text piece.
    pub fn push_text(&mut self, text: &str) {
        push_text(&mut self.pieces, text);
    }
}

/// Appends `text` to `pieces`, merging with a trailing text piece.
pub(crate) fn push_text(pieces: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Piece::Text(last)) = pieces.last_mut() {
        last.push_str(text);
    } else {
        pieces.push(Piece::Text(text.to_string()));
    }
}

fn plain(pieces: &[Piece], out: &mut String) {
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Tag(t) if CODE_ELEMENTS.contains(&t.name.as_str()) => {}
            Piece::Tag(t) => plain(&t.content, out),
        }
    }
}

fn write_pieces(pieces: &[Piece], out: &mut String) {
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(&escape_text(t)),
            Piece::Tag(t) => {
                out.push('<');
                out.push_str(&t.name);
                for (k, v) in &t.attrs {
                    out.push(' ');
                    out.push_str(k);
                    out.push_str("=\"");
                    out.push_str(&escape_attr(v));
                    out.push('"');
                }
                if t.content.is_empty() {
                    out.push_str("/>");
                } else {
                    out.push('>');
                    write_pieces(&t.content, out);
                    out.push_str("</");
                    out.push_str(&t.name);
                    out.push('>');
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(name: &str, attrs: &[(&str, &str)], content: Vec<Piece>) -> Piece {
        Piece::Tag(Tag {
            name: name.into(),
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            content,
        })
    }

    fn text(s: &str) -> Piece {
        Piece::Text(s.into())
    }

    #[test]
    fn plain_text_and_xml() {
        let seg = Segment {
            pieces: vec![
                text("Press "),
                tag("bpt", &[("i", "1"), ("x", "1")], vec![text("<b>")]),
                text("OK"),
                tag("ept", &[("i", "1")], vec![text("</b>")]),
                text(" & "),
                tag(
                    "ph",
                    &[("type", "image")],
                    vec![
                        text("<img alt=\""),
                        tag("sub", &[], vec![text("Logo")]),
                        text("\">"),
                    ],
                ),
                tag("hi", &[("type", "em")], vec![text("now")]),
                tag("x", &[("id", "a\"b\n")], vec![]),
            ],
        };
        assert_eq!(seg.plain_text(), "Press OK & now");
        assert_eq!(
            seg.to_xml(),
            "Press <bpt i=\"1\" x=\"1\">&lt;b&gt;</bpt>OK<ept i=\"1\">&lt;/b&gt;</ept> &amp; \
             <ph type=\"image\">&lt;img alt=\"<sub>Logo</sub>\"&gt;</ph><hi type=\"em\">now</hi>\
             <x id=\"a&quot;b&#10;\"/>"
        );
        assert_eq!(seg.tag_count(), 6);
        let mut s = Segment::from_text("a");
        s.push_text("b");
        assert_eq!(s.pieces, vec![text("ab")]);
        assert!(Segment::from_text("").is_empty());
    }
}
