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
//! the same rules as the interpreter's plain rows. Touchpoint ids and
//! emotions are looked up as one word: a field of up to sixteen bytes is
//! loaded whole from the text (which goes on past the line, but at its
//! very end) and cut to its length, with no branch on that length (which
//! changes from row to row and so would be guessed wrong), then found in a
//! small table by word and length. An emotion spelled otherwise than
//! exactly takes the general path, which reads every spelling.
//!
//! Any line this cannot read exactly as the general path would (a quote, a
//! lone carriage return, another number of fields, more than 32 fields, a
//! line over 128 bytes or the limits, a value that is not plain) is left to
//! the general path, which reads it, or rejects it with its located error.
//! A property test holds the two to the same records and errors.

use std::cell::OnceCell;

use cx_model::{Emotion, Journey, Scale};
use wide::u8x16;

use super::{ObservationView, ReadTimestamp, parse_utc_seconds, slot, small_integer};

/// Longer lines take the general path: a line's delimiter mask is one
/// `u128`, a bit per byte.
const MAX_LINE_BYTES: usize = 128;

/// Bytes scanned for every line, however short: most lines end within them.
const FIRST_SCAN_BYTES: usize = 80;

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

/// Files with more columns take the general path: a line's field ends are
/// kept in an array this long.
const MAX_FIELDS: usize = 32;

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
    /// The journey's touchpoints of at most 16 bytes, by id.
    touchpoints: WordTable<usize>,
    /// The touchpoints' ids, in journey order: an observation borrows its
    /// touchpoint's id from here, equal to its field's text.
    touchpoint_ids: Vec<String>,
    /// The emotions by their exact names, in words and in snake_case, and
    /// no emotion by an empty field: an empty field is looked up like any
    /// other rather than branched on, since a quarter of rows or so leave
    /// the emotion out, at random.
    emotions: WordTable<Option<Emotion>>,
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
        journey: &Journey,
        delimiter: u8,
        max_bytes: usize,
    ) -> Option<Self> {
        if header.len() > MAX_FIELDS {
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
        let touchpoints = WordTable::new(
            journey
                .touchpoints()
                .enumerate()
                .map(|(index, touchpoint)| (touchpoint.id.as_bytes(), index)),
        );
        Some(LinePlan {
            columns,
            fields: header.len(),
            delimiter,
            max_bytes: max_bytes.min(MAX_LINE_BYTES),
            touchpoints,
            touchpoint_ids: journey.touchpoints().map(|t| t.id.clone()).collect(),
            emotions: WordTable::new(emotion_names()),
        })
    }

    /// The observation and likelihood of the line at the start of `text`,
    /// and the bytes the line takes with its line break; `None` when the
    /// line is not plain, or not whole in `text`, and must take the
    /// general path.
    #[inline(always)]
    pub(super) fn read<'a>(
        &'a self,
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
        let mut ends = [0u8; MAX_FIELDS];
        let (last, others) = ends.get_mut(..self.fields)?.split_last_mut()?;
        for end in others {
            *end = mask.trailing_zeros() as u8;
            mask &= mask - 1;
        }
        *last = line.len() as u8;
        let fields = Fields {
            line,
            ends: &ends,
            text: text.as_bytes(),
        };
        // Numbers and timestamps are read as bytes, which spares the
        // character-boundary checks of slicing text; the fields' helpers
        // are inlined, not closures, which the compiler left as calls.
        let columns = &self.columns;
        if columns
            .blank
            .iter()
            .any(|&index| fields.bytes(index).is_some())
        {
            return None;
        }
        let scale = journey.scale();
        let touchpoint_index = match fields.word(columns.touchpoint)? {
            Word::Short(word, len) => self.touchpoints.get(word, len)?,
            Word::Long(text) => journey.position_of(text)?.index,
        };
        let touchpoint_id = self.touchpoint_ids.get(touchpoint_index)?.as_str();
        let expectation = match fields.optional_bytes(columns.expectation) {
            Some(text) => Some(rating(text, scale)?),
            None => None,
        };
        let timestamp = match fields.optional_bytes(columns.timestamp) {
            Some(bytes) => Some(ReadTimestamp::Utc(parse_utc_seconds(bytes)?)),
            None => None,
        };
        // An emotion spelled otherwise than exactly is the general path's.
        let emotion = match columns.emotion.and_then(|index| fields.word(index)) {
            Some(Word::Short(word, len)) => self.emotions.get(word, len)?,
            Some(Word::Long(_)) => return None,
            None => None,
        };
        let likelihood = match fields.optional_bytes(columns.likelihood) {
            Some(bytes) => Some(rating(bytes, likelihood_scale)?),
            None => None,
        };
        let observation = ObservationView {
            respondent_id: fields.text(columns.respondent)?,
            touchpoint_id,
            touchpoint_index,
            reality: rating(fields.bytes(columns.reality)?, scale)?,
            expectation,
            segment: fields.optional_text(columns.segment),
            channel_text: fields.optional_text(columns.channel),
            channel: OnceCell::new(),
            timestamp,
            emotion,
            comment: fields.optional_text(columns.comment),
        };
        Some(((observation, likelihood), consumed))
    }
}

