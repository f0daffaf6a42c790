//! A journey file drafted from a survey's header and first rows (`cx
//! init`): which column is the respondent id, the timestamp, the segments,
//! the loyalty questions and likelihood to recommend, which are ratings on
//! what scale, and which expectation goes with which rating. Every guess
//! the file's text cannot settle is marked `CHECK` in the draft.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use cx_model::Answer;

use crate::error::{Error, ErrorKind};
use crate::export::{HeaderRows, HeaderRules, SurveyExport, header_rows_said};
use crate::header::same_column;
use crate::options::DecimalMark;
use crate::source::Context;
use crate::timestamp::TimestampRules;
use crate::tokenizer::detect_delimiter;

mod columns;
use columns::{Column, ScaleGuess, common_scale, find};

/// How many rows a draft looks at by default.
pub const DRAFT_SAMPLE_ROWS: usize = 2_000;

/// The most distinct values a column may show in the sample and still be
/// drafted as a segment.
const MAX_SEGMENT_VALUES: usize = 12;

/// The most segment columns a draft joins.
const MAX_SEGMENT_COLUMNS: usize = 3;

/// Names (folded: lower case, letters and digits only) of a respondent id
/// column, the most likely first.
const ID_NAMES: [&str; 9] = [
    "respondentid",
    "responseid",
    "id",
    "respondent",
    "participantid",
    "customerid",
    "userid",
    "recordid",
    "caseid",
];

/// Words of a column's name that say a number is not a rating (also
/// with an `n` before them: `nflights`).
const NOT_RATINGS: [&str; 13] = [
    "age", "year", "years", "distance", "delay", "minutes", "duration", "income", "price",
    "amount", "count", "flights", "weight",
];

/// Whether a column's name says its numbers are not ratings.
fn not_a_rating(name: &str) -> bool {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_lowercase)
        .any(|word| {
            NOT_RATINGS
                .iter()
                .any(|part| word == *part || word.strip_prefix('n') == Some(part))
        })
}

/// A drafted journey file: commented TOML, every guess to confirm marked
/// `CHECK`.
///
/// ```
/// use cx_io::{JourneyDraft, JourneyFile, JourneyFormat};
///
/// let survey = "ID,Gender,Booking,Check-in,Satisfaction\n\
///               1,f,4,5,Satisfied\n2,m,2,3,Dissatisfied\n3,f,5,1,Satisfied\n";
/// let draft = JourneyDraft::from_reader(survey.as_bytes(), "airline", 100)?;
/// let file = JourneyFile::parse(draft.toml(), JourneyFormat::Toml)?;
/// assert_eq!(file.journey.touchpoint_count(), 2);
/// let respondents = file.respondents.unwrap();
/// assert_eq!(respondents.id_column.as_deref(), Some("ID"));
/// assert_eq!(respondents.segment_columns, ["Gender"]);
/// assert!(draft.toml().contains("CHECK"));
/// # Ok::<(), cx_io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JourneyDraft {
    toml: String,
    checks: usize,
}

impl JourneyDraft {
    /// Drafts the journey of the CSV survey at `path` from its header and
    /// first `rows` rows.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] if the file cannot be read, [`ErrorKind::Empty`]
    /// if it has no header, [`ErrorKind::FieldCount`] for a record the CSV
    /// reader cannot read, and [`ErrorKind::MissingColumn`] if no column
    /// holds ratings.
    pub fn from_path(path: impl AsRef<Path>, rows: usize) -> Result<Self, Error> {
        let path = path.as_ref();
        let context = Context::csv_file(path);
        let file = std::fs::File::open(path)
            .map_err(|error| context.fatal(ErrorKind::Io, format!("cannot open: {error}")))?;
        let name = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        Self::read(file, &name, rows, &context)
    }

    /// Drafts the journey called `name` of a CSV survey read from `input`.
    ///
    /// # Errors
    ///
    /// As [`from_path`](Self::from_path).
    pub fn from_reader(input: impl Read, name: &str, rows: usize) -> Result<Self, Error> {
        Self::read(input, name, rows, &Context::csv_file(Path::new("<input>")))
    }

    /// The draft, as the text of a TOML journey file.
    pub fn toml(&self) -> &str {
        &self.toml
    }

    /// How many of the draft's guesses are marked `CHECK`.
    pub fn checks(&self) -> usize {
        self.checks
    }

