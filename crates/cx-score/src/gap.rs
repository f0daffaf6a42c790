//! The expectation gap of a cell, as reported: its statistics and how many
//! observations fell in each traffic-light band.

use serde::{Deserialize, Serialize};

use crate::stats::{MeanStats, ShareStats};

/// The expectation gap of a cell: `gap = reality - expectation`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GapStats {
    /// Observations with a gap.
    pub n: u64,
    /// The gap in scale points.
    pub points: MeanStats,
    /// The gap divided by the scale's span, in -1..=1.
    pub normalized: MeanStats,
    /// Share with `gap >= 0`: expectation met or exceeded.
    pub met: ShareStats,
    /// Share with normalized gap `>= wow_margin`: WOW moments.
    pub wow: ShareStats,
    /// Share with `gap < 0`.
    pub shortfall: ShareStats,
    /// Observation-level traffic lights under the threshold rule.
    pub lights: LightCounts,
}

impl GapStats {
    /// The sample size that the minimum sample goes by: `n`, or Kish's
    /// effective sample size of the gaps when weighted.
    pub fn sample_size(&self) -> f64 {
        self.points
            .weighted
            .map_or(self.n as f64, |weighted| weighted.effective_n)
    }
}

/// How many observations fell in each traffic-light band.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LightCounts {
    /// Normalized gap `>= 0`.
    pub green: u64,
    /// Normalized gap in `-yellow_band..0`.
    pub yellow: u64,
    /// Normalized gap below `-yellow_band`.
    pub red: u64,
}
