//! Change tests between the groups of a breakdown as aligned text,
//! Markdown, CSV and JSON.

use std::fmt::Write as _;
use std::io::Write;

use cx_score::{ChangeTest, Changes, Dimension, Measure, Pairs, TestResult};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::output::write_text;

/// The schema name and version written into JSON change reports.
///
/// # The `cx.changes/1` schema
///
/// A JSON object with `"schema": "cx.changes/1"` and the fields of
/// [`Changes`]: `journey`, `dimension`, `pairs` (`"previous"` or
/// `{"named": [[before, after], …]}`), `confidence`, `min_sample`,
/// `adjustment` (`"holm"`, `"bh"` or `"none"`),
/// `tests` (how many p-values were adjusted together) and `comparisons`,
/// each a `before` and `after` group key and its `tests`. A test holds
/// `touchpoint` and `name` (`null` for NPS, loyalty and the journey),
/// `measure` (`nps`, `expectations_met`, `would_return`, `would_recommend`,
/// `yes_to_all`, `journey_mean_gap`, `journey_met_share`,
/// `journey_wow_share`, `mean_gap`, `met_share`, `csat`), `n_before`,
/// `n_after` (respondents for the journey's measures), weighted
/// `n_eff_before` and `n_eff_after` (Kish's effective sample sizes; absent
/// unweighted and for the journey's measures), `small_sample`,
/// `p_adjusted` and `result`:
/// `null` when a group has too little data, else an object whose `test`
/// is `"share"` (`before`, `after`, `difference`, `adjusted_difference`,
/// `se`, `z`, `p_value`, `ci`, `cohens_h`), `"mean"` (`before`, `after`,
/// `difference`, `se`, `df`, `t`, `p_value`, `ci`, `cohens_d`) or `"nps"`
/// (`before`, `after`, `difference`, `adjusted_difference`, `se`, `z`,
/// `p_value`, `ci`, `confidence`, `cohens_d`, `promoter_share_change`,
/// `detractor_share_change`, and `promoters` and `detractors` as share
/// tests); a weighted scorecard's report also has `"weighted": true`. Shares are fractions, NPS in points, gaps in scale points;
/// intervals are `{lower, upper}`; absent values are `null`. New fields
/// may be added within version 1; a renamed or removed field makes
/// version 2.
///
/// # Example
///
/// ```
/// assert_eq!(cx_report::CHANGES_SCHEMA, "cx.changes/1");
/// ```
pub const CHANGES_SCHEMA: &str = "cx.changes/1";

/// The columns the CSV change report adds after
/// [`CHANGES_CSV_COLUMNS`] for a weighted scorecard: each test's
/// [effective sample sizes](cx_score::ChangeTest::n_eff_before), empty for
/// the journey's measures.
///
/// # Example
///
/// ```
/// assert_eq!(cx_report::WEIGHTED_CHANGES_CSV_COLUMNS, ["n_eff_before", "n_eff_after"]);
/// ```
pub const WEIGHTED_CHANGES_CSV_COLUMNS: [&str; 2] = ["n_eff_before", "n_eff_after"];

/// The columns of the CSV change report, one row per test.
///
/// # Example
///
/// ```
/// assert_eq!(cx_report::CHANGES_CSV_COLUMNS[..3], ["dimension", "before", "after"]);
/// ```
pub const CHANGES_CSV_COLUMNS: [&str; 26] = [
    "dimension",
    "before",
    "after",
    "touchpoint",
    "name",
    "measure",
    "test",
    "n_before",
    "n_after",
    "small_sample",
    "estimate_before",
    "estimate_after",
    "difference",
    "ci_lower",
    "ci_upper",
    "se",
    "statistic",
    "df",
    "p_value",
    "p_adjusted",
    "adjustment",
    "effect_size",
    "cohens",
    "promoter_share_change",
    "detractor_share_change",
    "tests_adjusted",
];

