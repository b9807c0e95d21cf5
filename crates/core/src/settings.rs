//! Settings of one group that shape how Steward talks with it: the admins'
//! own chat, who may use moderator commands, the rules text, and the
//! questions asked of people who ask to join.

use serde::{Deserialize, Serialize};

use crate::captcha::CaptchaKind;
use crate::i18n::Lang;

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
    /// A link to the group's rules, filled into welcomes as `{rules}`.
    /// None: welcomes tell newcomers to send /rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules_url: Option<String>,
    /// The welcome for newcomers. None (or no template): nobody is welcomed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub welcome: Option<crate::welcome::Welcome>,
    /// The format members' names must follow. None: any name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nickname: Option<crate::nickname::NicknameRule>,
    /// A CAPTCHA for applicants (by private message) and newcomers (in the
    /// group, muted until solved). None: no CAPTCHA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captcha: Option<CaptchaSettings>,
    /// Every join request that passes the automatic checks still waits for
    /// an admin (admins' chat card or the dashboard's join requests).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub manual_approval: bool,
    /// What the group does when a join wave (raid) is detected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raid: Option<RaidSettings>,
    /// The weight of members' reports on one message that hides it pending
    /// review (a report weighs 0.5 to 3 by the reporter's trust; the
    /// group's admins and moderators weigh enough alone). Default 3.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_threshold: Option<u32>,
    /// The group's time zone, for times admins type and read (`/since
    /// 14:30`, the since form, campaign days, "today"): an IANA name
    /// (`Asia/Shanghai`, `Europe/Berlin`, with its summer time) or a fixed
    /// offset (`+08:00`, `UTC+3`). Unset: UTC. See [`crate::zone::Zone`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Points, levels and check-ins: points per message and their daily
    /// cap, check-in points and streak bonuses, referral points, levels.
    #[serde(skip_serializing_if = "crate::points::PointsSettings::is_default")]
    pub points: crate::points::PointsSettings,
    /// Feedback and complaint tickets: extra categories, the response-time
    /// target, root-cause tags.
    #[serde(skip_serializing_if = "crate::tickets::TicketSettings::is_default")]
    pub tickets: crate::tickets::TicketSettings,
    /// FAQ auto-replies: how sure a match must be, and how often one entry
    /// may be answered.
    #[serde(skip_serializing_if = "FaqSettings::is_default")]
    pub faq: FaqSettings,
    /// Scheduled posts: quiet hours (`quiet_start`, `quiet_end`, `HH:MM` in
    /// the group's zone) and the most posts a day (`daily_cap`).
    #[serde(skip_serializing_if = "crate::posts::PostSettings::is_default")]
    pub posts: crate::posts::PostSettings,
    /// Reports in the admins' chat (daily, weekly, monthly, at an hour) and
    /// mood alerts.
    #[serde(skip_serializing_if = "crate::analytics::ReportSettings::is_default")]
    pub reports: crate::analytics::ReportSettings,
}

/// The offset a time zone setting names at `at` (see
/// [`ChatSettings::timezone`]); `None` when it names no zone.
pub fn zone_offset_at(zone: &str, at: crate::Timestamp) -> Option<chrono::FixedOffset> {
    crate::zone::Zone::parse(zone).map(|z| z.offset_at(at))
}

/// An offset as texts show it: `UTC`, `UTC+08:00`.
pub fn zone_label(offset: chrono::FixedOffset) -> String {
    crate::zone::offset_label(offset)
}

/// The CAPTCHA a group asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CaptchaSettings {
    /// `emoji` (press the named emoji among shuffled ones) or `arithmetic`
    /// (a small sum: typed in private, a button in the group).
    pub kind: CaptchaKind,
    /// Minutes to solve it. Default 3; a private message to an applicant
    /// is capped at 5 (Telegram lets a bot write to them that long).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    /// Who is asked: `requests`, `joins` or `both` (default).
    pub on: CaptchaOn,
}

/// Who a CAPTCHA is asked of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptchaOn {
    /// Applicants, by private message, before the questions.
    Requests,
    /// Newcomers who joined without a request, muted until they solve it.
    Joins,
    /// Both.
    #[default]
    Both,
}

impl CaptchaSettings {
    /// Minutes to solve the CAPTCHA.
    pub fn minutes(&self) -> u32 {
        self.minutes.unwrap_or(3).clamp(1, 60)
    }

    /// Whether applicants are asked.
    pub fn on_requests(&self) -> bool {
        matches!(self.on, CaptchaOn::Requests | CaptchaOn::Both)
    }

    /// Whether newcomers are asked.
    pub fn on_joins(&self) -> bool {
        matches!(self.on, CaptchaOn::Joins | CaptchaOn::Both)
    }
}

