//! The driver analysis against hand-computed and NumPy values.

use cx_model::{Channel, Journey, Observation, Outcome, Scale, Stage, Touchpoint};
use proptest::prelude::*;

use super::*;
use crate::research::MatrixStatus;

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

#[test]
fn a_strong_driver_is_significant_and_an_unrelated_one_is_not() {
    // 200 respondents: the likelihood follows a; b cycles with r / 5
    // and is exactly uncorrelated with a and with the outcome.
    let rows: Vec<(Vec<Option<f64>>, f64)> = (0..200u32)
        .map(|r| {
            let a = f64::from(1 + r % 5);
            let b = f64::from(1 + (r / 5) % 5);
            (
                vec![Some(a), Some(b)],
                2.0 * (a - 1.0) + f64::from((r / 25) % 2),
            )
        })
        .collect();
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
        let listwise = DriverOptions { missing: MissingData::Listwise, ..pairwise };
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
