//! The research toolkit against independently computed values.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cx_model::{
    Answer, Channel, Journey, LoyaltyQuestion, Observation, Outcome, Scale, Stage, Touchpoint,
};
use cx_score::ErrorKind;
use cx_score::research::{
    CompareOptions, DriverOptions, Quadrant, ScoringVariant, SurveyData, Target, Variant, compare,
    drivers, roc_auc,
};

/// 60 respondents: three 1..=5 ratings and a yes/no outcome, generated with
/// NumPy (seed 5) for the oracle below.
const ROWS: &str = "4,3,1,0;5,5,3,0;4,3,5,1;1,1,2,0;3,1,1,1;1,1,1,0;1,1,1,0;4,4,2,0;2,2,2,0;5,4,5,1;4,3,1,0;2,2,3,1;4,4,4,1;1,1,3,0;5,4,2,0;5,5,1,1;2,3,1,0;5,2,2,1;3,5,5,0;5,4,1,1;4,2,4,1;1,3,3,0;2,2,5,1;2,2,2,1;2,2,1,0;2,1,1,0;2,2,3,0;3,4,4,1;4,3,1,0;2,3,4,0;3,5,2,0;3,2,2,1;4,4,2,1;5,4,1,0;5,3,3,1;2,1,5,1;4,3,2,0;5,4,3,1;4,3,2,1;4,3,4,1;5,5,4,1;3,3,2,0;2,3,4,0;1,2,4,0;5,4,5,1;2,4,4,1;1,2,1,0;2,2,4,0;5,5,1,0;4,2,4,1;1,1,4,0;5,5,4,0;2,3,1,0;1,3,4,0;3,3,5,1;3,1,3,0;4,5,4,1;5,5,2,1;3,2,1,0;1,3,3,0;";

fn journey(moment_of_truth: [bool; 3]) -> Journey {
    let touchpoints = ["a", "b", "c"]
        .iter()
        .zip(moment_of_truth)
        .map(|(id, mot)| {
            Touchpoint::new(*id, id.to_uppercase(), Channel::Web)
                .target(3.0)
                .moment_of_truth(mot)
        });
    let stage = touchpoints.fold(Stage::new("All"), Stage::touchpoint);
    Journey::builder("Test", Scale::LIKERT_5)
        .stage(stage)
        .build()
        .unwrap()
}

fn data(missing_b_when_c_is_5: bool) -> SurveyData {
    data_for(journey([true, false, false]), missing_b_when_c_is_5)
}

fn data_for(journey: Journey, missing_b_when_c_is_5: bool) -> SurveyData {
    let mut data = SurveyData::new(journey);
    for (r, row) in ROWS.split(';').filter(|r| !r.is_empty()).enumerate() {
        let v: Vec<f64> = row.split(',').map(|x| x.parse().unwrap()).collect();
        let id = format!("r{r}");
        for (j, id_tp) in ["a", "b", "c"].iter().enumerate() {
            if missing_b_when_c_is_5 && j == 1 && v[2] == 5.0 {
                continue;
            }
            data.push(&Observation::new(id.as_str(), *id_tp, v[j]))
                .unwrap();
        }
        data.push_outcome(
            &Outcome::new(id.as_str())
                .with_answer(LoyaltyQuestion::WouldReturn, Answer::from(v[3] == 1.0)),
        )
        .unwrap();
    }
    data
}

fn close(a: Option<f64>, b: f64, tolerance: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < tolerance)
}

/// Reference values from NumPy 2 (numpy.corrcoef, numpy.linalg.eigh) and
/// SciPy 1.17.1 (scipy.stats.spearmanr), implementing Johnson (2000)
/// directly: Z = V Λ^½ Vᵀ, β = Z⁻¹ r_xy, ε_j = Σ_k Z_jk² β_k².
#[test]
fn relative_weights_against_numpy() {
    let mut options = DriverOptions::new(Target::Question(LoyaltyQuestion::WouldReturn));
    options.resamples = 0;
    let analysis = drivers(&data(false), &options).unwrap();
    assert_eq!(analysis.respondents, 60);
    assert!(close(analysis.r_squared, 0.358_707_855_034_586_7, 1e-9));
    let expected = [
        (
            53.648_841_425_232_03,
            0.423_458_659_705_773,
            0.420_945_172_475_542_8,
        ),
        (
            7.881_306_740_278_197,
            0.166_778_563_794_642_26,
            0.168_203_046_874_991_77,
        ),
        (
            38.469_851_834_489_766,
            0.361_640_466_732_519_1,
            0.363_538_844_274_043_1,
        ),
    ];
    for (driver, (weight, pearson, spearman)) in analysis.drivers.iter().zip(expected) {
        assert!(close(driver.relative_weight, weight, 1e-9), "{driver:?}");
        assert!(close(driver.pearson, pearson, 1e-12), "{driver:?}");
        assert!(close(driver.spearman, spearman, 1e-12), "{driver:?}");
        assert_eq!(driver.n, 60);
    }
    let total: f64 = analysis
        .drivers
        .iter()
        .filter_map(|d| d.relative_weight)
        .sum();
    assert!((total - 100.0).abs() < 1e-9);
    // b carries little weight (7.9 < 1.5 × 33.3) and a is marked; c (38.5) is not marked
    // but is below 1.5 × 100/3 = 50, so no flag; a (53.6) would be flagged but is marked.
    assert!(analysis.drivers.iter().all(|d| !d.unmarked_moment_of_truth));
    let unmarked = drivers(&data_for(journey([false; 3]), false), &options).unwrap();
    assert!(unmarked.drivers[0].unmarked_moment_of_truth);
}

