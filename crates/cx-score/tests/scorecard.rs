//! The scorecard against hand-computed results, and its merge invariants.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use cx_model::{
    Answer, Channel, Emotion, Journey, LoyaltyQuestion, Observation, ObservationBatch,
    ObservationRecord, Outcome, RespondentOrder, Scale, Stage, Touchpoint, Weight,
};
use cx_score::{
    CautiousPolicy, Dimension, ErrorKind, PeakEnd, RejectReason, ScoreConfig, Scorecard,
    ScorecardAccumulator, SharePolicy, ThresholdPolicy, TrafficLight, TrafficLightPolicy, Verdict,
    WeakestLink, WeightSum,
};
use proptest::prelude::*;
use serde_json::Value;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Learn: window (store, target 3, weight 1), site (web, weight 2, moment of truth).
/// Buy: till (store, target 4, weight 3, moment of truth).
/// Scale 1..=5 with 0 meaning not applicable.
fn journey() -> Journey {
    let scale = Scale::LIKERT_5.with_not_applicable(0.0).unwrap();
    Journey::builder("Shop", scale)
        .stage(
            Stage::new("Learn")
                .touchpoint(Touchpoint::new("window", "Window", Channel::Store).target(3.0))
                .touchpoint(
                    Touchpoint::new("site", "Site", Channel::Web)
                        .weight(2.0)
                        .moment_of_truth(true),
                ),
        )
        .stage(
            Stage::new("Buy").touchpoint(
                Touchpoint::new("till", "Till", Channel::Store)
                    .target(4.0)
                    .weight(3.0)
                    .moment_of_truth(true),
            ),
        )
        .build()
        .unwrap()
}

