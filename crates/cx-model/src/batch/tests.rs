#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::{Answer, LoyaltyQuestion, Scale, Stage, Touchpoint};
use proptest::prelude::*;

fn journey() -> Journey {
    Journey::builder("j", Scale::LIKERT_5)
        .stage(
            Stage::new("s")
                .touchpoint(Touchpoint::new("a", "A", Channel::Web))
                .touchpoint(Touchpoint::new("b", "B", Channel::Store)),
        )
        .build()
        .unwrap()
}

#[test]
fn unknown_touchpoints_are_refused_and_leave_no_trace() {
    let mut batch = ObservationBatch::new();
    let error = batch
        .push_record(&Observation::new("r", "nowhere", 3.0), &journey())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        r#""nowhere" is not a touchpoint of journey "j""#
    );
    assert!(batch.is_empty());
    assert_eq!(batch.row(0), None);
}

#[test]
fn clear_keeps_nothing_but_allocations() {
    let mut batch = ObservationBatch::new();
    let mut row = BatchRow::new("r1", 0, 3.0);
    row.segment = Some("smb");
    row.comment = Some("slow");
    batch.push(&row);
    batch.push_outcome(&Outcome::new("r1").with_segment("smb"));
    batch.clear();
    assert!(batch.is_empty());
    assert_eq!(batch.outcomes(), []);
    batch.push(&BatchRow::new("r2", 1, 4.0));
    batch.push_outcome(&Outcome::new("r2"));
    assert_eq!(batch.row(0), Some(BatchRow::new("r2", 1, 4.0)));
    assert_eq!(batch.segment_names(), [] as [String; 0]);
    assert_eq!(batch.outcomes(), [Outcome::new("r2")]);
}

#[test]
fn channels_are_read_as_channels() {
    let mut batch = ObservationBatch::new();
    let mut row = BatchRow::new("r1", 0, 3.0);
    row.channel = Some(" PHONE ");
    batch.push(&row);
    row.channel = Some("kiosk");
    batch.push(&row);
    assert_eq!(batch.channel(0), Some(&Channel::Phone));
    assert_eq!(batch.row(0).unwrap().channel, Some("phone"));
    assert_eq!(batch.channel(1), Some(&Channel::Other("kiosk".into())));
    // A record's channel is kept as it is, even one named as another.
    let journey = journey();
    let odd = Observation::new("r2", "a", 3.0).with_channel(Channel::Other("Web".into()));
    batch.push_record(&odd, &journey).unwrap();
    assert_eq!(batch.channel(2), Some(&Channel::Other("Web".into())));
}

#[test]
fn weights_are_kept_once_per_respondent_run() {
    let mut batch = ObservationBatch::new();
    batch.push(&BatchRow::new("r1", 0, 3.0));
    assert!(!batch.is_weighted());
    assert_eq!(batch.respondent_weights(), []);
    let half = Weight::new(0.5).unwrap();
    let mut row = BatchRow::new("r2", 0, 3.0);
    row.weight = Some(half);
    batch.push(&row);
    // A second row of the run keeps the run's weight.
    row.weight = Some(Weight::ONE);
    batch.push(&row);
    batch.push(&BatchRow::new("r3", 1, 4.0));
    assert!(batch.is_weighted());
    assert_eq!(batch.respondent_weights(), [None, Some(half), None]);
    let weights: Vec<_> = (0..4).map(|row| batch.weight(row)).collect();
    assert_eq!(weights, [None, Some(half), Some(half), None]);
    assert_eq!(batch.row(1).unwrap().weight, Some(half));
    batch.clear();
    batch.push_outcome(&Outcome::new("r4").with_weight(half));
    assert!(batch.is_weighted());
    assert_eq!(batch.outcomes()[0].weight, Some(half));
    batch.clear();
    batch.push(&BatchRow::new("r5", 0, 3.0));
    assert!(!batch.is_weighted());
}

proptest! {
    #[test]
    fn prop_texts_compare_as_texts(a in "[ab]{0,20}", b in "[ab]{0,20}") {
        prop_assert_eq!(same_text(&a, &b), a == b);
    }
}

fn observation() -> impl Strategy<Value = Observation> {
    (
        "r[0-3]",
        prop_oneof![Just("a"), Just("b")],
        1.0..=5.0f64,
        proptest::option::of(1.0..=5.0f64),
        proptest::option::of("[a-c]{0,2}"),
        proptest::option::of(prop_oneof![Just("web"), Just("Kiosk")]),
        proptest::option::of(0i64..2_000_000_000),
        proptest::option::of(proptest::sample::select(Emotion::ALL.to_vec())),
        proptest::option::of(".{0,3}"),
    )
        .prop_map(
            |(
                respondent,
                touchpoint,
                reality,
                expectation,
                segment,
                channel,
                ts,
                emotion,
                comment,
            )| {
                let mut observation = Observation::new(respondent, touchpoint, reality);
                observation.expectation = expectation;
                observation.segment = segment;
                observation.channel = channel.map(|c| c.parse().unwrap());
                observation.timestamp = ts.and_then(|s| DateTime::from_timestamp(s, 0));
                observation.emotion = emotion;
                observation.comment = comment;
                observation
            },
        )
}

proptest! {
    /// What goes in comes out, row by row, whatever is shared between rows.
    #[test]
    fn prop_rows_come_back_as_pushed(
        observations in proptest::collection::vec(observation(), 0..40),
        outcomes in proptest::collection::vec(("r[0-3]", proptest::option::of("[a-c]{0,2}"), any::<bool>()), 0..6),
    ) {
        let journey = journey();
        let mut batch = ObservationBatch::new();
        // Twice, so the second round reuses what the first left.
        for _ in 0..2 {
            batch.clear();
            let mut expected_outcomes = Vec::new();
            for observation in &observations {
                batch.push_record(observation, &journey).unwrap();
            }
            for (respondent, segment, yes) in &outcomes {
                let mut outcome = Outcome::new(respondent.as_str())
                    .with_answer(LoyaltyQuestion::WouldReturn, Answer::from(*yes));
                outcome.segment = segment.clone();
                batch.push_outcome(&outcome);
                expected_outcomes.push(outcome);
            }
            prop_assert_eq!(batch.len(), observations.len());
            for (row, observation) in observations.iter().enumerate() {
                let read_back = batch.to_observation(row, &journey);
                prop_assert_eq!(read_back.as_ref(), Some(observation));
            }
            prop_assert_eq!(batch.outcomes(), &expected_outcomes[..]);
            let respondents: Vec<&str> = (0..batch.len()).filter_map(|row| batch.respondent(row)).collect();
            let expected: Vec<&str> = observations.iter().map(|o| o.respondent_id.as_str()).collect();
            prop_assert_eq!(respondents, expected);
        }
    }
}
