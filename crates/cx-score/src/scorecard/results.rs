//! What a finished scorecard holds, and how an accumulator's groups are
//! finished into it.

use std::collections::BTreeMap;

use cx_model::{Channel, Journey, Scale};
use serde::{Deserialize, Serialize};

use super::clusters::ClusteredPooled;
use super::groups::{Dimension, GroupAccumulator};
use crate::aggregate::{JourneyAggregation, TouchpointScoreInput};
use crate::cell::{CellAccumulator, CellStats, Grid};
use crate::config::ScoreConfig;
use crate::gap::GapStats;
use crate::light::{TrafficLight, TrafficLightPolicy};
use crate::loyalty::LoyaltyScore;
use crate::nps::NpsScore;
use crate::rejection::RejectReason;
use crate::stats::MeanStats;
use crate::tally::Tally;

/// How many records were read, accepted and rejected; `read = accepted +
/// rejected` always holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordCounts {
    /// Records pushed.
    pub read: u64,
    /// Records scored.
    pub accepted: u64,
    /// Records refused, per reason.
    pub rejected: BTreeMap<RejectReason, u64>,
}

impl RecordCounts {
    /// All rejected records, over every reason.
    pub fn rejected_total(&self) -> u64 {
        self.rejected.values().sum()
    }

    pub(crate) fn merge(&mut self, other: &RecordCounts) {
        self.read += other.read;
        self.accepted += other.accepted;
        for (reason, count) in &other.rejected {
            *self.rejected.entry(*reason).or_default() += count;
        }
    }
}

/// What was read, for reconciling against the input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Counts {
    /// Observations.
    pub observations: RecordCounts,
    /// Respondent outcomes.
    pub outcomes: RecordCounts,
}

/// The finished scorecard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Scorecard {
    /// The journey's name.
    pub journey: String,
    /// The journey's rating scale.
    pub scale: Scale,
    /// The traffic-light policy's name.
    pub policy: String,
    /// The journey aggregation's name.
    pub aggregation: String,
    /// The parameters used.
    pub config: ScoreConfig,
    /// Whether every figure is weighted by respondent weights: each mean,
    /// share and NPS then carries `weighted` (the weights' sum and Kish's
    /// effective sample size). Written only when true, so an unweighted
    /// scorecard's form is as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weighted: bool,
    /// What was read, accepted and rejected.
    pub counts: Counts,
    /// All respondents together.
    pub overall: GroupScore,
    /// One entry per requested breakdown, in the order requested.
    pub breakdowns: Vec<Breakdown>,
}

/// The results of one dimension's breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Breakdown {
    /// What the groups split by.
    pub dimension: Dimension,
    /// The groups in key order, then the group without a value (key `None`).
    pub groups: Vec<BreakdownGroup>,
}

/// One group of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BreakdownGroup {
    /// The group's value, e.g. `"smb"` or `"2024-W11"`; `None` for records
    /// without a value.
    pub key: Option<String>,
    /// The group's results.
    pub score: GroupScore,
}

/// Every result for one group of respondents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupScore {
    /// Per touchpoint, in journey order.
    pub touchpoints: Vec<TouchpointScore>,
    /// Per stage, in journey order.
    pub stages: Vec<StageScore>,
    /// The whole journey.
    pub journey: PooledScore,
    /// Outcomes accepted in this group.
    pub outcomes: u64,
    /// The three loyalty questions.
    pub loyalty: LoyaltyScore,
    /// Net Promoter Score.
    pub nps: NpsScore,
    /// Customer effort ratings.
    pub effort: MeanStats,
    /// Yellow and red touchpoints, largest impact first.
    pub opportunities: Vec<Opportunity>,
}

/// One touchpoint's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TouchpointScore {
    /// Position in journey order, counting from 0.
    pub index: usize,
    /// The touchpoint's id.
    pub id: String,
    /// The touchpoint's name.
    pub name: String,
    /// The name of its stage.
    pub stage: String,
    /// Its channel.
    pub channel: Channel,
    /// Its weight.
    pub weight: f64,
    /// Whether it is the first contact of the journey.
    pub first_contact: bool,
    /// Whether it is the last contact of the journey.
    pub last_contact: bool,
    /// Whether it is a moment of truth.
    pub moment_of_truth: bool,
    /// The statistics.
    pub stats: CellStats,
    /// The traffic light; `None` when data is insufficient or the policy
    /// cannot decide.
    pub light: Option<TrafficLight>,
    /// Fewer observations with a gap than the minimum sample (an effective
    /// sample below it, weighted): the numbers are reported, but nobody
    /// should act on them.
    pub insufficient_data: bool,
}

