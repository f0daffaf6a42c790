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

/// A small wide journey: touchpoint `t` read from column `Q1`, its
/// respondents from `ResponseId`, `RecordedDate` and `Q2` (likelihood).
fn journey(top: &str) -> JourneyFile {
    let text = format!(
        r#"name = "J"
{top}
[scale]
min = 1
max = 5
[rating_labels]
"Very good" = 5
"Poor" = 2
[respondents]
id_column = "ResponseId"
timestamp_column = "RecordedDate"
likelihood_to_recommend = {{ column = "Q2" }}
[[stages]]
name = "S"
touchpoints = [{{ id = "t", name = "T", channel = "web", source_column = "Q1" }}]
"#
    );
    JourneyFile::parse(&text, cx_io::JourneyFormat::Toml).unwrap()
}

/// Each record's reality and timestamp (as RFC 3339), and the summary.
fn read_text(csv: &str, journey: &JourneyFile) -> (Vec<(f64, Option<String>)>, ReadSummary) {
    let mut reader = ResponseReaderBuilder::new()
        .name("survey.csv")
        .from_reader(csv.as_bytes(), journey)
        .unwrap();
    let mut batch = ObservationBatch::new();
    let mut seen = Vec::new();
    while reader.read_batch(&mut batch).unwrap() {
        for row in 0..batch.len() {
            let at = batch.timestamp(row).map(|t| t.to_rfc3339());
            seen.push((batch.realities()[row], at));
        }
    }
    (seen, reader.into_summary())
}

const QUALTRICS_HEADER: &str = "RecordedDate,ResponseId,Q1,Q2\n\
    Recorded Date,Response ID,\"How was it,\nreally?\",Recommend?\n\
    \"{\"\"ImportId\"\":\"\"recordedDate\"\",\"\"timeZone\"\":\"\"America/Denver\"\"}\",\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2\"\"}\"\n";

#[test]
fn header_rows_are_not_records_and_lines_count_them() {
    // Line 1 ids, lines 2 and 3 the question texts (one holds a line
    // break), line 4 the import ids: the first record is on line 5.
    let csv = format!(
        "{QUALTRICS_HEADER}2024-07-01 10:00:00,R_1,very GOOD,9\n2024-07-01 11:00:00,R_2,six,9\n"
    );
    let (seen, summary) = read_text(&csv, &journey(""));
    assert_eq!(summary.export, Some((SurveyExport::Qualtrics, 3)));
    // A label, in any case; 10:00 in Denver in July is 16:00 UTC.
    assert_eq!(seen, [(5.0, Some("2024-07-01T16:00:00+00:00".to_owned()))]);
    assert_eq!((summary.records_read, summary.records_accepted), (2, 1));
    assert_eq!(
        summary.examples[0].to_string(),
        r#"survey.csv:6: column "Q1": "six" is not a number or rating label on scale 1..=5"#
    );
    // Declared as plain, the question texts and import ids are records.
    let (_, summary) = read_text(&csv, &journey("format = \"plain\""));
    assert_eq!((summary.export, summary.records_read), (None, 4));
    let (_, summary) = read_text(&csv, &journey("format = \"plain\"\nheader_rows = 2"));
    assert_eq!(
        summary.export_said().as_deref(),
        Some("a CSV file of 2 header rows")
    );
    // An older export without the import-id row: its third row is data.
    let legacy = "RecordedDate,ResponseId,Q1,Q2\nRecorded Date,Response ID,How was it?,Recommend?\n\
                  2024-07-01 10:00:00,R_1,4,9\n";
    let (seen, summary) = read_text(legacy, &journey(""));
    assert_eq!(summary.export, Some((SurveyExport::Qualtrics, 2)));
    assert_eq!(
        summary.export_said().as_deref(),
        Some("a Qualtrics export (2 header rows)")
    );
    assert_eq!(seen, [(4.0, Some("2024-07-01T10:00:00+00:00".to_owned()))]);
    // A declared count is taken as it is, whatever the rows hold.
    let (seen, summary) = read_text(legacy, &journey("header_rows = 1"));
    assert_eq!(
        (summary.export, summary.records_read, seen.len()),
        (Some((SurveyExport::Qualtrics, 1)), 2, 1)
    );
    let plain = "RecordedDate,ResponseId,Q1,Q2\nsecond header,,,\n2024-07-01,r1,4,9\n";
    let (seen, summary) = read_text(plain, &journey("header_rows = 2"));
    assert_eq!(
        (summary.export, summary.records_read),
        (Some((SurveyExport::Qualtrics, 2)), 1)
    );
    assert_eq!(seen, [(4.0, Some("2024-07-01T00:00:00+00:00".to_owned()))]);
}

