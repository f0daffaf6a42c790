//! Reading a survey and scoring it, with a progress indicator, in parallel
//! blocks for CSV files; the progress indicators of every command.

use std::io::IsTerminal;
use std::path::Path;

use cx_io::{
    BlockPart, DuplicateRows, InputFormat, ParallelCsv, ReadSummary, RepeatedRespondents,
    RespondentOrder, RespondentRuns, ResponseReader,
};
use cx_model::ObservationBatch;
use cx_score::{
    Dimension, JourneyAggregation, Rejection, ScoreConfig, Scorecard, ScorecardAccumulator, Tally,
    TrafficLightPolicy, WeightSum,
};

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

    /// A usage error: exit code 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    /// A report that could not be written.
    pub fn report(error: cx_report::Error) -> Self {
        Failure::data(error.to_string())
    }
}

/// A survey read and scored.
pub struct Scored {
    pub responses: String,
    pub scorer: Scorer,
    pub summary: ReadSummary,
}

/// The accumulator of an unweighted or a weighted survey.
pub enum Scorer {
    /// Every record counts once (boxed, as the other: an accumulator is
    /// large, and is moved once).
    Unweighted(Box<ScorecardAccumulator>),
    /// Every record counts with its respondent's weight (`--weight`).
    Weighted(Box<ScorecardAccumulator<WeightSum>>),
}

impl Scorer {
    /// The scorecard under `policy` and `aggregation`.
    pub fn finish_with(
        &self,
        policy: &dyn TrafficLightPolicy,
        aggregation: &dyn JourneyAggregation,
    ) -> Scorecard {
        match self {
            Scorer::Unweighted(scorer) => scorer.finish_with(policy, aggregation),
            Scorer::Weighted(scorer) => scorer.finish_with(policy, aggregation),
        }
    }

    /// The scorecard under the default policy and aggregation.
    pub fn finish(&self) -> Scorecard {
        match self {
            Scorer::Unweighted(scorer) => scorer.finish(),
            Scorer::Weighted(scorer) => scorer.finish(),
        }
    }
}

/// One block's (or the whole input's) results.
struct Part<T: Tally> {
    scorer: ScorecardAccumulator<T>,
    summary: ReadSummary,
    first_rejection: Option<Rejection>,
    /// Rows of respondents that came back which repeat one of theirs.
    duplicates: DuplicateRows,
}

impl<T: Tally> Part<T> {
    fn new(empty: &ScorecardAccumulator<T>, read: &Read) -> Self {
        Part {
            scorer: empty.clone(),
            summary: ReadSummary::default(),
            first_rejection: None,
            duplicates: read.duplicates.clone(),
        }
    }
}

/// Scores one batch into a part, keeping the first rejection.
fn score_batch<T: Tally>(part: &mut Part<T>, batch: &ObservationBatch) {
    if let Err(rejection) = part.scorer.try_push_batch(batch) {
        part.first_rejection.get_or_insert(rejection);
    }
    part.duplicates.push_batch(batch);
}

/// Reads every batch of `reader` into a fresh accumulator.
fn score_reader<T: Tally>(
    mut reader: ResponseReader<'_>,
    empty: &ScorecardAccumulator<T>,
    read: &Read,
) -> Result<Part<T>, cx_io::Error> {
    let mut part = Part::new(empty, read);
    let mut batch = ObservationBatch::new();
    while reader.read_batch(&mut batch)? {
        score_batch(&mut part, &batch);
    }
    part.summary = reader.into_summary();
    Ok(part)
}

