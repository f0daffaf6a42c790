//! Rendering the HTML journey map of a 50-touchpoint journey.

// A bench on fixed data: a panic here is a broken bench, not user data.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use cx::model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
use cx::score::{ScoreConfig, ScorecardAccumulator};

fn report(c: &mut Criterion) {
    let stages: Vec<Stage> = (0..10)
        .map(|s| {
            (0..5).fold(Stage::new(format!("Stage {s}")), |stage, t| {
                stage.touchpoint(
                    Touchpoint::new(
                        format!("t{s}_{t}"),
                        format!("Touchpoint {s}.{t}"),
                        Channel::Web,
                    )
                    .target(3.0)
                    .moment_of_truth(t == 2),
                )
            })
        })
        .collect();
    let journey =
        Journey::new("Fifty touchpoints", Scale::LIKERT_5, stages).expect("a valid journey");
    let mut scorer =
        ScorecardAccumulator::new(journey.clone(), ScoreConfig::default()).expect("valid config");
    for (i, touchpoint) in journey.touchpoints().enumerate() {
        for r in 0..40 {
            scorer.push(&Observation::new(
                format!("r{r}"),
                touchpoint.id.as_str(),
                (1 + (r + i) % 5) as f64,
            ));
        }
    }
    let card = scorer.finish();
    let mut page = Vec::new();
    c.bench_function("html report, 50 touchpoints", |b| {
        b.iter(|| {
            page.clear();
            cx::report::write_html(black_box(&card), &mut page).expect("written to memory");
        });
    });
    assert!(page.starts_with(b"<!DOCTYPE html>"));
}

criterion_group!(benches, report);
criterion_main!(benches);
