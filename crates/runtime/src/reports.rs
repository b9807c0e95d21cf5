//! Builds a [`Report`] on a group or a community for a period from the
//! roll-ups and the store: the figures of the period and of the one before,
//! the day-by-day series, activity by weekday and hour, contributors, terms,
//! moderation and its cases, participation, tickets and alerts.
//!
//! The days are the local days of the group's time zone; a community's
//! report uses the zone and language of its first group (by id), and its
//! groups' roll-ups are summed day by day.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use steward_core::i18n::Lang;
use steward_core::settings::ChatSettings;
use steward_core::zone::Zone;
use steward_core::{GroupId, Timestamp};
use steward_insights::trends;
use steward_reports::period::{Period, PeriodKind, date_of};
use steward_reports::{
    AlertRow, CaseRow, Content, Contributor, DayRow, Figures, GroupRow, Moderation, Participation,
    Questions, REPORT_VERSION, Report, Retention, RuleRow, Scope, ScopeKind, Sentiment, TermRow,
    Tickets,
};
use steward_storage::report_data::{ReportRange, ReportScope};
use steward_storage::{Store, StoreError};

/// How many contributors, terms and cases a report lists.
const TOP_CONTRIBUTORS: i64 = 10;
const TOP_TERMS: usize = 15;
const RISING_TERMS: usize = 10;
/// Terms read per period to find the rising ones.
const TERMS_READ: i64 = 2000;
/// A term needs this many messages in the period to count as rising.
const RISING_MIN: u64 = 3;
const CASES: i64 = 10;

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportTarget {
    /// One group.
    Group(GroupId),
    /// Every group of a community, by id.
    Community(i64),
}

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// No such group or community, or a community without groups.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where a report's days are counted and what it is called.
#[derive(Debug, Clone)]
struct Subject {
    scope: Scope,
    store_scope: ReportScope,
    zone: Zone,
    zone_name: String,
    language: Lang,
    group_names: HashMap<i64, String>,
}

/// The period a report covers: the one containing `at`, or without a date
/// the last complete one before `now` in the subject's zone.
pub fn report_period(
    kind: PeriodKind,
    at: Option<NaiveDate>,
    zone: Zone,
    now: Timestamp,
) -> Period {
    match at {
        Some(date) => Period::containing(kind, date),
        None => {
            let today = now.with_timezone(&zone.offset_at(now)).date_naive();
            Period::last_complete(kind, today)
        }
    }
}

/// The zone a target's days are counted in.
pub async fn target_zone(store: &Store, target: ReportTarget) -> Result<Zone, ReportError> {
    Ok(subject(store, target).await?.zone)
}

async fn subject(store: &Store, target: ReportTarget) -> Result<Subject, ReportError> {
    let groups = store.list_groups().await?;
    let members: Vec<_> = groups
        .iter()
        .filter(|g| match target {
            ReportTarget::Group(id) => g.group.id == id,
            ReportTarget::Community(id) => g.group.community.map(|c| c.0) == Some(id),
        })
        .collect();
    let Some(first) = members.iter().min_by_key(|g| g.group.id.0) else {
        return Err(ReportError::NotFound(match target {
            ReportTarget::Group(_) => "group",
            ReportTarget::Community(_) => "community (or it has no groups)",
        }));
    };
    let settings: ChatSettings = store
        .group_settings_json(first.group.id)
        .await?
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default();
    let zone = settings.zone();
    let group_names = members
        .iter()
        .map(|g| {
            let name = g
                .group
                .title
                .clone()
                .unwrap_or_else(|| g.group.platform_id.clone());
            (g.group.id.0, name)
        })
        .collect::<HashMap<_, _>>();
    let (scope, store_scope) = match target {
        ReportTarget::Group(id) => (
            Scope {
                kind: ScopeKind::Group,
                id: id.0,
                name: group_names.get(&id.0).cloned().unwrap_or_default(),
            },
            ReportScope::group(id),
        ),
        ReportTarget::Community(id) => (
            Scope {
                kind: ScopeKind::Community,
                id,
                name: first.community_name.clone().unwrap_or_default(),
            },
            ReportScope::community(id),
        ),
    };
    Ok(Subject {
        scope,
        store_scope,
        zone,
        zone_name: settings
            .timezone
            .clone()
            .unwrap_or_else(|| "UTC".to_owned()),
        language: first.group.language,
        group_names,
    })
}

