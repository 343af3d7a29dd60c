//! Reading dictionaries into a [`Lexicon`]: dictd databases (a `.index` of base64 offsets into
//! a dictzip'ed `.dict`, as dictd(8) and dictfmt(1) describe them) and hunalign dictionaries
//! (Varga et al. 2005: `target phrase @ source phrase` a line), each entry stemmed into phrases
//! of stems by [`Builder`], and the learned lexicons of [`super::super::learn`].

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use rustc_hash::{FxHashMap, FxHashSet};
use unicode_normalization::UnicodeNormalization;

use super::{for_each_word, is_stop, Lexicon, Side, NEXT_ID};
use crate::{Error, Lang};

/// A decompressed `.dict` larger than this is refused (a dictzip bomb would otherwise fill
/// memory); the largest FreeDict database is about 60 MB.
const MAX_DICT_BYTES: u64 = 1 << 31;

/// Collects entries while the dictionaries are read.
pub(super) struct Builder {
    sides: [Side; 2],
    /// Phrase (sorted stem ids) -> phrase id, per side.
    phrases: [FxHashMap<Vec<u32>, u32>; 2],
    /// Stems of each phrase, per side.
    phrase_stems: [Vec<Vec<u32>>; 2],
    /// Entries as (source phrase id, target phrase id), in order, and their set.
    pub(super) pairs: Vec<(u32, u32)>,
    seen: FxHashSet<(u32, u32)>,
    /// Pairs of the current file that were already held (from an earlier file).
    pub(super) held_again: usize,
    word: String,
    /// The current word's stem.
    stem: String,
    /// The current phrase's stems, separated by spaces.
    stems: String,
    ids: Vec<u32>,
}

/// Puts in `out` the stems of the content words of `phrase` as a lexicon of `side`'s language
/// matches them (normalised to NFC, lower-cased, function words left out), separated by
/// spaces; false for a phrase of only function words or with no letter.
fn phrase_stems(
    side: &Side,
    phrase: &str,
    word: &mut String,
    stem: &mut String,
    out: &mut String,
) -> bool {
    out.clear();
    if !phrase.chars().any(char::is_alphabetic) {
        return false;
    }
    let phrase: String = phrase.nfc().collect();
    let mut any_letter = false;
    for_each_word(&phrase, word, |w| {
        if is_stop(side.lang, w) {
            return;
        }
        any_letter |= w.chars().any(char::is_alphabetic);
        side.stem_into(w, stem);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(stem);
    });
    any_letter
}

impl Builder {
    /// The lexicon of a builder fed one dictionary (`path`), or the error for one that gave
    /// no entry.
    pub(super) fn finish_one(self, path: &Path) -> Result<Lexicon, Error> {
        if self.pairs.is_empty() {
            return Err(no_usable_entry(path));
        }
        Ok(self.finish())
    }

    pub(super) fn new(src: Lang, tgt: Lang) -> Builder {
        Builder::with_capacity(src, tgt, 0)
    }

    /// A builder with room for about `phrases` phrases a side and as many entries (growing
    /// maps rehash every key they hold).
    fn with_capacity(src: Lang, tgt: Lang, phrases: usize) -> Builder {
        let mut sides = [Side::new(src), Side::new(tgt)];
        for side in &mut sides {
            side.vocab.reserve(phrases);
        }
        let map = || FxHashMap::with_capacity_and_hasher(phrases, Default::default());
        Builder {
            sides,
            phrases: [map(), map()],
            phrase_stems: [Vec::with_capacity(phrases), Vec::with_capacity(phrases)],
            pairs: Vec::with_capacity(phrases),
            seen: FxHashSet::with_capacity_and_hasher(phrases, Default::default()),
            held_again: 0,
            word: String::new(),
            stem: String::new(),
            stems: String::new(),
            ids: Vec::new(),
        }
    }

    /// The phrase id of `phrase` on `side`, or `None` for a phrase of only function words or
    /// with no letter.
    fn phrase(&mut self, side: usize, phrase: &str) -> Option<u32> {
        let mut stems = std::mem::take(&mut self.stems);
        let usable = phrase_stems(
            &self.sides[side],
            phrase,
            &mut self.word,
            &mut self.stem,
            &mut stems,
        );
        let id = usable.then(|| self.stems_phrase(side, &stems));
        self.stems = stems;
        id
    }

