//! The overview and groups pages, on both backends: figures of ingested
//! groups, escaping of hostile text, and saving a group's settings (who may,
//! what is refused, what is kept and audited).

mod support;

use axum::Router;
use axum::http::StatusCode;
use serde_json::{Value, json};
use steward_core::Role;
use steward_core::settings::ChatSettings;
use steward_storage::audit::AuditFilter;
use steward_storage::{Store, both_backends};
use support::*;

const HOSTILE: &str = "<script>alert(1)</script>";

/// A message event whose member has a username.
fn message_from(id: &str, group: &str, title: &str, member: &str, username: &str) -> Value {
    let mut event = message(
        id,
        group,
        member,
        member,
        "hello there, how is everyone today?",
    );
    event["group"]["title"] = json!(title);
    event["member"]["username"] = json!(username);
    event
}

/// The internal id of the group with this platform id.
async fn group_id(store: &Store, platform_id: &str) -> i64 {
    store
        .list_groups()
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.group.platform_id == platform_id)
        .expect("the group was ingested")
        .group
        .id
        .0
}

/// Three messages by two members in g1, one in g2.
async fn two_groups(app: &Router) {
    ingest(
        app,
        &json!([
            message("m1", "g1", "u1", "Ann", "good morning everyone"),
            message("m2", "g1", "u1", "Ann", "what are we doing today"),
            message("m3", "g1", "u2", "Bob", "I am working on the report"),
            message("m4", "g2", "u3", "Cat", "hello from the second group"),
        ]),
    )
    .await;
}

