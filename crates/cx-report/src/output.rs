//! What the writers share: the breakdown groups in report order, and
//! handing finished text to the caller's output.

use std::io::Write;

use cx_score::{Dimension, GroupScore, Scorecard};

use crate::error::{Error, Result};

/// Every breakdown group of a scorecard, in the order reports show them:
/// breakdown by breakdown, each in its groups' order, with its dimension and
/// key (`None` for the group without a value).
pub(crate) fn breakdown_groups(
    scorecard: &Scorecard,
) -> impl Iterator<Item = (Dimension, Option<&str>, &GroupScore)> {
    scorecard.breakdowns.iter().flat_map(|breakdown| {
        breakdown
            .groups
            .iter()
            .map(|group| (breakdown.dimension, group.key.as_deref(), &group.score))
    })
}

/// Writes `text` whole and flushes: every text report is built in memory
/// first, so that the output sees one write however it is buffered.
pub(crate) fn write_text(text: &str, mut output: impl Write) -> Result<()> {
    output.write_all(text.as_bytes()).map_err(Error::io)?;
    output.flush().map_err(Error::io)
}
