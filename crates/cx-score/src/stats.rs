//! Means and shares with their uncertainty, as mergeable accumulators.

use cx_model::Weight;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use crate::tally::{Tally, WeightSum, Weighted};

/// A closed interval `lower..=upper`, such as a confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The lower end.
    pub lower: f64,
    /// The upper end.
    pub upper: f64,
}

impl Interval {
    /// Whether `value` lies inside the interval, ends included.
    pub fn contains(&self, value: f64) -> bool {
        value >= self.lower && value <= self.upper
    }

    /// The interval scaled by `factor` (which must be positive).
    pub(crate) fn scaled(self, factor: f64) -> Interval {
        Interval {
            lower: self.lower * factor,
            upper: self.upper * factor,
        }
    }
}

/// The two-sided standard-normal quantile for a confidence level, e.g.
/// 1.959964 for 0.95; `None` unless `0 < confidence < 1`.
pub fn z_quantile(confidence: f64) -> Option<f64> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    let normal = Normal::standard();
    Some(normal.inverse_cdf(0.5 + confidence / 2.0))
}

/// The two-sided p-value of a standard-normal statistic `z`:
/// `P(|Z| >= |z|) = erfc(|z| / √2)`.
///
/// Computed from the complementary error function, not as `2 · (1 - Φ(|z|))`,
/// whose subtraction loses every digit once `Φ(|z|)` rounds to 1 (from
/// |z| ≈ 8.3 on): `two_sided_p(10.0)` is about 1.5e-23, not 0. It is 0 only
/// where the true value is below the smallest `f64` (|z| above about 38)
/// or `z` is infinite; `NaN` stays `NaN`.
///
/// ```
/// use cx_score::two_sided_p;
///
/// assert!((two_sided_p(1.959963984540054) - 0.05).abs() < 1e-15);
/// assert_eq!(two_sided_p(0.0), 1.0);
/// assert!(two_sided_p(10.0) > 0.0);
/// ```
pub fn two_sided_p(z: f64) -> f64 {
    libm::erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// The two-sided Student's t quantile for a confidence level and degrees of
/// freedom, e.g. 2.776445 for 0.95 and 4 degrees of freedom.
///
/// From [`T_EXPANSION_FROM`] degrees of freedom on, the quantile comes from
/// the Cornish-Fisher expansion around the normal quantile (Abramowitz and
/// Stegun 26.7.5, to the fourth order), whose error there is below 1e-12;
/// below it, from the exact inverse of statrs. The exact inverse becomes
/// very slow as the degrees of freedom grow (minutes at a few million), and
/// a mean over millions of observations must not hang a report.
pub fn t_quantile(confidence: f64, degrees_of_freedom: f64) -> Option<f64> {
    if !(confidence > 0.0 && confidence < 1.0) || degrees_of_freedom.is_nan() {
        return None;
    }
    if degrees_of_freedom >= T_EXPANSION_FROM {
        let z = z_quantile(confidence)?;
        return Some(t_from_normal(z, degrees_of_freedom));
    }
    let t = StudentsT::new(0.0, 1.0, degrees_of_freedom).ok()?;
    Some(t.inverse_cdf(0.5 + confidence / 2.0))
}

/// Degrees of freedom from which [`t_quantile`] uses the Cornish-Fisher
/// expansion.
pub const T_EXPANSION_FROM: f64 = 1000.0;

/// The t quantile from the normal quantile `z` (Cornish-Fisher, four terms).
fn t_from_normal(z: f64, degrees_of_freedom: f64) -> f64 {
    let v = degrees_of_freedom;
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v)
}

/// Running count, mean and spread of a stream of values, mergeable, each
/// value counted once (`Moments`, that is `Moments<u64>`) or with its
/// respondent's weight (`Moments<WeightSum>`, see [`Tally`]).
///
/// Values that are whole or half numbers (every survey rating, and the gaps
/// between them) are kept exactly: as integer sums of the values and of their
/// squares, in half units, times the weights' integer units. Pushing one
/// takes a few integer operations and no division, and merging is exact, so
/// the mean and the spread of such values are bit-for-bit the same in any
/// merge order and at any thread count. Other values go to a (weighted)
/// Welford accumulator, merged with Chan et al.'s pairwise formula;
/// [`finish`](Self::finish) combines the two parts the same way. Every
/// formula is written once over the weights' sums: a count is a weight of 1
/// per value, and a value of weight 1 gives the unweighted result to the
/// bit.
///
/// ```
/// use cx_score::Moments;
///
/// let mut left = Moments::default();
/// let mut right = Moments::default();
/// for x in [1.0, 2.0] { left.push(x); }
/// for x in [3.0, 4.0, 5.0] { right.push(x); }
/// left.merge(&right);
/// let stats = left.finish(0.95);
/// assert_eq!(stats.mean, Some(3.0));
/// assert_eq!(stats.sd, Some(2.5f64.sqrt()));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Moments<T: Tally = u64> {
    /// Whole and half values, exactly.
    halves: HalfSums<T>,
    /// Every other finite value.
    other: Welford<T>,
}

