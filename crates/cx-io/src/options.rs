//! What a responses reader can be asked to read, and how.

use std::path::Path;

use cx_model::Scale;

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
    /// delimiter; a last `.gz` is passed over (the reader unpacks gzip by
    /// its first bytes).
    ///
    /// ```
    /// use cx_io::InputFormat;
    ///
    /// assert_eq!(InputFormat::from_path("a.JSONL".as_ref()), InputFormat::Ndjson);
    /// assert_eq!(InputFormat::from_path("a.tsv".as_ref()), InputFormat::Csv { delimiter: Some(b'\t') });
    /// assert_eq!(InputFormat::from_path("a.ndjson.gz".as_ref()), InputFormat::Ndjson);
    /// ```
    pub fn from_path(path: &Path) -> InputFormat {
        let lower = |path: &Path| {
            path.extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
        };
        let mut extension = lower(path);
        // `survey.ndjson.gz` is NDJSON, compressed.
        if extension.as_deref() == Some("gz") {
            extension = path.file_stem().and_then(|stem| lower(Path::new(stem)));
        }
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

/// How a survey writes the fraction of a number: `4.5` or, as European
/// exports do, `4,5`. A journey file names it as `decimal = ","` (or
/// `"."`); without it, a comma is read as the decimal mark in a
/// `;`-separated CSV file only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DecimalMark {
    /// `4.5`; a number with a comma is not a number.
    #[serde(rename = ".")]
    Point,
    /// `4,5` as well as `4.5` (a comma-separated file then quotes it).
    /// No thousands separators: `1.234,5` is not a number.
    #[serde(rename = ",")]
    Comma,
}

impl DecimalMark {
    /// Whether a comma is a decimal mark in responses whose journey file
    /// names `declared`, read as CSV with `csv_delimiter` (`None`: not
    /// CSV).
    pub(crate) fn reads_comma(declared: Option<DecimalMark>, csv_delimiter: Option<u8>) -> bool {
        match declared {
            Some(mark) => mark == DecimalMark::Comma,
            None => csv_delimiter == Some(b';'),
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

pub use cx_model::RespondentOrder;

/// What to do with a record that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ErrorPolicy {
    /// Stop at the first bad record.
    Strict,
    /// Skip it, count it under its reason, keep the first few errors, and go on.
    #[default]
    Lenient,
}

/// Column names of the long layout. A CSV header's names (and the keys of
/// a JSON input's first object) match them once surrounding spaces are
/// trimmed and case is ignored: `Respondent_ID` is
/// [`RESPONDENT_ID`](crate::columns::RESPONDENT_ID). The
/// repository's `docs/journey-file.md` describes each column.
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
    /// RFC 3339 timestamp, `YYYY-MM-DD HH:MM:SS` (UTC) or `YYYY-MM-DD` date.
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

/// Everything a [`ResponseReaderBuilder`](crate::ResponseReaderBuilder)
/// sets, as a reader takes it.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub format: Option<InputFormat>,
    pub layout: Layout,
    pub respondents: RespondentOrder,
    /// Whether a plain contiguous read keeps its runs of respondents'
    /// rows in its summary.
    pub respondent_runs: bool,
    pub likelihood_scale: Scale,
    pub max_field_bytes: usize,
    pub max_record_bytes: usize,
    pub max_document_bytes: usize,
    pub max_examples: usize,
    pub error_policy: ErrorPolicy,
    pub batch_rows: usize,
    pub name: Option<String>,
    /// The column of each respondent's weight, if the survey is weighted.
    pub weight_column: Option<String>,
    /// Added to every line and record number: for reading a block of a
    /// larger file.
    pub line_offset: u64,
    pub record_offset: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            format: None,
            layout: Layout::Auto,
            respondents: RespondentOrder::Contiguous,
            respondent_runs: false,
            likelihood_scale: Scale::LIKELIHOOD_0_10,
            max_field_bytes: 1 << 20,
            max_record_bytes: 16 << 20,
            max_document_bytes: 64 << 20,
            max_examples: 10,
            error_policy: ErrorPolicy::Lenient,
            batch_rows: 1024,
            name: None,
            weight_column: None,
            line_offset: 0,
            record_offset: 0,
        }
    }
}
