//! Whether each respondent's rows came together: a respondent whose rows
//! come back after another's has rows in two places, which a read of
//! contiguous respondents would count as two respondents. Told after the
//! read from its batches ([`RespondentRuns`]), for an input that can be
//! read again; or at once, row by row ([`FinishedRespondents`]), for one
//! that cannot.

use std::hash::{DefaultHasher, Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use cx_model::ObservationBatch;

use crate::cells::Cells;
use crate::error::{Error, ErrorKind};

/// The runs of respondents' rows in an input, in order, to tell whether a
/// respondent's rows came back after another's: fed every batch of a
/// read, merged in file order across blocks, then asked
/// [`repeated`](Self::repeated).
///
/// Each run is kept as a 64-bit hash of its respondent's id (rustc-hash's):
/// 8 bytes per respondent. Two ids with the same hash look like one
/// repeated id (for well-spread hashes about one chance in 10^6 for ten
/// million respondents): a false alarm, which costs a second read, never a
/// missed repeat.
///
/// ```
/// use cx_io::RespondentRuns;
/// use cx_model::{BatchRow, ObservationBatch};
///
/// let mut batch = ObservationBatch::new();
/// for id in ["a", "a", "b", "a"] {
///     batch.push(&BatchRow::new(id, 0, 4.0));
/// }
/// let mut runs = RespondentRuns::default();
/// runs.push_batch(&batch);
/// // "a" comes back after "b": one respondent's rows are in two places.
/// assert_eq!(runs.repeated().len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RespondentRuns {
    /// The hash of each run's respondent id, in order.
    hashes: Vec<u64>,
    /// The first run's id, to join a run cut between two blocks.
    first: Option<String>,
    /// The last run's id, which the next batch may continue.
    last: Option<String>,
}

impl RespondentRuns {
    /// Counts the runs of `batch`'s rows, continuing the last run when the
    /// batch starts with its respondent. Within a batch a run is a stretch
    /// of rows with one respondent number, so only the batch's first run
    /// compares ids.
    pub fn push_batch(&mut self, batch: &ObservationBatch) {
        let numbers = batch.respondent_numbers();
        let Some(&first) = numbers.first() else {
            return;
        };
        let id_of = |row: usize| batch.respondent(row).unwrap_or_default();
        let first_id = id_of(0);
        if self.last.as_deref() != Some(first_id) {
            self.hashes.push(hash(first_id));
        }
        if self.first.is_none() {
            self.first = Some(first_id.to_owned());
        }
        let mut previous = first;
        let mut last_row = 0;
        for (row, &number) in numbers.iter().enumerate().skip(1) {
            if number != previous {
                self.hashes.push(hash(id_of(row)));
                previous = number;
                last_row = row;
            }
        }
        let last_id = id_of(last_row);
        match &mut self.last {
            Some(last) => {
                last.clear();
                last.push_str(last_id);
            }
            None => self.last = Some(last_id.to_owned()),
        }
    }

    /// Adds the runs of the part of the input that follows this one: a run
    /// cut between the two is one run.
    pub fn merge(&mut self, later: RespondentRuns) {
        let continued = later.first.is_some() && later.first == self.last;
        let skip = usize::from(continued);
        self.hashes.extend(later.hashes.into_iter().skip(skip));
        if self.first.is_none() {
            self.first = later.first;
        }
        if later.last.is_some() {
            self.last = later.last;
        }
    }

    /// The respondents whose rows are in more than one place (as far as
    /// their ids' hashes tell), once every part is in.
    pub fn repeated(mut self) -> RepeatedRespondents {
        self.hashes.sort_unstable();
        let mut repeated: Vec<u64> = self
            .hashes
            .windows(2)
            .filter_map(|pair| match pair {
                [a, b] if a == b => Some(*a),
                _ => None,
            })
            .collect();
        repeated.dedup();
        RepeatedRespondents(repeated)
    }
}

/// The respondents a [`RespondentRuns`] found in more than one place, by
/// their ids' hashes: how many, and which rows of theirs repeat (a file
/// holding the same survey twice) on a second read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepeatedRespondents(Vec<u64>);

impl RepeatedRespondents {
    /// How many respondents' rows are in more than one place.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether every respondent's rows are together.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A check for rows of these respondents that repeat another of their
    /// rows whole (touchpoint, reality, expectation and timestamp), to be
    /// fed the batches of a read that holds every respondent.
    pub fn duplicate_rows(&self) -> DuplicateRows {
        DuplicateRows {
            everyone: false,
            watched: self.0.clone(),
            rows: Vec::new(),
        }
    }
}

