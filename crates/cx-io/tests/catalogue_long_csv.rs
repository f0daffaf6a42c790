//! Bad-input catalogue, long CSV: each case asserts the exact error kind and
//! location, that strict mode stops there, and that lenient mode counts it
//! and goes on (read = accepted + rejected).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Expected, bad_field, bad_record, clean, fatal, retail};
use cx_io::{ErrorKind, InputFormat, ReadSummary, Record, RespondentOrder, ResponseReaderBuilder};

const HEADER: &str =
    "respondent_id,touchpoint,reality,expectation,emotion,would_return,likelihood_to_recommend\n";
const FIRST: &str = "r1,website,4,3,pleased,yes,9\n";
const AFTER: &str = "r2,cashier,2,4,,no,3\nr3,delivery,5,4,happy,,\n";

fn builder() -> ResponseReaderBuilder {
    let mut builder = ResponseReaderBuilder::new();
    builder.format(InputFormat::Csv { delimiter: None });
    builder
}

/// The header, a good row, `bad` on line 3 (record 2), and two good rows
/// after it.
fn with_bad_line(bad: &[u8]) -> Vec<u8> {
    [
        HEADER.as_bytes(),
        FIRST.as_bytes(),
        bad,
        b"\n",
        AFTER.as_bytes(),
    ]
    .concat()
}

/// `bad` must be rejected as `kind`, on line 3, record 2, in `column`;
/// returns the lenient read's summary.
fn rejects(bad: &[u8], kind: ErrorKind, column: Option<&'static str>) -> ReadSummary {
    let expected = Expected {
        kind,
        line: Some(3),
        record: Some(2),
        column,
    };
    let (summary, records) = bad_record(&with_bad_line(bad), &retail(), &builder(), expected, 3);
    // The three good rows' observations, and r1's, r2's outcomes.
    assert_eq!(summary.observations, 3);
    assert_eq!(records.len(), 5);
    summary
}

/// `bad`, on line 3 (record 2), must be kept without its field `column`,
/// rejected as `kind`; returns the kept row's observation.
fn keeps_rating(bad: &[u8], kind: ErrorKind, column: &'static str) -> cx_model::Observation {
    let expected = Expected {
        kind,
        line: Some(3),
        record: Some(2),
        column: Some(column),
    };
    let (summary, records) = bad_field(&with_bad_line(bad), &retail(), &builder(), expected, 3);
    assert_eq!(summary.observations, 4);
    let kept = records.iter().find_map(|record| match record {
        Record::Observation(o) if o.respondent_id == "r2" && o.touchpoint_id == "website" => {
            Some(o.clone())
        }
        _ => None,
    });
    kept.expect("the row's observation is kept")
}

#[test]
fn empty_file() {
    // Located at line 1, or at the last blank line read (issue 19).
    let at = |line| Expected {
        line: Some(line),
        ..Expected::whole_input(ErrorKind::Empty)
    };
    fatal(b"", &retail(), &builder(), at(1));
    fatal(b"\n\r\n\n", &retail(), &builder(), at(3));
}

#[test]
fn header_only_reads_nothing_and_is_not_an_error() {
    let (summary, records) = clean(HEADER.as_bytes(), &retail(), &builder());
    assert_eq!(summary.records_read, 0);
    assert!(records.is_empty());
}

#[test]
fn byte_order_mark_is_skipped() {
    let input = [b"\xEF\xBB\xBF", HEADER.as_bytes(), FIRST.as_bytes()].concat();
    let (summary, records) = clean(&input, &retail(), &builder());
    assert_eq!(summary.records_accepted, 1);
    assert!(matches!(&records[0], Record::Observation(o) if o.respondent_id == "r1"));
}

#[test]
fn crlf_line_ends_read_like_lf_and_keep_line_numbers() {
    let lf = with_bad_line(b"r9,website,seven,3,,,");
    let crlf = String::from_utf8(lf).unwrap().replace('\n', "\r\n");
    let expected = Expected {
        kind: ErrorKind::NotANumber,
        line: Some(3),
        record: Some(2),
        column: Some("reality"),
    };
    bad_record(crlf.as_bytes(), &retail(), &builder(), expected, 3);
}

