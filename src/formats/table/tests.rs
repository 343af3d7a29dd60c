//! Tests of the table writers and readers.

use proptest::prelude::*;

use super::*;

use crate::error::{Error, Result, Warning};
use crate::unit::segment::Segment;
use crate::unit::{Date, Header, Prop, Unit};

use crate::formats::tmx::parse_segment;
use crate::formats::tmx::write::tests::{
    arb_unit, assert_valid_tmx, read_all, same_content, tag, text, unit, variant, write_all,
};
use crate::formats::tmx::write::WriteOptions;

fn header() -> Header {
    Header {
        srclang: Some("en-US".into()),
        ..Header::default()
    }
}

fn opts() -> TableOptions {
    TableOptions::default()
}

fn write_table(
    format: TableFormat,
    units: &[Unit],
    options: TableOptions,
) -> (String, Vec<Warning>) {
    let mut w = TableWriter::new(Vec::new(), format, &header(), options).unwrap();
    for u in units {
        w.write(u).unwrap();
    }
    let warnings = w.take_warnings();
    (String::from_utf8(w.finish().unwrap()).unwrap(), warnings)
}

fn read_table(
    format: TableFormat,
    data: &str,
    options: TableOptions,
) -> Result<(Header, Vec<Unit>, Vec<Warning>)> {
    let mut r = TableReader::new(data.as_bytes(), "t.tsv", format, options)?;
    let units = r.by_ref().collect::<Result<Vec<_>>>()?;
    let warnings = r.take_warnings();
    Ok((r.header().clone(), units, warnings))
}

fn sample() -> Unit {
    let mut u = unit(
        1,
        vec![
            variant(
                "en_US",
                vec![
                    text("Press "),
                    tag("bpt", &[("i", "1")], vec![text("<b>")]),
                    text("OK,\t\"now\"\nplease & go"),
                    tag("ept", &[("i", "1")], vec![text("</b>")]),
                ],
            ),
            variant("ru-RU", vec![text("Нажмите ОК")]),
        ],
    );
    u.tuid = Some("7".into());
    u.creationdate = Some(Date::parse("20240115T120000Z"));
    u.props = vec![Prop {
        kind: "x-score".into(),
        value: "0.97".into(),
    }];
    u.notes = vec!["a note".into()];
    u
}

fn err_text(e: Error) -> String {
    e.to_string()
}

#[test]
fn tsv_exact_bytes_and_round_trip() {
    let (tsv, warnings) = write_table(TableFormat::Tsv, &[sample()], opts());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        tsv,
        "en-US\tru-RU\ttuid\tcreationdate\tchangedate\tprops\tnotes\n\
         Press <bpt i=\"1\">&lt;b&gt;</bpt>OK,&#9;\"now\"&#10;please &amp; go<ept i=\"1\">&lt;/b&gt;</ept>\
         \tНажмите ОК\t7\t20240115T120000Z\t\t[[\"x-score\",\"0.97\"]]\t[\"a note\"]\n"
    );
    let (h, units, warnings) = read_table(TableFormat::Tsv, &tsv, opts()).unwrap();
    assert!(warnings.is_empty());
    assert_eq!(h.srclang.as_deref(), Some("en-US"));
    assert_eq!(units.len(), 1);
    let u = &units[0];
    assert_eq!((u.number, u.line), (1, 2));
    assert_eq!(u.variants[0].lang, "en-US");
    assert_eq!(u.variants[0].segment, sample().variants[0].segment);
    assert_eq!(u.variants[1].segment, sample().variants[1].segment);
    assert_eq!(u.props, sample().props);
    assert_eq!(u.notes, sample().notes);
    assert_eq!(u.tuid.as_deref(), Some("7"));
    assert_eq!(u.creationdate, sample().creationdate);
}

