//! Tests of the lexicon: matching by stem, the dictd and hunalign readers, learned entries.

use super::read::*;
use super::*;
use std::io::Write;

fn keys(lex: &Lexicon, side: usize, text: &str) -> Vec<String> {
    let mut buf = KeyBuf::new();
    lex.keys_into(side, text, &mut buf);
    buf.iter().map(str::to_string).collect()
}

/// Keys the two sentences share.
fn shared(lex: &Lexicon, src: &str, tgt: &str) -> Vec<String> {
    let t = keys(lex, 1, tgt);
    keys(lex, 0, src)
        .into_iter()
        .filter(|k| t.contains(k))
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn b64_encode(mut n: u64) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = Vec::new();
    loop {
        s.push(A[(n % 64) as usize]);
        n /= 64;
        if n == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

/// A dictd database (index text, dict text) of `entries`, with a `00databaseinfo` entry.
fn dictd(entries: &[&str]) -> (String, String) {
    let mut dict = String::from("00-database-info\nA test dictionary.\n");
    let mut index = format!("00databaseinfo\tA\t{}\n", b64_encode(dict.len() as u64));
    for e in entries {
        let head = e.split([' ', '\n']).next().unwrap().to_lowercase();
        index += &format!(
            "{head}\t{}\t{}\n",
            b64_encode(dict.len() as u64),
            b64_encode(e.len() as u64)
        );
        dict += e;
    }
    (index, dict)
}

const DEU_FRA: &[&str] = &[
    "Haus /haʊ̯s/ <n, neut>\n1. maison 2.\nzu einem bestimmten Zweck erbautes Gebäude\n 3.\n\
     zum Wohnen dienendes Gebäude\n2. chambre\ngesetzgebende Körperschaft\n\
     3. gars, type, zig#zig (Französisch)\nMensch, Person\n",
    "Berg /bɛʁk/ <n, masc>\n1. montagne, amoncellement, mont\ngroße, steile Erhebung\n",
    "der /deːɐ̯/ <article>\nle\ndefiniter Artikel\n",
    "gehen /ɡeːn/ <v>\n1. aller, marcher 2.\nsich fortbewegen\n2. partir; aller\n\
     einen Ort verlassen\n",
    "rote Karte /ˈʁoːtə ˈkaʁtə/ <n, fem>\ncarton rouge\nSport: Platzverweis\n",
];

#[test]
fn base64_numbers() {
    assert_eq!(b64_decode("A"), Some(0));
    assert_eq!(b64_decode("B"), Some(1));
    assert_eq!(b64_decode("/"), Some(63));
    assert_eq!(b64_decode("BA"), Some(64));
    assert_eq!(
        b64_decode("HmXj"),
        Some(7 * 262_144 + 38 * 4096 + 23 * 64 + 35)
    );
    assert_eq!(b64_decode("Ty7z"), Some(5_189_363));
    for n in [0, 1, 63, 64, 4095, 123_456_789, u64::from(u32::MAX)] {
        assert_eq!(b64_decode(&b64_encode(n)), Some(n));
    }
    assert_eq!(b64_decode(""), None);
    assert_eq!(b64_decode("A-B"), None);
    assert_eq!(b64_decode("A=="), None);
    assert_eq!(b64_decode("///////////"), None, "66 bits overflow");
}

#[test]
fn dictionaries_read_from_memory_as_from_files() {
    let dir = tempfile::tempdir().unwrap();
    let hun = "дом @ house\r\nидти @ go\n";
    let path = write(dir.path(), "en-ru.dic", hun.as_bytes());
    let file = Lexicon::read(std::slice::from_ref(&path), Lang::En, Lang::Ru).unwrap();
    let mem = Lexicon::from_hunalign(&path, hun.as_bytes(), Lang::En, Lang::Ru).unwrap();
    assert_eq!((mem.len(), file.len()), (2, 2));
    assert_eq!(shared(&mem, "the house", "мой дом"), ["~0"]);
    // The name gives the direction, as a file name does.
    let rev = Lexicon::from_hunalign(&path, hun.as_bytes(), Lang::Ru, Lang::En).unwrap();
    assert_eq!(shared(&rev, "мой дом", "the house"), ["~0"]);
    let e = Lexicon::from_hunalign(Path::new("x.dic"), b"a @ the\n", Lang::En, Lang::Ru);
    assert!(e.unwrap_err().to_string().contains("no usable entry"));
    let (index, dict) = dictd(DEU_FRA);
    let mem = Lexicon::from_dictd(
        Path::new("d.index"),
        index.as_bytes(),
        Path::new("d.dict"),
        dict.as_bytes(),
        Lang::De,
        Lang::Fr,
    )
    .unwrap();
    assert_eq!(
        shared(&mem, "das Haus", "la maison"),
        keys(&mem, 1, "maison")
    );
    let e = Lexicon::from_dictd(
        Path::new("d.index"),
        b"x\tA\tZ\n",
        Path::new("d.dict"),
        b"",
        Lang::De,
        Lang::Fr,
    );
    assert!(e.unwrap_err().to_string().contains("beyond the end"));
}

#[test]
fn dictd_entry_translations() {
    let mut out = Vec::new();
    assert_eq!(dictd_entry(DEU_FRA[0], &mut out), Some("Haus"));
    assert_eq!(out, ["maison", "chambre", "gars", "type", "zig"]);
    out.clear();
    assert_eq!(dictd_entry(DEU_FRA[3], &mut out), Some("gehen"));
    assert_eq!(out, ["aller", "marcher", "partir", "aller"]);
    out.clear();
    let e = "x /x/\nà propos#à propos((Französisch), de suite (vite); 12 ans 3.\n";
    assert_eq!(dictd_entry(e, &mut out), Some("x"));
    assert_eq!(out, ["à propos", "de suite", "12 ans"]);
    out.clear();
    let e = "American /əmerikən/\n1. американский\n2. американец\n";
    assert_eq!(dictd_entry(e, &mut out), Some("American"));
    assert_eq!(out, ["американский", "американец"]);
    assert_eq!(dictd_entry("\n\n", &mut out), None);
}

#[test]
fn dictd_plain_and_dictzip_both_directions() {
    let dir = tempfile::tempdir().unwrap();
    let (index, dict) = dictd(DEU_FRA);
    for (name, text) in [
        ("test-deu-fra.dict", dict.as_bytes().to_vec()),
        ("zip-deu-fra.dict.dz", gzip(dict.as_bytes())),
    ] {
        let stem = name.split('.').next().unwrap();
        let index_path = write(dir.path(), &format!("{stem}.index"), index.as_bytes());
        let dict_path = write(dir.path(), name, &text);
        // By the index, the text or the stem.
        for path in [index_path, dict_path, dir.path().join(stem)] {
            let lex = Lexicon::read(std::slice::from_ref(&path), Lang::De, Lang::Fr).unwrap();
            // Haus: maison chambre gars type (zig is 3 letters: kept) = 5; Berg 3;
            // der~le skipped; gehen: aller marcher partir; rote Karte~carton rouge.
            assert_eq!(lex.len(), 5 + 3 + 3 + 1, "{}", path.display());
            assert!(!lex.is_empty());
            let s = shared(
                &lex,
                "Die Häuser stehen am Berg.",
                "Les maisons sont sur la montagne.",
            );
            assert_eq!(s.len(), 2, "{s:?}");
            // Reversed: the same database for fr -> de.
            let rev = Lexicon::read(&[path], Lang::Fr, Lang::De).unwrap();
            assert_eq!(rev.len(), lex.len());
            let s = shared(
                &rev,
                "Les maisons sont sur la montagne.",
                "Die Häuser stehen am Berg.",
            );
            assert_eq!(s.len(), 2, "{s:?}");
            assert!(shared(
                &rev,
                "Die Häuser stehen am Berg.",
                "Les maisons sont sur la montagne."
            )
            .is_empty());
        }
    }
}

#[test]
fn dictd_errors_name_file_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    let (index, dict) = dictd(DEU_FRA);
    write(dir.path(), "a.dict", dict.as_bytes());
    let bad = index.replacen("\nhaus\t", "\nhaus\t-", 1);
    let p = write(dir.path(), "a.index", bad.as_bytes());
    let e = Lexicon::read(&[p], Lang::De, Lang::Fr)
        .unwrap_err()
        .to_string();
    assert!(e.contains("a.index:2:") && e.contains("base64"), "{e}");
    let beyond = format!("{index}Zoo\tZZZZ\tB\n");
    let p = write(dir.path(), "a.index", beyond.as_bytes());
    let e = Lexicon::read(&[p], Lang::De, Lang::Fr)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("a.index:7:") && e.contains("'Zoo'") && e.contains("beyond"),
        "{e}"
    );
    let p = write(dir.path(), "a.index", b"Haus\tA\n");
    let e = Lexicon::read(&[p], Lang::De, Lang::Fr)
        .unwrap_err()
        .to_string();
    assert!(e.contains("a.index:1:"), "{e}");
    // Invalid UTF-8 inside an entry: its byte offset and headword.
    let mut raw = dict.clone().into_bytes();
    let at = dict.find("maison").unwrap();
    raw[at] = 0xff;
    write(dir.path(), "a.dict", &raw);
    let p = write(dir.path(), "a.index", index.as_bytes());
    let e = Lexicon::read(&[p], Lang::De, Lang::Fr)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(&format!("byte {at}")) && e.contains("'haus'"),
        "{e}"
    );
    // A .dict.dz that is not gzip; an index with no text beside it.
    write(dir.path(), "b.index", index.as_bytes());
    let p = write(dir.path(), "b.dict.dz", dict.as_bytes());
    let e = Lexicon::read(&[p], Lang::De, Lang::Fr)
        .unwrap_err()
        .to_string();
    assert!(e.contains("b.dict.dz") && e.contains("gzip"), "{e}");
    let p = write(dir.path(), "c.index", index.as_bytes());
    let e = Lexicon::read(&[p], Lang::De, Lang::Fr)
        .unwrap_err()
        .to_string();
    assert!(e.contains("c.dict.dz") && e.contains("c.dict"), "{e}");
}

