//! The page's charts and tables beside the map: loyalty against its
//! target, NPS as promoters, passives and detractors, effort, the
//! opportunities for improvement and every touchpoint's figures.

use std::fmt::Write as _;

use cx_model::contact_marks;
use cx_score::{GroupScore, Interval};

use super::text::{NONE, badge, count, dominant_emotion, esc, fixed, percent, signed};

pub(super) fn loyalty_chart(out: &mut String, group: &GroupScore) {
    let loyalty = &group.loyalty;
    let (width, left, bar) = (560.0, 150.0, 240.0);
    let rows = loyalty.questions.len() as f64;
    let height = 28.0 * rows + 36.0;
    let target_x = left + bar * loyalty.target;
    let summary: Vec<String> = loyalty
        .questions
        .iter()
        .map(|q| {
            let interval = q.yes.ci.map_or(String::new(), |ci| {
                format!(
                    " (95% interval {} to {})",
                    percent(Some(ci.lower)),
                    percent(Some(ci.upper))
                )
            });
            format!(
                "{}: {} yes{interval}, {}",
                q.question.name().replace('_', " "),
                percent(q.yes.share),
                q.verdict.name()
            )
        })
        .collect();
    let label = esc(&format!(
        "Loyalty questions against the {:.0}% target: {}",
        100.0 * loyalty.target,
        summary.join("; ")
    ));
    let _ = write!(
        out,
        r#"<svg role="img" aria-label="{label}" width="100%" viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" font-size="12"><title>{label}</title>"#
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

/// NPS as a stacked bar of detractors, passives and promoters, with the
/// score and its interval.
pub(super) fn nps_card(out: &mut String, group: &GroupScore) {
    let nps = &group.nps;
    out.push_str(r#"<div class="card"><h3>Net Promoter Score</h3>"#);
    let (Some(score), Some(promoters), Some(detractors)) =
        (nps.nps, nps.promoter_share, nps.detractor_share)
    else {
        out.push_str("<p>No likelihood-to-recommend answers.</p></div>");
        return;
    };
    let passives = (1.0 - promoters - detractors).max(0.0);
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
        r#"<p><span class="nps">{score:+.1}</span><br>{ci}<br>{} answers: {} promoters, {} passives, {} detractors</p>"#,
        count(nps.n),
        count(nps.promoters),
        count(nps.passives),
        count(nps.detractors)
    );
    let label = format!(
        "Detractors {}, passives {}, promoters {}; NPS {score:+.1}",
        percent(Some(detractors)),
        percent(Some(passives)),
        percent(Some(promoters))
    );
    let _ = write!(
        out,
        r#"<svg role="img" aria-label="{label}" width="100%" viewBox="0 0 400 46" font-family="system-ui, sans-serif" font-size="12"><title>{label}</title>"#
    );
    let mut at = 0.0;
    // Left to right as the names under the bar: colour is not the only
    // carrier.
    for (share, fill, text) in [
        (detractors, "#cf222e", "#ffffff"),
        (passives, "#eaeef2", "#1f2328"),
        (promoters, "#1a7f37", "#ffffff"),
    ] {
        let width = 400.0 * share;
        let _ = write!(
            out,
            r#"<rect x="{at:.1}" y="0" width="{width:.1}" height="24" fill="{fill}"/>"#
        );
        if width > 40.0 {
            let _ = write!(
                out,
                r#"<text x="{:.1}" y="16" text-anchor="middle" fill="{text}">{}</text>"#,
                at + width / 2.0,
                percent(Some(share))
            );
        }
        at += width;
    }
    out.push_str(r#"<text x="0" y="40">detractors</text><text x="200" y="40" text-anchor="middle">passives</text><text x="400" y="40" text-anchor="end">promoters</text></svg></div>"#);
}

/// The mean effort, where the survey asked for it.
pub(super) fn effort_card(out: &mut String, group: &GroupScore) {
    let effort = &group.effort;
    let Some(mean) = effort.mean else {
        return;
    };
    let ci = effort.ci.map_or(String::new(), |ci| {
        format!(" (95% interval {:.2} to {:.2})", ci.lower, ci.upper)
    });
    let _ = write!(
        out,
        r#"<div class="card"><h3>Effort</h3><p><span class="nps">{mean:.2}</span><br>mean effort{ci}, {} answers</p></div>"#,
        count(effort.n)
    );
}

pub(super) fn opportunities(out: &mut String, group: &GroupScore) {
    out.push_str("<h2>Opportunities for improvement</h2>");
    if group.opportunities.is_empty() {
        out.push_str("<p>None: no touchpoint is yellow or red.</p>");
        return;
    }
    out.push_str("<p>Where customers are let down most, first: each touchpoint that is yellow or red is a chance to do better, ranked by impact, the product of the three figures beside it.</p>");
    out.push_str(r#"<div class="tablewrap" tabindex="0" role="region" aria-label="Opportunities for improvement, ranked"><table><thead><tr><th class="num">Rank</th><th>Touchpoint</th><th>Light</th><th class="num">Weight</th><th class="num">Reach</th><th class="num">Mean shortfall</th><th class="num">Impact</th></tr></thead><tbody>"#);
    for o in &group.opportunities {
        let star = if o.moment_of_truth { " ★" } else { "" };
        let _ = write!(
            out,
            r#"<tr><td class="num">{}</td><td>{}{star}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{:.3}</td><td class="num">{:.1}</td></tr>"#,
            o.rank,
            esc(&o.name),
            badge(Some(o.light), false),
            fixed(Some(o.weight), 1),
            count(o.reach),
            o.shortfall,
            o.impact
        );
    }
    out.push_str("</tbody></table></div><p class=\"legend\">Impact = weight × reach × mean shortfall, where the mean shortfall is how far below expectation the touchpoint falls on average, as a share of the scale. ★ moment of truth.</p>");
}

pub(super) fn touchpoint_table(out: &mut String, group: &GroupScore) {
    out.push_str(r#"<h2>Touchpoints</h2><div class="tablewrap" tabindex="0" role="region" aria-label="Every touchpoint's figures"><table><thead><tr><th class="num">#</th><th>Light</th><th>Touchpoint</th><th>Stage</th><th class="num">Answers</th><th class="num">Expected</th><th class="num">Reality</th><th class="num">Gap (95% interval)</th><th class="num">Met</th><th class="num">WOW</th><th class="num">Short</th><th>Emotion</th><th>Marks</th></tr></thead><tbody>"#);
    for (position, t) in group.touchpoints.iter().enumerate() {
        let marks = contact_marks(t.first_contact, t.last_contact, t.moment_of_truth);
        let gap = &t.stats.gap;
        let ci = gap.points.ci.map_or(String::new(), |ci| {
            format!(" [{:+.2}, {:+.2}]", ci.lower, ci.upper)
        });
        let emotions = &t.stats.emotions;
        let emotion = match (dominant_emotion(emotions), emotions.net) {
            (Some(name), Some(net)) => format!("{name} (net {net:+.2})"),
            _ => NONE.to_owned(),
        };
        let _ = write!(
            out,
            r#"<tr><td class="num">{}</td><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}{ci}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td>{emotion}</td><td>{}</td></tr>"#,
            position + 1,
            badge(t.light, t.insufficient_data),
            esc(&t.name),
            esc(&t.stage),
            count(gap.n),
            fixed(t.stats.expectation.mean, 2),
            fixed(t.stats.reality.mean, 2),
            signed(gap.points.mean, 2),
            percent(gap.met.share),
            percent(gap.wow.share),
            percent(gap.shortfall.share),
            marks.join(", ")
        );
    }
    out.push_str("</tbody></table></div><p class=\"legend\">Short: the share of answers short of expectation (the mean shortfall, in the opportunities above, is how far short on average).</p>");
}
