//! Read: bytes on disk -> [`Document`] (decoded text and its paragraphs).
//!
//! Accepts UTF-8 with or without a byte-order mark and UTF-16 (LE or BE) with a BOM, or without
//! one when its NUL high bytes give it away (the one rule of `text::decode`, which
//! `bitext tm` reads by too); CRLF and
//! lone CR line ends become LF. A blank line (only white space) separates paragraphs; a single
//! line break inside a paragraph is a soft break that the splitter may cross. Plain text that
//! is not valid UTF-8 is read in the legacy code page it reads best in (Windows-1251, KOI8-R,
//! KOI8-U, IBM866, ISO-8859-5, x-mac-cyrillic, Windows-1252; [`Document::code_page`] names
//! it), unless it is broken UTF-8 (mostly valid multi-byte sequences), an error naming the
//! byte offset; [`ReadOptions::encoding`] chooses the encoding instead; NUL bytes mark a binary file; a file with no text is an
//! error, never an empty result. A file larger than a limit ([`DEFAULT_MAX_INPUT_BYTES`], or the
//! caller's) is refused before a byte of it is read, so a mistaken 2 GB input fails at once
//! instead of exhausting memory. [`mixed`] separates a document that holds both languages.
//! Word and OpenDocument files are read by [`docx`] and [`odt`] (a paragraph, heading, list item
//! or table cell each a paragraph of the document, see [`input`]).
//!
//! [`input`] tells a file's format; web pages ([`html`]), Markdown ([`markdown`]) and subtitles
//! ([`subtitles`]) are decoded as plain text is (legacy code pages included), then read into
//! blocks that become the document's paragraphs, keeping subtitle timing in [`Document::cues`].

pub mod docx;
pub mod html;
pub mod input;
pub mod markdown;
pub mod mixed;
pub mod odt;
pub(crate) mod package;
pub mod subtitles;
pub mod vectors;

use input::InputFormat;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
pub use encoding_rs::Encoding;

use crate::text::decode::{decode_utf16, detect, guess_legacy, looks_like_utf8, Detected};

/// Decoded text of one side, with its paragraphs as byte ranges into `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The format the document was read from ([`InputFormat::Text`] for text in memory).
    pub format: InputFormat,
    /// The legacy code page the file was read in, when it was not UTF-8 or UTF-16.
    pub code_page: Option<CodePage>,
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
            format: InputFormat::Text,
            code_page: None,
            name: name.into(),
            text,
            paragraphs,
            cues: Vec::new(),
        }
    }

    /// What a user should be told of how the document was read: its format when it is not
    /// plain text (`read as DOCX (7 paragraphs)`), and the legacy code page it was read in.
    pub fn read_notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.format != InputFormat::Text {
            notes.push(format!(
                "read as {} ({} paragraphs)",
                self.format.name(),
                self.paragraphs.len()
            ));
        }
        if let Some(code_page) = &self.code_page {
            notes.push(code_page.to_string());
        }
        notes
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

/// A legacy (single-byte) code page a document was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodePage {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// True when guessed from the bytes, false when the caller chose it.
    pub guessed: bool,
}

impl CodePage {
    /// The encoding's WHATWG name, lowercase: `windows-1251`, `koi8-r`, `ibm866`.
    pub fn name(&self) -> String {
        self.encoding.name().to_ascii_lowercase()
    }
}

impl std::fmt::Display for CodePage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.guessed {
            true => write!(
                f,
                "read as {} (guessed from the bytes; --encoding to choose)",
                self.name()
            ),
            false => write!(f, "read as {} (--encoding)", self.name()),
        }
    }
}

/// How to read a file: the size limit and the encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// A file larger than this is refused before it is read.
    pub max_bytes: u64,
    /// Read the bytes in this encoding instead of detecting it; bytes that do not decode
    /// cleanly in it are an error naming the byte offset.
    pub encoding: Option<&'static Encoding>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_bytes: DEFAULT_MAX_INPUT_BYTES,
            encoding: None,
        }
    }
}