#[test]
fn a_zone_the_reader_does_not_know_stops_the_read() {
    let csv = QUALTRICS_HEADER.replace("America/Denver", "Mars/Olympus");
    let error = ResponseReaderBuilder::new()
        .name("survey.csv")
        .from_reader(csv.as_bytes(), &journey(""))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "survey.csv:1: the time zone \"Mars/Olympus\" of the header rows is no IANA time zone; expected one such as \"America/Denver\", or `timestamp_zone` in the journey file"
    );
    // A zone a caller set after the file was read is checked too, and named
    // as the journey's.
    let mut set = journey("");
    set.timestamp_zone = Some("Mars/Olympus".to_owned());
    let error = ResponseReaderBuilder::new()
        .name("survey.csv")
        .from_reader("RecordedDate,ResponseId,Q1,Q2\n".as_bytes(), &set)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "survey.csv:1: timestamp_zone \"Mars/Olympus\" is no IANA time zone; expected one such as \"Europe/Berlin\" or \"UTC\""
    );
    // The journey's own zone wins over the header rows'.
    let csv = format!("{csv}2024-07-01 10:00:00,R_1,4,9\n");
    let (seen, _) = read_text(&csv, &journey("timestamp_zone = \"Europe/Berlin\""));
    assert_eq!(seen, [(4.0, Some("2024-07-01T08:00:00+00:00".to_owned()))]);
}

#[test]
fn day_and_month_are_never_guessed() {
    let csv = "RecordedDate,ResponseId,Q1,Q2\n03/04/2024 10:00,r1,4,9\n";
    let (seen, summary) = read_text(csv, &journey(""));
    // The rating is kept; the timestamp is a field rejected, and says why.
    assert_eq!(seen, [(4.0, None)]);
    assert_eq!(summary.fields_rejected_total(), 1);
    assert_eq!(
        summary.examples[0].to_string(),
        r#"survey.csv:2: column "RecordedDate": "03/04/2024 10:00" is not a timestamp; expected RFC 3339 (2024-03-15T12:34:56Z), a date and time taken as UTC (2024-03-15 12:34:56) or a date (2024-03-15); day and month order is never guessed: declare it in the journey file, e.g. timestamp_formats = ["%d/%m/%Y %H:%M"]"#
    );
    let (seen, _) = read_text(csv, &journey("timestamp_formats = [\"%d/%m/%Y %H:%M\"]"));
    assert_eq!(seen, [(4.0, Some("2024-04-03T10:00:00+00:00".to_owned()))]);
    let (seen, _) = read_text(csv, &journey("timestamp_formats = [\"%m/%d/%Y %H:%M\"]"));
    assert_eq!(seen, [(4.0, Some("2024-03-04T10:00:00+00:00".to_owned()))]);
}

#[test]
fn rating_labels_are_for_ratings_only() {
    // "Poor" stands for 2 as a touchpoint rating, not as a likelihood.
    let csv = "RecordedDate,ResponseId,Q1,Q2\n,r1, poor ,Poor\n,r2,Excellent,9\n";
    let (seen, summary) = read_text(csv, &journey(""));
    assert_eq!(seen, [(2.0, None)]);
    assert_eq!(summary.fields_rejected_total(), 1);
    assert_eq!(
        summary.examples[0].to_string(),
        r#"survey.csv:2: column "Q2": "Poor" is not a number on scale 0..=10"#
    );
    assert_eq!(
        summary.examples[1].to_string(),
        r#"survey.csv:3: column "Q1": "Excellent" is not a number or rating label on scale 1..=5"#
    );
}
