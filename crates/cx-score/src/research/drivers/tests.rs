//! The driver analysis against hand-computed and NumPy values.

use cx_model::{Channel, Journey, Observation, Outcome, Scale, Stage, Touchpoint};
use proptest::prelude::*;

use super::*;
use crate::research::MatrixStatus;
use crate::research::progress::recording::same_at_any_thread_count;

/// A survey of touchpoints `a`, `b`, `c`... (one per column) on 1..=5,
/// each row a respondent's ratings (`None`: not rated) and likelihood
/// to recommend.
fn survey(rows: &[(Vec<Option<f64>>, f64)]) -> SurveyData {
    let ids = ["a", "b", "c", "d"];
    let width = rows.first().map_or(1, |(row, _)| row.len());
    let stage = ids[..width].iter().fold(Stage::new("All"), |stage, id| {
        stage.touchpoint(Touchpoint::new(*id, id.to_uppercase(), Channel::Web))
    });
    let journey = Journey::builder("Test", Scale::LIKERT_5)
        .stage(stage)
        .build()
        .unwrap();
    let mut data = SurveyData::new(journey);
    for (r, (row, likelihood)) in rows.iter().enumerate() {
        let respondent = format!("r{r}");
        for (id, rating) in ids.iter().zip(row) {
            if let Some(rating) = rating {
                data.push(&Observation::new(respondent.as_str(), *id, *rating))
                    .unwrap();
            }
        }
        let outcome = Outcome::new(respondent.as_str()).with_likelihood_to_recommend(*likelihood);
        data.push_outcome(&outcome).unwrap();
    }
    data
}

fn options() -> DriverOptions {
    DriverOptions {
        resamples: 0,
        ..DriverOptions::new(Target::Nps)
    }
}

/// The case: 40 respondents rate `a`; 5 of them also rate `b`,
/// exactly as they rate `a`.
fn five_of_forty() -> SurveyData {
    let rows: Vec<(Vec<Option<f64>>, f64)> = (0..40u32)
        .map(|r| {
            let a = f64::from(1 + r % 5);
            let b = (r < 5).then_some(a);
            (vec![Some(a), b], 2.0 * (a - 1.0) + f64::from(r % 3 == 0))
        })
        .collect();
    survey(&rows)
}

#[test]
fn a_touchpoint_below_the_minimum_is_described_not_weighted() {
    let analysis = drivers(&five_of_forty(), &options()).unwrap();
    let (a, b) = (&analysis.drivers[0], &analysis.drivers[1]);
    assert_eq!(
        (a.n, a.below_min_sample, a.relative_weight),
        (40, false, Some(100.0))
    );
    assert!(a.quadrant.is_some());
    assert_eq!((b.n, b.below_min_sample), (5, true));
    // Described: its mean over the five ratings 1..=5 is 3.
    assert_eq!(b.mean_reality, Some(3.0));
    assert_eq!(
        (b.relative_weight, b.relative_weight_ci, b.quadrant),
        (None, None, None)
    );
    assert!(!b.unmarked_moment_of_truth && b.significant.is_none());
    assert_eq!(analysis.weights_withheld, None);
}

#[test]
fn a_singular_pairwise_matrix_is_reported_not_split() {
    // With the minimum at 5, b enters: r_ab = 1 on its five pairs, a
    // singular matrix that a pseudo-inverse would split 50/50.
    let options = DriverOptions {
        min_sample: 5,
        resamples: 20,
        ..options()
    };
    let analysis = drivers(&five_of_forty(), &options).unwrap();
    let conditioning = analysis.conditioning.as_ref().unwrap();
    assert_eq!(conditioning.status, MatrixStatus::Singular);
    assert_eq!(
        conditioning.collinear,
        [vec!["a".to_owned(), "b".to_owned()]]
    );
    assert_eq!(analysis.weights_withheld, Some(WeightsWithheld::Matrix));
    assert_eq!(analysis.r_squared, None);
    assert!(analysis.drivers.iter().all(|d| d.relative_weight.is_none()
        && d.relative_weight_ci.is_none()
        && d.significant.is_none()));
}

