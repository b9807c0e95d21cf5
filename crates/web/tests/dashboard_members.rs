//! The members pages: search, profile, notes and actions taken by hand, on
//! both backends.

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Utc;
use serde_json::{Value, json};
use steward_core::i18n::Lang;
use steward_core::{MemberId, Platform, Role};
use steward_storage::audit::AuditFilter;
use steward_storage::{Store, both_backends};
use support::*;

const HOSTILE: &str = "<script>alert(1)</script>";

/// Ann in two groups, Bob and a hostile name in one.
async fn populate(app: &Router) {
    ingest(
        app,
        &json!([
            message("m1", "g1", "u-ann", "Ann Lee", "hello everyone"),
            message("m2", "g2", "u-ann", "Ann Lee", "good morning"),
            message("m3", "g1", "u-bob", "Bob Stone", "nice weather today"),
            message("m4", "g1", "u-evil", HOSTILE, "hi"),
            message("m5", "g1", "u-ann", "Ann Lee", "see you later"),
        ]),
    )
    .await;
}

async fn member_id(store: &Store, platform_id: &str) -> MemberId {
    let hits = store.search_members(platform_id, 10).await.unwrap();
    hits.into_iter()
        .find(|h| h.member.platform_id == platform_id)
        .expect("the member")
        .member
        .id
}

