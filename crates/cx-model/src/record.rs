//! The traits through which scoring and I/O see survey data.
//!
//! A product implements these traits for its own row types, and pushes
//! them into an [`ObservationBatch`](crate::ObservationBatch) or a scorer
//! without first building an [`Observation`](crate::Observation) or
//! [`Outcome`](crate::Outcome). Both traits are implemented for
//! references, so borrowed data works too.

use chrono::{DateTime, Utc};

use crate::answer::{Answer, LoyaltyQuestion};
use crate::channel::Channel;
use crate::emotion::Emotion;
use crate::weight::Weight;

/// One respondent at one touchpoint, as scoring needs to see it.
///
/// Only the respondent, the touchpoint and the reality rating are required;
/// every other method has a default that says "not recorded".
///
/// A product's own row type, scored in place:
///
/// ```
/// use cx_model::{Emotion, ObservationRecord};
///
/// struct SurveyRow<'a> {
///     user: u64,
///     user_key: &'a str, // the user id as text, kept by the product
///     step: &'a str,
///     score: u8,
///     hoped_for: Option<u8>,
///     mood: Option<Emotion>,
/// }
///
/// impl ObservationRecord for SurveyRow<'_> {
///     fn respondent_id(&self) -> &str { self.user_key }
///     fn touchpoint_id(&self) -> &str { self.step }
///     fn reality(&self) -> f64 { f64::from(self.score) }
///     fn expectation(&self) -> Option<f64> { self.hoped_for.map(f64::from) }
///     fn emotion(&self) -> Option<Emotion> { self.mood }
/// }
///
/// let row = SurveyRow { user: 7, user_key: "7", step: "checkout", score: 4, hoped_for: Some(5), mood: None };
/// assert_eq!(row.expectation(), Some(5.0));
/// assert_eq!(row.segment(), None);
/// // References implement the trait too.
/// fn touchpoint<R: ObservationRecord>(record: R) -> String { record.touchpoint_id().to_owned() }
/// assert_eq!(touchpoint(&row), "checkout");
/// # let _ = row.user;
/// ```
pub trait ObservationRecord {
    /// Who answered.
    fn respondent_id(&self) -> &str;

    /// The touchpoint's id in the journey.
    fn touchpoint_id(&self) -> &str;

    /// The reality rating, on the journey's scale (possibly its
    /// not-applicable value).
    fn reality(&self) -> f64;

    /// The respondent's own expectation rating, if the survey asked.
    fn expectation(&self) -> Option<f64> {
        None
    }

    /// The respondent's segment.
    fn segment(&self) -> Option<&str> {
        None
    }

    /// The channel actually used.
    fn channel(&self) -> Option<&Channel> {
        None
    }

    /// When the contact happened.
    fn timestamp(&self) -> Option<DateTime<Utc>> {
        None
    }

    /// What the respondent felt.
    fn emotion(&self) -> Option<Emotion> {
        None
    }

    /// Free text.
    fn comment(&self) -> Option<&str> {
        None
    }

    /// The respondent's survey weight, if the survey is weighted (the same
    /// on each of the respondent's observations and on the outcome).
    fn weight(&self) -> Option<Weight> {
        None
    }
}

/// What one respondent said about the journey as a whole, as scoring needs to
/// see it.
///
/// Only the respondent id is required; every other method defaults to "not
/// answered".
///
/// ```
/// use cx_model::{Answer, LoyaltyQuestion, OutcomeRecord};
///
/// struct ExitSurvey {
///     id: String,
///     happy: bool,
///     nps_answer: Option<u8>,
/// }
///
/// impl OutcomeRecord for ExitSurvey {
///     fn respondent_id(&self) -> &str { &self.id }
///     fn answer(&self, question: LoyaltyQuestion) -> Answer {
///         match question {
///             LoyaltyQuestion::ExpectationsMet => self.happy.into(),
///             _ => Answer::NotAnswered,
///         }
///     }
///     fn likelihood_to_recommend(&self) -> Option<f64> { self.nps_answer.map(f64::from) }
/// }
///
/// let survey = ExitSurvey { id: "r-1".into(), happy: true, nps_answer: Some(10) };
/// assert_eq!(survey.answer(LoyaltyQuestion::ExpectationsMet), Answer::Yes);
/// assert_eq!((&survey).likelihood_to_recommend(), Some(10.0));
/// ```
pub trait OutcomeRecord {
    /// Who answered.
    fn respondent_id(&self) -> &str;