    fn read(input: impl Read, name: &str, rows: usize, context: &Context) -> Result<Self, Error> {
        let input = crate::stream::decoded(Box::new(input), context)?;
        let mut buffered = std::io::BufReader::new(input);
        let header_line = {
            use std::io::BufRead as _;
            buffered
                .fill_buf()
                .map_err(|error| context.fatal(ErrorKind::Io, format!("cannot read: {error}")))?
                .split(|&byte| byte == b'\n')
                .next()
                .unwrap_or_default()
                .to_vec()
        };
        let delimiter = detect_delimiter(&header_line);
        // As the reader reads numbers without a journey's word on it.
        let decimal_comma = DecimalMark::reads_comma(None, Some(delimiter));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(buffered);
        let first: Vec<String> = reader
            .headers()
            .map_err(|error| context.fatal(ErrorKind::FieldCount, error.to_string()))?
            .iter()
            .map(|name| name.trim_start_matches('\u{feff}').trim().to_owned())
            .collect();
        if first.iter().all(String::is_empty) {
            return Err(context.fatal(
                ErrorKind::Empty,
                "has no header line; expected column names",
            ));
        }
        let cannot_read = |error: csv::Error| {
            context.fatal(
                ErrorKind::FieldCount,
                format!("cannot be read as CSV: {error}"),
            )
        };
        let trimmed = |record: csv::StringRecord| -> Vec<String> {
            record.iter().map(|cell| cell.trim().to_owned()).collect()
        };
        // The header rows as the reader takes them.
        let mut records = reader.records();
        let (header_rows, data) = HeaderRows::read(first, HeaderRules::default(), || {
            records.next().transpose().map(|record| record.map(trimmed))
        })
        .map_err(cannot_read)?;
        let export = header_rows.export;
        let timestamps = TimestampRules::new(&[], export, chrono_tz::Tz::UTC);
        let mut columns: Vec<Column> = header_rows
            .column_names()
            .iter()
            .map(|name| Column::new(name))
            .collect();
        // Qualtrics names columns by ids (`Q1_2`) and asks in its second
        // row: "How would you rate us? - Delivery".
        if export == SurveyExport::Qualtrics
            && let Some(texts) = header_rows.rows.get(1)
        {
            for (column, text) in columns.iter_mut().zip(texts) {
                column.question = text.split_whitespace().collect::<Vec<_>>().join(" ");
            }
        }
        let rest = records.map(|record| record.map(trimmed).map_err(cannot_read));
        let mut read = 0;
        for record in data.map(Ok).into_iter().chain(rest).take(rows) {
            for (column, value) in columns.iter_mut().zip(record?) {
                column.see(&value, decimal_comma, &timestamps);
            }
            read += 1;
        }
        let survey = Survey {
            name,
            columns: &columns,
            rows: read,
            export: (export, header_rows.rows.len()),
        };
        let mut text = Text::default();
        if let Some(long) = find(&columns, &["touchpoint"]).zip(find(&columns, &["reality"])) {
            survey.write_long(long, &mut text);
        } else {
            survey.write_wide(&mut text, context)?;
        }
        Ok(JourneyDraft {
            toml: text.toml,
            checks: text.checks,
        })
    }
}

/// The draft being written, and how many guesses it marks.
#[derive(Default)]
struct Text {
    toml: String,
    checks: usize,
}

impl Text {
    fn line(&mut self, line: impl AsRef<str>) {
        self.toml.push_str(line.as_ref());
        self.toml.push('\n');
    }

    /// A comment marking a guess to confirm.
    fn check(&mut self, what: impl AsRef<str>) {
        self.checks += 1;
        self.line(format!("# CHECK: {}", what.as_ref()));
    }

    /// The one stage of a draft that cannot tell the journey's stages.
    fn one_stage(&mut self) {
        self.line("[[stages]]");
        self.check(
            "one stage holds every touchpoint: split them into the journey's stages, in order",
        );
        self.line("name = \"Journey\"");
    }

    /// A touchpoint's first lines: its id and name, and its channel to
    /// confirm.
    fn touchpoint(&mut self, id: &str, name: &str) {
        self.line("");
        self.line("[[stages.touchpoints]]");
        self.line(format!("id = {}", quoted(id)));
        self.line(format!("name = {}", quoted(name)));
        self.check("the touchpoint's channel");
        self.line("channel = \"other\"");
    }
}

/// The sampled survey.
struct Survey<'a> {
    name: &'a str,
    columns: &'a [Column],
    rows: usize,
    /// The export the header rows are, and how many there are.
    export: (SurveyExport, usize),
}

