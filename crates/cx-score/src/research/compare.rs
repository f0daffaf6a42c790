//! Running several scoring variants over the same data and comparing them.

use cx_model::{Journey, Weight};
use serde::{Deserialize, Serialize};

use crate::aggregate::TouchpointScoreInput;
use crate::config::ScoreConfig;
use crate::error::Result;
use crate::light::TrafficLight;
use crate::research::bootstrap::{Bootstrap, available_threads, percentile_interval};
use crate::research::data::{Respondent, SurveyData, Target};
use crate::research::progress::Progress;
use crate::research::stats::{
    Agreement, agreement, sorted_order, spearman, weighted_auc, weighted_pearson, weighted_spearman,
};
use crate::research::variant::{ExpectationSource, ScoringVariant};
use crate::scorecard::Dimension;
use crate::stats::Interval;
use crate::tally::{Tally, WeightSum, Weighted};

mod lights;

use lights::touchpoint_results;

/// How a comparison is run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareOptions {
    /// What the per-respondent journey scores should predict.
    pub target: Target,
    /// Bootstrap resamples of respondents; 0 for none. Default 1,000.
    pub resamples: usize,
    /// The bootstrap's seed: the same seed gives the same numbers on any
    /// machine and at any thread count. Default 42.
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
    /// Minimum sample and confidence level (the other fields are taken from
    /// each variant).
    pub config: ScoreConfig,
    /// Breakdowns whose groups get their own lights and ranks, beside the
    /// whole journey's. Segments and periods are each respondent's (the
    /// first seen), channels each touchpoint's.
    pub by: Vec<Dimension>,
}

impl CompareOptions {
    /// Options predicting `target`, with 1,000 resamples and seed 42, on
    /// every available thread, telling no one of the progress.
    pub fn new(target: Target) -> Self {
        CompareOptions {
            target,
            resamples: 1000,
            seed: 42,
            threads: available_threads(),
            progress: Progress::silent(),
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
    /// Its traffic-light policy's name.
    pub policy: String,
    /// Its journey aggregation's name.
    pub aggregation: String,
    /// Where it takes expectations from.
    pub expectations: ExpectationSource,
    /// Each cell's light, in [`Comparison::cells`] order (`None`:
    /// insufficient data).
    pub lights: Vec<Option<TrafficLight>>,
    /// Each cell's impact as an opportunity (0 when green or unlit).
    pub impacts: Vec<f64>,
    /// Each cell's rank in its group's opportunity list: 1 is fixed first;
    /// ties share their average rank.
    pub ranks: Vec<f64>,
    /// Respondents with a journey score under this variant and the target
    /// answered: the sample of its AUC, point-biserial and Spearman (a
    /// count, also when weighted).
    pub scored: u64,
    /// Weighted data only: the `scored` respondents' weights summed and
    /// their Kish effective sample size. Written only when weighted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scored_weighted: Option<Weighted>,
    /// Why the variant has no results, when it scores nobody.
    pub note: Option<VariantNote>,
    /// ROC AUC of the journey score for a yes (yes/no targets; weighted,
    /// each pair of a yes and a no counts the product of their weights).
    pub auc: Option<f64>,
    /// Percentile bootstrap interval of the AUC.
    pub auc_ci: Option<Interval>,
    /// Point-biserial correlation of the journey score with yes (yes/no
    /// targets; weighted, the weighted Pearson coefficient).
    pub point_biserial: Option<f64>,
    /// Spearman correlation of the journey score with the target (NPS: the
    /// likelihood to recommend; yes/no: 1 and 0; weighted, of weighted
    /// mid-ranks by the weights).
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
    /// Respondents with the target answered and a journey score under
    /// both: the sample of the AUC difference (a count, also when
    /// weighted).
    pub respondents: u64,
    /// Weighted data only: those respondents' weights summed and their
    /// Kish effective sample size. Written only when weighted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondents_weighted: Option<Weighted>,
    /// `AUC(a) - AUC(b)`, both on the respondents both scored.
    pub auc_difference: Option<f64>,
    /// Percentile bootstrap interval of the difference: if it excludes 0,
    /// one variant predicts better.
    pub auc_difference_ci: Option<Interval>,
    /// The two have the same policy name, expectations, WOW margin and
    /// yellow band, and lit every cell alike: their lights and opportunity
    /// ranks are the same by construction, so an agreement, kappa or rank
    /// correlation of 1 is not a finding.
    pub same_lights_by_construction: bool,
    /// The two have the same aggregation name and expectations, and gave
    /// every respondent the same journey score: the AUC difference is 0 by
    /// construction, not a finding.
    pub same_scores_by_construction: bool,
}

/// Why a variant has no results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum VariantNote {
    /// It takes expectations from the touchpoints' targets only, and the
    /// journey sets none: no gap, light or journey score.
    NoTargets,
    /// No respondent with the target answered has a journey score under it.
    ScoresNobody,
    /// Weighted data: every respondent it scores has a weight of 0, so its
    /// statistics have no sample.
    WeighsNothing,
}

impl std::fmt::Display for VariantNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            VariantNote::NoTargets => {
                "scores nobody: it uses the touchpoints' targets as expectations, and the journey sets none"
            }
            VariantNote::ScoresNobody => {
                "scores nobody: no respondent with the outcome has a journey score under it"
            }
            VariantNote::WeighsNothing => {
                "weighs nothing: every respondent it scores has a weight of 0"
            }
        })
    }
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
    /// Respondents with the target answered and a journey score under at
    /// least one variant: the sample the bootstrap resamples. Each
    /// variant's own sample is [`VariantResult::scored`], each pair's
    /// [`PairResult::respondents`].
    pub respondents: u64,
    /// Whether respondents are weighted (the data was
    /// [weighted](SurveyData::weighted)). Written only when true, so an
    /// unweighted comparison's form is as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weighted: bool,
    /// Weighted only: the weights' sum and Kish effective sample size of
    /// the [`respondents`](Self::respondents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondents_weighted: Option<Weighted>,
    /// Resamples asked for.
    pub resamples: usize,
    /// Resamples in which some AUC or AUC difference was undefined (one
    /// group absent among the respondents it uses); each statistic leaves
    /// out only the resamples in which it is itself undefined.
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