#[test]
fn csv_quotes_per_rfc_4180_and_reads_multiline_cells() {
    let (csv, _) = write_table(TableFormat::Csv, &[sample()], opts());
    assert!(csv.starts_with("en-US,ru-RU,tuid,creationdate,changedate,props,notes\n"));
    assert!(csv.contains(
        "\"Press <bpt i=\"\"1\"\">&lt;b&gt;</bpt>OK,\t\"\"now\"\"\nplease &amp; go<ept i=\"\"1\"\">&lt;/b&gt;</ept>\",Нажмите ОК,7,"
    ), "{csv}");
    assert!(csv.ends_with(",\"[[\"\"x-score\"\",\"\"0.97\"\"]]\",\"[\"\"a note\"\"]\"\n"));
    let (_, units, _) = read_table(TableFormat::Csv, &csv, opts()).unwrap();
    assert_eq!(units[0].variants[0].segment, sample().variants[0].segment);
    assert_eq!(units[0].props, sample().props);
    // CR LF line ends and a missing closing quote.
    let crlf = csv.replace('\n', "\r\n");
    let (_, units, _) = read_table(TableFormat::Csv, &crlf, opts()).unwrap();
    assert_eq!(units[0].variants[0].segment, sample().variants[0].segment);
    let e = read_table(TableFormat::Csv, "en,ru\n\"open,x\n", opts()).unwrap_err();
    assert!(err_text(e).contains("t.tsv:2:"), "missing quote is located");
}

#[test]
fn csv_stray_quote_is_refused_where_it_opened() {
    // Seven columns: one row-shaped line inside a quoted cell is a stray quote.
    let head = "en,ru,tuid,creationdate,changedate,props,notes\n";
    let mut data = format!("{head}Hello 0,Привет 0,,,,,\n\"Hello 1,Привет 1,,,,,\n");
    for i in 2..50 {
        data.push_str(&format!("Hello {i},Привет {i},,,,,\n"));
    }
    let closed = format!("{data}x\",y,,,,,\n");
    for text in [closed, data] {
        let e = err_text(read_table(TableFormat::Csv, &text, opts()).unwrap_err());
        assert!(
            e.starts_with("t.tsv:3:1: CSV: the quoted cell opened here"),
            "{e}"
        );
        assert!(e.contains("runs on to line 5, which looks like a whole row (7 cells"));
    }
    // One row-shaped line is read, warned with where the cell opened.
    let one = format!("{head}\"a\nb,c,,,,,\nd\",e,,,,,\n");
    let (_, units, warnings) = read_table(TableFormat::Csv, &one, opts()).unwrap();
    assert_eq!(units.len(), 1);
    assert!(warnings[0]
        .to_string()
        .starts_with("t.tsv:2:1: CSV: the quoted cell"));
    // Two columns: prose lines with one comma are common; three in one cell are not.
    let two = "en,ru\n\"A, b\nc, d\",x\ny,z\n";
    let (_, units, _) = read_table(TableFormat::Csv, two, opts()).unwrap();
    assert_eq!(units.len(), 2);
    assert_eq!(units[0].variants[0].segment.plain_text(), "A, b\nc, d");
    let e = read_table(TableFormat::Csv, "en,ru\n\"a,b\nc,d\ne,f\ng,h\n", opts());
    assert!(err_text(e.unwrap_err()).starts_with("t.tsv:2:1: CSV: the quoted"));
    // Without a later quote and without row-shaped lines: the error names where it opened.
    let e = read_table(
        TableFormat::Csv,
        "en,ru\nok,da\nx,\"open\nmore\ntext\n",
        opts(),
    );
    let e = err_text(e.unwrap_err());
    assert!(
        e.starts_with(
            "t.tsv:3:3: CSV: the quoted cell opened here is never closed: the file ends at line 5"
        ),
        "{e}"
    );
    // An absolute cap on the lines of one cell.
    let long = format!(
        "en,ru\n\"{}\",x\n",
        "line\n".repeat(MAX_CELL_LINES as usize + 1)
    );
    let e = err_text(read_table(TableFormat::Csv, &long, opts()).unwrap_err());
    assert!(
        e.starts_with("t.tsv:2:1: CSV: the quoted cell opened here runs past"),
        "{e}"
    );
    // Legitimate multi-line cells with commas in a seven-column table still read.
    let fine = format!("{head}\"one, two\nthree\",x,,,,,\"[\"\"n, 1\"\"]\"\n");
    let (_, units, _) = read_table(TableFormat::Csv, &fine, opts()).unwrap();
    assert_eq!(units[0].notes, vec!["n, 1".to_string()]);
}

