//! Results as pretty JSON: the scorecard with its schema, comparisons and
//! driver analyses as they serialize.

use std::io::{self, Write};

use cx_score::Scorecard;
use cx_score::research::{Comparison, DriverAnalysis};
use serde::Serialize;

use crate::error::{Error, Result};

/// The schema name and version written into JSON scorecards.
///
/// # The `cx.scorecard/2` schema
///
/// A JSON object with `"schema": "cx.scorecard/2"` and the fields of the
/// scorecard: `journey`, `scale`, `policy`, `aggregation`, `config`,
/// `counts`, `overall` (a group) and `breakdowns` (each a `dimension` and
/// `groups`, each group a `key` and a `score` that is a group). A group
/// holds `touchpoints` (in journey order: `index`, `id`, `name`, `stage`,
/// `channel`, `weight`, `first_contact`, `last_contact`, `moment_of_truth`,
/// `stats`, `light`, `insufficient_data`), `stages`, `journey`, `outcomes`,
/// `loyalty`, `nps`, `effort` and `opportunities`. Means are
/// `{n, mean, sd, se, ci}`, shares `{count, n, share, ci}`, intervals
/// `{lower, upper}`; absent values are `null`. New fields may be added within
/// a version; a renamed or removed field makes the next.
///
/// Version 2 (from version 1): `loyalty.on_track` is gone; `loyalty.verdict`
/// is the headline (`on_track`, `off_track`, `inconclusive`, `no_data`),
/// `loyalty.point_rule_on_track` the simple "every share above the target"
/// rule, and `loyalty.min_sample` the minimum behind the verdicts;
/// `nps.interval` names the interval's method (`adjusted_wald` by default,
/// or `wald`); each pooled stage and journey score has `by_respondent`
/// (`gap`, `met`, `wow`, each `{n, clusters, off_grid, mean, se, ci}`),
/// its uncertainty clustered by respondent; `config.nps_interval` is new.
///
/// Added within version 2, for respondent weights (`cx score --weight`),
/// and written only when the scorecard is weighted, so an unweighted
/// scorecard is byte for byte as before: `weighted: true` beside `config`,
/// and in every mean, share and `nps` a `weighted` object
/// `{weight, effective_n}` (the weights' sum and Kish's effective sample
/// size `(Σw)² / Σw²`). There `mean`, `share`, `nps` and the intervals are
/// the weighted figures; `n`, `count`, `promoters`, … stay counts of
/// records. A reader of version 2 that ignores unknown fields reads a
/// weighted scorecard's estimates correctly but must use `effective_n`,
/// not `n`, as the sample size.
///
/// # Example
///
/// ```
/// assert_eq!(cx_report::SCORECARD_SCHEMA, "cx.scorecard/2");
/// ```
pub const SCORECARD_SCHEMA: &str = "cx.scorecard/2";

/// The schema name and version written into JSON comparisons of scoring
/// variants.
///
/// # The `cx.comparison/1` schema
///
/// A JSON object with `"schema": "cx.comparison/1"` and the fields of the
/// comparison: `cells` (the touchpoint cells compared: `dimension`,
/// `group`, `touchpoint`), `target`, `respondents`, `resamples`,
/// `resamples_skipped`, `seed`, `variants` (each `name`, `policy`,
/// `aggregation`, `expectations`, `lights`, `impacts`, `ranks`, `scored`
/// (the respondents it could score), `note`, `auc`, `auc_ci`,
/// `point_biserial`, `spearman`) and `pairs` (each `a`, `b`, `lights`,
/// `rank_correlation`, `respondents` (those both could score),
/// `auc_difference`, `auc_difference_ci`, `same_lights_by_construction`,
/// `same_scores_by_construction`). Absent values are `null`. New fields may
/// be added within a version; a renamed or removed field makes the next.
///
/// Added within version 1, for a weighted comparison only (an unweighted
/// one is written as before): `weighted: true` and `respondents_weighted`
/// (`{weight, effective_n}`: the weights' sum and Kish's effective sample
/// size of the `respondents`), in each variant `scored_weighted` (the
/// same for the respondents it scores) and in each pair
/// `respondents_weighted` (for those both score); a variant's `note` may
/// then be `weighs_nothing`.
///
/// # Example
///
/// ```
/// assert_eq!(cx_report::COMPARISON_SCHEMA, "cx.comparison/1");
/// ```
pub const COMPARISON_SCHEMA: &str = "cx.comparison/1";

