//! Reading survey responses: long and wide layouts, from CSV, NDJSON or JSON.

use std::cell::OnceCell;
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use cx_model::{
    Answer, Channel, Emotion, Journey, LoyaltyQuestion, Observation, ObservationRecord, Outcome,
    OutcomeRecord, Rating, Scale,
};

use crate::error::{Naming, ReadError, ReadErrorKind, ReadSummary};
use crate::journey_file::{AnswerColumn, JourneyFile, NumberColumn, RespondentColumns};
use crate::source::{
    Context, CsvSource, JsonArraySource, Limits, NdjsonSource, RowRef, RowSource, Source,
};

mod lines;

use lines::LinePlan;

/// The format of a responses file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Delimited text; the delimiter is detected from the header line
    /// (comma, semicolon or tab) unless given.
    Csv {
        /// The delimiter, or `None` to detect it.
        delimiter: Option<u8>,
    },
    /// Newline-delimited JSON: one object per line.
    Ndjson,
    /// One JSON array of objects, read whole (use NDJSON to stream).
    Json,
}

impl InputFormat {
    /// The format a path's extension names: `.ndjson` and `.jsonl` are NDJSON,
    /// `.json` JSON, `.tsv` tab-separated, anything else CSV with a detected
    /// delimiter.
    pub fn from_path(path: &Path) -> InputFormat {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("ndjson" | "jsonl") => InputFormat::Ndjson,
            Some("json") => InputFormat::Json,
            Some("tsv") => InputFormat::Csv {
                delimiter: Some(b'\t'),
            },
            _ => InputFormat::Csv { delimiter: None },
        }
    }
}

/// How responses are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Wide when the input has no `touchpoint` column but has a column the
    /// journey maps a touchpoint to; long otherwise.
    #[default]
    Auto,
    /// One row per respondent and touchpoint, with the standard column names.
    Long,
    /// One row per respondent, one column per touchpoint, mapped by the
    /// journey file.
    Wide,
}

/// Whether a respondent's rows in a long file come together.
///
/// Outcome columns (the loyalty answers, likelihood to recommend, effort) may
/// sit on any of a respondent's rows, so the reader gathers them per
/// respondent before emitting one [`Outcome`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RespondentOrder {
    /// A respondent's rows are contiguous (the usual export layout): the
    /// outcome is emitted when the respondent id changes, and memory stays
    /// constant however many respondents there are. If a respondent does come
    /// back later, their later rows form a second outcome, and answers that
    /// conflict across the two are not detected.
    #[default]
    Contiguous,
    /// Rows may come in any order: every respondent's outcome is held until
    /// the end of the input and emitted then. Conflicts are detected across
    /// the whole file, at the cost of memory for every respondent with an
    /// outcome (about 150 bytes plus the id).
    Scattered,
}

/// How a reader is set up.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReadOptions {
    /// The format, or `None` to take it from the file name.
    pub format: Option<InputFormat>,
    /// The layout.
    pub layout: Layout,
    /// Whether respondents' rows are contiguous.
    pub respondents: RespondentOrder,
    /// The scale likelihood-to-recommend answers must lie on; 0..=10.
    pub likelihood_scale: Scale,
    /// The longest field accepted, in bytes; 1 MiB. Longer fields reject the record.
    pub max_field_bytes: usize,
    /// The longest record accepted, in bytes: a CSV record with its quotes,
    /// delimiters and line breaks inside quotes, or an NDJSON line; 16 MiB.
    /// A longer record is skipped to its end without being held in memory,
    /// and rejected. This bounds a reader's memory whatever the input holds,
    /// even an unclosed quote.
    pub max_record_bytes: usize,
    /// The largest JSON array document accepted, in bytes; 64 MiB. A JSON
    /// array is read whole, so a larger one is refused (fatal) before it is
    /// parsed; NDJSON streams inputs of any size.
    pub max_document_bytes: usize,
    /// How many rejected records' errors the summary keeps; 10.
    pub max_examples: usize,
    /// Added to every line number: for reading a block of a larger file
    /// (see [`CsvBlocks`](crate::CsvBlocks); [`ParallelCsv`](crate::ParallelCsv)
    /// sets it for you). 0.
    pub line_offset: u64,
    /// Added to every record number, and so to the row-number respondent
    /// ids of wide files without an id column. 0.
    pub record_offset: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            layout: Layout::Auto,
            respondents: RespondentOrder::Contiguous,
            likelihood_scale: Scale::LIKELIHOOD_0_10,
            max_field_bytes: 1 << 20,
            max_record_bytes: 16 << 20,
            max_document_bytes: 64 << 20,
            max_examples: 10,
            line_offset: 0,
            record_offset: 0,
        }
    }
}

impl ReadOptions {
    /// Sets the format.
    #[must_use]
    pub fn format(mut self, format: InputFormat) -> Self {
        self.format = Some(format);
        self
    }

    /// Sets the layout.
    #[must_use]
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// Sets whether respondents' rows are contiguous.
    #[must_use]
    pub fn respondents(mut self, order: RespondentOrder) -> Self {
        self.respondents = order;
        self
    }

    /// Sets the largest field accepted.
    #[must_use]
    pub fn max_field_bytes(mut self, bytes: usize) -> Self {
        self.max_field_bytes = bytes;
        self
    }

    /// Sets the longest record accepted.
    #[must_use]
    pub fn max_record_bytes(mut self, bytes: usize) -> Self {
        self.max_record_bytes = bytes;
        self
    }

    /// Sets the largest JSON array document accepted.
    #[must_use]
    pub fn max_document_bytes(mut self, bytes: usize) -> Self {
        self.max_document_bytes = bytes;
        self
    }

    /// Sets how many error examples the summary keeps.
    #[must_use]
    pub fn max_examples(mut self, examples: usize) -> Self {
        self.max_examples = examples;
        self
    }
}

/// One thing read from a responses file.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A respondent at a touchpoint.
    Observation(Observation),
    /// A respondent's answers about the whole journey.
    Outcome(Outcome),
}

/// One thing read, borrowed from the reader's buffers for the length of a
/// [`ResponseReader::read_each`] callback: no copy, no allocation per record.
#[derive(Clone, Copy)]
pub enum RecordRef<'a> {
    /// A respondent at a touchpoint, as the scorer's trait sees it.
    Observation(ObservationRef<'a>),
    /// A respondent's answers about the whole journey.
    Outcome(&'a Outcome),
}

impl RecordRef<'_> {
    /// An owned copy.
    pub fn to_record(&self) -> Record {
        match *self {
            RecordRef::Observation(observation) => {
                Record::Observation(Observation::from_record(&observation))
            }
            RecordRef::Outcome(outcome) => Record::Outcome(outcome.clone()),
        }
    }
}

/// An observation as a [`RecordRef`] lends it: read from a long row and
/// borrowing its text, or an [`Observation`] built for a wide row. Every
/// field is read through [`ObservationRecord`].
///
/// It is a concrete type, not a trait object, so that a consumer generic
/// over [`ObservationRecord`] (as the scorer is) is compiled for it, and
/// reads each field inline instead of through a call.
#[derive(Clone, Copy)]
pub struct ObservationRef<'a>(Lent<'a>);

#[derive(Clone, Copy)]
enum Lent<'a> {
    Read(&'a ObservationView<'a>),
    Built(&'a Observation),
}

/// Forwards one [`ObservationRecord`] method to whichever observation is lent.
macro_rules! lend {
    ($self:ident.$method:ident()) => {
        match $self.0 {
            Lent::Read(view) => view.$method(),
            Lent::Built(observation) => observation.$method(),
        }
    };
}

impl ObservationRecord for ObservationRef<'_> {
    #[inline]
    fn respondent_id(&self) -> &str {
        lend!(self.respondent_id())
    }
    #[inline]
    fn touchpoint_id(&self) -> &str {
        lend!(self.touchpoint_id())
    }
    #[inline]
    fn touchpoint_index_hint(&self) -> Option<usize> {
        lend!(self.touchpoint_index_hint())
    }
    #[inline]
    fn reality(&self) -> f64 {
        lend!(self.reality())
    }
    #[inline]
    fn expectation(&self) -> Option<f64> {
        lend!(self.expectation())
    }
    #[inline]
    fn segment(&self) -> Option<&str> {
        lend!(self.segment())
    }
    #[inline]
    fn channel(&self) -> Option<&Channel> {
        lend!(self.channel())
    }
    #[inline]
    fn timestamp(&self) -> Option<DateTime<Utc>> {
        lend!(self.timestamp())
    }
    #[inline]
    fn emotion(&self) -> Option<Emotion> {
        lend!(self.emotion())
    }
    #[inline]
    fn comment(&self) -> Option<&str> {
        lend!(self.comment())
    }
}

impl std::fmt::Debug for ObservationRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&Observation::from_record(self), f)
    }
}

impl std::fmt::Debug for RecordRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.to_record(), f)
    }
}

impl Record {
    /// A borrowed view, as [`ResponseReader::read_each`] hands out.
    pub fn as_record_ref(&self) -> RecordRef<'_> {
        match self {
            Record::Observation(observation) => {
                RecordRef::Observation(ObservationRef(Lent::Built(observation)))
            }
            Record::Outcome(outcome) => RecordRef::Outcome(outcome),
        }
    }
}

