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

use std::sync::mpsc::{channel, sync_channel, Receiver, Sender};

use crate::error::{Result, Warning};
use crate::formats::UnitReader;
use crate::unit::{Piece, Unit};

/// A batch closes at this many units...
pub(crate) const BATCH_UNITS: usize = 128;
/// ...or once its units hold about this many bytes of text.
pub(crate) const BATCH_BYTES: usize = 1 << 20;
/// Batches read ahead and not yet taken.
pub(crate) const IN_FLIGHT: usize = 2;

/// What the reader gave for one call: the next unit (or the end, or an error) and the
/// warnings it raised reading it.
pub(crate) type Item = (Option<Result<Unit>>, Vec<Warning>);

/// A [`UnitReader`] read on its own thread; see the [module docs](self).
pub(crate) struct Prefetch {
    rx: Receiver<Vec<Item>>,
    back: Sender<Vec<Item>>,
}

impl Prefetch {
    /// Starts reading `reader` on a new thread. Dropping the `Prefetch` stops it (at its next
    /// hand-over), so a command that fails early does not wait for the rest of the file.
    pub(crate) fn new(mut reader: UnitReader) -> Prefetch {
        let (tx, rx) = sync_channel::<Vec<Item>>(IN_FLIGHT);
        let (back, used) = channel::<Vec<Item>>();
        std::thread::spawn(move || {
            let mut batch = Vec::with_capacity(BATCH_UNITS);
            let mut bytes = 0;
            loop {
                if batch.is_empty() {
                    // Free what was used here (the last used batch is reused).
                    while let Ok(mut old) = used.try_recv() {
                        old.clear();
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
                    if tx.send(full).is_err() || last {
                        return;
                    }
                }
            }
        });
        Prefetch { rx, back }
    }

    /// The next batch of what the reader gave, in order; `None` once the reader is done. Each
    /// item is one call of the reader: a unit, the end (`None`) or an error, with the warnings
    /// raised meanwhile. Give the batch back with [`Prefetch::recycle`] when done with it.
    pub(crate) fn next_batch(&mut self) -> Option<Vec<Item>> {
        self.rx.recv().ok()
    }

    /// Hands a used batch back to the reading thread, which frees it.
    pub(crate) fn recycle(&self, batch: Vec<Item>) {
        // The thread may have ended (the last batch): then the batch is freed here.
        let _ = self.back.send(batch);
    }
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
            let two = ahead(Prefetch::new(reader(units, broken)));
            assert_eq!(two, one, "{units} units, broken at {broken:?}");
            assert_eq!(one.len(), broken.map_or(units + 1, |b| b + 1));
        }
    }

    #[test]
    fn dropping_it_early_stops_the_reading_thread() {
        let mut p = Prefetch::new(reader(5000, None));
        assert!(p.next_batch().is_some());
        drop(p); // the thread's next send fails and it returns; nothing hangs
    }
}
