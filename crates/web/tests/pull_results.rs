//! The pull API's acknowledgement with results: a receiver that pulled a
//! `send_message` with `delete_after` reports the id of the message it sent,
//! and Steward queues its deletion for when the time is up, handed out only
//! then.

mod support;

use axum::Router;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use steward_config::Secret;
use steward_core::i18n::Lang;
use steward_core::settings::ChatSettings;
use steward_core::welcome::Welcome;
use steward_core::{Action, Platform};
use steward_moderation::{Ladder, RuleSet};
use steward_runtime::{GroupSettings, Pipeline};
use steward_storage::{Store, both_backends};
use steward_web::{AppState, WebSettings};
use support::{INGEST_TOKEN, ingest, send};

async fn app_with_welcome(store: Store) -> Router {
    let pipeline =
        Pipeline::new(store, RuleSet::default_rules(), Ladder::default(), Lang::En).unwrap();
    let chat = ChatSettings {
        welcome: Some(Welcome {
            en: "Welcome, {name}!".into(),
            delete_after: Some(60),
            group_seconds: Some(0),
            ..Welcome::default()
        }),
        ..ChatSettings::default()
    };
    pipeline
        .configure_group(
            Platform::Http,
            "g1",
            Some("Rust"),
            &GroupSettings {
                community: None,
                language: Lang::En,
                chat,
            },
        )
        .await
        .unwrap();
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

async fn pull(app: &Router) -> Vec<Value> {
    let request = axum::http::Request::builder()
        .uri("/api/v1/actions?after=0")
        .header("authorization", format!("Bearer {INGEST_TOKEN}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let answer = send(app, request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    answer.json()["actions"].as_array().unwrap().clone()
}

both_backends!(
    an_acknowledged_message_id_brings_the_deletion,
    |store: Store| async move {
        let app = app_with_welcome(store.clone()).await;
        let joined = json!([{
            "id": "j1", "platform": "http", "group": {"id": "g1", "title": "Rust"},
            "at": Utc::now().to_rfc3339(), "kind": "member_joined",
            "member": {"id": "u2", "name": "Neo"}
        }]);
        assert_eq!(ingest(&app, &joined).await.status, StatusCode::OK);
        let pulled = pull(&app).await;
        let welcome = pulled
            .iter()
            .find(|a| a["action"]["kind"] == "send_message")
            .unwrap_or_else(|| panic!("no welcome in {pulled:?}"));
        assert_eq!(welcome["action"]["delete_after"], 60);
        let cursor = welcome["cursor"].as_i64().unwrap();

        let request = axum::http::Request::builder()
            .method("POST")
            .uri("/api/v1/actions/ack")
            .header("authorization", format!("Bearer {INGEST_TOKEN}"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(
                json!({"results": [{"cursor": cursor, "message_id": "sent-9"}]}).to_string(),
            ))
            .unwrap();
        let ack = send(&app, request).await;
        assert_eq!(ack.status, StatusCode::OK, "{}", ack.text());
        assert_eq!(ack.json(), json!({"acknowledged": 1}));

        // The deletion waits for its time: queued, not handed out yet.
        let queued = store
            .pending_actions_after(Platform::Http, 0, 100)
            .await
            .unwrap();
        let delete = queued
            .iter()
            .find(|r| {
                matches!(&r.action.action, Action::DeleteMessage { message } if message == "sent-9")
            })
            .expect("the welcome's deletion is queued");
        assert!(delete.due_at >= Utc::now() + Duration::seconds(50));
        assert!(
            pull(&app)
                .await
                .iter()
                .all(|a| a["action"]["kind"] != "delete_message")
        );
        let later = store
            .due_actions_after(
                Platform::Http,
                cursor,
                Utc::now() + Duration::seconds(61),
                100,
            )
            .await
            .unwrap();
        assert!(later.iter().any(|r| r.id == delete.id));
    }
);
