//! Carrying actions out on Telegram: each [`Action`] becomes the Bot API
//! call the documentation prescribes, and each error is classed: 429 waits
//! `retry_after`, 5xx and network errors are retried with backoff, 400 and
//! 403 are given up with Telegram's description (and the admins are told
//! when the bot lacks a right).

use std::future::Future;
use std::pin::Pin;

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use steward_core::{Action, Button, Platform, Timestamp};
use steward_runtime::{Delivered, Deliverer, DeliveryError, DeliveryOutcome};
use steward_storage::outbox::OutboxRow;

use crate::bots::{Bot, Bots, right_from_error};
use crate::client::{ApiError, REQUEST_TIMEOUT};

/// Telegram reads a restriction shorter than 30 seconds, or longer than 366
/// days, as permanent.
const MIN_RESTRICTION_SECONDS: i64 = 31;
/// A kick is a ban this long: the member can come back after it.
const KICK_SECONDS: i64 = 45;
/// `deleteMessages` takes at most this many ids.
const DELETE_BATCH: usize = 100;
/// Telegram keeps at most this many characters of an invite link's name.
const INVITE_NAME_CHARS: usize = 32;

/// The Telegram [`Deliverer`].
#[derive(Clone)]
pub struct TelegramDeliverer {
    bots: Bots,
}

impl TelegramDeliverer {
    /// A deliverer sending through `bots`.
    pub fn new(bots: Bots) -> TelegramDeliverer {
        TelegramDeliverer { bots }
    }

    async fn carry_out(&self, row: &OutboxRow) -> DeliveryOutcome {
        let group = &row.action.group;
        let chat: i64 = group.parse().map_err(|_| {
            DeliveryError::Permanent(format!("`{group}` is not a Telegram chat id"))
        })?;
        let bot = self.bots.for_chat(chat).await;
        let now = Utc::now();
        let result = self.call(bot, chat, &row.action.action, now).await;
        match result {
            Ok(delivered) => Ok(delivered),
            Err(err) => Err(self.classify(bot, chat, err).await),
        }
    }

