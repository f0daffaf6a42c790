//! `cx compare` and `cx drivers`: the research toolkit from the shell.
//! cx-report writes their results.

use cx_model::ObservationBatch;
use cx_score::research::{
    CompareOptions, Comparison, DriverAnalysis, DriverOptions, MissingData, ScoringVariant,
    SurveyData, Target, Variant, compare, drivers,
};

use crate::InputArgs;
use crate::pipeline::Failure;
use crate::rejected::Rejections;

/// The default of `--max-respondents`: a million respondents, about 0.7 GB
/// for `compare` and 1.8 GB for `drivers` at five ratings each (measured on
/// `bench/journey.toml`'s generated surveys, 2026-12-02).
pub const DEFAULT_MAX_RESPONDENTS: usize = 1_000_000;

/// Reads a whole survey into memory, respondent by respondent, up to
/// `max_respondents` of them; with `--weight`, each with their weight.
pub fn load(input: &InputArgs, max_respondents: usize) -> Result<SurveyData, Failure> {
    let journey = input.read_journey()?;
    // Respondents are gathered by id here, wherever their rows are.
    let mut reader = input.open(&journey, input.scattered)?;
    let mut data = if input.weight.is_some() {
        SurveyData::weighted(journey.journey.clone())
    } else {
        SurveyData::new(journey.journey.clone())
    };
    let mut first_rejection = None;
    let mut batch = ObservationBatch::new();
    let read_error = |e: cx_io::Error| Failure::data(e.to_string());
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

/// The variants named on the command line, built-in or not at all.
pub fn variants(names: &str) -> Result<Vec<Variant>, Failure> {
    names
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| {
            Variant::builtin(name).ok_or_else(|| Failure {
                code: 2,
                message: format!(
                    "unknown variant {name:?}; expected some of: {}",
                    Variant::BUILTINS.join(", ")
                ),
            })
        })
        .collect()
}

/// Runs the comparison.
pub fn run_compare(
    data: &SurveyData,
    variants: &[Variant],
    target: Target,
    by: &[cx_score::Dimension],
    resamples: usize,
    seed: u64,
    min_sample: u64,
) -> Result<Comparison, Failure> {
    if variants.len() < 2 {
        return Err(Failure {
            code: 2,
            message: "--variants needs at least two variants to compare".to_owned(),
        });
    }
    let refs: Vec<&dyn ScoringVariant> =
        variants.iter().map(|v| v as &dyn ScoringVariant).collect();
    let options = CompareOptions {
        resamples,
        seed,
        by: by.to_vec(),
        config: cx_score::ScoreConfig {
            min_sample,
            ..cx_score::ScoreConfig::default()
        },
        ..CompareOptions::new(target)
    };
    compare(data, &refs, &options).map_err(|e| Failure::data(e.to_string()))
}

/// Runs the driver analysis: touchpoints below `min_sample` are shown
/// but not weighted; `listwise` weighs only complete respondents.
pub fn run_drivers(
    data: &SurveyData,
    target: Target,
    resamples: usize,
    seed: u64,
    min_respondents: u64,
    min_sample: u64,
    listwise: bool,
) -> Result<DriverAnalysis, Failure> {
    let options = DriverOptions {
        resamples,
        seed,
        min_respondents,
        min_sample,
        missing: if listwise {
            MissingData::Listwise
        } else {
            MissingData::Pairwise
        },
        ..DriverOptions::new(target)
    };
    drivers(data, &options).map_err(|e| Failure::data(e.to_string()))
}
