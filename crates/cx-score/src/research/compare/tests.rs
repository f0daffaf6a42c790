//! Tests of the comparison of scoring variants, beside it to keep
//! compare.rs under 800 lines; weighted comparisons in `weighted`.

use cx_model::{Answer, Channel, LoyaltyQuestion, Observation, Outcome, Scale, Stage, Touchpoint};

use super::*;
use crate::research::Variant;
use crate::research::progress::recording::same_at_any_thread_count;
use crate::{GapStats, ThresholdPolicy, TrafficLightPolicy, WeightedMean};

const MET: Target = Target::Question(LoyaltyQuestion::ExpectationsMet);

/// 36 respondents: `t1` (target 3) rated by those with r % 4 != 0, with
/// an own expectation of 3 when r % 3 != 0; `t2` (no target) rated by
/// r < 24 with expectation 4; yes when (7r) % 10 < 6. Respondents 28
/// and 32 (and 24) rated nothing anyone can score.
fn survey() -> SurveyData {
    let journey = Journey::builder("Test", Scale::LIKERT_5)
        .stage(
            Stage::new("All")
                .touchpoint(Touchpoint::new("t1", "T1", Channel::Web).target(3.0))
                .touchpoint(Touchpoint::new("t2", "T2", Channel::Web)),
        )
        .build()
        .unwrap();
    let mut data = SurveyData::new(journey);
    for r in 0..36u32 {
        let id = format!("r{r}");
        if r % 4 != 0 {
            let mut o = Observation::new(id.as_str(), "t1", f64::from(1 + r % 5));
            if r % 3 != 0 {
                o = o.with_expectation(3.0);
            }
            data.push(&o).unwrap();
        }
        if r < 24 {
            let o = Observation::new(id.as_str(), "t2", f64::from(1 + (r * 2) % 5));
            data.push(&o.with_expectation(4.0)).unwrap();
        }
        let yes = (r * 7) % 10 < 6;
        let outcome = Outcome::new(id.as_str())
            .with_answer(LoyaltyQuestion::ExpectationsMet, Answer::from(yes));
        data.push_outcome(&outcome).unwrap();
    }
    data
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

// Reference values: SciPy 1.17 (scipy.stats.mannwhitneyu U / (n1 n0)
// for the AUC, pointbiserialr, spearmanr) on the scores written out in
// Python from the rules of `survey`.
#[test]
fn each_variant_on_its_own_respondents_and_a_pair_on_both() {
    let (default, targets) = (
        Variant::builtin("default").unwrap(),
        Variant::builtin("targets").unwrap(),
    );
    let options = CompareOptions {
        resamples: 50,
        ..CompareOptions::new(MET)
    };
    let result = compare(&survey(), &[&default, &targets], &options).unwrap();
    assert_eq!(result.respondents, 33);
    let (d, t) = (&result.variants[0], &result.variants[1]);
    assert_eq!((d.scored, t.scored), (33, 27));
    assert!(close(d.auc, 0.390_873_015_873_015_87), "{d:?}");
    assert!(close(t.auc, 0.423_529_411_764_705_9), "{t:?}");
    assert!(close(d.point_biserial, -0.208_931_137_110_027_7));
    assert!(close(t.spearman, -0.130_628_040_550_731_2));
    let pair = &result.pairs[0];
    assert_eq!(pair.respondents, 27);
    assert!(close(pair.auc_difference, -0.032_352_941_176_470_584));
    assert!(pair.auc_difference_ci.is_some());
    assert!(!pair.same_lights_by_construction && !pair.same_scores_by_construction);
    assert_eq!((d.note, t.note), (None, None));
    assert_eq!(result.resamples_skipped, 0);
}

#[test]
fn a_variant_that_scores_nobody_does_not_blank_the_others() {
    // The same survey on a journey without targets: `targets` has no
    // expectation anywhere.
    let survey = survey();
    let journey = Journey::builder("Test", Scale::LIKERT_5)
        .stage(
            Stage::new("All")
                .touchpoint(Touchpoint::new("t1", "T1", Channel::Web))
                .touchpoint(Touchpoint::new("t2", "T2", Channel::Web)),
        )
        .build()
        .unwrap();
    let mut data = SurveyData::new(journey);
    for respondent in survey.respondents() {
        for rating in &respondent.ratings {
            let id = ["t1", "t2"][rating.index];
            let mut o = Observation::new(respondent.id.as_str(), id, rating.reality.unwrap());
            o.expectation = rating.expectation;
            data.push(&o).unwrap();
        }
        let outcome = Outcome::new(respondent.id.as_str())
            .with_answer(LoyaltyQuestion::ExpectationsMet, respondent.answers[0]);
        data.push_outcome(&outcome).unwrap();
    }
    let (default, targets) = (
        Variant::builtin("default").unwrap(),
        Variant::builtin("targets").unwrap(),
    );
    let options = CompareOptions {
        resamples: 20,
        ..CompareOptions::new(MET)
    };
    let result = compare(&data, &[&default, &targets], &options).unwrap();
    let (d, t) = (&result.variants[0], &result.variants[1]);
    // Without the t1 target, default scores those with an own
    // expectation: r % 3 != 0 at t1, or r < 24 at t2.
    let expected = (0..36u32)
        .filter(|r| (r % 4 != 0 && r % 3 != 0) || *r < 24)
        .count() as u64;
    assert_eq!(d.scored, expected);
    assert!(d.auc.is_some() && d.auc_ci.is_some());
    assert_eq!(
        (t.scored, t.auc, t.note),
        (0, None, Some(VariantNote::NoTargets))
    );
    assert!(t.lights.iter().all(Option::is_none));
    assert_eq!(result.respondents, expected);
    assert_eq!(result.pairs[0].respondents, 0);
    assert_eq!(result.pairs[0].auc_difference, None);
    // Undefined everywhere is not a skipped resample.
    assert_eq!(result.resamples_skipped, 0);
}

/// A policy named like the default one that lights everything red.
struct Impostor;

impl TrafficLightPolicy for Impostor {
    fn name(&self) -> &str {
        "default"
    }
    fn light(&self, _: &GapStats) -> Option<TrafficLight> {
        Some(TrafficLight::Red)
    }
}

#[test]
fn pairs_identical_by_construction_are_marked() {
    let names = ["default", "share", "weakest_link", "targets"];
    let variants = names.map(|name| Variant::builtin(name).unwrap());
    let impostor = Variant::new("impostor", Impostor, WeightedMean);
    let again = Variant::new("again", ThresholdPolicy::default(), WeightedMean);
    let mut refs: Vec<&dyn ScoringVariant> =
        variants.iter().map(|v| v as &dyn ScoringVariant).collect();
    refs.push(&impostor);
    refs.push(&again);
    let options = CompareOptions {
        resamples: 0,
        config: ScoreConfig {
            min_sample: 5,
            ..ScoreConfig::default()
        },
        ..CompareOptions::new(MET)
    };
    let result = compare(&survey(), &refs, &options).unwrap();
    let pair = |a: &str, b: &str| {
        let p = result.pairs.iter().find(|p| p.a == a && p.b == b).unwrap();
        (p.same_lights_by_construction, p.same_scores_by_construction)
    };
    // Same policy, other aggregation; same aggregation, other policy.
    assert_eq!(pair("default", "weakest_link"), (true, false));
    assert_eq!(pair("default", "share"), (false, true));
    // Other expectations: neither, although policy and aggregation agree.
    assert_eq!(pair("default", "targets"), (false, false));
    // The same name but other lights: not the same by construction.
    assert_eq!(pair("default", "impostor"), (false, true));
    assert_eq!(pair("default", "again"), (true, true));
    let again_pair = result
        .pairs
        .iter()
        .find(|p| p.b == "again" && p.a == "default");
    assert_eq!(again_pair.and_then(|p| p.auc_difference), Some(0.0));
}

/// Every thread count gives the same comparison, and the progress is told
/// of each resample once, in order; the seed decides the intervals.
#[test]
fn the_bootstrap_is_the_same_at_any_thread_count() {
    let variants = ["default", "weakest_link", "targets"].map(|n| Variant::builtin(n).unwrap());
    let refs: Vec<&dyn ScoringVariant> =
        variants.iter().map(|v| v as &dyn ScoringVariant).collect();
    let options = CompareOptions {
        resamples: 120,
        ..CompareOptions::new(MET)
    };
    let run = |options: CompareOptions| compare(&survey(), &refs, &options).unwrap();
    let one = same_at_any_thread_count(120, |threads, progress| {
        run(CompareOptions {
            threads,
            progress,
            ..options.clone()
        })
    });
    assert!(one.variants.iter().all(|v| v.auc_ci.is_some()));
    assert!(one.pairs.iter().all(|p| p.auc_difference_ci.is_some()));
    let other = run(CompareOptions {
        seed: 43,
        ..options
    });
    assert_ne!(other.variants[0].auc_ci, one.variants[0].auc_ci);
    assert_eq!(other.variants[0].auc, one.variants[0].auc);
}

mod weighted;
