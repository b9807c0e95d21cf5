//! The HTTP front: routes `/bot{token}/{method}` (GET or POST, any case of the method name),
//! records the call, checks the token, applies injected failures and answers in the Bot API envelope.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::methods;
use crate::model::Call;
use crate::params::Params;
use crate::reply::{self, ApiError};
use crate::server::Shared;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some((token, name)) = split_path(uri.path()) else {
        return ApiError::not_found().into_response();
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let parsed = Params::parse(uri.query(), content_type, &body);
    let method = methods::canonical_name(name);
    let failure = {
        let mut world = shared.world();
        world.calls.push(Call {
            token: token.to_owned(),
            method: method.unwrap_or(name).to_owned(),
            params: parsed
                .as_ref()
                .map_or_else(|_| serde_json::json!({}), Params::to_value),
            at: Instant::now(),
        });
        if world.bot(token).is_none() {
            Some(ApiError::unauthorized())
        } else if method.is_none() {
            Some(ApiError::not_found())
        } else {
            let queued = world.failures.get_mut(&name.to_ascii_lowercase());
            queued.and_then(|q| q.pop_front()).map(ApiError::from)
        }
    };
    shared.calls_changed.notify_waiters();
    if let Some(error) = failure {
        return error.into_response();
    }
    let Some(method) = method else {
        return ApiError::not_found().into_response();
    };
    let params = match parsed {
        Ok(params) => params,
        Err(error) => return error.into_response(),
    };
    match methods::call(&shared, token, method, &params).await {
        Ok((result, description)) => reply::ok(result, description),
        Err(error) => error.into_response(),
    }
}

/// `/bot{token}/{method}` into its token and method name.
fn split_path(path: &str) -> Option<(&str, &str)> {
    let (token, method) = path.strip_prefix("/bot")?.split_once('/')?;
    (!token.is_empty() && !method.is_empty() && !method.contains('/')).then_some((token, method))
}

#[cfg(test)]
mod tests {
    use super::split_path;

    #[test]
    fn paths_split_into_token_and_method() {
        assert_eq!(split_path("/bot123:abc/getMe"), Some(("123:abc", "getMe")));
        assert_eq!(split_path("/bot123:abc/"), None);
        assert_eq!(split_path("/123:abc/getMe"), None);
        assert_eq!(split_path("/bot123/a/b"), None);
    }
}
