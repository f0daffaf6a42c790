//! What an accumulator counts each record as: one, or its respondent's
//! weight.

use std::fmt::Debug;

use cx_model::{ObservationBatch, Weight};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// How an accumulator counts what it is given: unweighted as a plain count
/// (`u64`), weighted as a [`WeightSum`]. Every accumulator is generic over
/// it and every formula is written once, over the sums it reports; a
/// count reports each record as a weight of 1, so the unweighted figures
/// are the weighted formulas at unit weights, compiled to integer counts.
///
/// Sealed: only `u64` and [`WeightSum`] implement it.
///
/// ```
/// use cx_model::Weight;
/// use cx_score::{Tally, WeightSum};
///
/// let mut counted = 0u64;
/// let mut weighed = WeightSum::default();
/// for weight in [1.0, 1.0, 1.0] {
///     counted.add(());
///     weighed.add(Weight::new(weight)?);
/// }
/// assert_eq!((counted.sum(), counted.sum_of_squares()), (3.0, 3.0));
/// assert_eq!((weighed.sum(), weighed.sum_of_squares()), (3.0, 3.0));
/// assert_eq!(weighed.effective_n(), counted.effective_n());
/// # Ok::<(), cx_model::Error>(())
/// ```
pub trait Tally:
    sealed::Sealed
    + Copy
    + Default
    + Debug
    + PartialEq
    + Serialize
    + DeserializeOwned
    + Send
    + Sync
    + 'static
{
    /// What one record brings: nothing for a count, its weight for a
    /// weight sum.
    type Unit: Copy
        + Debug
        + Default
        + PartialEq
        + Eq
        + Serialize
        + DeserializeOwned
        + Send
        + Sync
        + 'static;

    /// What the clusters by respondent keep beside their counts: nothing
    /// for a count, the weighted size `Σ w_c n_c` and the bits of every
    /// weight (their common power of two) for a weight sum.
    #[doc(hidden)]
    type ClusterSizes: Copy
        + Debug
        + Default
        + PartialEq
        + Eq
        + Serialize
        + DeserializeOwned
        + Send
        + Sync
        + 'static;

    /// Adds a closed cluster of weighted size `size` and weight `units`.
    #[doc(hidden)]
    fn close_size(sizes: &mut Self::ClusterSizes, size: i128, units: u64);

    /// Adds `other`'s sizes.
    #[doc(hidden)]
    fn merge_sizes(sizes: &mut Self::ClusterSizes, other: &Self::ClusterSizes);

    /// `Σ w_c n_c`: the count `n` for a count.
    #[doc(hidden)]
    fn total_size(n: u64, sizes: &Self::ClusterSizes) -> i128;

    /// The largest power of two (as its exponent) that divides every
    /// cluster's weight in units: 0 for a count.
    #[doc(hidden)]
    fn common_shift(sizes: &Self::ClusterSizes) -> u32;

    /// Whether records are weighted.
    const WEIGHTED: bool;

    /// The unit of a record of weight 1.
    const ONE: Self::Unit;

    /// A unit's weight as an integer in [`SCALE`](Self::SCALE) units: 1
    /// for a count, [`Weight::units`] for a weight.
    fn units(unit: Self::Unit) -> u64;

    /// Integer units per weight of 1 (1 for a count, 2³⁰ for weights): a
    /// power of two, so dividing by it is exact.
    const SCALE: f64;

    /// The unit of a record of respondent weight `weight`: `None` when
    /// weighted and the record has none.
    fn unit(weight: Option<Weight>) -> Option<Self::Unit>;

    /// The unit of row `row` of `batch`, as [`unit`](Self::unit) of its
    /// weight; a count looks nothing up.
    fn unit_of_row(batch: &ObservationBatch, row: usize) -> Option<Self::Unit>;

    /// Adds one record.
    fn add(&mut self, unit: Self::Unit);

    /// Adds one record if `yes`, without branching on it (a count adds
    /// `yes as u64`).
    fn add_if(&mut self, unit: Self::Unit, yes: bool);

    /// Adds everything `other` holds.
    fn merge(&mut self, other: &Self);

    /// This tally without its part `part` (nothing below zero: a part
    /// never holds more than its whole, but a state from elsewhere might
    /// claim it).
    fn minus(&self, part: &Self) -> Self;

    /// How many records.
    fn count(&self) -> u64;

    /// The sum of the records' weights in [`SCALE`](Self::SCALE) units,
    /// exactly.
    fn sum_units(&self) -> u128;

    /// The sum of the records' weights (`Σw`; the count, unweighted).
    fn sum(&self) -> f64 {
        self.sum_units() as f64 / Self::SCALE
    }

    /// The sum of the squares of the records' weights (`Σw²`; the count,
    /// unweighted).
    fn sum_of_squares(&self) -> f64;

    /// The tally of `count` records of `unit`, as many calls of
    /// [`add`](Self::add) would make it.
    fn many(unit: Self::Unit, count: u64) -> Self;

    /// The sum of the counts of both, if it does not overflow (as a
    /// state from elsewhere might).
    fn checked_merge(&self, other: &Self) -> Option<Self>;

    /// Whether the sums are ones that records can make (always, for a
    /// count); a state from elsewhere might hold others.
    fn is_possible(&self) -> bool;

    /// Kish's effective sample size, `(Σw)² / Σw²`: the count, unweighted
    /// (exactly: `n · (n / n)`), and 0 when every weight is 0.
    fn effective_n(&self) -> f64 {
        self.sum() * self.kish_factor()
    }

    /// `Σw / Σw²`, what turns a sum of weights into an effective count:
    /// a part of this tally with weight sum `W` counts as
    /// `W · Σw / Σw²` records of its effective sample. Exactly 1 when every
    /// weight is 1 (`x / x`); 0 when every weight is 0.
    fn kish_factor(&self) -> f64 {
        let squares = self.sum_of_squares();
        if squares > 0.0 {
            self.sum() / squares
        } else {
            0.0
        }
    }

    /// What a weighted figure reports beside its counts: `None` for a
    /// count, `Some` for a weight sum.
    fn weighted(&self) -> Option<Weighted> {
        Self::WEIGHTED.then(|| Weighted {
            weight: self.sum(),
            effective_n: self.effective_n(),
        })
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for u64 {}
    impl Sealed for super::WeightSum {}
}

impl Tally for u64 {
    type Unit = ();
    type ClusterSizes = ();
    const WEIGHTED: bool = false;
    const ONE: () = ();
    const SCALE: f64 = 1.0;

    #[inline(always)]
    fn units((): ()) -> u64 {
        1
    }

    #[inline(always)]
    fn close_size((): &mut (), _: i128, _: u64) {}

    #[inline(always)]
    fn merge_sizes((): &mut (), (): &()) {}

    #[inline(always)]
    fn total_size(n: u64, (): &()) -> i128 {
        i128::from(n)
    }

    #[inline(always)]
    fn common_shift((): &()) -> u32 {
        0
    }

    #[inline(always)]
    fn unit(_: Option<Weight>) -> Option<()> {
        Some(())
    }

    #[inline(always)]
    fn unit_of_row(_: &ObservationBatch, _: usize) -> Option<()> {
        Some(())
    }

    #[inline(always)]
    fn add(&mut self, (): ()) {
        *self += 1;
    }

    #[inline(always)]
    fn add_if(&mut self, (): (), yes: bool) {
        *self += u64::from(yes);
    }

    #[inline(always)]
    fn merge(&mut self, other: &Self) {
        *self += other;
    }

    #[inline(always)]
    fn minus(&self, part: &Self) -> Self {
        self.saturating_sub(*part)
    }

    #[inline(always)]
    fn count(&self) -> u64 {
        *self
    }

    #[inline(always)]
    fn sum_units(&self) -> u128 {
        u128::from(*self)
    }

    #[inline(always)]
    fn sum(&self) -> f64 {
        *self as f64
    }

    #[inline(always)]
    fn sum_of_squares(&self) -> f64 {
        *self as f64
    }

    #[inline(always)]
    fn many((): (), count: u64) -> Self {
        count
    }

    fn checked_merge(&self, other: &Self) -> Option<Self> {
        self.checked_add(*other)
    }

    fn is_possible(&self) -> bool {
        true
    }
}

/// The count, weight sum and sum of squared weights of weighted records,
/// held exactly: the weights in units of [`Weight::RESOLUTION`], their
/// squares in its square, each sum a `u128`.
///
/// Sums of integers do not depend on their order, so weighted figures are
/// the same bits at any thread count and in any merge order. The sums are
/// exact while the squares' sum stays below 2¹²⁸: for weights up to
/// [`Weight::MAX`] that is 2²⁸ records, for weights up to 1,000 over 2⁴⁸.
/// A sum beyond that wraps (it is not checked on every record, which
/// would cost the hot loop); a state read from elsewhere is checked.
///
/// ```
/// use cx_model::Weight;
/// use cx_score::{Tally, WeightSum};
///
/// // Weights 1, 2 and 3: Σw = 6, Σw² = 14, n_eff = 36 / 14.
/// let mut sums = WeightSum::default();
/// for w in [1.0, 2.0, 3.0] {
///     sums.add(Weight::new(w)?);
/// }
/// assert_eq!((sums.count(), sums.sum(), sums.sum_of_squares()), (3, 6.0, 14.0));
/// assert!((sums.effective_n() - 36.0 / 14.0).abs() < 1e-15);
/// # Ok::<(), cx_model::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightSum {
    n: u64,
    sum: u128,
    sum_of_squares: u128,
}

