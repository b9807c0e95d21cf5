//! The rules page (`/rules`, admins and the owner only: it needs
//! [`Permission::EditRules`] for everything, reading included).
//!
//! * the rules in effect, each editable as a form (`edit`), a new rule,
//!   deleting one, the behaviour limits; the penalty ladder, read-only;
//! * a test box: the verdict on any text, with the evidence marked in the
//!   original text (`evidence`);
//! * backtests of the rules in effect or of a draft over a group's history
//!   (`backtest`);
//! * the raw JSON of the whole rule set, for anything the forms do not do;
//! * the history of versions, each restorable.
//!
//! Every change goes through [`crate::routes::rules::save_rules`], like the
//! API's: compiled first (a bad rule is refused by name and nothing
//! changes), then a new version, an audit entry, and the pipeline's rules.

mod backtest;
mod edit;
mod evidence;
mod fields;
mod sections;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::{Actor, Permission};
use steward_moderation::{BehaviourRules, Engine, RuleSet, Verdict, Window};

use super::page::{Dash, DashForm, PageError, notice};
use crate::AppState;
use crate::routes::rules::save_rules;

/// Rule ids the page's own paths use; a rule cannot have one of them.
const RESERVED_IDS: &[&str] = &["new", "test", "raw", "behaviour", "backtests", "history"];

/// The longest text the test box checks.
const MAX_TEST_BYTES: usize = 65536;

/// How many versions the history shows.
const HISTORY_LENGTH: i64 = 50;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/rules", get(page))
        .route("/rules/test", post(test))
        .route("/rules/raw", post(save_raw))
        .route("/rules/new", post(edit::create))
        .route(
            "/rules/behaviour",
            get(edit::behaviour_page).post(edit::save_behaviour),
        )
        .route("/rules/backtests", post(backtest::start))
        .route("/rules/backtests/{id}", get(backtest::progress))
        .route("/rules/history/{version}/restore", post(restore))
        .route("/rules/{id}", get(edit::rule_page).post(edit::save_rule))
        .route("/rules/{id}/delete", post(edit::delete))
}

/// `?notice=` after a redirect.
#[derive(Debug, Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

/// What the main page shows besides the rules.
#[derive(Debug, Default)]
struct View {
    notice: Option<String>,
    /// The test box's text and its verdict.
    test: Option<(String, Verdict)>,
    /// The raw JSON box as submitted, and why it was refused.
    draft: Option<String>,
    draft_error: Option<String>,
    /// The backtest form as submitted, and why it was refused.
    backtest: Option<backtest::StartForm>,
    backtest_error: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<NoticeQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::EditRules)?;
    main_page(
        &state,
        &dash,
        View {
            notice: query.notice,
            ..View::default()
        },
    )
    .await
}

/// A text to test.
#[derive(Debug, Deserialize)]
struct TestForm {
    text: String,
}

async fn test(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<TestForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::EditRules)?;
    if form.text.len() > MAX_TEST_BYTES {
        return Err(dash.bad_request(&dash.t("rules-test-too-long")));
    }
    let verdict = state.pipeline.engine().check(&form.text);
    let view = View {
        test: Some((form.text, verdict)),
        ..View::default()
    };
    Ok(main_page(&state, &dash, view).await?.into_response())
}

/// The raw JSON of the whole rule set.
#[derive(Debug, Deserialize)]
struct RawForm {
    rules: String,
    #[serde(default)]
    comment: String,
    /// The version the editor was opened on: a save over a newer one is
    /// refused, so two admins cannot silently undo each other's work.
    #[serde(default)]
    based_on: Option<i64>,
}

/// Reads a rule set from JSON; the problem names where it is.
fn parse_rule_set(dash: &Dash, json: &str) -> Result<RuleSet, String> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let problem = if e.path().to_string() == "." {
            e.inner().to_string()
        } else {
            format!("{}: {}", e.path(), e.inner())
        };
        dash.ta("rules-raw-invalid", &[("problem", problem.into())])
    })
}

async fn save_raw(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<RawForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::EditRules)?;
    let latest = state
        .store()
        .rule_versions(1)
        .await?
        .first()
        .map_or(0, |v| v.id);
    let stale = form.based_on.is_some_and(|based_on| based_on != latest);
    let refused = match parse_rule_set(&dash, &form.rules) {
        _ if stale => dash.ta("rules-stale", &[("version", latest.into())]),
        Ok(rule_set) => match save(&state, &dash, rule_set, &form.comment).await? {
            Ok(_) => return Ok(Redirect::to("/rules?notice=notice-saved").into_response()),
            Err(problem) => problem,
        },
        Err(problem) => problem,
    };
    let view = View {
        draft: Some(form.rules),
        draft_error: Some(refused),
        ..View::default()
    };
    let markup = main_page(&state, &dash, view).await?;
    Ok((StatusCode::BAD_REQUEST, markup).into_response())
}

