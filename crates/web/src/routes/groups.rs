//! The groups Steward knows.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use steward_core::Permission;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::ErrorBody;
use crate::{ApiError, AppState};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_groups))
}

/// The group list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GroupList {
    groups: Vec<GroupView>,
}

/// One group.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GroupView {
    /// The platform's id of the group, as a string.
    id: String,
    /// Steward's own id of the group.
    internal_id: i64,
    /// `telegram`, `onebot`, `matrix` or `http`.
    platform: String,
    /// Title, as last seen.
    title: Option<String>,
    /// The community it belongs to.
    community: Option<String>,
    /// The language Steward speaks there.
    language: String,
    /// Messages stored.
    message_count: i64,
    /// Members present, as far as Steward has seen.
    member_count: i64,
}

/// Every group, with its platform, title and message count.
#[utoipa::path(get, path = "/api/v1/groups", tag = "groups",
    responses((status = 200, body = GroupList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn list_groups(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<GroupList>, ApiError> {
    caller.require(Permission::View)?;
    let groups = state
        .store()
        .list_groups()
        .await?
        .into_iter()
        .map(|g| GroupView {
            id: g.group.platform_id,
            internal_id: g.group.id.0,
            platform: g.group.platform.as_str().to_owned(),
            title: g.group.title,
            community: g.community_name,
            language: g.group.language.as_str().to_owned(),
            message_count: g.message_count,
            member_count: g.member_count,
        })
        .collect();
    Ok(Json(GroupList { groups }))
}