/// Reads the responses against the journey and scores them in one pass:
/// CSV files in fixed blocks on `threads` threads, merged in file order;
/// other formats in one stream. A file read as contiguous respondents in
/// which a respondent's rows come back after another's is read again
/// holding every respondent (as `--scattered`), with a note; an input
/// that cannot be read again (standard input, a pipe) stops at the row
/// where one comes back, with an error naming it. Weighted by the
/// `--weight` column if given.
pub fn score(
    input: &InputArgs,
    by: &[Dimension],
    config: ScoreConfig,
    threads: usize,
    max_groups: usize,
) -> Result<Scored, Failure> {
    let request = Request {
        by,
        config,
        threads,
        max_groups,
    };
    let name = input.responses_name();
    // An input that cannot be read again is checked as it is read, and
    // stops where a respondent comes back; a file is read again then.
    let order = match input.order() {
        RespondentOrder::Contiguous if !input.can_read_again() => {
            RespondentOrder::ContiguousChecked
        }
        order => order,
    };
    // Scattered respondents have no runs: every row is checked for repeats.
    let first = Read {
        order,
        duplicates: if input.scattered {
            DuplicateRows::of_everyone()
        } else {
            DuplicateRows::default()
        },
    };
    let (scored, repeated, duplicates) = score_once(input, &request, &first)?;
    if input.scattered {
        tell_duplicates(&name, duplicates);
        return Ok(scored);
    }
    // Only a read that keeps runs, of a file, finds repeats here.
    if repeated.is_empty() {
        return Ok(scored);
    }
    let together = format!(
        "the rows of {} respondent{} are not together (they come back after another respondent's)",
        repeated.len(),
        if repeated.len() == 1 { "" } else { "s" }
    );
    crate::tell(format_args!(
        "{name}: {together}; reading it again holding every respondent, as --scattered does"
    ));
    let again = Read {
        order: RespondentOrder::Scattered,
        duplicates: repeated.duplicate_rows(),
    };
    let (scored, _, duplicates) = score_once(input, &request, &again)?;
    tell_duplicates(&name, duplicates);
    Ok(scored)
}

/// Tells of rows that repeat another row of their respondent whole.
fn tell_duplicates(name: &str, duplicates: u64) {
    if duplicates > 0 {
        let (s, verb) = if duplicates == 1 {
            ("", "s")
        } else {
            ("s", "")
        };
        crate::tell(format_args!(
            "{name}: {duplicates} row{s} repeat{verb} another row of the same respondent whole (touchpoint, ratings and time): the same answers twice, or the survey twice in the file? They are scored as they are"
        ));
    }
}

/// What one read found of respondents counted twice: those whose rows came
/// back after another's, and the watched rows repeated whole.
struct Integrity {
    repeated: RepeatedRespondents,
    duplicates: u64,
}

/// What [`score`] was asked for.
struct Request<'a> {
    by: &'a [Dimension],
    config: ScoreConfig,
    threads: usize,
    max_groups: usize,
}

/// How one read goes: holding every respondent, or not and checking
/// after the read or (for an input that cannot be read again) as it
/// reads; and whose rows to check for repeats.
struct Read {
    order: RespondentOrder,
    duplicates: DuplicateRows,
}

/// One read of the responses: the scores, the respondents whose rows came
/// back after another's, and how many rows of the watched respondents
/// repeat one of theirs whole.
fn score_once(
    input: &InputArgs,
    request: &Request<'_>,
    read: &Read,
) -> Result<(Scored, RepeatedRespondents, u64), Failure> {
    let config = request.config;
    let journey = input.read_journey()?;
    let invalid = |e: cx_score::Error| Failure::data(e.to_string());
    let (scorer, summary, checks) = if input.weight.is_some() {
        let empty =
            ScorecardAccumulator::weighted(journey.journey.clone(), config).map_err(invalid)?;
        let (scorer, summary, checks) = score_with(input, request, read, &journey, empty)?;
        (Scorer::Weighted(Box::new(scorer)), summary, checks)
    } else {
        let empty = ScorecardAccumulator::new(journey.journey.clone(), config).map_err(invalid)?;
        let (scorer, summary, checks) = score_with(input, request, read, &journey, empty)?;
        (Scorer::Unweighted(Box::new(scorer)), summary, checks)
    };
    let scored = Scored {
        responses: input.responses_name(),
        scorer,
        summary,
    };
    Ok((scored, checks.repeated, checks.duplicates))
}