/// An optional comment (restore, delete).
#[derive(Debug, Deserialize)]
struct CommentForm {
    #[serde(default)]
    comment: String,
}

async fn restore(
    State(state): State<AppState>,
    Path(version): Path<i64>,
    DashForm(dash, form): DashForm<CommentForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::EditRules)?;
    let store = state.store();
    let Some(latest) = store.rule_versions(1).await?.into_iter().next() else {
        return Err(dash.not_found());
    };
    if version < 1 || version > latest.id {
        return Err(dash.not_found());
    }
    // Versions come newest first: this many reach back to `version`.
    let Some(old) = store
        .rule_versions(latest.id - version + 1)
        .await?
        .into_iter()
        .find(|v| v.id == version)
    else {
        return Err(dash.not_found());
    };
    let rule_set = parse_rule_set(&dash, &old.rules).map_err(|p| dash.bad_request(&p))?;
    let mut comment = dash.ta("rules-restored-comment", &[("version", version.into())]);
    if !form.comment.trim().is_empty() {
        comment = format!("{comment}: {}", form.comment.trim());
    }
    match save(&state, &dash, rule_set, &comment).await? {
        Ok(_) => Ok(Redirect::to("/rules?notice=notice-rules-restored").into_response()),
        Err(problem) => Err(dash.bad_request(&problem)),
    }
}

/// The audit-log actor of the signed-in user.
fn actor(dash: &Dash) -> String {
    Actor::User {
        id: dash.user.id,
        name: dash.user.name.clone(),
    }
    .label()
}

/// Checks and saves a rule set: `Ok(Err(problem))` when it is refused
/// (duplicate or reserved ids, or a rule that does not compile, named).
async fn save(
    state: &AppState,
    dash: &Dash,
    rule_set: RuleSet,
    comment: &str,
) -> Result<Result<i64, String>, PageError> {
    // Ids already in effect (from the configuration file, say) stay
    // usable; only new ones may not take the page's own paths.
    let current: Vec<String> = state
        .pipeline
        .rule_set()
        .rules
        .into_iter()
        .map(|r| r.id)
        .collect();
    let mut seen = std::collections::HashSet::new();
    for rule in &rule_set.rules {
        if !seen.insert(rule.id.as_str()) {
            let problem = dash.ta("rules-duplicate-id", &[("id", rule.id.as_str().into())]);
            return Ok(Err(problem));
        }
        if RESERVED_IDS.contains(&rule.id.as_str()) && !current.contains(&rule.id) {
            let problem = dash.ta("rules-reserved-id", &[("id", rule.id.as_str().into())]);
            return Ok(Err(problem));
        }
    }
    let engine = match Engine::compile(&rule_set) {
        Ok(engine) => engine,
        Err(error) => {
            let problem = dash.ta(
                "rules-refused",
                &[
                    ("rule", error.rule.as_str().into()),
                    ("problem", error.problem.as_str().into()),
                ],
            );
            return Ok(Err(problem));
        }
    };
    let comment = comment.trim();
    let comment = (!comment.is_empty()).then_some(comment);
    let version = save_rules(state, rule_set, engine, actor(dash), comment).await?;
    Ok(Ok(version))
}

/// A path segment, percent-encoded (a rule id may hold `/` or spaces).
fn segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Where a rule is edited.
fn rule_href(id: &str) -> String {
    format!("/rules/{}", segment(id))
}

/// A severity as a tag (`high` and `critical` in red).
fn severity_tag(dash: &Dash, severity: &str) -> Markup {
    html! { span class=(format!("tag {severity}")) { (fields::value_label(dash, severity)) } }
}

/// A mode as a tag (`shadow` stands out).
fn mode_tag(dash: &Dash, mode: &str) -> Markup {
    html! { span class=(format!("tag {mode}")) { (fields::value_label(dash, mode)) } }
}

/// A rule kind's name (`keywords` → "Keywords").
fn kind_label(dash: &Dash, kind: &str) -> String {
    let key = format!("rules-kind-{}", kind.replace('_', "-"));
    if super::i18n::has(dash.lang, &key) {
        dash.t(&key)
    } else {
        kind.to_owned()
    }
}