/// The encodings `--encoding` (an [`encoding_for_label`] label) is documented to accept.
pub const ENCODING_LABELS: &str = "utf-8, utf-16le, utf-16be, windows-1251 (cp1251), koi8-r, \
     koi8-u, ibm866 (cp866), iso-8859-5, x-mac-cyrillic, windows-1252 (cp1252, latin1)";

/// The encoding named by `label` (a WHATWG label such as `windows-1251`, `koi8-r`, `cp866`;
/// also `cp1251`, `cp1252`); an unknown label is an error listing [`ENCODING_LABELS`].
pub fn encoding_for_label(label: &str) -> std::result::Result<&'static Encoding, String> {
    let l = label.trim().to_ascii_lowercase();
    let l = match l.as_str() {
        "cp1251" => "windows-1251",
        "cp1252" => "windows-1252",
        "utf8" => "utf-8",
        other => other,
    };
    Encoding::for_label_no_replacement(l.as_bytes())
        .ok_or_else(|| format!("unknown encoding '{label}'; supported: {ENCODING_LABELS}"))
}

/// Reads and decodes a file (`-` reads standard input); an empty or blank file is an error, and
/// so is a file larger than [`DEFAULT_MAX_INPUT_BYTES`].
pub fn read_file(path: &Path) -> Result<Document> {
    read_file_limited(path, DEFAULT_MAX_INPUT_BYTES)
}

/// [`read_file`] with a size limit of `max_bytes`: a larger file is refused before it is read.
pub fn read_file_limited(path: &Path, max_bytes: u64) -> Result<Document> {
    read_file_with(
        path,
        &ReadOptions {
            max_bytes,
            ..ReadOptions::default()
        },
    )
}

