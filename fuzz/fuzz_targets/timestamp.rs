//! Arbitrary text as the timestamp of a long CSV row: the reader's fast
//! `YYYY-MM-DDTHH:MM:SSZ` path and its fallback give what chrono's RFC 3339,
//! zoneless date-and-time (taken as UTC) and date parsers give (midnight
//! UTC for a plain date), and a timestamp that cannot be read costs only
//! itself, the rating kept.
#![no_main]

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use cx_io::{ErrorKind, JourneyFile, ResponseReaderBuilder};
use cx_model::ObservationBatch;
use libfuzzer_sys::fuzz_target;

static JOURNEY: LazyLock<JourneyFile> = LazyLock::new(cx_fuzz::retail);

/// What the README promises a timestamp may be, read by chrono alone.
fn by_chrono(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(timestamp) = DateTime::parse_from_rfc3339(text) {
        return Some(timestamp.with_timezone(&Utc));
    }
    for form in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(text, form) {
            return Some(local.and_utc());
        }
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

fuzz_target!(|bytes: &[u8]| {
    // One CSV cell: no delimiter, quote or line break.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if text.contains([',', '"', '\r', '\n']) {
        return;
    }
    let csv = format!("respondent_id,touchpoint,reality,timestamp\nr1,website,4,{text}\n");
    let mut reader = ResponseReaderBuilder::new()
        .from_reader(csv.as_bytes(), &JOURNEY)
        .expect("the header is good");
    let mut batch = ObservationBatch::new();
    assert!(reader.read_batch(&mut batch).expect("lenient"));
    assert_eq!(batch.len(), 1, "the rating is kept");
    let trimmed = text.trim_ascii();
    let expected = (!trimmed.is_empty()).then(|| by_chrono(trimmed)).flatten();
    assert_eq!(batch.timestamp(0), expected, "{trimmed:?}");
    let summary = reader.into_summary();
    let refused = summary
        .fields_rejected
        .get(&ErrorKind::InvalidTimestamp)
        .copied()
        .unwrap_or(0);
    let unreadable = !trimmed.is_empty() && expected.is_none();
    assert_eq!(refused, u64::from(unreadable), "{summary:?}");
});
