//! The groups page: every group by community, and one settings page per
//! group (language, community, admins' chat, in-chat admins and moderators,
//! rules text, join questions, reports and mood alerts to the admins'
//! chat), with the group's penalty ladder (`ladder`, editable by those who
//! may edit rules).
//!
//! Anyone who may view sees the settings; changing them takes
//! `ManageGroups`. A save is checked field by field (a bad value gives the
//! form back with status 400 and what is wrong, by field), applied through
//! `Pipeline::configure_group` like the config's `[[groups]]`, and audited.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::analytics::ReportSettings;
use steward_core::i18n::Lang;
use steward_core::model::Group;
use steward_core::settings::{ChatSettings, JoinQuestion};
use steward_core::{GroupId, Permission, Platform};
use steward_runtime::GroupSettings;
use steward_storage::audit::NewAudit;
use steward_storage::entities::GroupSummary;

use super::page::{Dash, DashForm, PageError, language_name, notice};
use crate::AppState;

/// The audit action of a change of a group's settings.
pub(crate) const SETTINGS_CHANGED: &str = "group_settings_changed";

/// Limits of the settings form.
const MAX_COMMUNITY_CHARS: usize = 100;
const MAX_ID_CHARS: usize = 128;
const MAX_PEOPLE: usize = 200;
const MAX_RULES: usize = 50;
const MAX_RULE_CHARS: usize = 2000;
const MAX_QUESTIONS: usize = 20;
const MAX_QUESTION_CHARS: usize = 500;
/// Empty question slots offered below the stored ones.
const SPARE_QUESTIONS: usize = 2;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/groups", get(list))
        .route("/groups/{id}", get(show).post(save))
}

/// How a group is named on the pages: its title, else `platform:id`.
pub(crate) fn group_name(group: &Group) -> String {
    match group.title.as_deref().map(str::trim) {
        Some(title) if !title.is_empty() => title.to_owned(),
        _ => format!("{}:{}", group.platform.as_str(), group.platform_id),
    }
}

/// Groups by community: named communities by name, then the groups without
/// one (`None`). Groups keep their order within a community.
pub(crate) fn by_community(groups: &[GroupSummary]) -> Vec<(Option<String>, Vec<&GroupSummary>)> {
    let mut named: BTreeMap<&str, Vec<&GroupSummary>> = BTreeMap::new();
    let mut loose = Vec::new();
    for g in groups {
        match g.community_name.as_deref() {
            Some(name) => named.entry(name).or_default().push(g),
            None => loose.push(g),
        }
    }
    let mut out: Vec<(Option<String>, Vec<&GroupSummary>)> = named
        .into_iter()
        .map(|(name, gs)| (Some(name.to_owned()), gs))
        .collect();
    if !loose.is_empty() {
        out.push((None, loose));
    }
    out
}

