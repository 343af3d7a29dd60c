//! Tests of anchor keys: examples per language, and the differential and property tests
//! against the frozen [`reference`](super::reference) copy.

use super::*;

fn keys(text: &str, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    sentence_keys(text, lang, &mut out);
    out.sort();
    out
}

fn shared(en: &str, ru: &str) -> Vec<String> {
    let a = keys(en, Lang::En);
    let b = keys(ru, Lang::Ru);
    let mut s: Vec<String> = a.into_iter().filter(|k| b.contains(k)).collect();
    s.dedup();
    s
}

#[test]
fn numbers_normalise_across_conventions() {
    assert_eq!(
        keys("1,000 and 1\u{a0}000 and 1.5", Lang::En),
        ["#1.5", "#1000", "#1000"]
    );
    assert_eq!(keys("1\u{a0}000 и 1,5", Lang::Ru), ["#1.5", "#1000"]);
    assert_eq!(keys("4'000 m und 1.000 m", Lang::De), ["#1000", "#4000"]);
    assert_eq!(keys("3.5", Lang::En), keys("3,5", Lang::Ru));
    assert_eq!(keys("17.05.2018", Lang::Ru), ["#17", "#2018", "@5"]);
    assert_eq!(keys("version 1.2.3", Lang::En), ["#1.2.3", "vers"]);
    assert_eq!(keys("No. 007", Lang::En), ["#7"]);
}

#[test]
fn dates_meet_across_languages() {
    assert_eq!(
        keys("On 17 May 2018", Lang::En),
        keys("17\u{a0}мая 2018\u{a0}г.", Lang::Ru)
    );
    assert_eq!(
        keys("12 March 2018", Lang::En),
        keys("12 марта 2018", Lang::Ru)
    );
}

#[test]
fn names_meet_across_scripts() {
    let s = shared(
        "Deputy Minister Liu Yuejin and Secretary-General Rashid Alimov greeted A. Zhaichibekov.",
        "Замминистра Лю Юэцзинь и Генсекретарь Рашид Алимов приветствовали А. Жайчибекова.",
    );
    for k in ["liu", "iuei", "rash", "alim", "jaic"] {
        assert!(s.contains(&k.to_string()), "{k} missing from {s:?}");
    }
    let s = shared("Liang Yun chaired", "под председательством Лян Юня");
    assert!(s.contains(&"lian".to_string()), "{s:?}");
    assert!(s.contains(&"iun".to_string()), "{s:?}");
}

#[test]
fn case_endings_are_tolerated() {
    let s = shared("with Zhaichibekov", "с Жайчибековым");
    assert_eq!(s, ["jaic"]);
}

#[test]
fn lexicon_translates_acronyms_and_exonyms() {
    let s = shared(
        "The SCO and the UN met in Beijing",
        "ШОС и ООН встретились в Пекине",
    );
    assert_eq!(s, ["=sko", "=un", "bein"]);
    assert!(!keys("офис УНП ООН", Lang::Ru).contains(&"=un".to_string()));
}

#[test]
fn latin_words_kept_in_russian_text_match() {
    assert!(shared("UNODC experts", "эксперты UNODC").contains(&"=unodk".to_string()));
    assert_eq!(shared("the UNODC office", "офис УНП ООН"), ["=unodk"]);
}

#[test]
fn invisible_characters_do_not_split_words() {
    assert_eq!(
        keys("орга\u{AD}низация", Lang::Ru),
        keys("организация", Lang::Ru)
    );
    assert_eq!(
        keys("Zhai\u{200B}chibekov", Lang::En),
        keys("Zhaichibekov", Lang::En)
    );
}

#[test]
fn function_words_give_no_key() {
    assert!(keys("in the of and to", Lang::En).is_empty());
    assert!(keys("и в на с по", Lang::Ru).is_empty());
}

#[test]
fn punctuation_profile() {
    assert_eq!(keys("Why (now)?", Lang::En), ["(", "?"]);
    assert_eq!(
        keys("«Почему?» — «Вот!»", Lang::Ru),
        ["!", "\"", "?", "poch", "vot"]
    );
}

