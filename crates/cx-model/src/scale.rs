//! Rating scales.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::error::{Error, ErrorKind, Range, Result};

/// A rating scale: the closed range `min..=max` of valid ratings, and
/// optionally one value outside it that means "not applicable".
///
/// Ratings are `f64` so that every common survey scale fits: 1..=5 Likert,
/// 0..=10 likelihood to recommend, 1..=100 sliders, 0..=100 rescaled items.
///
/// The not-applicable value must lie outside `min..=max`, so that it can never
/// be mistaken for a real rating. The airline survey's "0..=5 where 0 means not
/// applicable" is therefore the scale `1..=5` with not-applicable value `0`:
///
/// ```
/// use cx_model::{Rating, Scale};
///
/// let scale = Scale::new(1.0, 5.0)?.with_not_applicable(0.0)?;
/// assert_eq!(scale.classify(0.0)?, Rating::NotApplicable);
/// assert_eq!(scale.classify(4.0)?, Rating::Applicable(4.0));
/// assert_eq!(scale.normalize(4.0)?, 0.75);
/// assert!(scale.normalize(6.0).is_err()); // out of scale is an error, never a clamp
/// # Ok::<(), cx_model::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ScaleFields", into = "ScaleFields")]
pub struct Scale {
    min: f64,
    max: f64,
    not_applicable: Option<f64>,
}

/// What a raw value means on a [`Scale`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rating {
    /// A rating inside the scale.
    Applicable(f64),
    /// The scale's not-applicable value: the touchpoint was not experienced.
    NotApplicable,
}

/// The serialized form of a [`Scale`]; deserializing validates it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleFields {
    min: f64,
    max: f64,
    #[serde(default)]
    not_applicable: Option<f64>,
}

impl Serialize for ScaleFields {
    /// Text formats leave out a missing not-applicable value; binary ones,
    /// which may read fields by position, write every field.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let every_field = !serializer.is_human_readable();
        let mut fields = serializer.serialize_struct("ScaleFields", 3)?;
        fields.serialize_field("min", &self.min)?;
        fields.serialize_field("max", &self.max)?;
        if every_field || self.not_applicable.is_some() {
            fields.serialize_field("not_applicable", &self.not_applicable)?;
        } else {
            fields.skip_field("not_applicable")?;
        }
        fields.end()
    }
}

impl TryFrom<ScaleFields> for Scale {
    type Error = Error;

    fn try_from(fields: ScaleFields) -> Result<Self> {
        let scale = Scale::new(fields.min, fields.max)?;
        match fields.not_applicable {
            Some(value) => scale.with_not_applicable(value),
            None => Ok(scale),
        }
    }
}

impl From<Scale> for ScaleFields {
    fn from(scale: Scale) -> Self {
        ScaleFields {
            min: scale.min,
            max: scale.max,
            not_applicable: scale.not_applicable,
        }
    }
}

impl Scale {
    /// The 1..=5 Likert scale.
    pub const LIKERT_5: Scale = Scale {
        min: 1.0,
        max: 5.0,
        not_applicable: None,
    };

    /// The largest magnitude of a scale's bound: 1,000,000. Rating scales
    /// are small (0..=10, 1..=100); the bound keeps every derived figure, the
    /// scale's width, a normalized gap, a sum of squared gaps, finite and
    /// exact where cx keeps it exact.
    pub const MAX_SCALE_BOUND: f64 = 1e6;

    /// The 1..=7 Likert scale.
    pub const LIKERT_7: Scale = Scale {
        min: 1.0,
        max: 7.0,
        not_applicable: None,
    };

    /// The 0..=10 likelihood-to-recommend scale used by NPS.
    pub const LIKELIHOOD_0_10: Scale = Scale {
        min: 0.0,
        max: 10.0,
        not_applicable: None,
    };

    /// A scale from `min` to `max`, both included.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidBounds`] unless `min < max`, both within
    /// ±[`MAX_SCALE_BOUND`](Self::MAX_SCALE_BOUND).
    pub fn new(min: f64, max: f64) -> Result<Self> {
        let bounded = -Self::MAX_SCALE_BOUND..=Self::MAX_SCALE_BOUND;
        // Written so that NaN fails too.
        if !(bounded.contains(&min) && bounded.contains(&max) && min < max) {
            return Err(ErrorKind::InvalidBounds { min, max }.into());
        }
        Ok(Scale {
            min,
            max,
            not_applicable: None,
        })
    }

