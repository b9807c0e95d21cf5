//! The polls and quizzes page: a poll and a quiz started from the
//! dashboard (posted to the group with answer buttons), answered by button
//! presses through the ingest API, closed by an admin (audited), with the
//! counts, voters and the quiz's scoreboard shown; viewers may look but
//! neither start nor close. On both backends.

mod support;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use steward_core::{Platform, Role};
use steward_storage::audit::AuditFilter;
use steward_storage::{Store, both_backends};
use support::*;

fn press(id: &str, member: &str, name: &str, data: &str) -> Value {
    json!({
        "id": id,
        "platform": "http",
        "group": {"id": "g1", "title": "Group g1"},
        "at": Utc::now().to_rfc3339(),
        "kind": "button_pressed",
        "member": {"id": member, "name": name},
        "button": {"message_id": "x", "data": data, "query_id": id}
    })
}

both_backends!(
    polls_and_quizzes_are_started_answered_and_closed,
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
            .0
            .to_string();
        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        let admin = sign_in(&store, "ada", Role::Admin).await;
        let closes = (Utc::now() + Duration::days(1))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        let poll_form = [
            ("group", group.as_str()),
            ("question", "Tea or coffee?"),
            ("options", "Tea\nCoffee\n"),
            ("closes", closes.as_str()),
        ];

        // A viewer sees the page but cannot start anything.
        let page = get(&app, "/polls", Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        assert!(page.text().contains(r#"href="/polls""#));
        assert!(!page.text().contains(r#"action="/polls/poll""#));
        let refused = post_form(&app, "/polls/poll", &viewer, &poll_form).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        // One option is not a poll.
        let mut one = poll_form;
        one[2].1 = "Tea";
        let bad = post_form(&app, "/polls/poll", &admin, &one).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(store.polls(None, 10).await.unwrap().is_empty());

        // The admin starts a poll; two members vote; it is closed.
        let created = post_form(&app, "/polls/poll", &admin, &poll_form).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
        let poll = store.polls(None, 10).await.unwrap().remove(0);
        assert!(
            created
                .location()
                .starts_with(&format!("/polls/{}", poll.id))
        );
        let sent = store
            .pending_actions_after(Platform::Http, 0, 100)
            .await
            .unwrap();
        let sent =
            serde_json::to_string(&sent.iter().map(|a| &a.action).collect::<Vec<_>>()).unwrap();
        assert!(sent.contains("Tea or coffee?"), "{sent}");
        assert!(sent.contains(&format!("poll:{}:0:1", poll.id)), "{sent}");
        ingest(
            &app,
            &json!([
                press("b1", "u-ann", "Ann Lee", &format!("poll:{}:0:1", poll.id)),
                press("b2", "u-bob", "Bob", &format!("poll:{}:0:1", poll.id)),
                press("b3", "u-bob", "Bob", &format!("poll:{}:0:0", poll.id)),
            ]),
        )
        .await;
        assert_eq!(store.poll_answers(poll.id).await.unwrap().len(), 2);
        let close = format!("/polls/{}/close", poll.id);
        let refused = post_form(&app, &close, &viewer, &[]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let closed = post_form(&app, &close, &admin, &[]).await;
        assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.text());
        assert!(!store.poll(poll.id).await.unwrap().unwrap().is_open());
        let html = get(&app, &format!("/polls/{}", poll.id), Some(&viewer))
            .await
            .text();
        assert!(html.contains("Coffee"), "{html}");
        assert!(html.contains("Ann Lee") && html.contains("Bob"), "{html}");
        assert!(!html.contains(&close));

        // A quiz, from the question list; answered and closed.
        let quiz_form = [
            ("group", group.as_str()),
            ("title", "Capitals"),
            ("seconds", "60"),
            ("questions", "Capital of France? | Lyon | *Paris\n"),
        ];
        let created = post_form(&app, "/polls/quiz", &admin, &quiz_form).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
        let quiz = store.polls(None, 10).await.unwrap().remove(0);
        assert!(quiz.is_quiz());
        ingest(
            &app,
            &json!([
                press("c1", "u-bob", "Bob", &format!("poll:{}:0:1", quiz.id)),
                press("c2", "u-ann", "Ann Lee", &format!("poll:{}:0:1", quiz.id)),
            ]),
        )
        .await;
        let closed = post_form(&app, &format!("/polls/{}/close", quiz.id), &admin, &[]).await;
        assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.text());
        let html = get(&app, &format!("/polls/{}", quiz.id), Some(&viewer))
            .await
            .text();
        let bob = html.find("<td>Bob").expect("Bob on the scoreboard");
        let ann = html.find("<td>Ann Lee").expect("Ann on the scoreboard");
        assert!(bob < ann, "Bob answered first: {html}");

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
                .any(|a| a.action == "poll_started" && a.actor == "user:ada")
        );
        assert!(
            audit
                .iter()
                .filter(|a| a.action == "poll_closed" && a.actor == "user:ada")
                .count()
                == 2
        );
    }
);
