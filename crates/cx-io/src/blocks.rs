//! Splitting a CSV file into blocks that can be read in parallel.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, ErrorKind};
use crate::export::HeaderRules;
use crate::header;
use crate::journey_file::JourneyFile;
use crate::summary::ReadSummary;
use cx_model::ObservationBatch;

use crate::builder::ResponseReaderBuilder;
use crate::options::{InputFormat, RespondentOrder, columns};
use crate::reader::{BlockEnd, ResponseReader};
use crate::source::Context;
use crate::tokenizer::{Token, Tokenizer};

/// One block of a CSV file: whole records, and for the long layout whole
/// respondents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Byte offset of the block's first record.
    pub start: u64,
    /// Byte offset just past its last record.
    pub end: u64,
    /// Lines before the block, the header included.
    pub lines_before: u64,
    /// Records before the block.
    pub records_before: u64,
}

/// A CSV file cut into blocks of about the same size, to be read in
/// parallel and merged in order.
///
/// Blocks end at a line break outside quotes, so no record is cut, and in a
/// long file where a respondent's rows are contiguous, never inside a
/// respondent, so outcome columns spread over a respondent's rows are
/// gathered as in one pass. The cut points depend only on the file and the
/// block size, never on how many threads read the blocks, so merging the
/// blocks' results in order gives the same numbers at any thread count.
///
/// [`CsvBlocks::scan`] reads the whole file once, following quotes, so
/// that every block's first line and record number is known before it is
/// read. [`ParallelCsv`] does without that pass and falls back to it only
/// when a quoted field holds line breaks; use it to read a file in
/// parallel, and `CsvBlocks` to place blocks yourself.
#[derive(Debug, Clone)]
pub struct CsvBlocks {
    path: PathBuf,
    header: Vec<u8>,
    blocks: Vec<Block>,
}

fn io_error(path: &Path, error: &std::io::Error) -> Error {
    Context::csv_file(path).fatal(ErrorKind::Io, format!("cannot read: {error}"))
}

/// Opens a file with the same message as
/// [`ResponseReaderBuilder::from_path`].
/// Whether the regular file `file` can be cut into blocks, by its first
/// bytes (read, then sought back): plain text, not gzip or UTF-16, that
/// starts with its header, not with a blank line or nothing. Files that do
/// not are read whole, which gives their errors their lines.
fn can_cut(file: &mut File) -> std::io::Result<bool> {
    let mut first = [0u8; 2];
    let mut filled = 0;
    while filled < first.len() {
        match file.read(&mut first[filled..])? {
            0 => break,
            read => filled += read,
        }
    }
    file.seek(SeekFrom::Start(0))?;
    let first = &first[..filled];
    Ok(crate::stream::is_plain(first) && !matches!(first.first(), None | Some(b'\n' | b'\r')))
}

fn open(path: &Path) -> Result<File, Error> {
    File::open(path).map_err(|error| {
        Context::csv_file(path).fatal(ErrorKind::Io, format!("cannot open: {error}"))
    })
}

/// The header record of a CSV file, and what it says about where blocks
/// may be cut.
struct Header {
    /// The header record as in the file, its line break included.
    bytes: Vec<u8>,
    delimiter: u8,
    /// In the long layout, the respondent id's column: blocks cut only
    /// where it changes.
    respondent_column: Option<usize>,
    /// The header's names, trimmed.
    names: Vec<String>,
}

