//! What a draft sees of each column in the sample, and the rating scale
//! it proposes from them.

use std::collections::BTreeSet;

use crate::cells::parse_decimal;
use crate::timestamp::{TimestampRules, Unread};

/// The most distinct texts a column keeps apart from its numbers: enough
/// to tell a few labels among numbers from a column of words.
pub(super) const MAX_TEXTS: usize = 7;

/// What the sample shows of one column.
#[derive(Debug)]
pub(super) struct Column {
    pub(super) name: String,
    /// The question the column answers, where a header row says it apart
    /// from the name; else empty.
    pub(super) question: String,
    pub(super) filled: usize,
    pub(super) numbers: usize,
    pub(super) whole: bool,
    pub(super) min: f64,
    pub(super) max: f64,
    /// Distinct values seen (at most the rows sampled, which bound the
    /// draft's memory).
    pub(super) values: BTreeSet<String>,
    /// The same, in the order first seen.
    pub(super) first_seen: Vec<String>,
    /// The first distinct values seen that are no numbers, up to
    /// [`MAX_TEXTS`].
    pub(super) texts: BTreeSet<String>,
    pub(super) timestamps: usize,
}

impl Column {
    pub(super) fn new(name: &str) -> Self {
        Column {
            name: name.to_owned(),
            question: String::new(),
            filled: 0,
            numbers: 0,
            whole: true,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            values: BTreeSet::new(),
            first_seen: Vec::new(),
            texts: BTreeSet::new(),
            timestamps: 0,
        }
    }

    pub(super) fn see(&mut self, value: &str, decimal_comma: bool, timestamps: &TimestampRules) {
        if value.is_empty() {
            return;
        }
        self.filled += 1;
        if let Ok((number, _)) = parse_decimal(value, decimal_comma)
            && number.is_finite()
        {
            self.numbers += 1;
            self.whole &= number.fract() == 0.0;
            self.min = self.min.min(number);
            self.max = self.max.max(number);
        } else if self.texts.len() < MAX_TEXTS && !self.texts.contains(value) {
            self.texts.insert(value.to_owned());
        }
        if timestamps.parse(value) != Err(Unread::NoForm) {
            self.timestamps += 1;
        }
        if !self.values.contains(value) {
            self.values.insert(value.to_owned());
            self.first_seen.push(value.to_owned());
        }
    }

    /// The name in lower case, letters and digits only.
    pub(super) fn folded(&self) -> String {
        fold(&self.name)
    }

    /// The name and question in lower case, letters and digits only, for
    /// the words that tell what a column holds.
    pub(super) fn words(&self) -> String {
        fold(&self.name) + &fold(&self.question)
    }

    /// The name people read: the question's last part (a matrix
    /// question's statement), or else the column's name.
    pub(super) fn label(&self) -> &str {
        match self.question.rsplit(" - ").next() {
            Some(label) if !label.is_empty() => label,
            _ => &self.name,
        }
    }

    pub(super) fn is_numeric(&self) -> bool {
        self.filled > 0 && self.numbers == self.filled
    }

    /// Whether every value seen is different.
    pub(super) fn is_unique(&self) -> bool {
        self.filled > 0 && self.values.len() == self.filled
    }
}

pub(super) fn fold(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The column whose folded name is one of `names`, the first name first.
pub(super) fn find<'c>(columns: &'c [Column], names: &[&str]) -> Option<&'c Column> {
    names
        .iter()
        .find_map(|name| columns.iter().find(|column| column.folded() == *name))
}

/// A rating scale a draft can propose: `min..=max`, with 0 as not
/// applicable below a short scale that starts at 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct ScaleGuess {
    pub(super) min: f64,
    pub(super) max: f64,
    pub(super) not_applicable: Option<f64>,
}

/// The tops of the scales proposed, the narrowest first: 1..=5, 1..=7,
/// 0 or 1..=10, 0 or 1..=100.
pub(super) const SCALE_TOPS: [f64; 4] = [5.0, 7.0, 10.0, 100.0];

/// Where 0 is read as "not applicable" rather than as the scale's bottom.
pub(super) fn is_short(top: f64) -> bool {
    top <= 7.0
}

impl ScaleGuess {
    /// The top of the narrowest proposed scale that holds the column's
    /// values, if any does.
    pub(super) fn top_of(column: &Column) -> Option<f64> {
        if column.min < 0.0 {
            return None;
        }
        SCALE_TOPS.iter().copied().find(|&top| column.max <= top)
    }

    /// The scale of the columns whose narrowest top is `top`: from 1 if
    /// none goes below, else from 0, or with 0 as not applicable on a
    /// short scale.
    pub(super) fn of(top: f64, columns: &[&Column]) -> ScaleGuess {
        let zero = columns.iter().any(|column| column.min < 1.0);
        match (zero, is_short(top)) {
            (true, true) => ScaleGuess {
                min: 1.0,
                max: top,
                not_applicable: Some(0.0),
            },
            (true, false) => ScaleGuess {
                min: 0.0,
                max: top,
                not_applicable: None,
            },
            (false, _) => ScaleGuess {
                min: 1.0,
                max: top,
                not_applicable: None,
            },
        }
    }

    /// A target expectation for ratings without their own: "good", about
    /// three quarters up the scale.
    pub(super) fn target(&self) -> f64 {
        (self.min + 0.75 * (self.max - self.min)).round()
    }
}

/// The scale most of `numbers` share (by the narrowest top that holds
/// each; a tie goes to the narrower), and those on it.
pub(super) fn common_scale<'c>(numbers: &[&'c Column]) -> (ScaleGuess, Vec<&'c Column>) {
    let top = SCALE_TOPS
        .iter()
        .rev()
        .copied()
        .max_by_key(|&top| {
            numbers
                .iter()
                .filter(|column| ScaleGuess::top_of(column) == Some(top))
                .count()
        })
        .unwrap_or(5.0);
    let on: Vec<&Column> = numbers
        .iter()
        .copied()
        .filter(|column| ScaleGuess::top_of(column) == Some(top))
        .collect();
    (ScaleGuess::of(top, &on), on)
}
