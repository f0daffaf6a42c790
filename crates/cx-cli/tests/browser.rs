//! The HTML report in a real browser: headless Chromium lays out the page
//! written by `cx report` for the bundled sample, the airline survey (14
//! touchpoints, no emotions) and Oddjob (23 touchpoints) at 1400 and 400
//! pixels wide, takes a screenshot of each (kept under Cargo's test
//! temporary folder, `target/tmp/browser/`, not committed), and checks the
//! laid-out page: no touchpoint name is clipped, nothing overflows the
//! window sideways, the emotion curve has one point per touchpoint with
//! emotions, and every chart has a text alternative.
//!
//! The checks run as a script added to a copy of the page (the report
//! itself has none), which writes what it measured into the DOM that
//! `--dump-dom` prints.
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

/// Measures the laid-out page and writes the findings, one per line, into
/// a `<pre id="checks">`: `clipped NAME`, `overflow WIDTH WINDOW`,
/// `points N`, `no-alternative INDEX`, `names N`; where axe-core is on the
/// page, `axe ran` and `axe IMPACT RULE: ELEMENTS` for each serious or
/// critical violation of WCAG 2.1 A and AA; and `done` at the end.
const CHECKS: &str = r#"<script>
addEventListener('load', async () => {
  const found = [];
  const names = document.querySelectorAll('.tp-name');
  for (const name of names) {
    const box = name.getBoundingClientRect();
    const card = name.closest('.tp').getBoundingClientRect();
    if (name.scrollWidth > name.clientWidth + 1 || box.right > card.right + 1 || box.left < card.left - 1) {
      found.push('clipped ' + name.textContent);
    }
  }
  const page = document.documentElement.scrollWidth;
  const map = document.querySelector('.map').getBoundingClientRect();
  if (page > innerWidth || map.right > innerWidth + 1) {
    found.push('overflow ' + Math.max(page, map.right) + ' ' + innerWidth);
  }
  found.push('points ' + document.querySelectorAll('.curve-chart .point').length);
  document.querySelectorAll('svg').forEach((svg, index) => {
    const label = (svg.getAttribute('aria-label') || '').trim();
    const title = svg.querySelector(':scope > title');
    if (svg.getAttribute('role') !== 'img' || (!label && !(title && title.textContent.trim()))) {
      found.push('no-alternative ' + index);
    }
  });
  found.push('names ' + names.length);
  if (window.axe) {
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    found.push('axe ran');
    for (const violation of results.violations) {
      if (violation.impact === 'serious' || violation.impact === 'critical') {
        const where = violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ');
        found.push('axe ' + violation.impact + ' ' + violation.id + ': ' + where);
      }
    }
  }
  found.push('done');
  const pre = document.createElement('pre');
  pre.id = 'checks';
  pre.textContent = found.join('\n');
  document.body.append(pre);
});
</script>"#;

/// axe-core's script, as `.ci/run` installs it (`npm ci` in
/// `tests/browser/`); `None` where it is not installed.
fn axe() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(path).ok()
}

