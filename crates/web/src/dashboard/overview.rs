//! The overview page: every group's health at a glance, by community.
//!
//! Per group: messages and active members today (UTC) against the average
//! of the 7 days before, open review items; then two charts (today against
//! the average per group, messages per day over 14 days) and the latest
//! audit entries. Without groups, how to connect a platform.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::{GroupId, Permission};
use steward_storage::audit::{AuditFilter, AuditRow};
use steward_storage::entities::GroupSummary;
use steward_storage::stats::{DAY_MILLIS, DailyActivity, day_of};

use super::charts::{self, Point};
use super::groups::{by_community, group_name};
use super::page::{Dash, PageError, action_tag, notice, when};
use crate::AppState;

/// Days the averages look back on (before today).
const AVERAGE_DAYS: i64 = 7;
/// Days of the messages-per-day chart (today included).
const CHART_DAYS: i64 = 14;
/// Audit entries shown.
const RECENT: i64 = 10;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/overview", get(page))
}

#[derive(Debug, Default, Deserialize)]
struct OverviewQuery {
    notice: Option<String>,
}

/// One group's figures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Health {
    messages_today: i64,
    active_today: i64,
    messages_average: f64,
    active_average: f64,
    pending: i64,
}

/// Figures per group from the daily rows, for `today`.
fn health(rows: &[DailyActivity], today: i64) -> HashMap<GroupId, Health> {
    let mut out: HashMap<GroupId, Health> = HashMap::new();
    for row in rows {
        let h = out.entry(row.group).or_default();
        if row.day == today {
            h.messages_today += row.messages;
            h.active_today += row.active_members;
        } else if row.day >= today - AVERAGE_DAYS && row.day < today {
            h.messages_average += row.messages as f64 / AVERAGE_DAYS as f64;
            h.active_average += row.active_members as f64 / AVERAGE_DAYS as f64;
        }
    }
    out
}

/// Total messages per day, for the `CHART_DAYS` days up to `today`.
fn per_day(rows: &[DailyActivity], today: i64) -> Vec<(i64, i64)> {
    let first = today - (CHART_DAYS - 1);
    let mut totals: Vec<(i64, i64)> = (first..=today).map(|d| (d, 0)).collect();
    for row in rows {
        if let Some(slot) = usize::try_from(row.day - first)
            .ok()
            .and_then(|i| totals.get_mut(i))
        {
            slot.1 += row.messages;
        }
    }
    totals
}

/// The label of a day (`03-14`).
fn day_label(day: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(day * DAY_MILLIS)
        .map(|d| d.format("%m-%d").to_string())
        .unwrap_or_default()
}

fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

/// Today against the average: an arrow with the change, and the sentence
/// saying it (as the title, and for screen readers in the text).
fn change(dash: &Dash, now: i64, average: f64) -> Markup {
    let now_f = now as f64;
    if average <= 0.0 {
        return if now == 0 {
            html! { span.muted { "–" span.visually-hidden { (dash.t("overview-change-none")) } } }
        } else {
            let text = dash.t("overview-change-new");
            html! { span.up title=(text) { "▲" span.visually-hidden { (text) } } }
        };
    }
    let percent = ((now_f - average) / average * 100.0).round();
    if percent.abs() < 1.0 {
        let text = dash.t("overview-change-same");
        return html! { span.muted title=(text) { "= 0%" span.visually-hidden { (text) } } };
    }
    let shown = format!("{}", percent.abs());
    if percent > 0.0 {
        let text = dash.ta("overview-change-up", &[("percent", shown.as_str().into())]);
        html! { span.up title=(text) { "▲ +" (shown) "%" span.visually-hidden { (text) } } }
    } else {
        let text = dash.ta(
            "overview-change-down",
            &[("percent", shown.as_str().into())],
        );
        html! { span.down title=(text) { "▼ −" (shown) "%" span.visually-hidden { (text) } } }
    }
}