/// One stage's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StageScore {
    /// The stage's name.
    pub name: String,
    /// The pooled results of its touchpoints.
    pub pooled: PooledScore,
}

/// Results pooled over several touchpoints (a stage or the whole journey).
///
/// `stats` treats every observation as independent, as a spreadsheet over
/// the rows would (and as the figures checked against pandas do);
/// `by_respondent` gives the gap, met and WOW figures their uncertainty by
/// respondent, whose several answers are not independent (see
/// [`ClusteredMoments`](crate::ClusteredMoments)). The light is judged on
/// the interval by respondent where there is one (with two respondents or
/// more, all on the grid), so the cautious policy does not take the narrow
/// interval for certainty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PooledScore {
    /// Statistics over all their observations together.
    pub stats: CellStats,
    /// The gap, met and WOW figures with their uncertainty by respondent
    /// (weighted by respondent in a weighted scorecard); `None` when no
    /// observation has a gap.
    pub by_respondent: Option<ClusteredPooled>,
    /// The aggregation of the touchpoints' mean normalized gaps (touchpoints
    /// without a gap left out).
    pub score: Option<f64>,
    /// The traffic light of the pooled statistics.
    pub light: Option<TrafficLight>,
    /// Fewer pooled gaps than the minimum sample.
    pub insufficient_data: bool,
}

/// A touchpoint worth improving: yellow or red, ranked by impact.
///
/// `impact = weight × reach × shortfall`, where reach is the number of
/// observations with a gap and shortfall is the negative mean normalized gap
/// (0 when the mean gap is not negative).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Opportunity {
    /// Rank, counting from 1.
    pub rank: usize,
    /// Position of the touchpoint in journey order.
    pub index: usize,
    /// The touchpoint's id.
    pub id: String,
    /// The touchpoint's name.
    pub name: String,
    /// Its light.
    pub light: TrafficLight,
    /// Its weight.
    pub weight: f64,
    /// Observations with a gap.
    pub reach: u64,
    /// `-mean normalized gap`, at least 0.
    pub shortfall: f64,
    /// `weight × reach × shortfall`.
    pub impact: f64,
    /// Whether it is a moment of truth.
    pub moment_of_truth: bool,
}

pub(crate) struct Finisher<'a> {
    pub(crate) journey: &'a Journey,
    pub(crate) config: &'a ScoreConfig,
    /// The accumulator's grid, on which its cells counted.
    pub(crate) grid: &'a Grid,
    pub(crate) policy: &'a dyn TrafficLightPolicy,
    pub(crate) aggregation: &'a dyn JourneyAggregation,
}

