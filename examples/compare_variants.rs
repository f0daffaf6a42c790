//! Defines a scoring variant of one's own and compares it with the
//! built-ins on the bundled sample: which way of scoring the journey best
//! predicts whether a customer would come back?
//!
//! Run with `cargo run --release --example compare_variants`.

use cx::io::{ErrorPolicy, JourneyFile, Record, ResponseReaderBuilder};
use cx::model::LoyaltyQuestion;
use cx::score::research::{CompareOptions, ScoringVariant, SurveyData, Target, Variant, compare};
use cx::score::{JourneyAggregation, ThresholdPolicy, TouchpointScoreInput, TrafficLightPolicy};

/// Moments of truth count three times as much: the journey is judged by its
/// make-or-break contacts. A few lines are all a variant needs.
struct MomentsFirst {
    policy: ThresholdPolicy,
    moments_of_truth: Vec<usize>,
}

impl JourneyAggregation for MomentsFirst {
    fn name(&self) -> &str {
        "moments_first"
    }

    fn aggregate(&self, scores: &[TouchpointScoreInput]) -> Option<f64> {
        let weight = |s: &TouchpointScoreInput| {
            if self.moments_of_truth.contains(&s.index) {
                3.0
            } else {
                1.0
            }
        };
        let total: f64 = scores.iter().map(weight).sum();
        (total > 0.0).then(|| scores.iter().map(|s| weight(s) * s.score).sum::<f64>() / total)
    }
}

impl ScoringVariant for MomentsFirst {
    fn name(&self) -> &str {
        "moments_first"
    }
    fn policy(&self) -> &dyn TrafficLightPolicy {
        &self.policy
    }
    fn aggregation(&self) -> &dyn JourneyAggregation {
        self
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let journey = JourneyFile::read("examples/data/retail.toml")?;
    let mut data = SurveyData::new(journey.journey.clone());
    ResponseReaderBuilder::new()
        .error_policy(ErrorPolicy::Strict)
        .from_path("examples/data/retail_responses.csv", &journey)?
        .read_all(|record| {
            // Rejections are counted in `data.rejected()`.
            let _ = match record {
                Record::Observation(observation) => data.push(&observation),
                Record::Outcome(outcome) => data.push_outcome(&outcome),
            };
        })?;

    let mine = MomentsFirst {
        policy: ThresholdPolicy::default(),
        moments_of_truth: journey
            .journey
            .touchpoints()
            .enumerate()
            .filter(|(_, t)| t.moment_of_truth)
            .map(|(index, _)| index)
            .collect(),
    };
    let builtins: Vec<Variant> = ["default", "weakest_link", "peak_end"]
        .iter()
        .filter_map(|name| Variant::builtin(name))
        .collect();
    let mut variants: Vec<&dyn ScoringVariant> = vec![&mine];
    variants.extend(builtins.iter().map(|v| v as &dyn ScoringVariant));

    let options = CompareOptions::new(Target::Question(LoyaltyQuestion::WouldReturn));
    let comparison = compare(&data, &variants, &options)?;
    println!(
        "Predicting \"would come back\" for {} respondents ({} bootstrap resamples, seed {}):\n",
        comparison.respondents, comparison.resamples, comparison.seed
    );
    for variant in &comparison.variants {
        let (auc, ci) = (variant.auc.unwrap_or(f64::NAN), variant.auc_ci);
        let ci = ci.map_or(String::new(), |ci| {
            format!("[{:.3}, {:.3}]", ci.lower, ci.upper)
        });
        println!("  {:<14} AUC {auc:.3} {ci}", variant.name);
    }
    println!();
    for pair in comparison.pairs.iter().filter(|p| p.a == "moments_first") {
        let verdict = match pair.auc_difference_ci {
            Some(ci) if ci.lower > 0.0 => "predicts better than",
            Some(ci) if ci.upper < 0.0 => "predicts worse than",
            _ => "cannot be told apart from",
        };
        println!(
            "  moments_first {verdict} {} (AUC difference {:+.3}); lights agree on {:.0}% of touchpoints",
            pair.b,
            pair.auc_difference.unwrap_or(f64::NAN),
            100.0 * pair.lights.raw.unwrap_or(f64::NAN)
        );
    }
    Ok(())
}
