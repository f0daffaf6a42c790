//! Weighted comparisons: against independently computed references, unit
//! weights against the unweighted comparison, whole-number weights against
//! repeated respondents.

use cx_model::{Answer, Channel, LoyaltyQuestion, Observation, Outcome, Scale, Stage, Touchpoint};
use proptest::prelude::*;

use super::super::*;
use super::close;
use crate::TrafficLight::{Green, Red, Yellow};
use crate::research::Variant;

const MET: Target = Target::Question(LoyaltyQuestion::ExpectationsMet);

/// The data set of `tests/reference/weighted_compare.py`, which reads
/// the same file, as is `cx compare`'s CLI test: a long CSV file of 22
/// respondents at `t1` (target 3), `t2` (target 4) and `t3` (none), each
/// row with the respondent's segment, whether their expectations were met
/// and their weight.
const REFERENCE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/reference/weighted_compare.csv"
));

/// The reference survey, weighted when `weighted`, each record carrying
/// `weight` of its respondent's weight in the file.
fn reference_survey(weighted: bool, weight: fn(f64) -> f64) -> SurveyData {
    let journey = Journey::builder("Reference", Scale::LIKERT_5)
        .stage(
            Stage::new("All")
                .touchpoint(Touchpoint::new("t1", "T1", Channel::Web).target(3.0))
                .touchpoint(Touchpoint::new("t2", "T2", Channel::Web).target(4.0))
                .touchpoint(Touchpoint::new("t3", "T3", Channel::Web)),
        )
        .build()
        .unwrap();
    let mut data = if weighted {
        SurveyData::weighted(journey)
    } else {
        SurveyData::new(journey)
    };
    let mut lines = REFERENCE.lines();
    assert_eq!(
        lines.next(),
        Some("respondent_id,touchpoint,reality,expectation,segment,expectations_met,weight")
    );
    let mut previous = None;
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        let [id, touchpoint, reality, expectation, segment, met, in_file] = fields[..] else {
            panic!("not a reference row: {line}");
        };
        let weight = cx_model::Weight::new(weight(in_file.parse().unwrap())).unwrap();
        let mut o = Observation::new(id, touchpoint, reality.parse().unwrap()).with_weight(weight);
        if !expectation.is_empty() {
            o = o.with_expectation(expectation.parse().unwrap());
        }
        data.push(&o).unwrap();
        // A respondent's rows are together, and agree on their outcome.
        if previous != Some(id) {
            let outcome = Outcome::new(id)
                .with_answer(LoyaltyQuestion::ExpectationsMet, Answer::from(met == "yes"))
                .with_segment(segment)
                .with_weight(weight);
            data.push_outcome(&outcome).unwrap();
            previous = Some(id);
        }
    }
    data
}

fn builtins(names: &[&str]) -> Vec<Variant> {
    names
        .iter()
        .map(|name| Variant::builtin(name).unwrap())
        .collect()
}

fn refs(variants: &[Variant]) -> Vec<&dyn ScoringVariant> {
    variants.iter().map(|v| v as &dyn ScoringVariant).collect()
}

fn pair<'a>(comparison: &'a Comparison, a: &str, b: &str) -> &'a PairResult {
    comparison
        .pairs
        .iter()
        .find(|p| p.a == a && p.b == b)
        .unwrap()
}

