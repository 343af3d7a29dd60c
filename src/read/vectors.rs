//! Sentence vectors on disk -> [`SentenceVectors`]: NumPy `.npy` files (format versions 1.0,
//! 2.0 and 3.0, as `numpy.save` writes them: the magic `\x93NUMPY`, a header dictionary with
//! `descr`, `fortran_order` and `shape`, then the values), 2-D arrays of float32 or float64 in
//! either byte order; or raw little-endian float32 with the dimension given.
//!
//! An error names the file and, where the bytes are at fault, the byte offset.

use std::path::Path;

use std::fmt;

use crate::error::{Error, Result};

/// The unit-length sentence vectors of one side of a pair, one row per sentence.
#[derive(Clone, PartialEq)]
pub struct SentenceVectors {
    dim: usize,
    /// `rows * dim` values, row after row; each row of unit length, or all zero when the
    /// model gave a zero vector.
    data: Vec<f32>,
}

impl fmt::Debug for SentenceVectors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SentenceVectors({} x {})", self.rows(), self.dim)
    }
}

/// Why values cannot be sentence vectors.
#[derive(Debug, Clone, PartialEq)]
pub enum VectorsError {
    /// The dimension is zero.
    NoDimension,
    /// The number of values is not a multiple of the dimension.
    Ragged {
        /// Number of values.
        values: usize,
        /// The dimension.
        dim: usize,
    },
    /// A value is NaN or infinite.
    NotFinite {
        /// Row (sentence), from 0.
        row: usize,
        /// Column, from 0.
        column: usize,
    },
}

impl fmt::Display for VectorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VectorsError::NoDimension => write!(f, "the vectors have no dimension"),
            VectorsError::Ragged { values, dim } => write!(
                f,
                "{values} values do not make rows of {dim} (the dimension given is wrong?)"
            ),
            VectorsError::NotFinite { row, column } => write!(
                f,
                "row {} (sentence {}), column {} is not a finite number",
                row,
                row + 1,
                column
            ),
        }
    }
}

impl std::error::Error for VectorsError {}

impl SentenceVectors {
    /// The vectors of `data.len() / dim` sentences given row after row, each scaled to unit
    /// length (a zero row stays zero: no evidence for that sentence).
    pub fn from_rows(
        mut data: Vec<f32>,
        dim: usize,
    ) -> std::result::Result<SentenceVectors, VectorsError> {
        if dim == 0 {
            return Err(VectorsError::NoDimension);
        }
        if !data.len().is_multiple_of(dim) {
            return Err(VectorsError::Ragged {
                values: data.len(),
                dim,
            });
        }
        for (row, values) in data.chunks_exact_mut(dim).enumerate() {
            if let Some(column) = values.iter().position(|x| !x.is_finite()) {
                return Err(VectorsError::NotFinite { row, column });
            }
            let norm = values
                .iter()
                .map(|&x| f64::from(x) * f64::from(x))
                .sum::<f64>()
                .sqrt();
            if norm > 0.0 {
                for x in values.iter_mut() {
                    *x = (f64::from(*x) / norm) as f32;
                }
            }
        }
        Ok(SentenceVectors { dim, data })
    }

    /// Number of rows (sentences).
    pub fn rows(&self) -> usize {
        self.data.len() / self.dim
    }

    /// Values per row.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The unit-length (or zero) vector of sentence `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }
}

/// The sentence vectors of both sides of a pair, with the names errors give them (their
/// files).
#[derive(Debug, Clone)]
pub struct PairVectors {
    /// One row per source sentence.
    pub src: SentenceVectors,
    /// One row per target sentence.
    pub tgt: SentenceVectors,
    /// Where the source vectors came from.
    pub src_name: String,
    /// Where the target vectors came from.
    pub tgt_name: String,
}

