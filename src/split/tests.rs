//! Unit tests of the splitter: rules case by case, the peer cases of
//! `benches/splitters/cases.txt`, `lines()`, and property tests of the span invariants.

use proptest::prelude::*;

use super::*;

/// The sentences of `text` as strings.
fn sents(text: &str, lang: Lang) -> Vec<&str> {
    split_text(text, lang)
        .into_iter()
        .map(|r| &text[r])
        .collect()
}

fn assert_split(text: &str, lang: Lang, expected: &[&str]) {
    assert_eq!(sents(text, lang), expected, "input: {text:?}");
}

#[test]
fn lib_doc_example() {
    assert_split(
        "The SCO met in Beijing. It was chaired by China.",
        Lang::En,
        &["The SCO met in Beijing.", "It was chaired by China."],
    );
}

#[test]
fn empty_and_blank_text_give_no_sentence() {
    assert!(split_text("", Lang::En).is_empty());
    assert!(split_text(" \n\u{a0}\t", Lang::Ru).is_empty());
}

#[test]
fn spans_are_trimmed() {
    let text = "  Hello there.  How are you?\n ";
    assert_eq!(split_text(text, Lang::En), vec![2..14, 16..28]);
}

#[test]
fn english_titles_and_initials_do_not_end_sentences() {
    assert_split(
        "Mr. Smith met Dr. Jones and Prof. J. R. R. Tolkien in St. Louis. They talked.",
        Lang::En,
        &[
            "Mr. Smith met Dr. Jones and Prof. J. R. R. Tolkien in St. Louis.",
            "They talked.",
        ],
    );
    // Initials joined by U+00A0.
    assert_split(
        "Mr. A.\u{a0}Zhaichibekov spoke. Then M.-A.\u{a0}Menier spoke.",
        Lang::En,
        &[
            "Mr. A.\u{a0}Zhaichibekov spoke.",
            "Then M.-A.\u{a0}Menier spoke.",
        ],
    );
}

#[test]
fn single_capital_before_a_sentence_starter_ends_the_sentence() {
    assert_split(
        "They chose plan B. The others agreed.",
        Lang::En,
        &["They chose plan B.", "The others agreed."],
    );
    assert_split(
        "Это группа А. В 2018 г. она выросла.",
        Lang::Ru,
        &["Это группа А.", "В 2018 г. она выросла."],
    );
    // A capital `В.` is an initial, not the abbreviation `в.` (century).
    assert_split(
        "Это группа В. Он вырос в XIX в. В городе.",
        Lang::Ru,
        &["Это группа В.", "Он вырос в XIX в.", "В городе."],
    );
    // ... but a single capital followed by a period is the next initial.
    assert_split("Пришел А. В. Иванов.", Lang::Ru, &["Пришел А. В. Иванов."]);
}

#[test]
fn etc_before_a_capital_ends_the_sentence() {
    assert_split(
        "Apples, pears, etc. The rest, etc. were left.",
        Lang::En,
        &["Apples, pears, etc.", "The rest, etc. were left."],
    );
    assert_split(
        "Они обсудили цены и т. д. В итоге договорились и т.\u{a0}п. Все довольны.",
        Lang::Ru,
        &[
            "Они обсудили цены и т. д.",
            "В итоге договорились и т.\u{a0}п.",
            "Все довольны.",
        ],
    );
}

#[test]
fn russian_year_and_city() {
    assert_split(
        "В 2018\u{a0}г. встреча прошла в г.\u{a0}Пекине. Пакт подписан в 2003 г. Этот документ важен.",
        Lang::Ru,
        &[
            "В 2018\u{a0}г. встреча прошла в г.\u{a0}Пекине.",
            "Пакт подписан в 2003 г.",
            "Этот документ важен.",
        ],
    );
    assert_split(
        "В 1990–1995 гг. он жил в Москве. Потом уехал.",
        Lang::Ru,
        &["В 1990–1995 гг. он жил в Москве.", "Потом уехал."],
    );
}

#[test]
fn russian_title_abbreviations() {
    for text in [
        "См. Приложение 1 к докладу.",
        "Он живет на ул. Ленина в доме 5.",
        "Библиотека им. Ленина закрыта.",
        "Ряд стран, напр. Китай, поддержал план.",
        "ШОС, т. е. Шанхайская организация сотрудничества, растет.",
        "Представитель УНП ООН (англ. UNODC) выступил.",
    ] {
        assert_split(text, Lang::Ru, &[text]);
    }
}

