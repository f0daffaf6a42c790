//! The page's words and numbers: escaping, shares, thousands separators
//! and the look of a traffic light, the same everywhere on the page.

use cx_score::{EmotionSummary, TrafficLight};

/// Escapes text for HTML element content and attribute values.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The mark of a value that is not there.
pub(super) const NONE: &str = "–";

/// A share as a whole percentage.
pub(super) fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| NONE.to_owned(), |v| format!("{:.0}%", 100.0 * v))
}

/// A signed number with `decimals` places.
pub(super) fn signed(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| NONE.to_owned(), |v| format!("{v:+.decimals$}"))
}

/// A number with `decimals` places.
pub(super) fn fixed(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| NONE.to_owned(), |v| format!("{v:.decimals$}"))
}

/// A count with thousands separators: `12,345`.
pub(super) fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The name of the emotion reported most, `mixed` where two or more tie
/// for the most; `None` where no emotion was reported.
pub(super) fn dominant_emotion(emotions: &EmotionSummary) -> Option<&'static str> {
    match (emotions.dominant, emotions.net) {
        (Some(emotion), _) => Some(emotion.name()),
        (None, Some(_)) => Some("mixed"),
        (None, None) => None,
    }
}

/// How a light looks: its fill and text colours (text on fill at WCAG AA
/// contrast or better), its letter, and its words. Colour is never the only
/// carrier: each light shows its letter and is named in words.
pub(super) struct LightStyle {
    pub fill: &'static str,
    pub text: &'static str,
    pub letter: &'static str,
    pub words: &'static str,
}

/// The look of `light`; no light has the mark the terminal table shows
/// (`light_letter`).
pub(super) fn light_style(light: Option<TrafficLight>, insufficient: bool) -> LightStyle {
    let letter = crate::table::light_letter(light, insufficient);
    match light {
        Some(TrafficLight::Green) => LightStyle {
            fill: "#1a7f37",
            text: "#ffffff",
            letter,
            words: "green: met or exceeded",
        },
        Some(TrafficLight::Yellow) => LightStyle {
            fill: "#f2c12e",
            text: "#1f2328",
            letter,
            words: "yellow: a little short",
        },
        Some(TrafficLight::Red) => LightStyle {
            fill: "#cf222e",
            text: "#ffffff",
            letter,
            words: "red: well short",
        },
        None if insufficient => LightStyle {
            fill: "#d0d7de",
            text: "#1f2328",
            letter,
            words: "no light: too few answers",
        },
        None => LightStyle {
            fill: "#d0d7de",
            text: "#1f2328",
            letter,
            words: "no light: the policy cannot decide",
        },
    }
}

/// A light as a lettered badge, named in its title and, for screen
/// readers, in hidden words.
pub(super) fn badge(light: Option<TrafficLight>, insufficient: bool) -> String {
    let style = light_style(light, insufficient);
    format!(
        r#"<span class="badge" style="background:{};color:{}" title="{}">{}<span class="sr"> ({})</span></span>"#,
        style.fill, style.text, style.words, style.letter, style.words
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc(r#"<a href="x">Tom & 'Jo'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jo&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(129_880), "129,880");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn numbers_and_shares_by_hand() {
        assert_eq!(percent(Some(0.654)), "65%");
        assert_eq!(percent(None), NONE);
        assert_eq!(signed(Some(0.5), 2), "+0.50");
        assert_eq!(signed(Some(-1.25), 1), "-1.2");
        assert_eq!(fixed(Some(2.675_01), 2), "2.68");
    }
}
