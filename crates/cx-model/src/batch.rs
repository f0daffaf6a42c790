//! A block of observations as columns: what every reader fills and every
//! scorer takes.

use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;

use crate::channel::Channel;
use crate::emotion::Emotion;
use crate::error::{ErrorKind, Result};
use crate::journey::Journey;
use crate::observation::{Observation, Outcome};
use crate::record::{ObservationRecord, OutcomeRecord};
use crate::timestamp::Timestamp;
use crate::weight::Weight;

/// Observations as columns, with the outcomes of the respondents they hold.
///
/// A batch is the one form in which survey data travels from a source (a
/// CSV file, a DataFrame, a request) to a scorer. Its touchpoints are
/// already resolved to their index in the journey
/// ([`Journey::touchpoints`] order), so a scorer never looks an id up. A
/// run of rows of one respondent stores the id once; segments and channels
/// are stored once per batch; each row refers to them by number, so a
/// respondent's rows, which usually share them, cost a comparison each. It
/// holds nothing of the format it came from.
///
/// A batch is meant to be reused: [`clear`](Self::clear) keeps its
/// columns' allocations. Readers hand out batches of a bounded number of
/// records.
///
/// ```
/// use cx_model::{BatchRow, Channel, Journey, ObservationBatch, Outcome, Scale, Stage, Touchpoint};
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy")
///         .touchpoint(Touchpoint::new("web", "Website", Channel::Web))
///         .touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
///     .build()?;
/// let till = journey.position_of("till").map(|p| p.index).ok_or("no till")?;
///
/// let mut batch = ObservationBatch::new();
/// let mut row = BatchRow::new("r1", till, 2.0);
/// row.expectation = Some(4.0);
/// row.segment = Some("smb");
/// batch.push(&row);
/// batch.push_record(&cx_model::Observation::new("r1", "web", 5.0), &journey)?;
/// batch.push_outcome(&Outcome::new("r1").with_likelihood_to_recommend(9.0));
///
/// assert_eq!(batch.len(), 2);
/// assert_eq!(batch.touchpoints(), [1, 0]);
/// assert_eq!(batch.realities(), [2.0, 5.0]);
/// assert_eq!(batch.respondent(1), Some("r1"));
/// assert_eq!(batch.respondent_count(), 1); // both rows are r1's
/// assert_eq!(batch.segment(0), Some("smb"));
/// assert_eq!(batch.outcomes()[0].likelihood_to_recommend, Some(9.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ObservationBatch {
    touchpoints: Vec<usize>,
    realities: Vec<f64>,
    expectations: Vec<Option<f64>>,
    /// Each row's respondent, by its place in `respondent_ids`.
    respondents: Vec<usize>,
    respondent_ids: Texts,
    segments: Vec<Option<usize>>,
    segment_values: Dictionary<()>,
    channels: Vec<Option<usize>>,
    channel_values: Dictionary<Channel>,
    timestamps: Vec<Option<Timestamp>>,
    emotions: Vec<Option<Emotion>>,
    comments: Vec<Option<usize>>,
    comment_texts: Texts,
    /// Each respondent run's weight, by its place in `respondent_ids`;
    /// empty until a row with a weight is pushed, so that an unweighted
    /// batch pays nothing for the column.
    respondent_weights: Vec<Option<Weight>>,
    /// The first `outcome_count` are this batch's; the rest are kept for
    /// their strings, which the next outcomes reuse.
    outcomes: Vec<Outcome>,
    outcome_count: usize,
}

/// One row of an [`ObservationBatch`], as pushed or read back.
///
/// Built with [`BatchRow::new`] and its public fields set as needed:
///
/// ```
/// use cx_model::{BatchRow, Emotion};
///
/// let mut row = BatchRow::new("r-17", 3, 4.0);
/// row.emotion = Some(Emotion::Pleased);
/// assert_eq!((row.touchpoint, row.expectation), (3, None));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct BatchRow<'a> {
    /// Who answered.
    pub respondent_id: &'a str,
    /// The touchpoint's index in the journey ([`Journey::touchpoints`]
    /// order).
    pub touchpoint: usize,
    /// The reality rating, on the journey's scale (possibly its
    /// not-applicable value).
    pub reality: f64,
    /// The respondent's own expectation rating, if the survey asked.
    pub expectation: Option<f64>,
    /// The respondent's segment.
    pub segment: Option<&'a str>,
    /// The channel used, by name: pushed as any text, which is read as
    /// [`Channel`]'s `FromStr` reads it; read back as
    /// [`Channel::as_str`] of that channel.
    pub channel: Option<&'a str>,
    /// When the contact happened (a chrono [`DateTime<Utc>`] converts
    /// into it with `.into()`).
    pub timestamp: Option<Timestamp>,
    /// What the respondent felt.
    pub emotion: Option<Emotion>,
    /// Free text.
    pub comment: Option<&'a str>,
    /// The respondent's survey weight, if the survey is weighted. A run
    /// of rows of one respondent takes the first row's weight; a reader
    /// checks that the others agree.
    pub weight: Option<Weight>,
}

