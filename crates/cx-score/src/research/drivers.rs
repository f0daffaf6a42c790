//! Key drivers: which touchpoints move the outcome, and where to act.
//!
//! What the analysis refuses to claim, and why:
//!
//! - **Per-touchpoint minimum.** A touchpoint rated by fewer than
//!   [`DriverOptions::min_sample`] respondents with the outcome (default
//!   30, the default `min_sample` of the scorecard's
//!   [`ScoreConfig`](crate::ScoreConfig), so that a touchpoint too thin
//!   for a light is too thin for a weight) is listed with its n, its
//!   correlations and its mean, but it is left out of the weights'
//!   correlation matrix and gets no weight, quadrant or flag.
//! - **Missing ratings.** Pairwise deletion (the default) computes each
//!   correlation on the respondents who have both values; listwise
//!   deletion ([`MissingData::Listwise`]) keeps only the respondents who
//!   rated every touchpoint that is weighted. Pairwise is the default
//!   because a journey's respondents rarely live every touchpoint: on the
//!   bundled retail sample no respondent rated all ten, so listwise
//!   deletion would leave nobody. Its cost is that a pairwise matrix need
//!   not be positive semi-definite, which is checked and reported.
//! - **Collinearity.** The touchpoints' correlation matrix is checked
//!   before it is decomposed ([`Conditioning`]): a condition index above
//!   30 names the touchpoints involved and keeps the weights (Johnson's
//!   weights are made for correlated predictors, and the bootstrap shows
//!   their instability); a singular matrix, or one with a negative
//!   eigenvalue, gets no weights at all, since how it would split the
//!   outcome among the collinear touchpoints is an artefact of the
//!   pseudo-inverse, not a finding.
//! - **Significance.** Relative weights are never negative, so a
//!   bootstrap interval of a weight cannot include 0 and cannot test it.
//!   The test is instead that of Tonidandel, LeBreton and Johnson (2009):
//!   a random variable (uniform, drawn from the seed) joins the
//!   touchpoints, and a touchpoint is significant when the percentile
//!   bootstrap interval of its raw weight minus the random variable's
//!   lies above 0. An interval that includes 0 marks the weight not
//!   significant.
//! - **Respondent weights.** On [weighted](SurveyData::weighted) data
//!   every estimate weighs each respondent by their weight `w` (see the
//!   crate docs' [weighted drivers](crate#weighted-drivers)): Pearson's
//!   correlations and the matrix the relative weights decompose are
//!   weighted, so are the means (performance), Spearman's coefficient is
//!   the weighted Pearson coefficient of weighted mid-ranks (as R's
//!   `wCorr`), and the per-touchpoint minimum goes by Kish's effective
//!   sample size `(Σw)² / Σw²` instead of the count. The bootstrap draws
//!   the same respondents from the same seed and weighs each draw by its
//!   respondent's weight. With every weight 1 the analysis is the
//!   unweighted one, bit for bit, but for the reported effective sizes.

use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, Result};
use crate::research::bootstrap::{Bootstrap, available_threads, noise, percentile_interval};
use crate::research::data::{SurveyData, Target};
use crate::research::progress::Progress;
use crate::research::stats::{weighted_pearson, weighted_spearman};
use crate::research::weights::{Conditioning, Table, conditioning, correlations, relative_weights};
use crate::stats::Interval;
use crate::tally::{Tally, WeightSum, Weighted};

/// What the weights' correlation matrix does with a respondent who did not
/// rate every touchpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingData {
    /// Each correlation uses the respondents who have both values (the
    /// default: keeps every answer, but the matrix may not be positive
    /// semi-definite).
    #[default]
    Pairwise,
    /// Only respondents who rated every weighted touchpoint count (always a
    /// proper correlation matrix, often of far fewer respondents).
    Listwise,
}

impl MissingData {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            MissingData::Pairwise => "pairwise",
            MissingData::Listwise => "listwise",
        }
    }
}