/// [`journey`] with the till's id changed.
fn journey_with_till_named(id: &str) -> Journey {
    let shop = journey();
    let mut stages = shop.stages().to_vec();
    stages[1].touchpoints[0].id = id.into();
    Journey::new(shop.name(), *shop.scale(), stages).unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// Three respondents:
/// - r1 (segment a, Fri 2024-03-15, ISO week 11): window 4 vs target 3 (+1, happy),
///   site 5 vs own 5 (0), till 2 vs target 4 (-2).
/// - r2 (segment b, Mon 2024-03-18, week 12): window 2 vs own 4 (-2, frustrated),
///   site 3 vs own 4 (-1), till 3 vs target 4 (-1, frustrated, by phone).
/// - r3 (no segment, no time): window not applicable, site 3 with no expectation.
fn observations() -> Vec<Observation> {
    let r1 = |tp: &str, reality: f64| {
        Observation::new("r1", tp, reality)
            .with_segment("a")
            .with_timestamp(at("2024-03-15T10:00:00Z"))
    };
    let r2 = |tp: &str, reality: f64| {
        Observation::new("r2", tp, reality)
            .with_segment("b")
            .with_timestamp(at("2024-03-18T09:00:00Z"))
    };
    vec![
        r1("window", 4.0).with_emotion(Emotion::Happy),
        r1("site", 5.0).with_expectation(5.0),
        r1("till", 2.0),
        r2("window", 2.0)
            .with_expectation(4.0)
            .with_emotion(Emotion::Frustrated),
        r2("site", 3.0).with_expectation(4.0),
        r2("till", 3.0)
            .with_emotion(Emotion::Frustrated)
            .with_channel(Channel::Phone),
        Observation::new("r3", "window", 0.0),
        Observation::new("r3", "site", 3.0),
    ]
}

fn outcomes() -> Vec<Outcome> {
    use LoyaltyQuestion::{ExpectationsMet, WouldRecommend, WouldReturn};
    vec![
        Outcome::new("r1")
            .with_answer(ExpectationsMet, Answer::Yes)
            .with_answer(WouldReturn, Answer::Yes)
            .with_answer(WouldRecommend, Answer::Yes)
            .with_likelihood_to_recommend(10.0)
            .with_effort(2.0)
            .with_segment("a"),
        Outcome::new("r2")
            .with_answer(ExpectationsMet, Answer::No)
            .with_answer(WouldReturn, Answer::Yes)
            .with_answer(WouldRecommend, Answer::No)
            .with_likelihood_to_recommend(6.0)
            .with_effort(4.0)
            .with_segment("b"),
        Outcome::new("r3")
            .with_answer(ExpectationsMet, Answer::Yes)
            .with_answer(WouldRecommend, Answer::Yes)
            .with_likelihood_to_recommend(8.0),
    ]
}

fn scored(config: ScoreConfig) -> ScorecardAccumulator {
    let mut scorer = ScorecardAccumulator::new(journey(), config)
        .unwrap()
        .breakdown_by(Dimension::Segment)
        .breakdown_by(Dimension::Week)
        .breakdown_by(Dimension::Channel);
    for observation in observations() {
        scorer.try_push(&observation).unwrap();
    }
    for outcome in outcomes() {
        scorer.try_push_outcome(&outcome).unwrap();
    }
    scorer
}

fn small_sample() -> ScoreConfig {
    ScoreConfig {
        min_sample: 2,
        ..ScoreConfig::default()
    }
}

#[test]
fn touchpoints_by_hand() {
    let card = scored(small_sample()).finish();
    let [window, site, till] = &card.overall.touchpoints[..] else {
        panic!("three touchpoints expected");
    };

    // window: gaps +1, -2 (span 4: 0.25, -0.5); mean -0.5 points, -0.125 normalized → yellow.
    assert_eq!(window.stats.observations, 3);
    assert_eq!(window.stats.not_applicable, 1);
    assert_eq!(window.stats.gap.n, 2);
    assert_eq!(window.stats.gap.points.mean, Some(-0.5));
    assert_eq!(window.stats.gap.normalized.mean, Some(-0.125));
    // Expectation: target 3 for r1, own 4 for r2 → mean 3.5.
    assert_eq!(window.stats.expectation.mean, Some(3.5));
    assert_eq!(window.stats.reality.mean, Some(3.0));
    assert_eq!(
        (window.stats.gap.met.count, window.stats.gap.wow.count),
        (1, 1)
    );
    assert_eq!(
        window.stats.gap.lights.green + window.stats.gap.lights.red,
        2
    );
    assert_eq!(window.light, Some(TrafficLight::Yellow));
    // CSAT: realities 4, 2 → one in the top two points.
    assert_eq!((window.stats.csat.count, window.stats.csat.n), (1, 2));
    // Emotions: happy 1, frustrated 1 → net 0, no dominant emotion.
    assert_eq!(window.stats.emotions.net, Some(0.0));
    assert_eq!(window.stats.emotions.dominant, None);
    assert!(window.first_contact && !window.last_contact && !window.moment_of_truth);

    // site: gaps 0, -1 → -0.125 normalized → yellow; r3 has no expectation and no target.
    assert_eq!(site.stats.without_expectation, 1);
    assert_eq!(site.stats.reality.n, 3);
    assert_eq!(site.stats.gap.normalized.mean, Some(-0.125));
    assert_eq!(site.stats.gap.met.share, Some(0.5));
    assert_eq!(site.stats.gap.wow.count, 0);
    assert_eq!(site.light, Some(TrafficLight::Yellow));
    assert!(site.moment_of_truth);

    // till: gaps -2, -1 → -1.5 points, -0.375 normalized → red.
    assert_eq!(till.stats.gap.points.mean, Some(-1.5));
    assert_eq!(till.stats.gap.normalized.mean, Some(-0.375));
    assert_eq!(till.stats.gap.met.count, 0);
    assert_eq!(till.stats.gap.shortfall.share, Some(1.0));
    assert_eq!(till.light, Some(TrafficLight::Red));
    assert_eq!(till.stats.emotions.dominant, Some(Emotion::Frustrated));
    assert_eq!(till.stats.emotions.net, Some(-1.0));
    assert!(till.last_contact && till.moment_of_truth);
    assert_eq!(till.stage, "Buy");
}

#[test]
fn stages_journey_and_opportunities_by_hand() {
    let card = scored(small_sample()).finish();
    let overall = &card.overall;

    // Learn pools 1, -2, 0, -1 → -0.5 points → -0.125; weighted mean of
    // window (-0.125, weight 1) and site (-0.125, weight 2) → -0.125.
    let learn = &overall.stages[0];
    assert_eq!(learn.name, "Learn");
    assert_eq!(learn.pooled.stats.gap.n, 4);
    assert_eq!(learn.pooled.stats.gap.normalized.mean, Some(-0.125));
    assert_eq!(learn.pooled.score, Some(-0.125));
    assert_eq!(learn.pooled.light, Some(TrafficLight::Yellow));
    let buy = &overall.stages[1];
    assert_eq!(buy.pooled.light, Some(TrafficLight::Red));

    // Journey pools 1, -2, 0, -1, -2, -1 → -5/6 points → -5/24 normalized → yellow.
    // Weighted mean: (1·-0.125 + 2·-0.125 + 3·-0.375) / 6 = -0.25.
    let journey = &overall.journey;
    assert!(close(
        journey.stats.gap.normalized.mean.unwrap(),
        -5.0 / 24.0
    ));
    assert_eq!(journey.light, Some(TrafficLight::Yellow));
    assert!(close(journey.score.unwrap(), -0.25));

    // impact = weight × reach × shortfall: window 1·2·0.125 = 0.25,
    // site 2·2·0.125 = 0.5, till 3·2·0.375 = 2.25.
    let ranked: Vec<_> = overall
        .opportunities
        .iter()
        .map(|o| (o.rank, o.id.as_str(), o.impact))
        .collect();
    assert_eq!(
        ranked,
        [(1, "till", 2.25), (2, "site", 0.5), (3, "window", 0.25)]
    );
}

#[test]
fn other_aggregations_and_policies() {
    let scorer = scored(small_sample());
    let card = scorer.finish_with(&CautiousPolicy::default(), &WeakestLink);
    assert_eq!(card.policy, "cautious");
    assert_eq!(card.aggregation, "weakest_link");
    assert_eq!(card.overall.journey.score, Some(-0.375));
    // till: normalized gaps -0.5, -0.25: mean -0.375, sd 0.176777, se 0.125,
    // t(0.975, 1) = 12.706205 → interval -1.963276..1.213276 straddles both
    // thresholds → yellow under the cautious policy.
    assert_eq!(
        card.overall.touchpoints[2].light,
        Some(TrafficLight::Yellow)
    );

    // Peak-end: the most extreme is till (-0.375), the last is till → -0.375.
    let card = scorer.finish_with(&SharePolicy::default(), &PeakEnd);
    assert_eq!(card.overall.journey.score, Some(-0.375));
    // Share policy: met 1/2 < 0.70 → red for window; till 0/2 → red.
    assert_eq!(card.overall.touchpoints[0].light, Some(TrafficLight::Red));
}

#[test]
fn minimum_sample_withholds_the_light() {
    let card = scored(ScoreConfig::default()).finish();
    for touchpoint in &card.overall.touchpoints {
        assert!(touchpoint.insufficient_data, "{}", touchpoint.id);
        assert_eq!(touchpoint.light, None);
        assert!(touchpoint.stats.gap.n > 0, "numbers are still reported");
    }
    assert!(card.overall.opportunities.is_empty());
}

#[test]
fn loyalty_nps_and_effort_by_hand() {
    let card = scored(small_sample()).finish();
    let overall = &card.overall;
    assert_eq!(overall.outcomes, 3);
    let loyalty = &overall.loyalty;
    // met: yes r1, r3; no r2 → 2/3. Return: yes r1, r2; r3 skipped → 2/2.
    let met = loyalty.question(LoyaltyQuestion::ExpectationsMet);
    assert_eq!((met.yes.count, met.yes.n), (2, 3));
    let back = loyalty.question(LoyaltyQuestion::WouldReturn);
    assert_eq!((back.yes.count, back.yes.n, back.not_answered), (2, 2, 1));
    assert_eq!((loyalty.yes_to_all.count, loyalty.yes_to_all.n), (1, 2));
    assert!(!loyalty.point_rule_on_track);
    // NPS: 10 promoter, 6 detractor, 8 passive → 0; SE = 100·√((1/3 + 1/3)/3) = 47.140452.
    let nps = &overall.nps;
    assert_eq!((nps.promoters, nps.passives, nps.detractors), (1, 1, 1));
    assert_eq!(nps.nps, Some(0.0));
    assert!((nps.se.unwrap() - 47.140_452).abs() < 1e-6);
    // Effort 2 and 4: mean 3, sd √2.
    assert_eq!(overall.effort.mean, Some(3.0));
    assert!(close(overall.effort.sd.unwrap(), 2f64.sqrt()));
}

#[test]
fn breakdowns_by_hand() {
    let card = scored(small_sample()).finish();
    let by = |dimension: Dimension| {
        card.breakdowns
            .iter()
            .find(|b| b.dimension == dimension)
            .unwrap()
    };

    let segments = by(Dimension::Segment);
    let keys: Vec<_> = segments.groups.iter().map(|g| g.key.as_deref()).collect();
    assert_eq!(keys, [Some("a"), Some("b"), None]);
    // Segment a: window +1, site 0, till -2.
    let a = &segments.groups[0].score;
    assert_eq!(a.touchpoints[0].stats.gap.points.mean, Some(1.0));
    assert_eq!(a.touchpoints[2].stats.gap.points.mean, Some(-2.0));
    assert_eq!(a.nps.promoters, 1);
    assert_eq!(a.outcomes, 1);
    // One gap per touchpoint: below the minimum sample of 2.
    assert!(a.touchpoints.iter().all(|t| t.insufficient_data));
    // The respondent without a segment: window not applicable, site without expectation, plus r3's outcome.
    let missing = &segments.groups[2].score;
    assert_eq!(missing.touchpoints[0].stats.not_applicable, 1);
    assert_eq!(missing.touchpoints[1].stats.without_expectation, 1);
    assert_eq!(missing.outcomes, 1);

    let weeks = by(Dimension::Week);
    let keys: Vec<_> = weeks.groups.iter().map(|g| g.key.as_deref()).collect();
    assert_eq!(keys, [Some("2024-W11"), Some("2024-W12"), None]);

    // Channel: r2's till was by phone; the rest take the touchpoint's channel.
    let channels = by(Dimension::Channel);
    let keys: Vec<_> = channels.groups.iter().map(|g| g.key.as_deref()).collect();
    assert_eq!(keys, [Some("phone"), Some("store"), Some("web")]);
    let phone = &channels.groups[0].score;
    assert_eq!(phone.touchpoints[2].stats.gap.points.mean, Some(-1.0));
    assert_eq!(phone.outcomes, 0, "outcomes have no channel");
    let store = &channels.groups[1].score;
    assert_eq!(store.touchpoints[0].stats.observations, 3);
    assert_eq!(store.touchpoints[2].stats.observations, 1);
}

#[test]
fn empty_input() {
    let card = ScorecardAccumulator::new(journey(), ScoreConfig::default())
        .unwrap()
        .finish();
    assert_eq!(card.counts.observations.read, 0);
    let overall = &card.overall;
    assert!(overall.touchpoints.iter().all(|t| t.stats.observations == 0
        && t.light.is_none()
        && t.stats.gap.normalized.mean.is_none()));
    assert_eq!(overall.journey.score, None);
    assert_eq!(overall.nps.nps, None);
    assert_eq!(overall.effort.mean, None);
    assert!(overall.opportunities.is_empty());
    assert!(!overall.loyalty.point_rule_on_track);
}

#[test]
fn one_observation() {
    let config = ScoreConfig {
        min_sample: 1,
        ..ScoreConfig::default()
    };
    let mut scorer = ScorecardAccumulator::new(journey(), config).unwrap();
    scorer
        .try_push(&Observation::new("r", "till", 5.0))
        .unwrap();
    let card = scorer.finish();
    let till = &card.overall.touchpoints[2];
    // 5 vs target 4: +1 point = 0.25 → green and a WOW moment; no spread from one value.
    assert_eq!(till.stats.gap.normalized.mean, Some(0.25));
    assert_eq!(till.stats.gap.normalized.sd, None);
    assert_eq!(till.stats.gap.wow.share, Some(1.0));
    assert_eq!(till.light, Some(TrafficLight::Green));
    assert_eq!(card.overall.journey.score, Some(0.25));
}

#[test]
fn all_expectations_missing() {
    // No own expectations and no targets: nothing has a gap, everything is still counted.
    let journey = Journey::builder("Plain", Scale::LIKERT_5)
        .stage(Stage::new("Only").touchpoint(Touchpoint::new("t", "T", Channel::App)))
        .build()
        .unwrap();
    let mut scorer = ScorecardAccumulator::new(journey, small_sample()).unwrap();
    for reality in [1.0, 4.0, 5.0] {
        scorer
            .try_push(&Observation::new("r", "t", reality))
            .unwrap();
    }
    let card = scorer.finish();
    let t = &card.overall.touchpoints[0];
    assert_eq!(t.stats.observations, 3);
    assert_eq!(t.stats.without_expectation, 3);
    assert_eq!(t.stats.gap.n, 0);
    assert_eq!(t.stats.gap.met.share, None);
    assert!(t.insufficient_data && t.light.is_none());
    assert!(close(t.stats.reality.mean.unwrap(), 10.0 / 3.0));
    assert_eq!((t.stats.csat.count, t.stats.csat.n), (2, 3));
    assert_eq!(card.counts.observations.accepted, 3);
}

#[test]
fn bad_records_are_rejected_with_a_reason_and_counted() {
    let mut scorer = ScorecardAccumulator::new(journey(), ScoreConfig::default()).unwrap();
    let cases = [
        (
            Observation::new("x", "door", 3.0),
            RejectReason::UnknownTouchpoint,
            "touchpoint",
            r#"respondent "x": field "touchpoint": "door" is not a touchpoint of journey "Shop""#,
        ),
        (
            Observation::new("x", "till", f64::NAN),
            RejectReason::RealityNotFinite,
            "reality",
            r#"respondent "x": field "reality": rating NaN is not a finite number"#,
        ),
        (
            Observation::new("x", "till", 6.0),
            RejectReason::RealityOutOfScale,
            "reality",
            r#"respondent "x": field "reality": rating 6 is outside the scale 1..=5 (0 = not applicable)"#,
        ),
        (
            Observation::new("x", "till", 3.0).with_expectation(f64::INFINITY),
            RejectReason::ExpectationNotFinite,
            "expectation",
            r#"respondent "x": field "expectation": rating inf is not a finite number"#,
        ),
        (
            Observation::new("x", "till", 3.0).with_expectation(-1.0),
            RejectReason::ExpectationOutOfScale,
            "expectation",
            r#"respondent "x": field "expectation": rating -1 is outside the scale 1..=5 (0 = not applicable)"#,
        ),
    ];
    for (observation, reason, field, message) in cases {
        let rejection = scorer.try_push(&observation).unwrap_err();
        assert_eq!((rejection.reason, rejection.field), (reason, field));
        assert_eq!(rejection.to_string(), message);
    }
    // Lenient: push counts without returning anything.
    scorer.push(&Observation::new("y", "door", 3.0));
    scorer.push(&Observation::new("y", "till", 3.0));

    let outcome_cases = [
        (
            Outcome::new("x").with_likelihood_to_recommend(11.0),
            RejectReason::LikelihoodOutOfScale,
        ),
        (
            Outcome::new("x").with_likelihood_to_recommend(f64::NAN),
            RejectReason::LikelihoodNotFinite,
        ),
        (
            Outcome::new("x").with_effort(f64::NEG_INFINITY),
            RejectReason::EffortNotFinite,
        ),
    ];
    for (outcome, reason) in outcome_cases {
        assert_eq!(
            scorer.try_push_outcome(&outcome).unwrap_err().reason,
            reason
        );
    }
    scorer.push_outcome(&Outcome::new("y").with_likelihood_to_recommend(7.0));

    let card = scorer.finish();
    let observations = &card.counts.observations;
    assert_eq!((observations.read, observations.accepted), (7, 1));
    assert_eq!(observations.rejected[&RejectReason::UnknownTouchpoint], 2);
    assert_eq!(observations.rejected_total(), 6);
    assert_eq!(
        observations.read,
        observations.accepted + observations.rejected_total()
    );
    let outcomes = &card.counts.outcomes;
    assert_eq!(
        (outcomes.read, outcomes.accepted, outcomes.rejected_total()),
        (4, 1, 3)
    );
    // Nothing rejected reached the statistics.
    assert_eq!(card.overall.touchpoints[2].stats.observations, 1);
    assert_eq!(card.overall.nps.n, 1);
}

#[test]
fn effort_scale_is_enforced_when_configured() {
    let config = ScoreConfig {
        effort_scale: Some(Scale::LIKERT_7),
        ..ScoreConfig::default()
    };
    let mut scorer = ScorecardAccumulator::new(journey(), config).unwrap();
    let rejection = scorer
        .try_push_outcome(&Outcome::new("x").with_effort(8.0))
        .unwrap_err();
    assert_eq!(rejection.reason, RejectReason::EffortOutOfScale);
    assert!(
        scorer
            .try_push_outcome(&Outcome::new("x").with_effort(7.0))
            .is_ok()
    );
}

#[test]
fn invalid_config_is_refused() {
    let config = ScoreConfig {
        confidence: 2.0,
        ..ScoreConfig::default()
    };
    let error = ScorecardAccumulator::new(journey(), config).unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::InvalidConfig {
            field: "confidence",
            ..
        }
    ));
}