#[test]
fn empty_tables_are_errors_and_header_only_ones_are_warned() {
    for format in [TableFormat::Tsv, TableFormat::Csv, TableFormat::Jsonl] {
        let e = err_text(read_table(format, "", opts()).unwrap_err());
        assert_eq!(
            e,
            "t.tsv: the file is empty: no header row and no unit to read (as with a 0-byte \
             TMX, nothing is written)"
        );
        let e = err_text(read_table(format, "\u{FEFF}\n\r\n\n", opts()).unwrap_err());
        assert!(
            e.starts_with("t.tsv: the file holds only blank lines (3)"),
            "{e}"
        );
        // With the languages given (a headerless table), still an error.
        let o = TableOptions {
            langs: Some(("en".into(), "ru".into())),
            ..opts()
        };
        assert!(read_table(format, "\n", o).is_err());
    }
    for (format, data) in [
        (TableFormat::Tsv, "en\tru\ttuid\n\n"),
        (TableFormat::Csv, "en,ru\n"),
        (TableFormat::Jsonl, "{\"header\":{\"srclang\":\"en\"}}\n"),
    ] {
        let (_, units, warnings) = read_table(format, data, opts()).unwrap();
        assert!(units.is_empty());
        assert_eq!(warnings.len(), 1, "{format:?}");
        assert_eq!(
            warnings[0].to_string(),
            "t.tsv: the table holds a header but no unit: nothing was read"
        );
    }
}

#[test]
fn jsonl_text_that_disagrees_with_seg_is_warned_with_its_line() {
    let data = "{\"variants\":[{\"lang\":\"en\",\"seg\":\"A &amp; B\",\"text\":\"A & B\"}]}\n\
                {\"variants\":[{\"lang\":\"en\",\"seg\":\"Hi\"},{\"lang\":\"ru\",\"seg\":\"Hello\",\"text\":\"Goodbye\"}]}\n";
    for plain in [false, true] {
        let o = TableOptions { plain, ..opts() };
        let (_, units, warnings) = read_table(TableFormat::Jsonl, data, o).unwrap();
        assert_eq!(units[1].variants[1].segment.plain_text(), "Hello");
        let w: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        // With --plain, "A &amp; B" read literally also disagrees with "A & B".
        assert_eq!(w.len(), 1 + usize::from(plain), "{w:?}");
        assert!(w.last().unwrap().starts_with(
            "t.tsv:2: unit 2: variant 2 (ru): \"text\" (\"Goodbye\") disagrees with \"seg\" (\"Hello\")"
        ), "{w:?}");
    }
}

#[test]
fn language_tags_are_checked_and_a_language_named_twice_is_refused() {
    let e = err_text(read_table(TableFormat::Csv, "en,en,tuid\na,b,c\n", opts()).unwrap_err());
    assert!(
        e.starts_with("t.tsv:1:4: the header row names the language en twice"),
        "{e}"
    );
    let e = read_table(TableFormat::Tsv, "EN-us\ten_US\na\tb\n", opts()).unwrap_err();
    assert!(err_text(e).contains("twice"));
    let o = TableOptions {
        langs: Some(("en".into(), "../x".into())),
        ..opts()
    };
    let e = err_text(read_table(TableFormat::Tsv, "a\tb\n", o).unwrap_err());
    assert!(e.contains("\"../x\" is not a BCP 47 language tag"), "{e}");
    let o = TableOptions {
        langs: Some(("en".into(), "EN".into())),
        ..opts()
    };
    assert!(
        err_text(read_table(TableFormat::Tsv, "a\tb\n", o).unwrap_err()).contains("same language")
    );
    // JSON lines: a variant's lang, a unit's srclang, the header's.
    for (data, what) in [
        (
            "{\"variants\":[{\"lang\":\"../../etc\",\"text\":\"a\"}]}\n",
            "t.tsv:1:1: unit 1: variant 1 \"lang\": \"../../etc\"",
        ),
        (
            "{\"srclang\":\"ru\\nx\",\"variants\":[{\"lang\":\"en\",\"text\":\"a\"}]}\n",
            "t.tsv:1:1: unit 1: \"srclang\"",
        ),
        (
            "{\"header\":{\"srclang\":\"a b\"}}\n",
            "t.tsv:1:1: the header line's \"srclang\"",
        ),
    ] {
        let e = err_text(read_table(TableFormat::Jsonl, data, opts()).unwrap_err());
        assert!(e.starts_with(what), "{e}");
    }
}

