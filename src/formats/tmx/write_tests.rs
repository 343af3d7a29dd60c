//! Tests of the TMX writer, and the helpers other format tests share (arbitrary units, DTD
//! validation, reading back).

use std::process::Command;

use proptest::prelude::*;

use super::*;
use crate::formats::tmx::{ReadOptions, TmxReader};
use crate::unit::Variant;

/// Validates `xml` against the TMX 1.4 DTD (`fixtures/spec/tmx14.dtd`) with xmllint;
/// skipped (a visible line) when xmllint is missing, a failure when the environment variable
/// CI is set.
pub(crate) fn assert_valid_tmx(xml: &str) {
    let available = Command::new("xmllint").arg("--version").output().is_ok();
    if !available {
        crate::test_support::skip(
            "TMX validation against the TMX 1.4 DTD: xmllint is not installed (Debian package \
             libxml2-utils)",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.tmx");
    std::fs::write(&file, xml).unwrap();
    let out = Command::new("xmllint")
        .args(["--noout", "--nonet", "--dtdvalid"])
        .arg(crate::test_support::tmx_dtd())
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "xmllint rejects the output: {stderr}\n{xml}"
    );
}

pub(crate) fn text(s: &str) -> Piece {
    Piece::Text(s.into())
}

pub(crate) fn tag(name: &str, attrs: &[(&str, &str)], content: Vec<Piece>) -> Piece {
    Piece::Tag(Tag {
        name: name.into(),
        attrs: attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        content,
    })
}

pub(crate) fn variant(lang: &str, pieces: Vec<Piece>) -> Variant {
    Variant::new(lang, Segment { pieces })
}

pub(crate) fn unit(number: u64, variants: Vec<Variant>) -> Unit {
    Unit::new(number, number * 10, variants)
}

fn header() -> Header {
    Header {
        srclang: Some("en-US".into()),
        ..Header::default()
    }
}

pub(crate) fn write_all(
    header: &Header,
    units: &[Unit],
    options: WriteOptions,
) -> (String, Vec<bool>, Vec<Warning>) {
    let mut w = TmxWriter::new(Vec::new(), header, options).unwrap();
    let wrote = units.iter().map(|u| w.write(u).unwrap()).collect();
    let warnings = w.take_warnings();
    let bytes = w.finish().unwrap();
    (String::from_utf8(bytes).unwrap(), wrote, warnings)
}

pub(crate) fn read_all(xml: &str) -> (Header, Vec<Unit>) {
    let mut r = TmxReader::new(xml.as_bytes(), "out.tmx", ReadOptions::default())
        .unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let units = r
        .by_ref()
        .collect::<crate::Result<Vec<_>>>()
        .unwrap_or_else(|e| panic!("{e}\n{xml}"));
    (r.header().clone(), units)
}

fn has(warnings: &[Warning], location: &str, needle: &str) -> bool {
    warnings
        .iter()
        .any(|w| w.location == location && w.message.contains(needle))
}

/// A unit holding everything a real memory may: nested inline markup, props, notes, dates,
/// legacy and unknown attributes, illegal characters, `en_US` tags.
fn rich() -> Vec<Unit> {
    let mut u1 = unit(
        1,
        vec![
            variant(
                "en_US",
                vec![
                    text("Press "),
                    tag(
                        "bpt",
                        &[("i", "1"), ("x", "1"), ("type", "bold")],
                        vec![text("<b>")],
                    ),
                    text("OK"),
                    tag("ept", &[("i", "1")], vec![text("</b>")]),
                    text(" & see "),
                    tag(
                        "ph",
                        &[("x", "2"), ("type", "image")],
                        vec![
                            text("<img alt=\""),
                            tag(
                                "sub",
                                &[("type", "alt")],
                                vec![text("a "), tag("hi", &[("type", "em")], vec![text("logo")])],
                            ),
                            text("\">"),
                        ],
                    ),
                    tag(
                        "hi",
                        &[("type", "x-a")],
                        vec![text("now "), tag("hi", &[], vec![text("nested")])],
                    ),
                    tag("it", &[("pos", "begin"), ("x", "3")], vec![text("<i>")]),
                    tag("ut", &[], vec![text("{\\b}")]),
                    text(" 17\u{A0}May 📖 \"q\" 'a' ]]>\tTAB\r\nCRLF"),
                ],
            ),
            variant(
                "ru-ru",
                vec![
                    text("Нажмите "),
                    tag("bpt", &[("i", "1"), ("x", "1")], vec![text("<b>")]),
                    text("ОК"),
                    tag("ept", &[("i", "1")], vec![text("</b>")]),
                ],
            ),
        ],
    );
    u1.tuid = Some("a\"1".into());
    u1.creationdate = Some(Date::parse("2024-01-15T15:00:00+03:00"));
    u1.changedate = Some(Date::parse("yesterday"));
    u1.other_attrs = vec![
        ("usagecount".into(), "3".into()),
        ("lastusagedate".into(), "2024-02-01".into()),
        ("x-foo".into(), "bar".into()),
        ("segtype".into(), "word".into()),
    ];
    u1.props = vec![
        Prop {
            kind: "x-score".into(),
            value: "0.97".into(),
        },
        Prop {
            kind: "x-Comment:MultipleString".into(),
            value: "a <b> & \u{1}c".into(),
        },
    ];
    u1.notes = vec!["checked \u{B}by hand".into(), String::new()];
    u1.variants[0].other_attrs = vec![
        ("lang".into(), "EN-US".into()),
        ("creationid".into(), "me".into()),
        ("changedate".into(), "20240101T000000Z".into()),
    ];
    u1.variants[1].other_attrs = vec![("lang".into(), "de".into())];
    u1.variants[1].props = vec![Prop {
        kind: "x-v".into(),
        value: "1".into(),
    }];
    u1.variants[1].notes = vec!["variant note".into()];
    // Empty and illegal-only segments, a third language, repairs of invalid markup.
    let u2 = unit(
        2,
        vec![
            variant(
                "en-US",
                vec![
                    text("Bad\u{1}\u{FFFF} one "),
                    tag("g", &[("id", "1")], vec![text("wrapped")]),
                    tag("x", &[("id", "2")], vec![]),
                ],
            ),
            variant("ru-RU", vec![text("  \u{2} ")]),
            variant(
                "de-de",
                vec![
                    tag("bpt", &[("x", "1")], vec![text("<b>")]),
                    text("Gut"),
                    tag("ept", &[], vec![text("</b>")]),
                    tag("it", &[("pos", "middle")], vec![]),
                    tag("sub", &[], vec![text("top-level sub")]),
                    tag(
                        "ph",
                        &[("id", "7"), ("x", "1")],
                        vec![tag("ph", &[], vec![text("inner")])],
                    ),
                ],
            ),
        ],
    );
    // A unit with one variant left: skipped.
    let u3 = unit(
        3,
        vec![
            variant("en-US", vec![text("Alone")]),
            variant("ru-RU", vec![]),
        ],
    );
    // A unit without a variant in the source language.
    let mut u4 = unit(
        4,
        vec![
            variant("de", vec![text("Hallo")]),
            variant("fr", vec![text("Salut")]),
        ],
    );
    u4.srclang = Some("DE".into());
    let u5 = unit(
        5,
        vec![
            variant("fr", vec![text("Bonjour")]),
            variant("es", vec![text("Hola")]),
        ],
    );
    vec![u1, u2, u3, u4, u5]
}

#[test]
fn rich_units_validate_against_the_dtd_and_read_back() {
    let mut header = header();
    header.srclang = Some("en_us".into());
    header.segtype = Some("sentence".into());
    header.other_attrs = vec![
        ("creationid".into(), "me".into()),
        ("bogus".into(), "1".into()),
    ];
    header.props = vec![Prop {
        kind: "x-h".into(),
        value: "header prop".into(),
    }];
    header.notes = vec!["header note".into()];
    let units = rich();
    let (xml, wrote, warnings) = write_all(&header, &units, WriteOptions::default());
    assert_valid_tmx(&xml);
    assert_eq!(wrote, vec![true, true, false, true, true]);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  <header creationtool=\"bitext\" creationtoolversion=\""));
    assert!(xml.contains(" srclang=\"en-US\""), "{xml}");
    assert!(!xml.contains("en_US") && !xml.contains("ru-ru"));
    // Dates normalised; an unreadable one kept as a prop.
    assert!(xml.contains("creationdate=\"20240115T120000Z\""));
    assert!(xml.contains("<prop type=\"x-attr-changedate\">yesterday</prop>"));
    assert!(xml.contains("lastusagedate=\"20240201T000000Z\""));
    assert!(xml.contains("<prop type=\"x-attr-x-foo\">bar</prop>"));
    assert!(xml.contains("<prop type=\"x-attr-segtype\">word</prop>"));
    assert!(xml.contains("<prop type=\"x-attr-lang\">de</prop>"));
    assert!(xml.contains("<prop type=\"x-attr-bogus\">1</prop>"));
    assert!(xml.contains(" tuid=\"a&quot;1\""));
    // Illegal characters dropped everywhere, with one warning per unit.
    assert!(!xml.contains('\u{1}') && !xml.contains('\u{B}') && !xml.contains('\u{FFFF}'));
    assert!(
        has(
            &warnings,
            "unit 1 (line 10)",
            "dropped 2 character(s) not allowed in XML 1.0 (U+0001, U+000B)"
        ),
        "{warnings:#?}"
    );
    assert!(has(
        &warnings,
        "unit 1 (line 10)",
        "language tag \"en_US\" read as \"en-US\""
    ));
    assert!(has(&warnings, "unit 2 (line 20)", "the ru-RU variant was left out: its segment is empty once the characters XML 1.0 forbids are dropped"));
    assert!(has(
        &warnings,
        "unit 3 (line 30)",
        "the ru-RU variant was left out: its segment is empty"
    ));
    assert!(has(
        &warnings,
        "unit 3 (line 30)",
        "unit skipped: 1 variant(s)"
    ));
    assert!(has(
        &warnings,
        "unit 5 (line 50)",
        "no variant in the source language en-US; written with srclang=\"*all*\""
    ));
    assert!(has(
        &warnings,
        "unit 2 (line 20)",
        "<g> is not TMX inline markup"
    ));
    assert!(has(
        &warnings,
        "unit 2 (line 20)",
        "a <bpt> without i was written as <it pos=\"begin\">"
    ));
    assert!(has(
        &warnings,
        "unit 2 (line 20)",
        "attribute id=\"7\" on <ph> dropped"
    ));
    // Read back: text, tags, props and notes of unit 1 survive exactly.
    let (h, back) = read_all(&xml);
    assert_eq!(h.srclang.as_deref(), Some("en-US"));
    assert_eq!(h.props[0], header.props[0]);
    assert_eq!(h.props[1].kind, "x-attr-bogus");
    assert_eq!(h.notes, header.notes);
    assert_eq!(back.len(), 4);
    let mut want = units[0].variants[0].segment.clone();
    // The writer drops nothing from this segment but a CR LF is CR LF (escaped CR).
    assert_eq!(back[0].variants[0].segment, want);
    assert_eq!(back[0].variants[1].segment, units[0].variants[1].segment);
    assert_eq!(back[0].variants[1].props[0], units[0].variants[1].props[0]);
    assert_eq!(back[0].variants[1].notes, units[0].variants[1].notes);
    assert_eq!(
        back[0].notes,
        vec!["checked by hand".to_string(), String::new()]
    );
    assert_eq!(back[0].props[1].value, "a <b> & c");
    assert_eq!(back[0].tuid.as_deref(), Some("a\"1"));
    assert_eq!(back[0].variants[0].lang, "en-US");
    want.pieces.clear();
    // Unit 2: en-US and de-DE kept, markup repaired into valid TMX.
    assert_eq!(back[1].variants.len(), 2);
    assert_eq!(back[1].variants[1].lang, "de-DE");
    assert_eq!(
        back[1].variants[0].segment.to_xml(),
        "Bad one <bpt i=\"1\">&lt;g id=\"1\"&gt;</bpt>wrapped<ept i=\"1\">&lt;/g&gt;</ept><ph>&lt;x id=\"2\"/&gt;</ph>"
    );
    assert_eq!(
        back[1].variants[1].segment.to_xml(),
        "<it pos=\"begin\" x=\"1\">&lt;b&gt;</it>Gut<it pos=\"end\">&lt;/b&gt;</it><ph/>top-level sub<ph x=\"1\">&lt;ph&gt;inner&lt;/ph&gt;</ph>"
    );
    // Unit 4's own srclang is written; unit 5 has none of the header's.
    assert_eq!(back[2].srclang.as_deref(), Some("de"));
    assert_eq!(back[3].srclang.as_deref(), Some("*all*"));
    assert!(xml.contains("<tu srclang=\"de\">"));
}

