//! Means over clustered observations (a respondent's several answers) with
//! their cluster-robust standard error.

use cx_model::RespondentOrder;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::stats::{Interval, t_quantile};
use crate::tally::Tally;

/// Whether a value takes no room (`()`, a count's unit), so that a field
/// of it is not written and an unweighted state keeps its form.
fn is_zero_sized<X>(_: &X) -> bool {
    std::mem::size_of::<X>() == 0
}

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
        self.0.begin(key, 1, (), RespondentOrder::Contiguous);
        self.0.add([0], halves(value).map(|half| [half]));
    }

    /// Adds what `other` has counted; a cluster open in both (the same
    /// respondent at the edge of each) becomes one.
    pub fn merge(&mut self, other: &ClusteredMoments) {
        self.0.merge(&other.0);
    }

    /// The mean, its cluster-robust standard error and a `confidence`
    /// interval with `G - 1` degrees of freedom.
    pub fn finish(&self, confidence: f64) -> ClusteredStats {
        let [empty] = Closed::<1, u64>::default().finish(0, confidence);
        self.0
            .finish(confidence)
            .first()
            .map_or(empty, |[stats]| *stats)
    }
}

/// Clustered sums of several sets of observations that share their
/// clusters (one respondent's observations in the whole journey and in
/// each stage), `V` values per observation (a gap, met and WOW), each
/// cluster counted once (`T = u64`) or with its respondent's weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub(crate) struct Clusters<const V: usize, T: Tally = u64> {
    /// The run that pushes continue.
    current: Option<Open<V, T>>,
    /// The other clusters that may continue in another state, each key
    /// once: the first run of this state and of every state merged in (a
    /// state before it may end with the same respondent). A handful: one or
    /// two per state merged in.
    kept: Vec<Open<V, T>>,
    /// Per set, the closed clusters' sums.
    closed: Vec<Closed<V, T>>,
    /// Per set, observations whose values are not whole or half numbers.
    off_grid: Vec<u64>,
    /// Whether clusters are kept by key to the end rather than closed when
    /// their run ends: respondents whose rows are scattered
    /// ([`RespondentOrder::Scattered`]), whose runs are not respondents.
    keyed: bool,
    /// Keyed, every cluster but the current run's, by key (its `key`
    /// moved out to be the map's): a respondent's rows in any order, and
    /// in any state merged in, join one cluster.
    #[serde(with = "held")]
    held: FxHashMap<String, Open<V, T>>,
}

impl<const V: usize, T: Tally> Default for Clusters<V, T> {
    fn default() -> Self {
        Clusters {
            current: None,
            kept: Vec::new(),
            closed: Vec::new(),
            off_grid: Vec::new(),
            keyed: false,
            held: FxHashMap::default(),
        }
    }
}

/// A cluster that may continue: its part of each set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
struct Open<const V: usize, T: Tally> {
    key: String,
    parts: Vec<Part<V>>,
    /// Whether it began its state: it then stays open to the end, for a
    /// state before this one to continue.
    starts: bool,
    /// The respondent's weight (nothing unweighted, and not written).
    #[serde(default, skip_serializing_if = "is_zero_sized")]
    weight: T::Unit,
}

/// One cluster's observations in one set: how many, and their values'
/// sums in half units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Part<const V: usize> {
    n: u64,
    #[serde(with = "arrays")]
    halves: [i64; V],
}

impl<const V: usize> Default for Part<V> {
    fn default() -> Self {
        Part {
            n: 0,
            halves: [0; V],
        }
    }
}

impl<const V: usize> Part<V> {
    /// Counts one observation with these values in half units. Wrapping
    /// only in principle: a value is at most 2⁴⁰ halves, so one respondent
    /// would need 2²³ observations of the largest to reach `i64`.
    #[inline(always)]
    fn push(&mut self, halves: [i64; V]) {
        self.n = self.n.wrapping_add(1);
        for (sum, half) in self.halves.iter_mut().zip(halves) {
            *sum = sum.wrapping_add(half);
        }
    }

    fn add(&mut self, other: &Part<V>) {
        self.n = self.n.saturating_add(other.n);
        for (sum, half) in self.halves.iter_mut().zip(other.halves) {
            *sum = sum.saturating_add(half);
        }
    }
}