#[test]
fn languages_from_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let (index, dict) = dictd(DEU_FRA);
    write(dir.path(), "freedict-deu-fra.dict", dict.as_bytes());
    let p = write(dir.path(), "freedict-deu-fra.index", index.as_bytes());
    let e = Lexicon::read(std::slice::from_ref(&p), Lang::En, Lang::Ru)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("freedict-deu-fra.index") && e.contains("deu -> fra") && e.contains("en -> ru"),
        "{e}"
    );
    assert!(Lexicon::read(std::slice::from_ref(&p), Lang::De, Lang::En).is_err());
    assert!(Lexicon::read(&[p], Lang::Fr, Lang::De).is_ok());
    let h = write(dir.path(), "ru_en.dic", "meeting @ совещание\n".as_bytes());
    let lex = Lexicon::read(std::slice::from_ref(&h), Lang::En, Lang::Ru).unwrap();
    assert_eq!(
        shared(&lex, "The meetings ended.", "Совещания закончились.").len(),
        1
    );
    let lex = Lexicon::read(&[h], Lang::Ru, Lang::En).unwrap();
    assert_eq!(
        shared(&lex, "Совещания закончились.", "The meetings ended.").len(),
        1
    );
    // No language codes in the name: headwords / right-hand sides are source.
    let h = write(dir.path(), "mine.txt", "совещание @ meeting\n".as_bytes());
    let lex = Lexicon::read(&[h], Lang::En, Lang::Ru).unwrap();
    assert_eq!(
        shared(&lex, "The meetings ended.", "Совещания закончились.").len(),
        1
    );
}

