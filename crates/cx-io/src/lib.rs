//! Customer-experience survey formats: journey files and survey responses.
//!
//! - **Journey files** ([`JourneyFile`]) in TOML or JSON: the journey, and for
//!   wide survey files how each respondent row is read.
//! - **Survey responses** ([`ResponseReader`]): long (one row per respondent
//!   and touchpoint) or wide (one row per respondent) layouts, from CSV
//!   (comma, semicolon or tab; BOM; CRLF; quoted fields), NDJSON or JSON,
//!   streamed one record at a time. Every record is accepted or rejected
//!   with a located error, and a [`ReadSummary`] reconciles
//!   `read = accepted + rejected`.
//! - **Large CSV files** ([`ParallelCsv`]): read in blocks on every core,
//!   each into its own state, merged in file order to the numbers of one pass.
//! - **Writing** data files: journeys back to TOML and JSON, responses as
//!   long CSV ([`LongCsvWriter`]). Reports of results (scorecards,
//!   comparisons, driver analyses) are cx-report's.
//!
//! cx-io depends on cx-model only. It yields [`cx_model::Observation`]s and
//! [`cx_model::Outcome`]s, which implement the traits cx-score consumes.
//!
//! ```
//! use cx_io::{ErrorPolicy, JourneyFile, ReadOptions, Record, ResponseReader};
//!
//! let journey = cx_io::sample::retail_journey()?;
//! let csv = "\u{feff}respondent_id,touchpoint,reality,expectation,emotion\r\n\
//!            R1,cashier,2,4,Frustrated\r\n\
//!            R1,delivery,5,,\"cared for\"\r\n";
//! let reader = ResponseReader::from_reader(csv.as_bytes(), "in.csv", &journey, ReadOptions::default())?;
//! let mut observations = Vec::new();
//! let summary = reader.read_all(ErrorPolicy::Strict, |record| {
//!     if let Record::Observation(o) = record { observations.push(o) }
//! })?;
//! assert_eq!(summary.records_accepted, 2);
//! assert_eq!(observations[1].expectation, None); // the delivery target (4) applies when scoring
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod blocks;
mod builder;
mod cells;
mod error;
mod journey_file;
mod long;
mod names;
mod outcomes;
mod reader;
pub mod sample;
mod source;
mod timestamp;
mod tokenizer;
mod wide;
mod write;

pub use blocks::{Block, BlockPart, CsvBlocks, ParallelCsv};
pub use builder::{
    ErrorPolicy, InputFormat, Layout, RespondentOrder, ResponseReaderBuilder, columns,
};
pub use error::{Location, Naming, ReadError, ReadErrorKind, ReadSummary};
pub use journey_file::{
    AnswerColumn, JourneyFile, JourneyFileError, JourneyFormat, NumberColumn, RespondentColumns,
};
pub use reader::{Record, ResponseReader};
pub use write::LongCsvWriter;
