//! Two-sample tests of a change: the difference of two shares
//! (Agresti-Caffo), of two means (Welch), of two Net Promoter Scores
//! (adjusted Wald), each with its interval, a two-sided p-value that does
//! not underflow and an effect size.

use serde::{Deserialize, Serialize};
use statrs::function::beta::checked_beta_reg;

use crate::cluster::ClusteredStats;
use crate::stats::{Interval, MeanStats, ShareStats, t_quantile, two_sided_p, z_quantile};

/// The two-sided p-value of a Student's t statistic `t` with
/// `degrees_of_freedom` (fractional ones, as Welch's, included):
/// `P(|T| >= |t|) = I(df / (df + t²); df/2, 1/2)`, the regularized
/// incomplete beta function.
///
/// Computed from the incomplete beta directly, not as
/// `2 · (1 - F(|t|))`, so that a far tail keeps its digits instead of
/// rounding to 0. Infinite degrees of freedom give the normal
/// [`two_sided_p`]; an infinite `t` gives 0. `NaN` for a `NaN` argument
/// or degrees of freedom not above 0.
///
/// ```
/// use cx_score::t_two_sided_p;
///
/// // SciPy: 2 * scipy.stats.t.sf(2.0, 10.5) = 0.0720338001569683
/// assert!((t_two_sided_p(2.0, 10.5) - 0.0720338001569683).abs() < 1e-13);
/// // Far in the tail, where 2 · (1 - F) is 0: 9.90168898459413e-17.
/// assert!(t_two_sided_p(10.0, 100.0) > 9.9e-17);
/// assert_eq!(t_two_sided_p(0.0, 3.0), 1.0);
/// assert!(t_two_sided_p(1.0, 0.0).is_nan());
/// ```
pub fn t_two_sided_p(t: f64, degrees_of_freedom: f64) -> f64 {
    let df = degrees_of_freedom;
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return 0.0;
    }
    if df.is_infinite() {
        return two_sided_p(t);
    }
    let x = df / (df + t * t);
    checked_beta_reg(df / 2.0, 0.5, x).unwrap_or(f64::NAN)
}

/// How a share changed between two independent groups: `after - before`,
/// with the Agresti-Caffo interval.
///
/// With `x` of `n` counted in each group, Agresti and Caffo (2000) add one
/// success and one failure to each before taking the Wald interval:
///
/// ```text
/// p̃ = (x + 1) / (n + 2)                                   in each group
/// SE = √(p̃₁(1 - p̃₁) / (n₁ + 2) + p̃₂(1 - p̃₂) / (n₂ + 2))
/// CI = (p̃₂ - p̃₁) ± z · SE, clipped to -1..=1
/// z-statistic = (p̃₂ - p̃₁) / SE,  p = erfc(|z| / √2)
/// Cohen's h = 2 · asin(√p₂) - 2 · asin(√p₁)                (raw shares)
/// ```
///
/// The p-value comes from the same statistic as the interval, so `p < α`
/// exactly when the `1 - α` interval leaves out 0. The difference
/// reported is that of the raw shares `p = x / n`; the interval is
/// centred on the adjusted one, [`adjusted_difference`](Self::adjusted_difference),
/// which lies a little nearer 0. The interval stays honest at any `n`: it
/// is never of zero width, even at 0 of 5 against 5 of 5.
///
/// ```
/// use cx_score::{ShareDifference, ShareStats};
///
/// let before = ShareStats::new(40, 100, 0.95);
/// let after = ShareStats::new(55, 100, 0.95);
/// let change = ShareDifference::new(&before, &after, 0.95).ok_or("no data")?;
/// assert!((change.difference - 0.15).abs() < 1e-12);
/// // p̃ = 41/102 and 56/102: SE = 0.069168, z = 2.126120.
/// assert!((change.z - 2.126_120).abs() < 1e-6);
/// assert!(change.p_value < 0.05 && change.ci.ok_or("no interval")?.lower > 0.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShareDifference {
    /// The share before (or in the first group), `x₁ / n₁`.
    pub before: f64,
    /// The share after (or in the second group), `x₂ / n₂`.
    pub after: f64,
    /// `after - before`, a fraction (not percentage points).
    pub difference: f64,
    /// `p̃₂ - p̃₁`, the centre of the interval.
    pub adjusted_difference: f64,
    /// Standard error of the adjusted difference.
    pub se: f64,
    /// `adjusted_difference / se`.
    pub z: f64,
    /// Two-sided p-value of `z` under the normal distribution.
    pub p_value: f64,
    /// The Agresti-Caffo interval; `None` for a confidence level outside
    /// `0..1`.
    pub ci: Option<Interval>,
    /// Cohen's h of the raw shares, with the sign of the difference.
    pub cohens_h: f64,
}

