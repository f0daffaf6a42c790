//! The statistics a comparison of scoring variants reports.

use serde::{Deserialize, Serialize};

use crate::light::TrafficLight;

/// Average ranks, counting from 1: tied values share the mean of the ranks
/// they span (the "fractional" ranking of Spearman's coefficient).
///
/// NaN values are ranked after every number; callers leave them out first.
///
/// ```
/// assert_eq!(cx_score::research::average_ranks(&[10.0, 20.0, 20.0, 5.0]), [2.0, 3.5, 3.5, 1.0]);
/// ```
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    ranks(values, None)
}

/// Weighted mid-ranks, as R's `wCorr` package ranks for its weighted
/// Spearman coefficient since version 1.9.6 (Bailey and Emad, `wCorr`
/// 1.9.7, `wrank` and `wrankFast`): a value's rank is the weight of the
/// values below it plus `1/2 + t/2`, where its ties weigh `t` together.
/// With every weight 1 these are the [`average_ranks`], to the bit (`m`
/// ties rank `below + (m + 1) / 2`, exactly). With whole-number weights
/// they are the average ranks of the sample that repeats each value as
/// often as its weight says, so a weighted Spearman coefficient is that of
/// the repeated sample. `None` when the lengths differ or a weight is
/// negative or not finite.
///
/// (`wCorr` before 1.9.6 ranked ties at `below + t (m + 1) / (2m)` for `m`
/// tied values: the same with unit weights, but not the repeated sample's
/// ranks otherwise.)
///
/// ```
/// use cx_score::research::weighted_ranks;
///
/// // 5 (weight 1, alone) ranks 0 + 1/2 + 1/2 = 1; the tied 10s (weights 2
/// // and 1: t = 3) lie above a weight of 1 and rank 1 + 1/2 + 3/2 = 3,
/// // the average rank of 10 in [5, 10, 10, 10].
/// let ranks = weighted_ranks(&[10.0, 5.0, 10.0], &[2.0, 1.0, 1.0]);
/// assert_eq!(ranks, Some(vec![3.0, 1.0, 3.0]));
/// # assert_eq!(weighted_ranks(&[1.0], &[-1.0]), None);
/// ```
pub fn weighted_ranks(values: &[f64], weights: &[f64]) -> Option<Vec<f64>> {
    valid_weights(values.len(), weights).then(|| ranks(values, Some(weights)))
}

/// Whether `weights` are `len` non-negative finite numbers.
fn valid_weights(len: usize, weights: &[f64]) -> bool {
    weights.len() == len && weights.iter().all(|w| w.is_finite() && *w >= 0.0)
}

/// The weighted mid-ranks of `values` (every weight 1 when `weights` is
/// `None`): one ranking for both, so that unit weights are the unweighted
/// ranks by construction.
fn ranks(values: &[f64], weights: Option<&[f64]>) -> Vec<f64> {
    let weight = |i: usize| weights.and_then(|w| w.get(i)).copied().unwrap_or(1.0);
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let (mut start, mut below) = (0, 0.0);
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let ties = &order[start..end];
        let tied: f64 = ties.iter().map(|&i| weight(i)).sum();
        // wCorr's order of operations; unit weights make every term a
        // small half-integer, so the unweighted mid-rank comes out exact.
        let rank = below + 0.5 + tied / 2.0;
        for &index in ties {
            ranks[index] = rank;
        }
        below += tied;
        start = end;
    }
    ranks
}

/// Pearson's correlation coefficient; `None` for fewer than two pairs,
/// unequal lengths, or a constant variable.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    correlation(x, y, None)
}

