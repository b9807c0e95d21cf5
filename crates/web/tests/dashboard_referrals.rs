//! The referrals page: leaderboards from joins through the ingest API,
//! counted or not and why, and campaigns created, ended and deleted only by
//! those who manage groups; on both backends.

mod support;

use axum::Router;
use axum::http::StatusCode;
use chrono::Utc;
use serde_json::{Value, json};
use steward_core::{Platform, Role};
use steward_storage::audit::AuditFilter;
use steward_storage::{Store, both_backends};
use support::*;

const HOSTILE: &str = "<script>alert(1)</script>";

/// `member` joined group `g1`, added by `inviter`.
fn joined(id: &str, member: &str, name: &str, inviter: &str, inviter_name: &str) -> Value {
    json!({
        "id": id,
        "platform": "http",
        "group": {"id": "g1", "title": "Group g1"},
        "at": Utc::now().to_rfc3339(),
        "kind": "member_joined",
        "member": {"id": member, "name": name},
        "join": {"inviter": {"id": inviter, "name": inviter_name}}
    })
}

/// Ann added two newcomers, the hostile one added one; Fay "added"
/// herself; Bob left and was added again.
async fn populate(app: &Router) {
    ingest(
        app,
        &json!([
            message("m1", "g1", "u-ann", "Ann Lee", "hello everyone"),
            message("m2", "g1", "u-bob", "Bob Stone", "hi"),
            {
                "id": "l1", "platform": "http", "group": {"id": "g1"},
                "at": Utc::now().to_rfc3339(), "kind": "member_left",
                "member": {"id": "u-bob"}
            },
            joined("j1", "u-cy", "Cy", "u-ann", "Ann Lee"),
            joined("j2", "u-dee", "Dee", "u-ann", "Ann Lee"),
            joined("j3", "u-eve", "Eve", "u-evil", HOSTILE),
            joined("j4", "u-fay", "Fay", "u-fay", "Fay"),
            joined("j5", "u-bob", "Bob Stone", "u-ann", "Ann Lee"),
        ]),
    )
    .await;
}

async fn group_id(store: &Store) -> i64 {
    store
        .find_group(Platform::Http, "g1")
        .await
        .unwrap()
        .expect("group g1")
        .id
        .0
}

both_backends!(
    the_leaderboard_counts_credited_joins,
    |store: Store| async move {
        let app = app(store.clone());
        populate(&app).await;
        let group = group_id(&store).await;
        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        let page = get(&app, &format!("/referrals?group={group}"), Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        // Ann first with two, the hostile name escaped with one.
        let ann = html.find("Ann Lee").expect("Ann on the board");
        let evil = html.find("&lt;script&gt;").expect("escaped name");
        assert!(ann < evil);
        assert!(!html.contains(HOSTILE));
        assert!(html.contains("<td>2</td>"), "{html}");
        // Why some did not count.
        assert!(html.contains("they invited themselves"));
        assert!(html.contains("they were in the group before"));
        assert!(html.contains("Not counted"));
        // The navigation links the page.
        assert!(html.contains(r#"href="/referrals""#));
        // Viewers see no campaign form.
        assert!(!html.contains(r#"action="/referrals/campaigns""#));
        let refused = post_form(
            &app,
            "/referrals/campaigns",
            &viewer,
            &[
                ("name", "Spring"),
                ("group", &group.to_string()),
                ("starts", "2026-01-01"),
                ("ends", "2026-12-31"),
            ],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(store.campaigns().await.unwrap().is_empty());
    }
);

both_backends!(
    campaigns_are_created_ended_and_deleted,
    |store: Store| async move {
        let app = app(store.clone());
        populate(&app).await;
        let group = group_id(&store).await;
        let admin = sign_in(&store, "ada", Role::Admin).await;
        let page = get(&app, "/referrals", Some(&admin)).await;
        assert!(page.text().contains(r#"action="/referrals/campaigns""#));
        let today = Utc::now().format("%Y-%m-%d").to_string();
        // A bad window is refused.
        let bad = post_form(
            &app,
            "/referrals/campaigns",
            &admin,
            &[
                ("name", "Spring"),
                ("group", &group.to_string()),
                ("starts", &today),
                ("ends", "2000-01-01"),
            ],
        )
        .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let created = post_form(
            &app,
            "/referrals/campaigns",
            &admin,
            &[
                ("name", "Spring drive"),
                ("group", &group.to_string()),
                ("starts", &today),
                ("ends", &today),
            ],
        )
        .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
        let campaigns = store.campaigns().await.unwrap();
        assert_eq!(campaigns.len(), 1);
        let id = campaigns[0].id;
        assert!(campaigns[0].running(Utc::now()));
        // Its board counts today's joins.
        let board = get(&app, &format!("/referrals/campaigns/{id}"), Some(&admin)).await;
        assert_eq!(board.status, StatusCode::OK);
        let html = board.text();
        assert!(html.contains("Spring drive"));
        assert!(html.contains("Ann Lee"));
        assert!(html.contains("Running"));
        // An operator may look but not end it.
        let operator = sign_in(&store, "opa", Role::Operator).await;
        let refused = post_form(
            &app,
            &format!("/referrals/campaigns/{id}/end"),
            &operator,
            &[],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let ended = post_form(&app, &format!("/referrals/campaigns/{id}/end"), &admin, &[]).await;
        assert_eq!(ended.status, StatusCode::SEE_OTHER);
        let campaign = store.campaign(id).await.unwrap().unwrap();
        assert!(!campaign.running(Utc::now() + chrono::Duration::seconds(1)));
        let deleted = post_form(
            &app,
            &format!("/referrals/campaigns/{id}/delete"),
            &admin,
            &[],
        )
        .await;
        assert_eq!(deleted.status, StatusCode::SEE_OTHER);
        assert!(store.campaigns().await.unwrap().is_empty());
        let missing = get(&app, &format!("/referrals/campaigns/{id}"), Some(&admin)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let audit = store
            .list_audit(&AuditFilter {
                limit: 100,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        for action in ["campaign_created", "campaign_ended", "campaign_deleted"] {
            assert!(
                audit
                    .iter()
                    .any(|a| a.action == action && a.actor == "user:ada"),
                "{action}"
            );
        }
    }
);
