//! Sending, editing, deleting and pinning messages, polls and callback answers.

use serde_json::json;
use steward_telegram_testserver::{BotRights, updates};

use crate::harness::{Api, GROUP, TOKEN};

#[tokio::test]
async fn send_message_returns_a_message_with_fresh_ids() {
    let api = Api::new().await;
    api.push_group_message(7, 41, "received");
    let sent = api
        .ok(
            "sendMessage",
            json!({"chat_id": GROUP, "text": "hello", "parse_mode": "HTML"}),
        )
        .await;
    assert_eq!(sent["message_id"], 42);
    assert_eq!(sent["from"]["id"], 100);
    assert_eq!(sent["from"]["is_bot"], true);
    assert_eq!(sent["chat"]["id"], GROUP);
    assert_eq!(sent["chat"]["type"], "supergroup");
    assert_eq!(sent["text"], "hello");
    assert!(sent["date"].as_i64().unwrap() > 1_700_000_000);
    let second = api
        .ok(
            "sendMessage",
            json!({"chat_id": GROUP.to_string(), "text": "again"}),
        )
        .await;
    assert_eq!(second["message_id"], 43);
    assert!(api.server.message_exists(GROUP, 43));
    assert_eq!(api.server.sent_messages(GROUP).len(), 2);
}

#[tokio::test]
async fn send_message_validates_chat_and_text() {
    let api = Api::new().await;
    for (params, expected) in [
        (json!({"text": "x"}), "Bad Request: chat_id is empty"),
        (
            json!({"chat_id": "", "text": "x"}),
            "Bad Request: chat_id is empty",
        ),
        (
            json!({"chat_id": GROUP}),
            "Bad Request: message text is empty",
        ),
        (
            json!({"chat_id": GROUP, "text": ""}),
            "Bad Request: message text is empty",
        ),
        (
            json!({"chat_id": GROUP, "text": "x".repeat(4097)}),
            "Bad Request: message is too long",
        ),
        (
            json!({"chat_id": -100_999, "text": "x"}),
            "Bad Request: chat not found",
        ),
        (
            json!({"chat_id": "@nobody_here", "text": "x"}),
            "Bad Request: chat not found",
        ),
        (
            json!({"chat_id": {"id": 1}, "text": "x"}),
            "Bad Request: chat not found",
        ),
        (
            json!({"chat_id": GROUP, "text": "x", "parse_mode": "BBCode"}),
            "Bad Request: unsupported parse_mode",
        ),
        (
            json!({"chat_id": GROUP, "text": "x", "reply_markup": "{oops"}),
            "Bad Request: can't parse reply keyboard markup JSON object",
        ),
        (
            json!({"chat_id": GROUP, "text": "x", "reply_parameters": {"message_id": 999}}),
            "Bad Request: message to be replied not found",
        ),
    ] {
        let (code, description) = api.err("sendMessage", params.clone()).await;
        assert_eq!((code, description.as_str()), (400, expected), "{params}");
    }
    api.ok(
        "sendMessage",
        json!({"chat_id": GROUP, "text": "x".repeat(4096)}),
    )
    .await;
}

#[tokio::test]
async fn inline_keyboards_are_validated() {
    let api = Api::new().await;
    let send = |markup: serde_json::Value| json!({"chat_id": GROUP, "text": "pick", "reply_markup": markup});
    let (_, description) = api
        .err(
            "sendMessage",
            send(json!({"inline_keyboard": [[{"text": "x", "callback_data": "d".repeat(65)}]]})),
        )
        .await;
    assert_eq!(
        description,
        "Bad Request: can't parse inline keyboard button: BUTTON_DATA_INVALID"
    );
    let (_, description) = api
        .err(
            "sendMessage",
            send(json!({"inline_keyboard": [[{"text": "x"}]]})),
        )
        .await;
    assert_eq!(
        description,
        "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
    );
    let (_, description) = api
        .err(
            "sendMessage",
            send(json!({"inline_keyboard": [{"text": "x"}]})),
        )
        .await;
    assert_eq!(
        description,
        "Bad Request: field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays"
    );
    let keyboard = json!({"inline_keyboard": [[{"text": "✅", "callback_data": "d".repeat(64)}, {"text": "Rules", "url": "https://t.me/rules"}]]});
    let sent = api.ok("sendMessage", send(keyboard.clone())).await;
    assert_eq!(sent["reply_markup"], keyboard);
}

