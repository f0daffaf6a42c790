//! The pooled stage and journey figures by respondent: a respondent answers
//! at several touchpoints, so their observations are clustered, and the
//! pooled figures' uncertainty is taken by respondent (as
//! [`ClusteredMoments`](crate::ClusteredMoments) does for one value).

use cx_model::{ObservationBatch, RespondentOrder};
use serde::{Deserialize, Serialize};

use crate::cluster::{ClusteredStats, Clusters};
use crate::tally::Tally;

/// One group's pooled figures by respondent: set 0 is the whole journey,
/// set `1 + s` stage `s`; each observation with a gap counts its gap, met
/// and WOW.
/// Weighted (`T = WeightSum`), each respondent's cluster counts with its
/// weight.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub(crate) struct PooledClusters<T: Tally = u64>(Clusters<3, T>);

impl<T: Tally> PooledClusters<T> {
    pub(crate) fn merge(&mut self, later: &PooledClusters<T>) {
        self.0.merge(&later.0);
    }

    /// Observations counted (with their gap) in the journey's figures.
    pub(crate) fn observations(&self) -> u64 {
        self.0.values(0)
    }

    /// The journey's figures and each stage's (`None` where no observation
    /// has a gap), with `confidence` intervals.
    pub(crate) fn finish(
        &self,
        stages: usize,
        confidence: f64,
    ) -> (Option<ClusteredPooled>, Vec<Option<ClusteredPooled>>) {
        let sets = self.0.finish(confidence);
        let of = |set: usize| {
            sets.get(set)
                .filter(|[gap, _, _]| gap.n + gap.off_grid > 0)
                .map(|&[gap, met, wow]| ClusteredPooled { gap, met, wow })
        };
        (of(0), (1..=stages).map(of).collect())
    }
}

/// Pooled figures with their uncertainty by respondent: the mean gap in
/// scale points, the met share and the WOW share (as means of 0 and 1),
/// each a [`ClusteredStats`] whose `clusters` counts the respondents.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClusteredPooled {
    /// The mean gap in scale points.
    pub gap: ClusteredStats,
    /// The share of observations that met their expectation.
    pub met: ClusteredStats,
    /// The share of WOW observations.
    pub wow: ClusteredStats,
}

/// Which respondent each group of one batch counts in: a group's
/// clusters are told of a new respondent when its rows turn to another one
/// (by the batch's respondent numbers), not on every row.
#[derive(Debug)]
pub(crate) struct Runs {
    /// By the group's slot (see [`add`](Self::add)): the batch's number
    /// for the respondent the group's clusters last began.
    respondents: Vec<Option<usize>>,
    /// Sets per observation: the journey and each stage, always all of
    /// them, so that a state does not depend on how its data was cut
    /// into batches.
    sets: usize,
    /// Whether a respondent's rows come together: if not, each group keeps
    /// every respondent's cluster to the end.
    order: RespondentOrder,
}

impl Runs {
    /// Runs for a journey of `stages` stages, of respondents in `order`.
    pub(crate) fn new(stages: usize, order: RespondentOrder) -> Self {
        Runs {
            respondents: Vec::new(),
            sets: 1 + stages,
            order,
        }
    }

    /// Counts the observation of `row` (in `stage`, with its gap, met and
    /// WOW in half units, `None` if off the half grid) in the clusters of
    /// the group at `slot`.
    #[inline(always)]
    #[allow(
        clippy::too_many_arguments,
        reason = "the row's place and values, each used once"
    )]
    pub(crate) fn add<T: Tally>(
        &mut self,
        slot: usize,
        clusters: &mut PooledClusters<T>,
        batch: &ObservationBatch,
        row: usize,
        stage: usize,
        halves: Option<[i64; 3]>,
        weight: T::Unit,
    ) {
        let number = batch.respondent_numbers().get(row).copied();
        if self.respondents.get(slot).copied().flatten() != number {
            self.turn(slot, number, clusters, batch, row, weight);
        }
        clusters.0.add([0, 1 + stage], halves);
    }

    /// The group at `slot` turns to the respondent of `row`.
    #[inline(never)]
    fn turn<T: Tally>(
        &mut self,
        slot: usize,
        number: Option<usize>,
        clusters: &mut PooledClusters<T>,
        batch: &ObservationBatch,
        row: usize,
        weight: T::Unit,
    ) {
        if self.respondents.len() <= slot {
            self.respondents.resize(slot + 1, None);
        }
        if let Some(last) = self.respondents.get_mut(slot) {
            *last = number;
        }
        clusters.0.begin(
            batch.respondent(row).unwrap_or_default(),
            self.sets,
            weight,
            self.order,
        );
    }
}
