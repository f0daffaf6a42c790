//! The statistics of one cell: one touchpoint, or a pool of touchpoints, in
//! one breakdown.

use cx_model::{Emotion, Valence};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::config::ScoreConfig;
use crate::gap::{GapStats, LightCounts};
use crate::light::TrafficLight;
use crate::stats::{MeanStats, Moments, ShareStats};
use crate::tally::Tally;

/// What one cell needs to know about the scale and thresholds while pushing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Thresholds {
    pub span: f64,
    pub top_two_from: f64,
    pub wow_margin: f64,
    pub yellow_band: f64,
}

impl Thresholds {
    pub fn new(scale: &cx_model::Scale, config: &ScoreConfig) -> Self {
        Thresholds {
            span: scale.span(),
            // "Top two points": the maximum and the point below it.
            top_two_from: scale.max() - 1.0,
            wow_margin: config.wow_margin,
            yellow_band: config.yellow_band,
        }
    }
}

/// The whole points of a small scale, on which a cell counts observations
/// by their (reality, expectation) pair instead of adding each to its sums
/// and classifying it: the pairs are few, so a count per pair is one
/// increment per observation, and each pair is classified and summed once,
/// when the cell is finished.
///
/// The results are those of adding each observation on its own, to the
/// bit: a whole point is kept exactly (as a count of half points) by
/// [`Moments`], whose exact sums do not depend on the order, and each pair
/// is classified by the same [`CellUpdate`] an observation would be.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grid {
    /// The scale's minimum, the first point.
    min: f64,
    /// Whole points from `min` to the scale's maximum; 0 for a scale too
    /// wide for a grid.
    points: usize,
    thresholds: Thresholds,
    /// What an observation in each slot adds to the pooled figures, in
    /// half units (a slot's ratings are whole points, so always exact).
    gap_halves: Vec<Option<[i64; 3]>>,
}

/// Scales with more whole points are not counted on a grid: a cell's table
/// would outgrow the sums it replaces. Eleven fits 0 to 10.
const MAX_GRID_POINTS: usize = 11;

/// Grid points beyond this magnitude would not be kept exactly as half
/// points by [`Moments`], so a grid could change the result's last bits.
const MAX_GRID_MAGNITUDE: f64 = (1u64 << 29) as f64;

impl Grid {
    /// The grid of `scale`, with its thresholds under `config`.
    pub fn new(scale: &cx_model::Scale, config: &ScoreConfig) -> Self {
        let (min, max) = (scale.min(), scale.max());
        let fits = scale.span() < MAX_GRID_POINTS as f64
            && min.abs() <= MAX_GRID_MAGNITUDE
            && max.abs() <= MAX_GRID_MAGNITUDE;
        let mut grid = Grid {
            min,
            // `as` truncates: the last whole point at or below the maximum.
            points: if fits { scale.span() as usize + 1 } else { 0 },
            thresholds: Thresholds::new(scale, config),
            gap_halves: Vec::new(),
        };
        grid.gap_halves = (0..grid.len())
            .map(|slot| {
                let (reality, expectation) = grid.pair(slot);
                CellUpdate::new(reality, expectation, None, &grid.thresholds)
                    .gap_values()
                    .and_then(|values| values.halves())
            })
            .collect();
        grid
    }

    /// What an observation in table slot `slot` adds to the pooled
    /// figures: [`GapValues::halves`] of the slot's pair, if it has a gap.
    #[inline]
    pub fn gap_halves(&self, slot: usize) -> Option<[i64; 3]> {
        self.gap_halves.get(slot).copied().flatten()
    }

    /// The thresholds of an observation off the grid.
    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    /// Columns per row of the table: one per expectation point, then one
    /// for no expectation.
    fn columns(&self) -> usize {
        self.points + 1
    }

    /// Counts in a cell's table: a row per reality point.
    fn len(&self) -> usize {
        self.points * self.columns()
    }

