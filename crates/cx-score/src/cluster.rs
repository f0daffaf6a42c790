//! Means over clustered observations (a respondent's several answers) with
//! their cluster-robust standard error.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::stats::{Interval, t_quantile};

/// Running sums for the mean of values that come in clusters, such as the
/// gaps of one respondent at several touchpoints, and for its
/// cluster-robust (sandwich) standard error; mergeable.
///
/// Observations of one respondent are not independent: a pooled mean's
/// plain standard error `s / √N` treats them as if they were and is too
/// narrow. With `G` clusters, `S_c` the sum and `n_c` the count of cluster
/// `c`, `N = Σ n_c` and `x̄ = Σ S_c / N`:
///
/// ```text
/// Var(x̄) = G / (G - 1) · Σ_c (S_c - n_c · x̄)² / N²
/// ```
///
/// the CR1 estimator (as `statsmodels` OLS with `cov_type="cluster"` on a
/// constant, or Stata's `vce(cluster)`), and the interval is
/// `x̄ ± t(1 - α/2, G - 1) · SE`. With every cluster of one observation it
/// is exactly the plain `s² / N`.
///
/// **Clusters are runs, joined across states.** Within one accumulator a
/// cluster is a run of pushes with the same key, as readers hand a
/// respondent's rows on together; the same key again after another starts
/// a new cluster unless that key's cluster is still open. The first and
/// the last run of every accumulator stay
/// open, by key, so that [`merge`](Self::merge) joins a respondent cut
/// between two batches, blocks or partitions into one cluster, in whatever
/// order the states are merged. Input whose respondents are scattered must
/// be gathered first (a run is not a respondent); with contiguous
/// respondents any split merged in any order gives the one-pass result.
///
/// **Exact.** Values must be whole or half numbers (every rating, every
/// gap between ratings, every 0/1 indicator); the sums are kept in half
/// units as integers, so the result is bit-for-bit the same however the
/// stream was split and merged. A value off that grid makes the standard
/// error unavailable (`None`, counted in [`ClusteredStats::off_grid`]),
/// never approximate.
///
/// ```
/// use cx_score::ClusteredMoments;
///
/// // Two respondents, two answers each.
/// let mut gaps = ClusteredMoments::default();
/// for (respondent, gap) in [("a", 1.0), ("a", 1.0), ("b", -1.0), ("b", -1.0)] {
///     gaps.push(respondent, gap);
/// }
/// let stats = gaps.finish(0.95);
/// assert_eq!((stats.n, stats.clusters, stats.mean), (4, 2, Some(0.0)));
/// // S_a = 2, S_b = -2: Var = 2 / 1 · (4 + 4) / 16 = 1.
/// assert_eq!(stats.se, Some(1.0));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusteredMoments(Clusters<1>);

impl ClusteredMoments {
    /// Counts `value` in the cluster `key`: the current run if `key` is
    /// its key, else a new one.
    pub fn push(&mut self, key: &str, value: f64) {
        self.0.push_run(key, 1, [value]);
    }

    /// Adds what `other` has counted; a cluster open in both (the same
    /// respondent at the edge of each) becomes one.
    pub fn merge(&mut self, other: &ClusteredMoments) {
        self.0.merge(&other.0);
    }

    /// The mean, its cluster-robust standard error and a `confidence`
    /// interval with `G - 1` degrees of freedom.
    pub fn finish(&self, confidence: f64) -> ClusteredStats {
        let [stats] = self.0.finish(confidence);
        stats
    }
}

/// Clustered sums of `N` values per observation, which share their
/// clusters (a respondent's gap, met and WOW).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Clusters<const N: usize> {
    /// The clusters that may continue in another state, by key: the first
    /// run of every state merged in (a state before it may end with the
    /// same respondent) and the current run.
    open: BTreeMap<String, Open<N>>,
    /// The key of the run that pushes continue.
    current: Option<String>,
    /// Closed clusters, one set of sums per value.
    #[serde(with = "closed_sums")]
    closed: [Closed; N],
    /// Values that are not whole or half numbers.
    off_grid: u64,
}

impl<const N: usize> Default for Clusters<N> {
    fn default() -> Self {
        Clusters {
            open: BTreeMap::new(),
            current: None,
            closed: [Closed::default(); N],
            off_grid: 0,
        }
    }
}

