//! The arithmetic behind the driver analysis: weighted correlation
//! matrices with missing values, Johnson's relative weights, and how close
//! the predictors' correlation matrix is to singular.

use nalgebra::{DMatrix, DVector, SymmetricEigen};
use serde::{Deserialize, Serialize};

/// Condition indexes above this mark collinear predictors (Belsley, Kuh
/// and Welsch 1980: above 30, moderate to strong dependence).
pub(crate) const CONDITION_INDEX_LIMIT: f64 = 30.0;

/// A predictor takes part in a near-dependence when its loading on the
/// eigenvector of a small eigenvalue is at least this in absolute value
/// (its square, 0.09, is the share of that direction it carries).
pub(crate) const LOADING_LIMIT: f64 = 0.3;

/// Eigenvalues within this distance of 0, times the number of predictors,
/// are 0: the matrix is singular.
pub(crate) const SINGULAR_TOLERANCE: f64 = 1e-9;

/// Rows of values, some missing, with the outcome of each row: columns are
/// the predictors, the outcome comes last in the correlation matrix.
pub(crate) struct Table {
    /// The number of predictors (every row has as many values).
    pub(crate) width: usize,
    /// `rows[r][j]`: row r's value of predictor j.
    pub(crate) rows: Vec<Vec<Option<f64>>>,
    /// Row r's outcome.
    pub(crate) outcome: Vec<f64>,
}

/// Pairwise-complete weighted correlations of the columns (the predictors,
/// then the outcome as the last column); a correlation that is undefined
/// (constant or fewer than two pairs of positive weight) is 0. Rows of
/// weight 0 are skipped, so a table of complete rows gives the listwise
/// matrix. The weights are bootstrap multiplicities, respondent weights or
/// their products; `unit` is the mean respondent weight (1 for counts),
/// the scale of the tolerance below which a column counts as constant, so
/// that nothing depends on the weights' scale (weights that sum to 1 give
/// the same matrix as counts).
pub(crate) fn correlations(table: &Table, weights: &[f64], unit: f64) -> DMatrix<f64> {
    let p = table.width + 1;
    let value = |r: usize, j: usize| -> Option<f64> {
        if j + 1 == p {
            table.outcome.get(r).copied()
        } else {
            table.rows.get(r)?.get(j).copied().flatten()
        }
    };
    let mut matrix = DMatrix::identity(p, p);
    // Sums per pair: Σw, Σx, Σy, Σxx, Σyy, Σxy (each weighted), and the
    // number of pairs.
    let mut sums = vec![[0.0f64; 7]; p * p];
    for (r, &w) in weights.iter().enumerate() {
        if w == 0.0 {
            continue;
        }
        for j in 0..p {
            let Some(x) = value(r, j) else { continue };
            for k in j + 1..p {
                let Some(y) = value(r, k) else { continue };
                let s = &mut sums[j * p + k];
                s[0] += w;
                s[1] += w * x;
                s[2] += w * y;
                s[3] += w * x * x;
                s[4] += w * y * y;
                s[5] += w * x * y;
                s[6] += 1.0;
            }
        }
    }
    for j in 0..p {
        for k in j + 1..p {
            let [n, sx, sy, sxx, syy, sxy, pairs] = sums[j * p + k];
            let vx = sxx - sx * sx / n;
            let vy = syy - sy * sy / n;
            // A constant column's rounding residue, in units of the mean
            // respondent weight (exactly 1e-12 unweighted).
            let tiny = 1e-12 * unit;
            let r = if pairs >= 2.0 && vx > tiny && vy > tiny {
                ((sxy - sx * sy / n) / (vx * vy).sqrt()).clamp(-1.0, 1.0)
            } else {
                0.0
            };
            matrix[(j, k)] = r;
            matrix[(k, j)] = r;
        }
    }
    matrix
}

