//! The one error type of the crate: a parameter that makes no sense, two
//! accumulators that cannot be merged, a state that cannot be read, a
//! name that names nothing, an analysis that cannot run.
//!
//! This module names no other module of the crate, so that every module
//! can raise an [`Error`] without a circle of imports: a kind carries plain
//! values, not the crate's types.

use std::fmt;

use thiserror::Error as ThisError;

/// A shorthand for results whose error is an [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why scoring, merging, reading a state or an analysis was refused.
///
/// [`kind`](Error::kind) tells which, with the values involved. A record
/// that cannot be scored is not an `Error` but a
/// [`Rejection`](crate::Rejection), counted and scored around.
///
/// ```
/// use cx_score::{ErrorKind, ScoreConfig};
///
/// let config = ScoreConfig { confidence: 2.0, ..ScoreConfig::default() };
/// let error = config.validate().unwrap_err();
/// assert!(error.is_config());
/// assert!(matches!(error.kind(), ErrorKind::InvalidConfig { field: "confidence", .. }));
/// assert_eq!(
///     error.to_string(),
///     "config field \"confidence\": 2 is invalid; expected a number between 0 and 1"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

/// What went wrong, with the values that tell the reader why.
#[derive(Debug, Clone, PartialEq, Eq, ThisError)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A scoring parameter makes no sense.
    #[error("config field {field:?}: {value} is invalid; expected {expected}")]
    InvalidConfig {
        /// The field's name, e.g. `"confidence"`.
        field: &'static str,
        /// The value given.
        value: String,
        /// What the field accepts.
        expected: &'static str,
    },
    /// Two accumulators score different journeys, with different
    /// parameters or different breakdowns; the first difference found.
    #[error("cannot merge scorecard accumulators: they differ in {parameter}: {here} vs {there}")]
    MergeMismatch {
        /// What differs, as a path into the serialized form, e.g.
        /// `"config.min_sample"` or `"journey.stages[0].touchpoints[2].id"`.
        parameter: String,
        /// Its value in the accumulator merged into.
        here: String,
        /// Its value in the accumulator merged from.
        there: String,
    },
    /// A count would pass `u64::MAX`.
    #[error("cannot merge scorecard accumulators: {what} would overflow")]
    CountOverflow {
        /// Which count.
        what: &'static str,
    },
    /// Merging would give a breakdown more groups than its limit.
    #[error(
        "cannot merge scorecard accumulators: the breakdown by {dimension} would pass its limit of {limit} groups"
    )]
    TooManyGroups {
        /// The breakdown's dimension, e.g. `"segment"`.
        dimension: &'static str,
        /// The most groups a breakdown holds.
        limit: usize,
    },
    /// An accumulator state is longer than the reader accepts.
    #[error("accumulator state of {len} bytes is over the limit of {limit} bytes")]
    StateTooLarge {
        /// The state's length in bytes.
        len: usize,
        /// The limit, [`MAX_STATE_BYTES`](crate::MAX_STATE_BYTES).
        limit: usize,
    },
    /// An accumulator state is of another format or version.
    #[error("accumulator state is in format {found:?}; expected {expected:?}")]
    StateVersion {
        /// The format tag found, or a description of the bytes where
        /// there is none.
        found: String,
        /// The tag this version reads, [`STATE_FORMAT`](crate::STATE_FORMAT).
        expected: &'static str,
    },
    /// An accumulator state is truncated, corrupt, or not of the schema.
    #[error("accumulator state cannot be decoded: {detail}")]
    StateSyntax {
        /// What the decoder said.
        detail: String,
        /// For JSON, the line of the error, counting from 1.
        line: Option<usize>,
        /// For JSON, the column of the error, counting from 1.
        column: Option<usize>,
    },
    /// An accumulator state could not be encoded.
    #[error("accumulator state cannot be written: {detail}")]
    StateWrite {
        /// What the encoder said.
        detail: String,
    },
    /// An accumulator state decodes, but breaks a rule every accumulator
    /// keeps (one cell per touchpoint, counts that add up, …).
    #[error("invalid accumulator state: {detail}")]
    InvalidState {
        /// Which rule, and where.
        detail: String,
    },
    /// Text names no breakdown dimension.
    #[error("unknown breakdown {text:?}; expected one of: segment, channel, day, week, month")]
    UnknownDimension {
        /// The text that was given.
        text: String,
    },
    /// Text names no research target.
    #[error(
        "unknown outcome {text:?}; expected expectations_met, would_return, would_recommend or nps"
    )]
    UnknownTarget {
        /// The text that was given.
        text: String,
    },
    /// Too few respondents answered the outcome for a driver analysis to
    /// mean anything.
    #[error(
        "driver analysis needs at least {minimum} respondents with {target} answered; found {found}"
    )]
    TooFewRespondents {
        /// The outcome's name, e.g. `"would_return"`.
        target: String,
        /// How many respondents answered it.
        found: u64,
        /// How many are needed.
        minimum: u64,
    },
    /// Text names no p-value adjustment.
    #[error("unknown p-value adjustment {text:?}; expected holm, bh or none")]
    UnknownAdjustment {
        /// The text that was given.
        text: String,
    },
    /// A p-value to adjust is not in `0..=1`.
    #[error("p-value {value} is not between 0 and 1")]
    InvalidPValue {
        /// The value given.
        value: String,
    },
    /// A comparison asked for a breakdown the scorecard does not have.
    #[error("the scorecard has no breakdown by {dimension}")]
    NoBreakdown {
        /// The dimension's name, e.g. `"month"`.
        dimension: &'static str,
    },
    /// A comparison named a group its breakdown does not have.
    #[error("the breakdown by {dimension} has no group {key:?}")]
    UnknownGroup {
        /// The dimension's name, e.g. `"month"`.
        dimension: &'static str,
        /// The key that was given.
        key: String,
    },
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// What went wrong, by value.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    /// Whether a scoring parameter makes no sense.
    pub fn is_config(&self) -> bool {
        matches!(*self.0, ErrorKind::InvalidConfig { .. })
    }

    /// Whether two accumulators could not be merged.
    pub fn is_merge(&self) -> bool {
        matches!(
            *self.0,
            ErrorKind::MergeMismatch { .. }
                | ErrorKind::CountOverflow { .. }
                | ErrorKind::TooManyGroups { .. }
        )
    }

    /// Whether an accumulator state could not be read.
    pub fn is_state(&self) -> bool {
        matches!(
            *self.0,
            ErrorKind::StateTooLarge { .. }
                | ErrorKind::StateVersion { .. }
                | ErrorKind::StateSyntax { .. }
                | ErrorKind::StateWrite { .. }
                | ErrorKind::InvalidState { .. }
        )
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_send_and_sync_and_one_word() {
        fn send_sync<T: Send + Sync + 'static>() {}
        send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn a_mismatch_names_the_parameter_and_both_values() {
        let error = Error::from(ErrorKind::MergeMismatch {
            parameter: "config.min_sample".into(),
            here: "30".into(),
            there: "5".into(),
        });
        assert!(error.is_merge() && !error.is_state());
        assert_eq!(
            error.to_string(),
            "cannot merge scorecard accumulators: they differ in config.min_sample: 30 vs 5"
        );
    }
}