/// What a row is about, for people: `NPS`, `Cashier: mean gap`.
fn label(test: &ChangeTest) -> String {
    let measure = match test.measure {
        Measure::Nps => "NPS",
        Measure::ExpectationsMet => "Expectations met: yes",
        Measure::WouldReturn => "Would return: yes",
        Measure::WouldRecommend => "Would recommend: yes",
        Measure::YesToAll => "Yes to all three",
        Measure::JourneyMeanGap => "Journey: mean gap (by respondent)",
        Measure::JourneyMetShare => "Journey: met share (by respondent)",
        Measure::JourneyWowShare => "Journey: WOW share (by respondent)",
        Measure::MeanGap => "mean gap",
        Measure::MetShare => "met share",
        Measure::Csat => "CSAT",
        _ => test.measure.name(),
    };
    match &test.name {
        Some(name) => format!("{name}: {measure}"),
        None => measure.to_owned(),
    }
}

/// How an estimate of `measure` reads: shares in percent, NPS in points,
/// gaps in scale points.
fn estimate(measure: Measure, value: f64) -> String {
    match measure {
        Measure::Nps => format!("{value:+.1}"),
        Measure::MeanGap | Measure::JourneyMeanGap => format!("{value:+.2}"),
        _ => format!("{:.1}%", 100.0 * value),
    }
}

/// How a change of `measure` reads: percentage points for shares.
fn change(measure: Measure, value: f64) -> String {
    match measure {
        Measure::Nps => format!("{value:+.1}"),
        Measure::MeanGap | Measure::JourneyMeanGap => format!("{value:+.2}"),
        _ => format!("{:+.1} pts", 100.0 * value),
    }
}

/// A p-value with four decimals, or in scientific notation when smaller.
fn p_value(p: Option<f64>) -> String {
    match p {
        None => "-".to_owned(),
        Some(p) if p < 1e-4 => format!("{p:.1e}"),
        Some(p) => format!("{p:.4}"),
    }
}

/// The cells every text report shows for a test: before, after, change
/// with its interval, raw p, adjusted p, effect size, and the marks.
struct Cells {
    before: String,
    after: String,
    change: String,
    p: String,
    adjusted: String,
    effect: String,
    marks: String,
}

fn cells(test: &ChangeTest, alpha: f64) -> Cells {
    let dash = || "-".to_owned();
    let Some(result) = &test.result else {
        return Cells {
            before: dash(),
            after: dash(),
            change: "no data".to_owned(),
            p: dash(),
            adjusted: dash(),
            effect: dash(),
            marks: String::new(),
        };
    };
    let measure = test.measure;
    let (before, after) = result.estimates();
    let interval = result.ci().map_or_else(String::new, |ci| {
        format!(
            " [{}, {}]",
            change(measure, ci.lower).trim_end_matches(" pts"),
            change(measure, ci.upper).trim_end_matches(" pts")
        )
    });
    let (kind, effect) = result.effect_size();
    let mut marks = String::new();
    if test.p_adjusted.is_some_and(|p| p < alpha) {
        marks.push('*');
    }
    if test.small_sample {
        marks.push('~');
    }
    // A mean difference without spread in either group has no test.
    let untested = if result.p_value().is_none() {
        " (no spread)"
    } else {
        ""
    };
    Cells {
        before: estimate(measure, before),
        after: estimate(measure, after),
        change: format!(
            "{}{interval}{untested}",
            change(measure, result.difference())
        ),
        p: p_value(result.p_value()),
        adjusted: p_value(test.p_adjusted),
        effect: effect.map_or_else(dash, |e| format!("{kind} {e:+.2}")),
        marks,
    }
}

