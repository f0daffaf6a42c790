//! The bundled sample, read by cx-io and scored by cx-score, written by
//! cx-report: the JSON is the `cx.scorecard/2` schema and reads back as the
//! same scorecard, and the CSV and Markdown show the scorecard's own numbers.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cx::io::{ErrorPolicy, JourneyFile, Record, ResponseReaderBuilder};
use cx::report::SCORECARD_CSV_COLUMNS;
use cx::score::{Dimension, ScoreConfig, Scorecard, ScorecardAccumulator};

fn sample_scorecard() -> Scorecard {
    let root = env!("CARGO_MANIFEST_DIR");
    let journey = JourneyFile::read(format!("{root}/examples/data/retail.toml")).unwrap();
    let mut scorer = ScorecardAccumulator::new(journey.journey.clone(), ScoreConfig::default())
        .unwrap()
        .breakdown_by(Dimension::Segment)
        .breakdown_by(Dimension::Month);
    let reader = ResponseReaderBuilder::new()
        .error_policy(ErrorPolicy::Strict)
        .from_path(
            format!("{root}/examples/data/retail_responses.csv"),
            &journey,
        )
        .unwrap();
    let summary = reader
        .read_all(|record| match record {
            Record::Observation(observation) => scorer.try_push(&observation).unwrap(),
            Record::Outcome(outcome) => scorer.try_push_outcome(&outcome).unwrap(),
        })
        .unwrap();
    assert!(summary.reconciles());
    let card = scorer.finish();
    assert_eq!(card.counts.observations.accepted, summary.observations);
    assert_eq!(card.counts.outcomes.accepted, summary.outcomes);
    card
}

#[test]
fn json_carries_the_schema_and_the_whole_scorecard() {
    let card = sample_scorecard();
    let mut out = Vec::new();
    cx::report::write_json(&card, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with("{\n  \"schema\": \"cx.scorecard/2\",\n"),
        "{}",
        &text[..80]
    );
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value.as_object_mut().unwrap().remove("schema");
    let back: Scorecard = serde_json::from_value(value).unwrap();
    assert_eq!(back, card);
}

#[test]
fn csv_has_a_row_per_touchpoint_and_group() {
    let card = sample_scorecard();
    let mut out = Vec::new();
    cx::report::write_csv(&card, &mut out).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, SCORECARD_CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let groups: usize = card.breakdowns.iter().map(|b| b.groups.len()).sum();
    assert_eq!(rows.len(), 10 * (1 + groups));
    // The first row is the overall shop window, with the scorecard's own numbers.
    let window = card.touchpoint("shop_window").unwrap();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][column("breakdown")], "overall");
    assert_eq!(&rows[0][column("touchpoint")], "shop_window");
    assert_eq!(&rows[0][column("first_contact")], "true");
    assert_eq!(
        rows[0][column("n")].parse::<u64>().unwrap(),
        window.stats.gap.n
    );
    assert_eq!(
        rows[0][column("mean_gap")].parse::<f64>().unwrap(),
        window.stats.gap.points.mean.unwrap()
    );
    assert_eq!(
        &rows[0][column("light")],
        window.light.map_or("", |light| light.name())
    );
    let segments: Vec<&str> = rows
        .iter()
        .filter(|r| &r[0] == "segment")
        .map(|r| &r[1])
        .collect();
    assert!(segments.contains(&"business") && segments.contains(&"new"));
}

#[test]
fn markdown_names_every_touchpoint_and_the_loyalty_verdicts() {
    let card = sample_scorecard();
    let mut out = Vec::new();
    cx::report::write_markdown(&card, &mut out).unwrap();
    let markdown = String::from_utf8(out).unwrap();
    assert!(markdown.starts_with("# Retail purchase\n"));
    for touchpoint in &card.overall.touchpoints {
        assert!(markdown.contains(&touchpoint.name), "{}", touchpoint.name);
    }
    assert!(markdown.contains("| expectations met |"));
    assert!(markdown.contains("**NPS** "));
    assert!(markdown.contains("## segment: returning"));
    assert!(markdown.contains("## month: 2024-03"));
}
