//! The one check every observation passes before it is scored.

use cx_model::{ErrorKind, Journey, ObservationRecord, OutcomeRecord, Rating, Scale};
use serde::{Deserialize, Serialize};

use crate::rejection::{RejectReason, Rejection};

/// One respondent's rating of one touchpoint.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TouchpointRating {
    /// The touchpoint's position in journey order.
    pub index: usize,
    /// The reality rating; `None` for the scale's not-applicable value.
    pub reality: Option<f64>,
    /// The respondent's own expectation, if given.
    pub expectation: Option<f64>,
}

/// Checks an observation against its journey: the touchpoint exists, the
/// reality rating is on the scale (or its not-applicable value), and so is
/// the respondent's own expectation if given (its not-applicable value
/// counts as not given). The touchpoint's target is not applied here.
pub(crate) fn check_observation<O: ObservationRecord + ?Sized>(
    journey: &Journey,
    observation: &O,
) -> Result<TouchpointRating, Rejection> {
    let touchpoint_id = observation.touchpoint_id();
    let Some(position) = journey.position_of(touchpoint_id) else {
        return Err(unknown_touchpoint(
            journey,
            touchpoint_id,
            observation.respondent_id(),
        ));
    };
    check_ratings(
        journey,
        position.index,
        observation.reality(),
        observation.expectation(),
    )
    .map_err(|refusal| refusal.of(observation.respondent_id()))
}

/// Why an observation's ratings cannot be scored: a [`Rejection`] but for
/// whose observation it was, which only a refused observation needs to
/// look up.
#[derive(Debug)]
pub(crate) struct Refusal {
    reason: RejectReason,
    field: &'static str,
    detail: String,
}

impl Refusal {
    /// The reason counted.
    pub(crate) fn reason(&self) -> RejectReason {
        self.reason
    }

    /// The rejection of `respondent`'s observation.
    #[cold]
    pub(crate) fn of(self, respondent: &str) -> Rejection {
        Rejection {
            reason: self.reason,
            respondent: respondent.to_owned(),
            field: self.field,
            detail: self.detail,
        }
    }
}

/// The rejection of an observation of `respondent` at a touchpoint id
/// that `journey` does not have.
#[cold]
pub(crate) fn unknown_touchpoint(
    journey: &Journey,
    touchpoint_id: &str,
    respondent: &str,
) -> Rejection {
    Rejection {
        reason: RejectReason::UnknownTouchpoint,
        respondent: respondent.to_owned(),
        field: "touchpoint",
        detail: format!(
            "{touchpoint_id:?} is not a touchpoint of journey {:?}",
            journey.name()
        ),
    }
}

/// Checks the ratings of an observation of the touchpoint at `index`, as
/// [`check_observation`] does once it has found the touchpoint: the index
/// is in the journey, and the ratings are on its scale.
pub(crate) fn check_ratings(
    journey: &Journey,
    index: usize,
    reality: f64,
    expectation: Option<f64>,
) -> Result<TouchpointRating, Refusal> {
    let reject = |reason, field, detail: String| Refusal {
        reason,
        field,
        detail,
    };
    if index >= journey.touchpoint_count() {
        return Err(reject(
            RejectReason::UnknownTouchpoint,
            "touchpoint",
            format!(
                "touchpoint number {index} is not in journey {:?}, which has {}",
                journey.name(),
                journey.touchpoint_count()
            ),
        ));
    }
    let scale = journey.scale();
    let reality = match scale.classify(reality) {
        Ok(Rating::Applicable(reality)) => Some(reality),
        Ok(Rating::NotApplicable) => None,
        Err(error) => {
            let reason = match error.kind() {
                ErrorKind::NotFinite { .. } => RejectReason::RealityNotFinite,
                _ => RejectReason::RealityOutOfScale,
            };
            return Err(reject(reason, "reality", error.to_string()));
        }
    };
    let expectation = match expectation.map(|e| scale.classify(e)) {
        None | Some(Ok(Rating::NotApplicable)) => None,
        Some(Ok(Rating::Applicable(expectation))) => Some(expectation),
        Some(Err(error)) => {
            let reason = match error.kind() {
                ErrorKind::NotFinite { .. } => RejectReason::ExpectationNotFinite,
                _ => RejectReason::ExpectationOutOfScale,
            };
            return Err(reject(reason, "expectation", error.to_string()));
        }
    };
    Ok(TouchpointRating {
        index,
        reality,
        expectation,
    })
}

/// Checks an outcome's likelihood to recommend against the NPS scale:
/// finite, on the scale, and not its not-applicable value.
pub(crate) fn check_likelihood<O: OutcomeRecord + ?Sized>(
    scale: &Scale,
    outcome: &O,
) -> Result<Option<f64>, Rejection> {
    let Some(likelihood) = outcome.likelihood_to_recommend() else {
        return Ok(None);
    };
    let error = match scale.rating(likelihood) {
        Ok(likelihood) => return Ok(Some(likelihood)),
        Err(error) => error,
    };
    let reason = match error.kind() {
        ErrorKind::NotFinite { .. } => RejectReason::LikelihoodNotFinite,
        _ => RejectReason::LikelihoodOutOfScale,
    };
    Err(Rejection {
        reason,
        respondent: outcome.respondent_id().to_owned(),
        field: "likelihood_to_recommend",
        detail: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use cx_model::{Channel, Stage, Touchpoint};

    fn journey() -> Journey {
        Journey::builder("j", Scale::LIKERT_5)
            .stage(
                Stage::new("s")
                    .touchpoint(Touchpoint::new("a", "A", Channel::Web))
                    .touchpoint(Touchpoint::new("b", "B", Channel::Web)),
            )
            .build()
            .unwrap()
    }

    #[test]
    fn touchpoints_are_found_by_id_or_checked_by_index() {
        let journey = journey();
        let found = check_observation(&journey, &cx_model::Observation::new("r", "b", 3.0));
        assert_eq!(found.unwrap().index, 1);
        let unknown = check_observation(&journey, &cx_model::Observation::new("r", "c", 3.0));
        assert_eq!(unknown.unwrap_err().reason, RejectReason::UnknownTouchpoint);
        assert_eq!(check_ratings(&journey, 1, 3.0, None).unwrap().index, 1);
        let outside = check_ratings(&journey, 2, 3.0, None).unwrap_err().of("r");
        assert_eq!(outside.reason, RejectReason::UnknownTouchpoint);
        assert_eq!(
            outside.detail,
            r#"touchpoint number 2 is not in journey "j", which has 2"#
        );
    }
}
