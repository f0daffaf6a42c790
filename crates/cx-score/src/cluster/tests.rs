#![allow(clippy::unwrap_used)]

use super::*;
use crate::stats::Moments;
use proptest::prelude::*;

/// Weighted, against statsmodels' WLS on a constant with CR1 errors
/// clustered by respondent (`tests/reference/weighted_clustered.py`),
/// each respondent's weight on its rows: weights that are multiples of
/// a large power of two (the exact integer path), and 0.1 and 1/3,
/// whose sums leave `i128` (the floating-point path).
#[test]
fn weighted_clusters_against_statsmodels() {
    use crate::tally::WeightSum;
    use cx_model::Weight;
    let rows = [
        ("a", 1.0),
        ("a", 2.0),
        ("a", 0.5),
        ("b", -1.0),
        ("c", 3.0),
        ("c", -0.5),
        ("d", 0.0),
        ("d", 1.5),
    ];
    let cases = [
        ([0.5, 2.0, 1.25, 1.0], (0.5468750000000002, 0.5340597609704)),
        (
            [0.1, 1.0 / 3.0, 2.7, 1.0],
            (1.0290456432230382, 0.21291926846049775),
        ),
    ];
    for (weights, (mean, se)) in cases {
        let mut clusters = Clusters::<1, WeightSum>::default();
        for (key, value) in rows {
            let index = usize::from(key.as_bytes()[0] - b'a');
            clusters.begin(
                key,
                1,
                Weight::new(weights[index]).unwrap(),
                RespondentOrder::Contiguous,
            );
            clusters.add([0], halves(value).map(|half| [half]));
        }
        let [stats] = clusters.finish(0.95)[0];
        assert_eq!((stats.n, stats.clusters), (8, 4));
        assert!((stats.mean.unwrap() - mean).abs() < 1e-12, "{stats:?}");
        assert!((stats.se.unwrap() - se).abs() < 1e-12, "{stats:?}");
    }
}

/// Unit weights give the unweighted clusters' figures, bit for bit,
/// however the clusters are split and merged.
#[test]
fn unit_weights_are_unweighted_clusters() {
    use crate::tally::WeightSum;
    use cx_model::Weight;
    let rows = [("a", 1.0), ("a", 2.5), ("b", -1.0), ("c", 3.0), ("c", -0.5)];
    let (mut plain, mut weighted) = (
        Clusters::<1>::default(),
        Clusters::<1, WeightSum>::default(),
    );
    let (mut plain_tail, mut weighted_tail) = (
        Clusters::<1>::default(),
        Clusters::<1, WeightSum>::default(),
    );
    for (at, (key, value)) in rows.into_iter().enumerate() {
        let halves = halves(value).map(|half| [half]);
        let (p, w) = if at < 3 {
            (&mut plain, &mut weighted)
        } else {
            (&mut plain_tail, &mut weighted_tail)
        };
        p.begin(key, 1, (), RespondentOrder::Contiguous);
        p.add([0], halves);
        w.begin(key, 1, Weight::ONE, RespondentOrder::Contiguous);
        w.add([0], halves);
    }
    plain_tail.merge(&plain);
    weighted_tail.merge(&weighted);
    let ([a], [b]) = (plain_tail.finish(0.95)[0], weighted_tail.finish(0.95)[0]);
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    assert!(a.se.is_some());
}

/// Against statsmodels 0.15.0 (`sm.OLS(y, np.ones(len(y))).fit(
/// cov_type="cluster", cov_kwds={"groups": g}).bse[0]`), on values
/// written out here: three respondents of 3, 1 and 2 answers.
#[test]
fn statsmodels_cluster_robust_se() {
    let data = [
        ("r1", 2.0),
        ("r1", 1.5),
        ("r1", 3.0),
        ("r2", -1.0),
        ("r3", 0.5),
        ("r3", -0.5),
    ];
    let mut moments = ClusteredMoments::default();
    for (key, value) in data {
        moments.push(key, value);
    }
    let stats = moments.finish(0.95);
    assert_eq!((stats.n, stats.clusters), (6, 3));
    assert!((stats.mean.unwrap() - 0.916_666_666_666_666_6).abs() < 1e-15);
    assert!((stats.se.unwrap() - STATSMODELS_SE).abs() < 1e-12);
}

const STATSMODELS_SE: f64 = 0.937_577_157_318_760_1;

