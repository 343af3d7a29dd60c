//! Text clean-up shared by the writers.
//!
//! * [`clean_segment`] (every format): trim, and fold each run of white space that contains a
//!   line break into one space. A sentence taken from running text may cross a soft line break
//!   (hard-wrapped plain text, a PDF extraction); one record must stay one line in TSV, CSV,
//!   JSON lines and links output, and TMX 1.4b says every spacing and line-breaking character
//!   inside `<seg>` is significant, so a stray `\n` would stop the segment from matching its
//!   sentence in a CAT tool. Runs without a line break, and no-break spaces (U+00A0, U+2007,
//!   U+202F), are kept exactly: NBSP carries meaning in Russian typography (`2018 г.`).
//!   Line breaks are the mandatory breaks of UAX #14 (classes BK, CR, LF, NL): LF, CR, VT, FF,
//!   NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR. VT is how Word and Excel store a manual line
//!   break, so it becomes a space like any other line break instead of being dropped as an
//!   XML-illegal control character.
//! * [`xml_class`] (every writer): the XML 1.0 `Char` production (§2.2) with its list of
//!   discouraged characters. Illegal characters cannot be escaped (`&#x1;` is as fatal as the raw
//!   byte), so they are dropped and reported; discouraged ones are kept and reported.
//! * [`escape_text`], [`escape_attr`] (TMX): the predefined entities of XML 1.0 §4.6.

use std::borrow::Cow;

/// True for the characters that force a line break (UAX #14 classes BK, CR, LF and NL).
pub(crate) fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// True for white space that may be folded: Unicode `White_Space` except the no-break spaces.
fn is_foldable_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
}

/// Trims `s` and folds every run of white space that contains a line break into one space.
pub(crate) fn clean_segment(s: &str) -> Cow<'_, str> {
    let t = s.trim();
    if !t.contains(is_line_break) {
        return Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len());
    // The open run of foldable white space: its start and whether it holds a line break.
    let mut run: Option<(usize, bool)> = None;
    for (i, c) in t.char_indices() {
        if is_foldable_space(c) {
            let (start, has_break) = run.unwrap_or((i, false));
            run = Some((start, has_break || is_line_break(c)));
            continue;
        }
        if let Some((start, has_break)) = run.take() {
            if has_break {
                out.push(' ');
            } else {
                out.push_str(&t[start..i]);
            }
        }
        out.push(c);
    }
    // `t` is trimmed, so it never ends inside a run; flush anyway for safety.
    if let Some((start, has_break)) = run {
        out.push_str(if has_break { " " } else { &t[start..] });
    }
    Cow::Owned(out)
}

/// How XML 1.0 treats a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum XmlClass {
    /// A `Char`, not discouraged.
    Allowed,
    /// A `Char` that XML 1.0 §2.2 asks authors to avoid (controls, non-characters).
    Discouraged,
    /// Not a `Char`: neither the raw character nor a reference to it is allowed.
    Illegal,
}

/// The XML 1.0 class of `c` (lone surrogates cannot occur in a Rust `char`).
pub(crate) fn xml_class(c: char) -> XmlClass {
    match c as u32 {
        0x09 | 0x0A | 0x0D => XmlClass::Allowed,
        0x00..=0x1F | 0xFFFE | 0xFFFF => XmlClass::Illegal,
        0x7F..=0x84 | 0x86..=0x9F | 0xFDD0..=0xFDEF => XmlClass::Discouraged,
        // U+1FFFE, U+1FFFF, ..., U+10FFFF: the non-characters at the end of planes 1-16.
        n if n & 0xFFFF >= 0xFFFE => XmlClass::Discouraged,
        _ => XmlClass::Allowed,
    }
}

/// `U+0001, U+000B` for the distinct characters of `chars` (at most five, then `...`).
pub(crate) fn describe_chars(chars: &[char]) -> String {
    let mut seen: Vec<char> = Vec::new();
    for &c in chars {
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    let mut parts: Vec<String> = seen
        .iter()
        .take(5)
        .map(|&c| format!("U+{:04X}", c as u32))
        .collect();
    if seen.len() > 5 {
        parts.push("...".to_string());
    }
    parts.join(", ")
}

/// Escapes character data: `&`, `<` and `>` (the last so that `]]>` can never appear), and CR
/// as `&#13;` (a raw CR would be read back as LF, XML 1.0 §2.11).
pub(crate) fn escape_text(s: &str) -> Cow<'_, str> {
    escape(s, text_needs, text_entity)
}