/// Rows of respondents found in more than one place that repeat one of
/// their rows whole: fed every batch, merged in any order, then counted.
/// Each watched row costs 8 bytes (a hash); others cost nothing.
///
/// ```
/// use cx_io::RespondentRuns;
/// use cx_model::{BatchRow, ObservationBatch};
///
/// let mut batch = ObservationBatch::new();
/// for (id, reality) in [("a", 4.0), ("b", 3.0), ("a", 4.0), ("b", 2.0)] {
///     batch.push(&BatchRow::new(id, 0, reality));
/// }
/// let mut runs = RespondentRuns::default();
/// runs.push_batch(&batch);
/// let repeated = runs.repeated();
/// assert_eq!(repeated.len(), 2);
/// let mut rows = repeated.duplicate_rows();
/// rows.push_batch(&batch);
/// // "a" rated touchpoint 0 with a 4 twice; "b" gave two different ratings.
/// assert_eq!(rows.count(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DuplicateRows {
    /// Whether every respondent is watched (a read of scattered
    /// respondents, which have no runs to tell by).
    everyone: bool,
    /// The repeated respondents' hashes, sorted.
    watched: Vec<u64>,
    /// A hash of each watched row.
    rows: Vec<u64>,
}

impl DuplicateRows {
    /// A check of every respondent's rows: 8 bytes per row.
    pub fn of_everyone() -> Self {
        DuplicateRows {
            everyone: true,
            ..DuplicateRows::default()
        }
    }

    /// Notes the rows of `batch` whose respondent is watched.
    pub fn push_batch(&mut self, batch: &ObservationBatch) {
        if !self.everyone && self.watched.is_empty() {
            return;
        }
        let mut previous = None;
        let mut watched = None;
        for (row, &number) in batch.respondent_numbers().iter().enumerate() {
            if previous != Some(number) {
                previous = Some(number);
                let respondent = hash(batch.respondent(row).unwrap_or_default());
                let watching = self.everyone || self.watched.binary_search(&respondent).is_ok();
                watched = watching.then_some(respondent);
            }
            let Some(respondent) = watched else {
                continue;
            };
            let mut hasher = FxHasher::default();
            respondent.hash(&mut hasher);
            batch.touchpoints().get(row).hash(&mut hasher);
            batch
                .realities()
                .get(row)
                .map(|r| r.to_bits())
                .hash(&mut hasher);
            let expectation = batch.expectations().get(row).copied().flatten();
            expectation.map(f64::to_bits).hash(&mut hasher);
            batch.timestamps().get(row).hash(&mut hasher);
            self.rows.push(hasher.finish());
        }
    }

    /// Adds what `other` noted.
    pub fn merge(&mut self, other: DuplicateRows) {
        self.rows.extend(other.rows);
    }

    /// How many rows repeat an earlier row whole.
    pub fn count(mut self) -> u64 {
        self.rows.sort_unstable();
        let distinct = {
            let mut rows = self.rows.clone();
            rows.dedup();
            rows.len()
        };
        (self.rows.len() - distinct) as u64
    }
}

/// The id's hash: rustc-hash's, fast and the same on every thread.
fn hash(id: &str) -> u64 {
    let mut hasher = FxHasher::default();
    id.hash(&mut hasher);
    hasher.finish()
}

/// The respondents whose rows have ended, to stop a read at once when one
/// comes back ([`RespondentOrder::ContiguousChecked`](crate::RespondentOrder::ContiguousChecked)):
/// told each row's respondent by the decoder, in input order, so that
/// where batches are cut does not matter.
///
/// A finished respondent is kept as a 64-bit SipHash of its id (std's
/// hasher, with its fixed keys: well spread, and the same on every run)
/// and where its rows began, 16 bytes in a table of 17-byte slots that is
/// 7/16 to 7/8 full: 19 to 39 bytes per respondent, and up to 58 at the
/// peak, since the old slots live on while the table doubles (measured
/// with `/usr/bin/time` on generated streams: 53 bytes per respondent at
/// 1, 2 and 4 million, 36 at 1.5 and 3 million). The id itself is not
/// kept, so a hash that matches cannot be checked against it: two ids
/// with one hash are taken for one that came back, a false alarm (an
/// error, never a wrong number) with odds of about n²/2⁶⁵ for n
/// respondents.
#[derive(Debug, Default)]
pub(crate) struct FinishedRespondents {
    /// The respondent being read, once a row was.
    current: Option<String>,
    /// Where its rows began: their first line, or where the input has no
    /// lines (a JSON array), their first record.
    began: u64,
    /// The hash of each finished respondent's id, and where its rows
    /// began.
    finished: FxHashMap<u64, u64>,
}

