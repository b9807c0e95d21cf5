//! The HTTP API seen from outside: every test drives the real router with
//! `tower::ServiceExt::oneshot`, on SQLite and on PostgreSQL
//! (`STEWARD_TEST_DATABASE_URL`), and checks the statuses and JSON fields
//! clients depend on: ingest, decisions, the pull API, the audit log, roles,
//! setup and sessions, health, metrics and the OpenAPI document.

use std::collections::BTreeSet;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::{Duration, Utc};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use steward_config::Secret;
use steward_core::Role;
use steward_core::i18n::Lang;
use steward_moderation::{Ladder, RuleSet};
use steward_runtime::Pipeline;
use steward_storage::accounts::hash_secret;
use steward_storage::{Store, both_backends};
use steward_web::{AppState, WebSettings};
use tower::ServiceExt;

const INGEST_TOKEN: &str = "itok";
const MAX_TEXT_BYTES: usize = 4096;
const MAX_BODY_BYTES: usize = 1 << 20;
const ENGLISH_SPAM: &str = "Crypto airdrop! Claim now";
const CHINESE_SPAM: &str = "兼职刷单日结300，加V：abc123";

fn settings() -> WebSettings {
    WebSettings {
        ingest_token: Secret::new(INGEST_TOKEN),
        max_batch: 100,
        max_text_bytes: MAX_TEXT_BYTES,
        max_body_bytes: MAX_BODY_BYTES,
        secure_cookies: false,
    }
}

fn app_with(store: Store, settings: WebSettings) -> Router {
    let pipeline =
        Pipeline::new(store, RuleSet::default_rules(), Ladder::default(), Lang::En).unwrap();
    steward_web::router(AppState::new(pipeline, settings))
}

fn app(store: Store) -> Router {
    app_with(store, settings())
}

/// An answer, with the body kept as bytes.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} answered a body that is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).unwrap()
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(&name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .unwrap()
    }

    /// Asserts the status and the API's error shape, and returns the body.
    fn error(&self, status: StatusCode, code: &str) -> Value {
        let body = self.json();
        assert_eq!(self.status, status, "{body}");
        assert_eq!(body["error"], code, "{body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
        body
    }
}

async fn call(
    app: &Router,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<Body>,
) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(body.into()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body,
    }
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

async fn get(app: &Router, path: &str, token: &str) -> Answer {
    call(
        app,
        Method::GET,
        path,
        &[("authorization", &bearer(token))],
        Body::empty(),
    )
    .await
}

async fn post_json(app: &Router, path: &str, headers: &[(&str, &str)], body: &Value) -> Answer {
    let mut all = vec![("content-type", "application/json")];
    all.extend_from_slice(headers);
    call(app, Method::POST, path, &all, body.to_string()).await
}

async fn ingest_raw(app: &Router, body: impl Into<Body>) -> Answer {
    call(
        app,
        Method::POST,
        "/api/v1/ingest",
        &[
            ("authorization", &bearer(INGEST_TOKEN)),
            ("content-type", "application/json"),
        ],
        body,
    )
    .await
}

async fn ingest(app: &Router, events: &Value) -> Answer {
    ingest_raw(app, events.to_string()).await
}

/// A message event in group `g1`.
fn message(id: &str, member: &str, message_id: &str, text: &str) -> Value {
    json!({
        "id": id,
        "platform": "http",
        "group": {"id": "g1", "title": "Rust 学习群"},
        "at": "2026-11-21T10:00:00Z",
        "kind": "message",
        "member": {"id": member, "name": "Alice"},
        "message": {"id": message_id, "text": text}
    })
}

