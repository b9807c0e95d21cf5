//! The join requests page: the queue of applicants and held newcomers
//! waiting for an admin (name, what they wrote, bio, checks passed) with
//! approve and decline, groups in raid mode with a button to end it, and
//! each group's screening settings (CAPTCHA, manual approval, raid
//! response).
//!
//! Decisions go through the pipeline (outbox and audit log), like a press on
//! the admins' chat card: the first decision wins. Everyone waiting for an
//! admin in a group can be approved or declined at once (newcomers held in
//! raid mode stay muted until someone decides), each through the same path.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::captcha::{CaptchaKind, buttons_in_groups};
use steward_core::settings::{
    CaptchaOn, CaptchaSettings, ChatSettings, RaidResponse, RaidSettings,
};
use steward_core::{GroupId, Permission, Platform};
use steward_runtime::{GroupSettings, JoinDecision};
use steward_storage::audit::NewAudit;
use steward_storage::screening::{KIND_NEWCOMER, QueuedScreening, STAGE_MANUAL};

use super::groups::{SETTINGS_CHANGED, group_name};
use super::page::{Dash, DashForm, PageError, notice, when};
use crate::AppState;

/// Most rows shown.
const LIMIT: i64 = 500;
/// The longest reason accepted, in characters.
const MAX_REASON_CHARS: usize = 500;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/joins", get(page))
        .route("/joins/{id}/decide", post(decide))
        .route("/joins/group/{group}/decide-all", post(decide_all))
        .route("/joins/raid/{group}/end", post(end_raid))
        .route("/joins/settings/{group}", post(save_settings))
}

#[derive(Debug, Default, Deserialize)]
struct JoinsQuery {
    group: Option<String>,
    notice: Option<String>,
    /// How many "approve all" or "decline all" decided.
    decided: Option<usize>,
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<JoinsQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::Moderate)?;
    let group = match query.group.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(GroupId(
            text.parse()
                .map_err(|_| dash.bad_request(&dash.t("joins-bad-group")))?,
        )),
    };
    let store = state.store();
    let groups = store.list_groups().await?;
    let queue = store.screening_queue(group, LIMIT).await?;
    let raids = store.active_raid_modes(Utc::now()).await?;
    let title_of = |id: GroupId| {
        groups
            .iter()
            .find(|g| g.group.id == id)
            .map_or_else(|| format!("#{}", id.0), |g| group_name(&g.group))
    };
    let settings_group = match group {
        Some(id) => groups.iter().find(|g| g.group.id == id),
        None => None,
    };
    let settings = match settings_group {
        Some(summary) => Some((summary, stored_chat(&state, summary.group.id).await?)),
        None => None,
    };
    let can_manage = dash.can(Permission::ManageGroups);
    // Groups with people waiting for an admin, for "approve all" and
    // "decline all" (the queue is newest first; keep first-seen order).
    let mut waiting: Vec<(GroupId, usize)> = Vec::new();
    for item in queue.iter().filter(|q| q.stage == STAGE_MANUAL) {
        match waiting.iter_mut().find(|(g, _)| *g == item.group) {
            Some((_, n)) => *n += 1,
            None => waiting.push((item.group, 1)),
        }
    }
    let body = html! {
        (notice(&dash, query.notice.as_deref()))
        @if let Some(count) = query.decided {
            p.notice role="status" { (dash.ta("joins-all-done", &[("count", count.into())])) }
        }
        p.muted { (dash.t("joins-intro")) }
        form.filters method="get" action="/joins" {
            label for="joins-group" {
                (dash.t("group"))
                select #joins-group name="group" {
                    option value="" { (dash.t("joins-all-groups")) }
                    @for summary in &groups {
                        option value=(summary.group.id.0) selected[group == Some(summary.group.id)] { (group_name(&summary.group)) }
                    }
                }
            }
            button type="submit" { (dash.t("filter")) }
        }
        section aria-labelledby="joins-raids" {
            h2 #joins-raids { (dash.t("joins-raids-title")) }
            @if raids.is_empty() {
                p.muted { (dash.t("joins-raids-none")) }
            }
            @for raid in &raids {
                div.card {
                    p {
                        strong { (title_of(raid.group)) } " · "
                        (dash.ta("joins-raid-line", &[
                            ("joins", raid.joins.into()),
                            ("since", when(raid.started_at).into()),
                            ("until", when(raid.ends_at).into()),
                        ]))
                    }
                    form method="post" action=(format!("/joins/raid/{}/end", raid.group.0)) {
                        (dash.csrf_field())
                        button type="submit" { (dash.t("joins-raid-end")) }
                    }
                }
            }
        }
        section aria-labelledby="joins-queue" {
            h2 #joins-queue { (dash.t("joins-queue-title")) }
            p role="status" { (dash.ta("joins-count", &[("count", queue.len().into())])) }
            @for (id, count) in &waiting {
                (decide_all_form(&dash, *id, &title_of(*id), *count))
            }
            @for item in &queue {
                (queue_item(&dash, item, &title_of(item.group)))
            }
        }
        @if let Some((summary, chat)) = &settings {
            (settings_form(&dash, summary.group.id, summary.group.platform, &group_name(&summary.group), chat, can_manage))
        } @else {
            p.muted { (dash.t("joins-settings-pick")) }
        }
    };
    Ok(dash.page(&dash.t("joins-title"), body))
}

