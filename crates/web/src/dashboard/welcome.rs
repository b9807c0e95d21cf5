//! A group's welcome editor (`/groups/{id}/welcome`): the templates per
//! language and the default one, link buttons, how long the welcome stays,
//! the grouping window, and the rules link `{rules}` points to.
//!
//! The preview is rendered on the server by the same code that writes the
//! real welcome, for one newcomer and for a group who joined together;
//! "Preview" shows it for what was typed without saving. Anyone who may
//! view sees the page; saving takes `ManageGroups`, is checked field by
//! field (an unknown variable is named) and audited.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::i18n::Lang;
use steward_core::texts::BotText;
use steward_core::welcome::{
    self, Fill, MAX_BUTTON_ROWS, MAX_BUTTONS_PER_ROW, MAX_DELETE_AFTER_SECONDS, MAX_GROUP_SECONDS,
    MAX_TEMPLATE_CHARS, Newcomers, Welcome, WelcomeError,
};
use steward_core::{AuditKind, GroupId, Permission};
use steward_storage::audit::NewAudit;
use steward_storage::entities::GroupSummary;

use super::groups::group_name;
use super::page::{Dash, DashForm, PageError, language_name, notice};
use crate::AppState;

/// The longest rules link.
const MAX_URL_CHARS: usize = 500;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/groups/{id}/welcome", get(show).post(save))
}

/// The editor's fields, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct WelcomeForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    zh: String,
    #[serde(default)]
    ru: String,
    #[serde(default)]
    en: String,
    #[serde(default)]
    buttons: String,
    #[serde(default)]
    delete_after: String,
    #[serde(default)]
    group_seconds: String,
    #[serde(default)]
    rules_url: String,
    /// `save` or `preview`.
    #[serde(default)]
    r#do: String,
}