/// How a driver analysis is run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverOptions {
    /// The outcome the touchpoints drive.
    pub target: Target,
    /// Bootstrap resamples for the relative weights' intervals and their
    /// significance; 0 for none. Default 200.
    pub resamples: usize,
    /// The bootstrap's seed (and the random variable's): the same seed
    /// gives the same numbers on any machine and at any thread count.
    /// Default 42.
    pub seed: u64,
    /// Threads the bootstrap's resamples run on (0 counts as 1). The
    /// numbers do not depend on it: each resample draws from its own
    /// stream of the seed, and the results are merged in resample order.
    /// Default: the machine's available parallelism. Not serialized
    /// (deserialized options take the default).
    #[serde(skip, default = "available_threads")]
    pub threads: usize,
    /// Told after each bootstrap resample (by default, nobody). Not
    /// serialized.
    #[serde(skip)]
    pub progress: Progress,
    /// The analysis is refused below this many respondents with the outcome
    /// (a count, weighted or not). Default 30.
    pub min_respondents: u64,
    /// Touchpoints rated by fewer respondents with the outcome get no
    /// weight, quadrant or flag (weighted: when their Kish effective
    /// sample size is below it). Default 30, as the scorecard's
    /// [`ScoreConfig::min_sample`](crate::ScoreConfig::min_sample).
    pub min_sample: u64,
    /// Pairwise (default) or listwise deletion of missing ratings.
    pub missing: MissingData,
    /// Confidence level of the intervals, in (0, 1). Default 0.95.
    pub confidence: f64,
}

impl DriverOptions {
    /// Options for `target` with the defaults: 200 resamples, seed 42, on
    /// every available thread, telling no one of the progress.
    ///
    /// ```
    /// use cx_score::research::{DriverOptions, MissingData, Target};
    ///
    /// let options = DriverOptions::new(Target::Nps);
    /// assert_eq!((options.min_sample, options.missing), (30, MissingData::Pairwise));
    /// ```
    pub fn new(target: Target) -> Self {
        DriverOptions {
            target,
            resamples: 200,
            seed: 42,
            threads: available_threads(),
            progress: Progress::silent(),
            min_respondents: 30,
            min_sample: crate::ScoreConfig::default().min_sample,
            missing: MissingData::Pairwise,
            confidence: 0.95,
        }
    }
}

/// Where a touchpoint sits in the importance-performance grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// Important and below average: act here first.
    ConcentrateHere,
    /// Important and above average.
    KeepUpTheGoodWork,
    /// Less important and below average.
    LowPriority,
    /// Less important but above average: effort may be better spent elsewhere.
    PossibleOverkill,
}

impl Quadrant {
    /// The quadrant's name in words.
    pub fn name(self) -> &'static str {
        match self {
            Quadrant::ConcentrateHere => "concentrate here",
            Quadrant::KeepUpTheGoodWork => "keep up the good work",
            Quadrant::LowPriority => "low priority",
            Quadrant::PossibleOverkill => "possible overkill",
        }
    }
}

/// Why an analysis has no relative weights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum WeightsWithheld {
    /// No touchpoint reaches the minimum sample.
    NoTouchpoint {
        /// The minimum sample.
        min_sample: u64,
    },
    /// Listwise deletion left fewer respondents than the analysis needs.
    TooFewCompleteCases {
        /// Respondents who rated every weighted touchpoint.
        found: u64,
        /// The minimum ([`DriverOptions::min_respondents`]).
        minimum: u64,
    },
    /// The touchpoints' correlation matrix is singular or not positive
    /// semi-definite ([`DriverAnalysis::conditioning`] says which, and
    /// names the touchpoints).
    Matrix,
}

impl std::fmt::Display for WeightsWithheld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WeightsWithheld::NoTouchpoint { min_sample } => write!(
                f,
                "no touchpoint is rated by {min_sample} or more respondents with the outcome"
            ),
            WeightsWithheld::TooFewCompleteCases { found, minimum } => write!(
                f,
                "listwise deletion leaves {found} respondents who rated every weighted \
                 touchpoint, fewer than {minimum}"
            ),
            WeightsWithheld::Matrix => {
                f.write_str("the touchpoints' correlation matrix cannot be decomposed")
            }
        }
    }
}

