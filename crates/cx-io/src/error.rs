//! Errors met while reading survey responses, with where they were met.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Where in the input something was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// The file's name as given, or `"<input>"` for a reader without one.
    pub file: String,
    /// The line, counting from 1; `None` where the format has none (elements
    /// of a JSON array).
    pub line: Option<u64>,
    /// The record (data row or JSON object), counting from 1; `None` before
    /// the first record (header problems).
    pub record: Option<u64>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        match (self.line, self.record) {
            (Some(line), _) => write!(f, ":{line}"),
            (None, Some(record)) => write!(f, ": record {record}"),
            (None, None) => Ok(()),
        }
    }
}

/// Why a record (or the whole input) was refused. Rejected records are
/// counted per reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// The input could not be read.
    Io,
    /// The input is not valid CSV, JSON or NDJSON here.
    Syntax,
    /// A field is not valid UTF-8.
    InvalidUtf8,
    /// A CSV row has more or fewer fields than the header.
    FieldCount,
    /// A field is longer than the reader's limit.
    FieldTooLong,
    /// A record (a CSV record with its quotes and delimiters, or an NDJSON
    /// line) is longer than the reader's limit.
    RecordTooLong,
    /// A JSON array document, read whole, is larger than the reader's limit.
    DocumentTooLarge,
    /// A required column is missing from the header.
    MissingColumn,
    /// The header names a column twice.
    DuplicateColumn,
    /// The input has no header, or nothing at all.
    Empty,
    /// An NDJSON line or JSON element is not an object, or a field holds an
    /// array or object.
    NotAnObject,
    /// A required value is empty.
    MissingValue,
    /// A value is not a number.
    NotANumber,
    /// A number is NaN or infinite.
    NotFinite,
    /// A number that must be whole (likelihood to recommend) has a fraction.
    NotAnInteger,
    /// A rating lies outside its scale.
    OutOfScale,
    /// The touchpoint is not in the journey.
    UnknownTouchpoint,
    /// The emotion is not one of the eighteen.
    UnknownEmotion,
    /// The timestamp is neither RFC 3339 nor a date.
    InvalidTimestamp,
    /// A yes/no answer is not one of the accepted spellings.
    InvalidAnswer,
    /// The respondent already gave a different answer to the same question.
    ConflictingAnswer,
    /// The journey file cannot read this file (no mapped columns, …).
    Mapping,
}

impl ReadErrorKind {
    /// The snake_case name used in summaries.
    pub fn name(self) -> &'static str {
        match self {
            ReadErrorKind::Io => "io",
            ReadErrorKind::Syntax => "syntax",
            ReadErrorKind::InvalidUtf8 => "invalid_utf8",
            ReadErrorKind::FieldCount => "field_count",
            ReadErrorKind::FieldTooLong => "field_too_long",
            ReadErrorKind::RecordTooLong => "record_too_long",
            ReadErrorKind::DocumentTooLarge => "document_too_large",
            ReadErrorKind::MissingColumn => "missing_column",
            ReadErrorKind::DuplicateColumn => "duplicate_column",
            ReadErrorKind::Empty => "empty",
            ReadErrorKind::NotAnObject => "not_an_object",
            ReadErrorKind::MissingValue => "missing_value",
            ReadErrorKind::NotANumber => "not_a_number",
            ReadErrorKind::NotFinite => "not_finite",
            ReadErrorKind::NotAnInteger => "not_an_integer",
            ReadErrorKind::OutOfScale => "out_of_scale",
            ReadErrorKind::UnknownTouchpoint => "unknown_touchpoint",
            ReadErrorKind::UnknownEmotion => "unknown_emotion",
            ReadErrorKind::InvalidTimestamp => "invalid_timestamp",
            ReadErrorKind::InvalidAnswer => "invalid_answer",
            ReadErrorKind::ConflictingAnswer => "conflicting_answer",
            ReadErrorKind::Mapping => "mapping",
        }
    }
}

impl fmt::Display for ReadErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// A record or input that could not be read, with where and why, e.g.
/// `responses.csv:17: column "reality": "seven" is not a number on scale 1..=5`.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub struct ReadError {
    /// Why.
    pub kind: ReadErrorKind,
    /// Where.
    pub location: Location,
    /// The column (CSV) or field (JSON) at fault, if one is.
    pub column: Option<String>,
    /// Whether `column` names a CSV column or a JSON field.
    pub naming: Naming,
    /// What was found and what was expected.
    pub message: String,
    /// Whether reading cannot go on after this error (a missing column, an
    /// unreadable file); record-level errors are not fatal.
    pub fatal: bool,
}

impl ReadError {
    /// Moves a record's error from its place in a block to its place in
    /// the whole file; header errors stay where they are.
    pub(crate) fn shift(&mut self, lines: u64, records: u64) {
        if let Some(record) = &mut self.location.record {
            *record += records;
            if let Some(line) = &mut self.location.line {
                *line += lines;
            }
        }
    }
}

/// Whether a [`ReadError`]'s column is a CSV column or a JSON field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Naming {
    /// A CSV column, by header name.
    Column,
    /// A JSON or NDJSON field, by key.
    Field,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.location)?;
        if let Some(column) = &self.column {
            let word = match self.naming {
                Naming::Column => "column",
                Naming::Field => "field",
            };
            write!(f, "{word} {column:?}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// What a complete read saw: `read = accepted + rejected`, per reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadSummary {
    /// Records (CSV data rows, NDJSON lines, JSON array elements) read.
    pub records_read: u64,
    /// Records turned into observations and outcomes.
    pub records_accepted: u64,
    /// Records refused, per reason.
    pub records_rejected: BTreeMap<ReadErrorKind, u64>,
    /// Observations produced.
    pub observations: u64,
    /// Outcomes produced.
    pub outcomes: u64,
    /// Wide files: touchpoint cells left empty (not asked or skipped); they
    /// produce no observation.
    pub empty_cells: u64,
    /// Columns in the input that nothing reads.
    pub ignored_columns: Vec<String>,
    /// The first rejected records' errors, up to the reader's limit.
    pub examples: Vec<ReadError>,
}

impl ReadSummary {
    /// Adds the counts of a summary of a later part of the same input;
    /// examples are kept in order, up to `max_examples`.
    pub fn merge(&mut self, later: ReadSummary, max_examples: usize) {
        self.records_read += later.records_read;
        self.records_accepted += later.records_accepted;
        for (kind, count) in later.records_rejected {
            *self.records_rejected.entry(kind).or_default() += count;
        }
        self.observations += later.observations;
        self.outcomes += later.outcomes;
        self.empty_cells += later.empty_cells;
        for column in later.ignored_columns {
            if !self.ignored_columns.contains(&column) {
                self.ignored_columns.push(column);
            }
        }
        let room = max_examples.saturating_sub(self.examples.len());
        self.examples.extend(later.examples.into_iter().take(room));
    }

    /// All rejected records, over every reason.
    pub fn records_rejected_total(&self) -> u64 {
        self.records_rejected.values().sum()
    }

    /// Whether `records_read = records_accepted + records_rejected`.
    pub fn reconciles(&self) -> bool {
        self.records_read == self.records_accepted + self.records_rejected_total()
    }
}

impl fmt::Display for ReadSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "records read {} = accepted {} + rejected {}",
            self.records_read,
            self.records_accepted,
            self.records_rejected_total()
        )?;
        for (kind, count) in &self.records_rejected {
            writeln!(f, "  rejected, {kind}: {count}")?;
        }
        write!(
            f,
            "observations {}, outcomes {}, empty cells {}",
            self.observations, self.outcomes, self.empty_cells
        )
    }
}
