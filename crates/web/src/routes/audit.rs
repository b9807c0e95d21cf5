//! The audit log, filtered.

use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use steward_core::{AuditId, GroupId, Permission};
use steward_storage::audit::AuditFilter;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::ErrorBody;
use crate::{ApiError, AppState};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

/// Filters; all optional.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct AuditQuery {
    /// Steward's id of a group (`internal_id` in the group list).
    group: Option<i64>,
    /// `system` or `user:NAME`.
    actor: Option<String>,
    /// An action (`delete_message`, `mute` ...) or event (`user_created` ...).
    action: Option<String>,
    /// RFC 3339: only entries at or after.
    since: Option<chrono::DateTime<chrono::Utc>>,
    /// RFC 3339: only entries before.
    until: Option<chrono::DateTime<chrono::Utc>>,
    /// Only entries with ids below (paging back).
    before: Option<i64>,
    /// At most this many (default 100, at most 1000).
    limit: Option<i64>,
}

/// Entries, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditPage {
    entries: Vec<AuditView>,
}

/// One entry.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditView {
    id: i64,
    #[schema(value_type = String, format = DateTime)]
    at: chrono::DateTime<chrono::Utc>,
    actor: String,
    action: String,
    group: Option<i64>,
    member: Option<i64>,
    target: Option<String>,
    reason: Option<String>,
    rule: Option<String>,
    ladder_step: Option<i64>,
    /// Matched text ranges and the message, as JSON.
    #[schema(value_type = Option<Object>)]
    evidence: Option<serde_json::Value>,
    event: Option<i64>,
    action_cursor: Option<i64>,
}

/// The audit log: every action, automated or by a person, with actor,
/// target, reason, rule and time.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn list_audit(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AuditPage>, ApiError> {
    caller.require(Permission::ViewAudit)?;
    let Query(query) = query.map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))?;
    let limit = query.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(
            ApiError::bad_request("invalid_query", "limit must be between 1 and 1000")
                .with_field("limit"),
        );
    }
    let rows = state
        .store()
        .list_audit(&AuditFilter {
            group: query.group.map(GroupId),
            actor: query.actor,
            action: query.action,
            since: query.since,
            until: query.until,
            before_id: query.before.map(AuditId),
            limit,
        })
        .await?;
    let entries = rows
        .into_iter()
        .map(|r| AuditView {
            id: r.id.0,
            at: r.at,
            actor: r.actor,
            action: r.action,
            group: r.group.map(|g| g.0),
            member: r.member.map(|m| m.0),
            target: r.target,
            reason: r.reason,
            rule: r.rule,
            ladder_step: r.ladder_step,
            evidence: r.evidence.and_then(|e| serde_json::from_str(&e).ok()),
            event: r.event.map(|e| e.0),
            action_cursor: r.outbox.map(|o| o.0),
        })
        .collect();
    Ok(Json(AuditPage { entries }))
}
