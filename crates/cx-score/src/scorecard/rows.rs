//! Scoring a batch's observations, a column at a time: every row is
//! checked and classified first, then added to the cell of its touchpoint
//! in each group it falls in, a segment's or channel's group looked up
//! once per batch rather than once per row (a period's, from each row's
//! timestamp).

use cx_model::{Channel, ObservationBatch, RespondentOrder};

use super::ScorecardAccumulator;
use super::clusters::{PooledClusters, Runs};
use super::groups::{BreakdownAccumulator, Dimension, GroupAccumulator, MISSING};
use crate::cell::{CellAccumulator, CellUpdate, Grid};
use crate::check::check_ratings;
use crate::rejection::{RejectReason, Rejection};
use crate::tally::Tally;

/// How one row goes into its cells: a slot of the cells' grid table, or
/// one of the markers below.
type Update = u32;

/// The row was rejected: it goes nowhere.
const REJECTED: Update = u32::MAX;
/// Its touchpoint was not experienced.
const NOT_APPLICABLE: Update = u32::MAX - 1;
/// Off the grid (a rating that is not a whole point): its sums are added
/// as they are, from the batch's list of such rows.
const OFF_GRID: Update = u32::MAX - 2;

/// The place [`Places::of`] gives a row whose group cannot be made.
const FULL: usize = usize::MAX - 1;

impl<T: Tally> ScorecardAccumulator<T> {
    /// Scores the observations of `batch`, counting each as accepted or
    /// rejected; returns the first rejection.
    pub(super) fn score_rows(&mut self, batch: &ObservationBatch) -> Option<Rejection> {
        let (mut updates, mut off_grid, mut first) = self.classify(batch);
        self.refuse_past_limits(batch, &mut updates, &mut off_grid, &mut first);
        let first = first.map(|(_, rejection)| rejection);
        let rows = Rows {
            batch,
            updates: &updates,
            off_grid: &off_grid,
            grid: &self.grid,
        };
        let touchpoints = self.journey.touchpoint_count();
        // With a breakdown, the whole survey's cells are summed from its
        // groups when finished instead of pushed to on every row; its
        // respondents are not (one may be in several groups), so the first
        // breakdown's pass counts the whole survey's pooled figures by
        // respondent too.
        if self.breakdowns.is_empty() {
            rows.add_to(
                &mut Whole(&mut self.total),
                &self.journey,
                self.respondents,
                None,
            );
        }
        let mut whole = Some(&mut self.total.pooled);
        for breakdown in &mut self.breakdowns {
            let places = Places::new(breakdown.dimension, batch, touchpoints);
            rows.add_to(
                &mut Grouped {
                    breakdown,
                    places,
                    journey: &self.journey,
                },
                &self.journey,
                self.respondents,
                whole.take(),
            );
        }
        first
    }

    /// Checks every row, counts it, and works out how it goes into its
    /// cells; rows off the grid come with their update. The first
    /// rejection comes with its row.
    fn classify(
        &mut self,
        batch: &ObservationBatch,
    ) -> (Vec<Update>, Vec<CellUpdate>, Option<(usize, Rejection)>) {
        let mut updates = Vec::with_capacity(batch.len());
        let mut off_grid = Vec::new();
        let mut first = None;
        let columns = batch
            .touchpoints()
            .iter()
            .zip(batch.realities())
            .zip(batch.expectations())
            .zip(batch.emotions());
        for (row, (((&index, &reality), &expectation), &emotion)) in columns.enumerate() {
            self.observations.read += 1;
            // Weighted, a row without its respondent's weight is refused
            // (a count needs no weight, and compiles this away).
            if T::WEIGHTED && T::unit_of_row(batch, row).is_none() {
                self.count_rejection(RejectReason::MissingWeight);
                if first.is_none() {
                    let respondent = batch.respondent(row).unwrap_or_default();
                    first = Some((row, super::missing_weight(respondent)));
                }
                updates.push(REJECTED);
                continue;
            }
            // The usual row: whole points on the scale, a slot of the grid,
            // which no rating off the scale or not applicable has.
            if let Some(slot) = self.slot_of(index, reality, expectation) {
                self.observations.accepted += 1;
                updates.push(slot);
                continue;
            }
            let rating = match check_ratings(&self.journey, index, reality, expectation) {
                Ok(rating) => rating,
                Err(refusal) => {
                    self.count_rejection(refusal.reason());
                    if first.is_none() {
                        let respondent = batch.respondent(row).unwrap_or_default();
                        first = Some((row, refusal.of(respondent)));
                    }
                    updates.push(REJECTED);
                    continue;
                }
            };
            self.observations.accepted += 1;
            let Some(reality) = rating.reality else {
                updates.push(NOT_APPLICABLE);
                continue;
            };
            // An own expectation that was not applicable has given way to
            // the target, and the pair may now be on the grid.
            if let Some(slot) = self.slot_of(index, reality, rating.expectation) {
                updates.push(slot);
                continue;
            }
            let expectation = rating.expectation.or(self.journey.target(index));
            let thresholds = self.grid.thresholds();
            off_grid.push(CellUpdate::new(reality, expectation, emotion, thresholds));
            updates.push(OFF_GRID);
        }
        (updates, off_grid, first)
    }