#[test]
fn an_impossible_pairwise_matrix_gets_no_weights_and_listwise_nobody() {
    // Three groups of ten: a = b, a = c, c = 6 - b: r_ab = r_ac = 1,
    // r_bc = -1 (eigenvalues -1, 2, 2), and nobody rated all three.
    let rows: Vec<(Vec<Option<f64>>, f64)> = (0..30u32)
        .map(|r| {
            let v = f64::from(1 + r % 5);
            let row = match r / 10 {
                0 => vec![Some(v), Some(v), None],
                1 => vec![Some(v), None, Some(v)],
                _ => vec![None, Some(v), Some(6.0 - v)],
            };
            (row, f64::from(r % 11))
        })
        .collect();
    let data = survey(&rows);
    let pairwise = DriverOptions {
        min_sample: 20,
        ..options()
    };
    let analysis = drivers(&data, &pairwise).unwrap();
    let status = analysis.conditioning.as_ref().map(|c| c.status);
    assert_eq!(status, Some(MatrixStatus::NotPositiveSemiDefinite));
    assert_eq!(analysis.weights_withheld, Some(WeightsWithheld::Matrix));
    let listwise = DriverOptions {
        missing: MissingData::Listwise,
        ..pairwise
    };
    let analysis = drivers(&data, &listwise).unwrap();
    assert_eq!(analysis.weight_respondents, 0);
    assert_eq!(
        analysis.weights_withheld,
        Some(WeightsWithheld::TooFewCompleteCases {
            found: 0,
            minimum: 30
        })
    );
    assert_eq!(analysis.conditioning, None);
    // At the default minimum of 30 no touchpoint (n = 20) is weighted.
    let analysis = drivers(&data, &options()).unwrap();
    assert_eq!(
        analysis.weights_withheld,
        Some(WeightsWithheld::NoTouchpoint { min_sample: 30 })
    );
    assert!(analysis.drivers.iter().all(|d| d.quadrant.is_none()));
}

#[test]
fn listwise_weights_against_numpy() {
    // The 60 respondents of tests/research.rs, b missing where c = 5;
    // listwise keeps the 53 others. References: NumPy 2.x, Johnson
    // (2000) by hand on np.corrcoef of the complete rows (Z from
    // np.linalg.eigh, β = np.linalg.solve(Z, r_xy)); R² checked
    // against r_xyᵀ Rxx⁻¹ r_xy.
    const ROWS: &str = "4,3,1,0;5,5,3,0;4,3,5,1;1,1,2,0;3,1,1,1;1,1,1,0;1,1,1,0;4,4,2,0;2,2,2,0;5,4,5,1;4,3,1,0;2,2,3,1;4,4,4,1;1,1,3,0;5,4,2,0;5,5,1,1;2,3,1,0;5,2,2,1;3,5,5,0;5,4,1,1;4,2,4,1;1,3,3,0;2,2,5,1;2,2,2,1;2,2,1,0;2,1,1,0;2,2,3,0;3,4,4,1;4,3,1,0;2,3,4,0;3,5,2,0;3,2,2,1;4,4,2,1;5,4,1,0;5,3,3,1;2,1,5,1;4,3,2,0;5,4,3,1;4,3,2,1;4,3,4,1;5,5,4,1;3,3,2,0;2,3,4,0;1,2,4,0;5,4,5,1;2,4,4,1;1,2,1,0;2,2,4,0;5,5,1,0;4,2,4,1;1,1,4,0;5,5,4,0;2,3,1,0;1,3,4,0;3,3,5,1;3,1,3,0;4,5,4,1;5,5,2,1;3,2,1,0;1,3,3,0";
    let rows: Vec<(Vec<Option<f64>>, f64)> = ROWS
        .split(';')
        .map(|row| {
            let v: Vec<f64> = row.split(',').map(|x| x.parse().unwrap()).collect();
            let b = (v[2] != 5.0).then_some(v[1]);
            (vec![Some(v[0]), b, Some(v[2])], v[3])
        })
        .collect();
    let listwise = DriverOptions {
        missing: MissingData::Listwise,
        ..options()
    };
    let analysis = drivers(&survey(&rows), &listwise).unwrap();
    assert_eq!(
        (analysis.respondents, analysis.weight_respondents),
        (60, 53)
    );
    let r_squared = analysis.r_squared.unwrap();
    assert!((r_squared - 0.291_225_690_043_457_55).abs() < 1e-12);
    let expected = [
        66.234_242_597_882_03,
        10.311_228_115_741_686,
        23.454_529_286_376_275,
    ];
    for (driver, share) in analysis.drivers.iter().zip(expected) {
        assert!(
            (driver.relative_weight.unwrap() - share).abs() < 1e-9,
            "{driver:?}"
        );
    }
    // n and correlations stay each touchpoint's own: a has all 60.
    assert_eq!(analysis.drivers[0].n, 60);
}

