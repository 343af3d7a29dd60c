//! TSV, CSV and JSON-lines reader (`bitext::formats::table::TableReader`) over arbitrary bytes,
//! each format with segment markup and as plain text, TSV/CSV also with given languages.
//!
//! Invariants: never panics; the result does not depend on how the input is cut into reads;
//! every unit has at least one variant; lenient reading gives the same units as a clean
//! strict read; a table that reads without error is written back by
//! `TableWriter` in the same format and reads back as the same units (languages, segments,
//! tuid, dates, props, notes), whenever the writer reported no loss.
#![no_main]

use std::io::BufReader;

use bitext::formats::table::{TableFormat, TableOptions, TableReader, TableWriter};
use bitext::lang::tag::normalize_lang;
use bitext::unit::{Date, Header, Unit};
use libfuzzer_sys::fuzz_target;

#[path = "trickle.rs"]
mod trickle;
use trickle::Trickle;

type Read_ = Result<(Header, Vec<Unit>, Vec<String>), String>;

fn read(input: impl std::io::BufRead, format: TableFormat, options: &TableOptions) -> Read_ {
    read_with(input, format, options, false)
}

fn read_with(
    input: impl std::io::BufRead,
    format: TableFormat,
    options: &TableOptions,
    lenient: bool,
) -> Read_ {
    let mut reader = TableReader::new(input, "fuzz.tab", format, options.clone())
        .map_err(|e| e.to_string())?
        .lenient(lenient);
    let header = reader.header().clone();
    let mut units = Vec::new();
    for item in reader.by_ref() {
        let u = item.map_err(|e| e.to_string())?;
        assert!(
            !u.variants.is_empty(),
            "{format:?}: unit {} without variants",
            u.number
        );
        units.push(u);
    }
    let warnings = reader
        .take_warnings()
        .into_iter()
        .map(|w| w.to_string())
        .collect();
    Ok((header, units, warnings))
}

fn same_date(a: &Option<Date>, b: &Option<Date>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) if a.utc.is_some() => a.utc == b.utc,
        (Some(a), Some(b)) => a.written == b.written,
        (None, None) => true,
        _ => false,
    }
}

fn lang(tag: &str) -> String {
    normalize_lang(tag).0
}

/// Writes `units` as `format` and reads them back; panics when they come back changed.
fn round_trip(format: TableFormat, header: &Header, units: &[Unit]) {
    let mut writer = TableWriter::new(Vec::new(), format, header, TableOptions::default())
        .expect("writing to memory");
    for u in units {
        if !writer.write(u).expect("writing to memory") {
            return;
        }
    }
    if !writer.take_warnings().is_empty() || writer.incomplete() > 0 {
        return;
    }
    let bytes = writer.finish().expect("writing to memory");
    let (_, back, _) =
        read(bytes.as_slice(), format, &TableOptions::default()).unwrap_or_else(|e| {
            panic!(
                "{format:?}: written table does not read back: {e}\n{}",
                String::from_utf8_lossy(&bytes)
            )
        });
    assert_eq!(back.len(), units.len(), "{format:?}: unit count changed");
    for (a, b) in units.iter().zip(&back) {
        let ctx = || {
            format!(
                "{format:?} unit {}\n{}",
                a.number,
                String::from_utf8_lossy(&bytes)
            )
        };
        assert_eq!(a.tuid, b.tuid, "tuid: {}", ctx());
        assert!(
            same_date(&a.creationdate, &b.creationdate),
            "creationdate: {}",
            ctx()
        );
        assert!(
            same_date(&a.changedate, &b.changedate),
            "changedate: {}",
            ctx()
        );
        assert_eq!(a.props, b.props, "props: {}", ctx());
        assert_eq!(a.notes, b.notes, "notes: {}", ctx());
        let variants = |u: &Unit| {
            u.variants
                .iter()
                .map(|v| (lang(&v.lang), v.segment.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(variants(a), variants(b), "variants: {}", ctx());
    }
}

fuzz_target!(|data: &[u8]| {
    for format in [TableFormat::Tsv, TableFormat::Csv, TableFormat::Jsonl] {
        let whole = read(data, format, &TableOptions::default());
        let trickled = read(
            BufReader::with_capacity(3, Trickle { data, step: 0 }),
            format,
            &TableOptions::default(),
        );
        assert_eq!(
            whole, trickled,
            "{format:?}: the result depends on how the input is read"
        );
        let langs = [None, Some(("en".to_string(), "ru".to_string()))];
        let langs = if format == TableFormat::Jsonl {
            &langs[..1]
        } else {
            &langs[..]
        };
        for plain in [false, true] {
            for langs in langs {
                let options = TableOptions {
                    plain,
                    langs: langs.clone(),
                    ..TableOptions::default()
                };
                let strict = read(data, format, &options);
                let lenient = read_with(data, format, &options, true);
                if let Ok((header, units, _)) = strict {
                    let (_, lenient_units, _) = lenient.expect("lenient fails where strict reads");
                    assert_eq!(
                        lenient_units, units,
                        "{format:?}: lenient differs from strict"
                    );
                    round_trip(format, &header, &units);
                }
            }
        }
    }
});
