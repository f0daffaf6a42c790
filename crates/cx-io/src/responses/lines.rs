//! The short way through a long CSV file: a plain line is read straight from
//! the read buffer into an observation, without first being split into a
//! row of field ranges.
//!
//! The line is scanned sixteen bytes at a time (SIMD through `wide`) for its
//! line break, its delimiters, and any quote or carriage return; the
//! delimiters make a bit mask, one bit per byte. The fields' ends are taken
//! from the mask by clearing its lowest bit, in a loop that runs as many
//! times on every line and so costs the branch predictor nothing. Each
//! column is then read where the header put it, with the same helpers and
//! the same rules as the interpreter's plain rows. Any line this cannot
//! read exactly as the general path would (a quote, a lone carriage return,
//! another number of fields, a line over 128 bytes or the limits, a value
//! that is not plain) is left to the general path, which reads it, or
//! rejects it with its located error. A property test holds the two to the
//! same records and errors.

use std::cell::OnceCell;

use cx_model::{Journey, Scale};
use wide::u8x16;

use super::{ObservationView, ReadTimestamp, parse_utc_seconds, slot, small_integer};

/// Longer lines take the general path: a line's delimiter mask is one
/// `u128`, a bit per byte.
const MAX_LINE_BYTES: usize = 128;

/// Where the long layout's columns are in the header, by field index.
#[derive(Debug, Clone)]
struct Columns {
    respondent: usize,
    touchpoint: usize,
    reality: usize,
    expectation: Option<usize>,
    segment: Option<usize>,
    channel: Option<usize>,
    timestamp: Option<usize>,
    emotion: Option<usize>,
    comment: Option<usize>,
    likelihood: Option<usize>,
    /// The loyalty answers and effort: a line with any of them is not plain.
    blank: Vec<usize>,
}

/// How to read a plain line of one file: where each column is.
#[derive(Debug, Clone)]
pub(super) struct LinePlan {
    columns: Columns,
    /// Fields per line, as in the header.
    fields: usize,
    delimiter: u8,
    /// Lines longer than this take the general path, which checks the
    /// record and field limits.
    max_bytes: usize,
}

/// A plain line's observation and its likelihood to recommend, if any.
pub(super) type PlainLine<'a> = (ObservationView<'a>, Option<f64>);

impl LinePlan {
    /// The plan for a file with this `header`, read for the long layout's
    /// columns `names` (in slot order), whose records may be at most
    /// `max_bytes` long; `None` if the header lacks a required column (the
    /// reader refuses such a file) or has more fields than a plain line can.
    pub(super) fn new(
        header: &[String],
        names: &[String],
        delimiter: u8,
        max_bytes: usize,
    ) -> Option<Self> {
        if header.len() > MAX_LINE_BYTES {
            return None;
        }
        let column = |slot: usize| {
            let name = names.get(slot)?;
            header.iter().position(|column| column == name)
        };
        let blank = slot::ANSWERS
            .into_iter()
            .chain([slot::EFFORT])
            .filter_map(column)
            .collect();
        let columns = Columns {
            respondent: column(slot::RESPONDENT_ID)?,
            touchpoint: column(slot::TOUCHPOINT)?,
            reality: column(slot::REALITY)?,
            expectation: column(slot::EXPECTATION),
            segment: column(slot::SEGMENT),
            channel: column(slot::CHANNEL),
            timestamp: column(slot::TIMESTAMP),
            emotion: column(slot::EMOTION),
            comment: column(slot::COMMENT),
            likelihood: column(slot::LIKELIHOOD),
            blank,
        };
        Some(LinePlan {
            columns,
            fields: header.len(),
            delimiter,
            max_bytes: max_bytes.min(MAX_LINE_BYTES),
        })
    }

