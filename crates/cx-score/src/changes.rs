//! Change and difference tests between the groups of a scorecard's
//! breakdown: each period against the one before, or two named groups,
//! every measure tested and the family's p-values adjusted together.

use cx_model::LoyaltyQuestion;
use serde::{Deserialize, Serialize};

use crate::adjust::Adjustment;
use crate::change::{MeanDifference, ShareDifference, nps_change};
use crate::cluster::ClusteredStats;
use crate::error::{Error, ErrorKind, Result};
use crate::nps::{NpsDifference, NpsScore};
use crate::scorecard::{Dimension, GroupScore, Scorecard};
use crate::stats::{Interval, ShareStats};

/// Compares the NPS of `after` with that of `before` at `confidence` by
/// the adjusted Wald test of [`NpsDifference`]; `None` when either has no
/// respondents. [`NpsScore::compare_to`] is the same at 95%.
///
/// ```
/// use cx_score::{NpsAccumulator, nps_difference};
///
/// let before = NpsAccumulator::from_counts(50, 30, 20).finish(0.95);
/// let after = NpsAccumulator::from_counts(40, 30, 30).finish(0.95);
/// let change = nps_difference(&before, &after, 0.90).ok_or("no respondents")?;
/// assert_eq!(change.difference, -20.0);
/// assert_eq!(change.confidence, 0.90);
/// assert_eq!(Some(change.p_value), after.compare_to(&before).map(|c| c.p_value));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn nps_difference(
    before: &NpsScore,
    after: &NpsScore,
    confidence: f64,
) -> Option<NpsDifference> {
    nps_change(
        before.effective_counts(),
        after.effective_counts(),
        confidence,
    )
    .map(NpsDifference::from)
}

/// Which groups of a breakdown [`compare_groups`] sets side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Pairs {
    /// Each group against the one before it in key order: for days, weeks
    /// and months, each period against the previous period that has
    /// records (a period without records is no group and is skipped). The
    /// group without a value is left out.
    Previous,
    /// These pairs of group keys, each `(before, after)`.
    Named(Vec<(String, String)>),
}

/// What [`compare_groups`] compares, and how it adjusts the p-values.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChangeOptions {
    /// The breakdown whose groups are compared.
    pub dimension: Dimension,
    /// Which of its groups.
    pub pairs: Pairs,
    /// How the p-values of all the tests are adjusted together. Default
    /// [`Adjustment::Holm`].
    pub adjustment: Adjustment,
}

impl ChangeOptions {
    /// Compares `pairs` of the breakdown by `dimension`, with Holm's
    /// adjustment.
    pub fn new(dimension: Dimension, pairs: Pairs) -> Self {
        ChangeOptions {
            dimension,
            pairs,
            adjustment: Adjustment::default(),
        }
    }
}

/// What a [`ChangeTest`] measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Measure {
    /// Net Promoter Score, per respondent.
    Nps,
    /// Yes share of "Were your expectations met?", per respondent.
    ExpectationsMet,
    /// Yes share of "Would you come back?", per respondent.
    WouldReturn,
    /// Yes share of "Would you recommend us?", per respondent.
    WouldRecommend,
    /// Share answering yes to all three loyalty questions.
    YesToAll,
    /// The whole journey's mean gap over every observation, in scale
    /// points, with its uncertainty by respondent.
    JourneyMeanGap,
    /// The whole journey's share of gaps `>= 0`, by respondent.
    JourneyMetShare,
    /// The whole journey's share of WOW moments, by respondent.
    JourneyWowShare,
    /// A touchpoint's mean gap, in scale points.
    MeanGap,
    /// A touchpoint's share of gaps `>= 0`.
    MetShare,
    /// A touchpoint's CSAT: share of reality ratings in the top two points.
    Csat,
}

