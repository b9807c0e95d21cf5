//! Steward's HTTP server: the `/api/v1` API, health checks, metrics and the
//! OpenAPI document.
//!
//! [`router`] builds the whole app from an [`AppState`]; `steward serve` and
//! the tests call the same function. Routes are registered through
//! `utoipa-axum`, so the OpenAPI document at `/api/v1/openapi.json` is
//! generated from the handlers themselves and cannot drift from them.
//!
//! * [`error`]: [`ApiError`], the one error shape of the API.
//! * [`auth`]: who is calling: API tokens, dashboard sessions with CSRF
//!   protection, the ingest token; password hashing.
//! * `routes`: one module per resource.
//! * `dashboard`: the web pages (server-rendered HTML) for the team.
//! * [`login_limit`]: sign-in rate limiting, shared by the API and the pages.

pub mod auth;
mod dashboard;
pub mod error;
pub mod login_limit;
mod metrics_recorder;
mod openapi;
mod routes;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use steward_config::Secret;
use steward_runtime::Pipeline;
use steward_storage::Store;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

pub use error::ApiError;
pub use metrics_recorder::install_metrics;
pub use routes::backtests::Backtests;

/// What the web layer needs from the configuration.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Bearer token of the generic HTTP platform; empty disables ingest.
    pub ingest_token: Secret,
    /// Most events per ingest request.
    pub max_batch: usize,
    /// Longest text, in bytes.
    pub max_text_bytes: usize,
    /// Largest body, in bytes.
    pub max_body_bytes: usize,
    /// Whether session cookies get the `Secure` flag (HTTPS public URL).
    pub secure_cookies: bool,
}

impl WebSettings {
    /// Settings from the config file.
    pub fn from_config(config: &steward_config::Config) -> WebSettings {
        WebSettings {
            ingest_token: config.ingest.token.clone(),
            max_batch: config.server.max_batch,
            max_text_bytes: config.server.max_text_bytes,
            max_body_bytes: config.server.max_body_bytes,
            secure_cookies: config.public_url().starts_with("https://"),
        }
    }
}

/// A platform connection as the settings page lists it. Secrets are kept
/// only masked: the page can tell which token is in use, never show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// `telegram`, `http`, `onebot`, `matrix`.
    pub platform: String,
    /// What it is (a bot, the ingest API).
    pub name: String,
    /// How it runs (polling, webhook, URL).
    pub detail: String,
    /// The secret, masked (`••••wxyz`), or empty when none is set.
    pub masked_secret: String,
}

/// A secret with all but its last four characters hidden.
pub fn mask_secret(secret: &str) -> String {
    let count = secret.chars().count();
    if count == 0 {
        return String::new();
    }
    if count <= 8 {
        return "••••".to_owned();
    }
    let tail: String = secret.chars().skip(count - 4).collect();
    format!("••••{tail}")
}

impl Connection {
    /// The connections a config sets up.
    pub fn from_config(config: &steward_config::Config) -> Vec<Connection> {
        let mut connections = vec![Connection {
            platform: "http".to_owned(),
            name: "ingest API".to_owned(),
            detail: if config.ingest.token.is_empty() {
                "off".to_owned()
            } else {
                "/api/v1/ingest".to_owned()
            },
            masked_secret: mask_secret(config.ingest.token.expose()),
        }];
        for bot in &config.telegram.bots {
            let token = bot.token.expose();
            let bot_id = token.split(':').next().unwrap_or_default();
            connections.push(Connection {
                platform: "telegram".to_owned(),
                name: format!("bot {bot_id}"),
                detail: format!("{:?} · {}", bot.mode, bot.api_url).to_lowercase(),
                masked_secret: mask_secret(token),
            });
        }
        connections
    }
}

/// Everything handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The ingest pipeline (and through it the store).
    pub pipeline: Pipeline,
    /// Settings.
    pub settings: Arc<WebSettings>,
    /// Backtests started over the API, with their progress.
    pub backtests: Arc<Backtests>,
    /// Sign-in attempts, limited.
    pub login_limiter: Arc<login_limit::LoginLimiter>,
    /// Platform connections, for the settings page.
    pub connections: Arc<Vec<Connection>>,
    /// The address users reach Steward at (for links the dashboard hands
    /// out); empty: links are paths.
    pub public_url: Arc<str>,
}

impl AppState {
    /// The state for a pipeline and settings.
    pub fn new(pipeline: Pipeline, settings: WebSettings) -> AppState {
        AppState {
            pipeline,
            settings: Arc::new(settings),
            backtests: Arc::default(),
            login_limiter: Arc::default(),
            connections: Arc::default(),
            public_url: Arc::from(""),
        }
    }

    /// The same state, with links made absolute under `url`.
    pub fn with_public_url(mut self, url: &str) -> AppState {
        self.public_url = Arc::from(url.trim_end_matches('/'));
        self
    }

    /// The same state, listing these platform connections in the settings.
    pub fn with_connections(mut self, connections: Vec<Connection>) -> AppState {
        self.connections = Arc::new(connections);
        self
    }

    /// The store.
    pub fn store(&self) -> &Store {
        self.pipeline.store()
    }
}

/// The whole app.
pub fn router(state: AppState) -> Router {
    let (router, document) = api_router(state.settings.max_body_bytes).split_for_parts();
    let document = Arc::new(document);
    router
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let document = document.clone();
                async move { axum::Json(document.as_ref().clone()) }
            }),
        )
        .merge(dashboard::router())
        .layer(axum::middleware::from_fn(dashboard::security::headers))
        // Spans name the path only: query strings carry one-time tokens
        // (`/setup?token=`, `/invite?token=`) that must not reach the logs.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                tracing::debug_span!("http", method = %request.method(), path = %request.uri().path())
            }),
        )
        .with_state(state)
}

/// The OpenAPI document of the whole API, as served.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router(1).split_for_parts().1
}

fn api_router(max_body_bytes: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(<openapi::ApiDoc as utoipa::OpenApi>::openapi())
        .merge(routes::ingest::router().layer(DefaultBodyLimit::max(max_body_bytes)))
        .merge(routes::actions::router())
        .merge(routes::groups::router())
        .merge(routes::audit::router())
        .merge(routes::session::router())
        .merge(routes::rules::router())
        .merge(routes::cases::router())
        .merge(routes::members::router())
        .merge(routes::ban_lists::router())
        .merge(routes::reports::router())
        .merge(routes::backtests::router())
        .merge(routes::health::router())
}