    /// The observation and likelihood of the line at the start of `text`,
    /// and the bytes the line takes with its line break; `None` when the
    /// line is not plain, or not whole in `text`, and must take the
    /// general path.
    #[inline(always)]
    pub(super) fn read<'a>(
        &self,
        text: &'a str,
        journey: &Journey,
        likelihood_scale: &Scale,
    ) -> Option<(PlainLine<'a>, usize)> {
        let (mut mask, end, stops) = scan_line(text.as_bytes(), self.delimiter)?;
        if end > self.max_bytes {
            return None;
        }
        let consumed = end + 1;
        let line = text.get(..end)?;
        // A line ending in `\r\n` ends before the `\r`; a carriage return
        // or quote anywhere else is the general path's.
        let line = line.strip_suffix('\r').unwrap_or(line);
        if stops && memchr::memchr2(b'"', b'\r', line.as_bytes()).is_some() {
            return None;
        }
        if mask.count_ones() as usize + 1 != self.fields {
            return None;
        }
        // Where each field ends; a loop that runs as often on every line.
        let mut ends = [0u8; MAX_LINE_BYTES + 1];
        let (last, others) = ends.get_mut(..self.fields)?.split_last_mut()?;
        for end in others {
            *end = mask.trailing_zeros() as u8;
            mask &= mask - 1;
        }
        *last = line.len() as u8;
        let fields = Fields { line, ends: &ends };
        let field = |index: usize| fields.text(index);
        let optional = |index: Option<usize>| match index {
            Some(index) => fields.text(index),
            None => None,
        };
        // Numbers and timestamps are read as bytes, which spares the
        // character-boundary checks of slicing text.
        let optional_bytes = |index: Option<usize>| match index {
            Some(index) => fields.bytes(index),
            None => None,
        };
        let columns = &self.columns;
        if columns
            .blank
            .iter()
            .any(|&index| fields.bytes(index).is_some())
        {
            return None;
        }
        let scale = journey.scale();
        let rating = |bytes: &[u8]| small_integer(bytes).filter(|&value| scale.contains(value));
        let touchpoint_id = field(columns.touchpoint)?;
        let touchpoint_index = journey.position_of(touchpoint_id)?.index;
        let expectation = match optional_bytes(columns.expectation) {
            Some(text) => Some(rating(text)?),
            None => None,
        };
        let timestamp = match optional_bytes(columns.timestamp) {
            Some(bytes) => Some(ReadTimestamp::Utc(parse_utc_seconds(bytes)?)),
            None => None,
        };
        let emotion = match optional(columns.emotion) {
            Some(text) => Some(text.parse().ok()?),
            None => None,
        };
        let likelihood = match optional_bytes(columns.likelihood) {
            Some(bytes) => {
                Some(small_integer(bytes).filter(|&value| likelihood_scale.contains(value))?)
            }
            None => None,
        };
        let observation = ObservationView {
            respondent_id: field(columns.respondent)?,
            touchpoint_id,
            touchpoint_index,
            reality: rating(fields.bytes(columns.reality)?)?,
            expectation,
            segment: optional(columns.segment),
            channel_text: optional(columns.channel),
            channel: OnceCell::new(),
            timestamp,
            emotion,
            comment: optional(columns.comment),
        };
        Some(((observation, likelihood), consumed))
    }
}

/// A line's fields, by where each ends.
struct Fields<'l, 'a> {
    line: &'a str,
    ends: &'l [u8],
}

