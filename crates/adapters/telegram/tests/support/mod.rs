//! What the Telegram end-to-end tests share: the Bot API test server with a
//! group, its admins' chat and an admin; Steward wired to it (pipeline, bot
//! polling, delivery worker); and waits for what the server records.
#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::Value;
use steward_adapter_telegram::{BotSettings, start};
use steward_core::i18n::Lang;
use steward_core::settings::ChatSettings;
use steward_core::{EventKind, Platform};
use steward_moderation::{Ladder, RuleSet};
use steward_runtime::{DeliveryConfig, GroupSettings, Pipeline, delivery};
use steward_storage::Store;
use steward_storage::audit::AuditFilter;
use steward_telegram_testserver::{TestServer, updates};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub const TOKEN: &str = "123456:TEST-token";
pub const BOT_ID: i64 = 123_456;
pub const GROUP: i64 = -100_100;
pub const ADMIN_CHAT: i64 = -100_200;
pub const ADMIN: i64 = 7;
pub const WAIT: Duration = Duration::from_secs(15);

pub fn now() -> i64 {
    Utc::now().timestamp()
}

pub struct Harness {
    pub server: TestServer,
    pub pipeline: Pipeline,
    pub cancel: CancellationToken,
    pub tasks: Vec<JoinHandle<()>>,
    pub router: Option<axum::Router>,
}

impl Harness {
    pub async fn stop(self) -> (TestServer, Pipeline) {
        self.cancel.cancel();
        for task in self.tasks {
            task.await.ok();
        }
        (self.server, self.pipeline)
    }
}

pub async fn server() -> TestServer {
    let server = TestServer::start().await;
    server.add_bot(TOKEN, BOT_ID, "steward_bot");
    let bot = updates::bot_user(BOT_ID, "Steward", "steward_bot");
    let admin = updates::user(ADMIN, "Alice", "alice");
    for chat in [GROUP, ADMIN_CHAT] {
        server.set_admins(
            chat,
            vec![updates::owner(&admin), updates::administrator(&bot)],
        );
    }
    server
}

/// Steward with one Telegram bot against `server`: the group `GROUP`
/// ("Rust Chat", English) configured with `chat`, the bot polling, and a
/// delivery worker.
pub async fn harness_with(
    server: TestServer,
    store: Store,
    webhook: Option<&str>,
    chat: ChatSettings,
) -> Harness {
    let pipeline = Pipeline::new(
        store.clone(),
        RuleSet::default_rules(),
        Ladder::default(),
        Lang::En,
    )
    .unwrap();
    pipeline
        .configure_group(
            Platform::Telegram,
            &GROUP.to_string(),
            Some("Rust Chat"),
            &GroupSettings {
                community: None,
                language: Lang::En,
                chat,
            },
        )
        .await
        .unwrap();
    let cancel = CancellationToken::new();
    let bot = BotSettings {
        token: TOKEN.into(),
        api_url: server.api_url(),
        webhook_secret: webhook.map(str::to_owned),
        poll_timeout_seconds: 1,
        set_commands: true,
    };
    let public = "http://127.0.0.1:9"; // replaced by the webhook test's listener
    let started = start(&pipeline, &[bot], public, &cancel).await.unwrap();
    let mut tasks = started.workers;
    tasks.push(tokio::spawn(delivery::run(
        store,
        Arc::new(started.deliverer),
        DeliveryConfig {
            idle_poll: Duration::from_millis(50),
            ..DeliveryConfig::default()
        },
        pipeline.queued_signal(),
        cancel.clone(),
    )));
    Harness {
        server,
        pipeline,
        cancel,
        tasks,
        router: Some(started.router),
    }
}

pub fn group() -> Value {
    updates::group(GROUP, "Rust Chat")
}

pub fn all_audit() -> AuditFilter {
    AuditFilter {
        limit: 10_000,
        ..AuditFilter::default()
    }
}

/// Waits until `cond` holds: the test server records a call before it
/// has applied it.
pub async fn until(cond: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !cond() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition never held"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn wait_for_events(store: &Store, n: i64) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while store.count_events().await.unwrap() < n {
        assert!(
            tokio::time::Instant::now() < deadline,
            "fewer than {n} events arrived"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn message_events(store: &Store) -> usize {
    let Some(group) = store
        .find_group(Platform::Telegram, &GROUP.to_string())
        .await
        .unwrap()
    else {
        return 0;
    };
    store
        .group_events(
            group.id,
            chrono::DateTime::UNIX_EPOCH,
            steward_core::EventId(0),
            1000,
        )
        .await
        .unwrap()
        .iter()
        .filter(|e| e.kind == EventKind::Message.as_str())
        .count()
}

/// The latest card with buttons posted to the admins' chat.
pub async fn wait_for_card(server: &TestServer) -> Value {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(card) = server
            .sent_messages(ADMIN_CHAT)
            .into_iter()
            .rev()
            .find(|m| m.get("reply_markup").is_some())
        {
            return card;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no card in the admins' chat"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub fn card_button(card: &Value, ending: &str) -> String {
    card["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().into_iter().flatten())
        .filter_map(|b| b["callback_data"].as_str())
        .find(|d| d.ends_with(ending))
        .unwrap_or_else(|| panic!("no `{ending}` button on {card}"))
        .to_owned()
}
