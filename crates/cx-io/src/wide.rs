//! The wide layout: one row per respondent, a column per touchpoint, as
//! the journey file maps them.

use std::fmt::Write as _;

use cx_model::{Answer, BatchRow, Journey, LoyaltyQuestion, ObservationBatch, Outcome, Scale};

use crate::cells::{Cells, or_rejected};
use crate::error::{Error, ErrorKind};
use crate::journey_file::{AnswerColumn, JourneyFile, NumberColumn, RespondentColumns};
use crate::runs::{RespondentRuns, RunCheck};
use crate::source::Context;

/// Reads wide rows into a batch: the journey's mapped columns, resolved to
/// slots.
#[derive(Debug)]
pub(crate) struct WideDecoder {
    journey: Journey,
    likelihood_scale: Scale,
    /// The column of each slot.
    columns: Vec<String>,
    id: Option<usize>,
    segments: Vec<usize>,
    timestamp: Option<usize>,
    /// (touchpoint index, reality slot, expectation slot)
    touchpoints: Vec<(usize, usize, Option<usize>)>,
    answers: [Option<(usize, AnswerColumn)>; 3],
    likelihood: Option<(usize, NumberColumn)>,
    effort: Option<(usize, NumberColumn)>,
    /// The weight column's slot, when weighted.
    weight: Option<usize>,
    /// What is noted of each respondent whose rows begin (nothing without
    /// an id column).
    check: RunCheck,
    /// The rows' respondent ids, segments and ratings, reused from row to
    /// row.
    respondent: String,
    segment: String,
    ratings: Vec<(usize, f64, Option<f64>)>,
    outcome: Outcome,
}

impl WideDecoder {
    /// The decoder of `journey_file`'s mapping, which tells `check` each
    /// row's respondent (if the file has an id column).
    ///
    /// # Errors
    ///
    /// A fatal [`ErrorKind::Mapping`] error if the journey maps no
    /// touchpoint to a column.
    pub fn new(
        journey_file: &JourneyFile,
        likelihood_scale: Scale,
        context: &Context,
        weight_column: Option<&str>,
        check: RunCheck,
    ) -> Result<Self, Error> {
        let journey = &journey_file.journey;
        let mut columns: Vec<String> = Vec::new();
        let mut slot_of = |name: &str| {
            columns.push(name.to_owned());
            columns.len() - 1
        };
        let empty = RespondentColumns::default();
        let respondents = journey_file.respondents.as_ref().unwrap_or(&empty);
        let id = respondents.id_column.as_deref().map(&mut slot_of);
        let segments = respondents
            .segment_columns
            .iter()
            .map(|c| slot_of(c))
            .collect();
        let timestamp = respondents.timestamp_column.as_deref().map(&mut slot_of);
        let mut touchpoints = Vec::new();
        for (index, touchpoint) in journey.touchpoints().enumerate() {
            if let Some(column) = &touchpoint.source_column {
                let reality = slot_of(column);
                let expectation = touchpoint.expectation_column.as_deref().map(&mut slot_of);
                touchpoints.push((index, reality, expectation));
            }
        }
        if touchpoints.is_empty() {
            return Err(context.fatal(
                ErrorKind::Mapping,
                format!(
                    "the file is read as wide, but journey {:?} maps no touchpoint to a column; expected `source_column` on its touchpoints",
                    journey.name()
                ),
            ));
        }
        let answers = [
            &respondents.expectations_met,
            &respondents.would_return,
            &respondents.would_recommend,
        ]
        .map(|mapping| mapping.as_ref().map(|m| (slot_of(&m.column), m.clone())));
        let likelihood = respondents
            .likelihood_to_recommend
            .as_ref()
            .map(|m| (slot_of(&m.column), m.clone()));
        let effort = respondents
            .effort
            .as_ref()
            .map(|m| (slot_of(&m.column), m.clone()));
        let weight = weight_column.map(&mut slot_of);
        Ok(WideDecoder {
            journey: journey.clone(),
            likelihood_scale,
            columns,
            id,
            segments,
            timestamp,
            touchpoints,
            answers,
            likelihood,
            effort,
            weight,
            // Ids made from record numbers never come back.
            check: if id.is_some() { check } else { RunCheck::Off },
            respondent: String::new(),
            segment: String::new(),
            ratings: Vec::new(),
            outcome: Outcome::new(""),
        })
    }

