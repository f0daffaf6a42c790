//! Reading a CSV file in blocks gives what one pass gives: the same records,
//! the same outcomes, and errors at the same lines of the whole file.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cx_io::{CsvBlocks, ErrorPolicy, JourneyFile, ReadError, ReadOptions, Record, ResponseReader};

fn journey() -> JourneyFile {
    cx_io::sample::retail_journey().unwrap()
}

/// A long file with respondents of several rows, outcome columns on varying
/// rows, quoted comments with delimiters and line breaks, and bad rows.
fn file(header: &str) -> String {
    let mut text = String::from(header);
    for r in 0..120 {
        let rows = 1 + r % 4;
        for k in 0..rows {
            let touchpoint = ["shop_window", "website", "cashier", "delivery"][k];
            let reality = if r % 17 == 5 && k == 0 {
                "seven".to_owned()
            } else {
                (1 + (r + k) % 5).to_string()
            };
            let comment = match r % 9 {
                0 => "\"late, very late\"",
                3 => "\"said \"\"no\"\"\nthen\nyes\"",
                _ => "",
            };
            // The answer on a respondent's first row, the likelihood on the
            // last: a cut inside a respondent would split the outcome in two.
            let answer = if k == 0 {
                if r % 2 == 0 { "yes" } else { "no" }
            } else {
                ""
            };
            let likelihood = if k + 1 == rows {
                (r % 11).to_string()
            } else {
                String::new()
            };
            text.push_str(&format!(
                "R{r},{touchpoint},{reality},{comment},{answer},{likelihood}\n"
            ));
        }
    }
    text
}

fn read_all(reader: ResponseReader<'_>) -> (Vec<Record>, Vec<ReadError>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for item in reader {
        match item {
            Ok(record) => records.push(record),
            Err(error) => errors.push(error),
        }
    }
    (records, errors)
}

const HEADER: &str =
    "respondent_id,touchpoint,reality,comment,would_return,likelihood_to_recommend\n";

#[test]
fn blocks_read_like_one_pass() {
    blocks_read_like_one_pass_with(HEADER, "plain");
}

/// Many exports quote every header name; the respondent column must still be
/// found, so that no block cuts a respondent's rows.
#[test]
fn blocks_read_like_one_pass_with_a_quoted_header() {
    let quoted: String = HEADER
        .trim_end()
        .split(',')
        .map(|name| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(",");
    blocks_read_like_one_pass_with(&format!("\u{FEFF}{quoted}\r\n"), "quoted");
}

fn blocks_read_like_one_pass_with(header: &str, name: &str) {
    let path = std::env::temp_dir().join(format!("cx-blocks-{name}-{}.csv", std::process::id()));
    std::fs::write(&path, file(header)).unwrap();
    let journey = journey();
    let (whole, whole_errors) =
        read_all(ResponseReader::open(&path, &journey, ReadOptions::default()).unwrap());
    assert!(!whole_errors.is_empty());
    for block_bytes in [1, 50, 100, 333, 1000, 1 << 20] {
        let blocks = CsvBlocks::scan(&path, block_bytes, None).unwrap();
        if block_bytes == 1 {
            assert!(blocks.blocks().len() > 50, "small blocks cut often");
        }
        let (mut records, mut errors) = (Vec::new(), Vec::new());
        for block in blocks.blocks() {
            let (r, e) = read_all(
                blocks
                    .reader(block, &journey, ReadOptions::default())
                    .unwrap(),
            );
            records.extend(r);
            errors.extend(e);
        }
        assert_eq!(records, whole, "block size {block_bytes}");
        assert_eq!(errors, whole_errors, "block size {block_bytes}");
        // Blocks tile the file.
        let spans: Vec<_> = blocks
            .blocks()
            .windows(2)
            .map(|w| (w[0].end, w[1].start))
            .collect();
        assert!(spans.iter().all(|(end, start)| end == start));
    }
    let summary = ResponseReader::open(&path, &journey, ReadOptions::default())
        .unwrap()
        .read_all(ErrorPolicy::Lenient, |_| {})
        .unwrap();
    let blocks = CsvBlocks::scan(&path, 100, None).unwrap();
    let mut merged = cx_io::ReadSummary::default();
    for block in blocks.blocks() {
        let part = blocks
            .reader(block, &journey, ReadOptions::default())
            .unwrap()
            .read_all(ErrorPolicy::Lenient, |_| {})
            .unwrap();
        merged.merge(part, 10);
    }
    assert_eq!(merged, summary);
    std::fs::remove_file(&path).unwrap();
}
