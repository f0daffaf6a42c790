//! The scorecard: every metric per touchpoint, per stage and for the whole
//! journey, optionally broken down by segment, channel and period.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Utc};
use cx_model::{
    Channel, Emotion, Journey, ObservationBatch, ObservationRecord, OutcomeRecord, Scale,
};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::aggregate::{JourneyAggregation, TouchpointScoreInput, WeightedMean};
use crate::cell::{CellAccumulator, CellStats, CellUpdate, Grid};
use crate::check::{check_likelihood, check_ratings, unknown_touchpoint};
use crate::config::ScoreConfig;
use crate::diff::first_difference;
use crate::error::{Error, ErrorKind};
use crate::light::{ThresholdPolicy, TrafficLight, TrafficLightPolicy};
use crate::loyalty::{LoyaltyAccumulator, LoyaltyScore};
use crate::nps::{NpsAccumulator, NpsScore};
use crate::rejection::{RejectReason, Rejection};
use crate::stats::{MeanStats, Moments};

/// A way to split results into groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// By the respondent's segment.
    Segment,
    /// By the channel of the observation, or else of its touchpoint.
    /// Outcomes have no channel and are not split by it.
    Channel,
    /// By calendar day (UTC) of the timestamp: `2024-03-15`.
    Day,
    /// By ISO 8601 week of the timestamp: `2024-W11`.
    Week,
    /// By calendar month of the timestamp: `2024-03`.
    Month,
}

impl Dimension {
    /// Every dimension.
    pub const ALL: [Dimension; 5] = [
        Dimension::Segment,
        Dimension::Channel,
        Dimension::Day,
        Dimension::Week,
        Dimension::Month,
    ];

    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Segment => "segment",
            Dimension::Channel => "channel",
            Dimension::Day => "day",
            Dimension::Week => "week",
            Dimension::Month => "month",
        }
    }

    /// The group key of a timestamp for the period dimensions; `None` for
    /// segment and channel.
    pub fn period_of(self, timestamp: DateTime<Utc>) -> Option<String> {
        match self {
            Dimension::Segment | Dimension::Channel => None,
            Dimension::Day => Some(timestamp.format("%Y-%m-%d").to_string()),
            Dimension::Week => {
                let week = timestamp.iso_week();
                Some(format!("{}-W{:02}", week.year(), week.week()))
            }
            Dimension::Month => Some(timestamp.format("%Y-%m").to_string()),
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for Dimension {
    type Err = Error;

    /// Reads a dimension's name, ignoring case and surrounding white space.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownDimension`] for any other text.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Dimension::ALL
            .into_iter()
            .find(|dimension| dimension.name().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| {
                ErrorKind::UnknownDimension {
                    text: text.to_owned(),
                }
                .into()
            })
    }
}

/// Everything one group (the whole journey, or one breakdown group) has seen.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct GroupAccumulator {
    /// One cell per touchpoint, in journey order.
    pub(crate) touchpoints: Vec<CellAccumulator>,
    pub(crate) outcomes: u64,
    pub(crate) loyalty: LoyaltyAccumulator,
    pub(crate) nps: NpsAccumulator,
    pub(crate) effort: Moments,
}

impl GroupAccumulator {
    fn new(touchpoints: usize) -> Self {
        GroupAccumulator {
            touchpoints: vec![CellAccumulator::default(); touchpoints],
            outcomes: 0,
            loyalty: LoyaltyAccumulator::default(),
            nps: NpsAccumulator::default(),
            effort: Moments::default(),
        }
    }

    fn merge(&mut self, other: &GroupAccumulator) {
        for (mine, theirs) in self.touchpoints.iter_mut().zip(&other.touchpoints) {
            mine.merge(theirs);
        }
        self.outcomes += other.outcomes;
        self.loyalty.merge(&other.loyalty);
        self.nps.merge(&other.nps);
        self.effort.merge(&other.effort);
    }
}

/// The groups of one dimension.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "BreakdownFields", into = "BreakdownFields")]
struct BreakdownAccumulator {
    dimension: Dimension,
    /// The groups, in order of first sight.
    groups: Vec<GroupAccumulator>,
    /// Each key's place in `groups`. Hashed rather than ordered: it is
    /// searched whenever a row's key differs from the row before's, and an
    /// ordered search compares the key with several others, each time
    /// branching on which is greater, which no predictor guesses.
    keys: FxHashMap<String, usize>,
    /// The key and place of the group pushed to last: a respondent's rows
    /// usually share their key, so most pushes skip the search.
    last_key: String,
    last: Option<usize>,
    /// Records without a value for the dimension.
    missing: Option<GroupAccumulator>,
}