#[test]
fn merge_refuses_mismatched_accumulators() {
    let base = ScorecardAccumulator::new(journey(), ScoreConfig::default()).unwrap();
    let mut with_segments = base.clone().breakdown_by(Dimension::Segment);
    let two = base
        .clone()
        .breakdown_by(Dimension::Segment)
        .breakdown_by(Dimension::Channel);
    let other_config = ScorecardAccumulator::new(journey(), small_sample()).unwrap();
    let renamed = journey_with_till_named("cashier");
    let other_touchpoint = ScorecardAccumulator::new(renamed, ScoreConfig::default()).unwrap();
    let mut plain = base.clone();
    let mismatch = |into: &mut ScorecardAccumulator, from: &ScorecardAccumulator| {
        let error = into.merge(from).unwrap_err();
        assert!(error.is_merge(), "{error}");
        error.to_string()
    };
    let prefix = "cannot merge scorecard accumulators: they differ in ";
    let cases = [
        (mismatch(&mut with_segments, &two), "breakdowns"),
        (
            mismatch(&mut plain, &other_config),
            "config.min_sample: 30 vs 2",
        ),
        (
            mismatch(&mut plain, &other_touchpoint),
            r#"journey.stages[1].touchpoints[0].id: "till" vs "cashier""#,
        ),
        (
            mismatch(
                &mut plain,
                &base.clone().respondent_order(RespondentOrder::Scattered),
            ),
            "respondent_order: contiguous vs scattered",
        ),
    ];
    assert_eq!(
        cases[0].0,
        format!("{prefix}breakdowns: [segment] vs [segment, channel]")
    );
    for (message, expected) in &cases[1..] {
        assert_eq!(message, &format!("{prefix}{expected}"));
    }
    assert_eq!(plain, base, "a failed merge changes nothing");
}

#[test]
fn a_users_own_borrowed_type_is_scored_in_place() {
    /// Rows as a product might hold them: borrowed from its own buffers.
    struct Row<'a> {
        who: &'a str,
        step: &'a str,
        stars: u8,
    }
    impl ObservationRecord for Row<'_> {
        fn respondent_id(&self) -> &str {
            self.who
        }
        fn touchpoint_id(&self) -> &str {
            self.step
        }
        fn reality(&self) -> f64 {
            f64::from(self.stars)
        }
    }
    let buffer = String::from("u1 till u2 till");
    let words: Vec<&str> = buffer.split(' ').collect();
    let rows = [
        Row {
            who: words[0],
            step: words[1],
            stars: 5,
        },
        Row {
            who: words[2],
            step: words[3],
            stars: 3,
        },
    ];
    let mut scorer = ScorecardAccumulator::new(journey(), small_sample()).unwrap();
    for row in &rows {
        scorer.try_push(row).unwrap();
    }
    // 5 and 3 against the target 4: gaps +1 and -1, mean 0 → green.
    let card = scorer.finish();
    assert_eq!(card.overall.touchpoints[2].stats.gap.points.mean, Some(0.0));
    assert_eq!(card.overall.touchpoints[2].light, Some(TrafficLight::Green));
}

#[test]
fn records_pushed_before_a_breakdown_count_in_the_whole_survey_only() {
    let mut scorer = ScorecardAccumulator::new(journey(), ScoreConfig::default()).unwrap();
    scorer.push(&Observation::new("a", "till", 5.0).with_segment("new"));
    let mut scorer = scorer.breakdown_by(Dimension::Segment);
    scorer.push(&Observation::new("b", "till", 3.0).with_segment("new"));
    let card = scorer.finish();
    let till = &card.overall.touchpoints[2];
    // Both realities (5 and 3) overall; only the second in the breakdown.
    assert_eq!(till.stats.reality.n, 2);
    assert_eq!(till.stats.reality.mean, Some(4.0));
    let group = &card.breakdowns[0].groups[0];
    assert_eq!(group.key.as_deref(), Some("new"));
    assert_eq!(group.score.touchpoints[2].stats.reality.mean, Some(3.0));
}

#[test]
fn accumulator_and_scorecard_survive_serde() {
    let scorer = scored(small_sample());
    let json = serde_json::to_string(&scorer).unwrap();
    let back: ScorecardAccumulator = serde_json::from_str(&json).unwrap();
    assert_eq!(back, scorer);
    let card = scorer.finish();
    let card_json = serde_json::to_string(&card).unwrap();
    let card_back: Scorecard = serde_json::from_str(&card_json).unwrap();
    assert_eq!(card_back, card);
}

// ---- merge invariants -------------------------------------------------------