#[test]
fn semicolon_and_tab_delimiters_are_detected() {
    let comma = [HEADER, FIRST, AFTER].concat();
    let (_, by_comma) = clean(comma.as_bytes(), &retail(), &builder());
    for delimiter in [";", "\t"] {
        let input = comma.replace(',', delimiter);
        let (summary, records) = clean(input.as_bytes(), &retail(), &builder());
        assert_eq!(summary.records_accepted, 3);
        assert_eq!(records, by_comma, "delimiter {delimiter:?}");
    }
}

#[test]
fn missing_required_column() {
    let input = b"respondent_id,touchpoint,expectation\nr1,website,3\n";
    let expected = Expected::header(ErrorKind::MissingColumn, "reality");
    fatal(input, &retail(), &builder(), expected);
}

#[test]
fn duplicate_column() {
    let input = b"respondent_id,touchpoint,reality,reality\nr1,website,3,4\n";
    let expected = Expected::header(ErrorKind::DuplicateColumn, "reality");
    fatal(input, &retail(), &builder(), expected);
}

#[test]
fn non_numeric_rating() {
    rejects(
        b"r2,website,seven,3,,,",
        ErrorKind::NotANumber,
        Some("reality"),
    );
}

#[test]
fn fractional_likelihood_to_recommend_is_not_answered() {
    let kept = keeps_rating(
        b"r2,website,4,3,,,7.5",
        ErrorKind::NotAnInteger,
        "likelihood_to_recommend",
    );
    assert_eq!(kept.reality, 4.0);
}

#[test]
fn negative_rating() {
    rejects(
        b"r2,website,-2,3,,,",
        ErrorKind::OutOfScale,
        Some("reality"),
    );
}

#[test]
fn out_of_scale_rating() {
    rejects(
        b"r2,website,4,6,,,",
        ErrorKind::OutOfScale,
        Some("expectation"),
    );
    keeps_rating(
        b"r2,website,4,3,,,11",
        ErrorKind::OutOfScale,
        "likelihood_to_recommend",
    );
}

#[test]
fn nan_or_infinite_rating() {
    for text in ["NaN", "nan", "inf", "-inf", "infinity"] {
        let bad = format!("r2,website,{text},3,,,");
        rejects(bad.as_bytes(), ErrorKind::NotFinite, Some("reality"));
    }
}

#[test]
fn missing_required_value() {
    rejects(
        b",website,4,3,,,",
        ErrorKind::MissingValue,
        Some("respondent_id"),
    );
    rejects(
        b"r2,website,,3,,,",
        ErrorKind::MissingValue,
        Some("reality"),
    );
}

#[test]
fn unknown_touchpoint() {
    rejects(
        b"r2,shop_door,4,3,,,",
        ErrorKind::UnknownTouchpoint,
        Some("touchpoint"),
    );
}

#[test]
fn misspelt_touchpoint_names_the_nearest() {
    // "webiste" is 1 from "website" (a swap), within 7 / 3 = 2; no other
    // id of the journey is.
    let summary = rejects(
        b"r2,webiste,4,3,,,",
        ErrorKind::UnknownTouchpoint,
        Some("touchpoint"),
    );
    assert_eq!(
        summary.examples[0].message(),
        r#""webiste" is not a touchpoint of journey "Retail purchase"; did you mean "website"?"#
    );
}

#[test]
fn unknown_emotion_keeps_the_rating() {
    let kept = keeps_rating(
        b"r2,website,4,3,grumpy,,",
        ErrorKind::UnknownEmotion,
        "emotion",
    );
    assert_eq!(
        (kept.reality, kept.expectation, kept.emotion),
        (4.0, Some(3.0), None)
    );
}

#[test]
fn unknown_answer_is_not_answered() {
    let kept = keeps_rating(
        b"r2,website,4,3,,maybe,",
        ErrorKind::InvalidAnswer,
        "would_return",
    );
    assert_eq!(kept.reality, 4.0);
}