impl<'a> BatchRow<'a> {
    /// A row with only the required fields.
    pub fn new(respondent_id: &'a str, touchpoint: usize, reality: f64) -> Self {
        BatchRow {
            respondent_id,
            touchpoint,
            reality,
            expectation: None,
            segment: None,
            channel: None,
            timestamp: None,
            emotion: None,
            comment: None,
            weight: None,
        }
    }
}

impl ObservationBatch {
    /// An empty batch.
    pub fn new() -> Self {
        ObservationBatch::default()
    }

    /// Empties the batch, keeping its allocations.
    pub fn clear(&mut self) {
        self.touchpoints.clear();
        self.realities.clear();
        self.expectations.clear();
        self.respondents.clear();
        self.respondent_ids.clear();
        self.segments.clear();
        self.segment_values.clear();
        self.channels.clear();
        self.channel_values.clear();
        self.timestamps.clear();
        self.emotions.clear();
        self.comments.clear();
        self.comment_texts.clear();
        self.respondent_weights.clear();
        self.outcome_count = 0;
    }

    /// The number of observations (rows).
    pub fn len(&self) -> usize {
        self.touchpoints.len()
    }

    /// Whether the batch holds neither observations nor outcomes.
    pub fn is_empty(&self) -> bool {
        self.touchpoints.is_empty() && self.outcome_count == 0
    }

    /// Appends one observation.
    #[inline(always)]
    pub fn push(&mut self, row: &BatchRow<'_>) {
        let channel = row.channel.map(|text| {
            self.channel_values.code(text, |text| {
                let Ok(channel) = text.parse::<Channel>();
                channel
            })
        });
        self.push_with_channel(row, channel);
    }

    /// Appends one observation whose channel is already numbered; the
    /// row's own channel text is not read.
    #[inline(always)]
    fn push_with_channel(&mut self, row: &BatchRow<'_>, channel: Option<usize>) {
        self.touchpoints.push(row.touchpoint);
        self.realities.push(row.reality);
        self.expectations.push(row.expectation);
        // A respondent's rows usually come together: one comparison each.
        let respondent = match self.respondent_ids.last() {
            Some((index, last)) if same_text(last, row.respondent_id) => index,
            _ => self.start_respondent(row),
        };
        self.respondents.push(respondent);
        let segment = row
            .segment
            .map(|text| self.segment_values.code(text, |_| ()));
        self.segments.push(segment);
        self.channels.push(channel);
        self.timestamps.push(row.timestamp);
        self.emotions.push(row.emotion);
        let comment = row.comment.map(|text| self.comment_texts.push(text));
        self.comments.push(comment);
    }

    /// Starts a run of `row`'s respondent; returns its place.
    #[inline(always)]
    fn start_respondent(&mut self, row: &BatchRow<'_>) -> usize {
        let place = self.respondent_ids.push(row.respondent_id);
        if row.weight.is_some() || !self.respondent_weights.is_empty() {
            // Runs before the first weight had none.
            self.respondent_weights.resize(place, None);
            self.respondent_weights.push(row.weight);
        }
        place
    }

    /// Appends any [`ObservationRecord`], its touchpoint id looked up in
    /// `journey`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownTouchpoint`] if `journey` has no touchpoint of
    /// the record's id; the batch is then unchanged.
    pub fn push_record<R: ObservationRecord + ?Sized>(
        &mut self,
        record: &R,
        journey: &Journey,
    ) -> Result<()> {
        let id = record.touchpoint_id();
        let Some(position) = journey.position_of(id) else {
            return Err(ErrorKind::UnknownTouchpoint {
                touchpoint: id.to_owned(),
                journey: journey.name().to_owned(),
            }
            .into());
        };
        // The record's channel as it is, not read again from its name,
        // which another channel may share (`Other("web")` and `Web`).
        let channel = record.channel().map(|channel| {
            self.channel_values
                .code(channel.as_str(), |_| channel.clone())
        });
        let row = BatchRow {
            respondent_id: record.respondent_id(),
            touchpoint: position.index,
            reality: record.reality(),
            expectation: record.expectation(),
            segment: record.segment(),
            channel: None,
            timestamp: record.timestamp().map(Timestamp::from),
            emotion: record.emotion(),
            comment: record.comment(),
            weight: record.weight(),
        };
        self.push_with_channel(&row, channel);
        Ok(())
    }