    /// Where `value` is on the grid, if it is a whole point of it.
    #[inline(always)]
    fn point(&self, value: f64) -> Option<usize> {
        // `as` maps NaN and anything below `min` to 0, which the round
        // trip then rejects unless the value is `min` itself, and anything
        // above `u32::MAX` to it, which is off the grid too; to `u32` rather
        // than `usize`, a conversion x86-64 makes in fewer steps.
        let index = (value - self.min) as u32 as usize;
        (index < self.points && self.min + index as f64 == value).then_some(index)
    }

    /// The table slot of an observation with this `reality` and effective
    /// `expectation` (both on the scale), or `None` when either is not a
    /// whole point.
    #[inline(always)]
    pub fn slot(&self, reality: f64, expectation: Option<f64>) -> Option<usize> {
        let row = self.point(reality)?;
        let column = match expectation {
            Some(expectation) => self.point(expectation)?,
            None => self.points,
        };
        Some(row * self.columns() + column)
    }

    /// The reality and expectation of a table slot.
    fn pair(&self, slot: usize) -> (f64, Option<f64>) {
        let (row, column) = (slot / self.columns(), slot % self.columns());
        let value = |index: usize| self.min + index as f64;
        (value(row), (column < self.points).then(|| value(column)))
    }
}

/// What one observation with a gap adds to a pooled gap, met share and
/// WOW share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct GapValues {
    pub gap: f64,
    pub met: bool,
    pub wow: bool,
}

impl GapValues {
    /// The gap, met and WOW in half units, if the gap is a whole or half
    /// number (met and WOW always are).
    pub fn halves(&self) -> Option<[i64; 3]> {
        let gap = crate::cluster::halves(self.gap)?;
        Some([gap, 2 * i64::from(self.met), 2 * i64::from(self.wow)])
    }
}

/// One checked observation, classified once, to be added to every cell
/// (the whole survey's, each breakdown group's) it falls in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CellUpdate {
    reality: f64,
    /// The effective expectation (own or target), if any.
    expectation: Option<f64>,
    emotion: Option<Emotion>,
    top_two: bool,
    met: bool,
    wow: bool,
    /// Meaningful only with an expectation.
    light: TrafficLight,
}

impl CellUpdate {
    /// Its gap, met and WOW, if it has an expectation.
    pub fn gap_values(&self) -> Option<GapValues> {
        let expectation = self.expectation?;
        Some(GapValues {
            gap: self.reality - expectation,
            met: self.met,
            wow: self.wow,
        })
    }

    /// Classifies `reality` (on the scale) against `expectation`.
    pub fn new(
        reality: f64,
        expectation: Option<f64>,
        emotion: Option<Emotion>,
        thresholds: &Thresholds,
    ) -> Self {
        let gap = expectation.map_or(0.0, |expectation| reality - expectation);
        let normalized = gap / thresholds.span;
        CellUpdate {
            reality,
            expectation,
            emotion,
            top_two: reality >= thresholds.top_two_from,
            met: gap >= 0.0,
            wow: normalized >= thresholds.wow_margin,
            light: TrafficLight::of_normalized_gap(normalized, thresholds.yellow_band),
        }
    }
}

/// Accumulates the observations of one cell, each counted once (`T =
/// u64`) or with its respondent's weight ([`WeightSum`](crate::WeightSum)).
///
/// The counts of observations, not-applicable ones, those without an
/// expectation and the lights are plain counts either way; the means, the
/// shares (met, WOW, shortfall, CSAT) and the emotions' net score are
/// weighted.
///
/// Its sums are boxed and made on the first observation: a group has a
/// cell for every touchpoint, and most groups of a fine breakdown (a
/// segment per few respondents) see a few touchpoints, so an empty cell
/// costs a pointer rather than the sums' half a kilobyte. It is written
/// as its sums, zero for an empty cell, so a state reads the same either
/// way.
#[derive(Debug, Clone, Default)]
pub struct CellAccumulator<T: Tally = u64>(Option<Box<CellSums<T>>>);

