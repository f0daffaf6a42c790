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
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn delimiter_is_the_most_frequent_outside_quotes() {
        assert_eq!(detect_delimiter(b"a,b,c\n"), b',');
        assert_eq!(detect_delimiter(b"a;b;c\r\n"), b';');
        assert_eq!(detect_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter(b"\"a;b;c\",d,e"), b',');
        assert_eq!(detect_delimiter(b"single"), b',');
    }

    /// How [`tokenize`] reads: as the tokenizer does, plain lines split
    /// where they lie, or every record through the state machine.
    #[derive(Debug, Clone, Copy)]
    enum Way {
        Plain,
        Quoted,
    }

    /// Every record: its line (or the too-long length) and its fields.
    fn tokenize(input: &[u8], buffer: usize, way: Way, limit: usize) -> Vec<(Token, Vec<Vec<u8>>)> {
        let mut tokenizer = Tokenizer::with_buffer(Box::new(input), Some(b','), limit, buffer)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut records = Vec::new();
        let next = |tokenizer: &mut Tokenizer<'_>| match way {
            Way::Plain => tokenizer.next_record(),
            // The state machine for every record.
            Way::Quoted => match tokenizer.start_record() {
                Ok(Some(line)) => tokenizer.read_quoted(line).map(Some),
                other => other.map(|_| None),
            },
        };
        while let Some(token) = next(&mut tokenizer).unwrap_or_else(|e| panic!("{e}")) {
            let fields = tokenizer.fields();
            // Text lent without a check starts with the record's bytes, UTF-8.
            if let Some(text) = fields.text() {
                assert!(text.as_bytes().starts_with(fields.bytes()));
            }
            let values = (0..fields.len())
                .map(|i| fields.get(i).unwrap_or_default().to_vec())
                .collect();
            records.push((token, values));
        }
        records
    }

    /// The records as the `csv` crate reads them.
    fn csv_crate(input: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        reader
            .byte_records()
            .map(|record| {
                let record = record.unwrap_or_else(|e| panic!("{e}"));
                record.iter().map(<[u8]>::to_vec).collect()
            })
            .collect()
    }

    #[test]
    fn quote_free_lines_and_quoted_records() {
        let input = b"a,b\r\n\n\"x,\ny\",2\nlast,\"\"\"q\"\"\"";
        let records = tokenize(input, 8, Way::Plain, 100);
        let fields: Vec<_> = records.iter().map(|(_, f)| f.clone()).collect();
        assert_eq!(
            fields,
            vec![
                vec![b"a".to_vec(), b"b".to_vec()],
                vec![b"x,\ny".to_vec(), b"2".to_vec()],
                vec![b"last".to_vec(), b"\"q\"".to_vec()],
            ]
        );
        let lines: Vec<_> = records.iter().map(|(t, _)| *t).collect();
        assert_eq!(
            lines,
            vec![
                Token::Record { line: 1 },
                Token::Record { line: 3 },
                Token::Record { line: 5 },
            ]
        );
    }

    #[test]
    fn too_long_records_are_skipped_whole() {
        let input = b"ok,1\n\"0123456789\nabc\",2\n0123456789012,3\nok,4";
        let records = tokenize(input, 8, Way::Plain, 10);
        let tokens: Vec<_> = records.iter().map(|(t, _)| *t).collect();
        assert_eq!(
            tokens,
            vec![
                Token::Record { line: 1 },
                Token::TooLong { line: 2, bytes: 18 },
                Token::TooLong { line: 4, bytes: 15 },
                Token::Record { line: 5 },
            ]
        );
        assert_eq!(records[3].1, vec![b"ok".to_vec(), b"4".to_vec()]);
    }

    /// The buffer starts small and doubles while reads fill it: a small
    /// input stays in the first 8 KiB; a 100 KiB line grows the buffer to
    /// 128 KiB and is read in it, not streamed; a large input reaches the
    /// largest buffer and no further.
    #[test]
    fn the_buffer_grows_as_reads_fill_it() {
        let read_all = |input: &[u8]| {
            let mut tokenizer = Tokenizer::new(Box::new(input), Some(b','), usize::MAX)
                .unwrap_or_else(|e| panic!("{e}"));
            let mut records = 0;
            while let Some(token) = tokenizer.next_record().unwrap_or_else(|e| panic!("{e}")) {
                assert!(matches!(token, Token::Record { .. }), "{token:?}");
                assert!(
                    matches!(tokenizer.storage, Storage::Buffer(_)),
                    "not streamed"
                );
                records += 1;
            }
            (records, tokenizer.capacity)
        };
        assert_eq!(read_all(b"a,b\nc,d\n"), (2, FIRST_BUFFER_BYTES));
        let long = [vec![b'x'; 100 * 1024], b"\nok\n".to_vec()].concat();
        assert_eq!(read_all(&long), (2, 128 * 1024));
        let many = b"abc,def\n".repeat(200_000);
        assert_eq!(read_all(&many), (200_000, BUFFER_BYTES));
    }

    /// Gives its bytes in one read, then fails as a stream with nothing
    /// more yet would.
    struct OneChunk(Option<&'static [u8]>);

    impl Read for OneChunk {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let chunk = self.0.take().ok_or(ErrorKind::WouldBlock)?;
            buf[..chunk.len()].copy_from_slice(chunk);
            Ok(chunk.len())
        }
    }

    #[test]
    fn records_are_handed_on_as_they_arrive() {
        let mut tokenizer =
            Tokenizer::new(Box::new(OneChunk(Some(b"a,b\nc,d\n"))), Some(b','), 100)
                .unwrap_or_else(|e| panic!("{e}"));
        for line in 1..=2 {
            assert_eq!(
                tokenizer.next_record().ok().flatten(),
                Some(Token::Record { line })
            );
        }
        let waiting = tokenizer.next_record().err().map(|error| error.kind());
        assert_eq!(waiting, Some(ErrorKind::WouldBlock));
    }

    #[test]
    fn records_are_lent_as_text_when_the_buffer_is_utf8() {
        let text_of = |input: &'static [u8]| {
            let mut tokenizer =
                Tokenizer::new(Box::new(input), Some(b','), 100).unwrap_or_else(|e| panic!("{e}"));
            let mut texts = Vec::new();
            while let Some(_token) = tokenizer.next_record().unwrap_or_else(|e| panic!("{e}")) {
                texts.push(tokenizer.fields().text().map(str::to_owned));
            }
            texts
        };
        // A quote-free record's text goes on to the end of what is read.
        assert_eq!(
            text_of(b"a,\xC3\xA9\n\"q\",d\n"),
            [Some("a,\u{e9}\n\"q\",d\n".to_owned()), None]
        );
        // One bad byte anywhere in the buffer: every record is checked alone.
        assert_eq!(text_of(b"a,b\n\xFF,d\n"), [None, None]);
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_the_delimiter_detected() {
        let mut tokenizer = Tokenizer::new(Box::new(&b"\xEF\xBB\xBFa;b\n1;2\n"[..]), None, 100)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(tokenizer.delimiter(), b';');
        assert_eq!(
            tokenizer.next_record().ok().flatten(),
            Some(Token::Record { line: 1 })
        );
        assert_eq!(tokenizer.fields().get(0), Some(&b"a"[..]));
    }

    fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop::sample::select(vec![
            b'a', b'b', b' ', b',', b'"', b'"', b'\n', b'\n', b'\r', 0xC3, 0xA9, 0xFF,
        ]);
        prop::collection::vec(byte, 0..200)
    }

    /// Long quote-free runs, where the eight-byte words do the work: any
    /// byte, with the stop bytes rare.
    fn long_line_bytes() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            30 => any::<u8>().prop_filter("not a stop byte", |b| !b"\n\r\"".contains(b)),
            6 => Just(b','),
            2 => Just(b'\n'),
            1 => Just(b'"'),
            1 => Just(b'\r'),
        ];
        prop::collection::vec(byte, 0..400)
    }

    /// What [`split_quote_free`] computes, a byte at a time.
    fn split_by_bytes(bytes: &[u8], delimiter: u8) -> (Vec<Range<usize>>, Option<usize>) {
        let mut fields = Vec::new();
        let mut from = 0;
        for (at, &byte) in bytes.iter().enumerate() {
            if matches!(byte, b'\n' | b'\r' | b'"') {
                return (fields, Some(at));
            }
            if byte == delimiter {
                fields.push(from..at);
                from = at + 1;
            }
        }
        (fields, None)
    }

    /// The word split finds what a byte loop finds.
    fn word_split_agrees(bytes: &[u8], delimiter: u8) -> Result<(), TestCaseError> {
        let mut fields = Vec::new();
        let stop = split_quote_free(bytes, delimiter, &mut fields);
        prop_assert_eq!((fields, stop), split_by_bytes(bytes, delimiter));
        Ok(())
    }

    /// The fast path with a `buffer`-byte buffer, the full parser, and the
    /// `csv` crate read the same records from `input`.
    fn paths_agree(input: &[u8], buffer: usize) -> Result<(), TestCaseError> {
        let slow = tokenize(input, 4096, Way::Quoted, usize::MAX / 4);
        let fast = tokenize(input, buffer, Way::Plain, usize::MAX / 4);
        prop_assert_eq!(&fast, &slow);
        let fields: Vec<_> = fast.into_iter().map(|(_, f)| f).collect();
        prop_assert_eq!(fields, csv_crate(input));
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Eight bytes at a time finds what one byte at a time finds, for
        /// any bytes and delimiter.
        #[test]
        fn word_split_matches_byte_split(
            bytes in prop::collection::vec(any::<u8>(), 0..80),
            delimiter in any::<u8>(),
        ) {
            word_split_agrees(&bytes, delimiter)?;
        }

        /// As above, on long lines of ordinary CSV.
        #[test]
        fn word_split_matches_byte_split_on_long_lines(
            bytes in long_line_bytes(),
            delimiter in prop::sample::select(vec![b',', b';', b'\t', b'|']),
        ) {
            word_split_agrees(&bytes, delimiter)?;
        }

        /// The fast path and the full parser agree on long lines too, with
        /// buffers shorter and longer than a line.
        #[test]
        fn fast_path_and_full_parser_agree_on_long_lines(
            input in long_line_bytes(),
            buffer in 4usize..300,
        ) {
            paths_agree(&input, buffer)?;
        }

        /// The fast path and the full parser agree on everything, whatever
        /// the buffer size, and both agree with the `csv` crate.
        #[test]
        fn fast_path_and_full_parser_agree(input in csv_bytes(), buffer in 4usize..40) {
            paths_agree(&input, buffer)?;
        }

        /// With a record limit, both paths skip the same records.
        #[test]
        fn limits_agree(input in csv_bytes(), buffer in 4usize..40, limit in 0usize..30) {
            prop_assert_eq!(
                tokenize(&input, buffer, Way::Plain, limit),
                tokenize(&input, 4096, Way::Quoted, limit)
            );
        }
    }
}
