//! A respondent's weight, held exactly as a fixed-point number.

use std::fmt;
use std::num::NonZeroU64;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// A respondent's survey weight (a design or raking weight), held as a
/// whole number of [`Weight::RESOLUTION`] (2⁻³⁰ ≈ 9.3e-10).
///
/// Sums of weights are then sums of integers: exact, and the same in any
/// order, so weighted figures merge across threads and partitions to the
/// same bits as unweighted ones do. A weight is made from a finite number
/// from 0 to [`Weight::MAX`] (2²⁰ = 1,048,576), rounded to the nearest
/// multiple of the resolution; a positive weight below half the resolution
/// would round to zero and is refused rather than silently dropped. Zero
/// is a weight: the respondent is counted as answering and contributes
/// nothing to any weighted sum.
///
/// Because the resolution is a power of two, a weight of 1 is held
/// exactly, and every sum of weights of 1 converts to `f64` exactly: the
/// weighted formulas give unweighted results to the bit when every weight
/// is 1.
///
/// ```
/// use cx_model::Weight;
///
/// let w: Weight = " 1.25 ".parse()?;
/// assert_eq!(w.to_f64(), 1.25);
/// assert_eq!(Weight::ONE.units(), 1 << 30);
/// assert_eq!(Weight::new(0.0)?.units(), 0);
/// assert!(Weight::new(-0.5).is_err());
/// assert!("heavy".parse::<Weight>().is_err());
/// # Ok::<(), cx_model::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Weight(
    /// The units plus one: never zero, so that an `Option<Weight>` (on
    /// every row of a batch) takes no more room than a weight.
    NonZeroU64,
);

impl Default for Weight {
    /// A weight of zero.
    fn default() -> Self {
        Weight(NonZeroU64::MIN)
    }
}

impl Weight {
    /// Binary digits after the point: a weight is a whole number of
    /// `2^-FRACTION_BITS`.
    pub const FRACTION_BITS: u32 = 30;

    /// The smallest step between two weights, 2⁻³⁰.
    pub const RESOLUTION: f64 = 1.0 / (1u64 << Self::FRACTION_BITS) as f64;

    /// The largest weight, 2²⁰. Its square in units (2¹⁰⁰) leaves 2²⁸ such
    /// squares room in a `u128` sum; weights near 1 leave room for 2⁶⁸.
    pub const MAX: f64 = (1u64 << 20) as f64;

    /// A weight of one: what every respondent has in an unweighted survey.
    pub const ONE: Weight = match NonZeroU64::new((1 << Self::FRACTION_BITS) + 1) {
        Some(units) => Weight(units),
        None => Weight(NonZeroU64::MIN),
    };

    /// The largest number of units, [`MAX`](Self::MAX) in units.
    const MAX_UNITS: u64 = 1 << (20 + Self::FRACTION_BITS);

    /// The weight nearest `value`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidRespondentWeight`] if `value` is NaN, infinite,
    /// negative, above [`MAX`](Self::MAX), or positive but so small that
    /// it would round to zero.
    pub fn new(value: f64) -> Result<Weight> {
        let refused = || Error::from(ErrorKind::InvalidRespondentWeight { weight: value });
        if !(value.is_finite() && (0.0..=Self::MAX).contains(&value)) {
            return Err(refused());
        }
        // Scaling by a power of two is exact; only the rounding to a whole
        // number of units changes the value. `as` cannot overflow here:
        // the value is at most 2^50 units.
        let units = (value * (1u64 << Self::FRACTION_BITS) as f64).round() as u64;
        if units == 0 && value > 0.0 {
            return Err(refused());
        }
        Ok(Weight::of_units(units))
    }

    /// The weight of `units` units of [`RESOLUTION`](Self::RESOLUTION),
    /// if it is at most [`MAX`](Self::MAX).
    pub fn from_units(units: u64) -> Option<Weight> {
        (units <= Self::MAX_UNITS).then(|| Weight::of_units(units))
    }

