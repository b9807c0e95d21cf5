//! Cleanups of silent members (清理僵尸粉) and the runs page every bulk
//! removal shares (cleanups and since-actions):
//!
//! * `/members/cleanup`: start a dry run (group, days silent, recent
//!   joiners spared), and the runs made so far;
//! * `/members/runs/{id}`: a dry run (who would be removed, who is spared
//!   and why) with the confirmation form, or a confirmed run's progress
//!   (done, pending, failed, from the outbox) with the undo form;
//! * `/members/exempt`: each group's exempt list.
//!
//! Seeing needs `View`; every change (dry runs too, since they are
//! recorded) needs `Ban`, checked here on the server.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use chrono::{FixedOffset, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::{GroupId, MemberId, Permission};
use steward_runtime::{BulkCriteria, BulkError, Pace};
use steward_storage::cleanups::{BulkMember, BulkRun};

use super::groups::group_name;
use super::page::{Dash, DashForm, PageError, notice, urlencode, when};
use super::since::{group_zone, group_zones, zone_of};
use crate::AppState;
use steward_core::settings::zone_label;

/// Runs listed on the cleanup page.
const RUNS_SHOWN: i64 = 50;
/// The silence asked for when none is given.
const DEFAULT_DAYS: i64 = 30;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/members/cleanup", get(page).post(dry_run))
        .route("/members/runs/{id}", get(run_page))
        .route("/members/runs/{id}/confirm", post(confirm))
        .route("/members/runs/{id}/undo", post(undo))
        .route("/members/exempt", get(exempt_page).post(exempt_change))
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    group: Option<String>,
    notice: Option<String>,
}

fn parse_group(dash: &Dash, raw: Option<&str>) -> Result<Option<GroupId>, PageError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse()
            .map(|id| Some(GroupId(id)))
            .map_err(|_| dash.bad_request(&dash.t("inactive-bad-group"))),
    }
}

fn parse_days(dash: &Dash, raw: &str, default: i64, min: i64) -> Result<i64, PageError> {
    match raw.trim() {
        "" => Ok(default),
        text => text
            .parse::<i64>()
            .ok()
            .filter(|d| (min..=3650).contains(d))
            .ok_or_else(|| dash.bad_request(&dash.t("inactive-bad-days"))),
    }
}

/// The name of a run's kind and action, for lists.
fn run_label(dash: &Dash, run: &BulkRun, zones: &[(GroupId, FixedOffset)]) -> String {
    let zone = zone_of(zones, run.group);
    let local =
        |at: chrono::DateTime<Utc>| at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
    match BulkCriteria::of_run(run) {
        Some(BulkCriteria::Cleanup { days, .. }) => {
            dash.ta("run-label-cleanup", &[("days", days.into())])
        }
        Some(BulkCriteria::Since { from, to, ban }) => dash.ta(
            if ban {
                "run-label-since-ban"
            } else {
                "run-label-since-kick"
            },
            &[
                ("from", local(from).into()),
                ("to", local(to).into()),
                ("zone", zone_label(zone).into()),
            ],
        ),
        None => run.kind.clone(),
    }
}

fn status_tag(dash: &Dash, status: &str) -> Markup {
    html! { span class=(format!("tag run-{status}")) { (dash.t(&format!("run-status-{}", status.replace('_', "-")))) } }
}

/// The runs made so far, newest first.
pub(crate) fn runs_table(
    dash: &Dash,
    runs: &[BulkRun],
    titles: &[(GroupId, String)],
    zones: &[(GroupId, FixedOffset)],
) -> Markup {
    html! {
        @if runs.is_empty() {
            p.muted { (dash.t("none-yet")) }
        } @else {
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (dash.t("group")) }
                    th scope="col" { (dash.t("run-what")) }
                    th scope="col" { (dash.t("run-status")) }
                    th scope="col" { (dash.t("run-by")) }
                    th scope="col" { (dash.t("time")) }
                } }
                tbody { @for run in runs {
                    tr {
                        td { a href=(format!("/members/runs/{}", run.id)) { "#" (run.id) } }
                        td { (titles.iter().find(|(g, _)| *g == run.group).map_or_else(|| format!("#{}", run.group), |(_, t)| t.clone())) }
                        td { (run_label(dash, run, zones)) }
                        td { (status_tag(dash, &run.status)) }
                        td { (run.created_by) }
                        td { (when(run.created_at)) }
                    }
                } }
            } }
        }
    }
}

