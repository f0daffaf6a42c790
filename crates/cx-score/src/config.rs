//! The parameters every metric shares.

use cx_model::Scale;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, Result};

/// How likelihood-to-recommend answers split into detractors, passives and
/// promoters.
///
/// The standard NPS cut-offs on 0..=10 are detractors 0..=6, passives 7..=8
/// and promoters 9..=10. For another scale, set `scale` and the two cut-offs:
/// a rating `<= detractor_max` is a detractor, `>= promoter_min` a promoter,
/// anything between a passive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NpsCutoffs {
    /// The likelihood-to-recommend scale; a rating outside it is rejected.
    pub scale: Scale,
    /// The highest rating that makes a detractor.
    pub detractor_max: f64,
    /// The lowest rating that makes a promoter.
    pub promoter_min: f64,
}

impl Default for NpsCutoffs {
    fn default() -> Self {
        NpsCutoffs {
            scale: Scale::LIKELIHOOD_0_10,
            detractor_max: 6.0,
            promoter_min: 9.0,
        }
    }
}

/// The parameters of scoring. [`ScoreConfig::default`] holds the values
/// practitioners use; each can be changed.
///
/// ```
/// use cx_score::ScoreConfig;
///
/// let config = ScoreConfig { min_sample: 50, ..ScoreConfig::default() };
/// assert!(config.validate().is_ok());
/// assert!(ScoreConfig { yellow_band: -0.1, ..config }.validate().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScoreConfig {
    /// A normalized gap at or above this is a WOW moment. Default 0.25: one
    /// point on a 1..=5 scale.
    pub wow_margin: f64,
    /// Width of the yellow band below zero: a normalized gap in
    /// `-yellow_band..0` is yellow, below it red. Default 0.25.
    pub yellow_band: f64,
    /// A cell with fewer observations than this gets no traffic light.
    /// Default 30.
    pub min_sample: u64,
    /// Confidence level of every interval. Default 0.95.
    pub confidence: f64,
    /// The share of "yes" above which a loyalty question is on track.
    /// Default 0.90.
    pub loyalty_target: f64,
    /// NPS cut-offs and scale.
    pub nps: NpsCutoffs,
    /// If set, effort ratings outside this scale are rejected.
    pub effort_scale: Option<Scale>,
    /// How NPS intervals are computed; adjusted Wald by default.
    pub nps_interval: NpsInterval,
}

impl Default for ScoreConfig {
    fn default() -> Self {
        ScoreConfig {
            wow_margin: 0.25,
            yellow_band: 0.25,
            min_sample: 30,
            confidence: 0.95,
            loyalty_target: 0.90,
            nps: NpsCutoffs::default(),
            effort_scale: None,
            nps_interval: NpsInterval::default(),
        }
    }
}

impl ScoreConfig {
    /// Checks that every parameter makes sense.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`] naming the first field that does not,
    /// with its value.
    pub fn validate(&self) -> Result<()> {
        let field = |field: &'static str, value: f64, expected: &'static str| {
            ErrorKind::InvalidConfig {
                field,
                value: value.to_string(),
                expected,
            }
            .into()
        };
        if !(self.wow_margin.is_finite() && self.wow_margin >= 0.0) {
            return Err(field("wow_margin", self.wow_margin, "a finite number >= 0"));
        }
        if !(self.yellow_band.is_finite() && self.yellow_band >= 0.0) {
            return Err(field(
                "yellow_band",
                self.yellow_band,
                "a finite number >= 0",
            ));
        }
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return Err(field(
                "confidence",
                self.confidence,
                "a number between 0 and 1",
            ));
        }
        if !(self.loyalty_target > 0.0 && self.loyalty_target < 1.0) {
            return Err(field(
                "loyalty_target",
                self.loyalty_target,
                "a number between 0 and 1",
            ));
        }
        let nps = &self.nps;
        if !(nps.scale.contains(nps.detractor_max)
            && nps.scale.contains(nps.promoter_min)
            && nps.detractor_max < nps.promoter_min)
        {
            return Err(ErrorKind::InvalidConfig {
                field: "nps",
                value: format!(
                    "detractors <= {}, promoters >= {} on {}",
                    nps.detractor_max, nps.promoter_min, nps.scale
                ),
                expected: "cut-offs on the scale with detractor_max < promoter_min",
            }
            .into());
        }
        Ok(())
    }
}

