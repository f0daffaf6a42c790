//! The rules for reading one cell, shared by every layout and format: what
//! a rating, a likelihood, a timestamp, an emotion or an answer may be, and
//! the located error when it is not.
//!
//! Each rule tries the usual spelling first (a small whole number, the
//! common timestamp form, an emotion's exact name) and only then the
//! general parser, which also words the error.

use std::collections::HashMap;

use cx_model::{Answer, Emotion, Rating, Scale, Timestamp, Weight};

use crate::error::{Error, ErrorKind};
use crate::journey_file::AnswerColumn;
use crate::names::{NameTable, Word};
use crate::source::{Context, RowRef};
use crate::suggest::folded;
use crate::timestamp::{TimestampRules, Unread, is_day_month_date, parse_utc_seconds};

/// A number as Rust writes it, or, where `decimal_comma` allows
/// ([`DecimalMark`](crate::DecimalMark)), with one comma and no point for
/// its decimal mark (`4,5`); with whether it was read with the comma.
pub(crate) fn parse_decimal(
    text: &str,
    decimal_comma: bool,
) -> Result<(f64, bool), std::num::ParseFloatError> {
    text.parse::<f64>()
        .map(|value| (value, false))
        .or_else(|error| {
            let one_comma = text.matches(',').count() == 1 && !text.contains('.');
            if !(decimal_comma && one_comma) {
                return Err(error);
            }
            Ok((text.replacen(',', ".", 1).parse::<f64>()?, true))
        })
}

/// How one survey writes what the fixed rules do not settle, set once
/// per read from its journey file and header rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct CellRules {
    /// Whether a comma may be the decimal mark
    /// ([`DecimalMark`](crate::DecimalMark)).
    pub decimal_comma: bool,
    /// The timestamp forms and zone.
    pub timestamps: TimestampRules,
    /// Answer texts standing for ratings, each folded (trimmed, in lower
    /// case), with its rating.
    pub rating_labels: HashMap<String, f64>,
}

impl CellRules {
    /// The rules of a journey's file read with `decimal_comma`, in the
    /// time zone the file's header rows name (if it does not name one
    /// itself).
    ///
    /// # Errors
    ///
    /// The message of a zone that is no IANA time zone.
    pub fn new(
        journey: &crate::JourneyFile,
        decimal_comma: bool,
        export: crate::SurveyExport,
        header_zone: Option<&str>,
    ) -> Result<Self, String> {
        // The journey's own zone is checked when its file is read, but a
        // caller may have set it since.
        let zone = match (journey.timestamp_zone.as_deref(), header_zone) {
            (Some(name), _) => name.parse().map_err(|_| {
                format!("timestamp_zone {name:?} is no IANA time zone; expected one such as \"Europe/Berlin\" or \"UTC\"")
            })?,
            (None, Some(name)) => name.parse().map_err(|_| {
                format!("the time zone {name:?} of the header rows is no IANA time zone; expected one such as \"America/Denver\", or `timestamp_zone` in the journey file")
            })?,
            (None, None) => chrono_tz::Tz::UTC,
        };
        let rating_labels = journey
            .rating_labels
            .iter()
            .map(|(label, value)| (folded(label).collect(), *value))
            .collect();
        Ok(CellRules {
            decimal_comma,
            timestamps: TimestampRules::new(&journey.timestamp_formats, export, zone),
            rating_labels,
        })
    }
}

/// The values of one row, read by slot, with errors located at that row.
pub(crate) struct Cells<'row, 'a> {
    pub row: &'a RowRef<'row>,
    /// Added to the row's line and record numbers: for a block of a
    /// larger file.
    pub line_offset: u64,
    pub record_offset: u64,
    /// The column (or field) name of each slot, for messages.
    pub names: &'a [String],
    pub context: &'a Context,
    /// The survey's own ways of writing numbers, timestamps and ratings.
    pub rules: &'a CellRules,
    /// Numbers of the row read with a decimal comma.
    pub decimal_commas: std::cell::Cell<u64>,
}

