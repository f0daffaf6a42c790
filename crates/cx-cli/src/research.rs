//! `cx compare` and `cx drivers`: the research toolkit from the shell.
//! cx-report writes their results.

use cx_model::ObservationBatch;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use cx_score::research::{
    CompareOptions, DriverOptions, MissingData, Progress, ScoringVariant, SurveyData, Variant,
    compare, drivers,
};

use crate::output::{Format, Output};
use crate::pipeline::Failure;
use crate::rejected::Rejections;
use crate::{By, InputArgs};

/// The default of `--max-respondents`: a million respondents, about 0.7 GB
/// for `compare` and 1.8 GB for `drivers` at five ratings each (measured on
/// `bench/journey.toml`'s generated surveys, 2026-12-02).
pub const DEFAULT_MAX_RESPONDENTS: usize = 1_000_000;

/// Reads a whole survey into memory, respondent by respondent, up to
/// `max_respondents` of them; with `--weight`, each with their weight.
pub fn load(input: &InputArgs, max_respondents: usize) -> Result<SurveyData, Failure> {
    let journey = input.read_journey()?;
    // Respondents are gathered by id here, wherever their rows are.
    let mut reader = input.open(&journey, &input.reader(input.order()))?;
    let mut data = if input.weight.is_some() {
        SurveyData::weighted(journey.journey.clone())
    } else {
        SurveyData::new(journey.journey.clone())
    };
    let mut first_rejection = None;
    let mut batch = ObservationBatch::new();
    let read_error = |e: cx_io::Error| Failure::data(e.to_string());
    let spinner = crate::pipeline::reading_spinner(&input.responses_name());
    while reader.read_batch(&mut batch).map_err(read_error)? {
        let observations =
            (0..batch.len()).filter_map(|row| batch.to_observation(row, &journey.journey));
        for observation in observations {
            if let Err(rejection) = data.push(&observation) {
                first_rejection.get_or_insert(rejection);
            }
        }
        for outcome in batch.outcomes() {
            if let Err(rejection) = data.push_outcome(outcome) {
                first_rejection.get_or_insert(rejection);
            }
        }
        if data.respondents().len() > max_respondents {
            return Err(Failure::data(format!(
                "{}: more than {max_respondents} respondents, the most --max-respondents holds in memory; raise it (each takes about 1 KB for `compare`, 2 KB for `drivers`)",
                input.responses_name()
            )));
        }
    }
    drop(spinner);
    let summary = reader.into_summary();
    if let Some(rejection) = first_rejection.filter(|_| input.strict) {
        return Err(Failure::data(format!(
            "{}: {rejection}",
            input.responses_name()
        )));
    }
    let rejected = summary.records_rejected_total() + data.rejected();
    if rejected > 0 {
        crate::tell(format_args!(
            "{}: {rejected} records rejected (run `cx validate` for details)",
            input.responses_name()
        ));
    }
    crate::rejected::tell_fields(&input.responses_name(), &summary);
    let mut rejections = Rejections {
        read: summary.records_read,
        scored: (summary.observations + summary.outcomes).saturating_sub(data.rejected()),
        ..Rejections::default()
    };
    for (kind, count) in &summary.records_rejected {
        rejections.add(kind, *count);
    }
    rejections.add("rejected by the scorer", data.rejected());
    rejections.check(&input.responses_name(), input.max_rejected)?;
    Ok(data)
}

