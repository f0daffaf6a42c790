//! The journey map: one self-contained HTML page (CSS and inline SVG, no
//! script, no external asset) showing a scorecard.

mod charts;
mod map;
mod text;

use std::fmt::Write as _;
use std::io::Write;

use cx_score::Scorecard;

use crate::error::Result;
use crate::output::write_text;
use text::{count, esc};

const CSS: &str = r#"
:root { --ink: #1f2328; --muted: #59636e; --line: #d0d7de; --band: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1400px; padding: 16px; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1em; margin: 0 0 8px; }
.meta, .legend, footer { color: var(--muted); }
.legend { font-size: 0.9em; margin: 6px 0 0; }
.stages { display: flex; flex-wrap: wrap; gap: 8px; }
.stage { flex: 1 1 auto; min-width: 0; max-width: 100%; background: var(--band); border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.stage:nth-child(even) { background: #ffffff; }
.stage-name { margin: 0 0 6px; }
.touchpoints { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 8px; }
.tp { width: 172px; background: #ffffff; border: 1px solid var(--line); border-radius: 6px; padding: 6px; font-size: 0.88em; }
.tp.first, .tp.last, .tp.truth { border: 3px solid var(--ink); }
.tp.wow { box-shadow: 0 0 0 3px #8250df; }
.tp-head { display: flex; gap: 6px; align-items: flex-start; font-weight: 600; }
.tp-name { overflow-wrap: break-word; min-width: 0; }
.tp dl { display: grid; grid-template-columns: auto 1fr; gap: 0 6px; margin: 4px 0 0; }
.tp dt { color: var(--muted); }
.tp dd { margin: 0; overflow-wrap: break-word; min-width: 0; }
.marks { margin: 4px 0 0; font-weight: 700; }
.pos { color: #1a7f37; } .neg { color: #cf222e; }
.gap { display: block; margin-top: 4px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.badge { display: inline-block; min-width: 1.6em; padding: 0 4px; border-radius: 4px; text-align: center; font-weight: 700; }
.nps { font-size: 2em; font-weight: 700; }
.tablewrap { overflow-x: auto; }
footer { border-top: 1px solid var(--line); margin-top: 28px; padding-top: 8px; font-size: 0.9em; }
@media (max-width: 600px) { body { padding: 8px; font-size: 14px; } .nps { font-size: 1.6em; } .tp { width: calc(50% - 4px); } }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 11px; }
  .tablewrap { overflow: visible; }
  .tp, .card, tr, svg { break-inside: avoid; }
}
"#;

/// The HTML page of a scorecard, with where its data came from: built in
/// the manner of a writer's builder, then written with
/// [`write`](Self::write). [`write_html`] writes one without sources.
///
/// ```
/// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
/// use cx_report::HtmlReport;
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
/// HtmlReport::new(&card)
///     .source("responses.csv")
///     .generated_at("2026-12-03T09:00:00Z")
///     .write(&mut out)?;
/// let page = String::from_utf8(out)?;
/// assert!(page.contains("responses.csv") && page.contains("2026-12-03T09:00:00Z"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct HtmlReport<'a> {
    scorecard: &'a Scorecard,
    sources: Vec<String>,
    generated_at: Option<String>,
}

impl<'a> HtmlReport<'a> {
    /// The page of `scorecard`, with no sources named and no time.
    pub fn new(scorecard: &'a Scorecard) -> Self {
        HtmlReport {
            scorecard,
            sources: Vec::new(),
            generated_at: None,
        }
    }

    /// Names a file (or stream) the scorecard was read from, in the footer.
    #[must_use]
    pub fn source(mut self, name: impl Into<String>) -> Self {
        self.sources.push(name.into());
        self
    }

    /// The time the page was made, as the footer shows it (RFC 3339 reads
    /// best); without one the page names no time, and the same scorecard
    /// gives the same bytes.
    #[must_use]
    pub fn generated_at(mut self, time: impl Into<String>) -> Self {
        self.generated_at = Some(time.into());
        self
    }

    /// Writes the page.
    ///
    /// # Errors
    ///
    /// An [`Error`](crate::Error) of kind [`Io`](crate::ErrorKind::Io) if
    /// the output cannot be written.
    pub fn write<W: Write>(&self, output: W) -> Result<()> {
        write_text(&self.page(), output)
    }

    fn page(&self) -> String {
        let card = self.scorecard;
        let mut out = String::with_capacity(64 * 1024);
        let title = esc(&card.journey);
        let _ = write!(
            out,
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}: journey map</title><style>{CSS}</style></head><body><main><h1>{title}</h1><p class="meta">Journey map from {} observations and {} respondent outcomes.</p>"#,
            count(card.counts.observations.accepted),
            count(card.counts.outcomes.accepted),
        );
        let group = &card.overall;
        map::journey_map(&mut out, group, &card.scale);
        map::emotion_curve(&mut out, group);
        out.push_str(r#"<h2>Loyalty and recommendation</h2><div class="grid"><div class="card"><h3>Loyalty questions</h3>"#);
        let _ = write!(
            out,
            "<p>{} respondents; the organisation is on track when more than {:.0}% say yes to each, beyond doubt: <strong>{}</strong> (the point rule alone, every share above the target: {}).</p>",
            count(group.outcomes),
            100.0 * group.loyalty.target,
            group.loyalty.verdict.name(),
            if group.loyalty.point_rule_on_track {
                "met"
            } else {
                "not met"
            }
        );
        charts::loyalty_chart(&mut out, group);
        out.push_str("</div>");
        charts::nps_card(&mut out, group);
        charts::effort_card(&mut out, group);
        out.push_str("</div>");
        charts::opportunities(&mut out, group);
        charts::touchpoint_table(&mut out, group);
        out.push_str("</main>");
        self.footer(&mut out);
        out.push_str("</body></html>\n");
        out
    }

    /// Where the figures came from and how they were judged.
    fn footer(&self, out: &mut String) {
        let card = self.scorecard;
        let counts = &card.counts;
        out.push_str("<footer><p>");
        if !self.sources.is_empty() {
            let names: Vec<String> = self.sources.iter().map(|name| esc(name)).collect();
            let _ = write!(out, "Read from {}. ", names.join(", "));
        }
        let _ = write!(
            out,
            "Observations: {} read, {} accepted, {} rejected. Outcomes: {} read, {} accepted, {} rejected. ",
            count(counts.observations.read),
            count(counts.observations.accepted),
            count(counts.observations.rejected_total()),
            count(counts.outcomes.read),
            count(counts.outcomes.accepted),
            count(counts.outcomes.rejected_total()),
        );
        let config = &card.config;
        let _ = write!(
            out,
            "Traffic-light policy <code>{}</code> (yellow band {} of the scale, WOW margin {}, at least {} answers for a light); journey aggregation <code>{}</code>. ",
            esc(&card.policy),
            config.yellow_band,
            config.wow_margin,
            config.min_sample,
            esc(&card.aggregation),
        );
        let _ = write!(out, "Made by cx {}", env!("CARGO_PKG_VERSION"));
        if let Some(time) = &self.generated_at {
            let _ = write!(out, " at {}", esc(time));
        }
        out.push_str(".</p></footer>");
    }
}

/// Writes a scorecard as one self-contained HTML page: the journey map
/// (each stage a band of touchpoint cards in journey order, wrapping onto
/// as many rows as the page needs; each card with its light as colour and
/// letter, its reach, expectation and reality on the scale, WOW share,
/// share short of expectation, dominant emotion, and first-contact,
/// last-contact and moment-of-truth marks), the emotion curve, the
/// loyalty questions against their target, NPS as promoters, passives and
/// detractors with its interval, effort where asked, the ranked
/// opportunities for improvement, a table of every touchpoint, and a
/// footer of the counts, the policy and the cx version, all for the whole
/// survey. It has no script and loads nothing, reads on a phone and
/// prints on A4 landscape. [`HtmlReport`] names the sources and the time
/// as well.
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
/// assert!(page.contains("Emotion curve") && page.contains("Made by cx"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_html<W: Write>(scorecard: &Scorecard, output: W) -> Result<()> {
    HtmlReport::new(scorecard).write(output)
}
