// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use super::*;
use crate::long::LongDecoder;
use crate::options::columns;

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
        "line 1, column 1: unknown field `colour`, expected one of `name`, `scale`, `decimal`, `format`, `header_rows`, `timestamp_formats`, `timestamp_zone`, `rating_labels`, `respondents`, `stages`"
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

/// The text of docs/journey-file.md.
fn reference() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/journey-file.md");
    std::fs::read_to_string(path).unwrap()
}

/// What docs/journey-file.md documents: the first cell of each row of its
/// tables (outside code blocks). A table headed `| key |` lists keys of each table that the last
/// heading naming tables in backticks names (`[scale]`,
/// `[[stages.touchpoints]]`), or of the top level before any such heading;
/// a table headed `| column |`, the long layout's columns, with whether
/// each is required (its third cell, `yes` or `no`).
fn documented() -> (BTreeSet<String>, Vec<(String, bool)>) {
    let text = reference();
    let (mut keys, mut columns) = (BTreeSet::new(), Vec::new());
    let mut tables = vec![String::new()];
    let mut header = "";
    let mut code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            code = !code;
        }
        if code {
            continue;
        }
        let ticked: Vec<&str> = line.split('`').skip(1).step_by(2).collect();
        if line.starts_with('#') {
            let named: Vec<String> = ticked
                .iter()
                .filter(|span| span.starts_with('['))
                .map(|span| span.trim_matches(['[', ']']).to_owned())
                .collect();
            if !named.is_empty() {
                tables = named;
            }
        } else if !line.starts_with('|') {
            header = "";
        } else if header.is_empty() {
            header = line;
        } else if line.starts_with("| `") {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let name = ticked[0];
            if header.starts_with("| key |") {
                for table in &tables {
                    let dot = if table.is_empty() { "" } else { "." };
                    keys.insert(format!("{table}{dot}{name}"));
                }
            } else if header.starts_with("| column |") {
                columns.push((name.to_owned(), cells[3] == "yes"));
            }
        }
    }
    (keys, columns)
}

/// A key no table takes, to make serde list the keys a table takes.
const PROBE: &str = "zz_probe";

/// The keys that the table at `path` takes, as serde lists them when the
/// probe key stands there; `None` when `path` leads to no table. Each step
/// of `path` is a key and whether its value is an array of tables.
fn keys_at(path: &[(String, bool)]) -> Option<Vec<String>> {
    let mut value = format!("{PROBE} = 1");
    for (key, array) in path.iter().rev() {
        value = match array {
            true => format!("{key} = [{{ {value} }}]"),
            false => format!("{key} = {{ {value} }}"),
        };
    }
    let message = toml_error(&value);
    let at = message.find("unknown field `")?;
    let (key, keys) = unknown_field(&message[at..])?;
    (key == PROBE).then(|| keys.into_iter().map(str::to_owned).collect())
}

/// Every key the parser takes below `path`, as dotted paths
/// (`stages.touchpoints.weight`): the keys serde lists at each table, and
/// those of each key whose value is a table or an array of tables.
fn accepted_below(path: &mut Vec<(String, bool)>, accepted: &mut BTreeSet<String>) {
    assert!(
        path.len() < 8,
        "tables nest deeper than any journey: {path:?}"
    );
    let keys = keys_at(path).unwrap();
    for key in keys {
        let mut dotted: Vec<&str> = path.iter().map(|(key, _)| key.as_str()).collect();
        dotted.push(&key);
        accepted.insert(dotted.join("."));
        for array in [false, true] {
            path.push((key.clone(), array));
            let table = keys_at(path).is_some();
            if table {
                accepted_below(path, accepted);
            }
            path.pop();
            if table {
                break;
            }
        }
    }
}

#[test]
fn the_reference_documents_every_key_the_parser_takes_and_no_other() {
    let mut accepted = BTreeSet::new();
    accepted_below(&mut Vec::new(), &mut accepted);
    // The probe found the tables: spot checks of each kind of table.
    for key in [
        "scale.not_applicable",
        "respondents.would_return.yes_range",
        "respondents.effort.offset",
        "stages.touchpoints.source_column",
    ] {
        assert!(accepted.contains(key), "{key} not found in {accepted:?}");
    }
    let (documented, _) = documented();
    let undocumented: Vec<_> = accepted.difference(&documented).collect();
    let unknown: Vec<_> = documented.difference(&accepted).collect();
    assert!(
        undocumented.is_empty() && unknown.is_empty(),
        "docs/journey-file.md lacks {undocumented:?} and documents keys the parser does not take: {unknown:?}"
    );
}

