//! Restrict, ban, unban, join requests, member lookups, invite links, commands and getChat.

use serde_json::json;
use steward_telegram_testserver::{BotRights, JoinRequestState, updates};

use crate::harness::{Api, BOT_ID, GROUP, TOKEN};

const ADMIN: i64 = 9;

async fn with_admin() -> Api {
    let api = Api::new().await;
    let owner = updates::user(8, "Olga", "olga");
    let admin = updates::user(ADMIN, "Adam", "adam");
    api.server.set_admins(
        GROUP,
        vec![updates::owner(&owner), updates::administrator(&admin)],
    );
    api
}

#[tokio::test]
async fn restrict_records_the_restriction_and_all_rights_lift_it() {
    let api = with_admin().await;
    let mute = json!({"chat_id": GROUP, "user_id": 7, "permissions": {"can_send_messages": false}, "until_date": 1_900_000_000});
    assert_eq!(api.ok("restrictChatMember", mute).await, json!(true));
    let restriction = api.server.restriction(GROUP, 7).unwrap();
    assert_eq!(restriction.until_date, 1_900_000_000);
    assert_eq!(restriction.permissions["can_send_messages"], false);
    assert_eq!(restriction.permissions["can_send_photos"], false);
    let member = api
        .ok("getChatMember", json!({"chat_id": GROUP, "user_id": 7}))
        .await;
    assert_eq!(member["status"], "restricted");
    assert_eq!(member["can_send_messages"], false);
    assert_eq!(member["until_date"], 1_900_000_000);

    let unmute = json!({"can_send_messages": true, "can_send_other_messages": true, "can_add_web_page_previews": true, "can_send_polls": true});
    let (_, body) = api
        .form(
            "restrictChatMember",
            &[
                ("chat_id", &GROUP.to_string()),
                ("user_id", "7"),
                ("permissions", &unmute.to_string()),
            ],
        )
        .await;
    assert_eq!(body["result"], true, "{body}");
    assert!(api.server.restriction(GROUP, 7).is_none());
    assert_eq!(
        api.ok("getChatMember", json!({"chat_id": GROUP, "user_id": 7}))
            .await["status"],
        "member"
    );
}

#[tokio::test]
async fn independent_permissions_are_kept_apart() {
    let api = Api::new().await;
    let params = json!({"chat_id": GROUP, "user_id": 7, "use_independent_chat_permissions": true,
                        "permissions": {"can_send_messages": true, "can_send_other_messages": true}});
    api.ok("restrictChatMember", params).await;
    let restriction = api.server.restriction(GROUP, 7).unwrap();
    assert!(restriction.use_independent_chat_permissions);
    assert_eq!(restriction.permissions["can_send_photos"], false);
}

#[tokio::test]
async fn restrict_and_ban_refuse_admins_and_missing_rights() {
    let api = with_admin().await;
    let mute =
        json!({"chat_id": GROUP, "user_id": ADMIN, "permissions": {"can_send_messages": false}});
    let (code, description) = api.err("restrictChatMember", mute).await;
    assert_eq!(
        (code, description.as_str()),
        (400, "Bad Request: user is an administrator of the chat")
    );
    let (_, description) = api
        .err("banChatMember", json!({"chat_id": GROUP, "user_id": 8}))
        .await;
    assert_eq!(
        description,
        "Bad Request: user is an administrator of the chat"
    );

    api.server.set_bot_rights(
        GROUP,
        BotRights {
            can_restrict_members: false,
            ..BotRights::ALL
        },
    );
    let mute = json!({"chat_id": GROUP, "user_id": 7, "permissions": {"can_send_messages": false}});
    let (_, description) = api.err("restrictChatMember", mute).await;
    assert_eq!(
        description,
        "Bad Request: not enough rights to restrict/unrestrict chat member"
    );
    let (_, description) = api
        .err("banChatMember", json!({"chat_id": GROUP, "user_id": 7}))
        .await;
    assert_eq!(
        description,
        "Bad Request: not enough rights to restrict/unrestrict chat member"
    );
    let (_, description) = api
        .err("unbanChatMember", json!({"chat_id": GROUP, "user_id": 7}))
        .await;
    assert_eq!(
        description,
        "Bad Request: not enough rights to restrict/unrestrict chat member"
    );
    assert!(api.server.restriction(GROUP, 7).is_none());
    assert!(!api.server.is_banned(GROUP, 7));
}

