//! Reading timestamps: RFC 3339, the forms a journey file declares (or its
//! survey export writes), a date and time without a zone, or a plain date
//! taken as midnight; times without a zone are in the journey's zone, UTC
//! unless it says otherwise.
//!
//! The form survey exports write on nearly every row,
//! `YYYY-MM-DDTHH:MM:SSZ`, is read byte by byte into seconds since the
//! Unix epoch, its calendar checked and counted in days here; anything
//! else goes to chrono's parsers. A property test holds the two to the
//! same answers.

use std::borrow::Cow;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use cx_model::Timestamp;

use crate::export::SurveyExport;

/// A timestamp in any form the default rules take: the fast path, else
/// [`parse_with_chrono`]'s; `None` for anything else.
#[cfg(test)]
pub(crate) fn parse_timestamp(text: &str) -> Option<Timestamp> {
    match parse_utc_seconds(text.as_bytes()) {
        Some(timestamp) => Some(timestamp),
        None => parse_with_chrono(text),
    }
}

/// The forms of a date and time without a zone: with a space (Qualtrics'
/// `StartDate`, `2024-03-15 12:34:56`) or a `T`, with or without seconds.
/// Year first, so no day and month can be mistaken for each other.
const ZONELESS: [&str; 4] = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
];

/// What [`parse_utc_seconds`] leaves, under the default rules (no
/// declared form, UTC); `None` for anything else.
#[cfg(test)]
pub(crate) fn parse_with_chrono(text: &str) -> Option<Timestamp> {
    TimestampRules::default().parse(text).ok()
}

/// How one survey's timestamps are read, past the usual
/// `YYYY-MM-DDTHH:MM:SSZ`: RFC 3339 first; then each declared form (a
/// chrono `strftime` form, e.g. `%m/%d/%Y %I:%M:%S %p`), in order; then a
/// date and time without a zone ([`ZONELESS`]); then a date
/// (`YYYY-MM-DD`), as midnight. A form's time without an offset, and a
/// date's midnight, are in [`zone`](Self::zone).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimestampRules {
    forms: Vec<String>,
    zone: Tz,
}

impl Default for TimestampRules {
    fn default() -> Self {
        TimestampRules {
            forms: Vec::new(),
            zone: Tz::UTC,
        }
    }
}

/// Why a text is no timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unread {
    /// No form reads it.
    NoForm,
    /// A local time the zone's clocks passed twice (when they went back).
    Repeated,
    /// A local time the zone's clocks skipped (when they went forward).
    Skipped,
}

impl TimestampRules {
    /// Rules trying the `declared` forms (checked with [`check_form`]),
    /// or if none are, those `export` writes, in `zone`.
    pub fn new(declared: &[String], export: SurveyExport, zone: Tz) -> Self {
        let forms = match declared {
            [] => export
                .timestamp_formats()
                .iter()
                .map(|form| (*form).to_owned())
                .collect(),
            declared => declared.to_vec(),
        };
        TimestampRules { forms, zone }
    }

    /// The declared forms.
    pub fn forms(&self) -> &[String] {
        &self.forms
    }

    /// The zone of times written without an offset.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The timestamp `text` writes.
    ///
    /// # Errors
    ///
    /// [`Unread`]: no form reads it, or its local time is not one instant
    /// in the zone.
    pub fn parse(&self, text: &str) -> Result<Timestamp, Unread> {
        if let Ok(timestamp) = DateTime::parse_from_rfc3339(text) {
            return Ok(timestamp.with_timezone(&Utc).into());
        }
        for form in &self.forms {
            let text = with_offset_digits(text, form);
            if let Ok(timestamp) = DateTime::parse_from_str(&text, form) {
                return Ok(timestamp.with_timezone(&Utc).into());
            }
            if let Ok(local) = NaiveDateTime::parse_from_str(&text, form) {
                return self.instant(local);
            }
            if let Ok(date) = NaiveDate::parse_from_str(&text, form) {
                return self.instant(date.and_time(chrono::NaiveTime::MIN));
            }
        }
        if let Some(local) = ZONELESS
            .iter()
            .find_map(|form| NaiveDateTime::parse_from_str(text, form).ok())
        {
            return self.instant(local);
        }
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => self.instant(date.and_time(chrono::NaiveTime::MIN)),
            Err(_) => Err(Unread::NoForm),
        }
    }

    /// The instant of a local time in the zone.
    fn instant(&self, local: NaiveDateTime) -> Result<Timestamp, Unread> {
        match self.zone.from_local_datetime(&local) {
            LocalResult::Single(time) => Ok(time.with_timezone(&Utc).into()),
            LocalResult::Ambiguous(..) => Err(Unread::Repeated),
            LocalResult::None => Err(Unread::Skipped),
        }
    }
}

