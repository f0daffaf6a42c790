//! One survey read every way gives the same data: written as CSV (columns
//! in any order, an extra column nobody reads), as CSV with every field
//! quoted and CRLF line ends, with `;` as delimiter, as NDJSON and as a
//! JSON array, and read with `read_batch` at any batch size, with
//! `read_all` and with the `Iterator`, under both error policies. Every
//! way must give the same observations, outcomes, counts and errors (kind,
//! record, column, message; lines where the format has them).
//!
//! This replaces the unit tests that held the old plain-line and plain-row
//! fast paths to the general path: there is one decoder now, and what it
//! must not depend on is the format, the quoting and the batch size.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cx_io::{
    Error, ErrorKind, ErrorPolicy, InputFormat, JourneyFile, Location, ReadSummary, Record,
    RespondentOrder, ResponseReaderBuilder,
};
use cx_model::{Observation, ObservationBatch, Outcome};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// The columns of a survey, in this order in a [`Row`]; the last is read
/// by nothing.
const COLUMNS: [&str; 12] = [
    "respondent_id",
    "touchpoint",
    "reality",
    "expectation",
    "segment",
    "channel",
    "timestamp",
    "emotion",
    "comment",
    "would_return",
    "likelihood_to_recommend",
    "store_id",
];
const RESPONDENT: usize = 0;
const LIKELIHOOD: usize = 10;

/// One row of a survey: the text of each of [`COLUMNS`].
type Row = [String; 12];

fn strings(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| (*t).to_owned()).collect()
}

/// A cell: mostly one of the `usual` texts, sometimes one of the
/// `unusual` ones (which are good too), and as often as `bad` says, one
/// of the `bad` ones.
fn cell(usual: &[&str], unusual: &[&str], bad_texts: &[&str], bad: u32) -> BoxedStrategy<String> {
    let mut choices = vec![(8, prop::sample::select(strings(usual)).boxed())];
    if !unusual.is_empty() {
        choices.push((2, prop::sample::select(strings(unusual)).boxed()));
    }
    if !bad_texts.is_empty() && bad > 0 {
        choices.push((bad, prop::sample::select(strings(bad_texts)).boxed()));
    }
    prop::strategy::Union::new_weighted(choices).boxed()
}

fn likelihood(bad: u32) -> BoxedStrategy<String> {
    cell(&["0", "7", "9", "10"], &[" 8 "], &["11", "7.5", "x"], bad)
}

/// A row but for its respondent id and likelihood; `bad` says how often a
/// cell holds a value that rejects the row.
fn row(bad: u32) -> impl Strategy<Value = Row> {
    let journey = cx_io::sample::retail_journey().unwrap();
    let touchpoints: Vec<&str> = journey
        .journey
        .touchpoints()
        .map(|t| t.id.as_str())
        .collect();
    (
        cell(
            &touchpoints,
            &[" website "],
            &[
                "nowhere",
                "Website",
                "cashie",
                "support_chat\0",
                "a_much_longer_touchpoint_id",
                "",
            ],
            bad,
        ),
        cell(
            &["1", "2", "3", "4", "5"],
            &[" 3 ", "4.5"],
            &["x", "9", "0", ""],
            bad,
        ),
        cell(&["", "2", "4"], &["3.5"], &["7", "x"], bad),
        cell(
            &["", "smb", "consumer"],
            &["smb, EU", " smb ", "a \"b\" c"],
            &[],
            bad,
        ),
        cell(&["", "web", "store"], &["Phone", "kiosk"], &[], bad),
        cell(
            &["", "2024-03-15", "2024-03-15T12:34:56Z"],
            &["2024-03-15T10:00:00+02:00", "2024-02-29T23:59:59-01:30"],
            &[
                "15/03/2024",
                "2024-02-30",
                "2024-03-15T25:00:00Z",
                "yesterday",
            ],
            bad,
        ),
        cell(
            &["", "happy", "cared for", "frustrated"],
            &["Happy", "CARED FOR", "cared_for", "Cared-For"],
            &["grumpy", "happy-ish", "dissatisfied_and_more"],
            bad,
        ),
        cell(
            &["", "fine"],
            &["late, but kind", "said \"hi\"", "two\nlines", "a;b"],
            &[],
            bad,
        ),
        cell(&[""], &["yes", "no", "Y"], &["maybe"], bad),
    )
        .prop_map(
            |(
                touchpoint,
                reality,
                expectation,
                segment,
                channel,
                timestamp,
                emotion,
                comment,
                would_return,
            )| {
                [
                    String::new(),
                    touchpoint,
                    reality,
                    expectation,
                    segment,
                    channel,
                    timestamp,
                    emotion,
                    comment,
                    would_return,
                    String::new(),
                    "17".to_owned(),
                ]
            },
        )
}

