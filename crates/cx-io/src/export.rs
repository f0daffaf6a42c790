//! Survey-platform exports: which platform wrote a CSV file, told from its
//! header rows, and what that says about reading it (how many header rows,
//! how columns are named, how timestamps are written, in which zone).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::header::same_column;

/// The survey platform whose CSV export a responses file is, as a
/// journey file names it (`format = "qualtrics"`) or the reader recognises
/// it from the file's header rows.
///
/// | export | recognised by | header rows | columns named by | timestamps |
/// |---|---|---|---|---|
/// | `plain` | anything else, and any header with a `touchpoint` column (cx's long layout) | 1 | the header | the defaults |
/// | `qualtrics` | a `ResponseId` column and `StartDate`, `EndDate` or `RecordedDate` | up to 3: ids, question texts, `{"ImportId":…}` | the first row (`Q1`, `Q2_1`) | `2024-03-01 10:00:00`, in the `timeZone` of the third row |
/// | `surveymonkey` | `Respondent ID` and `Collector ID` columns | up to 2: questions, then answer options | question, and option where it is one: `Question - Option` | `03/01/2024 10:00:00 AM` (month first) |
/// | `google-forms` | a first column `Timestamp`, so spelled | 1 | the header | `2024/03/01 10:00:00 AM GMT+1` |
/// | `limesurvey` | `id` and `submitdate` columns | 1 | the header (`Q1[SQ001]`) | `2024-03-01 10:00:00` |
/// | `typeform` | a first column `#` and a `Submit Date (UTC)` column | 1 | the header | `2024-03-01 10:00:00` (UTC) |
///
/// A recognised export's second and third rows are header rows only if
/// they look like its header rows (Qualtrics: the second row's
/// `ResponseId` cell says `Response ID`, the third's starts with
/// `{"ImportId"`; SurveyMonkey: the second row's `Respondent ID` cell is
/// empty), so that an export saved with fewer header rows still reads.
/// A declared export has its number of header rows exactly, unless the
/// journey's `header_rows` says otherwise.
///
/// ```
/// use cx_io::SurveyExport;
///
/// let export: SurveyExport = "google-forms".parse()?;
/// assert_eq!(export, SurveyExport::GoogleForms);
/// assert_eq!(export.to_string(), "Google Forms");
/// assert_eq!(SurveyExport::Qualtrics.header_rows(), 3);
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SurveyExport {
    /// A file of one header row, as cx writes and reads it.
    Plain,
    /// A Qualtrics CSV export.
    Qualtrics,
    /// A SurveyMonkey CSV export.
    #[serde(rename = "surveymonkey")]
    SurveyMonkey,
    /// A Google Forms CSV download.
    GoogleForms,
    /// A LimeSurvey CSV export.
    #[serde(rename = "limesurvey")]
    LimeSurvey,
    /// A Typeform CSV export.
    Typeform,
}

/// The most header rows a journey file may declare.
pub const MAX_HEADER_ROWS: usize = 10;

impl SurveyExport {
    /// Every export, in the order of the table above.
    pub const ALL: [SurveyExport; 6] = [
        SurveyExport::Plain,
        SurveyExport::Qualtrics,
        SurveyExport::SurveyMonkey,
        SurveyExport::GoogleForms,
        SurveyExport::LimeSurvey,
        SurveyExport::Typeform,
    ];

    /// The export whose first header row holds `names`; `Plain` if none.
    pub fn recognise(names: &[String]) -> SurveyExport {
        let has = |wanted: &str| names.iter().any(|name| same_column(name, wanted));
        // As written: cx's own `timestamp` column may come first too.
        let first_is = |wanted: &str| names.first().is_some_and(|name| name == wanted);
        if has(crate::columns::TOUCHPOINT) {
            // cx's long layout, which no platform exports.
            SurveyExport::Plain
        } else if has("ResponseId")
            && ["StartDate", "EndDate", "RecordedDate"]
                .into_iter()
                .any(has)
        {
            SurveyExport::Qualtrics
        } else if has("Respondent ID") && has("Collector ID") {
            SurveyExport::SurveyMonkey
        } else if first_is("Timestamp") {
            SurveyExport::GoogleForms
        } else if has("id") && has("submitdate") {
            SurveyExport::LimeSurvey
        } else if first_is("#") && has("Submit Date (UTC)") {
            SurveyExport::Typeform
        } else {
            SurveyExport::Plain
        }
    }

    /// How many header rows the export has.
    pub fn header_rows(self) -> usize {
        match self {
            SurveyExport::Qualtrics => 3,
            SurveyExport::SurveyMonkey => 2,
            _ => 1,
        }
    }