#[test]
fn hunalign_format_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let good = "\u{feff}дом @ house\r\nбольшой дом @ big house\nзоопарк @ zoo\nи @ and\n\
                2018 @ 2018\n";
    let p = write(dir.path(), "d.dic", good.as_bytes());
    let lex = Lexicon::read(&[p], Lang::En, Lang::Ru).unwrap();
    assert_eq!(lex.len(), 3, "function words and numbers are skipped");
    for (text, line, what) in [
        ("дом @ house\n\nзоопарк @ zoo\n", 2, "blank line"),
        ("дом @ house\nзоопарк zoo\n", 2, "exactly one"),
        ("дом @ house\nдом @ house @ home\n", 2, "exactly one"),
        ("дом @ house\nзоопарк @ zoo\n @ zoo\n", 3, "empty phrase"),
        ("дом @ house\nзоопарк @  \n", 2, "empty phrase"),
    ] {
        let p = write(dir.path(), "e.dic", text.as_bytes());
        let e = Lexicon::read(&[p], Lang::En, Lang::Ru)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(&format!("e.dic:{line}:")) && e.contains(what),
            "{e}"
        );
    }
    let p = write(dir.path(), "u.dic", b"house @ \xd0\xb4\xff\n");
    let e = Lexicon::read(&[p], Lang::En, Lang::Ru)
        .unwrap_err()
        .to_string();
    assert!(e.contains("u.dic") && e.contains("byte 10"), "{e}");
    let p = write(dir.path(), "s.dic", "и @ and\n".as_bytes());
    let e = Lexicon::read(&[p], Lang::En, Lang::Ru)
        .unwrap_err()
        .to_string();
    assert!(e.contains("s.dic") && e.contains("no usable entry"), "{e}");
    let e = Lexicon::read(&[dir.path().join("missing.dic")], Lang::En, Lang::Ru);
    assert!(e.unwrap_err().to_string().contains("missing.dic"));
}

