//! Referrals and trusted reporters end to end against the Bot API test
//! server: `/invite` creates a personal link that is posted and recorded,
//! joins through it are credited (or recorded as not counted, with why),
//! campaigns count their window; a newcomer held at the door counts only
//! once let in, a ban-listed one never; `/invite` spam gets one link and one
//! answer a minute; reports weigh by the reporter's trust and enough of them,
//! with at least one trusted reporter, hide a message pending review. On
//! both backends.

mod support;

use chrono::{Duration, Utc};
use serde_json::Value;
use steward_core::captcha::CaptchaKind;
use steward_core::i18n::Lang;
use steward_core::settings::{CaptchaOn, CaptchaSettings, ChatSettings};
use steward_core::{GroupId, Platform};
use steward_runtime::GroupSettings;
use steward_runtime::ban_lists::ListEntry;
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

/// Ann asks for her link (two minutes ago, so that she may be answered
/// again now); returns it once it was created, posted and recorded.
async fn ann_gets_a_link(server: &TestServer, store: &Store, message_id: i64) -> String {
    let ann = updates::user(ANN, "Ann", "ann");
    server.push_update(
        TOKEN,
        updates::message(&group(), &ann, message_id, now() - 120, "/invite"),
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
        // Asked again two minutes later, Ann gets the same link; no new one
        // is made.
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

/// The CAPTCHA the bot posted in the group for `name`.
async fn challenge_for(server: &TestServer, name: &str) -> Value {
    let find = || {
        server.sent_messages(GROUP).into_iter().find(|m| {
            m.get("reply_markup").is_some() && m["text"].as_str().is_some_and(|t| t.contains(name))
        })
    };
    until(|| find().is_some()).await;
    find().unwrap()
}

/// The data of a button on a challenge: the one its text names (`right`),
/// or another.
fn challenge_button(challenge: &Value, right: bool) -> String {
    let text = challenge["text"].as_str().unwrap();
    challenge["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().into_iter().flatten())
        .find(|b| b["text"].as_str().is_some_and(|l| text.contains(l)) == right)
        .and_then(|b| b["callback_data"].as_str())
        .unwrap()
        .to_owned()
}

async fn board_of(store: &Store) -> Vec<(String, i64)> {
    let gid = group_id(store).await;
    store
        .referral_leaderboard(Scope::Group(gid), None, None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.member.label(), l.count))
        .collect()
}

steward_storage::both_backends!(
    a_held_newcomer_counts_only_once_let_in,
    |store: Store| async move {
        let chat = ChatSettings {
            captcha: Some(CaptchaSettings {
                kind: CaptchaKind::Emoji,
                minutes: Some(2),
                on: CaptchaOn::Joins,
            }),
            ..settings()
        };
        let h = harness_with(server().await, store.clone(), None, chat).await;
        let link = ann_gets_a_link(&h.server, &store, 100).await;
        // Neo and Kim come through Ann's link and are held for a CAPTCHA.
        let neo = updates::user(60, "Neo", "neo");
        let kim = updates::user(61, "Kim", "kim");
        for who in [&neo, &kim] {
            h.server
                .join_by_link(TOKEN, GROUP, who, &link, None)
                .expect("the link exists");
        }
        let recorded = wait_for_referrals(&store, 2).await;
        for r in &recorded {
            assert!(!r.counted, "{r:?}");
            assert_eq!(r.reason.as_deref(), Some("held"));
        }
        assert!(board_of(&store).await.is_empty());
        // Neo solves it: his join counts. Kim gets it wrong and is removed:
        // hers never does.
        let challenge = challenge_for(&h.server, "Neo").await;
        let right = challenge_button(&challenge, true);
        h.server.push_update(
            TOKEN,
            updates::callback_query("q1", &neo, &challenge, &right),
        );
        let challenge = challenge_for(&h.server, "Kim").await;
        let wrong = challenge_button(&challenge, false);
        h.server.push_update(
            TOKEN,
            updates::callback_query("q2", &kim, &challenge, &wrong),
        );
        until(|| h.server.restriction(GROUP, 60).is_none()).await;
        h.server.wait_for_call("banChatMember", 1, WAIT).await;
        let deadline = tokio::time::Instant::now() + WAIT;
        while board_of(&store).await.is_empty() {
            assert!(tokio::time::Instant::now() < deadline, "Neo never counted");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(board_of(&store).await, vec![("Ann".to_owned(), 1)]);
        let recorded = wait_for_referrals(&store, 2).await;
        let kim = recorded
            .iter()
            .find(|r| r.newcomer.platform_id == "61")
            .unwrap();
        assert!(!kim.counted);
        assert_eq!(kim.reason.as_deref(), Some("held"));
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_ban_listed_newcomer_is_never_credited,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, settings()).await;
        h.pipeline
            .configure_group(
                Platform::Telegram,
                &GROUP.to_string(),
                Some("Rust Chat"),
                &GroupSettings {
                    community: Some("Rustaceans".to_owned()),
                    language: Lang::En,
                    chat: settings(),
                },
            )
            .await
            .unwrap();
        let community = store
            .find_community("Rustaceans")
            .await
            .unwrap()
            .unwrap()
            .id;
        let entry = ListEntry {
            platform: Platform::Telegram,
            account: "66".to_owned(),
            reason: "raid bot".to_owned(),
            added_at: None,
        };
        h.pipeline
            .ban_list_add(community, &entry, "cli", Utc::now())
            .await
            .unwrap();
        let link = ann_gets_a_link(&h.server, &store, 100).await;
        // The listed account comes through Ann's link (Telegram tells of it
        // twice, the second time naming the link), then Neo does.
        let listed = updates::user(66, "Spammer", "");
        h.server
            .join_by_link(TOKEN, GROUP, &listed, &link, None)
            .expect("the link exists");
        let neo = updates::user(60, "Neo", "neo");
        h.server
            .join_by_link(TOKEN, GROUP, &neo, &link, None)
            .expect("the link exists");
        let banned = h.server.wait_for_call("banChatMember", 1, WAIT).await;
        assert_eq!(banned[0].param_i64("user_id"), Some(66));
        let recorded = wait_for_referrals(&store, 1).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let recorded_now = store.recent_referrals(None, 100).await.unwrap();
        assert_eq!(recorded_now.len(), 1, "{recorded_now:?}");
        assert_eq!(recorded[0].newcomer.platform_id, "60");
        assert_eq!(board_of(&store).await, vec![("Ann".to_owned(), 1)]);
        h.stop().await;
    }
);

steward_storage::both_backends!(
    invite_spam_gets_one_link_and_one_answer_a_minute,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, settings()).await;
        let ann = updates::user(ANN, "Ann", "ann");
        // Actions are due when their cause happened: the burst is dated in
        // the past so the answers are delivered at once. (Four repeats in
        // five minutes would get Ann muted by the repeat rule.)
        let t = now() - 600;
        // Twice at once: one link made, one answer.
        for id in 5100..5102 {
            h.server
                .push_update(TOKEN, updates::message(&group(), &ann, id, t, "/invite"));
        }
        // Half a minute later, still nothing new.
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &ann, 5106, t + 30, "/invite"),
        );
        wait_for_events(&store, 3).await;
        h.server
            .wait_for_call("createChatInviteLink", 1, WAIT)
            .await;
        until(|| !h.server.invite_links(GROUP).is_empty()).await;
        let link = h.server.invite_links(GROUP)[0]["invite_link"]
            .as_str()
            .unwrap()
            .to_owned();
        // What the bot sent (the chat's own record may be cut by a
        // message id the test server reuses).
        let with_link = |server: &TestServer| {
            server
                .calls_to("sendMessage")
                .iter()
                .filter(|c| c.param_str("text").is_some_and(|t| t.contains(&link)))
                .count()
        };
        until(|| with_link(&h.server) == 1).await;
        // Later, the same link again.
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &ann, 5107, t + 400, "/invite"),
        );
        until(|| with_link(&h.server) == 2).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(with_link(&h.server), 2);
        assert_eq!(h.server.calls_to("sendMessage").len(), 2);
        assert_eq!(h.server.calls_to("createChatInviteLink").len(), 1);
        h.stop().await;
    }
);