    /// The phrase id of the stems `stems` (separated by spaces, at least one) on `side`.
    fn stems_phrase(&mut self, side: usize, stems: &str) -> u32 {
        let s = &mut self.sides[side];
        let ids = &mut self.ids;
        ids.clear();
        for stem in stems.split(' ') {
            let next = s.vocab.len() as u32;
            let id = match s.vocab.get(stem) {
                Some(&id) => id,
                None => {
                    s.vocab.insert(stem.into(), next);
                    next
                }
            };
            ids.push(id);
        }
        ids.sort_unstable();
        ids.dedup();
        let phrases = &mut self.phrases[side];
        if let Some(&id) = phrases.get(ids.as_slice()) {
            return id;
        }
        let id = self.phrase_stems[side].len() as u32;
        phrases.insert(ids.clone(), id);
        self.phrase_stems[side].push(ids.clone());
        id
    }

    /// Adds the entry `src` = `tgt` unless a phrase is unusable or the entry is held already.
    pub(super) fn add(&mut self, src: &str, tgt: &str) {
        let (Some(s), Some(t)) = (self.phrase(0, src), self.phrase(1, tgt)) else {
            return;
        };
        self.add_ids(s, t);
    }

    /// Adds the entry of source phrase `s` and target phrase `t` (ids of [`Builder::phrase`]).
    fn add_ids(&mut self, s: u32, t: u32) {
        if self.seen.insert((s, t)) {
            self.pairs.push((s, t));
        } else {
            self.held_again += 1;
        }
    }

    /// The phrase id of the single stem `stem` on `side`.
    fn stem_phrase(&mut self, side: usize, stem: &str) -> u32 {
        let s = &mut self.sides[side];
        let next = s.vocab.len() as u32;
        let id = *s.vocab.entry(stem.into()).or_insert(next);
        let phrases = &mut self.phrases[side];
        if let Some(&p) = phrases.get([id].as_slice()) {
            return p;
        }
        let p = self.phrase_stems[side].len() as u32;
        phrases.insert(vec![id], p);
        self.phrase_stems[side].push(vec![id]);
        p
    }

    pub(super) fn finish(self) -> Lexicon {
        let Builder {
            mut sides,
            phrase_stems,
            pairs,
            ..
        } = self;
        for (side, s) in sides.iter_mut().enumerate() {
            let phrase_of = |&(a, b): &(u32, u32)| if side == 0 { a } else { b };
            // Each entry is indexed under the stem of its phrase that fewest entries have.
            let mut df = vec![0u32; s.vocab.len()];
            for pair in &pairs {
                for &t in phrase_stems[side]
                    .get(phrase_of(pair) as usize)
                    .into_iter()
                    .flatten()
                {
                    df[t as usize] += 1;
                }
            }
            let mut key_of = Vec::with_capacity(pairs.len());
            let mut count = vec![0u32; s.vocab.len() + 1];
            for pair in &pairs {
                let stems = phrase_stems[side]
                    .get(phrase_of(pair) as usize)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                s.stems.extend_from_slice(stems);
                s.stem_start.push(s.stems.len() as u32);
                let key = stems.iter().copied().min_by_key(|&t| df[t as usize]);
                if let Some(k) = key {
                    count[k as usize + 1] += 1;
                }
                key_of.push(key);
            }
            for i in 1..count.len() {
                count[i] += count[i - 1];
            }
            s.post_start = count.clone();
            s.post = vec![0; pairs.len()];
            let mut fill = count;
            for (e, key) in key_of.iter().enumerate() {
                if let Some(k) = key {
                    let slot = &mut fill[*k as usize];
                    s.post[*slot as usize] = e as u32;
                    *slot += 1;
                }
            }
            s.post.truncate(fill.last().copied().unwrap_or(0) as usize);
        }
        Lexicon {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            sides,
            entries: pairs.len(),
            retention: Vec::new(),
        }
    }
}

impl Lexicon {
    /// A learned lexicon of single-stem entries `(source stem, target stem, retention)` (see
    /// [`Lexicon::retention`]); `None` when `entries` is empty.
    pub(crate) fn learned(
        src: Lang,
        tgt: Lang,
        entries: &[(&str, &str, [f32; 2])],
    ) -> Option<Lexicon> {
        let mut builder = Builder::new(src, tgt);
        let mut retention = Vec::with_capacity(entries.len());
        for &(s, t, r) in entries {
            let (s, t) = (builder.stem_phrase(0, s), builder.stem_phrase(1, t));
            if builder.seen.insert((s, t)) {
                builder.pairs.push((s, t));
                retention.push(r);
            }
        }
        if retention.is_empty() {
            return None;
        }
        let mut lexicon = builder.finish();
        lexicon.retention = retention;
        Some(lexicon)
    }
}