    /// Rejects the accepted rows whose key would be one group too many in
    /// a breakdown ([`max_groups`](ScorecardAccumulator::max_groups)),
    /// before any row is added: a row goes into all its groups or none.
    /// A breakdown with room for every key the batch could bring is not
    /// searched, so that the usual batch pays nothing for the limit.
    fn refuse_past_limits(
        &mut self,
        batch: &ObservationBatch,
        updates: &mut [Update],
        off_grid: &mut Vec<CellUpdate>,
        first: &mut Option<(usize, Rejection)>,
    ) {
        let touchpoints = self.journey.touchpoint_count();
        // By row: the first breakdown that has no room for its key.
        let mut refused: Vec<Option<Dimension>> = Vec::new();
        for breakdown in &self.breakdowns {
            let new_keys = match breakdown.dimension {
                Dimension::Segment => batch.segment_names().len(),
                Dimension::Channel => batch.channel_names().len() + touchpoints,
                Dimension::Day | Dimension::Week | Dimension::Month => batch.len(),
            };
            if breakdown.groups.len().saturating_add(new_keys) <= self.max_groups {
                continue;
            }
            let mut admitted = rustc_hash::FxHashSet::default();
            let mut places = Places::new(breakdown.dimension, batch, touchpoints);
            for (row, &update) in updates.iter().enumerate() {
                if update == REJECTED {
                    continue;
                }
                let touchpoint = self.touchpoint_of(batch, row);
                let place = places.of(row, touchpoint, |key| {
                    if breakdown.admits(key, &mut admitted, self.max_groups) {
                        0
                    } else {
                        FULL
                    }
                });
                if place == FULL {
                    refused.resize(updates.len(), None);
                    if let Some(slot) = refused.get_mut(row) {
                        slot.get_or_insert(breakdown.dimension);
                    }
                }
            }
        }
        if refused.is_empty() {
            return;
        }
        let mut kept = Vec::with_capacity(off_grid.len());
        let mut rows_off_grid = std::mem::take(off_grid).into_iter();
        for (row, update) in updates.iter_mut().enumerate() {
            let own = if *update == OFF_GRID {
                rows_off_grid.next()
            } else {
                None
            };
            let Some(dimension) = refused.get(row).copied().flatten() else {
                kept.extend(own);
                continue;
            };
            *update = REJECTED;
            self.observations.accepted -= 1;
            self.count_rejection(RejectReason::TooManyGroups);
            if first.as_ref().is_none_or(|(earlier, _)| *earlier > row) {
                let respondent = batch.respondent(row).unwrap_or_default();
                let rejection = super::too_many_groups(respondent, dimension, self.max_groups);
                *first = Some((row, rejection));
            }
        }
        *off_grid = kept;
    }

    /// The touchpoint of `row`, if the journey has it.
    fn touchpoint_of(&self, batch: &ObservationBatch, row: usize) -> Option<&cx_model::Touchpoint> {
        let index = batch.touchpoints().get(row).copied()?;
        self.journey.touchpoint(index)
    }
}

impl<T: Tally> ScorecardAccumulator<T> {
    /// The grid slot of an observation of the touchpoint at `index` whose
    /// ratings, with the touchpoint's target for a missing expectation,
    /// are whole points on the scale: such an observation passes every
    /// check. `None` for any other, which the checks then classify.
    #[inline(always)]
    fn slot_of(&self, index: usize, reality: f64, expectation: Option<f64>) -> Option<Update> {
        if index >= self.journey.touchpoint_count() {
            return None;
        }
        let expectation = expectation.or(self.journey.target(index));
        let slot = self.grid.slot(reality, expectation)?;
        u32::try_from(slot).ok().filter(|&slot| slot < OFF_GRID)
    }
}