/// The same with touchpoint b missing whenever c is 5 (7 respondents):
/// pairwise-complete correlations, computed in NumPy pair by pair.
#[test]
fn relative_weights_with_pairwise_missing_answers() {
    let mut options = DriverOptions::new(Target::Question(LoyaltyQuestion::WouldReturn));
    options.resamples = 0;
    let analysis = drivers(&data(true), &options).unwrap();
    assert_eq!(analysis.drivers[1].n, 53);
    assert!(close(analysis.r_squared, 0.329_451_154_248_748_6, 1e-9));
    for (driver, weight) in analysis.drivers.iter().zip([
        51.228_378_033_442_944,
        8.213_546_669_072_096,
        40.558_075_297_484_95,
    ]) {
        assert!(close(driver.relative_weight, weight, 1e-9), "{driver:?}");
    }
}

#[test]
fn driver_bootstrap_is_seeded_and_brackets_the_estimate() {
    let options = DriverOptions {
        resamples: 100,
        ..DriverOptions::new(Target::Question(LoyaltyQuestion::WouldReturn))
    };
    let first = drivers(&data(false), &options).unwrap();
    let again = drivers(&data(false), &options).unwrap();
    assert_eq!(first, again);
    let other = drivers(&data(false), &DriverOptions { seed: 7, ..options }).unwrap();
    assert_ne!(
        first.drivers[0].relative_weight_ci,
        other.drivers[0].relative_weight_ci
    );
    for driver in &first.drivers {
        let ci = driver.relative_weight_ci.unwrap();
        assert!(ci.lower <= ci.upper && ci.lower >= 0.0 && ci.upper <= 100.0);
    }
}