/// The largest magnitude, in half units, kept exactly: squares then fit in
/// 62 bits and their sum over any `u64` count in a `u128`.
const EXACT_HALVES: u64 = 1 << 31;

/// [`EXACT_HALVES`] for weighted values: a square (at most 2^24) times a
/// weight (at most 2^50 units) leaves room for 2^54 of them in a `u128`.
const EXACT_WEIGHTED_HALVES: u64 = 1 << 12;

/// The largest magnitude in half units that a `Moments<T>` keeps exactly.
const fn exact_halves<T: Tally>() -> u64 {
    if T::WEIGHTED {
        EXACT_WEIGHTED_HALVES
    } else {
        EXACT_HALVES
    }
}

/// Exact sums of values in half units (`2 × value`), each times its
/// weight in the tally's integer units (1 for a count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
struct HalfSums<T: Tally> {
    n: T,
    sum: i128,
    sum_of_squares: u128,
}

impl<T: Tally> HalfSums<T> {
    /// `(weights, weighted sum, weighted sum of squared deviations)` in
    /// value units.
    fn summary(&self) -> (T, f64, f64) {
        let n = self.n;
        let weight = n.sum_units();
        if weight == 0 {
            return (n, 0.0, 0.0);
        }
        let sum = self.sum as f64 / 2.0 / T::SCALE;
        // W·Σwx² − (Σwx)² is exact in integers unless the sums are absurd.
        let exact = weight
            .checked_mul(self.sum_of_squares)
            .zip(self.sum.unsigned_abs().checked_pow(2))
            .map(|(n_squares, square_of_sum)| n_squares.saturating_sub(square_of_sum) as f64);
        let scaled_m2 = exact.unwrap_or_else(|| {
            let weight = weight as f64;
            (weight * self.sum_of_squares as f64 - (self.sum as f64).powi(2)).max(0.0)
        });
        // Dividing by the scale, a power of two, is exact.
        (n, sum, scaled_m2 / (4.0 * weight as f64) / T::SCALE)
    }
}

/// Welford's running sum and sum of squared deviations, each value with
/// its weight (West 1979).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
struct Welford<T: Tally> {
    n: T,
    sum: f64,
    m2: f64,
}

impl<T: Tally> Welford<T> {
    fn push(&mut self, value: f64, unit: T::Unit) {
        // 1.0 for a count, so each product below is the unweighted term.
        let weight = T::units(unit) as f64 / T::SCALE;
        let before = mean_or_zero(&self.n, self.sum);
        self.n.add(unit);
        self.sum += weight * value;
        self.m2 += weight * (value - before) * (value - mean_or_zero(&self.n, self.sum));
    }
}

fn mean_or_zero<T: Tally>(n: &T, sum: f64) -> f64 {
    if n.sum_units() == 0 {
        0.0
    } else {
        sum / n.sum()
    }
}

/// Chan et al.'s pairwise combination of two `(weights, sum, m2)`
/// summaries (with weights, as Chan, Golub and LeVeque give it).
fn combine<T: Tally>(left: (T, f64, f64), right: (T, f64, f64)) -> (T, f64, f64) {
    let ((n_left, sum_left, m2_left), (n_right, sum_right, m2_right)) = (left, right);
    let mut n = n_left;
    n.merge(&n_right);
    if n_right.sum_units() == 0 {
        return (n, sum_left, m2_left);
    }
    if n_left.sum_units() == 0 {
        return (n, sum_right, m2_right);
    }
    let (l, r) = (n_left.sum(), n_right.sum());
    let delta = sum_right / r - sum_left / l;
    (
        n,
        sum_left + sum_right,
        m2_left + m2_right + delta * delta * l * r / (l + r),
    )
}