pub(crate) async fn group_titles(state: &AppState) -> Result<Vec<(GroupId, String)>, PageError> {
    Ok(state
        .store()
        .list_groups()
        .await?
        .into_iter()
        .map(|g| (g.group.id, group_name(&g.group)))
        .collect())
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let group = parse_group(&dash, query.group.as_deref())?;
    let titles = group_titles(&state).await?;
    let runs = state.store().bulk_runs(group, RUNS_SHOWN).await?;
    let zones = group_zones(&state, &titles).await?;
    let body = html! {
        (notice(&dash, query.notice.as_deref()))
        p { a href="/members/inactive" { "← " (dash.t("inactive-title")) } }
        p.muted { (dash.t("cleanup-intro")) }
        @if dash.can(Permission::Ban) {
            (dry_run_form(&dash, &titles, group, DEFAULT_DAYS, None))
        } @else {
            p.muted { (dash.t("cleanup-needs-ban")) }
        }
        p {
            a href="/members/since" { (dash.t("since-title")) }
            " · "
            a href=(group.map_or_else(|| "/members/exempt".to_owned(), |g| format!("/members/exempt?group={g}"))) { (dash.t("exempt-title")) }
        }
        h2 { (dash.t("run-list")) }
        (runs_table(&dash, &runs, &titles, &zones))
    };
    Ok(dash.page(&dash.t("cleanup-title"), body))
}

/// The form that starts a cleanup's dry run (also on the inactive report).
pub(crate) fn dry_run_form(
    dash: &Dash,
    titles: &[(GroupId, String)],
    group: Option<GroupId>,
    days: i64,
    recent: Option<i64>,
) -> Markup {
    html! {
        form.stack.card method="post" action="/members/cleanup" {
            (dash.csrf_field())
            h2 { (dash.t("cleanup-start")) }
            label for="cleanup-group" { (dash.t("group")) }
            select #cleanup-group name="group" required {
                @for (id, title) in titles {
                    option value=(id.0) selected[group == Some(*id)] { (title) }
                }
            }
            label for="cleanup-days" { (dash.t("inactive-days")) }
            input #cleanup-days type="number" name="days" min="1" max="3650" value=(days) required;
            label for="cleanup-recent" { (dash.t("cleanup-recent")) }
            input #cleanup-recent type="number" name="recent_days" min="0" max="3650" value=(recent.unwrap_or(days));
            p.muted { (dash.t("cleanup-recent-hint")) }
            button type="submit" { (dash.t("cleanup-dry-run")) }
        }
    }
}

#[derive(Debug, Deserialize)]
struct DryRunForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    recent_days: String,
}

async fn dry_run(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<DryRunForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::Ban)?;
    let Some(group) = parse_group(&dash, Some(&form.group))? else {
        return Err(dash.bad_request(&dash.t("inactive-bad-group")));
    };
    let days = parse_days(&dash, &form.days, DEFAULT_DAYS, 1)?;
    let recent = parse_days(&dash, &form.recent_days, days, 0)?;
    let plan = state
        .pipeline
        .cleanup_dry_run(group, days, recent, &actor(&dash), Utc::now())
        .await
        .map_err(|e| refusal(&dash, e))?;
    Ok(Redirect::to(&format!("/members/runs/{}", plan.run)))
}

pub(crate) fn actor(dash: &Dash) -> String {
    format!("user:{}", dash.user.name)
}

pub(crate) fn refusal(dash: &Dash, error: BulkError) -> PageError {
    if error.is_refusal() {
        dash.bad_request(&dash.ta("form-invalid", &[("problem", error.to_string().into())]))
    } else {
        PageError::Internal(error.to_string())
    }
}

fn member_label(m: &BulkMember) -> String {
    m.name
        .clone()
        .or_else(|| m.username.as_ref().map(|u| format!("@{u}")))
        .unwrap_or_else(|| m.platform_id.clone())
}

