use super::*;
use proptest::prelude::*;

#[test]
fn a_run_continues_across_rows_and_blocks() {
    let mut runs = RespondentRuns::default();
    for id in ["a", "b", "b", "c"] {
        if runs.last.as_deref() != Some(id) {
            runs.start(id);
        }
    }
    assert_eq!((runs.len(), runs.clone().repeated().len()), (3, 0));
    // The next block goes on with c's rows: still one run of c.
    let mut later = RespondentRuns::default();
    for id in ["c", "d", "a"] {
        later.start(id);
    }
    runs.merge(later);
    assert_eq!((runs.len(), runs.clone().repeated().len()), (5, 1));
    // An empty block changes nothing, before or after.
    let mut empty = RespondentRuns::default();
    empty.merge(runs.clone());
    runs.merge(RespondentRuns::default());
    assert_eq!(empty, runs);
    // The same respondents twice over: every one repeated.
    let mut twice = RespondentRuns::default();
    for id in ["a", "b", "c", "a", "b", "c"] {
        twice.start(id);
    }
    assert_eq!(twice.repeated().len(), 3);
}

/// Reads `input` as checked contiguous respondents in batches of
/// `batch_rows`: the observations read, or the error that stopped the
/// read, with the summary's records read and accepted.
fn read_checked(
    input: &str,
    journey: &crate::JourneyFile,
    format: crate::InputFormat,
    batch_rows: usize,
) -> (Result<usize, Error>, u64, u64) {
    let mut builder = crate::ResponseReaderBuilder::new();
    builder
        .respondents(crate::RespondentOrder::ContiguousChecked)
        .format(format)
        .batch_rows(batch_rows)
        .name("in");
    let mut reader = match builder.from_reader(input.as_bytes(), journey) {
        Ok(reader) => reader,
        Err(error) => return (Err(error), 0, 0),
    };
    let mut batch = ObservationBatch::new();
    let mut observations = 0;
    let result = loop {
        match reader.read_batch(&mut batch) {
            Ok(true) => observations += batch.len(),
            Ok(false) => break Ok(observations),
            Err(error) => break Err(error),
        }
    };
    let summary = reader.summary();
    (result, summary.records_read, summary.records_accepted)
}

/// Reads each of `parts` (inputs in `format`, each a later part of one
/// survey) as plain contiguous respondents keeping their runs, in
/// batches of `batch_rows`, and merges the summaries in order: the
/// respondents the runs find in more than one place.
fn repeated_after(
    parts: &[String],
    journey: &crate::JourneyFile,
    format: crate::InputFormat,
    batch_rows: usize,
) -> usize {
    let mut builder = crate::ResponseReaderBuilder::new();
    builder
        .respondent_runs(true)
        .format(format)
        .batch_rows(batch_rows);
    let mut whole = crate::ReadSummary::default();
    for part in parts {
        let reader = builder.from_reader(part.as_bytes(), journey).unwrap();
        whole.merge(reader.read_all(|_| {}).unwrap(), 10);
    }
    whole.respondent_runs.unwrap().repeated().len()
}

const CSV: crate::InputFormat = crate::InputFormat::Csv { delimiter: None };

