//! `cx drivers` and `cx compare` at every sample size (issue 18): what they
//! withhold, and say so, in every format.
//!
//! Reference values: pandas 2.x and SciPy 1.17 on the same files (the
//! scripts are described at each test), not cx.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;

mod common;
use common::{SAMPLE, SAMPLE_JOURNEY, cx, number, root};

/// Runs `cx` and returns its standard output, asserting exit 0.
fn run(args: &[&str]) -> String {
    let output = cx(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    String::from_utf8(output.stdout).unwrap()
}

const ODDJOB_JOURNEY: &str = "examples/journeys/oddjob.toml";

fn oddjob() -> String {
    root()
        .join("../shared/data/oddjob_airways_airlinesat.csv")
        .to_string_lossy()
        .into_owned()
}

/// The case: Oddjob Airways sets no targets, so `targets` scores
/// nobody; `default` still scores all 1,065 passengers. Reference: pandas
/// and SciPy, the journey score as the mean of (s_j - e_j) / 99 over the
/// attributes with both answers on 1..=100, yes = sat3 in 5..=7;
/// AUC = scipy.stats.mannwhitneyu U / (n_yes · n_no) = 0.6459047947154776,
/// scipy.stats.pointbiserialr = 0.2285216894874299.
#[test]
fn compare_scores_each_variant_on_its_own_respondents() {
    let data = oddjob();
    let args = |format: &'static str| {
        [
            "compare",
            data.as_str(),
            "--journey",
            ODDJOB_JOURNEY,
            "--variants",
            "default,targets",
            "--bootstrap",
            "20",
            "--format",
            format,
        ]
    };
    let json: Value = serde_json::from_str(&run(&args("json"))).unwrap();
    assert_eq!(json["schema"], "cx.comparison/1");
    assert_eq!(json["respondents"], 1065);
    let (default, targets) = (&json["variants"][0], &json["variants"][1]);
    assert_eq!(default["scored"], 1065);
    assert!((number(&default["auc"]) - 0.645_904_794_715_477_6).abs() < 1e-12);
    assert!((number(&default["point_biserial"]) - 0.228_521_689_487_429_9).abs() < 1e-12);
    assert!(default["auc_ci"].is_object());
    assert_eq!(default["note"], Value::Null);
    assert_eq!(targets["scored"], 0);
    assert_eq!(targets["note"], "no_targets");
    assert_eq!(json["pairs"][0]["respondents"], 0);
    assert_eq!(json["pairs"][0]["auc_difference"], Value::Null);
    assert_eq!(json["resamples_skipped"], 0);

    let table = run(&args("table"));
    assert!(
        table.contains("\n  default           1065  0.6459 "),
        "{table}"
    );
    assert!(table.contains(
        "  - targets: scores nobody: it uses the touchpoints' targets as expectations, \
         and the journey sets none\n"
    ));
    assert!(table.contains("  - default vs targets: no respondent is scored by both"));

    let csv = run(&args("csv"));
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].ends_with(
        ",policy,aggregation,expectations,respondents,\
         same_lights_by_construction,same_scores_by_construction,note"
    ));
    assert!(rows[1].starts_with("variant,default,,1065,0.6459047947154776,"));
    assert!(rows[2].ends_with(",default,weighted_mean,target,0,,,\"scores nobody: it uses the touchpoints' targets as expectations, and the journey sets none\""), "{}", rows[2]);
}

/// On the bundled sample: `default` and `weakest_link` share the threshold
/// policy, `default` and `share` the weighted mean; both pairs are pointed
/// out, `share` and `weakest_link` (nothing in common) is not.
#[test]
fn compare_points_out_pairs_the_same_by_construction() {
    let args = |format: &'static str| {
        [
            "compare",
            SAMPLE,
            "--journey",
            SAMPLE_JOURNEY,
            "--variants",
            "default,share,weakest_link",
            "--bootstrap",
            "0",
            "--format",
            format,
        ]
    };
    let json: Value = serde_json::from_str(&run(&args("json"))).unwrap();
    let flags: Vec<(bool, bool)> = json["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["same_lights_by_construction"].as_bool().unwrap(),
                p["same_scores_by_construction"].as_bool().unwrap(),
            )
        })
        .collect();
    // Pairs in order: default-share, default-weakest_link, share-weakest_link.
    assert_eq!(flags, [(false, true), (true, false), (false, false)]);
    assert_eq!(json["pairs"][0]["auc_difference"], 0.0);
    assert_eq!(json["pairs"][1]["lights"]["kappa"], 1.0);

    let table = run(&args("table"));
    assert!(table.contains(
        "  - default vs share: same journey scores by construction (aggregation \
         weighted_mean, same expectations): an AUC difference of 0 is not a finding\n"
    ));
    assert!(table.contains(
        "  - default vs weakest_link: same lights by construction (policy default, same \
         expectations and margins): agreement, kappa and rank rho of 1 are not findings\n"
    ));
    assert!(!table.contains("share vs weakest_link: same"));
    let csv = run(&args("csv"));
    assert!(csv.contains(",true,false,\"same lights by construction"));
    assert!(csv.contains(",false,true,\"same journey scores by construction"));
}