/// 200 respondents rating `a` and `b`: the likelihood follows a; b cycles
/// with r / 5 and is exactly uncorrelated with a and with the outcome.
fn strong_and_unrelated() -> Vec<(Vec<Option<f64>>, f64)> {
    (0..200u32)
        .map(|r| {
            let a = f64::from(1 + r % 5);
            let b = f64::from(1 + (r / 5) % 5);
            (
                vec![Some(a), Some(b)],
                2.0 * (a - 1.0) + f64::from((r / 25) % 2),
            )
        })
        .collect()
}

#[test]
fn a_strong_driver_is_significant_and_an_unrelated_one_is_not() {
    let rows = strong_and_unrelated();
    let options = DriverOptions {
        resamples: 200,
        ..options()
    };
    let analysis = drivers(&survey(&rows), &options).unwrap();
    let (a, b) = (&analysis.drivers[0], &analysis.drivers[1]);
    assert!(b.pearson.is_some_and(|r| r.abs() < 1e-12), "{b:?}");
    assert_eq!((a.significant, b.significant), (Some(true), Some(false)));
    let ci = b.raw_weight_vs_random_ci.unwrap();
    assert!(ci.lower < 0.0 && 0.0 < ci.upper, "{ci:?}");
    // The seed decides: the same seed, the same intervals.
    assert_eq!(drivers(&survey(&rows), &options).unwrap(), analysis);
}

/// Every thread count gives the same analysis, and the progress is told of
/// each resample once, in order; the seed decides the intervals.
#[test]
fn the_bootstrap_is_the_same_at_any_thread_count() {
    // The significance test's survey with a third touchpoint, c, that
    // every seventh respondent did not rate.
    let mut rows = strong_and_unrelated();
    for (r, (row, _)) in (0u32..).zip(&mut rows) {
        row.push((r % 7 != 0).then(|| f64::from(1 + (r * 3) % 5)));
    }
    let data = survey(&rows);
    let options = DriverOptions {
        resamples: 150,
        ..options()
    };
    let run = |options: DriverOptions| drivers(&data, &options).unwrap();
    let one = same_at_any_thread_count(150, |threads, progress| {
        run(DriverOptions {
            threads,
            progress,
            ..options.clone()
        })
    });
    assert!(one.drivers.iter().all(|d| d.relative_weight_ci.is_some()));
    let other = run(DriverOptions {
        seed: 43,
        ..options
    });
    assert_ne!(
        other.drivers[0].relative_weight_ci,
        one.drivers[0].relative_weight_ci
    );
    assert_eq!(
        other.drivers[0].relative_weight,
        one.drivers[0].relative_weight
    );
}

#[test]
fn a_confidence_outside_zero_to_one_is_refused() {
    for confidence in [0.0, 1.0, f64::NAN, 1.5] {
        let options = DriverOptions {
            confidence,
            ..options()
        };
        let error = drivers(&five_of_forty(), &options).unwrap_err();
        assert!(error.is_config(), "{error}");
    }
}

