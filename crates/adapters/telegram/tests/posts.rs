//! Scheduled posts end to end against the Bot API test server: a post an
//! operator drafts waits for approval (nothing sent while pending), is
//! approved by an admin, is held at its time inside the group's quiet
//! hours and sent when they end (text, image link, link button); a second
//! post over the daily cap waits for the next day; every step audited. The
//! group is in Asia/Shanghai. On both backends.

mod support;

use chrono::{DateTime, Duration, FixedOffset, NaiveTime, TimeZone, Utc};
use steward_core::Platform;
use steward_core::posts::{LinkButton, PostSettings, PostStatus, Schedule};
use steward_core::settings::ChatSettings;
use steward_storage::Store;
use steward_storage::posts::PostDraft;
use steward_telegram_testserver::TestServer;
use support::*;

fn group_texts(server: &TestServer) -> Vec<String> {
    server
        .sent_messages(GROUP)
        .iter()
        .filter_map(|m| m["text"].as_str().map(str::to_owned))
        .collect()
}

/// Tomorrow (in Shanghai) at `hh:mm` Shanghai time, plus `days`.
fn shanghai(days: i64, hh: u32, mm: u32) -> DateTime<Utc> {
    let zone = FixedOffset::east_opt(8 * 3600).unwrap();
    let today = Utc::now().with_timezone(&zone).date_naive();
    let day = today + Duration::days(1 + days);
    zone.from_local_datetime(&day.and_time(NaiveTime::from_hms_opt(hh, mm, 0).unwrap()))
        .unwrap()
        .with_timezone(&Utc)
}

fn draft(group: steward_core::GroupId, title: &str, at: DateTime<Utc>) -> PostDraft {
    PostDraft {
        group: Some(group),
        community: None,
        title: title.into(),
        text: format!("{title}: read the weekly tips"),
        image_url: Some("https://img.example/tips.png".into()),
        buttons: vec![LinkButton {
            text: "Docs".into(),
            url: "https://docs.example/tips".into(),
        }],
        schedule: Schedule::Once { at },
    }
}

