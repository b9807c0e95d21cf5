//! Event sign-ups (接龙) end to end against the Bot API test server: an
//! event announced with Sign up / Cancel buttons; sign-ups by the button,
//! by `/signup` and by a `+1` reply to the announcement, the announcement
//! edited with the list; the cap with a waiting list, and the first waiting
//! moving up (and told) when someone cancels; a reminder posted by
//! `run_timers` at its time and only once; sign-ups closed at the start.
//! On both backends.

mod support;

use chrono::{Duration, Utc};
use steward_core::Platform;
use steward_core::settings::ChatSettings;
use steward_runtime::ActivitySpec;
use steward_storage::Store;
use steward_telegram_testserver::{TestServer, updates};
use support::*;

const ANN: i64 = 91;
const BOB: i64 = 92;
const CARL: i64 = 93;

fn group_texts(server: &TestServer) -> Vec<String> {
    server
        .sent_messages(GROUP)
        .iter()
        .filter_map(|m| m["text"].as_str().map(str::to_owned))
        .collect()
}

async fn wait_for_text(server: &TestServer, needle: &str, times: usize) -> Vec<String> {
    until(|| {
        group_texts(server)
            .iter()
            .filter(|t| t.contains(needle))
            .count()
            >= times
    })
    .await;
    group_texts(server)
}

steward_storage::both_backends!(
    members_sign_up_wait_move_up_and_are_reminded,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, ChatSettings::default()).await;
        let ann = updates::user(ANN, "Ann", "ann");
        let bob = updates::user(BOB, "Bob", "bob");
        let carl = updates::user(CARL, "Carl", "carl");
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &carl, 5, now() - 60, "hello"),
        );
        wait_for_events(&store, 1).await;
        let group_id = store
            .find_group(Platform::Telegram, &GROUP.to_string())
            .await
            .unwrap()
            .unwrap()
            .id;
        let created = Utc::now();
        let starts = created + Duration::days(2);
        let id = h
            .pipeline
            .create_activity(
                &ActivitySpec {
                    group: group_id,
                    title: "Rust talk".into(),
                    description: "Online, 1 hour".into(),
                    starts,
                    cap: Some(2),
                    reminders: vec![60, 24 * 60],
                },
                "user:owner",
                created,
            )
            .await
            .unwrap();
        wait_for_text(&h.server, "Rust talk", 1).await;
        let announcement = h
            .server
            .sent_messages(GROUP)
            .into_iter()
            .find(|m| m["text"].as_str().is_some_and(|t| t.contains("Rust talk")))
            .unwrap();
        let join = card_button(&announcement, &format!("act:{id}:join"));
        let leave = card_button(&announcement, &format!("act:{id}:leave"));
        // The announcement's message id is known once it is delivered.
        let key = steward_storage::activities::announcement_key(id);
        let deadline = tokio::time::Instant::now() + WAIT;
        while store.action_result(&key).await.unwrap().is_none() {
            assert!(tokio::time::Instant::now() < deadline, "never delivered");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }

        // Ann by the button: answered to her alone, the list edited.
        h.server.push_update(
            TOKEN,
            updates::callback_query("a1", &ann, &announcement, &join),
        );
        let answers = h.server.wait_for_call("answerCallbackQuery", 1, WAIT).await;
        assert!(
            answers[0].param_str("text").unwrap().contains("signed up"),
            "{:?}",
            answers[0].param_str("text")
        );
        let edits = h.server.wait_for_call("editMessageText", 1, WAIT).await;
        assert!(edits[0].param_str("text").unwrap().contains("1. Ann"));
        // Bob by command, Carl 接龙-style with +1 in reply: Carl waits.
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &bob, 100, now(), "/signup"),
        );
        wait_for_text(&h.server, "Bob, you're signed up", 1).await;
        h.server.push_update(
            TOKEN,
            updates::with_reply_to(
                updates::message(&group(), &carl, 101, now(), "+1"),
                &announcement,
            ),
        );
        wait_for_text(&h.server, "waiting list", 1).await;
        let edits = h.server.wait_for_call("editMessageText", 3, WAIT).await;
        let list = edits[2].param_str("text").unwrap();
        assert!(list.contains("2/2") && list.contains("1. Carl"), "{list}");
        // A second sign-up is refused.
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &bob, 102, now(), &format!("/signup {id}")),
        );
        wait_for_text(&h.server, "already signed up", 1).await;

        // Ann cancels by the button: Carl moves up and is told.
        h.server.push_update(
            TOKEN,
            updates::callback_query("a2", &ann, &announcement, &leave),
        );
        wait_for_text(&h.server, "Carl, a place opened up", 1).await;
        let names: Vec<String> = store
            .activity_signups(id)
            .await
            .unwrap()
            .iter()
            .map(|s| s.shown())
            .collect();
        assert_eq!(names, ["Bob", "Carl"]);
        // The one who moved up is also told in private.
        until(|| {
            h.server.calls_to("sendMessage").iter().any(|c| {
                c.param_str("chat_id").as_deref() == Some(&CARL.to_string())
                    && c.param_str("text")
                        .is_some_and(|t| t.contains("place opened up"))
            })
        })
        .await;

        // Reminders: none yet, the one-day reminder at its time, once.
        h.pipeline
            .run_timers(starts - Duration::days(1) - Duration::minutes(1))
            .await
            .unwrap();
        assert_eq!(store.activity(id).await.unwrap().unwrap().reminders_sent, 0);
        let at = starts - Duration::days(1) + Duration::minutes(1);
        assert_eq!(h.pipeline.run_timers(at).await.unwrap(), 1);
        assert_eq!(h.pipeline.run_timers(at).await.unwrap(), 0);
        let texts = wait_for_text(&h.server, "Reminder", 1).await;
        let reminder = texts.iter().find(|t| t.contains("Reminder")).unwrap();
        assert!(reminder.contains("2 signed up"), "{reminder}");
        until(|| {
            h.server.calls_to("sendMessage").iter().any(|c| {
                c.param_str("chat_id").as_deref() == Some(&BOB.to_string())
                    && c.param_str("text").is_some_and(|t| t.contains("Reminder"))
            })
        })
        .await;
        assert_eq!(store.activity(id).await.unwrap().unwrap().reminders_sent, 1);

        // At the start sign-ups close.
        assert_eq!(h.pipeline.run_timers(starts).await.unwrap(), 1);
        assert_eq!(store.activity(id).await.unwrap().unwrap().status, "closed");
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &ann, 103, now(), "/signup"),
        );
        wait_for_text(&h.server, "no event open", 1).await;
        let audit = store.list_audit(&all_audit()).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.action == "activity_created" && a.actor == "user:owner")
        );
        assert_eq!(
            texts.iter().filter(|t| t.contains("Reminder")).count(),
            1,
            "{texts:?}"
        );
        h.stop().await;
    }
);