#[tokio::test]
async fn restrict_validates_its_parameters() {
    let api = Api::new().await;
    for (params, expected) in [
        (
            json!({"chat_id": GROUP, "permissions": {}}),
            "Bad Request: invalid user_id specified",
        ),
        (
            json!({"chat_id": GROUP, "user_id": "x", "permissions": {}}),
            "Bad Request: invalid user_id specified",
        ),
        (
            json!({"chat_id": GROUP, "user_id": 7}),
            "Bad Request: parameter \"permissions\" is required",
        ),
        (
            json!({"chat_id": GROUP, "user_id": 7, "permissions": [1]}),
            "Bad Request: object expected as permissions",
        ),
        (
            json!({"chat_id": GROUP, "user_id": 7, "permissions": "{"}),
            "Bad Request: can't parse permissions JSON object",
        ),
        (
            json!({"chat_id": GROUP, "user_id": 7, "permissions": {}, "until_date": "soon"}),
            "Bad Request: can't parse \"until_date\" as Number",
        ),
        (
            json!({"user_id": 7, "permissions": {}}),
            "Bad Request: chat_id is empty",
        ),
    ] {
        let (code, description) = api.err("restrictChatMember", params.clone()).await;
        assert_eq!((code, description.as_str()), (400, expected), "{params}");
    }
}

#[tokio::test]
async fn ban_and_unban_change_the_member_status() {
    let api = Api::new().await;
    api.ok(
        "banChatMember",
        json!({"chat_id": GROUP, "user_id": 7, "until_date": 0, "revoke_messages": true}),
    )
    .await;
    assert!(api.server.is_banned(GROUP, 7));
    assert_eq!(api.server.ban_until(GROUP, 7), Some(0));
    let member = api
        .ok("getChatMember", json!({"chat_id": GROUP, "user_id": 7}))
        .await;
    assert_eq!(member["status"], "kicked");
    assert_eq!(member["until_date"], 0);

    api.ok(
        "unbanChatMember",
        json!({"chat_id": GROUP, "user_id": 7, "only_if_banned": true}),
    )
    .await;
    assert!(!api.server.is_banned(GROUP, 7));
    assert_eq!(
        api.ok("getChatMember", json!({"chat_id": GROUP, "user_id": 7}))
            .await["status"],
        "left"
    );

    // only_if_banned leaves a member alone; without it the member is removed.
    api.ok(
        "unbanChatMember",
        json!({"chat_id": GROUP, "user_id": 11, "only_if_banned": true}),
    )
    .await;
    assert_eq!(
        api.ok("getChatMember", json!({"chat_id": GROUP, "user_id": 11}))
            .await["status"],
        "member"
    );
    api.ok("unbanChatMember", json!({"chat_id": GROUP, "user_id": 11}))
        .await;
    assert_eq!(
        api.ok("getChatMember", json!({"chat_id": GROUP, "user_id": 11}))
            .await["status"],
        "left"
    );
}