impl Header {
    /// Reads the header record: up to the first line break outside quotes.
    fn read(path: &Path, input: &mut impl BufRead, delimiter: Option<u8>) -> Result<Header, Error> {
        let mut bytes = Vec::new();
        loop {
            let read = input
                .read_until(b'\n', &mut bytes)
                .map_err(|e| io_error(path, &e))?;
            let quotes = bytes.iter().filter(|&&b| b == b'"').count();
            if read == 0 || quotes % 2 == 0 {
                break;
            }
        }
        // Named as the reader names them: quotes, BOM and blanks taken off.
        let mut tokenizer = Tokenizer::new(Box::new(bytes.as_slice()), delimiter, usize::MAX)
            .map_err(|e| io_error(path, &e))?;
        let mut names = Vec::new();
        if let Some(Token::Record { .. }) =
            tokenizer.next_record().map_err(|e| io_error(path, &e))?
        {
            let fields = tokenizer.fields();
            names = (0..fields.len())
                .map(|i| {
                    String::from_utf8_lossy(fields.get(i).unwrap_or_default())
                        .trim()
                        .to_owned()
                })
                .collect();
        }
        let delimiter = tokenizer.delimiter();
        drop(tokenizer);
        let is_long = header::position(&names, columns::TOUCHPOINT).is_some();
        let respondent_column = is_long
            .then(|| header::position(&names, columns::RESPONDENT_ID))
            .flatten();
        Ok(Header {
            bytes,
            delimiter,
            respondent_column,
            names,
        })
    }

    /// Whether a block may start at `line`, which follows `previous`: in
    /// the long layout only where the respondent changes, judged on lines
    /// without quotes (at a line with quotes the cut moves on).
    fn may_cut_between(&self, previous: &[u8], line: &[u8]) -> bool {
        match self.respondent_column {
            None => true,
            Some(column) => match (
                respondent_field(previous, self.delimiter, column),
                respondent_field(line, self.delimiter, column),
            ) {
                (Some(before), Some(now)) => before != now,
                _ => false,
            },
        }
    }
}

/// The respondent field of a line without quotes; `None` for a line with
/// quotes (the cut then moves on to the next line).
fn respondent_field(line: &[u8], delimiter: u8, column: usize) -> Option<&[u8]> {
    // A blank line may fall inside a respondent's rows: no cut there.
    if line.contains(&b'"') || line.trim_ascii().is_empty() {
        return None;
    }
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    line.split(|&b| b == delimiter).nth(column)
}

impl CsvBlocks {
    /// Scans `path` once and cuts it into blocks of about `block_bytes`.
    ///
    /// # Errors
    ///
    /// A fatal [`Error`] if the file cannot be read or has no header.
    pub fn scan(
        path: impl AsRef<Path>,
        block_bytes: u64,
        delimiter: Option<u8>,
    ) -> Result<Self, Error> {
        let path = path.as_ref();
        let file = open(path)?;
        let mut input = BufReader::with_capacity(1 << 20, file);
        let header = Header::read(path, &mut input, delimiter)?;

        let mut blocks = Vec::new();
        let mut offset = header.bytes.len() as u64;
        let mut block = Block {
            start: offset,
            end: offset,
            lines_before: 1,
            records_before: 0,
        };
        let (mut lines, mut records) = (1u64, 0u64);
        let mut quoted = false;
        let mut line = Vec::new();
        let mut previous: Vec<u8> = Vec::new();
        let mut want_cut = false;
        loop {
            line.clear();
            let read = input
                .read_until(b'\n', &mut line)
                .map_err(|e| io_error(path, &e))?;
            if read == 0 {
                break;
            }
            // A record may start here only outside quotes.
            let at_record_start = !quoted;
            if at_record_start && want_cut && header.may_cut_between(&previous, &line) {
                block.end = offset;
                blocks.push(block);
                block = Block {
                    start: offset,
                    end: offset,
                    lines_before: lines,
                    records_before: records,
                };
                want_cut = false;
            }
            for &byte in &line {
                if byte == b'"' {
                    quoted = !quoted;
                }
            }
            lines += 1;
            offset += read as u64;
            if !quoted {
                records += 1;
                std::mem::swap(&mut previous, &mut line);
            }
            if offset - block.start >= block_bytes {
                want_cut = true;
            }
        }
        block.end = offset;
        if block.end > block.start || blocks.is_empty() {
            blocks.push(block);
        }
        Ok(CsvBlocks {
            path: path.to_owned(),
            header: header.bytes,
            blocks,
        })
    }