impl Measure {
    /// The snake_case name, as in the JSON and CSV: `"mean_gap"`.
    ///
    /// ```
    /// assert_eq!(cx_score::Measure::MetShare.name(), "met_share");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Measure::Nps => "nps",
            Measure::ExpectationsMet => "expectations_met",
            Measure::WouldReturn => "would_return",
            Measure::WouldRecommend => "would_recommend",
            Measure::YesToAll => "yes_to_all",
            Measure::JourneyMeanGap => "journey_mean_gap",
            Measure::JourneyMetShare => "journey_met_share",
            Measure::JourneyWowShare => "journey_wow_share",
            Measure::MeanGap => "mean_gap",
            Measure::MetShare => "met_share",
            Measure::Csat => "csat",
        }
    }

    fn of_question(question: LoyaltyQuestion) -> Measure {
        match question {
            LoyaltyQuestion::ExpectationsMet => Measure::ExpectationsMet,
            LoyaltyQuestion::WouldReturn => Measure::WouldReturn,
            LoyaltyQuestion::WouldRecommend => Measure::WouldRecommend,
        }
    }
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// The result of one test, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "test", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TestResult {
    /// Two shares, Agresti-Caffo.
    Share(ShareDifference),
    /// Two means, Welch.
    Mean(MeanDifference),
    /// Two Net Promoter Scores, adjusted Wald.
    Nps(NpsDifference),
}

impl TestResult {
    /// The estimates before and after: shares as fractions, means in
    /// scale points, NPS in points.
    pub fn estimates(&self) -> (f64, f64) {
        match self {
            TestResult::Share(share) => (share.before, share.after),
            TestResult::Mean(mean) => (mean.before, mean.after),
            TestResult::Nps(nps) => (nps.before, nps.after),
        }
    }

    /// `after - before`.
    pub fn difference(&self) -> f64 {
        match self {
            TestResult::Share(share) => share.difference,
            TestResult::Mean(mean) => mean.difference,
            TestResult::Nps(nps) => nps.difference,
        }
    }

    /// The interval of the difference.
    pub fn ci(&self) -> Option<Interval> {
        match self {
            TestResult::Share(share) => share.ci,
            TestResult::Mean(mean) => mean.ci,
            TestResult::Nps(nps) => nps.ci,
        }
    }

    /// The raw two-sided p-value; `None` for a mean difference without
    /// spread.
    pub fn p_value(&self) -> Option<f64> {
        match self {
            TestResult::Share(share) => Some(share.p_value),
            TestResult::Mean(mean) => mean.p_value,
            TestResult::Nps(nps) => Some(nps.p_value),
        }
    }

    /// The effect size with its name: Cohen's `"h"` for shares, `"d"` for
    /// means and NPS.
    pub fn effect_size(&self) -> (&'static str, Option<f64>) {
        match self {
            TestResult::Share(share) => ("h", Some(share.cohens_h)),
            TestResult::Mean(mean) => ("d", mean.cohens_d),
            TestResult::Nps(nps) => ("d", nps.cohens_d),
        }
    }
}

/// One measure of one touchpoint (or of the respondents) compared between
/// two groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChangeTest {
    /// The touchpoint's id; `None` for a measure of the respondents (NPS,
    /// loyalty) or of the whole journey.
    pub touchpoint: Option<String>,
    /// The touchpoint's name; `None` likewise.
    pub name: Option<String>,
    /// What is compared.
    pub measure: Measure,
    /// Observations (or respondents) behind the measure before; for the
    /// whole journey's measures, the respondents (clusters).
    pub n_before: u64,
    /// Observations (or respondents) behind the measure after; for the
    /// whole journey's measures, the respondents.
    pub n_after: u64,
    /// Weighted, Kish's effective sample size behind the measure before,
    /// which [`small_sample`](Self::small_sample) goes by; `None`
    /// unweighted, and for the whole journey's measures, whose sizes are
    /// their respondents (not written in JSON when `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n_eff_before: Option<f64>,
    /// Weighted, Kish's effective sample size behind the measure after;
    /// see [`n_eff_before`](Self::n_eff_before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n_eff_after: Option<f64>,
    /// Either group has fewer than the scorecard's `min_sample` (weighted:
    /// effective sample size): the test is valid, but has little power to
    /// see a change.
    pub small_sample: bool,
    /// The test; `None` when either group has too little data for it (no
    /// observations; for a mean, fewer than two).
    pub result: Option<TestResult>,
    /// The p-value adjusted over every test of the [`Changes`]; `None`
    /// when there is no raw p-value.
    pub p_adjusted: Option<f64>,
}

