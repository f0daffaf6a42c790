//! Traffic lights and the policies that assign them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::gap::GapStats;

/// The traffic light of a touchpoint or an observation. Ordered from worst to
/// best, so `Red < Yellow < Green`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrafficLight {
    /// Well short of expectation.
    Red,
    /// A little short of expectation.
    Yellow,
    /// Expectation met or exceeded.
    Green,
}

impl TrafficLight {
    /// The light of one normalized gap under the threshold rule: green at or
    /// above 0, yellow from `-yellow_band` up to 0, red below `-yellow_band`.
    pub fn of_normalized_gap(normalized_gap: f64, yellow_band: f64) -> TrafficLight {
        if normalized_gap >= 0.0 {
            TrafficLight::Green
        } else if normalized_gap >= -yellow_band {
            TrafficLight::Yellow
        } else {
            TrafficLight::Red
        }
    }

    /// `"G"`, `"Y"` or `"R"`, for displays where colour cannot carry the meaning.
    pub fn letter(self) -> &'static str {
        match self {
            TrafficLight::Green => "G",
            TrafficLight::Yellow => "Y",
            TrafficLight::Red => "R",
        }
    }

    /// `"green"`, `"yellow"` or `"red"`.
    pub fn name(self) -> &'static str {
        match self {
            TrafficLight::Green => "green",
            TrafficLight::Yellow => "yellow",
            TrafficLight::Red => "red",
        }
    }
}

impl fmt::Display for TrafficLight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// Decides the traffic light of a cell from its gap statistics.
///
/// The scorecard calls a policy only for cells with at least
/// [`ScoreConfig::min_sample`](crate::ScoreConfig::min_sample) observations
/// with a gap; smaller cells are marked as having insufficient data. A policy
/// may still return `None` when its own rule cannot decide (the cautious
/// policy without an interval, for instance).
///
/// A policy of one's own, in a few lines:
///
/// ```
/// use cx_score::{GapStats, TrafficLight, TrafficLightPolicy};
///
/// /// Red as soon as one customer in five is let down.
/// struct OneInFive;
///
/// impl TrafficLightPolicy for OneInFive {
///     fn name(&self) -> &str { "one_in_five" }
///     fn light(&self, gap: &GapStats) -> Option<TrafficLight> {
///         let shortfall = gap.shortfall.share?;
///         Some(if shortfall >= 0.2 { TrafficLight::Red } else { TrafficLight::Green })
///     }
/// }
/// ```
pub trait TrafficLightPolicy {
    /// A short snake_case name, shown in reports.
    fn name(&self) -> &str;

    /// The light of a cell.
    fn light(&self, gap: &GapStats) -> Option<TrafficLight>;
}

/// The default policy: the threshold rule applied to the cell's mean
/// normalized gap. Green when it is `>= 0`, yellow when it is in
/// `-yellow_band..0`, red below.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ThresholdPolicy {
    /// Width of the yellow band below zero; default 0.25.
    pub yellow_band: f64,
}

impl Default for ThresholdPolicy {
    fn default() -> Self {
        ThresholdPolicy { yellow_band: 0.25 }
    }
}

impl TrafficLightPolicy for ThresholdPolicy {
    fn name(&self) -> &str {
        "default"
    }

    fn light(&self, gap: &GapStats) -> Option<TrafficLight> {
        let mean = gap.normalized.mean?;
        Some(TrafficLight::of_normalized_gap(mean, self.yellow_band))
    }
}

/// Lights by the met share: green when at least `green_at_least` of the
/// observations met their expectation, red when fewer than `red_below` did,
/// yellow between.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SharePolicy {
    /// Default 0.90.
    pub green_at_least: f64,
    /// Default 0.70.
    pub red_below: f64,
}

impl Default for SharePolicy {
    fn default() -> Self {
        SharePolicy {
            green_at_least: 0.90,
            red_below: 0.70,
        }
    }
}

impl TrafficLightPolicy for SharePolicy {
    fn name(&self) -> &str {
        "share"
    }

    fn light(&self, gap: &GapStats) -> Option<TrafficLight> {
        let met = gap.met.share?;
        Some(if met >= self.green_at_least {
            TrafficLight::Green
        } else if met < self.red_below {
            TrafficLight::Red
        } else {
            TrafficLight::Yellow
        })
    }
}

/// Lights by the confidence interval of the mean normalized gap, so that only
/// clear evidence turns a light red or green: red only when the whole interval
/// lies below `-yellow_band`, green only when the whole interval is at or
/// above 0, yellow otherwise. Cells without an interval (fewer than two
/// gaps) get no light.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CautiousPolicy {
    /// Default 0.25.
    pub yellow_band: f64,
}

impl Default for CautiousPolicy {
    fn default() -> Self {
        CautiousPolicy { yellow_band: 0.25 }
    }
}

impl TrafficLightPolicy for CautiousPolicy {
    fn name(&self) -> &str {
        "cautious"
    }

