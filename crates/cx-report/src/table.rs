//! The scorecard as aligned text for a terminal.

use std::fmt::Write as _;
use std::io::Write;

use cx_score::{GroupScore, Interval, Scorecard, TouchpointScore, TrafficLight, Verdict, Weighted};

use crate::error::Result;
use crate::output::{breakdown_groups, write_text};

/// What [`write_table`] shows, and how.
///
/// By default it shows no stage rows and no colour, the form for a file or
/// a pipe.
///
/// # Example
///
/// ```
/// let mut options = cx_report::TableOptions::default();
/// options.stages = true;
/// assert!(!options.colour);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TableOptions {
    /// Show each stage's pooled results after its group's touchpoints.
    pub stages: bool,
    /// Colour the light letters with ANSI escape codes (green, yellow and
    /// red backgrounds), for a terminal that takes them. The letters are
    /// shown either way, so colour never carries the meaning alone.
    pub colour: bool,
}

/// The mark of a light in every report: its letter, `·` for none for
/// want of answers, `-` for none the policy could give.
pub(crate) fn light_letter(light: Option<TrafficLight>, insufficient: bool) -> &'static str {
    match light {
        Some(light) => light.letter(),
        None if insufficient => "·",
        None => "-",
    }
}

/// The light as a letter, in colour where the terminal takes it.
fn light(light: Option<TrafficLight>, insufficient: bool, colour: bool) -> String {
    let letter = light_letter(light, insufficient);
    if !colour {
        return letter.to_owned();
    }
    let code = match light {
        Some(TrafficLight::Green) => "42;30",
        Some(TrafficLight::Yellow) => "43;30",
        Some(TrafficLight::Red) => "41;97",
        None => return letter.to_owned(),
    };
    format!("\x1b[{code}m{letter}\x1b[0m")
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_owned(), |s| format!("{:.0}%", 100.0 * s))
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.2}"))
}

fn gap(mean: Option<f64>, ci: Option<Interval>) -> String {
    match (mean, ci) {
        (Some(mean), Some(ci)) => format!("{mean:+.2} [{:+.2}, {:+.2}]", ci.lower, ci.upper),
        (Some(mean), None) => format!("{mean:+.2}"),
        _ => "-".to_owned(),
    }
}

fn marks(touchpoint: &TouchpointScore) -> String {
    cx_model::contact_marks(
        touchpoint.first_contact,
        touchpoint.last_contact,
        touchpoint.moment_of_truth,
    )
    .join(", ")
}

/// Kish's effective sample size as shown beside a count, when weighted.
fn effective(weighted: Option<Weighted>) -> String {
    weighted.map_or_else(String::new, |w| format!(", n_eff {:.1}", w.effective_n))
}

fn touchpoints(out: &mut String, group: &GroupScore, colour: bool, weighted: bool) {
    let width = group
        .touchpoints
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(10)
        .max(10);
    // Weighted, Kish's effective sample size follows n.
    let n_eff = |text: String| {
        if weighted {
            format!("  {text:>7}")
        } else {
            String::new()
        }
    };
    let _ = writeln!(
        out,
        "  {:<width$}  {:>6}{}  {:>6}  {:>6}  {:<22}  {:>5}  {:>5}  marks",
        "L touchpoint",
        "n",
        n_eff("n_eff".to_owned()),
        "expect",
        "real",
        "gap [95% CI]",
        "met",
        "WOW",
        width = width + 2
    );
    for t in &group.touchpoints {
        let g = &t.stats.gap;
        let _ = writeln!(
            out,
            "  {} {:<width$}  {:>6}{}  {:>6}  {:>6}  {:<22}  {:>5}  {:>5}  {}",
            light(t.light, t.insufficient_data, colour),
            t.name,
            g.n,
            n_eff(format!("{:.1}", g.sample_size())),
            number(t.stats.expectation.mean),
            number(t.stats.reality.mean),
            gap(g.points.mean, g.points.ci),
            percent(g.met.share),
            percent(g.wow.share),
            marks(t),
        );
    }
}

fn stages(out: &mut String, group: &GroupScore, colour: bool) {
    out.push_str("\n  stages (intervals by respondent, who answer at several touchpoints)\n");
    for stage in &group.stages {
        let pooled = &stage.pooled;
        let g = &pooled.stats.gap;
        let by_respondent = pooled.by_respondent.map(|clustered| clustered.gap);
        let _ = writeln!(
            out,
            "  {} {:<24} n {:>7} of {:>6}{}  gap {:<22}  met {:>4}  score {}",
            light(pooled.light, pooled.insufficient_data, colour),
            stage.name,
            g.n,
            by_respondent.map_or(0, |clustered| clustered.clusters),
            effective(g.points.weighted),
            gap(
                g.points.mean,
                by_respondent
                    .and_then(|clustered| clustered.ci)
                    .or(g.points.ci)
            ),
            percent(g.met.share),
            pooled
                .score
                .map_or_else(|| "-".to_owned(), |s| format!("{s:+.3}")),
        );
    }
}