/// Two variants of a comparison and the respondents both score (1.0) or
/// not (0.0); `own[k]` when those are all the respondents variant k
/// scores.
struct PairMask {
    a: usize,
    b: usize,
    own: [bool; 2],
    mask: Vec<f64>,
}

/// Runs every variant over the same data and compares them: agreement on
/// lights (raw, Cohen's kappa, linearly weighted kappa) over every cell (the
/// whole journey's touchpoints and, with `options.by`, every breakdown
/// group's), agreement on what to fix first (Spearman correlation of
/// opportunity ranks), and how well each variant's per-respondent journey
/// score predicts the target (ROC AUC and point-biserial correlation for
/// yes/no targets, Spearman for NPS), with seeded percentile-bootstrap
/// intervals for each AUC and each pairwise AUC difference.
///
/// Each variant is scored on the respondents it can score (the target
/// answered and a journey score under it); a pair's AUC difference uses
/// the respondents both can score. A variant that scores nobody is listed
/// with a [`VariantNote`] and leaves the others' results as they are.
/// Pairs identical by construction on what is compared are marked
/// ([`PairResult::same_lights_by_construction`],
/// [`PairResult::same_scores_by_construction`]).
///
/// The bootstrap draws respondents (those scored by at least one variant)
/// with replacement, resample `i` from ChaCha8 seeded with
/// `seed_from_u64(options.seed)` on stream `i + 2`; the resamples run on
/// `options.threads` threads and are merged in resample order, so the
/// numbers are the same on any machine and at any thread count. Each
/// statistic is computed on the drawn respondents it can use. Intervals
/// are the 2.5% and 97.5% quantiles (at 95% confidence; linear
/// interpolation, Hyndman-Fan type 7). `options.progress` is told after
/// each resample.
///
/// On [weighted](SurveyData::weighted) data every statistic weighs each
/// respondent by their weight `w` (the crate docs'
/// [weighted comparison](crate#weighted-comparison) gives the formulas):
/// the AUC counts each (yes, no) pair with the product of their weights,
/// the point-biserial and Spearman coefficients are weighted Pearson
/// coefficients (Spearman's of weighted mid-ranks), the bootstrap draws
/// the same respondents and counts a respondent drawn `k` times `k · w`,
/// and each variant's cells are lit by the weighted scorecard (a cell
/// needs Kish's effective sample size to reach the minimum sample). Each
/// sample of respondents reports its weight sum and effective size beside
/// its count. With every weight 1 the comparison is the unweighted one,
/// bit for bit, but for those reported sizes.
///
/// # Errors
///
/// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) if a
/// variant's margins are invalid.
///
/// # Panics
///
/// Only if `options.progress`'s callback panics: its panic is passed on.
pub fn compare(
    data: &SurveyData,
    variants: &[&dyn ScoringVariant],
    options: &CompareOptions,
) -> Result<Comparison> {
    let journey = data.journey();
    let weighted_data = data.is_weighted();
    let target = options.target;
    // Respondents with the target and a score under at least one variant;
    // a variant's missing scores are 0.0 with a mask of 0. Each one's
    // weight as a number (1 unweighted, so that every product below
    // leaves the unweighted figures' bits alone), and as a `Weight` for
    // Kish's effective sample sizes.
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    let mut masks: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    let mut values: Vec<f64> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    let mut units: Vec<Option<Weight>> = Vec::new();
    for respondent in data.respondents() {
        let Some(value) = target.value(respondent) else {
            continue;
        };
        let row: Vec<Option<f64>> = variants
            .iter()
            .map(|variant| respondent_score(journey, respondent, *variant))
            .collect();
        if row.iter().all(Option::is_none) {
            continue;
        }
        for ((column, mask), score) in scores.iter_mut().zip(&mut masks).zip(row) {
            column.push(score.unwrap_or(0.0));
            mask.push(if score.is_some() { 1.0 } else { 0.0 });
        }
        values.push(value);
        weights.push(respondent.weight_value());
        units.push(respondent.weight);
    }
    // The weights' sum and effective size of the respondents of a mask,
    // when weighted.
    let effective = |mask: &[f64]| -> Option<Weighted> {
        let mut sums = WeightSum::default();
        let kept = units.iter().zip(mask).filter(|(_, m)| **m > 0.0);
        for unit in kept.filter_map(|(unit, _)| *unit) {
            sums.add(unit);
        }
        weighted_data.then(|| sums.weighted()).flatten()
    };
    // A mask's respondents with their weights.
    let weighed =
        |mask: &[f64]| -> Vec<f64> { mask.iter().zip(&weights).map(|(m, w)| m * w).collect() };
    let outcomes: Vec<bool> = values.iter().map(|v| *v > 0.5).collect();
    let binary = target.is_binary();
    let orders: Vec<Vec<usize>> = scores.iter().map(|column| sorted_order(column)).collect();
    let count = |mask: &[f64]| mask.iter().filter(|m| **m > 0.0).count();
    // Per pair, the mask of respondents both score, and whether it is
    // each one's own (then the variant's own AUC serves).
    let mut pair_masks: Vec<PairMask> = Vec::new();
    for a in 0..variants.len() {
        for b in a + 1..variants.len() {
            let mask: Vec<f64> = masks[a].iter().zip(&masks[b]).map(|(x, y)| x * y).collect();
            let both = count(&mask);
            pair_masks.push(PairMask {
                a,
                b,
                own: [both == count(&masks[a]), both == count(&masks[b])],
                mask,
            });
        }
    }
    let auc = |i: usize, weights: &[f64]| -> Option<f64> {
        weighted_auc(&scores[i], &outcomes, &orders[i], weights)
    };
    let difference = |pair: &PairMask, weights: &[f64], own: &[Option<f64>]| -> Option<f64> {
        let on_common = |i: usize, is_own: bool| -> Option<f64> {
            if is_own {
                own[i]
            } else {
                let w: Vec<f64> = weights.iter().zip(&pair.mask).map(|(w, m)| w * m).collect();
                auc(i, &w)
            }
        };
        Some(on_common(pair.a, pair.own[0])? - on_common(pair.b, pair.own[1])?)
    };

    let mut results = Vec::with_capacity(variants.len());
    let mut cells = Vec::new();
    for (i, variant) in variants.iter().enumerate() {
        let cell_results = touchpoint_results(data, *variant, options)?;
        cells = cell_results.cells;
        let mut own: [Vec<f64>; 3] = Default::default();
        for (((score, value), weight), _) in scores[i]
            .iter()
            .zip(&values)
            .zip(&weights)
            .zip(&masks[i])
            .filter(|(_, m)| **m > 0.0)
        {
            own[0].push(*score);
            own[1].push(*value);
            own[2].push(*weight);
        }
        let [own_scores, own_values, own_weights] = own;
        let scored = own_scores.len() as u64;
        let scored_weighted = effective(&masks[i]);
        let weighs_nothing = scored_weighted.is_some_and(|w| w.weight <= 0.0);
        let no_targets = variant.expectations() == ExpectationSource::Target
            && journey.touchpoints().all(|t| t.target.is_none());
        results.push(VariantResult {
            name: variant.name().to_owned(),
            policy: variant.policy().name().to_owned(),
            aggregation: variant.aggregation().name().to_owned(),
            expectations: variant.expectations(),
            lights: cell_results.lights,
            ranks: cell_results.ranks,
            impacts: cell_results.impacts,
            scored,
            scored_weighted,
            note: match (scored, no_targets) {
                (0, true) => Some(VariantNote::NoTargets),
                (0, false) => Some(VariantNote::ScoresNobody),
                _ => weighs_nothing.then_some(VariantNote::WeighsNothing),
            },
            auc: binary.then(|| auc(i, &weighed(&masks[i]))).flatten(),
            auc_ci: None,
            // The target's values are 1 and 0 here: Pearson's coefficient
            // of them is the point-biserial one.
            point_biserial: binary
                .then(|| weighted_pearson(&own_scores, &own_values, &own_weights))
                .flatten(),
            spearman: weighted_spearman(&own_scores, &own_values, &own_weights),
        });
    }

    // The bootstrap: multiplicities of a resample, then every AUC in one
    // sweep each, and a pair's only where its respondents differ.
    let full: Vec<Option<f64>> = results.iter().map(|r| r.auc).collect();
    let defined: Vec<bool> = full.iter().map(Option::is_some).collect();
    let pair_defined: Vec<bool> = pair_masks
        .iter()
        .map(|pair| binary && difference(pair, &weights, &full).is_some())
        .collect();
    let mut skipped = 0;
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    let mut pair_samples: Vec<Vec<f64>> = vec![Vec::new(); pair_masks.len()];
    if binary && options.resamples > 0 && !values.is_empty() {
        let bootstrap = Bootstrap {
            seed: options.seed,
            resamples: options.resamples,
            threads: options.threads,
            progress: &options.progress,
        };
        // The variants themselves need not be `Sync`: only their count
        // goes to the bootstrap's threads.
        let count = variants.len();
        let resampled = bootstrap.run(values.len(), |draws| {
            // A respondent drawn k times counts k times their weight.
            for (draw, weight) in draws.iter_mut().zip(&weights) {
                *draw *= weight;
            }
            let aucs: Vec<Option<f64>> = (0..count)
                .map(|i| {
                    let w: Vec<f64> = draws.iter().zip(&masks[i]).map(|(w, m)| w * m).collect();
                    auc(i, &w)
                })
                .collect();
            let differences: Vec<Option<f64>> = pair_masks
                .iter()
                .map(|pair| difference(pair, draws, &aucs))
                .collect();
            (aucs, differences)
        });
        for (aucs, differences) in resampled {
            let variants_complete = gather(&mut samples, &aucs, &defined);
            let pairs_complete = gather(&mut pair_samples, &differences, &pair_defined);
            if !(variants_complete && pairs_complete) {
                skipped += 1;
            }
        }
    }
    let confidence = options.config.confidence;
    for (result, sample) in results.iter_mut().zip(&mut samples) {
        result.auc_ci = percentile_interval(sample, confidence);
    }

    let overall = journey.touchpoint_count();
    let mut pairs = Vec::new();
    for (pair, sample) in pair_masks.iter().zip(&mut pair_samples) {
        let (a, b) = (pair.a, pair.b);
        let (first, second) = (&results[a], &results[b]);
        let (va, vb) = (variants[a], variants[b]);
        let same_parts = va.expectations() == vb.expectations();
        let same_lights = same_parts
            && va.policy().name() == vb.policy().name()
            && va.wow_margin() == vb.wow_margin()
            && va.yellow_band() == vb.yellow_band()
            && first.lights == second.lights
            && first.impacts == second.impacts;
        let same_scores = same_parts
            && va.aggregation().name() == vb.aggregation().name()
            && masks[a] == masks[b]
            && scores[a] == scores[b];
        pairs.push(PairResult {
            a: first.name.clone(),
            b: second.name.clone(),
            lights: agreement(&first.lights, &second.lights),
            rank_correlation: spearman(
                first.ranks.get(..overall).unwrap_or_default(),
                second.ranks.get(..overall).unwrap_or_default(),
            ),
            respondents: count(&pair.mask) as u64,
            respondents_weighted: effective(&pair.mask),
            auc_difference: binary.then(|| difference(pair, &weights, &full)).flatten(),
            auc_difference_ci: percentile_interval(sample, confidence),
            same_lights_by_construction: same_lights,
            same_scores_by_construction: same_scores,
        });
    }
    Ok(Comparison {
        cells,
        target,
        respondents: values.len() as u64,
        weighted: weighted_data,
        respondents_weighted: effective(&vec![1.0; values.len()]),
        resamples: options.resamples,
        resamples_skipped: skipped,
        seed: options.seed,
        variants: results,
        pairs,
    })
}

/// Adds one resample's statistics to their samples, and tells whether
/// each was defined. A statistic undefined on the whole sample (a variant
/// or pair that scores nobody: `defined` false) is undefined in every
/// resample, and that does not make the resample incomplete.
fn gather(samples: &mut [Vec<f64>], resample: &[Option<f64>], defined: &[bool]) -> bool {
    let mut complete = true;
    for ((sample, value), defined) in samples.iter_mut().zip(resample).zip(defined) {
        match value {
            Some(value) => sample.push(*value),
            None => complete &= !defined,
        }
    }
    complete
}

// The tests live beside, to keep this file under 800 lines.
#[cfg(test)]
mod tests;