    /// The timestamp forms the export writes (chrono `strftime` forms),
    /// tried before the ISO forms every file may use.
    pub fn timestamp_formats(self) -> &'static [&'static str] {
        match self {
            SurveyExport::SurveyMonkey => &["%m/%d/%Y %I:%M:%S %p"],
            SurveyExport::GoogleForms => &["%Y/%m/%d %I:%M:%S %p GMT%z"],
            _ => &[],
        }
    }

    /// The columns the platform adds to every export, which hold no
    /// answer (times, ids, progress, addresses), as the first header row
    /// names them.
    fn metadata_columns(self) -> &'static [&'static str] {
        match self {
            SurveyExport::Plain => &[],
            SurveyExport::Qualtrics => &[
                "StartDate",
                "EndDate",
                "Status",
                "IPAddress",
                "Progress",
                "Duration (in seconds)",
                "Finished",
                "RecordedDate",
                "ResponseId",
                "RecipientLastName",
                "RecipientFirstName",
                "RecipientEmail",
                "ExternalReference",
                "LocationLatitude",
                "LocationLongitude",
                "DistributionChannel",
                "UserLanguage",
            ],
            SurveyExport::SurveyMonkey => &[
                "Respondent ID",
                "Collector ID",
                "Start Date",
                "End Date",
                "IP Address",
                "Email Address",
                "First Name",
                "Last Name",
                "Custom Data 1",
            ],
            SurveyExport::GoogleForms => &["Timestamp", "Email Address", "Score"],
            SurveyExport::LimeSurvey => &[
                "id",
                "submitdate",
                "lastpage",
                "startlanguage",
                "seed",
                "startdate",
                "datestamp",
                "ipaddr",
                "refurl",
                "token",
            ],
            SurveyExport::Typeform => &[
                "#",
                "Start Date (UTC)",
                "Submit Date (UTC)",
                "Network ID",
                "Tags",
            ],
        }
    }

    /// Whether the column `name` is one the platform adds rather than an
    /// answer ([`metadata_columns`](Self::metadata_columns), and Qualtrics'
    /// promoter, passive or detractor `…_NPS_GROUP`, made from an answer);
    /// a draft journey (`cx init`) reads none as a rating or segment.
    pub(crate) fn is_metadata(self, name: &str) -> bool {
        self.metadata_columns()
            .iter()
            .any(|metadata| same_column(name, metadata))
            || (self == SurveyExport::Qualtrics && name.ends_with("_NPS_GROUP"))
    }

    /// The export's respondent id and answer-time columns, as named in
    /// its first header row: the id `None` where the platform has none
    /// (Google Forms), the time the one written when the response was
    /// complete.
    pub(crate) fn id_and_time_columns(self) -> (Option<&'static str>, Option<&'static str>) {
        match self {
            SurveyExport::Plain => (None, None),
            SurveyExport::Qualtrics => (Some("ResponseId"), Some("RecordedDate")),
            SurveyExport::SurveyMonkey => (Some("Respondent ID"), Some("End Date")),
            SurveyExport::GoogleForms => (None, Some("Timestamp")),
            SurveyExport::LimeSurvey => (Some("id"), Some("submitdate")),
            SurveyExport::Typeform => (Some("#"), Some("Submit Date (UTC)")),
        }
    }

    /// Whether `row`, the header row after `earlier` (the first row
    /// first), is one more header row of this export rather than data.
    pub(crate) fn is_header_row(self, earlier: &[Vec<String>], row: &[String]) -> bool {
        let Some(first) = earlier.first() else {
            return false;
        };
        let cell = |name: &str| {
            first
                .iter()
                .position(|column| same_column(column, name))
                .and_then(|index| row.get(index))
                .map_or("", |cell| cell.trim())
        };
        match (self, earlier.len()) {
            (SurveyExport::Qualtrics, 1) => {
                same_column(&cell("ResponseId").replace(' ', ""), "ResponseId")
            }
            (SurveyExport::Qualtrics, 2) => cell("ResponseId").starts_with("{\"ImportId\""),
            (SurveyExport::SurveyMonkey, 1) => cell("Respondent ID").is_empty(),
            _ => false,
        }
    }
}

/// What a journey file says of a CSV file's header rows.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct HeaderRules {
    /// The export the file is; `None` to recognise it.
    pub export: Option<SurveyExport>,
    /// How many header rows; `None` for the export's.
    pub header_rows: Option<usize>,
}

impl HeaderRules {
    /// What `journey`'s file says.
    pub fn of(journey: &crate::JourneyFile) -> Self {
        HeaderRules {
            export: journey.export,
            header_rows: journey.header_rows,
        }
    }

