//! What a byte stream holds before it is parsed: gzip is unpacked, UTF-16
//! is named rather than misread.

use std::io::{BufRead, BufReader, Read};

use flate2::bufread::MultiGzDecoder;

use crate::error::{Error, ErrorKind};
use crate::source::Context;

/// The first bytes of a gzip member.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Whether a stream that starts with `first` is text to parse as it is:
/// not gzip, not UTF-16 (both need [`decoded`] first).
pub(crate) fn is_plain(first: &[u8]) -> bool {
    !(first.starts_with(&GZIP_MAGIC) || utf16(first).is_some())
}

/// Which UTF-16 a byte order mark at the start of `first` names.
fn utf16(first: &[u8]) -> Option<&'static str> {
    match first {
        [0xff, 0xfe, ..] => Some("UTF-16 little-endian"),
        [0xfe, 0xff, ..] => Some("UTF-16 big-endian"),
        _ => None,
    }
}

/// `input` as the text to parse: gzip (by its magic bytes, whatever the
/// file is called; several members read as one) is unpacked on the fly,
/// anything else passed through.
///
/// # Errors
///
/// A fatal [`ErrorKind::InvalidUtf8`] for UTF-16 (by its byte order mark),
/// before or after unpacking; [`ErrorKind::Io`] if the first bytes cannot
/// be read.
pub(crate) fn decoded<'r>(
    input: Box<dyn Read + 'r>,
    context: &Context,
) -> Result<Box<dyn Read + 'r>, Error> {
    let mut buffered = BufReader::new(input);
    let first = buffered
        .fill_buf()
        .map_err(|error| context.fatal(ErrorKind::Io, format!("cannot read: {error}")))?;
    if first.starts_with(&GZIP_MAGIC) {
        let unpacked = BufReader::new(MultiGzDecoder::new(buffered));
        return refuse_utf16(unpacked, context);
    }
    refuse_utf16(buffered, context)
}

fn refuse_utf16<'r>(
    mut input: impl BufRead + 'r,
    context: &Context,
) -> Result<Box<dyn Read + 'r>, Error> {
    let first = input
        .fill_buf()
        .map_err(|error| context.fatal(ErrorKind::Io, format!("cannot read: {error}")))?;
    match utf16(first) {
        Some(encoding) => Err(context.fatal(
            ErrorKind::InvalidUtf8,
            format!(
                "the file is {encoding} (by its byte order mark); cx reads UTF-8: convert it first, for example with `iconv -f UTF-16 -t UTF-8`"
            ),
        )),
        None => Ok(Box::new(input)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::io::Write;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use crate::{ErrorKind, ParallelCsv, ResponseReaderBuilder, sample};

    const CSV: &str =
        "respondent_id,touchpoint,reality\nr1,website,4\nr1,cashier,2\nr2,website,5\n";

    fn gzip(parts: &[&[u8]]) -> Vec<u8> {
        // Several members, as `cat a.gz b.gz` makes: read as one stream.
        parts
            .iter()
            .flat_map(|part| {
                let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
                encoder.write_all(part).unwrap();
                encoder.finish().unwrap()
            })
            .collect()
    }

    fn realities(input: &[u8], name: &str) -> Vec<f64> {
        let journey = sample::retail_journey().unwrap();
        let mut reader = ResponseReaderBuilder::new()
            .name(name)
            .from_reader(input, &journey)
            .unwrap();
        let mut batch = cx_model::ObservationBatch::new();
        let mut realities = Vec::new();
        while reader.read_batch(&mut batch).unwrap() {
            realities.extend_from_slice(batch.realities());
        }
        realities
    }

    #[test]
    fn gzip_is_read_as_the_text_it_holds() {
        let (head, tail) = CSV.split_at(50);
        let packed = gzip(&[head.as_bytes(), tail.as_bytes()]);
        assert_eq!(realities(&packed, "survey.csv.gz"), [4.0, 2.0, 5.0]);
        // Known by its bytes, whatever the name says.
        assert_eq!(realities(&packed, "survey.csv"), [4.0, 2.0, 5.0]);
        assert_eq!(realities(CSV.as_bytes(), "survey.csv"), [4.0, 2.0, 5.0]);
    }

    #[test]
    fn utf16_is_named() {
        let journey = sample::retail_journey().unwrap();
        for (bom, encoding) in [([0xff, 0xfe], "little"), ([0xfe, 0xff], "big")] {
            let mut input = bom.to_vec();
            input.extend(CSV.bytes().flat_map(|b| [b, 0]));
            for bytes in [input.clone(), gzip(&[&input])] {
                let error = ResponseReaderBuilder::new()
                    .name("export.csv")
                    .from_reader(bytes.as_slice(), &journey)
                    .unwrap_err();
                assert_eq!(*error.kind(), ErrorKind::InvalidUtf8);
                let message = error.to_string();
                assert!(
                    message.starts_with("export.csv: the file is UTF-16 "),
                    "{message}"
                );
                assert!(message.contains(encoding) || bytes[0] == 0x1f, "{message}");
            }
        }
    }

    /// A compressed file is read whole, in one part, to the same figures.
    #[test]
    fn parallel_reads_of_compressed_files_are_one_part() {
        let journey = sample::retail_journey().unwrap();
        let path = std::env::temp_dir().join(format!("cx-stream-{}.csv.gz", std::process::id()));
        std::fs::write(&path, gzip(&[CSV.as_bytes()])).unwrap();
        let parts = ParallelCsv::new(&journey, &ResponseReaderBuilder::new())
            .threads(2)
            .block_bytes(8)
            .read(&path, Vec::new, |seen: &mut Vec<f64>, batch| {
                seen.extend_from_slice(batch.realities());
            })
            .unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(parts.len(), 1);
        let part = parts.into_iter().next().unwrap().unwrap();
        assert_eq!(part.state, [4.0, 2.0, 5.0]);
        assert_eq!(part.summary.records_read, 3);
    }
}