/// The sums of a [`CellAccumulator`] that has seen an observation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
struct CellSums<T: Tally = u64> {
    observations: u64,
    not_applicable: u64,
    without_expectation: u64,
    reality: Moments<T>,
    expectation: Moments<T>,
    /// Gap in scale points.
    gap: Moments<T>,
    met: T,
    wow: T,
    green: u64,
    yellow: u64,
    top_two: T,
    emotions: EmotionTally<T>,
    /// Observations on the [`Grid`], counted by table slot and added to the
    /// fields above only when the cell is finished; their emotions are
    /// tallied at once. Empty until the first. Always written, even
    /// empty, so that binary formats can read the fields by position.
    #[serde(default)]
    on_grid: Vec<T>,
}

impl<T: Tally> PartialEq for CellAccumulator<T> {
    /// Equal when their sums are, an empty cell's being zero.
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(mine), Some(theirs)) => mine == theirs,
            (None, None) => true,
            (Some(sums), None) | (None, Some(sums)) => **sums == CellSums::default(),
        }
    }
}

impl<T: Tally> Serialize for CellAccumulator<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Some(sums) => sums.serialize(serializer),
            None => CellSums::<T>::default().serialize(serializer),
        }
    }
}

impl<'de, T: Tally> Deserialize<'de> for CellAccumulator<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let sums = CellSums::<T>::deserialize(deserializer)?;
        let empty = sums == CellSums::default();
        Ok(CellAccumulator((!empty).then(|| Box::new(sums))))
    }
}

impl<T: Tally> CellAccumulator<T> {
    /// The sums, made on first use.
    #[inline]
    fn sums_mut(&mut self) -> &mut CellSums<T> {
        self.0.get_or_insert_with(Box::default)
    }

    /// Counts an observation of a touchpoint the respondent did not experience.
    pub(crate) fn push_not_applicable(&mut self) {
        self.sums_mut().push_not_applicable();
    }

    /// Adds one checked observation: `reality` on the scale, `expectation` the
    /// effective one (own or target), if any.
    #[cfg(test)]
    pub(crate) fn push(
        &mut self,
        reality: f64,
        expectation: Option<f64>,
        emotion: Option<Emotion>,
        thresholds: &Thresholds,
        unit: T::Unit,
    ) {
        self.sums_mut().apply(
            &CellUpdate::new(reality, expectation, emotion, thresholds),
            unit,
        );
    }

    /// Counts one observation at `slot` of `grid`'s table, where
    /// [`Grid::slot`] put it.
    #[inline]
    pub(crate) fn push_on_grid(
        &mut self,
        grid: &Grid,
        slot: usize,
        emotion: Option<Emotion>,
        unit: T::Unit,
    ) {
        self.sums_mut().push_on_grid(grid, slot, emotion, unit);
    }

    /// Adds one observation, classified once for every cell it falls in.
    pub(crate) fn apply(&mut self, update: &CellUpdate, unit: T::Unit) {
        self.sums_mut().apply(update, unit);
    }

    /// Adds everything `other` has seen.
    pub fn merge(&mut self, other: &CellAccumulator<T>) {
        let Some(theirs) = &other.0 else {
            return;
        };
        match &mut self.0 {
            Some(mine) => mine.merge(theirs),
            None => self.0 = Some(theirs.clone()),
        }
    }

    /// Checks the rules every cell keeps, as a state from elsewhere might
    /// not, and returns its observations, those on the grid included. The
    /// rules are those that finishing and merging rely on: a table of the
    /// grid's size, if any, and counts that add up without overflow.
    pub(crate) fn check(&self, grid: &Grid) -> Result<u64, String> {
        self.0.as_ref().map_or(Ok(0), |sums| sums.check(grid))
    }

    /// The finished statistics, with gaps normalized by the scale's span.
    pub(crate) fn finish(&self, grid: &Grid, confidence: f64) -> CellStats {
        match &self.0 {
            Some(sums) => sums.finish(grid, confidence),
            None => CellSums::<T>::default().finish(grid, confidence),
        }
    }
}