    /// The blocks, in file order.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// A reader of one block: its records read like the whole file's, with
    /// line and record numbers of the whole file.
    ///
    /// # Errors
    ///
    /// As [`ResponseReaderBuilder::from_path`].
    pub fn reader(
        &self,
        block: &Block,
        journey: &JourneyFile,
        builder: &ResponseReaderBuilder,
    ) -> Result<ResponseReader<'static>, Error> {
        let mut file = open(&self.path)?;
        file.seek(SeekFrom::Start(block.start))
            .map_err(|e| io_error(&self.path, &e))?;
        let body = file.take(block.end - block.start);
        let input = std::io::Cursor::new(self.header.clone()).chain(body);
        let mut builder = builder.clone();
        builder.name(&self.path.display().to_string());
        // The header stands in as line 1 of each block.
        builder.settings.line_offset = block.lines_before - 1;
        builder.settings.record_offset = block.records_before;
        builder.from_reader(input, journey)
    }
}

/// One block's share of a [`ParallelCsv`] read: the state its records
/// went into, and what it read, with lines and records numbered as in the
/// whole file.
#[derive(Debug)]
pub struct BlockPart<S> {
    /// The state built from the block's records.
    pub state: S,
    /// What the block read.
    pub summary: ReadSummary,
}

/// Reads a CSV file in blocks on several threads, each block into its own
/// state, to be merged in file order: the way to score a large file on
/// every core.
///
/// The file is cut without being read through first: near each cut point
/// only a window is read, and the cut goes to the first line start where
/// the respondent changes (in the long layout), so that a respondent's
/// rows, and their outcome, stay in one block. Each block's read then
/// checks its cut: a block must end with a whole record. A line break
/// inside a quoted field can fool a guessed cut; then that block ends
/// inside a record, and the whole file is read again on cuts made by
/// [`CsvBlocks::scan`], which follows quotes from the start. (So does a
/// wide file without an id column, whose respondents are numbered by
/// record.) Either way the states, summaries and errors are those of one
/// pass over the file, and the cut points depend on the file and the
/// block size only, never on the thread count. What cannot be cut, a pipe,
/// a named pipe or `/dev/stdin` (which cannot be read twice) and a
/// compressed file (which cannot be entered midway), is read whole on the
/// calling thread, as one part; so is a file that starts with blank lines,
/// and any file read as
/// [`RespondentOrder::ContiguousChecked`](crate::RespondentOrder::ContiguousChecked),
/// whose check must see every respondent.
///
/// ```
/// use cx_io::{ParallelCsv, ResponseReaderBuilder};
/// use cx_model::ObservationBatch;
///
/// let journey = cx_io::sample::retail_journey()?;
/// let path = std::env::temp_dir().join(format!("cx-parallel-doc-{}.csv", std::process::id()));
/// let mut csv = String::from("respondent_id,touchpoint,reality\n");
/// for r in 0..1000 {
///     csv.push_str(&format!("r{r},website,4\nr{r},cashier,{}\n", 1 + r % 5));
/// }
/// std::fs::write(&path, csv)?;
///
/// let parts = ParallelCsv::new(&journey, &ResponseReaderBuilder::new())
///     .threads(2)
///     .block_bytes(4096)
///     .read(&path, || 0.0, |sum: &mut f64, batch: &ObservationBatch| {
///         *sum += batch.realities().iter().sum::<f64>();
///     })?;
/// assert!(parts.len() > 1);
/// let total: f64 = parts.into_iter().map(|part| part.map(|p| p.state)).sum::<Result<f64, _>>()?;
/// assert_eq!(total, 4000.0 + 3000.0);
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct ParallelCsv<'j> {
    journey: &'j JourneyFile,
    builder: ResponseReaderBuilder,
    threads: usize,
    block_bytes: u64,
}

/// Where a block lies and how its numbers are placed in the whole file.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u64,
    end: u64,
    line_offset: u64,
    record_offset: u64,
}

/// One block's read, before its cut is checked.
type BlockRead<S> = (Result<(S, ReadSummary), Error>, Option<BlockEnd>);