/// The findings the script wrote into the dumped DOM.
fn findings(dom: &str) -> Vec<String> {
    let start = dom.find(r#"<pre id="checks">"#).expect("the checks ran") + 17;
    let end = start + dom[start..].find("</pre>").unwrap();
    dom[start..end].lines().map(str::to_owned).collect()
}

/// A survey to report on, and what its scorecard says the page must show.
struct Survey {
    name: &'static str,
    responses: &'static str,
    journey: &'static str,
}

const SURVEYS: [Survey; 3] = [
    Survey {
        name: "sample",
        responses: "examples/data/retail_responses.csv",
        journey: "examples/data/retail.toml",
    },
    Survey {
        name: "airline",
        responses: "../shared/data/airline_passenger_satisfaction.csv",
        journey: "examples/journeys/airline.toml",
    },
    Survey {
        name: "oddjob",
        responses: "../shared/data/oddjob_airways_airlinesat.csv",
        journey: "examples/journeys/oddjob.toml",
    },
];

/// Runs `cx` in the workspace root.
fn cx(root: &Path, args: &[&str]) -> Vec<u8> {
    let output = Command::new(env!("CARGO_BIN_EXE_cx"))
        .current_dir(root)
        .env("SOURCE_DATE_EPOCH", "1764752400")
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cx {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Goes on without `what` (installed by `install`), skipping `skipped`,
/// except under CI, where `.ci/run` installs it and its absence fails.
fn missing(what: &str, install: &str, skipped: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "no {what} under CI: .ci/run should have installed it ({install})"
    );
    eprintln!("no {what} ({install}): {skipped} is skipped");
}

#[test]
fn the_report_lays_out_in_a_real_browser() {
    let Some(browser) = chromium() else {
        missing("chromium on PATH", "apt-get install chromium", "this test");
        return;
    };
    let axe = axe();
    if axe.is_none() {
        missing(
            "axe-core",
            "npm ci in crates/cx-cli/tests/browser",
            "the accessibility check",
        );
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let artefacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    let _ = std::fs::remove_dir_all(&artefacts);
    std::fs::create_dir_all(&artefacts).unwrap();
    for survey in &SURVEYS {
        let page = artefacts.join(format!("{}.html", survey.name));
        let page_arg = page.display().to_string();
        cx(
            &root,
            &[
                "report",
                survey.responses,
                "--journey",
                survey.journey,
                "--output",
                &page_arg,
            ],
        );
        // What the page must show, from the scorecard itself.
        let card: serde_json::Value = serde_json::from_slice(&cx(
            &root,
            &[
                "score",
                survey.responses,
                "--journey",
                survey.journey,
                "--format",
                "json",
            ],
        ))
        .unwrap();
        let touchpoints = card["overall"]["touchpoints"].as_array().unwrap();
        let with_emotions = touchpoints
            .iter()
            .filter(|t| t["stats"]["emotions"]["n"].as_u64().unwrap() > 0)
            .count();
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(
            !html.contains("<script"),
            "{}: the report has a script",
            survey.name
        );
        for t in touchpoints {
            let name = t["name"].as_str().unwrap();
            assert!(
                html.contains(&format!(
                    r#"<span class="tp-name">{}</span>"#,
                    name.replace('&', "&amp;").replace('<', "&lt;")
                )),
                "{}: {name} is not on the map in full",
                survey.name
            );
        }
        let checked = artefacts.join(format!("{}-checked.html", survey.name));
        // The script's own `</script>` cannot end early: axe's minified
        // source holds none.
        let scripts = match &axe {
            Some(axe) => format!("<script>{axe}</script>{CHECKS}"),
            None => CHECKS.to_owned(),
        };
        std::fs::write(
            &checked,
            html.replace("</body>", &format!("{scripts}</body>")),
        )
        .unwrap();

        for width in [1400, 400] {
            let window = format!("--window-size={width},1000");
            let label = format!("{} at {width} px", survey.name);
            let screenshot = artefacts.join(format!("{}-{width}.png", survey.name));
            let (_, log) = browse(
                &browser,
                &artefacts.join(format!("profile-shot-{}-{width}", survey.name)),
                &page,
                &[&window, &format!("--screenshot={}", screenshot.display())],
            );
            let png = std::fs::read(&screenshot).unwrap();
            assert_eq!(png_size(&png), (width, 1000), "{label}");
            // A blank page compresses to a few kilobytes; the map does not.
            assert!(
                png.len() > 20_000,
                "{label}: screenshot only {} bytes",
                png.len()
            );
            let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
            assert!(
                console.is_empty(),
                "{label}: console messages: {console:#?}"
            );

            let (dom, _) = browse(
                &browser,
                &artefacts.join(format!("profile-dom-{}-{width}", survey.name)),
                &checked,
                // Time for axe's checks, which end after the load event.
                &[&window, "--virtual-time-budget=60000", "--dump-dom"],
            );
            let found = findings(&dom);
            assert_eq!(found.last().map(String::as_str), Some("done"), "{label}");
            assert_eq!(
                found.contains(&"axe ran".to_owned()),
                axe.is_some(),
                "{label}: {found:?}"
            );
            assert!(
                found.contains(&format!("names {}", touchpoints.len())),
                "{label}: {found:?}"
            );
            assert!(
                found.contains(&format!("points {with_emotions}")),
                "{label}: {with_emotions} touchpoints with emotions, found {found:?}"
            );
            let problems: Vec<&String> = found
                .iter()
                .filter(|line| {
                    ["clipped ", "overflow ", "no-alternative ", "axe "]
                        .iter()
                        .any(|kind| line.starts_with(kind) && *line != "axe ran")
                })
                .collect();
            assert!(problems.is_empty(), "{label}: {problems:#?}");
        }
    }
}
