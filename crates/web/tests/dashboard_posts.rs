//! The scheduled posts page: an operator drafts a post and submits it but
//! cannot approve it; an admin must give a reason to reject and approves
//! it; the calendar shows it; at its time the timer queues it for the HTTP
//! platform (no buttons there, so the links go in the text) and the
//! history shows the publication; every move is audited. On both backends.

mod support;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::json;
use steward_core::i18n::Lang;
use steward_core::posts::PostStatus;
use steward_core::{Platform, Role};
use steward_moderation::{Ladder, RuleSet};
use steward_runtime::Pipeline;
use steward_storage::audit::AuditFilter;
use steward_storage::{Store, both_backends};
use support::*;

both_backends!(
    posts_are_drafted_approved_and_sent,
    |store: Store| async move {
        let app = app(store.clone());
        ingest(
            &app,
            &json!([message("m1", "g1", "u-ann", "Ann Lee", "hello everyone")]),
        )
        .await;
        let group = store
            .find_group(Platform::Http, "g1")
            .await
            .unwrap()
            .unwrap()
            .id;
        let operator = sign_in(&store, "olga", Role::Operator).await;
        let admin = sign_in(&store, "ada", Role::Admin).await;
        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        let at = Utc::now() + Duration::days(1);
        let at_text = at.format("%Y-%m-%dT%H:%M").to_string();
        let target = format!("g:{}", group.0);
        let fields = [
            ("target", target.as_str()),
            ("title", "Weekly tips"),
            ("text", "Read the weekly tips"),
            ("image_url", "https://img.example/tips.png"),
            ("buttons", "Docs https://docs.example/tips"),
            ("at", at_text.as_str()),
            ("cron", ""),
        ];

        // A viewer cannot draft.
        let page = get(&app, "/posts", Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        assert!(!page.text().contains(r#"action="/posts""#));
        let refused = post_form(&app, "/posts", &viewer, &fields).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        // The operator drafts and submits.
        let created = post_form(&app, "/posts", &operator, &fields).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
        let post = store.posts(None, 10).await.unwrap().remove(0);
        assert_eq!(post.status, PostStatus::Draft);
        let moved = format!("/posts/{}/move", post.id);
        let answer = post_form(&app, &moved, &operator, &[("to", "pending")]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());

        // The operator may not approve (管理员抽查).
        let answer = post_form(&app, &moved, &operator, &[("to", "scheduled")]).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        let answer = post_form(
            &app,
            &moved,
            &operator,
            &[("to", "rejected"), ("reason", "x")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(
            store.post(post.id).await.unwrap().unwrap().status,
            PostStatus::Pending
        );

        // An admin must say why to reject; approves instead.
        let answer = post_form(&app, &moved, &admin, &[("to", "rejected")]).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        let answer = post_form(&app, &moved, &admin, &[("to", "scheduled")]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        assert_eq!(
            store.post(post.id).await.unwrap().unwrap().status,
            PostStatus::Scheduled
        );

        // The calendar shows it.
        let page = get(&app, "/posts", Some(&viewer)).await;
        let html = page.text();
        assert!(html.contains("The next 14 days"), "{html}");
        assert!(html.contains(&at.format("%Y-%m-%d").to_string()), "{html}");
        assert!(html.contains("Weekly tips"));

        // At its time the timer queues it; the HTTP platform has no
        // buttons, so the link goes in the text, and the image's link too.
        let timers = Pipeline::new(
            store.clone(),
            RuleSet::default_rules(),
            Ladder::default(),
            Lang::En,
        )
        .unwrap();
        assert_eq!(
            timers.run_timers(at - Duration::minutes(5)).await.unwrap(),
            0
        );
        assert_eq!(
            timers.run_timers(at + Duration::minutes(1)).await.unwrap(),
            1
        );
        let queued = store
            .pending_actions_after(Platform::Http, 0, 100)
            .await
            .unwrap();
        let sent = queued
            .iter()
            .map(|a| serde_json::to_string(&a.action).unwrap())
            .find(|a| a.contains("Read the weekly tips"))
            .expect("the post is queued");
        assert!(sent.contains("https://img.example/tips.png"), "{sent}");
        assert!(sent.contains("https://docs.example/tips"), "{sent}");
        assert_eq!(
            store.post(post.id).await.unwrap().unwrap().status,
            PostStatus::Published
        );
        let page = get(&app, "/posts", Some(&viewer)).await;
        assert!(page.text().contains("Published"));
        assert_eq!(store.post_publications(None, 10).await.unwrap().len(), 1);

        let audit = store
            .list_audit(&AuditFilter {
                limit: 1000,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        for (kind, actor) in [
            ("post_drafted", "user:olga"),
            ("post_submitted", "user:olga"),
            ("post_approved", "user:ada"),
            ("post_published", "system"),
        ] {
            assert!(
                audit.iter().any(|a| a.action == kind && a.actor == actor),
                "no {kind} by {actor}"
            );
        }
    }
);
