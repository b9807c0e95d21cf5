//! The Telegram adapter end to end against the Bot API test server: updates
//! in through polling or the webhook, the pipeline deciding, the outbox
//! worker calling the Bot API, on both storage backends.

mod support;

use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};
use steward_adapter_telegram::SECRET_HEADER;
use steward_core::settings::{ChatSettings, JoinQuestion};
use steward_storage::Store;
use steward_telegram_testserver::{Failure, JoinRequestState, TestServer, updates};
use support::*;

fn settings() -> ChatSettings {
    ChatSettings {
        admin_chat: Some(ADMIN_CHAT.to_string()),
        join_questions: vec![JoinQuestion {
            ask: "What is 2 + 2?".into(),
            answers: vec!["4".into(), "four".into()],
            lang: None,
        }],
        join_minutes: Some(1),
        ..ChatSettings::default()
    }
}

async fn harness(server: TestServer, store: Store, webhook: Option<&str>) -> Harness {
    harness_with(server, store, webhook, settings()).await
}

steward_storage::both_backends!(
    spam_is_deleted_and_a_repeat_offender_muted,
    |store: Store| async move {
        let h = harness(server().await, store, None).await;
        let spammer = updates::user(42, "Spam", "spammer");
        h.server.push_update(
            TOKEN,
            updates::message(
                &group(),
                &spammer,
                10,
                now(),
                "Crypto airdrop! Claim now, free USDT",
            ),
        );
        let deleted = h.server.wait_for_call("deleteMessage", 1, WAIT).await;
        assert_eq!(deleted[0].param_i64("message_id"), Some(10));
        let warned = h.server.wait_for_call("sendMessage", 1, WAIT).await;
        assert!(warned.iter().any(|c| c.param_i64("chat_id") == Some(GROUP)));
        h.server.push_update(
            TOKEN,
            updates::message(
                &group(),
                &spammer,
                11,
                now(),
                "free usdt, dm me for the crypto airdrop",
            ),
        );
        let muted = h.server.wait_for_call("restrictChatMember", 1, WAIT).await;
        assert_eq!(muted[0].param_i64("user_id"), Some(42));
        until(|| h.server.restriction(GROUP, 42).is_some()).await;
        assert!(!h.server.message_exists(GROUP, 11));
        let restriction = h.server.restriction(GROUP, 42).expect("muted");
        assert_eq!(restriction.permissions["can_send_messages"], json!(false));
        assert!(restriction.until_date > now() + 9 * 60);
        // Registered commands in every language, and both update kinds that
        // must be asked for by name.
        let polls = h.server.calls_to("getUpdates");
        let allowed = polls[0].param_json("allowed_updates").unwrap();
        for name in [
            "chat_member",
            "message_reaction",
            "chat_join_request",
            "callback_query",
        ] {
            assert!(allowed.as_array().unwrap().contains(&json!(name)), "{name}");
        }
        let menus = h.server.calls_to("setMyCommands");
        for lang in ["zh", "ru", "en"] {
            assert!(
                menus
                    .iter()
                    .any(|c| c.param_str("language_code").as_deref() == Some(lang)),
                "{lang}"
            );
        }
        h.stop().await;
    }
);

