//! How many rejected records a command takes before it fails
//! (`--max-rejected`), and the failure when it takes more.

use std::fmt;
use std::str::FromStr;

use crate::pipeline::Failure;

/// The most rejected records a run may have and still succeed: a count, or
/// a share of the records read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RejectLimit {
    /// At most this many.
    Count(u64),
    /// At most this share of the records read, in `0..=1`.
    Share(f64),
}

/// The default: at most 5% of the records read.
pub const DEFAULT_MAX_REJECTED: &str = "5%";

impl FromStr for RejectLimit {
    type Err = String;

    /// `12` (records) or `2.5%` (of the records read, 0% to 100%).
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let expected = || {
            format!("{text:?} is not a count (such as 100) or a share from 0% to 100% (such as 5%)")
        };
        match text.strip_suffix('%') {
            Some(percent) => {
                let share: f64 = percent.trim().parse().map_err(|_| expected())?;
                if (0.0..=100.0).contains(&share) {
                    Ok(RejectLimit::Share(share / 100.0))
                } else {
                    Err(expected())
                }
            }
            None => text.parse().map(RejectLimit::Count).map_err(|_| expected()),
        }
    }
}

impl fmt::Display for RejectLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectLimit::Count(count) => write!(f, "{count}"),
            RejectLimit::Share(share) => write!(f, "{}%", share * 100.0),
        }
    }
}

impl RejectLimit {
    /// Whether `rejected` of `read` records is more than the limit allows.
    fn exceeded(self, rejected: u64, read: u64) -> bool {
        match self {
            RejectLimit::Count(count) => rejected > count,
            // In integers where it matters: 5% of 20 allows exactly 1.
            RejectLimit::Share(share) => rejected as f64 > share * read as f64,
        }
    }
}

/// What a run rejected: records read, records scored, and the rejected
/// ones by reason (the reader's and the scorer's).
#[derive(Debug, Default)]
pub struct Rejections {
    /// Records read, accepted or not.
    pub read: u64,
    /// Observations and outcomes that made it into the results.
    pub scored: u64,
    /// Rejected records per reason, each reason once.
    pub reasons: Vec<(String, u64)>,
}

impl Rejections {
    /// Counts `count` records rejected for `reason`.
    pub fn add(&mut self, reason: impl fmt::Display, count: u64) {
        if count == 0 {
            return;
        }
        let reason = reason.to_string();
        match self.reasons.iter_mut().find(|(name, _)| *name == reason) {
            Some((_, total)) => *total += count,
            None => self.reasons.push((reason, count)),
        }
    }

    fn total(&self) -> u64 {
        self.reasons.iter().map(|(_, count)| count).sum()
    }

    /// Fails the run when nothing was scored (no records, or every one
    /// rejected), or more were rejected than `limit` allows: exit 1, naming
    /// `responses`, the count and the most common reason.
    pub fn check(&self, responses: &str, limit: RejectLimit) -> Result<(), Failure> {
        let (rejected, read) = (self.total(), self.read);
        let most_common = self
            .reasons
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(reason, count)| format!("most often {reason} ({count})"))
            .unwrap_or_default();
        if read == 0 {
            return Err(Failure::data(format!(
                "{responses}: no records to score (a header without rows, or nothing)"
            )));
        }
        if self.scored == 0 {
            return Err(Failure::data(format!(
                "{responses}: every record was rejected ({read}); {most_common}"
            )));
        }
        if limit.exceeded(rejected, read) {
            return Err(Failure::data(format!(
                "{responses}: {rejected} of {read} records rejected, more than --max-rejected {limit} allows; {most_common} (run `cx validate` for details, or raise --max-rejected)"
            )));
        }
        Ok(())
    }
}

/// Tells on stderr which survey export the file was read as (if not a
/// plain file), how many numbers were read with a decimal comma, and
/// how many optional fields were rejected in records kept without them,
/// per reason, and the first; these do not count toward `--max-rejected`,
/// since no record was lost, but are never silent.
pub fn tell_fields(responses: &str, summary: &cx_io::ReadSummary) {
    if let Some(export) = summary.export_said() {
        crate::tell(format_args!("{responses}: read as {export}"));
    }
    if summary.decimal_commas > 0 {
        crate::tell(format_args!(
            "{responses}: {} numbers read with a decimal comma (4,5 as 4.5)",
            summary.decimal_commas
        ));
    }
    let rejected = summary.fields_rejected_total();
    if rejected == 0 {
        return;
    }
    crate::tell(format_args!(
        "{responses}: {} (records kept without them); first: {}",
        fields_rejected(summary),
        summary
            .examples
            .iter()
            .find(|example| example.is_field())
            .map_or_else(String::new, ToString::to_string)
    ));
}

/// `2 fields rejected: invalid_timestamp 1, unknown_emotion 1`.
fn fields_rejected(summary: &cx_io::ReadSummary) -> String {
    let total = summary.fields_rejected_total();
    let kinds: Vec<String> = summary
        .fields_rejected
        .iter()
        .map(|(kind, count)| format!("{kind} {count}"))
        .collect();
    let noun = if total == 1 { "field" } else { "fields" };
    format!("{total} {noun} rejected: {}", kinds.join(", "))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn limits_read_as_counts_or_shares() {
        assert_eq!("12".parse(), Ok(RejectLimit::Count(12)));
        assert_eq!("5%".parse(), Ok(RejectLimit::Share(0.05)));
        assert_eq!(" 100 % ".parse(), Ok(RejectLimit::Share(1.0)));
        for bad in ["-1", "101%", "five", "%", "1.5"] {
            assert!(bad.parse::<RejectLimit>().is_err(), "{bad}");
        }
        assert_eq!(RejectLimit::Share(0.05).to_string(), "5%");
    }

    #[test]
    fn the_limit_and_the_all_rejected_rule() {
        let mut rejections = Rejections {
            read: 20,
            scored: 17,
            ..Rejections::default()
        };
        rejections.add("not_a_number", 1);
        assert!(rejections.check("in.csv", RejectLimit::Share(0.05)).is_ok());
        rejections.add("unknown_touchpoint", 1);
        rejections.add("unknown_touchpoint", 1);
        let failure = rejections
            .check("in.csv", RejectLimit::Share(0.05))
            .unwrap_err();
        assert_eq!(failure.code, 1);
        assert!(
            failure.message.starts_with(
                "in.csv: 3 of 20 records rejected, more than --max-rejected 5% allows; most often unknown_touchpoint (2)"
            ),
            "{}",
            failure.message
        );
        assert!(rejections.check("in.csv", RejectLimit::Count(3)).is_ok());
        assert!(rejections.check("in.csv", RejectLimit::Count(2)).is_err());
        // Every record rejected fails whatever the limit.
        let all = Rejections {
            read: 3,
            scored: 0,
            reasons: vec![("timestamp".into(), 3)],
        };
        let failure = all.check("in.csv", RejectLimit::Share(1.0)).unwrap_err();
        assert_eq!(
            failure.message,
            "in.csv: every record was rejected (3); most often timestamp (3)"
        );
        let failure = Rejections::default()
            .check("in.csv", RejectLimit::Count(0))
            .unwrap_err();
        assert_eq!(
            failure.message,
            "in.csv: no records to score (a header without rows, or nothing)"
        );
    }
}