/// An observation of a long row, borrowing the row's text.
struct ObservationView<'a> {
    respondent_id: &'a str,
    touchpoint_id: &'a str,
    touchpoint_index: usize,
    reality: f64,
    expectation: Option<f64>,
    segment: Option<&'a str>,
    channel_text: Option<&'a str>,
    /// Parsed from `channel_text` on first use: most scoring never asks.
    channel: OnceCell<Option<Channel>>,
    timestamp: Option<ReadTimestamp>,
    emotion: Option<Emotion>,
    comment: Option<&'a str>,
}

impl ObservationRecord for ObservationView<'_> {
    fn respondent_id(&self) -> &str {
        self.respondent_id
    }
    fn touchpoint_id(&self) -> &str {
        self.touchpoint_id
    }
    fn touchpoint_index_hint(&self) -> Option<usize> {
        Some(self.touchpoint_index)
    }
    fn reality(&self) -> f64 {
        self.reality
    }
    fn expectation(&self) -> Option<f64> {
        self.expectation
    }
    fn segment(&self) -> Option<&str> {
        self.segment
    }
    fn channel(&self) -> Option<&Channel> {
        self.channel
            .get_or_init(|| {
                self.channel_text.map(|text| {
                    let Ok(channel) = text.parse::<Channel>();
                    channel
                })
            })
            .as_ref()
    }
    fn timestamp(&self) -> Option<DateTime<Utc>> {
        self.timestamp.and_then(ReadTimestamp::get)
    }
    fn emotion(&self) -> Option<Emotion> {
        self.emotion
    }
    fn comment(&self) -> Option<&str> {
        self.comment
    }
}

/// How the read of a block ended.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlockEnd {
    /// Line breaks read, the header's included.
    pub line_breaks: u64,
    /// Whether the last record ended with its line break (or there was
    /// none): false when the block ends inside a record.
    pub at_record_end: bool,
}

/// What one step of reading did.
enum Step {
    /// A record was read (and its records handed out).
    Read,
    /// A record was rejected, or the input cannot be read on (a fatal error).
    Rejected(ReadError),
    /// The input is done.
    Finished,
}

/// What to do with a record that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ErrorPolicy {
    /// Stop at the first bad record.
    Strict,
    /// Skip it, count it under its reason, keep the first few errors, and go on.
    #[default]
    Lenient,
}

/// Column names of the long layout.
pub mod columns {
    /// Who answered (required).
    pub const RESPONDENT_ID: &str = "respondent_id";
    /// The touchpoint's id (required, except on outcome-only rows).
    pub const TOUCHPOINT: &str = "touchpoint";
    /// The reality rating (required with a touchpoint).
    pub const REALITY: &str = "reality";
    /// The respondent's expectation rating.
    pub const EXPECTATION: &str = "expectation";
    /// The respondent's segment.
    pub const SEGMENT: &str = "segment";
    /// The channel used.
    pub const CHANNEL: &str = "channel";
    /// RFC 3339 timestamp or `YYYY-MM-DD` date.
    pub const TIMESTAMP: &str = "timestamp";
    /// One of the eighteen emotions.
    pub const EMOTION: &str = "emotion";
    /// Free text.
    pub const COMMENT: &str = "comment";
    /// Were your expectations met? (yes/no, true/false, y/n, 1/0)
    pub const EXPECTATIONS_MET: &str = "expectations_met";
    /// Would you come back?
    pub const WOULD_RETURN: &str = "would_return";
    /// Would you recommend us?
    pub const WOULD_RECOMMEND: &str = "would_recommend";
    /// Likelihood to recommend, a whole number 0..=10.
    pub const LIKELIHOOD_TO_RECOMMEND: &str = "likelihood_to_recommend";
    /// Customer effort rating.
    pub const EFFORT: &str = "effort";

    /// Every long-layout column, in the order the writer uses.
    pub const ALL: [&str; 14] = [
        RESPONDENT_ID,
        TOUCHPOINT,
        REALITY,
        EXPECTATION,
        SEGMENT,
        CHANNEL,
        TIMESTAMP,
        EMOTION,
        COMMENT,
        EXPECTATIONS_MET,
        WOULD_RETURN,
        WOULD_RECOMMEND,
        LIKELIHOOD_TO_RECOMMEND,
        EFFORT,
    ];
}

/// Reads survey responses as a stream of [`Record`]s, one input record at a
/// time, in constant memory (but see [`RespondentOrder`]).
///
/// Iterating yields `Err` for each record that cannot be read; the reader
/// goes on after it unless the error is [fatal](ReadError::fatal). Every
/// input record is counted in the [`summary`](ResponseReader::summary) as
/// accepted or rejected.
///
/// ```
/// use cx_io::{JourneyFile, JourneyFormat, Record, ResponseReader, ReadOptions, ErrorPolicy};
///
/// let journey = JourneyFile::parse(r#"
/// name = "Coffee"
/// scale = { min = 1, max = 5 }
/// [[stages]]
/// name = "Buy"
/// touchpoints = [{ id = "till", name = "Till", channel = "store" }]
/// "#, JourneyFormat::Toml)?;
///
/// let csv = "respondent_id;touchpoint;reality;expectation;would_return\n\
///            r1;till;4;3;yes\n\
///            r2;till;seven;3;no\n";
/// let reader = ResponseReader::from_reader(csv.as_bytes(), "responses.csv", &journey, ReadOptions::default())?;
/// let mut records = Vec::new();
/// let summary = reader.read_all(ErrorPolicy::Lenient, |record| records.push(record))?;
/// assert_eq!(records.len(), 2); // r1's observation and outcome
/// assert_eq!((summary.records_read, summary.records_accepted), (2, 1));
/// assert_eq!(
///     summary.examples[0].to_string(),
///     r#"responses.csv:3: column "reality": "seven" is not a number on scale 1..=5"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ResponseReader<'r> {
    source: Source<'r>,
    line_offset: u64,
    record_offset: u64,
    /// The current row's records, reused from row to row.
    scratch: Vec<Record>,
    interpreter: Interpreter,
    /// How to read a plain line of a long CSV file the short way.
    lines: Option<LinePlan>,
    pending: VecDeque<Record>,
    summary: ReadSummary,
    max_examples: usize,
    finished: bool,
}

impl std::fmt::Debug for ResponseReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseReader")
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

