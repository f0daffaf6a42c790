//! Net Promoter Score.

use serde::{Deserialize, Serialize};

use crate::change::{NpsChange, NpsShares, ShareDifference, nps_change};
use crate::config::{NpsCutoffs, NpsInterval};
use crate::stats::{Interval, z_quantile};
use crate::tally::{Tally, Weighted};

/// Counts promoters, passives and detractors.
///
/// Ratings must already be checked against the cut-offs' scale; the
/// [`ScorecardAccumulator`](crate::ScorecardAccumulator) does that.
///
/// ```
/// use cx_score::{NpsAccumulator, NpsCutoffs};
///
/// let cutoffs = NpsCutoffs::default();
/// let mut nps = NpsAccumulator::default();
/// for rating in [10.0, 9.0, 8.0, 3.0] {
///     nps.push(rating, &cutoffs);
/// }
/// // promoters 2/4, detractors 1/4: NPS = 100 × (0.5 - 0.25) = 25
/// assert_eq!(nps.finish(0.95).nps, Some(25.0));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct NpsAccumulator<T: Tally = u64> {
    promoters: T,
    passives: T,
    detractors: T,
}

impl NpsAccumulator {
    /// Counts one likelihood-to-recommend rating.
    pub fn push(&mut self, likelihood: f64, cutoffs: &NpsCutoffs) {
        self.push_unit(likelihood, cutoffs, ());
    }

    /// Counts `promoters`, `passives` and `detractors` at once, e.g. from a
    /// published table.
    pub fn from_counts(promoters: u64, passives: u64, detractors: u64) -> Self {
        NpsAccumulator {
            promoters,
            passives,
            detractors,
        }
    }
}

impl<T: Tally> NpsAccumulator<T> {
    /// Counts one likelihood-to-recommend rating with `unit`, its
    /// respondent's weight (nothing, unweighted).
    #[inline]
    pub fn push_unit(&mut self, likelihood: f64, cutoffs: &NpsCutoffs, unit: T::Unit) {
        // Counted without branching on the rating, which changes from one
        // respondent to the next and so would be guessed wrong.
        let promoter = likelihood >= cutoffs.promoter_min;
        let detractor = !promoter && likelihood <= cutoffs.detractor_max;
        self.promoters.add_if(unit, promoter);
        self.detractors.add_if(unit, detractor);
        self.passives.add_if(unit, !promoter && !detractor);
    }

    /// Respondents counted, if the count does not overflow (as that of a
    /// state from elsewhere might).
    pub(crate) fn checked_total(&self) -> Option<u64> {
        self.total_checked()?;
        self.promoters
            .count()
            .checked_add(self.passives.count())?
            .checked_add(self.detractors.count())
    }

    /// The three tallies together, if their sums do not overflow.
    fn total_checked(&self) -> Option<T> {
        self.promoters
            .checked_merge(&self.passives)?
            .checked_merge(&self.detractors)
    }

    /// Adds everything `other` has counted.
    pub fn merge(&mut self, other: &NpsAccumulator<T>) {
        self.promoters.merge(&other.promoters);
        self.passives.merge(&other.passives);
        self.detractors.merge(&other.detractors);
    }

    /// The score, its standard error and a `confidence` interval by the
    /// adjusted Wald method ([`NpsInterval::AdjustedWald`]).
    pub fn finish(&self, confidence: f64) -> NpsScore {
        self.finish_with(confidence, NpsInterval::default())
    }

