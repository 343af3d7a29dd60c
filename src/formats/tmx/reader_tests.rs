//! Reader tests on TMX documents written here: encodings, legacy forms, inline markup, security,
//! errors and their locations, lenient skipping, streaming, and a property-based round trip.

use std::io::Read;
use std::time::Instant;

use proptest::prelude::*;

use super::*;
use crate::error::{Error, ErrorKind, Warning};
use crate::formats::source::CHUNK;
use crate::formats::Detected;
use crate::text::xml::escape_text;
use crate::unit::{Prop, Segment, Unit};

const HEADER: &str = r#"<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en-US" srclang="en-US" datatype="plaintext"/>"#;

/// A TMX document whose body is `body`.
fn doc(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  {HEADER}\n  <body>\n{body}  </body>\n</tmx>\n"
    )
}

/// A unit with two plain variants.
fn tu(en: &str, ru: &str) -> String {
    format!(
        "    <tu>\n      <tuv xml:lang=\"en-US\"><seg>{en}</seg></tuv>\n      <tuv xml:lang=\"ru-RU\"><seg>{ru}</seg></tuv>\n    </tu>\n"
    )
}

fn read(bytes: &[u8], lenient: bool) -> (Result<Vec<Unit>, Error>, Vec<Warning>) {
    let mut r = match TmxReader::new(
        bytes,
        "t.tmx",
        ReadOptions {
            lenient,
            ..ReadOptions::default()
        },
    ) {
        Ok(r) => r,
        Err(e) => return (Err(e), vec![]),
    };
    let units = r.by_ref().collect::<Result<Vec<_>, _>>();
    (units, r.take_warnings())
}

fn ok(s: &str) -> (Vec<Unit>, Vec<Warning>) {
    let (units, warnings) = read(s.as_bytes(), false);
    (units.unwrap(), warnings)
}

/// (line, column, message) of an XML error.
fn xml_err(e: &Error) -> (u64, u64, String) {
    match e.kind() {
        ErrorKind::Xml {
            path,
            line,
            column,
            message,
        } => {
            assert_eq!(path.to_str(), Some("t.tmx"));
            (*line, *column, message.clone())
        }
        other => panic!("not an XML error: {other:?}"),
    }
}

fn err(s: &str) -> (u64, u64, String) {
    let (units, _) = read(s.as_bytes(), false);
    xml_err(&units.unwrap_err())
}

fn texts(units: &[Unit]) -> Vec<Vec<String>> {
    units
        .iter()
        .map(|u| u.variants.iter().map(|v| v.segment.plain_text()).collect())
        .collect()
}

fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut v = Vec::new();
    if bom {
        v.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
    }
    for u in s.encode_utf16() {
        v.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    v
}

