//! Every dashboard route against every role, on both backends: what the
//! permission table of `steward_core::Role` allows gets through, everything
//! else gets 403, whatever the page shows. Also: signed-out visitors are
//! sent to sign in, and the team setting opens deciding to operators.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use steward_core::Role;
use steward_storage::{Store, both_backends};
use support::*;

const ALL: &[Role] = &[Role::Owner, Role::Admin, Role::Operator, Role::Viewer];
const ADMINS: &[Role] = &[Role::Owner, Role::Admin];
const STAFF: &[Role] = &[Role::Owner, Role::Admin, Role::Operator];

/// One request and the roles allowed to make it.
struct Rule {
    post: bool,
    path: String,
    fields: Vec<(&'static str, String)>,
    allowed: &'static [Role],
}

fn get_rule(path: String, allowed: &'static [Role]) -> Rule {
    Rule {
        post: false,
        path,
        fields: Vec::new(),
        allowed,
    }
}

fn post_rule(path: String, fields: &[(&'static str, &str)], allowed: &'static [Role]) -> Rule {
    Rule {
        post: true,
        path,
        fields: fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        allowed,
    }
}

/// A group, a member and an open review item to aim at.
async fn seed(store: &Store, app: &axum::Router) -> (i64, i64, i64) {
    ingest(
        app,
        &json!([message("m1", "g1", "u1", "Mallory", "hello everyone")]),
    )
    .await;
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/appeals")
        .header("authorization", format!("Bearer {INGEST_TOKEN}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            json!({"group": "g1", "member": "u1", "text": "please unmute me"}).to_string(),
        ))
        .unwrap();
    let appeal = send(app, request).await;
    assert_eq!(appeal.status, StatusCode::OK, "{}", appeal.text());
    let case = appeal.json()["case"].as_i64().unwrap();
    let group = store.list_groups().await.unwrap()[0].group.id.0;
    let member = {
        let mut tx = store.begin().await.unwrap();
        let id = tx
            .find_member(steward_core::Platform::Http, "u1")
            .await
            .unwrap()
            .unwrap()
            .id;
        tx.commit().await.unwrap();
        id.0
    };
    (group, member, case)
}

fn table(group: i64, member: i64, case: i64) -> Vec<Rule> {
    vec![
        get_rule("/overview".into(), ALL),
        get_rule("/groups".into(), ALL),
        get_rule(format!("/groups/{group}"), ALL),
        post_rule(
            format!("/groups/{group}"),
            &[("language", "en"), ("community", "")],
            ADMINS,
        ),
        get_rule("/rules".into(), ADMINS),
        post_rule("/rules/test".into(), &[("text", "hello")], ADMINS),
        get_rule("/review".into(), STAFF),
        post_rule(
            format!("/review/{case}/decide"),
            &[("decision", "confirm"), ("reason", "")],
            ADMINS,
        ),
        get_rule("/members".into(), ALL),
        get_rule("/members/inactive?days=1".into(), ALL),
        get_rule(format!("/members/{member}"), ALL),
        post_rule(
            format!("/members/{member}/notes"),
            &[("body", "keeps posting links")],
            STAFF,
        ),
        post_rule(
            format!("/members/{member}/action"),
            &[
                ("action", "warn"),
                ("group", &group.to_string()),
                ("minutes", ""),
                ("reason", "be nice"),
            ],
            STAFF,
        ),
        post_rule(
            format!("/members/{member}/action"),
            &[
                ("action", "ban"),
                ("group", &group.to_string()),
                ("minutes", ""),
                ("reason", "spam"),
            ],
            ADMINS,
        ),
        get_rule("/audit".into(), STAFF),
        get_rule("/audit.csv".into(), STAFF),
        get_rule("/settings".into(), ALL),
        post_rule("/settings/invites".into(), &[("role", "viewer")], ADMINS),
        post_rule("/settings/team".into(), &[], ADMINS),
        post_rule("/settings/tokens".into(), &[("label", "ci")], ALL),
        // Member lifecycle.
        get_rule("/joins".into(), STAFF),
        post_rule(
            format!("/joins/settings/{group}"),
            &[
                ("captcha", "off"),
                ("captcha_on", "both"),
                ("captcha_minutes", "3"),
                ("raid", "off"),
                ("raid_minutes", "30"),
            ],
            ADMINS,
        ),
        get_rule(format!("/groups/{group}/welcome"), ALL),
        post_rule(
            format!("/groups/{group}/welcome"),
            &[("en", "Welcome, {name}!"), ("do", "preview")],
            ADMINS,
        ),
        get_rule(format!("/groups/{group}/nicknames"), ALL),
        get_rule("/ban-lists".into(), ALL),
        get_rule("/referrals".into(), ALL),
        post_rule(
            "/referrals/campaigns".into(),
            &[
                ("name", "Spring"),
                ("group", &group.to_string()),
                ("starts", "2026-01-01"),
                ("ends", "2026-02-01"),
            ],
            ADMINS,
        ),
        get_rule("/members/cleanup".into(), ALL),
        post_rule(
            "/members/cleanup".into(),
            &[
                ("group", &group.to_string()),
                ("days", "30"),
                ("recent_days", "30"),
            ],
            ADMINS,
        ),
        get_rule("/members/exempt".into(), ALL),
        get_rule("/members/since".into(), ALL),
        get_rule(format!("/members/{member}/export"), STAFF),
        // Engagement.
        get_rule("/faq".into(), ALL),
        get_rule("/faq/new".into(), ADMINS),
        get_rule("/points".into(), ALL),
        get_rule("/tickets".into(), ALL),
        get_rule("/raffles".into(), ALL),
        get_rule("/activities".into(), ALL),
        get_rule("/reports".into(), ALL),
        get_rule(
            format!("/reports/export?scope=group:{group}&period=daily&format=csv"),
            ALL,
        ),
        // A wrong confirmation: allowed roles are told so, nothing erased.
        post_rule(
            format!("/members/{member}/erase"),
            &[("confirm", "not-the-id")],
            ADMINS,
        ),
    ]
}

both_backends!(every_route_checks_the_role, |store: Store| async move {
    let app = app(store.clone());
    let (group, member, case) = seed(&store, &app).await;
    let mut browsers = Vec::new();
    for role in ALL {
        browsers.push((*role, sign_in(&store, role.as_str(), *role).await));
    }
    let mut failures = Vec::new();
    // The least powerful first, so that a refused request never depends on
    // what an allowed one changed.
    for (role, browser) in browsers.iter().rev() {
        for rule in table(group, member, case) {
            let answer = if rule.post {
                let fields: Vec<(&str, &str)> =
                    rule.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                post_form(&app, &rule.path, browser, &fields).await
            } else {
                get(&app, &rule.path, Some(browser)).await
            };
            let allowed = rule.allowed.contains(role);
            let refused = answer.status == StatusCode::FORBIDDEN;
            let ok = if allowed {
                !refused && answer.status.as_u16() < 500
            } else {
                refused
            };
            if !ok {
                failures.push(format!(
                    "{role} {} {}: {} ({})",
                    if rule.post { "POST" } else { "GET" },
                    rule.path,
                    answer.status,
                    if allowed {
                        "should be allowed"
                    } else {
                        "should be refused"
                    }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
});

both_backends!(
    signed_out_visitors_are_sent_to_sign_in,
    |store: Store| async move {
        let app = app(store.clone());
        for path in [
            "/overview",
            "/groups",
            "/rules",
            "/review",
            "/members",
            "/audit",
            "/audit.csv",
            "/settings",
            "/joins",
            "/ban-lists",
            "/referrals",
            "/members/cleanup",
            "/members/since",
            "/faq",
            "/points",
            "/tickets",
            "/raffles",
            "/reports",
        ] {
            let answer = get(&app, path, None).await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "{path}");
            assert!(answer.location().starts_with("/login?next="), "{path}");
        }
        let answer = post_form_raw(&app, "/settings/invites", None, &[("role", "owner")]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
    }
);

both_backends!(
    operators_decide_only_when_the_team_allows_it,
    |store: Store| async move {
        let app = app(store.clone());
        let (_, _, case) = seed(&store, &app).await;
        let operator = sign_in(&store, "opal", Role::Operator).await;
        let path = format!("/review/{case}/decide");
        let fields = [("decision", "dismiss"), ("reason", "fine")];
        let refused = post_form(&app, &path, &operator, &fields).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let page = get(&app, "/review", Some(&operator)).await.text();
        assert!(
            !page.contains(&format!("action=\"{path}\"")),
            "no decide form for operators"
        );
        store
            .kv_set("team:operators_decide_reviews", "true")
            .await
            .unwrap();
        let allowed = post_form(&app, &path, &operator, &fields).await;
        assert_eq!(allowed.status, StatusCode::SEE_OTHER, "{}", allowed.text());
        let open = store.list_cases(Some("open"), 10).await.unwrap();
        assert!(open.is_empty());
    }
);
