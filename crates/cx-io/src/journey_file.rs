//! Journey files in TOML and JSON.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use cx_model::{Journey, Scale, Stage};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::export::{MAX_HEADER_ROWS, SurveyExport};
use crate::options::DecimalMark;
use crate::suggest::closest;

/// The file format of a journey file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JourneyFormat {
    /// TOML (`.toml`).
    Toml,
    /// JSON (`.json`).
    Json,
}

impl JourneyFormat {
    /// The format a path's extension names: `.json` is JSON, anything else TOML.
    pub fn from_path(path: &Path) -> JourneyFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => JourneyFormat::Json,
            _ => JourneyFormat::Toml,
        }
    }
}

/// How a wide survey file (one row per respondent) tells who the respondent
/// is and what they answered to the journey-level questions.
///
/// Touchpoint ratings are mapped on the touchpoints themselves
/// ([`source_column`](cx_model::Touchpoint::source_column) and
/// [`expectation_column`](cx_model::Touchpoint::expectation_column)).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RespondentColumns {
    /// The column holding the respondent id; without it, the record number
    /// (counting from 1) is the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_column: Option<String>,
    /// Columns whose values, joined with `" / "`, form the respondent's
    /// segment, e.g. `["Customer Type", "Class"]` gives `"Returning / Business"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segment_columns: Vec<String>,
    /// The column holding when the respondent answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_column: Option<String>,
    /// How "were your expectations met?" is read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expectations_met: Option<AnswerColumn>,
    /// How "would you come back?" is read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub would_return: Option<AnswerColumn>,
    /// How "would you recommend us?" is read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub would_recommend: Option<AnswerColumn>,
    /// The likelihood-to-recommend column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likelihood_to_recommend: Option<NumberColumn>,
    /// The customer-effort column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<NumberColumn>,
}

/// How one yes/no question is read from a column.
///
/// Exactly one way applies:
/// - `yes` and `no` list the texts meaning yes and no (compared ignoring case
///   and surrounding space), e.g. `yes = ["Satisfied"]`,
///   `no = ["Neutral or Dissatisfied"]`;
/// - `yes_range` and `no_range` give numeric ranges, both ends included, e.g.
///   `yes_range = [5, 7]`, `no_range = [1, 4]` on a 1..=7 item;
/// - neither: the usual spellings (yes/no, true/false, y/n, 1/0).
///
/// An empty cell is "not answered"; any other value that fits no rule is an
/// error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AnswerColumn {
    /// The column's name.
    pub column: String,
    /// Texts meaning yes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub yes: Vec<String>,
    /// Texts meaning no.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no: Vec<String>,
    /// Numbers in `[low, high]` mean yes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes_range: Option<[f64; 2]>,
    /// Numbers in `[low, high]` mean no.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_range: Option<[f64; 2]>,
}

impl AnswerColumn {
    /// A column read with the usual spellings.
    pub fn new(column: impl Into<String>) -> Self {
        AnswerColumn {
            column: column.into(),
            yes: Vec::new(),
            no: Vec::new(),
            yes_range: None,
            no_range: None,
        }
    }

    /// A column whose texts `yes` and `no` mean yes and no.
    pub fn texts(column: impl Into<String>, yes: &[&str], no: &[&str]) -> Self {
        AnswerColumn {
            yes: yes.iter().map(|s| (*s).to_owned()).collect(),
            no: no.iter().map(|s| (*s).to_owned()).collect(),
            ..AnswerColumn::new(column)
        }
    }

    /// A numeric column where `yes_range` means yes and `no_range` means no.
    pub fn ranges(column: impl Into<String>, yes_range: [f64; 2], no_range: [f64; 2]) -> Self {
        AnswerColumn {
            yes_range: Some(yes_range),
            no_range: Some(no_range),
            ..AnswerColumn::new(column)
        }
    }

    fn check(&self, field: &str) -> Result<()> {
        let texts = !self.yes.is_empty() || !self.no.is_empty();
        let ranges = self.yes_range.is_some() || self.no_range.is_some();
        let invalid = |expected: &str| {
            Err(Error::journey_file(
                ErrorKind::Mapping,
                Some(&format!("respondents.{field}")),
                format!("expected {expected}"),
            ))
        };
        if texts && ranges {
            return invalid("either yes/no texts or yes_range/no_range, not both");
        }
        if texts && (self.yes.is_empty() || self.no.is_empty()) {
            return invalid("both `yes` and `no` texts");
        }
        if ranges {
            let (Some(yes), Some(no)) = (self.yes_range, self.no_range) else {
                return invalid("both `yes_range` and `no_range`");
            };
            let valid = |[low, high]: [f64; 2]| low.is_finite() && high.is_finite() && low <= high;
            if !(valid(yes) && valid(no)) {
                return invalid("ranges [low, high] of finite numbers with low <= high");
            }
            if yes[0] <= no[1] && no[0] <= yes[1] {
                return invalid("`yes_range` and `no_range` that do not overlap");
            }
        }
        Ok(())
    }
}