    /// The score, its standard error and a `confidence` interval by
    /// `method`.
    ///
    /// ```
    /// use cx_score::{NpsAccumulator, NpsInterval};
    ///
    /// // One promoter: the plain Wald interval claims certainty, the
    /// // adjusted one does not.
    /// let one = NpsAccumulator::from_counts(1, 0, 0);
    /// let wald = one.finish_with(0.95, NpsInterval::Wald).ci.unwrap();
    /// assert_eq!((wald.lower, wald.upper), (100.0, 100.0));
    /// let adjusted = one.finish(0.95).ci.unwrap();
    /// assert!(adjusted.lower < -50.0 && adjusted.upper == 100.0);
    /// ```
    pub fn finish_with(&self, confidence: f64, method: NpsInterval) -> NpsScore {
        let mut all = self.promoters;
        all.merge(&self.passives);
        all.merge(&self.detractors);
        let mut score = NpsScore {
            n: all.count(),
            promoters: self.promoters.count(),
            passives: self.passives.count(),
            detractors: self.detractors.count(),
            promoter_share: None,
            detractor_share: None,
            nps: None,
            se: None,
            interval: method,
            margin_of_error: None,
            ci: None,
            weighted: all.weighted(),
        };
        if all.sum_units() == 0 {
            return score;
        }
        // Effective counts: the counts themselves when unweighted (the
        // factor is exactly 1), the weights rescaled to sum to Kish's n_eff
        // when weighted.
        let factor = all.kish_factor();
        let (promoters, detractors) = (
            self.promoters.sum() * factor,
            self.detractors.sum() * factor,
        );
        let n = all.sum() * factor;
        let observed = NpsShares::of(promoters, detractors, n);
        let (p, d, se) = (observed.promoters, observed.detractors, observed.se());
        // From the difference of the sums: exact where the shares would round.
        let nps = 100.0 * (self.promoters.sum() - self.detractors.sum()) / all.sum();
        score.promoter_share = Some(p);
        score.detractor_share = Some(d);
        score.nps = Some(nps);
        score.se = Some(se);
        let (centre, spread) = match method {
            NpsInterval::Wald => (nps, se),
            NpsInterval::AdjustedWald => {
                let adjusted = NpsShares::adjusted(promoters, detractors, n);
                (adjusted.nps(), adjusted.se())
            }
        };
        if let Some(z) = z_quantile(confidence) {
            let margin = z * spread;
            score.margin_of_error = Some(margin);
            score.ci = Some(Interval {
                lower: (centre - margin).max(-100.0),
                upper: (centre + margin).min(100.0),
            });
        }
        score
    }
}

/// A Net Promoter Score with its uncertainty.
///
/// With `p` the promoter share, `d` the detractor share and `n` respondents:
///
/// ```text
/// NPS = 100 · (p - d)                      in -100..=100
/// SE  = 100 · √((p + d - (p - d)²) / n)
/// ```
///
/// and the interval by [`interval`](Self::interval) (see [`NpsInterval`]).
///
/// Weighted, `p` and `d` are shares of the weights, `n` is Kish's
/// effective sample size `n_eff = (Σw)² / Σw²`, and the adjusted Wald
/// interval adds its one promoter, passive and detractor to the effective
/// counts `n_eff · p` and `n_eff · d`; the counts below stay the
/// respondents counted.
/// `margin_of_error` is the interval's half-width before clipping, as
/// surveys report it; the adjusted interval is centred on the adjusted
/// score, so it is not always `nps ± margin_of_error`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NpsScore {
    /// Respondents with a likelihood-to-recommend rating.
    pub n: u64,
    /// Ratings at or above the promoter cut-off.
    pub promoters: u64,
    /// Ratings between the cut-offs.
    pub passives: u64,
    /// Ratings at or below the detractor cut-off.
    pub detractors: u64,
    /// `promoters / n`.
    pub promoter_share: Option<f64>,
    /// `detractors / n`.
    pub detractor_share: Option<f64>,
    /// The score, in -100..=100; `None` when `n = 0`.
    pub nps: Option<f64>,
    /// Its standard error, in NPS points.
    pub se: Option<f64>,
    /// How the interval was computed.
    pub interval: NpsInterval,
    /// The half-width of the confidence interval, in NPS points.
    pub margin_of_error: Option<f64>,
    /// The confidence interval, clipped to -100..=100.
    pub ci: Option<Interval>,
    /// The weights' sum and effective sample size, when weighted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighted: Option<Weighted>,
}