/// The error for a dictionary that added no entry.
pub(super) fn no_usable_entry(path: &Path) -> Error {
    Error::input(
        path,
        "the dictionary holds no usable entry (every phrase is empty, numbers or function words)",
    )
}

/// The `.index` and `.dict(.dz)` of a dictd database named by `path`, or `None` when `path`
/// is not one (a hunalign dictionary).
pub(super) fn dictd_files(path: &Path) -> Result<Option<(PathBuf, PathBuf)>, Error> {
    let name = path.to_string_lossy();
    let with = |stem: &str, ext: &str| PathBuf::from(format!("{stem}{ext}"));
    let (stem, dict) = if let Some(stem) = name.strip_suffix(".index") {
        (stem, None)
    } else if let Some(stem) = name.strip_suffix(".dict.dz") {
        (stem, Some(path.to_path_buf()))
    } else if let Some(stem) = name.strip_suffix(".dict") {
        (stem, Some(path.to_path_buf()))
    } else if with(&name, ".index").is_file() {
        (name.as_ref(), None)
    } else {
        return Ok(None);
    };
    let index = with(stem, ".index");
    let dict = match dict {
        Some(d) => d,
        None => {
            let dz = with(stem, ".dict.dz");
            let plain = with(stem, ".dict");
            if dz.is_file() {
                dz
            } else if plain.is_file() {
                plain
            } else {
                return Err(Error::input(
                    path,
                    format!(
                        "dictd database without its text: neither {} nor {} exists",
                        dz.display(),
                        plain.display()
                    ),
                ));
            }
        }
    };
    Ok(Some((index, dict)))
}

pub(super) fn read_file(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

/// The text of a `.dict` or, decompressed, a `.dict.dz` (dictzip is gzip with an extra header
/// field that gzip readers skip).
pub(super) fn read_dict(path: &Path) -> Result<Vec<u8>, Error> {
    let bytes = read_file(path)?;
    if !path.to_string_lossy().ends_with(".dz") {
        return Ok(bytes);
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes.as_slice())
        .take(MAX_DICT_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| Error::input(path, format!("not a dictzip (gzip) file: {e}")))?;
    if out.len() as u64 > MAX_DICT_BYTES {
        return Err(Error::input(
            path,
            format!("decompresses to more than {MAX_DICT_BYTES} bytes"),
        ));
    }
    Ok(out)
}

/// The language of a file-name part that is an ISO 639-1/639-3 code; `Some(Other)` for any
/// other three-letter part.
fn code_lang(part: &str) -> Option<Lang> {
    let other = part.len() == 3 && part.bytes().all(|b| b.is_ascii_alphabetic());
    Lang::from_code(part).or(other.then_some(Lang::Other))
}

/// Whether the dictionary at `path` must be read reversed for `src` -> `tgt`, from the two
/// language codes in its file name (`freedict-deu-fra.index`, `en-ru.dic`); `false` when the
/// name has none. A dictionary for other languages is an error.
pub(super) fn direction(path: &Path, src: Lang, tgt: Lang) -> Result<bool, Error> {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy())
        .unwrap_or_default();
    let base = file.split('.').next().unwrap_or_default();
    let parts: Vec<&str> = base.split(['-', '_']).collect();
    let langs = parts.windows(2).rev().find_map(|w| {
        let (a, b) = (code_lang(w[0])?, code_lang(w[1])?);
        (a != Lang::Other || b != Lang::Other).then_some((a, b, w[0], w[1]))
    });
    let Some((a, b, a_code, b_code)) = langs else {
        return Ok(false);
    };
    if (a, b) == (src, tgt) {
        Ok(false)
    } else if (b, a) == (src, tgt) {
        Ok(true)
    } else {
        Err(Error::input(
            path,
            format!(
                "the file name says this dictionary is {a_code} -> {b_code}, which is neither \
                 {src} -> {tgt} nor {tgt} -> {src} (the languages being aligned)"
            ),
        ))
    }
}

