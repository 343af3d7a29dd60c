//! CLI tests: `bitext align --batch MANIFEST`, `bitext align SRC_DIR TGT_DIR -o OUT_DIR` and
//! `bitext align --stream`, with the bad input of issue 4 (missing, binary and huge files, a
//! file without sentence boundaries, unmatched names, lines that are not JSON).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use serde_json::Value;

use crate::util::{bitext, fixture, run, run_err, run_ok, s, temp_dir};

/// The document pairs of `fixtures/batch/` (same name under `en/` and `ru/`).
const NAMES: [&str; 3] = ["ferry", "library", "weather"];

fn en(name: &str) -> PathBuf {
    fixture(&format!("batch/en/{name}.txt"))
}

fn ru(name: &str) -> PathBuf {
    fixture(&format!("batch/ru/{name}.txt"))
}

fn stderr(out: &Output) -> String {
    let text = String::from_utf8(out.stderr.clone()).expect("UTF-8 stderr");
    assert!(!text.contains("panicked"), "panic: {text}");
    text
}

/// Runs `bitext ARGS` with `SOURCE_DATE_EPOCH` fixed, so that TMX files are reproducible.
fn run_fixed(args: &[&str]) -> Output {
    bitext()
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("bitext runs")
}

/// The single-pair output of `bitext align SRC TGT -f FORMAT`, to compare batch outputs with.
fn single(src: &Path, tgt: &Path, format: &str) -> String {
    run_ok(&["align", "--no-learn", s(src), s(tgt), "-f", format])
}

/// File names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().into_string().expect("UTF-8"))
        .collect();
    v.sort();
    v
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Copies the batch fixtures to `dir/en` and `dir/ru`.
fn copy_fixtures(dir: &Path) {
    for side in ["en", "ru"] {
        std::fs::create_dir_all(dir.join(side)).expect("mkdir");
        for n in NAMES {
            let from = fixture(&format!("batch/{side}/{n}.txt"));
            std::fs::copy(&from, dir.join(side).join(format!("{n}.txt"))).expect("copy");
        }
    }
}

