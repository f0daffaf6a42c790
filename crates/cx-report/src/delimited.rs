//! Results as CSV: one row per touchpoint and group of a scorecard, per
//! variant and pair of a comparison, per touchpoint of a driver analysis.
//! An empty cell is an absent value.

use std::io::Write;

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

/// A number as the shortest text that reads back as the same number, or
/// nothing when it is absent.
pub(crate) fn cell(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

pub(crate) fn lower(ci: Option<Interval>) -> String {
    cell(ci.map(|ci| ci.lower))
}

pub(crate) fn upper(ci: Option<Interval>) -> String {
    cell(ci.map(|ci| ci.upper))
}

/// Writes the header and then each row, and flushes.
pub(crate) fn write_rows<W: Write, const N: usize>(
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