#[test]
fn a_rejected_file_keeps_one_sided_and_blank_units_a_memory_refuses() {
    let units = vec![
        unit(1, vec![variant("en-US", vec![text("Only English.")])]),
        unit(
            2,
            vec![
                variant("en-US", vec![text("Blank target.")]),
                variant("ru-RU", vec![]),
            ],
        ),
        unit(
            3,
            vec![variant("en-US", vec![text(" ")]), variant("ru-RU", vec![])],
        ),
    ];
    // The main output skips all three, warned.
    let (_, wrote, warnings) = write_all(&header(), &units, WriteOptions::default());
    assert_eq!(wrote, vec![false, false, false]);
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.to_string().contains("unit skipped"))
            .count(),
        3
    );
    // A rejected file writes each as it was, valid against the DTD.
    let mut w = TmxWriter::new(Vec::new(), &header(), WriteOptions::default()).unwrap();
    w.keep_one_sided();
    for u in &units {
        assert!(w.write(u).unwrap());
    }
    let xml = String::from_utf8(w.finish().unwrap()).unwrap();
    assert_valid_tmx(&xml);
    assert_eq!(
        xml.matches("<tu>").count() + xml.matches("<tu ").count(),
        3,
        "{xml}"
    );
    assert_eq!(
        xml.matches("<note>bitext: written with one language variant")
            .count(),
        1
    );
    assert!(
        xml.contains("<tuv xml:lang=\"ru-RU\"><seg></seg></tuv>"),
        "{xml}"
    );
    let (_, back) = read_all(&xml);
    assert_eq!(back.len(), 3);
    assert_eq!(back[0].variants.len(), 1);
}