/// A user of `role` with an API token; returns the token.
async fn user_with_token(store: &Store, name: &str, role: Role) -> String {
    let token = format!("stw_test_{name}");
    let now = Utc::now();
    let mut tx = store.begin().await.unwrap();
    let user = tx
        .insert_user(name, role, None, now)
        .await
        .unwrap()
        .expect("fresh name");
    tx.insert_token(user, &hash_secret(&token), "t", now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    token
}

async fn groups(app: &Router, token: &str) -> Vec<Value> {
    let answer = get(app, "/api/v1/groups", token).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    answer.json()["groups"].as_array().unwrap().clone()
}

async fn message_count(app: &Router, token: &str, group: &str) -> Option<i64> {
    groups(app, token)
        .await
        .iter()
        .find(|g| g["id"] == group)
        .map(|g| g["message_count"].as_i64().unwrap())
}

async fn pull(app: &Router) -> Vec<Value> {
    let answer = get(app, "/api/v1/actions?after=0", INGEST_TOKEN).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    answer.json()["actions"].as_array().unwrap().clone()
}

fn kinds(actions: &Value) -> Vec<&str> {
    actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect()
}

both_backends!(
    ingest_accepts_new_events_and_flags_repeats,
    |store: Store| async move {
        let app = app(store.clone());
        let body = json!([{
            "id": "e1", "platform": "http", "group": {"id": "g1", "title": "Rust 学习群"},
            "at": "2026-11-21T10:00:00Z", "kind": "message",
            "member": {"id": "u1", "name": "Alice"},
            "message": {"id": "m1", "text": "hello"}
        }]);

        let first = ingest(&app, &body).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.text());
        assert_eq!(
            first.json(),
            json!({"results": [{"id": "e1", "status": "accepted", "actions": []}]})
        );

        let again = ingest(&app, &body).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.text());
        assert_eq!(
            again.json(),
            json!({"results": [{"id": "e1", "status": "duplicate", "actions": []}]})
        );

        assert_eq!(store.count_events().await.unwrap(), 1);
        let viewer = user_with_token(&store, "vera", Role::Viewer).await;
        let listed = groups(&app, &viewer).await;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["id"], "g1");
        assert_eq!(listed[0]["title"], "Rust 学习群");
        assert_eq!(listed[0]["message_count"], 1, "a duplicate is not counted");
        assert!(
            pull(&app).await.is_empty(),
            "a clean message decides nothing"
        );

        // Within one batch: a repeat is a duplicate, the same id in another
        // group is a different event, and the same member's second spam already
        // climbs the ladder.
        let mut elsewhere = message("e1", "u1", "m1", "hello");
        elsewhere["group"] = json!({"id": "g2"});
        let batch = json!([
            message("e2", "u1", "m2", "hi"),
            message("e2", "u1", "m2", "hi"),
            elsewhere,
            message("e3", "u9", "m3", ENGLISH_SPAM),
            message("e4", "u9", "m4", ENGLISH_SPAM),
        ]);
        let answer = ingest(&app, &batch).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        let results = answer.json()["results"].as_array().unwrap().clone();
        let statuses: Vec<&str> = results
            .iter()
            .map(|r| r["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            statuses,
            ["accepted", "duplicate", "accepted", "accepted", "accepted"]
        );
        assert_eq!(kinds(&results[1]["actions"]), Vec::<&str>::new());
        assert_eq!(kinds(&results[3]["actions"]), ["delete_message", "warn"]);
        assert_eq!(
            kinds(&results[4]["actions"]),
            ["delete_message", "mute", "warn"]
        );
        assert_eq!(store.count_events().await.unwrap(), 5);
        assert_eq!(message_count(&app, &viewer, "g1").await, Some(4));
        assert_eq!(message_count(&app, &viewer, "g2").await, Some(1));
        assert_eq!(pull(&app).await.len(), 5);
    }
);

