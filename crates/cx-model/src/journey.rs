//! Journeys, stages and touchpoints.

use rustc_hash::FxHashMap;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::channel::Channel;
use crate::error::{Error, ErrorKind, Result};
use crate::scale::Scale;

/// A point of contact between the customer and the organisation: the shop
/// window, a booking call, the website, the cashier, delivery.
///
/// Build one with [`Touchpoint::new`] and the chained setters; it is checked
/// when its journey is built.
///
/// ```
/// use cx_model::{Channel, Touchpoint};
///
/// let cashier = Touchpoint::new("cashier", "Cashier", Channel::Store)
///     .moment_of_truth(true)
///     .target(4.0)
///     .weight(2.0);
/// assert_eq!(cashier.weight, 2.0);
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Touchpoint {
    /// Identifier, unique within the journey; observations refer to it.
    pub id: String,
    /// Name for people to read.
    pub name: String,
    /// The medium of the contact.
    pub channel: Channel,
    /// Whether this is a moment of truth, a contact that weighs most.
    #[serde(default)]
    pub moment_of_truth: bool,
    /// The expectation to assume when a survey did not ask the respondent's own.
    #[serde(default)]
    pub target: Option<f64>,
    /// Relative importance: finite and at least 0. Defaults to 1.
    #[serde(default = "default_weight")]
    pub weight: f64,
    /// In wide survey files (one row per respondent), the column holding the
    /// reality rating for this touchpoint.
    #[serde(default)]
    pub source_column: Option<String>,
    /// In wide survey files, the column holding the respondent's own
    /// expectation for this touchpoint, if the survey asked it.
    #[serde(default)]
    pub expectation_column: Option<String>,
}

fn default_weight() -> f64 {
    1.0
}

/// The largest touchpoint weight a journey takes: 1,000,000. Weights are
/// relative, so no journey needs more, and every figure derived from them
/// (an opportunity's impact, weight × reach × shortfall, or a weighted
/// mean of a million touchpoints) then stays finite.
pub const MAX_TOUCHPOINT_WEIGHT: f64 = 1e6;

impl Serialize for Touchpoint {
    /// Text formats leave out the options that are not set; binary ones,
    /// which may read fields by position, write every field.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let every_field = !serializer.is_human_readable();
        let mut fields = serializer.serialize_struct("Touchpoint", 8)?;
        fields.serialize_field("id", &self.id)?;
        fields.serialize_field("name", &self.name)?;
        fields.serialize_field("channel", &self.channel)?;
        fields.serialize_field("moment_of_truth", &self.moment_of_truth)?;
        optional(&mut fields, every_field, "target", &self.target)?;
        fields.serialize_field("weight", &self.weight)?;
        optional(
            &mut fields,
            every_field,
            "source_column",
            &self.source_column,
        )?;
        let expectation_column = &self.expectation_column;
        optional(
            &mut fields,
            every_field,
            "expectation_column",
            expectation_column,
        )?;
        fields.end()
    }
}

/// Writes an optional field, or leaves it out when it is not set and
/// `every_field` is false.
fn optional<S: SerializeStruct, T: Serialize>(
    fields: &mut S,
    every_field: bool,
    name: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    if every_field || value.is_some() {
        fields.serialize_field(name, value)
    } else {
        fields.skip_field(name)
    }
}

impl Touchpoint {
    /// A touchpoint with weight 1, no target and no source column.
    pub fn new(id: impl Into<String>, name: impl Into<String>, channel: Channel) -> Self {
        Touchpoint {
            id: id.into(),
            name: name.into(),
            channel,
            moment_of_truth: false,
            target: None,
            weight: default_weight(),
            source_column: None,
            expectation_column: None,
        }
    }

    /// Marks or unmarks the touchpoint as a moment of truth.
    #[must_use]
    pub fn moment_of_truth(mut self, moment_of_truth: bool) -> Self {
        self.moment_of_truth = moment_of_truth;
        self
    }

    /// Sets the target expectation, on the journey's scale.
    #[must_use]
    pub fn target(mut self, target: f64) -> Self {
        self.target = Some(target);
        self
    }