impl<'j> ParallelCsv<'j> {
    /// A reader of CSV files against `journey`, each block read as `builder`
    /// sets up (its error policy included: under [`ErrorPolicy::Strict`](crate::ErrorPolicy::Strict)
    /// the read ends at the file's first error), on every available core,
    /// in blocks of 16 MiB.
    pub fn new(journey: &'j JourneyFile, builder: &ResponseReaderBuilder) -> Self {
        ParallelCsv {
            journey,
            builder: builder.clone(),
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            block_bytes: 16 << 20,
        }
    }

    /// How many threads read blocks (at least one).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// About how many bytes a block holds. The numbers do not depend on it,
    /// but smaller blocks share the work more evenly and larger ones waste
    /// less at the cuts.
    pub fn block_bytes(mut self, bytes: u64) -> Self {
        self.block_bytes = bytes.max(1);
        self
    }

    /// Reads the file at `path`: `init` makes each block's state and `each`
    /// takes the block's batches into it, as
    /// [`ResponseReader::read_batch`] reads them.
    ///
    /// The blocks come back in file order, up to and including the first
    /// that failed: under
    /// [`ErrorPolicy::Strict`](crate::ErrorPolicy::Strict), with the
    /// file's first bad record; under either policy, with a fatal error.
    ///
    /// # Errors
    ///
    /// A fatal [`Error`] if the file cannot be opened or its header
    /// read, as from [`ResponseReaderBuilder::from_path`].
    pub fn read<S, I, F>(
        &self,
        path: impl AsRef<Path>,
        init: I,
        each: F,
    ) -> Result<Vec<Result<BlockPart<S>, Error>>, Error>
    where
        S: Send,
        I: Fn() -> S + Sync,
        F: Fn(&mut S, &ObservationBatch) + Sync,
    {
        let path = path.as_ref();
        let delimiter = match self.builder.settings.format {
            Some(InputFormat::Csv { delimiter }) => delimiter,
            _ => None,
        };
        let mut file = open(path)?;
        let metadata = file.metadata().map_err(|e| io_error(path, &e))?;
        // A block's reader would check only its own respondents.
        let checked = self.builder.settings.respondents == RespondentOrder::ContiguousChecked;
        if checked || !metadata.is_file() || !can_cut(&mut file).map_err(|e| io_error(path, &e))? {
            return self.read_whole(path, file, &init, &each);
        }
        let file_bytes = metadata.len();
        let header = Header::read(path, &mut BufReader::new(&mut file), delimiter)?;
        let mut builder = self.builder.clone();
        builder
            .format(InputFormat::Csv {
                delimiter: Some(header.delimiter),
            })
            .name(&path.display().to_string());
        // Further header rows would be data to every block but the first:
        // a file that may have them is read whole (exports are small).
        if HeaderRules::of(self.journey).most_rows(&header.names) > 1 {
            file.seek(SeekFrom::Start(0))
                .map_err(|e| io_error(path, &e))?;
            return self.read_whole(path, file, &init, &each);
        }
        // The header alone settles the layout, and its errors are the file's.
        let probe = builder.from_reader(header.bytes.as_slice(), self.journey)?;
        if !probe.numbers_respondents() {
            let spans: Vec<Span> = guess_cuts(&mut file, &header, file_bytes, self.block_bytes)
                .map_err(|e| io_error(path, &e))?
                .into_iter()
                .map(|(start, end)| Span {
                    start,
                    end,
                    line_offset: 0,
                    record_offset: 0,
                })
                .collect();
            let reads = self.read_spans(path, &header.bytes, &builder, &spans, &init, &each);
            let header_breaks = header.bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            if let Some(parts) = place_checked(reads, header_breaks) {
                return Ok(parts);
            }
        }
        // Cuts that follow quotes from the start, with every block's place
        // known before it is read.
        let exact = CsvBlocks::scan(path, self.block_bytes, Some(header.delimiter))?;
        let spans: Vec<Span> = exact
            .blocks
            .iter()
            .map(|block| Span {
                start: block.start,
                end: block.end,
                line_offset: block.lines_before.saturating_sub(1),
                record_offset: block.records_before,
            })
            .collect();
        let reads = self.read_spans(path, &exact.header, &builder, &spans, &init, &each);
        let mut parts = Vec::with_capacity(reads.len());
        for (result, _) in reads {
            let failed = result.is_err();
            parts.push(result.map(|(state, summary)| BlockPart { state, summary }));
            if failed {
                break;
            }
        }
        Ok(parts)
    }

