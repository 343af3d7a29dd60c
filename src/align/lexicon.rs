//! Bilingual dictionaries the user already has, as anchor evidence.
//!
//! A [`Lexicon`] holds word and phrase translations read from dictd databases (the format of
//! the Debian `dict-freedict-*` packages: a `.index` of base64 offsets into a dictzip'ed
//! `.dict`, as described in dictd(8) and dictfmt(1)) and from hunalign dictionaries (Varga et
//! al. 2005: one `target phrase @ source phrase` per line). For a sentence it lists the
//! entries whose phrase on that side occurs in it, as keys `~N`; a source and a target sentence
//! that share a key share a dictionary translation, which the cost model counts like any other
//! anchor (Simard et al. 1992; the lexical cue of Moore 2002 and hunalign).
//!
//! Matching is by stem: text is lower-cased, split on non-alphanumeric characters and each word
//! is stemmed with the Snowball stemmer of its language (Porter 2001); function words and
//! single letters are left out. A phrase occurs in a sentence when all its stems do, in any
//! order.
//!
//! This file matches sentences against a lexicon; `read` reads dictionaries into one.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::LazyLock;

use rust_stemmers::Stemmer;
use rustc_hash::FxHashMap;

use super::anchors::KeyBuf;
use crate::{Error, Lang};

mod read;
#[cfg(test)]
mod tests;

use read::{
    dictd_files, direction, no_usable_entry, parse_dictd, parse_hunalign, read_dict, read_file,
    Builder,
};

/// The core vocabulary ([`Lexicon::core`]).
#[cfg(test)]
const CORE_WORDS: &str = include_str!("core_words.tsv");

/// `core_words.tsv` with each form replaced by its stems (`read::core_stems`; a test keeps the
/// two in step), so that building the core lexicon stems nothing.
const CORE_STEMS: &str = include_str!("core_stems.tsv");

/// Words a thread remembers the stem of, per side, before it forgets them all.
const MEMO_CAP: usize = 1 << 18;
/// Marks a memoised word that has no stem in the lexicon (or is a function word).
const NO_STEM: u32 = u32::MAX;

/// Word translations from bilingual dictionaries, or learned from aligned text, by stem.
pub struct Lexicon {
    /// Distinguishes lexicons in the per-thread stem memo.
    id: u64,
    /// Source side (0) and target side (1).
    sides: [Side; 2],
    /// Number of entries.
    entries: usize,
    /// For a lexicon learned from aligned text ([`super::learn`]), per entry: how often the
    /// target word stood in the translation of a sentence holding the source word, and the
    /// other way round. Empty for a dictionary.
    retention: Vec<[f32; 2]>,
}

/// The first character of a dictionary entry's key and of a learned entry's key.
pub(crate) const DICTIONARY_KEY: char = '~';
/// See [`DICTIONARY_KEY`].
pub(crate) const LEARNED_KEY: char = '^';

/// One language side of a [`Lexicon`].
struct Side {
    lang: Lang,
    stemmer: Option<Stemmer>,
    /// Stem -> stem id.
    vocab: FxHashMap<Box<str>, u32>,
    /// Entries indexed under stem `s`: `post[post_start[s]..post_start[s + 1]]`.
    post_start: Vec<u32>,
    post: Vec<u32>,
    /// Stems of entry `e`'s phrase on this side: `stems[stem_start[e]..stem_start[e + 1]]`.
    stem_start: Vec<u32>,
    stems: Vec<u32>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("src", &self.sides[0].lang)
            .field("tgt", &self.sides[1].lang)
            .field("entries", &self.entries)
            .field("learned", &self.is_learned())
            .finish()
    }
}

