//! The FAQ page: the entries the bot answers questions from (for one group
//! or a whole community; keywords, and per language a title, example
//! phrasings and the answer), a test box that shows which entry a typed
//! question matches and how well, and the questions nothing answered, each
//! with a shortcut to make an entry from it and a dismiss button. Those who
//! manage groups (`ManageGroups`) change entries; everyone who may view
//! reads them. Every change is audited and puts the entries in effect at
//! once.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::audit::AuditKind;
use steward_core::i18n::Lang;
use steward_core::settings::ChatSettings;
use steward_core::{CommunityId, GroupId, Permission};
use steward_storage::audit::NewAudit;
use steward_storage::entities::GroupSummary;
use steward_storage::faq::{FaqContent, FaqEntry, FaqText};

use super::groups::group_name;
use super::page::{Dash, DashForm, PageError, notice, when};
use crate::AppState;

/// Collected questions the page shows.
const UNANSWERED: i64 = 100;
/// Limits on what an entry may hold.
const MAX_TITLE: usize = 200;
const MAX_ANSWER: usize = 4000;
const MAX_LINE: usize = 300;
const MAX_LINES: usize = 50;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/faq", get(page).post(create))
        .route("/faq/new", get(new_page))
        .route("/faq/{id}", get(edit_page).post(update))
        .route("/faq/{id}/delete", post(delete))
        .route("/faq/unanswered/{id}/dismiss", post(dismiss))
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    notice: Option<String>,
    /// The test box's question.
    q: Option<String>,
    /// The group the test box matches in.
    group: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let groups = state.store().list_groups().await?;
    let entries = state.store().faq_entries().await?;
    let questions = state.store().unanswered_questions(UNANSWERED).await?;
    let manage = dash.can(Permission::ManageGroups);
    let chosen = match query.group.as_deref().map(str::trim) {
        None | Some("") => groups.first().map(|g| g.group.id),
        Some(text) => Some(GroupId(
            text.parse()
                .map_err(|_| dash.bad_request(&dash.t("faq-bad-scope")))?,
        )),
    };
    let question = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let probe = match (question, chosen) {
        (Some(q), Some(group)) => {
            let in_group = state.store().faq_entries_for_group(group).await?;
            let settings = chat_settings(&state, group).await?;
            let probe = steward_runtime::faq_probe(&in_group, &settings, q);
            let title = probe
                .entry
                .and_then(|id| in_group.iter().find(|e| e.id == id))
                .map(|e| e.content.title(dash.lang).to_owned());
            Some((probe, title))
        }
        _ => None,
    };
    let title = dash.t("faq-title");
    Ok(dash.page(
        &title,
        html! {
            (notice(&dash, query.notice.as_deref()))
            p.muted { (dash.t("faq-intro")) }
            section.card aria-labelledby="faq-entries-h" {
                h2 #faq-entries-h { (dash.t("faq-entries")) }
                @if entries.is_empty() {
                    p.muted { (dash.t("faq-no-entries")) }
                } @else {
                    div.table-wrap { table {
                        thead { tr {
                            th scope="col" { (dash.t("faq-question")) }
                            th scope="col" { (dash.t("faq-scope")) }
                            th scope="col" { (dash.t("faq-keywords")) }
                            th scope="col" { (dash.t("faq-answers")) }
                            th scope="col" { (dash.t("faq-updated")) }
                            @if manage { th scope="col" { span.sr-only { (dash.t("faq-actions")) } } }
                        } }
                        tbody {
                            @for e in &entries {
                                tr {
                                    td {
                                        @if manage {
                                            a href=(format!("/faq/{}", e.id)) { (entry_title(&dash, e)) }
                                        } @else {
                                            (entry_title(&dash, e))
                                        }
                                    }
                                    td { (scope_name(&dash, &groups, e.group, e.community)) }
                                    td { (e.content.keywords.join(", ")) }
                                    td { (e.answers) }
                                    td { (when(e.updated_at)) }
                                    @if manage {
                                        td.actions {
                                            form.inline method="post" action=(format!("/faq/{}/delete", e.id)) {
                                                (dash.csrf_field())
                                                button.danger type="submit" { (dash.t("faq-delete")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    } }
                }
                @if manage && !groups.is_empty() {
                    p { a.button href="/faq/new" { (dash.t("faq-new")) } }
                }
            }
            section.card aria-labelledby="faq-test-h" {
                h2 #faq-test-h { (dash.t("faq-test")) }
                form.stack method="get" action="/faq" {
                    label for="faq-test-group" { (dash.t("group")) }
                    select #faq-test-group name="group" {
                        @for summary in &groups {
                            option value=(summary.group.id.0) selected[chosen == Some(summary.group.id)] { (group_name(&summary.group)) }
                        }
                    }
                    label for="faq-test-q" { (dash.t("faq-test-question")) }
                    input #faq-test-q type="text" name="q" maxlength="1000" value=(question.unwrap_or(""));
                    div.actions { button type="submit" { (dash.t("faq-test-run")) } }
                }
                @if let Some((probe, title)) = &probe {
                    dl.test-result {
                        dt { (dash.t("faq-test-match")) }
                        dd { (title.clone().unwrap_or_else(|| dash.t("faq-test-none"))) }
                        dt { (dash.t("faq-test-score")) }
                        dd { (format!("{:.0}%", probe.score * 100.0)) }
                        dt { (dash.t("faq-test-keyword")) }
                        dd { (dash.t(if probe.keyword { "faq-yes" } else { "faq-no" })) }
                        dt { (dash.t("faq-test-is-question")) }
                        dd { (dash.t(if probe.question { "faq-yes" } else { "faq-no" })) }
                        dt { (dash.t("faq-test-outcome")) }
                        dd {
                            (dash.t(if probe.answered {
                                "faq-outcome-answered"
                            } else if probe.collected {
                                "faq-outcome-collected"
                            } else {
                                "faq-outcome-quiet"
                            }))
                        }
                    }
                }
            }
            section.card aria-labelledby="faq-unanswered-h" {
                h2 #faq-unanswered-h { (dash.t("faq-unanswered")) }
                @if questions.is_empty() {
                    p.muted { (dash.t("faq-no-unanswered")) }
                } @else {
                    div.table-wrap { table {
                        thead { tr {
                            th scope="col" { (dash.t("faq-when")) }
                            th scope="col" { (dash.t("group")) }
                            th scope="col" { (dash.t("member")) }
                            th scope="col" { (dash.t("faq-question")) }
                            @if manage { th scope="col" { span.sr-only { (dash.t("faq-actions")) } } }
                        } }
                        tbody {
                            @for q in &questions {
                                tr {
                                    td { (when(q.at)) }
                                    td { (q.group_title.clone().unwrap_or_else(|| format!("#{}", q.group.0))) }
                                    td {
                                        @if let Some(member) = q.member {
                                            a href=(format!("/members/{}", member.0)) { (q.member_name.clone().unwrap_or_else(|| format!("#{}", member.0))) }
                                        }
                                    }
                                    td { (q.text) }
                                    @if manage {
                                        td.actions {
                                            a.button href=(format!("/faq/new?from={}", q.id)) { (dash.t("faq-make-entry")) }
                                            form.inline method="post" action=(format!("/faq/unanswered/{}/dismiss", q.id)) {
                                                (dash.csrf_field())
                                                button.secondary type="submit" { (dash.t("faq-dismiss")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    } }
                }
            }
        },
    ))
}

fn entry_title(dash: &Dash, entry: &FaqEntry) -> String {
    let title = entry.content.title(dash.lang);
    if title.is_empty() {
        format!("#{}", entry.id)
    } else {
        title.to_owned()
    }
}

/// The group's chat settings (defaults when unreadable).
async fn chat_settings(state: &AppState, group: GroupId) -> Result<ChatSettings, PageError> {
    let raw = state.store().group_settings_json(group).await?;
    Ok(raw
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default())
}

fn scope_name(
    dash: &Dash,
    groups: &[GroupSummary],
    group: Option<GroupId>,
    community: Option<CommunityId>,
) -> String {
    if let Some(group) = group {
        return groups
            .iter()
            .find(|g| g.group.id == group)
            .map_or_else(|| format!("#{}", group.0), |g| group_name(&g.group));
    }
    let name = groups
        .iter()
        .find(|g| g.group.community.is_some() && g.group.community == community)
        .and_then(|g| g.community_name.clone())
        .unwrap_or_else(|| format!("#{}", community.map_or(0, |c| c.0)));
    dash.ta("faq-community", &[("name", name.into())])
}

/// The scopes an entry may have: every group, then every community, as
/// (form value, label).
fn scopes(dash: &Dash, groups: &[GroupSummary]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = groups
        .iter()
        .map(|g| (format!("group:{}", g.group.id.0), group_name(&g.group)))
        .collect();
    let mut seen = Vec::new();
    for g in groups {
        if let Some(c) = g.group.community
            && !seen.contains(&c)
        {
            seen.push(c);
            out.push((
                format!("community:{}", c.0),
                scope_name(dash, groups, None, Some(c)),
            ));
        }
    }
    out
}

#[derive(Debug, Default, Deserialize)]
struct NewQuery {
    /// A collected question to start from.
    from: Option<i64>,
}

async fn new_page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<NewQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::ManageGroups)?;
    let groups = state.store().list_groups().await?;
    let mut form = EntryForm::default();
    if let Some(from) = query.from {
        let Some(question) = state.store().unanswered_question(from).await? else {
            return Err(dash.not_found());
        };
        let lang = groups
            .iter()
            .find(|g| g.group.id == question.group)
            .map_or(Lang::En, |g| g.group.language);
        form.scope = format!("group:{}", question.group.0);
        form.from = Some(from);
        *form.title_mut(lang) = question.text.clone();
    }
    Ok(editor(&dash, &groups, None, &form))
}

async fn edit_page(
    State(state): State<AppState>,
    dash: Dash,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    dash.require(Permission::ManageGroups)?;
    let Some(entry) = state.store().faq_entry(id).await? else {
        return Err(dash.not_found());
    };
    let groups = state.store().list_groups().await?;
    Ok(editor(&dash, &groups, Some(id), &EntryForm::of(&entry)))
}

fn editor(dash: &Dash, groups: &[GroupSummary], id: Option<i64>, form: &EntryForm) -> Markup {
    let title = dash.t(if id.is_some() { "faq-edit" } else { "faq-new" });
    let action = id.map_or_else(|| "/faq".to_owned(), |id| format!("/faq/{id}"));
    html! {
        (dash.page(&title, html! {
            p { a href="/faq" { "← " (dash.t("nav-faq")) } }
            form.stack method="post" action=(action) {
                (dash.csrf_field())
                @if let Some(from) = form.from {
                    input type="hidden" name="from" value=(from);
                }
                label for="faq-scope" { (dash.t("faq-scope")) }
                select #faq-scope name="scope" {
                    @for (value, label) in scopes(dash, groups) {
                        option value=(value) selected[value == form.scope] { (label) }
                    }
                }
                label for="faq-keywords" { (dash.t("faq-keywords")) }
                input #faq-keywords type="text" name="keywords" value=(form.keywords) aria-describedby="faq-keywords-hint";
                small #faq-keywords-hint .muted { (dash.t("faq-keywords-hint")) }
                @for lang in Lang::ALL {
                    fieldset {
                        legend { (dash.t(&format!("faq-lang-{}", lang.as_str()))) }
                        label for=(format!("faq-title-{}", lang.as_str())) { (dash.t("faq-question")) }
                        input id=(format!("faq-title-{}", lang.as_str())) type="text" name=(format!("title_{}", lang.as_str())) maxlength=(MAX_TITLE) value=(form.title(lang));
                        label for=(format!("faq-phrasings-{}", lang.as_str())) { (dash.t("faq-phrasings")) }
                        textarea id=(format!("faq-phrasings-{}", lang.as_str())) name=(format!("phrasings_{}", lang.as_str())) rows="3" { (form.phrasings(lang)) }
                        label for=(format!("faq-answer-{}", lang.as_str())) { (dash.t("faq-answer")) }
                        textarea id=(format!("faq-answer-{}", lang.as_str())) name=(format!("answer_{}", lang.as_str())) rows="4" { (form.answer(lang)) }
                    }
                }
                small.muted { (dash.t("faq-lang-hint")) }
                div.actions { button type="submit" { (dash.t("faq-save")) } }
            }
        }))
    }
}

/// The entry form; every field optional so a missing one reads as empty.
#[derive(Debug, Default, Deserialize)]
struct EntryForm {
    #[serde(default)]
    scope: String,
    #[serde(default)]
    keywords: String,
    #[serde(default)]
    title_zh: String,
    #[serde(default)]
    phrasings_zh: String,
    #[serde(default)]
    answer_zh: String,
    #[serde(default)]
    title_ru: String,
    #[serde(default)]
    phrasings_ru: String,
    #[serde(default)]
    answer_ru: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    phrasings_en: String,
    #[serde(default)]
    answer_en: String,
    #[serde(default)]
    from: Option<i64>,
}

impl EntryForm {
    fn of(entry: &FaqEntry) -> EntryForm {
        let mut form = EntryForm {
            scope: match (entry.group, entry.community) {
                (Some(g), _) => format!("group:{}", g.0),
                (None, Some(c)) => format!("community:{}", c.0),
                (None, None) => String::new(),
            },
            keywords: entry.content.keywords.join(", "),
            ..EntryForm::default()
        };
        for lang in Lang::ALL {
            let text = entry.content.text(lang);
            *form.title_mut(lang) = text.title.clone();
            *form.phrasings_mut(lang) = text.phrasings.join("\n");
            *form.answer_mut(lang) = text.answer.clone();
        }
        form
    }

    fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.title_zh,
            Lang::Ru => &self.title_ru,
            Lang::En => &self.title_en,
        }
    }

    fn title_mut(&mut self, lang: Lang) -> &mut String {
        match lang {
            Lang::Zh => &mut self.title_zh,
            Lang::Ru => &mut self.title_ru,
            Lang::En => &mut self.title_en,
        }
    }

    fn phrasings(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.phrasings_zh,
            Lang::Ru => &self.phrasings_ru,
            Lang::En => &self.phrasings_en,
        }
    }

    fn phrasings_mut(&mut self, lang: Lang) -> &mut String {
        match lang {
            Lang::Zh => &mut self.phrasings_zh,
            Lang::Ru => &mut self.phrasings_ru,
            Lang::En => &mut self.phrasings_en,
        }
    }

    fn answer(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.answer_zh,
            Lang::Ru => &self.answer_ru,
            Lang::En => &self.answer_en,
        }
    }

    fn answer_mut(&mut self, lang: Lang) -> &mut String {
        match lang {
            Lang::Zh => &mut self.answer_zh,
            Lang::Ru => &mut self.answer_ru,
            Lang::En => &mut self.answer_en,
        }
    }

    /// The entry's place and texts, or the key of what is wrong.
    fn read(
        &self,
        groups: &[GroupSummary],
    ) -> Result<(Option<GroupId>, Option<CommunityId>, FaqContent), &'static str> {
        let (group, community) = match self.scope.trim().split_once(':') {
            Some(("group", id)) => {
                let id = GroupId(id.parse().map_err(|_| "faq-bad-scope")?);
                if !groups.iter().any(|g| g.group.id == id) {
                    return Err("faq-bad-scope");
                }
                (Some(id), None)
            }
            Some(("community", id)) => {
                let id = CommunityId(id.parse().map_err(|_| "faq-bad-scope")?);
                if !groups.iter().any(|g| g.group.community == Some(id)) {
                    return Err("faq-bad-scope");
                }
                (None, Some(id))
            }
            _ => return Err("faq-bad-scope"),
        };
        let keywords = lines(&self.keywords.replace([',', '，', '、'], "\n"))?;
        let mut content = FaqContent {
            keywords,
            ..FaqContent::default()
        };
        for lang in Lang::ALL {
            let title = self.title(lang).trim().to_owned();
            let answer = self.answer(lang).trim().to_owned();
            if title.chars().count() > MAX_TITLE || answer.chars().count() > MAX_ANSWER {
                return Err("faq-too-long");
            }
            *content.text_mut(lang) = FaqText {
                title,
                phrasings: lines(self.phrasings(lang))?,
                answer,
            };
        }
        if Lang::ALL.iter().all(|&l| content.text(l).answer.is_empty()) {
            return Err("faq-needs-answer");
        }
        if content.phrasings().is_empty() && content.keywords.is_empty() {
            return Err("faq-needs-question");
        }
        Ok((group, community, content))
    }
}

/// Non-blank lines, trimmed, within the limits.
fn lines(text: &str) -> Result<Vec<String>, &'static str> {
    let out: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if out.len() > MAX_LINES || out.iter().any(|l| l.chars().count() > MAX_LINE) {
        return Err("faq-too-long");
    }
    Ok(out)
}

async fn create(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<EntryForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let groups = state.store().list_groups().await?;
    let (group, community, content) = form
        .read(&groups)
        .map_err(|key| dash.bad_request(&dash.t(key)))?;
    let actor = format!("user:{}", dash.user.name);
    let now = Utc::now();
    let id = state
        .store()
        .create_faq_entry(group, community, &content, &actor, now)
        .await?;
    if let Some(from) = form.from {
        state.store().dismiss_unanswered(from, now).await?;
    }
    state.pipeline.faq_changed();
    audit(&state, &actor, AuditKind::FaqCreated, group, id, &content).await?;
    Ok(Redirect::to("/faq?notice=notice-saved").into_response())
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<EntryForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let groups = state.store().list_groups().await?;
    let (group, community, content) = form
        .read(&groups)
        .map_err(|key| dash.bad_request(&dash.t(key)))?;
    if !state
        .store()
        .update_faq_entry(id, group, community, &content, Utc::now())
        .await?
    {
        return Err(dash.not_found());
    }
    state.pipeline.faq_changed();
    let actor = format!("user:{}", dash.user.name);
    audit(&state, &actor, AuditKind::FaqChanged, group, id, &content).await?;
    Ok(Redirect::to("/faq?notice=notice-saved").into_response())
}

#[derive(Debug, Deserialize)]
struct Empty {}

async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, _): DashForm<Empty>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let Some(entry) = state.store().faq_entry(id).await? else {
        return Err(dash.not_found());
    };
    if state.store().delete_faq_entry(id).await? {
        state.pipeline.faq_changed();
        let actor = format!("user:{}", dash.user.name);
        audit(
            &state,
            &actor,
            AuditKind::FaqDeleted,
            entry.group,
            id,
            &entry.content,
        )
        .await?;
    }
    Ok(Redirect::to("/faq?notice=notice-saved").into_response())
}

async fn dismiss(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, _): DashForm<Empty>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let Some(question) = state.store().unanswered_question(id).await? else {
        return Err(dash.not_found());
    };
    if state.store().dismiss_unanswered(id, Utc::now()).await? {
        state
            .store()
            .insert_audit(&NewAudit {
                at: Utc::now(),
                actor: format!("user:{}", dash.user.name),
                action: AuditKind::FaqQuestionDismissed.as_str().to_owned(),
                group: Some(question.group),
                member: question.member,
                target: Some(format!("faq_question:{id}")),
                reason: Some(question.text.chars().take(200).collect()),
                ..NewAudit::default()
            })
            .await?;
    }
    Ok(Redirect::to("/faq?notice=notice-saved").into_response())
}

async fn audit(
    state: &AppState,
    actor: &str,
    kind: AuditKind,
    group: Option<GroupId>,
    entry: i64,
    content: &FaqContent,
) -> Result<(), PageError> {
    let title = Lang::ALL
        .iter()
        .map(|&l| content.text(l).title.as_str())
        .find(|t| !t.is_empty())
        .unwrap_or("")
        .to_owned();
    state
        .store()
        .insert_audit(&NewAudit {
            at: Utc::now(),
            actor: actor.to_owned(),
            action: kind.as_str().to_owned(),
            group,
            target: Some(format!("faq:{entry}")),
            reason: Some(title),
            ..NewAudit::default()
        })
        .await?;
    Ok(())
}