/// The NPS split into the promoter and detractor shares' changes, as two
/// extra rows of (label, cells).
fn nps_split(test: &ChangeTest) -> Vec<(String, Cells)> {
    let Some(TestResult::Nps(nps)) = &test.result else {
        return Vec::new();
    };
    [
        ("promoters", &nps.promoters),
        ("detractors", &nps.detractors),
    ]
    .into_iter()
    .map(|(name, share)| {
        let interval = share.ci.map_or_else(String::new, |ci| {
            format!(" [{:+.1}, {:+.1}]", 100.0 * ci.lower, 100.0 * ci.upper)
        });
        let cells = Cells {
            before: estimate(Measure::MetShare, share.before),
            after: estimate(Measure::MetShare, share.after),
            change: format!("{}{interval}", change(Measure::MetShare, share.difference)),
            p: p_value(Some(share.p_value)),
            adjusted: "-".to_owned(),
            effect: format!("h {:+.2}", share.cohens_h),
            marks: String::new(),
        };
        (format!("  of which {name}"), cells)
    })
    .collect()
}

/// The lines above the tables: what was compared, how many tests, how
/// they were adjusted, and what the marks mean.
fn preamble(changes: &Changes) -> [String; 3] {
    let what = match (&changes.pairs, changes.dimension) {
        (Pairs::Previous, Dimension::Day | Dimension::Week | Dimension::Month) => {
            format!("each {} against the one before", changes.dimension)
        }
        (Pairs::Previous, _) => "each group against the one before in key order".to_owned(),
        _ => "the pairs named".to_owned(),
    };
    let pairs = changes.comparisons.len();
    [
        format!(
            "{}: change by {}, {what}: {pairs} pair{} compared, {} tests with a p-value, adjusted together by {}.",
            changes.journey,
            changes.dimension,
            if pairs == 1 { "" } else { "s" },
            changes.tests,
            changes.adjustment.description(),
        ),
        format!(
            "Change = after - before (shares in percentage points, NPS in points, gaps in scale points), with its {}% interval.",
            100.0 * changes.confidence
        ),
        format!(
            "* adjusted p < {:.2}   ~ a group below the minimum sample of {}",
            1.0 - changes.confidence,
            changes.min_sample
        ),
    ]
}

