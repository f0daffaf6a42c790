//! Writing scorecards: JSON, CSV and Markdown.
//!
//! cx-io does not depend on cx-score. It writes any value whose serde form
//! is the scorecard schema [`SCORECARD_SCHEMA`]: the JSON writer passes the
//! value through and stamps the schema; the CSV and Markdown writers read the
//! fields they show from that serde form. `cx-score`'s `Scorecard` has that
//! form (the `cx` facade's tests hold the two together).
//!
//! # The `cx.scorecard/1` schema
//!
//! A JSON object with `"schema": "cx.scorecard/1"` and the fields of the
//! scorecard: `journey`, `scale`, `policy`, `aggregation`, `config`, `counts`,
//! `overall` (a group) and `breakdowns` (each a `dimension` and `groups`, each
//! group a `key` and a `score` that is a group). A group holds `touchpoints`
//! (in journey order: `index`, `id`, `name`, `stage`, `channel`, `weight`,
//! `first_contact`, `last_contact`, `moment_of_truth`, `stats`, `light`,
//! `insufficient_data`), `stages`, `journey`, `outcomes`, `loyalty`, `nps`,
//! `effort` and `opportunities`. Means are `{n, mean, sd, se, ci}`, shares
//! `{count, n, share, ci}`, intervals `{lower, upper}`; absent values are
//! `null`. New fields may be added within version 1; a renamed or removed
//! field makes version 2.

use std::fmt::Write as _;
use std::io::Write;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The schema name and version written into JSON scorecards.
pub const SCORECARD_SCHEMA: &str = "cx.scorecard/1";

/// A scorecard that cannot be written.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The output could not be written.
    #[error("cannot write the report: {0}")]
    Io(#[from] std::io::Error),
    /// The value does not have the scorecard schema's shape.
    #[error("the value is not a {SCORECARD_SCHEMA} scorecard: {0}")]
    Schema(String),
    /// CSV writing failed.
    #[error("cannot write the report: {0}")]
    Csv(#[from] csv::Error),
}

#[derive(Serialize)]
struct Document<'a, T: Serialize> {
    schema: &'static str,
    #[serde(flatten)]
    scorecard: &'a T,
}

/// Writes a scorecard as pretty JSON with `"schema": "cx.scorecard/1"` first.
///
/// # Errors
///
/// [`ReportError::Io`] if the output cannot be written.
pub fn write_scorecard_json<T: Serialize>(
    scorecard: &T,
    mut output: impl Write,
) -> Result<(), ReportError> {
    let document = Document {
        schema: SCORECARD_SCHEMA,
        scorecard,
    };
    serde_json::to_writer_pretty(&mut output, &document)
        .map_err(|error| ReportError::Io(error.into()))?;
    output.write_all(b"\n")?;
    Ok(())
}

// ---- the parts of the schema the tables show ------------------------------

#[derive(Deserialize)]
pub(crate) struct ScorecardView {
    pub(crate) journey: String,
    pub(crate) counts: CountsView,
    pub(crate) policy: String,
    pub(crate) aggregation: String,
    pub(crate) overall: GroupView,
    #[serde(default)]
    pub(crate) breakdowns: Vec<BreakdownView>,
}

#[derive(Deserialize)]
pub(crate) struct CountsView {
    pub(crate) observations: RecordCountsView,
    pub(crate) outcomes: RecordCountsView,
}

#[derive(Deserialize)]
pub(crate) struct RecordCountsView {
    pub(crate) read: u64,
    pub(crate) accepted: u64,
}

#[derive(Deserialize)]
pub(crate) struct BreakdownView {
    pub(crate) dimension: String,
    pub(crate) groups: Vec<BreakdownGroupView>,
}

#[derive(Deserialize)]
pub(crate) struct BreakdownGroupView {
    pub(crate) key: Option<String>,
    pub(crate) score: GroupView,
}

