use super::*;
use crate::{ScoreConfig, ScorecardAccumulator};
use cx_model::{Answer, Channel, Journey, Observation, Outcome, Scale, Stage, Touchpoint};

/// Two segments of a two-touchpoint journey, with outcomes.
fn card() -> Scorecard {
    let journey = Journey::builder("Shop", Scale::LIKERT_5)
        .stage(
            Stage::new("Buy")
                .touchpoint(Touchpoint::new("till", "Till", Channel::Store).target(4.0))
                .touchpoint(Touchpoint::new("web", "Web", Channel::Web).target(3.0)),
        )
        .build()
        .unwrap();
    let config = ScoreConfig {
        min_sample: 3,
        ..ScoreConfig::default()
    };
    let mut scorer = ScorecardAccumulator::new(journey, config)
        .unwrap()
        .breakdown_by(Dimension::Segment);
    // Segment a: till 2, 3, 4, 4; b: till 4, 5, 5, 5. Web only in a.
    let rows = [
        ("a1", "a", 2.0, 9.0),
        ("a2", "a", 3.0, 3.0),
        ("a3", "a", 4.0, 7.0),
        ("a4", "a", 4.0, 10.0),
        ("b1", "b", 4.0, 9.0),
        ("b2", "b", 5.0, 10.0),
        ("b3", "b", 5.0, 9.0),
        ("b4", "b", 5.0, 2.0),
    ];
    for (respondent, segment, reality, likelihood) in rows {
        scorer
            .try_push(&Observation::new(respondent, "till", reality).with_segment(segment))
            .unwrap();
        if segment == "a" {
            scorer
                .try_push(&Observation::new(respondent, "web", 3.0).with_segment(segment))
                .unwrap();
        }
        let outcome = Outcome::new(respondent)
            .with_segment(segment)
            .with_answer(LoyaltyQuestion::WouldReturn, Answer::from(reality >= 4.0))
            .with_likelihood_to_recommend(likelihood);
        scorer.try_push_outcome(&outcome).unwrap();
    }
    scorer.finish()
}

fn find(pair: &GroupChange, touchpoint: Option<&str>, measure: Measure) -> ChangeTest {
    pair.tests
        .iter()
        .find(|t| t.touchpoint.as_deref() == touchpoint && t.measure == measure)
        .unwrap()
        .clone()
}

#[test]
fn two_segments_by_hand() {
    let options = ChangeOptions::new(
        Dimension::Segment,
        Pairs::Named(vec![("a".into(), "b".into())]),
    );
    let changes = compare_groups(&card(), &options).unwrap();
    assert_eq!(changes.comparisons.len(), 1);
    let pair = &changes.comparisons[0];
    // Till gaps: a = -2, -1, 0, 0 (mean -0.75, variance 0.916667);
    // b = 0, 1, 1, 1 (mean 0.75, variance 0.25). SciPy 1.17.1:
    // ttest_ind(b, a, equal_var=False) gives t = 2.7774602993176547,
    // p = 0.043557634722157505.
    let gap = find(pair, Some("till"), Measure::MeanGap);
    let Some(TestResult::Mean(mean)) = gap.result else {
        panic!("{gap:?}")
    };
    assert_eq!(mean.difference, 1.5);
    assert!((mean.t.unwrap() - 2.777_460_299_317_654_7).abs() < 1e-12);
    assert!((mean.p_value.unwrap() - 0.043_557_634_722_157_505).abs() < 1e-12);
    assert_eq!((gap.n_before, gap.n_after, gap.small_sample), (4, 4, false));
    // Met: 2 of 4 against 4 of 4; CSAT (4 or 5): 2 of 4 against 4 of 4.
    let met = find(pair, Some("till"), Measure::MetShare).result.unwrap();
    assert_eq!(met.estimates(), (0.5, 1.0));
    let expected = ShareDifference::from_counts((2.0, 4.0), (4.0, 4.0), 0.95).unwrap();
    assert_eq!(met, TestResult::Share(expected));
    // Web has no observations in b: no test.
    assert_eq!(find(pair, Some("web"), Measure::MeanGap).result, None);
    // NPS: a = 2 promoters, 1 passive, 1 detractor; b = 3, 0, 1.
    let nps = find(pair, None, Measure::Nps).result.unwrap();
    let Some(expected) = nps_change((2.0, 1.0, 1.0), (3.0, 0.0, 1.0), 0.95) else {
        panic!()
    };
    assert_eq!(nps.p_value(), Some(expected.p_value));
    assert_eq!(nps.difference(), 25.0);
    assert_eq!(nps.estimates(), (25.0, 50.0));
    // Would return: 2 of 4 against 4 of 4; the other questions unanswered.
    let would_return = find(pair, None, Measure::WouldReturn).result.unwrap();
    assert_eq!(would_return.estimates(), (0.5, 1.0));
    assert_eq!(find(pair, None, Measure::ExpectationsMet).result, None);
    assert!(find(pair, None, Measure::WouldRecommend).small_sample);
}

