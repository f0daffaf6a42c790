//! Writing survey responses in the long layout.

use std::io::Write;

use cx_model::{Answer, LoyaltyQuestion, Observation, Outcome};

use crate::options::columns;

/// Writes observations and outcomes as long-layout CSV, readable by
/// [`ResponseReader`](crate::ResponseReader).
///
/// A respondent's outcome goes on the row of the observation written with
/// it, or on a row of its own with empty touchpoint and reality.
///
/// ```
/// use cx_io::LongCsvWriter;
/// use cx_model::{Observation, Outcome};
///
/// let mut writer = LongCsvWriter::new(Vec::new())?;
/// writer.write(&Observation::new("r1", "till", 4.0), Some(&Outcome::new("r1").with_likelihood_to_recommend(9.0)))?;
/// let text = String::from_utf8(writer.into_inner()?)?;
/// assert!(text.starts_with("respondent_id,touchpoint,reality,"));
/// assert!(text.lines().nth(1).unwrap().starts_with("r1,till,4,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct LongCsvWriter<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> std::fmt::Debug for LongCsvWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LongCsvWriter").finish_non_exhaustive()
    }
}

fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn answer(outcome: Option<&Outcome>, question: LoyaltyQuestion) -> &'static str {
    let answer = outcome.map_or(Answer::NotAnswered, |o| match question {
        LoyaltyQuestion::ExpectationsMet => o.expectations_met,
        LoyaltyQuestion::WouldReturn => o.would_return,
        LoyaltyQuestion::WouldRecommend => o.would_recommend,
    });
    match answer {
        Answer::Yes => "yes",
        Answer::No => "no",
        Answer::NotAnswered => "",
    }
}

impl<W: Write> LongCsvWriter<W> {
    /// A writer that has written the header.
    ///
    /// # Errors
    ///
    /// The underlying writer's error.
    pub fn new(output: W) -> Result<Self, csv::Error> {
        let mut writer = csv::Writer::from_writer(output);
        writer.write_record(columns::ALL)?;
        Ok(LongCsvWriter { writer })
    }

    /// Writes one observation, with the respondent's outcome on the same row
    /// if given.
    ///
    /// # Errors
    ///
    /// The underlying writer's error.
    pub fn write(
        &mut self,
        observation: &Observation,
        outcome: Option<&Outcome>,
    ) -> Result<(), csv::Error> {
        let segment = observation
            .segment
            .as_deref()
            .or(outcome.and_then(|o| o.segment.as_deref()))
            .unwrap_or("");
        let timestamp = observation
            .timestamp
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
            .unwrap_or_default();
        self.writer.write_record([
            observation.respondent_id.as_str(),
            observation.touchpoint_id.as_str(),
            &observation.reality.to_string(),
            &number(observation.expectation),
            segment,
            observation.channel.as_ref().map_or("", |c| c.as_str()),
            &timestamp,
            observation.emotion.map_or("", |e| e.name()),
            observation.comment.as_deref().unwrap_or(""),
            answer(outcome, LoyaltyQuestion::ExpectationsMet),
            answer(outcome, LoyaltyQuestion::WouldReturn),
            answer(outcome, LoyaltyQuestion::WouldRecommend),
            &number(outcome.and_then(|o| o.likelihood_to_recommend)),
            &number(outcome.and_then(|o| o.effort)),
        ])
    }

    /// Writes an outcome on a row of its own.
    ///
    /// # Errors
    ///
    /// The underlying writer's error.
    pub fn write_outcome(&mut self, outcome: &Outcome) -> Result<(), csv::Error> {
        let timestamp = outcome
            .timestamp
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
            .unwrap_or_default();
        self.writer.write_record([
            outcome.respondent_id.as_str(),
            "",
            "",
            "",
            outcome.segment.as_deref().unwrap_or(""),
            "",
            &timestamp,
            "",
            "",
            answer(Some(outcome), LoyaltyQuestion::ExpectationsMet),
            answer(Some(outcome), LoyaltyQuestion::WouldReturn),
            answer(Some(outcome), LoyaltyQuestion::WouldRecommend),
            &number(outcome.likelihood_to_recommend),
            &number(outcome.effort),
        ])
    }

    /// Flushes buffered rows and returns the output.
    ///
    /// # Errors
    ///
    /// The underlying writer's error while flushing.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.writer
            .into_inner()
            .map_err(|error| std::io::Error::other(error.error().to_string()))
    }

    /// Flushes buffered rows to the output.
    ///
    /// # Errors
    ///
    /// The underlying writer's error.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}