#[test]
fn russian_month_abbreviations() {
    assert_split(
        "Срок — до 1 янв. 2020 г. Он истек.",
        Lang::Ru,
        &["Срок — до 1 янв. 2020 г.", "Он истек."],
    );
}

#[test]
fn numbers_dates_and_versions() {
    assert_split(
        "Version 1.2.3 came out on 17.05.2018. It costs 3.5 dollars. See No. 5 below.",
        Lang::En,
        &[
            "Version 1.2.3 came out on 17.05.2018.",
            "It costs 3.5 dollars.",
            "See No. 5 below.",
        ],
    );
    assert_split(
        "It grew in 2018. 15 people left.",
        Lang::En,
        &["It grew in 2018.", "15 people left."],
    );
}

#[test]
fn german_ordinals_and_abbreviations() {
    assert_split(
        "Er wurde am 9. September 1988 geboren. Am 3. mal kam er zurück, z. B. mit Dr. Weber usw. Danach ging er.",
        Lang::De,
        &[
            "Er wurde am 9. September 1988 geboren.",
            "Am 3. mal kam er zurück, z. B. mit Dr. Weber usw.",
            "Danach ging er.",
        ],
    );
    // The month rule holds for languages without lists too; a year is no day ordinal.
    assert_split(
        "Born on 9. September. In 1988. September came.",
        Lang::Other,
        &["Born on 9. September.", "In 1988.", "September came."],
    );
}

#[test]
fn french_abbreviations() {
    assert_split(
        "M. Dupont et Mme Durand, p. ex. Paris, cf. Annexe. César meurt en 44 av. J.-C. Les Romains pleurent.",
        Lang::Fr,
        &[
            "M. Dupont et Mme Durand, p. ex. Paris, cf. Annexe.",
            "César meurt en 44 av. J.-C.",
            "Les Romains pleurent.",
        ],
    );
}

#[test]
fn question_exclamation_and_interrobang() {
    assert_split(
        "Really?! Yes! Are you sure? yes, I am.",
        Lang::En,
        &["Really?!", "Yes!", "Are you sure? yes, I am."],
    );
}

#[test]
fn ellipsis_ends_a_sentence_only_before_a_capital() {
    assert_split(
        "He waited... and waited… Then he left... 5 minutes later.",
        Lang::En,
        &[
            "He waited... and waited…",
            "Then he left... 5 minutes later.",
        ],
    );
    assert_split(
        "Text [...] More text (…) and [...]. The end.",
        Lang::En,
        &["Text [...] More text (…) and [...].", "The end."],
    );
}

#[test]
fn closing_quotes_and_brackets_stay_with_the_sentence() {
    assert_split(
        "He said \"bind together regional initiatives.\" The Minister agreed.",
        Lang::En,
        &[
            "He said \"bind together regional initiatives.\"",
            "The Minister agreed.",
        ],
    );
    assert_split(
        "Они оценили встречу (Вена, 12 марта 2018 г.). Итоги одобрены. Он сказал: «Хватит!» Потом ушел.",
        Lang::Ru,
        &[
            "Они оценили встречу (Вена, 12 марта 2018 г.).",
            "Итоги одобрены.",
            "Он сказал: «Хватит!»",
            "Потом ушел.",
        ],
    );
}

#[test]
fn quote_then_dash_and_lowercase_is_one_sentence() {
    for (text, lang) in [
        ("«Это работает», — сказал он.", Lang::Ru),
        ("«Что?» — спросил он.", Lang::Ru),
        ("«Что?»\u{a0}— спросил он.", Lang::Ru),
        ("\"It works,\" he said.", Lang::En),
        ("\"Really?\" he asked.", Lang::En),
    ] {
        assert_split(text, lang, &[text]);
    }
    assert_split(
        "— Да, — ответил он. — А ты?",
        Lang::Ru,
        &["— Да, — ответил он.", "— А ты?"],
    );
}