impl Survey<'_> {
    fn preamble(&self, text: &mut Text, layout: &str) {
        text.line(format!(
            "# A journey drafted by `cx init` from the header and first {} rows of a {layout} survey.",
            self.rows
        ));
        text.line("# Lines marked CHECK are guesses to confirm; the rest follows from the file.");
        text.line("# Every key is described in docs/journey-file.md.");
        let (export, rows) = self.export;
        if export != SurveyExport::Plain || rows > 1 {
            text.line(format!(
                "# Read as a {export} export ({}), recognised from its header.",
                header_rows_said(rows)
            ));
        }
        text.line("");
        text.line(format!("name = {}", quoted(self.name)));
        text.line("");
    }

    fn write_scale(text: &mut Text, scale: &ScaleGuess) {
        text.line("[scale]");
        text.line(format!("min = {}", scale.min));
        text.line(format!("max = {}", scale.max));
        if let Some(not_applicable) = scale.not_applicable {
            text.check(format!(
                "{not_applicable} is below the scale in the data: taken as \"not applicable\""
            ));
            text.line(format!("not_applicable = {not_applicable}"));
        }
        text.line("");
    }

    /// A long file: the touchpoints are the values of its `touchpoint`
    /// column, the scale that of its ratings.
    fn write_long(&self, (touchpoints, reality): (&Column, &Column), text: &mut Text) {
        self.preamble(text, "long-layout");
        let mut ratings = vec![reality];
        ratings.extend(find(self.columns, &["expectation"]));
        let (scale, _) = common_scale(&ratings);
        Self::write_scale(text, &scale);
        text.one_stage();
        for id in &touchpoints.first_seen {
            text.touchpoint(id, id);
        }
    }

    /// A wide file: one row per respondent, one column per rating.
    fn write_wide(&self, text: &mut Text, context: &Context) -> Result<(), Error> {
        let mut used: BTreeSet<&str> = BTreeSet::new();
        let (export, _) = self.export;
        let named = |wanted: Option<&str>| {
            self.columns
                .iter()
                .find(|column| wanted.is_some_and(|name| same_column(&column.name, name)))
        };
        let (export_id, export_time) = export.id_and_time_columns();
        let id = named(export_id)
            .filter(|column| column.is_unique())
            .or_else(|| {
                ID_NAMES.iter().find_map(|name| {
                    self.columns
                        .iter()
                        .find(|column| column.folded() == *name && column.is_unique())
                })
            });
        used.extend(id.map(|column| column.name.as_str()));
        // An unnamed first column is a spreadsheet's row index.
        used.extend(
            self.columns
                .iter()
                .filter(|c| c.name.is_empty())
                .map(|c| c.name.as_str()),
        );
        let is_timestamp = |column: &&Column| {
            !used.contains(column.name.as_str())
                && !column.is_numeric()
                && column.filled > 0
                && column.timestamps == column.filled
        };
        let timestamp = named(export_time)
            .filter(is_timestamp)
            .or_else(|| self.columns.iter().find(is_timestamp));
        used.extend(timestamp.map(|column| column.name.as_str()));
        // What the platform adds is no answer.
        used.extend(
            self.columns
                .iter()
                .map(|c| c.name.as_str())
                .filter(|name| export.is_metadata(name)),
        );
        let likelihood = self.columns.iter().find(|column| {
            let name = column.words();
            !used.contains(column.name.as_str())
                && column.is_numeric()
                && column.whole
                && (name.contains("nps")
                    || name.contains("recommend")
                    || name == "rec"
                    || name == "ltr")
                && column.min >= 0.0
                && column.max <= 11.0
        });
        used.extend(likelihood.map(|column| column.name.as_str()));
        let questions = self.questions(&used);
        used.extend(questions.iter().map(|(_, column, _)| column.name.as_str()));
        let segments: Vec<&Column> = self
            .columns
            .iter()
            .filter(|column| {
                !used.contains(column.name.as_str())
                    && !column.is_numeric()
                    && (2..=MAX_SEGMENT_VALUES).contains(&column.values.len())
            })
            .collect();
        used.extend(segments.iter().map(|column| column.name.as_str()));
        let numbers: Vec<&Column> = self
            .columns
            .iter()
            .filter(|column| {
                !used.contains(column.name.as_str())
                    && column.is_numeric()
                    && !not_a_rating(&column.name)
            })
            .collect();
        let (scale, on_scale) = common_scale(&numbers);
        let ratings: Vec<&Column> = on_scale
            .into_iter()
            .filter(|column| column.values.len() >= 2)
            .collect();
        if ratings.is_empty() {
            // Numbers with a few texts among them: an export that writes
            // some answers (often a scale's ends) as their labels.
            let labels: BTreeSet<&str> = self
                .columns
                .iter()
                .filter(|column| column.numbers * 2 >= column.filled.max(1))
                .flat_map(|column| column.texts.iter().map(String::as_str))
                .collect();
            let hint = match labels.len() {
                1..=6 => format!(
                    "; some columns hold numbers and the texts {}: say which rating each stands for in the journey's [rating_labels] (docs/journey-file.md), or export the answers as numbers",
                    labels
                        .iter()
                        .map(|label| format!("{label:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => String::new(),
            };
            return Err(context.fatal(
                ErrorKind::MissingColumn,
                format!("has no column of ratings: expected whole numbers on a scale such as 1..=5, 1..=7, 0..=10 or 1..=100{hint}"),
            ));
        }
        let pairs = expectation_pairs(&ratings);

        self.preamble(text, "wide-layout");
        Self::write_scale(text, &scale);
        text.line("[respondents]");
        match id {
            Some(column) => text.line(format!("id_column = {}", quoted(&column.name))),
            None => text.check("no respondent id column found: respondents are numbered by row"),
        }
        if !segments.is_empty() {
            // Joined, every column multiplies the groups: the first few.
            let (kept, others) = segments.split_at(segments.len().min(MAX_SEGMENT_COLUMNS));
            text.check("segment columns are joined into one segment: keep those you break down by");
            if !others.is_empty() {
                let names: Vec<String> = others.iter().map(|c| quoted(&c.name)).collect();
                text.line(format!("# Other segment columns: {}.", names.join(", ")));
            }
            let names: Vec<String> = kept.iter().map(|c| quoted(&c.name)).collect();
            text.line(format!("segment_columns = [{}]", names.join(", ")));
        }
        if let Some(column) = timestamp {
            text.line(format!("timestamp_column = {}", quoted(&column.name)));
        }
        for (key, column, rule) in &questions {
            text.check(format!(
                "{:?} read as the loyalty question {key}",
                column.name
            ));
            text.line(format!(
                "{key} = {{ column = {}{rule} }}",
                quoted(&column.name)
            ));
        }
        if let Some(column) = likelihood {
            if column.max > 10.0 {
                text.check(format!(
                    "{:?} runs to 11: taken as 0..=10 stored as 1..=11",
                    column.name
                ));
                text.line(format!(
                    "likelihood_to_recommend = {{ column = {}, offset = -1 }}",
                    quoted(&column.name)
                ));
            } else {
                text.line(format!(
                    "likelihood_to_recommend = {{ column = {} }}",
                    quoted(&column.name)
                ));
            }
        }
        let rest: Vec<&str> = self
            .columns
            .iter()
            .filter(|column| {
                !column.name.is_empty()
                    && !used.contains(column.name.as_str())
                    && !ratings.iter().any(|rating| rating.name == column.name)
            })
            .map(|column| column.name.as_str())
            .collect();
        if !rest.is_empty() {
            text.line(format!("# Not read: {}.", rest.join(", ")));
        }
        text.line("");
        Self::write_stages(&pairs, &scale, text);
        Ok(())
    }

    /// The loyalty questions among the text columns of two values: by
    /// name, each with how its values read as yes and no.
    fn questions(&self, used: &BTreeSet<&str>) -> Vec<(&'static str, &Column, String)> {
        let mut found: Vec<(&'static str, &Column, String)> = Vec::new();
        for column in self.columns {
            if used.contains(column.name.as_str())
                || column.is_numeric()
                || column.values.len() != 2
            {
                continue;
            }
            let name = column.words();
            let key = if name.contains("satisf") || name.contains("expect") {
                "expectations_met"
            } else if name.contains("return") || name.contains("again") || name.contains("loyal") {
                "would_return"
            } else if name.contains("recommend") {
                "would_recommend"
            } else {
                continue;
            };
            if found.iter().any(|(taken, _, _)| *taken == key) {
                continue;
            }
            // The usual spellings (yes/no, true/false, y/n, 1/0) need no rule.
            let rule = if column.values.iter().all(|v| v.parse::<Answer>().is_ok()) {
                String::new()
            } else {
                // Yes is the value that says no "dis", "not", "no" or "neutral".
                let negative = |value: &str| {
                    let value = value.to_lowercase();
                    ["dis", "not", "neutral", "unsatisf", "no"]
                        .iter()
                        .any(|word| value.contains(word))
                };
                let (no, yes): (Vec<&String>, Vec<&String>) =
                    column.values.iter().partition(|value| negative(value));
                let (Some(yes), Some(no)) = (yes.first(), no.first()) else {
                    continue;
                };
                format!(", yes = [{}], no = [{}]", quoted(yes), quoted(no))
            };
            found.push((key, column, rule));
        }
        found
    }

    /// The touchpoints, in stages by the letters their column names start
    /// with when those make several groups (`imag1`, `qual2`), else in one.
    fn write_stages(pairs: &[(&Column, Option<&Column>)], scale: &ScaleGuess, text: &mut Text) {
        let stem = |name: &str| {
            name.trim_end_matches(|c: char| c.is_ascii_digit())
                .to_owned()
        };
        let stems: Vec<String> = pairs
            .iter()
            .map(|(reality, _)| stem(&reality.name))
            .collect();
        let distinct: BTreeSet<&String> = stems.iter().collect();
        let by_stem = distinct.len() > 1 && distinct.len() < pairs.len();
        let mut ids: BTreeSet<String> = BTreeSet::new();
        let mut stage: Option<&str> = None;
        if !by_stem {
            text.one_stage();
        }
        for (&(column, expectation), stem) in pairs.iter().zip(&stems) {
            if by_stem && stage != Some(stem.as_str()) {
                if stage.is_some() {
                    text.line("");
                }
                text.line("[[stages]]");
                text.check(
                    "stages follow the columns' names; order and name them as the journey goes",
                );
                text.line(format!("name = {}", quoted(stem)));
                stage = Some(stem.as_str());
            }
            let mut id = fold_id(&column.name);
            let base = id.clone();
            let mut suffix = 2;
            while !ids.insert(id.clone()) {
                id = format!("{base}_{suffix}");
                suffix += 1;
            }
            text.touchpoint(&id, column.label());
            text.line(format!("source_column = {}", quoted(&column.name)));
            match expectation {
                Some(expectation) => text.line(format!(
                    "expectation_column = {}",
                    quoted(&expectation.name)
                )),
                None => {
                    text.check("the survey rates reality only: the expectation is this target");
                    text.line(format!("target = {}", scale.target()));
                }
            }
        }
    }
}

/// Each rating with its expectation, if a column is one: `e1` goes with
/// `s1` (or `r1`), `X expectation`, `X (expected)` or `expected X` with
/// `X`. Expectation columns are not listed as ratings of their own.
fn expectation_pairs<'c>(ratings: &[&'c Column]) -> Vec<(&'c Column, Option<&'c Column>)> {
    // What an expectation column's folded name says it is the expectation
    // of, in the folded form of that rating's name (`e1`: `1`).
    let expectation_of = |name: &str| -> Option<String> {
        if let Some(digits) = name.strip_prefix('e')
            && is_number(digits)
        {
            return Some(digits.to_owned());
        }
        ["expectation", "expected", "exp"].iter().find_map(|affix| {
            let rest = name
                .strip_suffix(affix)
                .or_else(|| name.strip_prefix(affix))?;
            (!rest.is_empty()).then(|| rest.to_owned())
        })
    };
    let key_of = |name: &str| -> String {
        match name.strip_prefix(['s', 'r']) {
            Some(digits) if is_number(digits) => digits.to_owned(),
            _ => name.to_owned(),
        }
    };
    let expectations: Vec<(String, &Column)> = ratings
        .iter()
        .filter_map(|column| Some((expectation_of(&column.folded())?, *column)))
        .collect();
    let partner = |column: &Column| {
        let key = key_of(&column.folded());
        expectations
            .iter()
            .find(|(of, expectation)| *of == key && expectation.name != column.name)
            .map(|&(_, expectation)| expectation)
    };
    let partners: Vec<Option<&Column>> = ratings.iter().map(|column| partner(column)).collect();
    let is_expectation = |column: &Column| {
        partners
            .iter()
            .flatten()
            .any(|expectation| expectation.name == column.name)
    };
    ratings
        .iter()
        .zip(partners.iter())
        .filter(|(column, _)| !is_expectation(column))
        .map(|(column, partner)| (*column, *partner))
        .collect()
}

/// Whether `text` is one or more ASCII digits.
fn is_number(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
}

/// A touchpoint id from a column name: lower case, words joined by `_`.
fn fold_id(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('_') && !id.is_empty() {
            id.push('_');
        }
    }
    let id = id.trim_end_matches('_').to_owned();
    if id.is_empty() {
        "touchpoint".to_owned()
    } else {
        id
    }
}

/// `text` as a TOML string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}
