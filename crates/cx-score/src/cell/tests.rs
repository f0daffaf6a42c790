use super::*;
use cx_model::Scale;
use proptest::prelude::*;

fn grid() -> Grid {
    Grid::new(&Scale::LIKERT_5, &ScoreConfig::default())
}

/// A cell that takes each observation on the grid when it can, or
/// always off it.
struct Cell {
    cell: CellAccumulator,
    grid: Grid,
    on_grid: bool,
}

impl Cell {
    fn new(on_grid: bool) -> Self {
        Cell {
            cell: CellAccumulator::default(),
            grid: grid(),
            on_grid,
        }
    }

    fn push(&mut self, reality: f64, expectation: Option<f64>, emotion: Option<Emotion>) {
        match self.grid.slot(reality, expectation) {
            Some(slot) if self.on_grid => self.cell.push_on_grid(&self.grid, slot, emotion, ()),
            _ => self
                .cell
                .push(reality, expectation, emotion, self.grid.thresholds(), ()),
        }
    }

    fn finish(&self) -> CellStats {
        self.cell.finish(&self.grid, 0.95)
    }
}

#[test]
fn the_grid_finds_whole_points_only() {
    let grid = grid();
    // Five points, six columns: the last for no expectation.
    assert_eq!(grid.slot(1.0, Some(1.0)), Some(0));
    assert_eq!(grid.slot(1.0, None), Some(5));
    assert_eq!(grid.slot(2.0, Some(4.0)), Some(6 + 3));
    assert_eq!(grid.slot(5.0, Some(5.0)), Some(4 * 6 + 4));
    assert_eq!(grid.pair(4 * 6 + 5), (5.0, None));
    assert_eq!(grid.pair(6 + 3), (2.0, Some(4.0)));
    for off in [0.0, 0.5, 2.5, 5.5, 6.0, -1.0, f64::NAN, f64::INFINITY] {
        assert_eq!(grid.slot(off, None), None, "{off}");
        assert_eq!(grid.slot(3.0, Some(off)), None, "{off}");
    }
    // A scale too wide has no grid; one of eleven points does.
    let config = ScoreConfig::default();
    let wide = Grid::new(
        &Scale::new(0.0, 11.0).unwrap_or_else(|e| panic!("{e}")),
        &config,
    );
    assert_eq!(wide.slot(3.0, None), None);
    let eleven = Grid::new(
        &Scale::new(0.0, 10.0).unwrap_or_else(|e| panic!("{e}")),
        &config,
    );
    assert_eq!(eleven.slot(10.0, Some(0.0)), Some(10 * 12));
    // On a scale ending between points, the last whole one is on it.
    let ragged = Grid::new(
        &Scale::new(1.0, 4.5).unwrap_or_else(|e| panic!("{e}")),
        &config,
    );
    assert_eq!(ragged.slot(4.0, None), Some(3 * 5 + 4));
    assert_eq!(ragged.slot(4.5, None), None);
}

#[test]
fn hand_computed_cell() {
    for on_grid in [false, true] {
        hand_computed_cell_taken(on_grid);
    }
}

