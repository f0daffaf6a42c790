//! Row sources: CSV, NDJSON and JSON inputs, each turned into rows of the
//! values a layout asks for.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::ops::Range;

use serde_json::{Map, Value};

use crate::error::{Location, Naming, ReadError, ReadErrorKind};
use crate::tokenizer::{Token, Tokenizer};

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
    /// The value of a slot, as read.
    pub fn get(&self, slot: usize) -> Option<&'a str> {
        let range = self.ranges.get((*self.slots.get(slot)?)?)?;
        self.text.get(range.clone())
    }
}

/// The unread text of a CSV source, lent by [`RowSource::unread_text`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct UnreadText<'a> {
    /// From the start of the next record to the end of what is read.
    pub text: &'a str,
    /// The next record's line number (1-based) and record number (the
    /// header is not one).
    pub line: u64,
    pub record: u64,
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
    pub fn error(
        &self,
        kind: ReadErrorKind,
        line: Option<u64>,
        record: Option<u64>,
        column: Option<&str>,
        message: impl Into<String>,
    ) -> ReadError {
        ReadError {
            kind,
            location: Location {
                file: self.file.clone(),
                line,
                record,
            },
            column: column.map(str::to_owned),
            naming: self.naming,
            message: message.into(),
            fatal: matches!(
                kind,
                ReadErrorKind::Io
                    | ReadErrorKind::MissingColumn
                    | ReadErrorKind::DuplicateColumn
                    | ReadErrorKind::Empty
                    | ReadErrorKind::Mapping
            ),
        }
    }

    pub fn fatal(&self, kind: ReadErrorKind, message: impl Into<String>) -> ReadError {
        let mut error = self.error(kind, None, None, None, message);
        error.fatal = true;
        error
    }

    /// A fault of the header line (line 1), which stops the read.
    pub fn header_error(
        &self,
        kind: ReadErrorKind,
        column: Option<&str>,
        message: impl Into<String>,
    ) -> ReadError {
        let mut error = self.error(kind, Some(1), None, column, message);
        error.fatal = true;
        error
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
    fn next_row(&mut self) -> Option<Result<RowRef<'_>, ReadError>>;

    /// Input columns or keys no bound column reads.
    fn ignored_columns(&self) -> Vec<String>;

    /// The unread text from the start of the next record on, for a reader
    /// that can take a line without its being split into a row first (CSV
    /// only; `None` sends the reader to [`next_row`](Self::next_row)).
    fn unread_text(&self) -> Option<UnreadText<'_>> {
        None
    }

    /// Moves past the line of `consumed` bytes, its line break included,
    /// at the start of [`unread_text`](Self::unread_text), counting it as a
    /// record read.
    fn skip_line(&mut self, _consumed: usize) {}

    /// The field delimiter (CSV only).
    fn delimiter(&self) -> Option<u8> {
        None
    }

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

// ---- CSV ----------------------------------------------------------------

pub(crate) struct CsvSource<'r> {
    tokenizer: Tokenizer<'r>,
    header: Vec<String>,
    indexes: Vec<Option<usize>>,
    /// The current record, copied, when it is not valid UTF-8 throughout.
    fallback: Row,
    records: u64,
    context: Context,
    limits: Limits,
}

