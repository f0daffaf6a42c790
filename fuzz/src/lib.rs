//! What every reader target checks: reading never panics, every record is
//! counted as accepted or rejected, strict mode stops at the error lenient
//! mode reports first, and whatever was read can be scored and reported.

use cx_io::{ErrorPolicy, InputFormat, JourneyFile, JourneyFormat, Record, ResponseReaderBuilder};
use cx_model::ObservationBatch;
use cx_score::{Dimension, ScoreConfig, ScorecardAccumulator};

/// The bundled retail journey (long files).
pub fn retail() -> JourneyFile {
    JourneyFile::parse(
        cx_io::sample::RETAIL_JOURNEY_TOML,
        cx_io::JourneyFormat::Toml,
    )
    .expect("the bundled journey parses")
}

/// The airline journey, which maps touchpoints to wide columns.
pub fn airline() -> JourneyFile {
    JourneyFile::parse(
        include_str!("../../examples/journeys/airline.toml"),
        cx_io::JourneyFormat::Toml,
    )
    .expect("the airline journey parses")
}

/// Reads `bytes` leniently and strictly and checks the invariants.
pub fn check_reader(bytes: &[u8], journey: &JourneyFile, format: InputFormat) {
    // A small field limit, so that the fuzzer reaches it.
    let mut builder = ResponseReaderBuilder::new();
    builder.format(format).max_field_bytes(64).name("fuzz");
    let mut strict_builder = builder.clone();
    strict_builder.error_policy(ErrorPolicy::Strict);
    builder.error_policy(ErrorPolicy::Lenient);
    let empty = ScorecardAccumulator::new(journey.journey.clone(), ScoreConfig::default())
        .expect("default config")
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
    // Batches, the way `cx score` reads and scores, hold what the records
    // held, and score to the same state.
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
    // The iterator yields the same records and errors as a lenient read.
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
            let rejected: u64 = summary.records_rejected.values().sum();
            assert_eq!(summary.records_read, summary.records_accepted + rejected);
            assert_eq!(summary.observations, observations);
            assert_eq!(summary.outcomes, outcomes);
            for example in &summary.examples {
                let _ = example.to_string();
            }
            match (&strict, summary.examples.first()) {
                (Ok(strict), None) => assert_eq!(strict, summary),
                (Err(error), Some(first)) => assert_eq!(error, first),
                (strict, first) => {
                    panic!("strict {strict:?} but lenient's first error {first:?}")
                }
            }
            match &batched {
                Ok(batched) => assert_eq!(batched, &(summary.clone(), observations, outcomes)),
                Err(error) => panic!("batches gave {error} where a lenient read succeeded"),
            }
            let rejected_records = summary.records_read - summary.records_accepted;
            match iterated {
                Ok(Ok(counted)) => assert_eq!(counted, (observations + outcomes, rejected_records)),
                other => panic!("iterating gave {other:?} where a lenient read succeeded"),
            }
            // Compared as written, where NaN equals NaN.
            let json = |scorer: &ScorecardAccumulator| {
                let mut bytes = Vec::new();
                cx_report::write_json(&scorer.finish(), &mut bytes).expect("JSON report");
                bytes
            };
            assert_eq!(
                json(&batch_scorer),
                json(&scorer),
                "batches scored otherwise"
            );
            let counts = scorer.finish().counts;
            assert_eq!(counts.observations.read, observations);
            assert_eq!(counts.outcomes.read, outcomes);
            report(&scorer);
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

/// Every report of a scorecard must be writable, whatever went into it.
pub fn report(scorer: &ScorecardAccumulator) {
    let scorecard = scorer.finish();
    let sink = std::io::sink;
    cx_report::write_json(&scorecard, sink()).expect("JSON report");
    cx_report::write_csv(&scorecard, sink()).expect("CSV report");
    cx_report::write_markdown(&scorecard, sink()).expect("Markdown report");
    cx_report::write_html(&scorecard, sink()).expect("HTML report");
    let options = cx_report::TableOptions::default();
    cx_report::write_table(&scorecard, &options, sink()).expect("table");
}

/// Parses `bytes` as a journey file: an error that displays, or a journey
/// that survives a round trip through the same format and can be scored.
pub fn check_journey(bytes: &[u8], format: JourneyFormat) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match JourneyFile::parse(text, format) {
        Err(error) => {
            let _ = error.to_string();
        }
        Ok(journey) => {
            let written = journey.to_string(format).expect("a parsed journey writes");
            let again = JourneyFile::parse(&written, format).expect("a written journey parses");
            assert_eq!(again, journey);
            if let Ok(scorer) =
                ScorecardAccumulator::new(journey.journey.clone(), ScoreConfig::default())
            {
                report(&scorer);
            }
        }
    }
}