/// A numeric column, with an offset added to every value: a survey that
/// stored likelihood to recommend 0..=10 as 1..=11 is read with `offset = -1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct NumberColumn {
    /// The column's name.
    pub column: String,
    /// Added to every value read.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub offset: f64,
}

impl NumberColumn {
    /// A column read as it is.
    pub fn new(column: impl Into<String>) -> Self {
        NumberColumn {
            column: column.into(),
            offset: 0.0,
        }
    }

    /// A column read with `offset` added.
    #[must_use]
    pub fn offset(mut self, offset: f64) -> Self {
        self.offset = offset;
        self
    }
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

/// A journey, and for wide survey files, how to read each respondent's row.
///
/// The schema, shown in TOML (JSON has the same fields):
///
/// ```toml
/// name = "Retail purchase"                   # the journey's name
/// format = "qualtrics"                       # optional; else recognised from the header rows
/// header_rows = 3                            # optional; else the export's
/// timestamp_formats = ["%d/%m/%Y %H:%M"]     # optional; tried after RFC 3339, before ISO forms
/// timestamp_zone = "Europe/Berlin"           # optional; of times without an offset, default UTC
/// decimal = ","                              # optional; "," or "."
///
/// [scale]                                    # the rating scale
/// min = 1
/// max = 5
/// not_applicable = 0                         # optional, outside min..=max
///
/// [rating_labels]                            # optional; answer texts standing for ratings
/// "Very satisfied" = 5
///
/// [respondents]                              # optional; wide files only
/// id_column = "ID"                           # else the record number
/// segment_columns = ["Customer Type"]        # joined with " / "
/// timestamp_column = "Date"                  # RFC 3339, timestamp_formats, ISO forms
/// expectations_met = { column = "Satisfaction", yes = ["Satisfied"], no = ["Dissatisfied"] }
/// would_return = { column = "loy5", yes_range = [5, 7], no_range = [1, 4] }
/// would_recommend = { column = "recommend" } # yes/no, true/false, y/n, 1/0
/// likelihood_to_recommend = { column = "nps", offset = -1 }
/// effort = { column = "effort" }
///
/// [[stages]]                                 # in journey order
/// name = "Discover"
///
/// [[stages.touchpoints]]                     # in journey order
/// id = "window"                              # unique in the journey
/// name = "Shop window"
/// channel = "store"                          # web, app, phone, email, chat, store,
///                                            # delivery, social, or any other text
/// moment_of_truth = false                    # default false
/// target = 3                                 # optional expected rating
/// weight = 1                                 # default 1, finite and >= 0
/// source_column = "Window"                   # wide files: the reality rating
/// expectation_column = "Window (expected)"   # wide files: the own expectation
/// ```
///
/// `examples/data/retail.toml` in the repository is a commented example,
/// and `docs/journey-file.md` there gives every key with its type, default
/// and an example. An unknown key is an [`ErrorKind::Syntax`] error that
/// lists the keys its table takes and names the nearest.
///
/// ```
/// use cx_io::{JourneyFile, JourneyFormat};
///
/// let text = r#"
/// name = "Coffee"
/// scale = { min = 1, max = 5 }
/// [[stages]]
/// name = "Buy"
/// touchpoints = [{ id = "till", name = "Till", channel = "store", target = 4 }]
/// "#;
/// let file = JourneyFile::parse(text, JourneyFormat::Toml)?;
/// assert_eq!(file.journey.find("till").and_then(|t| t.target), Some(4.0));
/// let again = JourneyFile::parse(&file.to_string(JourneyFormat::Json)?, JourneyFormat::Json)?;
/// assert_eq!(again, file);
/// # Ok::<(), cx_io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JourneyFile {
    /// The journey.
    pub journey: Journey,
    /// How to read wide survey files, if given.
    pub respondents: Option<RespondentColumns>,
    /// The survey's decimal mark, if the file names one
    /// ([`DecimalMark`]: without it, a comma is one in `;`-separated CSV
    /// only).
    pub decimal: Option<DecimalMark>,
    /// The survey export a CSV file is (`format`); `None` to recognise it
    /// from the header rows ([`SurveyExport`]).
    pub export: Option<SurveyExport>,
    /// How many header rows a CSV file has (`header_rows`, 1 to
    /// [`MAX_HEADER_ROWS`]); `None` for the export's.
    pub header_rows: Option<usize>,
    /// Timestamp forms (chrono `strftime` forms, e.g. `%d/%m/%Y %H:%M`),
    /// tried in order after RFC 3339 and before the ISO forms; when empty,
    /// the export's ([`SurveyExport::timestamp_formats`]).
    pub timestamp_formats: Vec<String>,
    /// The IANA time zone (e.g. `Europe/Berlin`) of timestamps written
    /// without an offset; `None` for the export's (a Qualtrics
    /// `timeZone`), else UTC.
    pub timestamp_zone: Option<String>,
    /// Answer texts that stand for ratings (`"Very satisfied" = 5`),
    /// compared ignoring case and surrounding spaces; each value must be on
    /// the journey's scale.
    pub rating_labels: BTreeMap<String, f64>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JourneyFileFields {
    name: String,
    scale: Scale,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    decimal: Option<DecimalMark>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format: Option<SurveyExport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    header_rows: Option<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    timestamp_formats: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    timestamp_zone: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    rating_labels: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    respondents: Option<RespondentColumns>,
    stages: Vec<Stage>,
}

impl JourneyFile {
    /// A journey without a wide-file mapping.
    pub fn new(journey: Journey) -> Self {
        JourneyFile {
            journey,
            respondents: None,
            decimal: None,
            export: None,
            header_rows: None,
            timestamp_formats: Vec::new(),
            timestamp_zone: None,
            rating_labels: BTreeMap::new(),
        }
    }

