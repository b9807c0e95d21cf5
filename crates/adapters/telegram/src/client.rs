//! The Bot API client: `{api_url}/bot{token}/{method}` over HTTPS (rustls),
//! JSON in, the documented `{ok, result | error_code, description,
//! parameters}` envelope out.

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::types::{ChatMember, Message, Update, User};

/// The official Bot API server.
pub const OFFICIAL_API_URL: &str = "https://api.telegram.org";

/// A failed Bot API call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server answered `ok: false`.
    #[error("telegram error {code}: {description}")]
    Api {
        /// `error_code` (an HTTP status).
        code: u16,
        /// Telegram's `description`.
        description: String,
        /// `parameters.retry_after`, seconds to wait on 429.
        retry_after: Option<u64>,
        /// `parameters.migrate_to_chat_id`: the group became a supergroup.
        migrate_to_chat_id: Option<i64>,
    },
    /// The request did not get a Bot API answer (network, timeout, a body
    /// that is not the envelope).
    #[error("cannot reach the Bot API: {0}")]
    Transport(String),
}

impl ApiError {
    /// Whether trying again later may work.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Transport(_) => true,
            ApiError::Api { code, .. } => *code == 429 || *code >= 500,
        }
    }

    /// Telegram's description, or the transport error.
    pub fn description(&self) -> &str {
        match self {
            ApiError::Api { description, .. } => description,
            ApiError::Transport(reason) => reason,
        }
    }
}

