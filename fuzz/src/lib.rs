//! What the targets check, one cheap thing per input: reading never panics
//! and counts every record; a journey that parses writes back to itself;
//! what is scored finishes. The heavier cross-checks are property tests
//! (`tests/reader_properties.rs`).

use cx_io::{InputFormat, JourneyFile, JourneyFormat, ResponseReaderBuilder};
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

/// Reads `bytes` the way `cx score` does, in batches into a scorer, and
/// checks one thing: no panic, and every record counted as accepted or
/// rejected. The cross-checks between the ways of reading (strict against
/// lenient, records against batches, the reports) are property tests in
/// `tests/reader_properties.rs`, so that a fuzzer runs hundreds of inputs a
/// second.
pub fn check_reader(bytes: &[u8], journey: &JourneyFile, format: InputFormat) {
    // A small field limit, so that the fuzzer reaches it.
    let mut builder = ResponseReaderBuilder::new();
    builder.format(format).max_field_bytes(64).name("fuzz");
    let Ok(mut reader) = builder.from_reader(bytes, journey) else {
        return;
    };
    let mut scorer = ScorecardAccumulator::new(journey.journey.clone(), ScoreConfig::default())
        .expect("default config")
        .breakdown_by(Dimension::Segment);
    let mut batch = ObservationBatch::new();
    let mut observations = 0u64;
    loop {
        match reader.read_batch(&mut batch) {
            Ok(true) => {
                observations += batch.len() as u64;
                scorer.push_batch(&batch);
            }
            Ok(false) => break,
            Err(error) => {
                assert!(error.is_fatal(), "a lenient read stopped at {error}");
                return;
            }
        }
    }
    let summary = reader.into_summary();
    assert!(summary.reconciles(), "{summary:?}");
    assert_eq!(summary.observations, observations);
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