impl<'r> ResponseReader<'r> {
    /// Opens a responses file.
    ///
    /// # Errors
    ///
    /// A fatal [`ReadError`] if the file cannot be opened, has no header, or
    /// lacks a required column.
    pub fn open(
        path: impl AsRef<Path>,
        journey: &JourneyFile,
        options: ReadOptions,
    ) -> Result<ResponseReader<'static>, ReadError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let file = File::open(path).map_err(|error| {
            Context {
                file: name.clone(),
                naming: Naming::Column,
            }
            .fatal(ReadErrorKind::Io, format!("cannot open: {error}"))
        })?;
        let options = ReadOptions {
            format: Some(
                options
                    .format
                    .unwrap_or_else(|| InputFormat::from_path(path)),
            ),
            ..options
        };
        ResponseReader::from_reader(file, &name, journey, options)
    }

    /// Reads from any byte stream; `name` stands for the file in messages and
    /// picks the format when the options give none.
    ///
    /// # Errors
    ///
    /// As [`ResponseReader::open`].
    pub fn from_reader(
        input: impl Read + 'r,
        name: &str,
        journey: &JourneyFile,
        options: ReadOptions,
    ) -> Result<Self, ReadError> {
        let format = options
            .format
            .unwrap_or_else(|| InputFormat::from_path(Path::new(name)));
        let naming = match format {
            InputFormat::Csv { .. } => Naming::Column,
            InputFormat::Ndjson | InputFormat::Json => Naming::Field,
        };
        let context = Context {
            file: name.to_owned(),
            naming,
        };
        let limits = Limits {
            max_field_bytes: options.max_field_bytes,
            max_record_bytes: options.max_record_bytes,
            max_document_bytes: options.max_document_bytes,
        };
        let input: Box<dyn Read + 'r> = Box::new(input);
        let mut source = match format {
            InputFormat::Csv { delimiter } => {
                Source::Csv(CsvSource::new(input, delimiter, context.clone(), limits)?)
            }
            InputFormat::Ndjson => {
                Source::Ndjson(NdjsonSource::new(input, context.clone(), limits))
            }
            InputFormat::Json => {
                Source::Json(JsonArraySource::new(input, context.clone(), limits)?)
            }
        };
        let layout = match options.layout {
            Layout::Auto => {
                let offered = source.columns();
                let mapped = journey.journey.touchpoints().any(|touchpoint| {
                    touchpoint
                        .source_column
                        .as_ref()
                        .is_some_and(|column| offered.contains(column))
                });
                if mapped && !offered.iter().any(|c| c == columns::TOUCHPOINT) {
                    Layout::Wide
                } else {
                    Layout::Long
                }
            }
            layout => layout,
        };
        let interpreter = Interpreter::new(layout, journey, &options, context)?;
        let wanted = interpreter.wanted_columns();
        if matches!(format, InputFormat::Csv { .. }) {
            for required in interpreter.required_columns() {
                if !source.columns().iter().any(|c| c == &required) {
                    return Err(interpreter.context.header_error(
                        ReadErrorKind::MissingColumn,
                        Some(&required),
                        format!(
                            "missing from the header; expected it for the {} layout (header: {})",
                            interpreter.layout_name(),
                            source.columns().join(", ")
                        ),
                    ));
                }
            }
        }
        source.bind(&wanted);
        let lines = match (&interpreter.kind, source.delimiter()) {
            (Kind::Long, Some(delimiter)) => LinePlan::new(
                source.columns(),
                &interpreter.names,
                &interpreter.journey,
                delimiter,
                limits.max_field_bytes.min(limits.max_record_bytes),
            ),
            _ => None,
        };
        Ok(ResponseReader {
            source,
            line_offset: options.line_offset,
            record_offset: options.record_offset,
            scratch: Vec::new(),
            interpreter,
            lines,
            pending: VecDeque::new(),
            summary: ReadSummary::default(),
            max_examples: options.max_examples,
            finished: false,
        })
    }

    /// What has been read so far; complete once the iterator is exhausted.
    pub fn summary(&self) -> &ReadSummary {
        &self.summary
    }

    /// Reads everything, handing each record to `sink`, and returns the
    /// summary.
    ///
    /// # Errors
    ///
    /// Under [`ErrorPolicy::Strict`], the first error; under
    /// [`ErrorPolicy::Lenient`], only a fatal one (the input cannot be read
    /// on).
    pub fn read_all(
        self,
        policy: ErrorPolicy,
        mut sink: impl FnMut(Record),
    ) -> Result<ReadSummary, ReadError> {
        self.read_each(policy, |record| sink(record.to_record()))
    }

    /// Reads everything, lending each record to `sink` without copying it
    /// out of the reader's buffers, and returns the summary. This is the
    /// fastest way to score a file: a [`RecordRef::Observation`] is an
    /// [`ObservationRef`], which a scorer takes as it is.
    ///
    /// ```
    /// use cx_io::{ErrorPolicy, JourneyFile, ReadOptions, RecordRef, ResponseReader};
    /// use cx_model::ObservationRecord;
    ///
    /// let journey = JourneyFile::parse(cx_io::sample::RETAIL_JOURNEY_TOML, cx_io::JourneyFormat::Toml)?;
    /// let csv = "respondent_id,touchpoint,reality\nr1,website,4\nr1,cashier,2\n";
    /// let reader = ResponseReader::from_reader(csv.as_bytes(), "r.csv", &journey, ReadOptions::default())?;
    /// let mut realities = Vec::new();
    /// reader.read_each(ErrorPolicy::Strict, |record| {
    ///     if let RecordRef::Observation(observation) = record {
    ///         realities.push(observation.reality());
    ///     }
    /// })?;
    /// assert_eq!(realities, [4.0, 2.0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`read_all`](ResponseReader::read_all).
    pub fn read_each(
        mut self,
        policy: ErrorPolicy,
        mut sink: impl FnMut(RecordRef<'_>),
    ) -> Result<ReadSummary, ReadError> {
        self.drive(policy, &mut sink)?;
        Ok(self.into_summary())
    }

    /// [`read_each`](Self::read_each) for one block of a CSV file, saying
    /// also how the block ended, so that a guessed cut can be checked.
    pub(crate) fn read_block(
        mut self,
        policy: ErrorPolicy,
        mut sink: impl FnMut(RecordRef<'_>),
    ) -> (Result<ReadSummary, ReadError>, BlockEnd) {
        let result = self.drive(policy, &mut sink);
        let end = BlockEnd {
            line_breaks: self.source.line_breaks(),
            at_record_end: self.source.ended_at_record_end(),
        };
        (result.map(|()| self.into_summary()), end)
    }

    /// Whether respondent ids are made from record numbers (a wide file
    /// without an id column), which a block must then know from the start.
    pub(crate) fn numbers_respondents(&self) -> bool {
        matches!(&self.interpreter.kind, Kind::Wide(mapping) if mapping.id.is_none())
    }

    /// Reads to the end, or to the error that stops `policy`.
    fn drive(
        &mut self,
        policy: ErrorPolicy,
        sink: &mut impl FnMut(RecordRef<'_>),
    ) -> Result<(), ReadError> {
        loop {
            match self.step(sink) {
                Step::Read => {}
                Step::Rejected(error) => {
                    if error.fatal || policy == ErrorPolicy::Strict {
                        return Err(error);
                    }
                }
                Step::Finished => return Ok(()),
            }
        }
    }

    fn into_summary(self) -> ReadSummary {
        let mut summary = self.summary;
        summary.ignored_columns = self.source.ignored_columns();
        summary
    }

    /// Reads one input record and hands its records to `sink`.
    fn step(&mut self, sink: &mut impl FnMut(RecordRef<'_>)) -> Step {
        if self.finished {
            return Step::Finished;
        }
        if let Some(step) = self.step_plain_line(sink) {
            return step;
        }
        match self.source.next_row() {
            None => {
                self.finished = true;
                for record in self.interpreter.finish() {
                    count(&mut self.summary, &record);
                    sink(record.as_record_ref());
                }
                Step::Finished
            }
            Some(Err(mut error)) => {
                self.place(&mut error);
                if error.fatal {
                    self.finished = true;
                } else {
                    self.summary.records_read += 1;
                    self.reject(&error);
                }
                Step::Rejected(error)
            }
            Some(Ok(mut row)) => {
                self.summary.records_read += 1;
                row.record += self.record_offset;
                row.line = row.line.map(|line| line + self.line_offset);
                let result = self.interpreter.interpret(
                    row,
                    &mut self.summary.empty_cells,
                    &mut self.scratch,
                );
                match result {
                    // By reference: moving the view out would copy it.
                    Ok(ref observation) => accept(
                        &mut self.summary,
                        self.interpreter.outcomes.finished(),
                        &self.scratch,
                        observation.as_ref(),
                        sink,
                    ),
                    Err(error) => {
                        self.reject(&error);
                        Step::Rejected(error)
                    }
                }
            }
        }
    }

    /// Reads the next record the short way if it is a plain line of a long
    /// CSV file; `None` (having read nothing) if it is not.
    #[inline]
    fn step_plain_line(&mut self, sink: &mut impl FnMut(RecordRef<'_>)) -> Option<Step> {
        let plan = self.lines.as_ref()?;
        let unread = self.source.unread_text()?;
        let interpreter = &mut self.interpreter;
        let ((observation, likelihood), consumed) = plan.read(
            unread.text,
            &interpreter.journey,
            &interpreter.likelihood_scale,
        )?;
        self.summary.records_read += 1;
        let at = (
            unread.line + self.line_offset,
            unread.record + self.record_offset,
        );
        let step = match interpreter.plain(&observation, likelihood, at) {
            // A long row has no records of a wide row's.
            Ok(()) => accept(
                &mut self.summary,
                interpreter.outcomes.finished(),
                &[],
                Some(&observation),
                sink,
            ),
            Err(error) => {
                self.reject(&error);
                Step::Rejected(error)
            }
        };
        self.source.skip_line(consumed);
        Some(step)
    }

    /// Moves a record's error to its place in the whole file.
    fn place(&self, error: &mut ReadError) {
        error.shift(self.line_offset, self.record_offset);
    }

    fn reject(&mut self, error: &ReadError) {
        *self.summary.records_rejected.entry(error.kind).or_default() += 1;
        if self.summary.examples.len() < self.max_examples {
            self.summary.examples.push(error.clone());
        }
    }
}

/// Counts an accepted row and hands out its records: the outcome it
/// finished, the records of a wide row, then its observation, if any.
#[inline]
fn accept(
    summary: &mut ReadSummary,
    finished: Option<&Outcome>,
    records: &[Record],
    observation: Option<&ObservationView<'_>>,
    sink: &mut impl FnMut(RecordRef<'_>),
) -> Step {
    summary.records_accepted += 1;
    if let Some(outcome) = finished {
        summary.outcomes += 1;
        sink(RecordRef::Outcome(outcome));
    }
    for record in records {
        count(summary, record);
        sink(record.as_record_ref());
    }
    if let Some(observation) = observation {
        summary.observations += 1;
        sink(RecordRef::Observation(ObservationRef(Lent::Read(
            observation,
        ))));
    }
    Step::Read
}

/// Counts a record the reader hands out.
fn count(summary: &mut ReadSummary, record: &Record) {
    match record {
        Record::Observation(_) => summary.observations += 1,
        Record::Outcome(_) => summary.outcomes += 1,
    }
}

impl Iterator for ResponseReader<'_> {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(record) = self.pending.pop_front() {
                return Some(Ok(record));
            }
            let mut pending = std::mem::take(&mut self.pending);
            let step =
                self.step(&mut |record: RecordRef<'_>| pending.push_back(record.to_record()));
            self.pending = pending;
            match step {
                Step::Read => {}
                Step::Rejected(error) => return Some(Err(error)),
                Step::Finished => return self.pending.pop_front().map(Ok),
            }
        }
    }
}

// ---- interpretation -----------------------------------------------------

/// Parses the values of one row, producing errors located at that row.
struct Cells<'row, 'a> {
    row: RowRef<'row>,
    names: &'a [String],
    context: &'a Context,
}

impl<'row> Cells<'row, '_> {
    #[cold]
    #[inline(never)]
    fn error(&self, kind: ReadErrorKind, slot: usize, message: String) -> ReadError {
        self.context.error(
            kind,
            self.row.line,
            Some(self.row.record),
            self.names.get(slot).map(String::as_str),
            message,
        )
    }

    /// The value of a slot with ASCII white space trimmed; `None` when absent
    /// or empty.
    #[inline]
    fn text(&self, slot: usize) -> Option<&'row str> {
        let value = self.row.get(slot)?.trim_ascii();
        (!value.is_empty()).then_some(value)
    }

    #[inline]
    fn required(&self, slot: usize) -> Result<&'row str, ReadError> {
        self.text(slot).ok_or_else(|| {
            self.error(
                ReadErrorKind::MissingValue,
                slot,
                "is empty; expected a value".to_owned(),
            )
        })
    }

    /// A finite number; `what` says what was expected, for the message only
    /// (it is not formatted unless the value is bad).
    #[inline]
    fn number(&self, slot: usize, what: impl Fn() -> String) -> Result<Option<f64>, ReadError> {
        let Some(text) = self.text(slot) else {
            return Ok(None);
        };
        if let Some(value) = small_integer(text.as_bytes()) {
            return Ok(Some(value));
        }
        let value: f64 = text.parse().map_err(|_| {
            self.error(
                ReadErrorKind::NotANumber,
                slot,
                format!("{text:?} is not a number{}", what()),
            )
        })?;
        if !value.is_finite() {
            return Err(self.error(
                ReadErrorKind::NotFinite,
                slot,
                format!("{text:?} is not a finite number{}", what()),
            ));
        }
        Ok(Some(value))
    }

    /// A rating on `scale` (its not-applicable value included), after adding `offset`.
    #[inline]
    fn rating(&self, slot: usize, scale: &Scale, offset: f64) -> Result<Option<f64>, ReadError> {
        // The usual case, a small whole number on the scale, without the
        // general path's checks for what cannot happen here.
        if let Some(text) = self.text(slot)
            && let Some(value) = small_integer(text.as_bytes()).map(|value| value + offset)
            && scale.contains(value)
        {
            return Ok(Some(value));
        }
        let on_scale = || format!(" on scale {}..={}", scale.min(), scale.max());
        let Some(value) = self.number(slot, on_scale)? else {
            return Ok(None);
        };
        let value = value + offset;
        match scale.classify(value) {
            Ok(Rating::Applicable(_) | Rating::NotApplicable) => Ok(Some(value)),
            Err(_) => Err(self.error(
                ReadErrorKind::OutOfScale,
                slot,
                format!("{value} is outside the scale {scale}"),
            )),
        }
    }

    /// A likelihood-to-recommend answer: a whole number on `scale`, after
    /// adding `offset`. The question offers eleven whole answers, so a
    /// fraction is a wrong column or a computed value, not an answer.
    #[inline]
    fn likelihood(
        &self,
        slot: usize,
        scale: &Scale,
        offset: f64,
    ) -> Result<Option<f64>, ReadError> {
        let value = self.rating(slot, scale, offset)?;
        if let Some(value) = value
            && value.fract() != 0.0
        {
            return Err(self.error(
                ReadErrorKind::NotAnInteger,
                slot,
                format!("{value} is not a whole number; expected an integer on scale {scale}"),
            ));
        }
        Ok(value)
    }

    #[inline]
    fn timestamp(&self, slot: usize) -> Result<Option<ReadTimestamp>, ReadError> {
        let Some(text) = self.text(slot) else {
            return Ok(None);
        };
        read_timestamp(text).map(Some).ok_or_else(|| {
            self.error(
                ReadErrorKind::InvalidTimestamp,
                slot,
                format!("{text:?} is not a timestamp; expected RFC 3339 (2024-03-15T12:34:56Z) or a date (2024-03-15)"),
            )
        })
    }

    #[inline]
    fn emotion(&self, slot: usize) -> Result<Option<Emotion>, ReadError> {
        let Some(text) = self.text(slot) else {
            return Ok(None);
        };
        text.parse().map(Some).map_err(|error: cx_model::Error| {
            self.error(ReadErrorKind::UnknownEmotion, slot, error.to_string())
        })
    }

    #[inline]
    fn answer(&self, slot: usize) -> Result<Answer, ReadError> {
        let Some(text) = self.text(slot) else {
            return Ok(Answer::NotAnswered);
        };
        text.parse().map_err(|error: cx_model::Error| {
            self.error(ReadErrorKind::InvalidAnswer, slot, error.to_string())
        })
    }

    fn mapped_answer(&self, slot: usize, mapping: &AnswerColumn) -> Result<Answer, ReadError> {
        let Some(text) = self.text(slot) else {
            return Ok(Answer::NotAnswered);
        };
        if !mapping.yes.is_empty() {
            let matches =
                |list: &[String]| list.iter().any(|t| t.trim().eq_ignore_ascii_case(text));
            if matches(&mapping.yes) {
                return Ok(Answer::Yes);
            }
            if matches(&mapping.no) {
                return Ok(Answer::No);
            }
            return Err(self.error(
                ReadErrorKind::InvalidAnswer,
                slot,
                format!(
                    "{text:?} is neither a yes ({}) nor a no ({}) answer",
                    mapping.yes.join(", "),
                    mapping.no.join(", ")
                ),
            ));
        }
        if let (Some(yes), Some(no)) = (mapping.yes_range, mapping.no_range) {
            let value = self.number(slot, String::new)?.unwrap_or(f64::NAN);
            let within = |[low, high]: [f64; 2]| value >= low && value <= high;
            if within(yes) {
                return Ok(Answer::Yes);
            }
            if within(no) {
                return Ok(Answer::No);
            }
            return Err(self.error(
                ReadErrorKind::InvalidAnswer,
                slot,
                format!(
                    "{value} is in neither the yes range {}..={} nor the no range {}..={}",
                    yes[0], yes[1], no[0], no[1]
                ),
            ));
        }
        self.answer(slot)
    }
}

