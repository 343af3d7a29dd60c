//! Cyrillic -> Latin transliteration and phonetic skeleton keys for matching names across scripts.
//!
//! Two transcriptions are tried for a Russian word: the ICAO Doc 9303 (2013) passport
//! transliteration, which renders Russian and Central-Asian names the way English texts spell
//! them (`Жайчибеков` -> `zhaichibekov`), and the Palladius transcription of Chinese read back
//! into Hanyu Pinyin syllable by syllable (`Юэцзинь` -> `yuejin`, `Лян` -> `liang`), because no
//! letter-level table maps Palladius to Pinyin. Both sides are then reduced to a *skeleton*
//! (lower-case ASCII with spelling variants merged: `kh`->`h`, `ts`->`c`, `y`->`i`, `c`->`k`, doubled
//! letters collapsed...), so that `Colhoun` and `Колхаун` meet at `kolh...`.

/// ICAO 2013 transliteration of one lower-case Cyrillic character.
fn icao(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' | 'і' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ў' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' => "ie",
        'ы' => "y",
        'ь' => "",
        'ю' => "iu",
        'я' => "ia",
        'є' => "ie",
        'ї' => "i",
        'ґ' => "g",
        'қ' => "k",
        'ғ' => "g",
        'ң' => "n",
        'ү' | 'ұ' => "u",
        'ө' => "o",
        'һ' => "h",
        'ә' => "a",
        _ => return None,
    })
}

/// Appends the ICAO transliteration of a lower-case Cyrillic word to `out`; other characters
/// are copied when ASCII and dropped otherwise.
pub fn icao_into(word: &str, out: &mut String) {
    for c in word.chars() {
        match icao(c) {
            Some(s) => out.push_str(s),
            None if c.is_ascii() => out.push(c),
            None => {}
        }
    }
}

/// Pinyin initials as Palladius writes them, longest first.
const INITIALS: &[(&str, &str)] = &[
    ("чж", "zh"),
    ("цз", "z"), // j before i-type finals
    ("б", "b"),
    ("п", "p"),
    ("м", "m"),
    ("ф", "f"),
    ("д", "d"),
    ("т", "t"),
    ("н", "n"),
    ("л", "l"),
    ("г", "g"),
    ("к", "k"),
    ("х", "h"),
    ("ц", "c"), // q before i-type finals
    ("с", "s"), // x before i-type finals
    ("ч", "ch"),
    ("ш", "sh"),
    ("ж", "r"),
];

/// Pinyin finals as Palladius writes them, longest first; `true` marks the i/ü-type finals
/// that turn the initials цз/ц/с into j/q/x.
const FINALS: &[(&str, &str, bool)] = &[
    ("юань", "uan", true),
    ("уань", "uan", false),
    ("уай", "uai", false),
    ("уан", "uang", false),
    ("янь", "ian", true),
    ("ань", "an", false),
    ("энь", "en", false),
    ("инь", "in", true),
    ("унь", "un", false),
    ("юнь", "un", true),
    ("юэ", "ue", true),
    ("юй", "u", true),
    ("яо", "iao", true),
    ("ян", "iang", true),
    ("ин", "ing", true),
    ("юн", "iong", true),
    ("ай", "ai", false),
    ("эй", "ei", false),
    ("ао", "ao", false),
    ("оу", "ou", false),
    ("ан", "ang", false),
    ("эн", "eng", false),
    ("ун", "ong", false),
    ("эр", "er", false),
    ("уа", "ua", false),
    ("уй", "ui", false),
    ("а", "a", false),
    ("о", "uo", false),
    ("э", "e", false),
    ("е", "ie", true),
    ("и", "i", true),
    ("ы", "i", false),
    ("я", "ia", true),
    ("ю", "iu", true),
    ("у", "u", false),
];