/// How a row spells its respondent's id: as is, padded, or not at all.
#[derive(Debug, Clone, Copy)]
enum Id {
    Plain,
    Padded,
    Missing,
}

/// A long-layout survey: one to five respondents, each with one to five
/// contiguous rows, a likelihood to recommend on one of them, and
/// sometimes a second likelihood, which may conflict with the first. A
/// third of the surveys hold no bad value, the rest some.
fn survey() -> impl Strategy<Value = Vec<Row>> {
    (0u32..3).prop_flat_map(|bad| {
        let mut ids = vec![(8, Just(Id::Plain).boxed()), (1, Just(Id::Padded).boxed())];
        if bad > 0 {
            ids.push((bad, Just(Id::Missing).boxed()));
        }
        let id = prop::strategy::Union::new_weighted(ids);
        let respondent = (
            prop::collection::vec((row(bad), id), 1..=5),
            (any::<prop::sample::Index>(), likelihood(bad)),
            proptest::option::weighted(0.3, (any::<prop::sample::Index>(), likelihood(bad))),
        );
        prop::collection::vec(respondent, 1..=5).prop_map(|respondents| {
            let mut survey = Vec::new();
            for (number, (mut rows, likelihood, second)) in respondents.into_iter().enumerate() {
                let id = format!("r{number}");
                for (row, spelling) in &mut rows {
                    row[RESPONDENT] = match spelling {
                        Id::Plain => id.clone(),
                        Id::Padded => format!(" {id} "),
                        Id::Missing => String::new(),
                    };
                }
                for (index, value) in [Some(likelihood), second].into_iter().flatten() {
                    let at = index.index(rows.len());
                    rows[at].0[LIKELIHOOD] = value;
                }
                survey.extend(rows.into_iter().map(|(row, _)| row));
            }
            survey
        })
    })
}

/// The ways a survey is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// Comma-separated, quoted only where needed, LF line ends.
    Csv,
    /// Every field and header name quoted, CRLF line ends.
    QuotedCrlf,
    /// Semicolon-separated (detected from the header).
    Semicolon,
    Ndjson,
    JsonArray,
}

const ENCODINGS: [Encoding; 5] = [
    Encoding::Csv,
    Encoding::QuotedCrlf,
    Encoding::Semicolon,
    Encoding::Ndjson,
    Encoding::JsonArray,
];

impl Encoding {
    fn is_csv(self) -> bool {
        matches!(
            self,
            Encoding::Csv | Encoding::QuotedCrlf | Encoding::Semicolon
        )
    }
}

