//! Points and check-ins end to end against the Bot API test server:
//! messages earn points up to the daily cap ("today" in the group's time
//! zone), a bot earns none; `/checkin` (and the plain text 签到) once a day
//! with a streak across days and its bonus; `/points`, `/top`, `/award` by
//! an admin (refused to a member); spending refused when the balance is
//! short. On both backends.

mod support;

use chrono::{TimeZone, Utc};
use steward_core::points::{PointsSettings, Reason};
use steward_core::settings::ChatSettings;
use steward_core::{GroupId, MemberId, Platform};
use steward_storage::Store;
use steward_storage::points::Spend;
use steward_telegram_testserver::{TestServer, updates};
use support::*;

const ANN: i64 = 50;
const BOB: i64 = 51;

/// The group's time zone: UTC+8, so a day there starts at 16:00 UTC.
fn settings(cap: u32) -> ChatSettings {
    ChatSettings {
        timezone: Some("Asia/Shanghai".to_owned()),
        points: PointsSettings {
            message_daily_cap: cap,
            ..PointsSettings::default()
        },
        ..ChatSettings::default()
    }
}

/// Unix seconds of a UTC time on 1 June 2025 plus `day` days.
fn at(day: u32, hour: u32) -> i64 {
    Utc.with_ymd_and_hms(2025, 6, 1 + day, hour, 0, 0)
        .unwrap()
        .timestamp()
}

async fn ids(store: &Store, member: i64) -> (GroupId, MemberId) {
    let group = store
        .find_group(Platform::Telegram, &GROUP.to_string())
        .await
        .unwrap()
        .expect("the group is configured")
        .id;
    let mut tx = store.begin().await.unwrap();
    let member = tx
        .find_member(Platform::Telegram, &member.to_string())
        .await
        .unwrap()
        .expect("the member was seen")
        .id;
    drop(tx);
    (group, member)
}

fn group_texts(server: &TestServer) -> Vec<String> {
    server
        .sent_messages(GROUP)
        .iter()
        .filter_map(|m| m["text"].as_str().map(str::to_owned))
        .collect()
}

/// Waits until the bot said something containing every one of `parts`.
async fn wait_for_text(server: &TestServer, parts: &[&str]) -> String {
    until(|| {
        group_texts(server)
            .iter()
            .any(|t| parts.iter().all(|p| t.contains(p)))
    })
    .await;
    group_texts(server)
        .into_iter()
        .find(|t| parts.iter().all(|p| t.contains(p)))
        .unwrap()
}

steward_storage::both_backends!(
    messages_earn_points_up_to_the_daily_cap,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, settings(3)).await;
        let ann = updates::user(ANN, "Ann", "ann");
        let robot = updates::bot_user(77, "Robot", "robot_bot");
        // Five messages on 1 June in Shanghai (10:00 to 14:00 UTC), two on
        // 2 June there (17:00 UTC on the 1st is 01:00 on the 2nd), a
        // minute or more apart and all different, so no flood rule fires.
        let lines = [
            "good morning everyone",
            "has anyone tried the new release?",
            "the changelog looks great",
            "I will upgrade tonight",
            "thanks for the tips",
        ];
        for (i, text) in lines.iter().enumerate() {
            let date = at(0, 10) + i as i64 * 3600;
            h.server.push_update(
                TOKEN,
                updates::message(&group(), &ann, 100 + i as i64, date, text),
            );
        }
        for (i, text) in ["new day, new questions", "what is a lifetime"]
            .iter()
            .enumerate()
        {
            let date = at(0, 17) + i as i64 * 600;
            h.server.push_update(
                TOKEN,
                updates::message(&group(), &ann, 200 + i as i64, date, text),
            );
        }
        for i in 0..4 {
            let date = at(0, 11) + i * 600;
            let text = format!("automated post number {i}");
            h.server.push_update(
                TOKEN,
                updates::message(&group(), &robot, 300 + i, date, &text),
            );
        }
        wait_for_events(&store, 11).await;
        let (group_id, ann_id) = ids(&store, ANN).await;
        assert_eq!(store.points_balance(group_id, ann_id).await.unwrap(), 3 + 2);
        let (_, robot_id) = ids(&store, 77).await;
        assert_eq!(store.points_balance(group_id, robot_id).await.unwrap(), 0);
        let ledger = store.recent_points(Some(group_id), 100).await.unwrap();
        assert_eq!(ledger.len(), 5);
        assert!(ledger.iter().all(|e| e.reason == "message" && e.delta == 1));

        // /points answers with the balance, level and rank.
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &ann, 400, at(1, 2), "/points"),
        );
        let text = wait_for_text(&h.server, &["Ann's points: 5"]).await;
        assert!(text.contains("Newcomer") && text.contains("#1"), "{text}");
        // The command itself earns nothing.
        assert_eq!(store.points_balance(group_id, ann_id).await.unwrap(), 5);
        // Spending more than the balance is refused, and writes nothing.
        let spent = h
            .pipeline
            .spend_points(
                group_id,
                ann_id,
                6,
                Reason::RaffleEntry,
                Some("raffle:1"),
                "system",
                Utc::now(),
            )
            .await
            .unwrap();
        assert_eq!(spent, Spend::Short { balance: 5 });
        let spent = h
            .pipeline
            .spend_points(
                group_id,
                ann_id,
                4,
                Reason::RaffleEntry,
                Some("raffle:1"),
                "system",
                Utc::now(),
            )
            .await
            .unwrap();
        assert!(matches!(spent, Spend::Spent { balance: 1, .. }));
        h.stop().await;
    }
);