/// Every number in `a` within 1e-9 of the same number in `b`; everything else equal.
/// A breakdown holds at most `max_groups` groups: a record whose key
/// would be one too many is rejected with its reason and counted, scored
/// nowhere (the whole survey included), in a batch as one by one and for
/// outcomes too; a merge whose groups together pass the limit fails and
/// leaves the accumulator as it was.
#[test]
fn breakdown_groups_are_capped() {
    let limited = || {
        ScorecardAccumulator::new(journey(), ScoreConfig::default())
            .unwrap()
            .breakdown_by(Dimension::Segment)
            .breakdown_by(Dimension::Day)
            .max_groups(2)
    };
    let records = [
        Observation::new("r1", "window", 4.0).with_segment("a"),
        Observation::new("r2", "window", 2.5).with_segment("b"),
        Observation::new("r3", "window", 2.5).with_segment("c"),
        Observation::new("r4", "window", 5.0).with_segment("a"),
        Observation::new("r5", "window", 3.0),
        Observation::new("r6", "window", 9.0).with_segment("d"),
    ];
    let mut batch = ObservationBatch::new();
    for record in &records {
        batch.push_record(record, &journey()).unwrap();
    }
    let mut scorer = limited();
    let refused = scorer.try_push_batch(&batch).unwrap_err();
    assert_eq!(
        (refused.reason, refused.respondent.as_str(), refused.field),
        (RejectReason::TooManyGroups, "r3", "segment")
    );
    let mut one_by_one = limited();
    for record in &records {
        one_by_one.push(record);
    }
    assert_eq!(scorer, one_by_one);
    assert_eq!(scorer.full_breakdowns(), [Dimension::Segment]);

    let outcome = Outcome::new("r7")
        .with_likelihood_to_recommend(9.0)
        .with_segment("e");
    let refused = scorer.try_push_outcome(&outcome).unwrap_err();
    assert_eq!(refused.reason, RejectReason::TooManyGroups);
    scorer
        .try_push_outcome(&outcome.clone().with_segment("b"))
        .unwrap();

    let card = scorer.finish();
    let observations = &card.counts.observations;
    assert_eq!((observations.read, observations.accepted), (6, 4));
    assert_eq!(observations.rejected[&RejectReason::TooManyGroups], 1);
    assert_eq!(observations.rejected[&RejectReason::RealityOutOfScale], 1);
    assert_eq!(
        card.counts.outcomes.rejected[&RejectReason::TooManyGroups],
        1
    );
    assert_eq!(card.overall.touchpoints[0].stats.observations, 4);
    assert_eq!(card.overall.nps.n, 1);
    let keys: Vec<Option<&str>> = card.breakdowns[0]
        .groups
        .iter()
        .map(|group| group.key.as_deref())
        .collect();
    assert_eq!(keys, [Some("a"), Some("b"), None]);

    // Two parts within the limit whose groups together are not.
    let mut north = limited();
    north.push(&records[0]);
    let mut south = limited();
    south.push(&records[1]);
    south.push(&records[2]);
    let before = north.clone();
    let error = north.merge(&south).unwrap_err();
    assert!(error.is_merge());
    assert_eq!(
        error.kind(),
        &ErrorKind::TooManyGroups {
            dimension: "segment",
            limit: 2
        }
    );
    assert_eq!(north, before);
    let mut wider = north.clone().max_groups(3);
    wider.merge(&south).unwrap();
    assert!(wider.full_breakdowns().is_empty());
}

fn assert_json_close(a: &Value, b: &Value, path: &str) -> Result<(), TestCaseError> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            prop_assert!((x - y).abs() <= 1e-9, "{path}: {x} != {y}");
        }
        (Value::Array(xs), Value::Array(ys)) => {
            prop_assert_eq!(xs.len(), ys.len(), "{}: lengths", path);
            for (i, (x, y)) in xs.iter().zip(ys).enumerate() {
                assert_json_close(x, y, &format!("{path}[{i}]"))?;
            }
        }
        (Value::Object(xs), Value::Object(ys)) => {
            prop_assert_eq!(xs.len(), ys.len(), "{}: keys", path);
            for (key, x) in xs {
                let y = ys.get(key);
                prop_assert!(y.is_some(), "{path}.{key} missing");
                assert_json_close(x, y.unwrap(), &format!("{path}.{key}"))?;
            }
        }
        _ => prop_assert_eq!(a, b, "{}", path),
    }
    Ok(())
}

fn arbitrary_observation() -> impl Strategy<Value = Observation> {
    let touchpoint = prop_oneof![Just("window"), Just("site"), Just("till"), Just("door")];
    let reality = prop_oneof![
        8 => (0u8..=5).prop_map(f64::from),
        1 => Just(2.5),
        1 => prop_oneof![Just(7.0), Just(f64::NAN), Just(-1.0)],
    ];
    let expectation = proptest::option::of((1u8..=5).prop_map(f64::from));
    let segment = proptest::option::of(prop_oneof![Just("a"), Just("b"), Just("c")]);
    let day = proptest::option::of(0i64..40);
    let emotion = proptest::option::of(0usize..18);
    (
        0u16..50,
        touchpoint,
        reality,
        expectation,
        segment,
        day,
        emotion,
    )
        .prop_map(|(who, tp, reality, expectation, segment, day, emotion)| {
            let mut observation = Observation::new(format!("r{who}"), tp, reality);
            observation.expectation = expectation;
            observation.segment = segment.map(String::from);
            observation.timestamp =
                day.map(|d| at("2024-01-01T12:00:00Z") + chrono::Duration::days(d));
            observation.emotion = emotion.map(|i| Emotion::ALL[i]);
            observation
        })
}

fn arbitrary_outcome() -> impl Strategy<Value = Outcome> {
    let answer = prop_oneof![
        Just(Answer::Yes),
        Just(Answer::No),
        Just(Answer::NotAnswered)
    ];
    let likelihood = proptest::option::of(prop_oneof![
        9 => (0u8..=10).prop_map(f64::from),
        1 => Just(12.0),
    ]);
    (
        0u16..50,
        [answer.clone(), answer.clone(), answer],
        likelihood,
        proptest::option::of(1u8..=7),
        proptest::option::of(prop_oneof![Just("a"), Just("b")]),
    )
        .prop_map(|(who, answers, likelihood, effort, segment)| {
            let mut outcome = LoyaltyQuestion::ALL
                .into_iter()
                .zip(answers)
                .fold(Outcome::new(format!("r{who}")), |o, (q, a)| {
                    o.with_answer(q, a)
                });
            outcome.likelihood_to_recommend = likelihood;
            outcome.effort = effort.map(f64::from);
            outcome.segment = segment.map(String::from);
            outcome
        })
}

fn empty_scorer() -> ScorecardAccumulator {
    ScorecardAccumulator::new(
        journey(),
        ScoreConfig {
            min_sample: 3,
            ..ScoreConfig::default()
        },
    )
    .unwrap()
    .breakdown_by(Dimension::Segment)
    .breakdown_by(Dimension::Month)
    .breakdown_by(Dimension::Channel)
}

fn scorer_of(observations: &[Observation], outcomes: &[Outcome]) -> ScorecardAccumulator {
    let mut scorer = empty_scorer();
    observations.iter().for_each(|o| scorer.push(o));
    outcomes.iter().for_each(|o| scorer.push_outcome(o));
    scorer
}