steward_storage::both_backends!(
    a_post_waits_for_approval_and_is_held_in_quiet_hours,
    |store: Store| async move {
        let settings = ChatSettings {
            timezone: Some("Asia/Shanghai".into()),
            posts: PostSettings {
                quiet_start: Some("22:00".into()),
                quiet_end: Some("08:00".into()),
                daily_cap: Some(1),
            },
            ..ChatSettings::default()
        };
        let h = harness_with(server().await, store.clone(), None, settings).await;
        let group_id = store
            .find_group(Platform::Telegram, &GROUP.to_string())
            .await
            .unwrap()
            .unwrap()
            .id;
        let p = &h.pipeline;

        // 23:00 in Shanghai: inside the quiet hours.
        let at = shanghai(0, 23, 0);
        let id = p
            .draft_post(&draft(group_id, "Tips", at), "user:olga", Utc::now())
            .await
            .unwrap();
        p.move_post(id, PostStatus::Pending, None, "user:olga", Utc::now())
            .await
            .unwrap();
        // Pending: its time comes and goes, nothing is sent.
        assert_eq!(p.run_timers(at).await.unwrap(), 0);
        // Rejecting needs a reason; approving schedules it.
        assert!(
            p.move_post(id, PostStatus::Rejected, Some(" "), "user:boss", Utc::now())
                .await
                .is_err()
        );
        p.move_post(id, PostStatus::Scheduled, None, "user:boss", Utc::now())
            .await
            .unwrap();
        assert_eq!(
            store.post(id).await.unwrap().unwrap().status,
            PostStatus::Scheduled
        );

        // At 23:00 it is held until 08:00; at 02:00 still nothing.
        assert_eq!(p.run_timers(at).await.unwrap(), 0);
        assert_eq!(p.run_timers(shanghai(1, 2, 0)).await.unwrap(), 0);
        let targets = store.scheduled_post_targets().await.unwrap();
        assert_eq!(targets.len(), 1);
        assert_eq!(targets[0].due, Some(shanghai(1, 8, 0)));
        assert_eq!(targets[0].slot, Some(at));

        // A second post for 09:00 the same day.
        let second_at = shanghai(1, 9, 0);
        let second = p
            .draft_post(
                &draft(group_id, "Second", second_at),
                "user:olga",
                Utc::now(),
            )
            .await
            .unwrap();
        p.move_post(second, PostStatus::Pending, None, "user:olga", Utc::now())
            .await
            .unwrap();
        p.move_post(second, PostStatus::Scheduled, None, "user:boss", Utc::now())
            .await
            .unwrap();

        // 08:00: the quiet hours end and the first post goes out.
        assert_eq!(p.run_timers(shanghai(1, 8, 0)).await.unwrap(), 1);
        until(|| group_texts(&h.server).iter().any(|t| t.contains("Tips:"))).await;
        let sent = h
            .server
            .sent_messages(GROUP)
            .into_iter()
            .find(|m| m["text"].as_str().is_some_and(|t| t.contains("Tips:")))
            .unwrap();
        let text = sent["text"].as_str().unwrap();
        assert!(text.contains("https://img.example/tips.png"), "{text}");
        assert!(
            sent["reply_markup"]
                .to_string()
                .contains("https://docs.example/tips"),
            "{sent}"
        );
        assert_eq!(
            store.post(id).await.unwrap().unwrap().status,
            PostStatus::Published
        );
        // Once only.
        assert_eq!(p.run_timers(shanghai(1, 8, 1)).await.unwrap(), 0);

        // 09:00: the day's cap (1) is reached; held to midnight, which is
        // quiet, so to 08:00 the day after, when it goes out.
        assert_eq!(p.run_timers(second_at).await.unwrap(), 0);
        let due = store.scheduled_post_targets().await.unwrap();
        assert_eq!(due[0].due, Some(shanghai(2, 0, 0)));
        assert_eq!(p.run_timers(shanghai(2, 0, 0)).await.unwrap(), 0);
        assert_eq!(p.run_timers(shanghai(2, 8, 0)).await.unwrap(), 1);
        until(|| group_texts(&h.server).iter().any(|t| t.contains("Second:"))).await;
        assert_eq!(
            group_texts(&h.server)
                .iter()
                .filter(|t| t.contains("Tips:"))
                .count(),
            1
        );

        let history = store.post_publications(None, 10).await.unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].post, second);
        let audit = store.list_audit(&all_audit()).await.unwrap();
        for kind in [
            "post_drafted",
            "post_submitted",
            "post_approved",
            "post_held",
            "post_published",
        ] {
            assert!(audit.iter().any(|a| a.action == kind), "no {kind}");
        }
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_cron_post_is_sent_at_shanghai_times,
    |store: Store| async move {
        let settings = ChatSettings {
            timezone: Some("Asia/Shanghai".into()),
            ..ChatSettings::default()
        };
        let h = harness_with(server().await, store.clone(), None, settings).await;
        let group_id = store
            .find_group(Platform::Telegram, &GROUP.to_string())
            .await
            .unwrap()
            .unwrap()
            .id;
        let p = &h.pipeline;
        let mut cron = draft(group_id, "Daily", Utc::now());
        cron.schedule = Schedule::Cron {
            expr: "30 12 * * *".into(),
        };
        cron.image_url = None;
        let id = p.draft_post(&cron, "user:olga", Utc::now()).await.unwrap();
        p.move_post(id, PostStatus::Pending, None, "user:olga", Utc::now())
            .await
            .unwrap();
        p.move_post(id, PostStatus::Scheduled, None, "user:boss", Utc::now())
            .await
            .unwrap();
        let first = store.scheduled_post_targets().await.unwrap()[0]
            .due
            .unwrap();
        assert_eq!(
            first
                .with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap())
                .format("%H:%M")
                .to_string(),
            "12:30"
        );
        assert_eq!(p.run_timers(first).await.unwrap(), 1);
        let next = store.scheduled_post_targets().await.unwrap()[0]
            .due
            .unwrap();
        assert_eq!(next, first + Duration::days(1));
        assert_eq!(
            store.post(id).await.unwrap().unwrap().status,
            PostStatus::Scheduled
        );
        until(|| group_texts(&h.server).iter().any(|t| t.contains("Daily:"))).await;
        h.stop().await;
    }
);
