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
pub(super) fn icao(c: char) -> Option<&'static str> {
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
pub(super) const INITIALS: &[(&str, &str)] = &[
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
pub(super) const FINALS: &[(&str, &str, bool)] = &[
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
pub(super) const ZERO_INITIAL: &[(&str, &str)] = &[
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
    let mut out = String::with_capacity(word.len());
    palladius_into(word, &mut out).then_some(out)
}

/// Appends the Pinyin of a lower-case Russian word read as Palladius syllables to `out` and
/// returns true, or leaves `out` as it was and returns false when the word is not a sequence of
/// Palladius syllables (as [`palladius_to_pinyin`], without allocating).
pub fn palladius_into(word: &str, out: &mut String) -> bool {
    let start = out.len();
    let mut rest = word;
    while !rest.is_empty() {
        let before = rest.len();
        let syllable = if rest.len() == word.len() {
            ZERO_INITIAL
                .iter()
                .find(|(ru, _)| rest.starts_with(ru))
                .map(|(ru, py)| {
                    out.push_str(py);
                    &rest[ru.len()..]
                })
        } else {
            None
        };
        let next = match syllable {
            Some(next) => Some(next),
            None => initial_final(rest, out),
        };
        let Some(next) = next else {
            out.truncate(start);
            return false;
        };
        // A soft sign may close a syllable (-нь).
        rest = next.strip_prefix('ь').unwrap_or(next);
        if rest.len() == before {
            out.truncate(start);
            return false;
        }
    }
    true
}

/// Reads one initial + final syllable at the start of `rest`, appends its Pinyin to `out` and
/// returns what follows it.
fn initial_final<'a>(rest: &'a str, out: &mut String) -> Option<&'a str> {
    let (ini_ru, ini_py) = INITIALS.iter().find(|(ru, _)| rest.starts_with(ru))?;
    let after = &rest[ini_ru.len()..];
    let (fin_ru, fin_py, i_type) = FINALS.iter().find(|(ru, _, _)| after.starts_with(ru))?;
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
    Some(&after[fin_ru.len()..])
}

/// Appends the phonetic skeleton of a lower-case Latin word to `out`.
///
/// Spelling variants that transliterations and English spellings disagree on are merged, and
/// doubled letters collapsed: `zapparov`/`заппаров` -> `saparov`, `haydarzoda`/`хайдарзода`
/// -> `haidarsoda`.
pub fn skeleton_into(latin: &str, out: &mut String) {
    skeleton_upto(latin, out, usize::MAX);
}

/// As [`skeleton_into`], but stops once at least `limit` bytes of skeleton are written: the
/// skeleton only grows, so its first `limit` letters are then final (a cognate key needs four).
/// The skeleton is ASCII, so bytes are letters.
pub fn skeleton_upto(latin: &str, out: &mut String, limit: usize) {
    skeleton_bytes::<false>(latin.as_bytes(), out, limit);
}

/// As [`skeleton_upto`] of the ASCII lower case of `word` (`Matterhorn` as `matterhorn`),
/// without writing that lower case anywhere.
pub fn skeleton_upto_lowering(word: &str, out: &mut String, limit: usize) {
    skeleton_bytes::<true>(word.as_bytes(), out, limit);
}

/// The skeleton letters (up to two, 0 for none) of byte `c` followed by `n1`, `n2`, `n3` (0
/// past the end), and the number of bytes they use. Digraphs and trigraphs first, longest
/// first; then single letters; anything but `a`..`z` gives nothing.
const fn rule(c: u8, n1: u8, n2: u8, n3: u8) -> (u8, u8, u8) {
    match c {
        b's' if n1 == b'h' && n2 == b'c' && n3 == b'h' => (b's', b'h', 4),
        b's' if n1 == b'c' && n2 == b'h' => (b's', b'h', 3),
        b's' => (b's', 0, 1),
        b'z' if n1 == b'h' => (b'j', 0, 2),
        b'z' => (b's', 0, 1),
        b't' if n1 == b's' && n2 == b'c' && n3 == b'h' => (b'c', b'h', 4),
        b't' if n1 == b's' || n1 == b'z' => (b'c', 0, 2),
        b't' if n1 == b'h' => (b't', 0, 2),
        b'd' if n1 == b'z' && n2 == b'h' => (b'j', 0, 3),
        b'd' if n1 == b'j' => (b'j', 0, 2),
        b'k' if n1 == b'h' => (b'h', 0, 2),
        b'g' if n1 == b'h' => (b'g', 0, 2),
        b'c' if n1 == b'k' => (b'k', 0, 2),
        b'c' if n1 == b'h' => (b'c', b'h', 2),
        b'p' if n1 == b'h' => (b'f', 0, 2),
        b'c' | b'q' | b'k' => (b'k', 0, 1),
        b'w' | b'v' => (b'v', 0, 1),
        b'x' => (b'k', b's', 1),
        b'y' | b'j' | b'i' => (b'i', 0, 1),
        b'a'..=b'z' => (c, 0, 1),
        _ => (0, 0, 1),
    }
}

/// The position of a byte in [`PAIRS`]: `a`..`z` are 0..=25, anything else 26.
static SLOT: [u8; 256] = {
    let mut t = [26u8; 256];
    let mut c = b'a';
    while c <= b'z' {
        t[c as usize] = c - b'a';
        c += 1;
    }
    t
};

/// [`rule`] for each pair of a byte and the next, as `[first, second, used, longer]`; `longer`
/// marks the pairs that may start a trigraph or longer (`sh`, `sc`, `ts`, `dz`), which [`rule`]
/// answers with two more bytes. A table look-up instead of a jump per letter, which the
/// processor could not predict.
static PAIRS: [[u8; 4]; 27 * 27] = {
    let mut t = [[0u8; 4]; 27 * 27];
    let mut a = 0;
    while a < 27 {
        let mut b = 0;
        while b < 27 {
            let c = if a < 26 { b'a' + a as u8 } else { 0 };
            let n1 = if b < 26 { b'a' + b as u8 } else { 0 };
            let (first, second, used) = rule(c, n1, 0, 0);
            let longer = matches!((c, n1), (b's', b'h' | b'c') | (b't', b's') | (b'd', b'z'));
            t[a * 27 + b] = [first, second, used, longer as u8];
            b += 1;
        }
        a += 1;
    }
    t
};

/// The skeleton of `b`, read in ASCII lower case when `LOWER`.
fn skeleton_bytes<const LOWER: bool>(b: &[u8], out: &mut String, limit: usize) {
    // Byte `k` of the word, 0 past its end (0 is never a letter).
    let at = |k: usize| match b.get(k) {
        Some(&x) if LOWER => x.to_ascii_lowercase(),
        Some(&x) => x,
        None => 0,
    };
    let slot = |x: u8| usize::from(SLOT[usize::from(x)]);
    // The last letter written, 0 before the first: a letter that repeats it is skipped.
    let mut last = 0u8;
    let mut written = 0;
    let mut i = 0;
    while i < b.len() && written < limit {
        let (c, n1) = (at(i), at(i + 1));
        let [mut first, mut second, mut used, longer] = PAIRS[slot(c) * 27 + slot(n1)];
        if longer != 0 {
            (first, second, used) = rule(c, n1, at(i + 2), at(i + 3));
        }
        i += usize::from(used);
        if first == 0 {
            continue;
        }
        if first != last {
            out.push(char::from(first));
            written += 1;
            last = first;
        }
        if second != 0 {
            out.push(char::from(second));
            written += 1;
            last = second;
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
