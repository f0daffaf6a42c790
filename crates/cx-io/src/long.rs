//! The long layout: one row per respondent and touchpoint, its outcome
//! values on any of the respondent's rows.

use cx_model::{Answer, BatchRow, Emotion, Journey, ObservationBatch, Scale};

use crate::cells::Cells;
use crate::error::{Error, ErrorKind};
use crate::names::{NameTable, Word, emotion_table};
use crate::options::{RespondentOrder, columns};
use crate::outcomes::{Gatherer, OutcomePart, OutcomeSlots};

/// Long-layout slots: where each column's value is in a row, in
/// [`columns::ALL`] order.
pub(crate) mod slot {
    pub const RESPONDENT_ID: usize = 0;
    pub const TOUCHPOINT: usize = 1;
    pub const REALITY: usize = 2;
    pub const EXPECTATION: usize = 3;
    pub const SEGMENT: usize = 4;
    pub const CHANNEL: usize = 5;
    pub const TIMESTAMP: usize = 6;
    pub const EMOTION: usize = 7;
    pub const COMMENT: usize = 8;
    pub const ANSWERS: [usize; 3] = [9, 10, 11];
    pub const LIKELIHOOD: usize = 12;
    pub const EFFORT: usize = 13;
}

/// Reads long rows into a batch.
#[derive(Debug)]
pub(crate) struct LongDecoder {
    journey: Journey,
    /// The journey's touchpoints of at most sixteen bytes, by id; longer
    /// ids are looked up in the journey.
    touchpoints: NameTable<usize>,
    emotions: NameTable<Option<Emotion>>,
    likelihood_scale: Scale,
    outcomes: Gatherer,
    /// Whether the input may have each slot's column: a CSV header says
    /// which it lacks, whose cells then need no look.
    reads: [bool; columns::ALL.len()],
}

impl LongDecoder {
    /// The columns a long file is read for, in slot order.
    pub fn columns() -> Vec<String> {
        columns::ALL.iter().map(|c| (*c).to_owned()).collect()
    }

    /// The columns a long file must have.
    pub fn required_columns() -> Vec<String> {
        [
            columns::RESPONDENT_ID,
            columns::TOUCHPOINT,
            columns::REALITY,
        ]
        .map(str::to_owned)
        .to_vec()
    }

    /// A decoder for `journey`; `header`, if the input has one, names the
    /// columns it offers.
    pub fn new(
        journey: &Journey,
        likelihood_scale: Scale,
        order: RespondentOrder,
        header: Option<&[String]>,
    ) -> Self {
        let touchpoints = NameTable::new(
            journey
                .touchpoints()
                .enumerate()
                .map(|(index, touchpoint)| (touchpoint.id.as_bytes(), index)),
        );
        LongDecoder {
            journey: journey.clone(),
            touchpoints,
            emotions: emotion_table(),
            likelihood_scale,
            outcomes: Gatherer::new(
                order,
                OutcomeSlots {
                    answers: slot::ANSWERS,
                    likelihood: slot::LIKELIHOOD,
                    effort: slot::EFFORT,
                },
            ),
            reads: columns::ALL.map(|column| {
                header.is_none_or(|header| header.iter().any(|offered| offered == column))
            }),
        }
    }

    /// Whether a slot's column may be in the input.
    #[inline(always)]
    fn reads(&self, slot: usize) -> bool {
        self.reads.get(slot).copied().unwrap_or(false)
    }

    /// Reads one row: its observation, if it has one, goes to `batch`, and
    /// its outcome values to its respondent's outcome, which goes to
    /// `batch` when the respondent's rows end. A row in error leaves no
    /// trace.
    #[inline]
    pub fn decode(
        &mut self,
        cells: &Cells<'_, '_>,
        batch: &mut ObservationBatch,
    ) -> Result<(), Error> {
        let respondent = cells.required(slot::RESPONDENT_ID)?;
        let segment = cells.text(slot::SEGMENT);
        let timestamp = cells.timestamp(slot::TIMESTAMP)?;
        let mut answers = [Answer::NotAnswered; 3];
        for (answer, slot) in answers.iter_mut().zip(slot::ANSWERS) {
            if self.reads(slot) {
                *answer = cells.answer(slot)?;
            }
        }
        let likelihood = cells.likelihood(slot::LIKELIHOOD, &self.likelihood_scale, 0.0)?;
        let effort = match self.reads(slot::EFFORT) {
            true => cells.number(slot::EFFORT, String::new)?,
            false => None,
        };
        // Most rows hold no outcome value: their part is not made.
        let part = OutcomePart {
            answers,
            likelihood,
            effort,
            segment,
            timestamp,
        };
        let part = part.has_values().then_some(part);
        let has_outcome = part.is_some();
        let outcome_only =
            has_outcome && cells.is_empty(slot::TOUCHPOINT) && cells.is_empty(slot::REALITY);
        let observation = if outcome_only {
            None
        } else {
            let touchpoint = self.touchpoint(cells)?;
            let scale = self.journey.scale();
            let reality = match cells.rating(slot::REALITY, scale, 0.0)? {
                Some(reality) => reality,
                None => return Err(missing(cells, slot::REALITY)),
            };
            let mut row = BatchRow::new(respondent, touchpoint, reality);
            row.expectation = cells.rating(slot::EXPECTATION, scale, 0.0)?;
            row.segment = segment;
            row.channel = cells.text(slot::CHANNEL);
            row.timestamp = timestamp;
            row.emotion = cells.emotion(slot::EMOTION, &self.emotions)?;
            row.comment = self
                .reads(slot::COMMENT)
                .then(|| cells.text(slot::COMMENT))
                .flatten();
            Some(row)
        };
        let locate = |kind, slot, message| cells.error(kind, slot, message);
        self.outcomes
            .gather(&locate, respondent, part.as_ref(), batch)?;
        if let Some(row) = observation {
            batch.push(&row);
        }
        Ok(())
    }

    /// The outcomes still held at the end of the input go to `batch`.
    pub fn finish(&mut self, batch: &mut ObservationBatch) {
        self.outcomes.finish(batch);
    }

    /// The index of the row's touchpoint.
    #[inline(always)]
    fn touchpoint(&self, cells: &Cells<'_, '_>) -> Result<usize, Error> {
        let word = cells.word(slot::TOUCHPOINT);
        if let Some(index) = self.touchpoints.get(word) {
            return Ok(index);
        }
        let id = match word {
            Word::Long(id) => id,
            Word::Short(..) => cells.required(slot::TOUCHPOINT)?,
        };
        match self.journey.position_of(id) {
            Some(position) => Ok(position.index),
            None => Err(cells.error(
                ErrorKind::UnknownTouchpoint,
                slot::TOUCHPOINT,
                format!(
                    "{id:?} is not a touchpoint of journey {:?}",
                    self.journey.name()
                ),
            )),
        }
    }
}

#[cold]
fn missing(cells: &Cells<'_, '_>, slot: usize) -> Error {
    cells.error(
        ErrorKind::MissingValue,
        slot,
        "is empty; expected a value".to_owned(),
    )
}
