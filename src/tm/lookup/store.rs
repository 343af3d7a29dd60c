//! The persistent [`Index`] (`bitext tm index TM -o INDEX`): the index's arrays written one
//! after another in a small binary format, read back with plain reads (no parsing of the
//! memory, no tokenising, no hashing of units), so a lookup in a million-unit memory starts in
//! a fraction of a second instead of the seconds reading the memory takes.
//!
//! # Format (version 2, little-endian)
//!
//! | what | encoding |
//! |---|---|
//! | magic | the 16 bytes [`MAGIC`] (`bitext tm index` and a line feed) |
//! | version | `u32` ([`VERSION`]), then a reserved `u32` (0) |
//! | the memory | its path as given (string), size `u64`, modification time `i64` seconds and `u32` nanoseconds (`u32` 0 after them) |
//! | source language | `u8` 0 (each unit's own) or 1 then the tag (string) |
//! | units skipped | `u64` |
//! | vocabulary | token count `u64`; each token: string, class `u8`, lower-cased form id `u32`; lower-cased forms: count `u64`, each a string |
//! | language tags | count `u64`, each a string |
//! | records | count `u64`, each: unit number `u64`, offset in the text `u64`, five lengths `u32`, two language ids `u16`, has-tuid `u8`, three bytes 0 |
//! | tokens | count `u64`, then `u32` ids; per unit where its tokens start: count + 1 `u64`s |
//! | postings | list count `u64`, then list ends `u64` each, then all lists' unit ranks `u32` (a unit's rank: its place when units are ordered by source weight, then ordinal; version 1 held ordinals) |
//! | repeated tokens | count `u64`, each: lower-cased form id `u32` and `k` `u32` (>= 2); then their lists of the units holding the form at least `k` times, as the postings |
//! | kept text | length `u64`, UTF-8 bytes (last, so that it can be left on disk) |
//! | end | the 8 bytes `end` and five NULs, then the end of the file |
//!
//! A string is a `u32` byte length and the UTF-8 bytes. Reading checks every length against
//! what is left of the file before allocating, and every id and offset against what it points
//! into (token ids, language ids, text ranges, token starts in order, postings ascending and
//! within the units), so a truncated, corrupt or foreign file is an error naming the file and
//! the byte offset where it went wrong, never a panic; per-unit weights are recomputed from the
//! tokens rather than trusted. The kept text (half the file) is not read with the rest:
//! [`Index::read_file`] leaves it on disk and reads a unit's strings when a match shows it (a
//! few per query), checked as UTF-8 then; a unit whose bytes were damaged into invalid UTF-8 is
//! left out of the results. (Damage that keeps every id in range and the text valid — a changed letter — is
//! not detected: the file carries no checksum, whose computation would cost as much.)
//!
//! The memory's size and modification time are recorded so that a lookup can say when the
//! memory changed after the index was built ([`Stamp::changed`]).

use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap;

use super::index::{ranks_by_weight, Index, Record, NO_LANG};
use super::token::{weight, Class, Vocab};
use crate::error::{Error, Result};

/// The first bytes of an index file.
pub const MAGIC: &[u8; 16] = b"bitext tm index\n";
/// The format version written; reading refuses any other.
pub const VERSION: u32 = 2;
/// The last bytes of an index file.
const END: &[u8; 8] = b"end\0\0\0\0\0";

/// The memory an index was built from, as it was then: to tell later whether it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The memory's path, as given to `bitext tm index` (made absolute when it could be).
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time: seconds since the Unix epoch (negative before).
    pub mtime_secs: i64,
    /// ... and nanoseconds.
    pub mtime_nanos: u32,
}

