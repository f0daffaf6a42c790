//! Scoring variants: everything that decides a result, under one name.

use serde::{Deserialize, Serialize};

use crate::aggregate::{JourneyAggregation, PeakEnd, WeakestLink, WeightedMean};
use crate::light::{CautiousPolicy, SharePolicy, ThresholdPolicy, TrafficLightPolicy};

/// Where a variant takes the expectation from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpectationSource {
    /// The respondent's own expectation, else the touchpoint's target.
    Respondent,
    /// Always the touchpoint's target; own expectations are ignored.
    Target,
}

impl ExpectationSource {
    /// The snake_case name, as serialized.
    ///
    /// ```
    /// use cx_score::research::ExpectationSource;
    ///
    /// assert_eq!(ExpectationSource::Target.name(), "target");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ExpectationSource::Respondent => "respondent",
            ExpectationSource::Target => "target",
        }
    }
}

/// A way of scoring a journey: a name plus everything that decides a result.
///
/// Built-ins are made with [`Variant::builtin`]; one of one's own needs only
/// a name, a policy and an aggregation:
///
/// ```
/// use cx_score::research::ScoringVariant;
/// use cx_score::{JourneyAggregation, ThresholdPolicy, TrafficLightPolicy, WeakestLink};
///
/// /// The weakest link, with a stricter yellow band.
/// struct Strict { policy: ThresholdPolicy }
///
/// impl ScoringVariant for Strict {
///     fn name(&self) -> &str { "strict" }
///     fn policy(&self) -> &dyn TrafficLightPolicy { &self.policy }
///     fn aggregation(&self) -> &dyn JourneyAggregation { &WeakestLink }
///     fn yellow_band(&self) -> f64 { self.policy.yellow_band }
/// }
///
/// let strict = Strict { policy: ThresholdPolicy { yellow_band: 0.1 } };
/// assert_eq!(strict.wow_margin(), 0.25); // the default
/// ```
pub trait ScoringVariant {
    /// A short name, shown in comparisons.
    fn name(&self) -> &str;

    /// How touchpoints get their light.
    fn policy(&self) -> &dyn TrafficLightPolicy;

    /// How touchpoint scores become a journey score, per respondent and overall.
    fn aggregation(&self) -> &dyn JourneyAggregation;

    /// The WOW margin (normalized gap); default 0.25.
    fn wow_margin(&self) -> f64 {
        0.25
    }

    /// The yellow band of observation lights (normalized gap); default 0.25.
    fn yellow_band(&self) -> f64 {
        0.25
    }

    /// Where expectations come from; default the respondent's own, else the target.
    fn expectations(&self) -> ExpectationSource {
        ExpectationSource::Respondent
    }
}

/// A variant assembled from parts.
pub struct Variant {
    name: String,
    policy: Box<dyn TrafficLightPolicy + Send + Sync>,
    aggregation: Box<dyn JourneyAggregation + Send + Sync>,
    wow_margin: f64,
    yellow_band: f64,
    expectations: ExpectationSource,
}

impl std::fmt::Debug for Variant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Variant")
            .field("name", &self.name)
            .field("policy", &self.policy.name())
            .field("aggregation", &self.aggregation.name())
            .field("wow_margin", &self.wow_margin)
            .field("yellow_band", &self.yellow_band)
            .field("expectations", &self.expectations)
            .finish()
    }
}

impl Variant {
    /// The names of the built-in variants, for [`Variant::builtin`].
    pub const BUILTINS: [&'static str; 6] = [
        "default",
        "share",
        "cautious",
        "weakest_link",
        "peak_end",
        "targets",
    ];

    /// A variant from a policy and an aggregation, with the default margins
    /// and expectations.
    pub fn new(
        name: impl Into<String>,
        policy: impl TrafficLightPolicy + Send + Sync + 'static,
        aggregation: impl JourneyAggregation + Send + Sync + 'static,
    ) -> Self {
        Variant {
            name: name.into(),
            policy: Box::new(policy),
            aggregation: Box::new(aggregation),
            wow_margin: 0.25,
            yellow_band: 0.25,
            expectations: ExpectationSource::Respondent,
        }
    }

    /// Sets where expectations come from.
    #[must_use]
    pub fn with_expectations(mut self, source: ExpectationSource) -> Self {
        self.expectations = source;
        self
    }

    /// Sets the WOW margin.
    #[must_use]
    pub fn with_wow_margin(mut self, margin: f64) -> Self {
        self.wow_margin = margin;
        self
    }

    /// A built-in variant by name:
    ///
    /// | name | policy | aggregation | expectations |
    /// | --- | --- | --- | --- |
    /// | `default` | threshold | weighted mean | respondent, else target |
    /// | `share` | share | weighted mean | respondent, else target |
    /// | `cautious` | cautious | weighted mean | respondent, else target |
    /// | `weakest_link` | threshold | weakest link | respondent, else target |
    /// | `peak_end` | threshold | peak-end | respondent, else target |
    /// | `targets` | threshold | weighted mean | targets only |
    pub fn builtin(name: &str) -> Option<Variant> {
        Some(match name {
            "default" => Variant::new(name, ThresholdPolicy::default(), WeightedMean),
            "share" => Variant::new(name, SharePolicy::default(), WeightedMean),
            "cautious" => Variant::new(name, CautiousPolicy::default(), WeightedMean),
            "weakest_link" => Variant::new(name, ThresholdPolicy::default(), WeakestLink),
            "peak_end" => Variant::new(name, ThresholdPolicy::default(), PeakEnd),
            "targets" => Variant::new(name, ThresholdPolicy::default(), WeightedMean)
                .with_expectations(ExpectationSource::Target),
            _ => return None,
        })
    }
}

impl ScoringVariant for Variant {
    fn name(&self) -> &str {
        &self.name
    }
    fn policy(&self) -> &dyn TrafficLightPolicy {
        self.policy.as_ref()
    }
    fn aggregation(&self) -> &dyn JourneyAggregation {
        self.aggregation.as_ref()
    }
    fn wow_margin(&self) -> f64 {
        self.wow_margin
    }
    fn yellow_band(&self) -> f64 {
        self.yellow_band
    }
    fn expectations(&self) -> ExpectationSource {
        self.expectations
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_exists_with_its_parts() {
        for name in Variant::BUILTINS {
            let variant = Variant::builtin(name).unwrap();
            assert_eq!(variant.name(), name);
        }
        assert_eq!(Variant::builtin("share").unwrap().policy().name(), "share");
        assert_eq!(
            Variant::builtin("peak_end").unwrap().aggregation().name(),
            "peak_end"
        );
        assert_eq!(
            Variant::builtin("targets").unwrap().expectations(),
            ExpectationSource::Target
        );
        assert!(Variant::builtin("nope").is_none());
    }
}