#[test]
fn reads_header_units_props_notes_and_dates() {
    let s = r#"<?xml version="1.0"?>
<tmx version="1.4">
<header creationtool="OmegaT" creationtoolversion="3.6" segtype="sentence" o-tmf="OmegaT TMX" adminlang="EN-US" srclang="EN-US" datatype="plaintext" creationdate="20240115T120000Z" creationid="me">
  <prop type="x-project">P &amp; Q</prop>
  <note>Header note</note>
</header>
<body>
  <tu tuid="a1" srclang="de" creationdate="2024-01-15T15:00:00+03:00" changedate="yesterday" usagecount="3">
    <note>Unit note</note>
    <prop type="x-score">0.97</prop>
    <prop type="x-Comment:MultipleString">one&#10;two</prop>
    <tuv xml:lang="de" creationid="x"><prop type="x-v">1</prop><note>v note</note><seg>Guten Tag</seg></tuv>
    <tuv xml:lang="fr"><seg>Bonjour</seg></tuv>
  </tu>
  <tu><tuv xml:lang="en-US"><seg/></tuv></tu>
</body>
</tmx>"#;
    let mut r = TmxReader::new(s.as_bytes(), "t.tmx", ReadOptions::default()).unwrap();
    let h = r.header().clone();
    assert_eq!(h.version.as_deref(), Some("1.4"));
    assert_eq!(h.srclang.as_deref(), Some("EN-US"));
    assert_eq!(h.creationtool.as_deref(), Some("OmegaT"));
    assert_eq!(h.o_tmf.as_deref(), Some("OmegaT TMX"));
    assert_eq!(h.datatype.as_deref(), Some("plaintext"));
    assert_eq!(
        h.creationdate
            .as_ref()
            .and_then(|d| d.utc)
            .map(|d| d.to_tmx()),
        Some("20240115T120000Z".into())
    );
    assert_eq!(h.other_attrs, vec![("creationid".into(), "me".into())]);
    assert_eq!(
        h.props,
        vec![Prop {
            kind: "x-project".into(),
            value: "P & Q".into()
        }]
    );
    assert_eq!(h.notes, vec!["Header note".to_string()]);
    assert_eq!(r.encoding(), Detected::Utf8);
    let units: Vec<Unit> = r.by_ref().collect::<Result<_, _>>().unwrap();
    let warnings = r.take_warnings();
    assert_eq!(units.len(), 2);
    let u = &units[0];
    assert_eq!((u.number, u.line), (1, 8));
    assert_eq!(u.tuid.as_deref(), Some("a1"));
    assert_eq!(u.srclang.as_deref(), Some("de"));
    assert_eq!(u.source_lang(&h), Some("de"));
    assert_eq!(
        u.creationdate.as_ref().unwrap().utc.unwrap().to_tmx(),
        "20240115T120000Z"
    );
    let cd = u.changedate.as_ref().unwrap();
    assert_eq!((cd.written.as_str(), cd.utc), ("yesterday", None));
    assert_eq!(u.other_attrs, vec![("usagecount".into(), "3".into())]);
    assert_eq!(u.notes, vec!["Unit note".to_string()]);
    assert_eq!(u.props[0].value, "0.97");
    assert_eq!(u.props[1].value, "one\ntwo");
    assert_eq!(u.variants[0].lang, "de");
    assert_eq!(u.variants[0].props[0].kind, "x-v");
    assert_eq!(u.variants[0].notes, vec!["v note".to_string()]);
    assert_eq!(
        u.variants[0].other_attrs,
        vec![("creationid".into(), "x".into())]
    );
    assert_eq!(texts(&units[..1]), vec![vec!["Guten Tag", "Bonjour"]]);
    assert!(units[1].variants[0].segment.is_empty());
    assert_eq!(units[1].number, 2);
    // The unreadable date is the only warning, and it names the unit and place.
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].location, "t.tmx:8:3");
    assert!(warnings[0]
        .message
        .starts_with("unit 1: changedate=\"yesterday\""));
    assert!(warnings[0].message.contains("kept as written"));
}

#[test]
fn every_encoding_reads_the_same() {
    let s = doc(&tu("Hello 📖 &amp; you", "Привет"));
    let want = vec![vec!["Hello 📖 & you".to_string(), "Привет".to_string()]];
    let mut cases: Vec<(&str, Vec<u8>, Detected)> = vec![
        ("utf8", s.clone().into_bytes(), Detected::Utf8),
        (
            "utf8 bom",
            [&[0xEF, 0xBB, 0xBF][..], s.as_bytes()].concat(),
            Detected::Utf8Bom,
        ),
    ];
    let s16 = s.replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
    for (le, bom) in [(true, true), (false, true), (true, false), (false, false)] {
        let d = if le {
            Detected::Utf16Le { bom }
        } else {
            Detected::Utf16Be { bom }
        };
        cases.push(("utf16", utf16(&s16, le, bom), d));
    }
    for (name, bytes, detected) in cases {
        let mut r = TmxReader::new(&bytes[..], "t.tmx", ReadOptions::default()).unwrap();
        assert_eq!(r.encoding(), detected, "{name}");
        let units: Vec<Unit> = r.by_ref().collect::<Result<_, _>>().unwrap();
        assert_eq!(texts(&units), want, "{name} {detected:?}");
        assert_eq!(r.take_warnings(), vec![], "{name} {detected:?}");
    }
}

#[test]
fn a_declaration_that_disagrees_with_the_bytes_is_trusted_less_than_the_bytes() {
    // memoQ-style: UTF-16LE with a BOM, declared as UTF-8 (pitfall P5).
    let bytes = utf16(&doc(&tu("One", "Один")), true, true);
    let (units, warnings) = read(&bytes, false);
    assert_eq!(texts(&units.unwrap()), vec![vec!["One", "Один"]]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].location, "t.tmx:1:1");
    assert!(
        warnings[0].message.contains("encoding=\"UTF-8\"")
            && warnings[0].message.contains("UTF-16LE (byte-order mark)"),
        "{}",
        warnings[0].message
    );
    // UTF-8 bytes declared as ISO-8859-1.
    let s = doc(&tu("café", "кафе")).replace("UTF-8", "ISO-8859-1");
    let (units, warnings) = read(s.as_bytes(), false);
    assert_eq!(texts(&units.unwrap()), vec![vec!["café", "кафе"]]);
    assert!(warnings[0].message.contains("read as UTF-8"));
}

