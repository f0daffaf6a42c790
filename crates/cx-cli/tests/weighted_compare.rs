//! `cx compare --weight`: a small weighted survey against the values that
//! cx-score's `tests/reference/weighted_compare.py` computes with NumPy,
//! SciPy and scikit-learn, in JSON, the table and CSV; without `--weight`,
//! the same file compares unweighted.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;

mod common;
use common::{cx, number, stdout};

/// The data set of `weighted_compare.py`, which it reads too: 22
/// respondents with a weight, a segment and whether expectations were
/// met, rated at t1, t2 and t3 (relative to [`common::root`], where `cx`
/// runs).
const RESPONSES: &str = "crates/cx-score/tests/reference/weighted_compare.csv";
/// Its journey: t1 target 3, t2 target 4, t3 none.
const JOURNEY: &str = "crates/cx-score/tests/reference/weighted_compare.toml";

/// `cx compare` of the four variants by segment with a minimum sample of
/// 4, with `extra` arguments, on the reference survey.
fn run(extra: &[&str]) -> String {
    let args = [
        "compare",
        RESPONSES,
        "--journey",
        JOURNEY,
        "--variants",
        "default,share,cautious,weakest_link",
        "--by",
        "segment",
        "--min-sample",
        "4",
        "--bootstrap",
        "50",
    ];
    let output = cx(&[&args[..], extra].concat());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout(&output)
}

fn close(value: &Value, expected: f64) {
    assert!(
        (number(value) - expected).abs() < 1e-12,
        "{value} vs {expected}"
    );
}

#[test]
fn weighted_compare_against_the_reference_values() {
    let weighted = ["--weight", "weight"];
    // References: weighted_compare.py (scikit-learn's roc_auc_score with
    // sample weights, NumPy's weighted Pearson, SciPy's spearmanr of the
    // repeated sample, scikit-learn's cohen_kappa_score of the weighted
    // scorecard's lights).
    let json: Value =
        serde_json::from_str(&run(&[&weighted[..], &["--format", "json"]].concat())).unwrap();
    assert_eq!(json["schema"], "cx.comparison/1");
    assert_eq!(json["weighted"], true);
    assert_eq!(json["respondents"], 22);
    close(&json["respondents_weighted"]["weight"], 29.5);
    close(
        &json["respondents_weighted"]["effective_n"],
        12.589_511_754_068_717,
    );
    let variant = |name: &str| {
        json["variants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .unwrap()
            .clone()
    };
    let (mean, weakest) = (variant("default"), variant("weakest_link"));
    close(&mean["auc"], 0.914_262_820_512_820_5);
    close(&mean["point_biserial"], 0.673_140_821_100_322_3);
    close(&mean["spearman"], 0.689_641_339_050_016_2);
    close(&weakest["auc"], 0.884_294_871_794_871_7);
    close(&weakest["spearman"], 0.655_630_404_123_545_1);
    close(
        &mean["scored_weighted"]["effective_n"],
        12.589_511_754_068_717,
    );
    // Segment c's cells (the last three) weigh n_eff 1.39 < 4: unlit.
    let lights: Vec<&str> = mean["lights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        lights,
        [
            "green", "yellow", "green", "green", "green", "green", "yellow", "red", "yellow", "-",
            "-", "-"
        ]
    );
    let pair = |a: &str, b: &str| {
        json["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["a"] == a && p["b"] == b)
            .unwrap()
            .clone()
    };
    let agreement = pair("default", "share");
    assert_eq!(agreement["lights"]["n"], 9);
    close(&agreement["lights"]["kappa"], -0.05);
    close(&agreement["lights"]["weighted_kappa"], 2.0 / 9.0);
    close(&pair("share", "cautious")["lights"]["kappa"], 0.25);
    let difference = pair("default", "weakest_link");
    close(&difference["auc_difference"], 0.029_967_948_717_948_834);
    close(
        &difference["respondents_weighted"]["effective_n"],
        12.589_511_754_068_717,
    );

    let table = run(&weighted);
    assert!(
        table.contains("weighted by respondent (n_eff 12.6 of 22 respondents)"),
        "{table}"
    );
    assert!(
        table.contains("\n  default             22    12.6  0.9143 "),
        "{table}"
    );
    let csv = run(&[&weighted[..], &["--format", "csv"]].concat());
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with(",note,respondents_n_eff,respondents_weight_sum"),
        "{csv}"
    );
    let first = lines.next().unwrap();
    assert!(
        first.starts_with("variant,default,,22,0.914262820512820") && first.ends_with(",29.5"),
        "{csv}"
    );
}

#[test]
fn without_weight_the_same_file_compares_unweighted() {
    let json: Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    // No weighted fields; scikit-learn's unweighted roc_auc_score: 0.8625.
    assert!(json.get("weighted").is_none() && json.get("respondents_weighted").is_none());
    let default = &json["variants"][0];
    assert!(default.get("scored_weighted").is_none());
    close(&default["auc"], 0.8625);
    // Counted, segment c's four respondents reach the minimum of 4.
    let lights = default["lights"].as_array().unwrap();
    assert!(lights[9..].iter().all(|l| !l.is_null()), "{lights:?}");
    let table = run(&[]);
    assert!(!table.contains("n_eff"), "{table}");
}
