//! The rules in effect: read, replace (validated, versioned, audited), test
//! a text against them.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use steward_classifier::Label;
use steward_core::Permission;
use steward_moderation::{Engine, RuleSet, Verdict};
use steward_storage::audit::NewAudit;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiJson, ErrorBody};
use crate::{ApiError, AppState};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_rules, put_rules))
        .routes(routes!(rule_history))
        .routes(routes!(test_rules))
        .routes(routes!(classifier_feedback))
}

/// The rule set in effect.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RulesView {
    /// The version in effect (0: from the config file).
    version: i64,
    /// Rules and behaviour limits, as in the config's `[moderation]`.
    #[schema(value_type = Object)]
    rules: RuleSet,
}

/// A new rule set.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct RulesUpdate {
    /// Rules and behaviour limits.
    #[schema(value_type = Object)]
    rules: RuleSet,
    /// Why, for the history.
    #[serde(default)]
    comment: Option<String>,
}

/// One version in the history.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RuleVersionView {
    version: i64,
    #[schema(value_type = String, format = DateTime)]
    created_at: chrono::DateTime<Utc>,
    created_by: String,
    comment: Option<String>,
    #[schema(value_type = Object)]
    rules: serde_json::Value,
}

/// A text to test.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct TestRequest {
    text: String,
}

async fn current(state: &AppState) -> Result<RulesView, ApiError> {
    let versions = state.store().rule_versions(1).await?;
    Ok(RulesView {
        version: versions.first().map_or(0, |v| v.id),
        rules: state.pipeline.rule_set(),
    })
}

/// The rules in effect.
#[utoipa::path(get, path = "/api/v1/rules", tag = "rules",
    responses((status = 200, body = RulesView), (status = 401, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn get_rules(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<RulesView>, ApiError> {
    caller.require(Permission::View)?;
    Ok(Json(current(&state).await?))
}

/// Replace the rules. The set is compiled first; a bad rule is refused with
/// its id and the reason, and nothing changes. Each change is a new version
/// in the history and an entry in the audit log.
#[utoipa::path(put, path = "/api/v1/rules", tag = "rules", request_body = RulesUpdate,
    responses((status = 200, body = RulesView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn put_rules(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(update): ApiJson<RulesUpdate>,
) -> Result<Json<RulesView>, ApiError> {
    caller.require(Permission::EditRules)?;
    let engine = Engine::compile(&update.rules).map_err(|e| {
        ApiError::bad_request("invalid_rule", e.to_string()).with_field(format!("rules.{}", e.rule))
    })?;
    save_rules(
        &state,
        update.rules,
        engine,
        caller.actor().label(),
        update.comment.as_deref(),
    )
    .await?;
    Ok(Json(current(&state).await?))
}

/// Puts a compiled rule set in effect: a new version in the history, an
/// entry in the audit log, then the pipeline's rules. Returns the version.
/// (The dashboard's rules page saves through here too.)
pub(crate) async fn save_rules(
    state: &AppState,
    rules: RuleSet,
    engine: Engine,
    actor: String,
    comment: Option<&str>,
) -> Result<i64, ApiError> {
    let json = serde_json::to_string(&rules).map_err(ApiError::internal)?;
    let now = Utc::now();
    let mut tx = state.store().begin().await?;
    let version = tx.insert_rule_version(&json, &actor, comment, now).await?;
    tx.insert_audit(&NewAudit {
        at: now,
        actor,
        action: "rules_changed".to_owned(),
        target: Some(format!("rules:v{version}")),
        reason: comment.map(str::to_owned),
        ..NewAudit::default()
    })
    .await?;
    tx.commit().await?;
    state.pipeline.replace_rules(rules, engine).await;
    Ok(version)
}

/// Earlier versions of the rules, newest first.
#[utoipa::path(get, path = "/api/v1/rules/history", tag = "rules",
    responses((status = 200, body = Vec<RuleVersionView>), (status = 401, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn rule_history(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<RuleVersionView>>, ApiError> {
    caller.require(Permission::View)?;
    let versions = state.store().rule_versions(100).await?;
    Ok(Json(
        versions
            .into_iter()
            .map(|v| RuleVersionView {
                version: v.id,
                created_at: v.created_at,
                created_by: v.created_by,
                comment: v.comment,
                rules: serde_json::from_str(&v.rules).unwrap_or_default(),
            })
            .collect(),
    ))
}

/// The verdict the rules in effect give a text, with evidence as byte
/// ranges of the text.
#[utoipa::path(post, path = "/api/v1/rules/test", tag = "rules", request_body = TestRequest,
    responses((status = 200, body = Object), (status = 401, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn test_rules(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<TestRequest>,
) -> Result<Json<Verdict>, ApiError> {
    caller.require(Permission::View)?;
    Ok(Json(state.pipeline.engine().check(&request.text)))
}

/// An admin's judgement of a text.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct FeedbackRequest {
    /// The text.
    text: String,
    /// `spam` or `ham`.
    label: String,
}

/// The classifier's verdict on the text after learning.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FeedbackView {
    /// The spam probability the model now gives the text.
    spam_probability: f32,
}

/// Mark a text as spam or not spam; the classifier learns from it at once
/// and its model is stored.
#[utoipa::path(post, path = "/api/v1/classifier/feedback", tag = "rules", request_body = FeedbackRequest,
    responses((status = 200, body = FeedbackView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn classifier_feedback(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<FeedbackRequest>,
) -> Result<Json<FeedbackView>, ApiError> {
    caller.require(Permission::Moderate)?;
    let label = match request.label.as_str() {
        "spam" => Label::Spam,
        "ham" => Label::Ham,
        other => {
            return Err(ApiError::bad_request(
                "invalid_field",
                format!("unknown label `{other}`, expected spam or ham"),
            )
            .with_field("label"));
        }
    };
    if request.text.trim().is_empty() || request.text.len() > 65536 {
        return Err(
            ApiError::bad_request("invalid_field", "the text must be 1 to 65536 bytes")
                .with_field("text"),
        );
    }
    state.pipeline.learn(&request.text, label).await?;
    let spam_probability = state
        .pipeline
        .engine()
        .model()
        .map_or(0.0, |model| model.spam_probability(&request.text));
    Ok(Json(FeedbackView { spam_probability }))
}
