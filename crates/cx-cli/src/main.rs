//! `cx`: score customer-experience surveys from the shell.
//!
//! Exit codes: 0 success, 1 data problems (unreadable or rejected input), 2
//! usage errors. Errors go to stderr, one line each.

mod diff;
mod output;
mod pipeline;
mod rejected;
mod research;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use cx_score::ScoreConfig;

use crate::output::{Format, Output};
use crate::pipeline::{Failure, Scored, score};

const EXAMPLES_SCORE: &str = "Examples:
  cx score examples/data/retail_responses.csv --journey examples/data/retail.toml
  cx score examples/data/retail_responses.csv --journey examples/data/retail.toml \\
      --by segment --by month --policy cautious
  cx score examples/data/retail_responses.csv --journey examples/data/retail.toml \\
      --output scorecard.json
  gzip -c examples/data/retail_responses.csv \\
      | cx score - --journey examples/data/retail.toml --format csv";

const EXAMPLES_REPORT: &str = "Examples:
  cx report examples/data/retail_responses.csv --journey examples/data/retail.toml \\
      --output report.html
  cx report examples/data/retail_responses.csv --journey examples/data/retail.toml -o - | wc -c";

const EXAMPLES_VALIDATE: &str = "Example:
  cx validate examples/data/retail_responses.csv --journey examples/data/retail.toml";

const EXAMPLES_COMPARE: &str = "Examples:
  cx compare examples/data/retail_responses.csv --journey examples/data/retail.toml \\
      --variants default,share,cautious
  cx compare ../shared/data/airline_passenger_satisfaction.csv \\
      --journey examples/journeys/airline.toml --variants default,weakest-link,peak-end \\
      --outcome expectations-met --bootstrap 200 --seed 7
  cx compare crates/cx-score/tests/reference/weighted_compare.csv \\
      --journey crates/cx-score/tests/reference/weighted_compare.toml --weight weight --format json

With --weight, every respondent counts with their weight: each AUC counts a (yes, no) pair
w_yes·w_no, the correlations are weighted, each bootstrap draw counts its weight, and each
variant's lights come from the weighted scorecard (a cell is lit when Kish's effective sample
size n_eff = (Σw)²/Σw² of its answers reaches --min-sample); n_eff is shown beside n.";

const EXAMPLES_DRIVERS: &str = "Example:
  cx drivers ../shared/data/airline_passenger_satisfaction.csv \\
      --journey examples/journeys/airline.toml --outcome expectations-met";

const EXAMPLES_DIFF: &str = "Examples:
  cx diff examples/data/retail_responses.csv --journey examples/data/retail.toml --by month
  cx diff examples/data/retail_responses.csv --journey examples/data/retail.toml \\
      --by month --compare 2024-01,2024-06 --adjust bh
  cx diff examples/data/retail_responses.csv --journey examples/data/retail.toml \\
      --by segment --compare new,returning --format json

Each group is tested against the other on NPS (with its promoter and detractor split), each
loyalty share, and per touchpoint the mean gap, met share and CSAT; the p-values of every
test are adjusted together (Holm by default) and the output says how many there were.";

const EXAMPLES_INIT: &str = "Example:
  cx init ../shared/data/airline_passenger_satisfaction.csv -o airline.toml \\
      && cx score ../shared/data/airline_passenger_satisfaction.csv --journey airline.toml

The draft names the respondent id, timestamp, segment and loyalty columns it found, the
rating scale, and one touchpoint per rating column (with its expectation column when one
pairs with it); every guess to confirm is marked CHECK.";

const EXAMPLES_SAMPLE: &str = "Example:
  cx sample --output try-cx && cx score try-cx/retail_responses.csv --journey try-cx/retail.toml";

