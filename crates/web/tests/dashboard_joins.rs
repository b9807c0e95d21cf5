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

/// A join request to `group` at `at`, in the wire format.
fn request_at(id: &str, group: &str, member: &str, at: chrono::DateTime<Utc>) -> Value {
    json!({
        "id": id,
        "platform": "http",
        "group": {"id": group, "title": format!("Group {group}")},
        "at": at.to_rfc3339(),
        "kind": "join_request",
        "member": {"id": member, "name": member},
    })
}

/// A private message from `member`.
fn private(id: &str, member: &str, text: &str) -> Value {
    json!({
        "id": id,
        "platform": "http",
        "group": {"id": member},
        "at": Utc::now().to_rfc3339(),
        "kind": "direct_message",
        "member": {"id": member, "name": member},
        "message": {"id": id, "text": text}
    })
}

async fn pending_in(store: &Store, group: i64, member: &str) -> bool {
    store
        .screening_queue(Some(steward_core::GroupId(group)), 100)
        .await
        .unwrap()
        .iter()
        .any(|q| q.member_platform_id == member)
}

/// The private messages queued for `member`.
async fn told(store: &Store, member: &str) -> Vec<String> {
    store
        .pending_actions_after(Platform::Http, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|row| match row.action.action {
            steward_core::Action::DirectMessage { member: m, text } if m == member => Some(text),
            _ => None,
        })
        .collect()
}

both_backends!(
    only_the_last_prompt_takes_an_answer_and_commands_are_no_answer,
    |store: Store| async move {
        let app = app(store.clone());
        ingest(
            &app,
            &json!([
                message("m1", "g1", "u1", "Ann", "hello"),
                message("m2", "g2", "u1", "Ann", "hello")
            ]),
        )
        .await;
        let g1 = group_id(&store).await;
        let g2 = store
            .find_group(Platform::Http, "g2")
            .await
            .unwrap()
            .unwrap()
            .id
            .0;
        let admin = sign_in(&store, "ann", Role::Admin).await;
        for (group, answers) in [(g1, "汽车"), (g2, "four")] {
            let saved = post_form(
                &app,
                &format!("/groups/{group}"),
                &admin,
                &[
                    ("language", "en"),
                    ("question", "What is it?"),
                    ("answers", answers),
                ],
            )
            .await;
            assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        }
        let first = Utc::now() - chrono::Duration::seconds(30);
        ingest(
            &app,
            &json!([
                request_at("r1", "g1", "u5", first),
                request_at("r2", "g2", "u5", first + chrono::Duration::seconds(10)),
            ]),
        )
        .await;
        // A command and an empty message are no answers: a hint, no decision.
        ingest(
            &app,
            &json!([private("d1", "u5", "/start"), private("d2", "u5", "")]),
        )
        .await;
        let hints = told(&store, "u5").await;
        assert_eq!(
            hints
                .iter()
                .filter(|t| t.contains("answer the question above"))
                .count(),
            2,
            "{hints:?}"
        );
        assert!(pending_in(&store, g1, "u5").await && pending_in(&store, g2, "u5").await);
        // The answer goes to the question asked last (g2's) only.
        ingest(&app, &json!([private("d3", "u5", "four")])).await;
        assert!(!pending_in(&store, g2, "u5").await);
        assert!(pending_in(&store, g1, "u5").await);
        assert_eq!(audit_of(&store, "approve_join", "u5").await.len(), 1);
        assert!(audit_of(&store, "decline_join", "u5").await.is_empty());
        // Then g1's, where traditional characters fold to simplified ones.
        ingest(&app, &json!([private("d4", "u5", "汽車")])).await;
        assert!(!pending_in(&store, g1, "u5").await);
        assert_eq!(audit_of(&store, "approve_join", "u5").await.len(), 2);
        assert!(audit_of(&store, "decline_join", "u5").await.is_empty());
    }
);

