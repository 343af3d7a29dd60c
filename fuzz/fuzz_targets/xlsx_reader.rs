//! The review workbook reader (`bitext::formats::xlsx::read`) over arbitrary bytes, and, as
//! the documents target does, over zips built from the input so the XML parsers are reached.
//!
//! Invariants: never panics; a workbook read back is written and read again with the same
//! rows (ids, statuses and scores); its units never include a rejected row.
#![no_main]

use std::io::Write;
use std::path::Path;

use bitext::formats::xlsx;
use libfuzzer_sys::fuzz_target;
use zip::write::SimpleFileOptions;

/// A workbook whose first sheet (or shared strings, by the first byte) is `data`.
fn wrap(data: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let workbook = br#"<workbook xmlns:r="r"><sheets><sheet name="review" r:id="rId1"/></sheets></workbook>"#;
    let rels = br#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let sheet: &[u8] = if data.first() == Some(&b's') {
        br#"<worksheet><sheetData><row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row><row><c t="s"><v>3</v></c><c t="s"><v>4</v></c><c t="s"><v>5</v></c></row></sheetData></worksheet>"#
    } else {
        data
    };
    let parts: [(&str, &[u8]); 4] = [
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", rels),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", data),
    ];
    for (name, bytes) in parts {
        if zip.start_file(name, options).is_err() || zip.write_all(bytes).is_err() {
            return Vec::new();
        }
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

fn check(bytes: &[u8]) {
    let path = Path::new("fuzz.xlsx");
    let Ok(book) = xlsx::read(bytes, path) else {
        return;
    };
    let mut written = Vec::new();
    xlsx::write(&mut written, &book).expect("a workbook read is written");
    let back = xlsx::read(&written, path).expect("what bitext writes reads back");
    assert_eq!(back.rows.len(), book.rows.len());
    for (a, b) in back.rows.iter().zip(&book.rows) {
        assert_eq!((&a.id, &a.status, a.score), (&b.id, &b.status, b.score));
    }
    let langs = ("en".to_string(), "ru".to_string());
    if let Ok((_, units)) = xlsx::units(&book, path, Some(&langs)) {
        let rejected = book.rows.iter().filter(|r| r.status == "rejected").count();
        assert_eq!(units.len(), book.rows.len() - rejected);
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    check(&wrap(data));
});