    /// Appends one respondent's outcome.
    pub fn push_outcome<R: OutcomeRecord + ?Sized>(&mut self, record: &R) {
        let slot = match self.outcomes.get_mut(self.outcome_count) {
            Some(slot) => slot,
            None => {
                self.outcomes.push(Outcome::new(""));
                let last = self.outcomes.len() - 1;
                &mut self.outcomes[last]
            }
        };
        fill_outcome(slot, record);
        self.outcome_count += 1;
    }

    /// Each row's touchpoint, by index in the journey.
    pub fn touchpoints(&self) -> &[usize] {
        &self.touchpoints
    }

    /// Each row's reality rating.
    pub fn realities(&self) -> &[f64] {
        &self.realities
    }

    /// Each row's own expectation rating, if given.
    pub fn expectations(&self) -> &[Option<f64>] {
        &self.expectations
    }

    /// Each row's emotion, if given.
    pub fn emotions(&self) -> &[Option<Emotion>] {
        &self.emotions
    }

    /// Each row's timestamp, if given, as seconds and nanoseconds since
    /// the Unix epoch.
    pub fn timestamps(&self) -> &[Option<Timestamp>] {
        &self.timestamps
    }

    /// The timestamp of row `row` as a chrono date and time, if given.
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use cx_model::{BatchRow, ObservationBatch};
    ///
    /// let when: DateTime<Utc> = "2024-03-15T12:30:00.25Z".parse()?;
    /// let mut row = BatchRow::new("r1", 0, 4.0);
    /// row.timestamp = Some(when.into());
    /// let mut batch = ObservationBatch::new();
    /// batch.push(&row);
    /// assert_eq!(batch.timestamp(0), Some(when));
    /// assert_eq!(batch.timestamps()[0].map(|t| t.second()), Some(when.timestamp()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn timestamp(&self, row: usize) -> Option<DateTime<Utc>> {
        let timestamp = (*self.timestamps.get(row)?)?;
        Some(timestamp.to_datetime())
    }

    /// Each row's respondent, numbered in order of first sight in this
    /// batch: rows of one respondent in a row share a number (a respondent
    /// who comes back after another may get a second one).
    pub fn respondent_numbers(&self) -> &[usize] {
        &self.respondents
    }

    /// Whether any row carries a respondent weight.
    pub fn is_weighted(&self) -> bool {
        !self.respondent_weights.is_empty()
            || self
                .outcomes()
                .iter()
                .any(|outcome| outcome.weight.is_some())
    }

    /// The weight of each respondent number
    /// ([`respondent_numbers`](Self::respondent_numbers)), if any row has
    /// one; empty when none has, shorter than
    /// [`respondent_count`](Self::respondent_count) when the last runs
    /// have none.
    pub fn respondent_weights(&self) -> &[Option<Weight>] {
        &self.respondent_weights
    }

    /// The weight of row `row`'s respondent, if given.
    pub fn weight(&self, row: usize) -> Option<Weight> {
        let respondent = *self.respondents.get(row)?;
        self.respondent_weights.get(respondent).copied().flatten()
    }

    /// How many respondent numbers the rows use.
    pub fn respondent_count(&self) -> usize {
        self.respondent_ids.len()
    }

    /// The id of row `row`'s respondent.
    pub fn respondent(&self, row: usize) -> Option<&str> {
        self.respondent_ids.get(*self.respondents.get(row)?)
    }

    /// The segment of row `row`, if given.
    pub fn segment(&self, row: usize) -> Option<&str> {
        let code = (*self.segments.get(row)?)?;
        self.segment_values.text(code)
    }

    /// Each row's segment as a number in order of first sight in this
    /// batch (see [`segment_names`](Self::segment_names)), if given.
    pub fn segment_codes(&self) -> &[Option<usize>] {
        &self.segments
    }

    /// The segments the rows use, by [`segment_codes`](Self::segment_codes)
    /// number.
    pub fn segment_names(&self) -> &[String] {
        &self.segment_values.texts
    }

    /// Each row's channel as a number in order of first sight in this
    /// batch (see [`channel_names`](Self::channel_names)), if given.
    pub fn channel_codes(&self) -> &[Option<usize>] {
        &self.channels
    }

    /// The channels the rows use, by [`channel_codes`](Self::channel_codes)
    /// number: one for each spelling pushed, so that `" PHONE "` and
    /// `"phone"` are two numbers of [`Channel::Phone`].
    pub fn channel_names(&self) -> &[Channel] {
        &self.channel_values.values
    }

    /// The channel of row `row`, if given.
    pub fn channel(&self, row: usize) -> Option<&Channel> {
        let code = (*self.channels.get(row)?)?;
        self.channel_values.get(code)
    }

    /// The comment of row `row`, if given.
    pub fn comment(&self, row: usize) -> Option<&str> {
        let index = (*self.comments.get(row)?)?;
        self.comment_texts.get(index)
    }

    /// Row `row` in full.
    pub fn row(&self, row: usize) -> Option<BatchRow<'_>> {
        Some(BatchRow {
            respondent_id: self.respondent(row)?,
            touchpoint: *self.touchpoints.get(row)?,
            reality: *self.realities.get(row)?,
            expectation: *self.expectations.get(row)?,
            segment: self.segment(row),
            channel: self.channel(row).map(Channel::as_str),
            timestamp: *self.timestamps.get(row)?,
            emotion: *self.emotions.get(row)?,
            comment: self.comment(row),
            weight: self.weight(row),
        })
    }

    /// Every row in order.
    pub fn rows(&self) -> impl Iterator<Item = BatchRow<'_>> + '_ {
        (0..self.len()).filter_map(|row| self.row(row))
    }

    /// Row `row` as an owned [`Observation`] of `journey`; `None` if the
    /// row or its touchpoint does not exist.
    pub fn to_observation(&self, row: usize, journey: &Journey) -> Option<Observation> {
        let fields = self.row(row)?;
        let touchpoint = journey.touchpoint(fields.touchpoint)?;
        let mut observation =
            Observation::new(fields.respondent_id, touchpoint.id.as_str(), fields.reality);
        observation.expectation = fields.expectation;
        observation.segment = fields.segment.map(str::to_owned);
        observation.channel = self.channel(row).cloned();
        observation.timestamp = fields.timestamp.map(Timestamp::to_datetime);
        observation.emotion = fields.emotion;
        observation.comment = fields.comment.map(str::to_owned);
        observation.weight = fields.weight;
        Some(observation)
    }

    /// The outcomes of the batch's respondents, in the order pushed.
    pub fn outcomes(&self) -> &[Outcome] {
        self.outcomes.get(..self.outcome_count).unwrap_or_default()
    }
}

