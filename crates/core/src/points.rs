//! Points and levels (积分制度) and daily check-ins (签到), the pure part:
//! the reasons a ledger entry may give, a group's points settings (points
//! per message and its daily cap, check-in points and streak bonuses,
//! referral points, level thresholds and names), "today" and "this week"
//! in a group's time zone, the next check-in streak, and what the bot says
//! about points in zh, ru and en.
//!
//! The ledger itself is in the store: append-only, a balance is the sum.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone};
use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::i18n::Lang;
use crate::zone::Zone;

/// Why a member's points changed: every ledger entry gives one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// A daily check-in.
    Checkin,
    /// The bonus for a check-in streak.
    CheckinStreak,
    /// A message in the group (capped per day).
    Message,
    /// A newcomer the member brought in was counted.
    Referral,
    /// A quiz won.
    Quiz,
    /// An entry to a raffle (spending: negative).
    RaffleEntry,
    /// An admin's award (or penalty).
    Award,
    /// A correction of earlier entries.
    Correction,
}

impl Reason {
    /// Every reason.
    pub const ALL: [Reason; 8] = [
        Reason::Checkin,
        Reason::CheckinStreak,
        Reason::Message,
        Reason::Referral,
        Reason::Quiz,
        Reason::RaffleEntry,
        Reason::Award,
        Reason::Correction,
    ];

    /// The code stored in the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Checkin => "checkin",
            Reason::CheckinStreak => "checkin_streak",
            Reason::Message => "message",
            Reason::Referral => "referral",
            Reason::Quiz => "quiz",
            Reason::RaffleEntry => "raffle_entry",
            Reason::Award => "award",
            Reason::Correction => "correction",
        }
    }

    /// The reason stored as `code`.
    pub fn parse(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == code)
    }
}

/// A streak bonus paid on every `days`-th consecutive day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Paid when the streak is a multiple of this many days (0: never).
    pub days: u32,
    /// The bonus.
    pub bonus: u32,
}

/// A level: reached at `points`, named per language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The balance that reaches it.
    pub points: i64,
    /// Its name in Chinese.
    #[serde(default)]
    pub zh: String,
    /// Its name in Russian.
    #[serde(default)]
    pub ru: String,
    /// Its name in English.
    #[serde(default)]
    pub en: String,
}

impl Level {
    /// Its name in `lang`; another language's when that one is blank.
    pub fn name(&self, lang: Lang) -> &str {
        let own = match lang {
            Lang::Zh => &self.zh,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        };
        [own, &self.en, &self.zh, &self.ru]
            .into_iter()
            .find(|n| !n.trim().is_empty())
            .map_or("", |n| n.as_str())
    }
}

/// A group's points settings (the `points` table of its chat settings).
/// Every field has a default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PointsSettings {
    /// Whether the group keeps points at all. Default on.
    pub enabled: bool,
    /// Points for a message that no rule objected to. Default 1.
    pub message: u32,
    /// The most points messages earn a member per day in the group's time
    /// zone. Default 20.
    pub message_daily_cap: u32,
    /// Points for a daily check-in. Default 5.
    pub checkin: u32,
    /// The streak bonus grows by this much per consecutive day after the
    /// first. Default 1.
    pub streak_step: u32,
    /// ... up to this much. Default 5.
    pub streak_max: u32,
    /// Extra bonuses on round streaks. Default 10 every 7 days and 50 every
    /// 30.
    pub milestones: Vec<Milestone>,
    /// Points for a counted referral. Default 10.
    pub referral: u32,
    /// Levels by balance, lowest first. Default 0, 50, 200, 500, 1000.
    pub levels: Vec<Level>,
}

impl Default for PointsSettings {
    fn default() -> PointsSettings {
        let level = |points, zh: &str, ru: &str, en: &str| Level {
            points,
            zh: zh.to_owned(),
            ru: ru.to_owned(),
            en: en.to_owned(),
        };
        PointsSettings {
            enabled: true,
            message: 1,
            message_daily_cap: 20,
            checkin: 5,
            streak_step: 1,
            streak_max: 5,
            milestones: vec![
                Milestone { days: 7, bonus: 10 },
                Milestone {
                    days: 30,
                    bonus: 50,
                },
            ],
            referral: 10,
            levels: vec![
                level(0, "新人", "Новичок", "Newcomer"),
                level(50, "成员", "Участник", "Member"),
                level(200, "活跃成员", "Активный участник", "Regular"),
                level(500, "资深成员", "Ветеран", "Veteran"),
                level(1000, "元老", "Легенда", "Legend"),
            ],
        }
    }
}

