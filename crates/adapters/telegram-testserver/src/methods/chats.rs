//! Chat-level methods: `getChat` (a `ChatFullInfo`) and `createChatInviteLink`.

use serde_json::{Value, json};

use super::Ctx;
use crate::reply::ApiError;

const LINK_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub(crate) fn get_chat(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.chat_id()?;
    let mut info = ctx.world.chat_object(chat_id);
    info["accent_color_id"] = json!(0);
    info["max_reaction_count"] = json!(11);
    info["accepted_gift_types"] = json!({
        "unlimited_gifts": false,
        "limited_gifts": false,
        "unique_gifts": false,
        "premium_subscription": false,
    });
    if chat_id < 0 {
        let permissions = ctx
            .world
            .chats
            .get(&chat_id)
            .and_then(|c| c.permissions.clone());
        info["permissions"] = permissions.unwrap_or_else(default_permissions);
    }
    Ok(info)
}

pub(crate) fn create_chat_invite_link(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.group_id()?;
    let name = ctx.params.string("name")?;
    if name.as_ref().is_some_and(|n| n.chars().count() > 32) {
        return Err(ApiError::bad_request("invite link name is too long"));
    }
    let expire_date = ctx.params.int("expire_date")?;
    let member_limit = ctx.params.int("member_limit")?;
    if member_limit.is_some_and(|limit| !(1..=99_999).contains(&limit)) {
        return Err(ApiError::bad_request(
            "member limit must be between 1 and 99999",
        ));
    }
    let creates_join_request = ctx.params.bool("creates_join_request");
    if creates_join_request && member_limit.is_some() {
        return Err(ApiError::bad_request(
            "member limit can't be specified for links requiring administrator approval",
        ));
    }
    if !ctx.rights(chat_id).can_invite_users {
        return Err(ApiError::bad_request(
            "not enough rights to manage chat invite link",
        ));
    }
    let serial = ctx.world.next_serial();
    let mut link = json!({
        "invite_link": format!("https://t.me/+{}", link_code(serial)),
        "creator": ctx.bot_sender(),
        "creates_join_request": creates_join_request,
        "is_primary": false,
        "is_revoked": false,
    });
    if let Some(name) = name {
        link["name"] = json!(name);
    }
    if let Some(expire_date) = expire_date {
        link["expire_date"] = json!(expire_date);
    }
    if let Some(member_limit) = member_limit {
        link["member_limit"] = json!(member_limit);
    }
    ctx.world.chat_mut(chat_id).invite_links.push(link.clone());
    Ok(link)
}

/// Permissions of an ordinary member when the group never set any.
fn default_permissions() -> Value {
    json!({
        "can_send_messages": true,
        "can_send_audios": true,
        "can_send_documents": true,
        "can_send_photos": true,
        "can_send_videos": true,
        "can_send_video_notes": true,
        "can_send_voice_notes": true,
        "can_send_polls": true,
        "can_send_other_messages": true,
        "can_add_web_page_previews": true,
        "can_react_to_messages": true,
        "can_change_info": false,
        "can_invite_users": true,
        "can_pin_messages": false,
        "can_manage_topics": false,
    })
}

/// A 16-character code that looks random and is unique per serial number.
fn link_code(serial: u64) -> String {
    // SplitMix64: a bijection on u64, so distinct serials give distinct codes.
    let mut x = serial.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    let high = serial.rotate_left(17) ^ 0x0005_DEEC_E66D;
    (0..16)
        .map(|i| {
            let bits = if i < 10 {
                x >> (i * 6)
            } else {
                high >> ((i - 10) * 6)
            };
            char::from(LINK_ALPHABET[(bits & 63) as usize])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::link_code;

    #[test]
    fn invite_codes_are_unique() {
        let codes: HashSet<String> = (1..5_000).map(link_code).collect();
        assert_eq!(codes.len(), 4_999);
        assert!(codes.iter().all(|c| c.len() == 16));
    }
}
