//! Results as CSV: one row per touchpoint and group of a scorecard, per
//! variant and pair of a comparison, per touchpoint of a driver analysis.
//! An empty cell is an absent value.

use std::io::Write;

use cx_score::{GroupScore, Interval, Scorecard, ShareStats, TrafficLight};

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

/// The columns a weighted scorecard's CSV adds after
/// [`SCORECARD_CSV_COLUMNS`]: Kish's effective sample size of the gaps
/// (which the gap, met and WOW intervals and the minimum sample use) and of
/// the realities (CSAT's). An unweighted scorecard has none of them.
///
/// # Example
///
/// ```
/// assert_eq!(cx_report::WEIGHTED_CSV_COLUMNS, ["n_eff", "csat_n_eff"]);
/// ```
pub const WEIGHTED_CSV_COLUMNS: [&str; 2] = ["n_eff", "csat_n_eff"];

/// The columns a weighted scorecard's summary CSV adds after
/// [`SUMMARY_CSV_COLUMNS`]: Kish's effective sample sizes.
///
/// # Example
///
/// ```
/// assert_eq!(cx_report::WEIGHTED_SUMMARY_CSV_COLUMNS[0], "journey_n_eff");
/// ```
pub const WEIGHTED_SUMMARY_CSV_COLUMNS: [&str; 7] = [
    "journey_n_eff",
    "expectations_met_n_eff",
    "would_return_n_eff",
    "would_recommend_n_eff",
    "yes_to_all_n_eff",
    "nps_n_eff",
    "effort_n_eff",
];

/// The effective sample size of a weighted figure, or nothing.
pub(crate) fn n_eff(weighted: Option<cx_score::Weighted>) -> String {
    cell(weighted.map(|weighted| weighted.effective_n))
}

/// Writes the header and then each row, each extended by `extra`'s
/// columns when it is given (a weighted scorecard's), and flushes.
pub(crate) fn write_extended_rows<W: Write, const N: usize, const M: usize>(
    output: W,
    header: [&str; N],
    extra: Option<[&str; M]>,
    rows: impl IntoIterator<Item = ([String; N], [String; M])>,
) -> Result<()> {
    let mut writer = csv::Writer::from_writer(output);
    let wide = extra.is_some();
    let mut names: Vec<&str> = header.to_vec();
    names.extend(extra.into_iter().flatten());
    writer.write_record(names).map_err(Error::csv)?;
    for (row, more) in rows {
        if wide {
            writer
                .write_record(row.iter().chain(&more))
                .map_err(Error::csv)?;
        } else {
            writer.write_record(row).map_err(Error::csv)?;
        }
    }
    writer.flush().map_err(Error::io)
}

/// Writes a scorecard as CSV: one row per touchpoint for the whole journey
/// (`breakdown = "overall"`, `group` empty), then one per touchpoint and
/// breakdown group (the group without a value has an empty `group`), with
/// the columns in [`SCORECARD_CSV_COLUMNS`], and when the scorecard is
/// weighted those of [`WEIGHTED_CSV_COLUMNS`] after them.
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
            let weighted = [n_eff(g.points.weighted), n_eff(s.csat.weighted)];
            let row = [
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
            ];
            (row, weighted)
        })
    });
    let extra = scorecard.weighted.then_some(WEIGHTED_CSV_COLUMNS);
    write_extended_rows(output, SCORECARD_CSV_COLUMNS, extra, rows)
}

