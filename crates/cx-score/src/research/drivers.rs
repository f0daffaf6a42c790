//! Key drivers: which touchpoints move the outcome, and where to act.

use nalgebra::{DMatrix, DVector, SymmetricEigen};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, Result};
use crate::research::data::{SurveyData, Target};
use crate::research::stats::{pearson, quantile, spearman};
use crate::stats::Interval;

/// How a driver analysis is run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DriverOptions {
    /// The outcome the touchpoints drive.
    pub target: Target,
    /// Bootstrap resamples for the relative weights' intervals; 0 for none.
    /// Default 200.
    pub resamples: usize,
    /// The bootstrap's seed. Default 42.
    pub seed: u64,
    /// The analysis is refused below this many respondents with the outcome.
    /// Default 30.
    pub min_respondents: u64,
    /// Confidence level of the intervals. Default 0.95.
    pub confidence: f64,
}

impl DriverOptions {
    /// Options for `target` with the defaults.
    pub fn new(target: Target) -> Self {
        DriverOptions {
            target,
            resamples: 200,
            seed: 42,
            min_respondents: 30,
            confidence: 0.95,
        }
    }
}

/// Where a touchpoint sits in the importance-performance grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// Important and below average: act here first.
    ConcentrateHere,
    /// Important and above average.
    KeepUpTheGoodWork,
    /// Less important and below average.
    LowPriority,
    /// Less important but above average: effort may be better spent elsewhere.
    PossibleOverkill,
}

impl Quadrant {
    /// The quadrant's name in words.
    pub fn name(self) -> &'static str {
        match self {
            Quadrant::ConcentrateHere => "concentrate here",
            Quadrant::KeepUpTheGoodWork => "keep up the good work",
            Quadrant::LowPriority => "low priority",
            Quadrant::PossibleOverkill => "possible overkill",
        }
    }
}

/// One touchpoint as a driver of the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Driver {
    /// The touchpoint's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Respondents with both a rating here and the outcome.
    pub n: u64,
    /// Pearson correlation of the reality rating with the outcome.
    pub pearson: Option<f64>,
    /// Spearman correlation of the reality rating with the outcome.
    pub spearman: Option<f64>,
    /// Johnson's relative weight, rescaled so that all touchpoints sum to 100.
    pub relative_weight: Option<f64>,
    /// Its percentile bootstrap interval.
    pub relative_weight_ci: Option<Interval>,
    /// Mean reality rating.
    pub mean_reality: Option<f64>,
    /// Mean reality normalized to 0..=1 on the scale: the performance axis.
    pub performance: Option<f64>,
    /// Importance (Pearson correlation) against performance, split at their
    /// means over the touchpoints.
    pub quadrant: Option<Quadrant>,
    /// Whether the journey marks it as a moment of truth.
    pub moment_of_truth: bool,
    /// Its relative weight is at least 1.5 times the average share
    /// (100 / touchpoints) although the journey does not mark it as a
    /// moment of truth.
    pub unmarked_moment_of_truth: bool,
}

/// The key drivers of an outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DriverAnalysis {
    /// The outcome.
    pub target: Target,
    /// Respondents with the outcome.
    pub respondents: u64,
    /// Variance of the outcome explained by all touchpoints together
    /// (the sum of the raw relative weights).
    pub r_squared: Option<f64>,
    /// Bootstrap resamples.
    pub resamples: usize,
    /// The bootstrap's seed.
    pub seed: u64,
    /// Per touchpoint, in journey order.
    pub drivers: Vec<Driver>,
}

/// Respondents' ratings laid out by touchpoint, with the outcome.
struct Table {
    /// `ratings[r][j]`: respondent r's reality at touchpoint j.
    ratings: Vec<Vec<Option<f64>>>,
    outcome: Vec<f64>,
}

