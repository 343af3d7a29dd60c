//! `--batch` manifest parser (`bitext::run::batch::parse_manifest_text`, after `read::decode` as
//! `parse_manifest` does) over arbitrary bytes.
//!
//! Invariants: never panics; one job per line that is neither blank nor a `#` comment, with
//! the line number in its label; every path is absolute (the base is);
//! the jobs written back as a manifest parse to the same paths (vector columns included).
#![no_main]

use std::path::Path;

use bitext::run::batch::parse_manifest_text;
use bitext::read::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let manifest = Path::new("/fuzz/jobs.tsv");
    let base = Path::new("/fuzz");
    let Ok(text) = decode(data, manifest) else {
        return;
    };
    let Ok(jobs) = parse_manifest_text(&text, manifest, base) else {
        return;
    };
    let expected: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            !l.trim().is_empty() && !l.trim_start().starts_with('#')
        })
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(jobs.len(), expected.len(), "jobs and job lines differ");
    let mut again = String::new();
    for (job, line) in jobs.iter().zip(expected) {
        assert_eq!(job.label, format!("/fuzz/jobs.tsv:{line}"));
        let vectors = job.vectors.iter().flatten();
        for p in [&job.src, &job.tgt, &job.out].into_iter().chain(vectors) {
            assert!(p.is_absolute(), "{} is not absolute", p.display());
            let s = p.to_str().expect("paths from text are text");
            again.push_str(s);
            again.push('\t');
        }
        again.pop();
        again.push('\n');
    }
    // Written back as absolute paths, the jobs read the same (unless a path now reads as
    // something else: a field that trims differently cannot occur, as paths are trimmed).
    let back = parse_manifest_text(&again, manifest, base)
        .unwrap_or_else(|e| panic!("written manifest does not parse: {e}\n{again}"));
    assert_eq!(back.len(), jobs.len(), "{again}");
    for (a, b) in jobs.iter().zip(&back) {
        assert_eq!(
            (&a.src, &a.tgt, &a.out, &a.vectors),
            (&b.src, &b.tgt, &b.out, &b.vectors),
            "{again}"
        );
    }
});