#[test]
fn strip_tags_writes_plain_text() {
    let units = rich();
    let (xml, wrote, warnings) = write_all(&header(), &units, WriteOptions { strip_tags: true });
    assert_valid_tmx(&xml);
    assert_eq!(wrote, vec![true, true, false, true, true]);
    let (_, back) = read_all(&xml);
    assert_eq!(back[0].variants[0].segment.pieces.len(), 1);
    assert_eq!(
        back[0].variants[1].segment,
        Segment::from_text("Нажмите ОК")
    );
    assert_eq!(
        back[0].variants[0].segment.plain_text(),
        units[0].variants[0].segment.plain_text()
    );
    assert!(!xml.contains("<bpt") && !xml.contains("<ph"));
    // A segment made of a tag only is empty once stripped.
    let only_tag = unit(
        9,
        vec![
            variant("en-US", vec![tag("ph", &[], vec![text("{1}")])]),
            variant("ru-RU", vec![text("Да")]),
        ],
    );
    let (_, wrote, warnings2) =
        write_all(&header(), &[only_tag], WriteOptions { strip_tags: true });
    assert_eq!(wrote, vec![false]);
    assert!(has(
        &warnings2,
        "unit 9 (line 90)",
        "once its tags are stripped"
    ));
    drop(warnings);
}