#[test]
fn broken_utf16_and_utf8_are_errors_with_their_place() {
    let mut bytes = utf16(
        "<tmx version=\"1.4\"><body><tu><tuv xml:lang=\"en\"><seg>a",
        true,
        true,
    );
    bytes.extend_from_slice(&0xDC00u16.to_le_bytes());
    bytes.extend_from_slice(&utf16("</seg></tuv></tu></body></tmx>", true, false));
    let (units, _) = read(&bytes, false);
    let e = units.unwrap_err();
    match e.kind() {
        ErrorKind::Decode { encoding, byte, .. } => {
            assert_eq!(*encoding, "UTF-16LE");
            assert_eq!(*byte, bytes.len() as u64 - 2 - 60);
        }
        other => panic!("{other:?}"),
    }
    let mut s = doc(&tu("ok", "ok")).into_bytes();
    let at = s.windows(2).position(|w| w == b"ok").unwrap();
    s[at] = 0xFF;
    let (units, _) = read(&s, false);
    let (line, _, msg) = xml_err(&units.unwrap_err());
    assert_eq!(line, 6);
    assert!(msg.contains("invalid UTF-8"), "{msg}");
}

#[test]
fn legacy_lang_star_all_and_namespaced_roots() {
    let s = r#"<tmx version="1.1"><header srclang="*all*" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>
<tu><tuv lang="EN"><seg>A</seg></tuv><tuv lang="RU"><seg>Б</seg></tuv></tu>
<tu><tuv lang="EN"><seg>C</seg></tuv></tu>
</body></tmx>"#;
    let mut r = TmxReader::new(s.as_bytes(), "t.tmx", ReadOptions::default()).unwrap();
    let units: Vec<Unit> = r.by_ref().collect::<Result<_, _>>().unwrap();
    assert_eq!(units[0].variants[0].lang, "EN");
    assert_eq!(units[0].source_lang(r.header()), None, "*all*");
    assert_eq!(units[0].variant("en").unwrap().segment.plain_text(), "A");
    let w = r.take_warnings();
    assert_eq!(w.len(), 1, "one warning per file: {w:?}");
    assert!(w[0].message.contains("legacy lang="));
    assert!(w[0].message.starts_with("unit 1: "));

    for root in [
        r#"<tmx xmlns="http://www.lisa.org/tmx14" version="1.4">"#,
        r#"<t:tmx xmlns:t="http://www.lisa.org/tmx14" version="1.4">"#,
    ] {
        let prefixed = root.starts_with("<t:");
        let body = doc(&tu("Hi", "Привет"));
        let mut s = body.replace(r#"<tmx version="1.4">"#, root);
        if prefixed {
            for name in ["header", "body", "tuv", "seg", "tu", "tmx"] {
                s = s
                    .replace(&format!("<{name}"), &format!("<t:{name}"))
                    .replace(&format!("</{name}>"), &format!("</t:{name}>"));
            }
            s = s.replace("<t:t:tmx", "<t:tmx");
        }
        let (units, warnings) = ok(&s);
        assert_eq!(texts(&units), vec![vec!["Hi", "Привет"]], "{s}");
        assert!(warnings.is_empty(), "{warnings:?}");
    }
}

#[test]
fn versions_and_missing_header_attributes_warn_but_read() {
    for v in ["1.1", "1.2", "1.3", "1.4", "1.4b"] {
        let s = doc(&tu("a", "b")).replace("version=\"1.4\"", &format!("version=\"{v}\""));
        assert!(ok(&s).1.is_empty(), "{v}");
    }
    let s = doc(&tu("a", "b")).replace("version=\"1.4\"", "version=\"2.0\"");
    assert!(ok(&s).1[0].message.contains("unknown TMX version \"2.0\""));
    let s = "<tmx version=\"1.4\"><header srclang=\"en\"/><body></body></tmx>";
    let (units, w) = ok(s);
    assert!(units.is_empty());
    assert!(w[0]
        .message
        .contains("creationtool, creationtoolversion, segtype, o-tmf"));
    let (units, w) = ok("<tmx version=\"1.4\"><body/></tmx>");
    assert!(units.is_empty());
    assert!(w[0].message.contains("no <header>"));
}

#[test]
fn inline_markup_round_trips_and_strips() {
    let segs = [
        r#"Press <bpt i="1" x="1" type="bold">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> now."#,
        r#"See <ph x="2" type="image">&lt;img alt="<sub>Logo &amp; name</sub>"/&gt;</ph> and <hi type="em">this <hi x="3">too</hi></hi>."#,
        r#"<it pos="begin" x="4">&lt;i&gt;</it>Half<ut>{\b}</ut> &amp; &lt;raw&gt;<ph/>"#,
        "Tab\there &#13; line\nend 📖",
    ];
    let body: String = segs.iter().map(|s| tu(s, "x")).collect();
    let (units, warnings) = ok(&doc(&body));
    assert!(warnings.is_empty(), "{warnings:?}");
    let xml: Vec<String> = units
        .iter()
        .map(|u| u.variants[0].segment.to_xml())
        .collect();
    assert_eq!(xml[0], segs[0]);
    assert_eq!(xml[1], segs[1]);
    assert_eq!(xml[2], segs[2]);
    assert_eq!(xml[3], "Tab\there &#13; line\nend 📖");
    let plain: Vec<String> = units
        .iter()
        .map(|u| u.variants[0].segment.plain_text())
        .collect();
    assert_eq!(plain[0], "Press OK now.");
    assert_eq!(plain[1], "See  and this too.");
    assert_eq!(plain[2], "Half & <raw>");
    assert_eq!(plain[3], "Tab\there \r line\nend 📖");
    assert_eq!(units[1].variants[0].segment.tag_count(), 4);
    // A second read of the written form gives the same segment.
    let again = doc(&tu(&xml[1], "x"));
    assert_eq!(
        ok(&again).0[0].variants[0].segment,
        units[1].variants[0].segment
    );
    // CDATA is text; a non-TMX element inside seg is kept, with one warning per file.
    let (units, warnings) = ok(&doc(&tu("<![CDATA[a<b]]> <g id=\"1\">x</g><g>y</g>", "x")));
    assert_eq!(
        units[0].variants[0].segment.to_xml(),
        "a&lt;b <g id=\"1\">x</g><g>y</g>"
    );
    assert_eq!(units[0].variants[0].segment.plain_text(), "a<b xy");
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0]
        .message
        .contains("<g> inside <seg> is not TMX inline markup"));
}

