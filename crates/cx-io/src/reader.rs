//! Reading survey responses into batches: one source per format, one
//! decoder per layout.
//!
//! A row's way from bytes to a batch: the source ([`CsvSource`] splits a
//! plain line where it lies in its read buffer, any other record through
//! csv-core; the JSON sources make a row of each object's values) lends a
//! row of the columns the layout reads; the layout's decoder reads its
//! cells by the rules of [`Cells`] and appends its observations to the
//! batch, and the outcomes of respondents whose rows have ended.

use std::collections::{BTreeMap, VecDeque};
use std::io::Read;
use std::path::Path;

use cx_model::{Journey, Observation, ObservationBatch, Outcome};

use crate::cells::{CellRules, Cells};
use crate::error::{Error, ErrorKind, Naming};
use crate::export::{HeaderRules, SurveyExport};
use crate::header;
use crate::journey_file::JourneyFile;
use crate::long::LongDecoder;
use crate::options::{DecimalMark, ErrorPolicy, InputFormat, Layout, Settings, columns};
use crate::runs::{RespondentRuns, RunCheck};
use crate::source::{Context, CsvSource, JsonArraySource, Limits, NdjsonSource, RowSource, Source};
use crate::summary::ReadSummary;
use crate::wide::WideDecoder;

/// One thing read from a responses file, owned.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A respondent at a touchpoint.
    Observation(Observation),
    /// A respondent's answers about the whole journey.
    Outcome(Outcome),
}

/// How a block of a CSV file ended, to check a guessed cut.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlockEnd {
    /// Line breaks read, the header's included.
    pub line_breaks: u64,
    /// Whether the last record ended with its line break (or there was
    /// none): false when the block ends inside a record.
    pub at_record_end: bool,
}

/// What reading one input record did.
enum Step {
    /// A record was read into the batch.
    Read,
    /// A record was rejected, or the input cannot be read on (a fatal
    /// error), or a record was read without one of its optional fields
    /// (the first such field's error; the reader's `fields` holds all).
    Rejected(Error),
    /// The input is done, and what it held to the end is in the batch.
    Finished,
}

/// The decoder of the file's layout.
// A reader holds one decoder, so the wide variant's size wastes a few
// hundred bytes per reader; boxing a variant would put a load in front of
// every row's decode.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Decoder {
    Long(LongDecoder),
    Wide(WideDecoder),
}

impl Decoder {
    /// The runs of respondents' rows, if the read keeps them.
    fn take_runs(&mut self) -> Option<RespondentRuns> {
        match self {
            Decoder::Long(long) => long.take_runs(),
            Decoder::Wide(wide) => wide.take_runs(),
        }
    }
}

/// Reads survey responses into [`ObservationBatch`]es, in constant memory
/// (but see [`RespondentOrder`](crate::RespondentOrder)); made by a
/// [`ResponseReaderBuilder`](crate::ResponseReaderBuilder).
///
/// Every input record is counted in the [`summary`](Self::summary) as
/// accepted or rejected; a rejected one is skipped under
/// [`ErrorPolicy::Lenient`] and ends the read under
/// [`ErrorPolicy::Strict`].
///
/// ```
/// use cx_io::{JourneyFile, JourneyFormat, ResponseReaderBuilder};
/// use cx_model::ObservationBatch;
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
/// let mut reader = ResponseReaderBuilder::new()
///     .name("responses.csv")
///     .from_reader(csv.as_bytes(), &journey)?;
/// let mut batch = ObservationBatch::new();
/// let mut realities = Vec::new();
/// while reader.read_batch(&mut batch)? {
///     realities.extend_from_slice(batch.realities());
/// }
/// assert_eq!(realities, [4.0]);
/// let summary = reader.summary();
/// assert_eq!((summary.records_read, summary.records_accepted, summary.outcomes), (2, 1, 1));
/// assert_eq!(
///     summary.examples[0].to_string(),
///     r#"responses.csv:3: column "reality": "seven" is not a number on scale 1..=5"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ResponseReader<'r> {
    source: Source<'r>,
    decoder: Decoder,
    /// The column of each slot the decoder reads.
    names: Vec<String>,
    context: Context,
    /// How the survey writes numbers, timestamps and ratings.
    rules: CellRules,
    journey: Journey,
    line_offset: u64,
    record_offset: u64,
    policy: ErrorPolicy,
    batch_rows: usize,
    max_examples: usize,
    summary: ReadSummary,
    finished: bool,
    /// For the record-at-a-time ways of reading: one input record's batch,
    /// and the records not yet handed out.
    step_batch: ObservationBatch,
    pending: VecDeque<Result<Record, Error>>,
    /// The errors of the optional fields of the record being read, which
    /// is kept without them.
    fields: Vec<Error>,
}