#[test]
fn german_french_cognates() {
    let de = keys(
        "Die Expedition erreichte den Gipfel des Matterhorns",
        Lang::De,
    );
    let fr = keys("L'expédition atteignit le sommet du Matterhorn", Lang::Fr);
    assert!(de.contains(&"ekspe".chars().take(4).collect::<String>()));
    assert!(
        de.iter().filter(|k| fr.contains(k)).count() >= 2,
        "{de:?} {fr:?}"
    );
}

/// Every language, so that a new one is checked against the reference too.
const LANGS: &[Lang] = Lang::ALL;

/// The keys `sentence_keys_into` appends after the keys already in `buf`.
fn fast_into(buf: &mut KeyBuf, text: &str, lang: Lang) -> Vec<String> {
    let before = buf.len();
    sentence_keys_into(text, lang, buf);
    buf.iter().skip(before).map(str::to_owned).collect()
}

fn fast(text: &str, lang: Lang) -> Vec<String> {
    fast_into(&mut KeyBuf::new(), text, lang)
}

fn slow(text: &str, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    reference::sentence_keys(text, lang, &mut out);
    out
}

#[test]
fn quick_char_tables_agree_with_the_standard_library() {
    for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
        assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
        if let Some(l) = quick_lower(c) {
            assert_eq!(c.to_lowercase().collect::<Vec<_>>(), [l], "{c:?}");
        }
    }
}

#[test]
fn ascii_letters_counts_letters_and_capitals_of_every_byte_mix() {
    let slow = |b: &[u8]| {
        let n = b.iter().take_while(|y| y.is_ascii_alphabetic()).count();
        (n, b[..n].iter().filter(|y| y.is_ascii_uppercase()).count())
    };
    let mut bytes: Vec<u8> = (0..=255).collect();
    bytes.extend(b"abcXYZazAZ@[`{");
    for (k, &a) in bytes.iter().enumerate() {
        for n in 0..20 {
            let mut b: Vec<u8> = (0..n).map(|j| b"aZkQmzAy"[(j + k) % 8]).collect();
            b.push(a);
            b.extend(b"Tail");
            assert_eq!(ascii_letters(&b), slow(&b), "{b:?}");
            assert_eq!(ascii_letters(&b[..n]), slow(&b[..n]), "{b:?}");
        }
    }
}

#[test]
fn ascii_months_are_the_ascii_names_of_month() {
    for (name, n) in ASCII_MONTHS {
        assert_eq!(month(name), Some(n), "{name}");
        for word in [
            name.to_string(),
            name.to_ascii_uppercase(),
            name[..3].to_string(),
        ] {
            assert_eq!(
                ascii_month(word.as_bytes()),
                month(&word.to_lowercase()),
                "{word}"
            );
        }
    }
    for word in [
        "",
        "m",
        "ma",
        "mays",
        "Maybe",
        "junes",
        "dec",
        "Decembers",
        "nov",
        "x",
    ] {
        assert_eq!(
            ascii_month(word.as_bytes()),
            month(&word.to_lowercase()),
            "{word}"
        );
    }
}