/// One touchpoint as a driver of the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Driver {
    /// The touchpoint's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Respondents with both a rating here and the outcome (a count, also
    /// when weighted).
    pub n: u64,
    /// Weighted data only: the `n` respondents' weights summed and their
    /// Kish effective sample size, which the minimum sample goes by.
    /// Written only when weighted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighted: Option<Weighted>,
    /// `n` (weighted: the effective sample size) is below the minimum
    /// sample: the touchpoint is described (n, correlations, mean) but not
    /// weighted, placed or flagged.
    pub below_min_sample: bool,
    /// Pearson correlation of the reality rating with the outcome, over
    /// the `n` respondents (weighted, by their weights).
    pub pearson: Option<f64>,
    /// Spearman correlation of the reality rating with the outcome
    /// (weighted: of their weighted mid-ranks, by their weights).
    pub spearman: Option<f64>,
    /// Johnson's relative weight, rescaled so that the weighted
    /// touchpoints sum to 100.
    pub relative_weight: Option<f64>,
    /// Its percentile bootstrap interval.
    pub relative_weight_ci: Option<Interval>,
    /// The percentile bootstrap interval of the touchpoint's raw weight
    /// minus that of a random variable added to the touchpoints (in units
    /// of R²).
    pub raw_weight_vs_random_ci: Option<Interval>,
    /// Whether that interval lies above 0; `None` without a bootstrap or
    /// weights.
    pub significant: Option<bool>,
    /// Mean reality rating (weighted: `Σwx / Σw`; `None` when the weights
    /// sum to 0).
    pub mean_reality: Option<f64>,
    /// Mean reality normalized to 0..=1 on the scale: the performance axis.
    pub performance: Option<f64>,
    /// Importance (Pearson correlation) against performance, split at their
    /// means over the touchpoints that reach the minimum sample.
    pub quadrant: Option<Quadrant>,
    /// Whether the journey marks it as a moment of truth.
    pub moment_of_truth: bool,
    /// Its relative weight is at least 1.5 times the average share
    /// (100 / weighted touchpoints), and not found insignificant, although
    /// the journey does not mark it as a moment of truth.
    pub unmarked_moment_of_truth: bool,
}

/// The key drivers of an outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DriverAnalysis {
    /// The outcome.
    pub target: Target,
    /// Respondents with the outcome.
    pub respondents: u64,
    /// Whether respondents are weighted (the data was
    /// [weighted](SurveyData::weighted)). Written only when true, so an
    /// unweighted analysis's form is as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weighted: bool,
    /// Weighted only: the weights' sum and Kish effective sample size of
    /// the respondents with the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondents_weighted: Option<Weighted>,
    /// How missing ratings were handled in the weights' matrix.
    pub missing: MissingData,
    /// Respondents behind the weights' correlation matrix and its
    /// bootstrap: every respondent with the outcome when pairwise, those
    /// who rated every weighted touchpoint when listwise.
    pub weight_respondents: u64,
    /// Weighted only: the weights' sum and Kish effective sample size of
    /// the respondents behind the weights' matrix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_respondents_weighted: Option<Weighted>,
    /// The per-touchpoint minimum sample.
    pub min_sample: u64,
    /// Variance of the outcome explained by the weighted touchpoints
    /// together (the sum of the raw relative weights).
    pub r_squared: Option<f64>,
    /// The weighted touchpoints' correlation matrix: its condition and
    /// collinear touchpoints; `None` when no touchpoint is weighted.
    pub conditioning: Option<Conditioning>,
    /// Why there are no relative weights, if there are none.
    pub weights_withheld: Option<WeightsWithheld>,
    /// Bootstrap resamples.
    pub resamples: usize,
    /// The bootstrap's seed.
    pub seed: u64,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Per touchpoint, in journey order.
    pub drivers: Vec<Driver>,
}

