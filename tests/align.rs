//! CLI tests: `bitext align` end to end on the bundled EN-RU fixtures and the public DE-FR
//! Text+Berg gold set.

use std::collections::HashSet;

use crate::util::{bleualign, fixture, run, run_ok, s};

const DOCS: [&str; 2] = ["sco-counter-narcotics-2018", "sco-paris-pact-beijing"];

/// The `[src]:[tgt]` part of each line of a links file.
fn links(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let close = l
                .rfind(']')
                .expect("a link line ends its target list with ']'");
            l[..=close].to_string()
        })
        .collect()
}

fn gold(name: &str) -> Vec<String> {
    links(&std::fs::read_to_string(fixture(name)).expect("gold file"))
}

#[test]
fn running_text_reproduces_every_gold_link() {
    for doc in DOCS {
        let en = fixture(&format!("{doc}.en.txt"));
        let ru = fixture(&format!("{doc}.ru.txt"));
        let out = run_ok(&["align", s(&en), s(&ru), "-f", "links"]);
        let got: HashSet<String> = links(&out).into_iter().collect();
        for link in gold(&format!("{doc}.links")) {
            assert!(
                got.contains(&link),
                "{doc}: gold link {link} missing from\n{out}"
            );
        }
        assert_eq!(
            links(&out).len(),
            gold(&format!("{doc}.links")).len(),
            "{doc}: {out}"
        );
    }
}

/// A user dictionary (hunalign format, and FreeDict's eng-rus where installed) keeps every
/// gold link of the EN-RU fixtures.
#[test]
fn running_text_with_dictionaries_reproduces_every_gold_link() {
    let mut dicts = vec![fixture("dict/en-ru.dic")];
    let freedict = std::path::PathBuf::from("/usr/share/dictd/freedict-eng-rus.index");
    if crate::util::tool_available(
        "FreeDict eng-rus (Debian package dict-freedict-eng-rus)",
        freedict.is_file(),
        "the FreeDict EN-RU check",
    ) {
        dicts.push(freedict);
    }
    for dict in &dicts {
        for doc in DOCS {
            let en = fixture(&format!("{doc}.en.txt"));
            let ru = fixture(&format!("{doc}.ru.txt"));
            let out = run_ok(&["align", "--dict", s(dict), s(&en), s(&ru), "-f", "links"]);
            assert_eq!(
                links(&out),
                gold(&format!("{doc}.links")),
                "{doc} with {}",
                dict.display()
            );
        }
    }
}

#[test]
fn a_missing_dictionary_is_an_error_naming_it() {
    let en = fixture("sco-paris-pact-beijing.en.txt");
    let ru = fixture("sco-paris-pact-beijing.ru.txt");
    let err = crate::util::run_err(&["align", "--dict", "no-such.dic", s(&en), s(&ru)]);
    assert!(err.contains("no-such.dic"), "{err}");
}

#[test]
fn presplit_text_reproduces_every_gold_link() {
    for doc in DOCS {
        let en = fixture(&format!("{doc}.en.sents"));
        let ru = fixture(&format!("{doc}.ru.sents"));
        let out = run_ok(&["align", "--presplit", s(&en), s(&ru), "-f", "links"]);
        assert_eq!(links(&out), gold(&format!("{doc}.links")), "{doc}");
    }
}

/// The literary fixture (Chekhov's «Аптекарша» and Constance Garnett's translation, aligned
/// by hand: 168 1-1 and 5 1-2 links): every gold link from pre-split sentences, and the
/// links scored 0.9 or more at least 90% right.
#[test]
fn literary_fixture_reproduces_every_gold_link_with_calibrated_scores() {
    let doc = "literary/chekhov-chemists-wife";
    let en = fixture(&format!("{doc}.en.sents"));
    let ru = fixture(&format!("{doc}.ru.sents"));
    let out = run_ok(&["align", "--presplit", s(&en), s(&ru), "-f", "links"]);
    let gold = gold(&format!("{doc}.links"));
    assert_eq!(links(&out), gold);
    let confident: Vec<&str> = out
        .lines()
        .filter(|l| l.rsplit(':').next().and_then(|x| x.parse::<f64>().ok()) >= Some(0.9))
        .collect();
    let right = confident
        .iter()
        .filter(|l| gold.contains(&l[..=l.rfind(']').unwrap()].to_string()))
        .count();
    assert!(
        10 * right >= 9 * confident.len(),
        "{right} of {}",
        confident.len()
    );
}

