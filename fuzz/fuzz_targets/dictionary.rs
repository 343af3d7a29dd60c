//! Dictionary readers (`bitext::align::lexicon::Lexicon::from_hunalign` and `from_dictd`, the
//! in-memory forms of what `Lexicon::read` does with files) over arbitrary bytes: input
//! without a NUL byte is a hunalign dictionary; otherwise the bytes before the first NUL are a
//! dictd `.index` and the rest its `.dict` text.
//!
//! Invariants: never panics; a dictionary that reads has entries; looking up any text (the
//! dictionary's own lines included) gives keys `~N` with N below the number of entries, each
//! at most once, on both sides and in both language pairs tried.
#![no_main]

use std::path::Path;

use bitext::align::anchors::KeyBuf;
use bitext::align::lexicon::Lexicon;
use bitext::Lang;
use libfuzzer_sys::fuzz_target;

fn check(lexicon: &Lexicon, text: &str) {
    assert!(!lexicon.is_empty(), "a dictionary read without entries");
    assert!(!lexicon.is_learned());
    let mut keys = KeyBuf::new();
    for side in 0..2 {
        for line in text.lines().take(64).chain([text]) {
            keys.clear();
            lexicon.keys_into(side, line, &mut keys);
            let mut seen = std::collections::HashSet::new();
            for key in keys.iter() {
                let n: usize = key
                    .strip_prefix('~')
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| panic!("bad key {key:?}"));
                assert!(
                    n < lexicon.len(),
                    "key {key} beyond {} entries",
                    lexicon.len()
                );
                assert!(seen.insert(n), "key {key} twice");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    for (src, tgt) in [(Lang::En, Lang::Ru), (Lang::Fr, Lang::De)] {
        match data.iter().position(|&b| b == 0) {
            None => {
                if let Ok(lexicon) = Lexicon::from_hunalign(Path::new("fuzz.dic"), data, src, tgt) {
                    check(&lexicon, &String::from_utf8_lossy(data));
                }
            }
            Some(nul) => {
                let (index, dict) = (&data[..nul], &data[nul + 1..]);
                let result = Lexicon::from_dictd(
                    Path::new("fuzz.index"),
                    index,
                    Path::new("fuzz.dict"),
                    dict,
                    src,
                    tgt,
                );
                if let Ok(lexicon) = result {
                    check(&lexicon, &String::from_utf8_lossy(dict));
                }
            }
        }
    }
});