/// Shares of 100 of raw weights; `None` each when they sum to 0.
fn percent(raw: &[f64]) -> Vec<Option<f64>> {
    let total: f64 = raw.iter().sum();
    raw.iter()
        .map(|w| (total > 0.0).then(|| 100.0 * w / total))
        .collect()
}

/// The bootstrap of the weights: per weighted touchpoint the percentile
/// intervals of its share and of its raw weight minus the random
/// variable's. `table`'s last predictor column is the random variable;
/// `weights` are its rows' respondent weights, by which each draw's
/// multiplicity is multiplied (1 unweighted, which changes no bit), and
/// `unit` their mean.
fn bootstrap(
    table: &Table,
    weights: &[f64],
    unit: f64,
    options: &DriverOptions,
) -> Vec<(Option<Interval>, Option<Interval>)> {
    let weighted = table.width.saturating_sub(1);
    let bootstrap = Bootstrap {
        seed: options.seed,
        resamples: options.resamples,
        threads: options.threads,
        progress: &options.progress,
    };
    // Per resample, each touchpoint's share, and each one's raw weight
    // minus the random variable's (when it has one).
    let resampled = bootstrap.run(table.outcome.len(), |multiplicities| {
        for (multiplicity, weight) in multiplicities.iter_mut().zip(weights) {
            *multiplicity *= weight;
        }
        let augmented = correlations(table, multiplicities, unit);
        let plain = augmented
            .clone()
            .remove_row(weighted)
            .remove_column(weighted);
        let raw = relative_weights(&augmented);
        let versus: Option<Vec<f64>> = raw
            .get(weighted)
            .map(|random| raw.iter().take(weighted).map(|w| w - random).collect());
        (percent(&relative_weights(&plain)), versus)
    });
    let mut shares: Vec<Vec<f64>> = vec![Vec::new(); weighted];
    let mut versus: Vec<Vec<f64>> = vec![Vec::new(); weighted];
    for (resample_shares, resample_versus) in resampled {
        for (sample, share) in shares.iter_mut().zip(resample_shares) {
            if let Some(share) = share {
                sample.push(share);
            }
        }
        for (sample, w) in versus.iter_mut().zip(resample_versus.into_iter().flatten()) {
            sample.push(w);
        }
    }
    shares
        .iter_mut()
        .zip(versus.iter_mut())
        .map(|(share, versus)| {
            (
                percentile_interval(share, options.confidence),
                percentile_interval(versus, options.confidence),
            )
        })
        .collect()
}