/// Score customer-experience surveys: expectation gaps, traffic lights, WOW
/// moments, loyalty questions and NPS, per touchpoint of a customer journey.
#[derive(Debug, Parser)]
#[command(name = "cx", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the scorecard of a survey: per touchpoint, loyalty, NPS, opportunities.
    #[command(after_help = EXAMPLES_SCORE)]
    Score(ScoreArgs),
    /// Write the journey map as one self-contained HTML page.
    #[command(after_help = EXAMPLES_REPORT)]
    Report(ReportArgs),
    /// Read everything and report what would be rejected, and why.
    #[command(after_help = EXAMPLES_VALIDATE)]
    Validate(InputArgs),
    /// Run scoring variants on the same data and compare them: agreement and
    /// how well each predicts loyalty.
    #[command(after_help = EXAMPLES_COMPARE)]
    Compare(research::CompareArgs),
    /// Which touchpoints drive an outcome: correlations, relative weights, quadrants.
    #[command(after_help = EXAMPLES_DRIVERS)]
    Drivers(research::DriversArgs),
    /// Test what changed between two periods or groups: each difference with its
    /// interval, p-value (adjusted for the number of tests) and effect size.
    #[command(after_help = EXAMPLES_DIFF)]
    Diff(diff::DiffArgs),
    /// Write the sample retail journey and synthetic responses to try cx with.
    #[command(after_help = EXAMPLES_SAMPLE)]
    Sample(SampleArgs),
    /// Draft a journey file for a survey from its header and first rows.
    #[command(after_help = EXAMPLES_INIT)]
    Init(InitArgs),
}

/// The survey and its journey.
#[derive(Debug, clap::Args)]
struct InputArgs {
    /// Survey responses: CSV (comma, semicolon or tab), NDJSON (.ndjson,
    /// .jsonl) or JSON (.json); long or wide layout; gzip-compressed or
    /// not. `-` reads standard input. Pipes, named pipes and process
    /// substitution work, read on one thread (they cannot be cut into
    /// blocks), as do compressed files. A stream cannot be read again
    /// either: a respondent whose rows come back after another's stops it
    /// with an error naming both lines (a file is read again holding every
    /// respondent, as --scattered does).
    responses: PathBuf,
    /// The responses' format when their name does not say it (standard
    /// input, a pipe): csv, tsv, ndjson or json. Default: by extension,
    /// else CSV.
    #[arg(long, value_enum)]
    input_format: Option<InputFormatArg>,
    /// The journey file (TOML, or JSON with a .json extension).
    #[arg(long, short)]
    journey: PathBuf,
    /// Stop at the first bad record instead of skipping and counting it.
    #[arg(long)]
    strict: bool,
    /// A respondent's rows may be anywhere in the file, not together
    /// (holds every respondent's answers, and their sums for the pooled
    /// figures by respondent, in memory until the end, and reads on one
    /// thread).
    #[arg(long)]
    scattered: bool,
    /// Threads reading CSV files in parallel blocks, and (`compare`,
    /// `drivers`) running the bootstrap's resamples; the numbers are the
    /// same at any count. Default: the available cores.
    #[arg(long)]
    threads: Option<usize>,
    /// Fail (exit 1, writing nothing) when more records than this are
    /// rejected: a count (100) or a share of the records read (5%). A run
    /// that scores nothing (no records, or every one rejected) fails
    /// whatever the limit. Rejected fields (a bad timestamp or emotion on
    /// a row kept without it) are reported, not counted here.
    #[arg(long, default_value = rejected::DEFAULT_MAX_REJECTED)]
    max_rejected: rejected::RejectLimit,
    /// Weigh each respondent by this column (or JSON field): a design or
    /// raking weight from 0 to 1048576, the same on every row of a
    /// respondent. Means, shares, NPS and their intervals are then
    /// weighted, with Kish's effective sample size in the intervals and the
    /// minimum sample, and so are the driver analysis's correlations,
    /// means and bootstrap, and the comparison's AUCs, correlations, lights
    /// and bootstrap; a record with a missing, invalid or conflicting
    /// weight is rejected and counted (see the README).
    #[arg(long, value_name = "COLUMN")]
    weight: Option<String>,
}

impl InputArgs {
    /// The journey file.
    fn read_journey(&self) -> Result<cx_io::JourneyFile, Failure> {
        cx_io::JourneyFile::read(&self.journey).map_err(|e| Failure::data(e.to_string()))
    }

    /// Whether the responses come from standard input (`-`).
    fn reads_stdin(&self) -> bool {
        self.responses.as_os_str() == "-"
    }

    /// The responses' name in messages: the path, or `standard input`.
    fn responses_name(&self) -> String {
        if self.reads_stdin() {
            "standard input".to_owned()
        } else {
            self.responses.display().to_string()
        }
    }