#[test]
fn undefined_entities_are_refused_with_line_column_and_unit() {
    let s = doc(&format!(
        "{}{}",
        tu("one", "один"),
        tu("17&nbsp;May", "17 мая")
    ));
    let (line, column, msg) = err(&s);
    assert_eq!((line, column), (10, 36));
    assert!(
        msg.starts_with("unit 2: the entity &nbsp; is not defined"),
        "{msg}"
    );
    assert!(msg.contains("&#xA0;"), "{msg}");
    let e = read(s.as_bytes(), false).0.unwrap_err().to_string();
    assert!(e.starts_with("t.tmx:10:36: unit 2: "), "{e}");
    // In an attribute too, and in a prop.
    let (_, _, msg) = err(&doc(&tu("a", "b").replace("<tu>", "<tu tuid=\"&eacute;\">")));
    assert!(
        msg.contains("attribute tuid: the entity &eacute; is not defined"),
        "{msg}"
    );
    let (_, _, msg) = err(&doc(
        &tu("a", "b").replace("<tu>", "<tu><prop type=\"x\">&copy;</prop>")
    ));
    assert!(msg.contains("&copy;"), "{msg}");
    // A bare ampersand is malformed XML.
    let (line, _, msg) = err(&doc(&tu("A & B", "b")));
    assert_eq!(line, 6);
    assert!(msg.contains("malformed XML"), "{msg}");
}

