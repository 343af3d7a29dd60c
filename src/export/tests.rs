//! Tests of the aligner's export: which links become units, and what each format writes.

use super::*;

pub(crate) fn unit(
    src: Range<usize>,
    tgt: Range<usize>,
    s: &str,
    t: &str,
    score: f64,
) -> TranslationUnit {
    TranslationUnit {
        src_ids: src,
        tgt_ids: tgt,
        src: s.into(),
        tgt: t.into(),
        score,
    }
}

/// A small alignment with every kind of unit: 1-1, 2-1, 1-2, 0-1, 1-0, a low score.
pub(crate) fn sample() -> Vec<TranslationUnit> {
    vec![
        unit(0..1, 0..1, "The SCO met.", "ШОС собралась.", 0.97),
        unit(
            1..3,
            1..2,
            "It met in\nBeijing. On 17\u{A0}May.",
            "Она собралась в Пекине 17\u{A0}мая.",
            0.9731,
        ),
        unit(
            3..4,
            2..4,
            "A & B <said> \"yes\".",
            "А и Б сказали «да». Вот.",
            0.88,
        ),
        unit(4..4, 4..5, "", "Лишнее.", 0.41),
        unit(4..5, 5..5, "Extra.", "", 0.5),
        unit(5..6, 5..6, "Low.", "Низко.", 0.1),
    ]
}

/// Renders with a fixed date and returns (text, warnings).
pub(crate) fn render_str(
    units: &[TranslationUnit],
    options: &ExportOptions,
) -> (String, Vec<Warning>) {
    let mut out = Vec::new();
    let warnings = render(
        units,
        options,
        &mut out,
        Path::new("<test>"),
        &Locator::default(),
        Some("20240115T120000Z"),
        None,
        None,
    )
    .expect("render")
    .warnings;
    (String::from_utf8(out).expect("UTF-8"), warnings)
}

pub(crate) fn opts(format: Format) -> ExportOptions {
    ExportOptions {
        format,
        ..ExportOptions::default()
    }
}

#[test]
fn selection_follows_the_format_policy() {
    let units = sample();
    let count = |format: Format, keep: bool, min: f64| {
        let o = ExportOptions {
            format,
            keep_unaligned: keep,
            min_score: min,
            ..ExportOptions::default()
        };
        select(&units, &o, &Locator::default(), &mut Vec::new()).len()
    };
    assert_eq!(count(Format::Tmx, false, 0.0), 4);
    assert_eq!(
        count(Format::Tmx, true, 0.0),
        4,
        "TMX never gets null links"
    );
    assert_eq!(count(Format::Tsv, false, 0.0), 4);
    assert_eq!(count(Format::Tsv, true, 0.0), 6);
    assert_eq!(count(Format::Csv, true, 0.0), 6);
    assert_eq!(count(Format::Jsonl, true, 0.0), 6);
    assert_eq!(
        count(Format::Links, false, 0.0),
        6,
        "links is the complete alignment"
    );
    assert_eq!(count(Format::Links, false, 0.5), 4);
    assert_eq!(count(Format::Tsv, true, 0.5), 4);
    assert_eq!(count(Format::Tmx, false, 0.9), 2);
}

#[test]
fn non_numeric_scores_and_blank_sides_are_skipped_with_a_warning() {
    let units = vec![
        unit(0..1, 0..1, "A.", "А.", f64::NAN),
        unit(1..2, 1..2, " \n ", "Б.", 0.9),
        unit(2..3, 2..3, "C.", "В.", 0.9),
    ];
    let (text, warnings) = render_str(&units, &opts(Format::Tmx));
    assert_eq!(text.matches("<tu ").count(), 1);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(warnings[0].location, "source sentence 1, target sentence 1");
    assert!(warnings[0].message.contains("not a number"));
    assert_eq!(warnings[1].location, "source sentence 2, target sentence 2");
    assert!(warnings[1].message.contains("source text is empty"));
}

#[test]
fn options_are_checked_before_writing() {
    let units = sample();
    let mut out = Vec::new();
    let bad = ExportOptions {
        src_tag: "en_US".into(),
        ..ExportOptions::default()
    };
    assert!(write_units(&units, &bad, &mut out).is_err());
    assert!(out.is_empty());
    let same = ExportOptions {
        tgt_tag: "EN-us".into(),
        ..ExportOptions::default()
    };
    assert!(write_units(&units, &same, &mut out).is_err());
    let nan = ExportOptions {
        min_score: f64::NAN,
        format: Format::Tsv,
        ..ExportOptions::default()
    };
    assert!(write_units(&units, &nan, &mut out).is_err());
    // Tags are only checked where they are written: not in a TSV without a header row.
    let tsv = ExportOptions {
        format: Format::Tsv,
        no_header: true,
        ..bad.clone()
    };
    assert!(write_units(&units, &tsv, &mut out).is_ok());
    let tsv = ExportOptions {
        format: Format::Tsv,
        ..bad
    };
    assert!(write_units(&units, &tsv, &mut out).is_err());
    let tsv = ExportOptions {
        format: Format::Jsonl,
        ..ExportOptions::default()
    };
    assert!(write_units(&units, &tsv, &mut out).is_ok());
}

