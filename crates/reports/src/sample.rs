//! Test data: a hand-built, realistic weekly community report (two groups,
//! a week of days, contributors, terms, rules, cases, an alert), used by the
//! renderers' tests here and by tests elsewhere that need a [`Report`]
//! without a database. Not used at run time.

use chrono::{NaiveDate, TimeZone, Utc};
use steward_core::Timestamp;
use steward_core::i18n::Lang;

use crate::model::*;
use crate::period::{Period, PeriodKind};

/// The sample report: community "Rust Chat" for 2026-W47, in English.
pub fn sample() -> Report {
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
    let period = Period::containing(PeriodKind::Weekly, day(16));
    let daily: [(u64, u64, u64, u64, u64, f64); 7] = [
        (180, 41, 3, 1, 1, 0.05),
        (240, 52, 2, 0, 3, 0.08),
        (205, 47, 4, 2, 0, 0.04),
        (260, 55, 1, 1, 2, 0.12),
        (190, 44, 2, 0, 1, 0.06),
        (95, 30, 1, 1, 0, 0.03),
        (64, 22, 0, 0, 0, 0.02),
    ];
    let days = daily
        .iter()
        .zip(period.dates())
        .map(
            |(&(messages, active, joins, leaves, violations, neg), date)| DayRow {
                date,
                messages,
                active_members: active,
                joins,
                leaves,
                violations,
                negative_share: neg,
            },
        )
        .collect();
    Report {
        version: REPORT_VERSION,
        scope: Scope {
            kind: ScopeKind::Community,
            id: 1,
            name: "Rust Chat".into(),
        },
        period,
        previous_period: period.previous(),
        time_zone: "Asia/Shanghai".into(),
        language: Lang::En,
        generated_at: at(23, 1, 0),
        current: current(),
        previous: previous(),
        days,
        hours: hours(),
        top_contributors: vec![
            contributor(11, "Alice", 57),
            contributor(12, "王小明", 43),
            contributor(13, "Дмитрий", 31),
        ],
        top_terms: vec![
            term("async", 96, 80),
            term("编译", 54, 50),
            term("lifetime", 40, 44),
        ],
        rising_terms: vec![term("tokio", 38, 9), term("релиз", 17, 2)],
        violations_by_rule: vec![
            rule("spam links", 5, 3),
            rule("flood", 2, 0),
            rule("insults", 1, 2),
        ],
        cases: vec![
            case(
                at(17, 9, 12),
                "Rust 新手群",
                "spammer42",
                "spam links",
                "high",
                "ban",
                "confirmed",
            ),
            case(
                at(19, 21, 40),
                "Rust Chat",
                "Bob",
                "insults",
                "medium",
                "mute 1h",
                "dismissed",
            ),
        ],
        groups: vec![
            group(101, "Rust Chat", 830, 760, 120, 4, 5),
            group(102, "Rust 新手群", 404, 340, 61, 3, 3),
        ],
        alerts: vec![AlertRow {
            at: at(19, 22, 5),
            group: "Rust Chat".into(),
            kind: "negative_spike".into(),
            detail: "negative share 12% against a usual 5%".into(),
        }],
    }
}

fn at(day: u32, hour: u32, minute: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, day, hour, minute, 0)
        .single()
        .unwrap_or_default()
}

