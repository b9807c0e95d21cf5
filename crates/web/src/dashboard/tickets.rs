//! Feedback and complaint tickets (`/tickets`): the list with filters
//! (status, category, group, assignee, overdue) and the root-cause counts
//! for reports; a ticket's page (`/tickets/{id}`) with the member's text,
//! its history, and the team's forms: assign, change status, internal
//! note, category and tags, reply and resolve (the member is sent the
//! reply).
//!
//! Reading needs `View`; every change needs `HandleTickets` and goes
//! through `Pipeline::change_ticket`, which checks the status move and
//! writes the audit log.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::settings::ChatSettings;
use steward_core::tickets::{TicketSettings, TicketStatus};
use steward_core::{GroupId, Permission, UserId};
use steward_runtime::{TicketChange, TicketError, ticket_age};
use steward_storage::tickets::{Ticket, TicketFilter};

use super::cleanup::{actor, group_titles};
use super::page::{Dash, DashForm, PageError, notice, when};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/tickets", get(list))
        .route("/tickets/{id}", get(show))
        .route("/tickets/{id}/status", post(set_status))
        .route("/tickets/{id}/assign", post(assign))
        .route("/tickets/{id}/note", post(note))
        .route("/tickets/{id}/tags", post(tags))
        .route("/tickets/{id}/resolve", post(resolve))
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    status: Option<String>,
    category: Option<String>,
    group: Option<String>,
    assignee: Option<String>,
    overdue: Option<String>,
}