impl Moments {
    /// Adds one finite value.
    #[inline]
    pub fn push(&mut self, value: f64) {
        self.push_many(value, 1);
    }

    /// Adds `value` `count` times, as `count` calls of [`push`](Self::push) would.
    #[inline]
    pub fn push_many(&mut self, value: f64, count: u64) {
        self.add_many(value, (), count);
    }
}

impl Moments<WeightSum> {
    /// Adds one finite value of weight `weight`.
    ///
    /// ```
    /// use cx_model::Weight;
    /// use cx_score::{Moments, WeightSum};
    ///
    /// // 1 with weight 3 and 5 with weight 1: mean (3 + 5) / 4 = 2.
    /// let mut moments = Moments::<WeightSum>::default();
    /// moments.push_weighted(1.0, Weight::new(3.0)?);
    /// moments.push_weighted(5.0, Weight::ONE);
    /// let stats = moments.finish(0.95);
    /// assert_eq!(stats.mean, Some(2.0));
    /// assert_eq!(stats.n, 2);
    /// // n_eff = 4² / (9 + 1) = 1.6.
    /// assert_eq!(stats.weighted.map(|w| w.effective_n), Some(1.6));
    /// # Ok::<(), cx_model::Error>(())
    /// ```
    pub fn push_weighted(&mut self, value: f64, weight: Weight) {
        self.add_many(value, weight, 1);
    }
}

impl<T: Tally> Moments<T> {
    /// Adds `value` `count` times, each with `unit` (its weight, or
    /// nothing for a count).
    #[inline]
    pub(crate) fn add_many(&mut self, value: f64, unit: T::Unit, count: u64) {
        let halves = value * 2.0;
        // `as` saturates and maps NaN to zero; the round trip rejects both.
        let units = halves as i64;
        if units as f64 == halves && units.unsigned_abs() <= exact_halves::<T>() {
            let weight = T::units(unit);
            self.halves.n.merge(&T::many(unit, count));
            self.halves.sum += i128::from(units) * (i128::from(weight) * i128::from(count));
            self.halves.sum_of_squares +=
                u128::from(units.unsigned_abs().pow(2)) * (u128::from(weight) * u128::from(count));
        } else {
            for _ in 0..count {
                self.other.push(value, unit);
            }
        }
    }

    /// Adds `value` once for each record of `tally`, with their weights,
    /// as adding each would: exactly for whole and half values within the
    /// exact range (a grid's points, unless a weighted scale reaches past
    /// ±2048), otherwise as one Welford part of no spread.
    #[inline]
    pub(crate) fn add_tally(&mut self, value: f64, tally: &T) {
        let halves = value * 2.0;
        let units = halves as i64;
        if units as f64 == halves && units.unsigned_abs() <= exact_halves::<T>() {
            let weight = tally.sum_units();
            self.halves.n.merge(tally);
            self.halves.sum += i128::from(units) * weight as i128;
            self.halves.sum_of_squares += u128::from(units.unsigned_abs().pow(2)) * weight;
        } else {
            let other = &self.other;
            let (n, sum, m2) = combine(
                (other.n, other.sum, other.m2),
                (*tally, value * tally.sum(), 0.0),
            );
            self.other = Welford { n, sum, m2 };
        }
    }

    /// The records pushed, with their weights.
    pub(crate) fn tally(&self) -> T {
        let mut tally = self.halves.n;
        tally.merge(&self.other.n);
        tally
    }

    /// Adds everything `other` has seen.
    pub fn merge(&mut self, other: &Moments<T>) {
        self.halves.n.merge(&other.halves.n);
        self.halves.sum += other.halves.sum;
        self.halves.sum_of_squares += other.halves.sum_of_squares;
        let (n, sum, m2) = combine(
            (self.other.n, self.other.sum, self.other.m2),
            (other.other.n, other.other.sum, other.other.m2),
        );
        self.other = Welford { n, sum, m2 };
    }

    /// `(weights, sum, sum of squared deviations)` of everything pushed.
    fn summary(&self) -> (T, f64, f64) {
        let other = &self.other;
        combine(self.halves.summary(), (other.n, other.sum, other.m2))
    }