    /// The columns read, in slot order; every one is required.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Whether respondent ids are made from record numbers (there is no id
    /// column), which a block of a file must then know from the start.
    pub fn numbers_respondents(&self) -> bool {
        self.id.is_none()
    }

    /// The runs of respondents' rows, if the read keeps them.
    pub fn take_runs(&mut self) -> Option<RespondentRuns> {
        self.check.take_runs()
    }

    /// Reads one row: an observation per mapped touchpoint with a rating,
    /// and the respondent's outcome if any outcome column is mapped; empty
    /// touchpoint cells are counted in `empty_cells`. A timestamp or
    /// outcome value that cannot be read is left out and its error added
    /// to `fields`; a row in error (its id, a segment, a rating, its
    /// weight) leaves no trace.
    pub fn decode(
        &mut self,
        cells: &Cells<'_, '_>,
        empty_cells: &mut u64,
        batch: &mut ObservationBatch,
        fields: &mut Vec<Error>,
    ) -> Result<(), Error> {
        self.respondent.clear();
        match self.id {
            Some(slot) => self.respondent.push_str(cells.id(slot)?),
            None => {
                // Writing to a String cannot fail.
                let _ = write!(self.respondent, "{}", cells.record());
            }
        }
        self.segment.clear();
        for &slot in &self.segments {
            let Some(text) = cells.clean_text(slot)? else {
                continue;
            };
            if !self.segment.is_empty() {
                self.segment.push_str(" / ");
            }
            self.segment.push_str(text);
        }
        let segment = (!self.segment.is_empty()).then_some(self.segment.as_str());
        let timestamp = match self.timestamp {
            Some(slot) => or_rejected(cells.timestamp(slot), None, fields),
            None => None,
        };
        let weight = match self.weight {
            Some(slot) => Some(cells.weight(slot)?),
            None => None,
        };
        let scale = self.journey.scale();
        // Every cell is read before anything is added, so that a row in
        // error adds nothing.
        let ratings = &mut self.ratings;
        ratings.clear();
        for &(index, reality_slot, expectation_slot) in &self.touchpoints {
            let Some(reality) = cells.rating(reality_slot, scale, 0.0)? else {
                continue;
            };
            let expectation = match expectation_slot {
                Some(slot) => cells.rating(slot, scale, 0.0)?,
                None => None,
            };
            ratings.push((index, reality, expectation));
        }
        self.check.row(&self.respondent, cells)?;
        let outcome = &mut self.outcome;
        *outcome = Outcome::new(std::mem::take(&mut outcome.respondent_id));
        outcome.respondent_id.clear();
        outcome.respondent_id.push_str(&self.respondent);
        let mut has_outcome = false;
        for (question, answer) in LoyaltyQuestion::ALL.into_iter().zip(&self.answers) {
            if let Some((slot, column)) = answer {
                *outcome.answer_mut(question) = or_rejected(
                    cells.mapped_answer(*slot, column),
                    Answer::NotAnswered,
                    fields,
                );
                has_outcome = true;
            }
        }
        if let Some((slot, column)) = &self.likelihood {
            outcome.likelihood_to_recommend = or_rejected(
                cells.likelihood(*slot, &self.likelihood_scale, column.offset),
                None,
                fields,
            );
            has_outcome = true;
        }
        if let Some((slot, column)) = &self.effort {
            outcome.effort = or_rejected(cells.number(*slot, String::new), None, fields)
                .map(|v| v + column.offset);
            has_outcome = true;
        }
        *empty_cells += (self.touchpoints.len() - ratings.len()) as u64;
        for &(index, reality, expectation) in ratings.iter() {
            let mut row = BatchRow::new(&self.respondent, index, reality);
            row.expectation = expectation;
            row.segment = segment;
            row.timestamp = timestamp;
            row.weight = weight;
            batch.push(&row);
        }
        if has_outcome {
            outcome.segment = segment.map(str::to_owned);
            outcome.timestamp = timestamp.map(cx_model::Timestamp::to_datetime);
            outcome.weight = weight;
            batch.push_outcome(outcome);
        }
        Ok(())
    }
}
