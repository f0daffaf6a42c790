//! Arbitrary observations and outcomes (any f64, NaN and infinities
//! included; any strings) pushed into two accumulators, merged, and
//! finished: no panic, every record counted, and merging the halves counts
//! what one accumulator fed everything counts.
#![no_main]

use arbitrary::Arbitrary;
use chrono::DateTime;
use cx_model::{Answer, Channel, Emotion, LoyaltyQuestion, Observation, Outcome};
use cx_score::{CautiousPolicy, Dimension, PeakEnd, ScoreConfig, ScorecardAccumulator};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static JOURNEY: LazyLock<cx_model::Journey> = LazyLock::new(|| cx_fuzz::retail().journey);
/// The journey's touchpoint ids, which every input picks from.
static IDS: LazyLock<Vec<String>> =
    LazyLock::new(|| JOURNEY.touchpoints().map(|t| t.id.clone()).collect());

#[derive(Arbitrary, Debug)]
struct ArbitraryObservation {
    respondent: String,
    /// An index into the journey's touchpoints, or any text.
    touchpoint: Result<u8, String>,
    reality: f64,
    expectation: Option<f64>,
    segment: Option<String>,
    channel: Option<String>,
    timestamp: Option<i64>,
    emotion: Option<u8>,
    comment: Option<String>,
}

#[derive(Arbitrary, Debug)]
struct ArbitraryOutcome {
    respondent: String,
    answers: [Option<bool>; 3],
    likelihood: Option<f64>,
    effort: Option<f64>,
    segment: Option<String>,
    timestamp: Option<i64>,
}

#[derive(Arbitrary, Debug)]
enum Step {
    Observation {
        second: bool,
        value: ArbitraryObservation,
    },
    Outcome {
        second: bool,
        value: ArbitraryOutcome,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    config: (f64, f64, u64),
    steps: Vec<Step>,
}

fn observation(value: ArbitraryObservation, ids: &[String]) -> Observation {
    let touchpoint = match value.touchpoint {
        Ok(index) => ids
            .get(usize::from(index) % ids.len().max(1))
            .cloned()
            .unwrap_or_default(),
        Err(text) => text,
    };
    let mut observation = Observation::new(value.respondent, touchpoint, value.reality);
    observation.expectation = value.expectation;
    observation.segment = value.segment;
    observation.channel = value.channel.map(|text| {
        let Ok(channel) = text.parse::<Channel>();
        channel
    });
    observation.timestamp = value.timestamp.and_then(DateTime::from_timestamp_millis);
    observation.emotion = value
        .emotion
        .map(|index| Emotion::ALL[usize::from(index) % Emotion::ALL.len()]);
    observation.comment = value.comment;
    observation
}

fn outcome(value: ArbitraryOutcome) -> Outcome {
    let mut outcome = Outcome::new(value.respondent);
    for (question, answer) in LoyaltyQuestion::ALL.into_iter().zip(value.answers) {
        *outcome.answer_mut(question) = match answer {
            None => Answer::NotAnswered,
            Some(true) => Answer::Yes,
            Some(false) => Answer::No,
        };
    }
    outcome.likelihood_to_recommend = value.likelihood;
    outcome.effort = value.effort;
    outcome.segment = value.segment;
    outcome.timestamp = value.timestamp.and_then(DateTime::from_timestamp_millis);
    outcome
}

fuzz_target!(|input: Input| {
    let journey = JOURNEY.clone();
    let ids: &[String] = &IDS;
    let (yellow_band, wow_margin, min_sample) = input.config;
    let config = ScoreConfig {
        yellow_band,
        wow_margin,
        min_sample,
        ..ScoreConfig::default()
    };
    // An invalid configuration must be refused, not scored.
    let Ok(empty) = ScorecardAccumulator::new(journey, config) else {
        return;
    };
    // Day and week share the month's code path.
    let empty = [Dimension::Segment, Dimension::Channel, Dimension::Month]
        .into_iter()
        .fold(empty, |scorer, dimension| scorer.breakdown_by(dimension));
    let (mut first, mut second, mut whole) = (empty.clone(), empty.clone(), empty);
    let mut pushed = 0;
    for step in input.steps {
        match step {
            Step::Observation {
                second: to_second,
                value,
            } => {
                let value = observation(value, ids);
                let target = if to_second { &mut second } else { &mut first };
                let one = target.try_push(&value).is_ok();
                let other = whole.try_push(&value).is_ok();
                assert_eq!(one, other);
            }
            Step::Outcome {
                second: to_second,
                value,
            } => {
                let value = outcome(value);
                let target = if to_second { &mut second } else { &mut first };
                let one = target.try_push_outcome(&value).is_ok();
                let other = whole.try_push_outcome(&value).is_ok();
                assert_eq!(one, other);
            }
        }
        pushed += 1;
    }
    let mut merged = first.clone();
    merged
        .merge(&second)
        .expect("same journey, config and breakdowns");
    let mut reversed = second;
    reversed
        .merge(&first)
        .expect("same journey, config and breakdowns");
    // A finish is most of an input's cost: the counts are compared
    // unfinished, and two finishes look for panics (each policy and
    // aggregation is checked in cx-score's tests, the reports in
    // tests/reader_properties.rs).
    let counts = merged.counts();
    assert_eq!(counts, whole.counts());
    assert_eq!(counts, reversed.counts());
    assert_eq!(counts.observations.read + counts.outcomes.read, pushed);
    assert_eq!(merged.finish().counts, counts);
    // The policy and aggregation that compute the most (intervals, the
    // peak and the end).
    let _ = reversed.finish_with(&CautiousPolicy::default(), &PeakEnd);
});