fn some(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn status_label(dash: &Dash, status: &str) -> String {
    dash.t(&format!("ticket-status-{}", status.replace('_', "-")))
}

/// A group's ticket settings.
async fn ticket_settings(state: &AppState, group: GroupId) -> Result<TicketSettings, PageError> {
    Ok(state
        .store()
        .group_settings_json(group)
        .await?
        .and_then(|json| serde_json::from_str::<ChatSettings>(&json).ok())
        .unwrap_or_default()
        .tickets)
}

fn overdue(ticket: &Ticket, now: chrono::DateTime<Utc>) -> bool {
    let status = TicketStatus::parse(&ticket.status).unwrap_or(TicketStatus::Open);
    steward_core::tickets::is_overdue(status, ticket.first_response_at, ticket.due_at, now)
}

async fn list(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<ListQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let now = Utc::now();
    let group = some(&query.group).and_then(|g| g.parse().ok()).map(GroupId);
    let assignee = match some(&query.assignee) {
        Some("me") => Some(dash.user.id),
        Some(id) => id.parse().ok().map(UserId),
        None => None,
    };
    let filter = TicketFilter {
        status: some(&query.status).map(str::to_owned),
        category: some(&query.category).map(str::to_owned),
        group,
        assignee,
        overdue_at: some(&query.overdue).map(|_| now),
        limit: 200,
    };
    let tickets = state.store().tickets(&filter).await?;
    let titles = group_titles(&state).await?;
    let users = state.store().list_users().await?;
    let causes = state.store().ticket_tag_counts(group).await?;
    let mut categories = TicketSettings::default().categories();
    for (id, _) in &titles {
        for c in ticket_settings(&state, *id).await?.categories() {
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
    }
    let body = html! {
        p.muted { (dash.t("tickets-intro")) }
        form.filters method="get" action="/tickets" {
            label for="t-status" { (dash.t("ticket-status")) }
            select #t-status name="status" {
                option value="" { (dash.t("tickets-any")) }
                @for s in TicketStatus::ALL {
                    option value=(s.as_str()) selected[some(&query.status) == Some(s.as_str())] { (status_label(&dash, s.as_str())) }
                }
            }
            label for="t-category" { (dash.t("ticket-category")) }
            select #t-category name="category" {
                option value="" { (dash.t("tickets-any")) }
                @for c in &categories {
                    option value=(c) selected[some(&query.category) == Some(c.as_str())] { (c) }
                }
            }
            label for="t-group" { (dash.t("group")) }
            select #t-group name="group" {
                option value="" { (dash.t("tickets-any")) }
                @for (id, title) in &titles {
                    option value=(id.0) selected[group == Some(*id)] { (title) }
                }
            }
            label for="t-assignee" { (dash.t("ticket-assignee")) }
            select #t-assignee name="assignee" {
                option value="" { (dash.t("tickets-any")) }
                option value="me" selected[some(&query.assignee) == Some("me")] { (dash.t("tickets-mine")) }
                @for u in &users {
                    option value=(u.id.0) selected[some(&query.assignee) == Some(u.id.0.to_string().as_str())] { (u.name) }
                }
            }
            label { input type="checkbox" name="overdue" value="1" checked[some(&query.overdue).is_some()]; " " (dash.t("tickets-overdue-only")) }
            button type="submit" { (dash.t("tickets-filter")) }
        }
        @if tickets.is_empty() {
            p.muted { (dash.t("tickets-none")) }
        } @else {
            table {
                thead { tr {
                    th { "#" } th { (dash.t("group")) } th { (dash.t("ticket-member")) }
                    th { (dash.t("ticket-category")) } th { (dash.t("ticket-status")) }
                    th { (dash.t("ticket-assignee")) } th { (dash.t("ticket-opened")) } th { (dash.t("ticket-text")) }
                } }
                tbody {
                    @for t in &tickets {
                        tr {
                            td { a href=(format!("/tickets/{}", t.id)) { "#" (t.id) } }
                            td { (t.group_title.as_deref().unwrap_or(&t.group_platform_id)) }
                            td { (t.member_name.as_deref().unwrap_or(&t.member_platform_id)) }
                            td { (t.category) }
                            td {
                                (status_label(&dash, &t.status))
                                @if overdue(t, now) { " " span.tag.error { (dash.t("ticket-overdue")) } }
                            }
                            td { (t.assignee_name.as_deref().unwrap_or("—")) }
                            td { (when(t.created_at)) }
                            td { (t.text.chars().take(80).collect::<String>()) }
                        }
                    }
                }
            }
        }
        h2 { (dash.t("tickets-causes")) }
        @if causes.is_empty() {
            p.muted { (dash.t("tickets-causes-none")) }
        } @else {
            table {
                thead { tr { th { (dash.t("ticket-tags")) } th { (dash.t("tickets-count")) } } }
                tbody { @for (tag, n) in &causes { tr { td { (tag) } td { (n) } } } }
            }
        }
    };
    Ok(dash.page(&dash.t("tickets-title"), body))
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    notice: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    dash: Dash,
    Path(id): Path<i64>,
    Query(query): Query<ShowQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let Some(ticket) = state.store().ticket(id).await? else {
        return Err(dash.not_found());
    };
    let now = Utc::now();
    let entries = state.store().ticket_entries(id).await?;
    let users = state.store().list_users().await?;
    let settings = ticket_settings(&state, ticket.group).await?;
    let status = TicketStatus::parse(&ticket.status).unwrap_or(TicketStatus::Open);
    let may = dash.can(Permission::HandleTickets);
    let title = dash.ta("ticket-title", &[("number", ticket.id.into())]);
    let body = html! {
        (notice(&dash, query.notice.as_deref()))
        p { a href="/tickets" { "← " (dash.t("tickets-title")) } }
        dl.card {
            dt { (dash.t("group")) } dd { (ticket.group_title.as_deref().unwrap_or(&ticket.group_platform_id)) }
            dt { (dash.t("ticket-member")) } dd { (ticket.member_name.as_deref().unwrap_or(&ticket.member_platform_id)) " (" (ticket.member_platform_id) ")" }
            dt { (dash.t("ticket-category")) } dd { (ticket.category) }
            dt { (dash.t("ticket-status")) } dd {
                (status_label(&dash, &ticket.status))
                @if overdue(&ticket, now) { " " span.tag.error { (dash.t("ticket-overdue")) } }
            }
            dt { (dash.t("ticket-assignee")) } dd { (ticket.assignee_name.as_deref().unwrap_or("—")) }
            dt { (dash.t("ticket-opened")) } dd { (when(ticket.created_at)) " · " (ticket_age(ticket.created_at, now, dash.lang)) }
            dt { (dash.t("ticket-due")) } dd { (when(ticket.due_at)) }
            dt { (dash.t("ticket-tags")) } dd { (if ticket.tags.is_empty() { "—".to_owned() } else { ticket.tags.join(", ") }) }
            dt { (dash.t("ticket-text")) } dd { p.pre { (ticket.text) } }
            @if let Some(resolution) = &ticket.resolution {
                dt { (dash.t("ticket-resolution")) } dd { p.pre { (resolution) } }
            }
        }
        h2 { (dash.t("ticket-history")) }
        ol.history {
            @for e in &entries {
                li {
                    (when(e.at)) " · " (e.actor) " · "
                    strong { (dash.t(&format!("ticket-entry-{}", e.kind))) }
                    @if let Some(s) = &e.status { " → " (status_label(&dash, s)) }
                    @if let Some(b) = &e.body { p.pre { (b) } }
                }
            }
        }
        @if may {
            h2 { (dash.t("ticket-work")) }
            form.stack.card method="post" action=(format!("/tickets/{id}/assign")) {
                (dash.csrf_field())
                label for="assignee" { (dash.t("ticket-assignee")) }
                select #assignee name="assignee" {
                    option value="" { "—" }
                    option value="me" { (dash.t("tickets-assign-me")) }
                    @for u in &users {
                        option value=(u.id.0) selected[ticket.assignee == Some(u.id)] { (u.name) }
                    }
                }
                button type="submit" { (dash.t("tickets-assign")) }
            }
            form.stack.card method="post" action=(format!("/tickets/{id}/status")) {
                (dash.csrf_field())
                label for="status" { (dash.t("ticket-status")) }
                select #status name="status" {
                    @for s in TicketStatus::ALL {
                        @if s != TicketStatus::Resolved && status.can_move_to(s) {
                            option value=(s.as_str()) { (status_label(&dash, s.as_str())) }
                        }
                    }
                }
                button type="submit" { (dash.t("tickets-set-status")) }
            }
            form.stack.card method="post" action=(format!("/tickets/{id}/note")) {
                (dash.csrf_field())
                label for="note" { (dash.t("ticket-note")) }
                textarea #note name="note" rows="3" required {}
                p.muted { (dash.t("ticket-note-hint")) }
                button type="submit" { (dash.t("tickets-add-note")) }
            }
            form.stack.card method="post" action=(format!("/tickets/{id}/tags")) {
                (dash.csrf_field())
                label for="category" { (dash.t("ticket-category")) }
                select #category name="category" {
                    @for c in settings.categories() {
                        option value=(c) selected[c == ticket.category] { (c) }
                    }
                }
                label for="tags" { (dash.t("ticket-tags")) }
                input #tags name="tags" value=(ticket.tags.join(", "));
                p.muted { (dash.ta("ticket-tags-hint", &[("tags", settings.root_causes().join(", ").into())])) }
                button type="submit" { (dash.t("tickets-save-tags")) }
            }
            @if status.can_move_to(TicketStatus::Resolved) {
                form.stack.card method="post" action=(format!("/tickets/{id}/resolve")) {
                    (dash.csrf_field())
                    label for="reply" { (dash.t("ticket-reply")) }
                    textarea #reply name="reply" rows="4" required {}
                    p.muted { (dash.t("ticket-reply-hint")) }
                    button type="submit" { (dash.t("tickets-resolve")) }
                }
            }
        }
    };
    Ok(dash.page(&title, body))
}

