//! Contact channels.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The medium through which a customer meets a touchpoint.
///
/// Parsing never fails: the known names are matched case-insensitively and
/// anything else is kept, trimmed, as [`Channel::Other`].
///
/// ```
/// use cx_model::Channel;
///
/// assert_eq!("Web".parse::<Channel>(), Ok(Channel::Web));
/// assert_eq!("kiosk".parse::<Channel>(), Ok(Channel::Other("kiosk".into())));
/// assert_eq!(Channel::Store.to_string(), "store");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// A website.
    Web,
    /// A mobile or desktop app.
    App,
    /// A phone call.
    Phone,
    /// Email.
    Email,
    /// Live or automated chat.
    Chat,
    /// A physical shop or branch.
    Store,
    /// Delivery to the customer.
    Delivery,
    /// Social media.
    Social,
    /// Any other channel, by name.
    Other(String),
}

impl Channel {
    /// The built-in channels, in declaration order.
    pub const KNOWN: [Channel; 8] = [
        Channel::Web,
        Channel::App,
        Channel::Phone,
        Channel::Email,
        Channel::Chat,
        Channel::Store,
        Channel::Delivery,
        Channel::Social,
    ];

    /// The channel's name: the snake_case name of a built-in one, or the
    /// text of [`Channel::Other`].
    pub fn as_str(&self) -> &str {
        match self {
            Channel::Web => "web",
            Channel::App => "app",
            Channel::Phone => "phone",
            Channel::Email => "email",
            Channel::Chat => "chat",
            Channel::Store => "store",
            Channel::Delivery => "delivery",
            Channel::Social => "social",
            Channel::Other(name) => name,
        }
    }
}

impl FromStr for Channel {
    type Err = Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let exact = match text {
            "web" => Some(Channel::Web),
            "app" => Some(Channel::App),
            "phone" => Some(Channel::Phone),
            "email" => Some(Channel::Email),
            "chat" => Some(Channel::Chat),
            "store" => Some(Channel::Store),
            "delivery" => Some(Channel::Delivery),
            "social" => Some(Channel::Social),
            _ => None,
        };
        Ok(exact
            .or_else(|| {
                Channel::KNOWN
                    .into_iter()
                    .find(|known| known.as_str().eq_ignore_ascii_case(text))
            })
            .unwrap_or_else(|| Channel::Other(text.to_owned())))
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for Channel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Channel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        let Ok(channel) = text.parse();
        Ok(channel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_names_case_insensitively_and_keeps_others() {
        assert_eq!(" PHONE ".parse::<Channel>(), Ok(Channel::Phone));
        assert_eq!("Social".parse::<Channel>(), Ok(Channel::Social));
        assert_eq!(
            "Call centre".parse::<Channel>(),
            Ok(Channel::Other("Call centre".into()))
        );
    }

    #[test]
    fn every_known_name_parses_back() {
        for known in Channel::KNOWN {
            assert_eq!(known.as_str().parse::<Channel>(), Ok(known.clone()));
            assert_eq!(known.as_str().to_uppercase().parse::<Channel>(), Ok(known));
        }
    }

    #[test]
    fn display_honours_width() {
        assert_eq!(format!("[{:<6}]", Channel::Web), "[web   ]");
        assert_eq!(
            format!("[{:>5}]", Channel::Other("kiosk".into())),
            "[kiosk]"
        );
    }

    #[test]
    fn serializes_as_its_name() {
        assert_eq!(
            serde_json::to_string(&Channel::Delivery).unwrap(),
            r#""delivery""#
        );
        assert_eq!(
            serde_json::to_string(&Channel::Other("kiosk".into())).unwrap(),
            r#""kiosk""#
        );
        for channel in Channel::KNOWN {
            let json = serde_json::to_string(&channel).unwrap();
            assert_eq!(serde_json::from_str::<Channel>(&json).unwrap(), channel);
        }
    }
}
