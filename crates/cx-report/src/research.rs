//! Comparisons of scoring variants and driver analyses as aligned text.

use std::fmt::Write as _;
use std::io::Write;

use cx_score::research::{Comparison, Driver, DriverAnalysis, MatrixStatus, PairResult};
use cx_score::{Interval, TrafficLight};

use crate::error::Result;
use crate::output::write_text;

/// A number to `digits` decimals, or `-` when it is absent.
fn option(value: Option<f64>, digits: usize) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.digits$}"))
}

/// An interval to `digits` decimals, or nothing when it is absent.
fn interval(ci: Option<Interval>, digits: usize) -> String {
    ci.map_or_else(String::new, |ci| {
        format!("[{:.digits$}, {:.digits$}]", ci.lower, ci.upper)
    })
}

/// What a pair's figures do not show: that they are equal by
/// construction, or computed on fewer respondents than its variants'.
pub(crate) fn pair_notes(comparison: &Comparison, pair: &PairResult) -> Vec<String> {
    let mut notes = Vec::new();
    let variant = |name: &str| comparison.variants.iter().find(|v| v.name == name);
    if pair.same_lights_by_construction {
        notes.push(format!(
            "same lights by construction (policy {}, same expectations and margins): \
             agreement, kappa and rank rho of 1 are not findings",
            variant(&pair.a).map_or("", |v| v.policy.as_str())
        ));
    }
    if pair.same_scores_by_construction {
        notes.push(format!(
            "same journey scores by construction (aggregation {}, same expectations): \
             an AUC difference of 0 is not a finding",
            variant(&pair.a).map_or("", |v| v.aggregation.as_str())
        ));
    }
    let scored = |name: &str| variant(name).map_or(0, |v| v.scored);
    if pair.respondents == 0 {
        notes.push("no respondent is scored by both: no AUC difference".to_owned());
    } else if pair.respondents < scored(&pair.a).max(scored(&pair.b)) {
        let size = pair
            .respondents_weighted
            .map_or_else(String::new, |w| format!(" (n_eff {:.1})", w.effective_n));
        notes.push(format!(
            "AUC difference on the {} respondents both score{size}",
            pair.respondents
        ));
    }
    notes
}

/// Why a touchpoint has no weight, or what its weight rests on; empty
/// when there is nothing to say.
pub(crate) fn driver_note(analysis: &DriverAnalysis, driver: &Driver) -> String {
    if driver.below_min_sample {
        let size = driver.weighted.map_or_else(
            || driver.n.to_string(),
            |w| format!("n_eff {:.1}", w.effective_n),
        );
        return format!(
            "below the minimum sample ({size} < {}): no weight, quadrant or flag",
            analysis.min_sample
        );
    }
    if let Some(withheld) = &analysis.weights_withheld {
        return format!("no weight: {}", withheld_text(analysis, withheld));
    }
    let collinear = collinear_with(analysis, &driver.id);
    if !collinear.is_empty() {
        return format!("collinear with {}: weight unstable", collinear.join(", "));
    }
    String::new()
}

/// The other touchpoints of every collinear set `id` is in, in order.
pub(crate) fn collinear_with<'a>(analysis: &'a DriverAnalysis, id: &str) -> Vec<&'a str> {
    let mut others: Vec<&str> = Vec::new();
    let sets = analysis.conditioning.iter().flat_map(|c| &c.collinear);
    for set in sets.filter(|set| set.iter().any(|member| member == id)) {
        for member in set.iter().filter(|member| *member != id) {
            if !others.contains(&member.as_str()) {
                others.push(member);
            }
        }
    }
    others
}

/// Why the weights are withheld, with the matrix's condition when that is
/// why.
fn withheld_text(
    analysis: &DriverAnalysis,
    withheld: &cx_score::research::WeightsWithheld,
) -> String {
    match (&analysis.conditioning, withheld) {
        (Some(c), cx_score::research::WeightsWithheld::Matrix) => {
            format!("the touchpoints' correlation matrix is {}", c.status.name())
        }
        _ => withheld.to_string(),
    }
}