/// `text` with a `GMT+1`-style offset (Google Forms' `2024/03/01 9:05:00
/// PM GMT+1`) written as `GMT+01:00`, which chrono's `%z` reads, when
/// `form` takes an offset after `GMT`; else `text` as it is.
fn with_offset_digits<'t>(text: &'t str, form: &str) -> Cow<'t, str> {
    if !form.contains("GMT%z") {
        return Cow::Borrowed(text);
    }
    let Some((before, offset)) = text.rsplit_once("GMT") else {
        return Cow::Borrowed(text);
    };
    if offset.is_empty() {
        return Cow::Owned(format!("{before}GMT+00:00"));
    }
    let (sign, rest) = offset.split_at(offset.len().min(1));
    let (hours, minutes) = rest.split_once(':').unwrap_or((rest, "00"));
    let digits = |part: &str, most: usize| {
        !part.is_empty() && part.len() <= most && part.bytes().all(|b| b.is_ascii_digit())
    };
    if matches!(sign, "+" | "-") && digits(hours, 2) && digits(minutes, 2) && minutes.len() == 2 {
        Cow::Owned(format!("{before}GMT{sign}{hours:0>2}:{minutes}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether `form` is a form chrono can read timestamps by: no unknown `%`
/// specifier, and something to read.
pub(crate) fn check_form(form: &str) -> Result<(), String> {
    let items: Vec<Item<'_>> = StrftimeItems::new(form).collect();
    if items.iter().any(|item| matches!(item, Item::Error)) {
        return Err(format!(
            "{form:?} is not a timestamp form; expected chrono's strftime specifiers, e.g. \"%d/%m/%Y %H:%M\""
        ));
    }
    if !items
        .iter()
        .any(|item| matches!(item, Item::Numeric(..) | Item::Fixed(..)))
    {
        return Err(format!(
            "{form:?} has no date or time specifier; expected e.g. \"%d/%m/%Y %H:%M\""
        ));
    }
    Ok(())
}

/// Whether `text` starts as a date with its day and month in either order
/// (`03/04/2024`, `3.4.24`), which no default form reads and none
/// guesses.
pub(crate) fn is_day_month_date(text: &str) -> bool {
    let date = text.split([' ', 'T']).next().unwrap_or_default();
    let parts: Vec<&str> = date.split(['/', '.', '-']).collect();
    let number = |part: &&str, sizes: &[usize]| {
        sizes.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    parts.len() == 3
        && number(&parts[0], &[1, 2])
        && number(&parts[1], &[1, 2])
        && number(&parts[2], &[2, 4])
}

/// `YYYY-MM-DDTHH:MM:SSZ`, read as three words: its separators and digits
/// checked a word at a time; `None` for anything else (including a leap
/// second), which chrono's parsers then read.
#[inline(always)]
pub(crate) fn parse_utc_seconds(text: &[u8]) -> Option<Timestamp> {
    let text: &[u8; 20] = text.try_into().ok()?;
    let [date, clock, rest] = [0, 8, 12].map(|at| {
        let mut word = [0; 8];
        if let Some(bytes) = text.get(at..at + 8) {
            word.copy_from_slice(bytes);
        }
        u64::from_le_bytes(word)
    });
    // The last word overlaps the second: its last four bytes are ":SSZ".
    let seconds = rest >> 32;
    // Each word as digits, with its other bytes read as zeros; `None` if a
    // byte is not the one its form (where `9` stands for a digit) expects,
    // or a digit's place does not hold a digit. A
    // digit is 0x30..=0x39: its high nibble is 3, and stays 3 after adding
    // 6 (which carries out of a low nibble only above 9, never out of a
    // byte whose high nibble is 3).
    let digits = |word: u64, form: &[u8; 8]| {
        const HIGH: u64 = u64::from_le_bytes([0xF0; 8]);
        const ZEROS: u64 = u64::from_le_bytes([b'0'; 8]);
        let pattern = u64::from_le_bytes(form.map(|b| if b == b'9' { 0 } else { b }));
        let lanes = u64::from_le_bytes(form.map(|b| if b == b'9' { 0 } else { 0xFF }));
        let as_digits = (word & !lanes) | (ZEROS & lanes);
        let all_digits = as_digits & HIGH == ZEROS
            && as_digits.wrapping_add(u64::from_le_bytes([6; 8])) & HIGH == ZEROS;
        (word & lanes == pattern && all_digits).then(|| as_digits - ZEROS)
    };
    let date = digits(date, b"9999-99-")?;
    let clock = digits(clock, b"99T99:99")?;
    let seconds = digits(seconds, b":99Z\0\0\0\0")?;
    // The two-digit number starting at each byte: its digit times ten plus
    // the next one (no byte carries: 9 · 10 + 9 is below 256).
    let pair = |digits: u64, at: u32| ((digits * 10 + (digits >> 8)) >> (8 * at)) as u32 & 0xFF;
    let (century, year, month) = (pair(date, 0), pair(date, 2), pair(date, 5));
    let (day, hour, minute) = (pair(clock, 0), pair(clock, 3), pair(clock, 6));
    let second = pair(seconds, 1);
    let days = days_since_epoch(century, year, month, day)?;
    if hour >= 24 || minute >= 60 || second >= 60 {
        return None;
    }
    let seconds = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Timestamp::new(seconds, 0).ok()
}

/// For each month, the days of a common year before it and its length;
/// month 0 has no days.
const MONTHS: [(u32, u32); 13] = [
    (0, 0),
    (0, 31),
    (31, 28),
    (59, 31),
    (90, 30),
    (120, 31),
    (151, 30),
    (181, 31),
    (212, 31),
    (243, 30),
    (273, 31),
    (304, 30),
    (334, 31),
];

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar, its
/// year given as century and year of the century (as the digits give it,
/// year 0 to 9999); `None` for a month or day that does not exist.
#[inline(always)]
fn days_since_epoch(century: u32, year_of_century: u32, month: u32, day: u32) -> Option<i64> {
    // A year of a century is leap if divisible by four; a century's first
    // year, if the century is.
    let leap = match year_of_century {
        0 => century.is_multiple_of(4),
        _ => year_of_century.is_multiple_of(4),
    };
    let &(before, length) = MONTHS.get(month as usize)?;
    let late = u32::from(leap && month > 2);
    if day == 0 || day > length + u32::from(leap && month == 2) {
        return None;
    }
    // The leap days of the years before this one, from year 0: one every
    // four years, less the centuries, plus every fourth century, each
    // counted with the century and year of the century apart, so that no
    // division is by other than four.
    let started = century + u32::from(year_of_century > 0);
    let year = century * 100 + year_of_century;
    let leap_days = 25 * century + year_of_century.div_ceil(4) - started + started.div_ceil(4);
    let days_from_year_0 = 365 * year + leap_days + before + late + day - 1;
    // 0000-01-01 is 719,528 days before 1970-01-01.
    Some(i64::from(days_from_year_0) - 719_528)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn byte_level_timestamps_by_hand() {
        let parsed = parse_timestamp("2024-02-29T23:59:58Z").map(|t| t.to_datetime().to_rfc3339());
        assert_eq!(parsed.as_deref(), Some("2024-02-29T23:59:58+00:00"));
        let seconds = |text: &[u8]| parse_utc_seconds(text).map(|t| t.second());
        assert_eq!(seconds(b"1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(seconds(b"2000-03-01T00:00:01Z"), Some(951_868_801));
        assert_eq!(seconds(b"0000-01-01T00:00:00Z"), Some(-62_167_219_200));
        assert_eq!(parse_utc_seconds(b"2023-02-29T10:00:00Z"), None);
        assert!(parse_utc_seconds(b"2000-02-29T10:00:00Z").is_some());
        assert_eq!(parse_utc_seconds(b"1900-02-29T10:00:00Z"), None);
        assert_eq!(parse_utc_seconds(b"2024-04-31T10:00:00Z"), None);
        assert_eq!(parse_utc_seconds(b"2024-00-10T10:00:00Z"), None);
        assert_eq!(parse_utc_seconds(b"2024-01-00T10:00:00Z"), None);
        assert_eq!(parse_utc_seconds(b"2024-01-01T24:00:00Z"), None);
        // A leap second is left to chrono.
        assert_eq!(parse_utc_seconds(b"2016-12-31T23:59:60Z"), None);
        let leap = parse_timestamp("2016-12-31T23:59:60Z").unwrap();
        assert_eq!(
            (leap.second(), leap.nanosecond()),
            (1_483_228_799, 1_000_000_000)
        );
        assert_eq!(leap.to_datetime().to_rfc3339(), "2016-12-31T23:59:60+00:00");
        // Fractions of a second are kept to the nanosecond.
        let fraction = parse_timestamp("2024-03-15T12:34:56.000000789Z").unwrap();
        assert_eq!(fraction.nanosecond(), 789);
        assert_eq!(
            fraction.to_datetime(),
            "2024-03-15T12:34:56.000000789Z"
                .parse::<DateTime<Utc>>()
                .unwrap()
        );
        assert_eq!(seconds(b"9999-12-31T23:59:59Z"), Some(253_402_300_799));
        assert_eq!(parse_utc_seconds(b"2024-01-01t10:00:00Z"), None);
        // Dates are midnight UTC; other zones are moved to UTC.
        assert_eq!(
            parse_timestamp("2024-03-15"),
            parse_timestamp("2024-03-15T00:00:00Z")
        );
        // A date and time without a zone (Qualtrics' form) is UTC.
        for zoneless in [
            "2024-03-15 12:34:56",
            "2024-03-15T12:34:56",
            "2024-03-15 12:34:00",
        ] {
            let utc = format!("{}Z", zoneless.replace(' ', "T"));
            assert_eq!(
                parse_timestamp(zoneless),
                parse_timestamp(&utc),
                "{zoneless}"
            );
        }
        assert_eq!(
            parse_timestamp("2024-03-15 12:34"),
            parse_timestamp("2024-03-15T12:34:00Z")
        );
        // Day-first or month-first forms are not guessed.
        assert_eq!(parse_timestamp("03/15/2024 12:34:56"), None);
        assert_eq!(parse_timestamp("15.03.2024 12:34"), None);
        assert_eq!(parse_timestamp("2024-02-30 12:00:00"), None);
        assert_eq!(
            parse_timestamp("2024-03-15T12:00:00+02:00"),
            parse_timestamp("2024-03-15T10:00:00Z")
        );
        assert_eq!(parse_timestamp("15/03/2024"), None);
    }

    fn utc(text: &str) -> Timestamp {
        text.parse::<DateTime<Utc>>().unwrap().into()
    }

    fn rules(forms: &[&str], zone: &str) -> TimestampRules {
        let forms: Vec<String> = forms.iter().map(|form| (*form).to_owned()).collect();
        TimestampRules::new(&forms, SurveyExport::Plain, zone.parse().unwrap())
    }

    /// Each instant worked out by hand from the zone's offset on that day
    /// (Denver: UTC-7 in winter, UTC-6 from 10 March to 3 November 2024;
    /// Berlin: UTC+1, UTC+2 from 31 March 2024).
    #[test]
    fn declared_forms_and_zones_by_hand() {
        let day_first = rules(&["%d/%m/%Y %H:%M"], "UTC");
        assert_eq!(
            day_first.parse("03/04/2024 10:00"),
            Ok(utc("2024-04-03T10:00:00Z"))
        );
        // The ISO forms still read; RFC 3339 keeps its own offset.
        assert_eq!(
            day_first.parse("2024-04-03 10:00"),
            Ok(utc("2024-04-03T10:00:00Z"))
        );
        let denver = rules(&[], "America/Denver");
        assert_eq!(
            denver.parse("2024-07-01 10:00:00"),
            Ok(utc("2024-07-01T16:00:00Z"))
        );
        assert_eq!(
            denver.parse("2024-01-15 10:00:00"),
            Ok(utc("2024-01-15T17:00:00Z"))
        );
        assert_eq!(
            denver.parse("2024-01-15T10:00:00Z"),
            Ok(utc("2024-01-15T10:00:00Z"))
        );
        assert_eq!(denver.parse("2024-01-15"), Ok(utc("2024-01-15T07:00:00Z")));
        // At a clock change, a local time is two instants or none.
        assert_eq!(denver.parse("2024-11-03 01:30:00"), Err(Unread::Repeated));
        assert_eq!(denver.parse("2024-03-10 02:30:00"), Err(Unread::Skipped));
        assert_eq!(denver.parse("03/04/2024 10:00"), Err(Unread::NoForm));
        let berlin = rules(&["%d.%m.%Y"], "Europe/Berlin");
        assert_eq!(berlin.parse("15.03.2024"), Ok(utc("2024-03-14T23:00:00Z")));
        assert_eq!(
            berlin.parse("2024-04-15 12:00"),
            Ok(utc("2024-04-15T10:00:00Z"))
        );
        // SurveyMonkey's form, month first, with AM and PM.
        let monkey = TimestampRules::new(&[], SurveyExport::SurveyMonkey, Tz::UTC);
        assert_eq!(
            monkey.parse("04/08/2012 09:13:29 PM"),
            Ok(utc("2012-04-08T21:13:29Z"))
        );
        assert_eq!(
            monkey.parse("04/08/2012 12:00:00 AM"),
            Ok(utc("2012-04-08T00:00:00Z"))
        );
        assert_eq!(
            monkey.parse("04/08/2012 12:00:00 PM"),
            Ok(utc("2012-04-08T12:00:00Z"))
        );
        assert_eq!(monkey.parse("13/08/2012 09:13:29 PM"), Err(Unread::NoForm));
        // Google Forms' offsets: whole hours, hours and minutes, none.
        let google = TimestampRules::new(&[], SurveyExport::GoogleForms, Tz::UTC);
        // Declared forms take the place of the export's.
        let declared =
            TimestampRules::new(&["%d.%m.%Y".to_owned()], SurveyExport::GoogleForms, Tz::UTC);
        assert_eq!(
            declared.parse("2024/03/01 9:05:00 PM GMT+1"),
            Err(Unread::NoForm)
        );
        let cases = [
            ("2024/03/01 9:05:00 PM GMT+1", "2024-03-01T20:05:00Z"),
            ("2024/03/01 9:05:00 PM GMT-4", "2024-03-02T01:05:00Z"),
            ("2024/03/01 9:05:00 PM GMT+5:30", "2024-03-01T15:35:00Z"),
            ("2024/03/01 9:05:00 PM GMT+10", "2024-03-01T11:05:00Z"),
            ("2024/03/01 9:05:00 PM GMT", "2024-03-01T21:05:00Z"),
        ];
        for (text, instant) in cases {
            assert_eq!(google.parse(text), Ok(utc(instant)), "{text}");
        }
        assert_eq!(
            google.parse("2024/03/01 9:05:00 PM GMT+123"),
            Err(Unread::NoForm)
        );
        assert_eq!(
            google.parse("2024/03/01 9:05:00 PM GMT+1:5"),
            Err(Unread::NoForm)
        );
    }

    #[test]
    fn day_month_dates_are_told_apart() {
        for text in [
            "03/04/2024",
            "3.4.24",
            "03-04-2024 10:00",
            "12/31/2024T10:00",
        ] {
            assert!(is_day_month_date(text), "{text}");
        }
        for text in [
            "2024-03-04",
            "2024/03/04 10:00",
            "03/2024",
            "a3/04/2024",
            "",
        ] {
            assert!(!is_day_month_date(text), "{text}");
        }
    }

    /// Every year four digits can write, each month's edges: the day count
    /// and the calendar check are chrono's.
    #[test]
    fn every_year_s_month_ends_agree_with_chrono() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for year in 0..10_000 {
            for month in 0..14 {
                for day in [0, 1, 27, 28, 29, 30, 31, 32] {
                    let chrono = NaiveDate::from_ymd_opt(year as i32, month, day)
                        .map(|date| date.signed_duration_since(epoch).num_days());
                    let ours = days_since_epoch(year / 100, year % 100, month, day);
                    assert_eq!(ours, chrono, "{year:04}-{month:02}-{day:02}");
                }
            }
        }
    }

    proptest! {
        /// The byte-level path answers exactly as chrono does, or leaves the
        /// text to it.
        #[test]
        fn prop_byte_level_timestamps_agree_with_chrono(
            (year, month, day) in (0u32..10_000, 0u32..14, 0u32..33),
            (hour, minute, second) in (0u32..26, 0u32..62, 0u32..62),
            separator in prop::sample::select(vec!["-", "/"]),
            letter in prop::sample::select(vec!['T', 't', ' ', 'Z']),
            zone in prop::sample::select(vec!["Z", "z", "+00:00", "", ".5Z", ".000000001-01:30"]),
        ) {
            let text = format!(
                "{year:04}-{month:02}{separator}{day:02}{letter}{hour:02}:{minute:02}:{second:02}{zone}"
            );
            if let Some(fast) = parse_utc_seconds(text.as_bytes()) {
                prop_assert_eq!(Some(fast), parse_with_chrono(&text));
            }
            prop_assert_eq!(parse_timestamp(&text), parse_with_chrono(&text));
        }

        /// Any one byte of the usual form changed: the byte-level path
        /// still answers as chrono does, or leaves the text to it.
        #[test]
        fn prop_one_byte_off_agrees_with_chrono(
            seconds in 0i64..253_402_300_800,
            at in 0usize..20,
            byte in 0x20u8..0x7F,
        ) {
            let usual = DateTime::from_timestamp(seconds, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ");
            let mut text = usual.to_string().into_bytes();
            text[at] = byte;
            let text = String::from_utf8(text).unwrap();
            if let Some(fast) = parse_utc_seconds(text.as_bytes()) {
                prop_assert_eq!(Some(fast), parse_with_chrono(&text));
            }
            prop_assert_eq!(parse_timestamp(&text), parse_with_chrono(&text));
        }

        /// A local time written without a zone reads as the instant it is in
        /// the declared zone, unless the zone's clocks passed it twice or
        /// skipped it.
        #[test]
        fn prop_a_local_time_is_its_instant_in_the_zone(
            seconds in 0i64..4_102_444_800,
            zone in prop::sample::select(vec!["UTC", "America/Denver", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe"]),
        ) {
            let zone: Tz = zone.parse().unwrap();
            let instant = DateTime::from_timestamp(seconds, 0).unwrap();
            let local = instant.with_timezone(&zone).naive_local();
            let text = local.format("%Y-%m-%d %H:%M:%S").to_string();
            let read = TimestampRules::new(&[], SurveyExport::Plain, zone).parse(&text);
            match zone.from_local_datetime(&local) {
                LocalResult::Single(_) => prop_assert_eq!(read, Ok(instant.into())),
                _ => prop_assert_eq!(read, Err(Unread::Repeated)),
            }
        }

        /// The day count and the calendar check are chrono's.
        #[test]
        fn prop_days_agree_with_chrono(year in 0u32..10_000, month in 0u32..14, day in 0u32..33) {
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
            let chrono = NaiveDate::from_ymd_opt(year as i32, month, day)
                .map(|date| date.signed_duration_since(epoch).num_days());
            prop_assert_eq!(days_since_epoch(year / 100, year % 100, month, day), chrono);
        }
    }
}