fn outcome_tag(dash: &Dash, m: &BulkMember) -> Markup {
    let key = match (m.status.as_deref(), m.error.as_deref()) {
        (Some("done"), _) => "run-member-done",
        (Some("failed"), Some(steward_storage::cleanups::CANCELLED)) => "run-member-cancelled",
        (Some("failed"), _) => "run-member-failed",
        (Some(_), _) => "run-member-pending",
        (None, _) => "run-member-planned",
    };
    html! {
        span.tag title=(m.error.clone().unwrap_or_default()) { (dash.t(key)) }
    }
}

async fn run_page(
    State(state): State<AppState>,
    dash: Dash,
    Path(raw): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let id: i64 = raw.parse().map_err(|_| dash.not_found())?;
    let store = state.store();
    let Some(run) = store.bulk_run(id).await? else {
        return Err(dash.not_found());
    };
    let members = store.bulk_run_members(id).await?;
    let progress = store.bulk_progress(id).await?;
    let titles = group_titles(&state).await?;
    let title = titles
        .iter()
        .find(|(g, _)| *g == run.group)
        .map_or_else(|| format!("#{}", run.group), |(_, t)| t.clone());
    let removed: Vec<&BulkMember> = members.iter().filter(|m| m.spared.is_none()).collect();
    let spared: Vec<&BulkMember> = members.iter().filter(|m| m.spared.is_some()).collect();
    let link = match &run.link_key {
        Some(key) => store
            .action_result(key)
            .await?
            .and_then(|json| serde_json::from_str::<serde_json::Value>(&json).ok())
            .and_then(|v| {
                v.get("invite_link")
                    .and_then(|l| l.as_str())
                    .map(str::to_owned)
            }),
        None => None,
    };
    let removing_key = if run.action == "ban" {
        "run-would-ban"
    } else {
        "run-would-remove"
    };
    let zone = group_zone(&state, run.group).await?;
    let body = html! {
        (notice(&dash, query.notice.as_deref()))
        p { a href="/members/cleanup" { "← " (dash.t("cleanup-title")) } }
        div.cards {
            div.card {
                h2 { (dash.t("group")) }
                p { (title) }
                p.muted { (run_label(&dash, &run, &[(run.group, zone)])) }
            }
            div.card {
                h2 { (dash.t("run-status")) }
                p { (status_tag(&dash, &run.status)) }
                p.muted { (run.created_by) " · " (when(run.created_at)) }
                @if let (Some(by), Some(at)) = (&run.confirmed_by, run.confirmed_at) {
                    p.muted { (dash.ta("run-confirmed-by", &[("name", by.as_str().into()), ("time", when(at).into())])) }
                }
                @if let (Some(by), Some(at)) = (&run.undone_by, run.undone_at) {
                    p.muted { (dash.ta("run-undone-by", &[("name", by.as_str().into()), ("time", when(at).into())])) }
                }
            }
            @if run.status != "dry_run" && run.status != "superseded" {
                div.card {
                    h2 { (dash.t("run-progress")) }
                    p role="status" { (dash.ta("run-progress-text", &[
                        ("done", progress.done.into()),
                        ("pending", progress.pending.into()),
                        ("failed", progress.failed.into()),
                        ("cancelled", progress.cancelled.into()),
                        ("total", progress.total.into()),
                    ])) }
                }
            }
        }
        @if let Some(link) = &link {
            section.card {
                h2 { (dash.t("run-link")) }
                p { code { (link) } }
                p.muted { (dash.t("run-link-hint")) }
            }
        } @else if run.status == "undone" && run.link_key.is_some() {
            p.muted { (dash.t("run-link-pending")) }
        }
        @if run.status == "dry_run" && dash.can(Permission::Ban) {
            form.stack.card method="post" action=(format!("/members/runs/{}/confirm", run.id)) {
                (dash.csrf_field())
                input type="hidden" name="count" value=(removed.len());
                p { strong { (dash.ta("run-confirm-text", &[("count", removed.len().into())])) } }
                p.muted { (dash.t("run-confirm-hint")) }
                button.danger type="submit" disabled[removed.is_empty()] { (dash.t("run-confirm")) }
            }
        }
        @if run.status == "confirmed" && dash.can(Permission::Ban) {
            form.stack.card method="post" action=(format!("/members/runs/{}/undo", run.id)) {
                (dash.csrf_field())
                p.muted { (dash.t("run-undo-hint")) }
                button type="submit" { (dash.t("run-undo")) }
            }
        }
        section aria-labelledby="removed-h" {
            h2 #removed-h { (dash.ta(removing_key, &[("count", removed.len().into())])) }
            @if removed.is_empty() {
                p.muted { (dash.t("run-nobody")) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th scope="col" { (dash.t("member")) }
                        th scope="col" { (dash.t("run-outcome")) }
                        @if run.status == "dry_run" && dash.can(Permission::Ban) { th scope="col" { (dash.t("exempt-title")) } }
                    } }
                    tbody { @for m in &removed {
                        tr {
                            td { a href=(format!("/members/{}", m.member)) { (member_label(m)) } " " span.muted { code { (m.platform_id) } } }
                            td { (outcome_tag(&dash, m)) }
                            @if run.status == "dry_run" && dash.can(Permission::Ban) {
                                td {
                                    form method="post" action="/members/exempt" {
                                        (dash.csrf_field())
                                        input type="hidden" name="group" value=(run.group.0);
                                        input type="hidden" name="member" value=(format!("#{}", m.member.0));
                                        input type="hidden" name="op" value="add";
                                        input type="hidden" name="back" value=(format!("/members/runs/{}", run.id));
                                        button.link type="submit" { (dash.t("exempt-spare")) }
                                    }
                                }
                            }
                        }
                    } }
                } }
            }
        }
        section aria-labelledby="spared-h" {
            h2 #spared-h { (dash.ta("run-spared", &[("count", spared.len().into())])) }
            @if spared.is_empty() {
                p.muted { (dash.t("none-yet")) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th scope="col" { (dash.t("member")) }
                        th scope="col" { (dash.t("run-why")) }
                    } }
                    tbody { @for m in &spared {
                        tr {
                            td { a href=(format!("/members/{}", m.member)) { (member_label(m)) } }
                            td { span.tag { (dash.t(&format!("run-spared-{}", m.spared.as_deref().unwrap_or("other")))) } }
                        }
                    } }
                } }
            }
        }
    };
    Ok(dash.page(&dash.ta("run-title", &[("id", run.id.into())]), body))
}

