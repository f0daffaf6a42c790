//! CSV records, fast: a quote-free line is split where it lies in the read
//! buffer; any record with a quote or a lone carriage return goes through
//! the full CSV state machine of `csv-core`. Both paths give the same fields
//! and line numbers (a property test below holds them to it, and to the
//! `csv` crate), and memory stays bounded by the record limit.

use std::io::{ErrorKind, Read};
use std::ops::Range;

use memchr::{memchr, memchr_iter};
use wide::u8x16;

/// How a call to [`Tokenizer::next_record`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    /// A record starting on this line (1-based); its fields are in
    /// [`Tokenizer::fields`].
    Record { line: u64 },
    /// A record starting on this line was longer than the limit and was
    /// skipped, up to its end; `bytes` is its length without terminator.
    TooLong { line: u64, bytes: usize },
}

/// Where the current record's field ranges point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Storage {
    /// Into the read buffer, at this offset (a quote-free line).
    Buffer(usize),
    /// Into the unquoted output of the state machine.
    Unquoted,
}

/// The bytes read and not yet consumed: text when all of them are valid
/// UTF-8, checked once per read, so that a quote-free record can be lent
/// as `&str` without checking it again.
#[derive(Debug)]
enum Buffer {
    Text(String),
    Bytes(Vec<u8>),
}

impl Buffer {
    fn bytes(&self) -> &[u8] {
        match self {
            Buffer::Text(text) => text.as_bytes(),
            Buffer::Bytes(bytes) => bytes,
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Buffer::Text(text) => Some(text),
            Buffer::Bytes(_) => None,
        }
    }

    fn into_bytes(self) -> Vec<u8> {
        match self {
            Buffer::Text(text) => text.into_bytes(),
            Buffer::Bytes(bytes) => bytes,
        }
    }

    /// Text if `bytes` are UTF-8 throughout (a character cut by the end of
    /// a read is not, and leaves these bytes to the per-record check).
    fn new(bytes: Vec<u8>) -> Buffer {
        match String::from_utf8(bytes) {
            Ok(text) => Buffer::Text(text),
            Err(error) => Buffer::Bytes(error.into_bytes()),
        }
    }
}

/// Reads CSV records one at a time from any byte stream.
pub(crate) struct Tokenizer<'r> {
    input: Box<dyn Read + 'r>,
    /// Holds `filled` bytes, with room for `capacity`.
    buffer: Buffer,
    capacity: usize,
    /// What `capacity` may grow to.
    max_capacity: usize,
    /// Next unread byte of `buffer`.
    pos: usize,
    /// End of the bytes read into `buffer`: its length.
    filled: usize,
    eof: bool,
    delimiter: u8,
    core: csv_core::Reader,
    unquoted: Vec<u8>,
    ends: Vec<usize>,
    fields: Vec<Range<usize>>,
    storage: Storage,
    /// Line breaks consumed so far.
    lines: u64,
    /// Whether the last record read ended with its terminator (true before
    /// the first).
    terminated: bool,
    max_record_bytes: usize,
}

/// csv-core's reader (its automaton) for `delimiter`.
fn csv_reader(delimiter: u8) -> csv_core::Reader {
    csv_core::ReaderBuilder::new().delimiter(delimiter).build()
}

/// The read buffer's largest size; lines longer than this take the
/// streaming path.
const BUFFER_BYTES: usize = 256 * 1024;

/// The read buffer's first size. It doubles each time a read fills it, up
/// to [`BUFFER_BYTES`], so that a small input (a request body, a fuzzer's
/// case) neither allocates nor zeroes and validates the whole buffer, and
/// a large file reaches full reads after a few.
const FIRST_BUFFER_BYTES: usize = 8 * 1024;

impl<'r> Tokenizer<'r> {
    /// A tokenizer over `input`, with the delimiter given or else detected
    /// from the first line. A UTF-8 byte-order mark at the start is skipped.
    pub fn new(
        input: Box<dyn Read + 'r>,
        delimiter: Option<u8>,
        max_record_bytes: usize,
    ) -> std::io::Result<Self> {
        Self::with_buffer(input, delimiter, max_record_bytes, BUFFER_BYTES)
    }