impl Stamp {
    /// The stamp of the file at `path` now.
    pub fn of(path: &Path) -> io::Result<Stamp> {
        let meta = std::fs::metadata(path)?;
        let (secs, nanos) = match meta.modified()?.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => (
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                d.subsec_nanos(),
            ),
            Err(before) => {
                let d = before.duration();
                (
                    -i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                    d.subsec_nanos(),
                )
            }
        };
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        Ok(Stamp {
            path,
            size: meta.len(),
            mtime_secs: secs,
            mtime_nanos: nanos,
        })
    }

    /// The stamp of a memory read from standard input (`-`): nothing to compare later.
    pub fn standard_input() -> Stamp {
        Stamp {
            path: PathBuf::from("-"),
            size: 0,
            mtime_secs: 0,
            mtime_nanos: 0,
        }
    }

    /// `None` when the memory is still as it was (or was standard input); else what changed,
    /// for a warning.
    pub fn changed(&self) -> Option<String> {
        if self.path == Path::new("-") {
            return None;
        }
        match Stamp::of(&self.path) {
            Err(e) => Some(format!(
                "the memory it was built from, {}, cannot be read now ({e})",
                self.path.display()
            )),
            Ok(now) if now == *self => None,
            Ok(now) => Some(format!(
                "the memory it was built from, {}, has changed since ({} bytes then, {} now; \
                 modified {} then, {} now): the matches come from the memory as it was; \
                 rebuild the index with `bitext tm index`",
                self.path.display(),
                self.size,
                now.size,
                self.mtime_secs,
                now.mtime_secs
            )),
        }
    }
}

/// True when the file at `path` starts with [`MAGIC`] (an index, not a memory).
pub fn is_index_file(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == MAGIC
}

impl Index {
    /// Writes the index in the [format](crate::tm::lookup::store), recording `memory` (the file it was
    /// built from) so that a later reading can tell whether it changed.
    pub fn write_to(&self, out: &mut dyn Write, memory: &Stamp) -> io::Result<()> {
        let mut w = Out {
            out: io::BufWriter::with_capacity(1 << 20, out),
        };
        w.bytes(MAGIC)?;
        w.u32(VERSION)?;
        w.u32(0)?;
        w.str(&memory.path.to_string_lossy())?;
        w.u64(memory.size)?;
        w.u64(memory.mtime_secs as u64)?;
        w.u32(memory.mtime_nanos)?;
        w.u32(0)?;
        match &self.source_lang {
            None => w.bytes(&[0])?,
            Some(lang) => {
                w.bytes(&[1])?;
                w.str(lang)?;
            }
        }
        w.u64(self.skipped)?;
        // Vocabulary, by id.
        let v = &self.vocab;
        let mut exact: Vec<&str> = vec![""; v.fold_of.len()];
        for (text, &id) in &v.exact {
            if let Some(slot) = exact.get_mut(id as usize) {
                *slot = text;
            }
        }
        w.u64(exact.len() as u64)?;
        for (i, text) in exact.iter().enumerate() {
            w.str(text)?;
            w.bytes(&[class_code(v.class_of[i])])?;
            w.u32(v.fold_of[i])?;
        }
        let mut folded: Vec<&str> = vec![""; v.folded.len()];
        for (text, &id) in &v.folded {
            if let Some(slot) = folded.get_mut(id as usize) {
                *slot = text;
            }
        }
        w.u64(folded.len() as u64)?;
        for text in folded {
            w.str(text)?;
        }
        w.u64(self.langs.len() as u64)?;
        for lang in &self.langs {
            w.str(lang)?;
        }
        w.u64(self.records.len() as u64)?;
        for r in &self.records {
            w.u64(r.number)?;
            w.u64(r.at as u64)?;
            for len in r.lens {
                w.u32(len)?;
            }
            for lang in r.langs {
                w.bytes(&lang.to_le_bytes())?;
            }
            w.bytes(&[u8::from(r.has_tuid), 0, 0, 0])?;
        }
        w.u64(self.tokens.len() as u64)?;
        for &t in &self.tokens {
            w.u32(t)?;
        }
        for &s in &self.starts {
            w.u64(s as u64)?;
        }
        let [postings, repeat_lists] = self.ranked_lists();
        w.lists(&postings)?;
        // The repeated tokens' keys in list order, then their lists.
        let mut keys = vec![(0u32, 0u32); self.repeat_lists.len()];
        for (&key, &id) in &self.repeat_ids {
            if let Some(slot) = keys.get_mut(id as usize) {
                *slot = key;
            }
        }
        w.u64(keys.len() as u64)?;
        for (fold, k) in keys {
            w.u32(fold)?;
            w.u32(k)?;
        }
        w.lists(&repeat_lists)?;
        let text = self
            .text
            .all()
            .map_err(|e| io::Error::new(e.kind(), format!("the index's own file: {e}")))?;
        w.u64(text.len() as u64)?;
        w.bytes(&text)?;
        w.bytes(END)?;
        w.out.flush()
    }