/// The sample's touchpoints are rated by 159 (returns) to 800 (shop
/// window) of the 800 respondents with expectations_met (pandas: unique
/// respondents per touchpoint with a rating on 1..=5); at --min-sample 500
/// five are weighted. Listwise, 263 respondents rated all five; Johnson's
/// weights on them (NumPy 2.x, np.corrcoef and np.linalg.eigh): R² =
/// 0.1512915848685412, cashier 45.628103429058214, shop window
/// 26.357654075693574.
#[test]
fn drivers_weigh_only_touchpoints_with_enough_answers() {
    let args = |format: &'static str, listwise: bool| {
        let mut args = vec![
            "drivers",
            SAMPLE,
            "--journey",
            SAMPLE_JOURNEY,
            "--min-sample",
            "500",
            "--bootstrap",
            "0",
            "--format",
            format,
        ];
        if listwise {
            args.push("--listwise");
        }
        run(&args)
    };
    let json: Value = serde_json::from_str(&args("json", true)).unwrap();
    assert_eq!(
        (
            json["missing"].as_str(),
            json["weight_respondents"].as_u64()
        ),
        (Some("listwise"), Some(263))
    );
    assert!((number(&json["r_squared"]) - 0.151_291_584_868_541_2).abs() < 1e-12);
    let driver = |id: &str| {
        json["drivers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()
            .clone()
    };
    assert!((number(&driver("cashier")["relative_weight"]) - 45.628_103_429_058_214).abs() < 1e-9);
    assert!(
        (number(&driver("shop_window")["relative_weight"]) - 26.357_654_075_693_574).abs() < 1e-9
    );
    let returns = driver("returns");
    assert_eq!(
        (returns["n"].as_u64(), returns["below_min_sample"].as_bool()),
        (Some(159), Some(true))
    );
    assert_eq!(
        (&returns["relative_weight"], &returns["quadrant"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(returns["unmarked_moment_of_truth"], false);

    let table = args("table", false);
    assert!(table.contains("pairwise deletion on 800 respondents, minimum 500 per touchpoint"));
    assert!(
        table.contains("  Returns             159   0.152   0.161      -"),
        "{table}"
    );
    assert!(table.contains("n below 500: not weighted"));
    assert!(table.contains("  - 5 touchpoint(s) rated by fewer than 500 respondents"));
    let csv = args("csv", false);
    let returns_row = csv.lines().find(|row| row.starts_with("returns,")).unwrap();
    assert!(returns_row.ends_with(
        ",true,,,,,pairwise,800,well conditioned,\"below the minimum sample (159 < 500): no weight, quadrant or flag\""
    ), "{returns_row}");
}

/// Listwise on all ten touchpoints of the sample leaves the 2 respondents
/// who rated every one (pandas): weights are withheld, and said to be.
#[test]
fn drivers_say_why_listwise_weights_are_withheld() {
    let base = [
        "drivers",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--listwise",
        "--bootstrap",
        "5",
    ];
    let json: Value =
        serde_json::from_str(&run(&[&base[..], &["--format", "json"]].concat())).unwrap();
    assert_eq!(json["weight_respondents"], 2);
    assert_eq!(json["weights_withheld"]["reason"], "too_few_complete_cases");
    assert_eq!(json["weights_withheld"]["found"], 2);
    assert_eq!(json["r_squared"], Value::Null);
    let table = run(&base);
    assert!(table.contains(
        "  - no relative weights: listwise deletion leaves 2 respondents who rated every \
         weighted touchpoint, fewer than 30\n"
    ));
    let csv = run(&[&base[..], &["--format", "csv"]].concat());
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .contains(",listwise,2,,\"no weight: listwise deletion leaves 2")
    );
}

/// With a bootstrap, each weighted touchpoint is tested; the sample's ten
/// are rated by 159 or more, so all are weighted and every one gets a
/// verdict, and the seed makes it reproducible.
#[test]
fn drivers_test_each_weight_against_a_random_variable() {
    let args = [
        "drivers",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--bootstrap",
        "40",
        "--format",
        "json",
    ];
    let first = run(&args);
    assert_eq!(first, run(&args));
    let json: Value = serde_json::from_str(&first).unwrap();
    for driver in json["drivers"].as_array().unwrap() {
        let ci = &driver["raw_weight_vs_random_ci"];
        let significant = driver["significant"].as_bool().unwrap();
        assert_eq!(significant, number(&ci["lower"]) > 0.0, "{driver}");
        assert!(number(&ci["lower"]) <= number(&ci["upper"]));
    }
}

/// `cx compare --min-sample` withholds the lights of exactly the touchpoints
/// that `cx score --min-sample` withholds (those with fewer gaps, read from
/// the scorecard's own counts), for every variant; the journey scores and
/// their AUC do not depend on it.
#[test]
fn compare_withholds_lights_below_the_minimum_sample() {
    let compare = |min_sample: &str| -> Value {
        let args = [
            "compare",
            SAMPLE,
            "--journey",
            SAMPLE_JOURNEY,
            "--bootstrap",
            "0",
            "--format",
            "json",
            "--min-sample",
            min_sample,
        ];
        serde_json::from_str(&run(&args)).unwrap()
    };
    let card: Value = serde_json::from_str(&run(&[
        "score",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--format",
        "json",
    ]))
    .unwrap();
    let gaps: Vec<u64> = card["overall"]["touchpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["stats"]["gap"]["n"].as_u64().unwrap())
        .collect();
    let (all, some) = (compare("30"), compare("300"));
    let unlit = |json: &Value, variant: usize| -> Vec<bool> {
        json["variants"][variant]["lights"]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::is_null)
            .collect()
    };
    let below: Vec<bool> = gaps.iter().map(|&n| n < 300).collect();
    assert!(below.iter().any(|&b| b) && !below.iter().all(|&b| b));
    for variant in 0..3 {
        assert!(unlit(&all, variant).iter().all(|&b| !b));
        assert_eq!(unlit(&some, variant), below);
        assert_eq!(
            all["variants"][variant]["auc"],
            some["variants"][variant]["auc"]
        );
    }
}

/// `compare` and `drivers` with `--bootstrap`, seed `seed`, on `--threads
/// threads`, in JSON: the output.
fn bootstrap_run(command: &str, threads: &str, seed: &str) -> std::process::Output {
    let mut args = vec![
        command,
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--bootstrap",
        "60",
        "--format",
        "json",
        "--threads",
        threads,
        "--seed",
        seed,
    ];
    if command == "compare" {
        args.extend(["--variants", "default,weakest-link,peak-end"]);
    }
    let output = cx(&args);
    assert_eq!(output.status.code(), Some(0), "{args:?}");
    output
}

/// The bootstrap's resamples run on `--threads` threads, and the output
/// is the same bytes at 1, 2 and 3 (each resample draws from its own
/// stream of the seed, and they are merged in resample order); another
/// seed gives other intervals. Off a terminal, as here, no progress is
/// shown: standard error stays empty.
#[test]
fn bootstraps_are_the_same_at_any_thread_count_and_silent_off_a_terminal() {
    for command in ["compare", "drivers"] {
        let one = bootstrap_run(command, "1", "42");
        assert_eq!(String::from_utf8_lossy(&one.stderr), "", "{command}");
        let json: Value = serde_json::from_slice(&one.stdout).unwrap();
        assert_eq!(json["resamples"], 60);
        for threads in ["2", "3"] {
            let other = bootstrap_run(command, threads, "42");
            assert_eq!(other.stdout, one.stdout, "{command} at {threads} threads");
            assert_eq!(String::from_utf8_lossy(&other.stderr), "", "{command}");
        }
        assert_ne!(
            bootstrap_run(command, "2", "43").stdout,
            one.stdout,
            "{command}"
        );
    }
}

/// On a terminal (a pseudo-terminal made by util-linux's `script`), the
/// bootstrap shows a bar of its resamples on standard error, and the
/// result is the one written off a terminal. Skipped where `script` is
/// missing, except under CI.
#[test]
fn bootstraps_show_their_resamples_on_a_terminal() {
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        assert!(
            std::env::var_os("CI").is_none(),
            "no util-linux `script` on PATH under CI"
        );
        eprintln!("skipped: no util-linux `script` on PATH");
        return;
    }
    let dir = std::env::temp_dir().join(format!("cx-bootstrap-bar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for command in ["compare", "drivers"] {
        let out = dir.join(format!("{command}.json"));
        let variants = if command == "compare" {
            "--variants default,weakest-link,peak-end"
        } else {
            ""
        };
        let line = format!(
            "'{}' {command} {SAMPLE} --journey {SAMPLE_JOURNEY} --bootstrap 60 --threads 2 \
             --seed 42 {variants} -o '{}'",
            env!("CARGO_BIN_EXE_cx"),
            out.display()
        );
        let terminal = std::process::Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .current_dir(root())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(terminal.status.success(), "{command}: {terminal:?}");
        let shown = String::from_utf8_lossy(&terminal.stdout);
        assert!(shown.contains("bootstrap ["), "{command}: {shown:?}");
        assert!(shown.contains("/60 resamples"), "{command}: {shown:?}");
        let written = std::fs::read(&out).unwrap();
        assert_eq!(
            written,
            bootstrap_run(command, "1", "42").stdout,
            "{command}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