both_backends!(
    overview_without_groups_explains_how_to_connect,
    |store: Store| async move {
        let app = app(store.clone());
        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        let page = get(&app, "/overview", Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(html.contains("No groups yet"), "{html}");
        assert!(html.contains("/api/v1/ingest"), "{html}");
        assert!(html.contains("Telegram"), "{html}");
    }
);

both_backends!(
    overview_shows_each_groups_figures_and_charts,
    |store: Store| async move {
        let app = app(store.clone());
        two_groups(&app).await;
        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        let page = get(&app, "/overview?notice=notice-saved", Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(
            html.contains("Group g1") && html.contains("Group g2"),
            "{html}"
        );
        assert_eq!(html.matches("<svg").count(), 2, "{html}");
        // g1's row: 3 messages today, 2 active members, nothing before.
        let g1 = group_id(&store, "g1").await;
        let row_start = html.find(&format!("href=\"/groups/{g1}\"")).unwrap();
        let row = &html[row_start..row_start + html[row_start..].find("</tr>").unwrap()];
        assert!(row.contains("<td>3</td>"), "{row}");
        assert!(row.contains("<td>2</td>"), "{row}");
        assert!(row.contains("class=\"up\""), "{row}");
        // The chart titles every bar with its value.
        assert!(html.contains("Group g1, Today: 3"), "{html}");
        // The notice of a redirect is shown; unknown keys are not.
        assert!(html.contains("Saved."), "{html}");
        let page = get(&app, "/overview?notice=%3Cb%3Ex%3C%2Fb%3E", Some(&viewer)).await;
        assert!(!page.text().contains("<b>x</b>"));
        // A viewer does not see the audit log; an operator does.
        assert!(!html.contains("Recent actions"), "{html}");
        let operator = sign_in(&store, "oli", Role::Operator).await;
        let html = get(&app, "/overview", Some(&operator)).await.text();
        assert!(html.contains("Recent actions"), "{html}");
    }
);

both_backends!(
    hostile_titles_and_messages_are_escaped,
    |store: Store| async move {
        let app = app(store.clone());
        let mut event = message("m1", "evil", "u1", HOSTILE, HOSTILE);
        event["group"]["title"] = json!(HOSTILE);
        ingest(&app, &json!([event])).await;
        let owner = sign_in(&store, "own", Role::Owner).await;
        let id = group_id(&store, "evil").await;
        for path in [
            "/overview".to_owned(),
            "/groups".to_owned(),
            format!("/groups/{id}"),
        ] {
            let page = get(&app, &path, Some(&owner)).await;
            assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.text());
            let html = page.text();
            assert!(!html.contains("<script>alert"), "{path}: {html}");
            assert!(
                html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{path}: {html}"
            );
        }
        // Saved hostile settings come back escaped too.
        let saved = post_form(
            &app,
            &format!("/groups/{id}"),
            &owner,
            &[
                ("language", "en"),
                ("community", HOSTILE),
                ("rules", HOSTILE),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        for path in [
            "/overview".to_owned(),
            "/groups".to_owned(),
            format!("/groups/{id}"),
        ] {
            let html = get(&app, &path, Some(&owner)).await.text();
            assert!(!html.contains("<script>alert"), "{path}: {html}");
        }
    }
);

both_backends!(groups_are_listed_by_community, |store: Store| async move {
    let app = app(store.clone());
    two_groups(&app).await;
    let admin = sign_in(&store, "adm", Role::Admin).await;
    let g2 = group_id(&store, "g2").await;
    let saved = post_form(
        &app,
        &format!("/groups/{g2}"),
        &admin,
        &[("language", "ru"), ("community", "Rustaceans")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let viewer = sign_in(&store, "vic", Role::Viewer).await;
    let page = get(&app, "/groups", Some(&viewer)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    let community = html
        .find("<h2>Rustaceans</h2>")
        .expect("the community heading");
    let loose = html.find("<h2>Without a community</h2>").expect("the rest");
    let at_g1 = html.find("Group g1").unwrap();
    let at_g2 = html.find("Group g2").unwrap();
    assert!(
        community < at_g2 && at_g2 < loose && loose < at_g1,
        "{html}"
    );
    assert!(html.contains("Русский"), "{html}");
    // The overview groups them the same way.
    let html = get(&app, "/overview", Some(&viewer)).await.text();
    assert!(html.contains("<h2>Rustaceans</h2>"), "{html}");
    // A viewer sees a group's settings without a way to change them.
    let html = get(&app, &format!("/groups/{g2}"), Some(&viewer))
        .await
        .text();
    assert!(html.contains("<fieldset disabled>"), "{html}");
    assert!(!html.contains("type=\"submit\">Save"), "{html}");
    assert!(
        html.contains("Only those who may edit rules change the ladder."),
        "{html}"
    );
    assert!(
        !html.contains("/ladder\""),
        "no ladder form for viewers: {html}"
    );
    assert_eq!(
        get(&app, "/groups/999999", Some(&viewer)).await.status,
        StatusCode::NOT_FOUND
    );
});

both_backends!(
    admins_save_settings_that_persist_and_are_audited,
    |store: Store| async move {
        let app = app(store.clone());
        ingest(
            &app,
            &json!([message_from(
                "m1",
                "g1",
                "Study group",
                "4242",
                "Helper_Bot"
            )]),
        )
        .await;
        let id = group_id(&store, "g1").await;
        let admin = sign_in(&store, "adm", Role::Admin).await;
        let path = format!("/groups/{id}");
        let saved = post_form(
            &app,
            &path,
            &admin,
            &[
                ("language", "zh"),
                ("community", "Learners"),
                ("admin_chat", "-100777"),
                ("admins", "111\n@helper_bot\n\n111"),
                ("moderators", "222\n333"),
                ("rules", "Be kind\nNo ads"),
                ("question", "What is 2+2?"),
                ("answers", "4\nfour"),
                ("question", ""),
                ("answers", ""),
                ("join_minutes", "10"),
                ("timezone", "Asia/Shanghai"),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        assert_eq!(
            saved.location(),
            format!("/groups/{id}?notice=notice-saved")
        );

        let page = get(&app, saved.location(), Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("Saved."), "{html}");
        assert!(html.contains("value=\"Learners\""), "{html}");
        assert!(html.contains("value=\"-100777\""), "{html}");
        assert!(html.contains("<option value=\"zh\" selected>"), "{html}");
        assert!(html.contains("111\n4242</textarea>"), "{html}");
        assert!(html.contains("222\n333</textarea>"), "{html}");
        assert!(html.contains("Be kind\nNo ads</textarea>"), "{html}");
        assert!(html.contains("value=\"What is 2+2?\""), "{html}");
        assert!(html.contains("4\nfour</textarea>"), "{html}");
        assert!(html.contains("value=\"10\""), "{html}");
        assert!(html.contains("value=\"Asia/Shanghai\""), "{html}");
        // The global ladder, read-only.
        assert!(html.contains("Penalty ladder"), "{html}");

        let groups = store.list_groups().await.unwrap();
        let group = groups.iter().find(|g| g.group.id.0 == id).unwrap();
        assert_eq!(group.community_name.as_deref(), Some("Learners"));
        assert_eq!(group.group.language.as_str(), "zh");
        assert_eq!(group.group.title.as_deref(), Some("Study group"));
        let json = store
            .group_settings_json(group.group.id)
            .await
            .unwrap()
            .unwrap();
        let chat: ChatSettings = serde_json::from_str(&json).unwrap();
        assert_eq!(chat.admin_chat.as_deref(), Some("-100777"));
        assert_eq!(chat.admins, vec!["111", "4242"]);
        assert_eq!(chat.moderators, vec!["222", "333"]);
        assert_eq!(chat.rules, vec!["Be kind", "No ads"]);
        assert_eq!(chat.join_questions.len(), 1);
        assert_eq!(chat.join_questions[0].answers, vec!["4", "four"]);
        assert_eq!(chat.join_minutes, Some(10));
        assert_eq!(chat.timezone.as_deref(), Some("Asia/Shanghai"));

        let audit = store
            .list_audit(&AuditFilter {
                action: Some("group_settings_changed".into()),
                limit: 10,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].actor, "user:adm");
        assert_eq!(audit[0].group.map(|g| g.0), Some(id));
        let evidence: Value = serde_json::from_str(audit[0].evidence.as_deref().unwrap()).unwrap();
        assert_eq!(evidence["after"]["community"], "Learners");
        assert_eq!(evidence["before"]["language"], "en");

        // Clearing the settings keeps the group, out of its community.
        let saved = post_form(&app, &path, &admin, &[("language", "en")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        let json = store
            .group_settings_json(group.group.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(json, "{}");
        let groups = store.list_groups().await.unwrap();
        assert_eq!(groups[0].community_name, None);
    }
);

both_backends!(only_admins_may_change_settings, |store: Store| async move {
    let app = app(store.clone());
    two_groups(&app).await;
    let id = group_id(&store, "g1").await;
    let path = format!("/groups/{id}");
    for (name, role) in [("oli", Role::Operator), ("vic", Role::Viewer)] {
        let browser = sign_in(&store, name, role).await;
        let answer = post_form(
            &app,
            &path,
            &browser,
            &[("language", "ru"), ("community", "X")],
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{name}: {}",
            answer.text()
        );
    }
    // Without the CSRF field, even an admin is refused.
    let admin = sign_in(&store, "adm", Role::Admin).await;
    let answer = post_form_raw(&app, &path, Some(&admin), &[("language", "ru")]).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let groups = store.list_groups().await.unwrap();
    assert!(groups.iter().all(|g| g.community_name.is_none()));
    assert!(groups.iter().all(|g| g.group.language.as_str() == "en"));
    assert_eq!(
        store
            .list_audit(&AuditFilter {
                action: Some("group_settings_changed".into()),
                limit: 10,
                ..AuditFilter::default()
            })
            .await
            .unwrap()
            .len(),
        0
    );
});

both_backends!(bad_values_are_refused_by_field, |store: Store| async move {
    let app = app(store.clone());
    two_groups(&app).await;
    let id = group_id(&store, "g1").await;
    let path = format!("/groups/{id}");
    let owner = sign_in(&store, "own", Role::Owner).await;
    let cases: [(&[(&str, &str)], &str); 7] = [
        (
            &[("language", "en"), ("join_minutes", "soon")],
            "Minutes to answer",
        ),
        (
            &[("language", "en"), ("timezone", "Mars/Olympus")],
            "Time zone",
        ),
        (
            &[("language", "en"), ("join_minutes", "5000")],
            "Minutes to answer",
        ),
        (&[("language", "de")], "Language"),
        (
            &[
                ("language", "en"),
                ("question", "Who are you?"),
                ("answers", " "),
            ],
            "Accepted answers to question 1",
        ),
        (
            &[("language", "en"), ("moderators", "@ghost_user")],
            "Moderators: Steward has not seen @ghost_user",
        ),
        (
            &[("language", "en"), ("admins", "two words")],
            "Admins: “two words”",
        ),
    ];
    for (fields, expected) in cases {
        let answer = post_form(&app, &path, &owner, fields).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{fields:?}: {}",
            answer.text()
        );
        let html = answer.text();
        assert!(html.contains("The settings were not saved"), "{html}");
        assert!(html.contains(expected), "{fields:?}: {html}");
    }
    // The refused form comes back as written.
    let answer = post_form(
        &app,
        &path,
        &owner,
        &[
            ("language", "en"),
            ("rules", "Keep this"),
            ("join_minutes", "x"),
        ],
    )
    .await;
    assert!(
        answer.text().contains("Keep this</textarea>"),
        "{}",
        answer.text()
    );
    let json = store
        .group_settings_json(steward_core::GroupId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(json, "{}");
});

/// The chat settings stored for a group.
async fn stored_chat(store: &Store, id: i64) -> ChatSettings {
    let json = store
        .group_settings_json(steward_core::GroupId(id))
        .await
        .unwrap()
        .unwrap_or_default();
    serde_json::from_str(&json).unwrap_or_default()
}

both_backends!(
    reports_and_alerts_are_saved_and_a_bad_hour_refused,
    |store: Store| async move {
        let app = app(store.clone());
        two_groups(&app).await;
        let id = group_id(&store, "g1").await;
        let path = format!("/groups/{id}");
        let admin = sign_in(&store, "adm", Role::Admin).await;
        // Without an admins' chat the page says where reports would go;
        // the defaults are ticked, in the group's zone.
        let html = get(&app, &path, Some(&admin)).await.text();
        assert!(html.contains("Reports and alerts"), "{html}");
        assert!(html.contains("set one first"), "{html}");
        assert!(
            html.contains("name=\"report_weekly\" value=\"on\" checked"),
            "{html}"
        );
        assert!(
            !html.contains("name=\"report_daily\" value=\"on\" checked"),
            "{html}"
        );
        assert!(html.contains("UTC"), "{html}");

        let saved = post_form(
            &app,
            &path,
            &admin,
            &[
                ("language", "en"),
                ("admin_chat", "-100777"),
                ("timezone", "Asia/Shanghai"),
                ("reports_form", "1"),
                ("report_daily", "on"),
                ("report_monthly", "on"),
                ("report_hour", "18"),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        let reports = stored_chat(&store, id).await.reports;
        assert!(reports.daily && !reports.weekly && reports.monthly);
        assert!(!reports.alerts);
        assert_eq!(reports.hour, 18);
        let html = get(&app, &path, Some(&admin)).await.text();
        assert!(!html.contains("set one first"), "{html}");
        assert!(html.contains("Asia/Shanghai)"), "{html}");
        assert!(html.contains("value=\"18\""), "{html}");
        let audit = store
            .list_audit(&AuditFilter {
                action: Some("group_settings_changed".into()),
                limit: 10,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(audit.len(), 1);
        let evidence: Value = serde_json::from_str(audit[0].evidence.as_deref().unwrap()).unwrap();
        assert_eq!(evidence["after"]["chat"]["reports"]["hour"], 18);

        // A form without the reports fieldset keeps them.
        let saved = post_form(
            &app,
            &path,
            &admin,
            &[("language", "en"), ("admin_chat", "-100777")],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        assert_eq!(stored_chat(&store, id).await.reports, reports);

        // An hour past 23 is refused by name, and nothing changes.
        for hour in ["24", "9am", "-1"] {
            let answer = post_form(
                &app,
                &path,
                &admin,
                &[
                    ("language", "en"),
                    ("reports_form", "1"),
                    ("report_weekly", "on"),
                    ("report_hour", hour),
                ],
            )
            .await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{hour}");
            let html = answer.text();
            assert!(
                html.contains("Hour reports are sent: a whole number from 0 to 23."),
                "{hour}: {html}"
            );
        }
        assert_eq!(stored_chat(&store, id).await.reports, reports);
        // A viewer may not change them.
        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        let answer = post_form(
            &app,
            &path,
            &viewer,
            &[
                ("language", "en"),
                ("reports_form", "1"),
                ("report_hour", "3"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(stored_chat(&store, id).await.reports, reports);
    }
);
