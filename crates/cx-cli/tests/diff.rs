//! `cx diff` on the bundled sample, against figures computed without cx:
//! every reference value below is printed by `tests/diff_reference.py`
//! (pandas 2, SciPy 1.17.1, statsmodels 0.15.0 on the same CSV).
//!
//! A file of its own rather than more of `cli.rs`, which other work on
//! the commands is changing at the same time.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Output;

use serde_json::Value;

mod common;
use common::{SAMPLE, SAMPLE_JOURNEY, cx, stdout_of_success};

fn diff(extra: &[&str]) -> Output {
    let mut args = vec!["diff", SAMPLE, "--journey", SAMPLE_JOURNEY];
    args.extend_from_slice(extra);
    cx(&args)
}

/// `actual` within a relative 1e-9 of `expected`.
fn close(actual: &Value, expected: f64, what: &str) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {actual}"));
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1e-300),
        "{what}: {actual} against {expected}"
    );
}

/// The test of `measure` (at `touchpoint`, if any) in a JSON comparison.
fn test<'a>(pair: &'a Value, touchpoint: Option<&str>, measure: &str) -> &'a Value {
    pair["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["measure"] == measure && t["touchpoint"].as_str() == touchpoint)
        .unwrap_or_else(|| panic!("no {measure} test at {touchpoint:?}"))
}

#[test]
fn each_month_against_the_one_before_matches_independent_figures() {
    let json: Value = serde_json::from_str(&stdout_of_success(&diff(&[
        "--by", "month", "--format", "json",
    ])))
    .unwrap();
    assert_eq!(json["schema"], "cx.changes/1");
    assert_eq!(json["dimension"], "month");
    assert_eq!(json["pairs"], "previous");
    assert_eq!(json["adjustment"], "holm");
    // diff_reference.py: "each month against the one before: 215 tests".
    assert_eq!(json["tests"], 215);
    let pairs: Vec<(&str, &str)> = json["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["before"].as_str().unwrap(), p["after"].as_str().unwrap()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("2024-01", "2024-02"),
            ("2024-02", "2024-03"),
            ("2024-03", "2024-04"),
            ("2024-04", "2024-05"),
            ("2024-05", "2024-06"),
            ("2024-06", "2024-07"),
        ]
    );
    let january = &json["comparisons"][0];

    // NPS, adjusted Wald written out in diff_reference.py.
    let nps = &test(january, None, "nps")["result"];
    assert_eq!(nps["test"], "nps");
    close(&nps["difference"], 19.885398981324276, "NPS change");
    close(&nps["ci"]["lower"], 4.6531691456368645, "NPS lower");
    close(&nps["ci"]["upper"], 33.914267989237416, "NPS upper");
    close(&nps["p_value"], 0.009785445696510386, "NPS p");

    // Shop window's mean gap: scipy.stats.ttest_ind(feb, jan, equal_var=False).
    let gap = &test(january, Some("shop_window"), "mean_gap")["result"];
    close(&gap["difference"], 0.21057731538147695, "gap change");
    close(&gap["t"], 1.6151477765052902, "t");
    close(&gap["df"], 278.27156814289435, "df");
    close(&gap["p_value"], 0.10741191154062203, "gap p");
    close(&gap["ci"]["lower"], -0.0460721608631004, "gap lower");
    close(&gap["ci"]["upper"], 0.4672267916260543, "gap upper");

    // Agresti-Caffo for a loyalty share and a touchpoint's CSAT.
    let met = &test(january, None, "expectations_met")["result"];
    close(&met["difference"], 0.1468590831918506, "loyalty change");
    close(&met["p_value"], 0.013117084819028896, "loyalty p");
    let csat = &test(january, Some("website"), "csat")["result"];
    close(&csat["ci"]["lower"], 0.002521427429731271, "CSAT lower");
    close(&csat["ci"]["upper"], 0.24058282689471933, "CSAT upper");

    // The whole journey's pooled gaps, by respondent: statsmodels'
    // cluster-robust standard error per month, Welch-Satterthwaite on
    // G - 1, 129 respondents in January and 157 in February.
    let journey = test(january, None, "journey_mean_gap");
    assert_eq!(
        (&journey["n_before"], &journey["n_after"]),
        (&129.into(), &157.into())
    );
    let gap = &journey["result"];
    close(
        &gap["difference"],
        0.17537700547641608,
        "journey gap change",
    );
    close(&gap["t"], 3.0399490342527815, "journey t");
    close(&gap["df"], 275.8826372140257, "journey df");
    close(&gap["p_value"], 0.0025934455475674144, "journey p");
    close(&gap["ci"]["lower"], 0.06180695058821559, "journey lower");
    close(&gap["ci"]["upper"], 0.2889470603646166, "journey upper");

    // Holm over all 215: the only adjusted p-value below 0.05, the
    // journey's WOW share from January to February.
    let wow = test(january, None, "journey_wow_share");
    close(
        &wow["result"]["p_value"],
        0.0001823466990164635,
        "raw WOW p",
    );
    close(&wow["p_adjusted"], 0.039204540288539654, "Holm WOW p");
}

