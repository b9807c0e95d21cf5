//! Communities' shared ban lists over the API and the dashboard: adding
//! bans in the groups of the community where the account is known,
//! permissions, import with the bad entry named, export → import round trip
//! (without the team's names), the door (a listed newcomer is banned, a
//! configured moderator is not), and a subscription synced between two
//! Stewards over HTTP (no redirects followed, no remote words echoed, no
//! token over plain http to another machine).

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chrono::Utc;
use serde_json::{Value, json};
use steward_config::Secret;
use steward_core::i18n::Lang;
use steward_core::{Action, Platform, Role};
use steward_moderation::{Ladder, RuleSet};
use steward_runtime::{GroupSettings, Pipeline};
use steward_storage::accounts::hash_secret;
use steward_storage::audit::AuditFilter;
use steward_storage::{Store, both_backends};
use steward_web::{AppState, WebSettings};

use support::{get, post_form, send, sign_in};

/// Makes `member` known in each of `groups` (a message there).
async fn seen(app: &Router, member: &str, groups: &[&str]) {
    let events: Vec<Value> = groups
        .iter()
        .map(|g| support::message(&format!("seen-{g}-{member}"), g, member, member, "hello"))
        .collect();
    support::ingest(app, &Value::Array(events)).await;
}

async fn pipeline(store: &Store, groups: &[(&str, &str)]) -> Pipeline {
    let pipeline = Pipeline::new(
        store.clone(),
        RuleSet::default_rules(),
        Ladder::default(),
        Lang::En,
    )
    .unwrap();
    for (id, community) in groups {
        pipeline
            .configure_group(
                Platform::Http,
                id,
                Some(&format!("Group {id}")),
                &GroupSettings {
                    community: Some((*community).to_owned()),
                    language: Lang::En,
                    chat: Default::default(),
                },
            )
            .await
            .unwrap();
    }
    pipeline
}

fn app_for(pipeline: Pipeline) -> Router {
    steward_web::router(AppState::new(
        pipeline,
        WebSettings {
            ingest_token: Secret::new(support::INGEST_TOKEN),
            max_batch: 100,
            max_text_bytes: 4096,
            max_body_bytes: 1 << 20,
            secure_cookies: false,
        },
    ))
}

async fn token(store: &Store, name: &str, role: Role) -> String {
    let token = format!("stw_{name}_token");
    let mut tx = store.begin().await.unwrap();
    let id = tx
        .insert_user(name, role, None, Utc::now())
        .await
        .unwrap()
        .unwrap();
    tx.insert_token(id, &hash_secret(&token), "t", Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    token
}

async fn call(
    app: &Router,
    method: Method,
    uri: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    let answer = send(app, request).await;
    (
        answer.status,
        serde_json::from_slice(&answer.body).unwrap_or(Value::Null),
    )
}

/// The bans and unbans waiting in the outbox: (group, action, member).
async fn queued(store: &Store) -> Vec<(String, String, String)> {
    store
        .pending_actions_after(Platform::Http, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|row| match row.action.action {
            Action::Ban { member, .. } => Some((row.action.group, "ban".to_owned(), member)),
            Action::Unban { member } => Some((row.action.group, "unban".to_owned(), member)),
            _ => None,
        })
        .collect()
}

fn accounts(list: &Value) -> Vec<String> {
    let mut found: Vec<String> = list["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["platform"].as_str().unwrap(),
                e["account"].as_str().unwrap()
            )
        })
        .collect();
    found.sort();
    found
}

