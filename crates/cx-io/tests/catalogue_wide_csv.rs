//! Bad-input catalogue, wide CSV (one row per respondent, one column per
//! touchpoint, mapped by the journey file): exact error kind and location;
//! strict stops, lenient counts and goes on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Expected, bad_field, bad_record, clean, fatal};
use cx_io::{ErrorKind, InputFormat, JourneyFile, JourneyFormat, ResponseReaderBuilder};

const JOURNEY: &str = r#"
name = "Flight"
scale = { min = 1, max = 5, not_applicable = 0 }

[respondents]
id_column = "id"
segment_columns = ["class"]
expectations_met = { column = "satisfied", yes = ["yes"], no = ["no"] }
likelihood_to_recommend = { column = "nps" }

[[stages]]
name = "Fly"
touchpoints = [
    { id = "booking", name = "Booking", channel = "web", target = 4, source_column = "Booking" },
    { id = "seat", name = "Seat", channel = "in person", target = 4, source_column = "Seat" },
]
"#;

const HEADER: &str = "id,class,Booking,Seat,satisfied,nps\n";
const FIRST: &str = "p1,eco,4,0,yes,9\n";
const AFTER: &str = "p3,biz,5,,no,2\np4,eco,,3,,\n";

fn journey() -> JourneyFile {
    JourneyFile::parse(JOURNEY, JourneyFormat::Toml).unwrap()
}

fn builder() -> ResponseReaderBuilder {
    let mut builder = ResponseReaderBuilder::new();
    builder.format(InputFormat::Csv { delimiter: None });
    builder
}

fn rejects(bad: &str, kind: ErrorKind, column: Option<&'static str>) {
    let input = [HEADER, FIRST, bad, "\n", AFTER].concat();
    let expected = Expected {
        kind,
        line: Some(3),
        record: Some(2),
        column,
    };
    let (summary, _) = bad_record(input.as_bytes(), &journey(), &builder(), expected, 3);
    // p1: two cells (one n/a); p3: one; p4: one. Empty cells are counted.
    assert_eq!(summary.observations, 4);
    assert_eq!(summary.empty_cells, 2);
}

/// `bad`, line 3 (record 2), must be kept without its outcome value in
/// `column`, rejected as `kind`.
fn keeps_ratings(bad: &str, kind: ErrorKind, column: &'static str) {
    let input = [HEADER, FIRST, bad, "\n", AFTER].concat();
    let expected = Expected {
        kind,
        line: Some(3),
        record: Some(2),
        column: Some(column),
    };
    let (summary, _) = bad_field(input.as_bytes(), &journey(), &builder(), expected, 3);
    // p2's two ratings are kept with the others.
    assert_eq!(summary.observations, 6);
    assert_eq!(summary.outcomes, 4);
}

#[test]
fn a_clean_file_reads_whole() {
    let input = [HEADER, FIRST, AFTER].concat();
    let (summary, records) = clean(input.as_bytes(), &journey(), &builder());
    assert_eq!(
        (
            summary.records_accepted,
            summary.observations,
            summary.outcomes
        ),
        (3, 4, 3)
    );
    assert_eq!(records.len(), 7);
}

#[test]
fn empty_file() {
    let expected = Expected {
        line: Some(1),
        ..Expected::whole_input(ErrorKind::Empty)
    };
    fatal(b"", &journey(), &builder(), expected);
}

#[test]
fn missing_mapped_column() {
    let input = b"id,class,Booking,satisfied,nps\np1,eco,4,yes,9\n";
    let mut builder = builder();
    builder.layout(cx_io::Layout::Wide);
    let expected = Expected::header(ErrorKind::MissingColumn, "Seat");
    fatal(input, &journey(), &builder, expected);
}

#[test]
fn duplicate_column() {
    let input = b"id,class,Booking,Seat,Seat,satisfied,nps\np1,eco,4,4,4,yes,9\n";
    let expected = Expected::header(ErrorKind::DuplicateColumn, "Seat");
    fatal(input, &journey(), &builder(), expected);
}

#[test]
fn bad_ratings() {
    rejects(
        "p2,eco,good,4,yes,9",
        ErrorKind::NotANumber,
        Some("Booking"),
    );
    rejects("p2,eco,4,-1,yes,9", ErrorKind::OutOfScale, Some("Seat"));
    rejects("p2,eco,4,6,yes,9", ErrorKind::OutOfScale, Some("Seat"));
    rejects("p2,eco,NaN,4,yes,9", ErrorKind::NotFinite, Some("Booking"));
    keeps_ratings("p2,eco,4,4,yes,8.5", ErrorKind::NotAnInteger, "nps");
}

#[test]
fn bad_answer() {
    keeps_ratings("p2,eco,4,4,maybe,9", ErrorKind::InvalidAnswer, "satisfied");
}

#[test]
fn control_characters_in_id_or_segment() {
    rejects(
        "p\u{0}2,eco,4,4,yes,9",
        ErrorKind::ControlCharacter,
        Some("id"),
    );
    rejects(
        "p2,e\u{1b}co,4,4,yes,9",
        ErrorKind::ControlCharacter,
        Some("class"),
    );
    rejects(
        "p2,\u{feff}eco,4,4,yes,9",
        ErrorKind::ControlCharacter,
        Some("class"),
    );
}

#[test]
fn missing_respondent_id() {
    rejects(",eco,4,4,yes,9", ErrorKind::MissingValue, Some("id"));
}

#[test]
fn invalid_utf8_and_field_counts() {
    let input = [
        HEADER.as_bytes(),
        FIRST.as_bytes(),
        b"p2,\xC3\x28co,4,4,yes,9\n",
        AFTER.as_bytes(),
    ]
    .concat();
    let expected = Expected {
        kind: ErrorKind::InvalidUtf8,
        line: Some(3),
        record: Some(2),
        column: Some("class"),
    };
    bad_record(&input, &journey(), &builder(), expected, 3);
    rejects("p2,eco,4,4,yes,9,extra", ErrorKind::FieldCount, None);
    rejects("p2,eco,4", ErrorKind::FieldCount, None);
}

#[test]
fn ten_megabyte_field() {
    let bad = format!("p2,{},4,4,yes,9", "e".repeat(10_000_000));
    rejects(&bad, ErrorKind::FieldTooLong, Some("class"));
}