impl ShareDifference {
    /// The change from `before` to `after` at `confidence`; `None` when
    /// either group has nobody (`n = 0`).
    ///
    /// # Example
    ///
    /// See [`ShareDifference`].
    pub fn new(before: &ShareStats, after: &ShareStats, confidence: f64) -> Option<Self> {
        Self::from_counts(effective(before), effective(after), confidence)
    }

    /// The change from `before` to `after`, each `(count, n)`: counts, or
    /// a weighted group's effective counts (`p · n_eff`, `n_eff`), with
    /// `count <= n` (a larger count is taken as `n`).
    pub(crate) fn from_counts(
        before: (f64, f64),
        after: (f64, f64),
        confidence: f64,
    ) -> Option<Self> {
        let ((x1, n1), (x2, n2)) = (before, after);
        if !(n1 > 0.0 && n2 > 0.0) {
            return None;
        }
        let (x1, x2) = (x1.min(n1), x2.min(n2));
        let (p1, p2) = (x1 / n1, x2 / n2);
        let (q1, q2) = ((x1 + 1.0) / (n1 + 2.0), (x2 + 1.0) / (n2 + 2.0));
        let adjusted = q2 - q1;
        let se = (q1 * (1.0 - q1) / (n1 + 2.0) + q2 * (1.0 - q2) / (n2 + 2.0)).sqrt();
        let z = adjusted / se;
        let ci = z_quantile(confidence).map(|quantile| Interval {
            lower: (adjusted - quantile * se).max(-1.0),
            upper: (adjusted + quantile * se).min(1.0),
        });
        let arc = |p: f64| 2.0 * p.sqrt().asin();
        Some(ShareDifference {
            before: p1,
            after: p2,
            difference: p2 - p1,
            adjusted_difference: adjusted,
            se,
            z,
            p_value: two_sided_p(z),
            ci,
            cohens_h: arc(p2) - arc(p1),
        })
    }
}

/// A share's count and sample size as its tests take them: the counts, or
/// a weighted share's effective count `p · n_eff` and `n_eff` (Kish), so
/// that a weighted share is tested as the unweighted share of its
/// effective sample.
fn effective(share: &ShareStats) -> (f64, f64) {
    match share.weighted {
        None => (share.count as f64, share.n as f64),
        Some(weighted) => {
            let n = weighted.effective_n;
            (share.share.unwrap_or(0.0) * n, n)
        }
    }
}