impl Tally for WeightSum {
    type Unit = Weight;
    type ClusterSizes = ClusterSizes;
    const WEIGHTED: bool = true;
    const ONE: Weight = Weight::ONE;
    const SCALE: f64 = (1u64 << Weight::FRACTION_BITS) as f64;

    #[inline(always)]
    fn units(unit: Weight) -> u64 {
        unit.units()
    }

    #[inline]
    fn close_size(sizes: &mut ClusterSizes, size: i128, units: u64) {
        sizes.size = sizes.size.wrapping_add(size);
        sizes.bits |= units;
    }

    fn merge_sizes(sizes: &mut ClusterSizes, other: &ClusterSizes) {
        sizes.size = sizes.size.wrapping_add(other.size);
        sizes.bits |= other.bits;
    }

    fn total_size(_: u64, sizes: &ClusterSizes) -> i128 {
        sizes.size
    }

    fn common_shift(sizes: &ClusterSizes) -> u32 {
        // A weight is below 2^51 units, so at most 50 (and 0 when every
        // weight is 0, whose sums are 0 anyway).
        if sizes.bits == 0 {
            0
        } else {
            sizes.bits.trailing_zeros().min(50)
        }
    }

    fn unit(weight: Option<Weight>) -> Option<Weight> {
        weight
    }

