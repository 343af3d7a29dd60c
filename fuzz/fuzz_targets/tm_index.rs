//! Fuzzy-match index files (`bitext::tm::lookup::Index::read_from`, what `bitext tm lookup
//! INDEX` reads) over arbitrary bytes.
//!
//! Invariants: never panics; an index that reads answers lookups (no panic) and shows every
//! unit it holds or leaves a damaged one out; written back, it reads back and answers every
//! lookup the same, and writes the same bytes again.
#![no_main]

use std::path::Path;

use bitext::tm::lookup::{Index, LookupOptions, Stamp};
use libfuzzer_sys::fuzz_target;

const QUERIES: [&str; 4] = ["the cat sat on the mat", "Кот 1,000 !", "a", ""];

fn answers(index: &Index) -> Vec<Vec<(usize, u8)>> {
    let mut out = Vec::new();
    for q in QUERIES {
        for (max_results, min_percent) in [(5, 50), (20, 1)] {
            let o = LookupOptions {
                max_results,
                min_percent,
            };
            out.push(
                index
                    .lookup(q, &o)
                    .iter()
                    .map(|m| (m.ordinal, m.percent))
                    .collect(),
            );
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.idx");
    let Ok((index, stamp)) = Index::read_from(data, data.len() as u64, path) else {
        return;
    };
    let first = answers(&index);
    for o in 0..index.len().min(1000) {
        let _ = index.unit(o);
    }
    let mut bytes = Vec::new();
    index
        .write_to(&mut bytes, &stamp)
        .expect("an index that reads writes back");
    let (back, back_stamp) = Index::read_from(&bytes[..], bytes.len() as u64, path)
        .unwrap_or_else(|e| panic!("what was written does not read back: {e}"));
    assert_eq!(back_stamp, stamp);
    assert_eq!(back.len(), index.len());
    assert_eq!(answers(&back), first);
    let mut again = Vec::new();
    back.write_to(&mut again, &back_stamp).expect("writes");
    assert_eq!(again, bytes);
    let _: Stamp = back_stamp;
});
