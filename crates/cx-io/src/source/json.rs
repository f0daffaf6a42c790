//! NDJSON lines and JSON array elements as rows.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};

use serde_json::{Map, Value};

use super::{Context, Limits, Row, RowRef, RowSource};
use crate::error::{Error, ErrorKind};

/// One JSON object as a row: each wanted key's value as text.
fn object_row(
    object: &Map<String, Value>,
    wanted: &[String],
    context: &Context,
    (line, record): (Option<u64>, u64),
    limits: Limits,
    row: &mut Row,
) -> Result<(), Error> {
    row.start(line, record);
    for key in wanted {
        // Strings are copied once, straight into the row; numbers are
        // written there, not into a string of their own.
        let written = match object.get(key) {
            None | Some(Value::Null) => {
                row.push(None);
                continue;
            }
            Some(Value::String(text)) => row.push_str(text),
            Some(Value::Number(number)) => row.push_display(number),
            Some(Value::Bool(flag)) => row.push_str(if *flag { "true" } else { "false" }),
            Some(Value::Array(_) | Value::Object(_)) => {
                return Err(context.error(
                    ErrorKind::NotAnObject,
                    line,
                    Some(record),
                    Some(key),
                    "holds an array or object; expected a string, number, boolean or null",
                ));
            }
        };
        if written > limits.max_field_bytes {
            return Err(context.error(
                ErrorKind::FieldTooLong,
                line,
                Some(record),
                Some(key),
                format!(
                    "{written} bytes; the limit is {} bytes per field",
                    limits.max_field_bytes
                ),
            ));
        }
    }
    Ok(())
}

fn json_syntax(
    context: &Context,
    line: Option<u64>,
    record: u64,
    error: &serde_json::Error,
) -> Error {
    context.error(
        ErrorKind::Syntax,
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
    first: Option<Error>,
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
    fn next_object(&mut self) -> Option<Result<NumberedObject, Error>> {
        loop {
            self.buffer.clear();
            // One byte past the limit is enough to know a line is too long.
            let limit = (self.limits.max_record_bytes as u64).saturating_add(1);
            let read = (&mut self.input)
                .take(limit)
                .read_until(b'\n', &mut self.buffer);
            match read {
                Err(error) => {
                    return Some(Err(self.context.fatal(ErrorKind::Io, error.to_string())));
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
                    ErrorKind::RecordTooLong,
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
                    ErrorKind::NotAnObject,
                    line,
                    Some(record),
                    None,
                    "not a JSON object; expected one object per line",
                )),
                Err(error) => Err(json_syntax(&self.context, line, record, &error)),
            });
        }
    }

    fn row_of(&mut self, object: &Map<String, Value>, line: u64) -> Result<(), Error> {
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

    fn next_row(&mut self) -> Option<Result<RowRef<'_>, Error>> {
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
    pub fn new(input: Box<dyn Read + '_>, context: Context, limits: Limits) -> Result<Self, Error> {
        let mut bytes = Vec::new();
        // One byte past the limit is enough to know the document is too large.
        input
            .take((limits.max_document_bytes as u64).saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| context.fatal(ErrorKind::Io, e.to_string()))?;
        if bytes.len() > limits.max_document_bytes {
            return Err(context.fatal(
                ErrorKind::DocumentTooLarge,
                format!(
                    "a JSON array document is read whole, and this one is larger than the limit of {} bytes; expected NDJSON (one object per line, streamed) for larger inputs",
                    limits.max_document_bytes
                ),
            ));
        }
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        if text.iter().all(u8::is_ascii_whitespace) {
            return Err(context.fatal(
                ErrorKind::Empty,
                "empty document; expected a JSON array of objects",
            ));
        }
        let elements = match serde_json::from_slice::<Value>(text) {
            Ok(Value::Array(elements)) => elements,
            Ok(_) => {
                return Err(context.fatal(
                    ErrorKind::Syntax,
                    "not a JSON array; expected an array of objects",
                ));
            }
            Err(error) => {
                return Err(context
                    .fatal(ErrorKind::Syntax, format!("invalid JSON: {error}"))
                    .at_line(error.line() as u64));
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

    fn next_row(&mut self) -> Option<Result<RowRef<'_>, Error>> {
        let element = self.elements.next()?;
        self.records += 1;
        let Value::Object(object) = element else {
            return Some(Err(self.context.error(
                ErrorKind::NotAnObject,
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
