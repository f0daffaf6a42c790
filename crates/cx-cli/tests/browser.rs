//! The HTML report in a real browser: headless Chromium loads the page
//! written by `cx report`, takes a screenshot and dumps the DOM.
//!
//! `.ci/run` installs Debian's chromium, so under CI (`CI` set) a missing
//! browser fails the test; on a developer machine without one it is skipped
//! with a message.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs the browser headless on `page` with `extra` arguments; returns stdout and stderr.
fn browse(browser: &Path, profile: &Path, page: &Path, extra: &[&str]) -> (String, String) {
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (number(16), number(20))
}

#[test]
fn the_report_renders_in_a_real_browser() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "no chromium on PATH under CI: .ci/run should have installed it"
        );
        eprintln!("skipped: no chromium on PATH (apt-get install chromium to run this test)");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::temp_dir().join(format!("cx-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("report.html");
    let status = Command::new(env!("CARGO_BIN_EXE_cx"))
        .current_dir(&root)
        .args([
            "report",
            "examples/data/retail_responses.csv",
            "--journey",
            "examples/data/retail.toml",
            "--output",
        ])
        .arg(&page)
        .status()
        .unwrap();
    assert!(status.success());

    let screenshot = dir.join("report.png");
    let (_, log) = browse(
        &browser,
        &dir.join("profile-shot"),
        &page,
        &[
            "--window-size=1280,1600",
            &format!("--screenshot={}", screenshot.display()),
        ],
    );
    let png = std::fs::read(&screenshot).unwrap();
    assert_eq!(png_size(&png), (1280, 1600));
    // A blank page compresses to a few kilobytes; the map, charts and tables do not.
    assert!(png.len() > 50_000, "screenshot only {} bytes", png.len());
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");

    let (dom, log) = browse(&browser, &dir.join("profile-dom"), &page, &["--dump-dom"]);
    assert!(dom.contains("<svg"), "no SVG in the DOM");
    let journey = cx_io::sample::retail_journey().unwrap();
    for touchpoint in journey.journey.touchpoints() {
        assert!(
            dom.contains(&touchpoint.name),
            "{} missing from the DOM",
            touchpoint.name
        );
    }
    assert!(!log.lines().any(|l| l.contains("CONSOLE")), "{log}");
    std::fs::remove_dir_all(&dir).unwrap();
}
