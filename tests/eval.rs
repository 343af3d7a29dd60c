//! CLI tests: eval (`bitext eval -t SYS... -g GOLD... [--per-doc] [--json]`).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{bleualign, run, run_err, run_ok, s};

/// The seven documents' files in `dir` named `test{i}.{ext}`.
fn seven(dir: &Path, ext: &str) -> Vec<String> {
    (0..7)
        .map(|i| dir.join(format!("test{i}.{ext}")).display().to_string())
        .collect()
}

/// `bitext eval -t SYS... -g GOLD... EXTRA...` as an argument list.
fn eval_args(systems: &[String], golds: &[String], extra: &[&str]) -> Vec<String> {
    let mut args = vec!["eval".to_string(), "-t".to_string()];
    args.extend(systems.iter().cloned());
    args.push("-g".to_string());
    args.extend(golds.iter().cloned());
    args.extend(extra.iter().map(|a| a.to_string()));
    args
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// One row of the README's table: the output directory (None = the gold itself), the 3-place
/// figures as printed there (strict P R F1, lax P R F1), and the precision and recall counts
/// (strict hits, lax hits, denominator).
struct Expected {
    dir: Option<&'static str>,
    figures: [&'static str; 6],
    precision: [u64; 3],
    recall: [u64; 3],
}

const README_TABLE: &[Expected] = &[
    Expected {
        dir: Some("bertalign-2021"),
        figures: ["0.938", "0.941", "0.939", "0.993", "0.991", "0.992"],
        precision: [826, 875, 881],
        recall: [807, 850, 858],
    },
    Expected {
        dir: Some("bleualign-google-s2t"),
        figures: ["0.831", "0.788", "0.809", "0.978", "0.923", "0.950"],
        precision: [676, 795, 813],
        recall: [676, 792, 858],
    },
    Expected {
        dir: Some("hunalign-nulldic"),
        figures: ["0.723", "0.782", "0.751", "0.837", "0.901", "0.868"],
        precision: [692, 801, 957],
        recall: [671, 773, 858],
    },
    Expected {
        dir: Some("hunalign-nulldic-realign"),
        figures: ["0.715", "0.775", "0.744", "0.836", "0.900", "0.867"],
        precision: [684, 799, 956],
        recall: [665, 772, 858],
    },
    Expected {
        dir: Some("bleualign-galechurch"),
        figures: ["0.677", "0.684", "0.681", "0.795", "0.803", "0.799"],
        precision: [587, 689, 867],
        recall: [587, 689, 858],
    },
    Expected {
        dir: Some("nltk-gale-church"),
        figures: ["0.672", "0.683", "0.678", "0.790", "0.803", "0.797"],
        precision: [587, 690, 873],
        recall: [586, 689, 858],
    },
    Expected {
        dir: None,
        figures: ["1.000", "1.000", "1.000", "1.000", "1.000", "1.000"],
        precision: [916, 916, 916],
        recall: [858, 858, 858],
    },
];

/// P, R, F1 from hit counts, 0/0 = 0, independent of the crate's code.
fn prf(p_hits: u64, p_den: u64, r_hits: u64, r_den: u64) -> [f64; 3] {
    let p = if p_den == 0 {
        0.0
    } else {
        p_hits as f64 / p_den as f64
    };
    let r = if r_den == 0 {
        0.0
    } else {
        r_hits as f64 / r_den as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    [p, r, f]
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

fn x(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn reproduces_the_readme_table_for_every_reference_output_and_the_gold() {
    let Some(data) = bleualign() else { return };
    let golds = seven(&data, "defr");
    for row in README_TABLE {
        let name = row.dir.unwrap_or("the gold itself");
        let systems = match row.dir {
            Some(d) => seven(&data.join("reference_outputs").join(d), "align"),
            None => golds.clone(),
        };
        let out = run_ok(&strs(&eval_args(&systems, &golds, &["--json"])));
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        let total = &v["total"];
        assert!(
            v.get("documents").is_none(),
            "{name}: documents without --per-doc"
        );
        assert_eq!(n(&total["pairs"]), 7, "{name}");
        let c = &total["counts"];
        let precision = [
            n(&c["precision"]["strict"]),
            n(&c["precision"]["lax"]),
            n(&c["precision"]["links"]),
        ];
        let recall = [
            n(&c["recall"]["strict"]),
            n(&c["recall"]["lax"]),
            n(&c["recall"]["links"]),
        ];
        assert_eq!(precision, row.precision, "{name}: precision counts");
        assert_eq!(recall, row.recall, "{name}: recall counts");
        let strict = prf(
            row.precision[0],
            row.precision[2],
            row.recall[0],
            row.recall[2],
        );
        let lax = prf(
            row.precision[1],
            row.precision[2],
            row.recall[1],
            row.recall[2],
        );
        let expected: Vec<f64> = strict.iter().chain(&lax).copied().collect();
        let got: Vec<f64> = ["strict", "lax"]
            .iter()
            .flat_map(|mode| ["precision", "recall", "f1"].map(|k| x(&total[mode][k])))
            .collect();
        for i in 0..6 {
            assert_eq!(
                format!("{:.4}", got[i]),
                format!("{:.4}", expected[i]),
                "{name}: figure {i} (strict P R F1, lax P R F1)"
            );
            assert_eq!(
                format!("{:.3}", got[i]),
                row.figures[i],
                "{name}: figure {i} against the README"
            );
        }
    }
}

#[test]
fn text_table_prints_the_figures_and_counts() {
    let Some(data) = bleualign() else { return };
    let systems = seven(
        &data.join("reference_outputs").join("hunalign-nulldic"),
        "align",
    );
    let golds = seven(&data, "defr");
    let out = run_ok(&strs(&eval_args(&systems, &golds, &[])));
    let total: Vec<&str> = out
        .lines()
        .find(|l| l.starts_with("total"))
        .unwrap_or_else(|| panic!("no total row: {out}"))
        .split_whitespace()
        .collect();
    // 692/957, 671/858, F1; 801/957, 773/858, F1; then the counts.
    assert_eq!(
        total,
        [
            "total", "0.7231", "0.7821", "0.7514", "0.8370", "0.9009", "0.8678", "692", "801",
            "957", "671", "773", "858"
        ],
        "{out}"
    );
    assert_eq!(out.lines().count(), 3, "header, column names, total: {out}");
}

#[test]
fn per_doc_rows_are_named_by_system_file_and_sum_to_the_total() {
    let Some(data) = bleualign() else { return };
    let systems = seven(
        &data.join("reference_outputs").join("bertalign-2021"),
        "align",
    );
    let golds = seven(&data, "defr");
    let text = run_ok(&strs(&eval_args(&systems, &golds, &["--per-doc"])));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2 + 7 + 1, "{text}");
    for (line, sys) in lines[2..9].iter().zip(&systems) {
        assert!(line.starts_with(sys.as_str()), "{line} should name {sys}");
    }
    assert!(lines[9].starts_with("total"));

    let out = run_ok(&strs(&eval_args(
        &systems,
        &golds,
        &["--per-doc", "--json"],
    )));
    let v: Value = serde_json::from_str(&out).unwrap();
    let docs = v["documents"].as_array().expect("documents with --per-doc");
    assert_eq!(docs.len(), 7);
    let mut sums = [0u64; 6];
    for (i, doc) in docs.iter().enumerate() {
        assert_eq!(doc["test"].as_str(), Some(systems[i].as_str()));
        assert_eq!(doc["gold"].as_str(), Some(golds[i].as_str()));
        for (j, (side, kind)) in [
            ("precision", "strict"),
            ("precision", "lax"),
            ("precision", "links"),
            ("recall", "strict"),
            ("recall", "lax"),
            ("recall", "links"),
        ]
        .iter()
        .enumerate()
        {
            sums[j] += n(&doc["counts"][side][kind]);
        }
        // Each document's figures follow from its own counts.
        let c = &doc["counts"];
        let strict = prf(
            n(&c["precision"]["strict"]),
            n(&c["precision"]["links"]),
            n(&c["recall"]["strict"]),
            n(&c["recall"]["links"]),
        );
        // (serde_json's default float parsing may be off by one ulp: compare with a tolerance.)
        for (k, want) in ["precision", "recall", "f1"].iter().zip(strict) {
            let got = x(&doc["strict"][k]);
            assert!(
                (got - want).abs() < 1e-12,
                "{}: {k} {got} != {want}",
                systems[i]
            );
        }
    }
    assert_eq!(sums, [826, 875, 881, 807, 850, 858]);
}

/// A temporary directory holding `files` (name, content).
fn files(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

#[test]
fn malformed_gold_file_is_one_error_line_with_file_and_line() {
    let dir = files(&[
        ("sys.align", "[0]:[0]\n[1]:[1]\n"),
        ("gold.defr", "[0]:[0]\n\n[1] [1]\n"),
    ]);
    let sys = dir.path().join("sys.align");
    let gold = dir.path().join("gold.defr");
    let err = run_err(&["eval", "-t", s(&sys), "-g", s(&gold)]);
    assert_eq!(
        err,
        format!(
            "bitext: error: {}:3: missing ':' between source and target: found '[' at column 5",
            gold.display()
        )
    );
}

#[test]
fn malformed_system_file_names_the_system_file() {
    let dir = files(&[
        ("sys.align", "[0]:[0]:0.5\n[1]:[x]\n"),
        ("gold.defr", "[0]:[0]\n"),
    ]);
    let sys = dir.path().join("sys.align");
    let gold = dir.path().join("gold.defr");
    let err = run_err(&["eval", "-t", s(&sys), "-g", s(&gold), "--json"]);
    assert_eq!(
        err,
        format!(
            "bitext: error: {}:2: 'x' at column 6 is not a sentence index",
            sys.display()
        )
    );
}

#[test]
fn missing_file_and_directory_are_named() {
    let dir = files(&[("gold.defr", "[0]:[0]\n")]);
    let gold = dir.path().join("gold.defr");
    let missing = dir.path().join("missing.align");
    let err = run_err(&["eval", "-t", s(&missing), "-g", s(&gold)]);
    assert!(err.contains(s(&missing)), "{err}");
    let err = run_err(&["eval", "-t", s(&gold), "-g", s(dir.path())]);
    assert!(
        err.contains(s(dir.path())) && err.contains("directory"),
        "{err}"
    );
}

#[test]
fn unequal_numbers_of_files_fail() {
    let dir = files(&[("a.align", "[0]:[0]\n")]);
    let a = dir.path().join("a.align");
    let err = run_err(&["eval", "-t", s(&a), s(&a), "-g", s(&a)]);
    assert!(err.contains("paired"), "{err}");
}

#[test]
fn garbage_files_fail_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let gold = dir.path().join("gold.defr");
    std::fs::write(&gold, "[0]:[0]\n").expect("write");
    let cases: &[&[u8]] = &[
        b"\x00\x01\x02\xff\xfe",
        b"[99999999999999999999999]:[0]\n",
        b"[0]:[0]:\n",
        b"[[[[[[[[[",
        b"]]]]:[[[[",
    ];
    for (i, bytes) in cases.iter().enumerate() {
        let sys = dir.path().join(format!("g{i}.align"));
        std::fs::write(&sys, bytes).expect("write");
        let err = run_err(&["eval", "-t", s(&sys), "-g", s(&gold)]);
        assert!(err.contains(&format!("{}:1: ", sys.display())), "{err}");
    }
}

#[test]
fn exporter_links_with_scores_crlf_and_blank_lines_are_read() {
    let dir = files(&[
        (
            "sys.links",
            "[0]:[0]:0.9700\r\n\r\n[1, 2]:[1]:0.5000\r\n[]:[2]:0.0000\r\n",
        ),
        ("gold.defr", "[0]:[0]\n[1, 2]:[1]\n[]:[2]\n"),
    ]);
    let sys = dir.path().join("sys.links");
    let gold = dir.path().join("gold.defr");
    let out = run(&["eval", "-t", s(&sys), "-g", s(&gold), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(x(&v["total"]["strict"]["f1"]), 1.0);
    assert_eq!(n(&v["total"]["counts"]["precision"]["links"]), 3);
    assert_eq!(n(&v["total"]["counts"]["recall"]["links"]), 2);
}

#[test]
fn empty_files_score_zero_not_nan() {
    let dir = files(&[("sys.align", ""), ("gold.defr", "")]);
    let sys = dir.path().join("sys.align");
    let gold = dir.path().join("gold.defr");
    let out = run_ok(&["eval", "-t", s(&sys), "-g", s(&gold), "--json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    for mode in ["strict", "lax"] {
        for k in ["precision", "recall", "f1"] {
            assert_eq!(x(&v["total"][mode][k]), 0.0, "{mode} {k}");
        }
    }
}

#[test]
fn reads_what_bitext_align_writes_with_format_links() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("pact.links");
    let en = crate::util::fixture("sco-paris-pact-beijing.en.sents");
    let ru = crate::util::fixture("sco-paris-pact-beijing.ru.sents");
    let gold = crate::util::fixture("sco-paris-pact-beijing.links");
    run_ok(&[
        "align",
        "--presplit",
        s(&en),
        s(&ru),
        "--format",
        "links",
        "-o",
        s(&out),
    ]);
    let written = std::fs::read_to_string(&out).expect("links written");
    let lines = written.lines().filter(|l| !l.trim().is_empty()).count() as u64;
    assert!(lines > 0, "no links written");
    let json = run_ok(&["eval", "-t", s(&out), "-g", s(&gold), "--json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    // Every written link is read and counted once (the aligner writes no duplicates), and the
    // gold's 12 links are all non-null.
    assert_eq!(n(&v["total"]["counts"]["precision"]["links"]), lines);
    assert_eq!(n(&v["total"]["counts"]["recall"]["links"]), 12);
}

/// `fixtures/eval/scored.links` (12 scored links, 8 of them strict hits) and its gold.
fn scored_fixture() -> (PathBuf, PathBuf) {
    (
        crate::util::fixture("eval/scored.links"),
        crate::util::fixture("eval/scored.gold"),
    )
}

/// The whitespace-separated fields of the first line of `text` starting with `prefix`.
fn fields<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?} in:\n{text}"))
        .split_whitespace()
        .collect()
}

#[test]
fn scored_links_get_a_reliability_table_after_the_report() {
    let (sys, gold) = scored_fixture();
    let out = run(&["eval", "-t", s(&sys), "-g", s(&gold)]);
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The report comes first, as without scores.
    assert!(lines[2].starts_with("total"), "{text}");
    assert_eq!(lines[3], "", "{text}");
    // ECE: (|3 - 2.84| + |1 - 0.8| + |2 - 1.45| + 0.6 + 0.5 + 0.45 + 0.3 + |1 - 0.15|
    // + |1 - 0.05|) / 12 = 4.56 / 12.
    assert!(
        lines[4].starts_with("reliability of the scores: 12 scored system links")
            && lines[4].ends_with("ECE 0.3800"),
        "{text}"
    );
    assert_eq!(
        fields(&text, "[0.9, 1.0]"),
        ["[0.9,", "1.0]", "3", "3", "1.0000", "0.9467"]
    );
    assert_eq!(
        fields(&text, "[0.7, 0.8)"),
        ["[0.7,", "0.8)", "2", "2", "1.0000", "0.7250"]
    );
    assert_eq!(
        fields(&text, "[0.4, 0.5)"),
        ["[0.4,", "0.5)", "1", "0", "0.0000", "0.4500"]
    );
    assert_eq!(fields(&text, "[0.2, 0.3)")[2..], ["0", "0", "-", "-"]);
    // Cumulative: recall over all 9 non-null gold links at every threshold.
    assert_eq!(
        fields(&text, ">= 0.7"),
        [">=", "0.7", "*", "6", "1.0000", "0.5556", "0.7143", "1.0000", "0.5556", "0.7143"]
    );
    assert_eq!(
        fields(&text, ">= 0.5"),
        [">=", "0.5", "*", "8", "0.7500", "0.5556", "0.6383", "1.0000", "0.7778", "0.8750"]
    );
    assert_eq!(fields(&text, ">= 0.6")[..3], [">=", "0.6", "7"]);
    assert_eq!(fields(&text, ">= 0.9")[..4], [">=", "0.9", "*", "3"]);
    assert_eq!(text.matches(" * ").count(), 3, "{text}");
}

#[test]
fn min_score_changes_the_counts_of_the_report_not_the_table() {
    let (sys, gold) = scored_fixture();
    let all = run_ok(&["eval", "-t", s(&sys), "-g", s(&gold)]);
    assert_eq!(
        fields(&all, "total"),
        [
            "total", "0.6667", "0.7778", "0.7179", "0.8333", "1.0000", "0.9091", "8", "10", "12",
            "7", "9", "9"
        ]
    );
    let kept = run_ok(&["eval", "-t", s(&sys), "-g", s(&gold), "--min-score", "0.7"]);
    // 0.99, 0.95, 0.90, 0.80, 0.75 and the 0.70 null link: all strict hits; the null link
    // recalls nothing, the dropped 2-1 and 1-2 gold links are missed.
    assert_eq!(
        fields(&kept, "total"),
        [
            "total", "1.0000", "0.5556", "0.7143", "1.0000", "0.5556", "0.7143", "6", "6", "6",
            "5", "5", "9"
        ]
    );
    assert!(
        kept.contains("min-score 0.7: the figures above count only"),
        "{kept}"
    );
    // The reliability table is over all the scored links either way.
    let table = |t: &str| t[t.find("reliability").unwrap()..].to_string();
    assert_eq!(table(&kept), table(&all));

    let v: Value = serde_json::from_str(&run_ok(&[
        "eval",
        "-t",
        s(&sys),
        "-g",
        s(&gold),
        "--min-score",
        "0.5",
        "--json",
    ]))
    .unwrap();
    assert_eq!(x(&v["min_score"]), 0.5);
    assert_eq!(n(&v["total"]["counts"]["precision"]["links"]), 8);
    assert_eq!(n(&v["total"]["counts"]["precision"]["strict"]), 6);
    let r = &v["reliability"];
    assert_eq!(n(&r["links"]), 12);
    assert!((x(&r["ece"]) - 0.38).abs() < 1e-12, "{}", r["ece"]);
    let bins = r["bins"].as_array().expect("bins");
    assert_eq!(bins.len(), 10);
    let per_bin: Vec<u64> = bins.iter().map(|b| n(&b["links"])).collect();
    assert_eq!(per_bin, [1, 1, 0, 1, 1, 1, 1, 2, 1, 3]);
    assert!(bins[2]["precision"].is_null());
    let cumulative = r["cumulative"].as_array().expect("cumulative");
    assert_eq!(cumulative.len(), 10);
    // The 0.5 row of the table is what --min-score 0.5 reports.
    assert_eq!(x(&cumulative[5]["min_score"]), 0.5);
    assert_eq!(cumulative[5]["counts"], v["total"]["counts"]);
    assert_eq!(cumulative[5]["strict"], v["total"]["strict"]);
}

#[test]
fn unscored_links_get_a_note_instead_of_a_table() {
    let (_, gold) = scored_fixture();
    let out = run(&["eval", "-t", s(&gold), "-g", s(&gold)]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert_eq!(
        stderr.trim_end(),
        "bitext: note: no system link has a score: no reliability table"
    );
    // --min-score 0 keeps unscored links; above 0 it needs scores.
    let zero = run_ok(&["eval", "-t", s(&gold), "-g", s(&gold), "--min-score", "0"]);
    assert_eq!(fields(&zero, "total"), fields(&stdout, "total"));
    let err = run_err(&["eval", "-t", s(&gold), "-g", s(&gold), "--min-score", "0.5"]);
    assert_eq!(
        err,
        format!(
            "bitext: error: {}:1: --min-score 0.5 needs scored links, but this link has no score",
            gold.display()
        )
    );
}

#[test]
fn mixed_scored_and_unscored_links_are_an_error_naming_file_and_line() {
    let (sys, gold) = scored_fixture();
    let dir = files(&[("part.links", "[0]:[0]:0.9\n\n[1]:[1]\n")]);
    let part = dir.path().join("part.links");
    let err = run_err(&["eval", "-t", s(&sys), s(&part), "-g", s(&gold), s(&gold)]);
    assert_eq!(
        err,
        format!(
            "bitext: error: {}:3: this link has no score but the one at {}:1 has one: \
             give every link a score or none",
            part.display(),
            sys.display()
        )
    );
}

#[test]
fn min_score_outside_zero_one_is_refused() {
    let (sys, gold) = scored_fixture();
    for t in ["1.5", "-0.1", "NaN"] {
        let err = run_err(&["eval", "-t", s(&sys), "-g", s(&gold), "--min-score", t]);
        assert!(err.contains("--min-score must lie in [0, 1]"), "{t}: {err}");
    }
    let out = run(&["eval", "-t", s(&sys), "-g", s(&gold), "--min-score", "high"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--min-score"));
}

#[test]
fn another_aligners_costs_get_a_note_and_refuse_min_score() {
    let Some(data) = bleualign() else { return };
    let dir = data.join("reference_outputs").join("hunalign-nulldic");
    let systems = seven(&dir, "align");
    let golds = seven(&data, "defr");
    let out = run(&strs(&eval_args(&systems, &golds, &[])));
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bitext: note: scores outside [0, 1] are not probabilities")
            && stderr.contains(&format!("{}:", systems[0])),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("reliability"));
    let err = run_err(&strs(&eval_args(&systems, &golds, &["--min-score", "0.5"])));
    assert!(
        err.contains("--min-score needs link scores from 0 to 1"),
        "{err}"
    );
}

/// `--plot` draws a well-formed SVG with a point per non-empty score bin, a box per gold and per
/// system link (green when right, red when wrong); `--errors` lists the missed and wrong links
/// with their sentences.
#[test]
fn plot_and_errors_show_where_the_system_went_wrong() {
    let tmp = crate::util::temp_dir();
    let fixture = crate::util::fixture;
    let gold = fixture("sco-paris-pact-beijing.links");
    let gold_text = std::fs::read_to_string(&gold).expect("gold");
    // The system: the gold with links 1 and 2 merged into one wrong 2-2 link scored 0.41, the
    // others scored 0.97.
    let mut system = String::new();
    for (i, line) in gold_text.lines().enumerate() {
        match i {
            1 => system.push_str("[1, 2]:[1, 2]:0.41\n"),
            2 => {}
            _ => system.push_str(&format!("{line}:0.97\n")),
        }
    }
    let sys = tmp.path().join("sys.links");
    std::fs::write(&sys, &system).expect("written");
    let svg_path = tmp.path().join("eval.svg");
    let out = run_ok(&[
        "eval",
        "-t",
        s(&sys),
        "-g",
        s(&gold),
        "--plot",
        s(&svg_path),
        "--errors",
        "--src-sents",
        s(&fixture("sco-paris-pact-beijing.en.sents")),
        "--tgt-sents",
        s(&fixture("sco-paris-pact-beijing.ru.sents")),
    ]);
    let svg = std::fs::read_to_string(&svg_path).expect("plot written");
    let gold_links = gold_text.lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(svg.matches("class=\"bin\"").count(), 2, "bins 0.4 and 0.9");
    assert_eq!(svg.matches("class=\"gold\"").count(), gold_links);
    assert_eq!(svg.matches("class=\"sys hit\"").count(), gold_links - 2);
    assert_eq!(svg.matches("class=\"sys miss\"").count(), 1);
    if crate::util::have("xmllint") {
        let check = std::process::Command::new("xmllint")
            .args(["--noout", s(&svg_path)])
            .output()
            .expect("xmllint runs");
        assert!(check.status.success(), "the SVG is well-formed XML");
    }
    assert!(out.contains(": 2 missed, 1 wrong"), "{out}");
    assert!(out.contains("missed [1]:[1]"), "{out}");
    assert!(out.contains("wrong [1, 2]:[1, 2] (0.4100)"), "{out}");
    assert!(
        out.contains("  src: For the second consecutive day"),
        "the text of a missed link: {out}"
    );
    // The sentence files go with the documents, one each.
    let err = run_err(&[
        "eval",
        "-t",
        s(&sys),
        "-g",
        s(&gold),
        "--errors",
        "--src-sents",
        s(&sys),
        s(&sys),
        "--tgt-sents",
        s(&sys),
    ]);
    assert!(err.contains("one file per document"), "{err}");
}