fn finished_json(scorer: &ScorecardAccumulator) -> Value {
    serde_json::to_value(scorer.finish_with(&CautiousPolicy::default(), &PeakEnd)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any split into chunks, merged in any order, gives the one-pass result,
    /// bit for bit. A respondent's observations come together, as readers
    /// hand them on (the pooled figures by respondent take a run of one
    /// respondent's rows as their cluster); a cut may fall inside them.
    #[test]
    fn merge_in_any_order_and_split_equals_one_pass(
        observations in proptest::collection::vec(arbitrary_observation(), 0..120),
        outcomes in proptest::collection::vec(arbitrary_outcome(), 0..40),
        cuts in proptest::collection::vec(0usize..120, 0..5),
        order in any::<proptest::sample::Index>(),
    ) {
        let mut observations = observations;
        observations.sort_by(|a, b| a.respondent_id.cmp(&b.respondent_id));
        let whole = finished_json(&scorer_of(&observations, &outcomes));

        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(observations.len())).collect();
        bounds.extend([0, observations.len()]);
        bounds.sort_unstable();
        let mut parts: Vec<ScorecardAccumulator> = bounds
            .windows(2)
            .map(|w| scorer_of(&observations[w[0]..w[1]], &[]))
            .collect();
        // Outcomes go to one more part, somewhere in the list.
        parts.insert(order.index(parts.len() + 1), scorer_of(&[], &outcomes));

        // Left to right, right to left, and as a balanced tree.
        let mut forward = empty_scorer();
        for part in &parts { forward.merge(part).unwrap(); }
        let mut backward = empty_scorer();
        for part in parts.iter().rev() { backward.merge(part).unwrap(); }
        let mut level = parts;
        while level.len() > 1 {
            level = level.chunks(2).map(|pair| {
                let mut merged = pair[0].clone();
                if let Some(right) = pair.get(1) { merged.merge(right).unwrap(); }
                merged
            }).collect();
        }
        let tree = level.pop().unwrap();

        // Ratings are whole points, which every accumulator keeps exactly:
        // the same bits in any split and order, not merely close.
        for merged in [&forward, &backward, &tree] {
            prop_assert_eq!(&finished_json(merged), &whole);
        }
    }

    /// Scoring batches (of any size, unknown touchpoints left out by the
    /// batch and counted by the caller) equals pushing each record, state
    /// and scorecard alike.
    #[test]
    fn prop_batches_score_as_records(
        observations in proptest::collection::vec(arbitrary_observation(), 0..120),
        outcomes in proptest::collection::vec(arbitrary_outcome(), 0..40),
        batch_rows in 1usize..50,
    ) {
        let one_by_one = scorer_of(&observations, &outcomes);
        let journey = journey();
        let mut batched = empty_scorer();
        let mut batch = ObservationBatch::new();
        for chunk in observations.chunks(batch_rows) {
            batch.clear();
            for observation in chunk {
                if batch.push_record(observation, &journey).is_err() {
                    // What a reader does with an unknown touchpoint.
                    batched.push(observation);
                }
            }
            batched.push_batch(&batch);
        }
        batch.clear();
        for outcome in &outcomes {
            batch.push_outcome(outcome);
        }
        batched.push_batch(&batch);
        prop_assert_eq!(&batched, &one_by_one);
        prop_assert_eq!(finished_json(&batched), finished_json(&one_by_one));
    }

    /// The whole survey's scores do not depend on the breakdowns asked
    /// for, bit for bit, though with breakdowns they are summed from the
    /// groups rather than pushed to.
    #[test]
    fn the_overall_scores_ignore_breakdowns(
        observations in proptest::collection::vec(arbitrary_observation(), 0..120),
        outcomes in proptest::collection::vec(arbitrary_outcome(), 0..40),
    ) {
        let plain = ScorecardAccumulator::new(journey(), ScoreConfig { min_sample: 3, ..ScoreConfig::default() }).unwrap();
        let mut bare = plain.clone();
        observations.iter().for_each(|o| bare.push(o));
        outcomes.iter().for_each(|o| bare.push_outcome(o));
        let broken_down = scorer_of(&observations, &outcomes);
        prop_assert_eq!(&finished_json(&broken_down)["overall"], &finished_json(&bare)["overall"]);
    }

    /// (a + b) + c = a + (b + c), and a + b = b + a.
    #[test]
    fn merge_is_associative_and_commutative(
        a in proptest::collection::vec(arbitrary_observation(), 0..40),
        b in proptest::collection::vec(arbitrary_observation(), 0..40),
        c in proptest::collection::vec(arbitrary_observation(), 0..40),
    ) {
        let (sa, sb, sc) = (scorer_of(&a, &[]), scorer_of(&b, &[]), scorer_of(&c, &[]));
        let mut left = sa.clone();
        left.merge(&sb).unwrap();
        left.merge(&sc).unwrap();
        let mut bc = sb.clone();
        bc.merge(&sc).unwrap();
        let mut right = sa.clone();
        right.merge(&bc).unwrap();
        assert_json_close(&finished_json(&left), &finished_json(&right), "associative")?;
        let mut ab = sa.clone();
        ab.merge(&sb).unwrap();
        let mut ba = sb;
        ba.merge(&sa).unwrap();
        assert_json_close(&finished_json(&ab), &finished_json(&ba), "commutative")?;
    }

    /// Shares stay in 0..=1 with intervals around them, NPS in -100..=100, and
    /// read = accepted + rejected.
    #[test]
    fn results_stay_in_range(
        observations in proptest::collection::vec(arbitrary_observation(), 0..150),
        outcomes in proptest::collection::vec(arbitrary_outcome(), 0..60),
    ) {
        let scorer = scorer_of(&observations, &outcomes);
        let card = scorer.finish();
        let counts = &card.counts;
        prop_assert_eq!(counts.observations.read, observations.len() as u64);
        prop_assert_eq!(counts.observations.read, counts.observations.accepted + counts.observations.rejected_total());
        prop_assert_eq!(counts.outcomes.read, counts.outcomes.accepted + counts.outcomes.rejected_total());
        let groups = std::iter::once(&card.overall)
            .chain(card.breakdowns.iter().flat_map(|b| b.groups.iter().map(|g| &g.score)));
        for group in groups {
            for t in &group.touchpoints {
                let gap = &t.stats.gap;
                for share in [gap.met, gap.wow, gap.shortfall, t.stats.csat] {
                    if let (Some(p), Some(ci)) = (share.share, share.ci) {
                        prop_assert!((0.0..=1.0).contains(&p));
                        prop_assert!(ci.contains(p) && ci.lower >= 0.0 && ci.upper <= 1.0);
                    }
                }
                if let Some(mean) = gap.normalized.mean {
                    prop_assert!((-1.0..=1.0).contains(&mean));
                }
                if let Some(net) = t.stats.emotions.net {
                    prop_assert!((-1.0..=1.0).contains(&net));
                }
            }
            for question in &group.loyalty.questions {
                if let (Some(p), Some(ci)) = (question.yes.share, question.yes.ci) {
                    prop_assert!(ci.contains(p));
                }
            }
            if let Some(nps) = group.nps.nps {
                prop_assert!((-100.0..=100.0).contains(&nps));
                prop_assert!(group.nps.ci.unwrap().contains(nps));
            }
        }
    }
}

// ---- accumulator state ------------------------------------------------------

/// Observations as [`arbitrary_observation`] makes them, some with a
/// reality that is no whole or half point, so that the floating-point sums
/// (and their `-0.0`s) are in the state too.
fn arbitrary_observation_off_grid() -> impl Strategy<Value = Observation> {
    (arbitrary_observation(), proptest::option::of(1.0..=5.0f64)).prop_map(
        |(mut observation, reality)| {
            if let Some(reality) = reality {
                observation.reality = reality;
            }
            observation
        },
    )
}

/// The scorecard as JSON text: unlike `PartialEq`, it tells `-0.0` from `0.0`.
fn finished_text(scorer: &ScorecardAccumulator) -> String {
    serde_json::to_string(&scorer.finish_with(&CautiousPolicy::default(), &PeakEnd)).unwrap()
}

