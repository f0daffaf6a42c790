use super::*;
use proptest::prelude::*;

/// Reference values from SciPy 1.17.1, `2 * scipy.stats.norm.sf(abs(z))`
/// (computed in its own tail, without the subtraction).
#[test]
fn two_sided_p_values_in_the_far_tail() {
    let cases = [
        (0.0, 1.0),
        (1.0, 0.31731050786291415),
        (-2.5, 0.012419330651552265),
        (8.5, 1.89590696444065e-17),
        (10.0, 1.523970604832094e-23),
        (20.0, 5.507248237212311e-89),
        (37.0, 1.1451142445047853e-299),
    ];
    for (z, expected) in cases {
        let p = two_sided_p(z);
        assert!(
            ((p - expected) / expected).abs() < 1e-12,
            "z = {z}: {p} against {expected}"
        );
    }
    assert_eq!(two_sided_p(f64::INFINITY), 0.0);
    assert!(two_sided_p(f64::NAN).is_nan());
}

#[test]
fn quantiles_match_tables() {
    // Standard tables: z(0.975) = 1.959964, t(0.975, 4) = 2.776445, t(0.975, 29) = 2.045230.
    assert!((z_quantile(0.95).unwrap() - 1.959_964).abs() < 1e-6);
    assert!((t_quantile(0.95, 4.0).unwrap() - 2.776_445).abs() < 1e-6);
    assert!((t_quantile(0.95, 29.0).unwrap() - 2.045_230).abs() < 1e-6);
    assert_eq!(z_quantile(1.0), None);
    assert_eq!(t_quantile(f64::NAN, 3.0), None);
    assert_eq!(t_quantile(0.95, f64::NAN), None);
}

#[test]
fn the_expansion_matches_scipy_from_where_it_takes_over() {
    // scipy.stats.t.ppf(0.5 + c / 2, df), SciPy 1.17.1.
    let scipy = [
        (
            1_000.0,
            [
                0.674_735_164_607_009_3,
                1.962_339_080_826_408_3,
                3.300_282_648_423_944,
            ],
        ),
        (
            2_000.0,
            [
                0.674_612_437_531_021_7,
                1.961_150_826_099_437_7,
                3.295_398_136_729_770_7,
            ],
        ),
        (
            10_000.0,
            [
                0.674_514_284_483_592_7,
                1.960_201_239_890_626,
                3.291_499_965_941_635_5,
            ],
        ),
        (
            100_000.0,
            [
                0.674_492_203_553_292,
                1.959_987_707_534_609_5,
                3.290_624_031_411_913_7,
            ],
        ),
        (
            1.7e6,
            [
                0.674_489_894_510_771_8,
                1.959_965_379_994_695_2,
                3.290_532_454_871_947,
            ],
        ),
    ];
    for (df, quantiles) in scipy {
        for (confidence, expected) in [0.5, 0.95, 0.999].into_iter().zip(quantiles) {
            let expanded = t_quantile(confidence, df).unwrap();
            assert!(
                (expanded - expected).abs() < 1e-12,
                "df {df}, confidence {confidence}: {expanded} vs SciPy {expected}"
            );
        }
    }
    // Below the switch, the exact inverse stays within its own tolerance.
    let just_below = t_quantile(0.95, T_EXPANSION_FROM - 1.0).unwrap();
    assert!((just_below - 1.962_341_4).abs() < 1e-6, "{just_below}");
}

#[test]
fn millions_of_degrees_of_freedom_do_not_hang() {
    // statrs' exact inverse ran for minutes here (found scoring a 1 GB file).
    let z = z_quantile(0.95).unwrap();
    for df in [1.7e6, 1e9, f64::INFINITY] {
        let t = t_quantile(0.95, df).unwrap();
        assert!(t >= z && t - z < 2e-6, "df {df}: {t}");
    }
}

#[test]
fn mean_stats_by_hand() {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 40/8 = 5, squared deviations sum to 32,
    // sd = √(32/7) = 2.138090, se = sd/√8 = 0.755929,
    // t(0.975, 7) = 2.364624, ci = 5 ± 1.787496.
    let mut moments = Moments::default();
    for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
        moments.push(x);
    }
    let stats = moments.finish(0.95);
    assert_eq!(stats.n, 8);
    assert_eq!(stats.mean, Some(5.0));
    assert!((stats.sd.unwrap() - 2.138_090).abs() < 1e-6);
    assert!((stats.se.unwrap() - 0.755_929).abs() < 1e-6);
    let ci = stats.ci.unwrap();
    assert!((ci.lower - 3.212_504).abs() < 1e-5, "{ci:?}");
    assert!((ci.upper - 6.787_496).abs() < 1e-5, "{ci:?}");
}

