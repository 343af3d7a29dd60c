//! Spreadsheets: a review as an Excel workbook (XLSX, Office Open XML), written and read back.
//!
//! Written: sheet `review` with the header row `id, source, target, score, type, status,
//! comment` (bold, frozen), one row a link; text cells are inline strings (`t="inlineStr"`),
//! never formulas, so a segment starting with `=` stays text; a row scored below
//! [`LOW_SCORE`] is filled light red. A second sheet `bitext` holds the language tags
//! (`src_lang`, `tgt_lang`), which the header does not name. The zip is written with stored
//! entries by the `zip` crate.
//!
//! Read: the first sheet (by the workbook's order, through its relationships), cells as Excel,
//! LibreOffice or openpyxl save them: shared strings, inline strings, numbers, booleans; the
//! header row's columns found by name in any order (`source` and `target` required). The zip
//! is opened with the limits of the DOCX reader (entries, inflated size, no DTD).
//! [`units`] turns the rows into memory units: rejected rows are left out, the status becomes
//! the `x-status` prop, the comment a note.

use std::collections::HashMap;
use std::io::{Cursor, Seek, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::error::{Error, Result};
use crate::read::package::{attr, Node, Package};
use crate::text::xml::escape_text;
use crate::unit::{Header, Prop, Segment, Unit, Variant};

/// The header row, exactly these words.
pub const COLUMNS: [&str; 7] = [
    "id", "source", "target", "score", "type", "status", "comment",
];

/// Rows scored below this are highlighted.
pub const LOW_SCORE: f64 = 0.5;

/// The prop type of a row's status in the units read.
const STATUS_PROP: &str = "x-status";

/// One row of the review sheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// The link's id (as text: a spreadsheet user may type anything).
    pub id: String,
    /// Source text.
    pub source: String,
    /// Target text.
    pub target: String,
    /// Score, when the cell holds a number.
    pub score: Option<f64>,
    /// Link type, `2-1`.
    pub kind: String,
    /// `unreviewed`, `accepted` or `rejected` (as typed).
    pub status: String,
    /// The reviewer's comment.
    pub comment: String,
}

/// A review workbook: the language tags and the rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workbook {
    /// Source language tag (from the `bitext` sheet).
    pub src_tag: Option<String>,
    /// Target language tag.
    pub tgt_tag: Option<String>,
    /// The rows after the header.
    pub rows: Vec<Row>,
}