#[test]
fn a_table_that_drops_languages_says_so_in_totals() {
    let v = |lang: &str, t: &str| variant(lang, vec![text(t)]);
    let mut units = vec![unit(1, vec![v("en-US", "a"), v("de", "b")])];
    for i in 2..30 {
        units.push(unit(i, vec![v("en-US", "a"), v("ru-RU", "б")]));
    }
    let mut w = TableWriter::new(Vec::new(), TableFormat::Tsv, &header(), opts()).unwrap();
    for u in &units {
        assert!(w.write(u).unwrap());
    }
    let listed = w.take_warnings().len();
    assert_eq!(listed, LISTED as usize);
    let totals: Vec<String> = w.end_warnings().iter().map(|w| w.to_string()).collect();
    assert_eq!(
        totals,
        [
            "table: 28 of 29 unit(s) written incompletely (28 written with an empty en-US or de \
          cell, 28 lost their ru-RU variant); the columns are en-US and de, chosen from the \
          first unit: name the languages (--src-lang, --tgt-lang) to choose others, or write \
          JSON lines to keep every language"
        ]
    );
    // Nothing lost, nothing said.
    let mut w = TableWriter::new(Vec::new(), TableFormat::Csv, &header(), opts()).unwrap();
    w.write(&units[1]).unwrap();
    assert!(w.end_warnings().is_empty());
}

#[test]
fn rows_larger_than_the_unit_cap_are_refused_with_their_position() {
    let o = TableOptions {
        max_unit_bytes: Some(64),
        ..opts()
    };
    let big = "y".repeat(100);
    for (format, data, at) in [
        (
            TableFormat::Tsv,
            format!("en\tru\na\tb\n{big}\tx\n"),
            "t.tsv:3:1: line 3",
        ),
        (
            TableFormat::Csv,
            format!("en,ru\na,b\n{big},x\n"),
            "t.tsv:3:1: line 3",
        ),
        (
            TableFormat::Csv,
            format!("en,ru\na,b\nx,\"{}\"\n", "z\n".repeat(40)),
            "t.tsv:3:3: CSV: the quoted cell opened here takes its record past 64 bytes",
        ),
        (
            TableFormat::Csv,
            // Empty header cells: props named x-column-N.
            format!(
                "en,ru{}\na,b\n\"x\ny\",{}\n",
                ",".repeat(30),
                vec!["\"z\nz\""; 31].join(",")
            ),
            "t.tsv:13:4: CSV: the quoted cell opened here takes its record past 64 bytes",
        ),
        (
            TableFormat::Jsonl,
            format!("{{\"variants\":[{{\"lang\":\"en\",\"text\":\"{big}\"}}]}}\n"),
            "t.tsv:1:1: line 1",
        ),
    ] {
        let e = err_text(read_table(format, &data, o.clone()).unwrap_err());
        assert!(e.starts_with(at), "{e}");
        assert!(e.contains("--max-unit-bytes"), "{e}");
        // Within the default, the same rows read.
        assert!(read_table(format, &data, opts()).is_ok(), "{format:?}");
    }
}