/// A rating written as a small whole number on `scale`.
#[inline(always)]
fn rating(bytes: &[u8], scale: &Scale) -> Option<f64> {
    small_integer(bytes).filter(|&value| scale.contains(value))
}

/// The emotions by their exact names, in words and in snake_case, and no
/// emotion by the empty name.
fn emotion_names() -> impl Iterator<Item = (&'static [u8], Option<Emotion>)> {
    Emotion::ALL
        .into_iter()
        .flat_map(|emotion| {
            [
                (emotion.name().as_bytes(), Some(emotion)),
                (emotion.snake_case_name().as_bytes(), Some(emotion)),
            ]
        })
        .chain([(&b""[..], None)])
}

/// A field as a key for a [`WordTable`]: a word holding its bytes, or, past
/// sixteen bytes, its text.
enum Word<'a> {
    /// The bytes, the first the lowest, zero above the length; and the length.
    Short(u128, usize),
    Long(&'a str),
}

/// A line's fields, by where each ends.
struct Fields<'l, 'a> {
    line: &'a str,
    ends: &'l [u8],
    /// The text the line starts, and what follows it: a word is loaded
    /// from it whole, even where the line ends sooner.
    text: &'a [u8],
}

impl<'a> Fields<'_, 'a> {
    /// Where field `index` starts and ends, ASCII white space trimmed.
    #[inline(always)]
    fn range(&self, index: usize) -> Option<(usize, usize)> {
        let start = match index.checked_sub(1) {
            Some(before) => usize::from(*self.ends.get(before)?) + 1,
            None => 0,
        };
        let end = usize::from(*self.ends.get(index)?);
        let bytes = self.line.as_bytes();
        let untrimmed = |at: Option<&u8>| at.is_some_and(|byte| !byte.is_ascii_whitespace());
        // Both ends plain: the usual case, decided without a loop.
        if untrimmed(bytes.get(start)) && untrimmed(bytes.get(end.wrapping_sub(1))) {
            return Some((start, end));
        }
        let field = bytes.get(start..end)?;
        let trimmed = field.trim_ascii();
        let leading = field.len() - field.trim_ascii_start().len();
        Some((start + leading, start + leading + trimmed.len()))
    }

    /// A field with ASCII white space trimmed, or `None` when empty.
    #[inline(always)]
    fn text(&self, index: usize) -> Option<&'a str> {
        let (start, end) = self.range(index)?;
        (start < end).then(|| self.line.get(start..end)).flatten()
    }

    /// [`text`](Self::text) of a column the file may lack.
    #[inline(always)]
    fn optional_text(&self, index: Option<usize>) -> Option<&'a str> {
        self.text(index?)
    }

    /// [`bytes`](Self::bytes) of a column the file may lack.
    #[inline(always)]
    fn optional_bytes(&self, index: Option<usize>) -> Option<&'a [u8]> {
        self.bytes(index?)
    }

    /// [`text`](Self::text) as bytes.
    #[inline(always)]
    fn bytes(&self, index: usize) -> Option<&'a [u8]> {
        let (start, end) = self.range(index)?;
        (start < end)
            .then(|| self.line.as_bytes().get(start..end))
            .flatten()
    }

    /// [`text`](Self::text) as a [`Word`]; an empty field is the word
    /// zero, of length zero, which only a table holding the empty name finds.
    #[inline(always)]
    fn word(&self, index: usize) -> Option<Word<'a>> {
        let (start, end) = self.range(index)?;
        let len = end.checked_sub(start)?;
        if len > 16 {
            return self.line.get(start..end).map(Word::Long);
        }
        let word = match self.text.get(start..start + 16) {
            Some(bytes) => u128::from_le_bytes(<[u8; 16]>::try_from(bytes).ok()?),
            // Near the end of the text: the field alone, padded.
            None => {
                let mut padded = [0; 16];
                padded
                    .get_mut(..len)?
                    .copy_from_slice(self.line.as_bytes().get(start..end)?);
                u128::from_le_bytes(padded)
            }
        };
        // Keeps the low `len` bytes: a shift of 0 to 128 bits (none of an
        // empty field, whose word is zero).
        let keep = u128::MAX.checked_shr(8 * (16 - len) as u32).unwrap_or(0);
        Some(Word::Short(word & keep, len))
    }
}

