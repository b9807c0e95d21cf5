//! The settings page: the user's own account (language, API tokens, sign
//! out everywhere), the team (invitations, roles, removals, whether
//! operators may decide review items) and the platform connections.
//!
//! Who may change whom follows `Role::can_manage`: owners manage admins,
//! admins manage operators and viewers. Every change is audited. New
//! secrets (invitation links, API tokens) are shown once, on the page that
//! made them; afterwards only their masked form or label is listed.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Duration, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::audit::AuditKind;
use steward_core::{Permission, Role, UserId};
use steward_storage::accounts::hash_secret;
use steward_storage::audit::NewAudit;

use super::page::{Dash, DashForm, OPERATORS_DECIDE_KEY, PageError, notice, when};
use crate::AppState;
use crate::auth::new_secret;

/// How long an invitation link works.
const INVITE_DAYS: i64 = 7;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/settings", get(page))
        .route("/settings/invites", post(create_invite))
        .route("/settings/users/{id}/role", post(change_role))
        .route("/settings/users/{id}/remove", post(remove_user))
        .route("/settings/team", post(team_settings))
        .route("/settings/tokens", post(create_token))
        .route("/settings/tokens/{id}/revoke", post(revoke_token))
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    notice: Option<String>,
}

/// A secret just made, shown once.
enum Fresh {
    Invite { link: String, role: Role },
    Token { token: String, label: String },
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    render(&state, &dash, query.notice.as_deref(), None).await
}

fn role_name(dash: &Dash, role: Role) -> String {
    dash.t(&format!("role-{}", role.as_str()))
}

/// The roles `dash` may hand out.
fn grantable(dash: &Dash) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Owner || dash.user.role == Role::Owner)
        .filter(|r| dash.user.role.can_manage(*r))
        .collect()
}

