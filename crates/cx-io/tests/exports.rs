//! The example survey exports (examples/exports, built by its build.py from
//! the R NPS package's test data) read as their plain equivalent does:
//! every observation's touchpoint, rating, segment and instant, and every
//! respondent's likelihood to recommend, with no option telling the reader
//! which platform wrote the file.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use cx_io::{JourneyFile, ReadSummary, ResponseReaderBuilder, SurveyExport};
use cx_model::ObservationBatch;

fn exports() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/exports")
}

/// One observation as the comparison sees it: touchpoint, reality, segment
/// and instant; the respondent is left out, since each platform has ids of
/// its own (or none).
type Seen = (usize, f64, Option<String>, Option<DateTime<Utc>>);

/// Every observation and each respondent's likelihood, in file order, and
/// the read's summary.
fn read(name: &str) -> (Vec<Seen>, Vec<Option<f64>>, ReadSummary) {
    let dir = exports();
    let journey = JourneyFile::read(dir.join(format!("{name}.toml"))).unwrap();
    let mut reader = ResponseReaderBuilder::new()
        .from_path(dir.join(format!("{name}.csv")), &journey)
        .unwrap();
    let mut batch = ObservationBatch::new();
    let (mut seen, mut likelihoods) = (Vec::new(), Vec::new());
    while reader.read_batch(&mut batch).unwrap() {
        for row in 0..batch.len() {
            seen.push((
                batch.touchpoints()[row],
                batch.realities()[row],
                batch.segment(row).map(str::to_owned),
                batch.timestamp(row),
            ));
        }
        likelihoods.extend(batch.outcomes().iter().map(|o| o.likelihood_to_recommend));
    }
    (seen, likelihoods, reader.into_summary())
}

#[test]
fn every_export_reads_as_its_plain_equivalent() {
    let (plain, plain_likelihoods, summary) = read("plain");
    assert_eq!(summary.export, None);
    // 1,000 respondents with four ratings each, none empty (the dataset's
    // description in ../shared/data/SOURCES.md); the first row of
    // nps_package_testdata.csv is REC 9 and ratings 6, 5, 6, 5, dated
    // 2012-04-08, in region NAM; build.py puts respondent 1 at 21:13:29 UTC.
    assert_eq!(plain.len(), 4000);
    let first: Vec<f64> = plain[..4].iter().map(|seen| seen.1).collect();
    assert_eq!(first, [6.0, 5.0, 6.0, 5.0]);
    assert_eq!(plain[0].2.as_deref(), Some("NAM"));
    assert_eq!(plain[0].3, Some("2012-04-08T21:13:29Z".parse().unwrap()));
    assert_eq!(plain_likelihoods[0], Some(9.0));
    let cases = [
        ("qualtrics", SurveyExport::Qualtrics, 3),
        ("surveymonkey", SurveyExport::SurveyMonkey, 2),
        ("google_forms", SurveyExport::GoogleForms, 1),
        ("limesurvey", SurveyExport::LimeSurvey, 1),
        ("typeform", SurveyExport::Typeform, 1),
    ];
    for (name, export, header_rows) in cases {
        let (seen, likelihoods, summary) = read(name);
        assert_eq!(summary.export, Some((export, header_rows)), "{name}");
        assert_eq!(
            summary.records_read, 1000,
            "{name}: header rows are no records"
        );
        assert!(
            summary.reconciles() && summary.records_rejected.is_empty(),
            "{name}: {summary}"
        );
        assert!(summary.fields_rejected.is_empty(), "{name}: {summary}");
        assert_eq!(seen.len(), plain.len(), "{name}");
        for (index, (ours, theirs)) in seen.iter().zip(&plain).enumerate() {
            assert_eq!(ours, theirs, "{name}: observation {index}");
        }
        assert_eq!(likelihoods, plain_likelihoods, "{name}");
    }
}

#[test]
fn the_survey_monkey_example_has_labelled_ratings() {
    // Otherwise the labels would be tested by nothing.
    let text = std::fs::read_to_string(exports().join("surveymonkey.csv")).unwrap();
    assert!(text.contains(",Not at all,") && text.contains(",Extremely,"));
}
