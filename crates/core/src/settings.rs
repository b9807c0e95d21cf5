//! Settings of one group that shape how Steward talks with it: the admins'
//! own chat, who may use moderator commands, the rules text, and the
//! questions asked of people who ask to join.

use serde::{Deserialize, Serialize};

/// A group's chat settings. Stored as JSON with the group; every field has a
/// default, so a group with none set behaves sensibly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChatSettings {
    /// The platform id of the admins' chat, where Steward posts escalations,
    /// reports and join requests with buttons to decide them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_chat: Option<String>,
    /// Platform account ids with admin powers in chat commands (beyond the
    /// platform's own admins).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub admins: Vec<String>,
    /// Platform account ids with operator powers (warn, mute) in chat.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub moderators: Vec<String>,
    /// The group's rules, shown by `/rules`. Empty: the enforced rules'
    /// descriptions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// Questions for people who ask to join; none: requests are left to the
    /// admins (and posted to the admins' chat when there is one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub join_questions: Vec<JoinQuestion>,
    /// Minutes an applicant has to answer. Default 5 (Telegram lets a bot
    /// write to an applicant for five minutes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_minutes: Option<u32>,
}

/// A question asked of applicants, with the answers accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinQuestion {
    /// The question.
    pub ask: String,
    /// Accepted answers; compared ignoring case and surrounding spaces.
    pub answers: Vec<String>,
}

impl JoinQuestion {
    /// Whether `answer` is one of the accepted answers.
    pub fn accepts(&self, answer: &str) -> bool {
        let answer = answer.trim().to_lowercase();
        self.answers
            .iter()
            .any(|a| a.trim().to_lowercase() == answer)
    }
}

impl ChatSettings {
    /// Minutes an applicant has to answer.
    pub fn join_minutes(&self) -> u32 {
        self.join_minutes.unwrap_or(5).clamp(1, 24 * 60)
    }

    /// Problems with the settings, each naming the field.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (i, q) in self.join_questions.iter().enumerate() {
            if q.ask.trim().is_empty() {
                problems.push(format!("join_questions[{i}].ask is empty"));
            }
            if q.answers.iter().all(|a| a.trim().is_empty()) {
                problems.push(format!("join_questions[{i}].answers has no answer"));
            }
        }
        if self
            .admin_chat
            .as_deref()
            .is_some_and(|c| c.trim().is_empty())
        {
            problems.push("admin_chat is empty".to_owned());
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_ignore_case_and_spaces() {
        let q = JoinQuestion {
            ask: "2+2?".into(),
            answers: vec!["Four".into(), "4".into()],
        };
        assert!(q.accepts(" four "));
        assert!(q.accepts("4"));
        assert!(!q.accepts("5"));
    }

    #[test]
    fn empty_settings_round_trip_as_an_empty_object() {
        let json = serde_json::to_string(&ChatSettings::default()).unwrap();
        assert_eq!(json, "{}");
        let back: ChatSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(back.join_minutes(), 5);
    }
}