impl<'a> Fields<'_, 'a> {
    /// Where field `index` starts and ends.
    #[inline(always)]
    fn range(&self, index: usize) -> Option<(usize, usize)> {
        let start = match index.checked_sub(1) {
            Some(before) => usize::from(*self.ends.get(before)?) + 1,
            None => 0,
        };
        Some((start, usize::from(*self.ends.get(index)?)))
    }

    /// A field with ASCII white space trimmed, or `None` when empty.
    #[inline(always)]
    fn text(&self, index: usize) -> Option<&'a str> {
        let (start, end) = self.range(index)?;
        let text = self.line.get(start..end)?;
        let text = match text.as_bytes() {
            [first, .., last] if !(first.is_ascii_whitespace() || last.is_ascii_whitespace()) => {
                text
            }
            _ => text.trim_ascii(),
        };
        (!text.is_empty()).then_some(text)
    }

    /// [`text`](Self::text) as bytes.
    #[inline(always)]
    fn bytes(&self, index: usize) -> Option<&'a [u8]> {
        let (start, end) = self.range(index)?;
        let bytes = self.line.as_bytes().get(start..end)?;
        let bytes = match bytes {
            [first, .., last] if !(first.is_ascii_whitespace() || last.is_ascii_whitespace()) => {
                bytes
            }
            _ => bytes.trim_ascii(),
        };
        (!bytes.is_empty()).then_some(bytes)
    }
}

/// The first line of `text`: a mask with one bit per byte that is the
/// delimiter, and the index of the line break that ends the line; `None`
/// if no line break ends it within [`MAX_LINE_BYTES`], or the line holds a
/// quote or a carriage return (the `\r` of a `\r\n` included: the caller
/// strips that first).
///
/// Sixteen bytes are compared at a time (SSE2 on x86-64, NEON on ARM,
/// through `wide`), each comparison giving a bit per byte.
#[inline(always)]
fn scan_line(text: &[u8], delimiter: u8) -> Option<(u128, usize, bool)> {
    let delimiters = u8x16::splat(delimiter);
    let (newline, quote, carriage_return) =
        (u8x16::splat(b'\n'), u8x16::splat(b'"'), u8x16::splat(b'\r'));
    let mut mask = 0u128;
    let mut stops = 0u128;
    for at in (0..MAX_LINE_BYTES).step_by(16) {
        let chunk = match text.get(at..at + 16) {
            Some(sixteen) => <[u8; 16]>::try_from(sixteen).ok()?,
            None => {
                // The end of the text, padded with zeros.
                let rest = text.get(at..).filter(|rest| !rest.is_empty())?;
                let mut sixteen = [0; 16];
                sixteen.get_mut(..rest.len())?.copy_from_slice(rest);
                sixteen
            }
        };
        let chunk = u8x16::from(chunk);
        let found = |byte: u8x16| u128::from(chunk.simd_eq(byte).to_bitmask()) << at;
        let ends = found(newline);
        let line_stops = found(quote) | found(carriage_return);
        mask |= found(delimiters);
        stops |= line_stops;
        if ends != 0 {
            let end = ends.trailing_zeros() as usize;
            let before = (1u128 << end) - 1;
            return Some((mask & before, end, stops & before != 0));
        }
    }
    // A line of exactly the longest length.
    (text.get(MAX_LINE_BYTES) == Some(&b'\n')).then_some((mask, MAX_LINE_BYTES, stops != 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The scan finds the first line break, and flags exactly the
        /// delimiters before it and whether a quote or carriage return is.
        #[test]
        fn the_scan_finds_the_line_and_its_delimiters(
            text in prop::collection::vec(prop::sample::select(b",;\"\r\n a1\t#\x00\xff".to_vec()), 0..MAX_LINE_BYTES + 20),
            delimiter in prop::sample::select(b",;\t".to_vec()),
        ) {
            let expected = text
                .iter()
                .position(|&byte| byte == b'\n')
                .filter(|&end| end <= MAX_LINE_BYTES)
                .map(|end| {
                    let line = &text[..end];
                    let mask = line
                        .iter()
                        .enumerate()
                        .filter(|&(_, &byte)| byte == delimiter)
                        .fold(0u128, |mask, (index, _)| mask | 1 << index);
                    (mask, end, line.iter().any(|&byte| byte == b'"' || byte == b'\r'))
                });
            prop_assert_eq!(scan_line(&text, delimiter), expected);
        }
    }
}