#[test]
fn mixed_document_aligns_headline_to_headline() {
    let mixed = fixture("sco-paris-pact-beijing.mixed.txt");
    let out = run_ok(&["align", "--mixed", s(&mixed), "-f", "links"]);
    assert_eq!(links(&out), gold("sco-paris-pact-beijing.mixed.links"));
    // TMX never holds a null link: only the headline pair is a unit.
    let tmx = run_ok(&["align", "--mixed", s(&mixed)]);
    assert_eq!(tmx.matches("<tu ").count(), 1, "{tmx}");
    assert!(
        tmx.contains("Инициатива «Парижский пакт» в Пекине"),
        "{tmx}"
    );
}

#[test]
fn scores_are_probabilities_and_min_score_filters() {
    let en = fixture("sco-counter-narcotics-2018.en.txt");
    let ru = fixture("sco-counter-narcotics-2018.ru.txt");
    let out = run_ok(&["align", s(&en), s(&ru), "-f", "links"]);
    let scores: Vec<f64> = out
        .lines()
        .map(|l| l.rsplit(':').next().unwrap().parse::<f64>().unwrap())
        .collect();
    assert!(scores.iter().all(|x| (0.0..=1.0).contains(x)), "{scores:?}");
    let high = run_ok(&[
        "align",
        s(&en),
        s(&ru),
        "-f",
        "links",
        "--min-score",
        "0.99",
    ]);
    let kept = scores.iter().filter(|&&x| x >= 0.99).count();
    assert_eq!(high.lines().count(), kept);
    assert!(kept < scores.len() || scores.iter().all(|&x| x >= 0.99));
}

#[test]
fn output_is_deterministic() {
    let en = fixture("sco-paris-pact-beijing.en.txt");
    let ru = fixture("sco-paris-pact-beijing.ru.txt");
    let a = run_ok(&["align", s(&en), s(&ru), "-f", "jsonl"]);
    let b = run_ok(&["align", s(&en), s(&ru), "-f", "jsonl"]);
    assert_eq!(a, b);
}

/// The seven Text+Berg test documents.
const TEST_DOCS: [&str; 7] = [
    "test0", "test1", "test2", "test3", "test4", "test5", "test6",
];

/// Runs bitext on Text+Berg documents, one process each, and returns `bitext eval --json`.
fn text_berg(set: &[&str]) -> Option<serde_json::Value> {
    text_berg_with(set, &[], false)
}

