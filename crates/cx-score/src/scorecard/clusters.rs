//! The pooled stage and journey figures by respondent: a respondent answers
//! at several touchpoints, so their observations are clustered, and the
//! pooled figures' uncertainty is taken by respondent (as
//! [`ClusteredMoments`](crate::ClusteredMoments) does for one value).

use cx_model::ObservationBatch;
use serde::{Deserialize, Serialize};

use crate::cell::GapValues;
use crate::cluster::{ClusteredStats, Clusters};

/// One group's pooled figures by respondent: the whole journey's and each
/// stage's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PooledClusters {
    pub(crate) journey: ClusterSet,
    /// By stage index; a stage nobody has answered yet may be missing.
    pub(crate) stages: Vec<ClusterSet>,
}

impl PooledClusters {
    pub(crate) fn merge(&mut self, later: &PooledClusters) {
        self.journey.merge(&later.journey);
        if self.stages.len() < later.stages.len() {
            self.stages
                .resize(later.stages.len(), ClusterSet::default());
        }
        for (mine, theirs) in self.stages.iter_mut().zip(&later.stages) {
            mine.merge(theirs);
        }
    }

    /// The stage's figures, empty if nobody has answered it.
    pub(crate) fn stage(&self, stage: usize) -> ClusterSet {
        self.stages.get(stage).cloned().unwrap_or_default()
    }

    /// Observations counted (with their gap) in the journey's figures.
    pub(crate) fn observations(&self) -> u64 {
        self.journey.values()
    }
}

/// The gap, met share and WOW share of some touchpoints' observations with
/// a gap, clustered by respondent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ClusterSet(Clusters<3>);

impl ClusterSet {
    fn push(&mut self, key: &str, run: &Sums) {
        if run.n > 0 {
            self.0
                .push_run(key, run.n, [run.gap, run.met as f64, run.wow as f64]);
        }
    }

    fn merge(&mut self, later: &ClusterSet) {
        self.0.merge(&later.0);
    }

    /// Observations counted, those off the grid included.
    fn values(&self) -> u64 {
        self.0.values()
    }

    /// The figures, with `confidence` intervals.
    pub(crate) fn finish(&self, confidence: f64) -> Option<ClusteredPooled> {
        if self.0.is_empty() {
            return None;
        }
        let [gap, met, wow] = self.0.finish(confidence);
        Some(ClusteredPooled { gap, met, wow })
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

/// A run's sums, not yet counted.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    n: u64,
    gap: f64,
    met: u64,
    wow: u64,
}

impl Sums {
    fn add(&mut self, values: GapValues) {
        self.n += 1;
        self.gap += values.gap;
        self.met += u64::from(values.met);
        self.wow += u64::from(values.wow);
    }
}

/// A respondent's rows in a row within one group of one batch, summed
/// before they go to the group's clusters: one push per run rather than
/// one per row.
#[derive(Debug, Clone, Default)]
struct Run {
    /// The batch's number for the respondent, and a row of theirs.
    respondent: Option<(usize, usize)>,
    journey: Sums,
    stages: Vec<Sums>,
}

impl Run {
    fn flush(&mut self, batch: &ObservationBatch, clusters: &mut PooledClusters) {
        let Some((_, row)) = self.respondent.take() else {
            return;
        };
        let key = batch.respondent(row).unwrap_or_default();
        clusters.journey.push(key, &self.journey);
        if clusters.stages.len() < self.stages.len() {
            clusters
                .stages
                .resize(self.stages.len(), ClusterSet::default());
        }
        for (set, sums) in clusters.stages.iter_mut().zip(&self.stages) {
            set.push(key, sums);
        }
        self.journey = Sums::default();
        self.stages
            .iter_mut()
            .for_each(|sums| *sums = Sums::default());
    }
}

/// The open runs of one batch, one per group.
#[derive(Debug, Default)]
pub(crate) struct Runs {
    /// By the group's slot (see [`add`](Self::add)).
    open: Vec<Run>,
}

impl Runs {
    /// Adds the observation of `row` (in `stage`, with these values) to the
    /// group at `slot` whose clusters are `clusters`, first counting the
    /// group's open run if the row starts another respondent's.
    pub(crate) fn add(
        &mut self,
        slot: usize,
        clusters: &mut PooledClusters,
        batch: &ObservationBatch,
        row: usize,
        stage: usize,
        values: GapValues,
    ) {
        if self.open.len() <= slot {
            self.open.resize_with(slot + 1, Run::default);
        }
        let Some(run) = self.open.get_mut(slot) else {
            return;
        };
        let number = batch.respondent_numbers().get(row).copied();
        if run.respondent.map(|(open, _)| open) != number {
            run.flush(batch, clusters);
            run.respondent = number.map(|number| (number, row));
        }
        run.journey.add(values);
        if run.stages.len() <= stage {
            run.stages.resize(stage + 1, Sums::default());
        }
        if let Some(sums) = run.stages.get_mut(stage) {
            sums.add(values);
        }
    }

    /// The slots with a run still open.
    pub(crate) fn open_slots(&self) -> Vec<usize> {
        (0..self.open.len())
            .filter(|&slot| self.open[slot].respondent.is_some())
            .collect()
    }

    /// Counts the open run of `slot` in `clusters`, its group's.
    pub(crate) fn flush(
        &mut self,
        slot: usize,
        batch: &ObservationBatch,
        clusters: &mut PooledClusters,
    ) {
        if let Some(run) = self.open.get_mut(slot) {
            run.flush(batch, clusters);
        }
    }
}