    /// Sets the weight (from 0 to [`MAX_TOUCHPOINT_WEIGHT`]).
    #[must_use]
    pub fn weight(mut self, weight: f64) -> Self {
        self.weight = weight;
        self
    }

    /// Sets the wide-file column holding the reality rating.
    #[must_use]
    pub fn source_column(mut self, column: impl Into<String>) -> Self {
        self.source_column = Some(column.into());
        self
    }

    /// Sets the wide-file column holding the respondent's expectation.
    #[must_use]
    pub fn expectation_column(mut self, column: impl Into<String>) -> Self {
        self.expectation_column = Some(column.into());
        self
    }
}

/// One stage of a journey, such as "buy" or "after-sales": an ordered list of
/// touchpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Stage {
    /// The stage's name, unique within the journey.
    pub name: String,
    /// The stage's touchpoints in the order the customer meets them.
    pub touchpoints: Vec<Touchpoint>,
}

impl Stage {
    /// An empty stage; add touchpoints with [`Stage::touchpoint`].
    pub fn new(name: impl Into<String>) -> Self {
        Stage {
            name: name.into(),
            touchpoints: Vec::new(),
        }
    }

    /// Appends a touchpoint.
    #[must_use]
    pub fn touchpoint(mut self, touchpoint: Touchpoint) -> Self {
        self.touchpoints.push(touchpoint);
        self
    }
}

/// Where a touchpoint sits in its journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TouchpointPosition {
    /// Position in journey order over all stages, counting from 0.
    pub index: usize,
    /// The stage's position, counting from 0.
    pub stage: usize,
}

/// A customer journey: a name, a rating scale, and ordered stages of ordered
/// touchpoints.
///
/// A `Journey` is always valid: [`Journey::new`], [`JourneyBuilder::build`] and
/// deserialization all check that it has at least one stage, that no stage is
/// empty, that stage names and touchpoint ids are unique and non-empty, that
/// targets lie on the scale and that weights are finite and non-negative.
///
/// Touchpoints are numbered in journey order, over all stages, from 0; the
/// first is the first contact and the last is the last contact.
///
/// ```
/// use cx_model::{Channel, Journey, Scale, Stage, Touchpoint};
///
/// let journey = Journey::builder("Coffee", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("order", "Order", Channel::Store)))
///     .stage(Stage::new("Drink").touchpoint(Touchpoint::new("taste", "Taste", Channel::Web).moment_of_truth(true)))
///     .build()?;
/// assert_eq!(journey.first_touchpoint().id, "order");
/// assert_eq!(journey.last_touchpoint().id, "taste");
/// assert_eq!(journey.position_of("taste").map(|p| p.index), Some(1));
/// # Ok::<(), cx_model::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "JourneyFields", into = "JourneyFields")]
pub struct Journey {
    name: String,
    scale: Scale,
    stages: Vec<Stage>,
    /// For each touchpoint in journey order, (stage, position within stage).
    order: Vec<(usize, usize)>,
    /// By id.
    positions: FxHashMap<String, TouchpointPosition>,
    /// Each touchpoint's target, in journey order: every observation
    /// scored without its own expectation asks.
    targets: Vec<Option<f64>>,
}

/// The serialized form of a [`Journey`]; deserializing validates it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JourneyFields {
    name: String,
    scale: Scale,
    stages: Vec<Stage>,
}

impl TryFrom<JourneyFields> for Journey {
    type Error = Error;

    fn try_from(fields: JourneyFields) -> Result<Self> {
        Journey::new(fields.name, fields.scale, fields.stages)
    }
}

impl From<Journey> for JourneyFields {
    fn from(journey: Journey) -> Self {
        JourneyFields {
            name: journey.name,
            scale: journey.scale,
            stages: journey.stages,
        }
    }
}

impl PartialEq for Journey {
    fn eq(&self, other: &Self) -> bool {
        // The indexes are derived from these three.
        self.name == other.name && self.scale == other.scale && self.stages == other.stages
    }
}

