//! The three loyalty questions.

use cx_model::{Answer, LoyaltyQuestion, OutcomeRecord};
use serde::{Deserialize, Serialize};

use crate::stats::ShareStats;
use crate::tally::Tally;

/// Counts the answers to the three loyalty questions.
///
/// ```
/// use cx_model::{Answer, LoyaltyQuestion, Outcome};
/// use cx_score::{LoyaltyAccumulator, Verdict};
///
/// let mut loyalty = LoyaltyAccumulator::default();
/// for answer in [Answer::Yes, Answer::Yes, Answer::No] {
///     loyalty.push(&Outcome::new("r").with_answer(LoyaltyQuestion::WouldReturn, answer));
/// }
/// let score = loyalty.finish(0.95, 0.90, 30);
/// assert_eq!(score.question(LoyaltyQuestion::WouldReturn).yes.share, Some(2.0 / 3.0));
/// // Three answers are below the minimum sample of 30: nothing is concluded.
/// assert_eq!(score.verdict, Verdict::Inconclusive);
/// assert!(!score.point_rule_on_track);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct LoyaltyAccumulator<T: Tally = u64> {
    /// Per question, in [`LoyaltyQuestion::ALL`] order: yes, no, not answered.
    answers: [[T; 3]; 3],
    /// Respondents who answered all three.
    answered_all: T,
    /// Respondents who answered yes to all three.
    yes_to_all: T,
}

impl LoyaltyAccumulator {
    /// Counts one respondent's answers.
    pub fn push<O: OutcomeRecord + ?Sized>(&mut self, outcome: &O) {
        self.push_unit(outcome, ());
    }
}

impl<T: Tally> LoyaltyAccumulator<T> {
    /// Counts one respondent's answers with `unit`, the respondent's
    /// weight (nothing, unweighted).
    pub fn push_unit<O: OutcomeRecord + ?Sized>(&mut self, outcome: &O, unit: T::Unit) {
        let mut answered = 0;
        let mut yes = 0;
        for (counts, question) in self.answers.iter_mut().zip(LoyaltyQuestion::ALL) {
            let slot = match outcome.answer(question) {
                Answer::Yes => {
                    answered += 1;
                    yes += 1;
                    0
                }
                Answer::No => {
                    answered += 1;
                    1
                }
                Answer::NotAnswered => 2,
            };
            counts[slot].add(unit);
        }
        if answered == 3 {
            self.answered_all.add(unit);
            if yes == 3 {
                self.yes_to_all.add(unit);
            }
        }
    }

    /// Adds everything `other` has counted.
    pub fn merge(&mut self, other: &LoyaltyAccumulator<T>) {
        for (mine, theirs) in self.answers.iter_mut().zip(&other.answers) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.merge(b);
            }
        }
        self.answered_all.merge(&other.answered_all);
        self.yes_to_all.merge(&other.yes_to_all);
    }

    /// Checks that every question counts `outcomes` answers (yes, no or
    /// not answered), and that those who said yes to all three answered
    /// all three, as a state from elsewhere might not.
    pub(crate) fn check(&self, outcomes: u64) -> Result<(), String> {
        let answered = |counts: &[T; 3]| {
            counts
                .iter()
                .try_fold(0u64, |sum, n| sum.checked_add(n.count()))
        };
        if let Some(question) = LoyaltyQuestion::ALL
            .into_iter()
            .find(|question| answered(&self.answers[question.index()]) != Some(outcomes))
        {
            return Err(format!(
                "loyalty question {question} does not count its {outcomes} outcomes"
            ));
        }
        let (yes_to_all, answered_all) = (self.yes_to_all.count(), self.answered_all.count());
        if !(yes_to_all <= answered_all && answered_all <= outcomes) {
            return Err(
                "its loyalty counts break the rule yes to all <= answered all <= outcomes".into(),
            );
        }
        Ok(())
    }

    /// The shares, intervals and verdicts against `target`; a question
    /// answered by fewer than `min_sample` respondents (an effective
    /// sample below it, weighted) is inconclusive whatever its interval
    /// says.
    pub fn finish(&self, confidence: f64, target: f64, min_sample: u64) -> LoyaltyScore {
        let questions = LoyaltyQuestion::ALL.map(|question| {
            let [yes, no, not_answered] = self.answers[question.index()];
            let mut answered = yes;
            answered.merge(&no);
            let share = ShareStats::of(&yes, &answered, confidence);
            QuestionScore {
                question,
                yes: share,
                no: no.count(),
                not_answered: not_answered.count(),
                verdict: Verdict::of(&share, target, min_sample),
            }
        });
        let point_rule_on_track = questions
            .iter()
            .all(|q| q.yes.share.is_some_and(|share| share > target));
        LoyaltyScore {
            target,
            min_sample,
            questions,
            yes_to_all: ShareStats::of(&self.yes_to_all, &self.answered_all, confidence),
            verdict: Verdict::headline(questions.map(|q| q.verdict)),
            point_rule_on_track,
        }
    }
}

