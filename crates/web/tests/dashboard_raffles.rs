//! The raffles page: a raffle opened from the dashboard (announced with its
//! seed's hash), entered by `/enter` through the ingest API, closed early
//! by an admin (audited, the seed and winners shown), and its verification
//! file downloaded and checked; viewers may look but neither open nor
//! close. On both backends.

mod support;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::json;
use steward_core::raffle::{self, Published};
use steward_core::{Platform, Role};
use steward_storage::audit::AuditFilter;
use steward_storage::{Store, both_backends};
use support::*;

both_backends!(
    raffles_are_opened_entered_and_closed,
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
            .id
            .0;
        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        let admin = sign_in(&store, "ada", Role::Admin).await;
        let ends = (Utc::now() + Duration::days(2))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        let form = |title: &'static str| {
            vec![
                ("group", group.to_string()),
                ("title", title.to_owned()),
                ("prize", "A mug".to_owned()),
                ("winners", "1".to_owned()),
                ("ends", ends.clone()),
                ("min_messages", "1".to_owned()),
                ("message_days", "7".to_owned()),
                ("min_member_days", "0".to_owned()),
                ("min_points", "0".to_owned()),
                ("entry_cost", "0".to_owned()),
            ]
        };

        // A viewer sees the page but cannot open a raffle.
        let page = get(&app, "/raffles", Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        assert!(page.text().contains(r#"href="/raffles""#));
        assert!(!page.text().contains(r#"action="/raffles""#));
        let spring = form("Spring mug");
        let spring: Vec<(&str, &str)> = spring.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = post_form(&app, "/raffles", &viewer, &spring).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(store.raffles(None, 10).await.unwrap().is_empty());

        // A draw time in the past is refused.
        let mut past = form("Old");
        past[4].1 = "2000-01-01T10:00".to_owned();
        let past: Vec<(&str, &str)> = past.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let bad = post_form(&app, "/raffles", &admin, &past).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);

        // An admin opens one: it is announced with the seed's hash.
        let created = post_form(&app, "/raffles", &admin, &spring).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
        let raffle = store.raffles(None, 10).await.unwrap().remove(0);
        assert!(
            created
                .location()
                .starts_with(&format!("/raffles/{}", raffle.id))
        );
        let announced = store
            .pending_actions_after(Platform::Http, 0, 100)
            .await
            .unwrap();
        assert!(
            announced.iter().any(|a| serde_json::to_string(&a.action)
                .unwrap()
                .contains(&raffle.seed_hash)),
            "{announced:?}"
        );

        // Ann (who has written) enters; Bob (who has not) is refused.
        ingest(
            &app,
            &json!([
                message("m2", "g1", "u-ann", "Ann Lee", "/enter"),
                message("m3", "g1", "u-bob", "Bob", "/enter"),
            ]),
        )
        .await;
        assert_eq!(store.raffle_entries(raffle.id).await.unwrap().len(), 1);
        let page = get(&app, &format!("/raffles/{}", raffle.id), Some(&viewer)).await;
        let html = page.text();
        assert!(html.contains(&raffle.seed_hash));
        assert!(
            !html.contains(&raffle.seed),
            "the seed stays secret while open"
        );
        assert!(!html.contains(&format!(r#"action="/raffles/{}/close""#, raffle.id)));

        // The viewer cannot close it; the admin can.
        let close = format!("/raffles/{}/close", raffle.id);
        let refused = post_form(&app, &close, &viewer, &[]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(store.raffle(raffle.id).await.unwrap().unwrap().is_open());
        let closed = post_form(&app, &close, &admin, &[]).await;
        assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.text());
        let drawn = store.raffle(raffle.id).await.unwrap().unwrap();
        assert!(!drawn.is_open());
        assert_eq!(drawn.drawn_winners, vec!["u-ann".to_owned()]);
        let html = get(&app, &format!("/raffles/{}", raffle.id), Some(&viewer))
            .await
            .text();
        assert!(html.contains(&drawn.seed));
        assert!(html.contains("Ann Lee"));

        // The verification file checks out; tampered, it does not.
        let file = get(
            &app,
            &format!("/raffles/{}/verify.json", raffle.id),
            Some(&viewer),
        )
        .await;
        assert_eq!(file.status, StatusCode::OK);
        let published: Published = serde_json::from_str(&file.text()).unwrap();
        assert_eq!(published.seed.as_deref(), Some(drawn.seed.as_str()));
        assert_eq!(raffle::verify(&published), vec![]);
        let mut tampered = published.clone();
        tampered.entries.push("u-bob".into());
        assert!(!raffle::verify(&tampered).is_empty());

        let audit = store
            .list_audit(&AuditFilter {
                limit: 100,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.action == "raffle_opened" && a.actor == "user:ada")
        );
        assert!(
            audit
                .iter()
                .any(|a| a.action == "raffle_drawn" && a.actor == "user:ada")
        );
    }
);