/// How a mean changed between two independent groups: `after - before`,
/// Welch's test with Welch-Satterthwaite degrees of freedom.
///
/// From each group's `n`, mean and standard error `se = sd / √n`:
///
/// ```text
/// SE = √(se₁² + se₂²)
/// df = (se₁² + se₂²)² / (se₁⁴ / (n₁ - 1) + se₂⁴ / (n₂ - 1))
/// t = (mean₂ - mean₁) / SE,  p = I(df / (df + t²); df/2, 1/2)
/// CI = (mean₂ - mean₁) ± t(1 - α/2, df) · SE
/// Cohen's d = (mean₂ - mean₁) / s,  s² = ((n₁-1)sd₁² + (n₂-1)sd₂²) / (n₁+n₂-2)
/// ```
///
/// Welch's test does not assume equal variances; Cohen's d uses the
/// pooled standard deviation, as Cohen defined it. When both groups have
/// no spread at all (`SE = 0`) there is no test: `t`, `df`, the p-value
/// and the interval are `None`, and so is d.
///
/// ```
/// use cx_score::{MeanDifference, Moments};
///
/// let (mut before, mut after) = (Moments::default(), Moments::default());
/// [1.0, 2.0, 3.0, 4.0].into_iter().for_each(|x| before.push(x));
/// [3.0, 4.0, 5.0, 6.0, 7.0].into_iter().for_each(|x| after.push(x));
/// let change = MeanDifference::new(&before.finish(0.95), &after.finish(0.95), 0.95)
///     .ok_or("too few values")?;
/// assert_eq!(change.difference, 2.5);
/// // SciPy: ttest_ind([1, 2, 3, 4], [3, 4, 5, 6, 7], equal_var=False)
/// // gives t = -2.6111648393354674 and p = 0.03493878235996401 (here
/// // after - before, so t > 0).
/// assert!((change.t.ok_or("no t")? - 2.611_164_839_335_467_4).abs() < 1e-12);
/// assert!((change.p_value.ok_or("no p")? - 0.034_938_782_359_964_01).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MeanDifference {
    /// The mean before (or in the first group).
    pub before: f64,
    /// The mean after (or in the second group).
    pub after: f64,
    /// `after - before`, in the values' unit.
    pub difference: f64,
    /// Standard error of the difference.
    pub se: f64,
    /// Welch-Satterthwaite degrees of freedom; `None` when `SE = 0`.
    pub df: Option<f64>,
    /// `difference / se`; `None` when `SE = 0`.
    pub t: Option<f64>,
    /// Two-sided p-value of `t`; `None` when `SE = 0`.
    pub p_value: Option<f64>,
    /// The Welch interval; `None` when `SE = 0` or the confidence level is
    /// outside `0..1`.
    pub ci: Option<Interval>,
    /// Cohen's d with the pooled standard deviation; `None` when it is 0.
    pub cohens_d: Option<f64>,
}

impl MeanDifference {
    /// The change from `before` to `after` at `confidence`; `None` unless
    /// both groups have at least two values.
    ///
    /// # Example
    ///
    /// See [`MeanDifference`].
    pub fn new(before: &MeanStats, after: &MeanStats, confidence: f64) -> Option<Self> {
        let side = |stats: &MeanStats| {
            let n = stats.sample_size();
            Some(Side {
                mean: stats.mean?,
                se: stats.se?,
                degrees_of_freedom: n - 1.0,
                n,
                sd: stats.sd?,
            })
        };
        Some(Self::welch(side(before)?, side(after)?, confidence))
    }