#[test]
fn mean_stats_of_zero_and_one_value() {
    let empty = Moments::<u64>::default().finish(0.95);
    assert_eq!(
        (empty.n, empty.mean, empty.sd, empty.ci),
        (0, None, None, None)
    );
    let mut one = Moments::default();
    one.push(3.5);
    let one = one.finish(0.95);
    assert_eq!(
        (one.n, one.mean, one.sd, one.ci),
        (1, Some(3.5), None, None)
    );
}

#[test]
fn values_beyond_the_exact_range_still_count() {
    // 2^40 is whole but too large to square exactly in half units; it and
    // 0.1 go to the Welford part, 1 and 3 to the exact part.
    let mut moments = Moments::default();
    for x in [1.0, 3.0, 2f64.powi(40), 0.1] {
        moments.push(x);
    }
    let stats = moments.finish(0.95);
    assert_eq!(stats.n, 4);
    let mean = (4.1 + 2f64.powi(40)) / 4.0;
    assert!((stats.mean.unwrap() - mean).abs() < 1e-3);
}

#[test]
fn constant_values_have_zero_spread() {
    let mut moments = Moments::default();
    for _ in 0..5 {
        moments.push(0.1);
    }
    let stats = moments.finish(0.95);
    assert!(stats.sd.unwrap() < 1e-15);
}

#[test]
fn pushing_many_is_pushing_one_at_a_time() {
    // A whole value (kept as exact sums), a half value, and one kept in
    // floating point, each three times, then one more value.
    for value in [4.0, -2.5, 0.1] {
        let (mut many, mut one_by_one) = (Moments::default(), Moments::default());
        many.push_many(value, 3);
        many.push(1.0);
        for _ in 0..3 {
            one_by_one.push(value);
        }
        one_by_one.push(1.0);
        assert_eq!(many, one_by_one, "{value}");
        assert_eq!(many.count(), 4);
    }
    let mut none = Moments::default();
    none.push_many(3.0, 0);
    assert_eq!(none, Moments::default());
}

#[test]
fn wilson_by_hand() {
    // p = 8/10, z = 1.959964: z² = 3.841459, denominator 1.384146,
    // centre = (0.8 + 0.192073)/1.384146 = 0.716740,
    // half = 1.959964/1.384146 · √(0.016 + 0.009604) = 1.415999 · 0.160011 = 0.226577,
    // interval 0.490163..0.943318 (R: prop.test(8, 10, correct = FALSE) agrees).
    let share = ShareStats::new(8, 10, 0.95);
    let ci = share.ci.unwrap();
    assert_eq!(share.share, Some(0.8));
    assert!((ci.lower - 0.490_163).abs() < 1e-5, "{ci:?}");
    assert!((ci.upper - 0.943_318).abs() < 1e-5, "{ci:?}");
}

#[test]
fn wilson_at_the_edges() {
    let none = ShareStats::new(0, 10, 0.95);
    assert_eq!(none.ci.unwrap().lower, 0.0);
    assert!(none.ci.unwrap().upper > 0.2); // z²/(n + z²) = 0.277533
    let all = ShareStats::new(10, 10, 0.95);
    assert_eq!(all.ci.unwrap().upper, 1.0);
    let empty = ShareStats::new(0, 0, 0.95);
    assert_eq!((empty.share, empty.ci), (None, None));
}

fn weight(value: f64) -> Weight {
    Weight::new(value).unwrap()
}

/// Reference values from `tests/reference/weighted.py` (numpy 2 and
/// statsmodels' `DescrStatsW` mean, numpy's `cov(aweights=w)`, scipy's
/// `t.ppf` at `n_eff - 1` degrees of freedom).
#[test]
fn weighted_mean_against_numpy() {
    let values = [1.0, 2.0, 3.0, 4.0, 5.0, 2.5, 0.1];
    let weights = [0.5, 1.25, 2.0, 1.0, 3.0, 0.75, 1.5];
    let mut moments = Moments::<WeightSum>::default();
    for (&x, &w) in values.iter().zip(&weights) {
        moments.push_weighted(x, weight(w));
    }
    let stats = moments.finish(0.95);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12 * b.abs().max(1.0);
    assert_eq!(stats.n, 7);
    assert!(close(stats.mean.unwrap(), 3.0025), "{stats:?}");
    assert!(close(stats.sd.unwrap(), 1.8894951739257728), "{stats:?}");
    assert!(close(stats.se.unwrap(), 0.8154435984718909), "{stats:?}");
    let weighted = stats.weighted.unwrap();
    assert_eq!(weighted.weight, 10.0);
    assert!(close(weighted.effective_n, 5.369127516778524));
    let ci = stats.ci.unwrap();
    assert!((ci.lower - 0.8119429276866512).abs() < 1e-9, "{ci:?}");
    assert!((ci.upper - 5.193057072313349).abs() < 1e-9, "{ci:?}");
}