/// Every cluster a single value: exactly the plain standard error.
#[test]
fn singletons_give_the_plain_standard_error() {
    let values = [1.0, 2.0, 2.0, 3.5, -1.0, 4.0];
    let mut clustered = ClusteredMoments::default();
    let mut plain = Moments::default();
    for (index, value) in values.into_iter().enumerate() {
        clustered.push(&index.to_string(), value);
        plain.push(value);
    }
    let (clustered, plain) = (clustered.finish(0.95), plain.finish(0.95));
    assert_eq!(clustered.mean, plain.mean);
    assert!((clustered.se.unwrap() - plain.se.unwrap()).abs() < 1e-15);
}

/// A key seen again after another starts a new cluster, unless its
/// cluster is still open (here: the state's first run).
#[test]
fn a_key_seen_again_later_is_a_new_cluster() {
    let clusters = |keys: &[&str]| {
        let mut moments = ClusteredMoments::default();
        for key in keys {
            moments.push(key, 1.0);
        }
        moments.finish(0.95).clusters
    };
    assert_eq!(clusters(&["a", "b", "c", "b"]), 4);
    assert_eq!(clusters(&["a", "b", "a"]), 2);
}

#[test]
fn off_grid_values_withhold_the_figures() {
    let mut moments = ClusteredMoments::default();
    moments.push("a", 1.0);
    moments.push("b", 0.3);
    let stats = moments.finish(0.95);
    assert_eq!((stats.off_grid, stats.mean, stats.se), (1, None, None));
    assert_eq!(ClusteredMoments::default().finish(0.95).mean, None);
}

/// Respondents in runs, each id once: `(id, values)`.
fn contiguous() -> impl Strategy<Value = Vec<(String, f64)>> {
    prop::collection::vec(prop::collection::vec(-8i8..=8, 1..5), 0..15).prop_map(|runs| {
        runs.into_iter()
            .enumerate()
            .flat_map(|(id, values)| {
                values
                    .into_iter()
                    .map(move |halves| (format!("r{id}"), f64::from(halves) / 2.0))
            })
            .collect()
    })
}

proptest! {
    /// Cut anywhere, even inside a respondent's run, and merged in any
    /// order: the one-pass result, to the bit.
    #[test]
    fn merging_in_any_order_is_one_pass(
        rows in contiguous(),
        cuts in prop::collection::vec(0usize..60, 0..4),
        order in any::<prop::sample::Index>(),
    ) {
        let mut whole = ClusteredMoments::default();
        for (key, value) in &rows {
            whole.push(key, *value);
        }
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(rows.len())).collect();
        cuts.sort_unstable();
        let mut parts = Vec::new();
        let mut from = 0;
        for to in cuts.into_iter().chain([rows.len()]) {
            let mut part = ClusteredMoments::default();
            for (key, value) in &rows[from..to] {
                part.push(key, *value);
            }
            parts.push(part);
            from = to;
        }
        let expected = whole.finish(0.95);
        let mut forward = ClusteredMoments::default();
        parts.iter().for_each(|part| forward.merge(part));
        let mut backward = ClusteredMoments::default();
        parts.iter().rev().for_each(|part| backward.merge(part));
        // One part first, then the rest.
        let first = order.index(parts.len());
        let mut rotated = parts[first].clone();
        parts.iter().enumerate().filter(|&(i, _)| i != first).for_each(|(_, part)| rotated.merge(part));
        for merged in [forward, backward, rotated] {
            prop_assert_eq!(merged.finish(0.95), expected);
        }
    }

    /// Pushing after a merge continues the run the merged state ended
    /// with, as one pass would.
    #[test]
    fn pushes_after_a_merge_continue(rows in contiguous(), cut in 0usize..60) {
        let mut whole = ClusteredMoments::default();
        for (key, value) in &rows {
            whole.push(key, *value);
        }
        let cut = cut.min(rows.len());
        let (mut head, mut tail) = (ClusteredMoments::default(), ClusteredMoments::default());
        rows[..cut].iter().for_each(|(key, value)| head.push(key, *value));
        let (middle, rest) = rows[cut..].split_at((rows.len() - cut) / 2);
        middle.iter().for_each(|(key, value)| tail.push(key, *value));
        head.merge(&tail);
        rest.iter().for_each(|(key, value)| head.push(key, *value));
        prop_assert_eq!(head.finish(0.95), whole.finish(0.95));
    }

    /// The interval holds the mean.
    #[test]
    fn the_interval_holds_the_mean(
        rows in contiguous(),
    ) {
        let mut moments = ClusteredMoments::default();
        for (key, value) in &rows {
            moments.push(key, *value);
        }
        let stats = moments.finish(0.95);
        if let (Some(mean), Some(ci)) = (stats.mean, stats.ci) {
            prop_assert!(ci.contains(mean));
        }
    }
}

