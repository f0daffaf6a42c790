//! A sample retail journey and a seeded generator of synthetic responses,
//! so that everything can be tried without real data.

use std::io::Write;

use chrono::{DateTime, Duration, Utc};
use cx_model::{Answer, Emotion, LoyaltyQuestion, Observation, Outcome, Valence};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::Result;
use crate::journey_file::{JourneyFile, JourneyFormat};
use crate::write::LongCsvWriter;

/// The sample retail purchase journey, as a commented TOML journey file.
pub const RETAIL_JOURNEY_TOML: &str = r#"# A retail purchase journey: from first noticing the shop to after-sales.
# Read by `cx score`, `cx report` and `cx_io::JourneyFile::read`.

name = "Retail purchase"

# Ratings of expectation and reality are on 1..=5
# (1 = very poor, 5 = excellent).
[scale]
min = 1
max = 5

# Stages come in the order the customer lives them; so do the touchpoints
# inside each stage. The first touchpoint of the first stage is the first
# contact; the last of the last stage is the last contact.

[[stages]]
name = "Discover"

[[stages.touchpoints]]
id = "shop_window"             # unique; survey rows refer to it
name = "Shop window"
channel = "store"              # web, app, phone, email, chat, store, delivery,
                               # social, or any other text
target = 3                     # expectation assumed when a respondent gave none

[[stages.touchpoints]]
id = "website"
name = "Website"
channel = "web"
target = 4

[[stages.touchpoints]]
id = "social_ad"
name = "Social media ad"
channel = "social"
weight = 0.5                   # counts half in weighted journey scores

[[stages]]
name = "Get advice"

[[stages.touchpoints]]
id = "booking_call"
name = "Booking call"
channel = "phone"

[[stages.touchpoints]]
id = "advice"
name = "Advice in store"
channel = "store"
moment_of_truth = true         # weighs most: mark the contacts that make or
weight = 2                     # break the relationship

[[stages]]
name = "Buy"

[[stages.touchpoints]]
id = "cashier"
name = "Cashier"
channel = "store"
moment_of_truth = true
weight = 2

[[stages.touchpoints]]
id = "payment"
name = "Online payment"
channel = "web"
target = 4

[[stages]]
name = "Receive"

[[stages.touchpoints]]
id = "delivery"
name = "Delivery"
channel = "delivery"
moment_of_truth = true
weight = 2
target = 4

[[stages]]
name = "After-sales"

[[stages.touchpoints]]
id = "support_chat"
name = "Support chat"
channel = "chat"

[[stages.touchpoints]]
id = "returns"
name = "Returns"
channel = "email"
"#;

/// How many respondents the bundled `examples/data/retail_responses.csv` has.
pub const SAMPLE_RESPONDENTS: usize = 800;

/// The seed of the bundled `examples/data/retail_responses.csv`.
pub const SAMPLE_SEED: u64 = 2024;

/// The sample journey file, parsed.
///
/// # Errors
///
/// None in practice: the text is checked by the crate's tests.
pub fn retail_journey() -> Result<JourneyFile> {
    JourneyFile::parse(RETAIL_JOURNEY_TOML, JourneyFormat::Toml)
}

/// How good each sample touchpoint really is, on 1..=5, and how often
/// respondents meet it.
const QUALITY: [(&str, f64, f64); 10] = [
    ("shop_window", 3.9, 0.8),
    ("website", 3.6, 0.9),
    ("social_ad", 3.0, 0.5),
    ("booking_call", 3.4, 0.4),
    ("advice", 4.3, 0.7),
    ("cashier", 3.1, 0.8),
    ("payment", 4.0, 0.5),
    ("delivery", 2.9, 0.7),
    ("support_chat", 3.3, 0.35),
    ("returns", 2.6, 0.2),
];

const SEGMENTS: [(&str, f64); 3] = [("new", -0.2), ("returning", 0.25), ("business", 0.0)];

const COMMENTS: [&str; 4] = [
    "Had to wait far too long",
    "Friendly and quick, thanks!",
    "Fine, nothing special",
    "Staff said \"no idea\", then found it",
];

fn rating(rng: &mut ChaCha8Rng, centre: f64, spread: f64) -> f64 {
    let noise: f64 = rng.random_range(-spread..spread) + rng.random_range(-spread..spread);
    (centre + noise / 2.0).round().clamp(1.0, 5.0)
}