/// Writes change tests as aligned text: a preamble saying what was
/// compared, how many tests were made and how their p-values were adjusted,
/// then per pair of groups a table with, per test, the n of each group,
/// the estimates before and after, the change with its interval, the raw
/// and adjusted p-values and the effect size (Cohen's h or d). Under NPS,
/// its promoter and detractor shares' changes.
///
/// # Errors
///
/// An [`Error`](crate::Error) of kind [`Io`](crate::ErrorKind::Io) if the
/// output cannot be written.
///
/// # Example
///
/// ```
/// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
/// use cx_score::{ChangeOptions, Dimension, Pairs, ScoreConfig, ScorecardAccumulator};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store).target(4.0)))
///     .build()?;
/// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?
///     .breakdown_by(Dimension::Segment);
/// for (respondent, reality, segment) in [("a", 2.0, "new"), ("b", 3.0, "new"), ("c", 4.0, "old"), ("d", 5.0, "old")] {
///     scorer.try_push(&Observation::new(respondent, "till", reality).with_segment(segment))?;
/// }
/// let pairs = Pairs::Named(vec![("new".into(), "old".into())]);
/// let changes = cx_score::compare_groups(&scorer.finish(), &ChangeOptions::new(Dimension::Segment, pairs))?;
///
/// let mut out = Vec::new();
/// cx_report::write_changes_table(&changes, &mut out)?;
/// let table = String::from_utf8(out)?;
/// assert!(table.starts_with("Shop: change by segment, the pairs named: 1 pair compared, 5 tests"));
/// // The till's mean gap, met share and CSAT, the journey's mean gap and WOW
/// // share: the journey's met share has no spread (0 of 2 against 2 of 2).
/// // Gaps -1.5 on average for "new", +0.5 for "old": +2.00 points.
/// assert!(table.contains("Till: mean gap "));
/// assert!(table.contains(" -1.50  +0.50  +2.00 ["));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_changes_table<W: Write>(changes: &Changes, output: W) -> Result<()> {
    let mut out = preamble(changes).join("\n");
    out.push('\n');
    let alpha = 1.0 - changes.confidence;
    let header = format!("p {}", changes.adjustment.name());
    for pair in &changes.comparisons {
        // (label, n before/after, cells); the NPS split has no n of its own.
        let mut rows: Vec<(String, String, Cells)> = Vec::new();
        for test in &pair.tests {
            let mut n = format!("{}/{}", test.n_before, test.n_after);
            if let Some(effective) = effective_sizes(test) {
                n.push_str(&format!(" (n_eff {effective})"));
            }
            rows.push((label(test), n, cells(test, alpha)));
            for (split, cells) in nps_split(test) {
                rows.push((split, String::new(), cells));
            }
        }
        let width = |column: &dyn Fn(&(String, String, Cells)) -> usize, least| {
            rows.iter().map(column).max().unwrap_or(0).max(least)
        };
        let label_width = width(&|row| row.0.chars().count(), 7);
        let n_width = width(&|row| row.1.len(), 3);
        let change_width = width(&|row| row.2.change.chars().count(), 6);
        let _ = writeln!(out, "\n{} -> {}", pair.before, pair.after);
        let _ = writeln!(
            out,
            "  {:<label_width$} {:>n_width$} {:>6} {:>6}  {:<change_width$} {:>8} {:>8} {:>7}",
            "measure", "n", "before", "after", "change", "p", header, "effect"
        );
        for (name, n, c) in &rows {
            let line = format!(
                "  {name:<label_width$} {n:>n_width$} {:>6} {:>6}  {:<change_width$} {:>8} {:>8} {:>7} {}",
                c.before, c.after, c.change, c.p, c.adjusted, c.effect, c.marks
            );
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    write_text(&out, output)
}

/// A weighted test's effective sample size for a Markdown cell, after its
/// count: ` (n_eff 9.8)`; nothing unweighted.
fn n_eff(size: Option<f64>) -> String {
    size.map(|size| format!(" (n_eff {size:.1})"))
        .unwrap_or_default()
}

/// A weighted test's effective sample sizes, `before/after` to one
/// decimal; `None` unweighted and for the journey's measures.
fn effective_sizes(test: &ChangeTest) -> Option<String> {
    let (before, after) = test.n_eff_before.zip(test.n_eff_after)?;
    Some(format!("{before:.1}/{after:.1}"))
}

/// Text for a Markdown table cell: a `|` would end the cell.
fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

/// Writes change tests as Markdown: the same preamble and numbers as
/// [`write_changes_table`], a table per pair of groups.
///
/// # Errors
///
/// An [`Error`](crate::Error) of kind [`Io`](crate::ErrorKind::Io) if the
/// output cannot be written.
///
/// # Example
///
/// ```
/// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
/// use cx_score::{ChangeOptions, Dimension, Pairs, ScoreConfig, ScorecardAccumulator};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store).target(4.0)))
///     .build()?;
/// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?
///     .breakdown_by(Dimension::Segment);
/// for (respondent, reality, segment) in [("a", 2.0, "new"), ("b", 3.0, "new"), ("c", 4.0, "old"), ("d", 5.0, "old")] {
///     scorer.try_push(&Observation::new(respondent, "till", reality).with_segment(segment))?;
/// }
/// let pairs = Pairs::Named(vec![("new".into(), "old".into())]);
/// let changes = cx_score::compare_groups(&scorer.finish(), &ChangeOptions::new(Dimension::Segment, pairs))?;
///
/// let mut out = Vec::new();
/// cx_report::write_changes_markdown(&changes, &mut out)?;
/// let markdown = String::from_utf8(out)?;
/// assert!(markdown.starts_with("# Shop: change by segment\n"));
/// assert!(markdown.contains("\n## new → old\n"));
/// assert!(markdown.contains("| Till: mean gap | 2 | 2 | -1.50 | +0.50 | +2.00 ["));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_changes_markdown<W: Write>(changes: &Changes, output: W) -> Result<()> {
    let [what, units, marks] = preamble(changes);
    let mut out = format!(
        "# {}: change by {}\n\n{}  \n{}  \n{}\n",
        escape(&changes.journey),
        changes.dimension,
        escape(&what),
        units,
        marks.replace('*', "\\*")
    );
    let alpha = 1.0 - changes.confidence;
    for pair in &changes.comparisons {
        let _ = writeln!(
            out,
            "\n## {} → {}\n\n| Measure | n before | n after | Before | After | Change ({}% CI) | p | p ({}) | Effect | |\n|---|--:|--:|--:|--:|---|--:|--:|--:|---|",
            escape(&pair.before),
            escape(&pair.after),
            100.0 * changes.confidence,
            changes.adjustment.name()
        );
        for test in &pair.tests {
            let c = cells(test, alpha);
            let _ = writeln!(
                out,
                "| {} | {}{} | {}{} | {} | {} | {} | {} | {} | {} | {} |",
                escape(&label(test)),
                test.n_before,
                n_eff(test.n_eff_before),
                test.n_after,
                n_eff(test.n_eff_after),
                c.before,
                c.after,
                c.change,
                c.p,
                c.adjusted,
                c.effect,
                c.marks.replace('*', "\\*")
            );
            for (split, c) in nps_split(test) {
                let _ = writeln!(
                    out,
                    "| {} | | | {} | {} | {} | {} | | {} | |",
                    split.trim(),
                    c.before,
                    c.after,
                    c.change,
                    c.p,
                    c.effect
                );
            }
        }
    }
    write_text(&out, output)
}

