//! Tests of the lookup: tokens, percentages, ordering and the index agreeing with a full scan
//! (a property test). A child of `index` so it can see what the index kept.

use super::*;
use crate::unit::{Tag, Variant};
use proptest::prelude::*;

fn variant(lang: &str, segment: Segment) -> Variant {
    Variant::new(lang, segment)
}

fn unit_seg(n: u64, src: Segment, tgt: &str) -> Unit {
    Unit::new(
        n,
        n,
        vec![variant("en", src), variant("ru", Segment::from_text(tgt))],
    )
}

fn unit(n: u64, src: &str) -> Unit {
    unit_seg(n, Segment::from_text(src), &format!("ru {n}"))
}

fn header() -> Header {
    Header {
        srclang: Some("en".into()),
        ..Header::default()
    }
}

fn index(sources: &[&str]) -> Index {
    Index::build(
        sources
            .iter()
            .enumerate()
            .map(|(i, s)| unit(i as u64 + 1, s)),
        &header(),
        None,
    )
}

fn all() -> LookupOptions {
    LookupOptions {
        max_results: 100,
        min_percent: 1,
    }
}

fn tag(name: &str, code: &str) -> Piece {
    Piece::Tag(Tag {
        name: name.into(),
        attrs: vec![("i".into(), "1".into())],
        content: if code.is_empty() {
            vec![]
        } else {
            vec![Piece::Text(code.into())]
        },
    })
}

fn tokens(text: &str) -> Vec<(String, Class)> {
    let mut out = Vec::new();
    tokenize(&Segment::from_text(text), &mut |t, c| {
        out.push((t.to_string(), c))
    });
    out
}

/// The percent of `query` against a one-unit memory holding `memory`.
fn percent(memory: &str, query: &str) -> Option<u8> {
    index(&[memory])
        .lookup(query, &all())
        .first()
        .map(|m| m.percent)
}

const TEN: &str = "The committee approved the annual budget for the next year";

#[test]
fn tokens_words_numbers_punctuation() {
    let t = tokens("Don't pay $1,000.50 now, 3rd time—OK? 東京");
    let texts: Vec<&str> = t.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Don't", "pay", "$", "1,000.50", "now", ",", "3rd", "time", "—", "OK", "?", "東", "京"
        ]
    );
    assert_eq!(t[3].1, Class::Number);
    assert_eq!(t[6].1, Class::Word);
    assert_eq!(t[2].1, Class::Punct);
    assert_eq!(tokens("end. 5.").last().map(|t| t.1), Some(Class::Punct));
    assert!(tokens(" \t\n ").is_empty());
}

#[test]
fn exact_match_is_100() {
    assert_eq!(percent(TEN, TEN), Some(100));
    assert_eq!(percent("Hello, world!", "Hello, world!"), Some(100));
}

#[test]
fn one_word_in_ten_is_about_90() {
    let q = "The committee approved the annual budget for the last year";
    let p = percent(TEN, q).unwrap();
    assert!((88..=92).contains(&p), "{p}");
}

#[test]
fn changed_number_is_below_identical_text() {
    let idx = index(&[
        "Press the button 5 times to reset it.",
        "Press the button 6 times to reset it.",
    ]);
    let found = idx.lookup("Press the button 6 times to reset it.", &all());
    assert_eq!(found.len(), 2);
    assert_eq!((found[0].ordinal, found[0].percent), (1, 100));
    assert_eq!(found[1].ordinal, 0);
    assert!(
        (85..100).contains(&found[1].percent),
        "{}",
        found[1].percent
    );
}

#[test]
fn tag_only_difference_is_99ish() {
    let plain = Segment::from_text(TEN);
    let tagged = Segment {
        pieces: vec![
            Piece::Text("The committee approved the ".into()),
            tag("bpt", "<b>"),
            Piece::Text("annual".into()),
            tag("ept", "</b>"),
            Piece::Text(" budget for the next year".into()),
        ],
    };
    let idx = Index::build([unit_seg(1, plain.clone(), "x")], &header(), None);
    let p = idx.lookup_segment(&tagged, &all())[0].percent;
    assert_eq!(p, 98, "two tags differ: one point each");
    let one = Segment {
        pieces: vec![Piece::Text(TEN.into()), tag("ph", "<br/>")],
    };
    assert_eq!(idx.lookup_segment(&one, &all())[0].percent, 99);
    // Same tags in the memory: 100; a different native code: 99.
    let idx = Index::build([unit_seg(1, one.clone(), "x")], &header(), None);
    assert_eq!(idx.lookup_segment(&one, &all())[0].percent, 100);
    let other = Segment {
        pieces: vec![Piece::Text(TEN.into()), tag("ph", "<hr/>")],
    };
    assert_eq!(idx.lookup_segment(&other, &all())[0].percent, 99);
}