    /// Reads an index file written by [`Index::write_to`]; also returns the memory it was
    /// built from. A file that is not an index, of another version, truncated or corrupt is
    /// an error naming `path` and the byte offset.
    ///
    /// The kept text (what matches show: half the file) stays on disk, read when a match
    /// needs it, so reading takes the time of the other half.
    pub fn read_file(path: &Path) -> Result<(Index, Stamp)> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        let mut r = In {
            input: io::BufReader::with_capacity(1 << 20, file),
            pos: 0,
            len,
            path,
        };
        let (mut index, stamp, records_at) = read_parts(&mut r)?;
        let text_len = r.u64()?;
        let offset = r.pos;
        if text_len.saturating_add(END.len() as u64) != r.left() {
            return Err(r.error_at(
                offset - 8,
                format!(
                    "the kept text should take the rest of the file but for the end marker                      ({text_len} bytes, {} left): the file is truncated or corrupt",
                    r.left()
                ),
            ));
        }
        check_ranges(&index, text_len).map_err(|why| r.error_at(records_at, why))?;
        let no_end = r.error_at(
            offset + text_len,
            "no end marker where the index should end",
        );
        let mut file = r.input.into_inner();
        let mut end = [0u8; 8];
        file.seek(io::SeekFrom::Start(offset + text_len))
            .and_then(|_| file.read_exact(&mut end))
            .map_err(|e| Error::io(path, e))?;
        if &end != END {
            return Err(no_end);
        }
        index.text = Kept::on_disk(file, offset, text_len, index.records.len());
        Ok((index, stamp))
    }

    /// [`Index::read_file`] over any reader of `len` bytes, named `path` in messages, read
    /// whole into memory.
    pub fn read_from(input: impl Read, len: u64, path: &Path) -> Result<(Index, Stamp)> {
        let mut r = In {
            input,
            pos: 0,
            len,
            path,
        };
        let (mut index, stamp, records_at) = read_parts(&mut r)?;
        let text_len = r.count(1, "bytes of text")?;
        check_ranges(&index, text_len as u64).map_err(|why| r.error_at(records_at, why))?;
        index.text = Kept::Memory(r.take(text_len, "the kept text")?);
        let end = r.take(8, "the end marker")?;
        if end != END || r.left() != 0 {
            return Err(r.error_at(
                r.pos - 8,
                "no end marker where the index should end: the file is truncated or has \
                 something after the index",
            ));
        }
        Ok((index, stamp))
    }
}

/// Checks that every unit's strings lie within the `text_len` bytes of kept text; else why not.
fn check_ranges(index: &Index, text_len: u64) -> std::result::Result<(), String> {
    for (i, r) in index.records.iter().enumerate() {
        let end = r
            .lens
            .iter()
            .fold(r.at as u64, |end, &len| end.saturating_add(u64::from(len)));
        if end > text_len {
            return Err(format!(
                "unit record {i}: its text ends at byte {end} of the kept text, which has \
                 {text_len}"
            ));
        }
    }
    Ok(())
}

