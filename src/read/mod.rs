//! Read: bytes on disk -> [`Document`] (decoded text and its paragraphs).
//!
//! Accepts UTF-8 with or without a byte-order mark and UTF-16 (LE or BE) with a BOM, or without
//! one when its NUL high bytes give it away (the one rule of `text::decode`, which
//! `bitext tm` reads by too); CRLF and
//! lone CR line ends become LF. A blank line (only white space) separates paragraphs; a single
//! line break inside a paragraph is a soft break that the splitter may cross. Invalid UTF-8 is
//! an error naming the byte offset; NUL bytes mark a binary file; a file with no text is an
//! error, never an empty result. A file larger than a limit ([`DEFAULT_MAX_INPUT_BYTES`], or the
//! caller's) is refused before a byte of it is read, so a mistaken 2 GB input fails at once
//! instead of exhausting memory. [`mixed`] separates a document that holds both languages.
//!
//! [`input`] tells a file's format; web pages ([`html`]), Markdown ([`markdown`]) and subtitles
//! ([`subtitles`]) are decoded the same way, then read into blocks that become the document's
//! paragraphs, keeping subtitle timing in [`Document::cues`].

pub mod html;
pub mod input;
pub mod markdown;
pub mod mixed;
pub mod subtitles;

use input::InputFormat;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
use crate::text::decode::{decode_utf16, detect, Detected};

/// Decoded text of one side, with its paragraphs as byte ranges into `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Where the text came from (a path, `-` for stdin, or a caller's label).
    pub name: String,
    /// The whole text, LF line ends.
    pub text: String,
    /// Paragraphs, in order: byte ranges of non-blank line runs, without the final line break.
    pub paragraphs: Vec<Range<usize>>,
    /// The subtitle cues of a SubRip or WebVTT file, in order, each with its paragraph (one
    /// paragraph a cue); empty for every other format.
    pub cues: Vec<input::CueTime>,
}

impl Document {
    /// A document from text already in memory; line ends are normalised and paragraphs found.
    pub fn from_text(name: impl Into<String>, text: impl Into<String>) -> Document {
        let mut text = text.into();
        if text.contains('\r') {
            text = text.replace("\r\n", "\n").replace('\r', "\n");
        }
        let paragraphs = paragraphs(&text);
        Document {
            name: name.into(),
            text,
            paragraphs,
            cues: Vec::new(),
        }
    }

    /// True when the document holds no text at all (only white space).
    pub fn is_blank(&self) -> bool {
        self.paragraphs.is_empty()
    }

    /// The text of paragraph `i`.
    #[cfg(test)]
    pub(crate) fn paragraph(&self, i: usize) -> &str {
        &self.text[self.paragraphs[i].clone()]
    }
}

/// The largest input file read by default: 1 GiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 1 << 30;

/// Reads and decodes a file (`-` reads standard input); an empty or blank file is an error, and
/// so is a file larger than [`DEFAULT_MAX_INPUT_BYTES`].
pub fn read_file(path: &Path) -> Result<Document> {
    read_file_limited(path, DEFAULT_MAX_INPUT_BYTES)
}

/// [`read_file`] with a size limit of `max_bytes`: a larger file is refused before it is read.
pub fn read_file_limited(path: &Path, max_bytes: u64) -> Result<Document> {
    let bytes = read_bytes_limited(path, max_bytes)?;
    let name = path.display().to_string();
    let doc = match InputFormat::of(path, &bytes)? {
        InputFormat::Text => Document::from_text(name, decode(&bytes, path)?),
        InputFormat::Html => {
            Document::from_blocks(name, &html::blocks(&decode(&bytes, path)?, path)?)
        }
        InputFormat::Markdown => {
            Document::from_blocks(name, &markdown::blocks(&decode(&bytes, path)?, path)?)
        }
        InputFormat::Srt => {
            Document::from_blocks(name, &subtitles::srt_blocks(&decode(&bytes, path)?, path)?)
        }
        InputFormat::WebVtt => {
            Document::from_blocks(name, &subtitles::vtt_blocks(&decode(&bytes, path)?, path)?)
        }
        InputFormat::Pdf => {
            return Err(Error::input(
                path,
                "bitext does not extract text from PDF (no pure-Rust extractor keeps its \
                 paragraphs); convert it with `pdftotext -layout FILE.pdf FILE.txt` (poppler-utils) \
                 and align the text",
            ))
        }
        f @ (InputFormat::Docx | InputFormat::Odt) => {
            return Err(Error::input(
                path,
                format!(
                    "bitext does not read {} documents yet; save the document as plain text \
                     (UTF-8) and align that",
                    f.name()
                ),
            ))
        }
    };
    if doc.is_blank() {
        return Err(Error::input(path, "the file holds no text"));
    }
    Ok(doc)
}

