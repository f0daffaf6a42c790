//! Means over clustered observations (a respondent's several answers) with
//! their cluster-robust standard error.

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
/// **Clusters are runs.** A cluster is a run of pushes with the same key;
/// the same key again after another is a new cluster. Readers hand a
/// respondent's rows on together (a file whose respondents are scattered
/// must be read with the reader's scattered order, which gathers them), and
/// [`merge`](Self::merge) joins the last cluster of one state with the first
/// of the next when their keys are equal, so a respondent cut between two
/// batches, blocks or partitions is still one cluster, provided states are
/// merged in the order their data came.
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
pub struct ClusteredMoments {
    /// The first cluster, open: a state before this one may end with it.
    first: Option<Open>,
    /// The clusters after the first and before the last, whole.
    inner: Closed,
    /// The last cluster when there is more than one, open: pushes and a
    /// later state may continue it.
    last: Option<Open>,
    /// Values that are not whole or half numbers.
    off_grid: u64,
}

/// A cluster that may continue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Open {
    key: String,
    n: u64,
    /// The sum of its values in half units.
    halves: i64,
}

/// Whole clusters' sums, in half units: exact integers.
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
    fn close(&mut self, cluster: &Open) {
        let (n, sum) = (i128::from(cluster.n), i128::from(cluster.halves));
        self.clusters += 1;
        self.n += cluster.n;
        // Saturating: the counts and sums of any real survey are far below
        // the limits; at them the spread is refused in `finish`, not wrapped.
        self.sum = self.sum.saturating_add(sum);
        self.sum_of_squares = self.sum_of_squares.saturating_add(sum.saturating_mul(sum));
        self.sum_by_size = self.sum_by_size.saturating_add(n.saturating_mul(sum));
        self.size_squares = self.size_squares.saturating_add(n.saturating_mul(n));
    }

    fn merge(&mut self, other: &Closed) {
        self.clusters += other.clusters;
        self.n += other.n;
        self.sum = self.sum.saturating_add(other.sum);
        self.sum_of_squares = self.sum_of_squares.saturating_add(other.sum_of_squares);
        self.sum_by_size = self.sum_by_size.saturating_add(other.sum_by_size);
        self.size_squares = self.size_squares.saturating_add(other.size_squares);
    }
}

/// The largest magnitude of a value, in half units, kept exactly.
const EXACT_HALVES: f64 = (1u64 << 31) as f64;

impl ClusteredMoments {
    /// Counts `value` in the cluster `key`: the current one if `key` is
    /// its key, else a new one.
    pub fn push(&mut self, key: &str, value: f64) {
        let halves = 2.0 * value;
        if !(halves.fract() == 0.0 && halves.abs() <= EXACT_HALVES) {
            self.off_grid += 1;
            return;
        }
        let halves = halves as i64;
        let current = self.last.as_mut().or(self.first.as_mut());
        match current {
            Some(open) if open.key == key => {
                open.n += 1;
                open.halves += halves;
            }
            _ => {
                let started = Open {
                    key: key.to_owned(),
                    n: 1,
                    halves,
                };
                if self.first.is_none() {
                    self.first = Some(started);
                } else if let Some(previous) = self.last.replace(started) {
                    self.inner.close(&previous);
                }
            }
        }
    }

    /// Adds what `later` has counted, as if its values had been pushed
    /// after these: its first cluster continues this state's last one when
    /// their keys are equal.
    pub fn merge(&mut self, later: &ClusteredMoments) {
        self.off_grid += later.off_grid;
        let Some(seam) = &later.first else {
            return;
        };
        if self.first.is_none() {
            let off_grid = self.off_grid;
            *self = later.clone();
            self.off_grid = off_grid;
            return;
        }
        let current = self.last.as_mut().or(self.first.as_mut());
        match current {
            Some(open) if open.key == seam.key => {
                open.n += seam.n;
                open.halves += seam.halves;
            }
            _ => {
                if let Some(previous) = self.last.replace(seam.clone()) {
                    self.inner.close(&previous);
                }
            }
        }
        if let Some(later_last) = &later.last {
            // What this state ends with is now followed by whole clusters.
            if let Some(previous) = self.last.replace(later_last.clone()) {
                self.inner.close(&previous);
            }
            self.inner.merge(&later.inner);
        }
    }

