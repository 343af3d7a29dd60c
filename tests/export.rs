//! CLI tests: export (`bitext align ... -o OUT`): formats chosen by extension or `-f`, TMX checked
//! with real tools (xmllint against the TMX 1.4 DTD, translate-toolkit's TMX store), output
//! safety (stdout, refusing inputs, no partial files) and text handling (illegal control
//! characters, NBSP).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::util::{
    bitext, fixture, python_with_translate_toolkit, run_err, s, temp_dir, tmx_dtd, xmllint,
};

const EN: &str = "sco-counter-narcotics-2018.en.txt";
const RU: &str = "sco-counter-narcotics-2018.ru.txt";
/// 2024-01-15 12:00:00 UTC.
const EPOCH: &str = "1705320000";

/// Runs `bitext align EN RU ARGS` on the fixture pair with a fixed date; asserts success and
/// returns (stdout, stderr).
fn align(args: &[&str]) -> (Vec<u8>, String) {
    align_pair(&fixture(EN), &fixture(RU), args)
}

fn align_pair(src: &Path, tgt: &Path, args: &[&str]) -> (Vec<u8>, String) {
    let out = bitext()
        .arg("align")
        .args([s(src), s(tgt)])
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("bitext runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "bitext align {args:?} failed: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.stdout, stderr)
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Checks `tmx` against `fixtures/spec/tmx14.dtd`; a `validity` warning counts as a failure.
fn assert_dtd_valid(tmx: &Path) {
    let Some(xmllint) = xmllint() else { return };
    let dtd = tmx_dtd();
    let out = Command::new(xmllint)
        .args(["--noout", "--nonet", "--dtdvalid", s(&dtd), s(tmx)])
        .output()
        .expect("xmllint runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "xmllint rejects {}: {stderr}",
        tmx.display()
    );
    assert!(!stderr.contains("validity"), "xmllint: {stderr}");
}

/// Loads `tmx` with translate-toolkit; returns its unit count after checking every unit has a
/// non-empty source and target tagged en-US and ru-RU.
fn translate_toolkit_units(tmx: &Path) -> Option<usize> {
    let python = python_with_translate_toolkit()?;
    let script = r#"
import sys
from translate.storage import tmx
s = tmx.tmxfile.parsefile(sys.argv[1])
LANG = '{http://www.w3.org/XML/1998/namespace}lang'
bad = 0
for u in s.units:
    langs = [n.get(LANG) for n in u.getlanguageNodes()]
    if langs != ['en-US', 'ru-RU'] or not u.source or not u.target:
        bad += 1
        print('bad unit', langs, repr(u.source), repr(u.target), file=sys.stderr)
assert s.sourcelanguage == 'en-US', s.sourcelanguage
print(len(s.units), bad)
"#;
    let out = Command::new(&python)
        .args(["-c", script, s(tmx)])
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "translate-toolkit fails on {}: {}",
        tmx.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut fields = stdout.split_whitespace();
    let units: usize = fields.next().and_then(|n| n.parse().ok()).expect("count");
    let bad: usize = fields.next().and_then(|n| n.parse().ok()).expect("bad");
    assert_eq!(
        bad,
        0,
        "units with an empty side or wrong languages: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(units)
}

fn count_tu(tmx: &str) -> usize {
    tmx.matches("<tu ").count()
}

#[test]
fn tmx_of_a_fixture_is_dtd_valid_and_loads_in_translate_toolkit() {
    let dir = temp_dir();
    let out = dir.path().join("out.tmx");
    let (stdout, _) = align(&["-o", s(&out)]);
    assert!(stdout.is_empty(), "a file output writes nothing on stdout");
    let text = read(&out);
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n"));
    assert!(
        text.contains(r#"srclang="en-US""#) && text.contains(r#"creationdate="20240115T120000Z""#)
    );
    let tus = count_tu(&text);
    assert!(tus >= 10, "{tus} units from a 15-paragraph fixture");
    assert_dtd_valid(&out);
    if let Some(units) = translate_toolkit_units(&out) {
        assert_eq!(units, tus, "translate-toolkit sees every <tu>");
    }
    // The second fixture pair too.
    let out2 = dir.path().join("paris.tmx");
    align_pair(
        &fixture("sco-paris-pact-beijing.en.txt"),
        &fixture("sco-paris-pact-beijing.ru.txt"),
        &["-o", s(&out2)],
    );
    assert_dtd_valid(&out2);
    if let Some(units) = translate_toolkit_units(&out2) {
        assert_eq!(units, count_tu(&read(&out2)));
    }
}

#[test]
fn output_is_reproducible_with_source_date_epoch() {
    let dir = temp_dir();
    let (a, b) = (dir.path().join("a.tmx"), dir.path().join("b.tmx"));
    align(&["-o", s(&a)]);
    align(&["-o", s(&b)]);
    assert_eq!(fs::read(&a).expect("a"), fs::read(&b).expect("b"));
    let bad = bitext()
        .args(["align", s(&fixture(EN)), s(&fixture(RU)), "-o", s(&a)])
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .expect("runs");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("SOURCE_DATE_EPOCH"));
}

#[test]
fn format_follows_the_extension_and_f_overrides_it() {
    let dir = temp_dir();
    let path = |name: &str| dir.path().join(name);

    align(&["-o", s(&path("out.tsv"))]);
    let tsv = read(&path("out.tsv"));
    assert!(
        tsv.starts_with("en-US\tru-RU\tscore\ttype\n"),
        "TSV has the header row bitext tm reads: {tsv}"
    );
    assert!(tsv.lines().count() >= 11);
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "{line:?}");
        assert!(
            cols[2].parse::<f64>().is_ok() && cols[2].len() == 6,
            "{line:?}"
        );
        assert!(cols[3].contains('-'), "{line:?}");
    }

    align(&["-o", s(&path("out.csv"))]);
    let csv = read(&path("out.csv"));
    assert!(csv.starts_with("en-US,ru-RU,score,type\n"), "{csv}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("CSV")).collect();
    assert_eq!(rows.len(), tsv.lines().count() - 1, "same units as TSV");
    assert!(rows.iter().all(|r| r.len() == 4));

    align(&["--no-header", "--plain", "-o", s(&path("bare.tsv"))]);
    let bare = read(&path("bare.tsv"));
    assert_eq!(
        bare.lines().count(),
        tsv.lines().count() - 1,
        "no header row"
    );
    assert!(!bare.starts_with("en-US"), "{bare}");

    align(&["-o", s(&path("out.jsonl"))]);
    let jsonl = read(&path("out.jsonl"));
    for line in jsonl.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        for key in ["src_ids", "tgt_ids", "src", "tgt", "score", "type"] {
            assert!(v.get(key).is_some(), "{key} in {line}");
        }
    }
    assert_eq!(jsonl.lines().count(), tsv.lines().count() - 1);

    align(&["-o", s(&path("out.links"))]);
    let links = read(&path("out.links"));
    let covered: usize = links
        .lines()
        .map(|l| {
            let parts: Vec<&str> = l.split(':').collect();
            assert_eq!(parts.len(), 3, "{l}");
            assert!(parts[0].starts_with('[') && parts[0].ends_with(']'), "{l}");
            parts[0]
                .trim_matches(['[', ']'])
                .split(", ")
                .filter(|x| !x.is_empty())
                .count()
        })
        .sum();
    let en_sentences = crate::util::run_ok(&["split", s(&fixture(EN))])
        .lines()
        .count();
    assert_eq!(covered, en_sentences, "links cover every source sentence");

    // An unknown extension is refused (it once got TMX silently), naming the formats (.xlsx
    // writes a review workbook, tests/review.rs); no
    // extension means TMX; -f decides whatever the name.
    let err = run_err(&[
        "align",
        s(&fixture(EN)),
        s(&fixture(RU)),
        "-o",
        s(&path("out.docx")),
    ]);
    assert!(
        err.contains("out.docx") && err.contains(".tmx, .tsv"),
        "{err}"
    );
    assert!(!path("out.docx").exists());
    align(&["-o", s(&path("out"))]);
    assert!(
        read(&path("out")).starts_with("<?xml"),
        "no extension -> TMX"
    );
    align(&["-o", s(&path("out.txt")), "-f", "tsv"]);
    assert!(!read(&path("out.txt")).starts_with("<?xml"), "-f decides");

    align(&["-o", s(&path("forced.tsv")), "-f", "jsonl"]);
    let forced = read(&path("forced.tsv"));
    assert!(
        serde_json::from_str::<serde_json::Value>(forced.lines().next().expect("a line")).is_ok()
    );
    align(&["-o", s(&path("forced.csv")), "-f", "tmx"]);
    assert_dtd_valid(&path("forced.csv"));
}

