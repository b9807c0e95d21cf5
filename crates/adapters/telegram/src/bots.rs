//! The bots Steward runs and what it remembers about their chats: which bot
//! serves which chat, each chat's admin list (cached, so Telegram admins are
//! recognised without a call per message), the chats polls were sent to,
//! and notices already sent about rights a bot lacks.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use steward_core::Platform;
use steward_core::i18n::Lang;
use steward_core::model::GroupRole;
use steward_core::settings::ChatSettings;
use steward_core::texts::{BotRight, BotText};
use steward_storage::Store;

use crate::client::BotClient;
use crate::types::{ChatMember, User};

/// How long an admin list is trusted before it is fetched again.
const ADMINS_TTL: Duration = Duration::from_secs(10 * 60);
/// How often admins are told about the same missing right.
const NOTICE_EVERY: Duration = Duration::from_secs(6 * 60 * 60);

/// One bot: its client and who it is.
#[derive(Debug, Clone)]
pub struct Bot {
    /// The client.
    pub client: BotClient,
    /// The bot's own account, from `getMe`.
    pub me: User,
}

#[derive(Default)]
struct State {
    /// Chat id to the index of the bot that serves it.
    routes: HashMap<i64, usize>,
    /// Chat id to its admins and when they were fetched.
    admins: HashMap<i64, (Instant, Vec<ChatMember>)>,
    /// Poll id to the chat it was sent to.
    polls: HashMap<String, i64>,
    /// (chat, right) to when admins were last told.
    notices: HashMap<(i64, BotRight), Instant>,
}

/// Every bot, and the shared memory of their chats. Cheap to clone.
#[derive(Clone)]
pub struct Bots {
    bots: Arc<Vec<Bot>>,
    state: Arc<Mutex<State>>,
    store: Store,
}

impl Bots {
    /// The registry over `bots` (at least one).
    pub fn new(bots: Vec<Bot>, store: Store) -> Bots {
        Bots {
            bots: Arc::new(bots),
            state: Arc::default(),
            store,
        }
    }