/// Finds which touchpoints drive the outcome: per touchpoint the Pearson and
/// Spearman correlations of the reality rating with the outcome (yes = 1,
/// no = 0 for the loyalty questions, where Pearson is the point-biserial
/// correlation; likelihood to recommend for NPS), Johnson's relative
/// weights rescaled to sum to 100 with seeded percentile-bootstrap
/// intervals and a significance test, mean performance and the
/// importance-performance quadrant. The module docs say what is withheld
/// when, and why.
///
/// Each touchpoint's n, correlations and mean use every respondent who
/// rated it; [`DriverOptions::missing`] decides only the correlation matrix
/// that the weights decompose. For a yes/no outcome the weights decompose
/// the linear probability model's R², the usual approximation for binary
/// criteria.
///
/// The bootstrap draws respondents (those behind the weights' matrix) with
/// replacement, resample `i` from ChaCha8 seeded with
/// `seed_from_u64(options.seed)` on stream `i + 2` (the random variable
/// is stream 1), as [`compare`](crate::research::compare) draws them; the
/// resamples run on `options.threads` threads and are merged in resample
/// order, so the numbers are the same at any thread count.
/// `options.progress` is told after each resample. Intervals are
/// percentile intervals (Hyndman-Fan type 7 quantiles).
///
/// On [weighted](SurveyData::weighted) data each respondent counts with
/// their weight in every correlation, mean and bootstrap draw, and the
/// per-touchpoint minimum goes by Kish's effective sample size (the
/// module docs say how; the crate docs give the formulas).
///
/// # Errors
///
/// [`ErrorKind::TooFewRespondents`] below `min_respondents` respondents
/// with the outcome; [`ErrorKind::InvalidConfig`] for a confidence level
/// outside (0, 1).
///
/// # Panics
///
/// Only if `options.progress`'s callback panics: its panic is passed on.
///
/// # Example
///
/// ```
/// use cx_model::{Channel, Journey, Observation, Outcome, Scale, Stage, Touchpoint};
/// use cx_score::research::{drivers, DriverOptions, SurveyData, Target};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy")
///         .touchpoint(Touchpoint::new("till", "Till", Channel::Store))
///         .touchpoint(Touchpoint::new("lift", "Lift", Channel::Store)))
///     .build()?;
/// let mut data = SurveyData::new(journey);
/// for r in 0..40 {
///     let id = format!("r{r}");
///     data.push(&Observation::new(id.as_str(), "till", f64::from(1 + r % 5)))?;
///     if r < 5 {
///         data.push(&Observation::new(id.as_str(), "lift", f64::from(1 + r % 5)))?;
///     }
///     data.push_outcome(&Outcome::new(id.as_str()).with_likelihood_to_recommend(f64::from(2 * (r % 5))))?;
/// }
/// let analysis = drivers(&data, &DriverOptions { resamples: 0, ..DriverOptions::new(Target::Nps) })?;
/// let (till, lift) = (&analysis.drivers[0], &analysis.drivers[1]);
/// assert_eq!(till.relative_weight, Some(100.0));
/// // Five respondents rated the lift: described, not weighted.
/// assert!(lift.below_min_sample && lift.n == 5);
/// assert_eq!((lift.relative_weight, lift.quadrant), (None, None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn drivers(data: &SurveyData, options: &DriverOptions) -> Result<DriverAnalysis> {
    if !(options.confidence > 0.0 && options.confidence < 1.0) {
        return Err(ErrorKind::InvalidConfig {
            field: "confidence",
            value: options.confidence.to_string(),
            expected: "a number between 0 and 1",
        }
        .into());
    }
    let journey = data.journey();
    let p = journey.touchpoint_count();
    let mut table = Table {
        width: p,
        rows: Vec::new(),
        outcome: Vec::new(),
    };
    // Each row's respondent: their weight as a number (1 unweighted), and
    // as a `Weight` for Kish's effective sample sizes.
    let mut weights: Vec<f64> = Vec::new();
    let mut units = Vec::new();
    for respondent in data.respondents() {
        let Some(value) = options.target.value(respondent) else {
            continue;
        };
        let mut row = vec![None; p];
        for rating in &respondent.ratings {
            if let Some(slot) = row.get_mut(rating.index) {
                *slot = rating.reality;
            }
        }
        table.rows.push(row);
        table.outcome.push(value);
        weights.push(respondent.weight_value());
        units.push(respondent.weight);
    }
    let weighted_data = data.is_weighted();
    // The weights' sum and effective size of some rows, when weighted.
    let effective = |rows: &mut dyn Iterator<Item = usize>| -> Option<Weighted> {
        let mut sums = WeightSum::default();
        for unit in rows.filter_map(|r| units.get(r).copied().flatten()) {
            sums.add(unit);
        }
        weighted_data.then(|| sums.weighted()).flatten()
    };
    let found = table.outcome.len() as u64;
    if found < options.min_respondents {
        return Err(ErrorKind::TooFewRespondents {
            target: options.target.name().to_owned(),
            found,
            minimum: options.min_respondents,
        }
        .into());
    }

    // Each touchpoint described on its own respondents.
    let scale = journey.scale();
    let mut drivers: Vec<Driver> = journey
        .touchpoints()
        .enumerate()
        .map(|(j, touchpoint)| {
            let rated: Vec<usize> = (0..table.rows.len())
                .filter(|&r| table.rows[r].get(j).copied().flatten().is_some())
                .collect();
            let x: Vec<f64> = rated
                .iter()
                .filter_map(|&r| table.rows[r].get(j).copied().flatten())
                .collect();
            let y: Vec<f64> = rated.iter().map(|&r| table.outcome[r]).collect();
            let w: Vec<f64> = rated.iter().map(|&r| weights[r]).collect();
            // Σwx / Σw: unweighted, Σx / n to the bit (each w is 1).
            let total: f64 = w.iter().sum();
            let mean =
                (total > 0.0).then(|| x.iter().zip(&w).map(|(x, w)| w * x).sum::<f64>() / total);
            let weighted = effective(&mut rated.iter().copied());
            let size = weighted.map_or(x.len() as f64, |w| w.effective_n);
            Driver {
                id: touchpoint.id.clone(),
                name: touchpoint.name.clone(),
                n: x.len() as u64,
                weighted,
                below_min_sample: size < options.min_sample as f64,
                pearson: weighted_pearson(&x, &y, &w),
                spearman: weighted_spearman(&x, &y, &w),
                relative_weight: None,
                relative_weight_ci: None,
                raw_weight_vs_random_ci: None,
                significant: None,
                mean_reality: mean,
                performance: mean.map(|m| (m - scale.min()) / scale.span()),
                quadrant: None,
                moment_of_truth: touchpoint.moment_of_truth,
                unmarked_moment_of_truth: false,
            }
        })
        .collect();

    // The weights' table: weighted touchpoints only, then the random
    // variable; under listwise deletion only the complete rows.
    let weighted: Vec<usize> = (0..p).filter(|&j| !drivers[j].below_min_sample).collect();
    let complete = |row: &Vec<Option<f64>>| weighted.iter().all(|&j| row[j].is_some());
    let kept: Vec<usize> = (0..table.rows.len())
        .filter(|&r| options.missing == MissingData::Pairwise || complete(&table.rows[r]))
        .collect();
    let outcome: Vec<f64> = kept.iter().map(|&r| table.outcome[r]).collect();
    let kept_weights: Vec<f64> = kept.iter().map(|&r| weights[r]).collect();
    let random = uncorrelated(noise(options.seed, kept.len()), &outcome, &kept_weights);
    let weights_table = Table {
        width: weighted.len() + 1,
        rows: kept
            .iter()
            .zip(&random)
            .map(|(&r, &u)| {
                let mut row: Vec<Option<f64>> =
                    weighted.iter().map(|&j| table.rows[r][j]).collect();
                row.push(Some(u));
                row
            })
            .collect(),
        outcome,
    };
    let weight_respondents = kept.len() as u64;
    // The mean respondent weight: 1 unweighted (n / n), exactly.
    let unit = kept_weights.iter().sum::<f64>() / kept_weights.len().max(1) as f64;
    let augmented = correlations(&weights_table, &kept_weights, unit);
    let q = weighted.len();
    let plain = augmented.clone().remove_row(q).remove_column(q);
    let ids: Vec<&str> = weighted.iter().map(|&j| drivers[j].id.as_str()).collect();
    // Too few complete rows make any matrix meaningless: not checked then.
    let minimum = options.min_respondents.max(2);
    let too_few = options.missing == MissingData::Listwise && weight_respondents < minimum;
    let conditioning = if weighted.is_empty() || too_few {
        None
    } else {
        conditioning(&plain, &ids)
    };
    let withheld = if weighted.is_empty() {
        Some(WeightsWithheld::NoTouchpoint {
            min_sample: options.min_sample,
        })
    } else if too_few {
        Some(WeightsWithheld::TooFewCompleteCases {
            found: weight_respondents,
            minimum,
        })
    } else if conditioning
        .as_ref()
        .is_some_and(|c| !c.status.has_weights())
    {
        Some(WeightsWithheld::Matrix)
    } else {
        None
    };

    let mut r_squared = None;
    if withheld.is_none() {
        let raw = relative_weights(&plain);
        let total: f64 = raw.iter().sum();
        r_squared = (total > 0.0).then_some(total);
        let intervals = if options.resamples > 0 {
            bootstrap(&weights_table, &kept_weights, unit, options)
        } else {
            vec![(None, None); q]
        };
        for ((&j, share), (share_ci, versus_ci)) in
            weighted.iter().zip(percent(&raw)).zip(intervals)
        {
            let driver = &mut drivers[j];
            driver.relative_weight = share;
            driver.relative_weight_ci = share_ci;
            driver.raw_weight_vs_random_ci = versus_ci;
            driver.significant = versus_ci.map(|ci| ci.lower > 0.0);
        }
    }

    place_in_quadrants(&mut drivers);
    let strong = 1.5 * 100.0 / q.max(1) as f64;
    for driver in &mut drivers {
        driver.unmarked_moment_of_truth = !driver.moment_of_truth
            && driver.significant != Some(false)
            && driver.relative_weight.is_some_and(|w| w >= strong);
    }
    Ok(DriverAnalysis {
        target: options.target,
        respondents: found,
        weighted: weighted_data,
        respondents_weighted: effective(&mut (0..table.rows.len())),
        missing: options.missing,
        weight_respondents,
        weight_respondents_weighted: effective(&mut kept.iter().copied()),
        min_sample: options.min_sample,
        r_squared,
        conditioning,
        weights_withheld: withheld,
        resamples: options.resamples,
        seed: options.seed,
        confidence: options.confidence,
        drivers,
    })
}

