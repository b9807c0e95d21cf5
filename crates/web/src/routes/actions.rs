//! Pulling actions for HTTP-platform groups, and acknowledging them.

use axum::Json;
use axum::extract::{Query, State};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use steward_adapter_http::ActionEnvelope;
use steward_core::{ActionId, Platform};
use steward_runtime::{Delivered, acknowledge};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ActionsCaller;
use crate::error::{ApiJson, ErrorBody};
use crate::{ApiError, AppState};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pull))
        .routes(routes!(ack))
}

/// Which actions to pull.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct PullQuery {
    /// Only actions with a cursor above this (0 for the start).
    #[serde(default)]
    after: i64,
    /// At most this many (default 100, at most 1000).
    #[serde(default = "default_limit")]
    limit: i64,
}

fn default_limit() -> i64 {
    100
}

/// A page of pending actions.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ActionPage {
    /// Pending actions, oldest first.
    actions: Vec<ActionEnvelope>,
    /// Pass as `after` for the next page.
    next_after: i64,
}

/// Pending actions of HTTP-platform groups, oldest first.
///
/// Actions stay pending until acknowledged, so a puller that crashes gets
/// them again; drop repeats by `idempotency_key`. Takes the ingest token or
/// an API token of a user who may moderate.
#[utoipa::path(get, path = "/api/v1/actions", tag = "actions", params(PullQuery),
    responses((status = 200, body = ActionPage), (status = 401, body = ErrorBody)),
    security(("ingest_token" = []), ("api_token" = [])))]
async fn pull(
    State(state): State<AppState>,
    _caller: ActionsCaller,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<ActionPage>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))?;
    if !(1..=1000).contains(&query.limit) {
        return Err(
            ApiError::bad_request("invalid_query", "limit must be between 1 and 1000")
                .with_field("limit"),
        );
    }
    let rows = state
        .store()
        .due_actions_after(Platform::Http, query.after, chrono::Utc::now(), query.limit)
        .await?;
    // A waiting action handed out below the cursor never moves it back.
    let next_after = rows.iter().map(|r| r.id.0).fold(query.after, i64::max);
    Ok(Json(ActionPage {
        actions: rows.iter().map(ActionEnvelope::from).collect(),
        next_after,
    }))
}

/// Actions carried out.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct AckRequest {
    /// Cursors of the actions done.
    #[serde(default)]
    cursors: Vec<i64>,
    /// Actions done with something to report: the id of the message sent
    /// (so a `send_message` with `delete_after` is deleted when its time is
    /// up) or the link created by a `create_invite_link` (recorded and
    /// shared). Their cursors need not be repeated in `cursors`.
    #[serde(default)]
    results: Vec<AckResult>,
}

/// One action done, and what the platform answered.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct AckResult {
    /// The action's cursor.
    cursor: i64,
    /// The platform id of the message sent.
    #[serde(default)]
    message_id: Option<String>,
    /// The invite link created.
    #[serde(default)]
    invite_link: Option<String>,
    /// The platform's id of the poll sent by a `send_poll` (its answers
    /// come back as `poll_answer` events with this id).
    #[serde(default)]
    poll_id: Option<String>,
}

/// How many actions were marked done.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AckResponse {
    /// Actions that were pending and are now done.
    acknowledged: u64,
}

/// Acknowledge pulled actions as carried out.
#[utoipa::path(post, path = "/api/v1/actions/ack", tag = "actions", request_body = AckRequest,
    responses((status = 200, body = AckResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)),
    security(("ingest_token" = []), ("api_token" = [])))]
async fn ack(
    State(state): State<AppState>,
    _caller: ActionsCaller,
    ApiJson(request): ApiJson<AckRequest>,
) -> Result<Json<AckResponse>, ApiError> {
    if request.cursors.len() + request.results.len() > 1000 {
        return Err(
            ApiError::bad_request("invalid_field", "at most 1000 cursors at a time")
                .with_field("cursors"),
        );
    }
    let mut acknowledged = 0;
    for result in &request.results {
        let delivered = Delivered {
            message_id: result.message_id.clone(),
            invite_link: result.invite_link.clone(),
            poll_id: result.poll_id.clone(),
        };
        if acknowledge(
            state.store(),
            Platform::Http,
            ActionId(result.cursor),
            &delivered,
        )
        .await?
        {
            acknowledged += 1;
        }
    }
    let ids: Vec<ActionId> = request.cursors.into_iter().map(ActionId).collect();
    acknowledged += state
        .store()
        .ack_actions(Platform::Http, &ids, Utc::now())
        .await?;
    Ok(Json(AckResponse { acknowledged }))
}