#[test]
fn outcome_only_row_with_no_readable_value_is_rejected() {
    // No rating to keep: the row is refused for its value, as before.
    rejects(
        b"r2,,,,,maybe,",
        ErrorKind::InvalidAnswer,
        Some("would_return"),
    );
}

/// The long file of the timestamp, channel and segment cases: `bad` on
/// line 3, record 2.
fn with_text_columns(bad: &str) -> Vec<u8> {
    [
        "respondent_id,touchpoint,reality,segment,channel,timestamp\n",
        "r1,website,4,new,web,2024-06-24\n",
        bad,
        "\nr3,delivery,5,new,,2024-06-25\n",
    ]
    .concat()
    .into_bytes()
}

#[test]
fn bad_timestamp_keeps_the_rating() {
    let expected = Expected {
        kind: ErrorKind::InvalidTimestamp,
        line: Some(3),
        record: Some(2),
        column: Some("timestamp"),
    };
    let input = with_text_columns("r2,cashier,2,new,store,24/06/2024 nine");
    let (summary, records) = bad_field(&input, &retail(), &builder(), expected, 2);
    assert_eq!(summary.observations, 3);
    assert!(records.iter().any(|record| matches!(record,
        Record::Observation(o) if o.respondent_id == "r2" && o.reality == 2.0
            && o.timestamp.is_none() && o.channel.is_some())));
}

#[test]
fn control_character_in_a_channel_keeps_the_rating() {
    let expected = Expected {
        kind: ErrorKind::ControlCharacter,
        line: Some(3),
        record: Some(2),
        column: Some("channel"),
    };
    let input = with_text_columns("r2,cashier,2,new,st\u{7}ore,2024-06-24");
    let (_, records) = bad_field(&input, &retail(), &builder(), expected, 2);
    assert!(records.iter().any(|record| matches!(record,
        Record::Observation(o) if o.respondent_id == "r2" && o.channel.is_none())));
}

#[test]
fn two_bad_fields_on_a_row_are_both_counted() {
    let input = with_bad_line(b"r2,website,4,3,grumpy,maybe,");
    let reader = builder()
        .name("input")
        .from_reader(input.as_slice(), &retail())
        .unwrap();
    let summary = reader.read_all(|_| {}).unwrap();
    assert_eq!(summary.records_accepted, 4);
    assert_eq!(summary.fields_rejected_total(), 2);
    let columns: Vec<_> = summary.examples.iter().map(|e| e.column()).collect();
    // In the order the row is read: outcome values, then the observation's.
    assert_eq!(columns, [Some("would_return"), Some("emotion")]);
    // The iterator yields one error per field.
    let reader = builder()
        .name("input")
        .from_reader(input.as_slice(), &retail())
        .unwrap();
    let errors: Vec<_> = reader.filter_map(Result::err).collect();
    assert_eq!(errors, summary.examples);
}

#[test]
fn a_bad_record_costs_no_field_count() {
    // The row is refused for its rating: its emotion is not counted too.
    rejects(
        b"r2,website,seven,3,grumpy,,",
        ErrorKind::NotANumber,
        Some("reality"),
    );
}

#[test]
fn control_characters_in_ids_and_segments_are_rejected() {
    for (bad, column) in [
        ("r\u{0}2,cashier,2,new,store,2024-06-24", "respondent_id"),
        ("r2,cashier,2,n\u{0}ew,store,2024-06-24", "segment"),
        ("r2,cash\u{0}ier,2,new,store,2024-06-24", "touchpoint"),
        ("r\u{feff}2,cashier,2,new,store,2024-06-24", "respondent_id"),
        ("r2,cashier,2,\u{feff}new,store,2024-06-24", "segment"),
        ("r2,cashier,2,new\u{85},store,2024-06-24", "segment"),
    ] {
        let expected = Expected {
            kind: ErrorKind::ControlCharacter,
            line: Some(3),
            record: Some(2),
            column: Some(column),
        };
        bad_record(&with_text_columns(bad), &retail(), &builder(), expected, 2);
    }
}

