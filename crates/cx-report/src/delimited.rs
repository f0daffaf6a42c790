//! Results as CSV: one row per touchpoint and group of a scorecard, per
//! variant and pair of a comparison, per touchpoint of a driver analysis.
//! An empty cell is an absent value.

use std::io::Write;

use cx_score::research::{Comparison, DriverAnalysis};
use cx_score::{Interval, Scorecard, TrafficLight};

use crate::error::{Error, Result};
use crate::output::breakdown_groups;

/// The columns of the CSV scorecard, one row per touchpoint and group.
///
/// # Example
///
/// ```
/// assert_eq!(cx_report::SCORECARD_CSV_COLUMNS[..4], ["breakdown", "group", "index", "touchpoint"]);
/// ```
pub const SCORECARD_CSV_COLUMNS: [&str; 33] = [
    "breakdown",
    "group",
    "index",
    "touchpoint",
    "name",
    "stage",
    "channel",
    "weight",
    "first_contact",
    "last_contact",
    "moment_of_truth",
    "observations",
    "not_applicable",
    "without_expectation",
    "n",
    "light",
    "insufficient_data",
    "mean_reality",
    "mean_expectation",
    "mean_gap",
    "mean_gap_ci_lower",
    "mean_gap_ci_upper",
    "mean_normalized_gap",
    "met_share",
    "met_ci_lower",
    "met_ci_upper",
    "wow_share",
    "wow_ci_lower",
    "wow_ci_upper",
    "shortfall_share",
    "csat",
    "net_emotion",
    "dominant_emotion",
];

/// The columns of the CSV comparison: one row per variant
/// (`kind = "variant"`), then one per pair (`kind = "pair"`), each filling
/// the columns that apply to it.
///
/// # Example
///
/// ```
/// assert_eq!(cx_report::COMPARISON_CSV_COLUMNS[..3], ["kind", "variant", "other"]);
/// ```
pub const COMPARISON_CSV_COLUMNS: [&str; 16] = [
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
];

/// The columns of the CSV driver analysis, one row per touchpoint.
///
/// # Example
///
/// ```
/// assert_eq!(cx_report::DRIVERS_CSV_COLUMNS[..3], ["touchpoint", "name", "n"]);
/// ```
pub const DRIVERS_CSV_COLUMNS: [&str; 13] = [
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
];

/// A number as the shortest text that reads back as the same number, or
/// nothing when it is absent.
fn cell(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn lower(ci: Option<Interval>) -> String {
    cell(ci.map(|ci| ci.lower))
}

fn upper(ci: Option<Interval>) -> String {
    cell(ci.map(|ci| ci.upper))
}

/// Writes the header and then each row, and flushes.
fn write_rows<W: Write, const N: usize>(
    output: W,
    header: [&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> Result<()> {
    let mut writer = csv::Writer::from_writer(output);
    writer.write_record(header).map_err(Error::csv)?;
    for row in rows {
        writer.write_record(row).map_err(Error::csv)?;
    }
    writer.flush().map_err(Error::io)
}

/// Writes a scorecard as CSV: one row per touchpoint for the whole journey
/// (`breakdown = "overall"`, `group` empty), then one per touchpoint and
/// breakdown group (the group without a value has an empty `group`), with
/// the columns in [`SCORECARD_CSV_COLUMNS`].
///
/// # Errors
///
/// An [`Error`](crate::Error) of kind [`Io`](crate::ErrorKind::Io) if the output cannot be
/// written.
///
/// # Example
///
/// ```
/// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
/// use cx_score::{Dimension, ScoreConfig, ScorecardAccumulator};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
///     .build()?;
/// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?
///     .breakdown_by(Dimension::Segment);
/// scorer.try_push(&Observation::new("a", "till", 4.0).with_expectation(3.0).with_segment("new"))?;
/// let card = scorer.finish();
///
/// let mut out = Vec::new();
/// cx_report::write_csv(&card, &mut out)?;
/// let text = String::from_utf8(out)?;
/// let rows: Vec<&str> = text.lines().collect();
/// assert_eq!(rows.len(), 3); // the header, the whole journey, segment "new"
/// assert!(rows[1].starts_with("overall,,0,till,Till,Buy,store,1,"));
/// assert!(rows[2].starts_with("segment,new,0,till,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_csv<W: Write>(scorecard: &Scorecard, output: W) -> Result<()> {
    let overall = std::iter::once(("overall", None, &scorecard.overall));
    let groups =
        breakdown_groups(scorecard).map(|(dimension, key, group)| (dimension.name(), key, group));
    let rows = overall.chain(groups).flat_map(|(breakdown, key, group)| {
        group.touchpoints.iter().map(move |t| {
            let s = &t.stats;
            let g = &s.gap;
            [
                breakdown.to_owned(),
                key.unwrap_or("").to_owned(),
                t.index.to_string(),
                t.id.clone(),
                t.name.clone(),
                t.stage.clone(),
                t.channel.as_str().to_owned(),
                t.weight.to_string(),
                t.first_contact.to_string(),
                t.last_contact.to_string(),
                t.moment_of_truth.to_string(),
                s.observations.to_string(),
                s.not_applicable.to_string(),
                s.without_expectation.to_string(),
                g.n.to_string(),
                t.light.map(TrafficLight::name).unwrap_or("").to_owned(),
                t.insufficient_data.to_string(),
                cell(s.reality.mean),
                cell(s.expectation.mean),
                cell(g.points.mean),
                lower(g.points.ci),
                upper(g.points.ci),
                cell(g.normalized.mean),
                cell(g.met.share),
                lower(g.met.ci),
                upper(g.met.ci),
                cell(g.wow.share),
                lower(g.wow.ci),
                upper(g.wow.ci),
                cell(g.shortfall.share),
                cell(s.csat.share),
                cell(s.emotions.net),
                s.emotions
                    .dominant
                    .map_or("", |emotion| emotion.snake_case_name())
                    .to_owned(),
            ]
        })
    });
    write_rows(output, SCORECARD_CSV_COLUMNS, rows)
}

/// Writes a comparison as CSV with the columns in
/// [`COMPARISON_CSV_COLUMNS`]: one row per variant, then one per pair.
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
    let variants = comparison.variants.iter().map(|v| {
        [
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
        ]
    });
    let pairs = comparison.pairs.iter().map(|p| {
        [
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
        ]
    });
    write_rows(output, COMPARISON_CSV_COLUMNS, variants.chain(pairs))
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
/// let options = DriverOptions { resamples: 0, min_respondents: 10, ..DriverOptions::new(Target::Nps) };
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
    let rows = analysis.drivers.iter().map(|d| {
        [
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
        ]
    });
    write_rows(output, DRIVERS_CSV_COLUMNS, rows)
}