#[test]
fn lists_inside_a_paragraph_start_sentences() {
    assert_split(
        "Agenda:\n- drugs\n• precursors\n* money\n1. first item\n2) second\n(b) third\na) fourth",
        Lang::En,
        &[
            "Agenda:",
            "- drugs",
            "• precursors",
            "* money",
            "1. first item",
            "2) second",
            "(b) third",
            "a) fourth",
        ],
    );
    assert_split(
        "Повестка:\n— наркотики;\n– прекурсоры",
        Lang::Ru,
        &["Повестка:", "— наркотики;", "– прекурсоры"],
    );
}

#[test]
fn soft_line_breaks_are_crossed() {
    assert_split(
        "The participants agreed\nto meet again. A year\n2018 was chosen.",
        Lang::En,
        &[
            "The participants agreed\nto meet again.",
            "A year\n2018 was chosen.",
        ],
    );
}

#[test]
fn enumerators_open_sentences() {
    assert_split("1. Introduction", Lang::En, &["1. Introduction"]);
    assert_split(
        "IV. Results were good.",
        Lang::En,
        &["IV. Results were good."],
    );
}

#[test]
fn capitalised_abbreviation_at_sentence_start() {
    assert_split(
        "Etc. Was said. См. Приложение.",
        Lang::Ru,
        &["Etc.", "Was said.", "См. Приложение."],
    );
}

#[test]
fn full_width_terminators_break_without_space() {
    assert_split(
        "你好。我是学生！你呢？",
        Lang::Other,
        &["你好。", "我是学生！", "你呢？"],
    );
}

#[test]
fn spaced_ellipses_are_omissions_or_an_ellipsis_and_a_period() {
    // Three spaced dots: an omission inside the sentence, even before a capital.
    assert_split(
        "I mean . . . what I'm saying is . . . I didn't mean it.",
        Lang::En,
        &["I mean . . . what I'm saying is . . . I didn't mean it."],
    );
    // Four after a space: an ellipsis and a period.
    assert_split(
        "Mark it with a period . . . . Next sentence.",
        Lang::En,
        &["Mark it with a period . . . .", "Next sentence."],
    );
    // A period glued to the word, then spaced dots that open the next sentence.
    assert_split(
        "Words into compounds. . . . The practice was not abandoned. . . .",
        Lang::En,
        &[
            "Words into compounds.",
            ". . . The practice was not abandoned. . . .",
        ],
    );
    assert_split(
        "Он подумал . . . . Потом ушёл. Он ждал . . . и молчал.",
        Lang::Ru,
        &[
            "Он подумал . . . .",
            "Потом ушёл.",
            "Он ждал . . . и молчал.",
        ],
    );
    assert_split(
        "“The laws will appear less complex. . . .”",
        Lang::En,
        &["“The laws will appear less complex. . . .”"],
    );
}

#[test]
fn period_glued_to_a_capitalised_word_ends_a_sentence() {
    assert_split(
        "Hello world.Today is Tuesday.Mr. Smith bought 1,000.That is a lot.",
        Lang::En,
        &[
            "Hello world.",
            "Today is Tuesday.",
            "Mr. Smith bought 1,000.",
            "That is a lot.",
        ],
    );
    assert_split(
        "Он ушёл.Потом вернулся.",
        Lang::Ru,
        &["Он ушёл.", "Потом вернулся."],
    );
    // Not abbreviations, initials, addresses or file names.
    for text in [
        "I visited the U.S.A. last year.",
        "Her email is Jane.Doe@example.com, she said.",
        "See www.example.com/Index.Html for more.",
        "We met Mr.Smith there.",
    ] {
        assert_split(text, Lang::En, &[text]);
    }
    assert_split(
        "Дом, где родился Л.Н.Толстой.",
        Lang::Ru,
        &["Дом, где родился Л.Н.Толстой."],
    );
}