/// A batch's rows, classified.
struct Rows<'a> {
    batch: &'a ObservationBatch,
    updates: &'a [Update],
    /// The updates of the rows off the grid, in row order.
    off_grid: &'a [CellUpdate],
    grid: &'a Grid,
}

impl Rows<'_> {
    /// Adds every accepted row to the cell of its touchpoint and to the
    /// pooled figures by respondent, in the group `groups` gives for it,
    /// and to `whole`'s pooled figures if given.
    #[inline]
    fn add_to<T: Tally>(
        &self,
        groups: &mut impl GroupOf<T>,
        journey: &cx_model::Journey,
        order: RespondentOrder,
        mut whole: Option<&mut PooledClusters<T>>,
    ) {
        let mut runs = Runs::new(journey.stages().len(), order);
        let mut whole_runs = Runs::new(journey.stages().len(), order);
        let mut off_grid = self.off_grid.iter();
        let columns = self
            .updates
            .iter()
            .zip(self.batch.touchpoints())
            .zip(self.batch.emotions());
        for (row, ((&update, &index), &emotion)) in columns.enumerate() {
            if update == REJECTED {
                continue;
            }
            // Always a unit here: a row without one was rejected.
            let Some(unit) = T::unit_of_row(self.batch, row) else {
                continue;
            };
            let Some((slot, group)) = groups.group_of(row) else {
                continue;
            };
            let cell: Option<&mut CellAccumulator<T>> = group.touchpoints.get_mut(index);
            // An observation with a gap: its gap, met and WOW in half units
            // (`Some(None)`: off the half grid).
            let halves = match update {
                NOT_APPLICABLE => {
                    if let Some(cell) = cell {
                        cell.push_not_applicable();
                    }
                    None
                }
                OFF_GRID => {
                    // Off-grid rows come in row order, one for each.
                    let update = off_grid.next();
                    if let (Some(cell), Some(update)) = (cell, update) {
                        cell.apply(update, unit);
                    }
                    update
                        .and_then(CellUpdate::gap_values)
                        .map(|values| values.halves())
                }
                slot => {
                    if let Some(cell) = cell {
                        cell.push_on_grid(self.grid, slot as usize, emotion, unit);
                    }
                    self.grid.gap_halves(slot as usize).map(Some)
                }
            };
            if let (Some(halves), Some(stage)) = (halves, journey.stage_of(index)) {
                runs.add(
                    slot,
                    &mut group.pooled,
                    self.batch,
                    row,
                    stage,
                    halves,
                    unit,
                );
                if let Some(whole) = whole.as_deref_mut() {
                    whole_runs.add(0, whole, self.batch, row, stage, halves, unit);
                }
            }
        }
    }
}

/// The group a row goes into, with a small number for it (its slot).
trait GroupOf<T: Tally> {
    fn group_of(&mut self, row: usize) -> Option<(usize, &mut GroupAccumulator<T>)>;
}

/// The whole survey: every row's group.
struct Whole<'a, T: Tally>(&'a mut GroupAccumulator<T>);

impl<T: Tally> GroupOf<T> for Whole<'_, T> {
    #[inline]
    fn group_of(&mut self, _row: usize) -> Option<(usize, &mut GroupAccumulator<T>)> {
        Some((0, self.0))
    }
}

/// A breakdown: each row's group by its key.
struct Grouped<'a, 'b, T: Tally> {
    breakdown: &'a mut BreakdownAccumulator<T>,
    places: Places<'b>,
    journey: &'a cx_model::Journey,
}

impl<T: Tally> GroupOf<T> for Grouped<'_, '_, T> {
    #[inline]
    fn group_of(&mut self, row: usize) -> Option<(usize, &mut GroupAccumulator<T>)> {
        let index = self.places.batch.touchpoints().get(row).copied();
        let touchpoint = index.and_then(|index| self.journey.touchpoint(index));
        let touchpoints = self.places.touchpoints;
        let breakdown = &mut *self.breakdown;
        let place = self
            .places
            .of(row, touchpoint, |key| breakdown.group_for(key, touchpoints));
        // The group without a value is slot 0, the others follow.
        let slot = if place == MISSING { 0 } else { place + 1 };
        Some((slot, self.breakdown.group_mut(place)?))
    }
}