/// A number as the shortest text that reads back as the same number, or
/// nothing when it is absent.
fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// Writes change tests as CSV, one row per test with the columns in
/// [`CHANGES_CSV_COLUMNS`]: shares as fractions, NPS in points, gaps in
/// scale points, numbers in full; `statistic` is z for shares and NPS, t
/// for means; `cohens` says whether `effect_size` is Cohen's `h` or `d`;
/// `tests_adjusted` repeats how many p-values were adjusted together. An
/// empty cell is an absent value.
///
/// # Errors
///
/// An [`Error`](crate::Error) of kind [`Io`](crate::ErrorKind::Io) if the
/// output cannot be written.
///
/// # Example
///
/// ```
/// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
/// use cx_score::{ChangeOptions, Dimension, Pairs, ScoreConfig, ScorecardAccumulator};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store).target(4.0)))
///     .build()?;
/// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?
///     .breakdown_by(Dimension::Segment);
/// for (respondent, reality, segment) in [("a", 2.0, "new"), ("b", 3.0, "new"), ("c", 4.0, "old"), ("d", 5.0, "old")] {
///     scorer.try_push(&Observation::new(respondent, "till", reality).with_segment(segment))?;
/// }
/// let pairs = Pairs::Named(vec![("new".into(), "old".into())]);
/// let changes = cx_score::compare_groups(&scorer.finish(), &ChangeOptions::new(Dimension::Segment, pairs))?;
///
/// let mut out = Vec::new();
/// cx_report::write_changes_csv(&changes, &mut out)?;
/// let text = String::from_utf8(out)?;
/// // The header, then NPS, three questions, yes to all, three for the whole
/// // journey and three for the till.
/// assert_eq!(text.lines().count(), 12);
/// assert!(text.contains("\nsegment,new,old,till,Till,mean_gap,mean,2,2,true,-1.5,0.5,2,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_changes_csv<W: Write>(changes: &Changes, output: W) -> Result<()> {
    let mut writer = csv::Writer::from_writer(output);
    let weighted_columns = if changes.weighted {
        &WEIGHTED_CHANGES_CSV_COLUMNS[..]
    } else {
        &[]
    };
    writer
        .write_record(CHANGES_CSV_COLUMNS.iter().chain(weighted_columns))
        .map_err(Error::csv)?;
    for pair in &changes.comparisons {
        for test in &pair.tests {
            let result = test.result.as_ref();
            let (kind, statistic, df, se) = match result {
                Some(TestResult::Share(s)) => ("share", Some(s.z), None, Some(s.se)),
                Some(TestResult::Mean(m)) => ("mean", m.t, m.df, Some(m.se)),
                Some(TestResult::Nps(n)) => ("nps", Some(n.z), None, Some(n.se)),
                _ => ("", None, None, None),
            };
            let split = match result {
                Some(TestResult::Nps(n)) => (
                    Some(n.promoter_share_change),
                    Some(n.detractor_share_change),
                ),
                _ => (None, None),
            };
            let estimates = result.map(TestResult::estimates);
            let ci = result.and_then(TestResult::ci);
            let effect = result.map(TestResult::effect_size);
            let row = [
                changes.dimension.name().to_owned(),
                pair.before.clone(),
                pair.after.clone(),
                test.touchpoint.clone().unwrap_or_default(),
                test.name.clone().unwrap_or_default(),
                test.measure.name().to_owned(),
                kind.to_owned(),
                test.n_before.to_string(),
                test.n_after.to_string(),
                test.small_sample.to_string(),
                number(estimates.map(|e| e.0)),
                number(estimates.map(|e| e.1)),
                number(result.map(TestResult::difference)),
                number(ci.map(|ci| ci.lower)),
                number(ci.map(|ci| ci.upper)),
                number(se),
                number(statistic),
                number(df),
                number(result.and_then(TestResult::p_value)),
                number(test.p_adjusted),
                changes.adjustment.name().to_owned(),
                number(effect.and_then(|e| e.1)),
                effect.map_or("", |e| e.0).to_owned(),
                number(split.0),
                number(split.1),
                changes.tests.to_string(),
            ];
            let effective = [number(test.n_eff_before), number(test.n_eff_after)];
            let effective = if changes.weighted {
                &effective[..]
            } else {
                &[]
            };
            writer
                .write_record(row.iter().chain(effective))
                .map_err(Error::csv)?;
        }
    }
    writer.flush().map_err(Error::io)
}