impl<T: Tally> CellSums<T> {
    /// Counts an observation of a touchpoint the respondent did not experience.
    fn push_not_applicable(&mut self) {
        self.observations += 1;
        self.not_applicable += 1;
    }

    /// Counts one observation at `slot` of `grid`'s table, where
    /// [`Grid::slot`] put it.
    #[inline]
    fn push_on_grid(&mut self, grid: &Grid, slot: usize, emotion: Option<Emotion>, unit: T::Unit) {
        if self.on_grid.is_empty() {
            self.on_grid = vec![T::default(); grid.len()];
        }
        if let Some(count) = self.on_grid.get_mut(slot) {
            count.add(unit);
        }
        self.emotions.push_optional(emotion, unit);
    }

    /// Adds one observation, classified once for every cell it falls in.
    fn apply(&mut self, update: &CellUpdate, unit: T::Unit) {
        self.observations += 1;
        self.reality.add_many(update.reality, unit, 1);
        self.top_two.add_if(unit, update.top_two);
        self.emotions.push_optional(update.emotion, unit);
        let Some(expectation) = update.expectation else {
            self.without_expectation += 1;
            return;
        };
        self.expectation.add_many(expectation, unit, 1);
        self.gap.add_many(update.reality - expectation, unit, 1);
        // Counted without branching on the data, which no predictor guesses.
        self.met.add_if(unit, update.met);
        self.wow.add_if(unit, update.wow);
        self.green += u64::from(update.light == TrafficLight::Green);
        self.yellow += u64::from(update.light == TrafficLight::Yellow);
    }

    /// Adds the observations of `tally`, all of one (reality, expectation)
    /// pair, their emotions already tallied.
    fn apply_many(&mut self, update: &CellUpdate, tally: &T) {
        let count = tally.count();
        self.observations += count;
        self.reality.add_tally(update.reality, tally);
        if update.top_two {
            self.top_two.merge(tally);
        }
        let Some(expectation) = update.expectation else {
            self.without_expectation += count;
            return;
        };
        self.expectation.add_tally(expectation, tally);
        self.gap.add_tally(update.reality - expectation, tally);
        if update.met {
            self.met.merge(tally);
        }
        if update.wow {
            self.wow.merge(tally);
        }
        self.green += count * u64::from(update.light == TrafficLight::Green);
        self.yellow += count * u64::from(update.light == TrafficLight::Yellow);
    }

    /// The cell with its table added to its sums and counts, as if each
    /// observation on the grid had been added on its own.
    fn settled(&self, grid: &Grid) -> std::borrow::Cow<'_, CellSums<T>> {
        if self.on_grid.is_empty() {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut cell = CellSums {
            on_grid: Vec::new(),
            ..self.clone()
        };
        for (slot, count) in self.on_grid.iter().enumerate() {
            if count.count() > 0 {
                let (reality, expectation) = grid.pair(slot);
                let update = CellUpdate::new(reality, expectation, None, &grid.thresholds);
                cell.apply_many(&update, count);
            }
        }
        std::borrow::Cow::Owned(cell)
    }

    /// Adds everything `other` has seen.
    fn merge(&mut self, other: &CellSums<T>) {
        self.observations += other.observations;
        self.not_applicable += other.not_applicable;
        self.without_expectation += other.without_expectation;
        self.reality.merge(&other.reality);
        self.expectation.merge(&other.expectation);
        self.gap.merge(&other.gap);
        self.met.merge(&other.met);
        self.wow.merge(&other.wow);
        self.green += other.green;
        self.yellow += other.yellow;
        self.top_two.merge(&other.top_two);
        self.emotions.merge(&other.emotions);
        // Cells of one scorecard share a grid, so their tables are as long.
        if self.on_grid.len() < other.on_grid.len() {
            self.on_grid.resize(other.on_grid.len(), T::default());
        }
        for (mine, theirs) in self.on_grid.iter_mut().zip(&other.on_grid) {
            mine.merge(theirs);
        }
    }