/// Pairwise-complete weighted correlations of the columns (touchpoints, then
/// the outcome as the last column); a correlation that is undefined
/// (constant or fewer than two pairs) is 0.
fn correlations(table: &Table, weights: &[f64]) -> DMatrix<f64> {
    let p = table.ratings.first().map_or(0, Vec::len) + 1;
    let value = |r: usize, j: usize| -> Option<f64> {
        if j + 1 == p {
            Some(table.outcome[r])
        } else {
            table.ratings[r][j]
        }
    };
    let mut matrix = DMatrix::identity(p, p);
    // Sums per pair: n, Σx, Σy, Σxx, Σyy, Σxy.
    let mut sums = vec![[0.0f64; 6]; p * p];
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
            }
        }
    }
    for j in 0..p {
        for k in j + 1..p {
            let [n, sx, sy, sxx, syy, sxy] = sums[j * p + k];
            let vx = sxx - sx * sx / n;
            let vy = syy - sy * sy / n;
            let r = if n >= 2.0 && vx > 1e-12 && vy > 1e-12 {
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
/// not be positive semi-definite) are set to 0 and their directions ignored.
fn relative_weights(matrix: &DMatrix<f64>) -> Vec<f64> {
    let p = matrix.nrows() - 1;
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

/// Finds which touchpoints drive the outcome: per touchpoint the Pearson and
/// Spearman correlations of the reality rating with the outcome (yes = 1,
/// no = 0 for the loyalty questions, where Pearson is the point-biserial
/// correlation; likelihood to recommend for NPS), Johnson's relative
/// weights rescaled to sum to 100 with seeded percentile-bootstrap
/// intervals, mean performance and the importance-performance quadrant.
///
/// Touchpoints a respondent did not experience (not applicable or not rated)
/// are pairwise missing: each correlation uses the respondents who have
/// both values. For a yes/no outcome the weights decompose the linear
/// probability model's R², the usual approximation for binary criteria.
///
/// # Errors
///
/// [`ErrorKind::TooFewRespondents`] below `min_respondents` respondents
/// with the outcome.
pub fn drivers(data: &SurveyData, options: &DriverOptions) -> Result<DriverAnalysis> {
    let journey = data.journey();
    let p = journey.touchpoint_count();
    let mut table = Table {
        ratings: Vec::new(),
        outcome: Vec::new(),
    };
    for respondent in data.respondents() {
        let Some(value) = options.target.value(respondent) else {
            continue;
        };
        let mut row = vec![None; p];
        for rating in &respondent.ratings {
            if let Some(slot) = row.get_mut(rating.index) {
                *slot = rating.reality;
            }
        }
        table.ratings.push(row);
        table.outcome.push(value);
    }
    let found = table.outcome.len() as u64;
    if found < options.min_respondents {
        return Err(ErrorKind::TooFewRespondents {
            target: options.target.name().to_owned(),
            found,
            minimum: options.min_respondents,
        }
        .into());
    }

    let weights = vec![1.0; table.outcome.len()];
    let raw = relative_weights(&correlations(&table, &weights));
    let r_squared: f64 = raw.iter().sum();
    let percent = |raw: &[f64]| -> Vec<Option<f64>> {
        let total: f64 = raw.iter().sum();
        raw.iter()
            .map(|w| (total > 0.0).then(|| 100.0 * w / total))
            .collect()
    };
    let shares = percent(&raw);

    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); p];
    if options.resamples > 0 {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let mut resample = vec![0.0; weights.len()];
        for _ in 0..options.resamples {
            resample.iter_mut().for_each(|w| *w = 0.0);
            for _ in 0..weights.len() {
                resample[rng.random_range(0..weights.len())] += 1.0;
            }
            let shares = percent(&relative_weights(&correlations(&table, &resample)));
            for (sample, share) in samples.iter_mut().zip(shares) {
                if let Some(share) = share {
                    sample.push(share);
                }
            }
        }
    }
    let alpha = (1.0 - options.confidence) / 2.0;

    let scale = journey.scale();
    let mut drivers: Vec<Driver> = journey
        .touchpoints()
        .enumerate()
        .map(|(j, touchpoint)| {
            let (x, y): (Vec<f64>, Vec<f64>) = table
                .ratings
                .iter()
                .zip(&table.outcome)
                .filter_map(|(row, &y)| Some((row[j]?, y)))
                .unzip();
            let mean = (!x.is_empty()).then(|| x.iter().sum::<f64>() / x.len() as f64);
            let mut sample = std::mem::take(&mut samples[j]);
            sample.sort_by(f64::total_cmp);
            Driver {
                id: touchpoint.id.clone(),
                name: touchpoint.name.clone(),
                n: x.len() as u64,
                pearson: pearson(&x, &y),
                spearman: spearman(&x, &y),
                relative_weight: shares[j],
                relative_weight_ci: quantile(&sample, alpha)
                    .zip(quantile(&sample, 1.0 - alpha))
                    .map(|(lower, upper)| Interval { lower, upper }),
                mean_reality: mean,
                performance: mean.map(|m| (m - scale.min()) / scale.span()),
                quadrant: None,
                moment_of_truth: touchpoint.moment_of_truth,
                unmarked_moment_of_truth: false,
            }
        })
        .collect();

    let placed: Vec<(f64, f64)> = drivers
        .iter()
        .filter_map(|d| d.pearson.zip(d.performance))
        .collect();
    if !placed.is_empty() {
        let count = placed.len() as f64;
        let importance_mean = placed.iter().map(|(i, _)| i).sum::<f64>() / count;
        let performance_mean = placed.iter().map(|(_, p)| p).sum::<f64>() / count;
        for driver in &mut drivers {
            if let (Some(importance), Some(performance)) = (driver.pearson, driver.performance) {
                driver.quadrant = Some(
                    match (
                        importance >= importance_mean,
                        performance >= performance_mean,
                    ) {
                        (true, false) => Quadrant::ConcentrateHere,
                        (true, true) => Quadrant::KeepUpTheGoodWork,
                        (false, false) => Quadrant::LowPriority,
                        (false, true) => Quadrant::PossibleOverkill,
                    },
                );
            }
        }
    }
    let strong = 1.5 * 100.0 / p.max(1) as f64;
    for driver in &mut drivers {
        driver.unmarked_moment_of_truth =
            !driver.moment_of_truth && driver.relative_weight.is_some_and(|w| w >= strong);
    }
    Ok(DriverAnalysis {
        target: options.target,
        respondents: found,
        r_squared: (r_squared > 0.0).then_some(r_squared),
        resamples: options.resamples,
        seed: options.seed,
        drivers,
    })
}
