//! TSV and CSV writers (the `csv` crate): columns source, target, score, type.
//!
//! * CSV follows RFC 4180 quoting (fields with `,` `"` or line breaks are quoted, `"` doubled)
//!   and starts with the header `source,target,score,type`: spreadsheets and data-frame readers
//!   take the first row for column names. Records end with `\n` (the csv crate's default; every
//!   reader we know accepts it, and it matches the other formats).
//! * TSV has no header and no quoting (IANA `text/tab-separated-values`): CAT tools and
//!   alignment tools that import tab-separated bitext (OmegaT's tab-separated files, LF Aligner's
//!   output, `paste`-style corpora) take every line as a segment pair, so a header would be
//!   imported as one. A TAB inside a segment would shift the columns, so it becomes a space,
//!   with a warning; line breaks are already folded for every format. A `"` is written as it is,
//!   so readers must not apply CSV quoting rules to it (e.g. pandas `quoting=csv.QUOTE_NONE`).

use std::borrow::Cow;
use std::io::{self, Write};

use super::{format_score, Locator, Prepared, Side};
use crate::error::Warning;

/// Which delimited format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// Tab-separated, no header, no quoting.
    Tsv,
    /// Comma-separated, RFC 4180 quoting, with a header.
    Csv,
}

/// The CSV header.
pub(crate) const CSV_HEADER: [&str; 4] = ["source", "target", "score", "type"];

/// Writes one record a unit.
pub(crate) fn write(
    units: &[Prepared<'_>],
    dialect: Dialect,
    out: &mut dyn Write,
    locator: &Locator,
    warnings: &mut Vec<Warning>,
) -> io::Result<()> {
    let mut builder = csv::WriterBuilder::new();
    if dialect == Dialect::Tsv {
        builder.delimiter(b'\t').quote_style(csv::QuoteStyle::Never);
    }
    let mut writer = builder.from_writer(out);
    if dialect == Dialect::Csv {
        writer.write_record(CSV_HEADER).map_err(to_io)?;
    }
    for (i, p) in units.iter().enumerate() {
        let number = i + 1;
        let (src, tgt) = match dialect {
            Dialect::Csv => (Cow::Borrowed(&*p.src), Cow::Borrowed(&*p.tgt)),
            Dialect::Tsv => (
                detab(&p.src, number, p, Side::Source, locator, warnings),
                detab(&p.tgt, number, p, Side::Target, locator, warnings),
            ),
        };
        let score = format_score(p.unit.score);
        let kind = p.unit.kind();
        writer
            .write_record([&*src, &*tgt, score.as_str(), kind.as_str()])
            .map_err(to_io)?;
    }
    writer.flush()
}

/// Replaces each TAB by a space, with a warning naming record `number`.
fn detab<'a>(
    text: &'a str,
    number: usize,
    p: &Prepared<'_>,
    side: Side,
    locator: &Locator,
    warnings: &mut Vec<Warning>,
) -> Cow<'a, str> {
    let tabs = text.matches('\t').count();
    if tabs == 0 {
        return Cow::Borrowed(text);
    }
    warnings.push(Warning::new(
        locator.unit(number, p.unit, side),
        format!("replaced {tabs} tab(s) with spaces: TSV cannot quote a tab inside a field"),
    ));
    Cow::Owned(text.replace('\t', " "))
}

/// A csv error as the I/O error it wraps (keeping its kind, e.g. `BrokenPipe`), or as an
/// `Other` error with its message.
fn to_io(err: csv::Error) -> io::Error {
    let message = err.to_string();
    match err.into_kind() {
        csv::ErrorKind::Io(e) => e,
        _ => io::Error::other(message),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{opts, render_str, sample, unit};
    use super::super::{ExportOptions, Format};

    #[test]
    fn tsv_exact_bytes() {
        let (text, warnings) = render_str(&sample(), &opts(Format::Tsv));
        assert!(warnings.is_empty());
        assert_eq!(
            text,
            "The SCO met.\tШОС собралась.\t0.9700\t1-1\n\
             It met in Beijing. On 17\u{A0}May.\tОна собралась в Пекине 17\u{A0}мая.\t0.9731\t2-1\n\
             A & B <said> \"yes\".\tА и Б сказали «да». Вот.\t0.8800\t1-2\n\
             Low.\tНизко.\t0.1000\t1-1\n"
        );
    }

    #[test]
    fn tsv_keeps_null_links_on_request_and_replaces_tabs() {
        let o = ExportOptions {
            keep_unaligned: true,
            ..opts(Format::Tsv)
        };
        let (text, _) = render_str(&sample(), &o);
        assert_eq!(text.lines().count(), 6);
        assert!(text.contains("\n\tЛишнее.\t0.4100\t0-1\n"), "{text}");
        assert!(text.contains("\nExtra.\t\t0.5000\t1-0\n"), "{text}");

        let units = vec![
            unit(0..1, 0..1, "a\tb\tc", "д", 0.5),
            unit(1..2, 1..2, "x", "е\tж", 0.5),
        ];
        let (text, warnings) = render_str(&units, &opts(Format::Tsv));
        assert_eq!(text, "a b c\tд\t0.5000\t1-1\nx\tе ж\t0.5000\t1-1\n");
        assert_eq!(warnings.len(), 2);
        assert_eq!(warnings[0].location, "unit 1 (source sentence 1)");
        assert!(warnings[0].message.starts_with("replaced 2 tab(s)"));
        assert_eq!(warnings[1].location, "unit 2 (target sentence 2)");
    }

    #[test]
    fn csv_exact_bytes() {
        let o = ExportOptions {
            keep_unaligned: true,
            min_score: 0.3,
            ..opts(Format::Csv)
        };
        let (text, warnings) = render_str(&sample(), &o);
        assert!(warnings.is_empty());
        assert_eq!(
            text,
            "source,target,score,type\n\
             The SCO met.,ШОС собралась.,0.9700,1-1\n\
             It met in Beijing. On 17\u{A0}May.,Она собралась в Пекине 17\u{A0}мая.,0.9731,2-1\n\
             \"A & B <said> \"\"yes\"\".\",А и Б сказали «да». Вот.,0.8800,1-2\n\
             ,Лишнее.,0.4100,0-1\n\
             Extra.,,0.5000,1-0\n"
        );
    }

    #[test]
    fn csv_quotes_commas_and_keeps_tabs() {
        let units = vec![unit(0..1, 0..1, "a, b\tc", "д", 0.5)];
        let (text, warnings) = render_str(&units, &opts(Format::Csv));
        assert_eq!(text, "source,target,score,type\n\"a, b\tc\",д,0.5000,1-1\n");
        assert!(warnings.is_empty());
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let row = reader.records().next().expect("a row").expect("parses");
        assert_eq!(&row[0], "a, b\tc");
    }
}