impl Lexicon {
    /// Reads dictionaries for aligning `src` -> `tgt`. Each path is either a dictd database
    /// (`NAME.index` beside `NAME.dict.dz` or `NAME.dict`; give either file or the stem) or a
    /// hunalign dictionary (text, one `target phrase @ source phrase` per line).
    ///
    /// The languages of a dictionary come from its file name (`freedict-deu-fra`, `en-ru.dic`):
    /// one made for the other direction is read reversed, one for other languages is refused.
    /// A name that names no languages is taken as it is (dictd headwords and hunalign's right
    /// side are source).
    pub fn read(paths: &[PathBuf], src: Lang, tgt: Lang) -> Result<Lexicon, Error> {
        let mut builder = Builder::new(src, tgt);
        for path in paths {
            let before = builder.pairs.len();
            match dictd_files(path)? {
                Some((index, dict)) => {
                    let reversed = direction(&index, src, tgt)?;
                    let index_bytes = read_file(&index)?;
                    let dict_bytes = read_dict(&dict)?;
                    parse_dictd(
                        &index,
                        &index_bytes,
                        &dict,
                        &dict_bytes,
                        reversed,
                        &mut builder,
                    )?;
                }
                None => {
                    let reversed = direction(path, src, tgt)?;
                    let bytes = read_file(path)?;
                    parse_hunalign(path, &bytes, reversed, &mut builder)?;
                }
            }
            if builder.pairs.len() == before && builder.held_again == 0 {
                return Err(no_usable_entry(path));
            }
            builder.held_again = 0;
        }
        Ok(builder.finish())
    }

    /// Reads a hunalign dictionary held in memory, as [`Lexicon::read`] reads one from a file;
    /// `name` names errors and gives the direction as a file name would.
    pub fn from_hunalign(
        name: &Path,
        bytes: &[u8],
        src: Lang,
        tgt: Lang,
    ) -> Result<Lexicon, Error> {
        let mut builder = Builder::new(src, tgt);
        let reversed = direction(name, src, tgt)?;
        parse_hunalign(name, bytes, reversed, &mut builder)?;
        builder.finish_one(name)
    }

    /// Reads a dictd database held in memory: the `.index` bytes and the (decompressed) `.dict`
    /// text, as [`Lexicon::read`] reads one from files named `index_name` and `dict_name`.
    pub fn from_dictd(
        index_name: &Path,
        index: &[u8],
        dict_name: &Path,
        dict: &[u8],
        src: Lang,
        tgt: Lang,
    ) -> Result<Lexicon, Error> {
        let mut builder = Builder::new(src, tgt);
        let reversed = direction(index_name, src, tgt)?;
        parse_dictd(index_name, index, dict_name, dict, reversed, &mut builder)?;
        builder.finish_one(index_name)
    }