impl PairVectors {
    /// Why these vectors do not fit sides of `src_sentences` and `tgt_sentences` sentences
    /// (a row per sentence, one dimension): the file at fault and what is wrong.
    pub fn mismatch(&self, src_sentences: usize, tgt_sentences: usize) -> Option<(&str, String)> {
        for (name, vectors, sentences, side) in [
            (&self.src_name, &self.src, src_sentences, "source"),
            (&self.tgt_name, &self.tgt, tgt_sentences, "target"),
        ] {
            if vectors.rows() != sentences {
                return Some((
                    name,
                    format!(
                        "{} rows of vectors for {sentences} {side} sentences (give one row \
                     per sentence bitext aligns: with --presplit one per line, else one per \
                     sentence `bitext split` prints)",
                        vectors.rows()
                    ),
                ));
            }
        }
        (self.src.dim() != self.tgt.dim()).then(|| {
            (
                self.tgt_name.as_str(),
                format!(
                    "vectors of dimension {}, but {} has dimension {} (both sides must come \
                 from one model)",
                    self.tgt.dim(),
                    self.src_name,
                    self.src.dim()
                ),
            )
        })
    }
}

/// The first bytes of every `.npy` file.
const MAGIC: &[u8] = b"\x93NUMPY";

/// Reads the vectors of `path` (`.npy`, or raw float32 when `dim` is given and the file is not
/// `.npy`); more than `max_bytes` is an error.
pub fn read_vectors(path: &Path, dim: Option<usize>, max_bytes: u64) -> Result<SentenceVectors> {
    let bytes = super::read_bytes_limited(path, max_bytes)?;
    parse_vectors(&bytes, path, dim)
}

/// Parses the bytes of a vectors file named `path` (see [`read_vectors`]).
pub fn parse_vectors(bytes: &[u8], path: &Path, dim: Option<usize>) -> Result<SentenceVectors> {
    let fail = |message: String| Error::input(path, message);
    let (values, columns) = if bytes.starts_with(MAGIC) {
        let (values, columns) = parse_npy(bytes).map_err(fail)?;
        if let Some(dim) = dim.filter(|&d| d != columns) {
            return Err(fail(format!(
                "the .npy array has {columns} columns but a dimension of {dim} was given"
            )));
        }
        (values, columns)
    } else {
        let Some(dim) = dim else {
            return Err(fail(
                "not a NumPy .npy file (it does not start with \\x93NUMPY); for raw \
                 little-endian float32 give the dimension (--embedding-dim)"
                    .into(),
            ));
        };
        if !bytes.len().is_multiple_of(4) {
            return Err(fail(format!(
                "{} bytes are not whole float32 values: the last value is cut at byte {}",
                bytes.len(),
                bytes.len() - bytes.len() % 4
            )));
        }
        let values = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        (values, dim)
    };
    SentenceVectors::from_rows(values, columns).map_err(|e| fail(e.to_string()))
}

/// The element types a `.npy` file may hold.
#[derive(Clone, Copy)]
enum Element {
    F32 { little: bool },
    F64 { little: bool },
}

impl Element {
    fn size(self) -> usize {
        match self {
            Element::F32 { .. } => 4,
            Element::F64 { .. } => 8,
        }
    }

    fn read(self, b: &[u8]) -> f32 {
        match self {
            Element::F32 { little } => {
                let b = [b[0], b[1], b[2], b[3]];
                if little {
                    f32::from_le_bytes(b)
                } else {
                    f32::from_be_bytes(b)
                }
            }
            Element::F64 { little } => {
                let b = [b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]];
                (if little {
                    f64::from_le_bytes(b)
                } else {
                    f64::from_be_bytes(b)
                }) as f32
            }
        }
    }
}

