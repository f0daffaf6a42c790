//! Answers to yes/no questions, and the three loyalty questions that
//! close a journey survey.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};

/// An answer to a yes/no question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Yes.
    Yes,
    /// No.
    No,
    /// The question was skipped or not asked.
    #[default]
    NotAnswered,
}

impl Answer {
    /// `Some(true)` for yes, `Some(false)` for no, `None` when not answered.
    pub fn as_bool(self) -> Option<bool> {
        match self {
            Answer::Yes => Some(true),
            Answer::No => Some(false),
            Answer::NotAnswered => None,
        }
    }
}

impl From<bool> for Answer {
    fn from(yes: bool) -> Self {
        if yes { Answer::Yes } else { Answer::No }
    }
}

impl From<Option<bool>> for Answer {
    fn from(answer: Option<bool>) -> Self {
        answer.map_or(Answer::NotAnswered, Answer::from)
    }
}

impl FromStr for Answer {
    type Err = Error;

    /// Reads `yes`/`no`, `true`/`false`, `y`/`n` and `1`/`0`, ignoring case and
    /// surrounding white space; empty text is [`Answer::NotAnswered`].
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        const YES: [&str; 4] = ["yes", "true", "y", "1"];
        const NO: [&str; 4] = ["no", "false", "n", "0"];
        let trimmed = text.trim();
        if trimmed.is_empty() {
            Ok(Answer::NotAnswered)
        } else if YES.iter().any(|yes| yes.eq_ignore_ascii_case(trimmed)) {
            Ok(Answer::Yes)
        } else if NO.iter().any(|no| no.eq_ignore_ascii_case(trimmed)) {
            Ok(Answer::No)
        } else {
            Err(ErrorKind::InvalidAnswer {
                text: text.to_owned(),
            }
            .into())
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::NotAnswered => "",
        })
    }
}

/// The three loyalty questions that close a journey survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoyaltyQuestion {
    /// Were your expectations met?
    ExpectationsMet,
    /// Would you come back?
    WouldReturn,
    /// Would you recommend us?
    WouldRecommend,
}

impl LoyaltyQuestion {
    /// The three questions in the order they are asked.
    pub const ALL: [LoyaltyQuestion; 3] = [
        LoyaltyQuestion::ExpectationsMet,
        LoyaltyQuestion::WouldReturn,
        LoyaltyQuestion::WouldRecommend,
    ];

    /// The position of the question in [`LoyaltyQuestion::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The snake_case name, as used for columns and fields.
    pub fn name(self) -> &'static str {
        match self {
            LoyaltyQuestion::ExpectationsMet => "expectations_met",
            LoyaltyQuestion::WouldReturn => "would_return",
            LoyaltyQuestion::WouldRecommend => "would_recommend",
        }
    }

    /// The question as a respondent reads it.
    pub fn question(self) -> &'static str {
        match self {
            LoyaltyQuestion::ExpectationsMet => "Were your expectations met?",
            LoyaltyQuestion::WouldReturn => "Would you come back?",
            LoyaltyQuestion::WouldRecommend => "Would you recommend us?",
        }
    }
}

impl fmt::Display for LoyaltyQuestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_spellings() {
        for yes in ["yes", "YES", " y ", "True", "1"] {
            assert_eq!(yes.parse::<Answer>(), Ok(Answer::Yes), "{yes:?}");
        }
        for no in ["no", "N", "false", "0"] {
            assert_eq!(no.parse::<Answer>(), Ok(Answer::No), "{no:?}");
        }
        assert_eq!("".parse::<Answer>(), Ok(Answer::NotAnswered));
        assert_eq!("  ".parse::<Answer>(), Ok(Answer::NotAnswered));
        let error = "maybe".parse::<Answer>().unwrap_err();
        assert_eq!(
            error.to_string(),
            r#""maybe" is not a yes/no answer; expected yes/no, true/false, y/n, 1/0 or empty"#
        );
    }

    #[test]
    fn answer_from_bool() {
        assert_eq!(Answer::from(true), Answer::Yes);
        assert_eq!(Answer::from(Some(false)), Answer::No);
        assert_eq!(Answer::from(None), Answer::NotAnswered);
        assert_eq!(Answer::No.as_bool(), Some(false));
    }
}