    /// [`CellAccumulator::check`] of a cell with sums.
    fn check(&self, grid: &Grid) -> Result<u64, String> {
        if !(self.on_grid.is_empty() || self.on_grid.len() == grid.len()) {
            return Err(format!(
                "its grid table has {} counts; expected 0 or {}",
                self.on_grid.len(),
                grid.len()
            ));
        }
        let sum = |counts: &[T]| {
            counts
                .iter()
                .try_fold(T::default(), |sum, n| sum.checked_merge(n))
                .map(|sum| sum.count())
        };
        let overflow = || "its counts overflow".to_owned();
        let on_grid = sum(&self.on_grid).ok_or_else(overflow)?;
        let possible = [self.met, self.wow, self.top_two]
            .iter()
            .chain(&self.on_grid)
            .chain(&self.emotions.counts)
            .all(Tally::is_possible);
        if !possible {
            return Err("its weight sums are not those of any weights".to_owned());
        }
        let moments = |moments: &Moments<T>, name: &str| {
            moments
                .checked_count()
                .ok_or_else(|| format!("its {name} sums are not those of its count"))
        };
        let reality = moments(&self.reality, "reality")?;
        let expectation = moments(&self.expectation, "expectation")?;
        let gap = moments(&self.gap, "gap")?;
        let off_grid = self.not_applicable.checked_add(reality);
        let coloured = self.green.checked_add(self.yellow);
        let rules = [
            (
                off_grid == Some(self.observations),
                "observations = not applicable + reality",
            ),
            (
                self.without_expectation.checked_add(expectation) == Some(reality),
                "reality = without expectation + expectation",
            ),
            (gap == expectation, "gaps = expectations"),
            (self.met.count() <= gap, "met <= gaps"),
            (self.wow.count() <= self.met.count(), "wow <= met"),
            (coloured.is_some_and(|n| n <= gap), "green + yellow <= gaps"),
            (self.top_two.count() <= reality, "top two <= reality"),
            (
                sum(&self.emotions.counts) == reality.checked_add(on_grid),
                "emotions = reality + grid",
            ),
        ];
        if let Some((_, rule)) = rules.iter().find(|(holds, _)| !holds) {
            return Err(format!("its counts break the rule {rule}"));
        }
        self.observations.checked_add(on_grid).ok_or_else(overflow)
    }

    /// [`CellAccumulator::finish`] of a cell with sums.
    fn finish(&self, grid: &Grid, confidence: f64) -> CellStats {
        self.settled(grid)
            .finish_settled(grid.thresholds.span, confidence)
    }

    /// [`finish`](Self::finish) for a cell with nothing on the grid.
    fn finish_settled(&self, span: f64, confidence: f64) -> CellStats {
        let gaps = self.gap.tally();
        let n = gaps.count();
        let points = self.gap.finish(confidence);
        let share = |count: &T| ShareStats::of(count, &gaps, confidence);
        let green_and_yellow = self.green + self.yellow;
        CellStats {
            observations: self.observations,
            not_applicable: self.not_applicable,
            without_expectation: self.without_expectation,
            reality: self.reality.finish(confidence),
            expectation: self.expectation.finish(confidence),
            gap: GapStats {
                n,
                normalized: points.scaled(1.0 / span),
                points,
                met: share(&self.met),
                wow: share(&self.wow),
                shortfall: share(&gaps.minus(&self.met)),
                lights: LightCounts {
                    green: self.green,
                    yellow: self.yellow,
                    red: n.saturating_sub(green_and_yellow),
                },
            },
            csat: ShareStats::of(&self.top_two, &self.reality.tally(), confidence),
            emotions: self.emotions.finish(),
        }
    }
}

