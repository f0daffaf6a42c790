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
    let mut tokenizer = Tokenizer::new(Box::new(OneChunk(Some(b"a,b\nc,d\n"))), Some(b','), 100)
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
