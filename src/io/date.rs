//! Dates, read and written.
//!
//! Reading: the spec's `YYYYMMDDThhmmssZ` (TMX 1.4b §3, "recommended pattern") and the ISO 8601
//! variants other tools write (`2024-01-15T12:00:00Z`, `+03:00` offsets, fractions of a second,
//! a space for the `T`, a date without a time), all normalised to one UTC [`DateTime`].
//!
//! A date without a zone is taken as UTC (the spec's dates are UTC). The calendar arithmetic is
//! Howard Hinnant's `days_from_civil`/`civil_from_days` for the proleptic Gregorian calendar.
//!
//! Writing: `YYYYMMDDThhmmssZ` in UTC (TMX 1.4b §3, "recommended pattern"; TMXValidator
//! accepts exactly these 16 characters), computed from [`SystemTime`] without a date crate.
//!
//! The calendar conversion is Howard Hinnant's `civil_from_days` ("chrono-Compatible Low-Level
//! Date Algorithms"), exact for the proleptic Gregorian calendar over the whole `i64` day range
//! we can reach. For reproducible output the time comes from the environment variable
//! `SOURCE_DATE_EPOCH` (reproducible-builds.org convention: whole seconds since the Unix epoch;
//! a malformed value is an error, not a silent fallback) when it is set.

use std::fmt;

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};

/// A date as written in the file, with its UTC reading when it could be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Date {
    /// The attribute value exactly as written.
    pub written: String,
    /// The same instant in UTC, or `None` when the value is not a date bitext can read.
    pub utc: Option<DateTime>,
}

impl Date {
    /// Parses `written`; an unreadable value keeps `utc: None` (the reader warns about it).
    pub(crate) fn parse(written: impl Into<String>) -> Date {
        let written = written.into();
        let utc = DateTime::parse(&written);
        Date { written, utc }
    }

    /// The value to write back: the normalised `YYYYMMDDThhmmssZ` form, or the original text.
    pub(crate) fn to_tmx(&self) -> String {
        match &self.utc {
            Some(d) => d.to_tmx(),
            None => self.written.clone(),
        }
    }
}

/// An instant in UTC, to the second; ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    /// Year (0-9999).
    pub year: u16,
    /// Month, 1-12.
    pub month: u8,
    /// Day of the month, 1-31.
    pub day: u8,
    /// Hour, 0-23.
    pub hour: u8,
    /// Minute, 0-59.
    pub minute: u8,
    /// Second, 0-59 (a leap second 60 is read as 59).
    pub second: u8,
}