#[test]
fn list_items_on_one_line_are_sentences() {
    for (text, items) in [
        (
            "1) The first item 2) The second item",
            ["1) The first item", "2) The second item"],
        ),
        (
            "1. The first item 2. The second item",
            ["1. The first item", "2. The second item"],
        ),
        (
            "1.) The first item. 2.) The second item.",
            ["1.) The first item.", "2.) The second item."],
        ),
        (
            "a. The first item b. The second item",
            ["a. The first item", "b. The second item"],
        ),
        (
            "• 9. The first item • 10. The second item",
            ["• 9. The first item", "• 10. The second item"],
        ),
        (
            "⁃9. The first item ⁃10. The second item",
            ["⁃9. The first item", "⁃10. The second item"],
        ),
    ] {
        assert_split(text, Lang::En, &items);
    }
    // Only the next number of the same form continues the series.
    assert_split(
        "1) Buy 3. Then sell 5) units.",
        Lang::En,
        &["1) Buy 3.", "Then sell 5) units."],
    );
    // Capital letters are initials, not a series.
    assert_split(
        "A. Smith met B. Jones.",
        Lang::En,
        &["A. Smith met B. Jones."],
    );
    assert_split(
        "§2. Нахождение оптимального объекта. 8.1. Зачем нужны эти классы?",
        Lang::Ru,
        &[
            "§2. Нахождение оптимального объекта.",
            "8.1. Зачем нужны эти классы?",
        ],
    );
    assert_split(
        "в данной квартире; 2) отчуждать свою долю",
        Lang::Ru,
        &["в данной квартире;", "2) отчуждать свою долю"],
    );
    // `N)` after anything but `;` stays inside.
    assert_split("см. пункт 2) выше", Lang::Ru, &["см. пункт 2) выше"]);
    // … and so does one that closes a bracket.
    assert_split("(см. п. 3; 4) далее", Lang::Ru, &["(см. п. 3; 4) далее"]);
}

#[test]
fn emoticon_before_a_capital_ends_a_sentence() {
    assert_split(
        "пастухов - тоже ;) Я вспомнила",
        Lang::Ru,
        &["пастухов - тоже ;)", "Я вспомнила"],
    );
    assert_split(
        "жабы :)) А платить будут :( Жаль.",
        Lang::Ru,
        &["жабы :))", "А платить будут :(", "Жаль."],
    );
    assert_split(
        "это смешно :) и грустно",
        Lang::Ru,
        &["это смешно :) и грустно"],
    );
    assert_split("See (a) and (b) Then", Lang::En, &["See (a) and (b) Then"]);
    // Chat brackets without eyes, not closing anything.
    assert_split(
        "привет))) Как дела? Жаль(( Ладно",
        Lang::Ru,
        &["привет)))", "Как дела?", "Жаль((", "Ладно"],
    );
    assert_split(
        "See (the note (a)) Then more",
        Lang::En,
        &["See (the note (a)) Then more"],
    );
}

#[test]
fn author_words_inside_direct_speech_stay_in_the_quotation() {
    let text = "«К чему ты готовишься? – спросила мама. – Завтра ведь выходной».";
    assert_split(text, Lang::Ru, &[text]);
    // Outside an open `«` a dash line after a period is a new sentence.
    assert_split(
        "Он ушёл. – Куда? – спросила она.",
        Lang::Ru,
        &["Он ушёл.", "– Куда? – спросила она."],
    );
}

#[test]
fn russian_place_and_name_abbreviations_and_date_phrases() {
    for text in [
        "Едем в сторону пгт. Брагиновка, о котором мы слышали.",
        "директор фирмы Чарльз Дж. Филлипс",
        "В 2010-2012 гг. Виктор посещал г. Волгоград неоднократно.",
    ] {
        assert_split(text, Lang::Ru, &[text]);
    }
    // After a longer sentence the year abbreviation ends it before a capital.
    assert_split(
        "Договор был подписан в 2003 г. Эксперты удивлены.",
        Lang::Ru,
        &["Договор был подписан в 2003 г.", "Эксперты удивлены."],
    );
    // A case ending after a number is no initial.
    assert_split(
        "я ощущал в 1990-е. Славное было время",
        Lang::Ru,
        &["я ощущал в 1990-е.", "Славное было время"],
    );
}

#[test]
fn english_pronoun_i_and_numero_sign() {
    assert_split(
        "We make a good team, you and I. Did you see Albert I. Jones yesterday?",
        Lang::En,
        &[
            "We make a good team, you and I.",
            "Did you see Albert I. Jones yesterday?",
        ],
    );
    assert_split(
        "You can find it at N°. 1026.253.553. That is where the treasure is.",
        Lang::En,
        &[
            "You can find it at N°. 1026.253.553.",
            "That is where the treasure is.",
        ],
    );
}