/// "Approve all" and "decline all" for a group's people waiting for an
/// admin.
fn decide_all_form(dash: &Dash, group: GroupId, name: &str, count: usize) -> Markup {
    let id = group.0;
    html! {
        form.card.filters method="post" action=(format!("/joins/group/{id}/decide-all")) {
            (dash.csrf_field())
            p { strong { (name) } " · " (dash.ta("joins-all-line", &[("count", count.into())])) }
            label for=(format!("all-{id}-reason")) {
                (dash.t("joins-reason"))
                input #(format!("all-{id}-reason")) type="text" name="reason" maxlength=(MAX_REASON_CHARS);
            }
            button type="submit" name="decision" value="approve" { (dash.t("joins-approve-all")) }
            button type="submit" name="decision" value="decline" { (dash.t("joins-decline-all")) }
        }
    }
}

/// One applicant or held newcomer, with the decision forms.
fn queue_item(dash: &Dash, item: &QueuedScreening, group: &str) -> Markup {
    let name = item
        .name
        .clone()
        .or_else(|| item.username.clone())
        .unwrap_or_else(|| item.member_platform_id.clone());
    let kind_key = if item.kind == KIND_NEWCOMER {
        "joins-kind-newcomer"
    } else {
        "joins-kind-request"
    };
    let stage_key = format!("joins-stage-{}", item.stage);
    let checks: Vec<String> = item
        .checks
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| dash.t(&format!("joins-check-{c}")))
        .collect();
    let id = item.id;
    html! {
        article.card #(format!("join-{id}")) aria-labelledby=(format!("join-{id}-title")) {
            h3 #(format!("join-{id}-title")) {
                span.tag { (dash.t(kind_key)) } " "
                a href=(format!("/members/{}", item.member.0)) { (name) }
                @if let Some(username) = &item.username { " " span.muted { "@" (username) } }
                " · " (group)
            }
            dl {
                dt { (dash.t("joins-stage")) }
                dd { (dash.t(&stage_key)) }
                dt { (dash.t("joins-since")) }
                dd { (when(item.created_at)) }
                dt { (dash.t("joins-checks")) }
                dd {
                    @if checks.is_empty() { span.muted { (dash.t("joins-checks-none")) } }
                    @else { (checks.join(", ")) }
                }
                @if let Some(comment) = &item.comment {
                    dt { (dash.t("joins-comment")) }
                    dd { (comment) }
                }
                @if let Some(answer) = &item.answer {
                    dt { (dash.t("joins-answer")) }
                    dd { (answer) }
                }
            }
            @if item.stage != STAGE_MANUAL {
                p.muted { (dash.t("joins-early")) }
            }
            form.filters method="post" action=(format!("/joins/{id}/decide")) {
                (dash.csrf_field())
                label for=(format!("join-{id}-reason")) {
                    (dash.t("joins-reason"))
                    input #(format!("join-{id}-reason")) type="text" name="reason" maxlength=(MAX_REASON_CHARS);
                }
                button type="submit" name="decision" value="approve" { (dash.t("joins-approve")) }
                button type="submit" name="decision" value="decline" { (dash.t("joins-decline")) }
            }
        }
    }
}

