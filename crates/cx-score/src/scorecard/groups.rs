//! The groups a scorecard is broken down into, and what each has seen.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Utc};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::clusters::PooledClusters;
use crate::cell::CellAccumulator;
use crate::error::{Error, ErrorKind};
use crate::loyalty::LoyaltyAccumulator;
use crate::nps::NpsAccumulator;
use crate::stats::Moments;
use crate::tally::Tally;

/// A way to split results into groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// By the respondent's segment.
    Segment,
    /// By the channel of the observation, or else of its touchpoint.
    /// Outcomes have no channel and are not split by it.
    Channel,
    /// By calendar day (UTC) of the timestamp: `2024-03-15`.
    Day,
    /// By ISO 8601 week of the timestamp: `2024-W11`.
    Week,
    /// By calendar month of the timestamp: `2024-03`.
    Month,
}

impl Dimension {
    /// Every dimension.
    pub const ALL: [Dimension; 5] = [
        Dimension::Segment,
        Dimension::Channel,
        Dimension::Day,
        Dimension::Week,
        Dimension::Month,
    ];

    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Segment => "segment",
            Dimension::Channel => "channel",
            Dimension::Day => "day",
            Dimension::Week => "week",
            Dimension::Month => "month",
        }
    }

    /// The group key of a timestamp for the period dimensions; `None` for
    /// segment and channel.
    pub fn period_of(self, timestamp: DateTime<Utc>) -> Option<String> {
        match self {
            Dimension::Segment | Dimension::Channel => None,
            Dimension::Day => Some(timestamp.format("%Y-%m-%d").to_string()),
            Dimension::Week => {
                let week = timestamp.iso_week();
                Some(format!("{}-W{:02}", week.year(), week.week()))
            }
            Dimension::Month => Some(timestamp.format("%Y-%m").to_string()),
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for Dimension {
    type Err = Error;

    /// Reads a dimension's name, ignoring case and surrounding white space.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownDimension`] for any other text.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Dimension::ALL
            .into_iter()
            .find(|dimension| dimension.name().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| {
                ErrorKind::UnknownDimension {
                    text: text.to_owned(),
                }
                .into()
            })
    }
}

/// The place of the group of records without a value for the dimension.
pub(crate) const MISSING: usize = usize::MAX;

/// Everything one group (the whole journey, or one breakdown group) has seen.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub(crate) struct GroupAccumulator<T: Tally = u64> {
    /// One cell per touchpoint, in journey order.
    pub(crate) touchpoints: Vec<CellAccumulator<T>>,
    pub(crate) outcomes: u64,
    pub(crate) loyalty: LoyaltyAccumulator<T>,
    pub(crate) nps: NpsAccumulator<T>,
    pub(crate) effort: Moments<T>,
    /// The pooled stage and journey figures by respondent.
    pub(crate) pooled: PooledClusters<T>,
}

impl<T: Tally> GroupAccumulator<T> {
    pub(crate) fn new(touchpoints: usize) -> Self {
        GroupAccumulator {
            touchpoints: vec![CellAccumulator::default(); touchpoints],
            outcomes: 0,
            loyalty: LoyaltyAccumulator::default(),
            nps: NpsAccumulator::default(),
            effort: Moments::default(),
            pooled: PooledClusters::default(),
        }
    }

    pub(crate) fn merge(&mut self, other: &GroupAccumulator<T>) {
        for (mine, theirs) in self.touchpoints.iter_mut().zip(&other.touchpoints) {
            mine.merge(theirs);
        }
        self.outcomes += other.outcomes;
        self.loyalty.merge(&other.loyalty);
        self.nps.merge(&other.nps);
        self.effort.merge(&other.effort);
        self.pooled.merge(&other.pooled);
    }
}

/// The groups of one dimension.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "BreakdownFields<T>", into = "BreakdownFields<T>", bound = "")]
pub(crate) struct BreakdownAccumulator<T: Tally = u64> {
    pub(crate) dimension: Dimension,
    /// The groups, in order of first sight.
    pub(crate) groups: Vec<GroupAccumulator<T>>,
    /// Each key's place in `groups`. Hashed rather than ordered: it is
    /// searched whenever a row's key differs from the row before's, and an
    /// ordered search compares the key with several others, each time
    /// branching on which is greater, which no predictor guesses.
    keys: FxHashMap<String, usize>,
    /// The key and place of the group pushed to last: a respondent's rows
    /// usually share their key, so most pushes skip the search.
    last_key: String,
    last: Option<usize>,
    /// Records without a value for the dimension.
    pub(crate) missing: Option<GroupAccumulator<T>>,
}

/// The serialized form of a [`BreakdownAccumulator`]: its groups by key.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
struct BreakdownFields<T: Tally> {
    dimension: Dimension,
    groups: BTreeMap<String, GroupAccumulator<T>>,
    missing: Option<GroupAccumulator<T>>,
}

