//! Finding results by name: a touchpoint by its id, a stage by its name, a
//! breakdown by its dimension and a group by its key, instead of by
//! position.
//!
//! Every lookup is a linear search over a journey's touchpoints or stages,
//! or a breakdown's groups, which number in the tens; none allocates.

use crate::scorecard::{Breakdown, Dimension, GroupScore, Scorecard, StageScore, TouchpointScore};

impl GroupScore {
    /// The results of the touchpoint with this id, or `None` if the journey
    /// has none.
    ///
    /// # Example
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
    /// use cx_score::{ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Visit").touchpoint(Touchpoint::new("door", "Door", Channel::Store)))
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?;
    /// scorer.try_push(&Observation::new("a", "till", 4.0).with_expectation(3.0))?;
    /// let group = scorer.finish().overall;
    ///
    /// let till = group.touchpoint("till").ok_or("no till")?;
    /// assert_eq!(till.index, 1);
    /// assert_eq!(till.stats.gap.points.mean, Some(1.0));
    /// assert!(group.touchpoint("window").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn touchpoint(&self, id: &str) -> Option<&TouchpointScore> {
        self.touchpoints
            .iter()
            .find(|touchpoint| touchpoint.id == id)
    }

    /// The results of the first stage with this name, or `None` if the
    /// journey has none.
    ///
    /// # Example
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
    /// use cx_score::{ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Visit").touchpoint(Touchpoint::new("door", "Door", Channel::Store)))
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?;
    /// scorer.try_push(&Observation::new("a", "till", 2.0).with_expectation(4.0))?;
    /// let group = scorer.finish().overall;
    ///
    /// let buy = group.stage("Buy").ok_or("no stage Buy")?;
    /// assert_eq!(buy.pooled.stats.gap.points.mean, Some(-2.0));
    /// assert_eq!(group.stage("Visit").map(|stage| stage.pooled.stats.gap.n), Some(0));
    /// assert!(group.stage("Return").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stage(&self, name: &str) -> Option<&StageScore> {
        self.stages.iter().find(|stage| stage.name == name)
    }
}

impl Breakdown {
    /// The results of the group whose key is `key`, or `None` if no record
    /// had that value. Records without a value for the dimension are in
    /// [`missing`](Self::missing), never here.
    ///
    /// # Example
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
    /// use cx_score::{Dimension, ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?
    ///     .breakdown_by(Dimension::Segment);
    /// scorer.try_push(&Observation::new("a", "till", 4.0).with_expectation(3.0).with_segment("new"))?;
    /// scorer.try_push(&Observation::new("b", "till", 2.0).with_expectation(3.0))?;
    /// let card = scorer.finish();
    ///
    /// let segments = card.breakdown(Dimension::Segment).ok_or("no segments")?;
    /// let new = segments.group("new").ok_or("no group new")?;
    /// assert_eq!(new.touchpoints[0].stats.gap.points.mean, Some(1.0));
    /// assert!(segments.group("returning").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn group(&self, key: &str) -> Option<&GroupScore> {
        self.groups
            .iter()
            .find(|group| group.key.as_deref() == Some(key))
            .map(|group| &group.score)
    }

    /// The results of the records without a value for the dimension (the
    /// group whose key is `None`), or `None` if every record had one.
    ///
    /// # Example
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
    /// use cx_score::{Dimension, ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?
    ///     .breakdown_by(Dimension::Segment);
    /// scorer.try_push(&Observation::new("a", "till", 4.0).with_expectation(3.0).with_segment("new"))?;
    /// scorer.try_push(&Observation::new("b", "till", 2.0).with_expectation(3.0))?;
    /// let card = scorer.finish();
    ///
    /// let segments = card.breakdown(Dimension::Segment).ok_or("no segments")?;
    /// let without = segments.missing().ok_or("every record had a segment")?;
    /// assert_eq!(without.touchpoints[0].stats.gap.points.mean, Some(-1.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn missing(&self) -> Option<&GroupScore> {
        self.groups
            .iter()
            .find(|group| group.key.is_none())
            .map(|group| &group.score)
    }
}

impl Scorecard {
    /// The whole survey's results of the touchpoint with this id: the same
    /// as [`GroupScore::touchpoint`] on [`overall`](Self::overall).
    ///
    /// # Example
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
    /// use cx_score::{ScoreConfig, ScorecardAccumulator, TrafficLight};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let config = ScoreConfig { min_sample: 1, ..ScoreConfig::default() };
    /// let mut scorer = ScorecardAccumulator::new(journey, config)?;
    /// scorer.try_push(&Observation::new("a", "till", 4.0).with_expectation(3.0))?;
    /// let card = scorer.finish();
    ///
    /// let till = card.touchpoint("till").ok_or("no till")?;
    /// assert_eq!(till.light, Some(TrafficLight::Green));
    /// assert!(card.touchpoint("door").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn touchpoint(&self, id: &str) -> Option<&TouchpointScore> {
        self.overall.touchpoint(id)
    }

    /// The whole survey's results of the first stage with this name: the
    /// same as [`GroupScore::stage`] on [`overall`](Self::overall).
    ///
    /// # Example
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
    /// use cx_score::{ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?;
    /// scorer.try_push(&Observation::new("a", "till", 4.0).with_expectation(3.0))?;
    /// let card = scorer.finish();
    ///
    /// let buy = card.stage("Buy").ok_or("no stage Buy")?;
    /// assert_eq!(buy.pooled.stats.gap.n, 1);
    /// assert!(card.stage("Return").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stage(&self, name: &str) -> Option<&StageScore> {
        self.overall.stage(name)
    }

    /// The breakdown by `dimension`, or `None` if the scorecard was not
    /// broken down by it.
    ///
    /// # Example
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
    /// use cx_score::{Dimension, ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?
    ///     .breakdown_by(Dimension::Channel);
    /// scorer.try_push(&Observation::new("a", "till", 4.0).with_expectation(3.0))?;
    /// let card = scorer.finish();
    ///
    /// let channels = card.breakdown(Dimension::Channel).ok_or("no channels")?;
    /// assert!(channels.group("store").is_some()); // the touchpoint's channel
    /// assert!(card.breakdown(Dimension::Segment).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn breakdown(&self, dimension: Dimension) -> Option<&Breakdown> {
        self.breakdowns
            .iter()
            .find(|breakdown| breakdown.dimension == dimension)
    }
}