/// The aligner's TMX comes out of the one TMX writer, byte for byte as it always did.
#[test]
fn tmx_exact_bytes() {
    let (text, warnings) = render_str(&sample(), &opts(Format::Tmx));
    assert!(warnings.is_empty(), "{warnings:?}");
    let v = env!("CARGO_PKG_VERSION");
    let expected = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="bitext" creationtoolversion="{v}" segtype="sentence" o-tmf="bitext" adminlang="en-US" srclang="en-US" datatype="plaintext" creationdate="20240115T120000Z"/>
  <body>
    <tu tuid="1">
      <prop type="x-score">0.9700</prop>
      <prop type="x-link">1-1</prop>
      <tuv xml:lang="en-US"><seg>The SCO met.</seg></tuv>
      <tuv xml:lang="ru-RU"><seg>ШОС собралась.</seg></tuv>
    </tu>
    <tu tuid="2">
      <prop type="x-score">0.9731</prop>
      <prop type="x-link">2-1</prop>
      <tuv xml:lang="en-US"><seg>It met in Beijing. On 17{nbsp}May.</seg></tuv>
      <tuv xml:lang="ru-RU"><seg>Она собралась в Пекине 17{nbsp}мая.</seg></tuv>
    </tu>
    <tu tuid="3">
      <prop type="x-score">0.8800</prop>
      <prop type="x-link">1-2</prop>
      <tuv xml:lang="en-US"><seg>A &amp; B &lt;said&gt; "yes".</seg></tuv>
      <tuv xml:lang="ru-RU"><seg>А и Б сказали «да». Вот.</seg></tuv>
    </tu>
    <tu tuid="4">
      <prop type="x-score">0.1000</prop>
      <prop type="x-link">1-1</prop>
      <tuv xml:lang="en-US"><seg>Low.</seg></tuv>
      <tuv xml:lang="ru-RU"><seg>Низко.</seg></tuv>
    </tu>
  </body>
</tmx>
"#,
        nbsp = '\u{A0}'
    );
    assert_eq!(text, expected);
}

#[test]
fn tmx_drops_illegal_characters_and_skips_a_side_left_empty() {
    let units = vec![
        unit(0..1, 0..1, "a\u{1}b", "в", 0.9),
        unit(1..2, 1..2, "\u{2}\u{3}", "г", 0.9),
        unit(2..3, 2..3, "c", "д", 0.9),
    ];
    let (text, warnings) = render_str(&units, &opts(Format::Tmx));
    assert!(text.contains("<seg>ab</seg>") && text.contains(r#"<tu tuid="2">"#));
    assert_eq!(text.matches("<tu ").count(), 2, "{text}");
    assert!(text.contains("<seg>c</seg>"));
    let locations: Vec<&str> = warnings.iter().map(|w| w.location.as_str()).collect();
    assert_eq!(
        locations[0],
        "unit 1 (source sentence 1, target sentence 1)"
    );
    assert!(warnings[0].message.contains("U+0001"), "{warnings:?}");
    assert!(
        locations.contains(&"source sentence 2, target sentence 2"),
        "{warnings:?}"
    );
}

/// One table schema: language tags as the first two column names, then `score` and `type`;
/// segment cells in TMX segment markup, as `bitext tm` writes and reads them.
#[test]
fn tsv_exact_bytes() {
    let (text, warnings) = render_str(&sample(), &opts(Format::Tsv));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        text,
        "en-US\tru-RU\tscore\ttype\n\
         The SCO met.\tШОС собралась.\t0.9700\t1-1\n\
         It met in Beijing. On 17\u{A0}May.\tОна собралась в Пекине 17\u{A0}мая.\t0.9731\t2-1\n\
         A &amp; B &lt;said&gt; \"yes\".\tА и Б сказали «да». Вот.\t0.8800\t1-2\n\
         Low.\tНизко.\t0.1000\t1-1\n"
    );
    let plain = ExportOptions {
        plain: true,
        no_header: true,
        ..opts(Format::Tsv)
    };
    let (text, _) = render_str(&sample(), &plain);
    assert!(text.starts_with("The SCO met.\t"), "{text}");
    assert!(text.contains("A & B <said> \"yes\".\t"), "{text}");
}

#[test]
fn tsv_keeps_null_links_on_request_and_tabs_as_references() {
    let o = ExportOptions {
        keep_unaligned: true,
        ..opts(Format::Tsv)
    };
    let (text, _) = render_str(&sample(), &o);
    assert_eq!(text.lines().count(), 7);
    assert!(text.contains("\n\tЛишнее.\t0.4100\t0-1\n"), "{text}");
    assert!(text.contains("\nExtra.\t\t0.5000\t1-0\n"), "{text}");

    let units = vec![unit(0..1, 0..1, "a\tb", "д", 0.5)];
    let (text, warnings) = render_str(&units, &opts(Format::Tsv));
    assert!(text.ends_with("a&#9;b\tд\t0.5000\t1-1\n"), "{text}");
    assert!(warnings.is_empty());
    let plain = ExportOptions {
        plain: true,
        ..opts(Format::Tsv)
    };
    let (text, warnings) = render_str(&units, &plain);
    assert!(text.ends_with("a b\tд\t0.5000\t1-1\n"), "{text}");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0].location,
        "unit 1 (source sentence 1, target sentence 1)"
    );
}

