//! The rules API (read, replace, versions, test) and the review queue
//! (escalations, decisions that reverse, appeals), on both backends.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chrono::Utc;
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

fn default_pipeline(store: Store) -> Pipeline {
    Pipeline::new(store, RuleSet::default_rules(), Ladder::default(), Lang::En).unwrap()
}

fn app(store: Store) -> Router {
    app_for(default_pipeline(store))
}

fn app_for(pipeline: Pipeline) -> Router {
    steward_web::router(AppState::new(
        pipeline,
        WebSettings {
            ingest_token: Secret::new("itok"),
            max_batch: 100,
            max_text_bytes: 4096,
            max_body_bytes: 1 << 20,
            secure_cookies: false,
        },
    ))
}

async fn token(store: &Store, name: &str, role: Role) -> String {
    let token = format!("stw_{name}");
    let mut tx = store.begin().await.unwrap();
    let id = tx
        .insert_user(name, role, None, Utc::now())
        .await
        .unwrap()
        .unwrap();
    tx.insert_token(id, &hash_secret(&token), "t", Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    token
}

async fn call(
    app: &Router,
    method: Method,
    uri: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn message(id: &str, member: &str, text: &str) -> Value {
    json!({"id": id, "group": {"id": "g1"}, "at": Utc::now().to_rfc3339(), "kind": "message",
           "member": {"id": member, "name": member}, "message": {"id": format!("m-{id}"), "text": text}})
}

async fn ingest(app: &Router, events: Value) -> Value {
    let (status, body) = call(app, Method::POST, "/api/v1/ingest", "itok", Some(events)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn kinds(result: &Value) -> Vec<String> {
    result["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap().to_owned())
        .collect()
}

both_backends!(
    rules_are_replaced_validated_versioned_and_audited,
    |store: Store| async move {
        let app = app(store.clone());
        let admin = token(&store, "admin", Role::Admin).await;
        let operator = token(&store, "op", Role::Operator).await;

        let (status, body) = call(&app, Method::GET, "/api/v1/rules", &operator, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["version"], 0);
        assert!(
            body["rules"]["rules"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["id"] == "ads-zh")
        );

        let bad = json!({"rules": {"rules": [{"id": "broken", "description": "d", "type": "pattern", "regex": "(x"}]}});
        let (status, body) = call(&app, Method::PUT, "/api/v1/rules", &admin, Some(bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["field"], "rules.broken");
        assert!(body["message"].as_str().unwrap().contains("rule `broken`"));

        let new_rules = json!({"rules": {"rules": [
        {"id": "no-pizza", "description": "no pizza talk", "severity": "low", "type": "keywords", "words": ["pizza"]}
    ]}, "comment": "pizza week"});
        let (status, _) = call(
            &app,
            Method::PUT,
            "/api/v1/rules",
            &operator,
            Some(new_rules.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "operators do not edit rules");
        let (status, body) =
            call(&app, Method::PUT, "/api/v1/rules", &admin, Some(new_rules)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["version"], 1);

        // The new rules are in effect at once; the old ones are gone.
        let result = ingest(&app, json!([message("e1", "u1", "who wants pizza?")])).await;
        assert_eq!(kinds(&result["results"][0]), ["delete_message", "warn"]);
        let result = ingest(&app, json!([message("e2", "u2", "兼职刷单日结300")])).await;
        assert!(kinds(&result["results"][0]).is_empty());

        let (_, verdict) = call(
            &app,
            Method::POST,
            "/api/v1/rules/test",
            &operator,
            Some(json!({"text": "PIZZA!"})),
        )
        .await;
        assert_eq!(verdict["verdict"], "violation");
        assert_eq!(verdict["hits"][0]["rule"], "no-pizza");
        assert_eq!(
            verdict["hits"][0]["evidence"][0],
            json!({"start": 0, "end": 5})
        );

        let (_, history) = call(&app, Method::GET, "/api/v1/rules/history", &operator, None).await;
        assert_eq!(history[0]["version"], 1);
        assert_eq!(history[0]["created_by"], "user:admin");
        assert_eq!(history[0]["comment"], "pizza week");
        let (_, audit) = call(
            &app,
            Method::GET,
            "/api/v1/audit?action=rules_changed",
            &admin,
            None,
        )
        .await;
        assert_eq!(audit["entries"].as_array().unwrap().len(), 1);
    }
);

both_backends!(
    serious_cases_are_escalated_and_a_dismissal_reverses_them,
    |store: Store| async move {
        let app = app(store.clone());
        let admin = token(&store, "admin", Role::Admin).await;
        let operator = token(&store, "op", Role::Operator).await;

        // Fraud goes straight to a ban, and up to the admins.
        let result = ingest(
            &app,
            json!([message("e1", "u1", "send 1 btc to recover your wallet")]),
        )
        .await;
        assert_eq!(
            kinds(&result["results"][0]),
            ["delete_message", "ban", "warn"]
        );
        let (status, cases) = call(&app, Method::GET, "/api/v1/cases", &operator, None).await;
        assert_eq!(status, StatusCode::OK);
        let case = &cases[0];
        assert_eq!(
            (case["kind"].as_str(), case["status"].as_str()),
            (Some("escalation"), Some("open"))
        );
        assert_eq!(case["rule"], "scam");
        assert_eq!(
            case["evidence"]["text"],
            "send 1 btc to recover your wallet"
        );
        let id = case["id"].as_i64().unwrap();

        let uri = format!("/api/v1/cases/{id}/decision");
        let dismiss = json!({"decision": "dismiss", "reason": "a joke among friends"});
        let (status, _) = call(&app, Method::POST, &uri, &operator, Some(dismiss.clone())).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "operators escalate; admins decide"
        );
        let (status, body) = call(&app, Method::POST, &uri, &admin, Some(dismiss.clone())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "dismissed");
        assert_eq!(
            body["actions"],
            json!([{"kind": "unban", "group": "g1", "member": "u1"}])
        );
        let (status, _) = call(&app, Method::POST, &uri, &admin, Some(dismiss)).await;
        assert_eq!(status, StatusCode::CONFLICT);

        // The unban is queued for the platform and audited with the reason.
        let (_, pulled) = call(&app, Method::GET, "/api/v1/actions?after=0", "itok", None).await;
        assert!(
            pulled["actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["action"]["kind"] == "unban")
        );
        let (_, audit) = call(
            &app,
            Method::GET,
            "/api/v1/audit?action=unban",
            &admin,
            None,
        )
        .await;
        assert_eq!(audit["entries"][0]["actor"], "user:admin");
        assert!(
            audit["entries"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("a joke among friends")
        );
        // The dismissed violation no longer counts: the next offence is a first one.
        let result = ingest(
            &app,
            json!([message("e2", "u1", "crypto airdrop, claim now")]),
        )
        .await;
        assert_eq!(kinds(&result["results"][0]), ["delete_message", "warn"]);

        let (status, body) = call(
            &app,
            Method::POST,
            "/api/v1/cases/999/decision",
            &admin,
            Some(json!({"decision": "confirm"})),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = call(
            &app,
            Method::POST,
            &uri,
            &admin,
            Some(json!({"decision": "maybe"})),
        )
        .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("decision"))
        );
    }
);

both_backends!(appeals_land_in_the_queue, |store: Store| async move {
    let app = app(store.clone());
    let admin = token(&store, "admin", Role::Admin).await;
    ingest(&app, json!([message("e1", "u1", "hello")])).await;
    let appeal = json!({"group": "g1", "member": "u1", "text": "I was muted by mistake"});
    let (status, body) = call(&app, Method::POST, "/api/v1/appeals", "itok", Some(appeal)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, cases) = call(&app, Method::GET, "/api/v1/cases", &admin, None).await;
    assert_eq!(cases[0]["kind"], "appeal");
    assert_eq!(cases[0]["note"], "I was muted by mistake");
    let unknown = json!({"group": "nope", "member": "u1", "text": "x"});
    let (status, body) = call(&app, Method::POST, "/api/v1/appeals", "itok", Some(unknown)).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::NOT_FOUND, Some("group"))
    );
    let (status, body) = call(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{}/decision", cases[0]["id"]),
        &admin,
        Some(json!({"decision": "change", "penalty": {"type": "mute", "minutes": 5}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["actions"][0]["kind"], "mute");
});

both_backends!(
    backtests_run_with_progress_and_report,
    |store: Store| async move {
        let app = app(store.clone());
        let admin = token(&store, "admin", Role::Admin).await;
        ingest(
            &app,
            json!([
                message("e1", "u1", "who wants pizza?"),
                message("e2", "u2", "pizza pizza"),
                message("e3", "u3", "crypto airdrop, claim now"),
                message("e4", "u4", "good morning"),
            ]),
        )
        .await;
        let (_, groups) = call(&app, Method::GET, "/api/v1/groups", &admin, None).await;
        let group = groups["groups"][0]["internal_id"].as_i64().unwrap();
        let rules = json!({"rules": [
            {"id": "no-pizza", "description": "no pizza", "severity": "low", "type": "keywords", "words": ["pizza"]}
        ]});
        let request = json!({"group": group, "since": "2000-01-01T00:00:00Z", "rules": rules});
        let (status, job) = call(
            &app,
            Method::POST,
            "/api/v1/backtests",
            &admin,
            Some(request),
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{job}");
        assert_eq!(job["total_events"], 4);
        let uri = format!("/api/v1/backtests/{}", job["id"]);
        let report = loop {
            let (_, job) = call(&app, Method::GET, &uri, &admin, None).await;
            if job["status"] == "done" {
                break job["report"].clone();
            }
            assert_eq!(job["status"], "running", "{job}");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        assert_eq!(report["messages"], 4);
        assert_eq!(report["violations"], 2, "{report}");
        assert_eq!(report["by_rule"], json!({"no-pizza": 2}));
        assert_eq!(report["by_action"]["delete_message"], 2);
        assert_eq!(report["samples"]["no-pizza"][0]["text"], "who wants pizza?");
        // Nothing was written: the live outbox still has only the airdrop's actions.
        let (_, pulled) = call(&app, Method::GET, "/api/v1/actions?after=0", "itok", None).await;
        assert_eq!(pulled["actions"].as_array().unwrap().len(), 2);
        let (status, _) = call(&app, Method::GET, "/api/v1/backtests/999", &admin, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
);

both_backends!(
    the_classifier_learns_from_admins_and_is_stored,
    |store: Store| async move {
        let pipeline = default_pipeline(store.clone());
        pipeline
            .set_model(steward_classifier::Model::starter().unwrap())
            .await;
        let app = app_for(pipeline);
        let operator = token(&store, "op", Role::Operator).await;
        let viewer = token(&store, "viewer", Role::Viewer).await;
        let text = "Visit our garden club meeting, bring seeds and cakes for everybody";
        let feedback = json!({"text": text, "label": "spam"});
        let (status, _) = call(
            &app,
            Method::POST,
            "/api/v1/classifier/feedback",
            &viewer,
            Some(feedback.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let mut scores = Vec::new();
        let mut last = 0.0;
        for _ in 0..3 {
            let (status, body) = call(
                &app,
                Method::POST,
                "/api/v1/classifier/feedback",
                &operator,
                Some(feedback.clone()),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let p = body["spam_probability"].as_f64().unwrap();
            assert!(
                p >= last,
                "learning spam raises the score: {p} after {last}"
            );
            last = p;
            scores.push(p);
        }
        assert!(scores[2] > scores[0], "{scores:?}");
        // A lightly edited copy is now a near-duplicate of known spam, caught by the engine.
        let result = ingest(
            &app,
            json!([message(
                "e1",
                "u1",
                "Visit our garden club meeting, bring seeds and cakes for everybody!"
            )]),
        )
        .await;
        assert!(
            kinds(&result["results"][0]).contains(&"delete_message".to_owned()),
            "{result}"
        );
        let stored = store
            .load_model("spam")
            .await
            .unwrap()
            .expect("the model is stored");
        assert!(steward_classifier::Model::from_bytes(&stored).is_ok());
        let (status, body) = call(
            &app,
            Method::POST,
            "/api/v1/classifier/feedback",
            &operator,
            Some(json!({"text": "x", "label": "maybe"})),
        )
        .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("label"))
        );
    }
);

both_backends!(
    the_groups_own_admins_are_spared,
    |store: Store| async move {
        let app = app(store.clone());
        let mut admin_spam = message("e1", "boss", "crypto airdrop, claim now");
        admin_spam["member"]["role"] = json!("admin");
        let result = ingest(&app, json!([admin_spam])).await;
        assert!(kinds(&result["results"][0]).is_empty(), "{result}");
        // The role is remembered: the same admin without a role in the event is still spared.
        let result = ingest(
            &app,
            json!([message("e2", "boss", "crypto airdrop, claim now")]),
        )
        .await;
        assert!(kinds(&result["results"][0]).is_empty(), "{result}");
        // Demoted, they are judged like everyone.
        let mut demoted = message("e3", "boss", "crypto airdrop, claim now");
        demoted["member"]["role"] = json!("member");
        let result = ingest(&app, json!([demoted])).await;
        assert_eq!(kinds(&result["results"][0]), ["delete_message", "warn"]);
        let mut bad = message("e4", "x", "hi");
        bad["member"]["role"] = json!("boss");
        let (status, body) = call(
            &app,
            Method::POST,
            "/api/v1/ingest",
            "itok",
            Some(json!([bad])),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["results"][0]["field"], "member.role");
    }
);

both_backends!(
    stewards_own_bot_is_never_checked,
    |store: Store| async move {
        let pipeline = default_pipeline(store.clone());
        pipeline.add_own_account(steward_core::Platform::Http, "steward-bot");
        let app = app_for(pipeline);
        let notice = message(
            "e1",
            "steward-bot",
            "Reminder: no crypto airdrop posts, no t.me/+invites",
        );
        let result = ingest(&app, json!([notice])).await;
        assert!(kinds(&result["results"][0]).is_empty(), "{result}");
        let result = ingest(
            &app,
            json!([message("e2", "u1", "crypto airdrop, claim now")]),
        )
        .await;
        assert_eq!(kinds(&result["results"][0]), ["delete_message", "warn"]);
    }
);
