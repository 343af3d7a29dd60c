//! TMX 1.4b writer (LISA OSCAR 2005; validated against `tmx14.dtd` with xmllint in the tests).
//!
//! The XML is written by hand rather than through quick-xml's `Writer`: the layout must be exact
//! (nothing may be indented inside `<seg>`), quick-xml's escaping does not touch the characters
//! XML 1.0 forbids (tafia/quick-xml#368), so a sanitiser of our own is needed anyway, and the
//! whole document is five element types with fixed attributes. Hand-writing keeps the bytes
//! under our control and the output free of quick-xml's API changes between minor versions.
//!
//! Layout: UTF-8 without BOM, no DOCTYPE (optional; no tested client fetches the DTD),
//! `<tmx version="1.4">`, a `<header>` with all required attributes, then per unit
//!
//! ```text
//!     <tu tuid="1">
//!       <prop type="x-score">0.9731</prop>
//!       <prop type="x-link">2-1</prop>
//!       <tuv xml:lang="en-US"><seg>…</seg></tuv>
//!       <tuv xml:lang="ru-RU"><seg>…</seg></tuv>
//!     </tu>
//! ```
//!
//! `tuid` is the 1-based running number of the written units; props come before the `<tuv>`s as
//! the DTD demands. Segment text escapes `& < >`; NBSP and astral characters are written raw.

use std::io::{self, Write};

use super::{format_score, ExportOptions, Locator, Prepared, Side};
use crate::error::Warning;
use crate::text::xml::{describe_chars, escape_attr, escape_text, sanitize_xml, Sanitized};

