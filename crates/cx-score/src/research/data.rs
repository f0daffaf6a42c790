//! A survey held in memory, respondent by respondent, for analyses that
//! resample respondents.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use cx_model::{Answer, Journey, LoyaltyQuestion, ObservationRecord, OutcomeRecord, Scale, Weight};
use serde::{Deserialize, Serialize};

use crate::check::{TouchpointRating, check_likelihood, check_observation};
use crate::error::{Error, ErrorKind};
use crate::rejection::{RejectReason, Rejection};
use crate::scorecard::missing_weight;

/// One respondent: their touchpoint ratings and outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Respondent {
    /// Who.
    pub id: String,
    /// Their ratings, in the order read.
    pub ratings: Vec<TouchpointRating>,
    /// Answers to the three loyalty questions, in [`LoyaltyQuestion::ALL`] order.
    pub answers: [Answer; 3],
    /// Likelihood to recommend.
    pub likelihood: Option<f64>,
    /// Their segment (the first one seen).
    pub segment: Option<String>,
    /// When they answered (the first timestamp seen).
    pub timestamp: Option<chrono::DateTime<chrono::Utc>>,
    /// Their survey weight: always present in a
    /// [`weighted`](SurveyData::weighted) data set, never in an unweighted
    /// one (which ignores the records' weights). Written only when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Weight>,
}

impl Respondent {
    /// The respondent's weight as a number: 1 when unweighted, so that
    /// every weighted formula reduces to the unweighted one, bit for bit.
    pub fn weight_value(&self) -> f64 {
        self.weight.map_or(1.0, Weight::to_f64)
    }
}

/// What a comparison or driver analysis predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// One of the three yes/no loyalty questions.
    Question(LoyaltyQuestion),
    /// Likelihood to recommend (0..=10).
    Nps,
}

impl Target {
    /// The snake_case name: a question's name, or `nps`.
    pub fn name(self) -> &'static str {
        match self {
            Target::Question(question) => question.name(),
            Target::Nps => "nps",
        }
    }

    /// The respondent's value: 1 or 0 for a question answered yes or no, the
    /// likelihood for NPS; `None` when not answered.
    pub fn value(self, respondent: &Respondent) -> Option<f64> {
        match self {
            Target::Question(question) => respondent.answers[question.index()]
                .as_bool()
                .map(|yes| f64::from(u8::from(yes))),
            Target::Nps => respondent.likelihood,
        }
    }

    /// Whether the target is yes/no.
    pub fn is_binary(self) -> bool {
        matches!(self, Target::Question(_))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for Target {
    type Err = Error;

    /// Reads a question's name or `nps`, ignoring case.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownTarget`] for any other text.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.eq_ignore_ascii_case("nps") {
            return Ok(Target::Nps);
        }
        LoyaltyQuestion::ALL
            .into_iter()
            .find(|q| q.name().eq_ignore_ascii_case(text))
            .map(Target::Question)
            .ok_or_else(|| {
                ErrorKind::UnknownTarget {
                    text: text.to_owned(),
                }
                .into()
            })
    }
}

/// A survey in memory, grouped by respondent, for comparisons and driver
/// analyses that resample respondents. Memory grows with the data.
///
/// Observations and outcomes are checked as the scorecard checks them;
/// rejected ones are counted, not kept.
///
/// A [`weighted`](SurveyData::weighted) data set keeps each respondent's
/// [`Weight`], as the weighted scorecard does: a record without a weight
/// is rejected ([`RejectReason::MissingWeight`]), and so is one whose
/// weight differs from the one its respondent's earlier records gave
/// ([`RejectReason::ConflictingWeight`]). Both
/// [`drivers`](crate::research::drivers) and
/// [`compare`](crate::research::compare) then weigh respondents.
#[derive(Debug, Clone)]
pub struct SurveyData {
    journey: Journey,
    respondents: Vec<Respondent>,
    index: HashMap<String, usize>,
    rejected: u64,
    weighted: bool,
}

impl SurveyData {
    /// An empty data set for `journey`. Records' weights, if any, are
    /// ignored.
    pub fn new(journey: Journey) -> Self {
        SurveyData {
            journey,
            respondents: Vec::new(),
            index: HashMap::new(),
            rejected: 0,
            weighted: false,
        }
    }

