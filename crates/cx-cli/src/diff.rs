//! `cx diff`: change and difference tests between the groups of one
//! breakdown, each period against the one before or two named groups.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use cx_score::{Adjustment, ChangeOptions, Dimension, ErrorKind, Pairs};

use crate::output::{Format, Output};
use crate::pipeline::{Failure, score};
use crate::{InputArgs, check_rejected, report_rejections};

/// The breakdowns whose groups `cx diff` can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffBy {
    /// The respondent's segment.
    Segment,
    /// The channel of each contact (outcomes have none: no NPS or loyalty).
    Channel,
    /// Calendar day.
    Day,
    /// ISO week.
    Week,
    /// Calendar month.
    Month,
}

impl DiffBy {
    fn dimension(self) -> Dimension {
        match self {
            DiffBy::Segment => Dimension::Segment,
            DiffBy::Channel => Dimension::Channel,
            DiffBy::Day => Dimension::Day,
            DiffBy::Week => Dimension::Week,
            DiffBy::Month => Dimension::Month,
        }
    }
}

/// How the p-values of all the tests are adjusted together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AdjustArg {
    /// Holm: the chance of even one false finding stays under 5%, however
    /// the tests depend on each other.
    Holm,
    /// Benjamini-Hochberg: the expected share of false findings among the
    /// findings stays under 5%; finds more when there are many tests.
    Bh,
    /// No adjustment: the raw p-values.
    None,
}

impl AdjustArg {
    fn adjustment(self) -> Adjustment {
        match self {
            AdjustArg::Holm => Adjustment::Holm,
            AdjustArg::Bh => Adjustment::BenjaminiHochberg,
            AdjustArg::None => Adjustment::Unadjusted,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The breakdown whose groups are compared.
    #[arg(long, value_enum)]
    by: DiffBy,
    /// `previous` (each day, week or month against the one before), or
    /// two group keys `BEFORE,AFTER` such as `2024-01,2024-06` or
    /// `new,business`; repeat for several pairs.
    #[arg(long, default_value = "previous")]
    compare: Vec<String>,
    /// How the p-values of all the tests are adjusted together.
    #[arg(long, value_enum, default_value_t = AdjustArg::Holm)]
    adjust: AdjustArg,
    /// Output format (JSON: schema cx.changes/1); by default taken from
    /// --output's extension (.txt, .md, .json, .csv), else a table.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write to this file instead of standard output (`-`: standard output).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Tests with fewer answers than this in a group are marked `~`.
    #[arg(long, default_value_t = 30)]
    min_sample: u64,
    /// The most groups the breakdown holds (each costs memory); past it cx
    /// exits 1 without comparing.
    #[arg(long, default_value_t = cx_score::DEFAULT_MAX_GROUPS)]
    max_groups: usize,
}

/// The pairs `--compare` asks for.
fn pairs(args: &DiffArgs) -> Result<Pairs, Failure> {
    if let [only] = args.compare.as_slice()
        && only.trim().eq_ignore_ascii_case("previous")
    {
        return match args.by {
            DiffBy::Day | DiffBy::Week | DiffBy::Month => Ok(Pairs::Previous),
            DiffBy::Segment | DiffBy::Channel => Err(Failure::usage(format!(
                "--compare previous needs a period (--by day, week or month); for --by {} name two groups: --compare A,B",
                args.by.dimension()
            ))),
        };
    }
    let named = args
        .compare
        .iter()
        .map(|pair| match pair.split_once(',') {
            Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() && !b.contains(',') => {
                Ok((a.trim().to_owned(), b.trim().to_owned()))
            }
            _ => Err(Failure::usage(format!(
                "--compare {pair:?}: expected `previous` or two group keys BEFORE,AFTER"
            ))),
        })
        .collect::<Result<_, _>>()?;
    Ok(Pairs::Named(named))
}

/// Runs `cx diff`.
pub fn run(args: &DiffArgs) -> Result<ExitCode, Failure> {
    let pairs = pairs(args)?;
    let output = Output::new(args.output.as_deref());
    let writes = [Format::Table, Format::Markdown, Format::Json, Format::Csv];
    let format = Format::chosen("diff", args.format, &output, &writes)?;
    let dimension = args.by.dimension();
    let config = cx_score::ScoreConfig {
        min_sample: args.min_sample,
        ..cx_score::ScoreConfig::default()
    };
    let scored = score(
        &args.input,
        &[dimension],
        config,
        args.input.threads(),
        args.max_groups,
    )?;
    report_rejections(&scored);
    let card = scored.scorer.finish();
    check_rejected(&args.input, &scored, &card.counts)?;
    let mut options = ChangeOptions::new(dimension, pairs);
    options.adjustment = args.adjust.adjustment();
    let changes =
        cx_score::compare_groups(&card, &options).map_err(|error| match error.kind() {
            ErrorKind::UnknownGroup { .. } => {
                let keys: Vec<&str> = card
                    .breakdown(dimension)
                    .map(|b| b.groups.iter().filter_map(|g| g.key.as_deref()).collect())
                    .unwrap_or_default();
                Failure::usage(format!("{error}; it has: {}", keys.join(", ")))
            }
            _ => Failure::data(error.to_string()),
        })?;
    let mut bytes = Vec::new();
    match format {
        Format::Markdown => cx_report::write_changes_markdown(&changes, &mut bytes),
        Format::Json => cx_report::write_changes_json(&changes, &mut bytes),
        Format::Csv => cx_report::write_changes_csv(&changes, &mut bytes),
        // Chosen from `writes` above: a table.
        Format::Table | Format::Html => cx_report::write_changes_table(&changes, &mut bytes),
    }
    .map_err(Failure::report)?;
    output.write(&bytes)?;
    Ok(ExitCode::SUCCESS)
}