#[test]
fn markup_errors_name_line_and_column_and_suggest_plain() {
    let data = "en\tru\nfine\tхорошо\nA & B\tА и Б\n";
    let e = read_table(TableFormat::Tsv, data, opts()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "t.tsv:3:3: unit 2 (source): `&` does not start an entity (write &amp;); if the \
         cells are plain text, not TMX segment markup, read with --plain"
    );
    let e = read_table(TableFormat::Tsv, "en\tru\nok\tx &nbsp; y\n", opts()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("t.tsv:2:6: unit 1 (target): the entity &nbsp; is not defined"),
        "{e}"
    );
    let e = read_table(TableFormat::Tsv, "en\tru\nok\ta < b\n", opts()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("t.tsv:2:6: unit 1 (target): `<` does not start a tag"),
        "{e}"
    );
    let e = read_table(TableFormat::Tsv, "en\tru\nok\t<b>x\n", opts()).unwrap_err();
    assert!(e.to_string().contains("<b> is not closed"), "{e}");
    // With --plain the same cells are literal text.
    let plain = TableOptions {
        plain: true,
        ..opts()
    };
    let (_, units, _) = read_table(TableFormat::Tsv, data, plain.clone()).unwrap();
    assert_eq!(units[1].variants[0].segment, Segment::from_text("A & B"));
    // Lenient: the broken row is skipped with a warning.
    let mut r = TableReader::new(data.as_bytes(), "t.tsv", TableFormat::Tsv, opts())
        .unwrap()
        .lenient(true);
    let units: Vec<Unit> = r.by_ref().collect::<Result<_>>().unwrap();
    assert_eq!(units.len(), 1);
    let w = r.take_warnings();
    assert!(w[0].message.starts_with("row skipped: t.tsv:3:3"), "{w:?}");
}

#[test]
fn headerless_align_output_needs_the_languages() {
    let data = "The SCO met.\tШОС собралась.\t0.9700\t1-1\nA & B.\tА и Б.\t0.8800\t1-2\n";
    let e = read_table(TableFormat::Tsv, data, opts()).unwrap_err();
    assert!(e.to_string().starts_with("t.tsv:1:1: no header row"), "{e}");
    assert!(e.to_string().contains("--src-lang"));
    let o = TableOptions {
        plain: true,
        langs: Some(("en".into(), "ru".into())),
        ..opts()
    };
    let (h, units, _) = read_table(TableFormat::Tsv, data, o).unwrap();
    assert_eq!(h.srclang.as_deref(), Some("en"));
    assert_eq!(units.len(), 2);
    assert_eq!(units[0].variants[1].lang, "ru");
    assert_eq!(units[1].variants[0].segment.plain_text(), "A & B.");
    assert_eq!(
        units[0].props,
        vec![
            Prop {
                kind: "x-score".into(),
                value: "0.9700".into()
            },
            Prop {
                kind: "x-link".into(),
                value: "1-1".into()
            }
        ]
    );
    // A header row that disagrees with the languages asked for is refused.
    let o = TableOptions {
        langs: Some(("de".into(), "fr".into())),
        ..opts()
    };
    assert!(read_table(TableFormat::Tsv, "en\tru\ttuid\na\tb\t1\n", o.clone()).is_err());
    // Given the languages, a first row that merely looks like tags is data.
    let o = TableOptions {
        langs: Some(("en".into(), "ro".into())),
        ..o
    };
    let (_, units, _) = read_table(TableFormat::Tsv, "Yes\tDa\nNo\tNu\n", o).unwrap();
    assert_eq!(units.len(), 2);
    assert_eq!(units[0].variants[1].lang, "ro");
    // Header columns in another order, a score column and an unknown one.
    let data = "ru_RU\ten\tscore\tdomain\tnotes\nДа\tYes\t0.5\tlaw\tplain note\n\t\t\t\t\n";
    let (h, units, warnings) = read_table(TableFormat::Tsv, data, opts()).unwrap();
    assert_eq!(h.srclang.as_deref(), Some("ru_RU"));
    assert_eq!(units.len(), 1);
    assert_eq!(
        units[0].props[1],
        Prop {
            kind: "domain".into(),
            value: "law".into()
        }
    );
    assert_eq!(units[0].notes, vec!["plain note".to_string()]);
    assert!(warnings[0]
        .message
        .contains("both its segment cells are empty"));
}