impl<'row> Cells<'row, '_> {
    #[cold]
    #[inline(never)]
    pub fn error(&self, kind: ErrorKind, slot: usize, message: String) -> Error {
        self.context.error(
            kind,
            self.line(),
            Some(self.record()),
            self.names.get(slot).map(String::as_str),
            message,
        )
    }

    /// An error of the whole row, with no column at fault.
    #[cold]
    #[inline(never)]
    pub fn row_error(&self, kind: ErrorKind, message: String) -> Error {
        self.context
            .error(kind, self.line(), Some(self.record()), None, message)
    }

    /// The row's record number in the whole input.
    pub fn record(&self) -> u64 {
        self.row.record + self.record_offset
    }

    /// The row's (first) line in the whole input; `None` where the format
    /// has no lines (a JSON array).
    pub fn line(&self) -> Option<u64> {
        self.row.line.map(|line| line + self.line_offset)
    }

    /// Where the value of a slot lies in the row's text, ASCII white space
    /// trimmed; `None` when the slot is absent.
    #[inline(always)]
    fn trimmed(&self, slot: usize) -> Option<(usize, usize)> {
        let range = self.row.range(slot)?;
        let bytes = self.row.text().as_bytes();
        // ASCII white space is at most b' ': both ends above it, the usual
        // case, is decided without a loop.
        let plain = |at: Option<&u8>| at.is_some_and(|&byte| byte > b' ');
        if plain(bytes.get(range.start)) && plain(bytes.get(range.end.wrapping_sub(1))) {
            return Some((range.start, range.end));
        }
        let field = bytes.get(range.clone())?;
        let leading = field.len() - field.trim_ascii_start().len();
        let trimmed = field.trim_ascii().len();
        Some((range.start + leading, range.start + leading + trimmed))
    }

    /// The value of a slot with ASCII white space trimmed; `None` when
    /// absent or empty.
    #[inline(always)]
    pub fn text(&self, slot: usize) -> Option<&'row str> {
        let (start, end) = self.trimmed(slot)?;
        (start < end)
            .then(|| self.row.text().get(start..end))
            .flatten()
    }

    /// The bytes of a slot's value with ASCII white space trimmed; `None`
    /// when absent or empty. The rules that read a number, a timestamp or
    /// a word look at bytes, and make text only on their general path.
    #[inline(always)]
    pub fn bytes(&self, slot: usize) -> Option<&'row [u8]> {
        let (start, end) = self.trimmed(slot)?;
        (start < end)
            .then(|| self.row.text().as_bytes().get(start..end))
            .flatten()
    }

    /// Whether a slot holds a value.
    #[inline(always)]
    pub fn is_empty(&self, slot: usize) -> bool {
        self.trimmed(slot).is_none_or(|(start, end)| start == end)
    }

    #[inline]
    pub fn required(&self, slot: usize) -> Result<&'row str, Error> {
        self.text(slot).ok_or_else(|| {
            self.error(
                ErrorKind::MissingValue,
                slot,
                "is empty; expected a value".to_owned(),
            )
        })
    }

    /// A required identifier (a respondent id): present, and free of
    /// control characters and byte order marks.
    #[inline(always)]
    pub fn id(&self, slot: usize) -> Result<&'row str, Error> {
        match self.clean_text(slot)? {
            Some(id) => Ok(id),
            None => self.required(slot),
        }
    }

    /// [`text`](Self::text) of a slot that must be free of control
    /// characters and byte order marks (an id, a segment, a channel).
    #[inline(always)]
    pub fn clean_text(&self, slot: usize) -> Result<Option<&'row str>, Error> {
        let Some((start, end)) = self.trimmed(slot) else {
            return Ok(None);
        };
        let text = self.row.text();
        if start < end && is_plain(text.as_bytes(), start, end) {
            return Ok(text.get(start..end));
        }
        self.unusual_text(slot)
    }

    /// [`clean_text`](Self::clean_text) of text that is not printable
    /// ASCII, or empty.
    #[inline(never)]
    fn unusual_text(&self, slot: usize) -> Result<Option<&'row str>, Error> {
        match self.text(slot) {
            Some(text) if !is_clean(text) => Err(self.control_character(slot, text)),
            text => Ok(text),
        }
    }

    #[cold]
    #[inline(never)]
    pub fn control_character(&self, slot: usize, text: &str) -> Error {
        let found = text
            .chars()
            .find(|&c| !is_clean_char(c))
            .map_or(0, u32::from);
        self.error(
            ErrorKind::ControlCharacter,
            slot,
            format!(
                "{text:?} holds U+{found:04X}; expected text without control characters or byte order marks"
            ),
        )
    }

    /// The value of a slot as a word to look up in a [`NameTable`]; an
    /// empty or absent value is the empty word.
    #[inline(always)]
    pub fn word(&self, slot: usize) -> Word<'row> {
        self.trimmed(slot)
            .and_then(|(start, end)| Word::of(self.row.text(), start, end))
            .unwrap_or(Word::Short(0, 0))
    }

    /// A finite number; `what` says what was expected, for the message only
    /// (it is not formatted unless the value is bad).
    #[inline(always)]
    pub fn number(&self, slot: usize, what: impl Fn() -> String) -> Result<Option<f64>, Error> {
        let Some(bytes) = self.bytes(slot) else {
            return Ok(None);
        };
        match small_integer(bytes) {
            Some(value) => Ok(Some(value)),
            None => self.parse_number(slot, &what).map(Some),
        }
    }

    /// A respondent's weight, required: a finite number from 0 to 2²⁰
    /// (`MissingValue` when empty, `NotANumber` or `NotFinite` when no
    /// number, `InvalidWeight` when negative, too large, or positive but
    /// too small to hold).
    #[inline]
    pub fn weight(&self, slot: usize) -> Result<Weight, Error> {
        let expected = || "; expected a respondent weight from 0 to 1048576".to_owned();
        let Some(value) = self.number(slot, expected)? else {
            return Err(self.error(
                ErrorKind::MissingValue,
                slot,
                "is empty; expected the respondent's weight, a number from 0 to 1048576".to_owned(),
            ));
        };
        Weight::new(value)
            .map_err(|error| self.error(ErrorKind::InvalidWeight, slot, error.to_string()))
    }

    /// [`number`](Self::number) of any other text than a small whole number.
    #[inline(never)]
    fn parse_number(&self, slot: usize, what: &dyn Fn() -> String) -> Result<f64, Error> {
        let text = self.text(slot).unwrap_or_default();
        let parsed = parse_decimal(text, self.rules.decimal_comma).map(|(value, comma)| {
            if comma {
                self.decimal_commas.set(self.decimal_commas.get() + 1);
            }
            value
        });
        let value: f64 = parsed.map_err(|_| {
            self.error(
                ErrorKind::NotANumber,
                slot,
                format!("{text:?} is not a number{}", what()),
            )
        })?;
        if !value.is_finite() {
            return Err(self.error(
                ErrorKind::NotFinite,
                slot,
                format!("{text:?} is not a finite number{}", what()),
            ));
        }
        Ok(value)
    }

    /// A rating on `scale` (its not-applicable value included), after
    /// adding `offset`, or the rating a label stands for
    /// ([`CellRules::rating_labels`]).
    #[inline(always)]
    pub fn rating(&self, slot: usize, scale: &Scale, offset: f64) -> Result<Option<f64>, Error> {
        self.on_scale(slot, scale, offset, !self.rules.rating_labels.is_empty())
    }

    /// A number on `scale` (its not-applicable value included), after
    /// adding `offset`; where `labelled`, also a rating label.
    #[inline(always)]
    fn on_scale(
        &self,
        slot: usize,
        scale: &Scale,
        offset: f64,
        labelled: bool,
    ) -> Result<Option<f64>, Error> {
        // The usual cases, an empty cell or a small whole number on the
        // scale, without the general path's checks for what cannot happen
        // here.
        let Some(bytes) = self.bytes(slot) else {
            return Ok(None);
        };
        if let Some(value) = small_integer(bytes).map(|value| value + offset)
            && scale.contains(value)
        {
            return Ok(Some(value));
        }
        if labelled && let Some(&value) = self.label(slot) {
            return Ok(Some(value));
        }
        self.unusual_rating(slot, scale, offset, labelled)
    }

    /// The rating a label in the slot stands for
    /// ([`CellRules::rating_labels`]).
    #[inline(never)]
    fn label(&self, slot: usize) -> Option<&f64> {
        let text: String = folded(self.text(slot)?).collect();
        self.rules.rating_labels.get(&text)
    }

    /// [`on_scale`](Self::on_scale) of any other value than a small whole
    /// number on the scale or a label; the message names rating labels
    /// where they are read (`labelled`).
    #[inline(never)]
    fn unusual_rating(
        &self,
        slot: usize,
        scale: &Scale,
        offset: f64,
        labelled: bool,
    ) -> Result<Option<f64>, Error> {
        let label = if labelled { " or rating label" } else { "" };
        let on_scale = || format!("{label} on scale {}..={}", scale.min(), scale.max());
        let Some(value) = self.number(slot, on_scale)? else {
            return Ok(None);
        };
        let value = value + offset;
        match scale.classify(value) {
            Ok(Rating::Applicable(_) | Rating::NotApplicable) => Ok(Some(value)),
            Err(_) => Err(self.error(
                ErrorKind::OutOfScale,
                slot,
                format!("{value} is outside the scale {scale}"),
            )),
        }
    }

    /// A likelihood-to-recommend answer: a whole number on `scale`, after
    /// adding `offset`. The question offers eleven whole answers, so a
    /// fraction is a wrong column or a computed value, not an answer.
    #[inline(always)]
    pub fn likelihood(
        &self,
        slot: usize,
        scale: &Scale,
        offset: f64,
    ) -> Result<Option<f64>, Error> {
        // Rating labels are for touchpoint ratings, not these eleven answers.
        let value = self.on_scale(slot, scale, offset, false)?;
        if let Some(value) = value
            && value.fract() != 0.0
        {
            return Err(self.error(
                ErrorKind::NotAnInteger,
                slot,
                format!("{value} is not a whole number; expected an integer on scale {scale}"),
            ));
        }
        Ok(value)
    }

    #[inline(always)]
    pub fn timestamp(&self, slot: usize) -> Result<Option<Timestamp>, Error> {
        let Some(bytes) = self.bytes(slot) else {
            return Ok(None);
        };
        match parse_utc_seconds(bytes) {
            Some(timestamp) => Ok(Some(timestamp)),
            None => self.unusual_timestamp(slot).map(Some),
        }
    }

    /// [`timestamp`](Self::timestamp) of any other form than the usual.
    #[inline(never)]
    fn unusual_timestamp(&self, slot: usize) -> Result<Timestamp, Error> {
        let text = self.text(slot).unwrap_or_default();
        let rules = &self.rules.timestamps;
        rules.parse(text).map_err(|unread| {
            let zone = rules.zone();
            let message = match unread {
                Unread::Repeated => format!("{text:?} is a local time {zone} passed twice (its clocks went back); expected a time with an offset"),
                Unread::Skipped => format!("{text:?} is a local time {zone} skipped (its clocks went forward)"),
                Unread::NoForm => {
                    let declared = match rules.forms() {
                        [] => String::new(),
                        forms => format!(", the forms {forms:?}"),
                    };
                    let order = match is_day_month_date(text) && rules.forms().is_empty() {
                        true => "; day and month order is never guessed: declare it in the journey file, e.g. timestamp_formats = [\"%d/%m/%Y %H:%M\"]",
                        false => "",
                    };
                    format!("{text:?} is not a timestamp; expected RFC 3339 (2024-03-15T12:34:56Z){declared}, a date and time taken as {zone} (2024-03-15 12:34:56) or a date (2024-03-15){order}")
                }
            };
            self.error(ErrorKind::InvalidTimestamp, slot, message)
        })
    }

    /// An emotion: by its exact name in `exact` (which maps the empty word
    /// to no emotion), else by any spelling [`Emotion`]'s `FromStr` reads.
    #[inline(always)]
    pub fn emotion(
        &self,
        slot: usize,
        exact: &NameTable<Option<Emotion>>,
    ) -> Result<Option<Emotion>, Error> {
        match exact.get(self.word(slot)) {
            Some(emotion) => Ok(emotion),
            None => self.spelled_emotion(slot),
        }
    }

    #[inline(never)]
    fn spelled_emotion(&self, slot: usize) -> Result<Option<Emotion>, Error> {
        let Some(text) = self.text(slot) else {
            return Ok(None);
        };
        text.parse().map(Some).map_err(|error: cx_model::Error| {
            self.error(ErrorKind::UnknownEmotion, slot, error.to_string())
        })
    }

    #[inline(always)]
    pub fn answer(&self, slot: usize) -> Result<Answer, Error> {
        match self.text(slot) {
            None => Ok(Answer::NotAnswered),
            Some(text) => self.spelled_answer(slot, text),
        }
    }

    #[inline(never)]
    fn spelled_answer(&self, slot: usize, text: &str) -> Result<Answer, Error> {
        text.parse().map_err(|error: cx_model::Error| {
            self.error(ErrorKind::InvalidAnswer, slot, error.to_string())
        })
    }

    /// A yes/no answer as a wide file's journey maps its column.
    pub fn mapped_answer(&self, slot: usize, mapping: &AnswerColumn) -> Result<Answer, Error> {
        let Some(text) = self.text(slot) else {
            return Ok(Answer::NotAnswered);
        };
        if !mapping.yes.is_empty() {
            let matches =
                |list: &[String]| list.iter().any(|t| t.trim().eq_ignore_ascii_case(text));
            if matches(&mapping.yes) {
                return Ok(Answer::Yes);
            }
            if matches(&mapping.no) {
                return Ok(Answer::No);
            }
            return Err(self.error(
                ErrorKind::InvalidAnswer,
                slot,
                format!(
                    "{text:?} is neither a yes ({}) nor a no ({}) answer",
                    mapping.yes.join(", "),
                    mapping.no.join(", ")
                ),
            ));
        }
        if let (Some(yes), Some(no)) = (mapping.yes_range, mapping.no_range) {
            let value = self.number(slot, String::new)?.unwrap_or(f64::NAN);
            let within = |[low, high]: [f64; 2]| value >= low && value <= high;
            if within(yes) {
                return Ok(Answer::Yes);
            }
            if within(no) {
                return Ok(Answer::No);
            }
            return Err(self.error(
                ErrorKind::InvalidAnswer,
                slot,
                format!(
                    "{value} is in neither the yes range {}..={} nor the no range {}..={}",
                    yes[0], yes[1], no[0], no[1]
                ),
            ));
        }
        self.answer(slot)
    }
}