/// The analysis's notes: weights withheld, collinear touchpoints, what
/// "significant" means.
pub(crate) fn analysis_notes(analysis: &DriverAnalysis) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(withheld) = &analysis.weights_withheld {
        notes.push(format!(
            "no relative weights: {}",
            withheld_text(analysis, withheld)
        ));
    }
    if let Some(c) = &analysis.conditioning {
        let index = c
            .condition_index
            .map_or_else(|| "infinite".to_owned(), |i| format!("{i:.1}"));
        for set in &c.collinear {
            notes.push(format!(
                "collinear touchpoints ({}, condition index {index}, smallest eigenvalue {:.3e}; \
                 limit 30): {}",
                c.status.name(),
                c.smallest_eigenvalue,
                set.join(", ")
            ));
        }
        if c.status == MatrixStatus::NotPositiveSemiDefinite {
            notes.push(
                "pairwise correlations that no one set of respondents could give: try --listwise"
                    .to_owned(),
            );
        }
    }
    let below = analysis
        .drivers
        .iter()
        .filter(|d| d.below_min_sample)
        .count();
    if below > 0 && analysis.weighted {
        notes.push(format!(
            "{below} touchpoint(s) whose respondents with the outcome have an effective \
             sample size below {}: shown, not weighted",
            analysis.min_sample
        ));
    } else if below > 0 {
        notes.push(format!(
            "{below} touchpoint(s) rated by fewer than {} respondents with the outcome: \
             shown, not weighted",
            analysis.min_sample
        ));
    }
    if analysis.drivers.iter().any(|d| d.significant.is_some()) {
        notes.push(format!(
            "sig: the {:.0}% bootstrap interval of the touchpoint's raw weight minus that of a \
             random variable lies above 0 (Tonidandel, LeBreton and Johnson 2009)",
            100.0 * analysis.confidence
        ));
    }
    notes
}

