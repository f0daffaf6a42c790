//! The one error type of the crate: a journey file or a responses input
//! that cannot be read, with where and why.
//!
//! This module names no other module of the crate, so that every module
//! can raise an [`Error`] without a circle of imports. Errors are built
//! in two places only: the sources' `Context` for responses, and the
//! journey-file constructors below.

use std::fmt;
use std::io;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A shorthand for results whose error is an [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A journey file, a responses input or one of its records that could not
/// be read, with where and why, e.g.
/// `responses.csv:17: column "reality": "seven" is not a number on scale 1..=5`.
///
/// [`kind`](Error::kind) tells why (and is what a
/// [`ReadSummary`](crate::ReadSummary) counts rejected records by);
/// [`location`](Error::location) where (the file, line and record);
/// [`column`](Error::column) which CSV column or JSON field, if one is at
/// fault; [`message`](Error::message) what was found and what was
/// expected. A [fatal](Error::is_fatal) error ends the read; any other is
/// about one record, which a lenient read skips. The error is boxed, so a
/// `Result` costs one word more than its value.
///
/// Two errors are equal when they say the same thing about the same place;
/// an underlying [`source`](std::error::Error::source) is not compared,
/// nor serialized.
///
/// # Example
///
/// ```
/// use cx_io::{ErrorKind, ErrorPolicy, Naming, ResponseReaderBuilder};
///
/// let journey = cx_io::sample::retail_journey()?;
/// let csv = "respondent_id,touchpoint,reality\nr1,website,4\nr1,cashier,seven\n";
/// let reader = ResponseReaderBuilder::new()
///     .error_policy(ErrorPolicy::Strict)
///     .name("responses.csv")
///     .from_reader(csv.as_bytes(), &journey)?;
/// let error = reader.read_all(|_| {}).unwrap_err();
/// assert_eq!(error.kind(), &ErrorKind::NotANumber);
/// assert!(error.is_value() && !error.is_fatal());
/// let location = error.location().expect("a record's error has one");
/// assert_eq!((location.file(), location.line(), location.record()), ("responses.csv", Some(3), Some(2)));
/// assert_eq!((error.column(), error.naming()), (Some("reality"), Naming::Column));
/// assert_eq!(error.message(), r#""seven" is not a number on scale 1..=5"#);
/// assert_eq!(
///     error.to_string(),
///     r#"responses.csv:3: column "reality": "seven" is not a number on scale 1..=5"#
/// );
/// # Ok::<(), cx_io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Error(Box<Inner>);

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Inner {
    kind: ErrorKind,
    location: Option<Location>,
    column: Option<String>,
    naming: Naming,
    message: String,
    fatal: bool,
    /// Whether only one optional field of a kept record was refused;
    /// left out when false, so that records' errors serialize as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    field: bool,
    #[serde(skip)]
    cause: Option<Cause>,
}

/// What lies beneath an error, for [`source`](std::error::Error::source).
#[derive(Debug, Clone)]
enum Cause {
    Io(Arc<io::Error>),
    Journey(cx_model::Error),
}

impl PartialEq for Inner {
    fn eq(&self, other: &Self) -> bool {
        (
            self.kind,
            &self.location,
            &self.column,
            self.naming,
            &self.message,
            self.fatal,
            self.field,
        ) == (
            other.kind,
            &other.location,
            &other.column,
            other.naming,
            &other.message,
            other.fatal,
            other.field,
        )
    }
}

impl Eq for Inner {}

/// Why a record, an input or a journey file was refused. Rejected records
/// are counted per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input or the journey file could not be read or written.
    Io,
    /// The input is not valid CSV, JSON or NDJSON here, or the journey
    /// file is not TOML or JSON of the journey schema (the message gives
    /// the line and column).
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
    /// A required column is missing from the header (the message names the
    /// header's nearest unused name, if one is near).
    MissingColumn,
    /// The header names a column twice, or two of its names match one
    /// column read once case and surrounding spaces are ignored.
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
    /// The timestamp is neither RFC 3339, nor a date and time without a
    /// zone, nor a date.
    InvalidTimestamp,
    /// A yes/no answer is not one of the accepted spellings.
    InvalidAnswer,
    /// A respondent id, segment, touchpoint id or channel holds a control
    /// character (NUL, a line break, …) or a byte order mark.
    ControlCharacter,
    /// The respondent already gave a different answer to the same question.
    ConflictingAnswer,
    /// A respondent's weight is negative, above 2²⁰, or too small to hold
    /// (see [`Weight`](cx_model::Weight)).
    InvalidWeight,
    /// A row's respondent weight differs from the one on the respondent's
    /// earlier rows.
    ConflictingWeight,
    /// A respondent's rows come back after another respondent's, in an
    /// input read as
    /// [`RespondentOrder::ContiguousChecked`](crate::RespondentOrder::ContiguousChecked):
    /// fatal, since the respondent would be counted twice.
    RespondentReturned,
    /// The journey file's wide-file mapping is inconsistent, or cannot read
    /// this file (no mapped columns, …).
    Mapping,
    /// A journey file's journey breaks a rule (duplicate id, empty stage,
    /// …); [`Error::model_error`] gives cx-model's error.
    InvalidJourney,
    /// A journey could not be encoded in the format asked for (the
    /// serializer refused; it should not for a valid journey).
    Encode,
}