/// The serialized form of a [`BreakdownAccumulator`]: its groups by key.
#[derive(Serialize, Deserialize)]
struct BreakdownFields {
    dimension: Dimension,
    groups: BTreeMap<String, GroupAccumulator>,
    missing: Option<GroupAccumulator>,
}

impl From<BreakdownFields> for BreakdownAccumulator {
    fn from(fields: BreakdownFields) -> Self {
        let mut breakdown = BreakdownAccumulator::new(fields.dimension);
        for (index, (key, group)) in fields.groups.into_iter().enumerate() {
            breakdown.groups.push(group);
            breakdown.keys.insert(key, index);
        }
        breakdown.missing = fields.missing;
        breakdown
    }
}

impl From<BreakdownAccumulator> for BreakdownFields {
    fn from(mut breakdown: BreakdownAccumulator) -> Self {
        let groups = std::mem::take(&mut breakdown.keys)
            .into_iter()
            .map(|(key, index)| (key, std::mem::take(&mut breakdown.groups[index])))
            .collect();
        BreakdownFields {
            dimension: breakdown.dimension,
            groups,
            missing: breakdown.missing,
        }
    }
}

impl PartialEq for BreakdownAccumulator {
    /// Equal when they hold the same groups by key, whatever order they
    /// were first seen in.
    fn eq(&self, other: &Self) -> bool {
        self.dimension == other.dimension
            && self.missing == other.missing
            && self.keys.len() == other.keys.len()
            && self.by_key().zip(other.by_key()).all(|(a, b)| a == b)
    }
}

impl BreakdownAccumulator {
    fn new(dimension: Dimension) -> Self {
        BreakdownAccumulator {
            dimension,
            groups: Vec::new(),
            keys: FxHashMap::default(),
            last_key: String::new(),
            last: None,
            missing: None,
        }
    }

    /// The groups with their keys, in key order.
    fn by_key(&self) -> impl Iterator<Item = (&String, &GroupAccumulator)> {
        let mut keys: Vec<(&String, usize)> =
            self.keys.iter().map(|(key, &index)| (key, index)).collect();
        keys.sort_unstable();
        keys.into_iter()
            .filter_map(|(key, index)| Some((key, self.groups.get(index)?)))
    }

    /// Runs `update` on the group for `key`, creating it on first sight; the
    /// key is copied only then.
    fn with_group(
        &mut self,
        key: Option<&str>,
        touchpoints: usize,
        update: impl FnOnce(&mut GroupAccumulator),
    ) {
        let Some(key) = key else {
            update(
                self.missing
                    .get_or_insert_with(|| GroupAccumulator::new(touchpoints)),
            );
            return;
        };
        let index = match self.last {
            Some(index) if self.last_key == key => index,
            _ => {
                let index = match self.keys.get(key) {
                    Some(&index) => index,
                    None => {
                        self.groups.push(GroupAccumulator::new(touchpoints));
                        self.keys.insert(key.to_owned(), self.groups.len() - 1);
                        self.groups.len() - 1
                    }
                };
                self.last_key.clear();
                self.last_key.push_str(key);
                self.last = Some(index);
                index
            }
        };
        if let Some(group) = self.groups.get_mut(index) {
            update(group);
        }
    }

    fn merge(&mut self, other: &BreakdownAccumulator) {
        for (key, theirs) in other.by_key() {
            match self.keys.get(key) {
                Some(&index) => self.groups[index].merge(theirs),
                None => {
                    self.groups.push(theirs.clone());
                    self.keys.insert(key.clone(), self.groups.len() - 1);
                }
            }
        }
        if let Some(theirs) = &other.missing {
            match &mut self.missing {
                Some(mine) => mine.merge(theirs),
                None => self.missing = Some(theirs.clone()),
            }
        }
    }
}

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "StoredScorecard")]
pub struct ScorecardAccumulator {
    journey: Journey,
    config: ScoreConfig,
    /// The cells' grid, which the scale and `config` settle: made once
    /// rather than for every observation, and made again, not stored, when
    /// a state is deserialized.
    #[serde(skip_serializing)]
    grid: Grid,
    total: GroupAccumulator,
    breakdowns: Vec<BreakdownAccumulator>,
    observations: RecordCounts,
    outcomes: RecordCounts,
}

