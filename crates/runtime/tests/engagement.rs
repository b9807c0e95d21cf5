//! Polls, quizzes and raffles on a platform without buttons (QQ through
//! OneBot), through `Pipeline::ingest`: a poll posted with numbered
//! options and a numbered reply recorded as a vote, a quiz scored from
//! numbered answers, and a raffle whose entry costs points. On SQLite and
//! PostgreSQL alike.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use serde_json::json;
use steward_core::i18n::Lang;
use steward_core::points::Reason;
use steward_core::raffle::Eligibility;
use steward_core::settings::ChatSettings;
use steward_core::{Action, GroupId, IncomingEvent, Platform, Timestamp};
use steward_moderation::{Ladder, RuleSet};
use steward_runtime::{GroupSettings, Pipeline, PollSpec, QuizSpec, RaffleSpec};
use steward_storage::polls::NewQuestion;
use steward_storage::{Store, both_backends};

const GROUP: &str = "q100";

async fn setup(store: &Store) -> (Pipeline, GroupId) {
    let pipeline = Pipeline::new(
        store.clone(),
        RuleSet::default_rules(),
        Ladder::default(),
        Lang::En,
    )
    .unwrap();
    let group = pipeline
        .configure_group(
            Platform::Onebot,
            GROUP,
            Some("QQ group"),
            &GroupSettings {
                community: None,
                language: Lang::En,
                chat: ChatSettings::default(),
            },
        )
        .await
        .unwrap();
    (pipeline, group)
}

/// A group message from `member`.
fn said(n: &mut u32, member: &str, text: &str, at: Timestamp) -> IncomingEvent {
    *n += 1;
    serde_json::from_value(json!({
        "platform": "onebot",
        "event_id": format!("e{n}"),
        "group": {"id": GROUP},
        "member": {"id": member, "name": member.to_uppercase()},
        "at": at,
        "payload": {"kind": "message", "message": {"id": format!("m{n}"), "text": text}},
    }))
    .unwrap()
}

async fn say(pipeline: &Pipeline, n: &mut u32, member: &str, text: &str, at: Timestamp) {
    let event = said(n, member, text, at);
    pipeline.ingest(&[event], at).await.unwrap();
}

/// The texts queued for the group, oldest first.
async fn queued_texts(store: &Store) -> Vec<String> {
    store
        .pending_actions_after(Platform::Onebot, 0, 500)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|row| match row.action.action {
            Action::SendMessage { text, .. } => Some(text),
            _ => None,
        })
        .collect()
}

fn question(text: &str, options: &[&str], correct: u32) -> NewQuestion {
    NewQuestion {
        question: text.into(),
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        correct: Some(correct),
    }
}

both_backends!(
    a_numbered_poll_takes_numbers_as_votes,
    |store: Store| async move {
        let (pipeline, group) = setup(&store).await;
        let mut n = 0;
        let t0 = Utc::now();
        let poll = pipeline
            .start_poll(
                &PollSpec {
                    group,
                    question: "Next meetup?".into(),
                    options: vec!["Friday".into(), "Saturday".into(), "Sunday".into()],
                    multiple: true,
                    closes: t0 + Duration::hours(1),
                },
                "user:owner",
                t0,
            )
            .await
            .unwrap();
        let asked = queued_texts(&store).await;
        let asked = asked.iter().find(|t| t.contains("Next meetup?")).unwrap();
        assert!(
            asked.contains("1. Friday\n2. Saturday\n3. Sunday"),
            "{asked}"
        );
        assert!(asked.contains("Reply with the options' numbers"), "{asked}");

        let at = t0 + Duration::seconds(5);
        say(&pipeline, &mut n, "ann", "2", at).await;
        say(&pipeline, &mut n, "bob", " １，３ ", at).await;
        // Not answers: words, a zero, an option that does not exist.
        say(&pipeline, &mut n, "carl", "2 please", at).await;
        say(&pipeline, &mut n, "carl", "0", at).await;
        say(&pipeline, &mut n, "carl", "7", at).await;
        let mut got: Vec<(String, u32)> = store
            .poll_answers(poll)
            .await
            .unwrap()
            .into_iter()
            .map(|a| (a.platform_id, a.option))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [("ann".into(), 1), ("bob".into(), 0), ("bob".into(), 2)]
        );

        assert!(
            pipeline
                .close_poll(poll, "user:owner", t0 + Duration::minutes(1))
                .await
                .unwrap()
        );
        let results = queued_texts(&store).await;
        let results = results.iter().find(|t| t.contains("Poll closed")).unwrap();
        assert!(results.contains("(2 voted)"), "{results}");
        assert!(results.contains("• Saturday: 1"), "{results}");
        assert!(results.contains("• Sunday: 1"), "{results}");
        // After the close a number is just a number.
        say(&pipeline, &mut n, "carl", "1", t0 + Duration::minutes(2)).await;
        assert_eq!(store.poll_answers(poll).await.unwrap().len(), 3);
    }
);

