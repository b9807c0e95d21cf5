//! Editing one rule, adding one, deleting one, and the behaviour limits,
//! each as a form built from the JSON (`fields`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use steward_core::Permission;
use steward_moderation::{BehaviourRules, Rule, RuleSet};

use super::super::page::{Dash, DashForm, PageError, notice};
use super::{CommentForm, NoticeQuery, fields, rule_href, rule_json, save, segment};
use crate::AppState;

/// The kinds of rule, as in the JSON's `type`.
const KINDS: &[&str] = &[
    "keywords",
    "pattern",
    "deny_domains",
    "allow_domains",
    "any_link",
    "invite_links",
    "phones",
    "contact_ids",
    "mentions",
    "emoji",
    "caps",
    "length",
    "attachments",
    "classifier",
    "forwards",
];

/// The fields a new rule of `kind` starts with.
fn template(kind: &str) -> Option<Value> {
    Some(match kind {
        "keywords" => json!({ "words": [] }),
        "pattern" => json!({ "regex": "example" }),
        "deny_domains" | "allow_domains" => json!({ "domains": [] }),
        "mentions" => json!({ "max": 5 }),
        "emoji" => json!({ "max": 10 }),
        "caps" => json!({ "max_percent": 70, "min_letters": 10 }),
        "length" => json!({ "max_chars": 2000 }),
        "attachments" => json!({ "kinds": ["document"] }),
        "classifier" => json!({ "threshold": null }),
        "forwards" => json!({ "channels_only": false }),
        "any_link" | "invite_links" | "phones" | "contact_ids" => json!({}),
        _ => return None,
    })
}

/// A rule's JSON with the options serde leaves out when they have their
/// default (so the form shows them).
fn editable(rule: &Rule) -> Map<String, Value> {
    let mut map = rule_json(rule);
    if map.get("type").and_then(Value::as_str) == Some("keywords") {
        map.entry("match").or_insert_with(|| json!("auto"));
        map.entry("normalize").or_insert(Value::Bool(true));
        map.entry("min_hits").or_insert_with(|| json!(1));
    }
    map
}

/// The value of a plain (non-field) form entry.
fn entry<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The form for adding a rule (on the rules page, and again when refused).
pub(super) fn new_rule_form(
    dash: &Dash,
    form: Option<&NewRuleForm>,
    error: Option<&str>,
) -> Markup {
    let kind = form.map_or("keywords", |f| f.kind.as_str());
    html! {
        p.muted { (dash.t("rules-new-intro")) }
        form.stack method="post" action="/rules/new" {
            (dash.csrf_field())
            @if let Some(error) = error {
                p.notice.error role="alert" { (error) }
            }
            label for="new-kind" { (dash.t("rules-field-type")) }
            select #new-kind name="kind" {
                @for option in KINDS {
                    option value=(option) selected[*option == kind] { (super::kind_label(dash, option)) }
                }
            }
            label for="new-id" { (dash.t("rules-field-id")) }
            input #new-id type="text" name="id" required maxlength="100" value=(form.map_or("", |f| f.id.as_str()));
            label for="new-description" { (dash.t("rules-field-description")) }
            input #new-description type="text" name="description" required maxlength="500"
                value=(form.map_or("", |f| f.description.as_str()));
            label for="new-looks-for" { (dash.t("rules-new-looks-for")) }
            textarea #new-looks-for name="looks_for" rows="4" aria-describedby="new-looks-for-hint" {
                (form.map_or("", |f| f.looks_for.as_str()))
            }
            span.muted #new-looks-for-hint { (dash.t("rules-new-looks-for-hint")) }
            button type="submit" { (dash.t("rules-new-add")) }
        }
    }
}

/// A button deleting a rule.
pub(super) fn delete_form(dash: &Dash, id: &str) -> Markup {
    html! {
        form.inline method="post" action=(format!("/rules/{}/delete", segment(id))) {
            (dash.csrf_field())
            button.danger type="submit" data-confirm=(dash.ta("rules-delete-confirm", &[("id", id.into())])) {
                (dash.t("rules-delete"))
            }
        }
    }
}

/// A new rule.
#[derive(Debug, Deserialize)]
pub(super) struct NewRuleForm {
    kind: String,
    id: String,
    description: String,
    /// Words, domains, attachment types (one per line) or the pattern.
    #[serde(default)]
    looks_for: String,
}

