//! p-values adjusted for many tests at once: Holm's step-down and
//! Benjamini and Hochberg's step-up.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// How the p-values of a family of tests are adjusted for their number.
///
/// With `m` p-values sorted ascending, `p(1) <= … <= p(m)`:
///
/// ```text
/// Holm:               p̃(i) = max over j <= i of min(1, (m - j + 1) · p(j))
/// Benjamini-Hochberg: p̃(i) = min over j >= i of min(1, m / j · p(j))
/// ```
///
/// and each adjusted value goes back to its test's place. Holm controls
/// the family-wise error rate (the chance of even one false finding)
/// under any dependence between the tests; Benjamini-Hochberg controls the
/// false discovery rate (the expected share of false findings among the
/// findings) when the tests are independent or positively dependent, and
/// finds more when there are many. Both equal
/// `statsmodels.stats.multitest.multipletests` with `method="holm"` and
/// `method="fdr_bh"`.
///
/// ```
/// use cx_score::Adjustment;
///
/// let raw = [0.01, 0.04, 0.03, 0.20];
/// // Holm: 4 · 0.01 = 0.04, 3 · 0.03 = 0.09, 2 · 0.04 = 0.08 → 0.09, 1 · 0.20.
/// let holm = Adjustment::Holm.adjust(&raw)?;
/// assert_eq!(holm, [0.04, 0.09, 0.09, 0.2]);
/// // BH: 4/1 · 0.01 = 0.04, 4/3 · 0.04 = 0.0533…, 4/2 · 0.03 = 0.06 → 0.0533…, 4/4 · 0.20.
/// let bh = Adjustment::BenjaminiHochberg.adjust(&raw)?;
/// assert!((bh[2] - 0.16 / 3.0).abs() < 1e-15);
/// assert!(Adjustment::Holm.adjust(&[f64::NAN]).is_err());
/// # Ok::<(), cx_score::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Adjustment {
    /// Holm's step-down (1979): family-wise error rate, any dependence.
    #[default]
    Holm,
    /// Benjamini and Hochberg's step-up (1995): false discovery rate.
    #[serde(rename = "bh")]
    BenjaminiHochberg,
    /// The raw p-values, unadjusted.
    #[serde(rename = "none")]
    Unadjusted,
}

impl Adjustment {
    /// Every method.
    pub const ALL: [Adjustment; 3] = [
        Adjustment::Holm,
        Adjustment::BenjaminiHochberg,
        Adjustment::Unadjusted,
    ];

    /// The short name, as serde writes it too: `"holm"`, `"bh"` or
    /// `"none"`.
    ///
    /// ```
    /// assert_eq!(cx_score::Adjustment::BenjaminiHochberg.name(), "bh");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Adjustment::Holm => "holm",
            Adjustment::BenjaminiHochberg => "bh",
            Adjustment::Unadjusted => "none",
        }
    }

    /// What the adjusted p-values control, for a reader:
    /// `"Holm (family-wise error rate)"`.
    ///
    /// ```
    /// let holm = cx_score::Adjustment::Holm;
    /// assert_eq!(holm.description(), "Holm (family-wise error rate)");
    /// ```
    pub fn description(self) -> &'static str {
        match self {
            Adjustment::Holm => "Holm (family-wise error rate)",
            Adjustment::BenjaminiHochberg => "Benjamini-Hochberg (false discovery rate)",
            Adjustment::Unadjusted => "none (raw p-values)",
        }
    }

    /// The adjusted p-values of `p_values`, in the same order.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidPValue`] when a value is not in `0..=1` (NaN
    /// included): a family with a missing test is not the same family.
    ///
    /// # Example
    ///
    /// See [`Adjustment`].
    pub fn adjust(self, p_values: &[f64]) -> Result<Vec<f64>> {
        if let Some(bad) = p_values.iter().find(|p| !(0.0..=1.0).contains(*p)) {
            return Err(Error::from(ErrorKind::InvalidPValue {
                value: bad.to_string(),
            }));
        }
        let m = p_values.len();
        let mut order: Vec<usize> = (0..m).collect();
        // Stable, so equal p-values keep their order; they get equal
        // adjusted values either way.
        order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
        let mut adjusted = vec![0.0; m];
        let count = m as f64;
        match self {
            Adjustment::Holm => {
                let mut running: f64 = 0.0;
                for (rank, &index) in order.iter().enumerate() {
                    let scaled = ((count - rank as f64) * p_values[index]).min(1.0);
                    running = running.max(scaled);
                    adjusted[index] = running;
                }
            }
            Adjustment::BenjaminiHochberg => {
                let mut running: f64 = 1.0;
                for (rank, &index) in order.iter().enumerate().rev() {
                    let scaled = (count / (rank + 1) as f64 * p_values[index]).min(1.0);
                    running = running.min(scaled);
                    adjusted[index] = running;
                }
            }
            Adjustment::Unadjusted => adjusted.copy_from_slice(p_values),
        }
        Ok(adjusted)
    }
}