#[test]
fn conflicting_loyalty_answers() {
    // r1 said yes on line 2; here r1 says no.
    rejects(
        b"r1,cashier,4,3,,no,",
        ErrorKind::ConflictingAnswer,
        Some("would_return"),
    );
    rejects(
        b"r1,cashier,4,3,,,8",
        ErrorKind::ConflictingAnswer,
        Some("likelihood_to_recommend"),
    );
}

/// A respondent whose rows come back after another respondent's, on a row
/// with a rating or on a row of outcome values only (issue 19): read as
/// checked contiguous respondents (a stream), the read ends there, in
/// either mode; read plain with its runs kept (a file), every row is read
/// and the runs find the one respondent in two places.
#[test]
fn respondent_back_after_another() {
    let mut checked = builder();
    checked.respondents(RespondentOrder::ContiguousChecked);
    let mut with_runs = builder();
    with_runs.respondent_runs(true);
    // r1's rows began at line 2; r2's row is line 3.
    for back in ["r1,cashier,3,3,,,", "r1,,,,,yes,"] {
        let input = [HEADER, FIRST, "r2,cashier,2,4,,no,3\n", back, "\n"].concat();
        let expected = Expected {
            kind: ErrorKind::RespondentReturned,
            line: Some(4),
            record: Some(3),
            column: None,
        };
        fatal(input.as_bytes(), &retail(), &checked, expected);
        let (summary, _) = clean(input.as_bytes(), &retail(), &with_runs);
        assert_eq!(summary.records_accepted, 3, "{back}");
        let runs = summary.respondent_runs.expect("runs kept");
        assert_eq!((runs.len(), runs.repeated().len()), (3, 1), "{back}");
    }
}

#[test]
fn invalid_utf8() {
    rejects(
        b"r2,website,4,3,pl\xFFased,,",
        ErrorKind::InvalidUtf8,
        Some("emotion"),
    );
}

#[test]
fn ten_megabyte_field() {
    let bad = [
        b"r2,website,4,3,".as_slice(),
        &vec![b'x'; 10_000_000],
        b",,",
    ]
    .concat();
    rejects(&bad, ErrorKind::FieldTooLong, Some("emotion"));
}

#[test]
fn record_longer_than_the_limit_is_skipped_without_being_held() {
    let mut builder = builder();
    builder.max_record_bytes(1000);
    // An unclosed quote would swallow the rest of the file; the limit stops it.
    let bad = [b"r2,\"website,4,3,".as_slice(), &vec![b'x'; 5000]].concat();
    let input = [HEADER.as_bytes(), FIRST.as_bytes(), &bad].concat();
    let expected = Expected {
        kind: ErrorKind::RecordTooLong,
        line: Some(3),
        record: Some(2),
        column: None,
    };
    bad_record(&input, &retail(), &builder, expected, 1);
    // Quote-free, and followed by good rows.
    let bad = vec![b'y'; 5000];
    bad_record(&with_bad_line(&bad), &retail(), &builder, expected, 3);
}

#[test]
fn too_many_or_too_few_fields() {
    rejects(b"r2,website,4,3,,,,extra", ErrorKind::FieldCount, None);
    rejects(b"r2,website,4", ErrorKind::FieldCount, None);
}

#[test]
fn quoted_line_breaks_keep_later_line_numbers_right() {
    let input = [
        HEADER,
        "r1,website,4,3,\"pleased\",yes,9\n",
        "\"r1\",cashier,\"4\",3,\"\",\"\",\"\"\n",
        // A line break in an id is refused (a control character), so the
        // quoted one here is in the emotion, which trims it away.
        "r2,website,seven,3,\"\n\",,\n",
        AFTER,
    ]
    .concat();
    let expected = Expected {
        kind: ErrorKind::NotANumber,
        line: Some(4),
        record: Some(3),
        column: Some("reality"),
    };
    bad_record(input.as_bytes(), &retail(), &builder(), expected, 4);
}

/// The weighted reads: the header and rows above with a weight column `w`
/// (r1 weighs 1.5, r2 2, r3 0), `bad` on line 3.
mod weighted {
    use super::*;
    use cx_model::Weight;

