//! Language tags as TMX files write them, reconciled to the canonical BCP 47 (RFC 5646 §2.1.1)
//! case: `en_US`, `EN-US` and `en-us` all become `en-US`.
//!
//! TMX says `xml:lang`, `srclang` and `adminlang` are case-insensitive, but tools compare them
//! byte for byte (TMX-NOTES P1-P3), so a merge must rewrite them to one form and say so.

/// The canonical form of a language tag and, when it differs from `tag`, a note saying what
/// changed: underscores become hyphens, the language subtag is lower case, a 4-letter script
/// title case, a 2-letter region upper case, everything else (variants, extensions, private
/// use after `x-`) lower case. `*all*` (TMX's "any language" `srclang`) is returned unchanged.
pub fn normalize_lang(tag: &str) -> (String, Option<String>) {
    let trimmed = tag.trim();
    if trimmed == "*all*" {
        return (trimmed.to_string(), note(tag, trimmed));
    }
    if trimmed.is_empty() {
        return (String::new(), Some("empty language tag".to_string()));
    }
    let mut out = String::with_capacity(trimmed.len());
    // After a singleton (`x`, `u`, `t`, ...) every subtag is an extension: lower case.
    let mut in_extension = false;
    for (i, sub) in trimmed.split(['-', '_']).enumerate() {
        if i > 0 {
            out.push('-');
        }
        let is_alpha = sub.bytes().all(|b| b.is_ascii_alphabetic());
        if i == 0 || in_extension {
            out.push_str(&sub.to_ascii_lowercase());
            in_extension |= sub.len() == 1;
        } else if sub.len() == 1 {
            in_extension = true;
            out.push_str(&sub.to_ascii_lowercase());
        } else if sub.len() == 2 && is_alpha {
            out.push_str(&sub.to_ascii_uppercase());
        } else if sub.len() == 4 && is_alpha {
            let lower = sub.to_ascii_lowercase();
            let mut chars = lower.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(&sub.to_ascii_lowercase());
        }
    }
    let n = note(tag, &out);
    (out, n)
}

/// Why `tag` cannot be a language tag, or `None` when it can: once [`normalize_lang`] has
/// repaired case and `_` (`en_us` is read as `en-US`, warned where it is written), it must be
/// a well-formed BCP 47 tag as `bitext align` requires ([`crate::export::validate_tag`]), or
/// `*all*`. `../../etc` and `ru\nx` are not, and are refused rather than written back.
pub fn invalid_lang(tag: &str) -> Option<String> {
    let (normalized, _) = normalize_lang(tag);
    if normalized == "*all*" {
        return None;
    }
    if normalized.is_empty() {
        return Some("the language tag is empty".to_string());
    }
    crate::export::validate_tag(&normalized, "").err().map(|_| {
        format!("{tag:?} is not a BCP 47 language tag (expected e.g. en-US, ru-RU, de, zh-Hans-CN)")
    })
}

/// `Some("language tag `a` read as `b`")` when the two differ.
fn note(written: &str, canonical: &str) -> Option<String> {
    (written != canonical).then(|| format!("language tag \"{written}\" read as \"{canonical}\""))
}

#[cfg(test)]
mod tests {
    use super::{invalid_lang, normalize_lang};

    #[test]
    fn tags_that_no_repair_makes_bcp_47_are_invalid() {
        for ok in [
            "en",
            "en-US",
            "en_us",
            "EN-us",
            "zh-Hans-CN",
            "x-klingon",
            "*all*",
            " de ",
        ] {
            assert_eq!(invalid_lang(ok), None, "{ok}");
        }
        for bad in [
            "../../etc",
            "ru\nx",
            "e",
            "en-",
            "1en",
            "en US",
            "toolongtag",
            "",
            "x",
        ] {
            assert!(invalid_lang(bad).is_some(), "{bad}");
        }
        assert_eq!(
            invalid_lang("../../etc").unwrap(),
            "\"../../etc\" is not a BCP 47 language tag (expected e.g. en-US, ru-RU, de, zh-Hans-CN)"
        );
    }

    #[test]
    fn case_and_separator_are_canonicalised_with_a_note() {
        for t in ["en_US", "EN-US", "en-us", "En_us"] {
            let (tag, note) = normalize_lang(t);
            assert_eq!(tag, "en-US", "{t}");
            let note = note.expect("changed, so noted");
            assert!(note.contains(t) && note.contains("en-US"), "{note}");
        }
        assert_eq!(normalize_lang("en-US"), ("en-US".to_string(), None));
        assert_eq!(normalize_lang("ru"), ("ru".to_string(), None));
        assert_eq!(normalize_lang("sr-latn-rs").0, "sr-Latn-RS");
        assert_eq!(normalize_lang("ZH_HANT_TW").0, "zh-Hant-TW");
        assert_eq!(normalize_lang("es-419").0, "es-419");
        assert_eq!(normalize_lang("de-CH-1996").0, "de-CH-1996");
        assert_eq!(normalize_lang("en-US-x-Twain").0, "en-US-x-twain");
        assert_eq!(normalize_lang("x-Klingon-AB").0, "x-klingon-ab");
        assert_eq!(normalize_lang("fre-FR").0, "fre-FR");
        assert_eq!(normalize_lang("*all*"), ("*all*".to_string(), None));
        assert!(normalize_lang("").1.is_some());
        assert_eq!(normalize_lang(" en-us ").0, "en-US");
    }
}