/// Finds each row's group in one breakdown: by the batch's segment or
/// channel numbers, each looked up once, or by period.
struct Places<'b> {
    dimension: Dimension,
    batch: &'b ObservationBatch,
    touchpoints: usize,
    /// The place of each segment or channel number the batch uses, once
    /// looked up.
    by_code: Vec<Option<usize>>,
    /// The place of each touchpoint's own channel, once looked up, for
    /// rows that name none.
    by_touchpoint: Vec<Option<usize>>,
    /// The place of rows without a value, once looked up.
    missing: Option<usize>,
}

impl<'b> Places<'b> {
    fn new(dimension: Dimension, batch: &'b ObservationBatch, touchpoints: usize) -> Self {
        let codes = match dimension {
            Dimension::Segment => batch.segment_names().len(),
            Dimension::Channel => batch.channel_names().len(),
            _ => 0,
        };
        Places {
            dimension,
            batch,
            touchpoints,
            by_code: vec![None; codes],
            by_touchpoint: vec![None; touchpoints],
            missing: None,
        }
    }

    /// The place of `row`'s group, as `find` gives it for the row's key
    /// (creating the group on first sight, or checking there is room for
    /// it), asked once per segment or channel of the batch; `touchpoint` is
    /// the row's, whose channel stands in for a row without one.
    #[inline]
    fn of(
        &mut self,
        row: usize,
        touchpoint: Option<&cx_model::Touchpoint>,
        mut find: impl FnMut(Option<&str>) -> usize,
    ) -> usize {
        let batch = self.batch;
        let mut cached = |slot: Option<&mut Option<usize>>, key: Option<&str>| match slot {
            Some(slot) => *slot.get_or_insert_with(|| find(key)),
            None => find(key),
        };
        match self.dimension {
            Dimension::Segment => match batch.segment_codes().get(row).copied().flatten() {
                Some(code) => match self.by_code.get_mut(code) {
                    Some(slot) => cached(
                        Some(slot),
                        batch.segment_names().get(code).map(String::as_str),
                    ),
                    None => cached(None, batch.segment(row)),
                },
                None => cached(Some(&mut self.missing), None),
            },
            Dimension::Channel => match batch.channel_codes().get(row).copied().flatten() {
                Some(code) => cached(
                    self.by_code.get_mut(code),
                    batch.channel(row).map(Channel::as_str),
                ),
                None => match touchpoint {
                    Some(touchpoint) => {
                        let index = batch.touchpoints().get(row).copied().unwrap_or(usize::MAX);
                        cached(
                            self.by_touchpoint.get_mut(index),
                            Some(touchpoint.channel.as_str()),
                        )
                    }
                    None => cached(Some(&mut self.missing), None),
                },
            },
            period => {
                let key = batch
                    .timestamp(row)
                    .and_then(|timestamp| period.period_of(timestamp));
                cached(None, key.as_deref())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::ScoreConfig;
    use cx_model::{Journey, Scale, Stage, Touchpoint};
    use proptest::prelude::*;

    fn rating() -> impl Strategy<Value = f64> {
        prop_oneof![
            (0u8..=6).prop_map(f64::from),
            Just(2.5),
            Just(f64::NAN),
            Just(-1.0),
            Just(f64::INFINITY),
        ]
    }

    proptest! {
        /// A row the grid takes as it is is one the checks accept, with
        /// the same slot: the shortcut changes no result.
        #[test]
        fn prop_the_grid_shortcut_agrees_with_the_checks(
            index in 0usize..3,
            reality in rating(),
            expectation in proptest::option::of(rating()),
            target in proptest::option::of(1u8..=5),
        ) {
            let mut touchpoint = Touchpoint::new("a", "A", Channel::Web);
            touchpoint.target = target.map(f64::from);
            let scale = Scale::LIKERT_5.with_not_applicable(0.0).unwrap();
            let journey = Journey::builder("j", scale)
                .stage(Stage::new("s").touchpoint(touchpoint).touchpoint(Touchpoint::new("b", "B", Channel::Web)))
                .build()
                .unwrap();
            let scorer = ScorecardAccumulator::new(journey.clone(), ScoreConfig::default()).unwrap();
            if let Some(slot) = scorer.slot_of(index, reality, expectation) {
                let rating = check_ratings(&journey, index, reality, expectation).unwrap();
                let checked = rating.reality.and_then(|reality| {
                    scorer.grid.slot(reality, rating.expectation.or(journey.target(index)))
                });
                prop_assert_eq!(checked, Some(slot as usize));
            }
        }
    }
}
