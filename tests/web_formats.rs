//! CLI tests: `bitext align` on HTML, Markdown, SubRip and WebVTT (issue 15): the fixtures of
//! `fixtures/web/` (made by `fixtures/web/make.py` from the Paris Pact text fixtures) align as
//! their plain text does, and no markup, script, menu or timecode reaches a segment.

use std::collections::HashSet;

use crate::util::{fixture, run_ok, s};

const DOC: &str = "sco-paris-pact-beijing";
const FORMATS: [&str; 4] = ["html", "md", "srt", "vtt"];

/// The `[src]:[tgt]` part of each line of a links file.
fn links(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l[..=l.rfind(']').expect("a link line has ']'")].to_string())
        .collect()
}

fn pair(ext: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    (
        fixture(&format!("web/{DOC}.en.{ext}")),
        fixture(&format!("web/{DOC}.ru.{ext}")),
    )
}

/// Every gold link of the text fixtures, for every format: the pages' headings and paragraphs,
/// and the subtitles' cues (one a sentence), give the sentences of the `.txt`/`.sents`.
#[test]
fn every_format_reproduces_every_gold_link() {
    let gold = links(&std::fs::read_to_string(fixture(&format!("{DOC}.links"))).expect("gold"));
    for ext in FORMATS {
        let (en, ru) = pair(ext);
        let out = run_ok(&["align", s(&en), s(&ru), "-f", "links"]);
        let got: HashSet<String> = links(&out).into_iter().collect();
        for link in &gold {
            assert!(
                got.contains(link),
                "{ext}: gold link {link} missing from\n{out}"
            );
        }
        assert_eq!(links(&out).len(), gold.len(), "{ext}: {out}");
    }
}

/// No timecode, tag, character reference, script, style, menu or title reaches a segment,
/// and the heading is a unit of its own.
#[test]
fn segments_hold_only_the_visible_text() {
    let noise = [
        "-->",
        "00:00",
        "<",
        ">",
        "{\\",
        "&nbsp;",
        "&laquo;",
        "&amp;",
        "WEBVTT",
        "NOTE",
        "STYLE",
        "cue-",
        "position:",
        "function",
        "window",
        "_gaq",
        "font-family",
        "Home",
        "Главная",
        "Secretariat —",
        "JavaScript",
        "Read more",
        "Подробнее",
        "participants: 70",
        "```",
        "paris-pact.jpg",
        "Liu Yuejin>",
        "**",
        "](",
    ];
    for ext in FORMATS {
        let (en, ru) = pair(ext);
        let out = run_ok(&["align", s(&en), s(&ru), "-f", "tsv", "--plain"]);
        for bad in noise {
            assert!(!out.contains(bad), "{ext}: {bad:?} in a segment:\n{out}");
        }
        let first = out.lines().nth(1).expect("a first unit");
        let cols: Vec<&str> = first.split('\t').collect();
        assert_eq!(
            cols[..2],
            [
                "Paris Pact Initiative in Beijing: Drug threat talks continue at the SCO \
                 Secretariat",
                "Инициатива «Парижский пакт» в Пекине: на базе Секретариата ШОС продолжается \
                 дискуссия по проблемам наркоугрозы"
            ],
            "{ext}: the heading is its own unit"
        );
        // The text keeps what the markup encoded: U+00A0 from `&nbsp;`, « » from `&laquo;`.
        assert!(out.contains('\u{a0}') && out.contains('«'), "{ext}");
    }
}

/// A `.txt` that holds a page or subtitles is read by its content.
#[test]
fn content_tells_the_format_under_another_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    for ext in ["html", "vtt"] {
        let (en, ru) = pair(ext);
        let en_txt = dir.path().join(format!("en-{ext}.txt"));
        let ru_txt = dir.path().join(format!("ru-{ext}.txt"));
        std::fs::copy(&en, &en_txt).expect("copy");
        std::fs::copy(&ru, &ru_txt).expect("copy");
        let out = run_ok(&["align", s(&en_txt), s(&ru_txt), "-f", "tsv", "--plain"]);
        assert!(!out.contains("-->") && !out.contains("<p>"), "{ext}: {out}");
    }
}