impl PointsSettings {
    /// Whether these are the defaults (left out when settings are saved).
    pub fn is_default(&self) -> bool {
        *self == PointsSettings::default()
    }

    /// The bonus for a check-in that makes a streak of `streak` days: the
    /// step per day after the first, capped, plus every milestone the
    /// streak is a multiple of.
    pub fn streak_bonus(&self, streak: u32) -> u32 {
        let grown = streak
            .saturating_sub(1)
            .saturating_mul(self.streak_step)
            .min(self.streak_max);
        self.milestones
            .iter()
            .filter(|m| m.days > 0 && streak > 0 && streak.is_multiple_of(m.days))
            .fold(grown, |sum, m| sum.saturating_add(m.bonus))
    }

    /// The level a balance reaches (the highest threshold at or under it),
    /// and the next one, if any.
    pub fn level(&self, balance: i64) -> (Option<&Level>, Option<&Level>) {
        let mut levels: Vec<&Level> = self.levels.iter().collect();
        levels.sort_by_key(|l| l.points);
        let reached = levels.iter().rev().find(|l| l.points <= balance).copied();
        let next = levels.iter().find(|l| l.points > balance).copied();
        (reached, next)
    }

    /// What is wrong with these settings, for the team to fix.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut points: Vec<i64> = self.levels.iter().map(|l| l.points).collect();
        points.sort_unstable();
        if points.windows(2).any(|w| w[0] == w[1]) {
            out.push("points.levels: two levels share a threshold".to_owned());
        }
        if self.levels.iter().any(|l| l.name(Lang::En).is_empty()) {
            out.push("points.levels: a level has no name".to_owned());
        }
        out
    }
}

/// The day `at` falls on in `zone`.
pub fn local_day(at: Timestamp, zone: Zone) -> NaiveDate {
    at.with_timezone(&zone.offset_at(at)).date_naive()
}

/// When `day` starts in `zone`.
pub fn day_start(day: NaiveDate, zone: Zone) -> Timestamp {
    let midnight = day.and_time(NaiveTime::MIN);
    // The offset at midnight, found from a first guess with the offset a
    // moment before (the two differ only on days the clocks change).
    let guess = chrono::Utc.from_utc_datetime(&midnight);
    let first = guess - Duration::seconds(i64::from(zone.offset_at(guess).local_minus_utc()));
    guess - Duration::seconds(i64::from(zone.offset_at(first).local_minus_utc()))
}

/// The streak a check-in on `today` makes, after the last check-in
/// (`last`: its day and streak). `None` when the member checked in today
/// already (or on a later day: events may come late).
pub fn next_streak(last: Option<(NaiveDate, u32)>, today: NaiveDate) -> Option<u32> {
    match last {
        None => Some(1),
        Some((day, _)) if day >= today => None,
        Some((day, streak)) if today.pred_opt() == Some(day) => Some(streak.saturating_add(1)),
        Some(_) => Some(1),
    }
}

/// A leaderboard's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Period {
    /// Since Monday, in the group's zone.
    Week,
    /// Since the first of the month, in the group's zone.
    Month,
    /// All time.
    #[default]
    All,
}

impl Period {
    /// Every period.
    pub const ALL: [Period; 3] = [Period::Week, Period::Month, Period::All];