impl Finisher<'_> {
    fn judge(&self, gap: &GapStats) -> (Option<TrafficLight>, bool) {
        let insufficient = gap.sample_size() < self.config.min_sample as f64;
        let light = if insufficient {
            None
        } else {
            self.policy.light(gap)
        };
        (light, insufficient)
    }

    fn pooled<'c, T: Tally>(
        &self,
        cells: impl Iterator<Item = (usize, &'c CellAccumulator<T>)>,
        by_respondent: Option<ClusteredPooled>,
    ) -> PooledScore {
        let grid = self.grid;
        let mut pooled = CellAccumulator::default();
        let mut inputs = Vec::new();
        for (index, cell) in cells {
            pooled.merge(cell);
            // A cell without gaps has no mean gap, so no input.
            let stats = cell.finish(grid, self.config.confidence);
            if let (Some(score), Some(touchpoint)) =
                (stats.gap.normalized.mean, self.journey.touchpoint(index))
            {
                inputs.push(TouchpointScoreInput {
                    index,
                    weight: touchpoint.weight,
                    score,
                });
            }
        }
        let stats = pooled.finish(grid, self.config.confidence);
        let span = grid.thresholds().span;
        let (light, insufficient_data) = self.judge(&judged_by_respondent(
            &stats.gap,
            by_respondent.as_ref(),
            span,
        ));
        PooledScore {
            score: self.aggregation.aggregate(&inputs),
            stats,
            by_respondent,
            light,
            insufficient_data,
        }
    }

    pub(crate) fn group<T: Tally>(&self, group: &GroupAccumulator<T>) -> GroupScore {
        let journey = self.journey;
        let grid = self.grid;
        let touchpoints: Vec<TouchpointScore> = journey
            .touchpoints()
            .zip(&group.touchpoints)
            .enumerate()
            .map(|(index, (touchpoint, cell))| {
                let stats = cell.finish(grid, self.config.confidence);
                let (light, insufficient_data) = self.judge(&stats.gap);
                let stage = journey
                    .stage_of(index)
                    .and_then(|stage| journey.stages().get(stage))
                    .map(|stage| stage.name.clone())
                    .unwrap_or_default();
                TouchpointScore {
                    index,
                    id: touchpoint.id.clone(),
                    name: touchpoint.name.clone(),
                    stage,
                    channel: touchpoint.channel.clone(),
                    weight: touchpoint.weight,
                    first_contact: journey.is_first(index),
                    last_contact: journey.is_last(index),
                    moment_of_truth: touchpoint.moment_of_truth,
                    stats,
                    light,
                    insufficient_data,
                }
            })
            .collect();
        let (journey_by_respondent, stages_by_respondent) = group
            .pooled
            .finish(journey.stages().len(), self.config.confidence);
        let mut first = 0;
        let stages = journey
            .stages()
            .iter()
            .enumerate()
            .map(|(index, stage)| {
                let range = first..first + stage.touchpoints.len();
                first = range.end;
                let cells = range
                    .clone()
                    .zip(group.touchpoints.get(range).unwrap_or_default());
                StageScore {
                    name: stage.name.clone(),
                    pooled: self.pooled(cells, stages_by_respondent.get(index).copied().flatten()),
                }
            })
            .collect();
        GroupScore {
            opportunities: opportunities(&touchpoints),
            touchpoints,
            stages,
            journey: self.pooled(group.touchpoints.iter().enumerate(), journey_by_respondent),
            outcomes: group.outcomes,
            loyalty: group.loyalty.finish(
                self.config.confidence,
                self.config.loyalty_target,
                self.config.min_sample,
            ),
            nps: group
                .nps
                .finish_with(self.config.confidence, self.config.nps_interval),
            effort: group.effort.finish(self.config.confidence),
        }
    }
}

fn opportunities(touchpoints: &[TouchpointScore]) -> Vec<Opportunity> {
    let mut list: Vec<Opportunity> = touchpoints
        .iter()
        .filter_map(|touchpoint| {
            let light = touchpoint
                .light
                .filter(|light| *light != TrafficLight::Green)?;
            let gap = &touchpoint.stats.gap;
            let shortfall = gap.normalized.mean.map_or(0.0, |mean| (-mean).max(0.0));
            Some(Opportunity {
                rank: 0,
                index: touchpoint.index,
                id: touchpoint.id.clone(),
                name: touchpoint.name.clone(),
                light,
                weight: touchpoint.weight,
                reach: gap.n,
                shortfall,
                impact: touchpoint.weight * gap.n as f64 * shortfall,
                moment_of_truth: touchpoint.moment_of_truth,
            })
        })
        .collect();
    // Largest impact first; equal impacts keep journey order.
    list.sort_by(|a, b| b.impact.total_cmp(&a.impact).then(a.index.cmp(&b.index)));
    for (rank, opportunity) in list.iter_mut().enumerate() {
        opportunity.rank = rank + 1;
    }
    list
}

/// The pooled gap as the policy judges it: with the mean gap's standard
/// error and interval by respondent, where there are.
fn judged_by_respondent(
    gap: &GapStats,
    clustered: Option<&ClusteredPooled>,
    span: f64,
) -> GapStats {
    let mut gap = *gap;
    if let Some(clustered) = clustered
        && let (Some(se), Some(ci)) = (clustered.gap.se, clustered.gap.ci)
        && span > 0.0
    {
        gap.points.se = Some(se);
        gap.points.ci = Some(ci);
        gap.normalized.se = Some(se / span);
        gap.normalized.ci = Some(ci.scaled(1.0 / span));
    }
    gap
}
