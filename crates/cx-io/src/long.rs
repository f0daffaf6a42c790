//! The long layout: one row per respondent and touchpoint, its outcome
//! values on any of the respondent's rows.

use std::collections::HashMap;

use cx_model::{Answer, BatchRow, Emotion, Journey, ObservationBatch, Scale, Weight};

use crate::cells::{Cells, is_clean, or_rejected};
use crate::error::{Error, ErrorKind};
use crate::header;
use crate::names::{NameTable, Word, emotion_table};
use crate::options::{RespondentOrder, columns};
use crate::outcomes::{Gatherer, OutcomePart, OutcomeSlots};
use crate::runs::{RespondentRuns, RunCheck};
use crate::suggest::did_you_mean;

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
    /// The weight column's, when the reader is given one.
    pub const WEIGHT: usize = 14;
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
    /// Each respondent's weight as first read, when weighted (boxed: an
    /// unweighted read only looks whether it is there).
    weights: Option<Box<Weights>>,
}

/// The weights read so far, to check that a respondent's rows agree.
#[derive(Debug)]
struct Weights {
    order: RespondentOrder,
    /// The respondent of the last row and its weight: with contiguous
    /// respondents, all that is needed.
    last: Option<(String, Weight)>,
    /// With scattered respondents, every respondent's.
    every: HashMap<String, Weight>,
}

impl Weights {
    /// The weight a respondent's rows have had, if any row was read.
    fn known(&self, respondent: &str) -> Option<Weight> {
        match self.order {
            RespondentOrder::Contiguous | RespondentOrder::ContiguousChecked => self
                .last
                .as_ref()
                .filter(|(id, _)| id == respondent)
                .map(|&(_, weight)| weight),
            RespondentOrder::Scattered => self.every.get(respondent).copied(),
        }
    }

    /// The row's weight, checked against the weight of its respondent's
    /// earlier rows (those rejected for another reason included: the
    /// weight they held was valid), and remembered.
    #[inline(never)]
    fn read(&mut self, cells: &Cells<'_, '_>, respondent: &str) -> Result<Weight, Error> {
        let weight = cells.weight(slot::WEIGHT)?;
        match self.known(respondent) {
            Some(known) if known != weight => Err(cells.error(
                ErrorKind::ConflictingWeight,
                slot::WEIGHT,
                format!(
                    "respondent {respondent:?} has weight {weight} here but {known} on an earlier row; expected one weight per respondent"
                ),
            )),
            Some(_) => Ok(weight),
            None => {
                self.remember(respondent, weight);
                Ok(weight)
            }
        }
    }

    /// Remembers `respondent`'s weight.
    fn remember(&mut self, respondent: &str, weight: Weight) {
        match self.order {
            RespondentOrder::Contiguous | RespondentOrder::ContiguousChecked => {
                match &mut self.last {
                    Some((id, known)) => {
                        id.clear();
                        id.push_str(respondent);
                        *known = weight;
                    }
                    None => self.last = Some((respondent.to_owned(), weight)),
                }
            }
            RespondentOrder::Scattered => {
                self.every.insert(respondent.to_owned(), weight);
            }
        }
    }
}

impl LongDecoder {
    /// The columns a long file is read for, in slot order: the weight
    /// column last, if given.
    pub fn columns(weight: Option<&str>) -> Vec<String> {
        let mut names: Vec<String> = columns::ALL.iter().map(|c| (*c).to_owned()).collect();
        names.extend(weight.map(str::to_owned));
        names
    }

    /// The columns a long file must have: the weight column too, if given.
    pub fn required_columns(weight: Option<&str>) -> Vec<String> {
        let mut names: Vec<String> = [
            columns::RESPONDENT_ID,
            columns::TOUCHPOINT,
            columns::REALITY,
        ]
        .map(str::to_owned)
        .to_vec();
        names.extend(weight.map(str::to_owned));
        names
    }