    /// Reads `file` whole on this thread, into one state: a pipe cannot be
    /// read twice nor cut, a compressed file cannot be entered midway, a
    /// read of checked contiguous respondents must see them all, and a
    /// file that starts with blank lines (or is empty) is rare enough to
    /// read in one pass.
    fn read_whole<S, I, F>(
        &self,
        path: &Path,
        file: File,
        init: &I,
        each: &F,
    ) -> Result<Vec<Result<BlockPart<S>, Error>>, Error>
    where
        I: Fn() -> S,
        F: Fn(&mut S, &ObservationBatch),
    {
        let mut builder = self.builder.clone();
        builder.name(&path.display().to_string());
        let reader = builder.from_reader(file, self.journey)?;
        let mut state = init();
        let (result, _) = reader.read_block(|batch| each(&mut state, batch));
        Ok(vec![result.map(|summary| BlockPart { state, summary })])
    }

    /// Reads every span on the threads, each into a fresh state; the reads
    /// come back in span order.
    fn read_spans<S, I, F>(
        &self,
        path: &Path,
        header: &[u8],
        builder: &ResponseReaderBuilder,
        spans: &[Span],
        init: &I,
        each: &F,
    ) -> Vec<BlockRead<S>>
    where
        S: Send,
        I: Fn() -> S + Sync,
        F: Fn(&mut S, &ObservationBatch) + Sync,
    {
        let read_one = |span: &Span| -> BlockRead<S> {
            let reader = open(path).and_then(|mut file| {
                file.seek(SeekFrom::Start(span.start))
                    .map_err(|e| io_error(path, &e))?;
                let body = file.take(span.end - span.start);
                let input = std::io::Cursor::new(header).chain(body);
                let mut builder = builder.clone();
                builder.settings.line_offset = span.line_offset;
                builder.settings.record_offset = span.record_offset;
                builder.from_reader(input, self.journey)
            });
            match reader {
                Err(error) => (Err(error), None),
                Ok(reader) => {
                    let mut state = init();
                    let (result, end) = reader.read_block(|batch| each(&mut state, batch));
                    (result.map(|summary| (state, summary)), Some(end))
                }
            }
        };
        let next = AtomicUsize::new(0);
        let slots: Mutex<Vec<Option<BlockRead<S>>>> =
            Mutex::new(spans.iter().map(|_| None).collect());
        std::thread::scope(|scope| {
            for _ in 0..self.threads.clamp(1, spans.len().max(1)) {
                scope.spawn(|| {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(span) = spans.get(index) else {
                            break;
                        };
                        let read = read_one(span);
                        if let Ok(mut slots) = slots.lock()
                            && let Some(slot) = slots.get_mut(index)
                        {
                            *slot = Some(read);
                        }
                    }
                });
            }
        });
        let stopped = || {
            (
                Err(Context::csv_file(path).fatal(
                    ErrorKind::Io,
                    "a reading thread stopped before its block was read",
                )),
                None,
            )
        };
        slots
            .into_inner()
            .map(|slots| {
                slots
                    .into_iter()
                    .map(|slot| slot.unwrap_or_else(stopped))
                    .collect()
            })
            .unwrap_or_else(|_| spans.iter().map(|_| stopped()).collect())
    }
}