both_backends!(
    spam_is_deleted_warned_audited_and_pulled,
    |store: Store| async move {
        let app = app(store.clone());
        let operator = user_with_token(&store, "olga", Role::Operator).await;

        let answer = ingest(&app, &json!([message("e1", "u1", "m1", ENGLISH_SPAM)])).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        let result = &answer.json()["results"][0];
        assert_eq!(result["id"], "e1");
        assert_eq!(result["status"], "accepted");
        let actions = &result["actions"];
        assert_eq!(kinds(actions), ["delete_message", "warn"]);
        assert_eq!(
            actions[0],
            json!({"kind": "delete_message", "group": "g1", "message": "m1"})
        );
        assert_eq!(actions[1]["group"], "g1");
        assert_eq!(actions[1]["member"], "u1");
        assert!(
            actions[1]["text"]
                .as_str()
                .is_some_and(|t| t.contains("Alice")),
            "the notice names the member: {}",
            actions[1]
        );

        // The audit log, newest first.
        let audit = get(&app, "/api/v1/audit", &operator).await;
        assert_eq!(audit.status, StatusCode::OK, "{}", audit.text());
        let entries = audit.json()["entries"].as_array().unwrap().clone();
        assert_eq!(entries.len(), 2, "{entries:?}");
        let delete = entries
            .iter()
            .find(|e| e["action"] == "delete_message")
            .expect("a delete_message entry");
        let warn = entries
            .iter()
            .find(|e| e["action"] == "warn")
            .expect("a warn entry");
        for entry in [delete, warn] {
            assert_eq!(entry["actor"], "system");
            assert_eq!(entry["rule"], "ads-en");
            assert_eq!(entry["ladder_step"], 1);
            assert!(entry["reason"].as_str().is_some_and(|r| !r.is_empty()));
            assert!(entry["group"].is_i64());
            assert!(entry["member"].is_i64());
            assert!(entry["event"].is_i64());
            assert_eq!(entry["at"], "2026-11-21T10:00:00Z");
            let evidence = &entry["evidence"];
            assert_eq!(evidence["text"], ENGLISH_SPAM);
            let hit = &evidence["hits"][0];
            assert_eq!(hit["rule"], "ads-en");
            let ranges = hit["evidence"].as_array().unwrap();
            assert!(!ranges.is_empty(), "{hit}");
            for range in ranges {
                let start = usize::try_from(range["start"].as_u64().unwrap()).unwrap();
                let end = usize::try_from(range["end"].as_u64().unwrap()).unwrap();
                let matched = ENGLISH_SPAM
                    .get(start..end)
                    .expect("a byte range of the text");
                let matched = matched.to_lowercase();
                assert!(
                    matched == "crypto airdrop" || matched == "claim now",
                    "range {start}..{end} is {matched:?}"
                );
            }
        }
        assert_eq!(warn["target"], "u1");

        // The pull API hands out the same actions, with their delivery identity.
        let pulled = pull(&app).await;
        assert_eq!(pulled.len(), 2, "{pulled:?}");
        assert_eq!(pulled[0]["action"], actions[0]);
        assert_eq!(pulled[1]["action"], actions[1]);
        assert_eq!(pulled[0]["idempotency_key"], "http:g1:e1:0");
        assert_eq!(pulled[1]["idempotency_key"], "http:g1:e1:1");
        let cursors: Vec<i64> = pulled
            .iter()
            .map(|a| a["cursor"].as_i64().unwrap())
            .collect();
        assert!(cursors[0] < cursors[1], "oldest first: {cursors:?}");
        assert_eq!(delete["action_cursor"], cursors[0]);
        assert_eq!(warn["action_cursor"], cursors[1]);
        let page = get(&app, "/api/v1/actions?after=0", INGEST_TOKEN)
            .await
            .json();
        assert_eq!(page["next_after"], cursors[1]);
        let rest = get(
            &app,
            &format!("/api/v1/actions?after={}", cursors[0]),
            INGEST_TOKEN,
        )
        .await
        .json();
        assert_eq!(rest["actions"].as_array().unwrap().len(), 1);
        assert_eq!(rest["actions"][0]["cursor"], cursors[1]);

        // Acknowledged actions leave the pull.
        let auth = bearer(INGEST_TOKEN);
        let ack = post_json(
            &app,
            "/api/v1/actions/ack",
            &[("authorization", &auth)],
            &json!({"cursors": cursors}),
        )
        .await;
        assert_eq!(ack.status, StatusCode::OK, "{}", ack.text());
        assert_eq!(ack.json(), json!({"acknowledged": 2}));
        assert!(pull(&app).await.is_empty());
        let again = post_json(
            &app,
            "/api/v1/actions/ack",
            &[("authorization", &auth)],
            &json!({"cursors": cursors}),
        )
        .await;
        assert_eq!(again.json(), json!({"acknowledged": 0}));

        // A repeat offender climbs the ladder: the second violation mutes.
        let second = ingest(&app, &json!([message("e2", "u1", "m2", CHINESE_SPAM)])).await;
        assert_eq!(second.status, StatusCode::OK, "{}", second.text());
        let actions = &second.json()["results"][0]["actions"];
        assert_eq!(kinds(actions), ["delete_message", "mute", "warn"]);
        assert_eq!(actions[0]["message"], "m2");
        let mute = &actions[1];
        assert_eq!(mute["group"], "g1");
        assert_eq!(mute["member"], "u1");
        let until = chrono::DateTime::parse_from_rfc3339(mute["until"].as_str().unwrap()).unwrap();
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00Z").unwrap();
        assert_eq!(until - at, Duration::minutes(10));
        let audit = get(&app, "/api/v1/audit?action=mute", &operator)
            .await
            .json();
        let entries = audit["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{audit}");
        assert_eq!(entries[0]["ladder_step"], 2);
        assert_eq!(entries[0]["target"], "u1");
        let pulled = pull(&app).await;
        assert_eq!(pulled.len(), 3);
        assert_eq!(pulled[1]["action"], *mute);
        assert_eq!(pulled[1]["idempotency_key"], "http:g1:e2:1");

        // Evidence points at the original text, also when matching folded
        // fullwidth and upper-case characters.
        let evidence = &entries[0]["evidence"];
        assert_eq!(evidence["text"], CHINESE_SPAM);
        let mut matched = BTreeSet::new();
        for hit in evidence["hits"].as_array().unwrap() {
            for range in hit["evidence"].as_array().unwrap() {
                let start = usize::try_from(range["start"].as_u64().unwrap()).unwrap();
                let end = usize::try_from(range["end"].as_u64().unwrap()).unwrap();
                let text = CHINESE_SPAM
                    .get(start..end)
                    .unwrap_or_else(|| panic!("{start}..{end} is not a range of the text"));
                matched.insert(text.to_owned());
            }
        }
        assert!(matched.contains("日结"), "{matched:?}");
        assert!(matched.contains("加V：abc123"), "{matched:?}");

        // Someone else's first offence starts at the bottom again.
        let other = ingest(&app, &json!([message("e3", "u2", "m3", ENGLISH_SPAM)])).await;
        let actions = &other.json()["results"][0]["actions"];
        assert_eq!(kinds(actions), ["delete_message", "warn"]);
        assert_eq!(actions[1]["member"], "u2");

        // The audit log's filters and paging.
        let audit = async |query: &str| {
            let path = format!("/api/v1/audit{query}");
            let answer = get(&app, &path, &operator).await;
            assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.text());
            answer.json()["entries"].as_array().unwrap().clone()
        };
        let all = audit("").await;
        assert_eq!(all.len(), 7);
        let ids: Vec<i64> = all.iter().map(|e| e["id"].as_i64().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
        let group = all[0]["group"].as_i64().unwrap();
        assert_eq!(audit(&format!("?group={group}")).await.len(), 7);
        assert!(audit(&format!("?group={}", group + 1)).await.is_empty());
        assert_eq!(audit("?actor=system").await.len(), 7);
        assert!(audit("?actor=user:olga").await.is_empty());
        assert_eq!(audit("?action=warn").await.len(), 3);
        assert_eq!(audit("?since=2026-11-21T10:00:00Z").await.len(), 7);
        assert!(audit("?until=2026-11-21T10:00:00Z").await.is_empty());
        assert_eq!(audit("?until=2026-11-21T10:00:00.001Z").await.len(), 7);
        assert_eq!(audit("?limit=2").await, all[..2]);
        assert_eq!(audit(&format!("?before={}", ids[1])).await, all[2..]);
        for query in ["?limit=0", "?limit=1001", "?since=yesterday", "?group=g1"] {
            let answer = get(&app, &format!("/api/v1/audit{query}"), &operator).await;
            answer.error(StatusCode::BAD_REQUEST, "invalid_query");
        }

        // The pull API pages by cursor.
        let pulled = pull(&app).await;
        assert_eq!(pulled.len(), 5);
        let page = get(&app, "/api/v1/actions?after=0&limit=2", INGEST_TOKEN)
            .await
            .json();
        assert_eq!(page["actions"].as_array().unwrap()[..], pulled[..2]);
        assert_eq!(page["next_after"], pulled[1]["cursor"]);
        let after = page["next_after"].as_i64().unwrap();
        let page = get(
            &app,
            &format!("/api/v1/actions?after={after}&limit=1000"),
            INGEST_TOKEN,
        )
        .await
        .json();
        assert_eq!(page["actions"].as_array().unwrap()[..], pulled[2..]);
        let last = pulled[4]["cursor"].as_i64().unwrap();
        let page = get(&app, &format!("/api/v1/actions?after={last}"), INGEST_TOKEN)
            .await
            .json();
        assert_eq!(page, json!({"actions": [], "next_after": last}));
    }
);