#[test]
fn manifest_pairs_are_written_like_single_runs() {
    let dir = temp_dir();
    copy_fixtures(dir.path());
    let manifest = dir.path().join("corpus.tsv");
    std::fs::write(
        &manifest,
        "# source\ttarget\toutput, relative to this file\n\
         en/ferry.txt\tru/ferry.txt\tout/ferry.links\n\
         \n\
         en/library.txt\tru/library.txt\tout/library.tsv\n\
         en/weather.txt\tru/weather.txt\tout/sub/weather.jsonl\n",
    )
    .expect("manifest");
    let out = run(&["align", "--no-learn", "--batch", s(&manifest)]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(out.stdout.is_empty(), "batch writes files, not stdout");
    let o = dir.path().join("out");
    assert_eq!(
        read(&o.join("ferry.links")),
        single(&en("ferry"), &ru("ferry"), "links")
    );
    assert_eq!(
        read(&o.join("library.tsv")),
        single(&en("library"), &ru("library"), "tsv")
    );
    assert_eq!(
        read(&o.join("sub/weather.jsonl")),
        single(&en("weather"), &ru("weather"), "jsonl")
    );
    // One summary line, no progress bar in a pipe.
    let summary: Vec<&str> = err.lines().filter(|l| l.contains(" pairs: ")).collect();
    assert_eq!(summary.len(), 1, "{err}");
    assert!(
        summary[0].starts_with(
            "bitext: 3 pairs: 3 done, 0 failed; sentences 17 source, 17 target; 17 links (17 \
             1-1, 0 other; unaligned: 0 source, 0 target), 17 written, mean score 0."
        ),
        "{err}"
    );
    assert!(summary[0].contains("; 0 warnings; "), "{err}");
    assert!(!err.contains('\r') && !err.contains("eta"), "{err:?}");
}

#[test]
fn a_malformed_manifest_line_is_named() {
    let dir = temp_dir();
    let manifest = dir.path().join("m.tsv");
    std::fs::write(&manifest, "a.en\ta.ru\ta.tmx\na.en a.ru a.tmx\n").expect("manifest");
    let err = run_err(&["align", "--batch", s(&manifest)]);
    assert!(
        err.ends_with(
            "m.tsv:2: expected 3 tab-separated fields (source, target, output) or 5 (and the \
             source and target sentence vectors), found 1"
        ),
        "{err}"
    );
}

#[test]
fn directories_pair_by_name_and_report_unmatched_names() {
    let dir = temp_dir();
    copy_fixtures(dir.path());
    std::fs::write(dir.path().join("en/only-english.txt"), "Alone.").expect("write");
    std::fs::write(dir.path().join("ru/only-russian.txt"), "Один.").expect("write");
    let out_dir = dir.path().join("aligned");
    let out = run(&[
        "align",
        "--no-learn",
        s(&dir.path().join("en")),
        s(&dir.path().join("ru")),
        "-o",
        s(&out_dir),
        "-f",
        "links",
    ]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(
        names(&out_dir),
        ["ferry.links", "library.links", "weather.links"]
    );
    for n in NAMES {
        assert_eq!(
            read(&out_dir.join(format!("{n}.links"))),
            single(&en(n), &ru(n), "links"),
            "{n}"
        );
    }
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("bitext: warning:"))
        .collect();
    assert_eq!(warnings.len(), 2, "{err}");
    assert!(
        warnings[0].contains("only-english.txt: no file of that name in"),
        "{err}"
    );
    assert!(
        warnings[1].contains("only-russian.txt: no file of that name in"),
        "{err}"
    );
    assert!(err.contains("3 pairs: 3 done, 0 failed"), "{err}");
    assert!(err.contains("; 2 warnings; "), "{err}");
}

#[test]
fn directory_mode_needs_an_output_directory() {
    let err = run_err(&["align", s(&fixture("batch/en")), s(&fixture("batch/ru"))]);
    assert!(err.contains("name an output directory with -o"), "{err}");
}

#[test]
fn outputs_are_byte_identical_at_any_thread_count() {
    // The three batch pairs and the two press releases, as TMX (date fixed).
    let dir = temp_dir();
    copy_fixtures(dir.path());
    for doc in ["sco-counter-narcotics-2018", "sco-paris-pact-beijing"] {
        for side in ["en", "ru"] {
            std::fs::copy(
                fixture(&format!("{doc}.{side}.txt")),
                dir.path().join(side).join(format!("{doc}.txt")),
            )
            .expect("copy");
        }
    }
    let (src, tgt) = (dir.path().join("en"), dir.path().join("ru"));
    let mut outputs = Vec::new();
    for threads in ["1", "3"] {
        let out_dir = dir.path().join(format!("out-{threads}"));
        let out = run_fixed(&[
            "align",
            s(&src),
            s(&tgt),
            "-o",
            s(&out_dir),
            "--threads",
            threads,
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let files: Vec<(String, Vec<u8>)> = names(&out_dir)
            .into_iter()
            .map(|n| {
                let bytes = std::fs::read(out_dir.join(&n)).expect("read");
                (n, bytes)
            })
            .collect();
        assert_eq!(files.len(), 5);
        assert!(files.iter().all(|(_, b)| b.len() > 500));
        outputs.push(files);
    }
    assert!(
        outputs[0] == outputs[1],
        "outputs differ between 1 and 3 threads"
    );
}

/// A manifest with bad pairs between good ones: a missing file, a binary file, a pair refused
/// by the length ratio.
fn mixed_manifest(dir: &Path) -> PathBuf {
    std::fs::write(dir.join("binary.txt"), b"PK\x03\x04\x00\x00data").expect("write");
    std::fs::write(dir.join("short.txt"), "Hi.").expect("write");
    let line = |src: &Path, tgt: &Path, out: &str| format!("{}\t{}\t{out}\n", s(src), s(tgt));
    let manifest = dir.join("m.tsv");
    let text = [
        line(&en("ferry"), &ru("ferry"), "ferry.tsv"),
        line(&dir.join("missing.txt"), &ru("library"), "missing.tsv"),
        line(&en("library"), &ru("library"), "library.tsv"),
        line(&dir.join("binary.txt"), &ru("weather"), "binary.tsv"),
        line(&dir.join("short.txt"), &ru("ferry"), "short.tsv"),
        line(&en("weather"), &ru("weather"), "weather.tsv"),
    ]
    .concat();
    std::fs::write(&manifest, text).expect("manifest");
    manifest
}

#[test]
fn a_bad_pair_in_the_middle_is_reported_and_skipped() {
    let dir = temp_dir();
    let manifest = mixed_manifest(dir.path());
    let out = run(&[
        "align",
        "--no-learn",
        "--batch",
        s(&manifest),
        "--threads",
        "2",
    ]);
    let err = stderr(&out);
    assert!(
        !out.status.success(),
        "a failed pair makes the exit code non-zero"
    );
    assert_eq!(
        names(dir.path()),
        [
            "binary.txt",
            "ferry.tsv",
            "library.tsv",
            "m.tsv",
            "short.txt",
            "weather.tsv"
        ],
        "good pairs written, nothing else (no temporary files)"
    );
    for n in NAMES {
        assert_eq!(
            read(&dir.path().join(format!("{n}.tsv"))),
            single(&en(n), &ru(n), "tsv")
        );
    }
    let errors: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("bitext: error:"))
        .collect();
    assert_eq!(errors.len(), 3, "{err}");
    let find = |needle: &str| {
        errors
            .iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no error with {needle:?} in {err}"))
            .to_string()
    };
    let missing = find("m.tsv:2: ");
    assert!(
        missing.contains("missing.txt") && missing.contains("No such file"),
        "{missing}"
    );
    let binary = find("m.tsv:4: ");
    assert!(
        binary.contains("binary.txt") && binary.contains("zip archive"),
        "{binary}"
    );
    let short = find("m.tsv:5: ");
    assert!(
        short.contains("times longer than") && short.contains("short.txt"),
        "{short}"
    );
    assert!(err.contains("6 pairs: 3 done, 3 failed;"), "{err}");
}

#[test]
fn fail_fast_starts_no_new_pair_after_a_failure() {
    let dir = temp_dir();
    let manifest = mixed_manifest(dir.path());
    let out = run(&[
        "align",
        "--batch",
        s(&manifest),
        "--threads",
        "1",
        "--fail-fast",
    ]);
    let err = stderr(&out);
    assert!(!out.status.success());
    // One worker takes the pairs in order: the first is written, the second fails, the rest
    // never start.
    assert!(dir.path().join("ferry.tsv").exists(), "{err}");
    for n in ["library.tsv", "weather.tsv", "binary.tsv", "short.tsv"] {
        assert!(!dir.path().join(n).exists(), "{n} was written: {err}");
    }
    assert!(
        err.contains("6 pairs: 1 done, 1 failed, 4 not started;"),
        "{err}"
    );
}

#[test]
fn a_batch_never_writes_over_an_input() {
    let dir = temp_dir();
    copy_fixtures(dir.path());
    let manifest = dir.path().join("m.tsv");
    std::fs::write(
        &manifest,
        "en/ferry.txt\tru/ferry.txt\tru/library.txt\nen/library.txt\tru/library.txt\tlib.tmx\n",
    )
    .expect("manifest");
    let before = read(&dir.path().join("ru/library.txt"));
    let out = run(&["align", "--batch", s(&manifest)]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("m.tsv:1: refusing to write output") && err.contains("input"),
        "{err}"
    );
    assert_eq!(read(&dir.path().join("ru/library.txt")), before);
    assert!(dir.path().join("lib.tmx").exists(), "{err}");
}

/// Runs `bitext align --stream ARGS` with `input` on stdin.
fn stream(input: &str, args: &[&str]) -> Output {
    let mut child = bitext()
        .args(["align", "--stream"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bitext runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("bitext finishes");
    writer.join().expect("writer").expect("stdin written");
    out
}

/// A stream input line for a fixture pair.
fn doc_line(id: Value, name: &str) -> String {
    let record = serde_json::json!({"id": id, "src": read(&en(name)), "tgt": read(&ru(name))});
    format!("{record}\n")
}

fn records(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8(stdout.to_vec())
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

#[test]
fn stream_writes_links_with_ids_in_input_order() {
    // Nine documents with one thread: chunks of four, so the order crosses chunk boundaries.
    let ids: Vec<Value> = (0..9)
        .map(|i| match i % 3 {
            0 => Value::from(i),
            1 => Value::from(format!("doc-{i}")),
            _ => Value::from(format!("n\u{e9}\"{i}\"")),
        })
        .collect();
    let input: String = ids
        .iter()
        .enumerate()
        .map(|(i, id)| doc_line(id.clone(), NAMES[i % 3]))
        .collect();
    let out = stream(&input, &["--threads", "1"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let got = records(&out.stdout);
    // Each document's records are exactly the JSON lines export of that pair, id first.
    let mut expected = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let n = NAMES[i % 3];
        for line in single(&en(n), &ru(n), "jsonl").lines() {
            let mut record: serde_json::Map<String, Value> =
                serde_json::from_str(line).expect("JSON");
            let mut with_id = serde_json::Map::new();
            with_id.insert("id".into(), id.clone());
            with_id.append(&mut record);
            expected.push(Value::Object(with_id));
        }
    }
    assert_eq!(got, expected);
    let first = String::from_utf8(out.stdout.clone()).expect("UTF-8");
    assert!(
        first.starts_with("{\"id\":0,\"src_ids\":[0],\"tgt_ids\":[0],\"src\":\"The Ferry"),
        "{first}"
    );
    assert!(err.contains("9 documents: 9 done, 0 failed"), "{err}");
    // The same at three threads, byte for byte.
    let three = stream(&input, &["--threads", "3"]);
    assert_eq!(three.stdout, out.stdout);
}

#[test]
fn stream_reports_a_bad_line_and_goes_on() {
    let input = [
        doc_line(Value::from(1), "ferry"),
        "this is not JSON\n".to_string(),
        "{\"id\": 3, \"src\": \"Only a source.\"}\n".to_string(),
        doc_line(Value::from(4), "weather"),
    ]
    .concat();
    let out = stream(&input, &[]);
    let err = stderr(&out);
    assert!(
        !out.status.success(),
        "a bad line makes the exit code non-zero"
    );
    let errors: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("bitext: error:"))
        .collect();
    assert_eq!(errors.len(), 2, "{err}");
    assert!(
        errors[0].starts_with("bitext: error: stdin:2: not JSON"),
        "{err}"
    );
    assert_eq!(errors[1], "bitext: error: stdin:3: missing field \"tgt\"");
    let ids: Vec<i64> = records(&out.stdout)
        .iter()
        .map(|r| r["id"].as_i64().expect("numeric id"))
        .collect();
    assert_eq!(ids, [1, 1, 1, 1, 1, 1, 4, 4, 4, 4, 4]);
    assert!(err.contains("4 documents: 2 done, 2 failed"), "{err}");
}

#[test]
fn modes_are_mutually_exclusive() {
    for args in [
        &["align", "--stream", "--batch", "m.tsv"][..],
        &["align", "--mixed", "a.txt", "--stream"][..],
        &["align", "--mixed", "a.txt", "--batch", "m.tsv"][..],
    ] {
        let out = run(args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            stderr(&out).contains("cannot be used with"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_2_gib_file_is_refused_before_it_is_read() {
    let dir = temp_dir();
    let big = dir.path().join("big.txt");
    // A sparse file: 2 GiB in size, no disk blocks.
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(2 << 30))
        .expect("sparse file");
    let started = std::time::Instant::now();
    let err = run_err(&[
        "align",
        s(&big),
        s(&ru("ferry")),
        "-o",
        s(&dir.path().join("o.tmx")),
    ]);
    assert!(started.elapsed().as_secs() < 5, "the file was read");
    assert!(err.contains("big.txt"), "{err}");
    assert!(
        err.contains("the input is 2147483648 bytes (2.0 GiB), over the limit of 1073741824 bytes"),
        "{err}"
    );
    assert_eq!(names(dir.path()), ["big.txt"]);
    // The limit is an option, and it applies to every input.
    let err = run_err(&[
        "align",
        s(&en("ferry")),
        s(&ru("ferry")),
        "--max-input-bytes",
        "100",
    ]);
    assert!(err.contains("ferry.txt"), "{err}");
    assert!(err.contains("over the limit of 100 bytes"), "{err}");
}

#[test]
fn ten_megabytes_without_a_sentence_boundary_are_warned_about_not_hung_on() {
    // 10 MB of words without one full stop, beside a good pair in the same batch. Against a
    // short translation the length ratio refuses it, after the warning about its one sentence.
    let dir = temp_dir();
    let words = ["river", "stone", "bridge", "evening", "lantern", "harbour"];
    let mut text = String::with_capacity(10_000_010);
    let mut i = 0usize;
    while text.len() < 10_000_000 {
        text.push_str(words[i * 7 % words.len()]);
        text.push(' ');
        i += 1;
    }
    text.truncate(10_000_000);
    let unbroken = dir.path().join("unbroken.txt");
    std::fs::write(&unbroken, text.trim_end()).expect("write");
    let size = text.trim_end().len();
    let manifest = dir.path().join("m.tsv");
    std::fs::write(
        &manifest,
        format!(
            "{}\t{}\tunbroken.links\n{}\t{}\tferry.links\n",
            s(&unbroken),
            s(&ru("ferry")),
            s(&en("ferry")),
            s(&ru("ferry"))
        ),
    )
    .expect("manifest");
    let started = std::time::Instant::now();
    let out = run(&["align", "--batch", s(&manifest)]);
    let elapsed = started.elapsed();
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        elapsed.as_secs() < 20,
        "10 MB without a boundary took {elapsed:?}"
    );
    let warning = err
        .lines()
        .find(|l| l.starts_with("bitext: warning:"))
        .unwrap_or_else(|| panic!("no warning: {err}"));
    assert!(
        warning.contains("unbroken.txt: the longest sentence (sentence 1) is")
            && warning.contains(&format!(
                "is {size} bytes (9.5 MiB) with no sentence boundary"
            )),
        "{warning}"
    );
    assert!(
        err.contains("m.tsv:1: ") && err.contains("times longer than"),
        "{err}"
    );
    assert!(dir.path().join("ferry.links").exists(), "{err}");
    assert!(!dir.path().join("unbroken.links").exists());
}