/// `noise` less its weighted least-squares fit on `outcome`, so that the
/// two are uncorrelated in the sample (under the respondents' `weights`,
/// all 1 unweighted): the random variable of the significance test then
/// has no chance correlation with the outcome in the full sample, and its
/// weight in a resample is the sampling noise of a predictor without
/// effect (with one raw draw, a chance correlation of two standard errors
/// would make every weight look insignificant).
fn uncorrelated(mut noise: Vec<f64>, outcome: &[f64], weights: &[f64]) -> Vec<f64> {
    let n = outcome.len().min(noise.len()).min(weights.len());
    let total: f64 = weights.iter().take(n).sum();
    if n < 2 || total <= 0.0 {
        return noise;
    }
    // Unit weights give the unweighted sums: each w · x is x.
    let weighted_sum =
        |values: &[f64]| -> f64 { values.iter().zip(weights).map(|(v, w)| w * v).sum::<f64>() };
    let mean_y = weighted_sum(outcome) / total;
    let mean_u = weighted_sum(&noise) / total;
    let (mut syy, mut suy) = (0.0, 0.0);
    for ((u, y), w) in noise.iter().zip(outcome).zip(weights) {
        syy += w * ((y - mean_y) * (y - mean_y));
        suy += w * ((u - mean_u) * (y - mean_y));
    }
    if syy > 0.0 {
        let slope = suy / syy;
        for (u, y) in noise.iter_mut().zip(outcome) {
            *u -= slope * (y - mean_y);
        }
    }
    noise
}