steward_storage::both_backends!(
    too_many_requests_waits_retry_after,
    |store: Store| async move {
        let server = server().await;
        server.fail_next("deleteMessage", Failure::TooManyRequests { retry_after: 1 });
        let h = harness(server, store, None).await;
        let spammer = updates::user(43, "Spam", "spammer2");
        h.server.push_update(
            TOKEN,
            updates::message(
                &group(),
                &spammer,
                20,
                now(),
                "casino bonus, guaranteed profit",
            ),
        );
        let calls = h.server.wait_for_call("deleteMessage", 2, WAIT).await;
        let gap = calls[1].at.duration_since(calls[0].at);
        assert!(gap >= Duration::from_millis(900), "retried after {gap:?}");
        until(|| !h.server.message_exists(GROUP, 20)).await;
        let audit = h.pipeline.store().list_audit(&all_audit()).await.unwrap();
        assert!(!audit.iter().any(|a| a.action == "delivery_failed"));
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_restart_loses_and_doubles_nothing,
    |store: Store| async move {
        let server = server().await;
        let member = updates::user(50, "Bob", "bob");
        for id in 1..=3 {
            server.push_update(
                TOKEN,
                updates::message(&group(), &member, id, now(), &format!("hello {id}")),
            );
        }
        let h = harness(server, store.clone(), None).await;
        wait_for_events(&store, 3).await;
        let (server, _) = h.stop().await;
        for id in 4..=6 {
            server.push_update(
                TOKEN,
                updates::message(&group(), &member, id, now(), &format!("hello {id}")),
            );
        }
        // The spam arrives while Steward is down.
        server.push_update(
            TOKEN,
            updates::message(
                &group(),
                &member,
                7,
                now(),
                "claim now free usdt crypto airdrop",
            ),
        );
        let h = harness(server, store.clone(), None).await;
        wait_for_events(&store, 7).await;
        h.server.wait_for_call("deleteMessage", 1, WAIT).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(message_events(&store).await, 7, "every message once");
        assert_eq!(
            h.server.calls_to("deleteMessage").len(),
            1,
            "the spam deleted once"
        );
        h.stop().await;
    }
);

steward_storage::both_backends!(webhook_refuses_a_wrong_secret, |store: Store| async move {
    let server = server().await;
    let mut h = harness(server, store.clone(), Some("right_secret-1")).await;
    let set = h.server.calls_to("setWebhook");
    assert_eq!(
        set[0].param_str("secret_token").as_deref(),
        Some("right_secret-1")
    );
    let router = h.router.take().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.ok() });
    let url = format!("http://{addr}/telegram/webhook/{BOT_ID}");
    let update = json!({"update_id": 1, "message": {
        "message_id": 30, "date": now(), "chat": group(),
        "from": {"id": 44, "is_bot": false, "first_name": "Eve"}, "text": "claim now free usdt"
    }});
    let http = reqwest::Client::new();
    for secret in [None, Some("wrong"), Some("right_secret-")] {
        let mut request = http.post(&url).json(&update);
        if let Some(secret) = secret {
            request = request.header(SECRET_HEADER, secret);
        }
        assert_eq!(request.send().await.unwrap().status(), 403, "{secret:?}");
    }
    assert_eq!(message_events(&store).await, 0);
    let ok = http
        .post(&url)
        .header(SECRET_HEADER, "right_secret-1")
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(message_events(&store).await, 1);
    h.server.wait_for_call("deleteMessage", 1, WAIT).await;
    h.stop().await;
});

steward_storage::both_backends!(
    a_button_in_the_admins_chat_decides_the_case,
    |store: Store| async move {
        let h = harness(server().await, store.clone(), None).await;
        let scammer = updates::user(60, "Scam", "scammer");
        // A critical rule: banned at once, and the case goes to the admins.
        h.server.push_update(
            TOKEN,
            updates::message(
                &group(),
                &scammer,
                40,
                now(),
                "Double your bitcoin today: send 1 BTC for wallet validation",
            ),
        );
        let banned = h.server.wait_for_call("banChatMember", 1, WAIT).await;
        assert_eq!(banned[0].param_i64("user_id"), Some(60));
        let card = wait_for_card(&h.server).await;
        let dismiss = card_button(&card, "dismiss");
        // A member of the admins' chat who is no admin may not decide.
        let stranger = updates::user(61, "Mallory", "mallory");
        h.server.push_update(
            TOKEN,
            updates::callback_query("q1", &stranger, &card, &dismiss),
        );
        let answered = h.server.wait_for_call("answerCallbackQuery", 1, WAIT).await;
        assert_eq!(
            answered[0].param_str("callback_query_id").as_deref(),
            Some("q1")
        );
        assert!(h.server.calls_to("unbanChatMember").is_empty());
        // The admin may.
        let admin = updates::user(ADMIN, "Alice", "alice");
        h.server.push_update(
            TOKEN,
            updates::callback_query("q2", &admin, &card, &dismiss),
        );
        let unbanned = h.server.wait_for_call("unbanChatMember", 1, WAIT).await;
        assert_eq!(unbanned[0].param_i64("user_id"), Some(60));
        let edited = h.server.wait_for_call("editMessageText", 1, WAIT).await;
        assert!(edited[0].param_str("text").unwrap().contains("Alice"));
        h.server.wait_for_call("answerCallbackQuery", 2, WAIT).await;
        let audit = store.list_audit(&all_audit()).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.action == "case_dismissed" && a.actor == format!("telegram:{ADMIN}"))
        );
        h.stop().await;
    }
);