#[derive(Debug, Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    count: String,
}

async fn confirm(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    DashForm(dash, form): DashForm<ConfirmForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::Ban)?;
    let id: i64 = raw.parse().map_err(|_| dash.not_found())?;
    let Ok(count) = form.count.trim().parse::<usize>() else {
        return Err(dash.bad_request(&dash.t("run-bad-count")));
    };
    let outcome = state
        .pipeline
        .confirm_bulk(id, Some(count), &actor(&dash), Pace::default(), Utc::now())
        .await;
    let (to, key) = match outcome {
        Ok(_) => (id, "notice-run-confirmed"),
        Err(BulkError::Changed { new_run }) => (new_run, "notice-run-changed"),
        Err(BulkError::NotDryRun(_)) => (id, "notice-run-not-dry-run"),
        Err(BulkError::UnknownRun(_)) => return Err(dash.not_found()),
        Err(e) => return Err(refusal(&dash, e)),
    };
    Ok(Redirect::to(&format!(
        "/members/runs/{to}?notice={}",
        urlencode(key)
    )))
}

async fn undo(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    DashForm(dash, _form): DashForm<ConfirmForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::Ban)?;
    let id: i64 = raw.parse().map_err(|_| dash.not_found())?;
    let key = match state
        .pipeline
        .undo_bulk(id, &actor(&dash), Pace::default(), Utc::now())
        .await
    {
        Ok(_) => "notice-run-undone",
        Err(BulkError::NotConfirmed(_)) => "notice-run-not-confirmed",
        Err(BulkError::UnknownRun(_)) => return Err(dash.not_found()),
        Err(e) => return Err(refusal(&dash, e)),
    };
    Ok(Redirect::to(&format!(
        "/members/runs/{id}?notice={}",
        urlencode(key)
    )))
}

