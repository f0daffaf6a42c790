//! Errors raised while building or checking the model.

use thiserror::Error;

use crate::emotion::Emotion;
use crate::scale::Scale;

/// A scale that cannot exist, or a value that does not fit a scale.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ScaleError {
    /// The bounds are not finite, or `min` is not below `max`.
    #[error("invalid scale {min}..={max}: expected finite bounds with min < max")]
    InvalidBounds {
        /// The lower bound given.
        min: f64,
        /// The upper bound given.
        max: f64,
    },
    /// The not-applicable value is not finite or lies inside the scale.
    #[error(
        "not-applicable value {value} is invalid for scale {scale}: expected a finite value outside the scale"
    )]
    NotApplicableInRange {
        /// The not-applicable value given.
        value: f64,
        /// The scale it was meant for.
        scale: Scale,
    },
    /// The value is NaN or infinite.
    #[error("rating {value} is not a finite number")]
    NotFinite {
        /// The value given.
        value: f64,
    },
    /// The value is finite but outside the scale.
    #[error("rating {value} is outside the scale {scale}")]
    OutOfScale {
        /// The value given.
        value: f64,
        /// The scale it was checked against.
        scale: Scale,
    },
    /// The value is the scale's not-applicable value, which has no position.
    #[error("rating {value} means \"not applicable\" and has no position on the scale")]
    NotApplicable {
        /// The value given.
        value: f64,
    },
}

/// Text that names none of the eighteen [`Emotion`]s.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown emotion {text:?}; expected one of: {}", valid_emotions())]
pub struct UnknownEmotion {
    /// The text that was given.
    pub text: String,
}

fn valid_emotions() -> String {
    Emotion::ALL.map(Emotion::name).join(", ")
}

/// A journey that breaks one of the rules checked by [`Journey::new`](crate::Journey::new).
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum JourneyError {
    /// The journey has no stage.
    #[error("journey {journey:?} has no stage; expected at least one stage with a touchpoint")]
    NoStages {
        /// The journey's name.
        journey: String,
    },
    /// A stage has no touchpoint.
    #[error("stage {stage:?} has no touchpoint; expected at least one")]
    EmptyStage {
        /// The stage's name.
        stage: String,
    },
    /// Two stages share a name.
    #[error("stage name {stage:?} is used twice; expected unique stage names")]
    DuplicateStage {
        /// The repeated name.
        stage: String,
    },
    /// A stage's name is empty or only white space.
    #[error("stage number {position} has an empty name")]
    EmptyStageName {
        /// The stage's position, counting from 1.
        position: usize,
    },
    /// Two touchpoints share an id.
    #[error(
        "touchpoint id {id:?} is used twice (in stages {first_stage:?} and {second_stage:?}); expected unique ids"
    )]
    DuplicateTouchpoint {
        /// The repeated id.
        id: String,
        /// The stage holding the first touchpoint with this id.
        first_stage: String,
        /// The stage holding the second one.
        second_stage: String,
    },
    /// A touchpoint's id is empty or only white space.
    #[error("touchpoint number {position} of stage {stage:?} has an empty id")]
    EmptyTouchpointId {
        /// The stage holding the touchpoint.
        stage: String,
        /// The touchpoint's position in the stage, counting from 1.
        position: usize,
    },
    /// A touchpoint's target expectation is not a rating on the journey's scale.
    #[error("touchpoint {touchpoint:?}: field \"target\": {source}")]
    TargetOutOfScale {
        /// The touchpoint's id.
        touchpoint: String,
        /// Why the target does not fit the scale.
        source: ScaleError,
    },
    /// A touchpoint's weight is negative, NaN or infinite.
    #[error(
        "touchpoint {touchpoint:?}: field \"weight\": {weight} is invalid; expected a finite number >= 0"
    )]
    InvalidWeight {
        /// The touchpoint's id.
        touchpoint: String,
        /// The weight given.
        weight: f64,
    },
    /// The journey's scale itself is invalid.
    #[error("field \"scale\": {0}")]
    Scale(#[from] ScaleError),
}