/// The whole clusters of one set, in half units: exact integers. A part's
/// count and sums fit in 64 bits, so their products fit in an `i128` and
/// sums of them cannot reach its limit before 2⁴⁷ clusters of the largest
/// values; the adds wrap rather than check (a forged state gives wrong
/// figures, never a panic).
///
/// Weighted, each cluster's size and sums are its respondent's weight
/// `w_c` (in units of 2⁻³⁰) times its count and sums: `n_c` becomes
/// `w_c n_c` and `S_c` becomes `w_c S_c` in every sum below, which stays
/// exact while `Σ (w_c n_c)²` is below 2¹²⁷ (at weights up to 1,000 and 16
/// observations a respondent, 2³⁹ respondents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
struct Closed<const V: usize, T: Tally> {
    /// Clusters of positive weight.
    clusters: u64,
    n: u64,
    /// `Σ n_c²` (weighted: `Σ (w_c n_c)²`).
    size_squares: i128,
    #[serde(with = "arrays")]
    values: [ClosedValue; V],
    /// Weighted, `Σ w_c n_c` and the bits of every weight (nothing
    /// unweighted, and not written).
    #[serde(default, skip_serializing_if = "is_zero_sized")]
    sizes: T::ClusterSizes,
}

/// The sums of one value over whole clusters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct ClosedValue {
    sum: i128,
    /// `Σ S_c²`.
    sum_of_squares: i128,
    /// `Σ n_c · S_c`.
    sum_by_size: i128,
}

impl<const V: usize, T: Tally> Default for Closed<V, T> {
    fn default() -> Self {
        Closed {
            clusters: 0,
            n: 0,
            size_squares: 0,
            values: [ClosedValue::default(); V],
            sizes: T::ClusterSizes::default(),
        }
    }
}

impl<const V: usize, T: Tally> Closed<V, T> {
    /// Adds a cluster's part, of a respondent of weight `weight`; a part of
    /// no observations adds nothing, and is added without a branch on it
    /// (whether a respondent answered in a stage is as good as random to a
    /// branch predictor).
    #[inline(always)]
    fn close(&mut self, part: &Part<V>, weight: T::Unit) {
        // 1 unweighted, which the compiler folds away.
        let units = i128::from(T::units(weight));
        let size = i128::from(part.n) * units;
        self.clusters = self
            .clusters
            .wrapping_add(u64::from(part.n > 0) & u64::from(units > 0));
        self.n = self.n.wrapping_add(part.n);
        self.size_squares = self.size_squares.wrapping_add(size * size);
        T::close_size(&mut self.sizes, size, T::units(weight));
        for (value, halves) in self.values.iter_mut().zip(part.halves) {
            let sum = i128::from(halves) * units;
            value.sum = value.sum.wrapping_add(sum);
            value.sum_of_squares = value.sum_of_squares.wrapping_add(sum * sum);
            value.sum_by_size = value.sum_by_size.wrapping_add(size * sum);
        }
    }

    fn merge(&mut self, other: &Closed<V, T>) {
        T::merge_sizes(&mut self.sizes, &other.sizes);
        self.clusters = self.clusters.wrapping_add(other.clusters);
        self.n = self.n.wrapping_add(other.n);
        self.size_squares = self.size_squares.wrapping_add(other.size_squares);
        for (mine, theirs) in self.values.iter_mut().zip(&other.values) {
            mine.sum = mine.sum.wrapping_add(theirs.sum);
            mine.sum_of_squares = mine.sum_of_squares.wrapping_add(theirs.sum_of_squares);
            mine.sum_by_size = mine.sum_by_size.wrapping_add(theirs.sum_by_size);
        }
    }

    fn finish(&self, off_grid: u64, confidence: f64) -> [ClusteredStats; V] {
        // Every weight is a multiple of 2^shift units: each sum of degree
        // one in the weights divides by it exactly, each of degree two by
        // its square, and the formulas, homogeneous in the weights, give
        // the same figures from the smaller sums (unit weights give the
        // unweighted sums themselves, and so their bits).
        let shift = T::common_shift(&self.sizes);
        let total = T::total_size(self.n, &self.sizes) >> shift;
        let sizes = Sizes {
            clusters: self.clusters,
            n: self.n,
            total,
            size_squares: self.size_squares >> (2 * shift),
        };
        self.values.map(|value| {
            let reduced = ClosedValue {
                sum: value.sum >> shift,
                sum_of_squares: value.sum_of_squares >> (2 * shift),
                sum_by_size: value.sum_by_size >> (2 * shift),
            };
            reduced.finish(&sizes, off_grid, confidence)
        })
    }
}

/// A set's cluster sizes, as a value's figures need them: the clusters,
/// the observations, `N = Σ n_c` and `Σ n_c²` (weighted, `Σ w_c n_c` and
/// `Σ (w_c n_c)²`, reduced by the weights' common power of two).
struct Sizes {
    clusters: u64,
    n: u64,
    total: i128,
    size_squares: i128,
}