/// The statistics of one cell: reach, reality, expectation, gap, CSAT and
/// emotions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CellStats {
    /// Accepted observations, including not-applicable ones.
    pub observations: u64,
    /// Observations whose reality was the scale's not-applicable value: the
    /// touchpoint was not experienced. They are counted here and scored nowhere.
    pub not_applicable: u64,
    /// Scored observations with neither an own expectation nor a touchpoint
    /// target: they count for reality and CSAT but have no gap.
    pub without_expectation: u64,
    /// Reality ratings, in scale points.
    pub reality: MeanStats,
    /// Effective expectations (own or target), in scale points.
    pub expectation: MeanStats,
    /// The expectation gap.
    pub gap: GapStats,
    /// CSAT: share of reality ratings in the top two points of the scale.
    pub csat: ShareStats,
    /// Reported emotions.
    pub emotions: EmotionSummary,
}

/// Counts per emotion, each report counted once (`T = u64`) or with its
/// respondent's weight.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct EmotionTally<T: Tally = u64> {
    /// One count per emotion in [`Emotion::ALL`] order, then one for
    /// observations without an emotion, kept so that pushing takes no
    /// branch and never reported.
    counts: [T; 19],
}

/// The slot of [`EmotionTally::counts`] for no emotion.
const NO_EMOTION: usize = 18;

impl EmotionTally {
    /// Counts one emotion.
    pub fn push(&mut self, emotion: Emotion) {
        self.counts[emotion.index()] += 1;
    }
}

impl<T: Tally> EmotionTally<T> {
    /// Counts one emotion, if there is one.
    fn push_optional(&mut self, emotion: Option<Emotion>, unit: T::Unit) {
        let slot = emotion.map_or(NO_EMOTION, Emotion::index);
        if let Some(count) = self.counts.get_mut(slot) {
            count.add(unit);
        }
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &EmotionTally<T>) {
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            mine.merge(theirs);
        }
    }

    /// Summarizes the counts: weighted, the net score is of the weights
    /// and the dominant emotion the one of the largest weight.
    pub fn finish(&self) -> EmotionSummary {
        let mut summary = EmotionSummary::default();
        let counts = &self.counts[..NO_EMOTION];
        let most = counts.iter().map(Tally::sum_units).max().unwrap_or(0);
        let mut at_most = 0;
        let (mut all, mut positive, mut negative) = (T::default(), T::default(), T::default());
        for (emotion, tally) in Emotion::ALL.iter().zip(counts) {
            let count = tally.count();
            if count == 0 {
                continue;
            }
            summary.n += count;
            all.merge(tally);
            match emotion.valence() {
                Valence::Positive => {
                    summary.positive += count;
                    positive.merge(tally);
                }
                Valence::Negative => {
                    summary.negative += count;
                    negative.merge(tally);
                }
            }
            if tally.sum_units() == most {
                at_most += 1;
                summary.dominant = Some(*emotion);
            }
            summary.counts.push(EmotionCount {
                emotion: *emotion,
                count,
            });
        }
        if at_most != 1 {
            summary.dominant = None;
        }
        summary.net = (all.sum_units() > 0).then(|| (positive.sum() - negative.sum()) / all.sum());
        summary
    }
}

/// How often one emotion was reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmotionCount {
    /// The emotion.
    pub emotion: Emotion,
    /// How many observations reported it.
    pub count: u64,
}

/// The emotions of a cell.
///
/// The net emotion score is `(positive - negative) / n`, in -1..=1, where `n`
/// counts observations that reported an emotion (weighted, the weights of
/// each).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmotionSummary {
    /// Observations with an emotion.
    pub n: u64,
    /// Of those, how many positive.
    pub positive: u64,
    /// Of those, how many negative.
    pub negative: u64,
    /// The net emotion score; `None` when `n = 0`.
    pub net: Option<f64>,
    /// The most reported emotion; `None` when none was reported or when two
    /// or more tie for the most, so that no order of the list decides.
    pub dominant: Option<Emotion>,
    /// Counts of the reported emotions, in [`Emotion::ALL`] order, zeros left out.
    pub counts: Vec<EmotionCount>,
}

#[cfg(test)]
mod tests;
