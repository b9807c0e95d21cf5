//! Referrals and trusted reporters end to end against the Bot API test
//! server: `/invite` creates a personal link that is posted and recorded,
//! joins through it are credited (or recorded as not counted, with why),
//! campaigns count their window; reports weigh by the reporter's trust and
//! enough of them hide a message pending review. On both backends.

mod support;

use chrono::{Duration, Utc};
use serde_json::Value;
use steward_core::settings::ChatSettings;
use steward_core::{GroupId, Platform};
use steward_storage::Store;
use steward_storage::referrals::{NewCampaign, Referral, Scope};
use steward_telegram_testserver::{TestServer, updates};
use support::*;

const ANN: i64 = 50;

fn settings() -> ChatSettings {
    ChatSettings {
        admin_chat: Some(ADMIN_CHAT.to_string()),
        ..ChatSettings::default()
    }
}

async fn group_id(store: &Store) -> GroupId {
    store
        .find_group(Platform::Telegram, &GROUP.to_string())
        .await
        .unwrap()
        .expect("the group is configured")
        .id
}

/// Waits until `n` joins are recorded, and returns them oldest first.
async fn wait_for_referrals(store: &Store, n: usize) -> Vec<Referral> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let mut found = store.recent_referrals(None, 100).await.unwrap();
        if found.len() >= n {
            found.reverse();
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "fewer than {n} referrals recorded: {found:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Texts the bot sent to the group.
fn group_texts(server: &TestServer) -> Vec<String> {
    server
        .sent_messages(GROUP)
        .iter()
        .filter_map(|m| m["text"].as_str().map(str::to_owned))
        .collect()
}

/// Ann asks for her link; returns it once it was created, posted and
/// recorded.
async fn ann_gets_a_link(server: &TestServer, store: &Store, message_id: i64) -> String {
    let ann = updates::user(ANN, "Ann", "ann");
    server.push_update(
        TOKEN,
        updates::message(&group(), &ann, message_id, now(), "/invite"),
    );
    let created = server.wait_for_call("createChatInviteLink", 1, WAIT).await;
    assert_eq!(created[0].param_i64("chat_id"), Some(GROUP));
    assert_eq!(created[0].param_str("name").as_deref(), Some("ref · Ann"));
    until(|| !server.invite_links(GROUP).is_empty()).await;
    let link = server.invite_links(GROUP)[0]["invite_link"]
        .as_str()
        .unwrap()
        .to_owned();
    until(|| {
        server.sent_messages(GROUP).iter().any(|m| {
            m["text"].as_str().is_some_and(|t| t.contains(&link))
                && m["reply_to_message"]["message_id"].as_i64() == Some(message_id)
        })
    })
    .await;
    let recorded = store
        .invite_link(Platform::Telegram, &link)
        .await
        .unwrap()
        .expect("the link is recorded");
    assert_eq!(recorded.purpose, "referral");
    link
}

fn left(user: &Value, date: i64) -> Value {
    let mut update = updates::chat_member_update(&group(), user, user, "member", "left", None);
    update["chat_member"]["date"] = date.into();
    update
}

steward_storage::both_backends!(
    a_join_through_a_created_link_is_credited,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, settings()).await;
        let link = ann_gets_a_link(&h.server, &store, 100).await;
        // Asked again, Ann gets the same link; no new one is made.
        let ann = updates::user(ANN, "Ann", "ann");
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &ann, 501, now(), "/invite"),
        );
        until(|| {
            group_texts(&h.server)
                .iter()
                .filter(|t| t.contains(&link))
                .count()
                == 2
        })
        .await;
        assert_eq!(h.server.calls_to("createChatInviteLink").len(), 1);
        // Neo joins through it.
        let neo = updates::user(60, "Neo", "neo");
        h.server
            .join_by_link(TOKEN, GROUP, &neo, &link, None)
            .expect("the link exists");
        let credited = wait_for_referrals(&store, 1).await;
        assert!(credited[0].counted, "{credited:?}");
        assert_eq!(credited[0].referrer.platform_id, ANN.to_string());
        assert_eq!(credited[0].newcomer.platform_id, "60");
        assert_eq!(credited[0].source, "link");
        let gid = group_id(&store).await;
        let board = store
            .referral_leaderboard(Scope::Group(gid), None, None, 10)
            .await
            .unwrap();
        assert_eq!(board.len(), 1);
        assert_eq!((board[0].member.label(), board[0].count), ("Ann".into(), 1));
        // The top inviters in the chat.
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &neo, 502, now(), "/referrals"),
        );
        until(|| {
            group_texts(&h.server)
                .iter()
                .any(|t| t.contains("1. Ann — 1"))
        })
        .await;
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_referral_is_not_credited_for_a_self_invite,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, settings()).await;
        let link = ann_gets_a_link(&h.server, &store, 100).await;
        let ann = updates::user(ANN, "Ann", "ann");
        // Ann leaves and comes back through her own link.
        h.server.push_update(TOKEN, left(&ann, now() - 5));
        h.server
            .join_by_link(TOKEN, GROUP, &ann, &link, None)
            .expect("the link exists");
        let recorded = wait_for_referrals(&store, 1).await;
        assert!(!recorded[0].counted);
        assert_eq!(recorded[0].reason.as_deref(), Some("self"));
        let gid = group_id(&store).await;
        let board = store
            .referral_leaderboard(Scope::Group(gid), None, None, 10)
            .await
            .unwrap();
        assert!(board.is_empty(), "{board:?}");
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_leave_and_rejoin_is_not_credited,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, settings()).await;
        // Max was in the group before: he talked, then left.
        let max = updates::user(70, "Max", "max");
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &max, 90, now() - 100, "hi all"),
        );
        h.server.push_update(TOKEN, left(&max, now() - 50));
        wait_for_events(&store, 2).await;
        let link = ann_gets_a_link(&h.server, &store, 100).await;
        h.server
            .join_by_link(TOKEN, GROUP, &max, &link, None)
            .expect("the link exists");
        // A real newcomer after him still counts.
        let neo = updates::user(60, "Neo", "neo");
        h.server
            .join_by_link(TOKEN, GROUP, &neo, &link, None)
            .expect("the link exists");
        let recorded = wait_for_referrals(&store, 2).await;
        let by = |pid: &str| {
            recorded
                .iter()
                .find(|r| r.newcomer.platform_id == pid)
                .unwrap()
                .clone()
        };
        assert!(!by("70").counted);
        assert_eq!(by("70").reason.as_deref(), Some("rejoin"));
        assert!(by("60").counted);
        // Neo leaves and rejoins: still one credit.
        h.server.push_update(TOKEN, left(&neo, now() + 5));
        h.server
            .join_by_link(TOKEN, GROUP, &neo, &link, Some(now() + 10))
            .expect("the link exists");
        let recorded = wait_for_referrals(&store, 3).await;
        assert_eq!(recorded[2].reason.as_deref(), Some("rejoin"));
        let gid = group_id(&store).await;
        let board = store
            .referral_leaderboard(Scope::Group(gid), None, None, 10)
            .await
            .unwrap();
        assert_eq!(board[0].count, 1);
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_campaign_counts_only_its_window,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, settings()).await;
        let link = ann_gets_a_link(&h.server, &store, 100).await;
        let gid = group_id(&store).await;
        let start = Utc::now() - Duration::hours(1);
        let id = store
            .create_campaign(&NewCampaign {
                group: Some(gid),
                community: None,
                name: "Spring drive",
                starts: start,
                ends: Utc::now() + Duration::hours(1),
                created_by: "user:owner",
                at: Utc::now(),
            })
            .await
            .unwrap();
        // One joins before the campaign, two during it.
        let early = now() - 3 * 3600;
        for (user, date) in [(61, Some(early)), (62, None), (63, None)] {
            let who = updates::user(user, &format!("U{user}"), "");
            h.server
                .join_by_link(TOKEN, GROUP, &who, &link, date)
                .expect("the link exists");
        }
        wait_for_referrals(&store, 3).await;
        let campaign = store.campaign(id).await.unwrap().unwrap();
        let board = store.campaign_leaderboard(&campaign, 10).await.unwrap();
        assert_eq!(board[0].count, 2);
        let all = store
            .referral_leaderboard(Scope::Group(gid), None, None, 10)
            .await
            .unwrap();
        assert_eq!(all[0].count, 3);
        // In the chat, the running campaign's board.
        let ann = updates::user(ANN, "Ann", "ann");
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &ann, 503, now(), "/referrals"),
        );
        until(|| {
            group_texts(&h.server)
                .iter()
                .any(|t| t.contains("Spring drive") && t.contains("1. Ann — 2"))
        })
        .await;
        // Ended now, the campaign keeps what it counted.
        assert!(store.end_campaign(id, Utc::now()).await.unwrap());
        let campaign = store.campaign(id).await.unwrap().unwrap();
        assert!(!campaign.running(Utc::now() + Duration::seconds(1)));
        assert_eq!(
            store.campaign_leaderboard(&campaign, 10).await.unwrap()[0].count,
            2
        );
        h.stop().await;
    }
);

