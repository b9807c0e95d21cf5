//! The inactive-members report (清理僵尸粉): who has been silent in a group
//! for at least N days, with their last message and join dates. It is the
//! list a cleanup starts from: admins, owners, members who left and
//! recent joiners are never listed. Admins start a cleanup's dry run from
//! here (`cleanup`).

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use chrono::{Duration, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::{GroupId, Permission};

use super::cleanup::dry_run_form;
use super::groups::group_name;
use super::page::{Dash, PageError, when};
use crate::AppState;

/// Most rows shown.
const LIMIT: i64 = 1000;
/// The silence asked for when none is given.
const DEFAULT_DAYS: i64 = 30;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/members/inactive", get(page))
}

#[derive(Debug, Default, Deserialize)]
struct ReportQuery {
    group: Option<String>,
    days: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<ReportQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let days = match query.days.as_deref().map(str::trim) {
        None | Some("") => DEFAULT_DAYS,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=3650).contains(d))
            .ok_or_else(|| dash.bad_request(&dash.t("inactive-bad-days")))?,
    };
    let group = match query.group.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => {
            Some(GroupId(text.parse().map_err(|_| {
                dash.bad_request(&dash.t("inactive-bad-group"))
            })?))
        }
    };
    let groups = state.store().list_groups().await?;
    let since = Utc::now() - Duration::days(days);
    let silent = state.store().silent_members(group, since, LIMIT).await?;
    let titles: Vec<(GroupId, String)> = groups
        .iter()
        .map(|g| (g.group.id, group_name(&g.group)))
        .collect();
    let title = dash.t("inactive-title");
    Ok(dash.page(
        &title,
        html! {
            p { a href="/members" { "← " (dash.t("nav-members")) } }
            p.muted { (dash.t("inactive-intro")) }
            form.filters method="get" action="/members/inactive" {
                label for="inactive-group" {
                    (dash.t("group"))
                    select #inactive-group name="group" {
                        option value="" { (dash.t("inactive-all-groups")) }
                        @for summary in &groups {
                            option value=(summary.group.id.0) selected[group == Some(summary.group.id)] { (group_name(&summary.group)) }
                        }
                    }
                }
                label for="inactive-days" {
                    (dash.t("inactive-days"))
                    input #inactive-days type="number" name="days" min="1" max="3650" value=(days);
                }
                button type="submit" { (dash.t("filter")) }
            }
            p role="status" { (dash.ta("inactive-count", &[("count", silent.len().into()), ("days", days.into())])) }
            @if dash.can(Permission::Ban) && !titles.is_empty() {
                details.cleanup {
                    summary { (dash.t("inactive-cleanup-link")) }
                    (dry_run_form(&dash, &titles, group, days, None))
                }
            }
            p { a href="/members/cleanup" { (dash.t("cleanup-title")) } " · " a href="/members/exempt" { (dash.t("exempt-title")) } }
            @if !silent.is_empty() {
                div.table-wrap { table {
                    thead { tr {
                        th { (dash.t("member")) }
                        th { (dash.t("group")) }
                        th { (dash.t("inactive-last-message")) }
                        th.hide-narrow { (dash.t("inactive-joined")) }
                        th.hide-narrow { (dash.t("inactive-messages")) }
                    } }
                    tbody {
                        @for row in &silent {
                            tr {
                                td {
                                    a href=(format!("/members/{}", row.member.0)) {
                                        (row.name.clone().or_else(|| row.username.clone()).unwrap_or_else(|| row.platform_id.clone()))
                                    }
                                    @if let Some(username) = &row.username { " " span.muted { "@" (username) } }
                                }
                                td { (row.group_title.clone().unwrap_or_else(|| format!("#{}", row.group.0))) }
                                td { @match row.last_active { Some(at) => (when(at)), None => span.muted { (dash.t("inactive-never")) } } }
                                td.hide-narrow { @match row.joined { Some(at) => (when(at)), None => span.muted { "—" } } }
                                td.hide-narrow { (row.messages) }
                            }
                        }
                    }
                } }
            }
        },
    ))
}