    /// The same scale with `value` meaning "not applicable".
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotApplicableInRange`] if `value` is not finite or lies
    /// inside `min..=max`, where it would be indistinguishable from a rating.
    pub fn with_not_applicable(self, value: f64) -> Result<Self> {
        if !value.is_finite() || self.contains(value) {
            return Err(ErrorKind::NotApplicableInRange {
                value,
                min: self.min,
                max: self.max,
                not_applicable: self.not_applicable,
            }
            .into());
        }
        Ok(Scale {
            not_applicable: Some(value),
            ..self
        })
    }

    /// The lowest valid rating.
    pub fn min(&self) -> f64 {
        self.min
    }

    /// The highest valid rating.
    pub fn max(&self) -> f64 {
        self.max
    }

    /// The value meaning "not applicable", if the scale has one.
    pub fn not_applicable(&self) -> Option<f64> {
        self.not_applicable
    }

    /// `max - min`: the number of scale points between the ends.
    pub fn span(&self) -> f64 {
        self.max - self.min
    }

    /// Whether `value` is a rating inside `min..=max`.
    pub fn contains(&self, value: f64) -> bool {
        value >= self.min && value <= self.max
    }

    /// Tells whether `value` is a rating or the not-applicable value.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFinite`] for NaN and infinities, and
    /// [`ErrorKind::OutOfScale`] for any other value outside the scale.
    pub fn classify(&self, value: f64) -> Result<Rating> {
        if !value.is_finite() {
            return Err(ErrorKind::NotFinite { value }.into());
        }
        if self.not_applicable == Some(value) {
            return Ok(Rating::NotApplicable);
        }
        if !self.contains(value) {
            return Err(self.out_of_scale(value));
        }
        Ok(Rating::Applicable(value))
    }

    /// `value` as a rating with a position on the scale.
    ///
    /// ```
    /// use cx_model::{ErrorKind, Scale};
    ///
    /// let scale = Scale::LIKERT_5.with_not_applicable(0.0)?;
    /// assert_eq!(scale.rating(4.0)?, 4.0);
    /// let error = scale.rating(0.0).unwrap_err();
    /// assert!(matches!(error.kind(), ErrorKind::NotApplicable { .. }));
    /// # Ok::<(), cx_model::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errors of [`Scale::classify`], and [`ErrorKind::NotApplicable`]
    /// for the not-applicable value, which has no position on the scale.
    pub fn rating(&self, value: f64) -> Result<f64> {
        match self.classify(value)? {
            Rating::Applicable(rating) => Ok(rating),
            Rating::NotApplicable => Err(ErrorKind::NotApplicable { value }.into()),
        }
    }

    /// The error for `value`, a finite number outside the scale.
    ///
    /// ```
    /// use cx_model::Scale;
    ///
    /// let error = Scale::LIKERT_5.out_of_scale(9.0);
    /// assert_eq!(error.to_string(), "rating 9 is outside the scale 1..=5");
    /// ```
    pub fn out_of_scale(&self, value: f64) -> Error {
        ErrorKind::OutOfScale {
            value,
            min: self.min,
            max: self.max,
            not_applicable: self.not_applicable,
        }
        .into()
    }

    /// Maps a rating linearly onto `0..=1`: `(value - min) / (max - min)`.
    ///
    /// # Errors
    ///
    /// The errors of [`Scale::rating`].
    pub fn normalize(&self, value: f64) -> Result<f64> {
        Ok((self.rating(value)? - self.min) / self.span())
    }

    /// Expresses a difference of `points` scale points as a share of the span,
    /// so that a gap of one point on 1..=5 is `0.25`.
    pub fn normalize_difference(&self, points: f64) -> f64 {
        points / self.span()
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Range(self.min, self.max, self.not_applicable), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rejects_bounds_that_are_not_increasing_or_not_finite() {
        for (min, max) in [
            (5.0, 1.0),
            (3.0, 3.0),
            (f64::NAN, 5.0),
            (1.0, f64::INFINITY),
            (-1e308, 1e308),
            (0.0, 1_000_001.0),
        ] {
            assert!(
                matches!(
                    Scale::new(min, max).map_err(Error::into_kind),
                    Err(ErrorKind::InvalidBounds { .. })
                ),
                "{min}..={max} was accepted"
            );
        }
    }

    #[test]
    fn normalizes_the_ends_and_the_middle() {
        let scale = Scale::new(1.0, 5.0).unwrap();
        assert_eq!(scale.normalize(1.0).unwrap(), 0.0);
        assert_eq!(scale.normalize(3.0).unwrap(), 0.5);
        assert_eq!(scale.normalize(5.0).unwrap(), 1.0);
        // 0..=10: 7 is 7/10 of the way.
        assert_eq!(Scale::LIKELIHOOD_0_10.normalize(7.0).unwrap(), 0.7);
    }

    #[test]
    fn out_of_scale_is_an_error_not_a_clamp() {
        let scale = Scale::LIKERT_5;
        assert_eq!(scale.normalize(6.0), Err(scale.out_of_scale(6.0)));
        assert!(matches!(
            scale.normalize(0.5).map_err(Error::into_kind),
            Err(ErrorKind::OutOfScale { .. })
        ));
        assert!(matches!(
            scale.normalize(f64::NAN).map_err(Error::into_kind),
            Err(ErrorKind::NotFinite { .. })
        ));
        assert!(matches!(
            scale.normalize(f64::NEG_INFINITY).map_err(Error::into_kind),
            Err(ErrorKind::NotFinite { .. })
        ));
    }

    #[test]
    fn not_applicable_must_lie_outside_the_scale() {
        let scale = Scale::LIKERT_5;
        assert!(matches!(
            scale.with_not_applicable(3.0).map_err(Error::into_kind),
            Err(ErrorKind::NotApplicableInRange { .. })
        ));
        assert!(matches!(
            scale
                .with_not_applicable(f64::NAN)
                .map_err(Error::into_kind),
            Err(ErrorKind::NotApplicableInRange { .. })
        ));
        let scale = scale.with_not_applicable(0.0).unwrap();
        assert_eq!(scale.classify(0.0).unwrap(), Rating::NotApplicable);
        assert_eq!(
            scale.normalize(0.0),
            Err(ErrorKind::NotApplicable { value: 0.0 }.into())
        );
    }

    #[test]
    fn serde_round_trip_validates() {
        let scale = Scale::new(1.0, 5.0)
            .unwrap()
            .with_not_applicable(0.0)
            .unwrap();
        let json = serde_json::to_string(&scale).unwrap();
        assert_eq!(json, r#"{"min":1.0,"max":5.0,"not_applicable":0.0}"#);
        assert_eq!(serde_json::from_str::<Scale>(&json).unwrap(), scale);
        let bad = serde_json::from_str::<Scale>(r#"{"min":5,"max":1}"#);
        assert!(bad.unwrap_err().to_string().contains("5..=1"));
    }

    #[test]
    fn display_names_the_range() {
        let scale = Scale::LIKERT_5.with_not_applicable(0.0).unwrap();
        assert_eq!(scale.to_string(), "1..=5 (0 = not applicable)");
    }

    /// Any scale with increasing bounds within ±1,000,000.
    fn scales() -> impl Strategy<Value = Scale> {
        (-1e6..5e5f64, 1e-3..5e5f64).prop_map(|(min, width)| {
            Scale::new(min, min + width).expect("increasing finite bounds")
        })
    }

    proptest! {
        #[test]
        fn normalize_stays_in_unit_interval_for_in_scale_ratings(
            scale in scales(),
            position in 0.0..=1.0f64,
        ) {
            let rating = (scale.min() + position * scale.span()).clamp(scale.min(), scale.max());
            let normalized = scale.normalize(rating).unwrap();
            prop_assert!((0.0..=1.0).contains(&normalized), "{rating} on {scale} -> {normalized}");
        }

        #[test]
        fn normalize_rejects_every_out_of_scale_rating(
            scale in scales(),
            distance in 1e-9..1e9f64,
            above in any::<bool>(),
        ) {
            let rating = if above { scale.max() + distance * scale.span() } else { scale.min() - distance * scale.span() };
            prop_assume!(!scale.contains(rating));
            let is_out_of_scale = matches!(
            scale.normalize(rating).map_err(Error::into_kind),
            Err(ErrorKind::OutOfScale { .. }));
            prop_assert!(is_out_of_scale);
        }

        #[test]
        fn normalize_rejects_every_non_finite_value(
            scale in scales(),
            value in prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY)],
        ) {
            let is_not_finite = matches!(
            scale.normalize(value).map_err(Error::into_kind),
            Err(ErrorKind::NotFinite { .. }));
            prop_assert!(is_not_finite);
        }
    }
}