    /// bitext's core vocabulary between two languages (`core_words.tsv`: about 3,100
    /// frequent content words in English, Russian, German and French, written for bitext), or
    /// `None` when it lacks either language. Built once per pair and kept.
    pub fn core(src: Lang, tgt: Lang) -> Option<&'static Lexicon> {
        type Built = Vec<((Lang, Lang), Option<&'static Lexicon>)>;
        static BUILT: std::sync::Mutex<Built> = std::sync::Mutex::new(Vec::new());
        let mut built = BUILT
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, lexicon)) = built.iter().find(|(pair, _)| *pair == (src, tgt)) {
            return *lexicon;
        }
        let lexicon = read::core_words(CORE_STEMS, src, tgt).map(|l| &*Box::leak(Box::new(l)));
        built.push(((src, tgt), lexicon));
        lexicon
    }

    /// Number of entries (source-target phrase pairs) held.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// True when the lexicon holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// True for a lexicon learned from aligned text rather than read from a dictionary.
    pub fn is_learned(&self) -> bool {
        !self.retention.is_empty()
    }

    /// For entry `e` of a learned lexicon: the share of training sentence pairs whose target
    /// held the entry's target word when the source held its source word, and the reverse.
    pub(crate) fn retention(&self, e: usize) -> Option<[f32; 2]> {
        self.retention.get(e).copied()
    }

    /// The entry pairs of a learned lexicon as (source stem, target stem, retention), in
    /// entry order (for reports and tests).
    pub fn learned_entries(&self) -> Vec<(String, String, [f32; 2])> {
        let word = |side: usize, e: usize| {
            let s = &self.sides[side];
            let stems = s.phrase(e as u32);
            stems
                .iter()
                .filter_map(|&t| s.vocab.iter().find(|(_, &id)| id == t).map(|(w, _)| &**w))
                .collect::<Vec<_>>()
                .join(" ")
        };
        self.retention
            .iter()
            .enumerate()
            .map(|(e, &r)| (word(0, e), word(1, e), r))
            .collect()
    }

    /// Appends to `out` one key `~N` (N = entry number; `^N` in a learned lexicon) per entry
    /// whose `side` phrase (0 source, 1 target) occurs in `text`, each entry once. A `side`
    /// above 1 appends nothing.
    pub fn keys_into(&self, side: usize, text: &str, out: &mut KeyBuf) {
        let mark = if self.is_learned() {
            LEARNED_KEY
        } else {
            DICTIONARY_KEY
        };
        let mut key = String::new();
        self.each_entry(side, text, |e| {
            key.clear();
            key.push(mark);
            crate::text::push_decimal(&mut key, u64::from(e));
            out.push(&key);
        });
    }

    /// Appends to `out` the number of each entry whose `side` phrase occurs in `text`, each
    /// entry once, ascending: the entries [`Lexicon::keys_into`] writes as keys.
    pub(crate) fn entries_into(&self, side: usize, text: &str, out: &mut Vec<u32>) {
        let from = out.len();
        self.each_entry(side, text, |e| out.push(e));
        out[from..].sort_unstable();
    }

    /// Calls `f` with each entry whose `side` phrase occurs in `text`, once each.
    fn each_entry(&self, side: usize, text: &str, mut f: impl FnMut(u32)) {
        let Some(s) = self.sides.get(side) else {
            return;
        };
        if self.entries == 0 {
            return;
        }
        let mut run = |scratch: &mut Scratch| {
            let Scratch {
                word,
                found,
                memos,
                stem,
            } = scratch;
            let memo = memo_of(memos, self.id, side);
            found.clear();
            for_each_word(text, word, |w| {
                let id = match memo.get(w) {
                    Some(&id) => id,
                    None => {
                        let id = s.stem_id(w, stem);
                        if memo.len() >= MEMO_CAP {
                            memo.clear();
                        }
                        memo.insert(w.into(), id);
                        id
                    }
                };
                if id != NO_STEM {
                    found.push(id);
                }
            });
            found.sort_unstable();
            found.dedup();
            for &stem in found.iter() {
                for &e in s.postings(stem) {
                    if s.phrase(e).iter().all(|t| found.binary_search(t).is_ok()) {
                        f(e);
                    }
                }
            }
        };
        let done = SCRATCH
            .try_with(|cell| match cell.try_borrow_mut() {
                Ok(mut scratch) => {
                    run(&mut scratch);
                    true
                }
                Err(_) => false,
            })
            .unwrap_or(false);
        if !done {
            run(&mut Scratch::default());
        }
    }
}

/// Buffers reused from sentence to sentence by [`Lexicon::each_entry`], one set per thread.
#[derive(Default)]
struct Scratch {
    /// The current word, lower-cased.
    word: String,
    /// Stem ids of the sentence.
    found: Vec<u32>,
    /// Word -> stem id (or [`NO_STEM`]), per side, of the lexicons used last.
    memos: Vec<Memo>,
    /// The current word's stem.
    stem: String,
}

/// Stems already looked up, for the two sides of one lexicon.
#[derive(Default)]
struct Memo {
    owner: u64,
    /// When it was last used ([`Scratch::memos`]' clock: the largest is the latest).
    used: u64,
    maps: [FxHashMap<Box<str>, u32>; 2],
}

/// Lexicons a thread keeps the memos of: a document's passes alternate between the core
/// vocabulary (its document score), the learned words and a dictionary, and the core
/// vocabulary serves every document of a batch; one memo would be emptied at each switch.
const MEMO_SLOTS: usize = 3;

