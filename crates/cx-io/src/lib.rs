//! Customer-experience survey formats: journey files and survey responses.
//!
//! - **Journey files** ([`JourneyFile`]) in TOML or JSON: the journey, and for
//!   wide survey files how each respondent row is read.
//! - **Survey responses** ([`ResponseReader`], set up by a
//!   [`ResponseReaderBuilder`]): long (one row per respondent and
//!   touchpoint) or wide (one row per respondent) layouts, from CSV (comma,
//!   semicolon or tab; BOM; CRLF; quoted fields), NDJSON or JSON, plain or
//!   gzip-compressed (unpacked on the fly; UTF-16 is refused by name), read in
//!   batches: [`ResponseReader::read_batch`] fills a
//!   [`cx_model::ObservationBatch`] with up to a set number of
//!   observations, held as columns, and the outcomes of the respondents
//!   whose rows ended among them. Every input record is accepted or
//!   rejected with a located error, and a [`ReadSummary`] reconciles
//!   `read = accepted + rejected`. Only a record's respondent id,
//!   touchpoint, ratings and weight (and its shape: field count, size,
//!   encoding) can reject it; an optional field that cannot be read (a
//!   timestamp, an emotion, a channel, a loyalty answer, likelihood or
//!   effort) is left out, the record kept, and the field counted apart
//!   ([`ReadSummary::fields_rejected`], [`Error::is_field`]). An answer
//!   that contradicts the respondent's earlier one still rejects its
//!   record. Control characters and byte order marks are refused in ids,
//!   segments and channels; comments are kept as written (a quoted line
//!   break is a comment's own), and CSV writers quote them. Callers who keep records can have them
//!   owned, one at a time, from [`ResponseReader::read_all`] or the
//!   reader's `Iterator`.
//! - **Survey-platform exports** ([`SurveyExport`]): Qualtrics,
//!   SurveyMonkey, Google Forms, LimeSurvey and Typeform CSV exports are
//!   recognised from their header rows, their extra header rows skipped
//!   and their timestamps read as the platform writes them; a journey
//!   file may declare the export, its header rows, timestamp forms and
//!   zone, and answer texts that stand for ratings.
//! - **Large CSV files** ([`ParallelCsv`]): read in blocks on every core,
//!   each into its own state, merged in file order to the numbers of one pass.
//! - **Writing** data files: journeys back to TOML and JSON, responses as
//!   long CSV ([`LongCsvWriter`]), and any file whole or not at all
//!   ([`write_file`]: a temporary file renamed over the target, so a
//!   failure leaves the old file intact). Reports of results (scorecards,
//!   comparisons, driver analyses) are cx-report's.
//! - **Errors**: one [`Error`] type, for journey files and responses
//!   alike: its [`ErrorKind`] (what a [`ReadSummary`] counts rejected
//!   records by), its [`Location`] (file, line, record), the CSV column or
//!   JSON field at fault, and whether it ends the read; [`Result`] is the
//!   shorthand.
//!
//! cx-io depends on cx-model only. It fills [`cx_model::ObservationBatch`]es,
//! which cx-score scores a batch at a time, and hands out
//! [`cx_model::Observation`]s and [`cx_model::Outcome`]s, which implement the
//! traits cx-score consumes.
//!
//! ```
//! use cx_io::{ErrorPolicy, ResponseReaderBuilder};
//! use cx_model::ObservationBatch;
//!
//! let journey = cx_io::sample::retail_journey()?;
//! let csv = "\u{feff}respondent_id,touchpoint,reality,expectation,emotion\r\n\
//!            R1,cashier,2,4,Frustrated\r\n\
//!            R1,delivery,5,,\"cared for\"\r\n";
//! let mut reader = ResponseReaderBuilder::new()
//!     .error_policy(ErrorPolicy::Strict)
//!     .name("in.csv")
//!     .from_reader(csv.as_bytes(), &journey)?;
//! let mut batch = ObservationBatch::new();
//! let mut observations = Vec::new();
//! while reader.read_batch(&mut batch)? {
//!     for row in 0..batch.len() {
//!         observations.extend(batch.to_observation(row, &journey.journey));
//!     }
//! }
//! assert_eq!(reader.summary().records_accepted, 2);
//! assert_eq!(observations[1].expectation, None); // the delivery target (4) applies when scoring
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

mod atomic;
mod blocks;
mod builder;
mod cells;
mod draft;
mod error;
mod export;
mod header;
mod journey_file;
mod long;
mod names;
mod options;
mod outcomes;
mod reader;
mod runs;
pub mod sample;
mod source;
mod stream;
mod suggest;
mod summary;
mod timestamp;
mod tokenizer;
mod wide;
mod write;

pub use atomic::write_file;
pub use blocks::{Block, BlockPart, CsvBlocks, ParallelCsv};
pub use builder::ResponseReaderBuilder;
pub use draft::{DRAFT_SAMPLE_ROWS, JourneyDraft};
pub use error::{Error, ErrorKind, Location, Naming, Result};
pub use export::{MAX_HEADER_ROWS, SurveyExport};
pub use journey_file::{AnswerColumn, JourneyFile, JourneyFormat, NumberColumn, RespondentColumns};
pub use options::{DecimalMark, ErrorPolicy, InputFormat, Layout, RespondentOrder, columns};
pub use reader::{Record, ResponseReader};
pub use runs::{DuplicateRows, RepeatedRespondents, RespondentRuns};
pub use summary::ReadSummary;
pub use write::LongCsvWriter;
