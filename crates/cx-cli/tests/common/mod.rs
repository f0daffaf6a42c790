//! What every test of the `cx` binary needs: where the repository is, how
//! to run `cx`, and the bundled sample. Each test binary uses part of it.

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

/// A JSON number.
pub fn number(value: &Value) -> f64 {
    value.as_f64().unwrap()
}