impl WelcomeForm {
    fn from_stored(welcome: &Welcome, rules_url: Option<&str>) -> WelcomeForm {
        WelcomeForm {
            text: welcome.text.clone(),
            zh: welcome.zh.clone(),
            ru: welcome.ru.clone(),
            en: welcome.en.clone(),
            buttons: welcome::buttons_to_text(&welcome.buttons),
            delete_after: welcome
                .delete_after
                .map(|s| s.to_string())
                .unwrap_or_default(),
            group_seconds: welcome
                .group_seconds
                .map(|s| s.to_string())
                .unwrap_or_default(),
            rules_url: rules_url.unwrap_or_default().to_owned(),
            r#do: String::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

/// The group with this id.
async fn find(state: &AppState, id: i64) -> Result<Option<GroupSummary>, PageError> {
    Ok(state
        .store()
        .list_groups()
        .await?
        .into_iter()
        .find(|g| g.group.id == GroupId(id)))
}

/// A template's problem in the user's language.
fn template_problem(dash: &Dash, field: &str, err: &WelcomeError) -> String {
    match err {
        WelcomeError::UnknownVariable(name) => dash.ta(
            "welcome-error-unknown",
            &[
                ("field", field.into()),
                ("name", format!("{{{name}}}").into()),
            ],
        ),
        WelcomeError::Unbalanced(at) => dash.ta(
            "welcome-error-brace",
            &[("field", field.into()), ("at", (*at).into())],
        ),
        WelcomeError::TooLong => dash.ta(
            "welcome-error-long",
            &[("field", field.into()), ("max", MAX_TEMPLATE_CHARS.into())],
        ),
        WelcomeError::BadButton(button) => dash.ta(
            "welcome-error-button",
            &[("button", button.as_str().into())],
        ),
        WelcomeError::TooManyButtons => dash.ta(
            "welcome-error-buttons",
            &[
                ("rows", MAX_BUTTON_ROWS.into()),
                ("per", MAX_BUTTONS_PER_ROW.into()),
            ],
        ),
        WelcomeError::BadDeleteAfter => dash.ta(
            "welcome-error-delete",
            &[("max", MAX_DELETE_AFTER_SECONDS.into())],
        ),
        WelcomeError::BadGroupSeconds => {
            dash.ta("welcome-error-window", &[("max", MAX_GROUP_SECONDS.into())])
        }
    }
}

/// The welcome and rules link the form describes, or what is wrong, by
/// field.
fn read(dash: &Dash, form: &WelcomeForm) -> Result<(Welcome, Option<String>), Vec<String>> {
    let mut problems = Vec::new();
    let templates = [
        ("text", &form.text, dash.t("welcome-field-default")),
        ("zh", &form.zh, language_name(Lang::Zh).to_owned()),
        ("ru", &form.ru, language_name(Lang::Ru).to_owned()),
        ("en", &form.en, language_name(Lang::En).to_owned()),
    ];
    for (_, template, label) in &templates {
        if let Err(err) = welcome::check_template(template.trim()) {
            problems.push(template_problem(dash, label, &err));
        }
    }
    let buttons = welcome::parse_buttons(&form.buttons).unwrap_or_else(|err| {
        problems.push(template_problem(dash, "", &err));
        Vec::new()
    });
    let seconds =
        |text: &str, min: u32, max: u32, err: WelcomeError, problems: &mut Vec<String>| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match text.parse::<u32>() {
                Ok(n) if (min..=max).contains(&n) => Some(n),
                _ => {
                    problems.push(template_problem(dash, "", &err));
                    None
                }
            }
        };
    let delete_after = seconds(
        &form.delete_after,
        1,
        MAX_DELETE_AFTER_SECONDS,
        WelcomeError::BadDeleteAfter,
        &mut problems,
    );
    let group_seconds = seconds(
        &form.group_seconds,
        0,
        MAX_GROUP_SECONDS,
        WelcomeError::BadGroupSeconds,
        &mut problems,
    );
    let url = form.rules_url.trim();
    let rules_url = if url.is_empty() {
        None
    } else if (url.starts_with("https://") || url.starts_with("http://"))
        && url.chars().count() <= MAX_URL_CHARS
        && !url.chars().any(char::is_whitespace)
    {
        Some(url.to_owned())
    } else {
        problems.push(dash.ta("welcome-error-rules-url", &[("max", MAX_URL_CHARS.into())]));
        None
    };
    let welcome = Welcome {
        text: form.text.trim().to_owned(),
        zh: form.zh.trim().to_owned(),
        ru: form.ru.trim().to_owned(),
        en: form.en.trim().to_owned(),
        buttons,
        delete_after,
        group_seconds,
    };
    if problems.is_empty() {
        // The same check the settings get everywhere, as a last guard.
        problems.extend(welcome.problems());
    }
    if problems.is_empty() {
        Ok((welcome, rules_url))
    } else {
        Err(problems)
    }
}

/// Sample newcomers for the preview.
fn samples(lang: Lang) -> (Newcomers, Newcomers) {
    let names: &[&str] = match lang {
        Lang::Zh => &["小明", "王芳", "李雷"],
        Lang::Ru => &["Ольга", "Борис", "Ирина"],
        Lang::En => &["Ann", "Boris", "Chen"],
    };
    let inviter = match lang {
        Lang::Zh => "群主",
        Lang::Ru => "Администратор",
        Lang::En => "Alice",
    };
    let one = Newcomers {
        ids: vec!["1".into()],
        names: vec![names[0].to_owned()],
        inviters: vec![inviter.to_owned()],
    };
    let many = Newcomers {
        ids: vec!["1".into(), "2".into(), "3".into()],
        names: names.iter().map(|n| (*n).to_owned()).collect(),
        inviters: Vec::new(),
    };
    (one, many)
}

/// The preview: what the group would see, for one newcomer and for several.
fn preview(
    dash: &Dash,
    summary: &GroupSummary,
    welcome: &Welcome,
    rules_url: Option<&str>,
) -> Markup {
    let lang = summary.group.language;
    let Some(template) = welcome.template(lang) else {
        return html! { p.muted #welcome-preview { (dash.t("welcome-off")) } };
    };
    let hint = BotText::WelcomeRulesHint.render(lang);
    let rules = rules_url.unwrap_or(&hint);
    let title = group_name(&summary.group);
    let (one, many) = samples(lang);
    let show = |newcomers: &Newcomers| {
        welcome::render(
            template,
            &Fill {
                newcomers,
                group: &title,
                rules,
                lang,
            },
        )
    };
    html! {
        div #welcome-preview {
            p.muted { (dash.ta("welcome-preview-intro", &[("language", language_name(lang).into())])) }
            h3 { (dash.t("welcome-preview-one")) }
            pre.evidence { (show(&one)) }
            @if welcome.group_seconds() > 0 {
                h3 { (dash.ta("welcome-preview-many", &[("seconds", welcome.group_seconds().into())])) }
                pre.evidence { (show(&many)) }
            }
            @if !welcome.buttons.is_empty() {
                @for row in &welcome.buttons {
                    p {
                        @for button in row {
                            span.tag title=(button.url) { (button.text) } " "
                        }
                    }
                }
            }
            @match welcome.delete_after {
                Some(seconds) => p.muted { (dash.ta("welcome-preview-deleted", &[("seconds", seconds.into())])) },
                None => p.muted { (dash.t("welcome-preview-kept")) },
            }
        }
    }
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
    let chat = super::nicknames::stored_chat(&state, summary.group.id).await?;
    let welcome = chat.welcome.clone().unwrap_or_default();
    let form = WelcomeForm::from_stored(&welcome, chat.rules_url.as_deref());
    let shown = preview(&dash, &summary, &welcome, chat.rules_url.as_deref());
    Ok(editor(
        &dash,
        &summary,
        &form,
        &[],
        query.notice.as_deref(),
        shown,
    ))
}

async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<WelcomeForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let Some(summary) = find(&state, id).await? else {
        return Err(dash.not_found());
    };
    let (welcome, rules_url) = match read(&dash, &form) {
        Ok(read) => read,
        Err(problems) => {
            let page = editor(&dash, &summary, &form, &problems, None, html! {});
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    if form.r#do == "preview" {
        let shown = preview(&dash, &summary, &welcome, rules_url.as_deref());
        return Ok(editor(&dash, &summary, &form, &[], None, shown).into_response());
    }
    let stored = welcome.is_on().then_some(welcome);
    let before = state
        .pipeline
        .set_welcome(summary.group.id, stored.clone(), rules_url.clone())
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let evidence = serde_json::json!({
        "before": {"welcome": before.welcome, "rules_url": before.rules_url},
        "after": {"welcome": stored, "rules_url": rules_url},
    });
    state
        .store()
        .insert_audit(&NewAudit {
            at: Utc::now(),
            actor: format!("user:{}", dash.user.name),
            action: AuditKind::WelcomeChanged.as_str().to_owned(),
            group: Some(summary.group.id),
            target: Some(group_name(&summary.group)),
            reason: Some(if stored.is_some() {
                "welcome set".to_owned()
            } else {
                "welcome off".to_owned()
            }),
            evidence: Some(evidence.to_string()),
            ..NewAudit::default()
        })
        .await?;
    Ok(Redirect::to(&format!("/groups/{id}/welcome?notice=notice-saved")).into_response())
}

fn editor(
    dash: &Dash,
    summary: &GroupSummary,
    form: &WelcomeForm,
    problems: &[String],
    notice_key: Option<&str>,
    shown: Markup,
) -> Markup {
    let group = &summary.group;
    let id = group.id.0;
    let read_only = !dash.can(Permission::ManageGroups);
    let title = dash.ta(
        "welcome-title",
        &[("group", group_name(group).as_str().into())],
    );
    let languages = [
        ("zh", Lang::Zh, &form.zh),
        ("ru", Lang::Ru, &form.ru),
        ("en", Lang::En, &form.en),
    ];
    let body = html! {
        p { a href=(format!("/groups/{id}")) { "← " (dash.t("welcome-back")) } }
        (notice(dash, notice_key))
        @if !problems.is_empty() {
            div.notice.error role="alert" {
                p { (dash.t("welcome-errors")) }
                ul { @for problem in problems { li { (problem) } } }
            }
        }
        @if read_only {
            p.notice.warn { (dash.t("welcome-readonly")) }
        }
        p { (dash.t("welcome-intro")) }
        p.muted { (dash.t("welcome-variables")) }
        form.stack method="post" action=(format!("/groups/{id}/welcome")) {
            (dash.csrf_field())
            fieldset disabled[read_only] {
                legend { (dash.t("welcome-section-templates")) }
                label for="welcome-text" { (dash.t("welcome-field-default")) }
                textarea #welcome-text name="text" rows="4" aria-describedby="welcome-text-hint" { (form.text) }
                small #welcome-text-hint .muted { (dash.t("welcome-hint-default")) }
                @for (field, lang, value) in languages {
                    label for=(format!("welcome-{field}")) {
                        (dash.ta("welcome-field-lang", &[("language", language_name(lang).into())]))
                        @if lang == group.language { " · " (dash.t("welcome-group-language")) }
                    }
                    textarea id=(format!("welcome-{field}")) name=(field) rows="3" { (value) }
                }
            }
            fieldset disabled[read_only] {
                legend { (dash.t("welcome-section-more")) }
                label for="welcome-buttons" { (dash.t("welcome-field-buttons")) }
                textarea #welcome-buttons name="buttons" rows="3" aria-describedby="welcome-buttons-hint" { (form.buttons) }
                small #welcome-buttons-hint .muted { (dash.t("welcome-hint-buttons")) }
                label for="welcome-rules-url" { (dash.t("welcome-field-rules-url")) }
                input #welcome-rules-url type="url" name="rules_url" value=(form.rules_url) aria-describedby="welcome-rules-url-hint";
                small #welcome-rules-url-hint .muted { (dash.t("welcome-hint-rules-url")) }
                label for="welcome-delete" { (dash.t("welcome-field-delete")) }
                input #welcome-delete type="number" name="delete_after" min="1" max=(MAX_DELETE_AFTER_SECONDS) value=(form.delete_after) aria-describedby="welcome-delete-hint";
                small #welcome-delete-hint .muted { (dash.t("welcome-hint-delete")) }
                label for="welcome-window" { (dash.t("welcome-field-window")) }
                input #welcome-window type="number" name="group_seconds" min="0" max=(MAX_GROUP_SECONDS) value=(form.group_seconds) aria-describedby="welcome-window-hint";
                small #welcome-window-hint .muted { (dash.t("welcome-hint-window")) }
            }
            @if !read_only {
                div.actions {
                    button.secondary type="submit" name="do" value="preview" { (dash.t("welcome-preview")) }
                    " "
                    button type="submit" name="do" value="save" { (dash.t("save")) }
                }
            }
        }
        section.card aria-labelledby="welcome-preview-h" {
            h2 #welcome-preview-h { (dash.t("welcome-section-preview")) }
            (shown)
        }
    };
    dash.page(&title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_sample_names() {
        for lang in Lang::ALL {
            let (one, many) = samples(lang);
            assert_eq!(one.names.len(), 1);
            assert_eq!(many.names.len(), 3);
        }
    }
}
