//! Running several scoring variants over the same data and comparing them.

use cx_model::{Journey, Observation};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::aggregate::TouchpointScoreInput;
use crate::config::ScoreConfig;
use crate::error::Result;
use crate::light::TrafficLight;
use crate::research::data::{Respondent, SurveyData, Target};
use crate::research::stats::{
    Agreement, agreement, average_ranks, point_biserial, quantile, sorted_order, spearman,
    weighted_auc,
};
use crate::research::variant::{ExpectationSource, ScoringVariant};
use crate::scorecard::{Dimension, GroupScore, ScorecardAccumulator};
use crate::stats::Interval;

/// How a comparison is run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareOptions {
    /// What the per-respondent journey scores should predict.
    pub target: Target,
    /// Bootstrap resamples of respondents; 0 for none. Default 1,000.
    pub resamples: usize,
    /// The bootstrap's seed: the same seed gives the same numbers on any
    /// machine. Default 42.
    pub seed: u64,
    /// Minimum sample and confidence level (the other fields are taken from
    /// each variant).
    pub config: ScoreConfig,
    /// Breakdowns whose groups get their own lights and ranks, beside the
    /// whole journey's. Segments and periods are each respondent's (the
    /// first seen), channels each touchpoint's.
    pub by: Vec<Dimension>,
}

impl CompareOptions {
    /// Options predicting `target`, with 1,000 resamples and seed 42.
    pub fn new(target: Target) -> Self {
        CompareOptions {
            target,
            resamples: 1000,
            seed: 42,
            config: ScoreConfig::default(),
            by: Vec::new(),
        }
    }
}

/// One variant's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VariantResult {
    /// The variant's name.
    pub name: String,
    /// Each cell's light, in [`Comparison::cells`] order (`None`:
    /// insufficient data).
    pub lights: Vec<Option<TrafficLight>>,
    /// Each cell's impact as an opportunity (0 when green or unlit).
    pub impacts: Vec<f64>,
    /// Each cell's rank in its group's opportunity list: 1 is fixed first;
    /// ties share their average rank.
    pub ranks: Vec<f64>,
    /// Respondents with a journey score and the target answered.
    pub scored: u64,
    /// ROC AUC of the journey score for a yes (yes/no targets).
    pub auc: Option<f64>,
    /// Percentile bootstrap interval of the AUC.
    pub auc_ci: Option<Interval>,
    /// Point-biserial correlation of the journey score with yes (yes/no targets).
    pub point_biserial: Option<f64>,
    /// Spearman correlation of the journey score with the target (NPS: the
    /// likelihood to recommend; yes/no: 1 and 0).
    pub spearman: Option<f64>,
}

/// How two variants compare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PairResult {
    /// The first variant's name.
    pub a: String,
    /// The second variant's name.
    pub b: String,
    /// Agreement on the lights of every cell (the whole journey's
    /// touchpoints and every breakdown group's).
    pub lights: Agreement,
    /// Spearman correlation of their opportunity rankings of the whole
    /// journey's touchpoints.
    pub rank_correlation: Option<f64>,
    /// `AUC(a) - AUC(b)` on the respondents both scored.
    pub auc_difference: Option<f64>,
    /// Percentile bootstrap interval of the difference: if it excludes 0,
    /// one variant predicts better.
    pub auc_difference_ci: Option<Interval>,
}

/// One touchpoint in one group: the unit that gets a light.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cell {
    /// The breakdown, or `None` for the whole journey.
    pub dimension: Option<Dimension>,
    /// The group's key within the breakdown (`None` for the whole journey or
    /// for records without a value).
    pub group: Option<String>,
    /// The touchpoint's id.
    pub touchpoint: String,
}

/// The comparison of several variants on one survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Comparison {
    /// The cells lit: the whole journey's touchpoints in journey order, then
    /// each breakdown group's.
    pub cells: Vec<Cell>,
    /// What the journey scores predict.
    pub target: Target,
    /// Respondents with the target answered and a score under every
    /// variant: the sample of the AUCs and the bootstrap.
    pub respondents: u64,
    /// Resamples asked for.
    pub resamples: usize,
    /// Resamples in which an AUC was undefined (one group absent), left out.
    pub resamples_skipped: usize,
    /// The bootstrap's seed.
    pub seed: u64,
    /// Per variant, in the order given.
    pub variants: Vec<VariantResult>,
    /// Per pair of variants, in the order given.
    pub pairs: Vec<PairResult>,
}

