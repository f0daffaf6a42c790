//! The scorecard: every metric per touchpoint, per stage and for the whole
//! journey, optionally broken down by segment, channel and period.

mod clusters;
mod groups;
mod outcomes;
mod results;
mod rows;

pub use clusters::ClusteredPooled;
pub use groups::Dimension;
pub(crate) use groups::{BreakdownAccumulator, GroupAccumulator};
pub(crate) use results::Finisher;
pub use results::{
    Breakdown, BreakdownGroup, Counts, GroupScore, Opportunity, PooledScore, RecordCounts,
    Scorecard, StageScore, TouchpointScore,
};

use std::sync::Arc;

use cx_model::{Journey, ObservationBatch, ObservationRecord, OutcomeRecord, RespondentOrder};
use serde::{Deserialize, Serialize};

use crate::aggregate::{JourneyAggregation, WeightedMean};
use crate::cell::Grid;
use crate::check::unknown_touchpoint;
use crate::config::ScoreConfig;
use crate::diff::first_difference;
use crate::error::{Error, ErrorKind};
use crate::light::{ThresholdPolicy, TrafficLightPolicy};
use crate::rejection::{RejectReason, Rejection};
use crate::tally::{Tally, WeightSum};

/// Scores a journey survey in one pass: push observations and outcomes, merge
/// partial accumulators, finish into a [`Scorecard`].
///
/// Memory grows with touchpoints × breakdown groups, never with rows or
/// respondents. On a scale of at most eleven whole points, each cell
/// counts whole-point ratings by their (reality, expectation) pair, at most
/// 132 counts, and sums them only when finished: one increment per
/// observation, and the same results, to the bit. The accumulator is
/// serde-serializable, so partial states can travel between threads,
/// processes or machines and be merged there; for a state stored or
/// received from elsewhere, [`to_state_bytes`](Self::to_state_bytes) and
/// [`from_state_bytes`](Self::from_state_bytes) (or their JSON twins) add
/// a version tag and check what the state claims, which plain
/// deserialization does not.
///
/// Every record is either accepted or rejected with a [`RejectReason`], and
/// counted either way. [`try_push`](Self::try_push) returns the rejection for
/// callers that stop at the first bad record; [`push`](Self::push) only counts
/// it.
///
/// ```
/// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
/// use cx_score::{Dimension, ScoreConfig, ScorecardAccumulator};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
///     .build()?;
/// let mut north = ScorecardAccumulator::new(journey.clone(), ScoreConfig::default())?
///     .breakdown_by(Dimension::Segment);
/// let mut south = north.clone();
/// north.push(&Observation::new("a", "till", 4.0).with_expectation(3.0).with_segment("new"));
/// south.push(&Observation::new("b", "till", 2.0).with_expectation(4.0).with_segment("new"));
/// south.push(&Observation::new("c", "nowhere", 2.0)); // counted as rejected
/// north.merge(&south)?;
///
/// let card = north.finish();
/// let till = &card.overall.touchpoints[0];
/// assert_eq!(till.stats.gap.points.mean, Some(-0.5)); // (1 + -2) / 2
/// assert_eq!(card.counts.observations.read, 3);
/// assert_eq!(card.counts.observations.rejected_total(), 1);
/// assert_eq!(card.breakdowns[0].groups[0].key.as_deref(), Some("new"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Weighted ([`weighted`](ScorecardAccumulator::weighted), a
/// `ScorecardAccumulator<WeightSum>`), every observation and outcome
/// counts with its respondent's [`Weight`](cx_model::Weight), a record
/// without one is rejected ([`RejectReason::MissingWeight`]), and every
/// mean, share, NPS and minimum-sample check goes by the weights and
/// Kish's effective sample size (see [the definitions](crate#weights)).
/// The same code scores both: unweighted, each record counts as one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "StoredScorecard<T>", bound = "")]
pub struct ScorecardAccumulator<T: Tally = u64> {
    /// Shared: an accumulator is cloned for each part of the data (a
    /// block, a partition, a group), and the clones' merges need not
    /// compare the journey field by field.
    journey: Arc<Journey>,
    config: ScoreConfig,
    /// The cells' grid, which the scale and `config` settle: made once
    /// rather than for every observation, and made again, not stored, when
    /// a state is deserialized.
    #[serde(skip_serializing)]
    grid: Grid,
    total: GroupAccumulator<T>,
    breakdowns: Vec<BreakdownAccumulator<T>>,
    observations: RecordCounts,
    outcomes: RecordCounts,
    /// Whether each respondent's records come together; see
    /// [`respondent_order`](Self::respondent_order).
    respondents: RespondentOrder,
    /// The most groups a breakdown holds. A setting of this process, like
    /// a thread count, not of the data: not written in a state, and a
    /// state read back has the default.
    #[serde(skip_serializing)]
    max_groups: usize,
}

