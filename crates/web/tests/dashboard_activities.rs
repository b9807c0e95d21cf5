//! The events page: an admin announces an event (start typed in the group's
//! time zone), the announcement with its buttons is queued for the group,
//! members sign up through the ingest path and the page lists them with the
//! waiting list; viewers may look but not announce; cancelling is audited.

mod support;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::json;
use steward_core::{Action, Platform, Role};
use steward_storage::{Store, both_backends};
use support::*;

both_backends!(
    an_event_is_announced_filled_and_cancelled,
    |store: Store| async move {
        let app = app(store.clone());
        ingest(&app, &json!([message("m1", "g1", "u1", "Ann", "hello")])).await;
        let group = store.list_groups().await.unwrap()[0].group.id.0;
        let admin = sign_in(&store, "ada", Role::Admin).await;
        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        let starts = (Utc::now() + Duration::days(3))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        let fields = [
            ("group", group.to_string()),
            ("title", "Rust meetup".to_owned()),
            ("description", "Talks and tea".to_owned()),
            ("starts", starts),
            ("cap", "1".to_owned()),
            ("reminders", "1d, 1h".to_owned()),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = post_form(&app, "/activities", &viewer, &fields).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let made = post_form(&app, "/activities", &admin, &fields).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text());

        let queued = store
            .pending_actions_after(Platform::Http, 0, 100)
            .await
            .unwrap();
        let announcement = queued
            .iter()
            .find_map(|r| match &r.action.action {
                Action::SendMessage { text, buttons, .. } if text.contains("Rust meetup") => {
                    Some(buttons.clone())
                }
                _ => None,
            })
            .expect("the announcement is queued");
        let data: Vec<String> = announcement
            .iter()
            .flatten()
            .filter_map(|b| b.data.clone())
            .collect();
        let join = data
            .iter()
            .find(|d| d.ends_with(":join"))
            .expect("a sign-up button")
            .clone();

        // Ann by the button, Bob by command: Bob waits (one place).
        let press = json!([{
            "id": "p1", "platform": "http", "group": {"id": "g1"}, "at": Utc::now().to_rfc3339(),
            "kind": "button_pressed", "member": {"id": "u1", "name": "Ann"},
            "button": {"data": join}
        }]);
        assert_eq!(ingest(&app, &press).await.status, StatusCode::OK);
        ingest(&app, &json!([message("m2", "g1", "u2", "Bob", "/signup")])).await;

        let page = get(&app, "/activities", Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("Rust meetup"), "{html}");
        assert!(html.contains("Signed up: 1 of 1"), "{html}");
        assert!(html.contains("waiting: 1"), "{html}");
        assert!(html.contains("Ann") && html.contains("Bob"), "{html}");
        assert!(!html.contains("Announce an event"), "viewers get no form");

        let id = store.activities(None, 10).await.unwrap()[0].id;
        let cancelled = post_form(&app, &format!("/activities/{id}/cancel"), &admin, &[]).await;
        assert_eq!(
            cancelled.status,
            StatusCode::SEE_OTHER,
            "{}",
            cancelled.text()
        );
        assert!(
            get(&app, "/activities", Some(&admin))
                .await
                .text()
                .contains("cancelled")
        );
    }
);
