//! TMX segment markup in a string (a table cell): the inline elements of TMX 1.4b §3.1.2
//! parsed into a [`Segment`], with XML 1.0 references and attribute-value normalisation
//! (§3.3.3) as the TMX reader applies them.

use std::borrow::Cow;

use crate::text::xml::{xml_class, XmlClass};
use crate::unit::segment::{push_text, Piece, Segment, Tag};

// ============================================================================ segment markup

/// Inline markup nested deeper than this is refused (as the TMX reader does).
const MAX_NESTING: usize = 64;

/// Parses TMX segment markup (the content of a `<seg>`, as [`Segment::to_xml`] writes it) into
/// a [`Segment`], with the TMX reader's rules: only the five XML entities and character
/// references to XML 1.0 `Char`s, no characters XML 1.0 forbids, attribute values normalised
/// (XML 1.0 §3.3.3), line ends normalised to LF, comments and processing instructions skipped,
/// CDATA sections read as text, namespace prefixes dropped (except `xml:`). On error: the byte
/// offset in `xml` and what is wrong.
pub(crate) fn parse_segment(xml: &str) -> std::result::Result<Segment, (usize, String)> {
    let mut p = Parser { s: xml, i: 0 };
    let pieces = p.content(0, None)?;
    Ok(Segment { pieces })
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

type PResult<T> = std::result::Result<T, (usize, String)>;

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }

    fn content(&mut self, depth: usize, open: Option<(&str, usize)>) -> PResult<Vec<Piece>> {
        let mut pieces = Vec::new();
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else {
                return match open {
                    Some((name, at)) => Err((at, format!("<{name}> is not closed"))),
                    None => Ok(pieces),
                };
            };
            match c {
                '<' => {
                    let at = self.i;
                    if rest.starts_with("</") {
                        self.i += 2;
                        let name = self.name()?;
                        self.spaces();
                        if !self.rest().starts_with('>') {
                            return Err((self.i, format!("`>` expected to end </{name}")));
                        }
                        self.i += 1;
                        return match open {
                            Some((o, _)) if o == name => Ok(pieces),
                            Some((o, _)) => Err((at, format!("</{name}> does not close <{o}>"))),
                            None => Err((at, format!("</{name}> closes nothing"))),
                        };
                    } else if let Some(comment) = rest.strip_prefix("<!--") {
                        match comment.find("-->") {
                            Some(end) => self.i += 4 + end + 3,
                            None => return Err((at, "a comment is not closed (-->)".into())),
                        }
                    } else if let Some(body) = rest.strip_prefix("<![CDATA[") {
                        match body.find("]]>") {
                            Some(end) => {
                                let text = &body[..end];
                                self.check_chars(text, at + 9)?;
                                push_text(&mut pieces, &normalize_newlines(text));
                                self.i += 9 + end + 3;
                            }
                            None => return Err((at, "a CDATA section is not closed (]]>)".into())),
                        }
                    } else if rest.starts_with("<?") {
                        match rest.find("?>") {
                            Some(end) => self.i += end + 2,
                            None => {
                                return Err((at, "a processing instruction is not closed".into()))
                            }
                        }
                    } else {
                        self.i += 1;
                        if !self.rest().starts_with(is_name_start) {
                            return Err((
                                at,
                                "`<` does not start a tag (text must write it as &lt;)".into(),
                            ));
                        }
                        if depth >= MAX_NESTING {
                            return Err((
                                at,
                                format!("inline markup nested more than {MAX_NESTING} levels deep"),
                            ));
                        }
                        let qname = self.name()?.to_string();
                        let attrs = self.attributes()?;
                        let empty = if self.rest().starts_with("/>") {
                            self.i += 2;
                            true
                        } else if self.rest().starts_with('>') {
                            self.i += 1;
                            false
                        } else {
                            return Err((self.i, format!("`>` or `/>` expected in <{qname}>")));
                        };
                        let content = if empty {
                            Vec::new()
                        } else {
                            self.content(depth + 1, Some((&qname, at)))?
                        };
                        let name = match qname.rsplit_once(':') {
                            Some((_, l)) => l.to_string(),
                            None => qname,
                        };
                        pieces.push(Piece::Tag(Tag {
                            name,
                            attrs,
                            content,
                        }));
                    }
                }
                '&' => {
                    let c = self.reference()?;
                    let mut tmp = [0u8; 4];
                    push_text(&mut pieces, c.encode_utf8(&mut tmp));
                }
                _ => {
                    let end = rest.find(['<', '&']).unwrap_or(rest.len());
                    let text = &rest[..end];
                    if let Some(k) = text.find("]]>") {
                        return Err((
                            self.i + k,
                            "`]]>` is not allowed in text (write ]]&gt;)".into(),
                        ));
                    }
                    self.check_chars(text, self.i)?;
                    push_text(&mut pieces, &normalize_newlines(text));
                    self.i += end;
                }
            }
        }
    }

    fn check_chars(&self, text: &str, base: usize) -> PResult<()> {
        match text
            .char_indices()
            .find(|&(_, c)| xml_class(c) == XmlClass::Illegal)
        {
            Some((k, c)) => Err((
                base + k,
                format!("character U+{:04X} is not allowed in XML 1.0", c as u32),
            )),
            None => Ok(()),
        }
    }

    fn spaces(&mut self) -> bool {
        let rest = self.rest();
        let n = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
        self.i += n;
        n > 0
    }

    fn name(&mut self) -> PResult<&'a str> {
        let rest = self.rest();
        let end = rest
            .char_indices()
            .find(|&(k, c)| {
                !(if k == 0 {
                    is_name_start(c)
                } else {
                    is_name_char(c)
                })
            })
            .map_or(rest.len(), |(k, _)| k);
        if end == 0 {
            return Err((self.i, "a name expected".into()));
        }
        let start = self.i;
        self.i += end;
        Ok(&self.s[start..start + end])
    }

    fn attributes(&mut self) -> PResult<Vec<(String, String)>> {
        let mut attrs: Vec<(String, String)> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        loop {
            let had_space = self.spaces();
            let rest = self.rest();
            if rest.starts_with('>') || rest.starts_with("/>") || rest.is_empty() {
                return Ok(attrs);
            }
            if !had_space {
                return Err((self.i, "a space expected between attributes".into()));
            }
            let at = self.i;
            let key = self.name()?.to_string();
            self.spaces();
            if !self.rest().starts_with('=') {
                return Err((
                    self.i,
                    format!("`=` expected after the attribute name {key}"),
                ));
            }
            self.i += 1;
            self.spaces();
            let quote = match self.rest().chars().next() {
                Some(q @ ('"' | '\'')) => q,
                _ => return Err((self.i, format!("the value of {key} must be quoted"))),
            };
            self.i += 1;
            let Some(end) = self.rest().find(quote) else {
                return Err((at, format!("the value of {key} is not closed")));
            };
            let raw = &self.s[self.i..self.i + end];
            let value = unescape_attr(raw)
                .map_err(|(k, m)| (self.i + k, format!("attribute {key}: {m}")))?;
            self.i += end + 1;
            if seen.contains(&key) {
                return Err((at, format!("attribute {key} is repeated")));
            }
            seen.push(key.clone());
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            let key = match key.split_once(':') {
                Some(("xml", _)) | None => key,
                Some((_, local)) => local.to_string(),
            };
            attrs.push((key, value));
        }
    }

    /// `&...;` at the current position, resolved.
    fn reference(&mut self) -> PResult<char> {
        let at = self.i;
        let rest = &self.rest()[1..];
        let end = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(k, _)| k);
        let Some(end) = end else {
            return Err((at, "`&` does not start an entity (write &amp;)".into()));
        };
        let name = &rest[..end];
        let c = resolve_reference(name).map_err(|m| (at, m))?;
        self.i += 1 + end + 1;
        Ok(c)
    }
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':'
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.' | '\u{B7}')
}