    async fn call(
        &self,
        bot: &Bot,
        chat: i64,
        action: &Action,
        now: Timestamp,
    ) -> Result<Delivered, ApiError> {
        let client = &bot.client;
        match action {
            Action::DeleteMessage { message } => {
                client
                    .call_unit(
                        "deleteMessage",
                        &json!({"chat_id": chat, "message_id": message_id(message)?}),
                    )
                    .await.map(done)
            }
            Action::DeleteMessages { messages } => {
                let ids: Vec<i64> = messages
                    .iter()
                    .map(|m| message_id(m))
                    .collect::<Result<_, _>>()?;
                for chunk in ids.chunks(DELETE_BATCH) {
                    client
                        .call_unit(
                            "deleteMessages",
                            &json!({"chat_id": chat, "message_ids": chunk}),
                        )
                        .await?;
                }
                Ok(Delivered::done())
            }
            Action::Warn {
                text, reply_to, ..
            } => send(client, chat, text, &[], reply_to.as_deref()).await,
            Action::SendMessage {
                text,
                buttons,
                reply_to,
                ..
            } => send(client, chat, text, buttons, reply_to.as_deref()).await,
            Action::DirectMessage { member, text } => {
                send(client, user_id(member)?, text, &[], None).await
            }
            Action::Mute { member, until } => {
                let seconds_left = (*until - now).num_seconds();
                if seconds_left <= 0 {
                    // The mute would already be over.
                    return Ok(Delivered::done());
                }
                let until = now + Duration::seconds(seconds_left.max(MIN_RESTRICTION_SECONDS));
                client
                    .call_unit(
                        "restrictChatMember",
                        &json!({
                            "chat_id": chat,
                            "user_id": user_id(member)?,
                            "permissions": permissions(false),
                            "use_independent_chat_permissions": true,
                            "until_date": until.timestamp(),
                        }),
                    )
                    .await.map(done)
            }
            Action::Unmute { member } => {
                client
                    .call_unit(
                        "restrictChatMember",
                        &json!({
                            "chat_id": chat,
                            "user_id": user_id(member)?,
                            "permissions": permissions(true),
                            "use_independent_chat_permissions": true,
                        }),
                    )
                    .await.map(done)
            }
            Action::Kick { member } => {
                let user = user_id(member)?;
                if user < 0 {
                    return ban_sender_chat(client, chat, user).await.map(done);
                }
                client
                    .call_unit(
                        "banChatMember",
                        &json!({
                            "chat_id": chat,
                            "user_id": user,
                            "until_date": (now + Duration::seconds(KICK_SECONDS)).timestamp(),
                        }),
                    )
                    .await?;
                client
                    .call_unit(
                        "unbanChatMember",
                        &json!({"chat_id": chat, "user_id": user, "only_if_banned": true}),
                    )
                    .await.map(done)
            }
            Action::Ban { member, until } => {
                let user = user_id(member)?;
                if user < 0 {
                    // Someone posting as a channel: ban the channel.
                    return ban_sender_chat(client, chat, user).await.map(done);
                }
                let mut params = json!({
                    "chat_id": chat,
                    "user_id": user,
                    "revoke_messages": true,
                });
                if let Some(until) = until {
                    let seconds = (*until - now).num_seconds().max(MIN_RESTRICTION_SECONDS);
                    params["until_date"] = json!((now + Duration::seconds(seconds)).timestamp());
                }
                client.call_unit("banChatMember", &params).await.map(done)
            }
            Action::Unban { member } => {
                let user = user_id(member)?;
                if user < 0 {
                    return client
                        .call_unit(
                            "unbanChatSenderChat",
                            &json!({"chat_id": chat, "sender_chat_id": user}),
                        )
                        .await
                        .map(done);
                }
                client
                    .call_unit(
                        "unbanChatMember",
                        &json!({"chat_id": chat, "user_id": user, "only_if_banned": true}),
                    )
                    .await.map(done)
            }
            Action::ApproveJoin { member } => {
                client
                    .call_unit(
                        "approveChatJoinRequest",
                        &json!({"chat_id": chat, "user_id": user_id(member)?}),
                    )
                    .await.map(done)
            }
            Action::DeclineJoin { member, .. } => {
                client
                    .call_unit(
                        "declineChatJoinRequest",
                        &json!({"chat_id": chat, "user_id": user_id(member)?}),
                    )
                    .await.map(done)
            }
            Action::Pin { message } => {
                client
                    .call_unit(
                        "pinChatMessage",
                        &json!({"chat_id": chat, "message_id": message_id(message)?, "disable_notification": true}),
                    )
                    .await.map(done)
            }
            Action::SendPoll {
                question,
                options,
                multiple,
                correct_option,
            } => {
                let mut params = json!({
                    "chat_id": chat,
                    "question": question,
                    "options": options.iter().map(|o| json!({"text": o})).collect::<Vec<_>>(),
                    // Answers of anonymous polls never reach the bot.
                    "is_anonymous": false,
                    "allows_multiple_answers": multiple,
                });
                if let Some(correct) = correct_option {
                    params["type"] = json!("quiz");
                    params["correct_option_id"] = json!(correct);
                    params["allows_multiple_answers"] = json!(false);
                }
                let sent: Value = client.call("sendPoll", &params, REQUEST_TIMEOUT).await?;
                let poll_id = sent.pointer("/poll/id").and_then(Value::as_str);
                if let Some(poll_id) = poll_id {
                    self.bots.remember_poll(poll_id, chat).await;
                }
                Ok(Delivered {
                    message_id: sent
                        .get("message_id")
                        .and_then(Value::as_i64)
                        .map(|id| id.to_string()),
                    poll_id: poll_id.map(str::to_owned),
                    ..Delivered::done()
                })
            }
            Action::EditMessage {
                message,
                text,
                buttons,
            } => {
                let mut params = json!({
                    "chat_id": chat,
                    "message_id": message_id(message)?,
                    "text": text,
                });
                params["reply_markup"] = keyboard(buttons);
                client.call_unit("editMessageText", &params).await.map(done)
            }
            Action::AnswerButton { query, text } => {
                let mut params = json!({"callback_query_id": query});
                if let Some(text) = text {
                    params["text"] = json!(text);
                }
                client.call_unit("answerCallbackQuery", &params).await.map(done)
            }
            Action::CreateInviteLink {
                name,
                creates_join_request,
                expires,
                ..
            } => {
                let mut params = json!({
                    "chat_id": chat,
                    "name": name.chars().take(INVITE_NAME_CHARS).collect::<String>(),
                    "creates_join_request": creates_join_request,
                });
                if let Some(expires) = expires {
                    params["expire_date"] = json!(expires.timestamp());
                }
                let link: Value = client
                    .call("createChatInviteLink", &params, REQUEST_TIMEOUT)
                    .await?;
                Ok(Delivered {
                    invite_link: link
                        .get("invite_link")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    ..Delivered::done()
                })
            }
            Action::SendImage { image, caption } => {
                let png = decode_image(image)?;
                let caption = caption.as_deref().map(truncate_caption);
                let sent = client.send_photo(chat, png, caption.as_deref()).await?;
                Ok(Delivered::message(sent.message_id))
            }
            Action::SetNickname { .. } => Err(ApiError::Api {
                code: 400,
                description: "Telegram bots cannot set members' names".to_owned(),
                retry_after: None,
                migrate_to_chat_id: None,
            }),
        }
    }