both_backends!(a_bad_event_is_rejected_alone, |store: Store| async move {
    let app = app(store.clone());
    let viewer = user_with_token(&store, "vera", Role::Viewer).await;
    let mut poke = message("e-bad", "u2", "m2", "hi");
    poke["kind"] = json!("poke");

    let mixed = ingest(&app, &json!([message("e-good", "u1", "m1", "hello"), poke])).await;
    assert_eq!(mixed.status, StatusCode::OK, "{}", mixed.text());
    let results = mixed.json()["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[0],
        json!({"id": "e-good", "status": "accepted", "actions": []})
    );
    assert_eq!(results[1]["id"], "e-bad");
    assert_eq!(results[1]["status"], "rejected");
    assert_eq!(results[1]["field"], "kind");
    assert_eq!(results[1]["actions"], json!([]));
    let error = results[1]["error"].as_str().unwrap();
    assert!(error.contains("poke"), "{error}");
    assert!(error.contains("kind"), "{error}");

    // Every event bad: 422, still one result per event.
    let mut missing_member = message("e-x", "u3", "m3", "hi");
    missing_member.as_object_mut().unwrap().remove("member");
    let mut bad_at = message("e-y", "u3", "m4", "hi");
    bad_at["at"] = json!("yesterday");
    let mut poke2 = message("e-z", "u3", "m5", "hi");
    poke2["kind"] = json!("poke");
    let all_bad = ingest(&app, &json!([missing_member, bad_at, poke2])).await;
    assert_eq!(
        all_bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        all_bad.text()
    );
    let results = all_bad.json()["results"].as_array().unwrap().clone();
    let summary: Vec<(&str, &str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
                r["field"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("e-x", "rejected", "member"),
            ("e-y", "rejected", "at"),
            ("e-z", "rejected", "kind")
        ]
    );

    // Only the good event was stored.
    assert_eq!(store.count_events().await.unwrap(), 1);
    assert_eq!(message_count(&app, &viewer, "g1").await, Some(1));
    assert!(pull(&app).await.is_empty());
});

