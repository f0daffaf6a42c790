//! `cx` at the edges (issue 19): outputs written whole or not at all, and
//! write failures that exit 1 with a message instead of a panic.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::process::{Command, Stdio};

mod common;
use common::{SAMPLE, SAMPLE_JOURNEY, cx, root, sample_out_of_order, sh, temp_dir};

/// A full disk on standard output: exit 1 and the reason, for a command
/// that prints a report and for one that prints a line at the end.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_exit_1_with_the_reason() {
    let dir = temp_dir("full");
    let out = dir.to_string_lossy().into_owned();
    for args in [
        vec!["score", SAMPLE, "--journey", SAMPLE_JOURNEY],
        vec!["sample", "--output", out.as_str(), "--respondents", "5"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_cx"))
            .args(&args)
            .current_dir(root())
            .stdout(fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cx: cannot write to standard output: No space left on device"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    fs::remove_dir_all(&dir).unwrap();
}

/// A reader that has gone away (`cx score | head -c0`): exit 1 and the
/// reason, not a panic.
#[test]
fn a_closed_pipe_is_exit_1_with_the_reason() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cx"))
        .args(["score", SAMPLE, "--journey", SAMPLE_JOURNEY])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Closed before cx has read its input, so its one write finds no reader.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cx: cannot write to standard output: Broken pipe"),
        "{stderr}"
    );
}

/// `-o` over a file replaces it whole, through a temporary file that does
/// not stay behind; a file that cannot be written is exit 1 naming it, and
/// the old file is kept.
#[test]
fn output_files_are_replaced_whole_or_kept() {
    let dir = temp_dir("atomic");
    let card = dir.join("card.json");
    fs::write(&card, "the old scorecard").unwrap();
    let card_arg = card.to_string_lossy().into_owned();
    let output = cx(&[
        "score",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "-o",
        &card_arg,
    ]);
    assert_eq!(output.status.code(), Some(0));
    let written: serde_json::Value = serde_json::from_slice(&fs::read(&card).unwrap()).unwrap();
    assert_eq!(written["schema"], "cx.scorecard/2");
    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["card.json"]);

    // A folder where the file should go: the rename fails, nothing is lost.
    let taken = dir.join("taken.json");
    fs::create_dir(&taken).unwrap();
    fs::write(taken.join("inside"), "kept").unwrap();
    let taken_arg = taken.to_string_lossy().into_owned();
    let output = cx(&[
        "score",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "-o",
        &taken_arg,
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("{taken_arg}: cannot write: ")),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(taken.join("inside")).unwrap(), "kept");
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 2);
    fs::remove_dir_all(&dir).unwrap();
}

/// Every record rejected (here: touchpoints the journey does not have) is
/// exit 1 with the most common reason in every command that scores, even
/// with `--max-rejected 100%`; `cx report` writes no page.
#[test]
fn every_record_rejected_is_exit_1() {
    let dir = temp_dir("all-rejected");
    let responses = dir.join("moon.csv");
    let mut text = String::from("respondent_id,touchpoint,reality,expectation\n");
    for respondent in 0..40 {
        text.push_str(&format!("r{respondent},moon,4,3\n"));
    }
    fs::write(&responses, text).unwrap();
    let responses = responses.to_string_lossy().into_owned();
    let page = dir.join("map.html").to_string_lossy().into_owned();
    for command in [
        vec!["score"],
        vec!["score", "--max-rejected", "100%"],
        vec!["report", "-o", page.as_str()],
        vec!["compare", "--bootstrap", "0"],
        vec!["drivers", "--bootstrap", "0"],
        vec!["diff", "--by", "month"],
    ] {
        let mut args = vec![command[0], responses.as_str(), "--journey", SAMPLE_JOURNEY];
        args.extend_from_slice(&command[1..]);
        let output = cx(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(
                "moon.csv: every record was rejected (40); most often unknown_touchpoint (40)"
            ),
            "{args:?}: {stderr}"
        );
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    assert!(!dir.join("map.html").exists());
    fs::remove_dir_all(&dir).unwrap();
}

/// The sample's JSON scorecard, read from its file on every core: what the
/// streams below must give to the byte.
fn sample_card() -> Vec<u8> {
    let output = cx(&[
        "score",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0));
    output.stdout
}

/// `-`, `/dev/stdin`, a named pipe and a gzip file all read, on one
/// thread, to the scorecard of the plain file.
#[cfg(unix)]
#[test]
fn streams_and_compressed_files_score_as_the_file() {
    let expected = sample_card();
    let dir = temp_dir("streams");
    let fifo = dir.join("responses.fifo");
    let gz = dir.join("responses.csv.gz");
    let bytes = fs::read(root().join(SAMPLE)).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &bytes).unwrap();
    fs::write(&gz, encoder.finish().unwrap()).unwrap();
    let score = format!("--journey {SAMPLE_JOURNEY} --format json");
    for script in [
        format!("\"$CX\" score - {score} < {SAMPLE}"),
        format!("cat {SAMPLE} | \"$CX\" score /dev/stdin {score}"),
        format!(
            "mkfifo {fifo} && (cat {SAMPLE} > {fifo} &) && \"$CX\" score {fifo} {score}",
            fifo = fifo.display()
        ),
        format!("\"$CX\" score {} {score} --threads 2", gz.display()),
    ] {
        let output = sh(&script);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{script}: {stderr}");
        assert!(output.stdout == expected, "{script}: a different scorecard");
    }
    // Standard input in another format, named by --input-format.
    let ndjson = "{\"respondent_id\":\"r1\",\"touchpoint\":\"cashier\",\"reality\":4}\n";
    let output = sh(&format!(
        "printf '%s' '{ndjson}' | \"$CX\" score - --journey {SAMPLE_JOURNEY} --input-format ndjson --format json"
    ));
    assert_eq!(output.status.code(), Some(0));
    let card: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(card["counts"]["observations"]["accepted"], 1);
    fs::remove_dir_all(&dir).unwrap();
}

