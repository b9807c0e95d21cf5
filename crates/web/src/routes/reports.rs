//! Reports over the API: the daily, weekly or monthly report on a group or a
//! community as JSON (the `Report` structure), Markdown, HTML or CSV, the
//! same the dashboard shows and `steward report` prints.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use steward_core::{GroupId, Permission};
use steward_reports::PeriodKind;
use steward_reports::render::Format;
use steward_runtime::reports::{ReportError, ReportTarget, build_report};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::dashboard::reports::download;
use crate::error::ErrorBody;
use crate::{ApiError, AppState};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_report))
}

/// What to report on: exactly one of `group` and `community`.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct ReportQuery {
    /// Steward's id of a group (`internal_id` in the group list).
    group: Option<String>,
    /// Steward's id of a community.
    community: Option<String>,
    /// `daily`, `weekly` or `monthly`.
    period: Option<String>,
    /// `YYYY-MM-DD`: the period containing this local date. Default: the
    /// last complete period in the group's time zone.
    at: Option<String>,
    /// `json` (default), `md`, `html` or `csv`.
    format: Option<String>,
}

fn invalid(field: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::bad_request("invalid_query", message).with_field(field)
}

fn id(field: &'static str, raw: &str) -> Result<i64, ApiError> {
    raw.trim()
        .parse()
        .map_err(|_| invalid(field, format!("{field} must be a numeric id")))
}

/// The checked query: target, period kind, date and format.
fn read(
    query: &ReportQuery,
) -> Result<(ReportTarget, PeriodKind, Option<NaiveDate>, Format), ApiError> {
    let target = match (query.group.as_deref(), query.community.as_deref()) {
        (Some(g), None) => ReportTarget::Group(GroupId(id("group", g)?)),
        (None, Some(c)) => ReportTarget::Community(id("community", c)?),
        (Some(_), Some(_)) => {
            return Err(invalid(
                "community",
                "give either group or community, not both",
            ));
        }
        (None, None) => return Err(invalid("group", "give group or community")),
    };
    let kind = query
        .period
        .as_deref()
        .ok_or_else(|| invalid("period", "period is required: daily, weekly or monthly"))?
        .trim()
        .parse()
        .map_err(|e: String| invalid("period", e))?;
    let at = match query.at.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| invalid("at", "at must be a date, YYYY-MM-DD"))?,
        ),
    };
    let format = query
        .format
        .as_deref()
        .unwrap_or("json")
        .trim()
        .parse()
        .map_err(|e: steward_reports::render::UnknownFormat| invalid("format", e.to_string()))?;
    Ok((target, kind, at, format))
}

/// A report on one group or one community for one period, compared with
/// the period before: JSON (the report structure; its field names are
/// part of the interface), Markdown, standalone HTML with SVG charts, or a
/// tidy CSV (`section,key,period,value`). Answered as an attachment named
/// `steward-{group|community}-{id}-{period}.{ext}`.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports", params(ReportQuery),
    responses(
        (status = 200, description = "the report in the asked format", content(
            (Object = "application/json"),
            (String = "text/markdown"),
            (String = "text/html"),
            (String = "text/csv"),
        )),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn get_report(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    caller.require(Permission::View)?;
    let Query(query) = query.map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))?;
    let (target, kind, at, format) = read(&query)?;
    let report = build_report(state.store(), target, kind, at, Utc::now())
        .await
        .map_err(|e| match e {
            ReportError::NotFound(what) => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("no such {what}"),
            )
            .with_field(match target {
                ReportTarget::Group(_) => "group",
                ReportTarget::Community(_) => "community",
            }),
            ReportError::Store(e) => ApiError::from(e),
        })?;
    Ok(download(&report, format))
}