    /// The responses' format: asked for, else by the name.
    fn input_format(&self) -> cx_io::InputFormat {
        self.input_format.map_or_else(
            || cx_io::InputFormat::from_path(&self.responses),
            InputFormatArg::format,
        )
    }

    /// Whether the input can be read a second time: a regular file.
    fn can_read_again(&self) -> bool {
        !self.reads_stdin() && std::fs::metadata(&self.responses).is_ok_and(|m| m.is_file())
    }

    /// How the respondents' rows are asked to lie: anywhere with
    /// `--scattered`, else together.
    fn order(&self) -> cx_io::RespondentOrder {
        if self.scattered {
            cx_io::RespondentOrder::Scattered
        } else {
            cx_io::RespondentOrder::Contiguous
        }
    }

    /// A reader of the whole input, set up by `builder` (made by
    /// [`reader`](Self::reader)): the file, or standard input for `-`.
    fn open(
        &self,
        journey: &cx_io::JourneyFile,
        builder: &cx_io::ResponseReaderBuilder,
    ) -> Result<cx_io::ResponseReader<'static>, Failure> {
        let reader = if self.reads_stdin() {
            builder
                .clone()
                .name(&self.responses_name())
                .from_reader(std::io::stdin(), journey)
        } else {
            builder.from_path(&self.responses, journey)
        };
        reader.map_err(|e| Failure::data(e.to_string()))
    }

    /// How the responses are read: the format and error policy asked for,
    /// respondents' rows as `order` says they lie.
    fn reader(&self, order: cx_io::RespondentOrder) -> cx_io::ResponseReaderBuilder {
        let mut builder = cx_io::ResponseReaderBuilder::new();
        builder.format(self.input_format());
        builder.respondents(order).error_policy(if self.strict {
            cx_io::ErrorPolicy::Strict
        } else {
            cx_io::ErrorPolicy::Lenient
        });
        if let Some(column) = &self.weight {
            builder.weight_column(column);
        }
        builder
    }

    /// The threads to read CSV blocks, or run a bootstrap's resamples, on:
    /// `--threads`, or the available cores.
    fn threads(&self) -> usize {
        self.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        })
    }
}

/// The formats `--input-format` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputFormatArg {
    /// Comma, semicolon or tab separated, detected from the header.
    Csv,
    /// Tab separated.
    Tsv,
    /// One JSON object per line.
    Ndjson,
    /// One JSON array of objects.
    Json,
}