#[test]
fn the_reference_documents_every_long_column_and_which_are_required() {
    let (_, documented) = documented();
    let names: Vec<&str> = documented.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, columns::ALL, "docs/journey-file.md, the long layout");
    let required: Vec<String> = documented
        .iter()
        .filter(|(_, required)| *required)
        .map(|(name, _)| name.clone())
        .collect();
    assert_eq!(required, LongDecoder::required_columns(None));
}

#[test]
fn the_references_example_uses_every_key_and_parses() {
    let text = reference();
    let example = text
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let file = JourneyFile::parse(example, JourneyFormat::Toml).unwrap();
    let touchpoint = file.journey.find("shop_window").unwrap();
    assert_eq!(
        (touchpoint.target, touchpoint.expectation_column.as_deref()),
        (Some(3.0), Some("Window (expected)"))
    );
    let respondents = file.respondents.unwrap();
    assert_eq!(respondents.effort, Some(NumberColumn::new("Effort")));
    // Every key stands in it: each key of the reference, as `key =`, or
    // as its table's header.
    let (keys, _) = documented();
    for key in keys {
        let last = key.rsplit('.').next().unwrap();
        let header = [format!("[{key}]"), format!("[[{key}]]")];
        let shown =
            example.contains(&format!("{last} =")) || header.iter().any(|h| example.contains(h));
        assert!(shown, "the example lacks {key}");
    }
}

#[test]
fn the_keys_of_reading_are_checked_when_the_file_is_read() {
    let journey = |top: &str, tables: &str| {
        let text = format!(
            "name = \"J\"\n{top}\nscale = {{ min = 1, max = 5, not_applicable = 0 }}\n{tables}\n[[stages]]\nname = \"S\"\ntouchpoints = [{{ id = \"t\", name = \"T\", channel = \"web\" }}]\n"
        );
        JourneyFile::parse(&text, JourneyFormat::Toml)
    };
    let file = journey(
        "format = \"surveymonkey\"\nheader_rows = 2\ntimestamp_formats = [\"%d/%m/%Y %H:%M\"]\ntimestamp_zone = \"Europe/Berlin\"",
        "[rating_labels]\n\"Very good\" = 5\n\"Not used\" = 0",
    )
    .unwrap();
    assert_eq!(file.export, Some(SurveyExport::SurveyMonkey));
    assert_eq!(file.header_rows, Some(2));
    assert_eq!(file.timestamp_formats, ["%d/%m/%Y %H:%M"]);
    assert_eq!(file.timestamp_zone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(file.rating_labels.get("Very good"), Some(&5.0));
    // Written and read again, the same.
    let again = JourneyFile::parse(
        &file.to_string(JourneyFormat::Toml).unwrap(),
        JourneyFormat::Toml,
    )
    .unwrap();
    assert_eq!(again, file);
    let refused = [
        (
            "header_rows = 0",
            "",
            "field \"header_rows\": 0 header rows; expected 1 to 10",
        ),
        (
            "header_rows = 11",
            "",
            "field \"header_rows\": 11 header rows; expected 1 to 10",
        ),
        (
            "timestamp_formats = [\"%d/%m/%Y %Q\"]",
            "",
            "field \"timestamp_formats\": \"%d/%m/%Y %Q\" is not a timestamp form; expected chrono's strftime specifiers, e.g. \"%d/%m/%Y %H:%M\"",
        ),
        (
            "timestamp_formats = [\"at noon\"]",
            "",
            "field \"timestamp_formats\": \"at noon\" has no date or time specifier; expected e.g. \"%d/%m/%Y %H:%M\"",
        ),
        (
            "timestamp_zone = \"Mars/Olympus\"",
            "",
            "field \"timestamp_zone\": \"Mars/Olympus\" is no time zone; expected an IANA name such as \"Europe/Berlin\" or \"UTC\"",
        ),
        (
            "",
            "[rating_labels]\n\"Superb\" = 6",
            "field \"rating_labels\": \"Superb\" = 6 is outside the scale 1..=5 (0 = not applicable)",
        ),
        (
            "",
            "[rating_labels]\n\"4\" = 4",
            "field \"rating_labels\": \"4\" is no text; expected a label, not a number or nothing",
        ),
        (
            "",
            "[rating_labels]\n\"Good\" = 4\n\" good \" = 4",
            "field \"rating_labels\": \"Good\" is the label \" good \" again once case and spaces are ignored; expected each label once",
        ),
    ];
    for (top, tables, message) in refused {
        let error = journey(top, tables).unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Mapping, "{top} {tables}");
        assert_eq!(error.to_string(), message, "{top} {tables}");
    }
    let error = journey("format = \"monkey\"", "").unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::Syntax);
    assert!(
        error
            .to_string()
            .contains("unknown variant `monkey`, expected one of `plain`, `qualtrics`"),
        "{error}"
    );
}