/// Reads a hunalign dictionary: every line `target phrase @ source phrase`.
pub(super) fn parse_hunalign(
    path: &Path,
    bytes: &[u8],
    reversed: bool,
    builder: &mut Builder,
) -> Result<(), Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::from(crate::error::ErrorKind::Decode {
            path: path.to_path_buf(),
            encoding: "UTF-8",
            byte: e.valid_up_to() as u64,
        })
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (n, line) in text.lines().enumerate() {
        let line_no = n as u64 + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            return Err(Error::syntax(
                path,
                line_no,
                "blank line (a hunalign dictionary has one `target @ source` per line)",
            ));
        }
        let mut halves = line.split(" @ ");
        let (Some(target), Some(source), None) = (halves.next(), halves.next(), halves.next())
        else {
            return Err(Error::syntax(
                path,
                line_no,
                "expected `target phrase @ source phrase` (exactly one ` @ `)",
            ));
        };
        let (target, source) = (target.trim(), source.trim());
        if target.is_empty() || source.is_empty() {
            return Err(Error::syntax(
                path,
                line_no,
                "empty phrase on one side of ` @ `",
            ));
        }
        if reversed {
            builder.add(target, source);
        } else {
            builder.add(source, target);
        }
    }
    Ok(())
}

/// Decodes a dictd base64 number (alphabet `A-Za-z0-9+/`, most significant digit first).
pub(super) fn b64_decode(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.bytes().try_fold(0u64, |acc, c| {
        let d = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc.checked_mul(64)?.checked_add(u64::from(d))
    })
}

/// Reads a dictd database: the `.index` (`headword TAB offset TAB length`) and the
/// decompressed `.dict` text its offsets point into.
pub(super) fn parse_dictd(
    index_path: &Path,
    index: &[u8],
    dict_path: &Path,
    dict: &[u8],
    reversed: bool,
    builder: &mut Builder,
) -> Result<(), Error> {
    let index_text = std::str::from_utf8(index).map_err(|e| {
        Error::from(crate::error::ErrorKind::Decode {
            path: index_path.to_path_buf(),
            encoding: "UTF-8",
            byte: e.valid_up_to() as u64,
        })
    })?;
    let mut done = FxHashSet::default();
    let mut translations = Vec::new();
    for (n, line) in index_text.lines().enumerate() {
        let line_no = n as u64 + 1;
        if line.is_empty() {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(headword), Some(offset), Some(length)) =
            (fields.next(), fields.next(), fields.next())
        else {
            return Err(Error::syntax(
                index_path,
                line_no,
                "expected `headword<TAB>offset<TAB>length`",
            ));
        };
        if headword.starts_with("00database") || headword.starts_with("00-database") {
            continue;
        }
        let (Some(offset), Some(length)) = (b64_decode(offset), b64_decode(length)) else {
            return Err(Error::syntax(
                index_path,
                line_no,
                format!(
                    "entry '{headword}': offset '{offset}' or length '{length}' is not a dictd \
                     base64 number (A-Za-z0-9+/)"
                ),
            ));
        };
        if !done.insert(offset) {
            continue;
        }
        let range = usize::try_from(offset)
            .ok()
            .zip(usize::try_from(offset.saturating_add(length)).ok());
        let Some(bytes) = range.and_then(|(a, b)| dict.get(a..b)) else {
            return Err(Error::syntax(
                index_path,
                line_no,
                format!(
                    "entry '{headword}': bytes {offset}..{} lie beyond the end of {} ({} bytes \
                     of text)",
                    offset.saturating_add(length),
                    dict_path.display(),
                    dict.len()
                ),
            ));
        };
        let entry = std::str::from_utf8(bytes).map_err(|e| {
            Error::input(
                dict_path,
                format!(
                    "entry '{headword}' (line {line_no} of {}): invalid UTF-8 at byte {} of \
                     the text",
                    index_path.display(),
                    offset + e.valid_up_to() as u64
                ),
            )
        })?;
        let Some(head) = dictd_entry(entry, &mut translations) else {
            continue;
        };
        for t in translations.drain(..) {
            if reversed {
                builder.add(&t, head);
            } else {
                builder.add(head, &t);
            }
        }
    }
    Ok(())
}

/// The headword of a dictd entry, with its translations appended to `out`: the words of the
/// line after the header and of every later line that starts with a sense number `N. `.
pub(super) fn dictd_entry<'a>(entry: &'a str, out: &mut Vec<String>) -> Option<&'a str> {
    let mut lines = entry.lines().skip_while(|l| l.trim().is_empty());
    let header = lines.next()?;
    let cut = [header.find(" /"), header.find(" <")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(header.len());
    let head = header.get(..cut).unwrap_or(header).trim();
    if head.is_empty() {
        return None;
    }
    for (i, line) in lines.enumerate() {
        let body = match sense_number(line) {
            Some(rest) => rest,
            None if i == 0 => line,
            None => continue,
        };
        translations_of(body, out);
    }
    Some(head)
}

/// The rest of `line` after a leading sense number `N. `, if it has one.
fn sense_number(line: &str) -> Option<&str> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    line.get(digits..)?.strip_prefix(". ")
}