/// Every test between two groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupChange {
    /// The first group's key (the earlier period).
    pub before: String,
    /// The second group's key.
    pub after: String,
    /// The respondent measures first (NPS, the loyalty shares), then the
    /// whole journey's mean gap, met share and WOW share, then each
    /// touchpoint's mean gap, met share and CSAT, in journey order.
    pub tests: Vec<ChangeTest>,
}

/// The change tests of a breakdown: what [`compare_groups`] returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Changes {
    /// The journey's name.
    pub journey: String,
    /// The breakdown compared.
    pub dimension: Dimension,
    /// Which of its groups were compared.
    pub pairs: Pairs,
    /// The confidence level of every interval (the scorecard's).
    pub confidence: f64,
    /// The scorecard's minimum sample, below which a test is marked
    /// [`small_sample`](ChangeTest::small_sample).
    pub min_sample: u64,
    /// How the p-values were adjusted.
    pub adjustment: Adjustment,
    /// Tests with a p-value, over every pair: the size of the family the
    /// adjustment counts.
    pub tests: usize,
    /// One entry per pair of groups compared.
    pub comparisons: Vec<GroupChange>,
    /// Whether the scorecard was weighted: its tests then carry their
    /// effective sample sizes (not written in JSON when false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weighted: bool,
}