/// A malformed timing line is an error naming the file and line, never a panic.
#[test]
fn a_bad_timecode_names_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.srt");
    std::fs::write(
        &bad,
        "1\n00:00:01,000 --> 00:00:02,000\nOne.\n\n2\n00:00:02 --> x\nTwo.\n",
    )
    .expect("write");
    let (_, ru) = pair("srt");
    let err = crate::util::run_err(&["align", s(&bad), s(&ru)]);
    assert!(err.contains("bad.srt:6:"), "{err}");
}

/// Two subtitle files of one film, the Russian a 25 fps release 1.8 s late, with unsubtitled
/// interjections and a sentence the English breaks over two cues (`fixtures/subtitles/`): the
/// cue times reproduce every gold link, 1-0 and 2-1 links included; the same lines without
/// their times (plain text) do not.
#[test]
fn subtitle_timing_reproduces_the_gold_alignment() {
    let dir = crate::util::temp_dir();
    let (en, ru) = (
        fixture("subtitles/dialogue.en.srt"),
        fixture("subtitles/dialogue.ru.vtt"),
    );
    let gold = std::fs::read_to_string(fixture("subtitles/dialogue.links")).expect("gold");
    let gold = links(&gold);
    let out = crate::util::run(&["align", s(&en), s(&ru), "-f", "links"]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(links(&stdout), gold, "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "subtitles aligned on their cue times (target time = source time × 1.0427 + 1.80 s)"
        ),
        "{stderr}"
    );
    // Without the times: the cue texts as plain paragraphs.
    let plain = |path: &std::path::Path, name: &str| {
        crate::util::subtitle_lines_as_text(path, dir.path().join(name))
    };
    let (en_txt, ru_txt) = (plain(&en, "en.txt"), plain(&ru, "ru.txt"));
    let untimed = run_ok(&["align", "--force", s(&en_txt), s(&ru_txt), "-f", "links"]);
    let hits = links(&untimed).iter().filter(|l| gold.contains(l)).count();
    assert!(hits < gold.len(), "{untimed}");
}

/// Directory mode says per pair, with `-v`, how each file was read and that subtitles were
/// aligned on their times; without `-v` it says nothing of it.
#[test]
fn directory_mode_notes_formats_and_timing_per_pair_with_v() {
    let dir = crate::util::temp_dir();
    let (en, ru, out) = (
        dir.path().join("en"),
        dir.path().join("ru"),
        dir.path().join("out"),
    );
    std::fs::create_dir_all(&en).expect("dir");
    std::fs::create_dir_all(&ru).expect("dir");
    std::fs::copy(fixture("subtitles/dialogue.en.srt"), en.join("film.srt")).expect("copy");
    std::fs::copy(fixture("subtitles/dialogue.ru.vtt"), ru.join("film.srt")).expect("copy");
    let run = |verbose: bool| {
        let mut args = vec!["align", s(&en), s(&ru), "-o", s(&out), "--force"];
        if verbose {
            args.insert(0, "-v");
        }
        let result = crate::util::run(&args);
        assert!(result.status.success(), "{result:?}");
        String::from_utf8_lossy(&result.stderr).into_owned()
    };
    let err = run(true);
    assert!(
        err.contains("film.srt: read as SubRip (34 paragraphs)"),
        "{err}"
    );
    assert!(
        err.contains("film.srt: read as WebVTT (28 paragraphs)"),
        "{err}"
    );
    assert!(
        err.contains("subtitles aligned on their cue times"),
        "{err}"
    );
    let err = run(false);
    assert!(!err.contains("read as"), "{err}");
}
