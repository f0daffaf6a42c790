//! Reading and scoring a long-layout CSV held in memory.

// A bench on fixed data: a panic here is a broken bench, not user data.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cx::io::{ErrorPolicy, ResponseReaderBuilder};
use cx::model::ObservationBatch;
use cx::score::{Dimension, ScoreConfig, ScorecardAccumulator};

fn read_and_score(c: &mut Criterion) {
    let journey = cx::io::sample::retail_journey().expect("the sample journey parses");
    let mut file = Vec::new();
    let rows =
        cx::io::sample::write_synthetic_responses(&mut file, 5_000, 11).expect("writes to memory");
    let mut builder = ResponseReaderBuilder::new();
    builder.name("bench.csv").error_policy(ErrorPolicy::Lenient);
    let reader = || {
        builder
            .from_reader(black_box(file.as_slice()), &journey)
            .expect("the header is valid")
    };
    let mut group = c.benchmark_group("reading");
    group.throughput(Throughput::Bytes(file.len() as u64));
    // Batches, as `cx score` reads them.
    group.bench_function(
        format!("read + score {rows} rows ({} KB)", file.len() / 1024),
        |b| {
            b.iter(|| {
                let mut scorer =
                    ScorecardAccumulator::new(journey.journey.clone(), ScoreConfig::default())
                        .expect("the default config is valid")
                        .breakdown_by(Dimension::Segment);
                let mut reader = reader();
                let mut batch = ObservationBatch::new();
                while reader.read_batch(&mut batch).expect("no fatal error") {
                    scorer.push_batch(&batch);
                }
                scorer
            });
        },
    );
    group.bench_function("read only", |b| {
        b.iter(|| {
            let mut reader = reader();
            let mut batch = ObservationBatch::new();
            while reader.read_batch(&mut batch).expect("no fatal error") {
                black_box(&batch);
            }
            reader.into_summary()
        });
    });
    group.finish();
}

criterion_group!(benches, read_and_score);
criterion_main!(benches);