/// The value of an optional field, or `absent`, the field's error then
/// kept in `fields`: an optional field that cannot be read does not cost
/// its record.
#[inline(always)]
pub(crate) fn or_rejected<T>(value: Result<T, Error>, absent: T, fields: &mut Vec<Error>) -> T {
    match value {
        Ok(value) => value,
        Err(error) => {
            keep(fields, error);
            absent
        }
    }
}

#[cold]
#[inline(never)]
fn keep(fields: &mut Vec<Error>, error: Error) {
    fields.push(error);
}

/// Whether `text` holds no control character (`char::is_control`) and no
/// byte order mark.
pub(crate) fn is_clean(text: &str) -> bool {
    is_plain(text.as_bytes(), 0, text.len()) || text.chars().all(is_clean_char)
}

/// Whether `c` may be part of an id, a segment or a channel.
pub(crate) fn is_clean_char(c: char) -> bool {
    !c.is_control() && c != '\u{feff}'
}

/// Whether the bytes `start..end` of `text` are all printable ASCII (from
/// `b' '` to `b'~'`). Ids, segments and channels are checked on every row,
/// so the usual ones, of at most sixteen bytes, are looked at as one or two
/// words, a short one loaded with the bytes after it (the row's text goes
/// on past its values) and those masked off.
#[inline(always)]
fn is_plain(text: &[u8], start: usize, end: usize) -> bool {
    const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
    let word = |at: usize| text.get(at..at + 8).and_then(|w| w.try_into().ok());
    let length = end.wrapping_sub(start);
    if length < 8
        && let Some(window) = word(start)
    {
        let keep = (1u64 << (8 * length)) - 1;
        return plain_word((u64::from_le_bytes(window) & keep) | (SPACES & !keep));
    }
    if (8..=16).contains(&length)
        && let (Some(first), Some(last)) = (word(start), word(end - 8))
    {
        return plain_word(u64::from_le_bytes(first)) && plain_word(u64::from_le_bytes(last));
    }
    text.get(start..end)
        .is_some_and(|bytes| bytes.iter().all(|byte| (b' '..0x7f).contains(byte)))
}