/// `A`, `B`, ..., `Z`, `AA`: the column letters of 0-based column `i`.
fn column_letters(mut i: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// The 0-based column of a cell reference (`C7` -> 2).
fn column_of(reference: &str) -> Option<usize> {
    let letters: Vec<u8> = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n = 0usize;
    for b in letters {
        n = n * 26 + usize::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    Some(n - 1)
}

/// Characters XML 1.0 allows in text.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn text_cell(out: &mut String, reference: &str, style: u8, text: &str) {
    let clean: String = text.chars().filter(|&c| xml_char(c)).collect();
    out.push_str(&format!(
        "<c r=\"{reference}\" s=\"{style}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
        escape_text(&clean)
    ));
}

fn number_cell(out: &mut String, reference: &str, style: u8, value: f64) {
    out.push_str(&format!(
        "<c r=\"{reference}\" s=\"{style}\"><v>{value}</v></c>"
    ));
}

/// The review sheet's XML.
fn review_sheet(book: &Workbook) -> String {
    let mut xml = String::with_capacity(256 + book.rows.len() * 300);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet \
         xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetViews>\
         <sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" \
         activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><cols>\
         <col min=\"1\" max=\"1\" width=\"8\" customWidth=\"1\"/>\
         <col min=\"2\" max=\"3\" width=\"60\" customWidth=\"1\"/>\
         <col min=\"4\" max=\"6\" width=\"11\" customWidth=\"1\"/>\
         <col min=\"7\" max=\"7\" width=\"40\" customWidth=\"1\"/></cols><sheetData>",
    );
    xml.push_str("<row r=\"1\">");
    for (i, name) in COLUMNS.iter().enumerate() {
        text_cell(&mut xml, &format!("{}1", column_letters(i)), 1, name);
    }
    xml.push_str("</row>");
    for (n, row) in book.rows.iter().enumerate() {
        let r = n + 2;
        let low = row.score.is_some_and(|s| s < LOW_SCORE);
        let (text_style, number_style) = if low { (3, 4) } else { (0, 2) };
        xml.push_str(&format!("<row r=\"{r}\">"));
        // A number only when it reads back as written (`007` stays text).
        match row.id.parse::<u32>() {
            Ok(id) if id.to_string() == row.id => {
                number_cell(&mut xml, &format!("A{r}"), text_style, f64::from(id))
            }
            _ => text_cell(&mut xml, &format!("A{r}"), text_style, &row.id),
        }
        text_cell(&mut xml, &format!("B{r}"), text_style, &row.source);
        text_cell(&mut xml, &format!("C{r}"), text_style, &row.target);
        match row.score {
            Some(s) if s.is_finite() => number_cell(&mut xml, &format!("D{r}"), number_style, s),
            _ => text_cell(&mut xml, &format!("D{r}"), text_style, ""),
        }
        text_cell(&mut xml, &format!("E{r}"), text_style, &row.kind);
        text_cell(&mut xml, &format!("F{r}"), text_style, &row.status);
        text_cell(&mut xml, &format!("G{r}"), text_style, &row.comment);
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// The `bitext` sheet: the language tags.
fn meta_sheet(book: &Workbook) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet \
         xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    let pairs = [
        ("src_lang", book.src_tag.as_deref().unwrap_or("")),
        ("tgt_lang", book.tgt_tag.as_deref().unwrap_or("")),
    ];
    for (i, (key, value)) in pairs.iter().enumerate() {
        let r = i + 1;
        xml.push_str(&format!("<row r=\"{r}\">"));
        text_cell(&mut xml, &format!("A{r}"), 0, key);
        text_cell(&mut xml, &format!("B{r}"), 0, value);
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>\
<Override PartName=\"/xl/worksheets/sheet2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>\
<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
</Relationships>";

const WORKBOOK: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
<sheets><sheet name=\"review\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"bitext\" sheetId=\"2\" r:id=\"rId2\"/></sheets>\
</workbook>";

const WORKBOOK_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet2.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
</Relationships>";

/// Styles: 0 text (wrapped), 1 header (bold), 2 score (0.00), 3 low-score text (red fill),
/// 4 low score (red fill, 0.00).
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"0.00\"/></numFmts>\
<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>\
<fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>\
<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFFFC7CE\"/><bgColor indexed=\"64\"/></patternFill></fill></fills>\
<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
<cellXfs count=\"5\">\
<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment vertical=\"top\" wrapText=\"1\"/></xf>\
<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>\
<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"><alignment vertical=\"top\"/></xf>\
<xf numFmtId=\"0\" fontId=\"0\" fillId=\"2\" borderId=\"0\" xfId=\"0\" applyFill=\"1\" applyAlignment=\"1\"><alignment vertical=\"top\" wrapText=\"1\"/></xf>\
<xf numFmtId=\"164\" fontId=\"0\" fillId=\"2\" borderId=\"0\" xfId=\"0\" applyFill=\"1\" applyNumberFormat=\"1\"><alignment vertical=\"top\"/></xf>\
</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>\
</styleSheet>";

/// Writes `book` as an XLSX file to `out`.
pub fn write(out: &mut dyn Write, book: &Workbook) -> std::io::Result<()> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let parts: [(&str, String); 7] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("xl/workbook.xml", WORKBOOK.to_string()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.to_string()),
        ("xl/styles.xml", STYLES.to_string()),
        ("xl/worksheets/sheet1.xml", review_sheet(book)),
        ("xl/worksheets/sheet2.xml", meta_sheet(book)),
    ];
    for (name, xml) in parts {
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(xml.as_bytes())?;
    }
    let mut cursor = zip.finish().map_err(std::io::Error::other)?;
    cursor.rewind()?;
    out.write_all(cursor.get_ref())?;
    out.flush()
}

/// The text of a cell as read.
type Cells = Vec<(usize, String)>;

/// Reads the rows of sheet `part`: each row's cells by column, strings resolved.
fn read_sheet(package: &mut Package<'_>, part: &str, shared: &[String]) -> Result<Vec<Cells>> {
    let mut rows: Vec<Cells> = Vec::new();
    let mut cell: Option<(usize, String)> = None; // column, type
    let mut value = String::new();
    let mut in_text = false;
    let mut next_column = 0usize;
    package.read_xml(part, |node| {
        match node {
            Node::Start { name: "row", .. } => {
                rows.push(Vec::new());
                next_column = 0;
            }
            Node::Start { name: "c", tag, .. } => {
                let column = attr(tag, "r")
                    .and_then(|r| column_of(&r))
                    .unwrap_or(next_column);
                let kind = attr(tag, "t").map(|t| t.into_owned()).unwrap_or_default();
                cell = Some((column, kind));
                value.clear();
            }
            Node::Start {
                name: "v" | "t", ..
            } if cell.is_some() => in_text = true,
            Node::End {
                name: "v" | "t", ..
            } => in_text = false,
            Node::Text(text) if in_text => value.push_str(text),
            Node::End { name: "c", .. } => {
                if let Some((column, kind)) = cell.take() {
                    let text = match kind.as_str() {
                        "s" => value
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| shared.get(i))
                            .cloned()
                            .unwrap_or_default(),
                        "b" => (if value.trim() == "1" { "TRUE" } else { "FALSE" }).to_string(),
                        _ => value.clone(),
                    };
                    if let Some(row) = rows.last_mut() {
                        row.push((column, text));
                    }
                    next_column = column + 1;
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(rows)
}

/// The shared strings table (empty when the workbook has none).
fn read_shared(package: &mut Package<'_>) -> Result<Vec<String>> {
    let mut strings = Vec::new();
    if !package.has("xl/sharedStrings.xml") {
        return Ok(strings);
    }
    let mut in_si = false;
    let mut in_t = false;
    let mut skip = 0usize; // inside <rPh> (phonetic hints): not the text
    let mut current = String::new();
    package.read_xml("xl/sharedStrings.xml", |node| {
        match node {
            Node::Start { name: "si", .. } => {
                in_si = true;
                current.clear();
            }
            Node::End { name: "si", .. } => {
                in_si = false;
                strings.push(std::mem::take(&mut current));
            }
            Node::Start { name: "rPh", .. } => skip += 1,
            Node::End { name: "rPh", .. } => skip = skip.saturating_sub(1),
            Node::Start { name: "t", .. } if in_si && skip == 0 => in_t = true,
            Node::End { name: "t", .. } => in_t = false,
            Node::Text(text) if in_t => current.push_str(text),
            _ => {}
        }
        Ok(())
    })?;
    Ok(strings)
}

/// The worksheet parts in the workbook's order, with their sheet names.
fn sheets(package: &mut Package<'_>) -> Result<Vec<(String, String)>> {
    let mut targets: HashMap<String, String> = HashMap::new();
    if package.has("xl/_rels/workbook.xml.rels") {
        package.read_xml("xl/_rels/workbook.xml.rels", |node| {
            if let Node::Start {
                name: "Relationship",
                tag,
                ..
            } = node
            {
                if let (Some(id), Some(target)) = (attr(tag, "Id"), attr(tag, "Target")) {
                    let target = target.trim_start_matches('/');
                    let part = match target.strip_prefix("xl/") {
                        Some(_) => target.to_string(),
                        None => format!("xl/{target}"),
                    };
                    targets.insert(id.into_owned(), part);
                }
            }
            Ok(())
        })?;
    }
    let mut found = Vec::new();
    package.read_xml("xl/workbook.xml", |node| {
        if let Node::Start {
            name: "sheet", tag, ..
        } = node
        {
            let name = attr(tag, "name")
                .map(|n| n.into_owned())
                .unwrap_or_default();
            if let Some(part) = attr(tag, "id").and_then(|id| targets.get(id.as_ref())) {
                found.push((name, part.clone()));
            }
        }
        Ok(())
    })?;
    Ok(found)
}

/// Reads a review workbook from `bytes` (the file `path`).
pub fn read(bytes: &[u8], path: &Path) -> Result<Workbook> {
    let mut package = Package::open(bytes, path, "Excel")?;
    if !package.has("xl/workbook.xml") {
        return Err(Error::input(
            path,
            "not an Excel workbook: the zip has no xl/workbook.xml",
        ));
    }
    let shared = read_shared(&mut package)?;
    let sheets = sheets(&mut package)?;
    let Some((_, first)) = sheets.first() else {
        return Err(Error::input(path, "the workbook has no sheet"));
    };
    let first = first.clone();
    let mut rows = read_sheet(&mut package, &first, &shared)?.into_iter();
    let mut book = Workbook::default();
    if let Some((_, meta)) = sheets.iter().find(|(name, _)| name == "bitext") {
        for row in read_sheet(&mut package, meta, &shared)? {
            let cell = |c: usize| row.iter().find(|(i, _)| *i == c).map(|(_, t)| t.trim());
            match (cell(0), cell(1)) {
                (Some("src_lang"), Some(tag)) if !tag.is_empty() => {
                    book.src_tag = Some(tag.to_string())
                }
                (Some("tgt_lang"), Some(tag)) if !tag.is_empty() => {
                    book.tgt_tag = Some(tag.to_string())
                }
                _ => {}
            }
        }
    }
    let header = rows
        .by_ref()
        .find(|r| r.iter().any(|(_, t)| !t.trim().is_empty()))
        .ok_or_else(|| Error::input(path, "the first sheet is empty"))?;
    let find = |name: &str| {
        header
            .iter()
            .find(|(_, t)| t.trim().eq_ignore_ascii_case(name))
            .map(|(c, _)| *c)
    };
    let columns: Vec<Option<usize>> = COLUMNS.iter().map(|n| find(n)).collect();
    if columns[1].is_none() || columns[2].is_none() {
        return Err(Error::input(
            path,
            format!(
                "the first sheet's header row needs 'source' and 'target' columns (it has: {})",
                header
                    .iter()
                    .map(|(_, t)| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    for (k, row) in rows.enumerate() {
        // Characters XML 1.0 forbids (a `&#0;` reference) cannot be written back: refused,
        // as the TMX reader refuses them.
        if let Some(c) = row
            .iter()
            .flat_map(|(_, t)| t.chars())
            .find(|&c| !xml_char(c))
        {
            return Err(Error::input(
                path,
                format!(
                    "data row {} holds U+{:04X}, a character XML 1.0 forbids",
                    k + 1,
                    u32::from(c)
                ),
            ));
        }
        let cell = |k: usize| -> String {
            columns[k]
                .and_then(|c| row.iter().find(|(i, _)| *i == c))
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        };
        let parsed = Row {
            id: cell(0).trim().to_string(),
            source: cell(1),
            target: cell(2),
            score: cell(3).trim().parse::<f64>().ok().filter(|s| s.is_finite()),
            kind: cell(4).trim().to_string(),
            status: cell(5).trim().to_ascii_lowercase(),
            comment: cell(6),
        };
        if parsed.source.trim().is_empty() && parsed.target.trim().is_empty() {
            continue;
        }
        book.rows.push(parsed);
    }
    Ok(book)
}

/// The units of a review workbook, in the languages of its `bitext` sheet, else `langs`:
/// rejected rows are left out; `tuid` is the id, the score, type and status become props, the
/// comment a note. Returns the header and the units.
pub fn units(
    book: &Workbook,
    path: &Path,
    langs: Option<&(String, String)>,
) -> Result<(Header, Vec<Unit>)> {
    let (src, tgt) = match (&book.src_tag, &book.tgt_tag, langs) {
        (Some(s), Some(t), _) => (s.clone(), t.clone()),
        (_, _, Some((s, t))) => (s.clone(), t.clone()),
        _ => {
            return Err(Error::input(
                path,
                "the workbook does not name its languages (no 'bitext' sheet): give \
                 --src-lang and --tgt-lang",
            ))
        }
    };
    let header = Header {
        srclang: Some(src.clone()),
        segtype: Some("sentence".into()),
        datatype: Some("plaintext".into()),
        ..Header::default()
    };
    let mut units = Vec::new();
    for (n, row) in book.rows.iter().enumerate() {
        if row.status == "rejected" {
            continue;
        }
        let mut variants = Vec::new();
        for (tag, text) in [(&src, &row.source), (&tgt, &row.target)] {
            let text = text.trim();
            if !text.is_empty() {
                variants.push(Variant::new(tag, Segment::from_text(text)));
            }
        }
        let mut unit = Unit::new(units.len() as u64 + 1, n as u64 + 2, variants);
        unit.tuid = (!row.id.is_empty()).then(|| row.id.clone());
        if let Some(score) = row.score {
            unit.props.push(Prop {
                kind: "x-score".into(),
                value: format!("{:.4}", score + 0.0),
            });
        }
        if !row.kind.is_empty() {
            unit.props.push(Prop {
                kind: "x-link".into(),
                value: row.kind.clone(),
            });
        }
        unit.props.push(Prop {
            kind: STATUS_PROP.into(),
            value: if row.status.is_empty() {
                "unreviewed".into()
            } else {
                row.status.clone()
            },
        });
        if !row.comment.trim().is_empty() {
            unit.notes.push(row.comment.trim().to_string());
        }
        units.push(unit);
    }
    Ok((header, units))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Workbook {
        Workbook {
            src_tag: Some("en-US".into()),
            tgt_tag: Some("ru-RU".into()),
            rows: vec![
                Row {
                    id: "0".into(),
                    source: "=SUM(A1:A2) & <b>".into(),
                    target: "Привет «мир»\u{1}".into(),
                    score: Some(0.97),
                    kind: "1-1".into(),
                    status: "accepted".into(),
                    comment: "ok".into(),
                },
                Row {
                    id: "1".into(),
                    source: "Low.".into(),
                    target: "Низко.".into(),
                    score: Some(0.2),
                    kind: "1-1".into(),
                    status: "rejected".into(),
                    comment: String::new(),
                },
            ],
        }
    }

    #[test]
    fn a_workbook_round_trips() {
        let mut bytes = Vec::new();
        write(&mut bytes, &sample()).expect("written");
        assert!(bytes.starts_with(b"PK"));
        let back = read(&bytes, Path::new("t.xlsx")).expect("read back");
        let mut want = sample();
        want.rows[0].target = "Привет «мир»".into();
        assert_eq!(back, want);
        let sheet = String::from_utf8_lossy(&bytes);
        assert!(
            sheet.contains("t=\"inlineStr\""),
            "text cells are inline strings"
        );
        assert!(!sheet.contains("<f>"), "no formula");
        assert!(sheet.contains("state=\"frozen\""));
        let (header, units) = units(&back, Path::new("t.xlsx"), None).expect("units");
        assert_eq!(header.srclang.as_deref(), Some("en-US"));
        assert_eq!(units.len(), 1, "the rejected row is left out");
        assert_eq!(units[0].notes, ["ok"]);
        assert!(units[0]
            .props
            .iter()
            .any(|p| p.kind == "x-status" && p.value == "accepted"));
    }

    #[test]
    fn columns_are_lettered_and_read_back() {
        for (i, letters) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(column_letters(i), letters);
            assert_eq!(column_of(&format!("{letters}12")), Some(i));
        }
        assert_eq!(column_of("12"), None);
    }

    #[test]
    fn a_character_xml_forbids_is_refused_naming_the_row() {
        // Regression (fuzz, xlsx_reader): a raw NUL byte in a shared string was read as text,
        // which the writer then dropped, so the workbook did not read back the same.
        let workbook = br#"<workbook xmlns:r="r"><sheets><sheet name="review" r:id="rId1"/></sheets></workbook>"#;
        let rels = br#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#;
        let sheet = br#"<worksheet><sheetData><row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row><row><c t="s"><v>3</v></c><c t="s"><v>4</v></c><c t="s"><v>5</v></c></row></sheetData></worksheet>"#;
        let shared = b"<sst><si><t>id</t></si><si><t>source</t></si><si><t>target</t></si><si><t>7\0</t></si><si><t>a</t></si><si><t>b</t></si></sst>";
        let bytes = crate::read::docx::tests::zip(&[
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", rels),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", &shared[..]),
        ]);
        let err = read(&bytes, Path::new("x.xlsx"))
            .expect_err("refused")
            .to_string();
        assert!(err.contains("data row 1 holds U+0000"), "{err}");
    }

    #[test]
    fn damaged_workbooks_are_errors() {
        assert!(read(b"", Path::new("x.xlsx")).is_err());
        assert!(read(b"PK\x03\x04garbage", Path::new("x.xlsx")).is_err());
        let mut bytes = Vec::new();
        write(&mut bytes, &sample()).expect("written");
        for cut in [10, bytes.len() / 2, bytes.len() - 5] {
            assert!(read(&bytes[..cut], Path::new("x.xlsx")).is_err(), "{cut}");
        }
        let no_tags = Workbook {
            src_tag: None,
            ..sample()
        };
        assert!(units(&no_tags, Path::new("x"), None).is_err());
        let langs = ("de".to_string(), "fr".to_string());
        assert!(units(&no_tags, Path::new("x"), Some(&langs)).is_ok());
    }
}