/// Appends the translations of one line: without a trailing sub-sense marker ` N.`,
/// parenthesised notes and wiki-link displays (`établir#s’établir` is `établir`), split on `,`
/// and `;`.
fn translations_of(line: &str, out: &mut Vec<String>) {
    let mut line = line.trim_end();
    if let Some(rest) = line.strip_suffix('.') {
        let digits = rest.bytes().rev().take_while(u8::is_ascii_digit).count();
        let before = rest.len() - digits;
        if digits > 0 && (before == 0 || rest.as_bytes().get(before - 1) == Some(&b' ')) {
            line = rest.get(..before).unwrap_or_default();
        }
    }
    let mut piece = String::new();
    let mut in_paren = false;
    let mut in_link = false;
    for c in line.chars().chain(std::iter::once(',')) {
        match c {
            '(' => in_paren = true,
            ')' => in_paren = false,
            '#' => in_link = true,
            ',' | ';' if !in_paren => {
                let t = piece.trim();
                if !t.is_empty() {
                    out.push(t.to_string());
                }
                piece.clear();
                in_link = false;
            }
            _ if in_paren || in_link => {}
            _ => piece.push(c),
        }
    }
}

/// The lexicon of the columns of `src` and `tgt` in a core vocabulary table (`#` comments, a
/// header of language codes, then one concept a line, its forms in each language separated
/// by `|`): every source form of a concept paired with every target form. `stemmed` is the
/// same table with each form replaced by its stems ([`core_stems`]), so that no word is
/// stemmed here. `None` when the table lacks either language or holds no usable pair.
pub(super) fn core_words(stemmed: &str, src: Lang, tgt: Lang) -> Option<Lexicon> {
    let mut lines = table_lines(stemmed);
    let header: Vec<&str> = lines.next()?.split('\t').collect();
    let column = |lang: Lang| header.iter().position(|&code| code == lang.code());
    let (s, t) = (column(src)?, column(tgt)?);
    // Room for a few forms per concept (one a line), on either side.
    let mut builder = Builder::with_capacity(src, tgt, 2 * stemmed.lines().count());
    let (mut from_ids, mut to_ids) = (Vec::new(), Vec::new());
    for line in lines {
        let (mut from, mut to) = (None, None);
        for (k, cell) in line.split('\t').enumerate() {
            if k == s {
                from = Some(cell);
            }
            if k == t {
                to = Some(cell);
            }
        }
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        from_ids.clear();
        from_ids.extend(
            from.split('|')
                .filter(|f| !f.is_empty())
                .map(|f| builder.stems_phrase(0, f)),
        );
        to_ids.clear();
        to_ids.extend(
            to.split('|')
                .filter(|f| !f.is_empty())
                .map(|f| builder.stems_phrase(1, f)),
        );
        for &a in &from_ids {
            for &b in &to_ids {
                builder.add_ids(a, b);
            }
        }
    }
    (!builder.pairs.is_empty()).then(|| builder.finish())
}

/// The data lines of a table: neither comments nor blank.
fn table_lines(table: &str) -> impl Iterator<Item = &str> {
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
}

/// The core vocabulary table `table` with each form replaced by its stems as a lexicon matches
/// them (separated by spaces; empty for a form of only function words): what `core_stems.tsv`
/// holds, checked against the stemmer by a test.
#[cfg(test)]
pub(super) fn core_stems(table: &str) -> String {
    let mut lines = table_lines(table);
    let Some(header) = lines.next() else {
        return String::new();
    };
    let sides: Vec<Option<Side>> = header
        .split('\t')
        .map(|code| Lang::from_code(code).map(Side::new))
        .collect();
    let mut out = String::from(
        "# Generated from core_words.tsv: each form replaced by its stems, separated by spaces\n\
         # (empty: only function words). Do not edit; `BITEXT_BLESS=1 cargo test core_stems`\n\
         # writes it again after core_words.tsv or the stemmer changes.\n",
    );
    out.push_str(header);
    out.push('\n');
    let (mut word, mut stem, mut stems) = (String::new(), String::new(), String::new());
    for line in lines {
        for (k, cell) in line.split('\t').enumerate() {
            if k > 0 {
                out.push('\t');
            }
            for (f, form) in cell.split('|').enumerate() {
                if f > 0 {
                    out.push('|');
                }
                if let Some(Some(side)) = sides.get(k) {
                    if phrase_stems(side, form, &mut word, &mut stem, &mut stems) {
                        out.push_str(&stems);
                    }
                }
            }
        }
        out.push('\n');
    }
    out
}