#[test]
fn weighted_comparison_against_numpy_scipy_and_scikit_learn() {
    // References: tests/reference/weighted_compare.py. AUC: scikit-learn
    // 1.9's roc_auc_score(sample_weight = w) (and the weighted
    // Mann-Whitney sum, the same to 1e-15); point-biserial: the weighted
    // Pearson coefficient of np.cov(aweights = w) (and SciPy 1.17's
    // pointbiserialr of the sample repeating each respondent 4w times);
    // Spearman: SciPy's spearmanr of that repeated sample (and wCorr
    // 1.9.7's weighted ranks); lights from the weighted means, met shares
    // and t intervals on Kish's n_eff (SciPy's t.ppf), kappa from
    // scikit-learn's cohen_kappa_score over the cells lit by both.
    let variants = builtins(&["default", "share", "cautious", "weakest_link"]);
    let options = CompareOptions {
        resamples: 50,
        by: vec![Dimension::Segment],
        config: ScoreConfig {
            min_sample: 4,
            ..ScoreConfig::default()
        },
        ..CompareOptions::new(MET)
    };
    let data = reference_survey(true, |weight| weight);
    let result = compare(&data, &refs(&variants), &options).unwrap();
    assert!(result.weighted);
    assert_eq!(result.respondents, 22);
    let everyone = result.respondents_weighted.unwrap();
    assert_eq!(everyone.weight, 29.5);
    assert!(close(Some(everyone.effective_n), 12.589_511_754_068_717));

    let (mean, weakest) = (&result.variants[0], &result.variants[3]);
    for v in &result.variants {
        assert_eq!(v.scored, 22);
        assert_eq!(v.scored_weighted, result.respondents_weighted);
        assert!(v.auc_ci.is_some_and(|ci| ci.lower <= ci.upper), "{v:?}");
    }
    assert!(close(mean.auc, 0.914_262_820_512_820_5), "{mean:?}");
    assert!(close(mean.point_biserial, 0.673_140_821_100_322_3));
    assert!(close(mean.spearman, 0.689_641_339_050_016_2));
    assert!(close(weakest.auc, 0.884_294_871_794_871_7), "{weakest:?}");
    assert!(close(weakest.point_biserial, 0.636_864_750_884_063_4));
    assert!(close(weakest.spearman, 0.655_630_404_123_545_1));
    let difference = pair(&result, "default", "weakest_link");
    assert!(close(difference.auc_difference, 0.029_967_948_717_948_834));
    assert_eq!(difference.respondents_weighted, result.respondents_weighted);
    assert!(difference.auc_difference_ci.is_some());

    // Cells: t1, t2, t3 of the whole journey, then of segments a, b, c.
    // Segment c's four respondents weigh 4, 1/4, 1/4 and 1/4: n_eff 1.39,
    // below the minimum of 4 that their count reaches.
    let unlit = [None; 3];
    let lights = |codes: [TrafficLight; 9]| -> Vec<Option<TrafficLight>> {
        codes.iter().copied().map(Some).chain(unlit).collect()
    };
    let by_name = |name: &str| {
        &result
            .variants
            .iter()
            .find(|v| v.name == name)
            .unwrap()
            .lights
    };
    assert_eq!(
        by_name("default"),
        &lights([
            Green, Yellow, Green, Green, Green, Green, Yellow, Red, Yellow
        ])
    );
    assert_eq!(
        by_name("share"),
        &lights([Yellow, Red, Yellow, Green, Yellow, Yellow, Red, Red, Red])
    );
    assert_eq!(
        by_name("cautious"),
        &lights([
            Yellow, Yellow, Yellow, Green, Yellow, Yellow, Yellow, Yellow, Yellow
        ])
    );
    let agreements = [
        ("default", "share", 2.0 / 9.0, -0.05, 2.0 / 9.0),
        (
            "default",
            "cautious",
            4.0 / 9.0,
            0.134_615_384_615_384_7,
            0.150_943_396_226_415_17,
        ),
        (
            "share",
            "cautious",
            5.0 / 9.0,
            0.25,
            0.307_692_307_692_307_7,
        ),
    ];
    for (a, b, raw, kappa, linear) in agreements {
        let lights = pair(&result, a, b).lights;
        assert_eq!(lights.n, 9, "{a} {b}");
        assert!(close(lights.raw, raw), "{a} {b} {lights:?}");
        assert!(close(lights.kappa, kappa), "{a} {b} {lights:?}");
        assert!(close(lights.weighted_kappa, linear), "{a} {b} {lights:?}");
    }

    // Unweighted, segment c's cells are lit, and the AUC is the plain one
    // (scikit-learn without sample weights: 0.8625).
    let plain = compare(
        &reference_survey(false, |weight| weight),
        &refs(&variants),
        &options,
    )
    .unwrap();
    assert!(!plain.weighted && plain.respondents_weighted.is_none());
    assert!(plain.variants[0].lights[9..].iter().all(Option::is_some));
    assert!(close(plain.variants[0].auc, 0.8625));
    assert!(plain.variants.iter().all(|v| v.scored_weighted.is_none()));
}

#[test]
fn weights_of_zero_leave_no_sample_and_say_so() {
    let variants = builtins(&["default", "weakest_link"]);
    let options = CompareOptions {
        resamples: 10,
        ..CompareOptions::new(MET)
    };
    let result = compare(&reference_survey(true, |_| 0.0), &refs(&variants), &options).unwrap();
    for v in &result.variants {
        assert_eq!(v.scored, 22);
        assert_eq!(
            v.scored_weighted.map(|w| (w.weight, w.effective_n)),
            Some((0.0, 0.0))
        );
        assert_eq!(
            (v.note, v.auc, v.auc_ci),
            (Some(VariantNote::WeighsNothing), None, None)
        );
        assert_eq!((v.point_biserial, v.spearman), (None, None));
        assert!(v.lights.iter().all(Option::is_none));
    }
    assert_eq!(result.pairs[0].auc_difference, None);
    // Undefined on the whole sample is not a skipped resample.
    assert_eq!(result.resamples_skipped, 0);
}