    /// A decoder for `journey` of respondents in `order`, which tells
    /// `check` each respondent whose rows begin; `header`, if the input
    /// has one, names the columns it offers.
    pub fn new(
        journey: &Journey,
        likelihood_scale: Scale,
        order: RespondentOrder,
        check: RunCheck,
        header: Option<&[String]>,
        weighted: bool,
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
                check,
                OutcomeSlots {
                    answers: slot::ANSWERS,
                    likelihood: slot::LIKELIHOOD,
                    effort: slot::EFFORT,
                },
            ),
            reads: columns::ALL.map(|column| {
                header.is_none_or(|header| header::position(header, column).is_some())
            }),
            weights: weighted.then(|| {
                Box::new(Weights {
                    order,
                    last: None,
                    every: HashMap::new(),
                })
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
    /// `batch` when the respondent's rows end. An optional field that
    /// cannot be read (a timestamp, an emotion, a channel, an outcome
    /// value) is left out and its error added to `fields`; the row is kept
    /// without it. A row in error (its respondent, touchpoint or rating,
    /// or a weight) leaves no trace.
    #[inline]
    pub fn decode(
        &mut self,
        cells: &Cells<'_, '_>,
        batch: &mut ObservationBatch,
        fields: &mut Vec<Error>,
    ) -> Result<(), Error> {
        let respondent = cells.id(slot::RESPONDENT_ID)?;
        let segment = cells.clean_text(slot::SEGMENT)?;
        let timestamp = or_rejected(cells.timestamp(slot::TIMESTAMP), None, fields);
        let mut answers = [Answer::NotAnswered; 3];
        for (answer, slot) in answers.iter_mut().zip(slot::ANSWERS) {
            if self.reads(slot) {
                *answer = or_rejected(cells.answer(slot), Answer::NotAnswered, fields);
            }
        }
        let likelihood = or_rejected(
            cells.likelihood(slot::LIKELIHOOD, &self.likelihood_scale, 0.0),
            None,
            fields,
        );
        let effort = match self.reads(slot::EFFORT) {
            true => or_rejected(cells.number(slot::EFFORT, String::new), None, fields),
            false => None,
        };
        // Read late, so that an unweighted row keeps nothing more alive
        // through the cells above.
        let weight = match &mut self.weights {
            Some(weights) => Some(weights.read(cells, respondent)?),
            None => None,
        };
        // Most rows hold no outcome value: their part is not made.
        let part = OutcomePart {
            answers,
            likelihood,
            effort,
            segment,
            timestamp,
            weight,
        };
        let part = part.has_values().then_some(part);
        let has_outcome = part.is_some();
        let no_observation = cells.is_empty(slot::TOUCHPOINT) && cells.is_empty(slot::REALITY);
        if no_observation && !has_outcome && !fields.is_empty() {
            // A row of outcome values only, none of them readable: there is
            // no rating to keep, so the row is refused for its first.
            return Err(fields.swap_remove(0));
        }
        let observation = if has_outcome && no_observation {
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
            row.channel = or_rejected(cells.clean_text(slot::CHANNEL), None, fields);
            row.timestamp = timestamp;
            row.emotion = or_rejected(cells.emotion(slot::EMOTION, &self.emotions), None, fields);
            row.comment = self
                .reads(slot::COMMENT)
                .then(|| cells.text(slot::COMMENT))
                .flatten();
            row.weight = weight;
            Some(row)
        };
        self.outcomes
            .gather(cells, respondent, part.as_ref(), batch)?;
        if let Some(row) = observation {
            batch.push(&row);
        }
        Ok(())
    }

    /// The outcomes still held at the end of the input go to `batch`.
    pub fn finish(&mut self, batch: &mut ObservationBatch) {
        self.outcomes.finish(batch);
    }

    /// The runs of respondents' rows, if the read keeps them.
    pub fn take_runs(&mut self) -> Option<RespondentRuns> {
        self.outcomes.take_runs()
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
            // A journey's ids are clean, so only an unknown one is looked at.
            None if !is_clean(id) => Err(cells.control_character(slot::TOUCHPOINT, id)),
            None => Err(self.unknown_touchpoint(cells, id)),
        }
    }

    /// The error of a touchpoint id the journey does not have, suggesting
    /// the nearest that it has.
    #[cold]
    #[inline(never)]
    fn unknown_touchpoint(&self, cells: &Cells<'_, '_>, id: &str) -> Error {
        let ids = self
            .journey
            .touchpoints()
            .map(|touchpoint| touchpoint.id.as_str());
        let suggestion = did_you_mean(id, ids);
        cells.error(
            ErrorKind::UnknownTouchpoint,
            slot::TOUCHPOINT,
            format!(
                "{id:?} is not a touchpoint of journey {:?}{suggestion}",
                self.journey.name()
            ),
        )
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