    fn with_buffer(
        input: Box<dyn Read + 'r>,
        delimiter: Option<u8>,
        max_record_bytes: usize,
        buffer_bytes: usize,
    ) -> std::io::Result<Self> {
        let mut tokenizer = Tokenizer {
            input,
            buffer: Buffer::Text(String::new()),
            capacity: FIRST_BUFFER_BYTES.min(buffer_bytes).max(4),
            max_capacity: buffer_bytes.max(4),
            pos: 0,
            filled: 0,
            eof: false,
            delimiter: delimiter.unwrap_or(b','),
            core: csv_reader(delimiter.unwrap_or(b',')),
            unquoted: Vec::new(),
            ends: Vec::new(),
            fields: Vec::new(),
            storage: Storage::Unquoted,
            lines: 0,
            terminated: true,
            max_record_bytes,
        };
        // Enough of the start to strip a byte-order mark and, within the
        // buffer, to see the first line.
        while !tokenizer.eof
            && (tokenizer.filled < 3
                || memchr(b'\n', &tokenizer.buffer.bytes()[..tokenizer.filled]).is_none())
            && tokenizer.filled < tokenizer.max_capacity
        {
            tokenizer.fill()?;
        }
        if tokenizer.buffer.bytes().starts_with(b"\xEF\xBB\xBF") {
            tokenizer.pos = 3;
        }
        if delimiter.is_none() {
            let start = &tokenizer.buffer.bytes()[tokenizer.pos..tokenizer.filled];
            let first = memchr(b'\n', start).map_or(start, |end| &start[..end]);
            let detected = detect_delimiter(first);
            // Building the automaton is a reader's largest set-up cost:
            // only a delimiter other than the comma builds it again.
            if detected != tokenizer.delimiter {
                tokenizer.delimiter = detected;
                tokenizer.core = csv_reader(detected);
            }
        }
        Ok(tokenizer)
    }

    /// The delimiter in use.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Line breaks consumed so far, blank lines and line breaks inside
    /// quotes included.
    pub fn line_breaks(&self) -> u64 {
        self.lines
    }

    /// Whether the last record ended with its line break (or no record was
    /// read): false when the input stopped inside a record.
    pub fn ended_at_record_end(&self) -> bool {
        self.terminated
    }