#[test]
fn header_defaults_and_srclang_from_the_first_unit() {
    let units = vec![unit(
        1,
        vec![
            variant("ru_RU", vec![text("Да")]),
            variant("en", vec![text("Yes")]),
        ],
    )];
    let h = Header {
        segtype: Some("word".into()),
        adminlang: Some("EN_gb".into()),
        ..Header::default()
    };
    let (xml, _, warnings) = write_all(&h, &units, WriteOptions::default());
    assert_valid_tmx(&xml);
    let v = CREATION_TOOL_VERSION;
    assert!(
        xml.contains(&format!(
            "<header creationtool=\"bitext\" creationtoolversion=\"{v}\" segtype=\"sentence\" \
         o-tmf=\"bitext\" adminlang=\"en-GB\" srclang=\"ru-RU\" datatype=\"plaintext\"/>"
        )),
        "{xml}"
    );
    assert!(has(&warnings, "header", "written as srclang=\"ru-RU\""));
    assert!(has(&warnings, "header", "segtype=\"word\""));
    // No units at all: still a valid document.
    let (xml, _, _) = write_all(&Header::default(), &[], WriteOptions::default());
    assert_valid_tmx(&xml);
    assert!(xml.contains("srclang=\"*all*\""));
    assert!(xml.ends_with("  <body>\n  </body>\n</tmx>\n"));
}