proptest! {
    /// Without missing ratings, pairwise and listwise agree; a
    /// touchpoint below the minimum never has a weight, quadrant or
    /// flag; present shares sum to 100.
    #[test]
    fn prop_minimum_and_deletion(
        rows in proptest::collection::vec((proptest::array::uniform3(1u8..=5), 0u8..=10), 30..60),
        min_sample in 25u64..70,
    ) {
        let rows: Vec<(Vec<Option<f64>>, f64)> = rows
            .iter()
            .map(|(r, y)| (r.iter().map(|v| Some(f64::from(*v))).collect(), f64::from(*y)))
            .collect();
        let data = survey(&rows);
        let pairwise = DriverOptions { min_sample, resamples: 3, ..options() };
        let listwise = DriverOptions { missing: MissingData::Listwise, ..pairwise.clone() };
        let (p, l) = (drivers(&data, &pairwise).unwrap(), drivers(&data, &listwise).unwrap());
        prop_assert_eq!(&p.drivers, &l.drivers);
        prop_assert_eq!(p.r_squared, l.r_squared);
        for d in &p.drivers {
            prop_assert_eq!(d.below_min_sample, d.n < min_sample);
            if d.below_min_sample {
                prop_assert!(d.relative_weight.is_none() && d.quadrant.is_none());
                prop_assert!(!d.unmarked_moment_of_truth && d.significant.is_none());
            }
        }
        let shares: Vec<f64> = p.drivers.iter().filter_map(|d| d.relative_weight).collect();
        if !shares.is_empty() {
            prop_assert!((shares.iter().sum::<f64>() - 100.0).abs() < 1e-9);
        }
    }

    /// Any pattern of missing ratings, any minimum, either deletion:
    /// an analysis, never a panic.
    #[test]
    fn prop_any_missing_pattern_is_analysed(
        rows in proptest::collection::vec(
            (proptest::array::uniform3(proptest::option::of(1u8..=5)), 0u8..=10),
            0..40,
        ),
        min_sample in 0u64..12,
        listwise: bool,
    ) {
        let rows: Vec<(Vec<Option<f64>>, f64)> = rows
            .iter()
            .map(|(r, y)| (r.iter().map(|v| v.map(f64::from)).collect(), f64::from(*y)))
            .collect();
        let missing = if listwise { MissingData::Listwise } else { MissingData::Pairwise };
        let options = DriverOptions {
            min_sample,
            min_respondents: 0,
            missing,
            resamples: 2,
            ..options()
        };
        prop_assert!(drivers(&survey(&rows), &options).is_ok());
    }
}

proptest! {
    // Each case runs three analyses with a bootstrap: 64 cases.
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The bootstrap is the same at 1, 2 and 3 threads, for any missing
    /// pattern, deletion and weights: each resample has its own stream,
    /// merged in resample order.
    #[test]
    fn prop_any_thread_count_gives_the_same_analysis(
        rows in proptest::collection::vec(
            (proptest::array::uniform3(proptest::option::weighted(0.9, 1u8..=5)), 0u8..=10, 0u8..=4),
            20..50,
        ),
        listwise: bool,
        weighted: bool,
        seed: u64,
        resamples in 1usize..12,
    ) {
        let weights: Vec<f64> = rows.iter().map(|(_, _, w)| f64::from(*w) / 2.0).collect();
        let rows: Vec<(Vec<Option<f64>>, f64)> = rows
            .iter()
            .map(|(r, y, _)| (r.iter().map(|v| v.map(f64::from)).collect(), f64::from(*y)))
            .collect();
        let data = if weighted { weighted_survey(&rows, &weights) } else { survey(&rows) };
        let missing = if listwise { MissingData::Listwise } else { MissingData::Pairwise };
        let at = |threads: usize| {
            let options = DriverOptions {
                min_sample: 5,
                min_respondents: 0,
                missing,
                resamples,
                seed,
                threads,
                ..options()
            };
            drivers(&data, &options).unwrap()
        };
        let one = at(1);
        prop_assert_eq!(&at(2), &one);
        prop_assert_eq!(&at(3), &one);
    }
}

