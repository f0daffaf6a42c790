//! The checks every bad-input catalogue applies: strict mode stops with the
//! expected error, at the expected place; lenient mode counts it under its
//! reason and reads the good records after it; and every record read is
//! either accepted or rejected.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use cx_io::{
    Error, ErrorKind, ErrorPolicy, JourneyFile, JourneyFormat, Location, ReadSummary, Record,
    ResponseReaderBuilder,
};

/// The bundled retail journey: scale 1..=5, touchpoints `website`,
/// `cashier`, `delivery`, ….
pub fn retail() -> JourneyFile {
    JourneyFile::parse(cx_io::sample::RETAIL_JOURNEY_TOML, JourneyFormat::Toml).unwrap()
}

/// Where an error must be, and what it must say.
#[derive(Debug, Clone, Copy)]
pub struct Expected {
    pub kind: ErrorKind,
    pub line: Option<u64>,
    pub record: Option<u64>,
    pub column: Option<&'static str>,
}

impl Expected {
    /// An error about the whole input: no line, record or column.
    pub fn whole_input(kind: ErrorKind) -> Self {
        Expected {
            kind,
            line: None,
            record: None,
            column: None,
        }
    }

    /// An error in the header line, about `column`.
    pub fn header(kind: ErrorKind, column: &'static str) -> Self {
        Expected {
            kind,
            line: Some(1),
            record: None,
            column: Some(column),
        }
    }
}

fn read(
    input: &[u8],
    journey: &JourneyFile,
    builder: &ResponseReaderBuilder,
    policy: ErrorPolicy,
) -> Result<(ReadSummary, Vec<Record>), Error> {
    let reader = builder
        .clone()
        .name("input")
        .error_policy(policy)
        .from_reader(input, journey)?;
    let mut records = Vec::new();
    let summary = reader.read_all(|record| records.push(record))?;
    Ok((summary, records))
}

fn assert_at(error: &Error, expected: Expected) {
    assert_eq!(*error.kind(), expected.kind, "{error}");
    assert_eq!(
        error.location().map(Location::file),
        Some("input"),
        "{error}"
    );
    assert_eq!(
        error.location().and_then(Location::line),
        expected.line,
        "line of {error}"
    );
    assert_eq!(
        error.location().and_then(Location::record),
        expected.record,
        "record of {error}"
    );
    assert_eq!(error.column(), expected.column, "column of {error}");
}

/// One bad record among `good` good ones: strict stops at it, lenient counts
/// it and reads every good record. Returns the lenient read.
pub fn bad_record(
    input: &[u8],
    journey: &JourneyFile,
    builder: &ResponseReaderBuilder,
    expected: Expected,
    good: u64,
) -> (ReadSummary, Vec<Record>) {
    let strict = read(input, journey, builder, ErrorPolicy::Strict).unwrap_err();
    assert_at(&strict, expected);
    assert!(
        !strict.is_fatal(),
        "{strict} should not stop a lenient read"
    );

    let (summary, records) = read(input, journey, builder, ErrorPolicy::Lenient).unwrap();
    assert_eq!(
        summary
            .records_rejected
            .iter()
            .map(|(k, n)| (*k, *n))
            .collect::<Vec<_>>(),
        vec![(expected.kind, 1)]
    );
    assert_eq!(summary.records_accepted, good);
    assert_eq!(summary.records_read, summary.records_accepted + 1);
    assert_eq!(summary.examples, vec![strict]);
    (summary, records)
}

/// One record among `good` good ones with one optional field that cannot
/// be read: strict stops at the field, lenient keeps the record without it
/// and counts the field apart from the records. Returns the lenient read.
pub fn bad_field(
    input: &[u8],
    journey: &JourneyFile,
    builder: &ResponseReaderBuilder,
    expected: Expected,
    good: u64,
) -> (ReadSummary, Vec<Record>) {
    let strict = read(input, journey, builder, ErrorPolicy::Strict).unwrap_err();
    assert_at(&strict, expected);
    assert!(strict.is_field() && !strict.is_fatal(), "{strict}");

    let (summary, records) = read(input, journey, builder, ErrorPolicy::Lenient).unwrap();
    assert!(summary.records_rejected.is_empty(), "{summary}");
    assert_eq!(
        summary
            .fields_rejected
            .iter()
            .map(|(k, n)| (*k, *n))
            .collect::<Vec<_>>(),
        vec![(expected.kind, 1)]
    );
    assert_eq!(summary.records_accepted, good + 1);
    assert!(summary.reconciles());
    assert_eq!(summary.examples, vec![strict]);
    (summary, records)
}

/// An input that cannot be read at all: strict and lenient stop with the
/// same fatal error.
pub fn fatal(
    input: &[u8],
    journey: &JourneyFile,
    builder: &ResponseReaderBuilder,
    expected: Expected,
) {
    let strict = read(input, journey, builder, ErrorPolicy::Strict).unwrap_err();
    assert_at(&strict, expected);
    assert!(strict.is_fatal(), "{strict} should be fatal");
    let lenient = read(input, journey, builder, ErrorPolicy::Lenient).unwrap_err();
    assert_eq!(lenient, strict);
}

/// An input with nothing wrong: both modes read every record.
pub fn clean(
    input: &[u8],
    journey: &JourneyFile,
    builder: &ResponseReaderBuilder,
) -> (ReadSummary, Vec<Record>) {
    let strict = read(input, journey, builder, ErrorPolicy::Strict).unwrap();
    let lenient = read(input, journey, builder, ErrorPolicy::Lenient).unwrap();
    assert_eq!(strict, lenient);
    let (summary, _) = &strict;
    assert_eq!(summary.records_read, summary.records_accepted);
    assert!(summary.records_rejected.is_empty());
    strict
}