impl ClosedValue {
    fn finish(&self, sizes: &Sizes, off_grid: u64, confidence: f64) -> ClusteredStats {
        let (clusters, n, total, size_squares) =
            (sizes.clusters, sizes.n, sizes.total, sizes.size_squares);
        let mut stats = ClusteredStats {
            n,
            clusters,
            off_grid,
            mean: None,
            se: None,
            ci: None,
        };
        if total <= 0 || off_grid > 0 {
            return stats;
        }
        let count = total as f64;
        let mean = self.sum as f64 / 2.0 / count;
        let (sum, sum_of_squares, sum_by_size) = (self.sum, self.sum_of_squares, self.sum_by_size);
        stats.mean = Some(mean);
        if clusters < 2 {
            return stats;
        }
        // N² · Σ (S_c - n_c x̄)² = N² ΣS² - 2 N T Σ n S + T² Σ n², exactly in
        // integers (half units squared), so no digits cancel.
        let big_n = total;
        let scaled = big_n
            .checked_mul(big_n)
            .and_then(|nn| nn.checked_mul(sum_of_squares))
            .zip(
                big_n
                    .checked_mul(sum)
                    .and_then(|nt| nt.checked_mul(sum_by_size))
                    .and_then(|x| x.checked_mul(2)),
            )
            .zip(
                sum.checked_mul(sum)
                    .and_then(|tt| tt.checked_mul(size_squares)),
            )
            .and_then(|((a, b), c)| a.checked_sub(b)?.checked_add(c));
        let g = clusters as f64;
        let variance = match scaled {
            // Back from half units squared (/ 4) and from N² · Σ(...)² / N² / N².
            Some(scaled) => g / (g - 1.0) * (scaled.max(0) as f64 / 4.0) / count.powi(4),
            // Beyond i128 (weights that share no large power of two, over
            // many respondents): the same sum from the exact integer sums
            // in floating point, Σ S² - 2 x̄ Σ n S + x̄² Σ n² with x̄ in half
            // units, which no order of the data changes.
            None => {
                let centre = sum as f64 / count;
                let squares = sum_of_squares as f64 - 2.0 * centre * sum_by_size as f64
                    + centre * centre * size_squares as f64;
                g / (g - 1.0) * (squares.max(0.0) / 4.0) / (count * count)
            }
        };
        let se = variance.sqrt();
        stats.se = Some(se);
        stats.ci = t_quantile(confidence, g - 1.0).map(|t| Interval {
            lower: mean - t * se,
            upper: mean + t * se,
        });
        stats
    }
}

/// The largest magnitude of a value, in half units, kept exactly: squares
/// of sums stay far inside `i128`.
const EXACT_HALVES: f64 = (1u64 << 40) as f64;

/// `value` in half units, if it is a whole or half number within the exact
/// range.
#[inline]
pub(crate) fn halves(value: f64) -> Option<i64> {
    let doubled = 2.0 * value;
    // `as` saturates and maps NaN to 0: the round trip fails for anything
    // but a half number within range.
    let half = doubled as i64;
    (half as f64 == doubled && doubled.abs() <= EXACT_HALVES).then_some(half)
}

impl<const V: usize, T: Tally> Open<V, T> {
    /// Adds `other`'s parts (the same cluster, seen elsewhere; the same
    /// respondent, so the same weight).
    fn join(&mut self, other: &Open<V, T>) {
        if self.parts.len() < other.parts.len() {
            self.parts.resize(other.parts.len(), Part::default());
        }
        for (part, theirs) in self.parts.iter_mut().zip(&other.parts) {
            part.add(theirs);
        }
        self.starts |= other.starts;
    }
}

impl<const V: usize, T: Tally> Clusters<V, T> {
    /// Makes `key`'s cluster the one [`add`](Self::add) counts in: the
    /// current run if it is `key`'s, else a new run of a respondent of
    /// weight `weight`, which ends the current one. `sets` is how many sets
    /// the observations fall in. With respondents in `order`
    /// [`Scattered`](RespondentOrder::Scattered), a run's cluster is kept
    /// by key to the end, and a later run of the same key joins it.
    #[inline]
    pub(crate) fn begin(
        &mut self,
        key: &str,
        sets: usize,
        weight: T::Unit,
        order: RespondentOrder,
    ) {
        if self.current.as_ref().is_some_and(|open| open.key == key) {
            return;
        }
        match order {
            RespondentOrder::Scattered => self.resume(key, sets, weight),
            // Checked or not, a run is a respondent.
            RespondentOrder::Contiguous | RespondentOrder::ContiguousChecked => {
                self.start_run(key, sets, weight)
            }
        }
    }

