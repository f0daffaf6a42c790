//! Scores a small synthetic journey and prints each touchpoint's traffic
//! light, the three loyalty questions and NPS.
//!
//! Run with `cargo run --release --example score_journey [SEED]`; the same
//! seed always gives the same numbers.

use cx::model::{
    Answer, Channel, Journey, LoyaltyQuestion, Observation, Outcome, Scale, Stage, Touchpoint,
};
use cx::score::{ScoreConfig, ScorecardAccumulator};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A coffee-shop journey; each touchpoint has a hidden "true quality" that
/// the synthetic respondents' ratings scatter around.
fn journey() -> Result<(Journey, Vec<f64>), cx::model::Error> {
    let touchpoints = [
        (
            "Find us",
            "window",
            "Shop window",
            Channel::Store,
            false,
            4.2,
        ),
        ("Find us", "app", "Ordering app", Channel::App, false, 3.6),
        ("Order", "queue", "Queue", Channel::Store, false, 2.9),
        ("Order", "barista", "Barista", Channel::Store, true, 4.4),
        ("Enjoy", "coffee", "Coffee", Channel::Store, true, 3.3),
        ("Enjoy", "seat", "Seating", Channel::Store, false, 3.8),
    ];
    let mut stages: Vec<Stage> = Vec::new();
    let mut quality = Vec::new();
    for (stage, id, name, channel, moment_of_truth, true_quality) in touchpoints {
        if stages.last().is_none_or(|last| last.name != stage) {
            stages.push(Stage::new(stage));
        }
        let touchpoint = Touchpoint::new(id, name, channel).moment_of_truth(moment_of_truth);
        if let Some(last) = stages.pop() {
            stages.push(last.touchpoint(touchpoint));
        }
        quality.push(true_quality);
    }
    Ok((
        Journey::new("Coffee shop", Scale::LIKERT_5, stages)?,
        quality,
    ))
}

/// A rating near `centre`, rounded to the 1..=5 scale.
fn rating(rng: &mut ChaCha8Rng, centre: f64) -> f64 {
    let noise: f64 = rng.random_range(-1.5..1.5);
    (centre + noise).round().clamp(1.0, 5.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seed = std::env::args()
        .nth(1)
        .map(|arg| arg.parse::<u64>())
        .transpose()?
        .unwrap_or(7);
    let (journey, quality) = journey()?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut scorer = ScorecardAccumulator::new(journey.clone(), ScoreConfig::default())?;

    for respondent in 0..400 {
        let id = format!("r{respondent}");
        let mut total_gap = 0.0;
        for (touchpoint, &true_quality) in journey.touchpoints().zip(&quality) {
            let expectation = rating(&mut rng, 3.8);
            let reality = rating(&mut rng, true_quality);
            total_gap += reality - expectation;
            scorer.try_push(
                &Observation::new(&id, &touchpoint.id, reality).with_expectation(expectation),
            )?;
        }
        // Loyalty follows the experience, with noise.
        let mood = total_gap / 6.0 + rng.random_range(-0.8..0.8);
        let likelihood = (7.5 + 3.0 * mood).round().clamp(0.0, 10.0);
        let outcome = Outcome::new(&id)
            .with_answer(LoyaltyQuestion::ExpectationsMet, Answer::from(mood > -0.5))
            .with_answer(LoyaltyQuestion::WouldReturn, Answer::from(mood > -0.9))
            .with_answer(LoyaltyQuestion::WouldRecommend, Answer::from(mood > -0.3))
            .with_likelihood_to_recommend(likelihood);
        scorer.try_push_outcome(&outcome)?;
    }

    let card = scorer.finish();
    println!(
        "{} (seed {seed}, {} respondents)\n",
        card.journey, card.overall.outcomes
    );
    println!("light  touchpoint      n    mean gap (95% CI)           met   WOW   marks");
    for touchpoint in &card.overall.touchpoints {
        let gap = &touchpoint.stats.gap;
        let light = touchpoint.light.map_or("-", |light| light.letter());
        let mean = gap.points.mean.unwrap_or(f64::NAN);
        let ci = gap.points.ci.map_or(String::from("-"), |ci| {
            format!("[{:+.2}, {:+.2}]", ci.lower, ci.upper)
        });
        let marks = cx::model::contact_marks(
            touchpoint.first_contact,
            touchpoint.last_contact,
            touchpoint.moment_of_truth,
        );
        println!(
            "  {light}    {:<14} {:>4}  {mean:+.2} {ci:<18}  {:>4.0}% {:>4.0}%  {}",
            touchpoint.name,
            gap.n,
            100.0 * gap.met.share.unwrap_or(f64::NAN),
            100.0 * gap.wow.share.unwrap_or(f64::NAN),
            marks.join(", ")
        );
    }

    println!(
        "\nLoyalty (target: more than {:.0}% yes)",
        100.0 * card.overall.loyalty.target
    );
    for question in &card.overall.loyalty.questions {
        let share = question.yes.share.unwrap_or(f64::NAN);
        let ci = question.yes.ci.map_or(String::from("-"), |ci| {
            format!("[{:.1}%, {:.1}%]", 100.0 * ci.lower, 100.0 * ci.upper)
        });
        println!(
            "  {:<28} {:>5.1}% yes {ci:<18} {}",
            question.question.question(),
            100.0 * share,
            question.verdict
        );
    }
    println!(
        "  verdict: {} (point rule: {})",
        card.overall.loyalty.verdict,
        if card.overall.loyalty.point_rule_on_track {
            "met"
        } else {
            "not met"
        }
    );

    let nps = &card.overall.nps;
    if let (Some(score), Some(ci)) = (nps.nps, nps.ci) {
        println!(
            "\nNPS {score:+.1} [{:+.1}, {:+.1}] {} ({} promoters, {} passives, {} detractors)",
            ci.lower,
            ci.upper,
            nps.interval.name(),
            nps.promoters,
            nps.passives,
            nps.detractors
        );
    }

    println!("\nOpportunities for improvement");
    for opportunity in &card.overall.opportunities {
        println!(
            "  {}. {:<14} {}  impact {:.1}",
            opportunity.rank,
            opportunity.name,
            opportunity.light.letter(),
            opportunity.impact
        );
    }
    Ok(())
}