/// A UTF-16 export is refused by name, with what to do.
#[test]
fn utf16_is_refused_by_name() {
    let dir = temp_dir("utf16");
    let path = dir.join("export.csv");
    let text = fs::read_to_string(root().join(SAMPLE)).unwrap();
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(&path, bytes).unwrap();
    let output = cx(&["score", path.to_str().unwrap(), "--journey", SAMPLE_JOURNEY]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains(
            "export.csv: the file is UTF-16 little-endian (by its byte order mark); cx reads UTF-8"
        ),
        "{stderr}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// An empty file, blank lines and a header without rows: exit 1 with the
/// line (the last one read) and what was expected.
#[test]
fn empty_inputs_are_located() {
    let dir = temp_dir("empty");
    for (name, text, message) in [
        (
            "empty.csv",
            "",
            "empty.csv:1: the file is empty; expected a header line of column names",
        ),
        (
            "blank.csv",
            "\n\r\n\n",
            "blank.csv:3: no header line (lines 1 to 3 are blank); expected column names",
        ),
        (
            "spaces.csv",
            "  \n",
            "spaces.csv:1: the header line is blank; expected column names",
        ),
        (
            "header.csv",
            "respondent_id,touchpoint,reality\n",
            "header.csv: no records to score",
        ),
        ("empty.ndjson", "", "empty.ndjson: no records to score"),
    ] {
        let path = dir.join(name);
        fs::write(&path, text).unwrap();
        let output = cx(&["score", path.to_str().unwrap(), "--journey", SAMPLE_JOURNEY]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(message), "{name}: {stderr}");
    }
    // Blank lines before the header are passed over, on every core as on one.
    let path = dir.join("leading.csv");
    fs::write(
        &path,
        "\n\nrespondent_id,touchpoint,reality\nr1,cashier,4\n",
    )
    .unwrap();
    let output = cx(&[
        "score",
        path.to_str().unwrap(),
        "--journey",
        SAMPLE_JOURNEY,
        "--format",
        "json",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let card: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(card["counts"]["observations"]["accepted"], 1);
    fs::remove_dir_all(&dir).unwrap();
}

/// A header of 100,000 columns, of which cx reads three, on two threads in
/// small blocks, so that the parts' summaries are merged: every unread
/// column is listed once, in header order. (Merging the lists took time
/// in the square of the columns: 12 s for this file; now linear, 0.2 s,
/// README.)
#[test]
fn a_wide_header_is_read_in_linear_time() {
    let dir = temp_dir("wide");
    let path = dir.join("wide.csv");
    let columns = 100_000;
    let mut text = String::from("respondent_id,touchpoint,reality");
    for column in 0..columns {
        text.push_str(&format!(",c{column}"));
    }
    text.push('\n');
    let blanks = ",".repeat(columns);
    for respondent in 0..50 {
        text.push_str(&format!("r{respondent},cashier,4{blanks}\n"));
    }
    fs::write(&path, text).unwrap();
    let output = cx(&[
        "validate",
        path.to_str().unwrap(),
        "--journey",
        SAMPLE_JOURNEY,
        "--threads",
        "2",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("records read 50 = accepted 50 + rejected 0"),
        "{stdout}"
    );
    let unread = stdout
        .lines()
        .find_map(|line| line.strip_prefix("columns not read: "))
        .unwrap();
    let names: Vec<&str> = unread.split(", ").collect();
    assert_eq!(names.len(), columns);
    assert_eq!((names[0], names[columns - 1]), ("c0", "c99999"));
    fs::remove_dir_all(&dir).unwrap();
}

/// `compare` and `drivers` hold every respondent in memory, up to
/// `--max-respondents`: past it they stop with an error that says how to
/// go on, instead of growing until the machine swaps.
#[test]
fn research_commands_hold_at_most_max_respondents() {
    for command in ["compare", "drivers"] {
        let output = cx(&[
            command,
            SAMPLE,
            "--journey",
            SAMPLE_JOURNEY,
            "--bootstrap",
            "0",
            "--max-respondents",
            "100",
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{command}: {stderr}");
        assert!(
            stderr.contains(
                "more than 100 respondents, the most --max-respondents holds in memory; raise it"
            ),
            "{command}: {stderr}"
        );
        // The sample's 800 fit under the default.
        let output = cx(&[
            command,
            SAMPLE,
            "--journey",
            SAMPLE_JOURNEY,
            "--bootstrap",
            "0",
            "--max-respondents",
            "800",
        ]);
        assert_eq!(output.status.code(), Some(0), "{command}");
    }
}

/// A file whose respondents' rows are not together (the sample with its
/// first respondent's second row moved to the end, and the sample twice over)
/// is read again holding every respondent, with a note on stderr: the
/// scorecard is `--scattered`'s, to the byte, and counts each respondent
/// once. Streams, which cannot be read again, are the next test's.
#[test]
fn respondents_whose_rows_come_back_are_never_counted_twice() {
    let dir = temp_dir("runs");
    let (split, twice) = sample_out_of_order(&dir);
    let sample = cx(&[
        "score",
        SAMPLE,
        "--journey",
        SAMPLE_JOURNEY,
        "--format",
        "json",
    ]);
    let sample: serde_json::Value = serde_json::from_slice(&sample.stdout).unwrap();
    for (path, repeated) in [(&split, "1 respondent"), (&twice, "800 respondents")] {
        let path = path.to_str().unwrap();
        let json = ["--journey", SAMPLE_JOURNEY, "--format", "json"];
        let read = |extra: &[&str]| {
            let mut args = vec!["score", path];
            args.extend_from_slice(&json);
            args.extend_from_slice(extra);
            cx(&args)
        };
        let (contiguous, scattered) = (read(&[]), read(&["--scattered"]));
        let stderr = String::from_utf8_lossy(&contiguous.stderr);
        assert_eq!(contiguous.status.code(), Some(0), "{stderr}");
        let note = format!("the rows of {repeated} are not together");
        assert!(stderr.contains(&note), "{stderr}");
        assert!(
            stderr.contains("reading it again holding every respondent, as --scattered does"),
            "{stderr}"
        );
        assert!(
            contiguous.stdout == scattered.stdout,
            "{path}: not --scattered's scorecard"
        );
        let card: serde_json::Value = serde_json::from_slice(&contiguous.stdout).unwrap();
        assert_eq!(card["counts"]["outcomes"]["accepted"], 800, "{path}");
        // The pooled figures by respondent cluster each respondent's rows
        // wherever they are: the moved row joins its respondent, so the
        // split file's journey gap is the sample's, interval and all.
        let by_respondent = &card["overall"]["journey"]["by_respondent"]["gap"];
        assert_eq!(by_respondent["clusters"], 800, "{path}");
        if path == split.to_str().unwrap() {
            assert_eq!(
                by_respondent,
                &sample["overall"]["journey"]["by_respondent"]["gap"]
            );
        }
        // The sample twice over repeats each of its 4,815 rows, and says so,
        // read either way; the split file repeats none.
        let repeats = "4815 rows repeat another row of the same respondent whole";
        for output in [&contiguous, &scattered] {
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                stderr.contains(repeats),
                path == twice.to_str().unwrap(),
                "{stderr}"
            );
        }
    }
    fs::remove_dir_all(&dir).unwrap();
}

/// A stream (standard input, a pipe, a named pipe) cannot be read again:
/// where a respondent's rows come back after another's, `cx score` stops
/// with exit 1, naming the input, the id, the line where it comes back and
/// the line its rows began on, and what to do; it writes nothing, not even
/// `-o`'s file. With `--scattered` the same stream scores as the sorted
/// file does, and a stream whose respondents are together scores as
/// before.
#[cfg(unix)]
#[test]
fn a_stream_whose_respondent_comes_back_stops_naming_it() {
    let dir = temp_dir("returns");
    // R00001 comes back at line 4816 of the split file, and at line 4817
    // of the sample twice over.
    let (split, twice) = sample_out_of_order(&dir);
    let fifo = dir.join("responses.fifo");
    let card = dir.join("card.json");
    let score = format!(
        "--journey {SAMPLE_JOURNEY} --format json -o {}",
        card.display()
    );
    let advice = "the rows of each respondent must be together: sort the input by respondent_id, or pass --scattered to hold every respondent";
    for (script, name, line) in [
        (
            format!("\"$CX\" score - {score} < {}", split.display()),
            "standard input".to_owned(),
            4816,
        ),
        (
            format!("cat {} | \"$CX\" score - {score}", twice.display()),
            "standard input".to_owned(),
            4817,
        ),
        (
            format!(
                "mkfifo {fifo} && (cat {} > {fifo} &) && \"$CX\" score {fifo} {score}",
                split.display(),
                fifo = fifo.display()
            ),
            fifo.display().to_string(),
            4816,
        ),
    ] {
        let output = sh(&script);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{script}: {stderr}");
        let message = format!(
            "cx: {name}:{line}: respondent \"R00001\" comes back here after other respondents' rows; its rows began at line 2; {advice}\n"
        );
        assert_eq!(stderr, message, "{script}");
        assert!(output.stdout.is_empty(), "{script}");
        assert!(!card.exists(), "{script}: a scorecard was written");
        let _ = fs::remove_file(&fifo);
    }

    // Held whole, the split stream scores as the sorted file.
    let expected = sample_card();
    let output = sh(&format!(
        "\"$CX\" score - --journey {SAMPLE_JOURNEY} --format json --scattered < {}",
        split.display()
    ));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        output.stdout == expected,
        "--scattered: not the sorted file's scorecard"
    );
    let card: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(card["counts"]["outcomes"]["accepted"], 800);
    // The sample, whose respondents are together, streams as before.
    let output = sh(&format!(
        "cat {SAMPLE} | \"$CX\" score - --journey {SAMPLE_JOURNEY} --format json"
    ));
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout == expected, "a different scorecard");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// More distinct segments than `--max-groups`: `score` and `diff` exit 1
/// naming the breakdown, the limit and the flag that raises it, and write
/// nothing; at the limit the file scores.
#[test]
fn too_many_groups_is_exit_1_naming_the_limit() {
    let dir = temp_dir("groups");
    let file = dir.join("segments.csv");
    let mut csv = String::from("respondent_id,touchpoint,reality,expectation,segment\n");
    for respondent in 0..30 {
        csv.push_str(&format!("R{respondent},shop_window,4,3,s{respondent}\n"));
    }
    fs::write(&file, csv).unwrap();
    let file = file.to_string_lossy().into_owned();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cx"))
            .args(args)
            .current_dir(root())
            .output()
            .unwrap()
    };
    let score = [
        "score",
        &file,
        "--journey",
        SAMPLE_JOURNEY,
        "--by",
        "segment",
    ];
    let diff = [&score[1..], &["--compare", "s0,s1"]].concat();
    let diff = [&["diff"], &diff[..]].concat();
    for args in [&score[..], &diff[..]] {
        let args = [args, &["--max-groups", "10"]].concat();
        let output = run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(
                "the breakdown by segment has more than 10 groups, the most --max-groups allows; raise it"
            ),
            "{stderr}"
        );
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    let output = run(&[&score[..], &["--max-groups", "30"]].concat());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    fs::remove_dir_all(&dir).unwrap();
}
