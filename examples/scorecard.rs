//! Scores a responses file against a journey file and prints the scorecard
//! as Markdown, with the reconciliation of what was read.
//!
//! Run on the bundled sample with `cargo run --release --example scorecard`,
//! or on your own files with
//! `cargo run --release --example scorecard -- RESPONSES JOURNEY`.

use cx::io::{ErrorPolicy, JourneyFile, ResponseReaderBuilder};
use cx::model::ObservationBatch;
use cx::score::{Dimension, ScoreConfig, ScorecardAccumulator};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let responses = args
        .next()
        .unwrap_or_else(|| "examples/data/retail_responses.csv".to_owned());
    let journey = args
        .next()
        .unwrap_or_else(|| "examples/data/retail.toml".to_owned());

    let journey = JourneyFile::read(&journey)?;
    let mut scorer = ScorecardAccumulator::new(journey.journey.clone(), ScoreConfig::default())?
        .breakdown_by(Dimension::Segment);
    let mut reader = ResponseReaderBuilder::new()
        .error_policy(ErrorPolicy::Lenient)
        .from_path(&responses, &journey)?;
    // Batches of observations, with the outcomes of the respondents whose
    // rows ended among them: the fast way to score a file.
    let mut batch = ObservationBatch::new();
    while reader.read_batch(&mut batch)? {
        scorer.push_batch(&batch);
    }
    let summary = reader.into_summary();
    let card = scorer.finish();

    cx::report::write_markdown(&card, std::io::stdout().lock())?;
    println!("\n---\n\n{responses}: {summary}");
    for example in &summary.examples {
        println!("  {example}");
    }
    let rejected =
        card.counts.observations.rejected_total() + card.counts.outcomes.rejected_total();
    println!("scorer: {rejected} records rejected");
    Ok(())
}