    /// An empty data set for `journey` that keeps every respondent's
    /// weight and refuses records without one, or with another weight
    /// than their respondent's earlier records.
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Outcome, Scale, Stage, Touchpoint, Weight};
    /// use cx_score::RejectReason;
    /// use cx_score::research::SurveyData;
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut data = SurveyData::weighted(journey);
    /// let half = Weight::new(0.5)?;
    /// data.push(&Observation::new("a", "till", 4.0).with_weight(half))?;
    /// let missing = data.push(&Observation::new("b", "till", 4.0)).unwrap_err();
    /// assert_eq!(missing.reason, RejectReason::MissingWeight);
    /// let other = data.push_outcome(&Outcome::new("a").with_weight(Weight::ONE)).unwrap_err();
    /// assert_eq!(other.reason, RejectReason::ConflictingWeight);
    /// assert_eq!((data.rejected(), data.respondents()[0].weight_value()), (2, 0.5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn weighted(journey: Journey) -> Self {
        SurveyData {
            weighted: true,
            ..SurveyData::new(journey)
        }
    }

    /// Whether respondents carry weights ([`weighted`](Self::weighted)).
    pub fn is_weighted(&self) -> bool {
        self.weighted
    }

    /// The journey.
    pub fn journey(&self) -> &Journey {
        &self.journey
    }

    /// The respondents, in order of first appearance.
    pub fn respondents(&self) -> &[Respondent] {
        &self.respondents
    }

    /// Records refused so far.
    pub fn rejected(&self) -> u64 {
        self.rejected
    }

    /// The weight a record of `respondent` with weight `weight` brings:
    /// nothing when unweighted; when weighted, the weight, unless it is
    /// missing or differs from the respondent's.
    /// Refuses an outcome that contradicts what its respondent's earlier
    /// outcomes answered.
    fn check_answers<O: OutcomeRecord + ?Sized>(
        &self,
        outcome: &O,
        likelihood: Option<f64>,
    ) -> Result<(), Rejection> {
        let respondent = outcome.respondent_id();
        let Some(known) = self
            .index
            .get(respondent)
            .and_then(|&index| self.respondents.get(index))
        else {
            return Ok(());
        };
        let conflict = |field: &'static str, detail: String| Rejection {
            reason: RejectReason::ConflictingAnswer,
            respondent: respondent.to_owned(),
            field,
            detail,
        };
        for (earlier, question) in known.answers.iter().zip(LoyaltyQuestion::ALL) {
            let answer = outcome.answer(question);
            if answer != Answer::NotAnswered
                && *earlier != Answer::NotAnswered
                && answer != *earlier
            {
                return Err(conflict(
                    question.name(),
                    format!(
                        "answer {answer:?} differs from the respondent's earlier answer {earlier:?}"
                    ),
                ));
            }
        }
        if let (Some(earlier), Some(likelihood)) = (known.likelihood, likelihood)
            && earlier != likelihood
        {
            return Err(conflict(
                "likelihood_to_recommend",
                format!("{likelihood} differs from the respondent's earlier {earlier}"),
            ));
        }
        Ok(())
    }

    fn check_weight(
        &self,
        respondent: &str,
        weight: Option<Weight>,
    ) -> Result<Option<Weight>, Rejection> {
        if !self.weighted {
            return Ok(None);
        }
        let weight = weight.ok_or_else(|| missing_weight(respondent))?;
        let known = self
            .index
            .get(respondent)
            .and_then(|&index| self.respondents.get(index))
            .and_then(|known| known.weight);
        match known {
            Some(known) if known != weight => Err(Rejection {
                reason: RejectReason::ConflictingWeight,
                respondent: respondent.to_owned(),
                field: "weight",
                detail: format!(
                    "weight {} differs from the respondent's earlier weight {}",
                    weight.to_f64(),
                    known.to_f64()
                ),
            }),
            _ => Ok(Some(weight)),
        }
    }

    fn respondent(&mut self, id: &str, weight: Option<Weight>) -> &mut Respondent {
        let index = match self.index.get(id) {
            Some(&index) => index,
            None => {
                self.respondents.push(Respondent {
                    id: id.to_owned(),
                    ratings: Vec::new(),
                    answers: [Answer::NotAnswered; 3],
                    likelihood: None,
                    segment: None,
                    timestamp: None,
                    weight,
                });
                self.index.insert(id.to_owned(), self.respondents.len() - 1);
                self.respondents.len() - 1
            }
        };
        &mut self.respondents[index]
    }

    /// Adds an observation, or refuses it (and counts it).
    ///
    /// # Errors
    ///
    /// A [`Rejection`] for an unknown touchpoint or a rating off the scale;
    /// weighted, also for a missing or conflicting weight.
    pub fn push<O: ObservationRecord + ?Sized>(
        &mut self,
        observation: &O,
    ) -> Result<(), Rejection> {
        let checked = check_observation(&self.journey, observation).and_then(|rating| {
            let weight = self.check_weight(observation.respondent_id(), observation.weight())?;
            Ok((rating, weight))
        });
        let (rating, weight) = checked.inspect_err(|_| self.rejected += 1)?;
        self.respondent(observation.respondent_id(), weight)
            .ratings
            .push(rating);
        Ok(())
    }

    /// Adds a respondent's outcome; answers already given are kept where the
    /// new one is not answered, and an answer given again must be the same.
    ///
    /// # Errors
    ///
    /// A [`Rejection`] (counted, and nothing of the outcome kept) for a
    /// likelihood to recommend that is not finite or not on 0..=10; for an
    /// answer or a likelihood that contradicts the respondent's earlier
    /// one ([`RejectReason::ConflictingAnswer`]); weighted, also for a
    /// missing or conflicting weight.
    ///
    /// ```
    /// use cx_model::{Answer, Channel, Journey, LoyaltyQuestion, Outcome, Scale, Stage, Touchpoint};
    /// use cx_score::RejectReason;
    /// use cx_score::research::SurveyData;
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut data = SurveyData::new(journey);
    /// let back = |yes| Outcome::new("a").with_answer(LoyaltyQuestion::WouldReturn, Answer::from(yes));
    /// data.push_outcome(&back(true))?;
    /// data.push_outcome(&back(true))?; // the same answer again: kept once
    /// let no = data.push_outcome(&back(false)).unwrap_err();
    /// assert_eq!((no.reason, no.field), (RejectReason::ConflictingAnswer, "would_return"));
    /// let answers = data.respondents()[0].answers;
    /// assert_eq!(answers[LoyaltyQuestion::WouldReturn.index()], Answer::Yes);
    /// assert_eq!(data.rejected(), 1);
    /// let later = data.push_outcome(&Outcome::new("a").with_likelihood_to_recommend(9.0));
    /// assert!(later.is_ok(), "a new answer of a known respondent is added");
    /// let other = data.push_outcome(&Outcome::new("a").with_likelihood_to_recommend(3.0)).unwrap_err();
    /// assert_eq!(other.field, "likelihood_to_recommend");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn push_outcome<O: OutcomeRecord + ?Sized>(
        &mut self,
        outcome: &O,
    ) -> Result<(), Rejection> {
        let checked = check_likelihood(&Scale::LIKELIHOOD_0_10, outcome).and_then(|likelihood| {
            let weight = self.check_weight(outcome.respondent_id(), outcome.weight())?;
            self.check_answers(outcome, likelihood)?;
            Ok((likelihood, weight))
        });
        let (likelihood, weight) = checked.inspect_err(|_| self.rejected += 1)?;
        let respondent = self.respondent(outcome.respondent_id(), weight);
        for (slot, question) in respondent.answers.iter_mut().zip(LoyaltyQuestion::ALL) {
            let answer = outcome.answer(question);
            if answer != Answer::NotAnswered {
                *slot = answer;
            }
        }
        if likelihood.is_some() {
            respondent.likelihood = likelihood;
        }
        if respondent.segment.is_none() {
            respondent.segment = outcome.segment().map(str::to_owned);
        }
        Ok(())
    }
}
