//! Reading units ahead on a second thread: [`Prefetch`] runs a [`UnitReader`] (XML or table
//! parsing, the larger part of every streaming command's work) on its own thread and hands the
//! units over in batches through a bounded channel, so the command's own work (writing,
//! hashing keys, checking criteria) runs on the other core at the same time.
//!
//! Memory stays bounded: a batch closes at [`BATCH_UNITS`] units or once it holds about
//! [`BATCH_BYTES`] of text, and at most [`IN_FLIGHT`] batches wait in the channel, so at most
//! `IN_FLIGHT + 2` batches (the waiting ones, the one being filled, the one being used) exist at
//! once: a few megabytes plus that many of the largest unit, whatever the file's size.
//!
//! Order is kept: units, their reader warnings and a reading error arrive exactly as the reader
//! gave them, so a command's output and messages are those of the one-thread loop.
//!
//! A used batch goes back to the reading thread ([`Prefetch::recycle`]), which frees its units
//! and fills the same vector again: memory is freed by the thread that allocated it, which
//! keeps the allocator's per-thread arenas from growing (freeing on the other thread doubled
//! the system time and cost a third more in all).
//!
//! A TMX file's units are parsed on several threads: the reading thread only frames them
//! (finds where each `<tu>` ends, [`TmxReader::frame`]) and hands parts of about
//! [`PART_BYTES`] to parsing threads ([`TmxReader::fragment`]), whose batches come back in
//! order; the units, errors and warnings are those of one reader over the whole file (a
//! warning given once per file is given by each part and kept once here).

use std::path::PathBuf;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result, Warning};
use crate::formats::tmx::{once_per_file, Frame, Framing, TmxReader};
use crate::formats::UnitReader;
use crate::unit::{Piece, Unit};

/// A batch closes at this many units (128 to 2,048 measured on 400k short units: fewer
/// hand-overs and parallel maps per unit up to 512, dedupe keeping the newest 2.61 -> 2.40 s
/// from 128; more only held more memory)...
pub(crate) const BATCH_UNITS: usize = 512;
/// ...or once its units hold about this many bytes of text.
pub(crate) const BATCH_BYTES: usize = 1 << 20;
/// Batches read ahead and not yet taken (besides one per parsing thread).
pub(crate) const IN_FLIGHT: usize = 2;
/// The bytes of TMX framed for one parsing thread at a time (whole units, at least one):
/// 128 KiB (16 KiB to 1 MiB measured: smaller parts cost more hand-overs, larger ones more
/// memory and cache; a 48 MB memory converts in 16 MB of RSS, 10 MB on one thread).
pub(crate) const PART_BYTES: usize = 128 << 10;
/// Threads that parse framed TMX, at most.
const MAX_PARSERS: usize = 4;

/// What the reader gave for one call: the next unit (or the end, or an error) and the
/// warnings it raised reading it.
pub(crate) type Item = (Option<Result<Unit>>, Vec<Warning>);

/// A batch on its way: read, or being parsed by a parsing thread, which sends its items and
/// the warnings raised after the last of them (for the next item: a unit skipped at the end
/// of a part).
enum Pending {
    Ready(Vec<Item>),
    Parsing(Receiver<Parsed>),
    /// Warnings raised before any item (reading the header), given with the first one.
    Before(Vec<Warning>),
}

/// A part parsed: its items, the warnings raised after the last of them, and the parsing
/// thread's number (its used batches go back to it).
type Parsed = (Vec<Item>, Vec<Warning>, usize);

/// Where a TMX file's units are parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parsing {
    /// On the reading thread: the command's own work keeps the other cores busy (keys hashed
    /// or criteria checked in parallel); parsing in parts too would only add to it.
    OneThread,
    /// Framed on the reading thread and parsed on others: the command's own work is light
    /// (writing, counting).
    InParts,
}