    /// The export a file whose first header row holds `first` is: as
    /// declared, else as recognised.
    pub fn export(self, first: &[String]) -> SurveyExport {
        self.export
            .unwrap_or_else(|| SurveyExport::recognise(first))
    }

    /// How many header rows are declared, if any are (by count, or by
    /// the declared export's).
    fn declared_rows(self) -> Option<usize> {
        self.header_rows
            .or(self.export.map(SurveyExport::header_rows))
    }

    /// The most header rows a file whose first header row holds `first`
    /// may have.
    pub fn most_rows(self, first: &[String]) -> usize {
        self.declared_rows()
            .unwrap_or(self.export(first).header_rows())
    }
}

/// A CSV file's header rows, the first first, and the export they are.
#[derive(Debug, Clone)]
pub(crate) struct HeaderRows {
    pub export: SurveyExport,
    pub rows: Vec<Vec<String>>,
}

impl HeaderRows {
    /// The header rows that start with `first`, the rest taken from `next`
    /// (each a record's trimmed fields; `None` at the end of the input):
    /// as many as `declared` says, whatever they hold; else, while the
    /// export (declared or recognised from `first`) has more, those that
    /// look like its header rows. With them, the row `next` gave that is
    /// data, if it gave one.
    ///
    /// # Errors
    ///
    /// `next`'s.
    pub fn read<E>(
        first: Vec<String>,
        declared: HeaderRules,
        mut next: impl FnMut() -> Result<Option<Vec<String>>, E>,
    ) -> Result<(HeaderRows, Option<Vec<String>>), E> {
        let export = declared.export(&first);
        let most = declared.most_rows(&first);
        let mut rows = vec![first];
        while rows.len() < most {
            let Some(row) = next()? else {
                break;
            };
            if declared.declared_rows().is_none() && !export.is_header_row(&rows, &row) {
                return Ok((HeaderRows { export, rows }, Some(row)));
            }
            rows.push(row);
        }
        Ok((HeaderRows { export, rows }, None))
    }

    /// The column names: the first row's, but for SurveyMonkey, whose
    /// questions span their options' columns (the question written over
    /// the first) and whose second row names each option (or says
    /// `Response`).
    pub fn column_names(&self) -> Vec<String> {
        let first = self.rows.first().cloned().unwrap_or_default();
        let (SurveyExport::SurveyMonkey, Some(options)) = (self.export, self.rows.get(1)) else {
            return first;
        };
        let mut question = "";
        let mut names = Vec::with_capacity(first.len());
        for (index, name) in first.iter().enumerate() {
            if !name.is_empty() {
                question = name;
            }
            let option = options.get(index).map_or("", |option| option.trim());
            let answer_only = option.is_empty()
                || ["Response", "Open-Ended Response"]
                    .iter()
                    .any(|said| same_column(option, said));
            names.push(if answer_only {
                question.to_owned()
            } else {
                format!("{question} - {option}")
            });
        }
        names
    }

    /// The time zone the header rows name for the timestamps (Qualtrics'
    /// third row: `{"ImportId":"startDate","timeZone":"America/Denver"}`).
    pub fn zone(&self) -> Option<String> {
        if self.export != SurveyExport::Qualtrics {
            return None;
        }
        self.rows.get(2)?.iter().find_map(|cell| {
            let value: serde_json::Value = serde_json::from_str(cell).ok()?;
            Some(value.get("timeZone")?.as_str()?.to_owned())
        })
    }
}

/// `1 header row`, `3 header rows`.
pub(crate) fn header_rows_said(rows: usize) -> String {
    match rows {
        1 => "1 header row".to_owned(),
        rows => format!("{rows} header rows"),
    }
}

impl fmt::Display for SurveyExport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            SurveyExport::Plain => "plain CSV",
            SurveyExport::Qualtrics => "Qualtrics",
            SurveyExport::SurveyMonkey => "SurveyMonkey",
            SurveyExport::GoogleForms => "Google Forms",
            SurveyExport::LimeSurvey => "LimeSurvey",
            SurveyExport::Typeform => "Typeform",
        })
    }
}

impl std::str::FromStr for SurveyExport {
    type Err = String;

    /// The export of its journey-file name (`qualtrics`, `surveymonkey`,
    /// `google-forms`, `limesurvey`, `typeform`, `plain`).
    fn from_str(text: &str) -> Result<Self, String> {
        let value = serde_json::Value::String(text.to_owned());
        serde_json::from_value(value).map_err(|_| {
            let names: Vec<String> = SurveyExport::ALL.iter().map(|e| e.key()).collect();
            format!(
                "{text:?} is no survey export; expected one of {}",
                names.join(", ")
            )
        })
    }
}