#[test]
fn two_named_months_adjusted_by_benjamini_hochberg() {
    let text = stdout_of_success(&diff(&[
        "--by",
        "month",
        "--compare",
        "2024-01,2024-02",
        "--adjust",
        "bh",
        "--format",
        "csv",
    ]));
    // No name in the sample has a comma or a quote, so a split reads it.
    let mut lines = text
        .lines()
        .map(|line| line.split(',').collect::<Vec<&str>>());
    let header = lines.next().unwrap();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<&str>> = lines.collect();
    let find = |touchpoint: &str, measure: &str| {
        rows.iter()
            .find(|r| r[column("touchpoint")] == touchpoint && r[column("measure")] == measure)
            .unwrap()
    };
    let number = |row: &[&str], name: &str| -> f64 { row[column(name)].parse().unwrap() };
    // diff_reference.py: "January against February: 38 tests", and
    // multipletests(method="fdr_bh") over them.
    let tested = rows
        .iter()
        .filter(|r| !r[column("p_value")].is_empty())
        .count();
    assert_eq!(tested, 38);
    assert!(rows.iter().all(|r| r[column("tests_adjusted")] == "38"));
    assert!(rows.iter().all(|r| r[column("adjustment")] == "bh"));
    for (touchpoint, measure, raw, bh) in [
        ("", "nps", 0.009785445696510386, 0.1239489788224649),
        ("website", "csat", 0.0453404820426073, 0.2153672897023847),
        (
            "support_chat",
            "mean_gap",
            0.04165026970512858,
            0.2153672897023847,
        ),
        (
            "cashier",
            "met_share",
            0.3857826112795837,
            0.5474887292804944,
        ),
    ] {
        let row = find(touchpoint, measure);
        let (p, q) = (number(row, "p_value"), number(row, "p_adjusted"));
        assert!((p - raw).abs() < 1e-9 * raw, "{measure}: {p} vs {raw}");
        assert!((q - bh).abs() < 1e-9 * bh, "{measure}: {q} vs {bh}");
    }
    // The NPS row carries its split: promoters +3.6, detractors -16.3 points.
    let nps = find("", "nps");
    let (promoters, detractors) = (
        number(nps, "promoter_share_change"),
        number(nps, "detractor_share_change"),
    );
    let difference = number(nps, "difference");
    assert!((100.0 * (promoters - detractors) - difference).abs() < 1e-9);
    assert!(detractors < -0.16 && promoters > 0.03);
}

#[test]
fn table_and_markdown_say_what_was_compared() {
    let table = stdout_of_success(&diff(&["--by", "month"]));
    assert!(table.starts_with(
        "Retail purchase: change by month, each month against the one before: 6 pairs compared, 215 tests with a p-value, adjusted together by Holm (family-wise error rate).\n"
    ));
    assert!(table.contains("\n2024-01 -> 2024-02\n"));
    assert!(table.contains(
        "\n  NPS                                124/152  -50.8  -30.9  +19.9 [+4.7, +33.9] "
    ));
    assert!(table.contains(
        "\n  Journey: WOW share (by respondent) 129/157  22.7%  30.7%  +8.0 pts [+3.8, +12.1]     0.0002   0.0392 d +0.18 *\n"
    ));
    assert!(table.contains("    of which detractors "));
    assert!(table.contains(" 56.5%  40.1%  -16.3 pts [-27.7, -4.5] "));

    let markdown = stdout_of_success(&diff(&[
        "--by",
        "month",
        "--compare",
        "2024-01,2024-06",
        "--format",
        "markdown",
    ]));
    assert!(markdown.starts_with("# Retail purchase: change by month\n"));
    assert!(markdown.contains("the pairs named: 1 pair compared,"));
    assert!(markdown.contains("\n## 2024-01 → 2024-06\n"));
}

#[test]
fn bad_requests_are_usage_errors() {
    let output = diff(&["--by", "segment"]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("--compare previous needs a period"),
        "{message}"
    );

    let output = diff(&["--by", "month", "--compare", "2024-13,2024-01"]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message
            .contains("the breakdown by month has no group \"2024-13\"; it has: 2024-01, 2024-02,"),
        "{message}"
    );

    let output = diff(&["--by", "month", "--compare", "2024-01"]);
    assert_eq!(output.status.code(), Some(2));

    let output = diff(&["--by", "stage"]);
    assert_eq!(output.status.code(), Some(2));
}