impl fmt::Display for Adjustment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for Adjustment {
    type Err = Error;

    /// Reads `holm`, `bh` (or `fdr_bh`, `benjamini-hochberg`) or `none`,
    /// ignoring case.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownAdjustment`] for any other text.
    fn from_str(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "holm" => Ok(Adjustment::Holm),
            "bh" | "fdr_bh" | "benjamini-hochberg" | "benjamini_hochberg" => {
                Ok(Adjustment::BenjaminiHochberg)
            }
            "none" => Ok(Adjustment::Unadjusted),
            _ => Err(Error::from(ErrorKind::UnknownAdjustment {
                text: text.to_owned(),
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Each case: raw p-values, then statsmodels 0.15.0's
    /// `multipletests(raw, method="holm")[1]` and
    /// `multipletests(raw, method="fdr_bh")[1]`, printed with `repr`.
    #[test]
    fn match_statsmodels() {
        let cases: [(&[f64], &[f64], &[f64]); 4] = [
            (
                &[0.01, 0.04, 0.03, 0.2],
                &[0.04, 0.09, 0.09, 0.2],
                &[0.04, 0.05333333333333334, 0.05333333333333334, 0.2],
            ),
            (
                &[0.0001, 0.3, 0.02, 0.02, 0.049, 0.5, 1.0, 1e-20, 0.0075, 0.8],
                &[
                    0.0009000000000000001,
                    1.0,
                    0.14,
                    0.14,
                    0.245,
                    1.0,
                    1.0,
                    1e-19,
                    0.06,
                    1.0,
                ],
                &[
                    0.0005,
                    0.4285714285714286,
                    0.04,
                    0.04,
                    0.08166666666666668,
                    0.625,
                    1.0,
                    9.999999999999999e-20,
                    0.025,
                    0.888888888888889,
                ],
            ),
            (&[0.5], &[0.5], &[0.5]),
            (&[0.6, 0.6, 0.6], &[1.0, 1.0, 1.0], &[0.6, 0.6, 0.6]),
        ];
        for (raw, holm, bh) in cases {
            for (method, expected) in [
                (Adjustment::Holm, holm),
                (Adjustment::BenjaminiHochberg, bh),
            ] {
                let adjusted = method.adjust(raw).unwrap();
                for (got, want) in adjusted.iter().zip(expected) {
                    assert!(
                        (got - want).abs() <= 4.0 * f64::EPSILON * want,
                        "{method}: {adjusted:?} vs {expected:?}"
                    );
                }
            }
        }
        assert_eq!(Adjustment::Holm.adjust(&[]).unwrap(), Vec::<f64>::new());
    }

    #[test]
    fn names_read_back() {
        for method in Adjustment::ALL {
            assert_eq!(method.name().parse::<Adjustment>().unwrap(), method);
        }
        assert_eq!(
            "FDR_BH".parse::<Adjustment>().unwrap(),
            Adjustment::BenjaminiHochberg
        );
        let error = "bonferroni".parse::<Adjustment>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown p-value adjustment \"bonferroni\"; expected holm, bh or none"
        );
        let error = Adjustment::Holm.adjust(&[0.5, 1.5]).unwrap_err();
        assert_eq!(error.to_string(), "p-value 1.5 is not between 0 and 1");
    }

    proptest! {
        #[test]
        fn prop_adjusted_p_values_are_monotone_and_bounded(
            raw in proptest::collection::vec(0.0..=1.0f64, 0..40),
        ) {
            for method in Adjustment::ALL {
                let adjusted = method.adjust(&raw).unwrap();
                for (i, (&p, &q)) in raw.iter().zip(&adjusted).enumerate() {
                    prop_assert!(q >= p && q <= 1.0, "{method}: {p} -> {q}");
                    for (&other, &other_adjusted) in raw.iter().zip(&adjusted).skip(i + 1) {
                        if p <= other {
                            prop_assert!(q <= other_adjusted, "{method}: not monotone");
                        }
                        if other <= p {
                            prop_assert!(other_adjusted <= q, "{method}: not monotone");
                        }
                    }
                }
            }
        }

        /// Holm never adjusts less than Benjamini-Hochberg.
        #[test]
        fn prop_holm_is_at_least_bh(raw in proptest::collection::vec(0.0..=1.0f64, 1..40)) {
            let holm = Adjustment::Holm.adjust(&raw).unwrap();
            let bh = Adjustment::BenjaminiHochberg.adjust(&raw).unwrap();
            for (h, b) in holm.iter().zip(&bh) {
                prop_assert!(h >= b);
            }
        }
    }
}