    #[inline]
    fn unit_of_row(batch: &ObservationBatch, row: usize) -> Option<Weight> {
        batch.weight(row)
    }

    #[inline]
    fn add(&mut self, unit: Weight) {
        let units = u128::from(unit.units());
        self.n += 1;
        self.sum = self.sum.wrapping_add(units);
        self.sum_of_squares = self.sum_of_squares.wrapping_add(units * units);
    }

    #[inline]
    fn add_if(&mut self, unit: Weight, yes: bool) {
        let units = u128::from(unit.units()) * u128::from(yes);
        self.n += u64::from(yes);
        self.sum = self.sum.wrapping_add(units);
        self.sum_of_squares = self
            .sum_of_squares
            .wrapping_add(units * u128::from(unit.units()));
    }

    #[inline]
    fn merge(&mut self, other: &Self) {
        self.n += other.n;
        self.sum = self.sum.wrapping_add(other.sum);
        self.sum_of_squares = self.sum_of_squares.wrapping_add(other.sum_of_squares);
    }

    fn minus(&self, part: &Self) -> Self {
        WeightSum {
            n: self.n.saturating_sub(part.n),
            sum: self.sum.saturating_sub(part.sum),
            sum_of_squares: self.sum_of_squares.saturating_sub(part.sum_of_squares),
        }
    }

    fn count(&self) -> u64 {
        self.n
    }

    fn sum_units(&self) -> u128 {
        self.sum
    }

    fn sum_of_squares(&self) -> f64 {
        // Dividing by a power of two is exact: unit weights give the count.
        self.sum_of_squares as f64 / (Self::SCALE * Self::SCALE)
    }

    fn many(unit: Weight, count: u64) -> Self {
        let units = u128::from(unit.units());
        let count128 = u128::from(count);
        WeightSum {
            n: count,
            sum: units.wrapping_mul(count128),
            sum_of_squares: (units * units).wrapping_mul(count128),
        }
    }

    fn is_possible(&self) -> bool {
        self.possible()
    }

    fn checked_merge(&self, other: &Self) -> Option<Self> {
        Some(WeightSum {
            n: self.n.checked_add(other.n)?,
            sum: self.sum.checked_add(other.sum)?,
            sum_of_squares: self.sum_of_squares.checked_add(other.sum_of_squares)?,
        })
    }
}