    /// The weight of `units`, at most [`MAX_UNITS`](Self::MAX_UNITS).
    fn of_units(units: u64) -> Weight {
        Weight(NonZeroU64::MIN.saturating_add(units))
    }

    /// The weight as a whole number of [`RESOLUTION`](Self::RESOLUTION).
    #[inline(always)]
    pub fn units(self) -> u64 {
        self.0.get() - 1
    }

    /// The weight as a number (exact: it has at most 50 significant bits).
    pub fn to_f64(self) -> f64 {
        self.units() as f64 * Self::RESOLUTION
    }
}

impl FromStr for Weight {
    type Err = Error;

    /// Reads a decimal number (white space around it allowed), as `f64`
    /// reads it, then rounds it as [`Weight::new`] does.
    fn from_str(text: &str) -> Result<Weight> {
        match text.trim().parse::<f64>() {
            Ok(value) => Weight::new(value),
            Err(_) => Err(ErrorKind::InvalidRespondentWeightText {
                text: text.to_owned(),
            }
            .into()),
        }
    }
}

impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_f64(), f)
    }
}

impl TryFrom<f64> for Weight {
    type Error = Error;

    /// [`Weight::new`].
    fn try_from(value: f64) -> Result<Weight> {
        Weight::new(value)
    }
}

impl From<Weight> for f64 {
    fn from(weight: Weight) -> f64 {
        weight.to_f64()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn refuses_what_is_no_weight() {
        for value in [
            f64::NAN,
            f64::INFINITY,
            -1.0,
            -1e-300,
            Weight::MAX * 2.0,
            1e-12,
        ] {
            let error = Weight::new(value).unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::InvalidRespondentWeight { .. }),
                "{value}"
            );
        }
        assert_eq!(
            Weight::new(-2.0).unwrap_err().to_string(),
            "respondent weight -2 is invalid; expected a finite number from 0 to 1048576 \
             (a positive one at least 2^-31)"
        );
        assert_eq!(
            "".parse::<Weight>().unwrap_err().to_string(),
            r#"respondent weight "" is not a number"#
        );
        // -0 is zero; the maximum itself is a weight.
        assert_eq!(Weight::new(-0.0).unwrap().units(), 0);
        assert_eq!(Weight::new(Weight::MAX).unwrap().to_f64(), Weight::MAX);
        assert_eq!(Weight::from_units(1 << 51), None);
        assert!(serde_json::from_str::<Weight>("-1").is_err());
    }

    #[test]
    fn rounds_to_the_resolution() {
        // 0.1 is no multiple of 2^-30: the nearest is 107374182 units
        // (0.1 × 2^30 = 107374182.4).
        let tenth = Weight::new(0.1).unwrap();
        assert_eq!(tenth.units(), 107_374_182);
        assert!((tenth.to_f64() - 0.1).abs() <= Weight::RESOLUTION / 2.0);
        assert_eq!("2.5".parse::<Weight>().unwrap().units(), 5 << 29);
        // Serialized as the number it is, which reads back to the same units.
        assert_eq!(
            serde_json::to_string(&tenth).unwrap(),
            "0.09999999962747097"
        );
        assert_eq!(
            serde_json::from_str::<Weight>("0.09999999962747097").unwrap(),
            tenth
        );
        assert_eq!(Weight::ONE.to_string(), "1");
        assert_eq!(Weight::default().units(), 0);
        assert_eq!(
            std::mem::size_of::<Option<Weight>>(),
            std::mem::size_of::<u64>()
        );
    }

    proptest! {
        #[test]
        fn prop_a_weight_is_within_half_a_step_of_its_value(value in 0.0..=Weight::MAX) {
            if let Ok(weight) = Weight::new(value) {
                prop_assert!((weight.to_f64() - value).abs() <= Weight::RESOLUTION / 2.0);
                prop_assert_eq!(Weight::from_units(weight.units()), Some(weight));
            }
        }
    }
}
