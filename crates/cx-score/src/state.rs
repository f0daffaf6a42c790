//! A scorecard accumulator's partial state as a stable, versioned format,
//! in compact binary and in JSON.
//!
//! The format and its rules are described in the crate docs, under
//! "Accumulator state".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::scorecard::{Dimension, ScorecardAccumulator, StoredScorecard};
use crate::tally::{Tally, WeightSum};

/// The format tag of every unweighted state this version writes, and the
/// only one it reads as unweighted.
pub const STATE_FORMAT: &str = "cx.state/3";

/// The format tag of every weighted state (a
/// `ScorecardAccumulator<WeightSum>`'s) this version writes, and the only
/// one it reads as weighted: the fields of [`STATE_FORMAT`], with each
/// count of a weighted figure a [`WeightSum`] (`n`, then the weights' sum
/// and their squares' sum in units of 2⁻³⁰ and 2⁻⁶⁰, as integers).
pub const WEIGHTED_STATE_FORMAT: &str = "cx.state/3+weights";

/// The tag of a state of `T`.
fn format_of<T: Tally>() -> &'static str {
    if T::WEIGHTED {
        WEIGHTED_STATE_FORMAT
    } else {
        STATE_FORMAT
    }
}

/// The longest state read, in bytes (binary) or bytes of text (JSON):
/// 256 MiB, room for some 100,000 breakdown groups of a ten-touchpoint
/// journey.
pub const MAX_STATE_BYTES: usize = 256 << 20;

/// A state as written: the tag, then the accumulator.
#[derive(Serialize)]
#[serde(bound = "")]
struct Envelope<'a, T: Tally> {
    format: &'a str,
    state: &'a ScorecardAccumulator<T>,
}

/// A state as read, once its tag is known to be [`STATE_FORMAT`] (or
/// [`WEIGHTED_STATE_FORMAT`]).
#[derive(Deserialize)]
#[serde(bound = "")]
struct Stored<T: Tally> {
    #[serde(rename = "format")]
    _format: String,
    state: StoredScorecard<T>,
}

/// The tag of a JSON state, read before the rest.
#[derive(Deserialize)]
struct Tag {
    format: String,
}

impl<T: Tally> ScorecardAccumulator<T> {
    /// The accumulator's state in the compact binary format of
    /// [`STATE_FORMAT`]; see [the format](crate#accumulator-state).
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
    /// use cx_score::{ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let empty = ScorecardAccumulator::new(journey, ScoreConfig::default())?;
    /// let (mut here, mut there) = (empty.clone(), empty);
    /// here.push(&Observation::new("a", "till", 4.0).with_expectation(3.0));
    /// there.push(&Observation::new("b", "till", 2.5).with_expectation(4.0));
    ///
    /// // Elsewhere: the state of `there`, sent as bytes, merged here.
    /// let bytes = there.to_state_bytes()?;
    /// let mut merged = here.clone();
    /// merged.merge(&ScorecardAccumulator::from_state_bytes(&bytes)?)?;
    /// here.merge(&there)?;
    /// assert_eq!(merged, here);
    /// assert_eq!(merged.finish().counts.observations.accepted, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::StateWrite`] if the encoder fails, which no accumulator
    /// makes it do.
    pub fn to_state_bytes(&self) -> Result<Vec<u8>> {
        postcard::to_allocvec(&self.envelope()).map_err(|error| {
            ErrorKind::StateWrite {
                detail: error.to_string(),
            }
            .into()
        })
    }
}

