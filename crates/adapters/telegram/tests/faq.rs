//! FAQ auto-replies end to end against the Bot API test server: questions
//! in Chinese, Russian and English answered from one entry phrased
//! differently, in reply to the question; the same question again within
//! the cooldown left alone; a question nothing answers collected for the
//! team; `/faq` and `/help` listing the entries and the command. On both
//! backends.

mod support;

use serde_json::Value;
use steward_core::settings::ChatSettings;
use steward_core::{GroupId, Platform};
use steward_storage::Store;
use steward_storage::faq::FaqContent;
use steward_telegram_testserver::{TestServer, updates};
use support::*;

const ANSWER: &str = "Refunds: open a ticket with /feedback and your order number.";

async fn group_id(store: &Store) -> GroupId {
    store
        .find_group(Platform::Telegram, &GROUP.to_string())
        .await
        .unwrap()
        .expect("the group is configured")
        .id
}

fn refund_entry() -> FaqContent {
    let mut content = FaqContent::default();
    content.zh.title = "如何申请退款".into();
    content.zh.answer = "退款请用 /feedback 提交订单号。".into();
    content.ru.title = "Возврат денег".into();
    content.ru.answer = "Для возврата напишите /feedback с номером заказа.".into();
    content.en.title = "Refund request".into();
    content.en.answer = ANSWER.into();
    content
}

fn shipping_entry() -> FaqContent {
    let mut content = FaqContent {
        keywords: vec!["tracking number".into()],
        ..FaqContent::default()
    };
    content.en.title = "When will my order ship?".into();
    content.en.answer = "Orders ship within two days.".into();
    content
}

/// The bot's messages to the group, as (text, message it replies to).
fn sent(server: &TestServer) -> Vec<(String, Option<i64>)> {
    server
        .calls_to("sendMessage")
        .iter()
        .filter(|c| c.param_i64("chat_id") == Some(GROUP))
        .map(|c| {
            let reply = c
                .param_json("reply_parameters")
                .and_then(|r| r["message_id"].as_i64());
            (c.param_str("text").unwrap_or_default(), reply)
        })
        .collect()
}

/// Waits until the bot sent `n` messages to the group.
async fn wait_sent(server: &TestServer, n: usize) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while sent(server).len() < n {
        assert!(
            tokio::time::Instant::now() < deadline,
            "fewer than {n} messages sent: {:#?}",
            sent(server)
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn ask(server: &TestServer, user: i64, message_id: i64, date: i64, text: &str) {
    let from: Value = updates::user(user, &format!("User{user}"), &format!("user{user}"));
    server.push_update(
        TOKEN,
        updates::message(&group(), &from, message_id, date, text),
    );
}

steward_storage::both_backends!(
    questions_in_each_language_are_answered_once_per_cooldown,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, ChatSettings::default()).await;
        let gid = group_id(&store).await;
        let t = chrono::Utc::now();
        let refund = store
            .create_faq_entry(Some(gid), None, &refund_entry(), "user:owner", t)
            .await
            .unwrap();
        store
            .create_faq_entry(Some(gid), None, &shipping_entry(), "user:owner", t)
            .await
            .unwrap();
        h.pipeline.faq_changed();
        let now = now();
        // Minutes apart, so the entry's cooldown lets each language through.
        ask(&h.server, 50, 1, now - 600, "怎么退款？");
        ask(&h.server, 51, 2, now - 400, "Как вернуть деньги?");
        ask(&h.server, 52, 3, now - 200, "How do I get a refund?");
        // The same question 5 seconds later: cooling down.
        ask(&h.server, 53, 4, now - 195, "How do I get a refund?");
        // Chatter that is no question, and a question nothing answers.
        ask(&h.server, 54, 5, now - 150, "thanks everyone, great group");
        ask(&h.server, 55, 6, now - 140, "Where can I park my car?");
        // A keyword without a question mark.
        ask(
            &h.server,
            56,
            7,
            now - 100,
            "my tracking number does not work",
        );
        ask(&h.server, 57, 8, now - 50, "/faq");
        ask(&h.server, 57, 9, now - 40, "/help");
        wait_for_events(&store, 9).await;
        wait_sent(&h.server, 6).await;
        // Anything more would have been sent by now.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let sent = sent(&h.server);
        assert_eq!(sent.len(), 6, "{sent:#?}");
        // The group speaks English: every answer is the English one.
        for (i, asked) in [1, 2, 3].into_iter().enumerate() {
            assert_eq!(sent[i], (ANSWER.to_owned(), Some(asked)), "{sent:#?}");
        }
        assert_eq!(
            sent[3],
            ("Orders ship within two days.".to_owned(), Some(7)),
            "{sent:#?}"
        );
        assert!(sent[4].0.contains("1. Refund request"), "{}", sent[4].0);
        assert!(
            sent[4].0.contains("2. When will my order ship?"),
            "{}",
            sent[4].0
        );
        assert!(sent[5].0.contains("/faq"), "{}", sent[5].0);

        let entry = store.faq_entry(refund).await.unwrap().unwrap();
        assert_eq!(entry.answers, 3);
        let collected = store.unanswered_questions(10).await.unwrap();
        let texts: Vec<&str> = collected.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(texts, vec!["Where can I park my car?"]);
        assert_eq!(collected[0].group, gid);
        assert_eq!(collected[0].member_name.as_deref(), Some("User55"));
        h.stop().await;
    }
);

steward_storage::both_backends!(
    a_changed_entry_is_used_at_once_and_a_group_can_turn_answers_off,
    |store: Store| async move {
        let h = harness_with(server().await, store.clone(), None, ChatSettings::default()).await;
        let gid = group_id(&store).await;
        let t = chrono::Utc::now();
        let now = now();
        // The index is built (empty) by the first message.
        ask(&h.server, 50, 1, now - 300, "How do I get a refund?");
        wait_for_events(&store, 1).await;
        let id = store
            .create_faq_entry(Some(gid), None, &refund_entry(), "user:owner", t)
            .await
            .unwrap();
        h.pipeline.faq_changed();
        ask(&h.server, 50, 2, now - 200, "How do I get a refund?");
        wait_sent(&h.server, 1).await;
        let mut changed = refund_entry();
        changed.en.answer = "Changed answer.".into();
        store
            .update_faq_entry(id, Some(gid), None, &changed, t)
            .await
            .unwrap();
        h.pipeline.faq_changed();
        ask(&h.server, 51, 3, now - 100, "How do I get a refund?");
        wait_sent(&h.server, 2).await;
        assert_eq!(sent(&h.server)[1].0, "Changed answer.");
        // No question was collected: the group had no entries at first.
        assert!(store.unanswered_questions(10).await.unwrap().is_empty());
        h.stop().await;
    }
);
