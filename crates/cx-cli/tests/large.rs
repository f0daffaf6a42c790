//! A survey file larger than a gigabyte, generated on the fly (never
//! committed), scored by `cx` in bounded memory with every row counted.
//!
//! Ignored by default (they write up to ~1.1 GB to the temporary folder). Run them,
//! in release mode, with:
//!
//! ```text
//! cargo test --release -p cx-cli --test large -- --ignored --nocapture
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The documented ceiling on `cx score`'s peak resident memory, whatever the
/// file's size (README, "Limits").
const PEAK_RSS_LIMIT_MB: u64 = 64;
/// Every this many rows, one bad row (a rating of 9 on the 1..=5 scale).
const BAD_EVERY: u64 = 1000;

const TOUCHPOINTS: [&str; 10] = [
    "shop_window",
    "website",
    "social_ad",
    "booking_call",
    "advice",
    "cashier",
    "payment",
    "delivery",
    "support_chat",
    "returns",
];
const SEGMENTS: [&str; 4] = ["new", "returning", "loyal", "business"];
const EMOTIONS: [&str; 6] = ["pleased", "", "frustrated", "trusting", "", "cared for"];

/// Removes the file when the test ends, passed or not.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Writes long-format rows until the file holds at least `bytes`; returns
/// (rows, bad rows).
fn write_survey(path: &Path, bytes: u64) -> (u64, u64) {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path).unwrap());
    let header = "respondent_id,touchpoint,segment,timestamp,expectation,reality,emotion,would_return,likelihood_to_recommend\n";
    out.write_all(header.as_bytes()).unwrap();
    let (mut written, mut rows, mut bad) = (header.len() as u64, 0u64, 0u64);
    // A fixed linear congruential generator: the same file every run.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    let mut respondent = 0u64;
    while written < bytes {
        respondent += 1;
        let segment = SEGMENTS[next(4) as usize];
        let visits = 3 + next(5);
        for visit in 0..visits {
            rows += 1;
            let reality = if rows % BAD_EVERY == 0 {
                bad += 1;
                9
            } else {
                1 + next(5)
            };
            let last = visit + 1 == visits;
            let line = format!(
                "R{respondent:09},{},{segment},2025-{:02}-{:02}T{:02}:{:02}:00Z,{},{reality},{},{},{}\n",
                TOUCHPOINTS[next(10) as usize],
                1 + next(12),
                1 + next(28),
                next(24),
                next(60),
                1 + next(5),
                EMOTIONS[next(6) as usize],
                if last {
                    ["yes", "no"][next(2) as usize]
                } else {
                    ""
                },
                if last {
                    next(11).to_string()
                } else {
                    String::new()
                },
            );
            out.write_all(line.as_bytes()).unwrap();
            written += line.len() as u64;
        }
    }
    out.flush().unwrap();
    (rows, bad)
}

