//! Language-tag reconciliation for `tm merge`: every tag of a unit and of a header is rewritten
//! to its normalised BCP 47 form (RFC 5646 §2.1.1 case conventions, `_` read as `-`, as
//! [`normalize_lang`] does), so memories that spell `en_US`, `EN-us` and `en-US` merge into one
//! language; each rewritten spelling is returned once, for the warnings.

use crate::lang::tag::normalize_lang;
use crate::unit::{Header, Unit};

/// Language-tag reconciliation for merge: normalises every tag of a unit (and its srclang) in
/// place, returns (written, normalised) pairs that changed, for warnings.
pub(crate) fn reconcile_langs(unit: &mut Unit) -> Vec<(String, String)> {
    let mut changed: Vec<(String, String)> = Vec::new();
    let mut fix = |tag: &mut String| {
        let (canonical, _) = normalize_lang(tag);
        if canonical != *tag && !canonical.is_empty() {
            let written = std::mem::replace(tag, canonical.clone());
            if !changed.iter().any(|(w, _)| *w == written) {
                changed.push((written, canonical));
            }
        }
    };
    if let Some(src) = unit.srclang.as_mut() {
        fix(src);
    }
    for v in &mut unit.variants {
        fix(&mut v.lang);
    }
    changed
}

/// The same for a header's `srclang` and `adminlang`: (written, normalised) pairs that changed.
pub(crate) fn reconcile_header_langs(header: &mut Header) -> Vec<(String, String)> {
    let mut changed = Vec::new();
    for tag in [header.srclang.as_mut(), header.adminlang.as_mut()]
        .into_iter()
        .flatten()
    {
        let (canonical, _) = normalize_lang(tag);
        if canonical != *tag && !canonical.is_empty() {
            changed.push((std::mem::replace(tag, canonical.clone()), canonical));
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tm::test_units::unit;

    #[test]
    fn reconcile_rewrites_tags_and_reports_each_once() {
        let mut u = unit(1, &[("en_US", "a"), ("RU-ru", "б"), ("en_US", "c")]);
        u.srclang = Some("EN-us".into());
        let changed = reconcile_langs(&mut u);
        assert_eq!(u.srclang.as_deref(), Some("en-US"));
        let langs: Vec<_> = u.variants.iter().map(|v| v.lang.as_str()).collect();
        assert_eq!(langs, ["en-US", "ru-RU", "en-US"]);
        assert_eq!(
            changed,
            [
                ("EN-us".to_string(), "en-US".to_string()),
                ("en_US".to_string(), "en-US".to_string()),
                ("RU-ru".to_string(), "ru-RU".to_string()),
            ]
        );
        assert!(reconcile_langs(&mut u).is_empty(), "idempotent");
        let mut all = unit(2, &[("de", "x")]);
        all.srclang = Some("*all*".into());
        assert!(reconcile_langs(&mut all).is_empty());
        let mut h = Header {
            srclang: Some("en_us".into()),
            adminlang: Some("EN".into()),
            ..Header::default()
        };
        assert_eq!(reconcile_header_langs(&mut h).len(), 2);
        assert_eq!(
            (h.srclang.as_deref(), h.adminlang.as_deref()),
            (Some("en-US"), Some("en"))
        );
    }
}
