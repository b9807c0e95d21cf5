//! The points page: leaderboards from messages through the ingest API,
//! the ledger with its reasons, awards and corrections only by those who
//! moderate (audited), and points and level on a member's profile; on both
//! backends.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use steward_core::{Platform, Role};
use steward_storage::audit::AuditFilter;
use steward_storage::{Store, both_backends};
use support::*;

const HOSTILE: &str = "<script>alert(1)</script>";

async fn ids(store: &Store, member: &str) -> (i64, i64) {
    let group = store
        .find_group(Platform::Http, "g1")
        .await
        .unwrap()
        .expect("group g1")
        .id;
    let member = store
        .member_by_ref(&format!("http:{member}"))
        .await
        .unwrap()
        .expect("member seen");
    (group.0, member.0)
}

both_backends!(leaderboards_ledger_and_awards, |store: Store| async move {
    let app = app(store.clone());
    ingest(
        &app,
        &json!([
            message("m1", "g1", "u-ann", "Ann Lee", "hello everyone"),
            message("m2", "g1", "u-ann", "Ann Lee", "how is the release going"),
            message("m3", "g1", "u-ann", "Ann Lee", "thanks for the answers"),
            message("m4", "g1", "u-evil", HOSTILE, "good evening"),
        ]),
    )
    .await;
    let (group, ann) = ids(&store, "u-ann").await;
    let viewer = sign_in(&store, "vic", Role::Viewer).await;
    for period in ["week", "month", "all"] {
        let page = get(
            &app,
            &format!("/points?group={group}&period={period}"),
            Some(&viewer),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        let first = html.find("Ann Lee").expect("Ann on the board");
        let evil = html.find("&lt;script&gt;").expect("escaped name");
        assert!(first < evil);
        assert!(!html.contains(HOSTILE));
        assert!(html.contains("<td>3</td>"), "{html}");
        assert!(html.contains("Message"), "the reason is named");
        // A viewer gets no award form.
        assert!(!html.contains("/points/award"));
    }
    let bad = get(&app, "/points?group=x", Some(&viewer)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // A viewer may not award; an operator may, and it is audited.
    let group_field = group.to_string();
    let fields = |member: &'static str, amount: &'static str, reason: &'static str| {
        vec![
            ("group", group_field.clone()),
            ("member", member.to_owned()),
            ("amount", amount.to_owned()),
            ("reason", reason.to_owned()),
            ("note", "helpful answers".to_owned()),
        ]
    };
    let post = |browser, f: Vec<(&'static str, String)>| {
        let app = app.clone();
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_form(&app, "/points/award", browser, &f).await
        }
    };
    let refused = post(&viewer, fields("u-ann", "10", "award")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let operator = sign_in(&store, "olga", Role::Operator).await;
    let page = get(&app, &format!("/points?group={group}"), Some(&operator)).await;
    assert!(page.text().contains("/points/award"));
    let done = post(&operator, fields("u-ann", "10", "award")).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    assert!(done.location().contains("notice-points-awarded"));
    let done = post(&operator, fields("#0", "5", "award")).await;
    assert_eq!(done.status, StatusCode::BAD_REQUEST);
    for (amount, reason) in [("0", "award"), ("ten", "award"), ("5", "gift")] {
        let bad = post(&operator, fields("u-ann", amount, reason)).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{amount} {reason}");
    }
    let done = post(&operator, fields("u-ann", "-4", "correction")).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let balance = store
        .points_balance(steward_core::GroupId(group), steward_core::MemberId(ann))
        .await
        .unwrap();
    assert_eq!(balance, 3 + 10 - 4);
    let audit = store
        .list_audit(&AuditFilter {
            action: Some("points_awarded".to_owned()),
            limit: 100,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    assert!(audit.iter().all(|a| a.actor == "user:olga"));
    assert!(
        audit
            .iter()
            .any(|a| a.reason.as_deref() == Some("-4 (correction): helpful answers"))
    );
    let page = get(&app, &format!("/points?group={group}"), Some(&viewer)).await;
    let html = page.text();
    assert!(html.contains("Correction") && html.contains("helpful answers"));

    // The profile shows the balance and level.
    let profile = get(&app, &format!("/members/{ann}"), Some(&viewer)).await;
    assert_eq!(profile.status, StatusCode::OK);
    let html = profile.text();
    assert!(html.contains("<td>9</td>"), "{html}");
    assert!(html.contains("Newcomer"));

    // A counted referral earns the referrer points, once.
    ingest(
        &app,
        &json!([
            message("m5", "g1", "u-bob", "Bob Stone", "hi all"),
            {
                "id": "j1", "platform": "http", "group": {"id": "g1"},
                "at": chrono::Utc::now().to_rfc3339(), "kind": "member_joined",
                "member": {"id": "u-cy", "name": "Cy"},
                "join": {"inviter": {"id": "u-bob", "name": "Bob Stone"}}
            },
        ]),
    )
    .await;
    let (_, bob) = ids(&store, "u-bob").await;
    let balance = store
        .points_balance(steward_core::GroupId(group), steward_core::MemberId(bob))
        .await
        .unwrap();
    assert_eq!(balance, 1 + 10);
    let page = get(&app, &format!("/points?group={group}"), Some(&viewer)).await;
    assert!(page.text().contains("Referral"));
});