/// Syllables without an initial (Pinyin y-/w- spellings), longest first.
const ZERO_INITIAL: &[(&str, &str)] = &[
    ("юань", "yuan"),
    ("вань", "wan"),
    ("вэнь", "wen"),
    ("янь", "yan"),
    ("инь", "yin"),
    ("юнь", "yun"),
    ("ань", "an"),
    ("энь", "en"),
    ("вай", "wai"),
    ("вэй", "wei"),
    ("ван", "wang"),
    ("вэн", "weng"),
    ("юэ", "yue"),
    ("юй", "yu"),
    ("яо", "yao"),
    ("ян", "yang"),
    ("ин", "ying"),
    ("юн", "yong"),
    ("ай", "ai"),
    ("эй", "ei"),
    ("ао", "ao"),
    ("оу", "ou"),
    ("ан", "ang"),
    ("эр", "er"),
    ("ва", "wa"),
    ("во", "wo"),
    ("а", "a"),
    ("э", "e"),
    ("е", "ye"),
    ("и", "yi"),
    ("я", "ya"),
    ("ю", "you"),
    ("у", "wu"),
];

/// Reads a lower-case Russian word as Palladius syllables and returns their Pinyin, or `None`
/// when the word is not a sequence of Palladius syllables (most Russian words are not).
pub fn palladius_to_pinyin(word: &str) -> Option<String> {
    let mut rest = word;
    let mut out = String::with_capacity(word.len());
    while !rest.is_empty() {
        let before = rest;
        let at_start = rest.len() == word.len();
        let zero = ZERO_INITIAL
            .iter()
            .find(|(ru, _)| at_start && rest.starts_with(ru));
        if let Some((ru, py)) = zero {
            out.push_str(py);
            rest = &rest[ru.len()..];
        } else {
            let (ini_ru, ini_py) = INITIALS.iter().find(|(ru, _)| rest.starts_with(ru))?;
            let after = &rest[ini_ru.len()..];
            let (fin_ru, fin_py, i_type) =
                FINALS.iter().find(|(ru, _, _)| after.starts_with(ru))?;
            let initial = match (*ini_py, *i_type) {
                ("z", true) => "j",
                ("c", true) => "q",
                ("s", true) => "x",
                (p, _) => p,
            };
            let fin = match (initial, *fin_py) {
                // bo, po, mo, fo: Pinyin writes -o after labials, -uo elsewhere.
                ("b" | "p" | "m" | "f", "uo") => "o",
                // zhi, chi, shi, ri: Palladius writes чжи, чи, ши, жи.
                ("zh" | "ch" | "sh" | "r", "i") => "i",
                (_, f) => f,
            };
            out.push_str(initial);
            out.push_str(fin);
            rest = &after[fin_ru.len()..];
        }
        // A soft sign may close a syllable (-нь).
        if let Some(r) = rest.strip_prefix('ь') {
            rest = r;
        }
        if rest.len() == before.len() {
            return None;
        }
    }
    Some(out)
}

/// Appends the phonetic skeleton of a lower-case Latin word to `out`.
///
/// Spelling variants that transliterations and English spellings disagree on are merged, and
/// doubled letters collapsed: `zapparov`/`заппаров` -> `saparov`, `haydarzoda`/`хайдарзода`
/// -> `haidarsoda`.
pub fn skeleton_into(latin: &str, out: &mut String) {
    let b = latin.as_bytes();
    let start = out.len();
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let (emit, used): (&str, usize) = if rest.starts_with(b"shch") {
            ("sh", 4)
        } else if rest.starts_with(b"tsch") {
            ("ch", 4)
        } else if rest.starts_with(b"sch") {
            ("sh", 3)
        } else if rest.starts_with(b"dzh") {
            ("j", 3)
        } else if rest.starts_with(b"kh") || rest.starts_with(b"gh") {
            (if rest[0] == b'k' { "h" } else { "g" }, 2)
        } else if rest.starts_with(b"zh") || rest.starts_with(b"dj") {
            ("j", 2)
        } else if rest.starts_with(b"ts") || rest.starts_with(b"tz") {
            ("c", 2)
        } else if rest.starts_with(b"ck") {
            ("k", 2)
        } else if rest.starts_with(b"ph") {
            ("f", 2)
        } else if rest.starts_with(b"th") {
            ("t", 2)
        } else {
            let c = rest[0];
            let s = match c {
                b'c' if rest.get(1) == Some(&b'h') => {
                    i += 2;
                    push_collapsed(out, start, "ch");
                    continue;
                }
                b'c' | b'q' | b'k' => "k",
                b'w' | b'v' => "v",
                b'x' => "ks",
                b'y' | b'j' | b'i' => "i",
                b'z' | b's' => "s",
                b'a'..=b'z' => {
                    let mut buf = [0u8; 4];
                    push_collapsed(out, start, char::from(c).encode_utf8(&mut buf));
                    i += 1;
                    continue;
                }
                _ => "",
            };
            (s, 1)
        };
        push_collapsed(out, start, emit);
        i += used;
    }
}

