//! Backtests over the API, for the dashboard: start one, watch its
//! progress, read its report. Jobs live in memory; a report is small and the
//! dashboard reads it soon after it is done.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use steward_core::{GroupId, Permission};
use steward_moderation::{Engine, RuleSet};
use steward_runtime::BacktestReport;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiJson, ErrorBody};
use crate::{ApiError, AppState};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start))
        .routes(routes!(status))
}

/// Running and finished backtests.
#[derive(Debug, Default)]
pub struct Backtests {
    jobs: Mutex<HashMap<u64, Job>>,
    next: Mutex<u64>,
}

/// One backtest.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct Job {
    pub(crate) id: u64,
    /// `running`, `done` or `failed`.
    pub(crate) status: &'static str,
    /// Events replayed so far.
    pub(crate) done_events: u64,
    /// Events to replay.
    pub(crate) total_events: u64,
    /// The report, once done.
    #[schema(value_type = Option<Object>)]
    pub(crate) report: Option<BacktestReport>,
    /// Why it failed.
    pub(crate) error: Option<String>,
}

impl Backtests {
    /// A backtest's state, if it exists.
    pub(crate) fn get(&self, id: u64) -> Option<Job> {
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .cloned()
    }

    fn update(&self, id: u64, change: impl FnOnce(&mut Job)) {
        if let Some(job) = self
            .jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_mut(&id)
        {
            change(job);
        }
    }
}

/// A backtest to run.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct StartRequest {
    /// Steward's id of the group (`internal_id` in the group list).
    group: i64,
    /// Replay from this time (RFC 3339).
    #[schema(value_type = String, format = DateTime)]
    since: DateTime<Utc>,
    /// A rule set to try; default the rules in effect.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    rules: Option<RuleSet>,
}

/// Start a backtest; poll `GET /api/v1/backtests/{id}` for progress and the report.
#[utoipa::path(post, path = "/api/v1/backtests", tag = "rules", request_body = StartRequest,
    responses((status = 202, body = Job), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn start(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<StartRequest>,
) -> Result<(StatusCode, Json<Job>), ApiError> {
    caller.require(Permission::EditRules)?;
    let job = start_job(&state, GroupId(request.group), request.since, request.rules).await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// Starts a backtest of `rules` (default: the rules in effect) over the
/// group's history since `since`; the job runs in the background. (The
/// dashboard's rules page starts backtests through here too.)
pub(crate) async fn start_job(
    state: &AppState,
    group: GroupId,
    since: DateTime<Utc>,
    rules: Option<RuleSet>,
) -> Result<Job, ApiError> {
    let rule_set = rules.unwrap_or_else(|| state.pipeline.rule_set());
    let mut engine = Engine::compile(&rule_set).map_err(|e| {
        ApiError::bad_request("invalid_rule", e.to_string()).with_field(format!("rules.{}", e.rule))
    })?;
    if let Some(model) = state.pipeline.engine().model() {
        engine = engine.with_model(model.clone());
    }
    let store = state.store().clone();
    if !store
        .list_groups()
        .await?
        .iter()
        .any(|g| g.group.id == group)
    {
        return Err(
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such group").with_field("group"),
        );
    }
    let total = store.count_group_events(group, since).await?;
    // The group's own ladder when it has one, as live judging uses.
    let ladder = state
        .pipeline
        .ladder_for(group)
        .await
        .map_err(ApiError::internal)?;
    let id = {
        let mut next = state
            .backtests
            .next
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        *next += 1;
        *next
    };
    let job = Job {
        id,
        status: "running",
        done_events: 0,
        total_events: u64::try_from(total).unwrap_or(0),
        report: None,
        error: None,
    };
    state
        .backtests
        .jobs
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(id, job.clone());
    let backtests = state.backtests.clone();
    tokio::spawn(async move {
        let progress = |done| backtests.update(id, |job| job.done_events = done);
        let result =
            steward_runtime::backtest(&store, &engine, &ladder, group, since, progress).await;
        backtests.update(id, |job| match result {
            Ok(report) => {
                job.status = "done";
                job.done_events = report.events;
                job.report = Some(report);
            }
            Err(err) => {
                job.status = "failed";
                job.error = Some(err.to_string());
            }
        });
    });
    Ok(job)
}

/// A backtest's progress, and its report once done.
#[utoipa::path(get, path = "/api/v1/backtests/{id}", tag = "rules",
    params(("id" = u64, Path, description = "the backtest")),
    responses((status = 200, body = Job), (status = 404, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<u64>,
) -> Result<Json<Job>, ApiError> {
    caller.require(Permission::EditRules)?;
    state.backtests.get(id).map(Json).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no backtest {id}"),
        )
    })
}
