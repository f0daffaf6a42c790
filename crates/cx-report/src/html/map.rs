//! The journey map and the emotion curve under it.
//!
//! The map is HTML, not one wide picture: each stage is a band of
//! touchpoint cards that wraps onto as many rows as the page is narrow, so
//! that a journey of any length fits any width without scrolling sideways
//! and no name is ever cut. Each card carries its light (colour and
//! letter), its reach, expectation and reality drawn on the scale, its WOW
//! share and share short of expectation, its dominant emotion, and its
//! first-contact, last-contact and moment-of-truth marks.

use std::fmt::Write as _;

use cx_model::{Scale, Valence};
use cx_score::{GroupScore, StageScore, TouchpointScore};

use super::text::{NONE, badge, count, dominant_emotion, esc, fixed, light_style, percent, signed};

/// Writes the map of `group`'s touchpoints on `scale`.
pub(super) fn journey_map(out: &mut String, group: &GroupScore, scale: &Scale) {
    out.push_str(r#"<section class="map" aria-labelledby="map-title"><h2 id="map-title">Journey map</h2><div class="stages">"#);
    let look = Look {
        scale,
        emotions: group.touchpoints.iter().any(|t| t.stats.emotions.n > 0),
        wow_moments: wow_moments(group),
    };
    for stage in &group.stages {
        let touchpoints: Vec<&TouchpointScore> = group
            .touchpoints
            .iter()
            .filter(|t| t.stage == stage.name)
            .collect();
        stage_band(out, stage, &touchpoints, &look);
    }
    out.push_str("</div>");
    let _ = write!(
        out,
        r#"<p class="legend">Letters: G green, met or exceeded; Y yellow, a little short; R red, well short; · no light, too few answers; - no light the policy could give. On each scale: ◆ expectation, ● reality. <strong>WOW</strong>: the share of answers well above expectation; ✦ WOW moment: one of the {WOW_MOMENTS} touchpoints where that share is largest. <strong>Short</strong>: the share of answers short of expectation. ▶ first contact; ◀ last contact; ★ moment of truth: these weigh most.</p></section>"#
    );
}

/// How many touchpoints stand out as WOW moments.
const WOW_MOMENTS: usize = 3;

/// The places of the touchpoints with the largest WOW shares (of those
/// with a light, so with enough answers): at most [`WOW_MOMENTS`], ties
/// broken by journey order.
fn wow_moments(group: &GroupScore) -> Vec<usize> {
    let mut candidates: Vec<(usize, f64)> = group
        .touchpoints
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.insufficient_data)
        .filter_map(|(position, t)| {
            t.stats
                .gap
                .wow
                .share
                .filter(|&share| share > 0.0)
                .map(|share| (position, share))
        })
        .collect();
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    candidates
        .into_iter()
        .take(WOW_MOMENTS)
        .map(|(position, _)| position)
        .collect()
}

/// What every card of one map shares.
struct Look<'a> {
    scale: &'a Scale,
    /// Whether the survey reported emotions at all.
    emotions: bool,
    wow_moments: Vec<usize>,
}

fn stage_band(
    out: &mut String,
    stage: &StageScore,
    touchpoints: &[&TouchpointScore],
    look: &Look<'_>,
) {
    let light = light_style(stage.pooled.light, false);
    let _ = write!(
        out,
        r#"<section class="stage" aria-label="Stage {name}, stage light {words}"><h3 class="stage-name">{badge} {name}</h3><ol class="touchpoints">"#,
        name = esc(&stage.name),
        words = light.words,
        badge = badge(stage.pooled.light, false),
    );
    for touchpoint in touchpoints {
        card(out, touchpoint, look);
    }
    out.push_str("</ol></section>");
}