/// The values (row-major) and the number of columns of a `.npy` file's 2-D array.
fn parse_npy(bytes: &[u8]) -> std::result::Result<(Vec<f32>, usize), String> {
    let version = bytes
        .get(6..8)
        .ok_or("the .npy header is cut short at byte 6")?;
    let (len_bytes, start): (usize, usize) = match version[0] {
        1 => (2, 10),
        2 | 3 => (4, 12),
        v => {
            return Err(format!(
                "unknown .npy format version {v}.{} at byte 6",
                version[1]
            ))
        }
    };
    let len = bytes
        .get(8..8 + len_bytes)
        .ok_or("the .npy header is cut short at byte 8")?;
    let header_len = len
        .iter()
        .rev()
        .fold(0usize, |n, &b| (n << 8) | usize::from(b));
    let header = bytes
        .get(start..start.saturating_add(header_len))
        .ok_or_else(|| {
            format!(
                "the .npy header says it is {header_len} bytes long from byte {start}, but the \
                 file has {} bytes",
                bytes.len()
            )
        })?;
    let header = std::str::from_utf8(header).map_err(|e| {
        format!(
            "the .npy header is not text at byte {}",
            start + e.valid_up_to()
        )
    })?;
    let descr = dict_value(header, "descr").ok_or("the .npy header has no 'descr'")?;
    let element = match descr.trim_matches(|c| c == '\'' || c == '"') {
        "<f4" | "=f4" => Element::F32 { little: true },
        ">f4" => Element::F32 { little: false },
        "<f8" | "=f8" => Element::F64 { little: true },
        ">f8" => Element::F64 { little: false },
        other => {
            return Err(format!(
                "the .npy array holds {other}, not float32 or float64 (save it with \
                 .astype('float32'))"
            ))
        }
    };
    let fortran = match dict_value(header, "fortran_order") {
        Some("True") => true,
        Some("False") => false,
        _ => return Err("the .npy header has no 'fortran_order' True or False".into()),
    };
    let shape = dict_value(header, "shape").ok_or("the .npy header has no 'shape'")?;
    let dims: Vec<usize> = shape
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<usize>()
                .map_err(|_| format!("bad .npy shape {shape}"))
        })
        .collect::<std::result::Result<_, _>>()?;
    let [rows, columns] = dims[..] else {
        return Err(format!(
            "the .npy array has shape {shape}; sentence vectors are a 2-D array, one row per \
             sentence"
        ));
    };
    let data = &bytes[start + header_len..];
    let need = rows
        .checked_mul(columns)
        .and_then(|n| n.checked_mul(element.size()))
        .ok_or_else(|| format!("the .npy shape {shape} is too large"))?;
    if data.len() != need {
        return Err(format!(
            "the .npy shape {shape} needs {need} bytes of values after the header, but the file \
             has {} (it ends at byte {})",
            data.len(),
            bytes.len()
        ));
    }
    let mut values: Vec<f32> = data
        .chunks_exact(element.size())
        .map(|b| element.read(b))
        .collect();
    if fortran && rows > 1 && columns > 1 {
        // Column-major: value (r, c) is at c * rows + r.
        let stored = std::mem::take(&mut values);
        values = (0..rows * columns)
            .map(|k| stored[(k % columns) * rows + k / columns])
            .collect();
    }
    Ok((values, columns))
}