impl FinishedRespondents {
    /// Notes that `cells`' row is `respondent`'s, which starts a run of
    /// their rows unless the row before was theirs too.
    ///
    /// # Errors
    ///
    /// As [`start`](Self::start).
    #[inline]
    pub fn row(&mut self, respondent: &str, cells: &Cells<'_, '_>) -> Result<(), Error> {
        match &self.current {
            Some(current) if current == respondent => Ok(()),
            _ => self.start(respondent, cells),
        }
    }

    /// Notes that `respondent`'s rows begin at `cells`' row, which ends
    /// the rows of the respondent before (if any): a row whose respondent
    /// differs from the last one's.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::RespondentReturned`] (fatal) if `respondent`'s rows
    /// had ended before, as far as the hash of their id tells.
    pub fn start(&mut self, respondent: &str, cells: &Cells<'_, '_>) -> Result<(), Error> {
        if let Some(previous) = &self.current {
            // A first place is kept if two finished ids share a hash.
            self.finished
                .entry(sip_hash(previous))
                .or_insert(self.began);
        }
        if let Some(&began) = self.finished.get(&sip_hash(respondent)) {
            return Err(returned(cells, respondent, began));
        }
        match &mut self.current {
            Some(current) => {
                current.clear();
                current.push_str(respondent);
            }
            None => self.current = Some(respondent.to_owned()),
        }
        self.began = cells.line().unwrap_or_else(|| cells.record());
        Ok(())
    }
}