fn emotion_for(rng: &mut ChaCha8Rng, gap: f64) -> Emotion {
    let wanted = if gap >= 0.0 {
        Valence::Positive
    } else {
        Valence::Negative
    };
    let choices: Vec<Emotion> = Emotion::ALL
        .into_iter()
        .filter(|e| e.valence() == wanted)
        .collect();
    choices[rng.random_range(0..choices.len())]
}

/// Writes `respondents` synthetic respondents of the sample journey as
/// long-layout CSV and returns how many observation rows were written.
/// The same seed gives the same bytes on every machine.
///
/// Each respondent has a segment, meets each touchpoint with a fixed
/// probability (in journey order, minutes apart from a random start in the
/// first half of 2024), gives an expectation nine times in ten (else the
/// touchpoint's target applies), reports an emotion seven times in ten, and
/// answers the loyalty questions, likelihood to recommend and effort on
/// their last row, in line with how the journey went.
///
/// # Errors
///
/// The output's error.
pub fn write_synthetic_responses(
    output: impl Write,
    respondents: usize,
    seed: u64,
) -> Result<u64, csv::Error> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut writer = LongCsvWriter::new(output)?;
    let start_of_2024: DateTime<Utc> =
        DateTime::from_timestamp(1_704_067_200, 0).unwrap_or_default();
    let mut rows = 0;
    for respondent in 1..=respondents {
        let id = format!("R{respondent:05}");
        let (segment, lift) = SEGMENTS[rng.random_range(0..SEGMENTS.len())];
        let mut when = start_of_2024
            + Duration::days(rng.random_range(0..182))
            + Duration::minutes(rng.random_range(8 * 60..20 * 60));
        let mut met: Vec<Observation> = Vec::new();
        let mut total_gap = 0.0;
        for (index, (touchpoint, quality, reach)) in QUALITY.iter().enumerate() {
            // Everyone sees at least the shop window.
            if index > 0 && rng.random_range(0.0..1.0) > *reach {
                continue;
            }
            let expectation = rating(&mut rng, 3.7, 1.4);
            let reality = rating(&mut rng, quality + lift, 1.8);
            total_gap += reality - expectation;
            let mut observation = Observation::new(id.as_str(), *touchpoint, reality)
                .with_segment(segment)
                .with_timestamp(when);
            if rng.random_range(0.0..1.0) < 0.9 {
                observation.expectation = Some(expectation);
            }
            if rng.random_range(0.0..1.0) < 0.7 {
                observation.emotion = Some(emotion_for(&mut rng, reality - expectation));
            }
            if rng.random_range(0.0..1.0) < 0.03 {
                observation.comment =
                    Some(COMMENTS[rng.random_range(0..COMMENTS.len())].to_owned());
            }
            met.push(observation);
            when += Duration::minutes(rng.random_range(5..600));
        }
        let mood = total_gap / met.len().max(1) as f64 + rng.random_range(-0.7..0.7);
        let mut outcome = Outcome::new(id.as_str())
            .with_answer(LoyaltyQuestion::ExpectationsMet, Answer::from(mood > -0.4))
            .with_answer(LoyaltyQuestion::WouldReturn, Answer::from(mood > -0.9))
            .with_answer(LoyaltyQuestion::WouldRecommend, Answer::from(mood > -0.2))
            .with_likelihood_to_recommend((7.0 + 2.5 * mood).round().clamp(0.0, 10.0))
            .with_effort((4.0 - 1.5 * mood).round().clamp(1.0, 7.0));
        if rng.random_range(0.0..1.0) < 0.05 {
            // Some respondents skip the loyalty questions.
            outcome.would_recommend = Answer::NotAnswered;
        }
        let last = met.len().saturating_sub(1);
        for (position, observation) in met.iter().enumerate() {
            writer.write(observation, (position == last).then_some(&outcome))?;
            rows += 1;
        }
    }
    writer.flush()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_journey_parses_and_matches_the_quality_table() {
        let file = retail_journey().unwrap();
        let ids: Vec<&str> = file.journey.touchpoints().map(|t| t.id.as_str()).collect();
        let table: Vec<&str> = QUALITY.iter().map(|(id, _, _)| *id).collect();
        assert_eq!(ids, table);
        assert_eq!(file.journey.stages().len(), 5);
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let generate = |seed| {
            let mut out = Vec::new();
            write_synthetic_responses(&mut out, 50, seed).unwrap();
            out
        };
        assert_eq!(generate(1), generate(1));
        assert_ne!(generate(1), generate(2));
    }
}