/// Overwrites `slot` with `record`, reusing `slot`'s strings.
fn fill_outcome<R: OutcomeRecord + ?Sized>(slot: &mut Outcome, record: &R) {
    slot.respondent_id.clear();
    slot.respondent_id.push_str(record.respondent_id());
    for question in crate::LoyaltyQuestion::ALL {
        *slot.answer_mut(question) = record.answer(question);
    }
    slot.likelihood_to_recommend = record.likelihood_to_recommend();
    slot.effort = record.effort();
    match (record.segment(), &mut slot.segment) {
        (Some(text), Some(segment)) => {
            segment.clear();
            segment.push_str(text);
        }
        (text, segment) => *segment = text.map(str::to_owned),
    }
    slot.timestamp = record.timestamp();
    slot.weight = record.weight();
}

/// Whether two texts are equal. Survey ids and names are short, so texts
/// of up to sixteen bytes are compared inline, as overlapping words (or,
/// below four bytes, their first, middle and last bytes), which together
/// hold every byte: a call to the library's comparison for every row, and
/// its branches on the length, cost more than the comparison.
#[inline(always)]
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        0 => true,
        1..=3 => {
            a.first() == b.first()
                && a.get(a.len() / 2) == b.get(b.len() / 2)
                && a.last() == b.last()
        }
        4..=7 => {
            a.first_chunk::<4>() == b.first_chunk::<4>()
                && a.last_chunk::<4>() == b.last_chunk::<4>()
        }
        8..=16 => {
            a.first_chunk::<8>() == b.first_chunk::<8>()
                && a.last_chunk::<8>() == b.last_chunk::<8>()
        }
        _ => a == b,
    }
}