/// `rows` as a weighted survey: each respondent's weight on their
/// observations and outcome.
fn weighted_survey(rows: &[(Vec<Option<f64>>, f64)], weights: &[f64]) -> SurveyData {
    let plain = survey(rows);
    let mut data = SurveyData::weighted(plain.journey().clone());
    for (respondent, &w) in plain.respondents().iter().zip(weights) {
        let weight = cx_model::Weight::new(w).unwrap();
        for rating in &respondent.ratings {
            let id = &plain.journey().touchpoint(rating.index).unwrap().id;
            let reality = rating.reality.unwrap();
            let observation =
                Observation::new(respondent.id.as_str(), id.as_str(), reality).with_weight(weight);
            data.push(&observation).unwrap();
        }
        let outcome = Outcome::new(respondent.id.as_str())
            .with_likelihood_to_recommend(respondent.likelihood.unwrap())
            .with_weight(weight);
        data.push_outcome(&outcome).unwrap();
    }
    data
}

/// The analysis without what only weighted data reports (the weights'
/// sums and effective sizes), to compare with an unweighted one.
fn without_weights(mut analysis: DriverAnalysis) -> DriverAnalysis {
    analysis.weighted = false;
    analysis.respondents_weighted = None;
    analysis.weight_respondents_weighted = None;
    for driver in &mut analysis.drivers {
        driver.weighted = None;
    }
    analysis
}

/// The data set of `tests/reference/weighted_drivers.py`: a, b, c (None:
/// not rated), likelihood to recommend, weight.
/// Respondents' ratings (`None`: not rated) and likelihood to recommend.
type Rows = Vec<(Vec<Option<f64>>, f64)>;

fn reference_rows() -> (Rows, Vec<f64>) {
    const ROWS: [[f64; 5]; 14] = [
        [5.0, 4.0, 0.0, 9.0, 1.5],
        [4.0, 0.0, 0.0, 8.0, 0.5],
        [2.0, 3.0, 0.0, 3.0, 2.0],
        [3.0, 3.0, 5.0, 6.0, 3.0],
        [1.0, 2.0, 2.0, 0.0, 1.25],
        [5.0, 5.0, 0.0, 10.0, 0.75],
        [4.0, 4.0, 4.0, 7.0, 0.25],
        [2.0, 1.0, 0.0, 4.0, 1.0],
        [3.0, 4.0, 1.0, 5.0, 0.25],
        [1.0, 0.0, 0.0, 2.0, 2.5],
        [4.0, 5.0, 3.0, 9.0, 0.25],
        [2.0, 2.0, 0.0, 1.0, 1.75],
        [5.0, 3.0, 2.0, 8.0, 0.25],
        [3.0, 2.0, 0.0, 6.0, 1.0],
    ];
    // 0 stands for "not rated" (the scale starts at 1).
    let rows = ROWS
        .iter()
        .map(|r| {
            (
                r[..3].iter().map(|&v| (v > 0.0).then_some(v)).collect(),
                r[3],
            )
        })
        .collect();
    (rows, ROWS.iter().map(|r| r[4]).collect())
}