/// The bytes [`text_entity`] maps, as compares the compiler vectorises.
fn text_needs(b: u8) -> bool {
    (b == b'&') | (b == b'<') | (b == b'>') | (b == b'\r')
}

/// The reference for a byte of character data, if it needs one.
fn text_entity(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'\r' => Some("&#13;"),
        _ => None,
    }
}

/// Escapes a double-quoted attribute value: `& < > "`, and TAB, LF, CR as character references
/// so that attribute-value normalisation (XML 1.0 §3.3.3) cannot turn them into spaces.
pub(crate) fn escape_attr(s: &str) -> Cow<'_, str> {
    escape(s, attr_needs, attr_entity)
}

/// The bytes [`attr_entity`] maps, as compares the compiler vectorises.
fn attr_needs(b: u8) -> bool {
    text_needs(b) | (b == b'"') | (b == b'\t') | (b == b'\n')
}

/// The reference for a byte of a double-quoted attribute value, if it needs one.
fn attr_entity(b: u8) -> Option<&'static str> {
    match b {
        b'"' => Some("&quot;"),
        b'\t' => Some("&#9;"),
        b'\n' => Some("&#10;"),
        b => text_entity(b),
    }
}

/// True when some byte of `bytes` satisfies `pred`: 32 bytes at a time with the tests folded
/// by `|` (no early exit inside a chunk), which the compiler turns into vector compares.
#[inline]
pub(crate) fn any_byte(bytes: &[u8], pred: impl Fn(u8) -> bool) -> bool {
    let mut chunks = bytes.chunks_exact(32);
    for chunk in &mut chunks {
        let mut hit = false;
        for &b in chunk {
            hit |= pred(b);
        }
        if hit {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| pred(b))
}

/// True when `bytes` may hold a char XML 1.0 forbids: a C0 control (one byte below 0x20; tab,
/// line feed and carriage return too) or the lead byte 0xEF of U+FFFE and U+FFFF.
#[inline]
pub(crate) fn may_hold_illegal(bytes: &[u8]) -> bool {
    any_byte(bytes, |b| (b < 0x20) | (b == 0xEF))
}

/// `s` with each byte that `entity` maps replaced by its reference (`needs` says, with
/// compares the compiler can vectorise, which bytes `entity` maps). Every escaped char is
/// ASCII, so the text is scanned as bytes (no UTF-8 decoding) and cut only at ASCII bytes,
/// which are char boundaries; nothing is allocated when nothing needs escaping.
fn escape(
    s: &str,
    needs: impl Fn(u8) -> bool,
    entity: impl Fn(u8) -> Option<&'static str>,
) -> Cow<'_, str> {
    let bytes = s.as_bytes();
    if !any_byte(bytes, needs) {
        return Cow::Borrowed(s);
    }
    let Some(first) = bytes.iter().position(|&b| entity(b).is_some()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate().skip(first) {
        if let Some(e) = entity(b) {
            out.push_str(&s[copied..i]);
            out.push_str(e);
            copied = i + 1;
        }
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_byte_tests_agree_with_the_entity_tables() {
        for b in 0..=255u8 {
            assert_eq!(text_needs(b), text_entity(b).is_some(), "{b:#04x}");
            assert_eq!(attr_needs(b), attr_entity(b).is_some(), "{b:#04x}");
        }
    }

    /// The char-by-char escaping the byte scan replaced.
    fn escape_chars(s: &str, attr: bool) -> String {
        s.chars()
            .map(|c| match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '\r' => "&#13;".to_string(),
                '"' if attr => "&quot;".to_string(),
                '\t' if attr => "&#9;".to_string(),
                '\n' if attr => "&#10;".to_string(),
                c => c.to_string(),
            })
            .collect()
    }

    proptest::proptest! {
        /// The chunked byte test answers as a plain scan, at every length and position.
        #[test]
        fn any_byte_answers_as_a_plain_scan(bytes in proptest::collection::vec(0u8..=255, 0..100)) {
            let pred = |b: u8| (b < 0x20) | (b == 0xEF);
            proptest::prop_assert_eq!(may_hold_illegal(&bytes), bytes.iter().any(|&b| pred(b)));
            let amp = |b: u8| b == b'&';
            proptest::prop_assert_eq!(any_byte(&bytes, amp), bytes.contains(&b'&'));
        }

        /// Escaping by bytes gives what escaping char by char gives, on any text.
        #[test]
        fn escaping_by_bytes_equals_escaping_by_chars(s in "[a-zа-яё&<>\"\t\n\r 🙂\u{0300}-\u{0302}]{0,40}") {
            proptest::prop_assert_eq!(escape_text(&s).into_owned(), escape_chars(&s, false));
            proptest::prop_assert_eq!(escape_attr(&s).into_owned(), escape_chars(&s, true));
        }
    }

    #[test]
    fn soft_line_breaks_fold_into_one_space() {
        assert_eq!(clean_segment("  one\ntwo  "), "one two");
        assert_eq!(clean_segment("one \r\n   two"), "one two");
        assert_eq!(
            clean_segment("a\u{2028}b\u{85}c\u{0B}d\u{0C}e"),
            "a b c d e"
        );
        assert_eq!(clean_segment("a\n\n\tb"), "a b");
    }

    #[test]
    fn spaces_without_a_line_break_are_kept() {
        assert!(matches!(clean_segment("a  b\tc"), Cow::Borrowed("a  b\tc")));
        assert_eq!(clean_segment("a  b\nc"), "a  b c");
        // NBSP is never folded, even next to a line break.
        assert_eq!(clean_segment("2018\u{A0}г.\nСША"), "2018\u{A0}г. США");
        assert_eq!(clean_segment("17\u{A0}\nмая"), "17\u{A0} мая");
        assert_eq!(clean_segment("\n\t "), "");
    }

    #[test]
    fn xml_classes_follow_xml_1_0() {
        for c in [
            '\t', '\n', '\r', ' ', 'a', '\u{A0}', '\u{85}', '\u{D7FF}', '\u{E000}',
        ] {
            assert_eq!(xml_class(c), XmlClass::Allowed, "{c:?}");
        }
        for c in [
            '\u{0}', '\u{1}', '\u{8}', '\u{B}', '\u{C}', '\u{E}', '\u{1F}',
        ] {
            assert_eq!(xml_class(c), XmlClass::Illegal, "{c:?}");
        }
        assert_eq!(xml_class('\u{FFFE}'), XmlClass::Illegal);
        assert_eq!(xml_class('\u{FFFF}'), XmlClass::Illegal);
        for c in [
            '\u{7F}', '\u{84}', '\u{86}', '\u{9F}', '\u{FDD0}', '\u{FDEF}',
        ] {
            assert_eq!(xml_class(c), XmlClass::Discouraged, "{c:?}");
        }
        for c in ['\u{1FFFE}', '\u{1FFFF}', '\u{10FFFE}', '\u{10FFFF}'] {
            assert_eq!(xml_class(c), XmlClass::Discouraged, "{c:?}");
        }
        for c in ['\u{FFFD}', '\u{1F4D6}', '\u{1FFFD}', '\u{FDCF}', '\u{FDF0}'] {
            assert_eq!(xml_class(c), XmlClass::Allowed, "{c:?}");
        }
    }

    #[test]
    fn character_classes() {
        for c in ['\u{1}', '\u{B}', '\u{FFFF}', '\u{FFFE}'] {
            assert_eq!(xml_class(c), XmlClass::Illegal, "{c:?}");
        }
        assert_eq!(xml_class('\u{7F}'), XmlClass::Discouraged);
        for c in "Привет, мир 📖\t\n".chars() {
            assert_eq!(xml_class(c), XmlClass::Allowed, "{c:?}");
        }
    }

    #[test]
    fn described_chars_are_distinct_and_capped() {
        assert_eq!(
            describe_chars(&['\u{1}', '\u{1}', '\u{B}']),
            "U+0001, U+000B"
        );
        let many: Vec<char> = (1u8..=7).map(char::from).collect();
        assert_eq!(
            describe_chars(&many),
            "U+0001, U+0002, U+0003, U+0004, U+0005, ..."
        );
        assert_eq!(describe_chars(&['\u{10FFFF}']), "U+10FFFF");
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape_text("a<b>&c \"q\" 'a'"),
            "a&lt;b&gt;&amp;c \"q\" 'a'"
        );
        assert_eq!(escape_text("]]>"), "]]&gt;");
        assert_eq!(escape_text("&amp;"), "&amp;amp;");
        assert!(matches!(escape_text("plain\u{A0}text"), Cow::Borrowed(_)));
        assert_eq!(
            escape_attr("a\"b'c<&>\t\n\r"),
            "a&quot;b'c&lt;&amp;&gt;&#9;&#10;&#13;"
        );
    }
}