/// Reads the raw bytes of a file, or of standard input for `-`; more than `max_bytes` is an
/// error naming the file and its size. A regular file is measured before it is opened; standard
/// input, pipes and files that grow while being read are cut off one byte past the limit.
pub(crate) fn read_bytes_limited(path: &Path, max_bytes: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(max_bytes.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| Error::io("<stdin>", e))?;
        if buf.len() as u64 > max_bytes {
            return Err(too_large(Path::new("<stdin>"), None, max_bytes));
        }
        return Ok(buf);
    }
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::input(path, "is a directory, expected a file"));
    }
    if meta.is_file() && meta.len() > max_bytes {
        return Err(too_large(path, Some(meta.len()), max_bytes));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let capacity = if meta.is_file() {
        meta.len() as usize
    } else {
        0
    };
    let mut buf = Vec::with_capacity(capacity);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path, e))?;
    if buf.len() as u64 > max_bytes {
        return Err(too_large(path, None, max_bytes));
    }
    Ok(buf)
}

/// The error for an input over the limit; `size` is the file's size when it is known.
fn too_large(path: &Path, size: Option<u64>, max_bytes: u64) -> Error {
    let size = match size {
        Some(n) => format!("{n} bytes ({})", human_bytes(n)),
        None => format!("more than {max_bytes} bytes"),
    };
    Error::input(
        path,
        format!(
            "the input is {size}, over the limit of {max_bytes} bytes ({}); \
             --max-input-bytes raises the limit",
            human_bytes(max_bytes)
        ),
    )
}

/// A byte count in binary units with one decimal: `2.0 GiB`, `512.0 KiB`, `17 B`.
pub(crate) fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Decodes bytes as UTF-8 or UTF-16, the encoding told by the one rule every reader uses
/// (`crate::text::decode::detect`: a byte-order mark, else UTF-16 recognised by its NUL
/// bytes); `path` names errors.
pub fn decode(bytes: &[u8], path: &Path) -> Result<String> {
    let decode_error = |encoding, byte: usize| -> Error {
        ErrorKind::Decode {
            path: PathBuf::from(path),
            encoding,
            byte: byte as u64,
        }
        .into()
    };
    let (detected, skip) = detect(bytes);
    let body = &bytes[skip..];
    match detected {
        Detected::Utf16Le { .. } | Detected::Utf16Be { .. } => {
            let little = matches!(detected, Detected::Utf16Le { .. });
            // Strictly decoded: a file that only looked like UTF-16 fails at its first bad unit.
            decode_utf16(body, little).map_err(|at| decode_error(detected.name(), at + skip))
        }
        Detected::Utf8 | Detected::Utf8Bom => {
            if let Some(nul) = body.iter().position(|&b| b == 0) {
                return Err(Error::input(
                    path,
                    format!(
                        "binary data (NUL byte at byte {}), expected text",
                        nul + skip
                    ),
                ));
            }
            match std::str::from_utf8(body) {
                Ok(text) => Ok(text.to_owned()),
                Err(e) => Err(decode_error("UTF-8", e.valid_up_to() + skip)),
            }
        }
    }
}

