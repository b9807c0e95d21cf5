//! The rules page: the rules in effect, their forms, the test box,
//! backtests and the history, on both backends.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use steward_core::Role;
use steward_storage::{Store, both_backends};
use support::*;

/// The value of the textarea `name` in a page (unescaped enough for tests).
fn textarea<'a>(page: &'a str, name: &str) -> &'a str {
    let start = page
        .find(&format!(r#"name="{name}""#))
        .unwrap_or_else(|| panic!("no field {name}"));
    let open = start + page[start..].find('>').unwrap() + 1;
    let close = open + page[open..].find("</textarea>").unwrap();
    &page[open..close]
}

both_backends!(admins_see_the_rules, |store: Store| async move {
    let app = app(store.clone());
    let ann = sign_in(&store, "ann", Role::Admin).await;
    let page = get(&app, "/rules", Some(&ann)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let text = page.text();
    for expected in [
        "ads-zh",
        "contact-zh",
        "newcomer-links",
        "tag shadow",
        "Penalty ladder",
        "Mute for 10 minutes",
    ] {
        assert!(text.contains(expected), "{expected} missing: {text}");
    }
    // The forms are labelled, and nothing runs inline.
    assert!(text.contains(r#"<label for="test-text">"#), "{text}");
    assert!(!text.contains("style="), "{text}");
    assert!(!text.contains(" onclick="), "{text}");
    // The raw JSON box holds the rule set.
    let raw = textarea(&text, "rules");
    assert!(raw.contains("&quot;ads-zh&quot;"), "{raw}");

    let edit = get(&app, "/rules/ads-zh", Some(&ann)).await;
    assert_eq!(edit.status, StatusCode::OK, "{}", edit.text());
    let edit = edit.text();
    assert!(textarea(&edit, "f.words").contains("免费领取"), "{edit}");
    assert!(edit.contains(r#"<label for="field-words">"#), "{edit}");
    assert!(edit.contains(r#"name="f.severity""#), "{edit}");
    assert!(
        edit.contains(r#"type="checkbox" name="f.normalize""#),
        "{edit}"
    );
    assert_eq!(
        get(&app, "/rules/no-such-rule", Some(&ann)).await.status,
        StatusCode::NOT_FOUND
    );

    let behaviour = get(&app, "/rules/behaviour", Some(&ann)).await;
    assert_eq!(behaviour.status, StatusCode::OK);
    assert!(behaviour.text().contains(r#"name="f.flood.count""#));
});

both_backends!(
    operators_may_not_touch_the_rules,
    |store: Store| async move {
        let app = app(store.clone());
        let olga = sign_in(&store, "olga", Role::Operator).await;
        for path in [
            "/rules",
            "/rules/ads-zh",
            "/rules/behaviour",
            "/rules/backtests/1",
        ] {
            let answer = get(&app, path, Some(&olga)).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "GET {path}");
        }
        let posts: [(&str, &[(&str, &str)]); 8] = [
            ("/rules/test", &[("text", "claim now")]),
            ("/rules/raw", &[("rules", "{}")]),
            (
                "/rules/new",
                &[("kind", "keywords"), ("id", "x"), ("description", "x")],
            ),
            ("/rules/ads-zh", &[("f.words", "x")]),
            ("/rules/ads-zh/delete", &[]),
            ("/rules/behaviour", &[("f.flood.count", "0")]),
            (
                "/rules/backtests",
                &[
                    ("group", "1"),
                    ("since", "2020-01-01"),
                    ("which", "current"),
                ],
            ),
            ("/rules/history/1/restore", &[]),
        ];
        for (path, fields) in posts {
            let answer = post_form(&app, path, &olga, fields).await;
            assert_eq!(
                answer.status,
                StatusCode::FORBIDDEN,
                "POST {path}: {}",
                answer.text()
            );
        }
        assert!(store.rule_versions(10).await.unwrap().is_empty());
    }
);

both_backends!(the_test_box_marks_the_evidence, |store: Store| async move {
    let app = app(store.clone());
    let ann = sign_in(&store, "ann", Role::Admin).await;

    let answer = post_form(
        &app,
        "/rules/test",
        &ann,
        &[("text", "Crypto airdrop! Claim now")],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let text = answer.text();
    assert!(text.contains("ads-en"), "{text}");
    assert!(text.contains("<mark>Crypto airdrop</mark>"), "{text}");
    assert!(text.contains("<mark>Claim now</mark>"), "{text}");

    let answer = post_form(&app, "/rules/test", &ann, &[("text", "加V：abc123 私聊")]).await;
    let text = answer.text();
    assert!(text.contains("contact-zh"), "{text}");
    assert!(text.contains("<mark>加V：abc123</mark>"), "{text}");

    let answer = post_form(
        &app,
        "/rules/test",
        &ann,
        &[("text", "good morning, friends")],
    )
    .await;
    assert!(
        answer.text().contains("No rule matched this text."),
        "{}",
        answer.text()
    );
});

both_backends!(the_test_text_is_escaped, |store: Store| async move {
    let app = app(store.clone());
    let ann = sign_in(&store, "ann", Role::Admin).await;
    let spam = "<script>alert(1)</script> claim now";
    let answer = post_form(&app, "/rules/test", &ann, &[("text", spam)]).await;
    assert_eq!(answer.status, StatusCode::OK);
    let text = answer.text();
    assert!(!text.contains("<script>alert"), "{text}");
    assert!(
        text.contains("&lt;script&gt;alert(1)&lt;/script&gt; <mark>claim now</mark>"),
        "{text}"
    );
});

both_backends!(a_bad_rule_is_refused_by_name, |store: Store| async move {
    let app = app(store.clone());
    let ann = sign_in(&store, "ann", Role::Admin).await;
    let answer = post_form(
        &app,
        "/rules/contact-zh",
        &ann,
        &[("f.regex", "(unclosed"), ("comment", "oops")],
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text());
    let text = answer.text();
    assert!(text.contains("contact-zh"), "{text}");
    assert!(text.contains(r#"class="notice error""#), "{text}");
    // What was typed is kept.
    assert!(text.contains(r#"value="(unclosed""#), "{text}");
    // Nothing changed.
    assert!(store.rule_versions(10).await.unwrap().is_empty());
    let edit = get(&app, "/rules/contact-zh", Some(&ann)).await.text();
    assert!(!edit.contains("(unclosed"), "{edit}");

    // A number field that is not a number is named too.
    let answer = post_form(&app, "/rules/mention-spam", &ann, &[("f.max", "many")]).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.text().contains("mention-spam"), "{}", answer.text());
    assert!(answer.text().contains("“max”"), "{}", answer.text());

    // And the raw JSON box: a bad draft is refused and kept.
    let mut rules = serde_json::to_value(steward_moderation::RuleSet::default_rules()).unwrap();
    rules["rules"][1]["regex"] = json!("[z-a]");
    let draft = rules.to_string();
    let answer = post_form(&app, "/rules/raw", &ann, &[("rules", &draft)]).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.text().contains("contact-zh"), "{}", answer.text());
    assert!(answer.text().contains("[z-a]"), "{}", answer.text());
    let answer = post_form(&app, "/rules/raw", &ann, &[("rules", "{\"rules\": [{}]}")]).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(store.rule_versions(10).await.unwrap().is_empty());
});

/// The fields of the `ads-en` edit form with `words` replaced.
async fn save_ads_en(app: &axum::Router, ann: &Browser, words: &str, comment: &str) -> Answer {
    let page = get(app, "/rules/ads-en", Some(ann)).await.text();
    assert!(
        page.contains(r#"name="f.normalize" value="true" checked"#),
        "{page}"
    );
    let fields = [
        ("f.id", "ads-en"),
        ("f.description", "advertising"),
        ("f.words", words),
        ("f.match", "auto"),
        ("f.normalize", "true"),
        ("f.min_hits", "1"),
        ("f.severity", "medium"),
        ("f.mode", "enforce"),
        ("f.spare_from", "leader"),
        ("f.only_below", ""),
        ("f.mute_minutes", ""),
        ("comment", comment),
    ];
    post_form(app, "/rules/ads-en", ann, &fields).await
}

both_backends!(
    a_keyword_edit_is_saved_and_restorable,
    |store: Store| async move {
        let app = app(store.clone());
        let ann = sign_in(&store, "ann", Role::Admin).await;

        let answer = save_ads_en(
            &app,
            &ann,
            "crypto airdrop\r\nsuper deal\r\n",
            "add super deal",
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        assert_eq!(answer.location(), "/rules?notice=notice-saved");
        let page = get(&app, "/rules?notice=notice-saved", Some(&ann))
            .await
            .text();
        assert!(page.contains("Saved."), "{page}");
        assert!(page.contains("add super deal"), "{page}");
        let answer = post_form(&app, "/rules/test", &ann, &[("text", "a super deal today")]).await;
        assert!(
            answer.text().contains("<mark>super deal</mark>"),
            "{}",
            answer.text()
        );
        let versions = store.rule_versions(10).await.unwrap();
        assert_eq!(versions.len(), 1);
        assert_eq!(versions[0].created_by, "user:ann");
        assert_eq!(versions[0].comment.as_deref(), Some("add super deal"));
        let filter = steward_storage::audit::AuditFilter {
            action: Some("rules_changed".to_owned()),
            limit: 10,
            ..Default::default()
        };
        let audit = store.list_audit(&filter).await.unwrap();
        assert!(
            audit.iter().any(|a| a.action == "rules_changed"),
            "{audit:?}"
        );

        let answer = save_ads_en(&app, &ann, "mega deal", "only mega").await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        let words = textarea(
            &get(&app, "/rules/ads-en", Some(&ann)).await.text(),
            "f.words",
        )
        .to_owned();
        assert_eq!(words, "mega deal");

        // Restore the first version.
        let first = versions[0].id;
        let answer = post_form(&app, &format!("/rules/history/{first}/restore"), &ann, &[]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        assert_eq!(answer.location(), "/rules?notice=notice-rules-restored");
        let words = textarea(
            &get(&app, "/rules/ads-en", Some(&ann)).await.text(),
            "f.words",
        )
        .to_owned();
        assert_eq!(words, "crypto airdrop\nsuper deal");
        let versions = store.rule_versions(10).await.unwrap();
        assert_eq!(versions.len(), 3);
        assert_eq!(
            versions[0].comment.as_deref(),
            Some(format!("Restored version {first}").as_str())
        );
        let page = get(&app, "/rules", Some(&ann)).await.text();
        assert!(page.contains(&format!("Restore version {first}")), "{page}");
        assert_eq!(
            post_form(&app, "/rules/history/999/restore", &ann, &[])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
);

both_backends!(
    rules_are_added_deleted_and_limits_changed,
    |store: Store| async move {
        let app = app(store.clone());
        let ann = sign_in(&store, "ann", Role::Admin).await;
        // A keyword rule needs words.
        let fields = [
            ("kind", "keywords"),
            ("id", "promo"),
            ("description", "promotions"),
        ];
        let answer = post_form(&app, "/rules/new", &ann, &fields).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(answer.text().contains("promo"), "{}", answer.text());
        let fields = [
            ("kind", "keywords"),
            ("id", "promo"),
            ("description", "promotions"),
            ("looks_for", "big sale\nhuge discount"),
        ];
        let answer = post_form(&app, "/rules/new", &ann, &fields).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        assert_eq!(
            answer.location(),
            "/rules/promo?notice=notice-rules-created"
        );
        let page = get(&app, answer.location(), Some(&ann)).await.text();
        assert!(page.contains("shadow mode"), "{page}");
        assert_eq!(textarea(&page, "f.words"), "big sale\nhuge discount");
        let answer = post_form(&app, "/rules/test", &ann, &[("text", "huge discount!")]).await;
        assert!(
            answer.text().contains("Only a shadow rule matched"),
            "{}",
            answer.text()
        );
        // The same id again, or one of the page's own paths, is refused.
        let answer = post_form(&app, "/rules/new", &ann, &fields).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        let fields = [("kind", "phones"), ("id", "test"), ("description", "x")];
        assert_eq!(
            post_form(&app, "/rules/new", &ann, &fields).await.status,
            StatusCode::BAD_REQUEST
        );

        let answer = post_form(&app, "/rules/promo/delete", &ann, &[]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert_eq!(answer.location(), "/rules?notice=notice-rules-deleted");
        assert_eq!(
            get(&app, "/rules/promo", Some(&ann)).await.status,
            StatusCode::NOT_FOUND
        );

        let limits = [
            ("f.flood.count", "0"),
            ("f.flood.seconds", "10"),
            ("f.flood.severity", "medium"),
            ("f.raid.count", "30"),
            ("f.raid.seconds", "120"),
            ("f.raid.severity", "critical"),
        ];
        let answer = post_form(&app, "/rules/behaviour", &ann, &limits).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        let page = get(&app, "/rules", Some(&ann)).await.text();
        assert!(page.contains("30 within 120 seconds"), "{page}");
        assert!(page.contains("Off"), "{page}");
        let answer = post_form(
            &app,
            "/rules/behaviour",
            &ann,
            &[("f.raid.seconds", "soon")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(answer.text().contains("raid.seconds"), "{}", answer.text());
    }
);

both_backends!(
    a_backtest_shows_its_progress_and_report,
    |store: Store| async move {
        let app = app(store.clone());
        let ann = sign_in(&store, "ann", Role::Admin).await;
        ingest(
            &app,
            &json!([
                message("e1", "g1", "m1", "Spammer", "Crypto airdrop! Claim now"),
                message("e2", "g1", "m2", "Ann", "good morning"),
            ]),
        )
        .await;
        let group = store.list_groups().await.unwrap()[0].group.id.0.to_string();
        let page = get(&app, "/rules", Some(&ann)).await.text();
        assert!(page.contains(r#"formaction="/rules/backtests""#), "{page}");

        let fields = [
            ("group", group.as_str()),
            ("since", "2000-01-01"),
            ("which", "current"),
        ];
        let answer = post_form(&app, "/rules/backtests", &ann, &fields).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        let progress = answer.location().to_owned();
        assert!(progress.starts_with("/rules/backtests/"), "{progress}");
        let mut page = String::new();
        for _ in 0..100 {
            let answer = get(&app, &progress, Some(&ann)).await;
            assert_eq!(answer.status, StatusCode::OK);
            page = answer.text();
            assert!(page.contains("<progress"), "{page}");
            assert!(page.contains(r#"src="/assets/rules.js""#), "{page}");
            if page.contains("What would have been done") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(page.contains("What would have been done"), "{page}");
        assert!(page.contains("ads-en"), "{page}");
        assert!(page.contains("<mark>Crypto airdrop</mark>"), "{page}");

        // A draft from the JSON box, refused by name when it does not compile.
        let mut rules = serde_json::to_value(steward_moderation::RuleSet::default_rules()).unwrap();
        rules["rules"][1]["regex"] = json!("(");
        let draft = rules.to_string();
        let fields = [
            ("group", group.as_str()),
            ("since", "2000-01-01"),
            ("which", "draft"),
            ("rules", &draft),
        ];
        let answer = post_form(&app, "/rules/backtests", &ann, &fields).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(answer.text().contains("contact-zh"), "{}", answer.text());
        let fields = [
            ("group", group.as_str()),
            ("since", "yesterday"),
            ("which", "current"),
        ];
        assert_eq!(
            post_form(&app, "/rules/backtests", &ann, &fields)
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            get(&app, "/rules/backtests/999", Some(&ann)).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

both_backends!(
    a_raw_save_over_newer_rules_is_refused,
    |store: Store| async move {
        let app = app(store.clone());
        let ann = sign_in(&store, "ann", Role::Admin).await;
        let json = serde_json::to_string(&steward_moderation::RuleSet::default_rules()).unwrap();
        let first = post_form(
            &app,
            "/rules/raw",
            &ann,
            &[
                ("rules", json.as_str()),
                ("comment", "first"),
                ("based_on", "0"),
            ],
        )
        .await;
        assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.text());
        // A second editor opened the page before the first save.
        let stale = post_form(
            &app,
            "/rules/raw",
            &ann,
            &[
                ("rules", json.as_str()),
                ("comment", "second"),
                ("based_on", "0"),
            ],
        )
        .await;
        assert_eq!(stale.status, StatusCode::BAD_REQUEST);
        assert!(
            stale.text().contains("changed (now version"),
            "{}",
            stale.text()
        );
        assert_eq!(store.rule_versions(10).await.unwrap().len(), 1);
    }
);
