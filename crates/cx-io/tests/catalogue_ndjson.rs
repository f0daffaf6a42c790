//! Bad-input catalogue, NDJSON (one object per line, streamed): exact error
//! kind and location; strict stops, lenient counts and goes on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Expected, bad_field, bad_record, clean, retail};
use cx_io::{ErrorKind, InputFormat, ResponseReaderBuilder};

const FIRST: &str = r#"{"respondent_id":"r1","touchpoint":"website","reality":4,"expectation":3,"would_return":"yes"}"#;
const AFTER: &str = concat!(
    r#"{"respondent_id":"r2","touchpoint":"cashier","reality":"2","likelihood_to_recommend":3}"#,
    "\n\n",
    r#"{"respondent_id":"r3","touchpoint":"delivery","reality":5,"emotion":"happy","comment":null}"#,
    "\n"
);

fn builder() -> ResponseReaderBuilder {
    let mut builder = ResponseReaderBuilder::new();
    builder.format(InputFormat::Ndjson);
    builder
}

/// `bad` on line 2 (record 2) between good lines; a blank line after it is
/// skipped, so the last record is on line 5.
fn rejects(bad: &[u8], kind: ErrorKind, column: Option<&'static str>) {
    let input = [FIRST.as_bytes(), b"\n", bad, b"\n", AFTER.as_bytes()].concat();
    let expected = Expected {
        kind,
        line: Some(2),
        record: Some(2),
        column,
    };
    let (summary, _) = bad_record(&input, &retail(), &builder(), expected, 3);
    assert_eq!(summary.observations, 3);
}

/// `bad` on line 2 (record 2) must be kept without its field `column`,
/// rejected as `kind`.
fn keeps_rating(bad: &[u8], kind: ErrorKind, column: &'static str) {
    let input = [FIRST.as_bytes(), b"\n", bad, b"\n", AFTER.as_bytes()].concat();
    let expected = Expected {
        kind,
        line: Some(2),
        record: Some(2),
        column: Some(column),
    };
    let (summary, _) = bad_field(&input, &retail(), &builder(), expected, 3);
    assert_eq!(summary.observations, 4);
}

#[test]
fn empty_input_has_no_records() {
    let (summary, records) = clean(b"", &retail(), &builder());
    assert_eq!(summary.records_read, 0);
    assert!(records.is_empty());
    let (summary, _) = clean(b"\n  \n", &retail(), &builder());
    assert_eq!(summary.records_read, 0);
}

#[test]
fn byte_order_mark_and_crlf() {
    let input = format!("\u{FEFF}{FIRST}\r\n{}", AFTER.replace('\n', "\r\n"));
    let (summary, _) = clean(input.as_bytes(), &retail(), &builder());
    assert_eq!(summary.records_accepted, 3);
}

#[test]
fn syntax_error() {
    rejects(
        br#"{"respondent_id":"r9","touchpoint":"website""#,
        ErrorKind::Syntax,
        None,
    );
}

#[test]
fn not_an_object() {
    rejects(b"[1,2,3]", ErrorKind::NotAnObject, None);
    rejects(
        br#"{"respondent_id":"r9","touchpoint":"website","reality":{"value":4}}"#,
        ErrorKind::NotAnObject,
        Some("reality"),
    );
}