/// A cluster that may continue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Open<const N: usize> {
    n: u64,
    /// The sums of its values, in half units.
    #[serde(with = "halves_sums")]
    halves: [i64; N],
    /// Whether it began its state: it then stays open to the end, for a
    /// state before this one to continue.
    starts: bool,
}

/// Whole clusters' sums of one value, in half units: exact integers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Closed {
    clusters: u64,
    n: u64,
    sum: i128,
    /// `Σ S_c²`.
    sum_of_squares: i128,
    /// `Σ n_c · S_c`.
    sum_by_size: i128,
    /// `Σ n_c²`.
    size_squares: i128,
}

impl Closed {
    fn close(&mut self, n: u64, halves: i64) {
        let (size, sum) = (i128::from(n), i128::from(halves));
        self.clusters += 1;
        self.n += n;
        // Saturating: the counts and sums of any real survey are far below
        // the limits; at them the spread is refused in `finish`, not wrapped.
        self.sum = self.sum.saturating_add(sum);
        self.sum_of_squares = self.sum_of_squares.saturating_add(sum.saturating_mul(sum));
        self.sum_by_size = self.sum_by_size.saturating_add(size.saturating_mul(sum));
        self.size_squares = self.size_squares.saturating_add(size.saturating_mul(size));
    }

    fn merge(&mut self, other: &Closed) {
        self.clusters += other.clusters;
        self.n += other.n;
        self.sum = self.sum.saturating_add(other.sum);
        self.sum_of_squares = self.sum_of_squares.saturating_add(other.sum_of_squares);
        self.sum_by_size = self.sum_by_size.saturating_add(other.sum_by_size);
        self.size_squares = self.size_squares.saturating_add(other.size_squares);
    }

    fn finish(&self, off_grid: u64, confidence: f64) -> ClusteredStats {
        let mut stats = ClusteredStats {
            n: self.n,
            clusters: self.clusters,
            off_grid,
            mean: None,
            se: None,
            ci: None,
        };
        if self.n == 0 || off_grid > 0 {
            return stats;
        }
        let n = self.n as f64;
        let mean = self.sum as f64 / 2.0 / n;
        stats.mean = Some(mean);
        if self.clusters < 2 {
            return stats;
        }
        // N² · Σ (S_c - n_c x̄)² = N² ΣS² - 2 N T Σ n S + T² Σ n², exactly in
        // integers (half units squared), so no digits cancel.
        let big_n = i128::from(self.n);
        let scaled = big_n
            .checked_mul(big_n)
            .and_then(|nn| nn.checked_mul(self.sum_of_squares))
            .zip(
                big_n
                    .checked_mul(self.sum)
                    .and_then(|nt| nt.checked_mul(self.sum_by_size))
                    .and_then(|x| x.checked_mul(2)),
            )
            .zip(
                self.sum
                    .checked_mul(self.sum)
                    .and_then(|tt| tt.checked_mul(self.size_squares)),
            )
            .and_then(|((a, b), c)| a.checked_sub(b)?.checked_add(c));
        let Some(scaled) = scaled else {
            return stats;
        };
        let g = self.clusters as f64;
        // Back from half units squared (/ 4) and from N² · Σ(...)² / N² / N².
        let variance = g / (g - 1.0) * (scaled.max(0) as f64 / 4.0) / n.powi(4);
        let se = variance.sqrt();
        stats.se = Some(se);
        stats.ci = t_quantile(confidence, g - 1.0).map(|t| Interval {
            lower: mean - t * se,
            upper: mean + t * se,
        });
        stats
    }
}

/// The largest magnitude of a value (or a run's sum), in half units, kept
/// exactly: squares of sums stay far inside `i128`.
const EXACT_HALVES: f64 = (1u64 << 40) as f64;