/// A rating's usual spelling, one or two ASCII digits, read without the
/// general float parser (which gives the same value).
#[inline(always)]
fn small_integer(text: &[u8]) -> Option<f64> {
    match *text {
        [digit @ b'0'..=b'9'] => Some(f64::from(digit - b'0')),
        [tens @ b'0'..=b'9', ones @ b'0'..=b'9'] => {
            Some(f64::from((tens - b'0') * 10 + (ones - b'0')))
        }
        _ => None,
    }
}

/// A timestamp as read: the common UTC form, checked byte by byte and made
/// a `DateTime` only when someone asks for it, or any other form, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadTimestamp {
    Utc(UtcSeconds),
    Parsed(DateTime<Utc>),
}

impl ReadTimestamp {
    fn get(self) -> Option<DateTime<Utc>> {
        match self {
            ReadTimestamp::Utc(seconds) => seconds.to_datetime(),
            ReadTimestamp::Parsed(timestamp) => Some(timestamp),
        }
    }
}

/// A valid `YYYY-MM-DDTHH:MM:SSZ` timestamp, its parts packed into one word
/// (year, month, day, hour, minute, second, high to low, a byte each but
/// two for the year), so that it is returned in a register: a struct of
/// small fields would be written to memory piece by piece and read back
/// whole, which stalls the load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UtcSeconds(u64);

impl UtcSeconds {
    fn new(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Self {
        let bytes = [second, minute, hour, day, month, 0, 0, 0];
        UtcSeconds(u64::from_le_bytes(bytes) | u64::from(year) << 40)
    }

    /// The byte `index` places above the lowest.
    fn part(self, index: u32) -> u32 {
        (self.0 >> (8 * index)) as u32 & 0xFF
    }

    /// Never `None`: the parts were checked when read.
    fn to_datetime(self) -> Option<DateTime<Utc>> {
        let year = (self.0 >> 40) as i32;
        let date = NaiveDate::from_ymd_opt(year, self.part(4), self.part(3))?;
        let time = date.and_hms_opt(self.part(2), self.part(1), self.part(0))?;
        Some(time.and_utc())
    }
}

/// RFC 3339, or a plain date taken as midnight UTC.
fn read_timestamp(text: &str) -> Option<ReadTimestamp> {
    match parse_utc_seconds(text.as_bytes()) {
        Some(seconds) => Some(ReadTimestamp::Utc(seconds)),
        None => parse_timestamp_fully(text).map(ReadTimestamp::Parsed),
    }
}

/// RFC 3339, or a plain date taken as midnight UTC, as a `DateTime`.
#[cfg(test)]
fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    read_timestamp(text).and_then(ReadTimestamp::get)
}

