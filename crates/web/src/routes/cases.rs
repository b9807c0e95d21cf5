//! The review queue: serious automated decisions and members' appeals,
//! decided by admins.

use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use steward_core::{Permission, PlannedAction, Platform};
use steward_moderation::Penalty;
use steward_runtime::{CaseDecision, CaseError};
use steward_storage::cases::{CaseRow, NewCase};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ActionsCaller, Caller};
use crate::error::{ApiJson, ErrorBody};
use crate::{ApiError, AppState};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cases))
        .routes(routes!(decide))
        .routes(routes!(appeal))
}

/// Which cases.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct CaseQuery {
    /// `open` (default), `confirmed`, `dismissed`, `changed` or `all`.
    status: Option<String>,
    /// At most this many (default 100).
    limit: Option<i64>,
}

/// A case.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CaseView {
    id: i64,
    group: i64,
    member: i64,
    event: Option<i64>,
    /// `escalation` or `appeal`.
    kind: String,
    /// `open`, `confirmed`, `dismissed` or `changed`.
    status: String,
    rule: Option<String>,
    severity: Option<String>,
    reason: Option<String>,
    /// The message and the hits with their byte ranges.
    #[schema(value_type = Option<Object>)]
    evidence: Option<serde_json::Value>,
    /// What was done.
    #[schema(value_type = Vec<Object>)]
    actions: Vec<PlannedAction>,
    /// The member's own words, for appeals.
    note: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    created_at: chrono::DateTime<Utc>,
    decided_by: Option<String>,
    decision_reason: Option<String>,
}

impl From<CaseRow> for CaseView {
    fn from(c: CaseRow) -> CaseView {
        CaseView {
            id: c.id,
            group: c.group.0,
            member: c.member.0,
            event: c.event.map(|e| e.0),
            kind: c.kind,
            status: c.status,
            rule: c.rule,
            severity: c.severity,
            reason: c.reason,
            evidence: c.evidence.and_then(|e| serde_json::from_str(&e).ok()),
            actions: c.actions,
            note: c.note,
            created_at: c.created_at,
            decided_by: c.decided_by,
            decision_reason: c.decision_reason,
        }
    }
}

/// Cases in the review queue, newest first.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseQuery),
    responses((status = 200, body = Vec<CaseView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn list_cases(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<CaseQuery>,
) -> Result<Json<Vec<CaseView>>, ApiError> {
    caller.require(Permission::Moderate)?;
    let status = match query.status.as_deref() {
        None => Some("open"),
        Some("all") => None,
        Some(s @ ("open" | "confirmed" | "dismissed" | "changed")) => Some(s),
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_query",
                format!("unknown status `{other}`"),
            )
            .with_field("status"));
        }
    };
    let limit = query.limit.unwrap_or(100).clamp(1, 1000);
    let cases = state.store().list_cases(status, limit).await?;
    Ok(Json(cases.into_iter().map(CaseView::from).collect()))
}

/// An admin's decision on a case.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct DecisionRequest {
    /// `confirm`, `dismiss` (reverse mutes and bans, forget the violation)
    /// or `change` (reverse, then apply `penalty`).
    decision: String,
    /// For `change`: `{"type": "mute", "minutes": 60}`, `{"type": "ban"}`,
    /// `{"type": "kick"}` or `{"type": "warn"}`.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    penalty: Option<Penalty>,
    /// Why, for the audit log.
    #[serde(default)]
    reason: Option<String>,
}

/// What the decision did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DecisionView {
    status: &'static str,
    /// Actions queued to carry it out.
    #[schema(value_type = Vec<Object>)]
    actions: Vec<PlannedAction>,
}

/// Decide a case: confirm, dismiss or change the penalty. Applied through
/// the outbox and audited.
#[utoipa::path(post, path = "/api/v1/cases/{id}/decision", tag = "cases", request_body = DecisionRequest,
    params(("id" = i64, Path, description = "the case")),
    responses((status = 200, body = DecisionView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    ApiJson(request): ApiJson<DecisionRequest>,
) -> Result<Json<DecisionView>, ApiError> {
    // Operators may decide too when the team allows it (settings page).
    if !crate::dashboard::page::may_decide(
        caller.user.role,
        crate::dashboard::page::operators_decide(&state).await,
    ) {
        caller.require(Permission::DecideEscalations)?;
    }
    let decision = match (request.decision.as_str(), request.penalty) {
        ("confirm", _) => CaseDecision::Confirm,
        ("dismiss", _) => CaseDecision::Dismiss,
        ("change", Some(penalty)) => CaseDecision::Change(penalty),
        ("change", None) => {
            return Err(
                ApiError::bad_request("invalid_field", "`change` needs a penalty")
                    .with_field("penalty"),
            );
        }
        (other, _) => {
            return Err(ApiError::bad_request(
                "invalid_field",
                format!("unknown decision `{other}`, expected confirm, dismiss or change"),
            )
            .with_field("decision"));
        }
    };
    if matches!(
        decision,
        CaseDecision::Change(Penalty::Ban { .. } | Penalty::Kick)
    ) {
        caller.require(Permission::Ban)?;
    }
    let outcome = state
        .pipeline
        .decide_case(
            id,
            decision,
            &caller.actor().label(),
            request.reason.as_deref(),
            Utc::now(),
        )
        .await
        .map_err(|e| match e {
            CaseError::NotFound(_) => ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                e.to_string(),
            ),
            CaseError::AlreadyDecided(_) => ApiError::new(
                axum::http::StatusCode::CONFLICT,
                "already_decided",
                e.to_string(),
            ),
            CaseError::Store(e) => ApiError::internal(e),
        })?;
    Ok(Json(DecisionView {
        status: outcome.status,
        actions: outcome.actions,
    }))
}

/// A member's appeal.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct AppealRequest {
    /// The platform (default `http`).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    platform: Option<Platform>,
    /// The group's platform id.
    group: String,
    /// The member's platform id.
    member: String,
    /// What the member says.
    text: String,
}

/// The appeal's case.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AppealView {
    case: i64,
}

/// A member appeals; the appeal lands in the review queue.
#[utoipa::path(post, path = "/api/v1/appeals", tag = "cases", request_body = AppealRequest,
    responses((status = 200, body = AppealView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("ingest_token" = []), ("api_token" = [])))]
async fn appeal(
    State(state): State<AppState>,
    _caller: ActionsCaller,
    ApiJson(request): ApiJson<AppealRequest>,
) -> Result<Json<AppealView>, ApiError> {
    if request.text.trim().is_empty() || request.text.len() > 4000 {
        return Err(ApiError::bad_request(
            "invalid_field",
            "the appeal text must be 1 to 4000 bytes",
        )
        .with_field("text"));
    }
    let platform = request.platform.unwrap_or(Platform::Http);
    let store = state.store();
    let group = store
        .find_group(platform, &request.group)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                "no such group",
            )
            .with_field("group")
        })?;
    let mut tx = store.begin().await?;
    let member = tx
        .find_member(platform, &request.member)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                "no such member",
            )
            .with_field("member")
        })?;
    let case = tx
        .insert_case(&NewCase {
            group: group.id,
            member: member.id,
            event: None,
            kind: "appeal",
            rule: None,
            severity: None,
            reason: Some("appeal by the member"),
            evidence: None,
            actions: &[],
            note: Some(&request.text),
            at: Utc::now(),
        })
        .await?;
    tx.commit().await?;
    Ok(Json(AppealView { case }))
}
