//! `cx compare` and `cx drivers`: the research toolkit from the shell.

use std::fmt::Write as _;

use cx_io::Record;
use cx_score::research::{
    CompareOptions, Comparison, DriverAnalysis, DriverOptions, ScoringVariant, SurveyData, Target,
    Variant, compare, drivers,
};

use crate::InputArgs;
use crate::pipeline::Failure;

/// Reads a whole survey into memory, respondent by respondent.
pub fn load(input: &InputArgs) -> Result<SurveyData, Failure> {
    let journey = input.read_journey()?;
    let reader = input
        .reader()
        .from_path(&input.responses, &journey)
        .map_err(|e| Failure::data(e.to_string()))?;
    let mut data = SurveyData::new(journey.journey.clone());
    let mut first_rejection = None;
    let summary = reader
        .read_all(|record| {
            let pushed = match record {
                Record::Observation(observation) => data.push(&observation),
                Record::Outcome(outcome) => data.push_outcome(&outcome),
            };
            if let Err(rejection) = pushed {
                first_rejection.get_or_insert(rejection);
            }
        })
        .map_err(|e| Failure::data(e.to_string()))?;
    if let Some(rejection) = first_rejection.filter(|_| input.strict) {
        return Err(Failure::data(format!(
            "{}: {rejection}",
            input.responses.display()
        )));
    }
    let rejected = summary.records_rejected_total() + data.rejected();
    if rejected > 0 {
        eprintln!(
            "cx: {}: {rejected} records rejected (run `cx validate` for details)",
            input.responses.display()
        );
    }
    Ok(data)
}

fn option(value: Option<f64>, digits: usize) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.digits$}"))
}

fn interval(ci: Option<cx_score::Interval>, digits: usize) -> String {
    ci.map_or_else(String::new, |ci| {
        format!("[{:.digits$}, {:.digits$}]", ci.lower, ci.upper)
    })
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
        ..CompareOptions::new(target)
    };
    compare(data, &refs, &options).map_err(|e| Failure::data(e.to_string()))
}

/// The comparison as aligned text.
pub fn comparison_table(comparison: &Comparison) -> String {
    let mut out = format!(
        "predicting {} from each variant's journey score: {} respondents, {} bootstrap resamples (seed {}{})\n\n",
        comparison.target,
        comparison.respondents,
        comparison.resamples,
        comparison.seed,
        if comparison.resamples_skipped > 0 {
            format!(", {} skipped", comparison.resamples_skipped)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "  {:<14} {:>7} {:<18} {:>8} {:>8}  lights G/Y/R/-",
        "variant", "AUC", "95% CI", "r_pb", "rho"
    );
    for v in &comparison.variants {
        let count = |wanted: Option<cx_score::TrafficLight>| {
            v.lights.iter().filter(|l| **l == wanted).count()
        };
        let _ = writeln!(
            out,
            "  {:<14} {:>7} {:<18} {:>8} {:>8}  {}/{}/{}/{}",
            v.name,
            option(v.auc, 4),
            interval(v.auc_ci, 4),
            option(v.point_biserial, 4),
            option(v.spearman, 4),
            count(Some(cx_score::TrafficLight::Green)),
            count(Some(cx_score::TrafficLight::Yellow)),
            count(Some(cx_score::TrafficLight::Red)),
            count(None),
        );
    }
    let _ = writeln!(
        out,
        "\n  {:<28} {:>6} {:>7} {:>9} {:>8} {:>9} {:<20}",
        "pair", "agree", "kappa", "w.kappa", "rank rho", "AUC diff", "95% CI"
    );
    for pair in &comparison.pairs {
        let _ = writeln!(
            out,
            "  {:<28} {:>6} {:>7} {:>9} {:>8} {:>9} {:<20}",
            format!("{} vs {}", pair.a, pair.b),
            option(pair.lights.raw, 3),
            option(pair.lights.kappa, 3),
            option(pair.lights.weighted_kappa, 3),
            option(pair.rank_correlation, 3),
            option(pair.auc_difference, 4),
            interval(pair.auc_difference_ci, 4),
        );
    }
    out
}

/// The comparison as CSV: one row per variant, then one per pair.
pub fn comparison_csv(comparison: &Comparison) -> Result<Vec<u8>, Failure> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let cell = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let csv_error = |e: csv::Error| Failure::data(e.to_string());
    writer
        .write_record([
            "kind",
            "variant",
            "other",
            "n",
            "auc",
            "auc_lower",
            "auc_upper",
            "point_biserial",
            "spearman",
            "light_agreement",
            "kappa",
            "weighted_kappa",
            "rank_correlation",
            "auc_difference",
            "difference_lower",
            "difference_upper",
        ])
        .map_err(csv_error)?;
    for v in &comparison.variants {
        writer
            .write_record([
                "variant".to_owned(),
                v.name.clone(),
                String::new(),
                v.scored.to_string(),
                cell(v.auc),
                cell(v.auc_ci.map(|c| c.lower)),
                cell(v.auc_ci.map(|c| c.upper)),
                cell(v.point_biserial),
                cell(v.spearman),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ])
            .map_err(csv_error)?;
    }
    for p in &comparison.pairs {
        writer
            .write_record([
                "pair".to_owned(),
                p.a.clone(),
                p.b.clone(),
                p.lights.n.to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                cell(p.lights.raw),
                cell(p.lights.kappa),
                cell(p.lights.weighted_kappa),
                cell(p.rank_correlation),
                cell(p.auc_difference),
                cell(p.auc_difference_ci.map(|c| c.lower)),
                cell(p.auc_difference_ci.map(|c| c.upper)),
            ])
            .map_err(csv_error)?;
    }
    writer
        .into_inner()
        .map_err(|e| Failure::data(e.to_string()))
}

