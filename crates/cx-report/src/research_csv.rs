//! Comparisons and driver analyses as CSV: one row per variant and pair of
//! a comparison, per touchpoint of a driver analysis, with the notes the
//! text tables print. An empty cell is an absent value.

use std::io::Write;

use cx_score::research::{Comparison, DriverAnalysis};

use crate::delimited::{cell, lower, n_eff, upper, write_extended_rows};
use crate::error::Result;
use crate::research::{collinear_with, driver_note, pair_notes};

/// The columns of the CSV comparison: one row per variant
/// (`kind = "variant"`), then one per pair (`kind = "pair"`), each filling
/// the columns that apply to it. `n` is a variant's respondents and a
/// pair's cells lit by both; `respondents` is the respondents a variant
/// scores, or both of a pair score (the sample of its AUC difference);
/// `note` says why a variant has no results and which of a pair's figures
/// are equal by construction (`; ` between notes). The columns after
/// `difference_upper` were added after the first sixteen, which keep their
/// places.
///
/// # Example
///
/// ```
/// assert_eq!(cx_report::COMPARISON_CSV_COLUMNS[..3], ["kind", "variant", "other"]);
/// ```
pub const COMPARISON_CSV_COLUMNS: [&str; 23] = [
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
    "policy",
    "aggregation",
    "expectations",
    "respondents",
    "same_lights_by_construction",
    "same_scores_by_construction",
    "note",
];

/// The columns of the CSV driver analysis, one row per touchpoint.
/// `significant` is `true`, `false` or empty (no bootstrap or no weights);
/// `vs_random_lower` and `vs_random_upper` bound the raw weight minus a
/// random variable's; `collinear_with` lists the touchpoints it is
/// collinear with (`; ` between ids); `missing`, `weight_respondents` and
/// `matrix_status` repeat the analysis's deletion, the respondents behind
/// its weights and its correlation matrix's status on every row; `note`
/// says why a weight is absent or unstable. The columns after
/// `unmarked_moment_of_truth` were added after the first thirteen, which
/// keep their places.
///
/// # Example
///
/// ```
/// assert_eq!(cx_report::DRIVERS_CSV_COLUMNS[..3], ["touchpoint", "name", "n"]);
/// ```
///
/// A weighted analysis adds the columns of
/// [`WEIGHTED_DRIVERS_CSV_COLUMNS`] after these.
pub const DRIVERS_CSV_COLUMNS: [&str; 22] = [
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
    "below_min_sample",
    "significant",
    "vs_random_lower",
    "vs_random_upper",
    "collinear_with",
    "missing",
    "weight_respondents",
    "matrix_status",
    "note",
];

/// The columns a weighted driver analysis's CSV adds after
/// [`DRIVERS_CSV_COLUMNS`]: each touchpoint's Kish effective sample size
/// (which its minimum sample goes by) and the sum of its respondents'
/// weights. An unweighted analysis has neither.
///
/// ```
/// assert_eq!(cx_report::WEIGHTED_DRIVERS_CSV_COLUMNS, ["n_eff", "weight_sum"]);
/// ```
pub const WEIGHTED_DRIVERS_CSV_COLUMNS: [&str; 2] = ["n_eff", "weight_sum"];

/// The columns a weighted comparison's CSV adds after
/// [`COMPARISON_CSV_COLUMNS`]: the Kish effective sample size and the
/// weight sum of the respondents in the `respondents` column (those a
/// variant scores, or both of a pair score). An unweighted comparison has
/// neither.
///
/// ```
/// assert_eq!(
///     cx_report::WEIGHTED_COMPARISON_CSV_COLUMNS,
///     ["respondents_n_eff", "respondents_weight_sum"]
/// );
/// ```
pub const WEIGHTED_COMPARISON_CSV_COLUMNS: [&str; 2] =
    ["respondents_n_eff", "respondents_weight_sum"];

