//! Whether a respondent's rows come together.

use serde::{Deserialize, Serialize};

/// Whether a respondent's rows (in a long file, or in the records handed to
/// a scorer) come together.
///
/// Readers gather a respondent's outcome columns (the loyalty answers,
/// likelihood to recommend, effort), which may sit on any of their rows,
/// into one [`Outcome`](crate::Outcome); scorers gather a respondent's
/// observations into one cluster for the pooled figures by respondent.
/// Both need to know when a respondent's rows have ended.
///
/// ```
/// use cx_model::RespondentOrder;
///
/// assert_eq!(RespondentOrder::default(), RespondentOrder::Contiguous);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RespondentOrder {
    /// A respondent's rows are contiguous (the usual export layout): a
    /// respondent is done when the id changes, and memory stays constant
    /// however many respondents there are. A respondent whose rows come
    /// back after another's would count as two; cx's readers and command
    /// line tell when that happens.
    #[default]
    Contiguous,
    /// As [`Contiguous`](Self::Contiguous), and a respondent whose rows
    /// come back after another respondent's is an error where it comes
    /// back, naming the id and where its rows began: for input that cannot
    /// be read again (a stream), which must not be scored as if the
    /// respondent were two. A reader remembers a 64-bit hash of every
    /// finished respondent's id with its first line, 29 to 58 bytes per
    /// respondent (cx-io's `ResponseReaderBuilder::respondents` has the
    /// details); a scorer takes it as `Contiguous`.
    ContiguousChecked,
    /// Rows may come in any order: every respondent is held, by id, until
    /// the end. Memory grows with the respondents (the README's "Limits
    /// and hardening" gives the bytes per respondent).
    Scattered,
}