impl NpsScore {
    /// How `self` differs from `baseline` (for example this quarter against the
    /// last, or one segment against another): `self - baseline`, by the
    /// adjusted Wald test of [`NpsDifference`], with a 95% interval.
    ///
    /// The two samples are taken as independent. The difference splits
    /// exactly into the change in promoter share and the change in
    /// detractor share: `difference = 100 · (Δp - Δd)`. For another
    /// confidence level, use [`nps_difference`](crate::nps_difference).
    ///
    /// `None` when either side has no respondents.
    ///
    /// ```
    /// use cx_score::NpsAccumulator;
    ///
    /// let before = NpsAccumulator::from_counts(50, 30, 20).finish(0.95); // NPS 30
    /// let after = NpsAccumulator::from_counts(40, 30, 30).finish(0.95); // NPS 10
    /// let change = after.compare_to(&before).unwrap();
    /// assert_eq!(change.difference, -20.0);
    /// assert!(change.z < 0.0); // after is lower
    /// // The drop came from both fewer promoters and more detractors:
    /// assert!((change.promoter_share_change + 0.1).abs() < 1e-12);
    /// assert!((change.detractor_share_change - 0.1).abs() < 1e-12);
    /// ```
    pub fn compare_to(&self, baseline: &NpsScore) -> Option<NpsDifference> {
        nps_change(baseline.effective_counts(), self.effective_counts(), 0.95)
            .map(NpsDifference::from)
    }

    /// The sample size that uncertainty and the minimum sample go by:
    /// `n`, or Kish's effective sample size when weighted.
    pub fn sample_size(&self) -> f64 {
        self.weighted
            .map_or(self.n as f64, |weighted| weighted.effective_n)
    }

    /// The promoters, passives and detractors as the tests take them: the
    /// counts, or a weighted score's effective counts (each share times
    /// Kish's `n_eff`).
    pub(crate) fn effective_counts(&self) -> (f64, f64, f64) {
        match self.weighted {
            None => (
                self.promoters as f64,
                self.passives as f64,
                self.detractors as f64,
            ),
            Some(weighted) => {
                let n = weighted.effective_n;
                let promoters = self.promoter_share.unwrap_or(0.0) * n;
                let detractors = self.detractor_share.unwrap_or(0.0) * n;
                (promoters, (n - promoters - detractors).max(0.0), detractors)
            }
        }
    }
}

/// The difference between two NPS values, `NPS - NPS(baseline)`, by the
/// adjusted Wald test; see [`NpsScore::compare_to`] and
/// [`nps_difference`](crate::nps_difference).
///
/// Each group gets one promoter, one passive and one detractor added
/// before its shares and standard error are taken (in the manner of
/// Agresti and Caffo's add-one interval for shares), so that neither a
/// unanimous group nor a group of one claims certainty:
///
/// ```text
/// p̃ = (promoters + 1) / (n + 3),  d̃ = (detractors + 1) / (n + 3)   in each group
/// SE = 100 · √(Σ (p̃ + d̃ - (p̃ - d̃)²) / (n + 3))
/// centre = 100 · ((p̃₂ - d̃₂) - (p̃₁ - d̃₁))
/// CI = centre ± z · SE, clipped to -200..=200
/// z-statistic = centre / SE,  p = erfc(|z| / √2)
/// ```
///
/// `difference` is the raw `NPS₂ - NPS₁`; the interval is centred on the
/// adjusted difference, nearer 0, and for very small groups at the
/// extremes (everyone a detractor against everyone a promoter, under
/// about 26 respondents each) it can leave the raw difference out: that
/// difference is more than so few answers can vouch for. Cohen's d treats
/// each respondent's score as +100, 0 or -100 and divides the raw
/// difference by their pooled sample standard deviation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NpsDifference {
    /// The baseline's NPS (the earlier period, or the first group).
    pub before: f64,
    /// The NPS compared with it.
    pub after: f64,
    /// `NPS - NPS(baseline)`, in NPS points; its sign says which is higher.
    pub difference: f64,
    /// The adjusted difference, the centre of the interval, in NPS points.
    pub adjusted_difference: f64,
    /// Standard error of the adjusted difference, in NPS points.
    pub se: f64,
    /// `adjusted_difference / se`, with the sign of the difference.
    pub z: f64,
    /// Two-sided p-value of `z` under the normal distribution.
    pub p_value: f64,
    /// The adjusted Wald interval at `confidence`, clipped to -200..=200;
    /// `None` for a confidence level outside `0..1`.
    pub ci: Option<Interval>,
    /// The confidence level of `ci`.
    pub confidence: f64,
    /// Cohen's d of the respondents' scores; `None` when they have no
    /// spread.
    pub cohens_d: Option<f64>,
    /// Change in promoter share (a fraction, not points).
    pub promoter_share_change: f64,
    /// Change in detractor share (a fraction, not points).
    pub detractor_share_change: f64,
    /// The change in promoter share, tested as a share (Agresti-Caffo).
    pub promoters: ShareDifference,
    /// The change in detractor share, tested as a share (Agresti-Caffo).
    pub detractors: ShareDifference,
}