/// The schema name and version written into JSON driver analyses.
///
/// # The `cx.drivers/1` schema
///
/// A JSON object with `"schema": "cx.drivers/1"` and the fields of the
/// analysis: `target`, `respondents`, `missing`, `weight_respondents`,
/// `min_sample`, `r_squared`, `conditioning` (the correlation matrix's
/// condition and the collinear touchpoints), `weights_withheld`,
/// `resamples`, `seed`, `confidence` and `drivers` (each `id`, `name`,
/// `n`, `below_min_sample`, `pearson`, `spearman`, `relative_weight`,
/// `relative_weight_ci`, `raw_weight_vs_random_ci`, `significant`,
/// `mean_reality`, `performance`, `quadrant`, `moment_of_truth`,
/// `unmarked_moment_of_truth`). Absent values are `null`. New fields may
/// be added within a version; a renamed or removed field makes the next.
///
/// Added within version 1, for a weighted analysis only (an unweighted
/// one is written as before): `weighted: true`, `respondents_weighted` and
/// `weight_respondents_weighted` (`{weight, effective_n}`: the weights'
/// sum and Kish's effective sample size of the respondents with the
/// outcome, and of those behind the weights' matrix), and in each driver
/// `weighted` (the same for its `n` respondents; `below_min_sample` then
/// goes by its `effective_n`).
///
/// # Example
///
/// ```
/// assert_eq!(cx_report::DRIVERS_SCHEMA, "cx.drivers/1");
/// ```
pub const DRIVERS_SCHEMA: &str = "cx.drivers/1";

/// A result as written: the schema first, then the result's own fields.
#[derive(Serialize)]
struct Document<'a, T> {
    schema: &'static str,
    #[serde(flatten)]
    result: &'a T,
}

/// Writes `value` as pretty JSON and a line break, buffered.
fn pretty(value: &impl Serialize, output: impl Write) -> Result<()> {
    let mut output = io::BufWriter::new(output);
    serde_json::to_writer_pretty(&mut output, value).map_err(Error::json)?;
    output.write_all(b"\n").map_err(Error::io)?;
    output.flush().map_err(Error::io)
}

/// Writes a scorecard as pretty JSON of the [`SCORECARD_SCHEMA`] schema,
/// with `"schema": "cx.scorecard/2"` first. Deserializing it (without the
/// schema field) as a [`Scorecard`] gives the scorecard back.
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
/// use cx_score::{ScoreConfig, ScorecardAccumulator};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
///     .build()?;
/// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?;
/// scorer.try_push(&Observation::new("a", "till", 4.0).with_expectation(3.0))?;
/// let card = scorer.finish();
///
/// let mut out = Vec::new();
/// cx_report::write_json(&card, &mut out)?;
/// let value: serde_json::Value = serde_json::from_slice(&out)?;
/// assert_eq!(value["schema"], "cx.scorecard/2");
/// assert_eq!(value["overall"]["touchpoints"][0]["stats"]["gap"]["points"]["mean"], 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_json<W: Write>(scorecard: &Scorecard, output: W) -> Result<()> {
    let document = Document {
        schema: SCORECARD_SCHEMA,
        result: scorecard,
    };
    pretty(&document, output)
}

