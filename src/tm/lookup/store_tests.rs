//! Tests of the index file: what is read back answers every lookup as the index written
//! (property test), and a truncated, corrupted or foreign file is an error with the file and
//! a byte offset, never a panic (property test over random damage).

use super::*;
use crate::tm::lookup::LookupOptions;
use crate::unit::{Header, Piece, Segment, Tag, Unit, Variant};
use proptest::prelude::*;

fn header() -> Header {
    Header {
        srclang: Some("en".into()),
        ..Header::default()
    }
}

fn stamp() -> Stamp {
    Stamp {
        path: PathBuf::from("/nowhere/memory.tmx"),
        size: 1234,
        mtime_secs: 1_700_000_000,
        mtime_nanos: 5,
    }
}

fn unit(n: u64, src: Segment, tgt: &str, tuid: bool) -> Unit {
    let mut u = Unit::new(
        n,
        n,
        vec![
            Variant::new(if n.is_multiple_of(3) { "en-US" } else { "en" }, src),
            Variant::new("ru", Segment::from_text(tgt)),
        ],
    );
    if tuid {
        u.tuid = Some(format!("id-{n}"));
    }
    u
}

fn bytes_of(index: &Index) -> Vec<u8> {
    let mut out = Vec::new();
    index.write_to(&mut out, &stamp()).expect("write to memory");
    out
}

fn read(bytes: &[u8]) -> crate::error::Result<(Index, Stamp)> {
    Index::read_from(bytes, bytes.len() as u64, Path::new("m.idx"))
}

fn sample_index() -> Index {
    let words = [
        "the", "The", "cat", "dog", "sat", "on", "mat", "кот", "1,000", "!",
    ];
    let mut x: u64 = 11;
    let mut units = Vec::new();
    for n in 1..=300u64 {
        let mut seg = Segment::default();
        for _ in 0..(3 + n % 7) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            seg.push_text(words[(x % 10) as usize]);
            seg.push_text(" ");
        }
        if n.is_multiple_of(5) {
            seg.pieces.push(Piece::Tag(Tag {
                name: "ph".into(),
                attrs: vec![("x".into(), "1".into())],
                content: vec![Piece::Text("<br/>".into())],
            }));
        }
        units.push(unit(n, seg, &format!("перевод {n}"), n.is_multiple_of(2)));
    }
    // A unit without the source language: skipped, and counted.
    units.push(Unit::new(
        301,
        301,
        vec![Variant::new("de", Segment::from_text("Katze"))],
    ));
    Index::build(units, &header(), None)
}

#[test]
fn an_index_read_back_answers_as_the_one_written() {
    let index = sample_index();
    let bytes = bytes_of(&index);
    assert_eq!(&bytes[..16], MAGIC);
    let (back, memory) = read(&bytes).expect("reads back");
    assert_eq!(memory, stamp());
    assert_eq!((back.len(), back.skipped()), (index.len(), index.skipped()));
    assert_eq!(back.skipped(), 1);
    for q in [
        "the cat sat on the mat",
        "The dog !",
        "кот 1,000",
        "nothing known",
        "",
    ] {
        for (max_results, min_percent) in [(5, 50), (100, 1), (1, 90)] {
            let o = LookupOptions {
                max_results,
                min_percent,
            };
            assert_eq!(back.lookup(q, &o), index.lookup(q, &o), "{q}");
        }
    }
    for o in 0..index.len() {
        assert_eq!(back.unit(o), index.unit(o));
    }
    // Written again, the same bytes.
    assert_eq!(bytes_of(&back), bytes);
}

#[test]
fn an_index_file_answers_with_its_text_left_on_disk() {
    let index = sample_index();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.idx");
    std::fs::write(&path, bytes_of(&index)).expect("write");
    assert!(is_index_file(&path));
    let (back, memory) = Index::read_file(&path).expect("reads");
    assert!(matches!(back.text, Kept::Disk(_)));
    assert_eq!(memory, stamp());
    let o = LookupOptions {
        max_results: 50,
        min_percent: 1,
    };
    for q in ["the cat sat on the mat", "кот 1,000", "The dog !"] {
        assert_eq!(back.lookup(q, &o), index.lookup(q, &o), "{q}");
    }
    for o in 0..index.len() {
        assert_eq!(back.unit(o), index.unit(o));
    }
    // Written again from the file, the same bytes; units can still be added.
    assert_eq!(bytes_of(&back), bytes_of(&index));
    let mut back = back;
    assert!(back.add(
        unit(999, Segment::from_text("a new cat"), "т", true),
        &header()
    ));
    assert_eq!(back.len(), index.len() + 1);
    assert_eq!(back.unit(0), index.unit(0));
    // Cut anywhere, the file is refused with an offset.
    let bytes = bytes_of(&index);
    for cut in [17, 100, bytes.len() / 2, bytes.len() - 9, bytes.len() - 1] {
        std::fs::write(&path, &bytes[..cut]).expect("write");
        let e = Index::read_file(&path).expect_err("truncated");
        assert!(e.to_string().contains("(at byte "), "{cut}: {e}");
    }
}

