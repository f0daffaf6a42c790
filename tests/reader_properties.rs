//! What every read of a responses file must keep, on generated messy long
//! CSV and NDJSON files: every record counted as accepted or rejected,
//! strict mode stopping at the error lenient mode reports first (a
//! record's or a field's: lenient keeps both in input order), the
//! iterator and `read_all` agreeing, batches scoring to the state records
//! score to, and every report of the result writable.
//!
//! These were the fuzz targets' checks; there they cost a read four times
//! and five reports per input (25 inputs a second). The fuzzers now check
//! one cheap thing per input and these run here on inputs built to reach
//! the same paths.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cx::io::{ErrorPolicy, InputFormat, JourneyFile, Record, ResponseReaderBuilder};
use cx::model::ObservationBatch;
use cx::score::{Dimension, ScoreConfig, ScorecardAccumulator};
use proptest::prelude::*;

fn retail() -> JourneyFile {
    JourneyFile::parse(
        cx::io::sample::RETAIL_JOURNEY_TOML,
        cx::io::JourneyFormat::Toml,
    )
    .unwrap()
}

/// Reads `bytes` every way and checks that the ways agree.
fn check_reader(bytes: &[u8], journey: &JourneyFile, format: InputFormat) {
    // A small field limit, so that the inputs reach it.
    let mut builder = ResponseReaderBuilder::new();
    builder.format(format).max_field_bytes(64).name("generated");
    let mut strict_builder = builder.clone();
    strict_builder.error_policy(ErrorPolicy::Strict);
    builder.error_policy(ErrorPolicy::Lenient);
    let empty = ScorecardAccumulator::new(journey.journey.clone(), ScoreConfig::default())
        .unwrap()
        .breakdown_by(Dimension::Segment)
        .breakdown_by(Dimension::Week);
    let mut scorer = empty.clone();
    let mut batch_scorer = empty;
    let (mut observations, mut outcomes) = (0u64, 0u64);
    let lenient = builder.from_reader(bytes, journey).and_then(|reader| {
        reader.read_all(|record| match record {
            Record::Observation(observation) => {
                observations += 1;
                scorer.push(&observation);
            }
            Record::Outcome(outcome) => {
                outcomes += 1;
                scorer.push_outcome(&outcome);
            }
        })
    });
    let strict = strict_builder
        .from_reader(bytes, journey)
        .and_then(|reader| reader.read_all(|_| {}));
    let batched = builder.from_reader(bytes, journey).and_then(|mut reader| {
        let mut batch = ObservationBatch::new();
        let (mut observations, mut outcomes) = (0u64, 0u64);
        while reader.read_batch(&mut batch)? {
            observations += batch.len() as u64;
            outcomes += batch.outcomes().len() as u64;
            batch_scorer.push_batch(&batch);
        }
        Ok((reader.into_summary(), observations, outcomes))
    });
    let iterated = builder.from_reader(bytes, journey).map(|reader| {
        let (mut records, mut errors) = (0u64, 0u64);
        for item in reader {
            match item {
                Ok(_) => records += 1,
                Err(error) if error.is_fatal() => return Err(error),
                Err(_) => errors += 1,
            }
        }
        Ok((records, errors))
    });
    match &lenient {
        Ok(summary) => {
            assert!(summary.reconciles());
            assert_eq!(
                (summary.observations, summary.outcomes),
                (observations, outcomes)
            );
            match (&strict, summary.examples.first()) {
                (Ok(strict), None) => assert_eq!(strict, summary),
                (Err(error), Some(first)) => assert_eq!(error, first),
                (strict, first) => panic!("strict {strict:?} but lenient's first error {first:?}"),
            }
            assert_eq!(
                batched.as_ref().unwrap(),
                &(summary.clone(), observations, outcomes)
            );
            // The iterator yields an error per rejected record and one per
            // field left out of a kept record.
            let rejected =
                summary.records_read - summary.records_accepted + summary.fields_rejected_total();
            assert_eq!(
                iterated.unwrap().unwrap(),
                (observations + outcomes, rejected)
            );
            // Compared as written, where NaN equals NaN.
            let json = |scorer: &ScorecardAccumulator| {
                let mut bytes = Vec::new();
                cx::report::write_json(&scorer.finish(), &mut bytes).unwrap();
                bytes
            };
            assert_eq!(
                json(&batch_scorer),
                json(&scorer),
                "batches scored otherwise"
            );
            let card = scorer.finish();
            assert_eq!(card.counts.observations.read, observations);
            assert_eq!(card.counts.outcomes.read, outcomes);
            let sink = std::io::sink;
            cx::report::write_csv(&card, sink()).unwrap();
            cx::report::write_summary_csv(&card, sink()).unwrap();
            cx::report::write_markdown(&card, sink()).unwrap();
            cx::report::write_html(&card, sink()).unwrap();
            cx::report::write_table(&card, &cx::report::TableOptions::default(), sink()).unwrap();
        }
        Err(error) => {
            assert!(
                error.is_fatal(),
                "lenient mode stopped at a non-fatal error: {error}"
            );
            assert_eq!(strict.as_ref().err(), Some(error));
            assert_eq!(batched.as_ref().err(), Some(error));
            let _ = error.to_string();
        }
    }
}

