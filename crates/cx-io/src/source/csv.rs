//! CSV records as rows.

use std::collections::HashMap;
use std::io::Read;

use super::{Context, Limits, Row, RowRef, RowSource};
use crate::error::Error;
use crate::error::ErrorKind;
use crate::export::{HeaderRows, HeaderRules, SurveyExport};
use crate::tokenizer::{Token, Tokenizer};

pub(crate) struct CsvSource<'r> {
    tokenizer: Tokenizer<'r>,
    header: Vec<String>,
    export: SurveyExport,
    header_rows: usize,
    /// The time zone the header rows name, if they do.
    zone: Option<String>,
    /// The line of the first data record when the header reading read it
    /// already (it is the tokenizer's current record).
    held: Option<u64>,
    indexes: Vec<Option<usize>>,
    /// The current record, copied, when it is not valid UTF-8 throughout.
    fallback: Row,
    records: u64,
    context: Context,
    limits: Limits,
}

impl<'r> CsvSource<'r> {
    pub fn new(
        input: Box<dyn Read + 'r>,
        delimiter: Option<u8>,
        declared: HeaderRules,
        context: Context,
        limits: Limits,
    ) -> Result<Self, Error> {
        let io = |error: std::io::Error| context.fatal(ErrorKind::Io, error.to_string());
        let mut tokenizer =
            Tokenizer::new(input, delimiter, limits.max_record_bytes).map_err(io)?;
        let empty = |line_breaks: u64| match line_breaks {
            0 => context.fatal_at_line(
                ErrorKind::Empty,
                1,
                "the file is empty; expected a header line of column names",
            ),
            1 => context.fatal_at_line(
                ErrorKind::Empty,
                1,
                "no header line (line 1 is blank); expected column names",
            ),
            lines => context.fatal_at_line(
                ErrorKind::Empty,
                lines,
                format!("no header line (lines 1 to {lines} are blank); expected column names"),
            ),
        };
        let (_, first) = header_row(&mut tokenizer, &context, limits)?
            .ok_or_else(|| empty(tokenizer.line_breaks()))?;
        if first.len() == 1 && first[0].is_empty() {
            return Err(context.header_error(
                ErrorKind::Empty,
                None,
                "the header line is blank; expected column names",
            ));
        }
        let mut line = 0;
        let (header_rows, data) = HeaderRows::read(first, declared, || {
            Ok(
                header_row(&mut tokenizer, &context, limits)?.map(|(at, row)| {
                    line = at;
                    row
                }),
            )
        })?;
        // The data row read is the tokenizer's current record: the first
        // that `next_row` gives.
        let held = data.map(|_| line);
        let header = header_rows.column_names();
        let mut seen = HashMap::new();
        for (index, name) in header.iter().enumerate() {
            if let Some(first) = seen.insert(name.as_str(), index) {
                return Err(context.header_error(
                    ErrorKind::DuplicateColumn,
                    Some(name),
                    format!(
                        "appears twice in the header (columns {} and {}); expected unique column names",
                        first + 1,
                        index + 1
                    ),
                ));
            }
        }
        Ok(CsvSource {
            tokenizer,
            header,
            export: header_rows.export,
            header_rows: header_rows.rows.len(),
            zone: header_rows.zone(),
            held,
            indexes: Vec::new(),
            fallback: Row::default(),
            records: 0,
            context,
            limits,
        })
    }
}

/// The error of field `index` of the record at `line` and `record`.
#[cold]
#[inline(never)]
fn field_error(
    context: &Context,
    header: &[String],
    (line, record): (u64, u64),
    kind: ErrorKind,
    index: usize,
    message: String,
) -> Error {
    let column = header.get(index).map(String::as_str);
    context.error(kind, Some(line), Some(record), column, message)
}

impl CsvSource<'_> {
    /// The delimiter, as given or as detected from the header.
    pub fn delimiter(&self) -> u8 {
        self.tokenizer.delimiter()
    }

    /// The survey export the header rows are, as declared or recognised.
    pub fn export(&self) -> SurveyExport {
        self.export
    }

    /// How many header rows were read.
    pub fn header_rows(&self) -> usize {
        self.header_rows
    }

    /// The time zone the header rows name, if they do.
    pub fn zone(&self) -> Option<&str> {
        self.zone.as_deref()
    }
}