#[test]
fn case_and_punctuation_cost_little() {
    let lower = "the committee approved the annual budget for the next year";
    let p = percent(TEN, lower).unwrap();
    assert!((96..100).contains(&p), "{p}");
    let p = percent(&format!("{TEN}."), TEN).unwrap();
    assert!((96..100).contains(&p), "{p}");
    let word = percent(
        TEN,
        "The committee approved the annual budget for the next month",
    )
    .unwrap();
    assert!(word < p);
}

#[test]
fn no_false_100s() {
    assert_eq!(percent(TEN, &TEN.replace(' ', "  ")), Some(99));
    assert_eq!(percent("Hello world", "Hello world."), Some(88));
    assert_eq!(percent("a b c", "a b c d"), Some(75));
    // Every difference in a long sentence still stays below 100.
    let long = format!("{TEN} {TEN} {TEN} {TEN} {TEN}");
    assert_eq!(percent(&long, &format!("{long},")), Some(99));
    assert_eq!(percent(&long, &long.replacen("The", "the", 1)), Some(99));
}

#[test]
fn results_are_ordered_and_limited() {
    let idx = index(&[
        "one two three four five six seven eight nine ten",
        "one two three four five six seven eight nine eleven",
        "one two three four five six seven eight twelve eleven",
        "one two three four five six seven eight nine ten",
        "one two three four five six fourteen fifteen sixteen seventeen",
        "entirely unrelated words here",
    ]);
    let found = idx.lookup("one two three four five six seven eight nine ten", &all());
    let got: Vec<(usize, u8)> = found.iter().map(|m| (m.ordinal, m.percent)).collect();
    assert_eq!(got, [(0, 100), (3, 100), (1, 90), (2, 80), (4, 60)]);
    let top2 = idx.lookup(
        "one two three four five six seven eight nine ten",
        &LookupOptions {
            max_results: 2,
            min_percent: 50,
        },
    );
    assert_eq!(top2.iter().map(|m| m.ordinal).collect::<Vec<_>>(), [0, 3]);
    let high = idx.lookup(
        "one two three four five six seven eight nine ten",
        &LookupOptions {
            max_results: 10,
            min_percent: 85,
        },
    );
    assert_eq!(high.len(), 3);
    assert_eq!(found[0].unit.target.unwrap().text, "ru 1");
    assert_eq!(
        found[0].unit.source.text,
        "one two three four five six seven eight nine ten"
    );
}

#[test]
fn empty_and_unknown_queries() {
    let idx = index(&[TEN, "", "Hello."]);
    assert!(idx.lookup("", &all()).is_empty());
    assert!(idx.lookup("  \t", &all()).is_empty());
    assert!(idx.lookup("zebra quokka", &all()).is_empty());
    let tags_only = Segment {
        pieces: vec![tag("ph", "<br/>")],
    };
    assert!(idx.lookup_segment(&tags_only, &all()).is_empty());
    let none = LookupOptions {
        max_results: 0,
        min_percent: 1,
    };
    assert!(idx.lookup(TEN, &none).is_empty());
    let over = LookupOptions {
        max_results: 5,
        min_percent: 101,
    };
    assert!(idx.lookup(TEN, &over).is_empty());
    assert_eq!(idx.len(), 3);
}

#[test]
fn source_language_choice() {
    let mut u = unit(1, "Good morning");
    u.variants.swap(0, 1);
    u.variants[0].segment = Segment::from_text("Доброе утро");
    // The header says en; the English variant is second.
    let idx = Index::build([u.clone()], &header(), None);
    assert_eq!(idx.lookup("Good morning", &all())[0].percent, 100);
    assert_eq!(
        idx.lookup("Good morning", &all())[0]
            .unit
            .target
            .unwrap()
            .lang,
        "ru"
    );
    // Explicit source language ru.
    let idx = Index::build([u.clone()], &header(), Some("ru".into()));
    assert_eq!(idx.lookup("Доброе утро", &all())[0].percent, 100);
    // en-US finds en by its primary subtag; a missing language skips the unit.
    let idx = Index::build([u.clone()], &header(), Some("en-US".into()));
    assert_eq!(idx.lookup("Good morning", &all()).len(), 1);
    let idx = Index::build([u.clone()], &header(), Some("de".into()));
    assert_eq!((idx.len(), idx.skipped()), (0, 1));
    // *all*: the first variant.
    let all_header = Header {
        srclang: Some("*all*".into()),
        ..Header::default()
    };
    let idx = Index::build([u], &all_header, None);
    assert_eq!(idx.lookup("Доброе утро", &all())[0].percent, 100);
}

