//! Customer-experience metrics, defined exactly, with honest uncertainty, as
//! accumulators that stream and merge.
//!
//! Push batches of observations and outcomes
//! ([`ObservationBatch`](cx_model::ObservationBatch), as readers fill them)
//! into a [`ScorecardAccumulator`] with
//! [`push_batch`](ScorecardAccumulator::push_batch), or single records of
//! any type implementing [`ObservationRecord`](cx_model::ObservationRecord)
//! and [`OutcomeRecord`](cx_model::OutcomeRecord), which take the same code
//! as a one-row batch; [`merge`](ScorecardAccumulator::merge) partial
//! accumulators from other threads or machines in any order, and
//! [`finish`](ScorecardAccumulator::finish) into a [`Scorecard`].
//!
//! ```
//! use cx_model::{Answer, Channel, Journey, LoyaltyQuestion, Observation, Outcome, Scale, Stage, Touchpoint};
//! use cx_score::{ScoreConfig, ScorecardAccumulator, TrafficLight};
//!
//! let journey = Journey::builder("Shop", Scale::LIKERT_5)
//!     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store).target(4.0)))
//!     .build()?;
//! let config = ScoreConfig { min_sample: 3, ..ScoreConfig::default() };
//! let mut scorer = ScorecardAccumulator::new(journey, config)?;
//! // Realities 5, 4 and 2 against the target 4: gaps +1, 0, -2.
//! for (respondent, reality) in [("a", 5.0), ("b", 4.0), ("c", 2.0)] {
//!     scorer.try_push(&Observation::new(respondent, "till", reality))?;
//!     scorer.try_push_outcome(
//!         &Outcome::new(respondent)
//!             .with_answer(LoyaltyQuestion::WouldReturn, Answer::from(reality >= 4.0))
//!             .with_likelihood_to_recommend(if reality >= 4.0 { 9.0 } else { 3.0 }),
//!     )?;
//! }
//! let card = scorer.finish();
//! let till = &card.overall.touchpoints[0];
//! // Mean gap -1/3 point, normalized by the span 4: -1/12, within the yellow band.
//! assert_eq!(till.light, Some(TrafficLight::Yellow));
//! assert_eq!(till.stats.gap.met.share, Some(2.0 / 3.0));
//! assert_eq!(till.stats.gap.wow.count, 1);
//! // Two promoters, one detractor: NPS = 100 × (2/3 - 1/3).
//! assert!((card.overall.nps.nps.unwrap() - 100.0 / 3.0).abs() < 1e-9);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Definitions
//!
//! **Expectation.** The respondent's own expectation rating if given, else the
//! touchpoint's target expectation. An observation with neither has no gap: it
//! still counts for reality means and CSAT, and is reported in
//! [`CellStats::without_expectation`], never silently dropped. An own
//! expectation equal to the scale's not-applicable value counts as not given.
//!
//! **Not applicable.** A reality rating equal to the scale's not-applicable
//! value means the touchpoint was not experienced: it is counted in
//! [`CellStats::not_applicable`] and scored nowhere.
//!
//! **Gap.** `gap = reality - expectation`, in scale points;
//! `normalized gap = gap / (max - min)`, in -1..=1.
//!
//! **Met, WOW and shortfall shares**, among observations with a gap:
//! met is `gap >= 0`; WOW is `normalized gap >= wow_margin` (default 0.25,
//! one point on 1..=5); shortfall is `gap < 0`.
//!
//! **Traffic light of one observation** (counted in [`GapStats::lights`]):
//! green when `normalized gap >= 0`, yellow when
//! `-yellow_band <= normalized gap < 0`, red below (`yellow_band` defaults to
//! 0.25). The light of a touchpoint, stage or journey comes from a
//! [`TrafficLightPolicy`]: [`ThresholdPolicy`] (the default) applies the same
//! thresholds to the mean normalized gap; [`SharePolicy`] is green when the met
//! share is at least 0.90 and red below 0.70; [`CautiousPolicy`] uses the
//! confidence interval of the mean normalized gap, red only when the whole
//! interval is below `-yellow_band` and green only when the whole interval is
//! at or above 0.
//!
//! **Minimum sample.** A cell with fewer than `min_sample` observations with a
//! gap (default 30; an effective sample below it, [weighted](#weights)) reports its numbers but gets no light; it is marked
//! [`insufficient_data`](TouchpointScore::insufficient_data), so nobody acts on
//! noise.
//!
//! **Means** come with the sample standard deviation (divisor `n - 1`), the
//! standard error `sd / √n` and the t-based interval
//! `mean ± t(1 - α/2, n - 1) · se` ([`MeanStats`]).
//!
//! **Shares** come with the Wilson score interval ([`ShareStats`]).
//!
//! **Clustered observations.** A respondent answers at several
//! touchpoints, so a figure pooled over touchpoints holds correlated
//! observations. [`ClusteredMoments`] gives such a mean its cluster-robust
//! (CR1) standard error by respondent: with `G` clusters, `S_c` and `n_c`
//! each cluster's sum and count, `N = Σ n_c`,
//! `Var(x̄) = G / (G - 1) · Σ_c (S_c - n_c · x̄)² / N²`, and the interval
//! `x̄ ± t(1 - α/2, G - 1) · SE` (weighted, see [Weights](#weights)). Every pooled stage and journey figure
//! carries the mean gap, met share and WOW share this way
//! ([`PooledScore::by_respondent`], with the number of respondents), and
//! the pooled light is judged on the interval by respondent; on the
//! airline survey the journey's clustered standard error is 1.86 times the
//! plain one (design effect 3.46). Clusters are runs of one respondent's
//! rows, joined across batches, blocks and merged states.
//!
//! **Two-sided p-values** of normal statistics are `erfc(|z| / √2)`
//! ([`two_sided_p`]), which keeps its digits far in the tail.
//!
//! **Loyalty questions.** For each of the three, the share answering yes among
//! those who answered, with its Wilson interval, and the share answering yes
//! to all three among those who answered all three. Each question's
//! [`Verdict`] is on track when the Wilson lower bound is at least
//! `loyalty_target` (0.90), off track when the upper bound is below it,
//! inconclusive when the interval straddles it or fewer than `min_sample`
//! answered, no data when nobody did. The headline
//! [`verdict`](LoyaltyScore::verdict) is on track only when all three are,
//! off track when any one is, no data when no question was answered, and
//! inconclusive otherwise. The practitioners' point rule,
//! [`point_rule_on_track`](LoyaltyScore::point_rule_on_track), is kept
//! beside it: every share strictly above the target, at any sample size.
//!
//! **NPS.** Promoters rate 9..=10, passives 7..=8, detractors 0..=6 (the
//! cut-offs are [`NpsCutoffs`]); `NPS = 100 · (p - d)`,
//! `SE = 100 · √((p + d - (p - d)²) / n)`. The interval is by default the
//! adjusted Wald interval: one promoter, one passive and one detractor are
//! added (`p' = (P + 1) / (n + 3)`, `d' = (D + 1) / (n + 3)`) and
//! `NPS' ± z · SE'` is taken from those, clipped to -100..=100, so that one
//! promoter or a group of only passives does not get an interval of zero
//! width; the plain Wald interval `NPS ± z · SE` is kept as an option.
//! [`NpsInterval`] has both formulas and their exact coverage at n = 10, 30
//! and 100. Two groups or periods compare with [`NpsScore::compare_to`].
//!
//! **CSAT** is the share of reality ratings in the top two points of the
//! scale (`reality >= max - 1`). **Effort** is the mean effort rating.
//!
//! **Emotions.** Per cell, the count of each emotion, the dominant one (none
//! on a tie), and the net emotion score `(positive - negative) / n` over
//! observations with an emotion.
//!
//! **Journey score.** A [`JourneyAggregation`] of the touchpoints' mean
//! normalized gaps: [`WeightedMean`] (by touchpoint weight, the default),
//! [`WeakestLink`] (the minimum) or [`PeakEnd`] (mean of the most extreme and
//! the last touchpoint).
//!
//! **Opportunities for improvement.** Yellow and red touchpoints ranked by
//! `impact = weight × reach × shortfall`, where reach counts observations with
//! a gap and shortfall is the negative mean normalized gap; see
//! [`Opportunity`].
//!
//! **Change and difference tests** ([`compare_groups`]) set two groups of
//! a breakdown side by side (each period against the one before, or two
//! named groups), `after - before`, each test between independent
//! respondents: per touchpoint, the mean gap in points by Welch's test
//! (`SE = √(se₁² + se₂²)`, Welch-Satterthwaite degrees of freedom, p from
//! the regularized incomplete beta, [`t_two_sided_p`]; Cohen's d with the
//! pooled sd; [`MeanDifference`]), the met share and CSAT by the
//! Agresti-Caffo interval (add one success and one failure to each group;
//! p from the same z; Cohen's h `2·asin√p₂ - 2·asin√p₁`;
//! [`ShareDifference`]); per respondent, each loyalty yes share and the
//! yes-to-all share the same way, and NPS by the adjusted Wald interval
//! (add one promoter, passive and detractor to each group; with the
//! promoter and detractor shares' changes; [`NpsDifference`]); for the
//! whole journey, the mean gap, met share and WOW share over every
//! observation by Welch's test on their standard errors by respondent,
//! with `G - 1` in place of `n - 1` in the degrees of freedom (`G` the
//! respondents; Cohen's d with the observations' pooled sd, for a share
//! that of its 0/1 indicator; [`MeanDifference::by_respondent`]). Stages
//! are not tested, to keep the family small. Normal p-values come from `erfc`, so none underflows to
//! 0 before about 1e-300. The p-values of all the tests are adjusted
//! together ([`Adjustment`]): by Holm (the default; family-wise error rate,
//! valid under any dependence) or Benjamini-Hochberg (false discovery
//! rate).
//!
//! **Driver analysis** ([`research::drivers`]). A touchpoint with fewer
//! than `min_sample` respondents who rated it and answered the outcome
//! (weighted: an effective sample size below it; see
//! [weighted drivers](#weighted-drivers)) is described (n, r, ρ, mean) but gets no relative weight, quadrant or flag.
//! Missing ratings are deleted pairwise (`r_jk` from the respondents with
//! both values; the default) or listwise (only respondents with every
//! weighted touchpoint rated); each touchpoint's own n, r, ρ and mean
//! always use its own respondents. With `λ₁ ≥ … ≥ λ_p` the eigenvalues of
//! the touchpoints' correlation matrix, the condition index
//! `η_k = √(λ₁ / λ_k)` above 30 marks it near-singular (the touchpoints
//! loading `|v_jk| ≥ 0.3` on that eigenvector are named); an eigenvalue
//! within `1e-9 · p` of 0 marks it singular and one below `-1e-9 · p` not
//! positive semi-definite, and both withhold the weights. A weight is
//! significant when the percentile bootstrap interval of its raw weight
//! minus that of a uniform random variable (made uncorrelated with the
//! outcome) lies above 0 (Tonidandel, LeBreton and Johnson 2009).
//!
//! **Variant comparison** ([`research::compare`]). A variant's AUC,
//! point-biserial and Spearman use the respondents it scores; the AUC
//! difference of two variants uses those both score. Two variants' lights
//! are identical by construction when their policy, expectations, WOW
//! margin and yellow band agree and every light does; their journey scores
//! when aggregation and expectations agree and every score does. Weighted,
//! see [weighted comparison](#weighted-comparison).
//!
//! **Bootstrap** (both). Resample `i` (from 0) of seed `s` draws `n`
//! respondents with replacement, `random_range(0..n)` `n` times from
//! ChaCha8 seeded with `seed_from_u64(s)` on stream `i + 2`; the drivers'
//! random variable is stream 1 of the same seed, and stream 0 is not used.
//! Each resample owning its stream, resamples run on any number of threads
//! ([`research::CompareOptions::threads`],
//! [`research::DriverOptions::threads`]) and are merged in resample
//! order: the same seed gives the same numbers, to the bit, on any machine
//! and at any thread count. Intervals are percentile intervals (the
//! `(1 ∓ confidence) / 2` quantiles, Hyndman-Fan type 7); a
//! [`research::Progress`] in the options is told after each resample.
//!
//! # Weights
//!
//! A survey may weigh its respondents (design or raking weights):
//! [`ScorecardAccumulator::weighted`] makes a `ScorecardAccumulator<WeightSum>`
//! that counts every observation and outcome with its respondent's
//! [`Weight`](cx_model::Weight) (`cx score --weight COLUMN`). The same code
//! scores both kinds: every accumulator is generic over a [`Tally`], a
//! count (`u64`) or a [`WeightSum`], and every formula is written once
//! over the sums `V₁ = Σw` and `V₂ = Σw²` that the tally reports; a count
//! reports `V₁ = V₂ = n`, so the unweighted figures are the weighted
//! formulas at unit weights, bit for bit (property tests hold every
//! figure of the scorecard to it).
//!
//! - **Representation.** A weight is a whole number of 2⁻³⁰ (about
//!   9.3e-10), from 0 to 2²⁰; the sums are `u128` integers, exact and the
//!   same in any order, so weighted figures merge across threads, blocks
//!   and states to the same bits. The sums stay exact while `Σw²` stays
//!   below 2¹²⁸ (2²⁸ records at the largest weight, 2⁴⁸ at weights up to
//!   1,000). Weighted ratings are kept exactly up to ±2,048 scale points.
//! - **Zero weights** are allowed: the record counts as answered (in `n`)
//!   and adds nothing to any weighted sum. A figure whose weights sum to 0
//!   has no mean or share (`None`) and `n_eff = 0`.
//! - **Missing weights.** A weighted scorecard rejects an observation or
//!   outcome without a weight ([`RejectReason::MissingWeight`]), counted
//!   like any rejection.
//! - **Kish's effective sample size** `n_eff = V₁² / V₂` takes the place
//!   of `n` in every standard error, interval and minimum-sample check;
//!   each weighted figure carries it with `V₁` in its `weighted` field
//!   ([`Weighted`]), beside the counts of records, which stay counts.
//! - **Means** ([`MeanStats`]): `x̄ = Σwx / V₁`;
//!   `sd² = Σw(x - x̄)² / (V₁ - V₂/V₁)` (the reliability-weights variance,
//!   numpy's `cov(aweights=w)`); `se = sd / √n_eff`; the interval
//!   `x̄ ± t(1 - α/2, n_eff - 1) · se`; they need `n_eff > 1`. This holds
//!   for reality, expectation, the gap (points and normalized) and effort.
//! - **Shares** ([`ShareStats`]): `p = Σw(counted) / Σw(all)`, the Wilson
//!   interval at `n = n_eff` of the base. This holds for met, WOW,
//!   shortfall, CSAT, each loyalty question's yes and yes to all three.
//!   The light counts (green, yellow, red) stay counts of observations.
//! - **NPS** ([`NpsScore`]): `p` and `d` are shares of the weights,
//!   `NPS = 100 · (Σw_P - Σw_D) / V₁`, `SE = 100 · √((p + d - (p - d)²) /
//!   n_eff)`; the adjusted Wald interval adds its one promoter, passive and
//!   detractor to the effective counts `n_eff · p`, `n_eff · d` and
//!   `n_eff`.
//! - **Emotions.** The net emotion score is of the weights; the dominant
//!   emotion is the one of the largest weight; the counts stay counts.
//! - **Minimum sample.** A touchpoint, pooled figure or loyalty question
//!   is judged only when its `n_eff` reaches `min_sample`.
//! - **Change tests** ([`compare_groups`]): a weighted share is tested as
//!   the share of its effective sample (`x = p · n_eff`, `n = n_eff`, then
//!   Agresti-Caffo as above); a mean by Welch's test with `n_eff - 1` for
//!   `n - 1`; NPS by the adjusted Wald test on the effective counts; the
//!   small-sample flag compares `n_eff`, and each test reports its two
//!   `n_eff` beside the counts ([`ChangeTest::n_eff_before`], in every
//!   format `cx diff` writes).
//! - **Pooled figures by respondent** ([`PooledScore::by_respondent`]):
//!   the CR1 sandwich of weighted least squares on a constant, each
//!   respondent's weight `w_c` on each of its rows: `x̄ = Σ w_c S_c / Σ w_c
//!   n_c` and `Var(x̄) = G / (G - 1) · Σ_c w_c² (S_c - n_c x̄)² / (Σ_c w_c
//!   n_c)²`, with `G` the respondents of positive weight (statsmodels'
//!   `WLS(...).fit(cov_type="cluster")`). The sums are exact integers; the
//!   weights' common power of two is divided out first (so unit weights
//!   give the unweighted integers, and bits), and where the products still
//!   pass `i128` (weights such as 0.1 over many respondents) the same sum is
//!   taken in floating point from the exact sums, so any merge order gives
//!   the same bits either way. The pooled lights are judged on it, as
//!   unweighted.
//! - **Driver analysis** ([`research::drivers`] on
//!   [`SurveyData::weighted`](research::SurveyData::weighted) data,
//!   `cx drivers --weight`): see [weighted drivers](#weighted-drivers)
//!   below.
//! - **Variant comparison** ([`research::compare`] on
//!   [`SurveyData::weighted`](research::SurveyData::weighted) data,
//!   `cx compare --weight`): see [weighted comparison](#weighted-comparison)
//!   below.
//! - **Not weighted.** The opportunities' reach and the light counts
//!   stay counts of observations; Cohen's d of the journey change tests
//!   takes the observations' count.
//! - **State.** A weighted accumulator's state has its own tag,
//!   [`WEIGHTED_STATE_FORMAT`] (`"cx.state/3+weights"`): the fields of
//!   version 3, each count of a weighted figure a `WeightSum` (`n`, then
//!   the weights' and the squares' sums as integers in units of 2⁻³⁰ and
//!   2⁻⁶⁰). Unweighted states keep their own tag (`cx.state/3`), and
//!   neither reader takes the other's.
//!
//! ## Weighted drivers
//!
//! [`research::SurveyData::weighted`] keeps each respondent's weight `w`
//! and rejects a record without one ([`RejectReason::MissingWeight`]) or
//! with another weight than its respondent's earlier records
//! ([`RejectReason::ConflictingWeight`]). The driver analysis then weighs
//! every respondent by `w`; over the respondents `i` who rated a
//! touchpoint (or, for the matrix, who have both values of a pair):
//!
//! - **Pearson** ([`research::weighted_pearson`]): with `x̄ = Σwx / Σw`
//!   and `ȳ = Σwy / Σw`, `r = Σw(x - x̄)(y - ȳ) / √(Σw(x - x̄)² · Σw(y -
//!   ȳ)²)` (R's `cov.wt(cor = TRUE)`); importance and the quadrants use it.
//! - **The relative weights' matrix**: every `r_jk` and `r_jy` so, pairwise
//!   or listwise; Johnson's weights decompose it as unweighted (the
//!   weighted least-squares R²).
//! - **Spearman** ([`research::weighted_spearman`]): the weighted Pearson
//!   coefficient of weighted mid-ranks, as R's `wCorr` package (1.9.6 and
//!   later): a value whose ties weigh `t` together, above values weighing
//!   `W`, ranks `W + 1/2 + t/2` ([`research::weighted_ranks`]). Unit
//!   weights give the average ranks, so the plain Spearman coefficient;
//!   whole-number weights give the average ranks of the sample that
//!   repeats each respondent as often, so its Spearman coefficient.
//! - **Performance**: the mean reality `Σwx / Σw`, normalized on the scale.
//! - **Minimum sample**: a touchpoint is weighted when Kish's `n_eff =
//!   (Σw)² / Σw²` of its respondents reaches `min_sample`; each driver
//!   reports `n` (a count) and `weighted` (`Σw`, `n_eff`). The analysis's
//!   own `min_respondents` and listwise minimum stay counts of
//!   respondents.
//! - **Bootstrap**: the same seeded draws of respondents; a respondent
//!   drawn `k` times counts `k · w` in the resample's correlations. The
//!   random variable of the significance test is made uncorrelated with
//!   the outcome by a weighted least-squares fit.
//!
//! With every weight 1 each formula is the unweighted one computed the
//! same way (each `w · x` is `x`), so the analysis is the unweighted
//! one bit for bit, besides the reported `Σw` and `n_eff`; a property test
//! holds it to that.
//!
//! ## Weighted comparison
//!
//! On [`research::SurveyData::weighted`] data, [`research::compare`] weighs
//! every respondent `i` by `w_i` in every statistic; each variant's sample
//! (the respondents it scores) and each pair's (those both score) are as
//! unweighted, and report `Σw` and `n_eff = (Σw)² / Σw²` beside their
//! count ([`research::VariantResult::scored_weighted`],
//! [`research::PairResult::respondents_weighted`]).
//!
//! - **ROC AUC**: the weighted Mann-Whitney statistic, every (yes, no)
//!   pair counting `w_yes · w_no`, ties one half:
//!   `AUC = Σ_yes Σ_no w_yes w_no ([s_yes > s_no] + ½ [s_yes = s_no]) /
//!   (Σ_yes w · Σ_no w)` (scikit-learn's `roc_auc_score(sample_weight=w)`).
//!   `None` when either group's weights sum to 0.
//! - **AUC difference**: `AUC(a) - AUC(b)`, both weighted, on the
//!   respondents both score.
//! - **Point-biserial**: the weighted Pearson coefficient
//!   ([`research::weighted_pearson`]) of the journey score with yes = 1,
//!   no = 0.
//! - **Spearman**: the weighted Pearson coefficient of the weighted
//!   mid-ranks of score and target, as for the drivers above.
//! - **Lights**: each variant's cells are lit by the weighted scorecard,
//!   as `cx score --weight` lights them (see the list above: weighted mean
//!   gap and met share, the t interval on `n_eff`, which the cautious
//!   policy reads); a cell is lit when the `n_eff` of its gaps reaches
//!   `min_sample`. The opportunity impacts behind the rank correlation
//!   are the weighted scorecard's (weighted shortfall, reach a count).
//! - **Agreement** (raw, Cohen's kappa, linearly weighted kappa) and the
//!   rank correlation compare the variants cell by cell: they count cells,
//!   not respondents, so their formulas do not change; the weights enter
//!   through the lights and impacts.
//! - **Bootstrap**: the same seeded draws of respondents as unweighted; a
//!   respondent drawn `k` times counts `k · w` in the resample's AUCs and
//!   AUC differences, and the intervals are percentile intervals as
//!   unweighted.
//! - **Notes**: a variant whose scored respondents all weigh 0 is noted
//!   ([`research::VariantNote::WeighsNothing`]); it has no AUC or
//!   correlation.
//!
//! Unit weights multiply nothing (`1 · x` is `x`), so the comparison is
//! the unweighted one bit for bit besides the reported sizes, and
//! whole-number weights give the point estimates (AUC, AUC difference,
//! correlations, and the lights of the policies that judge a mean or a
//! share) of the survey repeating each respondent as often; property
//! tests hold it to both.
//!
//! # Merging
//!
//! Every accumulator merges: in any order and any split of the data, the
//! finished result equals one pass over it (to rounding, well within 1e-9).
//! Means merge by Chan et al.'s pairwise update, counts by addition. The
//! pooled figures by respondent take a run of one respondent's rows as
//! the respondent (a split may fall inside it: the two parts join when
//! merged, in any order); for respondents whose rows are scattered through
//! the input, an accumulator told so
//! ([`respondent_order`](ScorecardAccumulator::respondent_order)) holds
//! every respondent's sums by id to the end, and states merged in join
//! them by id.
//!
//! # Accumulator state
//!
//! A [`ScorecardAccumulator`]'s partial state can be written, stored or
//! sent, and read back to be merged later: as a query engine's aggregate
//! state, in a pickle, in a service's database. Version 3 of the format is
//! an envelope around the accumulator's serde form: the tag
//! [`STATE_FORMAT`] (`"cx.state/3"`), then the state itself (journey,
//! parameters, the whole survey's and every breakdown group's cells and
//! pooled figures by respondent, counts of records read, accepted and
//! rejected, the respondents' order). Version 2 added the pooled figures
//! by respondent and the NPS interval method (`ScoreConfig::nps_interval`);
//! version 3 the respondents' order
//! ([`respondent_order`](ScorecardAccumulator::respondent_order)) and,
//! for scattered respondents, every respondent's sums held by id. A
//! state of an earlier version is refused with
//! [`ErrorKind::StateVersion`]: re-score its data.
//!
//! - **Binary** ([`to_state_bytes`](ScorecardAccumulator::to_state_bytes)):
//!   the pair (tag, state) in [postcard](https://docs.rs/postcard): the tag
//!   as a varint length and its UTF-8 bytes, then every field of the state
//!   in declaration order, without names: integers as varints, `f64` as
//!   its eight little-endian bytes, options and enum variants as a varint
//!   tag. Nothing may follow the state.
//! - **JSON** ([`to_state_json`](ScorecardAccumulator::to_state_json)):
//!   `{"format":"cx.state/3","state":{…}}`, fields by name. Floats are
//!   written in the shortest form that reads back to the same bits and
//!   read with `serde_json`'s exact parser, so `-0.0` stays `-0.0`.
//!
//! Either way, merging a state read back equals merging the accumulator
//! it was written from, bit for bit. One exception is JSON's: it has no
//! NaN or infinity, so a sum that overflowed `f64` (possible only for
//! values whose squares overflow, such as an effort of `1e200` where no
//! effort scale is set) is written as `null` and refused when read; the
//! binary form keeps it.
//!
//! **Compatibility.** A reader reads the tag first and refuses any other
//! with [`ErrorKind::StateVersion`], before decoding the rest. Any change
//! to the serde form of the accumulator or of a type inside it (a field
//! added, removed, renamed, reordered or retyped; a variant removed,
//! renamed or reordered; a new meaning for a value) makes the next version,
//! with its own tag, because the binary form reads fields by position.
//! Only a variant added at the end of an enum (a new [`RejectReason`], say)
//! keeps the version: older readers refuse, with an error, the states that
//! use it. A test pins a version-2 state byte for byte, so no change slips
//! in unnoticed.
//!
//! **A stranger's state.** Reading never panics, and checks what the state
//! claims: the journey and the parameters are valid, every group has one
//! cell per touchpoint, each cell's counts add up (observations,
//! expectations, gaps, lights, emotions, its grid table),
//! `read = accepted + rejected`, and no breakdown counts more records than
//! were accepted. A state that breaks a rule is refused with
//! [`ErrorKind::InvalidState`] naming the group, touchpoint and rule, so
//! that finishing it cannot panic nor merging it overflow. States over
//! [`MAX_STATE_BYTES`] are refused before decoding; decoding takes memory
//! of a small multiple of the state's length.