/// CR LF and a lone CR become LF (XML 1.0 §2.11).
fn normalize_newlines(s: &str) -> Cow<'_, str> {
    if !s.contains('\r') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
}

/// An entity or character reference's name (between `&` and `;`) as its character: the TMX
/// reader's rules, after checking that a name is there at all (a bare `&` in a cell).
fn reference_in_cell(name: &str) -> std::result::Result<char, String> {
    let named =
        name.strip_prefix('#').is_some() || (!name.is_empty() && name.chars().all(is_name_char));
    if !named {
        return Err("`&` does not start an entity (write &amp;)".into());
    }
    resolve_reference(name)
}

/// An attribute value unescaped and normalised (XML 1.0 §3.3.3: references resolved, TAB, LF,
/// CR and CR LF -> a space; a raw `<` or an illegal character is an error); errors carry the
/// byte offset in `raw`. The one attribute unescaper of the TMX reader and the table cells.
pub(crate) fn unescape_attr(raw: &str) -> std::result::Result<String, (usize, String)> {
    // Most values (dates, language tags, numbers) hold no byte that needs a look: copied whole.
    let needs_look = |b: u8| (b < 0x20) | (b == b'<') | (b == b'&') | (b == 0xEF);
    if !crate::text::xml::any_byte(raw.as_bytes(), needs_look) {
        return Ok(raw.to_string());
    }
    unescape_attr_by_chars(raw)
}

