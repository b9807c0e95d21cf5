//! First-run setup, sign-in and sign-out.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};
use steward_core::Role;
use steward_core::audit::AuditKind;
use steward_core::model::DashboardUser;
use steward_storage::accounts::hash_secret;
use steward_storage::audit::NewAudit;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{self, Caller, SESSION_COOKIE, Via};
use crate::error::{ApiJson, ErrorBody};
use crate::{ApiError, AppState};

/// How long a dashboard session lasts.
const SESSION_DAYS: i64 = 14;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(setup))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(logout_everywhere))
        .routes(routes!(me))
}

/// Creating the owner account with the one-time setup link.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct SetupRequest {
    /// The `token` of the setup link `steward serve` printed.
    token: String,
    /// The owner's login name.
    name: String,
    /// At least 10 characters.
    password: String,
}

/// Signing in.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct LoginRequest {
    name: String,
    password: String,
}

/// A started session. The session id is in the `steward_session` cookie;
/// send `csrf_token` as `X-CSRF-Token` with every state-changing request.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionView {
    user: UserView,
    csrf_token: String,
}

/// A dashboard user.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UserView {
    id: i64,
    name: String,
    /// `owner`, `admin`, `operator` or `viewer`.
    role: String,
}

impl From<&DashboardUser> for UserView {
    fn from(user: &DashboardUser) -> UserView {
        UserView {
            id: user.id.0,
            name: user.name.clone(),
            role: user.role.as_str().to_owned(),
        }
    }
}

/// Starts a session for `user`: the `Set-Cookie` value and the CSRF token.
pub(crate) async fn create_session(
    state: &AppState,
    user: &DashboardUser,
) -> Result<(HeaderValue, String), ApiError> {
    let session_id = auth::new_secret("ses_");
    let csrf_token = auth::new_secret("csrf_");
    let now = Utc::now();
    state
        .store()
        .insert_session(
            &hash_secret(&session_id),
            user.id,
            &csrf_token,
            now,
            now + Duration::days(SESSION_DAYS),
        )
        .await?;
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={session_id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        SESSION_DAYS * 24 * 3600
    );
    Ok((
        HeaderValue::from_str(&cookie).map_err(ApiError::internal)?,
        csrf_token,
    ))
}

async fn start_session(state: &AppState, user: &DashboardUser) -> Result<Response, ApiError> {
    let (cookie, csrf_token) = create_session(state, user).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, cookie);
    Ok((
        headers,
        Json(SessionView {
            user: user.into(),
            csrf_token,
        }),
    )
        .into_response())
}

/// Create the owner account with the one-time setup link.
#[utoipa::path(post, path = "/api/v1/setup", tag = "session", request_body = SetupRequest,
    responses((status = 200, body = SessionView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn setup(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<SetupRequest>,
) -> Result<Response, ApiError> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(
            ApiError::bad_request("invalid_field", "the name must be 1 to 64 characters")
                .with_field("name"),
        );
    }
    auth::check_password(&request.password)?;
    let password_hash = auth::hash_password(&request.password)?;
    let now = Utc::now();
    let mut tx = state.store().begin().await?;
    if !tx
        .consume_setup_token(&hash_secret(&request.token), now)
        .await?
    {
        return Err(
            ApiError::forbidden("the setup link is unknown, used or expired").with_field("token"),
        );
    }
    let id = tx
        .insert_user(name, Role::Owner, Some(&password_hash), now)
        .await?
        .ok_or_else(|| {
            ApiError::bad_request("name_taken", "that name is taken").with_field("name")
        })?;
    tx.insert_audit(&NewAudit {
        at: now,
        actor: format!("user:{name}"),
        action: AuditKind::SetupCompleted.as_str().to_owned(),
        target: Some(format!("user:{name}")),
        reason: Some("owner created through the setup link".to_owned()),
        ..NewAudit::default()
    })
    .await?;
    tx.commit().await?;
    let user = DashboardUser {
        id,
        name: name.to_owned(),
        role: Role::Owner,
    };
    start_session(&state, &user).await
}

/// Sign in to the dashboard.
#[utoipa::path(post, path = "/api/v1/login", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = SessionView), (status = 401, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    if let Err(wait) = state.login_limiter.check(request.name.trim()) {
        return Err(ApiError::new(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!(
                "too many sign-in attempts; try again in {} s",
                wait.as_secs().max(1)
            ),
        ));
    }
    let found = state.store().find_user(request.name.trim()).await?;
    let user = match found {
        Some((user, Some(hash))) if auth::verify_password(&request.password, &hash) => user,
        Some(_) => return Err(ApiError::unauthorized("wrong name or password")),
        None => {
            auth::verify_password(&request.password, auth::dummy_hash());
            return Err(ApiError::unauthorized("wrong name or password"));
        }
    };
    start_session(&state, &user).await
}

/// Who is signed in.
#[utoipa::path(get, path = "/api/v1/me", tag = "session",
    responses((status = 200, body = UserView), (status = 401, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn me(caller: Caller) -> Json<UserView> {
    Json((&caller.user).into())
}

/// Sign out of this session.
#[utoipa::path(post, path = "/api/v1/logout", tag = "session",
    responses((status = 204), (status = 401, body = ErrorBody)), security(("session" = [])))]
async fn logout(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    if let Via::Session { id_hash } = &caller.via {
        state.store().delete_session(id_hash).await?;
    }
    let expired = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    Ok((
        axum::http::StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, expired)],
    )
        .into_response())
}

/// Sign out of every session of this user.
#[utoipa::path(post, path = "/api/v1/logout/all", tag = "session",
    responses((status = 204), (status = 401, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn logout_everywhere(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    state.store().delete_user_sessions(caller.user.id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}