/// RFC 3339, or a plain date taken as midnight UTC, fully parsed: what
/// [`read_timestamp`] falls back on when the byte-level shortcut does not
/// apply.
fn parse_timestamp_fully(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(timestamp) = DateTime::parse_from_rfc3339(text) {
        return Some(timestamp.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

/// The common export form `YYYY-MM-DDTHH:MM:SSZ`, read and checked byte by
/// byte (the calendar included); `None` for anything else (including a leap
/// second), which the full RFC 3339 parser then reads. A property test holds
/// the two to the same answers.
#[inline(always)]
fn parse_utc_seconds(text: &[u8]) -> Option<UtcSeconds> {
    let &[
        y0,
        y1,
        y2,
        y3,
        b'-',
        mo0,
        mo1,
        b'-',
        d0,
        d1,
        b'T',
        h0,
        h1,
        b':',
        mi0,
        mi1,
        b':',
        s0,
        s1,
        b'Z',
    ] = text
    else {
        return None;
    };
    // All fourteen digits checked at once, eight bytes to a word: a digit
    // is 0x30..=0x39, so its high nibble is 3, and stays 3 after adding 6
    // (which carries out of a low nibble only above 9, never out of a byte).
    let date = u64::from_le_bytes([y0, y1, y2, y3, mo0, mo1, d0, d1]);
    let time = u64::from_le_bytes([h0, h1, mi0, mi1, s0, s1, b'0', b'0']);
    let all_digits = |word: u64| {
        const HIGH: u64 = u64::from_le_bytes([0xF0; 8]);
        const THREES: u64 = u64::from_le_bytes([0x30; 8]);
        word & HIGH == THREES && word.wrapping_add(u64::from_le_bytes([6; 8])) & HIGH == THREES
    };
    if !(all_digits(date) && all_digits(time)) {
        return None;
    }
    let two = |high: u8, low: u8| (high - b'0') * 10 + (low - b'0');
    let year = u16::from(two(y0, y1)) * 100 + u16::from(two(y2, y3));
    let (month, day) = (two(mo0, mo1), two(d0, d1));
    let (hour, minute, second) = (two(h0, h1), two(mi0, mi1), two(s0, s1));
    // Days per month from a table rather than a `match`, whose jump on a
    // month that changes from row to row no predictor guesses; month 0 has
    // no days, so no day fits it.
    const DAYS: [u8; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = *DAYS.get(usize::from(month))? + u8::from(month == 2 && leap);
    if day == 0 || day > days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(UtcSeconds::new(year, month, day, hour, minute, second))
}

/// The outcome part of one long row, as both the plain and the general path
/// build it; `answers` in [`LoyaltyQuestion::ALL`] order.
fn outcome_part(
    respondent: &str,
    segment: Option<&str>,
    timestamp: Option<ReadTimestamp>,
    answers: [Answer; 3],
    likelihood: Option<f64>,
    effort: Option<f64>,
) -> Outcome {
    let mut part = Outcome::new(respondent);
    for (question, answer) in LoyaltyQuestion::ALL.into_iter().zip(answers) {
        *part.answer_mut(question) = answer;
    }
    part.likelihood_to_recommend = likelihood;
    part.effort = effort;
    part.segment = segment.map(str::to_owned);
    part.timestamp = timestamp.and_then(ReadTimestamp::get);
    part
}

/// Long-layout slot positions, in [`columns::ALL`] order.
mod slot {
    pub const RESPONDENT_ID: usize = 0;
    pub const TOUCHPOINT: usize = 1;
    pub const REALITY: usize = 2;
    pub const EXPECTATION: usize = 3;
    pub const SEGMENT: usize = 4;
    pub const CHANNEL: usize = 5;
    pub const TIMESTAMP: usize = 6;
    pub const EMOTION: usize = 7;
    pub const COMMENT: usize = 8;
    pub const ANSWERS: [usize; 3] = [9, 10, 11];
    pub const LIKELIHOOD: usize = 12;
    pub const EFFORT: usize = 13;
}

/// The wide layout's columns, resolved to slots.
struct WideMapping {
    id: Option<usize>,
    segments: Vec<usize>,
    timestamp: Option<usize>,
    /// (touchpoint index, reality slot, expectation slot)
    touchpoints: Vec<(usize, usize, Option<usize>)>,
    answers: [Option<(usize, AnswerColumn)>; 3],
    likelihood: Option<(usize, NumberColumn)>,
    effort: Option<(usize, NumberColumn)>,
}

enum Kind {
    Long,
    Wide(Box<WideMapping>),
}

/// An outcome being gathered over a respondent's rows.
struct PendingOutcome {
    outcome: Outcome,
    has_values: bool,
    /// The text of an earlier respondent's segment, which a segment read
    /// later reuses instead of allocating its own.
    spare_segment: Option<String>,
}

impl PendingOutcome {
    fn new(respondent: &str) -> Self {
        PendingOutcome {
            outcome: Outcome::new(respondent),
            has_values: false,
            spare_segment: None,
        }
    }

    /// Empties this outcome for `respondent`, keeping its strings.
    fn restart(&mut self, respondent: &str) {
        if let Some(segment) = self.outcome.segment.take() {
            self.spare_segment = Some(segment);
        }
        let mut id = std::mem::take(&mut self.outcome.respondent_id);
        id.clear();
        id.push_str(respondent);
        self.outcome = Outcome::new(id);
        self.has_values = false;
    }
}

struct Interpreter {
    kind: Kind,
    names: Vec<String>,
    required: Vec<String>,
    journey: Journey,
    likelihood_scale: Scale,
    context: Context,
    outcomes: Gatherer,
    /// Whether plain long rows take the short way (always, but for tests).
    plain_rows: bool,
}

/// Gathers each respondent's outcome over their rows.
struct Gatherer {
    order: RespondentOrder,
    /// With contiguous respondents: the outcome of the respondent being
    /// read, and the one of the respondent before, which the row that
    /// ended it hands out. The two slots take turns, so no outcome is ever
    /// moved: handing one out lends it, and the respondent after next
    /// reuses its strings.
    slots: [PendingOutcome; 2],
    /// The slot of the respondent being read; `None` before the first.
    current: Option<usize>,
    /// Whether the other slot holds an outcome this row finished, which
    /// the row hands out.
    finished: bool,
    scattered: Vec<PendingOutcome>,
    scattered_index: HashMap<String, usize>,
}

impl Interpreter {
    fn new(
        layout: Layout,
        journey_file: &JourneyFile,
        options: &ReadOptions,
        context: Context,
    ) -> Result<Self, ReadError> {
        let journey = journey_file.journey.clone();
        let mut names: Vec<String> = Vec::new();
        let mut required = Vec::new();
        let kind = match layout {
            Layout::Wide => {
                let mut slot_of = |name: &str, names: &mut Vec<String>| {
                    names.push(name.to_owned());
                    required.push(name.to_owned());
                    names.len() - 1
                };
                let empty = RespondentColumns::default();
                let respondents = journey_file.respondents.as_ref().unwrap_or(&empty);
                let id = respondents
                    .id_column
                    .as_deref()
                    .map(|c| slot_of(c, &mut names));
                let segments = respondents
                    .segment_columns
                    .iter()
                    .map(|c| slot_of(c, &mut names))
                    .collect();
                let timestamp = respondents
                    .timestamp_column
                    .as_deref()
                    .map(|c| slot_of(c, &mut names));
                let mut touchpoints = Vec::new();
                for (index, touchpoint) in journey.touchpoints().enumerate() {
                    if let Some(column) = &touchpoint.source_column {
                        let reality = slot_of(column, &mut names);
                        let expectation = touchpoint
                            .expectation_column
                            .as_deref()
                            .map(|c| slot_of(c, &mut names));
                        touchpoints.push((index, reality, expectation));
                    }
                }
                if touchpoints.is_empty() {
                    return Err(context.fatal(
                        ReadErrorKind::Mapping,
                        format!(
                            "the file is read as wide, but journey {:?} maps no touchpoint to a column; expected `source_column` on its touchpoints",
                            journey.name()
                        ),
                    ));
                }
                let answers = [
                    &respondents.expectations_met,
                    &respondents.would_return,
                    &respondents.would_recommend,
                ]
                .map(|mapping| {
                    mapping
                        .as_ref()
                        .map(|m| (slot_of(&m.column, &mut names), m.clone()))
                });
                let likelihood = respondents
                    .likelihood_to_recommend
                    .as_ref()
                    .map(|m| (slot_of(&m.column, &mut names), m.clone()));
                let effort = respondents
                    .effort
                    .as_ref()
                    .map(|m| (slot_of(&m.column, &mut names), m.clone()));
                Kind::Wide(Box::new(WideMapping {
                    id,
                    segments,
                    timestamp,
                    touchpoints,
                    answers,
                    likelihood,
                    effort,
                }))
            }
            Layout::Long | Layout::Auto => {
                names = columns::ALL.iter().map(|c| (*c).to_owned()).collect();
                required = [
                    columns::RESPONDENT_ID,
                    columns::TOUCHPOINT,
                    columns::REALITY,
                ]
                .map(str::to_owned)
                .to_vec();
                Kind::Long
            }
        };
        Ok(Interpreter {
            kind,
            names,
            required,
            journey,
            likelihood_scale: options.likelihood_scale,
            context,
            outcomes: Gatherer {
                order: options.respondents,
                slots: [PendingOutcome::new(""), PendingOutcome::new("")],
                current: None,
                finished: false,
                scattered: Vec::new(),
                scattered_index: HashMap::new(),
            },
            plain_rows: true,
        })
    }

    fn layout_name(&self) -> &'static str {
        match self.kind {
            Kind::Long => "long",
            Kind::Wide(_) => "wide",
        }
    }

    fn wanted_columns(&self) -> Vec<String> {
        self.names.clone()
    }

    fn required_columns(&self) -> Vec<String> {
        self.required.clone()
    }

    /// Appends a wide row's records to `out` (cleared first) and returns a
    /// long row's observation, borrowed from the row; an outcome the row
    /// finished is then [`Gatherer::finished`]. On an error `out` may hold
    /// a part of the row, which the caller discards.
    fn interpret<'row>(
        &mut self,
        row: RowRef<'row>,
        empty_cells: &mut u64,
        out: &mut Vec<Record>,
    ) -> Result<Option<ObservationView<'row>>, ReadError> {
        self.outcomes.begin_row();
        out.clear();
        match &self.kind {
            Kind::Long => self.long(row),
            Kind::Wide(mapping) => {
                let cells = Cells {
                    row,
                    names: &self.names,
                    context: &self.context,
                };
                wide(
                    &cells,
                    mapping,
                    &self.journey,
                    &self.likelihood_scale,
                    empty_cells,
                    out,
                )?;
                Ok(None)
            }
        }
    }

    /// A long row: its outcome part goes to its respondent's pending outcome
    /// (finishing the previous respondent's); its observation, if any, is
    /// returned.
    fn long<'row>(
        &mut self,
        row: RowRef<'row>,
    ) -> Result<Option<ObservationView<'row>>, ReadError> {
        let cells = Cells {
            row,
            names: &self.names,
            context: &self.context,
        };
        if self.plain_rows
            && let Some((observation, likelihood)) = self.plain_row(&cells)
        {
            let locate = |kind, slot, message| cells.error(kind, slot, message);
            gather_plain(&mut self.outcomes, &observation, likelihood, &locate)?;
            return Ok(Some(observation));
        }
        let respondent = cells.required(slot::RESPONDENT_ID)?;
        let segment = cells.text(slot::SEGMENT);
        let timestamp = cells.timestamp(slot::TIMESTAMP)?;

        let answers = [
            cells.answer(slot::ANSWERS[0])?,
            cells.answer(slot::ANSWERS[1])?,
            cells.answer(slot::ANSWERS[2])?,
        ];
        let likelihood = cells.likelihood(slot::LIKELIHOOD, &self.likelihood_scale, 0.0)?;
        let effort = cells.number(slot::EFFORT, String::new)?;
        let has_outcome = answers.iter().any(|a| *a != Answer::NotAnswered)
            || likelihood.is_some()
            || effort.is_some();

        let touchpoint = cells.text(slot::TOUCHPOINT);
        let reality = cells.text(slot::REALITY);
        let observation = if touchpoint.is_none() && reality.is_none() && has_outcome {
            // An outcome-only row.
            None
        } else {
            let touchpoint = cells.required(slot::TOUCHPOINT)?;
            let Some(position) = self.journey.position_of(touchpoint) else {
                return Err(cells.error(
                    ReadErrorKind::UnknownTouchpoint,
                    slot::TOUCHPOINT,
                    format!(
                        "{touchpoint:?} is not a touchpoint of journey {:?}",
                        self.journey.name()
                    ),
                ));
            };
            let scale = self.journey.scale();
            if reality.is_none() {
                cells.required(slot::REALITY)?;
            }
            Some(ObservationView {
                respondent_id: respondent,
                touchpoint_id: touchpoint,
                touchpoint_index: position.index,
                reality: cells.rating(slot::REALITY, scale, 0.0)?.unwrap_or(f64::NAN),
                expectation: cells.rating(slot::EXPECTATION, scale, 0.0)?,
                segment,
                channel_text: cells.text(slot::CHANNEL),
                channel: OnceCell::new(),
                timestamp,
                emotion: cells.emotion(slot::EMOTION)?,
                comment: cells.text(slot::COMMENT),
            })
        };

        let part = has_outcome
            .then(|| outcome_part(respondent, segment, timestamp, answers, likelihood, effort));
        let locate = |kind, slot, message| cells.error(kind, slot, message);
        self.outcomes.gather(&locate, respondent, part)?;
        Ok(observation)
    }

    /// The observation and likelihood to recommend of a plain long row,
    /// read the short way: a known touchpoint, ratings (and likelihood, if
    /// any) that are small whole numbers on their scales, a timestamp (if
    /// any) in the `YYYY-MM-DDTHH:MM:SSZ` form, an emotion (if any) spelled
    /// as such, and no other outcome values. `None` for any other row, which
    /// the general path then reads (and rejects, if it must). Both paths give
    /// the same records: a test holds them to it.
    #[inline]
    fn plain_row<'row>(
        &self,
        cells: &Cells<'row, '_>,
    ) -> Option<(ObservationView<'row>, Option<f64>)> {
        let absent = |slot| cells.text(slot).is_none();
        if !(absent(slot::EFFORT) && slot::ANSWERS.into_iter().all(absent)) {
            return None;
        }
        let likelihood = match cells.text(slot::LIKELIHOOD) {
            None => None,
            Some(text) => Some(
                small_integer(text.as_bytes())
                    .filter(|&value| self.likelihood_scale.contains(value))?,
            ),
        };
        let scale = self.journey.scale();
        let rating =
            |text: &str| small_integer(text.as_bytes()).filter(|&value| scale.contains(value));
        let touchpoint = cells.text(slot::TOUCHPOINT)?;
        let expectation = match cells.text(slot::EXPECTATION) {
            None => None,
            Some(text) => Some(rating(text)?),
        };
        let timestamp = match cells.text(slot::TIMESTAMP) {
            None => None,
            Some(text) => Some(ReadTimestamp::Utc(parse_utc_seconds(text.as_bytes())?)),
        };
        let emotion = match cells.text(slot::EMOTION) {
            None => None,
            Some(text) => Some(text.parse().ok()?),
        };
        let observation = ObservationView {
            respondent_id: cells.text(slot::RESPONDENT_ID)?,
            touchpoint_index: self.journey.position_of(touchpoint)?.index,
            touchpoint_id: touchpoint,
            reality: rating(cells.text(slot::REALITY)?)?,
            expectation,
            segment: cells.text(slot::SEGMENT),
            channel_text: cells.text(slot::CHANNEL),
            channel: OnceCell::new(),
            timestamp,
            emotion,
            comment: cells.text(slot::COMMENT),
        };
        Some((observation, likelihood))
    }

    /// Gathers the outcome part of a plain line read the short way, at
    /// `(line, record)`, as [`interpret`](Self::interpret) does.
    #[inline]
    fn plain(
        &mut self,
        observation: &ObservationView<'_>,
        likelihood: Option<f64>,
        (line, record): (u64, u64),
    ) -> Result<(), ReadError> {
        let (context, names, outcomes) = (&self.context, &self.names, &mut self.outcomes);
        outcomes.begin_row();
        // The usual row: the respondent of the row before, no outcome value.
        if likelihood.is_none() && outcomes.continues(observation.respondent_id) {
            return Ok(());
        }
        let locate = |kind, slot: usize, message| {
            context.error(
                kind,
                Some(line),
                Some(record),
                names.get(slot).map(String::as_str),
                message,
            )
        };
        gather_plain(outcomes, observation, likelihood, &locate)
    }

    /// The outcomes still held at the end of the input.
    fn finish(&mut self) -> Vec<Record> {
        self.outcomes.finish()
    }
}