impl std::fmt::Debug for ResponseReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseReader")
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

impl<'r> ResponseReader<'r> {
    /// A reader set up by `builder`.
    pub(crate) fn new(
        builder: &Settings,
        input: Box<dyn Read + 'r>,
        journey: &JourneyFile,
    ) -> Result<Self, Error> {
        let name = builder.name.as_deref().unwrap_or("<input>");
        let format = builder
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
            max_field_bytes: builder.max_field_bytes,
            max_record_bytes: builder.max_record_bytes,
            max_document_bytes: builder.max_document_bytes,
        };
        let mut source = match format {
            InputFormat::Csv { delimiter } => Source::Csv(CsvSource::new(
                input,
                delimiter,
                HeaderRules::of(journey),
                context.clone(),
                limits,
            )?),
            InputFormat::Ndjson => {
                Source::Ndjson(NdjsonSource::new(input, context.clone(), limits))
            }
            InputFormat::Json => {
                Source::Json(JsonArraySource::new(input, context.clone(), limits)?)
            }
        };
        let layout = match builder.layout {
            Layout::Auto => {
                let offered = source.columns();
                let mapped = journey.journey.touchpoints().any(|touchpoint| {
                    touchpoint
                        .source_column
                        .as_ref()
                        .is_some_and(|column| header::position(offered, column).is_some())
                });
                if mapped && header::position(offered, columns::TOUCHPOINT).is_none() {
                    Layout::Wide
                } else {
                    Layout::Long
                }
            }
            layout => layout,
        };
        let check = RunCheck::new(builder.respondents, builder.respondent_runs);
        let (decoder, names, required, layout_name) = match layout {
            Layout::Wide => {
                let wide = WideDecoder::new(
                    journey,
                    builder.likelihood_scale,
                    &context,
                    builder.weight_column.as_deref(),
                    check,
                )?;
                let names = wide.columns().to_vec();
                (Decoder::Wide(wide), names.clone(), names, "wide")
            }
            Layout::Long | Layout::Auto => (
                Decoder::Long(LongDecoder::new(
                    &journey.journey,
                    builder.likelihood_scale,
                    builder.respondents,
                    check,
                    matches!(format, InputFormat::Csv { .. }).then(|| source.columns()),
                    builder.weight_column.is_some(),
                )),
                LongDecoder::columns(builder.weight_column.as_deref()),
                LongDecoder::required_columns(builder.weight_column.as_deref()),
                "long",
            ),
        };
        if let Some(weight) = &builder.weight_column
            && names
                .iter()
                .filter(|name| header::same_column(name, weight))
                .count()
                > 1
        {
            return Err(context.header_error(
                ErrorKind::DuplicateColumn,
                Some(weight),
                format!(
                    "is read for the {layout_name} layout already; expected a column of its own for the weights"
                ),
            ));
        }
        let names = header::resolve(
            &context,
            source.columns(),
            (&names, &required),
            matches!(format, InputFormat::Csv { .. }),
            layout_name,
        )?;
        source.bind(&names);
        let (csv_delimiter, export, header_rows, zone) = match &source {
            Source::Csv(csv) => (
                Some(csv.delimiter()),
                csv.export(),
                csv.header_rows(),
                csv.zone(),
            ),
            Source::Ndjson(_) | Source::Json(_) => (None, SurveyExport::Plain, 0, None),
        };
        let decimal_comma = DecimalMark::reads_comma(journey.decimal, csv_delimiter);
        let rules = CellRules::new(journey, decimal_comma, export, zone)
            .map_err(|message| context.header_error(ErrorKind::Mapping, None, message))?;
        let mut summary = ReadSummary::default();
        if export != SurveyExport::Plain || header_rows > 1 {
            summary.export = Some((export, header_rows));
        }
        Ok(ResponseReader {
            source,
            decoder,
            names,
            context,
            rules,
            journey: journey.journey.clone(),
            line_offset: builder.line_offset,
            record_offset: builder.record_offset,
            policy: builder.error_policy,
            batch_rows: builder.batch_rows.max(1),
            max_examples: builder.max_examples,
            summary,
            finished: false,
            step_batch: ObservationBatch::new(),
            pending: VecDeque::new(),
            fields: Vec::new(),
        })
    }

    /// What has been read so far; complete once the input is, but for
    /// what [`into_summary`](Self::into_summary) adds.
    pub fn summary(&self) -> &ReadSummary {
        &self.summary
    }

    /// The summary of the whole read, with the columns nothing read and,
    /// if the builder asked for them
    /// ([`respondent_runs`](crate::ResponseReaderBuilder::respondent_runs)),
    /// the runs of respondents' rows.
    pub fn into_summary(mut self) -> ReadSummary {
        let mut summary = self.summary;
        summary.ignored_columns = self.source.ignored_columns();
        summary.respondent_runs = self.decoder.take_runs();
        summary
    }

    /// Reads the next batch into `batch` (emptied first): up to the
    /// builder's [`batch_rows`](crate::ResponseReaderBuilder::batch_rows)
    /// observations and outcomes together (a wide row's records always go
    /// in one batch), the outcomes being those of the respondents whose
    /// rows ended among them. `false` when the input is done and `batch` is empty.
    ///
    /// # Errors
    ///
    /// A fatal [`Error`] (the input cannot be read on); under
    /// [`ErrorPolicy::Strict`], also the first record or optional field
    /// that cannot be read. `batch` then holds what was read before it
    /// (for a field, the record it was in too, without that field).
    pub fn read_batch(&mut self, batch: &mut ObservationBatch) -> Result<bool, Error> {
        batch.clear();
        // Outcomes count too: a file of outcome-only rows fills batches as well.
        while batch.len() + batch.outcomes().len() < self.batch_rows {
            match self.step(batch) {
                Step::Read => {}
                Step::Rejected(error) => {
                    if self.stops_at(&error) {
                        self.count_added(batch);
                        return Err(error);
                    }
                }
                Step::Finished => break,
            }
        }
        self.count_added(batch);
        Ok(!batch.is_empty())
    }

    /// Counts the observations and outcomes of `batch`, filled since it was
    /// emptied, in the summary: once per batch rather than once per record.
    fn count_added(&mut self, batch: &ObservationBatch) {
        self.summary.observations += batch.len() as u64;
        self.summary.outcomes += batch.outcomes().len() as u64;
    }

    /// Reads everything, handing each record to `sink` as an owned
    /// [`Record`]: each input record's outcome (in the long layout, the
    /// outcome of the respondent whose rows it ended), then its
    /// observations. Slower than [`read_batch`](Self::read_batch), for
    /// callers who keep records.
    ///
    /// ```
    /// use cx_io::{Record, ResponseReaderBuilder};
    ///
    /// let journey = cx_io::sample::retail_journey()?;
    /// let csv = "respondent_id,touchpoint,reality,would_return\n\
    ///            r1,website,4,\n\
    ///            r1,cashier,2,yes\n\
    ///            r2,website,5,no\n";
    /// let reader = ResponseReaderBuilder::new().from_reader(csv.as_bytes(), &journey)?;
    /// let mut kinds = Vec::new();
    /// let summary = reader.read_all(|record| kinds.push(match record {
    ///     Record::Observation(_) => "observation",
    ///     Record::Outcome(_) => "outcome",
    /// }))?;
    /// // r1's outcome comes with the row that ends r1's rows; r2's at the end.
    /// assert_eq!(kinds, ["observation", "observation", "outcome", "observation", "outcome"]);
    /// assert_eq!(summary.outcomes, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`read_batch`](Self::read_batch); the records before the error
    /// have been handed out.
    pub fn read_all(mut self, mut sink: impl FnMut(Record)) -> Result<ReadSummary, Error> {
        loop {
            let mut batch = std::mem::take(&mut self.step_batch);
            batch.clear();
            let step = self.step(&mut batch);
            self.count_added(&batch);
            self.hand_out(&batch, &mut sink);
            self.step_batch = batch;
            match step {
                Step::Read => {}
                Step::Rejected(error) => {
                    if self.stops_at(&error) {
                        return Err(error);
                    }
                }
                Step::Finished => return Ok(self.into_summary()),
            }
        }
    }

    /// [`read_batch`](Self::read_batch) over one block of a CSV file, each
    /// batch lent to `each`, saying also how the block ended, so that a
    /// guessed cut can be checked.
    pub(crate) fn read_block(
        mut self,
        mut each: impl FnMut(&ObservationBatch),
    ) -> (Result<ReadSummary, Error>, BlockEnd) {
        let mut batch = ObservationBatch::new();
        let result = loop {
            match self.read_batch(&mut batch) {
                Ok(true) => each(&batch),
                Ok(false) => break Ok(()),
                Err(error) => {
                    each(&batch);
                    break Err(error);
                }
            }
        };
        let end = BlockEnd {
            line_breaks: self.source.line_breaks(),
            at_record_end: self.source.ended_at_record_end(),
        };
        (result.map(|()| self.into_summary()), end)
    }

    /// Whether `error` ends the read: a fatal one, or any under
    /// [`ErrorPolicy::Strict`].
    fn stops_at(&self, error: &Error) -> bool {
        error.is_fatal() || self.policy == ErrorPolicy::Strict
    }

    /// Whether respondent ids are made from record numbers (a wide file
    /// without an id column), which a block must then know from the start.
    pub(crate) fn numbers_respondents(&self) -> bool {
        matches!(&self.decoder, Decoder::Wide(wide) if wide.numbers_respondents())
    }

    /// Hands `batch`'s records to `sink`: its outcomes, then its observations.
    fn hand_out(&self, batch: &ObservationBatch, sink: &mut impl FnMut(Record)) {
        for outcome in batch.outcomes() {
            sink(Record::Outcome(outcome.clone()));
        }
        for row in 0..batch.len() {
            if let Some(observation) = batch.to_observation(row, &self.journey) {
                sink(Record::Observation(observation));
            }
        }
    }

    /// Reads one input record into `batch`, counting it (but not what it
    /// adds to `batch`, which the caller counts).
    #[inline(always)]
    fn step(&mut self, batch: &mut ObservationBatch) -> Step {
        if self.finished {
            return Step::Finished;
        }
        match self.source.next_row() {
            None => {
                self.finished = true;
                match &mut self.decoder {
                    Decoder::Long(long) => long.finish(batch),
                    Decoder::Wide(_) => {}
                }
                Step::Finished
            }
            Some(Err(mut error)) => {
                error.shift(self.line_offset, self.record_offset);
                if error.is_fatal() {
                    self.finished = true;
                } else {
                    self.summary.records_read += 1;
                    reject(&mut self.summary, self.max_examples, &error);
                }
                Step::Rejected(error)
            }
            // By reference: the row stays where the source wrote it, rather
            // than being copied out for the cells to borrow.
            Some(Ok(ref row)) => {
                self.summary.records_read += 1;
                let cells = Cells {
                    row,
                    line_offset: self.line_offset,
                    record_offset: self.record_offset,
                    names: &self.names,
                    context: &self.context,
                    rules: &self.rules,
                    decimal_commas: std::cell::Cell::new(0),
                };
                let fields = &mut self.fields;
                fields.clear();
                let decoded = match &mut self.decoder {
                    Decoder::Long(long) => long.decode(&cells, batch, fields),
                    Decoder::Wide(wide) => {
                        wide.decode(&cells, &mut self.summary.empty_cells, batch, fields)
                    }
                };
                // Counted for kept records, as their numbers are what a
                // reader of the summary would check.
                if decoded.is_ok() {
                    self.summary.decimal_commas += cells.decimal_commas.get();
                }
                match decoded {
                    Ok(()) => {
                        self.summary.records_accepted += 1;
                        match self.fields.is_empty() {
                            true => Step::Read,
                            false => self.reject_fields(),
                        }
                    }
                    Err(error) if error.is_fatal() => self.stop(error),
                    Err(error) => {
                        reject(&mut self.summary, self.max_examples, &error);
                        Step::Rejected(error)
                    }
                }
            }
        }
    }
}