impl DateTime {
    /// Parses the TMX form or a common ISO 8601 variant; `None` when it is neither.
    pub(crate) fn parse(s: &str) -> Option<DateTime> {
        let s = s.trim();
        let b = s.as_bytes();
        if !b.is_ascii() || b.len() < 8 {
            return None;
        }
        // The date part: YYYYMMDD or YYYY-MM-DD.
        let (year, month, day, rest) = if b[4] == b'-' {
            if b.len() < 10 || b[7] != b'-' {
                return None;
            }
            (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?, &b[10..])
        } else {
            (num(&b[0..4])?, num(&b[4..6])?, num(&b[6..8])?, &b[8..])
        };
        let (mut hour, mut minute, mut second, mut rest) = (0, 0, 0, rest);
        if let Some((&sep, time)) = rest.split_first() {
            if sep != b'T' && sep != b't' && sep != b' ' {
                return None;
            }
            // hhmmss or hh:mm[:ss]
            if time.len() >= 6 && time[..6].iter().all(u8::is_ascii_digit) {
                hour = num(&time[0..2])?;
                minute = num(&time[2..4])?;
                second = num(&time[4..6])?;
                rest = &time[6..];
            } else if time.len() >= 5 && time[2] == b':' {
                hour = num(&time[0..2])?;
                minute = num(&time[3..5])?;
                rest = &time[5..];
                if rest.first() == Some(&b':') {
                    second = num(rest.get(1..3)?)?;
                    rest = &rest[3..];
                }
            } else {
                return None;
            }
            // Fractions of a second are dropped.
            if let Some(frac) = rest.strip_prefix(b".").or_else(|| rest.strip_prefix(b",")) {
                let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
                if digits == 0 {
                    return None;
                }
                rest = &frac[digits..];
            }
        }
        let offset_minutes: i64 = match rest {
            [] | [b'Z'] | [b'z'] => 0,
            [sign @ (b'+' | b'-'), zone @ ..] => {
                let (h, m) = match zone {
                    [a, b] => (num(&[*a, *b])?, 0),
                    [a, b, b':', c, d] | [a, b, c, d] => (num(&[*a, *b])?, num(&[*c, *d])?),
                    _ => return None,
                };
                if h > 23 || m > 59 {
                    return None;
                }
                let total = i64::from(h) * 60 + i64::from(m);
                if *sign == b'-' {
                    -total
                } else {
                    total
                }
            }
            _ => return None,
        };
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let second = second.min(59);
        let local = days_from_civil(i64::from(year), month, day) * 86_400
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second);
        DateTime::from_unix(local - offset_minutes * 60)
    }

    /// The instant `secs` seconds after 1970-01-01T00:00:00Z; `None` outside years 0-9999.
    pub(crate) fn from_unix(secs: i64) -> Option<DateTime> {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        if !(0..=9999).contains(&year) {
            return None;
        }
        Some(DateTime {
            year: u16::try_from(year).ok()?,
            month: month as u8,
            day: day as u8,
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
            second: (rem % 60) as u8,
        })
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub(crate) fn unix(&self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        ) * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// The spec's form, `YYYYMMDDThhmmssZ`, its digits written directly (every unit of a
    /// memory carries one or two dates: formatting machinery was a tenth of `tm convert`).
    pub(crate) fn to_tmx(self) -> String {
        let fields = [self.month, self.day, self.hour, self.minute, self.second];
        if self.year > 9999 || fields.iter().any(|&f| f > 99) {
            // Wider than the form (never read so): as Display writes it.
            return self.to_string();
        }
        let mut b = *b"00000000T000000Z";
        let mut put = |at: usize, width: usize, n: u32| {
            let mut n = n;
            for k in (at..at + width).rev() {
                b[k] = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        put(0, 4, u32::from(self.year));
        put(4, 2, u32::from(self.month));
        put(6, 2, u32::from(self.day));
        put(9, 2, u32::from(self.hour));
        put(11, 2, u32::from(self.minute));
        put(13, 2, u32::from(self.second));
        b.iter().map(|&c| char::from(c)).collect()
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// ASCII digits as a number; `None` if any byte is not a digit.
fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
}

/// True for a leap year of the Gregorian calendar.
fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// (year, month 1-12, day 1-31) -> days since 1970-01-01.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

// ----------------------------------------------------------------------------- writing

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
mod writing_tests {
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

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The digits written directly are what Display writes.
        #[test]
        fn to_tmx_writes_what_display_does(
            year in 0u16..=9999, month in 0u8..=99, day in 0u8..=99,
            hour in 0u8..=99, minute in 0u8..=99, second in 0u8..=99,
            wide: u16, wider: u8,
        ) {
            let d = DateTime { year, month, day, hour, minute, second };
            proptest::prop_assert_eq!(d.to_tmx(), d.to_string());
            // And fields wider than the form, as Display writes them.
            let w = DateTime { year: wide, second: wider, ..d };
            proptest::prop_assert_eq!(w.to_tmx(), w.to_string());
        }
    }

    fn tmx(s: &str) -> Option<String> {
        DateTime::parse(s).map(|d| d.to_tmx())
    }

    #[test]
    fn spec_and_iso_forms_normalise_to_one_value() {
        let want = Some("20240115T120000Z".to_string());
        for s in [
            "20240115T120000Z",
            "20240115T120000",
            "2024-01-15T12:00:00Z",
            "2024-01-15T12:00:00.123Z",
            "2024-01-15 12:00:00",
            "2024-01-15T12:00Z",
            "2024-01-15T15:00:00+03:00",
            "2024-01-15T15:00:00+0300",
            "2024-01-15T07:30:00-04:30",
            "2024-01-15T13:00:00+01",
            " 20240115T120000Z ",
        ] {
            assert_eq!(tmx(s), want, "{s}");
        }
        assert_eq!(tmx("2024-01-15").as_deref(), Some("20240115T000000Z"));
        assert_eq!(tmx("20240115").as_deref(), Some("20240115T000000Z"));
        // An offset that crosses midnight and a year boundary.
        assert_eq!(
            tmx("2024-01-01T01:00:00+02:00").as_deref(),
            Some("20231231T230000Z")
        );
        assert_eq!(tmx("2024-02-29").as_deref(), Some("20240229T000000Z"));
    }

    #[test]
    fn unreadable_dates_are_none_and_kept_as_written() {
        for s in [
            "",
            "yesterday",
            "2024-13-01",
            "2023-02-29",
            "20240115T250000Z",
            "2024-01-15T12:00:00+25:00",
            "2024-01-15X12",
            "15/01/2024",
            "2024-01-15T12:00:00Zjunk",
            "２０２４0115",
        ] {
            assert_eq!(DateTime::parse(s), None, "{s}");
        }
        let d = Date::parse("last Tuesday");
        assert_eq!(d.utc, None);
        assert_eq!(d.to_tmx(), "last Tuesday");
    }

    #[test]
    fn ordering_and_unix_round_trip() {
        let a = DateTime::parse("2024-01-15T12:00:00Z").unwrap();
        let b = DateTime::parse("2024-01-15T12:00:01Z").unwrap();
        assert!(a < b);
        assert_eq!(a.unix(), 1_705_320_000);
        assert_eq!(DateTime::from_unix(a.unix()), Some(a));
        assert_eq!(DateTime::from_unix(0).unwrap().to_tmx(), "19700101T000000Z");
    }
}
