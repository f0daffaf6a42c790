//! Writes the bundled sample data: `examples/data/retail.toml` (the sample
//! journey) and `examples/data/retail_responses.csv` (synthetic long-layout
//! responses, seeded). The files in the repository are this program's
//! output; a test checks that they still are.
//!
//! Run with `cargo run --example generate_sample [DIR]`.

use std::path::PathBuf;

use cx::io::sample::{SAMPLE_RESPONDENTS as RESPONDENTS, SAMPLE_SEED as SEED};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let directory = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("examples/data"), PathBuf::from);
    std::fs::create_dir_all(&directory)?;
    std::fs::write(
        directory.join("retail.toml"),
        cx::io::sample::RETAIL_JOURNEY_TOML,
    )?;
    let responses = std::fs::File::create(directory.join("retail_responses.csv"))?;
    let rows = cx::io::sample::write_synthetic_responses(
        std::io::BufWriter::new(responses),
        RESPONDENTS,
        SEED,
    )?;
    println!(
        "wrote {} and {} ({rows} rows, {RESPONDENTS} respondents, seed {SEED})",
        directory.join("retail.toml").display(),
        directory.join("retail_responses.csv").display()
    );
    Ok(())
}