/// A field as the sample writes it, or as a stranger might.
fn field(good: &'static [&'static str]) -> impl Strategy<Value = String> {
    let bad = prop_oneof![
        Just(String::new()),
        Just("NaN".to_owned()),
        Just("3.5".to_owned()),
        Just("\"quoted, with a comma\"".to_owned()),
        Just("\"a line\nbreak\"".to_owned()),
        Just("\"unclosed".to_owned()),
        Just("x".repeat(70)),
        Just("\u{feff}bom".to_owned()),
        "[a-z0-9 ]{0,6}",
    ];
    prop_oneof![4 => prop::sample::select(good).prop_map(str::to_owned), 1 => bad]
}

const RESPONDENTS: &[&str] = &["R1", "R2", "R3", "R4"];
const TOUCHPOINTS: &[&str] = &["shop_window", "website", "cashier", "delivery", "moon"];
const RATINGS: &[&str] = &["1", "2", "3", "4", "5", "7"];
const SEGMENTS: &[&str] = &["business", "new", ""];
const TIMES: &[&str] = &["2024-06-24T16:02:00Z", "2024-06-25", ""];
const EMOTIONS: &[&str] = &["happy", "frustrated", "cared for", "", "glad"];
const ANSWERS: &[&str] = &["yes", "no", "", "maybe"];
const LIKELIHOODS: &[&str] = &["0", "9", "10", "", "11"];

/// A row of the long layout, fields in the sample's column order.
fn row() -> impl Strategy<Value = Vec<String>> {
    (
        field(RESPONDENTS),
        field(TOUCHPOINTS),
        field(RATINGS),
        field(RATINGS),
        field(SEGMENTS),
        field(TIMES),
        field(EMOTIONS),
        field(ANSWERS),
        field(LIKELIHOODS),
    )
        .prop_map(
            |(id, touchpoint, reality, expectation, segment, time, emotion, answer, likelihood)| {
                vec![
                    id,
                    touchpoint,
                    reality,
                    expectation,
                    segment,
                    time,
                    emotion,
                    answer,
                    likelihood,
                ]
            },
        )
}

const COLUMNS: [&str; 9] = [
    "respondent_id",
    "touchpoint",
    "reality",
    "expectation",
    "segment",
    "timestamp",
    "emotion",
    "would_return",
    "likelihood_to_recommend",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Long CSV: rows of good and bad fields, some with a field too many or
    /// too few, CRLF or LF, and stray bytes at the end.
    #[test]
    fn prop_long_csv_reads_agree(
        rows in prop::collection::vec((row(), 0u8..10), 0..12),
        crlf in any::<bool>(),
        tail in prop::collection::vec(any::<u8>(), 0..8),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = COLUMNS.join(",") + end;
        for (mut fields, shape) in rows {
            match shape {
                0 => { fields.pop(); }
                1 => fields.push("extra".to_owned()),
                _ => {}
            }
            text.push_str(&fields.join(","));
            text.push_str(end);
        }
        let mut bytes = text.into_bytes();
        bytes.extend(tail);
        check_reader(&bytes, &retail(), InputFormat::Csv { delimiter: None });
    }

    /// NDJSON: the same fields as objects, some lines not objects or cut
    /// short.
    #[test]
    fn prop_ndjson_reads_agree(
        rows in prop::collection::vec((row(), 0u8..10), 0..12),
    ) {
        let mut text = String::new();
        for (fields, shape) in rows {
            let object: serde_json::Map<String, serde_json::Value> = COLUMNS
                .iter()
                .zip(fields)
                .filter(|(_, value)| !value.is_empty())
                .map(|(column, value)| {
                    let value = value.parse::<f64>().ok().filter(|v| v.is_finite())
                        .map_or(serde_json::Value::String(value), serde_json::Value::from);
                    ((*column).to_owned(), value)
                })
                .collect();
            let line = serde_json::Value::Object(object).to_string();
            match shape {
                0 => {
                    // Cut short, at a character's start.
                    let half = (0..=line.len() / 2).rev().find(|&at| line.is_char_boundary(at));
                    text.push_str(&line[..half.unwrap_or(0)]);
                }
                1 => text.push_str("[1, 2]"),
                _ => text.push_str(&line),
            }
            text.push('\n');
        }
        check_reader(text.as_bytes(), &retail(), InputFormat::Ndjson);
    }
}
