//! Gathering each respondent's outcome over the rows of a long file: the
//! loyalty answers, likelihood to recommend and effort may stand on any of
//! their rows, and must not contradict each other.

use std::collections::HashMap;

use cx_model::{
    Answer, LoyaltyQuestion, ObservationBatch, Outcome, OutcomeRecord, Timestamp, Weight,
};

use crate::cells::Cells;
use crate::error::{Error, ErrorKind};
use crate::options::RespondentOrder;
use crate::runs::{RespondentRuns, RunCheck};

/// The outcome values on one row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OutcomePart<'a> {
    /// In [`LoyaltyQuestion::ALL`] order.
    pub answers: [Answer; 3],
    pub likelihood: Option<f64>,
    pub effort: Option<f64>,
    pub segment: Option<&'a str>,
    pub timestamp: Option<Timestamp>,
    /// The respondent's weight, when the survey is weighted (checked
    /// against the earlier rows' already).
    pub weight: Option<Weight>,
}

impl OutcomePart<'_> {
    /// Whether the row holds any outcome value.
    pub fn has_values(&self) -> bool {
        self.answers.iter().any(|a| *a != Answer::NotAnswered)
            || self.likelihood.is_some()
            || self.effort.is_some()
    }
}

/// Which slot each outcome value is read from, for the error of a
/// conflicting value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OutcomeSlots {
    pub answers: [usize; 3],
    pub likelihood: usize,
    pub effort: usize,
}

/// Makes the error of a row's cell: its kind, slot and message.
pub(crate) type Locate<'a> = dyn Fn(ErrorKind, usize, String) -> Error + 'a;

/// An outcome being gathered over a respondent's rows.
#[derive(Debug)]
struct Pending {
    outcome: Outcome,
    has_values: bool,
    /// The text of an earlier respondent's segment, which a segment read
    /// later reuses instead of allocating its own.
    spare_segment: Option<String>,
}

impl Pending {
    fn new(respondent: &str) -> Self {
        Pending {
            outcome: Outcome::new(respondent),
            has_values: false,
            spare_segment: None,
        }
    }

    /// Empties this outcome for `respondent`, keeping its strings.
    fn restart(&mut self, respondent: &str) {
        if let Some(segment) = self.outcome.segment.take() {
            self.spare_segment = Some(segment);
        }
        let mut id = std::mem::take(&mut self.outcome.respondent_id);
        id.clear();
        id.push_str(respondent);
        self.outcome = Outcome::new(id);
        self.has_values = false;
    }
}

/// Gathers each respondent's outcome over their rows, and adds it to the
/// batch once their rows have ended: with contiguous respondents, at the
/// first row of the next respondent; with scattered ones, at the end.
/// With contiguous respondents, the [`RunCheck`] is also told each
/// respondent whose rows begin (every row counts, outcome-only rows too),
/// so that one whose rows come back is found.
#[derive(Debug)]
pub(crate) struct Gatherer {
    order: RespondentOrder,
    slots: OutcomeSlots,
    /// With contiguous respondents: the respondent being read, if any.
    current: Option<Pending>,
    /// With contiguous respondents: what is noted of each run.
    check: RunCheck,
    scattered: Vec<Pending>,
    scattered_index: HashMap<String, usize>,
}

impl Gatherer {
    pub fn new(order: RespondentOrder, check: RunCheck, slots: OutcomeSlots) -> Self {
        Gatherer {
            order,
            slots,
            current: None,
            check,
            scattered: Vec::new(),
            scattered_index: HashMap::new(),
        }
    }

