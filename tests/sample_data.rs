//! The bundled sample data is the seeded generator's output, byte for byte.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cx::io::sample::{
    RETAIL_JOURNEY_TOML, SAMPLE_RESPONDENTS, SAMPLE_SEED, write_synthetic_responses,
};

#[test]
fn bundled_files_are_what_generate_sample_writes() {
    let root = env!("CARGO_MANIFEST_DIR");
    let journey = std::fs::read_to_string(format!("{root}/examples/data/retail.toml")).unwrap();
    assert_eq!(
        journey, RETAIL_JOURNEY_TOML,
        "run `cargo run --example generate_sample`"
    );
    let mut generated = Vec::new();
    write_synthetic_responses(&mut generated, SAMPLE_RESPONDENTS, SAMPLE_SEED).unwrap();
    let bundled = std::fs::read(format!("{root}/examples/data/retail_responses.csv")).unwrap();
    assert!(
        generated == bundled,
        "run `cargo run --example generate_sample`"
    );
}