/// A client for one bot.
#[derive(Clone)]
pub struct BotClient {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl std::fmt::Debug for BotClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a password: never print it.
        f.debug_struct("BotClient")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl BotClient {
    /// A client for the bot with `token` on the server at `api_url`.
    pub fn new(api_url: &str, token: &str) -> Result<BotClient, ApiError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| ApiError::Transport(e.to_string()))?;
        Ok(BotClient {
            http,
            base: api_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        })
    }

    /// Calls `method` with `params` as a JSON body. `timeout` bounds the
    /// whole request; long polls pass their poll time plus a margin.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        params: &impl Serialize,
        timeout: Duration,
    ) -> Result<T, ApiError> {
        let url = format!("{}/bot{}/{method}", self.base, self.token);
        let response = self
            .http
            .post(&url)
            .json(params)
            .timeout(timeout)
            .send()
            .await
            // reqwest's message can include the URL, and the URL the token.
            .map_err(|e| ApiError::Transport(redact(&e.to_string(), &self.token)))?;
        self.answer(method, response).await
    }

    /// Calls `method` with a `multipart/form-data` body, the way files are
    /// uploaded.
    pub async fn call_multipart<T: DeserializeOwned>(
        &self,
        method: &str,
        form: reqwest::multipart::Form,
    ) -> Result<T, ApiError> {
        let url = format!("{}/bot{}/{method}", self.base, self.token);
        let response = self
            .http
            .post(&url)
            .multipart(form)
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await
            .map_err(|e| ApiError::Transport(redact(&e.to_string(), &self.token)))?;
        self.answer(method, response).await
    }

    /// Reads the Bot API envelope of `method`'s answer.
    async fn answer<T: DeserializeOwned>(
        &self,
        method: &str,
        response: reqwest::Response,
    ) -> Result<T, ApiError> {
        let status = response.status();
        let body: Value = response.json().await.map_err(|e| {
            ApiError::Transport(format!(
                "{method}: HTTP {status} with a body that is not the Bot API envelope: {}",
                redact(&e.to_string(), &self.token)
            ))
        })?;
        if body.get("ok").and_then(Value::as_bool) == Some(true) {
            let result = body.get("result").cloned().unwrap_or(Value::Null);
            return serde_json::from_value(result).map_err(|e| {
                ApiError::Transport(format!("{method}: unexpected result shape: {e}"))
            });
        }
        let code = body
            .get("error_code")
            .and_then(Value::as_u64)
            .and_then(|c| u16::try_from(c).ok())
            .unwrap_or(status.as_u16());
        let parameters = body.get("parameters");
        Err(ApiError::Api {
            code,
            description: body
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("no description")
                .to_owned(),
            retry_after: parameters
                .and_then(|p| p.get("retry_after"))
                .and_then(Value::as_u64),
            migrate_to_chat_id: parameters
                .and_then(|p| p.get("migrate_to_chat_id"))
                .and_then(Value::as_i64),
        })
    }

    /// Calls a method whose result Steward does not need.
    pub async fn call_unit(&self, method: &str, params: &impl Serialize) -> Result<(), ApiError> {
        self.call::<Value>(method, params, REQUEST_TIMEOUT)
            .await
            .map(drop)
    }

    /// `getMe`: who the bot is.
    pub async fn get_me(&self) -> Result<User, ApiError> {
        self.call("getMe", &json!({}), REQUEST_TIMEOUT).await
    }

    /// `getUpdates`, long polling for up to `timeout_seconds`.
    pub async fn get_updates(
        &self,
        offset: Option<i64>,
        timeout_seconds: u64,
        allowed_updates: &[&str],
    ) -> Result<Vec<Update>, ApiError> {
        let params = json!({
            "offset": offset,
            "limit": 100,
            "timeout": timeout_seconds,
            "allowed_updates": allowed_updates,
        });
        // Parse update by update: one the adapter cannot read must not stop
        // the others, nor the offset from moving past it.
        let raw: Vec<Value> = self
            .call(
                "getUpdates",
                &params,
                Duration::from_secs(timeout_seconds) + REQUEST_TIMEOUT,
            )
            .await?;
        Ok(raw
            .into_iter()
            .filter_map(|value| {
                let id = value.get("update_id").and_then(Value::as_i64);
                match serde_json::from_value::<Update>(value) {
                    Ok(update) => Some(update),
                    Err(err) => {
                        tracing::warn!(update = ?id, error = %err, "unreadable Telegram update skipped");
                        id.map(Update::empty)
                    }
                }
            })
            .collect())
    }

    /// `getChatAdministrators` (bots included, so Steward knows its own rights).
    pub async fn get_chat_administrators(&self, chat: i64) -> Result<Vec<ChatMember>, ApiError> {
        self.call(
            "getChatAdministrators",
            &json!({"chat_id": chat, "return_bots": true}),
            REQUEST_TIMEOUT,
        )
        .await
    }

    /// `sendMessage`; returns the message sent.
    pub async fn send_message(&self, params: &Value) -> Result<Message, ApiError> {
        self.call("sendMessage", params, REQUEST_TIMEOUT).await
    }

    /// `sendPhoto` uploading `png` as `chart.png`; returns the message sent.
    pub async fn send_photo(
        &self,
        chat: i64,
        png: Vec<u8>,
        caption: Option<&str>,
    ) -> Result<Message, ApiError> {
        let photo = reqwest::multipart::Part::bytes(png)
            .file_name("chart.png")
            .mime_str("image/png")
            .map_err(|e| ApiError::Transport(e.to_string()))?;
        let mut form = reqwest::multipart::Form::new()
            .text("chat_id", chat.to_string())
            .part("photo", photo);
        if let Some(caption) = caption {
            form = form.text("caption", caption.to_owned());
        }
        self.call_multipart("sendPhoto", form).await
    }
}

/// The time allowed for an ordinary call.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

fn redact(text: &str, token: &str) -> String {
    if token.is_empty() {
        text.to_owned()
    } else {
        text.replace(token, "<token>")
    }
}

impl Update {
    /// An update with nothing Steward reads, standing in for one it could
    /// not parse so the offset still moves past it.
    pub fn empty(update_id: i64) -> Update {
        Update {
            update_id,
            message: None,
            edited_message: None,
            chat_member: None,
            my_chat_member: None,
            chat_join_request: None,
            callback_query: None,
            message_reaction: None,
            poll_answer: None,
        }
    }
}