impl Journey {
    /// Checks and builds a journey.
    ///
    /// # Errors
    ///
    /// An [`Error`] naming the first offending stage, touchpoint or field:
    /// for a touchpoint's target or weight, the error's
    /// [`position`](Error::position) names the touchpoint and the field.
    pub fn new(name: impl Into<String>, scale: Scale, stages: Vec<Stage>) -> Result<Self> {
        let name = name.into();
        printable("journey name", &name)?;
        if stages.is_empty() {
            return Err(ErrorKind::NoStages { journey: name }.into());
        }
        let mut order = Vec::new();
        let mut positions: FxHashMap<String, TouchpointPosition> = FxHashMap::default();
        let mut stage_names: FxHashMap<&str, ()> = FxHashMap::default();
        for (stage_index, stage) in stages.iter().enumerate() {
            printable("stage name", &stage.name)?;
            if stage.name.trim().is_empty() {
                return Err(ErrorKind::EmptyStageName {
                    position: stage_index + 1,
                }
                .into());
            }
            if stage_names.insert(&stage.name, ()).is_some() {
                return Err(ErrorKind::DuplicateStage {
                    stage: stage.name.clone(),
                }
                .into());
            }
            if stage.touchpoints.is_empty() {
                return Err(ErrorKind::EmptyStage {
                    stage: stage.name.clone(),
                }
                .into());
            }
            for (within, touchpoint) in stage.touchpoints.iter().enumerate() {
                check_touchpoint(touchpoint, stage, within, &scale)?;
                let position = TouchpointPosition {
                    index: order.len(),
                    stage: stage_index,
                };
                if let Some(first) = positions.insert(touchpoint.id.clone(), position) {
                    return Err(ErrorKind::DuplicateTouchpoint {
                        id: touchpoint.id.clone(),
                        first_stage: stages[first.stage].name.clone(),
                        second_stage: stage.name.clone(),
                    }
                    .into());
                }
                order.push((stage_index, within));
            }
        }
        let targets = order
            .iter()
            .map(|&(stage, within)| stages[stage].touchpoints[within].target)
            .collect();
        Ok(Journey {
            name,
            scale,
            stages,
            order,
            positions,
            targets,
        })
    }

    /// Starts a builder for a journey on `scale`.
    pub fn builder(name: impl Into<String>, scale: Scale) -> JourneyBuilder {
        JourneyBuilder {
            name: name.into(),
            scale,
            stages: Vec::new(),
        }
    }

    /// The journey's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The scale of its reality and expectation ratings.
    pub fn scale(&self) -> &Scale {
        &self.scale
    }

    /// The stages, in order.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    /// How many touchpoints the journey has over all stages.
    pub fn touchpoint_count(&self) -> usize {
        self.order.len()
    }

