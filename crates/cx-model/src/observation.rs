//! What respondents said: observations at touchpoints and outcomes per respondent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::answer::{Answer, LoyaltyQuestion};
use crate::channel::Channel;
use crate::emotion::Emotion;
use crate::record::{ObservationRecord, OutcomeRecord};
use crate::weight::Weight;

/// One respondent at one touchpoint: what they expected, what they met, and
/// what they felt.
///
/// ```
/// use cx_model::{Emotion, Observation, ObservationRecord};
///
/// let observation = Observation::new("r-17", "cashier", 2.0)
///     .with_expectation(4.0)
///     .with_emotion(Emotion::Rushed);
/// assert_eq!(observation.expectation(), Some(4.0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Observation {
    /// Who answered.
    pub respondent_id: String,
    /// The touchpoint's id in the journey.
    pub touchpoint_id: String,
    /// The rating of what the respondent met, on the journey's scale.
    pub reality: f64,
    /// The rating of what the respondent expected, if the survey asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expectation: Option<f64>,
    /// A group the respondent belongs to, e.g. a persona or customer type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// The channel actually used, when it differs by respondent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// When the contact happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<DateTime<Utc>>,
    /// What the respondent felt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emotion: Option<Emotion>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The respondent's survey weight, if the survey is weighted: the same
    /// on every observation of the respondent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Weight>,
}

impl Observation {
    /// An observation with only the required fields.
    pub fn new(
        respondent_id: impl Into<String>,
        touchpoint_id: impl Into<String>,
        reality: f64,
    ) -> Self {
        Observation {
            respondent_id: respondent_id.into(),
            touchpoint_id: touchpoint_id.into(),
            reality,
            expectation: None,
            segment: None,
            channel: None,
            timestamp: None,
            emotion: None,
            comment: None,
            weight: None,
        }
    }

    /// An owned copy of any observation record, e.g. one borrowed from a
    /// reader's buffer.
    ///
    /// ```
    /// use cx_model::{Observation, ObservationRecord};
    ///
    /// let original = Observation::new("r1", "till", 4.0).with_segment("new");
    /// let copy = Observation::from_record(&&original);
    /// assert_eq!(copy, original);
    /// ```
    pub fn from_record<R: ObservationRecord + ?Sized>(record: &R) -> Self {
        Observation {
            respondent_id: record.respondent_id().to_owned(),
            touchpoint_id: record.touchpoint_id().to_owned(),
            reality: record.reality(),
            expectation: record.expectation(),
            segment: record.segment().map(str::to_owned),
            channel: record.channel().cloned(),
            timestamp: record.timestamp(),
            emotion: record.emotion(),
            comment: record.comment().map(str::to_owned),
            weight: record.weight(),
        }
    }

    /// Sets the expectation rating.
    #[must_use]
    pub fn with_expectation(mut self, expectation: f64) -> Self {
        self.expectation = Some(expectation);
        self
    }

    /// Sets the segment.
    #[must_use]
    pub fn with_segment(mut self, segment: impl Into<String>) -> Self {
        self.segment = Some(segment.into());
        self
    }

    /// Sets the channel.
    #[must_use]
    pub fn with_channel(mut self, channel: Channel) -> Self {
        self.channel = Some(channel);
        self
    }

    /// Sets the timestamp.
    #[must_use]
    pub fn with_timestamp(mut self, timestamp: DateTime<Utc>) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// Sets the emotion.
    #[must_use]
    pub fn with_emotion(mut self, emotion: Emotion) -> Self {
        self.emotion = Some(emotion);
        self
    }

    /// Sets the comment.
    #[must_use]
    pub fn with_comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Sets the respondent's weight.
    #[must_use]
    pub fn with_weight(mut self, weight: Weight) -> Self {
        self.weight = Some(weight);
        self
    }
}

impl ObservationRecord for Observation {
    fn respondent_id(&self) -> &str {
        &self.respondent_id
    }
    fn touchpoint_id(&self) -> &str {
        &self.touchpoint_id
    }
    fn reality(&self) -> f64 {
        self.reality
    }
    fn expectation(&self) -> Option<f64> {
        self.expectation
    }
    fn segment(&self) -> Option<&str> {
        self.segment.as_deref()
    }
    fn channel(&self) -> Option<&Channel> {
        self.channel.as_ref()
    }
    fn timestamp(&self) -> Option<DateTime<Utc>> {
        self.timestamp
    }
    fn emotion(&self) -> Option<Emotion> {
        self.emotion
    }
    fn comment(&self) -> Option<&str> {
        self.comment.as_deref()
    }
    fn weight(&self) -> Option<Weight> {
        self.weight
    }
}

/// What one respondent said about the journey as a whole: the three loyalty
/// questions, likelihood to recommend and effort.
///
/// ```
/// use cx_model::{Answer, LoyaltyQuestion, Outcome, OutcomeRecord};
///
/// let outcome = Outcome::new("r-17")
///     .with_answer(LoyaltyQuestion::WouldReturn, Answer::Yes)
///     .with_likelihood_to_recommend(9.0);
/// assert_eq!(outcome.answer(LoyaltyQuestion::WouldReturn), Answer::Yes);
/// assert_eq!(outcome.answer(LoyaltyQuestion::WouldRecommend), Answer::NotAnswered);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Outcome {
    /// Who answered.
    pub respondent_id: String,
    /// Were your expectations met?
    #[serde(default)]
    pub expectations_met: Answer,
    /// Would you come back?
    #[serde(default)]
    pub would_return: Answer,
    /// Would you recommend us?
    #[serde(default)]
    pub would_recommend: Answer,
    /// Likelihood to recommend, usually 0..=10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likelihood_to_recommend: Option<f64>,
    /// Customer effort rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<f64>,
    /// A group the respondent belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// When the respondent answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<DateTime<Utc>>,
    /// The respondent's survey weight, if the survey is weighted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Weight>,
}