#[test]
fn doctype_entities_are_refused_quickly_and_dtds_are_never_fetched() {
    let mut bomb =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n <!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        bomb.push_str(&format!(
            " <!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    bomb.push_str("]>\n");
    bomb.push_str(
        &doc(&tu("&lol9;", "b")).replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", ""),
    );
    let t = Instant::now();
    let e = TmxReader::new(
        bomb.as_bytes(),
        "t.tmx",
        ReadOptions {
            lenient: true,
            ..ReadOptions::default()
        },
    )
    .err()
    .expect("refused");
    assert!(t.elapsed().as_secs() < 2);
    let (line, column, msg) = xml_err(&e);
    assert_eq!((line, column), (2, 1));
    assert!(msg.contains("declares entities"), "{msg}");
    // An external DTD is named but not fetched (the URL does not resolve).
    let s = doc(&tu("a", "b")).replace(
        "<tmx version",
        "<!DOCTYPE tmx SYSTEM \"http://invalid.example/tmx14.dtd\">\n<tmx version",
    );
    assert_eq!(ok(&s).0.len(), 1);
}

#[test]
fn illegal_characters_are_refused_raw_or_referenced() {
    for (seg, what) in [
        ("a&#x1;b", "U+0001"),
        ("a&#xD83D;&#xDCD6;", "U+D83D"),
        ("a&#xFFFF;", "U+FFFF"),
        ("a&#0;", "&#0;"),
        ("a&#x110000;", "&#x110000;"),
        ("a&#xZZ;", "not a valid character reference"),
        ("a\u{1}b", "U+0001"),
        ("a\u{FFFE}", "U+FFFE"),
    ] {
        let (line, column, msg) = err(&doc(&tu(seg, "b")));
        assert_eq!(line, 6, "{seg}");
        assert!(
            msg.starts_with("unit 1: ") && msg.contains(what),
            "{seg}: {msg}"
        );
        if seg.contains('\u{1}') {
            assert_eq!(column, 35, "the column of the character itself");
        }
    }
    let (units, _) = ok(&doc(&tu("&#x1F4D6;&#9;&#xA0;&#169;", "b")));
    assert_eq!(units[0].variants[0].segment.plain_text(), "📖\t\u{A0}©");
}

#[test]
fn a_broken_unit_is_an_error_by_default_and_skipped_with_a_warning_when_lenient() {
    let body = [
        tu("one", "один"),
        "    <tu>\n      <tuv xml:lang=\"en-US\">two</tuv>\n    </tu>\n".to_string(),
        tu("three", "три"),
        "    <tu tuid=\"x\"/>\n".to_string(),
        "    <tu><tuv><seg>no lang</seg></tuv></tu>\n".to_string(),
        "    <tu><tuv xml:lang=\"en\"><seg>a</seg></tuv><foo/></tu>\n".to_string(),
        "    <tu><tuv xml:lang=\"en\"><seg>a&nbsp;<bpt i=\"1\">x</bpt></seg></tuv></tu>\n"
            .to_string(),
        tu("eight", "восемь"),
    ]
    .concat();
    let s = doc(&body);
    let (units, _) = read(s.as_bytes(), false);
    let (line, column, msg) = xml_err(&units.unwrap_err());
    assert_eq!((line, column), (10, 29), "{msg}");
    assert_eq!(
        msg,
        "unit 2: text directly inside <tuv>: it must be inside <seg>"
    );

    let (units, warnings) = read(s.as_bytes(), true);
    let units = units.unwrap();
    assert_eq!(
        units.iter().map(|u| u.number).collect::<Vec<_>>(),
        vec![1, 3, 8]
    );
    assert_eq!(texts(&units)[2], vec!["eight", "восемь"]);
    assert_eq!(warnings.len(), 5, "{warnings:?}");
    let w: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        w[0],
        "t.tmx:9:5: unit 2 skipped: text directly inside <tuv>: it must be inside <seg> (at 10:29)"
    );
    assert!(
        w[1].contains("unit 4 skipped: <tu> has no <tuv>"),
        "{}",
        w[1]
    );
    assert!(
        w[2].contains("unit 5 skipped") && w[2].contains("no xml:lang"),
        "{}",
        w[2]
    );
    assert!(
        w[3].contains("unit 6 skipped") && w[3].contains("<foo>"),
        "{}",
        w[3]
    );
    assert!(
        w[4].contains("unit 7 skipped") && w[4].contains("&nbsp;"),
        "{}",
        w[4]
    );
}

#[test]
fn structural_errors_are_errors_even_when_lenient() {
    for (s, want) in [
        (doc(&tu("a</tuv>", "b")), "malformed XML"),
        (doc(&tu("a", "b")).replace("</body>", ""), "malformed XML"),
        ("<html><body/></html>".to_string(), "not a TMX file"),
        ("".to_string(), "no <tmx> element"),
        (
            doc(&tu("a", "b")).replace("</tmx>", "</tmx><tmx/>"),
            "after </body>",
        ),
    ] {
        let (units, _) = read(s.as_bytes(), true);
        let (line, column, msg) = xml_err(&units.unwrap_err());
        assert!(msg.contains(want), "{s}: {msg}");
        if s.contains("a</tuv>") {
            // The stray end tag itself: line 6, after `<seg>a`.
            assert_eq!((line, column), (6, 35), "{msg}");
            assert!(msg.starts_with("unit 1: malformed XML"), "{msg}");
        }
    }
    // Text directly in <tu> spoils only that unit: an error, or skipped when lenient.
    let s = doc(&format!("    <tu>x</tu>\n{}", tu("a", "b")));
    let (units, _) = read(s.as_bytes(), false);
    assert!(xml_err(&units.unwrap_err())
        .2
        .contains("text directly inside <tu>"));
    let (units, warnings) = read(s.as_bytes(), true);
    assert_eq!(units.unwrap().len(), 1);
    assert!(warnings[0].message.contains("unit 1 skipped"));
}