#[derive(Deserialize)]
pub(crate) struct GroupView {
    pub(crate) touchpoints: Vec<TouchpointView>,
    pub(crate) stages: Vec<StageView>,
    pub(crate) outcomes: u64,
    pub(crate) loyalty: LoyaltyView,
    pub(crate) nps: NpsView,
    pub(crate) opportunities: Vec<OpportunityView>,
}

#[derive(Deserialize)]
pub(crate) struct StageView {
    pub(crate) name: String,
    pub(crate) pooled: PooledView,
}

#[derive(Deserialize)]
pub(crate) struct PooledView {
    pub(crate) light: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct TouchpointView {
    pub(crate) index: usize,
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) stage: String,
    pub(crate) channel: String,
    pub(crate) weight: f64,
    pub(crate) first_contact: bool,
    pub(crate) last_contact: bool,
    pub(crate) moment_of_truth: bool,
    pub(crate) stats: StatsView,
    pub(crate) light: Option<String>,
    pub(crate) insufficient_data: bool,
}

#[derive(Deserialize)]
pub(crate) struct StatsView {
    pub(crate) observations: u64,
    pub(crate) not_applicable: u64,
    pub(crate) without_expectation: u64,
    pub(crate) reality: MeanView,
    pub(crate) expectation: MeanView,
    pub(crate) gap: GapView,
    pub(crate) csat: ShareView,
    pub(crate) emotions: EmotionsView,
}

#[derive(Deserialize)]
pub(crate) struct GapView {
    pub(crate) n: u64,
    pub(crate) points: MeanView,
    pub(crate) normalized: MeanView,
    pub(crate) met: ShareView,
    pub(crate) wow: ShareView,
    pub(crate) shortfall: ShareView,
}

#[derive(Deserialize)]
pub(crate) struct MeanView {
    pub(crate) mean: Option<f64>,
    pub(crate) ci: Option<IntervalView>,
}

#[derive(Deserialize, Clone, Copy)]
pub(crate) struct IntervalView {
    pub(crate) lower: f64,
    pub(crate) upper: f64,
}

#[derive(Deserialize)]
pub(crate) struct ShareView {
    pub(crate) share: Option<f64>,
    pub(crate) ci: Option<IntervalView>,
}