steward_storage::both_backends!(
    checkins_make_a_streak_and_points_show_in_replies,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, settings(20)).await;
        let ann = updates::user(ANN, "Ann", "ann");
        let bob = updates::user(BOB, "Bob", "bob");
        let admin = updates::user(ADMIN, "Alice", "alice");
        let send = |who: &serde_json::Value, id: i64, date: i64, text: &str| {
            h.server
                .push_update(TOKEN, updates::message(&group(), who, id, date, text));
        };
        // Day 1 (1 June in Shanghai): a check-in, then the plain text 签到
        // again the same day.
        send(&ann, 100, at(0, 10), "/checkin");
        wait_for_text(&h.server, &["Ann checked in: +5 points.", "Streak: 1 days"]).await;
        send(&ann, 101, at(0, 12), "签到");
        wait_for_text(&h.server, &["already checked in today"]).await;
        // Day 2 in Shanghai, though still 1 June in UTC.
        send(&ann, 102, at(0, 17), "/checkin");
        wait_for_text(
            &h.server,
            &["+6 points", "streak bonus of 1", "Streak: 2 days"],
        )
        .await;
        // Day 3.
        send(&ann, 103, at(1, 20), "/signin");
        let text = wait_for_text(&h.server, &["Streak: 3 days"]).await;
        assert!(
            text.contains("+7 points") && text.contains("balance: 18"),
            "{text}"
        );
        // A day missed: the streak starts again.
        send(&ann, 104, at(3, 20), "/checkin");
        wait_for_text(&h.server, &["Streak: 1 days", "balance: 23"]).await;
        // Bob checks in once.
        send(&bob, 105, at(3, 21), "/checkin");
        wait_for_text(&h.server, &["Bob checked in"]).await;

        let (group_id, ann_id) = ids(&store, ANN).await;
        assert_eq!(store.points_balance(group_id, ann_id).await.unwrap(), 23);
        let reasons: Vec<String> = store
            .recent_points(Some(group_id), 100)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.member.id == ann_id)
            .map(|e| e.reason)
            .collect();
        assert_eq!(reasons.iter().filter(|r| *r == "checkin").count(), 4);
        assert_eq!(reasons.iter().filter(|r| *r == "checkin_streak").count(), 2);

        // A member may not award points; an admin may.
        send(&bob, 106, at(3, 22), "/award @bob 100 me");
        wait_for_text(&h.server, &["Only admins and moderators can use /award"]).await;
        send(&admin, 107, at(3, 22), "/award @ann 10 helpful answers");
        wait_for_text(&h.server, &["@ann was awarded 10 points; balance: 33."]).await;
        send(&admin, 108, at(3, 22), "/award @ann lots");
        wait_for_text(&h.server, &["Usage: /award"]).await;
        let audit = store.list_audit(&all_audit()).await.unwrap();
        assert!(
            audit.iter().any(|a| a.action == "points_awarded"
                && a.reason.as_deref() == Some("+10 (award): helpful answers")),
            "{audit:?}"
        );

        // /points and /top.
        send(&ann, 109, at(3, 23), "/points");
        let text = wait_for_text(&h.server, &["Ann's points: 33"]).await;
        assert!(text.contains("Check-in streak: 1 days"), "{text}");
        assert!(text.contains("17 more points to reach Member"), "{text}");
        send(&ann, 110, at(3, 23), "/top");
        let text = wait_for_text(&h.server, &["Top points of all time"]).await;
        assert!(
            text.contains("1. Ann — 33") && text.contains("2. Bob — 5"),
            "{text}"
        );
        // This week in Shanghai started on Monday 2 June (16:00 UTC on the
        // 1st): Ann's first check-in (1 June) is not in it.
        send(&ann, 111, at(3, 23), "/top week");
        let text = wait_for_text(&h.server, &["Top points this week"]).await;
        assert!(text.contains("1. Ann — 28"), "{text}");
        h.stop().await;
    }
);
