//! `JourneyDraft` on the shared surveys: what it guesses for each, checked
//! against the surveys' documented layouts (../shared/data/SOURCES.md) and
//! the journeys written by hand for two of them (examples/journeys/).

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use cx_io::{ErrorKind, JourneyDraft, JourneyFile, JourneyFormat, RespondentColumns};

fn shared(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name)
}

/// The draft of a shared survey, parsed as the journey file it must be.
fn drafted(name: &str) -> (JourneyDraft, JourneyFile) {
    let draft = JourneyDraft::from_path(shared(name), cx_io::DRAFT_SAMPLE_ROWS).unwrap();
    let file = JourneyFile::parse(draft.toml(), JourneyFormat::Toml)
        .unwrap_or_else(|error| panic!("{name}: {error}\n{}", draft.toml()));
    (draft, file)
}

fn respondents(file: &JourneyFile) -> &RespondentColumns {
    file.respondents.as_ref().unwrap()
}

#[test]
fn the_airline_survey_drafts_as_its_hand_written_journey_reads_it() {
    let (draft, file) = drafted("airline_passenger_satisfaction.csv");
    let hand = JourneyFile::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/journeys/airline.toml"),
    )
    .unwrap();
    // The same 14 rating columns, in file order rather than journey order.
    let columns = |file: &JourneyFile| {
        let mut names: Vec<String> = file
            .journey
            .touchpoints()
            .map(|t| t.source_column.clone().unwrap())
            .collect();
        names.sort();
        names
    };
    assert_eq!(columns(&file), columns(&hand));
    assert_eq!(
        file.journey.scale(),
        hand.journey.scale(),
        "1..=5, 0 not applicable"
    );
    let (drafted, written) = (respondents(&file), respondents(&hand));
    assert_eq!(drafted.id_column, written.id_column);
    assert_eq!(drafted.expectations_met, written.expectations_met);
    assert_eq!(
        drafted.segment_columns,
        ["Gender", "Customer Type", "Type of Travel"]
    );
    // Reality only: every touchpoint's target is 4, as the hand-written one's.
    assert!(file.journey.touchpoints().all(|t| t.target == Some(4.0)));
    assert!(
        draft
            .toml()
            .contains("# Not read: Age, Flight Distance, Departure Delay, Arrival Delay.")
    );
    // Scale, segments, the loyalty question, one stage, and per touchpoint
    // its channel and its target.
    assert_eq!(draft.checks(), 4 + 2 * 14);
}

#[test]
fn oddjob_pairs_each_experience_with_its_expectation() {
    let (_, file) = drafted("oddjob_airways_airlinesat.csv");
    let pairs: Vec<(String, String)> = file
        .journey
        .touchpoints()
        .map(|t| {
            (
                t.source_column.clone().unwrap(),
                t.expectation_column.clone().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = (1..=23)
        .map(|i| (format!("s{i}"), format!("e{i}")))
        .collect();
    assert_eq!(pairs, expected);
    assert_eq!(
        (file.journey.scale().min(), file.journey.scale().max()),
        (1.0, 100.0)
    );
    let likelihood = respondents(&file).likelihood_to_recommend.clone().unwrap();
    assert_eq!(
        (likelihood.column.as_str(), likelihood.offset),
        ("nps", -1.0)
    );
}

#[test]
fn the_nps_test_data_has_its_likelihood_and_its_dates() {
    let (_, file) = drafted("nps_package_testdata.csv");
    let respondents = respondents(&file);
    assert_eq!(
        respondents.likelihood_to_recommend.as_ref().unwrap().column,
        "REC"
    );
    assert_eq!(respondents.timestamp_column.as_deref(), Some("date"));
    assert_eq!(respondents.segment_columns, ["BU", "Region"]);
    let ids: Vec<&str> = file.journey.touchpoints().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "product_tastiness",
            "salesman_smileyness",
            "salesman_chirpiness",
            "salesman_bubbliness"
        ]
    );
    assert_eq!(
        (file.journey.scale().min(), file.journey.scale().max()),
        (0.0, 10.0)
    );
}

#[test]
fn the_kaggle_split_leaves_its_row_index_out() {
    let (draft, file) = drafted("airline_passenger_satisfaction_kaggle_test.csv");
    assert_eq!(respondents(&file).id_column.as_deref(), Some("id"));
    assert_eq!(file.journey.touchpoint_count(), 14);
    let satisfaction = respondents(&file).expectations_met.clone().unwrap();
    assert_eq!(
        (satisfaction.yes, satisfaction.no),
        (
            vec!["satisfied".to_owned()],
            vec!["neutral or dissatisfied".to_owned()]
        )
    );
    assert!(!draft.toml().contains("source_column = \"\""));
}

#[test]
fn survey_items_named_by_construct_make_stages() {
    let (_, file) = drafted("plspm_bank_satisfaction.csv");
    let stages: Vec<&str> = file
        .journey
        .stages()
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(stages, ["imag", "expe", "qual", "val", "sat", "loy"]);
    assert_eq!(file.journey.touchpoint_count(), 27);
    assert_eq!(
        (file.journey.scale().min(), file.journey.scale().max()),
        (0.0, 10.0)
    );
    let (_, mobile) = drafted("plspm_ecsi_mobile.csv");
    assert_eq!(
        (mobile.journey.scale().min(), mobile.journey.scale().max()),
        (0.0, 100.0)
    );
}

#[test]
fn a_long_file_lists_its_touchpoints_in_the_order_first_seen() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/data/retail_responses.csv");
    let draft = JourneyDraft::from_path(path, 100).unwrap();
    let file = JourneyFile::parse(draft.toml(), JourneyFormat::Toml).unwrap();
    assert!(file.respondents.is_none());
    let ids: Vec<&str> = file.journey.touchpoints().map(|t| t.id.as_str()).collect();
    // The first respondents' rows, in file order (examples/data/retail_responses.csv).
    assert_eq!(&ids[..3], ["shop_window", "website", "social_ad"]);
    assert_eq!(
        (file.journey.scale().min(), file.journey.scale().max()),
        (1.0, 5.0)
    );
}

#[test]
fn a_file_without_a_header_or_ratings_says_so() {
    let empty = JourneyDraft::from_reader(&b""[..], "empty", 10).unwrap_err();
    assert_eq!(*empty.kind(), ErrorKind::Empty);
    let words = JourneyDraft::from_reader(&b"id,name\n1,a\n2,b\n"[..], "words", 10).unwrap_err();
    assert_eq!(*words.kind(), ErrorKind::MissingColumn);
    assert!(
        words.to_string().contains("has no column of ratings"),
        "{words}"
    );
}

#[test]
fn a_semicolon_export_with_decimal_commas_drafts_its_ratings() {
    let survey = "ID;Region;Service;Staff\n1;north;4,5;3\n2;south;2;3,5\n3;north;5;1\n";
    let draft = JourneyDraft::from_reader(survey.as_bytes(), "european", 100).unwrap();
    let file = JourneyFile::parse(draft.toml(), JourneyFormat::Toml).unwrap();
    let columns: Vec<String> = file
        .journey
        .touchpoints()
        .map(|t| t.source_column.clone().unwrap())
        .collect();
    assert_eq!(columns, ["Service", "Staff"]);
    assert_eq!(respondents(&file).segment_columns, ["Region"]);
}