/// Writes a comparison as aligned text: a title line with the outcome,
/// respondents and bootstrap, then a row per variant (respondents it
/// scores, ROC AUC with its interval, point-biserial, Spearman, and how
/// many cells each light got) and a row per pair (respondents both score,
/// light agreement raw and as Cohen's kappa, linearly weighted kappa, rank
/// correlation of the opportunities, AUC difference with its interval),
/// then notes: a variant that scores nobody, and pairs whose lights or
/// journey scores are the same by construction.
///
/// Weighted, a line under the title says so (with the respondents'
/// effective sample size), and an `n_eff` column (Kish's effective sample
/// size of the respondents counted in `n`) follows `n` in both tables;
/// unweighted, the table is as before.
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
/// use cx_score::research::{compare, CompareOptions, ScoringVariant, SurveyData, Target, Variant};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store).target(3.0)))
///     .build()?;
/// let mut data = SurveyData::new(journey);
/// for r in 0..10 {
///     let id = format!("r{r}");
///     data.push(&Observation::new(id.as_str(), "till", f64::from(1 + r % 5)))?;
///     data.push_outcome(&Outcome::new(id.as_str()).with_answer(LoyaltyQuestion::ExpectationsMet, Answer::from(r % 5 > 1)))?;
/// }
/// let (default, share) = (Variant::builtin("default").ok_or("default")?, Variant::builtin("share").ok_or("share")?);
/// let variants: [&dyn ScoringVariant; 2] = [&default, &share];
/// let options = CompareOptions { resamples: 0, ..CompareOptions::new(Target::Question(LoyaltyQuestion::ExpectationsMet)) };
/// let comparison = compare(&data, &variants, &options)?;
///
/// let mut out = Vec::new();
/// cx_report::write_comparison_table(&comparison, &mut out)?;
/// let table = String::from_utf8(out)?;
/// assert!(table.starts_with("predicting expectations_met from each variant's journey score: 10 respondents,"));
/// assert!(table.contains("\n  default             10  1.0000 "));
/// assert!(table.contains("\n  default vs share "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_comparison_table<W: Write>(comparison: &Comparison, output: W) -> Result<()> {
    let mut out = format!(
        "predicting {} from each variant's journey score: {} respondents, {} bootstrap resamples (seed {}{})\n\n",
        comparison.target,
        comparison.respondents,
        comparison.resamples,
        comparison.seed,
        if comparison.resamples_skipped > 0 {
            format!(", {} skipped", comparison.resamples_skipped)
        } else {
            String::new()
        }
    );
    if let Some(everyone) = comparison.respondents_weighted {
        let _ = writeln!(
            out,
            "weighted by respondent (n_eff {:.1} of {} respondents): n counts respondents; n_eff, \
             Kish's effective sample size (Σw)²/Σw², is what they are worth; each variant's \
             lights are its weighted scorecard's, a cell lit when its n_eff reaches the minimum \
             sample\n",
            everyone.effective_n, comparison.respondents
        );
    }
    // Weighted, Kish's effective sample size follows n.
    let n_eff = |size: Option<Option<cx_score::Weighted>>| match size {
        None if comparison.weighted => format!(" {:>7}", "n_eff"),
        Some(w) if comparison.weighted => {
            format!(
                " {:>7}",
                w.map_or_else(String::new, |w| format!("{:.1}", w.effective_n))
            )
        }
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "  {:<14} {:>7}{} {:>7} {:<18} {:>8} {:>8}  lights G/Y/R/-",
        "variant",
        "n",
        n_eff(None),
        "AUC",
        "95% CI",
        "r_pb",
        "rho"
    );
    let mut notes = Vec::new();
    for v in &comparison.variants {
        let count =
            |wanted: Option<TrafficLight>| v.lights.iter().filter(|l| **l == wanted).count();
        let _ = writeln!(
            out,
            "  {:<14} {:>7}{} {:>7} {:<18} {:>8} {:>8}  {}/{}/{}/{}",
            v.name,
            v.scored,
            n_eff(Some(v.scored_weighted)),
            option(v.auc, 4),
            interval(v.auc_ci, 4),
            option(v.point_biserial, 4),
            option(v.spearman, 4),
            count(Some(TrafficLight::Green)),
            count(Some(TrafficLight::Yellow)),
            count(Some(TrafficLight::Red)),
            count(None),
        );
        if let Some(note) = v.note {
            notes.push(format!("{}: {note}", v.name));
        }
    }
    let _ = writeln!(
        out,
        "\n  {:<28} {:>7}{} {:>6} {:>7} {:>9} {:>8} {:>9} {:<20}",
        "pair",
        "n",
        n_eff(None),
        "agree",
        "kappa",
        "w.kappa",
        "rank rho",
        "AUC diff",
        "95% CI"
    );
    for pair in &comparison.pairs {
        let name = format!("{} vs {}", pair.a, pair.b);
        let _ = writeln!(
            out,
            "  {:<28} {:>7}{} {:>6} {:>7} {:>9} {:>8} {:>9} {:<20}",
            name,
            pair.respondents,
            n_eff(Some(pair.respondents_weighted)),
            option(pair.lights.raw, 3),
            option(pair.lights.kappa, 3),
            option(pair.lights.weighted_kappa, 3),
            option(pair.rank_correlation, 3),
            option(pair.auc_difference, 4),
            interval(pair.auc_difference_ci, 4),
        );
        notes.extend(
            pair_notes(comparison, pair)
                .into_iter()
                .map(|note| format!("{name}: {note}")),
        );
    }
    write_notes(&mut out, &notes);
    write_text(&out, output)
}

/// Appends a notes section, if there are notes.
fn write_notes(out: &mut String, notes: &[String]) {
    if !notes.is_empty() {
        out.push_str("\nnotes:\n");
        for note in notes {
            let _ = writeln!(out, "  - {note}");
        }
    }
}

