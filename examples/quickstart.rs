//! Builds a small retail journey in code and prints it, stage by stage.
//!
//! Run with `cargo run --release --example quickstart`.

use cx::model::{Channel, Error, Journey, Scale, Stage, Touchpoint};

fn retail_journey() -> Result<Journey, Error> {
    Journey::builder("Retail purchase", Scale::LIKERT_5)
        .stage(
            Stage::new("Learn about the product")
                .touchpoint(
                    Touchpoint::new("shop_window", "Shop window", Channel::Store).target(3.0),
                )
                .touchpoint(Touchpoint::new("website", "Website", Channel::Web).target(4.0)),
        )
        .stage(
            Stage::new("Get advice")
                .touchpoint(Touchpoint::new(
                    "booking_call",
                    "Booking call",
                    Channel::Phone,
                ))
                .touchpoint(
                    Touchpoint::new("advice", "Advice in store", Channel::Store)
                        .moment_of_truth(true)
                        .weight(2.0),
                ),
        )
        .stage(
            Stage::new("Buy")
                .touchpoint(
                    Touchpoint::new("cashier", "Cashier", Channel::Store)
                        .moment_of_truth(true)
                        .weight(2.0),
                )
                .touchpoint(Touchpoint::new("delivery", "Delivery", Channel::Delivery).target(4.0)),
        )
        .stage(Stage::new("After-sales").touchpoint(Touchpoint::new(
            "support",
            "Support chat",
            Channel::Chat,
        )))
        .build()
}

fn main() -> Result<(), Error> {
    let journey = retail_journey()?;
    println!(
        "{} — {} stages, {} touchpoints, scale {}",
        journey.name(),
        journey.stages().len(),
        journey.touchpoint_count(),
        journey.scale()
    );
    let mut index = 0;
    for stage in journey.stages() {
        println!("\n{}", stage.name);
        for touchpoint in &stage.touchpoints {
            let marks = cx::model::contact_marks(
                journey.is_first(index),
                journey.is_last(index),
                touchpoint.moment_of_truth,
            );
            let target = touchpoint
                .target
                .map_or_else(|| "-".to_owned(), |target| target.to_string());
            println!(
                "  {:>2}. {:<16} {:<9} weight {:<3} target {:<3} {}",
                index + 1,
                touchpoint.name,
                touchpoint.channel,
                touchpoint.weight,
                target,
                marks.join(", ")
            );
            index += 1;
        }
    }
    Ok(())
}
