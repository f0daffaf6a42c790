//! The seeded respondent bootstrap that comparisons and driver analyses
//! share: one ChaCha8 stream per resample, resamples as multiplicities,
//! run on several threads and merged in resample order, percentile
//! intervals.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::research::progress::Progress;
use crate::research::stats::quantile;
use crate::stats::Interval;

/// The ChaCha8 stream of the seed that the drivers' random variable draws
/// from ([`noise`]).
const NOISE_STREAM: u64 = 1;

/// The ChaCha8 stream of the seed that resample 0 draws from; resample `i`
/// draws from stream `FIRST_RESAMPLE_STREAM + i`. Stream 0 is not used.
const FIRST_RESAMPLE_STREAM: u64 = 2;

/// The threads a bootstrap runs on by default: the machine's available
/// parallelism (1 when it cannot be told).
pub(crate) fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Fills `weights` with the multiplicities of resample `index` of
/// `weights.len()` respondents, drawn with replacement from `seed`:
/// `weights[i]` is how many times respondent `i` was drawn, and the `n`
/// draws are `random_range(0..n)` in order from ChaCha8 seeded with
/// `seed_from_u64(seed)` on stream `index + 2`. Each resample has its own
/// stream, so it is the same whichever thread draws it, and in whichever
/// order. Every statistic is then computed with those weights, which
/// equals computing it on the repeated respondents. An empty slice draws
/// nothing.
pub(crate) fn draw(seed: u64, index: usize, weights: &mut [f64]) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // A resample's index is below the resamples asked for, held in memory,
    // so far below the streams' 2^64: the addition cannot wrap in practice.
    rng.set_stream(FIRST_RESAMPLE_STREAM.wrapping_add(index as u64));
    weights.iter_mut().for_each(|w| *w = 0.0);
    let n = weights.len();
    for _ in 0..n {
        // `0..n` is not empty: the loop runs only when n > 0.
        if let Some(slot) = weights.get_mut(rng.random_range(0..n)) {
            *slot += 1.0;
        }
    }
}

/// A bootstrap run: its seed, how many resamples, on how many threads,
/// and whom it tells of its progress.
pub(crate) struct Bootstrap<'a> {
    /// The seed every resample's stream is drawn from.
    pub(crate) seed: u64,
    /// Resamples to draw.
    pub(crate) resamples: usize,
    /// Threads to draw and compute them on (at least one is used, and no
    /// more than there are resamples).
    pub(crate) threads: usize,
    /// Told after each resample.
    pub(crate) progress: &'a Progress,
}

impl Bootstrap<'_> {
    /// `statistic` of each resample of `n` respondents, in resample order:
    /// element `i` is `statistic` of resample `i`'s multiplicities
    /// ([`draw`]), whatever the thread count. `statistic` may change the
    /// multiplicities it is given (to weigh them); each resample is drawn
    /// afresh. The resamples are shared among the threads as they finish
    /// (a shared machine's threads do not all run alike); the progress is
    /// told after each.
    ///
    /// # Panics
    ///
    /// Only when `statistic` or the progress callback panics: the panic
    /// is passed on once every thread has stopped.
    pub(crate) fn run<T, F>(&self, n: usize, statistic: F) -> Vec<T>
    where
        T: Send,
        F: Fn(&mut [f64]) -> T + Sync,
    {
        let total = self.resamples;
        let next = AtomicUsize::new(0);
        let done = Mutex::new(0usize);
        let work = || -> Vec<(usize, T)> {
            let mut multiplicities = vec![0.0; n];
            let mut results = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= total {
                    return results;
                }
                draw(self.seed, index, &mut multiplicities);
                results.push((index, statistic(&mut multiplicities)));
                if !self.progress.is_silent() {
                    // One report at a time, so `done` rises by one each.
                    let mut done = done.lock().unwrap_or_else(|e| e.into_inner());
                    *done += 1;
                    self.progress.report(*done, total);
                }
            }
        };
        let threads = self.threads.clamp(1, total.max(1));
        let parts: Vec<Vec<(usize, T)>> = if threads == 1 {
            vec![work()]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
                handles
                    .into_iter()
                    .map(|handle| {
                        handle
                            .join()
                            .unwrap_or_else(|e| std::panic::resume_unwind(e))
                    })
                    .collect()
            })
        };
        // Merged in resample order: each index was taken exactly once.
        let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None).take(total).collect();
        for (index, result) in parts.into_iter().flatten() {
            if let Some(slot) = slots.get_mut(index) {
                *slot = Some(result);
            }
        }
        slots.into_iter().flatten().collect()
    }
}

