//! Turning touchpoint scores into one journey score.

/// One touchpoint's score, as an aggregation sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TouchpointScoreInput {
    /// Position in journey order, counting from 0.
    pub index: usize,
    /// The touchpoint's weight from the journey.
    pub weight: f64,
    /// The score: a mean normalized gap, in -1..=1.
    pub score: f64,
}

/// Combines touchpoint scores into one journey score.
///
/// The scorecard calls it with every touchpoint that has at least one gap, in
/// journey order; research code calls it with one respondent's touchpoints to
/// get a per-respondent journey score. An aggregation returns `None` when it
/// cannot decide (no input, or all weights zero).
///
/// Built-ins: [`WeightedMean`], [`WeakestLink`], [`PeakEnd`]. One of one's own:
///
/// ```
/// use cx_score::{JourneyAggregation, TouchpointScoreInput};
///
/// /// The first contact counts as much as all the others together.
/// struct FirstImpression;
///
/// impl JourneyAggregation for FirstImpression {
///     fn name(&self) -> &str { "first_impression" }
///     fn aggregate(&self, scores: &[TouchpointScoreInput]) -> Option<f64> {
///         let (first, rest) = scores.split_first()?;
///         if rest.is_empty() { return Some(first.score); }
///         let others = rest.iter().map(|s| s.score).sum::<f64>() / rest.len() as f64;
///         Some((first.score + others) / 2.0)
///     }
/// }
/// ```
pub trait JourneyAggregation {
    /// A short snake_case name, shown in reports.
    fn name(&self) -> &str;

    /// The journey score, in the same units as the inputs.
    fn aggregate(&self, scores: &[TouchpointScoreInput]) -> Option<f64>;
}

/// `Σ weight · score / Σ weight`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WeightedMean;

impl JourneyAggregation for WeightedMean {
    fn name(&self) -> &str {
        "weighted_mean"
    }

    fn aggregate(&self, scores: &[TouchpointScoreInput]) -> Option<f64> {
        let total: f64 = scores.iter().map(|s| s.weight).sum();
        let weighted: f64 = scores.iter().map(|s| s.weight * s.score).sum();
        (total > 0.0 && total.is_finite()).then(|| weighted / total)
    }
}

/// The lowest touchpoint score: a journey is as good as its weakest link.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WeakestLink;

impl JourneyAggregation for WeakestLink {
    fn name(&self) -> &str {
        "weakest_link"
    }

    fn aggregate(&self, scores: &[TouchpointScoreInput]) -> Option<f64> {
        scores.iter().map(|s| s.score).reduce(f64::min)
    }
}

/// The peak-end rule (Kahneman): the mean of the most extreme touchpoint (the
/// largest absolute score; the earliest on a tie) and the last touchpoint in
/// journey order among those given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PeakEnd;

impl JourneyAggregation for PeakEnd {
    fn name(&self) -> &str {
        "peak_end"
    }

    fn aggregate(&self, scores: &[TouchpointScoreInput]) -> Option<f64> {
        let peak = scores.iter().reduce(|best, s| {
            if s.score.abs() > best.score.abs() {
                s
            } else {
                best
            }
        })?;
        let end = scores.iter().max_by_key(|s| s.index)?;
        Some((peak.score + end.score) / 2.0)
    }
}

impl<A: JourneyAggregation + ?Sized> JourneyAggregation for &A {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn aggregate(&self, scores: &[TouchpointScoreInput]) -> Option<f64> {
        (**self).aggregate(scores)
    }
}

impl<A: JourneyAggregation + ?Sized> JourneyAggregation for Box<A> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn aggregate(&self, scores: &[TouchpointScoreInput]) -> Option<f64> {
        (**self).aggregate(scores)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(scores: &[(f64, f64)]) -> Vec<TouchpointScoreInput> {
        scores
            .iter()
            .enumerate()
            .map(|(index, &(weight, score))| TouchpointScoreInput {
                index,
                weight,
                score,
            })
            .collect()
    }

    #[test]
    fn weighted_mean_by_hand() {
        // (1·0.2 + 3·-0.2) / 4 = -0.1
        let scores = inputs(&[(1.0, 0.2), (3.0, -0.2)]);
        assert!((WeightedMean.aggregate(&scores).unwrap() - -0.1).abs() < 1e-12);
        assert_eq!(WeightedMean.aggregate(&inputs(&[(0.0, 0.5)])), None);
        assert_eq!(WeightedMean.aggregate(&[]), None);
    }

    #[test]
    fn weakest_link_is_the_minimum() {
        let scores = inputs(&[(1.0, 0.2), (1.0, -0.4), (1.0, 0.1)]);
        assert_eq!(WeakestLink.aggregate(&scores), Some(-0.4));
        assert_eq!(WeakestLink.aggregate(&[]), None);
    }

    #[test]
    fn peak_end_by_hand() {
        // Peak: -0.4 (largest |score|); end: 0.1 → (-0.4 + 0.1) / 2 = -0.15.
        let scores = inputs(&[(1.0, 0.2), (1.0, -0.4), (1.0, 0.1)]);
        assert!((PeakEnd.aggregate(&scores).unwrap() - -0.15).abs() < 1e-12);
        // A single touchpoint is both peak and end.
        assert_eq!(PeakEnd.aggregate(&inputs(&[(1.0, 0.3)])), Some(0.3));
        // Ties keep the earliest peak: 0.3 vs -0.3 → 0.3; end -0.3 → 0.
        assert_eq!(
            PeakEnd.aggregate(&inputs(&[(1.0, 0.3), (1.0, -0.3)])),
            Some(0.0)
        );
    }
}
