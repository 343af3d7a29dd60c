//! Accuracy of the legacy code-page guess (`bitext::read::decode_with` without `--encoding`):
//! not a timing. Generates samples of each code page from varied text, at several lengths,
//! and prints the share decoded to exactly the original text (a tie between code pages that
//! decode the bytes alike counts as right) and the share labelled with the very code page.
//!
//! Sources: the Russian fixtures (`fixtures/*.ru.txt`, `fixtures/batch/ru/*.txt`), the
//! Ukrainian and French samples of `fixtures/encodings/`, and, when present, the Text+Berg
//! German and French of `../shared/data/bleualign` (GPL-2 data, read, never copied).
//! A sample is a window of N characters starting at a word; characters a code page lacks are
//! replaced as `fixtures/encodings/make.py` does; a sample whose bytes are valid UTF-8 (plain
//! ASCII) is not a guess and is left out.
//!
//! `cargo bench --bench encodings` (`SHOW=1` prints each wrong sample on stderr)

use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

/// (code page, the texts to encode in it)
fn sources(root: &Path) -> Vec<(&'static Encoding, Vec<String>)> {
    let read = |p: PathBuf| std::fs::read_to_string(&p).ok();
    let mut ru: Vec<String> = Vec::new();
    for dir in [root.join("fixtures"), root.join("fixtures/batch/ru")] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with(".ru.txt") || dir.ends_with("ru") && name.ends_with(".txt") {
                ru.extend(read(f));
            }
        }
    }
    let uk: Vec<String> = read(root.join("fixtures/encodings/uk-sample.txt.src"))
        .into_iter()
        .collect();
    let mut west: Vec<String> =
        read(root.join("fixtures/encodings/sco-paris-pact-beijing.fr.txt.src"))
            .into_iter()
            .collect();
    let bleualign = root.join("../shared/data/bleualign");
    for name in ["dev.de", "dev.fr", "test1.de", "test1.fr"] {
        if let Some(t) = read(bleualign.join(name)) {
            // A few hundred kilobytes is plenty.
            west.push(t.chars().take(200_000).collect());
        }
    }
    let mut cyrillic_uk = ru.clone();
    cyrillic_uk.extend(uk.iter().cloned());
    vec![
        (encoding_rs::WINDOWS_1251, cyrillic_uk.clone()),
        (encoding_rs::KOI8_R, ru.clone()),
        (encoding_rs::KOI8_U, cyrillic_uk.clone()),
        (encoding_rs::IBM866, ru.clone()),
        (encoding_rs::ISO_8859_5, ru.clone()),
        (encoding_rs::X_MAC_CYRILLIC, cyrillic_uk),
        (encoding_rs::WINDOWS_1252, west),
    ]
}

/// `text` with the characters `enc` lacks replaced (as make.py does); `None` if one remains.
fn fit(text: &str, enc: &'static Encoding) -> Option<(String, Vec<u8>)> {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        let mut buf = [0u8; 4];
        let (_, _, unmappable) = enc.encode(ch.encode_utf8(&mut buf));
        if !unmappable {
            out.push(ch);
            continue;
        }
        out.push_str(match ch {
            '«' | '»' | '“' | '”' | '„' => "\"",
            '‘' | '’' => "'",
            '–' | '—' => "-",
            '…' => "...",
            '№' => "N",
            '\u{A0}' => " ",
            _ => return None,
        });
    }
    let (bytes, _, unmappable) = enc.encode(&out);
    (!unmappable).then(|| (out.clone(), bytes.into_owned()))
}

/// Windows of `len` characters starting at words, at most `max` of them, spread over `text`.
fn windows(text: &str, len: usize, max: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    if len >= chars.len() {
        return vec![text.to_owned()];
    }
    let starts: Vec<usize> = (0..chars.len() - len)
        .filter(|&i| i == 0 || chars[i - 1].is_whitespace() && !chars[i].is_whitespace())
        .collect();
    let step = (starts.len() / max).max(1);
    starts
        .iter()
        .step_by(step)
        .take(max)
        .map(|&s| chars[s..s + len].iter().collect())
        .collect()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lengths: [(Option<usize>, usize); 4] = [
        (Some(20), 400),
        (Some(100), 300),
        (Some(1000), 100),
        (None, 1),
    ];
    println!(
        "code page       |     20 chars     |    100 chars     |   1000 chars     |   whole text"
    );
    println!("----------------|------------------|------------------|------------------|-----------------");
    let mut confusions: Vec<String> = Vec::new();
    for (enc, texts) in sources(root) {
        let mut cells = Vec::new();
        for (len, max) in lengths {
            let (mut n, mut right, mut label) = (0usize, 0usize, 0usize);
            for text in &texts {
                let samples = match len {
                    Some(len) => windows(text, len, max),
                    None => vec![text.clone()],
                };
                for sample in samples {
                    let Some((truth, bytes)) = fit(&sample, enc) else {
                        continue;
                    };
                    if std::str::from_utf8(&bytes).is_ok() {
                        continue;
                    }
                    n += 1;
                    match bitext::read::decode_with(&bytes, Path::new("sample"), None) {
                        Ok((text, cp)) => {
                            let guessed = cp.map(|c| c.encoding);
                            if guessed == Some(enc) {
                                label += 1;
                            }
                            if text == truth {
                                right += 1;
                            } else if confusions.len() < 400 {
                                if std::env::var_os("SHOW").is_some() {
                                    eprintln!("{}: {truth:?} -> {text:?}", enc.name());
                                }
                                confusions.push(format!(
                                    "{} -> {}",
                                    enc.name(),
                                    guessed.map_or("UTF-8", |e| e.name())
                                ));
                            }
                        }
                        Err(_) => confusions.push(format!("{} -> error", enc.name())),
                    }
                }
            }
            let pct = |k: usize| 100.0 * k as f64 / n.max(1) as f64;
            cells.push(format!("{:5.1}% {:5.1}% {:4}", pct(right), pct(label), n));
        }
        println!("{:<15} | {}", enc.name(), cells.join(" | "));
    }
    println!();
    println!("each cell: text right, label right, samples");
    confusions.sort();
    let mut counts: Vec<(String, usize)> = Vec::new();
    for c in confusions {
        match counts.last_mut() {
            Some((last, k)) if *last == c => *k += 1,
            _ => counts.push((c, 1)),
        }
    }
    for (c, k) in counts {
        println!("wrong: {c} ({k})");
    }
}
