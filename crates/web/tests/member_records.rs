//! Member records: how a member joined, the export of one member's data
//! (dashboard download, API, audited), and erasure on request: texts and
//! names gone, counts and audit rows kept.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Utc;
use serde_json::{Value, json};
use steward_core::Role;
use steward_storage::{Store, both_backends};
use support::*;

async fn member_id(store: &Store, pid: &str) -> i64 {
    store
        .member_by_ref(&format!("http:{pid}"))
        .await
        .unwrap()
        .unwrap()
        .0
}

async fn api_get(app: &axum::Router, path: &str, browser: &Browser) -> Answer {
    let request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(header::COOKIE, &browser.cookie)
        .body(Body::empty())
        .unwrap();
    send(app, request).await
}

async fn api_post(app: &axum::Router, path: &str, browser: &Browser, body: &Value) -> Answer {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::COOKIE, &browser.cookie)
        .header("x-csrf-token", &browser.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    send(app, request).await
}

fn texts(export: &Value) -> Vec<String> {
    export["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect()
}

both_backends!(
    a_member_data_export_then_erasure,
    |store: Store| async move {
        let app = app(store.clone());
        let at = Utc::now().to_rfc3339();
        ingest(
            &app,
            &json!([
                {"id": "j1", "platform": "http", "group": {"id": "g1", "title": "Group g1"},
                 "at": at, "kind": "member_joined", "member": {"id": "u-zed", "name": "Zed Inviter"}},
                {"id": "j2", "platform": "http", "group": {"id": "g1", "title": "Group g1"},
                 "at": at, "kind": "member_joined", "member": {"id": "u-ann", "name": "Annabel Quill", "username": "annq"},
                 "join": {"invite_link": "https://example.test/join/abc", "inviter": {"id": "u-zed", "name": "Zed Inviter"}}},
            ]),
        )
        .await;
        ingest(
            &app,
            &json!([
                message(
                    "m1",
                    "g1",
                    "u-ann",
                    "Annabel Quill",
                    "my secret recipe is 42"
                ),
                message("m2", "g1", "u-ann", "Annabel Q. Renamed", "second thought"),
                message("m3", "g1", "u-zed", "Zed Inviter", "hi Annabel"),
            ]),
        )
        .await;
        let owner = sign_in(&store, "root", Role::Owner).await;
        let operator = sign_in(&store, "op", Role::Operator).await;
        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        let ann = member_id(&store, "u-ann").await;
        let answer = post_form(
            &app,
            &format!("/members/{ann}/notes"),
            &operator,
            &[("body", "asked about the recipe in private")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);

        // The profile says how she joined.
        let html = get(&app, &format!("/members/{ann}"), Some(&viewer))
            .await
            .text();
        assert!(html.contains("How they joined"), "{html}");
        assert!(
            html.contains("Zed Inviter") && html.contains("https://example.test/join/abc"),
            "{html}"
        );
        // Viewers cannot export; operators can (it is what the audit log shows them anyway).
        assert!(!html.contains("/export"));
        let refused = get(&app, &format!("/members/{ann}/export"), Some(&viewer)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        let download = get(&app, &format!("/members/{ann}/export"), Some(&operator)).await;
        assert_eq!(download.status, StatusCode::OK, "{}", download.text());
        assert!(
            download.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        let before = download.json();
        assert_eq!(before["format"], "steward.member-export.v1");
        assert_eq!(before["member"]["platform_id"], "u-ann");
        assert_eq!(texts(&before), ["my secret recipe is 42", "second thought"]);
        assert_eq!(before["messages"][0]["group_title"], "Group g1");
        let names: Vec<&str> = before["names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Annabel Quill", "Annabel Q. Renamed"]);
        assert_eq!(
            before["notes"][0]["body"],
            "asked about the recipe in private"
        );
        assert_eq!(before["memberships"][0]["messages"], 2);
        assert!(
            before["audit"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["action"] == "member_note_added")
        );

        // The API gives the same, by platform id too.
        let api = api_get(&app, "/api/v1/members/http:u-ann/export", &operator).await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.text());
        assert_eq!(texts(&api.json()), texts(&before));
        let missing = api_get(&app, "/api/v1/members/http:nobody/export", &operator).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        let events_before = store.count_events().await.unwrap();
        let audit_before = store.count_audit().await.unwrap();

        // Erasure: owners and admins only, with the id typed again.
        let refused = post_form(
            &app,
            &format!("/members/{ann}/erase"),
            &operator,
            &[("confirm", &ann.to_string())],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let mismatch = post_form(
            &app,
            &format!("/members/{ann}/erase"),
            &owner,
            &[("confirm", "1")],
        )
        .await;
        assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
        let api_refused = api_post(
            &app,
            "/api/v1/members/http:u-ann/erase",
            &owner,
            &json!({"confirm": 0}),
        )
        .await;
        assert_eq!(api_refused.status, StatusCode::BAD_REQUEST);
        let erased = post_form(
            &app,
            &format!("/members/{ann}/erase"),
            &owner,
            &[("confirm", &ann.to_string())],
        )
        .await;
        assert_eq!(erased.status, StatusCode::SEE_OTHER, "{}", erased.text());
        assert!(erased.location().contains("notice-member-erased"));

        let after = get(&app, &format!("/members/{ann}/export"), Some(&owner))
            .await
            .json();
        let dump = after.to_string();
        for gone in [
            "secret recipe",
            "second thought",
            "Annabel",
            "annq",
            "asked about the recipe",
        ] {
            assert!(!dump.contains(gone), "{gone} survived: {dump}");
        }
        assert_eq!(after["member"]["name"], format!("erased member #{ann}"));
        assert!(after["member"]["erased_at"].is_string());
        // Counts remain: the same messages, without their words.
        assert_eq!(texts(&after), ["", ""]);
        assert_eq!(after["memberships"][0]["messages"], 2);
        assert!(after["names"].as_array().unwrap().is_empty());
        assert!(after["notes"].as_array().unwrap().is_empty());
        assert_eq!(store.count_events().await.unwrap(), events_before);
        // The audit log keeps its rows and records the erasure, naming no one.
        let audit = store
            .member_audit(steward_core::MemberId(ann), 100)
            .await
            .unwrap();
        assert!(store.count_audit().await.unwrap() > audit_before);
        let erasure = audit.iter().find(|a| a.action == "member_erased").unwrap();
        assert_eq!(erasure.actor, "user:root");
        assert!(erasure.reason.is_none() && erasure.target.is_none() && erasure.evidence.is_none());
        assert!(audit.iter().any(|a| a.action == "member_note_added"));

        let html = get(&app, &format!("/members/{ann}"), Some(&owner))
            .await
            .text();
        for gone in ["secret recipe", "Annabel", "annq", "asked about the recipe"] {
            assert!(!html.contains(gone), "{gone} on the profile");
        }
        assert!(html.contains("was erased on request"), "{html}");
        // Others keep their own words.
        let zed = api_get(&app, "/api/v1/members/http:u-zed/export", &owner).await;
        assert_eq!(texts(&zed.json()), ["hi Annabel"]);
    }
);

both_backends!(
    erasure_holds_against_later_events_and_in_the_audit_log,
    |store: Store| async move {
        let app = app(store.clone());
        let at = Utc::now().to_rfc3339();
        ingest(
            &app,
            &json!([
                {"id": "j1", "platform": "http", "group": {"id": "g1", "title": "Group g1"},
                 "at": at, "kind": "member_joined", "member": {"id": "u-eve", "name": "Evelyn Spamwise", "username": "evespam"}},
                message("m1", "g1", "u-eve", "Evelyn Spamwise", "Crypto airdrop! Claim now"),
            ]),
        )
        .await;
        let owner = sign_in(&store, "root", Role::Owner).await;
        let eve = member_id(&store, "u-eve").await;
        let audit = api_get(&app, "/api/v1/audit", &owner).await;
        assert!(audit.text().contains("airdrop"), "{}", audit.text());

        let erased = api_post(
            &app,
            "/api/v1/members/http:u-eve/erase",
            &owner,
            &json!({"confirm": eve}),
        )
        .await;
        assert_eq!(erased.status, StatusCode::OK, "{}", erased.text());

        // The same account writes again, under its old name and a new one:
        // nothing writes a name back.
        ingest(
            &app,
            &json!([
                message("m2", "g1", "u-eve", "Evelyn Spamwise", "back again"),
                message("m3", "g1", "u-eve", "Evelyn Comeback", "and again"),
            ]),
        )
        .await;
        let export = get(&app, &format!("/members/{eve}/export"), Some(&owner))
            .await
            .json();
        let dump = export.to_string();
        for gone in ["Evelyn", "evespam", "airdrop"] {
            assert!(!dump.contains(gone), "{gone} in the export: {dump}");
        }
        assert_eq!(export["member"]["name"], format!("erased member #{eve}"));
        assert!(export["names"].as_array().unwrap().is_empty());
        let profile = get(&app, &format!("/members/{eve}"), Some(&owner))
            .await
            .text();
        for gone in ["Evelyn", "evespam", "airdrop"] {
            assert!(!profile.contains(gone), "{gone} on the profile");
        }

        // The audit log keeps its rows but no reader shows their words.
        let page = get(&app, "/audit", Some(&owner)).await.text();
        assert!(page.contains(&format!("erased member #{eve}")), "{page}");
        let csv = get(&app, "/audit.csv", Some(&owner)).await.text();
        let api = api_get(&app, "/api/v1/audit", &owner).await.text();
        for (name, text) in [("page", &page), ("csv", &csv), ("api", &api)] {
            for gone in ["airdrop", "Evelyn"] {
                assert!(!text.contains(gone), "{gone} in the audit {name}: {text}");
            }
        }
        let entries = store
            .member_audit(steward_core::MemberId(eve), 100)
            .await
            .unwrap();
        assert!(entries.iter().any(|a| a.rule.is_some()), "{entries:?}");
        assert!(
            entries
                .iter()
                .all(|a| a.evidence.is_none() && a.reason.is_none())
        );
    }
);