/// A variant's journey score for one respondent: its aggregation of the
/// respondent's normalized gaps (touchpoints without a gap left out).
pub fn respondent_score(
    journey: &Journey,
    respondent: &Respondent,
    variant: &dyn ScoringVariant,
) -> Option<f64> {
    let span = journey.scale().span();
    let inputs: Vec<TouchpointScoreInput> = respondent
        .ratings
        .iter()
        .filter_map(|rating| {
            let touchpoint = journey.touchpoint(rating.index)?;
            let expectation = match variant.expectations() {
                ExpectationSource::Respondent => rating.expectation.or(touchpoint.target),
                ExpectationSource::Target => touchpoint.target,
            }?;
            Some(TouchpointScoreInput {
                index: rating.index,
                weight: touchpoint.weight,
                score: (rating.reality? - expectation) / span,
            })
        })
        .collect();
    variant.aggregation().aggregate(&inputs)
}

/// One variant's cells: for each group (the whole journey, then every
/// breakdown group), each touchpoint's light, impact and rank.
struct CellResults {
    cells: Vec<Cell>,
    lights: Vec<Option<TrafficLight>>,
    impacts: Vec<f64>,
    ranks: Vec<f64>,
}

/// The variant's scorecard lights and opportunity impacts per cell.
fn touchpoint_results(
    data: &SurveyData,
    variant: &dyn ScoringVariant,
    options: &CompareOptions,
) -> Result<CellResults> {
    let journey = data.journey();
    let config = ScoreConfig {
        wow_margin: variant.wow_margin(),
        yellow_band: variant.yellow_band(),
        ..options.config
    };
    let mut scorer = options.by.iter().fold(
        ScorecardAccumulator::new(journey.clone(), config)?,
        |scorer, dimension| scorer.breakdown_by(*dimension),
    );
    for respondent in data.respondents() {
        for rating in &respondent.ratings {
            let Some(touchpoint) = journey.touchpoint(rating.index) else {
                continue;
            };
            let reality = rating
                .reality
                .or(journey.scale().not_applicable())
                .unwrap_or(f64::NAN);
            let mut observation =
                Observation::new(respondent.id.as_str(), touchpoint.id.as_str(), reality);
            if variant.expectations() == ExpectationSource::Respondent {
                observation.expectation = rating.expectation;
            }
            observation.segment.clone_from(&respondent.segment);
            observation.timestamp = respondent.timestamp;
            scorer.push(&observation);
        }
    }
    let card = scorer.finish_with(variant.policy(), variant.aggregation());
    let mut results = CellResults {
        cells: Vec::new(),
        lights: Vec::new(),
        impacts: Vec::new(),
        ranks: Vec::new(),
    };
    let mut add = |dimension: Option<Dimension>, key: Option<&str>, group: &GroupScore| {
        let mut impacts = vec![0.0; group.touchpoints.len()];
        for opportunity in &group.opportunities {
            if let Some(impact) = impacts.get_mut(opportunity.index) {
                *impact = opportunity.impact;
            }
        }
        let negative: Vec<f64> = impacts.iter().map(|impact| -impact).collect();
        results.ranks.extend(average_ranks(&negative));
        results.impacts.extend(impacts);
        for touchpoint in &group.touchpoints {
            results.cells.push(Cell {
                dimension,
                group: key.map(str::to_owned),
                touchpoint: touchpoint.id.clone(),
            });
            results.lights.push(touchpoint.light);
        }
    };
    add(None, None, &card.overall);
    for breakdown in &card.breakdowns {
        for group in &breakdown.groups {
            add(
                Some(breakdown.dimension),
                group.key.as_deref(),
                &group.score,
            );
        }
    }
    Ok(results)
}

