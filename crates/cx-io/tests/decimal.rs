//! The decimal mark: `4,5` is 4.5 in a `;`-separated CSV file, or wherever
//! the journey file says `decimal = ","`; `decimal = "."` refuses it even
//! with `;`; no thousands separators. Values by hand.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cx_io::{DecimalMark, ErrorKind, InputFormat, JourneyFile, ReadSummary, ResponseReaderBuilder};
use cx_model::ObservationBatch;

mod common;
use common::retail;

/// The realities and expectations read from `input`, and the summary.
fn read(
    input: &str,
    journey: &JourneyFile,
    format: InputFormat,
) -> (Vec<(f64, Option<f64>)>, ReadSummary) {
    let mut reader = ResponseReaderBuilder::new()
        .name("input")
        .format(format)
        .from_reader(input.as_bytes(), journey)
        .unwrap();
    let mut batch = ObservationBatch::new();
    let mut ratings = Vec::new();
    while reader.read_batch(&mut batch).unwrap() {
        ratings.extend(
            batch
                .realities()
                .iter()
                .copied()
                .zip(batch.expectations().iter().copied()),
        );
    }
    (ratings, reader.into_summary())
}

fn with_mark(mark: Option<DecimalMark>) -> JourneyFile {
    let mut journey = retail();
    journey.decimal = mark;
    journey
}

const CSV: InputFormat = InputFormat::Csv { delimiter: None };

#[test]
fn a_semicolon_file_reads_a_decimal_comma_and_says_how_many() {
    let input = "respondent_id;touchpoint;reality;expectation\nr1;website;4,5;4\nr2;website;3;3,5\nr3;website;2.5;2\n";
    let (ratings, summary) = read(input, &with_mark(None), CSV);
    assert_eq!(
        ratings,
        [(4.5, Some(4.0)), (3.0, Some(3.5)), (2.5, Some(2.0))]
    );
    // 4,5 and 3,5; 2.5 has a point.
    assert_eq!(summary.decimal_commas, 2);
    assert!(
        summary
            .to_string()
            .ends_with("\nnumbers read with a decimal comma 2"),
        "{summary}"
    );
}

#[test]
fn a_point_declared_refuses_the_comma_even_with_semicolons() {
    let input = "respondent_id;touchpoint;reality\nr1;website;4,5\nr2;website;4\n";
    let (ratings, summary) = read(input, &with_mark(Some(DecimalMark::Point)), CSV);
    assert_eq!(ratings, [(4.0, None)]);
    assert_eq!(
        summary.records_rejected.get(&ErrorKind::NotANumber),
        Some(&1)
    );
    assert_eq!(summary.decimal_commas, 0);
    assert!(!summary.to_string().contains("decimal comma"));
}

#[test]
fn a_comma_declared_reads_it_in_a_comma_file_and_in_json() {
    let input = "respondent_id,touchpoint,reality\nr1,website,\"4,5\"\n";
    let (ratings, summary) = read(input, &with_mark(None), CSV);
    assert!(
        ratings.is_empty(),
        "a comma-separated file has no decimal comma by default"
    );
    assert_eq!(
        summary.records_rejected.get(&ErrorKind::NotANumber),
        Some(&1)
    );
    let (ratings, summary) = read(input, &with_mark(Some(DecimalMark::Comma)), CSV);
    assert_eq!((ratings, summary.decimal_commas), (vec![(4.5, None)], 1));
    let ndjson = "{\"respondent_id\": \"r1\", \"touchpoint\": \"website\", \"reality\": \"4,5\"}\n";
    let (ratings, _) = read(
        ndjson,
        &with_mark(Some(DecimalMark::Comma)),
        InputFormat::Ndjson,
    );
    assert_eq!(ratings, [(4.5, None)]);
    let (ratings, _) = read(ndjson, &with_mark(None), InputFormat::Ndjson);
    assert!(ratings.is_empty());
}

#[test]
fn thousands_separators_and_two_commas_are_not_numbers() {
    let input =
        "respondent_id;touchpoint;reality\nr1;website;1.234,5\nr2;website;4,5,0\nr3;website;,5\n";
    let (ratings, summary) = read(input, &with_mark(None), CSV);
    // ",5" is 0.5, off the 1..=5 scale: out_of_scale, not not_a_number.
    assert!(ratings.is_empty(), "{ratings:?}");
    assert_eq!(
        summary.records_rejected.get(&ErrorKind::NotANumber),
        Some(&2)
    );
    assert_eq!(
        summary.records_rejected.get(&ErrorKind::OutOfScale),
        Some(&1)
    );
}

#[test]
fn the_journey_file_names_the_mark() {
    let text =
        cx_io::sample::RETAIL_JOURNEY_TOML.replacen("name = ", "decimal = \",\"\nname = ", 1);
    let file = JourneyFile::parse(&text, cx_io::JourneyFormat::Toml).unwrap();
    assert_eq!(file.decimal, Some(DecimalMark::Comma));
    let again = JourneyFile::parse(
        &file.to_string(cx_io::JourneyFormat::Toml).unwrap(),
        cx_io::JourneyFormat::Toml,
    )
    .unwrap();
    assert_eq!(again, file);
    let wrong = JourneyFile::parse(
        &text.replacen("\",\"", "\";\"", 1),
        cx_io::JourneyFormat::Toml,
    )
    .unwrap_err();
    assert_eq!(*wrong.kind(), ErrorKind::Syntax);
    // The key's line and column (the sample journey opens with comments).
    assert!(
        wrong
            .to_string()
            .ends_with("line 4, column 11: unknown variant `;`, expected `.` or `,`"),
        "{wrong}"
    );
}