/// [`score_once`] into `empty`, an accumulator counting with `T`: the
/// accumulator, the read's summary, the respondents who came back and the
/// watched rows repeated.
fn score_with<T: Tally>(
    input: &InputArgs,
    request: &Request<'_>,
    read: &Read,
    journey: &cx_io::JourneyFile,
    empty: ScorecardAccumulator<T>,
) -> Result<(ScorecardAccumulator<T>, ReadSummary, Integrity), Failure> {
    let scattered = read.order == RespondentOrder::Scattered;
    let threads = request.threads;
    let empty = request
        .by
        .iter()
        .fold(empty, |scorer, dimension| scorer.breakdown_by(*dimension))
        .max_groups(request.max_groups)
        .respondent_order(if scattered {
            RespondentOrder::Scattered
        } else {
            RespondentOrder::Contiguous
        });
    // A plain contiguous read keeps its runs of respondents' rows (every
    // row's, outcome-only rows too), to tell afterwards whether one came
    // back.
    let mut builder = input.reader(read.order);
    builder.respondent_runs(read.order == RespondentOrder::Contiguous);
    let max_examples = builder.examples_kept();

    let bar = reading_spinner(&input.responses_name());

    let path: &Path = &input.responses;
    // Scattered respondents need the whole file in one reader.
    let blocked = matches!(input.input_format(), InputFormat::Csv { .. })
        && !scattered
        && !input.reads_stdin();
    let parts: Vec<Result<Part<T>, cx_io::Error>> = if blocked {
        ParallelCsv::new(journey, &builder)
            .threads(threads)
            .block_bytes(BLOCK_BYTES)
            .read(path, || Part::new(&empty, read), score_batch)
            .map_err(read_failure)?
            .into_iter()
            .map(|part| {
                part.map(|BlockPart { mut state, summary }| {
                    state.summary = summary;
                    state
                })
            })
            .collect()
    } else {
        vec![score_reader(input.open(journey, &builder)?, &empty, read)]
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    // Merge in file order: the first error is the file's first.
    let mut scorer = empty;
    let mut summary = ReadSummary::default();
    let mut first_rejection = None;
    let mut duplicates = DuplicateRows::default();
    for part in parts {
        let part = part.map_err(read_failure)?;
        duplicates.merge(part.duplicates);
        scorer.merge(&part.scorer).map_err(|e| match e.kind() {
            cx_score::ErrorKind::TooManyGroups { dimension, limit } => {
                too_many_groups(input, dimension, *limit)
            }
            _ => Failure::data(e.to_string()),
        })?;
        summary.merge(part.summary, max_examples);
        if first_rejection.is_none() {
            first_rejection = part.first_rejection;
        }
    }
    if let Some(dimension) = scorer.full_breakdowns().first() {
        return Err(too_many_groups(
            input,
            dimension.name(),
            scorer.group_limit(),
        ));
    }
    if input.strict
        && let Some(rejection) = first_rejection
    {
        return Err(Failure::data(format!(
            "{}: {rejection}",
            input.responses_name()
        )));
    }
    // Every part's runs, joined in file order; none where the read kept
    // none (checked as it read, or scattered).
    let runs = summary.respondent_runs.take();
    let integrity = Integrity {
        repeated: runs.map(RespondentRuns::repeated).unwrap_or_default(),
        duplicates: duplicates.count(),
    };
    Ok((scorer, summary, integrity))
}

/// Whether progress is shown: only where someone watches, on a terminal's
/// standard error, so that tests, pipes and redirected runs see nothing.
pub fn shows_progress() -> bool {
    std::io::stderr().is_terminal()
}

/// A spinner on standard error while `name` is read, where progress is
/// shown; cleared when finished or dropped (an error's message then
/// stands alone).
pub fn reading_spinner(name: &str) -> Option<indicatif::ProgressBar> {
    shows_progress().then(|| {
        let bar =
            indicatif::ProgressBar::new_spinner().with_finish(indicatif::ProgressFinish::AndClear);
        bar.set_message(format!("reading {name}"));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    })
}

/// The failure of a read that stopped at `error`; a respondent who came
/// back (in an input that cannot be read again) gets what to do.
fn read_failure(error: cx_io::Error) -> Failure {
    match error.kind() {
        cx_io::ErrorKind::RespondentReturned => Failure::data(format!(
            "{error}: sort the input by respondent_id, or pass --scattered to hold every respondent"
        )),
        _ => Failure::data(error.to_string()),
    }
}

/// The error of a breakdown by `dimension` with more keys than `limit`
/// groups: its records cannot all be scored, so no scorecard is written.
fn too_many_groups(input: &InputArgs, dimension: &str, limit: usize) -> Failure {
    Failure::data(format!(
        "{}: the breakdown by {dimension} has more than {limit} groups, the most --max-groups allows; raise it (see \"Limits and hardening\" in the README for the memory each group takes)",
        input.responses_name()
    ))
}
