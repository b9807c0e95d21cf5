//! A group's own penalty ladder, set on the group's page, judges that
//! group's next violation; other groups keep the default. Both backends.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use steward_core::Role;
use steward_storage::audit::AuditFilter;
use steward_storage::{Store, both_backends};
use support::*;

async fn actions_named(store: &Store, action: &str) -> usize {
    store
        .list_audit(&AuditFilter {
            action: Some(action.to_owned()),
            limit: 100,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .len()
}

both_backends!(a_groups_own_ladder_judges_it, |store: Store| async move {
    let app = app(store.clone());
    ingest(
        &app,
        &json!([
            message("a1", "strict", "u1", "Ann", "hello"),
            message("b1", "relaxed", "u2", "Bob", "hello")
        ]),
    )
    .await;
    let groups = store.list_groups().await.unwrap();
    let strict = groups
        .iter()
        .find(|g| g.group.platform_id == "strict")
        .unwrap()
        .group
        .id
        .0;
    let path = format!("/groups/{strict}/ladder");
    let admin = sign_in(&store, "adam", Role::Admin).await;
    let operator = sign_in(&store, "opal", Role::Operator).await;

    let page = get(&app, &format!("/groups/{strict}"), Some(&admin))
        .await
        .text();
    assert!(page.contains("uses the default ladder"), "{page}");
    let refused = post_form(
        &app,
        &path,
        &operator,
        &[("steps", "ban"), ("expire_hours", "24")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let bad = post_form(
        &app,
        &path,
        &admin,
        &[("steps", "warn\nexplode 5m"), ("expire_hours", "24")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("Line 2"), "{}", bad.text());

    let saved = post_form(
        &app,
        &path,
        &admin,
        &[("steps", "ban 7d"), ("expire_hours", "48"), ("use", "own")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let page = get(&app, &format!("/groups/{strict}"), Some(&admin))
        .await
        .text();
    assert!(page.contains("has its own ladder"), "{page}");
    assert_eq!(actions_named(&store, "ladder_changed").await, 1);

    // The strict group bans at the first violation; the other still warns.
    ingest(
        &app,
        &json!([
            message("a2", "strict", "u1", "Ann", "Crypto airdrop! Claim now"),
            message("b2", "relaxed", "u2", "Bob", "Crypto airdrop! Claim now")
        ]),
    )
    .await;
    let in_group = |action: &'static str, group: i64| {
        let store = store.clone();
        async move {
            store
                .list_audit(&AuditFilter {
                    action: Some(action.to_owned()),
                    group: Some(steward_core::GroupId(group)),
                    limit: 100,
                    ..AuditFilter::default()
                })
                .await
                .unwrap()
                .len()
        }
    };
    let relaxed = strict % 2 + 1;
    assert_eq!(in_group("ban", strict).await, 1);
    assert_eq!(in_group("ban", relaxed).await, 0);
    assert_eq!(in_group("warn", relaxed).await, 1);

    let reset = post_form(&app, &path, &admin, &[("use", "default")]).await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    let page = get(&app, &format!("/groups/{strict}"), Some(&admin))
        .await
        .text();
    assert!(page.contains("uses the default ladder"), "{page}");
});
