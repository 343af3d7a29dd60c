//! `bitext tm` end to end on the silent-loss cases of issue 13: inputs that used to lose units
//! or text without a word (a stray CSV quote, a reordered second reading, a huge unit, a
//! rejected TMX dropping one-sided units, empty tables, a JSON `text` edit, BOMs, stream ids,
//! invalid language tags) now warn or stop with the position of the problem.

use std::fs;
use std::path::Path;

use crate::util::{run, run_err, s, temp_dir};

/// Runs `bitext ARGS`, expecting success; returns (stdout, stderr).
fn ok(args: &[&str]) -> (String, String) {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "bitext {args:?} failed: {stderr}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// Writes `text` to `dir/name` and returns the path as a string.
fn put(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    fs::write(&p, text).expect("write input");
    s(&p).to_string()
}

/// A TMX document holding `units` (raw `<tu>` elements).
fn tmx(units: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header srclang=\"en\" \
         creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" \
         adminlang=\"en\" datatype=\"plaintext\"/><body>\n{units}</body></tmx>\n"
    )
}

/// A two-variant `<tu>` on one line.
fn tu(en: &str, ru: &str) -> String {
    format!(
        "<tu><tuv xml:lang=\"en\"><seg>{en}</seg></tuv><tuv xml:lang=\"ru\"><seg>{ru}</seg></tuv></tu>\n"
    )
}

#[test]
fn csv_stray_quote_stops_at_the_line_where_it_opened() {
    let dir = temp_dir();
    let mut text =
        String::from("en,ru,tuid,creationdate,changedate,props,notes\nHello 0,Привет 0,,,,,\n");
    text.push_str("\"Hello 1,Привет 1,,,,,\n");
    for i in 2..2000 {
        text.push_str(&format!("Hello {i},Привет {i},,,,,\n"));
    }
    let unclosed = put(dir.path(), "unclosed.csv", &text);
    text.push_str("x\",y,,,,,\n");
    let closed = put(dir.path(), "closed.csv", &text);
    for input in [&closed, &unclosed] {
        let out = dir.path().join("out.tsv");
        let e = run_err(&["tm", "convert", input, "-o", s(&out)]);
        assert!(
            e.contains(&format!("{input}:3:1: CSV: the quoted cell opened here")),
            "{e}"
        );
        assert!(!out.exists());
    }
}

#[test]
fn max_unit_bytes_refuses_a_huge_unit_in_every_format() {
    let dir = temp_dir();
    let big = "a".repeat(300_000);
    let inputs = [
        (
            put(
                dir.path(),
                "m.tmx",
                &tmx(&format!("{}{}", tu("a", "b"), tu(&big, "b"))),
            ),
            ":4:1:",
        ),
        (
            put(dir.path(), "m.tsv", &format!("en\tru\na\tb\n{big}\tb\n")),
            ":3:1:",
        ),
        (
            put(dir.path(), "m.csv", &format!("en,ru\na,b\n\"{big}\",b\n")),
            ":3:1:",
        ),
        (
            put(
                dir.path(),
                "m.jsonl",
                &format!("{{\"variants\":[{{\"lang\":\"en\",\"text\":\"{big}\"}}]}}\n"),
            ),
            ":1:1:",
        ),
    ];
    for (input, at) in &inputs {
        for cmd in ["convert", "merge", "stats", "dedupe", "filter"] {
            let out = dir.path().join("o.jsonl");
            let mut args = vec!["tm", cmd, input.as_str(), "--max-unit-bytes", "100000"];
            if cmd != "stats" {
                args.extend(["-o", s(&out)]);
            }
            let e = run_err(&args);
            assert!(e.contains(&format!("{input}{at}")), "{cmd} {e}");
            assert!(e.contains("--max-unit-bytes"), "{e}");
        }
        let e = run_err(&["tm", "lookup", input, "a", "--max-unit-bytes", "100000"]);
        assert!(e.contains("--max-unit-bytes"), "{e}");
        // The default (16 MiB) reads them.
        ok(&["tm", "stats", input]);
    }
    let zero = run(&["tm", "stats", &inputs[0].0, "--max-unit-bytes", "0"]);
    assert!(!zero.status.success());
}