    /// Counts one observation in each of `sets` of the cluster
    /// [`begin`](Self::begin) named: its values in half units, or `None`
    /// when one is off the half grid.
    #[inline]
    pub(crate) fn add<const S: usize>(&mut self, sets: [usize; S], halves: Option<[i64; V]>) {
        match (halves, &mut self.current) {
            (Some(halves), Some(open)) => {
                for set in sets {
                    if let Some(part) = open.parts.get_mut(set) {
                        part.push(halves);
                    }
                }
            }
            (Some(_), None) => {}
            (None, _) => {
                for set in sets {
                    if let Some(off_grid) = self.off_grid.get_mut(set) {
                        *off_grid = off_grid.saturating_add(1);
                    }
                }
            }
        }
    }

    /// Gives every set its closed sums.
    fn cover(&mut self, sets: usize) {
        if self.closed.len() < sets {
            self.closed.resize(sets, Closed::default());
            self.off_grid.resize(sets, 0);
        }
    }

    /// Keyed: holds the current run's cluster and continues `key`'s, or
    /// starts it.
    fn resume(&mut self, key: &str, sets: usize, weight: T::Unit) {
        self.keyed = true;
        self.cover(sets);
        if let Some(ended) = self.current.take() {
            self.hold(ended);
        }
        let mut open = match self.held.remove_entry(key) {
            Some((key, mut open)) => {
                open.key = key;
                open
            }
            None => Open {
                key: key.to_owned(),
                parts: Vec::new(),
                starts: false,
                weight,
            },
        };
        if open.parts.len() < sets {
            open.parts.resize(sets, Part::default());
        }
        self.current = Some(open);
    }

    /// Keyed: keeps `open` by its key, joining the cluster held for it.
    fn hold(&mut self, mut open: Open<V, T>) {
        let key = std::mem::take(&mut open.key);
        match self.held.entry(key) {
            std::collections::hash_map::Entry::Occupied(held) => held.into_mut().join(&open),
            std::collections::hash_map::Entry::Vacant(place) => {
                place.insert(open);
            }
        }
    }

    /// Ends the current run and starts one of `key`, joining its open
    /// cluster if it has one.
    fn start_run(&mut self, key: &str, sets: usize, weight: T::Unit) {
        self.cover(sets);
        // The usual case, in place: the current run ends and is closed, and
        // the next respondent has no cluster kept open.
        if !self.kept.iter().any(|open| open.key == key)
            && let Some(open) = self.current.as_mut()
            && !open.starts
            && open.parts.len() >= sets
        {
            for (closed, part) in self.closed.iter_mut().zip(open.parts.iter_mut()) {
                closed.close(part, open.weight);
                *part = Part::default();
            }
            open.key.clear();
            open.key.push_str(key);
            open.weight = weight;
            return;
        }
        // The current run ends inside this state: closed, unless it began
        // the state, which keeps it open. Its key's text and parts are used
        // again.
        let mut reused = None;
        let first = self.current.is_none();
        if let Some(ended) = self.current.take() {
            if ended.starts {
                self.kept.push(ended);
            } else {
                self.close(&ended);
                reused = Some(ended);
            }
        }
        let mut open = match self.kept.iter().position(|open| open.key == key) {
            Some(at) => self.kept.swap_remove(at),
            None => {
                // The first run of a state begins it.
                let starts = first && self.is_empty();
                let mut open = reused.unwrap_or_default();
                open.key.clear();
                open.key.push_str(key);
                open.parts
                    .iter_mut()
                    .for_each(|part| *part = Part::default());
                open.starts = starts;
                open.weight = weight;
                open
            }
        };
        if open.parts.len() < sets {
            open.parts.resize(sets, Part::default());
        }
        self.current = Some(open);
    }

    fn close(&mut self, open: &Open<V, T>) {
        for (closed, part) in self.closed.iter_mut().zip(&open.parts) {
            closed.close(part, open.weight);
        }
    }

