//! Checks of TMX files with real clients, for the `bitext tm` tests (issue 6, "Checked with real
//! tools"): DTD validation with xmllint, loading with translate-toolkit, and OmegaT 3.6 applying
//! a memory's exact matches in console mode (the commands of `shared/TMX-NOTES.md` §3).
//!
//! The `pub fn`s are the reusable checks; the tests below prove them on `fixtures/tm/` and on
//! `bitext align` output, and record how the TMX reader handles every fixture. Each external
//! tool is skipped with a note when absent locally and fails the test under `CI`.
//!
//! OmegaT runs headless: `JAVA_TOOL_OPTIONS=-Djava.awt.headless=true` is set because with a
//! `DISPLAY` that cannot be reached (an SSH session, a CI runner) OmegaT 3.6 exits 1 with
//! `AWTError: Can't connect to X11 window server` before translating anything; with the flag it
//! runs with any or no `DISPLAY`. It needs no `HOME` (its settings go to `--config-dir`, a
//! temporary directory), and exits 0 even when it rejects a memory, so the log is searched for
//! its TMX complaints (`TMXR_WARNING_*`, `TF_TM_LOAD_ERROR`).
#![allow(dead_code)]

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bitext::formats::tmx::{ReadOptions, TmxReader};
use bitext::formats::Detected;
use bitext::lang::tag::normalize_lang;
use bitext::unit::{Header, Unit};

use crate::util::{self, fixture, s};

/// How long OmegaT may take before it is killed (about 2 s on an idle 2-core machine; Java
/// start-up on a loaded one can take far longer).
pub const OMEGAT_TIMEOUT: Duration = Duration::from_secs(120);

/// A file under `fixtures/tm/`.
pub fn tm_fixture(name: &str) -> PathBuf {
    fixture("tm").join(name)
}

/// What xmllint reports against the TMX 1.4 DTD (`--noout --nonet --dtdvalid`): every output
/// line, including `validity warning` lines (TMX-NOTES P9); empty when the file is valid.
/// `None` (after a note; a panic under CI) when xmllint is missing.
pub fn xmllint_problems(path: &Path) -> Option<Vec<String>> {
    let xmllint = util::xmllint()?;
    let out = Command::new(xmllint)
        .args(["--noout", "--nonet", "--dtdvalid"])
        .arg(util::tmx_dtd())
        .arg(path)
        .output()
        .expect("xmllint runs");
    let mut lines: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .chain(String::from_utf8_lossy(&out.stdout).lines())
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    if !out.status.success() && lines.is_empty() {
        lines.push(format!("xmllint exited with {}", out.status));
    }
    Some(lines)
}

/// Asserts that `path` is well-formed and valid against `fixtures/spec/tmx14.dtd`, with no
/// validity warning either. Skipped (with a note) when xmllint is missing, except under CI.
pub fn assert_valid_tmx(path: &Path) {
    if let Some(problems) = xmllint_problems(path) {
        assert!(
            problems.is_empty(),
            "{} is not valid TMX 1.4:\n{}",
            path.display(),
            problems.join("\n")
        );
    }
}

/// The Python program behind [`translate_toolkit_load`]: loads the file with translate-toolkit's
/// `tmx` store and prints, as JSON, the header's `srclang` and per unit its `source` and `target`
/// (translate-toolkit's reading: the first and second `<tuv>`; `null` when missing), its own
/// `srclang` and the language of every `<tuv>`.
const TT_LOAD: &str = r#"
import json, sys
from translate.storage import tmx
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
store = tmx.tmxfile.parsefile(sys.argv[1])
header = next((e for e in store.document.getroot().iter()
               if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] == "header"), None)
units = []
for u in store.units:
    tuvs = [e for e in u.xmlelement
            if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] == "tuv"]
    units.append({"source": u.source, "target": u.target, "srclang": u.xmlelement.get("srclang"),
                  "langs": [t.get(XML_LANG) or t.get("lang") for t in tuvs]})
srclang = None if header is None else header.get("srclang")
sys.stdout.write(json.dumps({"srclang": srclang, "units": units}))
"#;

