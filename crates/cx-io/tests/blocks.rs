//! Reading a CSV file in blocks gives what one pass gives: the same records,
//! the same outcomes, and errors at the same lines of the whole file.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cx_io::{
    CsvBlocks, Error, ErrorPolicy, JourneyFile, ParallelCsv, Record, ResponseReader,
    ResponseReaderBuilder,
};
use cx_model::{Observation, ObservationBatch, Outcome};

fn journey() -> JourneyFile {
    cx_io::sample::retail_journey().unwrap()
}

/// A long file with respondents of several rows, outcome columns on varying
/// rows, quoted comments with delimiters and line breaks, bad rows, and
/// rows that conflict with a respondent's earlier answers.
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
        // A row that contradicts the respondent's likelihood: an error
        // found while gathering the outcome, which must be placed in the
        // whole file like any other.
        if r % 13 == 7 {
            text.push_str(&format!("R{r},website,3,,,{}\n", (r + 1) % 11));
        }
    }
    text
}

fn read_all(reader: ResponseReader<'_>) -> (Vec<Record>, Vec<Error>) {
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

/// Header names match in any case, for the cuts too: a block that cut a
/// respondent's rows would split its outcome.
#[test]
fn blocks_read_like_one_pass_with_a_header_in_another_case() {
    let header = "Respondent_ID,TOUCHPOINT,Reality,Comment,Would_Return,likelihood_to_recommend\n";
    blocks_read_like_one_pass_with(header, "cased");
}

fn blocks_read_like_one_pass_with(header: &str, name: &str) {
    let path = std::env::temp_dir().join(format!("cx-blocks-{name}-{}.csv", std::process::id()));
    std::fs::write(&path, file(header)).unwrap();
    let journey = journey();
    let (whole, whole_errors) = read_all(
        ResponseReaderBuilder::new()
            .from_path(&path, &journey)
            .unwrap(),
    );
    assert!(!whole_errors.is_empty());
    assert!(
        whole_errors
            .iter()
            .any(|e| *e.kind() == cx_io::ErrorKind::ConflictingAnswer)
    );
    for block_bytes in [1, 50, 100, 333, 1000, 1 << 20] {
        let blocks = CsvBlocks::scan(&path, block_bytes, None).unwrap();
        if block_bytes == 1 {
            assert!(blocks.blocks().len() > 50, "small blocks cut often");
        }
        let (mut records, mut errors) = (Vec::new(), Vec::new());
        for block in blocks.blocks() {
            let (r, e) = read_all(
                blocks
                    .reader(block, &journey, &ResponseReaderBuilder::new())
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
    let summary = ResponseReaderBuilder::new()
        .error_policy(ErrorPolicy::Lenient)
        .from_path(&path, &journey)
        .unwrap()
        .read_all(|_| {})
        .unwrap();
    let blocks = CsvBlocks::scan(&path, 100, None).unwrap();
    let mut merged = cx_io::ReadSummary::default();
    for block in blocks.blocks() {
        let part = blocks
            .reader(
                block,
                &journey,
                ResponseReaderBuilder::new().error_policy(ErrorPolicy::Lenient),
            )
            .unwrap()
            .read_all(|_| {})
            .unwrap();
        merged.merge(part, 10);
    }
    assert_eq!(merged, summary);
    std::fs::remove_file(&path).unwrap();
}

/// The observations and the outcomes read, each in file order. A batch
/// holds its outcomes apart from its observations, so a parallel read is
/// compared with one pass on each list.
type Read = (Vec<Observation>, Vec<Outcome>);

/// Everything a parallel read hands out, merged in file order: the
/// observations and outcomes of each block's batches, and the merged
/// summary (or the first error).
fn read_parallel(
    path: &std::path::Path,
    policy: ErrorPolicy,
    threads: usize,
    block_bytes: u64,
) -> Result<(Read, cx_io::ReadSummary), Error> {
    let journey = journey();
    let parts = ParallelCsv::new(&journey, ResponseReaderBuilder::new().error_policy(policy))
        .threads(threads)
        .block_bytes(block_bytes)
        .read(
            path,
            Read::default,
            |read: &mut Read, batch: &ObservationBatch| {
                for row in 0..batch.len() {
                    read.0
                        .push(batch.to_observation(row, &journey.journey).unwrap());
                }
                read.1.extend_from_slice(batch.outcomes());
            },
        )?;
    let (mut read, mut summary) = (Read::default(), cx_io::ReadSummary::default());
    for part in parts {
        let part = part?;
        read.0.extend(part.state.0);
        read.1.extend(part.state.1);
        summary.merge(part.summary, 10);
    }
    Ok((read, summary))
}

/// One pass over the file, as the parallel read must see it.
fn read_whole(
    path: &std::path::Path,
    policy: ErrorPolicy,
) -> Result<(Read, cx_io::ReadSummary), Error> {
    let journey = journey();
    let mut read = Read::default();
    let summary = ResponseReaderBuilder::new()
        .error_policy(policy)
        .from_path(path, &journey)
        .unwrap()
        .read_all(|record| match record {
            Record::Observation(observation) => read.0.push(observation),
            Record::Outcome(outcome) => read.1.push(outcome),
        })?;
    Ok((read, summary))
}

/// Guessed cuts (a file without line breaks in quotes) and cuts that had
/// to be made again (with them) both read like one pass: records, counts,
/// error examples at their lines in the whole file, and under the strict
/// policy the same first error, at any thread count.
#[test]
fn parallel_reads_read_like_one_pass() {
    let with_breaks = file(HEADER);
    let without_breaks = with_breaks.replace("\nthen\nyes", " then yes");
    // Lines inside quotes that look like rows of other respondents: a cut
    // guessed there ends a block inside a record, and must be made again.
    let looking_like_rows = with_breaks.replace(
        "\"late, very late\"",
        "\"late\nX1,website,5\nX2,website,5\nX3,cashier,1\nvery late\"",
    );
    assert_ne!(looking_like_rows, with_breaks);
    for (name, text) in [
        ("breaks", with_breaks),
        ("no-breaks", without_breaks),
        ("like-rows", looking_like_rows),
    ] {
        let path =
            std::env::temp_dir().join(format!("cx-parallel-{name}-{}.csv", std::process::id()));
        std::fs::write(&path, &text).unwrap();
        for policy in [ErrorPolicy::Lenient, ErrorPolicy::Strict] {
            let whole = read_whole(&path, policy);
            for block_bytes in [1, 37, 100, 333, 1000, 1 << 20] {
                for threads in [1, 3] {
                    let parallel = read_parallel(&path, policy, threads, block_bytes);
                    assert_eq!(
                        parallel, whole,
                        "{name}, {policy:?}, {block_bytes} bytes, {threads} threads"
                    );
                }
            }
        }
        std::fs::remove_file(&path).unwrap();
    }
}

/// A header-only file and a file that does not end in a line break.
#[test]
fn parallel_reads_of_edge_files() {
    for (name, text) in [
        ("header-only", HEADER.to_owned()),
        (
            "no-final-break",
            format!("{HEADER}r1,website,4,,yes,9\nr2,cashier,2,,,"),
        ),
        (
            "blank-lines",
            format!("{HEADER}\n\nr1,website,4,,yes,9\n\nr1,cashier,3,,,\n\n"),
        ),
        // Lines longer than the 1 MiB a cut's window reaches: it slides past.
        (
            "long-lines",
            format!(
                "{HEADER}r1,website,4,,yes,9\nr2,cashier,{},,,\nr3,cashier,{},,,\nr4,website,5,,no,3\n",
                "9".repeat(3 << 20),
                "8".repeat(3 << 20)
            ),
        ),
        (
            "leading-blank-lines",
            format!("\n\n{HEADER}r1,website,4,,yes,9\n"),
        ),
    ] {
        let path =
            std::env::temp_dir().join(format!("cx-parallel-{name}-{}.csv", std::process::id()));
        std::fs::write(&path, &text).unwrap();
        for block_bytes in [1, 5, 1 << 20] {
            assert_eq!(
                read_parallel(&path, ErrorPolicy::Lenient, 2, block_bytes),
                read_whole(&path, ErrorPolicy::Lenient),
                "{name}, {block_bytes} bytes"
            );
        }
        std::fs::remove_file(&path).unwrap();
    }
}