/// Johnson's (2000) relative weights from a correlation matrix whose last
/// row and column are the outcome: with `Rxx = V Λ Vᵀ`, `Z = V Λ^½ Vᵀ` and
/// `β = Z⁻¹ r_xy`, the raw weight of predictor j is `Σ_k Z_jk² β_k²`; they sum
/// to R². Negative eigenvalues (pairwise-missing correlation matrices need
/// not be positive semi-definite) are set to 0 and their directions
/// ignored, as are those of zero eigenvalues (a pseudo-inverse): the
/// caller has checked the matrix with [`conditioning`] first, so this
/// happens only inside bootstrap resamples.
pub(crate) fn relative_weights(matrix: &DMatrix<f64>) -> Vec<f64> {
    let p = matrix.nrows().saturating_sub(1);
    let rxx = matrix.view((0, 0), (p, p)).into_owned();
    let rxy = DVector::from_iterator(p, (0..p).map(|j| matrix[(j, p)]));
    let eigen = SymmetricEigen::new(rxx);
    let roots = eigen.eigenvalues.map(|lambda| lambda.max(0.0).sqrt());
    let inverse_roots = roots.map(|root| if root > 1e-9 { 1.0 / root } else { 0.0 });
    let v = &eigen.eigenvectors;
    let z = v * DMatrix::from_diagonal(&roots) * v.transpose();
    let z_inverse = v * DMatrix::from_diagonal(&inverse_roots) * v.transpose();
    let beta = z_inverse * rxy;
    (0..p)
        .map(|j| (0..p).map(|k| z[(j, k)].powi(2) * beta[k].powi(2)).sum())
        .collect()
}

/// How the predictors' correlation matrix stands: well conditioned, close
/// to singular, singular, or not a correlation matrix of any data at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MatrixStatus {
    /// Every condition index is at most 30.
    WellConditioned,
    /// Positive definite, but a condition index is above 30: some
    /// touchpoints nearly repeat others, and their weights are unstable
    /// (the bootstrap intervals show how much).
    NearSingular,
    /// An eigenvalue is 0 (within `1e-9 × touchpoints`): some touchpoints
    /// are exact linear combinations of others, and how the outcome is
    /// split among them is not determined by the data.
    Singular,
    /// An eigenvalue is negative: pairwise deletion gave correlations that
    /// no single set of respondents could have (listwise deletion cannot).
    NotPositiveSemiDefinite,
}

impl MatrixStatus {
    /// The status in words.
    pub fn name(self) -> &'static str {
        match self {
            MatrixStatus::WellConditioned => "well conditioned",
            MatrixStatus::NearSingular => "near-singular",
            MatrixStatus::Singular => "singular",
            MatrixStatus::NotPositiveSemiDefinite => "not positive semi-definite",
        }
    }

    /// Whether relative weights can be computed from such a matrix: not
    /// when it is singular or not positive semi-definite.
    pub fn has_weights(self) -> bool {
        matches!(
            self,
            MatrixStatus::WellConditioned | MatrixStatus::NearSingular
        )
    }
}

/// The eigen-analysis of the predictors' correlation matrix.
///
/// With the eigenvalues `λ_1 ≥ … ≥ λ_p` of the touchpoints' correlation
/// matrix, the condition index of `λ_k` is `√(λ_1 / λ_k)` (Belsley, Kuh
/// and Welsch 1980), and the matrix's condition number `λ_1 / λ_p` (what
/// `numpy.linalg.cond` gives for a positive definite matrix) is the square
/// of the largest. Every eigenvalue with a condition index above 30 (or
/// that is 0 or negative) is a near-dependence among the touchpoints: the
/// touchpoints whose loading on its eigenvector is at least 0.3 in
/// absolute value are named as one collinear set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Conditioning {
    /// The verdict.
    pub status: MatrixStatus,
    /// The largest eigenvalue.
    pub largest_eigenvalue: f64,
    /// The smallest eigenvalue.
    pub smallest_eigenvalue: f64,
    /// The largest condition index, `√(λ_max / λ_min)`; `None` when the
    /// smallest eigenvalue is 0 or negative (the index is infinite).
    pub condition_index: Option<f64>,
    /// The touchpoint ids of each near-dependence, smallest eigenvalue
    /// first; each set in journey order.
    pub collinear: Vec<Vec<String>>,
}