/// Pushes `s`, skipping a first letter that repeats the last one written (after `start`).
fn push_collapsed(out: &mut String, start: usize, s: &str) {
    let mut chars = s.chars();
    if let Some(first) = chars.next() {
        if out.len() > start && out.ends_with(first) {
            out.push_str(chars.as_str());
        } else {
            out.push_str(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skel(latin: &str) -> String {
        let mut s = String::new();
        skeleton_into(latin, &mut s);
        s
    }

    fn ru_skel(ru: &str) -> String {
        let mut latin = String::new();
        icao_into(ru, &mut latin);
        skel(&latin)
    }

    #[test]
    fn icao_transliterates_russian_names() {
        let mut s = String::new();
        icao_into("жайчибеков", &mut s);
        assert_eq!(s, "zhaichibekov");
        s.clear();
        icao_into("щукин", &mut s);
        assert_eq!(s, "shchukin");
    }

    #[test]
    fn palladius_reads_chinese_names_as_pinyin() {
        assert_eq!(palladius_to_pinyin("юэцзинь").as_deref(), Some("yuejin"));
        assert_eq!(palladius_to_pinyin("лю").as_deref(), Some("liu"));
        assert_eq!(palladius_to_pinyin("лян").as_deref(), Some("liang"));
        assert_eq!(palladius_to_pinyin("юнь").as_deref(), Some("yun"));
        assert_eq!(palladius_to_pinyin("тяньцзинь").as_deref(), Some("tianjin"));
        assert_eq!(palladius_to_pinyin("цзиньпин").as_deref(), Some("jinping"));
        assert_eq!(palladius_to_pinyin("си").as_deref(), Some("xi"));
        assert_eq!(palladius_to_pinyin("кэцян").as_deref(), Some("keqiang"));
        assert_eq!(palladius_to_pinyin("чжан").as_deref(), Some("zhang"));
        assert_eq!(palladius_to_pinyin("сюй").as_deref(), Some("xu"));
        assert_eq!(palladius_to_pinyin("мао").as_deref(), Some("mao"));
        assert_eq!(palladius_to_pinyin("цзэдун").as_deref(), Some("zedong"));
        assert_eq!(palladius_to_pinyin("шанхай").as_deref(), Some("shanghai"));
        assert_eq!(palladius_to_pinyin("бо").as_deref(), Some("bo"));
    }

    #[test]
    fn ordinary_russian_words_are_not_palladius() {
        for w in [
            "жайчибеков",
            "министерство",
            "пекине",
            "встреча",
            "организация",
        ] {
            assert_eq!(palladius_to_pinyin(w), None, "{w}");
        }
    }

    #[test]
    fn skeletons_meet_across_scripts() {
        for (en, ru) in [
            ("zhaichibekov", "жайчибеков"),
            ("zapparov", "заппаров"),
            ("haydarzoda", "хайдарзода"),
            ("kazakhstan", "казахстан"),
            ("mansurov", "мансуров"),
            ("iqbal", "икбал"),
            ("alimov", "алимов"),
        ] {
            assert_eq!(skel(en), ru_skel(ru), "{en} ~ {ru}");
        }
        assert_eq!(skel("afghanistan")[..4], ru_skel("афганистан")[..4]);
        assert_eq!(skel("colhoun")[..4], ru_skel("колхаун")[..4]);
        assert_eq!(
            skel("yuejin"),
            skel(&palladius_to_pinyin("юэцзинь").unwrap())
        );
    }
}