    /// How many values were pushed, if the parts agree as they do for
    /// every value pushed: the counts add up without overflow, and the
    /// exact sums are within what that many values (of those weights)
    /// can reach. A state from elsewhere might not, and merging it could
    /// then overflow.
    pub(crate) fn checked_count(&self) -> Option<u64> {
        let halves = &self.halves;
        let n = halves.n.sum_units();
        let limit = u128::from(exact_halves::<T>());
        let sum_fits = halves.sum.unsigned_abs() <= n.checked_mul(limit)?;
        let squares_fit = halves.sum_of_squares <= n.checked_mul(limit * limit)?;
        let possible = halves.n.is_possible() && self.other.n.is_possible();
        (sum_fits && squares_fit && possible).then_some(())?;
        halves.n.checked_merge(&self.other.n)?;
        halves.n.count().checked_add(self.other.n.count())
    }

    /// How many values were pushed.
    pub fn count(&self) -> u64 {
        self.halves.n.count() + self.other.n.count()
    }

    /// The (weighted) mean, or `None` before any value of positive weight.
    pub fn mean(&self) -> Option<f64> {
        let (n, sum, _) = self.summary();
        (n.sum_units() > 0).then(|| sum / n.sum())
    }

    /// Summarizes, with a `confidence` interval for the mean.
    pub fn finish(&self, confidence: f64) -> MeanStats {
        let (tally, sum, m2) = self.summary();
        let weight = tally.sum();
        let mean = (tally.sum_units() > 0).then(|| sum / weight);
        // V₁ − V₂/V₁: the reliability-weights divisor, n − 1 for a count.
        let divisor = weight - tally.sum_of_squares() / weight;
        let (sd, se, ci) = match mean {
            Some(mean) if divisor > 0.0 => {
                let n = tally.effective_n();
                // m2 can round a hair below zero when all values are equal.
                let sd = (m2.max(0.0) / divisor).sqrt();
                let se = sd / n.sqrt();
                let ci = t_quantile(confidence, n - 1.0).map(|t| Interval {
                    lower: mean - t * se,
                    upper: mean + t * se,
                });
                (Some(sd), Some(se), ci)
            }
            _ => (None, None, None),
        };
        MeanStats {
            n: tally.count(),
            mean,
            sd,
            se,
            ci,
            weighted: tally.weighted(),
        }
    }
}

/// A mean with its spread and uncertainty.
///
/// `sd` is the sample standard deviation (divisor `n - 1`), `se = sd / √n`,
/// and `ci` is the t-based interval `mean ± t(1 - α/2, n - 1) · se`, which is
/// honest for small samples and approaches the normal interval as `n` grows.
/// All three need at least two values.
///
/// Weighted (see [`Tally`]), with `V₁ = Σw`, `V₂ = Σw²` and Kish's
/// `n_eff = V₁² / V₂`: `mean = Σwx / V₁`; `sd² = Σw(x - mean)² / (V₁ -
/// V₂/V₁)`, the reliability-weights variance (numpy's `cov` with
/// `aweights`); `se = sd / √n_eff`; `ci = mean ± t(1 - α/2, n_eff - 1) ·
/// se`. They need `n_eff > 1`. With every weight 1 these are the
/// unweighted formulas, to the bit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MeanStats {
    /// How many values.
    pub n: u64,
    /// The arithmetic mean; `None` when `n = 0`.
    pub mean: Option<f64>,
    /// Sample standard deviation; `None` when `n < 2`.
    pub sd: Option<f64>,
    /// Standard error of the mean; `None` when `n < 2`.
    pub se: Option<f64>,
    /// Confidence interval of the mean; `None` when `n < 2`.
    pub ci: Option<Interval>,
    /// The weights' sum and effective sample size, when weighted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighted: Option<Weighted>,
}

impl MeanStats {
    /// The sample size that uncertainty goes by: `n`, or Kish's effective
    /// sample size when weighted.
    pub fn sample_size(&self) -> f64 {
        self.weighted
            .map_or(self.n as f64, |weighted| weighted.effective_n)
    }

    /// The same statistics with every value multiplied by `factor > 0`.
    pub(crate) fn scaled(self, factor: f64) -> MeanStats {
        MeanStats {
            n: self.n,
            mean: self.mean.map(|mean| mean * factor),
            sd: self.sd.map(|sd| sd * factor),
            se: self.se.map(|se| se * factor),
            ci: self.ci.map(|ci| ci.scaled(factor)),
            weighted: self.weighted,
        }
    }
}