fn outcomes(out: &mut String, group: &GroupScore) {
    let loyalty = &group.loyalty;
    let _ = writeln!(
        out,
        "\n  loyalty ({} respondents; on track when every question's interval is above {:.0}%): {}; point rule (every share > {:.0}%): {}",
        group.outcomes,
        100.0 * loyalty.target,
        match loyalty.verdict {
            Verdict::OnTrack => "ON TRACK".to_owned(),
            verdict => verdict.name().to_owned(),
        },
        100.0 * loyalty.target,
        if loyalty.point_rule_on_track {
            "met"
        } else {
            "not met"
        }
    );
    for question in &loyalty.questions {
        let ci = question.yes.ci.map_or_else(String::new, |ci| {
            format!("[{:.1}%, {:.1}%]", 100.0 * ci.lower, 100.0 * ci.upper)
        });
        let _ = writeln!(
            out,
            "    {:<30} {:>6} yes {:<18} {}{}",
            question.question.question(),
            percent(question.yes.share),
            ci,
            question.verdict,
            question.yes.weighted.map_or_else(String::new, |w| format!(
                "  (n {}{})",
                question.yes.n,
                effective(Some(w))
            )),
        );
    }
    let nps = &group.nps;
    match (nps.nps, nps.ci) {
        (Some(score), Some(ci)) => {
            let _ = writeln!(
                out,
                "\n  NPS {score:+.1} [{:+.1}, {:+.1}] {}  (n {}{}: {} promoters, {} passives, {} detractors)",
                ci.lower,
                ci.upper,
                nps.interval.name(),
                nps.n,
                effective(nps.weighted),
                nps.promoters,
                nps.passives,
                nps.detractors
            );
        }
        _ => out.push_str("\n  NPS -  (no likelihood-to-recommend answers)\n"),
    }
    if let Some(effort) = group.effort.mean {
        let _ = writeln!(
            out,
            "  effort {effort:.2} (n {}{})",
            group.effort.n,
            effective(group.effort.weighted)
        );
    }
}

fn opportunities(out: &mut String, group: &GroupScore, colour: bool) {
    if group.opportunities.is_empty() {
        out.push_str("\n  opportunities for improvement: none\n");
        return;
    }
    out.push_str("\n  opportunities for improvement (impact = weight × reach × mean shortfall)\n");
    for o in &group.opportunities {
        let _ = writeln!(
            out,
            "  {:>3}. {} {:<28} impact {:>9.1}  reach {:>7}  mean shortfall {:.3}{}",
            o.rank,
            light(Some(o.light), false, colour),
            o.name,
            o.impact,
            o.reach,
            o.shortfall,
            if o.moment_of_truth {
                "  moment of truth"
            } else {
                ""
            }
        );
    }
}

fn group(out: &mut String, group: &GroupScore, options: &TableOptions, weighted: bool) {
    touchpoints(out, group, options.colour, weighted);
    if options.stages {
        stages(out, group, options.colour);
    }
    outcomes(out, group);
    opportunities(out, group, options.colour);
}

/// Writes a scorecard as aligned text for a terminal: a title line with
/// the policy and counts, then for the whole journey and each breakdown
/// group the touchpoints (light letter, n, mean expectation and reality,
/// gap with its interval, met and WOW shares, marks), optionally the
/// stages, the loyalty questions, NPS, effort and the opportunities.
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
/// use cx_report::TableOptions;
/// use cx_score::{ScoreConfig, ScorecardAccumulator};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
///     .build()?;
/// let config = ScoreConfig { min_sample: 1, ..ScoreConfig::default() };
/// let mut scorer = ScorecardAccumulator::new(journey, config)?;
/// scorer.try_push(&Observation::new("a", "till", 4.0).with_expectation(3.0))?;
/// let card = scorer.finish();
///
/// let mut options = TableOptions::default();
/// options.stages = true;
/// let mut out = Vec::new();
/// cx_report::write_table(&card, &options, &mut out)?;
/// let table = String::from_utf8(out)?;
/// assert!(table.starts_with("Shop  (policy default; 1 observations, 0 outcomes;"));
/// assert!(table.contains("\n  G Till             1    3.00    4.00  +1.00 "));
/// assert!(table.contains("\n  stages (intervals by respondent, who answer at several touchpoints)\n  G Buy "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_table<W: Write>(
    scorecard: &Scorecard,
    options: &TableOptions,
    output: W,
) -> Result<()> {
    let mut out = String::new();
    let observations = &scorecard.counts.observations;
    let _ = writeln!(
        out,
        "{}  (policy {}; {} observations, {} outcomes; L: G green, Y yellow, R red, · too few answers)\n",
        scorecard.journey,
        scorecard.policy,
        observations.accepted,
        scorecard.counts.outcomes.accepted
    );
    let weighted = scorecard.weighted;
    if weighted {
        out.push_str(
            "weighted by respondent: n counts records; n_eff, Kish's effective sample size (Σw)²/Σw², takes n's place in the intervals and the minimum sample\n\n",
        );
    }
    group(&mut out, &scorecard.overall, options, weighted);
    for (dimension, key, score) in breakdown_groups(scorecard) {
        let key = key.unwrap_or("(none)");
        let _ = writeln!(out, "\n{dimension} = {key}\n");
        group(&mut out, score, options, weighted);
    }
    write_text(&out, output)
}