impl InputFormatArg {
    fn format(self) -> cx_io::InputFormat {
        match self {
            InputFormatArg::Csv => cx_io::InputFormat::Csv { delimiter: None },
            InputFormatArg::Tsv => cx_io::InputFormat::Csv {
                delimiter: Some(b'\t'),
            },
            InputFormatArg::Ndjson => cx_io::InputFormat::Ndjson,
            InputFormatArg::Json => cx_io::InputFormat::Json,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum By {
    /// The respondent's segment.
    Segment,
    /// The channel of each contact.
    Channel,
    /// The journey's stages.
    Stage,
    /// Calendar day.
    Day,
    /// ISO week.
    Week,
    /// Calendar month.
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Policy {
    /// Light from the mean normalized gap: green >= 0, yellow down to -0.25, red below.
    Default,
    /// Light from the share whose expectation was met: green >= 90%, red < 70%.
    Share,
    /// Light from the 95% interval of the mean gap: only clear evidence turns red or green.
    Cautious,
}

#[derive(Debug, clap::Args)]
struct ScoreArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Break results down (repeat for several).
    #[arg(long, value_enum)]
    by: Vec<By>,
    /// How touchpoints get their traffic light.
    #[arg(long, value_enum, default_value_t = Policy::Default)]
    policy: Policy,
    /// Output format (JSON: schema cx.scorecard/2; CSV: a row per
    /// touchpoint and group; HTML: the journey map, as `cx report`); by
    /// default taken from --output's extension (.txt, .md, .json, .csv,
    /// .html), else a table.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write to this file instead of standard output (`-`: standard output).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Fewest answers with a gap for a touchpoint to get a light.
    #[arg(long, default_value_t = 30)]
    min_sample: u64,
    /// How the NPS interval is computed.
    #[arg(long, value_enum, default_value_t = NpsIntervalArg::AdjustedWald)]
    nps_interval: NpsIntervalArg,
    /// What a CSV row is (with CSV output only).
    #[arg(long, value_enum, default_value_t = CsvRows::Touchpoints)]
    csv_rows: CsvRows,
    /// The most groups a breakdown holds (each costs memory); past it cx
    /// exits 1 without writing a scorecard.
    #[arg(long, default_value_t = cx_score::DEFAULT_MAX_GROUPS)]
    max_groups: usize,
}

/// What one row of `cx score`'s CSV holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CsvRows {
    /// One touchpoint of one group.
    Touchpoints,
    /// One group: the whole journey, loyalty, NPS and effort.
    Groups,
}

/// The NPS interval's method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum NpsIntervalArg {
    /// Wald after adding one promoter, one passive and one detractor (honest for small groups).
    #[value(alias = "adjusted_wald")]
    AdjustedWald,
    /// The plain Wald interval, as the R package NPS computes it.
    Wald,
}

impl NpsIntervalArg {
    fn method(self) -> cx_score::NpsInterval {
        match self {
            NpsIntervalArg::AdjustedWald => cx_score::NpsInterval::AdjustedWald,
            NpsIntervalArg::Wald => cx_score::NpsInterval::Wald,
        }
    }
}

#[derive(Debug, clap::Args)]
struct ReportArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The HTML file to write (`-`: standard output).
    #[arg(long, short)]
    output: PathBuf,
    /// How touchpoints get their traffic light.
    #[arg(long, value_enum, default_value_t = Policy::Default)]
    policy: Policy,
    /// Fewest answers with a gap for a touchpoint to get a light.
    #[arg(long, default_value_t = 30)]
    min_sample: u64,
}

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// The survey: CSV (comma, semicolon or tab), wide or long layout,
    /// gzip-compressed or not.
    responses: PathBuf,
    /// Write the draft to this TOML file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// How many rows to look at (the draft holds their distinct values).
    #[arg(long, default_value_t = cx_io::DRAFT_SAMPLE_ROWS)]
    rows: usize,
}

#[derive(Debug, clap::Args)]
struct SampleArgs {
    /// The folder to write retail.toml and retail_responses.csv into.
    #[arg(long, short)]
    output: PathBuf,
    /// How many synthetic respondents.
    #[arg(long, default_value_t = cx_io::sample::SAMPLE_RESPONDENTS)]
    respondents: usize,
    /// The seed; the same seed gives the same file.
    #[arg(long, default_value_t = cx_io::sample::SAMPLE_SEED)]
    seed: u64,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version are not errors; clap prints them.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(failure) => {
            tell(&failure.message);
            ExitCode::from(failure.code)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Score(args) => run_score(&args),
        Command::Report(args) => run_report(&args),
        Command::Validate(args) => run_validate(&args),
        Command::Compare(args) => research::run_compare(&args),
        Command::Drivers(args) => research::run_drivers(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Sample(args) => run_sample(&args),
        Command::Init(args) => run_init(&args),
    }
}

fn policy_of(policy: Policy) -> Box<dyn cx_score::TrafficLightPolicy> {
    match policy {
        Policy::Default => Box::new(cx_score::ThresholdPolicy::default()),
        Policy::Share => Box::new(cx_score::SharePolicy::default()),
        Policy::Cautious => Box::new(cx_score::CautiousPolicy::default()),
    }
}

fn dimensions(by: &[By]) -> Vec<cx_score::Dimension> {
    by.iter()
        .filter_map(|by| match by {
            By::Segment => Some(cx_score::Dimension::Segment),
            By::Channel => Some(cx_score::Dimension::Channel),
            By::Day => Some(cx_score::Dimension::Day),
            By::Week => Some(cx_score::Dimension::Week),
            By::Month => Some(cx_score::Dimension::Month),
            // Stages are in every scorecard; --by stage only shows them.
            By::Stage => None,
        })
        .collect()
}

/// Fails the run when `--max-rejected` is exceeded or nothing was scored,
/// counting the reader's rejections and the scorer's (`counts`).
fn check_rejected(
    input: &InputArgs,
    scored: &Scored,
    counts: &cx_score::Counts,
) -> Result<(), Failure> {
    let mut rejections = rejected::Rejections {
        read: scored.summary.records_read,
        scored: counts.observations.accepted + counts.outcomes.accepted,
        ..rejected::Rejections::default()
    };
    for (kind, count) in &scored.summary.records_rejected {
        rejections.add(kind, *count);
    }
    let by_scorer = counts.observations.rejected.iter();
    for (reason, count) in by_scorer.chain(&counts.outcomes.rejected) {
        rejections.add(reason, *count);
    }
    rejections.check(&scored.responses, input.max_rejected)
}

/// Tells on stderr what was skipped, so that nothing is lost silently.
fn report_rejections(scored: &Scored) {
    let summary = &scored.summary;
    let rejected = summary.records_rejected_total();
    if rejected > 0 {
        tell(format_args!(
            "{}: {rejected} of {} records rejected (run `cx validate` for details); first: {}",
            scored.responses,
            summary.records_read,
            summary
                .examples
                .iter()
                .find(|example| !example.is_field())
                .map_or_else(String::new, ToString::to_string)
        ));
    }
    rejected::tell_fields(&scored.responses, summary);
}

/// Tells the user `message` on standard error, as `cx: message`. A standard
/// error that cannot be written is not worth failing over: the exit code
/// still says what happened.
pub(crate) fn tell(message: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "cx: {message}");
}

