//! The real `cx` binary: every command, every exit code, bad input, and the
//! two real surveys in ../shared/data against independently computed figures.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use serde_json::Value;

mod common;
use common::{SAMPLE, SAMPLE_JOURNEY, cx, number, root, stderr, stdout, temp_dir};

fn shared_data(name: &str) -> PathBuf {
    root().join("../shared/data").join(name)
}

#[test]
fn score_prints_the_table_by_default() {
    let output = cx(&["score", SAMPLE, "--journey", SAMPLE_JOURNEY]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("Retail purchase  (policy default; 4815 observations, 800 outcomes;"));
    for name in ["Shop window", "Cashier", "Delivery", "Returns"] {
        assert!(text.contains(name), "{name}");
    }
    // Letters, not colour, when not on a terminal; markers for first and last contact.
    assert!(text.contains("  G Shop window"));
    assert!(text.contains("  R Returns"));
    assert!(!text.contains('\x1b'));
    assert!(text.contains("first"));
    assert!(text.contains("Were your expectations met?"));
    // 86 promoters, 365 detractors of 800; adjusted Wald by hand: p' = 87/803,
    // d' = 366/803, NPS' = -34.745, SE' = 2.3499, ± 1.96 · SE' = [-39.35, -30.14].
    assert!(text.contains("NPS -34.9 [-39.4, -30.1] adjusted Wald"));
    assert!(text.contains("loyalty (800 respondents"));
    assert!(text.contains("): off track; point rule (every share > 90%): not met"));
    assert!(text.contains("opportunities for improvement"));
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn score_formats_and_breakdowns() {
    let output = cx(&[
        "score",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--format",
        "json",
        "--by",
        "segment",
        "--by",
        "month",
        "--policy",
        "cautious",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["schema"], "cx.scorecard/2");
    assert_eq!(json["policy"], "cautious");
    assert_eq!(json["breakdowns"][0]["dimension"], "segment");
    assert_eq!(json["breakdowns"][1]["dimension"], "month");
    assert_eq!(json["breakdowns"][1]["groups"][0]["key"], "2024-01");

    let output = cx(&[
        "score",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--format",
        "csv",
    ]);
    let text = stdout(&output);
    assert!(text.starts_with("breakdown,group,index,touchpoint,"));
    assert_eq!(text.lines().count(), 11);

    // One row per group: the whole sample and its three segments, with the
    // same 800 outcomes, 4,611 gaps and NPS counts as the table above.
    let output = cx(&[
        "score",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--format",
        "csv",
        "--csv-rows",
        "groups",
        "--by",
        "segment",
    ]);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5);
    assert!(lines[0].starts_with("breakdown,group,outcomes,journey_gaps,journey_respondents,"));
    assert!(lines[1].starts_with("overall,,800,4611,800,yellow,false,"));
    assert!(lines[1].contains(",800,86,349,365,-34.875,"));
    assert!(lines[2].starts_with("segment,business,262,"));

    let output = cx(&[
        "score",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--csv-rows",
        "groups",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--csv-rows applies to CSV output only"));

    let output = cx(&[
        "score",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--format",
        "markdown",
        "--by",
        "stage",
    ]);
    assert!(stdout(&output).starts_with("# Retail purchase\n"));

    let output = cx(&[
        "score",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--by",
        "stage",
        "--by",
        "channel",
    ]);
    let text = stdout(&output);
    assert!(
        text.contains("  stages (intervals by respondent, who answer at several touchpoints)\n")
    );
    // Discover pools 1,888 observations of all 800 respondents.
    assert!(
        text.contains("Discover                 n    1888 of    800  gap -0.09 [-0.14, -0.04]")
    );
    assert!(text.contains("channel = delivery"));
}

#[test]
fn score_writes_to_a_file_in_the_format_its_extension_names() {
    let dir = temp_dir("output");
    let path = dir.join("card.json");
    let output = cx(&[
        "score",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).is_empty());
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(json["schema"], "cx.scorecard/2");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["score", SAMPLE],
        vec![
            "score",
            SAMPLE,
            "--journey",
            SAMPLE_JOURNEY,
            "--policy",
            "lenient",
        ],
        vec!["frobnicate"],
        vec![],
    ] {
        let output = cx(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&output).is_empty());
    }
    let help = cx(&["score", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("Examples:"));
    assert_eq!(cx(&["--version"]).status.code(), Some(0));
}

#[test]
fn data_problems_exit_1_with_one_clear_line() {
    let output = cx(&["score", "no/such.csv", "--journey", SAMPLE_JOURNEY]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.starts_with("cx: no/such.csv: cannot open: "),
        "{message}"
    );
    assert_eq!(message.lines().count(), 1);

    let output = cx(&["score", SAMPLE, "--journey", "no/such.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("cx: no/such.toml: "));
}

fn bad_file() -> PathBuf {
    let dir = temp_dir("bad");
    let path = dir.join("bad.csv");
    std::fs::write(
        &path,
        "respondent_id,touchpoint,reality,expectation\nr1,cashier,4,3\nr2,cashier,seven,3\nr3,moon,3,3\nr4,delivery,2,4\n",
    )
    .unwrap();
    path
}

#[test]
fn strict_stops_at_the_first_bad_record() {
    let path = bad_file();
    let output = cx(&[
        "score",
        path.to_str().unwrap(),
        "--journey",
        SAMPLE_JOURNEY,
        "--strict",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.ends_with(":3: column \"reality\": \"seven\" is not a number on scale 1..=5\n"),
        "{message}"
    );
    // Lenient (the default) scores the rest and says what it skipped, as
    // long as no more are rejected than --max-rejected allows.
    let output = cx(&[
        "score",
        path.to_str().unwrap(),
        "--journey",
        SAMPLE_JOURNEY,
        "--max-rejected",
        "2",
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("2 of 4 records rejected"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).contains("2 observations"));
    // Half the file is more than the default 5%: exit 1, no scorecard.
    let output = cx(&["score", path.to_str().unwrap(), "--journey", SAMPLE_JOURNEY]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    let message = stderr(&output);
    assert!(
        message.contains(
            "bad.csv: 2 of 4 records rejected, more than --max-rejected 5% allows; most often "
        ),
        "{message}"
    );
}

#[test]
fn validate_reconciles_and_fails_on_rejections() {
    let output = cx(&["validate", SAMPLE, "--journey", SAMPLE_JOURNEY]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("records read 4815 = accepted 4815 + rejected 0"));

    let path = bad_file();
    let output = cx(&[
        "validate",
        path.to_str().unwrap(),
        "--journey",
        SAMPLE_JOURNEY,
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("records read 4 = accepted 2 + rejected 2"),
        "{text}"
    );
    assert!(text.contains("rejected, not_a_number: 1"));
    assert!(text.contains("rejected, unknown_touchpoint: 1"));
    assert!(text.contains(
        ":4: column \"touchpoint\": \"moon\" is not a touchpoint of journey \"Retail purchase\""
    ));
}

#[test]
fn sample_writes_files_that_score() {
    let dir = temp_dir("sample");
    let output = cx(&[
        "sample",
        "--output",
        dir.to_str().unwrap(),
        "--respondents",
        "40",
        "--seed",
        "9",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("40 respondents, seed 9"));
    let responses = dir.join("retail_responses.csv");
    let journey = dir.join("retail.toml");
    let first = std::fs::read(&responses).unwrap();
    let output = cx(&[
        "validate",
        responses.to_str().unwrap(),
        "--journey",
        journey.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    // The same seed writes the same file.
    cx(&[
        "sample",
        "--output",
        dir.to_str().unwrap(),
        "--respondents",
        "40",
        "--seed",
        "9",
    ]);
    assert_eq!(std::fs::read(&responses).unwrap(), first);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn report_writes_a_self_contained_page() {
    let dir = temp_dir("report");
    let path = dir.join("report.html");
    let output = cx(&[
        "report",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"));
    for name in ["Shop window", "Advice in store", "Returns"] {
        assert!(html.contains(name), "{name}");
    }
    // Nothing is loaded from elsewhere, and no script runs.
    assert!(!html.contains("<script"));
    assert!(!html.contains("src="));
    // The only addresses are the SVG namespace names.
    let addresses = html.matches("http").count();
    let namespaces = html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(addresses, namespaces);
    std::fs::remove_dir_all(dir).unwrap();
}

// ---- real data ----------------------------------------------------------------

/// The JSON scorecard and the validate output of a real survey.
fn score_real(file: &str, journey: &str) -> (Value, String) {
    let data = shared_data(file);
    let output = cx(&[
        "score",
        data.to_str().unwrap(),
        "--journey",
        journey,
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let card: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let validate = cx(&["validate", data.to_str().unwrap(), "--journey", journey]);
    assert_eq!(validate.status.code(), Some(0), "{}", stdout(&validate));
    (card, stdout(&validate))
}

fn touchpoint<'a>(card: &'a Value, id: &str) -> &'a Value {
    card["overall"]["touchpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
}

/// Figures computed independently with Python's csv module straight from the
/// file (no cx code): for each rating column, the ratings other than 0 (not
/// applicable), their count, mean, and share >= 4 (the target, so gap >= 0).
#[test]
fn airline_survey_matches_independent_figures() {
    let (card, validate) = score_real(
        "airline_passenger_satisfaction.csv",
        "examples/journeys/airline.toml",
    );
    assert!(
        validate.contains("records read 129880 = accepted 129880 + rejected 0"),
        "{validate}"
    );
    let expected = [
        // (touchpoint, column, n, not applicable, mean, met share)
        (
            "boarding",
            "Online Boarding",
            126_800,
            3_080,
            3.331_640_378_5,
            0.508_580_441_6,
        ),
        (
            "gate",
            "Gate Location",
            129_879,
            1,
            2.976_947_774_5,
            0.368_612_323_8,
        ),
        (
            "wifi",
            "In-flight Wifi Service",
            125_964,
            3_916,
            2.813_526_086_8,
            0.310_652_249_8,
        ),
        (
            "baggage",
            "Baggage Handling",
            129_880,
            0,
            3.632_114_259_3,
            0.620_873_113_6,
        ),
    ];
    for (id, column, n, not_applicable, mean, met) in expected {
        let t = touchpoint(&card, id);
        let stats = &t["stats"];
        assert_eq!(stats["gap"]["n"], n, "{column}");
        assert_eq!(stats["not_applicable"], not_applicable, "{column}");
        assert!(
            (number(&stats["reality"]["mean"]) - mean).abs() < 1e-9,
            "{column}"
        );
        assert!(
            (number(&stats["gap"]["points"]["mean"]) - (mean - 4.0)).abs() < 1e-9,
            "{column}"
        );
        assert!(
            (number(&stats["gap"]["met"]["share"]) - met).abs() < 1e-9,
            "{column}"
        );
    }
    // SOURCES.md's oracle: 56,428 of 129,880 satisfied = 0.434463, Wilson 95% [0.431769, 0.437160].
    let met = &card["overall"]["loyalty"]["questions"][0]["yes"];
    assert_eq!(
        (met["count"].as_u64(), met["n"].as_u64()),
        (Some(56_428), Some(129_880))
    );
    assert!((number(&met["ci"]["lower"]) - 0.431_769).abs() < 1e-6);
    assert!((number(&met["ci"]["upper"]) - 0.437_160).abs() < 1e-6);
    // Every passenger is an outcome, and 14 ratings each are observations or counted n/a.
    assert_eq!(card["counts"]["outcomes"]["accepted"], 129_880);
    assert_eq!(card["counts"]["observations"]["accepted"], 129_880 * 14);
    // The journey's pooled gap by passenger, against statsmodels 0.15.0
    // (crates/cx-score/tests/reference/airline_clustered.py)
    // (`sm.OLS(rating - 4, 1).fit(cov_type="cluster", groups=ID)` over the
    // 1,798,186 applicable ratings melted from the 14 columns): the
    // clustered SE is 1.86 times the plain one (design effect 3.46).
    let journey = &card["overall"]["journey"];
    let clustered = &journey["by_respondent"]["gap"];
    assert_eq!(
        (clustered["n"].as_u64(), clustered["clusters"].as_u64()),
        (Some(1_798_186), Some(129_880))
    );
    let close =
        |value: &Value, expected: f64| ((number(value) - expected) / expected).abs() < 1e-12;
    assert!(
        close(&clustered["mean"], -0.722_440_837_599_617_6),
        "{clustered}"
    );
    assert!(
        close(&clustered["se"], 0.001_813_214_307_251_840_1),
        "{clustered}"
    );
    let met = &journey["by_respondent"]["met"];
    assert!(close(&met["mean"], 0.486_392_397_671_607_2), "{met}");
    assert!(close(&met["se"], 0.000_682_120_732_429_949_7), "{met}");
    let plain = number(&journey["stats"]["gap"]["points"]["se"]);
    let ratio = number(&clustered["se"]) / plain;
    assert!((ratio - 1.86).abs() < 0.005, "{ratio}");
}

/// Figures computed independently with Python's csv module: gap = sK - eK over
/// rows where both are present; NPS from `nps - 1` with the standard cut-offs
/// (SOURCES.md's R NPS package oracle: 238 promoters, 396 passives, 431
/// detractors, NPS -0.181221, SE 0.0236430); yes = 5..=7 on the 1..=7 items.
#[test]
fn oddjob_survey_matches_independent_figures() {
    let (card, validate) = score_real(
        "oddjob_airways_airlinesat.csv",
        "examples/journeys/oddjob.toml",
    );
    assert!(
        validate.contains("records read 1065 = accepted 1065 + rejected 0"),
        "{validate}"
    );
    assert!(validate.contains("empty cells 866"), "{validate}");
    let expected = [
        (
            "attribute_1",
            1038,
            -25.170_520_231_2,
            0.194_605_009_6,
            27.229_954_327_0,
        ),
        (
            "attribute_12",
            999,
            -8.798_798_798_8,
            0.380_380_380_4,
            20.873_619_104_2,
        ),
        (
            "attribute_23",
            1065,
            -27.898_591_549_3,
            0.148_356_807_5,
            27.304_655_609_2,
        ),
    ];
    for (id, n, mean_gap, met, sd) in expected {
        let gap = &touchpoint(&card, id)["stats"]["gap"];
        assert_eq!(gap["n"], n, "{id}");
        assert!(
            (number(&gap["points"]["mean"]) - mean_gap).abs() < 1e-9,
            "{id}"
        );
        assert!((number(&gap["points"]["sd"]) - sd).abs() < 1e-9, "{id}");
        assert!((number(&gap["met"]["share"]) - met).abs() < 1e-9, "{id}");
    }
    // Attribute 1: -25.17 on a 99-point span is -0.254 normalized, below -0.25: red.
    assert_eq!(touchpoint(&card, "attribute_1")["light"], "red");
    assert_eq!(touchpoint(&card, "attribute_12")["light"], "yellow");
    let nps = &card["overall"]["nps"];
    assert_eq!(
        (
            nps["promoters"].as_u64(),
            nps["passives"].as_u64(),
            nps["detractors"].as_u64()
        ),
        (Some(238), Some(396), Some(431))
    );
    assert!((number(&nps["nps"]) - -18.122_065_727_7).abs() < 1e-9);
    assert!((number(&nps["se"]) - 2.364_30).abs() < 1e-4);
    let questions = &card["overall"]["loyalty"]["questions"];
    for (index, yes) in [(0, 404), (1, 628), (2, 510)] {
        assert_eq!(questions[index]["yes"]["count"], yes);
        assert_eq!(questions[index]["yes"]["n"], 1065);
    }
}

#[test]
fn report_and_sample_fail_cleanly_on_bad_input() {
    let dir = temp_dir("failures");
    let page = dir.join("report.html");
    let output = cx(&[
        "report",
        "no/such.csv",
        "--journey",
        SAMPLE_JOURNEY,
        "--output",
        page.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("cx: no/such.csv: cannot open: "));
    assert!(!page.exists(), "no report is written from unreadable input");
    assert_eq!(
        cx(&["report", SAMPLE, "--journey", SAMPLE_JOURNEY])
            .status
            .code(),
        Some(2),
        "--output is required"
    );

    // A file where the folder should be.
    let blocker = dir.join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let output = cx(&[
        "sample",
        "--output",
        blocker.join("inside").to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("cannot create"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        cx(&[
            "sample",
            "--output",
            dir.to_str().unwrap(),
            "--respondents",
            "many"
        ])
        .status
        .code(),
        Some(2)
    );
    std::fs::remove_dir_all(dir).unwrap();
}

// ---- research commands ------------------------------------------------------

/// Reference values computed independently in Python (NumPy 2, SciPy 1.17.1,
/// scikit-learn 1.9.1) from the CSV: per passenger the normalized gaps
/// (rating - 4) / 4 over ratings other than 0, in journey order; the default
/// variant's score is their mean, weakest link their minimum, peak-end the
/// mean of the largest |gap| (earliest on a tie) and the last rated one;
/// sklearn.metrics.roc_auc_score and scipy.stats.pointbiserialr against
/// Satisfaction == "Satisfied".
#[test]
fn compare_on_the_airline_survey_matches_independent_figures() {
    let data = shared_data("airline_passenger_satisfaction.csv");
    let run = || {
        cx(&[
            "compare",
            data.to_str().unwrap(),
            "--journey",
            "examples/journeys/airline.toml",
            "--variants",
            "default,share,cautious,weakest_link,peak_end",
            "--format",
            "json",
            "--bootstrap",
            "20",
            "--seed",
            "3",
        ])
    };
    let output = run();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let result: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(result["respondents"], 129_880);
    let variant = |name: &str| {
        result["variants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .unwrap()
            .clone()
    };
    // The three policies share the weighted-mean aggregation, so their
    // journey scores, and AUCs, are the same; they differ in the lights.
    for (name, auc, point_biserial) in [
        ("default", 0.810_152_299_468_689_6, 0.527_624_100_835_372_6),
        ("share", 0.810_152_299_468_689_6, 0.527_624_100_835_372_6),
        ("cautious", 0.810_152_299_468_689_6, 0.527_624_100_835_372_6),
        (
            "weakest_link",
            0.657_941_539_639_350_4,
            0.326_012_017_100_631_93,
        ),
        ("peak_end", 0.706_769_154_227_014_9, 0.360_061_250_332_904_6),
    ] {
        let v = variant(name);
        assert!((number(&v["auc"]) - auc).abs() < 1e-9, "{name}");
        assert!(
            (number(&v["point_biserial"]) - point_biserial).abs() < 1e-9,
            "{name}"
        );
        let (lower, upper) = (number(&v["auc_ci"]["lower"]), number(&v["auc_ci"]["upper"]));
        assert!(lower < auc && auc < upper, "{name}: {lower}..{upper}");
    }
    // The share policy paints all 14 red; the default has 11 yellow, 3 red:
    // they agree on 3 of 14 and kappa is exactly 0 (all agreement is chance).
    let pair = &result["pairs"][0];
    assert_eq!(
        (pair["a"].as_str(), pair["b"].as_str()),
        (Some("default"), Some("share"))
    );
    assert!((number(&pair["lights"]["raw"]) - 3.0 / 14.0).abs() < 1e-12);
    assert!(number(&pair["lights"]["kappa"]).abs() < 1e-12);
    // Same seed, same numbers.
    let again = run();
    assert_eq!(stdout(&again), stdout(&output));
}

/// Reference values from NumPy: pairwise-complete correlations (ratings of 0
/// left out), Johnson's weights from numpy.linalg.eigh.
#[test]
fn drivers_on_the_airline_survey_match_independent_figures() {
    let data = shared_data("airline_passenger_satisfaction.csv");
    let output = cx(&[
        "drivers",
        data.to_str().unwrap(),
        "--journey",
        "examples/journeys/airline.toml",
        "--format",
        "json",
        "--bootstrap",
        "3",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let analysis: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!((number(&analysis["r_squared"]) - 0.464_775_582_535_259_63).abs() < 1e-9);
    let driver = |id: &str| {
        analysis["drivers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()
            .clone()
    };
    let boarding = driver("boarding");
    assert_eq!(boarding["n"], 126_800);
    assert!((number(&boarding["pearson"]) - 0.565_112_101_351_485_8).abs() < 1e-9);
    assert!((number(&boarding["spearman"]) - 0.589_782_435_063_951).abs() < 1e-9);
    assert!((number(&boarding["relative_weight"]) - 32.753_898_429_588_695).abs() < 1e-6);
    let wifi = driver("wifi");
    assert!((number(&wifi["relative_weight"]) - 13.234_756_492_382_527).abs() < 1e-6);
    // Wifi drives satisfaction strongly (13.2% ≥ 1.5 × 100/14) but is not marked.
    assert_eq!(wifi["unmarked_moment_of_truth"], true);
    assert_eq!(wifi["quadrant"], "concentrate_here");
    assert!((number(&driver("gate")["relative_weight"]) - 0.788_173_570_317_026_8).abs() < 1e-6);

    let table = cx(&[
        "drivers",
        data.to_str().unwrap(),
        "--journey",
        "examples/journeys/airline.toml",
        "--bootstrap",
        "0",
    ]);
    assert!(stdout(&table).contains("In-flight wifi"));
    assert!(stdout(&table).contains("drives like a moment of truth, not marked"));
}

#[test]
fn research_commands_refuse_bad_requests() {
    let unknown = cx(&[
        "compare",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--variants",
        "default,magic",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains(r#"unknown variant "magic""#));
    let single = cx(&[
        "compare",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--variants",
        "default",
    ]);
    assert_eq!(single.status.code(), Some(2));
    let csv_output = cx(&[
        "compare",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--format",
        "csv",
        "--bootstrap",
        "10",
        "--outcome",
        "nps",
    ]);
    assert_eq!(csv_output.status.code(), Some(0));
    assert!(stdout(&csv_output).starts_with("kind,variant,other,n,auc,"));
    // Too few respondents with the outcome for drivers.
    let few = cx(&[
        "drivers",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--min-respondents",
        "5000",
    ]);
    assert_eq!(few.status.code(), Some(1));
    assert_eq!(
        stderr(&few),
        "cx: driver analysis needs at least 5000 respondents with expectations_met answered; found 800\n"
    );
}

/// The bundled sample with a weight column: business 0.5, new 1.5,
/// returning 1 (by the segment, the fifth column), and `extra` lines after.
fn weighted_sample(name: &str, extra: &str) -> PathBuf {
    let text = std::fs::read_to_string(root().join(SAMPLE)).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{},weight\n", lines.next().unwrap());
    for line in lines {
        let weight = match line.split(',').nth(4) {
            Some("business") => "0.5",
            Some("new") => "1.5",
            _ => "1",
        };
        out.push_str(&format!("{line},{weight}\n"));
    }
    out.push_str(extra);
    let path = temp_dir(name).join("weighted.csv");
    std::fs::write(&path, out).unwrap();
    path
}

/// Reference values from `tests/weighted_reference.py` (pandas 2 and
/// numpy: `np.average`, `np.cov(aweights=w)`, Kish's n_eff; scipy's `t`
/// and `norm` quantiles; Wilson written out at n = n_eff; statsmodels'
/// `WLS(...).fit(cov_type="cluster")` for the journey by respondent).
#[test]
fn weighted_scorecard_of_the_sample() {
    let path = weighted_sample("weighted", "");
    let path = path.to_str().unwrap();
    let args = [
        "score",
        path,
        "--journey",
        SAMPLE_JOURNEY,
        "--weight",
        "weight",
    ];
    let json_of = |threads: &str| {
        let output = cx(&[&args[..], &["--format", "json", "--threads", threads]].concat());
        assert!(output.status.success(), "{}", stderr(&output));
        output.stdout
    };
    let one = json_of("1");
    assert_eq!(one, json_of("2"), "the same bytes at any thread count");
    let card: Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(card["schema"], "cx.scorecard/2");
    assert_eq!(card["weighted"], true);
    let overall = &card["overall"];
    let close = |value: &Value, expected: f64| {
        let value = number(value);
        assert!(
            (value - expected).abs() < 1e-12 * expected.abs().max(1.0),
            "{value} vs {expected}"
        );
    };
    let n_eff = 687.0633990410229;
    let reality = &overall["touchpoints"][0]["stats"]["reality"];
    assert_eq!(reality["n"], 800);
    close(&reality["mean"], 3.8891656288916563);
    close(&reality["se"], 0.030130341064050454);
    close(&reality["ci"]["lower"], 3.8300068798994156);
    close(&reality["ci"]["upper"], 3.948324377883897);
    close(&reality["weighted"]["effective_n"], n_eff);
    close(&reality["weighted"]["weight"], 803.0);
    let would_return = &overall["loyalty"]["questions"][1]["yes"];
    close(&would_return["share"], 0.8430884184308842);
    close(&would_return["ci"]["lower"], 0.813992995996505);
    close(&would_return["ci"]["upper"], 0.8683686700316461);
    close(&overall["nps"]["nps"], -38.85429638854296);
    close(&overall["nps"]["se"], 2.5178969509633045);
    close(&overall["effort"]["mean"], 4.341843088418431);
    // The journey's mean gap by respondent: statsmodels' WLS with errors
    // clustered by respondent.
    let clustered = &overall["journey"]["by_respondent"]["gap"];
    assert_eq!(
        (&clustered["n"], &clustered["clusters"]),
        (&Value::from(4611), &Value::from(800))
    );
    close(&clustered["mean"], -0.2293310277747757);
    close(&clustered["se"], 0.018304977038011712);

    // Every format shows n_eff beside n.
    let text = |format: &str| {
        let output = cx(&[&args[..], &["--format", format]].concat());
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let table = text("table");
    assert!(table.contains("weighted by respondent"), "{table}");
    assert!(
        table.contains("n_eff") && table.contains("687.1"),
        "{table}"
    );
    let markdown = text("markdown");
    assert!(
        markdown.contains("| n | n_eff |") && markdown.contains("| 800 | 687.1 |"),
        "{markdown}"
    );
    let csv = text("csv");
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(",dominant_emotion,n_eff,csat_n_eff"),
        "{header}"
    );
    let summary = cx(&[&args[..], &["--format", "csv", "--csv-rows", "groups"]].concat());
    assert!(
        stdout(&summary)
            .lines()
            .next()
            .unwrap()
            .ends_with(",nps_n_eff,effort_n_eff")
    );
    // The diff is weighted too.
    let diff = cx(&[
        "diff",
        path,
        "--journey",
        SAMPLE_JOURNEY,
        "--by",
        "month",
        "--weight",
        "weight",
        "--format",
        "json",
    ]);
    assert!(diff.status.success(), "{}", stderr(&diff));
    // Its tests carry their effective sample sizes: a touchpoint's mean gap
    // test has each month's n_eff of that touchpoint's gaps in the
    // scorecard by month.
    let changes: Value = serde_json::from_slice(&diff.stdout).unwrap();
    assert_eq!(changes["weighted"], true);
    let by_month = cx(&[&args[..], &["--by", "month", "--format", "json"]].concat());
    let by_month: Value = serde_json::from_slice(&by_month.stdout).unwrap();
    let pair = &changes["comparisons"][0];
    let gap_n_eff = |key: &Value| {
        let groups = by_month["breakdowns"][0]["groups"].as_array().unwrap();
        let group = groups.iter().find(|group| &group["key"] == key).unwrap();
        group["score"]["touchpoints"][0]["stats"]["gap"]["points"]["weighted"]["effective_n"]
            .clone()
    };
    let first_gap = pair["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|test| test["measure"] == "mean_gap")
        .unwrap();
    assert_eq!(first_gap["n_eff_before"], gap_n_eff(&pair["before"]));
    assert_eq!(first_gap["n_eff_after"], gap_n_eff(&pair["after"]));
    let journey_gap = pair["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|test| test["measure"] == "journey_mean_gap")
        .unwrap();
    assert_eq!(journey_gap.get("n_eff_before"), None, "{journey_gap}");
    let diff_text = |format: &str| {
        let mut diff_args = vec!["diff", path, "--journey", SAMPLE_JOURNEY, "--by", "month"];
        diff_args.extend(["--weight", "weight", "--format", format]);
        let output = cx(&diff_args);
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let csv = diff_text("csv");
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",tests_adjusted,n_eff_before,n_eff_after"),
        "{csv}"
    );
    assert!(diff_text("table").contains(" (n_eff "));
    assert!(diff_text("markdown").contains(" (n_eff "));
}

/// The data set of cx-score's `tests/reference/weighted_drivers.py` as a
/// long CSV file with a weight column: a, b, c (0: not rated), likelihood
/// to recommend, weight.
const WEIGHTED_DRIVERS: [[f64; 5]; 14] = [
    [5.0, 4.0, 0.0, 9.0, 1.5],
    [4.0, 0.0, 0.0, 8.0, 0.5],
    [2.0, 3.0, 0.0, 3.0, 2.0],
    [3.0, 3.0, 5.0, 6.0, 3.0],
    [1.0, 2.0, 2.0, 0.0, 1.25],
    [5.0, 5.0, 0.0, 10.0, 0.75],
    [4.0, 4.0, 4.0, 7.0, 0.25],
    [2.0, 1.0, 0.0, 4.0, 1.0],
    [3.0, 4.0, 1.0, 5.0, 0.25],
    [1.0, 0.0, 0.0, 2.0, 2.5],
    [4.0, 5.0, 3.0, 9.0, 0.25],
    [2.0, 2.0, 0.0, 1.0, 1.75],
    [5.0, 3.0, 2.0, 8.0, 0.25],
    [3.0, 2.0, 0.0, 6.0, 1.0],
];

#[test]
fn weighted_drivers_of_a_small_file() {
    let dir = temp_dir("weighted-drivers");
    let journey = dir.join("abc.toml");
    let mut toml =
        "name = \"ABC\"\n[scale]\nmin = 1\nmax = 5\n[[stages]]\nname = \"All\"\n".to_owned();
    for id in ["a", "b", "c"] {
        toml.push_str(&format!(
            "[[stages.touchpoints]]\nid = \"{id}\"\nname = \"{}\"\nchannel = \"web\"\n",
            id.to_uppercase()
        ));
    }
    std::fs::write(&journey, toml).unwrap();
    let mut csv = "respondent_id,touchpoint,reality,likelihood_to_recommend,weight\n".to_owned();
    for (r, row) in WEIGHTED_DRIVERS.iter().enumerate() {
        for (id, rating) in ["a", "b", "c"].iter().zip(&row[..3]) {
            if *rating > 0.0 {
                csv.push_str(&format!("r{r},{id},{rating},{},{}\n", row[3], row[4]));
            }
        }
    }
    let responses = dir.join("abc.csv");
    std::fs::write(&responses, csv).unwrap();
    let (responses, journey) = (responses.to_str().unwrap(), journey.to_str().unwrap());
    let run = |extra: &[&str]| {
        let args = [
            "drivers",
            responses,
            "--journey",
            journey,
            "--outcome",
            "nps",
            "--min-respondents",
            "10",
            "--min-sample",
            "5",
            "--bootstrap",
            "20",
        ];
        let output = cx(&[&args[..], extra].concat());
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let weighted = ["--weight", "weight"];
    // References: tests/reference/weighted_drivers.py of cx-score (NumPy).
    let json: Value =
        serde_json::from_str(&run(&[&weighted[..], &["--format", "json"]].concat())).unwrap();
    assert_eq!(json["schema"], "cx.drivers/1");
    assert_eq!(json["weighted"], true);
    let close = |value: &Value, expected: f64| {
        assert!(
            (number(value) - expected).abs() < 1e-12,
            "{value} vs {expected}"
        );
    };
    close(
        &json["respondents_weighted"]["effective_n"],
        9.047_109_207_708_779,
    );
    close(&json["r_squared"], 0.885_244_045_502_599_3);
    let drivers = &json["drivers"];
    close(&drivers[0]["pearson"], 0.940_779_760_390_368);
    close(&drivers[1]["spearman"], 0.729_972_395_945_141_1);
    close(&drivers[0]["relative_weight"], 69.720_798_497_889_86);
    close(
        &drivers[2]["weighted"]["effective_n"],
        2.549_132_947_976_878_5,
    );
    close(&drivers[2]["mean_reality"], 3.809_523_809_523_809_3);
    assert_eq!(
        (&drivers[2]["n"], &drivers[2]["below_min_sample"]),
        (&Value::from(6), &Value::from(true))
    );

    let table = run(&weighted);
    assert!(
        table.contains("weighted by respondent (n_eff 9.0 of 14 respondents)"),
        "{table}"
    );
    assert!(
        table.contains("n_eff below 5: not weighted") && table.contains("    2.5 "),
        "{table}"
    );
    let csv = run(&[&weighted[..], &["--format", "csv"]].concat());
    let mut lines = csv.lines();
    assert!(
        lines.next().unwrap().ends_with(",note,n_eff,weight_sum"),
        "{csv}"
    );
    assert!(
        lines.nth(2).unwrap().ends_with(",2.5491329479768785,5.25"),
        "{csv}"
    );

    // Unweighted, nothing of the weights shows, and c's six raters count.
    let plain: Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    assert!(plain.get("weighted").is_none() && plain["drivers"][2].get("weighted").is_none());
    assert_eq!(plain["drivers"][2]["below_min_sample"], false);
    assert!(!run(&[]).contains("n_eff"));
    assert!(!run(&["--format", "csv"]).contains("n_eff"));
}

#[test]
fn weights_that_cannot_be_read_are_counted_never_silent() {
    // A weight of -1, an empty one, and one that differs from its
    // respondent's on the lines before.
    let path = weighted_sample(
        "bad-weights",
        "X1,website,4,3,new,,,,,,,,,,-1\nX2,website,4,3,new,,,,,,,,,,\nR00800,returns,2,3,new,,,,,,,,,,7\n",
    );
    let path = path.to_str().unwrap();
    let output = cx(&[
        "validate",
        path,
        "--journey",
        SAMPLE_JOURNEY,
        "--weight",
        "weight",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout(&output);
    for expected in [
        "invalid_weight",
        "missing_value",
        "conflicting_weight",
        r#"column "weight""#,
    ] {
        assert!(report.contains(expected), "{expected}: {report}");
    }
    let strict = cx(&[
        "score",
        path,
        "--journey",
        SAMPLE_JOURNEY,
        "--weight",
        "weight",
        "--strict",
    ]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stderr(&strict).contains("respondent weight -1 is invalid"),
        "{}",
        stderr(&strict)
    );
    // The column must exist, for the comparison too (which weighs).
    let missing = cx(&[
        "score",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--weight",
        "w",
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains(r#"column "w": missing from the header"#));
    let compared = cx(&[
        "compare",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--weight",
        "w",
    ]);
    assert_eq!(compared.status.code(), Some(1));
    assert!(stderr(&compared).contains(r#"column "w": missing from the header"#));
}