fn hand_computed_cell_taken(on_grid: bool) {
    // (reality, expectation): gaps 1, 0, -1, -2, and one without expectation.
    // Normalized by span 4: 0.25, 0, -0.25, -0.5.
    // met: gaps >= 0 → 2 of 4; WOW: >= 0.25 → 1; shortfall 2.
    // lights: green 0.25 and 0 → 2; yellow -0.25 → 1; red -0.5 → 1.
    // mean gap = -2/4 = -0.5 points = -0.125 normalized.
    // CSAT: realities 5, 4, 3, 2, 4 → top two (4, 5): 3 of 5.
    let mut cell = Cell::new(on_grid);
    cell.push(5.0, Some(4.0), Some(Emotion::Happy));
    cell.push(4.0, Some(4.0), Some(Emotion::Happy));
    cell.push(3.0, Some(4.0), Some(Emotion::Rushed));
    cell.push(2.0, Some(4.0), None);
    cell.push(4.0, None, None);
    cell.cell.push_not_applicable();
    let table = cell.cell.0.as_ref().map_or(0, |sums| sums.on_grid.len());
    assert_eq!(table == 0, !on_grid);
    let stats = cell.finish();
    assert_eq!(stats.observations, 6);
    assert_eq!(stats.not_applicable, 1);
    assert_eq!(stats.without_expectation, 1);
    assert_eq!(stats.reality.n, 5);
    assert_eq!(stats.reality.mean, Some(18.0 / 5.0));
    assert_eq!(stats.expectation.mean, Some(4.0));
    let gap = stats.gap;
    assert_eq!(gap.n, 4);
    assert_eq!(gap.points.mean, Some(-0.5));
    assert_eq!(gap.normalized.mean, Some(-0.125));
    assert_eq!(
        (gap.met.count, gap.wow.count, gap.shortfall.count),
        (2, 1, 2)
    );
    assert_eq!(gap.met.share, Some(0.5));
    assert_eq!(
        gap.lights,
        LightCounts {
            green: 2,
            yellow: 1,
            red: 1
        }
    );
    assert_eq!((stats.csat.count, stats.csat.n), (3, 5));
    // Emotions: happy 2, rushed 1 → net (2 - 1)/3, dominant happy.
    assert_eq!(stats.emotions.n, 3);
    assert_eq!(stats.emotions.net, Some(1.0 / 3.0));
    assert_eq!(stats.emotions.dominant, Some(Emotion::Happy));
    assert_eq!(
        stats.emotions.counts,
        [
            EmotionCount {
                emotion: Emotion::Happy,
                count: 2
            },
            EmotionCount {
                emotion: Emotion::Rushed,
                count: 1
            }
        ]
    );
}

/// Ratings on and off the grid, and a value of no expectation.
fn rating() -> impl Strategy<Value = f64> {
    prop::sample::select(vec![
        1.0,
        2.0,
        3.0,
        4.0,
        5.0,
        1.5,
        4.5,
        2.25,
        3.1,
        1e-9 + 1.0,
    ])
}

fn observation() -> impl Strategy<Value = (f64, Option<f64>, Option<Emotion>)> {
    (
        rating(),
        prop::option::of(rating()),
        prop::option::of(prop::sample::select(Emotion::ALL.to_vec())),
    )
}

proptest! {
    /// Counting on the grid gives the statistics of adding each
    /// observation on its own, to the bit, however the observations are
    /// split between cells and in whichever order those are merged.
    /// (Values off the grid that are not half points are summed in
    /// floating point, whose last bits depend on the split either way:
    /// each split is compared with itself.)
    #[test]
    fn the_grid_changes_no_result(
        observations in prop::collection::vec(observation(), 0..60),
        split in 0usize..60,
    ) {
        let (first, second) = observations.split_at(split.min(observations.len()));
        let counted = |part: &[(f64, Option<f64>, Option<Emotion>)], on_grid| {
            let mut cell = Cell::new(on_grid);
            for &(reality, expectation, emotion) in part {
                cell.push(reality, expectation, emotion);
            }
            cell
        };
        for (one, other) in [(first, second), (second, first)] {
            let merged = |on_grid| {
                let mut cell = counted(one, on_grid);
                cell.cell.merge(&counted(other, on_grid).cell);
                cell.finish()
            };
            prop_assert_eq!(merged(true), merged(false));
        }
        prop_assert_eq!(counted(&observations, true).finish(), counted(&observations, false).finish());
    }
}

#[test]
fn empty_cell_has_no_means_or_shares() {
    let stats = Cell::new(true).finish();
    assert_eq!(stats.observations, 0);
    assert_eq!(stats.gap.n, 0);
    assert_eq!(stats.gap.normalized.mean, None);
    assert_eq!(stats.gap.met.share, None);
    assert_eq!(stats.csat.share, None);
    assert_eq!(stats.emotions.net, None);
    assert_eq!(stats.emotions.dominant, None);
}

#[test]
fn tied_emotions_have_no_dominant_one() {
    let mut tally = EmotionTally::default();
    tally.push(Emotion::Valued);
    tally.push(Emotion::Stressed);
    let summary = tally.finish();
    assert_eq!(summary.dominant, None);
    assert_eq!(summary.net, Some(0.0));
}