/// Weighted, each test carries Kish's effective sample sizes, which the
/// minimum sample goes by. By hand: segment a's till weights 1, 1, 1, 3
/// give n_eff = 6² / (1 + 1 + 1 + 9) = 3; b's 1, 1, 2, 2 give
/// 6² / 10 = 3.6; both at least the minimum of 3. Unweighted tests
/// carry none.
#[test]
fn weighted_tests_carry_their_effective_sample_sizes() {
    use cx_model::Weight;
    let journey = Journey::builder("Shop", Scale::LIKERT_5)
        .stage(
            Stage::new("Buy")
                .touchpoint(Touchpoint::new("till", "Till", Channel::Store).target(4.0)),
        )
        .build()
        .unwrap();
    let config = ScoreConfig {
        min_sample: 3,
        ..ScoreConfig::default()
    };
    let mut scorer = ScorecardAccumulator::weighted(journey, config)
        .unwrap()
        .breakdown_by(Dimension::Segment);
    let rows = [
        ("a1", "a", 2.0, 1.0),
        ("a2", "a", 3.0, 1.0),
        ("a3", "a", 4.0, 1.0),
        ("a4", "a", 4.0, 3.0),
        ("b1", "b", 4.0, 1.0),
        ("b2", "b", 5.0, 1.0),
        ("b3", "b", 5.0, 2.0),
        ("b4", "b", 5.0, 2.0),
    ];
    for (respondent, segment, reality, weight) in rows {
        let observation = Observation::new(respondent, "till", reality)
            .with_segment(segment)
            .with_weight(Weight::new(weight).unwrap());
        scorer.try_push(&observation).unwrap();
    }
    let pairs = Pairs::Named(vec![("a".into(), "b".into())]);
    let options = ChangeOptions::new(Dimension::Segment, pairs);
    let changes = compare_groups(&scorer.finish(), &options).unwrap();
    assert!(changes.weighted);
    let pair = &changes.comparisons[0];
    let gap = find(pair, Some("till"), Measure::MeanGap);
    assert_eq!((gap.n_before, gap.n_after), (4, 4));
    assert_eq!(gap.n_eff_before, Some(3.0));
    assert!((gap.n_eff_after.unwrap() - 3.6).abs() < 1e-12, "{gap:?}");
    assert!(!gap.small_sample);
    let journey = find(pair, None, Measure::JourneyMeanGap);
    assert_eq!((journey.n_eff_before, journey.n_eff_after), (None, None));
    let unweighted = compare_groups(&card(), &options).unwrap();
    assert!(!unweighted.weighted);
    let gap = find(&unweighted.comparisons[0], Some("till"), Measure::MeanGap);
    assert_eq!((gap.n_eff_before, gap.n_eff_after), (None, None));
}

