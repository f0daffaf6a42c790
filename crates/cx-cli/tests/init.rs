//! `cx init` then `cx score`, on every shared survey and the bundled
//! sample: the draft scores every record without an edit.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use serde_json::Value;

mod common;
use common::{SAMPLE, assert_exit, cx, root, stderr, stdout_of_success, temp_dir};

/// Every CSV file of ../shared/data, and the bundled sample.
fn surveys() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("../shared/data"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    files.push(root().join(SAMPLE));
    files
}

#[test]
fn a_draft_of_every_survey_scores_it_whole() {
    let dir = temp_dir("init");
    let files = surveys();
    assert!(files.len() >= 7, "{files:?}");
    for file in files {
        let survey = file.to_str().unwrap();
        let journey = dir.join(format!(
            "{}.toml",
            file.file_stem().unwrap().to_str().unwrap()
        ));
        let journey = journey.to_str().unwrap();
        let wrote = cx(&["init", survey, "-o", journey]);
        assert_exit(&wrote, 0, &format!("wrote {journey}: "));
        assert!(stderr(&wrote).ends_with("guesses marked CHECK to confirm\n"));
        // Standard output holds the same draft.
        assert_eq!(
            stdout_of_success(&cx(&["init", survey])),
            std::fs::read_to_string(journey).unwrap()
        );
        let scored = cx(&["score", survey, "--journey", journey, "--format", "json"]);
        let card: Value = serde_json::from_str(&stdout_of_success(&scored)).unwrap();
        assert!(stderr(&scored).is_empty(), "{survey}: {}", stderr(&scored));
        let observations = &card["counts"]["observations"];
        assert!(
            observations["accepted"].as_u64().unwrap() > 0,
            "{survey}: {observations}"
        );
        assert_eq!(
            observations["accepted"], observations["read"],
            "{survey}: {observations}"
        );
    }
}

#[test]
fn init_writes_toml_only_and_names_what_it_cannot_read() {
    let dir = temp_dir("init-refusals");
    let json = dir.join("journey.json");
    let refused = cx(&["init", SAMPLE, "-o", json.to_str().unwrap()]);
    assert_exit(
        &refused,
        2,
        "cx init writes a TOML journey file; end the name in .toml",
    );
    assert!(!json.exists());
    let names = dir.join("names.csv");
    std::fs::write(&names, "id,name\n1,a\n2,b\n").unwrap();
    let refused = cx(&["init", names.to_str().unwrap()]);
    assert_exit(&refused, 1, "has no column of ratings");
    assert_exit(&cx(&["init", "no/such.csv"]), 1, "no/such.csv: cannot open");
}

/// The example exports: a draft skips their extra header rows and the
/// columns the platform adds, takes the platform's id and time columns,
/// and scores every record as the shipped journey does (same observation
/// and outcome counts); SurveyMonkey's labelled ratings are named, not
/// guessed.
#[test]
fn a_draft_of_each_example_export_reads_it_as_its_journey_does() {
    let dir = temp_dir("init-exports");
    let cases = [
        ("qualtrics", "ResponseId", "RecordedDate"),
        ("google_forms", "", "Timestamp"),
        ("limesurvey", "id", "submitdate"),
        ("typeform", "#", "Submit Date (UTC)"),
    ];
    for (name, id, time) in cases {
        let survey = format!("examples/exports/{name}.csv");
        let journey = dir.join(format!("{name}.toml"));
        let journey = journey.to_str().unwrap();
        assert_exit(
            &cx(&["init", &survey, "-o", journey]),
            0,
            "guesses marked CHECK",
        );
        let draft = cx_io::JourneyFile::read(journey).unwrap();
        let respondents = draft.respondents.unwrap();
        assert_eq!(respondents.id_column.as_deref().unwrap_or(""), id, "{name}");
        assert_eq!(
            respondents.timestamp_column.as_deref(),
            Some(time),
            "{name}"
        );
        assert_eq!(draft.journey.touchpoint_count(), 4, "{name}");
        let counts = |journey: &str| {
            let scored = cx(&["score", &survey, "--journey", journey, "--format", "json"]);
            let card: Value = serde_json::from_str(&stdout_of_success(&scored)).unwrap();
            card["counts"].clone()
        };
        let shipped = format!("examples/exports/{name}.toml");
        assert_eq!(counts(journey), counts(&shipped), "{name}");
    }
    let refused = cx(&["init", "examples/exports/surveymonkey.csv"]);
    assert_exit(
        &refused,
        1,
        r#"some columns hold numbers and the texts "Extremely", "Not at all": say which rating each stands for in the journey's [rating_labels]"#,
    );
}
