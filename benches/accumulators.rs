//! Scorecard accumulator: push one observation, merge two accumulators.

// A bench on fixed data: a panic here is a broken bench, not user data.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cx::model::{Emotion, Observation};
use cx::score::{Dimension, ScoreConfig, ScorecardAccumulator};

fn observations(count: usize) -> Vec<Observation> {
    let journey = cx::io::sample::retail_journey().expect("the sample journey parses");
    let ids: Vec<String> = journey
        .journey
        .touchpoints()
        .map(|t| t.id.clone())
        .collect();
    (0..count)
        .map(|i| {
            Observation::new(
                format!("R{}", i / 5),
                ids[i % ids.len()].as_str(),
                (1 + i % 5) as f64,
            )
            .with_expectation((1 + (i / 3) % 5) as f64)
            .with_segment(["new", "returning", "business"][i % 3])
            .with_emotion(Emotion::ALL[i % 18])
        })
        .collect()
}

fn scorer() -> ScorecardAccumulator {
    let journey = cx::io::sample::retail_journey().expect("the sample journey parses");
    ScorecardAccumulator::new(journey.journey, ScoreConfig::default())
        .expect("the default config is valid")
        .breakdown_by(Dimension::Segment)
}

fn push(c: &mut Criterion) {
    let data = observations(100_000);
    let mut group = c.benchmark_group("accumulator");
    group.throughput(Throughput::Elements(data.len() as u64));
    group.bench_function("push 100k observations, by segment", |b| {
        b.iter(|| {
            let mut scorer = scorer();
            for observation in &data {
                scorer.push(black_box(observation));
            }
            scorer
        });
    });
    let mut left = scorer();
    let mut right = scorer();
    for (i, observation) in data.iter().enumerate() {
        if i % 2 == 0 {
            left.push(observation)
        } else {
            right.push(observation)
        }
    }
    group.throughput(Throughput::Elements(1));
    group.bench_function("merge two accumulators", |b| {
        b.iter(|| {
            let mut merged = left.clone();
            merged
                .merge(black_box(&right))
                .expect("same journey and config");
            merged
        });
    });
    group.bench_function("finish a scorecard", |b| {
        b.iter(|| black_box(&left).finish())
    });
    group.finish();
}

criterion_group!(benches, push);
criterion_main!(benches);
