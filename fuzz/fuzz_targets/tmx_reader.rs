//! TMX reader (`bitext::formats::tmx::TmxReader`) over arbitrary bytes.
//!
//! Invariants: never panics; the result does not depend on how the input is cut into reads
//! (one read vs. reads of 1-7 bytes); every unit has at least one variant and units are
//! numbered in increasing order; lenient reading yields the same units as strict reading
//! when strict reading succeeds; what reads successfully is written back by `TmxWriter` as
//! TMX that reads back strictly, unit for unit, with the same segments.
#![no_main]

use std::io::Read;

use bitext::formats::tmx::write::{TmxWriter, WriteOptions};
use bitext::unit::{Header, Unit};
use bitext::formats::tmx::{ReadOptions, TmxReader};
use libfuzzer_sys::fuzz_target;

#[path = "trickle.rs"]
mod trickle;
use trickle::Trickle;

/// Everything a reading gives: the header, the units (or the error that stopped it) and the
/// warnings, as comparable values.
#[derive(Debug, PartialEq)]
struct Outcome {
    header: Option<Header>,
    units: Vec<Unit>,
    error: Option<String>,
    warnings: Vec<String>,
}

fn read(input: impl Read, lenient: bool) -> Outcome {
    let mut reader = match TmxReader::new(
        input,
        "fuzz.tmx",
        ReadOptions {
            lenient,
            ..ReadOptions::default()
        },
    ) {
        Ok(r) => r,
        Err(e) => {
            return Outcome {
                header: None,
                units: Vec::new(),
                error: Some(e.to_string()),
                warnings: Vec::new(),
            }
        }
    };
    let header = Some(reader.header().clone());
    let mut units = Vec::new();
    let mut error = None;
    for item in reader.by_ref() {
        match item {
            Ok(u) => units.push(u),
            Err(e) => {
                error = Some(e.to_string());
                break;
            }
        }
    }
    let warnings = reader
        .take_warnings()
        .into_iter()
        .map(|w| w.to_string())
        .collect();
    Outcome {
        header,
        units,
        error,
        warnings,
    }
}

fuzz_target!(|data: &[u8]| {
    let strict = read(data, false);
    let trickled = read(Trickle { data, step: 0 }, false);
    assert_eq!(
        strict, trickled,
        "the result depends on how the input is read"
    );

    let mut last = 0;
    for u in &strict.units {
        assert!(!u.variants.is_empty(), "unit {} without variants", u.number);
        assert!(u.number > last, "unit numbers not increasing");
        last = u.number;
    }

    let lenient = read(data, true);
    for u in &lenient.units {
        assert!(
            !u.variants.is_empty(),
            "lenient: unit {} without variants",
            u.number
        );
    }
    if strict.header.is_some() && strict.error.is_none() {
        assert_eq!(
            lenient.units, strict.units,
            "lenient differs from a clean strict read"
        );
        assert_eq!(lenient.error, None);
    }

    // Write back what was read and read it again.
    let Some(header) = &strict.header else {
        return;
    };
    let mut writer =
        TmxWriter::new(Vec::new(), header, WriteOptions::default()).expect("writing to memory");
    let mut written: Vec<(&Unit, bool)> = Vec::new();
    for u in &strict.units {
        if writer.write(u).expect("writing to memory") {
            let clean = writer.take_warnings().is_empty();
            written.push((u, clean));
        } else {
            writer.take_warnings();
        }
    }
    assert_eq!(writer.written(), written.len() as u64);
    let bytes = writer.finish().expect("writing to memory");
    let again = read(bytes.as_slice(), false);
    assert!(
        again.error.is_none() && again.header.is_some(),
        "written TMX does not read back: {:?}\n{}",
        again.error,
        String::from_utf8_lossy(&bytes)
    );
    assert_eq!(again.units.len(), written.len(), "unit count changed");
    for ((before, clean), after) in written.iter().zip(&again.units) {
        if *clean {
            let segs = |u: &Unit| {
                u.variants
                    .iter()
                    .map(|v| v.segment.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                segs(before),
                segs(after),
                "segments changed in unit {}",
                before.number
            );
        }
    }
});