#[test]
fn weighted_drivers_against_numpy() {
    // References: tests/reference/weighted_drivers.py (NumPy 2.4, two-pass
    // weighted moments, wCorr 1.9.7's weighted mid-ranks, Johnson's weights
    // of the pairwise weighted matrix by np.linalg.eigh and solve). The
    // weights are quarters: SciPy 1.17's spearmanr of the sample repeating
    // each respondent 4w times gives the same three Spearman coefficients
    // (to the last bit but one).
    let (rows, weights) = reference_rows();
    let options = DriverOptions {
        min_sample: 5,
        min_respondents: 10,
        ..options()
    };
    let analysis = drivers(&weighted_survey(&rows, &weights), &options).unwrap();
    let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-12);
    assert!(analysis.weighted);
    let everyone = analysis.respondents_weighted.unwrap();
    assert_eq!(everyone.weight, 16.25);
    assert!(close(Some(everyone.effective_n), 9.047_109_207_708_779));
    // n, Σw, n_eff, mean, Pearson, Spearman per touchpoint.
    let expected = [
        (
            14,
            16.25,
            9.047_109_207_708_779,
            2.615_384_615_384_615_4,
            0.940_779_760_390_368,
            0.925_945_426_609_504_1,
        ),
        (
            12,
            13.25,
            7.738_292_011_019_284,
            2.849_056_603_773_585,
            0.732_060_222_047_261_8,
            0.729_972_395_945_141_1,
        ),
        (
            6,
            5.25,
            2.549_132_947_976_878_5,
            3.809_523_809_523_809_3,
            0.592_632_864_016_340_3,
            0.467_191_776_048_687_5,
        ),
    ];
    for (driver, (n, weight, n_eff, mean, r, rho)) in analysis.drivers.iter().zip(expected) {
        let sizes = driver.weighted.unwrap();
        assert_eq!((driver.n, sizes.weight), (n, weight), "{driver:?}");
        assert!(close(Some(sizes.effective_n), n_eff), "{driver:?}");
        assert!(close(driver.mean_reality, mean), "{driver:?}");
        assert!(close(driver.pearson, r), "{driver:?}");
        assert!(close(driver.spearman, rho), "{driver:?}");
    }
    // c: six raters (n ≥ 5) but n_eff 2.55 < 5, so not weighted.
    let c = &analysis.drivers[2];
    assert!(c.below_min_sample && c.relative_weight.is_none() && c.quadrant.is_none());
    assert!(close(analysis.r_squared, 0.885_244_045_502_599_3));
    for (driver, share) in analysis
        .drivers
        .iter()
        .zip([69.720_798_497_889_86, 30.279_201_502_110_134])
    {
        assert!(close(driver.relative_weight, share), "{driver:?}");
    }
    // Unweighted, c's six raters reach the minimum.
    let unweighted = drivers(&survey(&rows), &options).unwrap();
    assert!(!unweighted.drivers[2].below_min_sample);
    assert!(unweighted.drivers.iter().all(|d| d.weighted.is_none()));
}

#[test]
fn a_weighted_bootstrap_draws_the_same_respondents_and_is_seeded() {
    // Weights 1 and 3 alternating on the significance test's survey:
    // the strong driver stays significant, the unrelated one does not.
    let rows = strong_and_unrelated();
    let weights: Vec<f64> = (0..200)
        .map(|r| if r % 2 == 0 { 1.0 } else { 3.0 })
        .collect();
    let options = DriverOptions {
        resamples: 200,
        ..options()
    };
    let data = weighted_survey(&rows, &weights);
    let analysis = drivers(&data, &options).unwrap();
    let (a, b) = (&analysis.drivers[0], &analysis.drivers[1]);
    assert_eq!((a.significant, b.significant), (Some(true), Some(false)));
    assert!(a.relative_weight_ci.is_some());
    assert_eq!(drivers(&data, &options).unwrap(), analysis);
}

