//! Issue 19's field cases through `cx`: a bad optional field costs only
//! itself, and text that would corrupt an id or a segment is refused where
//! it stands.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::PathBuf;

mod common;
use common::{SAMPLE_JOURNEY, cx};

const HEADER: &str = "respondent_id,touchpoint,reality,expectation,segment,timestamp,emotion\n";

/// Writes `rows` under the header to a file of its own, named `name`.
fn responses(name: &str, rows: &[&str]) -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("cx-fields-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.csv"));
    fs::write(&path, [HEADER, &rows.join("\n"), "\n"].concat()).unwrap();
    let shown = path.to_string_lossy().into_owned();
    (dir, shown)
}

/// Twenty good rows, two respondents a day; `change` rewrites some.
fn rows(change: impl Fn(usize, String) -> String) -> Vec<String> {
    (0..20)
        .map(|row| {
            let line = format!(
                "r{},website,{},3,new,2024-06-{:02},happy",
                row / 2,
                1 + row % 5,
                1 + row / 2
            );
            change(row, line)
        })
        .collect()
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let output = cx(args);
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// A bad timestamp and an unknown emotion: both rows' ratings are scored,
/// the scorecard is the one of the same file with those fields left empty,
/// and the fields are counted and shown, not charged to `--max-rejected`
/// (two of twenty would pass its 5%).
#[test]
fn a_bad_timestamp_or_emotion_keeps_the_rating() {
    let bad = rows(|row, line| match row {
        3 => line.replace("2024-06-02", "2nd of June"),
        7 => line.replace("happy", "glad"),
        _ => line,
    });
    let blank = rows(|row, line| match row {
        3 => line.replace("2024-06-02", ""),
        7 => line.replace("happy", ""),
        _ => line,
    });
    let bad: Vec<&str> = bad.iter().map(String::as_str).collect();
    let blank: Vec<&str> = blank.iter().map(String::as_str).collect();
    let (bad_dir, bad_file) = responses("bad", &bad);
    let (blank_dir, blank_file) = responses("blank", &blank);
    let score = |file: &str| {
        run(&[
            "score",
            file,
            "--journey",
            SAMPLE_JOURNEY,
            "--format",
            "json",
            "--by",
            "month",
        ])
    };
    let (code, card, stderr) = score(&bad_file);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "bad.csv: 2 fields rejected: unknown_emotion 1, invalid_timestamp 1 (records kept without them); first: "
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(r#"bad.csv:5: column "timestamp": "2nd of June" is not a timestamp"#),
        "{stderr}"
    );
    assert!(!stderr.contains("records rejected"), "{stderr}");
    let (code, blank_card, stderr) = score(&blank_file);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert_eq!(card, blank_card);

    let (code, report, _) = run(&["validate", &bad_file, "--journey", SAMPLE_JOURNEY]);
    assert_eq!(
        code,
        Some(1),
        "validate fails on a rejected field: {report}"
    );
    assert!(report.contains("accepted 20 + rejected 0"), "{report}");
    assert!(
        report.contains("field rejected, invalid_timestamp: 1"),
        "{report}"
    );
    assert!(
        report.contains("field rejected, unknown_emotion: 1"),
        "{report}"
    );
    assert!(
        report.contains(r#"bad.csv:9: column "emotion": "#),
        "{report}"
    );

    // --strict stops at the first problem of any kind, a field's included.
    let (code, _, stderr) = run(&["score", &bad_file, "--journey", SAMPLE_JOURNEY, "--strict"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(r#"bad.csv:5: column "timestamp""#),
        "{stderr}"
    );
    fs::remove_dir_all(bad_dir).unwrap();
    fs::remove_dir_all(blank_dir).unwrap();
}

/// NUL in a respondent id or a segment, and a byte order mark inside the
/// file: the record is rejected at its line and column, and the id never
/// reaches an output.
#[test]
fn nul_bytes_and_inner_byte_order_marks_are_rejected_located() {
    let lines = rows(|row, line| match row {
        4 => line.replacen("r2", "r\u{0}2", 1),
        9 => line.replace("new", "n\u{0}ew"),
        14 => format!("\u{feff}{line}"),
        _ => line,
    });
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (dir, file) = responses("nul", &lines);
    let (code, report, _) = run(&["validate", &file, "--journey", SAMPLE_JOURNEY]);
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("rejected, control_character: 3"),
        "{report}"
    );
    for (line, column, found) in [
        (6, "respondent_id", "U+0000"),
        (11, "segment", "U+0000"),
        (16, "respondent_id", "U+FEFF"),
    ] {
        let at = format!(r#"nul.csv:{line}: column "{column}": "#);
        let said = report.lines().find(|said| said.contains(&at));
        assert!(
            said.is_some_and(|said| said.contains(found)),
            "{at} {found}: {report}"
        );
    }
    let (code, card, stderr) = run(&[
        "score",
        &file,
        "--journey",
        SAMPLE_JOURNEY,
        "--format",
        "csv",
        "--by",
        "segment",
        "--max-rejected",
        "100%",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!card.contains('\u{0}') && !card.contains('\u{feff}'));
    assert!(stderr.contains("3 of 20 records rejected"), "{stderr}");
    fs::remove_dir_all(dir).unwrap();
}

/// A `;`-separated export with decimal commas (`4,5`) and Qualtrics'
/// zoneless timestamps scores as its plain equivalent, and cx says how
/// many numbers it read with a comma. By hand: realities 4.5 and 3,
/// expectations 4 and 3.5: gaps +0.5 and -0.5, mean 0.
#[test]
fn a_european_export_scores_as_its_plain_equivalent() {
    let dir = common::temp_dir("european");
    let european = dir.join("european.csv");
    fs::write(
        &european,
        "respondent_id;touchpoint;reality;expectation;timestamp\n\
         r1;website;4,5;4;2024-06-01 10:00:00\nr2;website;3;3,5;2024-06-02 11:30:00\n",
    )
    .unwrap();
    let plain = dir.join("plain.csv");
    fs::write(
        &plain,
        "respondent_id,touchpoint,reality,expectation,timestamp\n\
         r1,website,4.5,4,2024-06-01T10:00:00Z\nr2,website,3,3.5,2024-06-02T11:30:00Z\n",
    )
    .unwrap();
    let score = |path: &PathBuf| {
        cx(&[
            "score",
            path.to_str().unwrap(),
            "--journey",
            SAMPLE_JOURNEY,
            "--format",
            "json",
            "--by",
            "day",
        ])
    };
    let (european_card, plain_card) = (score(&european), score(&plain));
    common::assert_exit(
        &european_card,
        0,
        &format!(
            "{}: 2 numbers read with a decimal comma (4,5 as 4.5)",
            european.display()
        ),
    );
    assert!(
        common::stderr(&plain_card).is_empty(),
        "{}",
        common::stderr(&plain_card)
    );
    assert_eq!(european_card.stdout, plain_card.stdout);
    let card: serde_json::Value = serde_json::from_slice(&plain_card.stdout).unwrap();
    assert_eq!(card["counts"]["observations"]["accepted"], 2);
    assert_eq!(
        card["breakdowns"][0]["groups"].as_array().unwrap().len(),
        2,
        "two days"
    );
    fs::remove_dir_all(&dir).unwrap();
}