/// Each case read both ways: checked as it is read, and read plain
/// keeping the runs to tell afterwards. The two see the same rows, so
/// the runs find a respondent in two places exactly where the checked
/// read stops.
#[test]
fn a_respondent_who_comes_back_stops_the_read_where_it_does() {
    let journey = crate::sample::retail_journey().unwrap();
    let header = "respondent_id,touchpoint,reality,would_return\n";
    // (rows, batch rows, the error or the observations read)
    let cases: [(&str, usize, Result<usize, &str>); 9] = [
        // Cut between batches of one and two rows: still one run each.
        ("a,website,4,\na,cashier,3,\nb,website,5,\n", 1, Ok(3)),
        ("a,website,4,\na,cashier,3,\nb,website,5,\n", 2, Ok(3)),
        (
            "a,website,4,\nb,website,5,\na,cashier,3,\n",
            1,
            Err(
                "in:4: respondent \"a\" comes back here after other respondents' rows; its rows began at line 2; the rows of each respondent must be together",
            ),
        ),
        // A row of outcome values only comes back as well.
        (
            "a,website,4,\na,cashier,3,\nb,website,5,\nc,website,2,\na,,,yes\n",
            1024,
            Err(
                "in:6: respondent \"a\" comes back here after other respondents' rows; its rows began at line 2; the rows of each respondent must be together",
            ),
        ),
        // And an outcome-only row starts a run, which an observation
        // then comes back to.
        (
            "a,,,yes\nb,website,5,\na,cashier,3,\n",
            1,
            Err(
                "in:4: respondent \"a\" comes back here after other respondents' rows; its rows began at line 2; the rows of each respondent must be together",
            ),
        ),
        // An outcome-only row between two of b's rows splits them.
        (
            "b,website,5,\na,,,yes\nb,cashier,2,\n",
            1024,
            Err(
                "in:4: respondent \"b\" comes back here after other respondents' rows; its rows began at line 2; the rows of each respondent must be together",
            ),
        ),
        // b's rejected row (a rating off the scale) leaves no trace, so
        // a's rows are together.
        ("a,website,4,\nb,website,9,\na,cashier,3,\n", 1, Ok(2)),
        // Lines, not records: the quoted line break makes line 3 part
        // of record 2.
        (
            "a,website,4,\"x\ny\"\nb,website,5,\nb,cashier,2,\na,cashier,3,\n",
            1024,
            Err(
                "in:6: respondent \"a\" comes back here after other respondents' rows; its rows began at line 2; the rows of each respondent must be together",
            ),
        ),
        (
            "a,website,4,\nb,website,5,\nc,website,3,\nb,cashier,1,\n",
            1024,
            Err(
                "in:5: respondent \"b\" comes back here after other respondents' rows; its rows began at line 3; the rows of each respondent must be together",
            ),
        ),
    ];
    for (rows, batch_rows, expected) in cases {
        let input = format!("{header}{rows}");
        let (read, records_read, accepted) = read_checked(&input, &journey, CSV, batch_rows);
        let read = read.map_err(|error| {
            assert_eq!(error.kind(), &ErrorKind::RespondentReturned);
            assert!(error.is_fatal());
            error.to_string()
        });
        assert_eq!(read, expected.map_err(str::to_owned), "{rows:?}");
        if read.is_err() {
            // The record that stopped the read is not counted.
            assert_eq!(records_read, accepted, "{rows:?}");
        }
        let repeated = repeated_after(&[input], &journey, CSV, batch_rows);
        assert_eq!(repeated, usize::from(read.is_err()), "{rows:?}");
    }
    // Read as plain contiguous respondents, the same input reads on.
    let input = format!("{header}a,website,4,\nb,website,5,\na,cashier,3,\n");
    let reader = crate::ResponseReaderBuilder::new()
        .from_reader(input.as_bytes(), &journey)
        .unwrap();
    let summary = reader.read_all(|_| {}).unwrap();
    assert_eq!(summary.records_accepted, 3);
    // Without being asked to, it keeps no runs; nor does a checked or
    // a scattered read, asked or not.
    assert_eq!(summary.respondent_runs, None);
    for order in [
        crate::RespondentOrder::ContiguousChecked,
        crate::RespondentOrder::Scattered,
    ] {
        let header = "respondent_id,touchpoint,reality\na,website,4\n";
        let reader = crate::ResponseReaderBuilder::new()
            .respondents(order)
            .respondent_runs(true)
            .from_reader(header.as_bytes(), &journey)
            .unwrap();
        assert_eq!(reader.read_all(|_| {}).unwrap().respondent_runs, None);
    }
}