#[test]
fn exact_layout_of_a_unit() {
    let mut u = unit(
        1,
        vec![
            variant("en-US", vec![text("A & B")]),
            variant("ru-RU", vec![text("А и Б")]),
        ],
    );
    u.props = vec![Prop {
        kind: "x-score".into(),
        value: "0.9".into(),
    }];
    u.notes = vec!["n".into()];
    let mut w = TmxWriter::new(Vec::new(), &header(), WriteOptions::default()).unwrap();
    w.set_input_label("in.tmx");
    assert!(w.write(&u).unwrap());
    assert_eq!(w.written(), 1);
    assert!(w.take_warnings().is_empty());
    let xml = String::from_utf8(w.finish().unwrap()).unwrap();
    assert!(
        xml.contains(concat!(
            "  <body>\n    <tu>\n      <prop type=\"x-score\">0.9</prop>\n      <note>n</note>\n",
            "      <tuv xml:lang=\"en-US\"><seg>A &amp; B</seg></tuv>\n",
            "      <tuv xml:lang=\"ru-RU\"><seg>А и Б</seg></tuv>\n    </tu>\n  </body>\n</tmx>\n"
        )),
        "{xml}"
    );
    // The label names the input in warnings.
    let mut w = TmxWriter::new(Vec::new(), &header(), WriteOptions::default()).unwrap();
    w.set_input_label("in.tmx");
    let lone = unit(7, vec![variant("en-US", vec![text("x")])]);
    assert!(!w.write(&lone).unwrap());
    assert_eq!(w.take_warnings()[0].location, "in.tmx: unit 7 (line 70)");
}

