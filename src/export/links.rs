//! Links writer: the alignment format of vecalign and bertalign gold files (Thompson & Koehn
//! 2019), one link a line, `[src ids]:[tgt ids]:score`, ids 0-based, lists in Python style with
//! `", "` between ids: `[0]:[0]:0.9700`, `[3]:[4, 5]:0.8800`, `[]:[7]:0.4100`.
//!
//! It is the complete alignment, so null links are always written; only `min_score` filters.

use std::io::{self, Write};
use std::ops::Range;

use super::{format_score, Prepared};

/// Writes one link a line.
pub(crate) fn write(units: &[Prepared<'_>], out: &mut dyn Write) -> io::Result<usize> {
    for p in units {
        writeln!(
            out,
            "[{}]:[{}]:{}",
            ids(&p.unit.src_ids),
            ids(&p.unit.tgt_ids),
            format_score(p.unit.score)
        )?;
    }
    Ok(units.len())
}

/// `0, 1, 2` for `0..3`.
fn ids(range: &Range<usize>) -> String {
    range
        .clone()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::tests::{opts, render_str, sample, unit};
    use super::super::{ExportOptions, Format};

    #[test]
    fn exact_bytes() {
        let (text, warnings) = render_str(&sample(), &opts(Format::Links));
        assert!(warnings.is_empty());
        assert_eq!(
            text,
            "[0]:[0]:0.9700\n[1, 2]:[1]:0.9731\n[3]:[2, 3]:0.8800\n[]:[4]:0.4100\n[4]:[]:0.5000\n[5]:[5]:0.1000\n"
        );
    }

    #[test]
    fn min_score_filters_even_the_complete_alignment() {
        let o = ExportOptions {
            min_score: 0.45,
            ..opts(Format::Links)
        };
        let (text, _) = render_str(&sample(), &o);
        assert_eq!(text.lines().count(), 4);
        assert!(!text.contains("[]:[4]"));
        let wide = vec![unit(3..4, 4..7, "", "", 0.88)];
        let (text, _) = render_str(&wide, &opts(Format::Links));
        assert_eq!(text, "[3]:[4, 5, 6]:0.8800\n");
    }
}
