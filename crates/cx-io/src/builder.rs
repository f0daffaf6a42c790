//! How a responses reader is set up: its format, layout and limits.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use cx_model::Scale;

use crate::error::{Naming, ReadError, ReadErrorKind};
use crate::journey_file::JourneyFile;
use crate::reader::ResponseReader;
use crate::source::Context;

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
    ///
    /// ```
    /// use cx_io::InputFormat;
    ///
    /// assert_eq!(InputFormat::from_path("a.JSONL".as_ref()), InputFormat::Ndjson);
    /// assert_eq!(InputFormat::from_path("a.tsv".as_ref()), InputFormat::Csv { delimiter: Some(b'\t') });
    /// ```
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
/// respondent before emitting one [`Outcome`](cx_model::Outcome).
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
#[derive(Debug, Clone)]
pub struct ResponseReaderBuilder {
    pub(crate) format: Option<InputFormat>,
    pub(crate) layout: Layout,
    pub(crate) respondents: RespondentOrder,
    pub(crate) likelihood_scale: Scale,
    pub(crate) max_field_bytes: usize,
    pub(crate) max_record_bytes: usize,
    pub(crate) max_document_bytes: usize,
    pub(crate) max_examples: usize,
    pub(crate) error_policy: ErrorPolicy,
    pub(crate) batch_rows: usize,
    pub(crate) name: Option<String>,
    /// Added to every line and record number: for reading a block of a
    /// larger file.
    pub(crate) line_offset: u64,
    pub(crate) record_offset: u64,
}

impl Default for ResponseReaderBuilder {
    fn default() -> Self {
        ResponseReaderBuilder::new()
    }
}

impl ResponseReaderBuilder {
    /// The defaults: format from the file name, layout detected, contiguous
    /// respondents, lenient, likelihood on 0..=10, fields of at most 1 MiB,
    /// records of at most 16 MiB, JSON documents of at most 64 MiB, ten
    /// error examples, batches of 4,096 observations.
    pub fn new() -> Self {
        ResponseReaderBuilder {
            format: None,
            layout: Layout::Auto,
            respondents: RespondentOrder::Contiguous,
            likelihood_scale: Scale::LIKELIHOOD_0_10,
            max_field_bytes: 1 << 20,
            max_record_bytes: 16 << 20,
            max_document_bytes: 64 << 20,
            max_examples: 10,
            error_policy: ErrorPolicy::Lenient,
            batch_rows: 4096,
            name: None,
            line_offset: 0,
            record_offset: 0,
        }
    }

    /// The input's format; by default taken from the file name.
    pub fn format(&mut self, format: InputFormat) -> &mut Self {
        self.format = Some(format);
        self
    }

    /// The layout; by default detected from the columns.
    pub fn layout(&mut self, layout: Layout) -> &mut Self {
        self.layout = layout;
        self
    }

    /// Whether respondents' rows are contiguous.
    pub fn respondents(&mut self, order: RespondentOrder) -> &mut Self {
        self.respondents = order;
        self
    }

    /// The scale likelihood-to-recommend answers must lie on.
    pub fn likelihood_scale(&mut self, scale: Scale) -> &mut Self {
        self.likelihood_scale = scale;
        self
    }

    /// The longest field accepted, in bytes. Longer fields reject the record.
    pub fn max_field_bytes(&mut self, bytes: usize) -> &mut Self {
        self.max_field_bytes = bytes;
        self
    }

    /// The longest record accepted, in bytes: a CSV record with its quotes,
    /// delimiters and line breaks inside quotes, or an NDJSON line. A
    /// longer record is skipped to its end without being held in memory,
    /// and rejected. This bounds a reader's memory whatever the input
    /// holds, even an unclosed quote.
    pub fn max_record_bytes(&mut self, bytes: usize) -> &mut Self {
        self.max_record_bytes = bytes;
        self
    }

    /// The largest JSON array document accepted, in bytes. A JSON array is
    /// read whole, so a larger one is refused (fatal) before it is parsed;
    /// NDJSON streams inputs of any size.
    pub fn max_document_bytes(&mut self, bytes: usize) -> &mut Self {
        self.max_document_bytes = bytes;
        self
    }

    /// How many rejected records' errors the summary keeps.
    pub fn max_examples(&mut self, examples: usize) -> &mut Self {
        self.max_examples = examples;
        self
    }

    /// What the reader does with a record that cannot be read.
    pub fn error_policy(&mut self, policy: ErrorPolicy) -> &mut Self {
        self.error_policy = policy;
        self
    }

    /// How many observations a batch holds at most (at least one; a wide
    /// row's observations always go in one batch).
    pub fn batch_rows(&mut self, rows: usize) -> &mut Self {
        self.batch_rows = rows.max(1);
        self
    }

    /// The input's name in messages, which also picks the format when none
    /// is set; [`from_path`](Self::from_path) names it by its path.
    pub fn name(&mut self, name: &str) -> &mut Self {
        self.name = Some(name.to_owned());
        self
    }

    /// The set limit on error examples.
    pub fn examples_kept(&self) -> usize {
        self.max_examples
    }

    /// The set error policy.
    pub fn policy(&self) -> ErrorPolicy {
        self.error_policy
    }

    /// A reader of the file at `path`, read against `journey`.
    ///
    /// # Errors
    ///
    /// A fatal [`ReadError`] if the file cannot be opened, has no header,
    /// or lacks a required column.
    pub fn from_path(
        &self,
        path: impl AsRef<Path>,
        journey: &JourneyFile,
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
        let mut builder = self.clone();
        builder.name = Some(name);
        builder.from_reader(file, journey)
    }

    /// A reader of any byte stream, read against `journey`; buffered
    /// inside.
    ///
    /// # Errors
    ///
    /// As [`from_path`](Self::from_path).
    pub fn from_reader<'r, R: Read + 'r>(
        &self,
        input: R,
        journey: &JourneyFile,
    ) -> Result<ResponseReader<'r>, ReadError> {
        ResponseReader::new(self, Box::new(input), journey)
    }
}