    /// The touchpoints in journey order, over all stages.
    pub fn touchpoints(&self) -> impl ExactSizeIterator<Item = &Touchpoint> + '_ {
        self.order
            .iter()
            .map(|&(stage, within)| &self.stages[stage].touchpoints[within])
    }

    /// The touchpoint at `index` in journey order, if there is one.
    pub fn touchpoint(&self, index: usize) -> Option<&Touchpoint> {
        let &(stage, within) = self.order.get(index)?;
        Some(&self.stages[stage].touchpoints[within])
    }

    /// The target of the touchpoint at `index` in journey order, the
    /// expectation assumed where a respondent gave none; `None` without
    /// one, or past the last touchpoint. The same as
    /// `touchpoint(index).and_then(|t| t.target)`, looked up in one step.
    ///
    /// ```
    /// use cx_model::{Channel, Journey, Scale, Stage, Touchpoint};
    ///
    /// let journey = Journey::builder("Shop", Scale::LIKERT_5)
    ///     .stage(
    ///         Stage::new("Buy")
    ///             .touchpoint(Touchpoint::new("till", "Till", Channel::Store).target(4.0))
    ///             .touchpoint(Touchpoint::new("web", "Web", Channel::Web)),
    ///     )
    ///     .build()?;
    /// assert_eq!(journey.target(0), Some(4.0));
    /// assert_eq!((journey.target(1), journey.target(2)), (None, None));
    /// # Ok::<(), cx_model::Error>(())
    /// ```
    #[inline]
    pub fn target(&self, index: usize) -> Option<f64> {
        self.targets.get(index).copied().flatten()
    }

    /// The stage index of the touchpoint at `index` in journey order.
    pub fn stage_of(&self, index: usize) -> Option<usize> {
        self.order.get(index).map(|&(stage, _)| stage)
    }

    /// Looks a touchpoint up by id.
    pub fn find(&self, id: &str) -> Option<&Touchpoint> {
        self.position_of(id)
            .and_then(|position| self.touchpoint(position.index))
    }

    /// Where the touchpoint with this id sits, if the journey has it.
    pub fn position_of(&self, id: &str) -> Option<TouchpointPosition> {
        self.positions.get(id).copied()
    }

    /// The first contact.
    pub fn first_touchpoint(&self) -> &Touchpoint {
        // A journey has at least one stage with at least one touchpoint.
        &self.stages[0].touchpoints[0]
    }

    /// The last contact.
    pub fn last_touchpoint(&self) -> &Touchpoint {
        let stage = &self.stages[self.stages.len() - 1];
        &stage.touchpoints[stage.touchpoints.len() - 1]
    }

    /// Whether the touchpoint at `index` in journey order is the first contact.
    pub fn is_first(&self, index: usize) -> bool {
        index == 0
    }

    /// Whether the touchpoint at `index` in journey order is the last contact.
    pub fn is_last(&self, index: usize) -> bool {
        index + 1 == self.order.len()
    }
}

/// Refuses `text` if it holds a control character.
fn printable(what: &'static str, text: &str) -> Result<()> {
    if text.chars().any(char::is_control) {
        return Err(ErrorKind::ControlCharacter {
            what,
            text: text.to_owned(),
        }
        .into());
    }
    Ok(())
}

fn check_touchpoint(
    touchpoint: &Touchpoint,
    stage: &Stage,
    within: usize,
    scale: &Scale,
) -> Result<()> {
    printable("touchpoint id", &touchpoint.id)?;
    printable("touchpoint name", &touchpoint.name)?;
    if touchpoint.id.trim().is_empty() {
        return Err(ErrorKind::EmptyTouchpointId {
            stage: stage.name.clone(),
            position: within + 1,
        }
        .into());
    }
    if let Some(target) = touchpoint.target {
        scale
            .rating(target)
            .map_err(|error| error.at(&touchpoint.id, "target"))?;
    }
    if !(0.0..=MAX_TOUCHPOINT_WEIGHT).contains(&touchpoint.weight) {
        let error = Error::from(ErrorKind::InvalidWeight {
            weight: touchpoint.weight,
        });
        return Err(error.at(&touchpoint.id, "weight"));
    }
    Ok(())
}

/// The marks a touchpoint carries in reports, in this order: `"first
/// contact"`, `"last contact"`, `"moment of truth"`, each only when it holds.
///
/// ```
/// assert_eq!(cx_model::contact_marks(true, false, true), ["first contact", "moment of truth"]);
/// ```
pub fn contact_marks(
    first_contact: bool,
    last_contact: bool,
    moment_of_truth: bool,
) -> Vec<&'static str> {
    [
        (first_contact, "first contact"),
        (last_contact, "last contact"),
        (moment_of_truth, "moment of truth"),
    ]
    .into_iter()
    .filter_map(|(holds, mark)| holds.then_some(mark))
    .collect()
}

/// Builds a [`Journey`] stage by stage; see [`Journey::builder`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct JourneyBuilder {
    name: String,
    scale: Scale,
    stages: Vec<Stage>,
}

impl JourneyBuilder {
    /// Appends a stage.
    pub fn stage(mut self, stage: Stage) -> Self {
        self.stages.push(stage);
        self
    }

