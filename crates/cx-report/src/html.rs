//! The journey map: one self-contained HTML page (inline SVG and CSS, no
//! script, no external asset) showing a scorecard.

use std::fmt::Write as _;
use std::io::Write;

use cx_score::{GroupScore, Interval, Scorecard, TouchpointScore, TrafficLight};

use crate::error::Result;
use crate::output::write_text;

/// Escapes text for HTML element content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{:.0}%", 100.0 * v))
}

/// Fill colour, text colour, letter and word of a light. Colour is never the
/// only carrier: each light also shows its letter and is named in words.
fn light_style(
    light: Option<TrafficLight>,
) -> (&'static str, &'static str, &'static str, &'static str) {
    match light {
        Some(TrafficLight::Green) => ("#1a7f37", "#ffffff", "G", "green: met or exceeded"),
        Some(TrafficLight::Yellow) => ("#f2c12e", "#1f2328", "Y", "yellow: a little short"),
        Some(TrafficLight::Red) => ("#cf222e", "#ffffff", "R", "red: well short"),
        None => ("#d0d7de", "#1f2328", "?", "no light: too few answers"),
    }
}

/// At most `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

const CSS: &str = r#"
:root { --ink: #1f2328; --muted: #59636e; --line: #d0d7de; --band: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1200px; padding: 16px; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta { color: var(--muted); margin: 0 0 12px; }
.map { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
.map svg { display: block; }
.legend { color: var(--muted); font-size: 0.9em; margin: 6px 0 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; min-width: 1.6em; padding: 0 4px; border-radius: 4px; text-align: center; font-weight: 700; }
.nps { font-size: 2em; font-weight: 700; }
.tablewrap { overflow-x: auto; }
@media (max-width: 600px) { body { padding: 8px; font-size: 14px; } .nps { font-size: 1.6em; } }
@media print {
  body { max-width: none; padding: 0; }
  .map { overflow: visible; border: none; }
  .map svg { width: 100%; height: auto; }
  .card, tr { break-inside: avoid; }
}
"#;

fn badge(light: Option<TrafficLight>) -> String {
    let (fill, text, letter, word) = light_style(light);
    format!(
        r#"<span class="badge" style="background:{fill};color:{text}" title="{word}">{letter}</span>"#
    )
}

fn journey_map(out: &mut String, group: &GroupScore) {
    const STEP: f64 = 132.0;
    const LINE_Y: f64 = 118.0;
    let count = group.touchpoints.len();
    let width = (count as f64 * STEP).max(STEP) + 16.0;
    let height = 300.0;
    // Shrinks to fit a wide screen, never below a readable size (then it scrolls).
    let min_width = width * 0.8;
    let max_reach = group
        .touchpoints
        .iter()
        .map(|t| t.stats.gap.n.max(t.stats.observations))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let _ = write!(
        out,
        r#"<div class="map"><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="map-title" width="100%" style="min-width:{min_width:.0}px" viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" font-size="12"><title id="map-title">Journey map: touchpoints left to right by stage, each a traffic light sized by reach</title>"#
    );
    // Stage bands, alternately shaded, with their names on top.
    let mut first = 0usize;
    for (number, stage) in group.stages.iter().enumerate() {
        let members = group
            .touchpoints
            .iter()
            .filter(|t| t.stage == stage.name)
            .count();
        let x = 8.0 + first as f64 * STEP;
        let w = members as f64 * STEP;
        let shade = if number % 2 == 0 {
            "#f6f8fa"
        } else {
            "#ffffff"
        };
        let (_, _, letter, word) = light_style(stage.pooled.light);
        let _ = write!(
            out,
            r##"<rect x="{x}" y="4" width="{w}" height="{}" fill="{shade}" stroke="#d0d7de"/><text x="{}" y="24" text-anchor="middle" font-weight="700" font-size="13">{}<title>{} (stage light {letter}: {word})</title></text>"##,
            height - 8.0,
            x + w / 2.0,
            esc(&shorten(&stage.name, (w / 8.0) as usize)),
            esc(&stage.name),
        );
        first += members;
    }
    let _ = write!(
        out,
        r##"<line x1="{}" y1="{LINE_Y}" x2="{}" y2="{LINE_Y}" stroke="#8c959f" stroke-width="3"/>"##,
        8.0 + STEP / 2.0,
        8.0 + (count as f64 - 0.5) * STEP
    );
    for (position, t) in group.touchpoints.iter().enumerate() {
        touchpoint_marker(
            out,
            t,
            8.0 + (position as f64 + 0.5) * STEP,
            LINE_Y,
            max_reach,
        );
    }
    out.push_str("</svg></div>");
    out.push_str(r#"<p class="legend">Marker size shows reach (answers with a gap). Letters: G green, met or exceeded; Y yellow, a little short; R red, well short; ? too few answers to judge. ★ moment of truth; ▶ first contact; ◀ last contact. Below each marker: WOW share, shortfall share and net emotion (−1 to +1).</p>"#);
}

fn touchpoint_marker(out: &mut String, t: &TouchpointScore, x: f64, y: f64, max_reach: f64) {
    let (fill, text, letter, word) = light_style(t.light);
    let reach = t.stats.gap.n.max(t.stats.observations) as f64;
    let radius = 10.0 + 22.0 * (reach / max_reach).sqrt();
    let mut marks = Vec::new();
    if t.first_contact {
        marks.push("▶ first");
    }
    if t.last_contact {
        marks.push("last ◀");
    }
    if t.moment_of_truth {
        marks.push("★ moment of truth");
    }
    let emotion = t
        .stats
        .emotions
        .net
        .map_or_else(|| "–".to_owned(), |net| format!("{net:+.2}"));
    let _ = write!(
        out,
        r##"<g><title>{name}: {word}; {n} answers with a gap; mean gap {gap}; met {met}, WOW {wow}, shortfall {short}; net emotion {emotion}</title><circle cx="{x}" cy="{y}" r="{radius:.1}" fill="{fill}" stroke="#1f2328" stroke-width="1.5"/><text x="{x}" y="{ty}" text-anchor="middle" font-weight="700" font-size="16" fill="{text}">{letter}</text>"##,
        name = esc(&t.name),
        n = t.stats.gap.n,
        gap = t
            .stats
            .gap
            .points
            .mean
            .map_or("–".to_owned(), |g| format!("{g:+.2}")),
        met = percent(t.stats.gap.met.share),
        wow = percent(t.stats.gap.wow.share),
        short = percent(t.stats.gap.shortfall.share),
        ty = y + 6.0,
    );
    let mut line_y = y + 52.0;
    let mut label = |out: &mut String, content: &str, weight: &str| {
        let _ = write!(
            out,
            r#"<text x="{x}" y="{line_y}" text-anchor="middle" font-weight="{weight}">{}</text>"#,
            esc(content)
        );
        line_y += 16.0;
    };
    label(out, &shorten(&t.name, 18), "600");
    label(out, &format!("n {}", t.stats.gap.n), "400");
    label(
        out,
        &format!("WOW {}", percent(t.stats.gap.wow.share)),
        "400",
    );
    label(
        out,
        &format!("short {}", percent(t.stats.gap.shortfall.share)),
        "400",
    );
    label(out, &format!("emotion {emotion}"), "400");
    for mark in marks {
        label(out, mark, "700");
    }
    out.push_str("</g>");
}

fn loyalty_chart(out: &mut String, group: &GroupScore) {
    let loyalty = &group.loyalty;
    let (width, left, bar) = (560.0, 150.0, 240.0);
    let rows = loyalty.questions.len() as f64;
    let height = 28.0 * rows + 36.0;
    let target_x = left + bar * loyalty.target;
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Loyalty questions against the target" width="100%" viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" font-size="12">"#
    );
    for (row, question) in loyalty.questions.iter().enumerate() {
        let y = 10.0 + 28.0 * row as f64;
        let share = question.yes.share.unwrap_or(0.0);
        let fill = if question.yes.share.is_some_and(|s| s > loyalty.target) {
            "#1a7f37"
        } else {
            "#cf222e"
        };
        let _ = write!(
            out,
            r##"<text x="0" y="{}">{}</text><rect x="{left}" y="{y}" width="{bar}" height="18" fill="#eaeef2"/><rect x="{left}" y="{y}" width="{:.1}" height="18" fill="{fill}"/>"##,
            y + 13.0,
            esc(&question.question.name().replace('_', " ")),
            bar * share,
        );
        if let Some(Interval { lower, upper }) = question.yes.ci {
            let _ = write!(
                out,
                r##"<line x1="{:.1}" y1="{}" x2="{:.1}" y2="{}" stroke="#1f2328" stroke-width="2"/>"##,
                left + bar * lower,
                y + 9.0,
                left + bar * upper,
                y + 9.0
            );
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{}">{} ({})</text>"#,
            left + bar + 6.0,
            y + 13.0,
            percent(question.yes.share),
            esc(question.verdict.name())
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{target_x}" y1="4" x2="{target_x}" y2="{}" stroke="#1f2328" stroke-dasharray="4 3"/><text x="{target_x}" y="{}" text-anchor="middle">{:.0}% target</text></svg>"##,
        height - 18.0,
        height - 4.0,
        100.0 * loyalty.target
    );
}

fn nps_card(out: &mut String, group: &GroupScore) {
    let nps = &group.nps;
    out.push_str(r#"<div class="card"><h3>Net Promoter Score</h3>"#);
    match nps.nps {
        Some(score) => {
            let ci = nps.ci.map_or(String::new(), |ci| {
                format!(
                    "95% interval {:+.1} to {:+.1} ({})",
                    ci.lower,
                    ci.upper,
                    nps.interval.name()
                )
            });
            let _ = write!(
                out,
                r#"<p><span class="nps">{score:+.1}</span><br>{ci}<br>n = {}: {} promoters, {} passives, {} detractors</p>"#,
                nps.n, nps.promoters, nps.passives, nps.detractors
            );
        }
        _ => out.push_str("<p>No likelihood-to-recommend answers.</p>"),
    }
    out.push_str("</div>");
}

fn opportunities(out: &mut String, group: &GroupScore) {
    out.push_str("<h2>Opportunities for improvement</h2>");
    if group.opportunities.is_empty() {
        out.push_str("<p>None: no touchpoint is yellow or red.</p>");
        return;
    }
    out.push_str(r#"<div class="tablewrap"><table><thead><tr><th class="num">Rank</th><th>Touchpoint</th><th>Light</th><th class="num">Reach</th><th class="num">Shortfall</th><th class="num">Impact</th></tr></thead><tbody>"#);
    for o in &group.opportunities {
        let star = if o.moment_of_truth { " ★" } else { "" };
        let _ = write!(
            out,
            r#"<tr><td class="num">{}</td><td>{}{star}</td><td>{}</td><td class="num">{}</td><td class="num">{:.3}</td><td class="num">{:.1}</td></tr>"#,
            o.rank,
            esc(&o.name),
            badge(Some(o.light)),
            o.reach,
            o.shortfall,
            o.impact
        );
    }
    out.push_str("</tbody></table></div><p class=\"legend\">Impact = weight × reach × shortfall (the negative mean normalized gap). ★ moment of truth.</p>");
}

fn touchpoint_table(out: &mut String, group: &GroupScore) {
    out.push_str(r#"<h2>Touchpoints</h2><div class="tablewrap"><table><thead><tr><th>Light</th><th>Touchpoint</th><th>Stage</th><th class="num">n</th><th class="num">Expected</th><th class="num">Reality</th><th class="num">Gap (95% CI)</th><th class="num">Met</th><th class="num">WOW</th><th>Marks</th></tr></thead><tbody>"#);
    for t in &group.touchpoints {
        let marks = cx_model::contact_marks(t.first_contact, t.last_contact, t.moment_of_truth);
        let gap = &t.stats.gap;
        let ci = gap.points.ci.map_or(String::new(), |ci| {
            format!(" [{:+.2}, {:+.2}]", ci.lower, ci.upper)
        });
        let mean = |m: Option<f64>| m.map_or("–".to_owned(), |m| format!("{m:.2}"));
        let _ = write!(
            out,
            r#"<tr><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}{ci}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>"#,
            badge(t.light),
            esc(&t.name),
            esc(&t.stage),
            gap.n,
            mean(t.stats.expectation.mean),
            mean(t.stats.reality.mean),
            gap.points
                .mean
                .map_or("–".to_owned(), |g| format!("{g:+.2}")),
            percent(gap.met.share),
            percent(gap.wow.share),
            marks.join(", ")
        );
    }
    out.push_str("</tbody></table></div>");
}

fn page(card: &Scorecard) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = esc(&card.journey);
    let _ = write!(
        out,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}: journey map</title><style>{CSS}</style></head><body><h1>{title}</h1><p class="meta">Journey map from {} observations and {} respondent outcomes (of {} and {} read). Traffic-light policy <code>{}</code>; journey aggregation <code>{}</code>.</p>"#,
        card.counts.observations.accepted,
        card.counts.outcomes.accepted,
        card.counts.observations.read,
        card.counts.outcomes.read,
        esc(&card.policy),
        esc(&card.aggregation)
    );
    let group = &card.overall;
    journey_map(&mut out, group);
    out.push_str(r#"<h2>Loyalty and recommendation</h2><div class="grid"><div class="card"><h3>Loyalty questions</h3>"#);
    let _ = write!(
        out,
        "<p>{} respondents; the organisation is on track when more than {:.0}% say yes to each, beyond doubt: <strong>{}</strong> (the point rule alone, every share above the target: {}).</p>",
        group.outcomes,
        100.0 * group.loyalty.target,
        group.loyalty.verdict.name(),
        if group.loyalty.point_rule_on_track {
            "met"
        } else {
            "not met"
        }
    );
    loyalty_chart(&mut out, group);
    out.push_str("</div>");
    nps_card(&mut out, group);
    out.push_str("</div>");
    opportunities(&mut out, group);
    touchpoint_table(&mut out, group);
    out.push_str("</body></html>\n");
    out
}

/// Writes a scorecard as one self-contained HTML page: the journey map
/// (stages left to right, each touchpoint a traffic-light marker sized by
/// reach, with its letter, WOW and shortfall shares, emotion balance and
/// first, last and moment-of-truth marks), the loyalty questions against
/// their target, NPS with its interval, the ranked opportunities and a table
/// of every touchpoint, all for the whole survey. It has no script and loads
/// nothing, reads on a phone and prints.
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
/// let journey = Journey::builder("Shop & Co", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
///     .build()?;
/// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?;
/// scorer.try_push(&Observation::new("a", "till", 4.0).with_expectation(3.0))?;
/// let card = scorer.finish();
///
/// let mut out = Vec::new();
/// cx_report::write_html(&card, &mut out)?;
/// let page = String::from_utf8(out)?;
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(page.contains("<h1>Shop &amp; Co</h1>"));
/// assert!(page.contains("<svg") && !page.contains("<script"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_html<W: Write>(scorecard: &Scorecard, output: W) -> Result<()> {
    write_text(&page(scorecard), output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc(r#"<a href="x">Tom & 'Jo'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jo&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn shortens_on_characters_not_bytes() {
        assert_eq!(shorten("Café au lait", 5), "Café…");
        assert_eq!(shorten("Café", 5), "Café");
    }
}
