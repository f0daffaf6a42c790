//! Every command line the README and the `--help` texts show is run here,
//! as a newcomer would paste it, so that no example can rot: each must
//! exit 0. They run in a scratch folder that sees the repository's
//! `examples/` and `crates/` and, beside it, `../shared`, so that what they
//! write (`report.html`, `weighted.csv`) lands there.

#![cfg(unix)]
// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{cx, root, stdout_of_success, temp_dir};

/// A scratch folder `name/cx` whose `examples` and `crates` are the
/// repository's, with `name/shared` the shared data beside it.
fn scratch(name: &str) -> PathBuf {
    let outer = temp_dir(name);
    let inner = outer.join("cx");
    std::fs::create_dir_all(&inner).unwrap();
    for (link, target) in [
        (inner.join("examples"), root().join("examples")),
        (inner.join("crates"), root().join("crates")),
        (outer.join("shared"), root().join("../shared")),
    ] {
        std::os::unix::fs::symlink(target.canonicalize().unwrap(), link).unwrap();
    }
    inner
}

/// Runs `script` with `sh -e` in `dir`, the `cx` under test first on the
/// path; panics with its output unless it exits 0.
fn run(dir: &Path, script: &str) {
    let bin = Path::new(env!("CARGO_BIN_EXE_cx")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("sh")
        .args(["-e", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "`{script}` failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Lines with their `\` continuations joined.
fn joined<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut commands = Vec::new();
    let mut current = String::new();
    for line in lines {
        let line = line.trim();
        match line.strip_suffix('\\') {
            Some(start) => {
                current.push_str(start);
                current.push(' ');
            }
            None => {
                current.push_str(line);
                commands.push(std::mem::take(&mut current));
            }
        }
    }
    commands.retain(|command| !command.is_empty());
    commands
}

/// The README's `sh` blocks that run `cx`, each as one script with `cargo
/// run --release -p cx-cli --` as `cx`. The synopsis of every command
/// (placeholders in capitals and brackets) and blocks that run no `cx`
/// (the test command, the benchmark setup) are not examples to paste.
fn readme_scripts() -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut scripts = Vec::new();
    let mut block: Option<Vec<&str>> = None;
    for line in readme.lines() {
        match (&mut block, line.trim_start()) {
            (None, "```sh") => block = Some(Vec::new()),
            (Some(_), "```") => {
                let lines = block.take().unwrap_or_default();
                let commands = joined(lines);
                let runs_cx = commands.iter().any(|command| {
                    command.starts_with("cargo run --release -p cx-cli -- ")
                        || command.starts_with("cx ")
                });
                let synopsis = commands.iter().any(|command| {
                    command.contains("RESPONSES") || command.contains("cargo install")
                });
                if runs_cx && !synopsis {
                    let script = commands
                        .iter()
                        .map(|command| command.replace("cargo run --release -p cx-cli -- ", "cx "))
                        .collect::<Vec<_>>()
                        .join("\n");
                    scripts.push(script);
                }
            }
            (Some(lines), _) => lines.push(line),
            (None, _) => {}
        }
    }
    scripts
}

#[test]
fn every_readme_example_runs() {
    let scripts = readme_scripts();
    // The main job, a drafted journey, research on the airline survey, a
    // month-over-month diff, a weighted survey, and the two real surveys:
    // a count that falls means the extraction above lost a block.
    assert_eq!(scripts.len(), 7, "{scripts:#?}");
    assert!(
        scripts[0].starts_with("cx report examples/data/retail_responses.csv"),
        "{}",
        scripts[0]
    );
    let dir = scratch("readme");
    for script in &scripts {
        run(&dir, script);
    }
    assert!(
        dir.join("report.html").exists(),
        "the main job writes the map"
    );
}

/// Every subcommand with the examples of its `--help`.
const SUBCOMMANDS: [&str; 8] = [
    "score", "report", "validate", "compare", "drivers", "diff", "sample", "init",
];

#[test]
fn every_help_example_runs() {
    let dir = scratch("help");
    let mut ran = 0;
    for subcommand in SUBCOMMANDS {
        let help = stdout_of_success(&cx(&[subcommand, "--help"]));
        let examples = help
            .split_once("\nExample")
            .map(|(_, after)| after)
            .unwrap_or_else(|| panic!("cx {subcommand} --help has no examples:\n{help}"));
        // The example lines follow the heading, each indented, until a
        // blank line.
        let lines = examples
            .lines()
            .skip(1)
            .take_while(|line| !line.trim().is_empty());
        for command in joined(lines) {
            assert!(
                command
                    .split(" && ")
                    .any(|part| part.contains(&format!("cx {subcommand}"))),
                "an example of cx {subcommand} runs it: {command}"
            );
            run(&dir, &command);
            ran += 1;
        }
    }
    assert_eq!(ran, 16, "examples lost from the help texts");
    assert!(dir.join("scorecard.json").exists());
    assert!(dir.join("try-cx/retail.toml").exists());
}