both_backends!(
    bad_input_gets_a_clear_error_and_stores_nothing,
    |store: Store| async move {
        let app = app(store.clone());
        let viewer = user_with_token(&store, "vera", Role::Viewer).await;
        let good = json!([message("e1", "u1", "m1", ENGLISH_SPAM)]);

        let answer = ingest_raw(&app, "[{").await;
        answer.error(StatusCode::BAD_REQUEST, "invalid_json");
        let answer = ingest_raw(&app, good[0].to_string()).await;
        let body = answer.error(StatusCode::BAD_REQUEST, "invalid_batch");
        assert!(
            body["message"].as_str().unwrap().contains("array"),
            "{body}"
        );
        let answer = ingest_raw(&app, "[]").await;
        answer.error(StatusCode::BAD_REQUEST, "invalid_batch");
        let answer = ingest_raw(&app, &b"[\"\xff\xfe\"]"[..]).await;
        answer.error(StatusCode::BAD_REQUEST, "invalid_utf8");

        let too_many: Vec<Value> = (0..101)
            .map(|i| message(&format!("e{i}"), "u1", &format!("m{i}"), "hello"))
            .collect();
        let answer = ingest(&app, &json!(too_many)).await;
        let body = answer.error(StatusCode::PAYLOAD_TOO_LARGE, "batch_too_large");
        assert!(body["message"].as_str().unwrap().contains("100"), "{body}");

        let huge = "a".repeat(MAX_BODY_BYTES);
        let answer = ingest(&app, &json!([message("e1", "u1", "m1", &huge)])).await;
        answer.error(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");

        // Per-event limits and missing or malformed fields.
        let long = ingest(
            &app,
            &json!([message(
                "e1",
                "u1",
                "m1",
                &"长".repeat(MAX_TEXT_BYTES / 3 + 1)
            )]),
        )
        .await;
        assert_eq!(
            long.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            long.text()
        );
        let result = &long.json()["results"][0];
        assert_eq!(result["status"], "rejected");
        assert_eq!(result["field"], "message.text");
        assert!(
            result["error"].as_str().unwrap().contains("4096"),
            "{result}"
        );
        let at_limit = "a".repeat(MAX_TEXT_BYTES);
        let mut missing_member = message("e2", "u1", "m2", "hi");
        missing_member.as_object_mut().unwrap().remove("member");
        let mut bad_at = message("e3", "u1", "m3", "hi");
        bad_at["at"] = json!("2026-13-45");
        let mut no_message = message("e4", "u1", "m4", "hi");
        no_message.as_object_mut().unwrap().remove("message");
        let mixed = ingest(
            &app,
            &json!([
                missing_member,
                bad_at,
                no_message,
                message("e5", "u1", "m5", &at_limit)
            ]),
        )
        .await;
        assert_eq!(mixed.status, StatusCode::OK, "{}", mixed.text());
        let results = mixed.json()["results"].as_array().unwrap().clone();
        let fields: Vec<&Value> = results.iter().map(|r| &r["field"]).collect();
        assert_eq!(
            fields,
            [
                &json!("member"),
                &json!("at"),
                &json!("message"),
                &Value::Null
            ]
        );
        assert_eq!(
            results[3]["status"], "accepted",
            "text at the limit is fine"
        );
        assert_eq!(store.count_events().await.unwrap(), 1);

        // Credentials.
        let before = store.count_events().await.unwrap();
        let wrong = call(
            &app,
            Method::POST,
            "/api/v1/ingest",
            &[("authorization", "Bearer nope")],
            good.to_string(),
        )
        .await;
        wrong.error(StatusCode::UNAUTHORIZED, "unauthorized");
        let missing = call(&app, Method::POST, "/api/v1/ingest", &[], good.to_string()).await;
        missing.error(StatusCode::UNAUTHORIZED, "unauthorized");
        let api_token = call(
            &app,
            Method::POST,
            "/api/v1/ingest",
            &[("authorization", &bearer(&viewer))],
            good.to_string(),
        )
        .await;
        api_token.error(StatusCode::UNAUTHORIZED, "unauthorized");
        assert_eq!(store.count_events().await.unwrap(), before);
        assert_eq!(message_count(&app, &viewer, "g1").await, Some(1));
        assert!(pull(&app).await.is_empty(), "no spam was taken in");

        // The ack endpoint checks its body too.
        let auth = bearer(INGEST_TOKEN);
        let ack = post_json(
            &app,
            "/api/v1/actions/ack",
            &[("authorization", &auth)],
            &json!({"cursors": "all"}),
        )
        .await;
        let body = ack.error(StatusCode::BAD_REQUEST, "invalid_json");
        assert_eq!(body["field"], "cursors");
        let limit = get(&app, "/api/v1/actions?limit=0", INGEST_TOKEN).await;
        let body = limit.error(StatusCode::BAD_REQUEST, "invalid_query");
        assert_eq!(body["field"], "limit");
    }
);

both_backends!(
    nul_characters_are_refused_per_event,
    |store: Store| async move {
        // PostgreSQL cannot store U+0000 in text; such an event must be refused
        // on its own, the same on both backends, never fail the whole batch.
        let app = app(store.clone());
        let mut in_name = message("e2", "u2", "m2", "hi");
        in_name["member"]["name"] = json!("Al\u{0}ice");
        let mut in_group = message("e3", "u3", "m3", "hi");
        in_group["group"] = json!({"id": "g\u{0}1", "title": "t"});
        let mut in_mention = message("e4", "u4", "m4", "hi");
        in_mention["message"]["mentions"] = json!([{"id": "u1"}, {"name": "x\u{0}"}]);
        let batch = json!([
            message("e1", "u1", "m1", "hello"),
            in_name,
            in_group,
            in_mention,
            message("e5", "u5", "m5", "a\u{0}b"),
        ]);
        let answer = ingest(&app, &batch).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        let results = answer.json()["results"].as_array().unwrap().clone();
        assert_eq!(results[0]["status"], "accepted");
        let refused: Vec<(&str, &str)> = results[1..]
            .iter()
            .map(|r| (r["status"].as_str().unwrap(), r["field"].as_str().unwrap()))
            .collect();
        assert_eq!(
            refused,
            [
                ("rejected", "member.name"),
                ("rejected", "group.id"),
                ("rejected", "message.mentions[1].name"),
                ("rejected", "message.text"),
            ]
        );
        assert!(
            results[1]["error"].as_str().unwrap().contains("NUL"),
            "{}",
            results[1]
        );
        assert_eq!(store.count_events().await.unwrap(), 1);
    }
);

both_backends!(numeric_ids_are_kept_exactly, |store: Store| async move {
    let app = app(store.clone());
    let viewer = user_with_token(&store, "vera", Role::Viewer).await;
    let body = format!(
        r#"[{{"id": 18446744073709551615, "group": {{"id": -1001234567890123, "title": "大群"}},
            "at": "2026-11-21T10:00:00+08:00", "kind": "message",
            "member": {{"id": 7000000000, "name": "Bob"}},
            "message": {{"id": 9007199254740993, "text": "{ENGLISH_SPAM}"}}}}]"#
    );
    let answer = ingest_raw(&app, body.clone()).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let result = &answer.json()["results"][0];
    assert_eq!(result["id"], "18446744073709551615");
    assert_eq!(result["status"], "accepted");
    assert_eq!(
        result["actions"][0],
        json!({"kind": "delete_message", "group": "-1001234567890123", "message": "9007199254740993"})
    );
    assert_eq!(result["actions"][1]["member"], "7000000000");

    let listed = groups(&app, &viewer).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], "-1001234567890123");
    assert_eq!(listed[0]["title"], "大群");
    let pulled = pull(&app).await;
    assert_eq!(pulled[0]["action"]["group"], "-1001234567890123");
    assert_eq!(
        pulled[0]["idempotency_key"],
        "http:-1001234567890123:18446744073709551615:0"
    );

    // The same ids written as strings are the same event.
    let as_strings = body
        .replace("18446744073709551615", "\"18446744073709551615\"")
        .replace("-1001234567890123", "\"-1001234567890123\"");
    let again = ingest_raw(&app, as_strings).await;
    assert_eq!(again.json()["results"][0]["status"], "duplicate");
    assert_eq!(groups(&app, &viewer).await.len(), 1);
});