/// The delimiter of a header line: the most frequent of comma, semicolon and
/// tab outside quotes; comma when none occurs.
pub(crate) fn detect_delimiter(line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &byte in line {
        match byte {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let (best, &most) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(i, count)| (count, std::cmp::Reverse(i)))
        .unwrap_or((0, &0));
    if most == 0 { b',' } else { candidates[best] }
}

impl<'r> CsvSource<'r> {
    pub fn new(
        input: Box<dyn Read + 'r>,
        delimiter: Option<u8>,
        context: Context,
        limits: Limits,
    ) -> Result<Self, ReadError> {
        let io = |error: std::io::Error| context.fatal(ReadErrorKind::Io, error.to_string());
        let mut tokenizer =
            Tokenizer::new(input, delimiter, limits.max_record_bytes).map_err(io)?;
        let empty = || {
            context.fatal(
                ReadErrorKind::Empty,
                "no header line; expected column names",
            )
        };
        match tokenizer.next_record().map_err(io)? {
            None => return Err(empty()),
            Some(Token::TooLong { bytes, .. }) => {
                return Err(context.header_error(
                    ReadErrorKind::RecordTooLong,
                    None,
                    format!(
                        "the header is {bytes} bytes; the limit is {} bytes per record",
                        limits.max_record_bytes
                    ),
                ));
            }
            Some(Token::Record { .. }) => {}
        }
        let fields = tokenizer.fields();
        let mut header = Vec::with_capacity(fields.len());
        for index in 0..fields.len() {
            let name =
                std::str::from_utf8(fields.get(index).unwrap_or_default()).map_err(|_| {
                    context.header_error(
                        ReadErrorKind::InvalidUtf8,
                        None,
                        format!("header column {} is not valid UTF-8", index + 1),
                    )
                })?;
            header.push(name.trim().to_owned());
        }
        if header.len() == 1 && header[0].is_empty() {
            return Err(empty());
        }
        let mut seen = HashMap::new();
        for (index, name) in header.iter().enumerate() {
            if let Some(first) = seen.insert(name.as_str(), index) {
                return Err(context.header_error(
                    ReadErrorKind::DuplicateColumn,
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
            indexes: Vec::new(),
            fallback: Row::default(),
            records: 0,
            context,
            limits,
        })
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
    fn next_row(&mut self) -> Option<Result<RowRef<'_>, ReadError>> {
        forward!(self.next_row())
    }
    fn ignored_columns(&self) -> Vec<String> {
        forward!(self.ignored_columns())
    }
    #[inline]
    fn unread_text(&self) -> Option<UnreadText<'_>> {
        forward!(self.unread_text())
    }
    #[inline]
    fn skip_line(&mut self, consumed: usize) {
        forward!(self.skip_line(consumed))
    }
    fn delimiter(&self) -> Option<u8> {
        forward!(self.delimiter())
    }
    fn line_breaks(&self) -> u64 {
        forward!(self.line_breaks())
    }
    fn ended_at_record_end(&self) -> bool {
        forward!(self.ended_at_record_end())
    }
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

    fn next_row(&mut self) -> Option<Result<RowRef<'_>, ReadError>> {
        let token = match self.tokenizer.next_record() {
            Ok(token) => token?,
            Err(error) => {
                return Some(Err(self
                    .context
                    .fatal(ReadErrorKind::Io, error.to_string())));
            }
        };
        self.records += 1;
        let record = self.records;
        let line = match token {
            Token::Record { line } => line,
            Token::TooLong { line, bytes } => {
                return Some(Err(self.context.error(
                    ReadErrorKind::RecordTooLong,
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
                ReadErrorKind::FieldCount,
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
            let column = self.header.get(index).map(String::as_str);
            Some(Err(self.context.error(
                kind,
                Some(line),
                Some(record),
                column,
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
                        ReadErrorKind::FieldTooLong,
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
                        ReadErrorKind::InvalidUtf8,
                        index,
                        format!("not valid UTF-8 (after byte {})", utf8.valid_up_to()),
                    );
                }
            }
        }
        Some(Ok(self.fallback.as_ref()))
    }

    fn unread_text(&self) -> Option<UnreadText<'_>> {
        Some(UnreadText {
            text: self.tokenizer.unread_text()?,
            line: self.tokenizer.line_breaks() + 1,
            record: self.records + 1,
        })
    }

    fn skip_line(&mut self, consumed: usize) {
        self.tokenizer.skip_line(consumed);
        self.records += 1;
    }

    fn delimiter(&self) -> Option<u8> {
        Some(self.tokenizer.delimiter())
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

// ---- JSON ---------------------------------------------------------------

/// One JSON object as a row: each wanted key's value as text.
fn object_row(
    object: &Map<String, Value>,
    wanted: &[String],
    context: &Context,
    (line, record): (Option<u64>, u64),
    limits: Limits,
    row: &mut Row,
) -> Result<(), ReadError> {
    row.start(line, record);
    for key in wanted {
        let value = match object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(Value::Number(number)) => Some(number.to_string()),
            Some(Value::Bool(flag)) => Some(flag.to_string()),
            Some(Value::Array(_) | Value::Object(_)) => {
                return Err(context.error(
                    ReadErrorKind::NotAnObject,
                    line,
                    Some(record),
                    Some(key),
                    "holds an array or object; expected a string, number, boolean or null",
                ));
            }
        };
        if let Some(text) = &value
            && text.len() > limits.max_field_bytes
        {
            return Err(context.error(
                ReadErrorKind::FieldTooLong,
                line,
                Some(record),
                Some(key),
                format!(
                    "{} bytes; the limit is {} bytes per field",
                    text.len(),
                    limits.max_field_bytes
                ),
            ));
        }
        row.push(value.as_deref());
    }
    Ok(())
}

fn json_syntax(
    context: &Context,
    line: Option<u64>,
    record: u64,
    error: &serde_json::Error,
) -> ReadError {
    context.error(
        ReadErrorKind::Syntax,
        line,
        Some(record),
        None,
        format!("invalid JSON: {error}"),
    )
}

/// A JSON object and the line it was on.
type NumberedObject = (Map<String, Value>, u64);

pub(crate) struct NdjsonSource<'r> {
    input: BufReader<Box<dyn Read + 'r>>,
    /// An error met while reading ahead for the keys.
    first: Option<ReadError>,
    first_object: Option<(Map<String, Value>, u64)>,
    keys: Vec<String>,
    seen_keys: BTreeSet<String>,
    wanted: Vec<String>,
    line: u64,
    records: u64,
    buffer: Vec<u8>,
    row: Row,
    context: Context,
    limits: Limits,
}

impl<'r> NdjsonSource<'r> {
    pub fn new(input: Box<dyn Read + 'r>, context: Context, limits: Limits) -> Self {
        let mut source = NdjsonSource {
            input: BufReader::new(input),
            first: None,
            first_object: None,
            keys: Vec::new(),
            seen_keys: BTreeSet::new(),
            wanted: Vec::new(),
            line: 0,
            records: 0,
            buffer: Vec::new(),
            row: Row::default(),
            context,
            limits,
        };
        match source.next_object() {
            Some(Ok((object, line))) => {
                source.keys = object.keys().cloned().collect();
                source.first_object = Some((object, line));
            }
            Some(Err(error)) => source.first = Some(error),
            None => {}
        }
        source
    }

    /// The next non-blank line parsed as an object.
    fn next_object(&mut self) -> Option<Result<NumberedObject, ReadError>> {
        loop {
            self.buffer.clear();
            // One byte past the limit is enough to know a line is too long.
            let limit = (self.limits.max_record_bytes as u64).saturating_add(1);
            let read = (&mut self.input)
                .take(limit)
                .read_until(b'\n', &mut self.buffer);
            match read {
                Err(error) => {
                    return Some(Err(self
                        .context
                        .fatal(ReadErrorKind::Io, error.to_string())));
                }
                Ok(0) => return None,
                Ok(_) => {}
            }
            self.line += 1;
            if self.line == 1 && self.buffer.starts_with(b"\xEF\xBB\xBF") {
                self.buffer.drain(..3);
            }
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.records += 1;
            let (line, record) = (Some(self.line), self.records);
            if self.buffer.len() as u64 >= limit && !self.buffer.ends_with(b"\n") {
                // Skip the rest of the overlong line so that the next one starts clean.
                let mut rest = Vec::new();
                while let Ok(n) = (&mut self.input)
                    .take(64 * 1024)
                    .read_until(b'\n', &mut rest)
                {
                    if n == 0 || rest.ends_with(b"\n") {
                        break;
                    }
                    rest.clear();
                }
                return Some(Err(self.context.error(
                    ReadErrorKind::RecordTooLong,
                    line,
                    Some(record),
                    None,
                    format!(
                        "the line is longer than {} bytes, the limit per record",
                        limit - 1
                    ),
                )));
            }
            return Some(match serde_json::from_slice::<Value>(&self.buffer) {
                Ok(Value::Object(object)) => Ok((object, self.line)),
                Ok(_) => Err(self.context.error(
                    ReadErrorKind::NotAnObject,
                    line,
                    Some(record),
                    None,
                    "not a JSON object; expected one object per line",
                )),
                Err(error) => Err(json_syntax(&self.context, line, record, &error)),
            });
        }
    }

    fn row_of(&mut self, object: &Map<String, Value>, line: u64) -> Result<(), ReadError> {
        for key in object.keys() {
            if !self.wanted.contains(key)
                && !self.seen_keys.contains(key)
                && self.seen_keys.len() < 1000
            {
                self.seen_keys.insert(key.clone());
            }
        }
        object_row(
            object,
            &self.wanted,
            &self.context,
            (Some(line), self.records),
            self.limits,
            &mut self.row,
        )
    }
}

impl RowSource for NdjsonSource<'_> {
    fn columns(&self) -> &[String] {
        &self.keys
    }

    fn bind(&mut self, wanted: &[String]) {
        self.wanted = wanted.to_vec();
    }

    fn next_row(&mut self) -> Option<Result<RowRef<'_>, ReadError>> {
        if let Some(first) = self.first.take() {
            return Some(Err(first));
        }
        let result = if let Some((object, line)) = self.first_object.take() {
            // The first object was record 1.
            let records = self.records;
            self.records = 1;
            let result = self.row_of(&object, line);
            self.records = records;
            result
        } else {
            match self.next_object()? {
                Ok((object, line)) => self.row_of(&object, line),
                Err(error) => Err(error),
            }
        };
        Some(result.map(|()| self.row.as_ref()))
    }

    fn ignored_columns(&self) -> Vec<String> {
        self.seen_keys.iter().cloned().collect()
    }
}

pub(crate) struct JsonArraySource {
    elements: std::vec::IntoIter<Value>,
    keys: Vec<String>,
    seen_keys: BTreeSet<String>,
    wanted: Vec<String>,
    records: u64,
    row: Row,
    context: Context,
    limits: Limits,
}

impl JsonArraySource {
    /// Reads the whole document: a JSON array is not streamed (use NDJSON for that).
    pub fn new(
        input: Box<dyn Read + '_>,
        context: Context,
        limits: Limits,
    ) -> Result<Self, ReadError> {
        let mut bytes = Vec::new();
        // One byte past the limit is enough to know the document is too large.
        input
            .take((limits.max_document_bytes as u64).saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| context.fatal(ReadErrorKind::Io, e.to_string()))?;
        if bytes.len() > limits.max_document_bytes {
            return Err(context.fatal(
                ReadErrorKind::DocumentTooLarge,
                format!(
                    "a JSON array document is read whole, and this one is larger than the limit of {} bytes; expected NDJSON (one object per line, streamed) for larger inputs",
                    limits.max_document_bytes
                ),
            ));
        }
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        if text.iter().all(u8::is_ascii_whitespace) {
            return Err(context.fatal(
                ReadErrorKind::Empty,
                "empty document; expected a JSON array of objects",
            ));
        }
        let elements = match serde_json::from_slice::<Value>(text) {
            Ok(Value::Array(elements)) => elements,
            Ok(_) => {
                return Err(context.fatal(
                    ReadErrorKind::Syntax,
                    "not a JSON array; expected an array of objects",
                ));
            }
            Err(error) => {
                let mut fatal =
                    context.fatal(ReadErrorKind::Syntax, format!("invalid JSON: {error}"));
                fatal.location.line = Some(error.line() as u64);
                return Err(fatal);
            }
        };
        let keys = match elements.first() {
            Some(Value::Object(object)) => object.keys().cloned().collect(),
            _ => Vec::new(),
        };
        Ok(JsonArraySource {
            elements: elements.into_iter(),
            keys,
            seen_keys: BTreeSet::new(),
            wanted: Vec::new(),
            records: 0,
            row: Row::default(),
            context,
            limits,
        })
    }
}

impl RowSource for JsonArraySource {
    fn columns(&self) -> &[String] {
        &self.keys
    }

    fn bind(&mut self, wanted: &[String]) {
        self.wanted = wanted.to_vec();
    }

    fn next_row(&mut self) -> Option<Result<RowRef<'_>, ReadError>> {
        let element = self.elements.next()?;
        self.records += 1;
        let Value::Object(object) = element else {
            return Some(Err(self.context.error(
                ReadErrorKind::NotAnObject,
                None,
                Some(self.records),
                None,
                "not a JSON object; expected an array of objects",
            )));
        };
        for key in object.keys() {
            if !self.wanted.contains(key) && self.seen_keys.len() < 1000 {
                self.seen_keys.insert(key.clone());
            }
        }
        let result = object_row(
            &object,
            &self.wanted,
            &self.context,
            (None, self.records),
            self.limits,
            &mut self.row,
        );
        Some(result.map(|()| self.row.as_ref()))
    }

    fn ignored_columns(&self) -> Vec<String> {
        self.seen_keys.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_is_the_most_frequent_outside_quotes() {
        assert_eq!(detect_delimiter(b"a,b,c\n"), b',');
        assert_eq!(detect_delimiter(b"a;b;c\r\n"), b';');
        assert_eq!(detect_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter(b"\"a;b;c\",d,e"), b',');
        assert_eq!(detect_delimiter(b"single"), b',');
    }
}
