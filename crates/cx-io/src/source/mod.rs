//! Row sources: CSV, NDJSON and JSON inputs, each turned into rows of the
//! values a layout asks for.

mod csv;
mod json;

pub(crate) use csv::CsvSource;
pub(crate) use json::{JsonArraySource, NdjsonSource};

use std::ops::Range;
use std::path::Path;

use crate::error::{Error, ErrorKind, Location, Naming};

/// One input row: the values of the requested columns, in request order,
/// borrowed from where the source holds them (a CSV source's read buffer,
/// or an owned [`Row`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowRef<'a> {
    pub line: Option<u64>,
    pub record: u64,
    text: &'a str,
    /// Byte ranges into `text`.
    ranges: &'a [Range<usize>],
    /// For each requested column, its range; `None` where the column is
    /// absent or the JSON value is null.
    slots: &'a [Option<usize>],
}

impl<'a> RowRef<'a> {
    /// Where the value of a slot lies in [`text`](Self::text).
    #[inline]
    pub fn range(&self, slot: usize) -> Option<Range<usize>> {
        self.ranges.get((*self.slots.get(slot)?)?).cloned()
    }

    /// The text the values lie in; it may go on past the row's last value
    /// (a CSV source lends its read buffer from the row on), so that a
    /// short value can be loaded as one word.
    #[inline]
    pub fn text(&self) -> &'a str {
        self.text
    }
}

/// An owned row, for sources whose values are not text in one buffer: JSON
/// values, and CSV records that are not valid UTF-8 throughout.
#[derive(Debug, Default)]
pub(crate) struct Row {
    line: Option<u64>,
    record: u64,
    text: String,
    ranges: Vec<Range<usize>>,
    slots: Vec<Option<usize>>,
}

impl Row {
    /// Starts a new row, keeping the buffers.
    pub fn start(&mut self, line: Option<u64>, record: u64) {
        self.line = line;
        self.record = record;
        self.text.clear();
        self.ranges.clear();
        self.slots.clear();
    }

    /// Appends the next value.
    pub fn push(&mut self, value: Option<&str>) {
        self.slots.push(value.map(|value| {
            let start = self.text.len();
            self.text.push_str(value);
            self.ranges.push(start..self.text.len());
            self.ranges.len() - 1
        }));
    }

    /// Appends `value` as the next value; returns its length in bytes.
    pub fn push_str(&mut self, value: &str) -> usize {
        self.push(Some(value));
        value.len()
    }

    /// Appends `value` as written by `Display` as the next value, without
    /// a string of its own; returns its length in bytes.
    pub fn push_display(&mut self, value: impl std::fmt::Display) -> usize {
        use std::fmt::Write as _;
        let start = self.text.len();
        // Writing to a `String` cannot fail.
        let _ = write!(self.text, "{value}");
        self.ranges.push(start..self.text.len());
        self.slots.push(Some(self.ranges.len() - 1));
        self.text.len() - start
    }

    /// The row, borrowed.
    pub fn as_ref(&self) -> RowRef<'_> {
        RowRef {
            line: self.line,
            record: self.record,
            text: &self.text,
            ranges: &self.ranges,
            slots: &self.slots,
        }
    }
}

/// The limits a source enforces.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub max_field_bytes: usize,
    pub max_record_bytes: usize,
    pub max_document_bytes: usize,
}

/// Builds errors that name the input.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub file: String,
    pub naming: Naming,
}

impl Context {
    /// The context of the CSV file at `path`.
    pub fn csv_file(path: &Path) -> Self {
        Context {
            file: path.display().to_string(),
            naming: Naming::Column,
        }
    }

    pub fn error(
        &self,
        kind: ErrorKind,
        line: Option<u64>,
        record: Option<u64>,
        column: Option<&str>,
        message: impl Into<String>,
    ) -> Error {
        let fatal = matches!(
            kind,
            ErrorKind::Io
                | ErrorKind::MissingColumn
                | ErrorKind::DuplicateColumn
                | ErrorKind::Empty
                | ErrorKind::Mapping
                | ErrorKind::RespondentReturned
        );
        self.located(kind, (line, record), column, message, fatal)
    }

    pub fn fatal(&self, kind: ErrorKind, message: impl Into<String>) -> Error {
        self.located(kind, (None, None), None, message, true)
    }

    /// A fault at `line` that stops the read.
    pub fn fatal_at_line(&self, kind: ErrorKind, line: u64, message: impl Into<String>) -> Error {
        self.located(kind, (Some(line), None), None, message, true)
    }

    /// A fault of the header line (line 1), which stops the read.
    pub fn header_error(
        &self,
        kind: ErrorKind,
        column: Option<&str>,
        message: impl Into<String>,
    ) -> Error {
        self.located(kind, (Some(1), None), column, message, true)
    }

    fn located(
        &self,
        kind: ErrorKind,
        (line, record): (Option<u64>, Option<u64>),
        column: Option<&str>,
        message: impl Into<String>,
        fatal: bool,
    ) -> Error {
        let location = Location::new(self.file.clone(), line, record);
        Error::new(kind, Some(location), column, self.naming, message, fatal)
    }
}

/// What every source does.
pub(crate) trait RowSource {
    /// The column names the input offers: the CSV header, or the keys of the
    /// first JSON object.
    fn columns(&self) -> &[String];

    /// Asks for these columns, by name, in this order. Columns that must
    /// exist in a CSV header are checked by the caller.
    fn bind(&mut self, wanted: &[String]);

    /// Reads the next row; an error for a row that cannot be read, or
    /// `None` at the end.
    fn next_row(&mut self) -> Option<Result<RowRef<'_>, Error>>;

    /// Input columns or keys no bound column reads.
    fn ignored_columns(&self) -> Vec<String>;

    /// Line breaks read so far (CSV only; 0 elsewhere).
    fn line_breaks(&self) -> u64 {
        0
    }

    /// Whether the input ended with a whole record, its line break
    /// included (CSV only; true elsewhere).
    fn ended_at_record_end(&self) -> bool {
        true
    }
}

/// Any of the sources, chosen by the input's format. An enum rather than a
/// trait object, so that the CSV source's per-line calls are direct, and
/// inlined in the reader's loop.
// A reader holds one source, so the CSV variant's size wastes nothing, and
// boxing it would put a load in front of every line's read.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Source<'r> {
    Csv(CsvSource<'r>),
    Ndjson(NdjsonSource<'r>),
    Json(JsonArraySource),
}

/// Forwards one [`RowSource`] method to whichever source this is.
macro_rules! forward {
    ($self:ident.$method:ident($($argument:expr),*)) => {
        match $self {
            Source::Csv(source) => source.$method($($argument),*),
            Source::Ndjson(source) => source.$method($($argument),*),
            Source::Json(source) => source.$method($($argument),*),
        }
    };
}

impl RowSource for Source<'_> {
    fn columns(&self) -> &[String] {
        forward!(self.columns())
    }
    fn bind(&mut self, wanted: &[String]) {
        forward!(self.bind(wanted))
    }
    #[inline(always)]
    fn next_row(&mut self) -> Option<Result<RowRef<'_>, Error>> {
        forward!(self.next_row())
    }
    fn ignored_columns(&self) -> Vec<String> {
        forward!(self.ignored_columns())
    }
    fn line_breaks(&self) -> u64 {
        forward!(self.line_breaks())
    }
    fn ended_at_record_end(&self) -> bool {
        forward!(self.ended_at_record_end())
    }
}