    async fn classify(&self, bot: &Bot, chat: i64, err: ApiError) -> DeliveryError {
        match &err {
            ApiError::Api {
                code: 429,
                retry_after,
                description,
                ..
            } => DeliveryError::Retry {
                after: Some(std::time::Duration::from_secs(retry_after.unwrap_or(1))),
                reason: format!("429 {description}"),
            },
            ApiError::Api {
                migrate_to_chat_id: Some(new_id),
                description,
                ..
            } => DeliveryError::Permanent(format!(
                "{description} (the group is now the supergroup {new_id})"
            )),
            e if e.is_transient() => DeliveryError::Retry {
                after: None,
                reason: e.to_string(),
            },
            ApiError::Api {
                code, description, ..
            } => {
                if let Some(right) = right_from_error(description) {
                    self.bots.tell_admins(bot, chat, right).await;
                }
                DeliveryError::Permanent(format!("{code} {description}"))
            }
            ApiError::Transport(reason) => DeliveryError::Permanent(reason.clone()),
        }
    }
}

impl Deliverer for TelegramDeliverer {
    fn platform(&self) -> Platform {
        Platform::Telegram
    }

    fn deliver<'a>(
        &'a self,
        action: &'a OutboxRow,
    ) -> Pin<Box<dyn Future<Output = DeliveryOutcome> + Send + 'a>> {
        Box::pin(self.carry_out(action))
    }
}

fn done((): ()) -> Delivered {
    Delivered::done()
}

async fn send(
    client: &crate::client::BotClient,
    chat: i64,
    text: &str,
    buttons: &[Vec<Button>],
    reply_to: Option<&str>,
) -> Result<Delivered, ApiError> {
    let mut params = json!({
        "chat_id": chat,
        "text": truncate(text),
        "link_preview_options": {"is_disabled": true},
    });
    if !buttons.is_empty() {
        params["reply_markup"] = keyboard(buttons);
    }
    if let Some(reply) = reply_to.and_then(|r| r.parse::<i64>().ok()) {
        // The message may be gone (it was the spam just deleted).
        params["reply_parameters"] =
            json!({"message_id": reply, "allow_sending_without_reply": true});
    }
    let sent = client.send_message(&params).await?;
    Ok(Delivered::message(sent.message_id))
}

async fn ban_sender_chat(
    client: &crate::client::BotClient,
    chat: i64,
    sender: i64,
) -> Result<(), ApiError> {
    client
        .call_unit(
            "banChatSenderChat",
            &json!({"chat_id": chat, "sender_chat_id": sender}),
        )
        .await
}