#[test]
fn matches_show_what_the_index_kept() {
    let tagged = Segment {
        pieces: vec![
            Piece::Text("Tom & Jerry <3 ".into()),
            tag("bpt", "<b>"),
            Piece::Text("run\r".into()),
            tag("ept", "</b>"),
        ],
    };
    let target = Segment::from_text("Том & Джерри <3\r");
    let mut u = unit_seg(42, tagged.clone(), "");
    u.tuid = Some("tu-42".into());
    u.variants[0].lang = "EN_us".into();
    u.variants[1].segment = target.clone();
    u.variants
        .insert(1, variant("en-us", Segment::from_text("other")));
    // No tuid, an empty tuid, no target.
    let mut bare = unit(7, "Tom and Jerry run");
    bare.variants.truncate(1);
    let mut empty_tuid = unit(8, "Tom and Jerry");
    empty_tuid.tuid = Some(String::new());
    let idx = Index::build([u, bare, empty_tuid], &header(), Some("en-US".into()));
    assert_eq!(idx.len(), 3);
    let found = idx.lookup_segment(&tagged, &all());
    assert_eq!((found[0].percent, found[0].ordinal), (100, 0));
    let e = found[0].unit;
    assert_eq!(idx.unit(0), Some(e));
    assert_eq!((e.number, e.tuid), (42, Some("tu-42")));
    assert_eq!(e.source.lang, "EN_us");
    assert_eq!(e.source.text, tagged.plain_text());
    assert_eq!(e.source.markup, Some(tagged.to_xml().as_str()));
    assert_eq!(e.source.xml(), tagged.to_xml());
    // The target skips the other en-US variant; untagged text keeps no markup copy.
    let t = e.target.unwrap();
    assert_eq!(
        (t.lang, t.text, t.markup),
        ("ru", "Том & Джерри <3\r", None)
    );
    assert_eq!(t.xml(), target.to_xml());
    let bare = idx.unit(1).unwrap();
    assert_eq!((bare.number, bare.tuid, bare.target), (7, None, None));
    assert_eq!(bare.source.xml(), "Tom and Jerry run");
    assert_eq!(idx.unit(2).unwrap().tuid, Some(""));
    assert_eq!(idx.unit(3), None);
    // Language tags are kept once each, however many units use them.
    assert_eq!(idx.langs.len(), 3);
}

#[test]
fn refused_units_keep_nothing() {
    let mut idx = Index::new(Some("de".into()));
    assert!(!idx.add(unit(1, "Good morning"), &header()));
    assert_eq!((idx.len(), idx.skipped()), (0, 1));
    assert!(
        matches!(&idx.text, Kept::Memory(t) if t.is_empty())
            && idx.records.is_empty()
            && idx.tokens.is_empty()
    );
    let kept = idx.kept_bytes();
    assert!(idx.index_bytes() >= kept);
}

/// A query repeating a common word is bounded by how often each unit repeats it: units
/// holding it once are not candidates (before, the bound credited every unit holding the word
/// with all of the query's copies, and a short query of common words scored tens of thousands
/// of units at 50%), and units too long or too short to reach the minimum are not looked at.
#[test]
fn repeated_words_and_weights_bound_the_candidates() {
    let mut sources: Vec<String> = (0..60).map(|i| format!("to w{i} x{i} y{i} z{i}")).collect();
    sources.push("to to to to w1".into());
    sources.push("to to to to w2 and a great many other words after them all".into());
    let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
    let idx = index(&refs);
    assert!(idx
        .repeat_ids
        .contains_key(&(idx.vocab.query("to", Class::Word).fold, 4)));
    let query = idx.query(&Segment::from_text("to to to to w9"));
    let ordinals: Vec<u32> = idx.candidates(&query, 50).iter().map(|c| c.1).collect();
    // Unit 9 holds "to" once and "w9": 2 of 5 words, 40%; the long unit's weight is out of
    // the range a 50% match allows.
    assert_eq!(ordinals, [60], "{ordinals:?}");
    let found = idx.lookup("to to to to w9", &LookupOptions::default());
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].ordinal, found[0].percent), (60, 80));
}