/// Whether a loyalty question is on track, judged with its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The whole interval is at or above the target: lower bound `>= target`.
    OnTrack,
    /// The whole interval is below the target: upper bound `< target`.
    OffTrack,
    /// The interval straddles the target, or fewer respondents than the
    /// minimum sample answered: more data needed.
    Inconclusive,
    /// Nobody answered the question.
    NoData,
}

impl Verdict {
    /// `"on track"`, `"off track"`, `"inconclusive"` or `"no data"`.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::OnTrack => "on track",
            Verdict::OffTrack => "off track",
            Verdict::Inconclusive => "inconclusive",
            Verdict::NoData => "no data",
        }
    }

    fn of(share: &ShareStats, target: f64, min_sample: u64) -> Verdict {
        match share.ci {
            None => Verdict::NoData,
            Some(_) if share.sample_size() < min_sample as f64 => Verdict::Inconclusive,
            Some(ci) if ci.lower >= target => Verdict::OnTrack,
            Some(ci) if ci.upper < target => Verdict::OffTrack,
            Some(_) => Verdict::Inconclusive,
        }
    }

    /// The verdict on all three questions from each one's: no data when
    /// none was answered; on track only when every one is; off track when
    /// any one is (one question clearly short of the target is enough);
    /// inconclusive otherwise.
    fn headline(questions: [Verdict; 3]) -> Verdict {
        if questions.iter().all(|&v| v == Verdict::NoData) {
            Verdict::NoData
        } else if questions.iter().all(|&v| v == Verdict::OnTrack) {
            Verdict::OnTrack
        } else if questions.contains(&Verdict::OffTrack) {
            Verdict::OffTrack
        } else {
            Verdict::Inconclusive
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// One loyalty question's result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QuestionScore {
    /// Which question.
    pub question: LoyaltyQuestion,
    /// Share answering yes among those who answered, with its Wilson interval.
    pub yes: ShareStats,
    /// How many answered no.
    pub no: u64,
    /// How many did not answer.
    pub not_answered: u64,
    /// On track, off track, inconclusive or no data, from the interval
    /// and the minimum sample.
    pub verdict: Verdict,
}

/// The three loyalty questions together.
///
/// [`verdict`](Self::verdict) is the headline, judged with the uncertainty:
/// on track only when every question's Wilson lower bound is at or above
/// the target (0.90 by default) and each was answered by at least the
/// minimum sample; off track when any question's upper bound is below the
/// target; no data when nobody answered; inconclusive otherwise.
///
/// [`point_rule_on_track`](Self::point_rule_on_track) is the practitioners'
/// simple rule beside it: every question's yes share strictly above the
/// target, whatever the sample size (one respondent who said yes three
/// times passes it). A question nobody answered makes it `false`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LoyaltyScore {
    /// The target share of yes.
    pub target: f64,
    /// Below this many answers a question is inconclusive.
    pub min_sample: u64,
    /// The questions, in [`LoyaltyQuestion::ALL`] order.
    pub questions: [QuestionScore; 3],
    /// Share answering yes to all three, among those who answered all three.
    pub yes_to_all: ShareStats,
    /// The headline verdict, from the three questions' verdicts.
    pub verdict: Verdict,
    /// The point rule: whether every question's share is above the target.
    pub point_rule_on_track: bool,
}