/// The memo of side `side` of lexicon `owner`, made (in the least recently used slot) when
/// missing.
fn memo_of(memos: &mut Vec<Memo>, owner: u64, side: usize) -> &mut FxHashMap<Box<str>, u32> {
    let clock = memos.iter().map(|m| m.used).max().unwrap_or(0) + 1;
    let at = match memos.iter().position(|m| m.owner == owner) {
        Some(at) => at,
        None if memos.len() < MEMO_SLOTS => {
            memos.push(Memo::default());
            memos.len() - 1
        }
        None => {
            let at = memos
                .iter()
                .enumerate()
                .min_by_key(|(_, m)| m.used)
                .map_or(0, |(at, _)| at);
            memos[at].maps.iter_mut().for_each(FxHashMap::clear);
            at
        }
    };
    let memo = &mut memos[at];
    memo.owner = owner;
    memo.used = clock;
    &mut memo.maps[side & 1]
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
    /// Word -> stem, per language, on this thread: a Snowball stem costs thousands of
    /// instructions, and the same words come back in every pass, lexicon and document of a
    /// run (a document's words are stemmed once instead of once per lexicon and pass).
    static STEM_CACHE: RefCell<FxHashMap<Lang, StemMap>> = RefCell::new(FxHashMap::default());
}

/// Word -> stem, of one language.
type StemMap = FxHashMap<Box<str>, Box<str>>;

/// Words a thread keeps the stems of, per language: the first ones met, which are the
/// frequent ones (Zipf), in a table small enough to stay in the processor's cache; a rarer
/// word is stemmed each time (a large table costs more in cache misses than the stemmer).
const STEM_CACHE_CAP: usize = 1 << 14;

/// Lexicon ids, from 1 (0 is the empty memo's owner).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl Side {
    fn new(lang: Lang) -> Side {
        Side {
            lang,
            // A language without a stemmer matches words whole (`stem` below).
            stemmer: lang.profile().stemmer.map(Stemmer::create),
            vocab: FxHashMap::default(),
            post_start: Vec::new(),
            post: Vec::new(),
            stem_start: vec![0],
            stems: Vec::new(),
        }
    }

    /// The stem id of a lower-cased word, or [`NO_STEM`] for a function word or a stem that no
    /// entry has.
    fn stem_id(&self, word: &str, stem: &mut String) -> u32 {
        if is_stop(self.lang, word) {
            return NO_STEM;
        }
        self.stem_into(word, stem);
        self.vocab.get(stem.as_str()).copied().unwrap_or(NO_STEM)
    }

    /// Puts the stem of a lower-cased word in `out` (the word itself for a language without a
    /// stemmer), from this thread's [`STEM_CACHE`] when the word was stemmed before.
    fn stem_into(&self, word: &str, out: &mut String) {
        out.clear();
        let Some(stemmer) = &self.stemmer else {
            out.push_str(word);
            return;
        };
        let cached = STEM_CACHE.try_with(|cell| {
            let mut cache = cell.try_borrow_mut().ok()?;
            let map = cache.entry(self.lang).or_default();
            if let Some(stem) = map.get(word) {
                out.push_str(stem);
                return Some(());
            }
            let stem = stemmer.stem(word);
            out.push_str(&stem);
            if map.len() < STEM_CACHE_CAP {
                map.insert(word.into(), stem.into());
            }
            Some(())
        });
        if cached.ok().flatten().is_none() {
            out.push_str(&stemmer.stem(word));
        }
    }

    fn postings(&self, stem: u32) -> &[u32] {
        let s = stem as usize;
        match (self.post_start.get(s), self.post_start.get(s + 1)) {
            (Some(&a), Some(&b)) => self.post.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    fn phrase(&self, entry: u32) -> &[u32] {
        let e = entry as usize;
        match (self.stem_start.get(e), self.stem_start.get(e + 1)) {
            (Some(&a), Some(&b)) => self.stems.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }
}

/// The content-word stems of a language, as a lexicon matches them: words lower-cased, function
/// words and single letters left out, the rest stemmed.
pub(crate) struct Stems {
    side: Side,
    word: String,
    stem: String,
}

impl Stems {
    /// The stemmer of `lang` (words are kept whole for a language without one).
    pub(crate) fn new(lang: Lang) -> Stems {
        Stems {
            side: Side::new(lang),
            word: String::new(),
            stem: String::new(),
        }
    }

    /// Calls `f` with the stem of each content word of `text`, in order.
    pub(crate) fn each(&mut self, text: &str, mut f: impl FnMut(&str)) {
        let Stems { side, word, stem } = self;
        for_each_word(text, word, |w| {
            if !is_stop(side.lang, w) {
                side.stem_into(w, stem);
                f(stem);
            }
        });
    }
}

/// Calls `f` with each word of `text`: a maximal run of alphanumeric characters, lower-cased,
/// with Russian ё as е and without combining marks.
/// True for a char of a range that holds no combining mark (Latin up to U+02FF, the Cyrillic
/// letters): most chars of Latin and Cyrillic text skip the table lookup.
fn is_plain_letter_range(c: char) -> bool {
    matches!(c, '\0'..='\u{2ff}' | '\u{400}'..='\u{482}' | '\u{48a}'..='\u{52f}')
}

fn for_each_word(text: &str, word: &mut String, mut f: impl FnMut(&str)) {
    word.clear();
    for c in text.chars() {
        if !is_plain_letter_range(c) && unicode_normalization::char::is_combining_mark(c) {
            // A stress mark (за́мок) or other accent with no composed form: not part of the
            // spelling compared.
            continue;
        }
        if c.is_alphanumeric() {
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                for l in c.to_lowercase() {
                    word.push(if l == 'ё' { 'е' } else { l });
                }
            }
        } else if !word.is_empty() {
            f(word);
            word.clear();
        }
    }
    if !word.is_empty() {
        f(word);
        word.clear();
    }
}

/// True for a function word of `lang` or a single character (`l'`, `s`, `и`), which is no
/// evidence that two sentences translate each other.
fn is_stop(lang: Lang, word: &str) -> bool {
    let mut chars = word.chars();
    if chars.next().is_none() || chars.next().is_none() {
        return true;
    }
    lang != Lang::Other && function_word_langs(word) >> lang.index() & 1 == 1
}

/// The languages (bit `Lang::index`) whose function-word lists hold a lower-cased word: one
/// lookup for all of them, as a language check counts each language's function words.
pub(crate) fn function_word_langs(word: &str) -> u32 {
    FUNCTION_WORD_LANGS.get(word).copied().unwrap_or(0)
}

/// Every function word, with the languages whose lists hold it.
static FUNCTION_WORD_LANGS: LazyLock<FxHashMap<&'static str, u32>> = LazyLock::new(|| {
    let mut map = FxHashMap::default();
    for (lang, list) in [Lang::En, Lang::Ru, Lang::De, Lang::Fr]
        .into_iter()
        .zip([STOP_EN, STOP_RU, STOP_DE, STOP_FR])
    {
        for word in list.split_whitespace() {
            *map.entry(word).or_insert(0) |= 1 << lang.index();
        }
    }
    map
});

