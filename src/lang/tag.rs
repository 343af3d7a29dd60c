//! Language tags (BCP 47, RFC 5646): checked, and reconciled to the canonical case of
//! RFC 5646 §2.1.1: `en_US`, `EN-US` and `en-us` all become `en-US`.
//!
//! TMX says `xml:lang`, `srclang` and `adminlang` are case-insensitive, but tools compare them
//! byte for byte (TMX-NOTES P1-P3), so a merge must rewrite them to one form and say so. The
//! command line reads every tag it is given (`--src-lang`, `--src-tag`, `bitext tm --lang`)
//! with [`read_tag`]: `en_US` is read as `en-US` with a warning naming the fix, the same way
//! `bitext tm` reads the tags of a file ([`normalize_lang`]).

use crate::error::{Error, Result, Warning};

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
/// a well-formed BCP 47 tag ([`is_well_formed`]), or `*all*`. `../../etc` and `ru\nx` are not, and are refused rather than written back.
pub fn invalid_lang(tag: &str) -> Option<String> {
    let (normalized, _) = normalize_lang(tag);
    if normalized == "*all*" {
        return None;
    }
    if normalized.is_empty() {
        return Some("the language tag is empty".to_string());
    }
    (!is_well_formed(&normalized)).then(|| {
        format!("{tag:?} is not a BCP 47 language tag (expected e.g. en-US, ru-RU, de, zh-Hans-CN)")
    })
}

/// A language tag given on the command line, read: its canonical form and, when the tag as
/// written differs, a warning that names the fix (`language tag "en_US" read as "en-US"; write
/// "en-US"`). A tag no repair makes BCP 47 is refused with the reason ([`invalid_lang`]).
pub fn read_tag(written: &str) -> std::result::Result<(String, Option<String>), String> {
    if let Some(why) = invalid_lang(written) {
        return Err(why);
    }
    let (tag, note) = normalize_lang(written);
    let why = if written.contains('_') {
        "BCP 47 joins subtags with '-'"
    } else {
        "some TMX tools compare tags case-sensitively"
    };
    let note = note.map(|n| format!("{n}; write \"{tag}\" ({why})"));
    Ok((tag, note))
}

/// True when `tag` has the shape of a BCP 47 language tag (RFC 5646 §2.1): subtags of 1-8
/// ASCII letters or digits joined by hyphens, the first one letters only (2-8 of them, or the
/// `x`/`i` prefixes of private-use and grandfathered tags).
pub fn is_well_formed(tag: &str) -> bool {
    let subtags: Vec<&str> = tag.split('-').collect();
    let first = subtags.first().copied().unwrap_or("");
    subtags
        .iter()
        .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && (first.len() >= 2
            || (first.eq_ignore_ascii_case("x") || first.eq_ignore_ascii_case("i"))
                && subtags.len() > 1)
}

/// Checks a tag about to be written as it is (the exporters' `--src-tag`/`--tgt-tag`): it must
/// be a well-formed BCP 47 tag ([`is_well_formed`]) without `_`, which is refused with the
/// hyphenated form named (CAT tools skip units tagged with underscores; the command line has
/// already repaired it with [`read_tag`]). A valid tag not in canonical case (`EN-us`) gives a
/// warning, because TMX tools have compared tags case-sensitively (TMX-NOTES P2). `side`
/// (`source`, `target`) names the tag in messages.
pub fn validate_tag(tag: &str, side: &str) -> Result<Option<Warning>> {
    if tag.contains('_') {
        return Err(Error::usage(format!(
            "{side} language tag '{tag}' uses '_': BCP 47 tags use hyphens, write '{}' \
             (CAT tools such as OmegaT skip every unit tagged with underscores)",
            tag.replace('_', "-")
        )));
    }
    if !is_well_formed(tag) {
        return Err(Error::usage(format!(
            "{side} language tag '{tag}' is not a BCP 47 language tag (expected e.g. 'en-US', \
             'ru-RU', 'de', 'zh-Hans-CN')"
        )));
    }
    let (canonical, _) = normalize_lang(tag);
    Ok((canonical != tag).then(|| {
        Warning::new(
            format!("{side} language tag '{tag}'"),
            format!(
                "not in canonical case; '{canonical}' is what TMX tools expect (some compare tags \
                 case-sensitively)"
            ),
        )
    }))
}

/// `Some("language tag `a` read as `b`")` when the two differ.
fn note(written: &str, canonical: &str) -> Option<String> {
    (written != canonical).then(|| format!("language tag \"{written}\" read as \"{canonical}\""))
}

#[cfg(test)]
mod tests {
    use super::{invalid_lang, normalize_lang, read_tag, validate_tag};

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

    #[test]
    fn command_line_tags_are_repaired_with_the_fix_named() {
        assert_eq!(read_tag("en-US"), Ok(("en-US".to_string(), None)));
        assert_eq!(read_tag("de"), Ok(("de".to_string(), None)));
        let (tag, note) = read_tag("en_US").expect("repaired");
        assert_eq!(tag, "en-US");
        let note = note.expect("a warning");
        assert!(
            note.contains("\"en_US\"") && note.contains("write \"en-US\""),
            "{note}"
        );
        assert_eq!(read_tag("RU_ru").expect("repaired").0, "ru-RU");
        let err = read_tag("../../etc").expect_err("refused");
        assert!(err.contains("BCP 47"), "{err}");
        assert!(read_tag("").is_err());
    }

    #[test]
    fn tags_written_as_given_are_checked() {
        for ok in [
            "en",
            "en-US",
            "ru-RU",
            "zh-Hans-CN",
            "de-CH-1901",
            "x-klingon",
            "sr-Latn",
        ] {
            assert_eq!(validate_tag(ok, "source").expect(ok), None, "{ok}");
        }
        let err = validate_tag("en_US", "source")
            .expect_err("underscore")
            .to_string();
        assert!(err.contains("'en-US'") && err.contains("source"), "{err}");
        for bad in [
            "",
            "e",
            "en-",
            "-US",
            "en--US",
            "en US",
            "1en",
            "en-USAUSAUSA",
            "*all*",
            "ру",
        ] {
            assert!(validate_tag(bad, "target").is_err(), "{bad:?}");
        }
        let w = validate_tag("EN-us", "source")
            .expect("valid")
            .expect("warning");
        assert!(w.message.contains("'en-US'"), "{w}");
        let w = validate_tag("zh-hans-cn", "target")
            .expect("valid")
            .expect("warning");
        assert!(w.message.contains("'zh-Hans-CN'"), "{w}");
    }
}