/// A TMX file as translate-toolkit's `tmx` store reads it.
#[derive(Debug, serde::Deserialize)]
pub struct TtStore {
    /// The header's `srclang`.
    pub srclang: Option<String>,
    /// The units, in order.
    pub units: Vec<TtUnit>,
}

/// One unit as translate-toolkit reads it.
#[derive(Debug, serde::Deserialize)]
pub struct TtUnit {
    /// Its source text (the first `<tuv>`), `None` when translate-toolkit finds none.
    pub source: Option<String>,
    /// Its target text (the second `<tuv>`).
    pub target: Option<String>,
    /// The unit's own `srclang`.
    pub srclang: Option<String>,
    /// The `xml:lang` (or legacy `lang`) of each `<tuv>`.
    pub langs: Vec<Option<String>>,
}

impl TtStore {
    /// What a CAT tool would trip on (TMX-NOTES §3, translate-toolkit row): a missing header
    /// `srclang`; a unit without a `<tuv>` whose language is byte-identical to its `srclang`
    /// (unless `*all*`); an empty or missing source or target. Empty when the file is usable.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.srclang.as_deref().is_none_or(|l| l.trim().is_empty()) {
            out.push("the header has no srclang".to_string());
        }
        for (i, unit) in self.units.iter().enumerate() {
            let n = i + 1;
            let srclang = unit.srclang.as_deref().or(self.srclang.as_deref());
            if let Some(lang) = srclang.filter(|l| *l != "*all*") {
                if !unit.langs.iter().any(|l| l.as_deref() == Some(lang)) {
                    out.push(format!(
                        "unit {n}: no <tuv> in the srclang {lang:?} (languages {:?})",
                        unit.langs
                    ));
                }
            }
            for (side, text) in [("source", &unit.source), ("target", &unit.target)] {
                if text.as_deref().is_none_or(|t| t.trim().is_empty()) {
                    out.push(format!("unit {n}: empty or missing {side}"));
                }
            }
        }
        out
    }
}

/// Loads `path` with translate-toolkit's `tmx` store, asserting only that it loads. `None`
/// (after a note; a panic under CI) when translate-toolkit is missing.
pub fn translate_toolkit_load(path: &Path) -> Option<TtStore> {
    let python = util::python_with_translate_toolkit()?;
    let out = Command::new(&python)
        .args(["-c", TT_LOAD])
        .arg(path)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "translate-toolkit cannot load {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("the loader prints JSON"))
}

/// Loads `path` with translate-toolkit's `tmx` store and returns (source, target) per unit (its
/// first and second `<tuv>`), asserting that it loads and has no [`TtStore::problems`]: every
/// unit has its `srclang` variant and a non-empty source and target. `None` (after a note; a
/// panic under CI) when translate-toolkit is missing.
pub fn translate_toolkit_units(path: &Path) -> Option<Vec<(String, String)>> {
    let store = translate_toolkit_load(path)?;
    let problems = store.problems();
    assert!(
        problems.is_empty(),
        "translate-toolkit reading of {}:\n{}",
        path.display(),
        problems.join("\n")
    );
    Some(
        store
            .units
            .into_iter()
            .map(|u| (u.source.unwrap_or_default(), u.target.unwrap_or_default()))
            .collect(),
    )
}

/// One OmegaT console run: what it wrote and said.
#[derive(Debug)]
pub struct OmegatRun {
    /// The translated document (`target/<name>`).
    pub target: String,
    /// OmegaT's standard output and error.
    pub log: String,
    /// Segments OmegaT left untranslated (`Remaining:` in `omegat/project_stats.txt`).
    pub remaining: Option<u64>,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl OmegatRun {
    /// OmegaT's complaints about the memory: log lines naming `TMXR_WARN*` or `TF_TM_LOAD_ERROR`.
    pub fn tm_complaints(&self) -> Vec<&str> {
        self.log
            .lines()
            .filter(|l| l.contains("TMXR_WARN") || l.contains("TF_TM_LOAD_ERROR"))
            .collect()
    }
}

/// `omegat`, or `None` (after a note; a panic under CI) when it is not installed.
pub fn omegat() -> Option<&'static str> {
    util::tool_available(
        "omegat",
        util::have("omegat"),
        "applying a TMX in OmegaT (Debian package omegat)",
    )
    .then_some("omegat")
}

