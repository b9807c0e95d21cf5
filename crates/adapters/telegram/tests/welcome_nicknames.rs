//! Welcomes and nickname rules through the Bot API test server: a join is
//! welcomed by name and the welcome deleted after its time; several joins
//! at once get one welcome; a wrong name is reminded, muted when the grace
//! period runs out, and let go when the member shows up with a right name.

mod support;

use std::time::Duration;

use chrono::Utc;
use steward_core::nickname::NicknameRule;
use steward_core::settings::ChatSettings;
use steward_core::welcome::Welcome;
use steward_storage::Store;
use steward_telegram_testserver::updates;
use support::*;

fn welcome(group_seconds: u32, delete_after: Option<u32>) -> ChatSettings {
    ChatSettings {
        welcome: Some(Welcome {
            text: "Welcome {name} to {group}! {rules}".into(),
            delete_after,
            group_seconds: Some(group_seconds),
            ..Welcome::default()
        }),
        ..ChatSettings::default()
    }
}

fn welcomes(server: &steward_telegram_testserver::TestServer) -> Vec<String> {
    server
        .sent_messages(GROUP)
        .iter()
        .filter_map(|m| m["text"].as_str())
        .filter(|t| t.starts_with("Welcome"))
        .map(str::to_owned)
        .collect()
}

steward_storage::both_backends!(
    a_join_is_welcomed_and_the_welcome_deleted,
    |store: Store| async move {
        let h = harness_with(server().await, store, None, welcome(0, Some(1))).await;
        let dana = updates::user(60, "Dana", "dana");
        h.server.push_update(
            TOKEN,
            updates::new_chat_members(&group(), &dana, 100, now(), std::slice::from_ref(&dana)),
        );
        let sent = h.server.wait_for_call("sendMessage", 1, WAIT).await;
        let text = sent[0].param_str("text").unwrap_or_default();
        assert_eq!(
            text,
            "Welcome Dana to Rust Chat! send /rules to read the group rules"
        );
        let deleted = h.server.wait_for_call("deleteMessage", 1, WAIT).await;
        let message = deleted[0].param_i64("message_id").unwrap();
        until(|| !h.server.message_exists(GROUP, message)).await;
        assert!(welcomes(&h.server).len() == 1);
        h.stop().await;
    }
);

steward_storage::both_backends!(
    several_joins_at_once_get_one_welcome,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, welcome(2, None)).await;
        let admin = updates::user(ADMIN, "Alice", "alice");
        let ann = updates::user(61, "Ann", "ann");
        let bob = updates::user(62, "Bob", "bob");
        let cy = updates::user(63, "Cy", "cy");
        // Two added by an admin in one service message, one joining alone
        // a moment later, within the window.
        h.server.push_update(
            TOKEN,
            updates::new_chat_members(&group(), &admin, 200, now(), &[ann, bob]),
        );
        h.server.push_update(
            TOKEN,
            updates::new_chat_members(&group(), &cy, 201, now(), std::slice::from_ref(&cy)),
        );
        wait_for_events(&store, 3).await;
        let sent = h.server.wait_for_call("sendMessage", 1, WAIT).await;
        let text = sent[0].param_str("text").unwrap_or_default();
        assert!(
            text.starts_with("Welcome Ann, Bob and Cy to Rust Chat!"),
            "{text}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(welcomes(&h.server).len(), 1);
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_wrong_nickname_is_reminded_muted_and_released,
    |store: Store| async move {
        let chat = ChatSettings {
            nickname: Some(NicknameRule {
                pattern: "City-Name".into(),
                example: "Kazan-Eve".into(),
                grace_hours: Some(1),
                ..NicknameRule::default()
            }),
            ..ChatSettings::default()
        };
        let h = harness_with(server().await, store.clone(), None, chat).await;
        let eve = updates::user(70, "Eve", "eve");
        h.server.push_update(
            TOKEN,
            updates::new_chat_members(&group(), &eve, 300, now(), std::slice::from_ref(&eve)),
        );
        let sent = h.server.wait_for_call("sendMessage", 1, WAIT).await;
        let reminder = sent[0].param_str("text").unwrap_or_default();
        assert!(
            reminder.contains("City-Name") && reminder.contains("Kazan-Eve"),
            "{reminder}"
        );
        // Within the grace period nothing happens.
        assert_eq!(h.pipeline.run_timers(Utc::now()).await.unwrap(), 0);
        assert!(h.server.calls_to("restrictChatMember").is_empty());

        let later = Utc::now() + chrono::Duration::hours(2);
        assert_eq!(h.pipeline.run_timers(later).await.unwrap(), 1);
        let muted = h.server.wait_for_call("restrictChatMember", 1, WAIT).await;
        assert_eq!(muted[0].param_i64("user_id"), Some(70));
        until(|| h.server.restriction(GROUP, 70).is_some()).await;

        // Eve fixes her name; Telegram sends no rename, but the next update
        // carrying her (a reaction, a button, a message) shows the new name.
        let fixed = updates::user(70, "Kazan-Eve", "eve");
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &fixed, 301, now(), "fixed my name"),
        );
        wait_for_events(&store, 2).await;
        assert_eq!(h.pipeline.run_timers(Utc::now()).await.unwrap(), 1);
        let calls = h.server.wait_for_call("restrictChatMember", 2, WAIT).await;
        let unmute = &calls[1];
        assert_eq!(unmute.param_i64("user_id"), Some(70));
        let permissions = unmute.param_json("permissions").unwrap();
        assert_eq!(permissions["can_send_messages"], serde_json::json!(true));
        let audit = h.pipeline.store().list_audit(&all_audit()).await.unwrap();
        for action in ["nickname_reminded", "mute", "unmute", "nickname_fixed"] {
            assert!(audit.iter().any(|a| a.action == action), "{action}");
        }
        h.stop().await;
    }
);