    fn light(&self, gap: &GapStats) -> Option<TrafficLight> {
        let ci = gap.normalized.ci?;
        Some(if ci.upper < -self.yellow_band {
            TrafficLight::Red
        } else if ci.lower >= 0.0 {
            TrafficLight::Green
        } else {
            TrafficLight::Yellow
        })
    }
}

impl<P: TrafficLightPolicy + ?Sized> TrafficLightPolicy for &P {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn light(&self, gap: &GapStats) -> Option<TrafficLight> {
        (**self).light(gap)
    }
}

impl<P: TrafficLightPolicy + ?Sized> TrafficLightPolicy for Box<P> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn light(&self, gap: &GapStats) -> Option<TrafficLight> {
        (**self).light(gap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gap::LightCounts;
    use crate::stats::{Interval, MeanStats, ShareStats};

    fn gap(mean: f64, ci: (f64, f64), met: u64, n: u64) -> GapStats {
        let normalized = MeanStats {
            n,
            mean: Some(mean),
            sd: Some(0.1),
            se: Some(0.01),
            ci: Some(Interval {
                lower: ci.0,
                upper: ci.1,
            }),
            weighted: None,
        };
        GapStats {
            n,
            points: normalized,
            normalized,
            met: ShareStats::new(met, n, 0.95),
            wow: ShareStats::new(0, n, 0.95),
            shortfall: ShareStats::new(n - met, n, 0.95),
            lights: LightCounts::default(),
        }
    }

    #[test]
    fn threshold_rule_boundaries() {
        let band = 0.25;
        assert_eq!(
            TrafficLight::of_normalized_gap(0.0, band),
            TrafficLight::Green
        );
        assert_eq!(
            TrafficLight::of_normalized_gap(-0.0, band),
            TrafficLight::Green
        );
        assert_eq!(
            TrafficLight::of_normalized_gap(-1e-12, band),
            TrafficLight::Yellow
        );
        assert_eq!(
            TrafficLight::of_normalized_gap(-0.25, band),
            TrafficLight::Yellow
        );
        assert_eq!(
            TrafficLight::of_normalized_gap(-0.25 - 1e-12, band),
            TrafficLight::Red
        );
        assert_eq!(
            TrafficLight::of_normalized_gap(-0.1, 0.05),
            TrafficLight::Red
        );
    }

    #[test]
    fn default_policy_uses_the_mean() {
        let policy = ThresholdPolicy::default();
        assert_eq!(
            policy.light(&gap(0.1, (-0.5, 0.7), 10, 40)),
            Some(TrafficLight::Green)
        );
        assert_eq!(
            policy.light(&gap(-0.2, (-0.5, 0.7), 10, 40)),
            Some(TrafficLight::Yellow)
        );
        assert_eq!(
            policy.light(&gap(-0.3, (-0.5, 0.7), 10, 40)),
            Some(TrafficLight::Red)
        );
    }

    #[test]
    fn share_policy_uses_the_met_share() {
        let policy = SharePolicy::default();
        // 36/40 = 0.90 → green (at least); 28/40 = 0.70 → yellow; 27/40 = 0.675 → red.
        assert_eq!(
            policy.light(&gap(-0.9, (-1.0, -0.8), 36, 40)),
            Some(TrafficLight::Green)
        );
        assert_eq!(
            policy.light(&gap(0.5, (0.4, 0.6), 28, 40)),
            Some(TrafficLight::Yellow)
        );
        assert_eq!(
            policy.light(&gap(0.5, (0.4, 0.6), 27, 40)),
            Some(TrafficLight::Red)
        );
        assert_eq!(policy.light(&gap(0.5, (0.4, 0.6), 0, 0)), None);
    }

    #[test]
    fn cautious_policy_needs_the_whole_interval() {
        let policy = CautiousPolicy::default();
        // The mean alone would be red, but the interval reaches above -0.25.
        assert_eq!(
            policy.light(&gap(-0.3, (-0.4, -0.2), 10, 40)),
            Some(TrafficLight::Yellow)
        );
        assert_eq!(
            policy.light(&gap(-0.3, (-0.4, -0.26), 10, 40)),
            Some(TrafficLight::Red)
        );
        // The mean alone would be green, but the interval reaches below 0.
        assert_eq!(
            policy.light(&gap(0.1, (-0.01, 0.2), 10, 40)),
            Some(TrafficLight::Yellow)
        );
        assert_eq!(
            policy.light(&gap(0.1, (0.0, 0.2), 10, 40)),
            Some(TrafficLight::Green)
        );
        let mut no_interval = gap(0.1, (0.0, 0.2), 1, 1);
        no_interval.normalized.ci = None;
        assert_eq!(policy.light(&no_interval), None);
    }

    #[test]
    fn lights_are_ordered_worst_first() {
        assert!(
            TrafficLight::Red < TrafficLight::Yellow && TrafficLight::Yellow < TrafficLight::Green
        );
        assert_eq!(TrafficLight::Yellow.letter(), "Y");
    }
}
