//! What every test of the `cx` binary needs: where the repository is, how
//! to run `cx` (alone or in a shell script), a folder of its own, and the
//! bundled sample. Each test binary uses part of it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The bundled sample survey and its journey, relative to [`root`].
pub const SAMPLE: &str = "examples/data/retail_responses.csv";
pub const SAMPLE_JOURNEY: &str = "examples/data/retail.toml";

/// The repository's root, where `cx` runs.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the `cx` binary in [`root`], without colour.
pub fn cx(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cx"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Runs `sh -c script` (for pipes and FIFOs) in [`root`], with the `cx`
/// binary's path in `$CX`.
pub fn sh(script: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(root())
        .env("CX", env!("CARGO_BIN_EXE_cx"))
        .output()
        .unwrap()
}

/// An empty folder for the test `name` of this test binary, its own
/// (tests run at the same time, in several binaries).
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cx-{}-{name}-{}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The bundled sample with its respondents' rows not together, written to
/// `dir`: `split.csv`, where the first respondent's (R00001's) second row,
/// line 3, is moved to the end (line 4816), and `twice.csv`, the sample
/// twice over under one header, whose first row comes back at line 4817.
pub fn sample_out_of_order(dir: &Path) -> (PathBuf, PathBuf) {
    let text = std::fs::read_to_string(root().join(SAMPLE)).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let moved = lines.remove(2);
    lines.push(moved);
    let split = dir.join("split.csv");
    std::fs::write(&split, lines.join("\n") + "\n").unwrap();
    let body: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
    let twice = dir.join("twice.csv");
    std::fs::write(&twice, format!("{text}{body}")).unwrap();
    (split, twice)
}

/// A run's standard output, as UTF-8 text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A run's standard error, as UTF-8 text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The standard output of a run that must have exited 0 (its standard
/// error is the failure's message).
pub fn stdout_of_success(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout(output)
}

/// Asserts that a run exited with `code` and that its standard error says
/// `said`.
pub fn assert_exit(output: &Output, code: i32, said: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert!(stderr.contains(said), "{said:?} not said: {stderr}");
}

/// A JSON number.
pub fn number(value: &Value) -> f64 {
    value.as_f64().unwrap()
}