/// A [`UnitReader`] read on its own threads; see the [module docs](self).
pub(crate) struct Prefetch {
    rx: Receiver<Pending>,
    /// Where used batches go: to the thread that filled them (0 reads, the others parse).
    backs: Vec<Sender<Vec<Item>>>,
    /// The thread that filled the last batch handed over.
    origin: usize,
    /// The file's name, for an error if the reading threads stop without an end.
    path: PathBuf,
    /// Warnings raised after the last item of a part, given with the next item.
    carry: Vec<Warning>,
    /// The once-per-file warnings given so far, by kind ([`once_per_file`]).
    warned_once: u32,
    /// The end or an error was handed over.
    finished: bool,
}

impl Prefetch {
    /// Starts reading `reader` on a new thread (and, [`Parsing::InParts`], a TMX file's
    /// units, framed there, parsed on as many more as rayon's pool has, up to four). Dropping
    /// the `Prefetch` stops them (at their next hand-over), so a command that fails early does
    /// not wait for the rest of the file.
    pub(crate) fn new(reader: UnitReader, parsing: Parsing) -> Prefetch {
        let parsers = match parsing {
            Parsing::OneThread => 1,
            Parsing::InParts => rayon::current_num_threads().min(MAX_PARSERS),
        };
        Prefetch::start(reader, parsers, PART_BYTES)
    }

    /// [`Prefetch::new`] with `parsers` parsing threads (one or none: the units are parsed
    /// on the reading thread) and parts of about `part_bytes`.
    fn start(reader: UnitReader, parsers: usize, part_bytes: usize) -> Prefetch {
        let path = reader.path().to_path_buf();
        let parallel = parsers > 1 && matches!(reader, UnitReader::Tmx(_));
        let threads = if parallel { 1 + parsers } else { 1 };
        let (backs, mut used): (Vec<_>, Vec<_>) = (0..threads).map(|_| channel()).unzip();
        let rx = match reader {
            UnitReader::Tmx(tmx) if parallel => {
                let (tx, rx) = sync_channel::<Pending>(IN_FLIGHT + parsers);
                std::thread::spawn(move || read_in_parts(tmx, part_bytes, &tx, used));
                rx
            }
            reader => {
                let (tx, rx) = sync_channel::<Pending>(IN_FLIGHT);
                let used = used.swap_remove(0);
                std::thread::spawn(move || read_in_batches(reader, &tx, &used));
                rx
            }
        };
        Prefetch {
            rx,
            backs,
            origin: 0,
            path,
            carry: Vec::new(),
            warned_once: 0,
            finished: false,
        }
    }

    /// The next batch of what the reader gave, in order; `None` once the reader is done. Each
    /// item is one call of the reader: a unit, the end (`None`) or an error, with the warnings
    /// raised meanwhile. Give the batch back with [`Prefetch::recycle`] when done with it.
    pub(crate) fn next_batch(&mut self) -> Option<Vec<Item>> {
        loop {
            if self.finished {
                return None;
            }
            let next = self.rx.recv().ok().and_then(|pending| match pending {
                Pending::Ready(batch) => Some((batch, Vec::new(), 0)),
                Pending::Parsing(parsed) => parsed.recv().ok(),
                Pending::Before(warnings) => Some((Vec::new(), warnings, 0)),
            });
            let Some((mut batch, after, origin)) = next else {
                // A reading thread stopped without an end or an error (it cannot, short of a
                // bug): never a partial input taken for a whole one.
                self.finished = true;
                let error = Error::input(&self.path, "reading stopped before the end of the file");
                return Some(vec![(Some(Err(error)), std::mem::take(&mut self.carry))]);
            };
            for (item, warnings) in &mut batch {
                if !self.carry.is_empty() {
                    self.carry.append(warnings);
                    std::mem::swap(&mut self.carry, warnings);
                }
                let once = &mut self.warned_once;
                warnings.retain(|w| match once_per_file(w) {
                    Some(kind) => {
                        let first = *once >> kind & 1 == 0;
                        *once |= 1 << kind;
                        first
                    }
                    None => true,
                });
                if !matches!(item, Some(Ok(_))) {
                    self.finished = true;
                }
            }
            self.carry.extend(after);
            if !batch.is_empty() {
                self.origin = origin;
                return Some(batch);
            }
        }
    }

