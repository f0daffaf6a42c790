//! The one error type of the model: what was refused, and where.
//!
//! This module names no other module of the crate, so that every module
//! can raise an [`Error`] without a circle of imports: a kind carries the
//! plain values it reports (a scale as its bounds, say), not the types.

use std::fmt;

use thiserror::Error as ThisError;

/// A shorthand for results whose error is an [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A scale that cannot exist, a rating that does not fit its scale, a
/// journey that breaks a rule, or text that names no emotion or answer.
///
/// [`kind`](Error::kind) tells which, with the values involved;
/// [`position`](Error::position) tells where in a journey, when the error
/// is about one touchpoint's field. The error is boxed, so a `Result`
/// costs one word more than its value.
///
/// ```
/// use cx_model::{ErrorKind, Scale};
///
/// let error = Scale::LIKERT_5.classify(6.0).unwrap_err();
/// assert!(error.is_scale());
/// assert!(matches!(error.kind(), ErrorKind::OutOfScale { value, .. } if *value == 6.0));
/// assert_eq!(error.to_string(), "rating 6 is outside the scale 1..=5");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Error(Box<Inner>);

#[derive(Debug, Clone, PartialEq)]
struct Inner {
    kind: ErrorKind,
    position: Option<Position>,
}

/// What went wrong, with the values that tell the reader why.
#[derive(Debug, Clone, PartialEq, ThisError)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bounds of a scale are not finite, beyond
    /// ±[`Scale::MAX_SCALE_BOUND`](crate::Scale::MAX_SCALE_BOUND), or `min`
    /// is not below `max`.
    #[error("invalid scale {min}..={max}: expected bounds from -1000000 to 1000000 with min < max")]
    InvalidBounds {
        /// The lower bound given.
        min: f64,
        /// The upper bound given.
        max: f64,
    },
    /// The not-applicable value is not finite or lies inside the scale.
    #[error(
        "not-applicable value {value} is invalid for scale {}: expected a finite value outside the scale",
        Range(*min, *max, *not_applicable)
    )]
    NotApplicableInRange {
        /// The not-applicable value given.
        value: f64,
        /// The scale's lower bound.
        min: f64,
        /// The scale's upper bound.
        max: f64,
        /// The scale's not-applicable value before, if it had one.
        not_applicable: Option<f64>,
    },
    /// A rating is NaN or infinite.
    #[error("rating {value} is not a finite number")]
    NotFinite {
        /// The value given.
        value: f64,
    },
    /// A rating is finite but outside its scale.
    #[error("rating {value} is outside the scale {}", Range(*min, *max, *not_applicable))]
    OutOfScale {
        /// The value given.
        value: f64,
        /// The scale's lower bound.
        min: f64,
        /// The scale's upper bound.
        max: f64,
        /// The scale's not-applicable value, if it has one.
        not_applicable: Option<f64>,
    },
    /// A rating is its scale's not-applicable value where a position on
    /// the scale is needed.
    #[error("rating {value} means \"not applicable\" and has no position on the scale")]
    NotApplicable {
        /// The value given.
        value: f64,
    },
    /// Text names none of the eighteen emotions.
    #[error("unknown emotion {text:?}; expected one of: {expected}")]
    UnknownEmotion {
        /// The text that was given.
        text: String,
        /// The emotions' names, comma-separated.
        expected: &'static str,
    },
    /// Text is not one of the spellings of a yes/no answer.
    #[error("{text:?} is not a yes/no answer; expected yes/no, true/false, y/n, 1/0 or empty")]
    InvalidAnswer {
        /// The text that was given.
        text: String,
    },
    /// A journey has no stage.
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
    /// A journey, stage or touchpoint name or id holds a control character
    /// (NUL, a line break, an escape, …), which would be written raw into
    /// every report; `what` says which text.
    #[error("{what} {text:?} holds a control character; expected printable text")]
    ControlCharacter {
        /// Which text: `"journey name"`, `"stage name"`, `"touchpoint id"`
        /// or `"touchpoint name"`.
        what: &'static str,
        /// The text.
        text: String,
    },
    /// A touchpoint id that is not in the journey.
    #[error("{touchpoint:?} is not a touchpoint of journey {journey:?}")]
    UnknownTouchpoint {
        /// The touchpoint id.
        touchpoint: String,
        /// The journey's name.
        journey: String,
    },
    /// A touchpoint's weight is negative, NaN, infinite or above
    /// [`MAX_TOUCHPOINT_WEIGHT`](crate::MAX_TOUCHPOINT_WEIGHT); the error's
    /// [`position`](Error::position) names the touchpoint.
    #[error("{weight} is invalid; expected a number from 0 to 1000000")]
    InvalidWeight {
        /// The weight given.
        weight: f64,
    },
    /// A respondent's weight is NaN, infinite, negative, above
    /// [`Weight::MAX`](crate::Weight::MAX), or positive but below half the
    /// weights' resolution (it would round to zero).
    #[error(
        "respondent weight {weight} is invalid; expected a finite number from 0 to 1048576 (a positive one at least 2^-31)"
    )]
    InvalidRespondentWeight {
        /// The weight given.
        weight: f64,
    },
    /// A respondent's weight is text that is no number.
    #[error("respondent weight {text:?} is not a number")]
    InvalidRespondentWeightText {
        /// The text given.
        text: String,
    },
    /// Seconds and nanoseconds that name no moment a
    /// [`Timestamp`](crate::Timestamp) holds.
    #[error(
        "{second} s and {nanosecond} ns since 1970 is no timestamp: expected years -262143..=262142 and under 10^9 ns (2·10^9 in a leap second)"
    )]
    InvalidTimestamp {
        /// The seconds given.
        second: i64,
        /// The nanoseconds given.
        nanosecond: u32,
    },
}

