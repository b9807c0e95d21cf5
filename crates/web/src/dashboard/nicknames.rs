//! A group's nickname rule (名称规范) page (`/groups/{id}/nicknames`): the
//! rule editor (a template such as `City-Name-Trade`, or a `/regex/`, with
//! a description, an example and the grace period), a name tester, and the
//! members whose names do not follow it yet (since when, their deadline,
//! reminded or muted).
//!
//! On platforms where a bot can set a member's name (OneBot's group card,
//! the HTTP platform) an admin can set a correct one from the list: it goes
//! through the outbox as `set_nickname` and is audited. On the others
//! (Telegram) the control is absent and the page says why. Saving a rule
//! or a name takes `ManageGroups`.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::nickname::{
    MAX_GRACE_HOURS, MAX_PATTERN_CHARS, MAX_TEXT_CHARS, NicknameError, NicknameRule,
};
use steward_core::settings::ChatSettings;
use steward_core::{ActionKind, AuditKind, Capabilities, GroupId, MemberId, Permission};
use steward_storage::audit::NewAudit;
use steward_storage::entities::GroupSummary;
use steward_storage::nicknames::{NicknameCase, NicknameStatus};

use super::groups::group_name;
use super::page::{Dash, DashForm, PageError, notice, when};
use crate::AppState;

/// Most members listed.
const MAX_LISTED: i64 = 500;

/// The longest name an admin may set.
const MAX_NAME_CHARS: usize = 64;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/groups/{id}/nicknames", get(show).post(save))
        .route("/groups/{id}/nicknames/{member}/name", post(set_name))
}

/// A group's chat settings as stored; unreadable ones show as empty.
pub(crate) async fn stored_chat(state: &AppState, id: GroupId) -> Result<ChatSettings, PageError> {
    let json = state
        .store()
        .group_settings_json(id)
        .await?
        .unwrap_or_default();
    Ok(serde_json::from_str(&json).unwrap_or_default())
}

/// The rule editor's fields, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct RuleForm {
    #[serde(default)]
    pattern: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    example: String,
    #[serde(default)]
    grace_hours: String,
    /// A name to test against the rule.
    #[serde(default)]
    sample: String,
    /// `save`, `off` or `test`.
    #[serde(default)]
    r#do: String,
}