/// Whether the eight bytes of `word` are all printable ASCII: no high
/// bit, none below `b' '` and none `0x7f`. Where no byte has its high bit,
/// the two borrow tests are exact.
#[inline(always)]
fn plain_word(word: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let below_space = word.wrapping_sub(ONES * u64::from(b' ')) & !word;
    let delete = word ^ (ONES * 0x7f);
    let is_delete = delete.wrapping_sub(ONES) & !delete;
    (word | below_space | is_delete) & HIGH == 0
}

/// A rating's usual spelling, one or two ASCII digits, read without the
/// general float parser (which gives the same value).
#[inline(always)]
pub(crate) fn small_integer(text: &[u8]) -> Option<f64> {
    match *text {
        [digit @ b'0'..=b'9'] => Some(f64::from(digit - b'0')),
        [tens @ b'0'..=b'9', ones @ b'0'..=b'9'] => {
            Some(f64::from((tens - b'0') * 10 + (ones - b'0')))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The small-integer shortcut reads what the float parser reads,
        /// and leaves everything else to it.
        #[test]
        fn prop_small_integers_agree_with_the_float_parser(text in "[0-9+.e -]{0,3}") {
            if let Some(fast) = small_integer(text.as_bytes()) {
                prop_assert_eq!(Ok(fast), text.parse::<f64>());
            }
        }
    }

    proptest! {
        /// The word-at-a-time look at ids agrees with a byte-at-a-time
        /// one, wherever the value lies in the row's text.
        #[test]
        fn prop_plain_words_agree_with_bytes(
            text in prop::collection::vec(any::<u8>(), 0..40),
            start in 0usize..40,
            length in 0usize..20,
        ) {
            let end = (start + length).min(text.len());
            let start = start.min(end);
            let slow = text[start..end].iter().all(|byte| (b' '..0x7f).contains(byte));
            prop_assert_eq!(is_plain(&text, start, end), slow);
        }
    }

    #[test]
    fn clean_text_by_hand() {
        assert!(is_clean("R0000001") && is_clean("") && is_clean("été"));
        for bad in [
            "r\u{0}1",
            "r1\u{7f}",
            "\u{feff}r1",
            "r\u{85}",
            "new\n",
            "\u{1b}[31m",
        ] {
            assert!(!is_clean(bad), "{bad:?}");
        }
    }

    #[test]
    fn small_integers_by_hand() {
        assert_eq!(small_integer(b"7"), Some(7.0));
        assert_eq!(small_integer(b"10"), Some(10.0));
        assert_eq!(small_integer(b"07"), Some(7.0));
        assert_eq!(small_integer(b"100"), None);
        assert_eq!(small_integer(b"-1"), None);
        assert_eq!(small_integer(b"4.5"), None);
        assert_eq!(small_integer(b""), None);
    }
}