/// [`text_berg`] with extra `bitext align` arguments, the documents aligned one process each
/// or as one `--batch` (which learns word translations from all of them together).
fn text_berg_with(set: &[&str], extra: &[&str], batch: bool) -> Option<serde_json::Value> {
    let data = bleualign()?;
    let dir = tempfile::tempdir().unwrap();
    let common = [
        "--presplit",
        "--src-lang",
        "de",
        "--tgt-lang",
        "fr",
        "-f",
        "links",
    ];
    let mut args: Vec<String> = vec!["eval".into(), "-t".into()];
    let mut golds = vec!["-g".to_string()];
    let mut manifest = String::new();
    for doc in set {
        let out = dir.path().join(format!("{doc}.align"));
        let de = data.join(format!("{doc}.de"));
        let fr = data.join(format!("{doc}.fr"));
        if batch {
            manifest.push_str(&format!("{}\t{}\t{}\n", s(&de), s(&fr), s(&out)));
        } else {
            let o = run(&[&["align"], extra, &common, &[s(&de), s(&fr), "-o", s(&out)]].concat());
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        args.push(s(&out).to_string());
        golds.push(s(&data.join(format!("{doc}.defr"))).to_string());
    }
    if batch {
        let list = dir.path().join("manifest.tsv");
        std::fs::write(&list, manifest).unwrap();
        let o = run(&[&["align", "--batch", s(&list)], extra, &common].concat());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    args.extend(golds);
    args.push("--json".into());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    Some(serde_json::from_str(&run_ok(&argv)).unwrap())
}

fn f1(report: &serde_json::Value, kind: &str) -> f64 {
    report["total"][kind]["f1"].as_f64().unwrap()
}

/// Quality floors on deterministic results, Text+Berg test set. Aligned as one batch, which
/// learns word translations from all seven documents together: 0.886 strict, 0.974 lax when
/// this floor was set (hunalign 0.751, vecalign with LASER 0.90). One process a document
/// learns from each document alone (0.873), and by length and anchors only it was 0.857.
#[test]
fn text_berg_test_set_quality_floors() {
    let Some(batch) = text_berg_with(&TEST_DOCS, &[], true) else {
        return;
    };
    let (strict, lax) = (f1(&batch, "strict"), f1(&batch, "lax"));
    assert!(
        strict >= 0.884,
        "batch strict F1 {strict:.4} fell below 0.884"
    );
    assert!(lax >= 0.965, "batch lax F1 {lax:.4} fell below 0.965");
    let Some(alone) = text_berg(&TEST_DOCS) else {
        return;
    };
    let single = f1(&alone, "strict");
    assert!(
        single >= 0.870,
        "per-document strict F1 {single:.4} fell below 0.870"
    );
    assert!(
        strict > single,
        "a batch should teach more vocabulary than one document: {strict:.4} <= {single:.4}"
    );
    let Some(plain) = text_berg_with(&TEST_DOCS, &["--no-learn"], false) else {
        return;
    };
    let plain = f1(&plain, "strict");
    assert!(
        plain >= 0.854,
        "--no-learn strict F1 {plain:.4} fell below 0.854"
    );
    assert!(
        single > plain,
        "learning from the document should help: {single:.4} <= {plain:.4}"
    );
}

/// FreeDict's German-French dictionary (Debian `dict-freedict-deu-fra`) on top of the learned
/// lexicon, Text+Berg test set as one batch.
#[test]
fn text_berg_test_set_with_freedict() {
    let dict = std::path::PathBuf::from("/usr/share/dictd/freedict-deu-fra.index");
    if !crate::util::tool_available(
        "FreeDict deu-fra (Debian package dict-freedict-deu-fra)",
        dict.is_file(),
        "the --dict quality floor",
    ) {
        return;
    }
    let Some(report) = text_berg_with(&TEST_DOCS, &["--dict", s(&dict)], true) else {
        return;
    };
    let (strict, lax) = (f1(&report, "strict"), f1(&report, "lax"));
    assert!(
        strict >= DICT_FLOOR.0,
        "strict F1 {strict:.4} fell below {}",
        DICT_FLOOR.0
    );
    assert!(
        lax >= DICT_FLOOR.1,
        "lax F1 {lax:.4} fell below {}",
        DICT_FLOOR.1
    );
}

/// Strict and lax F1 floors with FreeDict (see the README's quality table).
const DICT_FLOOR: (f64, f64) = (0.87, 0.965);

/// Text+Berg dev set (one long document with many 1-2 and 0-1 links): 0.892 when set.
#[test]
fn text_berg_dev_set_quality_floor() {
    let Some(report) = text_berg(&["dev"]) else {
        return;
    };
    let strict = f1(&report, "strict");
    assert!(strict >= 0.885, "strict F1 {strict:.4} fell below 0.885");
}

#[test]
fn other_language_pairs_use_language_independent_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let de = dir.path().join("a.de");
    let fr = dir.path().join("a.fr");
    std::fs::write(&de, "Am 9. September 1988 erreichten wir den Gipfel.\n\nDie Expedition dauerte 12 Tage. Sie war hart.\n").unwrap();
    std::fs::write(&fr, "Le 9 septembre 1988, nous avons atteint le sommet.\n\nL'expédition a duré 12 jours et elle fut dure.\n").unwrap();
    let out = run_ok(&[
        "align",
        "--src-lang",
        "de",
        "--tgt-lang",
        "fr",
        s(&de),
        s(&fr),
        "-f",
        "links",
    ]);
    assert_eq!(links(&out), ["[0]:[0]", "[1, 2]:[1]"], "{out}");
}

#[test]
fn utf16_bom_crlf_input_aligns_like_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let en = fixture("sco-paris-pact-beijing.en.txt");
    let ru = fixture("sco-paris-pact-beijing.ru.txt");
    let text = std::fs::read_to_string(&en).unwrap().replace('\n', "\r\n");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let en16 = dir.path().join("en16.txt");
    std::fs::write(&en16, utf16).unwrap();
    let ru8 = dir.path().join("ru8.txt");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(std::fs::read(&ru).unwrap());
    std::fs::write(&ru8, bom).unwrap();
    let a = run_ok(&["align", s(&en), s(&ru), "-f", "tsv"]);
    let b = run_ok(&["align", s(&en16), s(&ru8), "-f", "tsv"]);
    assert_eq!(a, b);
}

