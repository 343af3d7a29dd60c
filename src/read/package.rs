//! The zip container of a DOCX or ODT file and the XML parts in it, read with limits.
//!
//! A part is inflated and parsed as a stream (quick-xml's pull reader over the zip entry), so
//! memory stays bounded by the text extracted, never by the size of the XML: no DOM is built.
//! Hostile files are refused with an error naming the file: a zip with more than
//! [`MAX_ENTRIES`] entries, parts that inflate past [`budget`] bytes in all (a zip bomb), an XML
//! part with a document type declaration (entity expansion, the "billion laughs"), an entity
//! reference other than XML's five and character references.

use std::borrow::Cow;
use std::cell::Cell;
use std::io::{BufReader, Cursor, Read};
use std::path::Path;
use std::rc::Rc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use zip::ZipArchive;

use crate::error::{Error, Result};

/// The most entries a document's zip may hold (a large Word file has a few hundred).
pub(crate) const MAX_ENTRIES: usize = 10_000;

/// The fewest and the most bytes the XML parts of one document may inflate to, in all.
const MIN_BUDGET: u64 = 64 << 20;
const MAX_BUDGET: u64 = 512 << 20;

/// How many bytes the parts of a `file_len`-byte document may inflate to: 100 times the file,
/// at least 64 MiB and at most 512 MiB.
pub(crate) fn budget(file_len: usize) -> u64 {
    (file_len as u64)
        .saturating_mul(100)
        .clamp(MIN_BUDGET, MAX_BUDGET)
}

/// One event of an XML part, as the format readers see it.
pub(crate) enum Node<'a> {
    /// An element opens (an empty element gives `Start` then `End`).
    Start {
        /// Its namespace URI ("" when unbound).
        ns: &'a str,
        /// Its local name.
        name: &'a str,
        /// The tag, for its attributes.
        tag: &'a BytesStart<'a>,
    },
    /// An element closes.
    End {
        /// Its namespace URI ("" when unbound).
        ns: &'a str,
        /// Its local name.
        name: &'a str,
    },
    /// Character data, entities resolved.
    Text(&'a str),
}

/// The value of the attribute with local name `name` (any prefix), if present.
pub(crate) fn attr<'a>(tag: &'a BytesStart<'a>, name: &str) -> Option<Cow<'a, str>> {
    tag.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value)
}

/// An opened DOCX or ODT zip.
pub(crate) struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    path: &'a Path,
    /// Bytes the parts may still inflate to.
    left: Rc<Cell<u64>>,
    budget: u64,
}

