//! Whether each respondent's rows came together: a respondent whose rows
//! come back after another's has rows in two places, which a read of
//! contiguous respondents would count as two respondents.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use cx_model::ObservationBatch;

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

    proptest! {
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