/// Where in a journey an error lies: one field of one touchpoint, such as
/// a target expectation off the scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    touchpoint: String,
    field: &'static str,
}

impl Position {
    /// The touchpoint's id.
    pub fn touchpoint(&self) -> &str {
        &self.touchpoint
    }

    /// The field's name, e.g. `"target"`.
    pub fn field(&self) -> &str {
        self.field
    }
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// What went wrong, by value.
    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }

    /// The touchpoint field the error is about, if it is about one.
    pub fn position(&self) -> Option<&Position> {
        self.0.position.as_ref()
    }

    /// Whether a scale is invalid or a rating does not fit one (wherever
    /// the rating was, a touchpoint's target included).
    pub fn is_scale(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::InvalidBounds { .. }
                | ErrorKind::NotApplicableInRange { .. }
                | ErrorKind::NotFinite { .. }
                | ErrorKind::OutOfScale { .. }
                | ErrorKind::NotApplicable { .. }
        )
    }

    /// Whether a journey breaks one of the rules checked when it is built,
    /// a target off the scale included.
    pub fn is_journey(&self) -> bool {
        self.position().is_some()
            || matches!(
                self.kind(),
                ErrorKind::NoStages { .. }
                    | ErrorKind::EmptyStage { .. }
                    | ErrorKind::DuplicateStage { .. }
                    | ErrorKind::EmptyStageName { .. }
                    | ErrorKind::DuplicateTouchpoint { .. }
                    | ErrorKind::EmptyTouchpointId { .. }
                    | ErrorKind::InvalidWeight { .. }
            )
    }

    /// Whether text named no emotion or no yes/no answer, or was no
    /// number as a respondent's weight.
    pub fn is_parse(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::UnknownEmotion { .. }
                | ErrorKind::InvalidAnswer { .. }
                | ErrorKind::InvalidRespondentWeightText { .. }
        )
    }

    /// The same error, said of `field` of touchpoint `touchpoint`.
    pub(crate) fn at(mut self, touchpoint: &str, field: &'static str) -> Self {
        self.0.position = Some(Position {
            touchpoint: touchpoint.to_owned(),
            field,
        });
        self
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(Inner {
            kind,
            position: None,
        }))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(position) = &self.0.position {
            write!(
                f,
                "touchpoint {:?}: field {:?}: ",
                position.touchpoint, position.field
            )?;
        }
        fmt::Display::fmt(&self.0.kind, f)
    }
}

impl std::error::Error for Error {}

/// A scale's range as people read it: `1..=5`, or `1..=5 (0 = not
/// applicable)`; the one way [`Scale`](crate::Scale) and its errors write it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Range(pub f64, pub f64, pub Option<f64>);

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Range(min, max, not_applicable) = *self;
        write!(f, "{min}..={max}")?;
        if let Some(na) = not_applicable {
            write!(f, " ({na} = not applicable)")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_send_and_sync_and_one_word() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn a_position_prefixes_the_message() {
        let error = Error::from(ErrorKind::InvalidWeight { weight: -1.0 }).at("till", "weight");
        assert_eq!(
            error.to_string(),
            r#"touchpoint "till": field "weight": -1 is invalid; expected a number from 0 to 1000000"#
        );
        assert_eq!(error.position().map(Position::touchpoint), Some("till"));
        assert_eq!(error.position().map(Position::field), Some("weight"));
        assert!(error.is_journey() && !error.is_scale());
    }
}