#[test]
fn a_truncated_file_is_an_error_never_a_short_result() {
    let full = doc(&[tu("one", "один"), tu("two", "два")].concat());
    // Cut at every byte: each prefix either errors or (only the whole file) reads fully.
    for cut in 0..full.len() {
        let prefix = &full.as_bytes()[..cut];
        let (units, _) = read(prefix, true);
        assert!(
            units.is_err() || full[cut..].trim().is_empty(),
            "cut at {cut} read as complete: {:?}",
            &full[..cut]
        );
    }
    // The error comes after the units that were complete, never instead of the report.
    let cut = full
        .find("<tu>\n      <tuv xml:lang=\"en-US\"><seg>two")
        .unwrap()
        + 30;
    let mut r = TmxReader::new(&full.as_bytes()[..cut], "t.tmx", ReadOptions::default()).unwrap();
    assert!(r.next().unwrap().is_ok());
    let e = r.next().unwrap().unwrap_err();
    let (line, _, msg) = xml_err(&e);
    assert!(line >= 10, "{msg}");
    assert!(
        msg.contains("unit 2") && (msg.contains("truncated") || msg.contains("malformed")),
        "{msg}"
    );
    assert!(r.next().is_none());
}

/// A reader that generates a large TMX on the fly and records how it is read.
struct Generated {
    units: usize,
    next: usize,
    pending: Vec<u8>,
    at: usize,
    stage: u8,
    bytes_read: u64,
    max_request: usize,
}

impl Generated {
    fn new(units: usize) -> Generated {
        Generated {
            units,
            next: 0,
            pending: Vec::new(),
            at: 0,
            stage: 0,
            bytes_read: 0,
            max_request: 0,
        }
    }

    fn refill(&mut self) {
        self.pending.clear();
        self.at = 0;
        match self.stage {
            0 => {
                self.pending
                    .extend_from_slice(doc("").split("  </body>").next().unwrap().as_bytes());
                self.stage = 1;
            }
            1 if self.next < self.units => {
                let n = self.next;
                self.next += 1;
                self.pending.extend_from_slice(
                    format!(
                        "    <tu tuid=\"{n}\"><prop type=\"x-score\">0.9</prop>\n      <tuv xml:lang=\"en-US\"><seg>Sentence {n} &amp; <ph x=\"1\">&lt;br/&gt;</ph>more.</seg></tuv>\n      <tuv xml:lang=\"ru-RU\"><seg>Предложение {n} и ещё.</seg></tuv>\n    </tu>\n"
                    )
                    .as_bytes(),
                );
            }
            1 => {
                self.pending.extend_from_slice(b"  </body>\n</tmx>\n");
                self.stage = 2;
            }
            _ => {}
        }
    }
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.max_request = self.max_request.max(out.len());
        if self.at == self.pending.len() {
            self.refill();
        }
        let n = (self.pending.len() - self.at).min(out.len());
        out[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        self.bytes_read += n as u64;
        Ok(n)
    }
}

#[test]
fn streams_a_200k_unit_file_in_bounded_memory() {
    let n = 200_000;
    let mut r = TmxReader::new(Generated::new(n), "big.tmx", ReadOptions::default()).unwrap();
    let start = Instant::now();
    let first = r.next().unwrap().unwrap();
    assert_eq!(first.tuid.as_deref(), Some("0"));
    let read_at_first = r.tracker().source().inner().bytes_read;
    let mut count = 1;
    let mut last = first;
    for u in r.by_ref() {
        let u = u.unwrap();
        count += 1;
        last = u;
    }
    let elapsed = start.elapsed();
    assert_eq!(count, n);
    assert_eq!(last.number, n as u64);
    assert_eq!(
        last.variants[0].segment.plain_text(),
        format!("Sentence {} & more.", n - 1)
    );
    let total = r.tracker().source().inner().bytes_read;
    let generated = r.tracker().source().inner().max_request;
    assert!(total > 40_000_000, "{total}");
    // The first unit arrives after at most one chunk, long before the end of the input.
    assert!(read_at_first <= 2 * CHUNK as u64, "{read_at_first}");
    // Never more than one chunk asked for at once, and the buffer stays small.
    assert!(generated <= CHUNK, "{generated}");
    assert!(r.tracker().capacity() <= 1 << 20);
    println!(
        "tm::read: {count} units, {:.1} MB in {:.2} s = {:.0} MB/s",
        total as f64 / 1e6,
        elapsed.as_secs_f64(),
        total as f64 / 1e6 / elapsed.as_secs_f64()
    );
}