    /// Takes one row's outcome values, if any, into its respondent's
    /// outcome; the outcome of a respondent whose rows this row ends goes
    /// to `batch`. A value that contradicts an earlier row's is an error
    /// of `cells`' row, which then leaves no trace.
    ///
    /// # Errors
    ///
    /// A value that contradicts the respondent's earlier one; with checked
    /// contiguous respondents, also a respondent whose rows come back
    /// (fatal).
    #[inline]
    pub fn gather(
        &mut self,
        cells: &Cells<'_, '_>,
        respondent: &str,
        part: Option<&OutcomePart<'_>>,
        batch: &mut ObservationBatch,
    ) -> Result<(), Error> {
        let pending = match self.order {
            RespondentOrder::Contiguous | RespondentOrder::ContiguousChecked => {
                match &mut self.current {
                    Some(current)
                        if same_short_text(&current.outcome.respondent_id, respondent) => {}
                    Some(current) => {
                        // Once per respondent, not per row.
                        self.check.start(respondent, cells)?;
                        if current.has_values {
                            batch.push_outcome(&current.outcome);
                        }
                        current.restart(respondent);
                    }
                    None => {
                        self.check.start(respondent, cells)?;
                        self.current = Some(Pending::new(respondent));
                    }
                }
                match (&mut self.current, part) {
                    (Some(current), Some(_)) => current,
                    _ => return Ok(()),
                }
            }
            RespondentOrder::Scattered => {
                if part.is_none() {
                    return Ok(());
                }
                let index = match self.scattered_index.get(respondent) {
                    Some(&index) => index,
                    None => {
                        self.scattered.push(Pending::new(respondent));
                        let index = self.scattered.len() - 1;
                        self.scattered_index.insert(respondent.to_owned(), index);
                        index
                    }
                };
                match self.scattered.get_mut(index) {
                    Some(pending) => pending,
                    None => return Ok(()),
                }
            }
        };
        let Some(part) = part else {
            return Ok(());
        };
        let locate = |kind, slot, message| cells.error(kind, slot, message);
        merge(pending, part, &self.slots, &locate)
    }

    /// Adds the outcomes still held at the end of the input to `batch`.
    pub fn finish(&mut self, batch: &mut ObservationBatch) {
        if let Some(current) = self.current.take()
            && current.has_values
        {
            batch.push_outcome(&current.outcome);
        }
        for pending in self.scattered.drain(..) {
            if pending.has_values {
                batch.push_outcome(&pending.outcome);
            }
        }
        self.scattered_index.clear();
    }

    /// The runs of respondents' rows, if the read keeps them.
    pub fn take_runs(&mut self) -> Option<RespondentRuns> {
        self.check.take_runs()
    }
}

/// Adds `part` to `pending`, checking every value before changing any, so
/// that a rejected row leaves no trace.
fn merge(
    pending: &mut Pending,
    part: &OutcomePart<'_>,
    slots: &OutcomeSlots,
    locate: &Locate<'_>,
) -> Result<(), Error> {
    let target = &pending.outcome;
    let conflict = |slot: usize, before: String, now: String| {
        locate(
            ErrorKind::ConflictingAnswer,
            slot,
            format!(
                "respondent {:?} answered {now:?} here but {before:?} on an earlier row",
                target.respondent_id
            ),
        )
    };
    for ((question, slot), now) in LoyaltyQuestion::ALL
        .into_iter()
        .zip(slots.answers)
        .zip(part.answers)
    {
        let before = target.answer(question);
        if before != Answer::NotAnswered && now != Answer::NotAnswered && before != now {
            return Err(conflict(slot, before.to_string(), now.to_string()));
        }
    }
    for (slot, before, now) in [
        (
            slots.likelihood,
            target.likelihood_to_recommend,
            part.likelihood,
        ),
        (slots.effort, target.effort, part.effort),
    ] {
        if let (Some(before), Some(now)) = (before, now)
            && before != now
        {
            return Err(conflict(slot, before.to_string(), now.to_string()));
        }
    }
    let outcome = &mut pending.outcome;
    for (question, answer) in LoyaltyQuestion::ALL.into_iter().zip(part.answers) {
        if answer != Answer::NotAnswered {
            *outcome.answer_mut(question) = answer;
        }
    }
    outcome.likelihood_to_recommend = outcome.likelihood_to_recommend.or(part.likelihood);
    outcome.effort = outcome.effort.or(part.effort);
    if outcome.segment.is_none()
        && let Some(segment) = part.segment
    {
        // Filled in its place, not moved there once filled.
        let text = outcome
            .segment
            .insert(pending.spare_segment.take().unwrap_or_default());
        text.clear();
        text.push_str(segment);
    }
    if outcome.timestamp.is_none() {
        outcome.timestamp = part.timestamp.map(Timestamp::to_datetime);
    }
    outcome.weight = outcome.weight.or(part.weight);
    pending.has_values = true;
    Ok(())
}

/// Whether two texts are equal; ids of 8 to 16 bytes, the usual ones, are
/// compared as two overlapping words each, inline, rather than by a call
/// whose branches on the length a predictor guesses poorly.
#[inline(always)]
fn same_short_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        8..=16 => a.first_chunk::<8>() == b.first_chunk() && a.last_chunk::<8>() == b.last_chunk(),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn prop_short_texts_compare_as_texts(a in "[ab]{0,20}", b in "[ab]{0,20}") {
            prop_assert_eq!(same_short_text(&a, &b), a == b);
        }
    }
}