    /// Checks the journey and builds it.
    ///
    /// # Errors
    ///
    /// As [`Journey::new`].
    pub fn build(self) -> Result<Journey> {
        Journey::new(self.name, self.scale, self.stages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Position;

    fn two_stages() -> JourneyBuilder {
        Journey::builder("Retail", Scale::LIKERT_5)
            .stage(
                Stage::new("Discover")
                    .touchpoint(Touchpoint::new("window", "Shop window", Channel::Store))
                    .touchpoint(Touchpoint::new("site", "Website", Channel::Web)),
            )
            .stage(Stage::new("Buy").touchpoint(
                Touchpoint::new("cashier", "Cashier", Channel::Web).moment_of_truth(true),
            ))
    }

    #[test]
    fn numbers_touchpoints_in_journey_order() {
        let journey = two_stages().build().unwrap();
        let ids: Vec<_> = journey.touchpoints().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["window", "site", "cashier"]);
        assert_eq!(
            journey.position_of("cashier"),
            Some(TouchpointPosition { index: 2, stage: 1 })
        );
        assert_eq!(journey.stage_of(1), Some(0));
        assert_eq!(journey.first_touchpoint().id, "window");
        assert_eq!(journey.last_touchpoint().id, "cashier");
        assert!(journey.is_first(0) && !journey.is_first(1));
        assert!(journey.is_last(2) && !journey.is_last(1));
        assert_eq!(
            journey.find("site").map(|t| t.channel.clone()),
            Some(Channel::Web)
        );
        assert!(journey.find("nope").is_none());
        assert!(journey.touchpoint(3).is_none());
    }

    #[test]
    fn rejects_an_empty_journey() {
        let error = Journey::builder("Nothing", Scale::LIKERT_5)
            .build()
            .unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::NoStages {
                journey: "Nothing".into()
            }
        );
    }