/// [`unescape_attr`] char by char.
fn unescape_attr_by_chars(raw: &str) -> std::result::Result<String, (usize, String)> {
    let mut out = String::with_capacity(raw.len());
    let mut k = 0;
    while k < raw.len() {
        let rest = &raw[k..];
        let Some(c) = rest.chars().next() else { break };
        match c {
            '<' => return Err((k, "a raw < (write &lt;)".into())),
            '\r' => {
                out.push(' ');
                if rest[1..].starts_with('\n') {
                    k += 1;
                }
            }
            '\t' | '\n' => out.push(' '),
            '&' => {
                let Some(end) = rest.find(';').filter(|&e| e <= 12) else {
                    return Err((k, "`&` does not start an entity (write &amp;)".into()));
                };
                out.push(reference_in_cell(&rest[1..end]).map_err(|m| (k, m))?);
                k += end + 1;
                continue;
            }
            c if xml_class(c) == XmlClass::Illegal => {
                return Err((
                    k,
                    format!("character U+{:04X} is not allowed in XML 1.0", c as u32),
                ))
            }
            c => out.push(c),
        }
        k += c.len_utf8();
    }
    Ok(out)
}

/// Resolves a reference's name (between `&` and `;`) to its character.
pub(crate) fn resolve_reference(name: &str) -> std::result::Result<char, String> {
    match name {
        "amp" => return Ok('&'),
        "lt" => return Ok('<'),
        "gt" => return Ok('>'),
        "apos" => return Ok('\''),
        "quot" => return Ok('"'),
        _ => {}
    }
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix('x') {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()
            }
            None if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => num.parse().ok(),
            _ => {
                return Err(format!("&{name}; is not a valid character reference"));
            }
        };
        return match code.and_then(char::from_u32) {
            Some(c) if xml_class(c) != XmlClass::Illegal => Ok(c),
            _ => Err(format!(
                "&{name}; refers to a character XML 1.0 does not allow{}",
                code.map(|c| format!(" (U+{c:04X})")).unwrap_or_default()
            )),
        };
    }
    Err(format!(
        "the entity &{name}; is not defined: TMX allows only &amp; &lt; &gt; &apos; &quot; and \
         character references{}",
        match name {
            "nbsp" => " (write U+00A0 as the character itself or as &#xA0;)",
            _ => "",
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Copying a value with no byte to look at whole changes nothing.
        #[test]
        fn attribute_values_unescape_as_char_by_char(
            raw in "([ -~]|[\\t\\n\\r\\u{1}\\u{85}\\u{e9}\\u{42f}\\u{fffe}\\u{ffff}\\u{feff}]|&amp;|&#x41;|&bad){0,16}",
        ) {
            proptest::prop_assert_eq!(unescape_attr(&raw), unescape_attr_by_chars(&raw));
        }
    }
}
