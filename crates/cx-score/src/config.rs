//! The parameters every metric shares.

use cx_model::Scale;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, Result};
use crate::nps::NpsInterval;

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