/// A generated respondent: segment (0..3), expectations met, likelihood
/// to recommend, and at `t1` (target 3) and `t2` (no target) a reality
/// with an own expectation or none (`None`: not rated).
type Generated = (u8, Option<bool>, u8, [Option<(u8, Option<u8>)>; 2]);

fn generated() -> impl Strategy<Value = Vec<Generated>> {
    let rating = proptest::option::weighted(0.8, (1u8..=5, proptest::option::of(1u8..=5)));
    proptest::collection::vec(
        (
            0u8..3,
            proptest::option::weighted(0.9, any::<bool>()),
            0u8..=10,
            [rating.clone(), rating],
        ),
        0..40,
    )
}

/// The generated respondents, each repeated as often as `copies` says
/// (once when `None`), weighted by `weights` when given. Journey scores
/// are then multiples of 1/8, exact, so that sums over repeated
/// respondents and weighted sums agree to the bit.
fn generated_survey(
    rows: &[Generated],
    weights: Option<&[f64]>,
    copies: Option<&[u8]>,
) -> SurveyData {
    let journey = Journey::builder("Generated", Scale::LIKERT_5)
        .stage(
            Stage::new("All")
                .touchpoint(Touchpoint::new("t1", "T1", Channel::Web).target(3.0))
                .touchpoint(Touchpoint::new("t2", "T2", Channel::Web)),
        )
        .build()
        .unwrap();
    let mut data = if weights.is_some() {
        SurveyData::weighted(journey)
    } else {
        SurveyData::new(journey)
    };
    for (r, (segment, yes, likelihood, ratings)) in rows.iter().enumerate() {
        let weight = weights.map(|w| cx_model::Weight::new(w[r]).unwrap());
        for copy in 0..copies.map_or(1, |c| c[r]) {
            let id = format!("r{r}-{copy}");
            for (touchpoint, rating) in ["t1", "t2"].iter().zip(ratings) {
                let Some((reality, expectation)) = rating else {
                    continue;
                };
                let mut o = Observation::new(id.as_str(), *touchpoint, f64::from(*reality));
                o.expectation = expectation.map(f64::from);
                o.weight = weight;
                data.push(&o).unwrap();
            }
            let mut outcome = Outcome::new(id.as_str())
                .with_likelihood_to_recommend(f64::from(*likelihood))
                .with_segment(["x", "y", "z"][usize::from(*segment)]);
            if let Some(yes) = yes {
                outcome = outcome.with_answer(LoyaltyQuestion::ExpectationsMet, Answer::from(*yes));
            }
            outcome.weight = weight;
            data.push_outcome(&outcome).unwrap();
        }
    }
    data
}

/// The comparison without what only weighted data reports (the weights'
/// sums and effective sizes), to compare with an unweighted one.
fn without_weights(mut comparison: Comparison) -> Comparison {
    comparison.weighted = false;
    comparison.respondents_weighted = None;
    for variant in &mut comparison.variants {
        variant.scored_weighted = None;
    }
    for pair in &mut comparison.pairs {
        pair.respondents_weighted = None;
    }
    comparison
}

/// Variant `v`'s lit cells, sorted.
fn lit(comparison: &Comparison, v: usize) -> Vec<(String, TrafficLight)> {
    let mut cells: Vec<(String, TrafficLight)> = comparison
        .cells
        .iter()
        .zip(&comparison.variants[v].lights)
        .filter_map(|(cell, light)| Some((format!("{cell:?}"), (*light)?)))
        .collect();
    cells.sort_by(|a, b| a.0.cmp(&b.0));
    cells
}

fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-12,
        (a, b) => a.is_none() && b.is_none(),
    }
}