/// Everything of an index file up to its kept text, and where its unit records start.
fn read_parts<R: Read>(r: &mut In<'_, R>) -> Result<(Index, Stamp, u64)> {
    {
        let magic = r.take(16, "the magic number")?;
        if magic != MAGIC {
            return Err(r.error_at(
                0,
                "not a bitext index (it does not start with \"bitext tm index\")",
            ));
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(r.error_at(
                16,
                format!(
                    "index format version {version}, but this bitext reads version {VERSION}: \
                     rebuild it with `bitext tm index`"
                ),
            ));
        }
        r.u32()?;
        let memory = PathBuf::from(r.string("the memory's path")?);
        let size = r.u64()?;
        let mtime_secs = r.u64()? as i64;
        let mtime_nanos = r.u32()?;
        r.u32()?;
        let stamp = Stamp {
            path: memory,
            size,
            mtime_secs,
            mtime_nanos,
        };
        let at = r.pos;
        let source_lang = match r.u8()? {
            0 => None,
            1 => Some(r.string("the source language")?),
            other => return Err(r.error_at(at, format!("bad source-language flag {other}"))),
        };
        let skipped = r.u64()?;
        // Vocabulary.
        let at = r.pos;
        let n = r.count(6, "tokens")?;
        let mut exact_strings = Vec::with_capacity(n);
        let mut class_of = Vec::with_capacity(n);
        let mut fold_of = Vec::with_capacity(n);
        for _ in 0..n {
            exact_strings.push((r.pos, r.string("a token")?));
            let at = r.pos;
            class_of.push(match r.u8()? {
                0 => Class::Word,
                1 => Class::Number,
                2 => Class::Punct,
                3 => Class::Tag,
                other => return Err(r.error_at(at, format!("bad token class {other}"))),
            });
            fold_of.push(r.u32()?);
        }
        let folded_at = r.pos;
        let nf = r.count(4, "lower-cased tokens")?;
        let mut folded = FxHashMap::default();
        folded.reserve(nf);
        for id in 0..nf {
            let at = r.pos;
            let text = r.string("a lower-cased token")?;
            // A form held twice would be one form in the map, and ids past it would dangle.
            if let Some(first) = folded.insert(text.into_boxed_str(), id as u32) {
                return Err(r.error_at(at, format!("lower-cased form {id} repeats form {first}")));
            }
        }
        if let Some(bad) = fold_of.iter().position(|&f| f as usize >= nf) {
            return Err(r.error_at(
                at,
                format!(
                    "token {bad} names lower-cased form {}, beyond the {nf} there are",
                    fold_of[bad]
                ),
            ));
        }
        if u32::try_from(nf).is_err() || u32::try_from(n).is_err() {
            return Err(r.error_at(folded_at, "more tokens than 32-bit ids allow"));
        }
        let mut exact = FxHashMap::default();
        exact.reserve(n);
        for (id, (at, text)) in exact_strings.into_iter().enumerate() {
            if let Some(first) = exact.insert(text.into_boxed_str(), id as u32) {
                return Err(r.error_at(at, format!("token {id} repeats token {first}")));
            }
        }
        let vocab = Vocab {
            exact,
            folded,
            fold_of,
            class_of,
        };
        // Language tags.
        let nl = r.count(4, "language tags")?;
        if nl >= usize::from(NO_LANG) {
            return Err(r.error_at(r.pos, "more language tags than 16-bit ids allow"));
        }
        let mut langs: Vec<Box<str>> = Vec::with_capacity(nl);
        let mut lang_ids = FxHashMap::default();
        for id in 0..nl {
            let at = r.pos;
            let lang = r.string("a language tag")?.into_boxed_str();
            if let Some(first) = lang_ids.insert(lang.clone(), id as u16) {
                return Err(r.error_at(at, format!("language tag {id} repeats tag {first}")));
            }
            langs.push(lang);
        }
        // Records.
        let records_at = r.pos;
        let units = r.count(44, "units")?;
        if u32::try_from(units).is_err() {
            return Err(r.error_at(records_at, "more units than 32-bit ordinals allow"));
        }
        let mut records = Vec::with_capacity(units);
        let mut rec = [0u8; 44];
        for _ in 0..units {
            let at = r.pos;
            r.fill(&mut rec, "a unit record")?;
            let number = le64(&rec[0..8]);
            let start = le64(&rec[8..16]);
            let mut lens = [0u32; 5];
            for (i, len) in lens.iter_mut().enumerate() {
                *len = le32(&rec[16 + 4 * i..20 + 4 * i]);
            }
            let raw = &rec[36..44];
            let langs_of = [
                u16::from_le_bytes([raw[0], raw[1]]),
                u16::from_le_bytes([raw[2], raw[3]]),
            ];
            let has_tuid = raw[4] == 1;
            let _ = at;
            if usize::from(langs_of[0]) >= nl
                || (langs_of[1] != NO_LANG && usize::from(langs_of[1]) >= nl)
            {
                return Err(r.error_at(at, "a unit names a language tag the index does not hold"));
            }
            records.push(Record {
                number,
                at: start as usize,
                lens,
                langs: langs_of,
                has_tuid,
            });
        }
        // Tokens and where each unit's start.
        let tokens_at = r.pos;
        let nt = r.count(4, "token ids")?;
        let tokens = r.u32s(nt, "the token ids")?;
        if let Some(bad) = tokens.iter().position(|&t| t as usize >= n) {
            return Err(r.error_at(
                tokens_at + 8 + 4 * bad as u64,
                format!("token id {} beyond the vocabulary of {n}", tokens[bad]),
            ));
        }
        let starts_at = r.pos;
        let ns = units + 1;
        if (ns as u64).saturating_mul(8) > r.left() {
            return Err(r.truncated("where each unit's tokens start"));
        }
        let starts: Vec<usize> = r
            .u64s(ns, "where each unit's tokens start")?
            .into_iter()
            .map(|v| usize::try_from(v).unwrap_or(usize::MAX))
            .collect();
        let ordered = starts.first() == Some(&0)
            && starts.last() == Some(&tokens.len())
            && starts.windows(2).all(|w| w[0] <= w[1]);
        if !ordered {
            return Err(r.error_at(starts_at, "the units' token starts are out of order"));
        }
        let weights: Vec<u32> = starts
            .windows(2)
            .map(|w| {
                tokens[w[0]..w[1]]
                    .iter()
                    .map(|&t| weight(vocab.class_of[t as usize]))
                    .fold(0u32, u32::saturating_add)
            })
            .collect();
        let postings = r.lists(units, "posting lists")?;
        // Repeated tokens: keys, then lists.
        let keys_at = r.pos;
        let nkeys = r.count(8, "repeated tokens")?;
        let mut repeat_ids = FxHashMap::default();
        repeat_ids.reserve(nkeys);
        for id in 0..nkeys {
            let at = r.pos;
            let key = (r.u32()?, r.u32()?);
            if key.0 as usize >= vocab.folded.len() || key.1 < 2 {
                return Err(r.error_at(at, "a repeated token names a form the index does not hold"));
            }
            if repeat_ids.insert(key, id as u32).is_some() {
                return Err(r.error_at(at, "a repeated token is listed twice"));
            }
        }
        let repeat_lists = r.lists(units, "repeated tokens' lists")?;
        if repeat_lists.len() != nkeys {
            return Err(r.error_at(
                keys_at,
                format!(
                    "{nkeys} repeated tokens but {} lists for them",
                    repeat_lists.len()
                ),
            ));
        }
        let index = Index {
            source_lang,
            vocab,
            records,
            text: Kept::Memory(Vec::new()),
            langs,
            lang_ids,
            starts,
            tokens,
            by_weight: ranks_by_weight(&weights),
            weights,
            postings,
            repeat_ids,
            repeat_lists,
            skipped,
        };
        Ok((index, stamp, records_at))
    }
}

