//! Users joining a chat through an invite link the bot created, as Telegram
//! reports it: the `new_chat_members` service message (without the link),
//! then a `chat_member` update carrying the link.

use serde_json::Value;

use crate::server::TestServer;
use crate::updates;
use crate::world::now_unix;

impl TestServer {
    /// `user` joins `chat_id` through `link`, an invite link created there
    /// with `createChatInviteLink`: queues for the bot with `token` the
    /// service message and the `chat_member` update Telegram sends (from
    /// the user, `left` →
    /// `member`, with the `ChatInviteLink` object), dated `date` (now when
    /// `None`). Returns the update id, or `None` when the chat has no such
    /// link, or it is revoked, expired or asks for a join request (then
    /// joining goes through `chat_join_request`).
    pub fn join_by_link(
        &self,
        token: &str,
        chat_id: i64,
        user: &Value,
        link: &str,
        date: Option<i64>,
    ) -> Option<i64> {
        let date = date.unwrap_or_else(now_unix);
        let (chat, found, service_id) = {
            let world = self.shared.world();
            let state = world.chats.get(&chat_id)?;
            let service_id = state.messages.keys().max().copied().unwrap_or(0) + 1;
            let found = state
                .invite_links
                .iter()
                .find(|l| l["invite_link"].as_str() == Some(link))?
                .clone();
            (world.chat_object(chat_id), found, service_id)
        };
        let usable = found["is_revoked"] != Value::Bool(true)
            && found["creates_join_request"] != Value::Bool(true)
            && found["expire_date"].as_i64().is_none_or(|at| at > date);
        if !usable {
            return None;
        }
        // Telegram tells of a join through a link twice: the service
        // message, which does not name the link, then the `chat_member`
        // update, which does.
        self.push_update(
            token,
            updates::new_chat_members(&chat, user, service_id, date, std::slice::from_ref(user)),
        );
        let mut update =
            updates::chat_member_update(&chat, user, user, "left", "member", Some(&found));
        update["chat_member"]["date"] = date.into();
        Some(self.push_update(token, update))
    }
}
