//! The events page (接龙, online talks): every event with its start, its
//! sign-up list and waiting list; a form to announce one (group, title,
//! description, start in the group's time zone, cap, reminders); and
//! cancelling. Announcing and cancelling need `ManageGroups`; the pipeline
//! posts to the group and writes the audit log.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::activity::parse_reminders;
use steward_core::{GroupId, Permission};
use steward_runtime::{ActivityError, ActivitySpec};
use steward_storage::activities::Activity;
use steward_storage::entities::GroupSummary;

use super::groups::group_name;
use super::page::{Dash, DashForm, PageError, notice, when};
use crate::AppState;

/// How many events the page lists.
const LIST: i64 = 100;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/activities", get(page).post(create))
        .route("/activities/{id}/cancel", post(cancel))
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    notice: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let groups = state.store().list_groups().await?;
    let activities = state.store().activities(None, LIST).await?;
    let manage = dash.can(Permission::ManageGroups);
    let mut rows = Vec::with_capacity(activities.len());
    for activity in activities {
        let signups = state.store().activity_signups(activity.id).await?;
        rows.push((activity, signups));
    }
    Ok(dash.page(
        &dash.t("activities-title"),
        html! {
            (notice(&dash, query.notice.as_deref()))
            p.muted { (dash.t("activities-intro")) }
            section.card aria-labelledby="activities-list-h" {
                h2 #activities-list-h { (dash.t("activities-list")) }
                @if rows.is_empty() {
                    p.muted { (dash.t("activities-none")) }
                }
                @for (activity, signups) in &rows {
                    @let cap = activity.cap.map_or(usize::MAX, |c| c as usize);
                    article.card {
                        h3 { (activity.title) }
                        p.muted {
                            (group_label(&groups, activity.group)) " · "
                            (when(activity.starts)) " UTC · "
                            (status(&dash, activity))
                        }
                        @if !activity.description.is_empty() { p { (activity.description) } }
                        p { (dash.ta("activities-count", &[
                            ("signed", signups.len().min(cap).into()),
                            ("cap", activity.cap.map_or_else(|| "∞".to_owned(), |c| c.to_string()).into()),
                            ("waiting", signups.len().saturating_sub(cap).into()),
                        ])) }
                        @if !signups.is_empty() {
                            ol {
                                @for (i, signup) in signups.iter().enumerate() {
                                    li {
                                        (signup.shown())
                                        @if i >= cap { " " span.tag { (dash.t("activities-waiting")) } }
                                    }
                                }
                            }
                        }
                        @if manage && activity.is_open() {
                            form method="post" action=(format!("/activities/{}/cancel", activity.id)) {
                                (dash.csrf_field())
                                button.secondary type="submit" { (dash.t("activities-cancel")) }
                            }
                        }
                    }
                }
            }
            @if manage && !groups.is_empty() {
                section.card aria-labelledby="activities-new-h" {
                    h2 #activities-new-h { (dash.t("activities-new")) }
                    form.stack method="post" action="/activities" {
                        (dash.csrf_field())
                        label for="activity-group" { (dash.t("group")) }
                        select #activity-group name="group" {
                            @for summary in &groups {
                                option value=(summary.group.id.0) { (group_name(&summary.group)) }
                            }
                        }
                        label for="activity-title" { (dash.t("activities-name")) }
                        input #activity-title type="text" name="title" required;
                        label for="activity-description" { (dash.t("activities-description")) }
                        textarea #activity-description name="description" rows="3" {}
                        label for="activity-starts" { (dash.t("activities-starts")) }
                        input #activity-starts type="datetime-local" name="starts" required aria-describedby="activity-starts-hint";
                        small #activity-starts-hint .muted { (dash.t("activities-starts-hint")) }
                        label for="activity-cap" { (dash.t("activities-cap")) }
                        input #activity-cap type="number" name="cap" min="1" aria-describedby="activity-cap-hint";
                        small #activity-cap-hint .muted { (dash.t("activities-cap-hint")) }
                        label for="activity-reminders" { (dash.t("activities-reminders")) }
                        input #activity-reminders type="text" name="reminders" value="1d, 1h" aria-describedby="activity-reminders-hint";
                        small #activity-reminders-hint .muted { (dash.t("activities-reminders-hint")) }
                        button type="submit" { (dash.t("activities-announce")) }
                    }
                }
            }
        },
    ))
}

fn group_label(groups: &[GroupSummary], id: GroupId) -> String {
    groups
        .iter()
        .find(|g| g.group.id == id)
        .map_or_else(|| format!("#{}", id.0), |g| group_name(&g.group))
}

fn status(dash: &Dash, activity: &Activity) -> String {
    dash.t(match activity.status.as_str() {
        "open" => "activities-status-open",
        "cancelled" => "activities-status-cancelled",
        _ => "activities-status-closed",
    })
}

/// The announcement form as typed.
#[derive(Debug, Deserialize)]
struct ActivityForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    starts: String,
    #[serde(default)]
    cap: String,
    #[serde(default)]
    reminders: String,
}

async fn create(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<ActivityForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let bad = |key: &str| dash.bad_request(&dash.t(key));
    let group = GroupId(
        form.group
            .trim()
            .parse()
            .map_err(|_| bad("activities-bad-group"))?,
    );
    let cap = match form.cap.trim() {
        "" => None,
        text => Some(
            text.parse::<u32>()
                .ok()
                .filter(|c| *c >= 1)
                .ok_or_else(|| bad("activities-bad-cap"))?,
        ),
    };
    let reminders =
        parse_reminders(&form.reminders).map_err(|_| bad("activities-bad-reminders"))?;
    // The start is typed in the group's time zone.
    let starts = super::since::group_time(&state, group, &form.starts)
        .await?
        .ok_or_else(|| bad("activities-bad-starts"))?;
    let now = Utc::now();
    if starts <= now {
        return Err(bad("activities-bad-starts"));
    }
    let spec = ActivitySpec {
        group,
        title: form.title,
        description: form.description,
        starts,
        cap,
        reminders,
    };
    let actor = format!("user:{}", dash.user.name);
    match state.pipeline.create_activity(&spec, &actor, now).await {
        Ok(_) => Ok(Redirect::to("/activities?notice=notice-saved").into_response()),
        Err(ActivityError::NotFound) => Err(bad("activities-bad-group")),
        Err(ActivityError::Invalid(_)) => Err(bad("activities-bad-fields")),
        Err(err) => Err(PageError::Internal(err.to_string())),
    }
}

#[derive(Debug, Deserialize)]
struct Empty {}

async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, _): DashForm<Empty>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let actor = format!("user:{}", dash.user.name);
    match state.pipeline.cancel_activity(id, &actor, Utc::now()).await {
        Ok(_) => Ok(Redirect::to("/activities?notice=notice-saved").into_response()),
        Err(ActivityError::NotFound) => Err(dash.not_found()),
        Err(err) => Err(PageError::Internal(err.to_string())),
    }
}