/// The next record as header names, each trimmed; `None` at the end of
/// the input.
fn header_row(
    tokenizer: &mut Tokenizer<'_>,
    context: &Context,
    limits: Limits,
) -> Result<Option<(u64, Vec<String>)>, Error> {
    let io = |error: std::io::Error| context.fatal(ErrorKind::Io, error.to_string());
    let line = match tokenizer.next_record().map_err(io)? {
        None => return Ok(None),
        Some(Token::TooLong { bytes, line }) => {
            return Err(context.fatal_at_line(
                ErrorKind::RecordTooLong,
                line,
                format!(
                    "the header is {bytes} bytes; the limit is {} bytes per record",
                    limits.max_record_bytes
                ),
            ));
        }
        Some(Token::Record { line }) => line,
    };
    let fields = tokenizer.fields();
    let mut names = Vec::with_capacity(fields.len());
    for index in 0..fields.len() {
        let name = std::str::from_utf8(fields.get(index).unwrap_or_default()).map_err(|_| {
            context.fatal_at_line(
                ErrorKind::InvalidUtf8,
                line,
                format!("header column {} is not valid UTF-8", index + 1),
            )
        })?;
        names.push(name.trim().to_owned());
    }
    Ok(Some((line, names)))
}

impl RowSource for CsvSource<'_> {
    fn columns(&self) -> &[String] {
        &self.header
    }

    fn bind(&mut self, wanted: &[String]) {
        self.indexes = wanted
            .iter()
            .map(|name| self.header.iter().position(|h| h == name))
            .collect();
    }

    #[inline(always)]
    fn next_row(&mut self) -> Option<Result<RowRef<'_>, Error>> {
        let token = match self.held.take() {
            Some(line) => Token::Record { line },
            None => match self.tokenizer.next_record() {
                Ok(token) => token?,
                Err(error) => {
                    return Some(Err(self.context.fatal(ErrorKind::Io, error.to_string())));
                }
            },
        };
        self.records += 1;
        let record = self.records;
        let line = match token {
            Token::Record { line } => line,
            Token::TooLong { line, bytes } => {
                return Some(Err(self.context.error(
                    ErrorKind::RecordTooLong,
                    Some(line),
                    Some(record),
                    None,
                    format!(
                        "{bytes} bytes; the limit is {} bytes per record",
                        self.limits.max_record_bytes
                    ),
                )));
            }
        };
        let fields = self.tokenizer.fields();
        if fields.len() != self.header.len() {
            return Some(Err(self.context.error(
                ErrorKind::FieldCount,
                Some(line),
                Some(record),
                None,
                format!(
                    "{} fields; expected {} as in the header",
                    fields.len(),
                    self.header.len()
                ),
            )));
        }
        let error = |kind, index: usize, message| {
            Some(Err(field_error(
                &self.context,
                &self.header,
                (line, record),
                kind,
                index,
                message,
            )))
        };
        // A field is never longer than its record, so most records need no
        // look at each field.
        if fields.bytes().len() > self.limits.max_field_bytes {
            for index in self.indexes.iter().flatten() {
                let bytes = fields.range(*index).map_or(0, |range| range.len());
                if bytes > self.limits.max_field_bytes {
                    return error(
                        ErrorKind::FieldTooLong,
                        *index,
                        format!(
                            "{bytes} bytes; the limit is {} bytes per field",
                            self.limits.max_field_bytes
                        ),
                    );
                }
            }
        }
        // A quote-free record from a buffer already checked as UTF-8 is text
        // as it is; any other gets one UTF-8 check for the whole record. Its
        // fields are then byte ranges of it. Only a record with a bad byte is
        // looked at field by field, so that the error names the column (or,
        // in a column no one reads, is no error).
        let text = fields
            .text()
            .or_else(|| simdutf8::basic::from_utf8(fields.bytes()).ok());
        if let Some(text) = text {
            return Some(Ok(RowRef {
                line: Some(line),
                record,
                text,
                ranges: fields.ranges(),
                slots: &self.indexes,
            }));
        }
        self.fallback.start(Some(line), record);
        for index in &self.indexes {
            let Some(index) = *index else {
                self.fallback.push(None);
                continue;
            };
            match std::str::from_utf8(fields.get(index).unwrap_or_default()) {
                Ok(text) => self.fallback.push(Some(text)),
                Err(utf8) => {
                    return error(
                        ErrorKind::InvalidUtf8,
                        index,
                        format!("not valid UTF-8 (after byte {})", utf8.valid_up_to()),
                    );
                }
            }
        }
        Some(Ok(self.fallback.as_ref()))
    }

    fn ignored_columns(&self) -> Vec<String> {
        self.header
            .iter()
            .enumerate()
            .filter(|(index, _)| !self.indexes.contains(&Some(*index)))
            .map(|(_, name)| name.clone())
            .collect()
    }

    fn line_breaks(&self) -> u64 {
        self.tokenizer.line_breaks()
    }

    fn ended_at_record_end(&self) -> bool {
        self.tokenizer.ended_at_record_end()
    }
}
