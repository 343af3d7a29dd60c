//! TMX dates: `YYYYMMDDThhmmssZ` in UTC (TMX 1.4b §3, "recommended pattern"; TMXValidator
//! accepts exactly these 16 characters), computed from [`SystemTime`] without a date crate.
//!
//! The calendar conversion is Howard Hinnant's `civil_from_days` ("chrono-Compatible Low-Level
//! Date Algorithms"), exact for the proleptic Gregorian calendar over the whole `i64` day range
//! we can reach. For reproducible output the time comes from the environment variable
//! `SOURCE_DATE_EPOCH` (reproducible-builds.org convention: whole seconds since the Unix epoch;
//! a malformed value is an error, not a silent fallback) when it is set.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};

/// The environment variable that fixes the creation date.
pub(crate) const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// Days since 1970-01-01 -> (year, month 1-12, day 1-31) in the proleptic Gregorian calendar.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468; // days since 0000-03-01
    let era = z.div_euclid(146_097); // 400-year eras
    let doe = z.rem_euclid(146_097); // day of era, [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // year of era, [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of year from March 1, [0, 365]
    let mp = (5 * doy + 2) / 153; // month from March, [0, 11]
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // `month` and `day` are in 1..=12 and 1..=31 by construction.
    (year, month as u32, day as u32)
}

/// `secs` since the Unix epoch as `YYYYMMDDThhmmssZ`, or `None` outside years 0000-9999.
pub(crate) fn tmx_date(secs: i64) -> Option<String> {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    Some(format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// Parses a `SOURCE_DATE_EPOCH` value: an optionally signed decimal integer of seconds.
pub(crate) fn parse_source_date_epoch(value: &str) -> Result<i64> {
    let bad = || {
        Error::usage(format!(
            "{SOURCE_DATE_EPOCH}='{value}' is not a Unix timestamp (whole seconds since 1970-01-01 UTC)"
        ))
    };
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    value.parse().map_err(|_| bad())
}

/// The creation date to write: `SOURCE_DATE_EPOCH` when set, else the system clock.
pub(crate) fn creation_date() -> Result<String> {
    let secs = match std::env::var(SOURCE_DATE_EPOCH) {
        Ok(value) => parse_source_date_epoch(&value)?,
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(Error::usage(format!(
                "{SOURCE_DATE_EPOCH} is not a Unix timestamp (not even valid Unicode)"
            )))
        }
        Err(std::env::VarError::NotPresent) => match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            // A clock set before 1970: still a valid (if odd) date.
            Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
        },
    };
    tmx_date(secs).ok_or_else(|| {
        Error::usage(format!(
            "creation time {secs} s since 1970 lies outside the years 0000-9999 a TMX date can hold"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(tmx_date(0).as_deref(), Some("19700101T000000Z"));
        assert_eq!(tmx_date(-1).as_deref(), Some("19691231T235959Z"));
        assert_eq!(tmx_date(951_782_400).as_deref(), Some("20000229T000000Z"));
        assert_eq!(tmx_date(1_700_000_000).as_deref(), Some("20231114T221320Z"));
        assert_eq!(tmx_date(4_107_542_400).as_deref(), Some("21000301T000000Z"));
        assert_eq!(
            tmx_date(253_402_300_799).as_deref(),
            Some("99991231T235959Z")
        );
        assert_eq!(tmx_date(253_402_300_800), None);
        assert_eq!(
            tmx_date(-62_167_219_200).as_deref(),
            Some("00000101T000000Z")
        );
        assert_eq!(tmx_date(-62_167_219_201), None);
        assert_eq!(tmx_date(i64::MAX), None);
        assert_eq!(tmx_date(i64::MIN), None);
    }

    /// Walks the calendar day by day with the leap-year rule and compares every day.
    #[test]
    fn civil_from_days_matches_a_day_by_day_calendar() {
        fn days_in(year: i64, month: u32) -> u32 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            }
        }
        let (mut y, mut m, mut d) = (1600_i64, 1_u32, 1_u32);
        let start = -135_140; // 1600-01-01
        assert_eq!(civil_from_days(start), (1600, 1, 1));
        for days in start..=200_000 {
            assert_eq!(civil_from_days(days), (y, m, d), "day {days}");
            d += 1;
            if d > days_in(y, m) {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
    }

    #[test]
    fn source_date_epoch_values() {
        assert_eq!(
            parse_source_date_epoch("1700000000").ok(),
            Some(1_700_000_000)
        );
        assert_eq!(parse_source_date_epoch("-5").ok(), Some(-5));
        for bad in [
            "",
            "-",
            "+5",
            " 5",
            "1.5",
            "1e9",
            "now",
            "99999999999999999999",
        ] {
            let err = parse_source_date_epoch(bad).expect_err(bad).to_string();
            assert!(err.contains("SOURCE_DATE_EPOCH"), "{err}");
        }
    }
}