/// Reference from `tests/reference/weighted.py` (statsmodels'
/// `proportion_confint(method="wilson")` at `nobs = n_eff`).
#[test]
fn weighted_share_against_statsmodels() {
    let yes = [
        true, false, true, true, false, true, true, false, true, true,
    ];
    let weights = [0.5, 2.0, 1.5, 1.0, 0.25, 3.0, 1.0, 1.0, 0.75, 2.0];
    let (mut counted, mut all) = (WeightSum::default(), WeightSum::default());
    for (&yes, &w) in yes.iter().zip(&weights) {
        all.add(weight(w));
        if yes {
            counted.add(weight(w));
        }
    }
    let share = ShareStats::of(&counted, &all, 0.95);
    assert_eq!((share.count, share.n, share.share), (7, 10, Some(0.75)));
    assert!((share.weighted.unwrap().effective_n - 7.308108108108108).abs() < 1e-12);
    let ci = share.ci.unwrap();
    assert!((ci.lower - 0.3954994583320911).abs() < 1e-12, "{ci:?}");
    assert!((ci.upper - 0.9322311232580046).abs() < 1e-12, "{ci:?}");
}

#[test]
fn zero_weights_count_and_weigh_nothing() {
    let mut moments = Moments::<WeightSum>::default();
    moments.push_weighted(4.0, weight(0.0));
    moments.push_weighted(0.3, weight(0.0));
    let stats = moments.finish(0.95);
    assert_eq!((stats.n, stats.mean, stats.sd), (2, None, None));
    assert_eq!(stats.weighted.map(|w| w.effective_n), Some(0.0));
    // One weighted value beside a weightless one: a mean, no spread.
    moments.push_weighted(2.0, weight(2.0));
    let stats = moments.finish(0.95);
    assert_eq!((stats.n, stats.mean, stats.sd), (3, Some(2.0), None));
    let (none, all) = (WeightSum::default(), WeightSum::many(weight(0.0), 4));
    let share = ShareStats::of(&none, &all, 0.95);
    assert_eq!((share.n, share.share, share.ci), (4, None, None));
}

