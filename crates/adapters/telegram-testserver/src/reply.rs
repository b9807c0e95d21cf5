//! The Bot API response envelopes: `{"ok":true,"result":...}` and the error object with its
//! `error_code`, `description` and optional `parameters`, sent with the matching HTTP status.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::model::Failure;

/// An error answer: HTTP status = `error_code`, plus description and `ResponseParameters`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub(crate) code: u16,
    pub(crate) description: String,
    pub(crate) retry_after: Option<u64>,
    pub(crate) migrate_to_chat_id: Option<i64>,
}

impl ApiError {
    fn new(code: u16, description: String) -> ApiError {
        ApiError {
            code,
            description,
            retry_after: None,
            migrate_to_chat_id: None,
        }
    }

    /// 400 with `"Bad Request: "` and the reason, its first letter lowered the way the real
    /// server does unless the reason is an upper-case error name such as `HIDE_REQUESTER_MISSING`.
    pub(crate) fn bad_request(reason: &str) -> ApiError {
        ApiError::new(400, format!("Bad Request: {}", lower_first(reason)))
    }

    /// 403 with `"Forbidden: "` and the reason.
    pub(crate) fn forbidden(reason: &str) -> ApiError {
        ApiError::new(403, format!("Forbidden: {}", lower_first(reason)))
    }

    /// 409 with a description that already starts with `"Conflict: "`.
    pub(crate) fn conflict(description: &str) -> ApiError {
        ApiError::new(409, description.to_owned())
    }

    pub(crate) fn unauthorized() -> ApiError {
        ApiError::new(401, "Unauthorized".to_owned())
    }

    pub(crate) fn not_found() -> ApiError {
        ApiError::new(404, "Not Found".to_owned())
    }

    pub(crate) fn too_many_requests(retry_after: u64) -> ApiError {
        ApiError {
            retry_after: Some(retry_after),
            ..ApiError::new(429, format!("Too Many Requests: retry after {retry_after}"))
        }
    }

    /// The JSON error object.
    pub(crate) fn body(&self) -> Value {
        let mut body = json!({
            "ok": false,
            "error_code": self.code,
            "description": self.description,
        });
        let mut parameters = Map::new();
        if let Some(retry_after) = self.retry_after {
            parameters.insert("retry_after".into(), json!(retry_after));
        }
        if let Some(chat_id) = self.migrate_to_chat_id {
            parameters.insert("migrate_to_chat_id".into(), json!(chat_id));
        }
        if !parameters.is_empty() {
            body["parameters"] = Value::Object(parameters);
        }
        body
    }
}

impl From<Failure> for ApiError {
    fn from(failure: Failure) -> ApiError {
        match failure {
            Failure::TooManyRequests { retry_after } => ApiError::too_many_requests(retry_after),
            Failure::MigrateToChat { migrate_to_chat_id } => ApiError {
                migrate_to_chat_id: Some(migrate_to_chat_id),
                ..ApiError::bad_request("group chat was upgraded to a supergroup chat")
            },
            Failure::Error { code, description } => ApiError::new(code, description),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::BAD_REQUEST);
        (status, Json(self.body())).into_response()
    }
}

/// The success envelope around a method's result, with the optional `description` some
/// methods add (`setWebhook`: "Webhook was set").
pub(crate) fn ok(result: Value, description: Option<&str>) -> Response {
    let mut body = json!({ "ok": true, "result": result });
    if let Some(description) = description {
        body["description"] = json!(description);
    }
    Json(body).into_response()
}

fn lower_first(reason: &str) -> String {
    let mut chars = reason.chars();
    let (Some(first), second) = (chars.next(), reason.chars().nth(1)) else {
        return String::new();
    };
    if second.is_some_and(|c| c == '_' || c.is_ascii_uppercase()) {
        return reason.to_owned();
    }
    first.to_lowercase().chain(chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_lowered_except_error_names() {
        assert_eq!(
            ApiError::bad_request("Message text is empty").description,
            "Bad Request: message text is empty"
        );
        assert_eq!(
            ApiError::bad_request("HIDE_REQUESTER_MISSING").description,
            "Bad Request: HIDE_REQUESTER_MISSING"
        );
    }

    #[test]
    fn too_many_requests_carries_retry_after() {
        let body = ApiError::too_many_requests(7).body();
        assert_eq!(
            body,
            json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 7",
                   "parameters": {"retry_after": 7}})
        );
    }
}
