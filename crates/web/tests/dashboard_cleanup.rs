//! The cleanup pages: a dry run from the inactive report that spares
//! admins, exempt members and recent joiners, its confirmation (refused
//! when the list changed), paced removals in the outbox, the exempt list,
//! since-actions from the dashboard; and who may do what.

mod support;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use steward_core::{Platform, Role};
use steward_storage::{Store, both_backends};
use support::*;

fn event(
    id: &str,
    member: &str,
    name: &str,
    kind: &str,
    days_ago: i64,
    role: Option<&str>,
) -> Value {
    let mut member = json!({"id": member, "name": name});
    if let Some(role) = role {
        member["role"] = json!(role);
    }
    let mut e = json!({
        "id": id,
        "platform": "http",
        "group": {"id": "g1", "title": "Group g1"},
        "at": (Utc::now() - Duration::days(days_ago)).to_rfc3339(),
        "kind": kind,
        "member": member,
    });
    if kind == "message" {
        e["message"] = json!({"id": id, "text": "hello"});
    }
    e
}

async fn populate(app: &axum::Router) {
    ingest(
        app,
        &json!([
            event("m1", "u-old1", "Old One", "message", 60, None),
            event("m2", "u-old2", "Old Two", "message", 50, None),
            event("m3", "u-boss", "Boss", "message", 60, Some("admin")),
            event("m4", "u-keep", "Keeper", "message", 60, None),
            event("j5", "u-new", "Newbie", "member_joined", 2, None),
            event("m6", "u-live", "Lively", "message", 0, None),
        ]),
    )
    .await;
}

async fn group_id(store: &Store) -> i64 {
    store
        .find_group(Platform::Http, "g1")
        .await
        .unwrap()
        .unwrap()
        .id
        .0
}

