//! Every report of a fixed survey, byte for byte. The files in `golden/`
//! were written by the writers before they moved from cx-io and cx-cli into
//! this crate; any change to a report shows here as a diff. After an
//! intended change, write them again with `CX_BLESS=1 cargo test -p
//! cx-report --test lib` and review the diff.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixture;

use std::collections::BTreeSet;
use std::path::PathBuf;

use cx_report::{ErrorKind, TableOptions};

/// Compares `actual` with the golden file `name`, or rewrites it when
/// `CX_BLESS` is set.
fn check(name: &str, actual: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("CX_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap();
    if actual != expected {
        let (actual, expected) = (
            String::from_utf8_lossy(actual),
            String::from_utf8_lossy(&expected),
        );
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e);
        panic!(
            "{name} differs from {} (first at line {:?}):\n{actual}",
            path.display(),
            line.map(|l| l + 1)
        );
    }
}

type Writer = fn(&mut Vec<u8>) -> cx_report::Result<()>;

/// Each golden file and how it is written.
const REPORTS: &[(&str, Writer)] = &[
    ("scorecard.json", |out| {
        cx_report::write_json(&fixture::scorecard(&[]), out)
    }),
    ("scorecard.csv", |out| {
        cx_report::write_csv(&fixture::scorecard(&fixture::BREAKDOWNS), out)
    }),
    ("scorecard.md", |out| {
        cx_report::write_markdown(&fixture::scorecard(&fixture::BREAKDOWNS), out)
    }),
    ("scorecard.html", |out| {
        cx_report::write_html(&fixture::scorecard(&fixture::BREAKDOWNS), out)
    }),
    ("scorecard.txt", |out| {
        let card = fixture::scorecard(&fixture::BREAKDOWNS);
        cx_report::write_table(&card, &TableOptions::default(), out)
    }),
    ("scorecard-stages-colour.txt", |out| {
        let card = fixture::scorecard(&fixture::BREAKDOWNS);
        let mut options = TableOptions::default();
        options.stages = true;
        options.colour = true;
        cx_report::write_table(&card, &options, out)
    }),
    ("comparison.txt", |out| {
        cx_report::write_comparison_table(&fixture::comparison(), out)
    }),
    ("comparison.csv", |out| {
        cx_report::write_comparison_csv(&fixture::comparison(), out)
    }),
    ("comparison.json", |out| {
        cx_report::write_comparison_json(&fixture::comparison(), out)
    }),
    ("drivers.txt", |out| {
        cx_report::write_drivers_table(&fixture::driver_analysis(), out)
    }),
    ("drivers.csv", |out| {
        cx_report::write_drivers_csv(&fixture::driver_analysis(), out)
    }),
    ("drivers.json", |out| {
        cx_report::write_drivers_json(&fixture::driver_analysis(), out)
    }),
    ("changes.txt", |out| {
        cx_report::write_changes_table(&fixture::changes(), out)
    }),
    ("changes.md", |out| {
        cx_report::write_changes_markdown(&fixture::changes(), out)
    }),
    ("changes.csv", |out| {
        cx_report::write_changes_csv(&fixture::changes(), out)
    }),
    ("changes.json", |out| {
        cx_report::write_changes_json(&fixture::changes(), out)
    }),
];

#[test]
fn every_report_is_byte_for_byte_what_it_was() {
    for (name, write) in REPORTS {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        check(name, &out);
    }
}

/// Every field path of a JSON value, arrays written `[]`.
fn paths(value: &serde_json::Value, prefix: &str, into: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                into.insert(path.clone());
                paths(value, &path, into);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                paths(item, &format!("{prefix}[]"), into);
            }
        }
        _ => {}
    }
}

/// The `cx.scorecard/2` schema's fields, as a list that changes only when
/// the schema does: a new field is allowed within version 1, a renamed or
/// removed one makes version 2. A breakdown group's score has the fields of
/// `overall`, so they are listed once.
#[test]
fn the_json_scorecard_has_exactly_the_schema_fields() {
    let mut out = Vec::new();
    cx_report::write_json(&fixture::scorecard(&fixture::BREAKDOWNS), &mut out).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let mut fields = BTreeSet::new();
    paths(&value, "", &mut fields);
    let group = "breakdowns[].groups[].score.";
    let overall: BTreeSet<&str> = fields
        .iter()
        .filter_map(|f| f.strip_prefix("overall."))
        .collect();
    let scores: BTreeSet<&str> = fields
        .iter()
        .filter_map(|f| f.strip_prefix(group))
        .collect();
    assert_eq!(scores, overall);
    let list: String = fields
        .iter()
        .filter(|f| !f.starts_with(group))
        .map(|f| format!("{f}\n"))
        .collect();
    check("scorecard.fields", list.as_bytes());
}

#[test]
fn lookups_find_what_indexing_finds() {
    let card = fixture::scorecard(&fixture::BREAKDOWNS);
    assert_eq!(card.touchpoint("till"), Some(&card.overall.touchpoints[2]));
    assert_eq!(card.stage("Buy"), Some(&card.overall.stages[1]));
    let segments = card.breakdown(cx_score::Dimension::Segment).unwrap();
    assert_eq!(
        segments.group("returning | loyal"),
        Some(&segments.groups[1].score)
    );
    assert_eq!(segments.missing(), Some(&segments.groups[2].score));
    assert_eq!(
        card.breakdown(cx_score::Dimension::Channel)
            .unwrap()
            .missing(),
        None
    );
}

/// An output that refuses every byte.
struct Full;

impl std::io::Write for Full {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disk full"))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn an_output_that_fails_is_an_io_error_of_every_writer() {
    let card = fixture::scorecard(&fixture::BREAKDOWNS);
    let (comparison, analysis) = (fixture::comparison(), fixture::driver_analysis());
    let results = [
        cx_report::write_json(&card, Full),
        cx_report::write_csv(&card, Full),
        cx_report::write_markdown(&card, Full),
        cx_report::write_html(&card, Full),
        cx_report::write_table(&card, &TableOptions::default(), Full),
        cx_report::write_comparison_table(&comparison, Full),
        cx_report::write_comparison_csv(&comparison, Full),
        cx_report::write_comparison_json(&comparison, Full),
        cx_report::write_drivers_table(&analysis, Full),
        cx_report::write_drivers_csv(&analysis, Full),
        cx_report::write_drivers_json(&analysis, Full),
    ];
    for result in results {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Io);
        assert!(
            error.to_string().starts_with("cannot write the report: "),
            "{error}"
        );
    }
}