#[test]
fn dash_writes_standard_output() {
    let dir = temp_dir();
    let file = dir.path().join("out.tmx");
    align(&["-o", s(&file)]);
    let (stdout, _) = align(&["-o", "-"]);
    assert_eq!(
        stdout,
        fs::read(&file).expect("file"),
        "same bytes as the file"
    );
    let (stdout, _) = align(&["-o", "-", "-f", "tsv"]);
    let text = String::from_utf8(stdout).expect("UTF-8");
    assert!(text.lines().all(|l| l.split('\t').count() == 4));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // Enough text that the output cannot fit in a pipe buffer (64 KiB on Linux).
    let dir = temp_dir();
    let (en, ru) = (dir.path().join("big.en.txt"), dir.path().join("big.ru.txt"));
    let mut en_text = String::new();
    let mut ru_text = String::new();
    for i in 0..1500 {
        en_text.push_str(&format!(
            "Sentence number {i} is about the meeting of the heads of agencies.\n"
        ));
        ru_text.push_str(&format!(
            "Предложение номер {i} рассказывает о совещании руководителей ведомств.\n"
        ));
    }
    fs::write(&en, en_text).expect("write");
    fs::write(&ru, ru_text).expect("write");
    let mut child = bitext()
        .args(["align", "--presplit", s(&en), s(&ru), "-o", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take()); // the reader goes away at once, like `| head -0`
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    let status = child.wait().expect("wait");
    assert!(status.success(), "exit {status}: {stderr}");
    assert!(
        !stderr.contains("error") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

/// Copies the fixture pair into a temporary directory (inputs the tests may try to clobber).
fn copied_inputs(dir: &Path) -> (PathBuf, PathBuf) {
    let (en, ru) = (dir.join("in.en.txt"), dir.join("in.ru.txt"));
    fs::copy(fixture(EN), &en).expect("copy");
    fs::copy(fixture(RU), &ru).expect("copy");
    (en, ru)
}

#[test]
fn an_output_naming_an_input_is_refused() {
    let dir = temp_dir();
    let (en, ru) = copied_inputs(dir.path());
    let before = (fs::read(&en).expect("en"), fs::read(&ru).expect("ru"));
    let dotted = dir.path().join(".").join("in.ru.txt");
    for target in [&en, &ru, &dotted] {
        let err = run_err(&["align", s(&en), s(&ru), "-o", s(target)]);
        assert!(err.contains("refusing") && err.contains("input"), "{err}");
    }
    assert_eq!(fs::read(&en).expect("en"), before.0, "input unchanged");
    assert_eq!(fs::read(&ru).expect("ru"), before.1, "input unchanged");
    let names: Vec<_> = fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(names.len(), 2, "no temporary file left behind");
}

#[test]
fn unwritable_outputs_fail_cleanly_and_name_the_output() {
    let dir = temp_dir();
    let err = run_err(&[
        "align",
        s(&fixture(EN)),
        s(&fixture(RU)),
        "-o",
        s(dir.path()),
    ]);
    assert!(err.contains("directory"), "{err}");
    let missing = dir.path().join("no-such-dir").join("out.tmx");
    let err = run_err(&["align", s(&fixture(EN)), s(&fixture(RU)), "-o", s(&missing)]);
    assert!(err.contains("no-such-dir/out.tmx"), "{err}");
    let tmx = dir.path().join("out.tmx");
    let err = run_err(&[
        "align",
        s(&fixture(EN)),
        s(&fixture(RU)),
        "-o",
        s(&tmx),
        "--src-tag",
        "en US",
    ]);
    assert!(err.contains("--src-tag") && err.contains("BCP 47"), "{err}");
    assert_eq!(
        fs::read_dir(dir.path()).expect("dir").count(),
        0,
        "nothing written"
    );
}

#[test]
fn illegal_control_characters_are_dropped_with_a_warning() {
    let dir = temp_dir();
    let (en, ru) = (dir.path().join("c.en.txt"), dir.path().join("c.ru.txt"));
    fs::write(
        &en,
        "First line is fine.\nSecond has a bell\u{7} and\u{1} two controls.\nThird.\n",
    )
    .expect("write");
    fs::write(&ru, "Первая строка.\nВторая\u{1B} строка.\nТретья.\n").expect("write");
    let out = dir.path().join("c.tmx");
    let (_, stderr) = align_pair(&en, &ru, &["--presplit", "-o", s(&out)]);
    let text = read(&out);
    assert!(!text.contains('\u{7}') && !text.contains('\u{1}') && !text.contains('\u{1B}'));
    assert!(
        text.contains("<seg>Second has a bell and two controls.</seg>"),
        "{text}"
    );
    assert!(text.contains("<seg>Вторая строка.</seg>"), "{text}");
    assert_eq!(count_tu(&text), 3);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("not allowed in XML 1.0"))
        .collect();
    assert_eq!(warnings.len(), 1, "one warning for the unit: {stderr}");
    assert!(warnings[0].starts_with("bitext: warning: "), "{stderr}");
    assert!(
        warnings[0].contains("unit 2 (source sentence 2, target sentence 2)"),
        "{stderr}"
    );
    assert!(warnings[0].contains("U+0007, U+0001, U+001B"), "{stderr}");
    assert_dtd_valid(&out);
    if let Some(units) = translate_toolkit_units(&out) {
        assert_eq!(units, 3);
    }
}

#[test]
fn nbsp_survives_as_the_raw_character() {
    let dir = temp_dir();
    let out = dir.path().join("nbsp.tmx");
    align(&["-o", s(&out)]);
    let text = read(&out);
    let ru = read(&fixture(RU));
    assert!(ru.contains("17\u{A0}мая"), "the fixture has NBSP");
    assert!(text.contains("17\u{A0}мая"), "NBSP written raw");
    assert!(!text.contains("&nbsp;") && !text.contains("&#160;") && !text.contains("&#xA0;"));
    let nbsp_in = read(&fixture(EN)).matches('\u{A0}').count() + ru.matches('\u{A0}').count();
    assert!(
        text.matches('\u{A0}').count() * 2 >= nbsp_in,
        "most NBSPs kept"
    );
    align(&["-o", s(&dir.path().join("nbsp.tsv"))]);
    assert!(read(&dir.path().join("nbsp.tsv")).contains("17\u{A0}мая"));
}

/// A sentence crossing a soft line break must stay one record on one line. Whether the
/// splitter keeps such a sentence whole is its business: the record structure is checked
/// always, the folded text whenever `bitext split` reports one sentence a side.
#[test]
fn soft_line_breaks_never_split_a_record() {
    let dir = temp_dir();
    let (en, ru) = (dir.path().join("w.en.txt"), dir.path().join("w.ru.txt"));
    // One paragraph each, hard-wrapped in the middle of a sentence.
    fs::write(&en, "The meeting was held\nin Tianjin.\n").expect("write");
    fs::write(&ru, "Совещание прошло\r\nв Тяньцзине.\n").expect("write");
    let whole = crate::util::run_ok(&["split", s(&en)]).lines().count() == 1
        && crate::util::run_ok(&["split", "--lang", "ru", s(&ru)])
            .lines()
            .count()
            == 1;
    for ext in ["tmx", "tsv", "csv", "jsonl"] {
        let out = dir.path().join(format!("w.{ext}"));
        align_pair(&en, &ru, &["-o", s(&out)]);
        let text = read(&out);
        assert!(!text.contains('\r'), "{ext}: {text:?}");
        match ext {
            "tmx" => assert!(text
                .lines()
                .filter(|l| l.contains("<seg>"))
                .all(|l| l.contains("</seg>"))),
            "tsv" => assert!(text.lines().all(|l| l.split('\t').count() == 4), "{text}"),
            "csv" => assert!(!text.contains("\"\n") && !text.contains("\n\""), "{text}"),
            _ => assert!(text
                .lines()
                .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())),
        }
        if whole {
            assert!(
                text.contains("The meeting was held in Tianjin."),
                "{ext}: {text}"
            );
            assert!(
                text.contains("Совещание прошло в Тяньцзине."),
                "{ext}: {text}"
            );
        }
    }
}

#[test]
fn tmx_tags_default_from_the_languages() {
    let dir = temp_dir();
    let (de, fr) = (dir.path().join("a.de"), dir.path().join("a.fr"));
    fs::write(
        &de,
        "Der Zug fährt um sieben Uhr ab.\n\nEr kommt um neun an.\n",
    )
    .expect("write");
    fs::write(
        &fr,
        "Le train part à sept heures.\n\nIl arrive à neuf heures.\n",
    )
    .expect("write");
    let tags = |args: &[&str]| -> String {
        let mut all = vec!["align", s(&de), s(&fr)];
        all.extend(args);
        crate::util::run_ok(&all)
    };
    // Once en-US and ru-RU whatever the languages.
    let tmx = tags(&["--src-lang", "de", "--tgt-lang", "fr"]);
    assert!(
        tmx.contains("srclang=\"de-DE\"") && tmx.contains("xml:lang=\"fr-FR\""),
        "{tmx}"
    );
    let tmx = tags(&["--src-lang", "de-ch", "--tgt-lang", "uk"]);
    assert!(
        tmx.contains("xml:lang=\"de-CH\"") && tmx.contains("xml:lang=\"uk\""),
        "{tmx}"
    );
    let tmx = tags(&["--src-lang", "de", "--tgt-lang", "fr", "--src-tag", "de-AT"]);
    assert!(
        tmx.contains("xml:lang=\"de-AT\"") && tmx.contains("xml:lang=\"fr-FR\""),
        "{tmx}"
    );
    let tmx = crate::util::run_ok(&["align", s(&fixture(EN)), s(&fixture(RU))]);
    assert!(tmx.contains("xml:lang=\"en-US\"") && tmx.contains("xml:lang=\"ru-RU\""));
}