#[test]
fn quadrants_split_at_the_means() {
    let mut options = DriverOptions::new(Target::Question(LoyaltyQuestion::WouldReturn));
    options.resamples = 0;
    let analysis = drivers(&data(false), &options).unwrap();
    // Importance (Pearson) 0.423, 0.167, 0.362 → mean 0.317; performance is
    // the mean rating on 1..=5 normalized, compared with its mean over a, b, c.
    let performance: Vec<f64> = analysis
        .drivers
        .iter()
        .map(|d| d.performance.unwrap())
        .collect();
    let mean = performance.iter().sum::<f64>() / 3.0;
    let expected: Vec<Quadrant> = [0.423, 0.167, 0.362]
        .iter()
        .zip(&performance)
        .map(|(&importance, &p)| match (importance >= 0.317, p >= mean) {
            (true, false) => Quadrant::ConcentrateHere,
            (true, true) => Quadrant::KeepUpTheGoodWork,
            (false, false) => Quadrant::LowPriority,
            (false, true) => Quadrant::PossibleOverkill,
        })
        .collect();
    let found: Vec<Quadrant> = analysis
        .drivers
        .iter()
        .map(|d| d.quadrant.unwrap())
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn too_few_respondents_are_refused() {
    let mut small = SurveyData::new(journey([false; 3]));
    for r in 0..10 {
        small
            .push(&Observation::new(format!("r{r}"), "a", 3.0))
            .unwrap();
        small
            .push_outcome(
                &Outcome::new(format!("r{r}"))
                    .with_answer(LoyaltyQuestion::WouldReturn, Answer::Yes),
            )
            .unwrap();
    }
    let error = drivers(
        &small,
        &DriverOptions::new(Target::Question(LoyaltyQuestion::WouldReturn)),
    )
    .unwrap_err();
    assert_eq!(
        error.kind(),
        &ErrorKind::TooFewRespondents {
            target: "would_return".into(),
            found: 10,
            minimum: 30
        }
    );
    assert_eq!(
        error.to_string(),
        "driver analysis needs at least 30 respondents with would_return answered; found 10"
    );
}

#[test]
fn comparing_a_variant_with_itself() {
    let data = data(false);
    let default = Variant::builtin("default").unwrap();
    let again = Variant::new(
        "again",
        cx_score::ThresholdPolicy::default(),
        cx_score::WeightedMean,
    );
    let mut options = CompareOptions::new(Target::Question(LoyaltyQuestion::WouldReturn));
    options.resamples = 200;
    let result = compare(&data, &[&default, &again], &options).unwrap();
    let pair = &result.pairs[0];
    assert_eq!(pair.lights.raw, Some(1.0));
    assert_eq!(pair.rank_correlation, Some(1.0));
    assert_eq!(pair.auc_difference, Some(0.0));
    assert_eq!(
        pair.auc_difference_ci.map(|ci| (ci.lower, ci.upper)),
        Some((0.0, 0.0))
    );
    assert_eq!(result.respondents, 60);
}

#[test]
fn auc_is_that_of_the_respondent_scores() {
    // Weighted mean of (rating - 3)/4 over a, b, c with weight 1 each: the mean gap.
    let data = data(false);
    let (scores, outcomes): (Vec<f64>, Vec<bool>) = ROWS
        .split(';')
        .filter(|r| !r.is_empty())
        .map(|row| {
            let v: Vec<f64> = row.split(',').map(|x| x.parse().unwrap()).collect();
            (
                ((v[0] - 3.0) + (v[1] - 3.0) + (v[2] - 3.0)) / 12.0,
                v[3] == 1.0,
            )
        })
        .unzip();
    let expected = roc_auc(&scores, &outcomes).unwrap();
    let variants = ["default", "weakest_link", "peak_end"].map(|n| Variant::builtin(n).unwrap());
    let refs: Vec<&dyn ScoringVariant> =
        variants.iter().map(|v| v as &dyn ScoringVariant).collect();
    let mut options = CompareOptions::new(Target::Question(LoyaltyQuestion::WouldReturn));
    options.resamples = 300;
    let result = compare(&data, &refs, &options).unwrap();
    assert!((result.variants[0].auc.unwrap() - expected).abs() < 1e-12);
    for variant in &result.variants {
        let (auc, ci) = (variant.auc.unwrap(), variant.auc_ci.unwrap());
        assert!(ci.lower <= auc && auc <= ci.upper, "{variant:?}");
    }
    assert_eq!(result.pairs.len(), 3);
    // Same seed, same numbers; another seed, other intervals.
    assert_eq!(compare(&data, &refs, &options).unwrap(), result);
    options.seed = 1;
    assert_ne!(
        compare(&data, &refs, &options).unwrap().variants[0].auc_ci,
        result.variants[0].auc_ci
    );
}

#[test]
fn targets_parse() {
    assert_eq!("nps".parse::<Target>().unwrap(), Target::Nps);
    assert_eq!(
        "would_recommend".parse::<Target>().unwrap(),
        Target::Question(LoyaltyQuestion::WouldRecommend)
    );
    assert!("loyalty".parse::<Target>().is_err());
}

#[test]
fn survey_data_refuses_what_the_scorecard_refuses() {
    let mut data = SurveyData::new(journey([false; 3]));
    let cases = [
        (
            Observation::new("r", "z", 3.0),
            cx_score::RejectReason::UnknownTouchpoint,
        ),
        (
            Observation::new("r", "a", 6.0),
            cx_score::RejectReason::RealityOutOfScale,
        ),
        (
            Observation::new("r", "a", f64::NAN),
            cx_score::RejectReason::RealityNotFinite,
        ),
        (
            Observation::new("r", "a", 3.0).with_expectation(f64::NAN),
            cx_score::RejectReason::ExpectationNotFinite,
        ),
        (
            Observation::new("r", "a", 3.0).with_expectation(0.0),
            cx_score::RejectReason::ExpectationOutOfScale,
        ),
    ];
    let mut scorer =
        cx_score::ScorecardAccumulator::new(journey([false; 3]), cx_score::ScoreConfig::default())
            .unwrap();
    for (observation, reason) in cases {
        assert_eq!(data.push(&observation).unwrap_err().reason, reason);
        assert_eq!(scorer.try_push(&observation).unwrap_err().reason, reason);
    }
    assert_eq!(data.rejected(), 5);
    assert!(data.respondents().is_empty());

    // Outcomes too: a likelihood to recommend off 0..=10 or not finite is
    // refused and counted, as the scorecard refuses it, and nothing is kept.
    for (likelihood, reason) in [
        (f64::NAN, cx_score::RejectReason::LikelihoodNotFinite),
        (f64::INFINITY, cx_score::RejectReason::LikelihoodNotFinite),
        (11.0, cx_score::RejectReason::LikelihoodOutOfScale),
        (-1.0, cx_score::RejectReason::LikelihoodOutOfScale),
    ] {
        let outcome = Outcome::new("r").with_likelihood_to_recommend(likelihood);
        assert_eq!(data.push_outcome(&outcome).unwrap_err().reason, reason);
        assert_eq!(
            scorer.try_push_outcome(&outcome).unwrap_err().reason,
            reason
        );
    }
    assert_eq!(data.rejected(), 9);
    assert!(data.respondents().is_empty());
    data.push_outcome(&Outcome::new("r").with_likelihood_to_recommend(10.0))
        .unwrap();
    assert_eq!(data.respondents()[0].likelihood, Some(10.0));
}