fn refused(dash: &Dash, error: TicketError) -> PageError {
    match error {
        TicketError::NotFound => dash.not_found(),
        TicketError::Pipeline(e) => PageError::Internal(e.to_string()),
        other => {
            dash.bad_request(&dash.ta("form-invalid", &[("problem", other.to_string().into())]))
        }
    }
}

async fn apply(
    state: &AppState,
    dash: &Dash,
    id: i64,
    change: TicketChange,
) -> Result<Redirect, PageError> {
    dash.require(Permission::HandleTickets)?;
    state
        .pipeline
        .change_ticket(id, change, &actor(dash), Utc::now())
        .await
        .map_err(|e| refused(dash, e))?;
    Ok(Redirect::to(&format!(
        "/tickets/{id}?notice=notice-ticket-saved"
    )))
}

#[derive(Debug, Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
}

async fn set_status(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<StatusForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::HandleTickets)?;
    let Some(status) = TicketStatus::parse(&form.status) else {
        return Err(dash.bad_request(&dash.t("ticket-bad-status")));
    };
    apply(&state, &dash, id, TicketChange::Status(status)).await
}

#[derive(Debug, Deserialize)]
struct AssignForm {
    #[serde(default)]
    assignee: String,
}

async fn assign(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<AssignForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::HandleTickets)?;
    let user = match form.assignee.trim() {
        "" => None,
        "me" => Some(dash.user.id),
        other => Some(UserId(
            other
                .parse()
                .map_err(|_| dash.bad_request(&dash.t("ticket-bad-user")))?,
        )),
    };
    apply(&state, &dash, id, TicketChange::Assign(user)).await
}

#[derive(Debug, Deserialize)]
struct NoteForm {
    #[serde(default)]
    note: String,
}

async fn note(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<NoteForm>,
) -> Result<Redirect, PageError> {
    apply(&state, &dash, id, TicketChange::Note(form.note)).await
}

#[derive(Debug, Deserialize)]
struct TagsForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    tags: String,
}

async fn tags(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<TagsForm>,
) -> Result<Redirect, PageError> {
    let tags = form
        .tags
        .split([',', '，'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let change = TicketChange::Tags {
        category: form.category,
        tags,
    };
    apply(&state, &dash, id, change).await
}

#[derive(Debug, Deserialize)]
struct ResolveForm {
    #[serde(default)]
    reply: String,
}

async fn resolve(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<ResolveForm>,
) -> Result<Redirect, PageError> {
    apply(&state, &dash, id, TicketChange::Resolve(form.reply)).await
}