    /// Adds what `other` has counted: its open clusters join this one's of
    /// the same key, and pushes continue its current run.
    pub(crate) fn merge(&mut self, other: &Clusters<V, T>) {
        if self.closed.len() < other.closed.len() {
            self.closed.resize(other.closed.len(), Closed::default());
            self.off_grid.resize(other.closed.len(), 0);
        }
        for (mine, theirs) in self.closed.iter_mut().zip(&other.closed) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.off_grid.iter_mut().zip(&other.off_grid) {
            *mine = mine.saturating_add(*theirs);
        }
        // Keyed, every cluster of either is held by key: one respondent's
        // parts join whatever the order of the states.
        if self.keyed || other.keyed {
            self.keyed = true;
            if let Some(mine) = self.current.take() {
                self.hold(mine);
            }
            for theirs in other.current.iter().chain(&other.kept) {
                self.hold(theirs.clone());
            }
            for (key, theirs) in &other.held {
                let mut theirs = theirs.clone();
                theirs.key.clone_from(key);
                self.hold(theirs);
            }
            return;
        }
        // This state's current run is followed by `other`: kept open, as
        // `other` may begin with the same respondent.
        if other.current.is_some()
            && let Some(mine) = self.current.take()
        {
            self.kept.push(mine);
        }
        for theirs in &other.kept {
            match self
                .current
                .iter_mut()
                .chain(self.kept.iter_mut())
                .find(|open| open.key == theirs.key)
            {
                Some(mine) => mine.join(theirs),
                None => self.kept.push(theirs.clone()),
            }
        }
        if let Some(theirs) = &other.current {
            let mut continued = theirs.clone();
            if let Some(at) = self.kept.iter().position(|open| open.key == theirs.key) {
                continued.join(&self.kept.swap_remove(at));
            }
            self.current = Some(continued);
        }
    }

    /// The open clusters: the current run, the kept ones, and the held ones
    /// (whose `key` is the map's).
    fn open(&self) -> impl Iterator<Item = &Open<V, T>> {
        self.current
            .iter()
            .chain(&self.kept)
            .chain(self.held.values())
    }

    /// Observations counted in set `set`, those off the grid included.
    pub(crate) fn values(&self, set: usize) -> u64 {
        let open = self
            .open()
            .filter_map(|open| open.parts.get(set))
            .fold(0u64, |n, part| n.saturating_add(part.n));
        let closed = self.closed.get(set).map_or(0, |closed| closed.n);
        let off_grid = self.off_grid.get(set).copied().unwrap_or(0);
        closed.saturating_add(open).saturating_add(off_grid)
    }

    /// Whether nothing has been counted.
    pub(crate) fn is_empty(&self) -> bool {
        self.open()
            .all(|open| open.parts.iter().all(|part| part.n == 0))
            && self.off_grid.iter().all(|&n| n == 0)
            && self.closed.iter().all(|closed| closed.n == 0)
    }

    /// Per set, each value's mean, cluster-robust standard error and
    /// `confidence` interval.
    pub(crate) fn finish(&self, confidence: f64) -> Vec<[ClusteredStats; V]> {
        let mut closed = self.closed.clone();
        for open in self.open() {
            for (closed, part) in closed.iter_mut().zip(&open.parts) {
                closed.close(part, open.weight);
            }
        }
        closed
            .iter()
            .zip(&self.off_grid)
            .map(|(closed, &off_grid)| closed.finish(off_grid, confidence))
            .collect()
    }
}

/// Serde for `[T; V]`, which serde does not derive for a generic `V`: as a
/// sequence of `V`.
mod arrays {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize, const V: usize>(
        values: &[T; V],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        values.as_slice().serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>, const V: usize>(
        deserializer: D,
    ) -> Result<[T; V], D::Error> {
        let values = Vec::<T>::deserialize(deserializer)?;
        values.try_into().map_err(|values: Vec<T>| {
            serde::de::Error::invalid_length(values.len(), &"as many values as the state has")
        })
    }
}

/// Serde for the held clusters: as a sequence of them, keys in place and in
/// order, so that a state's bytes do not depend on a hash map's order.
mod held {
    use rustc_hash::FxHashMap;
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Open;
    use crate::tally::Tally;

    pub fn serialize<S: Serializer, const V: usize, T: Tally>(
        held: &FxHashMap<String, Open<V, T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut keys: Vec<&String> = held.keys().collect();
        keys.sort_unstable();
        // Collected first: postcard needs a sequence's length before it.
        let opens: Vec<Open<V, T>> = keys
            .into_iter()
            .filter_map(|key| {
                let open = held.get(key)?;
                Some(Open {
                    key: key.clone(),
                    ..open.clone()
                })
            })
            .collect();
        serializer.collect_seq(opens)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, const V: usize, T: Tally>(
        deserializer: D,
    ) -> Result<FxHashMap<String, Open<V, T>>, D::Error> {
        let opens = Vec::<Open<V, T>>::deserialize(deserializer)?;
        let mut held = FxHashMap::default();
        for mut open in opens {
            let key = std::mem::take(&mut open.key);
            if held.insert(key, open).is_some() {
                return Err(serde::de::Error::custom("a held cluster's key comes twice"));
            }
        }
        Ok(held)
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
mod tests;