fn range_of(period: &Period, zone: Zone) -> ReportRange {
    let since = zone.to_utc(period.start.and_time(NaiveTime::MIN));
    let until = zone.to_utc(period.end.and_time(NaiveTime::MIN));
    ReportRange {
        first_day: period.first_day(),
        end_day: period.end_day(),
        since: since.timestamp_millis(),
        until: until.timestamp_millis(),
        offset: i64::from(zone.offset_at(since).local_minus_utc()) * 1000,
    }
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn share(part: i64, whole: i64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) as f64 / 2.0
    } else {
        values[mid] as f64
    })
}

/// Builds the report on `target` for `period`.
pub async fn build_report(
    store: &Store,
    target: ReportTarget,
    kind: PeriodKind,
    at: Option<NaiveDate>,
    now: Timestamp,
) -> Result<Report, ReportError> {
    let subject = subject(store, target).await?;
    let period = report_period(kind, at, subject.zone, now);
    let previous_period = period.previous();
    let range = range_of(&period, subject.zone);
    let previous_range = range_of(&previous_period, subject.zone);
    let scope = subject.store_scope;

    let current = figures(store, scope, range).await?;
    let previous = figures(store, scope, previous_range).await?;

    let per_day = store.report_day_sums(scope, range, true).await?;
    let (_, active_per_day) = store.report_active_members(scope, range).await?;
    let violations_per_day: HashMap<i64, i64> = store
        .report_violations_by_day(scope, range)
        .await?
        .into_iter()
        .collect();
    let sums_by_day: HashMap<i64, _> = per_day.iter().map(|s| (s.day, *s)).collect();
    let active_by_day: HashMap<i64, i64> = active_per_day.into_iter().collect();
    let days = (range.first_day..range.end_day)
        .map(|day| {
            let sums = sums_by_day.get(&day).copied().unwrap_or_default();
            DayRow {
                date: date_of(day),
                messages: count(sums.messages),
                active_members: count(active_by_day.get(&day).copied().unwrap_or(0)),
                joins: count(sums.joins),
                leaves: count(sums.leaves),
                violations: count(violations_per_day.get(&day).copied().unwrap_or(0)),
                negative_share: share(sums.negative, sums.scored),
            }
        })
        .collect();

    let mut hours = vec![[0u64; 24]; 7];
    for (day, hour, n) in store.report_hours(scope, range).await? {
        let weekday = crate::pipeline::weekday_of(day);
        if let Some(slot) = usize::try_from(hour)
            .ok()
            .and_then(|h| hours[weekday].get_mut(h))
        {
            *slot += count(n);
        }
    }

    let top_contributors = store
        .report_top_contributors(scope, range, TOP_CONTRIBUTORS)
        .await?
        .into_iter()
        .map(|(member, name, messages)| Contributor {
            member,
            name,
            messages: count(messages),
        })
        .collect();

    let (top_terms, rising_terms) = terms(store, scope, range, previous_range).await?;

    let previous_rules: HashMap<String, i64> = store
        .report_violations_by_rule(scope, previous_range)
        .await?
        .into_iter()
        .collect();
    let violations_by_rule = store
        .report_violations_by_rule(scope, range)
        .await?
        .into_iter()
        .map(|(rule, n)| RuleRow {
            previous: count(previous_rules.get(&rule).copied().unwrap_or(0)),
            rule,
            count: count(n),
        })
        .collect();

    let cases = store
        .report_cases(scope, range, CASES)
        .await?
        .into_iter()
        .map(|c| CaseRow {
            at: c.at,
            group: c.group,
            member: c.member,
            rule: c.rule,
            severity: c.severity,
            action: action_summary(&c.actions),
            status: c.status,
        })
        .collect();

    let groups = if subject.scope.kind == ScopeKind::Community {
        let before: HashMap<i64, i64> = store
            .report_group_sums(scope, previous_range)
            .await?
            .into_iter()
            .map(|g| (g.group, g.sums.messages))
            .collect();
        store
            .report_group_sums(scope, range)
            .await?
            .into_iter()
            .map(|g| GroupRow {
                group: g.group,
                name: subject
                    .group_names
                    .get(&g.group)
                    .cloned()
                    .unwrap_or_default(),
                messages: count(g.sums.messages),
                previous_messages: count(before.get(&g.group).copied().unwrap_or(0)),
                active_members: count(g.active_members),
                net_growth: g.sums.joins - g.sums.leaves,
                violations: count(g.violations),
                negative_share: share(g.sums.negative, g.sums.scored),
            })
            .collect()
    } else {
        Vec::new()
    };

    let alerts = store
        .report_alerts(scope, range)
        .await?
        .into_iter()
        .map(|(at, group, kind, detail)| AlertRow {
            at,
            group,
            kind,
            detail,
        })
        .collect();

    Ok(Report {
        version: REPORT_VERSION,
        scope: subject.scope,
        period,
        previous_period,
        time_zone: subject.zone_name,
        language: subject.language,
        generated_at: now,
        current,
        previous,
        days,
        hours,
        top_contributors,
        top_terms,
        rising_terms,
        violations_by_rule,
        cases,
        groups,
        alerts,
    })
}