/// What a group does when a join wave is detected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RaidSettings {
    /// `mute_newcomers` or `off` (default: only recorded in the audit log).
    pub response: RaidResponse,
    /// Minutes raid mode lasts once started. Default 30.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
}

/// The response to a raid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaidResponse {
    /// Nothing beyond the audit log.
    #[default]
    Off,
    /// Raid mode: every newcomer is muted until an admin lets them in or
    /// they pass the CAPTCHA; the admins are told.
    MuteNewcomers,
}

impl RaidSettings {
    /// Minutes raid mode lasts.
    pub fn minutes(&self) -> u32 {
        self.minutes.unwrap_or(30).clamp(1, 24 * 60)
    }
}

/// A question asked of applicants, with the answers accepted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinQuestion {
    /// The question.
    pub ask: String,
    /// Accepted answers, in any language: plain text (compared ignoring
    /// case, spaces, full-width forms and `ё`/`е`), with `*` standing for
    /// any run of characters, or `/regex/` (searched in the answer as
    /// typed, NFKC-normalized and lower-cased, spaces kept).
    pub answers: Vec<String>,
    /// The language the question is written in: applicants to a group are
    /// asked the questions in its language when there are any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
}

/// Compiled size limits for `/regex/` answers: an admin's pattern can never
/// blow up (the `regex` crate does not backtrack; these bound its size).
const ANSWER_REGEX_SIZE: usize = 1 << 16;
/// The longest answer pattern accepted, in characters.
const MAX_ANSWER_CHARS: usize = 500;

/// An answer folded for comparison with a plain accepted answer: NFKC
/// (full-width letters and digits become plain ones), lowercase, `ё` as
/// `е`, and no whitespace at all.
pub fn fold_answer(text: &str) -> String {
    regex_text(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// An answer as a `/regex/` answer sees it: NFKC and lowercase only, so
/// spaces and word boundaries (`/red square/`, `\bfour\b`) still match.
fn regex_text(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc().flat_map(char::to_lowercase).collect()
}

/// An accepted answer, compiled.
enum Answer {
    /// Folded text, with `*` wildcards when it has any.
    Plain(String),
    /// A pattern.
    Pattern(regex::Regex),
}

/// Compiles one accepted answer, or says why it cannot be used.
fn compile_answer(answer: &str) -> Result<Answer, String> {
    let trimmed = answer.trim();
    if trimmed.chars().count() > MAX_ANSWER_CHARS {
        return Err(format!("longer than {MAX_ANSWER_CHARS} characters"));
    }
    if let Some(pattern) = trimmed
        .strip_prefix('/')
        .and_then(|p| p.strip_suffix('/'))
        .filter(|p| !p.is_empty())
    {
        return regex::RegexBuilder::new(pattern)
            .case_insensitive(true)
            .size_limit(ANSWER_REGEX_SIZE)
            .dfa_size_limit(ANSWER_REGEX_SIZE)
            .build()
            .map(Answer::Pattern)
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => "the pattern is too big".to_owned(),
                other => format!("not a valid pattern: {other}"),
            });
    }
    Ok(Answer::Plain(fold_answer(trimmed)))
}

/// Whether `text` (folded) matches `pattern` (folded), where `*` in the
/// pattern stands for any run of characters.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

impl JoinQuestion {
    /// Whether `answer` is one of the accepted answers. An answer pattern
    /// that does not compile accepts nothing (settings with one are refused
    /// by [`ChatSettings::problems`]).
    pub fn accepts(&self, answer: &str) -> bool {
        self.accepts_folding(answer, &|text: &str| text.to_owned())
    }

    /// [`JoinQuestion::accepts`], with `fold` applied first to the answer
    /// and to each piece of plain accepted answers (between `*`s): the
    /// caller's richer folding, such as traditional to simplified Chinese,
    /// which this crate has no tables for. Regex answers see the answer
    /// unfolded by it.
    pub fn accepts_folding(&self, answer: &str, fold: &dyn Fn(&str) -> String) -> bool {
        let folded = fold_answer(&fold(answer));
        if folded.is_empty() {
            return false;
        }
        let as_typed = regex_text(answer.trim());
        self.answers
            .iter()
            .filter_map(|a| compile_answer(a).ok())
            .any(|a| match a {
                Answer::Plain(p) => {
                    let p = p
                        .split('*')
                        .map(|piece| fold_answer(&fold(piece)))
                        .collect::<Vec<_>>()
                        .join("*");
                    !p.is_empty() && wildcard_match(&p, &folded)
                }
                Answer::Pattern(re) => re.is_match(&as_typed),
            })
    }
}

impl ChatSettings {
    /// The report weight that hides a message (see `report_threshold`).
    pub fn report_threshold(&self) -> u32 {
        self.report_threshold.unwrap_or(3).clamp(1, 1000)
    }