/// Tests every change between pairs of groups of one of `card`'s
/// breakdowns, then adjusts all their p-values together.
///
/// For each pair `(before, after)`: the NPS (adjusted Wald, with its
/// promoter and detractor split), each loyalty question's yes share and the
/// yes-to-all share (Agresti-Caffo), the whole journey's mean gap, met
/// share and WOW share (Welch on their standard errors by respondent, see
/// [`MeanDifference::by_respondent`]), then for every touchpoint its mean
/// gap in points (Welch), met share and CSAT (Agresti-Caffo). Each is a
/// test between independent respondents: a touchpoint's observations come
/// one per respondent, and so do outcomes; the journey's pooled figures
/// count a respondent's several observations as one cluster. A respondent
/// in both groups (a customer who answered in two months) makes the two
/// groups not quite independent; the tests take them as independent.
/// Stages are left out, to keep the family of tests (and so the
/// adjustment) the size of what is asked most.
///
/// # Errors
///
/// [`ErrorKind::NoBreakdown`] when `card` has no breakdown by the
/// dimension; [`ErrorKind::UnknownGroup`] when a named pair names a key
/// that is not there.
///
/// # Example
///
/// ```
/// use cx_model::{Channel, Journey, Observation, Outcome, Scale, Stage, Touchpoint};
/// use cx_score::{ChangeOptions, Dimension, Measure, Pairs, ScoreConfig, ScorecardAccumulator};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store).target(4.0)))
///     .build()?;
/// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?
///     .breakdown_by(Dimension::Month);
/// // March: realities 2, 3, 3, 4; April: 4, 4, 5, 5.
/// for (respondent, reality, when) in [
///     ("a", 2.0, "2024-03-04T10:00:00Z"), ("b", 3.0, "2024-03-05T10:00:00Z"),
///     ("c", 3.0, "2024-03-06T10:00:00Z"), ("d", 4.0, "2024-03-07T10:00:00Z"),
///     ("e", 4.0, "2024-04-04T10:00:00Z"), ("f", 4.0, "2024-04-05T10:00:00Z"),
///     ("g", 5.0, "2024-04-06T10:00:00Z"), ("h", 5.0, "2024-04-07T10:00:00Z"),
/// ] {
///     scorer.try_push(&Observation::new(respondent, "till", reality).with_timestamp(when.parse()?))?;
/// }
/// let card = scorer.finish();
/// let changes = cx_score::compare_groups(&card, &ChangeOptions::new(Dimension::Month, Pairs::Previous))?;
/// let april = &changes.comparisons[0];
/// assert_eq!((april.before.as_str(), april.after.as_str()), ("2024-03", "2024-04"));
/// let gap = april.tests.iter().find(|t| t.measure == Measure::MeanGap).ok_or("no gap test")?;
/// let result = gap.result.ok_or("no result")?;
/// assert_eq!(result.difference(), 1.5); // mean gap -1.0 → +0.5
/// // SciPy: ttest_ind([4, 4, 5, 5], [2, 3, 3, 4], equal_var=False).pvalue
/// assert!((result.p_value().ok_or("no p")? - 0.027_339_309_791_909_527).abs() < 1e-12);
/// // Six tests have a p-value: the till's mean gap, met share and CSAT, and
/// // the journey's mean gap, met and WOW shares; nobody answered NPS or loyalty.
/// assert_eq!(changes.tests, 6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn compare_groups(card: &Scorecard, options: &ChangeOptions) -> Result<Changes> {
    let dimension = options.dimension;
    let breakdown = card
        .breakdowns
        .iter()
        .find(|breakdown| breakdown.dimension == dimension)
        .ok_or_else(|| {
            Error::from(ErrorKind::NoBreakdown {
                dimension: dimension.name(),
            })
        })?;
    let find = |key: &str| {
        breakdown.group(key).ok_or_else(|| {
            Error::from(ErrorKind::UnknownGroup {
                dimension: dimension.name(),
                key: key.to_owned(),
            })
        })
    };
    let mut pairs: Vec<(&str, &GroupScore, &str, &GroupScore)> = Vec::new();
    match &options.pairs {
        Pairs::Previous => {
            let keyed: Vec<(&str, &GroupScore)> = breakdown
                .groups
                .iter()
                .filter_map(|group| Some((group.key.as_deref()?, &group.score)))
                .collect();
            for window in keyed.windows(2) {
                if let [(a, before), (b, after)] = window {
                    pairs.push((a, before, b, after));
                }
            }
        }
        Pairs::Named(named) => {
            for (a, b) in named {
                pairs.push((a, find(a)?, b, find(b)?));
            }
        }
    }
    let (confidence, min_sample) = (card.config.confidence, card.config.min_sample);
    let mut comparisons: Vec<GroupChange> = pairs
        .into_iter()
        .map(|(a, before, b, after)| GroupChange {
            before: a.to_owned(),
            after: b.to_owned(),
            tests: tests(before, after, confidence, min_sample, card.weighted),
        })
        .collect();
    let raw: Vec<f64> = comparisons
        .iter()
        .flat_map(|pair| &pair.tests)
        .filter_map(|test| test.result.as_ref()?.p_value())
        .collect();
    let adjusted = options.adjustment.adjust(&raw)?;
    let mut next = adjusted.into_iter();
    for test in comparisons.iter_mut().flat_map(|pair| &mut pair.tests) {
        if test.result.as_ref().and_then(TestResult::p_value).is_some() {
            test.p_adjusted = next.next();
        }
    }
    Ok(Changes {
        journey: card.journey.clone(),
        dimension,
        pairs: options.pairs.clone(),
        confidence,
        min_sample,
        adjustment: options.adjustment,
        tests: raw.len(),
        comparisons,
        weighted: card.weighted,
    })
}