/// The group's screening settings.
fn settings_form(
    dash: &Dash,
    group: GroupId,
    platform: Platform,
    name: &str,
    chat: &ChatSettings,
    can_manage: bool,
) -> Markup {
    let captcha = chat.captcha.as_ref();
    let kind = captcha.map(|c| c.kind);
    let on = captcha.map_or(CaptchaOn::Both, |c| c.on);
    let captcha_minutes = captcha.map_or(3, CaptchaSettings::minutes);
    let raid = chat.raid_response();
    let raid_minutes = chat.raid.as_ref().map_or(30, RaidSettings::minutes);
    html! {
        section.card aria-labelledby="joins-settings" {
            h2 #joins-settings { (dash.ta("joins-settings-title", &[("group", name.into())])) }
            @if !can_manage {
                p.notice.warn { (dash.t("joins-settings-readonly")) }
            }
            form method="post" action=(format!("/joins/settings/{}", group.0)) {
                (dash.csrf_field())
                fieldset disabled[!can_manage] {
                    label for="captcha-kind" {
                        (dash.t("joins-captcha-kind"))
                        select #captcha-kind name="captcha" {
                            option value="off" selected[kind.is_none()] { (dash.t("joins-captcha-off")) }
                            option value="emoji" selected[kind == Some(CaptchaKind::Emoji)] { (dash.t("joins-captcha-emoji")) }
                            option value="arithmetic" selected[kind == Some(CaptchaKind::Arithmetic)] { (dash.t("joins-captcha-arithmetic")) }
                        }
                    }
                    label for="captcha-on" {
                        (dash.t("joins-captcha-on"))
                        select #captcha-on name="captcha_on" {
                            option value="both" selected[on == CaptchaOn::Both] { (dash.t("joins-captcha-on-both")) }
                            option value="requests" selected[on == CaptchaOn::Requests] { (dash.t("joins-captcha-on-requests")) }
                            option value="joins" selected[on == CaptchaOn::Joins] { (dash.t("joins-captcha-on-joins")) }
                        }
                    }
                    @if !buttons_in_groups(platform) {
                        p.muted { (dash.t("joins-captcha-no-buttons")) }
                    }
                    label for="captcha-minutes" {
                        (dash.t("joins-captcha-minutes"))
                        input #captcha-minutes type="number" name="captcha_minutes" min="1" max="60" value=(captcha_minutes);
                    }
                    label for="manual-approval" {
                        input #manual-approval type="checkbox" name="manual_approval" value="on" checked[chat.manual_approval];
                        " " (dash.t("joins-manual"))
                    }
                    label for="raid-response" {
                        (dash.t("joins-raid-response"))
                        select #raid-response name="raid" {
                            option value="off" selected[raid == RaidResponse::Off] { (dash.t("joins-raid-off")) }
                            option value="mute_newcomers" selected[raid == RaidResponse::MuteNewcomers] { (dash.t("joins-raid-mute")) }
                        }
                    }
                    label for="raid-minutes" {
                        (dash.t("joins-raid-minutes"))
                        input #raid-minutes type="number" name="raid_minutes" min="1" max="1440" value=(raid_minutes);
                    }
                    p.muted { (dash.t("joins-raid-hint")) }
                    button type="submit" { (dash.t("joins-settings-save")) }
                }
            }
        }
    }
}

async fn stored_chat(state: &AppState, id: GroupId) -> Result<ChatSettings, PageError> {
    let json = state
        .store()
        .group_settings_json(id)
        .await?
        .unwrap_or_default();
    Ok(serde_json::from_str(&json).unwrap_or_default())
}

#[derive(Debug, Deserialize)]
struct DecideForm {
    decision: String,
    #[serde(default)]
    reason: String,
}

async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<DecideForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::Moderate)?;
    let approve = match form.decision.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return Err(dash.bad_request(&dash.t("joins-bad-decision"))),
    };
    let reason = form.reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(dash.bad_request(&dash.t("joins-bad-reason")));
    }
    let actor = format!("user:{}", dash.user.name);
    let outcome = state
        .pipeline
        .decide_join(
            id,
            approve,
            &actor,
            (!reason.is_empty()).then_some(reason),
            Utc::now(),
        )
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let notice = match outcome {
        JoinDecision::Done if approve => "notice-join-approved",
        JoinDecision::Done => "notice-join-declined",
        JoinDecision::AlreadyDecided => "notice-join-already",
        JoinDecision::NotFound => return Err(dash.not_found()),
    };
    Ok(Redirect::to(&format!("/joins?notice={notice}")).into_response())
}

async fn decide_all(
    State(state): State<AppState>,
    Path(group): Path<i64>,
    DashForm(dash, form): DashForm<DecideForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::Moderate)?;
    let approve = match form.decision.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return Err(dash.bad_request(&dash.t("joins-bad-decision"))),
    };
    let reason = form.reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(dash.bad_request(&dash.t("joins-bad-reason")));
    }
    let group = GroupId(group);
    if !state
        .store()
        .list_groups()
        .await?
        .iter()
        .any(|g| g.group.id == group)
    {
        return Err(dash.not_found());
    }
    let actor = format!("user:{}", dash.user.name);
    let decided = state
        .pipeline
        .decide_all_joins(
            group,
            approve,
            &actor,
            (!reason.is_empty()).then_some(reason),
            Utc::now(),
        )
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(Redirect::to(&format!("/joins?group={}&decided={decided}", group.0)).into_response())
}