/// [`read_file`] with `options`: a size limit and an encoding to read in instead of detecting
/// one. [`Document::code_page`] tells a legacy code page that was guessed or chosen.
pub fn read_file_with(path: &Path, options: &ReadOptions) -> Result<Document> {
    let bytes = read_bytes_limited(path, options.max_bytes)?;
    let name = path.display().to_string();
    let text = |bytes: &[u8]| -> Result<Document> {
        let (text, code_page) = decode_with(bytes, path, options.encoding)?;
        let mut doc = Document::from_text(name.clone(), text);
        doc.code_page = code_page;
        Ok(doc)
    };
    // A web page, Markdown or subtitles: decoded as text is, then read into blocks.
    let web = |bytes: &[u8], blocks: fn(&str, &Path) -> Result<Vec<input::Block>>| {
        let (text, code_page) = decode_with(bytes, path, options.encoding)?;
        let mut doc = Document::from_blocks(name.clone(), &blocks(&text, path)?);
        doc.code_page = code_page;
        Ok::<Document, Error>(doc)
    };
    let format = InputFormat::of(path, &bytes)?;
    let mut doc = match format {
        InputFormat::Text => text(&bytes)?,
        InputFormat::Html => web(&bytes, html::blocks)?,
        InputFormat::Markdown => web(&bytes, markdown::blocks)?,
        InputFormat::Srt => web(&bytes, subtitles::srt_blocks)?,
        InputFormat::WebVtt => web(&bytes, subtitles::vtt_blocks)?,
        InputFormat::Pdf => {
            return Err(Error::input(
                path,
                "bitext does not extract text from PDF (no pure-Rust extractor keeps its \
                 paragraphs); convert it with `pdftotext -layout FILE.pdf FILE.txt` (poppler-utils) \
                 and align the text",
            ))
        }
        InputFormat::Docx => Document::from_blocks(name, &docx::blocks(&bytes, path)?),
        InputFormat::Odt => Document::from_blocks(name, &odt::blocks(&bytes, path)?),
    };
    doc.format = format;
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
/// bytes); `path` names errors. Bytes that are not UTF-8 are an error; [`decode_with`] reads
/// them in a legacy code page instead.
pub fn decode(bytes: &[u8], path: &Path) -> Result<String> {
    decode_unicode(bytes, path, false).map(|(text, _)| text)
}

/// Decodes plain text: in `encoding` when given, else by the one rule of [`decode`], and when
/// the bytes are not valid UTF-8 (nor broken UTF-8: more valid multi-byte sequences than bad
/// bytes), in the legacy code page the bytes read best in (Windows-1251, KOI8-R, KOI8-U,
/// IBM866, ISO-8859-5, x-mac-cyrillic or Windows-1252, scored by letter frequencies and case).
/// Returns the text and the legacy code page used, if any. With `encoding`, bytes that do not
/// decode cleanly are an error naming the byte offset.
pub fn decode_with(
    bytes: &[u8],
    path: &Path,
    encoding: Option<&'static Encoding>,
) -> Result<(String, Option<CodePage>)> {
    let Some(enc) = encoding else {
        return decode_unicode(bytes, path, true);
    };
    let decode_error = |byte: usize| -> Error {
        ErrorKind::Decode {
            path: PathBuf::from(path),
            encoding: enc.name(),
            byte: byte as u64,
        }
        .into()
    };
    if enc == encoding_rs::UTF_8 {
        let skip = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            3
        } else {
            0
        };
        let text = std::str::from_utf8(&bytes[skip..])
            .map_err(|e| decode_error(e.valid_up_to() + skip))?;
        return Ok((no_nul(text, path, skip)?.to_owned(), None));
    }
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        let little = enc == encoding_rs::UTF_16LE;
        let bom: &[u8] = if little { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] };
        let skip = if bytes.starts_with(bom) { 2 } else { 0 };
        let text = decode_utf16(&bytes[skip..], little).map_err(|at| decode_error(at + skip))?;
        return Ok((text, None));
    }
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => {}
        encoding_rs::DecoderResult::Malformed(bad, after) => {
            return Err(decode_error(read - after as usize - bad as usize))
        }
        encoding_rs::DecoderResult::OutputFull => unreachable!("the buffer holds the worst case"),
    }
    no_nul(&text, path, 0)?;
    let code_page = CodePage {
        encoding: enc,
        guessed: false,
    };
    Ok((text, Some(code_page)))
}

/// `text`, or the binary-data error for its first NUL (its byte offset plus `skip`).
fn no_nul<'t>(text: &'t str, path: &Path, skip: usize) -> Result<&'t str> {
    match text.bytes().position(|b| b == 0) {
        Some(nul) => Err(Error::input(
            path,
            format!(
                "binary data (NUL byte at byte {}), expected text",
                nul + skip
            ),
        )),
        None => Ok(text),
    }
}