    /// Every bot.
    pub fn all(&self) -> &[Bot] {
        &self.bots
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Remembers that bot `index` serves `chat` (it received an update there).
    pub async fn route(&self, chat: i64, index: usize) {
        let known = self.state().routes.insert(chat, index);
        if known != Some(index) {
            let key = format!("telegram:chat:{chat}:bot");
            let bot_id = self.bots[index].me.id.to_string();
            if let Err(err) = self.store.kv_set(&key, &bot_id).await {
                tracing::warn!(chat, error = %err, "cannot remember which bot serves a chat");
            }
        }
    }

    /// The bot that serves `chat`: the one that last received an update
    /// there (remembered across restarts), else the first.
    pub async fn for_chat(&self, chat: i64) -> &Bot {
        if let Some(&index) = self.state().routes.get(&chat) {
            return &self.bots[index];
        }
        let key = format!("telegram:chat:{chat}:bot");
        if let Ok(Some(bot_id)) = self.store.kv_get(&key).await
            && let Some(index) = self.bots.iter().position(|b| b.me.id.to_string() == bot_id)
        {
            self.state().routes.insert(chat, index);
            return &self.bots[index];
        }
        &self.bots[0]
    }

    /// A member's role in a chat, when the admin list of the chat is known.
    pub fn role_of(&self, chat: i64, user: i64) -> Option<GroupRole> {
        let state = self.state();
        let (_, admins) = state.admins.get(&chat)?;
        Some(
            match admins
                .iter()
                .find(|a| a.user.id == user)
                .map(|a| a.status.as_str())
            {
                Some("creator") => GroupRole::Owner,
                Some(_) => GroupRole::Admin,
                None => GroupRole::Member,
            },
        )
    }

    /// Whether the chat's admin list is missing or stale.
    pub fn admins_stale(&self, chat: i64) -> bool {
        self.state()
            .admins
            .get(&chat)
            .is_none_or(|(at, _)| at.elapsed() > ADMINS_TTL)
    }

    /// Fetches a chat's admin list with `bot`, caches it, and tells the
    /// admins if the bot lacks a right it needs.
    pub async fn refresh_admins(&self, bot: &Bot, chat: i64) {
        match bot.client.get_chat_administrators(chat).await {
            Ok(admins) => {
                let mine = admins.iter().find(|a| a.user.id == bot.me.id).cloned();
                self.state().admins.insert(chat, (Instant::now(), admins));
                let missing = missing_rights(mine.as_ref());
                for right in missing {
                    self.tell_admins(bot, chat, right).await;
                }
            }
            Err(err) => {
                // Not an admin, or not in the chat: remember an empty list
                // for a while rather than asking on every message.
                tracing::debug!(chat, error = %err, "cannot fetch the admin list");
                self.state()
                    .admins
                    .insert(chat, (Instant::now(), Vec::new()));
                if err.description().contains("not enough rights")
                    || err.description().contains("CHAT_ADMIN_REQUIRED")
                {
                    self.tell_admins(bot, chat, BotRight::Admin).await;
                }
            }
        }
    }

    /// Records the chat a poll was sent to, for its answers.
    pub async fn remember_poll(&self, poll_id: &str, chat: i64) {
        self.state().polls.insert(poll_id.to_owned(), chat);
        let key = format!("telegram:poll:{poll_id}");
        if let Err(err) = self.store.kv_set(&key, &chat.to_string()).await {
            tracing::warn!(poll_id, error = %err, "cannot remember a poll's chat");
        }
    }

    /// The chat a poll was sent to, from memory.
    pub fn poll_chat(&self, poll_id: &str) -> Option<i64> {
        self.state().polls.get(poll_id).copied()
    }

    /// Loads a poll's chat from the store into memory, after a restart.
    pub async fn load_poll(&self, poll_id: &str) {
        if self.poll_chat(poll_id).is_some() {
            return;
        }
        let key = format!("telegram:poll:{poll_id}");
        if let Ok(Some(chat)) = self.store.kv_get(&key).await
            && let Ok(chat) = chat.parse()
        {
            self.state().polls.insert(poll_id.to_owned(), chat);
        }
    }

    /// Tells a group's admins (in their chat if the group names one, else
    /// in the group) that the bot lacks `right` there, at most every six
    /// hours.
    pub async fn tell_admins(&self, bot: &Bot, chat: i64, right: BotRight) {
        {
            let mut state = self.state();
            let last = state.notices.get(&(chat, right));
            if last.is_some_and(|at| at.elapsed() < NOTICE_EVERY) {
                return;
            }
            state.notices.insert((chat, right), Instant::now());
        }
        let (lang, settings) = match self
            .store
            .group_language_and_settings(Platform::Telegram, &chat.to_string())
            .await
        {
            Ok(Some((lang, settings))) => (
                lang.parse().unwrap_or(Lang::En),
                serde_json::from_str::<ChatSettings>(&settings).unwrap_or_default(),
            ),
            _ => (Lang::En, ChatSettings::default()),
        };
        let title = self
            .store
            .find_group(Platform::Telegram, &chat.to_string())
            .await
            .ok()
            .flatten()
            .and_then(|g| g.title)
            .unwrap_or_else(|| chat.to_string());
        let text = BotText::MissingRight {
            group: &title,
            right,
        }
        .render(lang);
        let to = settings
            .admin_chat
            .and_then(|c| c.parse::<i64>().ok())
            .unwrap_or(chat);
        tracing::warn!(
            chat,
            ?right,
            "the bot lacks a right it needs; telling the admins"
        );
        let params = serde_json::json!({"chat_id": to, "text": text});
        if let Err(err) = bot.client.send_message(&params).await {
            tracing::warn!(chat, error = %err, "cannot tell the admins about a missing right");
        }
    }
}

/// The rights Steward needs that `mine` (the bot's admin entry) lacks.
fn missing_rights(mine: Option<&ChatMember>) -> Vec<BotRight> {
    let Some(mine) = mine.filter(|m| m.is_admin()) else {
        return vec![BotRight::Admin];
    };
    let mut missing = Vec::new();
    if !mine.can_delete_messages {
        missing.push(BotRight::DeleteMessages);
    }
    if !mine.can_restrict_members {
        missing.push(BotRight::RestrictMembers);
    }
    if !mine.can_invite_users {
        missing.push(BotRight::InviteUsers);
    }
    missing
}

/// The right a Telegram error says the bot lacks, if it says so.
pub fn right_from_error(description: &str) -> Option<BotRight> {
    let d = description.to_ascii_lowercase();
    if d.contains("message can't be deleted") || d.contains("delete messages") {
        Some(BotRight::DeleteMessages)
    } else if d.contains("restrict") || d.contains("ban") && d.contains("rights") {
        Some(BotRight::RestrictMembers)
    } else if d.contains("pinned") || d.contains("pin ") {
        Some(BotRight::PinMessages)
    } else if d.contains("invite") || d.contains("hide_requester") && d.contains("rights") {
        Some(BotRight::InviteUsers)
    } else if d.contains("not enough rights")
        || d.contains("chat_admin_required")
        || d.contains("bot is not a member")
        || d.contains("have no rights")
    {
        Some(BotRight::Admin)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_are_read_from_telegram_errors() {
        assert_eq!(
            right_from_error("Bad Request: not enough rights to restrict/unrestrict chat member"),
            Some(BotRight::RestrictMembers)
        );
        assert_eq!(
            right_from_error("Bad Request: message can't be deleted"),
            Some(BotRight::DeleteMessages)
        );
        assert_eq!(
            right_from_error(
                "Bad Request: not enough rights to manage pinned messages in the chat"
            ),
            Some(BotRight::PinMessages)
        );
        assert_eq!(
            right_from_error("Forbidden: bot is not a member of the supergroup chat"),
            Some(BotRight::Admin)
        );
        assert_eq!(
            right_from_error("Bad Request: message to delete not found"),
            None
        );
        assert_eq!(
            right_from_error("Bad Request: user is an administrator of the chat"),
            None
        );
    }
}