/// English function words (articles, pronouns, prepositions, conjunctions, auxiliaries).
const STOP_EN: &str =
    "about all also am an and any are as at be been being but by can could did do \
     does for from had has have he her him his how if in into is it its may me might \
     must my no nor not of off on onto or our out shall she should so some such than \
     that the their them then there these they this those to too up upon us very was \
     we were what when where which who whom whose why will with would you your";
/// Russian function words (ё written е, as words are compared).
const STOP_RU: &str =
    "а без бы был была были было быть в вам вас во вот все всех вы где да для до его \
     ее ей ему если есть еще же за и из или им их к как ко кто ли мне мы на над нам \
     нас не него нее ней нет ни них но о об он она они оно от по под при про с со так \
     также там те тем то того том тот ту ты у уже чем что чтобы эта эти это этого \
     этой этом этот эту я";
/// German function words.
const STOP_DE: &str =
    "aber als am an auch auf aus bei bin bis bist da dann das dass daß dem den der \
     des die dies diese diesem diesen dieser dieses doch du durch ein eine einem \
     einen einer eines er es für hat haben hatte hier ich ihm ihn ihr ihre im in ins \
     ist kein keine man mit nach nicht noch nur ob oder ohne sein seine sich sie sind \
     so um und uns unter vom von vor war waren was wenn wer werden wie wir wird wo \
     wurde wurden zu zum zur über";
/// French function words.
const STOP_FR: &str =
    "ai au aux avec avez avoir avons ce ces cet cette dans de des donc du elle elles \
     en es est et eu ils je la le les leur leurs lui ma mais me mes mon ne ni nos \
     notre nous on ont ou où par pas pour qu que qui sa se ses son sont sur ta te tes \
     ton tu un une vos votre vous à était été être";