/// Whether two texts are equal; ids of 8 to 16 bytes, the usual ones, are
/// compared as two overlapping words each, inline, rather than by a call
/// whose branches on the length a predictor guesses poorly.
#[inline(always)]
fn same_short_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        8..=16 => a.first_chunk::<8>() == b.first_chunk() && a.last_chunk::<8>() == b.last_chunk(),
        _ => a == b,
    }
}

/// Makes the error of a row's cell: its kind, slot and message.
type Locate<'a> = dyn Fn(ReadErrorKind, usize, String) -> ReadError + 'a;

/// Gathers a plain row's outcome part, its likelihood to recommend if any,
/// as [`Gatherer::gather`] would gather it as an [`outcome_part`], without
/// building one.
fn gather_plain(
    outcomes: &mut Gatherer,
    observation: &ObservationView<'_>,
    likelihood: Option<f64>,
    locate: &Locate<'_>,
) -> Result<(), ReadError> {
    let respondent = observation.respondent_id;
    let Some(pending) = outcomes.pending(respondent, likelihood.is_some()) else {
        return Ok(());
    };
    let Some(likelihood) = likelihood else {
        return Ok(());
    };
    let outcome = &mut pending.outcome;
    if let Some(before) = outcome.likelihood_to_recommend
        && before != likelihood
    {
        return Err(conflict(
            locate,
            respondent,
            slot::LIKELIHOOD,
            before.to_string(),
            likelihood.to_string(),
        ));
    }
    outcome.likelihood_to_recommend = Some(likelihood);
    if outcome.segment.is_none()
        && let Some(segment) = observation.segment
    {
        let mut text = pending.spare_segment.take().unwrap_or_default();
        text.clear();
        text.push_str(segment);
        outcome.segment = Some(text);
    }
    if outcome.timestamp.is_none() {
        outcome.timestamp = observation.timestamp.and_then(ReadTimestamp::get);
    }
    pending.has_values = true;
    Ok(())
}

/// The error of a row whose `now` answers `slot` otherwise than the
/// respondent's `before` on an earlier row.
fn conflict(
    locate: &Locate<'_>,
    respondent: &str,
    slot: usize,
    before: String,
    now: String,
) -> ReadError {
    locate(
        ReadErrorKind::ConflictingAnswer,
        slot,
        format!("respondent {respondent:?} answered {now:?} here but {before:?} on an earlier row"),
    )
}

