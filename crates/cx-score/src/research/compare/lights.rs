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
use crate::scorecard::{Dimension, GroupScore, ScorecardAccumulator};

/// One variant's cells: for each group (the whole journey, then every
/// breakdown group), each touchpoint's light, impact and rank.
pub(crate) struct CellResults {
    pub(crate) cells: Vec<Cell>,
    pub(crate) lights: Vec<Option<TrafficLight>>,
    pub(crate) impacts: Vec<f64>,
    pub(crate) ranks: Vec<f64>,
}

/// The variant's scorecard lights and opportunity impacts per cell.
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
    let mut scorer = options.by.iter().fold(
        ScorecardAccumulator::new(journey.clone(), config)?,
        |scorer, dimension| scorer.breakdown_by(*dimension),
    );
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
            scorer.push(&observation);
        }
    }
    let card = scorer.finish_with(variant.policy(), variant.aggregation());
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