    /// The answer to one of the three loyalty questions.
    fn answer(&self, question: LoyaltyQuestion) -> Answer {
        let _ = question;
        Answer::NotAnswered
    }

    /// Likelihood to recommend, usually 0..=10.
    fn likelihood_to_recommend(&self) -> Option<f64> {
        None
    }

    /// Customer effort rating.
    fn effort(&self) -> Option<f64> {
        None
    }

    /// The respondent's segment.
    fn segment(&self) -> Option<&str> {
        None
    }

    /// When the respondent answered.
    fn timestamp(&self) -> Option<DateTime<Utc>> {
        None
    }

    /// The respondent's survey weight, if the survey is weighted.
    fn weight(&self) -> Option<Weight> {
        None
    }
}

impl<T: ObservationRecord + ?Sized> ObservationRecord for &T {
    fn respondent_id(&self) -> &str {
        (**self).respondent_id()
    }
    fn touchpoint_id(&self) -> &str {
        (**self).touchpoint_id()
    }
    fn reality(&self) -> f64 {
        (**self).reality()
    }
    fn expectation(&self) -> Option<f64> {
        (**self).expectation()
    }
    fn segment(&self) -> Option<&str> {
        (**self).segment()
    }
    fn channel(&self) -> Option<&Channel> {
        (**self).channel()
    }
    fn timestamp(&self) -> Option<DateTime<Utc>> {
        (**self).timestamp()
    }
    fn emotion(&self) -> Option<Emotion> {
        (**self).emotion()
    }
    fn comment(&self) -> Option<&str> {
        (**self).comment()
    }
    fn weight(&self) -> Option<Weight> {
        (**self).weight()
    }
}

impl<T: OutcomeRecord + ?Sized> OutcomeRecord for &T {
    fn respondent_id(&self) -> &str {
        (**self).respondent_id()
    }
    fn answer(&self, question: LoyaltyQuestion) -> Answer {
        (**self).answer(question)
    }
    fn likelihood_to_recommend(&self) -> Option<f64> {
        (**self).likelihood_to_recommend()
    }
    fn effort(&self) -> Option<f64> {
        (**self).effort()
    }
    fn segment(&self) -> Option<&str> {
        (**self).segment()
    }
    fn timestamp(&self) -> Option<DateTime<Utc>> {
        (**self).timestamp()
    }
    fn weight(&self) -> Option<Weight> {
        (**self).weight()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Observation, Outcome};

    #[test]
    fn references_forward_every_method() {
        let observation = Observation::new("r", "t", 3.0)
            .with_expectation(4.0)
            .with_segment("smb")
            .with_channel(Channel::App)
            .with_timestamp("2024-01-02T03:04:05Z".parse().unwrap())
            .with_emotion(Emotion::Happy)
            .with_comment("fine")
            .with_weight(crate::Weight::ONE);
        let by_ref: &dyn ObservationRecord = &observation;
        let twice = &by_ref;
        assert_eq!(twice.respondent_id(), "r");
        assert_eq!(twice.touchpoint_id(), "t");
        assert_eq!(twice.reality(), 3.0);
        assert_eq!(twice.expectation(), Some(4.0));
        assert_eq!(twice.segment(), Some("smb"));
        assert_eq!(twice.channel(), Some(&Channel::App));
        assert_eq!(twice.timestamp(), observation.timestamp);
        assert_eq!(twice.emotion(), Some(Emotion::Happy));
        assert_eq!(twice.comment(), Some("fine"));
        assert_eq!(twice.weight(), Some(crate::Weight::ONE));

        let outcome = Outcome::new("r")
            .with_answer(LoyaltyQuestion::WouldReturn, Answer::No)
            .with_likelihood_to_recommend(6.0)
            .with_effort(3.0)
            .with_segment("smb")
            .with_weight(crate::Weight::ONE);
        let by_ref = &&outcome;
        assert_eq!(by_ref.respondent_id(), "r");
        assert_eq!(by_ref.answer(LoyaltyQuestion::WouldReturn), Answer::No);
        assert_eq!(
            by_ref.answer(LoyaltyQuestion::ExpectationsMet),
            Answer::NotAnswered
        );
        assert_eq!(by_ref.likelihood_to_recommend(), Some(6.0));
        assert_eq!(by_ref.weight(), Some(crate::Weight::ONE));
        assert_eq!(by_ref.effort(), Some(3.0));
        assert_eq!(by_ref.segment(), Some("smb"));
        assert_eq!(by_ref.timestamp(), None);
    }
}