async fn exempt_page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let titles = group_titles(&state).await?;
    let group = parse_group(&dash, query.group.as_deref())?.or(titles.first().map(|(g, _)| *g));
    let list = match group {
        Some(g) => state.store().exempt_list(g).await?,
        None => Vec::new(),
    };
    let body = html! {
        (notice(&dash, query.notice.as_deref()))
        p { a href="/members/cleanup" { "← " (dash.t("cleanup-title")) } }
        p.muted { (dash.t("exempt-intro")) }
        form.filters method="get" action="/members/exempt" {
            label for="exempt-group" {
                (dash.t("group"))
                select #exempt-group name="group" {
                    @for (id, title) in &titles {
                        option value=(id.0) selected[group == Some(*id)] { (title) }
                    }
                }
            }
            button type="submit" { (dash.t("filter")) }
        }
        @if list.is_empty() {
            p.muted { (dash.t("exempt-empty")) }
        } @else {
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (dash.t("member")) }
                    th scope="col" { (dash.t("run-by")) }
                    th scope="col" { (dash.t("time")) }
                    @if dash.can(Permission::Ban) { th scope="col" { (dash.t("actions")) } }
                } }
                tbody { @for x in &list {
                    tr {
                        td { a href=(format!("/members/{}", x.member)) {
                            (x.name.clone().or_else(|| x.username.as_ref().map(|u| format!("@{u}"))).unwrap_or_else(|| x.platform_id.clone()))
                        } }
                        td { (x.added_by) }
                        td { (when(x.added_at)) }
                        @if dash.can(Permission::Ban) {
                            td {
                                form method="post" action="/members/exempt" {
                                    (dash.csrf_field())
                                    input type="hidden" name="group" value=(group.map_or(0, |g| g.0));
                                    input type="hidden" name="member" value=(format!("#{}", x.member.0));
                                    input type="hidden" name="op" value="remove";
                                    button.link type="submit" { (dash.t("exempt-remove")) }
                                }
                            }
                        }
                    }
                } }
            } }
        }
        @if let (Some(g), true) = (group, dash.can(Permission::Ban)) {
            form.stack.card method="post" action="/members/exempt" {
                (dash.csrf_field())
                input type="hidden" name="group" value=(g.0);
                input type="hidden" name="op" value="add";
                label for="exempt-member" { (dash.t("exempt-member")) }
                input #exempt-member type="text" name="member" required maxlength="200";
                p.muted { (dash.t("exempt-member-hint")) }
                button type="submit" { (dash.t("exempt-add")) }
            }
        }
    };
    Ok(dash.page(&dash.t("exempt-title"), body))
}

#[derive(Debug, Deserialize)]
struct ExemptForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    member: String,
    #[serde(default)]
    op: String,
    #[serde(default)]
    back: String,
}

async fn exempt_change(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<ExemptForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::Ban)?;
    let Some(group) = parse_group(&dash, Some(&form.group))? else {
        return Err(dash.bad_request(&dash.t("inactive-bad-group")));
    };
    let groups = state.store().list_groups().await?;
    let Some(summary) = groups.iter().find(|g| g.group.id == group) else {
        return Err(dash.bad_request(&dash.t("inactive-bad-group")));
    };
    // `#42` is Steward's id; anything else a platform id first (what
    // admins see in chats), then Steward's id.
    let text = form.member.trim();
    let store = state.store();
    let member = match text.strip_prefix('#') {
        Some(id) => store.member_by_ref(id).await?,
        None => match store
            .member_by_ref(&format!("{}:{text}", summary.group.platform.as_str()))
            .await?
        {
            Some(found) => Some(found),
            None => store.member_by_ref(text).await?,
        },
    };
    let Some(member) = member else {
        return Err(dash.bad_request(&dash.t("exempt-unknown-member")));
    };
    let add = match form.op.as_str() {
        "add" => true,
        "remove" => false,
        _ => return Err(dash.bad_request(&dash.t("exempt-unknown-member"))),
    };
    let changed = state
        .pipeline
        .set_exempt(group, MemberId(member.0), add, &actor(&dash), Utc::now())
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let key = match (add, changed) {
        (true, true) => "notice-exempt-added",
        (false, true) => "notice-exempt-removed",
        _ => "notice-exempt-unchanged",
    };
    let back = form.back.trim();
    let back = if back.starts_with("/members/") && !back.contains("//") {
        back.to_owned()
    } else {
        format!("/members/exempt?group={group}")
    };
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!(
        "{back}{sep}notice={}",
        urlencode(key)
    )))
}