    /// Hands a used batch (the last one handed over) back to the thread that filled it,
    /// which frees it.
    pub(crate) fn recycle(&self, batch: Vec<Item>) {
        // The thread may have ended (the last batch): then the batch is freed here.
        if let Some(back) = self.backs.get(self.origin) {
            let _ = back.send(batch);
        }
    }
}

/// Reads `reader` item by item into batches sent to `tx`, freeing the used batches that come
/// back on `used`; returns at the end, an error, or when nobody takes the batches any more.
fn read_in_batches(mut reader: UnitReader, tx: &SyncSender<Pending>, used: &Receiver<Vec<Item>>) {
    let mut batch = Vec::with_capacity(BATCH_UNITS);
    let mut bytes = 0;
    loop {
        if batch.is_empty() {
            // Free what was used here (the last used batch is reused).
            if let Some(old) = take_used(used) {
                batch = old;
            }
        }
        let item = reader.next();
        let warnings = reader.take_warnings();
        let last = !matches!(item, Some(Ok(_)));
        if let Some(Ok(unit)) = &item {
            bytes += approx_bytes(unit);
        }
        batch.push((item, warnings));
        if last || batch.len() >= BATCH_UNITS || bytes >= BATCH_BYTES {
            let full = std::mem::take(&mut batch);
            bytes = 0;
            if tx.send(Pending::Ready(full)).is_err() || last {
                return;
            }
        }
    }
}

/// Frees the used batches waiting on `used` but the last, which is returned cleared.
fn take_used(used: &Receiver<Vec<Item>>) -> Option<Vec<Item>> {
    let mut kept = None;
    while let Ok(mut old) = used.try_recv() {
        old.clear();
        kept = Some(old);
    }
    kept
}

/// Units of a TMX file framed on this thread ([`TmxReader::frame`]) and parsed on others (one
/// per receiver of `used` after the first, which is this thread's), a part of about
/// `part_bytes` at a time; the rest of the file, once something comes that framing leaves to
/// the parser (at the latest `</body>`), read here item by item. Parts go to `tx` in order,
/// each as the receiver its parser answers on.
fn read_in_parts(
    mut tmx: TmxReader<Box<dyn std::io::Read + Send>>,
    part_bytes: usize,
    tx: &SyncSender<Pending>,
    mut used: Vec<Receiver<Vec<Item>>>,
) {
    let framing = tmx.framing();
    let parsers = used.len().saturating_sub(1).max(1);
    let (jobs, todo) = sync_channel::<Part>(parsers);
    let todo = Arc::new(Mutex::new(todo));
    let (spare_tx, spare) = channel::<Vec<u8>>();
    for (number, used) in used.drain(1..).enumerate() {
        let (todo, framing, spare_tx) = (todo.clone(), framing.clone(), spare_tx.clone());
        std::thread::spawn(move || parse_parts(number + 1, &todo, &used, &framing, &spare_tx));
    }
    drop(spare_tx);
    let before = tmx.take_warnings();
    if !before.is_empty() && tx.send(Pending::Before(before)).is_err() {
        return;
    }
    loop {
        let mut bytes = spare.try_recv().unwrap_or_default();
        let Some(frame) = tmx.frame(&mut bytes, part_bytes) else {
            break;
        };
        let (done, parsed) = channel();
        if tx.send(Pending::Parsing(parsed)).is_err() {
            return;
        }
        if jobs.send(Part { bytes, frame, done }).is_err() {
            return;
        }
    }
    // The parsing threads end once the parts sent are parsed.
    drop(jobs);
    if let Some(used) = used.first() {
        read_in_batches(UnitReader::Tmx(tmx), tx, used);
    }
}

/// Framed units for a parsing thread: their bytes, where they are, and where the items go.
struct Part {
    bytes: Vec<u8>,
    frame: Frame,
    done: Sender<Parsed>,
}