/// Strings stored end to end, each by its place.
#[derive(Debug, Clone, Default)]
struct Texts {
    text: String,
    ends: Vec<usize>,
}

impl Texts {
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Stores `text`; returns its place.
    fn push(&mut self, text: &str) -> usize {
        self.text.push_str(text);
        self.ends.push(self.text.len());
        self.ends.len() - 1
    }

    #[inline(always)]
    fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// The last text and its place.
    #[inline(always)]
    fn last(&self) -> Option<(usize, &str)> {
        let index = self.ends.len().checked_sub(1)?;
        Some((index, self.get(index)?))
    }
}

/// Values named by texts, each stored once and numbered in order of first
/// sight.
#[derive(Debug, Clone)]
struct Dictionary<V> {
    values: Vec<V>,
    /// The text of each value.
    texts: Vec<String>,
    /// Each text's code, once there are more than a few.
    codes: FxHashMap<String, usize>,
    /// The codes of texts looked up lately, by a hash of their length and
    /// ends: most rows name a text a row near them named, and find it
    /// here with one comparison.
    recent: [Option<usize>; RECENT],
}

/// How many recent texts a dictionary keeps at hand: a power of two.
const RECENT: usize = 16;

// `recent_slot` keeps the top bits of a product: as many as RECENT has
// zeros below its one bit, at least one.
const _: () = assert!(RECENT.is_power_of_two() && RECENT > 1);

/// A recent text's place in [`Dictionary::recent`]: its length, first and
/// last byte, set apart and multiplied by 2⁶⁴ / φ, whose top bits depend on
/// all of theirs (as in the name tables of readers). The low bits of a
/// plain mix of them depend on few: "web" and "phone" shared a place, and
/// each change from one to the other cost a search.
#[inline(always)]
fn recent_slot(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (first, last) = (bytes.first().copied(), bytes.last().copied());
    let mixed =
        text.len() as u64 ^ u64::from(first.unwrap_or(0)) << 8 ^ u64::from(last.unwrap_or(0)) << 16;
    (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - RECENT.trailing_zeros())) as usize
}

/// Up to this many values, a text is found by comparing it with each
/// rather than by hashing it.
const FEW: usize = 8;

impl<V> Default for Dictionary<V> {
    fn default() -> Self {
        Dictionary {
            values: Vec::new(),
            texts: Vec::new(),
            codes: FxHashMap::default(),
            recent: [None; RECENT],
        }
    }
}

impl<V> Dictionary<V> {
    fn clear(&mut self) {
        self.values.clear();
        self.texts.clear();
        self.codes.clear();
        self.recent = [None; RECENT];
    }

    fn get(&self, code: usize) -> Option<&V> {
        self.values.get(code)
    }

    fn text(&self, code: usize) -> Option<&str> {
        self.texts.get(code).map(String::as_str)
    }

    /// The code of `text`, its value made by `make` on first sight.
    #[inline(always)]
    fn code(&mut self, text: &str, make: impl FnOnce(&str) -> V) -> usize {
        let recent = recent_slot(text);
        if let Some(Some(code)) = self.recent.get(recent).copied()
            && self
                .texts
                .get(code)
                .is_some_and(|known| same_text(known, text))
        {
            return code;
        }
        self.find(text, recent, make)
    }

    /// [`code`](Self::code) of a text not looked up lately.
    #[inline(never)]
    fn find(&mut self, text: &str, recent: usize, make: impl FnOnce(&str) -> V) -> usize {
        let found = if self.texts.len() <= FEW {
            self.texts.iter().position(|known| same_text(known, text))
        } else {
            self.codes.get(text).copied()
        };
        let code = match found {
            Some(code) => code,
            None => {
                let code = self.values.len();
                self.values.push(make(text));
                self.texts.push(text.to_owned());
                if self.texts.len() > FEW {
                    if self.codes.is_empty() {
                        self.codes
                            .extend(self.texts.iter().cloned().zip(0..self.texts.len()));
                    } else {
                        self.codes.insert(text.to_owned(), code);
                    }
                }
                code
            }
        };
        if let Some(slot) = self.recent.get_mut(recent) {
            *slot = Some(code);
        }
        code
    }
}

#[cfg(test)]
mod tests;
