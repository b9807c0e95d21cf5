//! `POST /api/v1/ingest`: events in, decisions out.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use steward_adapter_http::wire::{self, BodyError, Limits, WireEvent};
use steward_core::PlannedAction;
use steward_runtime::IngestStatus;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::IngestCaller;
use crate::error::ErrorBody;
use crate::{ApiError, AppState};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ingest))
}

/// What happened to each event of a batch, in order.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IngestResponse {
    results: Vec<EventResult>,
}

/// What happened to one event.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EventResult {
    /// The event's `id`, as sent (null when it could not be read).
    id: Option<String>,
    /// `accepted` (new, stored and processed), `duplicate` (already taken;
    /// nothing changed) or `rejected` (see `error`).
    status: &'static str,
    /// The actions Steward decided, e.g. `{"kind": "delete_message",
    /// "group": "g1", "message": "m1"}` or `{"kind": "mute", "group": "g1",
    /// "member": "u1", "until": "..."}`.
    #[schema(value_type = Vec<Object>)]
    actions: Vec<PlannedAction>,
    /// Why the event was rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// The field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
}

/// Push events from any chat system.
///
/// Takes a JSON array of normalized events and answers, per event, whether it
/// was new, a duplicate or rejected, and which actions Steward decided. A bad
/// event is rejected on its own; the rest of the batch is processed. When
/// every event is rejected the answer is 422 with the same body.
#[utoipa::path(post, path = "/api/v1/ingest", tag = "ingest",
    request_body(content = Vec<WireEvent>, description = "events, at most `server.max_batch`"),
    responses(
        (status = 200, description = "per-event results", body = IngestResponse),
        (status = 422, description = "every event was rejected", body = IngestResponse),
        (status = 400, description = "the body is not a JSON array of events", body = ErrorBody),
        (status = 401, description = "missing or wrong ingest token", body = ErrorBody),
        (status = 413, description = "too many events or too large a body", body = ErrorBody),
    ),
    security(("ingest_token" = [])))]
async fn ingest(
    State(state): State<AppState>,
    _caller: IngestCaller,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|e| {
        let status = e.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "body_too_large"
        } else {
            "bad_body"
        };
        ApiError::new(status, code, e.body_text())
    })?;
    let limits = Limits {
        max_batch: state.settings.max_batch,
        max_text_bytes: state.settings.max_text_bytes,
    };
    let batch = wire::parse_batch(&body, limits).map_err(|e| match e {
        BodyError::TooMany { .. } => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
            e.to_string(),
        ),
        BodyError::NotUtf8 { .. } => ApiError::bad_request("invalid_utf8", e.to_string()),
        BodyError::NotJson(_) => ApiError::bad_request("invalid_json", e.to_string()),
        BodyError::NotArray(_) | BodyError::Empty => {
            ApiError::bad_request("invalid_batch", e.to_string())
        }
    })?;
    let mut results = Vec::with_capacity(batch.events.len());
    let mut valid = Vec::new();
    for parsed in batch.events {
        match parsed {
            Ok(event) => {
                results.push(EventResult {
                    id: Some(event.event_id.clone()),
                    status: "accepted",
                    actions: Vec::new(),
                    error: None,
                    field: None,
                });
                valid.push((results.len() - 1, event));
            }
            Err(err) => results.push(EventResult {
                id: err.id.clone(),
                status: "rejected",
                actions: Vec::new(),
                error: Some(err.to_string()),
                field: Some(err.field),
            }),
        }
    }
    metrics::counter!("steward_events_rejected_total")
        .increment((results.len() - valid.len()) as u64);
    if valid.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(IngestResponse { results }),
        )
            .into_response());
    }
    let (indices, events): (Vec<usize>, Vec<_>) = valid.into_iter().unzip();
    let outcomes = state.pipeline.ingest(&events, chrono::Utc::now()).await?;
    for (idx, outcome) in indices.into_iter().zip(outcomes) {
        if let Some(result) = results.get_mut(idx) {
            result.status = match outcome.status {
                IngestStatus::Accepted => "accepted",
                IngestStatus::Duplicate => "duplicate",
            };
            result.actions = outcome.actions;
        }
    }
    Ok(Json(IngestResponse { results }).into_response())
}
