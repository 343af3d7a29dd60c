//! Units and headers for the tests of merge, key, dedupe and filter: a TMX body read through
//! [`TmxReader`], and units built directly (`en-US` source, `ru-RU` target for a pair).

use crate::formats::tmx::{ReadOptions, TmxReader};
use crate::unit::{Date, Header, Prop, Segment, Unit, Variant};

const HEADER: &str = r#"<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en-US" datatype="plaintext"/>"#;

/// Units and header of a TMX document whose body is `body`.
pub(crate) fn read(body: &str) -> (Vec<Unit>, Header) {
    let doc = format!(
        "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">{HEADER}<body>\n{body}</body></tmx>\n"
    );
    let mut r = TmxReader::new(doc.as_bytes(), "t.tmx", ReadOptions::default()).unwrap();
    let header = r.header().clone();
    let units = r.by_ref().collect::<Result<Vec<_>, _>>().unwrap();
    (units, header)
}

pub(crate) fn variant(lang: &str, text: &str) -> Variant {
    Variant::new(lang, Segment::from_text(text))
}

/// A unit numbered `n` with the given (language, text) variants.
pub(crate) fn unit(n: u64, variants: &[(&str, &str)]) -> Unit {
    Unit::new(n, n, variants.iter().map(|(l, t)| variant(l, t)).collect())
}

pub(crate) fn pair(n: u64, en: &str, ru: &str) -> Unit {
    unit(n, &[("en-US", en), ("ru-RU", ru)])
}

pub(crate) fn header() -> Header {
    Header {
        srclang: Some("en-US".into()),
        ..Header::default()
    }
}

pub(crate) fn with_score(mut u: Unit, score: &str) -> Unit {
    u.props.push(Prop {
        kind: "x-score".into(),
        value: score.into(),
    });
    u
}

pub(crate) fn with_date(mut u: Unit, date: &str) -> Unit {
    u.changedate = Some(Date::parse(date));
    u
}