impl From<NpsChange> for NpsDifference {
    fn from(change: NpsChange) -> Self {
        NpsDifference {
            before: change.before,
            after: change.after,
            difference: change.difference,
            adjusted_difference: change.adjusted_difference,
            se: change.se,
            z: change.z,
            p_value: change.p_value,
            ci: change.ci,
            confidence: change.confidence,
            cohens_d: change.cohens_d,
            promoter_share_change: change.promoters.difference,
            detractor_share_change: change.detractors.difference,
            promoters: change.promoters,
            detractors: change.detractors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reference from `tests/reference/weighted.py` (numpy 2, scipy
    /// `norm.ppf(0.975)`): weighted shares, the SE at Kish's n_eff, the
    /// Wald interval and the adjusted Wald interval on the effective counts.
    #[test]
    fn weighted_nps_against_an_independent_computation() {
        let ratings = [10.0, 9.0, 7.0, 3.0, 0.0, 9.0, 8.0, 6.0, 10.0, 5.0];
        let weights = [1.5, 0.5, 2.0, 1.0, 0.25, 1.25, 3.0, 0.75, 1.0, 2.0];
        let cutoffs = NpsCutoffs::default();
        let mut nps = NpsAccumulator::<crate::WeightSum>::default();
        for (&rating, &weight) in ratings.iter().zip(&weights) {
            nps.push_unit(rating, &cutoffs, cx_model::Weight::new(weight).unwrap());
        }
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        let wald = nps.finish_with(0.95, NpsInterval::Wald);
        assert_eq!(
            (wald.n, wald.promoters, wald.passives, wald.detractors),
            (10, 4, 2, 4)
        );
        assert!(close(wald.nps.unwrap(), 1.8867924528301883), "{wald:?}");
        assert!(close(wald.se.unwrap(), 28.97600980524082), "{wald:?}");
        assert!(close(wald.weighted.unwrap().effective_n, 7.411609498680739));
        let ci = wald.ci.unwrap();
        assert!(close(ci.lower, -54.90514318112129) && close(ci.upper, 58.67872808678166));
        let adjusted = nps.finish(0.95).ci.unwrap();
        assert!(close(adjusted.lower, -47.065868070496855), "{adjusted:?}");
        assert!(close(adjusted.upper, 49.75213264221505), "{adjusted:?}");
    }

    #[test]
    fn oddjob_airways_against_the_r_nps_package() {
        // shared/data/SOURCES.md: the Oddjob Airways file's `nps - 1` gives 431
        // detractors, 396 passives and 238 promoters; the R NPS package reports
        // NPS = -0.181221, SE = 0.0236430 and the Wald 95% interval
        // [-0.227560, -0.134881], on a -1..1 scale (×100 here).
        let score = NpsAccumulator::from_counts(238, 396, 431).finish_with(0.95, NpsInterval::Wald);
        assert_eq!(score.n, 1065);
        assert!((score.nps.unwrap() - -18.1221).abs() < 1e-4);
        assert!((score.se.unwrap() - 2.36430).abs() < 1e-4);
        let ci = score.ci.unwrap();
        assert!((ci.lower - -22.7560).abs() < 1e-3, "{ci:?}");
        assert!((ci.upper - -13.4881).abs() < 1e-3, "{ci:?}");
        assert!((score.margin_of_error.unwrap() - 4.6339).abs() < 1e-3);
    }

    /// Adjusted Wald intervals against an independent computation
    /// (`tests/reference/nps_intervals.py`): Python (`p' = (P + 1) / (n + 3)`, `d' = (D + 1) / (n + 3)`,
    /// scipy 1.17.1 `norm.ppf(0.975)`), printed with `repr`.
    #[test]
    fn adjusted_wald_by_an_independent_computation() {
        let cases = [
            ((238, 396, 431), (-22.69973568535336, -13.442586412024916)),
            ((1, 0, 0), (-56.255814241616136, 100.0)),
            ((0, 5, 0), (-34.647595608741945, 34.647595608741945)),
        ];
        for ((promoters, passives, detractors), (lower, upper)) in cases {
            let score = NpsAccumulator::from_counts(promoters, passives, detractors).finish(0.95);
            assert_eq!(score.interval, NpsInterval::AdjustedWald);
            let ci = score.ci.unwrap();
            assert!((ci.lower - lower).abs() < 1e-9, "{ci:?}");
            assert!((ci.upper - upper).abs() < 1e-9, "{ci:?}");
        }
        // The observed score and its SE stay the observed ones.
        let one = NpsAccumulator::from_counts(1, 0, 0).finish(0.95);
        assert_eq!((one.nps, one.se), (Some(100.0), Some(0.0)));
    }

    /// The exact coverage of both intervals, as in [`NpsInterval`]'s table;
    /// the reference figures are from an independent Python enumeration
    /// (`tests/reference/nps_intervals.py`: scipy 1.17.1 `multinomial.pmf`,
    /// same grid, bounds included).
    #[test]
    fn exact_coverage_on_small_samples() {
        let references = [
            (
                10,
                NpsInterval::Wald,
                0.8829138613603625,
                0.7471702015999997,
            ),
            (
                10,
                NpsInterval::AdjustedWald,
                0.9609617601449906,
                0.931770864177344,
            ),
            (
                30,
                NpsInterval::Wald,
                0.9302192341277178,
                0.8790295903857179,
            ),
            (
                30,
                NpsInterval::AdjustedWald,
                0.9531326788865786,
                0.9399313861997103,
            ),
        ];
        for (n, method, mean, worst) in references {
            let (got_mean, got_worst) = coverage(n, method);
            assert!(
                (got_mean - mean).abs() < 1e-9,
                "{n} {method:?}: mean {got_mean}"
            );
            assert!(
                (got_worst - worst).abs() < 1e-9,
                "{n} {method:?}: worst {got_worst}"
            );
        }
    }

    /// Every outcome of up to 40 respondents: the adjusted interval, though
    /// centred on the adjusted score, holds the observed one.
    #[test]
    fn small_adjusted_intervals_hold_the_observed_score() {
        for n in 1..=40u64 {
            for promoters in 0..=n {
                for detractors in 0..=n - promoters {
                    let score = NpsAccumulator::from_counts(
                        promoters,
                        n - promoters - detractors,
                        detractors,
                    )
                    .finish(0.95);
                    let (nps, ci) = (score.nps.unwrap(), score.ci.unwrap());
                    assert!(
                        ci.contains(nps),
                        "{promoters}/{detractors} of {n}: {nps} {ci:?}"
                    );
                }
            }
        }
    }

    /// Mean and worst coverage of the true NPS over the grid of true shares.
    fn coverage(n: u64, method: NpsInterval) -> (f64, f64) {
        use statrs::function::factorial::ln_factorial;
        let grid: Vec<f64> = (1..18).map(|k| f64::from(k) / 20.0).collect();
        let mut coverages = Vec::new();
        for &p in &grid {
            for &d in &grid {
                if p + d > 0.95 + 1e-12 {
                    continue;
                }
                let truth = 100.0 * (p - d);
                let mut covered = 0.0;
                for promoters in 0..=n {
                    for detractors in 0..=n - promoters {
                        let passives = n - promoters - detractors;
                        let score = NpsAccumulator::from_counts(promoters, passives, detractors)
                            .finish_with(0.95, method);
                        if score.ci.unwrap().contains(truth) {
                            let ln_pmf = ln_factorial(n)
                                - ln_factorial(promoters)
                                - ln_factorial(detractors)
                                - ln_factorial(passives)
                                + promoters as f64 * p.ln()
                                + detractors as f64 * d.ln()
                                + passives as f64 * (1.0 - p - d).ln();
                            covered += ln_pmf.exp();
                        }
                    }
                }
                coverages.push(covered);
            }
        }
        let mean = coverages.iter().sum::<f64>() / coverages.len() as f64;
        (mean, coverages.iter().copied().fold(1.0, f64::min))
    }

    #[test]
    fn nps_package_test_data() {
        // SOURCES.md, file 6: 462 promoters, 176 passives, 362 detractors:
        // NPS 0.1, SE 0.0285307.
        let score = NpsAccumulator::from_counts(462, 176, 362).finish(0.95);
        assert!((score.nps.unwrap() - 10.0).abs() < 1e-9);
        assert!((score.se.unwrap() - 2.85307).abs() < 1e-4);
    }

    #[test]
    fn cutoffs_split_the_scale() {
        let cutoffs = NpsCutoffs::default();
        let mut nps = NpsAccumulator::default();
        for rating in 0..=10 {
            nps.push(f64::from(rating), &cutoffs);
        }
        // 0..=6 detractors (7), 7..=8 passives (2), 9..=10 promoters (2).
        assert_eq!(nps, NpsAccumulator::from_counts(2, 2, 7));
    }

    #[test]
    fn all_promoters_and_all_detractors() {
        let top = NpsAccumulator::from_counts(12, 0, 0).finish_with(0.95, NpsInterval::Wald);
        assert_eq!(top.nps, Some(100.0));
        assert_eq!(top.se, Some(0.0));
        assert_eq!(
            top.ci,
            Some(Interval {
                lower: 100.0,
                upper: 100.0
            })
        );
        let bottom = NpsAccumulator::from_counts(0, 0, 5).finish(0.95);
        assert_eq!(bottom.nps, Some(-100.0));
        assert_eq!(bottom.ci.unwrap().lower, -100.0);
    }

    #[test]
    fn one_respondent_and_none() {
        let one = NpsAccumulator::from_counts(0, 1, 0).finish(0.95);
        assert_eq!((one.nps, one.se), (Some(0.0), Some(0.0)));
        let none = NpsAccumulator::<u64>::default().finish(0.95);
        assert_eq!((none.n, none.nps, none.se, none.ci), (0, None, None, None));
    }

    #[test]
    fn interval_is_clipped() {
        // p = 0.9, d = 0: NPS 90, SE = 100·√((0.9 - 0.81)/10) = 9.486833,
        // 90 + 1.96·9.49 > 100 → clipped at 100; the margin stays unclipped.
        let score = NpsAccumulator::from_counts(9, 1, 0).finish_with(0.95, NpsInterval::Wald);
        assert!((score.se.unwrap() - 9.486_833).abs() < 1e-6);
        assert_eq!(score.ci.unwrap().upper, 100.0);
        assert!(score.margin_of_error.unwrap() > 18.0);
    }

    #[test]
    fn comparison_by_hand() {
        // The adjusted Wald test: one promoter, passive and detractor added
        // to each group. A: 51/31/21 of 103, B: 41/31/31 of 103;
        // var = (72/103 - (30/103)²)/103 and (72/103 - (10/103)²)/103;
        // B - A = -20 raw, -19.417476 adjusted; SE = 11.250884, z = -1.725862.
        // Reference: NumPy, and SciPy 1.17.1 `2 * norm.sf(1.7258622039494924)`
        // = 0.08437220581212941. (The plain Wald gave SE 11.401754.)
        let a = NpsAccumulator::from_counts(50, 30, 20).finish(0.95);
        let b = NpsAccumulator::from_counts(40, 30, 30).finish(0.95);
        let change = b.compare_to(&a).unwrap();
        assert!((change.difference - -20.0).abs() < 1e-9);
        assert!((change.se - 11.250_884_157_333_104).abs() < 1e-9);
        assert!((change.z - -1.725_862_203_949_492_4).abs() < 1e-12);
        assert!((change.p_value - 0.084_372_205_812_129_41).abs() < 1e-12);
        let reverse = a.compare_to(&b).unwrap();
        assert!((reverse.z - 1.725_862_203_949_492_4).abs() < 1e-12);
        assert!(
            b.compare_to(&NpsAccumulator::<u64>::default().finish(0.95))
                .is_none()
        );
    }

    /// A difference of nine standard errors keeps a p-value: 2 · (1 - Φ)
    /// gave 0 here. Reference: NumPy for z, SciPy 1.17.1
    /// `2 * norm.sf(9.118648039821615)` for p.
    #[test]
    fn far_differences_keep_their_p_value() {
        // 60/0/40 of 1,000 against 40/0/60, each with one of each added.
        let before = NpsAccumulator::from_counts(600, 0, 400).finish(0.95);
        let after = NpsAccumulator::from_counts(400, 0, 600).finish(0.95);
        let change = after.compare_to(&before).unwrap();
        assert!((change.z - -9.118_648_039_821_615).abs() < 1e-12);
        let expected = 7.606_728_812_898_702e-20;
        assert!(((change.p_value - expected) / expected).abs() < 1e-9);
    }

    proptest! {
        #[test]
        fn prop_unit_weights_give_the_unweighted_nps(
            ratings in proptest::collection::vec(0u8..=10, 0..60),
        ) {
            let cutoffs = NpsCutoffs::default();
            let (mut plain, mut weighted) = (NpsAccumulator::default(), NpsAccumulator::<crate::WeightSum>::default());
            for &rating in &ratings {
                plain.push(f64::from(rating), &cutoffs);
                weighted.push_unit(f64::from(rating), &cutoffs, cx_model::Weight::ONE);
            }
            for method in [NpsInterval::Wald, NpsInterval::AdjustedWald] {
                let (a, b) = (plain.finish_with(0.95, method), weighted.finish_with(0.95, method));
                prop_assert_eq!(a.weighted, None);
                prop_assert_eq!(b.weighted.map(|w| w.effective_n), Some(ratings.len() as f64));
                // Bit for bit: PartialEq on f64 would let -0.0 equal 0.0.
                prop_assert_eq!(format!("{:?}", NpsScore { weighted: None, ..b }), format!("{a:?}"));
            }
        }

        #[test]
        fn nps_stays_in_range(promoters in 0u64..500, passives in 0u64..500, detractors in 0u64..500) {
            let counts = NpsAccumulator::from_counts(promoters, passives, detractors);
            for method in [NpsInterval::AdjustedWald, NpsInterval::Wald] {
                let score = counts.finish_with(0.95, method);
                if let (Some(nps), Some(ci)) = (score.nps, score.ci) {
                    prop_assert!((-100.0..=100.0).contains(&nps));
                    prop_assert!(-100.0 <= ci.lower && ci.upper <= 100.0);
                    prop_assert!(ci.contains(nps), "{:?}: {} outside {:?}", method, nps, ci);
                    if method == NpsInterval::AdjustedWald {
                        prop_assert!(ci.upper > ci.lower, "an adjusted interval has width");
                    }
                } else {
                    prop_assert_eq!(score.n, 0);
                }
            }
        }
    }
}