/// A sentence the translation moved two places up is linked where it went (a link that
/// crosses), scored above 0.5; `--no-crossing` leaves it unaligned on both sides.
#[test]
fn a_moved_sentence_is_linked_out_of_order_unless_no_crossing() {
    let dir = tempfile::tempdir().unwrap();
    let en = dir.path().join("moved.en");
    let ru = dir.path().join("moved.ru");
    std::fs::write(
        &en,
        "The meeting opened in Beijing on 14 May.\nDelegates from 8 countries and 3 agencies \
         attended.\nMr Zhang presented the 2016 report of the SCO.\nPolice seized 1,250 tonnes \
         of heroin in 2017.\nThe next meeting will be held in Moscow on 20 June.\n",
    )
    .unwrap();
    std::fs::write(
        &ru,
        "Совещание открылось в Пекине 14 мая.\nВ 2017 году полиция изъяла 1250 тонн героина.\n\
         На нём присутствовали делегаты 8 стран и 3 ведомств.\nГ-н Чжан представил доклад ШОС \
         за 2016 год.\nСледующее совещание пройдёт в Москве 20 июня.\n",
    )
    .unwrap();
    let out = run_ok(&["align", "--presplit", s(&en), s(&ru), "-f", "links"]);
    let moved = out
        .lines()
        .find(|l| l.starts_with("[3]:[1]:"))
        .unwrap_or_else(|| panic!("no crossing link: {out}"));
    let score: f64 = moved.rsplit(':').next().unwrap().parse().unwrap();
    assert!(score > 0.5, "{out}");
    let out = run_ok(&[
        "align",
        "--presplit",
        "--no-crossing",
        s(&en),
        s(&ru),
        "-f",
        "links",
    ]);
    assert!(out.lines().any(|l| l.starts_with("[3]:[]")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("[]:[1]")), "{out}");
}

/// The 1-1 gold pairs of the three EN-RU fixtures (news and literary), shuffled four times
/// with a fixed seed into one long pre-split text of 768 1-1 pairs: at most one link takes
/// two or more sentences on both sides (a spurious 2-2, issue 17; the target is none: the one
/// left joins a Garnett sentence half again as long as Chekhov's with its neighbour), and 99%
/// of the links are 1-1 pairs of the same line. With Gale & Church's 2-2 prior there were two.
#[test]
fn a_long_text_of_one_to_one_pairs_gets_no_spurious_merges() {
    let docs = [
        "sco-counter-narcotics-2018",
        "sco-paris-pact-beijing",
        "literary/chekhov-chemists-wife",
    ];
    let mut pairs: Vec<(String, String)> = Vec::new();
    for doc in docs {
        let read = |ext: &str| -> Vec<String> {
            std::fs::read_to_string(fixture(&format!("{doc}.{ext}.sents")))
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect()
        };
        let (en, ru) = (read("en"), read("ru"));
        for link in gold(&format!("{doc}.links")) {
            let (s, t) = link.split_once(':').unwrap();
            let (s, t) = (s.trim_matches(['[', ']']), t.trim_matches(['[', ']']));
            if let (Ok(i), Ok(j)) = (s.parse::<usize>(), t.parse::<usize>()) {
                pairs.push((en[i].clone(), ru[j].clone()));
            }
        }
    }
    assert!(pairs.len() > 150, "{}", pairs.len());
    // Four Fisher-Yates shuffles driven by a fixed linear congruential generator.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut long = Vec::new();
    for _ in 0..4 {
        let mut p = pairs.clone();
        for k in (1..p.len()).rev() {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            p.swap(k, (state >> 33) as usize % (k + 1));
        }
        long.extend(p);
    }
    let dir = tempfile::tempdir().unwrap();
    let (en, ru) = (dir.path().join("long.en"), dir.path().join("long.ru"));
    let join = |side: fn(&(String, String)) -> &String| {
        long.iter()
            .map(|p| side(p).as_str())
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    };
    std::fs::write(&en, join(|p| &p.0)).unwrap();
    std::fs::write(&ru, join(|p| &p.1)).unwrap();
    let out = run_ok(&["align", "--presplit", s(&en), s(&ru), "-f", "links"]);
    let wide: Vec<&str> = out
        .lines()
        .filter(|l| {
            let (s, t) = l.split_once("]:[").unwrap();
            s.contains(',') && t.split(']').next().unwrap().contains(',')
        })
        .collect();
    assert!(wide.len() <= 1, "spurious merges: {wide:?}");
    let diagonal = out
        .lines()
        .filter(|l| {
            let (s, t) = l.split_once("]:[").unwrap();
            let t = t.split(']').next().unwrap();
            !s.contains(',') && s.trim_start_matches('[') == t
        })
        .count();
    assert!(
        diagonal * 100 >= long.len() * 99,
        "{diagonal} of {} on the diagonal",
        long.len()
    );
}