impl<const N: usize> Clusters<N> {
    /// Counts `count` observations whose values sum to `sums` in the
    /// cluster `key`, as that many pushes of one would (the scorecard
    /// pushes a respondent's run of rows in a batch at once). Sums off the
    /// half grid count the observations as off the grid.
    pub(crate) fn push_run(&mut self, key: &str, count: u64, sums: [f64; N]) {
        let mut halves = [0i64; N];
        for (half, sum) in halves.iter_mut().zip(sums) {
            let doubled = 2.0 * sum;
            if !(doubled.fract() == 0.0 && doubled.abs() <= EXACT_HALVES) {
                self.off_grid += count;
                return;
            }
            *half = doubled as i64;
        }
        if self.current.as_deref() != Some(key) {
            // The current run ends inside this state: closed, unless it
            // began the state.
            if let Some(ended) = self.current.take()
                && self.open.get(&ended).is_some_and(|open| !open.starts)
                && let Some(open) = self.open.remove(&ended)
            {
                self.close(&open);
            }
            let starts = self.is_empty();
            self.open.entry(key.to_owned()).or_insert(Open {
                n: 0,
                halves: [0; N],
                starts,
            });
            self.current = Some(key.to_owned());
        }
        if let Some(open) = self.open.get_mut(key) {
            open.n += count;
            for (sum, half) in open.halves.iter_mut().zip(halves) {
                *sum = sum.saturating_add(half);
            }
        }
    }

    fn close(&mut self, open: &Open<N>) {
        for (closed, halves) in self.closed.iter_mut().zip(open.halves) {
            closed.close(open.n, halves);
        }
    }

    /// Adds what `other` has counted: its open clusters join this one's of
    /// the same key, and pushes continue its current run.
    pub(crate) fn merge(&mut self, other: &Clusters<N>) {
        self.off_grid += other.off_grid;
        for (mine, theirs) in self.closed.iter_mut().zip(&other.closed) {
            mine.merge(theirs);
        }
        for (key, theirs) in &other.open {
            let mine = self.open.entry(key.clone()).or_insert(Open {
                n: 0,
                halves: [0; N],
                starts: false,
            });
            mine.n += theirs.n;
            for (sum, half) in mine.halves.iter_mut().zip(theirs.halves) {
                *sum = sum.saturating_add(half);
            }
            mine.starts |= theirs.starts;
        }
        if other.current.is_some() {
            self.current.clone_from(&other.current);
        }
    }

    /// Observations counted, those off the grid included.
    pub(crate) fn values(&self) -> u64 {
        let open = self
            .open
            .values()
            .fold(0u64, |n, open| n.saturating_add(open.n));
        let closed = self.closed.first().map_or(0, |closed| closed.n);
        closed.saturating_add(open).saturating_add(self.off_grid)
    }

    /// Whether nothing has been counted.
    pub(crate) fn is_empty(&self) -> bool {
        self.values() == 0
    }

    /// Each value's mean, cluster-robust standard error and `confidence`
    /// interval.
    pub(crate) fn finish(&self, confidence: f64) -> [ClusteredStats; N] {
        let mut closed = self.closed;
        for open in self.open.values() {
            for (closed, halves) in closed.iter_mut().zip(open.halves) {
                closed.close(open.n, halves);
            }
        }
        closed.map(|closed| closed.finish(self.off_grid, confidence))
    }
}

/// Serde for `[Closed; N]` and `[i64; N]`, which serde does not derive for
/// a generic `N`: as sequences of `N`.
mod closed_sums {
    use super::Closed;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, const N: usize>(
        sums: &[Closed; N],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        sums.as_slice().serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        deserializer: D,
    ) -> Result<[Closed; N], D::Error> {
        let sums = Vec::<Closed>::deserialize(deserializer)?;
        sums.try_into()
            .map_err(|sums: Vec<Closed>| serde::de::Error::invalid_length(sums.len(), &"N sums"))
    }
}

mod halves_sums {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, const N: usize>(
        sums: &[i64; N],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        sums.as_slice().serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        deserializer: D,
    ) -> Result<[i64; N], D::Error> {
        let sums = Vec::<i64>::deserialize(deserializer)?;
        sums.try_into()
            .map_err(|sums: Vec<i64>| serde::de::Error::invalid_length(sums.len(), &"N sums"))
    }
}

/// A mean over clustered observations with its cluster-robust standard
/// error; see [`ClusteredMoments`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClusteredStats {
    /// Observations.
    pub n: u64,
    /// Clusters (respondents) they came from.
    pub clusters: u64,
    /// Values that were not whole or half numbers; any makes `mean`, `se`
    /// and `ci` unavailable.
    pub off_grid: u64,
    /// The mean of all observations; `None` when there are none.
    pub mean: Option<f64>,
    /// The cluster-robust standard error; `None` with fewer than two
    /// clusters.
    pub se: Option<f64>,
    /// `mean ± t(1 - α/2, G - 1) · se`.
    pub ci: Option<Interval>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::stats::Moments;
    use proptest::prelude::*;

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
}