/// The kept text of an index: in memory (built, or read whole), or left in its index file and
/// read a unit at a time when a match shows it.
pub(super) enum Kept {
    /// All of it.
    Memory(Vec<u8>),
    /// In the index file.
    Disk(Box<OnDisk>),
}

/// Kept text left in the index file.
pub(super) struct OnDisk {
    file: Mutex<std::fs::File>,
    /// Where the text starts in the file, and its length.
    offset: u64,
    len: u64,
    /// Per unit, its strings once read (`None`: unreadable or not UTF-8).
    units: Vec<OnceLock<Option<Box<str>>>>,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Kept::Memory(b) => write!(f, "Kept::Memory({} bytes)", b.len()),
            Kept::Disk(d) => write!(f, "Kept::Disk({} bytes at {})", d.len, d.offset),
        }
    }
}

impl Kept {
    fn on_disk(file: std::fs::File, offset: u64, len: u64, units: usize) -> Kept {
        Kept::Disk(Box::new(OnDisk {
            file: Mutex::new(file),
            offset,
            len,
            units: (0..units).map(|_| OnceLock::new()).collect(),
        }))
    }

    /// The text from byte `from` to `to`, which are unit `ordinal`'s strings; `None` when out
    /// of range, unreadable or not UTF-8 (only in a damaged index file).
    pub(super) fn unit(&self, ordinal: usize, from: usize, to: usize) -> Option<&str> {
        match self {
            Kept::Memory(b) => std::str::from_utf8(b.get(from..to)?).ok(),
            Kept::Disk(d) => d
                .units
                .get(ordinal)?
                .get_or_init(|| d.read(from as u64, to as u64))
                .as_deref(),
        }
    }

