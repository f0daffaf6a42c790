//! Whether each respondent's rows came together: a respondent whose rows
//! come back after another's has rows in two places, which a read of
//! contiguous respondents would count as two respondents. Either way the
//! decoder tells a [`RunCheck`] each respondent whose rows begin, every
//! row counted (outcome-only rows too): kept as a run, to tell after the
//! read ([`RespondentRuns`]), for an input that can be read again; or
//! checked at once ([`FinishedRespondents`]), for one that cannot.

use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use cx_model::ObservationBatch;

use crate::cells::Cells;
use crate::error::{Error, ErrorKind};
use crate::options::RespondentOrder;

/// What a read notes of the respondents whose rows begin, so that one
/// whose rows come back is found: nothing, each run (to tell after the
/// read), or each finished respondent (to stop at once).
#[derive(Debug)]
pub(crate) enum RunCheck {
    /// Nothing: scattered respondents, a plain contiguous read, or a wide
    /// file whose respondents are numbered by record (they never come
    /// back).
    Off,
    /// Each run, into the summary at the end
    /// ([`ResponseReaderBuilder::respondent_runs`](crate::ResponseReaderBuilder::respondent_runs)).
    After(RespondentRuns),
    /// Each finished respondent, to stop the read where one comes back
    /// ([`RespondentOrder::ContiguousChecked`]).
    AtOnce(FinishedRespondents),
}

impl RunCheck {
    /// The check a read of respondents in `order` makes; `keep_runs`
    /// asks a plain contiguous read for its runs.
    pub fn new(order: RespondentOrder, keep_runs: bool) -> Self {
        match order {
            RespondentOrder::Contiguous if keep_runs => RunCheck::After(RespondentRuns::default()),
            RespondentOrder::ContiguousChecked => RunCheck::AtOnce(FinishedRespondents::default()),
            RespondentOrder::Contiguous | RespondentOrder::Scattered => RunCheck::Off,
        }
    }

    /// Notes that `respondent`'s rows begin at `cells`' row, which ends
    /// the rows of the respondent before (if any): a row whose respondent
    /// differs from the last one's, told once per run.
    ///
    /// # Errors
    ///
    /// Checked at once, [`ErrorKind::RespondentReturned`] (fatal) if
    /// `respondent`'s rows had ended before.
    #[inline]
    pub fn start(&mut self, respondent: &str, cells: &Cells<'_, '_>) -> Result<(), Error> {
        match self {
            RunCheck::Off => Ok(()),
            RunCheck::After(runs) => {
                runs.start(respondent);
                Ok(())
            }
            RunCheck::AtOnce(finished) => finished.start(respondent, cells),
        }
    }

    /// Notes that `cells`' row is `respondent`'s, which starts a run of
    /// their rows unless the row before was theirs too: told every row.
    ///
    /// # Errors
    ///
    /// As [`start`](Self::start).
    #[inline]
    pub fn row(&mut self, respondent: &str, cells: &Cells<'_, '_>) -> Result<(), Error> {
        match self {
            RunCheck::Off => Ok(()),
            RunCheck::After(runs) => {
                if runs.last.as_deref() != Some(respondent) {
                    runs.start(respondent);
                }
                Ok(())
            }
            RunCheck::AtOnce(finished) => finished.row(respondent, cells),
        }
    }

    /// The runs kept, if the read kept them; the check is then off.
    pub fn take_runs(&mut self) -> Option<RespondentRuns> {
        match std::mem::replace(self, RunCheck::Off) {
            RunCheck::After(runs) => Some(runs),
            other => {
                *self = other;
                None
            }
        }
    }
}

/// The runs of respondents' rows in an input, in order, to tell whether a
/// respondent's rows came back after another's: kept by a read of
/// contiguous respondents asked for them
/// ([`ResponseReaderBuilder::respondent_runs`](crate::ResponseReaderBuilder::respondent_runs))
/// in its [`ReadSummary`](crate::ReadSummary), from every row's
/// respondent (outcome-only rows too; a row rejected for its own fault
/// leaves no trace), merged in file order across blocks, then asked
/// [`repeated`](Self::repeated).
///
/// Each run is kept as a 64-bit hash of its respondent's id (rustc-hash's):
/// 8 bytes per respondent. Two ids with the same hash look like one
/// repeated id (for well-spread hashes about one chance in 10^6 for ten
/// million respondents): a false alarm, which costs a second read, never a
/// missed repeat.
///
/// ```
/// use cx_io::ResponseReaderBuilder;
///
/// let journey = cx_io::sample::retail_journey()?;
/// // "a" comes back after "b" on a row of outcome values only.
/// let csv = "respondent_id,touchpoint,reality,would_return\n\
///            a,website,4,yes\n\
///            a,cashier,3,\n\
///            b,website,5,no\n\
///            a,,,yes\n";
/// let reader = ResponseReaderBuilder::new()
///     .respondent_runs(true)
///     .from_reader(csv.as_bytes(), &journey)?;
/// let mut summary = reader.read_all(|_| {})?;
/// let runs = summary.respondent_runs.take().ok_or("no runs kept")?;
/// assert_eq!(runs.len(), 3);
/// assert_eq!(runs.repeated().len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RespondentRuns {
    /// The hash of each run's respondent id, in order.
    hashes: Vec<u64>,
    /// The first run's id, to join a run cut between two blocks.
    first: Option<String>,
    /// The last run's id, which the next row or block may continue.
    last: Option<String>,
}

/// The runs' count and ends, not every hash.
impl fmt::Debug for RespondentRuns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RespondentRuns")
            .field("runs", &self.hashes.len())
            .field("first", &self.first)
            .field("last", &self.last)
            .finish_non_exhaustive()
    }
}

impl RespondentRuns {
    /// Notes a run of `respondent`'s rows, which follows the last run.
    fn start(&mut self, respondent: &str) {
        self.hashes.push(hash(respondent));
        if self.first.is_none() {
            self.first = Some(respondent.to_owned());
        }
        match &mut self.last {
            Some(last) => {
                last.clear();
                last.push_str(respondent);
            }
            None => self.last = Some(respondent.to_owned()),
        }
    }

    /// How many runs of respondents' rows there are.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether there are no runs (nothing was read).
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
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
/// use cx_io::{RespondentOrder, ResponseReaderBuilder};
/// use cx_model::ObservationBatch;
///
/// let journey = cx_io::sample::retail_journey()?;
/// let csv = "respondent_id,touchpoint,reality\n\
///            a,website,4\nb,website,3\na,website,4\nb,website,2\n";
/// let mut reader = ResponseReaderBuilder::new()
///     .respondent_runs(true)
///     .from_reader(csv.as_bytes(), &journey)?;
/// let mut batch = ObservationBatch::new();
/// while reader.read_batch(&mut batch)? {}
/// let runs = reader.into_summary().respondent_runs.ok_or("no runs kept")?;
/// let repeated = runs.repeated();
/// assert_eq!(repeated.len(), 2);
///
/// // The second read holds every respondent and watches those two.
/// let mut rows = repeated.duplicate_rows();
/// let mut reader = ResponseReaderBuilder::new()
///     .respondents(RespondentOrder::Scattered)
///     .from_reader(csv.as_bytes(), &journey)?;
/// while reader.read_batch(&mut batch)? {
///     rows.push_batch(&batch);
/// }
/// // "a" rated the website 4 twice; "b" gave two different ratings.
/// assert_eq!(rows.count(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
}