both_backends!(
    a_quiz_is_scored_from_numbered_answers,
    |store: Store| async move {
        let (pipeline, group) = setup(&store).await;
        let mut n = 0;
        let t0 = Utc::now();
        let quiz = pipeline
            .start_quiz(
                &QuizSpec {
                    group,
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
        let texts = queued_texts(&store).await;
        let q1 = texts.iter().find(|t| t.contains("question 1/2")).unwrap();
        assert!(q1.contains("1. The heap\n2. Its owner"), "{q1}");

        // Question 1: Bob right first, Ann right second, Carl wrong; only a
        // first answer counts.
        let at = t0 + Duration::seconds(5);
        say(&pipeline, &mut n, "bob", "2", at).await;
        say(&pipeline, &mut n, "ann", "２", at).await;
        say(&pipeline, &mut n, "carl", "1", at).await;
        say(&pipeline, &mut n, "carl", "2", at).await;
        assert_eq!(
            pipeline
                .run_timers(t0 + Duration::seconds(31))
                .await
                .unwrap(),
            1
        );
        // Question 2: Ann right first, Carl right second.
        let at = t0 + Duration::seconds(40);
        say(&pipeline, &mut n, "ann", "1", at).await;
        say(&pipeline, &mut n, "carl", "1", at).await;
        say(&pipeline, &mut n, "bob", "2", at).await;
        assert_eq!(
            pipeline
                .run_timers(t0 + Duration::seconds(62))
                .await
                .unwrap(),
            1
        );
        assert!(!store.poll(quiz).await.unwrap().unwrap().is_open());
        let texts = queued_texts(&store).await;
        let board = texts
            .iter()
            .find(|t| t.contains("Final scoreboard"))
            .unwrap();
        let lines: Vec<&str> = board.lines().skip(1).collect();
        assert_eq!(
            lines,
            ["1. ANN — 5 pts", "2. BOB — 3 pts", "3. CARL — 2 pts"],
            "{board}"
        );
        let mut points: HashMap<String, i64> = HashMap::new();
        for entry in store.recent_points(Some(group), 50).await.unwrap() {
            if entry.reason == "quiz" {
                *points.entry(entry.member.platform_id).or_default() += entry.delta;
            }
        }
        assert_eq!(points["ann"], 5);
        assert_eq!(points["bob"], 3);
        assert_eq!(points["carl"], 2);
    }
);

both_backends!(a_raffle_entry_costs_points, |store: Store| async move {
    let (pipeline, group) = setup(&store).await;
    let mut n = 0;
    let t0 = Utc::now();
    say(&pipeline, &mut n, "ann", "hello", t0).await;
    say(&pipeline, &mut n, "bob", "hello", t0).await;
    let member = |id: &'static str| {
        let store = store.clone();
        async move {
            let mut tx = store.begin().await.unwrap();
            let found = tx.find_member(Platform::Onebot, id).await.unwrap().unwrap();
            tx.commit().await.unwrap();
            found.id
        }
    };
    let (ann, bob) = (member("ann").await, member("bob").await);
    pipeline
        .award_points(group, ann, 100, Reason::Award, None, "user:owner", t0)
        .await
        .unwrap();
    let raffle = pipeline
        .open_raffle(
            &RaffleSpec {
                group,
                title: "Stickers".into(),
                prize: "A sticker pack".into(),
                winners: 1,
                ends: t0 + Duration::hours(1),
                eligibility: Eligibility {
                    entry_cost: 60,
                    ..Eligibility::default()
                },
            },
            "user:owner",
            t0,
        )
        .await
        .unwrap();
    let ann_before = store.points_balance(group, ann).await.unwrap();
    let bob_before = store.points_balance(group, bob).await.unwrap();
    assert!(bob_before < 60);
    let at = t0 + Duration::seconds(10);
    say(&pipeline, &mut n, "ann", "/enter", at).await;
    say(&pipeline, &mut n, "bob", "/enter", at).await;
    // Ann paid once, Bob was refused and kept his points.
    let entries: Vec<String> = store
        .raffle_entries(raffle)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.platform_id)
        .collect();
    assert_eq!(entries, ["ann"]);
    let ann_after = store.points_balance(group, ann).await.unwrap();
    let bob_after = store.points_balance(group, bob).await.unwrap();
    assert_eq!(ann_before - ann_after, 60);
    assert!(bob_after >= bob_before);
    let spent: Vec<(String, i64)> = store
        .recent_points(Some(group), 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.reason == "raffle_entry")
        .map(|p| (p.member.platform_id, p.delta))
        .collect();
    assert_eq!(spent, [("ann".to_owned(), -60)]);
    // Entering again costs nothing more.
    say(&pipeline, &mut n, "ann", "/enter", at).await;
    assert_eq!(store.points_balance(group, ann).await.unwrap(), ann_after);
});