#[tokio::test]
async fn admins_are_listed_and_looked_up() {
    let api = with_admin().await;
    let admins = api
        .ok("getChatAdministrators", json!({"chat_id": GROUP}))
        .await;
    assert_eq!(admins.as_array().unwrap().len(), 2);
    assert_eq!(admins[0]["status"], "creator");
    let admin = api
        .ok("getChatMember", json!({"chat_id": GROUP, "user_id": ADMIN}))
        .await;
    assert_eq!(admin["status"], "administrator");
    assert_eq!(admin["user"]["username"], "adam");

    // The bot sees its own rights.
    api.server.set_bot_rights(
        GROUP,
        BotRights {
            can_pin_messages: false,
            ..BotRights::ALL
        },
    );
    let me = api
        .ok(
            "getChatMember",
            json!({"chat_id": GROUP, "user_id": BOT_ID}),
        )
        .await;
    assert_eq!(me["status"], "administrator");
    assert_eq!(me["can_restrict_members"], true);
    assert_eq!(me["can_pin_messages"], false);

    // Configuring admins makes an unknown group known.
    api.server.set_admins(-1_005_555, vec![]);
    assert_eq!(
        api.ok("getChatAdministrators", json!({"chat_id": -1_005_555}))
            .await,
        json!([])
    );
}

#[tokio::test]
async fn join_requests_are_approved_or_declined_once() {
    let api = Api::new().await;
    let group = updates::group(GROUP, "Test group");
    let link = updates::invite_link("https://t.me/+abc", &updates::user(8, "Olga", ""), true);
    for user_id in [20, 21] {
        let user = updates::user(user_id, "Joiner", "");
        api.server.push_update(
            TOKEN,
            updates::chat_join_request(&group, &user, 1_700_000_000, Some("hi"), Some(&link)),
        );
        assert_eq!(
            api.server.join_request_state(GROUP, user_id),
            Some(JoinRequestState::Pending)
        );
    }
    api.ok(
        "approveChatJoinRequest",
        json!({"chat_id": GROUP, "user_id": 20}),
    )
    .await;
    api.ok(
        "declineChatJoinRequest",
        json!({"chat_id": GROUP, "user_id": 21}),
    )
    .await;
    assert_eq!(
        api.server.join_request_state(GROUP, 20),
        Some(JoinRequestState::Approved)
    );
    assert_eq!(
        api.server.join_request_state(GROUP, 21),
        Some(JoinRequestState::Declined)
    );
    let (code, description) = api
        .err(
            "approveChatJoinRequest",
            json!({"chat_id": GROUP, "user_id": 20}),
        )
        .await;
    assert_eq!(
        (code, description.as_str()),
        (400, "Bad Request: HIDE_REQUESTER_MISSING")
    );
    let (_, description) = api
        .err(
            "declineChatJoinRequest",
            json!({"chat_id": GROUP, "user_id": 99}),
        )
        .await;
    assert_eq!(description, "Bad Request: HIDE_REQUESTER_MISSING");

    let user = updates::user(22, "Late", "");
    api.server.push_update(
        TOKEN,
        updates::chat_join_request(&group, &user, 1_700_000_000, None, None),
    );
    api.server.set_bot_rights(
        GROUP,
        BotRights {
            can_invite_users: false,
            ..BotRights::ALL
        },
    );
    let (_, description) = api
        .err(
            "approveChatJoinRequest",
            json!({"chat_id": GROUP, "user_id": 22}),
        )
        .await;
    assert_eq!(description, "Bad Request: not enough rights");
    assert_eq!(
        api.server.join_request_state(GROUP, 22),
        Some(JoinRequestState::Pending)
    );
}

#[tokio::test]
async fn invite_links_are_unique() {
    let api = Api::new().await;
    let first = api
        .ok(
            "createChatInviteLink",
            json!({"chat_id": GROUP, "name": "captcha", "creates_join_request": true}),
        )
        .await;
    let second = api
        .ok(
            "createChatInviteLink",
            json!({"chat_id": GROUP, "member_limit": 10, "expire_date": 1_900_000_000}),
        )
        .await;
    let link = first["invite_link"].as_str().unwrap();
    assert!(link.starts_with("https://t.me/+"), "{link}");
    assert_ne!(first["invite_link"], second["invite_link"]);
    assert_eq!(first["creates_join_request"], true);
    assert_eq!(first["name"], "captcha");
    assert_eq!(first["creator"]["id"], BOT_ID);
    assert_eq!(second["member_limit"], 10);
    assert_eq!(api.server.invite_links(GROUP).len(), 2);
    let (_, description) = api
        .err(
            "createChatInviteLink",
            json!({"chat_id": GROUP, "name": "n".repeat(33)}),
        )
        .await;
    assert_eq!(description, "Bad Request: invite link name is too long");
}

