//! Setting up a responses reader, in the manner of the `csv` crate's
//! `ReaderBuilder`.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use cx_model::Scale;

use crate::error::{Error, ErrorKind};
use crate::journey_file::JourneyFile;
use crate::options::{ErrorPolicy, InputFormat, Layout, RespondentOrder, Settings};
use crate::reader::ResponseReader;
use crate::source::Context;

/// Sets up a [`ResponseReader`]: format, layout, error policy and the
/// limits that bound its memory, in the manner of the `csv` crate's
/// `ReaderBuilder`.
///
/// ```
/// use cx_io::{ErrorPolicy, InputFormat, ResponseReaderBuilder};
///
/// let journey = cx_io::sample::retail_journey()?;
/// let mut builder = ResponseReaderBuilder::new();
/// builder
///     .format(InputFormat::Csv { delimiter: Some(b';') })
///     .error_policy(ErrorPolicy::Strict)
///     .name("export.csv");
/// let csv = "respondent_id;touchpoint;reality\nr1;website;4\n";
/// let mut reader = builder.from_reader(csv.as_bytes(), &journey)?;
/// let mut batch = cx_model::ObservationBatch::new();
/// assert!(reader.read_batch(&mut batch)?);
/// assert_eq!(batch.realities(), [4.0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ResponseReaderBuilder {
    pub(crate) settings: Settings,
}

impl ResponseReaderBuilder {
    /// The defaults: format from the file name, layout detected, contiguous
    /// respondents, lenient, likelihood on 0..=10, fields of at most 1 MiB,
    /// records of at most 16 MiB, JSON documents of at most 64 MiB, ten
    /// error examples, batches of 1,024 records.
    pub fn new() -> Self {
        ResponseReaderBuilder::default()
    }

    /// The input's format; by default taken from the file name.
    pub fn format(&mut self, format: InputFormat) -> &mut Self {
        self.settings.format = Some(format);
        self
    }