impl Gatherer {
    /// Adds one row's outcome values to its respondent's pending outcome;
    /// `locate` makes the error of a conflicting value.
    fn gather(
        &mut self,
        locate: &Locate<'_>,
        respondent: &str,
        part: Option<Outcome>,
    ) -> Result<(), ReadError> {
        let pending = self.pending(respondent, part.is_some());
        let (Some(pending), Some(part)) = (pending, part) else {
            return Ok(());
        };
        // Check every field before changing anything, so a rejected row leaves no trace.
        let target = &pending.outcome;
        let conflict = |slot: usize, before: String, now: String| {
            conflict(locate, &target.respondent_id, slot, before, now)
        };
        for (question, slot) in LoyaltyQuestion::ALL.into_iter().zip(slot::ANSWERS) {
            let (before, now) = (target.answer(question), part.answer(question));
            if before != Answer::NotAnswered && now != Answer::NotAnswered && before != now {
                return Err(conflict(slot, before.to_string(), now.to_string()));
            }
        }
        for (slot, before, now) in [
            (
                slot::LIKELIHOOD,
                target.likelihood_to_recommend,
                part.likelihood_to_recommend,
            ),
            (slot::EFFORT, target.effort, part.effort),
        ] {
            if let (Some(before), Some(now)) = (before, now)
                && before != now
            {
                return Err(conflict(slot, before.to_string(), now.to_string()));
            }
        }
        let outcome = &mut pending.outcome;
        for question in LoyaltyQuestion::ALL {
            if part.answer(question) != Answer::NotAnswered {
                *outcome.answer_mut(question) = part.answer(question);
            }
        }
        outcome.likelihood_to_recommend = outcome
            .likelihood_to_recommend
            .or(part.likelihood_to_recommend);
        outcome.effort = outcome.effort.or(part.effort);
        if outcome.segment.is_none() {
            outcome.segment = part.segment;
        }
        if outcome.timestamp.is_none() {
            outcome.timestamp = part.timestamp;
        }
        pending.has_values = true;
        Ok(())
    }

    /// The pending outcome of `respondent`, started if it is new; with
    /// contiguous respondents, the previous respondent's is finished then.
    /// `None` for a scattered respondent's row without outcome values
    /// (`has_part` false), which need not start one.
    #[inline]
    fn pending(&mut self, respondent: &str, has_part: bool) -> Option<&mut PendingOutcome> {
        match self.order {
            RespondentOrder::Contiguous => {
                if !self.continues(respondent) {
                    let next = match self.current {
                        // The other slot's outcome was handed out by now.
                        Some(current) if self.slots.get(current)?.has_values => {
                            self.finished = true;
                            1 - current
                        }
                        Some(current) => current,
                        None => 0,
                    };
                    self.slots.get_mut(next)?.restart(respondent);
                    self.current = Some(next);
                }
                self.slots.get_mut(self.current?)
            }
            RespondentOrder::Scattered => {
                if !has_part {
                    return None;
                }
                let index = match self.scattered_index.get(respondent) {
                    Some(&index) => index,
                    None => {
                        self.scattered.push(PendingOutcome::new(respondent));
                        let index = self.scattered.len() - 1;
                        self.scattered_index.insert(respondent.to_owned(), index);
                        index
                    }
                };
                self.scattered.get_mut(index)
            }
        }
    }

    /// Whether a row of `respondent` continues the pending outcome of the
    /// row before: respondents are contiguous and it is theirs.
    #[inline(always)]
    fn continues(&self, respondent: &str) -> bool {
        self.order == RespondentOrder::Contiguous
            && self
                .current
                .and_then(|current| self.slots.get(current))
                .is_some_and(|p| same_short_text(&p.outcome.respondent_id, respondent))
    }

    /// Readies the gatherer for the next row: the outcome the row before
    /// finished has been handed out.
    #[inline(always)]
    fn begin_row(&mut self) {
        self.finished = false;
    }

    /// The outcome the current row finished, to be handed out with it.
    #[inline(always)]
    fn finished(&self) -> Option<&Outcome> {
        let current = self.current.filter(|_| self.finished)?;
        self.slots.get(1 - current).map(|p| &p.outcome)
    }

    /// The outcomes still held at the end of the input.
    fn finish(&mut self) -> Vec<Record> {
        self.finished = false;
        let mut rest: Vec<Record> = self
            .current
            .take()
            .and_then(|current| self.slots.get_mut(current))
            .filter(|p| p.has_values)
            .map(|p| Record::Outcome(std::mem::replace(&mut p.outcome, Outcome::new(""))))
            .into_iter()
            .collect();
        rest.extend(
            self.scattered
                .drain(..)
                .filter(|p| p.has_values)
                .map(|p| Record::Outcome(p.outcome)),
        );
        self.scattered_index.clear();
        rest
    }
}

