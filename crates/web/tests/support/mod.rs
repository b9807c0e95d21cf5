//! What the dashboard tests share: an app on a test store, signed-in
//! browsers of each role, and requests as a browser sends them (session
//! cookie, form posts with the CSRF field).

#![allow(dead_code, unreachable_pub)]

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::{Duration, Utc};
use http_body_util::BodyExt;
use serde_json::Value;
use steward_config::Secret;
use steward_core::Role;
use steward_core::i18n::Lang;
use steward_moderation::{Ladder, RuleSet};
use steward_runtime::Pipeline;
use steward_storage::Store;
use steward_storage::accounts::hash_secret;
use steward_web::{AppState, WebSettings};
use tower::ServiceExt;

/// The ingest token of test apps.
pub const INGEST_TOKEN: &str = "itok";

/// The app on `store`, with the default rules.
pub fn app(store: Store) -> Router {
    let pipeline =
        Pipeline::new(store, RuleSet::default_rules(), Ladder::default(), Lang::En).unwrap();
    steward_web::router(AppState::new(
        pipeline,
        WebSettings {
            ingest_token: Secret::new(INGEST_TOKEN),
            max_batch: 100,
            max_text_bytes: 4096,
            max_body_bytes: 1 << 20,
            secure_cookies: false,
        },
    ))
}

/// A signed-in browser: its session cookie and the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Browser {
    pub name: String,
    pub cookie: String,
    pub csrf: String,
}

/// A user of `role` named `name`, signed in.
pub async fn sign_in(store: &Store, name: &str, role: Role) -> Browser {
    let now = Utc::now();
    let mut tx = store.begin().await.unwrap();
    let id = tx
        .insert_user(name, role, None, now)
        .await
        .unwrap()
        .expect("a new name");
    tx.commit().await.unwrap();
    let session = format!("ses_{name}_test");
    let csrf = format!("csrf_{name}_test");
    store
        .insert_session(
            &hash_secret(&session),
            id,
            &csrf,
            now,
            now + Duration::days(1),
        )
        .await
        .unwrap();
    Browser {
        name: name.to_owned(),
        cookie: format!("steward_session={session}"),
        csrf,
    }
}

/// An answer with its body kept.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    /// Where a redirect goes.
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body,
    }
}

/// A page as `browser` sees it (`None`: signed out).
pub async fn get(app: &Router, path: &str, browser: Option<&Browser>) -> Answer {
    let mut request = Request::builder().method(Method::GET).uri(path);
    if let Some(browser) = browser {
        request = request.header(header::COOKIE, &browser.cookie);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

/// Submits a form as `browser`, with the session's CSRF field added.
pub async fn post_form(
    app: &Router,
    path: &str,
    browser: &Browser,
    fields: &[(&str, &str)],
) -> Answer {
    let mut all: Vec<(&str, &str)> = vec![("_csrf", browser.csrf.as_str())];
    all.extend_from_slice(fields);
    post_form_raw(app, path, Some(browser), &all).await
}

/// Submits exactly `fields` (no CSRF field added).
pub async fn post_form_raw(
    app: &Router,
    path: &str,
    browser: Option<&Browser>,
    fields: &[(&str, &str)],
) -> Answer {
    let body = serde_html_form::to_string(fields).unwrap();
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(browser) = browser {
        request = request.header(header::COOKIE, &browser.cookie);
    }
    send(app, request.body(Body::from(body)).unwrap()).await
}

/// Sends events through the ingest API (the generic HTTP wire format).
pub async fn ingest(app: &Router, events: &Value) -> Answer {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/ingest")
        .header(header::AUTHORIZATION, format!("Bearer {INGEST_TOKEN}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(events.to_string()))
        .unwrap();
    let answer = send(app, request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    answer
}

/// A message event in the wire format, in group `group`, sent now.
pub fn message(id: &str, group: &str, member: &str, name: &str, text: &str) -> Value {
    serde_json::json!({
        "id": id,
        "platform": "http",
        "group": {"id": group, "title": format!("Group {group}")},
        "at": Utc::now().to_rfc3339(),
        "kind": "message",
        "member": {"id": member, "name": name},
        "message": {"id": id, "text": text}
    })
}