/// The formats `cx score` writes; the first is its default.
const SCORE_FORMATS: [Format; 5] = [
    Format::Table,
    Format::Markdown,
    Format::Json,
    Format::Csv,
    Format::Html,
];

fn run_score(args: &ScoreArgs) -> Result<ExitCode, Failure> {
    let output = Output::new(args.output.as_deref());
    let format = Format::chosen("score", args.format, &output, &SCORE_FORMATS)?;
    if args.csv_rows != CsvRows::Touchpoints && format != Format::Csv {
        return Err(Failure::usage(
            "--csv-rows applies to CSV output only (--format csv or an --output ending in .csv)",
        ));
    }
    let config = ScoreConfig {
        min_sample: args.min_sample,
        nps_interval: args.nps_interval.method(),
        ..ScoreConfig::default()
    };
    let scored = score(
        &args.input,
        &dimensions(&args.by),
        config,
        args.input.threads(),
        args.max_groups,
    )?;
    report_rejections(&scored);
    let card = scored
        .scorer
        .finish_with(&*policy_of(args.policy), &cx_score::WeightedMean);
    check_rejected(&args.input, &scored, &card.counts)?;
    let mut bytes = Vec::new();
    match format {
        Format::Json => cx_report::write_json(&card, &mut bytes),
        Format::Csv => match args.csv_rows {
            CsvRows::Touchpoints => cx_report::write_csv(&card, &mut bytes),
            CsvRows::Groups => cx_report::write_summary_csv(&card, &mut bytes),
        },
        Format::Markdown => cx_report::write_markdown(&card, &mut bytes),
        Format::Html => html_report(&card, &args.input).write(&mut bytes),
        Format::Table => {
            let mut options = cx_report::TableOptions::default();
            options.stages = args.by.contains(&By::Stage);
            options.colour = output.is_stdout()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none();
            cx_report::write_table(&card, &options, &mut bytes)
        }
    }
    .map_err(Failure::report)?;
    output.write(&bytes)?;
    Ok(ExitCode::SUCCESS)
}

fn run_report(args: &ReportArgs) -> Result<ExitCode, Failure> {
    let output = Output::new(Some(&args.output));
    // Only HTML: checked before the survey is read.
    Format::chosen("report", None, &output, &[Format::Html])?;
    let config = ScoreConfig {
        min_sample: args.min_sample,
        ..ScoreConfig::default()
    };
    let scored = score(
        &args.input,
        &[],
        config,
        args.input.threads(),
        cx_score::DEFAULT_MAX_GROUPS,
    )?;
    report_rejections(&scored);
    let card = scored
        .scorer
        .finish_with(&*policy_of(args.policy), &cx_score::WeightedMean);
    check_rejected(&args.input, &scored, &card.counts)?;
    let mut html = Vec::new();
    html_report(&card, &args.input)
        .write(&mut html)
        .map_err(Failure::report)?;
    output.write(&html)?;
    if let Some(file) = output.file() {
        tell(format_args!("wrote {}", file.display()));
    }
    Ok(ExitCode::SUCCESS)
}

