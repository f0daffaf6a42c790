//! Reading timestamps: RFC 3339, or a plain date taken as midnight UTC.
//!
//! The form survey exports write on nearly every row,
//! `YYYY-MM-DDTHH:MM:SSZ`, is read byte by byte; anything else goes to
//! chrono's RFC 3339 and date parsers. A property test holds the two to the
//! same answers.

use chrono::{DateTime, NaiveDate, Utc};

/// RFC 3339, or a plain date taken as midnight UTC; `None` for anything
/// else.
#[inline]
pub(crate) fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    match parse_utc_seconds(text.as_bytes()) {
        Some(timestamp) => Some(timestamp),
        None => parse_with_chrono(text),
    }
}

/// What [`parse_timestamp`] falls back on.
fn parse_with_chrono(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(timestamp) = DateTime::parse_from_rfc3339(text) {
        return Some(timestamp.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

/// `YYYY-MM-DDTHH:MM:SSZ`, its digits checked eight bytes at a time and
/// its calendar by chrono's date constructor (which the general parsers
/// call too); `None` for anything else (including a leap second), which
/// chrono's parsers then read.
#[inline(always)]
fn parse_utc_seconds(text: &[u8]) -> Option<DateTime<Utc>> {
    let &[
        y0,
        y1,
        y2,
        y3,
        b'-',
        mo0,
        mo1,
        b'-',
        d0,
        d1,
        b'T',
        h0,
        h1,
        b':',
        mi0,
        mi1,
        b':',
        s0,
        s1,
        b'Z',
    ] = text
    else {
        return None;
    };
    // All fourteen digits checked at once, eight bytes to a word: a digit
    // is 0x30..=0x39, so its high nibble is 3, and stays 3 after adding 6
    // (which carries out of a low nibble only above 9, never out of a byte).
    let date = u64::from_le_bytes([y0, y1, y2, y3, mo0, mo1, d0, d1]);
    let time = u64::from_le_bytes([h0, h1, mi0, mi1, s0, s1, b'0', b'0']);
    let all_digits = |word: u64| {
        const HIGH: u64 = u64::from_le_bytes([0xF0; 8]);
        const THREES: u64 = u64::from_le_bytes([0x30; 8]);
        word & HIGH == THREES && word.wrapping_add(u64::from_le_bytes([6; 8])) & HIGH == THREES
    };
    if !(all_digits(date) && all_digits(time)) {
        return None;
    }
    // Each pair of digits as a number, four pairs to a word: a tens digit
    // times ten plus the ones digit after it (no byte carries: 9 · 10 + 9
    // is below 256), then the pairs picked out of their bytes.
    let pairs = |word: u64| {
        let digits = word - u64::from_le_bytes([b'0'; 8]);
        let sums = (digits * 10 + (digits >> 8)) & 0x00FF_00FF_00FF_00FF;
        [0, 16, 32, 48].map(|shift| (sums >> shift) as u32 & 0xFF)
    };
    let [century, year, month, day] = pairs(date);
    let [hour, minute, second, _] = pairs(time);
    let date = NaiveDate::from_ymd_opt((century * 100 + year) as i32, month, day)?;
    let time = date.and_hms_opt(hour, minute, second)?;
    Some(time.and_utc())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn byte_level_timestamps_by_hand() {
        let parsed = parse_timestamp("2024-02-29T23:59:58Z").map(|t| t.to_rfc3339());
        assert_eq!(parsed.as_deref(), Some("2024-02-29T23:59:58+00:00"));
        let seconds = |text: &[u8]| parse_utc_seconds(text).map(|t| t.timestamp());
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
        assert!(parse_timestamp("2016-12-31T23:59:60Z").is_some());
        assert_eq!(parse_utc_seconds(b"2024-01-01t10:00:00Z"), None);
        // Dates are midnight UTC; other zones are moved to UTC.
        assert_eq!(
            parse_timestamp("2024-03-15"),
            parse_timestamp("2024-03-15T00:00:00Z")
        );
        assert_eq!(
            parse_timestamp("2024-03-15T12:00:00+02:00"),
            parse_timestamp("2024-03-15T10:00:00Z")
        );
        assert_eq!(parse_timestamp("15/03/2024"), None);
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
            zone in prop::sample::select(vec!["Z", "z", "+00:00", ""]),
        ) {
            let text = format!(
                "{year:04}-{month:02}{separator}{day:02}{letter}{hour:02}:{minute:02}:{second:02}{zone}"
            );
            if let Some(fast) = parse_utc_seconds(text.as_bytes()) {
                prop_assert_eq!(Some(fast), parse_with_chrono(&text));
            }
            prop_assert_eq!(parse_timestamp(&text), parse_with_chrono(&text));
        }
    }
}