impl ScorecardAccumulator {
    /// Reads a state written by [`to_state_bytes`](ScorecardAccumulator::to_state_bytes),
    /// checking what it claims.
    ///
    /// ```
    /// use cx_score::{ErrorKind, ScorecardAccumulator};
    ///
    /// let error = ScorecardAccumulator::from_state_bytes(b"\x0acx.state/9").unwrap_err();
    /// assert!(error.is_state());
    /// assert!(matches!(error.kind(), ErrorKind::StateVersion { found, .. } if found == "cx.state/9"));
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::StateTooLarge`] over [`MAX_STATE_BYTES`];
    /// [`ErrorKind::StateVersion`] for another format tag;
    /// [`ErrorKind::StateSyntax`] for bytes that are truncated, corrupt or
    /// followed by more; [`ErrorKind::InvalidState`] or
    /// [`ErrorKind::InvalidConfig`] for a state that breaks a rule.
    pub fn from_state_bytes(bytes: &[u8]) -> Result<Self> {
        read_bytes(bytes)
    }
}

impl ScorecardAccumulator<WeightSum> {
    /// Reads a weighted state ([`WEIGHTED_STATE_FORMAT`]) written by
    /// [`to_state_bytes`](ScorecardAccumulator::to_state_bytes), checking
    /// what it claims.
    ///
    /// # Errors
    ///
    /// As [`ScorecardAccumulator::from_state_bytes`]; an unweighted state
    /// is refused with [`ErrorKind::StateVersion`].
    pub fn from_weighted_state_bytes(bytes: &[u8]) -> Result<Self> {
        read_bytes(bytes)
    }

    /// Reads a weighted state written by
    /// [`to_state_json`](ScorecardAccumulator::to_state_json), checking
    /// what it claims.
    ///
    /// # Errors
    ///
    /// As [`ScorecardAccumulator::from_state_json`]; an unweighted state
    /// is refused with [`ErrorKind::StateVersion`].
    pub fn from_weighted_state_json(text: &str) -> Result<Self> {
        read_json(text)
    }
}

/// Reads a binary state of `T`.
fn read_bytes<T: Tally>(bytes: &[u8]) -> Result<ScorecardAccumulator<T>> {
    {
        check_length(bytes.len())?;
        let syntax = |error: postcard::Error| syntax_error(error.to_string(), None);
        let Ok((format, rest)) = postcard::take_from_bytes::<&str>(bytes) else {
            return Err(version_error("no format tag", format_of::<T>()));
        };
        check_format(format, format_of::<T>())?;
        let (stored, rest) =
            postcard::take_from_bytes::<StoredScorecard<T>>(rest).map_err(syntax)?;
        if !rest.is_empty() {
            let detail = format!("{} bytes follow the state", rest.len());
            return Err(syntax_error(detail, None));
        }
        checked(stored)
    }
}

impl<T: Tally> ScorecardAccumulator<T> {
    /// The accumulator's state as JSON text of [`STATE_FORMAT`]; see
    /// [the format](crate#accumulator-state).
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
    /// use cx_score::{ScoreConfig, ScorecardAccumulator};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
    ///     .build()?;
    /// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?;
    /// scorer.push(&Observation::new("a", "till", 4.0));
    /// let json = scorer.to_state_json()?;
    /// assert!(json.starts_with(r#"{"format":"cx.state/3","state":{"#));
    /// assert_eq!(ScorecardAccumulator::from_state_json(&json)?, scorer);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::StateWrite`] if the encoder fails, which no accumulator
    /// makes it do.
    pub fn to_state_json(&self) -> Result<String> {
        serde_json::to_string(&self.envelope()).map_err(|error| {
            ErrorKind::StateWrite {
                detail: error.to_string(),
            }
            .into()
        })
    }
}

impl ScorecardAccumulator {
    /// Reads a state written by [`to_state_json`](ScorecardAccumulator::to_state_json),
    /// checking what it claims.
    ///
    /// ```
    /// use cx_score::{ErrorKind, ScorecardAccumulator};
    ///
    /// let error = ScorecardAccumulator::from_state_json("{\"format\": 1,\n]").unwrap_err();
    /// assert!(matches!(error.kind(), ErrorKind::StateSyntax { line: Some(1), .. }));
    /// ```
    ///
    /// # Errors
    ///
    /// As [`from_state_bytes`](Self::from_state_bytes), with the line and
    /// column of a syntax error.
    pub fn from_state_json(text: &str) -> Result<Self> {
        read_json(text)
    }
}

/// Reads a JSON state of `T`.
fn read_json<T: Tally>(text: &str) -> Result<ScorecardAccumulator<T>> {
    {
        check_length(text.len())?;
        let syntax = |error: serde_json::Error| {
            let position = (error.line() > 0).then(|| (error.line(), error.column()));
            syntax_error(error.to_string(), position)
        };
        let tag: Tag = serde_json::from_str(text).map_err(syntax)?;
        check_format(&tag.format, format_of::<T>())?;
        let stored: Stored<T> = serde_json::from_str(text).map_err(syntax)?;
        checked(stored.state)
    }
}

impl<T: Tally> ScorecardAccumulator<T> {
    fn envelope(&self) -> Envelope<'_, T> {
        Envelope {
            format: format_of::<T>(),
            state: self,
        }
    }
}

fn check_length(len: usize) -> Result<()> {
    if len > MAX_STATE_BYTES {
        return Err(ErrorKind::StateTooLarge {
            len,
            limit: MAX_STATE_BYTES,
        }
        .into());
    }
    Ok(())
}

fn check_format(format: &str, expected: &'static str) -> Result<()> {
    if format == expected {
        return Ok(());
    }
    // A stranger's tag is shown, but not at any length.
    let shown: String = format.chars().take(64).collect();
    Err(version_error(&shown, expected))
}

fn version_error(found: &str, expected: &'static str) -> Error {
    ErrorKind::StateVersion {
        found: found.to_owned(),
        expected,
    }
    .into()
}

fn syntax_error(detail: String, position: Option<(usize, usize)>) -> Error {
    ErrorKind::StateSyntax {
        detail,
        line: position.map(|(line, _)| line),
        column: position.map(|(_, column)| column),
    }
    .into()
}

/// The accumulator of a decoded state, once it keeps every rule.
fn checked<T: Tally>(stored: StoredScorecard<T>) -> Result<ScorecardAccumulator<T>> {
    let accumulator = ScorecardAccumulator::from(stored);
    accumulator.config().validate()?;
    check_rules(&accumulator).map_err(|detail| ErrorKind::InvalidState { detail })?;
    Ok(accumulator)
}