    /// The column (or JSON field) that holds each respondent's survey
    /// weight; by default none, and the survey is unweighted.
    ///
    /// The column is then required, and so is a weight on every record: in
    /// a long file every row of a respondent (outcome-only rows too)
    /// carries it, the same on each. An empty, non-numeric, non-finite,
    /// negative or too large weight is an error of that row and column
    /// (`missing_value`, `not_a_number`, `not_finite`, `invalid_weight`);
    /// a row whose weight differs from its respondent's earlier rows is a
    /// `conflicting_weight` error naming the line; under the lenient policy
    /// either row is skipped and counted, never read unweighted. A weight
    /// of 0 is allowed: the respondent counts as answering and adds
    /// nothing to any weighted figure. Weights are held to 2⁻³⁰ (see
    /// [`Weight`](cx_model::Weight)).
    ///
    /// ```
    /// use cx_io::{ErrorPolicy, ResponseReaderBuilder};
    /// use cx_model::{ObservationBatch, Weight};
    ///
    /// let journey = cx_io::sample::retail_journey()?;
    /// let csv = "respondent_id,touchpoint,reality,w\nr1,cashier,4,2.5\nr1,delivery,5,2.5\nr2,cashier,3,-1\n";
    /// let mut reader = ResponseReaderBuilder::new()
    ///     .weight_column("w")
    ///     .from_reader(csv.as_bytes(), &journey)?;
    /// let mut batch = ObservationBatch::new();
    /// reader.read_batch(&mut batch)?;
    /// assert_eq!(batch.len(), 2);
    /// assert_eq!(batch.weight(1), Some(Weight::new(2.5)?));
    /// // The negative weight's row is skipped and counted, naming its line.
    /// let error = &reader.summary().examples[0];
    /// assert!(error.to_string().starts_with("<input>:4: column \"w\": respondent weight -1"), "{error}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn weight_column(&mut self, column: &str) -> &mut Self {
        self.settings.weight_column = Some(column.to_owned());
        self
    }

    /// The layout; by default detected from the columns.
    pub fn layout(&mut self, layout: Layout) -> &mut Self {
        self.settings.layout = layout;
        self
    }

    /// Whether respondents' rows are contiguous; by default
    /// [`RespondentOrder::Contiguous`].
    ///
    /// [`RespondentOrder::ContiguousChecked`]: as `Contiguous`, and a
    /// respondent whose rows come back after another respondent's stops
    /// the read at once: a fatal
    /// [`ErrorKind::RespondentReturned`](crate::ErrorKind::RespondentReturned)
    /// at the row where it comes back, naming the id and the line (for a
    /// JSON array, the record) its rows began on. For an input that cannot
    /// be read again, which must not be scored as if the respondent were
    /// two (a file can be checked after the read instead, in 8 bytes per
    /// respondent: [`respondent_runs`](Self::respondent_runs)). Any row
    /// that reaches the respondent's outcome counts (outcome-only rows
    /// too); a row rejected for its own fault does not, and neither does a
    /// run cut between two batches. In the wide layout, a row is a
    /// respondent, and one whose id is the row before's continues it.
    ///
    /// Every finished respondent is remembered by a 64-bit hash of its id
    /// and the line its rows began on, 16 bytes in a hash table of 17-byte
    /// slots that is 7/16 to 7/8 full, and that holds its old slots while
    /// it doubles: 29 to 58 bytes per respondent at the peak, however
    /// many rows each has (measured: 53 bytes per respondent at 1, 2 and
    /// 4 million respondents, just past a doubling; 36 at 1.5 and 3
    /// million; see "Limits and hardening" in the README). Ids are not
    /// kept, so a hash that matches cannot be checked against the id: two
    /// ids with one hash would be taken for one that came back, an error
    /// and never a wrong number, with odds of about n²/2⁶⁵ for n
    /// respondents (one in 37 million for a million respondents, one in
    /// 370,000 for ten million). [`ParallelCsv`](crate::ParallelCsv) reads
    /// such a file whole, on one thread, since a block's reader sees only
    /// its own respondents.
    ///
    /// ```
    /// use cx_io::{ErrorKind, RespondentOrder, ResponseReaderBuilder};
    ///
    /// let journey = cx_io::sample::retail_journey()?;
    /// let csv = "respondent_id,touchpoint,reality\n\
    ///            r1,website,4\n\
    ///            r2,website,5\n\
    ///            r1,cashier,2\n";
    /// let reader = ResponseReaderBuilder::new()
    ///     .respondents(RespondentOrder::ContiguousChecked)
    ///     .name("responses.csv")
    ///     .from_reader(csv.as_bytes(), &journey)?;
    /// let error = reader.read_all(|_| {}).unwrap_err();
    /// assert_eq!(error.kind(), &ErrorKind::RespondentReturned);
    /// assert!(error.is_fatal());
    /// assert_eq!(
    ///     error.to_string(),
    ///     "responses.csv:4: respondent \"r1\" comes back here after other respondents' rows; \
    ///      its rows began at line 2; the rows of each respondent must be together"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// [`RespondentOrder::Scattered`]: every respondent's outcome is held
    /// until the end of the input and emitted then, so conflicting answers
    /// are found across the whole input; memory grows with the respondents
    /// (see "Limits and hardening" in the README).
    pub fn respondents(&mut self, order: RespondentOrder) -> &mut Self {
        self.settings.respondents = order;
        self
    }

    /// Whether a read of [`RespondentOrder::Contiguous`] respondents
    /// keeps the runs of their rows, so that one whose rows come back
    /// after another respondent's can be told after the read; by default
    /// not. The runs come in the summary
    /// ([`ReadSummary::respondent_runs`](crate::ReadSummary::respondent_runs),
    /// by [`ResponseReader::into_summary`] and
    /// [`read_all`](ResponseReader::read_all)), and a
    /// [`ParallelCsv`](crate::ParallelCsv) block's runs are merged with the
    /// next block's by merging their summaries in file order. They are
    /// told by the same rule as a
    /// [`RespondentOrder::ContiguousChecked`] read's check, which stops at
    /// once instead: every row whose respondent differs from the row
    /// before's starts a run, outcome-only rows too. 8 bytes a run
    /// ([`RespondentRuns`](crate::RespondentRuns)). Another order keeps
    /// none: a checked read stops where a respondent comes back, and
    /// scattered respondents have no runs.
    ///
    /// ```
    /// use cx_io::ResponseReaderBuilder;
    ///
    /// let journey = cx_io::sample::retail_journey()?;
    /// let csv = "respondent_id,touchpoint,reality,would_return\n\
    ///            r1,website,4,yes\n\
    ///            r2,website,5,no\n\
    ///            r1,,,yes\n";
    /// let mut builder = ResponseReaderBuilder::new();
    /// builder.respondent_runs(true);
    /// let summary = builder.from_reader(csv.as_bytes(), &journey)?.read_all(|_| {})?;
    /// // r1 comes back on a row of outcome values only.
    /// let runs = summary.respondent_runs.ok_or("no runs kept")?;
    /// assert_eq!(runs.repeated().len(), 1);
    /// // Without asking, no runs are kept.
    /// let summary = ResponseReaderBuilder::new()
    ///     .from_reader(csv.as_bytes(), &journey)?
    ///     .read_all(|_| {})?;
    /// assert!(summary.respondent_runs.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn respondent_runs(&mut self, keep: bool) -> &mut Self {
        self.settings.respondent_runs = keep;
        self
    }

    /// The scale likelihood-to-recommend answers must lie on.
    pub fn likelihood_scale(&mut self, scale: Scale) -> &mut Self {
        self.settings.likelihood_scale = scale;
        self
    }

    /// The longest field accepted, in bytes. Longer fields reject the record.
    pub fn max_field_bytes(&mut self, bytes: usize) -> &mut Self {
        self.settings.max_field_bytes = bytes;
        self
    }

    /// The longest record accepted, in bytes: a CSV record with its quotes,
    /// delimiters and line breaks inside quotes, or an NDJSON line. A
    /// longer record is skipped to its end without being held in memory,
    /// and rejected. This bounds a reader's memory whatever the input
    /// holds, even an unclosed quote.
    pub fn max_record_bytes(&mut self, bytes: usize) -> &mut Self {
        self.settings.max_record_bytes = bytes;
        self
    }

    /// The largest JSON array document accepted, in bytes. A JSON array is
    /// read whole, so a larger one is refused (fatal) before it is parsed;
    /// NDJSON streams inputs of any size.
    pub fn max_document_bytes(&mut self, bytes: usize) -> &mut Self {
        self.settings.max_document_bytes = bytes;
        self
    }

    /// How many rejected records' errors the summary keeps.
    pub fn max_examples(&mut self, examples: usize) -> &mut Self {
        self.settings.max_examples = examples;
        self
    }

    /// What the reader does with a record that cannot be read.
    pub fn error_policy(&mut self, policy: ErrorPolicy) -> &mut Self {
        self.settings.error_policy = policy;
        self
    }

    /// How many records (observations and outcomes) a batch holds at
    /// most: at least one, and a wide row's records always go in one
    /// batch, so a batch may hold up to a row's more.
    pub fn batch_rows(&mut self, rows: usize) -> &mut Self {
        self.settings.batch_rows = rows.max(1);
        self
    }

    /// The input's name in messages, which also picks the format when none
    /// is set; [`from_path`](Self::from_path) names it by its path.
    pub fn name(&mut self, name: &str) -> &mut Self {
        self.settings.name = Some(name.to_owned());
        self
    }

    /// The set limit on error examples.
    pub fn examples_kept(&self) -> usize {
        self.settings.max_examples
    }

    /// The set error policy.
    pub fn policy(&self) -> ErrorPolicy {
        self.settings.error_policy
    }

    /// A reader of the file at `path`, read against `journey`.
    ///
    /// # Errors
    ///
    /// A fatal [`Error`] if the file cannot be opened, has no header,
    /// or lacks a required column.
    pub fn from_path(
        &self,
        path: impl AsRef<Path>,
        journey: &JourneyFile,
    ) -> Result<ResponseReader<'static>, Error> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let file = File::open(path).map_err(|error| {
            Context::csv_file(path).fatal(ErrorKind::Io, format!("cannot open: {error}"))
        })?;
        let mut builder = self.clone();
        builder.settings.name = Some(name);
        builder.from_reader(file, journey)
    }

    /// A reader of any byte stream, read against `journey`; buffered
    /// inside. Gzip is unpacked on the fly, known by its first bytes
    /// whatever the stream is called; UTF-16 (by its byte order mark) is
    /// refused with an error that says so.
    ///
    /// # Errors
    ///
    /// As [`from_path`](Self::from_path).
    pub fn from_reader<'r, R: Read + 'r>(
        &self,
        input: R,
        journey: &JourneyFile,
    ) -> Result<ResponseReader<'r>, Error> {
        let name = self.settings.name.as_deref().unwrap_or("<input>");
        let input = crate::stream::decoded(Box::new(input), &Context::csv_file(Path::new(name)))?;
        ResponseReader::new(&self.settings, input, journey)
    }
}