/// Pearson's correlation coefficient with a weight per pair, as R's
/// `cov.wt(cor = TRUE)` or `wCorr::weightedCorr(method = "Pearson")` give
/// it: with `x̄ = Σwx / Σw` and `ȳ` alike,
/// `r = Σw(x - x̄)(y - ȳ) / √(Σw(x - x̄)² Σw(y - ȳ)²)`. With every weight 1
/// it is [`pearson`], to the bit. `None` as for [`pearson`], and for
/// weights that are negative, not finite, of another length, or all 0.
///
/// ```
/// use cx_score::research::{pearson, weighted_pearson};
///
/// let (x, y) = ([1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 2.0, 4.0]);
/// assert_eq!(weighted_pearson(&x, &y, &[1.0; 4]), pearson(&x, &y));
/// // A weight of 2 counts a pair twice.
/// let twice = pearson(&[1.0, 2.0, 3.0, 4.0, 4.0], &[1.0, 3.0, 2.0, 4.0, 4.0]);
/// let weighted = weighted_pearson(&x, &y, &[1.0, 1.0, 1.0, 2.0]);
/// assert!((weighted.unwrap() - twice.unwrap()).abs() < 1e-15);
/// ```
pub fn weighted_pearson(x: &[f64], y: &[f64], weights: &[f64]) -> Option<f64> {
    if !valid_weights(x.len(), weights) {
        return None;
    }
    correlation(x, y, Some(weights))
}

/// Pearson's coefficient with weights (every weight 1 when `weights` is
/// `None`): one formula for both, whose unit weights multiply exactly.
fn correlation(x: &[f64], y: &[f64], weights: Option<&[f64]>) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    let weight = |i: usize| weights.and_then(|w| w.get(i)).copied().unwrap_or(1.0);
    let total: f64 = (0..x.len()).map(weight).sum();
    // Weights are finite and not negative (checked by the caller), so
    // their sum is a number; all 0 leaves no mean.
    if total <= 0.0 {
        return None;
    }
    let mean_x = x
        .iter()
        .enumerate()
        .map(|(i, a)| weight(i) * a)
        .sum::<f64>()
        / total;
    let mean_y = y
        .iter()
        .enumerate()
        .map(|(i, b)| weight(i) * b)
        .sum::<f64>()
        / total;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (i, (a, b)) in x.iter().zip(y).enumerate() {
        let (dx, dy, w) = (a - mean_x, b - mean_y, weight(i));
        sxy += w * (dx * dy);
        sxx += w * (dx * dx);
        syy += w * (dy * dy);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's rank correlation: Pearson's coefficient of the average ranks
/// (so ties are handled exactly); `None` as for [`pearson`].
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() {
        return None;
    }
    pearson(&average_ranks(x), &average_ranks(y))
}

/// Spearman's rank correlation with a weight per pair, as R's `wCorr`
/// package (1.9.6 and later) defines it: the [`weighted_pearson`]
/// coefficient of the [`weighted_ranks`] of each variable. With every
/// weight 1 it is [`spearman`], to the bit; with whole-number weights, the
/// [`spearman`] of the sample repeating each pair as often (to rounding).
/// `None` as for [`weighted_pearson`].
///
/// ```
/// use cx_score::research::{spearman, weighted_spearman};
///
/// let (x, y) = ([1.0, 2.0, 2.0, 5.0], [3.0, 1.0, 4.0, 4.0]);
/// assert_eq!(weighted_spearman(&x, &y, &[1.0; 4]), spearman(&x, &y));
/// // A weight of 3 counts a pair three times.
/// let weighted = weighted_spearman(&x, &y, &[1.0, 3.0, 1.0, 1.0]).unwrap();
/// let repeated = spearman(&[1.0, 2.0, 2.0, 2.0, 2.0, 5.0], &[3.0, 1.0, 1.0, 1.0, 4.0, 4.0]).unwrap();
/// assert!((weighted - repeated).abs() < 1e-15);
/// ```
pub fn weighted_spearman(x: &[f64], y: &[f64], weights: &[f64]) -> Option<f64> {
    if x.len() != y.len() {
        return None;
    }
    let ranks_x = weighted_ranks(x, weights)?;
    let ranks_y = weighted_ranks(y, weights)?;
    weighted_pearson(&ranks_x, &ranks_y, weights)
}

/// The point-biserial correlation of a score with a yes/no outcome: Pearson's
/// coefficient with yes = 1 and no = 0.
pub fn point_biserial(scores: &[f64], outcomes: &[bool]) -> Option<f64> {
    let coded: Vec<f64> = outcomes
        .iter()
        .map(|&yes| f64::from(u8::from(yes)))
        .collect();
    pearson(scores, &coded)
}

