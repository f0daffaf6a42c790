//! A respondent's outcome in a scorecard: checked, refused where its key
//! would be one group too many, and added to the whole survey's group and
//! to its group in each breakdown that splits outcomes.

use cx_model::OutcomeRecord;

use super::groups::{Dimension, GroupAccumulator};
use super::{ScorecardAccumulator, missing_weight, too_many_groups};
use crate::check::check_likelihood;
use crate::rejection::{RejectReason, Rejection};
use crate::tally::Tally;

impl<T: Tally> ScorecardAccumulator<T> {
    /// Checks an outcome's likelihood, effort and weight: the unit it
    /// counts with, or why it cannot be scored.
    pub(super) fn check_outcome<O: OutcomeRecord + ?Sized>(
        &self,
        outcome: &O,
    ) -> Result<T::Unit, Rejection> {
        let reject = |reason, field, error: cx_model::Error| Rejection {
            reason,
            respondent: outcome.respondent_id().to_owned(),
            field,
            detail: error.to_string(),
        };
        check_likelihood(&self.config.nps.scale, outcome)?;
        if let Some(effort) = outcome.effort() {
            if !effort.is_finite() {
                return Err(reject(
                    RejectReason::EffortNotFinite,
                    "effort",
                    cx_model::ErrorKind::NotFinite { value: effort }.into(),
                ));
            }
            if let Some(scale) = self.config.effort_scale
                && !scale.contains(effort)
            {
                return Err(reject(
                    RejectReason::EffortOutOfScale,
                    "effort",
                    scale.out_of_scale(effort),
                ));
            }
        }
        T::unit(outcome.weight()).ok_or_else(|| missing_weight(outcome.respondent_id()))
    }

    /// Adds a checked outcome to the whole survey's group and to its
    /// group in each breakdown that splits outcomes.
    pub(super) fn record_outcome<O: OutcomeRecord + ?Sized>(&mut self, outcome: &O, unit: T::Unit) {
        let cutoffs = self.config.nps;
        let update = |group: &mut GroupAccumulator<T>| {
            group.outcomes += 1;
            group.loyalty.push_unit(outcome, unit);
            if let Some(likelihood) = outcome.likelihood_to_recommend() {
                group.nps.push_unit(likelihood, &cutoffs, unit);
            }
            if let Some(effort) = outcome.effort() {
                group.effort.add_many(effort, unit, 1);
            }
        };
        update(&mut self.total);
        let count = self.journey.touchpoint_count();
        for breakdown in &mut self.breakdowns {
            let Some(key) = outcome_key(breakdown.dimension, outcome) else {
                continue;
            };
            let place = breakdown.group_for(key.as_deref(), count);
            if let Some(group) = breakdown.group_mut(place) {
                update(group);
            }
        }
    }

    /// Refuses an outcome whose key would be one group too many in a
    /// breakdown.
    pub(super) fn check_outcome_groups<O: OutcomeRecord + ?Sized>(
        &self,
        outcome: &O,
    ) -> Result<(), Rejection> {
        for breakdown in &self.breakdowns {
            // With room for one more group, any key fits: the usual case
            // costs a comparison, not a search.
            if breakdown.groups.len() < self.max_groups {
                continue;
            }
            let Some(key) = outcome_key(breakdown.dimension, outcome) else {
                continue;
            };
            let mut admitted = rustc_hash::FxHashSet::default();
            if !breakdown.admits(key.as_deref(), &mut admitted, self.max_groups) {
                return Err(too_many_groups(
                    outcome.respondent_id(),
                    breakdown.dimension,
                    self.max_groups,
                ));
            }
        }
        Ok(())
    }
}

/// An outcome's key in a breakdown by `dimension` (`Some(None)` for no
/// value), or `None` for a breakdown that does not split outcomes.
fn outcome_key<O: OutcomeRecord + ?Sized>(
    dimension: Dimension,
    outcome: &O,
) -> Option<Option<std::borrow::Cow<'_, str>>> {
    match dimension {
        Dimension::Segment => Some(outcome.segment().map(std::borrow::Cow::Borrowed)),
        Dimension::Channel => None,
        period => Some(
            outcome
                .timestamp()
                .and_then(|timestamp| period.period_of(timestamp))
                .map(std::borrow::Cow::Owned),
        ),
    }
}