/// Every test between two groups, unadjusted.
fn tests(
    before: &GroupScore,
    after: &GroupScore,
    confidence: f64,
    min_sample: u64,
    weighted: bool,
) -> Vec<ChangeTest> {
    // `size`: the sample sizes the minimum goes by (Kish's effective
    // sample sizes, weighted, but for the journey's respondents).
    let test =
        |touchpoint: Option<(&str, &str)>, measure, n: (u64, u64), size: (f64, f64), result| {
            let effective = weighted && !measure_of_the_journey(measure);
            ChangeTest {
                touchpoint: touchpoint.map(|(id, _)| id.to_owned()),
                name: touchpoint.map(|(_, name)| name.to_owned()),
                measure,
                n_before: n.0,
                n_after: n.1,
                n_eff_before: effective.then_some(size.0),
                n_eff_after: effective.then_some(size.1),
                small_sample: size.0 < min_sample as f64 || size.1 < min_sample as f64,
                result,
                p_adjusted: None,
            }
        };
    let share = |a, b| ShareDifference::new(a, b, confidence).map(TestResult::Share);
    let shares = |a: &ShareStats, b: &ShareStats| (a.sample_size(), b.sample_size());
    let mut list = vec![test(
        None,
        Measure::Nps,
        (before.nps.n, after.nps.n),
        (before.nps.sample_size(), after.nps.sample_size()),
        nps_difference(&before.nps, &after.nps, confidence).map(TestResult::Nps),
    )];
    for (a, b) in before
        .loyalty
        .questions
        .iter()
        .zip(&after.loyalty.questions)
    {
        list.push(test(
            None,
            Measure::of_question(a.question),
            (a.yes.n, b.yes.n),
            shares(&a.yes, &b.yes),
            share(&a.yes, &b.yes),
        ));
    }
    let (a, b) = (&before.loyalty.yes_to_all, &after.loyalty.yes_to_all);
    list.push(test(
        None,
        Measure::YesToAll,
        (a.n, b.n),
        shares(a, b),
        share(a, b),
    ));
    for measure in [
        Measure::JourneyMeanGap,
        Measure::JourneyMetShare,
        Measure::JourneyWowShare,
    ] {
        let (a, b) = (journey(before, measure), journey(after, measure));
        let clusters = |side: Option<(ClusteredStats, f64)>| side.map_or(0, |(s, _)| s.clusters);
        let result = a.zip(b).and_then(|((a, sd_a), (b, sd_b))| {
            MeanDifference::by_respondent((&a, sd_a), (&b, sd_b), confidence)
        });
        let n = (clusters(a), clusters(b));
        list.push(test(
            None,
            measure,
            n,
            (n.0 as f64, n.1 as f64),
            result.map(TestResult::Mean),
        ));
    }
    for (a, b) in before.touchpoints.iter().zip(&after.touchpoints) {
        let place = Some((a.id.as_str(), a.name.as_str()));
        let (gap_a, gap_b) = (&a.stats.gap, &b.stats.gap);
        list.push(test(
            place,
            Measure::MeanGap,
            (gap_a.n, gap_b.n),
            (gap_a.sample_size(), gap_b.sample_size()),
            MeanDifference::new(&gap_a.points, &gap_b.points, confidence).map(TestResult::Mean),
        ));
        list.push(test(
            place,
            Measure::MetShare,
            (gap_a.met.n, gap_b.met.n),
            shares(&gap_a.met, &gap_b.met),
            share(&gap_a.met, &gap_b.met),
        ));
        let (csat_a, csat_b) = (&a.stats.csat, &b.stats.csat);
        list.push(test(
            place,
            Measure::Csat,
            (csat_a.n, csat_b.n),
            shares(csat_a, csat_b),
            share(csat_a, csat_b),
        ));
    }
    list
}

/// Whether `measure` is one of the whole journey's, by respondent.
fn measure_of_the_journey(measure: Measure) -> bool {
    matches!(
        measure,
        Measure::JourneyMeanGap | Measure::JourneyMetShare | Measure::JourneyWowShare
    )
}

/// A whole-journey measure of `group` by respondent, with the standard
/// deviation of its observations (for Cohen's d; of the 0/1 indicator for
/// the shares, `√(p (1 - p) n / (n - 1))`); `None` without a figure by
/// respondent or with fewer than two observations.
fn journey(group: &GroupScore, measure: Measure) -> Option<(ClusteredStats, f64)> {
    let by_respondent = group.journey.by_respondent?;
    let binary = |stats: ClusteredStats| {
        let (p, n) = (stats.mean?, stats.n as f64);
        (n > 1.0).then(|| (stats, (p * (1.0 - p) * n / (n - 1.0)).sqrt()))
    };
    match measure {
        Measure::JourneyMeanGap => Some((by_respondent.gap, group.journey.stats.gap.points.sd?)),
        Measure::JourneyMetShare => binary(by_respondent.met),
        Measure::JourneyWowShare => binary(by_respondent.wow),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