/// Checks the rules every accumulator keeps, listed in the crate docs.
fn check_rules<T: Tally>(accumulator: &ScorecardAccumulator<T>) -> std::result::Result<(), String> {
    let [observations, outcomes] = accumulator.record_counts();
    for (name, counts) in [("observations", observations), ("outcomes", outcomes)] {
        let rejected = counts
            .rejected
            .values()
            .try_fold(0u64, |sum, &n| sum.checked_add(n));
        if rejected.and_then(|n| n.checked_add(counts.accepted)) != Some(counts.read) {
            return Err(format!(
                "{name}: {} read is not {} accepted plus those rejected",
                counts.read, counts.accepted
            ));
        }
    }
    let dimensions = accumulator.dimensions();
    if let Some(twice) = dimensions
        .iter()
        .enumerate()
        .find_map(|(at, d)| dimensions[..at].contains(d).then_some(d))
    {
        return Err(format!("two breakdowns by {twice}"));
    }
    let touchpoints = accumulator.journey().touchpoint_count();
    let grid = accumulator.grid();
    // Observations in cells and outcomes, per breakdown (`None`: the
    // whole survey's own groups).
    let mut totals: BTreeMap<Option<Dimension>, (u64, u64)> = BTreeMap::new();
    let overflow = || "its counts overflow".to_owned();
    for (place, group) in accumulator.groups() {
        let name = match place {
            None => "the whole survey".to_owned(),
            Some((dimension, Some(key))) => format!("{dimension} group {key:?}"),
            Some((dimension, None)) => format!("{dimension} group without a value"),
        };
        let cells = group.touchpoints.len();
        if cells != touchpoints {
            return Err(format!(
                "{name}: {cells} cells for {touchpoints} touchpoints"
            ));
        }
        let mut observed = 0u64;
        let mut gaps = 0u64;
        for (index, cell) in group.touchpoints.iter().enumerate() {
            let count = cell
                .check(grid)
                .map_err(|detail| format!("{name}: touchpoint {index}: {detail}"))?;
            observed = observed.checked_add(count).ok_or_else(overflow)?;
            gaps = gaps
                .checked_add(cell.finish(grid, 0.95).gap.n)
                .ok_or_else(overflow)?;
        }
        // The pooled figures by respondent count every observation with a
        // gap once; the whole survey's cells stay empty once there are
        // breakdowns, but its pooled figures do not.
        let cells_counted = place.is_some() || dimensions.is_empty();
        if cells_counted && group.pooled.observations() != gaps {
            return Err(format!(
                "{name}: its pooled figures by respondent count {} observations with a gap; its cells {gaps}",
                group.pooled.observations()
            ));
        }
        let outcomes_here = group.outcomes;
        group
            .loyalty
            .check(outcomes_here)
            .map_err(|detail| format!("{name}: {detail}"))?;
        let within = |count: Option<u64>| count.is_some_and(|n| n <= outcomes_here);
        if !(within(group.nps.checked_total()) && within(group.effort.checked_count())) {
            return Err(format!(
                "{name}: NPS or effort counts more than its {outcomes_here} outcomes"
            ));
        }
        let total = totals
            .entry(place.map(|(dimension, _)| dimension))
            .or_default();
        total.0 = total.0.checked_add(observed).ok_or_else(overflow)?;
        total.1 = total.1.checked_add(outcomes_here).ok_or_else(overflow)?;
    }
    let whole = totals.get(&None).copied().unwrap_or_default();
    for (dimension, (observed, outcomes_here)) in &totals {
        // Observations go to the whole survey's cells until the first
        // breakdown is added, then to every breakdown's; outcomes to the
        // whole survey always, and to every breakdown.
        let observed = match dimension {
            None => Some(whole.0),
            Some(_) => whole.0.checked_add(*observed),
        };
        let name = dimension.map_or("the whole survey".to_owned(), |d| {
            format!("the {d} breakdown")
        });
        if observed.is_none_or(|n| n > observations.accepted) {
            return Err(format!(
                "{name} counts more observations than the {} accepted",
                observations.accepted
            ));
        }
        if *outcomes_here > outcomes.accepted {
            return Err(format!(
                "{name} counts more outcomes than the {} accepted",
                outcomes.accepted
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_over_the_limit_is_refused_before_decoding() {
        assert!(check_length(MAX_STATE_BYTES).is_ok());
        let error = check_length(MAX_STATE_BYTES + 1).unwrap_err();
        assert!(error.is_state());
        assert_eq!(
            error.to_string(),
            "accumulator state of 268435457 bytes is over the limit of 268435456 bytes"
        );
    }

    #[test]
    fn a_strangers_tag_is_shown_shortened() {
        let long = "x".repeat(1000);
        let error = check_format(&long, STATE_FORMAT).unwrap_err();
        let ErrorKind::StateVersion { found, expected } = error.kind() else {
            panic!("{error}");
        };
        assert_eq!((found.len(), *expected), (64, STATE_FORMAT));
    }
}
