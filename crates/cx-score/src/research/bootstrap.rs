//! The seeded respondent bootstrap that comparisons and driver analyses
//! share: one ChaCha8 stream, resamples as multiplicities, percentile
//! intervals.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::research::stats::quantile;
use crate::stats::Interval;

/// Draws bootstrap resamples of `n` respondents with replacement from one
/// ChaCha8 stream seeded with the caller's seed, so the same seed gives the
/// same resamples on any machine.
///
/// A resample is written as multiplicities: `weights[i]` is how many times
/// respondent `i` was drawn, and the `n` draws of one resample are
/// `random_range(0..n)` in order. Every statistic is then computed with
/// those weights, which equals computing it on the repeated respondents.
pub(crate) struct Resampler {
    rng: ChaCha8Rng,
}

impl Resampler {
    /// A resampler seeded with `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Resampler {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// Fills `weights` with the multiplicities of the next resample of
    /// `weights.len()` respondents. An empty slice draws nothing.
    pub(crate) fn draw(&mut self, weights: &mut [f64]) {
        weights.iter_mut().for_each(|w| *w = 0.0);
        let n = weights.len();
        for _ in 0..n {
            // `0..n` is not empty: the loop runs only when n > 0.
            if let Some(slot) = weights.get_mut(self.rng.random_range(0..n)) {
                *slot += 1.0;
            }
        }
    }
}

/// `n` draws of a random variable, uniform on 0..1, from the ChaCha8
/// stream 1 of `seed` (the resamples use stream 0, so adding the variable
/// leaves them as they were): the yardstick of the relative weights'
/// significance test.
pub(crate) fn noise(seed: u64, n: usize) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(1);
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

    #[test]
    fn a_resample_draws_n_respondents_and_repeats_with_its_seed() {
        let (mut first, mut again) = (Resampler::new(42), Resampler::new(42));
        let (mut a, mut b) = (vec![0.0; 7], vec![0.0; 7]);
        for _ in 0..5 {
            first.draw(&mut a);
            again.draw(&mut b);
            assert_eq!(a, b);
            assert_eq!(a.iter().sum::<f64>(), 7.0);
        }
        Resampler::new(1).draw(&mut b);
        first.draw(&mut a);
        assert_ne!(a, b);
        Resampler::new(42).draw(&mut []);
    }

    #[test]
    fn percentile_interval_matches_numpy() {
        // numpy 2.x: np.percentile([5, 1, 4, 2, 3], [2.5, 97.5]) = [1.1, 4.9].
        let ci = percentile_interval(&mut [5.0, 1.0, 4.0, 2.0, 3.0], 0.95).unwrap();
        assert!((ci.lower - 1.1).abs() < 1e-12 && (ci.upper - 4.9).abs() < 1e-12);
        assert_eq!(percentile_interval(&mut [], 0.95), None);
    }
}