#[test]
fn damaged_files_are_refused_with_the_offset() {
    let bytes = bytes_of(&sample_index());
    let err = |b: &[u8]| read(b).err().map(|e| e.to_string()).unwrap_or_default();
    let e = err(b"<?xml version=\"1.0\"?><tmx>");
    assert!(
        e.starts_with("m.idx: not a usable bitext index: not a bitext index"),
        "{e}"
    );
    assert!(e.ends_with("(at byte 0)"), "{e}");
    let e = err(&bytes[..bytes.len() / 2]);
    assert!(e.contains("truncated"), "{e}");
    assert!(e.contains("at byte "), "{e}");
    let mut other = bytes.clone();
    other[16] = 9;
    let e = err(&other);
    assert!(e.contains("index format version 9"), "{e}");
    assert!(e.contains("(at byte 16)"), "{e}");
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(err(&longer).contains("no end marker"));
    assert!(err(&[]).contains("truncated"));
}

#[test]
fn an_empty_index_round_trips() {
    let index = Index::build(Vec::new(), &header(), Some("en".into()));
    let (back, _) = read(&bytes_of(&index)).expect("reads");
    assert!(back.is_empty());
    assert!(back.lookup("cat", &LookupOptions::default()).is_empty());
}

#[test]
fn the_stamp_tells_a_changed_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.tmx");
    std::fs::write(&path, "one").expect("write");
    let s = Stamp::of(&path).expect("stamp");
    assert_eq!(s.changed(), None);
    std::fs::write(&path, "three").expect("write");
    let why = s.changed().expect("changed");
    assert!(
        why.contains("has changed since (3 bytes then, 5 now"),
        "{why}"
    );
    std::fs::remove_file(&path).expect("rm");
    assert!(s
        .changed()
        .is_some_and(|w| w.contains("cannot be read now")));
    assert!(!is_index_file(&path));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Truncation and changed bytes anywhere: an error or an index that still answers, never
    /// a panic.
    #[test]
    fn damage_anywhere_never_panics(
        cut in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        truncate in any::<bool>(),
    ) {
        let mut bytes = bytes_of(&sample_index());
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        match read(&bytes) {
            Ok((index, _)) => {
                let o = LookupOptions { max_results: 10, min_percent: 1 };
                for q in ["the cat sat", "кот", "dog dog dog !"] {
                    let _ = index.lookup(q, &o);
                }
                for o in 0..index.len() {
                    let _ = index.unit(o);
                }
            }
            Err(e) => prop_assert!(e.to_string().contains("(at byte "), "{}", e),
        }
    }

    /// Any memory: the index read back gives the same matches.
    #[test]
    fn read_back_agrees(
        sources in prop::collection::vec("[a-cA-C ,.1]{0,12}", 0..30),
        query in "[a-cA-C ,.1]{0,12}",
        min_percent in 0u8..=100,
    ) {
        let units: Vec<Unit> = sources
            .iter()
            .enumerate()
            .map(|(i, s)| unit(i as u64 + 1, Segment::from_text(s), "t", i % 2 == 0))
            .collect();
        let index = Index::build(units.clone(), &header(), None);
        let (back, _) = read(&bytes_of(&index)).expect("reads back");
        let o = LookupOptions { max_results: 5, min_percent };
        prop_assert_eq!(back.lookup(&query, &o), index.lookup(&query, &o));
        // An index written before `finish` (its lists still in ordinals) is written ranked.
        let mut unfinished = Index::new(None);
        for u in units {
            unfinished.add(u, &header());
        }
        let bytes = bytes_of(&unfinished);
        prop_assert_eq!(&bytes, &bytes_of(&index));
    }
}

/// A string held twice in the vocabulary or among the lower-cased forms is an error naming
/// its byte (found by the `tm_index` fuzz target: the maps kept one of the two, so the index
/// read, but what it wrote back named a form beyond the ones it wrote).
#[test]
fn a_repeated_token_or_form_is_an_error_not_an_index_that_writes_back_wrong() {
    let bytes = bytes_of(&sample_index());
    let (cat, dog) = (b"\x03\0\0\0cat", b"\x03\0\0\0dog");
    let places: Vec<usize> = bytes
        .windows(cat.len())
        .enumerate()
        .filter(|(_, w)| w == cat)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        places.len(),
        2,
        "`cat` as a token and as a lower-cased form"
    );
    for (at, what) in places.iter().zip(["token", "lower-cased form"]) {
        let mut damaged = bytes.clone();
        damaged[*at..at + dog.len()].copy_from_slice(dog);
        let message = read(&damaged).expect_err("a repeated string").to_string();
        assert!(message.contains("m.idx"), "{message}");
        assert!(message.contains(&format!("at byte {at}")), "{message}");
        assert!(message.contains(&format!("{what} ")), "{message}");
        assert!(message.contains(" repeats "), "{message}");
    }
}
