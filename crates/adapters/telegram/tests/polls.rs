//! Polls and quizzes end to end against the Bot API test server: a quiz
//! started, its questions posted one after another with answer buttons,
//! presses from three members in turn, the next question and the final
//! scoreboard posted by `run_timers`, and the first right answers credited
//! in the points ledger; a poll sent as Telegram's native poll, its votes
//! (changed and taken back) counted and its results posted. On both
//! backends.

mod support;

use std::collections::HashMap;

use chrono::{Duration, Utc};
use serde_json::Value;
use steward_core::settings::ChatSettings;
use steward_core::{GroupId, Platform};
use steward_runtime::{PollSpec, QuizSpec};
use steward_storage::Store;
use steward_storage::polls::NewQuestion;
use steward_telegram_testserver::{TestServer, updates};
use support::*;

const ANN: i64 = 91;
const BOB: i64 = 92;
const CARL: i64 = 93;

fn group_messages(server: &TestServer, needle: &str) -> Vec<Value> {
    server
        .sent_messages(GROUP)
        .into_iter()
        .filter(|m| m["text"].as_str().is_some_and(|t| t.contains(needle)))
        .collect()
}

async fn wait_for_message(server: &TestServer, needle: &str) -> Value {
    until(|| !group_messages(server, needle).is_empty()).await;
    group_messages(server, needle).remove(0)
}

/// Three members say hello so the group and they are known.
async fn members_talk(h: &Harness, store: &Store) -> (Vec<Value>, GroupId) {
    let users = vec![
        updates::user(ANN, "Ann", "ann"),
        updates::user(BOB, "Bob", "bob"),
        updates::user(CARL, "Carl", "carl"),
    ];
    for (i, user) in users.iter().enumerate() {
        h.server.push_update(
            TOKEN,
            updates::message(&group(), user, 10 + i as i64, now() - 60, "hello all"),
        );
    }
    let deadline = tokio::time::Instant::now() + WAIT;
    while message_events(store).await < 3 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "messages never arrived"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let group_id = store
        .find_group(Platform::Telegram, &GROUP.to_string())
        .await
        .unwrap()
        .unwrap()
        .id;
    (users, group_id)
}

/// Presses a button and waits for the answer; returns the answer's text.
async fn press(h: &Harness, n: usize, user: &Value, message: &Value, data: &str) -> String {
    h.server.push_update(
        TOKEN,
        updates::callback_query(&format!("q{n}"), user, message, data),
    );
    let answers = h.server.wait_for_call("answerCallbackQuery", n, WAIT).await;
    answers[n - 1]
        .param_str("text")
        .unwrap_or_default()
        .to_owned()
}

fn question(text: &str, options: &[&str], correct: u32) -> NewQuestion {
    NewQuestion {
        question: text.into(),
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        correct: Some(correct),
    }
}

steward_storage::both_backends!(a_quiz_is_scored, |store: Store| async move {
    let h = harness_with(server().await, store.clone(), None, ChatSettings::default()).await;
    let (users, group_id) = members_talk(&h, &store).await;
    let (ann, bob, carl) = (&users[0], &users[1], &users[2]);

    let t0 = Utc::now();
    let quiz_id = h
        .pipeline
        .start_quiz(
            &QuizSpec {
                group: group_id,
                title: "Rust night".into(),
                seconds: 30,
                questions: vec![
                    question("Who owns a value?", &["The heap", "Its owner"], 1),
                    question("What does `?` do?", &["Propagates errors", "Nothing"], 0),
                ],
            },
            "user:owner",
            t0,
        )
        .await
        .unwrap();

    // Question 1: Bob right first, Ann right second, Carl wrong.
    let q1 = wait_for_message(&h.server, "question 1/2").await;
    let right = card_button(&q1, &format!("poll:{quiz_id}:0:1"));
    let wrong = card_button(&q1, &format!("poll:{quiz_id}:0:0"));
    assert!(
        press(&h, 1, bob, &q1, &right)
            .await
            .contains("answer is in")
    );
    press(&h, 2, ann, &q1, &right).await;
    press(&h, 3, carl, &q1, &wrong).await;
    // A second answer is refused.
    assert!(press(&h, 4, carl, &q1, &right).await.contains("already"));

    // Not moved on before its time; question 2 after it.
    assert_eq!(
        h.pipeline
            .run_timers(t0 + Duration::seconds(10))
            .await
            .unwrap(),
        0
    );
    assert!(group_messages(&h.server, "question 2/2").is_empty());
    let t1 = t0 + Duration::seconds(31);
    assert_eq!(h.pipeline.run_timers(t1).await.unwrap(), 1);
    let q2 = wait_for_message(&h.server, "question 2/2").await;
    // Question 1 is closed now.
    assert!(press(&h, 5, ann, &q1, &right).await.contains("closed"));

    // Question 2: Ann right first, Carl right second, Bob wrong.
    let right = card_button(&q2, &format!("poll:{quiz_id}:1:0"));
    let wrong = card_button(&q2, &format!("poll:{quiz_id}:1:1"));
    press(&h, 6, ann, &q2, &right).await;
    press(&h, 7, bob, &q2, &wrong).await;
    press(&h, 8, carl, &q2, &right).await;

    assert_eq!(
        h.pipeline
            .run_timers(t1 + Duration::seconds(31))
            .await
            .unwrap(),
        1
    );
    let board = wait_for_message(&h.server, "Final scoreboard").await;
    let text = board["text"].as_str().unwrap();
    // Ann 2 + 3, Bob 3, Carl 2.
    let lines: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(
        lines,
        vec!["1. Ann — 5 pts", "2. Bob — 3 pts", "3. Carl — 2 pts"],
        "{text}"
    );

    // Points credited in the ledger, once each.
    let mut points: HashMap<String, i64> = HashMap::new();
    for entry in store.recent_points(Some(group_id), 50).await.unwrap() {
        if entry.reason != "quiz" {
            continue;
        }
        *points.entry(entry.member.platform_id).or_default() += entry.delta;
    }
    assert_eq!(points[&ANN.to_string()], 5);
    assert_eq!(points[&BOB.to_string()], 3);
    assert_eq!(points[&CARL.to_string()], 2);
    let stored = store.poll(quiz_id).await.unwrap().unwrap();
    assert!(!stored.is_open());
    // Closed once only.
    assert!(
        !h.pipeline
            .close_poll(quiz_id, "user:owner", Utc::now())
            .await
            .unwrap()
    );
    let audit = store.list_audit(&all_audit()).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "poll_started"));
    assert!(
        audit
            .iter()
            .any(|a| a.action == "poll_closed" && a.actor == "system")
    );
    h.stop().await;
});