#[test]
fn rejected_tmx_receives_every_removed_unit_and_the_summary_counts_them() {
    let dir = temp_dir();
    let units = format!(
        "{}{}<tu tuid=\"no-target\"><tuv xml:lang=\"en\"><seg>Coats go here.</seg></tuv></tu>\n{}",
        tu("Kept.", "Оставлен."),
        tu("Empty target.", ""),
        tu("Press OK.", "Press OK."),
    );
    let input = put(dir.path(), "in.tmx", &tmx(&units));
    for rejected in ["rej.tmx", "rej.tsv", "rej.jsonl"] {
        let rej = dir.path().join(rejected);
        let kept = dir.path().join(format!("kept-{rejected}.tmx"));
        let (_, err) = ok(&[
            "tm",
            "filter",
            &input,
            "--empty",
            "--untranslated",
            "-o",
            s(&kept),
            "--rejected",
            s(&rej),
        ]);
        assert!(
            err.contains("4 unit(s) read, 1 written, 3 removed, 3 to the rejected file"),
            "{err}"
        );
        let (_, err) = ok(&["tm", "stats", s(&rej), "--json"]);
        let (out, _) = ok(&["tm", "convert", s(&rej), "-f", "jsonl"]);
        assert_eq!(
            out.lines().filter(|l| l.contains("\"variants\"")).count(),
            3,
            "{rejected}: {out}{err}"
        );
    }
    let text = fs::read_to_string(dir.path().join("rej.tmx")).unwrap();
    assert!(
        text.contains("<note>bitext: written with one language variant"),
        "{text}"
    );
    // The main output still refuses one-sided units.
    let kept = fs::read_to_string(dir.path().join("kept-rej.tmx.tmx")).unwrap();
    assert_eq!(
        kept.matches("<tu>").count() + kept.matches("<tu ").count(),
        1
    );
}

#[test]
fn dedupe_refuses_a_pipe_or_device_it_cannot_read_twice() {
    let dir = temp_dir();
    let out = dir.path().join("o.tmx");
    // Standard input of the child is /dev/null here: a device, not a file.
    for input in ["/dev/stdin", "/dev/null"] {
        let e = run_err(&[
            "tm",
            "dedupe",
            "--input-format",
            "tmx",
            input,
            "-o",
            s(&out),
        ]);
        assert!(e.contains("needs a regular file"), "{e}");
    }
    assert!(!out.exists());
    if std::process::Command::new("mkfifo")
        .arg(dir.path().join("f"))
        .status()
        .is_ok_and(|s| s.success())
    {
        let fifo = dir.path().join("f");
        let e = run_err(&[
            "tm",
            "dedupe",
            "--input-format",
            "tmx",
            s(&fifo),
            "-o",
            s(&out),
        ]);
        assert!(e.contains("needs a regular file"), "{e}");
    }
}

#[test]
fn empty_tables_fail_like_an_empty_tmx_and_header_only_ones_warn() {
    let dir = temp_dir();
    let out = dir.path().join("o.tmx");
    for (name, text) in [
        ("e.tmx", ""),
        ("e.csv", ""),
        ("e.tsv", ""),
        ("e.jsonl", ""),
        ("b.csv", "\n\n\n"),
        ("b.jsonl", "\n \n"),
    ] {
        let input = put(dir.path(), name, text);
        let e = run_err(&["tm", "convert", &input, "-o", s(&out)]);
        assert!(
            e.contains(&input) && e.contains("empty") || e.contains("blank lines"),
            "{e}"
        );
        assert!(!out.exists());
    }
    for (name, text) in [
        ("h.csv", "en,ru,tuid,creationdate,changedate,props,notes\n"),
        ("h.tsv", "en\tru\n"),
        ("h.jsonl", "{\"header\":{\"srclang\":\"en\"}}\n"),
        ("h.tmx", &tmx("")),
    ] {
        let input = put(dir.path(), name, text);
        // Read with a warning, and nothing written: exit status 3.
        let result = run(&["tm", "convert", &input, "-o", s(&out)]);
        let err = String::from_utf8_lossy(&result.stderr).into_owned();
        assert_eq!(result.status.code(), Some(3), "{name}: {err}");
        assert!(err.contains("nothing was read"), "{name}: {err}");
        assert!(err.contains("no unit written"), "{name}: {err}");
        assert!(
            err.contains("0 unit(s) read, 0 written, 1 warning(s)"),
            "{name}: {err}"
        );
    }
}

#[test]
fn jsonl_text_edited_apart_from_seg_is_warned_with_its_line() {
    let dir = temp_dir();
    let input = put(
        dir.path(),
        "in.jsonl",
        "{\"header\":{\"srclang\":\"en\"}}\n{\"variants\":[{\"lang\":\"en\",\"seg\":\"Hello\",\"text\":\"Goodbye\"},{\"lang\":\"ru\",\"seg\":\"Привет\",\"text\":\"Привет\"}]}\n",
    );
    let (out, err) = ok(&["tm", "convert", &input, "-f", "tsv"]);
    assert!(out.contains("Hello\tПривет"), "{out}");
    assert!(
        err.contains(&format!("{input}:2: unit 1: variant 1 (en): \"text\" (\"Goodbye\") disagrees with \"seg\" (\"Hello\")")),
        "{err}"
    );
}

#[test]
fn a_bom_at_the_start_of_queries_is_not_part_of_the_first_query() {
    let dir = temp_dir();
    let memory = put(
        dir.path(),
        "m.tmx",
        &tmx(&tu(
            "The museum opens at ten.",
            "Музей открывается в десять.",
        )),
    );
    let queries = put(
        dir.path(),
        "q.txt",
        "\u{FEFF}The museum opens at ten.\nThe museum opens at ten.\n",
    );
    let (out, _) = ok(&["tm", "lookup", &memory, "--queries", &queries, "--json"]);
    let percents: Vec<i64> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON line"))
        .map(|v| v["matches"][0]["percent"].as_i64().unwrap_or(-1))
        .collect();
    assert_eq!(percents, [100, 100]);
    assert!(!out.contains('\u{FEFF}'), "{out}");
}