/// Writes a comparison as CSV with the columns in
/// [`COMPARISON_CSV_COLUMNS`]: one row per variant, then one per pair; a
/// weighted comparison adds those of [`WEIGHTED_COMPARISON_CSV_COLUMNS`].
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
/// cx_report::write_comparison_csv(&comparison, &mut out)?;
/// let text = String::from_utf8(out)?;
/// let kinds: Vec<&str> = text.lines().skip(1).map(|row| &row[..row.find(',').unwrap_or(0)]).collect();
/// assert_eq!(kinds, ["variant", "variant", "pair"]);
/// assert!(text.lines().nth(1).is_some_and(|row| row.starts_with("variant,default,,10,1,")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_comparison_csv<W: Write>(comparison: &Comparison, output: W) -> Result<()> {
    let sizes = |w: Option<cx_score::Weighted>| [n_eff(w), cell(w.map(|w| w.weight))];
    let variants = comparison.variants.iter().map(|v| {
        let row = [
            "variant".to_owned(),
            v.name.clone(),
            String::new(),
            v.scored.to_string(),
            cell(v.auc),
            lower(v.auc_ci),
            upper(v.auc_ci),
            cell(v.point_biserial),
            cell(v.spearman),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            v.policy.clone(),
            v.aggregation.clone(),
            v.expectations.name().to_owned(),
            v.scored.to_string(),
            String::new(),
            String::new(),
            v.note.map(|note| note.to_string()).unwrap_or_default(),
        ];
        (row, sizes(v.scored_weighted))
    });
    let pairs = comparison.pairs.iter().map(|p| {
        let row = [
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
            lower(p.auc_difference_ci),
            upper(p.auc_difference_ci),
            String::new(),
            String::new(),
            String::new(),
            p.respondents.to_string(),
            p.same_lights_by_construction.to_string(),
            p.same_scores_by_construction.to_string(),
            pair_notes(comparison, p).join("; "),
        ];
        (row, sizes(p.respondents_weighted))
    });
    let extra = comparison
        .weighted
        .then_some(WEIGHTED_COMPARISON_CSV_COLUMNS);
    write_extended_rows(output, COMPARISON_CSV_COLUMNS, extra, variants.chain(pairs))
}

/// Writes a driver analysis as CSV with the columns in
/// [`DRIVERS_CSV_COLUMNS`], one row per touchpoint in journey order.
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
/// let options = DriverOptions { resamples: 0, min_respondents: 10, min_sample: 10, ..DriverOptions::new(Target::Nps) };
/// let analysis = drivers(&data, &options)?;
///
/// let mut out = Vec::new();
/// cx_report::write_drivers_csv(&analysis, &mut out)?;
/// let text = String::from_utf8(out)?;
/// assert!(text.starts_with("touchpoint,name,n,pearson,"));
/// assert!(text.lines().nth(1).is_some_and(|row| row.starts_with("till,Till,10,1,1,")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_drivers_csv<W: Write>(analysis: &DriverAnalysis, output: W) -> Result<()> {
    let status = analysis
        .conditioning
        .as_ref()
        .map_or("", |c| c.status.name())
        .to_owned();
    let rows = analysis.drivers.iter().map(|d| {
        let row = [
            d.id.clone(),
            d.name.clone(),
            d.n.to_string(),
            cell(d.pearson),
            cell(d.spearman),
            cell(d.relative_weight),
            lower(d.relative_weight_ci),
            upper(d.relative_weight_ci),
            cell(d.mean_reality),
            cell(d.performance),
            d.quadrant.map_or("", |q| q.name()).to_owned(),
            d.moment_of_truth.to_string(),
            d.unmarked_moment_of_truth.to_string(),
            d.below_min_sample.to_string(),
            d.significant.map(|s| s.to_string()).unwrap_or_default(),
            lower(d.raw_weight_vs_random_ci),
            upper(d.raw_weight_vs_random_ci),
            collinear_with(analysis, &d.id).join("; "),
            analysis.missing.name().to_owned(),
            analysis.weight_respondents.to_string(),
            status.clone(),
            driver_note(analysis, d),
        ];
        let weighted = [n_eff(d.weighted), cell(d.weighted.map(|w| w.weight))];
        (row, weighted)
    });
    let extra = analysis.weighted.then_some(WEIGHTED_DRIVERS_CSV_COLUMNS);
    write_extended_rows(output, DRIVERS_CSV_COLUMNS, extra, rows)
}
