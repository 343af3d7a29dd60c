//! The links format of vecalign and bertalign gold files (Thompson & Koehn 2019): one link a
//! line, `[src ids]:[tgt ids]:score`, ids 0-based, lists in Python style with `", "` between
//! ids: `[0]:[0]:0.9700`, `[3]:[4, 5]:0.8800`, `[]:[7]:0.4100`. It is an alignment by sentence
//! numbers, not a memory: `bitext align -f links` writes it (null links included: it is the
//! complete alignment) and `bitext eval` reads it.

use std::io::{self, Write};
use std::ops::Range;

/// Writes one link and its line break; `score` is written with four decimals.
pub(crate) fn write_link(
    out: &mut dyn Write,
    src: Range<usize>,
    tgt: Range<usize>,
    score: &str,
) -> io::Result<()> {
    writeln!(out, "[{}]:[{}]:{score}", ids(src), ids(tgt))
}

/// `0, 1, 2` for `0..3`.
fn ids(range: Range<usize>) -> String {
    range.map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_python_style() {
        let mut out = Vec::new();
        write_link(&mut out, 3..4, 4..7, "0.8800").unwrap();
        write_link(&mut out, 0..0, 7..8, "0.4100").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[3]:[4, 5, 6]:0.8800\n[]:[7]:0.4100\n"
        );
    }
}
