//! Scheduled reports on Telegram: the summary goes to the admins' chat as a
//! message and the messages-per-day chart follows as a `sendPhoto` upload.

mod support;

use chrono::{Datelike, Duration, NaiveTime, Utc};
use steward_core::analytics::ReportSettings;
use steward_core::settings::ChatSettings;
use steward_storage::Store;
use steward_telegram_testserver::updates;
use support::*;

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

steward_storage::both_backends!(
    a_weekly_report_brings_its_chart,
    |store: Store| async move {
        let chat = ChatSettings {
            admin_chat: Some(ADMIN_CHAT.to_string()),
            reports: ReportSettings {
                weekly: true,
                monthly: false,
                daily: false,
                ..ReportSettings::default()
            },
            ..ChatSettings::default()
        };
        let h = harness_with(server().await, store.clone(), None, chat).await;
        // The last Monday 09:30 UTC that has passed: last week's report is
        // due then. (A later `now` would queue the actions in the future.)
        let now_utc = Utc::now();
        let today = now_utc.date_naive();
        let mut monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let at_half_past_nine = |day: chrono::NaiveDate| {
            day.and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap())
                .and_utc()
        };
        if at_half_past_nine(monday) > now_utc {
            monday -= Duration::days(7);
        }
        let due = at_half_past_nine(monday);
        // Three messages on the Saturday before.
        let saturday = (due - Duration::days(2)).timestamp();
        let member = updates::user(80, "Max", "max");
        for (id, text) in [
            (10, "good morning"),
            (11, "see you at noon"),
            (12, "thanks"),
        ] {
            h.server.push_update(
                TOKEN,
                updates::message(&group(), &member, id, saturday + id, text),
            );
        }
        wait_for_events(&store, 3).await;

        assert_eq!(h.pipeline.send_scheduled_reports(due).await.unwrap(), 1);
        assert_eq!(h.pipeline.send_scheduled_reports(due).await.unwrap(), 0);

        let photos = h.server.wait_for_call("sendPhoto", 1, WAIT).await;
        assert_eq!(photos.len(), 1);
        let photo = &photos[0];
        assert_eq!(photo.param_i64("chat_id"), Some(ADMIN_CHAT));
        assert_eq!(photo.params["photo"]["file_name"], "chart.png");
        assert_eq!(photo.params["photo"]["mime_type"], "image/png");
        assert!(photo.params["photo"]["file_size"].as_u64().unwrap() > 100);
        let head: Vec<u8> = serde_json::from_value(photo.params["photo"]["head"].clone()).unwrap();
        assert_eq!(head, PNG_SIGNATURE);
        assert_eq!(photo.params["photo"]["width"], 800);
        let caption = photo.param_str("caption").unwrap();
        assert!(caption.contains("Rust Chat"), "{caption}");

        let summaries: Vec<_> = h
            .server
            .calls_to("sendMessage")
            .into_iter()
            .filter(|c| c.param_i64("chat_id") == Some(ADMIN_CHAT))
            .filter_map(|c| c.param_str("text"))
            .filter(|t| t.contains("Rust Chat"))
            .collect();
        assert_eq!(summaries.len(), 1, "{summaries:?}");
        assert!(summaries[0].contains('3'), "{}", summaries[0]);
        // The photo is a real message in the admins' chat, after the summary
        // (the server records a call before it applies it).
        until(|| {
            h.server
                .sent_messages(ADMIN_CHAT)
                .iter()
                .any(|m| m.get("photo").is_some())
        })
        .await;
        let sent = h.server.sent_messages(ADMIN_CHAT);
        let summary_at = sent.iter().position(|m| {
            m.get("text")
                .is_some_and(|t| t.as_str().is_some_and(|t| t.contains("Rust Chat")))
        });
        let photo_at = sent.iter().position(|m| m.get("photo").is_some());
        assert!(summary_at.unwrap() < photo_at.unwrap(), "{sent:?}");
        h.stop().await;
    }
);