    /// Parses a journey file's text.
    ///
    /// # Errors
    ///
    /// An error of kind [`ErrorKind::Syntax`], with line and column in its
    /// message, for text that is not the schema;
    /// [`ErrorKind::InvalidJourney`] for a journey that breaks a rule
    /// (with cx-model's error as [`Error::model_error`]);
    /// [`ErrorKind::Mapping`] for an inconsistent mapping, naming the
    /// field. None has a [`location`](Error::location).
    pub fn parse(text: &str, format: JourneyFormat) -> Result<Self> {
        let syntax = |message| Error::journey_file(ErrorKind::Syntax, None, message);
        let mut fields: JourneyFileFields = match format {
            JourneyFormat::Toml => {
                toml::from_str(text).map_err(|error| syntax(toml_message(text, &error)))?
            }
            JourneyFormat::Json => serde_json::from_str(text)
                .map_err(|error| syntax(suggest_key(&error.to_string())))?,
        };
        let journey = Journey::new(
            fields.name.clone(),
            fields.scale,
            std::mem::take(&mut fields.stages),
        )
        .map_err(Error::invalid_journey)?;
        check_reading(&fields, &journey)?;
        if let Some(respondents) = &fields.respondents {
            for (field, column) in [
                ("expectations_met", &respondents.expectations_met),
                ("would_return", &respondents.would_return),
                ("would_recommend", &respondents.would_recommend),
            ] {
                if let Some(column) = column {
                    column.check(field)?;
                }
            }
        }
        Ok(JourneyFile {
            journey,
            respondents: fields.respondents,
            decimal: fields.decimal,
            export: fields.format,
            header_rows: fields.header_rows,
            timestamp_formats: fields.timestamp_formats,
            timestamp_zone: fields.timestamp_zone,
            rating_labels: fields.rating_labels,
        })
    }

    /// Reads a journey file, in the format its extension names.
    ///
    /// # Errors
    ///
    /// As [`JourneyFile::read_as`].
    pub fn read(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        Self::read_as(path, JourneyFormat::from_path(path))
    }