impl WeightSum {
    /// The sums of `count` weights of at most [`Weight::MAX`]: each
    /// weight's square is at most its units times the largest weight's,
    /// and their sum at least the sum's square over the count (by
    /// Cauchy-Schwarz). A state from elsewhere might break these, and
    /// finishing it would then report what no data gives.
    fn possible(&self) -> bool {
        let max_units = u128::from(Weight::ONE.units()) << 20;
        let n = u128::from(self.n);
        let sum_fits = self.sum <= n.saturating_mul(max_units);
        let squares_fit = self.sum_of_squares <= self.sum.saturating_mul(max_units);
        // n · Σw² >= (Σw)², exactly in integers where it fits, else the
        // weaker Σw² >= (Σw / n)².
        let squares_reach = self.n == 0
            || match (
                n.checked_mul(self.sum_of_squares),
                self.sum.checked_mul(self.sum),
            ) {
                (Some(scaled), Some(square)) => scaled >= square,
                _ => self.sum_of_squares >= (self.sum / n).saturating_mul(self.sum / n),
            };
        (self.n > 0 || (self.sum == 0 && self.sum_of_squares == 0))
            && sum_fits
            && squares_fit
            && squares_reach
    }
}

/// The weighted sizes of clusters by respondent: `Σ w_c n_c` (weights in
/// units of 2⁻³⁰) and the bitwise or of every weight's units, whose
/// trailing zeros are the power of two every weight is a multiple of.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterSizes {
    size: i128,
    bits: u64,
}

/// The weighted side of a figure, beside its counts: the weights' sum and
/// Kish's effective sample size, `n_eff = (Σw)² / Σw²`, which takes the
/// place of `n` in every standard error, interval and minimum-sample
/// check. Present only when the survey is weighted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Weighted {
    /// `Σw`, the records' weights summed.
    pub weight: f64,
    /// `(Σw)² / Σw²`: as many unweighted records as the weighted ones
    /// are worth for uncertainty.
    pub effective_n: f64,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kish_by_hand() {
        // Weights 0.5, 0.5, 2: Σw = 3, Σw² = 4.5, n_eff = 9 / 4.5 = 2.
        let mut sums = WeightSum::default();
        for w in [0.5, 0.5, 2.0] {
            sums.add(Weight::new(w).unwrap());
        }
        assert_eq!(sums.effective_n(), 2.0);
        assert_eq!(sums.kish_factor(), 3.0 / 4.5);
        assert_eq!(
            sums.weighted(),
            Some(Weighted {
                weight: 3.0,
                effective_n: 2.0
            })
        );
        assert_eq!(5u64.weighted(), None);
        // Only zero weights: no effective sample.
        let mut zero = WeightSum::default();
        zero.add(Weight::new(0.0).unwrap());
        assert_eq!((zero.count(), zero.effective_n()), (1, 0.0));
        assert!(zero.is_possible() && sums.is_possible());
        let impossible = WeightSum {
            n: 1,
            sum: 1,
            sum_of_squares: 0,
        };
        assert!(!impossible.is_possible());
        // Two weights summing to 2 have squares summing to at least 2.
        let one = u128::from(Weight::ONE.units());
        let too_few_squares = WeightSum {
            n: 2,
            sum: 2 * one,
            sum_of_squares: one * one,
        };
        assert!(!too_few_squares.is_possible());
        assert!(WeightSum::many(Weight::ONE, 2).is_possible());
    }

    proptest! {
        /// Unit weights give a count's sums, bit for bit, at any count.
        #[test]
        fn prop_unit_weights_are_counts(count in 0u64..1 << 40, extra in 0u64..50) {
            let mut weighed = WeightSum::many(Weight::ONE, count);
            let mut counted = count;
            for _ in 0..extra {
                weighed.add(Weight::ONE);
                counted.add(());
            }
            prop_assert_eq!(weighed.count(), counted);
            prop_assert_eq!(weighed.sum().to_bits(), counted.sum().to_bits());
            prop_assert_eq!(weighed.sum_of_squares().to_bits(), counted.sum_of_squares().to_bits());
            prop_assert_eq!(weighed.effective_n().to_bits(), counted.effective_n().to_bits());
            prop_assert_eq!(weighed.kish_factor().to_bits(), counted.kish_factor().to_bits());
        }

        /// Sums are the same in any order and split.
        #[test]
        fn prop_merging_is_exact(weights in proptest::collection::vec(0.0..1000.0f64, 0..30), split in 0usize..30) {
            let weights: Vec<Weight> = weights.into_iter().filter_map(|w| Weight::new(w).ok()).collect();
            let split = split.min(weights.len());
            let (mut left, mut right, mut whole) = (WeightSum::default(), WeightSum::default(), WeightSum::default());
            weights.iter().for_each(|&w| whole.add(w));
            weights[..split].iter().rev().for_each(|&w| left.add(w));
            weights[split..].iter().for_each(|&w| right.add(w));
            right.merge(&left);
            prop_assert_eq!(right, whole);
            prop_assert!(whole.is_possible());
        }
    }
}