impl ErrorKind {
    /// The snake_case name used in summaries.
    ///
    /// # Example
    ///
    /// ```
    /// use cx_io::ErrorKind;
    ///
    /// assert_eq!(ErrorKind::NotANumber.name(), "not_a_number");
    /// assert_eq!(ErrorKind::InvalidJourney.to_string(), "invalid_journey");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Syntax => "syntax",
            ErrorKind::InvalidUtf8 => "invalid_utf8",
            ErrorKind::FieldCount => "field_count",
            ErrorKind::FieldTooLong => "field_too_long",
            ErrorKind::RecordTooLong => "record_too_long",
            ErrorKind::DocumentTooLarge => "document_too_large",
            ErrorKind::MissingColumn => "missing_column",
            ErrorKind::DuplicateColumn => "duplicate_column",
            ErrorKind::Empty => "empty",
            ErrorKind::NotAnObject => "not_an_object",
            ErrorKind::MissingValue => "missing_value",
            ErrorKind::NotANumber => "not_a_number",
            ErrorKind::NotFinite => "not_finite",
            ErrorKind::NotAnInteger => "not_an_integer",
            ErrorKind::OutOfScale => "out_of_scale",
            ErrorKind::UnknownTouchpoint => "unknown_touchpoint",
            ErrorKind::UnknownEmotion => "unknown_emotion",
            ErrorKind::InvalidTimestamp => "invalid_timestamp",
            ErrorKind::InvalidAnswer => "invalid_answer",
            ErrorKind::ControlCharacter => "control_character",
            ErrorKind::ConflictingAnswer => "conflicting_answer",
            ErrorKind::InvalidWeight => "invalid_weight",
            ErrorKind::ConflictingWeight => "conflicting_weight",
            ErrorKind::RespondentReturned => "respondent_returned",
            ErrorKind::Mapping => "mapping",
            ErrorKind::InvalidJourney => "invalid_journey",
            ErrorKind::Encode => "encode",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// Where in the input something was found: the file, and for a record's
/// error, its line and record.
///
/// # Example
///
/// See [`Error`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    file: String,
    line: Option<u64>,
    record: Option<u64>,
}

impl Location {
    /// Line `line` and record `record` of `file`.
    pub(crate) fn new(file: impl Into<String>, line: Option<u64>, record: Option<u64>) -> Self {
        Location {
            file: file.into(),
            line,
            record,
        }
    }