both_backends!(roles_decide_who_sees_what, |store: Store| async move {
    let app = app(store.clone());
    let viewer = user_with_token(&store, "vera", Role::Viewer).await;
    let operator = user_with_token(&store, "olga", Role::Operator).await;
    let answer = ingest(&app, &json!([message("e1", "u1", "m1", "hello")])).await;
    assert_eq!(answer.status, StatusCode::OK);

    let anonymous = call(&app, Method::GET, "/api/v1/groups", &[], Body::empty()).await;
    anonymous.error(StatusCode::UNAUTHORIZED, "unauthorized");
    get(&app, "/api/v1/groups", "stw_unknown")
        .await
        .error(StatusCode::UNAUTHORIZED, "unauthorized");
    get(&app, "/api/v1/groups", INGEST_TOKEN)
        .await
        .error(StatusCode::UNAUTHORIZED, "unauthorized");

    let listed = groups(&app, &viewer).await;
    assert_eq!(listed.len(), 1);
    let group = &listed[0];
    assert_eq!(group["id"], "g1");
    assert_eq!(group["platform"], "http");
    assert_eq!(group["title"], "Rust 学习群");
    assert_eq!(group["message_count"], 1);
    assert!(group["internal_id"].is_i64(), "{group}");

    let body = get(&app, "/api/v1/audit", &viewer)
        .await
        .error(StatusCode::FORBIDDEN, "forbidden");
    assert!(
        body["message"].as_str().unwrap().contains("view_audit"),
        "{body}"
    );
    let audit = get(&app, "/api/v1/audit", &operator).await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.text());
    assert!(audit.json()["entries"].is_array());

    get(&app, "/api/v1/actions?after=0", &viewer)
        .await
        .error(StatusCode::FORBIDDEN, "forbidden");
    let pulled = get(&app, "/api/v1/actions?after=0", &operator).await;
    assert_eq!(pulled.status, StatusCode::OK, "{}", pulled.text());
    assert_eq!(pulled.json()["actions"], json!([]));
    let ack = post_json(
        &app,
        "/api/v1/actions/ack",
        &[("authorization", &bearer(&viewer))],
        &json!({"cursors": [1]}),
    )
    .await;
    ack.error(StatusCode::FORBIDDEN, "forbidden");

    let me = get(&app, "/api/v1/me", &operator).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["name"], "olga");
    assert_eq!(me.json()["role"], "operator");
});

both_backends!(ingest_is_off_without_a_token, |store: Store| async move {
    let app = app_with(
        store.clone(),
        WebSettings {
            ingest_token: Secret::new(""),
            ..settings()
        },
    );
    let body = json!([message("e1", "u1", "m1", "hello")]).to_string();
    for auth in ["Bearer ", "Bearer itok"] {
        let answer = call(
            &app,
            Method::POST,
            "/api/v1/ingest",
            &[("authorization", auth)],
            body.clone(),
        )
        .await;
        answer.error(StatusCode::FORBIDDEN, "forbidden");
        // An empty ingest token must not open the pull API either.
        let pulled = call(
            &app,
            Method::GET,
            "/api/v1/actions",
            &[("authorization", auth)],
            Body::empty(),
        )
        .await;
        pulled.error(StatusCode::UNAUTHORIZED, "unauthorized");
    }
    assert_eq!(store.count_events().await.unwrap(), 0);
});