/// A few short names, each with a value, looked up by their [`Word`]: a
/// multiplicative hash of the word picks a slot, and the word and length
/// confirm it, with no comparison of bytes and no branch on the length.
#[derive(Debug, Clone)]
struct WordTable<V> {
    /// A power of two, at least twice the names.
    slots: Vec<Option<(u128, usize, V)>>,
    /// `64 - log2(slots.len())`: a hash shifted right by this is a slot.
    shift: u32,
}

impl<V: Copy> WordTable<V> {
    /// A table of the `names` of at most sixteen bytes; the others, and a
    /// later duplicate, are never found.
    fn new<'n>(names: impl IntoIterator<Item = (&'n [u8], V)>) -> Self {
        let names: Vec<(u128, usize, V)> = names
            .into_iter()
            .filter_map(|(name, value)| {
                let mut padded = [0; 16];
                padded.get_mut(..name.len())?.copy_from_slice(name);
                Some((u128::from_le_bytes(padded), name.len(), value))
            })
            .collect();
        let fewest = (names.len() * 2)
            .max(2)
            .next_power_of_two()
            .trailing_zeros();
        // The smallest table, up to eight times as large, in which every
        // name has a slot of its own: a lookup then never probes twice, and
        // its loop runs once on every row, which the predictor learns.
        let bits = (fewest..fewest + 3)
            .find(|&bits| {
                let shift = 64 - bits;
                let mut taken = vec![false; 1 << bits];
                names.iter().all(|&(word, len, _)| {
                    taken
                        .get_mut(first_slot(word, len, shift))
                        .is_some_and(|taken| !std::mem::replace(taken, true))
                })
            })
            .unwrap_or(fewest + 3);
        let mut table = WordTable {
            slots: vec![None; 1 << bits],
            shift: 64 - bits,
        };
        for (word, len, value) in names {
            let mut slot = table.first_slot(word, len);
            loop {
                match table.slots.get_mut(slot) {
                    Some(Some((taken, taken_len, _))) if (*taken, *taken_len) == (word, len) => {
                        break;
                    }
                    Some(Some(_)) => slot = (slot + 1) & (table.slots.len() - 1),
                    Some(free) => {
                        *free = Some((word, len, value));
                        break;
                    }
                    None => break,
                }
            }
        }
        table
    }

    #[inline(always)]
    fn first_slot(&self, word: u128, len: usize) -> usize {
        first_slot(word, len, self.shift)
    }

    /// The value of the name held in `word`, `len` bytes long.
    #[inline(always)]
    fn get(&self, word: u128, len: usize) -> Option<V> {
        let mut slot = self.first_slot(word, len);
        loop {
            // A free slot ends the probe; the table always has one.
            let &(found, found_len, value) = self.slots.get(slot)?.as_ref()?;
            if (found, found_len) == (word, len) {
                return Some(value);
            }
            slot = (slot + 1) & (self.slots.len() - 1);
        }
    }
}

