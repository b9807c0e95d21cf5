//! Raffles end to end against the Bot API test server: a raffle opened with
//! its seed's hash announced and an Enter button; entries by `/enter` and
//! by the button; a member without enough messages refused, a second entry
//! refused; the draw at the end time through `run_timers`, with the seed,
//! the entries' digest and the winners posted; and the published draw
//! verifying (and a tampered one not). On both backends.

mod support;

use chrono::{Duration, Utc};
use steward_core::Platform;
use steward_core::raffle::{self, Eligibility, Mismatch};
use steward_core::settings::ChatSettings;
use steward_runtime::RaffleSpec;
use steward_storage::Store;
use steward_telegram_testserver::{TestServer, updates};
use support::*;

const ANN: i64 = 81;
const BOB: i64 = 82;
const CARL: i64 = 83;

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
    a_raffle_is_entered_drawn_and_verified,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, ChatSettings::default()).await;
        let ann = updates::user(ANN, "Ann", "ann");
        let bob = updates::user(BOB, "Bob", "bob");
        let carl = updates::user(CARL, "Carl", "carl");
        let t = now();
        // Ann and Bob have talked; Carl has not.
        let mut id = 10;
        for user in [&ann, &bob] {
            for text in ["hello there", "how is everyone"] {
                id += 1;
                h.server
                    .push_update(TOKEN, updates::message(&group(), user, id, t - 60, text));
            }
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        while message_events(&store).await < 4 {
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

        let opened_at = Utc::now();
        let raffle_id = h
            .pipeline
            .open_raffle(
                &RaffleSpec {
                    group: group_id,
                    title: "Spring books".into(),
                    prize: "A Rust book".into(),
                    winners: 1,
                    ends: opened_at + Duration::hours(1),
                    eligibility: Eligibility {
                        min_messages: 2,
                        message_days: 7,
                        ..Eligibility::default()
                    },
                },
                "user:owner",
                opened_at,
            )
            .await
            .unwrap();
        let stored = store.raffle(raffle_id).await.unwrap().unwrap();
        assert_eq!(stored.seed.len(), 64);
        assert_eq!(
            raffle::seed_hash(&raffle::parse_seed(&stored.seed).unwrap()),
            stored.seed_hash
        );
        wait_for_text(&h.server, "Spring books", 1).await;
        let announcement = h
            .server
            .sent_messages(GROUP)
            .into_iter()
            .find(|m| {
                m["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("Spring books"))
            })
            .unwrap();
        let text = announcement["text"].as_str().unwrap();
        assert!(text.contains(&stored.seed_hash), "{text}");
        assert!(
            !text.contains(&stored.seed),
            "the seed stays secret: {text}"
        );
        let enter = card_button(&announcement, &format!("raffle:{raffle_id}:enter"));

        // Ann enters by command.
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &ann, 100, now(), "/enter"),
        );
        wait_for_text(&h.server, "Ann, you're in", 1).await;
        // Bob by the button: the answer goes to him alone.
        h.server.push_update(
            TOKEN,
            updates::callback_query("r1", &bob, &announcement, &enter),
        );
        let answers = h.server.wait_for_call("answerCallbackQuery", 1, WAIT).await;
        assert!(
            answers[0].param_str("text").unwrap().contains("you're in"),
            "{:?}",
            answers[0].param_str("text")
        );
        // A second press and a second command are refused.
        h.server.push_update(
            TOKEN,
            updates::callback_query("r2", &bob, &announcement, &enter),
        );
        let answers = h.server.wait_for_call("answerCallbackQuery", 2, WAIT).await;
        assert!(
            answers[1].param_str("text").unwrap().contains("already"),
            "{:?}",
            answers[1].param_str("text")
        );
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &ann, 101, now(), "/join_raffle"),
        );
        wait_for_text(&h.server, "already in the raffle", 1).await;
        // Carl has written nothing: he is told why he cannot enter.
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &carl, 102, now(), "/enter"),
        );
        let texts = wait_for_text(&h.server, "Not yet", 1).await;
        assert!(
            texts.iter().any(|t| t.contains("at least 2 messages")),
            "{texts:?}"
        );
        assert_eq!(store.raffle_entries(raffle_id).await.unwrap().len(), 2);

        // Not drawn before its time; drawn at it.
        h.pipeline
            .run_timers(opened_at + Duration::minutes(30))
            .await
            .unwrap();
        assert!(store.raffle(raffle_id).await.unwrap().unwrap().is_open());
        assert_eq!(
            h.pipeline
                .run_timers(opened_at + Duration::hours(2))
                .await
                .unwrap(),
            1
        );
        let texts = wait_for_text(&h.server, "is drawn", 1).await;
        let result = texts.iter().find(|t| t.contains("is drawn")).unwrap();
        let drawn = store.raffle(raffle_id).await.unwrap().unwrap();
        assert_eq!(drawn.drawn_winners.len(), 1);
        let winner = &drawn.drawn_winners[0];
        assert!([ANN.to_string(), BOB.to_string()].contains(winner));
        assert!(result.contains(&drawn.seed), "{result}");
        assert!(result.contains(&drawn.seed_hash), "{result}");
        assert!(result.contains(winner.as_str()), "{result}");
        assert!(
            result.contains(drawn.entries_digest.as_deref().unwrap()),
            "{result}"
        );
        // Entering after the draw is refused.
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &carl, 103, now(), "/enter"),
        );
        wait_for_text(&h.server, "There is no open raffle", 1).await;

        // The published draw verifies; a changed winner does not.
        let published = store.raffle_published(raffle_id).await.unwrap().unwrap();
        assert_eq!(raffle::verify(&published), vec![]);
        let mut tampered = published.clone();
        let other = tampered
            .entries
            .iter()
            .find(|e| *e != winner)
            .unwrap()
            .clone();
        tampered.winners = vec![other];
        assert!(matches!(
            raffle::verify(&tampered).as_slice(),
            [Mismatch::Winners { .. }]
        ));
        let audit = store.list_audit(&all_audit()).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.action == "raffle_opened" && a.actor == "user:owner")
        );
        assert!(
            audit
                .iter()
                .any(|a| a.action == "raffle_drawn" && a.actor == "system")
        );
        // Drawn once only.
        assert!(
            !h.pipeline
                .close_raffle(raffle_id, "user:owner", Utc::now())
                .await
                .unwrap()
        );
        h.stop().await;
    }
);