#[test]
fn writer_reports_missing_and_extra_languages() {
    let units = [
        unit(
            1,
            vec![
                variant("en-US", vec![text("a")]),
                variant("ru-RU", vec![text("б")]),
                variant("de", vec![text("c")]),
            ],
        ),
        unit(2, vec![variant("en-US", vec![text("only")])]),
        unit(3, vec![variant("fr", vec![text("non")])]),
    ];
    let mut w = TableWriter::new(Vec::new(), TableFormat::Tsv, &header(), opts()).unwrap();
    let wrote: Vec<bool> = units.iter().map(|u| w.write(u).unwrap()).collect();
    assert_eq!(wrote, vec![true, true, false]);
    assert_eq!((w.written(), w.incomplete()), (2, 2));
    let warnings = w.take_warnings();
    assert!(
        warnings[0]
            .message
            .contains("its de variant(s) are not written"),
        "{warnings:?}"
    );
    assert!(warnings[1].message.contains("it has no ru-RU variant"));
    assert!(warnings[2]
        .message
        .contains("unit skipped: it has neither en-US nor ru-RU"));
    let tsv = String::from_utf8(w.finish().unwrap()).unwrap();
    assert!(tsv.contains("\nonly\t\t\t\t\t\t\n"), "{tsv}");
    // Plain cells: TAB and newline become spaces, warned.
    let (tsv, warnings) = write_table(
        TableFormat::Tsv,
        &[sample()],
        TableOptions {
            strip_tags: true,
            ..opts()
        },
    );
    assert!(tsv.contains("\nPress OK, \"now\" please & go\t"), "{tsv}");
    assert!(warnings
        .iter()
        .any(|w| w.message.contains("TAB or line break")));
    // An empty table still has its header row.
    let (tsv, _) = write_table(TableFormat::Csv, &[], opts());
    assert_eq!(tsv, "en-US,und,tuid,creationdate,changedate,props,notes\n");
}

