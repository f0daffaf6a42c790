//! Bad-input catalogue, JSON (one array of objects, read whole): exact error
//! kind and location; strict stops, lenient counts and goes on; a document
//! that cannot be parsed stops both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Expected, bad_field, bad_record, clean, fatal, retail};
use cx_io::{ErrorKind, InputFormat, ResponseReaderBuilder};

const FIRST: &str =
    r#"{"respondent_id":"r1","touchpoint":"website","reality":4,"would_return":true}"#;
const AFTER: &str = r#"{"respondent_id":"r2","touchpoint":"cashier","reality":"2"},
{"respondent_id":"r3","touchpoint":"delivery","reality":5,"emotion":"happy"}"#;

fn builder() -> ResponseReaderBuilder {
    let mut builder = ResponseReaderBuilder::new();
    builder.format(InputFormat::Json);
    builder
}

fn document(bad: &str) -> String {
    format!("[{FIRST},\n{bad},\n{AFTER}]")
}

/// JSON elements are located by record number (the document is parsed
/// whole, so no line is kept).
fn rejects(bad: &str, kind: ErrorKind, column: Option<&'static str>) {
    let expected = Expected {
        kind,
        line: None,
        record: Some(2),
        column,
    };
    bad_record(document(bad).as_bytes(), &retail(), &builder(), expected, 3);
}

/// `bad`, record 2, must be kept without its field `column`, rejected as
/// `kind`.
fn keeps_rating(bad: &str, kind: ErrorKind, column: &'static str) {
    let expected = Expected {
        kind,
        line: None,
        record: Some(2),
        column: Some(column),
    };
    let (summary, _) = bad_field(document(bad).as_bytes(), &retail(), &builder(), expected, 3);
    assert_eq!(summary.observations, 4);
}

fn fatal_syntax(input: &[u8], line: Option<u64>) {
    let expected = Expected {
        kind: ErrorKind::Syntax,
        line,
        record: None,
        column: None,
    };
    fatal(input, &retail(), &builder(), expected);
}

#[test]
fn empty_document() {
    let expected = Expected::whole_input(ErrorKind::Empty);
    fatal(b"", &retail(), &builder(), expected);
    fatal(b" \n ", &retail(), &builder(), expected);
}

#[test]
fn empty_array_and_byte_order_mark() {
    let (summary, _) = clean(b"[]", &retail(), &builder());
    assert_eq!(summary.records_read, 0);
    let input = format!("\u{FEFF}[{FIRST}]");
    let (summary, _) = clean(input.as_bytes(), &retail(), &builder());
    assert_eq!(summary.records_accepted, 1);
}

#[test]
fn syntax_errors_stop_the_read_and_name_the_line() {
    fatal_syntax(
        format!("[{FIRST},\n{{\"respondent_id\": }}]").as_bytes(),
        Some(2),
    );
    fatal_syntax(b"{\"not\": \"an array\"}", None);
    fatal_syntax(b"[{\"respondent_id\":\"r\xFF\"}]", Some(1));
}

#[test]
fn nested_ten_thousand_deep() {
    let deep = format!("[{FIRST},{}{}]", "[".repeat(10_000), "]".repeat(10_000));
    fatal_syntax(deep.as_bytes(), Some(1));
}

#[test]
fn document_larger_than_the_limit() {
    let mut builder = builder();
    builder.max_document_bytes(100);
    let expected = Expected::whole_input(ErrorKind::DocumentTooLarge);
    fatal(document("{}").as_bytes(), &retail(), &builder, expected);
}

#[test]
fn elements_that_are_not_objects() {
    rejects("[1, 2]", ErrorKind::NotAnObject, None);
    rejects(
        r#"{"respondent_id":"r9","touchpoint":"website","reality":[4]}"#,
        ErrorKind::NotAnObject,
        Some("reality"),
    );
}

#[test]
fn bad_values() {
    rejects(
        r#"{"respondent_id":"r9","touchpoint":"website","reality":"four"}"#,
        ErrorKind::NotANumber,
        Some("reality"),
    );
    rejects(
        r#"{"respondent_id":"r9","touchpoint":"website","reality":-1}"#,
        ErrorKind::OutOfScale,
        Some("reality"),
    );
    rejects(
        r#"{"respondent_id":"r9","touchpoint":"website","reality":"inf"}"#,
        ErrorKind::NotFinite,
        Some("reality"),
    );
    keeps_rating(
        r#"{"respondent_id":"r9","touchpoint":"website","reality":4,"likelihood_to_recommend":9.5}"#,
        ErrorKind::NotAnInteger,
        "likelihood_to_recommend",
    );
    rejects(
        r#"{"respondent_id":"r9","touchpoint":"lobby","reality":4}"#,
        ErrorKind::UnknownTouchpoint,
        Some("touchpoint"),
    );
    keeps_rating(
        r#"{"respondent_id":"r9","touchpoint":"website","reality":4,"emotion":"meh"}"#,
        ErrorKind::UnknownEmotion,
        "emotion",
    );
    keeps_rating(
        r#"{"respondent_id":"r9","touchpoint":"website","reality":4,"timestamp":"soon"}"#,
        ErrorKind::InvalidTimestamp,
        "timestamp",
    );
    rejects(
        r#"{"respondent_id":"r\u0000","touchpoint":"website","reality":4}"#,
        ErrorKind::ControlCharacter,
        Some("respondent_id"),
    );
    rejects(
        r#"{"respondent_id":"r1","touchpoint":"cashier","reality":4,"would_return":false}"#,
        ErrorKind::ConflictingAnswer,
        Some("would_return"),
    );
    rejects(
        r#"{"touchpoint":"website","reality":4}"#,
        ErrorKind::MissingValue,
        Some("respondent_id"),
    );
}

#[test]
fn ten_megabyte_field() {
    let bad = format!(
        r#"{{"respondent_id":"r9","touchpoint":"website","reality":4,"comment":"{}"}}"#,
        "x".repeat(10_000_000)
    );
    rejects(&bad, ErrorKind::FieldTooLong, Some("comment"));
}