/// The HTML page of `card`, naming the files it was read from and the time
/// it was made: `SOURCE_DATE_EPOCH` (seconds since 1970) if set, as
/// reproducible builds do, else now.
fn html_report<'a>(card: &'a cx_score::Scorecard, input: &InputArgs) -> cx_report::HtmlReport<'a> {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|seconds| seconds.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |since| since.as_secs().try_into().unwrap_or(i64::MAX))
        });
    let report = cx_report::HtmlReport::new(card)
        .source(input.responses.display().to_string())
        .source(input.journey.display().to_string());
    match chrono::DateTime::from_timestamp(seconds, 0) {
        Some(time) => report.generated_at(time.format("%Y-%m-%d %H:%M:%S UTC").to_string()),
        None => report,
    }
}

fn run_validate(args: &InputArgs) -> Result<ExitCode, Failure> {
    let scored = score(
        args,
        &[],
        ScoreConfig::default(),
        args.threads(),
        cx_score::DEFAULT_MAX_GROUPS,
    )?;
    let summary = &scored.summary;
    let counts = scored.scorer.finish().counts;
    let mut out = format!("{}: {summary}\n", scored.responses);
    let scorer_rejected = counts.observations.rejected_total() + counts.outcomes.rejected_total();
    if scorer_rejected > 0 {
        out.push_str(&format!(
            "scoring rejected {scorer_rejected} more: {:?} {:?}\n",
            counts.observations.rejected, counts.outcomes.rejected
        ));
    }
    if !summary.ignored_columns.is_empty() {
        out.push_str(&format!(
            "columns not read: {}\n",
            summary.ignored_columns.join(", ")
        ));
    }
    if !summary.examples.is_empty() {
        out.push_str("first errors:\n");
        for example in &summary.examples {
            out.push_str(&format!("  {example}\n"));
        }
    }
    Output::new(None).write(out.as_bytes())?;
    // A field left out of a kept record is still a fault of the file.
    let clean = summary.records_rejected_total() == 0
        && summary.fields_rejected_total() == 0
        && scorer_rejected == 0;
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_sample(args: &SampleArgs) -> Result<ExitCode, Failure> {
    let directory = &args.output;
    std::fs::create_dir_all(directory)
        .map_err(|e| Failure::data(format!("{}: cannot create: {e}", directory.display())))?;
    let journey = directory.join("retail.toml");
    Output::new(Some(&journey)).write(cx_io::sample::RETAIL_JOURNEY_TOML.as_bytes())?;
    let responses = directory.join("retail_responses.csv");
    let rows = cx_io::write_file(&responses, |out| {
        cx_io::sample::write_synthetic_responses(out, args.respondents, args.seed)
            .map_err(std::io::Error::from)
    })
    .map_err(|e| Failure::data(format!("{}: cannot write: {e}", responses.display())))?;
    let said = format!(
        "wrote {} and {} ({rows} rows, {} respondents, seed {})\ntry: cx score {} --journey {}\n",
        journey.display(),
        responses.display(),
        args.respondents,
        args.seed,
        responses.display(),
        journey.display()
    );
    Output::new(None).write(said.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn run_init(args: &InitArgs) -> Result<ExitCode, Failure> {
    let output = Output::new(args.output.as_deref());
    if let Some(file) = output.file()
        && !file
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("toml"))
    {
        return Err(Failure::usage(format!(
            "{}: cx init writes a TOML journey file; end the name in .toml (or -o - for standard output)",
            file.display()
        )));
    }
    let draft = cx_io::JourneyDraft::from_path(&args.responses, args.rows)
        .map_err(|e| Failure::data(e.to_string()))?;
    output.write(draft.toml().as_bytes())?;
    if let Some(file) = output.file() {
        tell(format_args!(
            "wrote {}: {} guesses marked CHECK to confirm",
            file.display(),
            draft.checks()
        ));
    }
    Ok(ExitCode::SUCCESS)
}
