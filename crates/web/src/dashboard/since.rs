//! Since-actions from the dashboard (`/members/since`): remove or ban
//! everyone who joined a group in a window (after a raid), as the chat's
//! `/since` does. The form makes a dry run; the run page
//! (`/members/runs/{id}`, in `cleanup`) shows it and takes the
//! confirmation.
//!
//! Times are typed and shown in the group's time zone (its settings'
//! `timezone`, UTC when unset), and each group in the picker names its zone.
//!
//! Seeing needs `View`; the dry run (recorded) needs `Ban`.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Redirect;
use axum::routing::get;
use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::settings::ChatSettings;
use steward_core::settings::zone_label;
use steward_core::{GroupId, Permission, Timestamp};

use super::cleanup::{actor, group_titles, refusal, runs_table};
use super::page::{Dash, DashForm, PageError, notice};
use crate::AppState;

/// The `datetime-local` format the form sends.
const FORM_TIME: &str = "%Y-%m-%dT%H:%M";

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/members/since", get(page).post(dry_run))
}

/// A group's time zone (its settings' `timezone`; UTC when unset): the
/// times admins type for it and read about it are in it.
pub(crate) async fn group_zone(state: &AppState, group: GroupId) -> Result<FixedOffset, PageError> {
    Ok(chat_settings(state, group)
        .await?
        .utc_offset_at(chrono::Utc::now()))
}

/// A date and time typed into a `datetime-local` field for `group`, read
/// in the group's time zone (summer time included); `None` when it is not
/// a date and time.
pub(crate) async fn group_time(
    state: &AppState,
    group: GroupId,
    typed: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, PageError> {
    let typed = typed.trim();
    let Ok(local) = chrono::NaiveDateTime::parse_from_str(typed, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(typed, "%Y-%m-%dT%H:%M:%S"))
    else {
        return Ok(None);
    };
    Ok(Some(
        chat_settings(state, group).await?.zone().to_utc(local),
    ))
}

/// A group's chat settings as stored (defaults when unset or unreadable).
async fn chat_settings(state: &AppState, group: GroupId) -> Result<ChatSettings, PageError> {
    Ok(state
        .store()
        .group_settings_json(group)
        .await?
        .and_then(|json| serde_json::from_str::<ChatSettings>(&json).ok())
        .unwrap_or_default())
}

/// The time zones of the listed groups.
pub(crate) async fn group_zones(
    state: &AppState,
    titles: &[(GroupId, String)],
) -> Result<Vec<(GroupId, FixedOffset)>, PageError> {
    let mut zones = Vec::with_capacity(titles.len());
    for (group, _) in titles {
        zones.push((*group, group_zone(state, *group).await?));
    }
    Ok(zones)
}

/// One group's zone from [`group_zones`]; UTC when not listed.
pub(crate) fn zone_of(zones: &[(GroupId, FixedOffset)], group: GroupId) -> FixedOffset {
    zones
        .iter()
        .find(|(g, _)| *g == group)
        .map_or_else(|| chrono::Offset::fix(&Utc), |(_, z)| *z)
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    group: Option<String>,
    notice: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let titles = group_titles(&state).await?;
    let group: Option<GroupId> = query
        .group
        .as_deref()
        .and_then(|g| g.trim().parse().ok())
        .map(GroupId);
    let now = Utc::now();
    let zones = group_zones(&state, &titles).await?;
    // The form opens in the chosen (or first) group's time.
    let zone = zone_of(
        &zones,
        group
            .or(titles.first().map(|(g, _)| *g))
            .unwrap_or(GroupId(0)),
    );
    let local = |at: DateTime<Utc>| at.with_timezone(&zone).format(FORM_TIME).to_string();
    let runs: Vec<_> = state
        .store()
        .bulk_runs(group, 50)
        .await?
        .into_iter()
        .filter(|r| r.kind == "since")
        .collect();
    let body = html! {
        (notice(&dash, query.notice.as_deref()))
        p { a href="/members/cleanup" { "← " (dash.t("cleanup-title")) } }
        p.muted { (dash.t("since-intro")) }
        @if dash.can(Permission::Ban) {
            form.stack.card method="post" action="/members/since" {
                (dash.csrf_field())
                label for="since-group" { (dash.t("group")) }
                select #since-group name="group" required {
                    @for (id, title) in &titles {
                        option value=(id.0) selected[group == Some(*id)] {
                            (title) " (" (zone_label(zone_of(&zones, *id))) ")"
                        }
                    }
                }
                label for="since-from" { (dash.t("since-from")) }
                input #since-from type="datetime-local" name="from" required
                    value=(local(now - Duration::minutes(30)));
                label for="since-to" { (dash.t("since-to")) }
                input #since-to type="datetime-local" name="to" value=(local(now));
                p.muted { (dash.t("since-zone")) }
                fieldset {
                    legend { (dash.t("action")) }
                    label { input type="radio" name="action" value="kick" checked; " " (dash.t("since-kick")) }
                    label { input type="radio" name="action" value="ban"; " " (dash.t("since-ban")) }
                }
                button type="submit" { (dash.t("cleanup-dry-run")) }
            }
        } @else {
            p.muted { (dash.t("cleanup-needs-ban")) }
        }
        h2 { (dash.t("run-list")) }
        (runs_table(&dash, &runs, &titles, &zones))
    };
    Ok(dash.page(&dash.t("since-title"), body))
}

#[derive(Debug, Deserialize)]
struct SinceForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    action: String,
}

/// A time typed in the form, in the group's time zone.
fn parse_time(text: &str, zone: FixedOffset) -> Option<Timestamp> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, FORM_TIME)
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .map(|t| (t - Duration::seconds(i64::from(zone.local_minus_utc()))).and_utc())
}

async fn dry_run(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<SinceForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::Ban)?;
    let Ok(group) = form.group.trim().parse::<i64>().map(GroupId) else {
        return Err(dash.bad_request(&dash.t("inactive-bad-group")));
    };
    let now = Utc::now();
    let zone = group_zone(&state, group).await?;
    let Some(from) = parse_time(&form.from, zone) else {
        return Err(dash.bad_request(&dash.t("since-bad-time")));
    };
    let to = match form.to.trim() {
        "" => now,
        text => {
            parse_time(text, zone).ok_or_else(|| dash.bad_request(&dash.t("since-bad-time")))?
        }
    };
    // A minute typed as the end means the whole of it.
    let to = if to < now {
        to + Duration::seconds(59)
    } else {
        to
    };
    let ban = match form.action.as_str() {
        "ban" => true,
        "kick" | "" => false,
        _ => return Err(dash.bad_request(&dash.t("since-bad-action"))),
    };
    let plan = state
        .pipeline
        .since_dry_run(group, from, to, ban, &actor(&dash), now)
        .await
        .map_err(|e| refusal(&dash, e))?;
    Ok(Redirect::to(&format!("/members/runs/{}", plan.run)))
}