fn card(out: &mut String, t: &TouchpointScore, look: &Look<'_>) {
    let mut classes = String::from("tp");
    let mut marks = Vec::new();
    if t.first_contact {
        classes.push_str(" first");
        marks.push("▶ first contact");
    }
    if t.last_contact {
        classes.push_str(" last");
        marks.push("◀ last contact");
    }
    if t.moment_of_truth {
        classes.push_str(" truth");
        marks.push("★ moment of truth");
    }
    if look.wow_moments.contains(&t.index) {
        classes.push_str(" wow");
        marks.push("✦ WOW moment");
    }
    let _ = write!(
        out,
        r#"<li class="{classes}"><div class="tp-head">{badge}<span class="tp-name">{name}</span></div>"#,
        badge = badge(t.light, t.insufficient_data),
        name = esc(&t.name),
    );
    gap_picture(out, t, look.scale);
    let _ = write!(
        out,
        r#"<dl><dt>Answers</dt><dd>{n}</dd><dt>WOW</dt><dd>{wow}</dd><dt>Short</dt><dd>{short}</dd>"#,
        n = count(t.stats.gap.n.max(t.stats.observations)),
        wow = percent(t.stats.gap.wow.share),
        short = percent(t.stats.gap.shortfall.share),
    );
    if look.emotions {
        let name = dominant_emotion(&t.stats.emotions).unwrap_or(NONE);
        let emotion = match t.stats.emotions.dominant.map(|emotion| emotion.valence()) {
            Some(Valence::Positive) => format!(r#"<span class="pos">{name}</span>"#),
            Some(Valence::Negative) => format!(r#"<span class="neg">{name}</span>"#),
            None => name.to_owned(),
        };
        let _ = write!(out, "<dt>Emotion</dt><dd>{emotion}</dd>");
    }
    out.push_str("</dl>");
    if !marks.is_empty() {
        let _ = write!(out, r#"<p class="marks">{}</p>"#, marks.join("<br>"));
    }
    out.push_str("</li>");
}

/// Expectation and reality as two marks on the scale, joined by a bar in
/// the light's colour.
fn gap_picture(out: &mut String, t: &TouchpointScore, scale: &Scale) {
    const WIDTH: f64 = 140.0;
    const LEFT: f64 = 8.0;
    const RIGHT: f64 = WIDTH - 8.0;
    let (min, max) = (scale.min(), scale.max());
    let x = |value: f64| LEFT + (RIGHT - LEFT) * ((value - min) / (max - min)).clamp(0.0, 1.0);
    let (expectation, reality) = (t.stats.expectation.mean, t.stats.reality.mean);
    let label = format!(
        "{}: expectation {}, reality {}, on the scale {min} to {max}; mean gap {}",
        esc(&t.name),
        fixed(expectation, 2),
        fixed(reality, 2),
        signed(t.stats.gap.points.mean, 2)
    );
    let _ = write!(
        out,
        r##"<svg class="gap" role="img" aria-label="{label}" viewBox="0 0 {WIDTH} 30" width="{WIDTH}" height="30"><title>{label}</title><line x1="{LEFT}" y1="15" x2="{RIGHT}" y2="15" stroke="#8c959f" stroke-width="2"/><text x="{LEFT}" y="29" font-size="9" fill="#59636e">{min}</text><text x="{RIGHT}" y="29" font-size="9" fill="#59636e" text-anchor="end">{max}</text>"##
    );
    if let (Some(expectation), Some(reality)) = (expectation, reality) {
        let fill = light_style(t.light, t.insufficient_data).fill;
        let _ = write!(
            out,
            r#"<line x1="{:.1}" y1="15" x2="{:.1}" y2="15" stroke="{fill}" stroke-width="6"/>"#,
            x(expectation),
            x(reality)
        );
    }
    if let Some(expectation) = expectation {
        let at = x(expectation);
        let _ = write!(
            out,
            r##"<path d="M{at:.1} 8 L{:.1} 15 L{at:.1} 22 L{:.1} 15 Z" fill="#ffffff" stroke="#1f2328" stroke-width="1.5"/>"##,
            at + 6.0,
            at - 6.0
        );
    }
    if let Some(reality) = reality {
        let _ = write!(
            out,
            r##"<circle cx="{:.1}" cy="15" r="5" fill="#1f2328"/>"##,
            x(reality)
        );
    }
    out.push_str("</svg>");
}

/// The net emotion at each touchpoint as a line through the journey, the
/// dominant emotion named at each point; a sentence instead when the survey
/// has no emotions.
pub(super) fn emotion_curve(out: &mut String, group: &GroupScore) {
    out.push_str(r#"<section class="curve" aria-labelledby="curve-title"><h2 id="curve-title">Emotion curve</h2>"#);
    let points: Vec<(usize, &TouchpointScore, f64)> = group
        .touchpoints
        .iter()
        .enumerate()
        .filter_map(|(position, t)| t.stats.emotions.net.map(|net| (position, t, net)))
        .collect();
    if points.is_empty() {
        out.push_str("<p>No emotions were reported in this survey, so there is no emotion curve: add an <code>emotion</code> column to see how each touchpoint leaves the customer feeling.</p></section>");
        return;
    }
    const STEP: f64 = 60.0;
    const TOP: f64 = 24.0;
    const HEIGHT: f64 = 120.0;
    let width = STEP * group.touchpoints.len().max(1) as f64 + 40.0;
    let y = |net: f64| TOP + HEIGHT / 2.0 * (1.0 - net.clamp(-1.0, 1.0));
    let x = |position: usize| 40.0 + STEP * (position as f64 + 0.5);
    let summary: Vec<String> = points
        .iter()
        .map(|(_, t, net)| {
            let dominant = dominant_emotion(&t.stats.emotions).unwrap_or(NONE);
            format!("{} {net:+.2} ({dominant})", t.name)
        })
        .collect();
    let label = esc(&format!(
        "Net emotion from -1 to +1 at each touchpoint with emotions, in journey order: {}",
        summary.join("; ")
    ));
    let total_height = TOP + HEIGHT + 56.0;
    let _ = write!(
        out,
        r##"<svg class="curve-chart" role="img" aria-label="{label}" viewBox="0 0 {width} {total_height}" width="100%" style="max-width:{max_width:.0}px" preserveAspectRatio="xMinYMin meet" font-family="system-ui, sans-serif" font-size="11"><title>{label}</title><line x1="40" y1="{mid}" x2="{width}" y2="{mid}" stroke="#8c959f" stroke-dasharray="4 3"/><text x="34" y="{top}" text-anchor="end">+1</text><text x="34" y="{mid_text}" text-anchor="end">0</text><text x="34" y="{bottom}" text-anchor="end">-1</text>"##,
        max_width = 1.4 * width,
        mid = y(0.0),
        top = TOP + 4.0,
        mid_text = y(0.0) + 4.0,
        bottom = TOP + HEIGHT + 4.0,
    );
    let path: Vec<String> = points
        .iter()
        .map(|&(position, _, net)| format!("{:.1},{:.1}", x(position), y(net)))
        .collect();
    let _ = write!(
        out,
        r##"<polyline points="{}" fill="none" stroke="#1f2328" stroke-width="2"/>"##,
        path.join(" ")
    );
    for &(position, t, net) in &points {
        let (cx, cy) = (x(position), y(net));
        let (fill, valence) = if net > 0.0 {
            ("#1a7f37", "positive")
        } else if net < 0.0 {
            ("#cf222e", "negative")
        } else {
            ("#8c959f", "balanced")
        };
        let dominant = dominant_emotion(&t.stats.emotions).unwrap_or(NONE);
        let _ = write!(
            out,
            r##"<g class="point"><title>{name}: net emotion {net:+.2}, {valence}; most reported: {dominant}</title><circle cx="{cx:.1}" cy="{cy:.1}" r="5" fill="{fill}" stroke="#ffffff" stroke-width="1.5"/><text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" fill="{fill}">{dominant}</text></g>"##,
            name = esc(&t.name),
            ty = if net >= 0.0 { cy - 9.0 } else { cy + 16.0 },
        );
    }
    // Every touchpoint's position, named by its number in the table below.
    for (position, _) in group.touchpoints.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#59636e">{}</text>"##,
            x(position),
            TOP + HEIGHT + 24.0,
            position + 1
        );
    }
    out.push_str("</svg>");
    out.push_str(r#"<p class="legend">Net emotion: the share of positive emotions minus the share of negative ones, from −1 to +1; each point names the emotion reported most (mixed where two or more tie). The numbers along the bottom are the touchpoints' places in the journey, as in the table of touchpoints.</p></section>"#);
}