#[derive(Deserialize)]
pub(crate) struct EmotionsView {
    pub(crate) net: Option<f64>,
    pub(crate) dominant: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct LoyaltyView {
    pub(crate) target: f64,
    pub(crate) questions: Vec<QuestionView>,
    pub(crate) yes_to_all: ShareView,
    pub(crate) on_track: bool,
}

#[derive(Deserialize)]
pub(crate) struct QuestionView {
    pub(crate) question: String,
    pub(crate) yes: ShareView,
    pub(crate) verdict: String,
}

#[derive(Deserialize)]
pub(crate) struct NpsView {
    pub(crate) n: u64,
    pub(crate) nps: Option<f64>,
    pub(crate) margin_of_error: Option<f64>,
    pub(crate) ci: Option<IntervalView>,
    pub(crate) promoters: u64,
    pub(crate) passives: u64,
    pub(crate) detractors: u64,
}

#[derive(Deserialize)]
pub(crate) struct OpportunityView {
    pub(crate) rank: usize,
    pub(crate) name: String,
    pub(crate) light: String,
    pub(crate) reach: u64,
    pub(crate) shortfall: f64,
    pub(crate) impact: f64,
    pub(crate) moment_of_truth: bool,
}

pub(crate) fn view<T: Serialize>(scorecard: &T) -> Result<ScorecardView, ReportError> {
    let value = serde_json::to_value(scorecard).map_err(|e| ReportError::Schema(e.to_string()))?;
    serde_json::from_value(value).map_err(|e| ReportError::Schema(e.to_string()))
}

fn cell(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The columns of the CSV scorecard, one row per touchpoint and group.
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

/// Writes a scorecard as CSV: one row per touchpoint for the whole journey
/// (`breakdown = "overall"`), then one per touchpoint and breakdown group,
/// with the columns in [`SCORECARD_CSV_COLUMNS`]. Empty cells are absent
/// values.
///
/// # Errors
///
/// [`ReportError::Schema`] if the value is not a scorecard, or an output error.
pub fn write_scorecard_csv<T: Serialize>(
    scorecard: &T,
    output: impl Write,
) -> Result<(), ReportError> {
    let card = view(scorecard)?;
    let mut writer = csv::Writer::from_writer(output);
    writer.write_record(SCORECARD_CSV_COLUMNS)?;
    let overall = std::iter::once(("overall", None, &card.overall));
    let groups = card.breakdowns.iter().flat_map(|breakdown| {
        breakdown.groups.iter().map(move |group| {
            (
                breakdown.dimension.as_str(),
                group.key.as_deref(),
                &group.score,
            )
        })
    });
    for (breakdown, key, group) in overall.chain(groups) {
        for t in &group.touchpoints {
            let s = &t.stats;
            let g = &s.gap;
            let lower = |ci: &Option<IntervalView>| cell(ci.map(|c| c.lower));
            let upper = |ci: &Option<IntervalView>| cell(ci.map(|c| c.upper));
            writer.write_record([
                breakdown.to_owned(),
                key.unwrap_or("").to_owned(),
                t.index.to_string(),
                t.id.clone(),
                t.name.clone(),
                t.stage.clone(),
                t.channel.clone(),
                t.weight.to_string(),
                t.first_contact.to_string(),
                t.last_contact.to_string(),
                t.moment_of_truth.to_string(),
                s.observations.to_string(),
                s.not_applicable.to_string(),
                s.without_expectation.to_string(),
                g.n.to_string(),
                t.light.clone().unwrap_or_default(),
                t.insufficient_data.to_string(),
                cell(s.reality.mean),
                cell(s.expectation.mean),
                cell(g.points.mean),
                lower(&g.points.ci),
                upper(&g.points.ci),
                cell(g.normalized.mean),
                cell(g.met.share),
                lower(&g.met.ci),
                upper(&g.met.ci),
                cell(g.wow.share),
                lower(&g.wow.ci),
                upper(&g.wow.ci),
                cell(g.shortfall.share),
                cell(s.csat.share),
                cell(s.emotions.net),
                s.emotions.dominant.clone().unwrap_or_default(),
            ])?;
        }
    }
    writer.flush()?;
    Ok(())
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{:.1}%", 100.0 * v))
}

fn signed(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:+.2}"))
}

fn interval(ci: Option<IntervalView>, format: impl Fn(f64) -> String) -> String {
    ci.map_or_else(String::new, |ci| {
        format!(" [{}, {}]", format(ci.lower), format(ci.upper))
    })
}

fn light_cell(light: Option<&str>, insufficient: bool) -> &'static str {
    match light {
        Some("green") => "🟢 G",
        Some("yellow") => "🟡 Y",
        Some("red") => "🔴 R",
        _ if insufficient => "n<min",
        _ => "–",
    }
}