    /// The change of a mean over clustered observations (a pooled figure
    /// and its respondents), each side's standard error the cluster-robust
    /// one of [`ClusteredStats`] and its degrees of freedom `G - 1`, with
    /// `G` its clusters; `sd` is each side's standard deviation over its
    /// observations, for Cohen's d. `None` unless both sides have a
    /// standard error (two clusters or more, every value on the grid).
    ///
    /// As [`new`](Self::new), Welch's test with `n - 1` replaced by
    /// `G - 1`: with every cluster a single observation it is exactly
    /// Welch's test.
    ///
    /// ```
    /// use cx_score::{ClusteredMoments, MeanDifference};
    ///
    /// let (mut before, mut after) = (ClusteredMoments::default(), ClusteredMoments::default());
    /// for (respondent, gap) in [("a", -1.0), ("a", -1.0), ("b", 0.0), ("c", 1.0), ("c", 0.0)] {
    ///     before.push(respondent, gap);
    /// }
    /// for (respondent, gap) in [("d", 1.0), ("e", 1.0), ("e", 2.0), ("f", 0.0)] {
    ///     after.push(respondent, gap);
    /// }
    /// let (before, after) = (before.finish(0.95), after.finish(0.95));
    /// let change = MeanDifference::by_respondent((&before, 0.8), (&after, 0.8), 0.95)
    ///     .ok_or("too few respondents")?;
    /// assert_eq!(change.difference, 1.0 - (-0.2));
    /// // Welch-Satterthwaite on the clustered standard errors, 2 + 2 degrees.
    /// let (v1, v2) = (before.se.unwrap().powi(2), after.se.unwrap().powi(2));
    /// let df = (v1 + v2).powi(2) / (v1 * v1 / 2.0 + v2 * v2 / 2.0);
    /// assert!((change.df.ok_or("no df")? - df).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn by_respondent(
        before: (&ClusteredStats, f64),
        after: (&ClusteredStats, f64),
        confidence: f64,
    ) -> Option<Self> {
        let side = |(stats, sd): (&ClusteredStats, f64)| {
            Some(Side {
                mean: stats.mean?,
                se: stats.se?,
                degrees_of_freedom: stats.clusters as f64 - 1.0,
                n: stats.n as f64,
                sd,
            })
        };
        Some(Self::welch(side(before)?, side(after)?, confidence))
    }

    fn welch(before: Side, after: Side, confidence: f64) -> Self {
        let difference = after.mean - before.mean;
        let (v1, v2) = (before.se * before.se, after.se * after.se);
        let se = (v1 + v2).sqrt();
        let pooled = ((before.n - 1.0) * before.sd * before.sd
            + (after.n - 1.0) * after.sd * after.sd)
            / (before.n + after.n - 2.0);
        let cohens_d = (pooled > 0.0).then(|| difference / pooled.sqrt());
        let mut change = MeanDifference {
            before: before.mean,
            after: after.mean,
            difference,
            se,
            df: None,
            t: None,
            p_value: None,
            ci: None,
            cohens_d,
        };
        if se > 0.0 {
            let df = (v1 + v2).powi(2)
                / (v1 * v1 / before.degrees_of_freedom + v2 * v2 / after.degrees_of_freedom);
            let t = difference / se;
            change.df = Some(df);
            change.t = Some(t);
            change.p_value = Some(t_two_sided_p(t, df));
            change.ci = t_quantile(confidence, df).map(|quantile| Interval {
                lower: difference - quantile * se,
                upper: difference + quantile * se,
            });
        }
        change
    }
}

/// One side of a mean's change: its mean, standard error and degrees of
/// freedom, and its observations' count and standard deviation for
/// Cohen's d.
#[derive(Debug, Clone, Copy)]
struct Side {
    mean: f64,
    se: f64,
    degrees_of_freedom: f64,
    n: f64,
    sd: f64,
}

/// The adjusted Wald comparison of two Net Promoter Scores, before it is
/// dressed as an [`NpsDifference`](crate::NpsDifference).
#[derive(Debug, Clone, Copy)]
pub(crate) struct NpsChange {
    pub(crate) before: f64,
    pub(crate) after: f64,
    pub(crate) difference: f64,
    pub(crate) adjusted_difference: f64,
    pub(crate) se: f64,
    pub(crate) z: f64,
    pub(crate) p_value: f64,
    pub(crate) ci: Option<Interval>,
    pub(crate) confidence: f64,
    pub(crate) cohens_d: Option<f64>,
    pub(crate) promoters: ShareDifference,
    pub(crate) detractors: ShareDifference,
}

/// A group's promoter and detractor shares and the variance of their
/// difference, `(p + d - (p - d)²) / n` (on the -1..=1 scale), as every NPS
/// interval and test takes them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NpsShares {
    pub promoters: f64,
    pub detractors: f64,
    pub variance: f64,
}

impl NpsShares {
    /// The shares of `promoters` and `detractors` among `n`: counts, or
    /// a weighted group's effective counts.
    pub fn of(promoters: f64, detractors: f64, n: f64) -> Self {
        let p = promoters / n;
        let d = detractors / n;
        NpsShares {
            promoters: p,
            detractors: d,
            // Rounding can make it a hair negative when everyone is a
            // promoter or everyone a detractor.
            variance: (p + d - (p - d).powi(2)).max(0.0) / n,
        }
    }

