//! The catalog of texts Steward shows group members, in Chinese, Russian and
//! English. Code asks for a text by key; it never writes one inline.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A language Steward speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Simplified Chinese.
    Zh,
    /// Russian.
    Ru,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// Every language.
    pub const ALL: [Lang; 3] = [Lang::Zh, Lang::Ru, Lang::En];

    /// The code used in the config and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A language code Steward does not speak.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}`, expected one of zh, ru, en")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| UnknownLang(s.to_owned()))
    }
}

/// A text shown to group members, with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text<'a> {
    /// A member's message was removed for breaking a rule.
    Removed {
        /// The member's name.
        name: &'a str,
        /// The rule's description.
        reason: &'a str,
    },
    /// A member was muted.
    Muted {
        /// The member's name.
        name: &'a str,
        /// How long, already formatted.
        duration: &'a str,
        /// The rule's description.
        reason: &'a str,
    },
    /// A member was banned.
    Banned {
        /// The member's name.
        name: &'a str,
        /// The rule's description.
        reason: &'a str,
    },
}

impl Text<'_> {
    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match (self, lang) {
            (Text::Removed { name, reason }, Lang::Zh) => {
                format!("{name}，你的消息已被删除：{reason}。请遵守群规。")
            }
            (Text::Removed { name, reason }, Lang::Ru) => {
                format!("{name}, ваше сообщение удалено: {reason}. Соблюдайте правила группы.")
            }
            (Text::Removed { name, reason }, Lang::En) => {
                format!(
                    "{name}, your message was removed: {reason}. Please follow the group rules."
                )
            }
            (
                Text::Muted {
                    name,
                    duration,
                    reason,
                },
                Lang::Zh,
            ) => {
                format!("{name} 已被禁言 {duration}：{reason}。")
            }
            (
                Text::Muted {
                    name,
                    duration,
                    reason,
                },
                Lang::Ru,
            ) => {
                format!("{name} не может писать {duration}: {reason}.")
            }
            (
                Text::Muted {
                    name,
                    duration,
                    reason,
                },
                Lang::En,
            ) => {
                format!("{name} is muted for {duration}: {reason}.")
            }
            (Text::Banned { name, reason }, Lang::Zh) => {
                format!("{name} 已被移出本群：{reason}。")
            }
            (Text::Banned { name, reason }, Lang::Ru) => {
                format!("{name} заблокирован(а): {reason}.")
            }
            (Text::Banned { name, reason }, Lang::En) => {
                format!("{name} was banned: {reason}.")
            }
        }
    }
}

/// A duration in minutes, written for people in `lang`.
pub fn duration(minutes: i64, lang: Lang) -> String {
    let (n, unit) = if minutes % (24 * 60) == 0 {
        (minutes / (24 * 60), 2)
    } else if minutes % 60 == 0 {
        (minutes / 60, 1)
    } else {
        (minutes, 0)
    };
    match lang {
        Lang::Zh => format!("{n} {}", ["分钟", "小时", "天"][unit]),
        Lang::En => {
            let word = ["minute", "hour", "day"][unit];
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        }
        Lang::Ru => {
            let forms = [
                ["минуту", "минуты", "минут"],
                ["час", "часа", "часов"],
                ["день", "дня", "дней"],
            ][unit];
            let form = match (n % 10, n % 100) {
                (1, r) if r != 11 => forms[0],
                (2..=4, r) if !(12..=14).contains(&r) => forms[1],
                _ => forms[2],
            };
            format!("{n} {form}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(10, Lang::En), "10 minutes");
        assert_eq!(duration(60, Lang::En), "1 hour");
        assert_eq!(duration(1440, Lang::Zh), "1 天");
        assert_eq!(duration(21, Lang::Ru), "21 минуту");
        assert_eq!(duration(180, Lang::Ru), "3 часа");
        assert_eq!(duration(11 * 1440, Lang::Ru), "11 дней");
    }

    #[test]
    fn every_text_exists_in_every_language() {
        for lang in Lang::ALL {
            let text = Text::Removed {
                name: "A",
                reason: "B",
            }
            .render(lang);
            assert!(text.contains('A') && text.contains('B'));
        }
    }
}