#[test]
fn key_buf_stores_keys_in_order() {
    let mut buf = KeyBuf::new();
    assert!(buf.is_empty());
    buf.push("ab");
    buf.push("");
    buf.push("Пекин");
    assert_eq!(buf.len(), 3);
    assert_eq!(buf.get(0), Some("ab"));
    assert_eq!(buf.get(1), Some(""));
    assert_eq!(buf.get(2), Some("Пекин"));
    assert_eq!(buf.get(3), None);
    assert_eq!(buf.iter().collect::<Vec<_>>(), ["ab", "", "Пекин"]);
    assert_eq!(buf.iter().rev().collect::<Vec<_>>(), ["Пекин", "", "ab"]);
    assert_eq!(buf.iter().skip(2).collect::<Vec<_>>(), ["Пекин"]);
    assert_eq!(buf.iter().len(), 3);
    assert_eq!(format!("{buf:?}"), r#"["ab", "", "Пекин"]"#);
    buf.keys.pop();
    assert_eq!(buf.iter().collect::<Vec<_>>(), ["ab", ""]);
    buf.clear();
    assert!(buf.is_empty());
    assert_eq!(buf.iter().count(), 0);
}

#[test]
fn key_buf_appends_sentence_after_sentence() {
    let mut buf = KeyBuf::new();
    let a = fast_into(
        &mut buf,
        "Zhaichibekov met Liu on 17.05.2018 (UNODC)?",
        Lang::En,
    );
    let b = fast_into(&mut buf, "«Лю» — ШОС и Пекин, 1\u{a0}000", Lang::Ru);
    assert_eq!(
        a,
        slow("Zhaichibekov met Liu on 17.05.2018 (UNODC)?", Lang::En)
    );
    assert_eq!(b, slow("«Лю» — ШОС и Пекин, 1\u{a0}000", Lang::Ru));
    assert_eq!(buf.len(), a.len() + b.len());
}

#[test]
fn fast_keys_equal_reference_on_edge_cases() {
    for text in [
        "",
        "ΣΊΣΥΦΟΣ Σίσυφος ΑΣ σΣ",
        "İstanbul İSTANBUL ǅemal ﬁnance Straße STRASSE",
        "Æsop Œuvre Ørsted Łódź ﬀ Ⅻ",
        "ma\u{308}rz Mä\u{308}rz de\u{301}cembre AOÛT",
        "орга\u{AD}низация ШО\u{AD}С УНП\u{200B} ООН Пеки\u{AD}не",
        "Си Цзиньпин, Ли Кэцян, Лю, Юэцзинь, Лян Юня, Мао Цзэдун",
        "Юань Юнь Юэ Шанхай ЧЖАН Чжан чжан",
        "1.2.3.4 01.02.03 1,000,000.5 1\u{202f}000,25 0'000 00 007.5",
        "12.13.2018 1.1.1 99.99.99 1..2 3,,4 5.",
        "Май мае мая Мартами сентябре ДЕКАБРЯ Mai MAY mars Juillet",
        "JANUARY Januar janvier FEBRUARY februar March APRIL avril june Juni JUIN july",
        "Juli August September SEPTEMBRE october Oktober OCTOBRE November novembre",
        "December DEZEMBER décembre Décembre AOÛT Août février FÉVRIER März MÄRZ Marz",
        "Mayo Junes jun dec Dec. Sept. mays MAIS maim",
        "\"«„“ § % ( ? ! ) » ” “",
        "\u{FEFF}\u{2060}\u{200D}x \u{301}a",
        "ǈ ǋ ǲ ꭰ 𐐀𐐨 ΐ ﬃ",
    ] {
        for &lang in LANGS {
            assert_eq!(fast(text, lang), slow(text, lang), "{lang:?} {text:?}");
        }
    }
}

/// Every line of the repository's fixtures, and of the public Bleualign German/French set
/// when `../shared` is present.
#[test]
fn fast_keys_equal_reference_on_corpora() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let fixtures = std::fs::read_dir(root.join("fixtures")).unwrap();
    for entry in fixtures {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            files.push(path);
        }
    }
    assert!(!files.is_empty(), "no fixtures/*.txt");
    let shared = root.join("../shared/data/bleualign");
    match std::fs::read_dir(&shared) {
        Ok(dir) => {
            for entry in dir {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "de" || e == "fr") {
                    files.push(path);
                }
            }
        }
        Err(_) => crate::test_support::skip(&format!(
            "the Text+Berg sentences of {} (GPL data, not in the repository); the fixtures \
             were checked",
            shared.display()
        )),
    }
    let mut buf = KeyBuf::new();
    let mut checked = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        for line in text.lines() {
            for &lang in LANGS {
                let got = fast_into(&mut buf, line, lang);
                assert_eq!(got, slow(line, lang), "{}: {line:?}", path.display());
                checked += 1;
            }
            if buf.len() > 10_000 {
                buf.clear();
            }
        }
    }
    assert!(checked > 0);
}