/// The area under the ROC curve of `scores` for telling yes from no,
/// in the Mann-Whitney formulation: the probability that a random yes scores
/// higher than a random no, ties counting one half,
///
/// ```text
/// AUC = (Σ over (yes, no) pairs of [s_yes > s_no] + ½ [s_yes = s_no]) / (n_yes · n_no)
/// ```
///
/// A constant score gives 0.5. `None` when either group is empty (the AUC is
/// undefined) or the two slices differ in length.
///
/// ```
/// let auc = cx_score::research::roc_auc(&[0.9, 0.4, 0.4, 0.1], &[true, true, false, false]);
/// assert_eq!(auc, Some(0.875)); // pairs: 1, 1, 1, and ½ for the tie at 0.4 → 3.5 / 4
/// ```
pub fn roc_auc(scores: &[f64], outcomes: &[bool]) -> Option<f64> {
    if scores.len() != outcomes.len() {
        return None;
    }
    let weights = vec![1.0; scores.len()];
    let order = sorted_order(scores);
    weighted_auc(scores, outcomes, &order, &weights)
}

/// Indexes of `scores` in ascending order.
pub(crate) fn sorted_order(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    order
}

/// The AUC with each respondent counted `weights[i]` times (a bootstrap
/// resample), in one sweep over the precomputed ascending `order`.
pub(crate) fn weighted_auc(
    scores: &[f64],
    outcomes: &[bool],
    order: &[usize],
    weights: &[f64],
) -> Option<f64> {
    let (mut wins, mut no_below, mut total_yes) = (0.0, 0.0, 0.0);
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && scores[order[end]] == scores[order[start]] {
            end += 1;
        }
        let (mut yes, mut no) = (0.0, 0.0);
        for &index in &order[start..end] {
            if outcomes[index] {
                yes += weights[index];
            } else {
                no += weights[index];
            }
        }
        wins += yes * no_below + 0.5 * yes * no;
        no_below += no;
        total_yes += yes;
        start = end;
    }
    let pairs = total_yes * no_below;
    (pairs > 0.0).then(|| wins / pairs)
}

/// How two sets of traffic lights agree, over the cells both lit.
///
/// With `p_ij` the share of cells lit `i` by one and `j` by the other,
/// `p_i·` and `p_·j` the margins, and weights `w_ij`:
///
/// ```text
/// p_o = Σ w_ij p_ij      p_e = Σ w_ij p_i· p_·j      κ = (p_o - p_e) / (1 - p_e)
/// ```
///
/// Cohen's (unweighted) kappa uses `w_ij = 1` when `i = j`, else 0. The
/// linearly weighted kappa treats the lights as ordered (red < yellow <
/// green) and uses `w_ij = 1 - |i - j| / 2`, so red against green counts as
/// full disagreement and a neighbour as half. Kappa is `None` when
/// `p_e = 1` (both used one and the same light everywhere: agreement is
/// perfect but not beyond chance).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Agreement {
    /// Cells lit by both.
    pub n: u64,
    /// Share of cells with the same light.
    pub raw: Option<f64>,
    /// Cohen's kappa.
    pub kappa: Option<f64>,
    /// Linearly weighted kappa.
    pub weighted_kappa: Option<f64>,
}

fn light_index(light: TrafficLight) -> usize {
    match light {
        TrafficLight::Red => 0,
        TrafficLight::Yellow => 1,
        TrafficLight::Green => 2,
    }
}

/// Compares two equally long lists of lights; pairs where either is `None`
/// are left out.
///
/// ```
/// use cx_score::TrafficLight::{Green, Red, Yellow};
///
/// let a = [Some(Green), Some(Yellow), Some(Red), None];
/// let b = [Some(Green), Some(Yellow), Some(Red), Some(Red)];
/// let agreement = cx_score::research::agreement(&a, &b);
/// assert_eq!((agreement.n, agreement.raw, agreement.kappa), (3, Some(1.0), Some(1.0)));
/// ```
pub fn agreement(a: &[Option<TrafficLight>], b: &[Option<TrafficLight>]) -> Agreement {
    let mut table = [[0.0f64; 3]; 3];
    let mut n = 0u64;
    for (x, y) in a.iter().zip(b) {
        if let (Some(x), Some(y)) = (x, y) {
            table[light_index(*x)][light_index(*y)] += 1.0;
            n += 1;
        }
    }
    if n == 0 {
        return Agreement {
            n,
            raw: None,
            kappa: None,
            weighted_kappa: None,
        };
    }
    let total = n as f64;
    let rows: Vec<f64> = table
        .iter()
        .map(|row| row.iter().sum::<f64>() / total)
        .collect();
    let columns: Vec<f64> = (0..3)
        .map(|j| table.iter().map(|row| row[j]).sum::<f64>() / total)
        .collect();
    let kappa = |weight: &dyn Fn(usize, usize) -> f64| {
        let (mut observed, mut expected) = (0.0, 0.0);
        for i in 0..3 {
            for j in 0..3 {
                observed += weight(i, j) * table[i][j] / total;
                expected += weight(i, j) * rows[i] * columns[j];
            }
        }
        (expected < 1.0 - 1e-12).then(|| (observed - expected) / (1.0 - expected))
    };
    let identity = |i: usize, j: usize| f64::from(u8::from(i == j));
    let linear = |i: usize, j: usize| 1.0 - i.abs_diff(j) as f64 / 2.0;
    Agreement {
        n,
        raw: Some((0..3).map(|i| table[i][i]).sum::<f64>() / total),
        kappa: kappa(&identity),
        weighted_kappa: kappa(&linear),
    }
}

