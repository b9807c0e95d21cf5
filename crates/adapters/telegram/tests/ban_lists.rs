//! A community's shared ban list end to end against the Bot API test
//! server: an import banned in the groups of the community where each
//! account was seen, a listed applicant's join request declined, a listed
//! newcomer banned at once.

mod support;

use chrono::Utc;
use steward_core::Platform;
use steward_core::i18n::Lang;
use steward_core::settings::ChatSettings;
use steward_runtime::GroupSettings;
use steward_runtime::ban_lists;
use steward_storage::Store;
use steward_telegram_testserver::{JoinRequestState, updates};
use support::*;

/// The second group of the community.
const GROUP2: i64 = -100_300;

steward_storage::both_backends!(
    an_import_is_applied_across_groups_and_at_the_door,
    |store: Store| async move {
        let server = server().await;
        let bot = updates::bot_user(BOT_ID, "Steward", "steward_bot");
        let admin = updates::user(ADMIN, "Alice", "alice");
        server.set_admins(
            GROUP2,
            vec![updates::owner(&admin), updates::administrator(&bot)],
        );
        let h = harness_with(server, store.clone(), None, ChatSettings::default()).await;
        for (id, title) in [(GROUP, "Rust Chat"), (GROUP2, "Rust Jobs")] {
            h.pipeline
                .configure_group(
                    Platform::Telegram,
                    &id.to_string(),
                    Some(title),
                    &GroupSettings {
                        community: Some("Rustaceans".to_owned()),
                        language: Lang::En,
                        chat: ChatSettings::default(),
                    },
                )
                .await
                .unwrap();
        }
        let community = store
            .find_community("Rustaceans")
            .await
            .unwrap()
            .unwrap()
            .id;

        // 501 has spoken in both groups, 502 in the first only.
        let before = store.count_events().await.unwrap();
        for (chat, title, user, id) in [
            (GROUP, "Rust Chat", 501, 100),
            (GROUP2, "Rust Jobs", 501, 101),
            (GROUP, "Rust Chat", 502, 102),
        ] {
            let who = updates::user(user, "Someone", "someone");
            h.server.push_update(
                TOKEN,
                updates::message(&updates::group(chat, title), &who, id, now(), "hello"),
            );
        }
        wait_for_events(&store, before + 3).await;

        // An import, as another community exported it.
        let file = r#"{"format": "steward-ban-list", "version": 1, "community": "Elsewhere",
            "entries": [
                {"platform": "telegram", "account": "501", "reason": "crypto scam", "added_at": "2026-03-01T10:00:00Z"},
                {"platform": "telegram", "account": "502", "reason": "raid bot"}
            ]}"#;
        let entries = ban_lists::parse(file).unwrap();
        let merged = h
            .pipeline
            .ban_list_import(community, &entries, "cli", Utc::now())
            .await
            .unwrap();
        assert_eq!((merged.added, merged.bans), (2, 3));
        let calls = h.server.wait_for_call("banChatMember", 3, WAIT).await;
        let mut pairs: Vec<(i64, i64)> = calls
            .iter()
            .map(|c| {
                (
                    c.param_i64("chat_id").unwrap(),
                    c.param_i64("user_id").unwrap(),
                )
            })
            .collect();
        pairs.sort_unstable();
        assert_eq!(pairs, [(GROUP2, 501), (GROUP, 501), (GROUP, 502)]);
        for (chat, user) in pairs {
            until(|| h.server.is_banned(chat, user)).await;
        }
        assert!(!h.server.is_banned(GROUP2, 502));
        let audit = store.list_audit(&all_audit()).await.unwrap();
        let bans: Vec<_> = audit
            .iter()
            .filter(|a| a.action == "ban" && a.target.as_deref() == Some("501"))
            .collect();
        assert_eq!(bans.len(), 2);
        assert!(
            bans.iter()
                .all(|a| a.reason.as_deref() == Some("ban list: crypto scam"))
        );
        assert!(audit.iter().any(|a| a.action == "ban_list_imported"));

        // Importing the same file again changes nothing.
        let again = h
            .pipeline
            .ban_list_import(community, &entries, "cli", Utc::now())
            .await
            .unwrap();
        assert_eq!((again.added, again.already, again.bans), (0, 2, 0));

        // A listed applicant's join request is declined, with the reason
        // in the audit log and no card for the admins.
        let applicant = updates::user(502, "Raider", "raider");
        h.server.push_update(
            TOKEN,
            updates::chat_join_request(&group(), &applicant, now(), None, None),
        );
        let declined = h
            .server
            .wait_for_call("declineChatJoinRequest", 1, WAIT)
            .await;
        assert_eq!(declined[0].param_i64("user_id"), Some(502));
        until(|| h.server.join_request_state(GROUP, 502) == Some(JoinRequestState::Declined)).await;
        let audit = store.list_audit(&all_audit()).await.unwrap();
        let decline = audit
            .iter()
            .find(|a| a.action == "decline_join")
            .expect("the decline is audited");
        assert_eq!(decline.reason.as_deref(), Some("ban list: raid bot"));
        assert_eq!(decline.actor, "system");
        assert!(h.server.sent_messages(ADMIN_CHAT).is_empty());

        // A listed account that gets in anyway (by an invite link made before
        // the list) is banned again on arrival.
        let scammer = updates::user(501, "Scammer", "scammer");
        h.server.push_update(
            TOKEN,
            updates::new_chat_members(
                &updates::group(GROUP2, "Rust Jobs"),
                &scammer,
                900,
                now(),
                std::slice::from_ref(&scammer),
            ),
        );
        let calls = h.server.wait_for_call("banChatMember", 4, WAIT).await;
        let last = calls.last().unwrap();
        assert_eq!(
            (last.param_i64("chat_id"), last.param_i64("user_id")),
            (Some(GROUP2), Some(501))
        );
        until(|| h.server.is_banned(GROUP2, 501)).await;
        let audit = store.list_audit(&all_audit()).await.unwrap();
        let door = audit
            .iter()
            .find(|a| a.action == "ban" && a.actor == "system")
            .expect("the door's ban is audited");
        assert_eq!(door.reason.as_deref(), Some("ban list: crypto scam"));
        assert!(door.event.is_some());
        h.stop().await;
    }
);