/// The sentences of `text` with the given line-break mode.
fn sents_with(text: &str, line_breaks: LineBreaks) -> Vec<String> {
    split_text_with(text, Lang::En, &Options { line_breaks })
        .into_iter()
        .map(|r| fold(&text[r]))
        .collect()
}

#[test]
fn line_breaks_auto_soft_and_hard() {
    let list = "features\ncontact manager\nevents, activities";
    assert_eq!(
        sents_with(list, LineBreaks::Auto),
        ["features", "contact manager", "events, activities"]
    );
    assert_eq!(
        sents_with(list, LineBreaks::Soft),
        ["features contact manager events, activities"]
    );
    let wrapped = "It was a cold \nnight in the city.";
    assert_eq!(
        sents_with(wrapped, LineBreaks::Auto),
        ["It was a cold night in the city."]
    );
    assert_eq!(
        sents_with(wrapped, LineBreaks::Hard),
        ["It was a cold", "night in the city."]
    );
    // A heading is never glued to the prose after it.
    let heading = "Introduction\nSentence boundaries have a long history in language\n\
                   processing, and the question is far from settled.";
    assert_eq!(
        sents_with(heading, LineBreaks::Auto),
        [
            "Introduction",
            "Sentence boundaries have a long history in language processing, and the \
             question is far from settled."
        ]
    );
    assert_eq!(sents_with(heading, LineBreaks::Soft).len(), 1);
    // Hard-wrapped prose: lines near the width, a capital after a wrap included.
    let prose = "The delegates of eighteen countries met in Beijing with\n\
                 representatives of ten international organisations and\n\
                 Russia, China and India spoke of the threat of drugs.";
    assert_eq!(sents_with(prose, LineBreaks::Auto).len(), 1);
    // A list line starts a sentence in every mode.
    assert_eq!(
        sents_with("We agreed:\n- to meet", LineBreaks::Soft),
        ["We agreed:", "- to meet"]
    );
}