/// A share `count / n` with its Wilson score interval.
///
/// The Wilson interval (Wilson 1927) for `p = count / n` and normal quantile
/// `z` is
///
/// ```text
/// centre    = (p + z²/2n) / (1 + z²/n)
/// halfwidth = z / (1 + z²/n) · √(p(1 - p)/n + z²/4n²)
/// ```
///
/// Unlike the Wald interval it stays inside 0..=1 and is sensible for shares
/// near 0 or 1 and for small `n`.
///
/// Weighted ([`ShareStats::of`] over [`WeightSum`]s), `p = Σw(counted) /
/// Σw(all)` and Kish's `n_eff = (Σw)² / Σw²` takes the place of `n` in the
/// interval; `count` and `n` stay the records counted, and
/// [`weighted`](Self::weighted) holds `Σw` and `n_eff`.
///
/// ```
/// use cx_score::ShareStats;
///
/// let share = ShareStats::new(56_428, 129_880, 0.95);
/// let ci = share.ci.unwrap();
/// assert!((share.share.unwrap() - 0.434463).abs() < 1e-6);
/// assert!((ci.lower - 0.431769).abs() < 1e-6 && (ci.upper - 0.437160).abs() < 1e-6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShareStats {
    /// How many counted.
    pub count: u64,
    /// Out of how many.
    pub n: u64,
    /// `count / n`; `None` when `n = 0`.
    pub share: Option<f64>,
    /// Wilson score interval; `None` when `n = 0`.
    pub ci: Option<Interval>,
    /// The weights' sum and effective sample size of the `n` records, when
    /// weighted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighted: Option<Weighted>,
}

impl ShareStats {
    /// The share `count / n` (with `count <= n`) and its Wilson interval at `confidence`.
    pub fn new(count: u64, n: u64, confidence: f64) -> ShareStats {
        ShareStats::of(&count, &n, confidence)
    }

    /// The sample size that uncertainty and the minimum sample go by:
    /// `n`, or Kish's effective sample size when weighted.
    pub fn sample_size(&self) -> f64 {
        self.weighted
            .map_or(self.n as f64, |weighted| weighted.effective_n)
    }

    /// The share of `counted` among `all` (its part), by weight when they
    /// are [`WeightSum`]s, with its Wilson interval at `confidence` on the
    /// effective sample size of `all`. No share when the weights of `all`
    /// sum to 0.
    ///
    /// ```
    /// use cx_model::Weight;
    /// use cx_score::{ShareStats, Tally, WeightSum};
    ///
    /// // Yes with weights 3 and 1, no with weight 4: p = 4 / 8 = 0.5,
    /// // n_eff = 64 / (9 + 1 + 16) = 2.46.
    /// let (mut yes, mut all) = (WeightSum::default(), WeightSum::default());
    /// for (weight, said_yes) in [(3.0, true), (1.0, true), (4.0, false)] {
    ///     let weight = Weight::new(weight)?;
    ///     all.add(weight);
    ///     if said_yes { yes.add(weight); }
    /// }
    /// let share = ShareStats::of(&yes, &all, 0.95);
    /// assert_eq!((share.count, share.n, share.share), (2, 3, Some(0.5)));
    /// assert!((share.weighted.unwrap().effective_n - 64.0 / 26.0).abs() < 1e-12);
    /// // Unweighted, as counts:
    /// assert_eq!(ShareStats::of(&2u64, &3u64, 0.95), ShareStats::new(2, 3, 0.95));
    /// # Ok::<(), cx_model::Error>(())
    /// ```
    pub fn of<T: Tally>(counted: &T, all: &T, confidence: f64) -> ShareStats {
        let n = all.count();
        let count = counted.count().min(n);
        let weighted = all.weighted();
        if all.sum_units() == 0 {
            return ShareStats {
                count,
                n,
                share: None,
                ci: None,
                weighted,
            };
        }
        // A part cannot outweigh its whole; a state from elsewhere aside,
        // `min` changes nothing.
        let p = (counted.sum() / all.sum()).min(1.0);
        let ci = z_quantile(confidence).map(|z| wilson(p, all.effective_n(), z));
        ShareStats {
            count,
            n,
            share: Some(p),
            ci,
            weighted,
        }
    }
}

fn wilson(p: f64, n: f64, z: f64) -> Interval {
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // Rounding can push an end a hair past the point estimate at p = 0 or 1.
    Interval {
        lower: (centre - half).clamp(0.0, p),
        upper: (centre + half).clamp(p, 1.0),
    }
}

#[cfg(test)]
mod tests;