    /// Moves the unread bytes to the front and reads more after them, with
    /// one read, so that a stream's records are handed on as they arrive;
    /// false at the end of the input. The buffer keeps its full length, so
    /// that a read goes into bytes already there, not zeroed for it; past
    /// `filled` it holds zeros, so it is text exactly when the bytes read are.
    #[inline(never)]
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.filled == self.capacity {
            self.capacity = (self.capacity * 2).min(self.max_capacity);
        }
        let mut bytes = std::mem::replace(&mut self.buffer, Buffer::Bytes(Vec::new())).into_bytes();
        let before = self.filled - self.pos;
        bytes.copy_within(self.pos..self.filled, 0);
        let last_end = self.filled;
        self.pos = 0;
        if bytes.len() < self.capacity {
            bytes.resize(self.capacity, 0);
        }
        let result = loop {
            match self.input.read(bytes.get_mut(before..).unwrap_or_default()) {
                Err(error) if error.kind() == ErrorKind::Interrupted => {}
                result => break result,
            }
        };
        // `Read` promises read <= the room given; a reader that breaks the
        // promise must not move `filled` past the buffer.
        let read = result
            .as_ref()
            .map_or(0, |&read| read.min(bytes.len() - before));
        self.filled = before + read;
        // Zeros for what a longer last read left past the new end.
        if let Some(left) = bytes.get_mut(self.filled..last_end) {
            left.fill(0);
        }
        self.buffer = Buffer::new(bytes);
        result?;
        if read == 0 {
            self.eof = true;
        }
        Ok(read > 0)
    }

    /// The current record's fields.
    pub fn fields(&self) -> Fields<'_> {
        let (bytes, text) = match self.storage {
            Storage::Buffer(start) => (
                self.buffer.bytes().get(start..self.pos).unwrap_or_default(),
                self.buffer
                    .text()
                    .and_then(|text| text.get(start..self.filled)),
            ),
            Storage::Unquoted => (&self.unquoted[..], None),
        };
        Fields {
            bytes,
            text,
            ranges: &self.fields,
        }
    }

    /// Reads the next record; `None` at the end of the input.
    #[inline(always)]
    pub fn next_record(&mut self) -> std::io::Result<Option<Token>> {
        let Some(line) = self.start_record()? else {
            return Ok(None);
        };
        if let Some(token) = self.next_plain_line(line)? {
            return Ok(Some(token));
        }
        self.read_quoted(line).map(Some)
    }

    /// Skips the blank lines before the next record, as csv-core does, and
    /// returns the line it starts on; `None` at the end of the input.
    #[inline(always)]
    fn start_record(&mut self) -> std::io::Result<Option<u64>> {
        loop {
            match self.buffer.bytes()[self.pos..self.filled]
                .iter()
                .position(|&b| b != b'\n' && b != b'\r')
            {
                Some(0) => break,
                Some(skip) => {
                    self.count_lines(self.pos, self.pos + skip);
                    self.pos += skip;
                    break;
                }
                None => {
                    self.count_lines(self.pos, self.filled);
                    self.pos = self.filled;
                    if !self.fill()? {
                        return Ok(None);
                    }
                }
            }
        }
        Ok(Some(self.lines + 1))
    }

    /// The record at `pos` split where it lies, if it is a plain line: no
    /// quote, no carriage return but in a final `\r\n`, and not longer
    /// than the buffer. `None` leaves it, unread, to
    /// [`read_quoted`](Self::read_quoted).
    #[inline(always)]
    fn next_plain_line(&mut self, line: u64) -> std::io::Result<Option<Token>> {
        loop {
            let available = &self.buffer.bytes()[self.pos..self.filled];
            self.fields.clear();
            match split_quote_free(available, self.delimiter, &mut self.fields) {
                Some(end) if available[end] == b'\n' => {
                    return Ok(Some(self.split_line(line, end, end + 1)));
                }
                Some(end) if available[end] == b'\r' && available.get(end + 1) == Some(&b'\n') => {
                    return Ok(Some(self.split_line(line, end, end + 2)));
                }
                // A carriage return at the end of what is read: read on to see what follows.
                Some(end) if end + 1 == available.len() && !self.eof => {}
                Some(_) => return Ok(None),
                None if self.eof => {
                    let end = available.len();
                    return Ok(Some(self.split_line(line, end, end)));
                }
                None => {}
            }
            // No line end in the buffer: read more, unless the line fills it
            // at its largest. (A record starts at `pos`, so reading keeps it
            // in the buffer.)
            if self.pos == 0 && self.filled == self.max_capacity {
                return Ok(None);
            }
            self.fill()?;
        }
    }

    /// Ends the quote-free line of `end` bytes at `pos`, whose fields but the
    /// last [`split_quote_free`] found, consuming `consumed` bytes (its
    /// terminator included).
    #[inline(always)]
    fn split_line(&mut self, line: u64, end: usize, consumed: usize) -> Token {
        let start = self.pos;
        self.pos += consumed;
        self.terminated = consumed > end;
        if self.terminated {
            self.lines += 1;
        }
        if end > self.max_record_bytes {
            self.fields.clear();
            return Token::TooLong { line, bytes: end };
        }
        self.storage = Storage::Buffer(start);
        let from = self.fields.last().map_or(0, |field| field.end + 1);
        self.fields.push(from..end);
        Token::Record { line }
    }

    fn count_lines(&mut self, from: usize, to: usize) {
        self.lines += memchr_iter(b'\n', &self.buffer.bytes()[from..to]).count() as u64;
    }

    /// Reads one record through the CSV state machine, streaming, so that a
    /// record of any length costs at most the limit in memory.
    #[inline(never)]
    fn read_quoted(&mut self, line: u64) -> std::io::Result<Token> {
        self.storage = Storage::Unquoted;
        self.fields.clear();
        let (mut out, mut ends) = (0usize, 0usize);
        let mut raw = 0usize;
        let mut last = 0u8;
        let mut skipping = false;
        loop {
            if out == self.unquoted.len() {
                if skipping {
                    out = 0;
                } else {
                    let grown = (self.unquoted.len() * 2)
                        .max(256)
                        .min(self.max_record_bytes.saturating_add(1))
                        .max(out + 1);
                    self.unquoted.resize(grown, 0);
                }
            }
            if ends == self.ends.len() {
                if skipping {
                    ends = 0;
                } else {
                    self.ends.resize((self.ends.len() * 2).max(16), 0);
                }
            }
            if self.pos == self.filled && !self.eof {
                self.fill()?;
            }
            let input = &self.buffer.bytes()[self.pos..self.filled];
            // Given no input, csv-core ends the record at the end of the
            // input; given some, only at a line break outside quotes.
            self.terminated = !input.is_empty();
            let (result, read, written, ended) =
                self.core
                    .read_record(input, &mut self.unquoted[out..], &mut self.ends[ends..]);
            if read > 0 {
                last = input[read - 1];
            }
            self.count_lines(self.pos, self.pos + read);
            self.pos += read;
            raw += read;
            out += written;
            ends += ended;
            // One more byte than the limit may be the terminator.
            if raw > self.max_record_bytes.saturating_add(1) {
                skipping = true;
            }
            match result {
                csv_core::ReadRecordResult::InputEmpty
                | csv_core::ReadRecordResult::OutputFull
                | csv_core::ReadRecordResult::OutputEndsFull => {}
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
            }
        }
        // Without its terminator, if it ended with one (`last` is 0 when nothing was read).
        let bytes = raw - usize::from(matches!(last, b'\n' | b'\r'));
        if skipping || bytes > self.max_record_bytes {
            return Ok(Token::TooLong { line, bytes });
        }
        let mut from = 0;
        for &end in &self.ends[..ends] {
            self.fields.push(from..end);
            from = end;
        }
        Ok(Token::Record { line })
    }
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