mod property {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "17.05.2018",
        "1,000",
        "1\u{a0}000",
        "1\u{202f}000,5",
        "3,5",
        "3.5",
        "007",
        "4'000",
        "May",
        "March",
        "mai",
        "Juillet",
        "août",
        "März",
        "décembre",
        "мая",
        "Марта",
        "сентябре",
        "январь",
        "ШОС",
        "ООН",
        "УНП ООН",
        "Пекине",
        "Китаем",
        "Вене",
        "Лю",
        "Юэцзинь",
        "Си Цзиньпин",
        "Жайчибековым",
        "Лян Юня",
        "Zhaichibekov",
        "UNODC",
        "Liu Yuejin",
        "Matterhorn",
        "L'expédition",
        "Straße",
        "Σίσυφος",
        "ΣΑΣ",
        "İstanbul",
        "орга\u{AD}низация",
        "Zhai\u{200B}chibekov",
        "«Почему?»",
        "„Warum?“",
        "(§ 3)",
        "50 %",
        "!",
        "\"",
    ];

    fn sentence() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => prop::sample::select(PIECES).prop_map(str::to_owned),
            3 => "[a-zA-Zа-яА-ЯёЁ0-9 .,'?!()\"«»“„%§\u{a0}\u{202f}\u{2009}\u{ad}\u{200b}\u{301}\u{308}éèüößæœøłÆŒØŁÉÀÇΣσίİ-]{1,8}",
            1 => any::<char>().prop_map(String::from),
        ];
        let sep = prop::sample::select(vec!["", " ", " ", ", ", ". ", "\u{a0}", "-"]);
        prop::collection::vec((piece, sep), 0..16).prop_map(|parts| {
            parts.into_iter().fold(String::new(), |mut s, (p, sep)| {
                s.push_str(&p);
                s.push_str(sep);
                s
            })
        })
    }

    fn lang() -> impl Strategy<Value = Lang> {
        prop::sample::select(LANGS.to_vec())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn fast_keys_equal_reference(a in sentence(), b in sentence(), lang in lang()) {
            // Through a buffer that already holds keys, as a chunk of sentences does.
            let mut buf = KeyBuf::new();
            prop_assert_eq!(fast_into(&mut buf, &a, lang), slow(&a, lang));
            prop_assert_eq!(fast_into(&mut buf, &b, lang), slow(&b, lang));
        }

        #[test]
        fn fast_keys_equal_reference_on_any_text(text in any::<String>(), lang in lang()) {
            prop_assert_eq!(fast(&text, lang), slow(&text, lang));
        }

        #[test]
        fn skeleton_equals_reference(latin in "[a-z]{0,40}|[a-zA-Z\u{e9}\u{431}\0]{0,6}|[schtzdjkgp]{0,12}") {
            let mut got = String::from("x");
            crate::align::translit::skeleton_into(&latin, &mut got);
            let mut want = String::from("x");
            reference::translit::skeleton_into(&latin, &mut want);
            prop_assert_eq!(&got, &want);
            for limit in 0..6 {
                let mut cut = String::new();
                crate::align::translit::skeleton_upto(&latin, &mut cut, limit);
                prop_assert!(want[1..].starts_with(&cut));
                prop_assert!(cut.len() >= limit.min(want.len() - 1));
            }
            // Lower-casing on the way: as the skeleton of the ASCII lower case.
            let upper = latin.to_ascii_uppercase();
            let mut want = String::new();
            reference::translit::skeleton_into(&latin.to_ascii_lowercase(), &mut want);
            for limit in [0, 1, 4, 40] {
                let mut cut = String::new();
                crate::align::translit::skeleton_upto_lowering(&upper, &mut cut, limit);
                prop_assert!(want.starts_with(&cut));
                prop_assert!(cut.len() >= limit.min(want.len()));
            }
        }

        #[test]
        fn palladius_equals_reference(word in "[аеийнояюэьуцзчжшсхлмбпфдтгквр]{1,8}") {
            let want = reference::translit::palladius_to_pinyin(&word);
            let mut got = String::from("x");
            let ok = crate::align::translit::palladius_into(&word, &mut got);
            prop_assert_eq!(ok, want.is_some());
            prop_assert_eq!(&got[1..], want.as_deref().unwrap_or(""));
        }
    }
}