/// Writes one unit the way a minimal TMX writer would (for the property test).
fn write_unit(src: &str, tgt: &str, prop: &str) -> String {
    format!(
        "<tu><prop type=\"x-p\">{}</prop><tuv xml:lang=\"en\"><seg>{}</seg></tuv><tuv xml:lang=\"ru\"><seg>{}</seg></tuv></tu>\n",
        escape_text(prop),
        escape_text(src),
        escape_text(tgt)
    )
}

/// Text of XML 1.0 characters, biased towards markup characters and astral ones.
fn xml_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("&".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("]]>".to_string()),
        Just("&amp;".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\t".to_string()),
        Just("📖".to_string()),
        Just("\u{A0}".to_string()),
        any::<char>()
            .prop_filter("XML Char", |&c| super::read::is_xml_char(c))
            .prop_map(|c| c.to_string()),
        "[a-zа-я ]{1,8}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn written_units_read_back_identically(units in prop::collection::vec((xml_text(), xml_text(), xml_text()), 1..5)) {
        let body: String = units.iter().map(|(s, t, p)| write_unit(s, t, p)).collect();
        let (read_units, warnings) = read(doc(&body).as_bytes(), false);
        let read_units = read_units.unwrap();
        prop_assert!(warnings.is_empty());
        prop_assert_eq!(read_units.len(), units.len());
        for (u, (s, t, p)) in read_units.iter().zip(&units) {
            prop_assert_eq!(&u.variants[0].segment.plain_text(), s);
            prop_assert_eq!(&u.variants[1].segment.plain_text(), t);
            prop_assert_eq!(&u.props[0].value, p);
            prop_assert_eq!(&u.variants[0].segment, &Segment::from_text(s.clone()));
        }
    }
}

#[test]
fn a_legacy_lang_that_contradicts_xml_lang_is_kept_not_lost() {
    let (units, _) = ok(&doc(
        r#"<tu><tuv xml:lang="en-US" lang="EN-US"><seg>A</seg></tuv><tuv xml:lang="ru-RU" lang="uk"><seg>Б</seg></tuv></tu>"#,
    ));
    let [en, ru] = &units[0].variants[..] else {
        panic!("two variants expected: {units:?}");
    };
    assert!(
        en.other_attrs.is_empty(),
        "the same language spelled otherwise"
    );
    assert_eq!(ru.lang, "ru-RU");
    assert_eq!(ru.other_attrs, vec![("lang".to_string(), "uk".to_string())]);
}

#[test]
fn a_unit_larger_than_the_cap_is_refused_at_its_tu_before_it_is_read() {
    let limit = 4 * CHUNK as u64;
    let big = "a".repeat(3 * limit as usize);
    let text = doc(&format!("{}{}", tu("small", "мал"), tu(&big, "b")));
    let options = ReadOptions {
        max_unit_bytes: Some(limit),
        ..ReadOptions::default()
    };
    let mut r = TmxReader::new(text.as_bytes(), "t.tmx", options).unwrap();
    assert!(r.next().unwrap().is_ok());
    let e = r.next().unwrap().unwrap_err();
    let (line, column, message) = xml_err(&e);
    // The second <tu> opens on line 9, column 5.
    assert_eq!((line, column), (9, 5), "{message}");
    assert!(
        message.starts_with("unit 2: the unit starting here is larger than"),
        "{message}"
    );
    assert!(message.contains("--max-unit-bytes"), "{message}");
    assert!(r.next().is_none());
    // The reader stopped within a chunk or two of the limit instead of reading the segment.
    assert!(r.tracker().capacity() as u64 <= limit + 2 * CHUNK as u64);
    // Lenient does not skip it (where the next unit starts is not known without reading it).
    let (units, _) = read(text.as_bytes(), true);
    assert!(units.is_ok(), "the default cap (16 MiB) reads it");
    // Units under the cap, together far over it, read.
    let many: String = (0..64).map(|i| tu(&format!("s{i}"), "т")).collect();
    let options = ReadOptions {
        max_unit_bytes: Some(512),
        ..ReadOptions::default()
    };
    let many = doc(&many);
    let r = TmxReader::new(many.as_bytes(), "t.tmx", options).unwrap();
    assert_eq!(r.collect::<Result<Vec<_>, _>>().unwrap().len(), 64);
}