/// Checks each guessed cut, in file order, and numbers each block's lines
/// and records as in the whole file; `None` if a block ended inside a
/// record, so that its cut (and every later one) cannot be trusted.
fn place_checked<S>(
    reads: Vec<BlockRead<S>>,
    header_breaks: u64,
) -> Option<Vec<Result<BlockPart<S>, Error>>> {
    let (mut lines, mut records) = (0u64, 0u64);
    let last = reads.len().saturating_sub(1);
    let mut parts = Vec::with_capacity(reads.len());
    for (index, (result, end)) in reads.into_iter().enumerate() {
        // A record cut short by a wrong guess reads wrong, error or not.
        let cut_short = end.is_some_and(|end| !end.at_record_end);
        if index < last && cut_short {
            return None;
        }
        match result {
            // Every earlier cut was checked, so this block starts where a
            // record does, and the record with its first error was whole:
            // the error is the file's.
            Err(mut error) => {
                error.shift(lines, records);
                parts.push(Err(error));
                break;
            }
            Ok((state, mut summary)) => {
                let end = end?;
                for example in &mut summary.examples {
                    example.shift(lines, records);
                }
                lines += end.line_breaks.saturating_sub(header_breaks);
                records += summary.records_read;
                parts.push(Ok(BlockPart { state, summary }));
            }
        }
    }
    Some(parts)
}

/// Cuts the file after its header into spans of about `block_bytes`,
/// reading only a window around each cut.
fn guess_cuts(
    file: &mut File,
    header: &Header,
    file_bytes: u64,
    block_bytes: u64,
) -> std::io::Result<Vec<(u64, u64)>> {
    let mut spans = Vec::new();
    let mut start = (header.bytes.len() as u64).min(file_bytes);
    let mut window = Vec::new();
    loop {
        let target = start.saturating_add(block_bytes.max(1));
        let end = if target >= file_bytes {
            file_bytes
        } else {
            find_cut(file, header, (start, target, file_bytes), &mut window)?.unwrap_or(file_bytes)
        };
        spans.push((start, end));
        if end >= file_bytes {
            return Ok(spans);
        }
        start = end;
    }
}

/// How far the window around a cut reaches at most on either side: lines
/// longer than this (over-long records, rejected when read) are slid past
/// rather than held.
const MAX_CUT_REACH: u64 = 1024 * 1024;

/// The first line start at or after `target` where a block may begin, or
/// `None` if there is none before the end of the file. The window read
/// around `target` doubles until it holds one, up to [`MAX_CUT_REACH`] on
/// either side; then it slides on, so that a line of any length costs at
/// most twice that in memory.
fn find_cut(
    file: &mut File,
    header: &Header,
    (start, mut target, file_bytes): (u64, u64, u64),
    window: &mut Vec<u8>,
) -> std::io::Result<Option<u64>> {
    let mut reach: u64 = 64 * 1024;
    loop {
        // Back a little, to see the whole line before the cut.
        let from = target.saturating_sub(reach).max(start);
        let to = target.saturating_add(reach).min(file_bytes);
        file.seek(SeekFrom::Start(from))?;
        window.clear();
        file.by_ref().take(to - from).read_to_end(window)?;
        // Whole lines only: skip the one `from` falls inside.
        let mut line_start = if from == start {
            Some(0)
        } else {
            memchr::memchr(b'\n', window).map(|at| at + 1)
        };
        let mut previous: Option<(usize, usize)> = None;
        while let Some(begin) = line_start.filter(|&begin| begin < window.len()) {
            let Some(length) = memchr::memchr(b'\n', &window[begin..]) else {
                break;
            };
            let end = begin + length + 1;
            if let Some((before, after)) = previous
                && from + begin as u64 >= target
                && header.may_cut_between(&window[before..after], &window[begin..end])
            {
                return Ok(Some(from + begin as u64));
            }
            previous = Some((begin, end));
            line_start = Some(end);
        }
        if from == start && to == file_bytes {
            return Ok(None);
        }
        if reach < MAX_CUT_REACH {
            reach = reach.saturating_mul(2);
        } else if to == file_bytes {
            return Ok(None);
        } else {
            target = to;
        }
    }
}