/// The JSON of one rule (fields in the order serde writes them).
fn rule_json(rule: &steward_moderation::Rule) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(rule) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}

fn str_field<'a>(map: &'a serde_json::Map<String, serde_json::Value>, key: &str) -> &'a str {
    map.get(key).and_then(|v| v.as_str()).unwrap_or_default()
}

async fn main_page(state: &AppState, dash: &Dash, view: View) -> Result<Markup, PageError> {
    let rule_set = state.pipeline.rule_set();
    let versions = state.store().rule_versions(HISTORY_LENGTH).await?;
    let groups = state.store().list_groups().await?;
    let version = versions.first().map_or(0, |v| v.id);
    let draft = match &view.draft {
        Some(draft) => draft.clone(),
        None => serde_json::to_string_pretty(&rule_set)
            .map_err(|e| PageError::Internal(e.to_string()))?,
    };
    let sections = [
        ("rules-list", "rules-in-effect"),
        ("rules-test", "rules-test-title"),
        ("rules-backtest", "rules-backtest-title"),
        ("rules-raw", "rules-raw-title"),
        ("rules-history", "rules-history-title"),
    ];
    let body = html! {
        (notice(dash, view.notice.as_deref()))
        nav.filters aria-label=(dash.t("rules-sections")) {
            @for (anchor, key) in sections {
                a href=(format!("#{anchor}")) { (dash.t(key)) }
            }
        }
        section.card #rules-list aria-labelledby="rules-list-title" {
            h2 #rules-list-title { (dash.t("rules-in-effect")) }
            p.muted {
                @if version == 0 {
                    (dash.t("rules-version-config"))
                } @else {
                    (dash.ta("rules-version", &[("version", version.into())]))
                }
            }
            (sections::rule_table(dash, &rule_set))
        }
        section.card #rules-new aria-labelledby="rules-new-title" {
            h2 #rules-new-title { (dash.t("rules-new-title")) }
            (edit::new_rule_form(dash, None, None))
        }
        section.card #rules-behaviour aria-labelledby="rules-behaviour-title" {
            h2 #rules-behaviour-title { (dash.t("rules-behaviour-title")) }
            (sections::behaviour_table(dash, &rule_set.behaviour))
            p { a href="/rules/behaviour" { (dash.t("rules-behaviour-edit")) } }
        }
        section.card #rules-ladder aria-labelledby="rules-ladder-title" {
            h2 #rules-ladder-title { (dash.t("rules-ladder-title")) }
            (sections::ladder_table(dash, state.pipeline.ladder()))
        }
        section.card #rules-test aria-labelledby="rules-test-title" {
            h2 #rules-test-title { (dash.t("rules-test-title")) }
            (sections::test_box(dash, view.test.as_ref()))
        }
        // Before the raw JSON box: its fields belong to that box's form (to
        // send the draft), and pressing Enter in them should start a
        // backtest, not save.
        section.card #rules-backtest aria-labelledby="rules-backtest-title" {
            h2 #rules-backtest-title { (dash.t("rules-backtest-title")) }
            (backtest::form(dash, &groups, view.backtest.as_ref(), view.backtest_error.as_deref()))
        }
        section.card #rules-raw aria-labelledby="rules-raw-title" {
            h2 #rules-raw-title { (dash.t("rules-raw-title")) }
            p.muted { (dash.t("rules-raw-intro")) }
            form.stack #rules-draft method="post" action="/rules/raw" {
                (dash.csrf_field())
                input type="hidden" name="based_on" value=(version);
                label for="raw-rules" { (dash.t("rules-raw-label")) }
                textarea #raw-rules name="rules" rows="24" spellcheck="false" { (draft) }
                @if let Some(error) = &view.draft_error {
                    p.notice.error role="alert" { (error) }
                }
                label for="raw-comment" { (dash.t("rules-comment")) }
                input #raw-comment type="text" name="comment" maxlength="500";
                button type="submit" { (dash.t("rules-raw-save")) }
            }
        }
        section.card #rules-history aria-labelledby="rules-history-title" {
            h2 #rules-history-title { (dash.t("rules-history-title")) }
            (sections::history_table(dash, &versions))
        }
    };
    Ok(dash.page(&dash.t("nav-rules"), body))
}

/// The behaviour windows by name, in their usual order.
fn windows(behaviour: &BehaviourRules) -> [(&'static str, Option<Window>); 4] {
    [
        ("flood", behaviour.flood),
        ("repeat", behaviour.repeat),
        ("wave", behaviour.wave),
        ("raid", behaviour.raid),
    ]
}