/// Importance (Pearson) against performance, each split at its mean over
/// the touchpoints that reach the minimum sample and have both.
fn place_in_quadrants(drivers: &mut [Driver]) {
    let placed: Vec<(f64, f64)> = drivers
        .iter()
        .filter(|d| !d.below_min_sample)
        .filter_map(|d| d.pearson.zip(d.performance))
        .collect();
    if placed.is_empty() {
        return;
    }
    let count = placed.len() as f64;
    let importance_mean = placed.iter().map(|(i, _)| i).sum::<f64>() / count;
    let performance_mean = placed.iter().map(|(_, p)| p).sum::<f64>() / count;
    for driver in drivers.iter_mut().filter(|d| !d.below_min_sample) {
        if let (Some(importance), Some(performance)) = (driver.pearson, driver.performance) {
            driver.quadrant = Some(
                match (
                    importance >= importance_mean,
                    performance >= performance_mean,
                ) {
                    (true, false) => Quadrant::ConcentrateHere,
                    (true, true) => Quadrant::KeepUpTheGoodWork,
                    (false, false) => Quadrant::LowPriority,
                    (false, true) => Quadrant::PossibleOverkill,
                },
            );
        }
    }
}

// The tests live beside, to keep this file under 800 lines.
#[cfg(test)]
mod tests;