    /// The mean, its cluster-robust standard error and a `confidence`
    /// interval with `G - 1` degrees of freedom.
    pub fn finish(&self, confidence: f64) -> ClusteredStats {
        let mut all = self.inner;
        for open in [&self.first, &self.last].into_iter().flatten() {
            all.close(open);
        }
        let mut stats = ClusteredStats {
            n: all.n,
            clusters: all.clusters,
            off_grid: self.off_grid,
            mean: None,
            se: None,
            ci: None,
        };
        if all.n == 0 || self.off_grid > 0 {
            return stats;
        }
        let n = all.n as f64;
        let mean = all.sum as f64 / 2.0 / n;
        stats.mean = Some(mean);
        if all.clusters < 2 {
            return stats;
        }
        // N² · Σ (S_c - n_c x̄)² = N² ΣS² - 2 N T Σ n S + T² Σ n², exactly in
        // integers (half units squared), so no digits cancel.
        let big_n = i128::from(all.n);
        let scaled = big_n
            .checked_mul(big_n)
            .and_then(|nn| nn.checked_mul(all.sum_of_squares))
            .zip(
                big_n
                    .checked_mul(all.sum)
                    .and_then(|nt| nt.checked_mul(all.sum_by_size))
                    .and_then(|x| x.checked_mul(2)),
            )
            .zip(
                all.sum
                    .checked_mul(all.sum)
                    .and_then(|tt| tt.checked_mul(all.size_squares)),
            )
            .and_then(|((a, b), c)| a.checked_sub(b)?.checked_add(c));
        let Some(scaled) = scaled else {
            return stats;
        };
        let g = all.clusters as f64;
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

    #[test]
    fn a_key_seen_again_later_is_a_new_cluster() {
        let mut moments = ClusteredMoments::default();
        for key in ["a", "b", "a"] {
            moments.push(key, 1.0);
        }
        assert_eq!(moments.finish(0.95).clusters, 3);
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

    proptest! {
        /// Cut anywhere, even inside a cluster, and merged in order: the
        /// same state, so the same bits, as one pass.
        #[test]
        fn merging_in_order_is_one_pass(
            values in prop::collection::vec((0u8..5, -8i8..=8), 0..60),
            cuts in prop::collection::vec(0usize..60, 0..4),
        ) {
            let rows: Vec<(String, f64)> = values
                .iter()
                .map(|&(key, halves)| (key.to_string(), f64::from(halves) / 2.0))
                .collect();
            let mut whole = ClusteredMoments::default();
            for (key, value) in &rows {
                whole.push(key, *value);
            }
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(rows.len())).collect();
            cuts.sort_unstable();
            let mut merged = ClusteredMoments::default();
            let mut from = 0;
            for to in cuts.into_iter().chain([rows.len()]) {
                let mut part = ClusteredMoments::default();
                for (key, value) in &rows[from..to] {
                    part.push(key, *value);
                }
                merged.merge(&part);
                from = to;
            }
            prop_assert_eq!(merged.finish(0.95), whole.finish(0.95));
        }

        /// The interval holds the mean.
        #[test]
        fn the_interval_holds_the_mean(
            values in prop::collection::vec((0u8..6, -8i8..=8), 2..80),
        ) {
            let mut moments = ClusteredMoments::default();
            for (key, halves) in values {
                moments.push(&key.to_string(), f64::from(halves) / 2.0);
            }
            let stats = moments.finish(0.95);
            if let (Some(mean), Some(ci)) = (stats.mean, stats.ci) {
                prop_assert!(ci.contains(mean));
            }
        }
    }
}