#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

mod adjust;
mod aggregate;
mod cell;
mod change;
mod changes;
mod check;
mod cluster;
mod config;
mod diff;
mod error;
mod gap;
mod light;
mod lookup;
mod loyalty;
mod nps;
mod rejection;
pub mod research;
mod scorecard;
mod state;
mod stats;
mod tally;

pub use adjust::Adjustment;
pub use aggregate::{JourneyAggregation, PeakEnd, TouchpointScoreInput, WeakestLink, WeightedMean};
pub use cell::{CellStats, EmotionCount, EmotionSummary, EmotionTally};
pub use change::{MeanDifference, ShareDifference, t_two_sided_p};
pub use changes::{
    ChangeOptions, ChangeTest, Changes, GroupChange, Measure, Pairs, TestResult, compare_groups,
    nps_difference,
};
pub use cluster::{ClusteredMoments, ClusteredStats};
pub use config::{NpsCutoffs, NpsInterval, ScoreConfig};
pub use error::{Error, ErrorKind, Result};
pub use gap::{GapStats, LightCounts};
pub use light::{CautiousPolicy, SharePolicy, ThresholdPolicy, TrafficLight, TrafficLightPolicy};
pub use loyalty::{LoyaltyAccumulator, LoyaltyScore, QuestionScore, Verdict};
pub use nps::{NpsAccumulator, NpsDifference, NpsScore};
pub use rejection::{RejectReason, Rejection};
pub use scorecard::{
    Breakdown, BreakdownGroup, ClusteredPooled, Counts, DEFAULT_MAX_GROUPS, Dimension, GroupScore,
    Opportunity, PooledScore, RecordCounts, Scorecard, ScorecardAccumulator, StageScore,
    TouchpointScore,
};
pub use state::{MAX_STATE_BYTES, STATE_FORMAT, WEIGHTED_STATE_FORMAT};
pub use stats::{
    Interval, MeanStats, Moments, ShareStats, T_EXPANSION_FROM, t_quantile, two_sided_p, z_quantile,
};
pub use tally::{Tally, WeightSum, Weighted};