    /// Reads a journey file in the given format, whatever its extension.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] if the file cannot be read (the I/O error is its
    /// [`source`](std::error::Error::source)), else as
    /// [`JourneyFile::parse`]; each with the file as its
    /// [`location`](Error::location).
    pub fn read_as(path: impl AsRef<Path>, format: JourneyFormat) -> Result<Self> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|error| Error::journey_io(shown.clone(), error))?;
        Self::parse(&text, format).map_err(|error| error.in_file(shown))
    }

    /// The file's text in `format`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Encode`] if the serializer refuses (it should not for a
    /// valid journey).
    pub fn to_string(&self, format: JourneyFormat) -> Result<String> {
        let encode = |error: String| {
            let message = format!("cannot write the journey: {error}");
            Error::journey_file(ErrorKind::Encode, None, message)
        };
        let fields = JourneyFileFields {
            name: self.journey.name().to_owned(),
            scale: *self.journey.scale(),
            decimal: self.decimal,
            format: self.export,
            header_rows: self.header_rows,
            timestamp_formats: self.timestamp_formats.clone(),
            timestamp_zone: self.timestamp_zone.clone(),
            rating_labels: self.rating_labels.clone(),
            respondents: self.respondents.clone(),
            stages: self.journey.stages().to_vec(),
        };
        match format {
            JourneyFormat::Toml => {
                toml::to_string_pretty(&fields).map_err(|error| encode(error.to_string()))
            }
            JourneyFormat::Json => serde_json::to_string_pretty(&fields)
                .map(|mut text| {
                    text.push('\n');
                    text
                })
                .map_err(|error| encode(error.to_string())),
        }
    }

    /// Writes the file in the format its extension names, whole or not at
    /// all (see [`write_file`](crate::write_file)).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] if the file cannot be written, with the file as
    /// its [`location`](Error::location).
    pub fn write(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let text = self.to_string(JourneyFormat::from_path(path))?;
        crate::write_file(path, |out| out.write_all(text.as_bytes()))
            .map_err(|error| Error::journey_io(path.display().to_string(), error))
    }
}

/// Checks the keys that say how responses are read: a header-row count in
/// range, forms chrono reads, a zone it knows, labels that are no numbers
/// and stand for ratings on the scale, no two the same once case and
/// spaces are ignored.
fn check_reading(fields: &JourneyFileFields, journey: &Journey) -> Result<()> {
    let invalid = |field: &str, message: String| {
        Err(Error::journey_file(
            ErrorKind::Mapping,
            Some(field),
            message,
        ))
    };
    if let Some(rows) = fields.header_rows
        && !(1..=MAX_HEADER_ROWS).contains(&rows)
    {
        return invalid(
            "header_rows",
            format!("{rows} header rows; expected 1 to {MAX_HEADER_ROWS}"),
        );
    }
    for form in &fields.timestamp_formats {
        if let Err(message) = crate::timestamp::check_form(form) {
            return invalid("timestamp_formats", message);
        }
    }
    if let Some(zone) = &fields.timestamp_zone
        && zone.parse::<chrono_tz::Tz>().is_err()
    {
        return invalid(
            "timestamp_zone",
            format!(
                "{zone:?} is no time zone; expected an IANA name such as \"Europe/Berlin\" or \"UTC\""
            ),
        );
    }
    let scale = journey.scale();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (label, &value) in &fields.rating_labels {
        let invalid = |message: String| invalid("rating_labels", format!("{label:?} {message}"));
        if label.trim().is_empty() || label.trim().parse::<f64>().is_ok() {
            return invalid("is no text; expected a label, not a number or nothing".to_owned());
        }
        if scale.classify(value).is_err() {
            return invalid(format!("= {value} is outside the scale {scale}"));
        }
        let folded: String = crate::suggest::folded(label).collect();
        if let Some(first) = seen.insert(folded, label) {
            return invalid(format!(
                "is the label {first:?} again once case and spaces are ignored; expected each label once"
            ));
        }
    }
    Ok(())
}

/// toml's message, with the line and column of the offending span.
fn toml_message(text: &str, error: &toml::de::Error) -> String {
    let message = suggest_key(error.message().trim_end());
    match error.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

/// serde's message for a key that a table does not take, e.g.
/// ``unknown field `chanel`, expected one of `id`, `name`, `channel` ``
/// (serde's `Error::unknown_field`), as that key and the keys the table
/// takes; `None` for any other message.
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let (key, rest) = message.strip_prefix("unknown field `")?.split_once('`')?;
    // "expected `a`", "expected `a` or `b`", "expected one of `a`, `b`, `c`",
    // or "there are no fields"; serde_json adds " at line L column C".
    let keys = match rest.strip_prefix(", expected ") {
        Some(expected) => expected.split('`').skip(1).step_by(2).collect(),
        None => Vec::new(),
    };
    Some((key, keys))
}

/// The message, with the table's key nearest to an unknown one suggested,
/// e.g. ``; did you mean `segment_columns`?``.
fn suggest_key(message: &str) -> String {
    match unknown_field(message).and_then(|(key, keys)| closest(key, keys)) {
        Some(key) => format!("{message}; did you mean `{key}`?"),
        None => message.to_owned(),
    }
}

impl fmt::Display for JourneyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            JourneyFormat::Toml => "toml",
            JourneyFormat::Json => "json",
        })
    }
}

#[cfg(test)]
mod tests;