/// Runs every variant over the same data and compares them: agreement on
/// lights (raw, Cohen's kappa, linearly weighted kappa) over every cell (the
/// whole journey's touchpoints and, with `options.by`, every breakdown
/// group's), agreement on what to fix first (Spearman correlation of opportunity ranks), and how well
/// each variant's per-respondent journey score predicts the target (ROC AUC
/// and point-biserial correlation for yes/no targets, Spearman for NPS),
/// with seeded percentile-bootstrap intervals for each AUC and each pairwise
/// AUC difference.
///
/// The bootstrap draws respondents with replacement from one ChaCha8 stream
/// seeded with `options.seed`, in a fixed order, so the numbers are the same
/// on any machine and thread count. Intervals are the 2.5% and 97.5%
/// quantiles (at 95% confidence; linear interpolation, Hyndman-Fan type 7).
///
/// # Errors
///
/// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) if a
/// variant's margins are invalid.
pub fn compare(
    data: &SurveyData,
    variants: &[&dyn ScoringVariant],
    options: &CompareOptions,
) -> Result<Comparison> {
    let journey = data.journey();
    let target = options.target;
    // Respondents with the target and a score under every variant.
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    let mut values: Vec<f64> = Vec::new();
    for respondent in data.respondents() {
        let Some(value) = target.value(respondent) else {
            continue;
        };
        let row: Option<Vec<f64>> = variants
            .iter()
            .map(|variant| respondent_score(journey, respondent, *variant))
            .collect();
        if let Some(row) = row {
            for (column, score) in scores.iter_mut().zip(row) {
                column.push(score);
            }
            values.push(value);
        }
    }
    let outcomes: Vec<bool> = values.iter().map(|v| *v > 0.5).collect();
    let binary = target.is_binary();
    let orders: Vec<Vec<usize>> = scores.iter().map(|column| sorted_order(column)).collect();
    let unit = vec![1.0; values.len()];

    let mut results = Vec::with_capacity(variants.len());
    let mut cells = Vec::new();
    for (i, variant) in variants.iter().enumerate() {
        let cell_results = touchpoint_results(data, *variant, options)?;
        cells = cell_results.cells;
        results.push(VariantResult {
            name: variant.name().to_owned(),
            lights: cell_results.lights,
            ranks: cell_results.ranks,
            impacts: cell_results.impacts,
            scored: values.len() as u64,
            auc: binary
                .then(|| weighted_auc(&scores[i], &outcomes, &orders[i], &unit))
                .flatten(),
            auc_ci: None,
            point_biserial: binary
                .then(|| point_biserial(&scores[i], &outcomes))
                .flatten(),
            spearman: spearman(&scores[i], &values),
        });
    }

    // The bootstrap: multiplicities of a resample, then every AUC in one sweep each.
    let mut skipped = 0;
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    if binary && options.resamples > 0 && !values.is_empty() {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let mut weights = vec![0.0; values.len()];
        for _ in 0..options.resamples {
            weights.iter_mut().for_each(|w| *w = 0.0);
            for _ in 0..values.len() {
                weights[rng.random_range(0..values.len())] += 1.0;
            }
            let aucs: Option<Vec<f64>> = (0..variants.len())
                .map(|i| weighted_auc(&scores[i], &outcomes, &orders[i], &weights))
                .collect();
            match aucs {
                Some(aucs) => samples
                    .iter_mut()
                    .zip(aucs)
                    .for_each(|(s, auc)| s.push(auc)),
                None => skipped += 1,
            }
        }
    }
    let alpha = (1.0 - options.config.confidence) / 2.0;
    let interval = |mut sample: Vec<f64>| -> Option<Interval> {
        sample.sort_by(f64::total_cmp);
        Some(Interval {
            lower: quantile(&sample, alpha)?,
            upper: quantile(&sample, 1.0 - alpha)?,
        })
    };
    for (result, sample) in results.iter_mut().zip(&samples) {
        result.auc_ci = interval(sample.clone());
    }

    let overall = journey.touchpoint_count();
    let mut pairs = Vec::new();
    for a in 0..variants.len() {
        for b in a + 1..variants.len() {
            let (first, second) = (&results[a], &results[b]);
            let differences: Vec<f64> = samples[a]
                .iter()
                .zip(&samples[b])
                .map(|(x, y)| x - y)
                .collect();
            pairs.push(PairResult {
                a: first.name.clone(),
                b: second.name.clone(),
                lights: agreement(&first.lights, &second.lights),
                rank_correlation: spearman(
                    first.ranks.get(..overall).unwrap_or_default(),
                    second.ranks.get(..overall).unwrap_or_default(),
                ),
                auc_difference: first.auc.zip(second.auc).map(|(x, y)| x - y),
                auc_difference_ci: interval(differences),
            });
        }
    }
    Ok(Comparison {
        cells,
        target,
        respondents: values.len() as u64,
        resamples: options.resamples,
        resamples_skipped: skipped,
        seed: options.seed,
        variants: results,
        pairs,
    })
}