/// Members known for a while, as the pipeline would have seen them:
/// joined `days` ago with `messages` messages.
async fn seed_members(store: &Store, members: &[(i64, &str, i64, i64)]) {
    let group = group_id(store).await;
    let mut tx = store.begin().await.unwrap();
    for &(id, name, days, messages) in members {
        let since = Utc::now() - Duration::days(days);
        let member = tx
            .insert_member(
                Platform::Telegram,
                &id.to_string(),
                Some(name),
                None,
                false,
                since,
            )
            .await
            .unwrap();
        tx.record_join(group, member, since, None).await.unwrap();
        tx.touch_memberships(&[(group, member, since, messages)])
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

fn report(by: &Value, id: i64, reported: &Value) -> Value {
    updates::with_reply_to(
        updates::message(&group(), by, id, now(), "/report spam"),
        reported,
    )
}

steward_storage::both_backends!(
    trusted_reports_weigh_more_and_enough_hide_the_message,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, settings()).await;
        // Three basic members (TL1), three newcomers (TL0), one regular (TL3).
        seed_members(
            &store,
            &[
                (81, "B1", 2, 10),
                (82, "B2", 2, 10),
                (83, "B3", 2, 10),
                (84, "Reggie", 60, 400),
            ],
        )
        .await;
        let author = updates::user(90, "Pat", "pat");
        let post = |id: i64| updates::message(&group(), &author, id, now(), "selling cheap stuff");
        let (first, second, third) = (post(200), post(201), post(202));
        for m in [&first, &second, &third] {
            h.server.push_update(TOKEN, m.clone());
        }
        wait_for_events(&store, 3).await;
        // Three newcomers' reports weigh 1.5: not enough.
        for (i, id) in [85, 86, 87].into_iter().enumerate() {
            let newcomer = updates::user(id, &format!("N{id}"), "");
            h.server
                .push_update(TOKEN, report(&newcomer, 1000 + 10 * i as i64, &third));
        }
        // Three basic members' reports weigh 3: the message is hidden.
        for (i, id) in [81, 82, 83].into_iter().enumerate() {
            let basic = updates::user(id, &format!("B{}", i + 1), "");
            h.server
                .push_update(TOKEN, report(&basic, 2000 + 10 * i as i64, &first));
        }
        let deleted = h.server.wait_for_call("deleteMessage", 1, WAIT).await;
        assert_eq!(deleted[0].param_i64("message_id"), Some(200));
        until(|| {
            h.server.sent_messages(ADMIN_CHAT).iter().any(|m| {
                m["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("Hidden after"))
            })
        })
        .await;
        let card = h
            .server
            .sent_messages(ADMIN_CHAT)
            .into_iter()
            .find(|m| {
                m["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("Hidden after"))
            })
            .unwrap();
        let text = card["text"].as_str().unwrap();
        assert!(text.contains("Hidden after reports"), "{text}");
        assert!(text.contains("cannot restore it on Telegram"), "{text}");
        assert!(text.contains("B1, B2, B3"), "{text}");
        let case = card_button(&card, ":dismiss");
        // One regular's report is enough alone.
        let reggie = updates::user(84, "Reggie", "");
        h.server.push_update(TOKEN, report(&reggie, 3000, &second));
        let deleted = h.server.wait_for_call("deleteMessage", 2, WAIT).await;
        assert_eq!(deleted[1].param_i64("message_id"), Some(201));
        // The hidden message's case carries its three reports.
        let id: i64 = case.split(':').nth(1).unwrap().parse().unwrap();
        let mut tx = store.begin().await.unwrap();
        let row = tx.case(id).await.unwrap().unwrap();
        let reports = tx.reports_of_case(id).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(row.kind, "report");
        assert_eq!(row.status, "open");
        assert_eq!(reports.len(), 3);
        assert!(reports.iter().all(|r| r.weight == 1.0 && r.trust == 1));
        let evidence: Value = serde_json::from_str(row.evidence.as_deref().unwrap()).unwrap();
        assert_eq!(evidence["hidden"], true);
        assert_eq!(evidence["reports"].as_array().unwrap().len(), 3);
        // The newcomers' message stays.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(
            h.server
                .calls_to("deleteMessage")
                .iter()
                .all(|c| c.param_i64("message_id") != Some(202))
        );
        let audit = store.list_audit(&all_audit()).await.unwrap();
        assert!(audit.iter().any(|a| {
            a.action == "delete_message"
                && a.actor == "system"
                && a.reason
                    .as_deref()
                    .is_some_and(|r| r.contains("weight 3 of 3"))
        }));
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_repeat_report_by_the_same_member_counts_once,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, settings()).await;
        seed_members(&store, &[(81, "B1", 2, 10)]).await;
        let author = updates::user(90, "Pat", "pat");
        let post = updates::message(&group(), &author, 200, now(), "selling cheap stuff");
        h.server.push_update(TOKEN, post.clone());
        let basic = updates::user(81, "B1", "");
        for id in [1000, 1100, 1200] {
            h.server.push_update(TOKEN, report(&basic, id, &post));
        }
        until(|| {
            group_texts(&h.server)
                .iter()
                .filter(|t| t.contains("already reported"))
                .count()
                == 2
        })
        .await;
        assert!(h.server.calls_to("deleteMessage").is_empty());
        let open = store.list_cases(Some("open"), 10).await.unwrap();
        assert_eq!(open.len(), 1);
        let mut tx = store.begin().await.unwrap();
        let reports = tx.reports_of_case(open[0].id).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(reports.len(), 1);
        h.stop().await;
    }
);