both_backends!(
    the_api_bans_everywhere_and_checks_roles,
    |store: Store| async move {
        let app =
            app_for(pipeline(&store, &[("g1", "Acme"), ("g2", "Acme"), ("g3", "Beta")]).await);
        let viewer = token(&store, "vera", Role::Viewer).await;
        let operator = token(&store, "otto", Role::Operator).await;
        let admin = token(&store, "ada", Role::Admin).await;
        let list = "/api/v1/communities/Acme/ban-list";
        seen(&app, "spammer", &["g1", "g2", "g3"]).await;
        seen(&app, "a1", &["g1"]).await;

        let (status, body) = call(&app, Method::GET, list, &viewer, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["format"], "steward-ban-list");
        assert_eq!(body["version"], 1);
        assert_eq!(body["entries"], json!([]));
        let entry = json!({"platform": "http", "account": "spammer", "reason": "crypto spam"});
        for who in [&viewer, &operator] {
            let (status, body) = call(&app, Method::POST, list, who, Some(entry.clone())).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
            let (status, _) = call(
                &app,
                Method::POST,
                &format!("{list}/import"),
                who,
                Some(json!({"format": "steward-ban-list", "version": 1, "entries": []})),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let (status, body) = call(
            &app,
            Method::GET,
            "/api/v1/communities/Nope/ban-list",
            &viewer,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

        // Added: banned in both groups of Acme, not in Beta's.
        let (status, body) = call(&app, Method::POST, list, &admin, Some(entry.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["bans"], 2);
        let bans = queued(&store).await;
        assert_eq!(
            bans,
            [
                ("g1".to_owned(), "ban".to_owned(), "spammer".to_owned()),
                ("g2".to_owned(), "ban".to_owned(), "spammer".to_owned())
            ]
        );
        let audit = store
            .list_audit(&AuditFilter {
                limit: 100,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        let ban_rows: Vec<_> = audit.iter().filter(|a| a.action == "ban").collect();
        assert_eq!(ban_rows.len(), 2);
        assert!(
            ban_rows
                .iter()
                .all(|a| a.reason.as_deref() == Some("ban list: crypto spam")
                    && a.actor == "user:ada"
                    && a.outbox.is_some())
        );
        assert!(audit.iter().any(|a| a.action == "ban_list_added"));

        // The same account again: nothing new.
        let (status, body) = call(&app, Method::POST, list, &admin, Some(entry.clone())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["already"], true);
        assert_eq!(queued(&store).await.len(), 2);

        let (status, body) = call(
            &app,
            Method::POST,
            list,
            &admin,
            Some(json!({"platform": "icq", "account": "1"})),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["field"], "platform");
        // A Telegram @username names nobody the platform sends: refused.
        let (status, body) = call(
            &app,
            Method::POST,
            list,
            &admin,
            Some(json!({"platform": "telegram", "account": "@spammer"})),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["field"], "account");
        assert!(
            body["message"].as_str().unwrap().contains("numeric id"),
            "{body}"
        );

        // A bad import names the entry and stores nothing.
        let bad = json!({"format": "steward-ban-list", "version": 1, "entries": [
            {"platform": "http", "account": "a1"},
            {"platform": "http", "account": "has space"},
        ]});
        let (status, body) = call(
            &app,
            Method::POST,
            &format!("{list}/import"),
            &admin,
            Some(bad),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"], "invalid_ban_list");
        assert_eq!(body["field"], "entries[1].account");
        let (_, body) = call(&app, Method::GET, list, &viewer, None).await;
        assert_eq!(accounts(&body), ["http:spammer"]);

        // A good one merges without duplicates and bans the new accounts
        // where they are known (a1 in g1 only; 777 nowhere).
        let good = json!({"format": "steward-ban-list", "version": 1, "entries": [
            {"platform": "http", "account": "spammer", "reason": "dup"},
            {"platform": "http", "account": "a1", "reason": "ads", "added_at": "2026-01-02T03:04:05Z"},
            {"platform": "telegram", "account": "777"},
        ]});
        let (status, body) = call(
            &app,
            Method::POST,
            &format!("{list}/import"),
            &admin,
            Some(good),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (
                body["added"].as_u64(),
                body["already"].as_u64(),
                body["bans"].as_u64()
            ),
            (Some(2), Some(1), Some(1))
        );
        assert_eq!(queued(&store).await.len(), 3);

        // Export → import round trip into the other community.
        let (_, export) = call(&app, Method::GET, list, &viewer, None).await;
        assert_eq!(
            accounts(&export),
            ["http:a1", "http:spammer", "telegram:777"]
        );
        let a1 = export["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["account"] == "a1")
            .unwrap();
        assert_eq!(a1["reason"], "ads");
        assert_eq!(a1["source"], "import");
        // Who added an entry stays with the team.
        assert!(
            export["entries"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e.get("added_by").is_none()),
            "{export}"
        );
        let (status, body) = call(
            &app,
            Method::POST,
            "/api/v1/communities/Beta/ban-list/import",
            &admin,
            Some(export.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["added"], 3);
        // Beta's only group knows the spammer.
        assert_eq!(body["bans"], 1);
        let (_, beta) = call(
            &app,
            Method::GET,
            "/api/v1/communities/Beta/ban-list",
            &viewer,
            None,
        )
        .await;
        let strip = |list: &Value| -> Vec<(Value, Value, Value, Value)> {
            let mut out: Vec<_> = list["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e["platform"].clone(),
                        e["account"].clone(),
                        e["reason"].clone(),
                        e["added_at"].clone(),
                    )
                })
                .collect();
            out.sort_by_key(|e| e.1.to_string());
            out
        };
        assert_eq!(strip(&beta), strip(&export));
        let q = call(&app, Method::GET, &format!("{list}?q=AD"), &viewer, None)
            .await
            .1;
        assert_eq!(accounts(&q), ["http:a1"]);

        // Removing with unban lifts the bans everywhere in the community.
        let (status, _) = call(
            &app,
            Method::DELETE,
            &format!("{list}/entries/http/spammer?unban=true"),
            &operator,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = call(
            &app,
            Method::DELETE,
            &format!("{list}/entries/http/spammer?unban=true"),
            &admin,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["unbans"], 2);
        assert_eq!(body["removed"]["account"], "spammer");
        let unbans: Vec<_> = queued(&store)
            .await
            .into_iter()
            .filter(|q| q.1 == "unban")
            .collect();
        assert_eq!(unbans.len(), 2);
        let (status, _) = call(
            &app,
            Method::DELETE,
            &format!("{list}/entries/http/spammer"),
            &admin,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
);

both_backends!(
    a_listed_newcomer_is_banned_at_the_door,
    |store: Store| async move {
        let pipeline = pipeline(&store, &[("g1", "Acme")]).await;
        // g2 names `helper` as a moderator in its settings.
        pipeline
            .configure_group(
                Platform::Http,
                "g2",
                Some("Group g2"),
                &GroupSettings {
                    community: Some("Acme".to_owned()),
                    language: Lang::En,
                    chat: steward_core::settings::ChatSettings {
                        moderators: vec!["helper".to_owned()],
                        ..Default::default()
                    },
                },
            )
            .await
            .unwrap();
        let app = app_for(pipeline);
        let admin = token(&store, "ada", Role::Admin).await;
        // Known in both groups: banned in g1, spared (and audited) in g2.
        seen(&app, "helper", &["g1", "g2"]).await;
        let (status, body) = call(
            &app,
            Method::POST,
            "/api/v1/communities/Acme/ban-list",
            &admin,
            Some(json!({"platform": "http", "account": "helper", "reason": "mistake"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(
            (body["bans"].as_u64(), body["spared"].as_u64()),
            (Some(1), Some(1))
        );
        assert_eq!(
            queued(&store).await,
            [("g1".to_owned(), "ban".to_owned(), "helper".to_owned())]
        );
        let (status, _) = call(
            &app,
            Method::POST,
            "/api/v1/communities/Acme/ban-list",
            &admin,
            Some(json!({"platform": "http", "account": "bad", "reason": "raider"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let joined = |id: &str, member: &str, group: &str| {
            json!({"id": id, "platform": "http", "group": {"id": group}, "at": Utc::now().to_rfc3339(),
               "kind": "member_joined", "member": {"id": member, "name": member}})
        };
        let answer = support::ingest(
            &app,
            &json!([
                joined("j1", "bad", "g1"),
                joined("j2", "good", "g1"),
                joined("j3", "helper", "g2")
            ]),
        )
        .await;
        let results = answer.json();
        let kinds = |i: usize| -> Vec<String> {
            results["results"][i]["actions"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| x["kind"].as_str().unwrap_or_default().to_owned())
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(kinds(0), ["ban"], "{results}");
        assert!(!kinds(1).contains(&"ban".to_owned()), "{results}");
        // The group's moderator is let in.
        assert!(!kinds(2).contains(&"ban".to_owned()), "{results}");
        let audit = store
            .list_audit(&AuditFilter {
                limit: 100,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        let door = audit
            .iter()
            .find(|a| a.action == "ban" && a.actor == "system")
            .expect("the door's ban is audited");
        assert_eq!(door.reason.as_deref(), Some("ban list: raider"));
        assert!(door.event.is_some());
        let spared = audit
            .iter()
            .filter(|a| a.action == "ban_list_spared")
            .count();
        assert_eq!(spared, 2, "one when added, one at the door");
    }
);

both_backends!(
    a_subscription_follows_another_steward,
    |store: Store| async move {
        // The other Steward, served on a local port.
        let source = steward_storage::testing::TestStore::sqlite().await;
        let source_app = app_for(pipeline(&source.store, &[("s1", "Source")]).await);
        let source_admin = token(&source.store, "sam", Role::Admin).await;
        let source_viewer = token(&source.store, "sue", Role::Viewer).await;
        for account in ["x1", "x2"] {
            let (status, _) = call(
                &source_app,
                Method::POST,
                "/api/v1/communities/Source/ban-list",
                &source_admin,
                Some(json!({"platform": "http", "account": account, "reason": "known spammer"})),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED);
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let served = source_app.clone();
        let server = tokio::spawn(async move {
            axum::serve(listener, served).await.unwrap();
        });
        let url = format!("http://127.0.0.1:{port}/api/v1/communities/Source/ban-list");

        let pipeline = pipeline(&store, &[("g1", "Acme"), ("g2", "Acme")]).await;
        let app = app_for(pipeline.clone());
        let admin = token(&store, "ada", Role::Admin).await;
        let operator = token(&store, "otto", Role::Operator).await;
        seen(&app, "x1", &["g1", "g2"]).await;
        seen(&app, "x2", &["g1", "g2"]).await;
        seen(&app, "x3", &["g1"]).await;
        let subs = "/api/v1/communities/Acme/ban-list/subscriptions";
        // A token never travels over plain http to another machine.
        let (status, body) = call(
            &app,
            Method::POST,
            subs,
            &admin,
            Some(json!({"url": "http://steward.example.org/api/v1/communities/1/ban-list", "token": "stw_x"})),
        )
        .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("token")),
            "{body}"
        );
        let (status, _) = call(
            &app,
            Method::POST,
            subs,
            &operator,
            Some(json!({"url": url, "token": source_viewer})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = call(
            &app,
            Method::POST,
            subs,
            &admin,
            Some(json!({"url": "ftp://x"})),
        )
        .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("url"))
        );
        let (status, body) = call(
            &app,
            Method::POST,
            subs,
            &admin,
            Some(json!({"url": url, "token": source_viewer})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["has_token"], true);
        assert!(body.get("token").is_none());
        let id = body["id"].as_i64().unwrap();
        let (status, _) = call(&app, Method::POST, subs, &admin, Some(json!({"url": url}))).await;
        assert_eq!(status, StatusCode::CONFLICT);

        // Sync now: both accounts arrive, marked with the source, and are banned.
        let (status, body) = call(
            &app,
            Method::POST,
            &format!("{subs}/{id}/sync"),
            &admin,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (
                body["fetched"].as_u64(),
                body["added"].as_u64(),
                body["bans"].as_u64()
            ),
            (Some(2), Some(2), Some(4))
        );
        let (_, list) = call(
            &app,
            Method::GET,
            "/api/v1/communities/Acme/ban-list",
            &admin,
            None,
        )
        .await;
        assert_eq!(accounts(&list), ["http:x1", "http:x2"]);
        assert!(
            list["entries"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["source"] == "subscription")
        );
        assert_eq!(queued(&store).await.len(), 4);

        // The source drops one and adds one; the worker's round follows.
        let (status, _) = call(
            &source_app,
            Method::DELETE,
            "/api/v1/communities/Source/ban-list/entries/http/x1",
            &source_admin,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = call(
            &source_app,
            Method::POST,
            "/api/v1/communities/Source/ban-list",
            &source_admin,
            Some(json!({"platform": "http", "account": "x3"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        steward_runtime::ban_lists::sync_all(&pipeline, &steward_runtime::ban_lists::http_client())
            .await
            .unwrap();
        let (_, list) = call(
            &app,
            Method::GET,
            "/api/v1/communities/Acme/ban-list",
            &admin,
            None,
        )
        .await;
        assert_eq!(accounts(&list), ["http:x2", "http:x3"]);
        let (_, subscriptions) = call(&app, Method::GET, subs, &operator, None).await;
        assert_eq!(subscriptions[0]["entries"], 2);
        assert!(subscriptions[0]["last_success_at"].is_string());
        assert_eq!(subscriptions[0]["last_error"], Value::Null);

        assert_eq!(queued(&store).await.len(), 5);

        // A wrong token: the failure is recorded and shown, nothing changes.
        let (status, body) = call(
            &app,
            Method::POST,
            subs,
            &admin,
            Some(json!({"url": format!("{url}?again"), "token": "stw_wrong"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let bad = body["id"].as_i64().unwrap();
        let (status, body) = call(
            &app,
            Method::POST,
            &format!("{subs}/{bad}/sync"),
            &admin,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
        assert!(body["message"].as_str().unwrap().contains("401"), "{body}");
        let (_, subscriptions) = call(&app, Method::GET, subs, &admin, None).await;
        let failed = subscriptions
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == bad)
            .unwrap();
        assert!(
            failed["last_error"].as_str().unwrap().contains("401"),
            "{failed}"
        );
        assert_eq!(failed["last_success_at"], Value::Null);

        // A list that moved is not followed, and what a server says in its
        // error body is not repeated.
        let odd = Router::new()
            .route(
                "/moved",
                axum::routing::get({
                    let url = url.clone();
                    move || async move { axum::response::Redirect::temporary(&url) }
                }),
            )
            .route(
                "/oops",
                axum::routing::get(|| async {
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        axum::Json(json!({"message": "internal-secret-123"})),
                    )
                }),
            )
            .route(
                "/html",
                axum::routing::get(|| async { "<html>internal-secret-123</html>" }),
            );
        let odd_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let odd_port = odd_listener.local_addr().unwrap().port();
        let odd_server = tokio::spawn(async move {
            axum::serve(odd_listener, odd).await.unwrap();
        });
        for (path, expect) in [("moved", "307"), ("oops", "500"), ("html", "not valid")] {
            let (status, body) = call(
                &app,
                Method::POST,
                subs,
                &admin,
                Some(json!({"url": format!("http://127.0.0.1:{odd_port}/{path}"), "token": source_viewer})),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            let odd_id = body["id"].as_i64().unwrap();
            let (status, body) = call(
                &app,
                Method::POST,
                &format!("{subs}/{odd_id}/sync"),
                &admin,
                None,
            )
            .await;
            assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
            let message = body["message"].as_str().unwrap();
            assert!(message.contains(expect), "{path}: {message}");
            assert!(!message.contains("internal-secret"), "{path}: {message}");
            let (status, _) = call(
                &app,
                Method::DELETE,
                &format!("{subs}/{odd_id}"),
                &admin,
                None,
            )
            .await;
            assert_eq!(status, StatusCode::NO_CONTENT);
        }
        odd_server.abort();

        // Unsubscribing drops what came through it.
        let (status, _) = call(&app, Method::DELETE, &format!("{subs}/{id}"), &admin, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, list) = call(
            &app,
            Method::GET,
            "/api/v1/communities/Acme/ban-list",
            &admin,
            None,
        )
        .await;
        assert_eq!(accounts(&list), Vec::<String>::new());
        server.abort();
    }
);

both_backends!(
    the_dashboard_page_works_and_checks_roles,
    |store: Store| async move {
        let app = app_for(pipeline(&store, &[("g1", "Acme"), ("g2", "Acme")]).await);
        let admin = sign_in(&store, "ada", Role::Admin).await;
        let viewer = sign_in(&store, "vera", Role::Viewer).await;
        let community = store.find_community("Acme").await.unwrap().unwrap().id.0;
        let base = format!("/ban-lists/{community}");
        seen(&app, "z9", &["g1", "g2"]).await;
        seen(&app, "y1", &["g1", "g2"]).await;

        let index = get(&app, "/ban-lists", Some(&viewer)).await;
        assert_eq!(index.status, StatusCode::OK);
        assert!(index.text().contains("Acme"));
        let page = get(&app, &base, Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.text().contains(&format!("{base}/add")),
            "viewers get no add form"
        );
        let refused = post_form(
            &app,
            &format!("{base}/add"),
            &viewer,
            &[("platform", "http"), ("account", "z"), ("reason", "")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        let added = post_form(
            &app,
            &format!("{base}/add"),
            &admin,
            &[
                ("platform", "http"),
                ("account", "z9"),
                ("reason", "<b>scam</b>"),
            ],
        )
        .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
        assert!(added.location().contains("notice-banlist-added"));
        assert_eq!(queued(&store).await.len(), 2);
        let page = get(&app, added.location(), Some(&admin)).await;
        let html = page.text();
        assert!(
            html.contains("z9") && html.contains("&lt;b&gt;scam"),
            "{html}"
        );
        assert!(html.contains(&format!("{base}/add")));

        let bad = post_form(&app, &format!("{base}/import"), &admin, &[("list", r#"{"format":"steward-ban-list","version":1,"entries":[{"platform":"tg","account":"1"}]}"#)]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.text().contains("entries[0].platform"), "{}", bad.text());

        // Check errors in the reader's language.
        let username = post_form(
            &app,
            &format!("{base}/add"),
            &admin,
            &[
                ("platform", "telegram"),
                ("account", "@troll"),
                ("reason", ""),
            ],
        )
        .await;
        assert_eq!(username.status, StatusCode::BAD_REQUEST);
        assert!(
            username.text().contains("not a @username"),
            "{}",
            username.text()
        );
        let switched = post_form(&app, "/language", &admin, &[("lang", "ru")]).await;
        assert!(switched.status.is_redirection(), "{}", switched.text());
        let username = post_form(
            &app,
            &format!("{base}/add"),
            &admin,
            &[
                ("platform", "telegram"),
                ("account", "@troll"),
                ("reason", ""),
            ],
        )
        .await;
        assert!(
            username.text().contains("числовой id"),
            "{}",
            username.text()
        );
        let bad = post_form(&app, &format!("{base}/import"), &admin, &[("list", r#"{"format":"steward-ban-list","version":1,"entries":[{"platform":"telegram","account":"@x"}]}"#)]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(
            bad.text().contains("entries[0].account") && bad.text().contains("числовой id"),
            "{}",
            bad.text()
        );
        let refused = post_form(
            &app,
            &format!("{base}/subscriptions"),
            &admin,
            &[("url", "http://steward.example.org/x"), ("token", "stw_x")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.text().contains("https://"), "{}", refused.text());
        post_form(&app, "/language", &admin, &[("lang", "en")]).await;
        let export = get(&app, &format!("{base}/export"), Some(&viewer)).await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(
            export.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        let document = export.json();
        assert_eq!(accounts(&document), ["http:z9"]);

        let good = post_form(&app, &format!("{base}/import"), &admin, &[("list", r#"{"format":"steward-ban-list","version":1,"entries":[{"platform":"http","account":"y1"},{"platform":"http","account":"z9"}]}"#)]).await;
        assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.text());
        assert!(
            good.location().contains("added=1&already=1&bans=2"),
            "{}",
            good.location()
        );
        let searched = get(&app, &format!("{base}?q=y1"), Some(&viewer))
            .await
            .text();
        assert!(
            searched.contains("y1") && !searched.contains(">z9<"),
            "{searched}"
        );

        // A subscription that cannot be reached: the error is shown.
        let refused = post_form(
            &app,
            &format!("{base}/subscriptions"),
            &viewer,
            &[("url", "http://127.0.0.1:9/x"), ("token", "")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let subscribed = post_form(
            &app,
            &format!("{base}/subscriptions"),
            &admin,
            &[("url", "http://127.0.0.1:9/x"), ("token", "")],
        )
        .await;
        assert_eq!(subscribed.status, StatusCode::SEE_OTHER);
        let id = store.subscriptions(None).await.unwrap()[0].id;
        let synced = post_form(
            &app,
            &format!("{base}/subscriptions/{id}/sync"),
            &admin,
            &[],
        )
        .await;
        assert!(
            synced.location().contains("notice-banlist-sync-failed"),
            "{}",
            synced.location()
        );
        let page = get(&app, &base, Some(&viewer)).await.text();
        assert!(page.contains("cannot"), "{page}");

        let entry = store
            .ban_entries(steward_core::CommunityId(community), Some("y1"), 1)
            .await
            .unwrap()[0]
            .id;
        let removed = post_form(
            &app,
            &format!("{base}/remove"),
            &admin,
            &[("entry", &entry.to_string()), ("unban", "on")],
        )
        .await;
        assert!(removed.location().contains("notice-banlist-removed"));
        assert_eq!(
            queued(&store)
                .await
                .iter()
                .filter(|q| q.1 == "unban")
                .count(),
            2
        );
        let unsubscribed = post_form(
            &app,
            &format!("{base}/subscriptions/{id}/remove"),
            &admin,
            &[],
        )
        .await;
        assert!(
            unsubscribed
                .location()
                .contains("notice-banlist-unsubscribed")
        );
    }
);