#[test]
fn nested_ten_thousand_deep() {
    let deep = format!(
        r#"{{"respondent_id":"r9","touchpoint":"website","reality":4,"extra":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    rejects(deep.as_bytes(), ErrorKind::Syntax, None);
}

#[test]
fn bad_values() {
    let line = |field: &str, value: &str| {
        format!(r#"{{"respondent_id":"r9","touchpoint":"website","reality":4,{field}:{value}}}"#)
            .replace(r#""reality":4,"reality""#, r#""reality""#)
    };
    rejects(
        line(r#""reality""#, r#""seven""#).as_bytes(),
        ErrorKind::NotANumber,
        Some("reality"),
    );
    rejects(
        line(r#""reality""#, "-2").as_bytes(),
        ErrorKind::OutOfScale,
        Some("reality"),
    );
    rejects(
        line(r#""expectation""#, "6").as_bytes(),
        ErrorKind::OutOfScale,
        Some("expectation"),
    );
    rejects(
        line(r#""reality""#, r#""NaN""#).as_bytes(),
        ErrorKind::NotFinite,
        Some("reality"),
    );
    keeps_rating(
        line(r#""likelihood_to_recommend""#, "7.5").as_bytes(),
        ErrorKind::NotAnInteger,
        "likelihood_to_recommend",
    );
    keeps_rating(
        line(r#""emotion""#, r#""grumpy""#).as_bytes(),
        ErrorKind::UnknownEmotion,
        "emotion",
    );
    keeps_rating(
        line(r#""timestamp""#, r#""15/03/2024""#).as_bytes(),
        ErrorKind::InvalidTimestamp,
        "timestamp",
    );
    keeps_rating(
        line(r#""channel""#, r#""we\u0000b""#).as_bytes(),
        ErrorKind::ControlCharacter,
        "channel",
    );
    rejects(
        line(r#""segment""#, r#""new\u0000""#).as_bytes(),
        ErrorKind::ControlCharacter,
        Some("segment"),
    );
    rejects(
        br#"{"respondent_id":"r9","touchpoint":"nowhere","reality":4}"#,
        ErrorKind::UnknownTouchpoint,
        Some("touchpoint"),
    );
}

#[test]
fn conflicting_loyalty_answers() {
    rejects(
        br#"{"respondent_id":"r1","touchpoint":"cashier","reality":4,"would_return":"no"}"#,
        ErrorKind::ConflictingAnswer,
        Some("would_return"),
    );
}

#[test]
fn invalid_utf8() {
    rejects(
        b"{\"respondent_id\":\"r\xFF9\",\"touchpoint\":\"website\",\"reality\":4}",
        ErrorKind::Syntax,
        None,
    );
}

#[test]
fn ten_megabyte_field() {
    let line = format!(
        r#"{{"respondent_id":"r9","touchpoint":"website","reality":4,"comment":"{}"}}"#,
        "x".repeat(10_000_000)
    );
    rejects(line.as_bytes(), ErrorKind::FieldTooLong, Some("comment"));
}

#[test]
fn line_longer_than_the_record_limit() {
    let mut builder = builder();
    builder.max_record_bytes(1000);
    let line = format!(
        r#"{{"respondent_id":"r9","comment":"{}"}}"#,
        "x".repeat(5000)
    );
    let input = [FIRST, "\n", &line, "\n", AFTER].concat();
    let expected = Expected {
        kind: ErrorKind::RecordTooLong,
        line: Some(2),
        record: Some(2),
        column: None,
    };
    bad_record(input.as_bytes(), &retail(), &builder, expected, 3);
}

/// A number or a boolean is measured as written, like a string, against
/// the field limit: at the limit it is read, one byte over it is refused.
#[test]
fn numbers_and_booleans_count_against_the_field_limit() {
    let mut limited = builder();
    limited.max_field_bytes(8);
    let at_limit = [
        FIRST.as_bytes(),
        b"\n",
        br#"{"respondent_id":"r4","touchpoint":"website","reality":4.000001,"comment":false}"#,
        b"\n",
        AFTER.as_bytes(),
    ]
    .concat();
    let (summary, _) = clean(&at_limit, &retail(), &limited);
    assert_eq!(summary.records_accepted, 4);
    for bad in [
        &br#"{"respondent_id":"r4","touchpoint":"website","reality":4.0000001}"#[..],
        br#"{"respondent_id":"r4","touchpoint":"website","reality":123456789}"#,
    ] {
        let input = [FIRST.as_bytes(), b"\n", bad, b"\n", AFTER.as_bytes()].concat();
        let expected = Expected {
            kind: ErrorKind::FieldTooLong,
            line: Some(2),
            record: Some(2),
            column: Some("reality"),
        };
        bad_record(&input, &retail(), &limited, expected, 3);
    }
}