/// Both forms of a state, read back.
fn read_back(scorer: &ScorecardAccumulator) -> [ScorecardAccumulator; 2] {
    let bytes = scorer.to_state_bytes().unwrap();
    let text = scorer.to_state_json().unwrap();
    [
        ScorecardAccumulator::from_state_bytes(&bytes).unwrap(),
        ScorecardAccumulator::from_state_json(&text).unwrap(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Merging a state read back, binary or JSON, is merging the live
    /// accumulator it was written from, bit for bit; and so is merging a
    /// live one into a state read back.
    #[test]
    fn prop_a_state_read_back_merges_as_the_live_one(
        observations in proptest::collection::vec(arbitrary_observation_off_grid(), 0..120),
        outcomes in proptest::collection::vec(arbitrary_outcome(), 0..40),
        cut in any::<proptest::sample::Index>(),
        outcome_cut in any::<proptest::sample::Index>(),
    ) {
        let cut = cut.index(observations.len() + 1);
        let outcome_cut = outcome_cut.index(outcomes.len() + 1);
        let a = scorer_of(&observations[..cut], &outcomes[..outcome_cut]);
        let b = scorer_of(&observations[cut..], &outcomes[outcome_cut..]);
        let mut live = a.clone();
        live.merge(&b).unwrap();
        let expected = finished_text(&live);
        for (read_a, read_b) in read_back(&a).into_iter().zip(read_back(&b)) {
            prop_assert_eq!(&read_b, &b);
            prop_assert_eq!(read_b.to_state_bytes().unwrap(), b.to_state_bytes().unwrap());
            let mut merged = a.clone();
            merged.merge(&read_b).unwrap();
            prop_assert_eq!(&merged, &live);
            prop_assert_eq!(finished_text(&merged), expected.clone());
            let mut merged = read_a;
            merged.merge(&b).unwrap();
            prop_assert_eq!(finished_text(&merged), expected.clone());
        }
    }

    /// A truncated state is refused; a state with bytes changed is refused,
    /// or keeps every rule, and then finishes and merges; never a panic.
    #[test]
    fn prop_a_damaged_state_is_refused_never_a_panic(
        observations in proptest::collection::vec(arbitrary_observation_off_grid(), 0..40),
        outcomes in proptest::collection::vec(arbitrary_outcome(), 0..15),
        cut in any::<proptest::sample::Index>(),
        flips in proptest::collection::vec((any::<proptest::sample::Index>(), 1u8..=255), 1..4),
    ) {
        let scorer = scorer_of(&observations, &outcomes);
        let bytes = scorer.to_state_bytes().unwrap();
        let short = &bytes[..cut.index(bytes.len())];
        prop_assert!(ScorecardAccumulator::from_state_bytes(short).unwrap_err().is_state());
        let text = scorer.to_state_json().unwrap();
        // The text is ASCII (the journey's names are), so any cut is a char boundary.
        let short = &text[..cut.index(text.len())];
        prop_assert!(ScorecardAccumulator::from_state_json(short).unwrap_err().is_state());

        let mut damaged = bytes;
        for (at, mask) in flips {
            let at = at.index(damaged.len());
            damaged[at] ^= mask;
        }
        if let Ok(read) = ScorecardAccumulator::from_state_bytes(&damaged) {
            let mut twice = read.clone();
            let _ = twice.merge(&read);
            let _ = (read.finish(), twice.finish());
        }
    }
}

/// A small state whose bytes and text are pinned below.
fn pinned_scorer() -> ScorecardAccumulator {
    let journey = Journey::builder("Shop", Scale::LIKERT_5)
        .stage(
            Stage::new("Buy")
                .touchpoint(Touchpoint::new("till", "Till", Channel::Store).target(4.0)),
        )
        .build()
        .unwrap();
    let mut scorer = ScorecardAccumulator::new(journey, small_sample())
        .unwrap()
        .breakdown_by(Dimension::Segment);
    scorer.push(&Observation::new("a", "till", 5.0).with_segment("new"));
    let mut rushed = Observation::new("b", "till", 2.5).with_expectation(3.0);
    rushed.emotion = Some(Emotion::Rushed);
    scorer.push(&rushed);
    scorer.push(&Observation::new("c", "door", 3.0));
    scorer.push_outcome(
        &Outcome::new("a")
            .with_answer(LoyaltyQuestion::WouldReturn, Answer::Yes)
            .with_likelihood_to_recommend(9.0)
            .with_effort(2.0),
    );
    scorer
}

/// Version 3, byte for byte. A change here is a change of format: give it
/// version 4 (see "Accumulator state" in the crate docs), do not re-pin.
#[test]
fn the_version_3_format_is_pinned() {
    let scorer = pinned_scorer();
    let hex: String = scorer
        .to_state_bytes()
        .unwrap()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert_eq!(hex, PINNED_BYTES.replace(char::is_whitespace, ""));
    assert_eq!(scorer.to_state_json().unwrap(), PINNED_JSON);
    for read in read_back(&scorer) {
        assert_eq!(read, scorer);
    }
}

const PINNED_BYTES: &str = "
    0a63782e73746174652f330453686f70000000000000f03f0000000000001440
    000103427579010474696c6c0454696c6c0573746f7265000100000000000010
    40000000000000f03f0000000000000000d03f000000000000d03f0266666666
    6666ee3fcdccccccccccec3f0000000000000000000000000000244000000000
    0000001840000000000000224000000100000000000000000000000000000000
    0000000000000000000000000000000000000000000000000000000000000000
    0000000000000000000000000000000000000000000000000000000000000000
    0000000000000000010000010100000000010000010000010810000000000000
    0000000000000000000000010162020103010000010301000000010161020103
    0404040103040404010200000003000000000000000000000000030000000000
    000000000200000000010001036e657701000000000000000000000000000000
    0000000000000000000000000000000000000000000000000000000000000000
    0000000000000000000000000000000000000000000000000000000000000000
    00000000000000011e0000000000000000000000000000000000000000000000
    0000000001000000000000000000000000000000000000000000000000000000
    0000000000000000000001016102010304040401030404040100020000000300
    0000000000000000000000030000000000000000000200000000010101000001
    0a190000000000000000000000000000000000010c2400000000000000000000
    0000000000000001010100000000000000000000000000000000000000000100
    0000000000000000000001000000000000000000010000010100000000010000
    0100000108100000000000000000000000000000000000010162020103010000
    0103010000010002000000030000000000000000000000000300000000000000
    00000200000000030201000101010000
";

const PINNED_JSON: &str = concat!(
    r#"{"format":"cx.state/3","state":{"journey":{"name":"Shop""#,
    r#","scale":{"min":1.0,"max":5.0},"stages":[{"name":"Buy""#,
    r#","touchpoints":[{"id":"till","name":"Till","channel":"store""#,
    r#","moment_of_truth":false,"target":4.0,"weight":1.0}]}]}"#,
    r#","config":{"wow_margin":0.25,"yellow_band":0.25"#,
    r#","min_sample":2,"confidence":0.95,"loyalty_target":0.9"#,
    r#","nps":{"scale":{"min":0.0,"max":10.0},"detractor_max":6.0"#,
    r#","promoter_min":9.0},"effort_scale":null"#,
    r#","nps_interval":"adjusted_wald"}"#,
    r#","total":{"touchpoints":[{"observations":0"#,
    r#","not_applicable":0,"without_expectation":0"#,
    r#","reality":{"halves":{"n":0,"sum":0,"sum_of_squares":0}"#,
    r#","other":{"n":0,"sum":0.0,"m2":0.0}}"#,
    r#","expectation":{"halves":{"n":0,"sum":0,"sum_of_squares":0}"#,
    r#","other":{"n":0,"sum":0.0,"m2":0.0}},"gap":{"halves":{"n":0"#,
    r#","sum":0,"sum_of_squares":0},"other":{"n":0,"sum":0.0"#,
    r#","m2":0.0}},"met":0,"wow":0,"green":0,"yellow":0,"top_two":0"#,
    r#","emotions":{"counts":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}"#,
    r#","on_grid":[]}],"outcomes":1"#,
    r#","loyalty":{"answers":[[0,0,1],[1,0,0],[0,0,1]]"#,
    r#","answered_all":0,"yes_to_all":0},"nps":{"promoters":1"#,
    r#","passives":0,"detractors":0},"effort":{"halves":{"n":1"#,
    r#","sum":4,"sum_of_squares":16},"other":{"n":0,"sum":0.0"#,
    r#","m2":0.0}},"pooled":{"current":{"key":"b","parts":[{"n":1"#,
    r#","halves":[-1,0,0]},{"n":1,"halves":[-1,0,0]}]"#,
    r#","starts":false},"kept":[{"key":"a","parts":[{"n":1"#,
    r#","halves":[2,2,2]},{"n":1,"halves":[2,2,2]}],"starts":true}]"#,
    r#","closed":[{"clusters":0,"n":0,"size_squares":0"#,
    r#","values":[{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0},{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0},{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0}]},{"clusters":0,"n":0,"size_squares":0"#,
    r#","values":[{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0},{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0},{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0}]}],"off_grid":[0,0],"keyed":false"#,
    r#","held":[]}},"breakdowns":[{"dimension":"segment""#,
    r#","groups":{"new":{"touchpoints":[{"observations":0"#,
    r#","not_applicable":0,"without_expectation":0"#,
    r#","reality":{"halves":{"n":0,"sum":0,"sum_of_squares":0}"#,
    r#","other":{"n":0,"sum":0.0,"m2":0.0}}"#,
    r#","expectation":{"halves":{"n":0,"sum":0,"sum_of_squares":0}"#,
    r#","other":{"n":0,"sum":0.0,"m2":0.0}},"gap":{"halves":{"n":0"#,
    r#","sum":0,"sum_of_squares":0},"other":{"n":0,"sum":0.0"#,
    r#","m2":0.0}},"met":0,"wow":0,"green":0,"yellow":0,"top_two":0"#,
    r#","emotions":{"counts":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]}"#,
    r#","on_grid":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0]}]"#,
    r#","outcomes":0,"loyalty":{"answers":[[0,0,0],[0,0,0],[0,0,0]]"#,
    r#","answered_all":0,"yes_to_all":0},"nps":{"promoters":0"#,
    r#","passives":0,"detractors":0},"effort":{"halves":{"n":0"#,
    r#","sum":0,"sum_of_squares":0},"other":{"n":0,"sum":0.0"#,
    r#","m2":0.0}},"pooled":{"current":{"key":"a","parts":[{"n":1"#,
    r#","halves":[2,2,2]},{"n":1,"halves":[2,2,2]}],"starts":true}"#,
    r#","kept":[],"closed":[{"clusters":0,"n":0,"size_squares":0"#,
    r#","values":[{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0},{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0},{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0}]},{"clusters":0,"n":0,"size_squares":0"#,
    r#","values":[{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0},{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0},{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0}]}],"off_grid":[0,0],"keyed":false"#,
    r#","held":[]}}},"missing":{"touchpoints":[{"observations":1"#,
    r#","not_applicable":0,"without_expectation":0"#,
    r#","reality":{"halves":{"n":1,"sum":5,"sum_of_squares":25}"#,
    r#","other":{"n":0,"sum":0.0,"m2":0.0}}"#,
    r#","expectation":{"halves":{"n":1,"sum":6,"sum_of_squares":36}"#,
    r#","other":{"n":0,"sum":0.0,"m2":0.0}},"gap":{"halves":{"n":1"#,
    r#","sum":-1,"sum_of_squares":1},"other":{"n":0,"sum":0.0"#,
    r#","m2":0.0}},"met":0,"wow":0,"green":0,"yellow":1,"top_two":0"#,
    r#","emotions":{"counts":[0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0]}"#,
    r#","on_grid":[]}],"outcomes":1"#,
    r#","loyalty":{"answers":[[0,0,1],[1,0,0],[0,0,1]]"#,
    r#","answered_all":0,"yes_to_all":0},"nps":{"promoters":1"#,
    r#","passives":0,"detractors":0},"effort":{"halves":{"n":1"#,
    r#","sum":4,"sum_of_squares":16},"other":{"n":0,"sum":0.0"#,
    r#","m2":0.0}},"pooled":{"current":{"key":"b","parts":[{"n":1"#,
    r#","halves":[-1,0,0]},{"n":1,"halves":[-1,0,0]}]"#,
    r#","starts":true},"kept":[],"closed":[{"clusters":0,"n":0"#,
    r#","size_squares":0,"values":[{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0},{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0},{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0}]},{"clusters":0,"n":0,"size_squares":0"#,
    r#","values":[{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0},{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0},{"sum":0,"sum_of_squares":0"#,
    r#","sum_by_size":0}]}],"off_grid":[0,0],"keyed":false"#,
    r#","held":[]}}}],"observations":{"read":3,"accepted":2"#,
    r#","rejected":{"unknown_touchpoint":1}},"outcomes":{"read":1"#,
    r#","accepted":1,"rejected":{}},"respondents":"contiguous"}}"#,
);

#[test]
fn a_state_of_another_format_is_refused_before_decoding() {
    let bytes = pinned_scorer().to_state_bytes().unwrap();
    let mut other = bytes.clone();
    // The tag's last byte: "cx.state/3" becomes "cx.state/4".
    other[10] = b'4';
    let error = ScorecardAccumulator::from_state_bytes(&other).unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"accumulator state is in format "cx.state/4"; expected "cx.state/3""#
    );
    let text = pinned_scorer().to_state_json().unwrap();
    let error = ScorecardAccumulator::from_state_json(&text.replace("cx.state/3", "cx.state/4"))
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::StateVersion { found, .. } if found == "cx.state/4"));
    for text in [r#"{"state": {}}"#, "[1, 2]", ""] {
        let error = ScorecardAccumulator::from_state_json(text).unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::StateSyntax { .. }),
            "{text}: {error}"
        );
    }
    let mut longer = bytes;
    longer.push(0);
    let error = ScorecardAccumulator::from_state_bytes(&longer).unwrap_err();
    assert_eq!(
        error.to_string(),
        "accumulator state cannot be decoded: 1 bytes follow the state"
    );
    assert!(
        ScorecardAccumulator::from_state_bytes(&[])
            .unwrap_err()
            .is_state()
    );
}