/// The columns of the CSV summary, one row per breakdown group: the whole
/// journey's pooled figures, the loyalty questions, NPS and effort.
///
/// The journey's intervals are by respondent (cluster-robust, see
/// [`ClusteredPooled`](cx_score::ClusteredPooled)), `journey_respondents`
/// the respondents they count. Each loyalty question has its yes count, the
/// respondents who answered it, the share with its Wilson interval and its
/// verdict (`on track`, `off track`, `inconclusive` or `no data`);
/// `loyalty_verdict` is the headline, `loyalty_point_rule_on_track` the
/// practitioners' rule of every share above the target. `nps_interval`
/// names how the NPS interval was computed.
///
/// # Example
///
/// ```
/// let columns = cx_report::SUMMARY_CSV_COLUMNS;
/// assert_eq!(columns[..3], ["breakdown", "group", "outcomes"]);
/// assert!(columns.contains(&"would_recommend_verdict"));
/// ```
pub const SUMMARY_CSV_COLUMNS: [&str; 57] = [
    "breakdown",
    "group",
    "outcomes",
    "journey_gaps",
    "journey_respondents",
    "journey_light",
    "journey_insufficient_data",
    "journey_score",
    "journey_mean_gap",
    "journey_mean_gap_ci_lower",
    "journey_mean_gap_ci_upper",
    "journey_met_share",
    "journey_met_ci_lower",
    "journey_met_ci_upper",
    "journey_wow_share",
    "journey_wow_ci_lower",
    "journey_wow_ci_upper",
    "loyalty_verdict",
    "loyalty_point_rule_on_track",
    "loyalty_target",
    "loyalty_min_sample",
    "expectations_met_yes",
    "expectations_met_answered",
    "expectations_met_share",
    "expectations_met_ci_lower",
    "expectations_met_ci_upper",
    "expectations_met_verdict",
    "would_return_yes",
    "would_return_answered",
    "would_return_share",
    "would_return_ci_lower",
    "would_return_ci_upper",
    "would_return_verdict",
    "would_recommend_yes",
    "would_recommend_answered",
    "would_recommend_share",
    "would_recommend_ci_lower",
    "would_recommend_ci_upper",
    "would_recommend_verdict",
    "yes_to_all",
    "yes_to_all_answered",
    "yes_to_all_share",
    "yes_to_all_ci_lower",
    "yes_to_all_ci_upper",
    "nps_respondents",
    "nps_promoters",
    "nps_passives",
    "nps_detractors",
    "nps",
    "nps_ci_lower",
    "nps_ci_upper",
    "nps_interval",
    "effort_n",
    "effort_mean",
    "effort_ci_lower",
    "effort_ci_upper",
    "effort_sd",
];

/// Writes a scorecard's summary as CSV: one row for the whole journey
/// (`breakdown = "overall"`, `group` empty), then one per breakdown group,
/// with the columns in [`SUMMARY_CSV_COLUMNS`] (and when weighted those of
/// [`WEIGHTED_SUMMARY_CSV_COLUMNS`] after them). The touchpoints are in
/// [`write_csv`]'s rows.
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
/// use cx_score::{ScoreConfig, ScorecardAccumulator};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
///     .build()?;
/// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?;
/// scorer.try_push(&Observation::new("a", "till", 4.0).with_expectation(3.0))?;
/// // One respondent who said yes three times proves nothing yet.
/// let yes_three_times = LoyaltyQuestion::ALL
///     .into_iter()
///     .fold(Outcome::new("a"), |outcome, question| outcome.with_answer(question, Answer::Yes));
/// scorer.try_push_outcome(&yes_three_times)?;
/// let card = scorer.finish();
///
/// let mut out = Vec::new();
/// cx_report::write_summary_csv(&card, &mut out)?;
/// let mut rows = csv::Reader::from_reader(out.as_slice());
/// let row = rows.records().next().unwrap()?;
/// let column = |name| cx_report::SUMMARY_CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
/// assert_eq!(&row[column("loyalty_verdict")], "inconclusive");
/// assert_eq!(&row[column("loyalty_point_rule_on_track")], "true");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_summary_csv<W: Write>(scorecard: &Scorecard, output: W) -> Result<()> {
    let overall = std::iter::once(("overall", None, &scorecard.overall));
    let groups =
        breakdown_groups(scorecard).map(|(dimension, key, group)| (dimension.name(), key, group));
    let rows = overall.chain(groups).map(|(breakdown, key, group)| {
        let loyalty = &group.loyalty;
        let question = |index: usize| n_eff(loyalty.questions[index].yes.weighted);
        let weighted = [
            n_eff(group.journey.stats.gap.points.weighted),
            question(0),
            question(1),
            question(2),
            n_eff(loyalty.yes_to_all.weighted),
            n_eff(group.nps.weighted),
            n_eff(group.effort.weighted),
        ];
        (summary_row(breakdown, key, group), weighted)
    });
    let extra = scorecard.weighted.then_some(WEIGHTED_SUMMARY_CSV_COLUMNS);
    write_extended_rows(output, SUMMARY_CSV_COLUMNS, extra, rows)
}