proptest! {
    /// Every weight 1 is the unweighted comparison, bit for bit (the
    /// bootstrap and the lights of the weighted scorecard included),
    /// besides the weights' sums it reports, whose effective sizes are
    /// then the counts.
    #[test]
    fn prop_unit_weights_are_unweighted(
        rows in generated(),
        min_sample in 0u64..8,
        nps: bool,
    ) {
        let variants = builtins(&Variant::BUILTINS);
        let options = CompareOptions {
            resamples: 5,
            by: vec![Dimension::Segment],
            config: ScoreConfig { min_sample, ..ScoreConfig::default() },
            ..CompareOptions::new(if nps { Target::Nps } else { MET })
        };
        let unweighted = compare(&generated_survey(&rows, None, None), &refs(&variants), &options).unwrap();
        let ones = vec![1.0; rows.len()];
        let weighted = compare(&generated_survey(&rows, Some(&ones), None), &refs(&variants), &options).unwrap();
        prop_assert!(weighted.weighted && !unweighted.weighted);
        for (w, u) in weighted.variants.iter().zip(&unweighted.variants) {
            prop_assert_eq!(w.scored_weighted.map(|w| w.effective_n), Some(u.scored as f64));
        }
        for (w, u) in weighted.pairs.iter().zip(&unweighted.pairs) {
            prop_assert_eq!(w.respondents_weighted.map(|w| w.weight), Some(u.respondents as f64));
        }
        prop_assert_eq!(without_weights(weighted), unweighted);
    }

    /// Whole-number weights (0 to 3) give the point estimates of the
    /// survey that repeats each respondent as often: every AUC (exactly),
    /// AUC difference, point-biserial and Spearman coefficient (to
    /// rounding), and, with no minimum sample, the lights of the policies
    /// that judge the mean gap or the met share (and so their agreement).
    #[test]
    fn prop_whole_weights_are_repeated_respondents(
        rows in generated(),
        copies in proptest::collection::vec(0u8..=3, 40),
        nps: bool,
    ) {
        let copies = &copies[..rows.len()];
        let weights: Vec<f64> = copies.iter().map(|c| f64::from(*c)).collect();
        let variants = builtins(&["default", "share", "weakest_link", "targets"]);
        let options = CompareOptions {
            resamples: 0,
            by: vec![Dimension::Segment],
            config: ScoreConfig { min_sample: 0, ..ScoreConfig::default() },
            ..CompareOptions::new(if nps { Target::Nps } else { MET })
        };
        let weighted = compare(&generated_survey(&rows, Some(&weights), None), &refs(&variants), &options).unwrap();
        let repeated = compare(&generated_survey(&rows, None, Some(copies)), &refs(&variants), &options).unwrap();
        for (w, r) in weighted.variants.iter().zip(&repeated.variants) {
            prop_assert_eq!(w.auc, r.auc, "{}", w.name);
            prop_assert!(same(w.point_biserial, r.point_biserial), "{:?} {:?}", w, r);
            prop_assert!(same(w.spearman, r.spearman), "{:?} {:?}", w, r);
            prop_assert_eq!(w.scored_weighted.map(|w| w.weight), Some(r.scored as f64));
        }
        // A segment of weight 0 only is a group of unlit cells, which the
        // repeated survey does not have: the lit cells are compared.
        for v in 0..2 {
            prop_assert_eq!(lit(&weighted, v), lit(&repeated, v));
        }
        prop_assert_eq!(weighted.pairs[0].lights, repeated.pairs[0].lights);
        for (w, r) in weighted.pairs.iter().zip(&repeated.pairs) {
            prop_assert!(same(w.auc_difference, r.auc_difference), "{:?} {:?}", w, r);
        }
    }
}

proptest! {
    // Each case runs three comparisons with a bootstrap: 64 cases.
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The bootstrap is the same at 1, 2 and 3 threads, weighted or not:
    /// each resample has its own stream, merged in resample order.
    #[test]
    fn prop_any_thread_count_gives_the_same_comparison(
        rows in generated(),
        weights in proptest::collection::vec(0u8..=4, 40),
        weighted: bool,
        seed: u64,
        resamples in 1usize..12,
    ) {
        let weights: Vec<f64> = weights[..rows.len()].iter().map(|w| f64::from(*w) / 2.0).collect();
        let data = generated_survey(&rows, weighted.then_some(weights.as_slice()), None);
        let variants = builtins(&["default", "weakest_link", "peak_end"]);
        let at = |threads: usize| {
            let options = CompareOptions { resamples, seed, threads, ..CompareOptions::new(MET) };
            compare(&data, &refs(&variants), &options).unwrap()
        };
        let one = at(1);
        prop_assert_eq!(&at(2), &one);
        prop_assert_eq!(&at(3), &one);
    }
}
