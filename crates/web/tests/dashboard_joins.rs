//! The join requests page: the queue of applicants waiting for an admin,
//! approving and declining with a reason (through the outbox and the audit
//! log), the role checks, and a group's screening settings, on both
//! backends.

mod support;

use axum::Router;
use axum::http::StatusCode;
use chrono::Utc;
use serde_json::{Value, json};
use steward_core::settings::{ChatSettings, RaidResponse};
use steward_core::{Platform, Role};
use steward_storage::audit::AuditFilter;
use steward_storage::{Store, both_backends};
use support::*;

/// A join request in the wire format.
fn join_request(id: &str, member: &str, name: &str, comment: &str) -> Value {
    json!({
        "id": id,
        "platform": "http",
        "group": {"id": "g1", "title": "Group g1"},
        "at": Utc::now().to_rfc3339(),
        "kind": "join_request",
        "member": {"id": member, "name": name},
        "request": {"answer": comment}
    })
}

async fn group_id(store: &Store) -> i64 {
    store
        .find_group(Platform::Http, "g1")
        .await
        .unwrap()
        .expect("the group exists")
        .id
        .0
}

async fn audit_of(store: &Store, action: &str, target: &str) -> Vec<(String, Option<String>)> {
    store
        .list_audit(&AuditFilter {
            limit: 1000,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.action == action && a.target.as_deref() == Some(target))
        .map(|a| (a.actor, a.reason))
        .collect()
}

async fn settings_of(store: &Store, group: i64) -> ChatSettings {
    let json = store
        .group_settings_json(steward_core::GroupId(group))
        .await
        .unwrap()
        .unwrap_or_default();
    serde_json::from_str(&json).unwrap()
}

async fn setup(store: &Store) -> (Router, i64) {
    let app = app(store.clone());
    ingest(&app, &json!([message("m1", "g1", "u1", "Ann", "hello")])).await;
    let group = group_id(store).await;
    (app, group)
}

both_backends!(
    admins_approve_and_decline_requests_from_the_queue,
    |store: Store| async move {
        let (app, group) = setup(&store).await;
        let admin = sign_in(&store, "ann", Role::Admin).await;
        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        // Every request waits for an admin.
        let saved = post_form(
            &app,
            &format!("/joins/settings/{group}"),
            &admin,
            &[
                ("captcha", "off"),
                ("manual_approval", "on"),
                ("raid", "mute_newcomers"),
                ("raid_minutes", "15"),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        let chat = settings_of(&store, group).await;
        assert!(chat.manual_approval);
        assert_eq!(chat.raid_response(), RaidResponse::MuteNewcomers);
        assert_eq!(chat.raid.unwrap().minutes(), 15);
        ingest(
            &app,
            &json!([
                join_request("r1", "u9", "Nina", "I write Rust <b>daily</b>"),
                join_request("r2", "u10", "Spam King", "cheap followers"),
            ]),
        )
        .await;
        // The queue shows who, what they wrote, escaped.
        let page = get(&app, "/joins", Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("Nina") && html.contains("Spam King"));
        assert!(html.contains("I write Rust &lt;b&gt;daily&lt;/b&gt;"));
        assert!(html.contains("Waiting for an admin"));
        let queue = store.screening_queue(None, 10).await.unwrap();
        assert_eq!(queue.len(), 2);
        let nina = queue
            .iter()
            .find(|q| q.member_platform_id == "u9")
            .unwrap()
            .id;
        let spam = queue
            .iter()
            .find(|q| q.member_platform_id == "u10")
            .unwrap()
            .id;
        // A viewer may look at nothing here, let alone decide.
        assert_eq!(
            get(&app, "/joins", Some(&viewer)).await.status,
            StatusCode::FORBIDDEN
        );
        let refused = post_form(
            &app,
            &format!("/joins/{nina}/decide"),
            &viewer,
            &[("decision", "approve")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(audit_of(&store, "approve_join", "u9").await.is_empty());
        // Without the CSRF field nothing happens.
        let forged = post_form_raw(
            &app,
            &format!("/joins/{nina}/decide"),
            Some(&admin),
            &[("decision", "approve")],
        )
        .await;
        assert_ne!(forged.status, StatusCode::SEE_OTHER);
        // The admin decides, with reasons in the audit log.
        let approved = post_form(
            &app,
            &format!("/joins/{nina}/decide"),
            &admin,
            &[("decision", "approve"), ("reason", "known contributor")],
        )
        .await;
        assert_eq!(approved.status, StatusCode::SEE_OTHER);
        assert_eq!(approved.location(), "/joins?notice=notice-join-approved");
        assert_eq!(
            audit_of(&store, "approve_join", "u9").await,
            vec![(
                "user:ann".to_owned(),
                Some("decided by ann: known contributor".to_owned())
            )]
        );
        let declined = post_form(
            &app,
            &format!("/joins/{spam}/decide"),
            &admin,
            &[("decision", "decline"), ("reason", "selling followers")],
        )
        .await;
        assert_eq!(declined.location(), "/joins?notice=notice-join-declined");
        assert_eq!(
            audit_of(&store, "decline_join", "u10").await,
            vec![(
                "user:ann".to_owned(),
                Some("decided by ann: selling followers".to_owned())
            )]
        );
        // The platform is told through the outbox, the applicant in private.
        let kinds: Vec<String> = store
            .pending_actions_after(Platform::Http, 0, 100)
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.action.action.kind().as_str().to_owned())
            .collect();
        for kind in ["approve_join", "decline_join", "direct_message"] {
            assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
        }
        // Twice is once.
        let again = post_form(
            &app,
            &format!("/joins/{nina}/decide"),
            &admin,
            &[("decision", "decline")],
        )
        .await;
        assert_eq!(again.location(), "/joins?notice=notice-join-already");
        assert_eq!(audit_of(&store, "decline_join", "u9").await.len(), 0);
        assert!(store.screening_queue(None, 10).await.unwrap().is_empty());
        let missing = post_form(
            &app,
            "/joins/99999/decide",
            &admin,
            &[("decision", "approve")],
        )
        .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
);

both_backends!(
    operators_decide_but_only_admins_change_the_settings,
    |store: Store| async move {
        let (app, group) = setup(&store).await;
        let operator = sign_in(&store, "otto", Role::Operator).await;
        let page = get(&app, &format!("/joins?group={group}"), Some(&operator)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("Only admins and the owner"));
        let refused = post_form(
            &app,
            &format!("/joins/settings/{group}"),
            &operator,
            &[("captcha", "emoji"), ("raid", "off")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(settings_of(&store, group).await, ChatSettings::default());
        let admin = sign_in(&store, "ann", Role::Admin).await;
        let bad = post_form(
            &app,
            &format!("/joins/settings/{group}"),
            &admin,
            &[
                ("captcha", "emoji"),
                ("captcha_minutes", "999"),
                ("raid", "off"),
            ],
        )
        .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        // With no check at all a request still waits for an admin.
        ingest(&app, &json!([join_request("r3", "u11", "Olga", "hi")])).await;
        let queue = store.screening_queue(None, 10).await.unwrap();
        assert_eq!(queue.len(), 1);
        let decided = post_form(
            &app,
            &format!("/joins/{}/decide", queue[0].id),
            &operator,
            &[("decision", "approve")],
        )
        .await;
        assert_eq!(decided.location(), "/joins?notice=notice-join-approved");
        // No raid mode to end.
        let end = post_form(&app, &format!("/joins/raid/{group}/end"), &operator, &[]).await;
        assert_eq!(end.location(), "/joins?notice=notice-raid-not-on");
    }
);