proptest! {
    #[test]
    fn merge_matches_one_pass(
        values in proptest::collection::vec(-1e3..1e3f64, 0..60),
        split in 0usize..60,
    ) {
        let split = split.min(values.len());
        let mut whole = Moments::default();
        values.iter().for_each(|&x| whole.push(x));
        let (mut left, mut right) = (Moments::default(), Moments::default());
        values[..split].iter().for_each(|&x| left.push(x));
        values[split..].iter().for_each(|&x| right.push(x));
        let mut right_then_left = right;
        right_then_left.merge(&left);
        left.merge(&right);
        for merged in [left, right_then_left] {
            prop_assert_eq!(merged.count(), whole.count());
            let (a, b) = (merged.finish(0.95), whole.finish(0.95));
            if let (Some(x), Some(y)) = (a.mean, b.mean) { prop_assert!((x - y).abs() < 1e-9); }
            if let (Some(x), Some(y)) = (a.sd, b.sd) { prop_assert!((x - y).abs() < 1e-9 * (1.0 + y)); }
        }
    }

    /// Whole and half values, mixed with arbitrary ones, against a
    /// two-pass mean and spread computed here.
    #[test]
    fn mixed_values_match_two_passes(
        values in proptest::collection::vec(
            prop_oneof![(-20i32..20).prop_map(|h| f64::from(h) / 2.0), -1e3..1e3f64],
            0..60,
        ),
    ) {
        let mut moments = Moments::default();
        values.iter().for_each(|&x| moments.push(x));
        let stats = moments.finish(0.95);
        prop_assert_eq!(stats.n, values.len() as u64);
        if values.is_empty() {
            prop_assert_eq!(stats.mean, None);
        } else {
            let n = values.len() as f64;
            let mean = values.iter().sum::<f64>() / n;
            prop_assert!((stats.mean.unwrap() - mean).abs() < 1e-9);
            if values.len() >= 2 {
                let sd = (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
                prop_assert!((stats.sd.unwrap() - sd).abs() < 1e-9 * (1.0 + sd));
            }
        }
    }

    /// Ratings are kept exactly, so any split and merge order gives the
    /// same bits.
    #[test]
    fn ratings_merge_to_the_same_bits_in_any_order(
        halves in proptest::collection::vec(-200i32..200, 0..80),
        cuts in proptest::collection::vec(0usize..80, 0..4),
    ) {
        let values: Vec<f64> = halves.iter().map(|&h| f64::from(h) / 2.0).collect();
        let mut whole = Moments::default();
        values.iter().for_each(|&x| whole.push(x));
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(values.len())).collect();
        cuts.sort_unstable();
        let mut parts = Vec::new();
        let mut from = 0;
        for cut in cuts.into_iter().chain([values.len()]) {
            let mut part = Moments::default();
            values[from..cut].iter().for_each(|&x| part.push(x));
            parts.push(part);
            from = cut;
        }
        let mut backwards = Moments::default();
        parts.iter().rev().for_each(|part| backwards.merge(part));
        prop_assert_eq!(backwards.finish(0.95), whole.finish(0.95));
    }

    /// Every weight 1 gives the unweighted figures exactly, bit for
    /// bit, whole, half and other values alike, however split.
    #[test]
    fn prop_unit_weights_are_unweighted(
        values in proptest::collection::vec(
            prop_oneof![(-20i32..20).prop_map(|h| f64::from(h) / 2.0), -1e3..1e3f64],
            0..40,
        ),
        split in 0usize..40,
        count in 0u64..40,
        extra in 0u64..40,
    ) {
        let split = split.min(values.len());
        let (mut plain, mut weighted) = (Moments::default(), Moments::<WeightSum>::default());
        let (mut plain_tail, mut weighted_tail) = (Moments::default(), Moments::<WeightSum>::default());
        for &x in &values[..split] {
            plain.push(x);
            weighted.push_weighted(x, Weight::ONE);
        }
        for &x in &values[split..] {
            plain_tail.push(x);
            weighted_tail.push_weighted(x, Weight::ONE);
        }
        plain_tail.merge(&plain);
        weighted_tail.merge(&weighted);
        let (a, b) = (plain_tail.finish(0.95), weighted_tail.finish(0.95));
        prop_assert_eq!(a.n, b.n);
        let bits = |x: Option<f64>| x.map(f64::to_bits);
        prop_assert_eq!(bits(a.mean), bits(b.mean));
        prop_assert_eq!(bits(a.sd), bits(b.sd));
        prop_assert_eq!(bits(a.se), bits(b.se));
        prop_assert_eq!(bits(a.ci.map(|ci| ci.lower)), bits(b.ci.map(|ci| ci.lower)));
        prop_assert_eq!(bits(a.ci.map(|ci| ci.upper)), bits(b.ci.map(|ci| ci.upper)));
        prop_assert_eq!(a.weighted, None);
        prop_assert_eq!(b.weighted.map(|w| w.effective_n), Some(b.n as f64));
        let all = count + extra;
        let plain = ShareStats::new(count, all, 0.95);
        let weighted = ShareStats::of(
            &WeightSum::many(Weight::ONE, count),
            &WeightSum::many(Weight::ONE, all),
            0.95,
        );
        prop_assert_eq!(ShareStats { weighted: None, ..weighted }, plain);
    }

    /// A weighted mean's and share's intervals contain their estimate.
    #[test]
    fn prop_weighted_intervals_contain_their_estimate(
        rows in proptest::collection::vec((-10i32..10, 0u32..4000, any::<bool>()), 0..40),
    ) {
        let mut moments = Moments::<WeightSum>::default();
        let (mut yes, mut all) = (WeightSum::default(), WeightSum::default());
        for &(half, milli, said_yes) in &rows {
            let w = weight(f64::from(milli) / 1000.0);
            moments.push_weighted(f64::from(half) / 2.0 + 0.01, w);
            all.add(w);
            if said_yes {
                yes.add(w);
            }
        }
        let stats = moments.finish(0.95);
        if let (Some(mean), Some(ci)) = (stats.mean, stats.ci) {
            prop_assert!(ci.contains(mean), "{mean} not in {ci:?}");
        }
        let share = ShareStats::of(&yes, &all, 0.95);
        if let (Some(p), Some(ci)) = (share.share, share.ci) {
            prop_assert!(ci.contains(p) && 0.0 <= ci.lower && ci.upper <= 1.0, "{p} not in {ci:?}");
        }
    }

    #[test]
    fn wilson_contains_the_share_and_stays_in_unit_interval(n in 1u64..100_000, count in 0u64..100_000) {
        let share = ShareStats::new(count, n, 0.95);
        let (p, ci) = (share.share.unwrap(), share.ci.unwrap());
        prop_assert!((0.0..=1.0).contains(&p));
        prop_assert!(0.0 <= ci.lower && ci.upper <= 1.0);
        prop_assert!(ci.contains(p), "{p} not in {ci:?}");
    }
}
