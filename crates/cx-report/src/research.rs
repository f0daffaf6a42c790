//! Comparisons of scoring variants and driver analyses as aligned text.

use std::fmt::Write as _;
use std::io::Write;

use cx_score::research::{Comparison, Driver, DriverAnalysis};
use cx_score::{Interval, TrafficLight};

use crate::error::Result;
use crate::output::write_text;

/// A number to `digits` decimals, or `-` when it is absent.
fn option(value: Option<f64>, digits: usize) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.digits$}"))
}

/// An interval to `digits` decimals, or nothing when it is absent.
fn interval(ci: Option<Interval>, digits: usize) -> String {
    ci.map_or_else(String::new, |ci| {
        format!("[{:.digits$}, {:.digits$}]", ci.lower, ci.upper)
    })
}

/// Writes a comparison as aligned text: a title line with the outcome,
/// respondents and bootstrap, then a row per variant (ROC AUC with its
/// interval, point-biserial, Spearman, and how many cells each light got)
/// and a row per pair (light agreement raw and as Cohen's kappa, linearly
/// weighted kappa, rank correlation of the opportunities, AUC difference
/// with its interval).
///
/// # Errors
///
/// An [`Error`](crate::Error) of kind [`Io`](crate::ErrorKind::Io) if the output cannot be
/// written.
///
/// # Example
///
/// ```
/// use cx_model::{Answer, Channel, Journey, LoyaltyQuestion, Observation, Outcome, Scale, Stage, Touchpoint};
/// use cx_score::research::{compare, CompareOptions, ScoringVariant, SurveyData, Target, Variant};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store).target(3.0)))
///     .build()?;
/// let mut data = SurveyData::new(journey);
/// for r in 0..10 {
///     let id = format!("r{r}");
///     data.push(&Observation::new(id.as_str(), "till", f64::from(1 + r % 5)))?;
///     data.push_outcome(&Outcome::new(id.as_str()).with_answer(LoyaltyQuestion::ExpectationsMet, Answer::from(r % 5 > 1)))?;
/// }
/// let (default, share) = (Variant::builtin("default").ok_or("default")?, Variant::builtin("share").ok_or("share")?);
/// let variants: [&dyn ScoringVariant; 2] = [&default, &share];
/// let options = CompareOptions { resamples: 0, ..CompareOptions::new(Target::Question(LoyaltyQuestion::ExpectationsMet)) };
/// let comparison = compare(&data, &variants, &options)?;
///
/// let mut out = Vec::new();
/// cx_report::write_comparison_table(&comparison, &mut out)?;
/// let table = String::from_utf8(out)?;
/// assert!(table.starts_with("predicting expectations_met from each variant's journey score: 10 respondents,"));
/// assert!(table.contains("\n  default         1.0000 "));
/// assert!(table.contains("\n  default vs share "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_comparison_table<W: Write>(comparison: &Comparison, output: W) -> Result<()> {
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
        let count =
            |wanted: Option<TrafficLight>| v.lights.iter().filter(|l| **l == wanted).count();
        let _ = writeln!(
            out,
            "  {:<14} {:>7} {:<18} {:>8} {:>8}  {}/{}/{}/{}",
            v.name,
            option(v.auc, 4),
            interval(v.auc_ci, 4),
            option(v.point_biserial, 4),
            option(v.spearman, 4),
            count(Some(TrafficLight::Green)),
            count(Some(TrafficLight::Yellow)),
            count(Some(TrafficLight::Red)),
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
    write_text(&out, output)
}

/// Writes a driver analysis as aligned text, strongest relative weight
/// first: a title line with the outcome, respondents and R², then per
/// touchpoint its n, Pearson and Spearman correlations, relative weight
/// with its interval, mean reality, importance-performance quadrant and
/// flags (a moment of truth, or one that drives like a moment of truth but
/// is not marked as one).
///
/// # Errors
///
/// An [`Error`](crate::Error) of kind [`Io`](crate::ErrorKind::Io) if the output cannot be
/// written.
///
/// # Example
///
/// ```
/// use cx_model::{Channel, Journey, Observation, Outcome, Scale, Stage, Touchpoint};
/// use cx_score::research::{drivers, DriverOptions, SurveyData, Target};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
///     .build()?;
/// let mut data = SurveyData::new(journey);
/// for r in 0..10 {
///     let id = format!("r{r}");
///     data.push(&Observation::new(id.as_str(), "till", f64::from(1 + r % 5)))?;
///     data.push_outcome(&Outcome::new(id.as_str()).with_likelihood_to_recommend(f64::from(2 * (r % 5))))?;
/// }
/// let options = DriverOptions { resamples: 0, min_respondents: 10, ..DriverOptions::new(Target::Nps) };
/// let analysis = drivers(&data, &options)?;
///
/// let mut out = Vec::new();
/// cx_report::write_drivers_table(&analysis, &mut out)?;
/// let table = String::from_utf8(out)?;
/// assert!(table.starts_with("drivers of nps: 10 respondents, R² 1.000 "));
/// assert!(table.contains("\n  Till            10   1.000   1.000 100.0% "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_drivers_table<W: Write>(analysis: &DriverAnalysis, output: W) -> Result<()> {
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
    let mut order: Vec<&Driver> = analysis.drivers.iter().collect();
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
    write_text(&out, output)
}
