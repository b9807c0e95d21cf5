//! Cleanups of silent members and since-actions end to end against the Bot
//! API test server: a dry run that spares admins, moderators, the exempt
//! list, recent joiners and bots; paced kicks once confirmed; an undo that
//! re-invites; `/since` in the chat, dry run then confirm.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use steward_core::Platform;
use steward_core::settings::ChatSettings;
use steward_runtime::{Pace, Spared};
use steward_storage::Store;
use steward_telegram_testserver::updates;
use support::*;

const DAY: i64 = 86_400;

fn ids(calls: &[steward_telegram_testserver::Call]) -> Vec<i64> {
    let mut ids: Vec<i64> = calls
        .iter()
        .filter_map(|c| c.param_i64("user_id"))
        .collect();
    ids.sort_unstable();
    ids
}

steward_storage::both_backends!(
    a_cleanup_spares_admins_goes_slowly_and_can_be_undone,
    |store: Store| async move {
        let settings = ChatSettings {
            moderators: vec!["30".into()],
            ..ChatSettings::default()
        };
        let h = harness_with(server().await, store.clone(), None, settings).await;
        let old = now() - 60 * DAY;
        let admin = updates::user(ADMIN, "Alice", "alice");
        let ann = updates::user(21, "Ann", "ann");
        let bob = updates::user(22, "Bob", "bob");
        let cid = updates::user(23, "Cid", "cid");
        let dee = updates::user(24, "Dee", "dee");
        let eve = updates::user(25, "Eve", "eve");
        let moderator = updates::user(30, "Mo", "mo");
        let helper = updates::bot_user(40, "Helper", "helper_bot");
        for (i, who) in [&admin, &ann, &bob, &cid, &moderator, &helper]
            .into_iter()
            .enumerate()
        {
            let id = i64::try_from(i).unwrap() + 1;
            h.server.push_update(
                TOKEN,
                updates::message(&group(), who, id, old, "hello, long ago"),
            );
        }
        h.server.push_update(
            TOKEN,
            updates::new_chat_members(
                &group(),
                &dee,
                7,
                now() - 2 * DAY,
                std::slice::from_ref(&dee),
            ),
        );
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &eve, 8, now(), "still here"),
        );
        // Ann wrote to the bot once, so it can write back to her.
        h.server.push_update(
            TOKEN,
            updates::message(&updates::private_chat(&ann), &ann, 1, now(), "hi bot"),
        );
        wait_for_events(&store, 9).await;

        let group_id = store
            .find_group(Platform::Telegram, &GROUP.to_string())
            .await
            .unwrap()
            .unwrap()
            .id;
        let cid_id = store.member_by_ref("telegram:23").await.unwrap().unwrap();
        assert!(
            h.pipeline
                .set_exempt(group_id, cid_id, true, "user:alice", Utc::now())
                .await
                .unwrap()
        );

        // The dry run: only Ann and Bob go; everyone else is spared, and why.
        let plan = h
            .pipeline
            .cleanup_dry_run(group_id, 30, 7, "user:alice", Utc::now())
            .await
            .unwrap();
        let removed: Vec<&str> = plan
            .removed
            .iter()
            .map(|c| c.platform_id.as_str())
            .collect();
        assert_eq!(removed, ["21", "22"]);
        let spared: BTreeMap<&str, Spared> = plan
            .spared
            .iter()
            .map(|(c, why)| (c.platform_id.as_str(), *why))
            .collect();
        assert_eq!(spared.get("7"), Some(&Spared::Admin), "{spared:?}");
        assert_eq!(spared.get("23"), Some(&Spared::Exempt));
        // Dee joined two days ago without a word: not thirty days silent.
        assert!(!spared.contains_key("24") && !removed.contains(&"24"));
        assert_eq!(spared.get("30"), Some(&Spared::Moderator));
        assert_eq!(spared.get("40"), Some(&Spared::Bot));
        assert!(!spared.contains_key("25") && !removed.contains(&"25"));
        assert!(h.server.calls_to("banChatMember").is_empty());

        // Confirmed: the kicks are queued with spaced due times.
        let pace = Pace {
            every: Duration::from_millis(800),
            jitter: Duration::from_millis(200),
        };
        let start = Utc::now() + chrono::Duration::seconds(1);
        let confirmed = h
            .pipeline
            .confirm_bulk(plan.run, Some(2), "user:alice", pace, start)
            .await
            .unwrap();
        assert_eq!(confirmed.queued, 2);
        let prefix = format!("bulk:{}:", plan.run);
        let mut due: Vec<_> = store
            .pending_actions_after(Platform::Telegram, 0, 1000)
            .await
            .unwrap()
            .into_iter()
            .filter(|row| row.idempotency_key.starts_with(&prefix))
            .map(|row| row.due_at)
            .collect();
        due.sort();
        assert_eq!(due.len(), 2);
        assert!(due[0] >= start);
        assert!(
            due[1] - due[0] >= chrono::Duration::milliseconds(600),
            "{due:?}"
        );
        // Confirming twice does nothing more.
        assert!(
            h.pipeline
                .confirm_bulk(plan.run, Some(2), "user:alice", pace, Utc::now())
                .await
                .is_err()
        );

        // A kick on Telegram is a ban and an unban, so they can come back.
        let bans = h.server.wait_for_call("banChatMember", 2, WAIT).await;
        assert_eq!(ids(&bans), [21, 22]);
        let unbans = h.server.wait_for_call("unbanChatMember", 2, WAIT).await;
        assert_eq!(ids(&unbans), [21, 22]);
        until(|| !h.server.is_banned(GROUP, 21) && !h.server.is_banned(GROUP, 22)).await;
        let deadline = tokio::time::Instant::now() + WAIT;
        while store.bulk_progress(plan.run).await.unwrap().done < 2 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "removals never finished"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let audit = store.list_audit(&all_audit()).await.unwrap();
        let kicks: Vec<_> = audit.iter().filter(|a| a.action == "kick").collect();
        assert_eq!(kicks.len(), 2);
        assert!(
            kicks
                .iter()
                .all(|a| a.reason.as_deref() == Some("inactive 30 days"))
        );
        assert!(audit.iter().any(|a| a.action == "cleanup_confirmed"));

        // Undo: each removed member gets an invite link, sent in private
        // where the bot may write; one more link is kept for the admins.
        let undone = h
            .pipeline
            .undo_bulk(plan.run, "user:alice", pace, Utc::now())
            .await
            .unwrap();
        assert_eq!((undone.reinvited, undone.cancelled), (2, 0));
        h.server
            .wait_for_call("createChatInviteLink", 3, WAIT)
            .await;
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let sent = h.server.sent_messages(21);
            if sent.iter().any(|m| {
                m["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("welcome back") && t.contains("https://"))
            }) {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no invite sent to Ann: {sent:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let run = store.bulk_run(plan.run).await.unwrap().unwrap();
        assert_eq!(run.status, "undone");
        let key = run.link_key.unwrap();
        let deadline = tokio::time::Instant::now() + WAIT;
        while store.action_result(&key).await.unwrap().is_none() {
            assert!(tokio::time::Instant::now() < deadline, "no shared link");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(
            store
                .list_audit(&all_audit())
                .await
                .unwrap()
                .iter()
                .any(|a| a.action == "bulk_undone")
        );
        h.stop().await;
    }
);

steward_storage::both_backends!(
    since_in_the_chat_is_a_dry_run_then_a_confirmed_removal,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, ChatSettings::default()).await;
        let admin = updates::user(ADMIN, "Alice", "alice");
        let gus = updates::user(26, "Gus", "gus");
        // Gus has been here for weeks; he only joins again now.
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &gus, 1, now() - 20 * DAY, "old timer"),
        );
        wait_for_events(&store, 1).await;
        let raiders: Vec<_> = (51..=53)
            .map(|id| updates::user(id, &format!("Raider{id}"), &format!("raider{id}")))
            .collect();
        h.server.push_update(
            TOKEN,
            updates::new_chat_members(&group(), &raiders[0], 2, now(), &raiders),
        );
        h.server.push_update(
            TOKEN,
            updates::new_chat_members(&group(), &gus, 3, now(), std::slice::from_ref(&gus)),
        );
        wait_for_events(&store, 5).await;

        h.server.push_update(
            TOKEN,
            updates::message(&group(), &admin, 4, now(), "/since 10m ban"),
        );
        let deadline = tokio::time::Instant::now() + WAIT;
        let dry = loop {
            if let Some(text) = h
                .server
                .sent_messages(GROUP)
                .iter()
                .filter_map(|m| m["text"].as_str().map(str::to_owned))
                .find(|t| t.starts_with("Dry run"))
            {
                break text;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no dry run in the chat"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert!(dry.contains("Dry run: 3 "), "{dry}");
        assert!(dry.contains("Raider51") && !dry.contains("Gus"), "{dry}");
        assert!(dry.contains("/since 10m ban confirm"), "{dry}");
        assert!(h.server.calls_to("banChatMember").is_empty());

        h.server.push_update(
            TOKEN,
            updates::message(&group(), &admin, 5, now(), "/since 10m ban confirm"),
        );
        let bans = h.server.wait_for_call("banChatMember", 3, WAIT).await;
        assert_eq!(ids(&bans), [51, 52, 53]);
        until(|| (51..=53).all(|raider| h.server.is_banned(GROUP, raider))).await;
        assert!(!h.server.is_banned(GROUP, 26));
        let audit = store.list_audit(&all_audit()).await.unwrap();
        assert!(audit.iter().any(|a| a.action == "since_confirmed"));
        let bans: Vec<_> = audit.iter().filter(|a| a.action == "ban").collect();
        assert_eq!(bans.len(), 3);
        assert!(bans.iter().all(|a| {
            a.reason
                .as_deref()
                .is_some_and(|r| r.starts_with("joined between"))
        }));
        h.stop().await;
    }
);