#[derive(Debug, Default, Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn list(
    dash: Dash,
    State(state): State<AppState>,
    Query(query): Query<NoticeQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let groups = state.store().list_groups().await?;
    let body = html! {
        (notice(&dash, query.notice.as_deref()))
        @if groups.is_empty() {
            p.muted { (dash.t("groups-empty")) " " a href="/overview" { (dash.t("nav-overview")) } }
        }
        @for (community, members) in by_community(&groups) {
            section {
                h2 { (community.unwrap_or_else(|| dash.t("groups-no-community"))) }
                div.table-wrap {
                    table {
                        thead {
                            tr {
                                th scope="col" { (dash.t("group")) }
                                th scope="col" { (dash.t("groups-col-platform")) }
                                th scope="col" .hide-narrow { (dash.t("groups-col-platform-id")) }
                                th scope="col" { (dash.t("groups-col-language")) }
                                th scope="col" { (dash.t("groups-col-messages")) }
                                th scope="col" { (dash.t("groups-col-members")) }
                            }
                        }
                        tbody {
                            @for g in members {
                                tr {
                                    th scope="row" { a href=(format!("/groups/{}", g.group.id.0)) { (group_name(&g.group)) } }
                                    td { span.tag { (g.group.platform.as_str()) } }
                                    td.hide-narrow { code { (g.group.platform_id) } }
                                    td { (language_name(g.group.language)) }
                                    td { (g.message_count) }
                                    td { (g.member_count) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(dash.page(&dash.t("nav-groups"), body))
}

/// The settings form as submitted (or as stored, for showing): every field
/// as text, so a refused form comes back as the user wrote it.
#[derive(Debug, Clone, Default, Deserialize)]
struct SettingsForm {
    #[serde(default)]
    language: String,
    #[serde(default)]
    community: String,
    #[serde(default)]
    admin_chat: String,
    #[serde(default)]
    admins: String,
    #[serde(default)]
    moderators: String,
    #[serde(default)]
    rules: String,
    #[serde(default)]
    join_minutes: String,
    #[serde(default)]
    timezone: String,
    /// One per question slot, in order.
    #[serde(default)]
    question: Vec<String>,
    /// One per question slot: the accepted answers, one per line.
    #[serde(default)]
    answers: Vec<String>,
    /// Set by the reports fieldset, so that a form without it (an older
    /// page, a script) keeps the stored reports instead of reading every
    /// unticked box as "off".
    #[serde(default)]
    reports_form: Option<String>,
    #[serde(default)]
    report_daily: Option<String>,
    #[serde(default)]
    report_weekly: Option<String>,
    #[serde(default)]
    report_monthly: Option<String>,
    #[serde(default)]
    report_hour: String,
    #[serde(default)]
    report_alerts: Option<String>,
}

impl SettingsForm {
    fn from_stored(summary: &GroupSummary, chat: &ChatSettings) -> SettingsForm {
        SettingsForm {
            language: summary.group.language.as_str().to_owned(),
            community: summary.community_name.clone().unwrap_or_default(),
            admin_chat: chat.admin_chat.clone().unwrap_or_default(),
            admins: chat.admins.join("\n"),
            moderators: chat.moderators.join("\n"),
            rules: chat.rules.join("\n"),
            join_minutes: chat.join_minutes.map(|m| m.to_string()).unwrap_or_default(),
            timezone: chat.timezone.clone().unwrap_or_default(),
            question: chat.join_questions.iter().map(|q| q.ask.clone()).collect(),
            answers: chat
                .join_questions
                .iter()
                .map(|q| q.answers.join("\n"))
                .collect(),
            reports_form: Some("1".to_owned()),
            report_daily: chat.reports.daily.then(|| "on".to_owned()),
            report_weekly: chat.reports.weekly.then(|| "on".to_owned()),
            report_monthly: chat.reports.monthly.then(|| "on".to_owned()),
            report_hour: chat.reports.hour.to_string(),
            report_alerts: chat.reports.alerts.then(|| "on".to_owned()),
        }
    }

    /// The reports the form sets: `Ok(None)` when it has no reports
    /// fieldset, `Err(())` for an hour that is not 0–23.
    fn reports(&self) -> Result<Option<ReportSettings>, ()> {
        if self.reports_form.is_none() {
            return Ok(None);
        }
        let hour = match self.report_hour.trim() {
            "" => ReportSettings::default().hour,
            text => text.parse::<u8>().ok().filter(|h| *h <= 23).ok_or(())?,
        };
        Ok(Some(ReportSettings {
            daily: self.report_daily.is_some(),
            weekly: self.report_weekly.is_some(),
            monthly: self.report_monthly.is_some(),
            hour,
            alerts: self.report_alerts.is_some(),
        }))
    }
}

/// The non-empty trimmed lines of a text.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// Whether a text looks like one platform id (no spaces or control
/// characters, not too long).
fn is_platform_id(value: &str) -> bool {
    !value.is_empty()
        && value.chars().count() <= MAX_ID_CHARS
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Whether a text is a username (after the `@`).
fn is_username(value: &str) -> bool {
    (1..=64).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Checks the form and turns it into settings, or says what is wrong
/// (`Ok(Err(problems))`, each naming its field). `@usernames` are turned
/// into platform ids by the members Steward has seen on `platform`.
async fn validate(
    dash: &Dash,
    state: &AppState,
    platform: Platform,
    form: &SettingsForm,
) -> Result<Result<GroupSettings, Vec<String>>, PageError> {
    let mut problems: Vec<String> = Vec::new();
    let language = form.language.trim().parse::<Lang>().ok();
    if language.is_none() {
        problems.push(dash.t("groups-error-language"));
    }
    let community = form.community.trim();
    if community.chars().count() > MAX_COMMUNITY_CHARS {
        problems.push(dash.ta(
            "groups-error-community",
            &[("max", MAX_COMMUNITY_CHARS.into())],
        ));
    }
    let admin_chat = form.admin_chat.trim();
    if !admin_chat.is_empty() && !is_platform_id(admin_chat) {
        problems.push(dash.ta("groups-error-admin-chat", &[("max", MAX_ID_CHARS.into())]));
    }
    let mut people = |text: &str, field_key: &str| {
        let field = dash.t(field_key);
        let entries: Vec<&str> = lines(text).collect();
        if entries.len() > MAX_PEOPLE {
            problems.push(dash.ta(
                "groups-error-too-many",
                &[("field", field.as_str().into()), ("max", MAX_PEOPLE.into())],
            ));
        }
        let mut ids = Vec::new();
        let mut usernames = Vec::new();
        for entry in entries {
            match entry.strip_prefix('@') {
                Some(name) if is_username(name) => usernames.push(name.to_owned()),
                None if is_platform_id(entry) => ids.push(entry.to_owned()),
                _ => problems.push(dash.ta(
                    "groups-error-id",
                    &[("field", field.as_str().into()), ("value", entry.into())],
                )),
            }
        }
        (field, ids, usernames)
    };
    let admins = people(&form.admins, "groups-field-admins");
    let moderators = people(&form.moderators, "groups-field-moderators");
    let rules: Vec<String> = lines(&form.rules).map(str::to_owned).collect();
    if rules.len() > MAX_RULES || rules.iter().any(|r| r.chars().count() > MAX_RULE_CHARS) {
        problems.push(dash.ta(
            "groups-error-rules",
            &[("max", MAX_RULES.into()), ("chars", MAX_RULE_CHARS.into())],
        ));
    }
    let join_minutes = match form.join_minutes.trim() {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(m) if (1..=24 * 60).contains(&m) => Some(m),
            _ => {
                problems.push(dash.t("groups-error-join-minutes"));
                None
            }
        },
    };
    let timezone = match form.timezone.trim() {
        "" => None,
        zone if steward_core::zone::Zone::parse(zone).is_some() => Some(zone.to_owned()),
        _ => {
            problems.push(dash.t("groups-error-timezone"));
            None
        }
    };
    let reports = form.reports().unwrap_or_else(|()| {
        problems.push(dash.t("groups-error-report-hour"));
        None
    });
    let mut join_questions = Vec::new();
    let slots = form.question.len().max(form.answers.len());
    for i in 0..slots {
        let n = i + 1;
        let ask = form.question.get(i).map_or("", |q| q.trim());
        let answers: Vec<String> = form
            .answers
            .get(i)
            .map(|a| lines(a).map(str::to_owned).collect())
            .unwrap_or_default();
        match (ask.is_empty(), answers.is_empty()) {
            (true, true) => continue,
            (true, false) => {
                problems.push(dash.ta("groups-error-question-empty", &[("n", n.into())]))
            }
            (false, true) => {
                problems.push(dash.ta("groups-error-answers-empty", &[("n", n.into())]))
            }
            (false, false) => {}
        }
        if ask.chars().count() > MAX_QUESTION_CHARS
            || answers
                .iter()
                .any(|a| a.chars().count() > MAX_QUESTION_CHARS)
        {
            problems.push(dash.ta(
                "groups-error-question-long",
                &[("n", n.into()), ("max", MAX_QUESTION_CHARS.into())],
            ));
        }
        join_questions.push(JoinQuestion {
            ask: ask.to_owned(),
            answers,
            lang: None,
        });
    }
    if join_questions.len() > MAX_QUESTIONS {
        let field = dash.t("groups-section-join");
        problems.push(dash.ta(
            "groups-error-too-many",
            &[
                ("field", field.as_str().into()),
                ("max", MAX_QUESTIONS.into()),
            ],
        ));
    }
    // Usernames are looked up only when the rest is readable.
    let mut resolved = Vec::new();
    for (field, ids, usernames) in [admins, moderators] {
        let mut all = ids;
        for name in usernames {
            match state
                .store()
                .platform_id_by_username(platform, &name)
                .await?
            {
                Some(id) => all.push(id),
                None => problems.push(dash.ta(
                    "groups-error-username",
                    &[
                        ("field", field.as_str().into()),
                        ("value", format!("@{name}").into()),
                    ],
                )),
            }
        }
        let mut seen = std::collections::HashSet::new();
        all.retain(|id| seen.insert(id.clone()));
        resolved.push(all);
    }
    let moderators = resolved.pop().unwrap_or_default();
    let admins = resolved.pop().unwrap_or_default();
    let chat = ChatSettings {
        admin_chat: (!admin_chat.is_empty()).then(|| admin_chat.to_owned()),
        admins,
        moderators,
        rules,
        join_questions,
        join_minutes,
        timezone,
        reports: reports.unwrap_or_default(),
        ..ChatSettings::default()
    };
    if problems.is_empty() {
        // What the config's groups are checked with, as a last guard.
        problems.extend(chat.problems());
    }
    Ok(match language {
        Some(language) if problems.is_empty() => Ok(GroupSettings {
            community: (!community.is_empty()).then(|| community.to_owned()),
            language,
            chat,
        }),
        _ => Err(problems),
    })
}

/// The group with this id, with its figures.
async fn find(state: &AppState, id: i64) -> Result<Option<GroupSummary>, PageError> {
    Ok(state
        .store()
        .list_groups()
        .await?
        .into_iter()
        .find(|g| g.group.id == GroupId(id)))
}

async fn stored_chat(state: &AppState, id: GroupId) -> Result<ChatSettings, PageError> {
    let json = state
        .store()
        .group_settings_json(id)
        .await?
        .unwrap_or_default();
    // Settings written by an older or newer version that cannot be read are
    // shown as empty rather than failing the page.
    Ok(serde_json::from_str(&json).unwrap_or_default())
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
    let form = SettingsForm::from_stored(&summary, &chat);
    let ladder_section = super::ladder::section(&dash, &state, summary.group.id, None).await?;
    Ok(settings_page(
        &dash,
        &summary,
        &form,
        &[],
        query.notice.as_deref(),
        ladder_section,
    ))
}

async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<SettingsForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let Some(summary) = find(&state, id).await? else {
        return Err(dash.not_found());
    };
    let mut settings = match validate(&dash, &state, summary.group.platform, &form).await? {
        Ok(settings) => settings,
        Err(problems) => {
            let ladder_section =
                super::ladder::section(&dash, &state, summary.group.id, None).await?;
            let page = settings_page(&dash, &summary, &form, &problems, None, ladder_section);
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    let before = stored_chat(&state, summary.group.id).await?;
    // The form edits some fields; the others (screening, welcome, ...) are
    // set on their own pages and kept, as is each question's language.
    let mut questions = std::mem::take(&mut settings.chat.join_questions);
    for q in &mut questions {
        q.lang = before
            .join_questions
            .iter()
            .find(|old| old.ask == q.ask)
            .and_then(|old| old.lang);
    }
    settings.chat = ChatSettings {
        admin_chat: settings.chat.admin_chat.take(),
        admins: std::mem::take(&mut settings.chat.admins),
        moderators: std::mem::take(&mut settings.chat.moderators),
        rules: std::mem::take(&mut settings.chat.rules),
        join_questions: questions,
        join_minutes: settings.chat.join_minutes,
        timezone: settings.chat.timezone.take(),
        reports: match form.reports_form {
            Some(_) => std::mem::take(&mut settings.chat.reports),
            None => before.reports.clone(),
        },
        ..before.clone()
    };
    let group = &summary.group;
    state
        .pipeline
        .configure_group(group.platform, &group.platform_id, None, &settings)
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let evidence = serde_json::json!({
        "before": {
            "community": summary.community_name,
            "language": group.language.as_str(),
            "chat": before,
        },
        "after": {
            "community": settings.community,
            "language": settings.language.as_str(),
            "chat": settings.chat,
        },
    });
    state
        .store()
        .insert_audit(&NewAudit {
            at: Utc::now(),
            actor: format!("user:{}", dash.user.name),
            action: SETTINGS_CHANGED.to_owned(),
            group: Some(group.id),
            target: Some(group_name(group)),
            evidence: Some(evidence.to_string()),
            ..NewAudit::default()
        })
        .await?;
    Ok(Redirect::to(&format!("/groups/{}?notice=notice-saved", group.id.0)).into_response())
}

fn settings_page(
    dash: &Dash,
    summary: &GroupSummary,
    form: &SettingsForm,
    problems: &[String],
    notice_key: Option<&str>,
    ladder_section: Markup,
) -> Markup {
    let group = &summary.group;
    let name = group_name(group);
    let read_only = !dash.can(Permission::ManageGroups);
    let filled = (0..form.question.len().max(form.answers.len()))
        .rev()
        .find(|&i| {
            let blank = |v: &Vec<String>| v.get(i).is_none_or(|t| t.trim().is_empty());
            !blank(&form.question) || !blank(&form.answers)
        })
        .map_or(0, |i| i + 1);
    let slots = if read_only {
        filled
    } else {
        filled + SPARE_QUESTIONS
    };
    let title = dash.ta("groups-settings-title", &[("group", name.as_str().into())]);
    let body = html! {
        p { a href="/groups" { "← " (dash.t("groups-back")) } }
        (notice(dash, notice_key))
        @if !problems.is_empty() {
            div.notice.error role="alert" {
                p { (dash.t("groups-errors")) }
                ul {
                    @for problem in problems {
                        li { (problem) }
                    }
                }
            }
        }
        div.table-wrap {
            table {
                tbody {
                    tr { th scope="row" { (dash.t("groups-col-platform")) } td { span.tag { (group.platform.as_str()) } } }
                    tr { th scope="row" { (dash.t("groups-col-platform-id")) } td { code { (group.platform_id) } } }
                    tr { th scope="row" { (dash.t("groups-col-messages")) } td { (summary.message_count) } }
                    tr { th scope="row" { (dash.t("groups-col-members")) } td { (summary.member_count) } }
                }
            }
        }
        @if read_only {
            p.notice.warn { (dash.t("groups-readonly")) }
        }
        form.stack method="post" action=(format!("/groups/{}", group.id.0)) {
            (dash.csrf_field())
            fieldset disabled[read_only] {
                legend { (dash.t("groups-section-general")) }
                label for="language" { (dash.t("groups-field-language")) }
                select #language name="language" {
                    @for lang in Lang::ALL {
                        option value=(lang.as_str()) selected[form.language.trim() == lang.as_str()] { (language_name(lang)) }
                    }
                }
                label for="community" { (dash.t("groups-field-community")) }
                input #community type="text" name="community" value=(form.community) aria-describedby="community-hint";
                small #community-hint .muted { (dash.t("groups-hint-community")) }
                label for="timezone" { (dash.t("groups-field-timezone")) }
                input #timezone type="text" name="timezone" value=(form.timezone) placeholder="Asia/Shanghai" aria-describedby="timezone-hint";
                small #timezone-hint .muted { (dash.t("groups-hint-timezone")) }
                label for="admin_chat" { (dash.t("groups-field-admin-chat")) }
                input #admin_chat type="text" name="admin_chat" value=(form.admin_chat) aria-describedby="admin_chat-hint";
                small #admin_chat-hint .muted { (dash.t("groups-hint-admin-chat")) }
            }
            fieldset disabled[read_only] {
                legend { (dash.t("groups-section-people")) }
                label for="admins" { (dash.t("groups-field-admins")) }
                textarea #admins name="admins" rows="4" aria-describedby="admins-hint" { (form.admins) }
                small #admins-hint .muted { (dash.t("groups-hint-admins")) }
                label for="moderators" { (dash.t("groups-field-moderators")) }
                textarea #moderators name="moderators" rows="4" aria-describedby="moderators-hint" { (form.moderators) }
                small #moderators-hint .muted { (dash.t("groups-hint-moderators")) }
            }
            fieldset disabled[read_only] {
                legend { (dash.t("groups-section-rules")) }
                label for="rules" { (dash.t("groups-field-rules")) }
                textarea #rules name="rules" rows="6" aria-describedby="rules-hint" { (form.rules) }
                small #rules-hint .muted { (dash.t("groups-hint-rules")) }
            }
            (reports_fieldset(dash, form, read_only))
            fieldset disabled[read_only] {
                legend { (dash.t("groups-section-join")) }
                p.muted { (dash.t("groups-join-intro")) }
                @for i in 0..slots {
                    @let n = i + 1;
                    @let ask = form.question.get(i).map_or("", String::as_str);
                    @let answers = form.answers.get(i).map_or("", String::as_str);
                    label for=(format!("question-{n}")) { (dash.ta("groups-field-question", &[("n", n.into())])) }
                    input id=(format!("question-{n}")) type="text" name="question" value=(ask);
                    label for=(format!("answers-{n}")) { (dash.ta("groups-field-answers", &[("n", n.into())])) }
                    textarea id=(format!("answers-{n}")) name="answers" rows="3" aria-describedby="answers-hint" { (answers) }
                }
                small #answers-hint .muted { (dash.t("groups-hint-answers")) }
                label for="join_minutes" { (dash.t("groups-field-join-minutes")) }
                input #join_minutes type="number" name="join_minutes" min="1" max="1440" value=(form.join_minutes) aria-describedby="join_minutes-hint";
                small #join_minutes-hint .muted { (dash.t("groups-hint-join-minutes")) }
            }
            @if !read_only {
                button type="submit" { (dash.t("save")) }
            }
        }
        nav.card aria-label=(dash.t("welcome-link")) {
            ul {
                li { a href=(format!("/groups/{}/welcome", group.id.0)) { (dash.t("welcome-link")) } }
                li { a href=(format!("/groups/{}/nicknames", group.id.0)) { (dash.t("nick-link")) } }
            }
        }
        (ladder_section)
    };
    dash.page(&title, body)
}

/// Which reports reach the admins' chat, at what hour, and mood alerts.
fn reports_fieldset(dash: &Dash, form: &SettingsForm, read_only: bool) -> Markup {
    let zone = match form.timezone.trim() {
        "" => "UTC",
        zone => zone,
    };
    let checkbox = |id: &str, value: &Option<String>, key: &str| {
        html! {
            label for=(id) {
                input #(id) type="checkbox" name=(id) value="on" checked[value.is_some()];
                " " (dash.t(key))
            }
        }
    };
    html! {
        fieldset disabled[read_only] {
            legend { (dash.t("groups-section-reports")) }
            input type="hidden" name="reports_form" value="1";
            @if form.admin_chat.trim().is_empty() {
                p.notice.warn { (dash.t("groups-reports-no-admin-chat")) }
            }
            (checkbox("report_daily", &form.report_daily, "groups-field-report-daily"))
            (checkbox("report_weekly", &form.report_weekly, "groups-field-report-weekly"))
            (checkbox("report_monthly", &form.report_monthly, "groups-field-report-monthly"))
            label for="report_hour" { (dash.ta("groups-field-report-hour", &[("zone", zone.into())])) }
            input #report_hour type="number" name="report_hour" min="0" max="23" value=(form.report_hour) aria-describedby="report_hour-hint";
            small #report_hour-hint .muted { (dash.t("groups-hint-report-hour")) }
            (checkbox("report_alerts", &form.report_alerts, "groups-field-report-alerts"))
            small.muted { (dash.t("groups-hint-report-alerts")) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_usernames_are_told_apart() {
        assert!(is_platform_id("-1001234567890"));
        assert!(is_platform_id("!room:matrix.org"));
        assert!(!is_platform_id("two words"));
        assert!(!is_platform_id(""));
        assert!(is_username("ann_1"));
        assert!(!is_username("ann smith"));
        assert!(!is_username(""));
    }

    #[test]
    fn the_report_hour_is_0_to_23_and_empty_is_9() {
        let form = |hour: &str| SettingsForm {
            reports_form: Some("1".into()),
            report_hour: hour.into(),
            ..SettingsForm::default()
        };
        assert_eq!(form("0").reports().unwrap().unwrap().hour, 0);
        assert_eq!(form("23").reports().unwrap().unwrap().hour, 23);
        assert_eq!(form(" ").reports().unwrap().unwrap().hour, 9);
        assert!(form("24").reports().is_err());
        assert!(form("-1").reports().is_err());
        // Unticked boxes are off, but only when the fieldset was sent.
        assert!(!form("9").reports().unwrap().unwrap().weekly);
        assert_eq!(SettingsForm::default().reports(), Ok(None));
    }

    #[test]
    fn lines_skip_blanks_and_trim() {
        let got: Vec<&str> = lines(" a \n\n b\r\n").collect();
        assert_eq!(got, vec!["a", "b"]);
    }
}