impl<T: Tally> From<BreakdownFields<T>> for BreakdownAccumulator<T> {
    fn from(fields: BreakdownFields<T>) -> Self {
        let mut breakdown = BreakdownAccumulator::new(fields.dimension);
        for (index, (key, group)) in fields.groups.into_iter().enumerate() {
            breakdown.groups.push(group);
            breakdown.keys.insert(key, index);
        }
        breakdown.missing = fields.missing;
        breakdown
    }
}

impl<T: Tally> From<BreakdownAccumulator<T>> for BreakdownFields<T> {
    fn from(mut breakdown: BreakdownAccumulator<T>) -> Self {
        let groups = std::mem::take(&mut breakdown.keys)
            .into_iter()
            .map(|(key, index)| (key, std::mem::take(&mut breakdown.groups[index])))
            .collect();
        BreakdownFields {
            dimension: breakdown.dimension,
            groups,
            missing: breakdown.missing,
        }
    }
}

impl<T: Tally> PartialEq for BreakdownAccumulator<T> {
    /// Equal when they hold the same groups by key, whatever order they
    /// were first seen in.
    fn eq(&self, other: &Self) -> bool {
        self.dimension == other.dimension
            && self.missing == other.missing
            && self.keys.len() == other.keys.len()
            && self.by_key().zip(other.by_key()).all(|(a, b)| a == b)
    }
}

impl<T: Tally> BreakdownAccumulator<T> {
    pub(crate) fn new(dimension: Dimension) -> Self {
        BreakdownAccumulator {
            dimension,
            groups: Vec::new(),
            keys: FxHashMap::default(),
            last_key: String::new(),
            last: None,
            missing: None,
        }
    }

    /// The groups with their keys, in key order.
    pub(crate) fn by_key(&self) -> impl Iterator<Item = (&String, &GroupAccumulator<T>)> {
        let mut keys: Vec<(&String, usize)> =
            self.keys.iter().map(|(key, &index)| (key, index)).collect();
        keys.sort_unstable();
        keys.into_iter()
            .filter_map(|(key, index)| Some((key, self.groups.get(index)?)))
    }

    /// The place of the group for `key` ([`MISSING`] for no value),
    /// created on first sight; the key is copied only then.
    pub(crate) fn group_for(&mut self, key: Option<&str>, touchpoints: usize) -> usize {
        let Some(key) = key else {
            self.missing
                .get_or_insert_with(|| GroupAccumulator::new(touchpoints));
            return MISSING;
        };
        if let Some(index) = self.last
            && self.last_key == key
        {
            return index;
        }
        let index = match self.keys.get(key) {
            Some(&index) => index,
            None => {
                self.groups.push(GroupAccumulator::new(touchpoints));
                self.keys.insert(key.to_owned(), self.groups.len() - 1);
                self.groups.len() - 1
            }
        };
        self.last_key.clear();
        self.last_key.push_str(key);
        self.last = Some(index);
        index
    }

    /// The group at `place`, as [`group_for`](Self::group_for) gave it.
    #[inline]
    pub(crate) fn group_mut(&mut self, place: usize) -> Option<&mut GroupAccumulator<T>> {
        match place {
            MISSING => self.missing.as_mut(),
            index => self.groups.get_mut(index),
        }
    }

    /// Whether a record with `key` fits in a breakdown of at most `limit`
    /// groups: its group exists, or there is room for it beside those
    /// existing and the new keys already `admitted`, to which it is then
    /// added. The group of records without a value always fits: it is
    /// one, and not counted.
    pub(crate) fn admits(
        &self,
        key: Option<&str>,
        admitted: &mut FxHashSet<String>,
        limit: usize,
    ) -> bool {
        let Some(key) = key else {
            return true;
        };
        if self.keys.contains_key(key) || admitted.contains(key) {
            return true;
        }
        let room = self.groups.len().saturating_add(admitted.len()) < limit;
        if room {
            admitted.insert(key.to_owned());
        }
        room
    }

    /// How many groups `other` holds that `self` does not.
    pub(crate) fn new_keys(&self, other: &BreakdownAccumulator<T>) -> usize {
        other
            .keys
            .keys()
            .filter(|key| !self.keys.contains_key(key.as_str()))
            .count()
    }

    pub(crate) fn merge(&mut self, other: &BreakdownAccumulator<T>) {
        for (key, theirs) in other.by_key() {
            match self.keys.get(key) {
                Some(&index) => self.groups[index].merge(theirs),
                None => {
                    self.groups.push(theirs.clone());
                    self.keys.insert(key.clone(), self.groups.len() - 1);
                }
            }
        }
        if let Some(theirs) = &other.missing {
            match &mut self.missing {
                Some(mine) => mine.merge(theirs),
                None => self.missing = Some(theirs.clone()),
            }
        }
    }
}