/// Checks the predictors' block of `matrix` (all rows and columns but the
/// last, the outcome), naming predictors by `ids`. `None` without
/// predictors.
pub(crate) fn conditioning(matrix: &DMatrix<f64>, ids: &[&str]) -> Option<Conditioning> {
    let p = matrix.nrows().saturating_sub(1);
    if p == 0 || ids.len() != p {
        return None;
    }
    let rxx = matrix.view((0, 0), (p, p)).into_owned();
    let eigen = SymmetricEigen::new(rxx);
    let values = &eigen.eigenvalues;
    let largest = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let smallest = values.iter().copied().fold(f64::INFINITY, f64::min);
    let tolerance = SINGULAR_TOLERANCE * p as f64;
    let index = |lambda: f64| (lambda > tolerance).then(|| (largest / lambda).sqrt());
    let mut order: Vec<usize> = (0..p).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut collinear: Vec<Vec<String>> = Vec::new();
    for k in order {
        let lambda = values[k];
        if index(lambda).is_some_and(|i| i <= CONDITION_INDEX_LIMIT) {
            continue;
        }
        let set: Vec<String> = (0..p)
            .filter(|&j| eigen.eigenvectors[(j, k)].abs() >= LOADING_LIMIT)
            .filter_map(|j| ids.get(j).map(|id| (*id).to_owned()))
            .collect();
        if !set.is_empty() && !collinear.contains(&set) {
            collinear.push(set);
        }
    }
    let condition_index = index(smallest);
    let status = if smallest < -tolerance {
        MatrixStatus::NotPositiveSemiDefinite
    } else if condition_index.is_none() {
        MatrixStatus::Singular
    } else if condition_index.is_some_and(|i| i > CONDITION_INDEX_LIMIT) {
        MatrixStatus::NearSingular
    } else {
        MatrixStatus::WellConditioned
    };
    Some(Conditioning {
        status,
        largest_eigenvalue: largest,
        smallest_eigenvalue: smallest,
        condition_index,
        collinear,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Columns as complete rows, the last column the outcome.
    fn table(columns: &[Vec<f64>]) -> Table {
        let (predictors, outcome) = columns.split_at(columns.len() - 1);
        let n = outcome[0].len();
        Table {
            width: predictors.len(),
            rows: (0..n)
                .map(|r| predictors.iter().map(|c| Some(c[r])).collect())
                .collect(),
            outcome: outcome[0].clone(),
        }
    }

    #[test]
    fn a_near_dependence_is_named_as_numpy_finds_it() {
        // b is a plus small noise, c and y unrelated patterns; references
        // from NumPy 2.x: np.linalg.eigh(np.corrcoef(...)[:3, :3]) and
        // np.sqrt(np.linalg.cond(Rxx)).
        let i: Vec<f64> = (0..40).map(f64::from).collect();
        let a: Vec<f64> = i.iter().map(|i| (i * 7.0) % 11.0).collect();
        let b: Vec<f64> = i
            .iter()
            .zip(&a)
            .map(|(i, a)| a + ((i * 3.0) % 5.0 - 2.0) * 0.05)
            .collect();
        let c: Vec<f64> = i.iter().map(|i| (i * 5.0) % 13.0).collect();
        let y: Vec<f64> = i.iter().map(|i| (i * 11.0) % 7.0).collect();
        let matrix = correlations(&table(&[a, b, c, y]), &[1.0; 40], 1.0);
        let found = conditioning(&matrix, &["a", "b", "c"]).unwrap();
        assert_eq!(found.status, MatrixStatus::NearSingular);
        assert!((found.smallest_eigenvalue - 2.312_570_580_881_301_3e-4).abs() < 1e-12);
        assert!((found.largest_eigenvalue - 2.049_660_345_135_223_8).abs() < 1e-12);
        let index = found.condition_index.unwrap();
        assert!((index - 94.144_174_389_813_66).abs() < 1e-6, "{index}");
        // The smallest eigenvector is (-0.707, 0.707, 0.003): a and b.
        assert_eq!(found.collinear, [vec!["a".to_owned(), "b".to_owned()]]);
    }

    #[test]
    fn an_exact_dependence_is_singular() {
        let a: Vec<f64> = (0..20).map(|i| f64::from(i % 5)).collect();
        let b: Vec<f64> = a.iter().map(|a| 2.0 * a + 1.0).collect();
        let y: Vec<f64> = (0..20).map(|i| f64::from(i % 3)).collect();
        let matrix = correlations(&table(&[a, b, y]), &[1.0; 20], 1.0);
        let found = conditioning(&matrix, &["a", "b"]).unwrap();
        assert_eq!(found.status, MatrixStatus::Singular);
        assert_eq!(found.condition_index, None);
        assert!(!found.status.has_weights());
        assert_eq!(found.collinear, [vec!["a".to_owned(), "b".to_owned()]]);
    }

    #[test]
    fn an_impossible_pairwise_matrix_is_not_positive_semi_definite() {
        // r_ab = r_ac = 1, r_bc = -1: eigenvalues -1, 2, 2 (NumPy eigh).
        let mut matrix = DMatrix::identity(4, 4);
        for (j, k, r) in [(0, 1, 1.0), (0, 2, 1.0), (1, 2, -1.0)] {
            matrix[(j, k)] = r;
            matrix[(k, j)] = r;
        }
        let found = conditioning(&matrix, &["a", "b", "c"]).unwrap();
        assert_eq!(found.status, MatrixStatus::NotPositiveSemiDefinite);
        assert!((found.smallest_eigenvalue + 1.0).abs() < 1e-12);
        // Its eigenvector (1, -1, -1)/√3 takes in all three.
        assert_eq!(
            found.collinear,
            [vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]]
        );
    }

    #[test]
    fn well_conditioned_without_names() {
        let a: Vec<f64> = (0..30).map(|i| f64::from(i % 5)).collect();
        let b: Vec<f64> = (0..30).map(|i| f64::from((i * 2) % 7)).collect();
        let y: Vec<f64> = (0..30).map(|i| f64::from(i % 4)).collect();
        let matrix = correlations(&table(&[a, b, y]), &[1.0; 30], 1.0);
        let found = conditioning(&matrix, &["a", "b"]).unwrap();
        assert_eq!(found.status, MatrixStatus::WellConditioned);
        assert!(found.collinear.is_empty());
        assert_eq!(conditioning(&DMatrix::identity(1, 1), &[]), None);
    }

    proptest! {
        /// On complete data the matrix is positive semi-definite, and the
        /// raw weights sum to the least-squares R² = r_xyᵀ Rxx⁻¹ r_xy.
        #[test]
        fn prop_weights_sum_to_r_squared(
            rows in proptest::collection::vec(proptest::array::uniform4(1u8..=5), 12..60)
        ) {
            let columns: Vec<Vec<f64>> =
                (0..4).map(|j| rows.iter().map(|row| f64::from(row[j])).collect()).collect();
            let matrix = correlations(&table(&columns), &vec![1.0; rows.len()], 1.0);
            let found = conditioning(&matrix, &["a", "b", "c"]).unwrap();
            prop_assert_ne!(found.status, MatrixStatus::NotPositiveSemiDefinite);
            prop_assume!(found.status == MatrixStatus::WellConditioned);
            let rxx = matrix.view((0, 0), (3, 3)).into_owned();
            let rxy = DVector::from_iterator(3, (0..3).map(|j| matrix[(j, 3)]));
            let r_squared = rxy.dot(&(rxx.try_inverse().unwrap() * &rxy));
            let raw = relative_weights(&matrix);
            prop_assert!(raw.iter().all(|w| *w >= -1e-12));
            prop_assert!((raw.iter().sum::<f64>() - r_squared).abs() < 1e-9);
        }
    }
}