    const HEADER: &str = "respondent_id,touchpoint,reality,expectation,emotion,would_return,likelihood_to_recommend,w\n";
    const FIRST: &str = "r1,website,4,3,pleased,yes,9,1.5\n";
    const AFTER: &str = "r2,cashier,2,4,,no,3,2\nr3,delivery,5,4,happy,,,0\n";

    fn weighted() -> ResponseReaderBuilder {
        let mut builder = builder();
        builder.weight_column("w");
        builder
    }

    fn rejects(bad: &str, kind: ErrorKind) {
        let input = [HEADER, FIRST, bad, "\n", AFTER].concat();
        let expected = Expected {
            kind,
            line: Some(3),
            record: Some(2),
            column: Some("w"),
        };
        let (summary, _) = bad_record(input.as_bytes(), &retail(), &weighted(), expected, 3);
        assert_eq!(summary.observations, 3);
    }

    #[test]
    fn every_record_carries_its_respondents_weight() {
        let input = [HEADER, FIRST, "r1,cashier,3,3,,,,1.5\n", AFTER].concat();
        let (_, records) = clean(input.as_bytes(), &retail(), &weighted());
        let weights: Vec<(String, Option<Weight>)> = records
            .iter()
            .map(|record| match record {
                Record::Observation(o) => (format!("o {}", o.respondent_id), o.weight),
                Record::Outcome(o) => (format!("y {}", o.respondent_id), o.weight),
            })
            .collect();
        let w = |value: f64| Some(Weight::new(value).unwrap());
        let expected = [
            ("o r1", w(1.5)),
            ("o r1", w(1.5)),
            ("y r1", w(1.5)),
            ("o r2", w(2.0)),
            ("y r2", w(2.0)),
            ("o r3", w(0.0)),
        ];
        let mut sorted = weights.clone();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let mut wanted: Vec<(String, Option<Weight>)> = expected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect();
        wanted.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(sorted, wanted, "{weights:?}");
    }

    #[test]
    fn a_weight_is_required_on_every_row() {
        rejects("r9,website,4,3,,,,", ErrorKind::MissingValue);
        rejects("r9,website,4,3,,,,  ", ErrorKind::MissingValue);
    }

    #[test]
    fn a_weight_is_a_finite_number_from_0_to_2_to_the_20() {
        rejects("r9,website,4,3,,,,heavy", ErrorKind::NotANumber);
        rejects("r9,website,4,3,,,,inf", ErrorKind::NotFinite);
        rejects("r9,website,4,3,,,,-1", ErrorKind::InvalidWeight);
        rejects("r9,website,4,3,,,,2000000", ErrorKind::InvalidWeight);
        rejects("r9,website,4,3,,,,1e-12", ErrorKind::InvalidWeight);
    }

    #[test]
    fn a_respondents_rows_agree_on_the_weight() {
        // r1 weighed 1.5 on line 2.
        rejects("r1,cashier,3,3,,,,2", ErrorKind::ConflictingWeight);
        let input = [HEADER, FIRST, "r1,cashier,3,3,,,,2\n"].concat();
        let mut reader = weighted()
            .error_policy(cx_io::ErrorPolicy::Strict)
            .from_reader(input.as_bytes(), &retail())
            .unwrap();
        let mut batch = cx_model::ObservationBatch::new();
        let error = reader.read_batch(&mut batch).unwrap_err();
        assert!(
            error
                .to_string()
                .contains(r#"respondent "r1" has weight 2 here but 1.5 on an earlier row"#),
            "{error}"
        );
    }

    #[test]
    fn the_weight_column_is_required() {
        let expected = Expected::header(ErrorKind::MissingColumn, "w");
        fatal(
            [super::HEADER, super::FIRST].concat().as_bytes(),
            &retail(),
            &weighted(),
            expected,
        );
        // A standard column cannot be the weights'.
        let mut builder = builder();
        builder.weight_column("effort");
        let error = builder
            .from_reader(super::HEADER.as_bytes(), &retail())
            .unwrap_err();
        assert_eq!(*error.kind(), ErrorKind::DuplicateColumn, "{error}");
    }
}