    /// The text in memory, for adding to it (a text left on disk is read in first).
    pub(super) fn memory(&mut self) -> io::Result<&mut Vec<u8>> {
        if let Kept::Disk(_) = self {
            *self = Kept::Memory(self.all()?);
        }
        match self {
            Kept::Memory(b) => Ok(b),
            Kept::Disk(_) => Err(io::Error::other("kept text not in memory")),
        }
    }

    /// All of the text.
    pub(super) fn all(&self) -> io::Result<Vec<u8>> {
        match self {
            Kept::Memory(b) => Ok(b.clone()),
            Kept::Disk(d) => {
                let mut file = d
                    .file
                    .lock()
                    .map_err(|_| io::Error::other("poisoned lock"))?;
                file.seek(io::SeekFrom::Start(d.offset))?;
                let mut out = Vec::new();
                (&mut *file).take(d.len).read_to_end(&mut out)?;
                if out.len() as u64 != d.len {
                    return Err(io::ErrorKind::UnexpectedEof.into());
                }
                Ok(out)
            }
        }
    }

    /// The bytes it takes in memory.
    pub(super) fn heap_bytes(&self) -> usize {
        match self {
            Kept::Memory(b) => b.capacity(),
            Kept::Disk(d) => d.units.capacity() * std::mem::size_of::<OnceLock<Option<Box<str>>>>(),
        }
    }
}

impl OnDisk {
    fn read(&self, from: u64, to: u64) -> Option<Box<str>> {
        if to > self.len || from > to {
            return None;
        }
        let mut buf = vec![0u8; usize::try_from(to - from).ok()?];
        let mut file = self.file.lock().ok()?;
        file.seek(io::SeekFrom::Start(self.offset + from)).ok()?;
        file.read_exact(&mut buf).ok()?;
        String::from_utf8(buf).ok().map(String::into_boxed_str)
    }
}

/// A little-endian `u32` from the first 4 bytes of `b` (0 where they are missing).
fn le32(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    for (x, y) in a.iter_mut().zip(b) {
        *x = *y;
    }
    u32::from_le_bytes(a)
}

/// A little-endian `u64` from the first 8 bytes of `b` (0 where they are missing).
fn le64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    for (x, y) in a.iter_mut().zip(b) {
        *x = *y;
    }
    u64::from_le_bytes(a)
}

/// The byte a token class is written as.
fn class_code(class: Class) -> u8 {
    match class {
        Class::Word => 0,
        Class::Number => 1,
        Class::Punct => 2,
        Class::Tag => 3,
    }
}

/// The writing side: little-endian numbers and length-prefixed strings.
struct Out<W: Write> {
    out: io::BufWriter<W>,
}

impl<W: Write> Out<W> {
    fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.out.write_all(b)
    }

    fn u32(&mut self, v: u32) -> io::Result<()> {
        self.bytes(&v.to_le_bytes())
    }

    fn u64(&mut self, v: u64) -> io::Result<()> {
        self.bytes(&v.to_le_bytes())
    }

    /// Lists of units: their count, each one's end, then all their values.
    fn lists(&mut self, lists: &[Vec<u32>]) -> io::Result<()> {
        self.u64(lists.len() as u64)?;
        let mut end = 0u64;
        for list in lists {
            end += list.len() as u64;
            self.u64(end)?;
        }
        for list in lists {
            for &u in list {
                self.u32(u)?;
            }
        }
        Ok(())
    }

    fn str(&mut self, s: &str) -> io::Result<()> {
        let len = u32::try_from(s.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a string over 4 GiB"))?;
        self.u32(len)?;
        self.bytes(s.as_bytes())
    }
}

/// The reading side: every read checked against what is left of the file, errors with the
/// byte offset.
struct In<'p, R: Read> {
    input: R,
    pos: u64,
    len: u64,
    path: &'p Path,
}