/// `n` draws of a random variable, uniform on 0..1, from the ChaCha8
/// stream 1 of `seed` (the resamples use streams 2 and up, so adding the
/// variable leaves them as they were): the yardstick of the relative
/// weights' significance test.
pub(crate) fn noise(seed: u64, n: usize) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(NOISE_STREAM);
    (0..n).map(|_| rng.random::<f64>()).collect()
}

/// The percentile interval of a bootstrap sample at `confidence`: its
/// `(1 - confidence) / 2` and `(1 + confidence) / 2` quantiles, by linear
/// interpolation between order statistics (Hyndman and Fan type 7, the
/// default of R and NumPy). Sorts `sample`; `None` when it is empty.
pub(crate) fn percentile_interval(sample: &mut [f64], confidence: f64) -> Option<Interval> {
    sample.sort_by(f64::total_cmp);
    let alpha = (1.0 - confidence) / 2.0;
    Some(Interval {
        lower: quantile(sample, alpha)?,
        upper: quantile(sample, 1.0 - alpha)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::progress::recording::{assert_told_each, recording};

    /// Resample `index` of `n` respondents written out from the documented
    /// scheme: ChaCha8 of `seed_from_u64(seed)` on stream `index + 2`,
    /// `n` draws of `random_range(0..n)`.
    fn by_the_scheme(seed: u64, index: u64, n: usize) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(index + 2);
        let mut counts = vec![0.0; n];
        for _ in 0..n {
            counts[rng.random_range(0..n)] += 1.0;
        }
        counts
    }

    #[test]
    fn a_resample_is_its_own_stream_of_the_seed() {
        let mut drawn = vec![0.0; 7];
        for index in 0..5 {
            draw(42, index, &mut drawn);
            assert_eq!(drawn, by_the_scheme(42, index as u64, 7));
            assert_eq!(drawn.iter().sum::<f64>(), 7.0);
        }
        let (mut first, mut second, mut other_seed) = (vec![0.0; 7], vec![0.0; 7], vec![0.0; 7]);
        draw(42, 0, &mut first);
        draw(42, 1, &mut second);
        draw(1, 0, &mut other_seed);
        assert_ne!(first, second);
        assert_ne!(first, other_seed);
        // The random variable's stream is none of the resamples'.
        let mut first_stream = ChaCha8Rng::seed_from_u64(42);
        first_stream.set_stream(NOISE_STREAM);
        let first_draw = first_stream.random::<f64>();
        assert_eq!(noise(42, 1), vec![first_draw]);
        draw(42, 0, &mut []);
    }

    #[test]
    fn resamples_come_back_in_order_at_any_thread_count() {
        let n = 11;
        let one = Bootstrap {
            seed: 9,
            resamples: 25,
            threads: 1,
            progress: &Progress::silent(),
        }
        .run(n, |m| m.to_vec());
        assert_eq!(one.len(), 25);
        for (index, resample) in one.iter().enumerate() {
            assert_eq!(*resample, by_the_scheme(9, index as u64, n));
        }
        for threads in [0, 2, 3, 8, 40] {
            let (progress, told) = recording();
            let bootstrap = Bootstrap {
                seed: 9,
                resamples: 25,
                threads,
                progress: &progress,
            };
            assert_eq!(bootstrap.run(n, |m| m.to_vec()), one, "{threads} threads");
            assert_told_each(&told, 25);
        }
        let none = Bootstrap {
            seed: 9,
            resamples: 0,
            threads: 3,
            progress: &Progress::silent(),
        };
        assert!(none.run(n, |m| m.to_vec()).is_empty());
    }

    #[test]
    fn a_panicking_statistic_is_passed_on() {
        let bootstrap = Bootstrap {
            seed: 1,
            resamples: 6,
            threads: 2,
            progress: &Progress::silent(),
        };
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            bootstrap.run(3, |m| {
                if m.len() == 3 {
                    panic!("a statistic that fails");
                }
            })
        }));
        assert!(caught.is_err());
    }

    #[test]
    fn percentile_interval_matches_numpy() {
        // numpy 2.x: np.percentile([5, 1, 4, 2, 3], [2.5, 97.5]) = [1.1, 4.9].
        let ci = percentile_interval(&mut [5.0, 1.0, 4.0, 2.0, 3.0], 0.95).unwrap();
        assert!((ci.lower - 1.1).abs() < 1e-12 && (ci.upper - 4.9).abs() < 1e-12);
        assert_eq!(percentile_interval(&mut [], 0.95), None);
    }
}