fn run_of(location: &str) -> i64 {
    location
        .trim_start_matches("/members/runs/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("not a run: {location}"))
}

both_backends!(
    a_cleanup_dry_run_spares_admins_and_confirms_paced,
    |store: Store| async move {
        let app = app(store.clone());
        populate(&app).await;
        let admin = sign_in(&store, "root", Role::Admin).await;
        let operator = sign_in(&store, "op", Role::Operator).await;
        let group = group_id(&store).await.to_string();

        let report = get(
            &app,
            &format!("/members/inactive?group={group}"),
            Some(&admin),
        )
        .await;
        assert!(
            report.text().contains("Clean up these members"),
            "{}",
            report.text()
        );
        let report = get(
            &app,
            &format!("/members/inactive?group={group}"),
            Some(&operator),
        )
        .await;
        assert!(!report.text().contains("Clean up these members"));

        // Keeper goes on the exempt list, by platform id.
        let answer = post_form(
            &app,
            "/members/exempt",
            &admin,
            &[("group", &group), ("member", "u-keep"), ("op", "add")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        assert!(answer.location().contains("notice-exempt-added"));
        let list = get(
            &app,
            &format!("/members/exempt?group={group}"),
            Some(&operator),
        )
        .await;
        assert!(list.text().contains("Keeper"));

        let form = [
            ("group", group.as_str()),
            ("days", "30"),
            ("recent_days", "7"),
        ];
        let refused = post_form(&app, "/members/cleanup", &operator, &form).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let no_csrf = post_form_raw(&app, "/members/cleanup", Some(&admin), &form).await;
        assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
        let answer = post_form(&app, "/members/cleanup", &admin, &form).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        let run = run_of(answer.location());

        let page = get(&app, &format!("/members/runs/{run}"), Some(&operator)).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("2 members to remove"), "{html}");
        assert!(
            html.contains("Old One") && html.contains("Old Two"),
            "{html}"
        );
        assert!(
            html.contains("Group admin") && html.contains("Boss"),
            "{html}"
        );
        assert!(
            html.contains("Exempt list") && html.contains("Keeper"),
            "{html}"
        );
        // Newbie joined two days ago: not thirty days silent, not listed.
        assert!(!html.contains("Newbie"), "{html}");
        assert!(!html.contains("Lively"));
        // Operators see it but get no confirmation form.
        assert!(!html.contains("/confirm"));
        assert!(
            store
                .pending_actions_after(Platform::Http, 0, 100)
                .await
                .unwrap()
                .is_empty()
        );

        // A stale count (the page said something else) is refused: a new
        // dry run is shown instead.
        let stale = post_form(
            &app,
            &format!("/members/runs/{run}/confirm"),
            &admin,
            &[("count", "3")],
        )
        .await;
        assert_eq!(stale.status, StatusCode::SEE_OTHER);
        assert!(
            stale.location().contains("notice-run-changed"),
            "{}",
            stale.location()
        );
        let fresh = run_of(stale.location());
        assert_ne!(fresh, run);
        let old = get(&app, &format!("/members/runs/{run}"), Some(&admin)).await;
        assert!(old.text().contains("Replaced"));

        let refused = post_form(
            &app,
            &format!("/members/runs/{fresh}/confirm"),
            &operator,
            &[("count", "2")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let done = post_form(
            &app,
            &format!("/members/runs/{fresh}/confirm"),
            &admin,
            &[("count", "2")],
        )
        .await;
        assert!(
            done.location().contains("notice-run-confirmed"),
            "{}",
            done.location()
        );
        let again = post_form(
            &app,
            &format!("/members/runs/{fresh}/confirm"),
            &admin,
            &[("count", "2")],
        )
        .await;
        assert!(again.location().contains("notice-run-not-dry-run"));

        let mut rows = store
            .pending_actions_after(Platform::Http, 0, 100)
            .await
            .unwrap();
        rows.retain(|r| r.idempotency_key.starts_with(&format!("bulk:{fresh}:")));
        rows.sort_by_key(|r| r.due_at);
        assert_eq!(rows.len(), 2);
        assert!(
            rows.iter()
                .all(|r| r.action.action.kind().as_str() == "kick")
        );
        // Paced: a gap of seconds between two removals.
        assert!(rows[1].due_at - rows[0].due_at >= Duration::seconds(1));
        let page = get(&app, &format!("/members/runs/{fresh}"), Some(&admin)).await;
        let html = page.text();
        assert!(html.contains("0 done, 2 waiting"), "{html}");
        assert!(html.contains("/undo"));

        // Undo before anything went out: the removals are stopped.
        let undone = post_form(&app, &format!("/members/runs/{fresh}/undo"), &admin, &[]).await;
        assert!(
            undone.location().contains("notice-run-undone"),
            "{}",
            undone.location()
        );
        let page = get(&app, &format!("/members/runs/{fresh}"), Some(&admin)).await;
        assert!(page.text().contains("2 stopped"), "{}", page.text());
        assert!(
            store
                .pending_actions_after(Platform::Http, 0, 100)
                .await
                .unwrap()
                .is_empty()
        );

        let audit = get(&app, "/audit", Some(&admin)).await.text();
        assert!(
            audit.contains("Cleanup confirmed") && audit.contains("Bulk removal undone"),
            "{audit}"
        );
    }
);

both_backends!(
    a_since_action_from_the_dashboard,
    |store: Store| async move {
        let app = app(store.clone());
        populate(&app).await;
        ingest(
            &app,
            &json!([
                event("j7", "u-r1", "Raider One", "member_joined", 0, None),
                event("j8", "u-r2", "Raider Two", "member_joined", 0, None),
                event("j9", "u-old1", "Old One", "member_joined", 0, None),
            ]),
        )
        .await;
        let admin = sign_in(&store, "root", Role::Admin).await;
        let group = group_id(&store).await.to_string();
        let page = get(&app, "/members/since", Some(&admin)).await;
        assert!(page.text().contains("datetime-local"));
        let from = (Utc::now() - Duration::hours(1))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        let answer = post_form(
            &app,
            "/members/since",
            &admin,
            &[
                ("group", &group),
                ("from", &from),
                ("to", ""),
                ("action", "ban"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        let run = run_of(answer.location());
        let html = get(&app, &format!("/members/runs/{run}"), Some(&admin))
            .await
            .text();
        assert!(html.contains("2 members to ban"), "{html}");
        assert!(html.contains("Raider One") && html.contains("Raider Two"));
        // Old One was here long before: joining again does not make a raider.
        assert!(html.contains("Here before the window"), "{html}");
        let done = post_form(
            &app,
            &format!("/members/runs/{run}/confirm"),
            &admin,
            &[("count", "2")],
        )
        .await;
        assert!(done.location().contains("notice-run-confirmed"));
        let rows = store
            .pending_actions_after(Platform::Http, 0, 100)
            .await
            .unwrap();
        assert_eq!(
            rows.iter()
                .filter(|r| r.action.action.kind().as_str() == "ban")
                .count(),
            2
        );

        let bad = post_form(
            &app,
            "/members/since",
            &admin,
            &[("group", &group), ("from", "yesterday"), ("action", "ban")],
        )
        .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    }
);

both_backends!(
    silence_counts_from_the_join_for_who_never_wrote,
    |store: Store| async move {
        let app = app(store.clone());
        ingest(
            &app,
            &json!([
                event("j1", "u-fresh", "Fresh Quiet", "member_joined", 10, None),
                event("j2", "u-stale", "Stale Quiet", "member_joined", 40, None),
                event("m3", "u-old", "Old Talker", "message", 45, None),
            ]),
        )
        .await;
        let admin = sign_in(&store, "root", Role::Admin).await;
        let group = group_id(&store).await.to_string();
        // Nobody is spared as a recent joiner: only silence decides.
        let form = [
            ("group", group.as_str()),
            ("days", "30"),
            ("recent_days", "0"),
        ];
        let answer = post_form(&app, "/members/cleanup", &admin, &form).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        let run = run_of(answer.location());
        let html = get(&app, &format!("/members/runs/{run}"), Some(&admin))
            .await
            .text();
        assert!(html.contains("2 members to remove"), "{html}");
        assert!(
            html.contains("Stale Quiet") && html.contains("Old Talker"),
            "{html}"
        );
        // Ten days in the group without a word is not thirty days' silence.
        assert!(!html.contains("Fresh Quiet"), "{html}");
    }
);