/// The `creationtool` attribute.
pub(crate) const CREATION_TOOL: &str = "bitext";
/// The `creationtoolversion` attribute: the crate version.
pub(crate) const CREATION_TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Writes a TMX document holding `units`, created at `created` (`YYYYMMDDThhmmssZ`).
pub(crate) fn write(
    units: &[Prepared<'_>],
    options: &ExportOptions,
    created: &str,
    out: &mut dyn Write,
    locator: &Locator,
    warnings: &mut Vec<Warning>,
) -> io::Result<()> {
    let src_tag = escape_attr(&options.src_tag);
    let tgt_tag = escape_attr(&options.tgt_tag);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<tmx version="1.4">"#)?;
    writeln!(
        out,
        concat!(
            r#"  <header creationtool="{}" creationtoolversion="{}" segtype="sentence" "#,
            r#"o-tmf="bitext" adminlang="en-US" srclang="{}" datatype="plaintext" "#,
            r#"creationdate="{}"/>"#
        ),
        CREATION_TOOL,
        escape_attr(CREATION_TOOL_VERSION),
        src_tag,
        escape_attr(created)
    )?;
    writeln!(out, "  <body>")?;
    let mut tuid = 0usize;
    for p in units {
        let src = sanitize_xml(&p.src);
        let tgt = sanitize_xml(&p.tgt);
        if src.text.is_empty() || tgt.text.is_empty() {
            let (side, s) = if src.text.is_empty() {
                ("source", &src)
            } else {
                ("target", &tgt)
            };
            warnings.push(Warning::new(
                locator.link(p.unit),
                format!(
                    "unit skipped: its {side} text is empty once {} character(s) not allowed in \
                     XML 1.0 are dropped ({})",
                    s.dropped.len(),
                    describe_chars(&s.dropped)
                ),
            ));
            continue;
        }
        tuid += 1;
        report(&src, tuid, p, Side::Source, locator, warnings);
        report(&tgt, tuid, p, Side::Target, locator, warnings);
        writeln!(out, r#"    <tu tuid="{tuid}">"#)?;
        writeln!(
            out,
            r#"      <prop type="x-score">{}</prop>"#,
            format_score(p.unit.score)
        )?;
        writeln!(out, r#"      <prop type="x-link">{}</prop>"#, p.unit.kind())?;
        writeln!(
            out,
            r#"      <tuv xml:lang="{src_tag}"><seg>{}</seg></tuv>"#,
            escape_text(&src.text)
        )?;
        writeln!(
            out,
            r#"      <tuv xml:lang="{tgt_tag}"><seg>{}</seg></tuv>"#,
            escape_text(&tgt.text)
        )?;
        writeln!(out, "    </tu>")?;
    }
    writeln!(out, "  </body>")?;
    writeln!(out, "</tmx>")?;
    Ok(())
}

/// Warns about the characters sanitising dropped or kept in one side of written unit `tuid`.
fn report(
    s: &Sanitized<'_>,
    tuid: usize,
    p: &Prepared<'_>,
    side: Side,
    locator: &Locator,
    warnings: &mut Vec<Warning>,
) {
    if !s.dropped.is_empty() {
        warnings.push(Warning::new(
            locator.unit(tuid, p.unit, side),
            format!(
                "dropped {} character(s) not allowed in XML 1.0 ({})",
                s.dropped.len(),
                describe_chars(&s.dropped)
            ),
        ));
    }
    if !s.discouraged.is_empty() {
        warnings.push(Warning::new(
            locator.unit(tuid, p.unit, side),
            format!(
                "kept {} character(s) XML 1.0 discourages ({})",
                s.discouraged.len(),
                describe_chars(&s.discouraged)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{opts, render_str, sample, unit};
    use super::super::{ExportOptions, Format};

    const V: &str = env!("CARGO_PKG_VERSION");

    #[test]
    fn exact_bytes() {
        let (text, warnings) = render_str(&sample(), &opts(Format::Tmx));
        assert!(warnings.is_empty(), "{warnings:?}");
        let expected = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="bitext" creationtoolversion="{V}" segtype="sentence" o-tmf="bitext" adminlang="en-US" srclang="en-US" datatype="plaintext" creationdate="20240115T120000Z"/>
  <body>
    <tu tuid="1">
      <prop type="x-score">0.9700</prop>
      <prop type="x-link">1-1</prop>
      <tuv xml:lang="en-US"><seg>The SCO met.</seg></tuv>
      <tuv xml:lang="ru-RU"><seg>ШОС собралась.</seg></tuv>
    </tu>
    <tu tuid="2">
      <prop type="x-score">0.9731</prop>
      <prop type="x-link">2-1</prop>
      <tuv xml:lang="en-US"><seg>It met in Beijing. On 17{nbsp}May.</seg></tuv>
      <tuv xml:lang="ru-RU"><seg>Она собралась в Пекине 17{nbsp}мая.</seg></tuv>
    </tu>
    <tu tuid="3">
      <prop type="x-score">0.8800</prop>
      <prop type="x-link">1-2</prop>
      <tuv xml:lang="en-US"><seg>A &amp; B &lt;said&gt; "yes".</seg></tuv>
      <tuv xml:lang="ru-RU"><seg>А и Б сказали «да». Вот.</seg></tuv>
    </tu>
    <tu tuid="4">
      <prop type="x-score">0.1000</prop>
      <prop type="x-link">1-1</prop>
      <tuv xml:lang="en-US"><seg>Low.</seg></tuv>
      <tuv xml:lang="ru-RU"><seg>Низко.</seg></tuv>
    </tu>
  </body>
</tmx>
"#,
            nbsp = '\u{A0}'
        );
        assert_eq!(text, expected);
        assert!(text.contains("17\u{A0}мая"), "NBSP is written raw");
        assert!(!text.contains("&nbsp;") && !text.contains("&#xA0;"));
    }

    #[test]
    fn min_score_and_tags() {
        let o = ExportOptions {
            min_score: 0.9,
            src_tag: "de".into(),
            tgt_tag: "fr-CA".into(),
            ..opts(Format::Tmx)
        };
        let (text, _) = render_str(&sample(), &o);
        assert_eq!(text.matches("<tu ").count(), 2);
        assert!(text.contains(r#"srclang="de""#));
        assert!(text.contains(r#"<tuv xml:lang="fr-CA"><seg>"#));
        assert!(text.contains(r#"<tu tuid="2">"#) && !text.contains(r#"tuid="3""#));
    }

    #[test]
    fn empty_body_is_valid_structure() {
        let (text, _) = render_str(&[], &opts(Format::Tmx));
        assert!(text.ends_with("  <body>\n  </body>\n</tmx>\n"), "{text}");
    }

    #[test]
    fn illegal_characters_are_dropped_and_reported() {
        let units = vec![
            unit(0..1, 0..1, "Fine.", "Хорошо.", 0.9),
            unit(
                11..13,
                1..2,
                "Bad\u{1}\u{1} one.\u{FFFF} Two.",
                "Плохо\u{7F}.",
                0.8,
            ),
            unit(13..14, 2..3, "\u{2}\u{3}", "Пусто.", 0.8),
            unit(14..15, 3..4, "After.", "После.", 0.8),
        ];
        let (text, warnings) = render_str(&units, &opts(Format::Tmx));
        assert!(text.contains("<seg>Bad one. Two.</seg>"), "{text}");
        assert!(text.contains("<seg>Плохо\u{7F}.</seg>"), "discouraged kept");
        assert!(!text.contains('\u{1}') && !text.contains('\u{2}') && !text.contains('\u{FFFF}'));
        assert!(text.contains("<tu tuid=\"3\">") && !text.contains("tuid=\"4\""));
        assert!(text.contains("<seg>After.</seg>"));
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert_eq!(warnings[0].location, "unit 2 (source sentences 12-13)");
        assert_eq!(
            warnings[0].message,
            "dropped 3 character(s) not allowed in XML 1.0 (U+0001, U+FFFF)"
        );
        assert_eq!(warnings[1].location, "unit 2 (target sentence 2)");
        assert!(warnings[1].message.contains("discourages (U+007F)"));
        assert_eq!(
            warnings[2].location,
            "source sentence 14, target sentence 3"
        );
        assert!(warnings[2].message.starts_with("unit skipped"));
    }
}
