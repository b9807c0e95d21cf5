//! The Bot API methods the server implements, and the dispatch from a method name to its handler.
//! Each submodule holds one family; handlers validate parameters the way the docs describe and
//! return the documented result or an `ApiError`.

mod chats;
mod commands;
mod markup;
mod members;
mod messages;
mod polling;
mod webhook;

use std::sync::Arc;

use serde_json::{Value, json};

use crate::model::BotRights;
use crate::params::Params;
use crate::reply::ApiError;
use crate::server::Shared;
use crate::world::World;

/// Every implemented method, spelled as in the docs.
const METHODS: &[&str] = &[
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
    "deleteMessages",
    "pinChatMessage",
    "unpinChatMessage",
    "sendPoll",
    "sendPhoto",
    "sendChatAction",
    "answerCallbackQuery",
    "restrictChatMember",
    "banChatMember",
    "unbanChatMember",
    "setChatPermissions",
    "approveChatJoinRequest",
    "declineChatJoinRequest",
    "getChatAdministrators",
    "getChatMember",
    "getChat",
    "createChatInviteLink",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
];

/// The docs' spelling of a method name given in any case; `None` for methods not implemented.
pub(crate) fn canonical_name(name: &str) -> Option<&'static str> {
    METHODS
        .iter()
        .copied()
        .find(|m| m.eq_ignore_ascii_case(name))
}

/// A method's result and the optional `description` of the success envelope.
pub(crate) type Answer = (Value, Option<&'static str>);

/// Runs one method for the bot with `token` (already checked to exist).
pub(crate) async fn call(
    shared: &Arc<Shared>,
    token: &str,
    method: &str,
    params: &Params,
) -> Result<Answer, ApiError> {
    match method {
        "getUpdates" => {
            return polling::get_updates(shared, token, params)
                .await
                .map(|r| (r, None));
        }
        "setWebhook" => return webhook::set_webhook(shared, token, params),
        "deleteWebhook" => return webhook::delete_webhook(shared, token, params),
        "getWebhookInfo" => return webhook::get_webhook_info(shared, token).map(|r| (r, None)),
        _ => {}
    }
    let mut world = shared.world();
    let mut ctx = Ctx {
        world: &mut world,
        token,
        params,
    };
    let result = match method {
        "getMe" => Ok(ctx.world.bot_mut(token)?.user.clone()),
        "sendMessage" => messages::send_message(&mut ctx),
        "editMessageText" => messages::edit_message_text(&mut ctx),
        "editMessageReplyMarkup" => messages::edit_message_reply_markup(&mut ctx),
        "deleteMessage" => messages::delete_message(&mut ctx),
        "deleteMessages" => messages::delete_messages(&mut ctx),
        "pinChatMessage" => messages::pin_chat_message(&mut ctx),
        "unpinChatMessage" => messages::unpin_chat_message(&mut ctx),
        "sendPoll" => messages::send_poll(&mut ctx),
        "sendPhoto" => messages::send_photo(&mut ctx),
        "sendChatAction" => messages::send_chat_action(&mut ctx),
        "answerCallbackQuery" => messages::answer_callback_query(&mut ctx),
        "restrictChatMember" => members::restrict_chat_member(&mut ctx),
        "banChatMember" => members::ban_chat_member(&mut ctx),
        "unbanChatMember" => members::unban_chat_member(&mut ctx),
        "setChatPermissions" => members::set_chat_permissions(&mut ctx),
        "approveChatJoinRequest" => members::answer_join_request(&mut ctx, true),
        "declineChatJoinRequest" => members::answer_join_request(&mut ctx, false),
        "getChatAdministrators" => members::get_chat_administrators(&mut ctx),
        "getChatMember" => members::get_chat_member(&mut ctx),
        "getChat" => chats::get_chat(&mut ctx),
        "createChatInviteLink" => chats::create_chat_invite_link(&mut ctx),
        "setMyCommands" => commands::set_my_commands(&mut ctx),
        "getMyCommands" => commands::get_my_commands(&mut ctx),
        "deleteMyCommands" => commands::delete_my_commands(&mut ctx),
        _ => Err(ApiError::not_found()),
    };
    result.map(|r| (r, None))
}

/// What a synchronous handler works with: the locked world, the calling bot and its parameters.
pub(crate) struct Ctx<'a> {
    pub(crate) world: &'a mut World,
    pub(crate) token: &'a str,
    pub(crate) params: &'a Params,
}

impl Ctx<'_> {
    /// The chat `chat_id` names, refusing unknown chats and private chats not opened by the user.
    pub(crate) fn chat_id(&self) -> Result<i64, ApiError> {
        self.world.resolve_chat(&self.params.chat()?)
    }

    /// Like [`chat_id`](Self::chat_id) for methods that only work in groups.
    pub(crate) fn group_id(&self) -> Result<i64, ApiError> {
        let chat_id = self.chat_id()?;
        if chat_id > 0 {
            return Err(ApiError::bad_request(
                "method is available only for supergroups",
            ));
        }
        Ok(chat_id)
    }

    /// The bot's rights in a chat (all granted unless set otherwise).
    pub(crate) fn rights(&self, chat_id: i64) -> BotRights {
        self.world
            .chats
            .get(&chat_id)
            .map(|c| c.bot_rights)
            .unwrap_or_default()
    }

    /// The calling bot's `User` object as shown in messages.
    pub(crate) fn bot_sender(&self) -> Value {
        self.world
            .bot(self.token)
            .map(|b| b.sender())
            .unwrap_or_else(|| json!({}))
    }

    pub(crate) fn bot_id(&self) -> i64 {
        self.world
            .bot(self.token)
            .map(|b| b.id())
            .unwrap_or_default()
    }
}
