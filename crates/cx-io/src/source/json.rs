//! NDJSON lines and JSON array elements as rows.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::io::{BufRead, BufReader, Read};

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::{Context, Limits, Row, RowRef, RowSource};
use crate::error::{Error, ErrorKind};

/// A JSON value as a row's cell holds it, borrowed where it can be.
#[derive(Debug)]
enum Scalar<'a> {
    Null,
    Text(Cow<'a, str>),
    Number(Number),
    Bool(bool),
    /// An array or an object, which no cell holds.
    Nested,
}

impl<'a> From<&'a Value> for Scalar<'a> {
    fn from(value: &'a Value) -> Self {
        match value {
            Value::Null => Scalar::Null,
            Value::String(text) => Scalar::Text(Cow::Borrowed(text)),
            Value::Number(number) => Scalar::Number(number.clone()),
            Value::Bool(flag) => Scalar::Bool(*flag),
            Value::Array(_) | Value::Object(_) => Scalar::Nested,
        }
    }
}

/// One JSON object as a row: each wanted key, in order, with its value if
/// the object has the key.
fn object_row<'k, 'v>(
    values: impl Iterator<Item = (&'k str, Option<Scalar<'v>>)>,
    context: &Context,
    (line, record): (Option<u64>, u64),
    limits: Limits,
    row: &mut Row,
) -> Result<(), Error> {
    row.start(line, record);
    for (key, value) in values {
        // Strings are copied once, straight into the row; numbers are
        // written there, not into a string of their own.
        let written = match value {
            None | Some(Scalar::Null) => {
                row.push(None);
                continue;
            }
            Some(Scalar::Text(text)) => row.push_str(&text),
            Some(Scalar::Number(number)) => row.push_display(number),
            Some(Scalar::Bool(flag)) => row.push_str(if flag { "true" } else { "false" }),
            Some(Scalar::Nested) => {
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

/// A parsed object's row: the values of `wanted`, in order.
fn map_row(
    object: &Map<String, Value>,
    wanted: &[String],
    context: &Context,
    at: (Option<u64>, u64),
    limits: Limits,
    row: &mut Row,
) -> Result<(), Error> {
    let values = wanted
        .iter()
        .map(|key| (key.as_str(), object.get(key).map(Scalar::from)));
    object_row(values, context, at, limits, row)
}

/// One NDJSON line as it is parsed: the values of the wanted keys only,
/// borrowed from the line where no escape stands in the way, so that a
/// line costs no map, and no string per key or value. As in a parsed
/// object, the last of a repeated key counts.
struct LineSeed<'w> {
    wanted: &'w [String],
}

/// What a line held.
enum Line<'a> {
    /// An object: by wanted key, its value if it has the key; and the keys
    /// no one asked for.
    Object {
        values: Vec<Option<Scalar<'a>>>,
        unwanted: Vec<Cow<'a, str>>,
    },
    /// Valid JSON, but no object.
    NotAnObject,
}

impl<'de> DeserializeSeed<'de> for LineSeed<'_> {
    type Value = Line<'de>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Line<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for LineSeed<'_> {
    type Value = Line<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Line<'de>, A::Error> {
        let mut values: Vec<Option<Scalar<'de>>> = self.wanted.iter().map(|_| None).collect();
        let mut unwanted = Vec::new();
        while let Some(key) = map.next_key_seed(TextSeed)? {
            match self.wanted.iter().position(|wanted| *wanted == key) {
                Some(index) => {
                    let value = map.next_value_seed(ScalarSeed)?;
                    if let Some(slot) = values.get_mut(index) {
                        *slot = Some(value);
                    }
                }
                None => {
                    map.next_value_seed(Skip)?;
                    unwanted.push(key);
                }
            }
        }
        Ok(Line::Object { values, unwanted })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Line<'de>, A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(Line::NotAnObject)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Line<'de>, E> {
        Ok(Line::NotAnObject)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Line<'de>, E> {
        Ok(Line::NotAnObject)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Line<'de>, E> {
        Ok(Line::NotAnObject)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Line<'de>, E> {
        Ok(Line::NotAnObject)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Line<'de>, E> {
        Ok(Line::NotAnObject)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Line<'de>, E> {
        Ok(Line::NotAnObject)
    }
}

/// A JSON string, borrowed unless it holds an escape.
struct TextSeed;

impl<'de> DeserializeSeed<'de> for TextSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for TextSeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(text.to_owned()))
    }
}