/// One wide row: every mapped touchpoint cell and the outcome columns.
fn wide(
    cells: &Cells<'_, '_>,
    mapping: &WideMapping,
    journey: &Journey,
    likelihood_scale: &Scale,
    empty_cells: &mut u64,
    records: &mut Vec<Record>,
) -> Result<(), ReadError> {
    let respondent = match mapping.id {
        Some(slot) => cells.required(slot)?.to_owned(),
        None => cells.row.record.to_string(),
    };
    let segment_values: Vec<&str> = mapping
        .segments
        .iter()
        .filter_map(|&slot| cells.text(slot))
        .collect();
    let segment = (!segment_values.is_empty()).then(|| segment_values.join(" / "));
    let timestamp = match mapping.timestamp {
        Some(slot) => cells.timestamp(slot)?.and_then(ReadTimestamp::get),
        None => None,
    };
    let scale = journey.scale();
    let mut empty = 0;
    for &(index, reality_slot, expectation_slot) in &mapping.touchpoints {
        let Some(reality) = cells.rating(reality_slot, scale, 0.0)? else {
            empty += 1;
            continue;
        };
        let Some(touchpoint) = journey.touchpoint(index) else {
            continue;
        };
        let mut observation =
            Observation::new(respondent.as_str(), touchpoint.id.as_str(), reality);
        if let Some(slot) = expectation_slot {
            observation.expectation = cells.rating(slot, scale, 0.0)?;
        }
        observation.segment.clone_from(&segment);
        observation.timestamp = timestamp;
        records.push(Record::Observation(observation));
    }
    let mut outcome = Outcome::new(respondent.as_str());
    let mut has_outcome = false;
    for (question, answer) in LoyaltyQuestion::ALL.into_iter().zip(&mapping.answers) {
        if let Some((slot, column)) = answer {
            *outcome.answer_mut(question) = cells.mapped_answer(*slot, column)?;
            has_outcome = true;
        }
    }
    if let Some((slot, column)) = &mapping.likelihood {
        outcome.likelihood_to_recommend =
            cells.likelihood(*slot, likelihood_scale, column.offset)?;
        has_outcome = true;
    }
    if let Some((slot, column)) = &mapping.effort {
        outcome.effort = cells.number(*slot, String::new)?.map(|v| v + column.offset);
        has_outcome = true;
    }
    if has_outcome {
        outcome.segment = segment;
        outcome.timestamp = timestamp;
        records.push(Record::Outcome(outcome));
    }
    *empty_cells += empty;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Which ways of reading a long row a reader may take.
    #[derive(Debug, Clone, Copy)]
    enum Way {
        /// Plain lines straight from the text, and plain rows the short way.
        Lines,
        /// Plain rows the short way, once split into fields.
        PlainRows,
        /// The general path only.
        General,
    }

    /// Everything a reader gives for `csv`, errors in place, read `way`.
    fn read_with(csv: &str, way: Way, order: RespondentOrder) -> Vec<String> {
        // Ids short enough for one packed word (the longest such among
        // them), and one too long for it.
        let journey = cx_model::Journey::builder(
            "Shop",
            Scale::LIKERT_5
                .with_not_applicable(0.0)
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .stage(
            cx_model::Stage::new("Buy")
                .touchpoint(cx_model::Touchpoint::new("till", "Till", Channel::Store))
                .touchpoint(cx_model::Touchpoint::new(
                    "exactly_16_bytes",
                    "Sixteen",
                    Channel::Phone,
                ))
                .touchpoint(cx_model::Touchpoint::new(
                    "a_much_longer_touchpoint_id",
                    "Web",
                    Channel::Web,
                )),
        )
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
        let journey = JourneyFile {
            journey,
            respondents: None,
        };
        let options = ReadOptions::default()
            .format(InputFormat::Csv { delimiter: None })
            .respondents(order);
        let mut reader = ResponseReader::from_reader(csv.as_bytes(), "rows.csv", &journey, options)
            .unwrap_or_else(|e| panic!("{e}"));
        if !matches!(way, Way::Lines) {
            reader.lines = None;
        }
        reader.interpreter.plain_rows = !matches!(way, Way::General);
        reader
            .map(|item| match item {
                Ok(record) => format!("{record:?}"),
                Err(error) => format!("error: {error}"),
            })
            .collect()
    }

    /// A cell: mostly one of the `plain` values, sometimes one of the `odd`.
    fn cell(
        plain: &[&'static str],
        odd: &[&'static str],
    ) -> impl Strategy<Value = &'static str> + use<> {
        prop_oneof![
            6 => prop::sample::select(plain.to_vec()),
            1 => prop::sample::select(odd.to_vec()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The short way for plain rows reads what the general path reads,
        /// on rows plain and not, good and bad.
        #[test]
        fn plain_rows_read_as_the_general_path_reads(
            rows in prop::collection::vec((
                cell(&["r1", "r2"], &[" r2", ""]),
                cell(&["till", "a_much_longer_touchpoint_id"], &["a_much_longer_touchpoint_iD", "nowhere", " till", ""]),
                cell(&["1", "5", "3"], &["0", "6", "3.5", "", " 4", "x", "10", "03"]),
                cell(&["2", ""], &["0", "7", "4.0"]),
                cell(&["", "smb", "consumer"], &[" smb "]),
                cell(&["", "web"], &["kiosk", "Web"]),
                cell(&["", "2024-03-15T12:34:56Z"], &["2024-02-30T12:00:00Z", "2024-03-15", "yesterday"]),
                cell(&["", "happy", "cared for"], &["Cared-For", "grumpy"]),
                cell(&["", "9", "0", "10"], &["11", "4.5", "-1"]),
                cell(&[""], &["yes", "maybe"]),
            ), 0..12),
            scattered in any::<bool>(),
        ) {
            let mut csv = String::from("respondent_id,touchpoint,reality,expectation,segment,channel,timestamp,emotion,likelihood_to_recommend,would_return\n");
            for (id, touchpoint, reality, expectation, segment, channel, timestamp, emotion, likelihood, answer) in rows {
                csv.push_str(&[id, touchpoint, reality, expectation, segment, channel, timestamp, emotion, likelihood, answer].join(","));
                csv.push('\n');
            }
            let order = if scattered { RespondentOrder::Scattered } else { RespondentOrder::Contiguous };
            let general = read_with(&csv, Way::General, order);
            prop_assert_eq!(&read_with(&csv, Way::PlainRows, order), &general);
            prop_assert_eq!(&read_with(&csv, Way::Lines, order), &general);
        }

        /// Plain lines read straight from the text give what the general
        /// path gives, whatever the column order, extra columns, line
        /// breaks, quotes, blank lines, field counts and line lengths.
        #[test]
        fn plain_lines_read_as_the_general_path_reads(
            order in Just((0..8).collect::<Vec<usize>>()).prop_shuffle(),
            extra in any::<bool>(),
            tabs in any::<bool>(),
            rows in prop::collection::vec((
                cell(&["r1", "r2"], &[" r2", ""]),
                cell(
                    &["till", "exactly_16_bytes", "a_much_longer_touchpoint_id"],
                    &["nowhere", "\"till\"", " till", "till ", "til", "tilL", "till\0", "exactly_16_bytes_", "a_much_longer_touchpoint_iD"],
                ),
                cell(&["1", "5", "3"], &["0", "6", "3.5", ""]),
                cell(&["2", ""], &["0", "7"]),
                cell(&["", "smb"], &[" smb ", "\"s,m\"", "\"a\nb\""]),
                cell(&["", "2024-03-15T12:34:56Z"], &["2024-02-30T12:00:00Z", "2024-03-15"]),
                cell(&["", "happy", "cared for"], &["Cared-For", "cared_for", "HAPPY", " happy", "grumpy", "dissatisfied_and_more"]),
                cell(&["", "9", "10"], &["11", "4.5"]),
                cell(&["", "note"], &["a\rb", "x".repeat(130).leak(), "two,fields"]),
                cell(&["\n", ""], &["\r\n", "\n\n", "\r"]),
            ), 0..12),
            end_with_line_break in any::<bool>(),
        ) {
            let names = ["respondent_id", "touchpoint", "reality", "expectation", "segment", "timestamp", "emotion", "likelihood_to_recommend"];
            let delimiter = if tabs { "\t" } else { "," };
            let mut header: Vec<&str> = order.iter().map(|&i| names[i]).collect();
            if extra {
                header.insert(1, "comment");
            }
            let mut csv = header.join(delimiter);
            csv.push('\n');
            for (id, touchpoint, reality, expectation, segment, timestamp, emotion, likelihood, comment, ending) in rows {
                let values = [id, touchpoint, reality, expectation, segment, timestamp, emotion, likelihood];
                let mut fields: Vec<&str> = order.iter().map(|&i| values[i]).collect();
                if extra {
                    fields.insert(1, comment);
                }
                csv.push_str(&fields.join(delimiter).replace(',', delimiter));
                csv.push_str(if ending.is_empty() { "\n" } else { ending });
            }
            if !end_with_line_break {
                csv.pop();
            }
            let general = read_with(&csv, Way::General, RespondentOrder::Contiguous);
            prop_assert_eq!(read_with(&csv, Way::Lines, RespondentOrder::Contiguous), general);
        }
    }

    proptest! {
        #[test]
        fn short_texts_compare_as_texts(a in "[ab]{0,20}", b in "[ab]{0,20}") {
            prop_assert_eq!(same_short_text(&a, &b), a == b);
            prop_assert!(same_short_text(&a, &a.clone()));
        }
    }

    #[test]
    fn a_built_observation_is_lent_field_for_field() {
        let timestamp = chrono::DateTime::parse_from_rfc3339("2024-05-01T10:00:00Z")
            .unwrap_or_else(|e| panic!("{e}"))
            .with_timezone(&Utc);
        let observation = Observation::new("r1", "till", 2.0)
            .with_expectation(4.0)
            .with_segment("smb")
            .with_channel(Channel::Phone)
            .with_timestamp(timestamp)
            .with_emotion(Emotion::Rushed)
            .with_comment("slow");
        let record = Record::Observation(observation.clone());
        let RecordRef::Observation(lent) = record.as_record_ref() else {
            panic!("an observation is lent as one");
        };
        assert_eq!(lent.touchpoint_index_hint(), None);
        assert_eq!(Observation::from_record(&lent), observation);
        assert_eq!(record.as_record_ref().to_record(), record);
    }

    #[test]
    fn plain_lines_are_read_straight_from_the_text() {
        let csv =
            "respondent_id,touchpoint,reality,likelihood_to_recommend\nr1,till,4,9\nr1,till,2,\n";
        let mut reader = ResponseReader::from_reader(
            csv.as_bytes(),
            "rows.csv",
            &JourneyFile {
                journey: cx_model::Journey::builder("Shop", Scale::LIKERT_5)
                    .stage(
                        cx_model::Stage::new("Buy").touchpoint(cx_model::Touchpoint::new(
                            "till",
                            "Till",
                            Channel::Store,
                        )),
                    )
                    .build()
                    .unwrap_or_else(|e| panic!("{e}")),
                respondents: None,
            },
            ReadOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        // Were the short way not taken, the rows would be split into fields.
        reader.interpreter.plain_rows = false;
        let mut realities = Vec::new();
        let mut likelihoods = Vec::new();
        while let Some(step) = reader.step_plain_line(&mut |record| match record {
            RecordRef::Observation(o) => realities.push(o.reality()),
            RecordRef::Outcome(o) => likelihoods.push(o.likelihood_to_recommend),
        }) {
            assert!(matches!(step, Step::Read));
        }
        assert_eq!(realities, [4.0, 2.0]);
        // The outcome is handed out when the respondent's rows end.
        assert!(likelihoods.is_empty());
        assert_eq!(reader.summary.records_read, 2);
        assert_eq!(reader.source.line_breaks(), 3);
    }

    #[test]
    fn byte_level_timestamps_by_hand() {
        let parsed = parse_utc_seconds(b"2024-02-29T23:59:58Z")
            .and_then(UtcSeconds::to_datetime)
            .map(|t| t.to_rfc3339());
        assert_eq!(parsed.as_deref(), Some("2024-02-29T23:59:58+00:00"));
        assert_eq!(parse_utc_seconds(b"2023-02-29T10:00:00Z"), None);
        assert!(parse_utc_seconds(b"2000-02-29T10:00:00Z").is_some());
        assert_eq!(parse_utc_seconds(b"1900-02-29T10:00:00Z"), None);
        assert_eq!(parse_utc_seconds(b"2024-04-31T10:00:00Z"), None);
        assert_eq!(parse_utc_seconds(b"2024-00-10T10:00:00Z"), None);
        assert_eq!(parse_utc_seconds(b"2024-01-00T10:00:00Z"), None);
        assert_eq!(parse_utc_seconds(b"2024-01-01T24:00:00Z"), None);
        // A leap second is left to chrono.
        assert_eq!(parse_utc_seconds(b"2016-12-31T23:59:60Z"), None);
        assert!(parse_timestamp("2016-12-31T23:59:60Z").is_some());
        assert_eq!(parse_utc_seconds(b"2024-01-01t10:00:00Z"), None);
    }

    proptest! {
        /// The byte-level path answers exactly as chrono does, or leaves the
        /// text to it.
        #[test]
        fn byte_level_timestamps_agree_with_chrono(
            (year, month, day) in (0u32..10_000, 0u32..14, 0u32..33),
            (hour, minute, second) in (0u32..26, 0u32..62, 0u32..62),
            separator in prop::sample::select(vec!["-", "/"]),
            letter in prop::sample::select(vec!['T', 't', ' ', 'Z']),
            zone in prop::sample::select(vec!["Z", "z", "+00:00", ""]),
        ) {
            let text = format!(
                "{year:04}-{month:02}{separator}{day:02}{letter}{hour:02}:{minute:02}:{second:02}{zone}"
            );
            if let Some(fast) = parse_utc_seconds(text.as_bytes()) {
                prop_assert_eq!(fast.to_datetime(), parse_timestamp_fully(&text));
                prop_assert!(fast.to_datetime().is_some());
            }
            prop_assert_eq!(parse_timestamp(&text), parse_timestamp_fully(&text));
        }

        /// The small-integer shortcut reads what the float parser reads,
        /// and leaves everything else to it.
        #[test]
        fn small_integers_agree_with_the_float_parser(text in "[0-9+.e -]{0,3}") {
            if let Some(fast) = small_integer(text.as_bytes()) {
                prop_assert_eq!(Ok(fast), text.parse::<f64>());
            }
        }
    }

    #[test]
    fn small_integers_by_hand() {
        assert_eq!(small_integer(b"7"), Some(7.0));
        assert_eq!(small_integer(b"10"), Some(10.0));
        assert_eq!(small_integer(b"07"), Some(7.0));
        assert_eq!(small_integer(b"100"), None);
        assert_eq!(small_integer(b"-1"), None);
        assert_eq!(small_integer(b"4.5"), None);
        assert_eq!(small_integer(b""), None);
    }
}