/// Writes a comparison of scoring variants as pretty JSON of the
/// [`COMPARISON_SCHEMA`] schema, with `"schema": "cx.comparison/1"` first,
/// then field for field.
///
/// # Errors
///
/// An [`Error`](crate::Error) of kind [`Io`](crate::ErrorKind::Io) if the output cannot be
/// written.
///
/// # Example
///
/// ```
/// # use cx_model::{Answer, Channel, Journey, LoyaltyQuestion, Observation, Outcome, Scale, Stage, Touchpoint};
/// # use cx_score::research::{compare, CompareOptions, ScoringVariant, SurveyData, Target, Variant};
/// # let journey = Journey::builder("Shop", Scale::LIKERT_5)
/// #     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store).target(3.0)))
/// #     .build()?;
/// # let mut data = SurveyData::new(journey);
/// # for r in 0..10 {
/// #     let id = format!("r{r}");
/// #     data.push(&Observation::new(id.as_str(), "till", f64::from(1 + r % 5)))?;
/// #     data.push_outcome(&Outcome::new(id.as_str()).with_answer(LoyaltyQuestion::ExpectationsMet, Answer::from(r % 5 > 1)))?;
/// # }
/// # let (default, share) = (Variant::builtin("default").ok_or("default")?, Variant::builtin("share").ok_or("share")?);
/// # let variants: [&dyn ScoringVariant; 2] = [&default, &share];
/// // `compare` on ten respondents with the variants `default` and `share`
/// let options = CompareOptions { resamples: 0, seed: 7, ..CompareOptions::new(Target::Question(LoyaltyQuestion::ExpectationsMet)) };
/// let comparison = compare(&data, &variants, &options)?;
/// let mut out = Vec::new();
/// cx_report::write_comparison_json(&comparison, &mut out)?;
/// let value: serde_json::Value = serde_json::from_slice(&out)?;
/// assert_eq!(value["schema"], cx_report::COMPARISON_SCHEMA);
/// assert_eq!(value["seed"], 7);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_comparison_json<W: Write>(comparison: &Comparison, output: W) -> Result<()> {
    let document = Document {
        schema: COMPARISON_SCHEMA,
        result: comparison,
    };
    pretty(&document, output)
}

/// Writes a driver analysis as pretty JSON of the [`DRIVERS_SCHEMA`]
/// schema, with `"schema": "cx.drivers/1"` first, then field for field.
///
/// # Errors
///
/// An [`Error`](crate::Error) of kind [`Io`](crate::ErrorKind::Io) if the output cannot be
/// written.
///
/// # Example
///
/// ```
/// # use cx_model::{Channel, Journey, Observation, Outcome, Scale, Stage, Touchpoint};
/// # use cx_score::research::{drivers, DriverOptions, SurveyData, Target};
/// # let journey = Journey::builder("Shop", Scale::LIKERT_5)
/// #     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
/// #     .build()?;
/// # let mut data = SurveyData::new(journey);
/// # for r in 0..40 {
/// #     let id = format!("r{r}");
/// #     data.push(&Observation::new(id.as_str(), "till", f64::from(1 + r % 5)))?;
/// #     data.push_outcome(&Outcome::new(id.as_str()).with_likelihood_to_recommend(f64::from(2 * (r % 5))))?;
/// # }
/// // `data`: forty respondents who rated the till and how likely they are to recommend
/// let analysis = drivers(&data, &DriverOptions { resamples: 0, ..DriverOptions::new(Target::Nps) })?;
/// let mut out = Vec::new();
/// cx_report::write_drivers_json(&analysis, &mut out)?;
/// let value: serde_json::Value = serde_json::from_slice(&out)?;
/// assert_eq!(value["schema"], cx_report::DRIVERS_SCHEMA);
/// assert_eq!(value["respondents"], 40);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_drivers_json<W: Write>(analysis: &DriverAnalysis, output: W) -> Result<()> {
    let document = Document {
        schema: DRIVERS_SCHEMA,
        result: analysis,
    };
    pretty(&document, output)
}