#[test]
fn stream_ids_come_out_as_given_after_a_leading_bom() {
    use std::io::Write;
    let input = "\u{FEFF}{\"id\":123456789012345678901234567890,\"src\":\"The ferry leaves at seven.\",\"tgt\":\"Паром отходит в семь.\"}\n\
                 {\"id\":123456789012345678901234567891,\"src\":\"The ferry leaves at seven.\",\"tgt\":\"Паром отходит в семь.\"}\n\
                 {\"id\":1e2,\"src\":\"Hello.\",\"tgt\":\"Привет.\"}\n";
    let mut child = crate::util::bitext()
        .args(["align", "--stream"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("bitext runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("bitext ends");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ids: Vec<&str> = stdout
        .lines()
        .map(|l| &l[..l.find(",\"src_ids\"").unwrap_or(0)])
        .collect();
    assert_eq!(
        ids,
        [
            "{\"id\":123456789012345678901234567890",
            "{\"id\":123456789012345678901234567891",
            "{\"id\":1e2"
        ]
    );
}

#[test]
fn invalid_language_tags_and_a_language_named_twice_are_refused() {
    let dir = temp_dir();
    let weird = put(
        dir.path(),
        "weird.tmx",
        &tmx("<tu><tuv xml:lang=\"../../etc\"><seg>a</seg></tuv><tuv xml:lang=\"ru&#10;x\"><seg>b</seg></tuv></tu>\n"),
    );
    let e = run_err(&["tm", "convert", &weird]);
    assert!(
        e.contains(&format!(
            "{weird}:3:5: unit 1: <tuv xml:lang>: \"../../etc\" is not a BCP 47"
        )),
        "{e}"
    );
    let dup = put(dir.path(), "dup.csv", "en,en,tuid\na,b,c\n");
    let e = run_err(&["tm", "convert", &dup]);
    assert!(
        e.contains(&format!(
            "{dup}:1:4: the header row names the language en twice"
        )),
        "{e}"
    );
    // A table whose columns the first unit chose says, in totals, what the others lost.
    let mixed = put(
        dir.path(),
        "mixed.tmx",
        &tmx(&format!(
            "<tu><tuv xml:lang=\"en\"><seg>a</seg></tuv><tuv xml:lang=\"de\"><seg>b</seg></tuv></tu>\n{}{}",
            tu("c", "в"),
            tu("d", "г")
        )),
    );
    let (_, err) = ok(&["tm", "convert", &mixed, "-f", "tsv"]);
    assert!(err.contains("2 of 3 unit(s) written incompletely (2 written with an empty en or de cell, 2 lost their ru variant)"), "{err}");
    let (_, err) = ok(&[
        "tm",
        "convert",
        &mixed,
        "-f",
        "tsv",
        "--src-lang",
        "en",
        "--tgt-lang",
        "ru",
    ]);
    assert!(err.contains("1 of 3 unit(s) written incompletely (1 written with an empty en or ru cell, 1 lost their de variant); the columns are en and ru,"), "{err}");
}

#[test]
fn eval_warns_when_system_and_gold_are_different_documents_or_empty() {
    let fx = crate::util::fixture("");
    let cn = fx.join("sco-counter-narcotics-2018.links");
    let pp = fx.join("sco-paris-pact-beijing.links");
    // The same document: no warning.
    let out = run(&["eval", "-t", s(&cn), "-g", s(&cn)]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    // Two different documents.
    let (_, err) = ok(&["eval", "-t", s(&cn), "-g", s(&pp)]);
    assert!(
        err.contains("bitext: warning:") && err.contains("are they the same document?"),
        "{err}"
    );
    // An empty system file, and an absurd index, in the JSON report too.
    let dir = temp_dir();
    let empty = put(dir.path(), "empty.links", "");
    let (out, err) = ok(&["eval", "-t", &empty, "-g", s(&pp), "--json"]);
    assert!(err.contains("the system file holds no link"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["warnings"].as_array().map(Vec::len), Some(1));
    let far = put(dir.path(), "far.links", "[0]:[0]\n[4000000000]:[1]\n");
    let (_, err) = ok(&["eval", "-t", &far, "-g", s(&pp)]);
    assert!(
        err.contains(&format!(
            "{far}:2: a link points to source sentence 4000000000"
        )),
        "{err}"
    );
}

#[test]
fn lookup_lang_is_checked_and_units_without_it_are_counted() {
    let tm = crate::util::fixture("tm/inline-tags.tmx");
    let e = run_err(&["tm", "lookup", s(&tm), "hello", "--lang", "../x"]);
    assert!(e.contains("--lang") && e.contains("BCP 47"), "{e}");
    let out = run(&["tm", "lookup", s(&tm), "hello", "--lang", "DE"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("have no variant in de: not searched"), "{err}");
}