    #[test]
    fn rejects_a_stage_without_touchpoints() {
        let error = two_stages().stage(Stage::new("Leave")).build().unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::EmptyStage {
                stage: "Leave".into()
            }
        );
        assert_eq!(
            error.to_string(),
            r#"stage "Leave" has no touchpoint; expected at least one"#
        );
    }

    #[test]
    fn rejects_duplicate_touchpoint_ids_naming_both_stages() {
        let error = two_stages()
            .stage(Stage::new("Use").touchpoint(Touchpoint::new(
                "site",
                "Website again",
                Channel::Web,
            )))
            .build()
            .unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::DuplicateTouchpoint {
                id: "site".into(),
                first_stage: "Discover".into(),
                second_stage: "Use".into(),
            }
        );
    }

    #[test]
    fn rejects_duplicate_and_empty_stage_names() {
        let error = two_stages()
            .stage(Stage::new("Buy").touchpoint(Touchpoint::new("x", "X", Channel::Web)))
            .build()
            .unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::DuplicateStage {
                stage: "Buy".into()
            }
        );
        let error = two_stages()
            .stage(Stage::new(" ").touchpoint(Touchpoint::new("x", "X", Channel::Web)))
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::EmptyStageName { position: 3 });
    }

    #[test]
    fn rejects_an_empty_touchpoint_id() {
        let error = two_stages()
            .stage(
                Stage::new("Use")
                    .touchpoint(Touchpoint::new("ok", "Ok", Channel::Web))
                    .touchpoint(Touchpoint::new("", "Nameless", Channel::Web)),
            )
            .build()
            .unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::EmptyTouchpointId {
                stage: "Use".into(),
                position: 2
            }
        );
    }

    #[test]
    fn rejects_a_target_outside_the_scale() {
        let error = two_stages()
            .stage(
                Stage::new("Use")
                    .touchpoint(Touchpoint::new("use", "Use", Channel::Web).target(6.0)),
            )
            .build()
            .unwrap_err();
        assert_eq!(error, Scale::LIKERT_5.out_of_scale(6.0).at("use", "target"));
        assert!(error.is_journey() && error.is_scale());
        assert_eq!(
            error.to_string(),
            r#"touchpoint "use": field "target": rating 6 is outside the scale 1..=5"#
        );
        let na_scale = Scale::LIKERT_5.with_not_applicable(0.0).unwrap();
        let error = Journey::builder("J", na_scale)
            .stage(Stage::new("S").touchpoint(Touchpoint::new("t", "T", Channel::Web).target(0.0)))
            .build()
            .unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::NotApplicable { .. }));
        assert_eq!(error.position().map(Position::field), Some("target"));
        let error = Journey::builder("J", Scale::LIKERT_5)
            .stage(
                Stage::new("S")
                    .touchpoint(Touchpoint::new("t", "T", Channel::Web).target(f64::NAN)),
            )
            .build()
            .unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::NotFinite { .. }));
        assert_eq!(error.position().map(Position::touchpoint), Some("t"));
    }

    #[test]
    fn rejects_control_characters_in_names_and_ids() {
        let touchpoint = |id: &str, name: &str| Touchpoint::new(id, name, Channel::Web);
        for (journey, what) in [
            (
                Journey::builder("Shop\0", Scale::LIKERT_5)
                    .stage(Stage::new("Use").touchpoint(touchpoint("use", "Use"))),
                "journey name",
            ),
            (
                Journey::builder("Shop", Scale::LIKERT_5)
                    .stage(Stage::new("U\nse").touchpoint(touchpoint("use", "Use"))),
                "stage name",
            ),
            (
                Journey::builder("Shop", Scale::LIKERT_5)
                    .stage(Stage::new("Use").touchpoint(touchpoint("u\u{1b}se", "Use"))),
                "touchpoint id",
            ),
            (
                Journey::builder("Shop", Scale::LIKERT_5)
                    .stage(Stage::new("Use").touchpoint(touchpoint("use", "U\tse"))),
                "touchpoint name",
            ),
        ] {
            let error = journey.build().unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::ControlCharacter { what: found, .. } if *found == what),
                "{error}"
            );
            assert!(
                error
                    .to_string()
                    .contains("holds a control character; expected printable text")
            );
        }
    }

    #[test]
    fn rejects_negative_and_non_finite_weights() {
        for weight in [-0.5, f64::NAN, f64::INFINITY, 1e308, 1_000_000.5] {
            let error = two_stages()
                .stage(
                    Stage::new("Use")
                        .touchpoint(Touchpoint::new("use", "Use", Channel::Web).weight(weight)),
                )
                .build()
                .unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::InvalidWeight { .. })
                    && error.position().map(Position::touchpoint) == Some("use"),
                "weight {weight}: {error}"
            );
        }
        // Zero is allowed: a touchpoint can be tracked without counting.
        two_stages()
            .stage(
                Stage::new("Use")
                    .touchpoint(Touchpoint::new("use", "Use", Channel::Web).weight(0.0)),
            )
            .build()
            .unwrap();
    }

    #[test]
    fn serde_round_trip_and_validation() {
        let journey = two_stages().build().unwrap();
        let json = serde_json::to_string(&journey).unwrap();
        let back: Journey = serde_json::from_str(&json).unwrap();
        assert_eq!(back, journey);
        assert_eq!(back.position_of("cashier").map(|p| p.index), Some(2));

        let duplicate = r#"{"name":"J","scale":{"min":1,"max":5},"stages":[
            {"name":"A","touchpoints":[{"id":"x","name":"X","channel":"app"}]},
            {"name":"B","touchpoints":[{"id":"x","name":"X2","channel":"app"}]}]}"#;
        let error = serde_json::from_str::<Journey>(duplicate).unwrap_err();
        assert!(
            error
                .to_string()
                .contains(r#"touchpoint id "x" is used twice"#),
            "{error}"
        );
    }

    #[test]
    fn touchpoint_defaults_when_deserialized() {
        let touchpoint: Touchpoint =
            serde_json::from_str(r#"{"id":"x","name":"X","channel":"web"}"#).unwrap();
        assert_eq!(touchpoint, Touchpoint::new("x", "X", Channel::Web));
        assert_eq!(touchpoint.weight, 1.0);
        let unknown = serde_json::from_str::<Touchpoint>(
            r#"{"id":"x","name":"X","channel":"web","wieght":2}"#,
        );
        assert!(
            unknown
                .unwrap_err()
                .to_string()
                .contains("unknown field `wieght`")
        );
    }
}
