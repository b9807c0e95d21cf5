//! The scheduled posts page: an operator drafts a post and submits it but
//! cannot approve it; an admin must give a reason to reject and approves
//! it; the calendar shows it; at its time the timer queues it for the HTTP
//! platform (no buttons there, so the links go in the text) and the
//! history shows the publication; every move is audited. A draft, a post
//! waiting for approval or a rejected one can be edited (back to draft),
//! and a time for a whole community is read in its first group's time zone
//! unless another is picked. On both backends.

mod support;

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate, Utc};
use serde_json::json;
use steward_core::i18n::Lang;
use steward_core::posts::{PostStatus, Schedule};
use steward_core::settings::ChatSettings;
use steward_core::{Platform, Role};
use steward_moderation::{Ladder, RuleSet};
use steward_runtime::{GroupSettings, Pipeline};
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

/// The instant `2030-01-15 hh:mm` UTC.
fn utc_at(hour: u32, minute: u32) -> chrono::DateTime<Utc> {
    NaiveDate::from_ymd_opt(2030, 1, 15)
        .and_then(|d| d.and_hms_opt(hour, minute, 0))
        .unwrap()
        .and_utc()
}

both_backends!(
    posts_are_edited_and_community_times_use_the_first_groups_zone,
    |store: Store| async move {
        let setup = Pipeline::new(
            store.clone(),
            RuleSet::default_rules(),
            Ladder::default(),
            Lang::En,
        )
        .unwrap();
        // Two groups of one community in different zones: the first one's
        // zone reads the community's times, and the form says so.
        for (id, zone) in [("g1", "Asia/Shanghai"), ("g2", "Europe/Berlin")] {
            setup
                .configure_group(
                    Platform::Http,
                    id,
                    Some(&format!("Group {id}")),
                    &GroupSettings {
                        community: Some("Acme".to_owned()),
                        language: Lang::En,
                        chat: ChatSettings {
                            timezone: Some(zone.to_owned()),
                            ..ChatSettings::default()
                        },
                    },
                )
                .await
                .unwrap();
        }
        let community = store.find_community("Acme").await.unwrap().unwrap().id;
        let app = app(store.clone());
        let operator = sign_in(&store, "olga", Role::Operator).await;
        let admin = sign_in(&store, "ada", Role::Admin).await;
        let viewer = sign_in(&store, "vic", Role::Viewer).await;

        let page = get(&app, "/posts", Some(&operator)).await;
        let html = page.text();
        assert!(
            html.contains("Every group of Acme · Asia/Shanghai (UTC+08:00)"),
            "{html}"
        );
        assert!(
            html.contains("Every group of Acme: the groups are not all in one time zone; the time is read in Asia/Shanghai (UTC+08:00)."),
            "{html}"
        );
        assert!(html.contains(r#"<option value="Europe/Berlin">"#), "{html}");

        // 09:00 for the whole community is 09:00 in Shanghai.
        let target = format!("c:{}", community.0);
        let mut fields = vec![
            ("target", target.as_str()),
            ("title", "Morning tips"),
            ("text", "Good morning"),
            ("image_url", ""),
            ("buttons", ""),
            ("at", "2030-01-15T09:00"),
            ("zone", ""),
            ("cron", ""),
        ];
        let created = post_form(&app, "/posts", &operator, &fields).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
        let post = store.posts(None, 10).await.unwrap().remove(0);
        assert_eq!(post.draft.community, Some(community));
        assert_eq!(post.draft.schedule, Schedule::Once { at: utc_at(1, 0) });
        let edit = format!("/posts/{}/edit", post.id);

        // The list links to the edit page, which shows the post as typed.
        let page = get(&app, "/posts", Some(&operator)).await;
        assert!(page.text().contains(&format!(r#"href="{edit}""#)));
        let form = get(&app, &edit, Some(&operator)).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.text());
        let html = form.text();
        assert!(html.contains(r#"value="Morning tips""#), "{html}");
        assert!(html.contains(r#"value="2030-01-15T09:00""#), "{html}");
        assert!(
            html.contains(&format!(r#"<option value="{target}" selected>"#)),
            "{html}"
        );

        // A viewer may neither see the form nor edit; a form without the
        // session's CSRF token is refused.
        assert_eq!(
            get(&app, &edit, Some(&viewer)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            post_form(&app, &edit, &viewer, &fields).await.status,
            StatusCode::FORBIDDEN
        );
        let forged = post_form_raw(&app, &edit, Some(&operator), &fields).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(
            get(&app, "/posts/999999/edit", Some(&operator))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // The operator edits the draft, reading the time in Berlin.
        fields[1] = ("title", "Morning news");
        fields[6] = ("zone", "Europe/Berlin");
        let saved = post_form(&app, &edit, &operator, &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        let edited = store.post(post.id).await.unwrap().unwrap();
        assert_eq!(edited.draft.title, "Morning news");
        assert_eq!(edited.draft.schedule, Schedule::Once { at: utc_at(8, 0) });
        assert_eq!(edited.status, PostStatus::Draft);

        // An unknown zone is refused.
        fields[6] = ("zone", "Mars/Olympus");
        let refused = post_form(&app, &edit, &operator, &fields).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        fields[6] = ("zone", "");

        // Submitted, it can still be edited: it goes back to draft, to be
        // approved again. A refused edit leaves it waiting.
        let moved = format!("/posts/{}/move", post.id);
        let answer = post_form(&app, &moved, &operator, &[("to", "pending")]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        fields[1] = ("title", "");
        let refused = post_form(&app, &edit, &operator, &fields).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            store.post(post.id).await.unwrap().unwrap().status,
            PostStatus::Pending
        );
        fields[1] = ("title", "Morning digest");
        let saved = post_form(&app, &edit, &operator, &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        let edited = store.post(post.id).await.unwrap().unwrap();
        assert_eq!(edited.status, PostStatus::Draft);
        assert_eq!(edited.draft.title, "Morning digest");
        assert_eq!(edited.draft.schedule, Schedule::Once { at: utc_at(1, 0) });

        // Once approved it cannot be edited.
        for (who, to) in [(&operator, "pending"), (&admin, "scheduled")] {
            let answer = post_form(&app, &moved, who, &[("to", to)]).await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        }
        assert_eq!(
            get(&app, &edit, Some(&operator)).await.status,
            StatusCode::BAD_REQUEST
        );
        let refused = post_form(&app, &edit, &operator, &fields).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            store.post(post.id).await.unwrap().unwrap().draft.title,
            "Morning digest"
        );
    }
);
