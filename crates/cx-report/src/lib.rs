//! Customer-experience reports: cx-score's results written for people and
//! for other programs.
//!
//! Every writer takes a typed result and any [`std::io::Write`]:
//!
//! - **A [`Scorecard`](cx_score::Scorecard)** as JSON of the versioned schema
//!   [`SCORECARD_SCHEMA`] (`cx.scorecard/2`, [`write_json`]), as CSV with one
//!   row per touchpoint and group ([`write_csv`], columns
//!   [`SCORECARD_CSV_COLUMNS`]) and with one row per group for the
//!   journey, loyalty, NPS and effort ([`write_summary_csv`], columns
//!   [`SUMMARY_CSV_COLUMNS`]), as Markdown ([`write_markdown`]), as one
//!   self-contained HTML page with the journey map ([`write_html`]), and as
//!   aligned text for a terminal ([`write_table`], with [`TableOptions`]).
//! - **A [`Comparison`](cx_score::research::Comparison)** of scoring
//!   variants as text, CSV or JSON of the schema [`COMPARISON_SCHEMA`]
//!   ([`write_comparison_table`], [`write_comparison_csv`],
//!   [`write_comparison_json`]).
//! - **A [`DriverAnalysis`](cx_score::research::DriverAnalysis)** as text,
//!   CSV or JSON of the schema [`DRIVERS_SCHEMA`] ([`write_drivers_table`],
//!   [`write_drivers_csv`], [`write_drivers_json`]).
//! - **[`Changes`](cx_score::Changes)**, the change tests between groups
//!   of a breakdown, as text, Markdown, CSV or JSON of the schema
//!   [`CHANGES_SCHEMA`] (`cx.changes/1`) ([`write_changes_table`],
//!   [`write_changes_markdown`], [`write_changes_csv`], columns
//!   [`CHANGES_CSV_COLUMNS`], [`write_changes_json`]).
//!
//! Each writes the whole report, flushes, and fails only when the output
//! does, with an [`Error`] whose [`kind`](Error::kind) says so. Text
//! reports are built in memory and written at once; JSON is buffered.
//!
//! cx-report depends on cx-model and cx-score only: the results are read
//! field by field, and the JSON is their serde form. It does not read
//! files; cx-io does.
//!
//! # Example
//!
//! ```
//! use cx_model::{Channel, Journey, Observation, Scale, Stage, Touchpoint};
//! use cx_score::{ScoreConfig, ScorecardAccumulator};
//!
//! let journey = Journey::builder("Shop", Scale::LIKERT_5)
//!     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
//!     .build()?;
//! let mut scorer = ScorecardAccumulator::new(journey, ScoreConfig::default())?;
//! scorer.try_push(&Observation::new("a", "till", 4.0).with_expectation(3.0))?;
//! scorer.try_push(&Observation::new("b", "till", 2.0).with_expectation(4.0))?;
//! let card = scorer.finish();
//!
//! let mut markdown = Vec::new();
//! cx_report::write_markdown(&card, &mut markdown)?;
//! assert!(String::from_utf8(markdown)?.contains("| Till | Buy | 2 | 3.50 | 3.00 | -0.50 "));
//!
//! let mut json = Vec::new();
//! cx_report::write_json(&card, &mut json)?;
//! let value: serde_json::Value = serde_json::from_slice(&json)?;
//! assert_eq!(value["schema"], cx_report::SCORECARD_SCHEMA);
//! assert_eq!(value["overall"]["touchpoints"][0]["stats"]["gap"]["n"], 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

mod changes;
mod delimited;
mod error;
mod html;
mod json;
mod markdown;
mod output;
mod research;
mod research_csv;
mod table;

pub use changes::{
    CHANGES_CSV_COLUMNS, CHANGES_SCHEMA, WEIGHTED_CHANGES_CSV_COLUMNS, write_changes_csv,
    write_changes_json, write_changes_markdown, write_changes_table,
};
pub use delimited::{
    SCORECARD_CSV_COLUMNS, SUMMARY_CSV_COLUMNS, WEIGHTED_CSV_COLUMNS, WEIGHTED_SUMMARY_CSV_COLUMNS,
    write_csv, write_summary_csv,
};
pub use error::{Error, ErrorKind, Result};
pub use html::{HtmlReport, write_html};
pub use json::{
    COMPARISON_SCHEMA, DRIVERS_SCHEMA, SCORECARD_SCHEMA, write_comparison_json, write_drivers_json,
    write_json,
};
pub use markdown::write_markdown;
pub use research::{write_comparison_table, write_drivers_table};
pub use research_csv::{
    COMPARISON_CSV_COLUMNS, DRIVERS_CSV_COLUMNS, WEIGHTED_COMPARISON_CSV_COLUMNS,
    WEIGHTED_DRIVERS_CSV_COLUMNS, write_comparison_csv, write_drivers_csv,
};
pub use table::{TableOptions, write_table};