impl SurveyExport {
    /// The export's name in a journey file.
    fn key(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(key)) => key,
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|cell| (*cell).to_owned()).collect()
    }

    #[test]
    fn each_export_is_recognised_by_its_first_row() {
        let cases = [
            (
                row(&["StartDate", "EndDate", "ResponseId", "Q1"]),
                SurveyExport::Qualtrics,
            ),
            (
                row(&["Respondent ID", "Collector ID", "Start Date"]),
                SurveyExport::SurveyMonkey,
            ),
            (
                row(&["Timestamp", "Email Address", "How was it?"]),
                SurveyExport::GoogleForms,
            ),
            (
                row(&["id", "submitdate", "lastpage", "Q1[SQ001]"]),
                SurveyExport::LimeSurvey,
            ),
            (
                row(&["#", "How was it?", "Submit Date (UTC)"]),
                SurveyExport::Typeform,
            ),
            (
                row(&["respondent_id", "touchpoint", "reality"]),
                SurveyExport::Plain,
            ),
            // One of a pair is not enough; `Timestamp` must come first.
            (row(&["ResponseId", "Q1"]), SurveyExport::Plain),
            (row(&["id", "Timestamp"]), SurveyExport::Plain),
            (
                row(&["timestamp", "respondent_id", "touchpoint"]),
                SurveyExport::Plain,
            ),
            (
                row(&["Timestamp", "respondent_id", "touchpoint", "reality"]),
                SurveyExport::Plain,
            ),
            (row(&[" responseid ", "STARTDATE"]), SurveyExport::Qualtrics),
        ];
        for (names, export) in cases {
            assert_eq!(SurveyExport::recognise(&names), export, "{names:?}");
        }
    }

    #[test]
    fn later_rows_are_header_rows_only_if_they_look_it() {
        let first = row(&["StartDate", "ResponseId", "Q1"]);
        let texts = row(&["Start Date", "Response ID", "How was it?"]);
        let import = row(&[
            r#"{"ImportId":"startDate","timeZone":"UTC"}"#,
            r#"{"ImportId":"_recordId"}"#,
            r#"{"ImportId":"QID1"}"#,
        ]);
        let data = row(&["2024-03-01 10:00:00", "R_1abcDEF", "4"]);
        let legacy = row(&["StartDate", "ResponseID", "Q1"]);
        assert!(SurveyExport::Qualtrics.is_header_row(std::slice::from_ref(&first), &legacy));
        let q = SurveyExport::Qualtrics;
        assert!(q.is_header_row(std::slice::from_ref(&first), &texts));
        assert!(!q.is_header_row(std::slice::from_ref(&first), &data));
        assert!(q.is_header_row(&[first.clone(), texts.clone()], &import));
        assert!(!q.is_header_row(&[first.clone(), texts.clone()], &data));
        let rows = |export, rows: &[&Vec<String>]| HeaderRows {
            export,
            rows: rows.iter().map(|row| (*row).clone()).collect(),
        };
        assert_eq!(
            rows(q, &[&first, &texts, &import]).zone().as_deref(),
            Some("UTC")
        );
        let monkey = row(&["Respondent ID", "Collector ID", "Rate us:", "", "Comments"]);
        let options = row(&["", "", "Delivery", "Support", "Open-Ended Response"]);
        let answers = row(&["114", "42", "Good", "Poor", "fine"]);
        let m = SurveyExport::SurveyMonkey;
        assert!(m.is_header_row(std::slice::from_ref(&monkey), &options));
        assert!(!m.is_header_row(std::slice::from_ref(&monkey), &answers));
        assert_eq!(
            rows(m, &[&monkey, &options]).column_names(),
            row(&[
                "Respondent ID",
                "Collector ID",
                "Rate us: - Delivery",
                "Rate us: - Support",
                "Comments"
            ])
        );
        assert_eq!(rows(m, &[&monkey]).column_names(), monkey);
        assert!(!SurveyExport::Plain.is_header_row(&[monkey], &answers));
    }

    #[test]
    fn names_read_both_ways() {
        for export in SurveyExport::ALL {
            assert_eq!(export.key().parse::<SurveyExport>(), Ok(export));
        }
        let error = "monkey".parse::<SurveyExport>().unwrap_err();
        assert_eq!(
            error,
            r#""monkey" is no survey export; expected one of plain, qualtrics, surveymonkey, google-forms, limesurvey, typeform"#
        );
    }
}
