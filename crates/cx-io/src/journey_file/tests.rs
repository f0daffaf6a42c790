// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn toml_error(text: &str) -> String {
    JourneyFile::parse(text, JourneyFormat::Toml)
        .unwrap_err()
        .to_string()
}

#[test]
fn an_unknown_key_names_the_nearest_key_of_its_table() {
    // "segment_colums" is 1 from "segment_columns" (a deletion), and
    // "Channel" 0 from "channel" once case is ignored: keys are
    // case-sensitive, so it is still unknown.
    let respondents = "name = \"J\"\n[respondents]\nsegment_colums = [\"Class\"]\n";
    assert_eq!(
        toml_error(respondents),
        "line 3, column 1: unknown field `segment_colums`, expected one of `id_column`, `segment_columns`, `timestamp_column`, `expectations_met`, `would_return`, `would_recommend`, `likelihood_to_recommend`, `effort`; did you mean `segment_columns`?"
    );
    let touchpoint =
        "name = \"J\"\n[[stages]]\nname = \"S\"\n[[stages.touchpoints]]\nChannel = \"web\"\n";
    assert_eq!(
        toml_error(touchpoint),
        "line 5, column 1: unknown field `Channel`, expected one of `id`, `name`, `channel`, `moment_of_truth`, `target`, `weight`, `source_column`, `expectation_column`; did you mean `channel`?"
    );
    // "colour" is 5 or more from every key of the top level: no suggestion.
    assert_eq!(
        toml_error("colour = \"red\"\n"),
        "line 1, column 1: unknown field `colour`, expected one of `name`, `scale`, `respondents`, `stages`"
    );
    let json = r#"{"name": "J", "scale": {"min": 1, "not_aplicable": 0}}"#;
    let error = JourneyFile::parse(json, JourneyFormat::Json).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::Syntax);
    assert_eq!(
        error.to_string(),
        "unknown field `not_aplicable`, expected one of `min`, `max`, `not_applicable` at line 1 column 49; did you mean `not_applicable`?"
    );
}

/// What [`unknown_field`] reads from a message: the key and the keys.
type Read<'a> = Option<(&'a str, Vec<&'a str>)>;

#[test]
fn unknown_field_reads_each_form_of_serdes_message() {
    let cases: [(&str, Read<'_>); 5] = [
        ("unknown field `x`, expected `a`", Some(("x", vec!["a"]))),
        (
            "unknown field `x`, expected `a` or `b`",
            Some(("x", vec!["a", "b"])),
        ),
        (
            "unknown field `x`, expected one of `a`, `b`, `c` at line 1 column 9",
            Some(("x", vec!["a", "b", "c"])),
        ),
        (
            "unknown field `x`, there are no fields",
            Some(("x", vec![])),
        ),
        ("invalid type: map, expected a string", None),
    ];
    for (message, read) in cases {
        assert_eq!(unknown_field(message), read, "{message}");
    }
}