both_backends!(
    everyone_waiting_in_a_group_is_approved_or_declined_at_once,
    |store: Store| async move {
        let (app, group) = setup(&store).await;
        let admin = sign_in(&store, "ann", Role::Admin).await;
        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        ingest(
            &app,
            &json!([
                join_request("r1", "u7", "Al", ""),
                join_request("r2", "u8", "Bo", ""),
                join_request("r3", "u9", "Cy", ""),
            ]),
        )
        .await;
        let page = get(&app, &format!("/joins?group={group}"), Some(&admin)).await;
        let html = page.text();
        assert!(html.contains("Decline all") && html.contains("Approve all"));
        assert!(html.contains("3 people waiting for an admin"));
        let path = format!("/joins/group/{group}/decide-all");
        let refused = post_form(&app, &path, &viewer, &[("decision", "decline")]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let forged = post_form_raw(&app, &path, Some(&admin), &[("decision", "decline")]).await;
        assert_ne!(forged.status, StatusCode::SEE_OTHER);
        assert_eq!(store.screening_queue(None, 10).await.unwrap().len(), 3);
        let bad = post_form(&app, &path, &admin, &[("decision", "maybe")]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let missing = post_form(
            &app,
            "/joins/group/99999/decide-all",
            &admin,
            &[("decision", "approve")],
        )
        .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let declined = post_form(
            &app,
            &path,
            &admin,
            &[("decision", "decline"), ("reason", "raid accounts")],
        )
        .await;
        assert_eq!(declined.status, StatusCode::SEE_OTHER);
        assert_eq!(
            declined.location(),
            format!("/joins?group={group}&decided=3")
        );
        for member in ["u7", "u8", "u9"] {
            assert_eq!(
                audit_of(&store, "decline_join", member).await,
                vec![(
                    "user:ann".to_owned(),
                    Some("decided by ann: raid accounts".to_owned())
                )]
            );
        }
        assert!(store.screening_queue(None, 10).await.unwrap().is_empty());
        let page = get(&app, declined.location(), Some(&admin)).await;
        assert!(page.text().contains("3 people decided"));
        let again = post_form(&app, &path, &admin, &[("decision", "approve")]).await;
        assert_eq!(again.location(), format!("/joins?group={group}&decided=0"));
    }
);

both_backends!(
    a_platform_without_buttons_gets_no_in_group_captcha,
    |store: Store| async move {
        let app = app(store.clone());
        let joined = |id: &str, member: &str| {
            json!({"id": id, "platform": "onebot", "group": {"id": "q1"}, "at": Utc::now().to_rfc3339(),
                   "kind": "member_joined", "member": {"id": member, "name": member}})
        };
        ingest(&app, &json!([joined("j0", "old")])).await;
        let group = store
            .find_group(Platform::Onebot, "q1")
            .await
            .unwrap()
            .unwrap()
            .id;
        let admin = sign_in(&store, "ann", Role::Admin).await;
        let path = format!("/joins/settings/{}", group.0);
        for on in ["joins", "both"] {
            let refused = post_form(
                &app,
                &path,
                &admin,
                &[
                    ("captcha", "arithmetic"),
                    ("captcha_on", on),
                    ("raid", "off"),
                ],
            )
            .await;
            assert_eq!(refused.status, StatusCode::BAD_REQUEST);
            assert!(
                refused.text().contains("cannot show buttons"),
                "{}",
                refused.text()
            );
        }
        assert!(settings_of(&store, group.0).await.captcha.is_none());
        let saved = post_form(
            &app,
            &path,
            &admin,
            &[
                ("captcha", "arithmetic"),
                ("captcha_on", "requests"),
                ("raid", "off"),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        let page = get(&app, &format!("/joins?group={}", group.0), Some(&admin)).await;
        assert!(page.text().contains("cannot press buttons"));
        // Set behind the dashboard's back (a config file): the newcomer is
        // held for an admin instead of being given buttons they cannot
        // press, and is never removed for not pressing them.
        let mut tx = store.begin().await.unwrap();
        tx.set_group_settings(group, r#"{"captcha": {"kind": "emoji", "on": "joins"}}"#)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let fresh = app_with_fresh_pipeline(&store);
        let answer = ingest(&fresh, &json!([joined("j1", "newbie")])).await;
        let kinds: Vec<String> = answer.json()["results"][0]["actions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| a["kind"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(kinds, vec!["mute"], "no challenge with buttons");
        let queue = store.screening_queue(Some(group), 10).await.unwrap();
        assert_eq!(queue.len(), 1);
        assert_eq!(queue[0].stage, "manual");
        let mute = audit_of(&store, "mute", "newbie").await;
        assert!(mute[0].1.as_deref().unwrap().contains("no CAPTCHA buttons"));
    }
);

/// A second app on the same store, so its pipeline reads settings afresh.
fn app_with_fresh_pipeline(store: &Store) -> Router {
    app(store.clone())
}