#[test]
fn jsonl_keeps_everything_including_the_header() {
    let mut u = sample();
    u.other_attrs = vec![("usagecount".into(), "2".into())];
    u.srclang = Some("en_US".into());
    u.variants[1].props = vec![Prop {
        kind: "x-v".into(),
        value: "1".into(),
    }];
    u.variants[1].notes = vec!["vn".into()];
    u.variants[1].other_attrs = vec![("creationid".into(), "me".into())];
    u.changedate = Some(Date::parse("not a date"));
    let mut h = header();
    h.creationtool = Some("memoQ".into());
    h.o_tmf = Some("memoQTM".into());
    h.props = vec![Prop {
        kind: "x-h".into(),
        value: "v".into(),
    }];
    let mut w = TableWriter::new(Vec::new(), TableFormat::Jsonl, &h, opts()).unwrap();
    w.write(&u).unwrap();
    let text = String::from_utf8(w.finish().unwrap()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        r#"{"header":{"srclang":"en-US","creationtool":"memoQ","o-tmf":"memoQTM","props":[["x-h","v"]]}}"#
    );
    assert!(lines[1].starts_with(r#"{"tuid":"7","srclang":"en_US","creationdate":"20240115T120000Z","changedate":"not a date","attrs":[["usagecount","2"]],"props":[["x-score","0.97"]],"notes":["a note"],"variants":[{"lang":"en_US","seg":"Press <bpt i=\"1\">&lt;b&gt;</bpt>OK,\t\"now\"\nplease &amp; go<ept i=\"1\">&lt;/b&gt;</ept>","text":"Press OK,\t\"now\"\nplease & go"}"#), "{}", lines[1]);
    let mut r = TableReader::new(text.as_bytes(), "t.jsonl", TableFormat::Jsonl, opts()).unwrap();
    assert_eq!(r.header(), &h);
    let back: Vec<Unit> = r.by_ref().collect::<Result<_>>().unwrap();
    let mut want = u.clone();
    want.line = 2;
    assert_eq!(back, vec![want]);
    assert!(r.take_warnings()[0]
        .message
        .contains("\"not a date\" is not a date"));
    // Without a header line; `text` when `seg` is absent; unknown fields refused.
    let data = "{\"variants\":[{\"lang\":\"en\",\"text\":\"a < b\"},{\"lang\":\"ru\",\"seg\":\"<ph/>б\"}]}\n";
    let (h, units, _) = read_table(TableFormat::Jsonl, data, opts()).unwrap();
    assert_eq!(h, Header::default());
    assert_eq!(units[0].variants[0].segment, Segment::from_text("a < b"));
    assert_eq!(units[0].variants[1].segment.tag_count(), 1);
    let e = read_table(TableFormat::Jsonl, "{\"variants\":[],\"x\":1}\n", opts()).unwrap_err();
    assert!(e.to_string().contains("unknown field `x`"), "{e}");
    let e = read_table(
        TableFormat::Jsonl,
        "{\"variants\":[{\"lang\":\"en\",\"seg\":\"a & b\"}]}\n",
        opts(),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("t.tsv:1:1: unit 1: variant 1 (en) \"seg\", character 3"),
        "{e}"
    );
}

#[test]
fn utf16_and_bom_tables_are_read() {
    let data = "\u{FEFF}en\tru\nYes\tДа\n";
    let mut bytes = vec![];
    for u in data.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let r = TableReader::new(&bytes[..], "t.txt", TableFormat::Tsv, opts()).unwrap();
    let units: Vec<Unit> = r.collect::<Result<_>>().unwrap();
    assert_eq!(units[0].variants[1].segment.plain_text(), "Да");
    let (h, units, _) = read_table(TableFormat::Tsv, data, opts()).unwrap();
    assert_eq!(h.srclang.as_deref(), Some("en"));
    assert_eq!(units.len(), 1);
}

#[test]
fn segment_markup_parser() {
    let seg = parse_segment("a &amp; &#x1F4D6;&#65;<t:ph x='1' xmlns:t=\"u\" y=\"a&#10;b\tc\"/><hi><!-- c --><![CDATA[<raw>]]></hi>\r\nz").unwrap();
    assert_eq!(
        seg,
        Segment {
            pieces: vec![
                text("a & 📖A"),
                tag("ph", &[("x", "1"), ("y", "a\nb c")], vec![]),
                tag("hi", &[], vec![text("<raw>")]),
                text("\nz"),
            ]
        }
    );
    for (bad, at) in [
        ("a &b", 2),
        ("&#1;", 0),
        ("<a></b>", 3),
        ("</a>", 0),
        ("<a x=1/>", 5),
        ("<a x='1' x='2'/>", 9),
        ("x\u{1}", 1),
        ("]]>", 0),
    ] {
        let e = parse_segment(bad).unwrap_err();
        assert_eq!(e.0, at, "{bad}: {e:?}");
    }
    let deep = "<hi>".repeat(70);
    assert!(parse_segment(&deep).unwrap_err().1.contains("nested"));
}

/// TMX -> table -> TMX: the units a TMX file yields come back the same from the table.
fn via_table(format: TableFormat, units: &[Unit]) -> std::result::Result<(), TestCaseError> {
    let (xml, _, _) = write_all(&header(), units, WriteOptions::default());
    let (h, from_tmx) = read_all(&xml);
    let mut w = TableWriter::new(Vec::new(), format, &h, opts()).unwrap();
    for u in &from_tmx {
        prop_assert!(w.write(u).unwrap());
    }
    let table = String::from_utf8(w.finish().unwrap()).unwrap();
    let r = TableReader::new(table.as_bytes(), "t", format, opts())
        .map_err(|e| TestCaseError::fail(format!("{e}\n{table}")))?;
    let h2 = r.header().clone();
    let from_table: Vec<Unit> = r
        .collect::<Result<_>>()
        .map_err(|e| TestCaseError::fail(format!("{e}\n{table}")))?;
    let (xml2, _, _) = write_all(&h2, &from_table, WriteOptions::default());
    let (_, back) = read_all(&xml2);
    prop_assert_eq!(back.len(), from_tmx.len());
    for (a, b) in from_tmx.iter().zip(&back) {
        same_content(a, b)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]
    #[test]
    fn tmx_tsv_tmx_is_lossless(units in prop::collection::vec(arb_unit(), 1..4)) {
        via_table(TableFormat::Tsv, &units)?;
    }

    #[test]
    fn tmx_csv_tmx_is_lossless(units in prop::collection::vec(arb_unit(), 1..4)) {
        via_table(TableFormat::Csv, &units)?;
    }

    #[test]
    fn tmx_jsonl_tmx_is_lossless(units in prop::collection::vec(arb_unit(), 1..4)) {
        via_table(TableFormat::Jsonl, &units)?;
    }
}

#[test]
fn tables_read_back_into_valid_tmx() {
    let (tsv, _) = write_table(TableFormat::Tsv, &[sample()], opts());
    let (h, units, _) = read_table(TableFormat::Tsv, &tsv, opts()).unwrap();
    let (xml, _, _) = write_all(&h, &units, WriteOptions::default());
    assert_valid_tmx(&xml);
}

/// `bitext align -f jsonl` records read back as units: literal text in the given languages,
/// score and link type as props; without the languages, an error that says which to give.
#[test]
fn pair_records_of_the_aligner_read_back_as_units() {
    let mut out = Vec::new();
    let id = serde_json::value::RawValue::from_string("\"doc 7\"".into()).unwrap();
    for (id, src, tgt) in [(Some(&*id), "A & B <x>", "А и Б"), (None, "Extra.", "")] {
        PairRecord {
            id,
            src_ids: vec![0, 1],
            tgt_ids: vec![0],
            src,
            tgt,
            score: 0.9731,
            kind: "2-1",
        }
        .write(&mut out)
        .unwrap();
    }
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with(r#"{"id":"doc 7","src_ids":[0,1],"#),
        "{text}"
    );
    let langs = TableOptions {
        langs: Some(("en-US".into(), "ru-RU".into())),
        ..TableOptions::default()
    };
    let (_, units, warnings) = read_table(TableFormat::Jsonl, &text, langs.clone()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(units.len(), 2);
    let first = &units[0];
    assert_eq!(
        first.variant("en-US").unwrap().segment.plain_text(),
        "A & B <x>"
    );
    assert_eq!(
        first.variant("ru-RU").unwrap().segment.plain_text(),
        "А и Б"
    );
    let props: Vec<(&str, &str)> = first
        .props
        .iter()
        .map(|p| (p.kind.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(props, [(SCORE_PROP, "0.9731"), (LINK_PROP, "2-1")]);
    assert_eq!(units[1].variants.len(), 1, "an empty side is no variant");
    let err = read_table(TableFormat::Jsonl, &text, TableOptions::default()).unwrap_err();
    let err = err_text(err);
    assert!(
        err.contains("--src-lang and --tgt-lang") && err.contains(":1:"),
        "{err}"
    );
    // A record with a field neither shape has is an error, not ignored.
    let odd = r#"{"src":"a","tgt":"b","colour":"red"}"#;
    let err = err_text(read_table(TableFormat::Jsonl, odd, langs).unwrap_err());
    assert!(err.contains("colour"), "{err}");
}

proptest! {
    /// Copying text whole when it has no byte of a forbidden char drops exactly what the
    /// char-by-char filter drops.
    #[test]
    fn cleaning_copies_what_the_char_filter_keeps(s in "[a-zа-я\\u{0}-\\u{1f}\\u{ffef}-\\u{ffff}\\u{fdd0}\\u{7f} 🙂]{0,30}") {
        let (mut out, mut dropped) = (String::new(), Vec::new());
        super::write::clean_into(&mut out, &s, &mut dropped);
        let illegal = |c: &char| crate::text::xml::xml_class(*c) == crate::text::xml::XmlClass::Illegal;
        let kept: String = s.chars().filter(|c| !illegal(c)).collect();
        let gone: Vec<char> = s.chars().filter(illegal).collect();
        prop_assert_eq!(out, kept);
        prop_assert_eq!(dropped, gone);
    }
}