/// The change report as written: the schema first, then its own fields.
#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    #[serde(flatten)]
    changes: &'a Changes,
}

/// Writes change tests as pretty JSON of the [`CHANGES_SCHEMA`] schema,
/// with `"schema": "cx.changes/1"` first; deserializing it (without the
/// schema field) as a [`Changes`] gives the value back.
///
/// # Errors
///
/// An [`Error`](crate::Error) of kind [`Io`](crate::ErrorKind::Io) if the
/// output cannot be written.
///
/// # Example
///
/// ```
/// use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
/// use cx_score::{ChangeOptions, Dimension, Pairs, ScoreConfig, ScorecardAccumulator};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store).target(4.0)))
///     .build()?;
/// let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?
///     .breakdown_by(Dimension::Segment);
/// for (respondent, reality, segment) in [("a", 2.0, "new"), ("b", 3.0, "new"), ("c", 4.0, "old"), ("d", 5.0, "old")] {
///     scorer.try_push(&Observation::new(respondent, "till", reality).with_segment(segment))?;
/// }
/// let pairs = Pairs::Named(vec![("new".into(), "old".into())]);
/// let changes = cx_score::compare_groups(&scorer.finish(), &ChangeOptions::new(Dimension::Segment, pairs))?;
///
/// let mut out = Vec::new();
/// cx_report::write_changes_json(&changes, &mut out)?;
/// let value: serde_json::Value = serde_json::from_slice(&out)?;
/// assert_eq!(value["schema"], "cx.changes/1");
/// assert_eq!(value["adjustment"], "holm");
/// let gap = &value["comparisons"][0]["tests"][8];
/// assert_eq!(gap["measure"], "mean_gap");
/// assert_eq!(gap["result"]["test"], "mean");
/// assert_eq!(gap["result"]["difference"], 2.0);
/// let back: cx_score::Changes = serde_json::from_slice(&out)?;
/// assert_eq!(back, changes);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_changes_json<W: Write>(changes: &Changes, output: W) -> Result<()> {
    let document = Document {
        schema: CHANGES_SCHEMA,
        changes,
    };
    let mut output = std::io::BufWriter::new(output);
    serde_json::to_writer_pretty(&mut output, &document).map_err(Error::json)?;
    output.write_all(b"\n").map_err(Error::io)?;
    output.flush().map_err(Error::io)
}