/// Pending actions, as a puller of HTTP-platform groups sees them.
async fn pulled(app: &Router) -> Vec<Value> {
    let request = Request::builder()
        .method(Method::GET)
        .uri("/api/v1/actions?after=0&limit=1000")
        .header(header::AUTHORIZATION, format!("Bearer {INGEST_TOKEN}"))
        .body(Body::empty())
        .unwrap();
    let answer = send(app, request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    answer.json()["actions"].as_array().unwrap().clone()
}

both_backends!(search_finds_members, |store: Store| async move {
    let app = app(store.clone());
    populate(&app).await;
    let viewer = sign_in(&store, "vic", Role::Viewer).await;

    let page = get(&app, "/members?q=aNN", Some(&viewer)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    assert!(html.contains("Ann Lee"), "{html}");
    assert!(!html.contains("Bob Stone"));

    let page = get(&app, "/members?q=u-bob", Some(&viewer)).await;
    let html = page.text();
    assert!(html.contains("Bob Stone"), "{html}");
    assert!(!html.contains("Ann Lee"));

    let page = get(&app, "/members?q=nobody-here", Some(&viewer)).await;
    assert!(page.text().contains("No member matches"));

    // A LIKE wildcard is taken literally.
    let page = get(&app, "/members?q=%25", Some(&viewer)).await;
    assert!(!page.text().contains("Ann Lee"));

    // Without a query: the recently active.
    let page = get(&app, "/members", Some(&viewer)).await;
    let html = page.text();
    assert!(
        html.contains("Ann Lee") && html.contains("Bob Stone"),
        "{html}"
    );

    let signed_out = get(&app, "/members", None).await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
});

both_backends!(
    the_profile_shows_groups_activity_and_names,
    |store: Store| async move {
        let app = app(store.clone());
        populate(&app).await;
        // Ann renames herself.
        ingest(
            &app,
            &json!([message("m6", "g2", "u-ann", "Ann Lee-Park", "new name")]),
        )
        .await;
        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        let ann = member_id(&store, "u-ann").await;

        let page = get(&app, &format!("/members/{ann}"), Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(
            html.contains("Group g1") && html.contains("Group g2"),
            "{html}"
        );
        assert!(html.contains("<svg"), "{html}");
        assert!(
            html.contains("Ann Lee-Park") && html.contains("Ann Lee<"),
            "{html}"
        );
        assert!(html.contains("Messages per day"));
        // Trust is shown by name; a viewer gets no forms.
        assert!(html.contains("New"), "{html}");
        assert!(!html.contains("/notes\""), "{html}");
        assert!(!html.contains("style="));
        assert!(!html.contains("onclick"));

        let missing = get(&app, "/members/999999", Some(&viewer)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let junk = get(&app, "/members/abc", Some(&viewer)).await;
        assert_eq!(junk.status, StatusCode::NOT_FOUND);
    }
);

both_backends!(hostile_names_are_escaped, |store: Store| async move {
    let app = app(store.clone());
    populate(&app).await;
    let viewer = sign_in(&store, "vic", Role::Viewer).await;
    let evil = member_id(&store, "u-evil").await;
    for path in ["/members?q=script".to_owned(), format!("/members/{evil}")] {
        let html = get(&app, &path, Some(&viewer)).await.text();
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}: {html}"
        );
        assert!(!html.contains(HOSTILE), "{path}");
    }
});

both_backends!(notes_are_added_by_moderators, |store: Store| async move {
    let app = app(store.clone());
    populate(&app).await;
    let viewer = sign_in(&store, "vic", Role::Viewer).await;
    let operator = sign_in(&store, "olga", Role::Operator).await;
    let ann = member_id(&store, "u-ann").await;
    let path = format!("/members/{ann}/notes");

    let refused = post_form(&app, &path, &viewer, &[("body", "I think so")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let no_csrf = post_form_raw(&app, &path, Some(&operator), &[("body", "x")]).await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    let empty = post_form(&app, &path, &operator, &[("body", "   ")]).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);

    let added = post_form(
        &app,
        &path,
        &operator,
        &[("body", "Spams <b>links</b> at night")],
    )
    .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
    assert!(added.location().contains("notice=notice-member-note-added"));
    let html = get(&app, added.location(), Some(&operator)).await.text();
    assert!(
        html.contains("Spams &lt;b&gt;links&lt;/b&gt; at night"),
        "{html}"
    );
    assert!(html.contains("Note added."));
    assert!(html.contains("olga"));

    let audit = store
        .list_audit(&AuditFilter {
            action: Some("member_note_added".to_owned()),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor, "user:olga");
    assert_eq!(audit[0].member, Some(ann));
});

both_backends!(actions_follow_permissions, |store: Store| async move {
    let app = app(store.clone());
    populate(&app).await;
    let viewer = sign_in(&store, "vic", Role::Viewer).await;
    let operator = sign_in(&store, "olga", Role::Operator).await;
    let ann = member_id(&store, "u-ann").await;
    let g1 = store
        .find_group(Platform::Http, "g1")
        .await
        .unwrap()
        .unwrap();
    let path = format!("/members/{ann}/action");
    let g1_id = g1.id.0.to_string();

    let refused = post_form(
        &app,
        &path,
        &viewer,
        &[("action", "mute"), ("group", &g1_id), ("minutes", "10")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let muted = post_form(
        &app,
        &path,
        &operator,
        &[
            ("action", "mute"),
            ("group", &g1_id),
            ("minutes", "10"),
            ("reason", "flooding"),
            ("request", "req-mute-1"),
        ],
    )
    .await;
    assert_eq!(muted.status, StatusCode::SEE_OTHER, "{}", muted.text());
    assert_eq!(
        muted.location(),
        format!("/members/{ann}?notice=notice-action-queued")
    );
    let html = get(&app, muted.location(), Some(&operator)).await.text();
    assert!(html.contains("The action was queued"), "{html}");
    assert!(html.contains("flooding"), "{html}");

    // The same form again queues nothing more.
    let again = post_form(
        &app,
        &path,
        &operator,
        &[
            ("action", "mute"),
            ("group", &g1_id),
            ("minutes", "10"),
            ("request", "req-mute-1"),
        ],
    )
    .await;
    assert!(again.location().contains("notice-member-action-repeated"));

    let mutes: Vec<Value> = pulled(&app)
        .await
        .into_iter()
        .filter(|a| a["action"]["kind"] == "mute")
        .collect();
    assert_eq!(mutes.len(), 1, "{mutes:?}");
    assert_eq!(mutes[0]["action"]["member"], "u-ann");
    assert_eq!(mutes[0]["action"]["group"], "g1");

    let banned = post_form(
        &app,
        &path,
        &operator,
        &[("action", "ban"), ("group", "community")],
    )
    .await;
    assert_eq!(banned.status, StatusCode::FORBIDDEN);
    let no_length = post_form(
        &app,
        &path,
        &operator,
        &[("action", "mute"), ("group", &g1_id)],
    )
    .await;
    assert_eq!(no_length.status, StatusCode::BAD_REQUEST);
    let not_hers = post_form(
        &app,
        &path,
        &operator,
        &[("action", "warn"), ("group", "999999")],
    )
    .await;
    assert_eq!(not_hers.status, StatusCode::BAD_REQUEST);

    // A warning is posted to the group.
    let warned = post_form(
        &app,
        &path,
        &operator,
        &[("action", "warn"), ("group", &g1_id)],
    )
    .await;
    assert_eq!(warned.status, StatusCode::SEE_OTHER, "{}", warned.text());
    let warns: Vec<Value> = pulled(&app)
        .await
        .into_iter()
        .filter(|a| a["action"]["kind"] == "warn")
        .collect();
    assert_eq!(warns.len(), 1);
    assert!(
        warns[0]["action"]["text"]
            .as_str()
            .unwrap()
            .contains("Ann Lee")
    );
    // ... and counts as a violation of the rule `manual`.
    let html = get(&app, &format!("/members/{ann}"), Some(&operator))
        .await
        .text();
    assert!(html.contains("<code>manual</code>"), "{html}");
});

both_backends!(
    an_admin_bans_across_the_community,
    |store: Store| async move {
        let app = app(store.clone());
        populate(&app).await;
        let now = Utc::now();
        let community = store.ensure_community("friends", now).await.unwrap();
        for pid in ["g1", "g2"] {
            let group = store
                .find_group(Platform::Http, pid)
                .await
                .unwrap()
                .unwrap();
            store
                .configure_group(group.id, Some(community), Lang::En)
                .await
                .unwrap();
        }
        let admin = sign_in(&store, "adam", Role::Admin).await;
        let ann = member_id(&store, "u-ann").await;

        let profile = get(&app, &format!("/members/{ann}"), Some(&admin))
            .await
            .text();
        assert!(
            profile.contains("Across the community (2 groups)"),
            "{profile}"
        );
        assert!(profile.contains("value=\"ban\""));

        let banned = post_form(
            &app,
            &format!("/members/{ann}/action"),
            &admin,
            &[
                ("action", "ban"),
                ("group", "community"),
                ("minutes", ""),
                ("reason", "scam links"),
            ],
        )
        .await;
        assert_eq!(banned.status, StatusCode::SEE_OTHER, "{}", banned.text());
        assert!(banned.location().ends_with("notice=notice-action-queued"));

        let bans: Vec<Value> = pulled(&app)
            .await
            .into_iter()
            .filter(|a| a["action"]["kind"] == "ban")
            .collect();
        let mut groups: Vec<&str> = bans
            .iter()
            .map(|a| a["action"]["group"].as_str().unwrap())
            .collect();
        groups.sort_unstable();
        assert_eq!(groups, ["g1", "g2"], "{bans:?}");
        assert!(bans.iter().all(|a| a["action"]["member"] == "u-ann"));
        assert!(bans.iter().all(|a| a["action"].get("until").is_none()));

        let audit = store
            .list_audit(&AuditFilter {
                actor: Some("user:adam".to_owned()),
                action: Some("ban".to_owned()),
                limit: 10,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(audit.len(), 2);
        assert!(audit.iter().all(|a| a.member == Some(ann)
            && a.reason.as_deref() == Some("scam links")
            && a.outbox.is_some()
            && a.group.is_some()));

        // The profile lists what was done.
        let profile = get(&app, &format!("/members/{ann}"), Some(&admin))
            .await
            .text();
        assert!(
            profile.contains("user:adam") && profile.contains("scam links"),
            "{profile}"
        );
    }
);

both_backends!(
    names_in_other_scripts_are_found_as_typed,
    |store: Store| async move {
        let app = app(store.clone());
        ingest(
            &app,
            &json!([
                message("c1", "g-ru", "u-anna", "Анна Петрова", "Привет всем"),
                message("c2", "g-zh", "u-wang", "王小明", "大家好")
            ]),
        )
        .await;
        let viewer = sign_in(&store, "vera", Role::Viewer).await;
        for (query, name) in [("Анна", "Анна Петрова"), ("小明", "王小明")] {
            let path = format!("/members?q={}", urlencode_component(query));
            let page = get(&app, &path, Some(&viewer)).await.text();
            assert!(page.contains(name), "{query}: {page}");
        }
    }
);

fn urlencode_component(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

both_backends!(
    only_bans_reach_groups_the_member_left,
    |store: Store| async move {
        let app = app(store.clone());
        populate(&app).await;
        ingest(
            &app,
            &json!([{
                "id": "left-1",
                "platform": "http",
                "group": {"id": "g2"},
                "at": Utc::now().to_rfc3339(),
                "kind": "member_left",
                "member": {"id": "u-ann"}
            }]),
        )
        .await;
        let admin = sign_in(&store, "adam", Role::Admin).await;
        let ann = member_id(&store, "u-ann").await;
        let path = format!("/members/{ann}/action");
        let muted = post_form(
            &app,
            &path,
            &admin,
            &[
                ("action", "mute"),
                ("group", "community"),
                ("minutes", "60"),
            ],
        )
        .await;
        assert_eq!(muted.status, StatusCode::SEE_OTHER, "{}", muted.text());
        assert!(
            muted
                .location()
                .ends_with("notice-member-action-some-skipped"),
            "{}",
            muted.location()
        );
        let banned = post_form(
            &app,
            &path,
            &admin,
            &[("action", "ban"), ("group", "community")],
        )
        .await;
        assert_eq!(banned.status, StatusCode::SEE_OTHER, "{}", banned.text());
        let actions = pulled(&app).await;
        let groups_of = |kind: &str| -> Vec<String> {
            actions
                .iter()
                .filter(|a| a["action"]["kind"] == kind)
                .map(|a| a["action"]["group"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(groups_of("mute"), ["g1"]);
        let mut bans = groups_of("ban");
        bans.sort();
        assert_eq!(bans, ["g1", "g2"]);
    }
);

both_backends!(
    the_inactive_report_lists_the_silent_only,
    |store: Store| async move {
        let app = app(store.clone());
        let long_ago = (Utc::now() - chrono::Duration::days(90)).to_rfc3339();
        let mut quiet = message("q1", "g1", "u-quiet", "Quiet Quinn", "first and last words");
        quiet["at"] = json!(long_ago);
        ingest(
            &app,
            &json!([
                quiet,
                message("t1", "g1", "u-talk", "Talkative Tom", "still here")
            ]),
        )
        .await;
        let viewer = sign_in(&store, "vera", Role::Viewer).await;
        let page = get(&app, "/members/inactive?days=30", Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(html.contains("Quiet Quinn"), "{html}");
        assert!(!html.contains("Talkative Tom"), "{html}");
        assert!(
            html.contains("One member has been silent for 30 days or more."),
            "{html}"
        );
        let recent = get(&app, "/members/inactive?days=365", Some(&viewer))
            .await
            .text();
        assert!(!recent.contains("Quiet Quinn"), "{recent}");
        let bad = get(&app, "/members/inactive?days=0", Some(&viewer)).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    }
);
