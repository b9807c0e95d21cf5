//! What a group's admins get from analytics: the report schedule they
//! choose (daily, weekly, monthly reports in the admins' chat at an hour of
//! their day) and whether mood alerts are on, and the alert texts in
//! Chinese, Russian and English.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// When reports reach the admins' chat, and whether mood alerts do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportSettings {
    /// A report on the day before, every day.
    pub daily: bool,
    /// A report on the week before, every Monday.
    pub weekly: bool,
    /// A report on the month before, on the first of the month.
    pub monthly: bool,
    /// The local hour (0–23) reports are sent at. Default 9.
    pub hour: u8,
    /// Alerts when the mood turns or complaints flood in.
    pub alerts: bool,
}

impl Default for ReportSettings {
    fn default() -> Self {
        Self {
            daily: false,
            weekly: true,
            monthly: true,
            hour: 9,
            alerts: true,
        }
    }
}

impl ReportSettings {
    /// Whether these are the defaults (left out when stored).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// An alert for the admins' chat.
#[derive(Debug, Clone, PartialEq)]
pub enum AlertText<'a> {
    /// The share of negative messages today is well above the group's normal.
    NegativeSpike {
        /// The group's title.
        group: &'a str,
        /// Negative share today, in percent.
        share: f64,
        /// The group's normal share, in percent.
        normal: f64,
        /// Its usual spread, in percent.
        spread: f64,
        /// Negative messages today.
        negative: u64,
        /// Messages today.
        messages: u64,
    },
    /// Many more complaints than usual today.
    ComplaintFlood {
        /// The group's title.
        group: &'a str,
        /// Complaints today.
        count: u64,
        /// How many are normal by now.
        normal: f64,
    },
}

impl AlertText<'_> {
    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match (self, lang) {
            (
                AlertText::NegativeSpike {
                    group,
                    share,
                    normal,
                    spread,
                    negative,
                    messages,
                },
                lang,
            ) => match lang {
                Lang::Zh => format!(
                    "⚠️ 舆情预警：{group} 今天的负面消息占比 {share:.0}%，平时为 {normal:.0}% ± {spread:.0}%（{messages} 条消息中 {negative} 条负面）。请尽快查看群内情况。"
                ),
                Lang::Ru => format!(
                    "⚠️ Настроение в «{group}» ухудшилось: сегодня негативных сообщений {share:.0}%, обычно {normal:.0}% ± {spread:.0}% ({negative} из {messages}). Стоит заглянуть в чат."
                ),
                Lang::En => format!(
                    "⚠️ Mood alert in {group}: {share:.0}% of today's messages are negative, against a normal {normal:.0}% ± {spread:.0}% ({negative} of {messages}). Worth a look."
                ),
            },
            (
                AlertText::ComplaintFlood {
                    group,
                    count,
                    normal,
                },
                lang,
            ) => match lang {
                Lang::Zh => format!(
                    "⚠️ 投诉激增：{group} 今天已收到 {count} 条投诉，平时此时约为 {normal:.1} 条。请尽快处理。"
                ),
                Lang::Ru => format!(
                    "⚠️ Поток жалоб в «{group}»: сегодня уже {count}, обычно к этому времени около {normal:.1}. Нужна реакция."
                ),
                Lang::En => format!(
                    "⚠️ Complaint flood in {group}: {count} complaints today, against about {normal:.1} by this time normally. Please act soon."
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_speak_every_language_with_their_numbers() {
        let spike = AlertText::NegativeSpike {
            group: "Readers",
            share: 41.0,
            normal: 8.0,
            spread: 3.0,
            negative: 37,
            messages: 90,
        };
        for lang in Lang::ALL {
            let text = spike.render(lang);
            assert!(text.contains("41%") && text.contains("37"), "{text}");
        }
        let flood = AlertText::ComplaintFlood {
            group: "Readers",
            count: 12,
            normal: 1.5,
        };
        assert!(flood.render(Lang::Zh).contains("12 条投诉"));
    }

    #[test]
    fn weekly_and_monthly_reports_and_alerts_are_on_by_default() {
        let settings: ReportSettings = serde_json::from_str("{}").unwrap();
        assert!(settings.weekly && settings.monthly && settings.alerts && !settings.daily);
        assert_eq!(settings.hour, 9);
    }
}
