//! `cx compare --weight`: a small weighted survey against the values that
//! cx-score's `tests/reference/weighted_compare.py` computes with NumPy,
//! SciPy and scikit-learn, in JSON, the table and CSV; without `--weight`,
//! the same file compares unweighted.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;

mod common;
use common::{cx, number};

/// One respondent: weight, segment, expectations met, then the reality
/// and own expectation at t1, t2 and t3 (0: not rated, or no own
/// expectation).
type Row = (f64, &'static str, bool, [(u8, u8); 3]);

/// The data set of `weighted_compare.py`.
const ROWS: [Row; 22] = [
    (1.5, "a", true, [(4, 0), (5, 4), (3, 3)]),
    (0.5, "a", false, [(4, 3), (3, 0), (0, 0)]),
    (2.0, "a", true, [(3, 0), (4, 4), (4, 2)]),
    (3.0, "b", false, [(1, 0), (2, 4), (2, 3)]),
    (0.25, "b", true, [(5, 3), (0, 0), (4, 4)]),
    (1.25, "a", false, [(4, 0), (3, 5), (1, 3)]),
    (0.75, "b", true, [(4, 4), (2, 0), (5, 4)]),
    (1.0, "b", false, [(3, 4), (2, 0), (0, 0)]),
    (2.5, "a", true, [(5, 0), (4, 3), (3, 0)]),
    (0.25, "b", false, [(1, 3), (2, 4), (2, 2)]),
    (1.75, "a", true, [(4, 3), (0, 0), (4, 3)]),
    (0.5, "b", true, [(3, 0), (2, 0), (4, 5)]),
    (1.0, "a", false, [(5, 4), (3, 3), (2, 4)]),
    (4.0, "b", true, [(4, 0), (4, 5), (3, 2)]),
    (0.25, "a", false, [(4, 3), (2, 4), (0, 0)]),
    (1.5, "b", true, [(2, 0), (1, 0), (3, 4)]),
    (0.5, "a", true, [(0, 0), (5, 4), (5, 3)]),
    (2.25, "b", false, [(3, 2), (2, 0), (4, 4)]),
    (4.0, "c", true, [(4, 0), (3, 3), (4, 4)]),
    (0.25, "c", false, [(2, 0), (2, 0), (2, 3)]),
    (0.25, "c", true, [(3, 2), (4, 0), (5, 4)]),
    (0.25, "c", false, [(1, 0), (3, 4), (3, 3)]),
];

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The journey (t1 target 3, t2 target 4, t3 none) and the survey as a
/// long CSV file with a weight column, in a directory of their own for
/// the test `name` (tests run at the same time).
fn files(name: &str) -> (PathBuf, PathBuf) {
    let dir =
        std::env::temp_dir().join(format!("cx-weighted-compare-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut toml =
        "name = \"Reference\"\n[scale]\nmin = 1\nmax = 5\n[[stages]]\nname = \"All\"\n".to_owned();
    for (id, target) in [("t1", Some(3)), ("t2", Some(4)), ("t3", None)] {
        toml.push_str(&format!(
            "[[stages.touchpoints]]\nid = \"{id}\"\nname = \"{}\"\nchannel = \"web\"\n",
            id.to_uppercase()
        ));
        if let Some(target) = target {
            toml.push_str(&format!("target = {target}\n"));
        }
    }
    let mut csv =
        "respondent_id,touchpoint,reality,expectation,segment,expectations_met,weight\n".to_owned();
    for (r, (weight, segment, yes, ratings)) in ROWS.iter().enumerate() {
        for (id, (reality, expectation)) in ["t1", "t2", "t3"].iter().zip(ratings) {
            if *reality == 0 {
                continue;
            }
            let expectation = if *expectation == 0 {
                String::new()
            } else {
                expectation.to_string()
            };
            let yes = if *yes { "yes" } else { "no" };
            csv.push_str(&format!(
                "r{r},{id},{reality},{expectation},{segment},{yes},{weight}\n"
            ));
        }
    }
    let (journey, responses) = (dir.join("reference.toml"), dir.join("reference.csv"));
    std::fs::write(&journey, toml).unwrap();
    std::fs::write(&responses, csv).unwrap();
    (responses, journey)
}

/// `cx compare` of the four variants by segment with a minimum sample of
/// 4, with `extra` arguments, on the files of the test `name`.
fn run(name: &str, extra: &[&str]) -> String {
    let (responses, journey) = files(name);
    let args = [
        "compare",
        responses.to_str().unwrap(),
        "--journey",
        journey.to_str().unwrap(),
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
    let json: Value = serde_json::from_str(&run(
        "weighted",
        &[&weighted[..], &["--format", "json"]].concat(),
    ))
    .unwrap();
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

    let table = run("weighted", &weighted);
    assert!(
        table.contains("weighted by respondent (n_eff 12.6 of 22 respondents)"),
        "{table}"
    );
    assert!(
        table.contains("\n  default             22    12.6  0.9143 "),
        "{table}"
    );
    let csv = run("weighted", &[&weighted[..], &["--format", "csv"]].concat());
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
    let json: Value = serde_json::from_str(&run("unweighted", &["--format", "json"])).unwrap();
    // No weighted fields; scikit-learn's unweighted roc_auc_score: 0.8625.
    assert!(json.get("weighted").is_none() && json.get("respondents_weighted").is_none());
    let default = &json["variants"][0];
    assert!(default.get("scored_weighted").is_none());
    close(&default["auc"], 0.8625);
    // Counted, segment c's four respondents reach the minimum of 4.
    let lights = default["lights"].as_array().unwrap();
    assert!(lights[9..].iter().all(|l| !l.is_null()), "{lights:?}");
    let table = run("unweighted", &[]);
    assert!(!table.contains("n_eff"), "{table}");
}