/// The default of [`ScorecardAccumulator::max_groups`]: ten thousand groups
/// per breakdown, a few hundred megabytes at most on a journey of a few
/// dozen touchpoints (see the README's "Limits and hardening").
pub const DEFAULT_MAX_GROUPS: usize = 10_000;

/// A [`ScorecardAccumulator`] as serialized: all but its grid.
#[derive(Deserialize)]
#[serde(bound = "")]
pub(crate) struct StoredScorecard<T: Tally = u64> {
    journey: Journey,
    config: ScoreConfig,
    total: GroupAccumulator<T>,
    breakdowns: Vec<BreakdownAccumulator<T>>,
    observations: RecordCounts,
    outcomes: RecordCounts,
    respondents: RespondentOrder,
}

impl<T: Tally> From<StoredScorecard<T>> for ScorecardAccumulator<T> {
    fn from(stored: StoredScorecard<T>) -> Self {
        ScorecardAccumulator {
            grid: Grid::new(stored.journey.scale(), &stored.config),
            journey: Arc::new(stored.journey),
            config: stored.config,
            total: stored.total,
            breakdowns: stored.breakdowns,
            observations: stored.observations,
            outcomes: stored.outcomes,
            respondents: stored.respondents,
            max_groups: DEFAULT_MAX_GROUPS,
        }
    }
}

impl ScorecardAccumulator {
    /// An empty accumulator for `journey`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`] if `config` does not
    /// [`validate`](ScoreConfig::validate).
    pub fn new(journey: Journey, config: ScoreConfig) -> Result<Self, Error> {
        Self::with_tally(journey, config)
    }
}

impl ScorecardAccumulator<WeightSum> {
    /// An empty accumulator for `journey` that weighs every record by its
    /// respondent's weight.
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint, Weight};
    /// use cx_score::{RejectReason, ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut scorer = ScorecardAccumulator::weighted(journey, ScoreConfig::default())?;
    /// // Reality 5 at weight 3, reality 1 at weight 1: mean (15 + 1) / 4 = 4.
    /// scorer.try_push(&Observation::new("a", "till", 5.0).with_weight(Weight::new(3.0)?))?;
    /// scorer.try_push(&Observation::new("b", "till", 1.0).with_weight(Weight::ONE))?;
    /// let refused = scorer.try_push(&Observation::new("c", "till", 3.0)).unwrap_err();
    /// assert_eq!(refused.reason, RejectReason::MissingWeight);
    /// let card = scorer.finish();
    /// let reality = &card.overall.touchpoints[0].stats.reality;
    /// assert_eq!((reality.n, reality.mean), (2, Some(4.0)));
    /// // Kish: n_eff = 4² / (9 + 1) = 1.6.
    /// assert_eq!(reality.weighted.map(|w| w.effective_n), Some(1.6));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`] if `config` does not
    /// [`validate`](ScoreConfig::validate).
    pub fn weighted(journey: Journey, config: ScoreConfig) -> Result<Self, Error> {
        Self::with_tally(journey, config)
    }
}

