//! Reading a survey and scoring it, with a progress indicator, in parallel
//! blocks for CSV files.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use cx_io::{
    CsvBlocks, ErrorPolicy, InputFormat, ReadError, ReadSummary, RecordRef, ResponseReader,
};
use cx_score::{Dimension, Rejection, ScoreConfig, ScorecardAccumulator};

use crate::InputArgs;

/// Blocks of about this many bytes are read in parallel. Fixed, so that the
/// cut points, and so the numbers, do not depend on the thread count.
const BLOCK_BYTES: u64 = 16 << 20;

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

/// One block's (or the whole input's) results.
struct Part {
    scorer: ScorecardAccumulator,
    summary: ReadSummary,
    first_rejection: Option<Rejection>,
}

/// Reads records from `reader` into a fresh accumulator.
fn score_reader(
    reader: ResponseReader<'_>,
    empty: &ScorecardAccumulator,
    policy: ErrorPolicy,
    progress: &AtomicU64,
) -> Result<Part, ReadError> {
    let mut scorer = empty.clone();
    let mut first_rejection = None;
    let summary = reader.read_each(policy, |record| {
        let pushed = match record {
            RecordRef::Observation(observation) => scorer.try_push(observation),
            RecordRef::Outcome(outcome) => scorer.try_push_outcome(outcome),
        };
        if let Err(rejection) = pushed {
            first_rejection.get_or_insert(rejection);
        }
        progress.fetch_add(1, Ordering::Relaxed);
    })?;
    Ok(Part {
        scorer,
        summary,
        first_rejection,
    })
}

/// Reads the responses against the journey and scores them in one pass:
/// CSV files in fixed blocks on `threads` threads, merged in file order;
/// other formats in one stream.
pub fn score(
    input: &InputArgs,
    by: &[Dimension],
    min_sample: u64,
    threads: usize,
) -> Result<Scored, Failure> {
    let journey = input.read_journey()?;
    let config = ScoreConfig {
        min_sample,
        ..ScoreConfig::default()
    };
    let empty = by.iter().fold(
        ScorecardAccumulator::new(journey.journey.clone(), config)
            .map_err(|e| Failure::data(e.to_string()))?,
        |scorer, dimension| scorer.breakdown_by(*dimension),
    );
    let options = input.read_options();
    let max_examples = options.max_examples;
    let policy = input.error_policy();

    // A spinner on stderr for long runs, only where someone watches.
    let progress = AtomicU64::new(0);
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(format!("reading {}", input.responses.display()));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });

    let path: &Path = &input.responses;
    // Scattered respondents need the whole file in one reader.
    let blocked =
        matches!(InputFormat::from_path(path), InputFormat::Csv { .. }) && !input.scattered;
    // One slot per block; `None` only if a reading thread stopped early.
    let parts: Vec<Option<Result<Part, ReadError>>> = if blocked {
        let blocks =
            CsvBlocks::scan(path, BLOCK_BYTES, None).map_err(|e| Failure::data(e.to_string()))?;
        let count = blocks.blocks().len();
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<Result<Part, ReadError>>>> =
            Mutex::new((0..count).map(|_| None).collect());
        std::thread::scope(|scope| {
            for _ in 0..threads.clamp(1, count.max(1)) {
                scope.spawn(|| {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(block) = blocks.blocks().get(index) else {
                            break;
                        };
                        let part = blocks
                            .reader(block, &journey, options.clone())
                            .and_then(|reader| score_reader(reader, &empty, policy, &progress));
                        if let Ok(mut slots) = results.lock()
                            && let Some(slot) = slots.get_mut(index)
                        {
                            *slot = Some(part);
                        }
                    }
                });
            }
        });
        results
            .into_inner()
            .map_err(|_| Failure::data("a reading thread failed"))?
    } else {
        let reader = ResponseReader::open(path, &journey, options)
            .map_err(|e| Failure::data(e.to_string()))?;
        vec![Some(score_reader(reader, &empty, policy, &progress))]
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    // Merge in file order: the first error is the file's first.
    let mut scorer = empty;
    let mut summary = ReadSummary::default();
    let mut first_rejection = None;
    for part in parts {
        let part = part
            .ok_or_else(|| Failure::data("a reading thread stopped before its block was read"))?
            .map_err(|e| Failure::data(e.to_string()))?;
        scorer
            .merge(&part.scorer)
            .map_err(|e| Failure::data(e.to_string()))?;
        summary.merge(part.summary, max_examples);
        if first_rejection.is_none() {
            first_rejection = part.first_rejection;
        }
    }
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