/// `rows` pushed to keyed clusters (respondents scattered), in three sets:
/// set 0, and set 1 for whole values or set 2 for half ones.
fn keyed(rows: &[(String, f64)]) -> Clusters<1> {
    let mut clusters = Clusters::<1>::default();
    for (key, value) in rows {
        clusters.begin(key, 3, (), RespondentOrder::Scattered);
        let set = 1 + usize::from((2.0 * value) as i64 % 2 != 0);
        clusters.add([0, set], halves(*value).map(|half| [half]));
    }
    clusters
}

/// The same rows, contiguous, sorted by key (a stable sort keeps each
/// respondent's values in order).
fn sorted(rows: &[(String, f64)]) -> Clusters<1> {
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let mut clusters = Clusters::<1>::default();
    for (key, value) in &rows {
        clusters.begin(key, 3, (), RespondentOrder::Contiguous);
        let set = 1 + usize::from((2.0 * value) as i64 % 2 != 0);
        clusters.add([0, set], halves(*value).map(|half| [half]));
    }
    clusters
}

/// Scattered, a key seen again joins its cluster: `a b a` is two
/// respondents, as `a a b` is. By hand: S_a = 2, S_b = -2, n = 3,
/// x̄ = 0; Var = 2 / 1 · (2² + (-2)²) / 3² = 16 / 9, SE = 4 / 3.
#[test]
fn keyed_clusters_join_a_respondent_wherever_their_rows_are() {
    let rows: Vec<(String, f64)> = [("a", 1.0), ("b", -2.0), ("a", 1.0)]
        .map(|(key, value)| (key.to_owned(), value))
        .to_vec();
    let [stats] = keyed(&rows).finish(0.95)[0];
    assert_eq!((stats.n, stats.clusters, stats.mean), (3, 2, Some(0.0)));
    assert_eq!(stats.se, Some(4.0 / 3.0));
    assert_eq!(keyed(&rows).finish(0.95), sorted(&rows).finish(0.95));
    // Contiguous, after a first respondent (whose run stays open for a
    // state before), `a b a` are three runs; keyed, two respondents.
    let after_x: Vec<(String, f64)> = [("x".to_owned(), 0.0)].into_iter().chain(rows).collect();
    let mut runs = Clusters::<1>::default();
    for (key, value) in &after_x {
        runs.begin(key, 1, (), RespondentOrder::Contiguous);
        runs.add([0], halves(*value).map(|half| [half]));
    }
    assert_eq!(runs.finish(0.95)[0][0].clusters, 4);
    assert_eq!(keyed(&after_x).finish(0.95)[0][0].clusters, 3);
}

proptest! {
    /// Rows shuffled, cut anywhere and merged in any order, keyed: the
    /// result of the rows sorted by respondent, to the bit; and a state
    /// written and read back merges as the live one.
    #[test]
    fn keyed_clusters_are_the_sorted_respondents(
        rows in contiguous(),
        shuffle in prop::collection::vec(any::<prop::sample::Index>(), 0..60),
        cuts in prop::collection::vec(0usize..60, 0..4),
        reversed in any::<bool>(),
    ) {
        let expected = sorted(&rows).finish(0.95);
        let mut rows = rows;
        for (at, index) in shuffle.iter().enumerate().take(rows.len()) {
            let other = index.index(rows.len());
            rows.swap(at, other);
        }
        prop_assert_eq!(keyed(&rows).finish(0.95), expected.clone());
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(rows.len())).collect();
        cuts.sort_unstable();
        let mut parts = Vec::new();
        let mut from = 0;
        for to in cuts.into_iter().chain([rows.len()]) {
            parts.push(keyed(&rows[from..to]));
            from = to;
        }
        if reversed {
            parts.reverse();
        }
        let mut merged = Clusters::<1>::default();
        for part in &parts {
            let json = serde_json::to_string(part).unwrap();
            let read: Clusters<1> = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(&read, part);
            merged.merge(&read);
        }
        prop_assert_eq!(merged.finish(0.95), expected);
    }
}