#[test]
fn keys_by_stem_en_ru() {
    let dir = tempfile::tempdir().unwrap();
    let text = "дом @ house\nбольшой дом @ big house\nзоопарк @ zoo\nёлка @ fir tree\n\
                за\u{301}мок @ castle\n";
    let p = write(dir.path(), "d.dic", text.as_bytes());
    let lex = Lexicon::read(&[p], Lang::En, Lang::Ru).unwrap();
    let k = keys(&lex, 0, "Big houses, and the ZOO's house.");
    assert_eq!(k.len(), 3, "{k:?}");
    let mut sorted = k.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 3, "each entry once");
    assert_eq!(keys(&lex, 1, "В больших домах").len(), 2);
    assert_eq!(
        keys(&lex, 1, "Большие сады").len(),
        0,
        "all stems of a phrase are needed"
    );
    assert_eq!(
        shared(&lex, "The tree was a fir.", "Ёлки и елка").len(),
        1,
        "word order, ё"
    );
    assert_eq!(shared(&lex, "Houses", "зоопарки").len(), 0);
    assert_eq!(
        shared(&lex, "Castles", "Старый замок").len(),
        1,
        "stress mark"
    );
    assert_eq!(keys(&lex, 2, "house").len(), 0, "no third side");
    assert!(keys(&lex, 0, "").is_empty());
    // Repeated calls reuse the memo and give the same keys.
    assert_eq!(keys(&lex, 0, "Big houses, and the ZOO's house."), k);
}

#[test]
fn fixture_en_ru_shares_keys_on_a_true_pair() {
    let dic = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dict/en-ru.dic");
    let lex = Lexicon::read(&[dic], Lang::En, Lang::Ru).unwrap();
    assert_eq!(lex.len(), 15);
    let en = "Deputy Minister of Public Security of the People's Republic of China Liu \
              Yuejin and Shanghai Cooperation Organisation Secretary-General Rashid Alimov \
              greeted the meeting participants.";
    let ru = "С приветствием к участникам Совещания обратились заместитель министра \
              общественной безопасности Китайской Народной Республики Лю Юэцзинь и \
              Генеральный секретарь Шанхайской организации сотрудничества Рашид Алимов.";
    let other = "The Meeting was chaired by China.";
    let s = shared(&lex, en, ru);
    assert_eq!(s.len(), 9, "{s:?}");
    assert_eq!(shared(&lex, other, ru).len(), 1, "meeting only");
}