impl ResponseReader<'_> {
    /// Ends the read at a record whose error is fatal (a respondent who
    /// came back): the record is not counted, as a source's fatal error is
    /// not, so that read = accepted + rejected still holds.
    #[cold]
    #[inline(never)]
    fn stop(&mut self, error: Error) -> Step {
        self.finished = true;
        self.summary.records_read = self.summary.records_read.saturating_sub(1);
        Step::Rejected(error)
    }

    /// Counts the rejected optional fields of the record just accepted,
    /// keeping their errors as examples while there is room, in `fields`
    /// (marked as fields' errors), the first one in the step.
    #[cold]
    #[inline(never)]
    fn reject_fields(&mut self) -> Step {
        let summary = &mut self.summary;
        for error in &mut self.fields {
            error.mark_field();
            count(
                &mut summary.fields_rejected,
                &mut summary.examples,
                self.max_examples,
                error,
            );
        }
        match self.fields.first() {
            Some(first) => Step::Rejected(first.clone()),
            None => Step::Read,
        }
    }
}

/// Counts a rejected record, keeping its error as an example while there
/// is room.
fn reject(summary: &mut ReadSummary, max_examples: usize, error: &Error) {
    count(
        &mut summary.records_rejected,
        &mut summary.examples,
        max_examples,
        error,
    );
}

