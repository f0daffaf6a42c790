//! Telling a caller how far a long bootstrap has come.

use std::fmt;
use std::sync::Arc;

/// The callback behind a [`Progress`]: resamples done, resamples in all.
type Callback = dyn Fn(usize, usize) + Send + Sync;

/// What a [`compare`](crate::research::compare) or
/// [`drivers`](crate::research::drivers) run tells of its bootstrap as it
/// goes: nothing (the default), or a callback told `(done, total)` after
/// each resample.
///
/// The callback is called once per resample, with `done` rising by one
/// from 1 to `total` (the resamples asked for), whatever the thread
/// count: the bootstrap's threads call it one at a time, in the order
/// they finish, so a progress bar can simply be set to `done`. It is not
/// called when no bootstrap runs (no resamples asked for, a target that
/// has no AUC, weights withheld). It changes no number, and is neither
/// compared ([`PartialEq`] holds two progresses equal when both are
/// silent or share one callback) nor serialized with the options.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// use cx_score::research::Progress;
///
/// let seen = Arc::new(AtomicUsize::new(0));
/// let counter = Arc::clone(&seen);
/// let progress = Progress::new(move |done, _total| counter.store(done, Ordering::Relaxed));
/// assert!(!progress.is_silent() && Progress::default().is_silent());
/// progress.report(3, 5);
/// assert_eq!(seen.load(Ordering::Relaxed), 3);
/// ```
#[derive(Clone, Default)]
pub struct Progress {
    callback: Option<Arc<Callback>>,
}

impl Progress {
    /// A progress that calls `callback(done, total)` after each resample.
    pub fn new(callback: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        Progress {
            callback: Some(Arc::new(callback)),
        }
    }

    /// A progress that tells nothing: the default.
    pub fn silent() -> Self {
        Progress::default()
    }

    /// Whether it tells nothing.
    pub fn is_silent(&self) -> bool {
        self.callback.is_none()
    }

    /// Tells the callback, if any, that `done` of `total` resamples are
    /// done: what the bootstrap calls after each resample.
    pub fn report(&self, done: usize, total: usize) {
        if let Some(callback) = &self.callback {
            callback(done, total);
        }
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_silent() {
            "Progress(silent)"
        } else {
            "Progress(callback)"
        })
    }
}

impl PartialEq for Progress {
    fn eq(&self, other: &Self) -> bool {
        match (&self.callback, &other.callback) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// A progress that records what it is told, for the bootstrap's tests.
#[cfg(test)]
pub(crate) mod recording {
    use std::sync::{Arc, Mutex};

    use super::Progress;

    /// What a recording progress was told: each `(done, total)`.
    pub(crate) type Told = Arc<Mutex<Vec<(usize, usize)>>>;

    /// A progress that records every report, and its record.
    pub(crate) fn recording() -> (Progress, Told) {
        let told = Told::default();
        let record = Arc::clone(&told);
        let progress = Progress::new(move |done, total| {
            record.lock().unwrap().push((done, total));
        });
        (progress, told)
    }

    /// Asserts that `told` is each resample of `total` once, `done` rising
    /// by one from 1.
    pub(crate) fn assert_told_each(told: &Told, total: usize) {
        let expected: Vec<(usize, usize)> = (1..=total).map(|done| (done, total)).collect();
        assert_eq!(*told.lock().unwrap(), expected);
    }

    /// `run(threads, progress)` of a bootstrap of `total` resamples at one
    /// thread, silent, after asserting that 2 and 3 threads give the same
    /// result and tell the progress of each resample once, in order.
    pub(crate) fn same_at_any_thread_count<T: PartialEq + std::fmt::Debug>(
        total: usize,
        run: impl Fn(usize, Progress) -> T,
    ) -> T {
        let one = run(1, Progress::silent());
        for threads in [2, 3] {
            let (progress, told) = recording();
            assert_eq!(run(threads, progress), one, "{threads} threads");
            assert_told_each(&told, total);
        }
        one
    }
}