#[test]
fn peer_cases() {
    let cases = parse_cases(include_str!("../../benches/splitters/cases.txt"));
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for (lang, input, expected) in &cases {
        let got: Vec<String> = sents(input, *lang).into_iter().map(fold).collect();
        if &got != expected {
            failures.push(format!(
                "[{lang}] {input:?}\n  expected {expected:?}\n  got      {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    for lang in [Lang::En, Lang::Ru] {
        let n = cases.iter().filter(|c| c.0 == lang).count();
        assert!(n >= 30, "{lang}: only {n} cases");
    }
}

/// The public suites of `benches/splitters/suites/` (extracted by `extract_suites.py`) and
/// the number of cases bitext gets exactly right on each (`compare.py` prints the same
/// figures beside pySBD and razdel): a floor, so that a gain once made is kept.
const SUITE_FLOORS: [(&str, &str, usize); 5] = [
    (
        "pragmatic_en",
        include_str!("../../benches/splitters/suites/pragmatic_en.txt"),
        50,
    ),
    (
        "pragmatic_ru",
        include_str!("../../benches/splitters/suites/pragmatic_ru.txt"),
        41,
    ),
    (
        "pysbd_en",
        include_str!("../../benches/splitters/suites/pysbd_en.txt"),
        47,
    ),
    (
        "pysbd_ru",
        include_str!("../../benches/splitters/suites/pysbd_ru.txt"),
        41,
    ),
    (
        "razdel_ru",
        include_str!("../../benches/splitters/suites/razdel_ru.txt"),
        34,
    ),
];

#[test]
fn suite_floors() {
    for (name, src, floor) in SUITE_FLOORS {
        let cases = parse_cases(src);
        let mut misses = Vec::new();
        for (lang, input, expected) in &cases {
            let got: Vec<String> = sents(input, *lang).into_iter().map(fold).collect();
            if &got != expected {
                misses.push(format!(
                    "  {input:?}\n    expected {expected:?}\n    got {got:?}"
                ));
            }
        }
        let ok = cases.len() - misses.len();
        assert!(
            ok >= floor,
            "{name}: {ok}/{} right, floor {floor}; misses:\n{}",
            cases.len(),
            misses.join("\n")
        );
    }
}

/// White-space runs folded to one space (as `bitext split` prints sentences).
fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The escapes of the case files: `{nbsp}`, `{cr}`, `{tab}`.
fn unescape(s: &str) -> String {
    s.replace("{nbsp}", "\u{a0}")
        .replace("{cr}", "\r")
        .replace("{tab}", "\t")
}

/// Parses `cases.txt`: (language, input, expected sentences).
fn parse_cases(src: &str) -> Vec<(Lang, String, Vec<String>)> {
    let mut out = Vec::new();
    let mut lang = Lang::En;
    let mut input: Vec<&str> = Vec::new();
    let mut expected: Vec<String> = Vec::new();
    let mut in_expected = false;
    for line in src.lines() {
        if input.is_empty() && !in_expected {
            if let Some(code) = line.strip_prefix("# lang:") {
                lang = code.trim().parse().expect("language code");
                continue;
            }
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
        }
        match line {
            "---" => in_expected = true,
            "===" => {
                let text = unescape(&input.join("\n"));
                out.push((lang, text, std::mem::take(&mut expected)));
                input.clear();
                in_expected = false;
            }
            l if in_expected => expected.push(fold(&unescape(l))),
            l => input.push(l),
        }
    }
    assert!(
        input.is_empty() && !in_expected,
        "unterminated case at the end"
    );
    out
}

#[test]
fn lines_takes_each_non_blank_line() {
    let doc = Document::from_text("x", "  One. Two.  \nThree\n\n\n Four \n");
    let split = lines(doc);
    assert_eq!(
        split.texts().collect::<Vec<_>>(),
        ["One. Two.", "Three", "Four"]
    );
    let paragraphs: Vec<usize> = split.sentences.iter().map(|s| s.paragraph).collect();
    assert_eq!(paragraphs, [0, 0, 1]);
    assert_eq!(split.sentences[0].span(), 2..11);
    assert_eq!(split.name, "x");
}

#[test]
fn lines_of_blank_document_is_empty() {
    let split = lines(Document::from_text("x", "\n \n"));
    assert!(split.is_empty());
    assert_eq!(split.len(), 0);
}

#[test]
fn split_keeps_paragraph_indices_and_offsets() {
    let doc = Document::from_text("d", "Headline\n\nFirst one. Second one.\n\nLast");
    let split = split(doc, Lang::En);
    assert_eq!(
        split.texts().collect::<Vec<_>>(),
        ["Headline", "First one.", "Second one.", "Last"]
    );
    let paragraphs: Vec<usize> = split.sentences.iter().map(|s| s.paragraph).collect();
    assert_eq!(paragraphs, [0, 1, 1, 2]);
    assert_eq!(split.sentence(2), "Second one.");
}

/// Checks the span invariants on one input.
fn check_invariants(text: &str, lang: Lang) -> Result<(), TestCaseError> {
    let spans = split_text(text, lang);
    let mut pos = 0;
    for span in &spans {
        prop_assert!(span.start >= pos, "overlap or disorder: {spans:?}");
        prop_assert!(span.start < span.end, "empty span: {spans:?}");
        prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        let gap = &text[pos..span.start];
        prop_assert!(
            gap.chars().all(char::is_whitespace),
            "non-space gap {gap:?}"
        );
        let s = &text[span.clone()];
        prop_assert_eq!(s.trim(), s, "untrimmed span");
        pos = span.end;
    }
    prop_assert!(text[pos..].chars().all(char::is_whitespace));
    // Lossless: spans and gaps give back the input.
    let mut rebuilt = String::new();
    let mut at = 0;
    for span in &spans {
        rebuilt.push_str(&text[at..span.start]);
        rebuilt.push_str(&text[span.clone()]);
        at = span.end;
    }
    rebuilt.push_str(&text[at..]);
    prop_assert_eq!(rebuilt, text);
    Ok(())
}

/// Text built from the pieces the rules look at, so that the property tests reach them.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Mr."),
        Just("A."),
        Just("e.g."),
        Just("U.S."),
        Just("etc."),
        Just("т."),
        Just("е."),
        Just("г."),
        Just("гг."),
        Just("2018"),
        Just("9."),
        Just("3.5"),
        Just("Word"),
        Just("word"),
        Just("Это"),
        Just("В"),
        Just("The"),
        Just("."),
        Just("..."),
        Just("…"),
        Just("?!"),
        Just("!"),
        Just("?"),
        Just("«"),
        Just("»"),
        Just("\""),
        Just("'"),
        Just("("),
        Just(")"),
        Just("["),
        Just("]"),
        Just("—"),
        Just("-"),
        Just(" "),
        Just("\u{a0}"),
        Just("\n"),
        Just("\n- "),
        Just("\n1. "),
        Just("\na) "),
        Just("。"),
        Just("é"),
        Just("\u{301}"),
        Just("M.-A."),
        Just("XIX"),
        Just("September"),
        Just("av. J.-C."),
        Just("z. B."),
        Just("\t"),
        Just(","),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn any_lang() -> impl Strategy<Value = Lang> {
    prop_oneof![
        Just(Lang::En),
        Just(Lang::Ru),
        Just(Lang::De),
        Just(Lang::Fr),
        Just(Lang::Other)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn spans_are_lossless_on_tricky_text(text in tricky_text(), lang in any_lang()) {
        check_invariants(&text, lang)?;
    }

    #[test]
    fn spans_are_lossless_on_any_string(text in any::<String>(), lang in any_lang()) {
        check_invariants(&text, lang)?;
    }

    #[test]
    fn spans_are_lossless_on_wordy_text(
        text in "([A-Za-zА-Яа-я]{1,6}[.?!…»\")]{0,3}[ \u{a0}\n]{1,2}){0,20}",
        lang in any_lang(),
    ) {
        check_invariants(&text, lang)?;
    }
}

// ---------------------------------------------------------------------------------------
// Differential tests: the fast engine (`rules.rs`) against the reference copy of the engine
// as it was before the speed work (`reference.rs`). Any drift in output fails here.

/// Every entry of the languages' list files as it would appear in text (abbreviations with
/// their final period, starters and month names as words).
fn list_words() -> Vec<String> {
    let mut out = Vec::new();
    for src in Lang::KNOWN.iter().filter_map(|l| l.profile().abbreviations) {
        let mut section = "";
        for line in src.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = if matches!(name, "starters" | "months") {
                    "word"
                } else {
                    "abbrev"
                };
                continue;
            }
            if section == "abbrev" && !line.ends_with('.') {
                out.push(format!("{line}."));
                // The capitalised form, as at the start of a sentence.
                let mut chars = line.chars();
                if let Some(first) = chars.next() {
                    out.push(format!("{}{}.", first.to_uppercase(), chars.as_str()));
                }
            } else {
                out.push(line.to_owned());
            }
        }
    }
    out
}

/// Random text mixing Latin and Cyrillic words, list entries, initials, numbers, quotes,
/// brackets, terminators, ellipses, omission marks, list items and many kinds of space.
fn mixed_text() -> impl Strategy<Value = String> {
    let words = list_words();
    let piece = prop_oneof![
        4 => prop::sample::select(words),
        2 => "[A-Z][a-z]{0,7}",
        2 => "[a-z]{1,8}",
        2 => "[А-ЯЁ][а-яё]{0,7}",
        2 => "[а-яё]{1,8}",
        1 => "[A-ZА-ЯЁ]\\.",
        1 => "([A-ZА-Я]\\. ?){2,3}",
        1 => "[0-9]{1,4}",
        1 => "[0-9]{1,2}\\.",
        1 => "[0-9]{1,2}\\.[0-9]{1,2}\\.?",
        1 => "[IVXLCDM]{1,7}\\.?",
        1 => "[a-zа-я]{1,4}-[a-zа-я]{1,4}\\.?",
        3 => prop::sample::select(vec![
            ".", ". ", "..", "...", "…", "?", "!", "?!", "!!", "?..", "‽", "。", "！", "？",
            "؟", "।", "«", "»", "\"", "'", "“", "”", "„", "‘", "’", "‹", "›", "(", ")",
            "[", "]", "{", "}", "「", "」", "（", "）", "[...]", "(…)", "[…]", "—", "–",
            "-", "―", "‒", ",", ";", ":", "%", "¿", "¡", ".\"", ".»", ".)", "г.).", "?»",
            "…»", "» —", "\" -",
        ]).prop_map(str::to_owned),
        3 => prop::sample::select(vec![
            " ", " ", "  ", "\u{a0}", "\u{2009}", "\u{202f}", "\u{3000}", "\u{85}",
            "\u{2028}", "\t", "\r\n", "\n", "\n\n", " \n ", "\n- ", "\n– ", "\n* ", "\n• ",
            "\n·", "\n1. ", "\n12) ", "\n1.2. ", "\n1234. ", "\na) ", "\n(iv) ", "\n(12) ",
            "\n-x", "\n1.x",
        ]).prop_map(str::to_owned),
        1 => prop::sample::select(vec![
            "é", "\u{301}", "и\u{306}", "ß", "İ", "ǅ", "Σ", "ẞ", "中文", "١٢", "٣", "ǈ",
            "\u{ad}", "\u{200b}", "Ⅻ", "𝐀", "😀", "ﬁ",
        ]).prop_map(str::to_owned),
    ];
    let sep = prop::sample::select(vec!["", "", " ", " ", " ", "\n"]);
    prop::collection::vec((piece, sep), 0..60)
        .prop_map(|v| v.into_iter().map(|(p, s)| p + s).collect::<String>())
}

/// The reference engine's spans, with letterless spans joined as `split_text` joins them.
fn reference_split(text: &str, lang: Lang) -> Vec<std::ops::Range<usize>> {
    let spans = super::reference::split(text, abbrev::lexicon(lang));
    super::joined(text, |emit| spans.into_iter().for_each(emit))
}

/// Fails when the fast engine and the reference disagree on `text`.
fn check_same_as_reference(text: &str, lang: Lang) -> Result<(), TestCaseError> {
    let fast = split_text(text, lang);
    let reference = reference_split(text, lang);
    prop_assert_eq!(fast, reference, "lang {}, input {:?}", lang, text);
    Ok(())
}

#[test]
fn same_as_reference_on_the_fixture_documents() {
    for (src, lang) in [
        (
            include_str!("../../fixtures/sco-counter-narcotics-2018.en.txt"),
            Lang::En,
        ),
        (
            include_str!("../../fixtures/sco-counter-narcotics-2018.ru.txt"),
            Lang::Ru,
        ),
        (
            include_str!("../../fixtures/sco-paris-pact-beijing.en.txt"),
            Lang::En,
        ),
        (
            include_str!("../../fixtures/sco-paris-pact-beijing.ru.txt"),
            Lang::Ru,
        ),
        (
            include_str!("../../fixtures/sco-paris-pact-beijing.mixed.txt"),
            Lang::En,
        ),
    ] {
        for lang in [lang, Lang::Other] {
            let fast = split_text(src, lang);
            let reference = reference_split(src, lang);
            assert!(fast.len() > 10);
            assert_eq!(fast, reference, "{lang}");
        }
    }
    for (lang, input, _) in parse_cases(include_str!("../../benches/splitters/cases.txt")) {
        for lang in std::iter::once(lang).chain(Lang::ALL.iter().copied()) {
            let reference = reference_split(&input, lang);
            assert_eq!(split_text(&input, lang), reference, "{lang}: {input:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 4000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn same_as_reference_on_mixed_text(text in mixed_text(), lang in any_lang()) {
        check_same_as_reference(&text, lang)?;
    }

}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn same_as_reference_on_tricky_text(text in tricky_text(), lang in any_lang()) {
        check_same_as_reference(&text, lang)?;
    }

    #[test]
    fn same_as_reference_on_any_string(text in any::<String>(), lang in any_lang()) {
        check_same_as_reference(&text, lang)?;
    }
}

#[test]
fn a_span_without_letters_joins_the_sentence_before_it() {
    // Garnett's pause after a full stop (`. …`), a closing quote left alone, a scene break.
    let text = "I remember. … I came here last week. “Yes.” ”\n\n***";
    let spans: Vec<&str> = split_text(text, Lang::En)
        .into_iter()
        .map(|r| &text[r])
        .collect();
    assert!(spans
        .iter()
        .all(|s| s.chars().any(char::is_alphanumeric) || *s == "***"));
    assert_eq!(spans[0], "I remember. …");
    // A text of nothing but marks keeps them.
    assert_eq!(split_text("… …", Lang::En).len(), 1);
}