fn summary_row(breakdown: &str, key: Option<&str>, group: &GroupScore) -> [String; 57] {
    let journey = &group.journey;
    let gap = &journey.stats.gap;
    let clustered = journey.by_respondent;
    let loyalty = &group.loyalty;
    let share = |stats: &ShareStats| {
        [
            stats.count.to_string(),
            stats.n.to_string(),
            cell(stats.share),
            lower(stats.ci),
            upper(stats.ci),
        ]
    };
    let question = |index: usize| {
        let question = &loyalty.questions[index];
        let [yes, answered, share, ci_lower, ci_upper] = share(&question.yes);
        [
            yes,
            answered,
            share,
            ci_lower,
            ci_upper,
            question.verdict.name().to_owned(),
        ]
    };
    let [em_yes, em_n, em_share, em_lower, em_upper, em_verdict] = question(0);
    let [wr_yes, wr_n, wr_share, wr_lower, wr_upper, wr_verdict] = question(1);
    let [rc_yes, rc_n, rc_share, rc_lower, rc_upper, rc_verdict] = question(2);
    let [all_yes, all_n, all_share, all_lower, all_upper] = share(&loyalty.yes_to_all);
    let nps = &group.nps;
    let effort = &group.effort;
    [
        breakdown.to_owned(),
        key.unwrap_or("").to_owned(),
        group.outcomes.to_string(),
        gap.n.to_string(),
        clustered.map_or(0, |c| c.gap.clusters).to_string(),
        journey
            .light
            .map(TrafficLight::name)
            .unwrap_or("")
            .to_owned(),
        journey.insufficient_data.to_string(),
        cell(journey.score),
        cell(gap.points.mean),
        lower(clustered.and_then(|c| c.gap.ci)),
        upper(clustered.and_then(|c| c.gap.ci)),
        cell(gap.met.share),
        lower(clustered.and_then(|c| c.met.ci)),
        upper(clustered.and_then(|c| c.met.ci)),
        cell(gap.wow.share),
        lower(clustered.and_then(|c| c.wow.ci)),
        upper(clustered.and_then(|c| c.wow.ci)),
        loyalty.verdict.name().to_owned(),
        loyalty.point_rule_on_track.to_string(),
        loyalty.target.to_string(),
        loyalty.min_sample.to_string(),
        em_yes,
        em_n,
        em_share,
        em_lower,
        em_upper,
        em_verdict,
        wr_yes,
        wr_n,
        wr_share,
        wr_lower,
        wr_upper,
        wr_verdict,
        rc_yes,
        rc_n,
        rc_share,
        rc_lower,
        rc_upper,
        rc_verdict,
        all_yes,
        all_n,
        all_share,
        all_lower,
        all_upper,
        nps.n.to_string(),
        nps.promoters.to_string(),
        nps.passives.to_string(),
        nps.detractors.to_string(),
        cell(nps.nps),
        lower(nps.ci),
        upper(nps.ci),
        nps.interval.name().to_owned(),
        effort.n.to_string(),
        cell(effort.mean),
        lower(effort.ci),
        upper(effort.ci),
        cell(effort.sd),
    ]
}