/// The figures of one range.
async fn figures(
    store: &Store,
    scope: ReportScope,
    range: ReportRange,
) -> Result<Figures, ReportError> {
    let totals = store
        .report_day_sums(scope, range, false)
        .await?
        .into_iter()
        .next()
        .unwrap_or_default();
    let (active, per_day) = store.report_active_members(scope, range).await?;
    let days = (range.end_day - range.first_day).max(1);
    let daily_active_average = per_day.iter().map(|(_, n)| *n).sum::<i64>() as f64 / days as f64;
    let members = store.report_members_at(scope, range.until).await?;

    // Cohorts whose whole week of interest ends before the period does, so
    // a past period's figure never changes.
    let end = range.end_day;
    let (w1_cohort, w1_retained) = store
        .report_retention(scope, end - 21, end - 14, 7, 14, end)
        .await?;
    let (w4_cohort, w4_retained) = store
        .report_retention(scope, end - 42, end - 35, 28, 35, end)
        .await?;

    let mut responses = store.report_response_times(scope, range).await?;
    let answered = responses.len() as u64;
    let median_response_seconds = median(&mut responses).map(|ms| ms / 1000.0);

    let actions: HashMap<String, i64> = store
        .report_actions(scope, range)
        .await?
        .into_iter()
        .collect();
    let action = |k: &str| count(actions.get(k).copied().unwrap_or(0));
    let decisions: HashMap<String, i64> = store
        .report_case_decisions(scope, range)
        .await?
        .into_iter()
        .collect();
    let decided: i64 = decisions
        .iter()
        .filter(|(status, _)| status.as_str() != "open")
        .map(|(_, n)| n)
        .sum();
    let reversed = decisions.get("dismissed").copied().unwrap_or(0);
    let violations: i64 = store
        .report_violations_by_rule(scope, range)
        .await?
        .iter()
        .map(|(_, n)| n)
        .sum();

    let [
        checkins,
        poll_votes,
        quiz_answers,
        raffle_entries,
        event_signups,
        participants,
    ] = store.report_participation(scope, range).await?;
    let (opened, overdue, mut resolve_times, causes) = store.report_tickets(scope, range).await?;

    Ok(Figures {
        messages: count(totals.messages),
        active_members: count(active),
        daily_active_average,
        members: count(members),
        posting_share: share(active, members),
        joins: count(totals.joins),
        leaves: count(totals.leaves),
        net_growth: totals.joins - totals.leaves,
        retention: Retention {
            week1_cohort: count(w1_cohort),
            week1_retained: count(w1_retained),
            week4_cohort: count(w4_cohort),
            week4_retained: count(w4_retained),
        },
        questions: Questions {
            asked: count(totals.questions),
            answered,
            median_response_seconds,
        },
        content: Content {
            text: count(totals.text_messages),
            links: count(totals.link_messages),
            media: count(totals.media_messages),
        },
        moderation: Moderation {
            violations: count(violations),
            deletions: action("delete_message") + action("delete_messages"),
            warnings: action("warn"),
            mutes: action("mute"),
            bans: action("kick") + action("ban"),
            cases_decided: count(decided),
            reversed: count(reversed),
            false_positive_rate: (decided > 0).then(|| share(reversed, decided)),
        },
        participation: Participation {
            checkins: count(checkins),
            poll_votes: count(poll_votes),
            quiz_answers: count(quiz_answers),
            raffle_entries: count(raffle_entries),
            event_signups: count(event_signups),
            participants: count(participants),
        },
        tickets: Tickets {
            opened: count(opened),
            resolved: resolve_times.len() as u64,
            median_resolve_hours: median(&mut resolve_times).map(|ms| ms / 3_600_000.0),
            overdue: count(overdue),
            causes: causes.into_iter().map(|(t, n)| (t, count(n))).collect(),
        },
        sentiment: Sentiment {
            scored: count(totals.scored),
            negative: count(totals.negative),
            positive: count(totals.positive),
            negative_share: share(totals.negative, totals.scored),
        },
    })
}