    /// Its name in URLs and commands.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::All => "all",
        }
    }

    /// A period as members type it (`week`, `周`, `неделя`, …).
    pub fn parse(text: &str) -> Option<Period> {
        match text.trim().to_lowercase().as_str() {
            "week" | "w" | "weekly" | "周" | "本周" | "неделя" | "нед" => {
                Some(Period::Week)
            }
            "month" | "m" | "monthly" | "月" | "本月" | "месяц" | "мес" => {
                Some(Period::Month)
            }
            "all" | "a" | "total" | "全部" | "总" | "总榜" | "все" | "всё" => {
                Some(Period::All)
            }
            _ => None,
        }
    }

    /// When the period containing `now` started in `zone`; `None` for all
    /// time.
    pub fn start(self, now: Timestamp, zone: Zone) -> Option<Timestamp> {
        let today = local_day(now, zone);
        let first = match self {
            Period::Week => {
                today - Duration::days(i64::from(today.weekday().num_days_from_monday()))
            }
            Period::Month => today.with_day(1)?,
            Period::All => return None,
        };
        Some(day_start(first, zone))
    }
}

/// What the bot says about points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointsText<'a> {
    /// A check-in was counted.
    CheckedIn {
        /// The member's name.
        name: &'a str,
        /// Check-in points.
        points: i64,
        /// The streak bonus.
        bonus: i64,
        /// Consecutive days.
        streak: u32,
        /// The balance now.
        balance: i64,
    },
    /// A second check-in on one day.
    AlreadyCheckedIn {
        /// The member's name.
        name: &'a str,
        /// Consecutive days.
        streak: u32,
        /// The balance.
        balance: i64,
    },
    /// `/points`.
    Status {
        /// The member's name.
        name: &'a str,
        /// The balance.
        balance: i64,
        /// The level's name.
        level: &'a str,
        /// The next level's name and the points still needed.
        next: Option<(&'a str, i64)>,
        /// The place in the group's all-time leaderboard.
        rank: i64,
        /// The check-in streak (0: none running).
        streak: u32,
    },
    /// `/top`.
    Top {
        /// The period.
        period: Period,
        /// Names and points, best first.
        leaders: &'a [(String, i64)],
    },
    /// `/award` done.
    Awarded {
        /// Who.
        name: &'a str,
        /// How much (negative: taken).
        amount: i64,
        /// Their balance now.
        balance: i64,
    },
    /// `/award` could not be read.
    AwardUsage,
    /// The group keeps no points.
    Off,
}