#[test]
fn csv_exact_bytes() {
    let o = ExportOptions {
        keep_unaligned: true,
        min_score: 0.3,
        ..opts(Format::Csv)
    };
    let (text, warnings) = render_str(&sample(), &o);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        text,
        "en-US,ru-RU,score,type\n\
         The SCO met.,ШОС собралась.,0.9700,1-1\n\
         It met in Beijing. On 17\u{A0}May.,Она собралась в Пекине 17\u{A0}мая.,0.9731,2-1\n\
         \"A &amp; B &lt;said&gt; \"\"yes\"\".\",А и Б сказали «да». Вот.,0.8800,1-2\n\
         ,Лишнее.,0.4100,0-1\n\
         Extra.,,0.5000,1-0\n"
    );
}

/// What `bitext align` writes, `bitext tm` reads back: the same text, score and link type,
/// in every table format and TMX.
#[test]
fn tables_and_tmx_read_back_as_the_same_units() {
    use crate::formats::{InputOptions, UnitReader};
    for format in [Format::Tmx, Format::Tsv, Format::Csv] {
        let o = ExportOptions {
            keep_unaligned: true,
            ..opts(format)
        };
        let (text, _) = render_str(&sample(), &o);
        let input = InputOptions {
            format: Some(match format {
                Format::Tmx => Format::Tmx,
                Format::Tsv => Format::Tsv,
                _ => Format::Csv,
            }),
            ..InputOptions::default()
        };
        let bytes = std::io::Cursor::new(text.into_bytes());
        let reader =
            UnitReader::from_reader(Box::new(bytes), Path::new("x"), &input).expect("readable");
        let units: Vec<Unit> = reader.map(|u| u.expect("a unit")).collect();
        let written: Vec<TranslationUnit> = sample()
            .into_iter()
            .filter(|u| format != Format::Tmx || !u.is_null())
            .collect();
        assert_eq!(units.len(), written.len(), "{format:?}");
        for (u, t) in units.iter().zip(written) {
            let text = |lang: &str| u.variant(lang).map(|v| v.segment.plain_text());
            let fold = |s: &str| s.replace('\n', " ");
            assert_eq!(
                text("en-US").unwrap_or_default(),
                fold(&t.src),
                "{format:?}"
            );
            assert_eq!(
                text("ru-RU").unwrap_or_default(),
                fold(&t.tgt),
                "{format:?}"
            );
            let prop = |k: &str| u.props.iter().find(|p| p.kind == k).map(|p| &p.value);
            assert_eq!(prop(SCORE_PROP), Some(&format_score(t.score)), "{format:?}");
            assert_eq!(prop(LINK_PROP), Some(&t.kind()), "{format:?}");
        }
    }
}

#[test]
fn jsonl_exact_bytes() {
    let o = ExportOptions {
        keep_unaligned: true,
        min_score: 0.45,
        ..opts(Format::Jsonl)
    };
    let (text, warnings) = render_str(&sample(), &o);
    assert!(warnings.is_empty());
    assert!(
        text.contains("17\u{A0}мая"),
        "NBSP (raw in the literal below) is kept"
    );
    assert_eq!(
        text,
        concat!(
            r#"{"src_ids":[0],"tgt_ids":[0],"src":"The SCO met.","tgt":"ШОС собралась.","score":0.97,"type":"1-1"}"#,
            "\n",
            r#"{"src_ids":[1,2],"tgt_ids":[1],"src":"It met in Beijing. On 17 May.","tgt":"Она собралась в Пекине 17 мая.","score":0.9731,"type":"2-1"}"#,
            "\n",
            r#"{"src_ids":[3],"tgt_ids":[2,3],"src":"A & B <said> \"yes\".","tgt":"А и Б сказали «да». Вот.","score":0.88,"type":"1-2"}"#,
            "\n",
            r#"{"src_ids":[4],"tgt_ids":[],"src":"Extra.","tgt":"","score":0.5,"type":"1-0"}"#,
            "\n",
        )
    );
}

