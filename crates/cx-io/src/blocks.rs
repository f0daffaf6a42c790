//! Splitting a CSV file into blocks that can be read in parallel.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::{Naming, ReadError, ReadErrorKind};
use crate::journey_file::JourneyFile;
use crate::responses::{ReadOptions, ResponseReader, columns};
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
#[derive(Debug, Clone)]
pub struct CsvBlocks {
    path: PathBuf,
    header: Vec<u8>,
    blocks: Vec<Block>,
}

fn io_error(path: &Path, error: &std::io::Error) -> ReadError {
    Context {
        file: path.display().to_string(),
        naming: Naming::Column,
    }
    .fatal(ReadErrorKind::Io, format!("cannot read: {error}"))
}

/// Opens a file with the same message as [`ResponseReader::open`].
fn open(path: &Path) -> Result<File, ReadError> {
    File::open(path).map_err(|error| {
        Context {
            file: path.display().to_string(),
            naming: Naming::Column,
        }
        .fatal(ReadErrorKind::Io, format!("cannot open: {error}"))
    })
}

/// The respondent field of a line without quotes; `None` for a line with
/// quotes (the cut then moves on to the next line).
fn respondent_field(line: &[u8], delimiter: u8, column: usize) -> Option<&[u8]> {
    if line.contains(&b'"') {
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
    /// A fatal [`ReadError`] if the file cannot be read or has no header.
    pub fn scan(
        path: impl AsRef<Path>,
        block_bytes: u64,
        delimiter: Option<u8>,
    ) -> Result<Self, ReadError> {
        let path = path.as_ref();
        let file = open(path)?;
        let mut input = BufReader::with_capacity(1 << 20, file);
        // The header record: up to the first line break outside quotes.
        let mut header = Vec::new();
        loop {
            let read = input
                .read_until(b'\n', &mut header)
                .map_err(|e| io_error(path, &e))?;
            let quotes = header.iter().filter(|&&b| b == b'"').count();
            if read == 0 || quotes % 2 == 0 {
                break;
            }
        }
        // Named as the reader names them: quotes, BOM and blanks taken off.
        let (delimiter, names) = {
            let mut tokenizer = Tokenizer::new(Box::new(header.as_slice()), delimiter, usize::MAX)
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
            (tokenizer.delimiter(), names)
        };
        let is_long = names.iter().any(|n| n == columns::TOUCHPOINT);
        let respondent_column = is_long
            .then(|| names.iter().position(|n| n == columns::RESPONDENT_ID))
            .flatten();

        let mut blocks = Vec::new();
        let mut offset = header.len() as u64;
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
            if at_record_start && want_cut {
                let boundary = match respondent_column {
                    None => true,
                    Some(column) => match (
                        respondent_field(&previous, delimiter, column),
                        respondent_field(&line, delimiter, column),
                    ) {
                        (Some(before), Some(now)) => before != now,
                        _ => false,
                    },
                };
                if boundary {
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
            header,
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
    /// As [`ResponseReader::open`].
    pub fn reader(
        &self,
        block: &Block,
        journey: &JourneyFile,
        options: ReadOptions,
    ) -> Result<ResponseReader<'static>, ReadError> {
        let mut file = open(&self.path)?;
        file.seek(SeekFrom::Start(block.start))
            .map_err(|e| io_error(&self.path, &e))?;
        let body = file.take(block.end - block.start);
        let input = std::io::Cursor::new(self.header.clone()).chain(body);
        let options = ReadOptions {
            // The header stands in as line 1 of each block.
            line_offset: block.lines_before - 1,
            record_offset: block.records_before,
            ..options
        };
        ResponseReader::from_reader(input, &self.path.display().to_string(), journey, options)
    }
}