pub(super) async fn create(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<NewRuleForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::EditRules)?;
    let id = form.id.trim().to_owned();
    let refused = |problem: String| {
        let body = new_rule_form(&dash, Some(&form), Some(&problem));
        let markup = dash.page(&dash.t("rules-new-title"), body);
        Ok((StatusCode::BAD_REQUEST, markup).into_response())
    };
    let Some(Value::Object(mut map)) = template(&form.kind) else {
        return refused(dash.t("rules-problem-choice"));
    };
    // New rules start in shadow mode: they record what they would do until
    // an admin turns them on.
    map.insert("id".into(), json!(id));
    map.insert("description".into(), json!(form.description.trim()));
    map.insert("type".into(), json!(form.kind));
    map.insert("mode".into(), json!("shadow"));
    let lines: Vec<&str> = form
        .looks_for
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let list = match form.kind.as_str() {
        "keywords" => Some("words"),
        "deny_domains" | "allow_domains" => Some("domains"),
        "attachments" => Some("kinds"),
        _ => None,
    };
    if let Some(list) = list.filter(|_| !lines.is_empty()) {
        map.insert(list.into(), json!(lines));
    } else if form.kind == "pattern" && !form.looks_for.trim().is_empty() {
        map.insert("regex".into(), json!(form.looks_for.trim()));
    }
    let rule: Rule = match serde_json::from_value(Value::Object(map)) {
        Ok(rule) => rule,
        Err(e) => return refused(e.to_string()),
    };
    let mut rule_set = state.pipeline.rule_set();
    rule_set.rules.push(rule);
    let comment = dash.ta("rules-created-comment", &[("id", id.as_str().into())]);
    match save(&state, &dash, rule_set, &comment).await? {
        Ok(_) => Ok(
            Redirect::to(&format!("{}?notice=notice-rules-created", rule_href(&id)))
                .into_response(),
        ),
        Err(problem) => refused(problem),
    }
}

/// The edit page of one rule; `form` and `error` when a save was refused.
fn rule_form(
    dash: &Dash,
    id: &str,
    json: &Map<String, Value>,
    form: Option<&[(String, String)]>,
    error: Option<&str>,
    notice_key: Option<&str>,
) -> Markup {
    let comment = form.map_or("", |form| entry(form, "comment"));
    let body = html! {
        (notice(dash, notice_key))
        p { a href="/rules" { (dash.t("rules-back")) } }
        section.card {
            form.stack method="post" action=(rule_href(id)) {
                (dash.csrf_field())
                @if let Some(error) = error {
                    p.notice.error role="alert" { (error) }
                }
                (fields::render(dash, json, form))
                label for="rule-comment" { (dash.t("rules-comment")) }
                input #rule-comment type="text" name="comment" maxlength="500" value=(comment);
                button type="submit" { (dash.t("save")) }
            }
        }
        section.card {
            h2 { (dash.t("rules-delete")) }
            (delete_form(dash, id))
        }
    };
    dash.page(&dash.ta("rules-edit-title", &[("id", id.into())]), body)
}

pub(super) async fn rule_page(
    State(state): State<AppState>,
    dash: Dash,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::EditRules)?;
    let rule_set = state.pipeline.rule_set();
    let Some(rule) = rule_set.rules.iter().find(|r| r.id == id) else {
        return Err(dash.not_found());
    };
    Ok(rule_form(
        &dash,
        &id,
        &editable(rule),
        None,
        None,
        query.notice.as_deref(),
    ))
}