both_backends!(setup_login_and_logout, |store: Store| async move {
    let app = app(store.clone());
    let now = Utc::now();
    store
        .insert_setup_token(&hash_secret("setup-secret"), now, now + Duration::hours(1))
        .await
        .unwrap();
    let setup =
        |password: &str| json!({"token": "setup-secret", "name": "owen", "password": password});

    let short = post_json(&app, "/api/v1/setup", &[], &setup("short")).await;
    let body = short.error(StatusCode::BAD_REQUEST, "weak_password");
    assert_eq!(body["field"], "password");

    let wrong = post_json(
        &app,
        "/api/v1/setup",
        &[],
        &json!({"token": "guess", "name": "mallory", "password": "long enough password"}),
    )
    .await;
    assert_eq!(
        wrong.error(StatusCode::FORBIDDEN, "forbidden")["field"],
        "token"
    );

    let done = post_json(&app, "/api/v1/setup", &[], &setup("correct horse battery")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let cookie = done.header(header::SET_COOKIE).to_owned();
    assert!(cookie.starts_with("steward_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
    let body = done.json();
    assert_eq!(body["user"]["name"], "owen");
    assert_eq!(body["user"]["role"], "owner");
    let csrf = body["csrf_token"].as_str().unwrap().to_owned();
    assert!(!csrf.is_empty());
    let session = cookie.split(';').next().unwrap().to_owned();

    let reused = post_json(&app, "/api/v1/setup", &[], &setup("another good password")).await;
    reused.error(StatusCode::FORBIDDEN, "forbidden");

    let me = call(
        &app,
        Method::GET,
        "/api/v1/me",
        &[("cookie", &session)],
        Body::empty(),
    )
    .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    assert_eq!(me.json()["name"], "owen");
    assert_eq!(me.json()["role"], "owner");
    let audit = call(
        &app,
        Method::GET,
        "/api/v1/audit?action=setup_completed",
        &[("cookie", &session)],
        Body::empty(),
    )
    .await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.text());
    assert_eq!(audit.json()["entries"][0]["actor"], "user:owen");

    let no_csrf = call(
        &app,
        Method::POST,
        "/api/v1/logout",
        &[("cookie", &session)],
        Body::empty(),
    )
    .await;
    assert_eq!(
        no_csrf.error(StatusCode::FORBIDDEN, "forbidden")["field"],
        "x-csrf-token"
    );
    let bad_csrf = call(
        &app,
        Method::POST,
        "/api/v1/logout",
        &[("cookie", &session), ("x-csrf-token", "csrf_wrong")],
        Body::empty(),
    )
    .await;
    bad_csrf.error(StatusCode::FORBIDDEN, "forbidden");
    let still = call(
        &app,
        Method::GET,
        "/api/v1/me",
        &[("cookie", &session)],
        Body::empty(),
    )
    .await;
    assert_eq!(
        still.status,
        StatusCode::OK,
        "a refused logout keeps the session"
    );

    let out = call(
        &app,
        Method::POST,
        "/api/v1/logout",
        &[("cookie", &session), ("x-csrf-token", &csrf)],
        Body::empty(),
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{}", out.text());
    let expired = out.header(header::SET_COOKIE);
    assert!(expired.starts_with("steward_session=;"), "{expired}");
    assert!(expired.contains("Max-Age=0"), "{expired}");
    let gone = call(
        &app,
        Method::GET,
        "/api/v1/me",
        &[("cookie", &session)],
        Body::empty(),
    )
    .await;
    gone.error(StatusCode::UNAUTHORIZED, "unauthorized");

    let bad_login = post_json(
        &app,
        "/api/v1/login",
        &[],
        &json!({"name": "owen", "password": "wrong password!!"}),
    )
    .await;
    bad_login.error(StatusCode::UNAUTHORIZED, "unauthorized");
    let nobody = post_json(
        &app,
        "/api/v1/login",
        &[],
        &json!({"name": "nobody", "password": "correct horse battery"}),
    )
    .await;
    nobody.error(StatusCode::UNAUTHORIZED, "unauthorized");
    let login = post_json(
        &app,
        "/api/v1/login",
        &[],
        &json!({"name": "owen", "password": "correct horse battery"}),
    )
    .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.text());
    let cookie = login.header(header::SET_COOKIE).to_owned();
    assert!(cookie.starts_with("steward_session="), "{cookie}");
    assert_ne!(
        cookie.split(';').next().unwrap(),
        session,
        "a fresh session"
    );
    assert_eq!(login.json()["user"]["role"], "owner");
    let me = call(
        &app,
        Method::GET,
        "/api/v1/me",
        &[("cookie", cookie.split(';').next().unwrap())],
        Body::empty(),
    )
    .await;
    assert_eq!(me.status, StatusCode::OK);

    // Behind HTTPS the cookie is also Secure.
    let https = app_with(
        store.clone(),
        WebSettings {
            secure_cookies: true,
            ..settings()
        },
    );
    let login = post_json(
        &https,
        "/api/v1/login",
        &[],
        &json!({"name": "owen", "password": "correct horse battery"}),
    )
    .await;
    assert_eq!(login.status, StatusCode::OK);
    let https_cookie = login.header(header::SET_COOKIE).to_owned();
    assert!(https_cookie.contains("; Secure"), "{https_cookie}");
    let https_csrf = login.json()["csrf_token"].as_str().unwrap().to_owned();

    let bad_json = call(
        &app,
        Method::POST,
        "/api/v1/login",
        &[("content-type", "application/json")],
        "{\"name\": 1}",
    )
    .await;
    bad_json.error(StatusCode::BAD_REQUEST, "invalid_json");

    // A user made for API tokens only has no password to sign in with.
    let _ = user_with_token(&store, "bot", Role::Admin).await;
    let tokenless = post_json(
        &app,
        "/api/v1/login",
        &[],
        &json!({"name": "bot", "password": ""}),
    )
    .await;
    tokenless.error(StatusCode::UNAUTHORIZED, "unauthorized");

    // Signing out everywhere ends every session of the user.
    let first = cookie.split(';').next().unwrap().to_owned();
    let second = https_cookie.split(';').next().unwrap().to_owned();
    let everywhere = call(
        &app,
        Method::POST,
        "/api/v1/logout/all",
        &[("cookie", &first), ("x-csrf-token", &https_csrf)],
        Body::empty(),
    )
    .await;
    everywhere.error(StatusCode::FORBIDDEN, "forbidden");
    let everywhere = call(
        &app,
        Method::POST,
        "/api/v1/logout/all",
        &[("cookie", &second), ("x-csrf-token", &https_csrf)],
        Body::empty(),
    )
    .await;
    assert_eq!(
        everywhere.status,
        StatusCode::NO_CONTENT,
        "{}",
        everywhere.text()
    );
    for session in [first, second] {
        let gone = call(
            &app,
            Method::GET,
            "/api/v1/me",
            &[("cookie", &session)],
            Body::empty(),
        )
        .await;
        gone.error(StatusCode::UNAUTHORIZED, "unauthorized");
    }
});

both_backends!(health_metrics_and_openapi, |store: Store| async move {
    assert!(
        steward_web::install_metrics().is_some(),
        "no other recorder in this test binary"
    );
    let app = app(store.clone());

    let health = call(&app, Method::GET, "/healthz", &[], Body::empty()).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json(), json!({"status": "ok"}));
    let ready = call(&app, Method::GET, "/readyz", &[], Body::empty()).await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(
        ready.json(),
        json!({"status": "ready", "pending_actions": 0})
    );

    let answer = ingest(&app, &json!([message("e1", "u1", "m1", ENGLISH_SPAM)])).await;
    assert_eq!(answer.status, StatusCode::OK);
    let ready = call(&app, Method::GET, "/readyz", &[], Body::empty()).await;
    assert_eq!(ready.json()["pending_actions"], 2);

    let metrics = call(&app, Method::GET, "/metrics", &[], Body::empty()).await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(
        metrics
            .header(header::CONTENT_TYPE)
            .starts_with("text/plain")
    );
    let text = metrics.text();
    let accepted = text
        .lines()
        .find_map(|l| l.strip_prefix("steward_events_accepted_total "))
        .unwrap_or_else(|| panic!("no steward_events_accepted_total in:\n{text}"));
    assert!(accepted.trim().parse::<f64>().unwrap() >= 1.0, "{accepted}");
    assert!(text.contains("steward_outbox_pending"), "{text}");

    let served = call(
        &app,
        Method::GET,
        "/api/v1/openapi.json",
        &[],
        Body::empty(),
    )
    .await;
    assert_eq!(served.status, StatusCode::OK);
    let document = served.json();
    let paths: BTreeSet<String> = document["paths"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    for path in [
        "/api/v1/ingest",
        "/api/v1/actions",
        "/api/v1/actions/ack",
        "/api/v1/groups",
        "/api/v1/audit",
        "/api/v1/setup",
        "/api/v1/login",
        "/healthz",
    ] {
        assert!(paths.contains(path), "{path} missing from {paths:?}");
    }
    assert!(
        document["components"]["schemas"].get("WireEvent").is_some(),
        "{}",
        document["components"]["schemas"]
    );
    assert!(
        document["components"]["securitySchemes"]
            .get("ingest_token")
            .is_some()
    );
    let built = serde_json::to_value(steward_web::openapi()).unwrap();
    let built_paths: BTreeSet<String> = built["paths"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(built_paths, paths);

    // The page the setup link opens.
    let page = call(&app, Method::GET, "/setup?token=x", &[], Body::empty()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header(header::CONTENT_TYPE).starts_with("text/html"));
    assert_eq!(page.header(header::CACHE_CONTROL), "no-store");
    assert_eq!(page.header(header::REFERRER_POLICY), "no-referrer");
    assert!(page.text().contains(r#"action="/setup""#));

    // Every documented path is actually routed (none answers 404).
    for path in &paths {
        let answer = call(&app, Method::GET, path, &[], Body::empty()).await;
        assert_ne!(answer.status, StatusCode::NOT_FOUND, "{path}");
    }
});