/// A [`ScorecardAccumulator`] as serialized: all but its grid.
#[derive(Deserialize)]
pub(crate) struct StoredScorecard {
    journey: Journey,
    config: ScoreConfig,
    total: GroupAccumulator,
    breakdowns: Vec<BreakdownAccumulator>,
    observations: RecordCounts,
    outcomes: RecordCounts,
}

impl From<StoredScorecard> for ScorecardAccumulator {
    fn from(stored: StoredScorecard) -> Self {
        ScorecardAccumulator {
            grid: Grid::new(stored.journey.scale(), &stored.config),
            journey: stored.journey,
            config: stored.config,
            total: stored.total,
            breakdowns: stored.breakdowns,
            observations: stored.observations,
            outcomes: stored.outcomes,
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
        config.validate()?;
        let touchpoints = journey.touchpoint_count();
        Ok(ScorecardAccumulator {
            grid: Grid::new(journey.scale(), &config),
            journey,
            config,
            total: GroupAccumulator::new(touchpoints),
            breakdowns: Vec::new(),
            observations: RecordCounts::default(),
            outcomes: RecordCounts::default(),
        })
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

    /// Scores one observation, or says why it cannot be scored. Either way it
    /// is counted.
    ///
    /// # Errors
    ///
    /// A [`Rejection`] for an unknown touchpoint, or a reality or expectation
    /// rating that is not finite or not on the journey's scale.
    pub fn try_push<O: ObservationRecord + ?Sized>(
        &mut self,
        observation: &O,
    ) -> Result<(), Rejection> {
        let touchpoint_id = observation.touchpoint_id();
        let Some(position) = self.journey.position_of(touchpoint_id) else {
            let rejection =
                unknown_touchpoint(&self.journey, touchpoint_id, observation.respondent_id());
            self.observations.read += 1;
            self.count_rejection(rejection.reason);
            return Err(rejection);
        };
        self.push_fields(&Fields {
            respondent: observation.respondent_id(),
            index: position.index,
            reality: observation.reality(),
            expectation: observation.expectation(),
            segment: observation.segment(),
            channel: observation.channel(),
            timestamp: observation.timestamp(),
            emotion: observation.emotion(),
        })
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
    /// The first row's or outcome's [`Rejection`], if any was rejected; every
    /// other row is scored all the same.
    pub fn try_push_batch(&mut self, batch: &ObservationBatch) -> Result<(), Rejection> {
        let mut first = None;
        let (touchpoints, realities) = (batch.touchpoints(), batch.realities());
        let (expectations, emotions) = (batch.expectations(), batch.emotions());
        let timestamps = batch.timestamps();
        for row in 0..batch.len() {
            let fields = Fields {
                respondent: batch.respondent(row).unwrap_or_default(),
                index: touchpoints.get(row).copied().unwrap_or(usize::MAX),
                reality: realities.get(row).copied().unwrap_or(f64::NAN),
                expectation: expectations.get(row).copied().flatten(),
                segment: batch.segment(row),
                channel: batch.channel(row),
                timestamp: timestamps.get(row).copied().flatten(),
                emotion: emotions.get(row).copied().flatten(),
            };
            if let Err(rejection) = self.push_fields(&fields) {
                first.get_or_insert(rejection);
            }
        }
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
    /// scale, or an effort rating that is not finite or not on the effort scale.
    pub fn try_push_outcome<O: OutcomeRecord + ?Sized>(
        &mut self,
        outcome: &O,
    ) -> Result<(), Rejection> {
        self.outcomes.read += 1;
        match self.check_outcome(outcome) {
            Ok(()) => {
                self.outcomes.accepted += 1;
                self.record_outcome(outcome);
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
    /// [`ErrorKind::CountOverflow`] if a count would pass `u64::MAX`.
    /// `self` is then unchanged.
    pub fn merge(&mut self, other: &ScorecardAccumulator) -> Result<(), Error> {
        let mismatch = |(parameter, here, there)| ErrorKind::MergeMismatch {
            parameter,
            here,
            there,
        };
        if self.journey != other.journey {
            let difference = first_difference("journey", &self.journey, &other.journey);
            return Err(mismatch(difference).into());
        }
        if self.config != other.config {
            let difference = first_difference("config", &self.config, &other.config);
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
            counts: Counts {
                observations: self.observations.clone(),
                outcomes: self.outcomes.clone(),
            },
            overall: finisher.group(&self.overall()),
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
    fn overall(&self) -> std::borrow::Cow<'_, GroupAccumulator> {
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
    ) -> impl Iterator<Item = (Option<(Dimension, Option<&str>)>, &GroupAccumulator)> {
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
        let fits = |group: &GroupAccumulator| group.touchpoints.len() == count;
        fits(&self.total)
            && self
                .breakdowns
                .iter()
                .all(|b| b.groups.iter().all(fits) && b.missing.as_ref().is_none_or(fits))
    }

    fn count_rejection(&mut self, reason: RejectReason) {
        *self.observations.rejected.entry(reason).or_default() += 1;
    }

    /// Scores one observation whose touchpoint has been found, or counts it
    /// as rejected: the one way every observation is scored.
    #[inline]
    fn push_fields(&mut self, fields: &Fields<'_>) -> Result<(), Rejection> {
        self.observations.read += 1;
        let checked = check_ratings(
            &self.journey,
            fields.index,
            fields.reality,
            fields.expectation,
            fields.respondent,
        );
        match checked {
            Ok(rating) => {
                self.observations.accepted += 1;
                let checked = Checked {
                    index: rating.index,
                    reality: rating.reality,
                    expectation: rating.expectation.or(self.journey.target(rating.index)),
                };
                self.record(fields, checked);
                Ok(())
            }
            Err(rejection) => {
                self.count_rejection(rejection.reason);
                Err(rejection)
            }
        }
    }

    fn record(&mut self, fields: &Fields<'_>, checked: Checked) {
        let grid = &self.grid;
        let emotion = fields.emotion;
        let update = match checked.reality {
            None => Update::NotApplicable,
            Some(reality) => match grid.slot(reality, checked.expectation) {
                Some(slot) => Update::OnGrid(slot),
                None => Update::OffGrid(CellUpdate::new(
                    reality,
                    checked.expectation,
                    emotion,
                    grid.thresholds(),
                )),
            },
        };
        let apply = |cell: &mut CellAccumulator| match &update {
            Update::OnGrid(slot) => cell.push_on_grid(grid, *slot, emotion),
            Update::OffGrid(update) => cell.apply(update),
            Update::NotApplicable => cell.push_not_applicable(),
        };
        let index = checked.index;
        let count = self.journey.touchpoint_count();
        // With a breakdown, the whole survey's cells are summed from its
        // groups at the end instead of pushed to on every row.
        if self.breakdowns.is_empty()
            && let Some(cell) = self.total.touchpoints.get_mut(index)
        {
            apply(cell);
        }
        for breakdown in &mut self.breakdowns {
            // Each key is found only for the dimensions asked for.
            let period;
            let key = match breakdown.dimension {
                Dimension::Segment => fields.segment,
                Dimension::Channel => fields
                    .channel
                    .or_else(|| self.journey.touchpoint(index).map(|t| &t.channel))
                    .map(Channel::as_str),
                dimension => {
                    period = fields.timestamp.and_then(|ts| dimension.period_of(ts));
                    period.as_deref()
                }
            };
            breakdown.with_group(key, count, |group| {
                if let Some(cell) = group.touchpoints.get_mut(index) {
                    apply(cell);
                }
            });
        }
    }

    fn check_outcome<O: OutcomeRecord + ?Sized>(&self, outcome: &O) -> Result<(), Rejection> {
        let reject = |reason, field, error: cx_model::Error| Rejection {
            reason,
            respondent: outcome.respondent_id().to_owned(),
            field,
            detail: error.to_string(),
        };
        check_likelihood(&self.config.nps.scale, outcome)?;
        if let Some(effort) = outcome.effort() {
            if !effort.is_finite() {
                return Err(reject(
                    RejectReason::EffortNotFinite,
                    "effort",
                    cx_model::ErrorKind::NotFinite { value: effort }.into(),
                ));
            }
            if let Some(scale) = self.config.effort_scale
                && !scale.contains(effort)
            {
                return Err(reject(
                    RejectReason::EffortOutOfScale,
                    "effort",
                    scale.out_of_scale(effort),
                ));
            }
        }
        Ok(())
    }

    fn record_outcome<O: OutcomeRecord + ?Sized>(&mut self, outcome: &O) {
        let cutoffs = self.config.nps;
        let update = |group: &mut GroupAccumulator| {
            group.outcomes += 1;
            group.loyalty.push(outcome);
            if let Some(likelihood) = outcome.likelihood_to_recommend() {
                group.nps.push(likelihood, &cutoffs);
            }
            if let Some(effort) = outcome.effort() {
                group.effort.push(effort);
            }
        };
        update(&mut self.total);
        let count = self.journey.touchpoint_count();
        let timestamp = outcome.timestamp();
        for breakdown in &mut self.breakdowns {
            let period;
            let key = match breakdown.dimension {
                Dimension::Segment => outcome.segment(),
                Dimension::Channel => continue,
                dimension => {
                    period = timestamp.and_then(|ts| dimension.period_of(ts));
                    period.as_deref()
                }
            };
            breakdown.with_group(key, count, update);
        }
    }
}

/// How a checked observation goes into each cell it falls in.
enum Update {
    /// Counted at this slot of the cells' grid table.
    OnGrid(usize),
    /// Added to the sums as it is.
    OffGrid(CellUpdate),
    /// Its touchpoint was not experienced.
    NotApplicable,
}

/// What scoring reads of one observation, whatever it came from: a record
/// whose touchpoint has been found, or a batch's row.
struct Fields<'a> {
    /// For a rejection's message only.
    respondent: &'a str,
    index: usize,
    reality: f64,
    expectation: Option<f64>,
    segment: Option<&'a str>,
    channel: Option<&'a Channel>,
    timestamp: Option<DateTime<Utc>>,
    emotion: Option<Emotion>,
}

/// An observation that passed the checks.
#[derive(Debug, Clone, Copy)]
struct Checked {
    index: usize,
    /// `None` for the not-applicable value.
    reality: Option<f64>,
    /// The respondent's own expectation, else the touchpoint's target.
    expectation: Option<f64>,
}

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

    fn merge(&mut self, other: &RecordCounts) {
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
    /// Fewer observations with a gap than the minimum sample: the numbers are
    /// reported, but nobody should act on them.
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PooledScore {
    /// Statistics over all their observations together.
    pub stats: CellStats,
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

struct Finisher<'a> {
    journey: &'a Journey,
    config: &'a ScoreConfig,
    /// The accumulator's grid, on which its cells counted.
    grid: &'a Grid,
    policy: &'a dyn TrafficLightPolicy,
    aggregation: &'a dyn JourneyAggregation,
}

impl Finisher<'_> {
    fn judge(&self, stats: &CellStats) -> (Option<TrafficLight>, bool) {
        let insufficient = stats.gap.n < self.config.min_sample;
        let light = if insufficient {
            None
        } else {
            self.policy.light(&stats.gap)
        };
        (light, insufficient)
    }

    fn pooled<'c>(&self, cells: impl Iterator<Item = (usize, &'c CellAccumulator)>) -> PooledScore {
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
        let (light, insufficient_data) = self.judge(&stats);
        PooledScore {
            score: self.aggregation.aggregate(&inputs),
            stats,
            light,
            insufficient_data,
        }
    }

    fn group(&self, group: &GroupAccumulator) -> GroupScore {
        let journey = self.journey;
        let grid = self.grid;
        let touchpoints: Vec<TouchpointScore> = journey
            .touchpoints()
            .zip(&group.touchpoints)
            .enumerate()
            .map(|(index, (touchpoint, cell))| {
                let stats = cell.finish(grid, self.config.confidence);
                let (light, insufficient_data) = self.judge(&stats);
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
        let mut first = 0;
        let stages = journey
            .stages()
            .iter()
            .map(|stage| {
                let range = first..first + stage.touchpoints.len();
                first = range.end;
                let cells = range
                    .clone()
                    .zip(group.touchpoints.get(range).unwrap_or_default());
                StageScore {
                    name: stage.name.clone(),
                    pooled: self.pooled(cells),
                }
            })
            .collect();
        GroupScore {
            opportunities: opportunities(&touchpoints),
            touchpoints,
            stages,
            journey: self.pooled(group.touchpoints.iter().enumerate()),
            outcomes: group.outcomes,
            loyalty: group
                .loyalty
                .finish(self.config.confidence, self.config.loyalty_target),
            nps: group.nps.finish(self.config.confidence),
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
