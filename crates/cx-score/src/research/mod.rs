//! The research toolkit: scoring variants run side by side on the same data
//! and compared with the statistics a reviewer expects, and key-driver
//! analysis.
//!
//! - [`ScoringVariant`]: a name plus everything that decides a result (policy,
//!   margins, journey aggregation, where expectations come from);
//!   [`Variant::builtin`] covers every built-in policy and aggregation.
//! - [`compare`]: agreement on lights (raw, Cohen's kappa unweighted and
//!   linearly weighted), agreement on what to fix first (Spearman of the
//!   opportunity ranks), and predictive validity of each variant's
//!   per-respondent journey score (ROC AUC, point-biserial, Spearman), with
//!   seeded percentile-bootstrap intervals for each AUC and each pairwise
//!   AUC difference. Each variant is scored on the respondents it can
//!   score, each pair on those both can; a variant that scores nobody gets
//!   a [`VariantNote`]; pairs the same by construction are marked.
//! - [`drivers`]: per touchpoint correlations with the outcome, Johnson's
//!   relative weights with bootstrap intervals and a significance test
//!   against a random variable, importance-performance quadrants, and
//!   moments of truth the journey did not mark; touchpoints below the
//!   minimum sample are described but not weighted, missing ratings are
//!   deleted pairwise or listwise ([`MissingData`]), and a singular or
//!   near-singular correlation matrix is reported with its collinear
//!   touchpoints ([`Conditioning`]).
//!
//! Both resample respondents with the same seeded ChaCha8 bootstrap, and
//! both weigh respondents in every estimate on
//! [weighted](SurveyData::weighted) data. Resample `i` of seed `s` draws
//! its respondents from ChaCha8 `seed_from_u64(s)` on stream `i + 2`
//! (stream 1 is the drivers' random variable), so every resample is the
//! same whichever thread draws it: the resamples run on
//! [`CompareOptions::threads`] or [`DriverOptions::threads`] threads (by
//! default the machine's available parallelism), their results are
//! merged in resample order, and the numbers are the same to the bit at
//! any thread count. A [`Progress`] in the options is told after each
//! resample.
//!
//! Both work on a [`SurveyData`]: the survey in memory, by respondent,
//! because resampling respondents needs them all.

mod bootstrap;
mod compare;
mod data;
mod drivers;
mod progress;
mod stats;
mod variant;
mod weights;

pub use crate::check::TouchpointRating;
pub use compare::{
    CompareOptions, Comparison, PairResult, VariantNote, VariantResult, compare, respondent_score,
};
pub use data::{Respondent, SurveyData, Target};
pub use drivers::{
    Driver, DriverAnalysis, DriverOptions, MissingData, Quadrant, WeightsWithheld, drivers,
};
pub use progress::Progress;
pub use stats::{
    Agreement, agreement, average_ranks, pearson, point_biserial, roc_auc, spearman,
    weighted_pearson, weighted_ranks, weighted_spearman,
};
pub use variant::{ExpectationSource, ScoringVariant, Variant};
pub use weights::{Conditioning, MatrixStatus};
