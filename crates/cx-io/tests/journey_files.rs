//! Journey files: the schema in TOML and JSON, its errors, and round trips.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cx_io::{
    AnswerColumn, ErrorKind, JourneyFile, JourneyFormat, Location, NumberColumn, RespondentColumns,
};
use cx_model::{Channel, Journey, Scale, Stage, Touchpoint};
use proptest::prelude::*;

const WIDE: &str = r#"
name = "Airline"
scale = { min = 1, max = 5, not_applicable = 0 }

[respondents]
id_column = "ID"
segment_columns = ["Class"]
expectations_met = { column = "Satisfaction", yes = ["Satisfied"], no = ["Neutral or Dissatisfied"] }
would_return = { column = "loy5", yes_range = [5, 7], no_range = [1, 4] }
likelihood_to_recommend = { column = "nps", offset = -1 }

[[stages]]
name = "Booking"
touchpoints = [
  { id = "booking", name = "Online booking", channel = "web", target = 4, source_column = "Ease of Online Booking" },
]

[[stages]]
name = "Flight"
touchpoints = [
  { id = "seat", name = "Seat", channel = "in-flight", moment_of_truth = true, weight = 2, source_column = "s1", expectation_column = "e1" },
]
"#;

#[test]
fn reads_every_field_of_the_schema() {
    let file = JourneyFile::parse(WIDE, JourneyFormat::Toml).unwrap();
    let journey = &file.journey;
    assert_eq!(journey.name(), "Airline");
    assert_eq!(journey.scale().not_applicable(), Some(0.0));
    let seat = journey.find("seat").unwrap();
    assert_eq!(seat.channel, Channel::Other("in-flight".into()));
    assert!(seat.moment_of_truth);
    assert_eq!(seat.weight, 2.0);
    assert_eq!(seat.source_column.as_deref(), Some("s1"));
    assert_eq!(seat.expectation_column.as_deref(), Some("e1"));
    assert_eq!(journey.find("booking").unwrap().target, Some(4.0));
    let respondents = file.respondents.as_ref().unwrap();
    assert_eq!(respondents.id_column.as_deref(), Some("ID"));
    assert_eq!(
        respondents.expectations_met,
        Some(AnswerColumn::texts(
            "Satisfaction",
            &["Satisfied"],
            &["Neutral or Dissatisfied"]
        ))
    );
    assert_eq!(
        respondents.would_return,
        Some(AnswerColumn::ranges("loy5", [5.0, 7.0], [1.0, 4.0]))
    );
    assert_eq!(
        respondents.likelihood_to_recommend,
        Some(NumberColumn::new("nps").offset(-1.0))
    );
}

#[test]
fn toml_and_json_round_trip() {
    let file = JourneyFile::parse(WIDE, JourneyFormat::Toml).unwrap();
    for format in [JourneyFormat::Toml, JourneyFormat::Json] {
        let text = file.to_string(format).unwrap();
        assert_eq!(
            JourneyFile::parse(&text, format).unwrap(),
            file,
            "{format}:\n{text}"
        );
    }
}