impl PointsText<'_> {
    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            PointsText::CheckedIn {
                name,
                points,
                bonus,
                streak,
                balance,
            } => {
                let extra = match (lang, *bonus > 0) {
                    (_, false) => String::new(),
                    (Lang::Zh, true) => format!("（含连签奖励 {bonus}）"),
                    (Lang::Ru, true) => format!(" (из них бонус за серию: {bonus})"),
                    (Lang::En, true) => format!(" (including a streak bonus of {bonus})"),
                };
                let total = points + bonus;
                match lang {
                    Lang::Zh => format!(
                        "✅ {name} 签到成功！获得 {total} 积分{extra}，已连续签到 {streak} 天，当前积分 {balance}。"
                    ),
                    Lang::Ru => format!(
                        "✅ {name}, отметка засчитана! +{total} баллов{extra}. Серия: {streak} дн. подряд, баланс: {balance}."
                    ),
                    Lang::En => format!(
                        "✅ {name} checked in: +{total} points{extra}. Streak: {streak} days in a row; balance: {balance}."
                    ),
                }
            }
            PointsText::AlreadyCheckedIn {
                name,
                streak,
                balance,
            } => match lang {
                Lang::Zh => format!(
                    "{name} 今天已经签到过了，明天再来吧！已连续签到 {streak} 天，当前积分 {balance}。"
                ),
                Lang::Ru => format!(
                    "{name}, сегодня вы уже отмечались, приходите завтра! Серия: {streak} дн., баланс: {balance}."
                ),
                Lang::En => format!(
                    "{name}, you've already checked in today; come back tomorrow! Streak: {streak} days; balance: {balance}."
                ),
            },
            PointsText::Status {
                name,
                balance,
                level,
                next,
                rank,
                streak,
            } => {
                let mut out = match lang {
                    Lang::Zh => format!(
                        "{name} 的积分：{balance}\n等级：{level}\n本群排名：第 {rank} 名\n连续签到：{streak} 天"
                    ),
                    Lang::Ru => format!(
                        "Баллы {name}: {balance}\nУровень: {level}\nМесто в группе: {rank}\nСерия отметок: {streak} дн."
                    ),
                    Lang::En => format!(
                        "{name}'s points: {balance}\nLevel: {level}\nRank in the group: #{rank}\nCheck-in streak: {streak} days"
                    ),
                };
                if let Some((next, needed)) = next {
                    out.push('\n');
                    out.push_str(&match lang {
                        Lang::Zh => format!("距离「{next}」还差 {needed} 积分"),
                        Lang::Ru => format!("До уровня «{next}» осталось {needed} баллов"),
                        Lang::En => format!("{needed} more points to reach {next}"),
                    });
                }
                out
            }
            PointsText::Top { period, leaders } => {
                let mut out = match (lang, period) {
                    (Lang::Zh, Period::Week) => "🏆 本周积分榜",
                    (Lang::Zh, Period::Month) => "🏆 本月积分榜",
                    (Lang::Zh, Period::All) => "🏆 积分总榜",
                    (Lang::Ru, Period::Week) => "🏆 Лучшие за неделю",
                    (Lang::Ru, Period::Month) => "🏆 Лучшие за месяц",
                    (Lang::Ru, Period::All) => "🏆 Лучшие за всё время",
                    (Lang::En, Period::Week) => "🏆 Top points this week",
                    (Lang::En, Period::Month) => "🏆 Top points this month",
                    (Lang::En, Period::All) => "🏆 Top points of all time",
                }
                .to_owned();
                if leaders.is_empty() {
                    out.push('\n');
                    out.push_str(match lang {
                        Lang::Zh => "还没有人获得积分。发送 /checkin 签到试试！",
                        Lang::Ru => "Пока ни у кого нет баллов. Отправьте /checkin, чтобы отметиться!",
                        Lang::En => "Nobody has points yet. Send /checkin to check in!",
                    });
                }
                for (i, (name, points)) in leaders.iter().enumerate() {
                    out.push_str(&match lang {
                        Lang::Zh => format!("\n{}. {name}：{points} 分", i + 1),
                        Lang::Ru | Lang::En => format!("\n{}. {name} — {points}", i + 1),
                    });
                }
                out
            }
            PointsText::Awarded {
                name,
                amount,
                balance,
            } => match (lang, *amount >= 0) {
                (Lang::Zh, true) => format!("已给 {name} 加 {amount} 积分，当前积分 {balance}。"),
                (Lang::Zh, false) => {
                    format!("已扣除 {name} {} 积分，当前积分 {balance}。", -amount)
                }
                (Lang::Ru, true) => {
                    format!("{name} получает {amount} баллов. Баланс: {balance}.")
                }
                (Lang::Ru, false) => {
                    format!("У {name} списано {} баллов. Баланс: {balance}.", -amount)
                }
                (Lang::En, true) => format!("{name} was awarded {amount} points; balance: {balance}."),
                (Lang::En, false) => format!(
                    "{} points were taken from {name}; balance: {balance}.",
                    -amount
                ),
            },
            PointsText::AwardUsage => match lang {
                Lang::Zh => "用法：/award @用户名 10 原因（也可回复成员的消息；负数为扣分）".to_owned(),
                Lang::Ru => "Как использовать: /award @username 10 причина (или ответом на сообщение; отрицательное число снимает баллы)".to_owned(),
                Lang::En => "Usage: /award @username 10 reason (or in reply to their message; a negative number takes points)".to_owned(),
            },
            PointsText::Off => match lang {
                Lang::Zh => "本群未开启积分。".to_owned(),
                Lang::Ru => "В этой группе баллы не ведутся.".to_owned(),
                Lang::En => "This group doesn't keep points.".to_owned(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reasons_round_trip() {
        for reason in Reason::ALL {
            assert_eq!(Reason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(Reason::parse("gift"), None);
    }

    #[test]
    fn streak_bonuses_grow_then_stop_and_round_streaks_pay_more() {
        let s = PointsSettings::default();
        let bonuses: Vec<u32> = (1..=8).map(|d| s.streak_bonus(d)).collect();
        assert_eq!(bonuses, [0, 1, 2, 3, 4, 5, 5 + 10, 5]);
        assert_eq!(s.streak_bonus(14), 15);
        assert_eq!(s.streak_bonus(30), 55);
        assert_eq!(s.streak_bonus(0), 0);
    }

    #[test]
    fn levels_follow_the_thresholds() {
        let s = PointsSettings::default();
        let name = |b| s.level(b).0.map(|l| l.name(Lang::En).to_owned());
        assert_eq!(name(-5), None);
        assert_eq!(name(0).as_deref(), Some("Newcomer"));
        assert_eq!(name(49).as_deref(), Some("Newcomer"));
        assert_eq!(name(50).as_deref(), Some("Member"));
        assert_eq!(name(5000).as_deref(), Some("Legend"));
        assert_eq!(s.level(60).1.map(|l| l.points), Some(200));
        assert_eq!(s.level(1000).1, None);
        assert_eq!(s.level(0).0.unwrap().name(Lang::Zh), "新人");
        assert!(s.problems().is_empty());
    }

    #[test]
    fn streaks_continue_only_on_the_next_day() {
        let today = day(2025, 3, 10);
        assert_eq!(next_streak(None, today), Some(1));
        assert_eq!(next_streak(Some((day(2025, 3, 9), 4)), today), Some(5));
        assert_eq!(next_streak(Some((day(2025, 3, 10), 4)), today), None);
        assert_eq!(next_streak(Some((day(2025, 3, 8), 4)), today), Some(1));
        assert_eq!(next_streak(Some((day(2025, 3, 11), 1)), today), None);
    }

    #[test]
    fn days_and_periods_are_the_groups() {
        let shanghai = Zone::parse("Asia/Shanghai").unwrap();
        // 2025-03-09 17:00 UTC is Monday the 10th, 01:00 in Shanghai.
        let at = chrono::Utc.with_ymd_and_hms(2025, 3, 9, 17, 0, 0).unwrap();
        assert_eq!(local_day(at, shanghai), day(2025, 3, 10));
        assert_eq!(local_day(at, Zone::default()), day(2025, 3, 9));
        let start = day_start(day(2025, 3, 10), shanghai);
        assert_eq!(
            start,
            chrono::Utc.with_ymd_and_hms(2025, 3, 9, 16, 0, 0).unwrap()
        );
        assert_eq!(Period::Week.start(at, shanghai), Some(start));
        assert_eq!(
            Period::Month.start(at, shanghai),
            Some(chrono::Utc.with_ymd_and_hms(2025, 2, 28, 16, 0, 0).unwrap())
        );
        assert_eq!(Period::All.start(at, shanghai), None);
        assert_eq!(Period::parse("本周"), Some(Period::Week));
        assert_eq!(Period::parse("Month"), Some(Period::Month));
        assert_eq!(Period::parse("year"), None);
    }

    #[test]
    fn every_text_renders_in_every_language() {
        let leaders = [("Ann".to_owned(), 12)];
        let texts = [
            PointsText::CheckedIn {
                name: "Ann",
                points: 5,
                bonus: 2,
                streak: 3,
                balance: 40,
            },
            PointsText::AlreadyCheckedIn {
                name: "Ann",
                streak: 3,
                balance: 40,
            },
            PointsText::Status {
                name: "Ann",
                balance: 40,
                level: "Newcomer",
                next: Some(("Member", 10)),
                rank: 2,
                streak: 3,
            },
            PointsText::Top {
                period: Period::Week,
                leaders: &leaders,
            },
            PointsText::Awarded {
                name: "Ann",
                amount: -3,
                balance: 37,
            },
            PointsText::AwardUsage,
            PointsText::Off,
        ];
        for text in &texts {
            let all: Vec<String> = Lang::ALL.iter().map(|&l| text.render(l)).collect();
            assert!(all.iter().all(|t| !t.is_empty()));
            assert_ne!(all[0], all[1]);
            assert_ne!(all[1], all[2]);
        }
        let en = texts[0].render(Lang::En);
        assert!(
            en.contains("+7") && en.contains('3') && en.contains("40"),
            "{en}"
        );
    }
}