/// Parsing thread `number`: parses the parts from `todo` until there are none, answering each
/// on its own channel; frees its used batches and hands the parts' bytes back for reuse.
fn parse_parts(
    number: usize,
    todo: &Mutex<Receiver<Part>>,
    used: &Receiver<Vec<Item>>,
    framing: &Framing,
    spare: &Sender<Vec<u8>>,
) {
    loop {
        let part = match todo.lock() {
            Ok(todo) => todo.recv(),
            Err(_) => return,
        };
        let Ok(Part { bytes, frame, done }) = part else {
            return;
        };
        let mut items = take_used(used).unwrap_or_default();
        let mut reader = framing.reader(bytes, frame);
        let after = loop {
            let item = reader.next();
            let warnings = reader.take_warnings();
            match item {
                Some(item) => {
                    let last = item.is_err();
                    items.push((Some(item), warnings));
                    if last {
                        break Vec::new();
                    }
                }
                None => break warnings,
            }
        };
        let _ = spare.send(reader.into_buffer());
        let _ = done.send((items, after, number));
    }
}

/// The two readings of the TMX file `data`, each as what it gives in order (a unit or the
/// error, then the warnings raised, one string each): by one reader, and framed into parts of
/// about `part_bytes` parsed on `parsers` threads. They are the same; empty when the header
/// does not read.
#[doc(hidden)]
// Public only for fuzz/fuzz_targets/tmx_parts.rs, which checks that; not for library users.
pub fn both_readings(
    data: &[u8],
    lenient: bool,
    max_unit_bytes: Option<u64>,
    parsers: usize,
    part_bytes: usize,
) -> [Vec<String>; 2] {
    let options = crate::formats::InputOptions {
        lenient,
        max_unit_bytes,
        format: Some(crate::formats::Format::Tmx),
        ..crate::formats::InputOptions::default()
    };
    let open = || {
        let input: Box<dyn std::io::Read + Send> = Box::new(std::io::Cursor::new(data.to_vec()));
        UnitReader::from_reader(input, "m.tmx", &options).ok()
    };
    let lines = |items: Vec<Item>| {
        let mut out = Vec::new();
        for (item, warnings) in items {
            out.push(match item {
                Some(Ok(u)) => format!("{u:?}"),
                Some(Err(e)) => e.to_string(),
                None => "end".to_string(),
            });
            out.extend(warnings.iter().map(ToString::to_string));
        }
        out
    };
    let direct = open().map(|mut reader| {
        let mut items = Vec::new();
        loop {
            let item = reader.next();
            let last = !matches!(item, Some(Ok(_)));
            items.push((item, reader.take_warnings()));
            if last {
                return lines(items);
            }
        }
    });
    let framed = open().map(|reader| {
        let mut prefetch = Prefetch::start(reader, parsers, part_bytes);
        lines(
            std::iter::from_fn(|| prefetch.next_batch())
                .flatten()
                .collect(),
        )
    });
    [direct.unwrap_or_default(), framed.unwrap_or_default()]
}

