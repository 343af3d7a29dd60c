//! JSON Lines (jsonlines.org): the header line and one object per unit, written and read;
//! see the [table module](super) for the record shapes. Also the aligner's flat pair records
//! ([`PairRecord`]), written by `bitext align -f jsonl` and read back as units.

use std::borrow::Cow;
use std::io::{self, BufRead, Write};

use serde::{Deserialize, Serialize};

use crate::error::{Result, Warning};
use crate::unit::segment::Segment;
use crate::unit::{Date, Header, Prop, Unit, Variant};

use super::{read::*, write::*};
use crate::formats::tmx::parse_segment;

impl<W: Write> TableWriter<W> {
    // ----- JSON Lines -----

    pub(super) fn write_json(&mut self, unit: &Unit) -> io::Result<bool> {
        let d = &mut self.dropped;
        let strip = self.options.strip_tags;
        let variants: Vec<JVariantOut<'_>> = unit
            .variants
            .iter()
            .map(|v| {
                let text = v.segment.plain_text();
                JVariantOut {
                    lang: clean(&v.lang, d),
                    seg: (!strip).then(|| clean(&v.segment.to_xml(), d).into_owned()),
                    text: clean(&text, d).into_owned(),
                    attrs: pairs(&v.other_attrs, d),
                    props: props(&v.props, d),
                    notes: v.notes.iter().map(|n| clean(n, d)).collect(),
                }
            })
            .collect();
        let j = JUnitOut {
            tuid: unit.tuid.as_deref().map(|t| clean(t, d)),
            srclang: unit.srclang.as_deref().map(|t| clean(t, d)),
            creationdate: unit.creationdate.as_ref().map(Date::to_tmx),
            changedate: unit.changedate.as_ref().map(Date::to_tmx),
            attrs: pairs(&unit.other_attrs, d),
            props: props(&unit.props, d),
            notes: unit.notes.iter().map(|n| clean(n, d)).collect(),
            variants,
        };
        serde_json::to_writer(&mut self.buf, &j).map_err(io::Error::other)?;
        self.buf.push(b'\n');
        Ok(true)
    }
}

pub(super) fn pairs<'a>(
    v: &'a [(String, String)],
    d: &mut Vec<char>,
) -> Vec<(Cow<'a, str>, Cow<'a, str>)> {
    v.iter().map(|(k, x)| (clean(k, d), clean(x, d))).collect()
}

pub(super) fn props<'a>(v: &'a [Prop], d: &mut Vec<char>) -> Vec<(Cow<'a, str>, Cow<'a, str>)> {
    v.iter()
        .map(|p| (clean(&p.kind, d), clean(&p.value, d)))
        .collect()
}

pub(super) fn json_header(h: &Header) -> JHeader {
    JHeader {
        version: h.version.clone(),
        srclang: h.srclang.clone(),
        adminlang: h.adminlang.clone(),
        creationtool: h.creationtool.clone(),
        creationtoolversion: h.creationtoolversion.clone(),
        segtype: h.segtype.clone(),
        o_tmf: h.o_tmf.clone(),
        datatype: h.datatype.clone(),
        o_encoding: h.o_encoding.clone(),
        creationdate: h.creationdate.as_ref().map(Date::to_tmx),
        changedate: h.changedate.as_ref().map(Date::to_tmx),
        attrs: h.other_attrs.clone(),
        props: h
            .props
            .iter()
            .map(|p| (p.kind.clone(), p.value.clone()))
            .collect(),
        notes: h.notes.clone(),
    }
}

// ----- JSON shapes -----

#[derive(Serialize)]
pub(super) struct JUnitOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) tuid: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) srclang: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) creationdate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) changedate: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) notes: Vec<Cow<'a, str>>,
    pub(super) variants: Vec<JVariantOut<'a>>,
}

#[derive(Serialize)]
pub(super) struct JVariantOut<'a> {
    pub(super) lang: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) seg: Option<String>,
    pub(super) text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) notes: Vec<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct JUnitIn {
    #[serde(default)]
    pub(super) tuid: Option<String>,
    #[serde(default)]
    pub(super) srclang: Option<String>,
    #[serde(default)]
    pub(super) creationdate: Option<String>,
    #[serde(default)]
    pub(super) changedate: Option<String>,
    #[serde(default)]
    pub(super) attrs: Vec<(String, String)>,
    #[serde(default)]
    pub(super) props: Vec<(String, String)>,
    #[serde(default)]
    pub(super) notes: Vec<String>,
    pub(super) variants: Vec<JVariantIn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct JVariantIn {
    pub(super) lang: String,
    #[serde(default)]
    pub(super) seg: Option<String>,
    #[serde(default)]
    pub(super) text: Option<String>,
    #[serde(default)]
    pub(super) attrs: Vec<(String, String)>,
    #[serde(default)]
    pub(super) props: Vec<(String, String)>,
    #[serde(default)]
    pub(super) notes: Vec<String>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct JHeader {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) srclang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) adminlang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) creationtool: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) creationtoolversion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) segtype: Option<String>,
    #[serde(default, rename = "o-tmf", skip_serializing_if = "Option::is_none")]
    pub(super) o_tmf: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) datatype: Option<String>,
    #[serde(
        default,
        rename = "o-encoding",
        skip_serializing_if = "Option::is_none"
    )]
    pub(super) o_encoding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) creationdate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) changedate: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) attrs: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) notes: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct JHeaderLine {
    pub(super) header: JHeader,
}

