//! A survey held in memory, respondent by respondent, for analyses that
//! resample respondents.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use cx_model::{Answer, Journey, LoyaltyQuestion, ObservationRecord, OutcomeRecord, Scale};
use serde::{Deserialize, Serialize};

use crate::check::{TouchpointRating, check_likelihood, check_observation};
use crate::error::{Error, ErrorKind};
use crate::rejection::Rejection;

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
#[derive(Debug, Clone)]
pub struct SurveyData {
    journey: Journey,
    respondents: Vec<Respondent>,
    index: HashMap<String, usize>,
    rejected: u64,
}

impl SurveyData {
    /// An empty data set for `journey`.
    pub fn new(journey: Journey) -> Self {
        SurveyData {
            journey,
            respondents: Vec::new(),
            index: HashMap::new(),
            rejected: 0,
        }
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

    fn respondent(&mut self, id: &str) -> &mut Respondent {
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
    /// A [`Rejection`] for an unknown touchpoint or a rating off the scale.
    pub fn push<O: ObservationRecord + ?Sized>(
        &mut self,
        observation: &O,
    ) -> Result<(), Rejection> {
        let rating =
            check_observation(&self.journey, observation).inspect_err(|_| self.rejected += 1)?;
        self.respondent(observation.respondent_id())
            .ratings
            .push(rating);
        Ok(())
    }

    /// Adds a respondent's outcome; answers already given are kept where the
    /// new one is not answered.
    ///
    /// # Errors
    ///
    /// A [`Rejection`] (counted, and nothing of the outcome kept) for a
    /// likelihood to recommend that is not finite or not on 0..=10.
    pub fn push_outcome<O: OutcomeRecord + ?Sized>(
        &mut self,
        outcome: &O,
    ) -> Result<(), Rejection> {
        let likelihood = check_likelihood(&Scale::LIKELIHOOD_0_10, outcome)
            .inspect_err(|_| self.rejected += 1)?;
        let respondent = self.respondent(outcome.respondent_id());
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
