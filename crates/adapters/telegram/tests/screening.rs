//! Join screening and raid mode end to end against the Bot API test server:
//! questions with patterns and CAPTCHAs by private message for join
//! requests, the in-group CAPTCHA for newcomers (muted until solved, removed
//! when time runs out), admins deciding from their chat, and raid mode
//! started by a join wave.

mod support;

use chrono::Utc;
use serde_json::Value;
use steward_core::captcha::CaptchaKind;
use steward_core::settings::{
    CaptchaOn, CaptchaSettings, ChatSettings, JoinQuestion, RaidResponse, RaidSettings,
};
use steward_storage::Store;
use steward_telegram_testserver::{JoinRequestState, TestServer, updates};
use support::*;

fn question() -> JoinQuestion {
    JoinQuestion {
        ask: "What is 2 + 2?".into(),
        answers: vec!["/^(4|four|四|четыре)$/".into(), "*fourth*".into()],
        lang: None,
    }
}

fn captcha(on: CaptchaOn) -> Option<CaptchaSettings> {
    Some(CaptchaSettings {
        kind: CaptchaKind::Emoji,
        minutes: Some(2),
        on,
    })
}

/// The audit entries of `action` about platform member `who`.
async fn audited(store: &Store, action: &str, who: i64) -> Vec<Option<String>> {
    store
        .list_audit(&all_audit())
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.action == action && a.target.as_deref() == Some(&who.to_string()))
        .map(|a| a.reason)
        .collect()
}

/// The latest message with buttons the bot sent to `chat`.
async fn wait_for_buttons(server: &TestServer, chat: i64) -> Value {
    until(|| {
        server
            .sent_messages(chat)
            .iter()
            .any(|m| m.get("reply_markup").is_some())
    })
    .await;
    server
        .sent_messages(chat)
        .into_iter()
        .rev()
        .find(|m| m.get("reply_markup").is_some())
        .unwrap()
}

