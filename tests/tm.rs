//! `bitext tm` end to end: every command on the TMX files translators receive
//! (`fixtures/tm/`, one case each), its output checked by xmllint against the TMX 1.4 DTD, by
//! translate-toolkit and by OmegaT applying it, and the failures it must refuse cleanly.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::tm_clients::{assert_valid_tmx, omegat_translate, tm_fixture, translate_toolkit_units};
use crate::util::{bitext, run, run_err, run_ok, s, temp_dir};

/// Runs `bitext tm ARGS`, expecting success; returns (stdout, stderr).
fn tm_ok(args: &[&str]) -> (String, String) {
    let mut all = vec!["tm"];
    all.extend_from_slice(args);
    let out = run(&all);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "bitext {all:?} failed: {stderr}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// Runs `bitext tm ARGS`, expecting failure; returns stderr.
fn tm_err(args: &[&str]) -> String {
    let mut all = vec!["tm"];
    all.extend_from_slice(args);
    run_err(&all)
}

/// The unit objects of a memory as JSON lines (the header line dropped), via `tm convert`.
fn units_json(path: &Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["convert", s(path), "-f", "jsonl"];
    args.extend_from_slice(extra);
    let (out, _) = tm_ok(&args);
    out.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON line"))
        .filter(|v| v.get("header").is_none())
        .collect()
}

/// The `seg` markup of every variant of every unit, in order.
fn segments(units: &[serde_json::Value]) -> Vec<String> {
    units
        .iter()
        .flat_map(|u| u["variants"].as_array().cloned().unwrap_or_default())
        .map(|v| v["seg"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The props of every unit, in order.
fn props(units: &[serde_json::Value]) -> Vec<serde_json::Value> {
    units.iter().map(|u| u["props"].clone()).collect()
}

/// The number of `<tu>` elements of a UTF-8 TMX file.
fn count_units(tmx: &Path) -> usize {
    let text = fs::read_to_string(tmx).expect("read TMX");
    text.matches("<tu>").count() + text.matches("<tu ").count()
}

#[test]
fn every_encoding_reads_the_same_units() {
    let reference = units_json(&tm_fixture("utf8-bom.tmx"), &[]);
    assert_eq!(reference.len(), 3);
    for name in ["utf16le-bom.tmx", "utf16be-bom.tmx", "utf16le-nobom.tmx"] {
        assert_eq!(units_json(&tm_fixture(name), &[]), reference, "{name}");
    }
    // A declaration that disagrees with the bytes: the bytes win, with a warning.
    let path = tm_fixture("declared-latin1-but-utf8.tmx");
    let (out, err) = tm_ok(&["convert", s(&path), "-f", "jsonl"]);
    assert!(err.contains("declared-latin1-but-utf8.tmx:1:1"), "{err}");
    assert!(err.to_lowercase().contains("iso-8859-1"), "{err}");
    assert!(out.contains("Привет") || out.chars().any(|c| ('а'..='я').contains(&c)));
    // TMX output of each validates and keeps the text.
    let dir = temp_dir();
    for name in [
        "utf16be-bom.tmx",
        "utf16le-nobom.tmx",
        "declared-latin1-but-utf8.tmx",
    ] {
        let out = dir.path().join(name);
        tm_ok(&["convert", s(&tm_fixture(name)), "-o", s(&out)]);
        let text = fs::read(&out).expect("output");
        assert!(
            text.starts_with(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{name}"
        );
        assert_valid_tmx(&out);
    }
}

#[test]
fn legacy_and_srclang_forms_become_valid_tmx_1_4b() {
    let dir = temp_dir();
    for name in [
        "legacy-lang.tmx",
        "srclang-all.tmx",
        "per-tu-srclang.tmx",
        "namespaced.tmx",
        "namespaced-prefix.tmx",
        "mixed-lang-codes.tmx",
        "props-notes-dates.tmx",
    ] {
        let input = tm_fixture(name);
        let out = dir.path().join(name);
        tm_ok(&["convert", s(&input), "-o", s(&out)]);
        assert_valid_tmx(&out);
        let written = fs::read_to_string(&out).expect("output");
        assert!(
            !written.contains(" lang=\""),
            "{name}: legacy lang= written"
        );
        assert!(written.contains("<tmx version=\"1.4\">"), "{name}");
        // Same units, same text: the conversion loses nothing.
        let before = units_json(&input, &[]);
        let after = units_json(&out, &[]);
        assert_eq!(before.len(), after.len(), "{name}");
        assert_eq!(segments(&before), segments(&after), "{name}");
    }
    // Per-unit source languages survive (a Russian-source unit stays Russian-source).
    let out = dir.path().join("per-tu-srclang.tmx");
    let written = fs::read_to_string(&out).expect("output");
    assert!(written.contains("srclang=\"ru-RU\"") || written.contains("srclang=\"ru\""));
    // Language tags are written normalised, with a warning per spelling.
    let (_, err) = tm_ok(&[
        "convert",
        s(&tm_fixture("mixed-lang-codes.tmx")),
        "-o",
        s(&dir.path().join("again.tmx")),
    ]);
    assert!(err.contains("en_US"), "{err}");
    let written = fs::read_to_string(dir.path().join("mixed-lang-codes.tmx")).expect("output");
    assert!(!written.contains("en_US") && !written.contains("EN-US"));
}

#[test]
fn inline_tags_survive_every_command_and_format() {
    let input = tm_fixture("inline-tags.tmx");
    let original = units_json(&input, &[]);
    let segs = segments(&original);
    assert!(segs.iter().any(|s| s.contains("<bpt")) && segs.iter().any(|s| s.contains("<sub>")));
    let dir = temp_dir();
    let path = |n: &str| dir.path().join(n);
    // TMX -> TSV -> TMX, -> CSV -> TMX, -> JSONL -> TMX and TMX -> TMX.
    for ext in ["tsv", "csv", "jsonl", "tmx"] {
        let table = path(&format!("t.{ext}"));
        let back = path(&format!("back-{ext}.tmx"));
        tm_ok(&["convert", s(&input), "-o", s(&table)]);
        tm_ok(&["convert", s(&table), "-o", s(&back)]);
        assert_valid_tmx(&back);
        let after = units_json(&back, &[]);
        assert_eq!(segments(&after), segs, "via {ext}");
        assert_eq!(props(&after), props(&original), "props via {ext}");
    }
    // merge, dedupe and filter keep the markup too.
    tm_ok(&["merge", s(&input), "-o", s(&path("m.tmx"))]);
    tm_ok(&["dedupe", s(&path("m.tmx")), "-o", s(&path("d.tmx"))]);
    tm_ok(&[
        "filter",
        s(&path("d.tmx")),
        "--empty",
        "-o",
        s(&path("f.tmx")),
    ]);
    for n in ["m.tmx", "d.tmx", "f.tmx"] {
        assert_valid_tmx(&path(n));
        assert_eq!(segments(&units_json(&path(n), &[])), segs, "{n}");
    }
    // --strip-tags writes plain text, the text of hi and sub kept.
    let (plain, _) = tm_ok(&["convert", s(&input), "--strip-tags", "-f", "tsv"]);
    assert!(
        !plain.contains("<bpt") && !plain.contains("&lt;"),
        "{plain}"
    );
    assert!(
        plain.contains("Press Save to keep your changes."),
        "{plain}"
    );
}

#[test]
fn undefined_entities_are_refused_at_their_line_and_column() {
    let dir = temp_dir();
    let out = dir.path().join("out.tmx");
    let input = tm_fixture("bad-entity.tmx");
    let err = tm_err(&["convert", s(&input), "-o", s(&out)]);
    assert!(err.contains("bad-entity.tmx:10:51"), "{err}");
    assert!(err.contains("&nbsp;") && err.contains("unit 2"), "{err}");
    assert!(!out.exists(), "no output after an error");
    // An existing output is left untouched by a failed run.
    fs::write(&out, "keep me").expect("write");
    tm_err(&["convert", s(&input), "-o", s(&out)]);
    assert_eq!(fs::read_to_string(&out).expect("read"), "keep me");
    // --lenient skips the unit, says so, and keeps the rest.
    let (_, err) = tm_ok(&["convert", s(&input), "--lenient", "-o", s(&out)]);
    assert!(err.contains("unit 2") && err.contains("skipped"), "{err}");
    assert_eq!(count_units(&out), 2);
    assert_valid_tmx(&out);
}

#[test]
fn entity_bombs_and_malformed_files_are_refused_even_when_lenient() {
    for (name, position) in [
        ("entity-bomb.tmx", ":2:1"),
        ("broken-xml.tmx", ":10:48"),
        ("truncated.tmx", ":11:54"),
    ] {
        let input = tm_fixture(name);
        for lenient in [false, true] {
            let mut args = vec!["stats", s(&input)];
            if lenient {
                args.push("--lenient");
            }
            let err = tm_err(&args);
            assert!(err.contains(&format!("{name}{position}")), "{name}: {err}");
        }
    }
}

#[test]
fn illegal_characters_are_refused_in_input_and_dropped_with_a_warning_in_output() {
    let dir = temp_dir();
    let input = tm_fixture("illegal-chars.tmx");
    let err = tm_err(&["stats", s(&input)]);
    assert!(
        err.contains("illegal-chars.tmx:10:54") && err.contains("U+0001"),
        "{err}"
    );
    let out = dir.path().join("out.tmx");
    let (_, err) = tm_ok(&["convert", s(&input), "--lenient", "-o", s(&out)]);
    assert!(err.contains("unit 2") && err.contains("unit 4"), "{err}");
    assert_eq!(count_units(&out), 3);
    assert_valid_tmx(&out);
    // A plain-text table may hold control characters: the TMX writer drops them and warns.
    let tsv = dir.path().join("controls.tsv");
    fs::write(
        &tsv,
        "en-US\tru-RU\nBell\u{7} rings.\tЗвонит\u{1} колокол.\nFine.\tХорошо.\n",
    )
    .expect("write");
    let out = dir.path().join("controls.tmx");
    let (_, err) = tm_ok(&["convert", s(&tsv), "--plain", "-o", s(&out)]);
    assert!(err.contains("U+0007") && err.contains("U+0001"), "{err}");
    assert_valid_tmx(&out);
    let written = fs::read_to_string(&out).expect("read");
    assert!(written.contains("Bell rings.") && written.contains("Звонит колокол."));
}

#[test]
fn a_broken_unit_stops_the_run_unless_lenient() {
    let dir = temp_dir();
    let input = tm_fixture("broken-unit.tmx");
    let out = dir.path().join("out.tsv");
    let err = tm_err(&["convert", s(&input), "-o", s(&out)]);
    assert!(
        err.contains("broken-unit.tmx:15:7") && err.contains("unit 3"),
        "{err}"
    );
    assert!(!out.exists());
    let (_, err) = tm_ok(&["convert", s(&input), "--lenient", "-o", s(&out)]);
    assert!(err.contains("unit 3") && err.contains("skipped"), "{err}");
    let rows = fs::read_to_string(&out).expect("read").lines().count();
    assert_eq!(rows, 1 + 4, "header row and the four good units");
    let (stats, _) = tm_ok(&["stats", s(&input), "--lenient", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&stats).expect("JSON");
    assert_eq!(stats["units"], 4, "{stats}");
    assert_eq!(stats["warnings"], 1, "{stats}");
}

#[test]
fn outputs_never_overwrite_an_input() {
    let dir = temp_dir();
    let input = dir.path().join("in.tmx");
    fs::copy(tm_fixture("utf8-bom.tmx"), &input).expect("copy");
    let before = fs::read(&input).expect("read");
    let err = tm_err(&["convert", s(&input), "-o", s(&input)]);
    assert!(err.contains("in.tmx"), "{err}");
    let other = dir.path().join("rejected.tmx");
    tm_err(&[
        "filter",
        s(&input),
        "--empty",
        "--rejected",
        s(&input),
        "-o",
        s(&other),
    ]);
    tm_err(&[
        "merge",
        s(&tm_fixture("srclang-all.tmx")),
        s(&input),
        "-o",
        s(&input),
    ]);
    assert_eq!(fs::read(&input).expect("read"), before);
    // Unknown output extension: a clear usage error before anything is read.
    let err = tm_err(&["convert", s(&input), "-o", s(&dir.path().join("x.docx"))]);
    assert!(err.contains("-f"), "{err}");
}

#[test]
fn merge_reconciles_language_tags_and_records_provenance() {
    let dir = temp_dir();
    let out = dir.path().join("merged.tmx");
    let a = tm_fixture("mixed-lang-codes.tmx");
    let b = tm_fixture("utf16le-bom.tmx");
    let (_, err) = tm_ok(&["merge", s(&a), s(&b), "--provenance", "-o", s(&out)]);
    for spelling in ["'en_US'", "'EN-US'", "'en-us'"] {
        assert!(err.contains(spelling), "{spelling} not warned: {err}");
    }
    assert_valid_tmx(&out);
    let written = fs::read_to_string(&out).expect("read");
    assert!(written.contains("srclang=\"en-US\""));
    let tags: std::collections::BTreeSet<&str> = written
        .split("xml:lang=\"")
        .skip(1)
        .filter_map(|t| t.split('"').next())
        .collect();
    assert_eq!(tags.into_iter().collect::<Vec<_>>(), ["en-US", "ru-RU"]);
    let units = units_json(&out, &[]);
    assert_eq!(units.len(), count_units(&a) + 3);
    let provenance: Vec<String> = units
        .iter()
        .map(|u| {
            u["props"]
                .as_array()
                .and_then(|p| p.iter().find(|p| p[0] == "x-source-file"))
                .and_then(|p| p[1].as_str())
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert!(
        provenance[0].ends_with("mixed-lang-codes.tmx"),
        "{provenance:?}"
    );
    assert!(provenance.last().unwrap().ends_with("utf16le-bom.tmx"));
    // translate-toolkit sees every unit with its source and target.
    if let Some(pairs) = translate_toolkit_units(&out) {
        assert_eq!(pairs.len(), units.len());
    }
    // Files with other source languages: the header says *all*, each unit keeps its own.
    let out = dir.path().join("mixed-sources.tmx");
    tm_ok(&[
        "merge",
        s(&a),
        s(&tm_fixture("per-tu-srclang.tmx")),
        "-o",
        s(&out),
    ]);
    assert_valid_tmx(&out);
}

#[test]
fn dedupe_says_what_it_removed_and_keeps_the_chosen_unit() {
    let dir = temp_dir();
    let input = tm_fixture("duplicates.tmx");
    let out = dir.path().join("d.tmx");
    let rejected = dir.path().join("r.tmx");
    // Exact duplicates only (the default): base and exact-newest are one unit.
    let (_, err) = tm_ok(&["dedupe", s(&input), "-o", s(&out)]);
    assert!(err.contains("1 exact"), "{err}");
    let kept = fs::read_to_string(&out).expect("read");
    assert!(kept.contains("tuid=\"exact-newest\"") && !kept.contains("tuid=\"base\""));
    // Normalised: white space, NBSP and quotes; keep the best score.
    let (_, err) = tm_ok(&[
        "dedupe",
        s(&input),
        "--normalize",
        "--keep",
        "score",
        "--rejected",
        s(&rejected),
        "-o",
        s(&out),
    ]);
    assert!(err.contains("after normalisation"), "{err}");
    let kept = fs::read_to_string(&out).expect("read");
    assert!(kept.contains("tuid=\"whitespace-best-score\""), "{kept}");
    assert!(!kept.contains("tuid=\"nbsp\"") && kept.contains("tuid=\"case-only\""));
    assert!(
        kept.contains("tuid=\"same-source-other-target\""),
        "not a duplicate"
    );
    let removed = fs::read_to_string(&rejected).expect("read");
    assert!(
        removed.contains("<prop type=\"x-rejected\">duplicate"),
        "{removed}"
    );
    assert_eq!(
        count_units(&out) + count_units(&rejected),
        10,
        "nothing lost"
    );
    assert_valid_tmx(&out);
    assert_valid_tmx(&rejected);
    // Ignoring case as well: the upper-case unit goes too.
    let (_, err) = tm_ok(&["dedupe", s(&input), "--ignore-case", "-o", s(&out)]);
    assert!(err.contains("ignoring case"), "{err}");
    // Newest of the museum group is the upper-case unit; the curly and straight quotes merge.
    let kept = fs::read_to_string(&out).expect("read");
    assert!(kept.contains("tuid=\"case-only\"") && !kept.contains("tuid=\"exact-newest\""));
    assert_eq!(count_units(&out), 5, "{kept}");
    // Standard input cannot be read twice.
    let err = tm_err(&["dedupe", "-", "-o", s(&out)]);
    assert!(err.contains("twice"), "{err}");
}

#[test]
fn filter_removes_each_kind_of_bad_unit_and_keeps_it_in_rejected() {
    let dir = temp_dir();
    let input = tm_fixture("dirty.tmx");
    let total = units_json(&input, &[]).len();
    let out = dir.path().join("clean.tmx");
    let rejected = dir.path().join("rejected.tsv");
    let (_, err) = tm_ok(&[
        "filter",
        s(&input),
        "--empty",
        "--untranslated",
        "--wrong-script",
        "--length-p",
        "0.001",
        "--max-chars",
        "300",
        "--min-score",
        "0.5",
        "--rejected",
        s(&rejected),
        "-o",
        s(&out),
    ]);
    for kind in [
        "score",
        "empty",
        "untranslated",
        "length",
        "script",
        "max-chars",
    ] {
        assert!(err.contains(&format!("removed: {kind}")), "{kind}: {err}");
    }
    assert_valid_tmx(&out);
    let kept = units_json(&out, &[]);
    let removed = fs::read_to_string(&rejected).expect("read");
    assert_eq!(
        kept.len() + removed.lines().count() - 1,
        total,
        "nothing lost"
    );
    for reason in [
        "below 0.5",
        "empty target",
        "untranslated",
        "wrong script",
        "length",
    ] {
        assert!(removed.contains(reason), "{reason}: {removed}");
    }
    if let Some(pairs) = translate_toolkit_units(&out) {
        assert_eq!(pairs.len(), kept.len());
    }
    // The rejected file reads back: every unit with its reason.
    let back = units_json(&rejected, &[]);
    assert!(back.iter().all(|u| u["props"]
        .as_array()
        .is_some_and(|p| p.iter().any(|p| p[0] == "x-rejected"))));
    // Regexes: drop and keep-only.
    let (_, _) = tm_ok(&[
        "filter",
        s(&input),
        "--drop-source",
        "(?i)order",
        "-o",
        s(&out),
    ]);
    assert!(!fs::read_to_string(&out)
        .expect("read")
        .contains("Order number"));
    let err = tm_err(&["filter", s(&input), "--drop-target", "(", "-o", s(&out)]);
    assert!(err.contains("--drop-target"), "{err}");
}

#[test]
fn lookup_finds_exact_and_fuzzy_matches_by_percentage() {
    let memory = tm_fixture("omegat-memory.tmx");
    let (out, _) = tm_ok(&["lookup", s(&memory), "Please do not touch the paintings."]);
    assert!(out.contains("100%"), "{out}");
    assert!(out.contains("Пожалуйста"), "{out}");
    let (out, _) = tm_ok(&[
        "lookup",
        s(&memory),
        "Please do not touch the sculptures.",
        "--json",
    ]);
    let answer: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    let best = &answer["matches"][0];
    let percent = best["percent"].as_u64().expect("percent");
    assert!((70..100).contains(&percent), "{answer}");
    // A changed number is never a 100% match.
    let (out, _) = tm_ok(&["lookup", s(&memory), "We close at seven o'clock.", "--json"]);
    let answer: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    assert!(
        answer["matches"][0]["percent"].as_u64().unwrap_or(0) < 100,
        "{answer}"
    );
    // --queries: one answer per line, in order.
    let dir = temp_dir();
    let queries = dir.path().join("q.txt");
    fs::write(
        &queries,
        "Welcome to the city museum.\n\nsomething unrelated entirely\n",
    )
    .expect("write");
    let (out, _) = tm_ok(&["lookup", s(&memory), "--queries", s(&queries), "--json"]);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["matches"][0]["percent"], 100);
    assert_eq!(lines[1]["matches"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_saved_index_answers_as_the_memory_does() {
    let dir = temp_dir();
    let memory = dir.path().join("memory.tmx");
    fs::copy(tm_fixture("omegat-memory.tmx"), &memory).expect("copy");
    let index = dir.path().join("memory.idx");
    let (_, err) = tm_ok(&["index", s(&memory), "-o", s(&index)]);
    assert!(err.contains("unit(s) indexed"), "{err}");
    let queries = dir.path().join("q.txt");
    fs::write(
        &queries,
        "Please do not touch the paintings.\nPlease do not touch the sculptures.\n\
         We close at seven o'clock.\nWelcome to the city museum.\nnothing alike\n",
    )
    .expect("write");
    for extra in [&[][..], &["-n", "1", "--min-percent", "80"][..]] {
        let mut from_memory = vec!["lookup", s(&memory), "--queries", s(&queries), "--json"];
        from_memory.extend_from_slice(extra);
        let mut from_index = from_memory.clone();
        from_index[1] = s(&index);
        let (want, _) = tm_ok(&from_memory);
        let (got, err) = tm_ok(&from_index);
        assert_eq!(got, want);
        assert!(!err.contains("warning"), "{err}");
    }
    // Never over the memory, however it is spelled; nothing written.
    let same = tm_err(&["index", s(&memory), "-o", s(&memory)]);
    assert!(same.contains("it is an input"), "{same}");
    let dotted = dir.path().join(".").join("memory.tmx");
    let same = tm_err(&["index", s(&memory), "-o", s(&dotted)]);
    assert!(same.contains("is the input"), "{same}");
    // --lang belongs to the index's building.
    let e = tm_err(&["lookup", s(&index), "x", "--lang", "en"]);
    assert!(e.contains("--lang applies when it is built"), "{e}");
    // A changed memory: the index still answers, with a warning that says so.
    fs::write(&memory, fs::read(tm_fixture("dirty.tmx")).expect("read")).expect("write");
    let (_, err) = tm_ok(&["lookup", s(&index), "Welcome to the city museum."]);
    assert!(err.contains("has changed since"), "{err}");
    // A damaged index: one error naming the file and the byte, no panic.
    let bytes = fs::read(&index).expect("read");
    let broken = dir.path().join("broken.idx");
    fs::write(&broken, &bytes[..bytes.len() / 2]).expect("write");
    let e = tm_err(&["lookup", s(&broken), "x"]);
    assert!(e.contains("broken.idx: not a usable bitext index"), "{e}");
    assert!(e.contains("(at byte "), "{e}");
    let mut other = bytes.clone();
    other[16] = 9;
    fs::write(&broken, &other).expect("write");
    let e = tm_err(&["lookup", s(&broken), "x"]);
    assert!(e.contains("index format version 9"), "{e}");
}

#[test]
fn stats_counts_units_languages_tags_and_duplicates() {
    let (text, _) = tm_ok(&["stats", s(&tm_fixture("inline-tags.tmx"))]);
    assert!(text.contains("units with inline tags"), "{text}");
    let (json, _) = tm_ok(&["stats", s(&tm_fixture("duplicates.tmx")), "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(stats["units"], 10, "{stats}");
    assert_eq!(stats["exact_duplicate_units"], 1, "{stats}");
    let (json, _) = tm_ok(&["stats", s(&tm_fixture("dirty.tmx")), "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert!(
        stats["empty_segments"].as_u64().unwrap_or(0) >= 1,
        "{stats}"
    );
}

/// `bitext align -o x.csv` then `bitext tm convert x.csv`: the header row names the languages
/// and columns, so nothing needs saying and no header row becomes a unit (issue 14).
#[test]
fn aligned_tables_convert_back_without_options() {
    let dir = temp_dir();
    for ext in ["tsv", "csv"] {
        let table = dir.path().join(format!("aligned.{ext}"));
        run_ok(&[
            "align",
            s(&crate::util::fixture("sco-paris-pact-beijing.en.txt")),
            s(&crate::util::fixture("sco-paris-pact-beijing.ru.txt")),
            "--no-learn",
            "-o",
            s(&table),
        ]);
        let rows = fs::read_to_string(&table).expect("read").lines().count() - 1;
        let out = dir.path().join(format!("from-{ext}.tmx"));
        tm_ok(&["convert", s(&table), "-o", s(&out)]);
        assert_valid_tmx(&out);
        assert_eq!(
            count_units(&out),
            rows,
            "{ext}: no header row turned into a unit"
        );
        let tmx = fs::read_to_string(&out).expect("read");
        assert!(tmx.contains(r#"<prop type="x-score">"#), "{tmx}");
        assert!(tmx.contains(r#"<prop type="x-link">1-1</prop>"#), "{tmx}");
        assert!(tmx.contains(r#"<tuv xml:lang="ru-RU"><seg>"#), "{tmx}");
        // And back to the same table.
        let again = dir.path().join(format!("again.{ext}"));
        tm_ok(&["convert", s(&out), "-o", s(&again)]);
        let again = fs::read_to_string(&again).expect("read");
        assert_eq!(again.lines().count(), rows + 1, "{again}");
    }
}

/// `bitext align -f jsonl` records are units to `bitext tm` once the languages are named.
#[test]
fn aligned_json_lines_convert_with_the_languages() {
    let dir = temp_dir();
    let jsonl = dir.path().join("aligned.jsonl");
    run_ok(&[
        "align",
        s(&crate::util::fixture("sco-paris-pact-beijing.en.txt")),
        s(&crate::util::fixture("sco-paris-pact-beijing.ru.txt")),
        "--no-learn",
        "-o",
        s(&jsonl),
    ]);
    let out = dir.path().join("aligned.tmx");
    let err = tm_err(&["convert", s(&jsonl), "-o", s(&out)]);
    assert!(err.contains("--src-lang and --tgt-lang"), "{err}");
    tm_ok(&[
        "convert",
        s(&jsonl),
        "--src-lang",
        "en-US",
        "--tgt-lang",
        "ru-RU",
        "-o",
        s(&out),
    ]);
    assert_valid_tmx(&out);
    let rows = fs::read_to_string(&jsonl).expect("read").lines().count();
    assert_eq!(count_units(&out), rows);
}

/// `--no-header --plain` writes the bare table CAT tools import line by line; `bitext tm`
/// reads it when told what the header would have said.
#[test]
fn aligned_tsv_without_header_converts_with_plain_and_languages() {
    let dir = temp_dir();
    let tsv = dir.path().join("aligned.tsv");
    run_ok(&[
        "align",
        s(&crate::util::fixture("sco-paris-pact-beijing.en.txt")),
        s(&crate::util::fixture("sco-paris-pact-beijing.ru.txt")),
        "--no-learn",
        "--no-header",
        "--plain",
        "-o",
        s(&tsv),
    ]);
    let out = dir.path().join("aligned.tmx");
    let err = tm_err(&["convert", s(&tsv), "--plain", "-o", s(&out)]);
    assert!(
        err.contains("--src-lang") && err.contains("--tgt-lang"),
        "{err}"
    );
    tm_ok(&[
        "convert",
        s(&tsv),
        "--plain",
        "--src-lang",
        "en-US",
        "--tgt-lang",
        "ru-RU",
        "-o",
        s(&out),
    ]);
    assert_valid_tmx(&out);
    let rows = fs::read_to_string(&tsv).expect("read").lines().count();
    assert_eq!(count_units(&out), rows);
    assert!(fs::read_to_string(&out).expect("read").contains("x-score"));
}

/// The whole chain a translator runs before a project — merge, dedupe, filter, a round trip
/// through TSV — and OmegaT must still translate the document from the result's exact matches.
#[test]
fn omegat_applies_the_memory_after_every_command() {
    let dir = temp_dir();
    let p = |n: &str| dir.path().join(n);
    let memory = tm_fixture("omegat-memory.tmx");
    tm_ok(&[
        "merge",
        s(&memory),
        s(&tm_fixture("duplicates.tmx")),
        s(&memory),
        "--provenance",
        "-o",
        s(&p("merged.tmx")),
    ]);
    tm_ok(&[
        "dedupe",
        s(&p("merged.tmx")),
        "--normalize",
        "-o",
        s(&p("deduped.tmx")),
    ]);
    tm_ok(&[
        "filter",
        s(&p("deduped.tmx")),
        "--empty",
        "--untranslated",
        "--wrong-script",
        "-o",
        s(&p("filtered.tmx")),
    ]);
    tm_ok(&[
        "convert",
        s(&p("filtered.tmx")),
        "-o",
        s(&p("filtered.tsv")),
    ]);
    tm_ok(&["convert", s(&p("filtered.tsv")), "-o", s(&p("final.tmx"))]);
    let expected = fs::read_to_string(tm_fixture("omegat-doc.ru.txt")).expect("read");
    for n in ["merged.tmx", "deduped.tmx", "filtered.tmx", "final.tmx"] {
        assert_valid_tmx(&p(n));
        translate_toolkit_units(&p(n));
    }
    for n in ["deduped.tmx", "final.tmx"] {
        if let Some(target) =
            omegat_translate(&p(n), &tm_fixture("omegat-doc.txt"), "en-US", "ru-RU")
        {
            assert_eq!(target, expected, "{n}");
        }
    }
}

/// Peak resident memory of a child process in KiB, sampled from /proc while it runs.
fn peak_rss_kib(mut command: Command) -> (std::process::ExitStatus, u64) {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let status_path = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak = 0;
    loop {
        if let Ok(status) = fs::read_to_string(&status_path) {
            if let Some(kib) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
            {
                peak = peak.max(kib);
            }
        }
        if let Some(status) = child.try_wait().expect("wait") {
            return (status, peak);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A memory of `units` generated units with tags, props and Cyrillic, written to `path`.
fn generate_tmx(path: &Path, units: usize) -> u64 {
    use std::io::Write;
    let file = fs::File::create(path).expect("create");
    let mut out = std::io::BufWriter::new(file);
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header \
         creationtool=\"gen\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" \
         adminlang=\"en\" srclang=\"en-US\" datatype=\"plaintext\"/><body>"
    )
    .expect("write");
    for i in 0..units {
        writeln!(
            out,
            "<tu tuid=\"{i}\" creationdate=\"20240101T000000Z\"><prop type=\"x-score\">0.{}</prop>\
             <tuv xml:lang=\"en-US\"><seg>Unit {i} says <ph x=\"1\">&lt;br/&gt;</ph> the \
             report number {} was filed on time &amp; in full.</seg></tuv>\
             <tuv xml:lang=\"ru-RU\"><seg>Единица {i} сообщает <ph x=\"1\">&lt;br/&gt;</ph>, \
             что отчёт номер {} подан вовремя и полностью.</seg></tuv></tu>",
            i % 100,
            i % 977,
            i % 977
        )
        .expect("write");
    }
    writeln!(out, "</body></tmx>").expect("write");
    out.flush().expect("flush");
    fs::metadata(path).expect("metadata").len()
}

/// A generated 40 MB memory streams through convert and dedupe with memory bounded far below
/// the file's size (one unit at a time; dedupe adds its key set).
#[test]
fn a_huge_generated_memory_streams_in_bounded_memory() {
    let dir = temp_dir();
    let input = dir.path().join("huge.tmx");
    let units = 120_000;
    let bytes = generate_tmx(&input, units);
    assert!(bytes > 40 << 20, "{bytes}");
    let out = dir.path().join("huge.tsv");
    let mut convert = bitext();
    convert.args(["tm", "convert", s(&input), "-o", s(&out)]);
    let (status, convert_kib) = peak_rss_kib(convert);
    assert!(status.success());
    assert_eq!(
        fs::read_to_string(&out).expect("read").lines().count(),
        units + 1
    );
    // Each unit's text is distinct (its number), so the key set holds every unit: 56 bytes
    // each, a few MB.
    let deduped = dir.path().join("dedupe.tmx");
    let mut dedupe = bitext();
    dedupe.args(["tm", "dedupe", s(&input), "-o", s(&deduped)]);
    let (status, dedupe_kib) = peak_rss_kib(dedupe);
    assert!(status.success());
    assert_eq!(count_units(&deduped), units);
    // Convert holds a few parts of the file at a time (about 128 KiB of TMX each, read ahead
    // and parsed on other threads): its peak is the program's own baseline, whatever the
    // file's size (16-17 MB here, 10 MB parsing on one thread); dedupe adds a hash-table entry
    // (56 bytes, < 256 with the table's doubling) per distinct unit.
    let file_kib = bytes / 1024;
    assert!(
        convert_kib < 32 << 10,
        "peak RSS of convert {convert_kib} KiB for a {file_kib} KiB file"
    );
    let per_unit = dedupe_kib.saturating_sub(convert_kib) * 1024 / units as u64;
    assert!(
        per_unit < 256,
        "dedupe holds {per_unit} bytes per unit (peak {dedupe_kib} KiB, convert {convert_kib} KiB)"
    );
    eprintln!(
        "huge memory: {file_kib} KiB; peak RSS convert {convert_kib} KiB, dedupe {dedupe_kib} KiB"
    );
}