    /// Minutes an applicant has to answer.
    pub fn join_minutes(&self) -> u32 {
        self.join_minutes.unwrap_or(5).clamp(1, 24 * 60)
    }

    /// The questions an applicant to a group speaking `lang` may be asked:
    /// those in its language, else those with no language, else all.
    pub fn questions_for(&self, lang: Lang) -> Vec<(usize, &JoinQuestion)> {
        let all = self.join_questions.iter().enumerate();
        let own: Vec<_> = all.clone().filter(|(_, q)| q.lang == Some(lang)).collect();
        if !own.is_empty() {
            return own;
        }
        let neutral: Vec<_> = all.clone().filter(|(_, q)| q.lang.is_none()).collect();
        if !neutral.is_empty() {
            return neutral;
        }
        all.collect()
    }

    /// The group's time zone; UTC when unset (or not understood, which
    /// [`ChatSettings::problems`] reports).
    pub fn zone(&self) -> crate::zone::Zone {
        self.timezone
            .as_deref()
            .and_then(crate::zone::Zone::parse)
            .unwrap_or_default()
    }

    /// The group's offset from UTC in effect at `at`.
    pub fn utc_offset_at(&self, at: crate::Timestamp) -> chrono::FixedOffset {
        self.zone().offset_at(at)
    }

    /// The response to a raid, `Off` when none is set.
    pub fn raid_response(&self) -> RaidResponse {
        self.raid.as_ref().map(|r| r.response).unwrap_or_default()
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
            for (j, answer) in q.answers.iter().enumerate() {
                if let Err(why) = compile_answer(answer) {
                    problems.push(format!("join_questions[{i}].answers[{j}]: {why}"));
                }
            }
        }
        if self
            .admin_chat
            .as_deref()
            .is_some_and(|c| c.trim().is_empty())
        {
            problems.push("admin_chat is empty".to_owned());
        }
        if let Some(url) = &self.rules_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            problems.push("rules_url: an http(s) link".to_owned());
        }
        if let Some(welcome) = &self.welcome {
            problems.extend(welcome.problems());
        }
        problems.extend(self.points.problems());
        problems.extend(self.posts.problems());
        if let Some(zone) = &self.timezone
            && crate::zone::Zone::parse(zone).is_none()
        {
            problems.push(format!(
                "timezone: `{zone}` is neither a time zone name like Asia/Shanghai nor an offset like +08:00"
            ));
        }
        if let Some(rule) = &self.nickname
            && let Err(err) = rule.check()
        {
            problems.push(format!("nickname: {err}"));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_time_zone_is_a_problem_and_reads_as_utc() {
        let settings = ChatSettings {
            timezone: Some("Mars/Olympus".into()),
            ..ChatSettings::default()
        };
        assert!(
            settings
                .problems()
                .iter()
                .any(|p| p.starts_with("timezone"))
        );
        assert_eq!(
            settings
                .utc_offset_at(chrono::DateTime::UNIX_EPOCH)
                .local_minus_utc(),
            0
        );
    }

    #[test]
    fn answers_ignore_case_and_spaces() {
        let q = JoinQuestion {
            ask: "2+2?".into(),
            answers: vec!["Four".into(), "4".into()],
            lang: None,
        };
        assert!(q.accepts(" four "));
        assert!(q.accepts("4"));
        assert!(!q.accepts("5"));
    }

    fn question(answers: &[&str]) -> JoinQuestion {
        JoinQuestion {
            ask: "?".into(),
            answers: answers.iter().map(|a| (*a).to_owned()).collect(),
            lang: None,
        }
    }

    #[test]
    fn answers_fold_full_width_forms_in_every_language() {
        let q = question(&["Rust", "锈", "Ржавчина"]);
        assert!(q.accepts("ＲＵＳＴ"));
        assert!(q.accepts(" r u s t "));
        assert!(q.accepts("锈"));
        assert!(q.accepts("ржавчина"));
        assert!(!q.accepts("go"));
        assert!(!q.accepts("   "));
    }

    #[test]
    fn wildcards_and_patterns_accept_what_they_say() {
        let q = question(&["*rust*", "/^(четыре|四|4)$/"]);
        assert!(q.accepts("I love Rust a lot"));
        assert!(q.accepts("rust"));
        assert!(q.accepts("四"));
        assert!(q.accepts("Четыре"));
        assert!(!q.accepts("44"));
        let q = question(&["a*c*e"]);
        assert!(q.accepts("abcde"));
        assert!(!q.accepts("abcd"));
        assert!(!q.accepts("ace-x"));
    }

    #[test]
    fn patterns_see_spaces_and_word_boundaries() {
        let q = question(&["/красная площадь/", r"/\bfour\b/"]);
        assert!(q.accepts("Красная площадь"));
        assert!(q.accepts("it is FOUR."));
        assert!(q.accepts(" ＦＯＵＲ "));
        assert!(!q.accepts("fourteen"));
        assert!(!q.accepts("краснаяплощадь"));
    }

    #[test]
    fn plain_answers_fold_yo_to_ye() {
        let q = question(&["ёлка", "*зелёный*"]);
        assert!(q.accepts("Елка"));
        assert!(q.accepts("ЁЛКА"));
        assert!(q.accepts("он зеленый"));
        assert!(!q.accepts("ель"));
    }

    #[test]
    fn a_caller_fold_applies_to_answers_and_plain_pieces() {
        let simplify = |text: &str| text.replace('車', "车");
        let q = question(&["汽車", "*車站*"]);
        assert!(q.accepts_folding("汽车", &simplify));
        assert!(q.accepts_folding("火车站", &simplify));
        assert!(q.accepts_folding("汽車", &simplify));
        assert!(!q.accepts("汽车"));
    }

    #[test]
    fn a_bad_pattern_is_refused_by_name_and_accepts_nothing() {
        let settings = ChatSettings {
            join_questions: vec![
                question(&["ok", "/(unclosed/"]),
                question(&["/a{99999}{99999}/"]),
            ],
            ..ChatSettings::default()
        };
        let problems = settings.problems();
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("join_questions[0].answers[1]")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("join_questions[1].answers[0]")),
            "{problems:?}"
        );
        assert!(settings.join_questions[0].accepts("ok"));
        assert!(!settings.join_questions[0].accepts("(unclosed"));
    }

    #[test]
    fn questions_in_the_group_language_come_first() {
        let mut zh = question(&["x"]);
        zh.lang = Some(Lang::Zh);
        let neutral = question(&["y"]);
        let settings = ChatSettings {
            join_questions: vec![neutral, zh],
            ..ChatSettings::default()
        };
        assert_eq!(settings.questions_for(Lang::Zh)[0].0, 1);
        assert_eq!(settings.questions_for(Lang::En)[0].0, 0);
    }

    #[test]
    fn screening_settings_read_from_json() {
        let json = r#"{"captcha": {"kind": "arithmetic", "on": "joins"}, "manual_approval": true,
                       "raid": {"response": "mute_newcomers", "minutes": 10}}"#;
        let s: ChatSettings = serde_json::from_str(json).unwrap();
        let captcha = s.captcha.clone().unwrap();
        assert_eq!(captcha.kind, CaptchaKind::Arithmetic);
        assert!(captcha.on_joins() && !captcha.on_requests());
        assert_eq!(captcha.minutes(), 3);
        assert!(s.manual_approval);
        assert_eq!(s.raid_response(), RaidResponse::MuteNewcomers);
        assert_eq!(s.raid.as_ref().unwrap().minutes(), 10);
        let back: ChatSettings = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn empty_settings_round_trip_as_an_empty_object() {
        let json = serde_json::to_string(&ChatSettings::default()).unwrap();
        assert_eq!(json, "{}");
        let back: ChatSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(back.join_minutes(), 5);
    }
}

