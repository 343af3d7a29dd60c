//! Criterion benches of the translation-memory commands' hot paths on generated data (no
//! `../shared` needed): (1) streaming TMX reading (`TmxReader`, MB/s) over a ~50 MB in-memory
//! TMX, (2) building the fuzzy-match index from 100,000 units, (3) one fuzzy lookup in a
//! 1,000,000-unit memory, for near matches (a memory sentence with one or two words edited)
//! and for non-matches (fresh sentences). Run with `cargo bench --bench tm`; the whole run takes
//! about three minutes on a 2-core machine, most of it generating and indexing the 1M memory.
//!
//! Besides Criterion's figures the lookup bench prints, once, the p50/p90/p99 latency of 500
//! near and 500 non-matching queries, the resident memory the 1M-unit index adds (from
//! `/proc/self/statm`; the units are streamed into it, as `bitext tm lookup` reads a memory,
//! so only what the index keeps stays), and the index's own heap size.
//!
//! The sentences are drawn from a seeded generator (xorshift): a vocabulary of 20,000
//! pseudo-words with Zipf-distributed frequencies (s = 1), 5-40 tokens a sentence (shorter
//! ones likelier), numbers (6% of tokens), commas, a full stop, and inline tags in about one
//! sentence in seven (a `bpt`/`ept` pair around a word, or a `ph`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use bitext::formats::tmx::{ReadOptions, TmxReader};
use bitext::tm::lookup::{Index, LookupOptions};
use bitext::unit::{Header, Piece, Segment, Tag, Unit, Variant};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

/// xorshift64: a fixed, dependency-free pseudo-random sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const VOCABULARY: usize = 20_000;
const SYLLABLES: [&str; 30] = [
    "ka", "to", "ri", "ne", "sa", "mo", "lu", "pe", "di", "an", "or", "el", "in", "us", "va", "ge",
    "bo", "ti", "ra", "me", "co", "nu", "fi", "la", "se", "po", "de", "ma", "ter", "ion",
];

/// Sentences over a Zipf-distributed vocabulary of pseudo-words.
struct Generator {
    words: Vec<String>,
    /// Cumulative Zipf weights, for sampling by binary search.
    cdf: Vec<f64>,
    rng: Rng,
}

impl Generator {
    fn new(seed: u64) -> Generator {
        // Word r spells r in base 30 syllables, so frequent words are short and all differ.
        let words = (0..VOCABULARY)
            .map(|r| {
                let mut w = String::new();
                let mut n = r + 1;
                while n > 0 {
                    w.push_str(SYLLABLES[n % 30]);
                    n /= 30;
                }
                w
            })
            .collect();
        let mut total = 0.0;
        let cdf = (0..VOCABULARY)
            .map(|r| {
                total += 1.0 / (r as f64 + 1.0);
                total
            })
            .collect();
        Generator {
            words,
            cdf,
            rng: Rng(seed),
        }
    }

    fn word(&mut self) -> &str {
        let total = self.cdf[VOCABULARY - 1];
        let x = self.rng.unit() * total;
        let r = self.cdf.partition_point(|&c| c < x).min(VOCABULARY - 1);
        &self.words[r]
    }

    /// One sentence as a segment (with inline tags in about one sentence in seven).
    fn segment(&mut self) -> Segment {
        // 5-40 tokens, shorter likelier: the smaller of two uniform draws.
        let n = 5 + self.rng.below(36).min(self.rng.below(36));
        let tag_at = match self.rng.below(14) {
            0 | 1 => Some((self.rng.below(n), true)),
            2 => Some((self.rng.below(n), false)),
            _ => None,
        };
        let mut seg = Segment::default();
        let mut text = String::new();
        for i in 0..n {
            if i > 0 {
                text.push(' ');
            }
            let paired = match tag_at {
                Some((at, paired)) if at == i => {
                    seg.push_text(&text);
                    text.clear();
                    let name = if paired { "bpt" } else { "ph" };
                    let code = if paired { "<b>" } else { "<br/>" };
                    seg.pieces.push(tag(name, code));
                    paired
                }
                _ => false,
            };
            if self.rng.below(100) < 6 {
                let number = self.rng.below(10_000).to_string();
                text.push_str(&number);
            } else if i == 0 {
                let w = self.word().to_string();
                let mut chars = w.chars();
                if let Some(c) = chars.next() {
                    text.extend(c.to_uppercase());
                    text.push_str(chars.as_str());
                }
            } else {
                let w = self.word().to_string();
                text.push_str(&w);
            }
            if paired {
                seg.push_text(&text);
                text.clear();
                seg.pieces.push(tag("ept", "</b>"));
            }
            if i + 1 < n && self.rng.below(100) < 8 {
                text.push(',');
            }
        }
        text.push('.');
        seg.push_text(&text);
        seg
    }

    fn unit(&mut self, number: u64) -> Unit {
        let en = self.segment();
        let ru = self.segment();
        Unit::new(number, number, vec![variant("en", en), variant("ru", ru)])
    }
}

fn tag(name: &str, code: &str) -> Piece {
    Piece::Tag(Tag {
        name: name.into(),
        attrs: vec![("i".into(), "1".into())],
        content: vec![Piece::Text(code.into())],
    })
}

fn variant(lang: &str, segment: Segment) -> Variant {
    Variant::new(lang, segment)
}

