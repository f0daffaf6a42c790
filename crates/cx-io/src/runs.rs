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
mod tests;