/// [`decode`], and with `guess`, invalid UTF-8 read in the legacy code page it reads best in.
fn decode_unicode(bytes: &[u8], path: &Path, guess: bool) -> Result<(String, Option<CodePage>)> {
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
            let text = decode_utf16(body, little)
                .map_err(|at| decode_error(detected.name(), at + skip))?;
            Ok((text, None))
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
                Ok(text) => Ok((text.to_owned(), None)),
                Err(_) if guess && skip == 0 && !looks_like_utf8(body) => {
                    let encoding = guess_legacy(body);
                    let (text, _) = encoding.decode_without_bom_handling(body);
                    let code_page = CodePage {
                        encoding,
                        guessed: true,
                    };
                    Ok((text.into_owned(), Some(code_page)))
                }
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

    /// The legacy fixtures: (file, code page it is in, the text it decodes to).
    fn legacy_fixtures() -> Vec<(String, &'static str, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/encodings");
        let mut out = Vec::new();
        for (lang, cp) in [
            ("ru", "windows-1251"),
            ("ru", "koi8-r"),
            ("ru", "koi8-u"),
            ("ru", "ibm866"),
            ("ru", "iso-8859-5"),
            ("ru", "x-mac-cyrillic"),
            ("fr", "windows-1252"),
        ] {
            let stem = format!("sco-paris-pact-beijing.{lang}.{cp}");
            let expected = std::fs::read_to_string(dir.join(format!("{stem}.expected.txt")))
                .expect("expected text");
            let file = dir.join(format!("{stem}.txt"));
            out.push((file.display().to_string(), cp, expected));
        }
        out
    }

    #[test]
    fn each_code_page_is_guessed_from_the_fixtures() {
        for (file, cp, expected) in legacy_fixtures() {
            let bytes = std::fs::read(&file).expect("fixture");
            let (text, code_page) = decode_with(&bytes, Path::new(&file), None).expect(&file);
            let code_page = code_page.expect("a code page");
            assert!(code_page.guessed);
            assert_eq!(text, expected, "{file}");
            // Russian text reads the same in KOI8-R and KOI8-U; the tie goes to KOI8-R.
            let want = if cp == "koi8-u" { "koi8-r" } else { cp };
            assert_eq!(code_page.name(), want, "{file}");
            // Chosen with --encoding: the same text, not guessed.
            let enc = encoding_for_label(cp).expect("label");
            let (chosen, code_page) =
                decode_with(&bytes, Path::new(&file), Some(enc)).expect(&file);
            assert_eq!(chosen, expected);
            assert_eq!(code_page.map(|c| c.guessed), Some(false));
        }
    }

    #[test]
    fn encoding_override_refuses_bytes_it_cannot_decode() {
        let utf8 = encoding_for_label("utf-8").expect("utf-8");
        let err = decode_with(b"ok \xC0 bad", Path::new("f.txt"), Some(utf8))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "f.txt: invalid UTF-8 at byte 3");
        // Shift_JIS: a lead byte followed by a byte it cannot take.
        let sjis = encoding_for_label("shift_jis").expect("shift_jis");
        let err = decode_with(b"abc\x81\x20", Path::new("f.txt"), Some(sjis))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "f.txt: invalid Shift_JIS at byte 3");
        // A UTF-8 file read as Windows-1251 on request: every byte decodes, as mojibake.
        let cp1251 = encoding_for_label("cp1251").expect("cp1251");
        let (text, _) =
            decode_with("ШОС".as_bytes(), Path::new("f.txt"), Some(cp1251)).expect("1251");
        assert_eq!(text, "РЁРћРЎ");
        let (text, cp) = decode_with("ШОС".as_bytes(), Path::new("f.txt"), None).expect("utf-8");
        assert_eq!((text.as_str(), cp), ("ШОС", None));
    }

    #[test]
    fn encoding_labels() {
        for (label, name) in [
            ("cp1251", "windows-1251"),
            ("windows-1251", "windows-1251"),
            ("KOI8-R", "KOI8-R"),
            ("koi8-u", "KOI8-U"),
            ("cp866", "IBM866"),
            ("ibm866", "IBM866"),
            ("iso-8859-5", "ISO-8859-5"),
            ("x-mac-cyrillic", "x-mac-cyrillic"),
            ("cp1252", "windows-1252"),
            ("latin1", "windows-1252"),
            ("utf8", "UTF-8"),
            ("utf-16le", "UTF-16LE"),
        ] {
            assert_eq!(encoding_for_label(label).expect(label).name(), name);
        }
        let err = encoding_for_label("klingon").unwrap_err();
        assert!(
            err.starts_with("unknown encoding 'klingon'; supported: utf-8"),
            "{err}"
        );
    }

    #[test]
    fn invalid_utf8_names_the_byte() {
        // One bad byte in text with valid multi-byte UTF-8: broken UTF-8, not a code page.
        let err = decode_with("ШОС ok \u{FF} ".as_bytes(), Path::new("f.txt"), None);
        assert!(err.is_ok(), "valid");
        let mut bytes = "ШОС ok".as_bytes().to_vec();
        bytes.push(0xFF);
        let err = decode_with(&bytes, Path::new("f.txt"), None)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "f.txt: invalid UTF-8 at byte 9");
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