/// Writes a driver analysis as aligned text, strongest relative weight
/// first: a title line with the outcome, respondents, R², the deletion of
/// missing ratings and the minimum sample, then per touchpoint its n,
/// Pearson and Spearman correlations, relative weight with its interval,
/// whether it is significant (`yes`, `no`, `-` without a bootstrap), mean
/// reality, importance-performance quadrant and flags (a moment of truth,
/// one that drives like a moment of truth but is not marked as one, too
/// few answers to be weighted, collinear touchpoints), then notes: why
/// weights are withheld, collinear sets with the condition index, and what
/// `sig` tests.
///
/// Weighted, a line under the title says so (with the respondents'
/// effective sample size), and an `n_eff` column (Kish's effective sample
/// size, which the minimum goes by) follows `n`; unweighted, the table is
/// as before.
///
/// # Errors
///
/// An [`Error`](crate::Error) of kind [`Io`](crate::ErrorKind::Io) if the output cannot be
/// written.
///
/// # Example
///
/// ```
/// use cx_model::{Channel, Journey, Observation, Outcome, Scale, Stage, Touchpoint};
/// use cx_score::research::{drivers, DriverOptions, SurveyData, Target};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
///     .build()?;
/// let mut data = SurveyData::new(journey);
/// for r in 0..10 {
///     let id = format!("r{r}");
///     data.push(&Observation::new(id.as_str(), "till", f64::from(1 + r % 5)))?;
///     data.push_outcome(&Outcome::new(id.as_str()).with_likelihood_to_recommend(f64::from(2 * (r % 5))))?;
/// }
/// let options = DriverOptions { resamples: 0, min_respondents: 10, min_sample: 10, ..DriverOptions::new(Target::Nps) };
/// let analysis = drivers(&data, &options)?;
///
/// let mut out = Vec::new();
/// cx_report::write_drivers_table(&analysis, &mut out)?;
/// let table = String::from_utf8(out)?;
/// assert!(table.starts_with("drivers of nps: 10 respondents, R² 1.000 "));
/// assert!(table.contains("\n  Till            10   1.000   1.000 100.0% "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_drivers_table<W: Write>(analysis: &DriverAnalysis, output: W) -> Result<()> {
    let mut out = format!(
        "drivers of {}: {} respondents, R² {} (Johnson's relative weights, {} deletion on {} respondents, \
         minimum {} per touchpoint, {} bootstrap resamples, seed {})\n\n",
        analysis.target,
        analysis.respondents,
        option(analysis.r_squared, 3),
        analysis.missing.name(),
        analysis.weight_respondents,
        analysis.min_sample,
        analysis.resamples,
        analysis.seed
    );
    if let Some(everyone) = analysis.respondents_weighted {
        let _ = writeln!(
            out,
            "weighted by respondent (n_eff {:.1} of {} respondents): n counts respondents; n_eff, \
             Kish's effective sample size (Σw)²/Σw², takes n's place in the minimum sample\n",
            everyone.effective_n, analysis.respondents
        );
    }
    // Weighted, Kish's effective sample size follows n.
    let n_eff = |text: String| {
        if analysis.weighted {
            format!(" {text:>7}")
        } else {
            String::new()
        }
    };
    let width = analysis
        .drivers
        .iter()
        .map(|d| d.name.chars().count())
        .max()
        .unwrap_or(10)
        .max(10);
    let _ = writeln!(
        out,
        "  {:<width$} {:>7}{} {:>7} {:>7} {:>6} {:<15} {:>3} {:>5}  {:<22} flags",
        "touchpoint",
        "n",
        n_eff("n_eff".to_owned()),
        "r",
        "rho",
        "weight",
        "95% CI",
        "sig",
        "mean",
        "quadrant"
    );
    let mut order: Vec<&Driver> = analysis.drivers.iter().collect();
    order.sort_by(|a, b| {
        b.relative_weight
            .unwrap_or(-1.0)
            .total_cmp(&a.relative_weight.unwrap_or(-1.0))
    });
    for d in order {
        let mut flags = Vec::new();
        if d.moment_of_truth {
            flags.push("moment of truth".to_owned());
        }
        if d.unmarked_moment_of_truth {
            flags.push("drives like a moment of truth, not marked".to_owned());
        }
        if d.below_min_sample {
            let size = if analysis.weighted { "n_eff" } else { "n" };
            flags.push(format!(
                "{size} below {}: not weighted",
                analysis.min_sample
            ));
        }
        let collinear = collinear_with(analysis, &d.id);
        if !collinear.is_empty() {
            flags.push(format!("collinear with {}", collinear.join(", ")));
        }
        let weight = d
            .relative_weight
            .map_or_else(|| "-".to_owned(), |w| format!("{w:.1}%"));
        let significant = match d.significant {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        let _ = writeln!(
            out,
            "  {:<width$} {:>7}{} {:>7} {:>7} {:>6} {:<15} {:>3} {:>5}  {:<22} {}",
            d.name,
            d.n,
            n_eff(
                d.weighted
                    .map_or_else(String::new, |w| format!("{:.1}", w.effective_n))
            ),
            option(d.pearson, 3),
            option(d.spearman, 3),
            weight,
            interval(d.relative_weight_ci, 1),
            significant,
            option(d.mean_reality, 2),
            d.quadrant.map_or("-", |q| q.name()),
            flags.join("; ")
        );
    }
    write_notes(&mut out, &analysis_notes(analysis));
    write_text(&out, output)
}