#[test]
fn a_body_without_units_is_warned() {
    for body in ["", "<!-- nothing -->\n"] {
        let (units, warnings) = ok(&doc(body));
        assert!(units.is_empty());
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].to_string(),
            "t.tmx: <body> holds no <tu>: nothing was read"
        );
    }
    let empty = doc("").replace("<body>\n  </body>", "<body/>");
    let (_, warnings) = ok(&empty);
    assert_eq!(warnings.len(), 1, "{empty}");
    let (_, warnings) = ok(&doc(&tu("a", "б")));
    assert!(warnings.is_empty());
}

#[test]
fn language_tags_that_are_not_bcp_47_are_refused_where_they_stand() {
    let bad = "    <tu>\n      <tuv xml:lang=\"../../etc\"><seg>a</seg></tuv>\n      <tuv xml:lang=\"ru&#10;x\"><seg>b</seg></tuv>\n    </tu>\n";
    let text = doc(&format!("{bad}{}", tu("ok", "да")));
    let (units, _) = read(text.as_bytes(), false);
    let e = units.unwrap_err();
    let (line, column, message) = xml_err(&e);
    assert_eq!((line, column), (6, 7));
    assert!(
        message.starts_with("unit 1: <tuv xml:lang>: \"../../etc\" is not a BCP 47"),
        "{message}"
    );
    // Lenient skips the unit, warned; the next one is read.
    let (units, warnings) = read(text.as_bytes(), true);
    assert_eq!(units.unwrap().len(), 1);
    assert!(
        warnings[0].to_string().contains("unit 1 skipped"),
        "{warnings:?}"
    );
    // A per-unit srclang and the header's srclang/adminlang too; en_US is repaired, not refused.
    let tu_src = doc("    <tu srclang=\"e n\"><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>\n");
    let (units, _) = read(tu_src.as_bytes(), false);
    assert!(xml_err(&units.unwrap_err())
        .2
        .contains("<tu srclang>: \"e n\""));
    let header = doc("").replace("srclang=\"en-US\"", "srclang=\"ru&#10;x\"");
    let (units, _) = read(header.as_bytes(), false);
    assert!(xml_err(&units.unwrap_err()).2.contains("<header srclang>"));
    let (units, _) = ok(&doc(&tu("a", "b")).replace("en-US", "en_us"));
    assert_eq!(units[0].variants[0].lang, "en_us");
    // An empty header srclang or adminlang, or tu srclang, is read as absent, as before.
    let empty = doc(&tu("a", "b"))
        .replace("adminlang=\"en-US\"", "adminlang=\"\"")
        .replace("<tu>", "<tu srclang=\" \">");
    assert_eq!(ok(&empty).0.len(), 1);
}

#[test]
fn an_attribute_given_twice_is_refused_at_its_tag() {
    // Checked by the reader itself (quick-xml's check allocated for every tag): the same name
    // twice, prefixed or not, is an error naming it; distinct names that share a local part
    // are not duplicates.
    let body = [
        tu("one", "один"),
        "    <tu tuid=\"a\" tuid=\"b\"><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>\n".to_string(),
        "    <tu><tuv xml:lang=\"en\" xml:lang=\"fr\"><seg>y</seg></tuv></tu>\n".to_string(),
        "    <tu><tuv xml:lang=\"en\" lang=\"en\"><seg>z</seg></tuv></tu>\n".to_string(),
    ]
    .concat();
    let s = doc(&body);
    let (line, column, msg) = err(&s);
    assert_eq!((line, column), (9, 5), "{msg}");
    assert_eq!(msg, "unit 2: malformed attribute: tuid is given twice");
    let (units, warnings) = read(s.as_bytes(), true);
    let units = units.unwrap();
    assert_eq!(
        units.iter().map(|u| u.number).collect::<Vec<_>>(),
        vec![1, 4]
    );
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[1]
            .to_string()
            .contains("unit 3 skipped: malformed attribute: xml:lang is given twice (at 10:9)"),
        "{}",
        warnings[1]
    );
}