#[tokio::test]
async fn private_chats_need_the_user_to_start_the_bot() {
    let api = Api::new().await;
    let (code, description) = api
        .err("sendMessage", json!({"chat_id": 42, "text": "hi"}))
        .await;
    assert_eq!(
        (code, description.as_str()),
        (
            403,
            "Forbidden: bot can't initiate conversation with a user"
        )
    );
    api.server.allow_private(42);
    let sent = api
        .ok("sendMessage", json!({"chat_id": 42, "text": "hi"}))
        .await;
    assert_eq!(sent["chat"]["type"], "private");
    assert_eq!(sent["chat"]["id"], 42);

    // A private message from the user opens the chat too, with the user's names.
    let bob = updates::user(43, "Bob", "bob");
    api.server.push_update(
        TOKEN,
        updates::message(&updates::private_chat(&bob), &bob, 1, 0, "/start"),
    );
    let sent = api
        .ok("sendMessage", json!({"chat_id": "@bob", "text": "welcome"}))
        .await;
    assert_eq!(
        sent["chat"],
        json!({"id": 43, "type": "private", "first_name": "Bob", "username": "bob"})
    );
    assert_eq!(sent["message_id"], 2);
}

#[tokio::test]
async fn join_requests_allow_a_private_message() {
    let api = Api::new().await;
    let carl = updates::user(44, "Carl", "");
    api.server.push_update(
        TOKEN,
        updates::chat_join_request(&updates::group(GROUP, "g"), &carl, 0, None, None),
    );
    api.ok(
        "sendMessage",
        json!({"chat_id": 44, "text": "solve the captcha"}),
    )
    .await;
}