/// The id's hash for [`FinishedRespondents`]: SipHash-1-3 (std's), whose
/// collisions are as rare as for a random function, so that the odds of
/// a false alarm can be stated.
fn sip_hash(id: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// The error of `respondent` coming back at `cells`' row, its rows having
/// begun at `began` (a line, or a record where the input has none).
#[cold]
#[inline(never)]
fn returned(cells: &Cells<'_, '_>, respondent: &str, began: u64) -> Error {
    let place = match cells.line() {
        Some(_) => "line",
        None => "record",
    };
    cells.row_error(
        ErrorKind::RespondentReturned,
        format!(
            "respondent {respondent:?} comes back here after other respondents' rows; its rows began at {place} {began}; the rows of each respondent must be together"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use cx_model::BatchRow;
    use proptest::prelude::*;

    fn batch(ids: &[&str]) -> ObservationBatch {
        let mut batch = ObservationBatch::new();
        for id in ids {
            batch.push(&BatchRow::new(id, 0, 4.0));
        }
        batch
    }

    #[test]
    fn a_run_continues_across_batches_and_blocks() {
        let mut runs = RespondentRuns::default();
        runs.push_batch(&batch(&["a", "b"]));
        runs.push_batch(&batch(&["b", "c"]));
        assert_eq!((runs.hashes.len(), runs.clone().repeated().len()), (3, 0));
        let mut later = RespondentRuns::default();
        later.push_batch(&batch(&["c", "d", "a"]));
        runs.merge(later);
        assert_eq!((runs.hashes.len(), runs.clone().repeated().len()), (5, 1));
        // The same file twice over: every respondent repeated.
        let mut twice = RespondentRuns::default();
        twice.push_batch(&batch(&["a", "b", "c", "a", "b", "c"]));
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

    const CSV: crate::InputFormat = crate::InputFormat::Csv { delimiter: None };

    #[test]
    fn a_respondent_who_comes_back_stops_the_read_where_it_does() {
        let journey = crate::sample::retail_journey().unwrap();
        let header = "respondent_id,touchpoint,reality,would_return\n";
        // (rows, batch rows, the error or the observations read)
        let cases: [(&str, usize, Result<usize, &str>); 7] = [
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
        }
        // Read as plain contiguous respondents, the same input reads on.
        let input = format!("{header}a,website,4,\nb,website,5,\na,cashier,3,\n");
        let reader = crate::ResponseReaderBuilder::new()
            .from_reader(input.as_bytes(), &journey)
            .unwrap();
        assert_eq!(reader.read_all(|_| {}).unwrap().records_accepted, 3);
    }

    #[test]
    fn json_arrays_and_wide_rows_are_checked_too() {
        let journey = crate::sample::retail_journey().unwrap();
        let objects = [("a", "website"), ("b", "website"), ("a", "cashier")].map(|(id, tp)| {
            format!(r#"{{"respondent_id":"{id}","touchpoint":"{tp}","reality":4}}"#)
        });
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
        let ndjson = objects.join("\n");
        let (read, ..) = read_checked(&ndjson, &journey, crate::InputFormat::Ndjson, 1);
        assert_eq!(read.unwrap_err().location().and_then(|l| l.line()), Some(3));

        let wide = crate::JourneyFile::parse(
            r#"
name = "Flight"
scale = { min = 1, max = 5 }
[respondents]
id_column = "id"
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
        // p1 on two rows in a row is one run; p1 after p2 comes back.
        let header = "id,Booking,Seat\n";
        let (read, ..) = read_checked(&format!("{header}p1,4,3\np1,5,\np2,2,2\n"), &wide, CSV, 1);
        assert_eq!(read.unwrap(), 5);
        let (read, ..) = read_checked(
            &format!("{header}p1,4,3\np2,2,2\np1,5,\n"),
            &wide,
            CSV,
            1024,
        );
        assert_eq!(
            read.unwrap_err().to_string(),
            "in:4: respondent \"p1\" comes back here after other respondents' rows; its rows began at line 2; the rows of each respondent must be together"
        );
    }

    /// Blocks read in parallel would each see only their own
    /// respondents: a checked read of a file is one block.
    #[test]
    fn parallel_reads_of_checked_respondents_read_the_file_whole() {
        let journey = crate::sample::retail_journey().unwrap();
        let path = std::env::temp_dir().join(format!("cx-runs-{}.csv", std::process::id()));
        let mut csv = String::from("respondent_id,touchpoint,reality\n");
        for id in ["a", "b", "c", "d", "a"] {
            csv.push_str(&format!("{id},website,4\n"));
        }
        std::fs::write(&path, csv).unwrap();
        let mut builder = crate::ResponseReaderBuilder::new();
        builder.respondents(crate::RespondentOrder::ContiguousChecked);
        let parts = crate::ParallelCsv::new(&journey, &builder)
            .threads(2)
            .block_bytes(8)
            .read(&path, || 0usize, |rows, batch| *rows += batch.len())
            .unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(parts.len(), 1);
        let error = parts.into_iter().next().unwrap().err().unwrap();
        assert_eq!(error.kind(), &ErrorKind::RespondentReturned);
        assert_eq!(error.location().and_then(|l| l.line()), Some(6));
    }

    proptest! {
        /// Read in batches of any size, a checked read stops where one pass
        /// over the ids finds the first id that comes back, naming that
        /// row's line and the line the id's rows began on; without one, it
        /// reads every row.
        #[test]
        fn prop_checked_reads_stop_at_the_first_return(
            ids in prop::collection::vec(0u8..6, 0..40),
            batch_rows in 1usize..8,
        ) {
            let journey = crate::sample::retail_journey().unwrap();
            let mut input = String::from("respondent_id,touchpoint,reality\n");
            for id in &ids {
                input.push_str(&format!("r{id},website,4\n"));
            }
            // The model: each id's first line, and the first that returns.
            let mut began: std::collections::HashMap<u8, usize> = Default::default();
            let mut expected = Ok(ids.len());
            for (at, id) in ids.iter().enumerate() {
                let line = at + 2;
                if at > 0 && ids[at - 1] == *id {
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

        /// Cut into batches and blocks anywhere, the runs count what one
        /// pass over the ids counts: the ids seen in more than one run.
        #[test]
        fn prop_cuts_do_not_change_the_count(
            ids in prop::collection::vec(0u8..5, 0..40),
            cuts in prop::collection::vec(0usize..40, 0..4),
        ) {
            let ids: Vec<String> = ids.iter().map(|id| format!("r{id}")).collect();
            let mut runs_of: std::collections::HashMap<&str, u64> = Default::default();
            for (at, id) in ids.iter().enumerate() {
                if at == 0 || ids[at - 1] != *id {
                    *runs_of.entry(id.as_str()).or_default() += 1;
                }
            }
            let expected = runs_of.values().filter(|&&runs| runs > 1).count() as u64;
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(ids.len())).collect();
            cuts.sort_unstable();
            let mut whole = RespondentRuns::default();
            let mut from = 0;
            for to in cuts.into_iter().chain([ids.len()]) {
                let part_ids: Vec<&str> = ids[from..to].iter().map(String::as_str).collect();
                let mut part = RespondentRuns::default();
                part.push_batch(&batch(&part_ids));
                whole.merge(part);
                from = to;
            }
            prop_assert_eq!(whole.repeated().len() as u64, expected);
        }
    }
}