/// The journey's pooled gaps: segment a's four respondents answer at
/// both touchpoints (gaps -2, 0 / -1, 0 / 0, 0 / 0, 0), b's at the till
/// only (0, 1, 1, 1). Reference: statsmodels 0.15 and SciPy 1.17,
/// tests/reference/journey_change.py.
#[test]
fn journey_change_by_respondent() {
    let options = ChangeOptions::new(
        Dimension::Segment,
        Pairs::Named(vec![("a".into(), "b".into())]),
    );
    let changes = compare_groups(&card(), &options).unwrap();
    let pair = &changes.comparisons[0];
    let gap = find(pair, None, Measure::JourneyMeanGap);
    assert_eq!((gap.n_before, gap.n_after), (4, 4));
    let Some(TestResult::Mean(mean)) = gap.result else {
        panic!("{gap:?}")
    };
    assert_eq!(mean.difference, 1.125);
    assert!((mean.se - 0.346_109_327_621_586_4).abs() < 1e-12);
    assert!((mean.df.unwrap() - 5.988_679_245_283_02).abs() < 1e-12);
    assert!((mean.p_value.unwrap() - 0.017_504_206_127_237_854).abs() < 1e-12);
    // Met: a 6 of 8 observations, b 4 of 4 (no spread in b).
    let met = find(pair, None, Measure::JourneyMetShare).result.unwrap();
    assert_eq!(met.estimates(), (0.75, 1.0));
    // WOW (a gap of 1 or more): none of a's 8, 3 of b's 4. a has no
    // spread, so t = 0.75 / 0.25 = 3 on b's 3 degrees of freedom:
    // SciPy 2 * t.sf(3, 3) = 0.0576688856224373.
    let wow = find(pair, None, Measure::JourneyWowShare).result.unwrap();
    assert_eq!(wow.estimates(), (0.0, 0.75));
    assert!((wow.p_value().unwrap() - 0.057_668_885_622_437_3).abs() < 1e-12);
}

#[test]
fn every_test_is_adjusted_as_one_family() {
    for adjustment in Adjustment::ALL {
        let mut options = ChangeOptions::new(
            Dimension::Segment,
            Pairs::Named(vec![("a".into(), "b".into()), ("b".into(), "a".into())]),
        );
        options.adjustment = adjustment;
        let changes = compare_groups(&card(), &options).unwrap();
        let tests: Vec<&ChangeTest> = changes
            .comparisons
            .iter()
            .flat_map(|pair| &pair.tests)
            .collect();
        let raw: Vec<f64> = tests
            .iter()
            .filter_map(|t| t.result.as_ref()?.p_value())
            .collect();
        // NPS, would return, the journey's mean gap, met and WOW
        // shares, till mean gap, met, CSAT; twice.
        assert_eq!(changes.tests, 16);
        assert_eq!(raw.len(), 16);
        let adjusted: Vec<f64> = tests.iter().filter_map(|t| t.p_adjusted).collect();
        assert_eq!(adjusted, adjustment.adjust(&raw).unwrap());
    }
}

#[test]
fn previous_pairs_and_errors() {
    let card = card();
    let options = ChangeOptions::new(Dimension::Segment, Pairs::Previous);
    let changes = compare_groups(&card, &options).unwrap();
    let keys: Vec<(&str, &str)> = changes
        .comparisons
        .iter()
        .map(|pair| (pair.before.as_str(), pair.after.as_str()))
        .collect();
    assert_eq!(keys, [("a", "b")]);
    let error = compare_groups(
        &card,
        &ChangeOptions::new(Dimension::Month, Pairs::Previous),
    )
    .unwrap_err();
    assert_eq!(error.to_string(), "the scorecard has no breakdown by month");
    let named = Pairs::Named(vec![("a".into(), "c".into())]);
    let error = compare_groups(&card, &ChangeOptions::new(Dimension::Segment, named)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the breakdown by segment has no group \"c\""
    );
}