impl RuleForm {
    fn from_stored(rule: Option<&NicknameRule>) -> RuleForm {
        let Some(rule) = rule else {
            return RuleForm::default();
        };
        RuleForm {
            pattern: rule.pattern.clone(),
            description: rule.description.clone(),
            example: rule.example.clone(),
            grace_hours: rule.grace_hours.map(|h| h.to_string()).unwrap_or_default(),
            sample: String::new(),
            r#do: String::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
struct NameForm {
    #[serde(default)]
    nickname: String,
}

async fn find(state: &AppState, id: i64) -> Result<Option<GroupSummary>, PageError> {
    Ok(state
        .store()
        .list_groups()
        .await?
        .into_iter()
        .find(|g| g.group.id == GroupId(id)))
}

/// A rule's problem in the user's language.
fn problem(dash: &Dash, err: &NicknameError) -> String {
    match err {
        NicknameError::Empty => dash.t("nick-error-empty"),
        NicknameError::TooLong => dash.ta("nick-error-long", &[("max", MAX_PATTERN_CHARS.into())]),
        NicknameError::TooFewFields => dash.t("nick-error-fields"),
        NicknameError::BadRegex(why) => {
            dash.ta("nick-error-regex", &[("reason", why.as_str().into())])
        }
        NicknameError::BadExample(example) => dash.ta(
            "nick-error-example",
            &[("example", example.as_str().into())],
        ),
        NicknameError::BadGrace => dash.ta("nick-error-grace", &[("max", MAX_GRACE_HOURS.into())]),
        NicknameError::TextTooLong => dash.ta("nick-error-text", &[("max", MAX_TEXT_CHARS.into())]),
    }
}

/// The rule the form describes, or what is wrong with it.
fn read(dash: &Dash, form: &RuleForm) -> Result<NicknameRule, String> {
    let hours = form.grace_hours.trim();
    let grace_hours = if hours.is_empty() {
        None
    } else {
        Some(
            hours
                .parse::<u32>()
                .map_err(|_| problem(dash, &NicknameError::BadGrace))?,
        )
    };
    let rule = NicknameRule {
        pattern: form.pattern.trim().to_owned(),
        description: form.description.trim().to_owned(),
        example: form.example.trim().to_owned(),
        grace_hours,
    };
    rule.check().map_err(|err| problem(dash, &err))?;
    Ok(rule)
}

/// Whether Steward can set names on the group's platform.
fn settable(summary: &GroupSummary) -> bool {
    Capabilities::of_platform(summary.group.platform).supports(ActionKind::SetNickname)
}

async fn show(
    dash: Dash,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let Some(summary) = find(&state, id).await? else {
        return Err(dash.not_found());
    };
    let chat = stored_chat(&state, summary.group.id).await?;
    let form = RuleForm::from_stored(chat.nickname.as_ref());
    let cases = state
        .store()
        .nickname_cases_of(summary.group.id, MAX_LISTED)
        .await?;
    Ok(page(
        &dash,
        &summary,
        chat.nickname.as_ref(),
        &form,
        None,
        None,
        query.notice.as_deref(),
        &cases,
    ))
}

async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<RuleForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let Some(summary) = find(&state, id).await? else {
        return Err(dash.not_found());
    };
    let chat = stored_chat(&state, summary.group.id).await?;
    let cases = state
        .store()
        .nickname_cases_of(summary.group.id, MAX_LISTED)
        .await?;
    let rule = if form.r#do == "off" {
        None
    } else {
        match read(&dash, &form) {
            Ok(rule) => Some(rule),
            Err(why) => {
                let body = page(
                    &dash,
                    &summary,
                    chat.nickname.as_ref(),
                    &form,
                    Some(&why),
                    None,
                    None,
                    &cases,
                );
                return Ok((StatusCode::BAD_REQUEST, body).into_response());
            }
        }
    };
    if form.r#do == "test" {
        let tested = rule.as_ref().and_then(|r| r.compile().ok()).map(|c| {
            let ok = c.accepts(&form.sample);
            (form.sample.clone(), ok)
        });
        let body = page(
            &dash,
            &summary,
            chat.nickname.as_ref(),
            &form,
            None,
            tested,
            None,
            &cases,
        );
        return Ok(body.into_response());
    }
    let before = state
        .pipeline
        .set_nickname_rule(summary.group.id, rule.clone())
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let describe = |rule: &Option<NicknameRule>| match rule {
        Some(rule) => format!("“{}”", rule.pattern),
        None => "none".to_owned(),
    };
    state
        .store()
        .insert_audit(&NewAudit {
            at: Utc::now(),
            actor: format!("user:{}", dash.user.name),
            action: AuditKind::NicknameRuleChanged.as_str().to_owned(),
            group: Some(summary.group.id),
            target: Some(group_name(&summary.group)),
            reason: Some(format!("{} → {}", describe(&before), describe(&rule))),
            evidence: Some(serde_json::json!({"before": before, "after": rule}).to_string()),
            ..NewAudit::default()
        })
        .await?;
    Ok(Redirect::to(&format!("/groups/{id}/nicknames?notice=notice-saved")).into_response())
}

async fn set_name(
    State(state): State<AppState>,
    Path((id, member)): Path<(i64, i64)>,
    DashForm(dash, form): DashForm<NameForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let Some(summary) = find(&state, id).await? else {
        return Err(dash.not_found());
    };
    if !settable(&summary) {
        return Err(dash.bad_request(&dash.t("nick-set-unsupported")));
    }
    let chat = stored_chat(&state, summary.group.id).await?;
    let Some(compiled) = chat.nickname.as_ref().and_then(|r| r.compile().ok()) else {
        return Err(dash.bad_request(&dash.t("nick-set-no-rule")));
    };
    let nickname = form.nickname.trim();
    if nickname.is_empty()
        || nickname.chars().count() > MAX_NAME_CHARS
        || !compiled.accepts(nickname)
    {
        let why = dash.ta(
            "nick-set-bad",
            &[("name", nickname.into()), ("max", MAX_NAME_CHARS.into())],
        );
        return Err(dash.bad_request(&why));
    }
    let queued = state
        .pipeline
        .set_member_nickname(
            summary.group.id,
            MemberId(member),
            nickname,
            &format!("user:{}", dash.user.name),
            Utc::now(),
        )
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    if queued.is_none() {
        return Err(dash.not_found());
    }
    Ok(Redirect::to(&format!("/groups/{id}/nicknames?notice=notice-nick-queued")).into_response())
}