impl<T: Tally> ScorecardAccumulator<T> {
    /// An empty accumulator counting with `T`.
    fn with_tally(journey: Journey, config: ScoreConfig) -> Result<Self, Error> {
        config.validate()?;
        let touchpoints = journey.touchpoint_count();
        Ok(ScorecardAccumulator {
            grid: Grid::new(journey.scale(), &config),
            journey: Arc::new(journey),
            config,
            total: GroupAccumulator::new(touchpoints),
            breakdowns: Vec::new(),
            observations: RecordCounts::default(),
            outcomes: RecordCounts::default(),
            respondents: RespondentOrder::Contiguous,
            max_groups: DEFAULT_MAX_GROUPS,
        })
    }

    /// Says whether each respondent's records come together (the default,
    /// [`RespondentOrder::Contiguous`]) or may come in any order
    /// ([`RespondentOrder::Scattered`]). It decides what a respondent is
    /// for the pooled figures by respondent (the journey's and the
    /// stages' gap, met and WOW with their cluster-robust intervals):
    /// contiguous, a run of records of one id, in constant memory;
    /// scattered, every record of one id wherever it comes, each
    /// respondent's sums held to the end (memory grows with the
    /// respondents: about 300 bytes each in every group they are in, see
    /// the README's "Limits and hardening"). Set it before pushing; states
    /// of two orders do not merge.
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, RespondentOrder, Scale, Stage, Touchpoint};
    /// use cx_score::{ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let rows = [("a", 4.0), ("b", 5.0), ("c", 3.0), ("b", 5.0), ("c", 3.0)];
    /// let respondents = |order| -> Result<u64, Box<dyn std::error::Error>> {
    ///     let mut scorer = ScorecardAccumulator::new(journey.clone(), ScoreConfig::default())?
    ///         .respondent_order(order);
    ///     for (id, reality) in rows {
    ///         scorer.push(&Observation::new(id, "till", reality).with_expectation(4.0));
    ///     }
    ///     let card = scorer.finish();
    ///     Ok(card.overall.journey.by_respondent.map_or(0, |pooled| pooled.gap.clusters))
    /// };
    /// // Five runs of one record each, but three respondents.
    /// assert_eq!(respondents(RespondentOrder::Contiguous)?, 5);
    /// assert_eq!(respondents(RespondentOrder::Scattered)?, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn respondent_order(mut self, order: RespondentOrder) -> Self {
        self.respondents = order;
        self
    }

    /// Limits every breakdown to `limit` groups (by default
    /// [`DEFAULT_MAX_GROUPS`]), besides the group of records without a
    /// value. Memory grows with the groups, so a key column of strangers'
    /// data (a segment per respondent) could otherwise take all of it. A
    /// record whose key would be one group too many is rejected, with
    /// [`RejectReason::TooManyGroups`], and counted: scored nowhere, not
    /// even in the whole survey, so that every figure stays the figure of
    /// the records it counts; [`full_breakdowns`](Self::full_breakdowns)
    /// tells which breakdowns refused records.
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
    /// use cx_score::{Dimension, RejectReason, ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?
    ///     .breakdown_by(Dimension::Segment)
    ///     .max_groups(2);
    /// for segment in ["a", "b", "a"] {
    ///     scorer.try_push(&Observation::new("r", "till", 4.0).with_segment(segment))?;
    /// }
    /// let refused = scorer.try_push(&Observation::new("r", "till", 4.0).with_segment("c"));
    /// assert_eq!(refused.unwrap_err().reason, RejectReason::TooManyGroups);
    /// assert_eq!(scorer.full_breakdowns(), [Dimension::Segment]);
    /// let card = scorer.finish();
    /// assert_eq!(card.counts.observations.accepted, 3);
    /// assert_eq!(card.overall.touchpoints[0].stats.observations, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn max_groups(mut self, limit: usize) -> Self {
        self.max_groups = limit;
        self
    }

    /// The most groups a breakdown holds, besides the group of records
    /// without a value.
    pub fn group_limit(&self) -> usize {
        self.max_groups
    }

    /// The breakdowns that have rejected a record for a new key, their
    /// limit of groups reached, in the order added.
    pub fn full_breakdowns(&self) -> Vec<Dimension> {
        let refused = [&self.observations, &self.outcomes]
            .iter()
            .any(|counts| counts.rejected.contains_key(&RejectReason::TooManyGroups));
        if !refused {
            return Vec::new();
        }
        self.breakdowns
            .iter()
            .filter(|breakdown| breakdown.groups.len() >= self.max_groups)
            .map(|breakdown| breakdown.dimension)
            .collect()
    }

    /// Adds a breakdown by `dimension`; asking twice for the same one adds it once.
    /// Add breakdowns before pushing: records pushed earlier are not in them.
    #[must_use]
    pub fn breakdown_by(mut self, dimension: Dimension) -> Self {
        if !self.breakdowns.iter().any(|b| b.dimension == dimension) {
            self.breakdowns.push(BreakdownAccumulator::new(dimension));
        }
        self
    }

    /// The journey being scored.
    pub fn journey(&self) -> &Journey {
        &self.journey
    }

    /// The parameters in use.
    pub fn config(&self) -> &ScoreConfig {
        &self.config
    }

    /// The records read so far, accepted and rejected by reason: the
    /// [`counts`](Scorecard::counts) a finish would give, without finishing
    /// (for a service that reports its progress as records stream in).
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
    /// use cx_score::{ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?;
    /// scorer.push(&Observation::new("r1", "till", 4.0));
    /// scorer.push(&Observation::new("r1", "nowhere", 4.0));
    /// let counts = scorer.counts();
    /// assert_eq!((counts.observations.read, counts.observations.accepted), (2, 1));
    /// assert_eq!(counts, scorer.finish().counts);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn counts(&self) -> Counts {
        Counts {
            observations: self.observations.clone(),
            outcomes: self.outcomes.clone(),
        }
    }

    /// Scores one observation, or says why it cannot be scored. Either way it
    /// is counted.
    ///
    /// The observation is scored as a batch of one row, by the same code as
    /// [`push_batch`](Self::push_batch), at the cost of building that batch
    /// (a few small allocations): a product with many records at hand
    /// scores them faster in batches.
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
    /// use cx_score::{RejectReason, ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?;
    /// scorer.try_push(&Observation::new("r1", "till", 4.0))?;
    /// let refused = scorer.try_push(&Observation::new("r2", "till", 6.0)).unwrap_err();
    /// assert_eq!(refused.reason, RejectReason::RealityOutOfScale);
    /// assert_eq!(scorer.finish().counts.observations.accepted, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`Rejection`] for an unknown touchpoint, or a reality or expectation
    /// rating that is not finite or not on the journey's scale.
    pub fn try_push<O: ObservationRecord + ?Sized>(
        &mut self,
        observation: &O,
    ) -> Result<(), Rejection> {
        // One row, scored as every batch is.
        let mut batch = ObservationBatch::new();
        if batch.push_record(observation, &self.journey).is_err() {
            let rejection = unknown_touchpoint(
                &self.journey,
                observation.touchpoint_id(),
                observation.respondent_id(),
            );
            self.observations.read += 1;
            self.count_rejection(rejection.reason);
            return Err(rejection);
        }
        self.try_push_batch(&batch)
    }

    /// Scores one observation, or counts it as rejected.
    pub fn push<O: ObservationRecord + ?Sized>(&mut self, observation: &O) {
        // The rejection is counted inside; lenient callers need nothing more.
        let _ = self.try_push(observation);
    }

    /// Scores every observation and outcome of a batch, in one pass over its
    /// columns: the fast way to score data read by a reader, or built by a
    /// product in batches. Every row is counted, as accepted or rejected, as
    /// [`try_push`](Self::try_push) and
    /// [`try_push_outcome`](Self::try_push_outcome) would count it.
    ///
    /// ```
    /// use cx_model::{BatchRow, Channel, Journey, ObservationBatch, Observation, Scale, Stage, Touchpoint};
    /// use cx_score::{ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut batch = ObservationBatch::new();
    /// for (respondent, reality) in [("a", 5.0), ("b", 2.0), ("c", 9.0)] {
    ///     let mut row = BatchRow::new(respondent, 0, reality);
    ///     row.expectation = Some(4.0);
    ///     batch.push(&row);
    /// }
    /// let mut scorer = ScorecardAccumulator::new(journey.clone(), ScoreConfig::default())?;
    /// let rejected = scorer.try_push_batch(&batch).unwrap_err();
    /// assert_eq!(rejected.respondent, "c"); // 9 is not on 1..=5
    ///
    /// // The same as pushing the records one by one.
    /// let mut one_by_one = ScorecardAccumulator::new(journey, ScoreConfig::default())?;
    /// for (respondent, reality) in [("a", 5.0), ("b", 2.0), ("c", 9.0)] {
    ///     one_by_one.push(&Observation::new(respondent, "till", reality).with_expectation(4.0));
    /// }
    /// assert_eq!(scorer, one_by_one);
    /// assert_eq!(scorer.finish().counts.observations.accepted, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The first rejected row's [`Rejection`], or if no row was rejected,
    /// the first rejected outcome's; every other record is scored all the
    /// same.
    pub fn try_push_batch(&mut self, batch: &ObservationBatch) -> Result<(), Rejection> {
        let mut first = self.score_rows(batch);
        for outcome in batch.outcomes() {
            if let Err(rejection) = self.try_push_outcome(outcome) {
                first.get_or_insert(rejection);
            }
        }
        first.map_or(Ok(()), Err)
    }

    /// Scores every observation and outcome of a batch, counting the
    /// rejected ones.
    pub fn push_batch(&mut self, batch: &ObservationBatch) {
        let _ = self.try_push_batch(batch);
    }

    /// Scores one respondent's outcome, or says why it cannot be scored.
    /// Either way it is counted.
    ///
    /// # Errors
    ///
    /// A [`Rejection`] for a likelihood to recommend that is not on the NPS
    /// scale, an effort rating that is not finite or not on the effort
    /// scale, or a key that would be one group too many in a breakdown
    /// ([`max_groups`](Self::max_groups)).
    pub fn try_push_outcome<O: OutcomeRecord + ?Sized>(
        &mut self,
        outcome: &O,
    ) -> Result<(), Rejection> {
        self.outcomes.read += 1;
        match self
            .check_outcome(outcome)
            .and_then(|unit| self.check_outcome_groups(outcome).map(|()| unit))
        {
            Ok(unit) => {
                self.outcomes.accepted += 1;
                self.record_outcome(outcome, unit);
                Ok(())
            }
            Err(rejection) => {
                *self.outcomes.rejected.entry(rejection.reason).or_default() += 1;
                Err(rejection)
            }
        }
    }

    /// Scores one respondent's outcome, or counts it as rejected.
    pub fn push_outcome<O: OutcomeRecord + ?Sized>(&mut self, outcome: &O) {
        let _ = self.try_push_outcome(outcome);
    }

    /// Adds everything `other` has seen.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::MergeMismatch`] naming the first parameter that differs,
    /// and its two values, if `other` scores another journey, with other
    /// parameters or with other breakdowns;
    /// [`ErrorKind::InvalidState`] if either holds a different number of
    /// touchpoints than its journey (only a state deserialized without
    /// the checks of [`from_state_bytes`](Self::from_state_bytes) can);
    /// [`ErrorKind::CountOverflow`] if a count would pass `u64::MAX`;
    /// [`ErrorKind::TooManyGroups`] if a breakdown would hold more groups
    /// than `self`'s [`max_groups`](Self::max_groups).
    /// `self` is then unchanged.
    pub fn merge(&mut self, other: &ScorecardAccumulator<T>) -> Result<(), Error> {
        let mismatch = |(parameter, here, there)| ErrorKind::MergeMismatch {
            parameter,
            here,
            there,
        };
        if !Arc::ptr_eq(&self.journey, &other.journey) && self.journey != other.journey {
            let difference = first_difference("journey", &self.journey, &other.journey);
            return Err(mismatch(difference).into());
        }
        if self.config != other.config {
            let difference = first_difference("config", &self.config, &other.config);
            return Err(mismatch(difference).into());
        }
        if self.respondents != other.respondents {
            let name = |order: RespondentOrder| format!("{order:?}").to_lowercase();
            let difference = (
                "respondent_order".to_owned(),
                name(self.respondents),
                name(other.respondents),
            );
            return Err(mismatch(difference).into());
        }
        let (mine, theirs) = (self.dimensions(), other.dimensions());
        if mine != theirs {
            let list = |dimensions: Vec<Dimension>| {
                let names: Vec<&str> = dimensions.into_iter().map(Dimension::name).collect();
                format!("[{}]", names.join(", "))
            };
            let difference = ("breakdowns".to_owned(), list(mine), list(theirs));
            return Err(mismatch(difference).into());
        }
        if !(self.is_consistent() && other.is_consistent()) {
            let detail = "a group holds a different number of cells than its journey has \
                          touchpoints"
                .to_owned();
            return Err(ErrorKind::InvalidState { detail }.into());
        }
        // Every other count is at most the records read, so these two
        // decide whether any sum below overflows.
        for (what, mine, theirs) in [
            ("observations.read", &self.observations, &other.observations),
            ("outcomes.read", &self.outcomes, &other.outcomes),
        ] {
            if mine.read.checked_add(theirs.read).is_none() {
                return Err(ErrorKind::CountOverflow { what }.into());
            }
        }
        for (mine, theirs) in self.breakdowns.iter().zip(&other.breakdowns) {
            if mine.groups.len().saturating_add(mine.new_keys(theirs)) > self.max_groups {
                return Err(ErrorKind::TooManyGroups {
                    dimension: mine.dimension.name(),
                    limit: self.max_groups,
                }
                .into());
            }
        }
        self.total.merge(&other.total);
        for (mine, theirs) in self.breakdowns.iter_mut().zip(&other.breakdowns) {
            mine.merge(theirs);
        }
        self.observations.merge(&other.observations);
        self.outcomes.merge(&other.outcomes);
        Ok(())
    }

    /// The scorecard under the default threshold policy (with the configured
    /// yellow band) and the weighted-mean journey aggregation.
    pub fn finish(&self) -> Scorecard {
        let policy = ThresholdPolicy {
            yellow_band: self.config.yellow_band,
        };
        self.finish_with(&policy, &WeightedMean)
    }

    /// The scorecard under any traffic-light policy and journey aggregation.
    /// The accumulator is not consumed, so one pass over the data can be
    /// finished under several policies.
    pub fn finish_with(
        &self,
        policy: &dyn TrafficLightPolicy,
        aggregation: &dyn JourneyAggregation,
    ) -> Scorecard {
        let finisher = Finisher {
            journey: &self.journey,
            config: &self.config,
            grid: &self.grid,
            policy,
            aggregation,
        };
        let breakdowns = self
            .breakdowns
            .iter()
            .map(|breakdown| Breakdown {
                dimension: breakdown.dimension,
                groups: breakdown
                    .by_key()
                    .map(|(key, group)| (Some(key.clone()), group))
                    .chain(breakdown.missing.as_ref().map(|group| (None, group)))
                    .map(|(key, group)| BreakdownGroup {
                        key,
                        score: finisher.group(group),
                    })
                    .collect(),
            })
            .collect();
        Scorecard {
            journey: self.journey.name().to_owned(),
            scale: *self.journey.scale(),
            policy: policy.name().to_owned(),
            aggregation: aggregation.name().to_owned(),
            config: self.config,
            weighted: T::WEIGHTED,
            counts: self.counts(),
            overall: finisher.group(self.overall().as_ref()),
            breakdowns,
        }
    }

    /// The whole survey: what was pushed to it directly (every record while
    /// there is no breakdown, outcomes always), plus the touchpoint cells of
    /// the first breakdown's groups, which hold every observation pushed
    /// since that breakdown was added. Summed in key order, so the result is
    /// the same whatever the order the records came in; for ratings, which
    /// every accumulator keeps exactly, it is the same as pushing each
    /// observation to the whole survey too.
    fn overall(&self) -> std::borrow::Cow<'_, GroupAccumulator<T>> {
        let Some(first) = self.breakdowns.first() else {
            return std::borrow::Cow::Borrowed(&self.total);
        };
        let mut overall = self.total.clone();
        let groups = first.by_key().map(|(_, group)| group);
        for group in groups.chain(first.missing.as_ref()) {
            for (mine, theirs) in overall.touchpoints.iter_mut().zip(&group.touchpoints) {
                mine.merge(theirs);
            }
        }
        std::borrow::Cow::Owned(overall)
    }

    /// The breakdowns' dimensions, in the order added.
    pub(crate) fn dimensions(&self) -> Vec<Dimension> {
        self.breakdowns.iter().map(|b| b.dimension).collect()
    }

    /// Every group, with the dimension and key of its breakdown (`None`
    /// for the whole survey; a key of `None` for records without a value).
    pub(crate) fn groups(
        &self,
    ) -> impl Iterator<Item = (Option<(Dimension, Option<&str>)>, &GroupAccumulator<T>)> {
        let breakdowns = self.breakdowns.iter().flat_map(|breakdown| {
            let dimension = breakdown.dimension;
            let keyed = breakdown
                .by_key()
                .map(move |(key, group)| (Some((dimension, Some(key.as_str()))), group));
            let missing = breakdown
                .missing
                .iter()
                .map(move |group| (Some((dimension, None)), group));
            keyed.chain(missing)
        });
        std::iter::once((None, &self.total)).chain(breakdowns)
    }

    /// The observations' and the outcomes' counts.
    pub(crate) fn record_counts(&self) -> [&RecordCounts; 2] {
        [&self.observations, &self.outcomes]
    }

    /// The grid the cells count on.
    pub(crate) fn grid(&self) -> &Grid {
        &self.grid
    }

    /// Whether every group has one cell per touchpoint, as a deserialized
    /// state from elsewhere might not.
    fn is_consistent(&self) -> bool {
        let count = self.journey.touchpoint_count();
        let fits = |group: &GroupAccumulator<T>| group.touchpoints.len() == count;
        fits(&self.total)
            && self
                .breakdowns
                .iter()
                .all(|b| b.groups.iter().all(fits) && b.missing.as_ref().is_none_or(fits))
    }

    fn count_rejection(&mut self, reason: RejectReason) {
        *self.observations.rejected.entry(reason).or_default() += 1;
    }
}

/// The rejection of `respondent`'s record for a key that would be one
/// group too many in the breakdown by `dimension`, of at most `limit`.
#[cold]
pub(crate) fn too_many_groups(respondent: &str, dimension: Dimension, limit: usize) -> Rejection {
    Rejection {
        reason: RejectReason::TooManyGroups,
        respondent: respondent.to_owned(),
        field: match dimension {
            Dimension::Segment | Dimension::Channel => dimension.name(),
            Dimension::Day | Dimension::Week | Dimension::Month => "timestamp",
        },
        detail: format!(
            "a new {dimension} would pass the breakdown's limit of {limit} groups (max_groups)"
        ),
    }
}

/// The rejection of `respondent`'s record for want of a weight.
#[cold]
pub(crate) fn missing_weight(respondent: &str) -> Rejection {
    Rejection {
        reason: RejectReason::MissingWeight,
        respondent: respondent.to_owned(),
        field: "weight",
        detail: "no respondent weight; a weighted scorecard needs one on every record".to_owned(),
    }
}