/// About how many bytes of text `unit` holds (segments, attributes, props and notes): what a
/// batch counts towards [`BATCH_BYTES`].
fn approx_bytes(unit: &Unit) -> usize {
    fn pieces(ps: &[Piece]) -> usize {
        ps.iter()
            .map(|p| match p {
                Piece::Text(t) => t.len(),
                Piece::Tag(t) => 16 + t.name.len() + pairs(&t.attrs) + pieces(&t.content),
            })
            .sum()
    }
    fn pairs(kv: &[(String, String)]) -> usize {
        kv.iter().map(|(k, v)| 16 + k.len() + v.len()).sum()
    }
    let props = |ps: &[crate::unit::Prop]| -> usize {
        ps.iter().map(|p| 16 + p.kind.len() + p.value.len()).sum()
    };
    let notes = |ns: &[String]| -> usize { ns.iter().map(|n| 16 + n.len()).sum() };
    64 + unit.tuid.as_ref().map_or(0, String::len)
        + pairs(&unit.other_attrs)
        + props(&unit.props)
        + notes(&unit.notes)
        + unit
            .variants
            .iter()
            .map(|v| {
                32 + v.lang.len()
                    + pairs(&v.other_attrs)
                    + props(&v.props)
                    + notes(&v.notes)
                    + pieces(&v.segment.pieces)
            })
            .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::InputOptions;

    fn reader(units: usize, broken_at: Option<usize>) -> UnitReader {
        let mut s = String::from(
            "<tmx version=\"1.4\"><header srclang=\"en\" creationtool=\"t\" \
             creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" \
             datatype=\"plaintext\"/><body>\n",
        );
        for i in 0..units {
            if Some(i) == broken_at {
                s.push_str("<tu><tuv xml:lang=\"en\"><seg>&nbsp;</seg></tuv></tu>\n");
            } else {
                s.push_str(&format!(
                    "<tu tuid=\"{i}\"><prop>no type</prop><tuv xml:lang=\"en\"><seg>u{i}</seg>\
                     </tuv><tuv xml:lang=\"ru\"><seg>ю{i}</seg></tuv></tu>\n"
                ));
            }
        }
        s.push_str("</body></tmx>\n");
        let input: Box<dyn std::io::Read + Send> = Box::new(std::io::Cursor::new(s.into_bytes()));
        UnitReader::from_reader(input, "m.tmx", &InputOptions::default()).unwrap()
    }

    type Seen = (Option<String>, Vec<String>);

    fn seen(item: &Item) -> Seen {
        (
            item.0.as_ref().map(|r| match r {
                Ok(u) => format!("{u:?}"),
                Err(e) => e.to_string(),
            }),
            item.1.iter().map(ToString::to_string).collect(),
        )
    }

    /// Everything the reader gives: each unit (or error) with the warnings taken after it.
    fn direct(mut r: UnitReader) -> Vec<Seen> {
        let mut out = Vec::new();
        loop {
            let item = (r.next(), r.take_warnings());
            out.push(seen(&item));
            if !matches!(item.0, Some(Ok(_))) {
                return out;
            }
        }
    }

    fn ahead(mut p: Prefetch) -> Vec<Seen> {
        let mut out = Vec::new();
        while let Some(batch) = p.next_batch() {
            out.extend(batch.iter().map(seen));
            p.recycle(batch);
        }
        out
    }

    #[test]
    fn read_ahead_gives_what_the_reader_gives_in_order() {
        // Several batches, and an error in the middle of one.
        for (units, broken) in [(0, None), (1, None), (1000, None), (700, Some(300))] {
            let one = direct(reader(units, broken));
            for parsing in [Parsing::OneThread, Parsing::InParts] {
                let two = ahead(Prefetch::new(reader(units, broken), parsing));
                assert_eq!(two, one, "{units} units, broken at {broken:?}, {parsing:?}");
            }
            assert_eq!(one.len(), broken.map_or(units + 1, |b| b + 1));
        }
    }

    /// What reading `text` (named `m.tmx`) gives, directly and in framed parts.
    fn both_ways(text: &str, options: &InputOptions, parsers: usize, part: usize) {
        let [one, two] = both_readings(
            text.as_bytes(),
            options.lenient,
            options.max_unit_bytes,
            parsers,
            part,
        );
        assert_eq!(
            two, one,
            "{parsers} parsers, parts of {part} bytes:\n{text}"
        );
    }

    #[test]
    fn framed_parts_give_what_the_reader_gives() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tm");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("fixtures/tm")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "tmx"))
            .collect();
        files.sort();
        assert!(files.len() >= 20, "{files:?}");
        for path in files {
            let text = String::from_utf8_lossy(&std::fs::read(&path).expect("reads")).into_owned();
            for lenient in [false, true] {
                let options = InputOptions {
                    lenient,
                    ..InputOptions::default()
                };
                for part in [1, 150, PART_BYTES] {
                    both_ways(&text, &options, 2, part);
                }
                // The bytes themselves (UTF-16 files are framed after decoding).
                let open = |path: &std::path::Path| {
                    let file = std::fs::File::open(path).expect("opens");
                    UnitReader::from_reader(Box::new(file), "m.tmx", &options)
                };
                if let (Ok(one), Ok(two)) = (open(&path), open(&path)) {
                    let (one, two) = (direct(one), ahead(Prefetch::start(two, 3, 1)));
                    assert_eq!(two, one, "{}", path.display());
                }
            }
        }
    }

    #[test]
    fn an_end_tag_is_read_with_its_quotes_as_the_parser_reads_it() {
        // Found by fuzzing: the framing ended `</t x='>'` at the quoted `>`, so the part cut
        // the tag where the parser, skipping the broken unit, reads on to `"</tu>">`.
        let text = "<tmx version=\"1.4\"><header srclang=\"en\"/><body>\
                    <tu><tuv><seg>a</seg></t x='>' y=\"</tu>\"></tuv></tu>\
                    <tu><?><tuv xml:lang=\"en\"><seg>b</seg></tuv></tu></body></tmx>";
        for lenient in [false, true] {
            let options = InputOptions {
                lenient,
                ..InputOptions::default()
            };
            for part in [1, 40, PART_BYTES] {
                both_ways(text, &options, 2, part);
            }
        }
    }

    /// Pieces of a `<body>`: units of every kind the framing must see whole or leave alone.
    const PIECES: [&str; 18] = [
        "<tu tuid=\"a\"><tuv xml:lang=\"en\"><seg>one</seg></tuv><tuv xml:lang=\"ru\"><seg>один</seg></tuv></tu>",
        "<tu><tuv lang=\"en\"><seg>legacy</seg></tuv></tu>",
        "<tu><tuv xml:lang=\"en\"><seg>a<x:b>foreign</x:b><q/></seg></tuv></tu>",
        "<tu><tuv xml:lang=\"en\"><seg>&nbsp;undefined</seg></tuv></tu>",
        "<tu><tuv xml:lang=\"en\"></tuv></tu>",
        "<tu a='>' b=\"</tu>\"><!-- </tu> --><tuv xml:lang=\"en\"><seg><![CDATA[</tu>]]></seg></tuv></tu >",
        "<tu/>",
        "<tu><tuv xml:lang=\"en\"><seg>mis</tuv></seg></tu>",
        "\n\r\n  ",
        "<!-- between -->",
        "<?pi between?>",
        "stray text",
        "<prop type=\"x\">misplaced</prop>",
        "<tu><tuv xml:lang=\"en\"><seg>line\none\nтри</seg></tuv><tuv xml:lang=\"de\"><seg>ß</seg></tuv></tu>",
        "<tu tuid=\"1\" tuid=\"2\"><tuv xml:lang=\"en\"><seg>twice</seg></tuv></tu>",
        "<tu><tuv xml:lang=\"en\"><seg>\u{1}</seg></tuv></tu>",
        "<tu><tuv><seg>a</seg></t x='>' y=\"</tu>\"></tuv></tu>",
        "<tu><?><!----><tuv xml:lang=\"en\"><seg>c</seg></tuv></tu>",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Framed and parsed in parts of any size, any body reads as the one reader reads it:
        /// the same units, errors and warnings, at the same places.
        #[test]
        fn any_body_reads_the_same_in_parts(
            pieces in proptest::collection::vec(0..PIECES.len(), 0..40),
            ending in 0..4usize,
            lenient: bool,
            small_limit: bool,
            part in 1..400usize,
            parsers in 2..4usize,
        ) {
            let mut text = String::from(
                "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"en\" \
                 creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" \
                 o-tmf=\"t\" adminlang=\"en\" datatype=\"plaintext\"/>\n<body>",
            );
            for k in pieces {
                text.push_str(PIECES[k]);
            }
            text.push_str(["</body></tmx>\n", "</body>", "", "<tu><seg>"][ending]);
            let options = InputOptions {
                lenient,
                max_unit_bytes: small_limit.then_some(90),
                ..InputOptions::default()
            };
            both_ways(&text, &options, parsers, part);
        }
    }

    #[test]
    fn dropping_it_early_stops_the_reading_thread() {
        let mut p = Prefetch::new(reader(5000, None), Parsing::InParts);
        assert!(p.next_batch().is_some());
        drop(p); // the thread's next send fails and it returns; nothing hangs
    }
}