impl<R: BufRead> TableReader<R> {
    pub(super) fn json_start(&mut self) -> Result<()> {
        loop {
            let Some(line) = self.next_line()? else {
                return Err(self.empty_file());
            };
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value = serde_json::from_str(&line).map_err(|e| {
                self.error(self.line, e.column() as u64, format!("invalid JSON: {e}"))
            })?;
            if value.get("header").is_some() {
                let h: JHeaderLine = serde_json::from_value(value)
                    .map_err(|e| self.error(self.line, 1, format!("the header line: {e}")))?;
                for (name, tag) in [
                    ("srclang", &h.header.srclang),
                    ("adminlang", &h.header.adminlang),
                ] {
                    let tag = tag.as_deref().filter(|t| !t.trim().is_empty());
                    if let Some(why) = tag.and_then(crate::lang::tag::invalid_lang) {
                        return Err(self.error(
                            self.line,
                            1,
                            format!("the header line's \"{name}\": {why}"),
                        ));
                    }
                }
                self.header = header_from_json(h.header);
            } else {
                self.pending_json = Some((self.line, value));
            }
            return Ok(());
        }
    }

    pub(super) fn json_unit(&mut self, line: u64, j: JUnitIn) -> std::result::Result<Unit, Fail> {
        let number = self.rows;
        let srclang = j.srclang.as_deref().filter(|s| !s.trim().is_empty());
        if let Some(why) = srclang.and_then(crate::lang::tag::invalid_lang) {
            return Err(Fail::Row(self.error(
                line,
                1,
                format!("unit {number}: \"srclang\": {why}"),
            )));
        }
        if j.variants.is_empty() {
            return Err(Fail::Row(self.error(
                line,
                1,
                format!("unit {number}: \"variants\" is empty"),
            )));
        }
        let mut variants = Vec::with_capacity(j.variants.len());
        for (i, v) in j.variants.into_iter().enumerate() {
            if v.lang.trim().is_empty() {
                return Err(Fail::Row(self.error(
                    line,
                    1,
                    format!("unit {number}: variant {} has an empty \"lang\"", i + 1),
                )));
            }
            if let Some(why) = crate::lang::tag::invalid_lang(&v.lang) {
                return Err(Fail::Row(self.error(
                    line,
                    1,
                    format!("unit {number}: variant {} \"lang\": {why}", i + 1),
                )));
            }
            let text = v.text;
            let segment = match (v.seg, text.as_ref()) {
                (Some(seg), _) if !self.options.plain => {
                    parse_segment(&seg).map_err(|(at, msg)| {
                        let column = seg[..at].chars().count() as u64 + 1;
                        Fail::Row(self.error(
                            line,
                            1,
                            format!(
                                "unit {number}: variant {} ({}) \"seg\", character {column}: {msg}",
                                i + 1,
                                v.lang
                            ),
                        ))
                    })?
                }
                (Some(seg), _) => Segment::from_text(seg),
                (None, Some(text)) => Segment::from_text(text.as_str()),
                (None, None) => {
                    return Err(Fail::Row(self.error(
                        line,
                        1,
                        format!(
                            "unit {number}: variant {} ({}) has neither \"seg\" nor \"text\"",
                            i + 1,
                            v.lang
                        ),
                    )))
                }
            };
            if let Some(text) = &text {
                let plain = segment.plain_text();
                if *text != plain {
                    self.warnings.push(Warning::new(
                        format!("{}:{}", self.path.display(), line),
                        format!(
                            "unit {number}: variant {} ({}): \"text\" ({}) disagrees with \
                             \"seg\" ({}); \"seg\" was read (an edit made only to \"text\" is \
                             not kept: edit \"seg\", or remove it to read \"text\")",
                            i + 1,
                            v.lang,
                            excerpt(text),
                            excerpt(&plain)
                        ),
                    ));
                }
            }
            variants.push(Variant {
                lang: v.lang,
                other_attrs: v.attrs,
                props: v
                    .props
                    .into_iter()
                    .map(|(kind, value)| Prop { kind, value })
                    .collect(),
                notes: v.notes,
                segment,
            });
        }
        let mut date = |name: &str, d: Option<String>| {
            d.map(|d| {
                let parsed = Date::parse(d);
                if parsed.utc.is_none() {
                    let d = &parsed.written;
                    self.warnings.push(Warning::new(
                        format!("{}:{}", self.path.display(), line),
                        format!("unit {number}: {name} \"{d}\" is not a date; kept as written"),
                    ));
                }
                parsed
            })
        };
        let creationdate = date("creationdate", j.creationdate);
        let changedate = date("changedate", j.changedate);
        Ok(Unit {
            number,
            line,
            tuid: j.tuid,
            srclang: j.srclang,
            creationdate,
            changedate,
            other_attrs: j.attrs,
            props: j
                .props
                .into_iter()
                .map(|(kind, value)| Prop { kind, value })
                .collect(),
            notes: j.notes,
            variants,
        })
    }
}

