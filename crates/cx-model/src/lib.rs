//! The customer-experience domain model shared by every `cx` crate.
//!
//! A **journey** is a sequence of **stages** (learn, buy, use, leave…), each a
//! sequence of **touchpoints** (the shop window, the website, the cashier…).
//! At each touchpoint a respondent leaves an **observation**: the reality they
//! met, the expectation they arrived with, and perhaps an **emotion**. Once per
//! journey they give an **outcome**: the three loyalty questions, likelihood to
//! recommend and effort. Ratings live on a **scale**.
//!
//! Survey data travels between crates as an [`ObservationBatch`]:
//! observations as columns, their touchpoints resolved to journey indexes,
//! with the outcomes of their respondents. Readers fill batches and scorers
//! take them. A product's own row types implement [`ObservationRecord`] and
//! [`OutcomeRecord`], and are pushed into a batch (or scored one at a time)
//! through them.
//!
//! ```
//! use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
//!
//! let journey = Journey::builder("Retail purchase", Scale::LIKERT_5)
//!     .stage(Stage::new("Discover").touchpoint(
//!         Touchpoint::new("window", "Shop window", Channel::Store).target(3.0),
//!     ))
//!     .stage(Stage::new("Buy").touchpoint(
//!         Touchpoint::new("cashier", "Cashier", Channel::Store).moment_of_truth(true),
//!     ))
//!     .build()?;
//!
//! let observation = Observation::new("r-1", "cashier", 2.0).with_expectation(4.0);
//! let scale = journey.scale();
//! let gap = scale.normalize(observation.reality)? - scale.normalize(4.0)?;
//! assert_eq!(gap, -0.5); // two points short on a four-point span
//! assert!(journey.find("cashier").is_some_and(|t| t.moment_of_truth));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

mod answer;
mod batch;
mod channel;
mod emotion;
mod error;
mod journey;
mod observation;
mod order;
mod record;
mod scale;
mod timestamp;
mod weight;

pub use answer::{Answer, LoyaltyQuestion};
pub use batch::{BatchRow, ObservationBatch};
pub use channel::Channel;
pub use emotion::{Emotion, Valence};
pub use error::{Error, ErrorKind, Position, Result};
pub use journey::{
    Journey, JourneyBuilder, MAX_TOUCHPOINT_WEIGHT, Stage, Touchpoint, TouchpointPosition,
    contact_marks,
};
pub use observation::{Observation, Outcome};
pub use order::RespondentOrder;
pub use record::{ObservationRecord, OutcomeRecord};
pub use scale::{Rating, Scale};
pub use timestamp::Timestamp;
pub use weight::Weight;