async fn page(
    dash: Dash,
    State(state): State<AppState>,
    Query(query): Query<OverviewQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let store = state.store();
    let title = dash.t("nav-overview");
    let groups = store.list_groups().await?;
    if groups.is_empty() {
        return Ok(dash.page(
            &title,
            html! {
                (notice(&dash, query.notice.as_deref()))
                (empty_state(&dash))
            },
        ));
    }
    let today = day_of(Utc::now());
    let rows = store
        .daily_activity(today - (CHART_DAYS - 1).max(AVERAGE_DAYS), today)
        .await?;
    let mut figures = health(&rows, today);
    for (group, n) in store.open_cases_per_group().await? {
        figures.entry(group).or_default().pending = n;
    }
    let recent = if dash.can(Permission::ViewAudit) {
        Some(
            store
                .list_audit(&AuditFilter {
                    limit: RECENT,
                    ..AuditFilter::default()
                })
                .await?,
        )
    } else {
        None
    };
    let names: HashMap<GroupId, String> = groups
        .iter()
        .map(|g| (g.group.id, group_name(&g.group)))
        .collect();
    let total = figures.values().fold(Health::default(), |a, h| Health {
        messages_today: a.messages_today + h.messages_today,
        active_today: a.active_today + h.active_today,
        messages_average: a.messages_average + h.messages_average,
        active_average: a.active_average + h.active_average,
        pending: a.pending + h.pending,
    });
    let paired: Vec<(String, f64, f64)> = groups
        .iter()
        .map(|g| {
            let h = figures.get(&g.group.id).copied().unwrap_or_default();
            (
                names[&g.group.id].clone(),
                h.messages_today as f64,
                h.messages_average,
            )
        })
        .collect();
    let days: Vec<Point> = per_day(&rows, today)
        .into_iter()
        .map(|(day, n)| Point::new(day_label(day), n as f64))
        .collect();
    let body = html! {
        (notice(&dash, query.notice.as_deref()))
        div.cards {
            div.card {
                div.muted { (dash.t("overview-groups")) }
                div.stat { (groups.len()) }
            }
            div.card {
                div.muted { (dash.t("overview-messages-today")) }
                div.stat { (total.messages_today) " " (change(&dash, total.messages_today, total.messages_average)) }
                div.muted { (dash.ta("overview-average", &[("average", one_decimal(total.messages_average).into())])) }
            }
            div.card {
                div.muted { (dash.t("overview-active-today")) }
                div.stat { (total.active_today) " " (change(&dash, total.active_today, total.active_average)) }
                div.muted { (dash.ta("overview-average", &[("average", one_decimal(total.active_average).into())])) }
            }
            div.card {
                div.muted { (dash.t("overview-pending")) }
                div.stat {
                    @if dash.can(Permission::Moderate) {
                        a href="/review" { (total.pending) }
                    } @else {
                        (total.pending)
                    }
                }
            }
        }
        @for (community, members) in by_community(&groups) {
            section {
                h2 { (community.unwrap_or_else(|| dash.t("overview-no-community"))) }
                (group_table(&dash, &members, &figures))
            }
        }
        p.muted { (dash.t("overview-utc-note")) }
        div.charts {
            div.card {
                (charts::paired_bars(
                    &dash.t("overview-chart-today"),
                    (&dash.t("overview-legend-today"), &dash.t("overview-legend-average")),
                    &paired,
                ))
            }
            div.card {
                (charts::line(&dash.t("overview-chart-days"), &days))
            }
        }
        @if let Some(recent) = recent {
            section {
                h2 { (dash.t("overview-recent")) }
                (recent_table(&dash, &recent, &names))
                p { a href="/audit" { (dash.t("overview-all-audit")) } }
            }
        }
    };
    Ok(dash.page(&title, body))
}