    /// The file's name as given, or `"<input>"` for a reader without one.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The line, counting from 1; `None` where the format has none
    /// (elements of a JSON array) and for a whole file.
    pub fn line(&self) -> Option<u64> {
        self.line
    }

    /// The record (data row or JSON object), counting from 1; `None`
    /// before the first record (header problems) and for a whole file.
    pub fn record(&self) -> Option<u64> {
        self.record
    }
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

/// Whether an [`Error`]'s [`column`](Error::column) is a CSV column or a
/// JSON field (or a journey file's field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Naming {
    /// A CSV column, by header name.
    Column,
    /// A JSON or NDJSON field, by key, or a journey file's field, by path.
    Field,
}

impl Error {
    /// Why: what a [`ReadSummary`](crate::ReadSummary) counts the record
    /// under.
    ///
    /// # Example
    ///
    /// See [`Error`].
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// Where: the file, and for a record's error its line and record;
    /// `None` for a journey file's text parsed without a file.
    ///
    /// # Example
    ///
    /// See [`Error`].
    pub fn location(&self) -> Option<&Location> {
        self.0.location.as_ref()
    }

    /// The CSV column or JSON field at fault (by name), if one is;
    /// [`naming`](Error::naming) says which.
    ///
    /// # Example
    ///
    /// See [`Error`].
    pub fn column(&self) -> Option<&str> {
        self.0.column.as_deref()
    }

    /// Whether [`column`](Error::column) names a CSV column or a JSON field.
    ///
    /// # Example
    ///
    /// See [`Error`].
    pub fn naming(&self) -> Naming {
        self.0.naming
    }

