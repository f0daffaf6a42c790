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
    let reject = |reason, field, detail: String| Rejection {
        reason,
        respondent: observation.respondent_id().to_owned(),
        field,
        detail,
    };
    let touchpoint_id = observation.touchpoint_id();
    let hinted = observation
        .touchpoint_index_hint()
        .filter(|&index| journey.is_touchpoint_at(index, touchpoint_id));
    let Some(index) = hinted.or_else(|| journey.position_of(touchpoint_id).map(|p| p.index)) else {
        return Err(reject(
            RejectReason::UnknownTouchpoint,
            "touchpoint",
            format!(
                "{touchpoint_id:?} is not a touchpoint of journey {:?}",
                journey.name()
            ),
        ));
    };
    let scale = journey.scale();
    let reality = match scale.classify(observation.reality()) {
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
    let expectation = match observation.expectation().map(|e| scale.classify(e)) {
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

    /// An observation that claims its touchpoint sits at `hint`.
    struct Hinted {
        touchpoint: &'static str,
        hint: Option<usize>,
    }

    impl ObservationRecord for Hinted {
        fn respondent_id(&self) -> &str {
            "r"
        }
        fn touchpoint_id(&self) -> &str {
            self.touchpoint
        }
        fn touchpoint_index_hint(&self) -> Option<usize> {
            self.hint
        }
        fn reality(&self) -> f64 {
            3.0
        }
    }

    #[test]
    fn a_touchpoint_hint_is_used_only_when_it_names_the_touchpoint() {
        let journey = Journey::builder("j", Scale::LIKERT_5)
            .stage(
                Stage::new("s")
                    .touchpoint(Touchpoint::new("a", "A", Channel::Web))
                    .touchpoint(Touchpoint::new("b", "B", Channel::Web)),
            )
            .build()
            .unwrap();
        let index = |touchpoint, hint| {
            check_observation(&journey, &Hinted { touchpoint, hint }).map(|rating| rating.index)
        };
        assert_eq!(index("b", Some(1)).unwrap(), 1);
        // Wrong or impossible hints fall back to the lookup.
        assert_eq!(index("b", Some(0)).unwrap(), 1);
        assert_eq!(index("a", Some(7)).unwrap(), 0);
        // A hint never admits an unknown touchpoint.
        assert_eq!(
            index("c", Some(0)).unwrap_err().reason,
            RejectReason::UnknownTouchpoint
        );
    }
}
