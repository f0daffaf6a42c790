//! Each variant's cells: the scorecard's lights, opportunity impacts and
//! ranks per touchpoint of the whole journey and of every breakdown group.

use cx_model::Observation;

use crate::config::ScoreConfig;
use crate::error::Result;
use crate::light::TrafficLight;
use crate::research::compare::{Cell, CompareOptions};
use crate::research::data::SurveyData;
use crate::research::stats::average_ranks;
use crate::research::variant::{ExpectationSource, ScoringVariant};
use crate::scorecard::{Dimension, GroupScore, Scorecard, ScorecardAccumulator};
use crate::tally::Tally;

/// One variant's cells: for each group (the whole journey, then every
/// breakdown group), each touchpoint's light, impact and rank.
pub(crate) struct CellResults {
    pub(crate) cells: Vec<Cell>,
    pub(crate) lights: Vec<Option<TrafficLight>>,
    pub(crate) impacts: Vec<f64>,
    pub(crate) ranks: Vec<f64>,
}

/// The variant's scorecard lights and opportunity impacts per cell. On
/// [weighted](SurveyData::weighted) data the scorecard is the weighted one
/// (`cx score --weight`'s): each observation counts with its respondent's
/// weight, and a cell is lit when the Kish effective sample size of its
/// gaps reaches the minimum sample.
pub(crate) fn touchpoint_results(
    data: &SurveyData,
    variant: &dyn ScoringVariant,
    options: &CompareOptions,
) -> Result<CellResults> {
    let journey = data.journey();
    let config = ScoreConfig {
        wow_margin: variant.wow_margin(),
        yellow_band: variant.yellow_band(),
        ..options.config
    };
    let card = if data.is_weighted() {
        let scorer = ScorecardAccumulator::weighted(journey.clone(), config)?;
        scorecard(scorer, data, variant, options)
    } else {
        let scorer = ScorecardAccumulator::new(journey.clone(), config)?;
        scorecard(scorer, data, variant, options)
    };
    let mut results = CellResults {
        cells: Vec::new(),
        lights: Vec::new(),
        impacts: Vec::new(),
        ranks: Vec::new(),
    };
    let mut add = |dimension: Option<Dimension>, key: Option<&str>, group: &GroupScore| {
        let mut impacts = vec![0.0; group.touchpoints.len()];
        for opportunity in &group.opportunities {
            if let Some(impact) = impacts.get_mut(opportunity.index) {
                *impact = opportunity.impact;
            }
        }
        let negative: Vec<f64> = impacts.iter().map(|impact| -impact).collect();
        results.ranks.extend(average_ranks(&negative));
        results.impacts.extend(impacts);
        for touchpoint in &group.touchpoints {
            results.cells.push(Cell {
                dimension,
                group: key.map(str::to_owned),
                touchpoint: touchpoint.id.clone(),
            });
            results.lights.push(touchpoint.light);
        }
    };
    add(None, None, &card.overall);
    for breakdown in &card.breakdowns {
        for group in &breakdown.groups {
            add(
                Some(breakdown.dimension),
                group.key.as_deref(),
                &group.score,
            );
        }
    }
    Ok(results)
}

/// Every respondent's ratings through `scorer` (with the breakdowns of
/// `options`), finished with the variant's policy and aggregation. Each
/// observation carries its respondent's weight, which only a weighted
/// scorer reads.
fn scorecard<T: Tally>(
    scorer: ScorecardAccumulator<T>,
    data: &SurveyData,
    variant: &dyn ScoringVariant,
    options: &CompareOptions,
) -> Scorecard {
    let journey = data.journey();
    let mut scorer = options
        .by
        .iter()
        .fold(scorer, |scorer, dimension| scorer.breakdown_by(*dimension));
    for respondent in data.respondents() {
        for rating in &respondent.ratings {
            let Some(touchpoint) = journey.touchpoint(rating.index) else {
                continue;
            };
            let reality = rating
                .reality
                .or(journey.scale().not_applicable())
                .unwrap_or(f64::NAN);
            let mut observation =
                Observation::new(respondent.id.as_str(), touchpoint.id.as_str(), reality);
            if variant.expectations() == ExpectationSource::Respondent {
                observation.expectation = rating.expectation;
            }
            observation.segment.clone_from(&respondent.segment);
            observation.timestamp = respondent.timestamp;
            observation.weight = respondent.weight;
            scorer.push(&observation);
        }
    }
    scorer.finish_with(variant.policy(), variant.aggregation())
}