/// A state that decodes but breaks a rule is refused with the rule and the
/// place: each case edits the JSON state of the pinned scorer.
#[test]
fn a_state_that_breaks_a_rule_is_refused_naming_it() {
    let text = pinned_scorer().to_state_json().unwrap();
    let state: Value = serde_json::from_str(&text).unwrap();
    type Edit = fn(&mut Value);
    let cases: [(&str, Edit, &str); 6] = [
        (
            "/state/observations/read",
            |v| *v = 4.into(),
            "observations: 4 read is not 2 accepted plus those rejected",
        ),
        (
            "/state/breakdowns/0/groups/new/touchpoints",
            |v| {
                let cell = v[0].clone();
                v.as_array_mut().unwrap().push(cell);
            },
            r#"segment group "new": 2 cells for 1 touchpoints"#,
        ),
        (
            "/state/breakdowns/0/groups/new/touchpoints/0/observations",
            |v| *v = 7.into(),
            r#"segment group "new": touchpoint 0: its counts break the rule observations = not applicable + reality"#,
        ),
        (
            "/state/breakdowns/0/groups/new/touchpoints/0/on_grid",
            |v| *v = serde_json::json!([1, 2]),
            r#"segment group "new": touchpoint 0: its grid table has 2 counts; expected 0 or 30"#,
        ),
        (
            "/state/total/outcomes",
            |v| *v = 2.into(),
            "the whole survey: loyalty question expectations_met does not count its 2 outcomes",
        ),
        (
            "/state/config/confidence",
            |v| *v = 1.5.into(),
            r#"config field "confidence": 1.5 is invalid; expected a number between 0 and 1"#,
        ),
    ];
    for (pointer, edit, message) in cases {
        let mut broken = state.clone();
        edit(broken.pointer_mut(pointer).unwrap());
        let error = ScorecardAccumulator::from_state_json(&broken.to_string()).unwrap_err();
        let shown = error.to_string();
        let shown = shown
            .strip_prefix("invalid accumulator state: ")
            .unwrap_or(&shown);
        assert_eq!(shown, message, "{pointer}");
    }
}

/// A respondent's weight for the weighted tests: dyadic ones (held
/// exactly, as every weight is) and some that are not (0.1, 1/3).
fn arbitrary_weight() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(1.0),
        Just(0.0),
        Just(0.5),
        Just(2.25),
        Just(0.1),
        Just(1.0 / 3.0),
        (1u32..4000).prop_map(|w| f64::from(w) / 1000.0),
    ]
}

fn weighted_scorer() -> ScorecardAccumulator<WeightSum> {
    ScorecardAccumulator::weighted(
        journey(),
        ScoreConfig {
            min_sample: 3,
            ..ScoreConfig::default()
        },
    )
    .unwrap()
    .breakdown_by(Dimension::Segment)
    .breakdown_by(Dimension::Month)
    .breakdown_by(Dimension::Channel)
}

/// The weighted scorer of `observations` and `outcomes`, each respondent
/// `r<i>` weighing `weights[i % len]` (1 without weights).
fn weighted_scorer_of(
    observations: &[Observation],
    outcomes: &[Outcome],
    weights: &[f64],
) -> ScorecardAccumulator<WeightSum> {
    let weight_of = |respondent: &str| {
        let index: usize = respondent.trim_start_matches('r').parse().unwrap_or(0);
        let value = weights
            .get(index % weights.len().max(1))
            .copied()
            .unwrap_or(1.0);
        Weight::new(value).unwrap()
    };
    let mut scorer = weighted_scorer();
    for observation in observations {
        let weight = weight_of(&observation.respondent_id);
        scorer.push(&observation.clone().with_weight(weight));
    }
    for outcome in outcomes {
        let weight = weight_of(&outcome.respondent_id);
        scorer.push_outcome(&outcome.clone().with_weight(weight));
    }
    scorer
}

/// `value` without what only a weighted scorecard has (`weighted`).
fn without_weights(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("weighted");
            map.values_mut().for_each(without_weights);
        }
        Value::Array(items) => items.iter_mut().for_each(without_weights),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every weight 1 gives the unweighted scorecard, every figure bit for
    /// bit (the JSON writes each float in the shortest form that reads back
    /// to its bits): the same formulas, at unit weights.
    #[test]
    fn prop_unit_weights_give_the_unweighted_scorecard(
        observations in proptest::collection::vec(arbitrary_observation(), 0..120),
        outcomes in proptest::collection::vec(arbitrary_outcome(), 0..40),
    ) {
        let mut observations = observations;
        observations.sort_by(|a, b| a.respondent_id.cmp(&b.respondent_id));
        let plain = scorer_of(&observations, &outcomes);
        let weighted = weighted_scorer_of(&observations, &outcomes, &[1.0]);
        for (policy, name) in [(&CautiousPolicy::default() as &dyn TrafficLightPolicy, "cautious"), (&ThresholdPolicy::default(), "threshold")] {
            let mut a = serde_json::to_value(plain.finish_with(policy, &PeakEnd)).unwrap();
            let mut b = serde_json::to_value(weighted.finish_with(policy, &PeakEnd)).unwrap();
            prop_assert_eq!(b.get("weighted"), Some(&Value::Bool(true)));
            prop_assert_eq!(a.get("weighted"), None);
            without_weights(&mut a);
            without_weights(&mut b);
            prop_assert_eq!(&a, &b, "{}", name);
        }
    }

    /// Weighted, too, any split merged in any order gives the one-pass
    /// scorecard bit for bit (the weights' sums are integers), and a state
    /// read back merges as the live one.
    #[test]
    fn prop_weighted_merges_in_any_order_to_the_same_bits(
        observations in proptest::collection::vec(arbitrary_observation(), 0..100),
        outcomes in proptest::collection::vec(arbitrary_outcome(), 0..30),
        weights in proptest::collection::vec(arbitrary_weight(), 1..8),
        cut in 0usize..100,
    ) {
        // A respondent's rows together, as readers hand them on (the
        // clusters by respondent are runs of them).
        let mut observations = observations;
        observations.sort_by(|a, b| a.respondent_id.cmp(&b.respondent_id));
        let cut = cut.min(observations.len());
        let whole = weighted_scorer_of(&observations, &outcomes, &weights);
        let json = |scorer: &ScorecardAccumulator<WeightSum>| {
            serde_json::to_value(scorer.finish_with(&CautiousPolicy::default(), &PeakEnd)).unwrap()
        };
        let head = weighted_scorer_of(&observations[..cut], &outcomes, &weights);
        let tail = weighted_scorer_of(&observations[cut..], &[], &weights);
        let mut backward = tail.clone();
        backward.merge(&head).unwrap();
        let mut forward = head.clone();
        let read_back =
            ScorecardAccumulator::from_weighted_state_bytes(&tail.to_state_bytes().unwrap()).unwrap();
        forward.merge(&read_back).unwrap();
        prop_assert_eq!(json(&backward), json(&whole));
        prop_assert_eq!(json(&forward), json(&whole));
        let from_json =
            ScorecardAccumulator::from_weighted_state_json(&whole.to_state_json().unwrap()).unwrap();
        prop_assert_eq!(&from_json, &whole);
    }
}