/// The `q`-quantile (0..=1) of sorted values by linear interpolation between
/// order statistics (type 7 of Hyndman and Fan, the default of R and NumPy).
pub(crate) fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let position = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let fraction = position - below as f64;
    Some(sorted[below] + fraction * (sorted[above] - sorted[below]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TrafficLight::{Green, Red, Yellow};

    fn lights(codes: &[u8]) -> Vec<Option<TrafficLight>> {
        codes
            .iter()
            .map(|code| Some([Red, Yellow, Green][usize::from(*code)]))
            .collect()
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    // Every reference value below was computed with scikit-learn 1.9.1 and
    // SciPy 1.17.1: sklearn.metrics.cohen_kappa_score(a, b, labels=[0, 1, 2],
    // weights=None or "linear"), sklearn.metrics.roc_auc_score,
    // scipy.stats.spearmanr and scipy.stats.pointbiserialr.

    #[test]
    fn kappa_against_scikit_learn() {
        let a = lights(&[2, 2, 1, 0, 1, 2, 0, 1, 2, 2]);
        let b = lights(&[2, 1, 1, 0, 2, 2, 1, 1, 2, 0]);
        let agreement = agreement(&a, &b);
        assert_eq!(agreement.n, 10);
        assert!(close(agreement.raw, 0.6));
        assert!(close(agreement.kappa, 0.375));
        assert!(close(agreement.weighted_kappa, 0.390_243_902_439_024_3));
    }

    #[test]
    fn kappa_with_an_empty_category() {
        // Nobody used red.
        let agreement = agreement(&lights(&[2, 2, 1, 1, 2]), &lights(&[2, 1, 1, 2, 2]));
        assert!(close(agreement.kappa, 0.166_666_666_666_666_63));
        assert!(close(agreement.weighted_kappa, 0.166_666_666_666_666_63));
    }

    #[test]
    fn perfect_and_opposite_agreement() {
        let perfect = agreement(&lights(&[2, 1, 0, 2]), &lights(&[2, 1, 0, 2]));
        assert_eq!(
            (perfect.raw, perfect.kappa, perfect.weighted_kappa),
            (Some(1.0), Some(1.0), Some(1.0))
        );
        let opposite = agreement(&lights(&[2, 2, 0, 0]), &lights(&[0, 0, 2, 2]));
        assert_eq!(
            (opposite.raw, opposite.kappa, opposite.weighted_kappa),
            (Some(0.0), Some(-1.0), Some(-1.0))
        );
        // One light everywhere on both sides: chance explains it all, kappa undefined.
        let single = agreement(&lights(&[1, 1, 1]), &lights(&[1, 1, 1]));
        assert_eq!((single.raw, single.kappa), (Some(1.0), None));
        let none = agreement(&[None, Some(Red)], &[Some(Red), None]);
        assert_eq!((none.n, none.raw, none.kappa), (0, None, None));
    }

    #[test]
    fn spearman_with_ties_against_scipy() {
        let x = [1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 4.0, 5.0];
        let y = [2.0, 1.0, 3.0, 3.0, 5.0, 4.0, 4.0, 6.0];
        assert!(close(spearman(&x, &y), 0.925_626_545_313_669_2));
        assert_eq!(spearman(&x, &[1.0; 8]), None, "constant");
        assert_eq!(spearman(&[1.0], &[2.0]), None, "one pair");
    }

    #[test]
    fn auc_and_point_biserial_against_scikit_learn_and_scipy() {
        let scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.2, 0.9, 0.4];
        let outcomes = [false, false, true, true, true, false, true, false];
        assert!(close(roc_auc(&scores, &outcomes), 0.8125));
        assert!(close(
            point_biserial(&scores, &outcomes),
            0.657_364_463_549_077_5
        ));
    }

    #[test]
    fn auc_edge_cases() {
        // A constant score cannot tell the groups apart: 0.5.
        assert_eq!(roc_auc(&[3.0; 4], &[true, false, true, false]), Some(0.5));
        // Perfect separation either way.
        assert_eq!(
            roc_auc(&[1.0, 2.0, 3.0, 4.0], &[false, false, true, true]),
            Some(1.0)
        );
        assert_eq!(
            roc_auc(&[1.0, 2.0, 3.0, 4.0], &[true, true, false, false]),
            Some(0.0)
        );
        // Only one group: undefined.
        assert_eq!(roc_auc(&[1.0, 2.0], &[true, true]), None);
        assert_eq!(roc_auc(&[], &[]), None);
        assert_eq!(
            roc_auc(&[1.0, 2.0, 3.0], &[true, false]),
            None,
            "unequal lengths"
        );
        assert_eq!(point_biserial(&[3.0; 4], &[true, false, true, false]), None);
    }

    #[test]
    fn weighted_auc_equals_auc_of_the_repeated_sample() {
        let scores = [0.1, 0.4, 0.35, 0.8, 0.4];
        let outcomes = [false, false, true, true, true];
        let weights = [2.0, 0.0, 1.0, 3.0, 1.0];
        let repeated_scores = [0.1, 0.1, 0.35, 0.8, 0.8, 0.8, 0.4];
        let repeated_outcomes = [false, false, true, true, true, true, true];
        let order = sorted_order(&scores);
        assert_eq!(
            weighted_auc(&scores, &outcomes, &order, &weights),
            roc_auc(&repeated_scores, &repeated_outcomes)
        );
    }

    proptest::proptest! {
        /// Whole-number weights are repeated pairs: the weighted ranks'
        /// Spearman and Pearson coefficients equal those of the sample
        /// repeating each pair as often as its weight (to rounding), and
        /// so does the AUC.
        #[test]
        fn prop_whole_weights_repeat_pairs(
            rows in proptest::collection::vec((0u8..6, 0u8..6, 0u8..4), 2..30),
        ) {
            let x: Vec<f64> = rows.iter().map(|r| f64::from(r.0)).collect();
            let y: Vec<f64> = rows.iter().map(|r| f64::from(r.1)).collect();
            let w: Vec<f64> = rows.iter().map(|r| f64::from(r.2)).collect();
            let repeat = |v: &[f64]| -> Vec<f64> {
                v.iter().zip(&rows).flat_map(|(v, r)| vec![*v; usize::from(r.2)]).collect()
            };
            let (rx, ry) = (repeat(&x), repeat(&y));
            let pairs = [
                (weighted_spearman(&x, &y, &w), spearman(&rx, &ry)),
                (weighted_pearson(&x, &y, &w), pearson(&rx, &ry)),
            ];
            for (weighted, repeated) in pairs {
                proptest::prop_assert_eq!(weighted.is_some(), repeated.is_some());
                if let (Some(a), Some(b)) = (weighted, repeated) {
                    proptest::prop_assert!((a - b).abs() < 1e-12, "{} {}", a, b);
                }
            }
            let yes: Vec<bool> = y.iter().map(|v| *v >= 3.0).collect();
            let repeated_yes: Vec<bool> = ry.iter().map(|v| *v >= 3.0).collect();
            proptest::prop_assert_eq!(
                weighted_auc(&x, &yes, &sorted_order(&x), &w),
                roc_auc(&rx, &repeated_yes)
            );
        }
    }

    #[test]
    fn quantiles_interpolate() {
        let sorted = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&sorted, 0.0), Some(1.0));
        assert_eq!(quantile(&sorted, 0.5), Some(2.5));
        assert_eq!(quantile(&sorted, 1.0), Some(4.0));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
