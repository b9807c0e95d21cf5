//! The chat platforms Steward speaks to.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A chat platform. Each has one adapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// Telegram Bot API.
    Telegram,
    /// OneBot v11 (QQ through NapCat, Lagrange, LLOneBot, ...).
    Onebot,
    /// Matrix client-server API.
    Matrix,
    /// The generic HTTP platform: any system that pushes events to
    /// `/api/v1/ingest` and pulls or receives actions.
    Http,
}

impl Platform {
    /// Every platform, in a stable order.
    pub const ALL: [Platform; 4] = [
        Platform::Telegram,
        Platform::Onebot,
        Platform::Matrix,
        Platform::Http,
    ];

    /// The lowercase name used in the API, the config and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Telegram => "telegram",
            Platform::Onebot => "onebot",
            Platform::Matrix => "matrix",
            Platform::Http => "http",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A platform name that Steward does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown platform `{0}`, expected one of telegram, onebot, matrix, http")]
pub struct UnknownPlatform(pub String);

impl FromStr for Platform {
    type Err = UnknownPlatform;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownPlatform(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Platform::ALL {
            assert_eq!(p.as_str().parse::<Platform>().unwrap(), p);
        }
        assert!("icq".parse::<Platform>().is_err());
    }
}