/// The slot a multiplicative hash of a word and its length picks in a
/// table of `64 - shift` bits.
#[inline(always)]
fn first_slot(word: u128, len: usize, shift: u32) -> usize {
    let folded = (word as u64) ^ ((word >> 64) as u64).rotate_left(29) ^ len as u64;
    (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

/// The first line of `text`: a mask with one bit per byte that is the
/// delimiter, the index of the line break that ends the line, and whether
/// the line holds a quote or a carriage return (the `\r` of a `\r\n`
/// included: the caller strips that first); `None` if no line break ends
/// it within [`MAX_LINE_BYTES`].
#[inline(always)]
fn scan_line(text: &[u8], delimiter: u8) -> Option<(u128, usize, bool)> {
    let (mut mask, mut stops, mut ends) = (0u128, 0u128, 0u128);
    let mut scan = |at: usize| -> Option<u128> {
        let (found_ends, found_stops, found_delimiters) = scan_chunk(text, at, delimiter)?;
        stops |= found_stops;
        mask |= found_delimiters;
        Some(found_ends)
    };
    // The first chunks are all scanned, whatever the line's length: how
    // many a line takes changes from line to line, so a loop that stopped
    // at the line break would be guessed wrong on about every other line.
    for at in (0..FIRST_SCAN_BYTES).step_by(16) {
        ends |= scan(at)?;
    }
    for at in (FIRST_SCAN_BYTES..MAX_LINE_BYTES).step_by(16) {
        if ends != 0 {
            break;
        }
        ends |= scan(at)?;
    }
    if ends != 0 {
        let end = ends.trailing_zeros() as usize;
        let before = (1u128 << end) - 1;
        return Some((mask & before, end, stops & before != 0));
    }
    // A line of exactly the longest length.
    (text.get(MAX_LINE_BYTES) == Some(&b'\n')).then_some((mask, MAX_LINE_BYTES, stops != 0))
}

/// The sixteen bytes of `text` from `at` (zeros past its end) as three
/// masks at their place in a line's: line breaks, quotes and carriage
/// returns, delimiters.
///
/// Sixteen bytes are compared at a time (SSE2 on x86-64, NEON on ARM,
/// through `wide`), each comparison giving a bit per byte.
#[inline(always)]
fn scan_chunk(text: &[u8], at: usize, delimiter: u8) -> Option<(u128, u128, u128)> {
    let chunk = match text.get(at..at + 16) {
        Some(sixteen) => <[u8; 16]>::try_from(sixteen).ok()?,
        None => {
            // The end of the text, padded with zeros.
            let rest = text.get(at..).unwrap_or_default();
            let mut sixteen = [0; 16];
            sixteen.get_mut(..rest.len())?.copy_from_slice(rest);
            sixteen
        }
    };
    let chunk = u8x16::from(chunk);
    let found = |byte: u8| u128::from(chunk.simd_eq(u8x16::splat(byte)).to_bitmask()) << at;
    Some((found(b'\n'), found(b'"') | found(b'\r'), found(delimiter)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_emotion_and_none_has_a_slot_of_its_own() {
        let table = WordTable::new(emotion_names());
        for (name, emotion) in emotion_names() {
            let mut padded = [0; 16];
            padded[..name.len()].copy_from_slice(name);
            let slot = table.first_slot(u128::from_le_bytes(padded), name.len());
            assert_eq!(table.slots[slot].map(|(_, _, found)| found), Some(emotion));
        }
    }

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

        /// The table finds a name, as a field's word, exactly when a search
        /// of its names of at most sixteen bytes does; names differing only
        /// by trailing NUL bytes, which a word does not show, included.
        #[test]
        fn the_word_table_agrees_with_a_search(
            names in prop::collection::vec("[ab\0]{0,18}", 0..40),
            probes in prop::collection::vec("[ab\0]{1,18}", 0..40),
        ) {
            let table = WordTable::new(names.iter().map(|name| name.as_bytes()).zip(0..));
            for probe in names.iter().filter(|name| !name.is_empty()).chain(&probes) {
                let line = format!("{probe},\n");
                let (mask, _, _) = scan_line(line.as_bytes(), b',').unwrap_or_default();
                let ends = [mask.trailing_zeros() as u8];
                let fields = Fields { line: &line, ends: &ends, text: line.as_bytes() };
                let expected = names.iter().position(|name| name == probe && name.len() <= 16);
                let found = match fields.word(0) {
                    Some(Word::Short(word, len)) => table.get(word, len),
                    _ => None,
                };
                prop_assert_eq!(found, expected);
            }
        }
    }
}