/// The data of the button labelled `label` (or, with `right` false, of one
/// that is not).
fn button_with(message: &Value, label: &str, right: bool) -> String {
    message["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().into_iter().flatten())
        .find(|b| (b["text"].as_str() == Some(label)) == right)
        .and_then(|b| b["callback_data"].as_str())
        .unwrap_or_else(|| panic!("no button {label} ({right}) on {message}"))
        .to_owned()
}

/// The emoji a challenge asks for: the one of its buttons its text names.
fn asked_emoji(message: &Value) -> String {
    let text = message["text"].as_str().unwrap();
    message["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().into_iter().flatten())
        .filter_map(|b| b["text"].as_str())
        .find(|label| text.contains(label))
        .unwrap_or_else(|| panic!("the challenge names none of its buttons: {message}"))
        .to_owned()
}

steward_storage::both_backends!(
    a_wrong_answer_is_declined_and_patterns_accept_any_form,
    |store: Store| async move {
        let chat = ChatSettings {
            join_questions: vec![question()],
            ..ChatSettings::default()
        };
        let h = harness_with(server().await, store.clone(), None, chat).await;
        let right = updates::user(70, "Right", "right");
        let wrong = updates::user(71, "Wrong", "wrong");
        for user in [&right, &wrong] {
            h.server.push_update(
                TOKEN,
                updates::chat_join_request(&group(), user, now(), None, None),
            );
        }
        let asked = h.server.wait_for_call("sendMessage", 2, WAIT).await;
        assert!(
            asked
                .iter()
                .all(|c| c.param_str("text").unwrap().contains("2 + 2"))
        );
        let reply = |user: &Value, text: &str| {
            updates::message(&updates::private_chat(user), user, 1, now(), text)
        };
        // Full-width letters fold to plain ones.
        h.server.push_update(TOKEN, reply(&right, "ＦＯＵＲ"));
        h.server.push_update(TOKEN, reply(&wrong, "5"));
        until(|| h.server.join_request_state(GROUP, 71) == Some(JoinRequestState::Declined)).await;
        until(|| h.server.join_request_state(GROUP, 70) == Some(JoinRequestState::Approved)).await;
        let declined = h
            .server
            .wait_for_call("declineChatJoinRequest", 1, WAIT)
            .await;
        assert_eq!(declined[0].param_i64("user_id"), Some(71));
        let reasons = audited(&store, "decline_join", 71).await;
        assert_eq!(
            reasons,
            vec![Some("join screening: wrong answer".to_owned())]
        );
        let approved = audited(&store, "approve_join", 70).await;
        assert_eq!(
            approved,
            vec![Some("join screening: passed question".to_owned())]
        );
        // The wrong one was told why.
        until(|| {
            h.server
                .sent_messages(71)
                .iter()
                .any(|m| m["text"].as_str().unwrap_or("").contains("isn't right"))
        })
        .await;
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_command_or_sticker_is_no_answer_and_gets_a_hint,
    |store: Store| async move {
        let chat = ChatSettings {
            join_questions: vec![question()],
            ..ChatSettings::default()
        };
        let h = harness_with(server().await, store.clone(), None, chat).await;
        let applicant = updates::user(76, "Starter", "starter");
        h.server.push_update(
            TOKEN,
            updates::chat_join_request(&group(), &applicant, now(), None, None),
        );
        h.server.wait_for_call("sendMessage", 1, WAIT).await;
        let private = updates::private_chat(&applicant);
        h.server.push_update(
            TOKEN,
            updates::message(&private, &applicant, 1, now(), "/start"),
        );
        let mut sticker = updates::message(&private, &applicant, 2, now(), "");
        let body = sticker["message"].as_object_mut().unwrap();
        body.remove("text");
        body.insert(
            "sticker".into(),
            serde_json::json!({"file_id": "s1", "file_unique_id": "u1", "width": 512,
                               "height": 512, "is_animated": false, "is_video": false,
                               "type": "regular", "emoji": "👍"}),
        );
        h.server.push_update(TOKEN, sticker);
        let hints = |server: &TestServer| {
            server
                .sent_messages(76)
                .iter()
                .filter(|m| {
                    m["text"]
                        .as_str()
                        .unwrap_or("")
                        .contains("answer the question above")
                })
                .count()
        };
        until(|| hints(&h.server) == 2).await;
        assert_eq!(
            h.server.join_request_state(GROUP, 76),
            Some(JoinRequestState::Pending)
        );
        assert!(audited(&store, "decline_join", 76).await.is_empty());
        // The chance is kept: the real answer lets them in.
        h.server.push_update(
            TOKEN,
            updates::message(&private, &applicant, 3, now(), "four"),
        );
        until(|| h.server.join_request_state(GROUP, 76) == Some(JoinRequestState::Approved)).await;
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_private_captcha_then_a_question_then_the_admins_decide,
    |store: Store| async move {
        let chat = ChatSettings {
            admin_chat: Some(ADMIN_CHAT.to_string()),
            join_questions: vec![question()],
            captcha: captcha(CaptchaOn::Requests),
            manual_approval: true,
            ..ChatSettings::default()
        };
        let h = harness_with(server().await, store.clone(), None, chat).await;
        let applicant = updates::user(73, "Careful", "careful");
        let guesser = updates::user(74, "Guesser", "guesser");
        for user in [&applicant, &guesser] {
            h.server.push_update(
                TOKEN,
                updates::chat_join_request(&group(), user, now(), Some("rustacean"), None),
            );
        }
        // The CAPTCHA comes first, with buttons, in private.
        let challenge = wait_for_buttons(&h.server, 73).await;
        let emoji = asked_emoji(&challenge);
        let press = button_with(&challenge, &emoji, true);
        h.server.push_update(
            TOKEN,
            updates::callback_query("c1", &applicant, &challenge, &press),
        );
        let other = wait_for_buttons(&h.server, 74).await;
        let miss = button_with(&other, &asked_emoji(&other), false);
        h.server.push_update(
            TOKEN,
            updates::callback_query("c2", &guesser, &other, &miss),
        );
        until(|| h.server.join_request_state(GROUP, 74) == Some(JoinRequestState::Declined)).await;
        assert_eq!(
            audited(&store, "decline_join", 74).await,
            vec![Some("join screening: wrong CAPTCHA answer".to_owned())]
        );
        // Then the question.
        until(|| {
            h.server
                .sent_messages(73)
                .iter()
                .any(|m| m["text"].as_str().unwrap_or("").contains("2 + 2"))
        })
        .await;
        h.server.push_update(
            TOKEN,
            updates::message(
                &updates::private_chat(&applicant),
                &applicant,
                2,
                now(),
                "four",
            ),
        );
        // Then the admins: a card with what the applicant wrote.
        let card = wait_for_card(&h.server).await;
        let text = card["text"].as_str().unwrap();
        assert!(text.contains("Careful") && text.contains("rustacean") && text.contains("four"));
        assert_eq!(
            h.server.join_request_state(GROUP, 73),
            Some(JoinRequestState::Pending)
        );
        let admin = updates::user(ADMIN, "Alice", "alice");
        h.server.push_update(
            TOKEN,
            updates::callback_query("c3", &admin, &card, &card_button(&card, "approve")),
        );
        until(|| h.server.join_request_state(GROUP, 73) == Some(JoinRequestState::Approved)).await;
        assert_eq!(
            audited(&store, "approve_join", 73).await,
            vec![Some("decided by Alice".to_owned())]
        );
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_captcha_timeout_removes_the_newcomer,
    |store: Store| async move {
        let chat = ChatSettings {
            captcha: captcha(CaptchaOn::Joins),
            ..ChatSettings::default()
        };
        let h = harness_with(server().await, store.clone(), None, chat).await;
        let newcomer = updates::user(80, "Sleepy", "sleepy");
        h.server.push_update(
            TOKEN,
            updates::new_chat_members(
                &group(),
                &newcomer,
                500,
                now(),
                std::slice::from_ref(&newcomer),
            ),
        );
        let muted = h.server.wait_for_call("restrictChatMember", 1, WAIT).await;
        assert_eq!(muted[0].param_i64("user_id"), Some(80));
        until(|| h.server.restriction(GROUP, 80).is_some()).await;
        let challenge = wait_for_buttons(&h.server, GROUP).await;
        assert!(challenge["text"].as_str().unwrap().contains("Sleepy"));
        // Not yet due.
        assert_eq!(h.pipeline.run_timers(Utc::now()).await.unwrap(), 0);
        let later = Utc::now() + chrono::Duration::minutes(3);
        assert_eq!(h.pipeline.run_timers(later).await.unwrap(), 1);
        let banned = h.server.wait_for_call("banChatMember", 1, WAIT).await;
        assert_eq!(banned[0].param_i64("user_id"), Some(80));
        // A kick: removed, free to come back.
        h.server.wait_for_call("unbanChatMember", 1, WAIT).await;
        assert_eq!(
            audited(&store, "kick", 80).await,
            vec![Some(
                "join screening: CAPTCHA not solved in time".to_owned()
            )]
        );
        assert_eq!(h.pipeline.run_timers(later).await.unwrap(), 0);
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_passing_captcha_unmutes_and_only_the_newcomer_may_press,
    |store: Store| async move {
        let chat = ChatSettings {
            captcha: captcha(CaptchaOn::Both),
            ..ChatSettings::default()
        };
        let h = harness_with(server().await, store.clone(), None, chat).await;
        let newcomer = updates::user(81, "Quick", "quick");
        h.server.push_update(
            TOKEN,
            updates::new_chat_members(
                &group(),
                &newcomer,
                501,
                now(),
                std::slice::from_ref(&newcomer),
            ),
        );
        until(|| h.server.restriction(GROUP, 81).is_some()).await;
        let challenge = wait_for_buttons(&h.server, GROUP).await;
        let id = challenge["message_id"].as_i64().unwrap();
        let right = button_with(&challenge, &asked_emoji(&challenge), true);
        // Someone else's press does nothing but get a polite answer.
        let helper = updates::user(82, "Helper", "helper");
        h.server.push_update(
            TOKEN,
            updates::callback_query("n1", &helper, &challenge, &right),
        );
        let answered = h.server.wait_for_call("answerCallbackQuery", 1, WAIT).await;
        assert!(
            answered[0]
                .param_str("text")
                .unwrap()
                .contains("someone else")
        );
        assert!(h.server.restriction(GROUP, 81).is_some());
        h.server.push_update(
            TOKEN,
            updates::callback_query("n2", &newcomer, &challenge, &right),
        );
        until(|| h.server.restriction(GROUP, 81).is_none()).await;
        until(|| !h.server.message_exists(GROUP, id)).await;
        assert_eq!(
            audited(&store, "unmute", 81).await,
            vec![Some("join screening: CAPTCHA solved".to_owned())]
        );
        // Nothing is left to time out.
        let later = Utc::now() + chrono::Duration::minutes(3);
        assert_eq!(h.pipeline.run_timers(later).await.unwrap(), 0);
        assert!(h.server.calls_to("banChatMember").is_empty());
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_join_wave_starts_raid_mode_which_mutes_newcomers,
    |store: Store| async move {
        let chat = ChatSettings {
            admin_chat: Some(ADMIN_CHAT.to_string()),
            raid: Some(RaidSettings {
                response: RaidResponse::MuteNewcomers,
                minutes: Some(10),
            }),
            ..ChatSettings::default()
        };
        let h = harness_with(server().await, store.clone(), None, chat).await;
        // The default raid rule: 15 joins within a minute.
        let wave: Vec<Value> = (0..15)
            .map(|i| updates::user(1000 + i, &format!("Bot{i}"), &format!("bot{i}")))
            .collect();
        h.server.push_update(
            TOKEN,
            updates::new_chat_members(&group(), &wave[0], 600, now(), &wave),
        );
        // The admins are told, with a button to end it.
        let card = wait_for_card(&h.server).await;
        assert!(card["text"].as_str().unwrap().contains("Raid"));
        // The join that crossed the line is held, those before it are not.
        until(|| h.server.restriction(GROUP, 1014).is_some()).await;
        assert!(h.server.restriction(GROUP, 1000).is_none());
        let audit = store.list_audit(&all_audit()).await.unwrap();
        assert!(audit.iter().any(|a| a.action == "raid_mode_started"));
        // Every newcomer while it lasts is muted.
        let late = updates::user(1100, "Late", "late");
        h.server.push_update(
            TOKEN,
            updates::new_chat_members(&group(), &late, 601, now(), std::slice::from_ref(&late)),
        );
        until(|| h.server.restriction(GROUP, 1100).is_some()).await;
        assert_eq!(
            audited(&store, "mute", 1100).await,
            vec![Some(
                "raid mode: muted until an admin lets them in".to_owned()
            )]
        );
        // An admin ends it early from the card.
        let admin = updates::user(ADMIN, "Alice", "alice");
        let end = card_button(&card, ":end");
        h.server
            .push_update(TOKEN, updates::callback_query("r1", &admin, &card, &end));
        until(|| {
            h.server
                .sent_messages(ADMIN_CHAT)
                .iter()
                .any(|m| m["text"].as_str().unwrap_or("").contains("ended by Alice"))
        })
        .await;
        let ended = store.list_audit(&all_audit()).await.unwrap();
        assert!(ended.iter().any(|a| a.action == "raid_mode_ended"));
        // Later newcomers come in freely; the held ones wait for an admin.
        let free = updates::user(1200, "Free", "free");
        h.server.push_update(
            TOKEN,
            updates::new_chat_members(&group(), &free, 602, now(), std::slice::from_ref(&free)),
        );
        wait_for_events(&store, 18).await;
        let queue = store.screening_queue(None, 100).await.unwrap();
        let held: Vec<&str> = queue
            .iter()
            .map(|q| q.member_platform_id.as_str())
            .collect();
        assert_eq!(held, vec!["1100", "1014"]);
        assert!(h.server.restriction(GROUP, 1200).is_none());
        // The admins were told how many still wait, and where to decide.
        let ended_text = h
            .server
            .sent_messages(ADMIN_CHAT)
            .into_iter()
            .filter_map(|m| m["text"].as_str().map(str::to_owned))
            .find(|t| t.contains("ended by Alice"))
            .unwrap();
        assert!(
            ended_text.contains("waiting for an admin: 2") && ended_text.contains("dashboard"),
            "{ended_text}"
        );
        // An admin lets them all in at once, each audited.
        let group_id = store
            .find_group(steward_core::Platform::Telegram, &GROUP.to_string())
            .await
            .unwrap()
            .unwrap()
            .id;
        let decided = h
            .pipeline
            .decide_all_joins(group_id, true, "user:ann", None, Utc::now())
            .await
            .unwrap();
        assert_eq!(decided, 2);
        until(|| {
            h.server.restriction(GROUP, 1014).is_none()
                && h.server.restriction(GROUP, 1100).is_none()
        })
        .await;
        for who in [1014, 1100] {
            assert_eq!(
                audited(&store, "unmute", who).await,
                vec![Some("decided by ann".to_owned())]
            );
        }
        assert!(store.screening_queue(None, 100).await.unwrap().is_empty());
        h.stop().await;
    }
);
