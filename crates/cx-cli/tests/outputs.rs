//! Outputs follow their names: `--output`'s extension chooses the format
//! for every command, `--format` overrides it, `-` is standard output, and
//! a name that says no format cx writes is a usage error listing those it
//! does. Option values are spelled one way, the other spelling an alias.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Output;

mod common;
use common::{SAMPLE, SAMPLE_JOURNEY, cx, stderr, stdout, stdout_of_success, temp_dir};

/// Runs `cx COMMAND SAMPLE --journey SAMPLE_JOURNEY EXTRA…`.
fn on_sample(command: &str, extra: &[&str]) -> Output {
    let mut args = vec![command, SAMPLE, "--journey", SAMPLE_JOURNEY];
    args.extend_from_slice(extra);
    cx(&args)
}

/// The standard error of a usage error, which writes nothing else.
fn usage_error(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(2), "{}", stdout(output));
    assert!(output.stdout.is_empty());
    stderr(output)
}

#[test]
fn every_extension_of_cx_score_writes_its_format() {
    let dir = temp_dir("score");
    let stdout_table = stdout_of_success(&on_sample("score", &[]));
    for (name, starts) in [
        ("card.txt", "Retail purchase  (policy default;"),
        ("card.md", "# Retail purchase"),
        ("card.json", "{"),
        ("card.csv", "breakdown,group,index,touchpoint,"),
        ("map.HTML", "<!DOCTYPE html>"),
    ] {
        let path = dir.join(name);
        let printed = stdout_of_success(&on_sample("score", &["-o", path.to_str().unwrap()]));
        assert!(printed.is_empty(), "{name}: {printed}");
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(
            written.starts_with(starts),
            "{name}: {}",
            &written[..60.min(written.len())]
        );
        if name == "card.txt" {
            assert_eq!(
                written, stdout_table,
                "a .txt file holds what the terminal shows"
            );
        }
    }
    // --format overrides the extension.
    let path = dir.join("card.txt");
    stdout_of_success(&on_sample(
        "score",
        &["-o", path.to_str().unwrap(), "--format", "json"],
    ));
    assert!(std::fs::read_to_string(&path).unwrap().starts_with('{'));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_dash_is_standard_output_for_every_command() {
    let json = stdout_of_success(&on_sample("score", &["-o", "-", "--format", "json"]));
    assert!(json.contains("\"schema\": \"cx.scorecard/2\""), "{json}");
    // The journey map on standard output, and no "wrote" line.
    let report = on_sample("report", &["-o", "-"]);
    let page = stdout_of_success(&report);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(stderr(&report).is_empty(), "{}", stderr(&report));
    let html = stdout_of_success(&on_sample("score", &["-o", "-", "--format", "html"]));
    assert_eq!(html, page, "cx score --format html is the report");
    let changes = stdout_of_success(&on_sample("diff", &["--by", "month", "-o", "-"]));
    assert!(
        changes.starts_with("Retail purchase: change by month"),
        "{changes}"
    );
}

#[test]
fn a_name_that_says_no_format_the_command_writes_is_refused() {
    let dir = temp_dir("refused");
    let name = |file: &str| dir.join(file).to_str().unwrap().to_owned();
    let said = usage_error(&on_sample("score", &["-o", &name("card.xlsx")]));
    assert!(
        said.ends_with(".xlsx is not a format cx score writes; it writes .txt (table), .md (markdown), .json (json), .csv (csv), .html (html)\n"),
        "{said}"
    );
    let said = usage_error(&on_sample("score", &["-o", &name("card")]));
    assert!(said.contains("cannot tell the format of"), "{said}");
    assert!(said.ends_with("from its name: end it in .txt (table), .md (markdown), .json (json), .csv (csv), .html (html), or give --format\n"), "{said}");
    let said = usage_error(&on_sample("report", &["-o", &name("r.json")]));
    assert_eq!(
        said,
        "cx: cx report does not write json; it writes .html (html)\n"
    );
    let said = usage_error(&on_sample(
        "diff",
        &["--by", "month", "-o", &name("d.html")],
    ));
    assert!(
        said.starts_with("cx: cx diff does not write html (the journey map"),
        "{said}"
    );
    let said = usage_error(&on_sample("drivers", &["-o", &name("d.md")]));
    assert_eq!(
        said,
        "cx: cx drivers does not write markdown; it writes .txt (table), .json (json), .csv (csv)\n"
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing is written"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn research_outputs_follow_their_extension() {
    let dir = temp_dir("research");
    let path = dir.join("drivers.json");
    stdout_of_success(&on_sample(
        "drivers",
        &["--bootstrap", "0", "-o", path.to_str().unwrap()],
    ));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(
        json["schema"].as_str().unwrap().starts_with("cx.drivers/"),
        "{json}"
    );
    let path = dir.join("compare.csv");
    stdout_of_success(&on_sample(
        "compare",
        &["--bootstrap", "0", "-o", path.to_str().unwrap()],
    ));
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(!csv.starts_with('{') && csv.contains(','), "{csv}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn option_values_take_either_spelling() {
    let kebab = stdout_of_success(&on_sample(
        "drivers",
        &["--bootstrap", "0", "--outcome", "would-return"],
    ));
    let snake = stdout_of_success(&on_sample(
        "drivers",
        &["--bootstrap", "0", "--outcome", "would_return"],
    ));
    assert_eq!(kebab, snake);
    let variants = ["--bootstrap", "0", "--variants"];
    let kebab = stdout_of_success(&on_sample(
        "compare",
        &[&variants[..], &["default,weakest-link,peak-end"]].concat(),
    ));
    let snake = stdout_of_success(&on_sample(
        "compare",
        &[&variants[..], &["default,weakest_link,peak_end"]].concat(),
    ));
    assert_eq!(kebab, snake);
    assert!(kebab.contains("weakest_link"), "{kebab}");
    let said = usage_error(&on_sample(
        "compare",
        &[&variants[..], &["default,weakest"]].concat(),
    ));
    assert!(
        said.contains(
            "expected some of: default, share, cautious, weakest-link, peak-end, targets"
        ),
        "{said}"
    );
    let adjusted = stdout_of_success(&on_sample("score", &["--nps-interval", "adjusted_wald"]));
    assert_eq!(adjusted, stdout_of_success(&on_sample("score", &[])));
}