/// The TMX header a JSON Lines header line describes.
pub(super) fn header_from_json(h: JHeader) -> Header {
    Header {
        version: h.version,
        srclang: h.srclang,
        adminlang: h.adminlang,
        creationtool: h.creationtool,
        creationtoolversion: h.creationtoolversion,
        segtype: h.segtype,
        o_tmf: h.o_tmf,
        datatype: h.datatype,
        o_encoding: h.o_encoding,
        creationdate: h.creationdate.as_deref().map(Date::parse),
        changedate: h.changedate.as_deref().map(Date::parse),
        other_attrs: h.attrs,
        props: h
            .props
            .into_iter()
            .map(|(kind, value)| Prop { kind, value })
            .collect(),
        notes: h.notes,
    }
}

/// One link of an alignment as a flat JSON line, the shape `bitext align -f jsonl` and
/// `--stream` write: `{"id":..,"src_ids":[1,2],"tgt_ids":[1],"src":"…","tgt":"…","score":0.9731,
/// "type":"2-1"}`. Sentence ids are 0-based; `id` (the stream's document id, as read) only when
/// given; the score is rounded to four decimals.
#[derive(Serialize)]
pub(crate) struct PairRecord<'a> {
    /// The document's id, as its raw JSON (stream mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a serde_json::value::RawValue>,
    /// Source sentence ids.
    pub src_ids: Vec<usize>,
    /// Target sentence ids.
    pub tgt_ids: Vec<usize>,
    /// Source text.
    pub src: &'a str,
    /// Target text.
    pub tgt: &'a str,
    /// Confidence, four decimals.
    pub score: f64,
    /// Link type, `2-1`.
    #[serde(rename = "type")]
    pub kind: &'a str,
}

impl PairRecord<'_> {
    /// Writes the record and its line break; serde_json escapes `"`, `\` and control
    /// characters, so any text is safe, and gives back the sink's I/O error (a broken pipe)
    /// unchanged.
    pub(crate) fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer(&mut *out, self).map_err(io::Error::from)?;
        out.write_all(b"\n")
    }
}

/// A pair record as read: the same fields, the id kept raw.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct JPairIn {
    #[allow(dead_code)] // read so that the field is known; a unit has no place for it
    pub(super) id: Option<Box<serde_json::value::RawValue>>,
    #[allow(dead_code)]
    pub(super) src_ids: Option<Vec<u64>>,
    #[allow(dead_code)]
    pub(super) tgt_ids: Option<Vec<u64>>,
    pub(super) src: String,
    pub(super) tgt: String,
    pub(super) score: Option<serde_json::Number>,
    #[serde(rename = "type")]
    pub(super) kind: Option<String>,
}

/// True when a JSON line is a pair record (`src` and `tgt`, no `variants`), not a unit.
pub(super) fn is_pair_record(value: &serde_json::Value) -> bool {
    value.as_object().is_some_and(|o| {
        o.contains_key("src") && o.contains_key("tgt") && !o.contains_key("variants")
    })
}

impl<R: BufRead> TableReader<R> {
    /// The unit a pair record holds: its two texts (literal, not markup) in the languages
    /// given to the reader, the score and link type as the `x-score` and `x-link` props. The
    /// record names no languages, so without them it is an error saying which to give.
    pub(super) fn pair_unit(
        &mut self,
        line: u64,
        j: JPairIn,
    ) -> std::result::Result<Option<Unit>, Fail> {
        let number = self.rows;
        let Some((src_lang, tgt_lang)) = self.options.langs.clone() else {
            return Err(Fail::Fatal(self.error(
                line,
                1,
                "a pair record of bitext align ({\"src\":..,\"tgt\":..}) names no languages; \
                 give them with --src-lang and --tgt-lang",
            )));
        };
        let mut variants = Vec::with_capacity(2);
        for (lang, text) in [(src_lang, j.src), (tgt_lang, j.tgt)] {
            if !text.trim().is_empty() {
                variants.push(Variant::new(lang, Segment::from_text(&text)));
            }
        }
        if variants.is_empty() {
            self.warnings.push(Warning::new(
                format!("{}:{line}", self.path.display()),
                format!("unit {number}: both texts are empty; skipped"),
            ));
            return Ok(None);
        }
        let mut unit = Unit::new(number, line, variants);
        if let Some(score) = j.score {
            unit.props.push(Prop {
                kind: super::SCORE_PROP.into(),
                value: format!("{:.4}", score.as_f64().unwrap_or(f64::NAN)),
            });
        }
        if let Some(kind) = j.kind {
            unit.props.push(Prop {
                kind: super::LINK_PROP.into(),
                value: kind,
            });
        }
        Ok(Some(unit))
    }
}