impl LoyaltyScore {
    /// The result of one question.
    pub fn question(&self, question: LoyaltyQuestion) -> &QuestionScore {
        &self.questions[question.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cx_model::Outcome;

    fn outcome(answers: [Answer; 3]) -> Outcome {
        LoyaltyQuestion::ALL
            .into_iter()
            .zip(answers)
            .fold(Outcome::new("r"), |outcome, (q, a)| {
                outcome.with_answer(q, a)
            })
    }

    #[test]
    fn weighted_shares_and_the_guard_on_the_effective_sample() {
        use crate::WeightSum;
        use cx_model::Weight;
        // Would return: yes (weight 1), yes (1), no (4). By hand: p = 2/6,
        // n_eff = 6² / (1 + 1 + 16) = 2, below a minimum sample of 3 that
        // the three respondents would meet unweighted.
        let mut loyalty = LoyaltyAccumulator::<WeightSum>::default();
        for (answer, weight) in [(Answer::Yes, 1.0), (Answer::Yes, 1.0), (Answer::No, 4.0)] {
            let outcome = Outcome::new("r").with_answer(LoyaltyQuestion::WouldReturn, answer);
            loyalty.push_unit(&outcome, Weight::new(weight).unwrap());
        }
        let score = loyalty.finish(0.95, 0.90, 3);
        let question = score.question(LoyaltyQuestion::WouldReturn);
        assert_eq!((question.yes.count, question.yes.n, question.no), (2, 3, 1));
        assert_eq!(question.yes.share, Some(2.0 / 6.0));
        assert_eq!(question.yes.sample_size(), 2.0);
        assert_eq!(question.verdict, Verdict::Inconclusive);
        // Two effective answers make a wider interval than three would.
        let ci = question.yes.ci.unwrap();
        let at_two = ShareStats::new(1, 3, 0.95);
        assert!(
            ci.lower < at_two.ci.unwrap().lower,
            "wider than at n = 3: {ci:?}"
        );
        let unweighted = {
            let mut plain = LoyaltyAccumulator::default();
            for answer in [Answer::Yes, Answer::Yes, Answer::No] {
                plain.push(&Outcome::new("r").with_answer(LoyaltyQuestion::WouldReturn, answer));
            }
            plain.finish(0.95, 0.0, 3)
        };
        // Unweighted, the three answers meet the minimum sample.
        assert_eq!(
            unweighted.question(LoyaltyQuestion::WouldReturn).verdict,
            Verdict::OnTrack
        );
    }

    proptest::proptest! {
        #[test]
        fn prop_unit_weights_give_the_unweighted_loyalty(
            answers in proptest::collection::vec(proptest::array::uniform3(0u8..3), 0..40),
        ) {
            let answer = |code: u8| [Answer::Yes, Answer::No, Answer::NotAnswered][usize::from(code)];
            let mut plain = LoyaltyAccumulator::default();
            let mut weighted = LoyaltyAccumulator::<crate::WeightSum>::default();
            for codes in &answers {
                let outcome = outcome(codes.map(answer));
                plain.push(&outcome);
                weighted.push_unit(&outcome, cx_model::Weight::ONE);
            }
            let (a, b) = (plain.finish(0.95, 0.9, 5), weighted.finish(0.95, 0.9, 5));
            let strip = |share: ShareStats| ShareStats { weighted: None, ..share };
            proptest::prop_assert_eq!(strip(b.yes_to_all), a.yes_to_all);
            for (x, y) in a.questions.iter().zip(&b.questions) {
                proptest::prop_assert_eq!(x.verdict, y.verdict);
                proptest::prop_assert_eq!(strip(y.yes), x.yes);
                proptest::prop_assert_eq!(
                    x.yes.share.map(f64::to_bits), y.yes.share.map(f64::to_bits)
                );
            }
            proptest::prop_assert_eq!(a.verdict, b.verdict);
        }
    }

    #[test]
    fn hand_counted_answers() {
        use Answer::{No, NotAnswered as Skip, Yes};
        let mut loyalty = LoyaltyAccumulator::default();
        for answers in [
            [Yes, Yes, Yes],
            [Yes, No, Yes],
            [No, Skip, Yes],
            [Yes, Yes, Skip],
        ] {
            loyalty.push(&outcome(answers));
        }
        let score = loyalty.finish(0.95, 0.90, 0);
        // expectations met: yes 3 of 4; would return: 2 of 3 (one skipped); recommend: 3 of 3.
        let met = score.question(LoyaltyQuestion::ExpectationsMet);
        assert_eq!(
            (met.yes.count, met.yes.n, met.no, met.not_answered),
            (3, 4, 1, 0)
        );
        let back = score.question(LoyaltyQuestion::WouldReturn);
        assert_eq!((back.yes.count, back.yes.n, back.not_answered), (2, 3, 1));
        let recommend = score.question(LoyaltyQuestion::WouldRecommend);
        assert_eq!(recommend.yes.share, Some(1.0));
        // Only the first two answered all three (the third skipped "come back",
        // the fourth "recommend"); only the first said yes to all.
        assert_eq!((score.yes_to_all.count, score.yes_to_all.n), (1, 2));
        assert!(!score.point_rule_on_track);
        assert_eq!(score.verdict, Verdict::Inconclusive);
        // 3 of 3: Wilson interval 0.438503..1, straddles 0.90.
        assert_eq!(recommend.verdict, Verdict::Inconclusive);
    }

    #[test]
    fn on_track_needs_every_share_strictly_above_target() {
        let mut loyalty = LoyaltyAccumulator::default();
        // 9 yes and 1 no to every question: exactly 0.90, not above.
        for i in 0..10 {
            let answer = if i == 0 { Answer::No } else { Answer::Yes };
            loyalty.push(&outcome([answer; 3]));
        }
        assert!(!loyalty.finish(0.95, 0.90, 0).point_rule_on_track);
        loyalty.push(&outcome([Answer::Yes; 3]));
        // 10 of 11 = 0.909 > 0.90.
        let score = loyalty.finish(0.95, 0.90, 0);
        assert!(score.point_rule_on_track);
        // But the interval is wide: inconclusive, not on track.
        assert!(
            score
                .questions
                .iter()
                .all(|q| q.verdict == Verdict::Inconclusive)
        );
        assert_eq!(score.verdict, Verdict::Inconclusive);
    }

    #[test]
    fn verdicts_from_the_interval() {
        let mut many = LoyaltyAccumulator::default();
        for i in 0..1000 {
            let answer = if i < 980 { Answer::Yes } else { Answer::No };
            // 98% yes to the first; 50% to the second; the third not asked.
            let second = if i % 2 == 0 { Answer::Yes } else { Answer::No };
            many.push(&outcome([answer, second, Answer::NotAnswered]));
        }
        let score = many.finish(0.95, 0.90, 30);
        assert_eq!(score.questions[0].verdict, Verdict::OnTrack);
        assert_eq!(score.questions[1].verdict, Verdict::OffTrack);
        assert_eq!(score.questions[2].verdict, Verdict::NoData);
        assert!(
            !score.point_rule_on_track,
            "an unanswered question is not on track"
        );
        assert_eq!(
            score.verdict,
            Verdict::OffTrack,
            "one question is clearly short"
        );
        assert_eq!(score.yes_to_all.n, 0);
    }

    #[test]
    fn empty() {
        let score = LoyaltyAccumulator::<u64>::default().finish(0.95, 0.90, 30);
        assert!(
            score
                .questions
                .iter()
                .all(|q| q.verdict == Verdict::NoData && q.yes.share.is_none())
        );
        assert_eq!(score.verdict, Verdict::NoData);
        assert!(!score.point_rule_on_track);
    }

    /// The issue's case: one respondent who said yes three times passes the
    /// point rule, but the headline is inconclusive, by the minimum sample
    /// and by the interval (Wilson lower bound of 1 of 1 at 95%:
    /// 1 / (1 + 1.959964²) = 0.206549).
    #[test]
    fn one_yes_is_not_on_track() {
        let mut loyalty = LoyaltyAccumulator::default();
        loyalty.push(&outcome([Answer::Yes; 3]));
        for min_sample in [0, 30] {
            let score = loyalty.finish(0.95, 0.90, min_sample);
            assert!(score.point_rule_on_track);
            assert_eq!(score.verdict, Verdict::Inconclusive);
            let lower = score.questions[0].yes.ci.unwrap().lower;
            assert!((lower - 0.206_549).abs() < 1e-6);
        }
    }

    /// On track needs every question on track and answered by the minimum:
    /// 60 of 60 yes has Wilson lower bound 60 / (60 + 1.959964²) = 0.939828
    /// >= 0.90.
    #[test]
    fn the_headline_follows_the_questions_and_the_minimum() {
        let mut loyalty = LoyaltyAccumulator::default();
        for _ in 0..60 {
            loyalty.push(&outcome([Answer::Yes; 3]));
        }
        let score = loyalty.finish(0.95, 0.90, 30);
        assert!((score.questions[0].yes.ci.unwrap().lower - 0.939_828).abs() < 1e-6);
        assert_eq!(score.verdict, Verdict::OnTrack);
        // The same answers under a minimum of 61: every question inconclusive.
        let score = loyalty.finish(0.95, 0.90, 61);
        assert!(
            score
                .questions
                .iter()
                .all(|q| q.verdict == Verdict::Inconclusive)
        );
        assert_eq!(score.verdict, Verdict::Inconclusive);
        // One question left unanswered by everyone: not on track, not "no data".
        let mut partly = LoyaltyAccumulator::default();
        for _ in 0..60 {
            partly.push(&outcome([Answer::Yes, Answer::Yes, Answer::NotAnswered]));
        }
        let score = partly.finish(0.95, 0.90, 30);
        assert_eq!(score.questions[2].verdict, Verdict::NoData);
        assert_eq!(score.verdict, Verdict::Inconclusive);
    }
}