fn markdown_group(out: &mut String, group: &GroupView) {
    out.push_str("| Light | Touchpoint | Stage | n | Expectation | Reality | Gap (95% CI) | Met | WOW | Marks |\n");
    out.push_str("|---|---|---|--:|--:|--:|---|--:|--:|---|\n");
    for t in &group.touchpoints {
        let marks = cx_model::contact_marks(t.first_contact, t.last_contact, t.moment_of_truth);
        let g = &t.stats.gap;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {}{} | {} | {} | {} |",
            light_cell(t.light.as_deref(), t.insufficient_data),
            escape(&t.name),
            escape(&t.stage),
            g.n,
            t.stats
                .expectation
                .mean
                .map_or("–".to_owned(), |m| format!("{m:.2}")),
            t.stats
                .reality
                .mean
                .map_or("–".to_owned(), |m| format!("{m:.2}")),
            signed(g.points.mean),
            interval(g.points.ci, |v| format!("{v:+.2}")),
            percent(g.met.share),
            percent(g.wow.share),
            marks.join(", ")
        );
    }
    let loyalty = &group.loyalty;
    let _ = writeln!(
        out,
        "\n**Loyalty** (target: more than {:.0}% yes; {} respondents): {}\n",
        100.0 * loyalty.target,
        group.outcomes,
        if loyalty.on_track {
            "on track"
        } else {
            "not on track"
        }
    );
    out.push_str("| Question | Yes (95% CI) | Verdict |\n|---|---|---|\n");
    for question in &loyalty.questions {
        let _ = writeln!(
            out,
            "| {} | {}{} | {} |",
            question.question.replace('_', " "),
            percent(question.yes.share),
            interval(question.yes.ci, |v| format!("{:.1}%", 100.0 * v)),
            question.verdict.replace('_', " ")
        );
    }
    let _ = writeln!(
        out,
        "| yes to all three | {}{} | |",
        percent(loyalty.yes_to_all.share),
        interval(loyalty.yes_to_all.ci, |v| format!("{:.1}%", 100.0 * v)),
    );
    let nps = &group.nps;
    match (nps.nps, nps.margin_of_error) {
        (Some(score), Some(margin)) => {
            let _ = writeln!(
                out,
                "\n**NPS** {score:+.1} ± {margin:.1}{} (n = {}: {} promoters, {} passives, {} detractors)",
                interval(nps.ci, |v| format!("{v:+.1}")),
                nps.n,
                nps.promoters,
                nps.passives,
                nps.detractors
            );
        }
        _ => out.push_str("\n**NPS** – (no likelihood-to-recommend answers)\n"),
    }
    if group.opportunities.is_empty() {
        out.push_str("\n**Opportunities for improvement**: none (no yellow or red touchpoint)\n");
    } else {
        out.push_str("\n**Opportunities for improvement**\n\n| Rank | Touchpoint | Light | Reach | Shortfall | Impact |\n|--:|---|---|--:|--:|--:|\n");
        for o in &group.opportunities {
            let name = if o.moment_of_truth {
                format!("{} (moment of truth)", escape(&o.name))
            } else {
                escape(&o.name)
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {:.3} | {:.1} |",
                o.rank,
                name,
                light_cell(Some(&o.light), false),
                o.reach,
                o.shortfall,
                o.impact
            );
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

/// Renders a scorecard as Markdown for people: the touchpoint table, the
/// loyalty questions, NPS and the opportunities, for the whole journey and
/// then for each breakdown group.
///
/// # Errors
///
/// [`ReportError::Schema`] if the value is not a scorecard.
pub fn scorecard_markdown<T: Serialize>(scorecard: &T) -> Result<String, ReportError> {
    let card = view(scorecard)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n\nTraffic-light policy `{}`, journey aggregation `{}`. Lights: G green (met), Y yellow (a little short), R red (well short); `n<min` marks too few answers to judge.\n",
        escape(&card.journey),
        card.policy,
        card.aggregation
    );
    markdown_group(&mut out, &card.overall);
    for breakdown in &card.breakdowns {
        for group in &breakdown.groups {
            let _ = writeln!(
                out,
                "\n## {}: {}\n",
                breakdown.dimension,
                group.key.as_deref().map_or("(none)".to_owned(), escape)
            );
            markdown_group(&mut out, &group.score);
        }
    }
    Ok(out)
}

/// Writes [`scorecard_markdown`] to `output`.
///
/// # Errors
///
/// As [`scorecard_markdown`], or an output error.
pub fn write_scorecard_markdown<T: Serialize>(
    scorecard: &T,
    mut output: impl Write,
) -> Result<(), ReportError> {
    output.write_all(scorecard_markdown(scorecard)?.as_bytes())?;
    Ok(())
}