impl<R: Read> In<'_, R> {
    fn left(&self) -> u64 {
        self.len.saturating_sub(self.pos)
    }

    fn error_at(&self, offset: u64, message: impl AsRef<str>) -> Error {
        Error::input(
            self.path,
            format!(
                "not a usable bitext index: {} (at byte {offset})",
                message.as_ref()
            ),
        )
    }

    fn truncated(&self, what: &str) -> Error {
        self.error_at(
            self.pos,
            format!(
                "the file ends before {what} ({} bytes long): it is truncated or corrupt",
                self.len
            ),
        )
    }

    /// The next `n` bytes, refused before allocating when the file is shorter.
    fn take(&mut self, n: usize, what: &str) -> Result<Vec<u8>> {
        if n as u64 > self.left() {
            return Err(self.truncated(what));
        }
        let mut buf = vec![0u8; n];
        self.fill(&mut buf, what)?;
        Ok(buf)
    }

    /// Fills `buf` from the next bytes.
    fn fill(&mut self, buf: &mut [u8], what: &str) -> Result<()> {
        if buf.len() as u64 > self.left() {
            return Err(self.truncated(what));
        }
        self.input.read_exact(buf).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => self.truncated(what),
            _ => Error::io(self.path, e),
        })?;
        self.pos += buf.len() as u64;
        Ok(())
    }

    fn fixed<const N: usize>(&mut self, what: &str) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        self.fill(&mut out, what)?;
        Ok(out)
    }

    /// `n` numbers of `W` bytes each, converted by `f`, read a block at a time (no copy of
    /// the whole section).
    fn numbers<T, const W: usize>(
        &mut self,
        n: usize,
        what: &str,
        f: impl Fn(&[u8]) -> T,
    ) -> Result<Vec<T>> {
        if (n as u64).saturating_mul(W as u64) > self.left() {
            return Err(self.truncated(what));
        }
        let mut out = Vec::with_capacity(n);
        let mut block = vec![0u8; 64 * 1024];
        let mut left = n;
        while left > 0 {
            let k = left.min(block.len() / W);
            let chunk = &mut block[..k * W];
            self.fill(chunk, what)?;
            out.extend(chunk.chunks_exact(W).map(&f));
            left -= k;
        }
        Ok(out)
    }

    fn u32s(&mut self, n: usize, what: &str) -> Result<Vec<u32>> {
        self.numbers::<u32, 4>(n, what, le32)
    }

    fn u64s(&mut self, n: usize, what: &str) -> Result<Vec<u64>> {
        self.numbers::<u64, 8>(n, what, le64)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.fixed::<1>("a flag")?[0])
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.fixed("a number")?))
    }

    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.fixed("a number")?))
    }

    /// A count of items taking at least `min_bytes` each: refused when the rest of the file
    /// could not hold them.
    fn count(&mut self, min_bytes: u64, what: &str) -> Result<usize> {
        let at = self.pos;
        let n = self.u64()?;
        if n.saturating_mul(min_bytes) > self.left() {
            return Err(self.error_at(
                at,
                format!(
                    "{n} {what} cannot fit in the {} bytes left: the file is truncated or corrupt",
                    self.left()
                ),
            ));
        }
        usize::try_from(n).map_err(|_| self.error_at(at, format!("{n} {what}: too many")))
    }

    /// Lists of units written by `Out::lists`, each checked ascending and within `units`.
    fn lists(&mut self, units: usize, what: &str) -> Result<Vec<Vec<u32>>> {
        let at = self.pos;
        let n = self.count(8, what)?;
        let ends = self.u64s(n, what)?;
        let total = ends.last().copied().unwrap_or(0);
        if ends.windows(2).any(|w| w[0] > w[1]) {
            return Err(self.error_at(at, format!("the {what}' ends are out of order")));
        }
        if total.saturating_mul(4) > self.left() {
            return Err(self.truncated(what));
        }
        let values_at = self.pos;
        let values = self.u32s(total as usize, what)?;
        let mut lists = Vec::with_capacity(n);
        let mut from = 0usize;
        for &end in &ends {
            let end = end as usize;
            let list = &values[from..end];
            let sorted = list.windows(2).all(|w| w[0] < w[1]);
            if !sorted || list.last().is_some_and(|&u| u as usize >= units) {
                return Err(self.error_at(
                    values_at + 4 * from as u64,
                    "a list of units is not ascending or names a unit beyond the index",
                ));
            }
            lists.push(list.to_vec());
            from = end;
        }
        Ok(lists)
    }

    fn string(&mut self, what: &str) -> Result<String> {
        let at = self.pos;
        let len = self.u32()? as usize;
        let bytes = self.take(len, what)?;
        String::from_utf8(bytes).map_err(|_| self.error_at(at, format!("{what} is not UTF-8")))
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
