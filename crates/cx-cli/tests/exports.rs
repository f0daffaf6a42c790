//! The example survey exports of examples/exports score exactly as their
//! plain equivalent: every figure of the scorecard, broken down by region
//! and by month, and every line of `cx validate` but the one naming the
//! export. Their observations are compared one by one in cx-io's
//! tests/exports.rs; this is the command line's view.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{cx, stderr, stdout_of_success};

const EXPORTS: [(&str, &str); 5] = [
    ("qualtrics", "Qualtrics export (3 header rows)"),
    ("surveymonkey", "SurveyMonkey export (2 header rows)"),
    ("google_forms", "Google Forms export (1 header row)"),
    ("limesurvey", "LimeSurvey export (1 header row)"),
    ("typeform", "Typeform export (1 header row)"),
];

fn score(name: &str) -> (String, String) {
    let survey = format!("examples/exports/{name}.csv");
    let journey = format!("examples/exports/{name}.toml");
    let output = cx(&[
        "score",
        &survey,
        "--journey",
        &journey,
        "--by",
        "segment",
        "--by",
        "month",
        "--format",
        "json",
    ]);
    (stdout_of_success(&output), stderr(&output))
}

#[test]
fn every_export_scores_as_its_plain_equivalent() {
    let (plain, said) = score("plain");
    assert_eq!(said, "");
    let scorecard: serde_json::Value = serde_json::from_str(&plain).unwrap();
    // 12 months of 2012 and 4 regions, each a breakdown group.
    let groups = |by: &str| {
        let breakdowns = scorecard["breakdowns"].as_array().unwrap();
        let breakdown = breakdowns.iter().find(|b| b["dimension"] == by).unwrap();
        breakdown["groups"].as_array().unwrap().len()
    };
    assert_eq!((groups("month"), groups("segment")), (12, 4), "{plain}");
    // The NPS counted straight from the shared dataset's REC column
    // (promoters 9 and 10, detractors 0 to 6), not through cx.
    let source =
        std::fs::read_to_string(common::root().join("../shared/data/nps_package_testdata.csv"))
            .unwrap();
    let scores: Vec<u32> = source
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap().parse().unwrap())
        .collect();
    let promoters = scores.iter().filter(|&&s| s >= 9).count();
    let detractors = scores.iter().filter(|&&s| s <= 6).count();
    let nps = &scorecard["overall"]["nps"];
    assert_eq!(
        (nps["promoters"].as_u64(), nps["detractors"].as_u64()),
        (Some(promoters as u64), Some(detractors as u64))
    );
    assert_eq!(
        nps["nps"].as_f64(),
        Some(100.0 * (promoters as f64 - detractors as f64) / scores.len() as f64)
    );
    for (name, export) in EXPORTS {
        let (ours, said) = score(name);
        assert_eq!(
            said,
            format!("cx: examples/exports/{name}.csv: read as a {export}\n"),
            "{name}"
        );
        assert_eq!(ours, plain, "{name}");
    }
}

#[test]
fn validate_names_the_export() {
    let output = cx(&[
        "validate",
        "examples/exports/qualtrics.csv",
        "--journey",
        "examples/exports/qualtrics.toml",
    ]);
    let said = stdout_of_success(&output);
    assert!(
        said.contains("read as a Qualtrics export (3 header rows)\n"),
        "{said}"
    );
    assert!(
        said.contains("records read 1000 = accepted 1000 + rejected 0"),
        "{said}"
    );
}
