//! Header names match the columns read once case and surrounding spaces
//! are ignored (`Respondent_ID` is `respondent_id`), in the long layout and
//! for the columns a journey file names; two names of one column, and a
//! required column missing, are errors naming the columns.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cx_io::{
    Error, ErrorKind, ErrorPolicy, JourneyFile, JourneyFormat, Record, ResponseReaderBuilder,
};

/// A two-touchpoint journey that maps both to wide columns, its
/// respondents by the column "ID".
fn journey() -> JourneyFile {
    JourneyFile::parse(
        r#"
name = "Shop"
scale = { min = 1, max = 5 }
[respondents]
id_column = "ID"
segment_columns = [" Class "]
[[stages]]
name = "Buy"
touchpoints = [
  { id = "till", name = "Till", channel = "store", source_column = "Till rating" },
  { id = "web", name = "Website", channel = "web", source_column = "Web rating", expectation_column = "Web expected" },
]
"#,
        JourneyFormat::Toml,
    )
    .unwrap()
}

/// Every record of `text`, read strictly as the file `name`.
fn read(text: &str, name: &str, builder: &mut ResponseReaderBuilder) -> Result<Vec<Record>, Error> {
    let reader = builder
        .name(name)
        .error_policy(ErrorPolicy::Strict)
        .from_reader(text.as_bytes(), &journey())?;
    let mut records = Vec::new();
    reader.read_all(|record| records.push(record))?;
    Ok(records)
}

fn refusal(text: &str, name: &str) -> Error {
    read(text, name, &mut ResponseReaderBuilder::new()).unwrap_err()
}

#[test]
fn a_long_header_in_any_case_reads_as_the_plain_one() {
    let rows = "r1,till,4,3,yes,2\nr1,web,2,,,2\n";
    let plain = format!("respondent_id,touchpoint,reality,expectation,would_return,w\n{rows}");
    let exported =
        format!("Respondent_ID, TOUCHPOINT ,Reality,\"Expectation \",Would_Return,W\n{rows}");
    let expected = read(
        &plain,
        "r.csv",
        ResponseReaderBuilder::new().weight_column("w"),
    )
    .unwrap();
    assert_eq!(expected.len(), 3, "two observations and an outcome");
    let records = read(
        &exported,
        "r.csv",
        ResponseReaderBuilder::new().weight_column("w"),
    );
    assert_eq!(records.unwrap(), expected);
    // An error names the column as the header spells it.
    let bad = "Respondent_ID,Touchpoint,Reality\nr1,till,seven\n";
    assert_eq!(
        refusal(bad, "r.csv").to_string(),
        r#"r.csv:2: column "Reality": "seven" is not a number on scale 1..=5"#
    );
}

#[test]
fn columns_a_journey_names_match_in_any_case() {
    let rows = "7,Business,4,5,3\n";
    let plain = format!("ID,Class,Till rating,Web rating,Web expected\n{rows}");
    let exported = format!("id,CLASS,till rating,Web Rating, web expected \n{rows}");
    let expected = read(&plain, "w.csv", &mut ResponseReaderBuilder::new()).unwrap();
    assert_eq!(expected.len(), 2, "one observation per touchpoint");
    let Record::Observation(web) = &expected[1] else {
        panic!("{expected:?}")
    };
    assert_eq!(
        (
            web.respondent_id.as_str(),
            web.segment.as_deref(),
            web.reality,
            web.expectation
        ),
        ("7", Some("Business"), 5.0, Some(3.0))
    );
    let records = read(&exported, "w.csv", &mut ResponseReaderBuilder::new());
    assert_eq!(records.unwrap(), expected);
}

#[test]
fn json_keys_match_as_the_first_object_spells_them() {
    let plain = "{\"respondent_id\":\"r1\",\"touchpoint\":\"till\",\"reality\":4}\n";
    let exported = "{\"Respondent_ID\":\"r1\",\"Touchpoint\":\"till\",\"REALITY\":4}\n";
    let expected = read(plain, "r.ndjson", &mut ResponseReaderBuilder::new()).unwrap();
    assert_eq!(expected.len(), 1);
    let records = read(exported, "r.ndjson", &mut ResponseReaderBuilder::new());
    assert_eq!(records.unwrap(), expected);
}

#[test]
fn two_header_names_of_one_column_are_an_error_naming_both() {
    let error = refusal(
        "respondent_id,touchpoint,reality,Reality\nr1,till,4,5\n",
        "r.csv",
    );
    assert_eq!(
        (*error.kind(), error.is_fatal()),
        (ErrorKind::DuplicateColumn, true)
    );
    assert_eq!(
        error.to_string(),
        r#"r.csv:1: column "reality": matches two columns of the header, "reality" (column 3) and "Reality" (column 4), once case and surrounding spaces are ignored; expected one"#
    );
    let error = refusal("ID,id,Class,Till rating,Web rating,Web expected\n", "w.csv");
    assert_eq!(
        error.to_string(),
        r#"w.csv:1: column "ID": matches two columns of the header, "ID" (column 1) and "id" (column 2), once case and surrounding spaces are ignored; expected one"#
    );
    // Two names that no column reads are no one's concern.
    let unread = "respondent_id,touchpoint,reality,Note,note\nr1,till,4,a,b\n";
    assert_eq!(
        read(unread, "r.csv", &mut ResponseReaderBuilder::new())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_missing_column_suggests_the_nearest_name_of_the_header() {
    // SurveyMonkey's "Respondent ID" is 1 from "respondent_id" (" " for "_").
    let error = refusal("Respondent ID,touchpoint,reality\nr1,till,4\n", "r.csv");
    assert_eq!(*error.kind(), ErrorKind::MissingColumn);
    assert_eq!(
        error.to_string(),
        r#"r.csv:1: column "respondent_id": missing from the header; expected it for the long layout (header: Respondent ID, touchpoint, reality); did you mean "Respondent ID"?"#
    );
    // Wide, since "Web rating" is there: "Till ratings" is 1 from "Till rating".
    let error = refusal("ID,Class,Till ratings,Web rating,Web expected\n", "w.csv");
    assert_eq!(
        error.to_string(),
        r#"w.csv:1: column "Till rating": missing from the header; expected it for the wide layout (header: ID, Class, Till ratings, Web rating, Web expected); did you mean "Till ratings"?"#
    );
}