fn keyboard(buttons: &[Vec<Button>]) -> Value {
    let rows: Vec<Vec<Value>> = buttons
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| match (&b.url, &b.data) {
                    (Some(url), _) => json!({"text": b.text, "url": url}),
                    (None, data) => {
                        json!({"text": b.text, "callback_data": data.clone().unwrap_or_default()})
                    }
                })
                .collect()
        })
        .collect();
    json!({"inline_keyboard": rows})
}

/// Every permission on or off, as `restrictChatMember` takes them.
fn permissions(allowed: bool) -> Value {
    json!({
        "can_send_messages": allowed,
        "can_send_audios": allowed,
        "can_send_documents": allowed,
        "can_send_photos": allowed,
        "can_send_videos": allowed,
        "can_send_video_notes": allowed,
        "can_send_voice_notes": allowed,
        "can_send_polls": allowed,
        "can_send_other_messages": allowed,
        "can_add_web_page_previews": allowed,
        "can_react_to_messages": allowed,
    })
}

/// Texts longer than Telegram's 4096-character limit are cut, not refused.
fn truncate(text: &str) -> String {
    const LIMIT: usize = 4096;
    if text.chars().count() <= LIMIT {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(LIMIT - 1).collect();
    cut.push('…');
    cut
}

/// Captions longer than Telegram's 1024-character limit are cut, not refused.
fn truncate_caption(caption: &str) -> String {
    const LIMIT: usize = 1024;
    if caption.chars().count() <= LIMIT {
        return caption.to_owned();
    }
    let mut cut: String = caption.chars().take(LIMIT - 1).collect();
    cut.push('…');
    cut
}

/// The picture's bytes; a picture that is not base64, or too large, is
/// given up rather than retried.
fn decode_image(image: &str) -> Result<Vec<u8>, ApiError> {
    use base64::Engine as _;
    let refuse = |description: String| ApiError::Api {
        code: 400,
        description,
        retry_after: None,
        migrate_to_chat_id: None,
    };
    let png = base64::engine::general_purpose::STANDARD
        .decode(image)
        .map_err(|e| refuse(format!("the image is not base64: {e}")))?;
    if png.len() > steward_core::action::MAX_IMAGE_BYTES {
        return Err(refuse(format!(
            "the image has {} bytes, over the limit",
            png.len()
        )));
    }
    Ok(png)
}

fn message_id(id: &str) -> Result<i64, ApiError> {
    id.parse().map_err(|_| bad_id("message", id))
}

fn user_id(id: &str) -> Result<i64, ApiError> {
    id.parse().map_err(|_| bad_id("user", id))
}

fn bad_id(what: &str, id: &str) -> ApiError {
    ApiError::Api {
        code: 400,
        description: format!("`{id}` is not a Telegram {what} id"),
        retry_after: None,
        migrate_to_chat_id: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_decoded_or_refused() {
        assert_eq!(decode_image("iVBORw==").unwrap(), b"\x89PNG");
        let err = decode_image("not base64!").unwrap_err();
        assert!(!err.is_transient());
        assert_eq!(truncate_caption(&"a".repeat(2000)).chars().count(), 1024);
    }

    #[test]
    fn long_texts_are_cut_to_the_limit() {
        let long = "字".repeat(5000);
        let cut = truncate(&long);
        assert_eq!(cut.chars().count(), 4096);
        assert_eq!(truncate("short"), "short");
    }

    #[test]
    fn keyboards_use_callback_data_or_urls() {
        let k = keyboard(&[vec![
            Button {
                text: "Ban".into(),
                data: Some("case:1:ban".into()),
                url: None,
            },
            Button {
                text: "Site".into(),
                data: None,
                url: Some("https://example.org".into()),
            },
        ]]);
        assert_eq!(k["inline_keyboard"][0][0]["callback_data"], "case:1:ban");
        assert_eq!(k["inline_keyboard"][0][1]["url"], "https://example.org");
    }
}