#[tokio::test]
async fn replies_carry_the_replied_message() {
    let api = Api::new().await;
    api.push_group_message(7, 10, "question");
    let sent = api
        .ok(
            "sendMessage",
            json!({"chat_id": GROUP, "text": "answer", "reply_parameters": {"message_id": 10}}),
        )
        .await;
    assert_eq!(sent["reply_to_message"]["text"], "question");
    let sent = api
        .ok(
            "sendMessage",
            json!({"chat_id": GROUP, "text": "x", "reply_parameters": {"message_id": 999, "allow_sending_without_reply": true}}),
        )
        .await;
    assert!(sent.get("reply_to_message").is_none());
    let (_, body) = api
        .form(
            "sendMessage",
            &[
                ("chat_id", &GROUP.to_string()),
                ("text", "y"),
                ("reply_parameters", r#"{"message_id":10}"#),
            ],
        )
        .await;
    assert_eq!(body["result"]["reply_to_message"]["message_id"], 10);
}

#[tokio::test]
async fn edit_message_text_applies_to_the_bots_messages() {
    let api = Api::new().await;
    let keyboard = json!({"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]});
    let sent = api
        .ok(
            "sendMessage",
            json!({"chat_id": GROUP, "text": "before", "reply_markup": keyboard}),
        )
        .await;
    let id = sent["message_id"].clone();
    let edited = api
        .ok(
            "editMessageText",
            json!({"chat_id": GROUP, "message_id": id, "text": "after"}),
        )
        .await;
    assert_eq!(edited["text"], "after");
    assert!(
        edited.get("reply_markup").is_none(),
        "the keyboard goes unless sent again"
    );
    assert!(edited["edit_date"].as_i64().is_some());
    assert_eq!(api.server.sent_messages(GROUP)[0]["text"], "after");

    let (_, description) = api
        .err(
            "editMessageText",
            json!({"chat_id": GROUP, "message_id": id, "text": "after"}),
        )
        .await;
    assert!(
        description.starts_with("Bad Request: message is not modified"),
        "{description}"
    );
    let (_, description) = api
        .err(
            "editMessageText",
            json!({"chat_id": GROUP, "message_id": 999, "text": "x"}),
        )
        .await;
    assert_eq!(description, "Bad Request: message to edit not found");
    api.push_group_message(7, 50, "theirs");
    let (_, description) = api
        .err(
            "editMessageText",
            json!({"chat_id": GROUP, "message_id": 50, "text": "x"}),
        )
        .await;
    assert_eq!(description, "Bad Request: message can't be edited");
    let (_, description) = api
        .err("editMessageText", json!({"chat_id": GROUP, "text": "x"}))
        .await;
    assert_eq!(
        description,
        "Bad Request: message identifier is not specified"
    );

    let markup = api
        .ok(
            "editMessageReplyMarkup",
            json!({"chat_id": GROUP, "message_id": id, "reply_markup": keyboard}),
        )
        .await;
    assert_eq!(markup["reply_markup"], keyboard);
}

#[tokio::test]
async fn delete_message_removes_received_messages() {
    let api = Api::new().await;
    api.push_group_message(7, 5, "spam");
    assert!(api.server.message_exists(GROUP, 5));
    assert_eq!(
        api.ok("deleteMessage", json!({"chat_id": GROUP, "message_id": 5}))
            .await,
        json!(true)
    );
    assert!(!api.server.message_exists(GROUP, 5));
    let (code, description) = api
        .err("deleteMessage", json!({"chat_id": GROUP, "message_id": 5}))
        .await;
    assert_eq!(
        (code, description.as_str()),
        (400, "Bad Request: message to delete not found")
    );
    let (_, description) = api
        .err("deleteMessage", json!({"chat_id": GROUP, "message_id": 6}))
        .await;
    assert_eq!(description, "Bad Request: message to delete not found");
}

#[tokio::test]
async fn delete_message_needs_the_right_except_for_own_messages() {
    let api = Api::new().await;
    api.server.set_bot_rights(
        GROUP,
        BotRights {
            can_delete_messages: false,
            ..BotRights::ALL
        },
    );
    api.push_group_message(7, 5, "spam");
    let (_, description) = api
        .err("deleteMessage", json!({"chat_id": GROUP, "message_id": 5}))
        .await;
    assert_eq!(description, "Bad Request: message can't be deleted");
    assert!(api.server.message_exists(GROUP, 5));
    let own = api
        .ok("sendMessage", json!({"chat_id": GROUP, "text": "mine"}))
        .await;
    api.ok(
        "deleteMessage",
        json!({"chat_id": GROUP, "message_id": own["message_id"]}),
    )
    .await;
}

#[tokio::test]
async fn delete_messages_skips_unknown_ids() {
    let api = Api::new().await;
    for id in 1..=3 {
        api.push_group_message(7, id, "spam");
    }
    assert_eq!(
        api.ok(
            "deleteMessages",
            json!({"chat_id": GROUP, "message_ids": [1, 3, 77]})
        )
        .await,
        json!(true)
    );
    assert!(!api.server.message_exists(GROUP, 1));
    assert!(api.server.message_exists(GROUP, 2));
    assert!(!api.server.message_exists(GROUP, 3));
    let (_, body) = api
        .form(
            "deleteMessages",
            &[("chat_id", &GROUP.to_string()), ("message_ids", "[2]")],
        )
        .await;
    assert_eq!(body["result"], true);
    assert!(!api.server.message_exists(GROUP, 2));
    let (_, description) = api
        .err(
            "deleteMessages",
            json!({"chat_id": GROUP, "message_ids": []}),
        )
        .await;
    assert_eq!(
        description,
        "Bad Request: message identifiers are not specified"
    );
    let many: Vec<i64> = (1..=101).collect();
    let (_, description) = api
        .err(
            "deleteMessages",
            json!({"chat_id": GROUP, "message_ids": many}),
        )
        .await;
    assert_eq!(
        description,
        "Bad Request: too many message identifiers specified"
    );
}

#[tokio::test]
async fn pin_chat_message_needs_the_right() {
    let api = Api::new().await;
    let sent = api
        .ok("sendMessage", json!({"chat_id": GROUP, "text": "rules"}))
        .await;
    api.ok(
        "pinChatMessage",
        json!({"chat_id": GROUP, "message_id": sent["message_id"]}),
    )
    .await;
    assert_eq!(api.server.pinned_messages(GROUP), [1]);
    api.server.set_bot_rights(
        GROUP,
        BotRights {
            can_pin_messages: false,
            ..BotRights::ALL
        },
    );
    let (_, description) = api
        .err("pinChatMessage", json!({"chat_id": GROUP, "message_id": 1}))
        .await;
    assert_eq!(
        description,
        "Bad Request: not enough rights to manage pinned messages in the chat"
    );
}

#[tokio::test]
async fn send_poll_returns_a_poll_message() {
    let api = Api::new().await;
    let sent = api
        .ok(
            "sendPoll",
            json!({"chat_id": GROUP, "question": "Human?", "options": [{"text": "Yes"}, "No"], "is_anonymous": false}),
        )
        .await;
    let poll = &sent["poll"];
    assert_eq!(poll["question"], "Human?");
    assert_eq!(
        poll["options"],
        json!([{"text": "Yes", "voter_count": 0}, {"text": "No", "voter_count": 0}])
    );
    assert_eq!(poll["type"], "regular");
    assert_eq!(poll["is_anonymous"], false);
    assert!(poll["id"].as_str().is_some());

    let quiz = api
        .ok(
            "sendPoll",
            json!({"chat_id": GROUP, "question": "2+2?", "options": ["3", "4"], "type": "quiz", "correct_option_id": 1}),
        )
        .await;
    assert_eq!(quiz["poll"]["correct_option_id"], 1);
    assert_eq!(quiz["poll"]["is_anonymous"], true);
    assert_ne!(quiz["poll"]["id"], poll["id"]);

    for (params, expected) in [
        (
            json!({"chat_id": GROUP, "question": "", "options": ["a", "b"]}),
            "Bad Request: poll question must be non-empty",
        ),
        (
            json!({"chat_id": GROUP, "question": "q".repeat(301), "options": ["a", "b"]}),
            "Bad Request: poll question length must not exceed 300",
        ),
        (
            json!({"chat_id": GROUP, "question": "q", "options": ["a"]}),
            "Bad Request: poll must have at least 2 option",
        ),
        (
            json!({"chat_id": GROUP, "question": "q", "options": vec!["a"; 13]}),
            "Bad Request: poll can't have more than 12 options",
        ),
        (
            json!({"chat_id": GROUP, "question": "q", "options": ["a", "b"], "type": "quiz"}),
            "Bad Request: quiz poll must have a correct option",
        ),
        (
            json!({"chat_id": GROUP, "question": "q", "options": ["a", "b"], "type": "survey"}),
            "Bad Request: unsupported poll type specified",
        ),
    ] {
        let (_, description) = api.err("sendPoll", params.clone()).await;
        assert_eq!(description, expected, "{params}");
    }
}

#[tokio::test]
async fn callback_queries_are_answered_once() {
    let api = Api::new().await;
    let sent = api
        .ok("sendMessage", json!({"chat_id": GROUP, "text": "press"}))
        .await;
    let ann = updates::user(7, "Ann", "ann");
    api.server
        .push_update(TOKEN, updates::callback_query("cb-1", &ann, &sent, "ok"));
    assert_eq!(
        api.ok(
            "answerCallbackQuery",
            json!({"callback_query_id": "cb-1", "text": "Thanks", "show_alert": true})
        )
        .await,
        json!(true)
    );
    let (_, description) = api
        .err("answerCallbackQuery", json!({"callback_query_id": "cb-1"}))
        .await;
    assert_eq!(
        description,
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    );
    let (_, description) = api.err("answerCallbackQuery", json!({})).await;
    assert_eq!(
        description,
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    );
}

#[tokio::test]
async fn service_messages_and_edits_are_registered() {
    let api = Api::new().await;
    let group = updates::group(GROUP, "Test group");
    let newcomer = updates::user(30, "FREE CRYPTO t.me/scam", "");
    api.server.push_update(
        TOKEN,
        updates::new_chat_members(&group, &newcomer, 70, 0, std::slice::from_ref(&newcomer)),
    );
    api.server.push_update(
        TOKEN,
        updates::left_chat_member(&group, &newcomer, 71, 0, &newcomer),
    );
    assert!(api.server.message_exists(GROUP, 70));
    api.ok(
        "deleteMessages",
        json!({"chat_id": GROUP, "message_ids": [70, 71]}),
    )
    .await;
    assert!(!api.server.message_exists(GROUP, 70) && !api.server.message_exists(GROUP, 71));
    assert_eq!(
        api.ok("getChatMember", json!({"chat_id": GROUP, "user_id": 30}))
            .await["status"],
        "left"
    );

    let ann = updates::user(7, "Ann", "ann");
    api.push_group_message(7, 80, "first version");
    api.server.push_update(
        TOKEN,
        updates::edited_message(&group, &ann, 80, 0, 5, "second version"),
    );
    assert_eq!(
        api.server.message(GROUP, 80).unwrap()["text"],
        "second version"
    );
    let replied = updates::with_reply_to(
        updates::message(&group, &ann, 81, 0, "see above"),
        &json!({"message_id": 79, "date": 0, "chat": group}),
    );
    api.server.push_update(TOKEN, replied);
    assert!(
        api.server.message_exists(GROUP, 79),
        "a replied-to message exists too"
    );
}