/// How [`NpsAccumulator::finish_with`](crate::NpsAccumulator::finish_with) computes the interval.
///
/// With `P` promoters, `D` detractors and `n` respondents, `p = P / n`,
/// `d = D / n`, `SE = 100 · √((p + d - (p - d)²) / n)` and `z` the normal
/// quantile (1.96 at 95%):
///
/// ```text
/// Wald           NPS ± z · SE
/// adjusted Wald  NPS' ± z · SE'   with p' = (P + 1) / (n + 3), d' = (D + 1) / (n + 3),
///                                 NPS' = 100 · (p' - d'), SE' = 100 · √((p' + d' - (p' - d')²) / (n + 3))
/// ```
///
/// both clipped to -100..=100. The adjusted interval adds one promoter, one
/// passive and one detractor before computing the shares, in the manner
/// of Agresti and Coull's add-two interval for one share: it is centred a
/// little towards 0 and never has zero width, where the plain Wald
/// interval of one promoter is `[+100, +100]` and of only passives
/// `[0, 0]`. The score itself, `nps`, and its `se` stay the observed ones.
///
/// **Coverage** of a nominal 95% interval, computed exactly (every
/// outcome of the trinomial weighted by its probability; the tests of
/// the NPS module recompute it) over the 169 pairs of true promoter and detractor
/// shares from 0.05 to 0.85 in steps of 0.05 that leave at least 5%
/// passives:
///
/// | n   | Wald: mean | Wald: worst | adjusted: mean | adjusted: worst |
/// |-----|-----------:|------------:|---------------:|----------------:|
/// | 10  | 88.3%      | 74.7%       | 96.1%          | 93.2%           |
/// | 30  | 93.0%      | 87.9%       | 95.3%          | 94.0%           |
/// | 100 | 94.4%      | 92.9%       | 95.1%          | 94.7%           |
///
/// The plain Wald interval covers too rarely in small groups; the adjusted
/// one is close to its nominal level from ten respondents on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NpsInterval {
    /// Add one respondent of each kind, then Wald: the default.
    #[default]
    AdjustedWald,
    /// The plain Wald interval, as the R package NPS computes it.
    Wald,
}

impl NpsInterval {
    /// `"adjusted Wald"` or `"Wald"`, for reports.
    pub fn name(self) -> &'static str {
        match self {
            NpsInterval::AdjustedWald => "adjusted Wald",
            NpsInterval::Wald => "Wald",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid() {
        assert_eq!(ScoreConfig::default().validate(), Ok(()));
    }

    #[test]
    fn each_invalid_field_is_named() {
        let base = ScoreConfig::default();
        let cases = [
            (
                ScoreConfig {
                    wow_margin: f64::NAN,
                    ..base
                },
                "wow_margin",
            ),
            (
                ScoreConfig {
                    yellow_band: -0.1,
                    ..base
                },
                "yellow_band",
            ),
            (
                ScoreConfig {
                    confidence: 1.0,
                    ..base
                },
                "confidence",
            ),
            (
                ScoreConfig {
                    loyalty_target: 0.0,
                    ..base
                },
                "loyalty_target",
            ),
            (
                ScoreConfig {
                    nps: NpsCutoffs {
                        detractor_max: 9.0,
                        promoter_min: 9.0,
                        ..base.nps
                    },
                    ..base
                },
                "nps",
            ),
            (
                ScoreConfig {
                    nps: NpsCutoffs {
                        promoter_min: 11.0,
                        ..base.nps
                    },
                    ..base
                },
                "nps",
            ),
        ];
        for (config, field) in cases {
            let error = config.validate().unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::InvalidConfig { field: f, .. } if *f == field),
                "{error}"
            );
        }
    }

    #[test]
    fn deserializes_partial_config_with_defaults() {
        let config: ScoreConfig = serde_json::from_str(r#"{"min_sample": 5}"#).unwrap();
        assert_eq!(
            config,
            ScoreConfig {
                min_sample: 5,
                ..ScoreConfig::default()
            }
        );
    }
}