#[test]
fn json_arrays_and_wide_rows_are_checked_too() {
    let journey = crate::sample::retail_journey().unwrap();
    let objects = [("a", "website"), ("b", "website"), ("a", "cashier")]
        .map(|(id, tp)| format!(r#"{{"respondent_id":"{id}","touchpoint":"{tp}","reality":4}}"#));
    let json = format!("[{}]", objects.join(",\n"));
    let (read, ..) = read_checked(&json, &journey, crate::InputFormat::Json, 1024);
    let error = read.unwrap_err();
    assert_eq!(
        (error.location().and_then(|l| l.record()), error.message()),
        (
            Some(3),
            "respondent \"a\" comes back here after other respondents' rows; its rows began at record 1; the rows of each respondent must be together"
        )
    );
    assert_eq!(
        repeated_after(&[json], &journey, crate::InputFormat::Json, 1024),
        1
    );
    let ndjson = objects.join("\n");
    let (read, ..) = read_checked(&ndjson, &journey, crate::InputFormat::Ndjson, 1);
    assert_eq!(read.unwrap_err().location().and_then(|l| l.line()), Some(3));

    let wide = crate::JourneyFile::parse(
        r#"
name = "Flight"
scale = { min = 1, max = 5 }
[respondents]
id_column = "id"
would_return = { column = "Again" }
[[stages]]
name = "Fly"
touchpoints = [
{ id = "booking", name = "Booking", channel = "web", source_column = "Booking" },
{ id = "seat", name = "Seat", channel = "in person", source_column = "Seat" },
]
"#,
        crate::JourneyFormat::Toml,
    )
    .unwrap();
    // p1 on two rows in a row is one run; p1 after p2 comes back, on a
    // row with ratings or on one with its answer only.
    let header = "id,Booking,Seat,Again\n";
    let together = format!("{header}p1,4,3,\np1,5,,yes\np2,2,2,no\n");
    let (read, ..) = read_checked(&together, &wide, CSV, 1);
    assert_eq!(read.unwrap(), 5);
    assert_eq!(repeated_after(&[together], &wide, CSV, 1), 0);
    for rows in [
        "p1,4,3,\np2,2,2,no\np1,5,,\n",
        "p1,4,3,yes\np2,2,2,no\np1,,,yes\n",
    ] {
        let input = format!("{header}{rows}");
        let (read, ..) = read_checked(&input, &wide, CSV, 1024);
        assert_eq!(
            read.unwrap_err().to_string(),
            "in:4: respondent \"p1\" comes back here after other respondents' rows; its rows began at line 2; the rows of each respondent must be together",
            "{rows:?}"
        );
        assert_eq!(repeated_after(&[input], &wide, CSV, 1024), 1, "{rows:?}");
    }
    // Without an id column, respondents are numbered by record: none
    // comes back, and no runs are kept for them.
    let numbered = crate::JourneyFile::parse(
        r#"
name = "Flight"
scale = { min = 1, max = 5 }
[[stages]]
name = "Fly"
touchpoints = [{ id = "seat", name = "Seat", channel = "in person", source_column = "Seat" }]
"#,
        crate::JourneyFormat::Toml,
    )
    .unwrap();
    let reader = crate::ResponseReaderBuilder::new()
        .respondent_runs(true)
        .from_reader("Seat\n4\n5\n".as_bytes(), &numbered)
        .unwrap();
    assert_eq!(reader.read_all(|_| {}).unwrap().respondent_runs, None);
}

/// Blocks read in parallel would each see only their own
/// respondents: a checked read of a file is one block. A plain read
/// keeping runs is cut into blocks, whose runs join in file order.
#[test]
fn parallel_reads_of_checked_respondents_read_the_file_whole() {
    let journey = crate::sample::retail_journey().unwrap();
    let path = std::env::temp_dir().join(format!("cx-runs-{}.csv", std::process::id()));
    let mut csv = String::from("respondent_id,touchpoint,reality,would_return\n");
    for id in ["a", "b", "c", "d"] {
        csv.push_str(&format!("{id},website,4,\n"));
    }
    csv.push_str("a,,,yes\n");
    std::fs::write(&path, csv).unwrap();
    let mut builder = crate::ResponseReaderBuilder::new();
    builder.respondents(crate::RespondentOrder::ContiguousChecked);
    let read = |builder: &crate::ResponseReaderBuilder| {
        crate::ParallelCsv::new(&journey, builder)
            .threads(2)
            .block_bytes(8)
            .read(&path, || 0usize, |rows, batch| *rows += batch.len())
            .unwrap()
    };
    let parts = read(&builder);
    assert_eq!(parts.len(), 1);
    let error = parts.into_iter().next().unwrap().err().unwrap();
    assert_eq!(error.kind(), &ErrorKind::RespondentReturned);
    assert_eq!(error.location().and_then(|l| l.line()), Some(6));

    builder
        .respondents(crate::RespondentOrder::Contiguous)
        .respondent_runs(true);
    let parts = read(&builder);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(parts.len(), 5);
    let mut whole = crate::ReadSummary::default();
    for part in parts {
        whole.merge(part.unwrap().summary, 10);
    }
    let runs = whole.respondent_runs.unwrap();
    assert_eq!((runs.len(), runs.repeated().len()), (5, 1));
}

/// A survey of `rows` (respondent number, and whether the row holds an
/// outcome value only): the header and the rows as CSV lines.
fn survey(rows: &[(u8, bool)]) -> (String, Vec<String>) {
    let header = "respondent_id,touchpoint,reality,would_return\n".to_owned();
    let lines = rows
        .iter()
        .map(|&(id, outcome_only)| match outcome_only {
            true => format!("r{id},,,yes\n"),
            false => format!("r{id},website,4,\n"),
        })
        .collect();
    (header, lines)
}

proptest! {
    /// Read in batches of any size, a checked read stops where one pass
    /// over the rows' ids (outcome-only rows' too) finds the first id
    /// that comes back, naming that row's line and the line the id's
    /// rows began on; without one, it reads every row.
    #[test]
    fn prop_checked_reads_stop_at_the_first_return(
        rows in prop::collection::vec((0u8..6, any::<bool>()), 0..40),
        batch_rows in 1usize..8,
    ) {
        let journey = crate::sample::retail_journey().unwrap();
        let (header, lines) = survey(&rows);
        let input = header + &lines.concat();
        // The model: each id's first line, and the first that returns.
        let mut began: std::collections::HashMap<u8, usize> = Default::default();
        let observations = rows.iter().filter(|(_, outcome_only)| !outcome_only).count();
        let mut expected = Ok(observations);
        for (at, (id, _)) in rows.iter().enumerate() {
            let line = at + 2;
            if at > 0 && rows[at - 1].0 == *id {
                continue;
            }
            if let Some(first) = began.get(id) {
                expected = Err(format!(
                    "in:{line}: respondent \"r{id}\" comes back here after other respondents' rows; its rows began at line {first}; the rows of each respondent must be together"
                ));
                break;
            }
            began.insert(*id, line);
        }
        let (read, ..) = read_checked(&input, &journey, CSV, batch_rows);
        prop_assert_eq!(read.map_err(|error| error.to_string()), expected);
    }

    /// Read plain, keeping its runs, and cut into parts anywhere (each
    /// read on its own, the summaries merged in order) and into batches
    /// of any size, a survey's runs find what one pass over the rows'
    /// ids (outcome-only rows' too) finds: the ids seen in more than
    /// one run.
    #[test]
    fn prop_cuts_do_not_change_the_count(
        rows in prop::collection::vec((0u8..5, any::<bool>()), 0..40),
        cuts in prop::collection::vec(0usize..40, 0..4),
        batch_rows in 1usize..8,
    ) {
        let journey = crate::sample::retail_journey().unwrap();
        let mut runs_of: std::collections::HashMap<u8, u64> = Default::default();
        for (at, (id, _)) in rows.iter().enumerate() {
            if at == 0 || rows[at - 1].0 != *id {
                *runs_of.entry(*id).or_default() += 1;
            }
        }
        let expected = runs_of.values().filter(|&&runs| runs > 1).count();
        let (header, lines) = survey(&rows);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(lines.len())).collect();
        cuts.sort_unstable();
        let mut parts = Vec::new();
        let mut from = 0;
        for to in cuts.into_iter().chain([lines.len()]) {
            parts.push(format!("{header}{}", lines[from..to].concat()));
            from = to;
        }
        prop_assert_eq!(repeated_after(&parts, &journey, CSV, batch_rows), expected);
    }
}
