//! The scorecard as Markdown, for people.

use std::fmt::Write as _;
use std::io::Write;

use cx_score::{GroupScore, Interval, Scorecard, TrafficLight, Weighted};

use crate::error::Result;
use crate::output::{breakdown_groups, write_text};

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{:.1}%", 100.0 * v))
}

fn signed(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:+.2}"))
}

fn interval(ci: Option<Interval>, format: impl Fn(f64) -> String) -> String {
    ci.map_or_else(String::new, |ci| {
        format!(" [{}, {}]", format(ci.lower), format(ci.upper))
    })
}

fn light_cell(light: Option<TrafficLight>, insufficient: bool) -> &'static str {
    match light {
        Some(TrafficLight::Green) => "🟢 G",
        Some(TrafficLight::Yellow) => "🟡 Y",
        Some(TrafficLight::Red) => "🔴 R",
        None if insufficient => "n<min",
        None => "–",
    }
}

/// Text for a table cell: a `|` would end the cell.
fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

/// Kish's effective sample size as shown beside a count, when weighted.
fn effective(weighted: Option<Weighted>) -> String {
    weighted.map_or_else(String::new, |w| format!(", n_eff {:.1}", w.effective_n))
}

fn group_markdown(out: &mut String, group: &GroupScore, weighted: bool) {
    // Weighted, Kish's effective sample size follows n.
    let (n_eff, n_eff_rule) = if weighted {
        (" n_eff |", "--:|")
    } else {
        ("", "")
    };
    let _ = writeln!(
        out,
        "| Light | Touchpoint | Stage | n |{n_eff} Expectation | Reality | Gap (95% CI) | Met | WOW | Marks |"
    );
    let _ = writeln!(out, "|---|---|---|--:|{n_eff_rule}--:|--:|---|--:|--:|---|");
    for t in &group.touchpoints {
        let marks = cx_model::contact_marks(t.first_contact, t.last_contact, t.moment_of_truth);
        let g = &t.stats.gap;
        let mean = |mean: Option<f64>| mean.map_or("–".to_owned(), |m| format!("{m:.2}"));
        let n = if weighted {
            format!("{} | {:.1}", g.n, g.sample_size())
        } else {
            g.n.to_string()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {}{} | {} | {} | {} |",
            light_cell(t.light, t.insufficient_data),
            escape(&t.name),
            escape(&t.stage),
            n,
            mean(t.stats.expectation.mean),
            mean(t.stats.reality.mean),
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
        "\n**Loyalty** (target: more than {:.0}% yes; {} respondents): {} (point rule, every share above the target: {})\n",
        100.0 * loyalty.target,
        group.outcomes,
        loyalty.verdict.name(),
        if loyalty.point_rule_on_track {
            "met"
        } else {
            "not met"
        }
    );
    out.push_str("| Question | Yes (95% CI) | Verdict |\n|---|---|---|\n");
    for question in &loyalty.questions {
        let _ = writeln!(
            out,
            "| {} | {}{} | {}{} |",
            question.question.name().replace('_', " "),
            percent(question.yes.share),
            interval(question.yes.ci, |v| format!("{:.1}%", 100.0 * v)),
            question.verdict.name(),
            question.yes.weighted.map_or_else(String::new, |w| format!(
                " (n {}{})",
                question.yes.n,
                effective(Some(w))
            )),
        );
    }
    let _ = writeln!(
        out,
        "| yes to all three | {}{} | |",
        percent(loyalty.yes_to_all.share),
        interval(loyalty.yes_to_all.ci, |v| format!("{:.1}%", 100.0 * v)),
    );
    let nps = &group.nps;
    match nps.nps {
        Some(score) => {
            let _ = writeln!(
                out,
                "\n**NPS** {score:+.1}{} {} (n = {}{}: {} promoters, {} passives, {} detractors)",
                interval(nps.ci, |v| format!("{v:+.1}")),
                nps.interval.name(),
                nps.n,
                effective(nps.weighted),
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
        out.push_str("\n**Opportunities for improvement**\n\n| Rank | Touchpoint | Light | Reach | Mean shortfall | Impact |\n|--:|---|---|--:|--:|--:|\n");
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
                light_cell(Some(o.light), false),
                o.reach,
                o.shortfall,
                o.impact
            );
        }
    }
}

/// Writes a scorecard as Markdown for people: the touchpoint table, the
/// loyalty questions, NPS and the opportunities, for the whole journey and
/// then for each breakdown group. Lights are shown by colour and letter
/// (`🟢 G`), and `n<min` marks a touchpoint with too few answers to judge.
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
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till | cash", Channel::Store)))
///     .build()?;
/// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?
///     .breakdown_by(Dimension::Segment);
/// scorer.try_push(&Observation::new("a", "till", 4.0).with_expectation(3.0).with_segment("new"))?;
/// let card = scorer.finish();
///
/// let mut out = Vec::new();
/// cx_report::write_markdown(&card, &mut out)?;
/// let markdown = String::from_utf8(out)?;
/// assert!(markdown.starts_with("# Shop\n"));
/// assert!(markdown.contains("| n<min | Till \\| cash | Buy | 1 | 3.00 | 4.00 | +1.00 | 100.0% |"));
/// assert!(markdown.contains("\n## segment: new\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_markdown<W: Write>(scorecard: &Scorecard, output: W) -> Result<()> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n\nTraffic-light policy `{}`, journey aggregation `{}`. Lights: G green (met), Y yellow (a little short), R red (well short); `n<min` marks too few answers to judge.\n",
        escape(&scorecard.journey),
        scorecard.policy,
        scorecard.aggregation
    );
    let weighted = scorecard.weighted;
    if weighted {
        out.push_str("Weighted by respondent: n counts records; n_eff, Kish's effective sample size (Σw)²/Σw², takes n's place in the intervals and the minimum sample.\n\n");
    }
    group_markdown(&mut out, &scorecard.overall, weighted);
    for (dimension, key, group) in breakdown_groups(scorecard) {
        let key = key.map_or("(none)".to_owned(), escape);
        let _ = writeln!(out, "\n## {dimension}: {key}\n");
        group_markdown(&mut out, group, weighted);
    }
    write_text(&out, output)
}