/// Pushes the fields of the quote-free line at the start of `bytes` that
/// end at a delimiter, and returns where the line stops: the index of its
/// first `\n`, `\r` or `"`, or `None` if `bytes` ends first.
///
/// Sixteen bytes are compared at a time (SSE2 on x86-64, NEON on ARM,
/// through `wide`), sixty-four to a step, each comparison giving a bit per
/// byte; the fields' ends are then taken from the delimiters' bits.
#[inline]
fn split_quote_free(bytes: &[u8], delimiter: u8, fields: &mut Vec<Range<usize>>) -> Option<usize> {
    let mut from = 0;
    let mut at = 0;
    while at < bytes.len() {
        let (mut delimiters, stops) = scan64(bytes, at, delimiter);
        let stop = (stops != 0).then(|| stops.trailing_zeros());
        if let Some(stop) = stop {
            // Only the delimiters before the stop (stop < 64, so the shift fits).
            delimiters &= (1u64 << stop) - 1;
        }
        while delimiters != 0 {
            let end = at + delimiters.trailing_zeros() as usize;
            fields.push(from..end);
            from = end + 1;
            delimiters &= delimiters - 1;
        }
        if let Some(stop) = stop {
            return Some(at + stop as usize);
        }
        at += 64;
    }
    None
}

/// The sixty-four bytes of `bytes` from `at` as two masks, a bit per byte:
/// the delimiters, and the stop bytes (`\n`, `\r`, `"`); nothing past the
/// end of `bytes`.
#[inline(always)]
fn scan64(bytes: &[u8], at: usize, delimiter: u8) -> (u64, u64) {
    let rest = bytes.get(at..).unwrap_or_default();
    let mut padded = [0u8; 64];
    let chunk: &[u8; 64] = match rest.first_chunk() {
        Some(chunk) => chunk,
        None => {
            padded[..rest.len()].copy_from_slice(rest);
            &padded
        }
    };
    let (mut delimiters, mut stops) = (0u64, 0u64);
    for (index, sixteen) in chunk.chunks_exact(16).enumerate() {
        let mut lanes = [0u8; 16];
        lanes.copy_from_slice(sixteen);
        let lanes = u8x16::from(lanes);
        let found = |byte: u8| u64::from(lanes.simd_eq(u8x16::splat(byte)).to_bitmask());
        delimiters |= found(delimiter) << (16 * index);
        stops |= (found(b'\n') | found(b'\r') | found(b'"')) << (16 * index);
    }
    let within = match rest.len() {
        64.. => u64::MAX,
        short => (1u64 << short) - 1,
    };
    (delimiters & within, stops & within)
}

/// One record's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'a> {
    bytes: &'a [u8],
    /// `bytes` as text, and the rest of the read buffer after them, when
    /// the buffer was checked as UTF-8 already.
    text: Option<&'a str>,
    ranges: &'a [Range<usize>],
}

impl<'a> Fields<'a> {
    /// How many fields.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// The bytes the fields lie in (with the delimiters, for a quote-free
    /// line), to check as UTF-8 once.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// [`bytes`](Fields::bytes) as text, followed by the rest of what is
    /// read, if they are known to be UTF-8 without checking them again.
    pub fn text(&self) -> Option<&'a str> {
        self.text
    }

    /// Every field's byte range in [`bytes`](Fields::bytes).
    pub fn ranges(&self) -> &'a [Range<usize>] {
        self.ranges
    }

    /// A field's byte range in [`bytes`](Fields::bytes).
    pub fn range(&self, index: usize) -> Option<Range<usize>> {
        self.ranges.get(index).cloned()
    }

    /// A field's bytes.
    pub fn get(&self, index: usize) -> Option<&'a [u8]> {
        self.bytes.get(self.range(index)?)
    }
}

#[cfg(test)]
mod tests;
