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
    ("scorecard-summary.csv", |out| {
        cx_report::write_summary_csv(&fixture::scorecard(&fixture::BREAKDOWNS), out)
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
    ("comparison-weighted.txt", |out| {
        cx_report::write_comparison_table(&fixture::weighted_comparison(), out)
    }),
    ("comparison-weighted.csv", |out| {
        cx_report::write_comparison_csv(&fixture::weighted_comparison(), out)
    }),
    ("comparison-weighted.json", |out| {
        cx_report::write_comparison_json(&fixture::weighted_comparison(), out)
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

/// The comparison's and the driver analysis's JSON have exactly the fields
/// their schemas (`cx.comparison/1`, `cx.drivers/1`) list, at the top and
/// in each entry.
#[test]
fn research_json_has_exactly_the_schema_fields() {
    fn keys(value: &serde_json::Value) -> BTreeSet<&str> {
        value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect()
    }
    let set =
        |names: &[&'static str]| -> BTreeSet<&'static str> { names.iter().copied().collect() };
    let mut out = Vec::new();
    cx_report::write_comparison_json(&fixture::comparison(), &mut out).unwrap();
    let comparison: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(comparison["schema"], cx_report::COMPARISON_SCHEMA);
    assert_eq!(
        keys(&comparison),
        set(&[
            "schema",
            "cells",
            "target",
            "respondents",
            "resamples",
            "resamples_skipped",
            "seed",
            "variants",
            "pairs"
        ])
    );
    assert_eq!(
        keys(&comparison["variants"][0]),
        set(&[
            "name",
            "policy",
            "aggregation",
            "expectations",
            "lights",
            "impacts",
            "ranks",
            "scored",
            "note",
            "auc",
            "auc_ci",
            "point_biserial",
            "spearman"
        ])
    );
    assert_eq!(
        keys(&comparison["pairs"][0]),
        set(&[
            "a",
            "b",
            "lights",
            "rank_correlation",
            "respondents",
            "auc_difference",
            "auc_difference_ci",
            "same_lights_by_construction",
            "same_scores_by_construction"
        ])
    );

    // Weighted, the fields added within version 1, and only those.
    let mut out = Vec::new();
    cx_report::write_comparison_json(&fixture::weighted_comparison(), &mut out).unwrap();
    let weighted: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let added = |value: &serde_json::Value, plain: &serde_json::Value| -> BTreeSet<String> {
        let plain = keys(plain);
        keys(value)
            .into_iter()
            .filter(|key| !plain.contains(key))
            .map(str::to_owned)
            .collect()
    };
    let owned = |names: &[&str]| -> BTreeSet<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    };
    assert_eq!(
        added(&weighted, &comparison),
        owned(&["weighted", "respondents_weighted"])
    );
    assert_eq!(weighted["weighted"], true);
    assert_eq!(
        added(&weighted["variants"][0], &comparison["variants"][0]),
        owned(&["scored_weighted"])
    );
    assert_eq!(
        added(&weighted["pairs"][0], &comparison["pairs"][0]),
        owned(&["respondents_weighted"])
    );
    assert_eq!(
        keys(&weighted["respondents_weighted"]),
        set(&["weight", "effective_n"])
    );

    let mut out = Vec::new();
    cx_report::write_drivers_json(&fixture::driver_analysis(), &mut out).unwrap();
    let drivers: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(drivers["schema"], cx_report::DRIVERS_SCHEMA);
    assert_eq!(
        keys(&drivers),
        set(&[
            "schema",
            "target",
            "respondents",
            "missing",
            "weight_respondents",
            "min_sample",
            "r_squared",
            "conditioning",
            "weights_withheld",
            "resamples",
            "seed",
            "confidence",
            "drivers"
        ])
    );
    assert_eq!(
        keys(&drivers["drivers"][0]),
        set(&[
            "id",
            "name",
            "n",
            "below_min_sample",
            "pearson",
            "spearman",
            "relative_weight",
            "relative_weight_ci",
            "raw_weight_vs_random_ci",
            "significant",
            "mean_reality",
            "performance",
            "quadrant",
            "moment_of_truth",
            "unmarked_moment_of_truth"
        ])
    );
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
        cx_report::write_summary_csv(&card, Full),
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

/// The small-sample edge cases, in every format a scorecard is written in:
/// one respondent who said yes three times and is a promoter (inconclusive,
/// and an NPS interval far from certain), five passives (an NPS interval,
/// not "0 ± 0"), and a group with observations but no outcomes (no data).
#[test]
fn small_groups_are_reported_honestly_in_every_format() {
    use cx_model::{Answer, LoyaltyQuestion, Observation, Outcome};
    use cx_score::{Dimension, ScoreConfig, ScorecardAccumulator};

    let mut scorer = ScorecardAccumulator::new(fixture::journey(), ScoreConfig::default())
        .unwrap()
        .breakdown_by(Dimension::Segment);
    let touchpoint = fixture::journey().touchpoints().next().unwrap().id.clone();
    let yes_three_times = LoyaltyQuestion::ALL.into_iter().fold(
        Outcome::new("one").with_segment("one"),
        |outcome, question| outcome.with_answer(question, Answer::Yes),
    );
    scorer
        .try_push_outcome(&yes_three_times.with_likelihood_to_recommend(10.0))
        .unwrap();
    for respondent in ["p1", "p2", "p3", "p4", "p5"] {
        let passive = Outcome::new(respondent)
            .with_segment("passives")
            .with_likelihood_to_recommend(8.0);
        scorer.try_push_outcome(&passive).unwrap();
    }
    let quiet = Observation::new("q", &touchpoint, 4.0)
        .with_expectation(4.0)
        .with_segment("quiet");
    scorer.try_push(&quiet).unwrap();
    let card = scorer.finish();

    // Adjusted Wald by hand: one promoter is p = 2/4, d = 1/4, centre 25,
    // SE = 100 √((3/4 - 1/16) / 4) = 41.458, ± 1.95996 SE = [-56.3, 106.3]
    // clipped to 100; five passives are p = d = 1/8, SE = 100 √(1/4 / 8) =
    // 17.678, ± 34.6.
    let table = {
        let mut out = Vec::new();
        cx_report::write_table(&card, &TableOptions::default(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let markdown = {
        let mut out = Vec::new();
        cx_report::write_markdown(&card, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    for text in [&table, &markdown] {
        assert!(
            text.contains("+100.0 [-56.3, +100.0] adjusted Wald"),
            "{text}"
        );
        assert!(text.contains("+0.0 [-34.6, +34.6] adjusted Wald"), "{text}");
        assert!(text.contains("inconclusive"), "{text}");
        assert!(text.contains("no data"), "{text}");
        assert!(!text.contains("± 0"), "{text}");
    }

    let json: serde_json::Value = {
        let mut out = Vec::new();
        cx_report::write_json(&card, &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    };
    let group = |key: &str| {
        json["breakdowns"][0]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|group| group["key"] == key)
            .unwrap()["score"]
            .clone()
    };
    assert_eq!(group("one")["loyalty"]["verdict"], "inconclusive");
    assert_eq!(group("one")["loyalty"]["point_rule_on_track"], true);
    assert_eq!(group("quiet")["loyalty"]["verdict"], "no_data");
    let one_nps = &group("one")["nps"]["ci"];
    assert!((one_nps["lower"].as_f64().unwrap() + 56.2558).abs() < 1e-3);
    assert_eq!(one_nps["upper"], 100.0);
    let passives = &group("passives")["nps"]["ci"];
    assert!((passives["upper"].as_f64().unwrap() - 34.6474).abs() < 1e-3);

    let mut out = Vec::new();
    cx_report::write_summary_csv(&card, &mut out).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let column = |name: &str| {
        cx_report::SUMMARY_CSV_COLUMNS
            .iter()
            .position(|c| *c == name)
            .unwrap()
    };
    let row = |key: &str| rows.iter().find(|row| &row[1] == key).unwrap();
    assert_eq!(&row("one")[column("loyalty_verdict")], "inconclusive");
    assert_eq!(
        &row("one")[column("would_recommend_verdict")],
        "inconclusive"
    );
    assert_eq!(&row("quiet")[column("loyalty_verdict")], "no data");
    assert_eq!(&row("one")[column("nps_ci_upper")], "100");
    let lower: f64 = row("one")[column("nps_ci_lower")].parse().unwrap();
    assert!((lower + 56.2558).abs() < 1e-3);
    assert_eq!(&row("passives")[column("nps_interval")], "adjusted Wald");
    assert_ne!(&row("passives")[column("nps_ci_upper")], "0");
}