/// The top terms of the range, and those rising fastest against the range
/// before.
async fn terms(
    store: &Store,
    scope: ReportScope,
    range: ReportRange,
    previous: ReportRange,
) -> Result<(Vec<TermRow>, Vec<TermRow>), ReportError> {
    let read = |rows: Vec<(String, i64)>| -> HashMap<String, u64> {
        rows.into_iter().map(|(t, n)| (t, count(n))).collect()
    };
    let now = read(store.report_terms(scope, range, TERMS_READ).await?);
    let candidates: Vec<String> = now.keys().cloned().collect();
    let before = read(
        store
            .report_term_counts(scope, previous, &candidates)
            .await?,
    );
    let top = trends::top_terms(&now, TOP_TERMS)
        .into_iter()
        .map(|(term, count)| TermRow {
            previous: before.get(&term).copied().unwrap_or(0),
            term,
            count,
        })
        .collect();
    let rising = trends::rising_terms(&now, &before, RISING_TERMS, RISING_MIN)
        .into_iter()
        .filter(|r| r.current > r.previous)
        .map(|r| TermRow {
            term: r.term,
            count: r.current,
            previous: r.previous,
        })
        .collect();
    Ok((top, rising))
}

/// The kinds of the actions a case stored (a JSON list of planned
/// actions), joined: `delete_message + mute`.
fn action_summary(actions: &str) -> String {
    let parsed: Vec<serde_json::Value> = serde_json::from_str(actions).unwrap_or_default();
    let kinds: Vec<&str> = parsed
        .iter()
        .filter_map(|a| a.get("kind").and_then(serde_json::Value::as_str))
        .collect();
    kinds.join(" + ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_names_its_actions() {
        let actions = r#"[{"group":"g","kind":"delete_message","message":"1"},{"group":"g","kind":"mute","member":"u","until":"2026-01-01T00:00:00Z"}]"#;
        assert_eq!(action_summary(actions), "delete_message + mute");
        assert_eq!(action_summary("not json"), "");
    }

    #[test]
    fn medians_of_even_and_odd_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
    }

    #[test]
    fn without_a_date_the_last_complete_period_is_reported() {
        let now: Timestamp = "2026-11-22T20:00:00Z".parse().unwrap();
        let shanghai = Zone::parse("Asia/Shanghai").unwrap();
        // 04:00 on the 23rd in Shanghai: yesterday there is the 22nd.
        let day = report_period(PeriodKind::Daily, None, shanghai, now);
        assert_eq!(day.start, "2026-11-22".parse::<NaiveDate>().unwrap());
        let week = report_period(PeriodKind::Weekly, None, Zone::default(), now);
        assert_eq!(week.start, "2026-11-09".parse::<NaiveDate>().unwrap());
    }
}