#[allow(clippy::too_many_arguments)]
fn page(
    dash: &Dash,
    summary: &GroupSummary,
    stored: Option<&NicknameRule>,
    form: &RuleForm,
    problem: Option<&str>,
    tested: Option<(String, bool)>,
    notice_key: Option<&str>,
    cases: &[NicknameCase],
) -> Markup {
    let group = &summary.group;
    let id = group.id.0;
    let read_only = !dash.can(Permission::ManageGroups);
    let can_set = settable(summary);
    let title = dash.ta(
        "nick-title",
        &[("group", group_name(group).as_str().into())],
    );
    let body = html! {
        p { a href=(format!("/groups/{id}")) { "← " (dash.t("nick-back")) } }
        (notice(dash, notice_key))
        @if let Some(problem) = problem {
            p.notice.error role="alert" { (problem) }
        }
        @if let Some((sample, ok)) = &tested {
            @if *ok {
                p.notice role="status" { (dash.ta("nick-test-ok", &[("name", sample.as_str().into())])) }
            } @else {
                p.notice.warn role="status" { (dash.ta("nick-test-bad", &[("name", sample.as_str().into())])) }
            }
        }
        p { (dash.t("nick-intro")) }
        p.muted {
            @match stored {
                Some(rule) => (dash.ta("nick-current", &[("format", rule.format().into()), ("hours", rule.grace_hours().into())])),
                None => (dash.t("nick-none")),
            }
        }
        @if read_only {
            p.notice.warn { (dash.t("nick-readonly")) }
        }
        form.stack method="post" action=(format!("/groups/{id}/nicknames")) {
            (dash.csrf_field())
            fieldset disabled[read_only] {
                legend { (dash.t("nick-section-rule")) }
                label for="nick-pattern" { (dash.t("nick-field-pattern")) }
                input #nick-pattern type="text" name="pattern" value=(form.pattern) aria-describedby="nick-pattern-hint";
                small #nick-pattern-hint .muted { (dash.t("nick-hint-pattern")) }
                label for="nick-description" { (dash.t("nick-field-description")) }
                input #nick-description type="text" name="description" value=(form.description) aria-describedby="nick-description-hint";
                small #nick-description-hint .muted { (dash.t("nick-hint-description")) }
                label for="nick-example" { (dash.t("nick-field-example")) }
                input #nick-example type="text" name="example" value=(form.example);
                label for="nick-grace" { (dash.t("nick-field-grace")) }
                input #nick-grace type="number" name="grace_hours" min="1" max=(MAX_GRACE_HOURS) value=(form.grace_hours) aria-describedby="nick-grace-hint";
                small #nick-grace-hint .muted { (dash.t("nick-hint-grace")) }
                label for="nick-sample" { (dash.t("nick-field-sample")) }
                input #nick-sample type="text" name="sample" value=(form.sample);
            }
            @if !read_only {
                div.actions {
                    button.secondary type="submit" name="do" value="test" { (dash.t("nick-test")) }
                    " "
                    button type="submit" name="do" value="save" { (dash.t("save")) }
                    @if stored.is_some() {
                        " "
                        button.secondary type="submit" name="do" value="off" { (dash.t("nick-off")) }
                    }
                }
            }
        }
        section.card #nick-members aria-labelledby="nick-members-h" {
            h2 #nick-members-h { (dash.t("nick-section-members")) }
            @if !can_set {
                p.muted { (dash.ta("nick-set-absent", &[("platform", group.platform.as_str().into())])) }
            }
            @if cases.is_empty() {
                p.muted { (dash.t("nick-members-none")) }
            } @else {
                div.table-wrap {
                    table {
                        thead { tr {
                            th scope="col" { (dash.t("nick-col-name")) }
                            th scope="col" { (dash.t("nick-col-since")) }
                            th scope="col" { (dash.t("nick-col-deadline")) }
                            th scope="col" { (dash.t("nick-col-status")) }
                            @if can_set && !read_only {
                                th scope="col" { (dash.t("nick-col-set")) }
                            }
                        } }
                        tbody {
                            @for case in cases {
                                @let name = case.current_name.clone().unwrap_or_else(|| case.name.clone());
                                tr {
                                    td {
                                        a href=(format!("/members/{}", case.member.0)) {
                                            @if name.trim().is_empty() { code { (case.member_platform_id) } } @else { (name) }
                                        }
                                    }
                                    td { (when(case.since)) }
                                    td { (when(case.deadline)) }
                                    td {
                                        @match case.status {
                                            NicknameStatus::Reminded => span.tag { (dash.t("nick-status-reminded")) },
                                            NicknameStatus::Restricted => span.tag.high { (dash.t("nick-status-restricted")) },
                                        }
                                    }
                                    @if can_set && !read_only {
                                        td {
                                            form.inline method="post" action=(format!("/groups/{id}/nicknames/{}/name", case.member.0)) {
                                                (dash.csrf_field())
                                                label.visually-hidden for=(format!("nick-set-{}", case.member.0)) { (dash.t("nick-col-set")) }
                                                input id=(format!("nick-set-{}", case.member.0)) type="text" name="nickname" required placeholder=(stored.map(|r| r.example.as_str()).filter(|e| !e.is_empty()).unwrap_or(""));
                                                " "
                                                button type="submit" { (dash.t("nick-set")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    dash.page(&title, body)
}