/// Counts `error` under its kind in `counts`, keeping it in `examples`
/// while there are fewer than `max_examples`: one way for records and
/// fields alike.
fn count(
    counts: &mut BTreeMap<ErrorKind, u64>,
    examples: &mut Vec<Error>,
    max_examples: usize,
    error: &Error,
) {
    *counts.entry(*error.kind()).or_default() += 1;
    if examples.len() < max_examples {
        examples.push(error.clone());
    }
}

/// Yields each record, and an `Err` for each input record that cannot be
/// read and for each optional field left out of a kept record (before
/// that record's observations), whatever the policy; the reader goes on
/// after an error unless it is [fatal](Error::is_fatal).
impl Iterator for ResponseReader<'_> {
    type Item = Result<Record, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            let mut batch = std::mem::take(&mut self.step_batch);
            batch.clear();
            let step = self.step(&mut batch);
            self.count_added(&batch);
            let mut pending = std::mem::take(&mut self.pending);
            self.hand_out(&batch, &mut |record| pending.push_back(Ok(record)));
            if let Step::Rejected(error) = &step
                && error.is_field()
            {
                for later in self.fields.iter().skip(1).rev() {
                    pending.push_front(Err(later.clone()));
                }
            }
            self.pending = pending;
            self.step_batch = batch;
            match step {
                Step::Read => {}
                Step::Rejected(error) => return Some(Err(error)),
                Step::Finished => return self.pending.pop_front(),
            }
        }
    }
}
