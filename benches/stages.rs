//! Criterion benches of each pipeline stage on deterministic data built from the bundled
//! fixtures (no `../shared` needed): split (EN and RU, sentences/s), normalise (NFC text and
//! decomposed NFD text, bytes/s), cost model, align and score (about 2,000 x 2,000 pre-split
//! EN-RU sentences), and TMX write (units/s). Run with `cargo bench --bench stages`; the whole
//! run takes under two minutes on a 2-core machine.
//!
//! The long texts are seeded concatenations of the two EN-RU fixture documents, drawn in a
//! pseudo-random order (xorshift, fixed seed), each copy tagged with its number in both
//! languages so copies are not word-for-word identical.

use std::hint::black_box;
use std::time::Duration;

use bitext::export::{self, ExportOptions, TranslationUnit};
use bitext::formats::Format;
use bitext::{align, normalize, read, score, split, Lang};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use unicode_normalization::UnicodeNormalization;

/// The two EN-RU fixture documents as running text.
const TEXTS: [(&str, &str); 2] = [
    (
        include_str!("../fixtures/sco-counter-narcotics-2018.en.txt"),
        include_str!("../fixtures/sco-counter-narcotics-2018.ru.txt"),
    ),
    (
        include_str!("../fixtures/sco-paris-pact-beijing.en.txt"),
        include_str!("../fixtures/sco-paris-pact-beijing.ru.txt"),
    ),
];

/// The same documents split one sentence a line (their gold segmentation).
const SENTS: [(&str, &str); 2] = [
    (
        include_str!("../fixtures/sco-counter-narcotics-2018.en.sents"),
        include_str!("../fixtures/sco-counter-narcotics-2018.ru.sents"),
    ),
    (
        include_str!("../fixtures/sco-paris-pact-beijing.en.sents"),
        include_str!("../fixtures/sco-paris-pact-beijing.ru.sents"),
    ),
];

/// xorshift64: a fixed, dependency-free pseudo-random sequence.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// A long EN-RU bitext: `copies` documents drawn from `docs` in seeded order, separated by a
/// blank line, each opening with a numbered line ("Part 12." / "Часть 12.").
fn long_pair(docs: &[(&str, &str); 2], copies: usize, seed: u64) -> (String, String) {
    let mut rng = Rng(seed);
    let (mut en, mut ru) = (String::new(), String::new());
    for copy in 1..=copies {
        let (e, r) = docs[rng.below(docs.len())];
        en.push_str(&format!("Part {copy}.\n{}\n\n", e.trim_end()));
        ru.push_str(&format!("Часть {copy}.\n{}\n\n", r.trim_end()));
    }
    (en, ru)
}

fn bench_split(c: &mut Criterion) {
    let (en, ru) = long_pair(&TEXTS, 400, 0x5eed);
    let mut group = c.benchmark_group("split");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for (name, text, lang) in [("en", &en, Lang::En), ("ru", &ru, Lang::Ru)] {
        let doc = read::Document::from_text(name, text.as_str());
        let sentences = split::split(doc.clone(), lang).len();
        group.throughput(Throughput::Elements(sentences as u64));
        group.bench_function(name, |b| {
            b.iter_batched(
                || doc.clone(),
                |d| split::split(black_box(d), lang),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn bench_normalize(c: &mut Criterion) {
    let (_, ru) = long_pair(&TEXTS, 400, 0x5eed);
    // Russian in NFD: every й and ё decomposed, so the slow path runs.
    let nfd: String = ru.nfd().collect();
    let mut group = c.benchmark_group("normalize");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for (name, text) in [("ru-nfc", &ru), ("ru-nfd", &nfd)] {
        let doc = read::Document::from_text(name, text.as_str());
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter_batched(
                || doc.clone(),
                |d| normalize::normalize(black_box(d)),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn bench_align(c: &mut Criterion) {
    // About 2,000 x 2,000 pre-split sentences (120 documents of 19-33 sentences a side).
    let (en, ru) = long_pair(&SENTS, 120, 0xa11e);
    let en = split::lines(read::Document::from_text("en", en));
    let ru = split::lines(read::Document::from_text("ru", ru));
    let options = align::Options::default();
    let label = format!("{}x{}", en.len(), ru.len());
    let mut group = c.benchmark_group("align");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Elements(en.len() as u64));
    group.bench_function(format!("cost_model/{label}"), |b| {
        b.iter(|| {
            align::CostModel::new(black_box(&en), black_box(&ru), Lang::En, Lang::Ru, &options)
        })
    });
    let model = align::CostModel::new(&en, &ru, Lang::En, Lang::Ru, &options);
    group.bench_function(format!("align/{label}"), |b| {
        b.iter(|| align::align(black_box(&model)))
    });
    let alignment = align::align(&model);
    group.bench_function(format!("score/{label}"), |b| {
        b.iter(|| score::score(black_box(&model), black_box(&alignment)))
    });
    // What the CLI runs: the search and the scorer over one set of lattices.
    group.bench_function(format!("align_and_score/{label}"), |b| {
        b.iter(|| score::align_and_score(black_box(&model), None))
    });
    group.finish();

    let scored = score::score(&model, &alignment);
    let units: Vec<TranslationUnit> = scored
        .iter()
        .map(|l| TranslationUnit::from_link(l, &en, &ru))
        .collect();
    let options = ExportOptions {
        format: Format::Tmx,
        ..ExportOptions::default()
    };
    let mut group = c.benchmark_group("export");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Elements(units.len() as u64));
    group.bench_function(format!("tmx/{}units", units.len()), |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(1 << 20);
            let warnings = export::write_units(black_box(&units), &options, &mut out);
            (out, warnings)
        })
    });
    group.finish();
}

criterion_group!(stages, bench_split, bench_normalize, bench_align);
criterion_main!(stages);
