//! Who is calling, and what they may do.
//!
//! Three kinds of credential:
//!
//! * an API token (`Authorization: Bearer stw_...`, made with
//!   `steward token create`), acting as its user;
//! * a dashboard session cookie (`steward_session`, HttpOnly, SameSite=Strict);
//!   state-changing requests must also send the session's CSRF token in the
//!   `X-CSRF-Token` header;
//! * the ingest token of the generic HTTP platform, good only for ingest and
//!   for pulling that platform's actions.
//!
//! Every handler states the permission it needs with [`Caller::require`]; the
//! check is on the server, whatever the page shows.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use rand::RngCore;
use steward_core::model::DashboardUser;
use steward_core::{Actor, Permission};
use steward_storage::accounts::hash_secret;
use subtle::ConstantTimeEq;

use crate::{ApiError, AppState};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "steward_session";
/// The CSRF header's name.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A fresh random secret with a readable prefix (`stw_`, `ses_` ...).
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

/// An argon2id hash of a password, in PHC string form.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(ApiError::internal)
}

/// Whether `password` matches a stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// An argon2 hash of a password no one has, checked when a name is unknown
/// so that signing in takes as long either way.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash_password("steward-no-such-user").unwrap_or_default());
    &HASH
}

/// Rules a new password must keep.
pub fn check_password(password: &str) -> Result<(), ApiError> {
    if password.chars().count() < 10 {
        return Err(ApiError::bad_request(
            "weak_password",
            "the password needs at least 10 characters",
        )
        .with_field("password"));
    }
    Ok(())
}

/// A signed-in caller: a dashboard user through a token or a session.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user.
    pub user: DashboardUser,
    /// How they signed in.
    pub via: Via,
}

/// How a caller signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// An API token.
    Token,
    /// A dashboard session, with its id's hash.
    Session {
        /// The hash the session is stored under.
        id_hash: String,
    },
}

impl Caller {
    /// Fails with 403 unless the caller's role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.user.role.can(permission) {
            return Ok(());
        }
        Err(ApiError::forbidden(format!(
            "role `{}` may not do this (needs `{}`)",
            self.user.role,
            serde_json::to_value(permission)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        )))
    }

    /// The caller as an audit-log actor.
    pub fn actor(&self) -> Actor {
        Actor::User {
            id: self.user.id,
            name: self.user.name.clone(),
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .split_once(' ')
        // The scheme name is case-insensitive (RFC 9110, section 11.1).
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
}

/// The value of a cookie.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether `given` equals `expected`, in constant time.
pub fn secrets_match(given: &str, expected: &str) -> bool {
    !expected.is_empty() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        if let Some(token) = bearer(&parts.headers) {
            let user = state
                .store()
                .user_by_token(&hash_secret(token))
                .await?
                .ok_or_else(|| ApiError::unauthorized("the API token is not valid"))?;
            return Ok(Caller {
                user,
                via: Via::Token,
            });
        }
        if let Some(session_id) = cookie(&parts.headers, SESSION_COOKIE) {
            let id_hash = hash_secret(session_id);
            let session = state
                .store()
                .find_session(&id_hash, chrono::Utc::now())
                .await?
                .ok_or_else(|| ApiError::unauthorized("the session has ended; sign in again"))?;
            let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
            if !safe {
                let sent = parts
                    .headers
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                if !secrets_match(sent, &session.csrf_token) {
                    return Err(ApiError::forbidden("missing or wrong X-CSRF-Token header")
                        .with_field(CSRF_HEADER));
                }
            }
            return Ok(Caller {
                user: session.user,
                via: Via::Session { id_hash },
            });
        }
        Err(ApiError::unauthorized(
            "send an API token (Authorization: Bearer ...) or sign in",
        ))
    }
}

/// A caller holding the ingest token of the generic HTTP platform.
#[derive(Debug, Clone, Copy)]
pub struct IngestCaller;

impl FromRequestParts<AppState> for IngestCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<IngestCaller, ApiError> {
        let expected = state.settings.ingest_token.expose();
        if expected.is_empty() {
            return Err(ApiError::forbidden(
                "ingest is off: set ingest.token in the config or STEWARD_INGEST_TOKEN",
            ));
        }
        match bearer(&parts.headers) {
            Some(given) if secrets_match(given, expected) => Ok(IngestCaller),
            Some(_) => Err(ApiError::unauthorized("the ingest token is wrong")),
            None => Err(ApiError::unauthorized(
                "send the ingest token as Authorization: Bearer ...",
            )),
        }
    }
}

/// Either the ingest token or a signed-in user with `Moderate`.
#[derive(Debug, Clone)]
pub enum ActionsCaller {
    /// The system on the other side of the generic HTTP platform.
    Integration,
    /// A dashboard user.
    User(Caller),
}

impl FromRequestParts<AppState> for ActionsCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<ActionsCaller, ApiError> {
        if let Some(given) = bearer(&parts.headers)
            && secrets_match(given, state.settings.ingest_token.expose())
        {
            return Ok(ActionsCaller::Integration);
        }
        let caller = Caller::from_request_parts(parts, state).await?;
        caller.require(Permission::Moderate)?;
        Ok(ActionsCaller::User(caller))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "a=1; steward_session=ses_x; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("ses_x"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn empty_secrets_never_match() {
        assert!(!secrets_match("", ""));
        assert!(secrets_match("abc", "abc"));
        assert!(!secrets_match("abd", "abc"));
    }
}