/// The OmegaT tokenizer class for a language tag (only matters for fuzzy matching; exact matches
/// do not depend on it).
fn omegat_tokenizer(lang: &str) -> &'static str {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match primary.as_str() {
        "en" => "org.omegat.tokenizer.LuceneEnglishTokenizer",
        "ru" => "org.omegat.tokenizer.LuceneRussianTokenizer",
        "de" => "org.omegat.tokenizer.LuceneGermanTokenizer",
        "fr" => "org.omegat.tokenizer.LuceneFrenchTokenizer",
        "es" => "org.omegat.tokenizer.LuceneSpanishTokenizer",
        "it" => "org.omegat.tokenizer.LuceneItalianTokenizer",
        _ => "org.omegat.tokenizer.DefaultTokenizer",
    }
}

/// Escapes text for an XML element's content.
fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The minimal OmegaT 3.6 `omegat.project` of TMX-NOTES §3: default folders, one paragraph per
/// segment (`sentence_seg=false`, so no SRX rules are involved).
fn omegat_project_file(src_lang: &str, tgt_lang: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat><project version="1.0">
  <source_dir>__DEFAULT__</source_dir><source_dir_excludes><mask>**/.git/**</mask></source_dir_excludes>
  <target_dir>__DEFAULT__</target_dir><tm_dir>__DEFAULT__</tm_dir>
  <glossary_dir>__DEFAULT__</glossary_dir><glossary_file>__DEFAULT__</glossary_file>
  <dictionary_dir>__DEFAULT__</dictionary_dir>
  <source_lang>{}</source_lang><target_lang>{}</target_lang>
  <source_tok>{}</source_tok>
  <target_tok>{}</target_tok>
  <sentence_seg>false</sentence_seg><support_default_translations>true</support_default_translations>
  <remove_tags>false</remove_tags>
</project></omegat>
"#,
        xml_text(src_lang),
        xml_text(tgt_lang),
        omegat_tokenizer(src_lang),
        omegat_tokenizer(tgt_lang),
    )
}

/// Runs OmegaT's `console-translate` on a throwaway project whose `tm/auto/` holds `tmx` and
/// whose `source/` holds `doc` (one paragraph per segment), and returns what it produced without
/// judging it. Panics when OmegaT fails, times out ([`OMEGAT_TIMEOUT`]) or writes no target;
/// `None` (after a note; a panic under CI) when OmegaT is not installed.
pub fn omegat_run(tmx: &Path, doc: &Path, src_lang: &str, tgt_lang: &str) -> Option<OmegatRun> {
    let program = omegat()?;
    let tmp = util::temp_dir();
    let project = tmp.path().join("project");
    let config = tmp.path().join("config");
    for dir in [
        "source",
        "target",
        "tm/auto",
        "omegat",
        "glossary",
        "dictionary",
    ] {
        fs::create_dir_all(project.join(dir)).expect("project folder");
    }
    fs::create_dir_all(&config).expect("config folder");
    let tmx_name = tmx.file_name().expect("a TMX file name");
    fs::copy(tmx, project.join("tm/auto").join(tmx_name)).expect("copy the TMX");
    let doc_name = doc.file_name().expect("a document file name");
    fs::copy(doc, project.join("source").join(doc_name)).expect("copy the document");
    fs::write(
        project.join("omegat.project"),
        omegat_project_file(src_lang, tgt_lang),
    )
    .expect("write omegat.project");

    let log_path = tmp.path().join("omegat.log");
    let log = fs::File::create(&log_path).expect("log file");
    let java_options = match std::env::var("JAVA_TOOL_OPTIONS") {
        Ok(existing) if !existing.trim().is_empty() => {
            format!("{existing} -Djava.awt.headless=true")
        }
        _ => "-Djava.awt.headless=true".to_string(),
    };
    let started = Instant::now();
    let mut child = Command::new(program)
        .arg("--mode=console-translate")
        .arg(format!("--config-dir={}", s(&config)))
        .args(["--disable-project-locking", "--no-team"])
        .arg(&project)
        .env("JAVA_TOOL_OPTIONS", java_options)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log handle"))
        .stderr(log)
        .spawn()
        .expect("omegat starts");
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for omegat") {
            break status;
        }
        if started.elapsed() > OMEGAT_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "omegat did not finish within {OMEGAT_TIMEOUT:?}; log:\n{}",
                fs::read_to_string(&log_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let elapsed = started.elapsed();
    let log = String::from_utf8_lossy(&fs::read(&log_path).expect("read the log")).into_owned();
    assert!(status.success(), "omegat failed ({status}); log:\n{log}");
    let target = fs::read_to_string(project.join("target").join(doc_name))
        .unwrap_or_else(|e| panic!("omegat wrote no target document ({e}); log:\n{log}"));
    let remaining = fs::read_to_string(project.join("omegat/project_stats.txt"))
        .ok()
        .and_then(|stats| {
            stats
                .lines()
                .find_map(|l| l.strip_prefix("Remaining:"))
                .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        });
    Some(OmegatRun {
        target,
        log,
        remaining,
        elapsed,
    })
}

/// Translates `doc` (plain text, one paragraph per segment) with OmegaT from the exact matches in
/// `tmx`, failing on any complaint OmegaT logs about the memory, and returns the target document.
/// `None` (after a note; a panic under CI) when OmegaT is not installed.
pub fn omegat_translate(tmx: &Path, doc: &Path, src_lang: &str, tgt_lang: &str) -> Option<String> {
    let run = omegat_run(tmx, doc, src_lang, tgt_lang)?;
    let complaints = run.tm_complaints();
    assert!(
        complaints.is_empty(),
        "OmegaT complained about {}:\n{}",
        tmx.display(),
        complaints.join("\n")
    );
    eprintln!(
        "note: OmegaT translated {} in {:.1?}",
        doc.display(),
        run.elapsed
    );
    Some(run.target)
}

// ----- the reader on every fixture -------------------------------------------------------------

/// Reads a fixture with the library's TMX reader: the header, the units read before the first
/// error, that error's text, the warnings and the detected encoding.
struct Read {
    header: Header,
    encoding: Detected,
    units: Vec<Unit>,
    error: Option<String>,
    warnings: Vec<String>,
}

fn read_fixture(name: &str, lenient: bool) -> Result<Read, String> {
    let label = PathBuf::from("fixtures/tm").join(name);
    let file = fs::File::open(tm_fixture(name)).expect("fixture exists");
    let mut reader = TmxReader::new(
        file,
        &label,
        ReadOptions {
            lenient,
            ..ReadOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let mut units = Vec::new();
    let mut error = None;
    for unit in reader.by_ref() {
        match unit {
            Ok(u) => units.push(u),
            Err(e) => {
                error = Some(e.to_string());
                break;
            }
        }
    }
    Ok(Read {
        header: reader.header().clone(),
        encoding: reader.encoding(),
        warnings: reader
            .take_warnings()
            .iter()
            .map(ToString::to_string)
            .collect(),
        units,
        error,
    })
}

/// Reads a fixture that must read cleanly (strict mode, no error).
fn read_ok(name: &str) -> Read {
    let read = read_fixture(name, false).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(read.error, None, "{name}");
    read
}

/// The plain text of every variant, unit by unit.
fn texts(units: &[Unit]) -> Vec<Vec<String>> {
    units
        .iter()
        .map(|u| u.variants.iter().map(|v| v.segment.plain_text()).collect())
        .collect()
}

#[test]
fn every_encoding_reads_to_the_same_units() {
    let utf8 = read_ok("utf8-bom.tmx");
    assert_eq!(utf8.encoding, Detected::Utf8Bom);
    assert_eq!(utf8.units.len(), 3);
    assert!(utf8.warnings.is_empty(), "{:?}", utf8.warnings);
    assert_eq!(
        utf8.units[1].variants[1].segment.plain_text(),
        "Перед рассветом с\u{a0}моря пришёл туман 🌫."
    );
    assert_eq!(
        utf8.units[2].variants[0].segment.plain_text(),
        "Tea & biscuits are served at <four>."
    );
    for (name, encoding) in [
        ("utf16le-bom.tmx", Detected::Utf16Le { bom: true }),
        ("utf16be-bom.tmx", Detected::Utf16Be { bom: true }),
        ("utf16le-nobom.tmx", Detected::Utf16Le { bom: false }),
    ] {
        let read = read_ok(name);
        assert_eq!(read.encoding, encoding, "{name}");
        assert!(read.warnings.is_empty(), "{name}: {:?}", read.warnings);
        assert_eq!(read.units, utf8.units, "{name}");
    }
}

#[test]
fn a_wrong_encoding_declaration_is_overruled_by_the_bytes() {
    let read = read_ok("declared-latin1-but-utf8.tmx");
    assert_eq!(read.encoding, Detected::Utf8);
    assert_eq!(
        texts(&read.units)[0][0],
        "The café on the corner sells crêpes."
    );
    assert_eq!(read.warnings.len(), 1, "{:?}", read.warnings);
    assert!(
        read.warnings[0].starts_with("fixtures/tm/declared-latin1-but-utf8.tmx:1:1: ")
            && read.warnings[0].contains("encoding=\"ISO-8859-1\"")
            && read.warnings[0].contains("read as UTF-8"),
        "{}",
        read.warnings[0]
    );
}

#[test]
fn legacy_and_namespaced_forms_are_read() {
    let legacy = read_ok("legacy-lang.tmx");
    assert_eq!(legacy.header.version.as_deref(), Some("1.1"));
    assert_eq!(legacy.units.len(), 3);
    for unit in &legacy.units {
        let langs: Vec<&str> = unit.variants.iter().map(|v| v.lang.as_str()).collect();
        // Unit 3 has both xml:lang="EN" and lang="DE": xml:lang wins.
        assert_eq!(langs, ["EN", "RU"]);
    }
    assert_eq!(legacy.warnings.len(), 1, "{:?}", legacy.warnings);
    assert!(legacy.warnings[0].contains("legacy lang="));

    for name in ["namespaced.tmx", "namespaced-prefix.tmx"] {
        let read = read_ok(name);
        assert_eq!(read.units.len(), 2, "{name}");
        assert!(read.warnings.is_empty(), "{name}: {:?}", read.warnings);
        assert_eq!(read.units[0].variants[1].lang, "ru-RU");
    }
}

#[test]
fn source_languages_come_from_the_unit_or_the_header() {
    let all = read_ok("srclang-all.tmx");
    assert_eq!(all.header.srclang.as_deref(), Some("*all*"));
    assert!(all
        .units
        .iter()
        .all(|u| u.source_lang(&all.header).is_none()));
    assert_eq!(all.units[0].variants.len(), 4);

    let per_tu = read_ok("per-tu-srclang.tmx");
    let sources: Vec<Option<&str>> = per_tu
        .units
        .iter()
        .map(|u| u.source_lang(&per_tu.header))
        .collect();
    assert_eq!(
        sources,
        [Some("en-US"), Some("ru-RU"), Some("de-DE"), Some("fr-FR")]
    );

    let mixed = read_ok("mixed-lang-codes.tmx");
    assert_eq!(mixed.header.srclang.as_deref(), Some("en_US"));
    for unit in &mixed.units {
        let normalised: Vec<String> = unit
            .variants
            .iter()
            .map(|v| normalize_lang(&v.lang).0)
            .collect();
        assert_eq!(normalised, ["en-US", "ru-RU"]);
    }
    let written: Vec<&str> = mixed
        .units
        .iter()
        .map(|u| u.variants[0].lang.as_str())
        .collect();
    assert_eq!(written, ["en_US", "EN-US", "en-us", "en-US"]);
}

#[test]
fn inline_markup_reads_back_to_the_markup_written() {
    let read = read_ok("inline-tags.tmx");
    let raw = fs::read_to_string(tm_fixture("inline-tags.tmx")).expect("fixture");
    let segs: Vec<&str> = raw
        .split("<seg>")
        .skip(1)
        .map(|rest| rest.split("</seg>").next().expect("closed seg"))
        .collect();
    let read_back: Vec<String> = read
        .units
        .iter()
        .flat_map(|u| u.variants.iter().map(|v| v.segment.to_xml()))
        .collect();
    assert_eq!(read_back, segs);
    for name in ["bpt", "ept", "ph", "it", "hi", "ut", "sub"] {
        assert!(
            segs.iter()
                .any(|s| s.contains(&format!("<{name} ")) || s.contains(&format!("<{name}>"))),
            "no <{name}> in the fixture"
        );
    }
    assert_eq!(
        texts(&read.units)[5],
        ["Click here & wait.", "Нажмите здесь и подождите."]
    );
    assert_eq!(
        read.units[1].variants[0].segment.tag_count(),
        2,
        "ph and its sub"
    );
}

#[test]
fn props_notes_and_every_date_form_are_kept() {
    let read = read_ok("props-notes-dates.tmx");
    assert_eq!(read.header.props.len(), 2);
    assert_eq!(read.header.notes.len(), 1);
    let first = &read.units[0];
    assert_eq!(
        first.notes,
        ["Checked by the curator.", "Second note & more."]
    );
    assert_eq!(first.props[0].kind, "x-score");
    assert_eq!(first.props[0].value, "0.93");
    assert!(first
        .other_attrs
        .iter()
        .any(|(k, v)| k == "usagecount" && v == "3"));
    // Units 1-5 write the same instant five ways (spec form, ISO with Z, with an offset, with a
    // space, without a zone).
    for unit in &read.units[..5] {
        let date = unit.creationdate.as_ref().expect("creationdate");
        let utc = date.utc.expect("a readable date");
        assert_eq!(
            (utc.year, utc.month, utc.day, utc.hour, utc.minute),
            (2024, 3, 15, 10, 15),
            "{}",
            date.written
        );
    }
    let last = &read.units[5];
    assert_eq!(last.creationdate.as_ref().map(|d| d.utc), Some(None));
    assert_eq!(last.variants[0].notes, ["Variant-level note."]);
    assert_eq!(last.variants[1].props[0].value, "зал 2");
    assert_eq!(read.warnings.len(), 2, "{:?}", read.warnings);
    assert!(read.warnings[0].contains("creationdate=\"15/03/2024\" is not a date"));
}

#[test]
fn refused_input_is_located_and_lenient_skips_only_the_broken_unit() {
    // (file, strict error prefix, units read before it, units read with --lenient, lenient
    // warnings that must appear; `None` when lenient stops at the same error.)
    type Case = (
        &'static str,
        &'static str,
        usize,
        Option<(usize, &'static [&'static str])>,
    );
    let cases: [Case; 5] = [
        (
            "bad-entity.tmx",
            "fixtures/tm/bad-entity.tmx:10:51: unit 2: the entity &nbsp; is not defined",
            1,
            Some((
                2,
                &["bad-entity.tmx:9:5: unit 2 skipped: the entity &nbsp;"],
            )),
        ),
        (
            "illegal-chars.tmx",
            "fixtures/tm/illegal-chars.tmx:10:54: unit 2: &#1; refers to a character XML 1.0 \
             does not allow (U+0001)",
            1,
            Some((
                3,
                &[
                    "unit 2 skipped: &#1; refers to a character",
                    "unit 4 skipped: character U+000B is not allowed in XML 1.0 (at 18:53)",
                ],
            )),
        ),
        (
            "broken-unit.tmx",
            "fixtures/tm/broken-unit.tmx:15:7: unit 3: <tuv> has no xml:lang",
            2,
            Some((
                4,
                &["broken-unit.tmx:13:5: unit 3 skipped: <tuv> has no xml:lang"],
            )),
        ),
        (
            "broken-xml.tmx",
            "fixtures/tm/broken-xml.tmx:10:48: unit 2: malformed XML",
            1,
            None,
        ),
        (
            "truncated.tmx",
            "fixtures/tm/truncated.tmx:11:54: unit 2: the file ends inside a <seg>",
            1,
            None,
        ),
    ];
    for (name, error, before, lenient) in cases {
        let strict = read_fixture(name, false).expect("the prolog reads");
        assert_eq!(strict.units.len(), before, "{name}");
        let message = strict
            .error
            .unwrap_or_else(|| panic!("{name} must be refused"));
        assert!(message.starts_with(error), "{name}: {message}");
        let read = read_fixture(name, true).expect("the prolog reads");
        match lenient {
            Some((units, warnings)) => {
                assert_eq!(read.error, None, "{name}");
                assert_eq!(read.units.len(), units, "{name}");
                assert_eq!(
                    read.warnings.len(),
                    warnings.len(),
                    "{name}: {:?}",
                    read.warnings
                );
                for (got, want) in read.warnings.iter().zip(warnings) {
                    assert!(got.contains(want), "{name}: {got}");
                }
            }
            None => {
                assert_eq!(read.units.len(), before, "{name}");
                assert_eq!(read.error.as_deref(), Some(message.as_str()), "{name}");
            }
        }
    }
    for lenient in [false, true] {
        let Err(message) = read_fixture("entity-bomb.tmx", lenient) else {
            panic!("entity-bomb.tmx must be refused");
        };
        assert!(
            message.starts_with("fixtures/tm/entity-bomb.tmx:2:1: the DOCTYPE declares entities"),
            "{message}"
        );
    }
}

#[test]
fn filter_and_dedupe_fixtures_read_cleanly() {
    let dirty = read_ok("dirty.tmx");
    assert_eq!(dirty.units.len(), 11);
    assert_eq!(texts(&dirty.units)[1][1], "", "empty target");
    assert_eq!(dirty.units[2].variants.len(), 1, "missing target");
    assert!(
        dirty.units[8].variants[0]
            .segment
            .plain_text()
            .chars()
            .count()
            > 500
    );
    let dups = read_ok("duplicates.tmx");
    assert_eq!(dups.units.len(), 10);
    assert!(dups.warnings.is_empty(), "{:?}", dups.warnings);
    let memory = read_ok("omegat-memory.tmx");
    assert_eq!(memory.units.len(), 7);
}

// ----- the client checks themselves --------------------------------------------------------------

/// Fixtures meant to be valid TMX 1.4b (the others are malformed, legacy or namespaced on
/// purpose).
const VALID_FIXTURES: [&str; 12] = [
    "utf8-bom.tmx",
    "utf16le-bom.tmx",
    "utf16be-bom.tmx",
    "utf16le-nobom.tmx",
    "srclang-all.tmx",
    "per-tu-srclang.tmx",
    "mixed-lang-codes.tmx",
    "inline-tags.tmx",
    "props-notes-dates.tmx",
    "duplicates.tmx",
    "dirty.tmx",
    "omegat-memory.tmx",
];

#[test]
fn xmllint_accepts_the_valid_fixtures_and_reports_the_others() {
    for name in VALID_FIXTURES {
        assert_valid_tmx(&tm_fixture(name));
    }
    // The check must be able to fail: a validity error, a validity warning, a parser error.
    for (name, expected) in [
        ("namespaced.tmx", "validity error"),
        ("legacy-lang.tmx", "validity warning"),
        ("bad-entity.tmx", "Entity 'nbsp' not defined"),
        ("broken-unit.tmx", "does not carry attribute xml:lang"),
    ] {
        let Some(problems) = xmllint_problems(&tm_fixture(name)) else {
            return;
        };
        assert!(
            problems.iter().any(|l| l.contains(expected)),
            "{name}: {problems:?}"
        );
    }
}

#[test]
fn translate_toolkit_loads_the_fixtures() {
    let Some(units) = translate_toolkit_units(&tm_fixture("utf16le-bom.tmx")) else {
        return;
    };
    assert_eq!(units.len(), 3);
    assert_eq!(
        units[0],
        (
            "The lighthouse keeper counts the ships every evening.".to_string(),
            "Смотритель маяка каждый вечер считает корабли.".to_string()
        )
    );
    let units = translate_toolkit_units(&tm_fixture("inline-tags.tmx")).expect("checked above");
    assert_eq!(units.len(), 7);
    let memory = translate_toolkit_units(&tm_fixture("omegat-memory.tmx")).expect("checked above");
    assert_eq!(memory.len(), 7);
    // The check must be able to fail.
    let problems = |name: &str| {
        translate_toolkit_load(&tm_fixture(name))
            .expect("checked above")
            .problems()
    };
    assert_eq!(
        problems("dirty.tmx"),
        [
            "unit 2: empty or missing target",
            "unit 3: empty or missing target"
        ]
    );
    // Only the last unit writes the header's "en_US" byte for byte.
    let mixed = problems("mixed-lang-codes.tmx");
    assert_eq!(mixed.len(), 3, "{mixed:?}");
    assert!(mixed[0].starts_with("unit 2: no <tuv> in the srclang \"en_US\""));
    // translate-toolkit does not read the legacy lang= attribute: units 1 and 2 (lang= only)
    // have no source for it.
    assert_eq!(
        problems("legacy-lang.tmx"),
        [
            "unit 1: empty or missing source",
            "unit 2: empty or missing source"
        ]
    );
}

/// The document's paragraphs (OmegaT segments with `sentence_seg=false`).
fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

#[test]
fn omegat_applies_a_memory_to_the_document() {
    let doc = tm_fixture("omegat-doc.txt");
    let Some(target) = omegat_translate(&tm_fixture("omegat-memory.tmx"), &doc, "en-US", "ru-RU")
    else {
        return;
    };
    let expected = fs::read_to_string(tm_fixture("omegat-doc.ru.txt")).expect("fixture");
    assert_eq!(target, expected, "byte for byte, layout included");
}

#[test]
fn omegat_reports_language_codes_it_cannot_match() {
    // OmegaT compares language tags case-insensitively but not `_` with `-`: the `en_US` unit
    // of mixed-lang-codes.tmx is skipped with TMXR_WARNING_SOURCE_NOT_FOUND (TMX-NOTES P1), and
    // the check above must fail on it.
    let tmp = util::temp_dir();
    let doc = tmp.path().join("pharmacy.txt");
    let read = read_ok("mixed-lang-codes.tmx");
    let english: Vec<String> = texts(&read.units)
        .into_iter()
        .map(|t| t[0].clone())
        .collect();
    fs::write(&doc, english.join("\n\n") + "\n").expect("write the document");
    let Some(run) = omegat_run(&tm_fixture("mixed-lang-codes.tmx"), &doc, "en-US", "ru-RU") else {
        return;
    };
    let complaints = run.tm_complaints();
    assert!(
        complaints
            .iter()
            .any(|l| l.contains("TMXR_WARNING_SOURCE_NOT_FOUND")),
        "{}",
        run.log
    );
    let got = paragraphs(&run.target);
    assert_eq!(got[0], english[0], "the en_US unit is not applied");
    assert_eq!(
        &got[1..],
        [
            "Она работает до десяти вечера.",
            "Спросите фармацевта о побочных эффектах.",
            "Сохраните чек."
        ]
    );
    assert_eq!(run.remaining, Some(1));
}

#[test]
fn omegat_applies_bitext_align_output() {
    // `bitext align --presplit` on the OmegaT document and its translation writes a TMX that
    // validates, loads in translate-toolkit, and turns the English document into the Russian one
    // in OmegaT from exact matches alone.
    let en = tm_fixture("omegat-doc.txt");
    let ru = tm_fixture("omegat-doc.ru.txt");
    let tmp = util::temp_dir();
    let tmx = tmp.path().join("aligned.tmx");
    util::run_ok(&["align", "--presplit", s(&en), s(&ru), "-o", s(&tmx)]);
    assert_valid_tmx(&tmx);
    let english = fs::read_to_string(&en).expect("fixture");
    let russian = fs::read_to_string(&ru).expect("fixture");
    if let Some(units) = translate_toolkit_units(&tmx) {
        let want: Vec<(String, String)> = paragraphs(&english)
            .into_iter()
            .zip(paragraphs(&russian))
            .map(|(e, r)| (e.to_string(), r.to_string()))
            .collect();
        assert_eq!(units, want);
    }
    let Some(run) = omegat_run(&tmx, &en, "en-US", "ru-RU") else {
        return;
    };
    assert!(run.tm_complaints().is_empty(), "{}", run.log);
    assert_eq!(run.target, russian);
    assert_eq!(run.remaining, Some(0));
    let mut note = std::io::stderr();
    let _ = writeln!(
        note,
        "note: OmegaT console-translate took {:.1?}",
        run.elapsed
    );
}