steward_storage::both_backends!(
    newcomers_reports_alone_never_hide_a_message,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, settings()).await;
        seed_members(&store, &[(81, "B1", 2, 10)]).await;
        let author = updates::user(90, "Pat", "pat");
        let post = updates::message(&group(), &author, 200, now(), "a fair opinion");
        h.server.push_update(TOKEN, post.clone());
        // Six fresh accounts report it: weight 3 of 3, but nobody trusted.
        for (i, id) in (91..97).enumerate() {
            let newcomer = updates::user(id, &format!("N{id}"), "");
            h.server
                .push_update(TOKEN, report(&newcomer, 1000 + 10 * i as i64, &post));
        }
        wait_for_events(&store, 7).await;
        let deadline = tokio::time::Instant::now() + WAIT;
        let case = loop {
            let open = store.list_cases(Some("open"), 10).await.unwrap();
            if let Some(case) = open.first() {
                let mut tx = store.begin().await.unwrap();
                let reports = tx.reports_of_case(case.id).await.unwrap();
                tx.commit().await.unwrap();
                if reports.len() == 6 {
                    break case.id;
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "six reports never gathered"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(h.server.calls_to("deleteMessage").is_empty());
        let mut tx = store.begin().await.unwrap();
        let row = tx.case(case).await.unwrap().unwrap();
        tx.commit().await.unwrap();
        let evidence: Value = serde_json::from_str(row.evidence.as_deref().unwrap()).unwrap();
        assert_eq!(evidence["hidden"], false);
        assert_eq!(evidence["weight"], 3.0);
        assert!(
            row.reason.as_deref().unwrap().contains("only newcomers"),
            "{:?}",
            row.reason
        );
        // One basic member agrees: now it is hidden.
        let basic = updates::user(81, "B1", "");
        h.server.push_update(TOKEN, report(&basic, 2000, &post));
        let deleted = h.server.wait_for_call("deleteMessage", 1, WAIT).await;
        assert_eq!(deleted[0].param_i64("message_id"), Some(200));
        h.stop().await;
    }
);