#[test]
fn installed_freedict_databases() {
    let dir = Path::new("/usr/share/dictd");
    let (deu, eng) = (dir.join("freedict-deu-fra"), dir.join("freedict-eng-rus"));
    if !deu.with_extension("index").is_file() || !eng.with_extension("index").is_file() {
        crate::test_support::skip(
            "FreeDict deu-fra and eng-rus are not installed in /usr/share/dictd (Debian \
             packages dict-freedict-deu-fra and dict-freedict-eng-rus)",
        );
        return;
    }
    let t = std::time::Instant::now();
    let de = Lexicon::read(std::slice::from_ref(&deu), Lang::De, Lang::Fr).unwrap();
    eprintln!(
        "freedict-deu-fra: {} entries in {:?}",
        de.len(),
        t.elapsed()
    );
    assert!(de.len() > 40_000, "{}", de.len());
    for (a, b) in [
        ("Das Haus ist alt.", "La maison est vieille."),
        ("Die Häuser sind alt.", "Les maisons sont vieilles."),
        ("Der Berg ist hoch.", "La montagne est haute."),
        ("Wir sahen die Berge.", "Nous avons vu les montagnes."),
    ] {
        assert!(!shared(&de, a, b).is_empty(), "{a} / {b}");
    }
    assert!(shared(&de, "Der Berg ist hoch.", "La maison est vieille.").len() < 2);
    let fr = Lexicon::read(&[deu], Lang::Fr, Lang::De).unwrap();
    assert!(!shared(&fr, "Les maisons sont vieilles.", "Die Häuser sind alt.").is_empty());
    let en = Lexicon::read(&[eng], Lang::En, Lang::Ru).unwrap();
    eprintln!("freedict-eng-rus: {} entries", en.len());
    assert!(en.len() > 1_500, "{}", en.len());
    assert_eq!(
        shared(&en, "We went to the zoo.", "Мы пошли в зоопарк.").len(),
        1
    );
    assert!(!shared(&en, "An American city.", "Американский город.").is_empty());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    #[test]
    fn parsers_never_panic(
        bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400),
        text in "([a-zäöüéàё ]{0,8}( @ |\t|\n|[ABHZ+/]{1,3}|#|\\(|\\)|, |[0-9]\\. ){0,3}){0,20}",
        entry in "([A-Za-z ]{0,8}( /x/| <n>|\n|[0-9]\\. | [0-9]\\.|#|\\(|\\)|,|;){0,3}){0,20}",
    ) {
        let path = Path::new("p.dic");
        let mut b = Builder::new(Lang::De, Lang::Fr);
        let _ = parse_hunalign(path, &bytes, false, &mut b);
        let _ = parse_hunalign(path, text.as_bytes(), true, &mut b);
        let _ = parse_dictd(path, &bytes, path, text.as_bytes(), false, &mut b);
        let _ = parse_dictd(path, text.as_bytes(), path, &bytes, true, &mut b);
        let (index, dict) = dictd(&[entry.as_str(), text.as_str()]);
        let _ = parse_dictd(path, index.as_bytes(), path, dict.as_bytes(), false, &mut b);
        let lex = b.finish();
        let mut buf = KeyBuf::new();
        lex.keys_into(0, &text, &mut buf);
        lex.keys_into(1, &entry, &mut buf);
        lex.keys_into(1, &String::from_utf8_lossy(&bytes), &mut buf);
    }
}

#[test]
fn the_core_vocabulary_links_common_words_across_languages() {
    let core = Lexicon::core(Lang::En, Lang::Ru).expect("en-ru core vocabulary");
    let keys = |side: usize, text: &str| {
        let mut buf = KeyBuf::new();
        core.keys_into(side, text, &mut buf);
        buf.iter().map(str::to_string).collect::<Vec<_>>()
    };
    let en = keys(0, "The weather will be sunny tomorrow.");
    let ru = keys(1, "Завтра будет солнечная погода.");
    assert!(en.iter().any(|k| ru.contains(k)), "{en:?} {ru:?}");
    let unrelated = keys(
        1,
        "Министр обороны подписал приказ о расформировании полка.",
    );
    assert!(
        !en.iter().any(|k| unrelated.contains(k)),
        "{en:?} {unrelated:?}"
    );
    assert!(Lexicon::core(Lang::De, Lang::Fr).is_some());
    assert!(Lexicon::core(Lang::En, Lang::Other).is_none());
    // Built once per pair.
    assert!(std::ptr::eq(
        core,
        Lexicon::core(Lang::En, Lang::Ru).expect("kept")
    ));
}

/// The stemmed core vocabulary the crate ships is what the stemmer makes of `core_words.tsv`
/// (`BITEXT_BLESS=1` writes it again).
#[test]
fn core_stems_are_those_of_core_words() {
    let expected = read::core_stems(CORE_WORDS);
    if std::env::var_os("BITEXT_BLESS").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/align/core_stems.tsv");
        std::fs::write(path, &expected).unwrap();
    }
    assert!(
        CORE_STEMS == expected,
        "src/align/core_stems.tsv is stale: run BITEXT_BLESS=1 cargo test core_stems"
    );
    // One stemmed line per concept line.
    let lines = |t: &str| {
        t.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count()
    };
    assert_eq!(lines(CORE_STEMS), lines(CORE_WORDS));
}

/// The ranges whose chars skip the combining-mark lookup hold no combining mark.
#[test]
fn plain_letter_ranges_hold_no_combining_mark() {
    let plain: Vec<char> = ('\0'..='\u{52f}')
        .filter(|&c| is_plain_letter_range(c))
        .collect();
    assert!(plain.contains(&'ж') && plain.contains(&'é') && !plain.contains(&'\u{301}'));
    for c in plain {
        assert!(
            !unicode_normalization::char::is_combining_mark(c),
            "{c:?} U+{:04X}",
            c as u32
        );
    }
}