impl<'a> Package<'a> {
    /// Opens `bytes` (read from `path`) as the zip of a `what` document ("Word", "OpenDocument").
    pub(crate) fn open(bytes: &'a [u8], path: &'a Path, what: &str) -> Result<Package<'a>> {
        Package::open_with_budget(bytes, path, what, budget(bytes.len()))
    }

    /// [`Package::open`] with parts that may inflate to `budget` bytes in all.
    pub(crate) fn open_with_budget(
        bytes: &'a [u8],
        path: &'a Path,
        what: &str,
        budget: u64,
    ) -> Result<Package<'a>> {
        if !bytes.starts_with(b"PK") {
            return Err(Error::input(path, not_a_zip(bytes, what)));
        }
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            Error::input(
                path,
                format!("not a readable {what} document: its zip archive is damaged ({e})"),
            )
        })?;
        if archive.len() > MAX_ENTRIES {
            return Err(Error::input(
                path,
                format!(
                    "refused: its zip holds {} entries, more than the {MAX_ENTRIES} a {what} \
                     document needs",
                    archive.len()
                ),
            ));
        }
        Ok(Package {
            archive,
            path,
            left: Rc::new(Cell::new(budget)),
            budget,
        })
    }

    /// True when the zip holds an entry named `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// Streams the XML part `name` through `sink`, one [`Node`] at a time.
    pub(crate) fn read_xml(
        &mut self,
        name: &str,
        mut sink: impl FnMut(Node<'_>) -> Result<()>,
    ) -> Result<()> {
        let path = self.path;
        let budget = self.budget;
        let damaged = |e: &dyn std::fmt::Display| {
            Error::input(path, format!("{name}: cannot be read from the zip ({e})"))
        };
        let bomb = || {
            Error::input(
                path,
                format!(
                    "refused: its parts inflate to more than {budget} bytes ({name} reached the \
                     limit, 100 times the file, at least 64 MiB, at most 512 MiB): a zip bomb?"
                ),
            )
        };
        let file = self.archive.by_name(name).map_err(|e| damaged(&e))?;
        if file.size() > self.left.get() {
            return Err(bomb());
        }
        let over = Rc::new(Cell::new(false));
        let mut reader = NsReader::from_reader(BufReader::new(Capped {
            inner: file,
            left: Rc::clone(&self.left),
            over: Rc::clone(&over),
        }));
        let mut buf = Vec::new();
        let xml_error = |pos: u64, message: String| {
            Error::input(
                path,
                format!("{name}: malformed XML at byte {pos}: {message}"),
            )
        };
        loop {
            buf.clear();
            let (ns, event) = match reader.read_resolved_event_into(&mut buf) {
                Ok(x) => x,
                Err(e) => {
                    if over.get() {
                        return Err(bomb());
                    }
                    if let quick_xml::Error::Io(io) = &e {
                        return Err(damaged(io));
                    }
                    return Err(xml_error(reader.error_position(), e.to_string()));
                }
            };
            let ns = match ns {
                ResolveResult::Bound(n) => n.0,
                _ => "",
            };
            match event {
                Event::Start(ref tag) => {
                    let local = tag.local_name();
                    sink(Node::Start {
                        ns,
                        name: local.as_ref(),
                        tag,
                    })?;
                }
                Event::Empty(ref tag) => {
                    let local = tag.local_name();
                    sink(Node::Start {
                        ns,
                        name: local.as_ref(),
                        tag,
                    })?;
                    sink(Node::End {
                        ns,
                        name: local.as_ref(),
                    })?;
                }
                Event::End(ref tag) => {
                    let local = tag.local_name();
                    sink(Node::End {
                        ns,
                        name: local.as_ref(),
                    })?;
                }
                Event::Text(ref t) => sink(Node::Text(&t.xml10_content()))?,
                Event::CData(ref t) => sink(Node::Text(&t.xml10_content()))?,
                Event::GeneralRef(ref r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => match quick_xml::escape::resolve_predefined_entity(r) {
                            Some(s) => s.to_string(),
                            None => {
                                return Err(xml_error(
                                    reader.buffer_position(),
                                    format!("undefined entity &{};", &**r),
                                ))
                            }
                        },
                        Err(e) => return Err(xml_error(reader.buffer_position(), e.to_string())),
                    };
                    sink(Node::Text(&resolved))?;
                }
                Event::DocType(_) => {
                    return Err(Error::input(
                        path,
                        format!(
                            "refused: {name} has a document type declaration, which no {} \
                             writer puts there and whose entities could expand without bound",
                            if name.starts_with("word/") {
                                "Word"
                            } else {
                                "OpenDocument"
                            }
                        ),
                    ))
                }
                Event::Eof => return Ok(()),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            }
        }
    }
}

/// Why bytes that should be a zip are not one, saying what they look like instead.
fn not_a_zip(bytes: &[u8], what: &str) -> String {
    let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..head.len().min(start + 512)];
    let lower = head.to_ascii_lowercase();
    let looks = |s: &[u8]| lower.windows(s.len()).any(|w| w == s);
    if looks(b"<html") || looks(b"<!doctype html") {
        format!(
            "not a {what} document but an HTML page under a {what} name (a {what} document is \
             a zip archive); save it as .html and align that, or open it in a word processor \
             and save it as a real {what} document"
        )
    } else if head.starts_with(b"<") {
        format!(
            "not a {what} document but XML or HTML text (a {what} document is a zip archive); \
             save it from a word processor as a real {what} document"
        )
    } else if bytes.is_empty() {
        format!("the file is empty, not a {what} document")
    } else {
        format!("not a {what} document: it is not a zip archive (damaged or misnamed?)")
    }
}

/// A zip entry's reader that stops with an error once the document's inflate budget is spent.
struct Capped<R> {
    inner: R,
    left: Rc<Cell<u64>>,
    /// Set once the budget is spent with bytes still to come.
    over: Rc<Cell<bool>>,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.left.get();
        if left == 0 {
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.over.set(true);
            return Err(std::io::Error::other("inflated past the limit"));
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left.set(left - n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_reader_stops_at_the_budget() {
        let left = Rc::new(Cell::new(10));
        let over = Rc::new(Cell::new(false));
        let mut r = Capped {
            inner: Cursor::new(vec![b'a'; 100]),
            left: Rc::clone(&left),
            over: Rc::clone(&over),
        };
        let mut out = Vec::new();
        assert!(r.read_to_end(&mut out).is_err());
        assert_eq!(out.len(), 10);
        assert!(over.get());
        let mut exact = Capped {
            inner: Cursor::new(vec![b'a'; 10]),
            left: Rc::new(Cell::new(10)),
            over: Rc::new(Cell::new(false)),
        };
        assert_eq!(exact.read_to_end(&mut out).ok(), Some(10));
    }

    #[test]
    fn budget_is_100_times_the_file_within_bounds() {
        assert_eq!(budget(1000), 64 << 20);
        assert_eq!(budget(1 << 20), 100 << 20);
        assert_eq!(budget(50 << 20), 512 << 20);
    }
}