/// A value as a [`Scalar`], numbers made as a parsed [`Value`] makes them
/// (so that they are written the same).
struct ScalarSeed;

impl<'de> DeserializeSeed<'de> for ScalarSeed {
    type Value = Scalar<'de>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Scalar<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ScalarSeed {
    type Value = Scalar<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Bool(flag))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Number(number.into()))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Number(number.into()))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Scalar<'de>, E> {
        Ok(Number::from_f64(number).map_or(Scalar::Null, Scalar::Number))
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Borrowed(text)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Owned(text.to_owned())))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'de>, A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(Scalar::Nested)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'de>, A::Error> {
        while map.next_entry_seed(Skip, Skip)?.is_some() {}
        Ok(Scalar::Nested)
    }
}

/// Any JSON value, passed over without being kept. Unlike
/// [`serde::de::IgnoredAny`], which serde_json skips without its depth
/// limit, it goes through the parser's nesting as a parsed [`Value`]
/// does, so that a line too deep for one is too deep here.
#[derive(Clone, Copy)]
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry_seed(Skip, Skip)?.is_some() {}
        Ok(())
    }
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

pub(crate) struct NdjsonSource<'r> {
    input: BufReader<Box<dyn Read + 'r>>,
    /// An error met while reading ahead for the keys.
    first: Option<Error>,
    /// The first object, parsed whole for its keys, and its line.
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
        let first = source.next_line().map(|read| {
            let (line, record) = read?;
            match serde_json::from_slice::<Value>(&source.buffer) {
                Ok(Value::Object(object)) => Ok((object, line)),
                Ok(_) => Err(not_an_object(&source.context, line, record)),
                Err(error) => Err(json_syntax(&source.context, Some(line), record, &error)),
            }
        });
        match first {
            Some(Ok((object, line))) => {
                source.keys = object.keys().cloned().collect();
                source.first_object = Some((object, line));
            }
            Some(Err(error)) => source.first = Some(error),
            None => {}
        }
        source
    }

    /// Reads the next non-blank line into the buffer: its line and record
    /// numbers, or the error of a line over the limit (skipped).
    fn next_line(&mut self) -> Option<Result<(u64, u64), Error>> {
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
            let (line, record) = (self.line, self.records);
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
                    Some(line),
                    Some(record),
                    None,
                    format!(
                        "the line is longer than {} bytes, the limit per record",
                        limit - 1
                    ),
                )));
            }
            return Some(Ok((line, record)));
        }
    }

    /// The row of the line in the buffer, parsed for the wanted keys only.
    fn line_row(&mut self, line: u64, record: u64) -> Result<(), Error> {
        let mut parser = serde_json::Deserializer::from_slice(&self.buffer);
        let parsed = LineSeed {
            wanted: &self.wanted,
        }
        .deserialize(&mut parser)
        .and_then(|parsed| parser.end().map(|()| parsed));
        let values = match parsed {
            Ok(Line::Object { values, unwanted }) => {
                for key in unwanted {
                    note_unwanted(&mut self.seen_keys, &key);
                }
                values
            }
            Ok(Line::NotAnObject) => return Err(not_an_object(&self.context, line, record)),
            Err(error) => return Err(json_syntax(&self.context, Some(line), record, &error)),
        };
        let values = self.wanted.iter().map(String::as_str).zip(values);
        object_row(
            values,
            &self.context,
            (Some(line), record),
            self.limits,
            &mut self.row,
        )
    }
}

/// Remembers a key that is no wanted column, for the summary's ignored
/// columns (at most a thousand).
fn note_unwanted(seen: &mut BTreeSet<String>, key: &str) {
    if !seen.contains(key) && seen.len() < 1000 {
        seen.insert(key.to_owned());
    }
}

/// The error of a line that is valid JSON but no object.
fn not_an_object(context: &Context, line: u64, record: u64) -> Error {
    context.error(
        ErrorKind::NotAnObject,
        Some(line),
        Some(record),
        None,
        "not a JSON object; expected one object per line",
    )
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
            for key in object.keys() {
                if !self.wanted.contains(key) {
                    note_unwanted(&mut self.seen_keys, key);
                }
            }
            map_row(
                &object,
                &self.wanted,
                &self.context,
                (Some(line), 1),
                self.limits,
                &mut self.row,
            )
        } else {
            match self.next_line()? {
                Ok((line, record)) => self.line_row(line, record),
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
            if !self.wanted.contains(key) {
                note_unwanted(&mut self.seen_keys, key);
            }
        }
        let result = map_row(
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
mod tests;
