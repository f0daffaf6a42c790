//! Reading a survey and scoring it, with a progress indicator.

use std::io::IsTerminal;

use cx_io::{
    ErrorPolicy, JourneyFile, ReadOptions, ReadSummary, Record, RespondentOrder, ResponseReader,
};
use cx_score::{Dimension, ScoreConfig, ScorecardAccumulator};

use crate::InputArgs;

/// Why the command failed, and with which exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    /// A data problem: exit code 1.
    pub fn data(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
        }
    }

    /// A report that could not be written.
    pub fn report(error: cx_io::ReportError) -> Self {
        Failure::data(error.to_string())
    }
}

/// A survey read and scored.
pub struct Scored {
    pub responses: String,
    pub scorer: ScorecardAccumulator,
    pub summary: ReadSummary,
}

/// Reads the responses against the journey and scores them in one pass.
pub fn score(input: &InputArgs, by: &[Dimension], min_sample: u64) -> Result<Scored, Failure> {
    let journey = JourneyFile::read(&input.journey).map_err(|e| Failure::data(e.to_string()))?;
    let config = ScoreConfig {
        min_sample,
        ..ScoreConfig::default()
    };
    let mut scorer = by.iter().fold(
        ScorecardAccumulator::new(journey.journey.clone(), config)
            .map_err(|e| Failure::data(e.to_string()))?,
        |scorer, dimension| scorer.breakdown_by(*dimension),
    );
    let order = if input.scattered {
        RespondentOrder::Scattered
    } else {
        RespondentOrder::Contiguous
    };
    let reader = ResponseReader::open(
        &input.responses,
        &journey,
        ReadOptions::default().respondents(order),
    )
    .map_err(|e| Failure::data(e.to_string()))?;
    let policy = if input.strict {
        ErrorPolicy::Strict
    } else {
        ErrorPolicy::Lenient
    };

    // A spinner on stderr for long runs, only where someone watches.
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(format!("reading {}", input.responses.display()));
        bar
    });
    let mut records: u64 = 0;
    let mut first_rejection = None;
    let result = reader.read_all(policy, |record| {
        let outcome = match record {
            Record::Observation(observation) => scorer.try_push(&observation),
            Record::Outcome(outcome) => scorer.try_push_outcome(&outcome),
        };
        if let Err(rejection) = outcome {
            first_rejection.get_or_insert(rejection);
        }
        records += 1;
        if records.is_multiple_of(65_536)
            && let Some(bar) = &progress
        {
            bar.set_message(format!("{records} records"));
            bar.tick();
        }
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let summary = result.map_err(|e| Failure::data(e.to_string()))?;
    if input.strict
        && let Some(rejection) = first_rejection
    {
        return Err(Failure::data(format!(
            "{}: {rejection}",
            input.responses.display()
        )));
    }
    Ok(Scored {
        responses: input.responses.display().to_string(),
        scorer,
        summary,
    })
}