/// A weighted scorecard by hand: one touchpoint (the till, target 4) and
/// three respondents of weights 1, 1 and 2.
#[test]
fn weighted_scorecard_by_hand() {
    let mut scorer = ScorecardAccumulator::weighted(
        journey(),
        ScoreConfig {
            min_sample: 3,
            ..ScoreConfig::default()
        },
    )
    .unwrap();
    let w = |value: f64| Weight::new(value).unwrap();
    for (respondent, reality, weight, likelihood) in [
        ("a", 5.0, 1.0, 10.0),
        ("b", 4.0, 1.0, 8.0),
        ("c", 2.0, 2.0, 3.0),
    ] {
        let weight = w(weight);
        scorer
            .try_push(&Observation::new(respondent, "till", reality).with_weight(weight))
            .unwrap();
        let yes = Answer::from(reality >= 4.0);
        scorer
            .try_push_outcome(
                &Outcome::new(respondent)
                    .with_answer(LoyaltyQuestion::WouldReturn, yes)
                    .with_likelihood_to_recommend(likelihood)
                    .with_effort(reality)
                    .with_weight(weight),
            )
            .unwrap();
    }
    // Without a weight: rejected, and counted.
    let refused = scorer
        .try_push(&Observation::new("d", "till", 3.0))
        .unwrap_err();
    assert_eq!(refused.reason, RejectReason::MissingWeight);
    let refused = scorer.try_push_outcome(&Outcome::new("d")).unwrap_err();
    assert_eq!(
        (refused.reason, refused.field),
        (RejectReason::MissingWeight, "weight")
    );
    let card = scorer.finish();
    assert!(card.weighted);
    assert_eq!(
        card.counts
            .observations
            .rejected
            .get(&RejectReason::MissingWeight),
        Some(&1)
    );
    let till = &card.overall.touchpoints[2].stats;
    // Gaps +1, 0, -2 with weights 1, 1, 2: Σw = 4, Σw² = 6, n_eff = 16/6.
    // Mean (1 + 0 - 4) / 4 = -0.75; met (1 + 1) / 4 = 0.5; WOW 1/4;
    // CSAT (reality >= 4) 2/4.
    let gap = &till.gap;
    assert_eq!((gap.n, gap.points.mean), (3, Some(-0.75)));
    assert_eq!(
        gap.points.weighted.map(|w| (w.weight, w.effective_n)),
        Some((4.0, 16.0 / 6.0))
    );
    assert_eq!(
        (gap.met.share, gap.wow.share, gap.shortfall.share),
        (Some(0.5), Some(0.25), Some(0.5))
    );
    assert_eq!(till.csat.share, Some(0.5));
    // The reliability-weights sd: Σw(x - m)² = 1.75² + 0.75² + 2·1.25² = 6.75,
    // over V₁ - V₂/V₁ = 4 - 1.5 = 2.5: sd² = 2.7; se = √(2.7 / n_eff).
    let sd = gap.points.sd.unwrap();
    assert!((sd - 2.7f64.sqrt()).abs() < 1e-12, "{sd}");
    assert!((gap.points.se.unwrap() - (2.7f64 / (16.0 / 6.0)).sqrt()).abs() < 1e-12);
    // n_eff 2.67 is below the minimum sample of 3, which 3 respondents meet
    // unweighted: no light.
    let touchpoint = &card.overall.touchpoints[2];
    assert!(touchpoint.insufficient_data && touchpoint.light.is_none());
    // Loyalty: yes weighs 2 of 4; NPS: promoter a (1), passive b (1),
    // detractor c (2): 100 · (1 - 2) / 4 = -25; effort mean (5 + 4 + 4) / 4.
    let loyalty = card.overall.loyalty.question(LoyaltyQuestion::WouldReturn);
    assert_eq!((loyalty.yes.count, loyalty.yes.share), (2, Some(0.5)));
    assert_eq!(loyalty.verdict, Verdict::Inconclusive);
    let nps = &card.overall.nps;
    assert_eq!(
        (nps.n, nps.promoters, nps.detractors, nps.nps),
        (3, 1, 1, Some(-25.0))
    );
    assert_eq!(card.overall.effort.mean, Some(13.0 / 4.0));
    // The journey by respondent, weighted CR1: x̄ = -0.75; Σ w_c² (S_c -
    // n_c x̄)² = 1.75² + 0.75² + 4 · 1.25² = 9.875 over (Σ w_c n_c)² = 16,
    // times G / (G - 1) = 3/2.
    let clustered = card.overall.journey.by_respondent.unwrap().gap;
    assert_eq!(
        (clustered.n, clustered.clusters, clustered.mean),
        (3, 3, Some(-0.75))
    );
    assert!((clustered.se.unwrap().powi(2) - 1.5 * 9.875 / 16.0).abs() < 1e-12);
}

/// Respondents whose rows are scattered, told so: every pooled figure by
/// respondent, in the whole survey and in each group of a breakdown, is the
/// one of the same rows sorted by respondent, however they are cut into
/// states (each written and read back) and merged.
#[test]
fn scattered_respondents_are_clustered_by_id() {
    let ratings = [(5.0, 4.0), (2.0, 4.0), (3.0, 3.0), (1.0, 5.0), (4.0, 2.0)];
    let touchpoints = ["window", "site", "till"];
    let mut sorted = Vec::new();
    for respondent in 0..12 {
        for visit in 0..(1 + respondent % 3) {
            let (reality, expectation) = ratings[(respondent + 2 * visit) % ratings.len()];
            let observation = Observation::new(
                format!("r{respondent:02}"),
                touchpoints[(respondent + visit) % touchpoints.len()],
                reality,
            )
            .with_expectation(expectation)
            .with_segment(if respondent % 2 == 0 { "new" } else { "old" });
            sorted.push(observation);
        }
    }
    // A fixed shuffle: every fifth row, then the rest.
    let mut shuffled: Vec<Observation> = sorted.iter().step_by(5).cloned().collect();
    shuffled.extend(
        sorted
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 5 != 0)
            .map(|(_, o)| o.clone()),
    );
    assert_ne!(shuffled, sorted);
    let scorer = |order| {
        ScorecardAccumulator::new(journey(), ScoreConfig::default())
            .unwrap()
            .breakdown_by(Dimension::Segment)
            .respondent_order(order)
    };
    let mut expected = scorer(RespondentOrder::Contiguous);
    sorted.iter().for_each(|o| expected.push(o));
    let expected = expected.finish();
    let journey_clusters = expected.overall.journey.by_respondent.unwrap().gap.clusters;
    assert_eq!(journey_clusters, 12);
    let mut merged = scorer(RespondentOrder::Scattered);
    for part in shuffled.chunks(7).rev() {
        let mut state = scorer(RespondentOrder::Scattered);
        part.iter().for_each(|o| state.push(o));
        let read =
            ScorecardAccumulator::from_state_bytes(&state.to_state_bytes().unwrap()).unwrap();
        assert_eq!(read, state);
        merged.merge(&read).unwrap();
    }
    let card = merged.finish();
    let by_respondent = |card: &cx_score::Scorecard| {
        let mut pooled = vec![card.overall.journey.by_respondent];
        for group in &card.breakdowns[0].groups {
            pooled.push(group.score.journey.by_respondent);
            pooled.extend(
                group
                    .score
                    .stages
                    .iter()
                    .map(|stage| stage.pooled.by_respondent),
            );
        }
        pooled.extend(
            card.overall
                .stages
                .iter()
                .map(|stage| stage.pooled.by_respondent),
        );
        pooled
    };
    assert_eq!(by_respondent(&card), by_respondent(&expected));
    // Read as contiguous, the shuffled rows make more clusters than people.
    let mut runs = scorer(RespondentOrder::Contiguous);
    shuffled.iter().for_each(|o| runs.push(o));
    let runs = runs
        .finish()
        .overall
        .journey
        .by_respondent
        .unwrap()
        .gap
        .clusters;
    assert!(runs > journey_clusters, "{runs}");
}