/// The text of `key`'s value in a Python dictionary literal such as `{'descr': '<f4',
/// 'fortran_order': False, 'shape': (3, 4), }`: up to the next top-level comma or brace.
fn dict_value<'h>(header: &'h str, key: &str) -> Option<&'h str> {
    let at = ["'", "\""]
        .iter()
        .find_map(|q| header.find(&format!("{q}{key}{q}")))?;
    let rest = &header[at + key.len() + 2..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let mut depth = 0;
    for (i, c) in rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' | '}' if depth == 0 => return Some(rest[..i].trim()),
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes `numpy.save` writes for `values` of shape (rows, columns), format 1.0.
    pub(crate) fn npy(descr: &str, fortran: bool, shape: &str, data: &[u8]) -> Vec<u8> {
        let mut header = format!(
            "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {shape}, }}",
            if fortran { "True" } else { "False" }
        );
        while (10 + header.len() + 1) % 64 != 0 {
            header.push(' ');
        }
        header.push('\n');
        let mut out = MAGIC.to_vec();
        out.extend([1, 0]);
        out.extend((header.len() as u16).to_le_bytes());
        out.extend(header.as_bytes());
        out.extend(data);
        out
    }

    fn f32s(values: &[f32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    fn parse(bytes: &[u8], dim: Option<usize>) -> Result<SentenceVectors> {
        parse_vectors(bytes, Path::new("v.npy"), dim)
    }

    fn vectors(rows: &[&[f32]]) -> SentenceVectors {
        let dim = rows[0].len();
        SentenceVectors::from_rows(rows.concat(), dim).unwrap()
    }

    #[test]
    fn rows_are_scaled_to_unit_length_and_zero_rows_stay_zero() {
        let v = vectors(&[&[3.0, 4.0], &[0.0, 0.0]]);
        assert_eq!(v.rows(), 2);
        assert_eq!(v.row(0), &[0.6, 0.8]);
        assert_eq!(v.row(1), &[0.0, 0.0]);
    }

    #[test]
    fn bad_values_are_refused_with_their_place() {
        assert_eq!(
            SentenceVectors::from_rows(vec![1.0, 2.0, 3.0], 2),
            Err(VectorsError::Ragged { values: 3, dim: 2 })
        );
        assert_eq!(
            SentenceVectors::from_rows(vec![1.0, 2.0, 3.0, f32::NAN], 2),
            Err(VectorsError::NotFinite { row: 1, column: 1 })
        );
        assert_eq!(
            SentenceVectors::from_rows(vec![], 0),
            Err(VectorsError::NoDimension)
        );
        let message = VectorsError::NotFinite { row: 1, column: 1 }.to_string();
        assert!(message.contains("sentence 2"), "{message}");
    }

    #[test]
    fn reads_what_numpy_saves() {
        let bytes = npy(
            "<f4",
            false,
            "(2, 3)",
            &f32s(&[1.0, 0.0, 0.0, 0.0, 3.0, 4.0]),
        );
        let v = parse(&bytes, None).unwrap();
        assert_eq!((v.rows(), v.dim()), (2, 3));
        assert_eq!(
            v,
            SentenceVectors::from_rows(vec![1.0, 0.0, 0.0, 0.0, 0.6, 0.8], 3).unwrap()
        );
    }

    #[test]
    fn float64_big_endian_and_column_major_arrays_read_alike() {
        let expected = parse(
            &npy("<f4", false, "(2, 3)", &f32s(&[1., 2., 3., 4., 5., 6.])),
            None,
        )
        .unwrap();
        let f64s: Vec<u8> = [1f64, 2., 3., 4., 5., 6.]
            .iter()
            .flat_map(|v| v.to_be_bytes())
            .collect();
        assert_eq!(
            parse(&npy(">f8", false, "(2, 3)", &f64s), None).unwrap(),
            expected
        );
        let columns = f32s(&[1., 4., 2., 5., 3., 6.]);
        assert_eq!(
            parse(&npy("<f4", true, "(2, 3)", &columns), None).unwrap(),
            expected
        );
    }

    #[test]
    fn raw_float32_needs_the_dimension() {
        let raw = f32s(&[1., 2., 3., 4.]);
        assert_eq!(parse(&raw, Some(2)).unwrap().rows(), 2);
        let e = parse(&raw, None).unwrap_err().to_string();
        assert!(e.contains("v.npy") && e.contains("--embedding-dim"), "{e}");
        let e = parse(&raw, Some(3)).unwrap_err().to_string();
        assert!(e.contains("rows of 3"), "{e}");
        let e = parse(&raw[..7], Some(1)).unwrap_err().to_string();
        assert!(e.contains("byte 4"), "{e}");
    }

    #[test]
    fn broken_files_are_refused_with_the_reason() {
        let good = npy("<f4", false, "(2, 2)", &f32s(&[1., 2., 3., 4.]));
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (good[..good.len() - 1].to_vec(), "ends at byte"),
            (good[..9].to_vec(), "cut short"),
            (good[..30].to_vec(), "header says"),
            (npy("<i8", false, "(2, 2)", &[0; 32]), "not float32"),
            (npy("<f4", false, "(4,)", &f32s(&[1., 2., 3., 4.])), "2-D"),
            (
                npy("<f4", false, "(1, 2)", &f32s(&[1., f32::INFINITY])),
                "not a finite",
            ),
            (npy("<f4", false, "(2, x)", &[]), "bad .npy shape"),
            (
                npy("<f4", false, "(99999999999, 99999999999)", &[]),
                "too large",
            ),
        ];
        for (bytes, expected) in cases {
            let e = parse(&bytes, None).unwrap_err().to_string();
            assert!(e.starts_with("v.npy: ") && e.contains(expected), "{e}");
        }
        let e = parse(&good, Some(3)).unwrap_err().to_string();
        assert!(e.contains("2 columns"), "{e}");
    }
}