/// Waits until the poll's stored answers, as (member, option), are `want`.
async fn wait_for_answers(store: &Store, poll_id: i64, want: &[(i64, u32)]) {
    let mut want: Vec<(String, u32)> = want.iter().map(|(m, o)| (m.to_string(), *o)).collect();
    want.sort();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let mut got: Vec<(String, u32)> = store
            .poll_answers(poll_id)
            .await
            .unwrap()
            .into_iter()
            .map(|a| (a.platform_id, a.option))
            .collect();
        got.sort();
        if got == want {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "answers {got:?}, wanted {want:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

steward_storage::both_backends!(
    a_native_polls_votes_are_counted,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, ChatSettings::default()).await;
        let (users, group_id) = members_talk(&h, &store).await;
        let (ann, bob, carl) = (&users[0], &users[1], &users[2]);
        let t0 = Utc::now();
        let poll_id = h
            .pipeline
            .start_poll(
                &PollSpec {
                    group: group_id,
                    question: "Next meetup?".into(),
                    options: vec!["Friday".into(), "Saturday".into(), "Sunday".into()],
                    multiple: false,
                    closes: t0 + Duration::hours(1),
                },
                "user:owner",
                t0,
            )
            .await
            .unwrap();

        // Sent as Telegram's own poll, whose answers reach the bot.
        let calls = h.server.wait_for_call("sendPoll", 1, WAIT).await;
        assert_eq!(
            calls[0].param_str("question").as_deref(),
            Some("Next meetup?")
        );
        let options: Vec<String> = calls[0]
            .param_json("options")
            .and_then(|o| o.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|o| o["text"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(options, ["Friday", "Saturday", "Sunday"]);
        assert_eq!(calls[0].param_bool("is_anonymous"), Some(false));
        until(|| {
            h.server
                .sent_messages(GROUP)
                .iter()
                .any(|m| m["poll"]["id"].is_string())
        })
        .await;
        let native = h
            .server
            .sent_messages(GROUP)
            .into_iter()
            .find_map(|m| m["poll"]["id"].as_str().map(str::to_owned))
            .unwrap();
        // Tied to the question once the delivery is recorded.
        let deadline = tokio::time::Instant::now() + WAIT;
        while store
            .native_poll(Platform::Telegram, &native)
            .await
            .unwrap()
            .is_none()
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "native poll never recorded"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(
            store
                .native_poll(Platform::Telegram, &native)
                .await
                .unwrap(),
            Some((poll_id, 0))
        );

        h.server
            .push_update(TOKEN, updates::poll_answer(&native, ann, &[1]));
        h.server
            .push_update(TOKEN, updates::poll_answer(&native, bob, &[1]));
        h.server
            .push_update(TOKEN, updates::poll_answer(&native, carl, &[0]));
        wait_for_answers(&store, poll_id, &[(ANN, 1), (BOB, 1), (CARL, 0)]).await;
        // Carl changes his vote: it replaces the earlier one.
        h.server
            .push_update(TOKEN, updates::poll_answer(&native, carl, &[2]));
        wait_for_answers(&store, poll_id, &[(ANN, 1), (BOB, 1), (CARL, 2)]).await;
        // Bob takes his back.
        h.server
            .push_update(TOKEN, updates::poll_answer(&native, bob, &[]));
        wait_for_answers(&store, poll_id, &[(ANN, 1), (CARL, 2)]).await;

        assert_eq!(
            h.pipeline
                .run_timers(t0 + Duration::minutes(30))
                .await
                .unwrap(),
            0
        );
        // An admin closes it early.
        assert!(
            h.pipeline
                .close_poll(poll_id, "user:owner", Utc::now())
                .await
                .unwrap()
        );
        let results = wait_for_message(&h.server, "Poll closed").await;
        let text = results["text"].as_str().unwrap();
        assert!(text.contains("(2 voted)"), "{text}");
        assert!(text.contains("• Friday: 0"), "{text}");
        assert!(text.contains("• Saturday: 1"), "{text}");
        assert!(text.contains("• Sunday: 1"), "{text}");
        // A vote after the close is ignored.
        h.server
            .push_update(TOKEN, updates::poll_answer(&native, bob, &[0]));
        h.server.push_update(
            TOKEN,
            updates::message(&group(), ann, 40, now(), "after the poll"),
        );
        let deadline = tokio::time::Instant::now() + WAIT;
        while message_events(&store).await < 4 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "message never arrived"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        wait_for_answers(&store, poll_id, &[(ANN, 1), (CARL, 2)]).await;
        assert_eq!(
            h.pipeline
                .run_timers(t0 + Duration::hours(2))
                .await
                .unwrap(),
            0
        );
        h.stop().await;
    }
);
