//! Sentence-vector reader (`bitext::read::vectors::parse_vectors`, `--embeddings`) over
//! arbitrary bytes, as a `.npy` file and as raw float32 of a dimension taken from the input.
//!
//! Invariants: never panics; the vectors read have as many rows as the values make; every
//! row is of unit length or zero; raw float32 reads `len / 4 / dim` rows.
#![no_main]

use std::path::Path;

use bitext::read::vectors::parse_vectors;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.npy");
    let dim = data.first().map(|&b| usize::from(b % 9));
    for given in [None, dim] {
        let Ok(vectors) = parse_vectors(data, path, given) else {
            continue;
        };
        assert!(vectors.dim() > 0);
        if !data.starts_with(b"\x93NUMPY") {
            let dim = given.expect("raw float32 needs a dimension");
            assert_eq!(vectors.rows(), data.len() / 4 / dim);
        }
        for i in 0..vectors.rows() {
            let norm: f64 = vectors.row(i).iter().map(|&x| f64::from(x).powi(2)).sum();
            assert!(
                norm == 0.0 || (norm - 1.0).abs() < 1e-3,
                "row {i} has squared length {norm}"
            );
        }
    }
});