/// Runs the driver analysis.
pub fn run_drivers(
    data: &SurveyData,
    target: Target,
    resamples: usize,
    seed: u64,
    min_respondents: u64,
) -> Result<DriverAnalysis, Failure> {
    let options = DriverOptions {
        resamples,
        seed,
        min_respondents,
        ..DriverOptions::new(target)
    };
    drivers(data, &options).map_err(|e| Failure::data(e.to_string()))
}

/// The drivers as aligned text, strongest relative weight first.
pub fn drivers_table(analysis: &DriverAnalysis) -> String {
    let mut out = format!(
        "drivers of {}: {} respondents, R² {} (Johnson's relative weights, {} bootstrap resamples, seed {})\n\n",
        analysis.target,
        analysis.respondents,
        option(analysis.r_squared, 3),
        analysis.resamples,
        analysis.seed
    );
    let width = analysis
        .drivers
        .iter()
        .map(|d| d.name.chars().count())
        .max()
        .unwrap_or(10)
        .max(10);
    let _ = writeln!(
        out,
        "  {:<width$} {:>7} {:>7} {:>7} {:>6} {:<15} {:>5}  {:<22} flags",
        "touchpoint", "n", "r", "rho", "weight", "95% CI", "mean", "quadrant"
    );
    let mut order: Vec<&cx_score::research::Driver> = analysis.drivers.iter().collect();
    order.sort_by(|a, b| {
        b.relative_weight
            .unwrap_or(-1.0)
            .total_cmp(&a.relative_weight.unwrap_or(-1.0))
    });
    for d in order {
        let mut flags = Vec::new();
        if d.moment_of_truth {
            flags.push("moment of truth");
        }
        if d.unmarked_moment_of_truth {
            flags.push("drives like a moment of truth, not marked");
        }
        let _ = writeln!(
            out,
            "  {:<width$} {:>7} {:>7} {:>7} {:>5}% {:<15} {:>5}  {:<22} {}",
            d.name,
            d.n,
            option(d.pearson, 3),
            option(d.spearman, 3),
            option(d.relative_weight, 1),
            interval(d.relative_weight_ci, 1),
            option(d.mean_reality, 2),
            d.quadrant.map_or("-", |q| q.name()),
            flags.join("; ")
        );
    }
    out
}

/// The drivers as CSV, one row per touchpoint in journey order.
pub fn drivers_csv(analysis: &DriverAnalysis) -> Result<Vec<u8>, Failure> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let cell = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let csv_error = |e: csv::Error| Failure::data(e.to_string());
    writer
        .write_record([
            "touchpoint",
            "name",
            "n",
            "pearson",
            "spearman",
            "relative_weight",
            "weight_lower",
            "weight_upper",
            "mean_reality",
            "performance",
            "quadrant",
            "moment_of_truth",
            "unmarked_moment_of_truth",
        ])
        .map_err(csv_error)?;
    for d in &analysis.drivers {
        writer
            .write_record([
                d.id.clone(),
                d.name.clone(),
                d.n.to_string(),
                cell(d.pearson),
                cell(d.spearman),
                cell(d.relative_weight),
                cell(d.relative_weight_ci.map(|c| c.lower)),
                cell(d.relative_weight_ci.map(|c| c.upper)),
                cell(d.mean_reality),
                cell(d.performance),
                d.quadrant.map(|q| q.name().to_owned()).unwrap_or_default(),
                d.moment_of_truth.to_string(),
                d.unmarked_moment_of_truth.to_string(),
            ])
            .map_err(csv_error)?;
    }
    writer
        .into_inner()
        .map_err(|e| Failure::data(e.to_string()))
}
