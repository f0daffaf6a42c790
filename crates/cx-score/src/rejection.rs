//! Why one observation or outcome cannot be scored. A rejection is a
//! per-record outcome, counted in the scorecard, not an error of the crate.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The kinds of reasons an observation or outcome is refused; rejected
/// records are counted per reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RejectReason {
    /// The observation names a touchpoint the journey does not have.
    UnknownTouchpoint,
    /// The reality rating is NaN or infinite.
    RealityNotFinite,
    /// The reality rating lies outside the journey's scale.
    RealityOutOfScale,
    /// The expectation rating is NaN or infinite.
    ExpectationNotFinite,
    /// The expectation rating lies outside the journey's scale.
    ExpectationOutOfScale,
    /// Likelihood to recommend is NaN or infinite.
    LikelihoodNotFinite,
    /// Likelihood to recommend lies outside the NPS scale.
    LikelihoodOutOfScale,
    /// The effort rating is NaN or infinite.
    EffortNotFinite,
    /// The effort rating lies outside the configured effort scale.
    EffortOutOfScale,
    /// A weighted scorecard was given a record without its respondent's
    /// weight.
    MissingWeight,
    /// The record's key in a breakdown is new and the breakdown already
    /// holds its limit of groups
    /// ([`max_groups`](crate::ScorecardAccumulator::max_groups)).
    TooManyGroups,
    /// A weighted [`SurveyData`](crate::research::SurveyData) was given a
    /// record whose weight differs from the one its respondent's earlier
    /// records gave. (The scorecard takes each record's weight as given;
    /// readers check that a respondent's rows agree.)
    ConflictingWeight,
    /// A [`SurveyData`](crate::research::SurveyData) was given an outcome
    /// whose answer or likelihood to recommend differs from the one its
    /// respondent's earlier outcome gave (a respondent's rows read twice,
    /// or contradicting each other).
    ConflictingAnswer,
}

impl RejectReason {
    /// The snake_case name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            RejectReason::UnknownTouchpoint => "unknown_touchpoint",
            RejectReason::RealityNotFinite => "reality_not_finite",
            RejectReason::RealityOutOfScale => "reality_out_of_scale",
            RejectReason::ExpectationNotFinite => "expectation_not_finite",
            RejectReason::ExpectationOutOfScale => "expectation_out_of_scale",
            RejectReason::LikelihoodNotFinite => "likelihood_not_finite",
            RejectReason::LikelihoodOutOfScale => "likelihood_out_of_scale",
            RejectReason::EffortNotFinite => "effort_not_finite",
            RejectReason::EffortOutOfScale => "effort_out_of_scale",
            RejectReason::MissingWeight => "missing_weight",
            RejectReason::TooManyGroups => "too_many_groups",
            RejectReason::ConflictingWeight => "conflicting_weight",
            RejectReason::ConflictingAnswer => "conflicting_answer",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// An observation or outcome that cannot be scored: which respondent, which
/// field, what value, and why.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("respondent {respondent:?}: field {field:?}: {detail}")]
pub struct Rejection {
    /// The kind of reason, for counting.
    pub reason: RejectReason,
    /// The respondent whose record it was.
    pub respondent: String,
    /// The offending field, e.g. `"reality"`.
    pub field: &'static str,
    /// What was wrong and what was expected.
    pub detail: String,
}