fn header() -> Header {
    Header {
        srclang: Some("en".into()),
        ..Header::default()
    }
}

/// A TMX 1.4 document of at least `bytes` bytes, as memoQ/Trados-style exports look.
fn tmx(bytes: usize) -> Vec<u8> {
    let mut gen = Generator::new(0x7e57);
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n<header \
         creationtool=\"bench\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"bench\" \
         adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\"/>\n<body>\n",
    );
    let mut n = 0u64;
    while out.len() < bytes {
        n += 1;
        let u = gen.unit(n);
        out.push_str(&format!(
            "<tu tuid=\"{n}\" creationdate=\"20240115T093000Z\" creationid=\"bench\">\n\
             <prop type=\"x-score\">0.{:02}</prop>\n\
             <tuv xml:lang=\"en\"><seg>{}</seg></tuv>\n\
             <tuv xml:lang=\"ru\"><seg>{}</seg></tuv>\n</tu>\n",
            n % 100,
            u.variants[0].segment.to_xml(),
            u.variants[1].segment.to_xml()
        ));
    }
    out.push_str("</body>\n</tmx>\n");
    out.into_bytes()
}

fn bench_read(c: &mut Criterion) {
    let data = tmx(50 << 20);
    let mut group = c.benchmark_group("tmx_read");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.bench_function(format!("{}MB", data.len() >> 20), |b| {
        b.iter(|| {
            let reader = TmxReader::new(
                black_box(data.as_slice()),
                "bench.tmx",
                ReadOptions::default(),
            )
            .expect("the generated header reads");
            let mut units = 0u64;
            for unit in reader {
                unit.expect("the generated units read");
                units += 1;
            }
            units
        })
    });
    group.finish();
}

fn bench_build(c: &mut Criterion) {
    let mut gen = Generator::new(0xb1d);
    let units: Vec<Unit> = (1..=100_000).map(|n| gen.unit(n)).collect();
    let header = header();
    let mut group = c.benchmark_group("index_build");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(units.len() as u64));
    group.bench_function("100k", |b| {
        b.iter_batched(
            || units.clone(),
            |units| Index::build(black_box(units), &header, None),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// Resident memory of this process in bytes (Linux), 0 elsewhere.
fn resident() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

/// `text` with one or two words replaced, deleted or inserted.
fn edit(text: &str, gen: &mut Generator) -> String {
    let mut words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    for _ in 0..1 + gen.rng.below(2) {
        let at = gen.rng.below(words.len().max(1));
        match gen.rng.below(3) {
            0 if !words.is_empty() => words[at] = gen.word().to_string(),
            1 if words.len() > 1 => {
                words.remove(at);
            }
            _ => {
                let w = gen.word().to_string();
                words.insert(at.min(words.len()), w);
            }
        }
    }
    words.join(" ")
}

fn percentiles(mut times: Vec<Duration>) -> String {
    times.sort();
    let at = |p: usize| times[(times.len() - 1) * p / 100].as_secs_f64() * 1e3;
    format!(
        "p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms",
        at(50),
        at(90),
        at(99)
    )
}

fn bench_lookup(c: &mut Criterion) {
    const UNITS: u64 = 1_000_000;
    let before = resident();
    let mut gen = Generator::new(0x10c);
    // Streamed in, as `bitext tm lookup` reads a memory: only what the index keeps stays.
    let started = Instant::now();
    let index = Index::build((1..=UNITS).map(|n| gen.unit(n)), &header(), None);
    let built = started.elapsed();
    let with_index = resident();
    eprintln!(
        "tm lookup: 1M units streamed into the index: +{} MB resident, {} MB in all (heap \
         freed by the benches before is reused); {} MB index heap, of which {} MB the kept \
         units; built in {:.1} s",
        with_index.saturating_sub(before) >> 20,
        with_index >> 20,
        index.index_bytes() >> 20,
        index.kept_bytes() >> 20,
        built.as_secs_f64()
    );

    let mut qgen = Generator::new(0x9e7);
    let near: Vec<String> = (0..500)
        .map(|_| {
            let o = qgen.rng.below(index.len());
            let text = index.unit(o).map_or("", |u| u.source.text);
            edit(text, &mut qgen)
        })
        .collect();
    let none: Vec<String> = (0..500).map(|_| qgen.segment().plain_text()).collect();
    let options = LookupOptions::default();
    for (name, queries) in [("near", &near), ("none", &none)] {
        let mut times = Vec::with_capacity(queries.len());
        let mut found = 0usize;
        let mut best = 0usize;
        for q in queries.iter() {
            let t = Instant::now();
            let m = index.lookup(q, &options);
            times.push(t.elapsed());
            found += m.len();
            best += m.first().map_or(0, |m| m.percent as usize);
        }
        eprintln!(
            "tm lookup 1M {name}: {} over {} queries; {:.2} matches >= 50% a query, best {:.1}% on average",
            percentiles(times),
            queries.len(),
            found as f64 / queries.len() as f64,
            best as f64 / queries.len() as f64
        );
    }

    let mut group = c.benchmark_group("lookup_1M");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));
    for (name, queries) in [("near", &near), ("none", &none)] {
        group.bench_function(name, |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % queries.len();
                index.lookup(black_box(&queries[i]), &options).len()
            })
        });
    }
    group.finish();
}

criterion_group!(tm, bench_read, bench_build, bench_lookup);
criterion_main!(tm);