pub(super) async fn save_rule(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DashForm(dash, form): DashForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    dash.require(Permission::EditRules)?;
    let mut rule_set = state.pipeline.rule_set();
    let Some(index) = rule_set.rules.iter().position(|r| r.id == id) else {
        return Err(dash.not_found());
    };
    let json = editable(&rule_set.rules[index]);
    let refused = |problem: String| {
        let markup = rule_form(&dash, &id, &json, Some(&form), Some(&problem), None);
        Ok((StatusCode::BAD_REQUEST, markup).into_response())
    };
    let read = match fields::read(&dash, &json, &form) {
        Ok(read) => read,
        Err(error) => {
            return refused(dash.ta(
                "rules-field-refused",
                &[
                    ("rule", id.as_str().into()),
                    ("field", error.field.into()),
                    ("problem", error.problem.into()),
                ],
            ));
        }
    };
    let rule: Rule = match serde_json::from_value(Value::Object(read)) {
        Ok(rule) => rule,
        Err(e) => {
            return refused(dash.ta(
                "rules-refused",
                &[
                    ("rule", id.as_str().into()),
                    ("problem", e.to_string().into()),
                ],
            ));
        }
    };
    rule_set.rules[index] = rule;
    match save(&state, &dash, rule_set, entry(&form, "comment")).await? {
        Ok(_) => Ok(Redirect::to("/rules?notice=notice-saved").into_response()),
        Err(problem) => refused(problem),
    }
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DashForm(dash, form): DashForm<CommentForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::EditRules)?;
    let mut rule_set: RuleSet = state.pipeline.rule_set();
    let before = rule_set.rules.len();
    rule_set.rules.retain(|r| r.id != id);
    if rule_set.rules.len() == before {
        return Err(dash.not_found());
    }
    let mut comment = dash.ta("rules-deleted-comment", &[("id", id.as_str().into())]);
    if !form.comment.trim().is_empty() {
        comment = format!("{comment}: {}", form.comment.trim());
    }
    match save(&state, &dash, rule_set, &comment).await? {
        Ok(_) => Ok(Redirect::to("/rules?notice=notice-rules-deleted").into_response()),
        Err(problem) => Err(dash.bad_request(&problem)),
    }
}

/// The behaviour limits as JSON, a window that is off shown with a count
/// of 0 (which is also how it is turned off).
fn behaviour_json(behaviour: &BehaviourRules) -> Map<String, Value> {
    let defaults = BehaviourRules::default();
    let mut map = Map::new();
    for ((name, window), (_, default)) in super::windows(behaviour)
        .into_iter()
        .zip(super::windows(&defaults))
    {
        let window = window.or(default.map(|mut w| {
            w.count = 0;
            w
        }));
        map.insert(
            name.to_owned(),
            serde_json::to_value(window).unwrap_or(Value::Null),
        );
    }
    map
}

fn behaviour_form(
    dash: &Dash,
    json: &Map<String, Value>,
    form: Option<&[(String, String)]>,
    error: Option<&str>,
) -> Markup {
    let comment = form.map_or("", |form| entry(form, "comment"));
    let body = html! {
        p { a href="/rules" { (dash.t("rules-back")) } }
        p.muted { (dash.t("rules-behaviour-intro")) }
        section.card {
            form.stack method="post" action="/rules/behaviour" {
                (dash.csrf_field())
                @if let Some(error) = error {
                    p.notice.error role="alert" { (error) }
                }
                (fields::render(dash, json, form))
                label for="behaviour-comment" { (dash.t("rules-comment")) }
                input #behaviour-comment type="text" name="comment" maxlength="500" value=(comment);
                button type="submit" { (dash.t("save")) }
            }
        }
    };
    dash.page(&dash.t("rules-behaviour-title"), body)
}

pub(super) async fn behaviour_page(
    State(state): State<AppState>,
    dash: Dash,
) -> Result<Markup, PageError> {
    dash.require(Permission::EditRules)?;
    let json = behaviour_json(&state.pipeline.rule_set().behaviour);
    Ok(behaviour_form(&dash, &json, None, None))
}

pub(super) async fn save_behaviour(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    dash.require(Permission::EditRules)?;
    let mut rule_set = state.pipeline.rule_set();
    let json = behaviour_json(&rule_set.behaviour);
    let refused = |problem: String| {
        let markup = behaviour_form(&dash, &json, Some(&form), Some(&problem));
        Ok((StatusCode::BAD_REQUEST, markup).into_response())
    };
    let read = match fields::read(&dash, &json, &form) {
        Ok(read) => read,
        Err(error) => {
            return refused(dash.ta(
                "rules-field-refused",
                &[
                    ("rule", dash.t("rules-behaviour-title").into()),
                    ("field", error.field.into()),
                    ("problem", error.problem.into()),
                ],
            ));
        }
    };
    let mut behaviour: BehaviourRules = match serde_json::from_value(Value::Object(read)) {
        Ok(behaviour) => behaviour,
        Err(e) => return refused(e.to_string()),
    };
    for window in [
        &mut behaviour.flood,
        &mut behaviour.repeat,
        &mut behaviour.wave,
        &mut behaviour.raid,
    ] {
        if window.is_some_and(|w| w.count == 0) {
            *window = None;
        }
    }
    rule_set.behaviour = behaviour;
    match save(&state, &dash, rule_set, entry(&form, "comment")).await? {
        Ok(_) => Ok(Redirect::to("/rules?notice=notice-saved").into_response()),
        Err(problem) => refused(problem),
    }
}