#[test]
fn large_memory_prunes_and_agrees() {
    // Many units sharing common words: the index must return what the scan returns.
    let words = [
        "the", "a", "of", "cat", "dog", "sat", "on", "mat", "red", "blue",
    ];
    let mut sources = Vec::new();
    let mut x: u64 = 7;
    for _ in 0..2000 {
        let mut s = String::new();
        let n = 3 + (x % 9) as usize;
        for _ in 0..n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push_str(words[(x % 10) as usize]);
            s.push(' ');
        }
        sources.push(s);
    }
    let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
    let idx = index(&refs);
    for q in refs.iter().take(20) {
        for min in [1, 50, 80] {
            let o = LookupOptions {
                max_results: 7,
                min_percent: min,
            };
            let a: Vec<(usize, u8)> = idx
                .lookup(q, &o)
                .iter()
                .map(|m| (m.ordinal, m.percent))
                .collect();
            let b: Vec<(usize, u8)> = idx
                .scan(&Segment::from_text(*q), &o)
                .iter()
                .map(|m| (m.ordinal, m.percent))
                .collect();
            assert_eq!(a, b, "{q} {min}");
        }
    }
}

/// A random token of a small vocabulary: words with case variants, numbers, punctuation,
/// and tags.
fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        6 => prop::sample::select(vec![
            "cat", "Cat", "dog", "the", "The", "sat", "mat", "on", "a", "red",
            "1", "2", "3.5", ",", ".", "!", "don't", "Don't", "東", "  ",
        ])
        .prop_map(|w| Piece::Text(format!("{w} "))),
        1 => prop::sample::select(vec!["ph", "bpt", "ept", "hi"])
            .prop_map(|n| tag(n, if n == "hi" { "" } else { "<x>" })),
    ]
}

fn segment() -> impl Strategy<Value = Segment> {
    prop::collection::vec(piece(), 0..9).prop_map(|pieces| {
        let mut seg = Segment::default();
        for p in pieces {
            match p {
                Piece::Text(t) => seg.push_text(&t),
                tag => seg.pieces.push(tag),
            }
        }
        seg
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// The key property: pruning never changes the answer of a full scan.
    #[test]
    fn index_agrees_with_full_scan(
        memory in prop::collection::vec(segment(), 0..40),
        query in segment(),
        pick in any::<prop::sample::Index>(),
        use_member in any::<bool>(),
        max_results in 1usize..6,
        min_percent in 0u8..=100,
    ) {
        let units: Vec<Unit> = memory
            .iter()
            .enumerate()
            .map(|(i, s)| unit_seg(i as u64 + 1, s.clone(), "t"))
            .collect();
        let idx = Index::build(units.clone(), &header(), None);
        let query = if use_member && !memory.is_empty() {
            let mut q = pick.get(&memory).clone();
            q.push_text(" cat");
            q
        } else {
            query
        };
        let options = LookupOptions { max_results, min_percent };
        let a: Vec<(usize, u8)> = idx.lookup_segment(&query, &options).iter().map(|m| (m.ordinal, m.percent)).collect();
        let b: Vec<(usize, u8)> = idx.scan(&query, &options).iter().map(|m| (m.ordinal, m.percent)).collect();
        prop_assert_eq!(&a, &b);
        // Units added after `finish` (the lists back in ordinals), then finished again: the
        // same answers in both states.
        let mut staged = Index::new(None);
        let half = units.len() / 2;
        for u in &units[..half] {
            staged.add(u.clone(), &header());
        }
        staged.finish();
        for u in &units[half..] {
            staged.add(u.clone(), &header());
        }
        let c: Vec<(usize, u8)> = staged.lookup_segment(&query, &options).iter().map(|m| (m.ordinal, m.percent)).collect();
        prop_assert_eq!(&c, &b, "not finished");
        staged.finish();
        let d: Vec<(usize, u8)> = staged.lookup_segment(&query, &options).iter().map(|m| (m.ordinal, m.percent)).collect();
        prop_assert_eq!(&d, &b, "finished again");
    }
}
