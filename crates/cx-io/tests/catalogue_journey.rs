//! Bad-input catalogue, journey files in TOML and JSON: each broken file is
//! refused with the exact error, naming what is wrong and where.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cx_io::{JourneyFile, JourneyFormat};
use cx_model::{Error, ErrorKind, Position};

/// A journey with two stages, in TOML: the first with one touchpoint of
/// this target, the second with these touchpoints.
fn toml_journey(second_stage_touchpoints: &str, target: &str) -> String {
    format!(
        r#"
name = "Shop"
scale = {{ min = 1, max = 5 }}

[[stages]]
name = "Buy"
touchpoints = [{{ id = "till", name = "Till", channel = "store", target = {target} }}]

[[stages]]
name = "Use"
touchpoints = [{second_stage_touchpoints}]
"#
    )
}

fn journey_error(text: &str, format: JourneyFormat) -> Error {
    match JourneyFile::parse(text, format) {
        Err(error) if *error.kind() == cx_io::ErrorKind::InvalidJourney => error
            .model_error()
            .cloned()
            .expect("a journey error has cx-model's"),
        other => panic!("expected a journey error, got {other:?}"),
    }
}

fn syntax_error(text: &str, format: JourneyFormat) -> String {
    match JourneyFile::parse(text, format) {
        Err(error) if *error.kind() == cx_io::ErrorKind::Syntax => error.message().to_owned(),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn duplicate_touchpoint_id() {
    let text = toml_journey(
        r#"{ id = "till", name = "Till again", channel = "web" }"#,
        "3",
    );
    assert_eq!(
        journey_error(&text, JourneyFormat::Toml).into_kind(),
        ErrorKind::DuplicateTouchpoint {
            id: "till".into(),
            first_stage: "Buy".into(),
            second_stage: "Use".into(),
        }
    );
}

#[test]
fn empty_stage() {
    let text = toml_journey("", "3");
    assert_eq!(
        journey_error(&text, JourneyFormat::Toml).into_kind(),
        ErrorKind::EmptyStage {
            stage: "Use".into()
        }
    );
}

#[test]
fn target_outside_the_scale() {
    let text = toml_journey(r#"{ id = "app", name = "App", channel = "app" }"#, "7");
    let error = journey_error(&text, JourneyFormat::Toml);
    assert!(
        matches!(
            error.kind(),
            ErrorKind::OutOfScale { value, .. } if *value == 7.0
        ) && error.position().map(Position::touchpoint) == Some("till"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        r#"touchpoint "till": field "target": rating 7 is outside the scale 1..=5"#
    );
}

#[test]
fn the_same_rules_hold_for_json() {
    let text = r#"{"name": "Shop", "scale": {"min": 1, "max": 5}, "stages": [
        {"name": "Buy", "touchpoints": [{"id": "till", "name": "Till", "channel": "store"}]},
        {"name": "Use", "touchpoints": []}]}"#;
    assert_eq!(
        journey_error(text, JourneyFormat::Json).into_kind(),
        ErrorKind::EmptyStage {
            stage: "Use".into()
        }
    );
}

#[test]
fn syntax_errors_name_line_and_column() {
    let message = syntax_error(
        "name = \"Shop\"\nscale = { min = 1, max = }\n",
        JourneyFormat::Toml,
    );
    assert!(message.contains("line 2, column"), "{message}");
    let message = syntax_error("{\"name\": \"Shop\",\n\"scale\": 5}", JourneyFormat::Json);
    assert!(message.contains("line 2 column"), "{message}");
    let message = syntax_error(
        "name = \"Shop\"\nstages = []\nscale = { min = 1, max = 5 }\ncolour = \"red\"\n",
        JourneyFormat::Toml,
    );
    assert!(message.contains("colour"), "{message}");
}

#[test]
fn json_nested_ten_thousand_deep() {
    let text = format!("{{\"name\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    // The typed schema refuses the first bracket, before any depth is reached.
    let message = syntax_error(&text, JourneyFormat::Json);
    assert!(message.contains("line 1 column 9"), "{message}");
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let message = syntax_error(&text, JourneyFormat::Json);
    assert!(message.contains("line 1 column 1"), "{message}");
}

#[test]
fn toml_nested_ten_thousand_deep() {
    let text = format!("name = {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let message = syntax_error(&text, JourneyFormat::Toml);
    assert!(message.contains("line 1"), "{message}");
}