impl Outcome {
    /// An outcome with every question not answered.
    pub fn new(respondent_id: impl Into<String>) -> Self {
        Outcome {
            respondent_id: respondent_id.into(),
            expectations_met: Answer::NotAnswered,
            would_return: Answer::NotAnswered,
            would_recommend: Answer::NotAnswered,
            likelihood_to_recommend: None,
            effort: None,
            segment: None,
            timestamp: None,
            weight: None,
        }
    }

    /// Sets the answer to one loyalty question.
    #[must_use]
    pub fn with_answer(mut self, question: LoyaltyQuestion, answer: Answer) -> Self {
        *self.answer_mut(question) = answer;
        self
    }

    /// The answer to one loyalty question, for changing it.
    pub fn answer_mut(&mut self, question: LoyaltyQuestion) -> &mut Answer {
        match question {
            LoyaltyQuestion::ExpectationsMet => &mut self.expectations_met,
            LoyaltyQuestion::WouldReturn => &mut self.would_return,
            LoyaltyQuestion::WouldRecommend => &mut self.would_recommend,
        }
    }

    /// Sets the likelihood to recommend.
    #[must_use]
    pub fn with_likelihood_to_recommend(mut self, likelihood: f64) -> Self {
        self.likelihood_to_recommend = Some(likelihood);
        self
    }

    /// Sets the effort rating.
    #[must_use]
    pub fn with_effort(mut self, effort: f64) -> Self {
        self.effort = Some(effort);
        self
    }

    /// Sets the segment.
    #[must_use]
    pub fn with_segment(mut self, segment: impl Into<String>) -> Self {
        self.segment = Some(segment.into());
        self
    }

    /// Sets the timestamp.
    #[must_use]
    pub fn with_timestamp(mut self, timestamp: DateTime<Utc>) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// Sets the respondent's weight.
    #[must_use]
    pub fn with_weight(mut self, weight: Weight) -> Self {
        self.weight = Some(weight);
        self
    }
}

impl OutcomeRecord for Outcome {
    fn respondent_id(&self) -> &str {
        &self.respondent_id
    }
    fn answer(&self, question: LoyaltyQuestion) -> Answer {
        match question {
            LoyaltyQuestion::ExpectationsMet => self.expectations_met,
            LoyaltyQuestion::WouldReturn => self.would_return,
            LoyaltyQuestion::WouldRecommend => self.would_recommend,
        }
    }
    fn likelihood_to_recommend(&self) -> Option<f64> {
        self.likelihood_to_recommend
    }
    fn effort(&self) -> Option<f64> {
        self.effort
    }
    fn segment(&self) -> Option<&str> {
        self.segment.as_deref()
    }
    fn timestamp(&self) -> Option<DateTime<Utc>> {
        self.timestamp
    }
    fn weight(&self) -> Option<Weight> {
        self.weight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observation_serializes_with_snake_case_fields_and_skips_absent_ones() {
        let observation = Observation::new("r1", "cashier", 2.0)
            .with_expectation(4.0)
            .with_emotion(Emotion::CaredFor)
            .with_channel(Channel::Store)
            .with_timestamp("2024-03-15T12:34:56Z".parse().unwrap());
        let json = serde_json::to_string(&observation).unwrap();
        assert_eq!(
            json,
            r#"{"respondent_id":"r1","touchpoint_id":"cashier","reality":2.0,"expectation":4.0,"channel":"store","timestamp":"2024-03-15T12:34:56Z","emotion":"cared_for"}"#
        );
        assert_eq!(
            serde_json::from_str::<Observation>(&json).unwrap(),
            observation
        );
    }

    #[test]
    fn outcome_serializes_with_snake_case_fields() {
        let outcome = Outcome::new("r1")
            .with_answer(LoyaltyQuestion::ExpectationsMet, Answer::Yes)
            .with_answer(LoyaltyQuestion::WouldRecommend, Answer::No)
            .with_effort(2.0);
        let json = serde_json::to_string(&outcome).unwrap();
        assert_eq!(
            json,
            r#"{"respondent_id":"r1","expectations_met":"yes","would_return":"not_answered","would_recommend":"no","effort":2.0}"#
        );
        assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), outcome);
        let sparse: Outcome = serde_json::from_str(r#"{"respondent_id":"r2"}"#).unwrap();
        assert_eq!(sparse, Outcome::new("r2"));
    }

    #[test]
    fn outcome_answers_by_question() {
        let mut outcome = Outcome::new("r1");
        for (question, answer) in
            LoyaltyQuestion::ALL
                .into_iter()
                .zip([Answer::Yes, Answer::No, Answer::Yes])
        {
            *outcome.answer_mut(question) = answer;
        }
        assert_eq!(outcome.expectations_met, Answer::Yes);
        assert_eq!(outcome.would_return, Answer::No);
        assert_eq!(outcome.answer(LoyaltyQuestion::WouldRecommend), Answer::Yes);
    }
}