    /// What was found and what was expected, without the location and
    /// column that the error's `Display` puts first.
    ///
    /// # Example
    ///
    /// See [`Error`].
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Whether reading cannot go on after this error (a missing column, an
    /// unreadable file, any journey-file error); record-level errors are
    /// not fatal.
    ///
    /// # Example
    ///
    /// See [`Error`].
    pub fn is_fatal(&self) -> bool {
        self.0.fatal
    }

    /// Whether this error refused one optional field (a timestamp, an
    /// emotion, a channel, an outcome value) of a record that was kept
    /// without it, and counted in
    /// [`ReadSummary::fields_rejected`](crate::ReadSummary::fields_rejected);
    /// otherwise it refused a whole record, or the input.
    ///
    /// # Example
    ///
    /// ```
    /// use cx_io::{ErrorKind, ResponseReaderBuilder};
    ///
    /// let journey = cx_io::sample::retail_journey()?;
    /// let csv = "respondent_id,touchpoint,reality,emotion\nr1,website,4,glad\n";
    /// let reader = ResponseReaderBuilder::new().from_reader(csv.as_bytes(), &journey)?;
    /// let summary = reader.read_all(|_| {})?;
    /// assert_eq!(summary.records_accepted, 1);
    /// assert!(summary.examples[0].is_field());
    /// assert_eq!(summary.examples[0].kind(), &ErrorKind::UnknownEmotion);
    /// # Ok::<(), cx_io::Error>(())
    /// ```
    pub fn is_field(&self) -> bool {
        self.0.field
    }

    /// Makes this error the refusal of an optional field only.
    pub(crate) fn mark_field(&mut self) {
        self.0.field = true;
    }

    /// Whether the input or the journey file could not be read or written.
    ///
    /// # Example
    ///
    /// ```
    /// let error = cx_io::JourneyFile::read("no/such/journey.toml").unwrap_err();
    /// assert!(error.is_io() && error.is_fatal());
    /// assert_eq!(error.location().map(|l| l.file()), Some("no/such/journey.toml"));
    /// ```
    pub fn is_io(&self) -> bool {
        self.0.kind == ErrorKind::Io
    }

    /// Whether a value of a record does not fit its column: missing, not a
    /// number, off the scale, an unknown touchpoint or emotion, a timestamp
    /// or answer misspelled, an answer that contradicts an earlier one.
    ///
    /// # Example
    ///
    /// See [`Error`].
    pub fn is_value(&self) -> bool {
        matches!(
            self.0.kind,
            ErrorKind::MissingValue
                | ErrorKind::NotANumber
                | ErrorKind::NotFinite
                | ErrorKind::NotAnInteger
                | ErrorKind::OutOfScale
                | ErrorKind::UnknownTouchpoint
                | ErrorKind::UnknownEmotion
                | ErrorKind::InvalidTimestamp
                | ErrorKind::InvalidAnswer
                | ErrorKind::ControlCharacter
                | ErrorKind::ConflictingAnswer
        )
    }

    /// Whether a field, record or document passed one of the reader's
    /// size limits.
    ///
    /// # Example
    ///
    /// ```
    /// use cx_io::ResponseReaderBuilder;
    ///
    /// let journey = cx_io::sample::retail_journey()?;
    /// let csv = "respondent_id,touchpoint,reality,comment\nr1,website,4,a long comment\n";
    /// let reader = ResponseReaderBuilder::new().max_field_bytes(8).from_reader(csv.as_bytes(), &journey)?;
    /// let summary = reader.read_all(|_| {})?;
    /// assert!(summary.examples[0].is_limit());
    /// # Ok::<(), cx_io::Error>(())
    /// ```
    pub fn is_limit(&self) -> bool {
        matches!(
            self.0.kind,
            ErrorKind::FieldTooLong | ErrorKind::RecordTooLong | ErrorKind::DocumentTooLarge
        )
    }

    /// Whether the journey is at fault rather than the survey data: it
    /// breaks a rule, or its wide-file mapping is inconsistent or cannot
    /// read the file.
    ///
    /// # Example
    ///
    /// See [`model_error`](Error::model_error).
    pub fn is_journey(&self) -> bool {
        matches!(self.0.kind, ErrorKind::InvalidJourney | ErrorKind::Mapping)
    }

    /// cx-model's error behind an [`ErrorKind::InvalidJourney`], with its
    /// own kind and the touchpoint field it concerns.
    ///
    /// # Example
    ///
    /// ```
    /// use cx_io::{ErrorKind, JourneyFile, JourneyFormat};
    ///
    /// let text = "name = \"Shop\"\nscale = { min = 1, max = 5 }\nstages = []\n";
    /// let error = JourneyFile::parse(text, JourneyFormat::Toml).unwrap_err();
    /// assert_eq!(error.kind(), &ErrorKind::InvalidJourney);
    /// assert!(error.is_journey() && error.location().is_none());
    /// let model = error.model_error().expect("a journey rule was broken");
    /// assert!(matches!(model.kind(), cx_model::ErrorKind::NoStages { .. }));
    /// assert_eq!(error.to_string(), model.to_string());
    /// ```
    pub fn model_error(&self) -> Option<&cx_model::Error> {
        match &self.0.cause {
            Some(Cause::Journey(error)) => Some(error),
            _ => None,
        }
    }

    /// An error of `kind`; the one place an `Error` is made.
    pub(crate) fn new(
        kind: ErrorKind,
        location: Option<Location>,
        column: Option<&str>,
        naming: Naming,
        message: impl Into<String>,
        fatal: bool,
    ) -> Self {
        Error(Box::new(Inner {
            kind,
            location,
            column: column.map(str::to_owned),
            naming,
            message: message.into(),
            fatal,
            field: false,
            cause: None,
        }))
    }

    /// A journey file's error, of its text, not yet naming its file; about
    /// the journey file's field `field`, if given.
    pub(crate) fn journey_file(
        kind: ErrorKind,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Error::new(kind, None, field, Naming::Field, message, true)
    }

    /// A journey that breaks one of cx-model's rules.
    pub(crate) fn invalid_journey(error: cx_model::Error) -> Self {
        let mut journey = Error::journey_file(ErrorKind::InvalidJourney, None, error.to_string());
        journey.0.cause = Some(Cause::Journey(error));
        journey
    }

    /// A journey file that could not be read or written at `path`.
    pub(crate) fn journey_io(path: impl Into<String>, error: io::Error) -> Self {
        let mut io = Error::journey_file(ErrorKind::Io, None, error.to_string()).in_file(path);
        io.0.cause = Some(Cause::Io(Arc::new(error)));
        io
    }

    /// The same error, said of the file `path` unless it names one already.
    pub(crate) fn in_file(mut self, path: impl Into<String>) -> Self {
        self.0
            .location
            .get_or_insert_with(|| Location::new(path, None, None));
        self
    }

    /// The same error, said of line `line` of its file.
    pub(crate) fn at_line(mut self, line: u64) -> Self {
        if let Some(location) = &mut self.0.location {
            location.line = Some(line);
        }
        self
    }

    /// Moves a record's error from its place in a block to its place in
    /// the whole file; header errors stay where they are.
    pub(crate) fn shift(&mut self, lines: u64, records: u64) {
        if let Some(location) = &mut self.0.location
            && let Some(record) = &mut location.record
        {
            *record += records;
            if let Some(line) = &mut location.line {
                *line += lines;
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.0.location {
            write!(f, "{location}: ")?;
        }
        if let Some(column) = &self.0.column {
            let word = match self.0.naming {
                Naming::Column => "column",
                Naming::Field => "field",
            };
            write!(f, "{word} {column:?}: ")?;
        }
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.cause {
            Some(Cause::Io(error)) => Some(&**error),
            Some(Cause::Journey(error)) => Some(error),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_send_and_sync_and_one_word() {
        fn send_sync<T: Send + Sync + 'static>() {}
        send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn the_location_and_column_prefix_the_message() {
        let cases = [
            (
                Some((Some(3), Some(2))),
                Some("reality"),
                Naming::Column,
                "f.csv:3: column \"reality\": m",
            ),
            (
                Some((None, Some(2))),
                Some("reality"),
                Naming::Field,
                "f.csv: record 2: field \"reality\": m",
            ),
            (Some((None, None)), None, Naming::Column, "f.csv: m"),
            (
                None,
                Some("respondents.effort"),
                Naming::Field,
                "field \"respondents.effort\": m",
            ),
            (None, None, Naming::Field, "m"),
        ];
        for (place, column, naming, shown) in cases {
            let location = place.map(|(line, record)| Location::new("f.csv", line, record));
            let error = Error::new(ErrorKind::Syntax, location, column, naming, "m", false);
            assert_eq!(error.to_string(), shown);
        }
    }

    #[test]
    fn a_shift_moves_records_not_the_header() {
        let at = |line, record| {
            Error::new(
                ErrorKind::NotANumber,
                Some(Location::new("f.csv", line, record)),
                None,
                Naming::Column,
                "m",
                false,
            )
        };
        let (mut record, mut header) = (at(Some(3), Some(2)), at(Some(1), None));
        record.shift(10, 9);
        header.shift(10, 9);
        assert_eq!(record, at(Some(13), Some(11)));
        assert_eq!(header, at(Some(1), None));
    }

    #[test]
    fn equality_and_serde_ignore_the_source() {
        let io = Error::journey_io("j.toml", io::Error::other("gone"));
        assert!(std::error::Error::source(&io).is_some());
        let json = serde_json::to_string(&io).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"io","location":{"file":"j.toml","line":null,"record":null},"column":null,"naming":"field","message":"gone","fatal":true}"#
        );
        let back: Error = serde_json::from_str(&json).unwrap();
        assert!(std::error::Error::source(&back).is_none());
        assert_eq!(back, io);
        assert_eq!(back.to_string(), "j.toml: gone");
    }
}