/// The variants named on the command line, built-in or not at all. The
/// command line spells them as its other values, `weakest-link`; the
/// library's own names (`weakest_link`) are taken too.
fn variants(names: &str) -> Result<Vec<Variant>, Failure> {
    names
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| {
            Variant::builtin(&name.replace('-', "_")).ok_or_else(|| {
                let known: Vec<String> = Variant::BUILTINS
                    .iter()
                    .map(|name| name.replace('_', "-"))
                    .collect();
                Failure::usage(format!(
                    "unknown variant {name:?}; expected some of: {}",
                    known.join(", ")
                ))
            })
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutcomeArg {
    /// Were your expectations met?
    #[value(alias = "expectations_met")]
    ExpectationsMet,
    /// Would you come back?
    #[value(alias = "would_return")]
    WouldReturn,
    /// Would you recommend us?
    #[value(alias = "would_recommend")]
    WouldRecommend,
    /// Likelihood to recommend (0..=10).
    Nps,
}

impl OutcomeArg {
    fn target(self) -> cx_score::research::Target {
        use cx_model::LoyaltyQuestion;
        use cx_score::research::Target;
        match self {
            OutcomeArg::ExpectationsMet => Target::Question(LoyaltyQuestion::ExpectationsMet),
            OutcomeArg::WouldReturn => Target::Question(LoyaltyQuestion::WouldReturn),
            OutcomeArg::WouldRecommend => Target::Question(LoyaltyQuestion::WouldRecommend),
            OutcomeArg::Nps => Target::Nps,
        }
    }
}

/// The formats `compare` and `drivers` write; the first is their default.
const RESEARCH_FORMATS: [Format; 3] = [Format::Table, Format::Json, Format::Csv];

/// Where and how `compare` and `drivers` write, and their bootstrap seed.
#[derive(Debug, clap::Args)]
struct ResearchReport {
    /// Output format; by default taken from --output's extension (.txt,
    /// .json, .csv), else a table.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write to this file instead of standard output (`-`: standard output).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The bootstrap's seed: same seed, same numbers.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

#[derive(Debug, clap::Args)]
pub(crate) struct CompareArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Comma-separated built-in variants: default, share, cautious,
    /// weakest-link, peak-end, targets.
    #[arg(long, default_value = "default,share,cautious")]
    variants: String,
    /// What the journey scores should predict.
    #[arg(long, value_enum, default_value_t = OutcomeArg::ExpectationsMet)]
    outcome: OutcomeArg,
    /// Also light and rank each touchpoint in each group of these breakdowns
    /// (repeat for several); light agreement then covers every cell.
    #[arg(long, value_enum)]
    by: Vec<By>,
    #[command(flatten)]
    report: ResearchReport,
    /// Bootstrap resamples of respondents (0 for none).
    #[arg(long, default_value_t = 1000)]
    bootstrap: usize,
    /// Fewest answers with a gap for a touchpoint cell to get a light (as
    /// `cx score --min-sample`; with `--weight`, their Kish effective
    /// sample size); cells below it are compared as unlit.
    #[arg(long, default_value_t = 30)]
    min_sample: u64,
    /// The most respondents held in memory (about 0.7 KB each with five
    /// ratings); more is an error, not a slow death by swapping.
    #[arg(long, default_value_t = DEFAULT_MAX_RESPONDENTS)]
    max_respondents: usize,
}

#[derive(Debug, clap::Args)]
pub(crate) struct DriversArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The outcome the touchpoints drive.
    #[arg(long, value_enum, default_value_t = OutcomeArg::ExpectationsMet)]
    outcome: OutcomeArg,
    #[command(flatten)]
    report: ResearchReport,
    /// Bootstrap resamples for the relative weights' intervals (0 for none).
    #[arg(long, default_value_t = 200)]
    bootstrap: usize,
    /// Refuse the analysis below this many respondents with the outcome.
    #[arg(long, default_value_t = 30)]
    min_respondents: u64,
    /// Touchpoints rated by fewer respondents with the outcome are shown
    /// but get no weight, quadrant or flag (as `cx score --min-sample`).
    #[arg(long, default_value_t = 30)]
    min_sample: u64,
    /// Weigh only respondents who rated every weighted touchpoint
    /// (listwise deletion) instead of each correlation's own respondents
    /// (pairwise, the default).
    #[arg(long)]
    listwise: bool,
    /// The most respondents held in memory (about 1.8 KB each with five
    /// ratings); more is an error, not a slow death by swapping.
    #[arg(long, default_value_t = DEFAULT_MAX_RESPONDENTS)]
    max_respondents: usize,
}

impl ResearchReport {
    /// Where `command` writes, and in which format; checked before the
    /// survey is read.
    fn destination(&self, command: &str) -> Result<(Output, Format), Failure> {
        let output = Output::new(self.output.as_deref());
        let format = Format::chosen(command, self.format, &output, &RESEARCH_FORMATS)?;
        Ok((output, format))
    }
}

/// The bootstrap's progress bar on standard error, where progress is shown
/// ([`crate::pipeline::shows_progress`]): it appears when the first
/// resample is done, counts the resamples, and is cleared when dropped.
struct ResampleBar(Option<indicatif::ProgressBar>);

impl ResampleBar {
    /// A bar for a bootstrap, or none where progress is not shown.
    fn new() -> Self {
        ResampleBar(crate::pipeline::shows_progress().then(|| {
            let bar = indicatif::ProgressBar::new(0)
                .with_message("bootstrap")
                .with_finish(indicatif::ProgressFinish::AndClear);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg} [{bar:40}] {pos}/{len} resamples, {eta} left",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        }))
    }

    /// The progress that moves the bar: silent when there is no bar.
    fn progress(&self) -> Progress {
        match &self.0 {
            Some(bar) => {
                let bar = bar.clone();
                Progress::new(move |done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                })
            }
            None => Progress::silent(),
        }
    }
}

impl Drop for ResampleBar {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// Writes a research result to `output` with `write`.
fn write_research(
    output: &Output,
    write: impl FnOnce(&mut Vec<u8>) -> cx_report::Result<()>,
) -> Result<ExitCode, Failure> {
    let mut bytes = Vec::new();
    write(&mut bytes).map_err(Failure::report)?;
    output.write(&bytes)?;
    Ok(ExitCode::SUCCESS)
}

/// `cx compare`: scores the variants named against the outcome.
pub(crate) fn run_compare(args: &CompareArgs) -> Result<ExitCode, Failure> {
    let variants = variants(&args.variants)?;
    if variants.len() < 2 {
        return Err(Failure::usage(
            "--variants needs at least two variants to compare",
        ));
    }
    let (output, format) = args.report.destination("compare")?;
    let data = load(&args.input, args.max_respondents)?;
    let refs: Vec<&dyn ScoringVariant> =
        variants.iter().map(|v| v as &dyn ScoringVariant).collect();
    let bar = ResampleBar::new();
    let options = CompareOptions {
        resamples: args.bootstrap,
        seed: args.report.seed,
        threads: args.input.threads(),
        progress: bar.progress(),
        by: crate::dimensions(&args.by),
        config: cx_score::ScoreConfig {
            min_sample: args.min_sample,
            ..cx_score::ScoreConfig::default()
        },
        ..CompareOptions::new(args.outcome.target())
    };
    let comparison = compare(&data, &refs, &options).map_err(|e| Failure::data(e.to_string()))?;
    drop(bar);
    write_research(&output, |out| match format {
        Format::Json => cx_report::write_comparison_json(&comparison, out),
        Format::Csv => cx_report::write_comparison_csv(&comparison, out),
        // Chosen from RESEARCH_FORMATS: a table.
        Format::Table | Format::Markdown | Format::Html => {
            cx_report::write_comparison_table(&comparison, out)
        }
    })
}

/// `cx drivers`: touchpoints below `--min-sample` are shown but not
/// weighted; `--listwise` weighs only complete respondents.
pub(crate) fn run_drivers(args: &DriversArgs) -> Result<ExitCode, Failure> {
    let (output, format) = args.report.destination("drivers")?;
    let data = load(&args.input, args.max_respondents)?;
    let bar = ResampleBar::new();
    let options = DriverOptions {
        resamples: args.bootstrap,
        seed: args.report.seed,
        threads: args.input.threads(),
        progress: bar.progress(),
        min_respondents: args.min_respondents,
        min_sample: args.min_sample,
        missing: if args.listwise {
            MissingData::Listwise
        } else {
            MissingData::Pairwise
        },
        ..DriverOptions::new(args.outcome.target())
    };
    let analysis = drivers(&data, &options).map_err(|e| Failure::data(e.to_string()))?;
    drop(bar);
    write_research(&output, |out| match format {
        Format::Json => cx_report::write_drivers_json(&analysis, out),
        Format::Csv => cx_report::write_drivers_csv(&analysis, out),
        // Chosen from RESEARCH_FORMATS: a table.
        Format::Table | Format::Markdown | Format::Html => {
            cx_report::write_drivers_table(&analysis, out)
        }
    })
}