#[test]
#[ignore = "writes a 1.1 GB file; cargo test --release -p cx-cli --test large -- --ignored --nocapture"]
fn scores_a_gigabyte_in_bounded_memory() {
    let time = Path::new("/usr/bin/time");
    assert!(
        time.exists(),
        "needs /usr/bin/time (Debian package: time) to measure peak memory"
    );
    let file = TempFile(std::env::temp_dir().join(format!("cx-large-{}.csv", std::process::id())));
    let (rows, bad) = write_survey(&file.0, 1_100_000_000);
    let size = std::fs::metadata(&file.0).unwrap().len();
    assert!(size >= 1 << 30, "{size} bytes");

    let journey = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/data/retail.toml");
    let output = Command::new(time)
        .args(["-f", "%M %e"])
        .arg(env!("CARGO_BIN_EXE_cx"))
        .arg("score")
        .arg(&file.0)
        .arg("--journey")
        .arg(&journey)
        .args(["--by", "segment", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let measured = stderr.lines().last().unwrap_or_default();
    let (peak_kb, seconds) = measured.split_once(' ').unwrap();
    let peak_mb = peak_kb.parse::<u64>().unwrap() / 1024;

    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let observations = &report["counts"]["observations"];
    // The bad rows are refused by the reader, counted there (on stderr), and
    // never reach the scorer; every other row is scored.
    assert_eq!(observations["read"], rows - bad);
    assert_eq!(observations["accepted"], rows - bad);
    assert!(
        stderr.contains(&format!("{bad} of {rows} records rejected")),
        "{stderr}"
    );
    println!(
        "{size} bytes, {rows} rows ({bad} bad): {seconds} s, peak RSS {peak_mb} MB (limit {PEAK_RSS_LIMIT_MB} MB)"
    );
    assert!(peak_mb <= PEAK_RSS_LIMIT_MB, "peak RSS {peak_mb} MB");
}

/// A record of 200 MB, over the 16 MiB limit, plain and quoted with line
/// breaks inside: rejected and skipped without being held, on the parallel
/// path as on one reader (the cut finder once widened its window to hold
/// the whole line: 209 MB peak), and the rows around it scored.
#[test]
#[ignore = "writes two 200 MB files; cargo test --release -p cx-cli --test large -- --ignored --nocapture"]
fn an_over_long_record_is_skipped_in_bounded_memory() {
    let time = Path::new("/usr/bin/time");
    assert!(time.exists(), "needs /usr/bin/time (Debian package: time)");
    let journey = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/data/retail.toml");
    for (name, cell) in [
        ("plain", "x".repeat(200 << 20)),
        ("quoted", format!("\"{}\"", "x\n".repeat(100 << 20))),
    ] {
        let file = TempFile(
            std::env::temp_dir().join(format!("cx-long-{name}-{}.csv", std::process::id())),
        );
        let mut out = BufWriter::new(File::create(&file.0).unwrap());
        write!(out, "respondent_id,touchpoint,reality,comment\nr1,cashier,4,ok\nr2,cashier,4,{cell}\nr3,cashier,2,ok\n").unwrap();
        out.flush().unwrap();
        drop(out);
        let output = Command::new(time)
            .args(["-f", "%M"])
            .arg(env!("CARGO_BIN_EXE_cx"))
            .arg("score")
            .arg(&file.0)
            .arg("--journey")
            .arg(&journey)
            .args(["--format", "json", "--threads", "2", "--max-rejected", "1"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{name}: {stderr}");
        assert!(
            stderr.contains("the limit is 16777216 bytes per record"),
            "{name}: {stderr}"
        );
        let peak_mb = stderr
            .lines()
            .last()
            .unwrap()
            .trim()
            .parse::<u64>()
            .unwrap()
            / 1024;
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["counts"]["observations"]["accepted"], 2, "{name}");
        println!("{name}: a 200 MB record, peak RSS {peak_mb} MB");
        assert!(
            peak_mb <= PEAK_RSS_LIMIT_MB,
            "{name}: peak RSS {peak_mb} MB"
        );
    }
}

/// The ceiling on `cx score --by segment`'s peak memory when a file has
/// far more segments than `--max-groups` (README, "Limits and hardening").
const GROUPS_PEAK_RSS_LIMIT_MB: u64 = 512;

/// A million distinct segments, the case that took 24 GB and 518 s before
/// breakdowns had a limit: `cx score --by segment` stops at the default
/// 10,000 groups with exit 1 and the limit named, in bounded memory, with
/// two threads as with one.
#[test]
#[ignore = "writes ~70 MB and scores 2M rows; run in release mode"]
fn a_million_segments_stop_at_the_group_limit() {
    let time = Path::new("/usr/bin/time");
    assert!(time.exists(), "needs /usr/bin/time (Debian package: time)");
    let file = TempFile(std::env::temp_dir().join(format!("cx-groups-{}.csv", std::process::id())));
    let mut out = BufWriter::with_capacity(1 << 20, File::create(&file.0).unwrap());
    writeln!(out, "respondent_id,touchpoint,reality,expectation,segment").unwrap();
    for respondent in 0..1_000_000u32 {
        for (touchpoint, reality) in [("website", 4), ("cashier", 2)] {
            writeln!(out, "R{respondent},{touchpoint},{reality},3,s{respondent}").unwrap();
        }
    }
    out.flush().unwrap();
    drop(out);
    let journey = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/data/retail.toml");
    for threads in ["1", "2"] {
        let output = Command::new(time)
            .args(["-f", "%M %e"])
            .arg(env!("CARGO_BIN_EXE_cx"))
            .arg("score")
            .arg(&file.0)
            .arg("--journey")
            .arg(&journey)
            .args(["--by", "segment", "--format", "json", "--threads", threads])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(
                "the breakdown by segment has more than 10000 groups, the most --max-groups allows"
            ),
            "{stderr}"
        );
        assert!(output.stdout.is_empty());
        let measured = stderr.lines().last().unwrap_or_default();
        let (peak_kb, seconds) = measured.split_once(' ').unwrap();
        let peak_mb = peak_kb.parse::<u64>().unwrap() / 1024;
        println!(
            "{threads} thread(s): exit 1 in {seconds} s, peak RSS {peak_mb} MB (limit {GROUPS_PEAK_RSS_LIMIT_MB} MB)"
        );
        assert!(peak_mb <= GROUPS_PEAK_RSS_LIMIT_MB, "peak RSS {peak_mb} MB");
    }
}