#[test]
fn files_are_read_and_written_by_extension() {
    let directory = std::env::temp_dir().join(format!("cx-io-journey-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let file = JourneyFile::parse(WIDE, JourneyFormat::Toml).unwrap();
    for name in ["j.toml", "j.json"] {
        let path = directory.join(name);
        file.write(&path).unwrap();
        assert_eq!(JourneyFile::read(&path).unwrap(), file);
    }
    let json_text = std::fs::read_to_string(directory.join("j.json")).unwrap();
    assert!(json_text.trim_start().starts_with('{'));
    // An explicit format wins over the extension.
    std::fs::write(directory.join("j.txt"), &json_text).unwrap();
    assert_eq!(
        JourneyFile::read_as(directory.join("j.txt"), JourneyFormat::Json).unwrap(),
        file
    );
    std::fs::remove_dir_all(&directory).unwrap();
}

#[test]
fn a_missing_file_is_named() {
    let error = JourneyFile::read("no/such/journey.toml").unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::Io);
    assert!(error.is_fatal() && std::error::Error::source(&error).is_some());
    assert_eq!(
        error.location().map(Location::file),
        Some("no/such/journey.toml")
    );
    assert!(
        error.to_string().starts_with("no/such/journey.toml: "),
        "{error}"
    );
}

#[test]
fn an_error_in_a_file_is_said_of_the_file() {
    let directory = std::env::temp_dir().join(format!("cx-io-bad-journey-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("bad.toml");
    std::fs::write(&path, "name = \"J\"\nscale = 5\n").unwrap();
    let error = JourneyFile::read(&path).unwrap_err();
    let parsed = JourneyFile::parse("name = \"J\"\nscale = 5\n", JourneyFormat::Toml).unwrap_err();
    std::fs::remove_dir_all(&directory).unwrap();
    assert_eq!(error.kind(), &ErrorKind::Syntax);
    assert_eq!(parsed.location(), None);
    assert_eq!(error.message(), parsed.message());
    assert_eq!(error.to_string(), format!("{}: {parsed}", path.display()));
    let location = error.location().unwrap();
    assert_eq!((location.line(), location.record()), (None, None));
}

#[test]
fn syntax_errors_give_line_and_column() {
    let text = "name = \"J\"\nscale = { min = 1, max = 5 }\n[[stages]]\nname = \"S\"\ntouchpoints = [{ id = \"t\", name = \"T\", chanel = \"web\" }]\n";
    let error = JourneyFile::parse(text, JourneyFormat::Toml).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::Syntax);
    let message = error.to_string();
    assert!(message.starts_with("line 5, column "), "{message}");
    assert!(message.contains("unknown field `chanel`"), "{message}");

    let error =
        JourneyFile::parse("{\"name\": \"J\",\n \"scale\": 5}", JourneyFormat::Json).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::Syntax);
    assert!(error.to_string().contains("line 2 column"), "{error}");
}

#[test]
fn journey_rules_name_the_offender() {
    let duplicate = "name = \"J\"\nscale = { min = 1, max = 5 }\n[[stages]]\nname = \"A\"\ntouchpoints = [{ id = \"t\", name = \"T\", channel = \"web\" }]\n[[stages]]\nname = \"B\"\ntouchpoints = [{ id = \"t\", name = \"T2\", channel = \"web\" }]\n";
    let error = JourneyFile::parse(duplicate, JourneyFormat::Toml).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::InvalidJourney);
    assert_eq!(
        error.to_string(),
        r#"touchpoint id "t" is used twice (in stages "A" and "B"); expected unique ids"#
    );
    let empty_stage =
        "name = \"J\"\nscale = { min = 1, max = 5 }\n[[stages]]\nname = \"A\"\ntouchpoints = []\n";
    let error = JourneyFile::parse(empty_stage, JourneyFormat::Toml).unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"stage "A" has no touchpoint; expected at least one"#
    );
    let bad_target = "name = \"J\"\nscale = { min = 1, max = 5 }\n[[stages]]\nname = \"A\"\ntouchpoints = [{ id = \"t\", name = \"T\", channel = \"web\", target = 9 }]\n";
    let error = JourneyFile::parse(bad_target, JourneyFormat::Toml).unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"touchpoint "t": field "target": rating 9 is outside the scale 1..=5"#
    );
    let bad_scale = "name = \"J\"\nscale = { min = 5, max = 1 }\n[[stages]]\nname = \"A\"\ntouchpoints = [{ id = \"t\", name = \"T\", channel = \"web\" }]\n";
    let error = JourneyFile::parse(bad_scale, JourneyFormat::Toml).unwrap_err();
    assert!(error.to_string().contains("invalid scale 5..=1"), "{error}");
}

