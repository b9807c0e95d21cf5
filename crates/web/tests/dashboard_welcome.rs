//! A group's welcome editor and nickname rule page: validation by field,
//! a server-side preview, saving audited, and on the HTTP platform (which
//! lets Steward set names) an admin setting a correct name from the list,
//! which queues `set_nickname`; a rename to a right name closes the case.
//! Both backends.

mod support;

use axum::http::StatusCode;
use chrono::Utc;
use serde_json::{Value, json};
use steward_core::settings::ChatSettings;
use steward_core::{Action, Platform, Role};
use steward_storage::audit::AuditFilter;
use steward_storage::{Store, both_backends};
use support::*;

async fn audited(store: &Store, action: &str) -> Vec<steward_storage::audit::AuditRow> {
    store
        .list_audit(&AuditFilter {
            action: Some(action.to_owned()),
            limit: 100,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
}

async fn group_id(store: &Store, platform_id: &str) -> i64 {
    store
        .list_groups()
        .await
        .unwrap()
        .iter()
        .find(|g| g.group.platform_id == platform_id)
        .unwrap()
        .group
        .id
        .0
}

async fn chat(store: &Store, id: i64) -> ChatSettings {
    let json = store
        .group_settings_json(steward_core::GroupId(id))
        .await
        .unwrap()
        .unwrap_or_default();
    serde_json::from_str(&json).unwrap_or_default()
}

fn event(id: &str, group: &str, member: &str, name: &str, kind: &str, extra: Value) -> Value {
    let mut event = json!({
        "id": id,
        "platform": "http",
        "group": {"id": group, "title": format!("Group {group}")},
        "at": Utc::now().to_rfc3339(),
        "kind": kind,
        "member": {"id": member, "name": name},
    });
    if let (Some(event), Some(extra)) = (event.as_object_mut(), extra.as_object()) {
        event.extend(extra.clone());
    }
    event
}

fn actions(answer: &Answer) -> Vec<Value> {
    answer.json()["results"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["actions"].as_array().cloned().unwrap_or_default())
        .collect()
}

both_backends!(
    the_welcome_editor_checks_previews_and_saves,
    |store: Store| async move {
        let app = app(store.clone());
        ingest(&app, &json!([message("m1", "tea", "u1", "Ann", "hello")])).await;
        let id = group_id(&store, "tea").await;
        let path = format!("/groups/{id}/welcome");
        let admin = sign_in(&store, "adam", Role::Admin).await;
        let operator = sign_in(&store, "opal", Role::Operator).await;

        let page = get(&app, &format!("/groups/{id}"), Some(&admin))
            .await
            .text();
        assert!(page.contains(&path), "the group page links the editor");
        let page = get(&app, &path, Some(&operator)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text().contains("The welcome is off"),
            "{}",
            page.text()
        );

        let refused = post_form(
            &app,
            &path,
            &operator,
            &[("text", "Hi {name}"), ("do", "save")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        let unknown = post_form(
            &app,
            &path,
            &admin,
            &[("text", "Hi {first}!"), ("do", "save")],
        )
        .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        assert!(unknown.text().contains("{first}"), "{}", unknown.text());
        let brace = post_form(
            &app,
            &path,
            &admin,
            &[("ru", "Привет {name"), ("do", "save")],
        )
        .await;
        assert_eq!(brace.status, StatusCode::BAD_REQUEST);
        assert!(brace.text().contains("Русский"), "the field is named");
        for (field, value) in [
            ("buttons", "Rules javascript:alert(1)"),
            ("delete_after", "0"),
            ("group_seconds", "100000"),
            ("rules_url", "not a link"),
        ] {
            let bad = post_form(
                &app,
                &path,
                &admin,
                &[("text", "Hi {name}"), (field, value), ("do", "save")],
            )
            .await;
            assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{field}");
        }
        assert_eq!(chat(&store, id).await.welcome, None, "nothing saved");

        let fields = [
            (
                "text",
                "Welcome {name} to {group}! Rules: {rules}\nInvited by {inviter}",
            ),
            ("en", "Hello {name}, {count} joined {group}. Rules: {rules}"),
            (
                "buttons",
                "Rules https://example.org/rules | Site https://example.org",
            ),
            ("delete_after", "300"),
            ("group_seconds", "20"),
            ("rules_url", "https://example.org/rules"),
        ];
        let mut preview = fields.to_vec();
        preview.push(("do", "preview"));
        let shown = post_form(&app, &path, &admin, &preview).await;
        assert_eq!(shown.status, StatusCode::OK);
        let text = shown.text();
        assert!(
            text.contains("Hello Ann, 1 joined Group tea. Rules: https://example.org/rules"),
            "{text}"
        );
        assert!(
            text.contains("Hello Ann, Boris and Chen, 3 joined"),
            "{text}"
        );
        assert_eq!(
            chat(&store, id).await.welcome,
            None,
            "a preview saves nothing"
        );

        let mut save = fields.to_vec();
        save.push(("do", "save"));
        let saved = post_form(&app, &path, &admin, &save).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        let stored = chat(&store, id).await;
        let welcome = stored.welcome.clone().expect("saved");
        assert_eq!(welcome.delete_after, Some(300));
        assert_eq!(welcome.buttons[0].len(), 2);
        assert_eq!(
            stored.rules_url.as_deref(),
            Some("https://example.org/rules")
        );
        assert_eq!(audited(&store, "welcome_changed").await.len(), 1);
        let page = get(&app, &path, Some(&admin)).await.text();
        assert!(page.contains("Hello Ann, 1 joined Group tea"), "{page}");

        // The pipeline uses it at once: a join is welcomed in the group's
        // language (English here), the message waiting for the window.
        let joined = ingest(
            &app,
            &json!([event("j1", "tea", "u9", "Zoe", "member_joined", json!({}))]),
        )
        .await;
        let welcome = actions(&joined)
            .into_iter()
            .find(|a| a["kind"] == "send_message")
            .expect("a welcome");
        assert_eq!(
            welcome["text"],
            "Hello Zoe, 1 joined Group tea. Rules: https://example.org/rules"
        );
        assert_eq!(welcome["delete_after"], 300);
        assert_eq!(welcome["buttons"][0][0]["url"], "https://example.org/rules");
    }
);

both_backends!(
    a_nickname_rule_is_edited_and_a_name_set_over_http,
    |store: Store| async move {
        let app = app(store.clone());
        ingest(&app, &json!([message("m1", "tea", "u1", "Ann", "hello")])).await;
        let id = group_id(&store, "tea").await;
        let path = format!("/groups/{id}/nicknames");
        let admin = sign_in(&store, "adam", Role::Admin).await;
        let viewer = sign_in(&store, "vera", Role::Viewer).await;

        let refused = post_form(
            &app,
            &path,
            &viewer,
            &[("pattern", "City-Name"), ("do", "save")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let one_field =
            post_form(&app, &path, &admin, &[("pattern", "Name"), ("do", "save")]).await;
        assert_eq!(one_field.status, StatusCode::BAD_REQUEST);
        assert!(
            one_field.text().contains("at least two fields"),
            "{}",
            one_field.text()
        );
        let bad_regex = post_form(
            &app,
            &path,
            &admin,
            &[("pattern", "/(unclosed/"), ("do", "save")],
        )
        .await;
        assert_eq!(bad_regex.status, StatusCode::BAD_REQUEST);
        assert!(bad_regex.text().contains("regular expression is refused"));
        let bad_example = post_form(
            &app,
            &path,
            &admin,
            &[
                ("pattern", "City-Name"),
                ("example", "Oleg"),
                ("do", "save"),
            ],
        )
        .await;
        assert_eq!(bad_example.status, StatusCode::BAD_REQUEST);
        assert!(bad_example.text().contains("“Oleg” does not follow"));
        let tested = post_form(
            &app,
            &path,
            &admin,
            &[
                ("pattern", "City-Name"),
                ("sample", "Kazan-Oleg"),
                ("do", "test"),
            ],
        )
        .await;
        assert_eq!(tested.status, StatusCode::OK);
        assert!(tested.text().contains("“Kazan-Oleg” follows the format"));
        assert_eq!(chat(&store, id).await.nickname, None);

        let saved = post_form(
            &app,
            &path,
            &admin,
            &[
                ("pattern", "City-Name"),
                ("example", "Kazan-Oleg"),
                ("grace_hours", "12"),
                ("do", "save"),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        assert_eq!(
            chat(&store, id).await.nickname.unwrap().grace_hours,
            Some(12)
        );
        assert_eq!(audited(&store, "nickname_rule_changed").await.len(), 1);

        // A join with a wrong name: reminded, listed.
        let joined = ingest(
            &app,
            &json!([event("j1", "tea", "u5", "Oleg", "member_joined", json!({}))]),
        )
        .await;
        let reminder = actions(&joined)
            .into_iter()
            .find(|a| a["kind"] == "send_message")
            .expect("a reminder");
        let text = reminder["text"].as_str().unwrap();
        assert!(text.contains("City-Name") && text.contains("Kazan-Oleg") && text.contains("12"));
        assert_eq!(audited(&store, "nickname_reminded").await.len(), 1);
        let page = get(&app, &path, Some(&admin)).await.text();
        assert!(page.contains("Oleg") && page.contains("Reminded"), "{page}");
        assert!(
            page.contains("/name\""),
            "the HTTP platform can set names: {page}"
        );

        let mut tx = store.begin().await.unwrap();
        let member = tx
            .find_member(Platform::Http, "u5")
            .await
            .unwrap()
            .unwrap()
            .id
            .0;
        tx.commit().await.unwrap();
        let set_path = format!("/groups/{id}/nicknames/{member}/name");
        let wrong = post_form(&app, &set_path, &admin, &[("nickname", "Oleg")]).await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        let by_viewer = post_form(&app, &set_path, &viewer, &[("nickname", "Kazan-Oleg")]).await;
        assert_eq!(by_viewer.status, StatusCode::FORBIDDEN);
        let set = post_form(&app, &set_path, &admin, &[("nickname", "Kazan-Oleg")]).await;
        assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.text());
        let pending = store
            .pending_actions_after(Platform::Http, 0, 100)
            .await
            .unwrap();
        assert!(pending.iter().any(|row| matches!(
            &row.action.action,
            Action::SetNickname { member, nickname } if member == "u5" && nickname == "Kazan-Oleg"
        )));
        let audit = audited(&store, "set_nickname").await;
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].actor, "user:adam");

        // The platform renames the member: the case closes.
        ingest(
            &app,
            &json!([event(
                "r1",
                "tea",
                "u5",
                "Kazan-Oleg",
                "member_renamed",
                json!({"rename": {"old_name": "Oleg", "new_name": "Kazan-Oleg"}})
            )]),
        )
        .await;
        assert_eq!(audited(&store, "nickname_fixed").await.len(), 1);
        let page = get(&app, &path, Some(&admin)).await.text();
        assert!(page.contains("Everyone follows the rule."), "{page}");
    }
);