#[test]
fn jsonl_lines_parse_and_control_characters_are_escaped() {
    let units = vec![unit(0..1, 0..1, "a\u{1}\"\\", "б\tв", 0.123456)];
    let (text, _) = render_str(&units, &opts(Format::Jsonl));
    assert_eq!(text.lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(text.trim_end()).expect("JSON");
    assert_eq!(v["src"], "a\u{1}\"\\");
    assert_eq!(v["tgt"], "б\tв");
    assert_eq!(v["score"], 0.1235);
    assert!(text.contains(r#""src":"a\u0001\"\\""#), "{text}");
}

#[test]
fn links_exact_bytes() {
    let (text, warnings) = render_str(&sample(), &opts(Format::Links));
    assert!(warnings.is_empty());
    assert_eq!(
        text,
        "[0]:[0]:0.9700\n[1, 2]:[1]:0.9731\n[3]:[2, 3]:0.8800\n[]:[4]:0.4100\n[4]:[]:0.5000\n[5]:[5]:0.1000\n"
    );
}

#[test]
fn links_min_score_filters_even_the_complete_alignment() {
    let o = ExportOptions {
        min_score: 0.45,
        ..opts(Format::Links)
    };
    let (text, _) = render_str(&sample(), &o);
    assert_eq!(text.lines().count(), 4);
    assert!(!text.contains("[]:[4]"));
    let wide = vec![unit(3..4, 4..7, "", "", 0.88)];
    let (text, _) = render_str(&wide, &opts(Format::Links));
    assert_eq!(text, "[3]:[4, 5, 6]:0.8800\n");
}

#[test]
fn scores_have_four_decimals() {
    assert_eq!(format_score(0.97), "0.9700");
    assert_eq!(format_score(0.97315), "0.9731");
    assert_eq!(format_score(1.0), "1.0000");
    assert_eq!(format_score(-0.0), "0.0000");
}

#[test]
fn locations() {
    let u = unit(11..13, 3..3, "a", "", 0.5);
    let l = Locator::default();
    assert_eq!(
        l.unit(7, &u),
        "unit 7 (source sentences 12-13, no target sentence)"
    );
    assert_eq!(l.link(&u), "source sentences 12-13, no target sentence");
    let l = Locator {
        prefix: "out.tmx: ".into(),
    };
    assert_eq!(
        l.link(&unit(0..1, 0..1, "", "", 0.0)),
        "out.tmx: source sentence 1, target sentence 1"
    );
}

/// The threshold applies to the score as written, so `bitext eval --min-score` on the
/// output keeps exactly the links `bitext align --min-score` wrote.
#[test]
fn min_score_compares_the_written_score() {
    assert!(!below(0.69996, 0.7));
    assert!(below(0.69994, 0.7));
    assert!(!below(0.7, 0.7));
    assert!(below(0.1, 0.2));
    assert!(!below(0.0, 0.0));
}

#[test]
fn annotations_become_props_and_notes_in_tmx_and_tables() {
    let units = vec![unit(0..1, 0..1, "Hello.", "Привет.", 0.9)];
    let annotation = Annotation {
        props: vec![("x-status".into(), "accepted".into())],
        notes: vec!["checked by hand".into()],
    };
    let render_annotated = |format: Format| {
        let mut out = Vec::new();
        render(
            &units,
            &opts(format),
            &mut out,
            Path::new("<test>"),
            &Locator::default(),
            Some("20240115T120000Z"),
            None,
            Some(std::slice::from_ref(&annotation)),
        )
        .expect("render");
        String::from_utf8(out).expect("UTF-8")
    };
    let tmx = render_annotated(Format::Tmx);
    assert!(
        tmx.contains(r#"<prop type="x-status">accepted</prop>"#),
        "{tmx}"
    );
    assert!(tmx.contains("<note>checked by hand</note>"), "{tmx}");
    let csv = render_annotated(Format::Csv);
    assert!(
        csv.lines()
            .next()
            .unwrap_or("")
            .ends_with("score,type,props,notes"),
        "{csv}"
    );
    assert!(csv.contains("x-status"), "{csv}");
}

#[test]
fn bom_starts_csv_and_tsv_only() {
    let units = vec![unit(0..1, 0..1, "Hello.", "Привет.", 0.9)];
    for (format, bom) in [
        (Format::Csv, true),
        (Format::Tsv, true),
        (Format::Tmx, false),
    ] {
        let o = ExportOptions {
            bom: true,
            ..opts(format)
        };
        let (text, _) = render_str(&units, &o);
        assert_eq!(text.starts_with('\u{FEFF}'), bom, "{format:?}");
    }
    let (text, _) = render_str(&units, &opts(Format::Csv));
    assert!(!text.starts_with('\u{FEFF}'));
}