#[tokio::test]
async fn commands_are_kept_per_language_and_scope() {
    let api = Api::new().await;
    let en = json!([{"command": "report", "description": "Report a message"}]);
    let de = json!([{"command": "melden", "description": "Nachricht melden"}]);
    api.ok("setMyCommands", json!({"commands": en})).await;
    api.ok(
        "setMyCommands",
        json!({"commands": de, "language_code": "de"}),
    )
    .await;
    let admins = json!({"type": "chat_administrators", "chat_id": GROUP});
    api.ok(
        "setMyCommands",
        json!({"commands": [{"command": "ban", "description": "Ban"}], "scope": admins}),
    )
    .await;
    assert_eq!(api.ok("getMyCommands", json!({})).await, en);
    assert_eq!(
        api.ok("getMyCommands", json!({"language_code": "de"}))
            .await,
        de
    );
    assert_eq!(
        api.ok("getMyCommands", json!({"language_code": "fr"}))
            .await,
        json!([])
    );
    assert_eq!(
        api.ok("getMyCommands", json!({"scope": admins})).await[0]["command"],
        "ban"
    );
    let (_, body) = api
        .get("getMyCommands", &[("scope", &admins.to_string())])
        .await;
    assert_eq!(body["result"][0]["command"], "ban");

    for (params, expected) in [
        (
            json!({"commands": [{"command": "Report", "description": "x"}]}),
            "Bad Request: BOT_COMMAND_INVALID",
        ),
        (
            json!({"commands": [{"command": "c".repeat(33), "description": "x"}]}),
            "Bad Request: BOT_COMMAND_INVALID",
        ),
        (
            json!({"commands": [{"command": "ok", "description": ""}]}),
            "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID",
        ),
        (
            json!({"commands": [{"command": "ok", "description": "d".repeat(257)}]}),
            "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID",
        ),
        (
            json!({"commands": [], "language_code": "deu"}),
            "Bad Request: invalid language code specified",
        ),
        (
            json!({"commands": [], "scope": {"type": "everyone"}}),
            "Bad Request: unsupported type specified",
        ),
    ] {
        let (_, description) = api.err("setMyCommands", params.clone()).await;
        assert_eq!(description, expected, "{params}");
    }
    api.ok("deleteMyCommands", json!({"language_code": "de"}))
        .await;
    assert_eq!(
        api.ok("getMyCommands", json!({"language_code": "de"}))
            .await,
        json!([])
    );
}

#[tokio::test]
async fn get_chat_returns_full_info() {
    let api = Api::new().await;
    let chat = api.ok("getChat", json!({"chat_id": GROUP})).await;
    assert_eq!(chat["id"], GROUP);
    assert_eq!(chat["type"], "supergroup");
    assert_eq!(chat["title"], "Test group");
    assert_eq!(chat["permissions"]["can_send_messages"], true);
    api.server.add_chat(json!({"id": -1_002_000, "type": "supergroup", "title": "Public", "username": "public_grp"}));
    assert_eq!(
        api.ok("getChat", json!({"chat_id": "@public_grp"})).await["id"],
        -1_002_000
    );
    api.ok(
        "setChatPermissions",
        json!({"chat_id": GROUP, "permissions": {"can_send_messages": false}}),
    )
    .await;
    assert_eq!(
        api.ok("getChat", json!({"chat_id": GROUP})).await["permissions"]["can_send_messages"],
        false
    );
    assert!(api.server.chat_permissions(GROUP).is_some());
}