/// Byte ranges of the paragraphs of `text`: runs of lines that are not blank.
pub(crate) fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut current: Option<Range<usize>> = None;
    let mut line_start = 0usize;
    for line in text.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let line_end = line_start + content.len();
        if content.trim().is_empty() {
            if let Some(p) = current.take() {
                out.push(p);
            }
        } else {
            match &mut current {
                Some(p) => p.end = line_end,
                None => current = Some(line_start..line_end),
            }
        }
        line_start += line.len();
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> Result<String> {
        decode(bytes, Path::new("f.txt"))
    }

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        assert_eq!(dec(b"abc").unwrap(), "abc");
        assert_eq!(dec(b"\xEF\xBB\xBFabc").unwrap(), "abc");
    }

    #[test]
    fn decodes_utf16_with_bom() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Жа\u{1F4D6}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(dec(&le).unwrap(), "Жа\u{1F4D6}");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Жа".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(dec(&be).unwrap(), "Жа");
    }

    #[test]
    fn invalid_utf8_names_the_byte() {
        let err = dec(b"ok \xD0\xD0 bad").unwrap_err().to_string();
        assert_eq!(err, "f.txt: invalid UTF-8 at byte 3");
        let err = dec(b"\xEF\xBB\xBFok \xFF").unwrap_err().to_string();
        assert_eq!(err, "f.txt: invalid UTF-8 at byte 6");
    }

    #[test]
    fn lone_surrogate_in_utf16_is_an_error() {
        let bytes = [0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0];
        let err = dec(&bytes).unwrap_err().to_string();
        assert_eq!(err, "f.txt: invalid UTF-16LE at byte 4");
    }

    #[test]
    fn utf16_without_a_bom_is_recognised_and_binary_is_not() {
        let text = "The SCO met.\nШОС собралась.\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(dec(&le).expect("LE"), text);
        assert_eq!(dec(&be).expect("BE"), text);
        // NULs at both parities: binary.
        let err = dec(b"ab\0\0c\0\0d\0e\0f").expect_err("binary").to_string();
        assert!(err.contains("binary data"), "{err}");
        // Looks like UTF-16 but holds a lone surrogate: an error at its byte.
        let mut bad = le.clone();
        bad.extend_from_slice(&0xD800u16.to_le_bytes());
        bad.extend_from_slice(&u16::from(b'x').to_le_bytes());
        let err = dec(&bad).expect_err("surrogate").to_string();
        assert!(err.contains("UTF-16LE at byte"), "{err}");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let err = dec(b"PK\x03\x04\x00\x00").unwrap_err().to_string();
        assert!(err.contains("binary data (NUL byte at byte 4)"), "{err}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.txt");
        std::fs::write(&path, "Twelve bytes").expect("write");
        assert_eq!(
            read_file_limited(&path, 12).expect("at the limit").text,
            "Twelve bytes"
        );
        let err = read_file_limited(&path, 11).unwrap_err().to_string();
        assert!(err.contains("big.txt"), "{err}");
        assert!(
            err.contains("the input is 12 bytes (12 B), over the limit of 11 bytes"),
            "{err}"
        );
        // A sparse file: its size is refused without reading (or allocating) it.
        let sparse = dir.path().join("sparse.txt");
        let f = std::fs::File::create(&sparse).expect("create");
        f.set_len(3 << 30).expect("set_len");
        let err = read_file(&sparse).unwrap_err().to_string();
        assert!(err.contains("3221225472 bytes (3.0 GiB)"), "{err}");
        assert!(err.contains("1073741824 bytes (1.0 GiB)"), "{err}");
    }

    #[test]
    fn human_byte_counts() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(10 << 20), "10.0 MiB");
        assert_eq!(human_bytes(2 << 30), "2.0 GiB");
    }

    #[test]
    fn paragraphs_are_separated_by_blank_lines() {
        let doc = Document::from_text("t", "Title\r\n\r\nOne.\nstill one.\n \t\nTwo.\n\n\n");
        assert_eq!(doc.text, "Title\n\nOne.\nstill one.\n \t\nTwo.\n\n\n");
        let paras: Vec<&str> = (0..doc.paragraphs.len())
            .map(|i| doc.paragraph(i))
            .collect();
        assert_eq!(paras, ["Title", "One.\nstill one.", "Two."]);
        assert!(Document::from_text("t", " \n\u{a0}\n").is_blank());
    }
}
