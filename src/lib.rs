//! `cx` turns customer-experience survey data into decisions.
//!
//! This crate is a facade over the workspace:
//!
//! - [`model`] (`cx-model`): journeys, stages, touchpoints, scales, emotions,
//!   observations, outcomes, and the traits every other crate speaks through.
//! - [`score`] (`cx-score`): the metrics, as mergeable accumulators.
//! - [`io`] (`cx-io`): reading journey and survey files, and writing them.
//! - [`report`] (`cx-report`): the results written as JSON, CSV, Markdown,
//!   the HTML journey map and terminal tables.
//!
//! ```
//! use cx::model::{Channel, Journey, Scale, Stage, Touchpoint};
//!
//! let journey = Journey::builder("Retail purchase", Scale::LIKERT_5)
//!     .stage(Stage::new("Discover").touchpoint(Touchpoint::new("window", "Shop window", Channel::Store)))
//!     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("cashier", "Cashier", Channel::Store)))
//!     .build()?;
//! assert_eq!(journey.touchpoint_count(), 2);
//! # Ok::<(), cx::model::Error>(())
//! ```

#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

pub use cx_io as io;
pub use cx_model as model;
pub use cx_report as report;
pub use cx_score as score;

/// The README's code blocks, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