#[test]
fn the_language_rewrite_is_reported_once_per_tag() {
    let units: Vec<Unit> = (1..=3)
        .map(|n| {
            unit(
                n,
                vec![
                    variant("en_US", vec![text("a")]),
                    variant("ru-RU", vec![text("б")]),
                ],
            )
        })
        .collect();
    let (_, _, warnings) = write_all(&header(), &units, WriteOptions::default());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

#[test]
fn large_output_is_streamed_and_fast() {
    // 20k units through a sink that records the sizes of the writes it gets.
    struct Sink {
        bytes: usize,
        largest: usize,
    }
    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.bytes += b.len();
            self.largest = self.largest.max(b.len());
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let u = unit(
        1,
        vec![
            variant(
                "en-US",
                vec![
                    text("The committee met in Beijing on 17 May & agreed. "),
                    tag("ph", &[("x", "1")], vec![text("<br/>")]),
                ],
            ),
            variant(
                "ru-RU",
                vec![text("Комитет собрался в Пекине 17\u{A0}мая и договорился.")],
            ),
        ],
    );
    let mut w = TmxWriter::new(
        Sink {
            bytes: 0,
            largest: 0,
        },
        &header(),
        WriteOptions::default(),
    )
    .unwrap();
    let start = std::time::Instant::now();
    for _ in 0..20_000 {
        w.write(&u).unwrap();
    }
    let sink = w.finish().unwrap();
    let secs = start.elapsed().as_secs_f64();
    assert!(sink.bytes > 4_000_000, "{}", sink.bytes);
    assert!(sink.largest < 2 * FLUSH_AT, "{}", sink.largest);
    println!(
        "tm::write: {:.1} MB in {secs:.3} s = {:.0} MB/s (debug build)",
        sink.bytes as f64 / 1e6,
        sink.bytes as f64 / 1e6 / secs
    );
}

// ----- generated units -----

/// Text of XML 1.0 characters (no illegal ones), biased to markup and white space.
pub(crate) fn arb_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("&".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("]]>".to_string()),
        Just("&amp;".to_string()),
        Just("\t".to_string()),
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just(",".to_string()),
        Just("📖".to_string()),
        Just("\u{A0}".to_string()),
        any::<char>()
            .prop_filter("XML Char", |&c| xml_class(c) != XmlClass::Illegal)
            .prop_map(|c| c.to_string()),
        "[a-zа-я ]{1,8}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

fn arb_attr_value() -> impl Strategy<Value = String> {
    prop_oneof!["[0-9]{1,3}", arb_text()]
}

/// Valid TMX inline content: flow (`seg`, `hi`, `sub`) or code (`bpt`...: text and `sub`).
fn arb_pieces(depth: u32, code: bool) -> BoxedStrategy<Vec<Piece>> {
    let leaf = arb_text().prop_map(Piece::Text).boxed();
    let item = if depth == 0 {
        leaf
    } else if code {
        prop_oneof![
            3 => leaf,
            1 => (proptest::option::of(arb_attr_value()), arb_pieces(depth - 1, false))
                .prop_map(|(t, c)| {
                    let attrs = t.map(|t| vec![("type".to_string(), t)]).unwrap_or_default();
                    Piece::Tag(Tag { name: "sub".into(), attrs, content: c })
                }),
        ]
        .boxed()
    } else {
        let code_tag = (
            prop::sample::select(vec!["bpt", "ept", "it", "ph", "ut"]),
            arb_attr_value(),
            arb_pieces(depth - 1, true),
        )
            .prop_map(|(name, v, content)| {
                let attrs = match name {
                    "bpt" => vec![("i".to_string(), v), ("x".to_string(), "1".to_string())],
                    "ept" => vec![("i".to_string(), v)],
                    "it" => vec![
                        ("pos".to_string(), "end".to_string()),
                        ("type".to_string(), v),
                    ],
                    "ph" => vec![("x".to_string(), v), ("assoc".to_string(), "p".to_string())],
                    _ => vec![("x".to_string(), v)],
                };
                Piece::Tag(Tag {
                    name: name.into(),
                    attrs,
                    content,
                })
            });
        let hi = (
            proptest::option::of(arb_attr_value()),
            arb_pieces(depth - 1, false),
        )
            .prop_map(|(t, content)| {
                let attrs = t.map(|t| vec![("type".to_string(), t)]).unwrap_or_default();
                Piece::Tag(Tag {
                    name: "hi".into(),
                    attrs,
                    content,
                })
            });
        prop_oneof![3 => leaf, 2 => code_tag, 1 => hi].boxed()
    };
    prop::collection::vec(item, 0..5).prop_map(merge).boxed()
}

/// Adjacent texts merged and empty ones dropped, as the reader produces them.
fn merge(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for p in pieces {
        match p {
            Piece::Text(t) => crate::unit::segment::push_text(&mut out, &t),
            tag => out.push(tag),
        }
    }
    out
}

/// A segment that is never blank: it starts with a letter.
fn arb_segment() -> impl Strategy<Value = Segment> {
    ("[A-Za-zА-я]", arb_pieces(3, false)).prop_map(|(first, rest)| {
        let mut pieces = vec![Piece::Text(first)];
        for p in rest {
            match p {
                Piece::Text(t) => crate::unit::segment::push_text(&mut pieces, &t),
                tag => pieces.push(tag),
            }
        }
        Segment { pieces }
    })
}

fn arb_props() -> impl Strategy<Value = Vec<Prop>> {
    prop::collection::vec(
        ("x-[a-zA-Z:]{1,10}", arb_text()).prop_map(|(kind, value)| Prop { kind, value }),
        0..3,
    )
}

/// Units as a memory holds them (two or three languages, canonical tags).
pub(crate) fn arb_unit() -> impl Strategy<Value = Unit> {
    (
        arb_segment(),
        arb_segment(),
        proptest::option::of("[A-Za-z0-9_.-]{1,8}"),
        proptest::option::of(0i64..4_000_000_000),
        arb_props(),
        prop::collection::vec(arb_text(), 0..2),
    )
        .prop_map(|(src, tgt, tuid, date, props, notes)| {
            let mut u = unit(1, vec![]);
            u.variants = vec![
                Variant {
                    segment: src,
                    ..variant("en-US", vec![])
                },
                Variant {
                    segment: tgt,
                    ..variant("ru-RU", vec![])
                },
            ];
            u.tuid = tuid;
            u.creationdate = date
                .and_then(crate::unit::DateTime::from_unix)
                .map(|d| Date::parse(d.to_tmx()));
            u.props = props;
            u.notes = notes;
            u
        })
}

/// What every format keeps: languages, segments, props, unit notes, tuid, dates.
pub(crate) fn same_content(a: &Unit, b: &Unit) -> std::result::Result<(), TestCaseError> {
    prop_assert_eq!(a.variants.len(), b.variants.len());
    for (x, y) in a.variants.iter().zip(&b.variants) {
        prop_assert_eq!(&x.lang, &y.lang);
        prop_assert_eq!(&x.segment, &y.segment);
    }
    prop_assert_eq!(&a.props, &b.props);
    prop_assert_eq!(&a.notes, &b.notes);
    prop_assert_eq!(&a.tuid, &b.tuid);
    prop_assert_eq!(
        a.creationdate.as_ref().map(Date::to_tmx),
        b.creationdate.as_ref().map(Date::to_tmx)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]
    #[test]
    fn tmx_to_tmx_keeps_text_tags_and_props(units in prop::collection::vec(arb_unit(), 1..4)) {
        let (xml, wrote, warnings) = write_all(&header(), &units, WriteOptions::default());
        prop_assert!(wrote.iter().all(|&w| w), "{:?}", warnings);
        let (_, back) = read_all(&xml);
        prop_assert_eq!(back.len(), units.len());
        for (a, b) in units.iter().zip(&back) {
            same_content(a, b)?;
        }
        // And once more: TMX -> TMX is a fixed point.
        let (xml2, _, _) = write_all(&header(), &back, WriteOptions::default());
        prop_assert_eq!(xml, xml2);
    }
}

#[test]
fn generated_units_validate_against_the_dtd() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let units: Vec<Unit> = (0..300)
        .map(|_| arb_unit().new_tree(&mut runner).unwrap().current())
        .collect();
    let (xml, wrote, _) = write_all(&header(), &units, WriteOptions::default());
    assert!(wrote.iter().all(|&w| w));
    assert_valid_tmx(&xml);
}

#[test]
fn the_vector_byte_test_is_the_byte_table_of_before() {
    // The table text_into used alone before runs of 32 bytes were tested at once.
    for attr in [false, true] {
        for b in 0..=255u8 {
            let before = matches!(b, b'&' | b'<' | b'>' | 0x7F | 0xC2)
                || b >= 0xEF
                || (b < 0x20 && (attr || (b != b'\t' && b != b'\n')))
                || (attr && b == b'"');
            assert_eq!(is_special(b, attr), before, "{b:#04x} attr={attr}");
        }
    }
    // A special byte at every place of a long run is found and escaped.
    let base = "дом и сад, house & garden ".repeat(4);
    for at in 0..base.len() {
        if !base.is_char_boundary(at) {
            continue;
        }
        let s = format!("{}<{}", &base[..at], &base[at..]);
        let mut out = Vec::new();
        text_into(&mut out, &s, false, &mut Scratch::default());
        let expected = s.replace('&', "&amp;").replace('<', "&lt;");
        assert_eq!(String::from_utf8(out).unwrap(), expected, "at {at}");
    }
}