fn current() -> Figures {
    Figures {
        messages: 1234,
        active_members: 181,
        daily_active_average: 41.6,
        members: 950,
        posting_share: 181.0 / 950.0,
        joins: 13,
        leaves: 5,
        net_growth: 8,
        retention: Retention {
            week1_cohort: 10,
            week1_retained: 6,
            week4_cohort: 8,
            week4_retained: 3,
        },
        questions: Questions {
            asked: 60,
            answered: 51,
            median_response_seconds: Some(240.0),
        },
        content: Content {
            text: 900,
            links: 210,
            media: 160,
        },
        moderation: Moderation {
            violations: 8,
            deletions: 6,
            warnings: 4,
            mutes: 2,
            bans: 1,
            cases_decided: 5,
            reversed: 1,
            false_positive_rate: Some(0.2),
        },
        participation: Participation {
            checkins: 140,
            poll_votes: 55,
            quiz_answers: 20,
            raffle_entries: 33,
            event_signups: 12,
            participants: 97,
        },
        tickets: Tickets {
            opened: 4,
            resolved: 3,
            median_resolve_hours: Some(5.5),
            overdue: 1,
            causes: vec![("billing".into(), 2), ("bot settings".into(), 1)],
        },
        sentiment: Sentiment {
            scored: 1000,
            negative: 61,
            positive: 240,
            negative_share: 0.061,
        },
    }
}

fn previous() -> Figures {
    Figures {
        messages: 1100,
        active_members: 190,
        daily_active_average: 43.0,
        members: 942,
        posting_share: 190.0 / 942.0,
        joins: 9,
        leaves: 6,
        net_growth: 3,
        retention: Retention {
            week1_cohort: 8,
            week1_retained: 4,
            week4_cohort: 6,
            week4_retained: 2,
        },
        questions: Questions {
            asked: 52,
            answered: 40,
            median_response_seconds: Some(420.0),
        },
        content: Content {
            text: 820,
            links: 180,
            media: 150,
        },
        moderation: Moderation {
            violations: 5,
            deletions: 4,
            warnings: 3,
            mutes: 1,
            bans: 0,
            cases_decided: 4,
            reversed: 0,
            false_positive_rate: Some(0.0),
        },
        participation: Participation {
            checkins: 120,
            poll_votes: 40,
            quiz_answers: 0,
            raffle_entries: 0,
            event_signups: 5,
            participants: 80,
        },
        tickets: Tickets {
            opened: 2,
            resolved: 2,
            median_resolve_hours: Some(8.0),
            overdue: 0,
            causes: vec![("billing".into(), 2)],
        },
        sentiment: Sentiment {
            scored: 900,
            negative: 45,
            positive: 230,
            negative_share: 0.05,
        },
    }
}

/// Evenings busiest, Tuesday and Thursday most, weekends quiet.
fn hours() -> Vec<[u64; 24]> {
    let weight = [3u64, 5, 4, 5, 3, 2, 1];
    weight
        .iter()
        .map(|w| {
            let mut row = [0u64; 24];
            for (hour, cell) in row.iter_mut().enumerate() {
                let shape: u64 = match hour {
                    0..=6 => 0,
                    7..=11 => 1,
                    12..=18 => 2,
                    19..=22 => 4,
                    _ => 1,
                };
                *cell = w * shape;
            }
            row
        })
        .collect()
}

fn contributor(member: i64, name: &str, messages: u64) -> Contributor {
    Contributor {
        member,
        name: name.into(),
        messages,
    }
}

fn term(term: &str, count: u64, previous: u64) -> TermRow {
    TermRow {
        term: term.into(),
        count,
        previous,
    }
}

fn rule(rule: &str, count: u64, previous: u64) -> RuleRow {
    RuleRow {
        rule: rule.into(),
        count,
        previous,
    }
}

#[allow(clippy::too_many_arguments)]
fn case(
    at: Timestamp,
    group: &str,
    member: &str,
    rule: &str,
    severity: &str,
    action: &str,
    status: &str,
) -> CaseRow {
    CaseRow {
        at,
        group: group.into(),
        member: member.into(),
        rule: rule.into(),
        severity: severity.into(),
        action: action.into(),
        status: status.into(),
    }
}

fn group(
    id: i64,
    name: &str,
    messages: u64,
    previous_messages: u64,
    active: u64,
    net: i64,
    violations: u64,
) -> GroupRow {
    GroupRow {
        group: id,
        name: name.into(),
        messages,
        previous_messages,
        active_members: active,
        net_growth: net,
        violations,
        negative_share: 0.06,
    }
}