steward_storage::both_backends!(
    join_requests_are_screened_by_a_question,
    |store: Store| async move {
        let h = harness(server().await, store.clone(), None).await;
        let right = updates::user(70, "Right", "right");
        let wrong = updates::user(71, "Wrong", "wrong");
        let silent = updates::user(72, "Silent", "silent");
        for user in [&right, &wrong, &silent] {
            h.server.push_update(
                TOKEN,
                updates::chat_join_request(&group(), user, now(), None, None),
            );
        }
        let asked = h.server.wait_for_call("sendMessage", 3, WAIT).await;
        for id in [70, 71, 72] {
            let dm = asked
                .iter()
                .find(|c| c.param_i64("chat_id") == Some(id))
                .expect("asked in private");
            assert!(dm.param_str("text").unwrap().contains("2 + 2"));
        }
        let reply = |user: &Value, id: i64, text: &str| {
            updates::message(&updates::private_chat(user), user, id, now(), text)
        };
        h.server.push_update(TOKEN, reply(&right, 1, " Four "));
        h.server.push_update(TOKEN, reply(&wrong, 1, "5"));
        h.server
            .wait_for_call("approveChatJoinRequest", 1, WAIT)
            .await;
        h.server
            .wait_for_call("declineChatJoinRequest", 1, WAIT)
            .await;
        until(|| h.server.join_request_state(GROUP, 71) == Some(JoinRequestState::Declined)).await;
        until(|| h.server.join_request_state(GROUP, 70) == Some(JoinRequestState::Approved)).await;
        assert_eq!(
            h.server.join_request_state(GROUP, 70),
            Some(JoinRequestState::Approved)
        );
        assert_eq!(
            h.server.join_request_state(GROUP, 71),
            Some(JoinRequestState::Declined)
        );
        assert_eq!(
            h.server.join_request_state(GROUP, 72),
            Some(JoinRequestState::Pending)
        );
        // The silent one runs out of time.
        let later = Utc::now() + chrono::Duration::minutes(2);
        assert_eq!(h.pipeline.expire_screenings(later).await.unwrap(), 1);
        h.server
            .wait_for_call("declineChatJoinRequest", 2, WAIT)
            .await;
        until(|| h.server.join_request_state(GROUP, 72) == Some(JoinRequestState::Declined)).await;
        assert_eq!(
            h.server.join_request_state(GROUP, 72),
            Some(JoinRequestState::Declined)
        );
        h.stop().await;
    }
);

steward_storage::both_backends!(
    admins_moderate_by_command_and_members_are_refused,
    |store: Store| async move {
        let h = harness(server().await, store.clone(), None).await;
        let admin = updates::user(ADMIN, "Alice", "alice");
        let member = updates::user(80, "Bob", "bob");
        let rude = updates::message(&group(), &member, 90, now(), "you are all idiots");
        h.server.push_update(TOKEN, rude.clone());
        // A member may not ban.
        h.server.push_update(
            TOKEN,
            updates::with_reply_to(
                updates::message(&group(), &member, 91, now(), "/ban"),
                &rude,
            ),
        );
        let refused = h.server.wait_for_call("sendMessage", 1, WAIT).await;
        assert_eq!(refused[0].param_i64("chat_id"), Some(GROUP));
        assert!(h.server.calls_to("banChatMember").is_empty());
        // The admin mutes by reply for ten minutes.
        h.server.push_update(
            TOKEN,
            updates::with_reply_to(
                updates::message(&group(), &admin, 92, now(), "/mute@steward_bot 10m rude"),
                &rude,
            ),
        );
        let muted = h.server.wait_for_call("restrictChatMember", 1, WAIT).await;
        assert_eq!(muted[0].param_i64("user_id"), Some(80));
        let until = muted[0].param_i64("until_date").unwrap();
        assert!(
            (now() + 9 * 60..=now() + 11 * 60).contains(&until),
            "{until}"
        );
        // Commands for another bot are not ours.
        h.server.push_update(
            TOKEN,
            updates::with_reply_to(
                updates::message(&group(), &admin, 93, now(), "/ban@other_bot"),
                &rude,
            ),
        );
        // /report by reply opens a case and posts a card to the admins.
        h.server.push_update(
            TOKEN,
            updates::with_reply_to(
                updates::message(&group(), &member, 94, now(), "/report spam"),
                &rude,
            ),
        );
        let card = wait_for_card(&h.server).await;
        assert!(card_button(&card, "ban").starts_with("case:"));
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(h.server.calls_to("banChatMember").is_empty());
        let audit = store.list_audit(&all_audit()).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.action == "mute" && a.actor == format!("telegram:{ADMIN}"))
        );
        h.stop().await;
    }
);