#[derive(Debug, Deserialize)]
struct EmptyForm {}

async fn end_raid(
    State(state): State<AppState>,
    Path(group): Path<i64>,
    DashForm(dash, _form): DashForm<EmptyForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::Moderate)?;
    let actor = format!("user:{}", dash.user.name);
    let ended = state
        .pipeline
        .end_raid_mode(GroupId(group), &actor, Utc::now())
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let notice = if ended {
        "notice-raid-ended"
    } else {
        "notice-raid-not-on"
    };
    Ok(Redirect::to(&format!("/joins?notice={notice}")).into_response())
}

#[derive(Debug, Deserialize)]
struct SettingsForm {
    captcha: String,
    #[serde(default)]
    captcha_on: String,
    #[serde(default)]
    captcha_minutes: String,
    #[serde(default)]
    manual_approval: Option<String>,
    raid: String,
    #[serde(default)]
    raid_minutes: String,
}

async fn save_settings(
    State(state): State<AppState>,
    Path(group): Path<i64>,
    DashForm(dash, form): DashForm<SettingsForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let Some(summary) = state
        .store()
        .list_groups()
        .await?
        .into_iter()
        .find(|g| g.group.id == GroupId(group))
    else {
        return Err(dash.not_found());
    };
    let minutes = |text: &str, max: u32| -> Result<Option<u32>, PageError> {
        match text.trim() {
            "" => Ok(None),
            t => t
                .parse::<u32>()
                .ok()
                .filter(|m| (1..=max).contains(m))
                .map(Some)
                .ok_or_else(|| dash.bad_request(&dash.t("joins-bad-minutes"))),
        }
    };
    let kind = match form.captcha.as_str() {
        "off" => None,
        "emoji" => Some(CaptchaKind::Emoji),
        "arithmetic" => Some(CaptchaKind::Arithmetic),
        _ => return Err(dash.bad_request(&dash.t("joins-bad-setting"))),
    };
    let on = match form.captcha_on.as_str() {
        "" | "both" => CaptchaOn::Both,
        "requests" => CaptchaOn::Requests,
        "joins" => CaptchaOn::Joins,
        _ => return Err(dash.bad_request(&dash.t("joins-bad-setting"))),
    };
    let response = match form.raid.as_str() {
        "off" => RaidResponse::Off,
        "mute_newcomers" => RaidResponse::MuteNewcomers,
        _ => return Err(dash.bad_request(&dash.t("joins-bad-setting"))),
    };
    // A newcomer answers an in-group CAPTCHA by pressing a button; where
    // none can be pressed it could never be passed.
    if kind.is_some() && on != CaptchaOn::Requests && !buttons_in_groups(summary.group.platform) {
        return Err(dash.bad_request(&dash.t("joins-bad-captcha-platform")));
    }
    let captcha_minutes = minutes(&form.captcha_minutes, 60)?;
    let raid_minutes = minutes(&form.raid_minutes, 24 * 60)?;
    let before = stored_chat(&state, summary.group.id).await?;
    let chat = ChatSettings {
        captcha: kind.map(|kind| CaptchaSettings {
            kind,
            minutes: captcha_minutes,
            on,
        }),
        manual_approval: form.manual_approval.is_some(),
        raid: (response != RaidResponse::Off).then_some(RaidSettings {
            response,
            minutes: raid_minutes,
        }),
        ..before.clone()
    };
    let group = &summary.group;
    state
        .pipeline
        .configure_group(
            group.platform,
            &group.platform_id,
            None,
            &GroupSettings {
                community: summary.community_name.clone(),
                language: group.language,
                chat: chat.clone(),
            },
        )
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let evidence = serde_json::json!({"before": {"chat": before}, "after": {"chat": chat}});
    state
        .store()
        .insert_audit(&NewAudit {
            at: Utc::now(),
            actor: format!("user:{}", dash.user.name),
            action: SETTINGS_CHANGED.to_owned(),
            group: Some(group.id),
            target: Some(group_name(group)),
            reason: Some("join screening settings".to_owned()),
            evidence: Some(evidence.to_string()),
            ..NewAudit::default()
        })
        .await?;
    Ok(Redirect::to(&format!("/joins?group={}&notice=notice-saved", group.id.0)).into_response())
}