#[test]
fn a_weighted_data_set_refuses_missing_and_conflicting_weights() {
    let (rows, weights) = reference_rows();
    let mut data = weighted_survey(&rows, &weights);
    let before = data.respondents().to_vec();
    let missing = data.push(&Observation::new("r0", "a", 3.0)).unwrap_err();
    assert_eq!(missing.reason, crate::RejectReason::MissingWeight);
    let other = cx_model::Weight::new(2.0).unwrap();
    let conflict = data
        .push(&Observation::new("r0", "a", 3.0).with_weight(other))
        .unwrap_err();
    assert_eq!(conflict.reason, crate::RejectReason::ConflictingWeight);
    let outcome = Outcome::new("r0").with_weight(other);
    assert_eq!(
        data.push_outcome(&outcome).unwrap_err().reason,
        crate::RejectReason::ConflictingWeight
    );
    assert_eq!(
        (data.rejected(), data.respondents()),
        (3, before.as_slice())
    );
    // An unweighted data set ignores weights.
    let mut plain = survey(&rows);
    plain
        .push(&Observation::new("r0", "a", 3.0).with_weight(other))
        .unwrap();
    assert_eq!(plain.respondents()[0].weight, None);
}

proptest! {
    /// Every weight 1 is the unweighted analysis, bit for bit (the
    /// bootstrap included), besides the weights' sums it reports, whose
    /// effective sizes are then the counts.
    #[test]
    fn prop_unit_weights_are_unweighted(
        rows in proptest::collection::vec(
            (proptest::array::uniform3(proptest::option::weighted(0.8, 1u8..=5)), 0u8..=10),
            0..50,
        ),
        min_sample in 0u64..30,
        listwise: bool,
    ) {
        let rows: Vec<(Vec<Option<f64>>, f64)> = rows
            .iter()
            .map(|(r, y)| (r.iter().map(|v| v.map(f64::from)).collect(), f64::from(*y)))
            .collect();
        let missing = if listwise { MissingData::Listwise } else { MissingData::Pairwise };
        let options = DriverOptions {
            min_sample,
            min_respondents: 0,
            missing,
            resamples: 5,
            ..options()
        };
        let unweighted = drivers(&survey(&rows), &options).unwrap();
        let weighted = drivers(&weighted_survey(&rows, &vec![1.0; rows.len()]), &options).unwrap();
        prop_assert!(weighted.weighted && !unweighted.weighted);
        for (w, u) in weighted.drivers.iter().zip(&unweighted.drivers) {
            prop_assert_eq!(w.weighted.map(|w| w.effective_n), Some(u.n as f64));
        }
        prop_assert_eq!(without_weights(weighted), unweighted);
    }

    /// Weights scale-free: multiplying every weight by 4 or by 2⁻²⁰
    /// (powers of two, so exactly; the latter makes every weight sum far
    /// below 2) changes no estimate beyond rounding.
    #[test]
    fn prop_weights_are_scale_free(
        rows in proptest::collection::vec(
            (proptest::array::uniform2(1u8..=5), 0u8..=10, 1u8..=8),
            12..40,
        ),
    ) {
        let weights: Vec<f64> = rows.iter().map(|(_, _, w)| f64::from(*w) / 4.0).collect();
        let rows: Vec<(Vec<Option<f64>>, f64)> = rows
            .iter()
            .map(|(r, y, _)| (r.iter().map(|v| Some(f64::from(*v))).collect(), f64::from(*y)))
            .collect();
        let options = DriverOptions { min_sample: 0, min_respondents: 0, ..options() };
        let one = drivers(&weighted_survey(&rows, &weights), &options).unwrap();
        for factor in [4.0, 1.0 / f64::from(1 << 20)] {
        let scaled: Vec<f64> = weights.iter().map(|w| factor * w).collect();
        let other = drivers(&weighted_survey(&rows, &scaled), &options).unwrap();
        prop_assert_eq!(one.r_squared.is_some(), other.r_squared.is_some());
        for (a, b) in one.drivers.iter().zip(&other.drivers) {
            for (x, y) in [(a.pearson, b.pearson), (a.spearman, b.spearman), (a.mean_reality, b.mean_reality), (a.relative_weight, b.relative_weight)] {
                prop_assert_eq!(x.is_some(), y.is_some());
                if let (Some(x), Some(y)) = (x, y) {
                    prop_assert!((x - y).abs() < 1e-9, "{} {}", x, y);
                }
            }
        }
        }
    }
}