async fn render(
    state: &AppState,
    dash: &Dash,
    notice_key: Option<&str>,
    fresh: Option<Fresh>,
) -> Result<Markup, PageError> {
    let now = Utc::now();
    let tokens = state.store().user_tokens(dash.user.id).await?;
    let manages_team = dash.can(Permission::ManageOperators);
    let team = if manages_team {
        state.store().team().await?
    } else {
        Vec::new()
    };
    let invites = if manages_team {
        state.store().pending_invites(now).await?
    } else {
        Vec::new()
    };
    let grantable = grantable(dash);
    let title = dash.t("nav-settings");
    Ok(dash.page(
        &title,
        html! {
            (notice(dash, notice_key))
            @match &fresh {
                Some(Fresh::Invite { link, role }) => {
                    div.notice role="status" {
                        p { (dash.ta("settings-invite-made", &[("role", role_name(dash, *role).into())])) }
                        p { code #invite-link.secret { (link) } }
                        p.muted { (dash.t("settings-shown-once")) }
                    }
                }
                Some(Fresh::Token { token, label }) => {
                    div.notice role="status" {
                        p { (dash.ta("settings-token-made", &[("label", label.as_str().into())])) }
                        p { code #new-token.secret { (token) } }
                        p.muted { (dash.t("settings-shown-once")) }
                    }
                }
                None => {}
            }

            section.card aria-labelledby="account-h" {
                h2 #account-h { (dash.t("settings-account")) }
                p { (dash.ta("signed-in-as", &[("name", dash.user.name.as_str().into())])) " · " (role_name(dash, dash.user.role)) }
                form method="post" action="/logout/all" {
                    (dash.csrf_field())
                    button.secondary type="submit" { (dash.t("settings-sign-out-everywhere")) }
                }
                h3 { (dash.t("settings-tokens")) }
                p.muted { (dash.t("settings-tokens-help")) }
                @if tokens.is_empty() {
                    p.muted { (dash.t("none-yet")) }
                } @else {
                    div.table-wrap { table {
                        thead { tr { th { (dash.t("settings-token-label")) } th { (dash.t("settings-created")) } th { (dash.t("settings-status")) } th { span.hide-narrow { (dash.t("actions")) } } } }
                        tbody {
                            @for token in &tokens {
                                tr {
                                    td { (token.label) }
                                    td { (when(token.created_at)) }
                                    td {
                                        @if let Some(revoked) = token.revoked_at {
                                            (dash.ta("settings-token-revoked", &[("time", when(revoked).into())]))
                                        } @else {
                                            (dash.t("settings-token-active"))
                                        }
                                    }
                                    td {
                                        @if token.revoked_at.is_none() {
                                            form.inline method="post" action=(format!("/settings/tokens/{}/revoke", token.id)) {
                                                (dash.csrf_field())
                                                button.danger type="submit" data-confirm=(dash.t("settings-revoke-confirm")) { (dash.t("settings-revoke")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    } }
                }
                form.inline method="post" action="/settings/tokens" {
                    (dash.csrf_field())
                    div.field {
                        label for="token-label" { (dash.t("settings-token-label")) }
                        input #token-label name="label" required maxlength="64";
                    }
                    button type="submit" { (dash.t("settings-token-create")) }
                }
            }

            @if manages_team {
                section.card aria-labelledby="team-h" {
                    h2 #team-h { (dash.t("settings-team")) }
                    div.table-wrap { table {
                        thead { tr { th { (dash.t("field-name")) } th { (dash.t("settings-role")) } th { (dash.t("settings-since")) } th { (dash.t("actions")) } } }
                        tbody {
                            @for member in &team {
                                @let editable = member.user.id != dash.user.id && dash.user.role.can_manage(member.user.role);
                                tr {
                                    td { (member.user.name) }
                                    td { (role_name(dash, member.user.role)) }
                                    td { (when(member.created_at)) }
                                    td {
                                        @if editable {
                                            form.inline method="post" action=(format!("/settings/users/{}/role", member.user.id.0)) {
                                                (dash.csrf_field())
                                                label.visually-hidden for=(format!("role-{}", member.user.id.0)) { (dash.ta("settings-role-of", &[("name", member.user.name.as_str().into())])) }
                                                select id=(format!("role-{}", member.user.id.0)) name="role" {
                                                    @for role in &grantable {
                                                        option value=(role.as_str()) selected[*role == member.user.role] { (role_name(dash, *role)) }
                                                    }
                                                }
                                                button.secondary type="submit" { (dash.t("settings-change-role")) }
                                            }
                                            form.inline method="post" action=(format!("/settings/users/{}/remove", member.user.id.0)) {
                                                (dash.csrf_field())
                                                button.danger type="submit" data-confirm=(dash.ta("settings-remove-confirm", &[("name", member.user.name.as_str().into())])) { (dash.t("settings-remove")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    } }
                    h3 { (dash.t("settings-invite")) }
                    form.inline method="post" action="/settings/invites" {
                        (dash.csrf_field())
                        div.field {
                            label for="invite-role" { (dash.t("settings-role")) }
                            select #invite-role name="role" {
                                @for role in &grantable {
                                    option value=(role.as_str()) selected[*role == Role::Operator] { (role_name(dash, *role)) }
                                }
                            }
                        }
                        button type="submit" { (dash.t("settings-invite-create")) }
                    }
                    @if !invites.is_empty() {
                        p { (dash.ta("settings-invites-pending", &[("count", invites.len().into())])) }
                        ul {
                            @for invite in &invites {
                                li { (role_name(dash, invite.role)) " · " (invite.created_by) " · " (dash.ta("settings-invite-expires", &[("time", when(invite.expires_at).into())])) }
                            }
                        }
                    }
                    h3 { (dash.t("settings-team-rules")) }
                    form.stack method="post" action="/settings/team" {
                        (dash.csrf_field())
                        div {
                            input #operators-decide type="checkbox" name="operators_decide" value="on" checked[dash.operators_decide];
                            " "
                            label for="operators-decide" { (dash.t("settings-operators-decide")) }
                        }
                        p.muted { (dash.t("settings-operators-decide-help")) }
                        button type="submit" { (dash.t("settings-team-save")) }
                    }
                }
            }

            @if dash.can(Permission::ManagePlatforms) {
                section.card aria-labelledby="platforms-h" {
                    h2 #platforms-h { (dash.t("settings-platforms")) }
                    p.muted { (dash.t("settings-platforms-help")) }
                    @if state.connections.is_empty() {
                        p.muted { (dash.t("none-yet")) }
                    } @else {
                        div.table-wrap { table {
                            thead { tr { th { (dash.t("settings-platform")) } th { (dash.t("field-name")) } th { (dash.t("settings-mode")) } th { (dash.t("settings-secret")) } } }
                            tbody {
                                @for connection in state.connections.iter() {
                                    tr {
                                        td { (connection.platform) }
                                        td { (connection.name) }
                                        td { (connection.detail) }
                                        td.secret { (connection.masked_secret) }
                                    }
                                }
                            }
                        } }
                    }
                }
            }
        },
    ))
}

fn audit(dash: &Dash, kind: AuditKind, target: String, reason: String) -> NewAudit {
    NewAudit {
        at: Utc::now(),
        actor: format!("user:{}", dash.user.name),
        action: kind.as_str().to_owned(),
        target: Some(target),
        reason: Some(reason),
        ..NewAudit::default()
    }
}

fn parse_role(dash: &Dash, value: &str) -> Result<Role, PageError> {
    value
        .parse()
        .map_err(|_| dash.bad_request(&dash.t("settings-role-unknown")))
}

#[derive(Debug, Deserialize)]
struct InviteForm {
    role: String,
}

async fn create_invite(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<InviteForm>,
) -> Result<Markup, PageError> {
    dash.require(Permission::ManageOperators)?;
    let role = parse_role(&dash, &form.role)?;
    if !grantable(&dash).contains(&role) {
        return Err(dash.forbidden());
    }
    let token = new_secret("inv_");
    let now = Utc::now();
    state
        .store()
        .insert_invite(
            &hash_secret(&token),
            role,
            &format!("user:{}", dash.user.name),
            now,
            now + Duration::days(INVITE_DAYS),
        )
        .await?;
    state
        .store()
        .insert_audit(&audit(
            &dash,
            AuditKind::InviteCreated,
            format!("role:{role}"),
            format!("invitation for a new {role}, valid {INVITE_DAYS} days"),
        ))
        .await?;
    let link = format!("{}/invite?token={token}", state.public_url);
    render(&state, &dash, None, Some(Fresh::Invite { link, role })).await
}

#[derive(Debug, Deserialize)]
struct RoleForm {
    role: String,
}

/// Loads the team member to change, refusing oneself and those the actor
/// may not manage.
async fn managed_user(
    state: &AppState,
    dash: &Dash,
    id: i64,
) -> Result<steward_core::model::DashboardUser, PageError> {
    dash.require(Permission::ManageOperators)?;
    let user = state
        .store()
        .user(UserId(id))
        .await?
        .ok_or_else(|| dash.not_found())?;
    if user.id == dash.user.id {
        return Err(dash.bad_request(&dash.t("settings-not-yourself")));
    }
    if !dash.user.role.can_manage(user.role) {
        return Err(dash.forbidden());
    }
    Ok(user)
}

async fn change_role(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<RoleForm>,
) -> Result<Response, PageError> {
    let user = managed_user(&state, &dash, id).await?;
    let role = parse_role(&dash, &form.role)?;
    if !grantable(&dash).contains(&role) {
        return Err(dash.forbidden());
    }
    if role != user.role {
        let mut tx = state.store().begin().await?;
        tx.set_user_role(user.id, role).await?;
        tx.insert_audit(&audit(
            &dash,
            AuditKind::RoleChanged,
            format!("user:{}", user.name),
            format!("{} → {role}", user.role),
        ))
        .await?;
        tx.commit().await?;
    }
    Ok(Redirect::to("/settings?notice=notice-saved").into_response())
}

#[derive(Debug, Deserialize)]
struct Empty {}

async fn remove_user(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, Empty {}): DashForm<Empty>,
) -> Result<Response, PageError> {
    let user = managed_user(&state, &dash, id).await?;
    let now = Utc::now();
    let mut tx = state.store().begin().await?;
    tx.disable_user(user.id, now).await?;
    tx.insert_audit(&audit(
        &dash,
        AuditKind::UserRemoved,
        format!("user:{}", user.name),
        format!("removed from the team (was {})", user.role),
    ))
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/settings?notice=notice-saved").into_response())
}

#[derive(Debug, Deserialize)]
struct TeamForm {
    operators_decide: Option<String>,
}

async fn team_settings(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<TeamForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageOperators)?;
    let on = form.operators_decide.is_some();
    if on != dash.operators_decide {
        let mut tx = state.store().begin().await?;
        tx.kv_set(OPERATORS_DECIDE_KEY, if on { "true" } else { "false" })
            .await?;
        tx.insert_audit(&audit(
            &dash,
            AuditKind::TeamSettingsChanged,
            "team".to_owned(),
            format!("operators may decide review items: {on}"),
        ))
        .await?;
        tx.commit().await?;
    }
    Ok(Redirect::to("/settings?notice=notice-saved").into_response())
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    label: String,
}

async fn create_token(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<TokenForm>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let label = form.label.trim();
    if label.is_empty() || label.chars().count() > 64 {
        return Err(dash.bad_request(&dash.t("settings-token-label-bad")));
    }
    let token = new_secret("stw_");
    let now = Utc::now();
    let mut tx = state.store().begin().await?;
    tx.insert_token(dash.user.id, &hash_secret(&token), label, now)
        .await?;
    tx.insert_audit(&audit(
        &dash,
        AuditKind::TokenCreated,
        format!("user:{}", dash.user.name),
        format!("API token `{label}`"),
    ))
    .await?;
    tx.commit().await?;
    let fresh = Fresh::Token {
        token,
        label: label.to_owned(),
    };
    render(&state, &dash, None, Some(fresh)).await
}

async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, Empty {}): DashForm<Empty>,
) -> Result<Response, PageError> {
    dash.require(Permission::View)?;
    let now = Utc::now();
    let mut tx = state.store().begin().await?;
    if !tx.revoke_token(dash.user.id, id, now).await? {
        return Err(dash.not_found());
    }
    tx.insert_audit(&audit(
        &dash,
        AuditKind::TokenRevoked,
        format!("user:{}", dash.user.name),
        format!("API token #{id}"),
    ))
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/settings?notice=notice-saved").into_response())
}
