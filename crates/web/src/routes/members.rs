//! One member's data on request (privacy): an export of everything Steward
//! keeps about them, and erasure of what identifies them or what they
//! wrote (the audit log keeps its rows; see `steward_storage::privacy`).

use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use steward_core::Permission;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiJson, ErrorBody};
use crate::{ApiError, AppState};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export))
        .routes(routes!(erase))
}

async fn find(state: &AppState, reference: &str) -> Result<steward_core::MemberId, ApiError> {
    state
        .store()
        .member_by_ref(reference)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                format!("no member `{reference}`"),
            )
        })
}

/// Everything Steward keeps about one member, as one JSON document:
/// identity, names over time, memberships, messages (text, time, group),
/// violations, audit entries about them, admins' notes, review cases.
/// `{id}` is Steward's member id or `platform:platform_id`. Audited as
/// `member_exported`.
#[utoipa::path(get, path = "/api/v1/members/{id}/export", tag = "members",
    params(("id" = String, Path, description = "member id, or platform:platform_id")),
    responses((status = 200, body = Object), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    caller.require(Permission::ViewAudit)?;
    let member = find(&state, &reference).await?;
    let export = state
        .store()
        .export_member_audited(member, &caller.actor().label(), Utc::now())
        .await?
        .ok_or_else(|| ApiError::internal("the member vanished"))?;
    Ok(Json(
        serde_json::to_value(export).map_err(ApiError::internal)?,
    ))
}

/// An erasure request; `confirm` must repeat the member's id.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct EraseRequest {
    /// Steward's id of the member, again.
    confirm: i64,
}

/// What an erasure changed.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EraseResult {
    /// The member.
    member: i64,
    /// Their events whose text and names were removed.
    events: u64,
    /// Others' events that named them.
    mentions: u64,
    /// Names removed from the history.
    names: u64,
    /// Admins' notes deleted.
    notes: u64,
    /// Cases whose evidence and words were removed.
    cases: u64,
    /// Delivered actions whose texts were removed.
    actions: u64,
}

/// Erases one member's data on request: their message texts and event
/// payloads (kind and time stay, for counts), names history, name and
/// username (replaced by `erased member #ID`), admins' notes, case
/// evidence. The audit log keeps its rows and gains a `member_erased`
/// entry naming only who erased and when. Owners and admins only.
#[utoipa::path(post, path = "/api/v1/members/{id}/erase", tag = "members",
    params(("id" = String, Path, description = "member id, or platform:platform_id")),
    request_body = EraseRequest,
    responses((status = 200, body = EraseResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn erase(
    State(state): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
    ApiJson(request): ApiJson<EraseRequest>,
) -> Result<Json<EraseResult>, ApiError> {
    caller.require(Permission::ManageGroups)?;
    let member = find(&state, &reference).await?;
    if request.confirm != member.0 {
        return Err(ApiError::bad_request(
            "confirmation_mismatch",
            "`confirm` must be the member's id",
        )
        .with_field("confirm"));
    }
    let erased = state
        .pipeline
        .erase_member(member, &caller.actor().label(), Utc::now())
        .await?
        .ok_or_else(|| ApiError::internal("the member vanished"))?;
    Ok(Json(EraseResult {
        member: member.0,
        events: erased.events,
        mentions: erased.mentions,
        names: erased.names,
        notes: erased.notes,
        cases: erased.cases,
        actions: erased.actions,
    }))
}
