//! The emotions a touchpoint leaves behind.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, ErrorKind};

/// Whether an emotion is pleasant or unpleasant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Valence {
    /// A pleasant emotion, such as `pleased` or `trusting`.
    Positive,
    /// An unpleasant emotion, such as `rushed` or `frustrated`.
    Negative,
}

macro_rules! emotions {
    ($($variant:ident => $name:literal, $valence:ident;)+) => {
        /// One of the eighteen emotions a customer can report for a touchpoint:
        /// ten positive and eight negative.
        ///
        /// Parsing ignores case and treats spaces, underscores and hyphens alike,
        /// so `"cared for"`, `"cared_for"` and `"Cared-For"` are the same emotion.
        /// It serializes as its snake_case name (`"cared_for"`) and displays as
        /// words (`"cared for"`).
        ///
        /// ```
        /// use cx_model::{Emotion, Valence};
        ///
        /// let emotion: Emotion = "Cared-For".parse()?;
        /// assert_eq!(emotion, Emotion::CaredFor);
        /// assert_eq!(emotion.valence(), Valence::Positive);
        /// assert_eq!(emotion.to_string(), "cared for");
        /// assert!("grumpy".parse::<Emotion>().is_err());
        /// # Ok::<(), cx_model::Error>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Emotion {
            $(
                #[doc = concat!("The customer felt ", $name, ".")]
                $variant,
            )+
        }

        impl Emotion {
            /// Every emotion: the positive ones first, then the negative ones.
            pub const ALL: [Emotion; 18] = [$(Emotion::$variant),+];

            /// The emotion's name in words, e.g. `"cared for"`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Emotion::$variant => $name,)+
                }
            }

            /// Whether the emotion is positive or negative.
            pub fn valence(self) -> Valence {
                match self {
                    $(Emotion::$variant => Valence::$valence,)+
                }
            }
        }
    };
}

emotions! {
    Energized => "energized", Positive;
    Pleased => "pleased", Positive;
    Stimulated => "stimulated", Positive;
    Interested => "interested", Positive;
    Exploring => "exploring", Positive;
    Trusting => "trusting", Positive;
    Secure => "secure", Positive;
    Valued => "valued", Positive;
    CaredFor => "cared for", Positive;
    Happy => "happy", Positive;
    Rushed => "rushed", Negative;
    Unhappy => "unhappy", Negative;
    Disappointed => "disappointed", Negative;
    Frustrated => "frustrated", Negative;
    Dissatisfied => "dissatisfied", Negative;
    Abandoned => "abandoned", Negative;
    Stressed => "stressed", Negative;
    Irritated => "irritated", Negative;
}

impl Emotion {
    /// The position of the emotion in [`Emotion::ALL`], for dense per-emotion tables.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The emotion whose name is exactly `text`, as written in words or in
    /// snake_case; the quick first try of parsing.
    fn from_exact_name(text: &str) -> Option<Emotion> {
        Emotion::ALL
            .into_iter()
            .find(|emotion| emotion.name() == text || emotion.snake_case_name() == text)
    }

    /// The snake_case name used in serialized data, e.g. `"cared_for"`.
    pub fn snake_case_name(self) -> &'static str {
        match self {
            Emotion::CaredFor => "cared_for",
            other => other.name(),
        }
    }
}

/// Whether `text` names `name`, ignoring case and treating `_`, `-` and runs of
/// white space as one space, without allocating.
fn names(text: &str, name: &str) -> bool {
    let mut words = text
        .split(|c: char| c == '_' || c == '-' || c.is_whitespace())
        .filter(|word| !word.is_empty());
    let mut expected = name.split(' ');
    loop {
        match (words.next(), expected.next()) {
            (None, None) => return true,
            (Some(word), Some(want)) if word.eq_ignore_ascii_case(want) => {}
            _ => return false,
        }
    }
}

impl FromStr for Emotion {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        // The usual spellings first, without splitting into words: the
        // name as written, then in any case.
        let exact = Emotion::from_exact_name(text).or_else(|| {
            Emotion::ALL.into_iter().find(|emotion| {
                emotion.name().eq_ignore_ascii_case(text)
                    || emotion.snake_case_name().eq_ignore_ascii_case(text)
            })
        });
        if let Some(emotion) = exact {
            return Ok(emotion);
        }
        Emotion::ALL
            .into_iter()
            .find(|emotion| names(text, emotion.name()))
            .ok_or_else(|| {
                static EXPECTED: LazyLock<String> =
                    LazyLock::new(|| Emotion::ALL.map(Emotion::name).join(", "));
                ErrorKind::UnknownEmotion {
                    text: text.to_owned(),
                    expected: EXPECTED.as_str(),
                }
                .into()
            })
    }
}

impl fmt::Display for Emotion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl Serialize for Emotion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.snake_case_name())
    }
}

impl<'de> Deserialize<'de> for Emotion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_positive_and_eight_negative() {
        let positive = Emotion::ALL
            .iter()
            .filter(|e| e.valence() == Valence::Positive)
            .count();
        assert_eq!((positive, Emotion::ALL.len() - positive), (10, 8));
    }

    #[test]
    fn index_matches_position_in_all() {
        for (position, emotion) in Emotion::ALL.into_iter().enumerate() {
            assert_eq!(emotion.index(), position);
        }
    }

    #[test]
    fn parses_every_spelling_of_a_two_word_emotion() {
        for text in [
            "cared for",
            "cared_for",
            "Cared-For",
            "  CARED   for ",
            "cared__for",
        ] {
            assert_eq!(text.parse::<Emotion>(), Ok(Emotion::CaredFor), "{text:?}");
        }
        assert!("caredfor".parse::<Emotion>().is_err());
        assert!("cared".parse::<Emotion>().is_err());
        assert!("cared for you".parse::<Emotion>().is_err());
    }

    #[test]
    fn every_name_parses_back() {
        for emotion in Emotion::ALL {
            assert_eq!(emotion.name().parse::<Emotion>(), Ok(emotion));
            assert_eq!(emotion.snake_case_name().parse::<Emotion>(), Ok(emotion));
            assert_eq!(
                emotion.to_string().to_uppercase().parse::<Emotion>(),
                Ok(emotion)
            );
        }
    }

    #[test]
    fn unknown_word_lists_the_valid_ones() {
        let error = "grumpy".parse::<Emotion>().unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with(r#"unknown emotion "grumpy"; expected one of: energized, "#));
        for emotion in Emotion::ALL {
            assert!(
                message.contains(emotion.name()),
                "{message} lacks {emotion}"
            );
        }
        assert!("".parse::<Emotion>().is_err());
    }

    #[test]
    fn serializes_as_snake_case() {
        assert_eq!(
            serde_json::to_string(&Emotion::CaredFor).unwrap(),
            r#""cared_for""#
        );
        assert_eq!(
            serde_json::from_str::<Emotion>(r#""Cared For""#).unwrap(),
            Emotion::CaredFor
        );
        let error = serde_json::from_str::<Emotion>(r#""meh""#).unwrap_err();
        assert!(error.to_string().contains(r#"unknown emotion "meh""#));
    }
}