fn group_table(
    dash: &Dash,
    groups: &[&GroupSummary],
    figures: &HashMap<GroupId, Health>,
) -> Markup {
    html! {
        div.table-wrap {
            table {
                thead {
                    tr {
                        th scope="col" { (dash.t("group")) }
                        th scope="col" .hide-narrow { (dash.t("overview-platform")) }
                        th scope="col" { (dash.t("overview-col-messages")) }
                        th scope="col" .hide-narrow { (dash.t("overview-col-average")) }
                        th scope="col" { (dash.t("overview-col-change")) }
                        th scope="col" { (dash.t("overview-col-active")) }
                        th scope="col" .hide-narrow { (dash.t("overview-col-average")) }
                        th scope="col" { (dash.t("overview-col-change")) }
                        th scope="col" { (dash.t("overview-col-pending")) }
                    }
                }
                tbody {
                    @for g in groups {
                        @let h = figures.get(&g.group.id).copied().unwrap_or_default();
                        tr {
                            th scope="row" { a href=(format!("/groups/{}", g.group.id.0)) { (group_name(&g.group)) } }
                            td.hide-narrow { span.tag { (g.group.platform.as_str()) } }
                            td { (h.messages_today) }
                            td.hide-narrow { (one_decimal(h.messages_average)) }
                            td { (change(dash, h.messages_today, h.messages_average)) }
                            td { (h.active_today) }
                            td.hide-narrow { (one_decimal(h.active_average)) }
                            td { (change(dash, h.active_today, h.active_average)) }
                            td { (h.pending) }
                        }
                    }
                }
            }
        }
    }
}

fn recent_table(dash: &Dash, rows: &[AuditRow], names: &HashMap<GroupId, String>) -> Markup {
    if rows.is_empty() {
        return html! { p.muted { (dash.t("overview-recent-none")) } };
    }
    html! {
        div.table-wrap {
            table {
                thead {
                    tr {
                        th scope="col" { (dash.t("time")) }
                        th scope="col" { (dash.t("group")) }
                        th scope="col" { (dash.t("overview-actor")) }
                        th scope="col" { (dash.t("action")) }
                        th scope="col" { (dash.t("reason")) }
                    }
                }
                tbody {
                    @for row in rows {
                        tr {
                            td { time datetime=(row.at.to_rfc3339()) { (when(row.at)) } }
                            td {
                                @if let Some(group) = row.group {
                                    (names.get(&group).cloned().unwrap_or_else(|| format!("#{}", group.0)))
                                }
                            }
                            td { (row.actor) }
                            td { (action_tag(dash, &row.action)) }
                            td {
                                @if let Some(reason) = &row.reason {
                                    (reason)
                                } @else if let Some(target) = &row.target {
                                    span.muted { (target) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn empty_state(dash: &Dash) -> Markup {
    html! {
        section.card {
            h2 { (dash.t("overview-empty-title")) }
            p { (dash.t("overview-empty-intro")) }
            ul {
                li {
                    (dash.t("overview-empty-ingest")) " "
                    code { "POST /api/v1/ingest" }
                }
                li {
                    (dash.t("overview-empty-telegram")) " "
                    code { "steward serve" }
                }
            }
            p.muted { (dash.t("overview-empty-readme")) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(group: i64, day: i64, messages: i64, active: i64) -> DailyActivity {
        DailyActivity {
            group: GroupId(group),
            day,
            messages,
            active_members: active,
        }
    }

    #[test]
    fn today_is_weighed_against_the_seven_days_before() {
        let today = 100;
        let rows = [
            row(1, today, 5, 2),
            row(1, today - 1, 14, 7),
            row(1, today - 7, 7, 7),
            // Too old for the average.
            row(1, today - 8, 1000, 1000),
            row(2, today - 3, 70, 0),
        ];
        let figures = health(&rows, today);
        let one = figures[&GroupId(1)];
        assert_eq!(one.messages_today, 5);
        assert_eq!(one.active_today, 2);
        assert!((one.messages_average - 3.0).abs() < 1e-9);
        assert!((one.active_average - 2.0).abs() < 1e-9);
        let two = figures[&GroupId(2)];
        assert_eq!(two.messages_today, 0);
        assert!((two.messages_average - 10.0).abs() < 1e-9);

        let days = per_day(&rows, today);
        assert_eq!(days.len(), 14);
        assert_eq!(days[13], (today, 5));
        assert_eq!(days[12], (today - 1, 14));
        assert_eq!(days[0].0, today - 13);
    }

    #[test]
    fn days_are_labelled_by_utc_date() {
        assert_eq!(day_label(0), "01-01");
        assert_eq!(day_label(31 + 13), "02-14");
    }
}