fn csv_field(text: &str, delimiter: char, quote_all: bool) -> String {
    if quote_all || text.contains([delimiter, '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// `rows` written as `encoding`, the columns in `order`; an empty value in
/// JSON is left out, null or `""` as `empties` picks per cell. Also the
/// builder that reads it: by name, but for the quoted CSV, whose
/// delimiter is given.
fn encode(
    rows: &[Row],
    order: &[usize],
    encoding: Encoding,
    empties: usize,
) -> (Vec<u8>, ResponseReaderBuilder) {
    let mut builder = ResponseReaderBuilder::new();
    let mut text = String::new();
    if encoding.is_csv() {
        let (delimiter, quote_all, end) = match encoding {
            Encoding::QuotedCrlf => (',', true, "\r\n"),
            Encoding::Semicolon => (';', false, "\n"),
            _ => (',', false, "\n"),
        };
        let line = |cells: Vec<&str>| {
            let fields: Vec<String> = cells
                .into_iter()
                .map(|c| csv_field(c, delimiter, quote_all))
                .collect();
            fields.join(&delimiter.to_string()) + end
        };
        text.push_str(&line(order.iter().map(|&c| COLUMNS[c]).collect()));
        for row in rows {
            text.push_str(&line(order.iter().map(|&c| row[c].as_str()).collect()));
        }
        builder.name("survey.csv");
        if encoding == Encoding::QuotedCrlf {
            builder.format(InputFormat::Csv {
                delimiter: Some(b','),
            });
        }
    } else {
        let objects: Vec<String> = rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let members: Vec<String> = order
                    .iter()
                    .filter_map(|&c| {
                        let key = serde_json::to_string(COLUMNS[c]).unwrap();
                        let value = match (row[c].as_str(), (r * 7 + c + empties) % 3) {
                            ("", 0) => return None,
                            ("", 1) => "null".to_owned(),
                            (text, _) => serde_json::to_string(text).unwrap(),
                        };
                        Some(format!("{key}:{value}"))
                    })
                    .collect();
                format!("{{{}}}", members.join(","))
            })
            .collect();
        if encoding == Encoding::Ndjson {
            for object in objects {
                text.push_str(&object);
                text.push('\n');
            }
            builder.name("survey.ndjson");
        } else {
            text = format!("[\n{}\n]\n", objects.join(",\n"));
            builder.name("survey.json");
        }
    }
    (text.into_bytes(), builder)
}

/// What one read gave: the observations and outcomes handed out, and how
/// it ended.
#[derive(Debug, Clone, PartialEq)]
struct Got {
    observations: Vec<Observation>,
    outcomes: Vec<Outcome>,
    end: Result<ReadSummary, Error>,
}

/// Every observation and outcome `read_batch` gives, batch after batch,
/// the rows before a strict error included.
fn read_batches(bytes: &[u8], builder: &ResponseReaderBuilder, journey: &JourneyFile) -> Got {
    let mut reader = builder.from_reader(bytes, journey).unwrap();
    let mut batch = ObservationBatch::new();
    let (mut observations, mut outcomes) = (Vec::new(), Vec::new());
    let end = loop {
        let read = reader.read_batch(&mut batch);
        for row in 0..batch.len() {
            observations.push(batch.to_observation(row, &journey.journey).unwrap());
        }
        outcomes.extend_from_slice(batch.outcomes());
        match read {
            Ok(true) => {}
            Ok(false) => break Ok(reader.into_summary()),
            Err(error) => break Err(error),
        }
    };
    Got {
        observations,
        outcomes,
        end,
    }
}

/// Every record `read_all` hands out, in order, and the same split as
/// [`Got`].
fn read_all(
    bytes: &[u8],
    builder: &ResponseReaderBuilder,
    journey: &JourneyFile,
) -> (Vec<Record>, Got) {
    let mut records = Vec::new();
    let end = builder
        .from_reader(bytes, journey)
        .unwrap()
        .read_all(|record| records.push(record));
    let mut got = Got {
        observations: Vec::new(),
        outcomes: Vec::new(),
        end,
    };
    for record in &records {
        match record {
            Record::Observation(observation) => got.observations.push(observation.clone()),
            Record::Outcome(outcome) => got.outcomes.push(outcome.clone()),
        }
    }
    (records, got)
}

/// An error as every format must report it: the line aside, which only
/// the CSV encodings share.
type ErrorKey = (ErrorKind, Option<u64>, Option<String>, String, bool);

fn key(error: &Error) -> ErrorKey {
    (
        *error.kind(),
        error.location().and_then(Location::record),
        error.column().map(str::to_owned),
        error.message().to_owned(),
        error.is_fatal(),
    )
}

/// The counts of a summary, which every encoding must share.
fn counts(summary: &ReadSummary) -> (u64, u64, Vec<(ErrorKind, u64)>, u64, u64, u64) {
    (
        summary.records_read,
        summary.records_accepted,
        summary
            .records_rejected
            .iter()
            .map(|(k, n)| (*k, *n))
            .collect(),
        summary.observations,
        summary.outcomes,
        summary.empty_cells,
    )
}

/// What one encoding gave, read every way, once the ways agree.
#[derive(Debug)]
struct Reading {
    records: Vec<Record>,
    lenient: ReadSummary,
    strict: Got,
}

/// Reads one encoding every way under both policies and checks that the
/// ways agree with each other.
fn read_every_way(
    bytes: &[u8],
    builder: &ResponseReaderBuilder,
    journey: &JourneyFile,
    batch_rows: usize,
) -> Result<Reading, TestCaseError> {
    let text = String::from_utf8_lossy(bytes);
    let mut read = Vec::new();
    for policy in [ErrorPolicy::Lenient, ErrorPolicy::Strict] {
        let mut builder = builder.clone();
        builder.error_policy(policy);
        let (records, all) = read_all(bytes, &builder, journey);
        for rows in [batch_rows, 1, 4096] {
            builder.batch_rows(rows);
            let batches = read_batches(bytes, &builder, journey);
            prop_assert_eq!(
                &batches,
                &all,
                "{:?}, batches of {}\n{}",
                policy,
                rows,
                text
            );
        }
        read.push((records, all));
    }
    let (strict_records, strict) = read.pop().unwrap();
    let (records, lenient) = read.pop().unwrap();
    let summary = match &lenient.end {
        Ok(summary) => summary.clone(),
        Err(error) => return Err(TestCaseError::fail(format!("lenient read failed: {error}"))),
    };
    prop_assert!(summary.reconciles(), "{:?}", summary);
    prop_assert_eq!(&summary.ignored_columns, &["store_id"]);
    // Strict stops at lenient's first error, having handed out what came
    // before it.
    match summary.examples.first() {
        None => prop_assert_eq!(&strict, &lenient),
        Some(first) => {
            prop_assert_eq!(strict.end.as_ref().err(), Some(first));
            prop_assert!(lenient.observations.starts_with(&strict.observations));
            prop_assert!(lenient.outcomes.starts_with(&strict.outcomes));
            prop_assert!(records.starts_with(&strict_records));
        }
    }
    // The iterator gives lenient's records, and an error for each rejection.
    let (mut iterated, mut errors) = (Vec::new(), Vec::new());
    for item in builder.from_reader(bytes, journey).unwrap() {
        match item {
            Ok(record) => iterated.push(record),
            Err(error) => errors.push(error),
        }
    }
    prop_assert_eq!(&iterated, &records);
    prop_assert_eq!(&errors, &summary.examples);
    Ok(Reading {
        records,
        lenient: summary,
        strict,
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    /// Every encoding of a survey, read every way, gives the same data.
    #[test]
    fn prop_every_way_of_reading_gives_the_same_data(
        rows in survey(),
        order in Just((0..COLUMNS.len()).collect::<Vec<usize>>()).prop_shuffle(),
        empties in 0usize..3,
        batch_rows in 1usize..50,
        scattered in any::<bool>(),
    ) {
        let journey = cx_io::sample::retail_journey().unwrap();
        let mut readings = Vec::new();
        for encoding in ENCODINGS {
            let (bytes, mut builder) = encode(&rows, &order, encoding, empties);
            builder.max_examples(usize::MAX);
            if scattered {
                builder.respondents(RespondentOrder::Scattered);
            }
            let reading = read_every_way(&bytes, &builder, &journey, batch_rows)?;
            readings.push((encoding, reading));
        }
        let (_, first) = &readings[0];
        for (encoding, reading) in &readings {
            prop_assert_eq!(&reading.records, &first.records, "{:?}", encoding);
            prop_assert_eq!(counts(&reading.lenient), counts(&first.lenient), "{:?}", encoding);
            let keys = |summary: &ReadSummary| summary.examples.iter().map(key).collect::<Vec<_>>();
            prop_assert_eq!(keys(&reading.lenient), keys(&first.lenient), "{:?}", encoding);
            prop_assert_eq!(&reading.strict.observations, &first.strict.observations, "{:?}", encoding);
            prop_assert_eq!(&reading.strict.outcomes, &first.strict.outcomes, "{:?}", encoding);
            prop_assert_eq!(
                reading.strict.end.as_ref().err().map(key),
                first.strict.end.as_ref().err().map(key),
                "{:?}", encoding
            );
            let lines: Vec<Option<u64>> =
                reading.lenient.examples.iter().map(|e| e.location().and_then(Location::line)).collect();
            match encoding {
                encoding if encoding.is_csv() => {
                    let csv: Vec<Option<u64>> =
                        first.lenient.examples.iter().map(|e| e.location().and_then(Location::line)).collect();
                    prop_assert_eq!(lines, csv, "{:?}", encoding);
                }
                // One object a line, no header: the line is the record.
                Encoding::Ndjson => {
                    let records: Vec<Option<u64>> =
                        reading.lenient.examples.iter().map(|e| e.location().and_then(Location::record)).collect();
                    prop_assert_eq!(lines, records);
                }
                _ => prop_assert!(lines.iter().all(Option::is_none)),
            }
        }
    }
}
