//! A moment as a column stores it: whole seconds since the Unix epoch and
//! the nanoseconds past that second.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::error::{ErrorKind, Result};

/// A moment in UTC, as whole seconds since 1970-01-01T00:00:00Z and the
/// nanoseconds past that second: the shape in which an
/// [`ObservationBatch`](crate::ObservationBatch) keeps its timestamps, as
/// Arrow and Parquet keep theirs, with nothing to compute per row.
///
/// It holds exactly the moments a chrono [`DateTime<Utc>`] holds, leap
/// seconds included (chrono counts one as a second ending in :59 with
/// 1,000,000,000 nanoseconds or more), so the two convert into each other
/// without loss and without failure.
///
/// ```
/// use chrono::{DateTime, Utc};
/// use cx_model::Timestamp;
///
/// let moment = Timestamp::new(1_710_505_800, 250_000_000)?;
/// let datetime: DateTime<Utc> = moment.to_datetime();
/// assert_eq!(datetime.to_rfc3339(), "2024-03-15T12:30:00.250+00:00");
/// assert_eq!(Timestamp::from(datetime), moment);
/// assert_eq!((moment.second(), moment.nanosecond()), (1_710_505_800, 250_000_000));
/// assert!(Timestamp::new(0, 1_000_000_000).is_err()); // 00:00:00 is no leap second
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    second: i64,
    nanosecond: u32,
}

/// The first and last second a [`DateTime<Utc>`] holds.
const FIRST: i64 = DateTime::<Utc>::MIN_UTC.timestamp();
const LAST: i64 = DateTime::<Utc>::MAX_UTC.timestamp();

impl Timestamp {
    /// The moment `second` seconds and `nanosecond` nanoseconds after the
    /// Unix epoch.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidTimestamp`] outside the years chrono holds
    /// (-262143 to 262142), or with a billion nanoseconds or more in any
    /// second but one ending in :59 (a leap second, up to two billion).
    #[inline]
    pub fn new(second: i64, nanosecond: u32) -> Result<Timestamp> {
        let leap = nanosecond >= 1_000_000_000;
        if (FIRST..=LAST).contains(&second)
            && (!leap || (nanosecond < 2_000_000_000 && second.rem_euclid(60) == 59))
        {
            return Ok(Timestamp { second, nanosecond });
        }
        Err(invalid(second, nanosecond))
    }

    /// Whole seconds since the Unix epoch (negative before 1970).
    pub fn second(self) -> i64 {
        self.second
    }

    /// Nanoseconds past [`second`](Self::second): below 10^9, but in a
    /// leap second.
    pub fn nanosecond(self) -> u32 {
        self.nanosecond
    }

    /// The same moment as a chrono date and time.
    #[inline]
    pub fn to_datetime(self) -> DateTime<Utc> {
        // Every `Timestamp` is one chrono accepts (a property test holds
        // `new` to `from_timestamp`), so the default is never taken.
        DateTime::from_timestamp(self.second, self.nanosecond).unwrap_or_default()
    }
}

#[cold]
#[inline(never)]
fn invalid(second: i64, nanosecond: u32) -> crate::Error {
    ErrorKind::InvalidTimestamp { second, nanosecond }.into()
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(datetime: DateTime<Utc>) -> Self {
        Timestamp {
            second: datetime.timestamp(),
            nanosecond: datetime.timestamp_subsec_nanos(),
        }
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(timestamp: Timestamp) -> Self {
        timestamp.to_datetime()
    }
}

/// As RFC 3339, in UTC, as chrono writes it.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_datetime().to_rfc3339(), f)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_ends_of_chrono_s_range_are_timestamps() {
        for datetime in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
            let timestamp = Timestamp::from(datetime);
            assert_eq!(timestamp.to_datetime(), datetime);
            assert!(Timestamp::new(timestamp.second(), timestamp.nanosecond()).is_ok());
        }
        assert!(Timestamp::new(FIRST - 1, 0).is_err());
        assert!(Timestamp::new(LAST + 1, 0).is_err());
        assert!(Timestamp::new(59, 1_999_999_999).is_ok());
        assert!(Timestamp::new(-1, 1_000_000_000).is_ok());
        assert!(Timestamp::new(59, 2_000_000_000).is_err());
        assert_eq!(
            Timestamp::new(0, 1_000_000_000).unwrap_err().to_string(),
            "0 s and 1000000000 ns since 1970 is no timestamp: expected years -262143..=262142 and under 10^9 ns (2·10^9 in a leap second)"
        );
    }

    fn second() -> impl Strategy<Value = i64> {
        prop_oneof![
            any::<i64>(),
            (FIRST - 100)..(FIRST + 100),
            (LAST - 100)..(LAST + 100),
            -100_000_000_000i64..100_000_000_000,
        ]
    }

    fn nanosecond() -> impl Strategy<Value = u32> {
        prop_oneof![
            Just(0u32),
            0u32..1_000_000_000,
            999_999_990u32..1_000_000_010,
            1_999_999_990u32..2_000_000_010,
            any::<u32>(),
        ]
    }

    proptest! {
        /// A timestamp is exactly what chrono takes from the same numbers,
        /// and comes back from chrono as it was.
        #[test]
        fn prop_timestamps_are_chrono_s_moments(second in second(), nanosecond in nanosecond()) {
            let ours = Timestamp::new(second, nanosecond).ok();
            let chrono = DateTime::from_timestamp(second, nanosecond);
            prop_assert_eq!(ours.map(Timestamp::to_datetime), chrono);
            if let Some(datetime) = chrono {
                prop_assert_eq!(Some(Timestamp::from(datetime)), ours);
            }
        }
    }
}