    /// The adjusted Wald shares of a group of `n`: one promoter, one
    /// passive and one detractor added (to the effective counts of a
    /// weighted group).
    pub fn adjusted(promoters: f64, detractors: f64, n: f64) -> Self {
        NpsShares::of(promoters + 1.0, detractors + 1.0, n + 3.0)
    }

    /// `100 · (p - d)`.
    pub fn nps(&self) -> f64 {
        100.0 * (self.promoters - self.detractors)
    }

    /// The standard error of the NPS, in NPS points.
    pub fn se(&self) -> f64 {
        100.0 * self.variance.sqrt()
    }
}

/// Compares the NPS of `after` with that of `before`, each
/// `(promoters, passives, detractors)`, counts or a weighted group's
/// effective counts: the formulas are those of
/// [`NpsDifference`](crate::NpsDifference). `None` when either group has
/// nobody.
pub(crate) fn nps_change(
    before: (f64, f64, f64),
    after: (f64, f64, f64),
    confidence: f64,
) -> Option<NpsChange> {
    let total = |(p, q, d): (f64, f64, f64)| p + q + d;
    let (n1, n2) = (total(before), total(after));
    if !(n1 > 0.0 && n2 > 0.0) {
        return None;
    }
    // Raw shares, and each group with one promoter, one passive and one
    // detractor added.
    let raw = |(p, _, d): (f64, f64, f64), n: f64| NpsShares::of(p, d, n);
    let adjusted = |(p, _, d): (f64, f64, f64), n: f64| NpsShares::adjusted(p, d, n);
    let (raw1, raw2) = (raw(before, n1), raw(after, n2));
    let (p1, d1, p2, d2) = (
        raw1.promoters,
        raw1.detractors,
        raw2.promoters,
        raw2.detractors,
    );
    let (adjusted1, adjusted2) = (adjusted(before, n1), adjusted(after, n2));
    let se = 100.0 * (adjusted1.variance + adjusted2.variance).sqrt();
    let adjusted_difference = 100.0
        * ((adjusted2.promoters - adjusted2.detractors)
            - (adjusted1.promoters - adjusted1.detractors));
    let z = adjusted_difference / se;
    let ci = z_quantile(confidence).map(|quantile| Interval {
        lower: (adjusted_difference - quantile * se).max(-200.0),
        upper: (adjusted_difference + quantile * se).min(200.0),
    });
    // Cohen's d of the respondents' scores (+100, 0, -100), whose sample
    // variance is n / (n - 1) · 100² · (p + d - (p - d)²).
    let (k1, k2) = (n1, n2);
    let pooled = 1e4 * (k1 * (p1 + d1 - (p1 - d1).powi(2)) + k2 * (p2 + d2 - (p2 - d2).powi(2)))
        / (k1 + k2 - 2.0);
    // Each score from the difference of the counts, as NpsScore has it:
    // exact where the shares would round.
    let score = |(p, _, d): (f64, f64, f64), n: f64| 100.0 * (p - d) / n;
    let (nps_before, nps_after) = (score(before, k1), score(after, k2));
    let difference = nps_after - nps_before;
    let cohens_d = (pooled > 0.0 && pooled.is_finite()).then(|| difference / pooled.sqrt());
    Some(NpsChange {
        before: nps_before,
        after: nps_after,
        difference,
        adjusted_difference,
        se,
        z,
        p_value: two_sided_p(z),
        ci,
        confidence,
        cohens_d,
        promoters: ShareDifference::from_counts((before.0, n1), (after.0, n2), confidence)?,
        detractors: ShareDifference::from_counts((before.2, n1), (after.2, n2), confidence)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Moments;
    use proptest::prelude::*;

    /// `2 * scipy.stats.t.sf(t, df)` from SciPy 1.17.1 where it keeps its
    /// digits, and `scipy.special.betainc(df / 2, 0.5, df / (df + t * t))`
    /// beyond (marked), where `t.sf` itself returns 0.
    #[test]
    fn t_p_values_match_scipy_into_the_far_tail() {
        let cases = [
            (1.0, 0.5, 0.7048327646991335),
            (1.0, 40.0, 0.015912179824051624),
            (3.0, 2.0, 0.13932596855884305),
            (3.0, 40.0, 3.4380680789158506e-05),
            (10.5, 0.5, 0.6273873045888351),
            (10.5, 10.0, 1.0782203394060482e-06),
            (10.5, 40.0, 8.070736030482157e-13),
            (100.0, 2.0, 0.04821217873113365),
            (100.0, 10.0, 9.90168898459413e-17),
            (100.0, 40.0, 2.462107602140071e-63),
            (10_000.0, 2.0, 0.04552726066143543),
            (10_000.0, 10.0, 1.963280742866382e-23),
            (1e6, 5.0, 5.733997870890745e-07),
            (1e6, 10.0, 1.527861076817818e-23),
        ];
        for (df, t, expected) in cases {
            for t in [t, -t] {
                let p = t_two_sided_p(t, df);
                assert!(
                    ((p - expected) / expected).abs() < 1e-9,
                    "df {df}, t {t}: {p} vs {expected}"
                );
            }
        }
        assert_eq!(t_two_sided_p(f64::INFINITY, 4.0), 0.0);
        assert_eq!(t_two_sided_p(2.0, f64::INFINITY), two_sided_p(2.0));
        assert!(t_two_sided_p(f64::NAN, 4.0).is_nan());
    }

    fn moments(values: &[f64]) -> MeanStats {
        let mut moments = Moments::default();
        values.iter().for_each(|&x| moments.push(x));
        moments.finish(0.95)
    }

    /// SciPy 1.17.1: `ttest_ind(b, a, equal_var=False)` gives t and p;
    /// df from the Welch-Satterthwaite formula and the interval from
    /// `scipy.stats.t.ppf(0.975, df)` in the same session.
    #[test]
    fn welch_matches_scipy() {
        let a = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let b = [1.0, 1.0, 2.0, 3.0, 3.0, 4.0];
        let change = MeanDifference::new(&moments(&a), &moments(&b), 0.95).unwrap();
        assert!((change.difference - (-2.6666666666666665)).abs() < 1e-12);
        assert!((change.t.unwrap() - -2.95227934101653).abs() < 1e-12);
        assert!((change.df.unwrap() - 11.359611406220056).abs() < 1e-10);
        assert!((change.p_value.unwrap() - 0.012747647622178036).abs() < 1e-12);
        let ci = change.ci.unwrap();
        assert!((ci.lower - -4.647070015036275).abs() < 1e-9, "{ci:?}");
        assert!((ci.upper - -0.6862633182970586).abs() < 1e-9, "{ci:?}");
        // Pooled sd: √((7 · 32/7 + 5 · 7.333333/5) / 12) = √(39.333333/12).
        let d = -2.6666666666666665 / (39.333_333_333_333_33f64 / 12.0).sqrt();
        assert!((change.cohens_d.unwrap() - d).abs() < 1e-12);
    }

    #[test]
    fn welch_without_spread_has_no_test() {
        let change =
            MeanDifference::new(&moments(&[4.0, 4.0]), &moments(&[5.0, 5.0]), 0.95).unwrap();
        assert_eq!(change.difference, 1.0);
        assert_eq!(
            (change.t, change.p_value, change.ci, change.cohens_d),
            (None, None, None, None)
        );
        assert!(MeanDifference::new(&moments(&[4.0]), &moments(&[5.0, 5.0]), 0.95).is_none());
    }

    /// Agresti-Caffo by hand: 3 of 10 against 8 of 12.
    /// p̃ = 4/12 and 9/14; SE = √((1/3)(2/3)/12 + (9/14)(5/14)/14) =
    /// 0.186863; centre 0.309524, z = 1.656417, p = 0.097637, 95% interval
    /// 0.309524 ± 1.959964 · 0.186863 = [-0.056722, 0.675771].
    /// Cohen's h = 2 asin √(2/3) - 2 asin √0.3 = 0.751354. (By hand; the
    /// digits from NumPy and `scipy.special.erfc`.)
    #[test]
    fn agresti_caffo_by_hand() {
        let change = ShareDifference::from_counts((3.0, 10.0), (8.0, 12.0), 0.95).unwrap();
        assert!((change.difference - (8.0 / 12.0 - 0.3)).abs() < 1e-15);
        assert!((change.adjusted_difference - 0.309_524).abs() < 1e-6);
        assert!((change.se - 0.186_863_413_829_833_24).abs() < 1e-14);
        assert!((change.z - 1.656_417_396_963_949).abs() < 1e-12);
        assert!((change.p_value - 0.097_637_320_408_061_53).abs() < 1e-14);
        let ci = change.ci.unwrap();
        assert!(
            (ci.lower - -0.056_721_751_610_867_4).abs() < 1e-12,
            "{ci:?}"
        );
        assert!((ci.upper - 0.675_769_370_658_486_6).abs() < 1e-12, "{ci:?}");
        assert!((change.cohens_h - 0.751_353_755_521_610_1).abs() < 1e-12);
        // Nobody on one side: no answer.
        assert!(ShareDifference::from_counts((0.0, 0.0), (1.0, 2.0), 0.95).is_none());
    }

    /// Unanimous groups still get an interval of some width and a p-value
    /// that is not 0: 0 of 5 against 5 of 5 is p̃ = 1/7 and 6/7.
    #[test]
    fn agresti_caffo_at_the_edges() {
        let change = ShareDifference::from_counts((0.0, 5.0), (5.0, 5.0), 0.95).unwrap();
        assert_eq!(change.difference, 1.0);
        let se = (2.0 * (1.0 / 7.0) * (6.0 / 7.0) / 7.0f64).sqrt();
        assert!((change.se - se).abs() < 1e-15);
        assert!(change.p_value > 0.0 && change.p_value < 0.01);
        assert_eq!(change.ci.unwrap().upper, 1.0);
        assert!((change.cohens_h - std::f64::consts::PI).abs() < 1e-15);
    }

    /// Adjusted Wald by hand: 50/30/20 against 40/30/30 (n = 100 each).
    /// Add one of each: 51/31/21 and 41/31/31 of 103.
    /// NPS̃ = 100 · 30/103 = 29.126214 and 100 · 10/103 = 9.708738;
    /// centre -19.417476; variances (72/103 - (30/103)²)/103 = 0.005963
    /// and (72/103 - (10/103)²)/103 = 0.006695; SE = 100 · √0.012658 =
    /// 11.250884; z = -1.725862, p = 0.084372 (NumPy and
    /// `scipy.special.erfc`: 0.08437220581212948).
    #[test]
    fn adjusted_wald_nps_by_hand() {
        let change = nps_change((50.0, 30.0, 20.0), (40.0, 30.0, 30.0), 0.95).unwrap();
        assert!((change.difference - -20.0).abs() < 1e-12);
        assert!((change.adjusted_difference - -19.417_476).abs() < 1e-6);
        let (v1, v2) = (
            (72.0 / 103.0 - (30.0f64 / 103.0).powi(2)) / 103.0,
            (72.0 / 103.0 - (10.0f64 / 103.0).powi(2)) / 103.0,
        );
        let se = 100.0 * (v1 + v2).sqrt();
        assert!((change.se - se).abs() < 1e-12);
        assert!((change.z - -19.417_475_728_155_34 / se).abs() < 1e-12);
        assert!((change.se - 11.250_884_157_333_104).abs() < 1e-10);
        assert!((change.p_value - 0.084_372_205_812_129_48).abs() < 1e-12);
        assert!((change.promoters.difference - -0.1).abs() < 1e-15);
        assert!((change.detractors.difference - 0.1).abs() < 1e-15);
        let ci = change.ci.unwrap();
        assert!(ci.lower < -40.0 && ci.upper > 0.0);
        // The scores as +100/0/-100: both variances 0.61 · 100/99 and
        // 0.69 · 100/99 of 100², pooled (61 + 69)/198 · 100², so
        // d = -20 / (100 · √(130/198)).
        let d = -20.0 / (100.0 * (130.0f64 / 198.0).sqrt());
        assert!((change.cohens_d.unwrap() - d).abs() < 1e-12);
    }

    /// One detractor against one promoter: a raw difference of +200 that
    /// two answers cannot vouch for. With one of each added, the groups
    /// are 1/1/2 and 2/1/1 of 4, so the interval is centred on
    /// 100 · (1/4 - -1/4) = 50, with SE 58.630197: p = 0.39, and the
    /// interval does not reach +200.
    #[test]
    fn adjusted_wald_nps_of_one_respondent_each() {
        let change = nps_change((0.0, 0.0, 1.0), (1.0, 0.0, 0.0), 0.95).unwrap();
        assert_eq!(change.difference, 200.0);
        assert!((change.adjusted_difference - 50.0).abs() < 1e-12);
        assert!((change.se - 58.630_196_997_792_87).abs() < 1e-10);
        assert!(change.p_value > 0.3 && change.ci.unwrap().upper < 200.0);
        assert_eq!(change.cohens_d, None);
        assert!(nps_change((0.0, 0.0, 0.0), (1.0, 0.0, 0.0), 0.95).is_none());
    }

    proptest! {
        #[test]
        fn prop_share_intervals_contain_their_estimates(
            n1 in 1u64..400, n2 in 1u64..400, x1 in 0u64..400, x2 in 0u64..400,
        ) {
            let count = |x: u64, n: u64| ((x % (n + 1)) as f64, n as f64);
            let change = ShareDifference::from_counts(count(x1, n1), count(x2, n2), 0.95).unwrap();
            let ci = change.ci.unwrap();
            prop_assert!(ci.contains(change.adjusted_difference));
            // At 95% the raw difference is inside too: checked with NumPy
            // for every pair of counts with n up to 60 each, sampled here.
            // (At 90% it is not for n = 1: 0 of 1 against 1 of 1.)
            prop_assert!(ci.contains(change.difference), "{change:?}");
            prop_assert!((0.0..=1.0).contains(&change.p_value));
            prop_assert!(-1.0 <= ci.lower && ci.upper <= 1.0);
        }

        #[test]
        fn prop_nps_intervals_contain_their_centre(
            a in (0u64..200, 0u64..200, 0u64..200), b in (0u64..200, 0u64..200, 0u64..200),
        ) {
            let real = |(p, q, d): (u64, u64, u64)| (p as f64, q as f64, d as f64);
            if let Some(change) = nps_change(real(a), real(b), 0.95) {
                let ci = change.ci.unwrap();
                prop_assert!(ci.contains(change.adjusted_difference));
                prop_assert!(-200.0 <= ci.lower && ci.upper <= 200.0);
                prop_assert!(change.se > 0.0 && (0.0..=1.0).contains(&change.p_value));
                let split = 100.0 * (change.promoters.difference - change.detractors.difference);
                prop_assert!((split - change.difference).abs() < 1e-9);
            } else {
                prop_assert!(a.0 + a.1 + a.2 == 0 || b.0 + b.1 + b.2 == 0);
            }
        }

        #[test]
        fn prop_welch_intervals_contain_the_difference(
            a in proptest::collection::vec(0u8..=10, 2..30),
            b in proptest::collection::vec(0u8..=10, 2..30),
        ) {
            let to = |v: &[u8]| moments(&v.iter().map(|&x| f64::from(x)).collect::<Vec<_>>());
            let change = MeanDifference::new(&to(&a), &to(&b), 0.95).unwrap();
            if let (Some(ci), Some(p)) = (change.ci, change.p_value) {
                prop_assert!(ci.contains(change.difference));
                prop_assert!((0.0..=1.0).contains(&p));
                // The test and the interval agree, away from the boundary
                // where the quantile's last digits decide.
                if (p - 0.05).abs() > 1e-9 {
                    prop_assert_eq!(p < 0.05, !ci.contains(0.0));
                }
            }
        }
    }
}