/// How a group answers frequently asked questions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaqSettings {
    /// Never answer or collect questions in this group.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub off: bool,
    /// Seconds before the same entry is answered again in the group.
    /// Default 60.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cooldown_seconds: Option<u32>,
    /// Seconds between any two answers in the group. Default 10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_cooldown_seconds: Option<u32>,
    /// How similar (in percent) a question must be to an entry's phrasing
    /// to be answered. Default 40.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_score: Option<u32>,
    /// Questions matching no entry better than this (percent) are collected
    /// for the team. Default 20.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collect_below: Option<u32>,
}

impl FaqSettings {
    /// Whether nothing is set (so nothing is stored).
    pub fn is_default(&self) -> bool {
        *self == FaqSettings::default()
    }

    /// Seconds before the same entry is answered again.
    pub fn cooldown_seconds(&self) -> u32 {
        self.cooldown_seconds.unwrap_or(60).min(7 * 24 * 3600)
    }

    /// Seconds between any two answers in the group.
    pub fn group_cooldown_seconds(&self) -> u32 {
        self.group_cooldown_seconds.unwrap_or(10).min(24 * 3600)
    }

    /// The answer threshold, 0 to 1.
    pub fn min_score(&self) -> f32 {
        self.min_score.unwrap_or(40).clamp(1, 100) as f32 / 100.0
    }

    /// The collection threshold, 0 to 1 (never above the answer threshold).
    pub fn collect_below(&self) -> f32 {
        (self.collect_below.unwrap_or(20).min(100) as f32 / 100.0).min(self.min_score())
    }
}