#[test]
fn inconsistent_answer_mappings_are_refused() {
    let with = |mapping: &str| {
        format!(
            "name = \"J\"\nscale = {{ min = 1, max = 5 }}\n[respondents]\nwould_return = {mapping}\n[[stages]]\nname = \"A\"\ntouchpoints = [{{ id = \"t\", name = \"T\", channel = \"web\" }}]\n"
        )
    };
    let cases = [
        (
            r#"{ column = "c", yes = ["Y"] }"#,
            "both `yes` and `no` texts",
        ),
        (
            r#"{ column = "c", yes_range = [5, 7] }"#,
            "both `yes_range` and `no_range`",
        ),
        (
            r#"{ column = "c", yes_range = [4, 7], no_range = [1, 4] }"#,
            "do not overlap",
        ),
        (
            r#"{ column = "c", yes_range = [7, 5], no_range = [1, 4] }"#,
            "low <= high",
        ),
        (
            r#"{ column = "c", yes = ["Y"], no = ["N"], yes_range = [5, 7], no_range = [1, 4] }"#,
            "not both",
        ),
    ];
    for (mapping, expected) in cases {
        let error = JourneyFile::parse(&with(mapping), JourneyFormat::Toml).unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Mapping);
        assert_eq!(error.column(), Some("respondents.would_return"));
        assert!(error.is_journey() && error.message().starts_with("expected "));
        let message = error.to_string();
        assert!(
            message.starts_with(r#"field "respondents.would_return": expected"#),
            "{message}"
        );
        assert!(message.contains(expected), "{mapping}: {message}");
    }
}

#[test]
fn the_bundled_sample_journey_file_is_valid() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/data/retail.toml"
    );
    let file = JourneyFile::read(path).unwrap();
    assert_eq!(file.journey.touchpoint_count(), 10);
    assert!(
        file.journey
            .touchpoints()
            .filter(|t| t.moment_of_truth)
            .count()
            >= 2
    );
}

// ---- round-trip property --------------------------------------------------

fn text() -> impl Strategy<Value = String> {
    // Names with the characters that need quoting in TOML and JSON.
    "[A-Za-z0-9 _\\-\"'\\\\é#=\\[\\]]{1,12}"
}

fn journeys() -> impl Strategy<Value = JourneyFile> {
    let touchpoint = (
        text(),
        prop_oneof![
            Just(Channel::Web),
            Just(Channel::Phone),
            text().prop_map(|t| t.trim().parse::<Channel>().unwrap())
        ],
        any::<bool>(),
        proptest::option::of(1u8..=5),
        0u8..10,
        proptest::option::of(text()),
        proptest::option::of(text()),
    );
    let stage = (text(), proptest::collection::vec(touchpoint, 1..4));
    let respondents = proptest::option::of((
        proptest::option::of(text()),
        proptest::collection::vec(text(), 0..3),
    ));
    (text(), proptest::collection::vec(stage, 1..4), respondents).prop_filter_map(
        "valid journey",
        |(name, stages, respondents)| {
            let mut counter = 0;
            let stages: Vec<Stage> = stages
                .into_iter()
                .enumerate()
                .map(|(s, (stage_name, touchpoints))| {
                    touchpoints.into_iter().fold(
                        Stage::new(format!("{s} {stage_name}")),
                        |stage, (tp_name, channel, mot, target, weight, source, expectation)| {
                            counter += 1;
                            let mut touchpoint =
                                Touchpoint::new(format!("t{counter}"), tp_name, channel)
                                    .moment_of_truth(mot)
                                    .weight(f64::from(weight) / 4.0);
                            touchpoint.target = target.map(f64::from);
                            touchpoint.source_column = source;
                            touchpoint.expectation_column = expectation;
                            stage.touchpoint(touchpoint)
                        },
                    )
                })
                .collect();
            let journey = Journey::new(name, Scale::LIKERT_5, stages).ok()?;
            let mut file = JourneyFile::new(journey);
            file.respondents = respondents.map(|(id_column, segment_columns)| {
                let mut columns = RespondentColumns::default();
                columns.id_column = id_column;
                columns.segment_columns = segment_columns;
                columns.effort = Some(NumberColumn::new("effort").offset(0.5));
                columns
            });
            Some(file)
        },
    )
}

proptest! {
    #[test]
    fn journeys_round_trip_through_toml_and_json(file in journeys()) {
        for format in [JourneyFormat::Toml, JourneyFormat::Json] {
            let text = file.to_string(format).unwrap();
            let back = JourneyFile::parse(&text, format);
            prop_assert!(back.is_ok(), "{format}: {:?}\n{text}", back.err());
            prop_assert_eq!(back.unwrap(), file.clone());
        }
    }
}
